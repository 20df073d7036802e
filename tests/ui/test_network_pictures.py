"""The network picture as people present it, checked by its properties in Italian, German and English: every
node inside the view, no two names overlapping, arrowheads on the directed kinds, a legend of exactly the
categories on the map; the same for the exported picture; a 2,000-actor map laid out without stored positions."""

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from ssd_starter.core.labels import overlaps
from ssd_starter.core.vocabulary import DIRECTED_KINDS, Category
from ssd_starter.store.stakeholders import list_relations, list_stakeholders
from ssd_starter.ui.map.network_view import ARROW_ZOOM, legend_entries

from .conftest import save_screenshot

LANGUAGES = ("it", "de", "en")


def open_network(make_window, store, district_id, language, qtbot):
    window = make_window(size=(1366, 768))
    window.set_language(language)
    window.set_current_district(district_id)
    window.show_area("map")
    page = window.map_page
    page.tabs.setCurrentWidget(page.network)
    assert page.network.view.wait_for_layout(60_000)
    qtbot.waitUntil(lambda: page.network.status.text() == "", timeout=10_000)
    page.network.view.place_labels()
    qtbot.wait(30)
    return window, page, page.network.view


def assert_no_overlap(rects):
    boxes = [(r.x(), r.y(), r.width(), r.height()) if isinstance(r, QRectF) else r for r in rects]
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            assert not overlaps(a, b), (a, b)


def assert_nodes_inside(view):
    viewport = QRectF(view.viewport().rect())
    for node in view.nodes.values():
        if node.isVisible():
            centre = view.mapFromScene(node.pos())
            reach = node.radius * view.transform().m11()
            assert viewport.contains(QRectF(centre.x() - reach, centre.y() - reach, 2 * reach, 2 * reach)), node.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_network_picture_properties(make_window, demo_store, qtbot, language):
    _window, page, view = open_network(make_window, demo_store, demo_store.demo_id, language, qtbot)
    view.fit()
    view.place_labels()
    assert_nodes_inside(view)
    rects = view.label_rects()
    assert len(rects) >= 10  # the demo's names show without hovering
    assert_no_overlap(rects)
    viewport = QRectF(view.viewport().rect())
    assert all(viewport.contains(r) for r in rects)  # no name cut at the edge

    kinds = {r["kind"] for r in list_relations(demo_store, demo_store.demo_id)}
    view.zoom(max(1.0, ARROW_ZOOM / view.transform().m11() * 1.1))
    for kind in kinds & DIRECTED_KINDS:
        assert view.arrow_items[kind].isVisible() and view.arrow_items[kind].path().elementCount() > 0, kind
    assert "partners_with" not in view.arrow_items  # a partnership goes both ways: no arrowhead

    actors = list_stakeholders(demo_store, demo_store.demo_id)
    present = {a["category"] for a in actors}
    dots = [text for shape, _colour, text in legend_entries(view.present_categories()) if shape == "dot"]
    assert dots == [Category(c).label for c in Category if c.value in present]
    legend = page.network.legend.text()
    assert all(label in legend for label in dots)
    assert all(Category(c).label not in legend for c in Category if c.value not in present)


