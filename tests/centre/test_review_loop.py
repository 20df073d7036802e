"""The review loop back to the promoter, as people run it, on SQLite and PostgreSQL 15: the Centre served by
`centre serve` in its own process; the promoter submits; an advisor opens threads over the advisor API and
`centre review` says the submission has issues; the promoter gets the answer offline in a reply bundle
(`centre reply-bundle`, `bundle import`), reads it with `review show`, replies and opens a thread of their
own without the network; the next `sync --submit` sends the replies and answers the first submission; the
advisor reads the replies and approves; the promoter's last sync brings the approval."""

from __future__ import annotations

import httpx
import pytest

from ssd_starter.store.review import list_threads, outbox
from ssd_starter.store.stakeholders import find_stakeholder
from tests.centre.helpers import TIMEOUT
from tests.centre.test_cli_centre import DEMO, centre_env, run, run_json, served  # noqa: F401 - fixtures


@pytest.fixture
def advisor(served, capsys):  # noqa: F811 - the fixture imported above
    code, sign_in_code, _err = run(capsys, "centre", "advisor", "add", "Anna Rossi")
    assert code == 0
    http = httpx.Client(base_url=served, timeout=TIMEOUT)
    session = http.post("/v1/advisor/sign-in", json={"name": "Anna Rossi", "code": sign_in_code.strip(),
                                                     "new_password": "una password lunga"}).json()
    http.headers["authorization"] = f"Bearer {session['token']}"
    yield http
    http.close()


def test_the_loop_back_to_the_promoter_by_reply_bundle_and_sync(demo_store, served, advisor, capsys,  # noqa: F811
                                                                 tmp_path):
    district = demo_store.demo_id
    code, token, _err = run(capsys, "centre", "enrol", "--district-name", "Valsugana")
    first = run_json(capsys, "sync", "--district", DEMO, "--centre", served, "--token", token.strip(), "--submit",
                     "--note", "Prima consegna", "--without-dossier")
    submission = first["submitted"]
    assert first["submissions"][0]["state"] == "received"
    # the advisor asks about an actor and about the charter's purpose, and says the submission has issues
    gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    about_gas = advisor.post(f"/v1/advisor/submissions/{submission}/threads", json={
        "anchor": {"kind": "record", "table": "stakeholder", "id": gas["id"]},
        "text": "Quante famiglie ne fanno parte?"}).json()
    about_purpose = advisor.post(f"/v1/advisor/submissions/{submission}/threads", json={
        "anchor": {"kind": "section", "key": "purpose"}, "text": "Lo scopo è troppo generico."}).json()
    code, out, err = run(capsys, "centre", "review", submission[:8], "--state", "has_issues", "--advisor",
                         "Anna Rossi", "--comment", "Manca il numero dei soci")
    assert code == 0, err
    # offline: the Centre writes the district's reply bundle, the promoter imports it from a USB stick
    reply = tmp_path / "risposta.ssdbundle"
    code, out, err = run(capsys, "centre", "reply-bundle", "--district", "Valsugana", "--out", str(reply))
    assert code == 0 and "2 threads" in out, err
    imported = run_json(capsys, "bundle", "import", str(reply))
    assert (imported["kind"], imported["district"], imported["submissions"], imported["threads"]) == (
        "reply", district, 1, 2)
    assert not imported["first_contact"]  # the sync learnt the Centre's key: the bundle is signed by it
    shown = run_json(capsys, "review", "show", "--district", DEMO)
    assert [(s["id"], s["state"]) for s in shown["submissions"]] == [(submission, "has_issues")]
    assert shown["received_by"] == "bundle"
    [on_gas] = list_threads(demo_store, district, table="stakeholder", row_id=gas["id"])  # next to its record
    assert (on_gas["id"], on_gas["opened_by"], on_gas["open"]) == (about_gas["id"], "Anna Rossi", True)
    assert [m["text"] for m in on_gas["messages"]] == ["Quante famiglie ne fanno parte?"]
    [on_purpose] = list_threads(demo_store, district, table="charter_section", row_id="purpose")
    assert on_purpose["id"] == about_purpose["id"]
    code, out, _err = run(capsys, "review", "show", "--district", DEMO)
    assert "has issues" in out and "actor GAS Borgo Solidale" in out and "charter: Purpose" in out
    assert "Manca il numero dei soci" in out
    # the same bundle again would take nothing forward: refused, and nothing changes
    code, _out, err = run(capsys, "bundle", "import", str(reply))
    assert code == 1 and "not newer" in err
    # the promoter replies offline, and opens a thread of their own about a flow
    assert run(capsys, "review", "reply", about_gas["id"][:8], "--district", DEMO, "--text",
               "120 famiglie")[0] == 0
    assert run(capsys, "review", "reply", about_purpose["id"], "--district", DEMO, "--text",
               "Riscritto: filiera corta del cibo in valle.")[0] == 0
    flow = next(f for f in run_json(capsys, "flow", "list", "--district", DEMO) if f["description"])
    code, out, _err = run(capsys, "review", "open", "--district", DEMO, "--record", f"flow:{flow['id']}", "--text",
                          "Questo flusso è stimato.")
    assert code == 0
    code, out, _err = run(capsys, "review", "resolve", about_gas["id"][:8], "--district", DEMO)
    assert code == 1  # an advisor's thread: only its advisor resolves it
    assert [e["action"] for e in outbox(demo_store, district)] == ["reply", "reply", "open"]
    code, out, _err = run(capsys, "review", "show", "--district", DEMO)
    assert "you (waiting for the next sync): 120 famiglie" in out
    # online again: the replies go with the resubmission, which answers the first submission
    again = run_json(capsys, "sync", "--district", DEMO, "--centre", served, "--submit", "--note", "Soci: 120",
                     "--without-dossier")
    assert again["replies_sent"] == 3 and again["replies_refused"] == []
    assert outbox(demo_store, district) == []
    detail = advisor.get(f"/v1/advisor/submissions/{again['submitted']}").json()
    assert detail["previous_id"] == submission
    threads = {t["id"]: t for t in detail["threads"]}
    assert [m["text"] for m in threads[about_gas["id"]]["messages"]] == [
        "Quante famiglie ne fanno parte?", "120 famiglie"]
    assert threads[about_gas["id"]]["messages"][1]["author"] == "Valsugana"
    own = next(t for t in detail["threads"] if t["anchor"]["table"] == "flow")
    assert own["anchor"]["id"] == flow["id"] and own["opened_by"] is None
    assert advisor.post(f"/v1/advisor/threads/{own['id']}/resolve").status_code == 403  # the district's own
    # the advisor resolves their threads and approves; the promoter resolves their own, and syncs
    for thread_id in (about_gas["id"], about_purpose["id"]):
        assert advisor.post(f"/v1/advisor/threads/{thread_id}/resolve").status_code == 200
    code, out, err = run(capsys, "centre", "review", again["submitted"][:8], "--state", "approved", "--advisor",
                         "Anna Rossi", "--comment", "Grazie")
    assert code == 0, err
    assert run(capsys, "review", "resolve", own["id"][:8], "--district", DEMO)[0] == 0
    final = run_json(capsys, "sync", "--district", DEMO, "--centre", served)
    assert final["replies_sent"] == 1
    shown = run_json(capsys, "review", "show", "--district", DEMO)
    assert [s["state"] for s in shown["submissions"]] == ["approved", "has_issues"]
    assert shown["submissions"][0]["previous_id"] == submission
    assert all(not t["open"] and t["resolved"] for t in shown["threads"]) and len(shown["threads"]) == 3
    assert shown["received_by"] == "sync"


