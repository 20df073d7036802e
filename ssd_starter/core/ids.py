"""Ids and times for new rows: plain Python, so a domain rule that makes a row needs no database library."""

from __future__ import annotations

import datetime as dt
import os
import uuid


def new_id() -> str:
    return str(uuid.uuid4())


def new_ids(count: int) -> list[str]:
    """``count`` random (version 4) UUIDs at once: an import of 20,000 rows spent 60 ms in uuid4() alone."""
    raw = bytearray(os.urandom(16 * count))
    ids = []
    for start in range(0, 16 * count, 16):
        raw[start + 6] = (raw[start + 6] & 0x0F) | 0x40  # version 4
        raw[start + 8] = (raw[start + 8] & 0x3F) | 0x80  # RFC 4122 variant
        h = raw[start:start + 16].hex()
        ids.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return ids


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
