"""The network layout in a child process, its frames streamed back through a pipe.

A thread is not enough: numpy and the layout hold the GIL for most of each iteration, and the window froze
for as long as the layout ran. A spawned process shares nothing with the window; the window reads the
newest frame when it has time (``latest`` never blocks) and drops the ones it had no time for.

No Qt here: the child imports only this module and ``core.layout`` (numpy), so it starts in a few hundred
milliseconds, and the module is usable from the benchmarks without a window.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import struct
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from multiprocessing.connection import Connection
from typing import Any

PROCESS_NAME = "ssd-starter network layout"


def _yield_to_the_window() -> None:
    """In the child: lower its priority before anything heavy (numpy's import is the first tenth of a
    second), so the window comes first when both want the same core; idle cores are all the child's."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(10)


if multiprocessing.current_process().name == PROCESS_NAME:  # set by spawn before it imports this module
    _yield_to_the_window()

import numpy as np  # noqa: E402 - after the child has lowered its priority

from ssd_starter.core.layout import LayoutFrame  # noqa: E402

Point = tuple[float, float]
Tie = tuple[str, str, int]

FRAME_INTERVAL = 0.04
"""Seconds between frames sent by the child: about what the window redraws, no more."""
_HEADER = struct.Struct("<?IddI")  # final, isolated count, block origin x, y, has origin

log = logging.getLogger(__name__)


def _run(connection: Connection, payload: str) -> None:
    """The child: read the graph, lay it out and send frames, the first at once, then at most one per
    FRAME_INTERVAL."""
    from ssd_starter.core.layout import layout_frames

    with open(payload, "rb") as file:
        ids, ties, known, pinned, relayout, seed = pickle.load(file)  # written by our own parent just now
    os.unlink(payload)

    relations = [{"source_id": s, "target_id": t, "strength": w} for s, t, w in ties]
    last_sent = 0.0
    try:
        for frame in layout_frames(ids, relations, known, pinned, relayout=relayout, seed=seed):
            now = time.monotonic()
            if frame.final or now - last_sent >= FRAME_INTERVAL or last_sent == 0.0:
                origin = frame.isolated_origin or (0.0, 0.0)
                header = _HEADER.pack(frame.final, frame.isolated, origin[0], origin[1],
                                      frame.isolated_origin is not None)
                connection.send_bytes(header + np.ascontiguousarray(frame.positions, dtype="<f8").tobytes())
                last_sent = now
    except (BrokenPipeError, EOFError):  # the window gave up on this layout: nothing to tell
        pass
    finally:
        connection.close()


def decode(message: bytes) -> LayoutFrame:
    final, isolated, ox, oy, has_origin = _HEADER.unpack_from(message)
    positions = np.frombuffer(message, dtype="<f8", offset=_HEADER.size).reshape(-1, 2)
    return LayoutFrame(positions, final, isolated, (ox, oy) if has_origin else None)


class LayoutProcess:
    """One layout run in a spawned process. ``latest()`` hands over the newest frame waiting (or None);
    ``done`` once the final frame was read or the child ended; ``stop()`` ends the child at once."""

    def __init__(self, ids: Sequence[str], relations: Iterable[Mapping[str, Any]], known: Mapping[str, Point],
                 pinned: Iterable[str], *, relayout: bool, seed: int = 7) -> None:
        self.ids = list(ids)
        self._args = (self.ids, [(r["source_id"], r["target_id"], int(r.get("strength") or 1)) for r in relations],
                      {a: (float(x), float(y)) for a, (x, y) in known.items()}, sorted(pinned), relayout, seed)
        self._process: Any = None
        self._connection: Connection | None = None
        self.done = False
        self.failed = False
        self._held: LayoutFrame | None = None
        self._payload = ""
        self.started_at = 0.0

    def start(self) -> None:
        # spawn, never fork: a forked copy of a Qt application with its threads can deadlock
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        # the graph goes through a file, not the process's arguments: those are written into a pipe the
        # child reads only once its interpreter is up, and the window would wait for that (a quarter second)
        handle, payload = tempfile.mkstemp(prefix="ssd-layout-", suffix=".pickle")  # user-only (0600)
        with os.fdopen(handle, "wb") as file:
            pickle.dump(self._args, file, protocol=pickle.HIGHEST_PROTOCOL)
        self._payload = payload
        self._process = context.Process(target=_run, args=(sender, payload), daemon=True,
                                        name=PROCESS_NAME)
        self.started_at = time.monotonic()
        self._process.start()
        sender.close()  # the child holds its own copy: end of file here once it is gone
        self._connection = receiver

    def latest(self) -> LayoutFrame | None:
        """The newest frame not handed over yet, older ones dropped; None when nothing new is waiting."""
        self._read()
        frame, self._held = self._held, None
        return frame

    def _read(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            while connection.poll():
                self._held = decode(connection.recv_bytes())
                if self._held.final:
                    self._finish(failed=False)
                    return
        except (EOFError, OSError):  # the child is gone without its final frame
            self._finish(failed=True)

    def wait(self, timeout: float) -> bool:
        """Block until the final frame has arrived (tests, benchmarks); ``latest()`` then hands it over.
        False on a time-out or when the child failed."""
        deadline = time.monotonic() + timeout
        while not self.done and time.monotonic() < deadline:
            connection = self._connection
            if connection is None:
                break
            if connection.poll(min(0.05, max(0.0, deadline - time.monotonic()))):
                self._read()
        return self.done and not self.failed

    def _finish(self, *, failed: bool) -> None:
        self.done = True
        self.failed = failed
        if failed:
            log.error("the network layout process ended without its final frame")  # for developers, in the log
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=0)  # never wait here: the child exits by itself, multiprocessing reaps it

    def stop(self) -> None:
        """End the child now (a newer layout was asked for, or the map closes)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=0.5)  # SIGTERM ends it within milliseconds
        if self._payload and os.path.exists(self._payload):  # stopped before the child read it
            os.unlink(self._payload)
        if not self.done:
            self._finish(failed=False)
        self._held = None
