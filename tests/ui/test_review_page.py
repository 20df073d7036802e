"""The Centre review area by GUI, against a real Centre (uvicorn on loopback): sign in with the one-time code,
the queue, a submission opened read-only with its district, threads on a record and on a charter section,
replies and resolve, request changes, approve; offline with the local copy; the area in Italian and German
at 1366×768."""

from __future__ import annotations

import io

import pytest
from PySide6.QtWidgets import QApplication

from ssd_starter.centre import advisors as accounts
from ssd_starter.centre import store as centre_store
from ssd_starter.core.errors import UserError
from ssd_starter.sync.client import SubmissionDraft, submission_draft, sync
from ssd_starter.sync.identity import load_or_create
from ssd_starter.ui.review.models import (
    ActorsModel,
    ChecklistModel,
    DistrictsModel,
    SubmissionsModel,
    ThreadsModel,
)
from ssd_starter.ui.window.areas import AREAS
from tests.centre.test_advisor_client import Restartable

from .conftest import save_screenshot

WAIT_MS = 20_000
PASSWORD = "una password lunga"
VALSUGANA = "Distretto di Economia Solidale Valsugana e Tesino"


def small_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Dossier Valsugana e Tesino")
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture
def centre(tmp_path):
    running = Restartable(f"sqlite:///{tmp_path / 'centre.sqlite'}")
    yield running
    running.stop()


@pytest.fixture
def submitted(centre, demo_store):
    """The demo district synced to the Centre and submitted with a dossier, as a promoter does it."""
    draft = submission_draft(demo_store, demo_store.demo_id, note="Prima consegna")
    draft = SubmissionDraft(draft.summary, draft.note, draft.charter_version_id, small_pdf())
    report = sync(demo_store, demo_store.demo_id, centre.url, load_or_create(),
                  token=centre_store.enrol(centre.engine, VALSUGANA), submission=draft)
    assert report.submitted
    return report.submitted


def open_review(make_window, size=(1366, 768)):
    window = make_window(size=size)
    window.show_area("review")
    page = window.review_page
    errors: list[UserError] = []
    page._on_error = errors.append
    return window, page, errors


def sign_in_first_time(qtbot, page, centre, name="Chiara", remember=False) -> None:
    code = accounts.add_advisor(centre.engine, name).code
    panel = page.sign_in_panel
    panel.url.setText(centre.url)
    panel.name.setText(name)
    panel.first_time.setChecked(True)
    assert not panel.password.isVisibleTo(panel) and panel.code.isVisibleTo(panel)
    panel.code.setText(code)
    panel.new_password.setText(PASSWORD)
    panel.repeat_password.setText(PASSWORD)
    panel.remember.setChecked(remember)
    panel.sign_in_button.click()
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 1 and page.submissions_model.rowCount() > 0,
                    timeout=WAIT_MS)


def open_first(qtbot, page) -> None:
    page.queue.selectRow(0)
    qtbot.waitUntil(lambda: page.district.detail is not None and page.district.actors_model.rowCount() > 0,
                    timeout=WAIT_MS)


def settle(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.calls.busy, timeout=WAIT_MS)


def select_actor(page, name: str) -> None:
    view = page.district
    view.tabs.setCurrentWidget(view.actors)
    row = next(n for n, a in enumerate(view.actors_model.records()) if a["name"] == name)
    view.actors.selectRow(row)


def select_section(page, key: str) -> None:
    view = page.district
    view.tabs.setCurrentWidget(view.charter_tab)
    view.sections.selectRow(view.sections_model.row_by_id(key))


def write_and(page, button, text: str) -> None:
    page.threads.text.setPlainText(text)
    button.click()


def counts(store, district_id: str) -> tuple[int, int, int]:
    """The district's live actors, flows and canvas cards as the promoter's own store lists them."""
    from ssd_starter.store.canvas import list_canvas_items
    from ssd_starter.store.flows import list_flows
    from ssd_starter.store.stakeholders import list_stakeholders

    return (len(list_stakeholders(store, district_id)), len(list_flows(store, district_id)),
            len(list_canvas_items(store, district_id)))


def expected_lm3(store) -> str:
    """LM3 as the district's own summary computes it, written as the window writes it."""
    from ssd_starter.core.indicators import INDICATORS, format_value

    value = submission_draft(store, store.demo_id).summary["flows"]["values"]["lm3"]
    return format_value(next(i for i in INDICATORS if i.key == "lm3"), value["value"] if isinstance(value, dict)
                        else value)


