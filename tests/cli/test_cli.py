"""The headless contract (DESIGN §7): commands, --json, exit codes, one translated line on error."""

import json
import os
import subprocess
import sys

import pytest

from ssd_starter.cli import main


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real console entry point in a fresh process."""
    return subprocess.run([sys.executable, "-m", "ssd_starter", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def run_json(capsys, *args):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_language_option_works_after_the_command_too(data_dir, tmp_path):
    """As the README writes it: `ssd-starter dossier --lang de …` (it was refused: 'unrecognized arguments')."""
    for args in (["--lang", "de", "district", "show", "nessuno"], ["district", "show", "nessuno", "--lang", "de"],
                 ["district", "--lang", "de", "show", "nessuno"]):
        result = cli(*args)
        assert result.returncode == 1 and "Kein Distrikt" in result.stderr, result.stderr
    assert cli("--lang", "de", "demo", "--out", str(tmp_path / "de")).returncode == 0
    [district] = json.loads(cli("district", "list", "--json").stdout)
    dossier = cli("dossier", "--district", district["id"], "--out", str(tmp_path / "d.pdf"), "--lang", "de")
    assert dossier.returncode == 0, dossier.stderr
    from pypdf import PdfReader

    assert "Akteure" in "".join(page.extract_text() for page in PdfReader(tmp_path / "d.pdf").pages[:4])


def test_version_and_help():
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("ssd-starter ")
    for args in (["--help"], ["district", "--help"], ["db", "restore", "--help"], ["demo", "--help"]):
        result = cli(*args)
        assert result.returncode == 0, result.stderr
        assert "usage:" in result.stdout


def test_district_lifecycle_with_json(capsys):
    created = run_json(capsys, "district", "create", "Val di Cembra", "--kind", "thematic",
                       "--sector", "organic_farming", "--municipality", "Cembra Lisignago", "--language", "de")
    assert created["name"] == "Val di Cembra" and created["kind"] == "thematic"
    assert created["sectors"] == ["organic_farming"] and created["language"] == "de"
    listed = run_json(capsys, "district", "list")
    assert [(d["id"], d["name"]) for d in listed] == [(created["id"], "Val di Cembra")]
    assert main(["district", "rename", created["id"][:8], "Valle di Cembra"]) == 0
    assert "Valle di Cembra" in capsys.readouterr().out
    shown = run_json(capsys, "district", "show", "Valle di Cembra")
    assert shown["id"] == created["id"] and shown["name"] == "Valle di Cembra"
    copy = run_json(capsys, "district", "duplicate", created["id"])
    assert copy["name"] == "Valle di Cembra (copy)" and copy["id"] != created["id"]
    assert main(["district", "delete", created["id"]]) == 0
    capsys.readouterr()
    assert [d["name"] for d in run_json(capsys, "district", "list")] == ["Valle di Cembra (copy)"]


def test_json_output_is_one_document_and_nothing_else():
    cli("district", "create", "Giudicarie")
    result = cli("district", "list", "--json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert isinstance(document, list) and {"id", "name"} <= set(document[0])


def test_refusals_exit_1_with_one_translated_line_and_no_traceback():
    result = cli("district", "show", "nonexistent")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "nonexistent" in result.stderr
    italian = cli("--lang", "it", "district", "create", "   ")
    assert italian.returncode == 1 and "Traceback" not in italian.stderr
    assert "needs a name" not in italian.stderr and italian.stderr.strip()


def test_wrong_usage_exits_2():
    assert cli("district", "frobnicate").returncode == 2
    assert cli("--no-such-flag").returncode == 2
    assert cli("district", "create", "X", "--kind", "galactic").returncode == 2


def test_a_corrupt_data_file_is_refused_cleanly(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ssd-starter.sqlite"
    path.write_text("Nome;Comune\nCoop Sociale;Trento\n", encoding="cp1252")
    before = path.read_bytes()
    result = cli("district", "list")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_db_check_backup_and_restore(capsys, tmp_path):
    main(["district", "create", "Rotaliana"])
    capsys.readouterr()
    report = run_json(capsys, "db", "check")
    assert report["ok"] and report["integrity"] == ["ok"]
    assert main(["db", "backup"]) == 0
    backup = capsys.readouterr().out.strip()
    main(["district", "create", "Königsberg"])
    assert main(["db", "restore", backup]) == 0
    capsys.readouterr()
    assert [d["name"] for d in run_json(capsys, "district", "list")] == ["Rotaliana"]
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a backup")
    assert main(["db", "restore", str(garbage)]) == 1
    capsys.readouterr()
    assert [d["name"] for d in run_json(capsys, "district", "list")] == ["Rotaliana"]


def test_no_display_runs_the_demo(tmp_path):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    result = subprocess.run([sys.executable, "-m", "ssd_starter", "--lang", "en"], capture_output=True, text=True,
                            timeout=180, cwd=tmp_path, env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    assert "No display found" in result.stderr
    assert "qt.qpa" not in result.stderr and "Traceback" not in result.stderr
    pngs = [line for line in result.stdout.splitlines() if line.endswith(".png")]
    from ssd_starter.ui.window.areas import AREAS

    assert len(pngs) == len(AREAS) and all(os.path.getsize(p) > 10_000 for p in pngs)  # one picture per area
    [pdf] = [line for line in result.stdout.splitlines() if line.endswith(".pdf")]
    assert pdf.endswith("en-dossier.pdf") and os.path.getsize(pdf) > 20_000


@pytest.mark.parametrize("language", ["it", "de"])
def test_demo_writes_screenshots_in_the_language(tmp_path, capsys, language):
    assert main(["demo", "--lang", language, "--out", str(tmp_path / "out")]) == 0
    paths = capsys.readouterr().out.split()
    assert all(p.endswith((".png", ".pdf")) and f"/{language}-" in p for p in paths)
    assert sum(p.endswith(".pdf") for p in paths) == 1
    again = run_json(capsys, "district", "list")  # running it twice refreshes, never duplicates
    main(["demo", "--out", str(tmp_path / "out")])
    capsys.readouterr()
    assert run_json(capsys, "district", "list") == again
    assert again[0]["stakeholders"] == 43
