"""The review loop from the promoter's window, against a real Centre (uvicorn on loopback): submit from the
Sync area, the advisor's threads arriving in a reply bundle imported from a "stick", the state on the
Districts page and in the Sync area's review panel, each thread next to its record (the map's actor, a
charter step, a canvas card, a flow's row) with its badge, a reply and a thread of the promoter's own
written offline, sent by the next submission, which answers the first; approval brought back by a sync."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from ssd_starter.centre import store as centre_store
from ssd_starter.centre.advisors import add_advisor, find_advisor
from ssd_starter.centre.replies import write_reply_bundle
from ssd_starter.centre.submissions import change_state, get_submission, list_submissions
from ssd_starter.centre.threads import open_thread, resolve, threads_of_district
from ssd_starter.store.canvas import list_canvas_items
from ssd_starter.store.flows import list_flows
from ssd_starter.store.review import outbox
from ssd_starter.store.stakeholders import find_stakeholder
from ssd_starter.ui.language import notifier
from ssd_starter.ui.review_threads import ReviewBadgeDelegate, ThreadsDialog
from tests.sync.conftest import database_url, postgres_admin_url, postgres_url  # noqa: F401 - fixtures

from .conftest import save_screenshot


@pytest.fixture
def centre(database_url):  # noqa: F811 - the fixture imported above
    """A Centre on SQLite, and again on PostgreSQL 15."""
    from tests.sync.conftest import RunningCentre

    with RunningCentre(database_url) as running:
        yield running


@pytest.fixture
def sqlite_centre(tmp_path):
    from tests.sync.conftest import RunningCentre

    with RunningCentre(f"sqlite:///{tmp_path / 'centre.sqlite'}") as running:
        yield running


def _advisor_threads(centre, store, submission):
    """The advisor's threads about an actor, the charter's purpose, a card and a flow; then 'has issues'."""
    add_advisor(centre.engine, "Anna Rossi")
    anna = find_advisor(centre.engine, "Anna Rossi")
    district = store.demo_id
    gas = find_stakeholder(store, district, "GAS Borgo Solidale")
    card = list_canvas_items(store, district)[0]
    flow = next(f for f in list_flows(store, district) if f["description"])
    about = {
        "actor": open_thread(centre.engine, submission, anna, kind="record", table="stakeholder", key=gas["id"],
                             text="Quante famiglie ne fanno parte?"),
        "purpose": open_thread(centre.engine, submission, anna, kind="section", key="purpose",
                               text="Lo scopo è troppo generico."),
        "card": open_thread(centre.engine, submission, anna, kind="record", table="canvas_item", key=card["id"],
                            text="Chi lo paga?"),
        "flow": open_thread(centre.engine, submission, anna, kind="record", table="flow", key=flow["id"],
                            text="Importo stimato?"),
    }
    change_state(centre.engine, submission, "has_issues", advisor=anna, comment="Mancano i soci")
    return anna, {"gas": gas, "card": card, "flow": flow}, about


def _flow_row(tab, flow_id):
    for row in range(tab.proxy.rowCount()):
        index = tab.proxy.index(row, 0)
        if index.data(Qt.ItemDataRole.UserRole + 1) == flow_id:
            return row
    raise AssertionError("the flow is not in the table")


def _click_badge(view, delegate, index):
    """A click on the right end of the cell, where the delegate draws the badge."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    point = QPointF(option.rect.right() - 6, option.rect.center().y())
    release = QMouseEvent(QEvent.Type.MouseButtonRelease, point, point, Qt.MouseButton.LeftButton,
                          Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    return delegate.editorEvent(release, view.model(), option, index)


def synced(qtbot, panel) -> None:
    """Until the sync the click started in the background has ended and the panel says how it went."""
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)


