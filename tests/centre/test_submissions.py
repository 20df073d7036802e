"""Submissions and their review over HTTP on a real Centre (SQLite and PostgreSQL 15): a district submits,
advisors review, comment in threads and decide; every refusal a 4xx and no traceback in the server's log."""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.centre.helpers import (
    PDF,
    TIMEOUT,
    advisor_call,
    district_with_records,
    enrol,
    sign_in,
    submit,
    summary,
)


def test_a_submission_is_received_listed_and_read_with_its_snapshot_and_dossier(hostile):
    district, ids = district_with_records(hostile)
    sent = submit(hostile, district, note="  Prima consegna  ", charter_version_id=ids["version"],
                  summary=summary(lm3=1.43), dossier=base64.b64encode(PDF).decode())
    assert sent.status_code == 201, sent.text
    submission = sent.json()
    assert submission["state"] == "received" and submission["previous_id"] is None
    token = sign_in(hostile, "Anna Rossi")
    [listed] = advisor_call(hostile, token, "GET", "/v1/advisor/submissions").json()["submissions"]
    assert (listed["id"], listed["district_id"], listed["district_name"]) == (submission["id"], district.id,
                                                                              "Valsugana")
    assert listed["note"] == "Prima consegna" and listed["has_dossier"] and listed["dossier_size"] == len(PDF)
    assert listed["indicators"]["lm3"] == {"value": 1.43, "status": "none"}  # the status as the district sent it
    detail = advisor_call(hostile, token, "GET", f"/v1/advisor/submissions/{submission['id']}").json()
    assert detail["summary"]["flows"]["values"]["lm3"]["value"] == 1.43
    assert detail["charter_version_id"] == ids["version"]
    assert [(e["state"], e["by"], e["advisor"]) for e in detail["history"]] == [("received", "Valsugana", False)]
    dossier = advisor_call(hostile, token, "GET", f"/v1/advisor/submissions/{submission['id']}/dossier")
    assert dossier.status_code == 200 and dossier.content == PDF
    assert dossier.headers["content-type"] == "application/pdf"


def test_a_submission_without_a_dossier_has_none_to_download(hostile):
    district = enrol(hostile)
    submission = submit(hostile, district).json()
    token = sign_in(hostile, "Anna")
    assert advisor_call(hostile, token, "GET", f"/v1/advisor/submissions/{submission['id']}/dossier"
                        ).status_code == 404


def test_states_change_with_their_history_and_rejecting_needs_a_comment(hostile):
    district = enrol(hostile)
    submission_id = submit(hostile, district).json()["id"]
    anna, marco = sign_in(hostile, "Anna"), sign_in(hostile, "Marco")
    path = f"/v1/advisor/submissions/{submission_id}/state"
    assert advisor_call(hostile, anna, "POST", path, {"state": "rejected"}).status_code == 422
    assert advisor_call(hostile, anna, "POST", path, {"state": "rejected", "comment": "   "}).status_code == 422
    assert advisor_call(hostile, anna, "POST", path, {"state": "received"}).status_code == 422
    assert advisor_call(hostile, anna, "POST", path, {"state": "lost"}).status_code == 422
    changed = advisor_call(hostile, anna, "POST", path, {"state": "has_issues", "comment": "Mancano i flussi"})
    assert changed.status_code == 200 and changed.json()["state"] == "has_issues"
    assert advisor_call(hostile, marco, "POST", path, {"state": "has_issues"}).status_code == 409
    rejected = advisor_call(hostile, marco, "POST", path, {"state": "rejected", "comment": "Fuori tempo"}).json()
    assert [(e["from_state"], e["state"], e["by"], e["comment"]) for e in rejected["history"]] == [
        (None, "received", "Valsugana", ""), ("received", "has_issues", "Anna", "Mancano i flussi"),
        ("has_issues", "rejected", "Marco", "Fuori tempo")]
    assert advisor_call(hostile, anna, "POST", "/v1/advisor/submissions/00000000-0000-4000-8000-000000000000/state",
                        {"state": "approved"}).status_code == 404


