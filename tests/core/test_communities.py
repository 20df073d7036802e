"""Louvain communities against networkx's on generated graphs: as good a modularity, the planted groups found."""

import random
import time

import networkx as nx
import pytest

from ssd_starter.core.communities import actor_communities, louvain, modularity


def planted(groups, size, p_in, p_out, seed):
    graph = nx.planted_partition_graph(groups, size, p_in, p_out, seed=seed)
    return graph.number_of_nodes(), [(a, b, 1.0) for a, b in graph.edges()]


@pytest.mark.parametrize("seed", range(4))
def test_modularity_as_good_as_networkx(seed):
    n, edges = planted(5, 30, 0.3, 0.01, seed)
    ours = louvain(n, edges)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(edges)
    reference = nx.community.louvain_communities(graph, seed=seed)
    theirs = nx.community.modularity(graph, reference)
    mine = modularity(n, edges, ours)
    assert mine == pytest.approx(nx.community.modularity(graph, _as_sets(ours)), abs=1e-9)
    assert mine >= theirs - 0.02
    assert len(set(ours)) == 5  # the five planted groups


def _as_sets(membership):
    groups = {}
    for node, group in enumerate(membership):
        groups.setdefault(group, set()).add(node)
    return list(groups.values())


def test_numbered_largest_first_and_deterministic():
    actors = [{"id": f"a{i}"} for i in range(9)]
    relations = [{"source_id": f"a{a}", "target_id": f"a{b}", "strength": 2} for a, b in
                 [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (4, 5), (3, 5), (5, 6), (6, 7), (7, 3)]]
    first = actor_communities(actors, relations)
    assert first == actor_communities(actors, list(reversed(relations)))
    sizes = [sum(1 for c in first.values() if c == k) for k in sorted(set(first.values()))]
    assert sizes == sorted(sizes, reverse=True)
    assert first["a8"] != first["a0"]  # alone, its own group


def test_five_thousand_actors_in_seconds():
    rng = random.Random(1)
    n, edges = 5000, []
    for _ in range(20000):
        a = rng.randrange(n)
        b = (a // 50) * 50 + rng.randrange(50) if rng.random() < 0.8 else rng.randrange(n)
        if a != b:
            edges.append((a, b, 1.0))
    started = time.perf_counter()
    membership = louvain(n, edges)
    assert time.perf_counter() - started < 20
    assert 50 <= len(set(membership)) <= 400
