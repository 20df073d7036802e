"""The review area's way to the Centre, without a window: the advisor client over real uvicorn on loopback
(SQLite and PostgreSQL 15), and the local copy that answers when the Centre does not and keeps the actions
taken meanwhile until they can be sent."""

from __future__ import annotations

import json
import threading
import time
import uuid

import httpx
import pytest

from ssd_starter.centre import advisors as accounts
from ssd_starter.centre.advisor_client import (
    AdvisorClient,
    AdvisorSession,
    CentreRefused,
    CentreUnreachable,
    SignInNeeded,
)
from ssd_starter.centre.review_copy import AdvisorReview, ReviewCopy
from ssd_starter.core.errors import UserError
from tests.centre.helpers import PDF, TIMEOUT, district_with_records, push, submit
from tests.sync.hostile import actor_row


class Restartable:
    """A Centre on a fixed loopback port that can be stopped and started again on the same database: the
    advisor's laptop losing and finding the network."""

    def __init__(self, database_url: str) -> None:
        from tests.sync.conftest import free_port

        self.database_url = database_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.start()

    def start(self) -> None:
        import uvicorn

        from ssd_starter.centre.app import create_app

        self.app = create_app(self.database_url)
        self.engine = self.app.state.engine
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the Centre did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.engine.dispose()


@pytest.fixture
def centre_up(database_url):
    running = Restartable(database_url)
    yield running
    running.stop()


def add_advisor(centre, name="Chiara", password="una password lunga") -> None:
    issued = accounts.add_advisor(centre.engine, name)
    AdvisorClient(centre.url).sign_in(name, code=issued.code, new_password=password)


@pytest.fixture
def loop(centre_up, tmp_path):
    """A district that pushed and submitted (with a dossier), and Chiara signed in with a local copy."""
    district, ids = district_with_records(centre_up)
    response = submit(centre_up, district, note="Prima consegna",
                      dossier=__import__("base64").b64encode(PDF).decode())
    assert response.status_code == 201, response.text
    add_advisor(centre_up)
    review = AdvisorReview.sign_in(centre_up.url, "Chiara", password="una password lunga",
                                   copy=ReviewCopy(tmp_path / "copy.sqlite"))
    return {"district": district, "ids": ids, "submission": response.json()["id"], "review": review}


def test_the_first_sign_in_sets_the_password_and_a_changed_one_ends_other_sessions(centre_up):
    issued = accounts.add_advisor(centre_up.engine, "Anna")
    client = AdvisorClient(centre_up.url)
    with pytest.raises(UserError, match="10 to 200"):
        client.sign_in("Anna", code=issued.code, new_password="corta")
    session = client.sign_in("Anna", code=issued.code, new_password="una password lunga")
    assert session.name == "Anna" and session.role == "advisor" and client.me()["has_password"]
    other = AdvisorClient(centre_up.url)
    other.sign_in("Anna", password="una password lunga")
    with pytest.raises(CentreRefused, match="current password"):
        client.change_password("sbagliata davvero", "una nuova password")
    client.change_password("una password lunga", "una nuova password")
    assert client.me()["name"] == "Anna"  # the session that asked goes on
    with pytest.raises(SignInNeeded):
        other.me()  # the other one ended with the old password
    with pytest.raises(CentreRefused, match="wrong name, code or password"):
        AdvisorClient(centre_up.url).sign_in("Anna", password="una password lunga")
    AdvisorClient(centre_up.url).sign_in("Anna", password="una nuova password")


def test_only_https_or_this_computer(centre_up):
    with pytest.raises(UserError, match="not encrypted"):
        AdvisorClient("http://centro.example.org")
    AdvisorClient("http://centro.example.org", allow_insecure=True)
    AdvisorClient("https://centro.example.org")


def test_a_submission_its_district_and_its_dossier(centre_up, loop):
    review, submission = loop["review"], loop["submission"]
    queue = review.queue()
    assert queue.online and [s["id"] for s in queue.value] == [submission]
    assert queue.value[0]["state"] == "received" and queue.value[0]["district_name"] == "Valsugana"
    detail = review.submission(submission).value
    assert detail["note"] == "Prima consegna" and detail["threads"] == []
    district = review.district(submission).value
    assert district["district_id"] == loop["district"].id
    assert [a["name"] for a in district["tables"]["stakeholder"]] == ["GAS Borgo Solidale"]
    assert len(district["tables"]["charter_version"]) == 1 and district["tables"]["flow"] == []
    assert review.dossier(submission).value == PDF
    [overview] = review.districts().value
    assert overview["latest"]["id"] == submission


