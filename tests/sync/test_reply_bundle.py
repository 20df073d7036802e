"""The Centre's reply bundles on the promoter's side: what one brings, and every way a bad one is refused with
nothing changed — altered after signing, signed by a key other than the Centre's, for a district that is
not here, older than the state held — against a real Centre (uvicorn, SQLite and PostgreSQL 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ssd_starter import i18n
from ssd_starter.centre import store as centre_store
from ssd_starter.centre.advisors import add_advisor, find_advisor
from ssd_starter.centre.replies import reply_document, signing_identity, write_reply_bundle
from ssd_starter.centre.submissions import change_state, list_submissions
from ssd_starter.centre.threads import open_thread
from ssd_starter.store.comments import comments_on
from ssd_starter.store.review import review_document, review_source
from ssd_starter.store.stakeholders import find_stakeholder
from ssd_starter.sync.bundle import BundleRefused
from ssd_starter.sync.client import submission_draft, sync
from ssd_starter.sync.identity import load_or_create
from ssd_starter.sync.reply import import_reply_bundle, is_reply_bundle, verify_reply
from ssd_starter.sync.reply import write_reply_bundle as write_signed
from tests.sync.test_bundle import other_identity, rezip


@pytest.fixture
def reviewed(demo_store, hostile):
    """The demo district synced and submitted; an advisor opened a thread on an actor and said it has issues."""
    district = demo_store.demo_id
    report = sync(demo_store, district, hostile.url, load_or_create(),
                  token=centre_store.enrol(hostile.engine, "Valsugana"),
                  submission=submission_draft(demo_store, district))
    add_advisor(hostile.engine, "Anna")
    anna = find_advisor(hostile.engine, "Anna")
    gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    thread = open_thread(hostile.engine, report.submitted, anna, kind="record", table="stakeholder", key=gas["id"],
                         text="Quante famiglie?")
    change_state(hostile.engine, report.submitted, "has_issues", advisor=anna, comment="Mancano i soci")
    return {"centre": hostile, "district": district, "thread": thread, "gas": gas}


def held(store, district_id):
    document = review_document(store, district_id)
    return document, comments_on(store, district_id)


def test_a_reply_bundle_brings_the_state_the_threads_and_their_comments(demo_store, reviewed, tmp_path):
    path = tmp_path / "reply.ssdbundle"
    write_reply_bundle(reviewed["centre"].engine, "Valsugana", path)
    assert is_reply_bundle(path)
    assert comments_on(demo_store, reviewed["district"]) == []  # the sync ran before the thread was opened
    reply, report = import_reply_bundle(demo_store, path)
    assert (reply.district_id, report.submissions, report.threads, report.comments) == (
        reviewed["district"], 1, 1, 1)
    assert reply.signer == signing_identity(reviewed["centre"].engine).fingerprint and not reply.first_contact
    document = review_document(demo_store, reviewed["district"])
    assert [s["state"] for s in document["submissions"]] == ["has_issues"]
    assert document["submissions"][0]["history"][-1]["comment"] == "Mancano i soci"
    [thread] = document["threads"]
    assert thread["row_id"] == reviewed["gas"]["id"] and thread["messages"][0]["text"] == "Quante famiglie?"
    assert [c["text"] for c in comments_on(demo_store, reviewed["district"], "stakeholder", reviewed["gas"]["id"])] \
        == ["Quante famiglie?"]
    assert review_source(demo_store, reviewed["district"])["received_by"] == "bundle"


def _refused_and_unchanged(store, district_id, path: Path, expected: str) -> None:
    before = held(store, district_id)
    with pytest.raises(BundleRefused) as refusal:
        import_reply_bundle(store, path)
    assert expected in refusal.value.message()
    assert held(store, district_id) == before


def test_an_altered_reply_bundle_is_refused_and_nothing_changes(demo_store, reviewed, tmp_path):
    path = tmp_path / "reply.ssdbundle"
    write_reply_bundle(reviewed["centre"].engine, "Valsugana", path)

    def approve(body: bytes) -> bytes:
        document = json.loads(body)
        document["submissions"][0]["state"] = "approved"
        return json.dumps(document).encode()

    altered = tmp_path / "altered.ssdbundle"
    altered.write_bytes(rezip(path.read_bytes(), change={"review.json": approve}))
    _refused_and_unchanged(demo_store, reviewed["district"], altered, "review.json in the bundle was altered")

    def recount(manifest: bytes) -> bytes:
        document = json.loads(manifest)
        document["counts"]["threads"] = 7
        return json.dumps(document).encode()

    resigned = tmp_path / "manifest.ssdbundle"
    resigned.write_bytes(rezip(path.read_bytes(), change={"manifest.json": recount}))
    _refused_and_unchanged(demo_store, reviewed["district"], resigned, "signature does not match")
    extra = tmp_path / "extra.ssdbundle"
    extra.write_bytes(rezip(path.read_bytes(), extra={"changes.jsonl": b""}))
    _refused_and_unchanged(demo_store, reviewed["district"], extra, "do not match its manifest")


def test_a_reply_signed_by_another_key_is_refused_once_the_centres_is_known(demo_store, reviewed, tmp_path):
    engine = reviewed["centre"].engine
    forged = tmp_path / "forged.ssdbundle"
    write_signed(forged, other_identity(tmp_path), {"id": reviewed["district"], "name": "Valsugana"},
                 reply_document(engine, reviewed["district"]))
    _refused_and_unchanged(demo_store, reviewed["district"], forged, "not the Centre's one trusted")


def test_a_reply_for_a_district_not_here_is_refused(demo_store, reviewed, tmp_path):
    engine = reviewed["centre"].engine
    foreign = tmp_path / "foreign.ssdbundle"
    write_signed(foreign, signing_identity(engine), {"id": "0190aaaa-0000-7000-8000-000000000000", "name": "Altrove"},
                 {**reply_document(engine, reviewed["district"]), "submissions": [], "threads": [], "comments": []})
    _refused_and_unchanged(demo_store, reviewed["district"], foreign, "district Altrove, which is not on this")
    i18n.set_language("it")
    try:
        with pytest.raises(BundleRefused) as refusal:
            import_reply_bundle(demo_store, foreign)
        assert "Altrove" in refusal.value.message() and "which is not" not in refusal.value.message()
    finally:
        i18n.set_language("en")


def test_a_reply_naming_another_districts_rows_is_refused(demo_store, reviewed, tmp_path):
    engine = reviewed["centre"].engine
    document = reply_document(engine, reviewed["district"])
    document["threads"][0]["district_id"] = "0190aaaa-0000-7000-8000-000000000000"
    mixed = tmp_path / "mixed.ssdbundle"
    write_signed(mixed, signing_identity(engine), {"id": reviewed["district"], "name": "Valsugana"}, document)
    _refused_and_unchanged(demo_store, reviewed["district"], mixed, "not readable")


def test_an_older_reply_than_the_state_held_is_refused(demo_store, reviewed, tmp_path):
    engine = reviewed["centre"].engine
    older = tmp_path / "older.ssdbundle"
    write_reply_bundle(engine, "Valsugana", older)  # written before the promoter's next sync
    sync(demo_store, reviewed["district"], reviewed["centre"].url, load_or_create())
    _refused_and_unchanged(demo_store, reviewed["district"], older, "not newer than the review state")
    assert len(list_submissions(engine)) == 1


def test_the_first_reply_to_a_district_that_never_synced_trusts_the_key_then_pins_it(demo_store, hostile, tmp_path):
    from ssd_starter.sync.bundle import write_bundle

    # the district reached the Centre only by USB: its bundle, received at the Centre
    bundle = tmp_path / "district.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, bundle, load_or_create())
    from ssd_starter.sync.bundle import verify_bundle_file

    centre_store.receive_bundle(hostile.engine, verify_bundle_file(bundle))
    path = tmp_path / "reply.ssdbundle"
    write_reply_bundle(hostile.engine, demo_store.demo_id, path)
    reply, report = import_reply_bundle(demo_store, path)
    assert reply.first_contact and report.first_key and report.submissions == 0
    assert review_source(demo_store, demo_store.demo_id)["centre_fingerprint"] == reply.signer
    forged = tmp_path / "forged.ssdbundle"
    write_signed(forged, other_identity(tmp_path), {"id": demo_store.demo_id, "name": "Valsugana"},
                 reply_document(hostile.engine, demo_store.demo_id))
    _refused_and_unchanged(demo_store, demo_store.demo_id, forged, "not the Centre's one trusted")


def test_a_districts_bundle_is_not_taken_for_a_reply(demo_store, tmp_path):
    from ssd_starter.sync.bundle import write_bundle

    bundle = tmp_path / "district.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, bundle, load_or_create())
    assert not is_reply_bundle(bundle)
    assert not is_reply_bundle(tmp_path / "missing.ssdbundle")
    with pytest.raises(BundleRefused):
        verify_reply(bundle.read_bytes(), None)
