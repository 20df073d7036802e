"""The Centre tried as an attacker would: a real uvicorn on loopback, on SQLite and on PostgreSQL 15.

Each test builds one attack and checks it is refused with a 4xx, never a 5xx, and that the server logged no
traceback. Concurrency tests are bounded: 20 threads, every wait with a timeout.
"""

from __future__ import annotations

import base64
import datetime as dt
import gc
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.centre import store as centre_store
from ssd_starter.centre.app import MAX_BODY, signed_message
from ssd_starter.sync.client import CentreClient, SyncFailed, signed_headers
from ssd_starter.sync.identity import Identity
from tests.sync.conftest import RunningCentre, free_port
from tests.sync.test_bundle import other_identity
from tests.sync.test_cli_sync import wait_for

THREADS = 20
TIMEOUT = 60.0


@dataclass
class District:
    id: str
    identity: Identity


def enrolled(centre: RunningCentre) -> District:
    district = District(str(uuid.uuid4()), other_identity(None))
    client = CentreClient(centre.url, district.id, district.identity)
    try:
        client.enrol(centre_store.enrol(centre.engine, "Distretto"))
    finally:
        client.close()
    return district


def signed(district: District, method: str, path: str, body: bytes = b"", *,
           timestamp: str | None = None) -> dict[str, str]:
    """Headers of a correctly signed request, with any timestamp (the server must judge it)."""
    timestamp = timestamp if timestamp is not None else f"{time.time():.6f}"
    signature = district.identity.sign(signed_message(method, path, timestamp, body))
    return {"x-ssd-district": district.id, "x-ssd-time": timestamp,
            "x-ssd-signature": base64.b64encode(signature).decode(), "content-type": "application/json"}


def call(centre: RunningCentre, method: str, path: str, headers, body: bytes = b"") -> httpx.Response:
    return httpx.request(method, centre.url + path, content=body, headers=headers, timeout=TIMEOUT)


# -- enrolment --------------------------------------------------------------------------------

def race(url: str, payloads: list[dict]) -> list[int]:
    """POST every payload to /v1/enrol at the same moment (warm connections, one barrier); the statuses."""
    barrier = threading.Barrier(len(payloads), timeout=TIMEOUT)

    def one(payload: dict) -> int:
        with httpx.Client(base_url=url, timeout=TIMEOUT) as http:
            http.get("/openapi.json")  # the connection is open before the race starts
            barrier.wait()
            return http.post("/v1/enrol", json=payload).status_code

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        futures = [pool.submit(one, payload) for payload in payloads]
        return [future.result(timeout=TIMEOUT) for future in futures]


def status_of(centre: RunningCentre, district: District) -> int:
    return call(centre, "GET", "/v1/sync/status", signed(district, "GET", "/v1/sync/status")).status_code


def test_one_token_enrols_exactly_one_of_twenty_districts_racing_for_it(hostile):
    for round_ in range(3):
        token = centre_store.enrol(hostile.engine, f"Round {round_}")
        contenders = [District(str(uuid.uuid4()), other_identity(None)) for _ in range(THREADS)]
        statuses = race(hostile.url, [{"token": token, "district_id": d.id, "public_key": d.identity.public_b64}
                                      for d in contenders])
        assert statuses.count(200) == 1 and set(statuses) <= {200, 403}, statuses
        winner = contenders[statuses.index(200)]
        assert status_of(hostile, winner) == 200  # the district told "200" is really enrolled
        assert all(status_of(hostile, d) == 401 for d in contenders if d is not winner)


def test_one_district_racing_with_twenty_tokens_is_enrolled_once_and_the_rest_hear_409(hostile):
    district = District(str(uuid.uuid4()), other_identity(None))
    tokens = [centre_store.enrol(hostile.engine, f"Token {n}") for n in range(THREADS)]
    statuses = race(hostile.url, [{"token": t, "district_id": district.id, "public_key": district.identity.public_b64}
                                  for t in tokens])
    assert statuses.count(200) == 1 and set(statuses) <= {200, 409}, statuses
    assert status_of(hostile, district) == 200


def test_an_expired_token_is_refused_and_stays_unused(hostile):
    issued = centre_store.issue_token(hostile.engine, "Late", valid_for=dt.timedelta(seconds=-1))
    district = District(str(uuid.uuid4()), other_identity(None))
    response = httpx.post(hostile.url + "/v1/enrol", timeout=TIMEOUT, json={
        "token": issued.token, "district_id": district.id, "public_key": district.identity.public_b64})
    assert response.status_code == 403 and "expired" in response.json()["detail"]
    assert status_of(hostile, district) == 401


