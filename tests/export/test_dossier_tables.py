"""The dossier's tables: a long list laid out a page at a time (every row once, in order, the header once at
the top of each page), cells drawn as plain lines exactly where a paragraph would draw them, and the
summary's network figures without the betweenness estimate the dossier never prints."""

import re

import pytest
from pypdf import PdfReader

from ssd_starter.export.dossier import DossierOptions, _Builder, write_dossier
from ssd_starter.i18n import speaking

LONG_NAME = "Consorzio intercomunale per la valorizzazione dei prodotti agricoli della bassa Valsugana"


def pages_of(path):
    return [page.extract_text() for page in PdfReader(path).pages]


def test_a_long_list_has_every_row_once_in_order_and_one_header_a_page(store, tmp_path):
    from ssd_starter.demo import synthetic_district
    from ssd_starter.export.dossier import TABLE_PIECE, shown_names
    from ssd_starter.store.stakeholders import list_stakeholders, update_stakeholder

    district = synthetic_district(store, "Lunga", 4 * TABLE_PIECE + 11, 0)
    for n, actor in enumerate(list_stakeholders(store, district)[::9]):  # rows of two, three and four lines
        store.apply(update_stakeholder(actor["id"], name=f"{LONG_NAME} {n:03d}"[:40 + n % 3 * 25]))
    out = write_dossier(store, district, tmp_path / "long.pdf",
                        DossierOptions(language="en", sections=["stakeholders"]))
    pages = pages_of(out)[2:]  # after the cover and the contents
    assert len(pages) >= 8
    for text in pages:
        lines = text.splitlines()
        assert text.count("Municipality") == 1, text[:300]  # was twice on every other page (a piece's header)
        assert lines[1 if lines[1] != "Actors" else 2] == "Name"  # at the top of the page
    expected = [name for name in shown_names(list_stakeholders(store, district)).values() if name.startswith("Actor")]
    printed = re.findall(r"Actor \d{5}", "\n".join(pages))
    assert printed == expected and len(expected) > 4 * TABLE_PIECE - 40


TEXTS = ["Borgo Valsugana", "Cooperativa  sociale   di tipo B", "Dell'Agnol & figli <s.n.c.>",
         "Precipitevolissimevolmente-grandissimo-nome", "Prima riga\nseconda riga, un po' più lunga del solito",
         "I criteri di adesione includono la regola del 50% del fatturato o lo status di organizzazione senza "
         "scopo di lucro", "x" * 3 + " " + "y" * 60]


def render(flowables, path):
    import numpy as np
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    SimpleDocTemplate(str(path), pagesize=A4).build(flowables)
    document = pdfium.PdfDocument(str(path))
    return [np.asarray(page.render(scale=3).to_pil().convert("L"), dtype=np.int16) for page in document]


@pytest.mark.parametrize("font_size", (7, 9))
def test_wrapped_cells_look_as_the_paragraphs_they_replace(district_store, tmp_path, font_size):
    from html import escape

    from reportlab.platypus import Paragraph

    store, district = district_store
    with speaking("en"):
        builder = _Builder(store, district, DossierOptions(language="en"))
    widths = [60.0, 95.0, 240.0]
    rows = [["Header", "Column", "Text"], *[[text, text, text] for text in TEXTS]]
    table = builder.table(rows, widths, font_size=font_size)
    cells = [cell for row in table._cellvalues for cell in row]
    assert sum(1 for cell in cells if isinstance(cell, str) and "\n" in cell) >= 10  # the cheap way, mostly
    style = builder.styles["small" if font_size < 8.5 else "body"]

    def as_before(value, width):  # what the dossier drew before: a paragraph for any text that did not fit
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if "\n" not in value and stringWidth(value, "DejaVuSans", style.fontSize) <= width - 6.5:
            return value
        return Paragraph(escape(value).replace("\n", "<br/>"), style)

    before = builder.table([[as_before(v, widths[n]) for n, v in enumerate(row)] for row in rows], widths,
                           font_size=font_size)
    assert table._cellvalues != before._cellvalues
    wide = [[text] for text in TEXTS]  # the charter's checklist column, where a line gets squeezed
    new = render([table, builder.table(wide, [396.9], header=False, font_size=font_size)], tmp_path / "new.pdf")
    old = render([before, builder.table([[as_before(text, 396.9)] for [text] in wide], [396.9], header=False,
                                        font_size=font_size)], tmp_path / "old.pdf")
    assert len(new) == len(old)
    for a, b in zip(new, old, strict=True):
        assert (abs(a - b) > 60).sum() == 0  # the same lines in the same places (anti-aliasing aside)


