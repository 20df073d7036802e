"""The Districts page: the list of every district moves only the rows a change touched (made, renamed, deleted
elsewhere: by undo, a sync, another window), in name order; the form hears its own district only."""

from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication

from ssd_starter.store.districts import create_district, delete_district, update_district
from ssd_starter.ui.districts import form as form_module
from ssd_starter.ui.districts.model import DistrictListModel
from ssd_starter.ui.districts.page import DistrictsPage
from ssd_starter.ui.row_model import IdRole
from tests.helpers import add_actor

from .conftest import SCREENSHOTS, save_screenshot


def add_district(store, name: str) -> str:
    insert = create_district(name)
    store.apply(insert)
    return insert.values["id"]


def names(model: DistrictListModel) -> list[str]:
    return [model.index(row).data() for row in range(model.rowCount())]


def test_the_list_model_keeps_qts_contract_through_edits(qtmodeltester, store):
    alpha, _beta = add_district(store, "Alpha"), add_district(store, "Beta")
    model = DistrictListModel(store)
    qtmodeltester.check(model)
    add_district(store, "Aardvark")
    store.apply(update_district(alpha, name="Zeta"))
    store.apply(delete_district(alpha))
    qtmodeltester.check(model)
    model.detach()


def test_a_district_made_elsewhere_is_inserted_where_its_name_sorts(qtbot, store):
    add_district(store, "Alpha")
    add_district(store, "Gamma")
    model = DistrictListModel(store)
    kept = QPersistentModelIndex(model.index(1))
    with qtbot.waitSignal(model.rowsInserted, timeout=1000) as signal, qtbot.assertNotEmitted(model.modelReset):
        beta = add_district(store, "beta")
    assert signal.args[1:] == [1, 1]
    assert names(model) == ["Alpha", "beta", "Gamma"] and model.row_of(beta) == 1
    assert kept.isValid() and kept.data() == "Gamma"
    model.detach()


def test_a_rename_elsewhere_moves_the_row_and_keeps_the_others(qtbot, store):
    alpha = add_district(store, "Alpha")
    add_district(store, "Beta")
    model = DistrictListModel(store)
    renamed = QPersistentModelIndex(model.index(0))
    with qtbot.waitSignal(model.rowsMoved, timeout=1000), qtbot.waitSignal(model.dataChanged, timeout=1000), \
            qtbot.assertNotEmitted(model.modelReset):
        store.apply(update_district(alpha, name="Zeta"))
    assert names(model) == ["Beta", "Zeta"]
    assert renamed.row() == 1 and renamed.data(IdRole) == alpha  # a selection would follow the row
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as signal, qtbot.assertNotEmitted(model.rowsMoved):
        store.apply(update_district(alpha, description="Still last"))
    assert signal.args[0].row() == signal.args[1].row() == 1
    model.detach()


def test_a_delete_and_its_undo_move_one_row(qtbot, store):
    alpha = add_district(store, "Alpha")
    add_district(store, "Beta")
    model = DistrictListModel(store)
    with qtbot.waitSignal(model.rowsRemoved, timeout=1000), qtbot.assertNotEmitted(model.modelReset):
        _changes, undo = store.apply(delete_district(alpha))
    assert names(model) == ["Beta"] and model.row_of(alpha) == -1 and model.district_at(1) is None
    with qtbot.waitSignal(model.rowsInserted, timeout=1000), qtbot.assertNotEmitted(model.modelReset):
        store.apply(undo)
    assert names(model) == ["Alpha", "Beta"] and model.district_at(0).id == alpha
    model.detach()


def test_the_tooltip_names_kind_and_places(store):
    district = add_district(store, "Valsugana")
    store.apply(update_district(district, municipalities=["Borgo Valsugana", "Levico Terme"]))
    model = DistrictListModel(store)
    assert model.index(0).data(Qt.ItemDataRole.ToolTipRole) == "Valsugana\nTerritorial\nBorgo Valsugana, Levico Terme"
    model.detach()


def make_page(qtbot, store):
    model = DistrictListModel(store)
    page = DistrictsPage(store, model, lambda edit, text, merge_key=None: bool(store.apply(edit)))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    return page, model


def test_the_page_follows_districts_made_and_deleted_elsewhere(qtbot, store):
    page, model = make_page(qtbot, store)
    assert page.stack.currentWidget() is page.empty
    alpha = add_district(store, "Alpha")  # e.g. by a sync: the page leaves the welcome without a reset
    assert page.stack.currentWidget() is page.splitter
    page.select(alpha)
    beta = add_district(store, "Beta")
    assert page.districts.list_view.currentIndex().data(IdRole) == alpha  # the selection stayed
    chosen = []
    page.current_changed.connect(chosen.append)
    store.apply(delete_district(alpha))
    assert chosen == []  # the view's current row moved, but which district comes next is the window's choice
    assert names(model) == ["Beta"]
    store.apply(delete_district(beta))
    assert page.stack.currentWidget() is page.empty
    page.detach()
    model.detach()


def test_the_form_hears_its_own_district_only(qtbot, store, monkeypatch):
    page, model = make_page(qtbot, store)
    mine, other = add_district(store, "Mine"), add_district(store, "Other")
    page.select(mine)
    reads = []
    real_count_rows = form_module.count_rows
    monkeypatch.setattr(form_module, "count_rows", lambda s, d: reads.append(d) or real_count_rows(s, d))
    add_actor(store, other, "Elsewhere")
    store.apply(update_district(other, name="Renamed elsewhere"))
    assert reads == [] and page.form.name_edit.text() == "Mine"
    add_actor(store, mine, "Here")
    assert reads == [mine] and "1 actor" in page.form.summary.text()
    store.apply(update_district(mine, name="Mine, renamed"))
    assert page.form.name_edit.text() == "Mine, renamed" and page.form.title.text() == "Mine, renamed"
    page.detach()
    model.detach()


def test_screenshots_of_the_page_in_italian_and_german(make_window, demo_store, qtbot):
    from ssd_starter.ui.language import notifier

    window = make_window(size=(1366, 768))
    window.set_current_district(demo_store.demo_id)
    window.show_area("districts")
    SCREENSHOTS.mkdir(exist_ok=True)
    for language in ("it", "de"):
        notifier().set_language(language)
        qtbot.wait(20)
        QApplication.processEvents()
        assert window.districts_page.form.title.text() == window.switcher.currentText()
        save_screenshot(window, f"districts-page-{language}-1366.png")
