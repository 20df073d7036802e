"""Betweenness centrality that scales: exact with rustworkx's parallel Brandes while the map is small enough,
estimated from a sample of starting points above that (Brandes & Pich 2007), with its error stated.

Exact betweenness costs about n·(n + m): 0.2 s for 2,000 actors, 3 s for 5,000, 36 s for 20,000 on this
project's 2-core machines. Above ``EXACT_WORK`` the shortest paths are counted from ``k`` actors drawn at
random (the same draw every time: a seed), each actor's dependency on them summed and scaled by n/k: an
unbiased estimate whose standard error is measured from the sample itself and reported, so the ranking can
say how sure it is. The breadth-first searches and the dependency sums run in numpy, one level at a time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

EXACT_WORK = 25_000_000
"""n·(n + m) up to which betweenness is exact (about half a second with rustworkx here)."""
SAMPLED_WORK = 20_000_000
"""k·(n + m) spent on an estimate: about a second at any size."""
MIN_SOURCES = 64


@dataclass(frozen=True)
class Betweenness:
    values: np.ndarray  # normalised as networkx and rustworkx do for an undirected graph
    exact: bool
    sources: int  # starting points counted (n when exact)
    relative_error: float  # standard error of the ten highest values, relative to them (0.0 when exact)


def betweenness(n: int, edges: Sequence[tuple[int, int]], *, seed: int = 11,
                exact_work: int = EXACT_WORK, sampled_work: int = SAMPLED_WORK) -> Betweenness:
    """Betweenness of nodes 0…n−1 of the undirected simple graph ``edges``."""
    m = len(edges)
    if n < 3:
        return Betweenness(np.zeros(n), True, n, 0.0)
    if n * (n + m) <= exact_work:
        return Betweenness(_exact(n, edges), True, n, 0.0)
    k = int(min(n, max(MIN_SOURCES, sampled_work // (n + m))))
    return sampled_betweenness(n, edges, k, seed=seed)


def _exact(n: int, edges: Sequence[tuple[int, int]]) -> np.ndarray:
    import rustworkx as rx

    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    graph.extend_from_edge_list(list(edges))
    result = rx.betweenness_centrality(graph, normalized=True)
    values = np.zeros(n)
    for i, value in result.items():
        values[i] = value
    return values


def adjacency(n: int, edges: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Compressed rows (indptr, indices) of the undirected graph, each edge both ways."""
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    heads = np.concatenate((pairs[:, 0], pairs[:, 1]))
    tails = np.concatenate((pairs[:, 1], pairs[:, 0]))
    order = np.argsort(heads, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=n), out=indptr[1:])
    return indptr, tails[order]


def dependencies(indptr: np.ndarray, indices: np.ndarray, source: int) -> np.ndarray:
    """Brandes' δ_s(v) for one source: Σ_t σ_st(v)/σ_st, level by level (every arc of a level at once)."""
    n = len(indptr) - 1
    distance = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n)
    distance[source], sigma[source] = 0, 1.0
    frontier = np.array([source], dtype=np.int64)
    levels: list[tuple[np.ndarray, np.ndarray]] = []  # (parent, child) arcs of shortest paths, per level
    depth = 0
    while len(frontier):
        starts, counts = indptr[frontier], indptr[frontier + 1] - indptr[frontier]
        total = int(counts.sum())
        if total == 0:
            break
        parents = np.repeat(frontier, counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        children = indices[np.repeat(starts, counts) + offsets]
        unseen = distance[children] == -1
        distance[children[unseen]] = depth + 1
        on_path = distance[children] == depth + 1
        parents, children = parents[on_path], children[on_path]
        sigma += np.bincount(children, weights=sigma[parents], minlength=n)
        levels.append((parents, children))
        frontier = np.flatnonzero(distance == depth + 1)  # O(n), quicker than sorting the children
        depth += 1
    delta = np.zeros(n)
    for parents, children in reversed(levels):
        delta += np.bincount(parents, weights=sigma[parents] / sigma[children] * (1.0 + delta[children]),
                             minlength=n)
    delta[source] = 0.0
    return delta


def sampled_betweenness(n: int, edges: Sequence[tuple[int, int]], k: int, *, seed: int = 11) -> Betweenness:
    """The estimate from ``k`` starting points drawn without replacement; k = n gives the exact value."""
    indptr, indices = adjacency(n, edges)
    sources = np.random.default_rng(seed).choice(n, size=min(k, n), replace=False)
    total, squares = np.zeros(n), np.zeros(n)
    for source in sources.tolist():
        delta = dependencies(indptr, indices, source)
        total += delta
        squares += delta * delta
    k = len(sources)
    scale = 1.0 / ((n - 1) * (n - 2))  # Σ_s δ_s(v) over all n sources, normalised as rustworkx does
    values = total * (n / k) * scale
    if k >= n:
        return Betweenness(values, True, n, 0.0)
    mean = total / k
    variance = np.maximum(squares / k - mean * mean, 0.0) * k / max(k - 1, 1)
    # standard error of n·mean, with the finite-population correction of drawing without replacement
    error = n * np.sqrt(variance / k * (1 - k / n)) * scale
    top = np.argsort(-values)[:10]
    top = top[values[top] > 0]
    relative = float(np.median(error[top] / values[top])) if len(top) else 0.0
    return Betweenness(values, False, k, relative if math.isfinite(relative) else 0.0)
