"""The charter alone as a PDF (ReportLab): title, status, every section, the checklist.

Written to a temporary file and moved into place, so a crash never leaves half a PDF under the
chosen name. The text supports what the editors allow: paragraphs and "- " lists.
"""

from __future__ import annotations

import os
import tempfile
from html import escape
from pathlib import Path

from ssd_starter.core.charter import STEPS, TRANSLATABLE, check, section_text
from ssd_starter.core.errors import NotFound
from ssd_starter.i18n import N_, _, format_date
from ssd_starter.store import Store
from ssd_starter.store.charter import context_for, get_charter, get_version
from ssd_starter.store.districts import get_district
from ssd_starter.store.stakeholders import list_stakeholders


def _paragraphs(text: str, styles) -> list:
    from reportlab.platypus import ListFlowable, ListItem, Paragraph

    flow: list = []
    bullets: list = []
    for block in text.split("\n"):
        line = block.strip()
        if line.startswith(("- ", "• ")):
            bullets.append(ListItem(Paragraph(escape(line[2:]), styles["BodyText"])))
            continue
        if bullets:
            flow.append(ListFlowable(bullets, bulletType="bullet"))
            bullets = []
        if line:
            flow.append(Paragraph(escape(line), styles["BodyText"]))
    if bullets:
        flow.append(ListFlowable(bullets, bulletType="bullet"))
    return flow


def write_charter_pdf(store: Store, district_id: str, path: Path, *, language: str | None = None) -> Path:
    """``language``: sections translated into it are used; the others stay in the original, marked."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    charter = get_charter(store, district_id)
    if charter is None:
        raise NotFound(N_("This district has no charter yet."))
    district = get_district(store, district_id)
    names = {a["id"]: a["name"] for a in list_stakeholders(store, district_id)}
    content = charter["content"]
    status = _("Draft")
    if charter["status"] == "adopted" and charter["adopted_version_id"]:
        version = get_version(store, charter["adopted_version_id"])
        content = version["content"]
        status = _("Adopted on {date} in {place}.").format(date=format_date(version["adoption_date"]),
                                                          place=version["adoption_place"])
    styles = getSampleStyleSheet()
    story: list = [Paragraph(escape(_("Founding charter")), styles["Title"]),
                   Paragraph(escape(district.name), styles["Heading2"]),
                   Paragraph(escape(status), styles["Italic"]), Spacer(1, 0.4 * cm)]
    translated = (charter["translations"] or {}).get(language or "", {}) if language != charter["language"] else {}
    for key, label in STEPS:
        story.append(Paragraph(escape(_(label)), styles["Heading3"]))
        text = translated.get(key) or section_text(content, key, names)
        if language and language != charter["language"] and key in TRANSLATABLE and not translated.get(key):
            story.append(Paragraph(escape(_("(not translated: original text)")), styles["Italic"]))
        story += _paragraphs(text, styles) or [Paragraph("—", styles["BodyText"])]
    story.append(Paragraph(escape(_("Checklist")), styles["Heading3"]))
    story.append(Paragraph(escape(_("Good practice derived from Law 13/2010 and the Carta RES.")), styles["Italic"]))
    for result in check(content, context_for(store, district_id)):
        # words, not check-mark glyphs: the PDF's built-in fonts have no such characters
        verdict = _("met") if result.passed else (_("not met") if result.required else _("advised"))
        story.append(Paragraph(f"<b>{escape(verdict)}</b> — {escape(_(result.title))}", styles["BodyText"]))

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".pdf")
    os.close(fd)
    try:
        doc = SimpleDocTemplate(tmp, pagesize=A4, title=_("Founding charter") + " — " + district.name,
                                author="SSD Starter", leftMargin=2 * cm, rightMargin=2 * cm)
        doc.build(story)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
