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
])
def test_strict_refuses_the_first_broken_cell_naming_row_and_column(content, words):
    table = read_csv(content)
    with pytest.raises(ImportRefused) as err:
        plan_import(table, guess_mapping(table.headers), existing=[], strict=True)
    for word in words:
        assert word in err.value.message()
    plan = plan_import(table, guess_mapping(table.headers), existing=[])  # the default reports instead
    assert [a["name"] for a in plan.new] == ["Coop"]
    assert [p.row for p in plan.problems] == [2] or [v.text for v in plan.unmapped()] == ["spaceship"]


def test_a_file_without_a_name_column_is_still_refused():
    table = read_csv(b"category;municipality\ncooperative;Ala\n")
    with pytest.raises(ImportRefused) as err:
        plan_import(table, guess_mapping(table.headers), existing=[])
    assert "Name" in err.value.message()


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


# -- values as real spreadsheets write them (issue: never all-or-nothing over a value) ----------

REAL_WORLD_IT = (
    "Nome;Tipologia;Settore;Influenza;Atteggiamento;Fase;Ruolo\r\n"
    "Cooperativa Sociale La Rete;Cooperativa sociale di tipo B;Welfare di comunità;4;favorevole;socio;"
    "Inserimento lavorativo\r\n"
    "GAS Pergine;Gruppo di acquisto;consumo critico;3,5;neutrale;contattato;consumatore\r\n"
    "Comune di Levico;Comune;;alto;scettico;individuato;\r\n"
    "Maso Bergamini;Produttore agricolo;agricoltura biologica;5;;coinvolto;produttore/distributore\r\n"
    "Cassa Rurale Alta Valsugana;Cassa Rurale;Finanza etica;4;;firmatario;finanziatore\r\n"
    ";Associazione;;;;;\r\n"
    "Astronave;Veicolo spaziale;;2;;;\r\n"
)
REAL_WORLD_DE = (
    "Name;Art;Sektor;Einfluss;Haltung;Phase\n"
    "Sozialgenossenschaft Independent;Sozialgenossenschaft;Soziales;4;unterstützend;Mitglied\n"
    "Raiffeisenkasse Bruneck;Raiffeisenkasse;;5;neutral;kontaktiert\n"
    "Gemeinde Sand in Taufers;Gemeinde;;3;skeptisch;identifiziert\n"
    "Bauernhof Oberhof;Bauernhof;Ökologische Landwirtschaft;2;dafür;engagiert\n"
    "Verein Kultur;Verein;;3;;\n"
)


def _plan(text: str, encoding: str = "cp1252", **options):
    table = read_csv(text.encode(encoding))
    return plan_import(table, guess_mapping(table.headers), existing=[], **options)


def test_italian_words_promoters_use_map_to_the_vocabulary():
    plan = _plan(REAL_WORLD_IT)
    actors = {a["name"]: a for a in plan.new}
    assert actors["Cooperativa Sociale La Rete"]["category"] == "social_cooperative"
    assert actors["Cooperativa Sociale La Rete"]["sector"] == "community_welfare"
    assert actors["Cooperativa Sociale La Rete"]["roles"] == ["job_placement"]
    assert actors["Cooperativa Sociale La Rete"]["stage"] == "member"
    assert actors["GAS Pergine"]["category"] == "consumer_group"
    assert actors["GAS Pergine"]["sector"] == "critical_consumption"
    assert actors["Comune di Levico"]["category"] == "public_body"
    assert actors["Comune di Levico"]["attitude"] == "sceptic"
    assert actors["Maso Bergamini"]["category"] == "producer"
    assert actors["Maso Bergamini"]["roles"] == ["producer", "distributor"]
    assert actors["Cassa Rurale Alta Valsugana"]["category"] == "financial_institution"
    assert actors["Cassa Rurale Alta Valsugana"]["stage"] == "signatory"


def test_bad_cells_are_left_empty_and_reported_by_row_and_nameless_rows_skipped():
    plan = _plan(REAL_WORLD_IT)
    actors = {a["name"]: a for a in plan.new}
    assert "influence" not in actors["GAS Pergine"] and "influence" not in actors["Comune di Levico"]
    problems = {(p.row, p.column, p.value) for p in plan.problems}
    assert (3, "Influenza", "3,5") in problems and (4, "Influenza", "alto") in problems
    assert plan.skipped == [7]
    assert len(plan.new) == 6  # every other row is imported


def test_an_unknown_value_is_kept_as_written_and_listed_for_mapping():
    plan = _plan(REAL_WORLD_IT)
    astronave = next(a for a in plan.new if a["name"] == "Astronave")
    assert "category" not in astronave or astronave["category"] == "cooperative"  # the store's default
    assert "Veicolo spaziale" in astronave["notes"]
    assert [(v.field, v.text) for v in plan.unmapped()] == [("category", "Veicolo spaziale")]


def test_the_users_own_mapping_wins_and_may_leave_a_value_empty():
    plan = _plan(REAL_WORLD_IT, value_map={"category": {"veicolo spaziale": "business"},
                                           "attitude": {"favorevole": None}})
    actors = {a["name"]: a for a in plan.new}
    assert actors["Astronave"]["category"] == "business" and "notes" not in actors["Astronave"]
    assert "attitude" not in actors["Cooperativa Sociale La Rete"]
    assert plan.unmapped() == []


def test_german_words_map_too():
    plan = _plan(REAL_WORLD_DE, encoding="utf-8")
    actors = {a["name"]: a for a in plan.new}
    assert actors["Sozialgenossenschaft Independent"]["category"] == "social_cooperative"
    assert actors["Sozialgenossenschaft Independent"]["attitude"] == "supporter"
    assert actors["Raiffeisenkasse Bruneck"]["category"] == "financial_institution"
    assert actors["Gemeinde Sand in Taufers"]["category"] == "public_body"
    assert actors["Bauernhof Oberhof"]["category"] == "producer"
    assert actors["Bauernhof Oberhof"]["sector"] == "organic_farming"
    assert actors["Verein Kultur"]["category"] == "association"
    assert plan.problems == [] and plan.unmapped() == []


def test_a_typo_is_a_close_match_to_confirm_and_strict_refuses_it():
    from ssd_starter.core.value_mapping import How

    plan = _plan("nome;categoria\nAlfa;Cooperatva sociale\n")
    assert plan.new[0]["category"] == "social_cooperative"
    assert [(v.text, v.match.how) for v in plan.to_confirm()] == [("Cooperatva sociale", How.CLOSE)]
    with pytest.raises(ImportRefused):
        _plan("nome;categoria\nAlfa;Cooperatva sociale\n", strict=True)


@given(st.text(min_size=0, max_size=40))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_the_value_mapper_never_fails_and_gives_vocabulary_ids(text):
    from ssd_starter.core.value_mapping import How, match
    from ssd_starter.core.vocabulary import Category, Role, Sector, Stage

    for enum in (Category, Sector, Role, Stage):
        found = match(enum, text)
        assert (found.value is None) == (found.how == How.UNKNOWN)
        assert found.value is None or found.value in {m.value for m in enum}


@given(st.sampled_from(["Cooperativa sociale", "COOPERATIVA SOCIALE", "cooperativa  sociale", "Cooperativa-Sociale",
                        "coopèrativa sociale", " cooperativa sociale "]))
def test_case_accents_and_punctuation_do_not_matter(text):
    from ssd_starter.core.value_mapping import match
    from ssd_starter.core.vocabulary import Category

    assert match(Category, text).value == "social_cooperative"
