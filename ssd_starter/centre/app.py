"""The Centre's HTTP API (FastAPI): enrolment, push, status, pull of comments, submissions for review, the
advisors' API (``centre.advisor_api``) and ``/health``.

``create_app()`` with no argument is the ASGI factory a deployment runs
(``uvicorn --factory ssd_starter.centre.app:create_app --workers 2``): it reads ``centre.config`` from the
environment, logs JSON lines and refuses to start on a database whose schema is not current, saying so.
``create_app(url)`` serves the database at ``url`` (``centre serve``, tests) and leaves logging alone.

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
import logging
import math
import re
import time
from typing import Any, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ssd_starter import __version__
from ssd_starter.centre import devices
from ssd_starter.centre import store as centre_store
from ssd_starter.centre import submissions as review
from ssd_starter.centre.advisor_api import Text, advisor_router
from ssd_starter.centre.config import CentreConfig
from ssd_starter.centre.errors import Refusal
from ssd_starter.centre.logs import AccessLog
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
THREAD_ID = r"^[0-9a-f-]{36}$"  # a UUID as the district's installation makes them
DEVICE_ID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"  # an installation's own id
DEVICE_HEADER = re.compile(DEVICE_ID.strip("^$"))
_Model = TypeVar("_Model", bound=BaseModel)
ORIGIN = re.compile(r"[0-9A-Za-z-]{0,36}")  # what a push's origin may be: a device id ('' before devices)
PACK_ID, PACK_VERSION = ID_PATTERN.pattern, VERSION_PATTERN.pattern  # as a district checks a pack it receives
log = logging.getLogger("ssd_starter.centre")


class Enrolment(BaseModel):
    # the forms ``centre_store.issue_token`` and a district's id take: nothing else (a NUL, a lone surrogate)
    # can reach the database or the hash
    token: str = Field(max_length=100, pattern=r"^[A-Za-z0-9_-]{1,100}$")
    district_id: str = Field(min_length=8, max_length=36, pattern=r"^[A-Za-z0-9-]{8,36}$")
    public_key: str = Field(max_length=100)
    # the enrolling installation, the district's first device (a client older than devices sends neither)
    device_id: str | None = Field(None, pattern=DEVICE_ID)
    device_name: Text = Field("", max_length=200)


class Record(BaseModel):
    table: str = Field(max_length=40)
    id: str = Field(max_length=36)
    op: str = Field(max_length=10)
    row: dict[str, Any]
    seq: int | None = Field(None, ge=0, le=MAX_SEQ)  # the sender's sequence number of this change
    # [version, origin] of the copy the sender's edits of the row started from (``sync.bundle._bases``)
    base: tuple[int, str] | None = None


class DeviceJoin(BaseModel):
    """An installation joining a district with the one-time code a device of it or the Centre gave."""

    code: str = Field(max_length=40, pattern=r"^[A-Za-z0-9 -]{1,40}$")
    device_id: str = Field(pattern=DEVICE_ID)
    public_key: str = Field(max_length=100)
    name: Text = Field("", max_length=200)


class DeviceInvite(BaseModel):
    valid_days: int = Field(7, ge=1, le=30)


class DeviceName(BaseModel):
    name: Text = Field(min_length=1, max_length=200)


class RowsWanted(BaseModel):
    """What the puller holds: per device of the district, the sequence number it has every row of it up to."""

    have: dict[str, int] = Field(default_factory=dict, max_length=1000)
    limit: int = Field(2000, ge=1, le=5000)


class Submission(BaseModel):
    """A snapshot for review: ``summary`` is ``DistrictSummary.as_json()``, ``dossier`` the PDF in base64."""

    summary: dict[str, Any]
    note: Text = Field("", max_length=review.MAX_NOTE)
    charter_version_id: str | None = Field(None, pattern=r"^[A-Za-z0-9-]{1,36}$")
    dossier: str | None = None  # its size is judged once decoded (413 above 20 MB); the body's bound caps it


class DistrictAnchor(BaseModel):
    """One of the district's records (``kind`` record: ``table`` and ``id``) or a charter section (``kind``
    section: the step's ``key``)."""

    kind: str = Field(pattern=r"^(record|section)$")
    table: str | None = Field(None, max_length=40, pattern=r"^[a-z_]{1,40}$")
    id: str | None = Field(None, max_length=36, pattern=r"^[A-Za-z0-9-]{1,36}$")
    key: str | None = Field(None, max_length=30, pattern=r"^[a-z_]{1,30}$")


