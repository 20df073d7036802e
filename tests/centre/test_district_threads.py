"""A district's part in the threads, over its signed requests to a real Centre (SQLite and PostgreSQL 15):
replies under its own ids (sent twice, kept once), threads it opens about its own records only, resolving
only what it opened; another district, an advisor's token, or nobody, get nowhere."""

from __future__ import annotations

import uuid

from ssd_starter.centre.advisors import find_advisor
from ssd_starter.centre.threads import get_thread, open_thread
from tests.centre.helpers import advisor_call, district_with_records, sign_in, submit


def _setup(centre):
    district, ids = district_with_records(centre)
    submission = submit(centre, district).json()["id"]
    token = sign_in(centre, "Anna")
    thread = open_thread(centre.engine, submission, find_advisor(centre.engine, "Anna"), kind="record",
                         table="stakeholder", key=ids["actor"], text="Quante famiglie?")
    return district, ids, submission, token, thread


def test_a_districts_reply_is_kept_once_under_its_own_id(hostile):
    district, _ids, _submission, _token, thread = _setup(hostile)
    reply = {"id": str(uuid.uuid4()), "text": "Sono 120"}
    path = f"/v1/threads/{thread['id']}/replies"
    first = district.call(hostile, "POST", path, reply)
    assert first.status_code == 201, first.text
    again = district.call(hostile, "POST", path, reply)  # a sync cut off before it heard the answer
    assert again.status_code == 201
    messages = get_thread(hostile.engine, thread["id"])["messages"]
    assert [(m["text"], m["by_district"], m["author"]) for m in messages] == [
        ("Quante famiglie?", False, "Anna"), ("Sono 120", True, "Valsugana")]
    state = district.call(hostile, "GET", "/v1/submissions").json()
    assert state["centre"]["public_key"] and state["as_of"]
    [pulled] = state["threads"]
    assert [m["by_district"] for m in pulled["messages"]] == [False, True]


def test_a_district_cannot_resolve_an_advisors_thread_nor_touch_another_districts(hostile):
    district, _ids, _submission, token, thread = _setup(hostile)
    other, _other_ids = district_with_records(hostile, "Altopiano")
    path = f"/v1/threads/{thread['id']}"
    assert district.call(hostile, "POST", path + "/resolve").status_code == 403
    reply = {"id": str(uuid.uuid4()), "text": "Intruso"}
    assert other.call(hostile, "POST", path + "/replies", reply).status_code == 404
    assert other.call(hostile, "POST", path + "/resolve").status_code == 404
    # an advisor's token opens no district endpoint, whatever else the request carries
    assert district.call(hostile, "POST", path + "/replies", reply,
                         extra={"authorization": f"Bearer {token}"}).status_code == 401
    unsigned = advisor_call(hostile, None, "POST", path + "/replies", reply)
    assert unsigned.status_code == 401
    assert len(get_thread(hostile.engine, thread["id"])["messages"]) == 1


def test_a_district_opens_threads_on_its_own_records_and_resolves_them(hostile):
    district, ids, _submission, token, _thread = _setup(hostile)
    other, other_ids = district_with_records(hostile, "Altopiano")
    own = {"id": str(uuid.uuid4()), "anchor": {"kind": "record", "table": "stakeholder", "id": ids["actor"]},
           "text": "Abbiamo aggiunto i soci."}
    opened = district.call(hostile, "POST", "/v1/threads", own)
    assert opened.status_code == 201, opened.text
    assert district.call(hostile, "POST", "/v1/threads", own).status_code == 201  # sent twice: opened once
    body = opened.json()
    assert body["opened_by"] is None and body["opened_by_district"] and body["submission_id"]
    # another district's record, or the same id from another district, is refused
    foreign = {**own, "id": str(uuid.uuid4()), "anchor": {**own["anchor"], "id": other_ids["actor"]}}
    assert district.call(hostile, "POST", "/v1/threads", foreign).status_code == 404
    assert other.call(hostile, "POST", "/v1/threads", {**own, "anchor": {**own["anchor"],
                                                                        "id": other_ids["actor"]}}).status_code == 409
    section = {"id": str(uuid.uuid4()), "anchor": {"kind": "section", "key": "purpose"}, "text": "Rivisto"}
    assert district.call(hostile, "POST", "/v1/threads", section).status_code == 201
    # its advisor cannot resolve the district's thread; the district can
    resolve = advisor_call(hostile, token, "POST", f"/v1/advisor/threads/{own['id']}/resolve")
    assert resolve.status_code == 403
    done = district.call(hostile, "POST", f"/v1/threads/{own['id']}/resolve")
    assert done.status_code == 200 and done.json()["resolved"] and done.json()["resolved_by_district"]
    late = district.call(hostile, "POST", f"/v1/threads/{own['id']}/replies", {"id": str(uuid.uuid4()),
                                                                                "text": "Ancora"})
    assert late.status_code == 409
    threads = district.call(hostile, "GET", "/v1/submissions").json()["threads"]
    assert {t["anchor"]["table"] for t in threads} == {"stakeholder", "charter_section"} and len(threads) == 3
