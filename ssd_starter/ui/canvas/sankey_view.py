"""The Sankey view: who gives what to whom, drawn by QPainter from the same layout the PDF uses.

The layout is computed in ``core.sankey`` for the widget's size; this module only paints it (bands
from ``band_path``, nodes, labels at ``label_positions``) and exports PNG or SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from ssd_starter.core.sankey import (
    BOUNDARY_COLOURS,
    BOUNDARY_LABELS,
    KIND_COLOURS,
    LINK_OPACITY,
    SankeyLayout,
    band_path,
    label_positions,
    link_colour,
    node_colour,
    sankey_layout,
)
from ssd_starter.core.vocabulary import FlowKind
from ssd_starter.i18n import _, format_currency, ngettext

LEGEND_HEIGHT = 44


def painter_path(commands: Sequence[tuple]) -> QPainterPath:
    path = QPainterPath()
    for command in commands:
        if command[0] == "M":
            path.moveTo(command[1], command[2])
        elif command[0] == "C":
            path.cubicTo(*command[1:])
        elif command[0] == "L":
            path.lineTo(command[1], command[2])
        else:
            path.closeSubpath()
    return path


class SankeyWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 320)
        self._actors: list[Mapping[str, Any]] = []
        self._flows: list[Mapping[str, Any]] = []
        self.mode = "actor"
        self.kinds: set[str] | None = None
        self.colour_by = "kind"
        self._layout: SankeyLayout | None = None
        self._layout_size: QSize | None = None
        self.setAccessibleName(_("Sankey diagram of the flows"))

    def set_data(self, actors: Sequence[Mapping[str, Any]], flows: Sequence[Mapping[str, Any]]) -> None:
        self._actors, self._flows = list(actors), list(flows)
        self._invalidate()

    def set_options(self, *, mode: str | None = None, kinds: set[str] | None | bool = False,
                    colour_by: str | None = None) -> None:
        self.mode = mode or self.mode
        if kinds is not False:
            self.kinds = kinds  # type: ignore[assignment]
        self.colour_by = colour_by or self.colour_by
        self._invalidate()

    def _invalidate(self) -> None:
        self._layout = None
        self.update()

    def layout_for(self, size: QSize) -> SankeyLayout:
        label_space = max(120.0, min(220.0, size.width() * 0.2))
        return sankey_layout(self._actors, self._flows, mode=self.mode, kinds=self.kinds,
                             width=float(size.width()), height=float(max(60, size.height() - LEGEND_HEIGHT)),
                             label_space=label_space)

    def current_layout(self) -> SankeyLayout:
        if self._layout is None or self._layout_size != self.size():
            self._layout = self.layout_for(self.size())
            self._layout_size = self.size()
        return self._layout

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        self.paint(painter, self.current_layout())
        painter.end()

    def paint(self, painter: QPainter, layout: SankeyLayout) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        metrics = QFontMetricsF(font)
        if not layout.links:
            painter.setPen(QColor("#555555"))
            painter.drawText(QRectF(0, 0, layout.width, layout.height), Qt.AlignmentFlag.AlignCenter,
                             _("No flows with a value to draw yet. Add flows in the Flows tab."))
            return
        painter.setPen(Qt.PenStyle.NoPen)
        for link in layout.links:
            colour = QColor(link_colour(link, self.colour_by))
            colour.setAlphaF(LINK_OPACITY)
            painter.setBrush(colour)
            painter.drawPath(painter_path(band_path(link)))
        for node in layout.nodes:
            painter.setBrush(QColor(node_colour(layout, node)))
            painter.drawRect(QRectF(node.x0, node.y0, node.x1 - node.x0, max(node.y1 - node.y0, 1.0)))
        painter.setPen(QColor("#222222"))
        line = metrics.height()
        for key, (x, y, anchor, room) in label_positions(layout, line).items():
            node = layout.node(key)
            # the amount is always shown whole; the name gives way when room is short
            amount = "  " + format_currency(node.value, whole=True)
            name = metrics.elidedText(node.label, Qt.TextElideMode.ElideRight,
                                      max(0.0, room - metrics.horizontalAdvance(amount)))
            text = name + amount
            width = metrics.horizontalAdvance(text)
            left = x - width if anchor == "end" else x
            painter.drawText(QPointF(left, y + metrics.ascent() / 2 - metrics.descent() / 2), text)
        self._paint_legend(painter, layout, metrics)

    def _paint_legend(self, painter: QPainter, layout: SankeyLayout, metrics: QFontMetricsF) -> None:
        if self.colour_by == "boundary":
            entries = [(BOUNDARY_COLOURS[b], _(BOUNDARY_LABELS[b])) for b in BOUNDARY_COLOURS]
        else:
            present = {link.kind for link in layout.links}
            entries = [(KIND_COLOURS[k.value], k.label) for k in FlowKind if k.value in present]
        x, y = 4.0, layout.height + 8
        for colour, label in entries:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRect(QRectF(x, y, 12, 12))
            painter.setPen(QColor("#222222"))
            painter.drawText(QPointF(x + 16, y + 11), label)
            x += 16 + metrics.horizontalAdvance(label) + 14
        note = _("Total drawn: {total} per year").format(total=format_currency(layout.total))
        if layout.dropped:
            note += " · " + ngettext("{count} flow without a value not drawn", "{count} flows without a value not drawn",
                                     layout.dropped).format(count=layout.dropped)
        painter.drawText(QPointF(4, y + 14 + metrics.height()), note)

    # -- export -------------------------------------------------------------------------------

    def render_image(self, size: QSize | None = None) -> QImage:
        size = size or QSize(1600, 1000)
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self.paint(painter, self.layout_for(size))
        painter.end()
        return image

    def export(self, path: Path) -> Path:
        """PNG or SVG by the file's suffix, through a temporary file: user-only like every export."""
        from ssd_starter.files import write_atomically

        size = QSize(1600, 1000)

        def write_svg(tmp: str) -> None:
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setFileName(tmp)
            generator.setSize(size)
            generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
            generator.setTitle(_("Resource flows"))
            painter = QPainter(generator)
            painter.setPen(QPen(QColor("black")))
            self.paint(painter, self.layout_for(size))
            painter.end()

        def write_png(tmp: str) -> None:
            if not self.render_image(size).save(tmp):  # PNG by the temporary file's suffix
                from ssd_starter.core.errors import UserError
                from ssd_starter.i18n import N_

                raise UserError(N_("Could not write {path}."), path=str(path))

        if path.suffix.lower() == ".svg":
            return write_atomically(path, write_svg, suffix=".svg")
        return write_atomically(path, write_png, suffix=".png")
