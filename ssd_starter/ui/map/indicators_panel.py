"""The network indicators of the map, in words: who is central, who bridges, who is alone, what is missing.
The figures are the district summary's (``core.summary``), the same the dossier, the CLI and the Centre show."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from ssd_starter.core.network import betweenness_note
from ssd_starter.core.summary import DistrictSummary, relations_text
from ssd_starter.core.vocabulary import Category, Role, Sector
from ssd_starter.i18n import _, format_number, format_percent, ngettext


class IndicatorsPanel(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.working = False  # the figures of a large map are on their way

    def show_working(self) -> None:
        """While a large map's figures are worked out in the background: the window stays in hand meanwhile."""
        self.working = True
        self.setHtml("<p><i>" + escape(_("Working out the network figures…")) + "</i></p>")

    def show_summary(self, summary: DistrictSummary | None, names: Mapping[str, str]) -> None:
        """``summary`` with its network figures (None: no district); ``names`` of the district's actors."""
        self.working = False
        result = summary.network if summary is not None else None
        if result is None or not result.actors:
            self.setHtml("<p>" + escape(_("No actors yet.")) + "</p>")
            return
        total = result.actors

        def names_of(ids: list[str], limit: int = 8) -> str:
            if not ids:
                return "—"
            text = ", ".join(escape(names.get(i, "?")) for i in ids[:limit])
            if len(ids) > limit:
                text += " " + escape(ngettext("and {count} more", "and {count} more", len(ids) - limit).format(count=len(ids) - limit))
            return text

        def shares(counts: Mapping[str, int], label: Callable[[str], str]) -> str:
            rows = "".join(f"<tr><td>{escape(label(k))}</td><td align='right'>{format_number(v)}</td>"
                           f"<td align='right'>{format_percent(v / total)}</td></tr>" for k, v in counts.items())
            return f"<table cellspacing='0' cellpadding='2'>{rows}</table>"

        def betweenness_text(value: float) -> str:
            return _("betweenness {value}").format(value=format_number(round(value, 3)))

        def ties(count: int) -> str:
            return ngettext("{count} tie", "{count} ties", count).format(count=format_number(count))

        central = "".join(f"<li>{escape(s.name)} — {escape(betweenness_text(s.betweenness))}, "
                          f"{escape(ties(s.degree))}</li>" for s in result.scores[:8])
        note = betweenness_note(result)
        missing = ", ".join(escape(Role(r).label) for r in result.missing_roles) or escape(_("none: every role is covered"))
        coverage = "".join(f"<li>{escape(Role(r).label)}: {format_number(n)}</li>" for r, n in result.role_coverage.items())
        html = [
            "<h3>" + escape(_("The network")) + "</h3>",
            "<p>" + escape(_("{actors}, {relations}, {groups}.").format(
                actors=ngettext("{count} actor", "{count} actors", result.actors).format(
                    count=format_number(result.actors)),
                relations=relations_text(result.relations, result.pairs),
                groups=ngettext("{count} separate group", "{count} separate groups", result.components).format(
                    count=format_number(result.components)))) + "</p>",
            "<h3>" + escape(_("Most central actors, by betweenness")) + "</h3><p>" + escape(
                _("Betweenness: the share of the shortest paths between other actors that pass through this one."))
            + "</p><ol>" + central + "</ol>" + (f"<p><i>{escape(note)}</i></p>" if note else ""),
            "<h3>" + escape(_("Brokers")) + "</h3><p>" + escape(
                _("Without them, part of the network would lose its ties with the rest:")) + " "
            + names_of(list(result.brokers)) + "</p>",
            "<h3>" + escape(_("Isolated actors")) + "</h3><p>" + names_of(list(result.isolated)) + "</p>",
            "<h3>" + escape(_("Roles the district needs")) + "</h3><ul>" + coverage + "</ul><p><b>"
            + escape(_("Missing:")) + "</b> " + missing + "</p>",
            "<h3>" + escape(_("Actors by category")) + "</h3>" + shares(result.by_category, lambda k: Category(k).label),
            "<h3>" + escape(_("Actors by sector")) + "</h3>"
            + shares(result.by_sector, lambda k: Sector(k).label if k else _("no sector")),
            "<h3>" + escape(_("Actors by municipality")) + "</h3>"
            + shares(result.by_municipality, lambda k: k or _("no municipality")),
        ]
        self.setHtml("".join(html))
