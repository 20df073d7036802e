"""The Sankey diagram by actor as people present it: whole names on up to two lines, never two actors shortened
alike, labels inside the picture and apart, the whole name and value in a tooltip, small flows gathered with
their threshold stated, a title and a legend in the export."""

import pytest
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPainter

from ssd_starter.core.sankey import fit_labels, sankey_layout, wrap_label
from ssd_starter.core.vocabulary import Category
from ssd_starter.ui.canvas.sankey_view import SankeyWidget

from .conftest import save_screenshot

ALIKE = ["Cooperativa sociale La Rete del Tesino", "Cooperativa sociale La Ruota del Tesino",
         "Cooperativa sociale Il Germoglio", "Cassa Rurale Valsugana e Tesino"]


def width_of(text):
    return 6.0 * len(text)  # a monospaced stand-in: each character 6 units


def test_names_wrap_on_two_lines_and_keep_their_ends():
    assert wrap_label("Cassa Rurale", 200, width_of) == ["Cassa Rurale"]
    lines = wrap_label("Cooperativa sociale La Rete del Tesino", 120, width_of)
    assert lines == ["Cooperativa sociale", "La Rete del Tesino"]
    squeezed = wrap_label("Consorzio provinciale delle cooperative sociali di tipo B del Trentino", 90, width_of)
    assert len(squeezed) == 2 and all(width_of(line) <= 90 for line in squeezed) and squeezed[1].endswith("Trentino")
    fitted = fit_labels(ALIKE, 70, width_of)
    assert len({tuple(f) for f in fitted}) == len(ALIKE)  # never shortened into the same words
    assert all(width_of(line) <= 70 for f in fitted for line in f)
    # on one line the start they share gives way to where they differ, and "…" says something came before
    one_line = fit_labels(["Cooperativa Pedala Brenta Alta", "Cooperativa Pedala Cembra Alta"], 90, width_of, lines=1)
    assert [f[0] for f in one_line] == ["…Brenta Alta", "…Cembra Alta"]


def actor(id_, name, category="social_cooperative"):
    return {"id": id_, "name": name, "category": category}


def flows_between(actors, hub, small):
    flows = [{"source_id": a["id"], "target_id": hub, "kind": "goods", "value_eur": 10_000 + 1000 * n}
             for n, a in enumerate(actors)]
    flows += [{"source_id": f"s{n}", "target_id": hub, "kind": "money", "value_eur": 50} for n in range(small)]
    return flows


def test_small_flows_are_gathered_and_the_threshold_is_known():
    actors = [actor(f"a{n}", name) for n, name in enumerate(ALIKE)] + [actor("hub", "Famiglia Cooperativa")]
    actors += [actor(f"s{n}", f"Piccolo produttore {n}", "producer") for n in range(9)]
    layout = sankey_layout(actors, flows_between(actors[:4], "hub", 9), min_share=0.02)
    other = layout.node("0:*other")
    assert other.members == 9 and layout.merged == 9 and layout.merged_below == pytest.approx(50)
    assert {node.category for node in layout.column(0) if node.ident.startswith("a")} == {"social_cooperative"}


@pytest.mark.parametrize("language", ("it", "de", "en"))
def test_sankey_by_actor_picture(make_window, demo_store, qtbot, language, tmp_path):
    from ssd_starter.store.flows import list_flows
    from ssd_starter.store.stakeholders import list_stakeholders

    window = make_window(size=(1366, 768))
    window.set_language(language)
    widget = SankeyWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 620)
    actors = list_stakeholders(demo_store, demo_store.demo_id)
    widget.set_data(actors, list_flows(demo_store, demo_store.demo_id))
    widget.set_options(mode="actor")
    image = QImage(QSize(1600, 1000), QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    layout = widget.paint_picture(painter, QSize(1600, 1000), "Flussi")
    painter.end()
    picture = QRectF(0, 0, 1600, 1000)
    rects = [rect for _key, _lines, rect in widget.drawn_labels]
    assert rects and all(picture.adjusted(8, 8, -8, -8).contains(r) for r in rects)  # margins all round
    for n, a in enumerate(rects):
        for b in rects[n + 1:]:
            assert not a.intersects(b)
    names = {node.key: node.label for node in layout.nodes}
    shown = {key: " ".join(lines) for key, lines, _rect in widget.drawn_labels}
    whole = [key for key in shown if names[key] in shown[key]]
    assert len(whole) >= len(shown) * 0.8  # most names whole, wrapped; the rest never cut at their end
    from ssd_starter.i18n import format_currency

    values = {node.key: format_currency(node.value, whole=True) for node in layout.nodes}
    for column in ("0:", "1:"):  # an actor who gives and receives is named in both columns, alike
        texts = [" ".join(lines).replace(values[key], "").strip()
                 for key, lines, _r in widget.drawn_labels if key.startswith(column)]
        assert len(set(texts)) == len(texts)
    node = next(n for n in layout.nodes if not n.outside and n.ident != "*other")
    tip = widget.tooltip_at(QRectF(node.x0, node.y0, node.x1 - node.x0, node.y1 - node.y0).center()
                            + QRectF(16, widget._top(), 0, 0).topLeft())
    assert node.label in tip
    categories = {c.label for c in Category}
    legend = [text for shape, _colour, text in widget.legend_entries(layout) if shape == "node"]
    assert legend and set(legend) <= categories
    png = widget.export(tmp_path / "flussi.png", "Flussi")
    assert png.stat().st_size > 20_000
    widget.resize(1300, 700)
    save_screenshot(widget, f"sankey-{language}-by-actor.png")