def test_the_review_loop_from_the_window(make_window, demo_store, centre, tmp_path, qtbot):
    district = demo_store.demo_id
    window = make_window(size=(1366, 768))
    window.set_current_district(district)
    window.show_area("sync")
    sync_page = window.sync_page
    panel = sync_page.centre
    panel.centre_url.setText(centre.url)
    panel.token.setText(centre_store.enrol(centre.engine, "Valsugana"))
    panel.note.setText("Prima consegna")
    panel.with_dossier.setChecked(False)
    panel.submit_button.click()
    synced(qtbot, panel)
    assert "Submitted for review" in panel.sync_status.text() and panel.note.text() == ""
    [first] = list_submissions(centre.engine)
    assert first["note"] == "Prima consegna"
    assert "received" in sync_page.review.state.text()
    anna, records, about = _advisor_threads(centre, demo_store, first["id"])
    # offline: the Centre's reply arrives on a stick, imported like any bundle
    reply = tmp_path / "risposta.ssdbundle"
    write_reply_bundle(centre.engine, "Valsugana", reply)
    assert sync_page.bundles.import_bundle_from(reply) is not None
    assert "Review from the Centre imported: 1 submission, 4 threads" in panel.sync_status.text()
    assert sync_page.review.state.state == "has_issues" and "Mancano i soci" in sync_page.review.state.text()
    views = sync_page.review.threads.views
    assert {views[t["id"]].about for t in about.values()} == {
        "actor GAS Borgo Solidale", "charter: Purpose", next(iter(
            v.about for v in views.values() if v.about.startswith("canvas card"))), next(iter(
                v.about for v in views.values() if v.about.startswith("flow")))}
    # the Districts page says it
    window.show_area("districts")
    form = window.districts_page.form
    assert form.review_state.isVisibleTo(window) and form.review_state.state == "has_issues"
    assert "open threads" in form.review_state.text()
    # the map: the actor's badge, its thread, a reply written offline
    window.show_area("map")
    map_page = window.map_page
    map_page.select_actor(records["gas"]["id"])
    badge = map_page.detail.review_badge
    assert badge.isVisibleTo(window) and badge.text() == "1"
    dialog = badge.open_threads()
    assert isinstance(dialog, ThreadsDialog)
    [view] = dialog.panel.views.values()
    assert "Quante famiglie ne fanno parte?" in view.messages.text()
    assert not view.resolve_button.isVisibleTo(dialog)  # the advisor's thread: only the advisor resolves it
    qtbot.keyClicks(view.reply_edit, "Sono 120 famiglie")
    view.reply_button.click()
    assert "waiting for the next sync" in view.messages.text() and "Sono 120 famiglie" in view.messages.text()
    qtbot.keyClicks(dialog.panel.new_edit, "Abbiamo aggiunto i contatti.")
    dialog.panel.new_button.click()
    assert len(dialog.panel.views) == 2 and badge.text() == "2"  # the promoter's own thread counts as open
    dialog.close()
    map_page.select_actor(find_stakeholder(demo_store, district, "Comune di Borgo Valsugana")["id"])
    assert not badge.isVisibleTo(window)  # nothing from the Centre about that one
    # the charter's step, the canvas card and the flow's row carry theirs
    window.show_area("charter")
    charter = window.charter_page
    charter.go_to(0)
    assert charter.review_badge.isVisibleTo(window) and charter.review_badge.text() == "1"
    charter.go_to(1)
    assert not charter.review_badge.isVisibleTo(window)
    window.show_area("canvas")
    canvas = window.canvas_page
    QApplication.processEvents()
    card = canvas.board.card_widget(records["card"]["id"])
    assert card.review_badge.isVisibleTo(window) and card.review_badge.text() == "1"
    tab = canvas.flows_tab
    delegate = tab.table.itemDelegateForColumn(4 if tab.proxy.columnCount() == 7 else 3)
    assert isinstance(delegate, ReviewBadgeDelegate)
    column = next(c for c in range(tab.proxy.columnCount()) if tab.table.itemDelegateForColumn(c) is delegate)
    row = _flow_row(tab, records["flow"]["id"])
    index = tab.proxy.index(row, column)
    assert delegate.counts(index) == (1, 1)
    assert delegate.counts(tab.proxy.index(0 if row else 1, column)) == (0, 0)
    canvas.tabs.setCurrentWidget(tab)
    tab.table.scrollTo(index)
    QApplication.processEvents()
    assert _click_badge(tab.table, delegate, index)
    [flow_dialog] = delegate._dialogs.values()
    assert "Importo stimato?" in next(iter(flow_dialog.panel.views.values())).messages.text()
    flow_dialog.close()
    # online again: submitting sends the reply and the new thread; the submission answers the first
    assert [e["action"] for e in outbox(demo_store, district)] == ["reply", "open"]
    window.show_area("sync")
    panel.note.setText("Soci: 120")
    panel.submit_button.click()
    synced(qtbot, panel)
    assert "2 replies sent to the Centre" in panel.sync_status.text()
    assert outbox(demo_store, district) == []
    newest = list_submissions(centre.engine)[0]
    assert newest["previous_id"] == first["id"] and get_submission(centre.engine, newest["id"])["note"] == "Soci: 120"
    held = {t["id"]: t for t in threads_of_district(centre.engine, district)}
    assert [m["text"] for m in held[about["actor"]["id"]]["messages"]] == [
        "Quante famiglie ne fanno parte?", "Sono 120 famiglie"]
    own = next(t for t in held.values() if t["opened_by_district"])
    # the advisor resolves theirs and approves; the promoter resolves their own from the map and syncs
    for thread in about.values():
        resolve(centre.engine, thread["id"], anna)
    change_state(centre.engine, newest["id"], "approved", advisor=anna, comment="Grazie")
    panel.sync_button.click()
    synced(qtbot, panel)
    window.show_area("map")
    map_page.select_actor(records["gas"]["id"])
    assert badge.text() == "1"
    dialog = badge.open_threads()
    own_view = dialog.panel.views[own["id"]]
    assert own_view.resolve_button.isVisibleTo(dialog)
    own_view.resolve_button.click()
    assert badge.text() == "✓"
    dialog.close()
    window.show_area("sync")
    panel.sync_button.click()
    synced(qtbot, panel)
    assert "1 reply sent" in panel.sync_status.text()
    assert sync_page.review.state.state == "approved" and "Grazie" in sync_page.review.state.text()
    assert all(not view.thread_record["open"] for view in sync_page.review.threads.views.values())
    window.show_area("districts")
    assert form.review_state.state == "approved"