def test_tokens_expire_after_fourteen_days_unless_told_otherwise(database_url):
    engine = centre_store.connect(database_url)
    try:
        before = centre_store.now()
        issued = centre_store.issue_token(engine, "Valsugana")
        assert dt.timedelta(days=14) <= issued.expires_at - before < dt.timedelta(days=14, minutes=1)
        short = centre_store.issue_token(engine, "Tesino", valid_for=dt.timedelta(days=2))
        with engine.connect() as conn:
            stored = conn.execute(sa.select(centre_store.districts.c.expires_at).where(
                centre_store.districts.c.token_hash == centre_store.token_hash(short.token))).scalar_one()
        assert abs(stored.replace(tzinfo=dt.UTC) - short.expires_at) < dt.timedelta(seconds=1)
    finally:
        engine.dispose()


def _old_centre_schema(url: str) -> None:
    """centre_district as it was before tokens expired, with one unused token in it."""
    old = sa.MetaData()
    table = sa.Table("centre_district", old,
                     sa.Column("enrolment_id", sa.String(36), primary_key=True),
                     sa.Column("name", sa.String(200), nullable=False),
                     sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
                     sa.Column("district_id", sa.String(36), unique=True),
                     sa.Column("public_key", sa.String(100)),
                     sa.Column("fingerprint", sa.String(60)),
                     sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                     sa.Column("registered_at", sa.DateTime(timezone=True)))
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert().values(enrolment_id="e1", name="Old", token_hash=centre_store.token_hash("old"),
                                           created_at=centre_store.now()))
    engine.dispose()


def test_an_existing_centre_database_gets_the_expiry_and_its_unused_tokens_still_work(database_url):
    from ssd_starter.centre.database import SchemaNotCurrent, migrate

    _old_centre_schema(database_url)
    with pytest.raises(SchemaNotCurrent):  # served only once `centre migrate` has upgraded it
        centre_store.connect(database_url)
    migrate(database_url)
    engine = centre_store.connect(database_url)
    try:
        assert "expires_at" in {c["name"] for c in sa.inspect(engine).get_columns("centre_district")}
        migrate(database_url)  # run again: nothing to add again
        centre_store.connect(database_url).dispose()  # a second server process starting
        identity = other_identity(None)
        centre_store.register(engine, "old", str(uuid.uuid4()), identity.public_b64, identity.fingerprint)
    finally:
        engine.dispose()


