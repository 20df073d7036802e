"""What the administrator does on the server host, with direct access to the database (as ODK Central's
odk-cmd): find a district, revoke its key, issue the token that re-enrols it. The command line
(``ssd-starter centre …``) calls these; refusals are ``UserError``s in the administrator's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ssd_starter.centre.advisors import now, utc
from ssd_starter.centre.devices import revoke_all
from ssd_starter.centre.store import TOKEN_LIFETIME, IssuedToken, new_enrolment_token, token_hash
from ssd_starter.centre.tables import districts
from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.i18n import N_


def find_district(engine: Engine, key: str) -> dict[str, Any]:
    """The enrolled district ``key`` names: its id, a prefix of its id only it has, or its name at the Centre
    (as given to ``centre enrol``, any case)."""
    key = key.strip()
    if not key:
        raise NotFound(N_("No district {key} is enrolled at the Centre."), key=key)
    enrolled = sa.select(districts).where(districts.c.district_id.is_not(None))
    with engine.connect() as conn:
        found = conn.execute(enrolled.where(districts.c.district_id == key)).mappings().all() \
            or conn.execute(enrolled.where(sa.func.lower(districts.c.name) == key.lower())).mappings().all() \
            or conn.execute(enrolled.where(districts.c.district_id.startswith(key, autoescape=True)).limit(2)
                            ).mappings().all()
    if len(found) > 1:
        raise UserError(N_("Several districts match {key}: give its id."), key=key)
    if not found:
        raise NotFound(N_("No district {key} is enrolled at the Centre."), key=key)
    row = dict(found[0])
    row["revoked_at"] = utc(row["revoked_at"])
    return row


def revoke(engine: Engine, key: str) -> dict[str, Any]:
    """The district's keys (every device's) are refused from this moment, for requests and bundles alike;
    what it sent stays. Its enrolment token can never be used again either (``expires_at`` cleared): only a new token from
    ``reenrol`` lets it register a new key."""
    district = find_district(engine, key)
    if district["revoked_at"] is not None:
        raise UserError(N_("The key of {name} is already revoked."), name=district["name"])
    with engine.begin() as conn:
        conn.execute(districts.update().where(districts.c.district_id == district["district_id"],
                                              districts.c.revoked_at.is_(None))
                     .values(revoked_at=now(), expires_at=None))
        revoke_all(conn, district["district_id"])
    return find_district(engine, district["district_id"])


def reenrol(engine: Engine, key: str, *, valid_for: dt.timedelta = TOKEN_LIFETIME) -> IssuedToken:
    """A one-time token that registers a new key for this revoked district, and for no other district."""
    district = find_district(engine, key)
    if district["revoked_at"] is None:
        raise UserError(N_("{name} is enrolled with a key that works: revoke it first (centre revoke)."),
                        name=district["name"])
    token, issued = new_enrolment_token(), now()
    with engine.begin() as conn:
        conn.execute(districts.update().where(districts.c.district_id == district["district_id"])
                     .values(token_hash=token_hash(token), expires_at=issued + valid_for))
    return IssuedToken(token, issued + valid_for)
