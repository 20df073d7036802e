"""What start-up does before the first paint, and the map's tabs that are built only when first looked at.

The time itself is `make bench`'s (DESIGN §5); these check the causes it had, so that they do not come back: the
network's numpy, the grid and the network built before anyone looked at them, every actor sorted again for a
choice nobody has opened yet, Babel's locale data loaded to write "500"."""

import json
import os
import subprocess
import sys

from PySide6.QtCore import Qt

from ssd_starter.ui.map.actor_list import ActorChoiceModel
from ssd_starter.ui.row_model import IdRole

from .first_paint import first_paint_script
from .test_map_page import open_map

# The real entry point, ended on the window's first paint; it prints what was imported by then.
FIRST_PAINT = first_paint_script("""
    page = window.map_page
    seen.update(modules=sorted(sys.modules), area=window.areas.current(),
                tab=page.tabs.currentIndex(), built=sorted(page._built), rows=page.proxy.rowCount(),
                settings_written=os.stat(settings).st_mtime_ns != settings_before,
                gc_enabled=gc.isenabled(), frozen=gc.get_freeze_count())
""", before="""
    settings = os.path.join(os.environ["SSD_STARTER_DATA_DIR"], "settings.json")
    settings_before = os.stat(settings).st_mtime_ns
""")


def _prepare(data_dir, actors=60):
    from ssd_starter.demo import synthetic_district
    from ssd_starter.settings import Settings
    from ssd_starter.store import Store

    store = Store.open()
    district = synthetic_district(store, "Avvio", actors, actors * 3)
    store.close()
    settings = Settings()
    for key, value in (("language", "it"), ("first_run_done", True), ("last_district", district),
                       ("last_area", "map")):
        settings.set(key, value)


def test_the_first_paint_of_the_map_needs_no_numpy_nor_the_other_tabs(data_dir):
    _prepare(data_dir)
    env = {**os.environ, "SSD_STARTER_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", FIRST_PAINT], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert (seen["area"], seen["tab"], seen["rows"]) == ("map", 0, 60)  # the district's actors, on the table
    assert seen["built"] == []
    assert not seen["settings_written"]  # the district and area remembered are the ones opened: nothing to write
    # the collector, off while start-up built the window, is on again, what start-up made set aside for good
    assert seen["gc_enabled"] and seen["frozen"] > 10_000
    modules = set(seen["modules"])
    for heavy in ("numpy", "ssd_starter.ui.map.network_view", "ssd_starter.ui.map.network_tab",
                  "ssd_starter.ui.map.grid_view", "networkx", "reportlab", "openpyxl", "alembic",
                  "ssd_starter.cli.parser", "ssd_starter.export.dossier", "ssd_starter.demo",
                  "ssd_starter.core.summary", "ssd_starter.ui.about", "ssd_starter.ui.districts.page", "babel.numbers"):
        assert heavy not in modules, heavy


def test_the_program_never_turns_on_pyside_features_so_their_source_scan_can_be_skipped():
    """run_gui tells PySide6 that no module uses ``from __feature__ import …`` (cli.gui.skip_pyside_source_scan):
    true only while no module of the program does."""
    from pathlib import Path

    import ssd_starter
    from ssd_starter.cli.gui import skip_pyside_source_scan

    root = Path(ssd_starter.__file__).parent
    users = [str(path) for path in root.rglob("*.py") if "__feature__" in path.read_text(encoding="utf-8")
             and path.name != "gui.py"]
    assert users == []
    skip_pyside_source_scan()
    import PySide6.support.feature as feature

    assert feature._mod_uses_pyside(ssd_starter) is False


def test_a_tab_is_built_in_its_place_the_first_time_it_is_looked_at(make_window, demo_store, qtbot):
    _window, page = open_map(make_window, demo_store)
    texts = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert page._built == {} and page.tabs.currentWidget() is page.table
    page.tabs.setCurrentIndex(2)  # as a click on "Network" does
    assert list(page._built) == ["network"]
    assert page.tabs.currentWidget() is page.network and page.tabs.currentIndex() == 2
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == texts
    assert page.network.view.wait_for_layout(60_000)
    assert len(page.network.view.nodes) == page.model.rowCount()  # drawn from the actors on first showing
    page.tabs.setCurrentIndex(0)
    page.grid  # built when asked for, the table staying the current tab  # noqa: B018
    assert page.tabs.currentWidget() is page.table
    assert sorted(page._built) == ["grid", "network"]
    page.tabs.setCurrentWidget(page.grid)
    assert page.grid.chips  # drawn on its first showing
    page.tabs.setCurrentWidget(page.indicators)
    assert page.indicators.toPlainText()
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == texts