def test_centre_enrol_says_when_the_token_expires(database_url, capsys):
    from ssd_starter.cli import main

    assert main(["centre", "enrol", "--district-name", "Valsugana", "--db", database_url, "--valid-days", "3"]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert len(token) >= 24 and "\n" not in token  # stdout stays the token alone, for scripts
    expected = (centre_store.now() + dt.timedelta(days=3)).astimezone()
    assert "until" in err and str(expected.year) in err and "3 days" in err
    engine = centre_store.connect(database_url)
    try:
        with engine.connect() as conn:
            expires = conn.execute(sa.select(centre_store.districts.c.expires_at).where(
                centre_store.districts.c.token_hash == centre_store.token_hash(token))).scalar_one()
    finally:
        engine.dispose()
    assert abs(expires.replace(tzinfo=dt.UTC) - centre_store.now() - dt.timedelta(days=3)) < dt.timedelta(minutes=1)
    assert main(["centre", "enrol", "--district-name", "X", "--db", database_url, "--valid-days", "0"]) == 1


# -- request bodies ---------------------------------------------------------------------------

def rss() -> int:
    """This process's resident memory in bytes; the server runs in a thread of it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


class PeakMemory:
    """The highest RSS seen while the block runs, sampled every 5 ms."""

    def __enter__(self) -> PeakMemory:
        self.peak = rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)


@pytest.mark.parametrize("path", ["/v1/sync/push", "/v1/enrol"])
def test_a_chunked_body_without_length_is_refused_with_413_while_it_streams(hostile, path):
    district = enrolled(hostile)
    chunk = b"x" * 2**20
    total = 200 * len(chunk)

    def body() -> Iterator[bytes]:  # the same chunk again and again: the client holds 1 MiB, not 200
        for _ in range(total // len(chunk)):
            yield chunk

    headers = signed(district, "POST", path, b"")  # the signature does not matter: the size is judged first
    gc.collect()
    started = time.monotonic()
    with PeakMemory() as memory:
        baseline = rss()
        response = httpx.post(hostile.url + path, content=body(), headers=headers, timeout=TIMEOUT)
    assert response.status_code == 413
    assert memory.peak - baseline < 2 * MAX_BODY < total / 3  # far less than the 200 MiB sent
    assert time.monotonic() - started < TIMEOUT
    assert httpx.get(hostile.url + "/openapi.json", timeout=TIMEOUT).status_code == 200  # still serving


def test_a_declared_length_over_the_limit_is_refused_before_a_byte_of_body_is_sent(hostile):
    with socket.create_connection(("127.0.0.1", hostile.port), timeout=TIMEOUT) as sock:
        sock.sendall(b"POST /v1/enrol HTTP/1.1\r\nHost: centre\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1))
        answer = sock.recv(65536)  # no body follows: a server waiting for it would time out here
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_body_just_under_the_limit_still_arrives(hostile):
    district = enrolled(hostile)
    body = json.dumps({"origin": "o", "first": 0, "last": 1, "records": [], "pad": "x" * (MAX_BODY - 200)}).encode()
    assert len(body) <= MAX_BODY

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 2**20):
            yield body[start:start + 2**20]

    response = httpx.post(hostile.url + "/v1/sync/push", content=chunks(), timeout=TIMEOUT,
                          headers=signed(district, "POST", "/v1/sync/push", body))
    assert response.status_code == 200, response.text


# -- signed time and replays ------------------------------------------------------------------

@pytest.mark.parametrize("timestamp", ["nan", "NaN", "-nan", "inf", "-Infinity", "1e999", "", "now"])
def test_a_signed_time_that_is_not_a_finite_number_is_refused(hostile, timestamp):
    district = enrolled(hostile)
    response = call(hostile, "GET", "/v1/sync/status", signed(district, "GET", "/v1/sync/status", timestamp=timestamp))
    assert response.status_code == 401


def test_a_signed_time_outside_the_window_is_refused(hostile):
    district = enrolled(hostile)
    for offset in (-301, 301):
        stamp = f"{time.time() + offset:.3f}"
        response = call(hostile, "GET", "/v1/sync/status", signed(district, "GET", "/v1/sync/status", timestamp=stamp))
        assert response.status_code == 401


def test_a_captured_signed_push_cannot_be_replayed_inside_the_window(hostile):
    district = enrolled(hostile)
    body = json.dumps({"origin": "o", "first": 0, "last": 5, "records": []}).encode()
    captured = signed(district, "POST", "/v1/sync/push", body)
    assert call(hostile, "POST", "/v1/sync/push", captured, body).status_code == 200
    replay = call(hostile, "POST", "/v1/sync/push", captured, body)
    assert replay.status_code == 409 and "replay" in replay.json()["detail"]
    status = signed(district, "GET", "/v1/sync/status")
    assert call(hostile, "GET", "/v1/sync/status", status).status_code == 200
    assert call(hostile, "GET", "/v1/sync/status", status).status_code == 409


def test_a_request_replayed_to_another_server_process_is_refused(database_url):
    """Two Centre processes on one database (as behind a load balancer): the signature is remembered in it."""
    port = free_port()
    with RunningCentre(database_url) as here:
        other = subprocess.Popen([sys.executable, "-m", "ssd_starter", "centre", "serve", "--port", str(port),
                                  "--db", database_url], env=os.environ.copy(), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        try:
            wait_for(port, other)
            district = enrolled(here)
            captured = signed(district, "GET", "/v1/sync/status")
            assert call(here, "GET", "/v1/sync/status", captured).status_code == 200
            there = httpx.get(f"http://127.0.0.1:{port}/v1/sync/status", headers=captured, timeout=TIMEOUT)
            assert there.status_code == 409
            fresh = signed(district, "GET", "/v1/sync/status")
            assert httpx.get(f"http://127.0.0.1:{port}/v1/sync/status", headers=fresh,
                             timeout=TIMEOUT).status_code == 200
        finally:
            other.terminate()
            _out, err = other.communicate(timeout=20)
    assert "Traceback" not in err


def test_remembered_signatures_are_forgotten_once_they_are_too_old_to_be_accepted(hostile):
    old = centre_store.now() - dt.timedelta(hours=1)
    assert centre_store.remember_signature(hostile.engine, b"s" * 64, old)
    assert not centre_store.remember_signature(hostile.engine, b"s" * 64, old)  # insert-or-fail
    district = enrolled(hostile)
    assert status_of(hostile, district) == 200  # a request prunes what the window no longer accepts
    with hostile.engine.connect() as conn:
        seen = conn.execute(sa.select(centre_store.seen.c.seen_at)).scalars().all()
    assert len(seen) == 1 and seen[0].replace(tzinfo=dt.UTC) > old


def test_requests_signed_in_quick_succession_are_never_mistaken_for_replays(hostile):
    district = enrolled(hostile)
    stamps = [float(signed_headers(district.identity, district.id, "GET", "/v1/sync/status", b"")["x-ssd-time"])
              for _ in range(200)]
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
    client = CentreClient(hostile.url, district.id, district.identity)
    try:
        assert [client.acknowledged("o") for _ in range(30)] == [0] * 30
    finally:
        client.close()


# -- any payload a client can send: 4xx, never 5xx, no traceback ------------------------------

HUGE = 2**70
LONG = "d" * 10_000


def _raw(centre: RunningCentre, method: str, path: str, headers: list[tuple[bytes, bytes]],
         body: bytes = b"") -> httpx.Response:
    return httpx.request(method, centre.url + path, content=body, headers=headers, timeout=TIMEOUT)


def _with(district: District, method: str, path: str, body: bytes = b"", **override: bytes) -> list:
    headers = {k.encode(): v.encode() for k, v in signed(district, method, path, body).items()}
    headers.update({k.replace("_", "-").encode(): v for k, v in override.items()})
    return list(headers.items())


def _push(district: District, payload: bytes) -> tuple[str, str, dict, bytes]:
    return "POST", "/v1/sync/push", signed(district, "POST", "/v1/sync/push", payload), payload


def _enrol(payload: bytes) -> tuple[str, str, dict, bytes]:
    return "POST", "/v1/enrol", {"content-type": "application/json"}, payload


def _get(district: District, path: str, signed_path: str | None = None) -> tuple[str, str, dict, bytes]:
    return "GET", path, signed(district, "GET", signed_path or path), b""


def _enrolment(**fields: object) -> bytes:
    payload = {"token": "t" * 32, "district_id": str(uuid.uuid4()), "public_key": base64.b64encode(b"k" * 32).decode()}
    payload.update(fields)
    return json.dumps(payload).encode()


HOSTILE: dict[str, Callable[[District], tuple]] = {
    "malformed JSON push": lambda d: _push(d, b'{"origin": "o", "first": 0,'),
    "push that is a list": lambda d: _push(d, b"[1, 2, 3]"),
    "push nested a million deep": lambda d: _push(d, b"[" * 1_000_000),
    "push with last = 2**70": lambda d: _push(d, json.dumps({"origin": "o", "first": 0, "last": HUGE,
                                                             "records": []}).encode()),
    "push with first = 2**70": lambda d: _push(d, json.dumps({"origin": "o", "first": HUGE, "last": 1,
                                                              "records": []}).encode()),
    "push with last = -1": lambda d: _push(d, json.dumps({"origin": "o", "first": 0, "last": -1,
                                                          "records": []}).encode()),
    "push with last = 1e999": lambda d: _push(d, b'{"origin": "o", "first": 0, "last": 1e999, "records": []}'),
    "push that is not UTF-8": lambda d: _push(d, b'{"origin": "\xff\xfe", "first": 0, "last": 1, "records": []}'),
    "push with a lone surrogate": lambda d: _push(d, b'{"origin": "\\ud800", "first": 0, "last": 1, "records": []}'),
    "push with a record that is a string": lambda d: _push(d, b'{"origin": "o", "first": 0, "last": 1, '
                                                              b'"records": ["x"]}'),
    "pull since 2**70": lambda d: _get(d, f"/v1/sync/pull?since={HUGE}"),
    "pull since -2**70": lambda d: _get(d, f"/v1/sync/pull?since={-HUGE}"),
    "pull since NUL": lambda d: _get(d, "/v1/sync/pull?since=%00"),
    "pack with a NUL in its id": lambda d: _get(d, "/v1/packs/%00/1", "/v1/packs/\0/1"),
    "pack with a 10,000-character id": lambda d: _get(d, f"/v1/packs/{LONG}/1"),
    "malformed JSON enrolment": lambda d: _enrol(b'{"token": '),
    "enrolment with a NUL in the district id": lambda d: _enrol(_enrolment(district_id="abcdefgh\0")),
    "enrolment with a non-ASCII district id": lambda d: _enrol(_enrolment(district_id="distretto-è-ü-€")),
    "enrolment with a NUL in the token": lambda d: _enrol(_enrolment(token="t\0")),
    "enrolment with a lone surrogate token": lambda d: _enrol(_enrolment().replace(b'"' + b"t" * 32 + b'"',
                                                                                   b'"\\ud800"')),
    "enrolment with 10,000-character fields": lambda d: _enrol(_enrolment(token=LONG, district_id=LONG,
                                                                          public_key=LONG)),
    "enrolment with numbers for strings": lambda d: _enrol(b'{"token": 1e999, "district_id": 1, "public_key": []}'),
}


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_hostile_payloads_get_a_4xx_and_no_traceback(hostile, attack):
    district = enrolled(hostile)
    method, path, headers, body = HOSTILE[attack](district)
    response = call(hostile, method, path, headers, body)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert hostile.errors.tracebacks() == []


HOSTILE_HEADERS: dict[str, dict[str, bytes]] = {
    "non-ASCII district id": {"x_ssd_district": "distretto-è-€".encode()},
    "non-ASCII time": {"x_ssd_time": "١٧٠٠٠٠٠٠٠٠".encode()},
    "non-ASCII signature": {"x_ssd_signature": "firmà".encode()},
    "10,000-character district id": {"x_ssd_district": LONG.encode()},
    "10,000-character time": {"x_ssd_time": b"1" * 10_000},
    "10,000-character signature": {"x_ssd_signature": base64.b64encode(b"s" * 7_500)},
    "latin-1 bytes everywhere": {"x_ssd_district": b"\xe9\xff" * 10, "x_ssd_time": b"\xb9\xb2",
                                 "x_ssd_signature": b"\xff" * 88},
}


@pytest.mark.parametrize("attack", list(HOSTILE_HEADERS))
def test_hostile_headers_get_401_and_no_traceback(hostile, attack):
    district = enrolled(hostile)
    for method, path, body in (("GET", "/v1/sync/status", b""), ("POST", "/v1/sync/push", b"{}")):
        response = _raw(hostile, method, path, _with(district, method, path, body, **HOSTILE_HEADERS[attack]), body)
        assert response.status_code == 401, (attack, response.status_code, response.text[:300])
    assert hostile.errors.tracebacks() == []


def test_a_district_id_signed_with_its_own_key_but_ten_thousand_characters_long_is_refused(hostile):
    district = enrolled(hostile)
    long_one = District(LONG, district.identity)
    assert call(hostile, "GET", "/v1/sync/status", signed(long_one, "GET", "/v1/sync/status")).status_code == 401


# h11 (the client) refuses leading or trailing blanks in a header value, so none are drawn
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
                      max_size=200).map(str.strip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(district_id=header_text, timestamp=header_text, signature=header_text)
def test_any_signature_headers_get_401_and_never_a_5xx(hostile, district_id, timestamp, signature):
    headers = [(b"x-ssd-district", district_id.encode("latin-1")), (b"x-ssd-time", timestamp.encode("latin-1")),
               (b"x-ssd-signature", signature.encode("latin-1"))]
    assert _raw(hostile, "GET", "/v1/sync/status", headers).status_code == 401
    assert hostile.errors.tracebacks() == []


# -- the client: no unencrypted Centre by accident --------------------------------------------

@pytest.mark.parametrize("url", ["http://centre.example.org", "http://192.0.2.7:8765", "http://[2001:db8::1]/",
                                 "http://0.0.0.0:8765", "http://localhost.example.org", "ftp://centre.example.org",
                                 "centre.example.org"])
def test_the_client_refuses_an_unencrypted_centre_that_is_not_this_computer(url):
    started = time.monotonic()
    with pytest.raises(SyncFailed) as refused:
        CentreClient(url, "d" * 36, other_identity(None))
    assert time.monotonic() - started < 5  # refused before any connection is tried
    assert "https://" in refused.value.message()


@pytest.mark.parametrize("url", ["https://centre.example.org", "http://127.0.0.1:8765", "http://127.1.2.3",
                                 "http://localhost:8765/", "http://[::1]:8765", "HTTP://LOCALHOST"])
def test_the_client_accepts_https_and_this_computer(url):
    CentreClient(url, "d" * 36, other_identity(None)).close()


def test_unencrypted_http_is_allowed_when_the_user_says_so(demo_store, centre, capsys):
    from ssd_starter.centre import store as cs
    from ssd_starter.cli import main

    CentreClient("http://centre.example.org", "d" * 36, other_identity(None), allow_insecure=True).close()
    # 0.0.0.0 reaches this computer's loopback on Linux, but is not a loopback address: a stand-in for a LAN host
    url = f"http://0.0.0.0:{centre.port}"
    token = cs.enrol(centre.engine, "Valsugana")
    district = ["--district", demo_store.demo_id, "--centre", url, "--token", token]
    demo_store.close()
    assert main(["sync", *district]) == 1
    err = capsys.readouterr().err.strip()
    assert "https://" in err and "--insecure-http" in err and len(err.splitlines()) == 1
    assert main(["sync", *district, "--insecure-http", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pushed"] > 200
