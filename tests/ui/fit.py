"""The fit check: does everything the window shows fit in it?

``misfits(window)`` walks every visible button, label, tab, combo box and header section of a window and
reports

* cut text: a text that needs more room than its widget gives it — measured with the widget's own font and the
  style's margins, the way Qt itself sizes the widget (``QPushButton::sizeHint`` and its siblings), so a widget
  at its size hint always passes. A widget that elides on purpose (a tab bar or a header eliding its text) passes
  only when its tooltip holds the whole text;
* text cut at the top or bottom: a text box lower than the font's height (QPainter then clips the text to the box:
  German capital umlauts lose their dots, descenders their tails);
* controls cut off: a control that reaches past the edge of the window, or of any widget that holds it, where
  no scroll bar can bring the rest into view (an item view's or a scroll area's viewport that can scroll in
  that direction may hold more than it shows; one whose scroll bar is switched off may not);
* a page that scrolls sideways: a scroll area's contents wider than it (long pages scroll, wide ones hide half
  of every row).

``views(window, area)`` puts an area into each of its states worth checking in turn: every tab (and the tabs
inside them), every charter step, an actor and a workshop chosen so their detail panels show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QStyleOptionHeader,
    QStyleOptionTab,
    QStyleOptionToolButton,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

from ssd_starter.ui.fitting import ELIDES

LARGE = 1000  # contents this large are past every minimum a style puts on a widget's size
UMLAUTS = "ÄÖÜ"


@dataclass(frozen=True)
class Misfit:
    widget: str  # the widget's class
    name: str  # its object name or its text
    problem: str

    def __str__(self) -> str:
        return f"{self.widget} {self.name!r}: {self.problem}"


def settle() -> None:
    """Let the layouts and the deferred refreshes a change started run, as they would on screen; and the
    deletions: the main loop would have deleted a replaced cell widget, processEvents() alone leaves it drawn."""
    app = QApplication.instance()
    for _round in range(3):
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


# -- measuring ------------------------------------------------------------------------------

def _shown(text: str) -> str:
    """The text as a button shows it: '&' marks the mnemonic, '&&' is a '&'."""
    return re.sub(r"&(.)", r"\1", text)


def _text_size(metrics: QFontMetrics, text: str, mnemonic: bool = True) -> QSize:
    return metrics.size(Qt.TextFlag.TextShowMnemonic if mnemonic else 0, text)


def _overhead(style: QStyle, kind: QStyle.ContentsType, option, widget: QWidget) -> QSize:
    """What the style adds around a widget's contents (frame, margins, indicator), without the minimum sizes
    it also applies (a push button of 80 px at least): measured around contents larger than any of them."""
    around = style.sizeFromContents(kind, option, QSize(LARGE, LARGE), widget)
    return QSize(around.width() - LARGE, around.height() - LARGE)


def _name(widget: QWidget, text: str = "") -> str:
    return widget.objectName() or text or type(widget).__name__


def _elides_with_tooltip(tooltip: str, text: str) -> bool:
    """An elided text is allowed when the tooltip gives the whole of it."""
    plain = re.sub(r"<[^>]+>", "", tooltip)
    return bool(text) and _shown(text).strip() in plain


def _elides_on_purpose(widget: QWidget, text: str) -> bool:
    """A widget that shortens its text itself (ui/fitting.py marks it so), the whole text in its tooltip."""
    return bool(widget.property(ELIDES)) and _elides_with_tooltip(widget.toolTip(), text)


def _button_needs(button: QAbstractButton) -> QSize | None:
    """The size the button's text (and icon, and menu arrow) needs, as the button's size hint measures it."""
    metrics, style, text = button.fontMetrics(), button.style(), button.text()
    if not text:
        return None
    if isinstance(button, QToolButton):
        option = QStyleOptionToolButton()
        button.initStyleOption(option)
        if option.toolButtonStyle == Qt.ToolButtonStyle.ToolButtonIconOnly:
            return None
        contents = _text_size(metrics, text)
        if option.toolButtonStyle == Qt.ToolButtonStyle.ToolButtonTextBesideIcon:
            contents = QSize(contents.width() + option.iconSize.width() + 4,
                             max(contents.height(), option.iconSize.height()))
        elif option.toolButtonStyle == Qt.ToolButtonStyle.ToolButtonTextUnderIcon:
            contents = QSize(max(contents.width(), option.iconSize.width()),
                             contents.height() + option.iconSize.height() + 4)
        if button.popupMode() == QToolButton.ToolButtonPopupMode.MenuButtonPopup:
            contents.setWidth(contents.width() + style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator,
                                                                   option, button))
        return contents + _overhead(style, QStyle.ContentsType.CT_ToolButton, option, button)
    if isinstance(button, QCheckBox | QRadioButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        contents = _text_size(metrics, text)
        if not button.icon().isNull():
            contents = QSize(contents.width() + option.iconSize.width() + 4,
                             max(contents.height(), option.iconSize.height()))
        kind = QStyle.ContentsType.CT_CheckBox if isinstance(button, QCheckBox) else QStyle.ContentsType.CT_RadioButton
        return contents + _overhead(style, kind, option, button)
    if isinstance(button, QPushButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        contents = _text_size(metrics, text)
        if not button.icon().isNull():
            contents = QSize(contents.width() + option.iconSize.width() + 4,
                             max(contents.height(), option.iconSize.height()))
        if button.menu() is not None:
            contents.setWidth(contents.width() + style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator,
                                                                   option, button))
        return contents + _overhead(style, QStyle.ContentsType.CT_PushButton, option, button)
    return None


def _check_button(button: QAbstractButton) -> Iterator[str]:
    needs = _button_needs(button)
    if needs is None:
        return
    if needs.width() > button.width() and not _elides_on_purpose(button, button.text()):
        yield f"cut text: needs {needs.width()} px wide, has {button.width()}"
    if needs.height() > button.height():
        yield f"cut text: needs {needs.height()} px high, has {button.height()}"


def _label_text_size(label: QLabel) -> QSize:
    text, metrics = label.text(), label.fontMetrics()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text))
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)  # as QLabel lays its rich text out
        document.setHtml(text)
        return QSize(int(document.idealWidth() + 0.999), int(document.size().height() + 0.999))
    return _text_size(metrics, text, mnemonic=label.buddy() is not None)


def _check_label(label: QLabel) -> Iterator[str]:
    if not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
        return
    room = label.contentsRect().adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    if label.wordWrap():  # it may take as many lines as it needs: the height its width asks for
        needed = label.heightForWidth(label.width())
        if needed > label.height():
            yield f"cut text: its lines need {needed} px high, has {label.height()}"
        return
    needs = _label_text_size(label)
    if needs.width() > room.width() and not _elides_on_purpose(label, label.text()):
        yield f"cut text: needs {needs.width()} px wide, has {room.width()}"
    if needs.height() > room.height():
        yield f"cut text: needs {needs.height()} px high, has {room.height()}"


def _check_tabs(bar: QTabBar) -> Iterator[str]:
    style, metrics = bar.style(), bar.fontMetrics()
    umlaut_rise = max(metrics.ascent(), -metrics.tightBoundingRect(UMLAUTS).top())
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        text, rect = bar.tabText(index), bar.tabRect(index)
        if not rect.intersects(bar.rect()):
            continue  # behind the scroll arrows: they bring it into view
        hint = bar.tabSizeHint(index)
        if rect.width() < hint.width() and not (
                bar.elideMode() != Qt.TextElideMode.ElideNone and _elides_with_tooltip(bar.tabToolTip(index), text)):
            yield f"tab {_shown(text)!r} cut: needs {hint.width()} px wide, has {rect.width()}"
        option = QStyleOptionTab()
        bar.initStyleOption(option, index)
        box = style.subElementRect(QStyle.SubElement.SE_TabBarTabText, option, bar)
        if box.height() < metrics.height():
            yield (f"tab {_shown(text)!r}: its text box is {box.height()} px high for a {metrics.height()} px "
                   f"font: the tops of {UMLAUTS} and the descenders are cut")
        # the text is centred in its box; the dots of a capital umlaut rise above the font's ascent
        top = box.top() + (box.height() - metrics.height()) // 2 + metrics.ascent() - umlaut_rise
        if top < 0:
            yield f"tab {_shown(text)!r}: the dots of {UMLAUTS} rise {-top} px above the tab bar"


def _check_combo(combo: QComboBox) -> Iterator[str]:
    if combo.isEditable() or not combo.currentText():
        return
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    room = field.width() - 2  # the style draws the label one pixel in from each side of the field
    if not option.currentIcon.isNull():
        room -= option.iconSize.width() + 4
    needs = combo.fontMetrics().horizontalAdvance(combo.currentText())
    if needs > room and not _elides_on_purpose(combo, combo.currentText()):
        yield f"cut text {combo.currentText()!r}: needs {needs} px left of the arrow, has {room}"
    if combo.fontMetrics().height() > field.height():
        yield f"cut text: needs {combo.fontMetrics().height()} px high, has {field.height()}"


def _check_placeholder(edit: QLineEdit) -> Iterator[str]:
    """An empty field's placeholder says what goes in it (a search's, what it searches): Qt shortens it
    without a tooltip, so it must fit."""
    if edit.text() or not edit.placeholderText():
        return
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    width = room.width() - margins.left() - margins.right() - 4  # the cursor's margin on each side
    if edit.isClearButtonEnabled():
        width -= edit.fontMetrics().height() + 4
    needs = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    if needs > width:
        yield f"placeholder {edit.placeholderText()!r} cut: needs {needs} px, has {width}"


def _check_header(header: QHeaderView) -> Iterator[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return
    style, metrics = header.style(), header.fontMetrics()
    width = header.viewport().width()
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        start, size = header.sectionViewportPosition(logical), header.sectionSize(logical)
        if size <= 0 or start >= width or start + size <= 0:
            continue  # scrolled out of view: its scroll bar brings it back
        text = model.headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        option = QStyleOptionHeader()
        option.initFrom(header)
        option.text, option.fontMetrics, option.orientation = str(text), metrics, Qt.Orientation.Horizontal
        sorted_here = header.isSortIndicatorShown() and header.sortIndicatorSection() == logical
        option.sortIndicator = (QStyleOptionHeader.SortIndicator.SortDown if sorted_here
                                else QStyleOptionHeader.SortIndicator.None_)
        needs = style.sizeFromContents(QStyle.ContentsType.CT_HeaderSection, option, QSize(), header).width()
        tooltip = model.headerData(logical, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        if needs > size and not _elides_with_tooltip(str(tooltip or ""), str(text)):
            yield f"column {str(text)!r} cut: needs {needs} px, has {size} (and no tooltip with the whole text)"


# -- cut off by the edges -------------------------------------------------------------------

# Controls: what a user reads or works. Their insides (a combo's line edit, a spin box's arrows, a view's
# scroll bars and headers) belong to them and are not checked on their own.
CONTROLS = (QAbstractButton, QLabel, QComboBox, QLineEdit, QAbstractSpinBox, QTabBar, QAbstractScrollArea,
            QAbstractSlider, QProgressBar)
COMPOUNDS = (QComboBox, QAbstractSpinBox, QTabBar, QAbstractScrollArea)


def _is_part_of_a_compound(widget: QWidget) -> bool:
    """A widget inside a combo box, spin box, tab bar, or in a view's margins (not its viewport)."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return child is not parent.viewport()
        if isinstance(parent, COMPOUNDS):
            return True
        if parent.isWindow():
            return False
        child, parent = parent, parent.parentWidget()
    return False


