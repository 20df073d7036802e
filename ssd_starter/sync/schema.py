"""The one schema every synced row must fit, wherever it comes from (a bundle, a push to the Centre).

The rules are generated once from the tables themselves (column types, lengths, nullability) and
tightened by the domain's vocabulary (enum values, score ranges, limits on money and quantities). A row
either fits completely or is refused with a reason that names its table, its id and the field; the
caller then refuses the whole bundle or push, so nothing of it is written.

Hand-written rather than pydantic: the reasons must be translated and name table, row and field, and
the rules come from the SQLAlchemy columns plus the vocabulary, so a generated pydantic model would
still need a second layer to say the same things; checking is a few closures per column.

Scoping is the other half of the trust boundary: every row must belong to the district the bundle or
request is for (``district_id``, or the id itself for the district row). What this module can decide
without a database is here; the checks against rows already stored live with each store.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

import sqlalchemy as sa

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

MAX_INT = 2**63 - 1  # what SQLite and PostgreSQL's BIGINT hold
MAX_VERSION = 2**31 - 1  # the Centre keeps versions in an INTEGER column (32 bits on PostgreSQL)
MAX_TEXT = 100_000  # characters in a text column without its own length
MAX_JSON_BYTES = 2 * 2**20
MAX_JSON_DEPTH = 32
OPERATIONS = frozenset({"insert", "update", "delete", "undelete"})  # what the change log records (store.edits)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")

# A reason is an N_ template and its parameters, or None when the value fits.
Reason = tuple[str, dict[str, Any]] | None
Check = Callable[[Any], Reason]
# A column's values all at once -> True only if every one fits (False: look at them one by one). Checking a
# chunk column by column with set, min/max and map in C is ~5x faster than a closure call per value; a
# chunk that fails is checked again value by value, which finds the first misfit and its reason.
AllFit = Callable[[list[Any]], bool]
_ALL_FIT: dict[Check, AllFit] = {}


def _fits_together(check: Check, all_fit: AllFit) -> Check:
    _ALL_FIT[check] = all_fit
    return check


def _all_fit(check: Check, values: list[Any]) -> bool:
    many = _ALL_FIT.get(check)
    if many is not None:
        return many(values)
    return all(check(value) is None for value in values)


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


class InvalidRecord(UserError):
    """One record does not fit the schema or the district it is sent for; nothing was written."""

    def __init__(self, table: str, row_id: Any, field: str, reason: str, **params: Any) -> None:
        super().__init__(N_("Record {row} ({table}), field {field}: {reason}"),
                         table=str(table)[:40], row=_shown(row_id), field=_shown(field)[:60])
        self.reason = reason
        self.reason_params = params
        self.table, self.row_id, self.field = table, row_id, field

    def message(self) -> str:
        from ssd_starter.core.vocabulary import TABLE_LABELS
        from ssd_starter.i18n import _

        reason = _(self.reason).format(**self.reason_params)
        table = _(TABLE_LABELS[self.table]) if self.table in TABLE_LABELS else self.params["table"]
        template = self.template if isinstance(self.template, str) else self.template[1]  # always one text here
        return _(template).format(**{**self.params, "table": table}, reason=reason)


def _shown(value: Any) -> str:
    """A value as it may appear in a message: short, printable."""
    text = value if isinstance(value, str) else json.dumps(value, default=str)[:80]
    text = "".join(c if c.isprintable() else "?" for c in text[:80])
    return text or "?"


# -- value checks -------------------------------------------------------------------------------

def _text(limit: int, *, uuid: bool = False) -> Check:
    def check(value: Any) -> Reason:
        if not isinstance(value, str):
            return N_("it must be text."), {}
        if len(value) > limit:
            return N_("it is longer than {limit} characters."), {"limit": limit}
        if "\x00" in value:
            return N_("it contains a NUL character."), {}
        if uuid and not UUID.match(value):
            return N_("it is not a record id."), {}
        return None

    def all_fit(values: list[Any]) -> bool:
        if not values:
            return True
        if _types(values) != {str} or max(map(len, values)) > limit or "\x00" in "".join(values):
            return False
        return not uuid or all(map(UUID.match, values))
    return _fits_together(check, all_fit)


_device_id = _text(36, uuid=True)


def _origin(value: Any) -> Reason:
    """Device ids are UUIDs; rows written before devices had ids carry ''."""
    if value == "":
        return None
    return _device_id(value)


_fits_together(_origin, lambda values: _all_fit(_device_id, [value for value in values if value != ""]))


def _integer(low: int = -MAX_INT, high: int = MAX_INT) -> Check:
    def check(value: Any) -> Reason:
        if isinstance(value, bool) or not isinstance(value, int):
            return N_("it must be a whole number."), {}
        if not low <= value <= high:
            return N_("it must be from {low} to {high}."), {"low": low, "high": high}
        return None

    def all_fit(values: list[Any]) -> bool:
        return not values or (_types(values) == {int} and low <= min(values) and max(values) <= high)
    return _fits_together(check, all_fit)


def _number(low: float = -1e300, high: float = 1e300) -> Check:
    def check(value: Any) -> Reason:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return N_("it must be a number."), {}
        if isinstance(value, float) and not math.isfinite(value):  # an int is finite (and may not fit a float)
            return N_("it must be a finite number."), {}
        if not low <= value <= high:
            return N_("it must be from {low} to {high}."), {"low": low, "high": high}
        return None

    def all_fit(values: list[Any]) -> bool:
        # within bounds first: then every int converts to a float, and a NaN (never min or max unless
        # it comes first, which fails the bounds) is left for isfinite
        return not values or (_types(values) <= {int, float} and low <= min(values) and max(values) <= high
                              and all(map(math.isfinite, values)))
    return _fits_together(check, all_fit)


def _boolean(value: Any) -> Reason:
    return None if isinstance(value, bool) else (N_("it must be true or false."), {})


_fits_together(_boolean, lambda values: _types(values) <= {bool})


def _iso(parse: Callable[[str], Any], longest: int, message: str) -> Check:
    """ISO text that ``parse`` (a ``fromisoformat``) reads, as dates and times travel in JSON."""
    def check(value: Any) -> Reason:
        if not isinstance(value, str) or len(value) > longest:
            return message, {}
        try:
            parse(value)
        except ValueError:
            return message, {}
        return None

    def all_fit(values: list[Any]) -> bool:
        if not values:
            return True
        if _types(values) != {str} or max(map(len, values)) > longest:
            return False
        try:
            for _parsed in map(parse, values):
                pass
        except ValueError:
            return False
        return True
    return _fits_together(check, all_fit)


_datetime = _iso(dt.datetime.fromisoformat, 40, N_("it must be a date and time."))
_date = _iso(dt.date.fromisoformat, 12, N_("it must be a date."))


def _json_fits(value: Any, depth: int = 0) -> Reason:
    if depth > MAX_JSON_DEPTH:
        return N_("it is nested too deeply."), {}
    if isinstance(value, str):
        return (N_("it contains a NUL character."), {}) if "\x00" in value else None
    if isinstance(value, float) and not math.isfinite(value):
        return N_("it must be a finite number."), {}
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        return N_("it must be from {low} to {high}."), {"low": -MAX_INT, "high": MAX_INT}
    if isinstance(value, list):
        for item in value:
            if (reason := _json_fits(item, depth + 1)) is not None:
                return reason
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return N_("it contains a NUL character."), {}
            if (reason := _json_fits(item, depth + 1)) is not None:
                return reason
    return None


def _json(shape: type | None = None, item: Check | None = None) -> Check:
    """A JSON column: of ``shape`` (list or dict) if given, every list item fitting ``item``, finite,
    not too deep, not too large."""
    def check(value: Any) -> Reason:
        if shape is not None and not isinstance(value, shape):
            return (N_("it must be a list."), {}) if shape is list else (N_("it must be a set of names and values."), {})
        if (reason := _json_fits(value)) is not None:
            return reason
        if item is not None:
            for element in value:
                if (reason := item(element)) is not None:
                    return reason
        if len(json.dumps(value, ensure_ascii=False)) > MAX_JSON_BYTES:
            return N_("it is larger than {limit} MB."), {"limit": MAX_JSON_BYTES // 2**20}
        return None

    def all_fit(values: list[Any]) -> bool:
        # the values as one list are one level deeper and larger than each: stricter, never looser
        if shape is not None and _types(values) - {shape}:
            return False
        if _json_fits(values) is not None:
            return False
        if item is not None and not _all_fit(item, [element for value in values for element in value]):
            return False
        return len(json.dumps(values, ensure_ascii=False)) <= MAX_JSON_BYTES
    return _fits_together(check, all_fit)


def _one_of(values: Iterable[str]) -> Check:
    allowed = frozenset(values)

    def check(value: Any) -> Reason:
        if isinstance(value, str) and value in allowed:
            return None
        return (N_("{value} is not one of the values this version knows (the sender may use a newer version "
                   "of SSD Starter)."), {"value": _shown(value)})

    def all_fit(values: list[Any]) -> bool:
        return _types(values) <= {str} and allowed.issuperset(values)
    return _fits_together(check, all_fit)


def _nullable(check: Check) -> Check:
    return _fits_together(lambda value: None if value is None else check(value),
                          lambda values: _all_fit(check, [value for value in values if value is not None]))


# -- the schema, generated from the tables --------------------------------------------------------

def _column_check(column: sa.Column) -> Check:
    kind = column.type.impl if isinstance(column.type, sa.types.TypeDecorator) else column.type
    check: Check
    if isinstance(kind, sa.Boolean):
        check = _boolean
    elif isinstance(kind, sa.Integer):
        check = _integer()
    elif isinstance(kind, sa.Float):
        check = _number()
    elif isinstance(kind, sa.DateTime):
        check = _datetime
    elif isinstance(kind, sa.Date):
        check = _date
    elif isinstance(kind, sa.JSON):
        check = _json()
    elif isinstance(kind, sa.String):
        is_id = column.name == "id" or bool(column.foreign_keys)
        check = _text(getattr(kind, "length", None) or MAX_TEXT, uuid=is_id)
    else:  # a column type this schema does not know: refuse rather than pass it through unchecked
        check = lambda value: (N_("this field cannot be received."), {})  # noqa: E731
    return _nullable(check) if column.nullable else check


@cache
def _domain_checks() -> dict[tuple[str, str], Check]:
    """What the vocabulary adds to the column types."""
    from ssd_starter.core import vocabulary as v
    from ssd_starter.core.charter import STEP_KEYS
    from ssd_starter.core.flows import MAX_QUANTITY, MAX_VALUE_EUR
    from ssd_starter.i18n import LANGUAGES

    def values(enum) -> list[str]:
        return [member.value for member in enum]

    record_id = _text(36, uuid=True)
    languages = _one_of(LANGUAGES)
    return {
        ("district", "kind"): _one_of(values(v.DistrictKind)),
        ("district", "sectors"): _json(list, _one_of(values(v.Sector))),
        ("district", "municipalities"): _json(list, _text(200)),
        ("district", "language"): languages,
        ("district", "targets"): _json(dict),
        ("stakeholder", "category"): _one_of(values(v.Category)),
        ("stakeholder", "sector"): _nullable(_one_of(["", *values(v.Sector)])),
        ("stakeholder", "roles"): _json(list, _one_of(values(v.Role))),
        ("stakeholder", "influence"): _integer(1, 5),
        ("stakeholder", "interest"): _integer(1, 5),
        ("stakeholder", "attitude"): _one_of(values(v.Attitude)),
        ("stakeholder", "stage"): _one_of(values(v.Stage)),
        ("stakeholder", "proposed_by"): _nullable(record_id),
        ("relation", "kind"): _one_of(values(v.RelationKind)),
        ("relation", "strength"): _integer(1, 3),
        ("charter", "language"): languages,
        ("charter", "status"): _one_of(["draft", "adopted"]),
        ("charter", "adopted_version_id"): _nullable(record_id),
        ("charter_section", "key"): _one_of(STEP_KEYS),
        ("charter_section", "value"): _json(dict),
        ("charter_section", "translations"): _json(dict),
        ("charter_version", "language"): languages,
        ("charter_version", "content"): _json(dict),
        ("charter_version", "translations"): _json(dict),
        ("canvas_item", "block"): _one_of(values(v.CanvasBlock)),
        ("canvas_item", "stakeholder_ids"): _json(list, record_id),
        ("canvas_item", "proposed_by"): _nullable(record_id),
        ("flow", "kind"): _one_of(values(v.FlowKind)),
        ("flow", "unit"): _one_of(["", *values(v.Unit)]),
        ("flow", "value_eur"): _number(0, MAX_VALUE_EUR),
        ("flow", "quantity"): _nullable(_number(0, MAX_QUANTITY)),
        ("flow", "canvas_item_id"): _nullable(record_id),
        ("flow", "relation_id"): _nullable(record_id),
        ("flow", "purpose"): _nullable(_one_of(values(v.FlowPurpose))),
        ("scenario", "changes"): _json(list),
        ("scenario", "applied_record"): _json(dict),
        ("indicator_snapshot", "kind"): _one_of(["yearly", "manual"]),
        ("indicator_snapshot", "values"): _json(dict),
        ("workshop", "module_ids"): _json(list, _text(64)),
        ("workshop", "sessions"): _json(list),
        ("answer", "answer"): _json(),
        ("attendance", "session_id"): _text(36),
        ("_", "version"): _integer(1, MAX_VERSION),
        ("_", "origin"): _origin,
    }


@cache
def table_schema(table: str) -> tuple[tuple[str, Check], ...]:
    """(column, check) for every column of a syncable table, in the table's order."""
    from ssd_starter.core.models import SYNCABLE_TABLES, table_of

    domain = _domain_checks()
    checks = []
    for column in table_of(SYNCABLE_TABLES[table]).columns:
        check = domain.get((table, column.name)) or domain.get(("_", column.name)) or _column_check(column)
        checks.append((column.name, check))
    return tuple(checks)


