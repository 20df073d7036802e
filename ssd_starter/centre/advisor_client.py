"""The advisor API of a Centre (``centre.advisor_api``) as the desktop review area calls it, over HTTPS (plain
HTTP only to this computer, or when allowed): sign in, the queue of submissions, a submission with its
district's records and its dossier, state changes, threads, the districts' overview, the password.

No database here and nothing of the server's: the review area holds this client (and ``review_copy``,
its local copy), so an advisor needs an account at the Centre and never its database's credentials.
Blocking calls (httpx): the area runs them on a worker thread, never on the window's.

Failures are ``UserError``s the advisor can read: ``CentreUnreachable`` when the Centre cannot be reached
(the area then works from its local copy), ``SignInNeeded`` when the session has ended, ``CentreRefused``
for anything else the Centre says no to (with its reason).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from typing import Any

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, _

TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 5.0  # a Centre that does not answer at all is said soon: the area then uses its copy
STATES = ("received", "approved", "has_issues", "rejected")
# the same words as the server's (centre.submissions), which the desktop app never imports
STATE_LABELS = {"received": N_("received"), "approved": N_("approved"), "has_issues": N_("has issues"),
                "rejected": N_("rejected")}
MIN_PASSWORD, MAX_PASSWORD = 10, 200  # the Centre's rule (centre.advisors)
MAX_COMMENT = 4000  # the Centre's limit for a message or a state's comment


class CentreUnreachable(UserError):
    """No answer: the network is down, the address is wrong, or the Centre is not running."""


class SignInNeeded(UserError):
    """The Centre does not (or no longer) know this session: sign in again."""


class CentreRefused(UserError):
    """The Centre answered, and said no; ``status`` is its HTTP status."""

    def __init__(self, status: int, message: str, **params: Any) -> None:
        super().__init__(message, **params)
        self.status = status


@dataclass(frozen=True)
class AdvisorSession:
    url: str
    name: str
    role: str
    token: str
    expires_at: dt.datetime

    def as_json(self) -> dict[str, str]:
        return {"url": self.url, "name": self.name, "role": self.role, "token": self.token,
                "expires_at": self.expires_at.isoformat()}

    @classmethod
    def from_json(cls, document: Any) -> AdvisorSession | None:
        """A remembered session, or None if it is not one (an old or hand-edited settings file) or has expired."""
        try:
            expires = dt.datetime.fromisoformat(document["expires_at"])
            session = cls(str(document["url"]), str(document["name"]), str(document["role"]),
                          str(document["token"]), expires)
        except (KeyError, TypeError, ValueError):
            return None
        return session if expires.tzinfo is not None and expires > dt.datetime.now(dt.UTC) else None


def normal_url(url: str) -> str:
    return url.strip().rstrip("/")


class AdvisorClient:
    """One Centre, one advisor's session (``token``, after ``sign_in``). Safe to call from one worker thread
    at a time; the area's calls run one after another."""

    def __init__(self, url: str, *, allow_insecure: bool = False, timeout: float = TIMEOUT_S) -> None:
        from ssd_starter.sync.client import check_centre_url

        self.url = normal_url(url)
        check_centre_url(self.url, allow_insecure=allow_insecure)
        self.token: str | None = None
        self._timeout = timeout
        self._http: Any = None  # httpx.Client, made at the first call (httpx is imported only then)
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    # -- the session ------------------------------------------------------------------------

    def sign_in(self, name: str, *, password: str | None = None, code: str | None = None,
                new_password: str | None = None) -> AdvisorSession:
        """With the password; or the first time (and after a reset) with the one-time code and the new
        password it sets."""
        name = " ".join(name.split())
        if not name or not (password or code):
            raise UserError(N_("Write your name and your password (or, the first time, your sign-in code)."))
        if code and not (new_password and MIN_PASSWORD <= len(new_password) <= MAX_PASSWORD):
            raise UserError(N_("Choose a password of {low} to {high} characters."), low=MIN_PASSWORD,
                            high=MAX_PASSWORD)
        body: dict[str, Any] = {"name": name}
        if code:
            body |= {"code": code.strip(), "new_password": new_password}
        else:
            body["password"] = password
        found = self._call("POST", "/v1/advisor/sign-in", body, signing_in=True)
        self.token = found["token"]
        advisor = found["advisor"]
        return AdvisorSession(self.url, advisor["name"], advisor["role"], found["token"],
                              dt.datetime.fromisoformat(found["expires_at"]))

    def resume(self, session: AdvisorSession) -> None:
        """Use a session remembered from before (it may have ended: the first call then says so)."""
        self.token = session.token

    def sign_out(self) -> None:
        if self.token is not None:
            try:
                self._call("POST", "/v1/advisor/sign-out", expect_body=False)
            finally:
                self.token = None

    def me(self) -> dict[str, Any]:
        return self._call("GET", "/v1/advisor/me")

    def change_password(self, password: str, new_password: str) -> None:
        if not MIN_PASSWORD <= len(new_password) <= MAX_PASSWORD:
            raise UserError(N_("Choose a password of {low} to {high} characters."), low=MIN_PASSWORD,
                            high=MAX_PASSWORD)
        self._call("POST", "/v1/advisor/password", {"password": password, "new_password": new_password},
                   expect_body=False)

    # -- reading ----------------------------------------------------------------------------

    def submissions(self, *, state: str | None = None, district_id: str | None = None) -> list[dict[str, Any]]:
        params = {k: v for k, v in (("state", state), ("district", district_id)) if v}
        return self._call("GET", "/v1/advisor/submissions", params=params)["submissions"]

    def submission(self, submission_id: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/advisor/submissions/{submission_id}")

    def district_records(self, submission_id: str) -> bytes:
        """The district's records as JSON text (``{"district_id", "tables": {table: [row, …]}}``), kept
        as it came: the local copy stores it so, and it is parsed once."""
        return self._call("GET", f"/v1/advisor/submissions/{submission_id}/district", raw=True)

    def dossier(self, submission_id: str) -> bytes:
        return self._call("GET", f"/v1/advisor/submissions/{submission_id}/dossier", raw=True)

    def districts(self) -> list[dict[str, Any]]:
        return self._call("GET", "/v1/advisor/districts")["districts"]

    # -- writing ----------------------------------------------------------------------------

    def change_state(self, submission_id: str, state: str, comment: str = "") -> dict[str, Any]:
        return self._call("POST", f"/v1/advisor/submissions/{submission_id}/state",
                          {"state": state, "comment": comment})

    def open_thread(self, submission_id: str, anchor: dict[str, Any], text: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/advisor/submissions/{submission_id}/threads",
                          {"anchor": anchor, "text": text})

    def reply(self, thread_id: str, text: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/advisor/threads/{thread_id}/replies", {"text": text})

    def resolve(self, thread_id: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/advisor/threads/{thread_id}/resolve")

    def receive_bundle(self, data: bytes) -> dict[str, Any]:
        return self._call("POST", "/v1/advisor/bundles", content=data, content_type="application/zip")

    # -- the one way out --------------------------------------------------------------------

    def _client(self) -> Any:
        if self._http is None:
            import httpx

            self._http = httpx.Client(base_url=self.url, follow_redirects=False,
                                      timeout=httpx.Timeout(self._timeout, connect=min(CONNECT_TIMEOUT_S, self._timeout)))
        return self._http

    def _call(self, method: str, path: str, body: Any = None, *, params: dict[str, str] | None = None,
              content: bytes | None = None, content_type: str | None = None, raw: bool = False,
              expect_body: bool = True, signing_in: bool = False) -> Any:
        import httpx

        headers = {"accept": "application/json"}
        if not signing_in:
            if self.token is None:
                raise SignInNeeded(N_("Sign in to the Centre first."))
            headers["authorization"] = f"Bearer {self.token}"
        if content_type:
            headers["content-type"] = content_type
        try:
            with self._lock:
                response = self._client().request(method, path, json=body, params=params, content=content,
                                                  headers=headers)
        except httpx.TransportError as exc:
            raise CentreUnreachable(N_("The Centre at {url} cannot be reached ({reason}): working from the "
                                       "local copy."), url=self.url, reason=type(exc).__name__) from None
        if response.status_code >= 400:
            raise _refusal(response, signing_in)
        if raw:
            return response.content
        if not expect_body or response.status_code == 204:
            return None
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise CentreRefused(response.status_code, N_("The Centre's answer could not be read: is {url} a "
                                                         "Centre?"), url=self.url) from None


def _detail(response: Any) -> str:
    """The Centre's reason (English, its msgid: translated when the catalog has it), or the HTTP reason."""
    try:
        detail = response.json().get("detail")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        detail = None
    if isinstance(detail, list):  # a request the Centre found malformed: where and what
        detail = "; ".join(str(item.get("msg", "")) for item in detail if isinstance(item, dict))
    text = str(detail or response.reason_phrase or response.status_code)[:300]
    return _(text)


def _refusal(response: Any, signing_in: bool) -> UserError:
    status = response.status_code
    if status == 401 and signing_in:
        return CentreRefused(status, N_("The Centre refused the sign-in: {reason}."), reason=_detail(response))
    if status == 401:
        return SignInNeeded(N_("Your session at the Centre has ended: sign in again."))
    if status == 429:
        return CentreRefused(status, N_("The Centre refused the sign-in: {reason}."), reason=_detail(response))
    if status >= 500:
        return CentreRefused(status, N_("The Centre could not answer ({code}): try again later."), code=status)
    return CentreRefused(status, N_("The Centre refused this: {reason}."), reason=_detail(response))
