"""What a district's bundle carries for the Centre besides its rows, for a promoter who is never online: a
submission for review (``submission.json``: the summary, charter version and note a ``sync --submit``
sends, the dossier as the bundle's ``dossier.pdf``) and the promoter's replies, resolutions and new threads
waiting in the outbox (``replies.json``, the same entries a sync delivers one by one).

Both are members of the signed bundle (``sync.bundle``): listed in its manifest with their size and SHA-256,
so the signature covers them as it covers the rows. The reader checks every field's kind and size here,
before anything is written anywhere; the Centre then judges them as it judges a sync's (``centre.review``).
Another device of the district reads them and leaves them alone: they are addressed to the Centre.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ssd_starter.core.errors import UserError
from ssd_starter.core.review import MAX_ITEMS, MAX_NOTE, MAX_TEXT
from ssd_starter.i18n import N_

if TYPE_CHECKING:
    from ssd_starter.store.database import Store
    from ssd_starter.sync.client import SubmissionDraft

SUBMISSION, REPLIES = "submission.json", "replies.json"
MAX_SUBMISSION_BYTES = 1 * 2**20  # the Centre takes a summary of at most 256 kB
MAX_REPLIES_BYTES = 64 * 2**20
ACTIONS = ("reply", "resolve", "open")
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")  # the ids this app makes
RECORD_ID = re.compile(r"[A-Za-z0-9-]{1,36}\Z")  # what the Centre's API takes as a record's id
NAME = re.compile(r"[a-z_]{1,40}\Z")  # a table, or a charter step's key


class NotReadable(UserError):
    """The bundle's submission or replies do not have the shape this reader expects."""


def submission_member(draft: SubmissionDraft, submission_id: str) -> bytes:
    """``submission.json`` of a bundle that submits the district (its dossier travels as ``dossier.pdf``)."""
    document = {"id": submission_id, "summary": draft.summary, "note": draft.note,
                "charter_version_id": draft.charter_version_id, "with_dossier": draft.dossier is not None}
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode()


def replies_member(store: Store, district_id: str) -> tuple[bytes, int]:
    """``replies.json``: what the next sync would deliver, oldest first; and how many entries. Empty bytes
    when there is nothing to send."""
    from ssd_starter.store.edits import jsonable
    from ssd_starter.store.review import outbox

    entries = [{"id": e["id"], "thread_id": e["thread_id"], "action": e["action"], "text": e["text"] or "",
                "anchor": e["anchor"], "created_at": jsonable(e["created_at"])} for e in outbox(store, district_id)]
    if not entries:
        return b"", 0
    return json.dumps(entries, ensure_ascii=False, sort_keys=True).encode(), len(entries)


# -- reading ----------------------------------------------------------------------------------

def _text(value: Any, limit: int, *, empty: bool = True) -> str:
    if not isinstance(value, str) or len(value) > limit or "\x00" in value or (not empty and not value.strip()):
        raise ValueError("text")
    return value


def _matches(pattern: re.Pattern[str], value: Any) -> str:
    if not isinstance(value, str) or pattern.match(value) is None:
        raise ValueError("id")
    return value


def read_submission(data: bytes, *, with_dossier: bool) -> dict[str, Any]:
    """The submission a bundle carries, its fields checked; ``with_dossier``: the bundle holds ``dossier.pdf``
    (it must say so, and only then). Its summary is judged by the Centre (``centre.submissions``)."""
    try:
        document = json.loads(data)
        if not isinstance(document, dict) or not isinstance(document.get("summary"), dict):
            raise ValueError("shape")
        version = document.get("charter_version_id")
        found = {"id": _matches(ID, document["id"]), "summary": document["summary"],
                 "note": _text(document.get("note", ""), MAX_NOTE),
                 "charter_version_id": None if version is None else _matches(RECORD_ID, version),
                 "with_dossier": document.get("with_dossier")}
        if found["with_dossier"] is not with_dossier:
            raise ValueError("dossier")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise NotReadable(N_("The bundle's submission for review is not readable: nothing was imported.")) from None
    return found


def read_replies(data: bytes) -> tuple[dict[str, Any], ...]:
    """The promoter's replies a bundle carries, each entry's fields checked."""
    try:
        document = json.loads(data)
        if not isinstance(document, list) or len(document) > MAX_ITEMS:
            raise ValueError("shape")
        return tuple(_entry(entry) for entry in document)
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError):
        raise NotReadable(N_("The bundle's replies to the Centre are not readable: nothing was imported.")) from None


def _entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    action = entry["action"]
    if action not in ACTIONS:
        raise ValueError("action")
    found: dict[str, Any] = {"id": _matches(ID, entry["id"]), "thread_id": _matches(ID, entry["thread_id"]),
                             "action": action, "text": _text(entry.get("text", ""), MAX_TEXT,
                                                             empty=action == "resolve"),
                             "created_at": _text(entry["created_at"], 40), "anchor": None}
    if action == "open":
        anchor = entry["anchor"]
        kind = anchor["kind"]
        if kind not in ("record", "section") or found["id"] != found["thread_id"]:
            raise ValueError("anchor")
        found["anchor"] = {"kind": kind, "table": _matches(NAME, anchor["table"]),
                           "id": _matches(RECORD_ID if kind == "record" else NAME, anchor["id"])}
    return found
