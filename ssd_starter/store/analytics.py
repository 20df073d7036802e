"""Network figures of a district, computed once and kept until a change-set touches the district's actors or
relations: the map's indicators tab, its labels (most central first) and a refresh after an unrelated edit
reuse them instead of counting shortest paths again (seconds on a large map)."""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from ssd_starter.core.network import NetworkIndicators, network_indicators
from ssd_starter.store.database import ChangeSet, Store

TABLES = frozenset({"stakeholder", "relation"})
"""What the figures are made of: a change anywhere else leaves them as they are."""


class NetworkCache:
    """One per store: district id → its figures, dropped by the change-sets that could change them."""

    def __init__(self, store: Store) -> None:
        self._figures: dict[str, NetworkIndicators] = {}
        self._changes: dict[str | None, int] = {}  # district → change-sets that touched its map (None: any)
        self.computed = 0  # how many times the figures were worked out (tests look at it)
        store.subscribe(self._on_change)

    def _on_change(self, changes: ChangeSet) -> None:
        for change in changes.changes:
            if change.table in TABLES:
                self._changes[change.district_id] = self._changes.get(change.district_id, 0) + 1
                if change.district_id is None:  # cannot tell whose: forget all
                    self._figures.clear()
                    return
                self._figures.pop(change.district_id, None)

    def version(self, district_id: str) -> int:
        """Grows with every change-set that could change the district's figures: figures worked out elsewhere
        (``put``) are kept only if it has not moved since they were asked for."""
        return self._changes.get(district_id, 0) + self._changes.get(None, 0)

    def put(self, district_id: str, figures: NetworkIndicators, version: int) -> bool:
        """Keep figures worked out from the district's rows as they were at ``version``; False (not kept) if
        the map changed since."""
        if version != self.version(district_id):
            return False
        self._figures[district_id] = figures
        self.computed += 1
        return True

    def figures(self, district_id: str, actors: Sequence[Mapping[str, Any]],
                relations: Sequence[Mapping[str, Any]]) -> NetworkIndicators:
        """The figures of ``actors`` and ``relations`` (the district's live rows), from the cache if no
        change-set touched them since."""
        cached = self._figures.get(district_id)
        if cached is not None and cached.actors == len(actors):
            return cached
        result = network_indicators(list(actors), list(relations))
        self.computed += 1
        self._figures[district_id] = result
        return result

    def peek(self, district_id: str) -> NetworkIndicators | None:
        """The figures if they are at hand, without working them out."""
        return self._figures.get(district_id)

    def forget(self, district_id: str | None = None) -> None:
        if district_id is None:
            self._figures.clear()
        else:
            self._figures.pop(district_id, None)


_caches: weakref.WeakKeyDictionary[Store, NetworkCache] = weakref.WeakKeyDictionary()


def network_cache(store: Store) -> NetworkCache:
    """The store's cache (made on first use; it listens to the store's change-sets)."""
    cache = _caches.get(store)
    if cache is None:
        cache = _caches[store] = NetworkCache(store)
    return cache