@cache
def _columns(table: str) -> frozenset[str]:
    return frozenset(name for name, _check in table_schema(table))


def syncable_tables() -> frozenset[str]:
    from ssd_starter.core.models import SYNCABLE_TABLES

    return frozenset(SYNCABLE_TABLES)


def check_record(record: Any, district_id: str) -> None:
    """Raise ``InvalidRecord`` unless ``record`` (table, id, op, row) fits the schema and belongs to
    ``district_id``."""
    if not isinstance(record, Mapping):
        raise InvalidRecord("?", "?", "?", N_("it is not a record."))
    table, row_id, row = record.get("table"), record.get("id"), record.get("row")
    if not isinstance(table, str) or table not in syncable_tables():
        raise InvalidRecord(_shown(table), _shown(row_id), "table", N_("this is not a table that is synced."))
    if not isinstance(row, Mapping):
        raise InvalidRecord(table, _shown(row_id), "row", N_("the record carries no data."))
    if not isinstance(record.get("op"), str) or record["op"] not in OPERATIONS:  # a list is unhashable
        raise InvalidRecord(table, _shown(row_id), "op", N_("unknown operation {value}."),
                            value=_shown(record.get("op")))
    check_row(table, row)
    if row_id != row["id"]:
        raise InvalidRecord(table, _shown(row_id), "id", N_("the record's id and the id in its data differ."))
    from ssd_starter.core.models import district_of

    if district_of(table, row) != district_id:
        raise InvalidRecord(table, row["id"], "district_id",
                            N_("it belongs to another district than the one these records are for."))


