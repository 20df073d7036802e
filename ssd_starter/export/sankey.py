"""The flows' Sankey diagram for the PDF dossier: a ReportLab Drawing painted from the core layout.

Nothing is laid out here: nodes, bands (``band_path``), colours and label places all come from
``ssd_starter.core.sankey``, which the Qt view paints too, so paper and screen show one picture.
One layout unit is one point: lay out at the size wanted on paper (an A4 page with 2 cm margins is
about 480 pt wide). The layout's origin is top-left with y downwards, ReportLab's bottom-left with
y upwards: every y is flipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ssd_starter.core.sankey import (
    BOUNDARIES,
    BOUNDARY_COLOURS,
    BOUNDARY_LABELS,
    COLOUR_BY,
    KIND_COLOURS,
    LINK_OPACITY,
    UNKNOWN_COLOUR,
    SankeyLayout,
    band_path,
    fit_labels,
    label_positions,
    link_colour,
    node_colour,
)
from ssd_starter.core.vocabulary import FlowKind
from ssd_starter.i18n import _, format_number, ngettext

ELLIPSIS = "…"  # in WinAnsi, so the built-in PDF fonts have it
SWATCH = 8.0


def _fit(text: str, room: float, font_name: str, font_size: float) -> str:
    """``text``, cut short with an ellipsis if it is wider than ``room``: a long name must not run
    into the bands or off the page."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font_name, font_size) <= room:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle].rstrip() + ELLIPSIS, font_name, font_size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def _legend_entries(layout: SankeyLayout, colour_by: str) -> list[tuple[str, str]]:
    """(colour, text) for what the bands' colours mean, only for what the picture shows."""
    if colour_by == "boundary":
        present = {link.boundary for link in layout.links}
        return [(BOUNDARY_COLOURS[b], _(BOUNDARY_LABELS[b])) for b in BOUNDARIES if b in present]
    present = {link.kind for link in layout.links}
    entries = [(KIND_COLOURS[kind], kind.label) for kind in FlowKind if kind.value in present]
    known = {kind.value for kind in FlowKind}
    return entries + [(UNKNOWN_COLOUR, kind) for kind in sorted(present - known)]


def _legend_notes(layout: SankeyLayout) -> list[str]:
    notes = [_("Band widths and node values in euro.")] if layout.links else []
    if layout.merged:
        notes.append(ngettext("“Other” gathers {count} node of at most {value} euro.",
                              "“Other” gathers {count} nodes of at most {value} euro each.",
                              layout.merged).format(count=format_number(layout.merged),
                                                    value=format_number(round(layout.merged_below))))
    if layout.dropped:
        notes.append(ngettext("{count} flow without a value or without an end in the district is not shown.",
                              "{count} flows without a value or without an end in the district are not shown.",
                              layout.dropped).format(count=format_number(layout.dropped)))
    return notes


