"""The whole review loop with a promoter who is never online, as people run it, on SQLite and PostgreSQL 15:
the promoter submits by a bundle (`bundle write --submit`) carried on a USB stick; the Centre takes it on
its host (`centre import`) or an advisor uploads it in the review area (the advisor API); an advisor opens
a thread and `centre review` says the submission has issues; the Centre's answer goes back in a reply bundle
(`centre reply-bundle`, `bundle import`); the promoter replies and opens and resolves threads offline, and
those reach the Centre in the promoter's next bundle, signed with the rest of it; the resubmission answers
the first submission; the advisor approves, and the approval reaches the promoter offline too."""

from __future__ import annotations

import json

from ssd_starter.store.review import list_threads, outbox
from ssd_starter.store.stakeholders import find_stakeholder
from tests.centre.test_cli_centre import DEMO, centre_env, run, run_json, served  # noqa: F401 - fixtures
from tests.centre.test_review_loop import advisor  # noqa: F401 - the fixture, found by its name
from tests.sync.test_bundle import rezip


def resigned(data: bytes) -> bytes:
    """The bundle with its manifest's sizes and hashes made to fit its members, signed by this installation."""
    import hashlib
    import io
    import zipfile

    from ssd_starter.sync.identity import load_or_create

    source = zipfile.ZipFile(io.BytesIO(data))
    members = {i.filename: source.read(i) for i in source.infolist()}
    manifest = json.loads(members["manifest.json"])
    for member in manifest["members"]:
        member["size"] = len(members[member["name"]])
        member["sha256"] = hashlib.sha256(members[member["name"]]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    members["manifest.sig"] = load_or_create().sign(members["manifest.json"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def _centre_thread(http, submission: str, thread_id: str) -> dict:
    detail = http.get(f"/v1/advisor/submissions/{submission}").json()
    return next(t for t in detail["threads"] if t["id"] == thread_id)


def test_the_whole_loop_offline_by_bundles(demo_store, served, advisor, capsys, tmp_path):  # noqa: F811
    district = demo_store.demo_id
    # 1. the promoter, never online, writes a bundle that submits the district, with its dossier
    stick = tmp_path / "chiavetta"
    stick.mkdir()
    first_bundle = stick / "valsugana-1.ssdbundle"
    written = run_json(capsys, "bundle", "write", "--district", DEMO, "--out", str(first_bundle), "--submit",
                       "--note", "Prima consegna")
    assert written["counts"]["changes"] > 200 and written["submission"]["note"] == "Prima consegna"
    assert written["submission"]["with_dossier"]
    code, out, err = run(capsys, "bundle", "write", "--district", DEMO, "--out", str(tmp_path / "x.ssdbundle"),
                         "--note", "x")
    assert code == 1 and "--submit" in err  # a note goes with a submission
    # 2. the Centre takes it on its host: rows, the district (first contact), the submission
    imported = run_json(capsys, "centre", "import", str(first_bundle))
    assert imported["district_id"] == district and imported["stored"] > 200
    submission = imported["submission"]["id"]
    assert submission == written["submission"]["id"] and imported["submission"]["state"] == "received"
    [listed] = run_json(capsys, "centre", "submissions")
    assert (listed["id"], listed["district_id"], listed["state"], listed["note"], listed["has_dossier"]) == (
        submission, district, "received", "Prima consegna", True)
    # the same bundle again: nothing new, and no second submission
    again = run_json(capsys, "centre", "import", str(first_bundle))
    assert again["stored"] == 0 and again["submission"]["id"] == submission, (imported, again)
    assert len(run_json(capsys, "centre", "submissions")) == 1
    code, out, _err = run(capsys, "centre", "import", str(first_bundle))
    assert code == 0 and submission[:8] in out
    # 3. the advisor asks about an actor; the administrator says the submission has issues
    gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    about_gas = advisor.post(f"/v1/advisor/submissions/{submission}/threads", json={
        "anchor": {"kind": "record", "table": "stakeholder", "id": gas["id"]},
        "text": "Quante famiglie ne fanno parte?"}).json()
    code, out, err = run(capsys, "centre", "review", submission[:8], "--state", "has_issues", "--advisor",
                         "Anna Rossi", "--comment", "Manca il numero dei soci")
    assert code == 0, err
    # 4. the answer goes back on the stick; the promoter imports it (the Centre's key trusted on first use)
    reply = stick / "risposta-1.ssdbundle"
    assert run(capsys, "centre", "reply-bundle", "--district", DEMO, "--out", str(reply))[0] == 0
    taken = run_json(capsys, "bundle", "import", str(reply))
    assert (taken["kind"], taken["submissions"], taken["threads"], taken["first_contact"]) == ("reply", 1, 1, True)
    shown = run_json(capsys, "review", "show", "--district", DEMO)
    assert [(s["id"], s["state"]) for s in shown["submissions"]] == [(submission, "has_issues")]
    # 5. offline, the promoter replies to the advisor and opens a thread of their own about a flow
    assert run(capsys, "review", "reply", about_gas["id"][:8], "--district", DEMO, "--text", "120 famiglie")[0] == 0
    flow = next(f for f in run_json(capsys, "flow", "list", "--district", DEMO) if f["description"])
    assert run(capsys, "review", "open", "--district", DEMO, "--record", f"flow:{flow['id']}", "--text",
               "Questo flusso è stimato.")[0] == 0
    assert [e["action"] for e in outbox(demo_store, district)] == ["reply", "open"]
    # 6. the resubmission by bundle carries the replies, signed with the rest
    second_bundle = stick / "valsugana-2.ssdbundle"
    written = run_json(capsys, "bundle", "write", "--district", DEMO, "--out", str(second_bundle), "--submit",
                       "--note", "Soci: 120", "--without-dossier")
    assert written["counts"]["replies"] == 2 and not written["submission"]["with_dossier"]
    # altered after it was signed (a reply rewritten on the stick): refused whole, nothing stored
    forged = tmp_path / "forged.ssdbundle"
    forged.write_bytes(rezip(second_bundle.read_bytes(), change={
        "replies.json": lambda body: body.replace(b"120 famiglie", b"12 famiglie")}))
    code, _out, err = run(capsys, "centre", "import", str(forged))
    assert code == 1 and "altered after it was signed" in err
    assert len(run_json(capsys, "centre", "submissions")) == 1
    assert [m["text"] for m in _centre_thread(advisor, submission, about_gas["id"])["messages"]] == [
        "Quante famiglie ne fanno parte?"]
    # this one the advisor uploads in the review area (the advisor API), as from a stick brought to the Centre
    uploaded = advisor.post("/v1/advisor/bundles", content=second_bundle.read_bytes(),
                            headers={"content-type": "application/zip"})
    assert uploaded.status_code == 200, uploaded.text
    body = uploaded.json()
    assert (body["district_id"], body["replies_taken"], body["replies_refused"]) == (district, 2, [])
    resubmission = body["submission_id"]
    assert resubmission == written["submission"]["id"]
    newest, previous = run_json(capsys, "centre", "submissions")
    assert (newest["id"], newest["previous_id"], previous["id"]) == (resubmission, submission, submission)
    assert not newest["has_dossier"] and newest["note"] == "Soci: 120"
    on_gas = _centre_thread(advisor, resubmission, about_gas["id"])
    assert [(m["text"], m["author"]) for m in on_gas["messages"]] == [
        ("Quante famiglie ne fanno parte?", "Anna Rossi"), ("120 famiglie", DEMO)]
    own = next(t for t in advisor.get(f"/v1/advisor/submissions/{resubmission}").json()["threads"]
               if t["anchor"]["table"] == "flow")
    assert own["anchor"]["id"] == flow["id"] and own["opened_by"] is None and not own["resolved"]
    # uploaded twice (the stick brought again): each reply is kept once
    assert advisor.post("/v1/advisor/bundles", content=second_bundle.read_bytes(),
                        headers={"content-type": "application/zip"}).json()["replies_taken"] == 2
    assert len(_centre_thread(advisor, resubmission, about_gas["id"])["messages"]) == 2
    assert len(run_json(capsys, "centre", "submissions")) == 2
    # 7. the next reply bundle shows them delivered: they leave the promoter's outbox
    reply = stick / "risposta-2.ssdbundle"
    assert run(capsys, "centre", "reply-bundle", "--district", DEMO, "--out", str(reply))[0] == 0
    assert run_json(capsys, "bundle", "import", str(reply))["threads"] == 2
    assert outbox(demo_store, district) == []
    # 8. the promoter resolves their own thread, offline; a plain bundle (no submission) carries it
    assert run(capsys, "review", "resolve", own["id"][:8], "--district", DEMO)[0] == 0
    third_bundle = stick / "valsugana-3.ssdbundle"
    written = run_json(capsys, "bundle", "write", "--district", DEMO, "--out", str(third_bundle))
    assert written["counts"]["replies"] == 1 and "submission" not in written
    imported = run_json(capsys, "centre", "import", str(third_bundle))
    assert imported["submission"] is None and imported["replies_taken"] == 1
    resolved = _centre_thread(advisor, resubmission, own["id"])
    assert resolved["resolved"] and resolved["resolved_by"] is None  # by the district itself
    # 9. the advisor resolves their thread and approves; the approval reaches the promoter offline
    assert advisor.post(f"/v1/advisor/threads/{about_gas['id']}/resolve").status_code == 200
    code, out, err = run(capsys, "centre", "review", resubmission[:8], "--state", "approved", "--advisor",
                         "Anna Rossi", "--comment", "Grazie")
    assert code == 0, err
    reply = stick / "risposta-3.ssdbundle"
    assert run(capsys, "centre", "reply-bundle", "--district", DEMO, "--out", str(reply))[0] == 0
    assert run(capsys, "bundle", "import", str(reply))[0] == 0
    shown = run_json(capsys, "review", "show", "--district", DEMO)
    assert [s["state"] for s in shown["submissions"]] == ["approved", "has_issues"]
    assert shown["submissions"][0]["previous_id"] == submission and shown["received_by"] == "bundle"
    assert all(not t["open"] for t in shown["threads"]) and len(shown["threads"]) == 2
    assert list_threads(demo_store, district, table="flow")[0]["resolved"]
    code, out, _err = run(capsys, "review", "show", "--district", DEMO)
    assert "approved" in out and "Grazie" in out
    assert outbox(demo_store, district) == []


def test_a_reply_the_centre_cannot_take_is_reported_and_the_rest_taken(demo_store, served, advisor,  # noqa: F811
                                                                       capsys, tmp_path):
    """A reply to a thread the advisor resolved before the stick arrived: the Centre says so and takes the
    rest; the next reply bundle marks it refused at the promoter's, so it is not carried for ever."""
    district = demo_store.demo_id
    first = tmp_path / "1.ssdbundle"
    run_json(capsys, "bundle", "write", "--district", DEMO, "--out", str(first), "--submit", "--without-dossier")
    submission = run_json(capsys, "centre", "import", str(first))["submission"]["id"]
    gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    thread = advisor.post(f"/v1/advisor/submissions/{submission}/threads", json={
        "anchor": {"kind": "record", "table": "stakeholder", "id": gas["id"]}, "text": "Soci?"}).json()
    reply = tmp_path / "r.ssdbundle"
    run(capsys, "centre", "reply-bundle", "--district", DEMO, "--out", str(reply))
    run_json(capsys, "bundle", "import", str(reply))
    assert run(capsys, "review", "reply", thread["id"][:8], "--district", DEMO, "--text", "Sono 120")[0] == 0
    assert run(capsys, "review", "open", "--district", DEMO, "--section", "purpose", "--text", "Va bene?")[0] == 0
    assert advisor.post(f"/v1/advisor/threads/{thread['id']}/resolve").status_code == 200
    second = tmp_path / "2.ssdbundle"
    run_json(capsys, "bundle", "write", "--district", DEMO, "--out", str(second))
    imported = run_json(capsys, "centre", "import", str(second))
    assert imported["replies_taken"] == 1
    assert imported["replies_refused"] == ["this thread is resolved: open a new one"]
    code, out, _err = run(capsys, "centre", "import", str(second))
    assert code == 0 and "this thread is resolved" in out
    run(capsys, "centre", "reply-bundle", "--district", DEMO, "--out", str(reply))
    run_json(capsys, "bundle", "import", str(reply))
    assert outbox(demo_store, district) == []  # the thread is delivered; the reply is not carried again
    [held] = [t for t in list_threads(demo_store, district) if t["id"] == thread["id"]]
    assert held["resolved"] and [(e["text"], e["refused"]) for e in held["pending"]] == [
        ("Sono 120", "this thread is resolved: open a new one")]


def test_a_bundle_with_a_submission_the_centre_refuses_stores_nothing(demo_store, centre_env, capsys,  # noqa: F811
                                                                     tmp_path):
    bundle = tmp_path / "b.ssdbundle"
    run_json(capsys, "bundle", "write", "--district", DEMO, "--out", str(bundle), "--submit", "--without-dossier")

    def unreadable(body: bytes) -> bytes:
        document = json.loads(body)
        document["summary"] = {"flows": "nothing"}
        return json.dumps(document).encode()

    # signed again by the promoter's own key, so only the Centre's own checks can refuse it
    broken = tmp_path / "broken.ssdbundle"
    broken.write_bytes(resigned(rezip(bundle.read_bytes(), change={"submission.json": unreadable})))
    code, _out, err = run(capsys, "centre", "import", str(broken))
    assert code == 1 and "flow indicators" in err
    assert run_json(capsys, "centre", "submissions") == [] and run_json(capsys, "centre", "districts") == []
    # the promoter's replies checked as strictly, whoever signed them: an entry of no known kind
    with_reply = tmp_path / "with-reply.ssdbundle"
    from ssd_starter.store.review import QueueThread

    demo_store.apply(QueueThread(demo_store.demo_id, "section", "charter_section", "purpose", "Va bene?"))
    run_json(capsys, "bundle", "write", "--district", DEMO, "--out", str(with_reply))

    def unknown_kind(body: bytes) -> bytes:
        document = json.loads(body)
        document[0]["action"] = "delete"
        return json.dumps(document).encode()

    broken.write_bytes(resigned(rezip(with_reply.read_bytes(), change={"replies.json": unknown_kind})))
    code, _out, err = run(capsys, "centre", "import", str(broken))
    assert code == 1 and "replies to the Centre are not readable" in err
    assert run_json(capsys, "centre", "districts") == []
    # a reply left out, the manifest still counting it
    broken.write_bytes(resigned(rezip(with_reply.read_bytes(), change={"replies.json": lambda body: b"[]"})))
    code, _out, err = run(capsys, "centre", "import", str(broken))
    assert code == 1 and "do not match its manifest" in err
