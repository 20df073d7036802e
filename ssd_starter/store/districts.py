"""Districts and their rows: queries, and the edits that change them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from ssd_starter.core.districts import clean_district_fields
from ssd_starter.core.errors import NotFound
from ssd_starter.core.models import District, Relation, Stakeholder, new_id, table_of, utc_now
from ssd_starter.i18n import N_
from ssd_starter.store.database import Store
from ssd_starter.store.edits import SYNC_FIELDS, Batch, Delete, Edit, Insert, Update
from ssd_starter.store.stakeholders import list_relations, list_stakeholders

D = table_of(District)
S = table_of(Stakeholder)
R = table_of(Relation)


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
            S.c.district_id == district_id, S.c.deleted.is_(False))).scalar_one()
        relations = conn.execute(select(func.count()).select_from(R).where(
            R.c.district_id == district_id, R.c.deleted.is_(False))).scalar_one()
    return {"stakeholders": actors, "relations": relations}


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
    return Batch(tuple(edits))


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
