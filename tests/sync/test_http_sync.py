"""Sync with a real Centre over loopback: enrolment, push, resume, isolation between districts, comments."""

import base64
import json
import time

import httpx
import pytest

from ssd_starter.centre import store as centre_store
from ssd_starter.store.comments import comments_on
from ssd_starter.store.districts import create_district
from ssd_starter.store.stakeholders import create_stakeholder, find_stakeholder, update_stakeholder
from ssd_starter.sync.bundle import changed_rows
from ssd_starter.sync.client import CentreClient, SyncFailed, signed_headers, sync
from ssd_starter.sync.identity import load_or_create
from tests.sync.test_bundle import other_identity


def rows_at_centre(centre, district_id, table=None):
    return centre_store.district_rows(centre.engine, district_id, table)


def test_enrol_push_and_nothing_new(demo_store, centre):
    district = demo_store.demo_id
    token = centre_store.enrol(centre.engine, "Valsugana")
    identity = load_or_create()
    report = sync(demo_store, district, centre.url, identity, token=token, chunk=100)
    records, _first, last = changed_rows(demo_store, district)
    assert report.pushed == len(records) and report.acknowledged == last and report.chunks > 1
    assert len(rows_at_centre(centre, district, "stakeholder")) == 43
    again = sync(demo_store, district, centre.url, identity)
    assert (again.pushed, again.acknowledged) == (0, last)
    # the token once more from the installation it enrolled (a sync stopped after its enrolment, run again):
    # it goes on; from any other key the token is used up
    assert sync(demo_store, district, centre.url, identity, token=token).pushed == 0
    with pytest.raises(SyncFailed) as reused:
        sync(demo_store, district, centre.url, other_identity(None), token=token)
    assert "enrolment" in reused.value.message()


