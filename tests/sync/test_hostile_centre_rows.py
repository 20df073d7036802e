"""Rows pushed to the Centre by an enrolled, correctly signing district that lies about them: each push is
refused whole with a 4xx naming the record and field, nothing stored, no traceback — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa

from ssd_starter.centre import store as centre_store
from tests.sync.hostile import actor_row, district_row, record
from tests.sync.test_hostile_centre import call, enrolled, signed


def push(centre, district, records, *, origin=None, last=1):
    body = json.dumps({"origin": origin or str(uuid.uuid4()), "first": 1, "last": last, "records": records},
                      ensure_ascii=False).encode()
    return call(centre, "POST", "/v1/sync/push", signed(district, "POST", "/v1/sync/push", body), body)


def stored_rows(centre) -> int:
    with centre.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(centre_store.rows)).scalar_one()


def actor(district, **changes):
    row = actor_row(str(uuid.uuid4()), district.id, str(uuid.uuid4()))
    row.update(changes)
    return row


def without(row, field):
    return {k: v for k, v in row.items() if k != field}


BAD_ROWS = {  # attack → (the row, the field the refusal names)
    "no version": (lambda d: without(actor(d), "version"), "version"),
    "no origin": (lambda d: without(actor(d), "origin"), "origin"),
    "version abc": (lambda d: actor(d, version="abc"), "version"),
    "version 2**70": (lambda d: actor(d, version=2**70), "version"),
    "version 2**40": (lambda d: actor(d, version=2**40), "version"),
    "influence 100,000 characters": (lambda d: actor(d, influence="9" * 100_000), "influence"),
    "NUL in the id": (lambda d: actor(d, id="a\x00" + str(uuid.uuid4())[2:]), "id"),
    "NUL in a name": (lambda d: actor(d, name="Coop\x00"), "name"),
    "NUL deep in JSON": (lambda d: actor(d, roles=["producer\x00"]), "roles"),
    "date that is not one": (lambda d: actor(d, updated_at="not a date"), "updated_at"),
    "unknown category": (lambda d: actor(d, category="alien"), "category"),
}


@pytest.mark.parametrize("attack", list(BAD_ROWS))
def test_a_row_that_does_not_fit_is_refused_with_422(hostile, attack):
    district = enrolled(hostile)
    build, field = BAD_ROWS[attack]
    response = push(hostile, district, [record("stakeholder", build(district))])
    assert response.status_code == 422, response.text
    assert f"field {field}:" in response.json()["detail"]
    assert stored_rows(hostile) == 0


def test_a_nul_in_the_push_origin_is_refused(hostile):
    district = enrolled(hostile)
    response = push(hostile, district, [record("stakeholder", actor(district))], origin="ab\x00cd")
    assert response.status_code == 422 and stored_rows(hostile) == 0


def test_a_row_id_held_for_another_district_is_refused(hostile):
    a, b = enrolled(hostile), enrolled(hostile)
    shared = str(uuid.uuid4())
    origin = str(uuid.uuid4())
    assert push(hostile, a, [record("district", district_row(a.id, origin)),
                             record("stakeholder", actor_row(shared, a.id, origin))]).status_code == 200
    before = stored_rows(hostile)
    response = push(hostile, b, [record("stakeholder", actor_row(shared, b.id, origin, "Dirottato", version=9))])
    assert response.status_code == 409 and "another district" in response.json()["detail"]
    assert stored_rows(hostile) == before


def test_a_row_of_another_district_is_refused_with_403(hostile):
    a, b = enrolled(hostile), enrolled(hostile)
    response = push(hostile, b, [record("stakeholder", actor(a))])
    assert response.status_code == 403 and stored_rows(hostile) == 0


def test_one_bad_row_refuses_the_whole_push(hostile):
    district = enrolled(hostile)
    good = [record("stakeholder", actor(district)) for _ in range(5)]
    response = push(hostile, district, [*good, record("stakeholder", actor(district, stage="boss"))])
    assert response.status_code == 422 and "stage" in response.json()["detail"]
    assert stored_rows(hostile) == 0
    assert push(hostile, district, good).status_code == 200 and stored_rows(hostile) == 5


def test_bundles_received_in_review_mode_follow_the_same_rules(database_url, tmp_path):
    """An advisor receives bundles into the Centre's database directly: a bad row refuses the bundle, and a
    row id the Centre holds for another district is refused, on SQLite and PostgreSQL."""
    from ssd_starter.sync.bundle import BundleRefused, verify_bundle_file
    from tests.sync.hostile import forge_bundle
    from tests.sync.test_bundle import other_identity

    engine = centre_store.connect(database_url)
    try:
        a, b = str(uuid.uuid4()), str(uuid.uuid4())
        origin, shared = str(uuid.uuid4()), str(uuid.uuid4())
        first = forge_bundle(tmp_path / "a.ssdbundle", other_identity(tmp_path), a,
                             [record("district", district_row(a, origin)),
                              record("stakeholder", actor_row(shared, a, origin))])
        centre_store.receive_bundle(engine, verify_bundle_file(first, centre_store.pinned_keys(engine)))
        with engine.connect() as conn:
            before = conn.execute(sa.select(sa.func.count()).select_from(centre_store.rows)).scalar_one()
        bad = forge_bundle(tmp_path / "bad.ssdbundle", other_identity(tmp_path), b,
                           [record("district", district_row(b, origin)),
                            record("stakeholder", actor_row(str(uuid.uuid4()), b, origin, influence=99))])
        with pytest.raises(BundleRefused) as refused:
            verify_bundle_file(bad, centre_store.pinned_keys(engine))
        assert "influence" in refused.value.message()
        clash = forge_bundle(tmp_path / "clash.ssdbundle", other_identity(tmp_path), b,
                             [record("district", district_row(b, origin)),
                              record("stakeholder", actor_row(shared, b, origin, "Dirottato", version=5))])
        with pytest.raises(centre_store.Refused) as taken:
            centre_store.receive_bundle(engine, verify_bundle_file(clash, centre_store.pinned_keys(engine)))
        assert taken.value.status == 409
        with engine.connect() as conn:
            after = conn.execute(sa.select(sa.func.count()).select_from(centre_store.rows)).scalar_one()
        assert after == before
        assert b not in centre_store.pinned_keys(engine)  # the key is not kept either
    finally:
        engine.dispose()
