"""The districts at the Centre: the overview from stored indicators (500 districts in a few statements, never
reading their rows), revocation that stops a key at once, and re-enrolment with a token bound to the
district — on SQLite and PostgreSQL 15."""

from __future__ import annotations

import uuid

import httpx
import pytest
import sqlalchemy as sa

from ssd_starter.centre import store as centre_store
from ssd_starter.centre import submissions as review
from ssd_starter.centre.admin import find_district, reenrol, revoke
from ssd_starter.centre.tables import districts, rows
from ssd_starter.core.errors import NotFound, UserError
from tests.centre.helpers import TIMEOUT, District, advisor_call, enrol, push, sign_in, submit, summary
from tests.sync.hostile import district_row
from tests.sync.test_bundle import other_identity

DISTRICTS = 500
ROWS_EACH = 40


def _many_districts(engine) -> None:
    """500 enrolled districts, each with 40 rows and one submission, written straight into the database."""
    at = centre_store.now()
    with engine.begin() as conn:
        conn.execute(districts.insert(), [
            {"enrolment_id": f"e{n}", "name": f"Distretto {n:03d}", "token_hash": f"{n:064x}",
             "district_id": f"district-{n:04d}", "public_key": "k", "fingerprint": "f", "created_at": at,
             "registered_at": at, "last_received_at": at} for n in range(DISTRICTS)])
        conn.execute(rows.insert(), [
            {"district_id": f"district-{n:04d}", "table_name": "stakeholder", "row_id": str(uuid.uuid4()),
             "version": 1, "origin": "", "data": {"name": "x" * 200}, "received_at": at}
            for n in range(DISTRICTS) for _ in range(ROWS_EACH)])
    for n in range(DISTRICTS):
        review.submit(engine, f"district-{n:04d}", summary=summary(lm3=1 + n / 1000))


def test_the_overview_of_500_districts_reads_a_few_statements_and_never_their_rows(hostile):
    """Its time is a probe of ``make bench`` (centre_overview_500_districts); here, what keeps it fast: a
    number of statements that does not grow with the districts, and none reading their rows."""
    _many_districts(hostile.engine)
    token = sign_in(hostile, "Anna")
    advisor_call(hostile, token, "GET", "/v1/advisor/districts")  # a warm connection, as an open review has
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(hostile.engine, "before_cursor_execute", seen)
    try:
        response = advisor_call(hostile, token, "GET", "/v1/advisor/districts")
    finally:
        sa.event.remove(hostile.engine, "before_cursor_execute", seen)
    assert response.status_code == 200
    found = response.json()["districts"]
    assert len(found) == DISTRICTS
    assert 0 < len(statements) <= 5, statements  # the session, the overview (2 today)
    assert not [s for s in statements if "centre_row" in s], statements
    assert [d["name"] for d in found] == sorted(d["name"] for d in found)
    assert found[7]["indicators"]["lm3"]["value"] == pytest.approx(1.007)
    assert found[7]["latest"]["state"] == "received" and found[7]["submissions"] == 1


def test_the_overview_shows_the_latest_submission_and_the_last_arrival(hostile):
    quiet, busy = enrol(hostile, "Alto Garda"), enrol(hostile, "Bassa Valsugana")
    submit(hostile, busy, summary=summary(lm3=1.1))
    latest = submit(hostile, busy, summary=summary(lm3=1.3)).json()
    token = sign_in(hostile, "Anna")
    by_name = {d["name"]: d for d in advisor_call(hostile, token, "GET", "/v1/advisor/districts").json()["districts"]}
    assert by_name["Alto Garda"]["latest"] is None and by_name["Alto Garda"]["indicators"] is None
    assert by_name["Alto Garda"]["submissions"] == 0 and by_name["Alto Garda"]["last_received_at"] is None
    assert by_name["Bassa Valsugana"]["latest"]["id"] == latest["id"] and by_name["Bassa Valsugana"]["submissions"] == 2
    assert by_name["Bassa Valsugana"]["indicators"]["lm3"]["value"] == 1.3
    push(hostile, quiet, [("district", district_row(quiet.id, str(uuid.uuid4()), "Alto Garda"))])
    again = advisor_call(hostile, token, "GET", "/v1/advisor/districts").json()["districts"]
    assert next(d for d in again if d["name"] == "Alto Garda")["last_received_at"] is not None


