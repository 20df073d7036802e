"""Districts and their rows: queries, and the edits that change them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from ssd_starter.core.districts import clean_district_fields
from ssd_starter.core.errors import NotFound
from ssd_starter.core.ids import new_id, utc_now
from ssd_starter.core.models import District, Flow, Relation, Stakeholder, table_of
from ssd_starter.i18n import N_
from ssd_starter.store.database import Store
from ssd_starter.store.edits import SYNC_FIELDS, Batch, Delete, Edit, Insert, Update
from ssd_starter.store.stakeholders import list_relations, list_stakeholders

D = table_of(District)
S = table_of(Stakeholder)
R = table_of(Relation)
F = table_of(Flow)


# -- queries ----------------------------------------------------------------------------------

def list_districts(store: Store, *, include_deleted: bool = False) -> list[District]:
    query = select(D).order_by(func.lower(D.c.name))
    if not include_deleted:
        query = query.where(D.c.deleted.is_(False))
    with store.read() as conn:
        return [District(**row) for row in conn.execute(query).mappings()]


def get_district(store: Store, district_id: str, *, include_deleted: bool = False) -> District:
    with store.read() as conn:
        row = conn.execute(select(D).where(D.c.id == district_id)).mappings().first()
    if row is None or (row["deleted"] and not include_deleted):
        raise NotFound(N_("No district with id {id}."), id=district_id)
    return District(**row)


def find_district(store: Store, key: str) -> District:
    """A district by id, unique id prefix (as printed by `district list`) or exact name."""
    districts = list_districts(store)
    exact = [d for d in districts if d.id == key]
    if exact:
        return exact[0]
    matches = [d for d in districts if d.id.startswith(key)] if len(key) >= 4 else []
    if not matches:
        matches = [d for d in districts if d.name.casefold() == key.strip().casefold()]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NotFound(N_("More than one district matches {key}: give the full id."), key=key)
    raise NotFound(N_("No district matches {key}."), key=key)


def count_rows(store: Store, district_id: str) -> dict[str, int]:
    with store.read() as conn:
        actors = conn.execute(select(func.count()).select_from(S).where(
            S.c.district_id == district_id, S.c.deleted.is_(False), S.c.proposed_by.is_(None))).scalar_one()
        relations = conn.execute(select(func.count()).select_from(R).where(
            R.c.district_id == district_id, R.c.deleted.is_(False))).scalar_one()
        flows = conn.execute(select(func.count()).select_from(F).where(
            F.c.district_id == district_id, F.c.deleted.is_(False))).scalar_one()
    return {"stakeholders": actors, "relations": relations, "flows": flows}


# -- edits ------------------------------------------------------------------------------------

def create_district(name: str, *, kind: str = "territorial", sectors: list[str] | None = None,
                    municipalities: list[str] | None = None, language: str = "it", description: str = "",
                    district_id: str | None = None) -> Insert:
    fields = clean_district_fields({
        "name": name, "kind": kind, "sectors": sectors or [], "municipalities": municipalities or [],
        "language": language, "description": description,
    })
    return Insert("district", {"id": district_id or new_id(), "created_at": utc_now(), **fields})


def update_district(district_id: str, **fields: Any) -> Update:
    return Update("district", district_id, clean_district_fields(fields))


def delete_district(district_id: str) -> Delete:
    return Delete("district", district_id)


def duplicate_district(store: Store, district_id: str, new_name: str) -> Batch:
    """A copy with new ids throughout, relations pointing at the copied actors."""
    source = get_district(store, district_id)
    copy_id = new_id()
    edits: list[Edit] = [create_district(
        new_name, kind=source.kind, sectors=list(source.sectors), municipalities=list(source.municipalities),
        language=source.language, description=source.description, district_id=copy_id)]
    id_map: dict[str, str] = {}
    for row in list_stakeholders(store, district_id):
        id_map[row["id"]] = new_id()
        values = {k: v for k, v in row.items() if k not in SYNC_FIELDS}
        values.update(id=id_map[row["id"]], district_id=copy_id)
        edits.append(Insert("stakeholder", values))
    for row in list_relations(store, district_id):
        values = {k: v for k, v in row.items() if k not in SYNC_FIELDS}
        values.update(id=new_id(), district_id=copy_id, source_id=id_map[row["source_id"]],
                      target_id=id_map[row["target_id"]])
        edits.append(Insert("relation", values))
    edits += _copied_canvas_and_flows(store, district_id, copy_id, id_map)
    if source.targets:
        edits.append(Update("district", copy_id, {"targets": dict(source.targets)}))
    return Batch(tuple(edits))


def _copied_canvas_and_flows(store: Store, district_id: str, copy_id: str, id_map: dict[str, str]) -> list[Edit]:
    from ssd_starter.store.canvas import list_canvas_items
    from ssd_starter.store.flows import list_flows, list_scenarios

    edits: list[Edit] = []
    card_map: dict[str, str] = {}
    for row in list_canvas_items(store, district_id):
        card_map[row["id"]] = new_id()
        values = {k: v for k, v in row.items() if k not in SYNC_FIELDS}
        values.update(id=card_map[row["id"]], district_id=copy_id,
                      stakeholder_ids=[id_map[s] for s in row["stakeholder_ids"] if s in id_map])
        edits.append(Insert("canvas_item", values))
    flow_map: dict[str, str] = {}
    for row in list_flows(store, district_id):
        flow_map[row["id"]] = new_id()
        values = {k: v for k, v in row.items() if k not in SYNC_FIELDS}
        values.update(id=flow_map[row["id"]], district_id=copy_id, source_id=id_map.get(row["source_id"]),
                      target_id=id_map.get(row["target_id"]), canvas_item_id=card_map.get(row["canvas_item_id"]),
                      relation_id=None)
        edits.append(Insert("flow", values))
    for row in list_scenarios(store, district_id):
        values = {k: v for k, v in row.items() if k not in SYNC_FIELDS}
        values.update(id=new_id(), district_id=copy_id, changes=_copied_changes(row["changes"], id_map, flow_map))
        edits.append(Insert("scenario", values))
    return edits


def _copied_changes(changes: list[dict[str, Any]], id_map: dict[str, str], flow_map: dict[str, str]) -> list[dict]:
    """A scenario's changes pointed at the copied actors and flows (its own new actors get new ids too)."""
    actors = dict(id_map)
    copied: list[dict[str, Any]] = []
    for change in changes:
        if change["op"] == "add_actor":
            actors[change["actor"]["id"]] = new_id()
            copied.append({**change, "actor": {**change["actor"], "id": actors[change["actor"]["id"]]}})
        elif change["op"] == "add_flow":
            flow = change["flow"]
            copied.append({**change, "flow": {**flow, "id": new_id(), "source_id": actors.get(flow["source_id"]),
                                              "target_id": actors.get(flow["target_id"]), "relation_id": None,
                                              "canvas_item_id": None}})
        else:
            copied.append({**change, "flow_id": flow_map.get(change["flow_id"], change["flow_id"])})
    return copied


def copy_name(store: Store, name: str) -> str:
    """'Name (copy)', 'Name (copy 2)'… — the first not already used."""
    from ssd_starter.i18n import _

    taken = {d.name for d in list_districts(store)}
    candidate = _("{name} (copy)").format(name=name)
    n = 2
    while candidate in taken:
        candidate = _("{name} (copy {n})").format(name=name, n=n)
        n += 1
    return candidate


def stable_id(namespace: str, key: str) -> str:
    """Deterministic ids for shipped content (the demo), so loading it again refreshes, not duplicates."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ssd-starter:{namespace}:{key}"))