def test_the_loop_by_gui_sign_in_comment_request_changes_approve(qtbot, make_window, centre, submitted,
                                                                 demo_store):
    window, page, errors = open_review(make_window)
    assert [a.key for a in AREAS][-1] == "review" and window.current_area() == "review"
    assert page.stack.currentIndex() == 0 and not page.refresh_button.isVisible()
    sign_in_first_time(qtbot, page, centre)
    assert page.sign_in_panel.code.text() == "" and page.sign_in_panel.new_password.text() == ""
    assert window.settings.get("review_session") is None  # not asked to stay signed in
    assert window.settings.get("review_advisor") == "Chiara" and "Chiara at http://127.0.0.1" in page.status.text()
    queue = page.submissions_model
    assert queue.index(0, 0).data() == "Distretto di Economia Solidale Valsugana e Tesino"
    assert queue.index(0, 1).data() == "received" and "Prima consegna" in queue.index(0, 0).data(3)  # tooltip
    open_first(qtbot, page)
    view = page.district
    shown = (view.actors_model.rowCount(), view.flows_model.rowCount(), view.canvas_model.rowCount())
    assert shown == counts(demo_store, demo_store.demo_id) and view.sections_model.rowCount() == 10
    assert view.checklist_model.rowCount() > 5 and "Prima consegna" in view.summary.text()
    lm3 = expected_lm3(demo_store)
    assert view.indicators_model.index(view.indicators_model.row_by_id("lm3"), 1).data() == lm3
    settle(qtbot, page)
    view.tabs.setCurrentWidget(view.dossier_tab)
    qtbot.waitUntil(lambda: view.pages_layout.count() == 1, timeout=WAIT_MS)  # the dossier's page, rendered

    threads = page.threads
    assert not threads.new_button.isEnabled()  # nothing chosen to be about
    select_actor(page, "GAS Borgo Solidale")
    assert threads.new_button.isEnabled() and "GAS Borgo Solidale" in threads.about.text()
    write_and(page, threads.new_button, "Manca il referente")
    qtbot.waitUntil(lambda: threads.model.rowCount() == 1, timeout=WAIT_MS)
    select_section(page, "governance")
    assert "Governance bodies" in threads.about.text()
    write_and(page, threads.new_button, "Quorum?")
    qtbot.waitUntil(lambda: threads.model.rowCount() == 2, timeout=WAIT_MS)
    assert threads.text.toPlainText() == ""
    texts = [threads.model.index(r, 0).data() for r in range(2)]
    assert texts == ["Actor: GAS Borgo Solidale", "Charter: Governance bodies"]

    threads.view.selectRow(0)
    assert threads.resolve_button.isEnabled()  # Chiara opened it
    write_and(page, threads.reply_button, "Scritto alla cooperativa")
    qtbot.waitUntil(lambda: len(threads.model.record(0)["messages"]) == 2, timeout=WAIT_MS)
    assert "Scritto alla cooperativa" in threads.messages.toPlainText()
    threads.view.selectRow(1)
    threads.resolve_button.click()
    qtbot.waitUntil(lambda: threads.model.record(1)["resolved"], timeout=WAIT_MS)
    assert not threads.resolve_button.isEnabled() and not threads.reply_button.isEnabled()

    view.tabs.setCurrentWidget(view.decision_tab)
    view.reject_button.click()  # no comment
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert "needs a comment" in errors.pop().message()
    view.issues_button.click()
    qtbot.waitUntil(lambda: view.detail["state"] == "has_issues", timeout=WAIT_MS)
    settle(qtbot, page)
    assert "1 open thread: Actor: GAS Borgo Solidale" in page.notice.text()
    assert queue.index(0, 1).data() == "has issues"
    view.comment.setPlainText("Tutto in ordine")
    view.approve_button.click()
    qtbot.waitUntil(lambda: view.detail["state"] == "approved", timeout=WAIT_MS)
    settle(qtbot, page)
    assert [h["state"] for h in view.detail["history"]] == ["received", "has_issues", "approved"]
    assert view.history_model.index(2, 3).data() == "Tutto in ordine" and view.comment.toPlainText() == ""
    assert errors == [] and "Connected to the Centre" in page.status.text()

    # what the promoter's next sync brings back: the state and the threads
    from ssd_starter.centre import submissions as review_states
    from ssd_starter.centre.threads import threads_of_district

    [stored] = review_states.list_submissions(centre.engine)
    assert stored["state"] == "approved" and len(threads_of_district(centre.engine, stored["district_id"])) == 2

    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.districts_model.rowCount() == 1, timeout=WAIT_MS)
    districts = page.districts_model
    assert districts.index(0, districts.column_of("lm3")).data() == lm3
    assert districts.index(0, districts.column_of("latest")).data() == "approved"
    settle(qtbot, page)