def test_a_revoked_key_stops_at_once_and_a_reenrolment_token_binds_a_new_one(hostile):
    district = enrol(hostile, "Valsugana")
    assert district.call(hostile, "GET", "/v1/sync/status").status_code == 200
    revoked = revoke(hostile.engine, "valsugana")  # by name, any case
    assert revoked["revoked_at"] is not None
    assert district.call(hostile, "GET", "/v1/sync/status").status_code == 401
    with pytest.raises(UserError):
        revoke(hostile.engine, district.id)  # already
    issued = reenrol(hostile.engine, district.id[:8])
    stranger = District(str(uuid.uuid4()), other_identity(None), "Intruso")
    taken = httpx.post(hostile.url + "/v1/enrol", timeout=TIMEOUT, json={
        "token": issued.token, "district_id": stranger.id, "public_key": stranger.identity.public_b64})
    assert taken.status_code == 403 and "another district" in taken.json()["detail"]
    renewed = District(district.id, other_identity(None), "Valsugana")
    response = httpx.post(hostile.url + "/v1/enrol", timeout=TIMEOUT, json={
        "token": issued.token, "district_id": district.id, "public_key": renewed.identity.public_b64})
    assert response.status_code == 200, response.text
    assert renewed.call(hostile, "GET", "/v1/sync/status").status_code == 200
    assert district.call(hostile, "GET", "/v1/sync/status").status_code == 401  # the old key stays refused
    again = httpx.post(hostile.url + "/v1/enrol", timeout=TIMEOUT, json={
        "token": issued.token, "district_id": district.id, "public_key": renewed.identity.public_b64})
    assert again.status_code == 403  # used once


def test_the_old_enrolment_token_cannot_take_a_revoked_district_back(hostile):
    token = centre_store.enrol(hostile.engine, "Valsugana")
    district = District(str(uuid.uuid4()), other_identity(None), "Valsugana")
    payload = {"token": token, "district_id": district.id, "public_key": district.identity.public_b64}
    assert httpx.post(hostile.url + "/v1/enrol", json=payload, timeout=TIMEOUT).status_code == 200
    revoke(hostile.engine, district.id)
    assert httpx.post(hostile.url + "/v1/enrol", json=payload, timeout=TIMEOUT).status_code == 403


def test_only_a_revoked_district_is_reenrolled_and_names_must_be_clear(hostile):
    a = enrol(hostile, "Valsugana")
    enrol(hostile, "Valsugana")  # the same name twice
    with pytest.raises(UserError) as ambiguous:
        find_district(hostile.engine, "Valsugana")
    assert "Several" in ambiguous.value.message()
    with pytest.raises(UserError) as working:
        reenrol(hostile.engine, a.id)
    assert "revoke it first" in working.value.message()
    for unknown in ("", "nessuno", "%", "_"):
        with pytest.raises(NotFound):
            find_district(hostile.engine, unknown)


def test_a_revoked_districts_bundles_are_refused(database_url, demo_store, tmp_path):
    """As an advisor brings them from a stick (POST /v1/advisor/bundles calls this)."""
    from ssd_starter.centre.errors import Refusal
    from ssd_starter.centre.review import receive_bundle
    from ssd_starter.sync.bundle import write_bundle
    from ssd_starter.sync.identity import load_or_create

    path = tmp_path / "valsugana.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    engine = centre_store.connect(database_url)
    try:
        assert receive_bundle(engine, path.read_bytes())["district_id"] == demo_store.demo_id
        revoke(engine, demo_store.demo_id)
        with engine.connect() as conn:
            before = conn.execute(sa.select(sa.func.count()).select_from(rows)).scalar_one()
        with pytest.raises(Refusal) as refused:
            receive_bundle(engine, path.read_bytes())
        assert refused.value.status == 403 and "revoked" in refused.value.message()
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(rows)).scalar_one() == before
    finally:
        engine.dispose()


def test_the_status_news_names_each_devices_last_row_held_as_a_group_by_would(database_url):
    """The news reads one index entry per device (not every row of the district): the same answer as a GROUP BY
    over the rows, with rows held from before devices existed (empty source) and a device whose every row a
    newer copy from another device replaced."""
    from tests.sync.hostile import actor_row

    engine = centre_store.connect(database_url)
    district, anna, bruno, carla = (str(uuid.uuid4()) for _ in range(4))
    centre_store.register(engine, centre_store.enrol(engine, "Val"), district, "a2V5" * 11, "fp")
    actors = [str(uuid.uuid4()) for _ in range(3)]

    def records(origin, versions, first=1):
        return [{"table": "stakeholder", "id": actor, "row": actor_row(actor, district, origin, version=version),
                 "seq": first + n} for n, (actor, version) in enumerate(versions)]

    centre_store.push(engine, district, carla, 1, records(carla, [(actors[2], 1)]))
    centre_store.push(engine, district, anna, 3, [{"table": "district", "id": district, "seq": 1,
                                                   "row": district_row(district, anna)},
                                                  *records(anna, [(actors[0], 1), (actors[2], 2)], first=2)])
    centre_store.push(engine, district, bruno, 2, records(bruno, [(actors[1], 1), (actors[0], 2)]))
    with engine.begin() as conn:
        conn.execute(sa.update(rows).where(rows.c.row_id == actors[1]).values(source="", source_seq=7))
        oracle = {source: int(last) for source, last in conn.execute(
            sa.select(rows.c.source, sa.func.max(rows.c.source_seq)).where(rows.c.district_id == district)
            .group_by(rows.c.source))}
    assert oracle == {anna: 3, bruno: 2, "": 7}  # carla's one row was replaced by anna's newer copy
    assert centre_store.news(engine, district)["rows"] == oracle
    engine.dispose()
