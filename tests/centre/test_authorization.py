"""Who may call what, for every route of the app (read from the app itself, so a new route is covered the day
it is added): a district's key opens no advisor endpoint, an advisor's token no district endpoint; a disabled
advisor, a revoked district and an expired session open nothing; only an admin the admin's endpoints."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from ssd_starter.centre import advisors as accounts
from ssd_starter.centre.admin import revoke
from tests.centre.helpers import TIMEOUT, bearer, district_with_records, sign_in, submit

# joining a district is not signed: the one-time device code is the permission
UNAUTHENTICATED = {("POST", "/v1/enrol"), ("POST", "/v1/advisor/sign-in"), ("GET", "/health"),
                   ("POST", "/v1/devices/join")}
ADMIN_ONLY = {("GET", "/v1/advisor/advisors"), ("POST", "/v1/advisor/advisors/{name}/disable")}
PLACEHOLDERS = {"submission_id": "00000000-0000-4000-8000-000000000000",
                "thread_id": "00000000-0000-4000-8000-000000000001", "name": "Nessuno",
                "pack_id": "modulo", "version": "1.0", "device_id": "00000000-0000-4000-8000-000000000002"}


def routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every API operation, from the app's OpenAPI document (its public account
    of its routes; FastAPI's own documentation pages are not in it)."""
    return [(method.upper(), path) for path, operations in app.openapi()["paths"].items() for method in operations]


def concrete(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: PLACEHOLDERS[m.group(1)], path)


def district_routes(app):
    return [(m, p) for m, p in routes(app) if p.startswith("/v1/") and not p.startswith("/v1/advisor")
            and (m, p) not in UNAUTHENTICATED]


def advisor_routes(app):
    return [(m, p) for m, p in routes(app) if p.startswith("/v1/advisor") and (m, p) not in UNAUTHENTICATED]


def test_the_matrix_knows_every_route(centre):
    everything = set(routes(centre.app))
    assert everything == set(district_routes(centre.app)) | set(advisor_routes(centre.app)) | UNAUTHENTICATED
    # with the district's replies, own threads and resolving; its devices (list, invite, rename, revoke) and
    # the rows its other devices sent
    assert len(district_routes(centre.app)) == 15
    assert len(advisor_routes(centre.app)) == 15


def send(centre, method, path, headers, body=b"{}"):
    return httpx.request(method, centre.url + concrete(path), content=body if method == "POST" else b"",
                         headers={"content-type": "application/json", **headers}, timeout=TIMEOUT)


def signed_by(district, method, path, body=b"{}"):
    return district.headers(method, concrete(path), body if method == "POST" else b"")


@pytest.fixture
def parties(hostile):
    district, _ids = district_with_records(hostile)
    submit(hostile, district)
    return {"district": district, "advisor": sign_in(hostile, "Anna"), "admin": sign_in(hostile, "Carla", "admin")}


def test_a_districts_key_opens_no_advisor_endpoint(hostile, parties):
    for method, path in advisor_routes(hostile.app) + [("POST", "/v1/advisor/sign-in")]:
        response = send(hostile, method, path, signed_by(parties["district"], method, path))
        assert response.status_code == 401, (method, path, response.text)


def test_an_advisors_token_opens_no_district_endpoint(hostile, parties):
    for token in (parties["advisor"], parties["admin"]):
        for method, path in district_routes(hostile.app):
            response = send(hostile, method, path, bearer(token))
            assert response.status_code == 401, (method, path, response.text)


def test_both_credentials_together_open_neither(hostile, parties):
    """A district's signature next to an advisor's token: each side refuses the other's credential."""
    for method, path in district_routes(hostile.app) + advisor_routes(hostile.app):
        headers = {**signed_by(parties["district"], method, path), **bearer(parties["admin"])}
        assert send(hostile, method, path, headers).status_code == 401, (method, path)


