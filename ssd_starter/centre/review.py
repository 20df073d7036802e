"""The Centre's side of the advisors' review that is neither a submission nor a thread: a district's records as
the review area reads them, and the bundles an advisor brings from a stick. Served by ``centre.advisor_api``.

Server code (it opens the Centre's database): the desktop review area never imports it — it talks to the
advisor API through ``centre.advisor_client`` (an import-linter contract keeps it so).

A district of 5,000 actors is several megabytes of JSON; its rows are sent as the database holds them
(each row's stored JSON text, joined), never decoded and encoded again here, so opening a district costs
the server one indexed SELECT.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ssd_starter.centre import store as centre_store
from ssd_starter.centre import submissions
from ssd_starter.centre.errors import Refusal
from ssd_starter.centre.tables import rows
from ssd_starter.centre.tables import submissions as submitted_table
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_

# What the review area shows of a district: its own row, the map, the charter, the canvas and the flows.
READ_TABLES = ("district", "stakeholder", "relation", "charter", "charter_section", "charter_version",
               "canvas_item", "flow")


def district_of_submission(engine: Engine, submission_id: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(submitted_table.c.district_id).where(
            submitted_table.c.id == submission_id)).scalar()


def district_records(engine: Engine, submission_id: str) -> bytes | None:
    """The records of the submission's district as the Centre holds them now (tombstones included: the reader
    leaves them out), as one JSON document ``{"district_id": …, "tables": {table: [row, …]}}``; None for an
    unknown submission."""
    district_id = district_of_submission(engine, submission_id)
    if district_id is None:
        return None
    texts: dict[str, list[str]] = {table: [] for table in READ_TABLES}
    query = (sa.select(rows.c.table_name, sa.cast(rows.c.data, sa.Text))
             .where(rows.c.district_id == district_id, rows.c.table_name.in_(READ_TABLES)))
    with engine.connect() as conn:
        for table, text in conn.execute(query):
            texts[table].append(text)
    tables = ",".join(f"{json.dumps(table)}:[{','.join(found)}]" for table, found in texts.items())
    return f'{{"district_id":{json.dumps(district_id)},"tables":{{{tables}}}}}'.encode()


def receive_bundle(engine: Engine, data: bytes) -> dict[str, Any]:
    """A district's bundle from a stick (uploaded by an advisor, or ``centre import`` on the host): checked
    whole, its signer one of the district's devices that is not revoked (the first bundle of a district
    never enrolled registers its key), and stored like a push; then what it carries for the Centre, as a
    sync would send it: the submission for review (kept once, however often the bundle comes) and the
    promoter's replies, resolutions and new threads, oldest first. A submission the Centre would refuse
    refuses the whole bundle before anything is stored; a reply it cannot take (its thread resolved
    meanwhile) is reported under ``replies_refused`` (``Refusal``s) and the others are taken."""
    from ssd_starter.sync.bundle import DOSSIER, verify_bundle

    try:
        bundle = verify_bundle(data)  # the signer is judged by ``receive_bundle``, against the device list
        if bundle.submission is not None:
            submitted = bundle.submission
            submissions.check_submission(summary=submitted["summary"], note=submitted["note"],
                                         dossier=bundle.members.get(DOSSIER) if submitted["with_dossier"] else None)
            _check_charter_version(engine, bundle)
        result = centre_store.receive_bundle(engine, bundle)
    except centre_store.Refused as exc:
        raise _refusal(exc) from None
    except Refusal:
        raise
    except UserError as exc:  # the bundle's own checks: a damaged, tampered or foreign file
        raise Refusal(422, N_("the bundle was refused: {reason}"), reason=exc) from None
    district_id = bundle.district_id
    submission = None
    if bundle.submission is not None:
        submitted = bundle.submission
        submission = submissions.submit(engine, district_id, summary=submitted["summary"], note=submitted["note"],
                                        charter_version_id=submitted["charter_version_id"],
                                        dossier=bundle.members.get(DOSSIER) if submitted["with_dossier"] else None,
                                        submission_id=submitted["id"])
    taken, refused = _take_replies(engine, district_id, bundle.replies)
    return {"district_id": district_id, "stored": result.stored, "ignored": result.ignored,
            "submission": submission, "replies_taken": taken, "replies_refused": refused}


def _check_charter_version(engine: Engine, bundle: Any) -> None:
    """The charter version a bundle's submission stands on is in the bundle or already at the Centre."""
    version = bundle.submission["charter_version_id"]
    if version is None or any(r["table"] == "charter_version" and r["id"] == version for r in bundle.records):
        return
    if not centre_store.holds_row(engine, bundle.district_id, "charter_version", version):
        raise Refusal(422, N_("the charter version {id} is not at the Centre: sync the district first"), id=version)


def _take_replies(engine: Engine, district_id: str, entries: Any) -> tuple[int, list[Refusal]]:
    """The promoter's outbox entries, as a sync delivers them one by one: each the Centre already holds is
    taken again without change (the ids are the district's own)."""
    from ssd_starter.centre import threads

    taken, refused = 0, []
    for entry in entries:
        try:
            if entry["action"] == "open":
                anchor = entry["anchor"]
                threads.district_open(engine, district_id, entry["thread_id"], kind=anchor["kind"], key=anchor["id"],
                                      table=anchor["table"] if anchor["kind"] == "record" else None,
                                      text=entry["text"])
            elif entry["action"] == "reply":
                threads.district_reply(engine, district_id, entry["thread_id"], entry["id"], entry["text"])
            else:
                threads.district_resolve(engine, district_id, entry["thread_id"])
        except Refusal as refusal:
            refused.append(refusal)
        else:
            taken += 1
    return taken, refused


def _refusal(exc: centre_store.Refused) -> Refusal:
    if exc.status == 403 and "device's key was revoked" in exc.detail:
        return Refusal(403, N_("the bundle is signed by a device revoked from its district"))
    if exc.status == 403 and "revoked" in exc.detail:
        return Refusal(403, N_("this district's key was revoked at the Centre: its bundles are received again "
                               "once it has enrolled anew"))
    if exc.status == 403:
        return Refusal(403, N_("the bundle is signed by a different key from the one trusted for this district"))
    return Refusal(409, N_("the bundle holds records that belong to another district at the Centre"))