def _scrolls(area: QAbstractScrollArea, orientation: Qt.Orientation) -> bool:
    bar = area.horizontalScrollBar() if orientation == Qt.Orientation.Horizontal else area.verticalScrollBar()
    policy = (area.horizontalScrollBarPolicy() if orientation == Qt.Orientation.Horizontal
              else area.verticalScrollBarPolicy())
    return policy != Qt.ScrollBarPolicy.ScrollBarAlwaysOff and bar is not None


def _cut_off(widget: QWidget, window: QWidget) -> Iterator[str]:
    """Where the widget reaches past a widget that holds it (or the window), with no scroll bar for the rest."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    sideways = downwards = True  # still to be checked
    holder = widget.parentWidget()
    while holder is not None and (sideways or downwards):
        room = QRect(holder.mapTo(window, QPoint(0, 0)), holder.size()) if holder is not window else window.rect()
        scroll_area = holder.parentWidget()
        name = type(holder).__name__ + (f" {holder.objectName()!r}" if holder.objectName() else "")
        if isinstance(scroll_area, QAbstractScrollArea) and holder is scroll_area.viewport():
            name = type(scroll_area).__name__ + " viewport"
        if isinstance(scroll_area, QAbstractScrollArea) and holder is scroll_area.viewport():
            # past the viewport is fine where its scroll bar can bring the rest into view
            sideways = sideways and not _scrolls(scroll_area, Qt.Orientation.Horizontal)
            downwards = downwards and not _scrolls(scroll_area, Qt.Orientation.Vertical)
        if sideways and rect.right() > room.right():
            yield f"cut off on the right by {rect.right() - room.right()} px ({name})"
            sideways = False
        if downwards and rect.bottom() > room.bottom():
            yield f"cut off at the bottom by {rect.bottom() - room.bottom()} px ({name})"
            downwards = False
        if holder is window:
            break
        holder = holder.parentWidget()


def _check_scroll_area(area: QScrollArea) -> Iterator[str]:
    """A page in a scroll area may be long, not wide: a form that scrolls sideways hides half of each row."""
    contents = area.widget()
    if contents is None or not contents.isVisibleTo(area):
        return
    overflow = contents.width() - area.viewport().width()
    if overflow > 0 and area.horizontalScrollBar().isVisible():
        yield f"its contents are {overflow} px wider than it: the page scrolls sideways"


# -- the walk ---------------------------------------------------------------------------------

def _problems(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QAbstractButton):
        yield from _check_button(widget)
    elif isinstance(widget, QLabel):
        yield from _check_label(widget)
    elif isinstance(widget, QTabBar):
        yield from _check_tabs(widget)
    elif isinstance(widget, QComboBox):
        yield from _check_combo(widget)
    elif isinstance(widget, QHeaderView):
        yield from _check_header(widget)
    elif isinstance(widget, QScrollArea):
        yield from _check_scroll_area(widget)
    elif isinstance(widget, QLineEdit) and not _is_part_of_a_compound(widget):
        yield from _check_placeholder(widget)


def _text_of(widget: QWidget) -> str:
    for getter in ("text", "currentText", "title"):
        method = getattr(widget, getter, None)
        if callable(method):
            try:
                value = method()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                return re.sub(r"<[^>]+>", "", value)[:60]
    return ""


def misfits(window: QWidget) -> list[Misfit]:
    """Everything shown in ``window`` that does not fit."""
    found: list[Misfit] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.width() <= 0 or widget.height() <= 0 or widget.window() is not window:
            continue
        problems = list(_problems(widget))
        if isinstance(widget, CONTROLS) and not _is_part_of_a_compound(widget):
            problems += list(_cut_off(widget, window))
        found += [Misfit(type(widget).__name__, _name(widget, _text_of(widget)), p) for p in problems]
    return found


# -- the views of each area ---------------------------------------------------------------------

def _view_name(widget: QWidget) -> str:
    """A tab's page by its class, the same in every language: ``NetworkTab`` is ``network-tab``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(widget).__name__).lower()