def test_two_advisors_deciding_at_once_cannot_both_win(hostile):
    district = enrol(hostile)
    submission_id = submit(hostile, district).json()["id"]
    tokens = [sign_in(hostile, f"Advisor {n}") for n in range(6)]
    path = f"/v1/advisor/submissions/{submission_id}/state"
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda t: advisor_call(hostile, t, "POST", path, {"state": "approved"}).status_code,
                                 tokens))
    assert statuses.count(200) == 1 and set(statuses) == {200, 409}, statuses
    history = advisor_call(hostile, tokens[0], "GET", f"/v1/advisor/submissions/{submission_id}").json()["history"]
    assert [e["state"] for e in history] == ["received", "approved"]


def test_a_new_submission_after_has_issues_answers_the_previous_one(hostile):
    district, ids = district_with_records(hostile)
    first = submit(hostile, district).json()["id"]
    token = sign_in(hostile, "Anna")
    advisor_call(hostile, token, "POST", f"/v1/advisor/submissions/{first}/threads",
                 {"anchor": {"kind": "record", "table": "stakeholder", "id": ids["actor"]}, "text": "Chi paga?"})
    advisor_call(hostile, token, "POST", f"/v1/advisor/submissions/{first}/state",
                 {"state": "has_issues", "comment": "Vedi il filo"})
    second = submit(hostile, district, note="Corretto").json()
    assert second["previous_id"] == first
    detail = advisor_call(hostile, token, "GET", f"/v1/advisor/submissions/{second['id']}").json()
    assert detail["previous_id"] == first and [t["submission_id"] for t in detail["threads"]] == [first]
    assert advisor_call(hostile, token, "GET", f"/v1/advisor/submissions/{first}").json()["next_id"] == second["id"]
    third = submit(hostile, district).json()  # the latest is received, not has_issues: nothing to answer
    assert third["previous_id"] is None


def test_lists_filter_by_state_and_district(hostile):
    a, b = enrol(hostile, "Alto Garda"), enrol(hostile, "Bassa Valsugana")
    ids = [submit(hostile, d).json()["id"] for d in (a, b, a)]
    token = sign_in(hostile, "Anna")
    advisor_call(hostile, token, "POST", f"/v1/advisor/submissions/{ids[0]}/state", {"state": "approved"})

    def listed(query: str) -> list[str]:
        response = advisor_call(hostile, token, "GET", f"/v1/advisor/submissions{query}")
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["submissions"]]

    assert listed("") == ids[::-1]  # newest first
    assert listed("?state=received") == [ids[2], ids[1]]
    assert listed(f"?district={a.id}") == [ids[2], ids[0]]
    assert listed(f"?district={a.id}&state=approved") == [ids[0]]
    assert listed("?limit=1") == [ids[2]]
    for bad in ("?state=lost", "?district=x", "?limit=0", "?district=%00%00%00%00%00%00%00%00"):
        assert advisor_call(hostile, token, "GET", f"/v1/advisor/submissions{bad}").status_code == 422


# -- threads ----------------------------------------------------------------------------------

