"""The comments on the district under review, and the form to add one or mark one resolved. The panel asks;
the page talks to the review service and puts the answer back in ``model``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.centre.review import MAX_AUTHOR, MAX_COMMENT, ReviewComment
from ssd_starter.i18n import _
from ssd_starter.ui.review.models import ReviewCommentsModel
from ssd_starter.ui.row_model import RecordRole


class ReviewCommentsPanel(QWidget):
    add_requested = Signal(str, str)  # author, text
    resolve_requested = Signal(str)  # comment id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ReviewCommentsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.author = QLineEdit()
        self.author.setMaxLength(MAX_AUTHOR)
        self.comment_text = QLineEdit()
        self.comment_text.setMaxLength(MAX_COMMENT)
        self.comment_button, self.resolve_button = QPushButton(), QPushButton()
        self.comment_button.clicked.connect(self._ask_to_add)
        self.comment_text.returnPressed.connect(self._ask_to_add)
        self.resolve_button.clicked.connect(self._ask_to_resolve)
        self.labels = (QLabel(), QLabel())
        self.labels[0].setBuddy(self.author)
        self.labels[1].setBuddy(self.comment_text)
        form = QFormLayout()
        form.addRow(self.labels[0], self.author)
        form.addRow(self.labels[1], self.comment_text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment_button)
        buttons.addWidget(self.resolve_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.view.selectionModel().currentChanged.connect(self._update_resolve)
        self.model.modelReset.connect(self._update_resolve)
        self.model.dataChanged.connect(self._update_resolve)
        self._update_resolve()

    def retranslate(self) -> None:
        self.view.setAccessibleName(_("Comments"))
        self.labels[0].setText(_("Your name"))
        self.labels[1].setText(_("Comment"))
        self.comment_button.setText(_("Add comment"))
        self.resolve_button.setText(_("Mark resolved"))
        self.model.retranslate()

    def selected(self) -> ReviewComment | None:
        index = self.view.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    def show_added(self, comment: ReviewComment) -> None:
        """The comment the service stored: listed, selected, and the text field ready for the next one."""
        self.model.put(comment)
        self.view.setCurrentIndex(self.model.index(self.model.row_by_id(comment.id), 0))
        self.comment_text.clear()

    def _ask_to_add(self) -> None:
        self.add_requested.emit(self.author.text(), self.comment_text.text())

    def _ask_to_resolve(self) -> None:
        comment = self.selected()
        if comment is not None and not comment.resolved:
            self.resolve_requested.emit(comment.id)

    def _update_resolve(self, *_args: object) -> None:
        comment = self.selected()
        self.resolve_button.setEnabled(comment is not None and not comment.resolved)
