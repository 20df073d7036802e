"""Importing contacts spreadsheets as Italian and German promoters really have them."""

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.core.importer import (
    MAX_BYTES,
    ImportRefused,
    guess_mapping,
    plan_import,
    read_csv,
    read_table,
    read_xlsx,
)

ITALIAN_CSV = (
    "Denominazione;Categoria;Comune;Ruoli;Influenza;Interesse;Atteggiamento;Fase;Referente;E-mail;Consenso;"
    "Data consenso\r\n"
    "Cooperativa Sociale Città Aperta;Cooperativa;Borgo Valsugana;Produttore, Inserimento lavorativo;4,0;5;"
    "Sostenitore;Membro;Renée Dalpiaz;renee@example.org;sì;12/03/2026\r\n"
    "Caseificio Tesino;Produttore;Pieve Tesino;Produttore;3;4;Neutrale;Contattato;;;no;\r\n"
)


def test_semicolon_cp1252_decimal_comma_italian_labels(tmp_path):
    path = tmp_path / "contatti.csv"
    path.write_bytes(ITALIAN_CSV.encode("cp1252"))
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    mapping = guess_mapping(table.headers)
    assert {"name", "category", "municipality", "roles", "influence", "interest", "attitude", "stage",
            "contact_person", "email", "consent", "consent_date"} <= set(mapping)
    plan = plan_import(table, mapping, existing=[])
    first = plan.new[0]
    assert first["name"] == "Cooperativa Sociale Città Aperta"
    assert (first["category"], first["influence"], first["interest"]) == ("cooperative", 4, 5)
    assert first["roles"] == ["producer", "job_placement"]
    assert (first["attitude"], first["stage"]) == ("supporter", "member")
    assert first["contact_person"] == "Renée Dalpiaz"
    assert first["consent"] is True and first["consent_date"] == dt.date(2026, 3, 12)
    assert plan.new[1]["consent"] is False


def test_utf8_bom_comma_separated_german_headers(tmp_path):
    text = "Name,Kategorie,Gemeinde,Einfluss,Interesse,Haltung\nBio-Hof Müller,Erzeuger,Levico Terme,2,3,Skeptisch\n"
    path = tmp_path / "akteure.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    table = read_table(path)
    assert table.encoding == "utf-8-sig" and table.headers[0] == "Name"
    plan = plan_import(table, guess_mapping(table.headers), existing=[])
    assert plan.new[0]["category"] == "producer" and plan.new[0]["attitude"] == "sceptic"


def test_xlsx_with_a_merged_title_row_and_empty_trailing_rows(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "Mappatura attori — DES Valsugana 2026"
    sheet.merge_cells("A1:D1")
    sheet.append(["Nome", "Categoria", "Comune", "Influenza"])
    sheet.append(["Famiglia Cooperativa Tesino", "Cooperativa", "Castello Tesino", 4.0])
    sheet.append(["Comune di Grigno", "Ente pubblico", "Grigno", 3])
    for _ in range(5):
        sheet.append([None, None, None, None])
    path = tmp_path / "attori.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.headers == ["Nome", "Categoria", "Comune", "Influenza"]
    assert table.row_numbers == [3, 4]
    plan = plan_import(table, guess_mapping(table.headers), existing=[])
    assert [a["category"] for a in plan.new] == ["cooperative", "public_body"]
    assert plan.new[0]["influence"] == 4


def test_duplicates_against_the_map_and_within_the_file():
    table = read_csv(b"name;category\nCoop Alfa;cooperative\ncoop  ALFA;cooperative\nComune di Ala;public_body\n")
    plan = plan_import(table, guess_mapping(table.headers), existing=[{"id": "x1", "name": "Comune di Ala"}])
    assert [a["name"] for a in plan.new] == ["Coop Alfa"]
    assert plan.repeated_in_file == [3]
    assert [(row, existing) for row, _fields, existing in plan.duplicates] == [(4, "x1")]


@pytest.mark.parametrize("content, words", [
    (b"name;influence\nCoop;7\n", ["Row 2", "influence"]),
    (b"name;category\nCoop;spaceship\n", ["Row 2", "category", "spaceship"]),
    (b"nome;consenso\nCoop;forse\n", ["Row 2", "consenso", "forse"]),
    (b"nome;influenza\nCoop;3,5\n", ["Row 2", "influenza"]),
    (b"category;municipality\ncooperative;Ala\n", ["Name"]),
])
def test_broken_rows_are_refused_naming_row_and_column(content, words):
    table = read_csv(content)
    with pytest.raises(ImportRefused) as err:
        plan_import(table, guess_mapping(table.headers), existing=[])
    for word in words:
        assert word in err.value.message()


def test_not_a_table_empty_and_oversize_files(tmp_path):
    with pytest.raises(ImportRefused, match="binary"):
        read_csv(b"\x00\x01\x02" * 100)
    with pytest.raises(ImportRefused, match="empty"):
        read_csv(b"\n\n;;\n")
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(ImportRefused, match="larger than 20 MB"):
        read_table(big)


def test_a_zip_bomb_is_refused_before_opening():
    payload = io.BytesIO()
    with zipfile.ZipFile(payload, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 2**20))
    with pytest.raises(ImportRefused, match="implausible"):
        read_xlsx(payload.getvalue())


def test_a_damaged_xlsx_is_refused():
    with pytest.raises(ImportRefused):
        read_xlsx(b"PK\x03\x04" + b"garbage" * 100)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000))
def test_any_bytes_give_a_table_or_a_clear_refusal(data):
    try:
        table = read_csv(data)
    except ImportRefused as err:
        assert err.message()
        return
    try:
        plan_import(table, guess_mapping(table.headers), existing=[])
    except ImportRefused as err:
        assert err.message()


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(cell, min_size=4, max_size=4), max_size=15), delimiter=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_any_spreadsheet_content_gives_actors_or_a_clear_refusal(rows, delimiter, encoding):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Nome", "Categoria", "Influenza", "Note"])
    writer.writerows(rows)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        table = read_csv(data)
        plan = plan_import(table, guess_mapping(table.headers), existing=[])
    except ImportRefused as err:
        assert err.message()
        return
    for actor in plan.new:
        assert actor["name"] and 1 <= actor.get("influence", 3) <= 5
