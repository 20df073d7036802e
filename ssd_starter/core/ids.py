"""Ids and times for new rows: plain Python, so a domain rule that makes a row needs no database library."""

from __future__ import annotations

import datetime as dt
import os
import uuid


def new_id() -> str:
    return str(uuid.uuid4())


_VERSION_4 = bytes((b & 0x0F) | 0x40 for b in range(256))
_RFC_4122 = bytes((b & 0x3F) | 0x80 for b in range(256))


def new_ids(count: int) -> list[str]:
    """``count`` random (version 4) UUIDs at once: an import of 100,000 rows spent 0.3 s in uuid4() alone. The
    version and variant bits are set in every id by one ``translate`` each, the text cut from one hex string."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = raw[6::16].translate(_VERSION_4)
    raw[8::16] = raw[8::16].translate(_RFC_4122)
    h = raw.hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-{h[i + 12:i + 16]}-{h[i + 16:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * count, 32)]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
