"""District rules: what a valid district looks like, and Trentino's municipalities as reference data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ssd_starter.core.errors import ValidationError
from ssd_starter.core.vocabulary import DistrictKind, Sector
from ssd_starter.i18n import LANGUAGES, N_

NAME_MAX = 200
DESCRIPTION_MAX = 20_000
MUNICIPALITY_MAX = 120
EDITABLE_FIELDS = ("name", "kind", "sectors", "municipalities", "language", "description")


@dataclass(frozen=True)
class Municipality:
    istat_code: str
    name: str
    name_other_language: str
    population_2011: int

    @property
    def display_name(self) -> str:
        if self.name_other_language:
            return f"{self.name} / {self.name_other_language}"
        return self.name


@cache
def trentino_municipalities() -> tuple[Municipality, ...]:
    """The 166 municipalities of the Autonomous Province of Trento (ISTAT, CC BY 4.0)."""
    text = resources.files("ssd_starter").joinpath("resources/data/trentino-municipalities.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Municipality(r["istat_code"], r["name"], r["name_other_language"], int(r["population_2011"]))
        for r in rows
    )


def normalize_municipalities(names: list[str]) -> list[str]:
    """Trim, drop empties and duplicates (keeping order); known names take the ISTAT spelling."""
    known = {m.name.casefold(): m.name for m in trentino_municipalities()}
    known.update({m.name_other_language.casefold(): m.name for m in trentino_municipalities()
                  if m.name_other_language})
    result: list[str] = []
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > MUNICIPALITY_MAX:
            raise ValidationError("municipalities", N_("A municipality name is longer than {limit} characters."),
                                  limit=MUNICIPALITY_MAX)
        name = known.get(name.casefold(), name)
        if name not in result:
            result.append(name)
    return result


def clean_district_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the editable fields of a district; raises ValidationError."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not district fields: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    if "name" in fields:
        name = " ".join(str(fields["name"] or "").split())
        if not name:
            raise ValidationError("name", N_("A district needs a name."))
        if len(name) > NAME_MAX:
            raise ValidationError("name", N_("The name is longer than {limit} characters."), limit=NAME_MAX)
        clean["name"] = name
    if "kind" in fields:
        if fields["kind"] not in set(DistrictKind):
            raise ValidationError("kind", N_("The kind must be thematic or territorial."))
        clean["kind"] = str(fields["kind"])
    if "sectors" in fields:
        sectors = list(dict.fromkeys(fields["sectors"] or []))
        valid = [s.value for s in Sector]
        bad = [s for s in sectors if s not in valid]
        if bad:
            raise ValidationError("sectors", N_("Unknown sector: {sector}."), sector=bad[0])
        clean["sectors"] = sorted(sectors, key=valid.index)
    if "municipalities" in fields:
        clean["municipalities"] = normalize_municipalities(list(fields["municipalities"] or []))
    if "language" in fields:
        if fields["language"] not in LANGUAGES:
            raise ValidationError("language", N_("The working language must be one of: {languages}."),
                                  languages=", ".join(LANGUAGES))
        clean["language"] = fields["language"]
    if "description" in fields:
        description = str(fields["description"] or "")
        if len(description) > DESCRIPTION_MAX:
            raise ValidationError("description", N_("The description is longer than {limit} characters."),
                                  limit=DESCRIPTION_MAX)
        clean["description"] = description
    return clean
