"""One card of the canvas board, and the district's cards as a row-cache model the board is drawn from.

A card shows its text (double-click or F2 to edit in place, saved as typed) and its actors as chips; it can be
dragged within and between blocks, moved with Ctrl+arrows, and has a menu of what can be done with it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QDrag, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
)

from ssd_starter.core.vocabulary import CanvasBlock
from ssd_starter.i18n import N_, _
from ssd_starter.store.canvas import get_card, list_canvas_items
from ssd_starter.ui.review_threads import ReviewBadge
from ssd_starter.ui.row_model import Column, RowCacheModel

if TYPE_CHECKING:
    from ssd_starter.ui.canvas.board import CanvasBoard

CARD_MIME = "application/x-ssd-starter-card"


class CardListModel(RowCacheModel):
    """The district's cards (not workshop proposals), block by block in their order."""

    TABLE = "canvas_item"
    COLUMNS = (Column("text", N_("Card")),)

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_canvas_items(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        return get_card(self._store, row_id)

    def cards_of(self, block: str) -> list[dict[str, Any]]:
        return sorted((c for c in self.records() if c["block"] == block), key=lambda c: (c["position"], c["text"]))


def card_mime(card_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(CARD_MIME, card_id.encode())
    return mime


class CardWidget(QFrame):
    """One card: its text (double-click or F2 to edit in place, saved as typed) and its actors as chips."""

    def __init__(self, card: Mapping[str, Any], names: Mapping[str, str], board: CanvasBoard) -> None:
        super().__init__()
        self.card = dict(card)
        self.board = board
        self.setObjectName("canvasCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # never squeezed below its text: a block scrolls instead
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.text_label = QLabel(self.card["text"])
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.editor = QPlainTextEdit()
        self.editor.setVisible(False)
        self.editor.setMaximumHeight(90)
        self.editor.installEventFilter(self)
        self.chips = QLabel()
        small = self.chips.font()
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.85))
        self.chips.setFont(small)
        self.chips.setWordWrap(True)
        self.chips.setMinimumWidth(1)  # a long name is shortened to the card's width, never widens the block
        self._names: Mapping[str, str] = {}
        self._chips_width = 0
        self.show_chips(names)
        self.chips.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.chips.linkActivated.connect(lambda href: board.open_actor(href.removeprefix("actor:")))
        # the Centre's threads about this card: shown only when there are some
        self.review_badge = ReviewBadge(board._store, "canvas_item")  # noqa: SLF001 - the board's own store
        self.review_badge.show_record(self.card["district_id"], self.card["id"], self.card["text"])
        heading = QHBoxLayout()
        heading.setContentsMargins(0, 0, 0, 0)
        heading.addWidget(self.text_label, 1)
        heading.addWidget(self.review_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(5, 3, 5, 3)
        layout.setSpacing(1)
        layout.addLayout(heading)
        layout.addWidget(self.editor)
        layout.addWidget(self.chips)
        self._press: QPoint | None = None
        self.editor.textChanged.connect(self._typed)
        self.setAccessibleName(self.card["text"])

    def show_chips(self, names: Mapping[str, str]) -> None:
        self._names = names
        self._chips_width = self.chips.width()
        self.chips.setText(self._chips_html(names))
        self.chips.setVisible(bool(self.card["stakeholder_ids"]))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.chips.width() != self._chips_width:  # names shortened for the old width: shortened anew
            self.show_chips(self._names)

    def show_text(self, text: str) -> None:
        self.card["text"] = text
        self.text_label.setText(text)
        self.setAccessibleName(text)

    def _chips_html(self, names: Mapping[str, str]) -> str:
        """A chip per actor, each whole on one line (a name broken over two lines read as two chips), shortened
        to the card's width when it is longer; the shortened ones' whole names in the tooltip."""
        metrics = self.chips.fontMetrics()
        room = max(self.chips.contentsRect().width(), 40) - 2 * metrics.horizontalAdvance(" ") - 2
        chips, shortened = [], []
        for actor_id in self.card["stakeholder_ids"]:
            if actor_id not in names:  # an actor deleted since is simply not shown (undo brings it back)
                continue
            name = names[actor_id]
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
            if shown != name:
                shortened.append(name)
            chips.append(f'<a href="actor:{actor_id}" style="text-decoration:none; color:#1d3f6e;">'
                         f'<span style="background-color:#dde7f5;">&nbsp;{escape(shown).replace(" ", "&nbsp;")}'
                         '&nbsp;</span></a>')
        self.chips.setToolTip("\n".join(shortened))
        return " ".join(chips)

    # -- editing in place --------------------------------------------------------------------

    def start_editing(self) -> None:
        self.editor.blockSignals(True)
        self.editor.setPlainText(self.card["text"])
        self.editor.blockSignals(False)
        self.text_label.setVisible(False)
        self.editor.setVisible(True)
        self.editor.setFocus()
        self.editor.selectAll()

    def finish_editing(self) -> None:
        if self.editor.isVisible():
            self.editor.setVisible(False)
            self.text_label.setVisible(True)
            self.setFocus()

    def _typed(self) -> None:
        text = self.editor.toPlainText()
        if text.strip():
            self.card["text"] = text.strip()
            self.text_label.setText(self.card["text"])
            self.board.edit_card_text(self.card["id"], text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.editor:
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() == Qt.Key.Key_Escape:
                self.finish_editing()
                return True
            if event.type() == QEvent.Type.FocusOut:
                QTimer.singleShot(0, self.finish_editing)
        return False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.start_editing()

    # -- moving -------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.setFocus()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self._press is None or self.editor.isVisible():
            return
        if (event.position().toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(card_mime(self.card["id"]))
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._press = None
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        key = event.key()
        if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.board.shift_card(self.card["id"], -1 if key == Qt.Key.Key_Up else 1)
        elif ctrl and key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.board.shift_block(self.card["id"], -1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_editing()
        elif key == Qt.Key.Key_Delete:
            self.board.delete_card(self.card["id"])
        elif key == Qt.Key.Key_Menu:
            self._menu(self.rect().center())
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt's name
        self._menu(event.pos())

    def _menu(self, at: QPoint) -> None:
        board, card_id = self.board, self.card["id"]
        menu = QMenu(self)
        menu.addAction(_("Edit text (F2)"), self.start_editing)
        menu.addAction(_("Link actors…"), lambda: board.link_actors(card_id))
        menu.addAction(_("Create a flow from this card…"), lambda: board.flow_from_card(card_id))
        move = menu.addMenu(_("Move to"))
        for block in CanvasBlock:
            action = move.addAction(block.label, partial(board.move_card, card_id, block.value, 10**6))
            action.setEnabled(block.value != self.card["block"])
        menu.addSeparator()
        menu.addAction(_("Delete card"), lambda: board.delete_card(card_id))
        menu.popup(self.mapToGlobal(at))

