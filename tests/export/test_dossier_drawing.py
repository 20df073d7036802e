"""How the dossier paints what it paints, cheaply: the network's dots as one node and a table's text as one
text object, each looking exactly as ReportLab's own shapes and cells did."""

import random

import numpy as np
import pytest

from ssd_starter.export.dossier import DossierOptions, _Builder


def pixels(path):
    import pypdfium2 as pdfium

    return [np.asarray(page.render(scale=3).to_pil().convert("RGB"), dtype=np.int16)
            for page in pdfium.PdfDocument(str(path))]


def same_look(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert (np.abs(x - y) > 60).any(axis=2).sum() == 0


def test_the_dots_paint_as_circles_did(tmp_path):
    from reportlab.graphics import renderPDF
    from reportlab.graphics.shapes import Circle, Drawing
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    from ssd_starter.export.dossier import _dots

    rng = random.Random(7)
    fills = [colors.HexColor(h) for h in ("#2a9d8f", "#e76f51", "#264653", "#e9c46a")]
    dots = [(rng.uniform(0, 200), rng.uniform(0, 120), rng.uniform(1.2, 6), rng.choice(fills)) for _ in range(400)]
    circles, node = Drawing(200, 120), Drawing(200, 120)
    for x, y, r, fill in dots:  # overlapping, in their order: the later on top
        circles.add(Circle(x, y, r, fillColor=fill, strokeColor=colors.white, strokeWidth=0.3))
    node.add(_dots(dots, colors.white, 0.3))
    for name, drawing in (("circles", circles), ("node", node)):
        canvas = Canvas(str(tmp_path / f"{name}.pdf"))
        renderPDF.draw(drawing, canvas, 20, 20)
        canvas.showPage()
        canvas.save()
    same_look(pixels(tmp_path / "circles.pdf"), pixels(tmp_path / "node.pdf"))
    assert node.getBounds()[0] == pytest.approx(min(x - r for x, _y, r, _f in dots))


def test_the_network_picture_has_a_dot_for_every_actor_in_one_node(demo_store):
    from reportlab.graphics.shapes import Circle, DirectDraw

    from ssd_starter.core.vocabulary import CATEGORY_COLOURS

    builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language="en"))
    drawing = builder.network_drawing()[0]
    [node] = [shape for shape in drawing.contents if isinstance(shape, DirectDraw)]
    assert len(node._dots) == len(builder.actors)
    assert [fill.hexval()[2:] for *_xyr, fill in node._dots] == [
        CATEGORY_COLOURS[a["category"]].lower().lstrip("#") for a in builder.actors]
    assert sum(1 for shape in drawing.contents if isinstance(shape, Circle)) < 20  # the legend's only


def test_a_tables_text_is_one_text_object_drawn_as_its_cells_were(demo_store, tmp_path):
    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate

    builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language="en"))
    rows = [["Name", "Roles", "Note"]] + [
        [f"Actor {n}", "Producer\nConsumer" if n % 3 else "", "—" if n % 4 else "Ca' Rossa & Co. <sas>"]
        for n in range(40)]
    table = builder.table(rows, [120.0, 120.0, 160.0], font_size=7)
    table._cellvalues[5][2] = Paragraph("a <b>paragraph</b> among the plain cells", builder.styles["small"])
    plain = LongTable(table._cellvalues, colWidths=[120.0, 120.0, 160.0], repeatRows=1)
    plain.setStyle(builder_style(table))  # what the dossier asks of every cell, drawn by ReportLab alone
    for name, flowable in (("fast", table), ("plain", plain)):
        SimpleDocTemplate(str(tmp_path / f"{name}.pdf"), pagesize=A4).build([flowable])
    same_look(pixels(tmp_path / "plain.pdf"), pixels(tmp_path / "fast.pdf"))
    fast, slow = (PdfReader(tmp_path / f"{name}.pdf") for name in ("fast", "plain"))
    assert fast.pages[0].extract_text() == slow.pages[0].extract_text()
    assert fast.pages[0].get_contents().get_data().count(b"BT") <= 4  # was one for each line of each cell
    assert slow.pages[0].get_contents().get_data().count(b"BT") > 100


