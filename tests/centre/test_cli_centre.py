"""The Centre administered from its host's command line, and the whole review loop as people run it: the
Centre served by `centre serve` in its own process, the promoter's `sync` and `sync --submit`, an advisor
over HTTP, the administrator's `centre submissions`, `centre review` and `centre districts` — on SQLite and
PostgreSQL 15."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest

from ssd_starter.cli import main
from ssd_starter.store.comments import comments_on
from ssd_starter.store.review import list_submissions, list_threads
from ssd_starter.store.stakeholders import find_stakeholder
from tests.centre.helpers import TIMEOUT
from tests.sync.conftest import free_port
from tests.sync.test_cli_sync import wait_for

DEMO = "Distretto di Economia Solidale Valsugana e Tesino"


@pytest.fixture
def centre_env(database_url, tmp_path, monkeypatch):
    """The Centre's database named by the environment, as on the server host; its own data folder."""
    monkeypatch.setenv("SSD_CENTRE_DATABASE_URL", database_url)
    return {**os.environ, "SSD_CENTRE_DATABASE_URL": database_url,
            "SSD_STARTER_DATA_DIR": str(tmp_path / "centre-host")}


@pytest.fixture
def served(centre_env):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ssd_starter", "centre", "serve", "--port", str(port)],
                              env=centre_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(20)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command (a usage error's SystemExit as its code)."""
    try:
        code = main(["--lang", "en", *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_whole_review_loop_from_the_command_line(demo_store, served, capsys):
    # the administrator enrols the district; the promoter syncs and submits
    code, token, _err = run(capsys, "centre", "enrol", "--district-name", "Valsugana")
    assert code == 0
    first = run_json(capsys, "sync", "--district", DEMO, "--centre", served, "--token", token.strip())
    assert first["pushed"] > 200 and first["submissions"] == []
    submitted = run_json(capsys, "sync", "--district", DEMO, "--centre", served, "--submit", "--note",
                         "Prima consegna")
    assert submitted["pushed"] == 0 and submitted["submitted"]
    [listed] = run_json(capsys, "centre", "submissions")
    assert set(listed) >= {"id", "district_id", "district_name", "state", "received_at"}
    assert (listed["id"], listed["district_id"], listed["district_name"], listed["state"]) == (
        submitted["submitted"], demo_store.demo_id, "Valsugana", "received")
    assert listed["has_dossier"] and listed["note"] == "Prima consegna"
    # an advisor: made on the host, signs in over HTTP, comments on an actor and says it has issues
    code, sign_in_code, err = run(capsys, "centre", "advisor", "add", "Anna Rossi")
    assert code == 0 and "once" in err
    http = httpx.Client(base_url=served, timeout=TIMEOUT)
    session = http.post("/v1/advisor/sign-in", json={"name": "Anna Rossi", "code": sign_in_code.strip(),
                                                     "new_password": "una password lunga"}).json()
    http.headers["authorization"] = f"Bearer {session['token']}"
    submission = submitted["submitted"]
    dossier = http.get(f"/v1/advisor/submissions/{submission}/dossier")
    assert dossier.status_code == 200 and dossier.content.startswith(b"%PDF-")
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    thread = http.post(f"/v1/advisor/submissions/{submission}/threads", json={
        "anchor": {"kind": "record", "table": "stakeholder", "id": gas["id"]},
        "text": "Quante famiglie ne fanno parte?"}).json()
    changed = http.post(f"/v1/advisor/submissions/{submission}/state",
                        json={"state": "has_issues", "comment": "Manca il numero dei soci"})
    assert changed.status_code == 200
    # the promoter's next sync brings back the state and the thread
    code, out, _err = run(capsys, "sync", "--district", DEMO, "--centre", served)
    assert code == 0 and "has issues" in out and "Anna Rossi: Manca il numero dei soci" in out
    assert "1 open thread" in out
    assert [s["state"] for s in list_submissions(demo_store, demo_store.demo_id)] == ["has_issues"]
    assert [t["id"] for t in list_threads(demo_store, demo_store.demo_id)] == [thread["id"]]
    assert [c["text"] for c in comments_on(demo_store, demo_store.demo_id, "stakeholder", gas["id"])] == [
        "Quante famiglie ne fanno parte?"]
    # the promoter resubmits: the new submission answers the previous one
    again = run_json(capsys, "sync", "--district", DEMO, "--centre", served, "--submit", "--note", "Soci: 120",
                     "--without-dossier")
    newest, previous = run_json(capsys, "centre", "submissions")
    assert (newest["id"], newest["previous_id"], previous["id"]) == (again["submitted"], submission, submission)
    assert not newest["has_dossier"]
    # the advisor approves, from the server host
    code, out, err = run(capsys, "centre", "review", again["submitted"][:8], "--state", "approved",
                         "--advisor", "Anna Rossi", "--comment", "Grazie")
    assert code == 0 and "approved" in out, err
    assert [s["state"] for s in run_json(capsys, "centre", "submissions")] == ["approved", "has_issues"]
    [district] = run_json(capsys, "centre", "districts")
    assert (district["district_id"], district["submissions"], district["latest"]["state"]) == (
        demo_store.demo_id, 2, "approved")
    final = run_json(capsys, "sync", "--district", DEMO, "--centre", served)
    assert [s["state"] for s in final["submissions"]] == ["approved", "has_issues"]
    assert final["submissions"][0]["history"][-1] == {**final["submissions"][0]["history"][-1],
                                                      "state": "approved", "by": "Anna Rossi", "comment": "Grazie"}
    http.close()


def test_a_revoked_district_syncs_again_once_reenrolled(demo_store, served, capsys):
    code, token, _err = run(capsys, "centre", "enrol", "--district-name", "Valsugana")
    assert run(capsys, "sync", "--district", DEMO, "--centre", served, "--token", token.strip())[0] == 0
    code, out, _err = run(capsys, "centre", "revoke", "Valsugana")
    assert code == 0 and f"centre enrol --district {demo_store.demo_id}" in out
    code, _out, err = run(capsys, "sync", "--district", DEMO, "--centre", served)
    assert code == 1 and "does not recognise this district's key" in err
    assert run(capsys, "centre", "revoke", "Valsugana")[0] == 1  # already
    [district] = run_json(capsys, "centre", "districts")
    assert district["revoked"]
    code, token, err = run(capsys, "centre", "enrol", "--district", demo_store.demo_id[:8], "--valid-days", "2")
    assert code == 0 and "2 days" in err
    assert run(capsys, "sync", "--district", DEMO, "--centre", served, "--token", token.strip())[0] == 0
    assert not run_json(capsys, "centre", "districts")[0]["revoked"]


def test_advisors_are_administered_on_the_host(centre_env, capsys):
    code, first_code, err = run(capsys, "centre", "advisor", "add", "Carla Verdi", "--role", "admin")
    assert code == 0 and len(first_code.strip()) == 14 and "Carla Verdi" in err and "hash" in err
    assert run(capsys, "centre", "advisor", "add", "Carla Verdi")[0] == 1
    assert run(capsys, "centre", "advisor", "add", "-")[0] == 1
    assert run(capsys, "centre", "advisor", "add", "Anna", "--role", "root")[0] == 2  # argparse's choices
    code, out, _err = run(capsys, "centre", "advisor", "list")
    assert code == 0 and "Carla Verdi  admin  waiting for the first sign-in" in out
    [carla] = run_json(capsys, "centre", "advisor", "list")
    assert (carla["name"], carla["role"], carla["disabled"], carla["has_password"]) == ("Carla Verdi", "admin",
                                                                                        False, False)
    code, second_code, _err = run(capsys, "centre", "advisor", "reset", "Carla Verdi")
    assert code == 0 and second_code != first_code
    code, out, _err = run(capsys, "centre", "advisor", "disable", "Carla Verdi")
    assert code == 0 and "can no longer sign in" in out
    assert run_json(capsys, "centre", "advisor", "list")[0]["disabled"]
    assert run(capsys, "centre", "advisor", "disable", "Nessuno")[0] == 1
    code, _out, err = run(capsys, "centre", "review", "0000", "--state", "approved", "--advisor", "Carla Verdi")
    assert code == 1 and "disabled" in err


def test_review_refusals_are_said_in_the_administrators_language(demo_store, served, capsys):
    code, token, _err = run(capsys, "centre", "enrol", "--district-name", "Valsugana")
    submitted = run_json(capsys, "sync", "--district", DEMO, "--centre", served, "--token", token.strip(),
                         "--submit", "--without-dossier")["submitted"]
    run(capsys, "centre", "advisor", "add", "Anna")
    code, _out, err = run(capsys, "centre", "review", submitted, "--state", "rejected", "--advisor", "Anna")
    assert code == 1 and "rejecting a submission needs a comment" in err
    code, _out, err = run(capsys, "centre", "review", "ffff", "--state", "approved", "--advisor", "Anna")
    assert code == 1 and "no submission ffff" in err
    assert run(capsys, "centre", "review", submitted, "--state", "received", "--advisor", "Anna")[0] == 2
    assert run(capsys, "sync", "--district", DEMO, "--centre", served, "--note", "x")[0] == 1  # without --submit
    assert run_json(capsys, "centre", "submissions", "--state", "approved") == []
    assert len(run_json(capsys, "centre", "submissions", "--district", "Valsugana")) == 1
    code, out, _err = run(capsys, "centre", "submissions")
    assert code == 0 and submitted[:8] in out and "received" in out and "Valsugana" in out


def test_migrate_and_its_check(centre_env, capsys):
    from ssd_starter.centre import database

    url = centre_env["SSD_CENTRE_DATABASE_URL"]
    database.migrate(url, "c0001_baseline")
    code, _out, err = run(capsys, "centre", "migrate", "--check")
    assert code == 1 and "centre migrate" in err
    assert run(capsys, "centre", "submissions")[0] == 1  # every command refuses an old schema, saying so
    code, out, _err = run(capsys, "centre", "migrate")
    assert code == 0 and f"now at schema {database.HEAD_REVISION} (it was c0001_baseline)" in out
    code, out, _err = run(capsys, "centre", "migrate")
    assert code == 0 and "nothing to do" in out
    code, out, _err = run(capsys, "centre", "migrate", "--check")
    assert code == 0 and "current" in out


def test_a_password_on_the_command_line_is_warned_about(database_url, capsys):
    code, _out, err = run(capsys, "centre", "migrate", "--check", "--db", database_url)
    assert code == 0
    assert ("can be read by every user" in err) == database_url.startswith("postgresql")


def test_the_commands_speak_italian_and_german(centre_env, capsys):
    from ssd_starter.i18n import translations_for

    for language in ("it", "de"):
        assert main(["--lang", language, "centre", "advisor", "list"]) == 0
        out, _err = capsys.readouterr()
        expected = translations_for(language).gettext("No advisors yet: add one with ssd-starter centre advisor "
                                                      "add NAME.")
        assert out.strip() == expected and "No advisors" not in expected
        assert main(["--lang", language, "centre", "review", "ffff", "--state", "approved", "--advisor", "X"]) == 1
        _out, err = capsys.readouterr()
        assert translations_for(language).gettext("There is no advisor called {name}.").format(name="X") in err
