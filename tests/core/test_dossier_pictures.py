"""The dossier's network picture: the most central actors named without two names touching, the next ones
numbered with a key, everything inside the drawing; in Italian, German and English."""

import pytest

from ssd_starter.core.labels import overlaps
from ssd_starter.i18n import speaking


def strings_and_boxes(drawing):
    from reportlab.graphics.shapes import Rect, String

    texts = [shape for shape in drawing.contents if isinstance(shape, String)]
    boxes = [shape for shape in drawing.contents if isinstance(shape, Rect) and shape.fillOpacity == 0.8]
    return texts, boxes


@pytest.mark.parametrize("language", ("it", "de", "en"))
def test_network_picture_names_the_central_actors_and_keys_the_next(demo_store, language):
    from ssd_starter.export.dossier import NAMED_IN_PICTURE, DossierOptions, _Builder

    with speaking(language):
        builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language=language))
        drawing, *key = builder.network_drawing()
        ranking, _measure = builder._central_actors()
    texts, boxes = strings_and_boxes(drawing)
    names = {builder.names[a] for a in ranking[:NAMED_IN_PICTURE]}
    named = [t.text for t in texts if t.text in names]
    assert len(named) >= 12  # was the twelve best connected, cut at 28 characters and overprinting
    assert builder.names[ranking[0]] in named  # the most central first
    rects = [(b.x, b.y, b.width, b.height) for b in boxes]
    for n, a in enumerate(rects):
        for b in rects[n + 1:]:
            assert not overlaps(a, b)
    assert all(x >= 0 and y >= 0 and x + w <= drawing.width and y + h <= drawing.height for x, y, w, h in rects)
    numbers = [t.text for t in texts if t.text.isdigit()]
    assert numbers and key  # the next actors as numbers, with their names in the key below
    table = key[-1]
    listed = [getattr(cell, "text", cell) for row in table._cellvalues for cell in row]
    listed = [text for text in listed if text]
    assert sorted(int(text.split()[0]) for text in listed) == sorted(int(n) for n in numbers)


@pytest.mark.parametrize("language", ("it", "de"))
def test_grid_picture_names_its_actors_inside_their_cells(demo_store, language):
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from ssd_starter.export.dossier import FONT, DossierOptions, _Builder

    with speaking(language):
        builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language=language))
        drawing, *key = builder.grid_drawing()
    texts = [s for s in drawing.contents if isinstance(s, String)]
    shown = [s.text for s in texts]
    whole = sum(1 for name in builder.names.values() if name in shown)
    assert whole >= 15 and not key  # 43 actors: every one in its cell, a third by their whole name
    for string in texts:
        if string.fontSize < 6:  # a name: it stays inside its 86-point cell
            assert stringWidth(string.text, FONT, string.fontSize) <= 86 - 8


def test_a_crowded_grid_numbers_or_counts(store):
    from reportlab.graphics.shapes import String

    from ssd_starter.demo import synthetic_district
    from ssd_starter.export.dossier import DossierOptions, _Builder

    district = synthetic_district(store, "Grande", 400, 300, seed=2)
    builder = _Builder(store, district, DossierOptions(language="en"))
    drawing, *key = builder.grid_drawing()
    numbers = [s.text for s in drawing.contents if isinstance(s, String) and s.text.isdigit() and s.fontSize < 6]
    assert key and numbers  # 16 a cell on average: numbered, the names in the key under the grid
    assert {int(text.split()[0]) for text in builder.grid_key} == {int(n) for n in numbers}


@pytest.mark.parametrize("language", ("it", "de"))
def test_network_picture_draws_kinds_strengths_arrowheads_and_their_legend(demo_store, language):
    from reportlab.graphics.shapes import Path, String

    from ssd_starter.core.vocabulary import DIRECTED_KINDS, RELATION_COLOURS, Category, RelationKind
    from ssd_starter.export.dossier import DossierOptions, _Builder, _paler

    with speaking(language):
        builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language=language))
        drawing, *_key = builder.network_drawing()
        kinds = {r["kind"] for r in builder.relations}
        texts = {s.text for s in drawing.contents if isinstance(s, String)}
        assert {RelationKind(k).label for k in kinds} <= texts  # each kind drawn is in the legend
        present = {a["category"] for a in builder.actors}
        assert {c.label for c in Category if c.value in present} <= texts
    paths = [shape for shape in drawing.contents if isinstance(shape, Path)]
    lines = [p for p in paths if p.fillColor is None]
    heads = [p for p in paths if p.fillColor is not None]
    colours = {p.strokeColor.hexval()[2:] for p in lines}
    assert colours == {_paler(RELATION_COLOURS[k], 0.75).lstrip("#") for k in kinds}  # a colour per kind
    assert len({p.strokeWidth for p in lines}) > 1  # stronger ties wider
    assert {p.fillColor.hexval()[2:] for p in heads} == {RELATION_COLOURS[k].lower().lstrip("#")
                                                          for k in kinds & DIRECTED_KINDS}


def test_a_large_network_picture_has_no_arrowheads_to_clutter_it(store):
    from reportlab.graphics.shapes import Path

    from ssd_starter.demo import synthetic_district
    from ssd_starter.export.dossier import DossierOptions, _Builder

    district = synthetic_district(store, "Grande", 300, 900, seed=3)
    builder = _Builder(store, district, DossierOptions(language="en"))
    drawing, *_key = builder.network_drawing()
    paths = [shape for shape in drawing.contents if isinstance(shape, Path)]
    assert paths and all(p.fillColor is None for p in paths) and len(paths) <= 21  # one per kind and strength


@pytest.mark.parametrize("language", ("it", "de"))
def test_grid_picture_has_the_categories_on_it_and_the_rings_as_its_legend(demo_store, language):
    from reportlab.graphics.shapes import Circle, String

    from ssd_starter.core.vocabulary import Attitude, Category
    from ssd_starter.export.dossier import DossierOptions, _Builder

    with speaking(language):
        builder = _Builder(demo_store, demo_store.demo_id, DossierOptions(language=language))
        drawing, *_key = builder.grid_drawing()
        axis = next(s.y for s in drawing.contents if isinstance(s, String) and s.text.endswith("→")
                    and s.fontSize == 8)
        legend = [s.text for s in drawing.contents if isinstance(s, String) and s.fontSize == 6.5 and s.y < axis]
        present = {a["category"] for a in builder.actors}
        assert legend == [c.label for c in Category if c.value in present] + [a.label for a in Attitude]
    grid_top = max(s.y for s in drawing.contents if isinstance(s, String) and s.text == "5")
    legend_circles = [c for c in drawing.contents if isinstance(c, Circle) and c.r == 2.6]
    assert len(legend_circles) == len(legend) and all(c.cy < grid_top for c in legend_circles)
    assert all(c.cy + c.r <= drawing.height and c.cy - c.r >= 0 for c in legend_circles)
