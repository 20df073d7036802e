"""A submission opened in the review area, read-only: its snapshot (state, note, history, the decision), the
indicators it was sent with, and its district as the Centre holds it — actors, flows, canvas cards, the
charter with its checklist — and the submitted dossier.

The district's records come as the Centre's JSON rows; what an advisor selects in a tab (an actor, a flow,
a card, a charter section) is what a new thread is about (``current_anchor``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.charter import STEPS, CheckContext, check, joined_content, section_text
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import N_, _
from ssd_starter.ui.review.models import (
    ActorsModel,
    CanvasModel,
    ChecklistModel,
    DocumentsModel,
    FlowsModel,
    HistoryModel,
    IndicatorsModel,
    SectionsModel,
    live,
    state_label,
    when,
)
from ssd_starter.ui.row_model import RecordRole

Anchor = tuple[dict[str, Any], str]  # the API's anchor, and how it reads


def read_only_table(model: DocumentsModel, name: str = "") -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setResizeContentsPrecision(200)  # a column's width from its first rows, not 5,000
    view.setWordWrap(False)
    view.setObjectName(name)
    return view


def charter_of(tables: Mapping[str, list[dict[str, Any]]], version_id: str | None) -> tuple[dict[str, Any], str]:
    """The charter to show: the version the submission stands on when the Centre holds its text, else the
    draft's sections as last synced; and which of the two it is (a phrase, N_)."""
    versions = {v["id"]: v for v in live(tables.get("charter_version", []))}
    version = versions.get(version_id or "")
    if version is not None and version.get("content"):
        return joined_content(_sections_of(version["content"])), N_("the charter version sent with the submission")
    sections = {s["key"]: s.get("value") or {} for s in live(tables.get("charter_section", []))}
    return joined_content(sections), N_("the charter draft as last synced")


def _sections_of(content: Mapping[str, Any]) -> dict[str, Any]:
    from ssd_starter.core.charter import section_values

    return section_values(content)


