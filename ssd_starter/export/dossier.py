"""The district dossier: one localized PDF for the municipality, the Province and the Centre.

Built with ReportLab platypus in the dossier's own language (``i18n.speaking``): cover, contents with
page numbers, summary indicators with traffic lights, the network and the power/interest grid as vector
drawings, stakeholder tables (contact details only with consent *and* when asked), the charter with its
checklist, the canvas, the flows with the Sankey diagram and scenarios, and the training record (totals,
no personal answers). Areas with nothing in them are left out, not faked. DejaVu Sans is embedded so
every Italian and German letter is real, selectable text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from ssd_starter.core.bulk import collector_paused
from ssd_starter.core.errors import UserError
from ssd_starter.files import write_atomically
from ssd_starter.i18n import (
    N_,
    _,
    format_currency,
    format_date,
    format_number,
    format_percent,
    ngettext,
    pgettext,
    speaking,
)

SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", N_("Summary indicators")),
    ("network", N_("Actor network")),
    ("stakeholders", N_("Actors")),
    ("charter", N_("Founding charter")),
    ("canvas", N_("Business-model canvas")),
    ("flows", N_("Resource flows")),
    ("training", N_("Training record")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)
NAMED_IN_PICTURE = 25  # the network picture names at most this many actors on A4 …
NUMBERED_IN_PICTURE = 60  # … and numbers at most this many more, listed in a key under it
FONT = "DejaVuSans"
TREND_COLUMNS = 6  # snapshots the dossier's trend table shows, the newest
MAX_FLOW_ROWS = 300  # beyond this a list of flows informs nobody: the rest is summed up
LIGHT_HEX = {"green": "#cfe9d1", "amber": "#fbe7b0", "red": "#f5c9c9", "none": "#e6e6e6"}  # pale: text on top


class Cancelled(UserError):
    def __init__(self) -> None:
        super().__init__(N_("The dossier was cancelled; no file was written."))


@dataclass
class DossierOptions:
    language: str = "it"
    sections: Sequence[str] = SECTION_KEYS
    include_contacts: bool = False  # contact details of people who consented
    logo: Path | None = None
    progress: Callable[[int, int], bool] | None = None  # (done, total) → False to cancel
    produced: list[str] = field(default_factory=list)  # the sections actually written (filled in)


def shown_names(actors) -> dict[str, str]:
    """Actor id → the name the dossier prints: a private person who did not consent is not named."""
    names: dict[str, str] = {}
    private = 0
    for actor in actors:
        if actor["category"] == "individual" and not actor["consent"]:
            private += 1
            names[actor["id"]] = _("Private person {number}").format(number=private)
        else:
            names[actor["id"]] = actor["name"]
    return names


def register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    from importlib import resources

    folder = resources.files("ssd_starter").joinpath("resources/fonts")
    for suffix, bold, italic in (("", 0, 0), ("-Bold", 1, 0), ("-Oblique", 0, 1), ("-BoldOblique", 1, 1)):
        name = FONT + suffix
        pdfmetrics.registerFont(TTFont(name, str(folder.joinpath(f"{name}.ttf"))))
        addMapping(FONT, bold, italic, name)


@collector_paused()  # tens of thousands of flowables: the collector walked them again and again (5–8 %)
def write_dossier(store, district_id: str, path: Path, options: DossierOptions | None = None) -> Path:
    """Write the dossier to ``path`` (through a temporary file). Raises ``Cancelled`` if the caller stops it."""
    options = options or DossierOptions()
    with speaking(options.language):
        builder = _Builder(store, district_id, options)
        story = builder.story()

        def write(tmp: str) -> None:
            builder.build(tmp, story)

        return write_atomically(path, write, suffix=".pdf")


class _Builder:
    def __init__(self, store, district_id: str, options: DossierOptions) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

        from ssd_starter.store.districts import get_district
        from ssd_starter.store.stakeholders import list_stakeholders, relation_ties

        register_fonts()
        self.store, self.options = store, options
        self.district = get_district(store, district_id)
        self.actors = list_stakeholders(store, district_id)
        # the two ends and strength are all the dossier uses of a relation, as the network view (a third of
        # the time of whole records at 20,000)
        self.relations = relation_ties(store, district_id)
        self.names = shown_names(self.actors)
        self.colors = colors
        base = getSampleStyleSheet()
        self.styles = {
            "title": ParagraphStyle("title", parent=base["Title"], fontName=FONT + "-Bold", fontSize=26, leading=32),
            "subtitle": ParagraphStyle("subtitle", parent=base["Normal"], fontName=FONT, fontSize=13, leading=18,
                                       alignment=1),
            "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName=FONT + "-Bold", fontSize=17, leading=21,
                                 spaceBefore=4, spaceAfter=8, textColor=colors.HexColor("#1d3f6e")),
            # kept with what it heads: never alone at the foot of a page with its picture on the next
            "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=FONT + "-Bold", fontSize=12.5, leading=16,
                                 spaceBefore=8, spaceAfter=4, keepWithNext=1),
            "body": ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=9.5, leading=13),
            "small": ParagraphStyle("small", parent=base["BodyText"], fontName=FONT, fontSize=7.5, leading=9.5),
            "note": ParagraphStyle("note", parent=base["BodyText"], fontName=FONT + "-Oblique", fontSize=8.5,
                                   leading=11, textColor=colors.HexColor("#555555")),
            "toc1": ParagraphStyle("toc1", fontName=FONT, fontSize=11, leading=16, leftIndent=10),
        }
        self.steps_total = len(options.sections) + 2
        self.steps_done = 0
        self._wrapped: dict[tuple[str, str, float], Any] = {}  # (text, style, column) → the cell (wrapped)
        self._money: dict[tuple[type, Any], str] = {}

    # -- helpers --------------------------------------------------------------------------------

    def _tick(self) -> None:
        self.steps_done += 1
        if self.options.progress and self.options.progress(self.steps_done, self.steps_total) is False:
            raise Cancelled()

    def money(self, value: Any) -> str:
        """``format_currency(value, whole=True)``, once per amount (a 5,000-actor dossier asks 4,300 times
        for 1,400 amounts, babel taking 30 µs each)."""
        key = (type(value), value)
        text = self._money.get(key)
        if text is None:
            text = self._money[key] = format_currency(value, whole=True)
        return text

    def p(self, text: str, style: str = "body"):
        from reportlab.platypus import Paragraph

        return Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style])

    def heading(self, text: str, *, listed: bool = True):
        from reportlab.platypus import Paragraph

        heading = Paragraph(escape(text), self.styles["h1"])
        if listed:
            heading.toc_entry = text
        return heading

    def table(self, rows: list[list[Any]], widths: Sequence[float], *, header: bool = True, font_size: float = 8):
        """A table that repeats its header across pages. Every cell is drawn as plain text, which ReportLab
        draws many times faster than a paragraph: text wider than its column is broken into lines as a
        paragraph would break it (``_Builder.wrapped``), once per distinct text."""
        from reportlab.platypus import TableStyle

        style = self.styles["small"] if font_size < 8.5 else self.styles["body"]
        size = style.fontSize
        cells = [[self.wrapped(value, widths[n], style) for n, value in enumerate(row)] for row in rows]
        every_cell = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                      ("FONTSIZE", (0, 0), (-1, -1), size), ("LEADING", (0, 0), (-1, -1), style.leading),
                      ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING[0]),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING[1]),
                      ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING[2]),
                      ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING[3])]
        lines: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.25, self.colors.HexColor("#c8ccd4"))]
        if header:
            lines.append(("BACKGROUND", (0, 0), (-1, 0), self.colors.HexColor("#e8edf5")))
        head, body = (cells[:1], cells[1:]) if header else ([], cells)
        if len(body) <= TABLE_PIECE:
            table = _table_class()(cells, colWidths=widths, repeatRows=1 if header else 0)
            table.setStyle(TableStyle(every_cell + lines))
            return table
        # A long list is laid out a page at a time (_paged_table): ReportLab measures the whole rest of a table
        # again at every page break, which made a 5,000-actor list cost seconds per page.
        return _paged_table(head, body, list(widths), TableStyle(lines), _cell_style(every_cell), style.leading)

    def wrapped(self, value: Any, width: float, style: Any) -> Any:
        """A cell's text as the table draws it: as it is when it fits its column, else broken into lines
        where a paragraph of ``style`` in the cell would break it (a paragraph still, in the rare case that
        plain lines could not say the same)."""
        if not isinstance(value, str):
            return value
        key = (value, style.name, width)  # once per text and column: a list repeats its labels thousands of times
        cell = self._wrapped.get(key)
        if cell is None:
            if "\n" not in value and _string_width(value, style.fontSize) <= width - 6.5:
                cell = value
            else:
                cell = _paragraph_lines(value, style, width - CELL_PADDING[2] - CELL_PADDING[3])
            self._wrapped[key] = cell
        return cell

    # -- the story ------------------------------------------------------------------------------

    def story(self) -> list:
        from reportlab.platypus import PageBreak

        story = self.cover()
        story += self.contents()
        self._tick()
        for key in SECTION_KEYS:
            if key not in self.options.sections:
                continue
            part = getattr(self, f"section_{key}")()
            self._tick()
            if part:
                self.options.produced.append(key)
                story += [PageBreak(), *part]
        self.toc.entries = list(_listed_headings(story))
        return story

    def cover(self) -> list:
        from reportlab.lib.units import cm
        from reportlab.platypus import Image, Spacer

        from ssd_starter.core.vocabulary import DistrictKind

        district = self.district
        story: list = [Spacer(1, 4 * cm)]
        if self.options.logo:
            story += [Image(str(_checked_logo(self.options.logo)), width=4 * cm, height=4 * cm, kind="proportional"),
                      Spacer(1, 1 * cm)]
        story += [self.p(_("District dossier"), "subtitle"), Spacer(1, 0.4 * cm), self.p(district.name, "title"),
                  Spacer(1, 0.6 * cm),
                  self.p(_("{kind} district of the solidarity economy").format(kind=DistrictKind(district.kind).label),
                         "subtitle")]
        if district.municipalities:
            story.append(self.p(", ".join(district.municipalities), "subtitle"))
        story += [Spacer(1, 2 * cm), self.p(format_date(dt.date.today(), style="long"), "subtitle"),
                  Spacer(1, 0.3 * cm),
                  self.p(_("Prepared with SSD Starter for the municipality, the Province and the Centre for the "
                           "Solidarity Economy."), "note")]
        return story

    def contents(self) -> list:
        from reportlab.platypus import PageBreak

        self.toc = _contents(self.styles["toc1"])
        return [PageBreak(), self.heading(_("Contents"), listed=False), self.toc]

    def section_summary(self) -> list:
        from ssd_starter.core.indicators import STATUS_LABELS, format_value
        from ssd_starter.core.network import engagement_funnel
        from ssd_starter.core.summary import district_summary
        from ssd_starter.core.vocabulary import Role, Stage

        story = [self.heading(_("Summary indicators"))]
        flows = self.flows
        summary = district_summary(self.actors, flows, self.district.targets)
        network, funnel = self.network_figures(), engagement_funnel(self.actors)
        from ssd_starter.core.summary import lm3_texts, relations_text, spending_text

        rows = [[_("Actors"), format_number(network.actors)],
                [_("Relations"), relations_text(network.relations, network.pairs)],
                [_("Separate groups"), format_number(network.components)],
                [_("Engagement"), " → ".join(f"{Stage(s).label} {format_number(n)}" for s, n in funnel.items())],
                [_("Missing roles"), ", ".join(Role(r).label for r in network.missing_roles) or "—"]]
        story.append(self.table(rows, (5 * 28.35, 12 * 28.35), header=False, font_size=9))
        if flows:
            story.append(self.p(_("Self-sufficiency of the resource flows"), "h2"))
            header = [_("Indicator"), _("Value"), _("Target"), _("Status")]
            table_rows: list[list[Any]] = [header]
            for line in summary.lines:
                sign = "≥" if line.target.comparison == "at_least" else "≤"
                table_rows.append([_(line.info.title), format_value(line.info, line.value),
                                   f"{sign} {format_value(line.info, line.target.value)}", _(STATUS_LABELS[line.status])])
            table = self.table(table_rows, (7.5 * 28.35, 2.5 * 28.35, 2.5 * 28.35, 4.5 * 28.35), font_size=9)
            from reportlab.platypus import TableStyle

            table.setStyle(TableStyle([("BACKGROUND", (3, n), (3, n), self.colors.HexColor(LIGHT_HEX[line.status]))
                                       for n, line in enumerate(summary.lines, start=1)]))
            story.append(table)
            story.append(self.p(ngettext("The district meets {met} of {count} target.",
                                         "The district meets {met} of {count} targets.", len(summary.lines)).format(
                met=summary.targets_met, count=len(summary.lines)), "note"))
            for text in (spending_text(summary.flows), *lm3_texts(summary.flows)):
                story.append(self.p(text, "note"))
        story += self.trend_table(summary)
        return story

    def trend_table(self, summary) -> list:
        """The indicators as kept over the years (the newest snapshots), beside their targets."""
        from ssd_starter.core.indicators import format_value
        from ssd_starter.core.summary import snapshots_of
        from ssd_starter.store.flows import list_snapshots

        history = snapshots_of(list_snapshots(self.store, self.district.id))[-TREND_COLUMNS:]
        if not history:
            return []
        rows: list[list[Any]] = [[_("Indicator"), *[format_date(s.on) for s in history], _("Target")]]
        for line in summary.lines:
            sign = "≥" if line.target.comparison == "at_least" else "≤"
            rows.append([_(line.info.title), *[format_value(line.info, s.values.get(line.info.key)) for s in history],
                         f"{sign} {format_value(line.info, line.target.value)}"])
        share = 9.5 * 28.35 / (len(history) + 1)
        return [self.p(_("Indicators over time"), "h2"),
                self.p(ngettext("Kept once a year, and whenever the promoters keep them; the newest is shown.",
                                "Kept once a year, and whenever the promoters keep them; the newest {count} are "
                                "shown.", len(history)).format(count=len(history)), "note"),
                self.table(rows, [7.5 * 28.35] + [share] * (len(history) + 1), font_size=8)]

    def section_network(self) -> list:
        if not self.actors:
            return []
        from reportlab.platypus import Spacer

        story = [self.heading(_("Actor network")), *self.network_drawing(), Spacer(1, 8),
                 self.p(_("Power / interest grid"), "h2"), *self.grid_drawing()]
        return story

    def network_drawing(self) -> list:
        """The map on A4: the most central actors named where their names fit without touching (core.labels,
        as on screen), the next ones numbered with a key below the picture, the rest as dots."""
        from reportlab.graphics.shapes import Circle, Drawing, Line, Path, Rect, String
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from ssd_starter.core.labels import LabelRequest, place_labels
        from ssd_starter.core.layout import compute_layout
        from ssd_starter.core.vocabulary import (
            CATEGORY_COLOURS,
            DIRECTED_KINDS,
            RELATION_COLOURS,
            Category,
            RelationKind,
        )
        from ssd_starter.store.layout import load_positions

        known, pinned = load_positions(self.store, self.district.id)
        ids = [a["id"] for a in self.actors]
        positions = known if all(i in known for i in ids) else compute_layout(ids, self.relations, known, pinned)
        width, height, margin = 480.0, 360.0, 12.0
        # the legend under the map, as on screen: the categories on it, then the kinds of relation drawn
        present_kinds = {r["kind"] for r in self.relations}
        legend_entries = ([("dot", CATEGORY_COLOURS[c.value], c.label) for c in Category
                    if any(a["category"] == c for a in self.actors)]
                   + [("line", RELATION_COLOURS[k.value], k.label) for k in RelationKind if k.value in present_kinds])
        placed_entries: list[tuple[str, str, str, float, int]] = []
        x, row = margin, 0
        for shape, colour, text in legend_entries:
            step = 16 + stringWidth(text, FONT, 6.5)
            if (x + step > width and x > margin) or (shape == "line" and placed_entries
                                                      and placed_entries[-1][0] == "dot"):
                x, row = margin, row + 1  # a new row when full, and the kinds on rows of their own
            placed_entries.append((shape, colour, text, x, row))
            x += step
        legend = 11.0 * (row + 1) + 8
        height += legend - 30.0
        xs = [positions[i][0] for i in ids]
        ys = [positions[i][1] for i in ids]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        scale = min((width - 2 * margin) / span_x, (height - legend - 2 * margin) / span_y)

        left, top = min(xs), min(ys)  # once: taken inside at(), they cost 5 s on a 5,000-actor map

        def at(actor_id: str) -> tuple[float, float]:  # top-down, as the labels are placed
            x, y = positions[actor_id]
            return margin + (x - left) * scale, margin + (y - top) * scale

        def flip(y: float) -> float:
            return height - y

        drawing = Drawing(width, height)
        small = len(ids) > 120
        radius = {a["id"]: (1.5 + 0.8 * a["influence"]) if not small else (1.2 + 0.3 * a["influence"])
                  for a in self.actors}
        # the ties of a kind and strength in one path (a few drawing nodes, not thousands, as on screen): the
        # kind's colour made paler so the dots stay readable, wider for a stronger tie; where the map is small
        # enough to see them, an arrowhead at the receiving end of the directed kinds
        paths: dict[tuple[str, int], Any] = {}
        heads: dict[str, Any] = {}
        for relation in self.relations:
            source, target, kind = relation["source_id"], relation["target_id"], relation["kind"]
            if source not in positions or target not in positions or source == target:
                continue
            strength = min(3, max(1, int(relation.get("strength") or 1)))
            colour = _paler(RELATION_COLOURS.get(kind, "#9aa3ad"), 0.6 if small else 0.75)
            path = paths.get((kind, strength))
            if path is None:
                path = paths[kind, strength] = Path(strokeColor=self.colors.HexColor(colour), fillColor=None,
                                                    strokeWidth=(0.25 if small else 0.4) * (1 + 0.8 * (strength - 1)))
            (x1, y1), (x2, y2) = at(source), at(target)
            path.moveTo(x1, flip(y1))
            path.lineTo(x2, flip(y2))
            if not small and kind in DIRECTED_KINDS:
                head = heads.get(kind)
                if head is None:
                    head = heads[kind] = Path(fillColor=self.colors.HexColor(RELATION_COLOURS[kind]), strokeColor=None,
                                              strokeWidth=0)
                _arrowhead(head, x1, flip(y1), x2, flip(y2), radius[target] + 0.6)
        for key in sorted(paths):
            drawing.add(paths[key])
        for kind in sorted(heads):
            drawing.add(heads[kind])
        fills = {hex_: self.colors.HexColor(hex_) for hex_ in {*CATEGORY_COLOURS.values(), "#666666"}}
        dots = []
        for actor in self.actors:
            x, y = at(actor["id"])
            dots.append((x, flip(y), radius[actor["id"]], fills[CATEGORY_COLOURS.get(actor["category"], "#666666")]))
        drawing.add(_dots(dots, self.colors.white, 0.3))

        ranking, measure = self._central_actors()
        size, key_size = 6.0, 5.5
        bounds = (0.0, 0.0, width, height - legend)
        named = place_labels((LabelRequest(a, *at(a), radius[a], stringWidth(self.names[a], FONT, size) + 2, size + 1.5)
                              for a in ranking[:NAMED_IN_PICTURE]), bounds)
        taken = [label.rect for label in named]
        numbered = place_labels((LabelRequest(a, *at(a), radius[a], stringWidth(str(n), FONT, key_size) + 1.5,
                                              key_size + 1)
                                 for n, a in enumerate((a for a in ranking[NAMED_IN_PICTURE:] if a in positions),
                                                       start=1)
                                 if n <= NUMBERED_IN_PICTURE), bounds, obstacles=taken)
        number_of = {a: n for n, a in enumerate(ranking[NAMED_IN_PICTURE:], start=1)}
        for label, text, font_size in ([(label, self.names[label.key], size) for label in named]
                                       + [(label, str(number_of[label.key]), key_size) for label in numbered]):
            x, y, w, h = label.rect
            drawing.add(Rect(x, flip(y + h), w, h, fillColor=self.colors.white, fillOpacity=0.8, strokeColor=None,
                             strokeWidth=0))
            drawing.add(String(x + 1, flip(y + h) + h * 0.25, text, fontName=FONT, fontSize=font_size))
        for shape, colour, text, x, row in placed_entries:
            y = legend - 8 - 11 * row
            if shape == "dot":
                drawing.add(Circle(x + 3, y, 3, fillColor=self.colors.HexColor(colour), strokeColor=None))
            else:
                drawing.add(Line(x - 1, y, x + 7, y, strokeColor=self.colors.HexColor(colour), strokeWidth=1.4))
            drawing.add(String(x + 9, y - 2.5, text, fontName=FONT, fontSize=6.5))
        story: list = [drawing]
        shown = sorted((number_of[label.key], label.key) for label in numbered)
        if shown:
            entries = [f"{n} {self.names[a]}" for n, a in shown]
            columns = 3
            rows = [entries[i:i + columns] + [""] * (columns - len(entries[i:i + columns]))
                    for i in range(0, len(entries), columns)]
            story += [self.p(ngettext("Named in the picture: the most central actor by {measure}; numbered: the "
                                      "next ones, in the key below.",
                                      "Named in the picture: the {count} most central actors by {measure}; numbered: "
                                      "the next ones, in the key below.", len(named)).format(
                count=len(named), measure=measure), "note"),
                      self.table(rows, [160.0] * columns, header=False, font_size=6.5)]
        return story

    @functools.cached_property
    def flows(self) -> list:
        from ssd_starter.store.flows import list_flows

        return list_flows(self.store, self.district.id)

    def exact_centrality(self) -> bool:
        """Whether betweenness is exact and quick for this map (core.centrality), so the picture ranks by it."""
        from ssd_starter.core.centrality import EXACT_WORK

        n, m = len(self.actors), len(self.relations)
        return n * (n + m) <= EXACT_WORK

    @functools.cached_property
    def network(self) -> Any:
        """The network indicators, betweenness with them: computed once for the summary and the picture."""
        from ssd_starter.core.network import network_indicators

        return network_indicators(list(self.actors), list(self.relations))

    def network_figures(self) -> Any:
        """The summary's network figures (actors, relations, pairs, groups, missing roles). Betweenness, most
        of the indicators' cost (about a second at 5,000 actors, estimated), is in no table of the dossier:
        computed only where the picture ranks by it anyway."""
        return self.network if self.exact_centrality() else _network_counts(self.actors, self.relations)

    def _central_actors(self) -> tuple[list[str], str]:
        """Actors most central first, and by which measure: betweenness when it is exact and quick (the
        summary's), else the number of relations (an estimate would cost a second more)."""
        if self.exact_centrality():
            return [s.id for s in self.network.scores], _("betweenness")
        degree: dict[str, int] = {a["id"]: 0 for a in self.actors}
        for relation in self.relations:
            for end in (relation["source_id"], relation["target_id"]):
                if end in degree:
                    degree[end] += 1
        return sorted(degree, key=lambda a: (-degree[a], self.names[a].casefold())), _("number of relations")

    def grid_drawing(self) -> list:
        """The power/interest grid with names: a cell lists its actors (category colour, attitude ring) while
        they fit, numbers them with a key under the grid when they do not, and gives only their count when
        even numbers would not fit."""
        from reportlab.graphics.shapes import Circle, Drawing, Rect, String
        from reportlab.pdfbase.pdfmetrics import stringWidth

        from ssd_starter.core.network import QUADRANT_HEX, QUADRANT_NAMES, quadrant
        from ssd_starter.core.sankey import wrap_label
        from ssd_starter.core.vocabulary import ATTITUDE_COLOURS, CATEGORY_COLOURS, Attitude, Category

        cell, left, size = 86.0, 40.0, 5.2
        line, header = size * 1.25, 9.0
        # the legend under the axis title, as the window's beside the grid: the categories on it, then the ring
        width = left + 5 * cell + 10
        entries = ([(CATEGORY_COLOURS[c.value], None, c.label) for c in Category
                    if any(a["category"] == c for a in self.actors)]
                   + [("#ffffff", ATTITUDE_COLOURS[a.value], a.label) for a in Attitude])
        placed: list[tuple[str, str | None, str, float, int]] = []
        x, row = left, 0
        for fill, ring, text in entries:
            step = 16 + stringWidth(text, FONT, 6.5)
            if (x + step > width and x > left) or (ring is not None and placed and placed[-1][1] is None):
                x, row = left, row + 1  # a new row when full; the attitude rings on a row of their own
            placed.append((fill, ring, text, x, row))
            x += step
        legend = 11.0 * (row + 1) + 4
        bottom = 30.0 + legend
        drawing = Drawing(width, bottom + 5 * cell + 10)
        for fill, ring, text, x, row in placed:
            y = legend - 5 - 11 * row
            drawing.add(Circle(x + 3, y, 2.6, fillColor=self.colors.HexColor(fill),
                               strokeColor=self.colors.HexColor(ring) if ring else None, strokeWidth=1.0 if ring else 0))
            drawing.add(String(x + 9, y - 2.3, text, fontName=FONT, fontSize=6.5))
        for influence in range(1, 6):
            for interest in range(1, 6):
                drawing.add(Rect(left + (interest - 1) * cell, bottom + (influence - 1) * cell, cell, cell,
                                 fillColor=self.colors.HexColor(QUADRANT_HEX[quadrant(influence, interest)]),
                                 strokeColor=self.colors.white, strokeWidth=1))
        for name, (col, row) in {"keep_satisfied": (0, 4), "manage_closely": (3, 4), "monitor": (0, 1),
                                 "keep_informed": (3, 1)}.items():
            drawing.add(String(left + col * cell + 3, bottom + row * cell + cell - 8, _(QUADRANT_NAMES[name]),
                               fontName=FONT + "-Bold", fontSize=6.5, fillColor=self.colors.HexColor("#444444")))
        by_cell: dict[tuple[int, int], list] = {}
        for actor in sorted(self.actors, key=lambda a: self.names[a["id"]].casefold()):
            by_cell.setdefault((actor["interest"], actor["influence"]), []).append(actor)
        key: list[str] = []
        rows_fit = int((cell - header - 4) // line)
        for (interest, influence), actors in sorted(by_cell.items(), key=lambda item: (-item[0][1], item[0][0])):
            x0, top = left + (interest - 1) * cell, bottom + influence * cell - header - 2
            per_row = int((cell - 4) // 15)
            if len(actors) <= rows_fit:  # names, shortened in the middle to the cell's width
                for n, actor in enumerate(actors):
                    y = top - (n + 0.5) * line
                    self._grid_dot(drawing, x0 + 4, y, actor, ATTITUDE_COLOURS, CATEGORY_COLOURS)
                    name = wrap_label(self.names[actor["id"]], cell - 12,
                                      lambda t: stringWidth(t, FONT, size), lines=1)[0]
                    drawing.add(String(x0 + 8, y - size * 0.35, name, fontName=FONT, fontSize=size))
            elif len(actors) <= rows_fit * per_row:  # numbered, the names in the key
                for n, actor in enumerate(actors):
                    row, column = divmod(n, per_row)
                    x, y = x0 + 4 + column * 15, top - (row + 0.5) * line
                    key.append(f"{len(key) + 1} {self.names[actor['id']]}")
                    self._grid_dot(drawing, x, y, actor, ATTITUDE_COLOURS, CATEGORY_COLOURS)
                    drawing.add(String(x + 3.5, y - size * 0.35, str(len(key)), fontName=FONT, fontSize=size - 0.6))
            else:
                drawing.add(String(x0 + cell / 2, bottom + (influence - 0.5) * cell - 4,
                                   ngettext("{count} actor", "{count} actors", len(actors)).format(
                                       count=format_number(len(actors))),
                                   fontName=FONT + "-Bold", fontSize=8, textAnchor="middle"))
        drawing.add(String(left + 2.5 * cell, bottom - 22, _("Interest →"), fontName=FONT, fontSize=8,
                           textAnchor="middle"))
        for n in range(1, 6):
            drawing.add(String(left + (n - 0.5) * cell, bottom - 10, str(n), fontName=FONT, fontSize=7,
                               textAnchor="middle"))
            drawing.add(String(left - 6, bottom + (n - 0.5) * cell - 2.5, str(n), fontName=FONT, fontSize=7,
                               textAnchor="end"))
        influence_label = String(0, 0, _("Influence →"), fontName=FONT, fontSize=8, textAnchor="middle")
        from reportlab.graphics.shapes import Group

        turned = Group(influence_label)
        turned.rotate(90)
        turned.translate(bottom + 2.5 * cell, -12)
        drawing.add(turned)
        story: list = [drawing]
        self.grid_key = key  # "n name" entries of the numbered actors, as the key lists them
        if key:
            columns = 3
            rows = [key[i:i + columns] + [""] * (columns - len(key[i:i + columns])) for i in range(0, len(key), columns)]
            story.append(self.table(rows, [160.0] * columns, header=False, font_size=6.5))
        return story

    def _grid_dot(self, drawing, x: float, y: float, actor, attitude_colours, category_colours) -> None:
        from reportlab.graphics.shapes import Circle

        drawing.add(Circle(x, y, 2.2, fillColor=self.colors.HexColor(category_colours.get(actor["category"], "#666666")),
                           strokeColor=self.colors.HexColor(attitude_colours.get(actor["attitude"], "#999999")),
                           strokeWidth=0.8))

    def section_stakeholders(self) -> list:
        if not self.actors:
            return []
        from ssd_starter.core.vocabulary import Attitude, Category, Role, Sector, Stage

        story = [self.heading(_("Actors"))]
        contacts = self.options.include_contacts
        header = [_("Name"), _("Category"), _("Sector"), _("Municipality"), _("Roles"), _("Stage"), _("Attitude")]
        widths = [4.0, 2.5, 2.5, 2.3, 2.5, 1.7, 1.9]
        if contacts:
            header.append(_("Contact (with consent)"))
            widths = [3.2, 2.0, 2.0, 1.9, 2.0, 1.6, 1.8, 3.0]
        rows: list[list[Any]] = [header]
        # each label translated once, not again for each of 5,000 actors
        labels: dict[tuple[type, str], str] = {
            (kind, member.value): member.label for kind in (Attitude, Category, Role, Sector, Stage) for member in kind}

        def label(kind: type, value: str) -> str:
            text = labels.get((kind, value))
            return text if text is not None else kind(value).label  # an unknown value fails as it did

        for actor in self.actors:
            row = [self.names[actor["id"]], label(Category, actor["category"]),
                   label(Sector, actor["sector"]) if actor["sector"] else "—", actor["municipality"] or "—",
                   ", ".join(label(Role, r) for r in actor["roles"]) or "—", label(Stage, actor["stage"]),
                   label(Attitude, actor["attitude"])]
            if contacts:
                # contact details only where the person agreed, whatever the option says
                row.append("\n".join(filter(None, (actor["contact_person"], actor["email"], actor["phone"])))
                           if actor["consent"] else "—")
            rows.append(row)
        story.append(self.table(rows, [w * 28.35 for w in widths], font_size=7))
        if not contacts:
            story.append(self.p(_("Contact details are not included in this dossier."), "note"))
        return story

    def section_charter(self) -> list:
        from ssd_starter.core.errors import NotFound
        from ssd_starter.export.charter import blocks, build_document, inline_runs

        try:
            doc = build_document(self.store, self.district.id, self.options.language, actors=self.actors)
        except NotFound:
            return []
        from reportlab.platypus import Paragraph

        def markup(line: str) -> str:
            return "".join(f"<b>{escape(t)}</b>" if b else f"<i>{escape(t)}</i>" if i else escape(t)
                           for t, b, i in inline_runs(line))

        story = [self.heading(_("Founding charter")), self.p(doc.status, "note")]
        for section in doc.sections:
            story.append(self.p(section.heading, "h2"))
            if section.untranslated:
                story.append(self.p(_("(not translated: original text)"), "note"))
            for kind, line in blocks(section.text) or [("paragraph", "—")]:
                text = ("• " if kind == "item" else "") + markup(line)
                story.append(Paragraph(text, self.styles["body"]))
        story.append(self.p(_("Checklist"), "h2"))
        story.append(self.p(doc.checklist_note, "note"))
        story.append(self.table([[verdict, title] for verdict, title in doc.checklist], (3 * 28.35, 14 * 28.35),
                                header=False))
        return story

    def section_canvas(self) -> list:
        from ssd_starter.core.vocabulary import CanvasBlock
        from ssd_starter.store.canvas import list_canvas_items

        cards = list_canvas_items(self.store, self.district.id)
        if not cards:
            return []
        rows: list[list[Any]] = [[_("Block"), _("Cards")]]
        for block in CanvasBlock:
            texts = []
            for card in (c for c in cards if c["block"] == block.value):
                linked = [self.names[i] for i in card["stakeholder_ids"] if i in self.names]
                texts.append("• " + card["text"] + (f" ({', '.join(linked)})" if linked else ""))
            rows.append([block.label, "\n".join(texts) or "—"])
        return [self.heading(_("Business-model canvas")), self.table(rows, (4.5 * 28.35, 12.5 * 28.35))]

    def section_flows(self) -> list:
        from reportlab.platypus import Spacer

        from ssd_starter.core.indicators import format_value
        from ssd_starter.core.sankey import sankey_layout
        from ssd_starter.core.summary import district_summary
        from ssd_starter.core.vocabulary import FlowKind, FlowPurpose, Unit, label_of
        from ssd_starter.export.sankey import sankey_drawing
        from ssd_starter.store.flows import list_scenarios

        flows = self.flows
        if not flows:
            return []
        story: list = [self.heading(_("Resource flows"))]
        layout = sankey_layout(self.actors, flows, mode="category", width=480, height=300, label_space=105)
        story += [sankey_drawing(layout, font_name=FONT, font_size=6.5), Spacer(1, 6)]
        by_kind: list[list[Any]] = [[_("Kind"), _("Flows"), _("Value per year"), _("Kept inside")]]
        groups: list[tuple[str, list]] = []
        for kind in FlowKind:
            if kind != FlowKind.MONEY:
                groups.append((kind.label, [f for f in flows if f["kind"] == kind.value]))
                continue
            # money by what it is for: a loan is financing, not a purchase, and reads apart
            groups += [(f"{kind.label}: {purpose.label}", [
                f for f in flows if f["kind"] == kind.value and (f.get("purpose") or "payment") == purpose.value])
                for purpose in FlowPurpose]
        for label, mine in groups:
            if mine:
                inside = sum(f["value_eur"] for f in mine if f["source_id"] and f["target_id"])
                total = sum(f["value_eur"] for f in mine)
                by_kind.append([label, format_number(len(mine)), self.money(total),
                                format_percent(inside / total) if total else "—"])
        story.append(self.table(by_kind, (5 * 28.35, 2.5 * 28.35, 4 * 28.35, 3 * 28.35), font_size=9))
        story += self.member_multipliers(flows)
        outside = _("Outside the district")
        rows: list[list[Any]] = [[_("From"), _("To"), _("Kind"), _("Description"), _("Quantity"), _("Value per year")]]
        ranked = sorted(flows, key=lambda f: -f["value_eur"])
        for flow in ranked[:MAX_FLOW_ROWS]:
            quantity = ("" if flow["quantity"] is None or flow["kind"] == FlowKind.MONEY
                        else f"{format_number(flow['quantity'])} {label_of(Unit, flow['unit'])}")
            what = label_of(FlowKind, flow["kind"])
            if flow.get("purpose"):
                what += f"\n({label_of(FlowPurpose, flow['purpose'])})"
            rows.append([self.names.get(flow["source_id"], outside), self.names.get(flow["target_id"], outside),
                         what, flow["description"], quantity,
                         self.money(flow["value_eur"])])
        title = _("All flows") if len(ranked) <= MAX_FLOW_ROWS else _("The largest flows")
        story += [self.p(title, "h2"), self.table(rows, [w * 28.35 for w in (3.4, 3.4, 2, 4.4, 2, 2)], font_size=7)]
        if len(ranked) > MAX_FLOW_ROWS:
            rest = ranked[MAX_FLOW_ROWS:]
            story.append(self.p(ngettext("{count} smaller flow, worth {value} a year, is not listed.",
                                         "{count} smaller flows, worth {value} a year together, are not listed.",
                                         len(rest)).format(
                count=format_number(len(rest)), value=format_currency(sum(f["value_eur"] for f in rest), whole=True)),
                "note"))
        scenarios = list_scenarios(self.store, self.district.id)[:3]
        if scenarios:
            per_scenario = [district_summary(self.actors, flows, self.district.targets, scenario=scenario).lines
                            for scenario in scenarios]
            table: list[list[Any]] = [[_("Indicator"), _("Today"), *[s["name"] for s in scenarios]]]
            for n, today in enumerate(per_scenario[0]):
                table.append([_(today.info.title), format_value(today.info, today.value),
                              *[format_value(lines[n].info, lines[n].scenario_value) for lines in per_scenario]])
            story += [self.p(_("Scenarios"), "h2"),
                      self.table(table, [6 * 28.35] + [11 * 28.35 / (len(scenarios) + 1)] * (len(scenarios) + 1),
                                 font_size=8)]
        return story

    def member_multipliers(self, flows: list) -> list:
        """NEF's LM3 of each member, its whole income as R1: the figure an organisation can quote for itself."""
        from ssd_starter.core.indicators import actor_multipliers
        from ssd_starter.core.vocabulary import Stage

        members = [a for a in self.actors if a["stage"] in (Stage.MEMBER, Stage.SIGNATORY)]
        if not members:
            return []
        own = actor_multipliers(self.actors, flows, [a["id"] for a in members])
        missing = {"income": _("no income recorded"), "spending": _("no spending recorded")}
        rows: list[list[Any]] = [[_("Member"), _("Income (R1)"), _("Spending recorded"), _("Spent inside"),
                                  _("LM3")]]
        for member in sorted(members, key=lambda a: (own[a["id"]].value is None, -(own[a["id"]].value or 0),
                                                      self.names[a["id"]].casefold())):
            figure = own[member["id"]]
            rows.append([self.names[member["id"]], self.money(figure.r1),
                         self.money(figure.spent),
                         format_percent(figure.share_inside) if figure.share_inside is not None else "—",
                         format_number(round(figure.value, 2)) if figure.value is not None
                         else missing[figure.missing or "income"]])
        return [self.p(_("Local multiplier of each member"), "h2"),
                self.p(_("NEF's LM3 of one organisation: R1 is all its income (loans and investments left out), "
                         "R2 the part spent inside in proportion to its recorded spending, R3 what those it pays "
                         "inside spend inside again."), "note"),
                self.table(rows, [w * 28.35 for w in (6.0, 2.8, 2.8, 2.4, 3.0)], font_size=8)]

    def section_training(self) -> list:
        from ssd_starter.store.training import attendance, list_participants, list_workshops, modules

        workshops = list_workshops(self.store, self.district.id)
        if not workshops:
            return []
        try:
            library = modules()
        except UserError:
            library = {}
        language = self.options.language
        story: list = [self.heading(_("Training record")),
                       self.p(_("Totals only: answers and names of participants stay with the trainer."), "note")]
        for workshop in workshops:
            people = list_participants(self.store, workshop["id"])
            present = attendance(self.store, workshop["id"])
            story.append(self.p(workshop["title"], "h2"))
            titles = [library[m].title[language] if m in library else m for m in workshop["module_ids"]]
            rows: list[list[Any]] = [
                [_("Date"), format_date(workshop["date"]) if workshop["date"] else "—"],
                [_("Place"), workshop["place"] or "—"], [pgettext("person who leads a workshop", "Trainer"), workshop["trainer"] or "—"],
                [_("Modules"), "\n".join(titles) or "—"], [_("Participants"), format_number(len(people))]]
            for n, session in enumerate(workshop["sessions"], start=1):
                came = sum(1 for p in people if present.get((p["id"], session["id"]), {}).get("present"))
                rows.append([_("Session {number}").format(number=n), ngettext(
                    "{present} of {total} present", "{present} of {total} present", came).format(
                    present=format_number(came), total=format_number(len(people)))])
            story.append(self.table(rows, (4 * 28.35, 13 * 28.35), header=False, font_size=9))
        return story

    # -- the document ---------------------------------------------------------------------------

    def build(self, filename: str, story: list) -> None:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import cm
        from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

        builder = self
        district_name = self.district.name
        footer_text = _("Page {page} of {pages}")
        header_text = _("District dossier")

        class Document(BaseDocTemplate):
            def afterFlowable(self, flowable) -> None:  # noqa: N802 - ReportLab's name
                text = getattr(flowable, "toc_entry", None)
                if text:
                    key = f"s{len(builder.toc.pages) + 1}"
                    self.canv.bookmarkPage(key)
                    self.canv.addOutlineEntry(text, key, level=0)
                    builder.toc.pages.append(self.page)

        def decorate(canvas, doc) -> None:
            if doc.page == 1:
                return
            canvas.saveState()
            canvas.setFont(FONT, 7.5)
            canvas.setFillColor(builder.colors.HexColor("#555555"))
            canvas.drawString(2 * cm, A4[1] - 1.2 * cm, f"{header_text} — {district_name}")
            canvas.restoreState()

        canvasmaker = _numbered_canvas(footer_text, self.toc)
        doc = Document(filename, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                       bottomMargin=1.8 * cm, title=f"{header_text} — {district_name}", author="SSD Starter",
                       subject=_("District of the solidarity economy"), lang=self.options.language,
                       initialFontName=FONT)
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
        from reportlab.graphics import shapes

        # drawings start each render by selecting the default font even when they draw no text with it:
        # make that default ours, so the file names no font it does not embed
        saved = shapes.STATE_DEFAULTS["fontName"]
        shapes.STATE_DEFAULTS["fontName"] = FONT
        try:
            # one pass: the contents' page numbers are written when the pages are, at the end (_contents)
            with _encodings_kept(FONT):
                doc.build(story, canvasmaker=canvasmaker)
        finally:
            shapes.STATE_DEFAULTS["fontName"] = saved


TABLE_PIECE = 60  # rows: a table longer than this is laid out a page at a time (_PagedTable)
CELL_PADDING = (2, 2, 6, 6)  # top, bottom, left, right (ReportLab's own left and right)


def _paler(colour: str, strength: float) -> str:
    """``colour`` (#rrggbb) mixed with white: ``strength`` 1 is the colour itself, 0 white."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in (r, g, b))


def _arrowhead(path: Any, x1: float, y1: float, x2: float, y2: float, gap: float, size: float = 3.2) -> None:
    """A filled triangle on ``path`` pointing from (x1, y1) at (x2, y2), its tip ``gap`` short of it (the dot)."""
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= gap + size:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    tip_x, tip_y = x2 - ux * gap, y2 - uy * gap
    base_x, base_y = tip_x - ux * size, tip_y - uy * size
    half = size * 0.45
    path.moveTo(tip_x, tip_y)
    path.lineTo(base_x - uy * half, base_y + ux * half)
    path.lineTo(base_x + uy * half, base_y - ux * half)
    path.closePath()


def _string_width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, FONT, size)


def _paragraph_lines(text: str, style: Any, width: float) -> Any:
    """``text`` broken into lines by ReportLab's own paragraph of ``style`` ``width`` wide, as one string
    with a line break between lines: a table draws it line by line, each line where the paragraph draws
    it (the first baseline ``fontSize`` under the cell's top, then one ``leading`` apart), at a fraction of
    the cost. The paragraph itself when that is not so: an empty line, or text the paragraph would not draw
    in one plain font."""
    from reportlab.platypus import Paragraph

    lines: list[str] = []
    for part in text.split("\n"):
        paragraph = Paragraph(escape(part, quote=False), style)  # an apostrophe as one piece of text
        paragraph.wrap(width, 1e9)
        laid = paragraph.blPara
        # a line a little too long is squeezed by narrower spaces (word spacing), which a table's text is not
        if laid.kind != 0 or not laid.lines or not part.strip() or any(
                room < -1e-8 and len(words) > 1 for room, words in laid.lines):
            return _shared_paragraph_class()(escape(text).replace("\n", "<br/>"), style)
        lines += [" ".join(words) for _room, words in laid.lines]
    return "\n".join(lines)


@functools.cache
def _shared_paragraph_class() -> type:
    from reportlab.platypus import Paragraph

    class SharedParagraph(Paragraph):
        """A paragraph drawn in every cell with its text (one per text and column): laid out once."""

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            if getattr(self, "_laid_for", None) != available_width:
                super().wrap(available_width, available_height)
                self._laid_for = available_width
            return self.width, self.height

    return SharedParagraph


def _paged_table(head: list[list[Any]], body: list[list[Any]], widths: list[float], lines: Any, cell: Any,
                 leading: float, heights: list[float] | None = None) -> Any:
    """A long table laid out a page at a time: asked to fit a place, it gives a table of the header and the
    rows that fit there, and itself with the rows left for the next page. Each row is measured once, from
    its text (a cell's lines, its leading and padding, as the table measures them), so a page break costs
    one page of rows, not the rest of a 5,000-row list; and each page has the header once. Every cell of
    it shares one cell style (``cell``): the table style (``lines``) is only its grid and header colour,
    not font, size, leading and padding set again for each of 35,000 cells."""
    return _paged_table_class()(head, body, widths, lines, cell, leading, heights)


def _cell_style(commands: list[tuple]) -> Any:
    """The cell style that table style ``commands`` for every cell give each cell."""
    from reportlab.platypus import LongTable, TableStyle

    probe = LongTable([[""]])
    probe.setStyle(TableStyle(commands))
    return probe._cellStyles[0][0]


@functools.cache
def _table_class() -> type:
    from reportlab.platypus import LongTable

    class Table(LongTable):
        """ReportLab's long table, its cells' plain text written as one text object instead of one for every
        line of every cell (60,000 at 5,000 actors): the same lines, where ReportLab draws them (left, top,
        the first baseline ``fontSize`` under the padding, then one ``leading`` apart), in the same order."""

        _text: Any = None
        _text_style: Any = None
        _laid_for: Any = None

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            # measured once for a place: the page's table is measured where it is cut, then placed there
            if self._laid_for != (available_width, available_height):
                super().wrap(available_width, available_height)
                self._laid_for = (available_width, available_height)
            return self._width, self._height

        def setStyle(self, tblstyle: Any) -> None:  # noqa: N802 - ReportLab's name
            self._laid_for = None
            super().setStyle(tblstyle)

        def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple, size: tuple) -> None:  # noqa: N802
            if (type(cellval) is not str or cellstyle.alignment != "LEFT" or cellstyle.valign != "TOP"
                    or cellstyle.href or cellstyle.destination or cellstyle.direction or cellstyle.shaping):
                self._write_text()
                super()._drawCell(cellval, cellstyle, pos, size)
                return
            style = (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading, cellstyle.color)
            if self._text is None or self._text_style != style:
                self._write_text()
                self._text, self._text_style = self.canv.beginText(), style
                self._text.setFont(*style[:3])
            x = pos[0] + cellstyle.leftPadding
            y = pos[1] + size[1] - cellstyle.topPadding - cellstyle.fontsize
            for line in cellval.split("\n"):
                if line:
                    self._text.setTextOrigin(x, y)
                    self._text.textLine(line)
                y -= cellstyle.leading

        def _write_text(self) -> None:
            if self._text is not None:
                self.canv.setFillColor(self._text_style[3])
                self.canv.drawText(self._text)
                self._text = None
                self._curcellstyle = None  # the next cell ReportLab draws sets its colour and font again

        def _drawLines(self) -> None:  # noqa: N802 - ReportLab's name: the grid goes over the cells' text
            self._write_text()
            super()._drawLines()

    return Table


@functools.cache
def _paged_table_class() -> type:
    from reportlab.platypus import Flowable

    def row_height(row: list[Any], widths: list[float], leading: float) -> float:
        top, bottom, left, right = CELL_PADDING
        tallest = 0.0
        for value, width in zip(row, widths, strict=False):
            if isinstance(value, str):
                height = leading * (value.count("\n") + 1)
            elif isinstance(value, Flowable):
                height = value.wrap(width - left - right, 1e9)[1]
            else:
                height = leading * len(("" if value is None else str(value)).split("\n"))
            tallest = max(tallest, height + top + bottom)
        return tallest

    class PagedTable(Flowable):
        def __init__(self, head: list[list[Any]], body: list[list[Any]], widths: list[float], lines: Any,
                     cell: Any, leading: float, heights: list[float] | None) -> None:
            super().__init__()
            self.head, self.body, self.widths, self.leading = head, body, widths, leading
            self.lines, self.cell = lines, cell
            self.heights = heights if heights is not None else [row_height(row, widths, leading) for row in body]
            self.head_height = sum(row_height(row, widths, leading) for row in head)

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return available_width, available_height + 1  # never fits whole: the layout asks for a page (split)

        def split(self, available_width: float, available_height: float) -> list:
            used, fit = self.head_height, 0
            for height in self.heights:
                if used + height > available_height:
                    break
                used, fit = used + height, fit + 1
            if fit == 0 and not getattr(getattr(self, "_frame", None), "_atTop", False):
                return []  # not even one row here: the next page
            fit = max(fit, 1)  # a row taller than a whole page: the table's own split has its say
            rows = self.head + self.body[:fit]
            page = _table_class()(rows, colWidths=self.widths, repeatRows=len(self.head),
                                  cellStyles=[[self.cell] * len(self.widths) for _row in rows])
            page.setStyle(self.lines)
            rest = ([PagedTable(self.head, self.body[fit:], self.widths, self.lines, self.cell, self.leading,
                                self.heights[fit:])] if fit < len(self.body) else [])
            if page.wrap(available_width, available_height)[1] <= available_height:
                return [page, *rest]
            return [*page.split(available_width, available_height), *rest]  # measured otherwise than here: safe

        def draw(self) -> None:  # never drawn itself: it is always split
            raise AssertionError("the pages are drawn, not their holder")

    return PagedTable


@dataclass(frozen=True)
class NetworkCounts:
    """What the dossier's summary tells of the network: core.network.network_indicators' counts, the same
    way counted, without the centralities."""

    actors: int
    relations: int
    pairs: int
    components: int
    missing_roles: tuple[str, ...]


def _network_counts(actors: Sequence[Any], relations: Sequence[Any]) -> NetworkCounts:
    import rustworkx as rx

    from ssd_starter.core.network import build_graph
    from ssd_starter.core.vocabulary import Role

    graph, index = build_graph(actors, relations)
    n = graph.num_nodes()
    records = sum(1 for r in relations if r["source_id"] in index and r["target_id"] in index
                  and r["source_id"] != r["target_id"])
    coverage = {role.value: sum(1 for a in actors if role.value in (a.get("roles") or [])) for role in Role}
    return NetworkCounts(actors=n, relations=records, pairs=graph.num_edges(),
                         components=rx.number_connected_components(graph) if n else 0,
                         missing_roles=tuple(role for role, count in coverage.items() if count == 0))


def _dots(dots: list[tuple[float, float, float, Any]], stroke: Any, stroke_width: float) -> Any:
    """Dots ``(x, y, radius, fill)`` of one stroke, painted in their order as ReportLab paints a Circle
    each (the same curves), as one node of the drawing: 5,000 circles each with its own graphics state
    cost a quarter of a second to make and paint."""
    return _dots_class()(dots, stroke, stroke_width)


@functools.cache
def _dots_class() -> type:
    from reportlab.graphics.shapes import DirectDraw
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfgen.pdfgeom import bezierArc

    class Dots(DirectDraw):
        def __init__(self, dots: list[tuple[float, float, float, Any]], stroke: Any, stroke_width: float) -> None:
            super().__init__()
            self._dots, self._stroke, self._stroke_width = dots, stroke, stroke_width

        def getBounds(self) -> tuple[float, float, float, float]:  # noqa: N802 - ReportLab's name
            if not self._dots:
                return 0.0, 0.0, 0.0, 0.0
            return (min(x - r for x, _y, r, _f in self._dots), min(y - r for _x, y, r, _f in self._dots),
                    max(x + r for x, _y, r, _f in self._dots), max(y + r for _x, y, r, _f in self._dots))

        def drawDirectly(self, renderer: Any) -> None:  # noqa: N802 - ReportLab's name
            canvas = renderer._canvas
            canvas.setStrokeColor(self._stroke)
            canvas.setLineWidth(self._stroke_width)
            # what canvas.circle draws, a unit circle's four curves moved and scaled to each dot
            unit = bezierArc(-1.0, -1.0, 1.0, 1.0, 0, 360)
            start, curves = unit[0][:2], [curve[2:] for curve in unit]
            fill = None
            for x, y, r, colour in self._dots:
                if colour is not fill:
                    canvas.setFillColor(colour)
                    fill = colour
                canvas.addLiteral(" ".join([f"{fp_str(x + r * start[0], y + r * start[1])} m", *[
                    f"{fp_str(x + r * a, y + r * b, x + r * c, y + r * d, x + r * e, y + r * f)} c"
                    for a, b, c, d, e, f in curves], "B"]))

    return Dots


@contextlib.contextmanager
def _encodings_kept(font_name: str) -> Iterator[None]:
    """While a document is written, each text is encoded for ``font_name``'s embedded subsets once per
    document: ReportLab maps a text character by character (TTFont.splitString) each time it is written,
    60,000 times for the table lines of a 5,000-actor dossier, most of them the same labels. A
    character's code in a document's subset never changes once given, so the text's encoding does not.
    Other documents written meanwhile (another thread) are encoded as ever; the font is as it was after."""
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(font_name)
    original = font.splitString
    kept: dict[Any, dict[str, Any]] = {}  # document → text → its (subset, bytes) pieces

    def split_string(text: Any, doc: Any, encoding: str = "utf-8") -> Any:
        texts = kept.setdefault(doc, {})
        pieces = texts.get(text)
        if pieces is None:
            pieces = texts[text] = original(text, doc, encoding)
        return pieces

    font.splitString = split_string
    try:
        yield
    finally:
        if font.__dict__.get("splitString") is split_string:  # not if another writer's took its place since
            del font.splitString


def _checked_logo(path: Path) -> Path:
    """A logo ReportLab can really draw, or a clear refusal (not a crash half-way through the dossier)."""
    from reportlab.lib.utils import ImageReader

    try:
        ImageReader(str(path)).getSize()
    except Exception:  # noqa: BLE001 - ReportLab and Pillow raise many kinds for a bad image
        raise UserError(N_("The logo {path} is not a PNG or JPEG image that can be read."), path=str(path)) from None
    return path


def _listed_headings(flowables: Sequence[Any]) -> Iterator[str]:
    """The headings the contents list, in the order they are laid out (inside groups kept together too)."""
    for flowable in flowables:
        text = getattr(flowable, "toc_entry", None)
        if text:
            yield text
        inner = getattr(flowable, "_content", None)
        if isinstance(inner, list):
            yield from _listed_headings(inner)


def _contents(style: Any) -> Any:
    """The table of contents in one layout pass: the headings are known before the layout (``entries``),
    so its height is; the lines, with their page numbers known only once each heading is placed (``pages``),
    are written by the canvas when it writes the pages at the end (``_numbered_canvas``). ReportLab's own
    contents need the whole document laid out twice."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    class Contents(Flowable):
        def __init__(self) -> None:
            super().__init__()
            self.entries: list[str] = []
            self.pages: list[int] = []  # the page of each entry's heading, as the layout places them
            self.lines: list[tuple[float, float, float, float]] = []  # where each line starts and ends
            self.page = 0  # the page the contents are on

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.width = available_width
            return available_width, style.leading * len(self.entries)

        def draw(self) -> None:
            # only where each line goes and its link: the lines are written with their page numbers at the
            # end, each as one run of text (text, leader, number) as a reader of the file extracts it
            canvas, size = self.canv, style.fontSize
            self.page, self.lines = canvas.getPageNumber(), []
            for n in range(len(self.entries)):
                y = style.leading * (len(self.entries) - n - 1) + (style.leading - size) / 2
                self.lines.append((*canvas.absolutePosition(style.leftIndent, y), *canvas.absolutePosition(self.width, y)))
                x0, y0 = canvas.absolutePosition(0, y - 2)
                x1, y1 = canvas.absolutePosition(self.width, y + size)
                canvas.linkRect("", f"s{n + 1}", (x0, y0, x1, y1), relative=0, thickness=0)

        def write_lines(self, canvas: Any) -> None:
            size = style.fontSize
            canvas.setFont(FONT, size)
            canvas.setFillGray(0)
            dot = stringWidth(" .", FONT, size)
            for text, page, (x, y, right, _y) in zip(self.entries, self.pages, self.lines, strict=False):
                number = format_number(page)
                room = right - x - stringWidth(f"{text} {number}", FONT, size)
                line = canvas.beginText(x, y)  # one text object, so a reader of the file keeps the line whole
                line.setFont(FONT, size)
                line.textOut(f"{text}{' .' * max(1, int(room / dot) - 1)} ")
                line.setTextOrigin(right - stringWidth(number, FONT, size), y)
                line.textOut(number)
                canvas.drawText(line)

    return Contents()


def _numbered_canvas(footer_text: str, contents: Any):
    """A canvas that writes "page x of y" once the number of pages is known, and the contents' page
    numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            kwargs["initialFontName"] = FONT  # no stray Helvetica: every font in the file is embedded
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber == contents.page:
                    contents.write_lines(self)
                if self._pageNumber > 1:
                    self.setFont(FONT, 7.5)
                    self.setFillGray(0.35)
                    self.drawRightString(A4[0] - 2 * cm, 1.1 * cm, footer_text.format(page=self._pageNumber,
                                                                                     pages=total))
                super().showPage()
            super().save()

    return NumberedCanvas

