"""HTTP sync with the Centre (httpx): enrol once, then push what the Centre has not acknowledged and pull
the comments it holds for the district; optionally submit the district for review; send what the promoter
wrote back to the advisors (replies, resolutions, new threads: ``store.review``'s outbox), and bring back
the state of its submissions and the threads about them, kept in the database (``store.review``).

Every request is signed with the installation's key (see ``centre.app``). A push goes in chunks, each
acknowledged by the Centre before the next; a sync that is cut off resumes from the last acknowledgement,
and a chunk sent twice is harmless (rows are replaced only by newer ones, acknowledgements only grow).
The rows pushed are the same records a bundle carries.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import ipaddress
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ssd_starter.core.bulk import collector_paused
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_
from ssd_starter.store.database import Store
from ssd_starter.sync.bundle import changed_rows
from ssd_starter.sync.identity import Identity

if TYPE_CHECKING:
    import ssl

CHUNK = 2000


class SyncFailed(UserError):
    pass


class SyncCancelled(SyncFailed):
    """The person stopped the sync: what went and came until then is kept; the next sync goes on from there."""


class NotTaken(Exception):
    """The Centre has no endpoint for a district's replies (it predates them): they wait for a newer one."""


@dataclass
class SyncReport:
    pushed: int = 0
    acknowledged: int = 0
    comments: int = 0
    packs: list[str] = field(default_factory=list)  # training packs installed from the Centre
    chunks: int = 0
    details: list[str] = field(default_factory=list)
    submitted: str | None = None  # the id of the submission this sync sent
    # the district's submissions (newest first, each with its history) and the threads about them, as the
    # Centre holds them now; empty from a Centre that predates submissions
    submissions: list[dict[str, Any]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    replies_sent: int = 0  # replies, resolutions and new threads the Centre took
    replies_refused: list[str] = field(default_factory=list)  # the Centre's reasons for those it did not
    # the rows the district's other devices sent, pulled: how many, per table, and what the merge found
    pulled: int = 0
    sent: dict[str, int] = field(default_factory=dict)  # rows pushed per table
    received: dict[str, int] = field(default_factory=dict)  # rows pulled per table
    clashes: int = 0  # values written here that lost to another device's (kept under "Edits that clashed")
    waiting: int = 0  # rows that wait for a record they need, from a device that has not synced yet
    devices: list[dict[str, Any]] = field(default_factory=list)  # the district's devices, as the Centre says


@dataclass(frozen=True)
class SubmissionDraft:
    """What a submission sends: ``summary`` is ``DistrictSummary.as_json()``; ``dossier`` the PDF's bytes."""

    summary: dict[str, Any]
    note: str = ""
    charter_version_id: str | None = None
    dossier: bytes | None = None

    def payload(self) -> dict[str, Any]:
        return {"summary": self.summary, "note": self.note, "charter_version_id": self.charter_version_id,
                "dossier": base64.b64encode(self.dossier).decode() if self.dossier is not None else None}


def submission_draft(store: Store, district_id: str, *, note: str = "", dossier: bytes | None = None
                     ) -> SubmissionDraft:
    """The district as it is now: its summary (the indicators its dossier shows) and its charter version —
    the adopted one, else the newest saved, else none."""
    from ssd_starter.core.summary import district_summary
    from ssd_starter.store.charter import get_charter, list_versions
    from ssd_starter.store.districts import get_district
    from ssd_starter.store.flows import list_flows, list_snapshots
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    district = get_district(store, district_id)
    summary = district_summary(list_stakeholders(store, district_id), list_flows(store, district_id),
                               district.targets, relations=list_relations(store, district_id),
                               snapshots=list_snapshots(store, district_id))
    charter = get_charter(store, district_id)
    version = None
    if charter is not None:
        versions = list_versions(store, charter["id"])
        version = charter.get("adopted_version_id") or (versions[-1]["id"] if versions else None)
    return SubmissionDraft(summary.as_json(), note.strip(), version, dossier)


_last_microsecond = 0
_stamp_lock = threading.Lock()


def _unique_timestamp() -> str:
    """Now, in microseconds, strictly later than the last one this process signed. Ed25519 signatures are
    deterministic and the Centre refuses a signature it has seen (a replay), so two identical requests in
    the same instant must still differ in their time. Integers: a float has no digits to spare here."""
    global _last_microsecond
    with _stamp_lock:
        _last_microsecond = max(time.time_ns() // 1000, _last_microsecond + 1)
        seconds, micro = divmod(_last_microsecond, 10**6)
    return f"{seconds}.{micro:06d}"


def signed_headers(identity: Identity, district_id: str, method: str, path: str, body: bytes) -> dict[str, str]:
    timestamp = _unique_timestamp()
    message = f"{method}\n{path}\n{timestamp}\n{hashlib.sha256(body).hexdigest()}".encode()
    return {"x-ssd-district": district_id, "x-ssd-time": timestamp,
            "x-ssd-signature": base64.b64encode(identity.sign(message)).decode(),
            "content-type": "application/json"}


def check_centre_url(url: str, *, allow_insecure: bool = False) -> None:
    """https://, or http:// to this computer; plain http:// elsewhere only when the user said so. Requests are
    signed, so they cannot be forged on the way, but over http:// the district's data travels readable by
    anyone on the network."""
    parts = urlsplit(url.strip())
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and (allow_insecure or _is_this_computer(parts.hostname)):
        return
    if parts.scheme == "http" and parts.hostname:
        raise SyncFailed(N_("The Centre's address {url} is not encrypted: use its https:// address. Only on a "
                            "network you trust, allow unencrypted HTTP (--insecure-http, or the setting)."), url=url)
    raise SyncFailed(N_("{url} is not a Centre's address: a Centre's address starts with https://."), url=url)


def _is_this_computer(host: str) -> bool:
    """A loopback address or ``localhost``: the name is not looked up, so what it resolves to cannot change
    the answer after the check."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The certificate authorities, read once per process: httpx reads them for every client it makes
    (30 ms, a sync with nothing new took twice as long for it)."""
    import httpx

    return httpx.create_ssl_context()


class CentreClient:
    def __init__(self, url: str, district_id: str, identity: Identity, *, timeout: float = 30.0,
                 allow_insecure: bool = False, device_id: str | None = None) -> None:
        import httpx

        check_centre_url(url, allow_insecure=allow_insecure)
        self.district_id = district_id
        self.identity = identity
        self.device_id = device_id  # this installation: names the key that signs (``x-ssd-device``)
        self.http = httpx.Client(base_url=url.rstrip("/"), timeout=timeout, verify=_tls_context())

    def _headers(self, method: str, path: str, body: bytes) -> dict[str, str]:
        headers = signed_headers(self.identity, self.district_id, method, path, body)
        if self.device_id:
            headers["x-ssd-device"] = self.device_id
        return headers

    def close(self) -> None:
        self.http.close()

    def _request(self, method: str, path: str, payload: Any = None, *, missing_ok: bool = False) -> Any:
        """The Centre's JSON answer; with ``missing_ok`` None for a 404 (an older Centre without the endpoint)."""
        import httpx

        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = self._headers(method, path, body)
        try:
            response = self.http.request(method, path, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise SyncFailed(N_("The Centre cannot be reached ({reason}). Nothing is lost: sync again later."),
                             reason=type(exc).__name__) from None
        if response.status_code == 401:
            raise SyncFailed(N_("The Centre does not recognise this district's key: enrol with the token the Centre "
                                "gave you, or join the district with a device code (this device's key may have "
                                "been revoked)."))
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            raise SyncFailed(N_("The Centre refused the request ({status}: {detail})."),
                             status=response.status_code, detail=_detail(response))
        return response.json()

    def enrol(self, token: str, *, device_name: str = "") -> dict[str, Any]:
        payload = {"token": token, "district_id": self.district_id, "public_key": self.identity.public_b64}
        if self.device_id:  # the district's first device, by its own id and name
            payload.update(device_id=self.device_id, device_name=device_name)
        return self._unsigned("/v1/enrol", payload, N_("The Centre refused the enrolment ({status}: {detail})."))

    def _unsigned(self, path: str, payload: dict[str, Any], refused: str) -> dict[str, Any]:
        import httpx

        try:
            response = self.http.post(path, json=payload)
        except httpx.HTTPError as exc:
            raise SyncFailed(N_("The Centre cannot be reached ({reason}). Nothing is lost: sync again later."),
                             reason=type(exc).__name__) from None
        if response.status_code >= 400:
            raise SyncFailed(refused, status=response.status_code, detail=_detail(response))
        return dict(response.json())

    def join(self, code: str, *, name: str) -> dict[str, Any]:
        """Join the district of a one-time device code: the answer names it (``district_id``) and its devices."""
        payload = {"code": code.strip(), "device_id": self.device_id, "public_key": self.identity.public_b64,
                   "name": name}
        return self._unsigned("/v1/devices/join", payload, N_("The Centre refused the device code ({status}: "
                                                              "{detail})."))

    def status(self) -> dict[str, Any]:
        """What the Centre acknowledged per device, and the district's devices (a Centre older than devices
        lists none)."""
        return dict(self._request("GET", "/v1/sync/status"))

    def acknowledged(self, origin: str) -> int:
        return int(self.status()["acknowledged"].get(origin, 0))

    def push(self, origin: str, first: int, last: int, records: list[dict[str, Any]]) -> int:
        payload = {"origin": origin, "first": first, "last": last,
                   "records": [{k: r.get(k) for k in ("table", "id", "op", "row", "seq", "base")} for r in records]}
        return int(self._request("POST", "/v1/sync/push", payload)["acknowledged"])

    def rows(self, have: dict[str, int], limit: int) -> dict[str, Any] | None:
        """The rows the district's other devices sent after the counters ``have``; None from a Centre older
        than devices."""
        return self._request("POST", "/v1/sync/rows", {"have": have, "limit": limit}, missing_ok=True)

    def invite(self, valid_days: int) -> dict[str, Any]:
        return dict(self._request("POST", "/v1/devices/invites", {"valid_days": valid_days}))

    def revoke(self, device_id: str) -> dict[str, Any]:
        return dict(self._request("POST", f"/v1/devices/{device_id}/revoke"))

    def rename(self, name: str) -> None:
        self._request("POST", "/v1/devices/self", {"name": name}, missing_ok=True)

    def pull(self, since: int) -> dict[str, Any]:
        return self._request("GET", f"/v1/sync/pull?since={since}")

    def submit(self, draft: SubmissionDraft) -> dict[str, Any]:
        """Send the district for review; the Centre's answer: the submission's id, state and ``previous_id``."""
        return dict(self._request("POST", "/v1/submissions", draft.payload()))

    def review(self) -> dict[str, Any] | None:
        """The district's submissions and the threads about them; None from a Centre without submissions."""
        return self._request("GET", "/v1/submissions", missing_ok=True)

    def deliver(self, entry: dict[str, Any]) -> str | None:
        """Send one of the promoter's outbox entries: None when the Centre took it, else its reason for
        refusing it (a thread resolved meanwhile, say). A Centre without the endpoints raises ``NotTaken``."""
        thread = entry["thread_id"]
        if entry["action"] == "open":
            anchor = entry["anchor"] or {}
            sent: dict[str, Any] = {"kind": anchor.get("kind"), "table": anchor.get("table")}
            sent["key" if anchor.get("kind") == "section" else "id"] = anchor.get("id")
            path, payload = "/v1/threads", {"id": thread, "anchor": sent, "text": entry["text"]}
        elif entry["action"] == "reply":
            path, payload = f"/v1/threads/{thread}/replies", {"id": entry["id"], "text": entry["text"]}
        else:
            path, payload = f"/v1/threads/{thread}/resolve", None
        response = self._send("POST", path, payload)
        if response.status_code < 400:
            return None
        detail = _detail(response)
        if response.status_code in (404, 405) and detail in ("Not Found", "Method Not Allowed"):
            raise NotTaken  # the route itself is missing: an older Centre
        if response.status_code == 401 or response.status_code >= 500:
            raise SyncFailed(N_("The Centre refused the request ({status}: {detail})."),
                             status=response.status_code, detail=detail)
        return detail

    def _send(self, method: str, path: str, payload: Any) -> Any:
        import httpx

        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        try:
            return self.http.request(method, path, content=body, headers=self._headers(method, path, body))
        except httpx.HTTPError as exc:
            raise SyncFailed(N_("The Centre cannot be reached ({reason}). Nothing is lost: sync again later."),
                             reason=type(exc).__name__) from None

    def packs(self) -> list[dict[str, Any]]:
        return list(self._request("GET", "/v1/packs")["packs"])

    def pack(self, pack_id: str, version: str) -> bytes:
        import httpx

        path = f"/v1/packs/{pack_id}/{version}"
        try:
            response = self.http.get(path, headers=self._headers("GET", path, b""))
        except httpx.HTTPError as exc:
            raise SyncFailed(N_("The Centre cannot be reached ({reason}). Nothing is lost: sync again later."),
                             reason=type(exc).__name__) from None
        if response.status_code >= 400:
            raise SyncFailed(N_("The Centre refused the request ({status}: {detail})."),
                             status=response.status_code, detail=_detail(response))
        return response.content


def _detail(response) -> str:
    try:
        return str(response.json().get("detail"))[:200]
    except ValueError:
        return response.text[:200]


def _newer_packs(client: CentreClient, offers: Any = None) -> list[str]:
    """Install the training packs the Centre offers (``offers``, else asked for) that are newer than what this
    installation has; each is checked like an imported file (a bad one is refused and the others still
    come)."""
    import tempfile

    from ssd_starter.core.training import version_key
    from ssd_starter.store.training import install_pack, library

    have = {pack.id: pack.version for pack in library()}
    installed = []
    for offer in offers if isinstance(offers, list) else client.packs():
        if offer["id"] in have and version_key(have[offer["id"]]) >= version_key(offer["version"]):
            continue
        data = client.pack(offer["id"], offer["version"])
        if hashlib.sha256(data).hexdigest() != offer["sha256"]:
            continue  # damaged on the way: the next sync tries again
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "pack.ssdpack"
            path.write_bytes(data)
            try:
                pack = install_pack(path)
            except UserError:
                continue
        installed.append(f"{pack.id} {pack.version}")
    return installed


def _send_outbox(store: Store, client: CentreClient, district_id: str, report: SyncReport) -> None:
    """The promoter's replies, resolutions and new threads, oldest first; each one the Centre took leaves
    the outbox, each it refused stays marked with its reason (not sent again); a cut-off sync resends only
    what was not noted, and the Centre keeps a message sent twice once (the ids are the district's own)."""
    from ssd_starter.store.review import Delivered, outbox

    sent: list[str] = []
    refused: dict[str, str] = {}
    try:
        for entry in outbox(store, district_id):
            reason = client.deliver(entry)
            if reason is None:
                sent.append(entry["id"])
            else:
                refused[entry["id"]] = reason
    except NotTaken:
        report.details.append("the Centre takes no replies yet")
    finally:
        if sent or refused:
            store.apply(Delivered(district_id, tuple(sent), refused))
    report.replies_sent, report.replies_refused = len(sent), list(refused.values())


def _keep_review(store: Store, district_id: str, review: dict[str, Any]) -> None:
    """The state the Centre sent, in place of the one held (the Centre's key pinned for reply bundles)."""
    import datetime as dt

    from ssd_starter.core.review import read_snapshot
    from ssd_starter.store.review import ReceiveReview

    store.apply(ReceiveReview(read_snapshot(review, district_id, as_of=dt.datetime.now(dt.UTC))))


def sync(store: Store, district_id: str, url: str, identity: Identity, *, token: str | None = None,
         progress: Callable[[int, int], None] | None = None, chunk: int = CHUNK,
         allow_insecure: bool = False, submission: SubmissionDraft | None = None,
         pulled: Callable[[int], None] | None = None, cancel: threading.Event | None = None) -> SyncReport:
    """Push everything the Centre has not acknowledged, then (with ``submission``) submit the district for
    review, send the promoter's replies, pull the rows the district's other devices sent, then the Centre's
    comments and the state of its submissions and threads. ``allow_insecure``: the user accepts an http://
    Centre on another computer (see ``check_centre_url``). ``progress(done, total)`` follows the push,
    ``pulled(rows)`` the pull; setting ``cancel`` stops the sync at the next chunk (``SyncCancelled``), with
    what went and came until then kept. Every run is recorded for the Sync area's status."""
    from ssd_starter.store import devices as known

    client = CentreClient(url, district_id, identity, allow_insecure=allow_insecure, device_id=store.device_id)
    report = SyncReport()
    run = known.start_run(store, district_id, "centre", centre_url=url.strip())
    try:
        # thousands of rows each way, decoded, checked and merged, none in a reference cycle: the cyclic
        # collector walking them took a tenth of a pull of 10,000 rows (measured, 120–170 ms)
        with collector_paused():
            _sync(store, client, district_id, report, token=token, progress=progress, pulled=pulled,
                  chunk=chunk, submission=submission, cancel=cancel)
    except SyncFailed as exc:
        known.finish_run(store, run, "cancelled" if isinstance(exc, SyncCancelled) else "failed", sent=report.sent,
                         received=report.received, clashes=report.clashes, waiting=report.waiting,
                         detail=exc.message())
        raise
    except BaseException:
        known.finish_run(store, run, "failed", sent=report.sent, received=report.received, clashes=report.clashes,
                         waiting=report.waiting)
        raise
    finally:
        client.close()
    known.finish_run(store, run, "done", sent=report.sent, received=report.received, clashes=report.clashes,
                     waiting=report.waiting)
    return report


def _stop_if_asked(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise SyncCancelled(N_("Sync stopped. What was sent and received until now is kept; the next sync goes "
                               "on from there."))


def _sync(store: Store, client: CentreClient, district_id: str, report: SyncReport, *, token: str | None,
          progress: Callable[[int, int], None] | None, pulled: Callable[[int], None] | None, chunk: int,
          submission: SubmissionDraft | None, cancel: threading.Event | None) -> None:
    from ssd_starter.store import devices as known
    from ssd_starter.store.comments import last_comment_seq, save_comments

    if token and not _already_enrolled(client):
        client.enrol(token, device_name=known.device_name(store))
    status = client.status()
    _take_devices(store, client, district_id, status.get("devices"), report)
    acked = int(status["acknowledged"].get(store.device_id, 0))
    _push(store, client, district_id, acked, report, progress=progress, chunk=chunk, cancel=cancel)
    if submission is not None:  # after the push: the charter version it names is at the Centre by now
        report.submitted = str(client.submit(submission)["id"])
    _send_outbox(store, client, district_id, report)
    news = status.get("news") if isinstance(status.get("news"), dict) else None  # None: an older Centre
    if news is None or _rows_to_pull(store, district_id, news):
        _pull_rows(store, client, district_id, report, pulled=pulled, chunk=chunk, cancel=cancel)
    _stop_if_asked(cancel)
    # the news was read before this sync sent its submission and replies, which change the Centre's comments
    # and review: after those, both are asked for
    current = None if submission is not None or report.replies_sent or report.replies_refused else news
    since = last_comment_seq(store, district_id)
    last_comment = None if current is None else current.get("comments")
    if not isinstance(last_comment, int) or last_comment > since:
        pulled_comments = client.pull(since)
        report.comments = save_comments(store, district_id, pulled_comments["comments"], pulled_comments["last"])
    stamp = None if current is None else current.get("review")
    held = (str(store.path), district_id)
    if not isinstance(stamp, str) or _reviews_held.get(held) != stamp:
        review = client.review()
        if review is not None:
            report.submissions, report.threads = list(review["submissions"]), list(review["threads"])
            _keep_review(store, district_id, review)
            if isinstance(stamp, str):
                _reviews_held[held] = stamp
    report.packs = _newer_packs(client, None if news is None else news.get("packs"))


# The review stamp each district's review held here was taken at, by this process (a window syncs again and
# again): the same stamp at the Centre means the same review, not asked for again. Another process that
# imports a newer reply bundle meanwhile cannot be undone by the skip: a newer state has a newer stamp.
_reviews_held: dict[tuple[str, str], str] = {}


def _rows_to_pull(store: Store, district_id: str, news: Mapping[str, Any]) -> bool:
    """Whether the Centre holds rows of another device after this one's counters (the status's ``news``)."""
    sent = news.get("rows")
    if not isinstance(sent, dict):
        return True
    from ssd_starter.store import devices as known

    have = known.pull_counters(store, district_id)
    return any(not isinstance(last, int) or last > have.get(str(source), -1) for source, last in sent.items())


def _already_enrolled(client: CentreClient) -> bool:
    """Whether the Centre knows this key already: a sync stopped after its enrolment, run again with the same
    token, goes on instead of being refused for a token used."""
    try:
        client.status()
    except SyncFailed:
        return False
    return True


def _push(store: Store, client: CentreClient, district_id: str, acked: int, report: SyncReport, *,
          progress: Callable[[int, int], None] | None, chunk: int, cancel: threading.Event | None) -> None:
    """This installation's changes after what the Centre acknowledged, in chunks, each acknowledged."""
    records, _first, last = changed_rows(store, district_id, since=acked)
    total = len(records)
    for start in range(0, total, chunk):
        _stop_if_asked(cancel)
        part = records[start:start + chunk]
        through = last if start + chunk >= total else part[-1]["seq"]
        report.acknowledged = client.push(store.device_id, part[0]["seq"], through, part)
        report.pushed += len(part)
        report.chunks += 1
        for record in part:
            report.sent[record["table"]] = report.sent.get(record["table"], 0) + 1
        if progress:
            progress(report.pushed, total)
    if not records and last > acked:
        report.acknowledged = client.push(store.device_id, acked, last, [])
    else:
        report.acknowledged = max(report.acknowledged, acked)


def _take_devices(store: Store, client: CentreClient, district_id: str, listed: Any, report: SyncReport) -> None:
    """The district's devices as the Centre knows them now (revocations, names, when each was last seen);
    this device's name sent when the Centre has another one for it."""
    from ssd_starter.store import devices as known

    if not isinstance(listed, list):
        return  # a Centre older than devices
    report.devices = listed
    known.save_device_list(store, district_id, listed)
    mine = next((d for d in listed if d.get("device_id") == store.device_id), None)
    name = known.device_name(store)
    if mine is not None and mine.get("name") != name:
        client.rename(name)


def _pull_rows(store: Store, client: CentreClient, district_id: str, report: SyncReport, *,
               pulled: Callable[[int], None] | None, chunk: int, cancel: threading.Event | None) -> None:
    """Every row the district's other devices sent since the last pull, chunk by chunk: each chunk merged
    with its counters in one transaction (``sync.merge.ReceiveRows``), so a pull cut off at any point —
    by the network, a cancel, or a killed process — resumes after the last chunk merged."""
    from ssd_starter.store import devices as known
    from ssd_starter.sync.merge import ReceiveRows

    names = known.device_names(store, district_id)
    while True:
        _stop_if_asked(cancel)
        have = known.pull_counters(store, district_id)
        answer = client.rows(have, chunk)
        if answer is None:
            return  # a Centre older than devices
        records = answer["records"]
        counters = {str(k): int(v) for k, v in answer["counters"].items()}
        if not records and all(have.get(k, -1) >= v for k, v in counters.items()):
            return
        edit = ReceiveRows(district_id, records, counters, names=names, may_wait=True)
        try:
            store.apply(edit)
        except UserError as exc:  # a row the Centre holds that does not fit: nothing of this chunk is written
            raise SyncFailed(N_("The Centre sent rows that cannot be taken: {reason}"), reason=exc) from None
        merge = edit.report
        report.pulled += len(records)
        report.clashes += merge.conflicts
        report.waiting = merge.waiting
        for table, count in merge.tables.items():
            report.received[table] = report.received.get(table, 0) + count
        if pulled:
            pulled(report.pulled)
        if not answer["more"]:
            return