def test_a_line_squeezed_by_its_paragraph_stays_a_paragraph(district_store):
    from reportlab.platypus import Paragraph

    from ssd_starter.export.dossier import _paragraph_lines

    store, district = district_store
    builder = _Builder(store, district, DossierOptions(language="en"))
    style = builder.styles["small"]
    text = TEXTS[5]
    width = 396.9 - 12  # the charter's checklist: ReportLab narrows the spaces of its first line a little
    laid = Paragraph(text, style)
    laid.wrap(width, 1000)
    assert laid.blPara.lines[0][0] < 0
    assert isinstance(_paragraph_lines(text, style, width), Paragraph)
    assert _paragraph_lines(text, style, width + 5) == "\n".join(" ".join(w) for _r, w in
                                                                  Paragraph(text, style).breakLines(width + 5).lines)


@pytest.fixture
def district_store(store, district):
    return store, district


def test_the_summary_counts_the_network_without_estimating_betweenness(demo_store, tmp_path, monkeypatch):
    from ssd_starter.core import centrality, network
    from ssd_starter.core.summary import relations_text
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    district = demo_store.demo_id
    full = network.network_indicators(list_stakeholders(demo_store, district), list_relations(demo_store, district))

    def refused(*args, **kwargs):
        raise AssertionError("betweenness computed, and printed nowhere")

    monkeypatch.setattr(centrality, "EXACT_WORK", 0)  # as for a map of 5,000 actors: the estimate would be needed
    monkeypatch.setattr(network, "network_indicators", refused)
    out = write_dossier(demo_store, district, tmp_path / "d.pdf",
                        DossierOptions(language="en", sections=["summary", "network"]))
    flat = " ".join(" ".join(pages_of(out)).split())
    assert relations_text(full.relations, full.pairs) in flat and "87 relations between 83 pairs of actors" in flat
    assert f"Separate groups {full.components}" in flat and f"Actors {full.actors}" in flat
    assert "number of relations" in flat  # the picture ranks by the count of ties then


def test_the_network_counts_agree_with_the_indicators(demo_store):
    from ssd_starter.core.network import network_indicators
    from ssd_starter.demo import synthetic_district
    from ssd_starter.export.dossier import _network_counts
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    crowded = synthetic_district(demo_store, "Fitta", 25, 300, seed=5)  # many ties repeated, both ways
    for district in (demo_store.demo_id, crowded):
        actors, relations = list_stakeholders(demo_store, district), list_relations(demo_store, district)
        full, counts = network_indicators(actors, relations), _network_counts(actors, relations)
        assert (counts.actors, counts.relations, counts.pairs, counts.components, counts.missing_roles) == (
            full.actors, full.relations, full.pairs, full.components, full.missing_roles)
    assert counts.pairs < counts.relations  # the repeated ties counted once as pairs


def test_the_flows_are_read_once(demo_store, tmp_path, monkeypatch):
    from ssd_starter.store import flows

    calls = []
    original = flows.list_flows
    monkeypatch.setattr(flows, "list_flows", lambda *args: calls.append(args) or original(*args))
    write_dossier(demo_store, demo_store.demo_id, tmp_path / "d.pdf", DossierOptions(language="en"))
    assert len(calls) == 1


