"""Districts and advisors talking to a real Centre over loopback, as the tests of the review need them."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from ssd_starter.centre import advisors as accounts
from ssd_starter.centre import store as centre_store
from ssd_starter.centre.app import signed_message
from ssd_starter.sync.client import _unique_timestamp
from ssd_starter.sync.identity import Identity
from tests.sync.hostile import actor_row, district_row, record, sync_fields
from tests.sync.test_bundle import other_identity

TIMEOUT = 60.0
PDF = b"%PDF-1.4\n% a dossier as small as a PDF can start\n%%EOF\n"


@dataclass
class District:
    id: str
    identity: Identity
    name: str

    def headers(self, method: str, path: str, body: bytes = b"") -> dict[str, str]:
        timestamp = _unique_timestamp()
        signature = self.identity.sign(signed_message(method, path, timestamp, body))
        return {"x-ssd-district": self.id, "x-ssd-time": timestamp,
                "x-ssd-signature": base64.b64encode(signature).decode(), "content-type": "application/json"}

    def call(self, centre, method: str, path: str, payload: Any = None, *, raw: bytes | None = None,
             extra: dict[str, str] | None = None) -> httpx.Response:
        body = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
        headers = {**self.headers(method, path, body), **(extra or {})}
        return httpx.request(method, centre.url + path, content=body, headers=headers, timeout=TIMEOUT)


def enrol(centre, name: str = "Valsugana") -> District:
    district = District(str(uuid.uuid4()), other_identity(None), name)
    response = httpx.post(centre.url + "/v1/enrol", timeout=TIMEOUT, json={
        "token": centre_store.enrol(centre.engine, name), "district_id": district.id,
        "public_key": district.identity.public_b64})
    assert response.status_code == 200, response.text
    return district


def push(centre, district: District, rows: list[tuple[str, dict[str, Any]]]) -> None:
    """Rows pushed as a district sends them (each checked by the Centre like any push)."""
    payload = {"origin": str(uuid.uuid4()), "first": 1, "last": len(rows),
               "records": [{k: v for k, v in record(table, row).items() if k in ("table", "id", "op", "row")}
                           for table, row in rows]}
    response = district.call(centre, "POST", "/v1/sync/push", payload)
    assert response.status_code == 200, response.text


def district_with_records(centre, name: str = "Valsugana") -> tuple[District, dict[str, str]]:
    """An enrolled district whose own row, one actor, a charter and a charter version are at the Centre."""
    district = enrol(centre, name)
    origin = str(uuid.uuid4())
    ids = {"actor": str(uuid.uuid4()), "charter": str(uuid.uuid4()), "version": str(uuid.uuid4())}
    push(centre, district, [
        ("district", district_row(district.id, origin, name)),
        ("stakeholder", actor_row(ids["actor"], district.id, origin, "GAS Borgo Solidale")),
        ("charter", {"id": ids["charter"], **sync_fields(origin), "district_id": district.id, "language": "it",
                     "status": "draft", "adopted_version_id": None}),
        ("charter_version", {"id": ids["version"], **sync_fields(origin), "charter_id": ids["charter"],
                             "district_id": district.id, "name": "Bozza 1", "language": "it", "content": {},
                             "translations": {}, "created_at": sync_fields(origin)["updated_at"],
                             "adopted": False, "adoption_date": None, "adoption_place": "",
                             "override_reason": ""}),
    ])
    return district, ids


def summary(**values: float) -> dict[str, Any]:
    """A district's summary as ``core.summary`` makes it (an empty district), with some values set."""
    from ssd_starter.core.summary import district_summary

    document = district_summary([], [], None).as_json()
    for key, value in values.items():
        document["flows"]["values"][key]["value"] = value
    return document


def submit(centre, district: District, **payload: Any) -> httpx.Response:
    return district.call(centre, "POST", "/v1/submissions", {"summary": summary(), **payload})


def sign_in(centre, name: str, role: str = "advisor", password: str | None = None) -> str:
    """A new advisor made on the host, signed in over HTTP with its code; the bearer token."""
    issued = accounts.add_advisor(centre.engine, name, role)
    response = httpx.post(centre.url + "/v1/advisor/sign-in", timeout=TIMEOUT, json={
        "name": name, "code": issued.code, "new_password": password or f"password of {name}"})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def advisor_call(centre, token: str | None, method: str, path: str, payload: Any = None,
                 extra: dict[str, str] | None = None) -> httpx.Response:
    headers = {**(bearer(token) if token else {}), **(extra or {})}
    return httpx.request(method, centre.url + path, json=payload, headers=headers, timeout=TIMEOUT)
