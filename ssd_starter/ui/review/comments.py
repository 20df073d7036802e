"""The comment threads of the submission under review: each about one record or one charter section, its
messages in order (append-only), open or resolved. The panel asks; the page talks to the Centre and puts
the answer back in ``model``.

A new thread is about what is selected in the district's tabs (the page says what, ``set_anchor``); a reply
goes to the thread selected here; only the advisor who opened a thread may mark it resolved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.centre.advisor_client import MAX_COMMENT
from ssd_starter.i18n import _
from ssd_starter.ui.review.district import read_only_table
from ssd_starter.ui.review.models import ThreadsModel, when
from ssd_starter.ui.row_model import RecordRole


class ThreadsPanel(QWidget):
    open_requested = Signal(str)  # the first message of a new thread about the current anchor
    reply_requested = Signal(str, str)  # thread id, text
    resolve_requested = Signal(str)  # thread id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.me = ""  # the advisor signed in: who may resolve which thread
        self.anchor: dict[str, Any] | None = None
        self._anchor_text = ""
        self.model = ThreadsModel(self)
        self.view = read_only_table(self.model, "threads")
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(56)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.new_button, self.reply_button, self.resolve_button = QPushButton(), QPushButton(), QPushButton()
        self.new_button.clicked.connect(self._ask_to_open)
        self.reply_button.clicked.connect(self._ask_to_reply)
        self.resolve_button.clicked.connect(self._ask_to_resolve)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.messages)
        split.setSizes([420, 300])
        buttons = QHBoxLayout()
        for button in (self.new_button, self.reply_button, self.resolve_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        layout.addWidget(self.about)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._update)
        self.model.modelReset.connect(self._update)
        self._update()

    def retranslate(self) -> None:
        self.title.setText(_("Threads"))
        self.view.setAccessibleName(_("Threads"))
        self.messages.setAccessibleName(_("Messages of the thread"))
        self.text.setAccessibleName(_("Message"))
        self.text.setPlaceholderText(_("A new thread's first message, or a reply to the selected thread"))
        self.new_button.setText(_("New thread"))
        self.reply_button.setText(_("Reply"))
        self.resolve_button.setText(_("Mark resolved"))
        self.model.retranslate()
        self._update()

    # -- what the page gives ----------------------------------------------------------------

    def set_threads(self, threads: list[dict[str, Any]], labels: dict[tuple[str, str], str]) -> None:
        chosen = self.selected()
        self.model.labels = labels
        self.model.set_rows(threads)
        if threads:
            self.view.resizeColumnToContents(0)
            self.view.setColumnWidth(0, min(self.view.columnWidth(0), 320))  # a flow's label can be long
        row = self.model.row_by_id(chosen["id"]) if chosen else -1
        if row >= 0:
            self.view.selectRow(row)

    def set_anchor(self, anchor: dict[str, Any] | None, label: str) -> None:
        self.anchor, self._anchor_text = anchor, label
        self._update()

    def selected(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(RecordRole) if rows else None

    def sent(self) -> None:
        """The message went (or waits to): the field is ready for the next one."""
        self.text.clear()

    # -- helpers ----------------------------------------------------------------------------

    def _message(self) -> str:
        return self.text.toPlainText().strip()[:MAX_COMMENT]

    def _ask_to_open(self) -> None:
        self.open_requested.emit(self._message())

    def _ask_to_reply(self) -> None:
        thread = self.selected()
        if thread is not None:
            self.reply_requested.emit(thread["id"], self._message())

    def _ask_to_resolve(self) -> None:
        thread = self.selected()
        if thread is not None:
            self.resolve_requested.emit(thread["id"])

    def _update(self, *_args: object) -> None:
        thread = self.selected()
        self.about.setText(_("A new thread will be about: {what}").format(what=self._anchor_text)
                           if self.anchor else _("Select an actor, a flow, a card or a charter section to open a "
                                                 "thread about it."))
        self.new_button.setEnabled(self.anchor is not None)
        self.reply_button.setEnabled(thread is not None and not thread["resolved"])
        self.resolve_button.setEnabled(thread is not None and not thread["resolved"]
                                       and not thread.get("pending") and thread.get("opened_by") == self.me)
        self.messages.setPlainText("" if thread is None else "\n\n".join(
            f"{m['author']}, {when(m['created_at'])}{' …' if m.get('pending') else ''}\n{m['text']}"
            for m in thread["messages"]))