def test_a_reply_to_a_thread_resolved_meanwhile_is_kept_marked_not_lost(demo_store, served, advisor,  # noqa: F811
                                                                      capsys):
    district = demo_store.demo_id
    code, token, _err = run(capsys, "centre", "enrol", "--district-name", "Valsugana")
    first = run_json(capsys, "sync", "--district", DEMO, "--centre", served, "--token", token.strip(), "--submit",
                     "--without-dossier")
    gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    thread = advisor.post(f"/v1/advisor/submissions/{first['submitted']}/threads", json={
        "anchor": {"kind": "record", "table": "stakeholder", "id": gas["id"]}, "text": "Soci?"}).json()
    run_json(capsys, "sync", "--district", DEMO, "--centre", served)
    assert run(capsys, "review", "reply", thread["id"][:8], "--district", DEMO, "--text", "Sono 120")[0] == 0
    assert advisor.post(f"/v1/advisor/threads/{thread['id']}/resolve").status_code == 200
    report = run_json(capsys, "sync", "--district", DEMO, "--centre", served)
    assert report["replies_sent"] == 0 and report["replies_refused"] == ["this thread is resolved: open a new one"]
    [held] = list_threads(demo_store, district)
    assert held["resolved"] and [(e["text"], e["refused"]) for e in held["pending"]] == [
        ("Sono 120", "this thread is resolved: open a new one")]
    assert outbox(demo_store, district) == []  # not sent again
    assert run_json(capsys, "sync", "--district", DEMO, "--centre", served)["replies_refused"] == []