class DistrictView(QWidget):
    """The tabs of one submission; ``decision_requested(state, comment)`` when a decision button is pressed."""

    decision_requested = Signal(str, str)
    selection_changed = Signal()  # what a new thread would be about changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: dict[str, Any] | None = None
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.names: dict[str, str] = {}
        self._dossier: bytes | None = None
        self._dossier_shown = False
        self.history_model, self.indicators_model = HistoryModel(self), IndicatorsModel(self)
        self.actors_model, self.flows_model, self.canvas_model = ActorsModel(self), FlowsModel(self), CanvasModel(self)
        self.sections_model, self.checklist_model = SectionsModel(self), ChecklistModel(self)
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setDocumentMode(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = read_only_table(self.history_model, "history")
        self.comment = QPlainTextEdit()
        self.comment.setMaximumHeight(60)
        self.approve_button, self.issues_button, self.reject_button = QPushButton(), QPushButton(), QPushButton()
        self.approve_button.clicked.connect(lambda: self._decide("approved"))
        self.issues_button.clicked.connect(lambda: self._decide("has_issues"))
        self.reject_button.clicked.connect(lambda: self._decide("rejected"))
        self.indicators = read_only_table(self.indicators_model, "indicators")
        self.actors = read_only_table(self.actors_model, "actors")
        self.flows = read_only_table(self.flows_model, "flows")
        self.canvas = read_only_table(self.canvas_model, "canvas")
        self.sections = read_only_table(self.sections_model, "sections")
        self.checklist = read_only_table(self.checklist_model, "checklist")
        self.charter_note = QLabel()
        self.charter_note.setObjectName("hint")
        self.charter_note.setWordWrap(True)
        self.dossier_note = QLabel()
        self.dossier_note.setWordWrap(True)
        self.open_dossier_button = QPushButton()
        self.open_dossier_button.clicked.connect(self.open_dossier)
        self.pages = QWidget()
        self.pages_layout = QHBoxLayout(self.pages)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(self.pages)
        self.pages_area.setWidgetResizable(False)
        self._build_tabs()
        for view in (self.actors, self.flows, self.canvas, self.sections):
            view.selectionModel().selectionChanged.connect(lambda *_a: self.selection_changed.emit())
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.show_nothing()

    def _build_tabs(self) -> None:
        decision = QWidget()
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.issues_button, self.reject_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.comment_label = QLabel()
        self.comment_label.setBuddy(self.comment)
        box = QVBoxLayout(decision)
        box.addWidget(self.summary)
        box.addWidget(self.history, 1)
        box.addWidget(self.comment_label)
        box.addWidget(self.comment)
        box.addLayout(buttons)
        charter = QWidget()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.sections)
        split.addWidget(self.checklist)
        charter_box = QVBoxLayout(charter)
        charter_box.setContentsMargins(0, 0, 0, 0)
        charter_box.addWidget(self.charter_note)
        charter_box.addWidget(split, 1)
        dossier = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.dossier_note, 1)
        top.addWidget(self.open_dossier_button)
        dossier_box = QVBoxLayout(dossier)
        dossier_box.addLayout(top)
        dossier_box.addWidget(self.pages_area, 1)
        self.decision_tab, self.charter_tab, self.dossier_tab = decision, charter, dossier
        for widget in (decision, self.indicators, self.actors, self.flows, self.canvas, charter, dossier):
            self.tabs.addTab(widget, "")

    def retranslate(self) -> None:
        titles = (N_("Submission"), N_("Indicators"), N_("Actors"), N_("Flows"), N_("Canvas"), N_("Charter"),
                  N_("Dossier"))
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, _(title))
        self.approve_button.setText(_("Approve"))
        self.issues_button.setText(_("Request changes"))
        self.reject_button.setText(_("Reject"))
        self.comment_label.setText(_("Comment on the decision (needed to reject)"))
        self.comment.setAccessibleName(_("Comment on the decision (needed to reject)"))
        self.open_dossier_button.setText(_("Open in the PDF viewer"))
        self.pages_area.setAccessibleName(_("The dossier as submitted: its first pages."))
        for view, name in ((self.history, N_("History")), (self.indicators, N_("Indicators")),
                           (self.actors, N_("Actors")), (self.flows, N_("Flows")), (self.canvas, N_("Canvas")),
                           (self.sections, N_("Charter")), (self.checklist, N_("Checklist"))):
            view.setAccessibleName(_(name))
        for model in (self.history_model, self.indicators_model, self.actors_model, self.flows_model,
                      self.canvas_model, self.sections_model, self.checklist_model):
            model.retranslate()
        self._show_summary()
        self._show_dossier_note()

    # -- what the page gives ----------------------------------------------------------------

    def show_nothing(self) -> None:
        self.detail, self.tables, self.names, self._dossier = None, {}, {}, None
        for model in (self.history_model, self.indicators_model, self.actors_model, self.flows_model,
                      self.canvas_model, self.sections_model, self.checklist_model):
            model.set_rows([])
        self._clear_pages()
        self._enable(False)
        self._show_summary()
        self._show_dossier_note()

    def set_detail(self, detail: dict[str, Any], *, writable: bool = True) -> None:
        """The submission as the Centre (or the copy) has it; its decision buttons only while it can change."""
        self.detail = detail
        self.history_model.set_rows(detail.get("history", []))
        for column in range(3):
            self.history.resizeColumnToContents(column)
        self.indicators_model.set_summary(detail.get("summary") or {})
        self._enable(writable)
        self._show_summary()
        if self.tables:
            self._fill_charter()

    def set_records(self, district: dict[str, Any]) -> None:
        tables = district.get("tables") or {}
        self.tables = {table: live(rows) for table, rows in tables.items()}
        actors = self.tables.get("stakeholder", [])
        self.names = {a["id"]: str(a.get("name") or a["id"]) for a in actors}
        self.flows_model.names = self.canvas_model.names = self.names
        self.actors_model.set_rows(sorted(actors, key=lambda a: str(a.get("name", "")).casefold()))
        self.flows_model.set_rows(self.tables.get("flow", []))
        self.canvas_model.set_rows(self.tables.get("canvas_item", []))
        self._fill_charter()
        for view in (self.actors, self.flows, self.canvas):
            view.resizeColumnToContents(0)

    def set_dossier(self, data: bytes | None) -> None:
        self._dossier, self._dossier_shown = data, False
        self._clear_pages()
        self._show_dossier_note()
        if self.tabs.currentWidget() is self.dossier_tab:
            self.show_dossier_pages()

    def clear_comment(self) -> None:
        self.comment.clear()

    # -- anchors ----------------------------------------------------------------------------

    def current_anchor(self) -> Anchor | None:
        """The record or charter section selected in the tab in view: what a new thread is about."""
        widget = self.tabs.currentWidget()
        if widget is self.charter_tab:
            rows = self.sections.selectionModel().selectedRows()
            if rows:
                section = rows[0].data(RecordRole)
                return {"kind": "section", "key": section["id"]}, _("Charter: {section}").format(
                    section=_(section["title"]))
            return None
        for view in (self.actors, self.flows, self.canvas):
            if widget is view:
                rows = view.selectionModel().selectedRows()
                if not rows:
                    return None
                record = rows[0].data(RecordRole)
                model = view.model()
                assert isinstance(model, ActorsModel | FlowsModel | CanvasModel)
                return ({"kind": "record", "table": model.ANCHOR_TABLE, "id": record["id"]},
                        self.record_label(model.ANCHOR_TABLE, record))
        return None

    def record_label(self, table: str, record: Mapping[str, Any]) -> str:
        if table == "flow":
            ends = [self.names.get(e, e) if e else _("outside the district")
                    for e in (record.get("source_id"), record.get("target_id"))]
            text = record.get("description") or ""
            return f"{ends[0]} → {ends[1]}" + (f": {text}" if text else "")
        return str(record.get("name") or record.get("text") or record["id"])[:80]

    def anchor_labels(self) -> dict[tuple[str, str], str]:
        """How each record and section a thread can be about reads."""
        labels: dict[tuple[str, str], str] = {}
        for table in ("stakeholder", "flow", "canvas_item"):
            for record in self.tables.get(table, []):
                labels[(table, record["id"])] = self.record_label(table, record)
        for key, title in STEPS:
            labels[("charter_section", key)] = _(title)
        return labels

    # -- helpers ----------------------------------------------------------------------------

    def _decide(self, state: str) -> None:
        self.decision_requested.emit(state, self.comment.toPlainText())

    def _enable(self, writable: bool) -> None:
        for button in (self.approve_button, self.issues_button, self.reject_button):
            button.setEnabled(writable and self.detail is not None)
        self.comment.setEnabled(writable and self.detail is not None)

    def _show_summary(self) -> None:
        detail = self.detail
        if detail is None:
            self.summary.setText(_("Choose a submission in the queue to review it."))
            return
        lines = [_("{district} — {state}, received {when}").format(
            district=detail.get("district_name", ""), state=state_label(detail["state"], bool(detail.get("pending"))),
            when=when(detail.get("received_at")))]
        if detail.get("note"):
            lines.append(_("Note: {note}").format(note=detail["note"]))
        if detail.get("previous_id"):
            lines.append(_("It answers the submission {id}, which had issues.").format(id=detail["previous_id"][:8]))
        self.summary.setText("\n".join(lines))

    def _fill_charter(self) -> None:
        content, which = charter_of(self.tables, (self.detail or {}).get("charter_version_id"))
        self.charter_note.setText(_("Showing {which}.").format(which=_(which)))
        self.sections_model.set_rows([{"id": key, "title": title, "text": section_text(content, key, self.names)}
                                      for key, title in STEPS])
        actors = {a["id"]: a for a in self.tables.get("stakeholder", [])}
        self.checklist_model.set_rows([{"id": r.key, **r.as_dict(), "title": r.title, "reason": r.reason}
                                       for r in check(content, CheckContext(actors))])
        self.sections.resizeColumnToContents(0)
        self.checklist.resizeColumnToContents(1)

    def _on_tab_changed(self, _index: int) -> None:
        self.selection_changed.emit()
        if self.tabs.currentWidget() is self.dossier_tab:
            self.show_dossier_pages()

    def _show_dossier_note(self) -> None:
        if self.detail is None:
            text = ""
        elif not self.detail.get("has_dossier"):
            text = _("This submission came without a dossier.")
        elif self._dossier is None:
            text = _("The dossier is being fetched…")
        else:
            text = _("The dossier as submitted: its first pages.")
        self.dossier_note.setText(text)
        self.open_dossier_button.setEnabled(self._dossier is not None)

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def show_dossier_pages(self) -> None:
        """The first pages, rendered when the tab is first looked at (pdfium, as the Dossier area's preview)."""
        if self._dossier is None or self._dossier_shown:
            return
        self._dossier_shown = True
        from ssd_starter.ui.dossier.page import PREVIEW_PAGES, render_pages

        with tempfile.TemporaryDirectory() as folder:  # the PDF names people: only while it is rendered
            path = Path(folder) / "dossier.pdf"
            path.write_bytes(self._dossier)
            try:
                width = max(260, (self.pages_area.viewport().width() - 40) // PREVIEW_PAGES)
                images = render_pages(path, width=width)
            except Exception:  # noqa: BLE001 - pdfium's errors have no common type; the viewer may still open it
                images = []
                self.dossier_note.setText(_("The dossier cannot be previewed here: open it in the PDF viewer."))
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setFixedSize(image.size())
            label.setStyleSheet("border: 1px solid #b9bfca; background: white;")
            self.pages_layout.addWidget(label)
        self.pages.resize(self.pages_layout.sizeHint())

    open_with: Callable[[QUrl], bool] = staticmethod(QDesktopServices.openUrl)

    def open_dossier(self) -> None:
        """The whole dossier in the system's PDF viewer, from a user-only file in the data folder."""
        if self._dossier is None or self.detail is None:
            return
        from ssd_starter.files import write_bytes_atomically
        from ssd_starter.permissions import private_dir
        from ssd_starter.settings import data_dir

        folder = private_dir(data_dir() / "review-dossiers")
        path = folder / f"dossier-{self.detail['id'][:8]}.pdf"
        write_bytes_atomically(path, self._dossier, prefix=".dossier-", suffix=".pdf")
        if not self.open_with(QUrl.fromLocalFile(str(path))):
            raise UserError(N_("No PDF viewer could open {path}."), path=str(path))
