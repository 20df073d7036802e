"""The guided tour (Help → Guided tour, and after the first start): one control at a time, picked out on the
window itself. The rest of the window is dimmed, the control shows through a hole with a coloured frame, and a
callout beside it says what the control is for, with Back, Next and Close (Left, Right, Esc).

The tour is a child of the main window laid over all of it, menu bar and toolbar included, so what it frames is
the window's own widget where it is; it brings each control's area (and tab) into view first, passes over the
controls the window does not show (the menu bar on a Mac, the whole window in presentation mode), and leaves the
window in the area and tabs it found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.i18n import N_, _, pgettext
from ssd_starter.ui.help.texts import AreaName, Text, keys, label, menu, say
from ssd_starter.ui.language import notifier

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenuBar

    from ssd_starter.ui.canvas.page import CanvasPage
    from ssd_starter.ui.charter.page import CharterPage
    from ssd_starter.ui.map.page import MapPage
    from ssd_starter.ui.sync.page import SyncPage
    from ssd_starter.ui.window.actions import WindowMenus
    from ssd_starter.ui.window.areas import AreaNavigation
    from ssd_starter.ui.window.toolbar import MainToolBar


class TourWindow(Protocol):
    """What the tour reads of the main window (``ui.main_window.MainWindow``, a QMainWindow)."""

    areas: AreaNavigation
    toolbar: MainToolBar
    menus: WindowMenus

    @property
    def map_page(self) -> MapPage: ...
    @property
    def charter_page(self) -> CharterPage: ...
    @property
    def canvas_page(self) -> CanvasPage: ...
    @property
    def sync_page(self) -> SyncPage: ...
    def current_area(self) -> str: ...
    def show_area(self, key: str) -> None: ...
    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name

Spot = tuple[QWidget, QRect]  # a widget, and the part of it the step is about (in its own coordinates)
DIM = QColor(0, 0, 0, 130)
FRAME = QColor("#ffb300")  # amber: stands out on the dimmed window in a light or a dark palette
FRAME_WIDTH = 3
PAD = 4  # the frame runs this far outside the control, so the control's own edge stays visible
MARGIN = 12  # between the callout and the window's edge, and between the callout and the frame


def whole(widget: QWidget) -> Spot:
    return widget, widget.rect()


def help_menu(window: TourWindow) -> Spot | None:
    """The Help menu's title in the menu bar (none where the menu bar is the system's, outside the window)."""
    bar = window.menuBar()
    if bar.isNativeMenuBar():
        return None
    rect = bar.actionGeometry(window.menus.help.menuAction())
    return (bar, rect) if rect.isValid() else None


@dataclass(frozen=True)
class TourStep:
    key: str
    title: Text
    text: Text
    spot: Callable[[TourWindow], Spot | None]
    area: str | None = None  # the area brought into view first
    tab: Callable[[TourWindow], tuple[QTabWidget, QWidget]] | None = None  # and the tab inside it


STEPS: tuple[TourStep, ...] = (
    TourStep("areas", say(N_("The areas")), say(
        N_("Each area is one part of the work, from the districts to the Centre's review. {first} to {last} open "
           "them from the keyboard."), first=keys("Ctrl+1"), last=keys("Ctrl+8")),
        lambda w: whole(w.areas.nav)),
    TourStep("district", say(N_("The current district")), say(
        N_("Every area shows the district chosen here. {new} ({keys}) starts another one."),
        new=menu("&File", "&New district…"), keys=keys("Ctrl+N")),
        lambda w: whole(w.toolbar.switcher)),
    TourStep("import", say(N_("Import your contact list")), say(
        N_("{button} brings in the list of contacts you already keep (CSV or Excel) or a Gephi or Kumu file; a "
           "short wizard matches its columns. Dropping the file on the window does the same."),
        button=label("Import spreadsheet…")),
        lambda w: whole(w.map_page.bar.import_button), area="map"),
    TourStep("add_actor", say(N_("Add an actor")), say(
        N_("{button} adds one organisation or person; its details open on the right and are saved as you type."),
        button=label("Add actor…")),
        lambda w: whole(w.map_page.bar.add_button), area="map"),
    TourStep("checklist", say(N_("The charter's checklist")), say(
        N_("It says what the founding charter still lacks, by good practice derived from Law 13/2010. Click an "
           "item to go to the step that fixes it.")),
        lambda w: whole(w.charter_page.checklist), area="charter"),
    TourStep("canvas", say(N_("The canvas")), say(
        N_("Each block holds cards: + adds one, a card can be dragged to another block, and right-clicking it "
           "links actors or creates a flow.")),
        lambda w: whole(w.canvas_page.board), area="canvas",
        tab=lambda w: (w.canvas_page.tabs, w.canvas_page.board)),
    TourStep("flows", say(N_("The flows")), say(
        N_("What moves between the actors each year. For money, the column {purpose} says what it is for: a loan "
           "or an investment is financing, neither a purchase nor income."), purpose=label("Purpose")),
        lambda w: whole(w.canvas_page.flows_tab.table), area="canvas",
        tab=lambda w: (w.canvas_page.tabs, w.canvas_page.flows_tab)),
    TourStep("sync", say(N_("Sync with the Centre")), say(
        N_("{button} sends the district to the Centre and brings back the advisors' comments; {submit} also "
           "submits it for review. Without a connection, the area {sync} writes a bundle for a USB stick."),
        button=label("Sync now"), submit=label("Sync and submit for review"), sync=AreaName("sync")),
        lambda w: whole(w.sync_page.centre.sync_button), area="sync"),
    TourStep("help", say(N_("Help")), say(
        N_("{f1} opens the help of the area in view, with its tasks step by step. {shortcuts} ({keys}) lists every "
           "key, and this tour is here too."),
        f1=keys("F1"), shortcuts=menu("&Help", "&Keyboard shortcuts"), keys=keys("Ctrl+/")),
        help_menu),
)


class StepButton(QPushButton):
    """A button of the callout: Left, Right and Esc on it walk the tour (a push button would take the arrows to
    move the focus to its neighbour)."""

    def __init__(self, keys: dict[Qt.Key, Callable[[], None]]) -> None:
        super().__init__()
        self._keys = keys

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        action = self._keys.get(Qt.Key(event.key()))
        if action is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            action()
        else:
            super().keyPressEvent(event)


def shown_when_in_view(widget: QWidget, window: QWidget) -> bool:
    """Whether the widget shows once its area and tab are brought forward: nothing between it and the window is
    hidden, but for the pages a stack hides while another is in front."""
    current: QWidget | None = widget
    while current is not None and current is not window:
        parent = current.parentWidget()
        if current.isHidden() and not isinstance(parent, QStackedWidget):
            return False
        current = parent
    return current is window


class Tour(QWidget):
    """The overlay: dims the window, frames the step's control, and holds the callout."""

    def __init__(self, window: QMainWindow, steps: tuple[TourStep, ...] = STEPS) -> None:
        super().__init__(window)
        self.setObjectName("guidedTour")
        self._window = window
        self._host = cast("TourWindow", window)  # the main window: its areas, pages and menus
        self._start_area = self._host.current_area()
        self._saved_tabs: dict[QTabWidget, int] = {}
        self._watched: QWidget | None = None
        self.steps = [step for step in steps if self._available(step)]
        self.step = 0
        self._build_callout()
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        notifier().changed.connect(self.retranslate)

    @classmethod
    def start(cls, window: QMainWindow) -> Tour:
        """A new tour from its first step (one left from before is ended and let go)."""
        for old in window.findChildren(Tour):
            old.finish()
            old.deleteLater()
        tour = cls(window)
        tour.show()
        tour.raise_()
        tour.go(0)
        return tour

    def _build_callout(self) -> None:
        self.callout = QFrame(self)
        self.callout.setObjectName("tourCallout")
        self.callout.setAutoFillBackground(True)
        self.callout.setFrameShape(QFrame.Shape.StyledPanel)
        self.callout.setStyleSheet(f"QFrame#tourCallout {{ border: {FRAME_WIDTH}px solid {FRAME.name()}; "
                                   "border-radius: 6px; background: palette(window); }")
        self.title_label = QLabel()
        self.title_label.setObjectName("sectionTitle")
        self.title_label.setWordWrap(True)
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.RichText)
        self.counter = QLabel()
        self.counter.setObjectName("hint")
        keys = {Qt.Key.Key_Left: self.back, Qt.Key.Key_Right: self.next_or_finish, Qt.Key.Key_Escape: self.finish}
        self.back_button, self.next_button, self.close_button = StepButton(keys), StepButton(keys), StepButton(keys)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next_or_finish)
        self.close_button.clicked.connect(self.finish)
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        for button in (self.close_button, self.back_button, self.next_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self.callout)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        layout.addLayout(buttons)

    # -- the steps ------------------------------------------------------------------------------

    def _available(self, step: TourStep) -> bool:
        """Whether the step's control shows when its area is in view (its page is made now if need be)."""
        if step.area is not None:
            self._host.areas.page(step.area)
        spot = step.spot(self._host)
        return spot is not None and shown_when_in_view(spot[0], self._window)

    def go(self, index: int, direction: int = 1) -> None:
        """Show step ``index``; a step whose control turns out not to show is passed over in ``direction``."""
        while 0 <= index < len(self.steps):
            self._bring_forward(self.steps[index])
            spot = self.steps[index].spot(self._host)
            if spot is not None and spot[0].isVisible():
                break
            index += direction
        else:
            if not self.steps or index >= len(self.steps):
                self.finish()
                return
            index = self.step  # nothing shows before it: stay
        self.step = index
        self._watch(self.steps[index])
        self.retranslate()
        self.next_button.setFocus()

    def _bring_forward(self, step: TourStep) -> None:
        if step.area is not None:
            self._host.show_area(step.area)
        if step.tab is not None:
            tabs, page = step.tab(self._host)
            self._saved_tabs.setdefault(tabs, tabs.currentIndex())
            tabs.setCurrentWidget(page)
        # the area's layout settles now, so the frame is drawn where the control is
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def back(self) -> None:
        if self.step > 0:
            self.go(self.step - 1, direction=-1)

    def next_or_finish(self) -> None:
        if self.step >= len(self.steps) - 1:
            self.finish()
        else:
            self.go(self.step + 1)

    def finish(self) -> None:
        """Close the tour and leave the window as it was found: its area and its tabs."""
        if not self.isVisible():
            return
        self._watch(None)
        self.hide()
        for tabs, index in self._saved_tabs.items():
            tabs.setCurrentIndex(index)
        self._saved_tabs.clear()
        self._host.show_area(self._start_area)
        self._window.removeEventFilter(self)

    # -- where things are -----------------------------------------------------------------------

    @property
    def highlight(self) -> QRect:
        """The step's control in the window's (and the overlay's) coordinates; empty while it does not show."""
        if not self.steps:
            return QRect()
        spot = self.steps[self.step].spot(self._host)
        if spot is None or not spot[0].isVisible():
            return QRect()
        widget, rect = spot
        return QRect(widget.mapTo(self._window, rect.topLeft()), rect.size())

    def _watch(self, step: TourStep | None) -> None:
        """Follow the control: when it moves or changes size the frame and the callout follow."""
        if self._watched is not None:
            self._watched.removeEventFilter(self)
            self._watched = None
        spot = step.spot(self._host) if step is not None else None
        if spot is not None:
            self._watched = spot[0]
            self._watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
            self._place()
        elif watched is self._watched and event.type() in (QEvent.Type.Resize, QEvent.Type.Move,
                                                            QEvent.Type.Show, QEvent.Type.Hide):
            self._place()
        return False

    def _place(self) -> None:
        """The callout beside the frame (below, to the right, above or to the left, the first that fits inside the
        window); over the control's far corner when the control fills the window."""
        width = min(max(300, self.fontMetrics().averageCharWidth() * 52), self.width() - 2 * MARGIN)
        self.callout.setFixedWidth(width)
        height = self.callout.heightForWidth(width)
        if height < 0:
            height = self.callout.sizeHint().height()
        self.callout.setFixedHeight(height)
        self.callout.move(callout_position(self.highlight, self.callout.size(), self.rect()))
        self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shade = QPainterPath()  # odd-even filled: the window's rectangle less the opening around the control
        shade.addRect(QRectF(self.rect()))
        hole = self.highlight
        frame = QRectF(hole.adjusted(-PAD, -PAD, PAD, PAD))
        if hole.isValid():
            shade.addRoundedRect(frame, 6, 6)
        painter.fillPath(shade, DIM)
        if hole.isValid():
            painter.setPen(QPen(FRAME, FRAME_WIDTH))
            painter.drawRoundedRect(frame, 6, 6)
        painter.end()

    # -- texts ----------------------------------------------------------------------------------

    def retranslate(self, _language: str | None = None) -> None:
        self.back_button.setText(_("Back"))
        self.close_button.setText(_("Close"))
        self.setAccessibleName(_("Guided tour"))
        if not self.steps:
            return
        step = self.steps[self.step]
        self.title_label.setText(step.title.text())
        self.text_label.setText(step.text.html())
        self.counter.setText(_("{number} of {count}").format(number=self.step + 1, count=len(self.steps)))
        self.back_button.setEnabled(self.step > 0)
        last = self.step == len(self.steps) - 1
        self.next_button.setText(_("Finish") if last else pgettext("tour", "Next"))
        self._place()


