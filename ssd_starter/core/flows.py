"""Rules for canvas cards and resource flows, shared by the GUI, the CLI and scenarios.

A flow is validated as a whole (``clean_flow``) because its fields depend on each other: the unit
must suit the kind, a money flow's quantity *is* its value, and the two ends must differ. The
limits on numbers are there to catch slips (an extra three zeros), not to judge a district.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from ssd_starter.core.errors import ValidationError
from ssd_starter.core.vocabulary import UNITS_BY_KIND, CanvasBlock, FlowKind, FlowPurpose, Unit
from ssd_starter.i18n import N_, format_number

FLOW_FIELDS = ("source_id", "target_id", "kind", "description", "quantity", "unit", "value_eur",
               "canvas_item_id", "relation_id", "purpose")
CARD_TEXT_MAX = 1_000
DESCRIPTION_MAX = 500
MAX_VALUE_EUR = 1_000_000_000.0  # a billion euro a year: far beyond any district, so surely a typing slip
MAX_QUANTITY = 1_000_000_000.0
OUTSIDE = None  # the end of a flow that lies outside the district


def units_for(kind: str) -> tuple[Unit, ...]:
    return UNITS_BY_KIND[FlowKind(kind)]


def default_unit(kind: str) -> str:
    return units_for(kind)[0].value


def _number(field: str, value: Any, limit: float, *, label: str) -> float:
    if isinstance(value, bool):
        raise ValidationError(field, N_("{label} must be a number."), label=label)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(field, N_("{label} must be a number."), label=label) from None
    if math.isnan(number) or math.isinf(number):
        raise ValidationError(field, N_("{label} must be a number."), label=label)
    if number < 0:
        raise ValidationError(field, N_("{label} cannot be negative."), label=label)
    if number > limit:
        raise ValidationError(field, N_("{label} is implausibly large (more than {limit}): check the zeros."),
                              label=label, limit=format_number(limit))
    return number


def _label(text: str) -> str:
    from ssd_starter.i18n import _

    return _(text)


def clean_flow(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A complete, consistent flow from user input; raises ``ValidationError`` naming the field."""
    unknown = set(fields) - set(FLOW_FIELDS)
    if unknown:
        raise ValueError(f"not flow fields: {sorted(unknown)}")
    kind = fields.get("kind", FlowKind.GOODS.value)
    if kind not in {k.value for k in FlowKind}:
        raise ValidationError("kind", N_("Unknown kind of flow: {value}."), value=kind)
    source = fields.get("source_id") or OUTSIDE
    target = fields.get("target_id") or OUTSIDE
    if source is OUTSIDE and target is OUTSIDE:
        raise ValidationError("source_id", N_("A flow needs at least one actor of the district at one end."))
    if source == target:
        raise ValidationError("target_id", N_("A flow cannot go from an actor to itself."))
    description = str(fields.get("description") or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError("description", N_("The description is longer than {limit} characters."),
                              limit=DESCRIPTION_MAX)
    value = _number("value_eur", fields.get("value_eur") or 0, MAX_VALUE_EUR, label=_label(N_("Value")))
    unit = str(fields.get("unit") or "")
    quantity_in = fields.get("quantity")
    quantity: float | None
    if kind == FlowKind.MONEY:
        # the amount of money moved is its value: one number, not two that could disagree
        if unit not in ("", Unit.EUR):
            raise ValidationError("unit", N_("Money is counted in EUR, not in {unit}."), unit=unit)
        unit, quantity = Unit.EUR.value, value
    elif quantity_in in (None, ""):
        quantity = None
        unit = unit or default_unit(kind)
    else:
        quantity = _number("quantity", quantity_in, MAX_QUANTITY, label=_label(N_("Quantity")))
    if unit not in {u.value for u in units_for(kind)}:
        raise ValidationError("unit", N_("The unit {unit} does not fit a flow of {kind}: use {allowed}."),
                              unit=unit or "—", kind=FlowKind(kind).label,
                              allowed=", ".join(u.label for u in units_for(kind)))
    return {
        "source_id": source, "target_id": target, "kind": kind, "description": description,
        "quantity": quantity, "unit": unit, "value_eur": value,
        "canvas_item_id": fields.get("canvas_item_id") or None, "relation_id": fields.get("relation_id") or None,
        "purpose": _purpose(kind, fields.get("purpose")),
    }


def _purpose(kind: str, purpose: Any) -> str | None:
    """A money flow's purpose (a payment unless told otherwise); the other kinds have none."""
    if kind != FlowKind.MONEY:
        if purpose:
            raise ValidationError("purpose", N_("Only a flow of money has a purpose (payment, loan, grant…)."))
        return None
    if not purpose:
        return FlowPurpose.PAYMENT.value
    if purpose not in {p.value for p in FlowPurpose}:
        raise ValidationError("purpose", N_("Unknown purpose of a money flow: {value}. Use {allowed}."),
                              value=purpose, allowed=", ".join(p.value for p in FlowPurpose))
    return str(purpose)


# Words that make a money flow's description read like a loan ("Mutuo per il secondo impianto"): the start
# of a word, in any case. A flow stored before purposes existed and described so is asked about, not changed.
LOAN_WORDS = ("mutuo", "mutui", "prestito", "prestiti", "finanziamento", "finanziamenti", "microcredito",
              "darlehen", "kredit", "loan", "microcredit")


def suggests_loan(description: str | None) -> bool:
    words = re.findall(r"\w+", (description or "").casefold())
    return any(word.startswith(LOAN_WORDS) for word in words)


def clean_card(block: Any, text: Any, stakeholder_ids: Any = ()) -> dict[str, Any]:
    if block not in {b.value for b in CanvasBlock}:
        raise ValidationError("block", N_("Unknown canvas block: {value}."), value=block)
    clean_text = str(text or "").strip()
    if not clean_text:
        raise ValidationError("text", N_("A card needs some text."))
    if len(clean_text) > CARD_TEXT_MAX:
        raise ValidationError("text", N_("A card holds at most {limit} characters."), limit=CARD_TEXT_MAX)
    return {"block": str(block), "text": clean_text, "stakeholder_ids": list(dict.fromkeys(stakeholder_ids or ()))}


# A relation says who deals with whom; the flow it suggests goes the way the resource moves.
_FROM_RELATION: dict[str, tuple[str, bool]] = {  # relation kind → (flow kind, reversed?)
    "supplies": ("goods", False),
    "buys_from": ("goods", True),  # A buys from B: the goods go from B to A
    "finances": ("money", False),
    "places_workers": ("labour", False),
    "trains": ("knowledge", False),
    "partners_with": ("services", False),
    "governs": ("services", False),
}
_MONEY_BLOCKS = {"costs": False, "revenues": True, "surplus": False}  # block → money comes from outside?


def flow_from_relation(relation: Mapping[str, Any]) -> dict[str, Any]:
    """The starting fields of a flow drawn from a relation of the map (the user completes the numbers)."""
    kind, backwards = _FROM_RELATION.get(relation["kind"], ("services", False))
    source, target = relation["source_id"], relation["target_id"]
    if backwards:
        source, target = target, source
    return {"source_id": source, "target_id": target, "kind": kind, "description": relation.get("notes") or "",
            "quantity": None, "unit": default_unit(kind), "value_eur": 0.0, "relation_id": relation["id"],
            # a financer's money is financing until the promoter says otherwise (it can be a grant, too)
            "purpose": FlowPurpose.LOAN.value if relation["kind"] == "finances" else None}


def flow_from_card(card: Mapping[str, Any]) -> dict[str, Any]:
    """The starting fields of a flow drawn from a canvas card: between its first two actors, or with outside.

    Costs and surplus are money leaving the card's actor; revenues are money coming to it.
    """
    actors = list(card["stakeholder_ids"])
    first = actors[0] if actors else None
    second = actors[1] if len(actors) > 1 else None
    kind = "money" if card["block"] in _MONEY_BLOCKS else "goods"
    source, target = first, second
    if _MONEY_BLOCKS.get(card["block"]):
        source, target = second, first
    return {"source_id": source, "target_id": target, "kind": kind, "description": card["text"][:DESCRIPTION_MAX],
            "quantity": None, "unit": default_unit(kind), "value_eur": 0.0, "canvas_item_id": card["id"]}
