"""How the Districts list draws a district: its name and, under it, what the Centre last said about it — a
small sign in the state's colour (a dot for received, a tick for approved, an exclamation mark for has
issues, a cross for rejected: told apart by shape as well as by colour), the state in bold and the number of
open threads. A district the Centre has said nothing about is drawn as any list item.

Only the list view uses this delegate: the window's switcher shows the same model as plain names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ssd_starter.core.review import state_label
from ssd_starter.i18n import ngettext
from ssd_starter.ui.districts.model import ReviewRole
from ssd_starter.ui.review_threads import OPEN_COLOUR, STATE_COLOURS

Index = QModelIndex | QPersistentModelIndex
GAP = 2  # between the name and the state line
SIGN = 12  # the state's sign, in pixels


def _review(index: Index) -> dict[str, Any] | None:
    review = index.data(ReviewRole)
    return review if review and (review["state"] is not None or review["open_threads"]) else None


def _parts(review: dict[str, Any]) -> tuple[str, str]:
    """The state (bold, in its colour) and the open threads, each "" when there is none."""
    state = state_label(review["state"]) if review["state"] is not None else ""
    count = review["open_threads"]
    threads = ngettext("{count} open thread", "{count} open threads", count).format(count=count) if count else ""
    return state, threads


def draw_sign(painter: QPainter, rect: QRectF, state: str | None) -> None:
    """The state's sign: a disc in its colour with a white mark (drawn, so no font has to hold a glyph). No
    state but open threads: an amber ring."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(STATE_COLOURS.get(state or "", OPEN_COLOUR))
    if state is None:
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
        painter.restore()
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(rect)
    pen = QPen(QColor("white"), max(1.5, rect.width() / 7), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    if state == "approved":
        tick = QPainterPath(QPointF(x + w * 0.27, y + h * 0.52))
        tick.lineTo(QPointF(x + w * 0.44, y + h * 0.69))
        tick.lineTo(QPointF(x + w * 0.74, y + h * 0.34))
        painter.drawPath(tick)
    elif state == "has_issues":
        painter.drawLine(QPointF(x + w / 2, y + h * 0.25), QPointF(x + w / 2, y + h * 0.56))
        painter.drawPoint(QPointF(x + w / 2, y + h * 0.76))
    elif state == "rejected":
        painter.drawLine(QPointF(x + w * 0.32, y + h * 0.32), QPointF(x + w * 0.68, y + h * 0.68))
        painter.drawLine(QPointF(x + w * 0.68, y + h * 0.32), QPointF(x + w * 0.32, y + h * 0.68))
    else:  # received: waiting for an advisor
        painter.setBrush(QColor("white"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(x + w / 2, y + h / 2), w * 0.17, h * 0.17)
    painter.restore()


class DistrictItemDelegate(QStyledItemDelegate):
    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view

    # -- measuring ------------------------------------------------------------------------------

    def _margin(self, option: QStyleOptionViewItem) -> int:
        style = option.widget.style() if option.widget is not None else QApplication.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, option.widget) + 1

    def _width(self, option: QStyleOptionViewItem) -> int:
        """The width the item's text will have: a list view's items span its viewport, less the spacing."""
        view = self._view
        if isinstance(view, QListView):
            width = view.viewport().width() - 2 * view.spacing()
        else:
            width = option.rect.width()
        return max(40, width - 2 * self._margin(option))

    @staticmethod
    def _bold(font: QFont) -> QFont:
        bold = QFont(font)
        bold.setBold(True)
        return bold

    def _lines(self, option: QStyleOptionViewItem, review: dict[str, Any], width: int) -> list[tuple[str, str]]:
        """The state line as it fits ``width``: [(state, threads)] on one line, or each on its own."""
        state, threads = _parts(review)
        bold, plain = QFontMetrics(self._bold(option.font)), QFontMetrics(option.font)
        room = width - SIGN - 4
        if not state or not threads:
            return [(state, threads)]
        if bold.horizontalAdvance(state) + plain.horizontalAdvance(" · " + threads) <= room:
            return [(state, threads)]
        return [(state, ""), ("", threads)]

    def _name_height(self, option: QStyleOptionViewItem, name: str, width: int) -> int:
        return QFontMetrics(option.font).boundingRect(QRect(0, 0, width, 100_000), int(
            Qt.TextFlag.TextWordWrap), name).height()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt's name
        base = super().sizeHint(option, index)
        review = _review(index)
        if review is None:
            return base
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self._width(opt)
        line = max(QFontMetrics(self._bold(opt.font)).height(), SIGN)
        height = self._name_height(opt, opt.text, width) + GAP + line * len(self._lines(opt, review, width)) + 6
        return QSize(base.width(), max(base.height(), height))

    # -- drawing --------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        review = _review(index)
        if review is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        name, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)  # background, focus
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Enabled \
            else QPalette.ColorGroup.Disabled
        ink = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        margin = self._margin(opt)
        area = opt.rect.adjusted(margin, 3, -margin, -3)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(ink)
        name_height = self._name_height(opt, name, area.width())
        painter.drawText(QRect(area.left(), area.top(), area.width(), name_height),
                         int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft), name)
        bold = self._bold(opt.font)
        line = max(QFontMetrics(bold).height(), SIGN)
        top = area.top() + name_height + GAP
        colour = QColor(STATE_COLOURS.get(review["state"] or "", OPEN_COLOUR))
        for n, (state, threads) in enumerate(self._lines(opt, review, area.width())):
            x = area.left()
            if n == 0:
                draw_sign(painter, QRectF(x, top + (line - SIGN) / 2, SIGN, SIGN), review["state"])
            x += SIGN + 4
            room = area.right() - x
            if state:
                painter.setFont(bold)
                painter.setPen(ink if selected else colour)
                text = QFontMetrics(bold).elidedText(state, Qt.TextElideMode.ElideRight, room)
                painter.drawText(QRect(x, top, room, line), int(Qt.AlignmentFlag.AlignVCenter), text)
                x += QFontMetrics(bold).horizontalAdvance(text)
                room = area.right() - x
            if threads:
                painter.setFont(opt.font)
                painter.setPen(ink)
                shown = (" · " if state else "") + threads
                text = QFontMetrics(opt.font).elidedText(shown, Qt.TextElideMode.ElideRight, room)
                painter.drawText(QRect(x, top, room, line), int(Qt.AlignmentFlag.AlignVCenter), text)
            top += line
        painter.restore()
