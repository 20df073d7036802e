"""Network-view positions: per-device view state, written in bulk and not change-logged for sync
(another device lays the map out its own way)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert

from ssd_starter.core.models import MapPosition, Stakeholder, table_of
from ssd_starter.store.database import Store

P = table_of(MapPosition)
S = table_of(Stakeholder)


def load_positions(store: Store, district_id: str) -> tuple[dict[str, tuple[float, float]], set[str]]:
    query = select(P).join(S, S.c.id == P.c.stakeholder_id).where(S.c.district_id == district_id)
    with store.read() as conn:
        rows = conn.execute(query).mappings().all()
    return {r["stakeholder_id"]: (r["x"], r["y"]) for r in rows}, {r["stakeholder_id"] for r in rows if r["pinned"]}


def save_positions(store: Store, positions: Mapping[str, tuple[float, float]], pinned: Iterable[str] = (),
                   unpinned: Iterable[str] = ()) -> None:
    """Upsert positions; ``pinned``/``unpinned`` change the pin of those actors, others keep theirs."""
    pinned, unpinned = set(pinned), set(unpinned)
    rows = [{"stakeholder_id": a, "x": x, "y": y, "pinned": a in pinned} for a, (x, y) in positions.items()]
    if not rows:
        return
    statement = insert(P)
    changes = {"x": statement.excluded.x, "y": statement.excluded.y}
    with store.write() as conn:
        conn.execute(statement.on_conflict_do_update(index_elements=["stakeholder_id"], set_=changes), rows)
        if pinned or unpinned:
            conn.execute(P.update().where(P.c.stakeholder_id.in_(pinned)).values(pinned=True))
            conn.execute(P.update().where(P.c.stakeholder_id.in_(unpinned)).values(pinned=False))


def save_positions_by_name(store: Store, district_id: str, positions: Mapping[str, tuple[float, float]]) -> int:
    """Positions read from a graph file, keyed by the actor's folded name (graph_import), for the district's
    actors of those names; pinned, so the layout drawn in Gephi stays. How many were placed."""
    from ssd_starter.core.value_mapping import normalize

    with store.read() as conn:
        actors = conn.execute(select(S.c.id, S.c.name).where(S.c.district_id == district_id,
                                                               S.c.deleted.is_(False))).all()
    placed = {actor_id: positions[normalize(name)] for actor_id, name in actors if normalize(name) in positions}
    save_positions(store, placed, pinned=placed)
    return len(placed)
