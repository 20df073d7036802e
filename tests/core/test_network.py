"""Network indicators against small maps worked out by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssd_starter.core.network import engagement_funnel, network_indicators, quadrant


def actor(id_, category="cooperative", roles=(), sector=None, municipality="Trento", stage="identified"):
    return {"id": id_, "name": id_.upper(), "category": category, "roles": list(roles), "sector": sector,
            "municipality": municipality, "stage": stage}


def tie(a, b, strength=1):
    return {"source_id": a, "target_id": b, "strength": strength}


def test_two_groups_joined_by_one_broker():
    # a-b-c triangle, c-d, d-e-f triangle: c and d are the only bridge, g is alone.
    actors = [actor(x) for x in "abcdefg"]
    relations = [tie("a", "b"), tie("b", "c"), tie("a", "c"), tie("c", "d"), tie("d", "e"), tie("e", "f"),
                 tie("d", "f")]
    result = network_indicators(actors, relations)
    assert (result.actors, result.relations, result.components) == (7, 7, 2)
    assert set(result.brokers) == {"c", "d"}
    assert result.isolated == ("g",)
    # betweenness of c: pairs (a|b) x (d|e|f) = 6 shortest paths all through c, normalised by (n-1)(n-2)/2 = 15
    top = result.scores[0]
    assert top.id in ("c", "d") and top.betweenness == pytest.approx(6 / 15)
    assert result.density == pytest.approx(7 / 21)


def test_role_coverage_names_the_gaps():
    actors = [actor("a", roles=["producer", "consumer"]), actor("b", roles=["producer"]), actor("c")]
    result = network_indicators(actors, [])
    assert result.role_coverage["producer"] == 2 and result.role_coverage["consumer"] == 1
    assert set(result.missing_roles) == {"distributor", "financer", "trainer", "job_placement"}


def test_shares_by_category_sector_and_municipality():
    actors = [actor("a", "producer", sector="fair_trade", municipality="Ala"),
              actor("b", "producer", municipality="Ala"), actor("c", "public_body", municipality="Arco")]
    result = network_indicators(actors, [])
    assert result.by_category == {"producer": 2, "public_body": 1}
    assert result.by_municipality == {"Ala": 2, "Arco": 1}
    assert result.by_sector == {"": 2, "fair_trade": 1}


def test_relations_to_unknown_or_self_are_ignored():
    result = network_indicators([actor("a"), actor("b")], [tie("a", "a"), tie("a", "zz"), tie("a", "b"), tie("b", "a")])
    # two relations (one each way, as the lists show them) tie one pair of actors: the graph has one edge
    assert (result.relations, result.pairs) == (2, 1)
    assert result.density == pytest.approx(1.0)


@pytest.mark.parametrize("influence, interest, expected", [
    (5, 5, "manage_closely"), (4, 1, "keep_satisfied"), (2, 4, "keep_informed"), (3, 3, "monitor")])
def test_power_interest_quadrants(influence, interest, expected):
    assert quadrant(influence, interest) == expected


def test_funnel_counts_every_stage_in_order():
    funnel = engagement_funnel([actor("a", stage="member"), actor("b", stage="member"), actor("c")])
    assert list(funnel) == ["identified", "contacted", "engaged", "member", "signatory"]
    assert funnel == {"identified": 1, "contacted": 0, "engaged": 0, "member": 2, "signatory": 0}


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 25), edges=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=80))
def test_indicators_stay_in_range(n, edges):
    actors = [actor(f"n{i}") for i in range(n)]
    relations = [tie(f"n{a}", f"n{b}") for a, b in edges if a < n and b < n]
    result = network_indicators(actors, relations)
    assert result.actors == n and 0 <= result.density <= 1
    assert all(0 <= s.betweenness <= 1 and 0 <= s.degree_centrality <= 1 for s in result.scores)
    assert set(result.isolated) <= {a["id"] for a in actors}
    assert sum(result.by_category.values()) == n
