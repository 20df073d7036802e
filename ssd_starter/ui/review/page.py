"""The Centre review area, for the Centre's advisor: open the Centre's database — the one ``centre serve`` uses,
SQLite or PostgreSQL — receive bundles into it, see every district's indicators side by side, read a
district and comment on its records; the comments reach the promoter at the district's next sync.

The review lives in the desktop app rather than in a web page served by the Centre because advisors also
review offline, from bundles on a stick, and the app already draws every indicator and label in three
languages. The page holds a ``ReviewService`` (``centre/review.py``), never a database: it is not bound
to the district chosen in the window (an advisor reviews the districts the Centre has received).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.centre.review import ReceivedRecord, ReviewedDistrict, ReviewService
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, _, ngettext
from ssd_starter.settings import Settings
from ssd_starter.ui.review.comments import ReviewCommentsPanel
from ssd_starter.ui.review.models import ReceivedRecordsModel, ReviewedDistrictsModel
from ssd_starter.ui.row_model import RecordRole

OpenService = Callable[[str], ReviewService]
T = TypeVar("T")
CLOSED_HINT = N_("Open the Centre's database to see the districts it has received and comment on their records.")


class ReviewPage(QWidget):
    def __init__(self, on_error: Callable[[UserError], None], settings: Settings | None = None,
                 open_service: OpenService = ReviewService.open, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self._settings = settings or Settings()
        self._open_service = open_service
        self.service: ReviewService | None = None
        self._status: Callable[[], str] = lambda: _(CLOSED_HINT)  # said again in a new language
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.districts_model = ReviewedDistrictsModel(self)
        self.records_model = ReceivedRecordsModel(self)
        self.comments = ReviewCommentsPanel()
        self.comments.add_requested.connect(self.add_comment)
        self.comments.resolve_requested.connect(self.resolve_comment)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addLayout(self._build_database_bar())
        layout.addWidget(self.status)
        layout.addWidget(self._build_lists(), 1)
        self.retranslate()

    def _build_database_bar(self) -> QHBoxLayout:
        self.database_label = QLabel()
        self.database = QLineEdit(self._settings.get("centre_database") or "")
        self.database_label.setBuddy(self.database)
        self.open_button, self.receive_button = QPushButton(), QPushButton()
        self.database.returnPressed.connect(self.open_centre)
        self.open_button.clicked.connect(self.open_centre)
        self.receive_button.clicked.connect(self.receive_bundles)
        bar = QHBoxLayout()
        bar.addWidget(self.database_label)
        bar.addWidget(self.database, 1)
        bar.addWidget(self.open_button)
        bar.addWidget(self.receive_button)
        return bar

    def _build_lists(self) -> QSplitter:
        self.districts = QTableView()
        self.districts.setModel(self.districts_model)
        self.districts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.districts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.districts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.districts.verticalHeader().hide()
        self.districts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.districts.selectionModel().selectionChanged.connect(lambda *_args: self._show_district())
        self.records = QListView()
        self.records.setModel(self.records_model)
        self.records.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        lower = QSplitter()
        lower.addWidget(self.records)
        lower.addWidget(self.comments)
        lower.setSizes([400, 600])
        upper = QSplitter(Qt.Orientation.Vertical)
        upper.addWidget(self.districts)
        upper.addWidget(lower)
        upper.setSizes([220, 400])
        return upper

    def retranslate(self) -> None:
        self.title.setText(_("Centre review"))
        self.database_label.setText(_("Centre database"))
        self.database.setAccessibleName(_("Centre database"))
        self.database.setPlaceholderText(_("sqlite:///… or postgresql://… (empty: the one in this data folder)"))
        self.open_button.setText(_("Open"))
        self.receive_button.setText(_("Receive bundles…"))
        self.districts.setAccessibleName(_("Districts"))
        self.records.setAccessibleName(_("Records of the district"))
        self.comments.retranslate()
        self.districts_model.retranslate()
        self.records_model.retranslate()
        self._show_status()

    # -- what the main window calls -----------------------------------------------------------

    def set_district(self, district_id: str | None) -> None:
        """The window's current district is this installation's own: the review shows the Centre's."""

    def detach(self) -> None:
        if self.service is not None:
            self.service.close()
            self.service = None

    # -- the Centre's database ----------------------------------------------------------------

    def open_centre(self) -> bool:
        self.detach()
        location = self.database.text().strip()
        try:
            self.service = self._open_service(location)
        except UserError as exc:
            self._set_status(lambda: _(CLOSED_HINT))
            self._on_error(exc)
            return False
        self._settings.set("centre_database", location or None)
        shown = self.service.location
        self._set_status(lambda: _("The Centre's database at {location} is open.").format(location=shown))
        self._fill_districts()
        return True

    def receive_bundles(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Receive bundles"), "", _("Bundles (*.ssdbundle)"))
        if paths:
            self.receive_bundle_files([Path(p) for p in paths])

    def receive_bundle_files(self, paths: Sequence[Path]) -> int:
        """Receive the bundles (opening the database first if needed); how many were received."""
        if self.service is None and not self.open_centre():
            return 0
        assert self.service is not None
        report = self.service.receive_bundle_files(paths)
        self._fill_districts()
        count = len(report.received)
        self._set_status(lambda: ngettext("{count} bundle received.", "{count} bundles received.", count)
                         .format(count=count))
        if len(report.refused) == 1:
            self._on_error(report.refused[0])
        elif report.refused:
            self._on_error(UserError(N_("{count} bundles were not received:\n{reasons}"), count=len(report.refused),
                                     reasons="\n".join(refusal.message() for refusal in report.refused)))
        return count

    def _fill_districts(self) -> None:
        """The districts again, the one under review still selected."""
        chosen = self.reviewed_district()
        districts = self._ask(lambda service: service.districts())
        if districts is None:
            return
        self.districts_model.set_rows(districts)
        row = self.districts_model.row_by_id(chosen.id) if chosen else -1
        if row >= 0:
            self.districts.selectRow(row)
        else:
            self._show_district()

    # -- the district under review ------------------------------------------------------------

    def reviewed_district(self) -> ReviewedDistrict | None:
        rows = self.districts.selectionModel().selectedRows()
        return rows[0].data(RecordRole) if rows else None

    def _show_district(self) -> None:
        district = self.reviewed_district()
        records = self._ask(lambda service: service.records(district.id)) if district else []
        comments = self._ask(lambda service: service.comments(district.id)) if district else []
        self.records_model.set_rows(records or [])
        self.comments.model.set_labels(self.records_model.labels())
        self.comments.model.set_rows(comments or [])

    def chosen_record(self) -> ReceivedRecord | None:
        index = self.records.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    def add_comment(self, author: str, text: str) -> None:
        district, record = self.reviewed_district(), self.chosen_record()
        if district is None or record is None:
            self._on_error(UserError(N_("Choose a record, and write your name and the comment.")))
            return
        comment = self._ask(lambda service: service.add_comment(district.id, record.table, record.id, author, text))
        if comment is not None:
            self.comments.show_added(comment)

    def resolve_comment(self, comment_id: str) -> None:
        comment = self._ask(lambda service: service.resolve_comment(comment_id))
        if comment is not None:
            self.comments.model.put(comment)

    # -- helpers --------------------------------------------------------------------------------

    def _ask(self, question: Callable[[ReviewService], T]) -> T | None:
        """The service's answer, or None when there is no service or it refused (said to the user)."""
        if self.service is None:
            self._on_error(UserError(N_("Open the Centre's database first.")))
            return None
        try:
            return question(self.service)
        except UserError as exc:
            self._on_error(exc)
            return None

    def _set_status(self, render: Callable[[], str]) -> None:
        self._status = render
        self._show_status()

    def _show_status(self) -> None:
        self.status.setText(self._status())
