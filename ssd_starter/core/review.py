"""The district's review at the Centre as the promoter's installation holds it: the states of its submissions
and the advisors' comment threads, read from what the Centre sends (a sync's answer, or the ``review.json``
of a reply bundle) into the rows the store keeps.

Whatever arrives is checked here before the store sees it — kinds, sizes, known states, times — so one
malformed item refuses the whole document (``ReviewRefused``) and nothing is half-written. Plain Python:
the same rules run for the sync and for the bundle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

STATES = ("received", "approved", "has_issues", "rejected")
STATE_LABELS = {"received": N_("received"), "approved": N_("approved"), "has_issues": N_("has issues"),
                "rejected": N_("rejected")}
ANCHOR_KINDS = ("record", "section")
MAX_TEXT = 4000  # the Centre's longest comment (centre.submissions.MAX_COMMENT)
MAX_NOTE = 2000
MAX_ITEMS = 10_000  # submissions, threads, messages or comments in one document
MAX_NAME = 200


class ReviewRefused(UserError):
    """What the Centre sent cannot be read as a review state; nothing was changed."""


@dataclass(frozen=True)
class ReviewSnapshot:
    """The district's review as the Centre held it at ``as_of``: rows for ``review_submission`` and
    ``review_thread``, and the Centre's comments (as its pull sends them) when a reply bundle brings them."""

    district_id: str
    as_of: dt.datetime
    submissions: tuple[dict[str, Any], ...] = ()
    threads: tuple[dict[str, Any], ...] = ()
    comments: tuple[dict[str, Any], ...] = ()
    centre_key: str | None = None
    centre_fingerprint: str | None = None
    message_ids: frozenset[str] = field(default=frozenset())


def state_label(state: str) -> str:
    from ssd_starter.i18n import _

    return _(STATE_LABELS[state]) if state in STATE_LABELS else state


def read_snapshot(document: Any, district_id: str, *, as_of: dt.datetime | None = None) -> ReviewSnapshot:
    """The review in ``document`` (``{"submissions": [...], "threads": [...], "as_of"?, "centre"?,
    "comments"?}``), every item about ``district_id``; ``as_of`` when the document does not say."""
    try:
        return _snapshot(document, district_id, as_of)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ReviewRefused(N_("The Centre's review state is not readable: nothing was changed.")) from None


def _snapshot(document: Mapping[str, Any], district_id: str, as_of: dt.datetime | None) -> ReviewSnapshot:
    submissions = tuple(_submission(item, district_id) for item in _items(document.get("submissions", [])))
    threads = tuple(_thread(item, district_id) for item in _items(document.get("threads", [])))
    comments = tuple(_comment(item, district_id) for item in _items(document.get("comments", [])))
    when = _time(document["as_of"]) if document.get("as_of") is not None else as_of
    if when is None:
        raise ValueError("no time")
    centre = document.get("centre") or {}
    key, fingerprint = centre.get("public_key"), centre.get("fingerprint")
    if key is not None and (_text(key, 100) != key or _text(fingerprint, 60) != fingerprint):
        raise ValueError("centre key")
    ids = frozenset(m["id"] for t in threads for m in t["messages"])
    return ReviewSnapshot(district_id, when, submissions, threads, comments, key, fingerprint, ids)


def _items(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS or not all(isinstance(v, Mapping) for v in value):
        raise ValueError("not a list of objects")
    return value


def _text(value: Any, limit: int, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise ValueError("not a text")
    return value


def _id(value: Any, *, optional: bool = False) -> Any:
    return _text(value, 36, optional=optional)


def _time(value: Any, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(_text(value, 40))
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("not a flag")
    return value


def _district(item: Mapping[str, Any], district_id: str) -> None:
    """An item naming a district names this one (a submission does not say: it came in the district's list)."""
    if item.get("district_id", district_id) != district_id:
        raise ValueError("another district")


def _submission(item: Mapping[str, Any], district_id: str) -> dict[str, Any]:
    _district(item, district_id)
    if item["state"] not in STATES:
        raise ValueError("state")
    history = [{"from_state": _text(e.get("from_state"), 20, optional=True), "state": _text(e["state"], 20),
                "by": _text(e["by"], MAX_NAME), "advisor": _flag(e["advisor"]),
                "comment": _text(e.get("comment") or "", MAX_TEXT), "at": _time(e["at"]).isoformat()}
               for e in _items(item.get("history", []))]
    return {"id": _id(item["id"]), "district_id": district_id, "state": item["state"],
            "note": _text(item.get("note") or "", MAX_NOTE), "previous_id": _id(item.get("previous_id"), optional=True),
            "charter_version_id": _id(item.get("charter_version_id"), optional=True),
            "has_dossier": _flag(item.get("has_dossier", False)), "received_at": _time(item["received_at"]),
            "updated_at": _time(item["updated_at"]), "history": history}


def _thread(item: Mapping[str, Any], district_id: str) -> dict[str, Any]:
    _district(item, district_id)
    anchor = item["anchor"]
    if anchor["kind"] not in ANCHOR_KINDS:
        raise ValueError("anchor")
    messages = [{"id": _id(m["id"]), "author": _text(m["author"], MAX_NAME), "text": _text(m["text"], MAX_TEXT),
                 "created_at": _time(m["created_at"]).isoformat(), "by_district": _flag(m.get("by_district", False))}
                for m in _items(item.get("messages", []))]
    return {"id": _id(item["id"]), "district_id": district_id,
            "submission_id": _id(item.get("submission_id"), optional=True), "anchor_kind": anchor["kind"],
            "anchor_table": _text(anchor["table"], 40), "anchor_id": _id(anchor["id"]), "row_id": _id(anchor["row_id"]),
            "opened_by": _text(item.get("opened_by"), MAX_NAME, optional=True),
            "opened_by_district": _flag(item.get("opened_by_district", False)), "opened_at": _time(item["opened_at"]),
            "resolved": _flag(item["resolved"]), "resolved_at": _time(item.get("resolved_at"), optional=True),
            "resolved_by": _text(item.get("resolved_by"), MAX_NAME, optional=True), "messages": messages}


def _comment(item: Mapping[str, Any], district_id: str) -> dict[str, Any]:
    _district(item, district_id)
    seq = item["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise ValueError("seq")
    return {"id": _id(item["id"]), "district_id": district_id, "table_name": _text(item["table_name"], 40),
            "row_id": _id(item["row_id"]), "author": _text(item["author"], MAX_NAME),
            "text": _text(item["text"], MAX_TEXT), "created_at": _time(item["created_at"]),
            "resolved": _flag(item.get("resolved", False)), "seq": seq, "thread_id": item.get("thread_id"),
            "by_district": _flag(item.get("by_district", False))}