def test_nothing_opens_without_credentials(hostile, parties):
    for method, path in district_routes(hostile.app) + advisor_routes(hostile.app):
        response = send(hostile, method, path, {})
        assert response.status_code == 401, (method, path, response.text)
        if path.startswith("/v1/advisor"):
            assert response.headers["www-authenticate"] == "Bearer"
    for malformed in ("Bearer", "Bearer x", "Basic YW5uYTpwYXNz", "Bearer " + "A" * 43, "Bearer " + "\u00e9" * 43):
        response = httpx.get(hostile.url + "/v1/advisor/me", timeout=TIMEOUT,
                             headers={"authorization": malformed.encode("utf-8")})
        assert response.status_code == 401, malformed


def test_each_credential_opens_its_own_side(hostile, parties):
    """The other half of the matrix: the same routes answer (not 401/403) to their own kind of caller."""
    for method, path in district_routes(hostile.app):
        response = send(hostile, method, path, signed_by(parties["district"], method, path))
        assert response.status_code not in (401, 403), (method, path, response.text)
    for method, path in advisor_routes(hostile.app):
        if path.endswith("/sign-out"):
            continue  # would end the session the rest of the loop uses; tested in test_advisors
        response = send(hostile, method, path, bearer(parties["admin"]))
        assert response.status_code not in (401, 403), (method, path, response.text)


def test_a_plain_advisor_is_refused_the_admins_endpoints(hostile, parties):
    for method, path in advisor_routes(hostile.app):
        if path.endswith("/sign-out"):
            continue  # would end the session the rest of the loop uses
        response = send(hostile, method, path, bearer(parties["advisor"]))
        if (method, path) in ADMIN_ONLY:
            assert response.status_code == 403, (method, path)
        else:
            assert response.status_code not in (401, 403), (method, path)


def test_a_disabled_advisor_opens_nothing(hostile, parties):
    accounts.disable_advisor(hostile.engine, "Carla")
    for method, path in advisor_routes(hostile.app):
        assert send(hostile, method, path, bearer(parties["admin"])).status_code == 401, (method, path)


def test_an_expired_session_opens_nothing(hostile, parties):
    expired = accounts.sign_in(hostile.engine, "Carla", password="password of Carla",
                               lifetime=dt.timedelta(seconds=-1))
    for method, path in advisor_routes(hostile.app):
        assert send(hostile, method, path, bearer(expired.token)).status_code == 401, (method, path)


def test_a_revoked_district_opens_nothing_at_once(hostile, parties):
    district = parties["district"]
    assert send(hostile, "GET", "/v1/sync/status", signed_by(district, "GET", "/v1/sync/status")).status_code == 200
    revoke(hostile.engine, district.id)
    for method, path in district_routes(hostile.app):
        response = send(hostile, method, path, signed_by(district, method, path))
        assert response.status_code == 401, (method, path, response.text)


def test_the_openapi_document_declares_how_each_side_authenticates(centre):
    document = httpx.get(centre.url + "/openapi.json", timeout=TIMEOUT).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["AdvisorSession"]["type"] == "http" and schemes["AdvisorSession"]["scheme"] == "bearer"
    assert schemes["DistrictSignature"] == {**schemes["DistrictSignature"], "type": "apiKey", "in": "header",
                                            "name": "x-ssd-signature"}
    for method, path in advisor_routes(centre.app):
        assert document["paths"][path][method.lower()]["security"] == [{"AdvisorSession": []}], (method, path)
    for method, path in district_routes(centre.app):
        assert document["paths"][path][method.lower()]["security"] == [{"DistrictSignature": []}], (method, path)
    assert document["paths"]["/v1/advisor/sign-in"]["post"]["security"] == []


def test_the_openapi_document_describes_the_push_body_the_endpoint_reads_itself(centre):
    document = httpx.get(centre.url + "/openapi.json", timeout=TIMEOUT).json()
    body = document["paths"]["/v1/sync/push"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    schemas = document["components"]["schemas"]
    push = schemas[body["$ref"].rsplit("/", 1)[1]]
    assert {"origin", "first", "last", "records"} <= set(push["properties"])
    record = schemas[push["properties"]["records"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"table", "row"} <= set(record["properties"])
