"""The devices of a district at the Centre: each promoter's installation signs with its own key.

The first device is the one that enrols the district (``store.register``). Another joins with a one-time
code that a device already in the district asks for (``POST /v1/devices/invites``) or that the Centre's
administrator prints (``centre enrol --district``): twelve letters and digits, read out over the phone if
need be, kept only as a SHA-256 (60 random bits: nothing to slow down), usable once and for a few days. A
device's key is refused from the moment it is revoked, for requests and bundles alike; what it sent stays.

Every signed request names its device (the ``x-ssd-device`` header, which only chooses the key to check:
the signature decides). A first device enrolled before devices existed has no device id until its first
request that names one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ssd_starter.centre.database import Bind, reading, writing
from ssd_starter.centre.errors import Refusal
from ssd_starter.centre.tables import devices, districts
from ssd_starter.i18n import N_

INVITE_LIFETIME = dt.timedelta(days=7)
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud or copied from paper
CODE_LENGTH = 12  # 58 bits, shown in groups of four
CODE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
MAX_NAME = 200


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(when: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back its UTC times without a zone; PostgreSQL with one."""
    return when.replace(tzinfo=dt.UTC) if when is not None and when.tzinfo is None else when


def new_code() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(code[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalised_code(text: str) -> str | None:
    """The code as typed (any case, with or without its dashes and spaces) in its one stored form, or None
    when it cannot be a code at all."""
    cleaned = re.sub(r"[\s-]", "", text.upper())
    return cleaned if CODE.fullmatch(cleaned) else None


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvite:
    code: str
    expires_at: dt.datetime
    district_id: str


def _district(conn: Connection, district_id: str) -> Any:
    return conn.execute(sa.select(districts.c.district_id, districts.c.name, districts.c.revoked_at).where(
        districts.c.district_id == district_id)).first()


def invite(engine: Engine, district_id: str, *, invited_by: str = "",
           valid_for: dt.timedelta = INVITE_LIFETIME) -> IssuedInvite:
    """A one-time code with which one more installation joins the district (``join``)."""
    code = new_code()
    issued = now()
    with engine.begin() as conn:
        found = _district(conn, district_id)
        if found is None:
            raise Refusal(404, N_("No district {key} is enrolled at the Centre."), key=district_id)
        if found.revoked_at is not None:
            raise Refusal(403, N_("The district's key is revoked at the Centre: re-enrol it first."))
        conn.execute(devices.insert().values(
            id=secrets.token_hex(16), district_id=district_id, name="", invite_hash=code_hash(code.replace("-", "")),
            invite_expires_at=issued + valid_for, invited_by=invited_by[:MAX_NAME], created_at=issued))
    return IssuedInvite(code, issued + valid_for, district_id)


def join(engine: Engine, code: str, *, device_id: str, public_key: str, fingerprint: str, name: str
         ) -> dict[str, Any]:
    """Use the code: the installation ``device_id`` becomes a device of the code's district with its key.
    One conditional UPDATE, so two installations racing with one code cannot both join; a code that is
    unknown, used, expired or for a revoked district is refused, and so is an installation that is already a
    device of the district (revoked or not: a revoked device stays out)."""
    stored = normalised_code(code)
    if stored is None:
        raise Refusal(403, N_("This is not a device code: it has twelve letters and digits, e.g. ABCD-EFGH-JKMN."))
    with engine.begin() as conn:
        invited = conn.execute(sa.select(devices.c.id, devices.c.district_id).where(
            devices.c.invite_hash == code_hash(stored), devices.c.public_key.is_(None),
            devices.c.invite_expires_at > now())).first()
        if invited is None:
            raise Refusal(403, N_("Unknown, used or expired device code: ask for a new one."))
        found = _district(conn, invited.district_id)
        if found is None or found.revoked_at is not None:
            raise Refusal(403, N_("The district's key is revoked at the Centre: re-enrol it first."))
        already = conn.execute(sa.select(devices.c.revoked_at).where(
            devices.c.district_id == invited.district_id, devices.c.device_id == device_id)).first()
        if already is not None:
            raise Refusal(409, N_("This installation was revoked from the district: it cannot join again.")
                          if already.revoked_at is not None else
                          N_("This installation is already a device of the district."))
        taken = conn.execute(devices.update().where(devices.c.id == invited.id, devices.c.public_key.is_(None))
                             .values(device_id=device_id, public_key=public_key, fingerprint=fingerprint,
                                     name=name[:MAX_NAME], enrolled_at=now(), invite_expires_at=None)).rowcount
        if taken != 1:
            raise Refusal(403, N_("Unknown, used or expired device code: ask for a new one."))
        return {"district_id": found.district_id, "district_name": found.name}


def register_first(conn: Connection, district_id: str, *, device_id: str | None, public_key: str,
                   fingerprint: str, name: str) -> None:
    """The device that enrols (or re-enrols) the district, inside the enrolment's transaction. Re-enrolled
    from an installation that was a device of it already, that device is itself again, with the key it has
    now; its fellow devices stay revoked until invited anew."""
    at = now()
    if device_id is not None:
        updated = conn.execute(devices.update().where(devices.c.district_id == district_id,
                                                      devices.c.device_id == device_id).values(
            public_key=public_key, fingerprint=fingerprint, revoked_at=None, enrolled_at=at,
            name=name[:MAX_NAME] or devices.c.name)).rowcount
        if updated:
            return
    conn.execute(devices.insert().values(id=secrets.token_hex(16), district_id=district_id, device_id=device_id,
                                         name=name[:MAX_NAME], public_key=public_key, fingerprint=fingerprint,
                                         invited_by="", created_at=at, enrolled_at=at))


@dataclass(frozen=True)
class Signer:
    """The device whose key signed a request: its row, its installation id (None until named) and name."""

    row_id: str
    device_id: str | None
    name: str
    public_key: str


def active_keys(engine: Bind, district_id: str) -> list[Signer]:
    """The keys that may sign for the district now: its devices not revoked, of a district not revoked."""
    with reading(engine) as conn:
        return [Signer(*row) for row in conn.execute(_active_keys_query(), {"district_id": district_id})]


@functools.cache
def _active_keys_query() -> sa.Select[Any]:
    """Built once: every signed request asks, and building the query cost more than running it."""
    return sa.select(devices.c.id, devices.c.device_id, devices.c.name, devices.c.public_key).select_from(
        devices.join(districts, districts.c.district_id == devices.c.district_id)).where(
        devices.c.district_id == sa.bindparam("district_id"), devices.c.revoked_at.is_(None),
        devices.c.public_key.is_not(None), districts.c.revoked_at.is_(None))


@functools.cache
def _seen_update() -> sa.Update:
    return devices.update().where(devices.c.id == sa.bindparam("row")).values(last_seen_at=sa.bindparam("at"))


def seen(engine: Bind, signer: Signer, named: str | None) -> Signer:
    """The device signed a request now: its last-seen time moves on, and a first device enrolled before
    devices existed takes the installation id its request names (unless another device of the district has
    it). One UPDATE."""
    if signer.device_id is not None or not named:  # every request but a first device's first
        with writing(engine) as conn:
            conn.execute(_seen_update(), {"row": signer.row_id, "at": now()})
        return signer
    values: dict[str, Any] = {"last_seen_at": now()}
    with reading(engine) as conn:
        district_id = conn.execute(sa.select(devices.c.district_id).where(devices.c.id == signer.row_id)).scalar()
        taken = conn.execute(sa.select(devices.c.id).where(devices.c.district_id == district_id,
                                                           devices.c.device_id == named)).first()
    if taken is None:
        values["device_id"] = named
        signer = Signer(signer.row_id, named, signer.name, signer.public_key)
    with writing(engine) as conn:
        conn.execute(devices.update().where(devices.c.id == signer.row_id).values(**values))
    return signer


def rename(engine: Engine, signer: Signer, name: str) -> None:
    with engine.begin() as conn:
        conn.execute(devices.update().where(devices.c.id == signer.row_id).values(name=name[:MAX_NAME]))


def list_devices(engine: Bind, district_id: str, *, with_invites: bool = False) -> list[dict[str, Any]]:
    """The district's devices in the order they joined (revoked ones too, so every device learns of the
    revocation); with ``with_invites`` the codes not used yet as well (for the administrator)."""
    with reading(engine) as conn:
        found = [dict(row) for row in conn.execute(_devices_query(with_invites), {"district_id": district_id})
                 .mappings()]
    for row in found:
        for key in ("created_at", "enrolled_at", "revoked_at", "last_seen_at", "invite_expires_at"):
            row[key] = _utc(row[key])
        row.pop("invite_hash")
    return found


@functools.cache
def _devices_query(with_invites: bool) -> sa.Select[Any]:
    query = sa.select(devices).where(devices.c.district_id == sa.bindparam("district_id")).order_by(
        devices.c.created_at)
    return query if with_invites else query.where(devices.c.public_key.is_not(None))


def public_listing(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a district's devices learn about each other (JSON): no row ids, no codes."""
    def iso(when: dt.datetime | None) -> str | None:
        return when.isoformat() if when is not None else None

    return [{"device_id": d["device_id"], "name": d["name"], "public_key": d["public_key"],
             "fingerprint": d["fingerprint"], "enrolled_at": iso(d["enrolled_at"]), "revoked_at": iso(d["revoked_at"]),
             "last_seen_at": iso(d["last_seen_at"])} for d in found if d["device_id"]]


def revoke(engine: Engine, district_id: str, device_id: str) -> dict[str, Any]:
    """The device's key stops working now, for requests and bundles; its rows stay. Revoking twice is one."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(devices.c.id, devices.c.revoked_at).where(
            devices.c.district_id == district_id, devices.c.device_id == device_id)).first()
        if row is None:
            raise Refusal(404, N_("There is no device {device} in this district."), device=device_id[:8])
        if row.revoked_at is None:
            conn.execute(devices.update().where(devices.c.id == row.id).values(revoked_at=now()))
    return next(d for d in list_devices(engine, district_id) if d["device_id"] == device_id)


def revoke_all(conn: Connection, district_id: str) -> None:
    """The whole district revoked (``centre revoke``): every one of its devices with it."""
    conn.execute(devices.update().where(devices.c.district_id == district_id, devices.c.revoked_at.is_(None))
                 .values(revoked_at=now()))


def device_of_key(engine: Engine, district_id: str, public_key: str) -> dict[str, Any] | None:
    """The district's device with this key (revoked or not), for a bundle's signer."""
    with engine.connect() as conn:
        found = [dict(row) for row in conn.execute(sa.select(devices).where(
            devices.c.district_id == district_id, devices.c.public_key == public_key)).mappings()]
    found.sort(key=lambda row: row["revoked_at"] is not None)  # a device holding the key now, before a revoked one
    return found[0] if found else None