def test_filters_sign_out_and_a_remembered_session(qtbot, make_window, centre, submitted, demo_store):
    window, page, errors = open_review(make_window)
    sign_in_first_time(qtbot, page, centre, remember=True)
    remembered = window.settings.get("review_session")
    assert remembered["name"] == "Chiara" and PASSWORD not in str(remembered)
    page.state_filter.setCurrentIndex(page.state_filter.findData("approved"))
    assert page.queue_filter.rowCount() == 0
    page.state_filter.setCurrentIndex(page.state_filter.findData("received"))
    assert page.queue_filter.rowCount() == 1
    page.district_filter.setCurrentIndex(1)
    assert page.district_filter.currentText() == "Distretto di Economia Solidale Valsugana e Tesino"
    assert page.queue_filter.rowCount() == 1
    settle(qtbot, page)

    # a new window (the app started again) signs in from the remembered session
    from ssd_starter.ui.review.page import ReviewPage

    again = ReviewPage(errors.append, window.settings)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.submissions_model.rowCount() == 1, timeout=WAIT_MS)
    assert again.stack.currentIndex() == 1
    settle(qtbot, again)
    again.sign_out_button.click()
    assert again.stack.currentIndex() == 0 and window.settings.get("review_session") is None
    settle(qtbot, again)
    page.refresh()  # the first page held the same session: the Centre ended it
    qtbot.waitUntil(lambda: page.stack.currentIndex() == 0, timeout=WAIT_MS)
    assert "sign in again" in page.status.text() and page.sign_in_panel.name.text() == "Chiara"
    assert errors == []


def test_a_password_change_by_the_dialog(qtbot, make_window, centre, submitted):
    window, page, errors = open_review(make_window)
    sign_in_first_time(qtbot, page, centre)
    settle(qtbot, page)
    dialog = page.ask_password_change()
    dialog.current.setText("sbagliata davvero")
    dialog.new.setText("una nuova password")
    dialog.repeat.setText("una nuova password")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: "current password" in dialog.problem.text(), timeout=WAIT_MS)
    dialog.repeat.setText("diversa")
    dialog.buttons.accepted.emit()
    assert "differ" in dialog.problem.text()
    dialog.current.setText(PASSWORD)
    dialog.repeat.setText("una nuova password")
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        dialog.buttons.accepted.emit()
    assert "password was changed" in page.status.text()
    from ssd_starter.centre.advisor_client import AdvisorClient

    AdvisorClient(centre.url).sign_in("Chiara", password="una nuova password")
    assert errors == []


def test_offline_the_area_works_from_its_copy_and_sends_what_waited(qtbot, make_window, centre, submitted):
    window, page, errors = open_review(make_window)
    sign_in_first_time(qtbot, page, centre)
    open_first(qtbot, page)
    settle(qtbot, page)
    centre.stop()
    page.refresh()
    settle(qtbot, page)
    assert "cannot be reached" in page.status.text() and page.district.actors_model.rowCount() == 43
    select_actor(page, "GAS Borgo Solidale")
    write_and(page, page.threads.new_button, "Da verificare")
    qtbot.waitUntil(lambda: page.threads.model.rowCount() == 1, timeout=WAIT_MS)
    settle(qtbot, page)
    assert "waiting to be sent" in page.threads.model.index(0, 1).data()
    page.district.tabs.setCurrentWidget(page.district.decision_tab)
    page.district.issues_button.click()
    qtbot.waitUntil(lambda: page.district.detail["state"] == "has_issues", timeout=WAIT_MS)
    settle(qtbot, page)
    assert "2 actions wait to be sent" in page.status.text()
    assert "waiting to be sent" in page.submissions_model.index(0, 1).data()
    assert "Changes requested (waiting to be sent). 1 open thread" in page.notice.text()
    assert errors == []

    centre.start()
    assert page.send_button.isEnabled()
    page.send_button.click()  # (the next call that reaches the Centre would send them too, in order)
    settle(qtbot, page)
    assert "Connected to the Centre" in page.status.text() and "wait" not in page.status.text()
    [thread] = page.threads.model.records()
    assert not thread.get("pending") and thread["messages"][0]["text"] == "Da verificare"
    assert page.district.detail["state"] == "has_issues" and not page.district.detail.get("pending")
    assert errors == []


