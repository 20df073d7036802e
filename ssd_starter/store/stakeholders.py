"""Stakeholders and relations: queries, and the edits that change them (each returns its inverse via the store)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ssd_starter.core.bulk import collector_paused
from ssd_starter.core.errors import NotFound, UserError, ValidationError
from ssd_starter.core.ids import new_id, new_ids
from ssd_starter.core.importer import ImportPlan
from ssd_starter.core.models import Relation, Stakeholder, table_of
from ssd_starter.core.relation_import import RelationPlan
from ssd_starter.core.stakeholders import STAKEHOLDER_FIELDS, clean_relation_fields, clean_stakeholder_fields
from ssd_starter.i18n import N_, N_plural
from ssd_starter.store.database import Store
from ssd_starter.store.edits import Batch, Delete, Edit, Insert, InsertMany, Update

S = table_of(Stakeholder)
R = table_of(Relation)

STAKEHOLDER_DEFAULTS: dict[str, Any] = {
    "influence": 3, "interest": 3, "category": "association", "attitude": "neutral", "stage": "identified",
    "roles": [], "sector": None, "municipality": "", "contact_person": "", "email": "", "phone": "",
    "consent": False, "consent_date": None, "consent_purpose": "", "notes": "",
}
PERSONAL_FIELDS = ("contact_person", "email", "phone")


# -- queries ----------------------------------------------------------------------------------

def list_stakeholders(store: Store, district_id: str) -> list[dict[str, Any]]:
    query = (select(S).where(S.c.district_id == district_id, S.c.deleted.is_(False), S.c.proposed_by.is_(None))
             .order_by(func.lower(S.c.name)))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def actor_names(store: Store, district_id: str) -> list[dict[str, Any]]:
    """Each actor's id and name, no more, in the map's order (by name): what finding the two ends of 80,000
    relations needs, and lists that only name the actors."""
    query = (select(S.c.id, S.c.name).where(S.c.district_id == district_id, S.c.deleted.is_(False),
                                            S.c.proposed_by.is_(None)).order_by(func.lower(S.c.name)))
    with store.read() as conn:
        return [{"id": actor_id, "name": name} for actor_id, name in conn.execute(query)]


def list_relations(store: Store, district_id: str) -> list[dict[str, Any]]:
    query = select(R).where(R.c.district_id == district_id, R.c.deleted.is_(False))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def relation_ties(store: Store, district_id: str) -> list[dict[str, Any]]:
    """The district's relations as the network draws them: their two ends, kind and strength, no more. A
    fifth of ``list_relations``' memory (20,000 relations: 5 MB instead of 22), the ends' ids shared."""
    query = select(R.c.source_id, R.c.target_id, R.c.kind, R.c.strength).where(
        R.c.district_id == district_id, R.c.deleted.is_(False))
    ids: dict[str, str] = {}
    with store.read() as conn:
        return [{"source_id": ids.setdefault(source, source), "target_id": ids.setdefault(target, target),
                 "kind": kind, "strength": strength} for source, target, kind, strength in conn.execute(query)]


def get_stakeholder(store: Store, stakeholder_id: str) -> dict[str, Any]:
    with store.read() as conn:
        row = conn.execute(select(S).where(S.c.id == stakeholder_id, S.c.deleted.is_(False))).mappings().first()
    if row is None:
        raise NotFound(N_("No actor with id {id}."), id=stakeholder_id)
    return dict(row)


def get_relation(store: Store, relation_id: str) -> dict[str, Any] | None:
    """One relation, or None when it is gone."""
    with store.read() as conn:
        row = conn.execute(select(R).where(R.c.id == relation_id, R.c.deleted.is_(False))).mappings().first()
    return dict(row) if row is not None else None


def map_actor(store: Store, stakeholder_id: str) -> dict[str, Any] | None:
    """An actor as the map shows it, or None: deleted, or a workshop's proposal not yet accepted."""
    with store.read() as conn:
        row = conn.execute(select(S).where(S.c.id == stakeholder_id, S.c.deleted.is_(False),
                                           S.c.proposed_by.is_(None))).mappings().first()
    return None if row is None else dict(row)


