"""The canvas board: the thirteen blocks on one screen, each with its cards in order (``card.py``), and what can
be done to them — add, edit in place, move by drag or Ctrl+arrows, link actors, delete — each one undoable edit.

The board is drawn from a row-cache model of the district's cards: an edit redraws only the blocks whose cards
moved, a text saved as typed changes one label, and a renamed actor changes only the chips that name it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.flows import flow_from_card
from ssd_starter.core.vocabulary import CanvasBlock
from ssd_starter.i18n import _
from ssd_starter.store import Store
from ssd_starter.store import canvas as card_edits  # its edit builders share the names of the board's actions
from ssd_starter.ui.canvas.card import CARD_MIME, CardListModel, CardWidget
from ssd_starter.ui.canvas.dialogs import ActorPicker
from ssd_starter.ui.map.actor_list import ActorListModel, on_rows_changed

RunEdit = Callable[..., bool]

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



def block_beside(block: str, step: int) -> str | None:
    """The block next to ``block`` on the board as drawn (GRID), to its left (−1) or right (+1): the top-most of
    those sharing a row with it. None at the board's edge."""
    row, column, rows, columns = GRID[block]
    edge = column - 1 if step < 0 else column + columns
    beside = [(r, name) for name, (r, c, rs, cs) in GRID.items()
              if c <= edge < c + cs and r < row + rows and row < r + rs]
    return min(beside)[1] if beside else None


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
        self.add_button.clicked.connect(lambda: board.add_card(block))
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
        self.scroll_area = QScrollArea()
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from card to card, not via the frame
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.cards_box)
        self.scroll_area.viewport().setStyleSheet("background: transparent;")
        self.scroll_area.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(3)
        layout.addLayout(header)
        layout.addWidget(self.scroll_area, 1)
        self.cards: list[CardWidget] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_height()
        return False

    def _fit_height(self) -> None:
        """Word-wrapped cards need more height when the block is narrow: the scroll area does not ask them
        (it sizes its widget to the viewport), so the box is told its real height for this width."""
        width = self.scroll_area.viewport().width()
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

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasFormat(CARD_MIME):
            event.acceptProposedAction()
            self._set_drop_target(True)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasFormat(CARD_MIME):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 - Qt's name
        self._set_drop_target(False)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
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
        QTimer.singleShot(0, lambda: self.board.move_card(card_id, self.block, index))