class DistrictThread(BaseModel):
    """A thread the district opens; ``id`` is its own for it (sent twice, it is opened once)."""

    id: str = Field(pattern=THREAD_ID)
    anchor: DistrictAnchor
    text: Text = Field(min_length=1, max_length=review.MAX_COMMENT)


class DistrictReply(BaseModel):
    id: str = Field(pattern=THREAD_ID)  # the district's own id for the message: sent twice, kept once
    text: Text = Field(min_length=1, max_length=review.MAX_COMMENT)


class Push(BaseModel):
    origin: str = Field(max_length=36, pattern=r"^[0-9A-Za-z-]*$")
    first: int = Field(ge=0, le=MAX_SEQ)
    last: int = Field(ge=0, le=MAX_SEQ)
    records: list[Record] = Field(max_length=20_000)


# Declared to OpenAPI so the document shows how districts authenticate; checked by ``district`` below.
district_signature = APIKeyHeader(
    name="x-ssd-signature", auto_error=False, scheme_name="DistrictSignature",
    description="Ed25519 signature (base64) of METHOD\\nPATH\\nTIMESTAMP\\nSHA256(body) by the district's key, "
                "with x-ssd-district (its id) and x-ssd-time (the timestamp).")


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


def _parsed(model: type[_Model], body: bytes) -> _Model:
    """The signed body read straight into ``model``, as FastAPI would refuse it (422): pydantic parsing the
    JSON itself takes a third of the time of Python's json.loads followed by validation (a 2,000-row push
    16 ms instead of 40-60 ms)."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError([{**error, "loc": ("body", *error.get("loc", ()))}
                                      for error in exc.errors(include_input=False)]) from None


def _json_body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an endpoint that reads its body itself (``_parsed``); the model's schema
    is added to the document's components by ``_document_schemas``."""
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


