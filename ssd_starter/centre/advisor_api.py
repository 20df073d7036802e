"""The advisors' HTTP API under ``/v1/advisor``: sign in, submissions and their review, comment threads, the
districts' overview. Authentication is a bearer session (``centre.advisors``), declared to OpenAPI as the
``AdvisorSession`` scheme.

The two kinds of caller never cross: a request carrying a district's signature headers is refused here
before anything else, and the district endpoints refuse a request carrying an ``Authorization`` header
(``centre.app``). A district's key therefore opens no advisor endpoint, and an advisor's token no district
endpoint, whatever else the request holds.
"""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations at run time, and some
# (Signed, Admin) are local to ``advisor_router``.
import datetime as dt
from typing import Annotated, Any, Literal

# imported by centre.app alone, which only the server imports: never at start-up of the desktop app
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Security  # noqa: TID253
from fastapi.responses import Response  # noqa: TID253
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer  # noqa: TID253
from pydantic import AfterValidator, Field
from sqlalchemy.engine import Engine

# The API's documents are SQLModel models: pydantic's validation and OpenAPI schemas, in the library the
# product names for its data (a model here can become a table of the Centre's the day one is needed).
from sqlmodel import SQLModel  # noqa: TID253

from ssd_starter.centre import advisors as accounts
from ssd_starter.centre import review as reading
from ssd_starter.centre import submissions as review
from ssd_starter.centre import threads as conversations
from ssd_starter.centre.advisors import Advisor

SUBMISSION_ID = r"^[0-9a-f-]{36}$"
DISTRICT_ID = r"^[A-Za-z0-9-]{8,36}$"
SIGNATURE_HEADERS = ("x-ssd-district", "x-ssd-time", "x-ssd-signature")

bearer = HTTPBearer(auto_error=False, scheme_name="AdvisorSession",
                    description="An advisor's session token, from POST /v1/advisor/sign-in.")


def _storable(text: str) -> str:
    """Text the database and the password hasher take: no NUL, no lone surrogate."""
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("is not valid Unicode text") from None
    return text