def find_stakeholder(store: Store, district_id: str, key: str) -> dict[str, Any]:
    """By id, unique id prefix (≥ 4 characters) or exact name (case-insensitive)."""
    rows = list_stakeholders(store, district_id)
    matches = [r for r in rows if r["id"] == key]
    if not matches and len(key) >= 4:
        matches = [r for r in rows if r["id"].startswith(key)]
    if not matches:
        matches = [r for r in rows if r["name"].casefold() == key.strip().casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NotFound(N_("More than one actor matches {key}: give the full id."), key=key)
    raise NotFound(N_("No actor matches {key}."), key=key)


def relations_of(store: Store, stakeholder_id: str) -> list[dict[str, Any]]:
    query = select(R).where((R.c.source_id == stakeholder_id) | (R.c.target_id == stakeholder_id),
                            R.c.deleted.is_(False))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


# -- edits ------------------------------------------------------------------------------------

def create_stakeholder(district_id: str, fields: dict[str, Any], *, stakeholder_id: str | None = None) -> Insert:
    values = dict(STAKEHOLDER_DEFAULTS)
    values.update(clean_stakeholder_fields(fields))
    return Insert("stakeholder", {"id": stakeholder_id or new_id(), "district_id": district_id, **values})


def update_stakeholder(stakeholder_id: str, **fields: Any) -> Update:
    return Update("stakeholder", stakeholder_id, clean_stakeholder_fields(fields))


class HasFlows(UserError):
    """Deleting an actor that still has resource flows: the caller must say what becomes of them."""

    def __init__(self, count: int) -> None:
        super().__init__(N_plural("This actor has {count} resource flow: move it to outside the district, or "
                                  "delete it too.",
                                  "This actor has {count} resource flows: move them to outside the district, or "
                                  "delete them too."), count=count)
        self.count = count


def delete_stakeholder(store: Store, stakeholder_id: str, *, flows: str | None = None) -> Batch:
    """The actor and its relations, as one undoable step (see ``delete_stakeholders``)."""
    return delete_stakeholders(store, [stakeholder_id], flows=flows)


def delete_stakeholders(store: Store, stakeholder_ids: list[str], *, flows: str | None = None) -> Batch:
    """Actors and their relations, as one undoable step.

    Their resource flows either move to *outside* (``flows="outside"``: the money still moved, only not
    within the district) or are deleted (``flows="delete"``); with ``None`` actors with flows are refused.
    A flow between two of the actors, or to one of them from outside, cannot move (it would join outside to
    outside) and goes with them either way.
    """
    from ssd_starter.store.flows import flows_of  # flows build on stakeholders

    gone = set(stakeholder_ids)
    touched = {f["id"]: f for actor in stakeholder_ids for f in flows_of(store, actor)}
    if flows is None and touched:
        raise HasFlows(len(touched))
    edits: list[Edit] = []
    seen_relations: set[str] = set()
    for actor in stakeholder_ids:
        for relation in relations_of(store, actor):
            if relation["id"] not in seen_relations:
                seen_relations.add(relation["id"])
                edits.append(Delete("relation", relation["id"]))
    for flow in touched.values():
        ends = {"source_id": flow["source_id"], "target_id": flow["target_id"]}
        moved = {end: None for end, actor in ends.items() if actor in gone}
        if flows == "delete" or all(actor is None or actor in gone for actor in ends.values()):
            edits.append(Delete("flow", flow["id"]))
        else:
            edits.append(Update("flow", flow["id"], moved))
    edits += [Delete("stakeholder", actor) for actor in stakeholder_ids]
    return Batch(tuple(edits))


def create_relation(district_id: str, fields: dict[str, Any], *, relation_id: str | None = None) -> Insert:
    values: dict[str, Any] = {"kind": "partners_with", "strength": 2, "notes": ""}
    values.update(clean_relation_fields(fields))
    if "source_id" not in values or "target_id" not in values:
        raise ValidationError("source_id", N_("A relation needs two different actors."))
    return Insert("relation", {"id": relation_id or new_id(), "district_id": district_id, **values})


def update_relation(relation_id: str, **fields: Any) -> Update:
    return Update("relation", relation_id, clean_relation_fields(fields))


def delete_relation(relation_id: str) -> Delete:
    return Delete("relation", relation_id)


def merge_stakeholders(store: Store, keep_id: str, other_id: str) -> Batch:
    """Fold a duplicate into ``keep``: empty fields are filled from it, its relations move over
    (dropping any that would become a loop or repeat an existing one), then it is deleted."""
    if keep_id == other_id:
        raise ValidationError("other", N_("An actor cannot be merged with itself."))
    keep, other = get_stakeholder(store, keep_id), get_stakeholder(store, other_id)
    filled = {}
    for field in STAKEHOLDER_FIELDS:
        if field == "roles":
            roles = list(dict.fromkeys([*keep["roles"], *other["roles"]]))
            if roles != keep["roles"]:
                filled["roles"] = roles
        elif field in ("influence", "interest"):
            if other[field] > keep[field]:
                filled[field] = other[field]
        elif not keep[field] and other[field]:
            filled[field] = other[field]
    if filled.get("consent") is True or ("email" in filled and not keep["consent"]):
        # contact details arrive only with their own consent record
        filled.update(consent=other["consent"], consent_date=other["consent_date"],
                      consent_purpose=other["consent_purpose"])
    edits: list[Edit] = []
    if filled:
        edits.append(Update("stakeholder", keep_id, filled))
    existing = {(r["source_id"], r["target_id"], r["kind"]) for r in relations_of(store, keep_id)}
    for relation in relations_of(store, other_id):
        source = keep_id if relation["source_id"] == other_id else relation["source_id"]
        target = keep_id if relation["target_id"] == other_id else relation["target_id"]
        if source == target or (source, target, relation["kind"]) in existing:
            edits.append(Delete("relation", relation["id"]))
            continue
        existing.add((source, target, relation["kind"]))
        edits.append(Update("relation", relation["id"], {"source_id": source, "target_id": target}))
    from ssd_starter.store.flows import move_flows

    edits += move_flows(store, other_id, keep_id)
    edits += _relink(store, other_id, keep_id)
    edits.append(Delete("stakeholder", other_id))
    return Batch(tuple(edits))


def _relink(store: Store, from_id: str, to_id: str) -> list[Edit]:
    """Cards and workshop participants that named the merged-away actor name the one that stays."""
    from ssd_starter.core.models import CanvasItem, Participant

    cards, people = table_of(CanvasItem), table_of(Participant)
    edits: list[Edit] = []
    with store.read() as conn:
        for card in conn.execute(select(cards.c.id, cards.c.stakeholder_ids).where(cards.c.deleted.is_(False))):
            if from_id in card.stakeholder_ids:
                linked = list(dict.fromkeys(to_id if i == from_id else i for i in card.stakeholder_ids))
                edits.append(Update("canvas_item", card.id, {"stakeholder_ids": linked}))
        for person in conn.execute(select(people.c.id).where(people.c.stakeholder_id == from_id)):
            edits.append(Update("participant", person.id, {"stakeholder_id": to_id}))
    return edits


@collector_paused()
def import_stakeholders(district_id: str, plan: ImportPlan, *, merge_duplicates: bool) -> Batch:
    """One undoable step: the new actors in bulk; duplicates either fill the existing actor or are skipped."""
    ids = new_ids(len(plan.new))
    rows = [{**STAKEHOLDER_DEFAULTS, **fields, "id": row_id, "district_id": district_id}
            for fields, row_id in zip(plan.new, ids, strict=True)]
    edits: list[Edit] = [InsertMany("stakeholder", tuple(rows))]
    if merge_duplicates:
        for _row, fields, existing_id in plan.duplicates:
            changes = {k: v for k, v in fields.items() if k != "name" and v not in (None, "", [])}
            if changes:
                edits.append(Update("stakeholder", existing_id, changes))
    return Batch(tuple(edits))


@collector_paused()
def import_relations(district_id: str, plan: RelationPlan) -> Batch:
    """One undoable step: the actors the file named and the map lacked (when asked for), the new relations,
    and the strength and notes the file gives for relations already on the map."""
    actors = [{**STAKEHOLDER_DEFAULTS, "id": actor_id, "name": name, "district_id": district_id}
              for actor_id, name in plan.new_actors]
    relations = [{"kind": "partners_with", "strength": 2, "notes": "", **fields, "id": row_id,
                  "district_id": district_id} for fields, row_id in zip(plan.new, new_ids(len(plan.new)), strict=True)]
    edits: list[Edit] = []
    if actors:
        edits.append(InsertMany("stakeholder", tuple(actors)))
    if relations:
        edits.append(InsertMany("relation", tuple(relations)))
    edits.extend(Update("relation", relation_id, changes) for relation_id, changes in plan.updates)
    return Batch(tuple(edits))
