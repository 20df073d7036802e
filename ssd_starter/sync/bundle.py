"""Signed bundles: a district's changes in one zip for USB or e-mail (DESIGN §4).

Layout::

    manifest.json   format, district, origin, sequence range, counts, and every member's size and SHA-256
    manifest.sig    the Ed25519 signature of manifest.json's exact bytes, by the sending installation
    changes.jsonl   one changed row per line: table, id, operation, version and the row as it is now
    dossier.pdf     optional (with a submission: the submitted dossier)
    submission.json optional: the district submitted for review (``sync.for_centre``)
    replies.json    optional: the promoter's replies, resolutions and new threads for the Centre's advisors

The reader checks the whole container before it trusts a byte of it: sizes, names, links, compression
ratio, duplicates, the manifest's signature, the signer (pinned per district after the first bundle), and
every member's hash and size. Anything wrong refuses the bundle with one clear message.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import stat
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ssd_starter.core.bulk import collector_paused
from ssd_starter.core.errors import UserError
from ssd_starter.core.models import SYNCABLE_TABLES, ChangeLogEntry, table_of
from ssd_starter.core.training import check_member_name
from ssd_starter.i18n import N_
from ssd_starter.store.database import Store
from ssd_starter.store.edits import jsonable
from ssd_starter.sync.for_centre import (
    MAX_REPLIES_BYTES,
    MAX_SUBMISSION_BYTES,
    REPLIES,
    SUBMISSION,
    NotReadable,
    read_replies,
    read_submission,
    replies_member,
    submission_member,
)
from ssd_starter.sync.identity import Identity, fingerprint, verify

if TYPE_CHECKING:
    from ssd_starter.sync.client import SubmissionDraft

FORMAT = "ssd-starter-bundle"
FORMAT_VERSION = 1
MANIFEST, SIGNATURE, CHANGES, DOSSIER = "manifest.json", "manifest.sig", "changes.jsonl", "dossier.pdf"
MAX_BUNDLE_BYTES = 200 * 2**20
MAX_TOTAL_BYTES = 500 * 2**20
MAX_MANIFEST_BYTES = 256 * 2**10
MAX_MEMBERS = 5  # changes, dossier, submission, replies, and room for one more kind of member in a later version
MAX_RATIO = 200
# What zipfile raises for a damaged container: a header naming a zip version or method it does not know
# (NotImplementedError), an encrypted member (RuntimeError), a broken stream (zlib.error), and the plain ones.
ZIP_DAMAGE = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error)
PERSONAL = {"stakeholder": ("contact_person", "email", "phone", "consent_purpose"), "participant": ("email",)}


class BundleRefused(UserError):
    """A bundle that cannot be trusted or read; nothing was changed."""


# -- writing ----------------------------------------------------------------------------------

def _without_unconsented_contacts(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Contact details travel only where the person consented (DESIGN §6)."""
    if table in PERSONAL and not row.get("consent"):
        row = {**row, **{field: "" for field in PERSONAL[table]}}
    return row


