"""Comments from the Centre's advisors, kept next to the records they are about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from ssd_starter.core.models import Comment, table_of
from ssd_starter.store.database import Store

C = table_of(Comment)


def last_comment_seq(store: Store, district_id: str) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.max(C.c.centre_seq)).where(C.c.district_id == district_id)).scalar()
                   or 0)


def save_comments(store: Store, district_id: str, comments: Iterable[Mapping[str, Any]], last: int) -> int:
    """Store the comments not seen yet (a comment arriving twice is kept once); return how many were new."""
    with store.write() as conn:
        return insert_new_comments(conn, district_id, comments)


def insert_new_comments(conn: Connection, district_id: str, comments: Iterable[Mapping[str, Any]]) -> int:
    """``save_comments`` inside a write already open (a reply bundle's import writes them with the review)."""
    known = {row[0] for row in conn.execute(select(C.c.id))}  # ids are unique everywhere, not per district
    fresh = []
    for comment in comments:
        if comment["id"] in known or comment["district_id"] != district_id:
            continue
        created = comment["created_at"]
        if isinstance(created, str):
            created = dt.datetime.fromisoformat(created)
        if created.tzinfo is None:  # a Centre on SQLite returns its UTC times without a zone
            created = created.replace(tzinfo=dt.UTC)
        fresh.append({"id": comment["id"], "district_id": district_id, "table_name": comment["table_name"],
                      "row_id": comment["row_id"], "author": comment["author"], "text": comment["text"],
                      "created_at": created, "resolved": bool(comment.get("resolved")),
                      "centre_seq": int(comment["seq"])})
        known.add(comment["id"])
    if fresh:
        conn.execute(insert(C), fresh)  # one executemany, however many arrive
    return len(fresh)


def comments_on(store: Store, district_id: str, table: str | None = None,
                row_id: str | None = None) -> list[dict[str, Any]]:
    query = select(C).where(C.c.district_id == district_id)
    if table:
        query = query.where(C.c.table_name == table)
    if row_id:
        query = query.where(C.c.row_id == row_id)
    with store.read() as conn:
        return [dict(r) for r in conn.execute(query.order_by(C.c.created_at)).mappings()]
