"""Certificates of attendance: one A4 page per participant who attended, in the chosen language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ssd_starter.core.errors import UserError
from ssd_starter.files import write_atomically
from ssd_starter.i18n import N_, N_plural, format_date, format_number
from ssd_starter.store import Store
from ssd_starter.store.districts import get_district
from ssd_starter.store.training import attendance, get_workshop, list_participants, modules


@dataclass(frozen=True)
class Certificate:
    name: str
    workshop: str
    place: str
    dates: str
    hours: float
    modules: tuple[str, ...]
    trainer: str
    district: str


def certificates(store: Store, workshop_id: str, participant_ids: Sequence[str] | None = None,
                 language: str = "en") -> list[Certificate]:
    """What each certificate says; participants who attended no session get none."""
    workshop = get_workshop(store, workshop_id)
    present = attendance(store, workshop_id)
    library = modules()
    titles = tuple(library[m].title[language] for m in workshop["module_ids"] if m in library)
    district = get_district(store, workshop["district_id"]).name
    result = []
    for participant in list_participants(store, workshop_id):
        if participant_ids is not None and participant["id"] not in participant_ids:
            continue
        attended = [s for s in workshop["sessions"]
                    if present.get((participant["id"], s["id"]), {}).get("present")]
        if not attended:
            continue
        dates = sorted({s["date"] for s in attended if s["date"]}) or (
            [workshop["date"].isoformat()] if workshop["date"] else [])
        shown = ", ".join(format_date(dt.date.fromisoformat(d), language, "long") for d in dates)
        hours = sum(s.get("minutes", 0) for s in attended) / 60
        result.append(Certificate(participant["name"], workshop["title"], workshop["place"], shown, hours, titles,
                                  workshop["trainer"], district))
    return result


def write_certificates(store: Store, workshop_id: str, path: Path, *, language: str = "en",
                       participant_ids: Sequence[str] | None = None) -> Path:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    from ssd_starter.i18n import translations_for

    gettext = translations_for(language).gettext
    items = certificates(store, workshop_id, participant_ids, language)
    if not items:
        raise UserError(N_("Nobody is marked present yet: there is no certificate to print."))
    from ssd_starter.export.dossier import FONT, register_fonts

    register_fonts()  # every name printed as written: Łukasz, Đorđe, Ştefan
    styles = getSampleStyleSheet()
    centred = ParagraphStyle("centred", parent=styles["BodyText"], alignment=TA_CENTER, fontSize=13, leading=19,
                             fontName=FONT)
    title = ParagraphStyle("certificate", parent=styles["Title"], fontSize=26, leading=32, spaceAfter=24,
                           fontName=FONT + "-Bold")
    name = ParagraphStyle("name", parent=styles["Title"], fontSize=22, leading=28, fontName=FONT + "-Bold")
    story: list = []
    for n, item in enumerate(items):
        if n:
            story.append(PageBreak())
        story += [Spacer(1, 3 * cm), Paragraph(escape(gettext(_CERTIFICATE)), title),
                  Paragraph(escape(gettext(_THIS_CERTIFIES)), centred), Spacer(1, 0.5 * cm),
                  Paragraph(escape(item.name), name), Spacer(1, 0.5 * cm),
                  Paragraph(escape(translations_for(language).ngettext(*_ATTENDED, _plural_count(item.hours)).format(
                      workshop=item.workshop, place=item.place or "—", dates=item.dates or "—",
                      hours=format_number(round(item.hours, 1), language))), centred),
                  Spacer(1, 0.6 * cm)]
        if item.modules:
            story.append(Paragraph(escape(gettext(_MODULES)), centred))
            story += [Paragraph(escape(m), centred) for m in item.modules]
        story += [Spacer(1, 2.5 * cm),
                  Paragraph(escape(item.trainer or "") + "<br/>________________________________<br/>"
                            + escape(gettext(_TRAINER)), centred),
                  Spacer(1, 1 * cm), Paragraph(escape(item.district), centred)]

    def write(tmp: str) -> None:
        SimpleDocTemplate(tmp, pagesize=A4, title=gettext(_CERTIFICATE), author="SSD Starter", lang=language,
                          initialFontName=FONT, leftMargin=2.5 * cm, rightMargin=2.5 * cm).build(story)

    return write_atomically(path, write, suffix=".pdf")


# Translated in the certificate's own language, whatever the window's language is.
_CERTIFICATE = N_("Certificate of attendance")
_THIS_CERTIFIES = N_("This is to certify that")
_ATTENDED = N_plural("attended the workshop “{workshop}” held in {place} on {dates}, for {hours} hour.",
                     "attended the workshop “{workshop}” held in {place} on {dates}, for {hours} hours.")
_MODULES = N_("Modules covered:")


def _plural_count(hours: float) -> int:
    """Hours as ngettext counts them: "1 hour", but "1.5 hours" (a fraction is plural)."""
    return 1 if round(hours, 1) == 1 else 2
_TRAINER = N_("The trainer")
