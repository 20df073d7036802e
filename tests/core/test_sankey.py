"""Sankey layout of the flows: conservation, geometry, Outside/Other nodes, ordering, and the PDF drawing."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssd_starter.core import sankey
from ssd_starter.core.sankey import (
    BOUNDARY_COLOURS,
    KIND_COLOURS,
    OTHER,
    OUTSIDE,
    band_path,
    label_positions,
    node_key,
    sankey_layout,
)
from ssd_starter.core.vocabulary import Category, FlowKind
from ssd_starter.i18n import set_language

EPS = 1e-6


def actor(actor_id, name=None, category="cooperative"):
    return {"id": actor_id, "name": name or f"Actor {actor_id}", "category": category}


def flow(source, target, value=100.0, kind="goods"):
    return {"id": f"{source}-{target}-{kind}-{value}", "source_id": source, "target_id": target, "kind": kind,
            "value_eur": value, "quantity": 1.0, "unit": "kg", "description": ""}


ACTORS = [actor("a", "Cascina Aurora", "producer"), actor("b", "Bottega Equa", "cooperative"),
          actor("c", "Comune", "public_body")]
FLOWS = [flow("a", "b", 100), flow("b", "a", 50, "money"), flow("a", None, 30), flow(None, "c", 20, "money"),
         flow("c", "b", 10, "services")]


def columns(layout):
    return [layout.column(c) for c in range(layout.columns)]


def scale(layout):
    """Layout units per euro, read off the biggest node (always above the minimum height)."""
    biggest = max(layout.nodes, key=lambda node: node.value)
    return (biggest.y1 - biggest.y0) / biggest.value


def check_invariants(layout, max_nodes=24):
    """Everything a correct layout must satisfy, whatever the data."""
    if not layout.nodes:
        assert layout.links == () and layout.total == 0
        return
    k = scale(layout)
    bumped = set()
    for c, column in enumerate(columns(layout)):
        assert 0 < len(column) <= max_nodes
        assert len({node.x0 for node in column}) == 1
        for node in column:
            assert -EPS <= node.x0 < node.x1 <= layout.width + EPS
            assert -EPS <= node.y0 < node.y1 <= layout.height + EPS
            assert node.value > 0 and node.members >= 1
            height = node.y1 - node.y0
            assert height >= node.value * k * (1 - 1e-9) - EPS
            if height > node.value * k * (1 + 1e-9) + EPS:  # raised to the minimum height
                bumped.add(round(height, 6))
        for upper, lower in zip(column, column[1:], strict=False):
            assert upper.y1 <= lower.y0 + EPS, (upper, lower)
        outside = [node for node in column if node.outside]
        assert len(outside) <= 1
        if outside:
            assert column[-1] is outside[0] and outside[0].key == node_key(c, OUTSIDE)
        others = [node for node in column if node.key == node_key(c, OTHER)]
        if others:
            assert others[0].members >= 2
            assert column.index(others[0]) == len(column) - 1 - len(outside)
    assert len(bumped) <= 1  # every node raised to the minimum gets the same height
    if layout.columns > 1:
        first, second = columns(layout)[:2]
        assert first[0].x1 < second[0].x0
    for link in layout.links:
        source, target = layout.node(link.source), layout.node(link.target)
        assert target.column == source.column + 1
        assert link.value > 0
        assert link.sy1 - link.sy0 == pytest.approx(link.value * k, rel=1e-9, abs=EPS)
        assert link.ty1 - link.ty0 == pytest.approx(link.value * k, rel=1e-9, abs=EPS)
        assert source.y0 - EPS <= link.sy0 and link.sy1 <= source.y1 + EPS
        assert target.y0 - EPS <= link.ty0 and link.ty1 <= target.y1 + EPS
        assert (link.x0, link.x1) == (source.x1, target.x0)
        expected = "entering" if source.outside else "leaving" if target.outside else "inside"
        assert link.boundary == expected
        assert not (source.outside and target.outside)
    assert len({(link.source, link.target, link.kind) for link in layout.links}) == len(layout.links)
    for node in layout.nodes:
        out = sorted((link for link in layout.links if link.source == node.key), key=lambda link: link.sy0)
        into = sorted((link for link in layout.links if link.target == node.key), key=lambda link: link.ty0)
        if node.column < layout.columns - 1:
            assert math.fsum(link.value for link in out) == pytest.approx(node.value, rel=1e-9)
        if node.column > 0:
            assert math.fsum(link.value for link in into) == pytest.approx(node.value, rel=1e-9)
        for upper, lower in zip(out, out[1:], strict=False):
            assert upper.sy1 <= lower.sy0 + EPS
        for upper, lower in zip(into, into[1:], strict=False):
            assert upper.ty1 <= lower.ty0 + EPS
    assert layout.total == pytest.approx(math.fsum(node.value for node in columns(layout)[0]), rel=1e-9)


def test_small_district_values_and_conservation():
    layout = sankey_layout(ACTORS, FLOWS)
    check_invariants(layout)
    values = {node.key: node.value for node in layout.nodes}
    assert values == {"0:a": 130, "0:b": 50, "0:c": 10, "0:*outside": 20,
                      "1:b": 110, "1:a": 50, "1:c": 20, "1:*outside": 30}
    assert layout.total == 210 and layout.dropped == 0
    assert layout.node("0:a").label == "Cascina Aurora"
    assert layout.node("1:a").label == "Cascina Aurora"  # the same actor on both sides
    assert layout.node("0:*outside").label == "Outside the district"


def test_node_height_is_proportional_to_value():
    layout = sankey_layout(ACTORS, FLOWS, min_node_height=0)
    ratios = {round((node.y1 - node.y0) / node.value, 9) for node in layout.nodes}
    assert len(ratios) == 1


def test_the_tallest_column_fills_the_height_the_other_is_centred():
    layout = sankey_layout(ACTORS, [flow("a", "b", 100), flow("c", "b", 50)], height=400, gap=10)
    left, right = columns(layout)
    assert (left[0].y0, left[-1].y1) == (pytest.approx(0), pytest.approx(400))
    assert len(right) == 1 and right[0].y0 == pytest.approx(5)  # one gap shorter: half of it above
    assert right[0].y1 == pytest.approx(395)


def test_boundaries():
    layout = sankey_layout(ACTORS, FLOWS)
    boundary = {(link.source, link.target): link.boundary for link in layout.links}
    assert boundary == {("0:a", "1:b"): "inside", ("0:b", "1:a"): "inside", ("0:a", "1:*outside"): "leaving",
                        ("0:*outside", "1:c"): "entering", ("0:c", "1:b"): "inside"}


def test_unknown_ids_count_as_outside():
    layout = sankey_layout(ACTORS, [flow("ghost", "a", 40), flow("b", "deleted", 15)])
    assert {(link.source, link.target, link.boundary) for link in layout.links} == {
        ("0:*outside", "1:a", "entering"), ("0:b", "1:*outside", "leaving")}


def test_outside_comes_last_even_when_it_is_the_biggest():
    flows = [flow(None, "a", 1000), flow(None, "b", 900), flow("c", "a", 5), flow("a", None, 800), flow("b", "c", 3)]
    layout = sankey_layout(ACTORS, flows)
    for column in columns(layout):
        assert column[-1].outside and column[-1].ident == OUTSIDE
        assert not any(node.outside for node in column[:-1])


def test_parallel_flows_are_aggregated_by_kind():
    flows = [flow("a", "b", 100), flow("a", "b", 50), flow("a", "b", 10, "money"), flow("a", "b", 5, "money")]
    layout = sankey_layout(ACTORS, flows)
    assert sorted((link.kind, link.value) for link in layout.links) == [("goods", 150), ("money", 15)]
    goods, money = sorted(layout.links, key=lambda link: link.kind)
    assert goods.sy1 <= money.sy0 and goods.ty1 <= money.ty0  # stacked in the kinds' order at both ends


def test_crowded_column_merges_the_smallest_into_other():
    actors = [actor(f"p{i:02}") for i in range(30)] + [actor("hub")]
    flows = [flow(f"p{i:02}", "hub", 10.0 + i) for i in range(30)] + [flow(None, "hub", 7)]
    layout = sankey_layout(actors, flows, max_nodes=5)
    check_invariants(layout, max_nodes=5)
    left = layout.column(0)
    assert [node.ident for node in left][:3] == ["p29", "p28", "p27"]
    other = layout.node("0:*other")
    assert other.members == 27 and other.label == "Other actors (27)"
    assert other.value == pytest.approx(sum(10.0 + i for i in range(27)))
    assert [node.ident for node in left][-2:] == [OTHER, OUTSIDE]
    assert layout.total == pytest.approx(sum(10.0 + i for i in range(30)) + 7)
    assert all(node.members == 1 for node in layout.nodes if node.ident != OTHER)


def test_no_merging_when_the_column_fits():
    actors = [actor(f"p{i}") for i in range(5)] + [actor("hub")]
    layout = sankey_layout(actors, [flow(f"p{i}", "hub", 10 + i) for i in range(5)], max_nodes=5)
    assert len(layout.column(0)) == 5 and not any(node.ident == OTHER for node in layout.nodes)


def test_other_links_are_aggregated_too():
    actors = [actor(f"p{i}") for i in range(6)] + [actor("hub")]
    flows = [flow(f"p{i}", "hub", 10 + i) for i in range(6)]
    layout = sankey_layout(actors, flows, max_nodes=3)
    from_other = [link for link in layout.links if link.source == "0:*other"]
    assert len(from_other) == 1 and from_other[0].value == pytest.approx(10 + 11 + 12 + 13)


def test_kinds_filter():
    layout = sankey_layout(ACTORS, FLOWS, kinds={"money"})
    assert {link.kind for link in layout.links} == {"money"}
    assert layout.total == 70
    assert layout.dropped == 0
    assert sankey_layout(ACTORS, FLOWS, kinds=[FlowKind.SERVICES]).total == 10
    assert sankey_layout(ACTORS, FLOWS, kinds=()).nodes == ()


def test_flows_that_cannot_be_drawn_are_dropped_and_counted():
    flows = [*FLOWS, flow("a", "b", 0), flow("b", "c", 0.0, "money"), flow(None, None, 99), flow("x", "y", 5),
             {**flow("a", "c"), "value_eur": None}]
    layout = sankey_layout(ACTORS, flows)
    assert layout.dropped == 5
    assert layout.total == 210
    assert sankey_layout(ACTORS, flows, kinds={"money"}).dropped == 1  # filtered-out flows are not "dropped"


def test_kind_mode_has_three_columns():
    layout = sankey_layout(ACTORS, FLOWS, mode="kind")
    check_invariants(layout)
    assert layout.columns == 3
    middle = layout.column(1)
    assert {node.label for node in middle} == {FlowKind.GOODS.label, FlowKind.MONEY.label, FlowKind.SERVICES.label}
    assert layout.node("1:goods").value == 130
    assert layout.node("0:producer").label == Category.PRODUCER.label
    assert layout.column(0)[-1].outside and layout.column(2)[-1].outside
    assert not any(node.outside for node in middle)
    assert sankey.node_colour(layout, layout.node("1:goods")) == KIND_COLOURS["goods"]


def test_category_mode_groups_actors():
    actors = [*ACTORS, actor("d", "Second coop", "cooperative")]
    flows = [flow("a", "b", 100), flow("a", "d", 40), flow("d", "c", 25)]
    layout = sankey_layout(actors, flows, mode="category")
    check_invariants(layout)
    assert layout.node("1:cooperative").value == 140
    assert layout.node("1:cooperative").label == "Cooperative"
    assert {node.key for node in layout.nodes} == {"0:producer", "0:cooperative", "1:cooperative", "1:public_body"}


def test_labels_follow_the_language_at_layout_time():
    set_language("it")
    layout = sankey_layout(ACTORS, FLOWS, mode="category")
    assert layout.node("0:producer").label == Category.PRODUCER.label != "Producer"


def test_same_input_same_layout_whatever_the_order():
    rng = random.Random(5)
    actors, flows = random_district(rng, 40, 200)
    first = sankey_layout(actors, flows, mode="actor", max_nodes=12)
    assert sankey_layout(actors, flows, mode="actor", max_nodes=12) == first
    shuffled = flows[:]
    rng.shuffle(shuffled)
    assert sankey_layout(list(reversed(actors)), shuffled, mode="actor", max_nodes=12) == first


def test_sweeps_remove_crossings_the_value_order_makes():
    actors = [actor(i) for i in "ABCDXYZ"]
    flows = [flow("A", "Z", 100), flow("B", "Y", 90), flow("C", "X", 80), flow("D", "X", 50)]
    layout = sankey_layout(actors, flows)
    assert [node.ident for node in layout.column(1)] == ["Z", "Y", "X"]  # value order would be X, Z, Y
    assert weighted_crossings(layout) == 0


def test_sweeps_never_make_it_worse(monkeypatch):
    actors, flows = random_district(random.Random(11), 40, 200)
    swept = weighted_crossings(sankey_layout(actors, flows, max_nodes=12))
    monkeypatch.setattr(sankey, "SWEEPS", 0)
    by_value = weighted_crossings(sankey_layout(actors, flows, max_nodes=12))
    assert swept < by_value


def test_links_are_stacked_in_the_order_of_the_other_end():
    layout = sankey_layout(ACTORS, [flow("a", "c", 10), flow("a", "b", 20), flow("a", None, 5)])
    out = sorted((link for link in layout.links if link.source == "0:a"), key=lambda link: link.sy0)
    assert [layout.node(link.target).y0 for link in out] == sorted(layout.node(link.target).y0 for link in out)


def test_tiny_nodes_keep_a_minimum_height():
    layout = sankey_layout(ACTORS, [flow("a", "b", 1_000_000), flow("c", "b", 1)], min_node_height=3)
    assert layout.node("0:c").y1 - layout.node("0:c").y0 == pytest.approx(3)
    link = next(link for link in layout.links if link.source == "0:c")
    assert 0 < link.sy1 - link.sy0 < 0.01
    tiny = layout.node("0:c")
    assert (link.sy0 + link.sy1) / 2 == pytest.approx((tiny.y0 + tiny.y1) / 2)  # centred on its node


def test_small_pictures_still_fit():
    actors, flows = random_district(random.Random(2), 60, 200)
    layout = sankey_layout(actors, flows, width=200, height=40, label_space=300)
    check_invariants(layout)


def test_band_path_runs_from_the_source_edge_to_the_target_edge():
    link = sankey_layout(ACTORS, [flow("a", "b", 10), flow("c", "b", 30)]).links[0]
    path = band_path(link)
    assert path[0] == ("M", link.x0, link.sy0)
    assert path[1][0] == "C" and path[1][-2:] == (link.x1, link.ty0)
    assert path[1][2] == link.sy0 and path[1][4] == link.ty0  # horizontal tangents at both nodes
    assert path[2] == ("L", link.x1, link.ty1)
    assert path[3][0] == "C" and path[3][-2:] == (link.x0, link.sy1)
    assert path[-1] == ("Z",)
    assert link.x0 < link.x1


def test_empty_input_gives_an_empty_layout():
    layout = sankey_layout(ACTORS, [])
    assert (layout.nodes, layout.links, layout.total, layout.dropped, layout.columns) == ((), (), 0, 0, 0)
    assert sankey_layout([], [flow("a", "b", 0)]).dropped == 1
    assert label_positions(layout, 10) == {}


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        sankey_layout(ACTORS, FLOWS, mode="circle")
    with pytest.raises(ValueError):
        sankey_layout(ACTORS, FLOWS, max_nodes=1)
    with pytest.raises(ValueError):
        sankey_layout(ACTORS, FLOWS, width=20)


def test_labels_do_not_overlap_and_stay_on_the_sides():
    actors, flows = random_district(random.Random(8), 60, 200)
    layout = sankey_layout(actors, flows, mode="kind")
    line = 9.0
    positions = label_positions(layout, line)
    assert set(positions) == {node.key for node in layout.nodes}
    for column in columns(layout):
        ys = [positions[node.key][1] for node in column]
        assert all(b - a >= line - EPS for a, b in zip(ys, ys[1:], strict=False))
        assert line / 2 - EPS <= ys[0] and ys[-1] <= layout.height - line / 2 + EPS
        for node in column:
            x, _y, anchor, room = positions[node.key]
            if node.column == 0:
                assert (anchor, x) == ("end", node.x0 - sankey.LABEL_PAD) and room == pytest.approx(x)
            else:
                assert anchor == "start" and x > node.x1
            assert room > 0


def test_colours():
    assert set(KIND_COLOURS) == {kind.value for kind in FlowKind}
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)
    assert set(BOUNDARY_COLOURS) == {"inside", "leaving", "entering"}
    link = sankey_layout(ACTORS, [flow("a", None, 5, "money")]).links[0]
    assert sankey.link_colour(link, "kind") == KIND_COLOURS["money"]
    assert sankey.link_colour(link, "boundary") == BOUNDARY_COLOURS["leaving"]


# -- the PDF drawing --

def test_pdf_has_one_page_with_the_labels(tmp_path):
    from pypdf import PdfReader

    from ssd_starter.export.sankey import write_sankey_pdf

    layout = sankey_layout(ACTORS, FLOWS, width=500, height=300, label_space=110)
    path = write_sankey_pdf(layout, tmp_path / "out" / "flows.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Cascina Aurora" in text and "Outside the district" in text
    assert "Goods" in text  # the legend
    assert list((tmp_path / "out").iterdir()) == [path]  # no temporary file left behind


def test_drawing_has_a_band_per_link_and_a_box_per_node():
    from reportlab.graphics.shapes import Path, Rect, String

    from ssd_starter.export.sankey import sankey_drawing

    layout = sankey_layout(ACTORS, FLOWS, width=500, height=300, label_space=110)
    drawing = sankey_drawing(layout, colour_by="boundary")
    paths = [shape for shape in drawing.contents if isinstance(shape, Path)]
    assert len(paths) == len(layout.links)
    assert all(0 < path.fillOpacity < 1 for path in paths)
    assert len([shape for shape in drawing.contents if isinstance(shape, Rect)]) >= len(layout.nodes)
    texts = [shape.text for shape in drawing.contents if isinstance(shape, String)]
    assert "Leaving the district" in texts and "Goods" not in texts
    # y flipped: a node lower in the layout is lower on paper, by the same distance
    upper, lower = layout.column(0)[:2]
    tops = {rect.y + rect.height for rect in drawing.contents if isinstance(rect, Rect) and rect.x == upper.x0}
    assert len(tops) == len(layout.column(0))
    paper_top = max(tops)
    assert any(t == pytest.approx(paper_top - (lower.y0 - upper.y0)) for t in tops)
    assert drawing.height > layout.height
    with pytest.raises(ValueError):
        sankey_drawing(layout, colour_by="size")


def test_long_names_are_cut_to_fit():
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from ssd_starter.export.sankey import sankey_drawing

    name = "Consorzio di cooperative sociali per l'inserimento lavorativo " * 3 + "Trentino"
    actors = [actor("a", name), actor("b")]
    layout = sankey_layout(actors, [flow("a", "b", 10)], width=400, height=200, label_space=100)
    texts = [shape.text for shape in sankey_drawing(layout).contents if isinstance(shape, String)]
    first = texts.index(next(t for t in texts if t.startswith("Consorzio")))
    lines = texts[first:first + 2]  # by actor: two lines, the amount after the last
    assert lines[1].endswith("10") and "…" in "".join(lines) and "Trentino" in lines[1]  # its end is kept
    assert all(stringWidth(line, "Helvetica", 7) <= 100 for line in lines)


def test_empty_layout_still_draws(tmp_path):
    from pypdf import PdfReader

    from ssd_starter.export.sankey import write_sankey_pdf

    layout = sankey_layout(ACTORS, [flow("a", "b", 0)])
    text = PdfReader(write_sankey_pdf(layout, tmp_path / "empty.pdf")).pages[0].extract_text()
    assert "No flows with a value to show." in text and "1 flow without a value" in text


# -- properties --

KIND_VALUES = [kind.value for kind in FlowKind]


def random_district(rng, n_actors, n_flows):
    categories = [category.value for category in Category]
    actors = [actor(f"x{i}", f"Actor {i}", rng.choice(categories)) for i in range(n_actors)]
    ends = [a["id"] for a in actors] + [None, "stranger"]
    flows = [flow(rng.choice(ends), rng.choice(ends), rng.choice([0.0, round(rng.lognormvariate(7, 2), 2)]),
                  rng.choice(KIND_VALUES)) | {"id": f"f{n}"} for n in range(n_flows)]
    return actors, flows


def weighted_crossings(layout):
    """Σ w·w' over pairs of bands that cross, read off the geometry."""
    total = 0.0
    links = layout.links
    for i, one in enumerate(links):
        for other in links[i + 1:]:
            if layout.node(one.source).column != layout.node(other.source).column:
                continue
            if (one.sy0 - other.sy0) * (one.ty0 - other.ty0) < 0:
                total += one.value * other.value
    return total


