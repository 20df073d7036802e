"""Stakeholder rules: field validation shared by the GUI, the CLI and importers."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import cache
from typing import Any

from ssd_starter.core.errors import ValidationError
from ssd_starter.core.vocabulary import Attitude, Category, RelationKind, Role, Sector, Stage
from ssd_starter.i18n import N_

TEXT_MAX = 2_000
STAKEHOLDER_FIELDS = (
    "name", "category", "sector", "municipality", "roles", "influence", "interest", "attitude", "stage",
    "contact_person", "email", "phone", "consent", "consent_date", "consent_purpose", "notes",
)
RELATION_FIELDS = ("source_id", "target_id", "kind", "strength", "notes")
FIELD_LABELS = {
    "name": N_("Name"), "category": N_("Category"), "sector": N_("Sector"), "municipality": N_("Municipality"),
    "roles": N_("Roles"), "influence": N_("Influence"), "interest": N_("Interest"), "attitude": N_("Attitude"),
    "stage": N_("Stage"), "strength": N_("Strength"), "contact_person": N_("Contact person"),
    "email": N_("E-mail"), "phone": N_("Phone"), "consent": N_("Consent"), "consent_date": N_("Consent date"),
    "consent_purpose": N_("Purpose of consent"), "notes": N_("Notes"),
}


def _label(field: str) -> str:
    from ssd_starter.i18n import _

    return _(FIELD_LABELS.get(field, field))


@cache
def _values(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


def _choice(field: str, value: Any, allowed: type[StrEnum], message: str) -> str:
    if value not in _values(allowed):
        raise ValidationError(field, message, value=value)
    return str(value)


def _score(field: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, N_("{label} must be a whole number from {low} to {high}."),
                              label=_label(field), low=low, high=high)
    return value


def _text(field: str, value: Any, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError(field, N_("An actor needs a name."))
    if len(text) > TEXT_MAX:
        raise ValidationError(field, N_("{label} is longer than {limit} characters."), label=_label(field),
                              limit=TEXT_MAX)
    return text


def clean_stakeholder_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise ValueError(f"not stakeholder fields: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "name":
            clean[key] = _text(key, value, required=True)
        elif key == "category":
            clean[key] = _choice(key, value, Category, N_("Unknown category: {value}."))
        elif key == "sector":
            clean[key] = None if not value else _choice(key, value, Sector, N_("Unknown sector: {value}."))
        elif key == "roles":
            roles = list(dict.fromkeys(value or []))
            clean[key] = [_choice(key, r, Role, N_("Unknown role: {value}.")) for r in roles]
        elif key in ("influence", "interest"):
            clean[key] = _score(key, value, 1, 5)
        elif key == "attitude":
            clean[key] = _choice(key, value, Attitude, N_("Unknown attitude: {value}."))
        elif key == "stage":
            clean[key] = _choice(key, value, Stage, N_("Unknown engagement stage: {value}."))
        elif key == "consent":
            clean[key] = bool(value)
        elif key == "consent_date":
            clean[key] = dt.date.fromisoformat(value) if isinstance(value, str) and value else (value or None)
        else:
            clean[key] = _text(key, value)
    return clean


def clean_relation_fields(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "kind":
            clean[key] = _choice(key, value, RelationKind, N_("Unknown relation kind: {value}."))
        elif key == "strength":
            clean[key] = _score(key, value, 1, 3)
        elif key in ("source_id", "target_id"):
            clean[key] = str(value)
        elif key == "notes":
            clean[key] = _text(key, value)
        else:
            raise ValueError(f"not a relation field: {key}")
    if clean.get("source_id") and clean.get("source_id") == clean.get("target_id"):
        raise ValidationError("target_id", N_("A relation needs two different actors."))
    return clean
