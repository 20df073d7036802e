"""The Centre's HTTP API (FastAPI): enrolment, push, status, pull of comments.

Authentication is a **signed request**: the district signs ``METHOD\\nPATH\\nTIMESTAMP\\nSHA256(body)``
with the same Ed25519 key that signs its bundles. The Centre keeps only public keys — nothing on the
server can be stolen and replayed as a password — and a captured request cannot be reused after the
five-minute window, or changed at all. (A token derived from enrolment would be a shared secret stored on
both sides; the key already exists for bundles, so it costs nothing extra.) The district id in the header
selects the key: a request signed by one district can never read or write another's rows.
"""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ssd_starter import __version__
from ssd_starter.centre import store as centre_store
from ssd_starter.sync.identity import fingerprint, verify

MAX_BODY = 32 * 2**20
MAX_SKEW_S = 300
SYNCABLE = ("district", "stakeholder", "relation", "charter", "charter_version", "canvas_item", "flow",
            "scenario", "workshop", "participant", "attendance", "answer")


class Enrolment(BaseModel):
    token: str = Field(max_length=100)
    district_id: str = Field(min_length=8, max_length=36)
    public_key: str = Field(max_length=100)


class Record(BaseModel):
    table: str = Field(max_length=40)
    id: str = Field(max_length=36)
    op: str = Field(max_length=10)
    row: dict[str, Any]


class Push(BaseModel):
    origin: str = Field(max_length=36)
    first: int = Field(ge=0)
    last: int = Field(ge=0)
    records: list[Record] = Field(max_length=20_000)


def signed_message(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    return f"{method}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()


def create_app(database_url: str) -> FastAPI:
    engine = centre_store.connect(database_url)
    app = FastAPI(title="SSD Starter Centre", version=__version__,
                  description="Enrolment, push and pull for districts of the solidarity economy.")
    app.state.engine = engine

    @app.middleware("http")
    async def bounded_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return JSONResponse({"detail": "request body too large"}, status_code=413)
        return await call_next(request)

    async def district(request: Request) -> str:
        """The district whose key signed this request, or 401."""
        district_id = request.headers.get("x-ssd-district", "")
        timestamp = request.headers.get("x-ssd-time", "")
        signature = request.headers.get("x-ssd-signature", "")
        body = await request.body()
        if len(body) > MAX_BODY:
            raise HTTPException(413, "request body too large")
        try:
            skew = abs(time.time() - float(timestamp))
            raw_signature = base64.b64decode(signature, validate=True)
        except ValueError:
            raise HTTPException(401, "missing or malformed signature") from None
        if skew > MAX_SKEW_S:
            raise HTTPException(401, "request too old or clock too far off")
        key = centre_store.public_key_of(engine, district_id)
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if key is None or not verify(base64.b64decode(key), raw_signature,
                                     signed_message(request.method, path, timestamp, body)):
            raise HTTPException(401, "not signed by an enrolled district")
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
            row_district = record.row.get("id") if record.table == "district" else record.row.get("district_id")
            if record.table not in SYNCABLE or row_district != district_id or record.row.get("id") != record.id:
                raise HTTPException(403, "a record does not belong to this district")
        result = centre_store.push(engine, district_id, payload.origin, payload.last,
                                   [r.model_dump() for r in payload.records])
        return {"stored": result.stored, "ignored": result.ignored, "acknowledged": result.acknowledged}

    @app.get("/v1/sync/pull")
    def pull(since: int = 0, district_id: str = Depends(district)) -> dict[str, Any]:
        found = centre_store.comments_since(engine, district_id, since)
        for comment in found:
            comment["created_at"] = comment["created_at"].isoformat()
        return {"comments": found, "last": found[-1]["seq"] if found else since}

    @app.get("/v1/packs")
    def packs(district_id: str = Depends(district)) -> dict[str, Any]:
        return {"packs": centre_store.pack_list(engine)}

    @app.get("/v1/packs/{pack_id}/{version}")
    def pack(pack_id: str, version: str, district_id: str = Depends(district)) -> Response:
        data = centre_store.pack_data(engine, pack_id, version)
        if data is None:
            raise HTTPException(404, "no such pack")
        return Response(data, media_type="application/zip")

    return app