def changed_rows(store: Store, district_id: str, since: int = 0) -> tuple[list[dict[str, Any]], int, int]:
    """This installation's changes to the district after sequence ``since``: each changed row once, as it is
    now, with the sequence number of its last change here, the last operation done to it and the ``base``
    its edits here started from (see ``_bases``). Only rows whose current copy this installation wrote: a
    copy that came from another device (and won over the one written here) is that device's to send, under
    its own counters. Read in one SELECT per table, not one per row.
    Returns (records, first sequence, last sequence)."""
    log = table_of(ChangeLogEntry)
    own = (store.device_id, "")  # '': rows written before installations had ids
    with store.read() as conn:
        entries = conn.execute(select(log.c.seq, log.c.table_name, log.c.row_id, log.c.op).where(
            log.c.district_id == district_id, log.c.origin == store.device_id, log.c.seq > since
        ).order_by(log.c.seq)).all()
        latest: dict[tuple[str, str], tuple[int, str]] = {}
        for seq, table, row_id, op in entries:
            latest[(table, row_id)] = (seq, op)
        bases = _bases(conn, store.device_id, district_id, latest) if latest else {}
        current: dict[tuple[str, str], dict[str, Any]] = {}
        for table in {table for table, _row_id in latest if table in SYNCABLE_TABLES}:
            t = table_of(SYNCABLE_TABLES[table])
            names = [c.name for c in t.columns]
            dates = [n for n, c in enumerate(t.columns) if _is_date(c)]
            # the rows named by the same log entries, chosen by the database: a list of ids sent back to it
            # cost more to render as placeholders than the whole read
            changed_here = select(log.c.row_id).where(log.c.district_id == district_id,
                                                      log.c.origin == store.device_id, log.c.seq > since,
                                                      log.c.table_name == table)
            for found in conn.execute(select(t).where(t.c.id.in_(changed_here))).all():
                values = list(found)
                for n in dates:  # dates and times as ISO text, as JSON carries them
                    values[n] = jsonable(values[n])
                row = dict(zip(names, values, strict=True))
                current[(table, row["id"])] = row
    records = []
    for key, (seq, op) in sorted(latest.items(), key=lambda item: item[1][0]):
        state = current.get(key)
        if state is None or state["origin"] not in own:
            continue
        row = state
        table = key[0]
        state = _without_unconsented_contacts(table, row)
        records.append({"seq": seq, "table": table, "id": key[1], "op": op, "version": row["version"],
                        "row": state, "base": bases.get(key)})
    first = entries[0][0] if entries else since
    last = entries[-1][0] if entries else since
    return records, first, last


def _is_date(column: Any) -> bool:
    import sqlalchemy as sa

    kind = column.type.impl if isinstance(column.type, sa.types.TypeDecorator) else column.type
    return isinstance(kind, sa.Date | sa.DateTime)


def _bases(conn, device_id: str, district_id: str, latest: Mapping[tuple[str, str], tuple[int, str]]
           ) -> dict[tuple[str, str], list[Any]]:
    """For each row edited here, [version, origin] of the copy from elsewhere that its edits here were made on:
    the last copy merged in from another installation before this installation's last edit of the row (the
    merge logs each copy it writes under that copy's origin; a merge that kept the copy here writes nothing).
    None for a row made here. A receiver that still holds that very copy knows the edit was made on top of
    its own, not beside it: there is no clash to record (``sync.merge``)."""
    log = table_of(ChangeLogEntry)
    foreign: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for seq, table, row_id, version, origin in conn.execute(
            select(log.c.seq, log.c.table_name, log.c.row_id, log.c.version, log.c.origin).where(
                log.c.district_id == district_id, log.c.origin != device_id).order_by(log.c.seq)):
        if (table, row_id) in latest:
            foreign.setdefault((table, row_id), []).append((seq, version, origin))
    bases = {}
    for key, (last_own, _op) in latest.items():
        before = [(version, origin) for seq, version, origin in foreign.get(key, ()) if seq < last_own]
        if before:
            bases[key] = list(before[-1])
    return bases