def test_the_district_is_sent_as_stored_and_deleted_rows_are_marked(centre_up, loop):
    district = loop["district"]
    gone = actor_row(str(uuid.uuid4()), district.id, str(uuid.uuid4()), "Cooperativa chiusa")
    push(centre_up, district, [("stakeholder", {**gone, "deleted": True, "notes": "«è» \u2028 \\ \""})])
    raw = AdvisorClient(centre_up.url)
    raw.resume(loop["review"].session)
    text = raw.district_records(loop["submission"])
    rows = json.loads(text)["tables"]["stakeholder"]
    assert {r["name"]: r["deleted"] for r in rows} == {"GAS Borgo Solidale": False, "Cooperativa chiusa": True}
    assert next(r for r in rows if r["deleted"])["notes"] == "«è» \u2028 \\ \""


def test_the_loop_online_threads_replies_resolve_and_states(centre_up, loop):
    review, submission, actor = loop["review"], loop["submission"], loop["ids"]["actor"]
    opened = review.open_thread(submission, {"kind": "record", "table": "stakeholder", "id": actor},
                                "Manca il contatto")
    assert opened.sent and opened.value["anchor"]["row_id"] == actor
    section = review.open_thread(submission, {"kind": "section", "key": "governance"}, "Quorum?")
    assert section.sent
    assert review.reply(submission, opened.value["id"], "Scritto alla cooperativa").sent
    assert review.resolve(submission, section.value["id"]).sent
    with pytest.raises(UserError, match="needs a comment"):
        review.change_state(submission, "rejected", "  ")
    assert review.change_state(submission, "has_issues", "Vedi le discussioni").sent
    detail = review.submission(submission).value
    assert detail["state"] == "has_issues" and [h["state"] for h in detail["history"]] == ["received", "has_issues"]
    threads = {t["id"]: t for t in detail["threads"]}
    assert [m["text"] for m in threads[opened.value["id"]]["messages"]] == ["Manca il contatto",
                                                                          "Scritto alla cooperativa"]
    assert threads[section.value["id"]]["resolved"] and not threads[opened.value["id"]]["resolved"]
    again = review.change_state(submission, "has_issues")
    assert not again.sent and "already" in again.refused[0].message()
    assert review.pending() == []  # refused: dropped, not retried for ever


def test_offline_the_copy_answers_and_actions_wait_in_order(centre_up, loop, tmp_path):
    review, submission, actor = loop["review"], loop["submission"], loop["ids"]["actor"]
    review.queue(), review.submission(submission), review.district(submission), review.dossier(submission)
    centre_up.stop()
    queue = review.queue()
    assert not queue.online and not review.online and [s["id"] for s in queue.value] == [submission]
    assert review.dossier(submission).value == PDF and not review.dossier(submission).online
    with pytest.raises(CentreUnreachable, match="not been fetched"):
        review.submission(str(uuid.uuid4()))
    opened = review.open_thread(submission, {"kind": "record", "table": "stakeholder", "id": actor}, "Contatto?")
    assert not opened.sent
    [pending_thread] = [t for t in review.submission(submission).value["threads"]]
    assert pending_thread["pending"] and pending_thread["messages"][0]["text"] == "Contatto?"
    assert not review.reply(submission, pending_thread["id"], "E il telefono?").sent  # a reply to it, offline
    assert not review.change_state(submission, "has_issues", "Da completare").sent
    shown = review.submission(submission).value
    assert shown["state"] == "has_issues" and shown["pending"] and shown["history"][-1]["pending"]
    assert [m["text"] for m in shown["threads"][0]["messages"]] == ["Contatto?", "E il telefono?"]
    assert review.queue().value[0]["state"] == "has_issues"  # the queue shows it too
    assert [a.kind for a in review.pending()] == ["thread", "reply", "state"]

    # the copy outlives the window: a new one on the same file finds the actions
    copy_again = ReviewCopy(tmp_path / "copy.sqlite")
    assert [a.kind for a in copy_again.pending(review.session.url, "Chiara")] == ["thread", "reply", "state"]

    centre_up.start()
    report = review.send_pending()
    assert (report.sent, report.left, report.refused) == (3, 0, [])
    detail = review.submission(submission)
    assert detail.online and detail.value["state"] == "has_issues" and "pending" not in detail.value
    [thread] = detail.value["threads"]
    assert [m["text"] for m in thread["messages"]] == ["Contatto?", "E il telefono?"]
    assert thread["opened_by"] == "Chiara"


def test_a_waiting_action_the_centre_refuses_on_arrival_is_dropped_and_said(centre_up, loop):
    review, submission = loop["review"], loop["submission"]
    review.submission(submission)
    centre_up.stop()
    assert not review.change_state(submission, "approved").sent
    centre_up.start()
    other = AdvisorClient(centre_up.url)
    add_advisor(centre_up, "Bruno")
    other.sign_in("Bruno", password="una password lunga")
    other.change_state(submission, "approved")  # another advisor decided first
    report = review.send_pending()
    assert report.sent == 0 and len(report.refused) == 1 and "already approved" in report.refused[0].message()
    assert review.pending() == []