def _document_schemas(app: FastAPI, *models: type[BaseModel]) -> None:
    """``models`` (and the models they hold) among the OpenAPI document's schemas, for ``_json_body``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()  # made once and kept by FastAPI: the schemas are added to that one
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
        return document

    app.openapi = openapi  # type: ignore[method-assign]


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


async def refuse(_request: Request, exc: Refusal) -> JSONResponse:
    return JSONResponse({"detail": exc.english()}, status_code=exc.status)


def create_app(database_url: str | None = None, *, config: CentreConfig | None = None) -> FastAPI:
    """The Centre's app on ``database_url`` or ``config``; with neither, the ASGI factory (the module's
    docstring)."""
    if database_url is None and config is None:
        return _from_environment()
    config = config or CentreConfig(str(database_url))
    engine = centre_store.connect(config.database_url)  # SchemaNotCurrent: the caller says what to do
    app = FastAPI(title="SSD Starter Centre", version=__version__,
                  description="Enrolment, push and pull for districts of the solidarity economy; submissions "
                              "and their review by the Centre's advisors.",
                  openapi_tags=[{"name": "district", "description": "Signed by a district's key."},
                                {"name": "advisor", "description": "With an advisor's bearer session."},
                                {"name": "operations", "description": "For the people running the Centre."}])
    app.state.engine = engine
    app.add_middleware(BoundedBody, limit=MAX_BODY)
    app.add_middleware(AccessLog)  # outermost: a request refused for its size is logged too
    app.add_exception_handler(RequestValidationError, refuse_invalid)  # type: ignore[arg-type]
    app.add_exception_handler(Refusal, refuse)  # type: ignore[arg-type]
    last_prune = [0.0]  # monotonic time of this process's last pruning of remembered signatures

    def forget_old_signatures() -> None:
        """At most once a minute per process: one indexed DELETE, not one per request."""
        if time.monotonic() - last_prune[0] >= PRUNE_EVERY_S:
            last_prune[0] = time.monotonic()
            centre_store.forget_signatures_before(engine, centre_store.now() - SEEN_FOR)

    def authenticate(method: str, path: str, district_id: str, named: str | None, timestamp: str,
                     signature: bytes, body: bytes) -> devices.Signer:
        """The key of one of the district's devices (not revoked) signed exactly this request, and this
        signature was never seen before; the device that signed. The device the request names is tried
        first (the header only chooses: the signature decides). Blocking database work: run in a worker
        thread, off the event loop."""
        if not within_window(timestamp, time.time()):
            raise HTTPException(401, "request too old or clock too far off")
        message = signed_message(method, path, timestamp, body)
        forget_old_signatures()
        # one transaction: the keys read, the signature remembered and the device seen on one connection
        # (each checkout costs a ping and a rollback round trip; the status answered in 27 ms instead of 35)
        with engine.begin() as conn:
            keys = sorted(devices.active_keys(conn, district_id), key=lambda signer: signer.device_id != named)
            signer = next((k for k in keys if verify(base64.b64decode(k.public_key), signature, message)), None)
            if signer is None:
                raise HTTPException(401, "not signed by an enrolled district")
            if not centre_store.remember_signature(conn, signature, centre_store.now()):
                raise HTTPException(409, "this signed request was already received (a replay)")
            return devices.seen(conn, signer, named)

    async def district(request: Request, _signature: str | None = Security(district_signature)) -> str:
        """The district whose key signed this request, or 401 (409 for a replay); the device that signed is
        ``request.state.signer``. An advisor's token is refused here whatever else comes with it: the two
        kinds of caller never cross."""
        if "authorization" in request.headers:
            raise HTTPException(401, "advisor tokens are not accepted on district endpoints")
        district_id, timestamp, signature = signature_headers(request)
        named = request.headers.get("x-ssd-device", "")
        body = await request.body()  # at most MAX_BODY: BoundedBody stops it while it streams
        request.state.body = body
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        request.state.signer = await run_in_threadpool(
            authenticate, request.method, path, district_id, named if DEVICE_HEADER.fullmatch(named) else None,
            timestamp, signature, body)
        request.state.principal = f"district:{district_id}"
        return district_id

    @app.get("/health", tags=["operations"], responses={503: {"description": "Database unreachable or schema "
                                                                              "not current."}})
    def health() -> JSONResponse:
        """Whether this process can serve: the database answers and its schema is the one it serves."""
        from ssd_starter.centre.database import schema_status

        try:
            status = schema_status(engine)
        except Exception as exc:  # noqa: BLE001 - any failure of the database is what this reports
            log.warning("health: database unreachable", extra={"fields": {"event": "health",
                                                                            "error": type(exc).__name__}})
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        body = {"status": "ok" if status.current else "unavailable", "database": "reachable",
                "schema": status.state, "revision": status.revision, "version": __version__}
        return JSONResponse(body, status_code=200 if status.current else 503)

    @app.post("/v1/enrol", tags=["district"])
    def enrol(enrolment: Enrolment) -> dict[str, str]:
        try:
            raw = base64.b64decode(enrolment.public_key, validate=True)
            if len(raw) != 32:
                raise ValueError
        except ValueError:
            raise HTTPException(422, "public_key must be a base64 Ed25519 key") from None
        try:
            centre_store.register(engine, enrolment.token, enrolment.district_id, enrolment.public_key,
                                  fingerprint(raw), device_id=enrolment.device_id, device_name=enrolment.device_name)
        except centre_store.Refused as exc:
            raise HTTPException(exc.status, exc.detail) from None
        return {"district_id": enrolment.district_id, "fingerprint": fingerprint(raw)}

    @app.get("/v1/sync/status", tags=["district"])
    def status(district_id: str = Depends(district)) -> dict[str, Any]:
        """What the Centre acknowledged of each device's changes, and the district's devices (revoked ones
        too, so every device learns of a revocation), each with when it was last seen; and ``news``: the
        last row held from each device, the last comment and the packs offered, so that a device with nothing
        to fetch makes no further request."""
        with engine.connect() as conn:
            return {"district_id": district_id, "acknowledged": centre_store.acknowledged(conn, district_id),
                    "devices": devices.public_listing(devices.list_devices(conn, district_id)),
                    "news": centre_store.news(conn, district_id)}

    @app.post("/v1/sync/push", tags=["district"], openapi_extra=_json_body(Push))
    def push(request: Request, district_id: str = Depends(district)) -> dict[str, Any]:
        """The sending device's own changes, in its sequence order; a device known by its id sends only
        under that id (its rows' counters are its own: another device cannot move them)."""
        payload = _parsed(Push, request.state.body)
        signer: devices.Signer = request.state.signer
        if signer.device_id is not None and payload.origin != signer.device_id:
            raise HTTPException(403, "a device sends its own changes only")
        for record in payload.records:
            if (record.table not in SYNCABLE_TABLES or district_of(record.table, record.row) != district_id
                    or record.row.get("id") != record.id):
                raise HTTPException(403, "a record does not belong to this district")
        records = payload.model_dump()["records"]  # at once: per record it cost 50 µs each
        try:
            check_records(records, district_id)
            result = centre_store.push(engine, district_id, payload.origin, payload.last, records,
                                       first=payload.first)
        except InvalidRecord as exc:
            raise HTTPException(422, exc.message()) from None
        except centre_store.Refused as exc:
            raise HTTPException(exc.status, exc.detail) from None
        return {"stored": result.stored, "ignored": result.ignored, "acknowledged": result.acknowledged}

    @app.post("/v1/sync/rows", tags=["district"])
    def rows(wanted: RowsWanted, district_id: str = Depends(district)) -> Response:
        """The rows the district's devices sent that the puller does not hold yet, in chunks: ask again with
        the counters returned while ``more`` is true (``centre.store.pull_rows``)."""
        for source, seq in wanted.have.items():
            if not (ORIGIN.fullmatch(source) and -1 <= seq <= MAX_SEQ):
                raise HTTPException(422, "have: a device id and a sequence number")
        pulled = centre_store.pull_rows(engine, district_id, wanted.have, wanted.limit)
        return Response(pulled.json(), media_type="application/json")

    @app.get("/v1/devices", tags=["district"])
    def device_list(district_id: str = Depends(district)) -> dict[str, Any]:
        return {"devices": devices.public_listing(devices.list_devices(engine, district_id))}

    @app.post("/v1/devices/invites", tags=["district"], status_code=201)
    def device_invite(payload: DeviceInvite, request: Request, district_id: str = Depends(district)
                      ) -> dict[str, Any]:
        """A one-time code with which one more installation joins the district (``/v1/devices/join``)."""
        issued = devices.invite(engine, district_id, invited_by=request.state.signer.name,
                                valid_for=dt.timedelta(days=payload.valid_days))
        return {"code": issued.code, "expires_at": issued.expires_at.isoformat()}

    @app.post("/v1/devices/join", tags=["district"])
    def device_join(payload: DeviceJoin) -> dict[str, Any]:
        """Not signed: the code is the permission. The installation's key is a device's of the district from
        now on; the answer names the district and its devices."""
        try:
            raw = base64.b64decode(payload.public_key, validate=True)
            if len(raw) != 32:
                raise ValueError
        except ValueError:
            raise HTTPException(422, "public_key must be a base64 Ed25519 key") from None
        joined = devices.join(engine, payload.code, device_id=payload.device_id, public_key=payload.public_key,
                              fingerprint=fingerprint(raw), name=payload.name)
        log.info("device joined", extra={"fields": {"event": "device", "district": joined["district_id"]}})
        return {**joined, "devices": devices.public_listing(devices.list_devices(engine, joined["district_id"]))}

    @app.post("/v1/devices/self", tags=["district"])
    def device_rename(payload: DeviceName, request: Request, _district_id: str = Depends(district)
                      ) -> dict[str, Any]:
        """The signing device's name, as its fellow devices show it next to what it wrote."""
        devices.rename(engine, request.state.signer, payload.name)
        return {"name": payload.name}

    @app.post("/v1/devices/{device_id}/revoke", tags=["district"])
    def device_revoke(device_id: str = Path(pattern=DEVICE_ID), district_id: str = Depends(district)
                      ) -> dict[str, Any]:
        """The device's key stops working at once, for requests and bundles; what it sent stays."""
        revoked = devices.revoke(engine, district_id, device_id)
        log.info("device revoked", extra={"fields": {"event": "device", "district": district_id}})
        return devices.public_listing([revoked])[0]

    @app.get("/v1/sync/pull", tags=["district"])
    def pull(since: int = Query(0, ge=0, le=MAX_SEQ), district_id: str = Depends(district)) -> dict[str, Any]:
        found = centre_store.comments_since(engine, district_id, since)
        for comment in found:
            comment["created_at"] = comment["created_at"].isoformat()
        return {"comments": found, "last": found[-1]["seq"] if found else since}

    @app.post("/v1/submissions", tags=["district"], status_code=201)
    def submit(payload: Submission, district_id: str = Depends(district)) -> dict[str, Any]:
        """Send the district for review; it answers the latest submission if that one has issues."""
        dossier = None
        if payload.dossier is not None:
            try:
                dossier = base64.b64decode(payload.dossier, validate=True)
            except ValueError:
                raise HTTPException(422, "dossier must be the PDF in base64") from None
        found = review.submit(engine, district_id, summary=payload.summary, note=payload.note,
                              charter_version_id=payload.charter_version_id, dossier=dossier)
        log.info("submission received", extra={"fields": {"event": "submission", "district": district_id,
                                                           "submission": found["id"]}})
        return {key: found[key] for key in ("id", "state", "previous_id", "received_at")}

    @app.get("/v1/submissions", tags=["district"])
    def review_state(district_id: str = Depends(district)) -> dict[str, Any]:
        """The district's submissions with their states and histories, and the threads about them; the
        threads' messages also arrive as comments through the pull, next to their records."""
        from ssd_starter.centre.replies import signing_identity
        from ssd_starter.centre.threads import threads_of_district

        key = signing_identity(engine)
        return {"submissions": review.for_district(engine, district_id),
                "threads": threads_of_district(engine, district_id),
                # when the Centre read this state, and the key that signs its reply bundles: a promoter who
                # later gets one on a USB stick knows it comes from here, and is newer
                "as_of": centre_store.now().isoformat(),
                "centre": {"public_key": key.public_b64, "fingerprint": key.fingerprint}}

    @app.post("/v1/threads", tags=["district"], status_code=201)
    def district_thread(payload: DistrictThread, district_id: str = Depends(district)) -> dict[str, Any]:
        """Open a thread about one of the district's records, or a section of its charter."""
        from ssd_starter.centre import threads as conversations

        anchor = payload.anchor
        key = anchor.id if anchor.kind == "record" else anchor.key
        if key is None or (anchor.kind == "record" and anchor.table is None):
            raise HTTPException(422, "a record is named by its table and id, a section by its key")
        return conversations.district_open(engine, district_id, payload.id, kind=anchor.kind, key=key,
                                           table=anchor.table, text=payload.text)

    @app.post("/v1/threads/{thread_id}/replies", tags=["district"], status_code=201)
    def district_reply(payload: DistrictReply, thread_id: str = Path(pattern=THREAD_ID),
                       district_id: str = Depends(district)) -> dict[str, Any]:
        """The district's reply to a thread about it (advisors' or its own)."""
        from ssd_starter.centre import threads as conversations

        return conversations.district_reply(engine, district_id, thread_id, payload.id, payload.text)

    @app.post("/v1/threads/{thread_id}/resolve", tags=["district"])
    def district_resolve(thread_id: str = Path(pattern=THREAD_ID),
                         district_id: str = Depends(district)) -> dict[str, Any]:
        """Settle a thread the district opened (an advisor's thread, only its advisor resolves)."""
        from ssd_starter.centre import threads as conversations

        return conversations.district_resolve(engine, district_id, thread_id)

    @app.get("/v1/packs", tags=["district"])
    def packs(district_id: str = Depends(district)) -> dict[str, Any]:
        return {"packs": centre_store.pack_list(engine)}

    @app.get("/v1/packs/{pack_id}/{version}", tags=["district"])
    def pack(pack_id: str = Path(pattern=PACK_ID), version: str = Path(pattern=PACK_VERSION),
             district_id: str = Depends(district)) -> Response:
        data = centre_store.pack_data(engine, pack_id, version)
        if data is None:
            raise HTTPException(404, "no such pack")
        return Response(data, media_type="application/zip")

    app.include_router(advisor_router(engine, config.session_lifetime))
    _document_schemas(app, Push)
    return app


def _from_environment() -> FastAPI:
    """The factory: configuration from the environment, JSON logs, and a clear refusal (no traceback) of a
    database this version cannot serve."""
    from ssd_starter.centre import config as settings
    from ssd_starter.centre import logs
    from ssd_starter.centre.database import SchemaNotCurrent
    from ssd_starter.core.errors import UserError

    try:
        config = settings.from_environment()
    except UserError as exc:
        logs.configure()
        log.critical("the Centre cannot start: %s", _english(exc), extra={"fields": {"event": "config"}})
        raise SystemExit(f"SSD Starter Centre: {_english(exc)}") from None
    logs.configure(config.log_format)
    for warning in config.warnings:
        log.warning(warning, extra={"fields": {"event": "config"}})
    try:
        app = create_app(config=config)
    except SchemaNotCurrent as exc:
        log.critical("the Centre cannot start: %s", _english(exc), extra={"fields": {
            "event": "schema", "state": exc.state, "database": settings.shown(config.database_url)}})
        _stop_the_supervisor()
        raise SystemExit(f"SSD Starter Centre: {_english(exc)}") from None
    log.info("the Centre is ready", extra={"fields": {"event": "start", "version": __version__,
                                                      "database": settings.shown(config.database_url)}})
    return app


def _stop_the_supervisor() -> None:
    """In a worker of ``uvicorn --workers N``, ask the parent to stop: it would start a new worker for each
    that exits, each refusing the same database, for ever. (With one worker there is no parent to ask.)"""
    import multiprocessing
    import os
    import signal

    if multiprocessing.parent_process() is not None:
        os.kill(os.getppid(), signal.SIGTERM)


def _english(exc: Exception) -> str:
    """A refusal in English, for the server's log (its msgid with its values)."""
    from ssd_starter.core.errors import UserError

    if isinstance(exc, UserError):
        return exc.english()
    return str(exc)