def test_the_dossier_reads_the_actors_once(demo_store, tmp_path, monkeypatch):
    from ssd_starter.export import charter as export_charter
    from ssd_starter.store import charter as store_charter
    from ssd_starter.store import stakeholders

    calls = []
    original = stakeholders.list_stakeholders
    for module in (stakeholders, export_charter, store_charter):
        monkeypatch.setattr(module, "list_stakeholders", lambda *args: calls.append(args) or original(*args))
    options = DossierOptions(language="en")
    write_dossier(demo_store, demo_store.demo_id, tmp_path / "d.pdf", options)
    assert "charter" in options.produced and len(calls) == 1  # were three: the charter read them twice more


def test_the_charter_with_the_callers_actors_is_the_same_document(demo_store):
    from ssd_starter.export.charter import build_document
    from ssd_starter.store.stakeholders import list_stakeholders

    district = demo_store.demo_id
    for language in ("it", "en"):
        given = build_document(demo_store, district, language, actors=list_stakeholders(demo_store, district))
        assert given == build_document(demo_store, district, language)
        assert given.checklist and any(section.text != "—" for section in given.sections)


def test_each_amount_is_written_once_and_as_before(demo_store, tmp_path, monkeypatch):
    from collections import Counter

    from ssd_starter.export import dossier
    from ssd_starter.i18n import format_currency

    asked: Counter = Counter()
    original = dossier._Builder.money
    monkeypatch.setattr(dossier._Builder, "money", lambda self, value: asked.update([value]) or original(self, value))
    formatted: Counter = Counter()
    monkeypatch.setattr(dossier, "format_currency",
                        lambda value, **kw: formatted.update([(value, tuple(kw.items()))]) or format_currency(value, **kw))
    write_dossier(demo_store, demo_store.demo_id, tmp_path / "d.pdf", DossierOptions(language="en"))
    assert max(asked.values()) > 1  # the same amount in several rows …
    assert max(formatted.values()) == 1  # … formatted once
    builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language="en"))
    with speaking("de"):
        assert [builder.money(v) for v in (0, 1250, 1250.0, 99.5)] == [
            format_currency(v, whole=True) for v in (0, 1250, 1250.0, 99.5)]


def test_the_relations_are_read_slim_and_give_the_same_figures(demo_store, tmp_path, monkeypatch):
    from ssd_starter.core.network import network_indicators
    from ssd_starter.core.summary import relations_text
    from ssd_starter.store import stakeholders

    district = demo_store.demo_id
    whole = stakeholders.list_relations(demo_store, district)
    full = network_indicators(stakeholders.list_stakeholders(demo_store, district), whole)

    def refused(*args):
        raise AssertionError("whole relation records read: the dossier uses their ends and strength")

    monkeypatch.setattr(stakeholders, "list_relations", refused)
    builder = _Builder(demo_store, district, DossierOptions(language="en"))
    assert [(r["source_id"], r["target_id"], r["strength"]) for r in builder.relations] == [
        (r["source_id"], r["target_id"], r["strength"]) for r in whole]
    out = write_dossier(demo_store, district, tmp_path / "d.pdf", DossierOptions(language="en"))
    flat = " ".join(" ".join(pages_of(out)).split())
    assert relations_text(full.relations, full.pairs) in flat


@pytest.mark.parametrize("language", ("de", "it"))
def test_the_actor_list_names_categories_roles_and_stages_in_the_dossiers_language(demo_store, language):
    from ssd_starter.core.vocabulary import Attitude, Category, Role, Stage

    def letters(cell):  # a wrapped cell's lines (a long word broken too) as the text they came from
        return "".join(cell.split())

    with speaking(language):
        builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language=language))
        table = builder.section_stakeholders()[1]
        expected = [[letters(builder.names[a["id"]]), letters(Category(a["category"]).label),
                     letters(", ".join(Role(r).label for r in a["roles"]) or "—"), letters(Stage(a["stage"]).label),
                     letters(Attitude(a["attitude"]).label)] for a in builder.actors]
    printed = [[letters(row[n]) for n in (0, 1, 4, 5, 6)] for row in table._cellvalues[1:]]
    assert printed == expected
    with speaking("en"):
        assert [row[1] for row in printed] != [letters(Category(a["category"]).label) for a in builder.actors]
