"""Reading an edge list (who supplies, finances, trains whom) into relations between a district's actors.

The table is any sheet the importer reads (CSV, an XLSX sheet, the connections of a Kumu or Onodo export,
the edges of a GEXF or GraphML file). Each end is found by actor id or by name (case, accents and spacing do
not matter); an end naming nobody is reported, or becomes a new actor when asked. The kind is read like any
vocabulary word (value_mapping), so "fornisce", "liefert" and "supplies" all mean *supplies*. Like the actor
import, nothing is all-or-nothing: a cell that cannot be read is reported by row and left at its default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ssd_starter.core.bulk import collector_paused
from ssd_starter.core.errors import UserError
from ssd_starter.core.importer import CellProblem, ImportRefused, SheetTable, normalize_name
from ssd_starter.core.value_mapping import How, match, normalize
from ssd_starter.core.vocabulary import RelationKind
from ssd_starter.i18n import N_

RELATION_HEADERS: dict[str, tuple[str, ...]] = {
    "source_id": ("source id", "from id", "id origine", "id sorgente", "quell id", "von id"),
    "target_id": ("target id", "to id", "id destinazione", "ziel id", "nach id"),
    "source": ("source", "from", "da", "origine", "sorgente", "fonte", "attore a", "actor a", "von", "quelle",
               "akteur a", "start", "provider", "fornitore"),
    "target": ("target", "to", "a", "destinazione", "verso", "destinatario", "attore b", "actor b", "nach", "an",
               "ziel", "akteur b", "end", "receiver"),
    "kind": ("kind", "type", "tipo", "relazione", "tipo di relazione", "tipo relazione", "connection type",
             "relation", "relationship", "relation type", "relationship type", "art", "typ", "beziehung",
             "beziehungsart", "label"),
    "strength": ("strength", "forza", "intensita", "peso", "weight", "starke", "gewicht", "intensitat"),
    "notes": ("notes", "note", "descrizione", "description", "notizen", "bemerkungen", "beschreibung",
              "kommentar"),
}
DEFAULT_KIND = RelationKind.PARTNERS_WITH.value
DEFAULT_STRENGTH = 2


@dataclass
class RelationPlan:
    new: list[dict[str, Any]]  # source_id, target_id, kind, strength, notes
    updates: list[tuple[str, dict[str, Any]]]  # an existing relation's id and the fields that change
    unchanged: int
    repeated_in_file: list[int]
    missing: dict[str, list[int]]  # an end naming no actor → the rows naming it
    new_actors: list[tuple[str, str]]  # (id, name) of the ends that become actors (create_missing)
    problems: list[CellProblem] = field(default_factory=list)
    total_rows: int = 0


def guess_relation_mapping(headers: list[str]) -> dict[str, int]:
    """field → column, exact header words first; an edge list needs both ends (by id or by name)."""
    normalized = [normalize(h) for h in headers]
    mapping: dict[str, int] = {}
    for name, words in RELATION_HEADERS.items():
        for column, header in enumerate(normalized):
            if header in words and column not in mapping.values():
                mapping[name] = column
                break
    return mapping


def is_edge_list(headers: list[str]) -> bool:
    mapping = guess_relation_mapping(headers)
    return ("source" in mapping or "source_id" in mapping) and ("target" in mapping or "target_id" in mapping)


class _Ends:
    """Finds actors by id or name; with ``create``, a name naming nobody becomes a new actor (once)."""

    def __init__(self, actors: Iterable[Mapping[str, Any]], create: bool) -> None:
        from ssd_starter.core.ids import new_id

        self._new_id = new_id
        self.ids = {a["id"] for a in actors}
        self.by_name: dict[str, str] = {}
        for actor in actors:
            self.by_name.setdefault(normalize_name(actor["name"]), actor["id"])
        self.create = create
        self.created: dict[str, tuple[str, str]] = {}  # normalized name → (id, name as written)
        self._answers: dict[tuple[str, str], str | None] = {}

    def find(self, given_id: str, name: str) -> str | None:
        # An edge list names each actor many times (80,000 relations between 20,000 actors): remember the answer.
        key = (given_id, name)
        try:
            return self._answers[key]
        except KeyError:
            self._answers[key] = found = self._find(given_id, name)
            return found

    def _find(self, given_id: str, name: str) -> str | None:
        given_id = given_id.strip()
        if given_id in self.ids:
            return given_id
        key = normalize_name(name)
        if not key:
            return None
        if key in self.by_name:
            return self.by_name[key]
        if key in self.created:
            return self.created[key][0]
        if self.create:
            self.created[key] = (self._new_id(), name.strip())
            return self.created[key][0]
        return None


@collector_paused()
def plan_relations(table: SheetTable, actors: Iterable[Mapping[str, Any]],
                   existing: Iterable[Mapping[str, Any]], *, create_missing: bool = False,
                   mapping: Mapping[str, int] | None = None) -> RelationPlan:
    """What importing ``table`` as relations would do; refuses only a table that is no edge list."""
    mapping = dict(mapping if mapping is not None else guess_relation_mapping(table.headers))
    if not (("source" in mapping or "source_id" in mapping) and ("target" in mapping or "target_id" in mapping)):
        raise ImportRefused(N_("No columns for the two ends of each relation were found: name one column "
                               "“Source” and one “Target”."))
    ends = _Ends(list(actors), create_missing)
    known = {(r["source_id"], r["target_id"], r["kind"]): r for r in existing}
    plan = RelationPlan(new=[], updates=[], unchanged=0, repeated_in_file=[], missing={}, new_actors=[],
                        total_rows=len(table.rows))
    seen: set[tuple[str, str, str]] = set()
    cells = _cells(mapping)
    kinds: dict[str, Any] = {}  # kind as written → its match: a file repeats a handful of kinds
    for values, number in zip(table.rows, table.row_numbers, strict=True):
        relation = _read_row(table, mapping, cells([*values, ""]), number, ends, plan, kinds)
        if relation is None:
            continue
        key = (relation["source_id"], relation["target_id"], relation["kind"])
        if key in seen:
            plan.repeated_in_file.append(number)
            continue
        seen.add(key)
        _merge(plan, relation, known.get(key))
    plan.new_actors = list(ends.created.values())
    return plan


FIELDS = ("source", "source_id", "target", "target_id", "kind", "strength", "notes")


def _cells(mapping: Mapping[str, int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A row's cells in the order of FIELDS, picked in one C call; a field without a column reads the empty
    cell each row is given at its end (index -1)."""
    return itemgetter(*(mapping.get(name, -1) for name in FIELDS))


