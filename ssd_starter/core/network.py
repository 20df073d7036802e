"""Network indicators of the stakeholder map (no Qt): who is central, who bridges, who is alone,
how the actors spread over categories, sectors and municipalities, and which district roles are missing.

Centralities come from networkx on the undirected graph of relations (a tie is a tie, whichever way
it was drawn). A *broker* is an actor whose removal splits a connected group (an articulation
point): it holds together people who otherwise have no tie.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ssd_starter.core.vocabulary import Role


@dataclass(frozen=True)
class ActorScore:
    id: str
    name: str
    degree: int
    degree_centrality: float
    betweenness: float


@dataclass(frozen=True)
class NetworkIndicators:
    actors: int
    relations: int
    density: float
    components: int
    scores: tuple[ActorScore, ...]  # every actor, most central first
    brokers: tuple[str, ...]  # ids, strongest broker first
    isolated: tuple[str, ...]  # ids
    by_category: Mapping[str, int] = field(default_factory=dict)
    by_sector: Mapping[str, int] = field(default_factory=dict)
    by_municipality: Mapping[str, int] = field(default_factory=dict)
    role_coverage: Mapping[str, int] = field(default_factory=dict)  # role → actors holding it
    missing_roles: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "actors": self.actors, "relations": self.relations, "density": self.density,
            "components": self.components,
            "central": [s.__dict__ for s in self.scores[:10]],
            "brokers": list(self.brokers), "isolated": list(self.isolated),
            "by_category": dict(self.by_category), "by_sector": dict(self.by_sector),
            "by_municipality": dict(self.by_municipality), "role_coverage": dict(self.role_coverage),
            "missing_roles": list(self.missing_roles),
        }


def build_graph(actors: Iterable[Mapping[str, Any]], relations: Iterable[Mapping[str, Any]]):  # -> nx.Graph
    import networkx as nx

    graph = nx.Graph()
    for actor in actors:
        graph.add_node(actor["id"], name=actor["name"])
    for relation in relations:
        source, target = relation["source_id"], relation["target_id"]
        if source in graph and target in graph and source != target:
            weight = relation.get("strength", 1)
            if graph.has_edge(source, target):
                graph[source][target]["weight"] += weight
            else:
                graph.add_edge(source, target, weight=weight)
    return graph


def network_indicators(actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]],
                       *, betweenness_sample: int | None = None) -> NetworkIndicators:
    """All indicators at once. ``betweenness_sample`` approximates betweenness on large maps (k pivots)."""
    import networkx as nx

    graph = build_graph(actors, relations)
    n = graph.number_of_nodes()
    degree = dict(graph.degree())
    degree_centrality = nx.degree_centrality(graph) if n > 1 else {node: 0.0 for node in graph}
    k = betweenness_sample if betweenness_sample and betweenness_sample < n else None
    betweenness = nx.betweenness_centrality(graph, k=k, seed=1 if k else None) if n > 2 else {v: 0.0 for v in graph}
    names = {a["id"]: a["name"] for a in actors}
    scores = sorted(
        (ActorScore(node, names[node], degree[node], degree_centrality[node], betweenness[node]) for node in graph),
        key=lambda s: (-s.betweenness, -s.degree, s.name.casefold()))
    brokers = sorted(nx.articulation_points(graph), key=lambda v: (-betweenness[v], names[v].casefold()))
    isolated = sorted((v for v in graph if degree[v] == 0), key=lambda v: names[v].casefold())
    coverage = {role.value: sum(1 for a in actors if role.value in (a.get("roles") or [])) for role in Role}
    return NetworkIndicators(
        actors=n, relations=graph.number_of_edges(), density=nx.density(graph) if n > 1 else 0.0,
        components=nx.number_connected_components(graph) if n else 0,
        scores=tuple(scores), brokers=tuple(brokers), isolated=tuple(isolated),
        by_category=dict(Counter(a["category"] for a in actors).most_common()),
        by_sector=dict(Counter(a["sector"] or "" for a in actors).most_common()),
        by_municipality=dict(Counter(a["municipality"] or "" for a in actors).most_common()),
        role_coverage=coverage,
        missing_roles=tuple(role for role, count in coverage.items() if count == 0),
    )


def quadrant(influence: int, interest: int) -> str:
    """Mendelow's power/interest grid: scores 4–5 count as high, 1–3 as low."""
    high_power, high_interest = influence >= 4, interest >= 4
    if high_power and high_interest:
        return "manage_closely"
    if high_power:
        return "keep_satisfied"
    if high_interest:
        return "keep_informed"
    return "monitor"


def engagement_funnel(actors: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Actors per engagement stage, in the order of the funnel."""
    from ssd_starter.core.vocabulary import Stage

    counts = Counter(a["stage"] for a in actors)
    return {stage.value: counts.get(stage.value, 0) for stage in Stage}
