"""Values that lost when another installation's edit of the same record was merged: kept for the user."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from ssd_starter.core.models import Conflict, table_of
from ssd_starter.store.database import Store
from ssd_starter.store.edits import Update

K = table_of(Conflict)


def open_conflicts(store: Store, district_id: str) -> list[dict[str, Any]]:
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(K).where(K.c.district_id == district_id, K.c.resolved.is_(False))
                                             .order_by(K.c.at)).mappings()]


def settle(store: Store, conflict_id: str) -> None:
    """The user has decided: the conflict leaves the list (local bookkeeping, not synced, not undone)."""
    with store.write() as conn:
        conn.execute(update(K).where(K.c.id == conflict_id).values(resolved=True))


def take_other_value(conflict: dict[str, Any]) -> Update:
    """The edit that puts the losing value back in place of the kept one (undoable like any edit)."""
    return Update(conflict["table_name"], conflict["row_id"], {conflict["field"]: conflict["other"]["value"]})
