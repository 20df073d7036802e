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