def check_row(table: str, row: Mapping[str, Any]) -> None:
    """Every column present, none unknown, each value of its column's type and the domain's range."""
    if not row.keys() <= _columns(table):
        unknown = sorted(map(str, set(row) - _columns(table)))[0]
        raise InvalidRecord(table, row.get("id"), unknown,
                            N_("this field is unknown (the sender may use a newer version of SSD Starter)."))
    for name, check in table_schema(table):
        if name not in row:
            raise InvalidRecord(table, row.get("id"), name, N_("the field is missing."))
        reason = check(row[name])
        if reason is not None:
            raise InvalidRecord(table, row.get("id"), name, reason[0], **reason[1])
    for name, rule in _ROW_RULES.get(table, ()):
        reason = rule(row)
        if reason is not None:
            raise InvalidRecord(table, row.get("id"), name, reason[0], **reason[1])


def _section_id_fits(row: Mapping[str, Any]) -> Reason:
    """A charter section's id is the one every installation derives from its charter and key, so a second
    row for the same section (which the database's unique key would refuse half-way through a merge) is
    refused here, with the rest of the bundle or push."""
    from ssd_starter.core.charter import section_id

    if row["id"] == section_id(row["charter_id"], row["key"]):
        return None
    return N_("it is not the id this section of the charter has on every installation."), {}