def test_threads_on_a_record_and_on_a_charter_section_reach_the_district(hostile):
    from ssd_starter.core.charter import section_id

    district, ids = district_with_records(hostile)
    submission_id = submit(hostile, district).json()["id"]
    anna, marco = sign_in(hostile, "Anna"), sign_in(hostile, "Marco")
    threads = f"/v1/advisor/submissions/{submission_id}/threads"
    on_actor = advisor_call(hostile, anna, "POST", threads, {
        "anchor": {"kind": "record", "table": "stakeholder", "id": ids["actor"]}, "text": "Quanti soci?"})
    assert on_actor.status_code == 201, on_actor.text
    on_purpose = advisor_call(hostile, marco, "POST", threads,
                              {"anchor": {"kind": "section", "key": "purpose"}, "text": "Troppo generico"}).json()
    assert on_purpose["anchor"] == {"kind": "section", "table": "charter_section", "id": "purpose",
                                    "row_id": section_id(ids["charter"], "purpose")}
    thread = on_actor.json()
    replied = advisor_call(hostile, marco, "POST", f"/v1/advisor/threads/{thread['id']}/replies",
                           {"text": "Dodici, dal verbale"})
    assert replied.status_code == 201
    assert [(m["author"], m["text"]) for m in replied.json()["messages"]] == [
        ("Anna", "Quanti soci?"), ("Marco", "Dodici, dal verbale")]
    assert advisor_call(hostile, marco, "POST", f"/v1/advisor/threads/{thread['id']}/resolve").status_code == 403
    resolved = advisor_call(hostile, anna, "POST", f"/v1/advisor/threads/{thread['id']}/resolve").json()
    assert resolved["resolved"] and resolved["resolved_by"] == "Anna" and resolved["opened_by"] == "Anna"
    assert advisor_call(hostile, anna, "POST", f"/v1/advisor/threads/{thread['id']}/resolve").status_code == 200
    assert advisor_call(hostile, marco, "POST", f"/v1/advisor/threads/{thread['id']}/replies",
                        {"text": "Ancora"}).status_code == 409
    # the district: the messages as comments next to their records (the pull it always made) …
    comments = district.call(hostile, "GET", "/v1/sync/pull?since=0").json()["comments"]
    assert [(c["table_name"], c["row_id"], c["text"]) for c in comments] == [
        ("stakeholder", ids["actor"], "Quanti soci?"),
        ("charter_section", section_id(ids["charter"], "purpose"), "Troppo generico"),
        ("stakeholder", ids["actor"], "Dodici, dal verbale")]
    # … and the threads with the submissions
    review = district.call(hostile, "GET", "/v1/submissions").json()
    assert [s["id"] for s in review["submissions"]] == [submission_id]
    assert [(t["anchor"]["kind"], t["resolved"], len(t["messages"])) for t in review["threads"]] == [
        ("record", True, 2), ("section", False, 1)]


@pytest.mark.parametrize(("anchor", "status"), [
    ({"kind": "record", "table": "stakeholder", "id": "00000000-0000-4000-8000-000000000000"}, 404),
    ({"kind": "record", "id": "00000000-0000-4000-8000-000000000000"}, 422),
    ({"kind": "record", "table": "stakeholder"}, 422),
    ({"kind": "section", "key": "preamble"}, 422),
    ({"kind": "section"}, 422),
    ({"kind": "page", "key": "purpose"}, 422),
    ({"kind": "record", "table": "Stakeholder; DROP", "id": "x"}, 422),
])
def test_a_thread_about_nothing_the_centre_holds_is_refused(hostile, anchor, status):
    district, _ids = district_with_records(hostile)
    submission_id = submit(hostile, district).json()["id"]
    token = sign_in(hostile, "Anna")
    response = advisor_call(hostile, token, "POST", f"/v1/advisor/submissions/{submission_id}/threads",
                            {"anchor": anchor, "text": "?"})
    assert response.status_code == status, response.text


def test_a_section_thread_needs_the_charter_at_the_centre(hostile):
    district = enrol(hostile)
    submission_id = submit(hostile, district).json()["id"]
    token = sign_in(hostile, "Anna")
    response = advisor_call(hostile, token, "POST", f"/v1/advisor/submissions/{submission_id}/threads",
                            {"anchor": {"kind": "section", "key": "purpose"}, "text": "?"})
    assert response.status_code == 404 and "charter" in response.json()["detail"]


def test_another_districts_record_cannot_anchor_a_thread(hostile):
    a, a_ids = district_with_records(hostile, "A")
    b = enrol(hostile, "B")
    submission_id = submit(hostile, b).json()["id"]
    token = sign_in(hostile, "Anna")
    response = advisor_call(hostile, token, "POST", f"/v1/advisor/submissions/{submission_id}/threads", {
        "anchor": {"kind": "record", "table": "stakeholder", "id": a_ids["actor"]}, "text": "?"})
    assert response.status_code == 404
    assert district_comments(hostile, b) == [] and district_comments(hostile, a) == []


def district_comments(centre, district):
    return district.call(centre, "GET", "/v1/sync/pull?since=0").json()["comments"]


