"""Network indicators of the stakeholder map (no Qt): who is central, who bridges, who is alone,
how the actors spread over categories, sectors and municipalities, and which district roles are missing.

Centralities come from rustworkx on the undirected graph of relations (a tie is a tie, whichever way
it was drawn). A *broker* is an actor whose removal splits a connected group (an articulation
point): it holds together people who otherwise have no tie.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ssd_starter.core.vocabulary import Role
from ssd_starter.i18n import N_


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
    relations: int  # relation records between two actors, as lists and exports count them
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
    # how betweenness was found: exact, or estimated from some actors as starting points (core.centrality)
    betweenness_exact: bool = True
    betweenness_sources: int = 0
    betweenness_error: float = 0.0  # relative standard error of the ten highest values
    pairs: int = 0  # pairs of actors tied by at least one relation: what the graph (and its density) counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "actors": self.actors, "relations": self.relations, "pairs": self.pairs, "density": self.density,
            "components": self.components,
            "central": [s.__dict__ for s in self.scores[:10]], "central_by": "betweenness",
            "betweenness_exact": self.betweenness_exact, "betweenness_sources": self.betweenness_sources,
            "betweenness_error": self.betweenness_error,
            "brokers": list(self.brokers), "isolated": list(self.isolated),
            "by_category": dict(self.by_category), "by_sector": dict(self.by_sector),
            "by_municipality": dict(self.by_municipality), "role_coverage": dict(self.role_coverage),
            "missing_roles": list(self.missing_roles),
        }


def build_graph(actors: Iterable[Mapping[str, Any]], relations: Iterable[Mapping[str, Any]]):
    """An undirected rustworkx graph (node payload: actor id) and the index of each id."""
    import rustworkx as rx

    graph = rx.PyGraph(multigraph=False)
    index = {actor["id"]: graph.add_node(actor["id"]) for actor in actors}
    for relation in relations:
        source, target = index.get(relation["source_id"]), index.get(relation["target_id"])
        if source is not None and target is not None and source != target:
            graph.add_edge(source, target, relation.get("strength", 1))  # a repeated tie keeps one edge
    return graph, index


def network_indicators(actors: list[Mapping[str, Any]], relations: list[Mapping[str, Any]]) -> NetworkIndicators:
    """All indicators at once. rustworkx, not networkx: betweenness of 2,000 actors takes 0.2 s instead of 5 s;
    above that it is estimated (core.centrality), and the result says so and how closely."""
    import rustworkx as rx

    from ssd_starter.core.centrality import betweenness as betweenness_of

    graph, index = build_graph(actors, relations)
    n = graph.num_nodes()
    names = {a["id"]: a["name"] for a in actors}
    degree = {actor_id: graph.degree(i) for actor_id, i in index.items()}
    estimate = betweenness_of(n, list(graph.edge_list()))
    betweenness = {actor_id: float(estimate.values[i]) for actor_id, i in index.items()}
    scale = 1 / (n - 1) if n > 1 else 0.0
    scores = sorted(
        (ActorScore(a, names[a], degree[a], degree[a] * scale, betweenness[a]) for a in index),
        key=lambda s: (-s.betweenness, -s.degree, s.name.casefold()))
    ids = {i: actor_id for actor_id, i in index.items()}
    brokers = sorted((ids[i] for i in rx.articulation_points(graph)),
                     key=lambda a: (-betweenness[a], names[a].casefold()))
    isolated = sorted((a for a in index if degree[a] == 0), key=lambda a: names[a].casefold())
    coverage = {role.value: sum(1 for a in actors if role.value in (a.get("roles") or [])) for role in Role}
    edges = graph.num_edges()
    records = sum(1 for r in relations if r["source_id"] in index and r["target_id"] in index
                  and r["source_id"] != r["target_id"])
    return NetworkIndicators(
        actors=n, relations=records, pairs=edges, density=(2 * edges / (n * (n - 1))) if n > 1 else 0.0,
        components=rx.number_connected_components(graph) if n else 0,
        scores=tuple(scores), brokers=tuple(brokers), isolated=tuple(isolated),
        by_category=dict(Counter(a["category"] for a in actors).most_common()),
        by_sector=dict(Counter(a["sector"] or "" for a in actors).most_common()),
        by_municipality=dict(Counter(a["municipality"] or "" for a in actors).most_common()),
        role_coverage=coverage,
        missing_roles=tuple(role for role, count in coverage.items() if count == 0),
        betweenness_exact=estimate.exact, betweenness_sources=estimate.sources,
        betweenness_error=estimate.relative_error,
    )


def betweenness_note(result: NetworkIndicators) -> str:
    """How sure the ranking by betweenness is: nothing to say when exact; the sample and its error when not."""
    from ssd_starter.i18n import format_number, format_percent, ngettext

    if result.betweenness_exact:
        return ""
    return ngettext("Betweenness estimated from {sources} of {actors} actor as starting points: the ten highest "
                    "values are within about ±{error} (one standard error).",
                    "Betweenness estimated from {sources} of {actors} actors as starting points: the ten highest "
                    "values are within about ±{error} (one standard error).", result.actors).format(
        sources=format_number(result.betweenness_sources), actors=format_number(result.actors),
        error=format_percent(result.betweenness_error))


QUADRANT_NAMES = {"manage_closely": N_("Manage closely"), "keep_satisfied": N_("Keep satisfied"),
                  "keep_informed": N_("Keep informed"), "monitor": N_("Monitor")}
QUADRANT_HEX = {"manage_closely": "#fde7e4", "keep_satisfied": "#fff3d6", "keep_informed": "#e3f1e6",
                "monitor": "#eef0f3"}


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