# Rules across the fields of one row, checked once each field fits: (field named in the refusal, rule).
_ROW_RULES: dict[str, tuple[tuple[str, Callable[[Mapping[str, Any]], Reason]], ...]] = {
    "charter_section": (("id", _section_id_fits),),
}


def check_records(records: Iterable[Any], district_id: str) -> None:
    """Every record fits and belongs to the district, and no row comes twice. Checked column by column
    first; only records that do not all fit are checked one by one, which names the first misfit."""
    records = list(records)
    if _all_records_fit(records, district_id):
        return
    seen: set[tuple[str, str]] = set()
    for record in records:
        check_record(record, district_id)
        key = (record["table"], record["id"])
        if key in seen:
            raise InvalidRecord(key[0], key[1], "id", N_("the same record comes twice."))
        seen.add(key)


def _all_records_fit(records: list[Any], district_id: str) -> bool:
    """True only if ``check_record`` would pass every record and no row comes twice."""
    by_table: dict[str, list[Mapping[str, Any]]] = {}
    keys = set()
    tables = syncable_tables()
    for record in records:
        if type(record) is not dict:
            return False
        table, row_id, row = record.get("table"), record.get("id"), record.get("row")
        if (type(table) is not str or table not in tables or type(row) is not dict
                or type(record.get("op")) is not str or record["op"] not in OPERATIONS or row.get("id") != row_id
                or (row_id if table == "district" else row.get("district_id")) != district_id):
            return False
        keys.add((table, row_id))
        by_table.setdefault(table, []).append(row)
    return len(keys) == len(records) and all(_rows_fit(table, rows) for table, rows in by_table.items())


