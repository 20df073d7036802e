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