Text = Annotated[str, AfterValidator(_storable)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
SubmissionId = Annotated[str, Path(pattern=SUBMISSION_ID)]
ThreadId = Annotated[str, Path(pattern=SUBMISSION_ID)]  # uuid4 as well
AdvisorName = Annotated[str, Path(max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]


# -- documents --------------------------------------------------------------------------------

class SignIn(SQLModel):
    """With ``password``; or, the first time (and after a reset), with the one-time ``code`` and the
    ``new_password`` it sets."""

    name: Text = Field(min_length=1, max_length=100)
    password: Text | None = Field(None, max_length=accounts.MAX_PASSWORD)
    code: Text | None = Field(None, max_length=40)
    new_password: Text | None = Field(None, max_length=accounts.MAX_PASSWORD)


class PasswordChange(SQLModel):
    password: Text = Field(min_length=1, max_length=accounts.MAX_PASSWORD)
    new_password: Text = Field(min_length=accounts.MIN_PASSWORD, max_length=accounts.MAX_PASSWORD)


class AdvisorOut(SQLModel):
    name: str
    role: Literal["advisor", "admin"]
    created_at: dt.datetime
    disabled: bool
    has_password: bool
    code_expires_at: dt.datetime | None


class SessionOut(SQLModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: dt.datetime
    advisor: AdvisorOut


class IndicatorValue(SQLModel):
    value: float | None
    status: Literal["green", "amber", "red", "none"]


class SubmissionListed(SQLModel):
    id: str
    district_id: str
    district_name: str
    state: Literal["received", "approved", "has_issues", "rejected"]
    note: str
    charter_version_id: str | None
    previous_id: str | None
    has_dossier: bool
    dossier_size: int | None
    received_at: dt.datetime
    updated_at: dt.datetime
    indicators: dict[str, IndicatorValue]


class HistoryEvent(SQLModel):
    from_state: str | None
    state: str
    by: str
    advisor: bool
    comment: str
    at: dt.datetime


class Anchor(SQLModel):
    """A record the district sent (``kind`` record: its ``table`` and ``id``), or a section of its charter
    (``kind`` section: the step's ``key``, e.g. purpose or governance)."""

    kind: Literal["record", "section"]
    table: str | None = Field(None, max_length=40, pattern=r"^[a-z_]{1,40}$")
    id: str | None = Field(None, max_length=36, pattern=r"^[A-Za-z0-9-]{1,36}$")
    key: str | None = Field(None, max_length=30, pattern=r"^[a-z_]{1,30}$")


class AnchorOut(SQLModel):
    kind: str
    table: str
    id: str
    row_id: str


class MessageOut(SQLModel):
    id: str
    seq: int
    author: str
    text: str
    created_at: dt.datetime


class ThreadOut(SQLModel):
    id: str
    district_id: str
    submission_id: str | None
    anchor: AnchorOut
    opened_by: str | None
    opened_at: dt.datetime
    resolved: bool
    resolved_at: dt.datetime | None
    resolved_by: str | None
    messages: list[MessageOut]


class SubmissionDetail(SubmissionListed):
    summary: dict[str, Any]
    dossier_sha256: str | None
    next_id: str | None
    history: list[HistoryEvent]
    threads: list[ThreadOut] = Field(description="Threads of this submission and of those it answers.")


class StateChange(SQLModel):
    state: Literal["approved", "has_issues", "rejected"]
    comment: Text = Field("", max_length=review.MAX_COMMENT)


class NewThread(SQLModel):
    anchor: Anchor
    text: Text = Field(min_length=1, max_length=review.MAX_COMMENT)


class Reply(SQLModel):
    text: Text = Field(min_length=1, max_length=review.MAX_COMMENT)


class LatestSubmission(SQLModel):
    id: str
    state: str
    received_at: dt.datetime


class DistrictOverview(SQLModel):
    district_id: str
    name: str
    fingerprint: str | None
    enrolled_at: dt.datetime | None
    revoked: bool
    last_received_at: dt.datetime | None
    submissions: int
    latest: LatestSubmission | None
    indicators: dict[str, IndicatorValue] | None


class BundleReceived(SQLModel):
    district_id: str
    stored: int
    ignored: int
    submission_id: str | None = None  # the submission the bundle carried (kept once, however often it comes)
    replies_taken: int = 0  # the promoter's replies, resolutions and new threads the Centre took
    replies_refused: list[str] = []  # why the others were not taken (a thread resolved meanwhile, say)


class SubmissionList(SQLModel):
    submissions: list[SubmissionListed]


class DistrictList(SQLModel):
    districts: list[DistrictOverview]


class AdvisorList(SQLModel):
    advisors: list[AdvisorOut]


# -- the routes -------------------------------------------------------------------------------

def advisor_router(engine: Engine, session_lifetime: dt.timedelta) -> APIRouter:
    router = APIRouter(prefix="/v1/advisor", tags=["advisor"])

    def unsigned(request: Request) -> None:
        """A district's signed request goes no further on this side, whatever else it carries."""
        if any(name in request.headers for name in SIGNATURE_HEADERS):
            raise HTTPException(401, "district signatures are not accepted on advisor endpoints")

    def advisor(request: Request, credentials: Credentials) -> Advisor:
        """The advisor whose session this is, or 401."""
        unsigned(request)
        found = accounts.session_advisor(engine, credentials.credentials) if credentials is not None else None
        if found is None:
            raise HTTPException(401, "sign in first: no session, or it has expired or ended",
                                headers={"WWW-Authenticate": "Bearer"})
        request.state.principal = f"advisor:{found.name}"
        return found

    Signed = Annotated[Advisor, Depends(advisor)]

    def admin(found: Signed) -> Advisor:
        if not found.is_admin:
            raise HTTPException(403, "only an administrator of the Centre may do this")
        return found

    def submission(submission_id: str) -> dict[str, Any]:
        found = review.get_submission(engine, submission_id)
        if found is None:
            raise HTTPException(404, "no such submission")
        found["threads"] = conversations.threads_of_submissions(engine, review.chain_of(engine, submission_id))
        return found

    Admin = Annotated[Advisor, Depends(admin)]

    @router.post("/sign-in", response_model=SessionOut, dependencies=[Depends(unsigned)],
                 openapi_extra={"security": []})
    def sign_in(body: SignIn, request: Request) -> dict[str, Any]:
        """A bearer session for the advisor; every failure of name, code or password answers the same 401."""
        session = accounts.sign_in(engine, body.name, password=body.password, code=body.code,
                                   new_password=body.new_password, lifetime=session_lifetime)
        request.state.principal = f"advisor:{session.advisor.name}"
        return {"token": session.token, "expires_at": session.expires_at, "advisor": session.advisor.as_json()}

    @router.post("/sign-out", status_code=204)
    def sign_out(credentials: Credentials, _found: Signed) -> Response:
        assert credentials is not None  # advisor() let it through
        accounts.sign_out(engine, credentials.credentials)
        return Response(status_code=204)

    @router.get("/me", response_model=AdvisorOut)
    def me(found: Signed) -> dict[str, Any]:
        return found.as_json()

    @router.post("/password", status_code=204)
    def change_password(body: PasswordChange, credentials: Credentials, found: Signed) -> Response:
        """The advisor's own password, given the current one; the account's other sessions end."""
        assert credentials is not None  # advisor() let it through
        accounts.change_password(engine, found, body.password, body.new_password, keep=credentials.credentials)
        return Response(status_code=204)

    @router.get("/submissions", response_model=SubmissionList)
    def submissions(found: Signed,
                    state: Literal["received", "approved", "has_issues", "rejected"] | None = None,
                    district: str | None = Query(None, pattern=DISTRICT_ID),
                    limit: int = Query(review.MAX_LISTED, ge=1, le=review.MAX_LISTED)) -> dict[str, Any]:
        """Newest first; filtered by state and by district."""
        return {"submissions": review.list_submissions(engine, state=state, district_id=district, limit=limit)}

    @router.get("/submissions/{submission_id}", response_model=SubmissionDetail)
    def one_submission(submission_id: SubmissionId,
                       found: Signed) -> dict[str, Any]:
        """The snapshot (summary, note, charter version), its history and its threads."""
        return submission(submission_id)

    @router.get("/submissions/{submission_id}/dossier", response_class=Response,
                responses={200: {"content": {"application/pdf": {}}, "description": "The dossier PDF."}})
    def dossier(submission_id: SubmissionId, found: Signed) -> Response:
        data = review.dossier_of(engine, submission_id)
        if data is None:
            raise HTTPException(404, "no such submission, or it came without a dossier")
        return Response(data, media_type="application/pdf", headers={
            "content-disposition": f'attachment; filename="dossier-{submission_id[:8]}.pdf"'})

    @router.get("/submissions/{submission_id}/district", response_class=Response, responses={200: {
        "content": {"application/json": {}},
        "description": "The district's records as the Centre holds them now: "
                       '{"district_id": …, "tables": {table: [row, …]}} for ' + ", ".join(reading.READ_TABLES)
                       + " (deleted rows included, marked deleted)."}})
    def district_records(submission_id: SubmissionId, found: Signed) -> Response:
        """What the review area shows of the submission's district: map, charter, canvas and flows."""
        data = reading.district_records(engine, submission_id)
        if data is None:
            raise HTTPException(404, "no such submission")
        return Response(data, media_type="application/json")

    @router.post("/bundles", response_model=BundleReceived, openapi_extra={"requestBody": {
        "required": True, "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
    async def receive_bundle(request: Request, found: Signed) -> dict[str, Any]:
        """A district's bundle from a stick: verified against the keys the Centre trusts, stored like a push,
        with the submission and the promoter's replies it carries."""
        from starlette.concurrency import run_in_threadpool  # noqa: TID253 - the server's own module

        data = await request.body()  # bounded while it streams (centre.app's BoundedBody)
        received = await run_in_threadpool(reading.receive_bundle, engine, data)
        submission = received["submission"]
        return {**{key: received[key] for key in ("district_id", "stored", "ignored", "replies_taken")},
                "submission_id": submission["id"] if submission is not None else None,
                "replies_refused": [refusal.english() for refusal in received["replies_refused"]]}

    @router.post("/submissions/{submission_id}/state", response_model=SubmissionDetail)
    def change_state(body: StateChange, submission_id: SubmissionId,
                     found: Signed) -> dict[str, Any]:
        """Approve, say it has issues, or reject (with a comment saying why)."""
        review.change_state(engine, submission_id, body.state, advisor=found, comment=body.comment)
        return submission(submission_id)

    @router.post("/submissions/{submission_id}/threads", response_model=ThreadOut, status_code=201)
    def open_thread(body: NewThread, submission_id: SubmissionId,
                    found: Signed) -> dict[str, Any]:
        anchor = body.anchor
        key = anchor.id if anchor.kind == "record" else anchor.key
        if key is None or (anchor.kind == "record" and anchor.table is None):
            raise HTTPException(422, "a record is named by its table and id, a section by its key")
        return conversations.open_thread(engine, submission_id, found, kind=anchor.kind, key=key,
                                         table=anchor.table, text=body.text)

    @router.post("/threads/{thread_id}/replies", response_model=ThreadOut, status_code=201)
    def reply(body: Reply, thread_id: ThreadId,
              found: Signed) -> dict[str, Any]:
        return conversations.reply(engine, thread_id, found, body.text)

    @router.post("/threads/{thread_id}/resolve", response_model=ThreadOut)
    def resolve(thread_id: ThreadId, found: Signed) -> dict[str, Any]:
        """Only the advisor who opened the thread resolves it."""
        return conversations.resolve(engine, thread_id, found)

    @router.get("/districts", response_model=DistrictList)
    def districts(found: Signed) -> dict[str, Any]:
        """Every enrolled district with its last arrival and its latest submission's state and indicators."""
        return {"districts": review.overview(engine)}

    @router.get("/advisors", response_model=AdvisorList)
    def advisor_list(found: Admin) -> dict[str, Any]:
        return {"advisors": [a.as_json() for a in accounts.list_advisors(engine)]}

    @router.post("/advisors/{name}/disable", response_model=AdvisorOut)
    def disable(name: AdvisorName, found: Admin) -> dict[str, Any]:
        """The account signs in no more and its sessions end now."""
        from ssd_starter.core.errors import NotFound

        try:
            return accounts.disable_advisor(engine, name).as_json()
        except NotFound:
            raise HTTPException(404, "no such advisor") from None

    return router
