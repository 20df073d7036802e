"""The Centre's answers that travel offline: its signing key, and the reply bundle of one district (its
submissions' states, the threads about it and the comments), written on the Centre's host by
``ssd-starter centre reply-bundle`` and imported by the promoter with ``bundle import``.

The key is made on first use and kept in the database (``centre_signing_key``), so every server process and
every host command signs with the same one; the district's sync learns its public half from
``GET /v1/submissions`` and pins it, so a reply bundle signed by anything else is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ssd_starter.centre.advisors import now
from ssd_starter.centre.tables import signing_keys
from ssd_starter.sync.identity import Identity

KEY_NAME = "replies"


def signing_identity(engine: Engine) -> Identity:
    """The Centre's Ed25519 key pair, made the first time. Two processes making it at once: the first insert
    wins and both use that one."""
    found = _stored(engine)
    if found is not None:
        return found
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    identity = Identity(pem, raw)
    try:
        with engine.begin() as conn:
            conn.execute(signing_keys.insert().values(name=KEY_NAME, private_pem=pem,
                                                      public_key=identity.public_b64, created_at=now()))
    except sa.exc.IntegrityError:
        pass  # another process made it first
    stored = _stored(engine)
    assert stored is not None  # just written, by this process or another
    return stored


def _stored(engine: Engine) -> Identity | None:
    import base64

    with engine.connect() as conn:
        row = conn.execute(sa.select(signing_keys.c.private_pem, signing_keys.c.public_key)
                           .where(signing_keys.c.name == KEY_NAME)).first()
    return Identity(bytes(row.private_pem), base64.b64decode(row.public_key)) if row is not None else None


def reply_document(engine: Engine, district_id: str) -> dict[str, Any]:
    """What a sync of the district would bring back now: submissions, threads and every comment."""
    from ssd_starter.centre.store import comments_since
    from ssd_starter.centre.submissions import for_district
    from ssd_starter.centre.threads import threads_of_district

    as_of = now()
    return {"as_of": as_of, "submissions": for_district(engine, district_id),
            "threads": threads_of_district(engine, district_id), "comments": comments_since(engine, district_id, 0)}


def write_reply_bundle(engine: Engine, district_key: str, path: Path) -> dict[str, Any]:
    """The reply bundle of the enrolled district ``district_key`` names (id, id prefix or name) at ``path``;
    its manifest."""
    from ssd_starter.centre.admin import find_district
    from ssd_starter.sync.reply import write_reply_bundle as write

    district = find_district(engine, district_key)
    review = reply_document(engine, district["district_id"])
    return write(path, signing_identity(engine), {"id": district["district_id"], "name": district["name"]}, review)
