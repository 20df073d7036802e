"""Reply bundles: the Centre's answer to a district — the states of its submissions, the advisors' threads and
comments — in one signed zip, for a promoter who gets it on a USB stick or by e-mail and is never online.

Layout (like a district's bundle, ``sync.bundle``)::

    manifest.json   format "ssd-starter-reply", district, the Centre's public key, when it was written, and
                    review.json's size and SHA-256
    manifest.sig    the Ed25519 signature of manifest.json's exact bytes, by the Centre's key
    review.json     {"as_of", "submissions", "threads", "comments"}: what a sync would bring back

The container is checked as a district's bundle is (sizes, names, links, ratio); then the signature, the
signer (the Centre key the district's sync learnt, or trusted on first use and pinned from then on), the
member's hash, the district (it must be on this installation), and that the state is newer than the one
held. Anything wrong refuses the bundle, nothing changed. ``bundle import`` tells the kinds apart.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssd_starter.core.errors import UserError
from ssd_starter.core.review import ReviewRefused, ReviewSnapshot, read_snapshot
from ssd_starter.i18n import N_
from ssd_starter.store.database import Store
from ssd_starter.sync.bundle import (
    MANIFEST,
    MAX_BUNDLE_BYTES,
    MAX_MANIFEST_BYTES,
    SIGNATURE,
    BundleRefused,
    _open_zip,
    _read,
)
from ssd_starter.sync.identity import Identity, fingerprint, verify

FORMAT = "ssd-starter-reply"
FORMAT_VERSION = 1
REVIEW = "review.json"
MAX_REVIEW_BYTES = 64 * 2**20


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    return value


def write_reply_bundle(path: Path, identity: Identity, district: Mapping[str, str], review: Mapping[str, Any]
                       ) -> dict[str, Any]:
    """Write the reply bundle for ``district`` ({"id", "name"}) holding ``review``; return its manifest."""
    from ssd_starter.files import write_atomically

    body = json.dumps(_jsonable(dict(review)), ensure_ascii=False, sort_keys=True).encode()
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "district": {"id": district["id"], "name": district["name"]},
        "public_key": identity.public_b64, "created_at": _jsonable(review["as_of"]),
        "counts": {"submissions": len(review["submissions"]), "threads": len(review["threads"])},
        "members": [{"name": REVIEW, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest_bytes)
            zf.writestr(SIGNATURE, identity.sign(manifest_bytes))
            zf.writestr(REVIEW, body)

    write_atomically(path, write, suffix=".ssdbundle")
    return manifest


# -- reading ----------------------------------------------------------------------------------

def _manifest_of(archive: zipfile.ZipFile, infos: Mapping[str, zipfile.ZipInfo]) -> tuple[bytes, Any]:
    if MANIFEST not in infos:
        raise BundleRefused(N_("The bundle has no {name}: it was not made by SSD Starter or it is incomplete."),
                            name=MANIFEST)
    data = _read(archive, infos[MANIFEST], MAX_MANIFEST_BYTES)
    try:
        return data, json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BundleRefused(N_("The bundle's manifest is not readable.")) from None


def is_reply_bundle(path: Path) -> bool:
    """Whether the file is the Centre's reply (else it is read, and judged, as a district's bundle)."""
    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            return False
        archive, infos = _open_zip(path.read_bytes())
        _data, manifest = _manifest_of(archive, infos)
    except (OSError, UserError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


@dataclass(frozen=True)
class VerifiedReply:
    manifest: Mapping[str, Any]
    signer: str  # the Centre key's fingerprint
    first_contact: bool  # no Centre key was known for the district: trusted from now on
    snapshot: ReviewSnapshot

    @property
    def district_id(self) -> str:
        return str(self.manifest["district"]["id"])


def verify_reply(data: bytes, pinned: str | None, *, known_district: bool = True) -> VerifiedReply:
    """Everything checked; ``pinned`` is the Centre key (base64) trusted for the bundle's district, if any;
    ``known_district`` whether that district is on this installation."""
    archive, infos = _open_zip(data)
    manifest_bytes, manifest = _manifest_of(archive, infos)
    if SIGNATURE not in infos:
        raise BundleRefused(N_("The bundle has no {name}: it was not made by SSD Starter or it is incomplete."),
                            name=SIGNATURE)
    signature = _read(archive, infos[SIGNATURE], 1024)
    try:
        public = base64.b64decode(manifest["public_key"], validate=True)
        district_id, name = str(manifest["district"]["id"]), str(manifest["district"].get("name") or "")
        listed = {m["name"]: (int(m["size"]), str(m["sha256"])) for m in manifest["members"]}
        if manifest["format"] != FORMAT or len(public) != 32:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BundleRefused(N_("The bundle's manifest is not readable.")) from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BundleRefused(N_("The bundle uses format version {version}, which this version of the app cannot "
                               "read."), version=str(manifest.get("format_version")))
    if not verify(public, signature, manifest_bytes):
        raise BundleRefused(N_("The bundle's signature does not match its contents: it was altered or forged."))
    if not known_district:
        raise BundleRefused(N_("This reply from the Centre is for the district {district}, which is not on this "
                               "installation: nothing was imported."), district=name or district_id)
    if pinned is not None and pinned != manifest["public_key"]:
        raise BundleRefused(N_("This reply for {district} is signed by a key ({fingerprint}) that is not the "
                               "Centre's one trusted for that district: nothing was imported. Ask the Centre "
                               "which key it signs with."), district=name or district_id,
                            fingerprint=fingerprint(public))
    if set(listed) != {REVIEW} or set(infos) != {MANIFEST, SIGNATURE, REVIEW}:
        raise BundleRefused(N_("The bundle's files do not match its manifest."))
    size, digest = listed[REVIEW]
    body = _read(archive, infos[REVIEW], min(size, MAX_REVIEW_BYTES))
    if len(body) != size or hashlib.sha256(body).hexdigest() != digest:
        raise BundleRefused(N_("{name} in the bundle was altered after it was signed."), name=REVIEW)
    try:
        document = json.loads(body)
        snapshot = read_snapshot({**document, "centre": {"public_key": manifest["public_key"],
                                                         "fingerprint": fingerprint(public)}}, district_id)
    except (ValueError, UnicodeDecodeError, RecursionError, TypeError):
        raise BundleRefused(N_("The Centre's review state is not readable: nothing was changed.")) from None
    except ReviewRefused as exc:
        raise BundleRefused(exc.template, **exc.params) from None
    return VerifiedReply(manifest, fingerprint(public), pinned is None, snapshot)


def import_reply_bundle(store: Store, path: Path) -> tuple[VerifiedReply, Any]:
    """Verify the reply bundle against the Centre key pinned for its district and put its review state in
    place of the one held; return it with the store's ``ReceiveReport``."""
    from ssd_starter.store.districts import list_districts
    from ssd_starter.store.review import ReceiveReview, pinned_centre_key

    try:
        if path.stat().st_size > MAX_BUNDLE_BYTES:
            raise BundleRefused(N_("The bundle is larger than {limit} MB."), limit=MAX_BUNDLE_BYTES // 2**20)
        data = path.read_bytes()
    except OSError:
        raise BundleRefused(N_("Cannot read {path}."), path=str(path)) from None
    district_id = _claimed_district(data)
    here = {d.id for d in list_districts(store)}
    reply = verify_reply(data, pinned_centre_key(store, district_id) if district_id in here else None,
                         known_district=district_id in here)
    edit = ReceiveReview(reply.snapshot, received_by="bundle", newer_only=True)
    try:
        store.apply(edit)
    except ReviewRefused as exc:
        raise BundleRefused(exc.template, **exc.params) from None
    return reply, edit.report


def imported_lines(reply: VerifiedReply, report: Any) -> list[str]:
    """What importing the Centre's reply did, for the command line and the Sync area alike."""
    from ssd_starter.i18n import _, ngettext

    lines = []
    if reply.first_contact:
        lines.append(_("First reply from the Centre for {district}: its key {fingerprint} is now trusted for it. "
                       "Check the fingerprint with the Centre.").format(district=reply.manifest["district"]["name"],
                                                                        fingerprint=reply.signer))
    lines.append(_("Review from the Centre imported: {submissions}, {threads}, {comments}.").format(
        submissions=ngettext("{count} submission", "{count} submissions", report.submissions).format(
            count=report.submissions),
        threads=ngettext("{count} thread", "{count} threads", report.threads).format(count=report.threads),
        comments=ngettext("{count} new comment", "{count} new comments", report.comments).format(
            count=report.comments)))
    return lines


def _claimed_district(data: bytes) -> str:
    """The district the manifest names (only to look up its pinned key: ``verify_reply`` checks the rest)."""
    archive, infos = _open_zip(data)
    _bytes, manifest = _manifest_of(archive, infos)
    try:
        return str(manifest["district"]["id"])
    except (KeyError, TypeError):
        raise BundleRefused(N_("The bundle's manifest is not readable.")) from None
