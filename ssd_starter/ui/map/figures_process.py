"""A large district's network figures worked out in a child process, read from the district's own file.

Not a thread: rustworkx's exact betweenness holds the GIL for its whole run (2,000 actors / 7,000 relations:
0.77 s during which the window's thread got no turn, measured), and reading 20,000 relations takes the window
a fifth of a second besides. The child is spawned once and kept for the next figures; it reads the file
read-only, as a second reader of a WAL database may while the window writes.

No Qt here (the child imports only the store and ``core.network``); the window polls ``done``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ssd_starter.core.network import NetworkIndicators

_executor: ProcessPoolExecutor | None = None


def district_figures(path: str, district_id: str) -> NetworkIndicators:
    """In the child: the figures of the district's live actors and relations in the store file at ``path``."""
    from ssd_starter.core.network import network_indicators
    from ssd_starter.store import Store
    from ssd_starter.store.stakeholders import list_stakeholders, relation_ties

    store = Store(Path(path), read_only=True)
    try:
        actors: list[Mapping[str, Any]] = list(list_stakeholders(store, district_id))
        relations: list[Mapping[str, Any]] = list(relation_ties(store, district_id))  # the ends are all it needs
        return network_indicators(actors, relations)
    finally:
        store.close()


def submit(path: Path, district_id: str) -> Future[NetworkIndicators]:
    global _executor
    if _executor is None:
        # spawn, never fork: a forked copy of a Qt application with its threads can deadlock
        _executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _executor.submit(district_figures, str(path), district_id)


def shutdown() -> None:
    """End the child now (the application quits, or the child failed); figures being worked out are dropped.
    The executor's own shutdown would let the running job finish, and Python's exit wait for it (seconds)."""
    global _executor
    executor, _executor = _executor, None
    if executor is not None:
        children = list(getattr(executor, "_processes", {}).values())  # no public way to stop a running job
        executor.shutdown(wait=False, cancel_futures=True)
        for child in children:
            if child.is_alive():
                child.terminate()
