"""Force-directed layout of the stakeholder network (rustworkx, in Rust: 5,000 actors in a few seconds).

Stability: actors that already have a position keep it; only new actors are placed, near the
actors they are tied to. ``relayout`` moves everybody except the pinned actors.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

Point = tuple[float, float]


def spread(n: int) -> float:
    """Scene units per layout unit: the map grows with the square root of its size."""
    return 110.0 * math.sqrt(max(n, 4))


def compute_layout(actor_ids: list[str], relations: Iterable[Mapping[str, Any]], known: Mapping[str, Point],
                   pinned: Iterable[str] = (), *, relayout: bool = False, seed: int = 7) -> dict[str, Point]:
    """Positions (scene coordinates) for every actor."""
    import rustworkx as rx

    if not actor_ids:
        return {}
    keep = set(pinned) if relayout else {a for a in actor_ids if a in known}
    if keep >= set(actor_ids):
        return {a: known[a] for a in actor_ids}
    relations = list(relations)
    linked = {r["source_id"] for r in relations} | {r["target_id"] for r in relations}
    # Actors with no tie would be flung to the edges by the forces and squash everybody else into
    # the middle: they get a row of their own below the network instead.
    loose = [a for a in actor_ids if a not in linked and a not in keep]
    tied = [a for a in actor_ids if a not in loose]
    scale = spread(len(tied))
    positions: dict[str, Point] = {}
    if tied:
        graph = rx.PyGraph(multigraph=False)
        index = {actor_id: graph.add_node(actor_id) for actor_id in tied}
        for relation in relations:
            s, t = index.get(relation["source_id"]), index.get(relation["target_id"])
            if s is not None and t is not None and s != t:
                graph.add_edge(s, t, None)
        initial = {index[a]: (known[a][0] / scale, known[a][1] / scale) for a in tied if a in known}
        fixed = {index[a] for a in keep if a in index}
        iterations = 50 if len(tied) <= 1000 else 25
        result = rx.spring_layout(graph, pos=initial or None, fixed=fixed or None, num_iter=iterations, seed=seed)
        positions = {a: (float(result[i][0]) * scale, float(result[i][1]) * scale) for a, i in index.items()}
    for actor_id in keep:  # exactly where they were, not a rounding away
        if actor_id in known:
            positions[actor_id] = known[actor_id]
    if loose:
        bottom = max((y for _x, y in positions.values()), default=0.0) + 120.0
        left = min((x for x, _y in positions.values()), default=0.0)
        per_row = max(4, int(math.sqrt(len(loose)) * 2))
        for n, actor_id in enumerate(loose):
            row, column = divmod(n, per_row)
            positions[actor_id] = (left + column * 220.0, bottom + row * 50.0)
    return positions