def test_actions_wait_for_a_session_that_ended_and_go_after_the_next_sign_in(centre_up, loop, tmp_path):
    review, submission = loop["review"], loop["submission"]
    review.submission(submission)
    accounts.reset_advisor(centre_up.engine, "Chiara")  # every session ends
    outcome = review.change_state(submission, "approved")
    assert not outcome.sent and review.session_ended and len(review.pending()) == 1
    with pytest.raises(SignInNeeded):
        review.queue()  # said, not hidden behind the copy
    code = accounts.reset_advisor(centre_up.engine, "Chiara").code
    again = AdvisorReview.sign_in(centre_up.url, "Chiara", code=code, new_password="una terza password",
                                  copy=ReviewCopy(tmp_path / "copy.sqlite"))
    assert again.send_pending().sent == 1
    assert again.submission(submission).value["state"] == "approved"


def test_signing_in_offline_opens_the_copy_only_if_there_is_one(centre_up, loop, tmp_path):
    loop["review"].queue()
    centre_up.stop()
    copy = ReviewCopy(tmp_path / "copy.sqlite")
    offline = AdvisorReview.sign_in(centre_up.url, "Chiara", password="anything", copy=copy)
    assert not offline.signed_in and [s["id"] for s in offline.queue().value] == [loop["submission"]]
    assert not offline.change_state(loop["submission"], "approved").sent
    with pytest.raises(CentreUnreachable):
        AdvisorReview.sign_in(centre_up.url, "Bruno", password="anything", copy=copy)


def test_a_remembered_session_and_the_copy_file(centre_up, loop, tmp_path):
    session = loop["review"].session
    remembered = AdvisorSession.from_json(json.loads(json.dumps(session.as_json())))
    assert remembered == session
    assert AdvisorSession.from_json({"token": "x"}) is None
    assert AdvisorSession.from_json({**session.as_json(), "expires_at": "2000-01-01T00:00:00+00:00"}) is None
    resumed = AdvisorReview.resume(remembered, copy=ReviewCopy(tmp_path / "copy.sqlite"))
    assert resumed.queue().online
    assert (tmp_path / "copy.sqlite").stat().st_mode & 0o077 == 0
    assert "password" not in json.dumps(session.as_json())


def test_bundles_from_a_stick_reach_the_centre_and_a_revoked_districts_are_refused(centre_up, loop, demo_store,
                                                                                  tmp_path):
    from ssd_starter.centre.admin import revoke
    from ssd_starter.sync.bundle import write_bundle
    from ssd_starter.sync.identity import load_or_create

    review = loop["review"]
    path = tmp_path / "valsugana.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    received = review.receive_bundle(path)
    assert received.sent and received.value["district_id"] == demo_store.demo_id and received.value["stored"] > 43
    assert review.receive_bundle(path).sent  # again: received, nothing new (the stored count is the store's)
    garbage = tmp_path / "garbage.ssdbundle"
    garbage.write_bytes(b"not a zip")
    refused = review.receive_bundle(garbage)
    assert not refused.sent and "bundle was refused" in refused.refused[0].message()
    revoke(centre_up.engine, demo_store.demo_id)
    refused = review.receive_bundle(path)
    assert "revoked" in refused.refused[0].message()


def test_the_district_records_endpoint_is_an_advisors(centre_up, loop):
    path = f"/v1/advisor/submissions/{loop['submission']}/district"
    assert httpx.get(centre_up.url + path, timeout=TIMEOUT).status_code == 401
    assert httpx.get(centre_up.url + f"/v1/advisor/submissions/{uuid.uuid4()}/district", timeout=TIMEOUT,
                     headers={"authorization": f"Bearer {loop['review'].session.token}"}).status_code == 404


def test_replies_to_a_thread_the_centre_refuses_on_arrival_are_dropped_with_it(centre_up, loop):
    review, submission = loop["review"], loop["submission"]
    review.submission(submission)
    centre_up.stop()
    unknown = {"kind": "record", "table": "stakeholder", "id": str(uuid.uuid4())}  # not at the Centre
    assert not review.open_thread(submission, unknown, "Chi è?").sent
    [pending] = review.submission(submission).value["threads"]
    assert not review.reply(submission, pending["id"], "Ancora?").sent
    centre_up.start()
    report = review.send_pending()
    assert report.sent == 0 and len(report.refused) == 2 and review.pending() == []
    assert "no record" in report.refused[0].message() and "not opened at the Centre" in report.refused[1].message()
    assert review.submission(submission).value["threads"] == []