def _outer_tab_widgets(root: QWidget) -> list[QTabWidget]:
    """The visible tab widgets under ``root`` that no other visible tab widget under it holds."""
    shown = [t for t in root.findChildren(QTabWidget) if t.isVisibleTo(root.window())]
    return [t for t in shown if not any(o is not t and o.isAncestorOf(t) for o in shown)]


def _tab_views(root: QWidget, prefix: str) -> Iterator[str]:
    """Every tab of every tab widget in view under ``root``, and the tabs inside them."""
    for tabs in _outer_tab_widgets(root):
        first = tabs.currentIndex()
        for index in range(tabs.count()):
            if not tabs.isTabVisible(index):
                continue
            tabs.setCurrentIndex(index)
            settle()
            name = f"{prefix}{_view_name(tabs.widget(index))}"
            yield name
            yield from _tab_views(tabs.widget(index), name + "-")
        tabs.setCurrentIndex(first)
        settle()


def _choose_first_actor(page: QWidget) -> None:
    from ssd_starter.ui.row_model import IdRole

    page.select_actor(page.proxy.index(0, 0).data(IdRole))


def _choose_first_workshop(page: QWidget) -> None:
    workshops = page.workshops
    if workshops.list.model().rowCount():
        workshops.list.setCurrentIndex(workshops.list.model().index(0, 0))


def _choose_first_flow(page: QWidget) -> None:
    from ssd_starter.ui.row_model import IdRole

    flows = page.flows_tab
    if flows.proxy.rowCount():
        flows.select_flow(flows.proxy.index(0, 0).data(IdRole))


PREPARE: dict[str, Callable[[QWidget], None]] = {"map": _choose_first_actor, "training": _choose_first_workshop,
                                                 "canvas": _choose_first_flow}


def views(window, area: str) -> Iterator[str]:
    """Put ``area`` into each of its views in turn, yielding the view's name while it is shown."""
    window.show_area(area)
    settle()
    page = window.pages.currentWidget()
    PREPARE.get(area, lambda _page: None)(page)
    settle()
    if area == "charter":
        for index in range(page.stack.count()):
            page.go_to(index, remember=False)
            settle()
            yield page.current_step()
        page.go_to(0, remember=False)
        return
    has_tabs = bool(_outer_tab_widgets(page))
    if not has_tabs:
        yield "page"
    yield from _tab_views(page, "")
