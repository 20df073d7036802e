"""Groups of actors more tied among themselves than to the rest: Louvain's method (Blondel et al., 2008) on the
undirected graph of relations, weighted by strength, for the network view's optional colouring.

Plain Python over adjacency dictionaries: a few tenths of a second at 5,000 actors, run off the window's
thread (pure Python gives the window its turns; it is the long calls into compiled libraries that do not).
Deterministic: actors are visited in a fixed order, so the same map gives the same groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

Graph = dict[int, dict[int, float]]


def louvain(n: int, edges: Iterable[tuple[int, int, float]], *, resolution: float = 1.0,
            min_gain: float = 1e-7) -> list[int]:
    """The community number of each node 0…n−1 (largest community 0, then by size), Louvain's two phases
    repeated until moving nodes no longer raises the modularity."""
    graph: Graph = {i: {} for i in range(n)}
    for a, b, weight in edges:
        if a == b:
            graph[a][a] = graph[a].get(a, 0.0) + weight
        else:
            graph[a][b] = graph[a].get(b, 0.0) + weight
            graph[b][a] = graph[b].get(a, 0.0) + weight
    membership = list(range(n))  # original node → current community
    while True:
        partition, improved = _one_level(graph, resolution, min_gain)
        membership = [partition[c] for c in membership]
        if not improved:
            break
        graph = _aggregate(graph, partition)
    return _renumber(membership)


def _one_level(graph: Graph, resolution: float, min_gain: float) -> tuple[dict[int, int], bool]:
    """Phase one: move each node to the neighbouring community that raises the modularity most, until
    no move does."""
    degree = {node: sum(w for other, w in links.items()) + links.get(node, 0.0) for node, links in graph.items()}
    total = sum(degree.values())
    if total == 0:
        return {node: node for node in graph}, False
    community = {node: node for node in graph}
    totals = dict(degree)  # community → sum of its nodes' degrees
    improved, moved = False, True
    while moved:
        moved = False
        for node in graph:
            current = community[node]
            weights: dict[int, float] = defaultdict(float)
            for other, weight in sorted(graph[node].items()):  # sorted: the same groups whatever the input order
                if other != node:
                    weights[community[other]] += weight
            totals[current] -= degree[node]
            best, best_gain = current, weights.get(current, 0.0) - resolution * totals[current] * degree[node] / total
            for candidate, weight in sorted(weights.items()):
                gain = weight - resolution * totals[candidate] * degree[node] / total
                if gain > best_gain + min_gain:
                    best, best_gain = candidate, gain
            totals[best] += degree[node]
            if best != current:
                community[node] = best
                moved = improved = True
    return community, improved


def _aggregate(graph: Graph, community: Mapping[int, int]) -> Graph:
    """Phase two: one node per community, the weights between communities summed (inside ones as loops)."""
    merged: Graph = {c: {} for c in set(community.values())}
    for node, links in graph.items():
        a = community[node]
        for other, weight in links.items():
            b = community[other]
            merged[a][b] = merged[a].get(b, 0.0) + weight
    return merged


def _renumber(membership: Sequence[int]) -> list[int]:
    sizes: dict[int, int] = defaultdict(int)
    first: dict[int, int] = {}
    for node, c in enumerate(membership):
        sizes[c] += 1
        first.setdefault(c, node)
    order = {c: n for n, c in enumerate(sorted(sizes, key=lambda c: (-sizes[c], first[c])))}
    return [order[c] for c in membership]


def modularity(n: int, edges: Iterable[tuple[int, int, float]], membership: Sequence[int]) -> float:
    """Newman's modularity of a partition (as networkx computes it, resolution 1)."""
    edges = list(edges)
    degree = [0.0] * n
    inside: dict[int, float] = defaultdict(float)
    for a, b, weight in edges:
        degree[a] += weight
        degree[b] += weight
        if membership[a] == membership[b]:
            inside[membership[a]] += weight
    total = sum(degree) / 2
    if total == 0:
        return 0.0
    by_community: dict[int, float] = defaultdict(float)
    for node, d in enumerate(degree):
        by_community[membership[node]] += d
    return sum(inside[c] / total - (by_community[c] / (2 * total)) ** 2 for c in by_community)


def actor_communities(actors: Sequence[Mapping[str, Any]], relations: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Actor id → community number (0 the largest). Repeated relations between two actors add up."""
    index = {a["id"]: n for n, a in enumerate(actors)}
    edges = [(index[r["source_id"]], index[r["target_id"]], float(r.get("strength") or 1))
             for r in relations if r["source_id"] in index and r["target_id"] in index
             and r["source_id"] != r["target_id"]]
    membership = louvain(len(actors), edges)
    return {a["id"]: membership[n] for n, a in enumerate(actors)}