def test_a_sync_cut_off_half_way_resumes_and_both_sides_agree(demo_store, centre):
    district = demo_store.demo_id
    identity = load_or_create()
    client = CentreClient(centre.url, district, identity)
    client.enrol(centre_store.enrol(centre.engine, "Valsugana"))
    records, _first, last = changed_rows(demo_store, district)
    half = records[: len(records) // 2]
    client.push(demo_store.device_id, half[0]["seq"], half[-1]["seq"], half)  # then the line drops
    client.push(demo_store.device_id, half[0]["seq"], half[-1]["seq"], half)  # a retry of the same chunk
    client.close()
    report = sync(demo_store, district, centre.url, identity)
    assert report.pushed == len(records) - len(half) and report.acknowledged == last
    here = {(r["table"], r["id"]): r["row"]["version"] for r in records}
    there = {(t, r["id"]): r["version"] for t in {k[0] for k in here} for r in rows_at_centre(centre, district, t)}
    assert here == there


def test_newer_edits_replace_older_ones_at_the_centre(demo_store, centre):
    district = demo_store.demo_id
    identity = load_or_create()
    sync(demo_store, district, centre.url, identity, token=centre_store.enrol(centre.engine, "V"))
    gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    demo_store.apply(update_stakeholder(gas["id"], notes="Nuovo referente"))
    report = sync(demo_store, district, centre.url, identity)
    assert report.pushed == 1
    [row] = [r for r in rows_at_centre(centre, district, "stakeholder") if r["id"] == gas["id"]]
    assert row["notes"] == "Nuovo referente"


def test_one_district_can_never_reach_another(demo_store, centre, tmp_path):
    identity = load_or_create()
    sync(demo_store, demo_store.demo_id, centre.url, identity, token=centre_store.enrol(centre.engine, "A"))
    other = create_district("Val di Non")
    demo_store.apply(other)
    stranger = other_identity(tmp_path)
    other_id = other.values["id"]
    CentreClient(centre.url, other_id, stranger).enrol(centre_store.enrol(centre.engine, "B"))
    intruder = CentreClient(centre.url, demo_store.demo_id, stranger)  # B's key, A's district id
    for call in (lambda: intruder.acknowledged("x"), lambda: intruder.pull(0),
                 lambda: intruder.push("x", 0, 1, [])):
        with pytest.raises(SyncFailed) as refused:
            call()
        assert "does not recognise" in refused.value.message()
    # B, properly signed, pushing a row of A's district
    b_client = CentreClient(centre.url, other_id, stranger)
    foreign = [r for r in changed_rows(demo_store, demo_store.demo_id)[0] if r["table"] == "stakeholder"][:1]
    with pytest.raises(SyncFailed) as refused:
        b_client.push("x", 1, 1, foreign)
    assert "403" in refused.value.message()
    assert b_client.pull(0)["comments"] == [] and b_client.acknowledged(demo_store.device_id) == 0


def test_tampered_old_or_oversized_requests_are_refused(demo_store, centre):
    identity = load_or_create()
    sync(demo_store, demo_store.demo_id, centre.url, identity, token=centre_store.enrol(centre.engine, "A"))
    body = json.dumps({"origin": "x", "first": 0, "last": 999, "records": []}).encode()
    headers = signed_headers(identity, demo_store.demo_id, "POST", "/v1/sync/push", body)
    tampered = body.replace(b"999", b"998")
    assert httpx.post(centre.url + "/v1/sync/push", content=tampered, headers=headers).status_code == 401
    old = signed_headers(identity, demo_store.demo_id, "GET", "/v1/sync/status", b"")
    old["x-ssd-time"] = f"{time.time() - 3600:.3f}"
    assert httpx.get(centre.url + "/v1/sync/status", headers=old).status_code == 401
    huge = b"x" * (33 * 2**20)
    assert httpx.post(centre.url + "/v1/sync/push", content=huge,
                      headers=signed_headers(identity, demo_store.demo_id, "POST", "/v1/sync/push", huge)
                      ).status_code == 413
    forged = dict(headers)
    forged["x-ssd-signature"] = base64.b64encode(b"\0" * 64).decode()
    assert httpx.post(centre.url + "/v1/sync/push", content=body, headers=forged).status_code == 401
    assert httpx.get(centre.url + "/openapi.json").status_code == 200


def test_comments_travel_back_and_arrive_once(demo_store, centre):
    district = demo_store.demo_id
    identity = load_or_create()
    sync(demo_store, district, centre.url, identity, token=centre_store.enrol(centre.engine, "V"))
    gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    centre_store.add_comment(centre.engine, district, "stakeholder", gas["id"], "Centro ES",
                             "Indicate il settore del GAS.")
    report = sync(demo_store, district, centre.url, identity)
    assert report.comments == 1
    [comment] = comments_on(demo_store, district, "stakeholder", gas["id"])
    assert (comment["author"], comment["text"]) == ("Centro ES", "Indicate il settore del GAS.")
    assert sync(demo_store, district, centre.url, identity).comments == 0


def test_an_unreachable_centre_says_so(demo_store):
    from tests.sync.conftest import free_port

    with pytest.raises(SyncFailed) as refused:
        sync(demo_store, demo_store.demo_id, f"http://127.0.0.1:{free_port()}", load_or_create())
    assert "cannot be reached" in refused.value.message()


def test_the_centre_on_postgresql(demo_store, postgres_url):
    from tests.sync.conftest import RunningCentre

    with RunningCentre(postgres_url) as centre:
        identity = load_or_create()
        report = sync(demo_store, demo_store.demo_id, centre.url, identity,
                      token=centre_store.enrol(centre.engine, "Valsugana"), chunk=150)
        assert report.pushed > 200
        demo_store.apply(create_stakeholder(demo_store.demo_id, {"name": "Nuovo attore"}))
        assert sync(demo_store, demo_store.demo_id, centre.url, identity).pushed == 1
        names = {r["name"] for r in rows_at_centre(centre, demo_store.demo_id, "stakeholder")}
        assert "Nuovo attore" in names and len(names) == 44


@pytest.mark.slow
def test_fifty_districts_syncing_at_once(centre, tmp_path):
    """Load: 50 installations push at the same moment; nothing fails, nothing is lost or doubled."""
    from concurrent.futures import ThreadPoolExecutor

    from ssd_starter.store import Store
    from ssd_starter.sync.identity import Identity

    installations = []
    for n in range(50):
        store = Store.open(tmp_path / f"promoter-{n}" / "data.sqlite")
        district = create_district(f"Distretto {n}")
        store.apply(district)
        for k in range(20):
            store.apply(create_stakeholder(district.values["id"], {"name": f"Attore {n}-{k}"}))
        identity: Identity = other_identity(tmp_path)
        token = centre_store.enrol(centre.engine, f"Distretto {n}")
        installations.append((store, district.values["id"], identity, token))

    def run(item):
        store, district_id, identity, token = item
        return sync(store, district_id, centre.url, identity, token=token, chunk=7)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=50) as pool:
        reports = list(pool.map(run, installations))
    elapsed = time.monotonic() - started
    assert all(report.pushed == 21 for report in reports)  # the district and its 20 actors, each once
    for store, district_id, _identity, _token in installations:
        assert len(rows_at_centre(centre, district_id, "stakeholder")) == 20
        assert len(rows_at_centre(centre, district_id)) == 21
        store.close()
    assert elapsed < 120  # bounded: a generous ceiling for a 2-core machine, not a benchmark


def test_training_packs_published_at_the_centre_arrive_with_sync(demo_store, centre):
    from ssd_starter.core.training import PackRefused
    from ssd_starter.store.training import installed_packs
    from tests.core.test_training import build, manifest

    identity = load_or_create()
    sync(demo_store, demo_store.demo_id, centre.url, identity, token=centre_store.enrol(centre.engine, "V"))
    assert centre_store.publish_pack(centre.engine, build()) == ("test-pack", "1.0.0")
    with pytest.raises(PackRefused):
        centre_store.publish_pack(centre.engine, build(extra={"../x": b"x"}))  # checked before it is offered
    report = sync(demo_store, demo_store.demo_id, centre.url, identity)
    assert report.packs == ["test-pack 1.0.0"] and [p.id for p in installed_packs()] == ["test-pack"]
    assert sync(demo_store, demo_store.demo_id, centre.url, identity).packs == []  # already here
    centre_store.publish_pack(centre.engine, build(manifest(version="1.1.0")))
    assert sync(demo_store, demo_store.demo_id, centre.url, identity).packs == ["test-pack 1.1.0"]