@settings(max_examples=150, deadline=None)
@given(data=st.data(), n_actors=st.integers(1, 30), mode=st.sampled_from(sankey.MODES),
       max_nodes=st.integers(2, 12), height=st.floats(30, 1200), width=st.floats(300, 1600),
       kinds=st.none() | st.sets(st.sampled_from(KIND_VALUES)))
def test_random_flows_keep_every_invariant(data, n_actors, mode, max_nodes, height, width, kinds):
    ends = [f"x{i}" for i in range(n_actors)] + [None, "stranger"]
    categories = [category.value for category in Category]
    actors = [actor(f"x{i}", category=data.draw(st.sampled_from(categories))) for i in range(n_actors)]
    flows = data.draw(st.lists(st.builds(
        flow, st.sampled_from(ends), st.sampled_from(ends),
        st.just(0.0) | st.floats(0.01, 1e7, allow_nan=False), st.sampled_from(KIND_VALUES)), max_size=200))
    layout = sankey_layout(actors, flows, mode=mode, max_nodes=max_nodes, height=height, width=width, kinds=kinds)
    check_invariants(layout, max_nodes=max_nodes)
    chosen = [f for f in flows if kinds is None or f["kind"] in kinds]
    inside = {a["id"] for a in actors}
    drawable = [f for f in chosen if f["value_eur"] > 0 and (f["source_id"] in inside or f["target_id"] in inside)]
    assert layout.dropped == len(chosen) - len(drawable)
    assert layout.total == pytest.approx(math.fsum(f["value_eur"] for f in drawable), rel=1e-9)
    assert layout.columns == (0 if not drawable else 3 if mode == "kind" else 2)
