"""The power/interest grid as a picture: readable names that never overlap nor leave the grid, dense cells as a
number with the names in a tooltip, axis titles clear of the ticks in every language, the network's palette
and legend."""

import collections

import pytest
from PySide6.QtCore import QRectF

from ssd_starter.core.vocabulary import Category
from ssd_starter.store.stakeholders import list_stakeholders

from .conftest import save_screenshot


def open_grid(make_window, store, district_id, language):
    window = make_window(size=(1366, 768))
    window.set_language(language)
    window.set_current_district(district_id)
    window.show_area("map")
    page = window.map_page
    page.tabs.setCurrentWidget(page.grid)
    return window, page, page.grid


def rects_of(grid):
    return [(item.text(), item.sceneBoundingRect()) for item in grid.labels if item.isVisible() and item.text()]


def assert_no_overlap(rects):
    for n, (text_a, a) in enumerate(rects):
        for text_b, b in rects[n + 1:]:
            assert not a.intersects(b), (text_a, text_b)


@pytest.mark.parametrize("language", ("it", "de", "en"))
def test_demo_grid_names_are_readable_and_never_overlap(make_window, demo_store, qtbot, language):
    window, page, grid = open_grid(make_window, demo_store, demo_store.demo_id, language)
    rects = rects_of(grid)
    assert_no_overlap(rects)
    scene = QRectF(grid.scene_rect())
    assert [t for t, r in rects if not scene.contains(r)] == []
    cells = grid.cells_rect()
    for chip in grid.chips.values():  # each name inside the grid, beside its dot
        assert cells.contains(chip.label.sceneBoundingRect())
    pixel_height = grid.transform().m11() * next(r for _t, r in rects).height()
    assert pixel_height >= 10  # was ~6 px
    actors = list_stakeholders(demo_store, demo_store.demo_id)
    assert set(grid.chips) == {a["id"] for a in actors}  # 43 actors: every one listed by name
    present = [Category(c).label for c in Category if c.value in {a["category"] for a in actors}]
    assert [t for t in grid.legend_texts if t in {c.label for c in Category}] == present
    shown = {actor_id: chip.label.text().replace("\n", " ") for actor_id, chip in grid.chips.items()}
    names = {a["id"]: a["name"] for a in actors}
    # the cells take the width the window has: a third of the names whole at 1366x768 (it was 1 of 43), the
    # rest shortened in the middle, keeping the last word where similar names differ, never two alike
    assert sum(shown[a] == names[a] for a in shown) >= len(shown) / 3
    alike = collections.Counter(shown.values())
    assert [(t, [names[a] for a in shown if shown[a] == t]) for t, n in alike.items() if n > 1] == []
    cut = [a for a in shown if shown[a] != names[a]]
    assert [(shown[a], names[a]) for a in cut if not ("…" in shown[a] and shown[a].split()[-1] == names[a].split()[-1])] == [], \
        [(shown[a], names[a]) for a in cut]
    ticks = [r for t, r in rects if t in "12345"]
    for title in ("Interest →", "Influence →"):
        translated = next(r for t, r in rects if t.endswith("→") and t.split()[0][:3] != "" and
                          ((title.startswith("Interest") and r.width() > r.height())
                           or (title.startswith("Influence") and r.height() > r.width())))
        assert not any(translated.intersects(tick) for tick in ticks), title
    save_screenshot(window, f"map-{language}-grid-1366.png")


@pytest.fixture
def large_store(store):
    from ssd_starter.demo import synthetic_district

    store.large_id = synthetic_district(store, "Distretto sintetico", 2000, 3000, seed=4)
    return store


@pytest.mark.parametrize("language", ("it", "de"))
def test_2000_actors_collapse_to_counts_with_their_names_in_tooltips(make_window, large_store, qtbot, language):
    window, page, grid = open_grid(make_window, large_store, large_store.large_id, language)
    assert len(grid.counts) == 25 and not grid.chips  # 80 per cell: a number each
    assert all(len(disc.toolTip().splitlines()) > 10 for disc in grid.counts.values())
    rects = rects_of(grid)
    assert_no_overlap(rects)
    save_screenshot(window, f"map-{language}-grid-2000.png")


@pytest.mark.parametrize("size", [(700, 420), (1000, 600), (1800, 1000)])
def test_every_text_stays_inside_the_grid_at_any_size(qtbot, size):
    from ssd_starter.ui.map.grid_view import PowerInterestGrid

    grid = PowerInterestGrid(lambda *args: None)
    qtbot.addWidget(grid)
    grid.resize(*size)
    grid.show()
    actors = [{"id": f"a{n}", "name": f"Associazione di promozione sociale numero {n}", "category": "association",
               "attitude": "neutral", "influence": 1 + n % 5, "interest": 1 + n // 5 % 5} for n in range(60)]
    grid.set_actors(actors)
    scene = QRectF(grid.scene_rect())
    outside = [t for t, r in rects_of(grid) if not scene.contains(r)]
    assert outside == []
    assert_no_overlap(rects_of(grid))