@pytest.mark.parametrize("language", LANGUAGES)
def test_exported_picture_has_title_legend_and_names_that_do_not_overlap(make_window, demo_store, qtbot, language,
                                                                        tmp_path):
    _window, page, view = open_network(make_window, demo_store, demo_store.demo_id, language, qtbot)
    title, subtitle = page.network.picture_title()
    assert "Valsugana" in title
    image = QImage(1600, 1000, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    layout = view.paint_picture(painter, 1600, 1000, title, subtitle)
    painter.end()
    assert len(layout.labels) >= 20
    assert_no_overlap([label.rect for label in layout.labels])
    assert all(layout.area.contains(QRectF(*label.rect)) for label in layout.labels)
    assert layout.area.contains(layout.nodes)  # every node inside the picture
    assert not layout.legend.intersects(layout.area)  # the legend never covers the map
    categories = [text for shape, _c, text in layout.entries if shape == "dot"]
    assert categories == [Category(c).label for c in view.present_categories()]
    assert page.network.export_to(tmp_path / "rete.png").stat().st_size > 20_000


def test_neighbourhood_filters_and_search(make_window, demo_store, qtbot):
    _window, page, view = open_network(make_window, demo_store, demo_store.demo_id, "it", qtbot)
    tab = page.network
    assert tab.locate("gas borgo")  # part of the name, any case
    [selected] = [n for n in view.nodes.values() if n.isSelected()]
    assert "GAS" in selected.name
    near = view.ego_ids()
    assert selected.actor_id in near and len(near) > 1
    assert all((node.opacity() == 1.0) == (actor_id in near) for actor_id, node in view.nodes.items())
    tab.ego_button.setChecked(False)
    assert all(node.opacity() == 1.0 for node in view.nodes.values())
    assert not tab.locate("nessuno con questo nome")

    relations = list_relations(demo_store, demo_store.demo_id)
    supplies = sum(r["kind"] == "supplies" and r["source_id"] != r["target_id"] for r in relations)
    before = view.shown_relation_count()
    tab.kind_actions["supplies"].setChecked(False)  # a kind filtered out: its edges and arrowheads go
    assert supplies and view.shown_relation_count() == before - supplies
    assert all(item.path().isEmpty() for (kind, _s), item in view.edge_items.items() if kind == "supplies")
    assert any(not item.path().isEmpty() for (kind, _s), item in view.edge_items.items() if kind != "supplies")
    tab.kind_actions["supplies"].setChecked(True)
    assert view.shown_relation_count() == before

    tab.category_actions["public_body"].setChecked(False)
    hidden = {a["id"] for a in list_stakeholders(demo_store, demo_store.demo_id) if a["category"] == "public_body"}
    assert hidden and all(not view.nodes[a].isVisible() for a in hidden)
    assert Category("public_body").label not in tab.legend.text()
    tab.stage_actions["signatory"].setChecked(False)
    assert all(node.stage != "signatory" for node in view.nodes.values() if node.isVisible())


@pytest.fixture
def large_store(store):
    from ssd_starter.demo import synthetic_district

    store.large_id = synthetic_district(store, "Distretto sintetico", 2000, 5000, seed=3)
    return store


@pytest.mark.parametrize("language", ("it", "de"))
def test_a_2000_actor_map_without_positions(make_window, large_store, qtbot, language):
    window, page, view = open_network(make_window, large_store, large_store.large_id, language, qtbot)
    assert len(view.nodes) == 2000
    assert view.preview is None  # the nodes took over from the streamed preview
    assert_nodes_inside(view)
    qtbot.waitUntil(lambda: bool(view.placed), timeout=5_000)  # named in steps: the most central first
    rects = view.label_rects()
    assert len(rects) >= 10 and all(QRectF(view.viewport().rect()).contains(r) for r in rects)
    assert_no_overlap(rects)
    save_screenshot(window, f"map-{language}-network-2000.png")


@pytest.mark.parametrize("language", ("it", "de"))
def test_demo_network_screenshot(make_window, demo_store, qtbot, language):
    window, page, view = open_network(make_window, demo_store, demo_store.demo_id, language, qtbot)
    save_screenshot(window, f"map-{language}-network-1366.png")


def test_colour_by_group_finds_louvain_communities_and_names_them_in_the_legend(make_window, demo_store, qtbot):
    from ssd_starter.core.vocabulary import COMMUNITY_COLOURS

    _window, page, view = open_network(make_window, demo_store, demo_store.demo_id, "de", qtbot)
    tab = page.network
    tab.colour_combo.setCurrentIndex(tab.colour_combo.findData("community"))
    tab._on_colour_changed()
    assert tab.wait_for_communities()
    qtbot.waitUntil(lambda: view.communities is not None, timeout=5_000)
    sizes = view.community_sizes()
    assert len(sizes) >= 2 and sizes == sorted(sizes, reverse=True) and sum(sizes) == 43
    largest = [a for a, g in view.communities.items() if g == 0]
    assert view.nodes[largest[0]].brush().color().name().upper() == COMMUNITY_COLOURS[0]
    assert "Gruppe 1" in tab.legend.text() or "Group 1" in tab.legend.text()
    tab.colour_combo.setCurrentIndex(tab.colour_combo.findData("category"))
    tab._on_colour_changed()
    assert view.communities is None and view.community_sizes() == []