def builder_style(table):
    from reportlab.platypus import TableStyle

    return TableStyle(table._linecmds + table._bkgrndcmds + [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), "DejaVuSans"),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5), ("LEADING", (0, 0), (-1, -1), 9.5),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])


def test_a_long_table_pages_as_reportlabs_own_table_would(demo_store, tmp_path):
    """Laid out a page at a time, each page's cells sharing one style: the same pages, rows and look as one
    LongTable of every row with the header repeated, as ReportLab lays it out alone (seconds at 5,000)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate

    from ssd_starter.export.dossier import TABLE_PIECE

    builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language="en"))
    rng = random.Random(3)
    words = ["Borgo", "Valsugana", "cooperativa", "sociale", "di", "consumo", "Precipitevolissimevolmente"]
    rows = [["Name", "Municipality", "Roles"]] + [
        [f"Actor {n:04d}", " ".join(rng.choices(words, k=rng.randint(1, 6))), "\n".join(rng.choices(words, k=n % 3 + 1))]
        for n in range(3 * TABLE_PIECE)]
    widths = [80.0, 90.0, 110.0]
    paged = builder.table(rows, widths, font_size=7)
    assert not isinstance(paged, LongTable)  # laid out a page at a time
    cells = [[builder.wrapped(v, widths[n], builder.styles["small"]) for n, v in enumerate(row)] for row in rows]
    whole = LongTable(cells, colWidths=widths, repeatRows=1)
    whole.setStyle(builder_style(builder.table(rows[:3], widths, font_size=7)))
    for name, flowables in (("paged", [Paragraph("Actors", builder.styles["h1"]), paged]),
                            ("whole", [Paragraph("Actors", builder.styles["h1"]), whole])):
        SimpleDocTemplate(str(tmp_path / f"{name}.pdf"), pagesize=A4).build(flowables)
    new, old = pixels(tmp_path / "paged.pdf"), pixels(tmp_path / "whole.pdf")
    assert len(new) >= 4
    same_look(old, new)


def write_texts(path, texts):
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    for n, text in enumerate(texts):
        canvas.setFont("DejaVuSans", 8)
        canvas.drawString(40, 800 - (n % 90) * 9, text)
        if n % 90 == 89:
            canvas.showPage()
    canvas.save()
    return path.read_bytes()


def test_texts_encoded_once_a_document_give_the_same_file(tmp_path, monkeypatch):
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics

    from ssd_starter.export.dossier import _encodings_kept, register_fonts

    register_fonts()
    monkeypatch.setattr(rl_config, "invariant", 1)  # no date or random id in the file: byte for byte
    rng = random.Random(5)
    labels = ["Borgo Valsugana", "Società cooperativa", "—", "Ça va € 12.500", "Große Straße", "→ ✓ ½"]
    texts = [rng.choice(labels) + ("" if n % 3 else f" {n}") for n in range(400)]
    plain = write_texts(tmp_path / "plain.pdf", texts)
    font = pdfmetrics.getFont("DejaVuSans")
    with _encodings_kept("DejaVuSans"):
        kept = write_texts(tmp_path / "kept.pdf", texts)
        other = write_texts(tmp_path / "other.pdf", list(reversed(texts)))  # another document meanwhile
    assert kept == plain
    assert other == write_texts(tmp_path / "other-plain.pdf", list(reversed(texts)))
    assert "splitString" not in font.__dict__  # the font as it was


def test_the_dossier_encodes_each_text_once(demo_store, tmp_path, monkeypatch):
    from collections import Counter

    from reportlab.pdfbase.ttfonts import TTFont

    from ssd_starter.export.dossier import write_dossier

    encoded: Counter = Counter()
    original = TTFont.splitString

    def counted(self, text, doc, encoding="utf-8"):
        if self.fontName == "DejaVuSans":
            encoded[(id(doc), text)] += 1
        return original(self, text, doc, encoding)

    monkeypatch.setattr(TTFont, "splitString", counted)
    write_dossier(demo_store, demo_store.demo_id, tmp_path / "d.pdf", DossierOptions(language="en"))
    assert len(encoded) > 500 and max(encoded.values()) == 1  # "—" alone was encoded hundreds of times