def test_screenshots_of_the_state_and_the_badge(make_window, demo_store, sqlite_centre, tmp_path, qtbot):
    """The Districts page with the Centre's state and the map's actor with its badge, at 1366×768 in Italian
    and German: nothing cut."""
    from ssd_starter.sync.client import submission_draft, sync
    from ssd_starter.sync.identity import load_or_create
    from ssd_starter.sync.reply import import_reply_bundle
    centre = sqlite_centre
    district = demo_store.demo_id
    report = sync(demo_store, district, centre.url, load_or_create(),
                  token=centre_store.enrol(centre.engine, "Valsugana"), submission=submission_draft(demo_store, district))
    _anna, records, _about = _advisor_threads(centre, demo_store, report.submitted)
    write_reply_bundle(centre.engine, "Valsugana", tmp_path / "r.ssdbundle")
    import_reply_bundle(demo_store, tmp_path / "r.ssdbundle")
    window = make_window(size=(1366, 768))
    window.set_current_district(district)
    try:
        for language in ("it", "de"):
            notifier().set_language(language)
            window.show_area("districts")
            QApplication.processEvents()
            state = window.districts_page.form.review_state
            assert state.isVisibleTo(window) and state.width() > 0
            assert state.sizeHint().width() <= state.width() or state.wordWrap()
            assert state.height() >= state.heightForWidth(state.width())  # all its lines shown
            save_screenshot(window, f"review-loop-districts-{language}.png")
            window.show_area("map")
            window.map_page.select_actor(records["gas"]["id"])
            QApplication.processEvents()
            badge = window.map_page.detail.review_badge
            assert badge.isVisibleTo(window)
            assert badge.geometry().right() <= badge.parentWidget().width()  # not pushed off the pane
            assert badge.width() >= badge.sizeHint().width()
            save_screenshot(window, f"review-loop-map-badge-{language}.png")
            dialog = badge.open_threads()
            QApplication.processEvents()
            save_screenshot(dialog, f"review-loop-thread-{language}.png")
            dialog.close()
            window.show_area("sync")
            threads = window.sync_page.review.threads
            qtbot.waitUntil(lambda panel=threads: all(  # each thread whole: the list scrolls instead
                v.height() >= v.heightForWidth(v.width()) for v in panel.views.values())
                and panel.scroll_area.verticalScrollBar().isVisible())
            save_screenshot(window, f"review-loop-sync-{language}.png")
            window.resize(1024, 768)  # the narrowest the areas are built for: the note keeps room to type
            QApplication.processEvents()
            centre_panel = window.sync_page.centre
            assert centre_panel.note.width() >= 300
            for button in (centre_panel.submit_button, centre_panel.with_dossier):
                assert button.width() >= button.sizeHint().width()
            window.resize(1366, 768)
    finally:
        notifier().set_language("en")
