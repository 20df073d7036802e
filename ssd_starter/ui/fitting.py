"""Widgets that fit a small screen in any language: a layout that wraps a bar's controls onto more rows when the
window is narrow (German labels are half as long again as English ones), and a combo box that shortens its text
with an ellipsis, the whole of it in its tooltip, instead of cutting it off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListView,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStylePainter,
    QTableView,
    QWidget,
)

# Widgets whose text is shortened on purpose say so with this property; the whole text is then in their tooltip
# (the fit check in tests/ui/fit.py accepts an ellipsis only so).
ELIDES = "elidesText"


class FlowLayout(QLayout):
    """Its items side by side in their preferred sizes, as many rows as the width needs (Qt's flow layout
    example): a bar of buttons or filters never cuts a label, it takes a second row instead."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def add_widgets(self, *widgets: QWidget) -> None:
        for widget in widgets:
            self.addWidget(widget)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def spacing(self) -> int:
        return self._spacing

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """All the items on one row."""
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """The widest item: each on a row of its own."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.sizeHint())
        return size.grownBy(self.contentsMargins())

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lay the items out in rows within ``rect`` (when ``place``); the height that takes."""
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        rows: list[list[QLayoutItem]] = [[]]
        x = area.x()
        for item in self._shown():
            width = item.sizeHint().width()
            if rows[-1] and x + width > area.right() + 1:
                rows.append([])
                x = area.x()
            rows[-1].append(item)
            x += width + self._spacing
        y = area.y()
        for row in rows:
            height = max((item.sizeHint().height() for item in row), default=0)
            x = area.x()
            for item in row:
                hint = item.sizeHint()
                width = min(hint.width(), area.width())  # an item wider than the bar gets the whole row
                if place:
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), QSize(width, hint.height())))
                x += width + self._spacing
            y += height + self._spacing
        return y - self._spacing - area.y() + margins.top() + margins.bottom() if rows[0] else 0


class FlowBar(QWidget):
    """A bar of controls in a ``FlowLayout``."""

    def __init__(self, *widgets: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self)
        self.flow.add_widgets(*widgets)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)


def labelled(label: QWidget, field: QWidget) -> QWidget:
    """A label and its field as one item of a ``FlowLayout``: they wrap onto a new row together."""
    pair = QWidget()
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field)
    return pair


