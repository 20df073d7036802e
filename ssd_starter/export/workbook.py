"""The stakeholder map as one XLSX workbook for people: an actors sheet and a relations sheet, headers and
values in the chosen language (the importer reads them back in any of the three), relations naming their
actors and keeping the ids for an exact round trip.

Text is written as text: openpyxl would store a cell starting with "=" as a formula, which a spreadsheet
runs on opening (CSV injection), so every string cell is marked as a string."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from ssd_starter.core.stakeholders import FIELD_LABELS
from ssd_starter.core.vocabulary import Attitude, Category, RelationKind, Role, Sector, Stage, label_of
from ssd_starter.i18n import N_, _

ACTOR_HEADERS: tuple[tuple[str, str], ...] = (
    ("name", N_("Name")), ("category", N_("Category")), ("sector", N_("Sector")),
    ("municipality", N_("Municipality")), ("roles", N_("Roles")), ("influence", N_("Influence")),
    ("interest", N_("Interest")), ("attitude", N_("Attitude")), ("stage", N_("Stage")), ("notes", N_("Notes")),
)
PERSONAL_HEADERS: tuple[tuple[str, str], ...] = (
    ("contact_person", FIELD_LABELS["contact_person"]), ("email", FIELD_LABELS["email"]),
    ("phone", FIELD_LABELS["phone"]), ("consent", N_("Consent")), ("consent_date", N_("Consent date")),
    ("consent_purpose", FIELD_LABELS["consent_purpose"]),
)
RELATION_HEADERS: tuple[tuple[str, str], ...] = (
    ("source", N_("From")), ("target", N_("To")), ("kind", N_("Kind")), ("strength", N_("Strength")),
    ("notes", N_("Notes")), ("source_id", N_("Source id")), ("target_id", N_("Target id")),
)
LABELLED = {"category": Category, "sector": Sector, "attitude": Attitude, "stage": Stage}


def actor_cells(actor: Mapping[str, Any], personal: bool) -> list[Any]:
    cells: list[Any] = []
    for key, _label in ACTOR_HEADERS:
        value = actor.get(key)
        if key in LABELLED:
            cells.append(label_of(LABELLED[key], value) if value else "")
        elif key == "roles":
            cells.append(", ".join(label_of(Role, r) for r in value or []))
        else:
            cells.append("" if value is None else value)
    if personal:
        consented = bool(actor.get("consent"))
        for key, _label in PERSONAL_HEADERS:
            value = actor.get(key) if consented else None
            if key == "consent":
                value = _("yes") if consented else _("no")
            cells.append(value.isoformat() if isinstance(value, dt.date) else ("" if value is None else value))
    return cells


def relation_cells(relation: Mapping[str, Any], names: Mapping[str, str]) -> list[Any]:
    return [names.get(relation["source_id"], ""), names.get(relation["target_id"], ""),
            label_of(RelationKind, relation["kind"]), int(relation.get("strength") or 1),
            relation.get("notes") or "", relation["source_id"], relation["target_id"]]


def map_workbook(actors: Sequence[Mapping[str, Any]], relations: Sequence[Mapping[str, Any]], *,
                 include_personal: bool = False) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    headers = ACTOR_HEADERS + (PERSONAL_HEADERS if include_personal else ())
    sheet = workbook.create_sheet(_("Actors"))
    _append(sheet, [_(label) for _key, label in headers])
    for actor in actors:
        _append(sheet, actor_cells(actor, include_personal))
    names = {a["id"]: a["name"] for a in actors}
    sheet = workbook.create_sheet(_("Relations"))
    _append(sheet, [_(label) for _key, label in RELATION_HEADERS])
    for relation in relations:
        if relation["source_id"] in names and relation["target_id"] in names:
            _append(sheet, relation_cells(relation, names))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _append(sheet: Any, values: list[Any]) -> None:
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula
        cells.append(cell)
    sheet.append(cells)