def write_bundle(store: Store, district_id: str, path: Path, identity: Identity, *, since: int = 0,
                 dossier: Path | None = None, submission: SubmissionDraft | None = None) -> dict[str, Any]:
    """Write the bundle (through a temporary file); return its manifest. With ``submission`` the bundle
    submits the district for review when the Centre takes it (the draft's dossier, if any, is the bundle's).
    What the promoter wrote back to the Centre's advisors and not sent yet goes along in any case."""
    from ssd_starter.core.ids import new_id
    from ssd_starter.files import write_atomically
    from ssd_starter.store.devices import device_name, listing, record_run
    from ssd_starter.store.districts import get_district

    district = get_district(store, district_id)
    records, first, last = changed_rows(store, district_id, since)
    changes = b"".join(json.dumps(r, ensure_ascii=False, sort_keys=True).encode() + b"\n" for r in records)
    members = {CHANGES: changes}
    if submission is not None and submission.dossier is not None:
        members[DOSSIER] = submission.dossier
    elif dossier is not None:
        members[DOSSIER] = dossier.read_bytes()
    submitted: dict[str, Any] | None = None
    if submission is not None:
        submitted = {"id": new_id(), "note": submission.note, "with_dossier": submission.dossier is not None}
        members[SUBMISSION] = submission_member(submission, submitted["id"])
    replies, reply_count = replies_member(store, district_id)
    if replies:
        members[REPLIES] = replies
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "district": {"id": district.id, "name": district.name},
        "origin": store.device_id, "public_key": identity.public_b64,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "sequence": {"since": since, "first": first, "last": last},
        "counts": {"changes": len(records), "replies": reply_count},
        **({"submission": submitted} if submitted is not None else {}),
        "members": [{"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                    for name, data in members.items()],
        # who sends it, by name, and the district's devices as the sender knows them: a fellow device learns
        # of the others (and of revocations) from it, offline
        "device_name": device_name(store), "devices": listing(store, district_id),
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest_bytes)
            zf.writestr(SIGNATURE, identity.sign(manifest_bytes))
            for name, data in members.items():
                zf.writestr(name, data)

    write_atomically(path, write, suffix=".ssdbundle")
    record_run(store, district_id, "bundle_out", sent=_per_table(records))
    return manifest


def _per_table(records: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        counts[record["table"]] = counts.get(record["table"], 0) + 1
    return counts


# -- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class VerifiedBundle:
    manifest: Mapping[str, Any]
    signer: str  # fingerprint
    first_contact: bool  # no key was pinned for this district yet: trusted on first use
    members: Mapping[str, bytes]
    records: tuple[dict[str, Any], ...] = ()  # the changes, each checked against the schema and the district
    submission: dict[str, Any] | None = None  # the district submitted for review (``sync.for_centre``)
    replies: tuple[dict[str, Any], ...] = ()  # the promoter's replies for the Centre, oldest first

    @property
    def district_id(self) -> str:
        return self.manifest["district"]["id"]

    def changes(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)


def _refuse(template: str, **params: Any) -> BundleRefused:
    return BundleRefused(template, **params)


def _open_zip(data: bytes) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    if len(data) > MAX_BUNDLE_BYTES:
        raise _refuse(N_("The bundle is larger than {limit} MB."), limit=MAX_BUNDLE_BYTES // 2**20)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_DAMAGE:
        raise _refuse(N_("This file is not a bundle, or it is truncated or damaged.")) from None
    if len(infos) > MAX_MEMBERS + 2:
        raise _refuse(N_("The bundle holds files it should not."))
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        try:
            check_member_name(name)
        except UserError:
            raise _refuse(N_("The bundle contains a path that leaves its folder: {name}."), name=name) from None
        if info.is_dir() or "/" in name:
            raise _refuse(N_("The bundle holds files it should not."))
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _refuse(N_("The bundle contains a link ({name}); links are not allowed."), name=name)
        if name in members:
            raise _refuse(N_("The bundle holds {name} twice."), name=name)
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 2**16:
            raise _refuse(N_("The bundle looks like a zip bomb ({name} unpacks to far more than it holds)."),
                          name=name)
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(N_("Unpacked, the bundle would take more than {limit} MB."), limit=MAX_TOTAL_BYTES // 2**20)
        members[name] = info
    return archive, members


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _refuse(N_("{name} in the bundle is larger than allowed."), name=info.filename)
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except ZIP_DAMAGE:
        raise _refuse(N_("This file is not a bundle, or it is truncated or damaged.")) from None
    if len(data) != info.file_size:
        raise _refuse(N_("This file is not a bundle, or it is truncated or damaged."))
    return data


def verify_bundle(data: bytes, pinned: Mapping[str, str] | None = None, created_here: Collection[str] = (),
                  devices: Mapping[str, Collection[Mapping[str, Any]]] | None = None) -> VerifiedBundle:
    """Check everything; return the bundle's contents. ``pinned`` maps a district id to the public key
    (base64) already trusted for it; ``created_here`` are the districts pinned to this installation's own;
    ``devices`` maps a district with several devices to its device list, which then decides alone: the
    bundle must be signed by one of its devices, not revoked, under that device's own id."""
    archive, infos = _open_zip(data)
    for required in (MANIFEST, SIGNATURE):
        if required not in infos:
            raise _refuse(N_("The bundle has no {name}: it was not made by SSD Starter or it is incomplete."),
                          name=required)
    manifest_bytes = _read(archive, infos[MANIFEST], MAX_MANIFEST_BYTES)
    signature = _read(archive, infos[SIGNATURE], 1024)
    try:
        manifest = json.loads(manifest_bytes)
        public = base64.b64decode(manifest["public_key"], validate=True)
        district_id = manifest["district"]["id"]
        members_listed = {m["name"]: (int(m["size"]), str(m["sha256"])) for m in manifest["members"]}
        if manifest["format"] != FORMAT or not _manifest_fits(manifest):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError):
        raise _refuse(N_("The bundle's manifest is not readable.")) from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(N_("The bundle uses format version {version}, which this version of the app cannot read."),
                      version=str(manifest.get("format_version")))
    if not verify(public, signature, manifest_bytes):
        raise _refuse(N_("The bundle's signature does not match its contents: it was altered or forged."))
    listed = (devices or {}).get(district_id)
    if listed:
        _trusted_device(manifest, listed, public)
        trusted: str | None = manifest["public_key"]
    else:
        trusted = (pinned or {}).get(district_id)
    if trusted is not None and trusted != manifest["public_key"]:
        name = manifest["district"].get("name") or district_id
        if district_id in created_here:
            raise _refuse(N_("This bundle for {district} is signed by another installation's key ({fingerprint}), "
                             "but that district was created here and takes changes only from this installation. "
                             "Nothing was imported. Compare the fingerprint with the sender: for now a district "
                             "takes bundles from one installation only, so a promoter who works on it elsewhere "
                             "should duplicate the district there and send that copy."), district=name,
                          fingerprint=fingerprint(public))
        raise _refuse(N_("This bundle for {district} is signed by a different key ({fingerprint}) from the one "
                         "trusted for that district. Nothing was imported: compare the fingerprint with the "
                         "sender before anything else."), district=name, fingerprint=fingerprint(public))
    extra = set(infos) - set(members_listed) - {MANIFEST, SIGNATURE}
    if extra or set(members_listed) - set(infos) or not set(members_listed) <= {CHANGES, DOSSIER, SUBMISSION,
                                                                                 REPLIES}:
        raise _refuse(N_("The bundle's files do not match its manifest."))
    members: dict[str, bytes] = {}
    for name, (size, digest) in members_listed.items():
        data_member = _read(archive, infos[name], min(size, _LIMITS.get(name, size)))
        if len(data_member) != size or hashlib.sha256(data_member).hexdigest() != digest:
            raise _refuse(N_("{name} in the bundle was altered after it was signed."), name=name)
        members[name] = data_member
    records = _records(members.get(CHANGES, b""), district_id)
    if len(records) != manifest["counts"]["changes"]:
        raise _refuse(N_("The bundle's files do not match its manifest."))
    submission, replies = _for_centre(manifest, members)
    return VerifiedBundle(manifest, fingerprint(public), trusted is None, members, records, submission, replies)


_LIMITS = {SUBMISSION: MAX_SUBMISSION_BYTES, REPLIES: MAX_REPLIES_BYTES}


def _for_centre(manifest: Mapping[str, Any], members: Mapping[str, bytes]
                ) -> tuple[dict[str, Any] | None, tuple[dict[str, Any], ...]]:
    """The submission and the replies, read and checked, and as the signed manifest announces them."""
    try:
        submission = read_submission(members[SUBMISSION], with_dossier=DOSSIER in members) \
            if SUBMISSION in members else None
        replies = read_replies(members[REPLIES]) if REPLIES in members else ()
    except NotReadable as exc:
        raise BundleRefused(exc.template) from None
    announced = manifest.get("submission")
    if len(replies) != manifest["counts"].get("replies", 0) \
            or (announced["id"] if announced is not None else None) != (submission or {}).get("id"):
        raise _refuse(N_("The bundle's files do not match its manifest."))
    return submission, replies


def _trusted_device(manifest: Mapping[str, Any], listed: Collection[Mapping[str, Any]], public: bytes) -> None:
    """The bundle's signer is a device of the district that is not revoked, sending under its own id."""
    name = manifest["district"].get("name") or manifest["district"]["id"]
    signer = [d for d in listed if d["public_key"] == manifest["public_key"]]
    if not signer:
        raise _refuse(N_("This bundle for {district} is signed by a key ({fingerprint}) that is not one of the "
                         "district's devices known here. Nothing was imported. If it comes from a device that "
                         "joined after this one last synced, sync once with the Centre or import a bundle from a "
                         "device this one already knows, then import it again; a new device joins the district "
                         "with a code from one of its devices (ssd-starter device invite)."), district=name,
                      fingerprint=fingerprint(public))
    if all(d["revoked_at"] is not None for d in signer):
        raise _refuse(N_("This bundle for {district} is signed by {device}, a device revoked from the district. "
                         "Nothing was imported."), district=name,
                      device=signer[0]["name"] or fingerprint(public))
    if not any(d["device_id"] == manifest["origin"] and d["revoked_at"] is None for d in signer):
        raise _refuse(N_("This bundle for {district} is signed by the key of one device of the district and "
                         "names another as its sender. Nothing was imported."), district=name)


def _manifest_fits(manifest: Mapping[str, Any]) -> bool:
    """The manifest's own fields are of the kinds and sizes this reader expects."""
    from ssd_starter.sync.schema import MAX_INT, UUID

    district, sequence = manifest["district"], manifest["sequence"]

    def count(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT

    return (isinstance(district.get("id"), str) and UUID.match(district["id"]) is not None
            and isinstance(district.get("name", ""), str) and len(district.get("name", "")) <= 200
            and isinstance(manifest["origin"], str) and UUID.match(manifest["origin"]) is not None
            and all(count(sequence[k]) for k in ("since", "first", "last")) and count(manifest["counts"]["changes"])
            and isinstance(manifest["members"], list) and _devices_fit(manifest)
            and count(manifest["counts"].get("replies", 0)) and _submission_fits(manifest.get("submission")))


def _submission_fits(announced: Any) -> bool:
    """The submission the manifest announces, when there is one: its id, note and whether a dossier goes."""
    from ssd_starter.core.review import MAX_NOTE
    from ssd_starter.sync.for_centre import ID

    return announced is None or (isinstance(announced, dict) and isinstance(announced.get("id"), str)
                                 and ID.match(announced["id"]) is not None
                                 and isinstance(announced.get("note", ""), str)
                                 and len(announced.get("note", "")) <= MAX_NOTE
                                 and isinstance(announced.get("with_dossier"), bool))


def _devices_fit(manifest: Mapping[str, Any]) -> bool:
    """The sender's name and device list, when the bundle has them (older senders do not)."""
    from ssd_starter.sync.schema import UUID

    def text(value: Any, limit: int) -> bool:
        return isinstance(value, str) and len(value) <= limit and "\x00" not in value

    def when(value: Any) -> bool:
        if value is None:
            return True
        try:
            return text(value, 40) and dt.datetime.fromisoformat(value) is not None
        except ValueError:
            return False

    devices = manifest.get("devices", [])
    return (text(manifest.get("device_name", ""), 200) and isinstance(devices, list) and len(devices) <= 500
            and all(isinstance(d, dict) and isinstance(d.get("device_id"), str) and UUID.match(d["device_id"])
                    and text(d.get("name", ""), 200) and text(d.get("public_key"), 100)
                    and text(d.get("fingerprint", ""), 60) and when(d.get("enrolled_at")) and when(d.get("revoked_at"))
                    for d in devices))


def _records(data: bytes, district_id: str) -> tuple[dict[str, Any], ...]:
    """The changes, every one checked against the schema and scoped to the district, or a refusal."""
    from ssd_starter.sync.schema import InvalidRecord, check_records

    try:
        records = tuple(json.loads(line) for line in data.splitlines() if line.strip())
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise _refuse(N_("The bundle's changes are not readable.")) from None
    try:
        check_records(records, district_id)
    except InvalidRecord as exc:
        raise _refuse(N_("The bundle is refused and nothing was imported. {reason}"), reason=exc) from None
    return records


def verify_bundle_file(path: Path, pinned: Mapping[str, str] | None = None, created_here: Collection[str] = (),
                       devices: Mapping[str, Collection[Mapping[str, Any]]] | None = None) -> VerifiedBundle:
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise _refuse(N_("The bundle is larger than {limit} MB."), limit=MAX_BUNDLE_BYTES // 2**20)
        data = path.read_bytes()
    except OSError:
        raise BundleRefused(N_("Cannot read {path}."), path=str(path)) from None
    return verify_bundle(data, pinned, created_here, devices)


# -- importing --------------------------------------------------------------------------------

def pinned_keys(store: Store, own_key: str) -> dict[str, str]:
    """District id → the public key trusted for it: the key of its first bundle, or, for a district that is
    here with no key pinned (one created on this installation — see ``created_here``), this installation's
    own ``own_key``, from the district's creation on."""
    from ssd_starter.core.models import District, Peer

    peers, districts = table_of(Peer), table_of(District)
    with store.read() as conn:
        rows = conn.execute(select(peers.c.district_id, peers.c.public_key).order_by(peers.c.first_seen)).all()
        local = conn.execute(select(districts.c.id)).scalars().all()
    pins: dict[str, str] = {}
    for district_id, key in rows:
        pins.setdefault(district_id, key)
    for district_id in local:
        pins.setdefault(district_id, own_key)
    return pins


def created_here(store: Store) -> set[str]:
    """The districts made on this installation: here, with no sender's key pinned. Another installation's
    rows arrive only by bundle, and the first bundle of a district pins its key, so there is no third case."""
    from ssd_starter.core.models import District, Peer

    peers, districts = table_of(Peer), table_of(District)
    with store.read() as conn:
        return set(conn.execute(select(districts.c.id).where(districts.c.id.not_in(select(peers.c.district_id))))
                   .scalars())


def last_imported(store: Store, district_id: str, origin: str) -> int:
    from ssd_starter.core.models import Peer

    peers = table_of(Peer)
    with store.read() as conn:
        value = conn.execute(select(peers.c.last_seq).where(peers.c.district_id == district_id,
                                                            peers.c.origin == origin)).scalar()
    return int(value or 0)


@collector_paused()  # thousands of records read, checked and merged, none in a cycle: as a pull (sync.client)
def import_bundle(store: Store, path: Path, identity: Identity | None = None):
    """Verify the bundle against the district's devices (or, for a district without a device list, the pinned
    keys) and merge its rows; refuse a bundle whose changes are all here already."""
    from ssd_starter.store import devices as known
    from ssd_starter.sync.identity import load_or_create
    from ssd_starter.sync.merge import MergeRows, ReceiveRows
    from ssd_starter.sync.schema import InvalidRecord

    own_key = (identity or load_or_create()).public_b64
    bundle = verify_bundle_file(path, pinned_keys(store, own_key), created_here(store), known.device_lists(store))
    manifest = bundle.manifest
    origin = manifest["origin"]
    if origin == store.device_id:
        raise _refuse(N_("This bundle was written by this installation: there is nothing to import."))
    district_id, since, last = bundle.district_id, int(manifest["sequence"]["since"]), int(manifest["sequence"]["last"])
    several = known.has_devices(store, district_id)
    if several:
        have = known.counters(store, district_id).get(origin, 0)
        # all here already (through the Centre or an earlier bundle): no row is merged again, but the device
        # list it carries is read all the same (a revocation reaches a device offline this way)
        news = bundle.records if not (last and last <= have) else ()
        # a bundle written from a later point than what is here leaves a gap: its rows are merged, but the
        # sender's counter stays where it was, so the Centre or a full bundle fills the gap
        edit = ReceiveRows(district_id, news, {origin: last} if since <= have else {},
                           names=known.device_names(store, district_id), may_wait=True)
    else:
        news = bundle.records
        if last and last <= last_imported(store, district_id, origin):
            raise _refuse(N_("This bundle has been imported already (changes up to {last} from this sender)."),
                          last=last)
        edit = MergeRows(district_id, origin, bundle.records, (manifest["public_key"], bundle.signer, last))
    try:
        store.apply(edit)
    except InvalidRecord as exc:
        raise _refuse(N_("The bundle is refused and nothing was imported. {reason}"), reason=exc) from None
    if several:
        known.take_bundle_devices(store, district_id, origin, manifest)
    report = edit.report
    report.already_here = several and not news
    known.record_run(store, district_id, "bundle_in", received=report.tables, clashes=report.conflicts,
                     waiting=report.waiting, peer=origin)
    return bundle, report
