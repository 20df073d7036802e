"""The devices of a district as this installation knows them, what has arrived from each, and a record of
every sync and bundle (the Sync area's status).

The device list comes from the Centre (each sync and the join bring it) and from bundles of the district's
devices (each carries its sender's list): a device is added when either names it, and a revocation, once
known, stays — a list from a device that has not heard of it yet cannot take it back. This installation's
own name (``meta`` row ``device_name``) is what the other devices show next to what it wrote.

Bookkeeping, not the district's data: written directly (not through edits, not undone, not synced).
"""

from __future__ import annotations

import datetime as dt
import getpass
import platform
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from ssd_starter.core.ids import new_id, utc_now
from ssd_starter.core.models import (
    ChangeLogEntry,
    Conflict,
    DistrictDevice,
    Meta,
    SyncCounter,
    SyncRun,
    WaitingRow,
    table_of,
)
from ssd_starter.store.database import Store

D, C, R, W = table_of(DistrictDevice), table_of(SyncCounter), table_of(SyncRun), table_of(WaitingRow)
NAME_KEY = "device_name"
MAX_NAME = 200


# -- this installation's name ------------------------------------------------------------------

def default_name() -> str:
    """The user's login and the computer's name, until the promoter gives one (``device join --name``)."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (a container, a service account)
        user = ""
    host = platform.node().split(".")[0]
    return " @ ".join(part for part in (user, host) if part)[:MAX_NAME] or "SSD Starter"


def device_name(store: Store) -> str:
    with store.read() as conn:
        stored = conn.execute(select(table_of(Meta).c.value).where(table_of(Meta).c.key == NAME_KEY)).scalar()
    return stored or default_name()


def set_device_name(store: Store, name: str) -> None:
    meta = table_of(Meta)
    name = " ".join(name.split())[:MAX_NAME]
    with store.write() as conn:
        if conn.execute(select(meta.c.key).where(meta.c.key == NAME_KEY)).first() is None:
            conn.execute(insert(meta).values(key=NAME_KEY, value=name))
        else:
            conn.execute(update(meta).where(meta.c.key == NAME_KEY).values(value=name))


# -- the device list -----------------------------------------------------------------------------

def _time(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:  # what another device wrote and this version cannot read: not known, then
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def district_devices(store: Store, district_id: str) -> list[dict[str, Any]]:
    """The district's devices (revoked ones too), in the order they were added."""
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(D).where(D.c.district_id == district_id)
                                             .order_by(D.c.added_at, D.c.device_id)).mappings()]


def has_devices(store: Store, district_id: str) -> bool:
    with store.read() as conn:
        return conn.execute(select(D.c.device_id).where(D.c.district_id == district_id).limit(1)).first() is not None


def device_names(store: Store, district_id: str) -> dict[str, str]:
    """Device id → name, this installation's own included."""
    names = {d["device_id"]: d["name"] for d in district_devices(store, district_id) if d["name"]}
    names[store.device_id] = device_name(store)
    return names


OWN_SEEN_STEP = dt.timedelta(minutes=1)


def merge_device_list(conn: Connection, district_id: str, listed: Iterable[Mapping[str, Any]], *,
                      seen_by_centre: bool, own: str | None = None) -> int:
    """Add the devices ``listed`` names, take in their revocations (never undo one) and, from the Centre,
    when each was last seen and its name; how many devices changed. Inside a write already open. When this
    installation (``own``) was last seen moves at every request: it is kept to the minute, so a sync with
    nothing new writes nothing here."""
    known = {row["device_id"]: dict(row) for row in conn.execute(select(D).where(
        D.c.district_id == district_id)).mappings()}
    changed = 0
    for device in listed:
        device_id, key = device.get("device_id"), device.get("public_key")
        if not isinstance(device_id, str) or not isinstance(key, str) or not device_id or not key:
            continue
        name = str(device.get("name") or "")[:MAX_NAME]
        revoked, seen = _time(device.get("revoked_at")), _time(device.get("last_seen_at"))
        current = known.get(device_id)
        if current is None:
            conn.execute(insert(D).values(district_id=district_id, device_id=device_id, name=name, public_key=key,
                                          fingerprint=str(device.get("fingerprint") or "")[:60],
                                          added_at=_time(device.get("enrolled_at")) or utc_now(),
                                          revoked_at=revoked, last_seen_at=seen if seen_by_centre else None))
            changed += 1
            continue
        values: dict[str, Any] = {}
        if revoked is not None and current["revoked_at"] is None:
            values["revoked_at"] = revoked
        held_seen = _time(current["last_seen_at"])
        if seen_by_centre and seen is not None and seen != held_seen and (
                device_id != own or held_seen is None or abs(seen - held_seen) >= OWN_SEEN_STEP):
            values["last_seen_at"] = seen
        if name and name != current["name"] and (seen_by_centre or not current["name"]):
            values["name"] = name
        if seen_by_centre and key != current["public_key"] and current["revoked_at"] is None:
            values.update(public_key=key, fingerprint=str(device.get("fingerprint") or "")[:60])
        if values:
            conn.execute(update(D).where(D.c.district_id == district_id, D.c.device_id == device_id).values(**values))
            changed += 1
    return changed


def save_device_list(store: Store, district_id: str, listed: Iterable[Mapping[str, Any]], *,
                     seen_by_centre: bool = True) -> int:
    with store.write() as conn:
        return merge_device_list(conn, district_id, listed, seen_by_centre=seen_by_centre, own=store.device_id)


def device_lists(store: Store) -> dict[str, list[dict[str, Any]]]:
    """District id → its device list, for every district that has one."""
    lists: dict[str, list[dict[str, Any]]] = {}
    with store.read() as conn:
        for row in conn.execute(select(D)).mappings():
            lists.setdefault(row["district_id"], []).append(dict(row))
    return lists


