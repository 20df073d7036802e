"""The Centre's HTTP API (FastAPI): enrolment, push, status, pull of comments.

Authentication is a **signed request**: the district signs ``METHOD\\nPATH\\nTIMESTAMP\\nSHA256(body)``
with the same Ed25519 key that signs its bundles. The Centre keeps only public keys — nothing on the
server can be stolen and replayed as a password — and a captured request cannot be reused after the
five-minute window, or changed at all. (A token derived from enrolment would be a shared secret stored on
both sides; the key already exists for bundles, so it costs nothing extra.) The district id in the header
selects the key: a request signed by one district can never read or write another's rows. Each signature
is accepted once (remembered in the database for the window), so a captured request cannot be replayed
either.

Whatever a client sends is answered with a 4xx, never a 5xx: headers, path and query values are checked
for form before they reach the database, and bodies are bounded while they stream in.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import math
import re
import time
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ssd_starter import __version__
from ssd_starter.centre import store as centre_store
from ssd_starter.core.models import SYNCABLE_TABLES, district_of
from ssd_starter.core.training import ID_PATTERN, VERSION_PATTERN
from ssd_starter.sync.identity import fingerprint, verify
from ssd_starter.sync.schema import MAX_INT, InvalidRecord, check_records

MAX_BODY = 32 * 2**20
MAX_SKEW_S = 300
MAX_SEQ = MAX_INT  # the largest BIGINT: a sequence number beyond it is refused, not an overflow in the database
# A signature stays valid while its time is within MAX_SKEW_S of the Centre's clock, which it can be from
# MAX_SKEW_S before it arrives (a clock behind) to MAX_SKEW_S after (a clock ahead): remembered that long.
SEEN_FOR = dt.timedelta(seconds=2 * MAX_SKEW_S + 60)
PRUNE_EVERY_S = 60.0
DISTRICT_ID = re.compile(r"[A-Za-z0-9-]{8,36}")
TIMESTAMP = re.compile(r"[0-9]{1,12}(\.[0-9]{1,6})?")  # what the client sends; never nan, inf or 1e999
SIGNATURE = re.compile(r"[A-Za-z0-9+/]{86}==")  # 64 bytes of Ed25519 signature in base64
PACK_ID, PACK_VERSION = ID_PATTERN.pattern, VERSION_PATTERN.pattern  # as a district checks a pack it receives


class Enrolment(BaseModel):
    # the forms ``centre_store.issue_token`` and a district's id take: nothing else (a NUL, a lone surrogate)
    # can reach the database or the hash
    token: str = Field(max_length=100, pattern=r"^[A-Za-z0-9_-]{1,100}$")
    district_id: str = Field(min_length=8, max_length=36, pattern=r"^[A-Za-z0-9-]{8,36}$")
    public_key: str = Field(max_length=100)


class Record(BaseModel):
    table: str = Field(max_length=40)
    id: str = Field(max_length=36)
    op: str = Field(max_length=10)
    row: dict[str, Any]


class Push(BaseModel):
    origin: str = Field(max_length=36, pattern=r"^[0-9A-Za-z-]*$")
    first: int = Field(ge=0, le=MAX_SEQ)
    last: int = Field(ge=0, le=MAX_SEQ)
    records: list[Record] = Field(max_length=20_000)


def signed_message(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    return f"{method}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()


# -- bounded bodies ---------------------------------------------------------------------------

class BodyTooLarge(HTTPException):
    """An HTTPException, so FastAPI passes it on untouched from wherever the body is read (it turns other
    errors while reading into a 400) and answers 413."""

    def __init__(self) -> None:
        super().__init__(413, "request body too large")


class BoundedBody:
    """Pure ASGI middleware: counts the bytes of each ``http.request`` message as it arrives and refuses with
    413 the moment the total passes ``limit``, with or without a Content-Length (a chunked body has none).
    Nothing is buffered here; at most ``limit`` bytes are ever held by whoever reads the body."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.limit:
            await _answer_too_large(scope, send)  # refused before a byte of the body is read
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            # FastAPI normally answers it itself; this catches a reader that does not. Once an answer has
            # started there is nothing more to say, and no reason for a traceback.
            if not started:
                await _answer_too_large(scope, send)


def _declared_length(scope: Scope) -> int:
    """The Content-Length sent, or 0 (none, or not a number: the HTTP server refuses that one itself)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


async def _answer_too_large(scope: Scope, send: Send) -> None:
    await JSONResponse({"detail": "request body too large"}, status_code=413)(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


# -- signed requests --------------------------------------------------------------------------

def signature_headers(request: Request) -> tuple[str, str, bytes]:
    """District id, timestamp and raw signature, each in the only form a client sends, or 401. Checked before
    anything else, so a 10,000-character id or a latin-1 byte never reaches the database or a decoder."""
    district_id = request.headers.get("x-ssd-district", "")
    timestamp = request.headers.get("x-ssd-time", "")
    signature = request.headers.get("x-ssd-signature", "")
    if not (DISTRICT_ID.fullmatch(district_id) and TIMESTAMP.fullmatch(timestamp)
            and SIGNATURE.fullmatch(signature)):
        raise HTTPException(401, "missing or malformed signature")
    return district_id, timestamp, base64.b64decode(signature)


def within_window(timestamp: str, now: float) -> bool:
    """A finite time no further than MAX_SKEW_S from the Centre's clock (``nan`` compares False with
    everything, so a bare ``skew > MAX_SKEW_S`` let it through for ever)."""
    signed_at = float(timestamp)
    return math.isfinite(signed_at) and abs(now - signed_at) <= MAX_SKEW_S


async def refuse_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 saying where and what, without echoing the input as FastAPI's own handler does: a client's
    1e999 (inf) or lone surrogate cannot be written as JSON, and that handler failed with a 500."""
    return JSONResponse({"detail": [{"loc": [_printable(part) for part in error.get("loc", ())],
                                     "msg": _printable(error.get("msg", "")), "type": _printable(error.get("type", ""))}
                                    for error in exc.errors()[:20]]}, status_code=422)