def callout_position(hole: QRect, size: QSize, bounds: QRect) -> QPoint:
    """Where a callout of ``size`` goes beside ``hole`` inside ``bounds``, apart from both by MARGIN."""
    inside = bounds.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)

    def clamp(x: int, y: int) -> QPoint:
        return QPoint(max(inside.left(), min(x, inside.right() + 1 - size.width())),
                      max(inside.top(), min(y, inside.bottom() + 1 - size.height())))

    if not hole.isValid():
        return clamp(inside.center().x() - size.width() // 2, inside.center().y() - size.height() // 2)
    around = hole.adjusted(-PAD - MARGIN, -PAD - MARGIN, PAD + MARGIN, PAD + MARGIN)
    candidates = (
        clamp(hole.left(), around.bottom() + 1),  # below
        clamp(around.right() + 1, hole.top()),  # to the right
        clamp(hole.left(), around.top() - size.height()),  # above
        clamp(around.left() - size.width(), hole.top()),  # to the left
    )
    for corner in candidates:
        if not QRect(corner, size).intersects(around) and inside.contains(QRect(corner, size)):
            return corner
    # the control fills the window (the canvas, the flows table): over its far corner, inside both
    return clamp(min(hole.right(), inside.right()) - size.width() - MARGIN,
                 min(hole.bottom(), inside.bottom()) - size.height() - MARGIN)