def sankey_drawing(layout: SankeyLayout, *, colour_by: str = "kind", font_name: str = "Helvetica",
                   font_size: float = 7) -> Any:  # -> reportlab.graphics.shapes.Drawing
    """The diagram with its labels and, below it, a legend of the band colours."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.graphics.shapes import Path as PathShape
    from reportlab.lib.colors import HexColor, white
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {COLOUR_BY}, not {colour_by!r}")
    line = font_size * 1.3
    width = layout.width

    # The legend first: its height decides the drawing's.
    placed: list[tuple[float, int, str, str]] = []  # x, row, colour, text
    x, row = 0.0, 0
    for colour, text in _legend_entries(layout, colour_by):
        item = SWATCH + 3 + stringWidth(text, font_name, font_size) + 12
        if x > 0 and x + item > width:
            x, row = 0.0, row + 1
        placed.append((x, row, colour, text))
        x += item
    rows = row + 1 if placed else 0
    notes = _legend_notes(layout)
    legend_height = (rows + len(notes) + 1) * line if rows or notes else 0.0
    top = line  # a label centred on the top node may stand half a line above it
    drawing = Drawing(width, top + layout.height + legend_height)

    def flip(y: float) -> float:
        return top + layout.height + legend_height - y

    def baseline(middle: float) -> float:  # the text's middle at ``middle`` (layout y)
        return flip(middle) - font_size * 0.35

    for link in layout.links:
        path = PathShape(fillColor=HexColor(link_colour(link, colour_by)), fillOpacity=LINK_OPACITY,
                         strokeColor=None, strokeWidth=0)
        for command in band_path(link):
            if command[0] == "M":
                path.moveTo(command[1], flip(command[2]))
            elif command[0] == "L":
                path.lineTo(command[1], flip(command[2]))
            elif command[0] == "C":
                _c, x1, y1, x2, y2, x3, y3 = command
                path.curveTo(x1, flip(y1), x2, flip(y2), x3, flip(y3))
            else:
                path.closePath()
        drawing.add(path)
    for node in layout.nodes:
        drawing.add(Rect(node.x0, flip(node.y1), node.x1 - node.x0, node.y1 - node.y0,
                         fillColor=HexColor(node_colour(layout, node)), strokeColor=None, strokeWidth=0))
    last = layout.columns - 1
    two = layout.mode == "actor"  # actors' names are long and alike: two lines each, never cut alike
    labels = label_positions(layout, line * (2 if two else 1))

    def width_of(text: str) -> float:
        return stringWidth(text, font_name, font_size)

    for node in layout.nodes:
        x, y, anchor, room = labels[node.key]
        amount = format_number(round(node.value))
        if two:
            column = layout.column(node.column)
            lines = fit_labels([n.label for n in column], room - width_of("  " + amount), width_of)[
                column.index(node)]
            lines = [*lines[:-1], f"{lines[-1]}  {amount}"]
        else:
            name = _fit(node.label, room - width_of("  " + amount), font_name, font_size)
            lines = [f"{name}  {amount}" if name else amount]
        first = y - (len(lines) - 1) * line / 2
        for n, text in enumerate(lines):
            middle = first + n * line
            if 0 < node.column < last:  # over the bands: a pale backing keeps it legible
                drawing.add(Rect(x - 1, flip(middle) - line / 2, width_of(text) + 2, line, fillColor=white,
                                 fillOpacity=0.75, strokeColor=None, strokeWidth=0))
            drawing.add(String(x, baseline(middle), text, fontName=font_name, fontSize=font_size,
                               textAnchor=anchor))
    if not layout.nodes:
        drawing.add(String(width / 2, baseline(layout.height / 2), _("No flows with a value to show."),
                           fontName=font_name, fontSize=font_size * 1.4, textAnchor="middle"))

    legend_top = layout.height + 1.5 * line  # layout y of the first legend row's middle
    for x, row, colour, text in placed:
        middle = legend_top + row * line
        drawing.add(Rect(x, flip(middle) - SWATCH / 2, SWATCH, SWATCH, fillColor=HexColor(colour),
                         fillOpacity=LINK_OPACITY, strokeColor=None, strokeWidth=0))
        drawing.add(String(x + SWATCH + 3, baseline(middle), text, fontName=font_name, fontSize=font_size))
    for n, note in enumerate(notes):
        drawing.add(String(0, baseline(legend_top + (rows + n) * line), note, fontName=font_name,
                           fontSize=font_size))
    return drawing


def write_sankey_pdf(layout: SankeyLayout, path: Path, **options: Any) -> Path:
    """The drawing alone as a one-page PDF of its own size (through a temporary file). ``options`` go to
    ``sankey_drawing``."""
    from reportlab.graphics import renderPDF

    from ssd_starter.files import write_atomically

    drawing = sankey_drawing(layout, **options)
    return write_atomically(Path(path), lambda tmp: renderPDF.drawToFile(drawing, tmp), suffix=".pdf")
