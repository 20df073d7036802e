"""The Centre review area, for the Centre's advisors: sign in to the Centre, the queue of submissions (state,
district, date; filters), a submission opened read-only (its snapshot and decision, indicators, actors,
flows, canvas, charter with checklist, dossier), comment threads on its records and charter sections,
approve / request changes / reject, and the districts' indicators side by side.

Everything goes through the Centre's advisor API (``centre.advisor_client``) with a local copy
(``centre.review_copy``): the page holds an ``AdvisorReview``, never a database, and every call runs on
the area's own thread (``worker.CentreCalls``), never on the window's. When the Centre cannot be reached the
copy answers and actions wait to be sent; the status line says which.

The review lives in the desktop app rather than in a web page served by the Centre because advisors also
review offline, and the app already draws every indicator and label in three languages. The page is not
bound to the district chosen in the window (an advisor reviews the districts the Centre has received).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.centre.advisor_client import STATE_LABELS, STATES, AdvisorSession, SignInNeeded
from ssd_starter.centre.review_copy import AdvisorReview, Fetched, Outcome, SendReport
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, N_plural, _, format_datetime, ngettext
from ssd_starter.settings import Settings
from ssd_starter.ui.review.comments import ThreadsPanel
from ssd_starter.ui.review.district import DistrictView, read_only_table
from ssd_starter.ui.review.models import DistrictsModel, SubmissionFilterModel, SubmissionsModel
from ssd_starter.ui.review.sign_in import PasswordDialog, SignInPanel
from ssd_starter.ui.review.worker import CentreCalls
from ssd_starter.ui.row_model import RecordRole, ValueRole

OpenReview = Callable[..., AdvisorReview]


class ReviewPage(QWidget):
    def __init__(self, on_error: Callable[[UserError], None], settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._settings = settings or Settings()
        self.review: AdvisorReview | None = None
        self.submission_id: str | None = None
        self._status: Callable[[], str] = lambda: ""
        self.password_dialog: PasswordDialog | None = None
        self.calls = CentreCalls(self)
        self.calls.failed.connect(self._on_failed)
        self.calls.busy_changed.connect(self._on_busy)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.notice = QLabel()  # what the last decision left open (request changes: the open threads)
        self.notice.setWordWrap(True)
        self._notice: Callable[[], str] = lambda: ""
        self.sign_in_panel = SignInPanel()
        self.sign_in_panel.url.setText(self._settings.get("review_centre_url") or "")
        self.sign_in_panel.name.setText(self._settings.get("review_advisor") or "")
        self.sign_in_panel.sign_in_requested.connect(self.sign_in)
        self.stack = QStackedWidget()
        signed_out = QWidget()
        out = QHBoxLayout(signed_out)
        out.addWidget(self.sign_in_panel, 1)
        out.addStretch(0)
        self.stack.addWidget(signed_out)
        self.stack.addWidget(self._build_review())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._build_header())
        layout.addWidget(self.status)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        self.retranslate()
        self._resume_remembered()

    # -- building ---------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        self.refresh_button, self.send_button = QPushButton(), QPushButton()
        self.receive_button, self.password_button, self.sign_out_button = QPushButton(), QPushButton(), QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.send_button.clicked.connect(self.send_pending)
        self.receive_button.clicked.connect(self.receive_bundles)
        self.password_button.clicked.connect(self.ask_password_change)
        self.sign_out_button.clicked.connect(self.sign_out)
        self.account_buttons = (self.refresh_button, self.send_button, self.receive_button, self.password_button,
                                self.sign_out_button)
        # a tool bar, so on a narrow screen the buttons that do not fit go behind its extension arrow
        # instead of squeezing the title
        self.account_bar = QToolBar()
        self.account_bar.setObjectName("reviewAccount")
        for button in self.account_buttons:
            self.account_bar.addWidget(button)
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addWidget(self.account_bar, 1, Qt.AlignmentFlag.AlignRight)
        return bar

    def _build_review(self) -> QTabWidget:
        self.submissions_model = SubmissionsModel(self)
        self.queue_filter = SubmissionFilterModel(self)
        self.queue_filter.setSourceModel(self.submissions_model)
        self.queue = read_only_table(self.submissions_model, "queue")
        self.queue.setModel(self.queue_filter)
        header = self.queue.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.queue.selectionModel().selectionChanged.connect(lambda *_a: self._on_queue_selection())
        self.state_filter, self.district_filter = QComboBox(), QComboBox()
        self.state_filter.currentIndexChanged.connect(self._apply_filters)
        self.district_filter.currentIndexChanged.connect(self._apply_filters)
        self.filter_labels = (QLabel(), QLabel())
        self.filter_labels[0].setBuddy(self.state_filter)
        self.filter_labels[1].setBuddy(self.district_filter)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_labels[0])
        filters.addWidget(self.state_filter, 1)
        filters.addWidget(self.filter_labels[1])
        filters.addWidget(self.district_filter, 2)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addLayout(filters)
        left_box.addWidget(self.queue, 1)
        self.district = DistrictView()
        self.district.decision_requested.connect(self.decide)
        self.district.selection_changed.connect(self._on_anchor_changed)
        self.threads = ThreadsPanel()
        self.threads.open_requested.connect(self.open_thread)
        self.threads.reply_requested.connect(self.reply)
        self.threads.resolve_requested.connect(self.resolve)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.district)
        right.addWidget(self.threads)
        right.setSizes([380, 240])
        main = QSplitter()
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([360, 800])
        self.districts_model = DistrictsModel(self)
        self.districts_sorted = QSortFilterProxyModel(self)
        self.districts_sorted.setSourceModel(self.districts_model)
        self.districts_sorted.setSortRole(ValueRole)
        self.districts = read_only_table(self.districts_model, "districts")
        self.districts.setModel(self.districts_sorted)
        self.districts.setSortingEnabled(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(main, "")
        self.tabs.addTab(self.districts, "")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        return self.tabs

    def retranslate(self) -> None:
        self.title.setText(_("Centre review"))
        self.refresh_button.setText(_("Refresh"))
        self.send_button.setText(_("Send waiting actions"))
        self.receive_button.setText(_("Receive bundles…"))
        self.password_button.setText(_("Password…"))
        self.sign_out_button.setText(_("Sign out"))
        self.tabs.setTabText(0, _("Submissions"))
        self.tabs.setTabText(1, _("Districts side by side"))
        self.filter_labels[0].setText(_("State"))
        self.filter_labels[1].setText(_("District"))
        self.state_filter.setAccessibleName(_("State"))
        self.district_filter.setAccessibleName(_("District"))
        self.queue.setAccessibleName(_("Submissions"))
        self.districts.setAccessibleName(_("Districts side by side"))
        self._fill_state_filter()
        self._fill_district_filter()
        self.sign_in_panel.retranslate()
        self.district.retranslate()
        self.threads.retranslate()
        self.submissions_model.retranslate()
        self.districts_model.retranslate()
        self._show_account()
        self._show_status()

    # -- what the main window calls -----------------------------------------------------------

    def set_district(self, district_id: str | None) -> None:
        """The window's current district is this installation's own: the review shows the Centre's."""

    def detach(self) -> None:
        self.calls.wait()
        if self.review is not None:
            self.review.close()

    # -- signing in and out -----------------------------------------------------------------

    def _resume_remembered(self) -> None:
        session = AdvisorSession.from_json(self._settings.get("review_session"))
        if session is None:
            self._set_status(lambda: _("Sign in to review the submissions the Centre has received."))
            self._show_signed_in(False)
            return
        self._start(AdvisorReview.resume(session, allow_insecure=self._allow_http()))

    def _allow_http(self) -> bool:
        return bool(self._settings.get("centre_allow_http"))

    def sign_in(self) -> None:
        panel = self.sign_in_panel
        url, name, first = panel.url.text().strip(), panel.name.text().strip(), panel.first_time.isChecked()
        if first and panel.new_password.text() != panel.repeat_password.text():
            self._on_error(UserError(N_("The two new passwords differ.")))
            return
        password = None if first else panel.password.text()
        code = panel.code.text().strip() if first else None
        new_password = panel.new_password.text() if first else None
        allow = self._allow_http()
        self._settings.set("review_centre_url", url or None)
        self._settings.set("review_advisor", name or None)
        self._set_status(lambda: _("Signing in to {url}…").format(url=url))
        self.calls.call(lambda: AdvisorReview.sign_in(url, name, password=password, code=code,
                                                      new_password=new_password, allow_insecure=allow),
                        self._signed_in, self._sign_in_failed)

    def _signed_in(self, review: AdvisorReview) -> None:
        panel = self.sign_in_panel
        for field in (panel.password, panel.code, panel.new_password, panel.repeat_password):
            field.clear()
        panel.first_time.setChecked(False)
        remember = panel.remember.isChecked() and review.signed_in
        self._settings.set("review_session", review.session.as_json() if remember else None)
        self._start(review)

    def _sign_in_failed(self, error: UserError) -> None:
        self._set_status(lambda: _("Sign in to review the submissions the Centre has received."))
        self._on_error(error)

    def _start(self, review: AdvisorReview) -> None:
        if self.review is not None and self.review is not review:
            self.review.close()
        self.review = review
        self.threads.me = review.session.name
        self._show_signed_in(True)
        self.refresh()

    def sign_out(self) -> None:
        review = self.review
        if review is None:
            return
        self._settings.set("review_session", None)
        self.review = None
        self.calls.call(review.sign_out, lambda _none: None, lambda _error: None)
        self._forget_shown()
        self._set_status(lambda: _("Signed out. What you opened stays on this computer for when you sign in "
                                   "again."))
        self._show_signed_in(False)

    def _show_signed_in(self, signed_in: bool) -> None:
        self.stack.setCurrentIndex(1 if signed_in else 0)
        self.account_bar.setVisible(signed_in)
        self._show_account()

    def _show_account(self) -> None:
        review = self.review
        self.password_button.setEnabled(review is not None and review.signed_in)
        self._show_status()

    def account(self) -> str:
        """Who is signed in where, said before the status."""
        review = self.review
        if review is None:
            return ""
        return _("{name} at {url}").format(name=review.session.name, url=review.session.url)

    def ask_password_change(self) -> PasswordDialog:
        dialog = PasswordDialog(self)
        dialog.change_requested.connect(lambda current, new: self.change_password(current, new, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    def change_password(self, current: str, new: str, dialog: PasswordDialog | None = None) -> None:
        review = self._review()
        if review is None:
            return

        def changed(_none: None) -> None:
            if dialog is not None:
                dialog.accept()
            self._set_status(lambda: _("Your password was changed; your other sessions have ended."))

        def refused(error: UserError) -> None:
            if dialog is not None:
                dialog.problem.setText(error.message())
            else:
                self._on_error(error)

        self.calls.call(lambda: review.change_password(current, new), changed, refused)

    # -- the queue ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """The queue again (the Centre's, else the copy's), and the districts side by side when in view."""
        review = self._review()
        if review is None:
            return
        self.calls.call(review.queue, self._show_queue)
        if self.tabs.currentIndex() == 1:
            self.calls.call(review.districts, self._show_districts)
        if self.submission_id is not None:
            self._load_submission(self.submission_id)

    def _show_queue(self, fetched: Fetched) -> None:
        chosen = self.submission_id
        self.submissions_model.set_rows(fetched.value)
        self._fill_district_filter()
        self._select_in_queue(chosen)
        self._show_fetched(fetched)

    def _select_in_queue(self, submission_id: str | None) -> None:
        row = self.submissions_model.row_by_id(submission_id) if submission_id else -1
        if row >= 0:
            index = self.queue_filter.mapFromSource(self.submissions_model.index(row, 0))
            if index.isValid():
                self.queue.selectionModel().blockSignals(True)
                self.queue.selectRow(index.row())
                self.queue.selectionModel().blockSignals(False)

    def _fill_state_filter(self) -> None:
        chosen = self.state_filter.currentData()
        self.state_filter.blockSignals(True)
        self.state_filter.clear()
        self.state_filter.addItem(_("All"), None)
        for state in STATES:
            self.state_filter.addItem(_(STATE_LABELS[state]), state)
        self.state_filter.setCurrentIndex(max(0, self.state_filter.findData(chosen)))
        self.state_filter.blockSignals(False)

    def _fill_district_filter(self) -> None:
        chosen = self.district_filter.currentData()
        names = {row["district_id"]: row["district_name"] for row in self.submissions_model.records()}
        self.district_filter.blockSignals(True)
        self.district_filter.clear()
        self.district_filter.addItem(_("All"), None)
        for district_id, name in sorted(names.items(), key=lambda item: item[1].casefold()):
            self.district_filter.addItem(name, district_id)
        self.district_filter.setCurrentIndex(max(0, self.district_filter.findData(chosen)))
        self.district_filter.blockSignals(False)

    def _apply_filters(self) -> None:
        self.queue_filter.set_filters(self.state_filter.currentData(), self.district_filter.currentData())

    def _on_queue_selection(self) -> None:
        rows = self.queue.selectionModel().selectedRows()
        if rows:
            self.open_submission(rows[0].data(RecordRole)["id"])

    # -- one submission -------------------------------------------------------------------------

    def open_submission(self, submission_id: str) -> None:
        """The submission, its district's records and then its dossier, fetched off the window's thread."""
        if submission_id != self.submission_id:
            self._forget_shown()
        self.submission_id = submission_id
        self._select_in_queue(submission_id)
        self._load_submission(submission_id, with_records=True)

    def _load_submission(self, submission_id: str, *, with_records: bool = False) -> None:
        review = self._review()
        if review is None:
            return

        def fetch() -> tuple[Fetched, Fetched | None]:
            return review.submission(submission_id), review.district(submission_id) if with_records else None

        self.calls.call(fetch, lambda found: self._show_submission(submission_id, *found))

    def _show_submission(self, submission_id: str, detail: Fetched, records: Fetched | None) -> None:
        if submission_id != self.submission_id:
            return  # another one was chosen meanwhile
        if records is not None:
            self.district.set_records(records.value)
        self.district.set_detail(detail.value)
        self.threads.set_threads(detail.value.get("threads", []), self.district.anchor_labels())
        self._on_anchor_changed()
        self._show_fetched(detail)
        review = self.review
        if records is not None and review is not None and detail.value.get("has_dossier"):
            self.calls.call(lambda: review.dossier(submission_id),
                            lambda dossier: self._show_dossier(submission_id, dossier), lambda _error: None)

    def _show_dossier(self, submission_id: str, dossier: Fetched) -> None:
        if submission_id == self.submission_id:
            self.district.set_dossier(dossier.value)

    def _forget_shown(self) -> None:
        self.submission_id = None
        self._set_notice(lambda: "")
        self.district.show_nothing()
        self.threads.set_threads([], {})

    def _on_anchor_changed(self) -> None:
        found = self.district.current_anchor()
        self.threads.set_anchor(*(found if found else (None, "")))

    # -- actions --------------------------------------------------------------------------------

    def decide(self, state: str, comment: str) -> None:
        """Approve, request changes (the open threads are listed) or reject (with a comment)."""
        review, submission_id = self._review(), self.submission_id
        if review is None or submission_id is None:
            return

        def done(outcome: Outcome) -> None:
            self.district.clear_comment()
            self._after_write(outcome)
            if state == "has_issues":
                self._say_open_threads(outcome)

        self.calls.call(lambda: review.change_state(submission_id, state, comment), done)

    def _say_open_threads(self, outcome: Outcome) -> None:
        detail = outcome.value or self.district.detail or {}
        open_threads = [t for t in detail.get("threads", []) if not t["resolved"]]
        labels = [self.threads.model.anchor_label(t) for t in open_threads]
        sent = outcome.sent

        def render() -> str:
            head = _("Changes requested.") if sent else _("Changes requested (waiting to be sent).")
            listed = ngettext("{count} open thread: {threads}", "{count} open threads: {threads}",
                              len(labels)).format(count=len(labels), threads="; ".join(labels))
            none = _("No thread is open.")
            return f"{head} {listed}" if labels else f"{head} {none}"

        self._set_notice(render)

    def open_thread(self, text: str) -> None:
        review, submission_id, anchor = self._review(), self.submission_id, self.threads.anchor
        if review is None or submission_id is None or anchor is None:
            return
        self.calls.call(lambda: review.open_thread(submission_id, anchor, text), self._after_message)

    def reply(self, thread_id: str, text: str) -> None:
        review, submission_id = self._review(), self.submission_id
        if review is None or submission_id is None:
            return
        self.calls.call(lambda: review.reply(submission_id, thread_id, text), self._after_message)

    def resolve(self, thread_id: str) -> None:
        review, submission_id = self._review(), self.submission_id
        if review is None or submission_id is None:
            return
        self.calls.call(lambda: review.resolve(submission_id, thread_id), self._after_write)

    def _after_message(self, outcome: Outcome) -> None:
        if not outcome.refused or outcome.sent:
            self.threads.sent()
        self._after_write(outcome)

    def _after_write(self, outcome: Outcome) -> None:
        """Refusals said; the queue and the submission shown again (from the Centre, or the copy with what
        waits applied)."""
        for refusal in outcome.refused:
            self._on_error(refusal)
        if self.review is not None and self.review.session_ended:
            self._session_ended()
            return
        self.refresh()

    def send_pending(self) -> None:
        review = self._review()
        if review is None:
            return

        def sent(report: SendReport) -> None:
            for refusal in report.refused:
                self._on_error(refusal)
            if review.session_ended:
                self._session_ended()
                return
            self.refresh()

        self.calls.call(review.send_pending, sent)

    def receive_bundles(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Receive bundles"), "", _("Bundles (*.ssdbundle)"))
        if paths:
            self.receive_bundle_files([Path(p) for p in paths])

    def receive_bundle_files(self, paths: list[Path]) -> None:
        """Each bundle sent to the Centre (or kept until it can be); the refusals said together."""
        review = self._review()
        if review is None:
            return

        def receive() -> tuple[int, int, list[UserError]]:
            sent = waiting = 0
            refused: list[UserError] = []
            for path in paths:
                try:
                    outcome = review.receive_bundle(path)
                except UserError as exc:
                    refused.append(exc)
                    continue
                sent += outcome.sent
                waiting += not outcome.sent and not outcome.refused
                refused += [UserError(N_("{path}: {reason}"), path=path.name, reason=r) for r in outcome.refused]
            return sent, waiting, refused

        def received(result: tuple[int, int, list[UserError]]) -> None:
            sent, waiting, refused = result
            self._set_status(lambda: ngettext("{count} bundle received by the Centre.",
                                              "{count} bundles received by the Centre.", sent).format(count=sent)
                             + (" " + ngettext("{count} waits to be sent.", "{count} wait to be sent.",
                                               waiting).format(count=waiting) if waiting else ""))
            if len(refused) == 1:
                self._on_error(refused[0])
            elif refused:
                self._on_error(UserError(N_plural("{count} bundle was not received:\n{reasons}",
                                                    "{count} bundles were not received:\n{reasons}"), count=len(refused),
                                         reasons="\n".join(r.message() for r in refused)))
            self.refresh()

        self.calls.call(receive, received)

    # -- the districts side by side -------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        review = self.review
        if index == 1 and review is not None:
            self.calls.call(review.districts, self._show_districts)

    def _show_districts(self, fetched: Fetched) -> None:
        self.districts_model.set_rows(fetched.value)
        self.districts.resizeColumnsToContents()
        self._show_fetched(fetched)

    # -- helpers --------------------------------------------------------------------------------

    def _review(self) -> AdvisorReview | None:
        if self.review is None:
            self._on_error(UserError(N_("Sign in to the Centre first.")))
        return self.review

    def _on_failed(self, error: UserError) -> None:
        if isinstance(error, SignInNeeded):
            self._session_ended()
            return
        self._on_error(error)

    def _session_ended(self) -> None:
        """The Centre no longer knows the session: sign in again (what waits stays in the copy)."""
        review = self.review
        self._settings.set("review_session", None)
        if review is not None:
            self.sign_in_panel.url.setText(review.session.url)
            self.sign_in_panel.name.setText(review.session.name)
            review.close()
        self.review = None
        waiting = len(review.pending()) if review is not None else 0
        self._set_status(lambda: _("Your session at the Centre has ended: sign in again.") + (
            " " + ngettext("{count} action waits to be sent.", "{count} actions wait to be sent.", waiting)
            .format(count=waiting) if waiting else ""))
        self._show_signed_in(False)

    def _show_fetched(self, fetched: Fetched) -> None:
        review = self.review
        if review is None:
            return
        waiting = len(review.pending())
        online, at, signed_in = fetched.online, fetched.fetched_at, review.signed_in

        def render() -> str:
            if online:
                text = _("Connected to the Centre.")
            elif signed_in:
                text = _("The Centre cannot be reached: showing the local copy of {when}.").format(
                    when=format_datetime(at.astimezone()))
            else:
                text = _("Working from the local copy of {when}: sign in again when the Centre can be reached.") \
                    .format(when=format_datetime(at.astimezone()))
            if waiting:
                text += " " + ngettext("{count} action waits to be sent.", "{count} actions wait to be sent.",
                                       waiting).format(count=waiting)
            return text

        self.send_button.setEnabled(waiting > 0 and signed_in)
        self._set_status(render)

    def _on_busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def _set_status(self, render: Callable[[], str]) -> None:
        self._status = render
        self._show_status()

    def _show_status(self) -> None:
        self.status.setText(" — ".join(part for part in (self.account(), self._status()) if part))
        self.notice.setText(self._notice())
        self.notice.setVisible(bool(self.notice.text()))

    def _set_notice(self, render: Callable[[], str]) -> None:
        self._notice = render
        self._show_status()

    def shown_submission(self) -> dict[str, Any] | None:
        return self.district.detail
