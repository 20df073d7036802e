"""The stakeholder-map commands of DESIGN §7."""

import json

import pytest

from ssd_starter.cli import main

DEMO = "Distretto di Economia Solidale Valsugana e Tesino"


def run_json(capsys, *args):
    assert main([*args, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def demo(capsys, tmp_path):
    assert main(["demo", "--out", str(tmp_path / "demo-out")]) == 0
    capsys.readouterr()


def test_stakeholder_add_edit_list_delete(capsys):
    main(["district", "create", "Val di Sole"])
    capsys.readouterr()
    added = run_json(capsys, "stakeholder", "add", "Coop Alfa", "--district", "Val di Sole", "--category",
                     "cooperative", "--role", "producer", "--role", "trainer", "--influence", "4")
    assert added["roles"] == ["producer", "trainer"] and added["influence"] == 4
    edited = run_json(capsys, "stakeholder", "edit", "Coop Alfa", "--district", "Val di Sole", "--stage", "member")
    assert edited["stage"] == "member" and edited["id"] == added["id"]
    assert [r["name"] for r in run_json(capsys, "stakeholder", "list", "--district", "Val di Sole")] == ["Coop Alfa"]
    assert main(["stakeholder", "edit", "Coop Alfa", "--district", "Val di Sole", "--influence", "9"]) == 1
    assert main(["stakeholder", "delete", added["id"][:8], "--district", "Val di Sole"]) == 0
    capsys.readouterr()
    assert run_json(capsys, "stakeholder", "list", "--district", "Val di Sole") == []


def test_import_dry_run_changes_nothing_then_imports(capsys, tmp_path):
    main(["district", "create", "Val di Sole"])
    capsys.readouterr()
    sheet = tmp_path / "contatti.csv"
    sheet.write_bytes("Nome;Categoria;Influenza\nCoop Uno;Cooperativa;4,0\nCoop Due;Produttore;2\n".encode("cp1252"))
    summary = run_json(capsys, "import", "stakeholders", str(sheet), "--district", "Val di Sole", "--dry-run")
    assert summary["new"] == 2 and summary["dry_run"] is True
    assert run_json(capsys, "stakeholder", "list", "--district", "Val di Sole") == []
    run_json(capsys, "import", "stakeholders", str(sheet), "--district", "Val di Sole")
    names = [r["name"] for r in run_json(capsys, "stakeholder", "list", "--district", "Val di Sole")]
    assert names == ["Coop Due", "Coop Uno"]
    again = run_json(capsys, "import", "stakeholders", str(sheet), "--district", "Val di Sole")
    assert (again["new"], again["duplicates"]) == (0, 2)


def test_strict_refuses_a_broken_sheet_with_row_and_column_and_nothing_changes(capsys, tmp_path):
    main(["district", "create", "Val di Sole"])
    capsys.readouterr()
    sheet = tmp_path / "rotto.csv"
    sheet.write_text("Nome;Influenza\nCoop Uno;3\nCoop Due;11\n", encoding="utf-8")
    assert main(["--lang", "it", "import", "stakeholders", str(sheet), "--district", "Val di Sole", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "3" in err and "Influenza" in err and len(err.strip().splitlines()) == 1
    assert run_json(capsys, "stakeholder", "list", "--district", "Val di Sole") == []


def test_a_sheet_with_a_bad_cell_and_unknown_words_imports_every_row_and_says_what_it_left(capsys, tmp_path):
    main(["district", "create", "Val di Sole"])
    capsys.readouterr()
    sheet = tmp_path / "contatti.csv"
    sheet.write_bytes("Nome;Tipologia;Influenza\nCoop Uno;Cooperativa sociale;3\nCoop Due;Astronave;11\n"
                      ";Comune;2\nGAS Tre;Gruppo di acquisto;3,5\n".encode("cp1252"))
    assert main(["--lang", "it", "import", "stakeholders", str(sheet), "--district", "Val di Sole"]) == 0
    out = capsys.readouterr().out
    assert "Astronave" in out and "Riga 3" in out and "Riga 4" in out and "Riga 5" in out
    actors = {a["name"]: a for a in run_json(capsys, "stakeholder", "list", "--district", "Val di Sole")}
    assert set(actors) == {"Coop Uno", "Coop Due", "GAS Tre"}
    assert actors["Coop Uno"]["category"] == "social_cooperative"
    assert actors["GAS Tre"]["category"] == "consumer_group" and actors["GAS Tre"]["influence"] == 3  # the default
    assert "Astronave" in actors["Coop Due"]["notes"]


def test_relations_import_from_an_edge_list(capsys, tmp_path):
    main(["district", "create", "Val di Sole"])
    for name in ("Maso Alto", "GAS Malè"):
        main(["stakeholder", "add", name, "--district", "Val di Sole"])
    capsys.readouterr()
    edges = tmp_path / "relazioni.csv"
    edges.write_text("Da;A;Tipo;Forza\nMaso Alto;gas male;fornisce;3\nMaso Alto;Comune di Malè;collabora;\n",
                     encoding="utf-8")
    summary = run_json(capsys, "import", "relations", str(edges), "--district", "Val di Sole", "--dry-run")
    assert summary["new"] == 1 and summary["missing_actors"] == {"Comune di Malè": [3]} and summary["dry_run"]
    assert main(["import", "relations", str(edges), "--district", "Val di Sole", "--create-missing"]) == 0
    assert "Comune di Malè" in capsys.readouterr().out
    names = {a["name"] for a in run_json(capsys, "stakeholder", "list", "--district", "Val di Sole")}
    assert "Comune di Malè" in names


def test_csv_export_says_it_wrote_two_files(demo, capsys, tmp_path):
    assert main(["export", "graph", "--district", DEMO, "--format", "csv", "--out", str(tmp_path / "demo.csv")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [str(tmp_path / "demo-actors.csv"), str(tmp_path / "demo-relations.csv")]
    assert main(["export", "graph", "--district", DEMO, "--format", "xlsx", "--out", str(tmp_path / "d.xlsx"),
                 "--language", "de"]) == 0
    assert (tmp_path / "d.xlsx").exists()


def test_export_graph_and_indicators_of_the_demo(demo, capsys, tmp_path):
    import networkx as nx

    assert main(["export", "graph", "--district", DEMO, "--format", "graphml", "--out", str(tmp_path / "m.graphml")]) == 0
    graph = nx.read_graphml(capsys.readouterr().out.strip())
    assert graph.number_of_nodes() == 43
    indicators = run_json(capsys, "indicators", "--district", DEMO)
    assert indicators["network"]["actors"] == 43 and len(indicators["network"]["isolated"]) == 2
    assert sum(indicators["funnel"].values()) == 43


def test_person_export_and_erase(demo, capsys):
    actors = run_json(capsys, "stakeholder", "list", "--district", DEMO)
    person = next(a for a in actors if a["category"] == "individual" and a["email"])
    assert main(["person", "export", "--district", DEMO, "--stakeholder", person["id"]]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["stakeholder"]["email"] == person["email"]
    assert main(["person", "erase", "--district", DEMO, "--stakeholder", person["id"]]) == 0
    capsys.readouterr()
    after = {a["id"]: a for a in run_json(capsys, "stakeholder", "list", "--district", DEMO)}[person["id"]]
    assert after["email"] == "" and after["name"] != person["name"]
