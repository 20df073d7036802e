"""The canvas, flow, scenario and training commands."""

import json

import pytest
from pypdf import PdfReader

from ssd_starter.cli import main
from tests.core.test_training import build, manifest

DEMO = "Distretto di Economia Solidale Valsugana e Tesino"


def run_json(capsys, *args):
    assert main([*args, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def demo(capsys, tmp_path):
    assert main(["demo", "--out", str(tmp_path / "demo-out")]) == 0
    capsys.readouterr()


def test_flow_add_list_delete_and_refusals(demo, capsys):
    before = run_json(capsys, "flow", "list", "--district", DEMO)
    added = run_json(capsys, "flow", "add", "--district", DEMO, "--from", "GAS Borgo Solidale", "--to", "outside",
                     "--kind", "goods", "--quantity", "30", "--unit", "kg", "--value", "120", "--description", "Mele")
    assert (added["target_id"], added["unit"], added["value_eur"]) == (None, "kg", 120.0)
    assert len(run_json(capsys, "flow", "list", "--district", DEMO)) == len(before) + 1
    assert main(["flow", "add", "--district", DEMO, "--from", "GAS Borgo Solidale", "--to", "GAS Borgo Solidale",
                 "--kind", "money", "--value", "5"]) == 1
    assert "itself" in capsys.readouterr().err
    assert main(["--lang", "it", "flow", "add", "--district", DEMO, "--from", "GAS Borgo Solidale", "--kind",
                 "energy", "--quantity", "3", "--unit", "kg"]) == 1
    assert "kWh" in capsys.readouterr().err
    assert main(["flow", "delete", added["id"][:8], "--district", DEMO]) == 0
    capsys.readouterr()
    assert len(run_json(capsys, "flow", "list", "--district", DEMO)) == len(before)


def test_indicators_with_a_scenario_and_applying_it(demo, capsys):
    document = run_json(capsys, "indicators", "--district", DEMO, "--scenario", "Acquisti locali della Bottega")
    today, then = document["flows"]["values"], document["scenario"]["flows"]["values"]
    assert then["internal_purchases"]["value"] > today["internal_purchases"]["value"]
    assert document["flows"]["status"]["lm3"] in ("green", "amber", "red")
    assert main(["scenario", "apply", "Acquisti locali della Bottega", "--district", DEMO]) == 0
    capsys.readouterr()
    after = run_json(capsys, "indicators", "--district", DEMO)["flows"]["values"]
    assert after["internal_purchases"]["value"] == pytest.approx(then["internal_purchases"]["value"])
    assert main(["scenario", "apply", "Acquisti locali della Bottega", "--district", DEMO]) == 1


def test_deleting_an_actor_with_flows_needs_a_choice(demo, capsys):
    assert main(["stakeholder", "delete", "GAS Borgo Solidale", "--district", DEMO]) == 1
    assert "resource flows" in capsys.readouterr().err
    assert main(["stakeholder", "delete", "GAS Borgo Solidale", "--district", DEMO, "--flows", "outside"]) == 0


def test_training_import_pack_modules_and_certificates(demo, capsys, tmp_path):
    modules = run_json(capsys, "training", "modules")
    assert {m["id"] for m in modules} >= {"what_is_ssd", "work_integration"} and len(modules) == 7
    bad = tmp_path / "bad.ssdpack"
    bad.write_bytes(build(manifest(modules=[])))
    assert main(["training", "import-pack", str(bad)]) == 1
    assert "between 1 and 100 modules" in capsys.readouterr().err
    good = tmp_path / "good.ssdpack"
    good.write_bytes(build())
    assert main(["--lang", "it", "training", "import-pack", str(good)]) == 0
    assert "Pack it 1.0.0" in capsys.readouterr().out
    assert len(run_json(capsys, "training", "modules")) == 8
    out = tmp_path / "attestati.pdf"
    assert main(["--lang", "it", "training", "certificates", "--district", DEMO, "--workshop",
                 "Laboratorio: avviare il distretto di economia solidale", "--out", str(out)]) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 9 and "Attestato" in reader.pages[0].extract_text()


def test_flow_purposes_by_command_line(demo, capsys):
    loan = run_json(capsys, "flow", "add", "--district", DEMO, "--from", "outside", "--to", "GAS Borgo Solidale",
                    "--kind", "money", "--value", "5000", "--purpose", "loan", "--description", "Prestito soci")
    assert loan["purpose"] == "loan"
    payment = run_json(capsys, "flow", "add", "--district", DEMO, "--from", "GAS Borgo Solidale", "--to", "outside",
                       "--kind", "money", "--value", "700", "--description", "Rata del prestito")
    assert payment["purpose"] == "payment"
    # what reads like a loan but is not financing is listed, with how to answer
    listed = run_json(capsys, "flow", "suggest-purposes", "--district", DEMO)
    assert [f["id"] for f in listed] == [payment["id"]] and listed[0]["suggested_purpose"] == "loan"
    assert main(["flow", "suggest-purposes", "--district", DEMO]) == 0
    text = capsys.readouterr().out
    assert "Rata del prestito" in text and "--purpose loan" in text
    changed = run_json(capsys, "flow", "set", payment["id"], "--district", DEMO, "--purpose", "loan")
    assert changed["purpose"] == "loan"
    assert run_json(capsys, "flow", "suggest-purposes", "--district", DEMO) == []
    # a purpose belongs to money only; an unknown one is a usage error
    assert main(["flow", "add", "--district", DEMO, "--from", "GAS Borgo Solidale", "--kind", "goods",
                 "--purpose", "loan"]) == 1
    assert "money" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["flow", "set", payment["id"], "--district", DEMO, "--purpose", "bribe"])
    assert usage.value.code == 2
    capsys.readouterr()
    # the demo's own loans are loans already: nothing to ask about there
    demo_loans = [f for f in run_json(capsys, "flow", "list", "--district", DEMO) if f["purpose"] == "loan"]
    assert {f["description"] for f in demo_loans} >= {"Mutuo per il secondo impianto fotovoltaico",
                                                      "Rata annuale del mutuo"}


def test_indicator_snapshots_by_command_line(demo, capsys):
    kept = run_json(capsys, "indicators", "snapshot", "--district", DEMO)
    assert kept["kind"] == "manual" and set(kept["values"]) >= {"lm3", "financing_inside", "public_support"}
    today = run_json(capsys, "indicators", "--district", DEMO)["flows"]["values"]
    assert kept["values"]["lm3"] == pytest.approx(today["lm3"]["value"])
    assert run_json(capsys, "indicators", "snapshot", "--yearly", "--district", DEMO) is None  # this year is kept
    history = run_json(capsys, "indicators", "history", "--district", DEMO)
    assert [h["kind"] for h in history] == ["manual"]
    assert main(["--lang", "it", "indicators", "history", "--district", DEMO]) == 0
    assert "Moltiplicatore locale (LM3)" in capsys.readouterr().out


def test_a_scenario_is_found_by_the_short_id_its_list_prints(demo, capsys):
    """`scenario list` prints each scenario's first eight characters: `scenario apply` takes them, and a
    prefix shared by two scenarios asks for the full id."""
    assert main(["scenario", "list", "--district", DEMO]) == 0
    short = capsys.readouterr().out.split()[0]
    assert len(short) == 8
    assert main(["scenario", "apply", short, "--district", DEMO]) == 0
    capsys.readouterr()
    assert main(["scenario", "apply", "zzzzzzzz", "--district", DEMO]) == 1
    assert "zzzzzzzz" in capsys.readouterr().err