def _problem(table: SheetTable, mapping: Mapping[str, int], plan: RelationPlan, number: int, column: str,
             cell: str, message: str, **params: Any) -> None:
    header = table.headers[mapping[column]] if column in mapping else column
    plan.problems.append(CellProblem(number, header, cell, UserError(message, **params)))


def _read_row(table: SheetTable, mapping: Mapping[str, int], cells: tuple[str, ...], number: int, ends: _Ends,
              plan: RelationPlan, kinds: dict[str, Any]) -> dict[str, Any] | None:
    source_name, source_id, target_name, target_id, kind_text, strength_text, notes = cells
    source = ends.find(source_id, source_name)
    target = ends.find(target_id, target_name) if source is not None else None
    if source is None or target is None:
        end, name, given_id = (("source", source_name, source_id) if source is None
                               else ("target", target_name, target_id))
        if name.strip() or given_id.strip():
            plan.missing.setdefault(name.strip() or given_id.strip(), []).append(number)
        else:
            _problem(table, mapping, plan, number, end, "", N_("No actor named: the row was skipped."))
        return None
    if source == target:
        _problem(table, mapping, plan, number, "source", source_name.strip(),
                 N_("A relation needs two different actors."))
        return None
    notes = notes.strip()
    kind = None
    if kind_text:
        if kind_text not in kinds:
            kinds[kind_text] = match(RelationKind, kind_text.strip()) if kind_text.strip() else None
        kind = kinds[kind_text]
    if kind is not None and kind.how == How.UNKNOWN:
        kind_text = kind_text.strip()
        _problem(table, mapping, plan, number, "kind", kind_text,
                 N_("“{value}” is not a kind of relation: kept in the notes."), value=kind_text)
        notes = "\n".join(filter(None, [notes, kind_text]))
    strength = STRENGTHS.get(strength_text) if strength_text else None
    if strength is None and strength_text.strip():
        strength = _strength(strength_text.strip(), lambda column, cell, message, **params: _problem(
            table, mapping, plan, number, column, cell, message, **params))
    return {"source_id": source, "target_id": target,
            "kind": kind.value if kind is not None and kind.value else DEFAULT_KIND,
            "strength": strength, "notes": notes}


STRENGTHS = {"1": 1, "2": 2, "3": 3}  # what nearly every file writes: read without parsing a number


def _strength(text: str, problem: Any) -> int | None:
    """1–3, or None when the file gives none (a new relation then takes the default, an existing one keeps its own)."""
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = float("nan")
    if number.is_integer() and 1 <= number <= 3:
        return int(number)
    problem("strength", text, N_("“{value}” is not a strength from 1 to 3."), value=text)
    return None


def _merge(plan: RelationPlan, relation: dict[str, Any], existing: Mapping[str, Any] | None) -> None:
    """A relation already on the map takes the file's strength and notes (when given); else it is new."""
    if existing is None:
        plan.new.append({**relation, "strength": relation["strength"] or DEFAULT_STRENGTH})
        return
    changes = {k: relation[k] for k in ("strength", "notes") if relation[k] not in ("", None)
               and relation[k] != existing.get(k)}
    if changes:
        plan.updates.append((existing["id"], changes))
    else:
        plan.unchanged += 1