def test_a_district_sees_only_its_own_submissions_and_threads(hostile):
    a, a_ids = district_with_records(hostile, "A")
    b, _b_ids = district_with_records(hostile, "B")
    first = submit(hostile, a).json()["id"]
    submit(hostile, b)
    token = sign_in(hostile, "Anna")
    advisor_call(hostile, token, "POST", f"/v1/advisor/submissions/{first}/threads",
                 {"anchor": {"kind": "record", "table": "stakeholder", "id": a_ids["actor"]}, "text": "Solo A"})
    seen_by_b = b.call(hostile, "GET", "/v1/submissions").json()
    assert first not in [s["id"] for s in seen_by_b["submissions"]] and seen_by_b["threads"] == []
    assert [t["district_id"] for t in a.call(hostile, "GET", "/v1/submissions").json()["threads"]] == [a.id]


# -- what a district may send -----------------------------------------------------------------

def _raw_submission(summary_json: str = None, **fields) -> bytes:
    document = {"note": "", **fields}
    body = json.dumps(document)[:-1] + ', "summary": ' + (summary_json or json.dumps(summary())) + "}"
    return body.encode()


BAD_SUBMISSIONS = {
    "summary NaN": (lambda: _raw_submission(json.dumps(summary()).replace('"value": null', '"value": NaN', 1)), 422),
    "summary 1e999": (lambda: _raw_submission(json.dumps(summary()).replace('"value": null', '"value": 1e999', 1)),
                      422),
    "summary huge integer": (lambda: _raw_submission(json.dumps(summary()).replace('"value": null',
                                                                                  '"value": ' + "9" * 40, 1)), 422),
    "summary lone surrogate": (lambda: _raw_submission('{"flows": {"values": {}, "status": {}}, "x": "\\ud800"}'),
                               422),
    "summary NUL": (lambda: _raw_submission('{"flows": {"values": {}, "status": {}}, "x": "\\u0000"}'), 422),
    "summary too deep": (lambda: _raw_submission('{"flows": {"values": {}, "status": {}}, "x": '
                                                 + "[" * 40 + "]" * 40 + "}"), 422),
    "summary too large": (lambda: _raw_submission(json.dumps({**summary(), "x": "a" * 300_000})), 422),
    "summary without flows": (lambda: _raw_submission('{"network": {}}'), 422),
    "summary a list": (lambda: _raw_submission("[1, 2]"), 422),
    "indicator a word": (lambda: _raw_submission(json.dumps(summary()).replace('"value": null', '"value": "x"', 1)),
                         422),
    "status unknown": (lambda: _raw_submission(json.dumps(summary()).replace('"none"', '"purple"', 1)), 422),
    "note lone surrogate": (lambda: _raw_submission(note="\ud800"), 422),
    "note NUL": (lambda: _raw_submission(note="a\x00b"), 422),
    "note too long": (lambda: _raw_submission(note="x" * 2001), 422),
    "charter version unknown": (lambda: _raw_submission(charter_version_id="00000000-0000-4000-8000-000000000000"),
                                422),
    "charter version malformed": (lambda: _raw_submission(charter_version_id="../../etc"), 422),
    "dossier not base64": (lambda: _raw_submission(dossier="%%%"), 422),
    "dossier not a PDF": (lambda: _raw_submission(dossier=base64.b64encode(b"MZ\x90\x00").decode()), 422),
    "dossier over 20 MB": (lambda: _raw_submission(dossier=base64.b64encode(b"%PDF-" + b"0" * (20 * 2**20)).decode()),
                           413),
}


@pytest.mark.parametrize("attack", list(BAD_SUBMISSIONS))
def test_a_submission_that_does_not_fit_is_refused_and_nothing_stored(hostile, attack):
    build, status = BAD_SUBMISSIONS[attack]
    district = enrol(hostile)
    response = district.call(hostile, "POST", "/v1/submissions", raw=build())
    assert response.status_code == status, response.text
    assert district.call(hostile, "GET", "/v1/submissions").json()["submissions"] == []


def test_a_body_over_the_centres_bound_is_cut_off_while_it_streams(hostile):
    from ssd_starter.centre.app import MAX_BODY

    district = enrol(hostile)
    body = _raw_submission(dossier="A" * (MAX_BODY + 10))
    response = httpx.post(hostile.url + "/v1/submissions", content=body, timeout=TIMEOUT,
                          headers=district.headers("POST", "/v1/submissions", body))
    assert response.status_code == 413