def take_bundle_devices(store: Store, district_id: str, sender: str, manifest: Mapping[str, Any]) -> None:
    """After a fellow device's bundle: the devices (and revocations) it knows of, and that it was alive when
    it wrote the bundle."""
    with store.write() as conn:
        merge_device_list(conn, district_id, manifest.get("devices") or [], seen_by_centre=False)
        written = _time(manifest.get("created_at"))
        if written is not None:
            touch_device(conn, district_id, sender, written)


def mark_revoked(store: Store, district_id: str, device_id: str, at: dt.datetime | None = None) -> None:
    with store.write() as conn:
        conn.execute(update(D).where(D.c.district_id == district_id, D.c.device_id == device_id,
                                     D.c.revoked_at.is_(None)).values(revoked_at=at or utc_now()))


def listing(store: Store, district_id: str) -> list[dict[str, Any]]:
    """The list a bundle carries (JSON): what a fellow device needs to trust the others."""
    def iso(when: dt.datetime | None) -> str | None:
        return when.isoformat() if when is not None else None

    return [{"device_id": d["device_id"], "name": d["name"], "public_key": d["public_key"],
             "fingerprint": d["fingerprint"], "enrolled_at": iso(d["added_at"]), "revoked_at": iso(d["revoked_at"])}
            for d in district_devices(store, district_id)]


def touch_device(conn: Connection, district_id: str, device_id: str, at: dt.datetime) -> None:
    """A bundle of this device arrived: it was alive then (shown as last seen when the Centre has not seen it
    later)."""
    conn.execute(update(D).where(D.c.district_id == district_id, D.c.device_id == device_id).where(
        (D.c.last_seen_at.is_(None)) | (D.c.last_seen_at < at)).values(last_seen_at=at))


# -- what has arrived from each device ------------------------------------------------------------

def counters(store: Store, district_id: str) -> dict[str, int]:
    """Device id → the highest of its sequence numbers whose rows are here."""
    with store.read() as conn:
        return _counters(conn, district_id)


def _counters(conn: Connection, district_id: str) -> dict[str, int]:
    return {origin: int(seq) for origin, seq in conn.execute(select(C.c.origin, C.c.last_seq).where(
        C.c.district_id == district_id))}


def pull_counters(store: Store, district_id: str) -> dict[str, int]:
    """Per device, the last of its rows held here, this installation's own included (its newest change): what
    a pull asks to come after — its own rows come back only if the Centre holds some newer than any here (a
    restored backup). One read: a sync with nothing new asks for it once."""
    with store.read() as conn:
        held = _counters(conn, district_id)
        log = table_of(ChangeLogEntry)
        held[store.device_id] = int(conn.execute(select(func.max(log.c.seq)).where(
            log.c.district_id == district_id, log.c.origin == store.device_id)).scalar() or 0)
    return held


def waiting_count(store: Store, district_id: str) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(W).where(W.c.district_id == district_id)).scalar()
                   or 0)


def open_clash_count(store: Store, district_id: str) -> int:
    k = table_of(Conflict)
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(k).where(
            k.c.district_id == district_id, k.c.resolved.is_(False))).scalar() or 0)


# -- the record of syncs and bundles ---------------------------------------------------------------

def start_run(store: Store, district_id: str, channel: str, *, centre_url: str | None = None,
              peer: str | None = None) -> str:
    run_id = new_id()
    with store.write() as conn:
        conn.execute(insert(R).values(id=run_id, district_id=district_id, channel=channel, started_at=utc_now(),
                                      outcome="running", sent={}, received={}, clashes=0, waiting=0, detail="",
                                      centre_url=centre_url, peer=peer))
    return run_id


def finish_run(store: Store, run_id: str, outcome: str, *, sent: Mapping[str, int] | None = None,
               received: Mapping[str, int] | None = None, clashes: int = 0, waiting: int = 0,
               detail: str = "") -> None:
    with store.write() as conn:
        conn.execute(update(R).where(R.c.id == run_id).values(
            finished_at=utc_now(), outcome=outcome, sent=dict(sent or {}), received=dict(received or {}),
            clashes=clashes, waiting=waiting, detail=detail[:2000]))


def record_run(store: Store, district_id: str, channel: str, *, sent: Mapping[str, int] | None = None,
               received: Mapping[str, int] | None = None, clashes: int = 0, waiting: int = 0,
               peer: str | None = None, outcome: str = "done", detail: str = "") -> None:
    """A run that happened in one go (a bundle written or imported)."""
    finish_run(store, start_run(store, district_id, channel, peer=peer), outcome, sent=sent, received=received,
               clashes=clashes, waiting=waiting, detail=detail)


def recent_runs(store: Store, district_id: str, limit: int = 20) -> list[dict[str, Any]]:
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(R).where(R.c.district_id == district_id)
                                             .order_by(R.c.started_at.desc()).limit(limit)).mappings()]


def last_run(store: Store, district_id: str, channel: str | None = None, *, done: bool = False
             ) -> dict[str, Any] | None:
    query = select(R).where(R.c.district_id == district_id)
    if channel is not None:
        query = query.where(R.c.channel == channel)
    if done:
        query = query.where(R.c.outcome == "done")
    with store.read() as conn:
        found = conn.execute(query.order_by(R.c.started_at.desc()).limit(1)).mappings().first()
    return dict(found) if found is not None else None


def centre_of(store: Store, district_id: str) -> str | None:
    """The Centre the district last synced with (or joined through)."""
    query = select(R.c.centre_url).where(R.c.district_id == district_id, R.c.centre_url.is_not(None),
                                         R.c.outcome == "done").order_by(R.c.started_at.desc()).limit(1)
    with store.read() as conn:
        return conn.execute(query).scalar()
