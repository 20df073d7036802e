"""Canvas cards: queries, and the edits that add, change, move and remove them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from ssd_starter.core.flows import clean_card
from ssd_starter.core.ids import new_id
from ssd_starter.core.models import CanvasItem, table_of
from ssd_starter.store.database import Store
from ssd_starter.store.edits import Batch, Delete, Edit, Insert, Update

C = table_of(CanvasItem)


def list_canvas_items(store: Store, district_id: str) -> list[dict[str, Any]]:
    """Every card of the district, block by block in their order."""
    query = (select(C).where(C.c.district_id == district_id, C.c.deleted.is_(False), C.c.proposed_by.is_(None))
             .order_by(C.c.block, C.c.position, C.c.text))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def get_card(store: Store, card_id: str) -> dict[str, Any] | None:
    """One card of the board, or None when it is gone (deleted, or only a workshop's proposal)."""
    query = select(C).where(C.c.id == card_id, C.c.deleted.is_(False), C.c.proposed_by.is_(None))
    with store.read() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row is not None else None


def create_card(store: Store, district_id: str, block: str, text: str,
                stakeholder_ids: Sequence[str] = (), *, card_id: str | None = None) -> Insert:
    """A new card at the end of its block."""
    fields = clean_card(block, text, stakeholder_ids)
    last = max((c["position"] for c in list_canvas_items(store, district_id) if c["block"] == block), default=-1)
    return Insert("canvas_item", {"id": card_id or new_id(), "district_id": district_id, "position": last + 1,
                                  **fields})


def update_card_text(card: dict[str, Any], text: str) -> Update:
    return Update("canvas_item", card["id"], {"text": clean_card(card["block"], text)["text"]})


def set_card_stakeholders(card: dict[str, Any], stakeholder_ids: Sequence[str]) -> Update:
    return Update("canvas_item", card["id"],
                  {"stakeholder_ids": clean_card(card["block"], card["text"], stakeholder_ids)["stakeholder_ids"]})


def delete_card(card_id: str) -> Delete:
    return Delete("canvas_item", card_id)


def move_card(store: Store, district_id: str, card_id: str, block: str, index: int) -> Batch:
    """Put a card at ``index`` of ``block`` (from the same block or another), renumbering only what moved.

    One undo step however many neighbours shift.
    """
    clean_card(block, "-")  # validates the block
    cards = list_canvas_items(store, district_id)
    moving = next(c for c in cards if c["id"] == card_id)
    edits: list[Edit] = []
    source = [c for c in cards if c["block"] == moving["block"] and c["id"] != card_id]
    target = [c for c in cards if c["block"] == block and c["id"] != card_id]
    target.insert(max(0, min(index, len(target))), moving)
    for position, card in enumerate(target):
        changes: dict[str, Any] = {}
        if card["position"] != position:
            changes["position"] = position
        if card["id"] == card_id and card["block"] != block:
            changes["block"] = block
        if changes:
            edits.append(Update("canvas_item", card["id"], changes))
    if moving["block"] != block:
        edits += [Update("canvas_item", c["id"], {"position": n})
                  for n, c in enumerate(source) if c["position"] != n]
    return Batch(tuple(edits))
