"""The one rule that decides between two copies of the same row (DESIGN §4), wherever they meet.

Each copy carries its logical ``version`` and the ``origin`` device that wrote it last. The higher version
wins; between equal versions the higher origin id does, so every installation and the Centre decide the
same way without talking to each other. The local merge applies it in Python; the Centre applies it inside
its conditional upsert (so two server processes cannot go backwards), built from the same ``ORDER``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ORDER = ("version", "origin")  # compared in this order, as a tuple


def rank(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row[key] for key in ORDER)


def wins(incoming: Mapping[str, Any], local: Mapping[str, Any]) -> bool:
    """Whether ``incoming`` replaces ``local``."""
    return rank(incoming) > rank(local)
