"""The promoter's side of the review: what a submission carries from the district, the sync that sends it
and brings the review back, and a Centre from before submissions (the sync works as it always did)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ssd_starter.centre import store as centre_store
from ssd_starter.centre.advisors import add_advisor, find_advisor
from ssd_starter.centre.submissions import change_state, list_submissions
from ssd_starter.store.charter import adopt, get_charter, save_version
from ssd_starter.store.review import list_submissions as held_submissions
from ssd_starter.store.review import review_source
from ssd_starter.sync.client import SyncFailed, submission_draft, sync
from ssd_starter.sync.identity import load_or_create
from tests.sync.conftest import RunningCentre


def test_a_draft_carries_the_summary_the_dossier_shows_and_the_charter_version(demo_store):
    from ssd_starter.core.summary import district_summary
    from ssd_starter.store.districts import get_district
    from ssd_starter.store.flows import list_flows
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    district = demo_store.demo_id
    draft = submission_draft(demo_store, district, note="  Nota  ")
    expected = district_summary(list_stakeholders(demo_store, district), list_flows(demo_store, district),
                                get_district(demo_store, district).targets,
                                relations=list_relations(demo_store, district)).as_json()
    assert draft.summary == expected and draft.note == "Nota" and draft.dossier is None
    assert draft.charter_version_id is None  # the demo's charter has no saved version
    charter = get_charter(demo_store, district)
    first = save_version(charter, "Bozza 1")
    demo_store.apply(first)
    assert submission_draft(demo_store, district).charter_version_id == first.values["id"]  # the newest saved
    demo_store.apply(adopt(demo_store, get_charter(demo_store, district), name="Adottata", date=dt.date(2025, 3, 1),
                           place="Borgo Valsugana", override_reason="Approvata in assemblea"))
    adopted = get_charter(demo_store, district)["adopted_version_id"]
    demo_store.apply(save_version(get_charter(demo_store, district), "Bozza 2"))
    assert submission_draft(demo_store, district).charter_version_id == adopted  # the adopted one first
    payload = json.loads(json.dumps(submission_draft(demo_store, district, dossier=b"%PDF-1.4").payload()))
    assert payload["dossier"] == "JVBERi0xLjQ=" and payload["summary"] == expected


def test_sync_submits_after_the_push_and_brings_the_review_back(demo_store, database_url):
    with RunningCentre(database_url) as centre:
        district = demo_store.demo_id
        charter = get_charter(demo_store, district)
        demo_store.apply(save_version(charter, "Bozza 1"))
        draft = submission_draft(demo_store, district, note="Prima")
        report = sync(demo_store, district, centre.url, load_or_create(),
                      token=centre_store.enrol(centre.engine, "Valsugana"), submission=draft)
        assert report.pushed > 200 and report.submitted is not None  # the version it names arrived first
        assert [(s["id"], s["state"], s["charter_version_id"]) for s in report.submissions] == [
            (report.submitted, "received", draft.charter_version_id)]
        add_advisor(centre.engine, "Anna")
        change_state(centre.engine, report.submitted, "rejected", advisor=find_advisor(centre.engine, "Anna"),
                     comment="Dati del 2019")
        again = sync(demo_store, district, centre.url, load_or_create())
        assert again.submitted is None and [s["state"] for s in again.submissions] == ["rejected"]
        assert again.submissions[0]["history"][-1]["comment"] == "Dati del 2019"
        [held] = held_submissions(demo_store, district)  # in the database now, not a file of its own
        assert (held["id"], held["state"], held["history"][-1]["comment"]) == (
            again.submissions[0]["id"], "rejected", "Dati del 2019")
        source = review_source(demo_store, district)
        assert source["received_by"] == "sync" and source["centre_key"]  # the key that signs reply bundles
        assert len(list_submissions(centre.engine)) == 1


def test_a_centre_from_before_submissions_syncs_as_it_always_did(demo_store, database_url):
    with RunningCentre(database_url) as centre:
        centre.app.router.routes[:] = [r for r in centre.app.router.routes
                                       if getattr(r, "path", None) != "/v1/submissions"]
        report = sync(demo_store, demo_store.demo_id, centre.url, load_or_create(),
                      token=centre_store.enrol(centre.engine, "Valsugana"))
        assert report.pushed > 200 and report.submissions == [] and report.threads == []
        assert review_source(demo_store, demo_store.demo_id) is None
        with pytest.raises(SyncFailed):  # submitting needs a Centre that takes submissions: said, not hidden
            sync(demo_store, demo_store.demo_id, centre.url, load_or_create(),
                 submission=submission_draft(demo_store, demo_store.demo_id))


def test_a_sync_with_nothing_new_asks_only_for_the_status(demo_store, database_url, monkeypatch):
    """The status's news says what the Centre holds; a device that holds it all makes no other request —
    and the next change at the Centre (an advisor's verdict) is asked for again."""
    from ssd_starter.sync.client import CentreClient

    asked: list[str] = []
    real = CentreClient._request

    def counted(self, method, path, *args, **kwargs):
        asked.append(path.split("?")[0])
        return real(self, method, path, *args, **kwargs)

    monkeypatch.setattr(CentreClient, "_request", counted)
    with RunningCentre(database_url) as centre:
        district = demo_store.demo_id
        first = sync(demo_store, district, centre.url, load_or_create(),
                     token=centre_store.enrol(centre.engine, "Valsugana"),
                     submission=submission_draft(demo_store, district))
        sync(demo_store, district, centre.url, load_or_create())
        asked.clear()
        report = sync(demo_store, district, centre.url, load_or_create())
        assert asked == ["/v1/sync/status"] and report.pushed == report.pulled == report.comments == 0
        add_advisor(centre.engine, "Anna")
        change_state(centre.engine, first.submitted, "has_issues", advisor=find_advisor(centre.engine, "Anna"),
                     comment="Manca la carta firmata")
        asked.clear()
        sync(demo_store, district, centre.url, load_or_create())
        assert asked == ["/v1/sync/status", "/v1/submissions"]  # the verdict moved the review's stamp
        assert [s["state"] for s in held_submissions(demo_store, district)] == ["has_issues"]