class CanvasBoard(QWidget):
    flow_requested = Signal(dict)  # the fields of a flow drafted from a card
    actor_requested = Signal(str)  # a chip was clicked

    def __init__(self, store: Store, actors: ActorListModel, run_edit: RunEdit,
                 on_error: Callable[[UserError], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._actors = actors
        self._run_edit = run_edit
        self._on_error = on_error
        self.model = CardListModel(store, self)
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
        self._leaving: set[str] = set()  # the blocks of the cards about to be removed
        self._follow_model()

    def _follow_model(self) -> None:
        model = self.model
        model.modelReset.connect(lambda: self._redraw(BLOCK_ORDER))
        model.rowsInserted.connect(lambda _parent, first, last: self._redraw(self._blocks_of(first, last)))
        model.rowsAboutToBeRemoved.connect(
            lambda _parent, first, last: self._leaving.update(self._blocks_of(first, last)))
        model.rowsRemoved.connect(self._on_cards_removed)
        model.dataChanged.connect(self._on_cards_edited)
        on_rows_changed(self._actors, self, self._on_actors_changed)

    def set_district(self, district_id: str | None) -> None:
        self.model.set_district(district_id)

    def detach(self) -> None:
        self.model.detach()

    def retranslate(self) -> None:
        for panel in self.panels.values():
            panel.retranslate()

    # -- drawn from the model -----------------------------------------------------------------

    def _blocks_of(self, first: int, last: int) -> set[str]:
        return {self.model.record(row)["block"] for row in range(first, last + 1)}

    def _on_cards_removed(self, *_args: object) -> None:
        blocks, self._leaving = self._leaving, set()
        self._redraw(blocks)

    def _on_cards_edited(self, top: QModelIndex, bottom: QModelIndex, _roles: Sequence[int] = ()) -> None:
        moved: set[str] = set()
        editing = self.editing_card()
        names = self._actors.names()
        for row in range(top.row(), bottom.row() + 1):
            card = self.model.record(row)
            widget = self.card_widget(card["id"])
            if widget is None or (widget.card["block"], widget.card["position"]) != (card["block"], card["position"]):
                moved |= {card["block"], *([widget.card["block"]] if widget else [])}
            elif widget is not editing:  # the card typed into keeps its editor and cursor through every save
                widget.card = dict(card)
                widget.show_text(card["text"])
                widget.show_chips(names)
        self._redraw(moved)

    def _on_actors_changed(self, ids: set[str] | None) -> None:
        names = self._actors.names()
        for panel in self.panels.values():
            for widget in panel.cards:
                if ids is None or ids & set(widget.card["stakeholder_ids"]):
                    widget.show_chips(names)

    def _redraw(self, blocks: Iterable[str]) -> None:
        blocks = set(blocks)
        if not blocks:
            return
        editing = self.editing_card()
        if editing is not None and editing.card["block"] in blocks:
            editing.finish_editing()
        focused = self.focused_card_id()
        names = self._actors.names()
        for block in blocks:
            self.panels[block].set_cards(self.model.cards_of(block), names)
        if focused:
            self.focus_card(focused)

    # -- looking up the widgets ---------------------------------------------------------------

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
            panel.scroll_area.ensureWidgetVisible(widget)

    # -- what a card or a block asks for ------------------------------------------------------

    def _card(self, card_id: str) -> dict[str, Any]:
        return self.model.record(self.model.row_by_id(card_id))

    def add_card(self, block: str) -> None:
        district_id = self.model.district_id
        if not district_id:
            return
        try:
            edit = card_edits.create_card(self._store, district_id, block, _("New card"))
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a card")):
            widget = self.card_widget(edit.values["id"])
            if widget is not None:
                widget.start_editing()

    def move_card(self, card_id: str, block: str, index: int) -> None:
        district_id = self.model.district_id
        if district_id:
            self._run_edit(card_edits.move_card(self._store, district_id, card_id, block, index), _("Move a card"))
            self.focus_card(card_id)

    def edit_card_text(self, card_id: str, text: str) -> None:
        try:
            edit = card_edits.update_card_text(self._card(card_id), text)
        except UserError:
            return  # an empty card is not saved; the last text stays
        self._run_edit(edit, _("Edit a card"), f"card:{card_id}")

    def delete_card(self, card_id: str) -> None:
        self._run_edit(card_edits.delete_card(card_id), _("Delete a card"))

    def link_actors(self, card_id: str) -> None:
        card = self._card(card_id)
        dialog = ActorPicker(self._actors, card["stakeholder_ids"], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run_edit(card_edits.set_card_stakeholders(card, dialog.chosen()), _("Link actors to a card"))

    def flow_from_card(self, card_id: str) -> None:
        card = self._card(card_id)
        # only actors still on the map: a removed one keeps its place on the card (undo) but no new flows
        live = {**card, "stakeholder_ids": [i for i in card["stakeholder_ids"] if self._actors.row_by_id(i) >= 0]}
        self.flow_requested.emit(flow_from_card(live))

    def open_actor(self, actor_id: str) -> None:
        self.actor_requested.emit(actor_id)

    def _position(self, card_id: str) -> tuple[str, int]:
        block = self._card(card_id)["block"]
        return block, [c["id"] for c in self.model.cards_of(block)].index(card_id)

    def shift_card(self, card_id: str, step: int) -> None:
        block, index = self._position(card_id)
        if 0 <= index + step < len(self.panels[block].cards):
            self.move_card(card_id, block, index + step)

    def shift_block(self, card_id: str, step: int) -> None:
        """To the block beside this one on the screen (Ctrl+Left −1, Ctrl+Right +1), at its end."""
        block, _index = self._position(card_id)
        target = block_beside(block, step)
        if target is not None:
            self.move_card(card_id, target, 10**6)
