"""The charter alone as a document: PDF (ReportLab) or Word (python-docx), from one description.

Both are written to a temporary file and moved into place, so a crash never leaves half a file
under the chosen name. The text keeps what the editors offer: paragraphs, "- " lists, **bold** and
*italic*.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from ssd_starter.core.charter import STEPS, TRANSLATABLE, CheckContext, check, section_text
from ssd_starter.core.errors import NotFound
from ssd_starter.files import write_atomically
from ssd_starter.i18n import N_, _, format_date
from ssd_starter.store import Store
from ssd_starter.store.charter import get_charter, get_version
from ssd_starter.store.districts import get_district
from ssd_starter.store.stakeholders import list_stakeholders

INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


@dataclass(frozen=True)
class Section:
    heading: str
    text: str
    untranslated: bool


@dataclass(frozen=True)
class CharterDocument:
    title: str
    district: str
    status: str
    sections: list[Section]
    checklist_note: str
    checklist: list[tuple[str, str]]  # verdict, rule title


def build_document(store: Store, district_id: str, language: str | None = None, *,
                   actors: Sequence[Mapping[str, Any]] | None = None) -> CharterDocument:
    """The adopted version if there is one, else the draft; sections translated into ``language`` where
    a translation exists, the others in the original and marked. ``actors``: the district's actors
    (``list_stakeholders``) when the caller has them already (the dossier: 5,000 read twice more, else)."""
    charter = get_charter(store, district_id)
    if charter is None:
        raise NotFound(N_("This district has no charter yet."))
    district = get_district(store, district_id)
    if actors is None:
        actors = list_stakeholders(store, district_id)
    names = {a["id"]: a["name"] for a in actors}
    content, translations = charter["content"], charter["translations"] or {}
    status = _("Draft")
    if charter["status"] == "adopted" and charter["adopted_version_id"]:
        version = get_version(store, charter["adopted_version_id"])
        content, translations = version["content"], version["translations"] or {}
        status = _("Adopted on {date} in {place}.").format(date=format_date(version["adoption_date"]),
                                                          place=version["adoption_place"])
    foreign = bool(language) and language != charter["language"]
    translated = translations.get(language or "", {}) if foreign else {}
    sections = []
    for key, label in STEPS:
        text = translated.get(key) or section_text(content, key, names)
        sections.append(Section(_(label), text, foreign and key in TRANSLATABLE and not translated.get(key)))
    checklist = []
    for result in check(content, CheckContext({a["id"]: a for a in actors})):  # as store.charter.context_for
        # words, not check-mark glyphs: the PDF's built-in fonts have no such characters
        verdict = _("met") if result.passed else (_("not met") if result.required else _("advised"))
        checklist.append((verdict, _(result.title)))
    return CharterDocument(_("Founding charter"), district.name, status, sections,
                           _("Good practice derived from Law 13/2010 and the Carta RES."), checklist)


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) runs of one line."""
    runs, position = [], 0
    for match in INLINE.finditer(text):
        if match.start() > position:
            runs.append((text[position:match.start()], False, False))
        runs.append((match.group(1), True, False) if match.group(1) else (match.group(2), False, True))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], False, False))
    return runs


def blocks(text: str) -> list[tuple[str, str]]:
    """("paragraph" | "item", line) for every non-empty line."""
    result = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith(("- ", "• ")):
            result.append(("item", line[2:]))
        elif line:
            result.append(("paragraph", line))
    return result


def write_charter_pdf(store: Store, district_id: str, path: Path, *, language: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    doc = build_document(store, district_id, language)
    styles = getSampleStyleSheet()

    def markup(line: str) -> str:
        parts = []
        for text, bold, italic in inline_runs(line):
            piece = escape(text)
            parts.append(f"<b>{piece}</b>" if bold else f"<i>{piece}</i>" if italic else piece)
        return "".join(parts)

    story: list = [Paragraph(escape(doc.title), styles["Title"]), Paragraph(escape(doc.district), styles["Heading2"]),
                   Paragraph(escape(doc.status), styles["Italic"]), Spacer(1, 0.4 * cm)]
    for section in doc.sections:
        story.append(Paragraph(escape(section.heading), styles["Heading3"]))
        if section.untranslated:
            story.append(Paragraph(escape(_("(not translated: original text)")), styles["Italic"]))
        items: list = []
        for kind, line in blocks(section.text) or [("paragraph", "—")]:
            if kind == "item":
                items.append(ListItem(Paragraph(markup(line), styles["BodyText"])))
                continue
            if items:
                story.append(ListFlowable(items, bulletType="bullet"))
                items = []
            story.append(Paragraph(markup(line), styles["BodyText"]))
        if items:
            story.append(ListFlowable(items, bulletType="bullet"))
    story.append(Paragraph(escape(_("Checklist")), styles["Heading3"]))
    story.append(Paragraph(escape(doc.checklist_note), styles["Italic"]))
    for verdict, title in doc.checklist:
        story.append(Paragraph(f"<b>{escape(verdict)}</b> — {escape(title)}", styles["BodyText"]))

    def write(tmp: str) -> None:
        SimpleDocTemplate(tmp, pagesize=A4, title=f"{doc.title} — {doc.district}", author="SSD Starter",
                          leftMargin=2 * cm, rightMargin=2 * cm).build(story)

    return write_atomically(path, write, suffix=".pdf")


def write_charter_docx(store: Store, district_id: str, path: Path, *, language: str | None = None) -> Path:
    from docx import Document

    doc = build_document(store, district_id, language)
    word = Document()
    word.core_properties.title = f"{doc.title} — {doc.district}"
    word.core_properties.author = "SSD Starter"
    word.add_heading(doc.title, level=0)
    word.add_heading(doc.district, level=1)
    word.add_paragraph().add_run(doc.status).italic = True

    def paragraph(line: str, style: str | None = None) -> None:
        para = word.add_paragraph(style=style)
        for text, bold, italic in inline_runs(line):
            run = para.add_run(text)
            run.bold, run.italic = bold, italic

    for section in doc.sections:
        word.add_heading(section.heading, level=2)
        if section.untranslated:
            word.add_paragraph().add_run(_("(not translated: original text)")).italic = True
        for kind, line in blocks(section.text) or [("paragraph", "—")]:
            paragraph(line, "List Bullet" if kind == "item" else None)
    word.add_heading(_("Checklist"), level=2)
    word.add_paragraph().add_run(doc.checklist_note).italic = True
    for verdict, title in doc.checklist:
        para = word.add_paragraph()
        para.add_run(verdict).bold = True
        para.add_run(f" — {title}")
    return write_atomically(path, word.save, suffix=".docx")


def write_charter(store: Store, district_id: str, path: Path, *, language: str | None = None) -> Path:
    """PDF or Word, by the file's suffix."""
    if path.suffix.lower() == ".docx":
        return write_charter_docx(store, district_id, path, language=language)
    return write_charter_pdf(store, district_id, path, language=language)
