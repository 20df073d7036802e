"""``check_records`` checks a chunk column by column before it looks at any record alone. That fast path must
never pass what the record-by-record check refuses, and a refusal must name the same record and field."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.sync import schema
from ssd_starter.sync.schema import InvalidRecord, check_records

from .test_hostile_bundles import JSON_VALUES


@pytest.fixture(scope="module")
def demo_records(tmp_path_factory) -> tuple[str, list[dict[str, Any]]]:
    """Every row of the demo district as its change records (every syncable table the demo fills)."""
    from ssd_starter.demo import load_demo
    from ssd_starter.store import Store
    from ssd_starter.sync.bundle import changed_rows

    store = Store(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    try:
        district_id = load_demo(store)
        records, _first, _last = changed_rows(store, district_id)
    finally:
        store.close()
    return district_id, records


def one_by_one(records: list[Any], district_id: str) -> None:
    """The reference: each record checked alone, in order, then no row twice."""
    seen = set()
    for record in records:
        schema.check_record(record, district_id)
        key = (record["table"], record["id"])
        if key in seen:
            raise InvalidRecord(key[0], key[1], "id", "the same record comes twice.")
        seen.add(key)


def outcome(check, records: list[Any], district_id: str) -> tuple[Any, ...] | None:
    try:
        check(records, district_id)
    except InvalidRecord as exc:
        return exc.table, exc.row_id, exc.field
    return None


def test_the_demo_fits_and_covers_many_tables(demo_records):
    district_id, records = demo_records
    assert len({record["table"] for record in records}) >= 8
    check_records(records, district_id)


def deep(levels: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(levels):
        value = [value]
    return value


def near(value: Any) -> st.SearchStrategy[Any]:
    """Values just inside and just outside what a field holds now: the edges a column check has."""
    if isinstance(value, bool):
        return st.sampled_from([not value, 0, 1, None, "true"])
    if isinstance(value, int):
        return st.integers(value - 6, value + 6) | st.sampled_from(
            [0, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -2**63, 10**400, True, float(value), value + 0.5])
    if isinstance(value, float):
        return st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
            [-0.01, 0, 1e300, 1e301, 10**400, value * 2, True, str(value)])
    if isinstance(value, str):
        edits = [value + "x", value[:-1], value.upper(), value + "\x00", "", value + "y" * 3000, value.replace("-", "_"),
                 value[:10], value.replace("T", " "), value + "Z", value.replace("2026", "2026-13")]
        return st.sampled_from(edits) | st.text(max_size=5).map(lambda extra: value + extra)
    if isinstance(value, list):
        sample = value[0] if value else "social_enterprise"
        return st.sampled_from([value + ["x"], value + [sample], value + [None], [deep(40)], deep(40), {},
                                value + [str(sample).upper()], value + [sample + "\x00" if isinstance(sample, str) else 1]])
    if isinstance(value, dict):
        return st.sampled_from([{**value, "x\x00": 1}, {**value, "x": deep(40)}, [value], {**value, "y": 10**400}])
    return JSON_VALUES


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), other=JSON_VALUES)
def test_a_changed_field_is_refused_by_the_columns_exactly_when_one_by_one_refuses_it(demo_records, data, other):
    district_id, records = demo_records
    changed = copy.deepcopy(records)
    victim = changed[data.draw(st.integers(0, len(changed) - 1))]
    field = data.draw(st.sampled_from(sorted(victim["row"])))
    how = data.draw(st.sampled_from(["replace", "replace", "replace", "remove", "add", "list item"]))
    value = data.draw(near(victim["row"][field])) if data.draw(st.booleans()) else other
    if how == "replace":
        victim["row"][field] = copy.deepcopy(value)
    elif how == "remove":
        del victim["row"][field]
    elif how == "add":
        victim["row"][data.draw(st.text(max_size=8))] = value
    elif isinstance(victim["row"][field], list):
        victim["row"][field].append(copy.deepcopy(value))
    assert outcome(check_records, changed, district_id) == outcome(one_by_one, changed, district_id)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), value=JSON_VALUES | st.sampled_from(["district", "nope", None, "insert"]))
def test_a_changed_envelope_is_refused_by_the_columns_exactly_when_one_by_one_refuses_it(demo_records, data, value):
    district_id, records = demo_records
    changed = copy.deepcopy(records)
    victim = changed[data.draw(st.integers(0, len(changed) - 1))]
    key = data.draw(st.sampled_from(["table", "id", "op", "row"]))
    victim[key] = copy.deepcopy(value)
    assert outcome(check_records, changed, district_id) == outcome(one_by_one, changed, district_id)


@pytest.mark.parametrize("change", ["twice", "another district", "not a record", "bool for int", "huge int",
                                    "NUL in text", "deep list", "section id"])
def test_each_kind_of_misfit_in_a_large_chunk_is_found(demo_records, change):
    """A misfit among many fitting rows, in a column where every other value fits."""
    district_id, records = demo_records
    changed = copy.deepcopy(records)
    actors = [r for r in changed if r["table"] == "stakeholder"]
    flows = [r for r in changed if r["table"] == "flow"]
    victim = actors[len(actors) // 2]
    if change == "twice":
        changed.append(copy.deepcopy(victim))
    elif change == "another district":
        victim["row"]["district_id"] = str(uuid.uuid4())
    elif change == "not a record":
        changed.insert(3, ["table", "stakeholder"])
    elif change == "bool for int":
        victim["row"]["influence"] = True
    elif change == "huge int":
        flows[0]["row"]["value_eur"] = 10**400
    elif change == "NUL in text":
        victim["row"]["notes"] = "ok\x00"
    elif change == "deep list":
        victim["row"]["roles"] = [[[]]]
    elif change == "section id":
        section = next(r for r in changed if r["table"] == "charter_section")
        section["row"]["id"] = section["id"] = str(uuid.uuid4())
    found = outcome(check_records, changed, district_id)
    assert found is not None
    assert found == outcome(one_by_one, changed, district_id)
