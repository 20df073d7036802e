"""The canvas board: the thirteen blocks on one screen, cards that can be dragged within and between
blocks (or moved with Ctrl+arrows), edited in place, and linked to actors shown as chips.

The board only displays and reports intentions; the page turns them into store edits, and the board is
rebuilt from the store afterwards, so what is shown is always what was saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, Protocol

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDrag, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.vocabulary import CanvasBlock
from ssd_starter.i18n import _

CARD_MIME = "application/x-ssd-starter-card"
BLOCK_ORDER = [b.value for b in CanvasBlock]

# (row, column, row span, column span): a district version of the usual canvas arrangement, with value
# in the middle, the district's own side on the left and the people it serves on the right.
GRID: dict[str, tuple[int, int, int, int]] = {
    "partners": (0, 0, 2, 1),
    "key_activities": (0, 1, 1, 1),
    "key_resources": (1, 1, 1, 1),
    "social_value": (0, 2, 1, 1),
    "economic_value": (1, 2, 1, 1),
    "relationships": (0, 3, 1, 1),
    "channels": (1, 3, 1, 1),
    "beneficiaries": (0, 4, 1, 1),
    "customers": (1, 4, 1, 1),
    "costs": (2, 0, 1, 2),
    "surplus": (2, 2, 1, 1),
    "revenues": (2, 3, 1, 2),
    "impact": (3, 0, 1, 5),
}
TINTS = {
    "partners": "#eef3fb", "key_activities": "#eef3fb", "key_resources": "#eef3fb",
    "social_value": "#fdf3e7", "economic_value": "#fdf3e7",
    "relationships": "#eef8f0", "channels": "#eef8f0", "beneficiaries": "#eef8f0", "customers": "#eef8f0",
    "costs": "#f6eef6", "surplus": "#f6eef6", "revenues": "#f6eef6", "impact": "#f2f2ee",
}


class BoardController(Protocol):
    def add_card(self, block: str) -> None: ...
    def move_card(self, card_id: str, block: str, index: int) -> None: ...
    def edit_card_text(self, card_id: str, text: str) -> None: ...
    def delete_card(self, card_id: str) -> None: ...
    def link_actors(self, card_id: str) -> None: ...
    def flow_from_card(self, card_id: str) -> None: ...
    def open_actor(self, actor_id: str) -> None: ...


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
        self.chips = QLabel(self._chips_html(names))
        small = self.chips.font()
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.85))
        self.chips.setFont(small)
        self.chips.setWordWrap(True)
        self.chips.setVisible(bool(self.card["stakeholder_ids"]))
        self.chips.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.chips.linkActivated.connect(lambda href: board.controller.open_actor(href.removeprefix("actor:")))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(5, 3, 5, 3)
        layout.setSpacing(1)
        layout.addWidget(self.text_label)
        layout.addWidget(self.editor)
        layout.addWidget(self.chips)
        self._press: QPoint | None = None
        self.editor.textChanged.connect(self._typed)
        self.setAccessibleName(self.card["text"])

    def _chips_html(self, names: Mapping[str, str]) -> str:
        chips = []
        for actor_id in self.card["stakeholder_ids"]:
            if actor_id in names:  # an actor deleted since is simply not shown (undo brings it back)
                chips.append(f'<a href="actor:{actor_id}" style="text-decoration:none; color:#1d3f6e;">'
                             f'<span style="background-color:#dde7f5;">&nbsp;{escape(names[actor_id])}&nbsp;</span></a>')
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
            self.board.controller.edit_card_text(self.card["id"], text)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.editor:
            if event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.finish_editing()
                return True
            if event.type() == event.Type.FocusOut:
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
            self.board.controller.delete_card(self.card["id"])
        elif key == Qt.Key.Key_Menu:
            self._menu(self.rect().center())
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._menu(event.pos())

    def _menu(self, at: QPoint) -> None:
        controller, card_id = self.board.controller, self.card["id"]
        menu = QMenu(self)
        menu.addAction(_("Edit text (F2)"), self.start_editing)
        menu.addAction(_("Link actors…"), lambda: controller.link_actors(card_id))
        menu.addAction(_("Create a flow from this card…"), lambda: controller.flow_from_card(card_id))
        move = menu.addMenu(_("Move to"))
        for block in CanvasBlock:
            action = move.addAction(block.label, lambda b=block.value: controller.move_card(card_id, b, 10**6))
            action.setEnabled(block.value != self.card["block"])
        menu.addSeparator()
        menu.addAction(_("Delete card"), lambda: controller.delete_card(card_id))
        menu.popup(self.mapToGlobal(at))


def card_mime(card_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(CARD_MIME, card_id.encode())
    return mime


class BlockPanel(QFrame):
    """One block of the canvas: a title, an add button, and its cards in order. Accepts dropped cards."""

    def __init__(self, block: str, board: CanvasBoard) -> None:
        super().__init__()
        self.block = block
        self.board = board
        self.setObjectName("canvasBlock")
        self.setAcceptDrops(True)
        # Light tints only on a light palette: with a dark or high-contrast one, the system's own colours stay.
        tint = TINTS[block] if self.palette().base().color().lightness() > 160 else "palette(window)"
        self.setStyleSheet(f"QFrame#canvasBlock {{ background: {tint}; border: 1px solid palette(mid);"
                           " border-radius: 4px; }"
                           "QFrame#canvasBlock[dropTarget=\"true\"] { border: 2px solid palette(highlight); }"
                           "QFrame#canvasCard { background: palette(base); color: palette(text);"
                           " border: 1px solid palette(mid); border-radius: 3px; }"
                           "QFrame#canvasCard:focus { border: 2px solid palette(highlight); }")
        self.title = QLabel()
        self.title.setObjectName("blockTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.add_button = QToolButton()
        self.add_button.setText("+")
        self.add_button.setAutoRaise(True)
        self.add_button.clicked.connect(lambda: board.controller.add_card(block))
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title, 1)
        header.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        self.cards_box = QWidget()
        self.cards_box.setObjectName("cardsBox")
        self.cards_box.setStyleSheet("QWidget#cardsBox { background: transparent; }")
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(4)
        self.cards_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from card to card, not via the frame
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.cards_box)
        self.scroll.viewport().setStyleSheet("background: transparent;")
        self.scroll.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(3)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)
        self.cards: list[CardWidget] = []

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.scroll.viewport() and event.type() == event.Type.Resize:
            self._fit_height()
        return False

    def _fit_height(self) -> None:
        """Word-wrapped cards need more height when the block is narrow: the scroll area does not ask them
        (it sizes its widget to the viewport), so the box is told its real height for this width."""
        width = self.scroll.viewport().width()
        heights = [max(card.heightForWidth(width), card.minimumSizeHint().height()) for card in self.cards]
        self.cards_box.setMinimumHeight(sum(heights) + self.cards_layout.spacing() * max(0, len(heights) - 1))

    def retranslate(self) -> None:
        label = CanvasBlock(self.block).label
        self.title.setText(label)
        self.add_button.setToolTip(_("Add a card to {block}").format(block=label))
        self.add_button.setAccessibleName(self.add_button.toolTip())

    def set_cards(self, cards: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> None:
        for widget in self.cards:
            widget.setParent(None)
            widget.deleteLater()
        self.cards = [CardWidget(card, names, self.board) for card in cards]
        for n, widget in enumerate(self.cards):
            self.cards_layout.insertWidget(n, widget)
        self._fit_height()

    def drop_index(self, y_in_panel: float) -> int:
        """Where a card dropped at this height goes: before the first card whose middle is below it."""
        y = self.cards_box.mapFromGlobal(self.mapToGlobal(QPoint(0, int(y_in_panel)))).y()
        for n, widget in enumerate(self.cards):
            if y < widget.geometry().center().y():
                return n
        return len(self.cards)

    def _set_drop_target(self, on: bool) -> None:
        self.setProperty("dropTarget", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasFormat(CARD_MIME):
            event.acceptProposedAction()
            self._set_drop_target(True)

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasFormat(CARD_MIME):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._set_drop_target(False)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._set_drop_target(False)
        if not event.mimeData().hasFormat(CARD_MIME):
            return
        card_id = bytes(event.mimeData().data(CARD_MIME).data()).decode()
        event.acceptProposedAction()
        index = self.drop_index(event.position().y())
        own = [n for n, widget in enumerate(self.cards) if widget.card["id"] == card_id]
        if own and own[0] < index:
            index -= 1  # the drop point was counted with the card still in its old place above it
        # leave the drag's own event loop before the board is rebuilt under it
        QTimer.singleShot(0, lambda: self.board.controller.move_card(card_id, self.block, index))


class CanvasBoard(QWidget):
    card_count_changed = Signal(int)

    def __init__(self, controller: BoardController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.panels = {block: BlockPanel(block, self) for block in BLOCK_ORDER}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for block, (row, column, rows, columns) in GRID.items():
            grid.addWidget(self.panels[block], row, column, rows, columns)
        for column in range(5):
            grid.setColumnStretch(column, 1)
        for row, stretch in enumerate((3, 3, 2, 1)):
            grid.setRowStretch(row, stretch)
        self._cards: list[dict[str, Any]] = []
        self._names: dict[str, str] = {}

    def retranslate(self) -> None:
        for panel in self.panels.values():
            panel.retranslate()

    def set_cards(self, cards: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> None:
        editing = self.editing_card()
        if editing is not None and self._shape(cards, names) == self._shape(self._cards, self._names):
            # only texts changed (most likely the card being typed into): update in place, so the editor and
            # its cursor survive every saved keystroke
            self._cards = [dict(c) for c in cards]
            for card in self._cards:
                widget = self.card_widget(card["id"])
                if widget is not None and widget is not editing:
                    widget.card = dict(card)
                    widget.text_label.setText(card["text"])
            return
        if editing is not None:
            editing.finish_editing()
        focused = self.focused_card_id()
        self._names = dict(names)
        self._cards = [dict(c) for c in cards]
        for block, panel in self.panels.items():
            panel.set_cards([c for c in cards if c["block"] == block], names)
        self.card_count_changed.emit(len(self._cards))
        if focused:
            self.focus_card(focused)

    @staticmethod
    def _shape(cards: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> tuple:
        """Everything about the board except the cards' texts."""
        return (tuple((c["id"], c["block"], c["position"], tuple(c["stakeholder_ids"])) for c in cards),
                tuple(sorted(names.items())))

    def editing_card(self) -> CardWidget | None:
        for panel in self.panels.values():
            for widget in panel.cards:
                if widget.editor.isVisible() or widget.editor.hasFocus():
                    return widget
        return None

    def card_widget(self, card_id: str) -> CardWidget | None:
        for panel in self.panels.values():
            for widget in panel.cards:
                if widget.card["id"] == card_id:
                    return widget
        return None

    def focused_card_id(self) -> str | None:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, CardWidget):
            widget = widget.parentWidget()
        return widget.card["id"] if isinstance(widget, CardWidget) and widget.board is self else None

    def focus_card(self, card_id: str) -> None:
        widget = self.card_widget(card_id)
        if widget is not None:
            widget.setFocus()
            panel = self.panels[widget.card["block"]]
            panel.scroll.ensureWidgetVisible(widget)

    def _position(self, card_id: str) -> tuple[str, int]:
        card = next(c for c in self._cards if c["id"] == card_id)
        siblings = [c["id"] for c in self._cards if c["block"] == card["block"]]
        return card["block"], siblings.index(card_id)

    def shift_card(self, card_id: str, step: int) -> None:
        block, index = self._position(card_id)
        if 0 <= index + step < len(self.panels[block].cards):
            self.controller.move_card(card_id, block, index + step)

    def shift_block(self, card_id: str, step: int) -> None:
        block, _index = self._position(card_id)
        target = BLOCK_ORDER.index(block) + step
        if 0 <= target < len(BLOCK_ORDER):
            self.controller.move_card(card_id, BLOCK_ORDER[target], 10**6)
