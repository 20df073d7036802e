"""Bulk work (imports of tens of thousands of rows) with Python's cyclic garbage collector paused.

Reading, planning and writing 20,000 actors and 80,000 relations makes millions of lists, dicts and strings that
live until the import ends, and none of them in reference cycles: the collector kept walking them all, again
and again, a fifth of the import's time. Reference counting still frees everything as usual; the collector
resumes when the outermost bulk section ends (sections nest, and may run on several threads at once).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_paused_by_us = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """As a ``with`` block or a decorator (``@collector_paused()``)."""
    global _depth, _paused_by_us
    with _lock:
        if _depth == 0 and gc.isenabled():
            gc.disable()
            _paused_by_us = True
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _paused_by_us:
                _paused_by_us = False
                gc.enable()