class ElidingComboBox(QComboBox):
    """A combo box that shows as much of its current text as fits, ending in "…", with the whole text in its
    tooltip then (before its own, ``set_own_tooltip``). Its popup lists every item in full."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty(ELIDES, True)
        self._own_tooltip = ""
        self.currentTextChanged.connect(lambda _text: self._update_tooltip())

    def set_own_tooltip(self, text: str) -> None:
        """The tooltip shown while the whole text fits."""
        self._own_tooltip = text
        self._update_tooltip()

    def _text_room(self, option: QStyleOptionComboBox) -> int:
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        room = field.width() - 2  # the style draws the text a pixel in from each side
        if not option.currentIcon.isNull():
            room -= option.iconSize.width() + 4
        return room

    def _elided(self, option: QStyleOptionComboBox) -> str:
        return self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight,
                                             max(0, self._text_room(option)))

    def _update_tooltip(self) -> None:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        whole = option.currentText
        tooltip = self._own_tooltip
        if whole and self._elided(option) != whole:
            tooltip = f"{whole}\n\n{tooltip}" if tooltip else whole
        if self.toolTip() != tooltip:
            self.setToolTip(tooltip)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.isEditable():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self._elided(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)
        self._update_tooltip()  # a new item text (a language switch) may now fit, or no longer


class CurrentTextComboBox(ElidingComboBox):
    """A choice as wide as the text chosen now, not as its longest item ("All sectors" beside a filter bar's
    other choices, not a sector's forty characters); squeezed, it elides like ``ElidingComboBox``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentTextChanged.connect(lambda _text: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance(option.currentText or "x" * 6) + 2
        if not option.currentIcon.isNull():
            width += option.iconSize.width() + 4
        contents = QSize(width, max(metrics.height(), option.iconSize.height()))
        hint = self.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, contents, self)
        return hint.expandedTo(QSize(0, super().sizeHint().height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(min(self.sizeHint().width(), super().minimumSizeHint().width()), self.sizeHint().height())


class VerticalScrollArea(QScrollArea):
    """A scroll area that scrolls up and down only, and is at least as wide as its contents need: a pane of
    fields is never cut off on the right, whatever the language makes its labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._contents: QWidget | None = None

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        super().setWidget(widget)
        self._contents = widget
        widget.installEventFilter(self)
        self._fit_width()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # the contents ask for a new layout when a field shows or hides, or the language changes their labels;
        # the event's type is looked at first: while the area is being destroyed nothing of it may be asked
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show) and watched is self._contents:
            self._fit_width()
        return super().eventFilter(watched, event)

    def _fit_width(self) -> None:
        contents = self.widget()
        if contents is None:
            return
        needed = (contents.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                  + 2 * self.frameWidth())
        if needed != self.minimumWidth():
            self.setMinimumWidth(needed)


class ColumnFitter(QObject):
    """Fits a table's columns to its width, so that no column is out of sight while a name column could give
    room: every column as wide as its contents, but the ``shared`` ones (names, descriptions: elided, whole in
    their tooltips) share what the others leave, in proportion to their contents and ``floor`` pixels at least.
    Measured on ``measure()`` (after a reset: measuring reads the rows), shared out again at every resize."""

    def __init__(self, table: QTableView, shared: Sequence[int], caps: Mapping[int, int] | None = None,
                 floor: int = 90) -> None:
        super().__init__(table)
        self._table = table
        self._shared = tuple(shared)
        self._caps = dict(caps or {})
        self._floor = floor
        self._wants: dict[int, int] = {}
        table.horizontalHeader().setStretchLastSection(False)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)

    def measure(self) -> None:
        table = self._table
        table.resizeColumnsToContents()
        columns = range(table.horizontalHeader().count())
        self._wants = {c: min(table.columnWidth(c), self._caps.get(c, table.columnWidth(c))) for c in columns}
        self.share()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # the event's type first: while the table is being destroyed, nothing of it may be asked
        if event.type() == QEvent.Type.Resize and watched is self._viewport and self._wants:
            self.share()
        return super().eventFilter(watched, event)

    def share(self) -> None:
        table, header = self._table, self._table.horizontalHeader()
        shown = [c for c in self._wants if not header.isSectionHidden(c)]
        shared = [c for c in shown if c in self._shared]
        room = table.viewport().width() - sum(self._wants[c] for c in shown if c not in self._shared)
        wanted = sum(self._wants[c] for c in shared)
        for column in shown:
            width = self._wants[column]
            if column in self._shared and wanted:
                # a row fills the width; names that do not all fit share it by how long they are
                width = max(self._floor, room * width // wanted) if wanted > room else width
                if wanted <= room and column == shared[-1]:
                    width += room - wanted
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)


def fit_placeholder(edit: QLineEdit, most: int = 360) -> None:
    """A search field wide enough for its placeholder in this language (it says what is searched), up to
    ``most`` pixels; call it after setting the placeholder."""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    text = edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 2 * edit.fontMetrics().averageCharWidth()
    needed = edit.style().sizeFromContents(QStyle.ContentsType.CT_LineEdit, option,
                                           QSize(text, edit.fontMetrics().height()), edit).width()
    if edit.isClearButtonEnabled():
        needed += edit.fontMetrics().height() + 4  # the clear button sits inside the field
    edit.setMinimumWidth(min(most, needed))


def wrap_items(view: QListView) -> None:
    """A list whose long items (the law's sector names, an actor and its category) wrap onto more lines in a
    narrow window, instead of running out of its right edge behind a sideways scroll bar."""
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setResizeMode(QListView.ResizeMode.Adjust)
