import json

from ssd_starter.cli import main


def test_charter_check_json_of_the_demo(capsys, tmp_path):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["charter", "check", "--district", "Distretto di Economia Solidale Valsugana e Tesino", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["complete"] is False and report["status"] == "draft"
    failing = [c["key"] for c in report["checks"] if not c["passed"]]
    assert failing == ["signatories"]
    assert all(c["reason"] and c["step"] for c in report["checks"])


def test_charter_check_of_a_new_district_lists_every_gap(capsys):
    main(["district", "create", "Val di Fassa", "--language", "de"])
    capsys.readouterr()
    assert main(["--lang", "de", "charter", "check", "--district", "Val di Fassa"]) == 0
    out = capsys.readouterr().out
    assert out.count("✘") == 9 and "13/2010" in out