def test_an_actor_chosen_before_the_network_is_built_is_selected_on_it(make_window, demo_store):
    _window, page = open_map(make_window, demo_store)
    actor_id = page.proxy.index(3, 0).data(IdRole)
    page.select_actor(actor_id)
    page.filters.search.setText(page.model.record(page.model.row_by_id(actor_id))["name"])
    assert "network" not in page._built  # selecting and filtering build nothing
    page.tabs.setCurrentWidget(page.network)
    view = page.network.view
    assert view.wait_for_layout(60_000)
    assert [node.actor_id for node in view.scene().selectedItems()] == [actor_id]
    assert page.proxy.rowCount() == view.shown_count() < page.model.rowCount()  # the table's filter holds there


def test_the_tab_last_used_stays_when_the_area_is_left_and_opened_again(make_window, demo_store):
    window, page = open_map(make_window, demo_store)
    page.tabs.setCurrentWidget(page.grid)
    window.show_area("charter")
    window.show_area("map")
    assert page.tabs.currentWidget() is page.grid


def test_the_table_sorts_by_name_case_apart_by_score_as_numbers_and_by_label(make_window, demo_store):
    _window, page = open_map(make_window, demo_store)
    records = page.model.records()

    def column(key):
        at = page.model.column_of(key)
        return [page.proxy.index(row, at).data() for row in range(page.proxy.rowCount())]

    assert column("name") == sorted((r["name"] for r in records), key=str.casefold)
    page.table.sortByColumn(page.model.column_of("influence"), Qt.SortOrder.DescendingOrder)
    assert column("influence") == [str(v) for v in sorted((r["influence"] for r in records), reverse=True)]
    page.table.sortByColumn(page.model.column_of("category"), Qt.SortOrder.AscendingOrder)
    labels = column("category")
    assert labels == sorted(labels, key=str.casefold) and len(set(labels)) > 1


def test_the_choice_of_the_other_actor_is_sorted_when_first_wanted(make_window, demo_store):
    _window, page = open_map(make_window, demo_store)
    others = page.detail.relations.others
    assert others.sourceModel() is None  # nothing to choose before an actor is selected
    actor_id = page.proxy.index(0, 0).data(IdRole)
    page.select_actor(actor_id)
    ids = [others.index(row, 0).data(IdRole) for row in range(others.rowCount())]
    assert len(ids) == page.model.rowCount() - 1 and actor_id not in ids
    given_at_once = ActorChoiceModel(page.model)  # as it was made before: the same order
    given_at_once.exclude(actor_id)
    assert ids == [given_at_once.index(row, 0).data(IdRole) for row in range(given_at_once.rowCount())]


def test_the_districts_page_is_built_when_first_shown_on_the_district_chosen_meanwhile(make_window, demo_store):
    from ssd_starter.settings import Settings
    from ssd_starter.store.districts import create_district, get_district

    other = create_district("Secondo distretto")
    demo_store.apply(other)
    settings = Settings()
    settings.set("last_district", demo_store.demo_id)
    settings.set("last_area", "map")
    window = make_window()
    assert window.current_area() == "map" and not window.areas.is_built("districts")
    window.set_current_district(other.values["id"])  # chosen in the switcher while the page is not there
    window.set_language("de")
    window.show_area("districts")
    page = window.districts_page
    assert page.isVisible() and page.form.name_edit.text() == "Secondo distretto"
    assert page.districts.list_view.currentIndex().data() == "Secondo distretto"
    assert page.districts.title.text() == "Distrikte"  # in German, as the rest of the window
    page.current_changed.emit(demo_store.demo_id)  # a click in its list still chooses the window's district
    assert window.current_district_id == demo_store.demo_id
    assert page.form.name_edit.text() == get_district(demo_store, demo_store.demo_id).name
    window.set_language("en")
    assert page.districts.title.text() == "Districts"