def _rows_fit(table: str, rows: list[Mapping[str, Any]]) -> bool:
    columns = _columns(table)
    if not all(row.keys() == columns for row in rows):
        return False
    if not all(_all_fit(check, [row[name] for row in rows]) for name, check in table_schema(table)):
        return False
    return all(rule(row) is None for _name, rule in _ROW_RULES.get(table, ()) for row in rows)


# -- references between rows ---------------------------------------------------------------------

@cache
def references(table: str) -> tuple[tuple[str, str, bool, bool], ...]:
    """(column, table it points to, is a list of ids, must exist) for every id a row of ``table`` holds:
    foreign keys from the tables, plus the ids kept without a key (a flow's card, a canvas card's actors)."""
    from ssd_starter.core.models import SYNCABLE_TABLES, table_of

    found: list[tuple[str, str, bool, bool]] = []
    for column in table_of(SYNCABLE_TABLES[table]).columns:
        for key in column.foreign_keys:
            target = key.column.table.name
            if target in SYNCABLE_TABLES and column.name != "district_id":
                found.append((column.name, target, False, True))
    soft = {
        "flow": [("canvas_item_id", "canvas_item", False), ("relation_id", "relation", False)],
        "charter": [("adopted_version_id", "charter_version", False)],
        "canvas_item": [("stakeholder_ids", "stakeholder", True), ("proposed_by", "workshop", False)],
        "stakeholder": [("proposed_by", "workshop", False)],
    }
    found += [(column, target, many, False) for column, target, many in soft.get(table, [])]
    return tuple(found)


def referenced_ids(table: str, row: Mapping[str, Any]) -> Iterable[tuple[str, str, str, bool]]:
    """(column, target table, id, must exist) for each id the row points to."""
    for column, target, many, required in references(table):
        value = row.get(column)
        for ref in (value or []) if many else [value]:
            if ref is not None:
                yield column, target, ref, required