def _printable(value: object) -> str | int:
    """An int as it is; anything else as text that encodes to UTF-8, cut short (a loc can be a client's key)."""
    if isinstance(value, int):
        return value
    return str(value)[:200].encode("utf-8", "backslashreplace").decode("utf-8")


def create_app(database_url: str) -> FastAPI:
    engine = centre_store.connect(database_url)
    app = FastAPI(title="SSD Starter Centre", version=__version__,
                  description="Enrolment, push and pull for districts of the solidarity economy.")
    app.state.engine = engine
    app.add_middleware(BoundedBody, limit=MAX_BODY)
    app.add_exception_handler(RequestValidationError, refuse_invalid)  # type: ignore[arg-type]
    last_prune = [0.0]  # monotonic time of this process's last pruning of remembered signatures

    def forget_old_signatures() -> None:
        """At most once a minute per process: one indexed DELETE, not one per request."""
        if time.monotonic() - last_prune[0] >= PRUNE_EVERY_S:
            last_prune[0] = time.monotonic()
            centre_store.forget_signatures_before(engine, centre_store.now() - SEEN_FOR)

    def authenticate(method: str, path: str, district_id: str, timestamp: str, signature: bytes,
                     body: bytes) -> None:
        """The district's key signed exactly this request, and this signature was never seen before.
        Blocking database work: run in a worker thread, off the event loop."""
        if not within_window(timestamp, time.time()):
            raise HTTPException(401, "request too old or clock too far off")
        key = centre_store.public_key_of(engine, district_id)
        if key is None or not verify(base64.b64decode(key), signature,
                                     signed_message(method, path, timestamp, body)):
            raise HTTPException(401, "not signed by an enrolled district")
        forget_old_signatures()
        if not centre_store.remember_signature(engine, signature, centre_store.now()):
            raise HTTPException(409, "this signed request was already received (a replay)")

    async def district(request: Request) -> str:
        """The district whose key signed this request, or 401 (409 for a replay)."""
        district_id, timestamp, signature = signature_headers(request)
        body = await request.body()  # at most MAX_BODY: BoundedBody stops it while it streams
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        await run_in_threadpool(authenticate, request.method, path, district_id, timestamp, signature, body)
        return district_id

    @app.post("/v1/enrol")
    def enrol(enrolment: Enrolment) -> dict[str, str]:
        try:
            raw = base64.b64decode(enrolment.public_key, validate=True)
            if len(raw) != 32:
                raise ValueError
        except ValueError:
            raise HTTPException(422, "public_key must be a base64 Ed25519 key") from None
        try:
            centre_store.register(engine, enrolment.token, enrolment.district_id, enrolment.public_key,
                                  fingerprint(raw))
        except centre_store.Refused as exc:
            raise HTTPException(exc.status, exc.detail) from None
        return {"district_id": enrolment.district_id, "fingerprint": fingerprint(raw)}

    @app.get("/v1/sync/status")
    def status(district_id: str = Depends(district)) -> dict[str, Any]:
        return {"district_id": district_id, "acknowledged": centre_store.acknowledged(engine, district_id)}

    @app.post("/v1/sync/push")
    def push(payload: Push, district_id: str = Depends(district)) -> dict[str, Any]:
        for record in payload.records:
            if (record.table not in SYNCABLE_TABLES or district_of(record.table, record.row) != district_id
                    or record.row.get("id") != record.id):
                raise HTTPException(403, "a record does not belong to this district")
        records = [r.model_dump() for r in payload.records]
        try:
            check_records(records, district_id)
            result = centre_store.push(engine, district_id, payload.origin, payload.last, records)
        except InvalidRecord as exc:
            raise HTTPException(422, exc.message()) from None
        except centre_store.Refused as exc:
            raise HTTPException(exc.status, exc.detail) from None
        return {"stored": result.stored, "ignored": result.ignored, "acknowledged": result.acknowledged}

    @app.get("/v1/sync/pull")
    def pull(since: int = Query(0, ge=0, le=MAX_SEQ), district_id: str = Depends(district)) -> dict[str, Any]:
        found = centre_store.comments_since(engine, district_id, since)
        for comment in found:
            comment["created_at"] = comment["created_at"].isoformat()
        return {"comments": found, "last": found[-1]["seq"] if found else since}

    @app.get("/v1/packs")
    def packs(district_id: str = Depends(district)) -> dict[str, Any]:
        return {"packs": centre_store.pack_list(engine)}

    @app.get("/v1/packs/{pack_id}/{version}")
    def pack(pack_id: str = Path(pattern=PACK_ID), version: str = Path(pattern=PACK_VERSION),
             district_id: str = Depends(district)) -> Response:
        data = centre_store.pack_data(engine, pack_id, version)
        if data is None:
            raise HTTPException(404, "no such pack")
        return Response(data, media_type="application/zip")

    return app