def test_the_review_speaks_italian_and_german_at_1366x768(qtbot, make_window, centre, submitted):
    window, page, errors = open_review(make_window)
    window.set_language("de")
    assert page.title.text() == "Prüfung durch das Zentrum" == window.nav.item(len(AREAS) - 1).text()
    QApplication.processEvents()
    save_screenshot(window, "review-sign-in-de.png")
    sign_in_first_time(qtbot, page, centre)
    open_first(qtbot, page)
    settle(qtbot, page)
    select_actor(page, "GAS Borgo Solidale")
    write_and(page, page.threads.new_button, "Manca il referente")
    qtbot.waitUntil(lambda: page.threads.model.rowCount() == 1, timeout=WAIT_MS)
    settle(qtbot, page)
    page.district.tabs.setCurrentWidget(page.district.decision_tab)
    for language in ("de", "it"):
        window.set_language(language)
        QApplication.processEvents()
        save_screenshot(window, f"review-{language}.png")
        page.district.tabs.setCurrentWidget(page.district.charter_tab)
        QApplication.processEvents()
        save_screenshot(window, f"review-charter-{language}.png")
        page.district.tabs.setCurrentWidget(page.district.decision_tab)
        page.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: page.districts_model.rowCount() == 1, timeout=WAIT_MS)
        settle(qtbot, page)
        QApplication.processEvents()
        save_screenshot(window, f"review-districts-{language}.png")
        page.tabs.setCurrentIndex(0)
    window.set_language("de")
    window.resize(1024, 768)  # the smallest screen the areas are built for
    QApplication.processEvents()
    save_screenshot(window, "review-de-1024.png")
    assert page.title.width() >= page.title.sizeHint().width()  # the buttons that do not fit overflow
    assert errors == []


def test_the_review_models_pass_the_model_tester(qtmodeltester):
    submission = {"id": "s1", "district_id": "d1", "district_name": "Valsugana", "state": "received",
                  "received_at": "2026-01-02T03:04:05+00:00", "note": "Nota", "pending": True}
    thread = {"id": "t1", "anchor": {"kind": "record", "table": "stakeholder", "id": "a1", "row_id": "a1"},
              "resolved": False, "messages": [{"author": "Chiara", "text": "Testo", "created_at": "2026-01-02"}]}
    district = {"district_id": "d1", "name": "Valsugana", "submissions": 2, "latest": {"state": "approved"},
                "indicators": {"lm3": {"value": 1.43, "status": "green"}}, "last_received_at": None}
    actor = {"id": "a1", "name": "GAS", "category": "consumer_group", "roles": ["consumer"], "stage": "member",
             "attitude": "supporter", "influence": 3, "interest": 4, "municipality": "Borgo"}
    check = {"id": "purpose", "title": "The purpose is stated", "reason": "Why", "passed": False,
             "required": True}
    for model, rows in ((SubmissionsModel(), [submission]), (ThreadsModel(), [thread]),
                        (DistrictsModel(), [district]), (ActorsModel(), [actor]), (ChecklistModel(), [check])):
        model.set_rows(rows)
        qtmodeltester.check(model)
        assert model.rowCount() == 1


def test_every_control_of_the_signed_in_area_is_reached_by_tab_and_named(qtbot, make_window, centre, submitted):
    from PySide6.QtWidgets import QTabWidget

    from tests.ui.test_release import focus_chain, named

    window, page, errors = open_review(make_window)
    sign_in_first_time(qtbot, page, centre)
    open_first(qtbot, page)
    settle(qtbot, page)
    unnamed: list[str] = []
    for tabs in [page.tabs, *page.findChildren(QTabWidget)]:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            settle(qtbot, page)
            QApplication.processEvents()
            chain = focus_chain(page)
            assert len(chain) >= 3, index
            unnamed += [f"{type(w).__name__}:{w.objectName()}" for w in chain if not named(w)]
    assert sorted(set(unnamed)) == []
    assert errors == []


def test_the_districts_side_by_side_show_the_change_since_last_year():
    district = {"district_id": "d1", "name": "Valsugana", "submissions": 2, "latest": {"state": "approved"},
                "indicators": {"lm3": {"value": 1.66, "status": "green", "last_year": 1.5},
                               "leakage": {"value": 0.41, "status": "amber", "last_year": 0.45},
                               "closure": {"value": 0.36, "status": "red"}},
                "last_received_at": None}
    model = DistrictsModel()
    model.set_rows([district])
    cell = {key: model.index(0, model.column_of(key)) for key in ("lm3", "leakage", "closure")}
    assert cell["lm3"].data() == "1.66 (+0.16)"
    assert cell["leakage"].data() == "41% (−4%)"
    assert cell["closure"].data() == "36%"  # no snapshot of last year: the value alone
    from PySide6.QtCore import Qt

    assert "Last year: 1.5" in cell["lm3"].data(Qt.ItemDataRole.ToolTipRole)
