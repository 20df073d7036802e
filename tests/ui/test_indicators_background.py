"""The indicators tab of a large map never holds the window: its network figures come from a child process that
reads the district's file (rustworkx's exact betweenness keeps the GIL for its whole run, so a thread would
freeze the window as long); the tab says they are coming, takes them when they arrive, drops figures the map
has outgrown since, and works them out itself if the child fails."""

from concurrent.futures import Future

import pytest

from ssd_starter.core.network import network_indicators
from ssd_starter.store.analytics import network_cache
from ssd_starter.store.stakeholders import list_relations, list_stakeholders, update_stakeholder
from ssd_starter.ui.map import figures_process
from ssd_starter.ui.map.page import FIGURES_INLINE_UP_TO


@pytest.fixture
def large_store(store):
    from ssd_starter.demo import synthetic_district

    store.large_id = synthetic_district(store, "Distretto sintetico", FIGURES_INLINE_UP_TO + 200, 1500, seed=6)
    yield store
    figures_process.shutdown()


def open_indicators(make_window, store):
    window = make_window(size=(1366, 768))
    window.set_language("it")
    window.set_current_district(store.large_id)
    window.show_area("map")
    page = window.map_page
    page.tabs.setCurrentWidget(page.indicators)
    return page


def expected(store):
    return network_indicators(list_stakeholders(store, store.large_id), list_relations(store, store.large_id))


def test_the_figures_come_from_the_child_while_the_tab_says_so(make_window, large_store, qtbot):
    page = open_indicators(make_window, large_store)
    assert page.indicators.working and "calcolo degli indicatori" in page.indicators.toPlainText().lower()
    assert network_cache(large_store).peek(large_store.large_id) is None  # nothing worked out in the window
    qtbot.waitUntil(lambda: not page.indicators.working, timeout=60_000)
    figures = network_cache(large_store).peek(large_store.large_id)
    want = expected(large_store)
    assert figures is not None and figures.actors == want.actors == FIGURES_INLINE_UP_TO + 200
    assert [s.id for s in figures.scores[:10]] == [s.id for s in want.scores[:10]]
    assert figures.brokers == want.brokers and figures.isolated == want.isolated
    top = next(s.name for s in figures.scores[:1])
    assert top in page.indicators.toPlainText()


def test_figures_the_map_outgrew_meanwhile_are_dropped_and_worked_out_anew(make_window, large_store, qtbot):
    page = open_indicators(make_window, large_store)
    assert page.indicators.working
    district, version, _future = page._figures_job
    actor = list_stakeholders(large_store, district)[0]
    large_store.apply(update_stakeholder(actor["id"], influence=1 + actor["influence"] % 5))  # the map changes
    assert network_cache(large_store).version(district) == version + 1
    qtbot.waitUntil(lambda: not page.indicators.working, timeout=60_000)
    assert page._figures_job is None
    assert network_cache(large_store).peek(district) is not None
    # the figures asked for before the change were never kept under the new version
    assert not network_cache(large_store).put(district, expected(large_store), version)


def test_a_failed_child_leaves_the_figures_to_the_window(make_window, large_store, qtbot, monkeypatch):
    def broken(_path, _district):
        future: Future = Future()
        future.set_exception(RuntimeError("the child was killed"))
        return future

    monkeypatch.setattr(figures_process, "submit", broken)
    page = open_indicators(make_window, large_store)
    qtbot.waitUntil(lambda: not page.indicators.working, timeout=10_000)
    assert network_cache(large_store).peek(large_store.large_id) is not None
    assert "calcolo degli indicatori" not in page.indicators.toPlainText().lower()


def test_the_network_of_a_large_map_names_the_most_central_first_once_the_figures_arrive(make_window, large_store,
                                                                                       qtbot):
    window = make_window(size=(1366, 768))
    window.set_current_district(large_store.large_id)
    window.show_area("map")
    page = window.map_page
    page.tabs.setCurrentWidget(page.network)
    assert page._figures_job is not None  # asked of the child, not worked out in the window
    qtbot.waitUntil(lambda: network_cache(large_store).peek(large_store.large_id) is not None, timeout=60_000)
    central = [s.id for s in network_cache(large_store).peek(large_store.large_id).scores[:20]]
    qtbot.waitUntil(lambda: page.network.view._priority[:20] == central, timeout=10_000)
    page.network.view.wait_for_layout(60_000)
