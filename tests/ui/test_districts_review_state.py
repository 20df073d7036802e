"""The Districts list says, under each district's name, what the Centre last said about it — the latest
submission's state with a sign in its colour, and the open threads — as reply bundles brought it: a real
Centre database takes each district's bundle with its submission (`centre import`'s path), an advisor
decides, and the Centre's reply bundle is imported here. At 1366×768 in Italian and German."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from ssd_starter.centre import store as centre_store
from ssd_starter.centre.advisors import add_advisor, find_advisor
from ssd_starter.centre.replies import write_reply_bundle
from ssd_starter.centre.review import receive_bundle
from ssd_starter.centre.submissions import change_state
from ssd_starter.centre.threads import open_thread
from ssd_starter.store.districts import create_district
from ssd_starter.store.review import QueueReply, QueueResolve, QueueThread, list_threads
from ssd_starter.store.stakeholders import find_stakeholder
from ssd_starter.sync.bundle import write_bundle
from ssd_starter.sync.client import submission_draft
from ssd_starter.sync.identity import load_or_create
from ssd_starter.sync.reply import import_reply_bundle
from ssd_starter.ui.districts.list_item import DistrictItemDelegate
from ssd_starter.ui.districts.model import ReviewRole, review_text
from ssd_starter.ui.language import notifier
from ssd_starter.ui.review_threads import STATE_COLOURS
from tests.helpers import add_actor

from .conftest import save_screenshot


@pytest.fixture
def engine(tmp_path):
    engine = centre_store.connect(f"sqlite:///{tmp_path / 'centre.sqlite'}")
    add_advisor(engine, "Anna Rossi")
    yield engine
    engine.dispose()


def submit_by_bundle(store, engine, district_id, tmp_path) -> str:
    """The promoter's bundle with a submission, taken by the Centre as from a stick; the submission's id."""
    path = tmp_path / f"{district_id}.ssdbundle"
    write_bundle(store, district_id, path, load_or_create(), submission=submission_draft(store, district_id))
    return receive_bundle(engine, path.read_bytes())["submission"]["id"]


def answer(store, engine, district_id, tmp_path) -> None:
    """The Centre's reply bundle for the district, imported here."""
    path = tmp_path / f"reply-{district_id}.ssdbundle"
    write_reply_bundle(engine, district_id, path)
    import_reply_bundle(store, path)


def new_district(store, name: str) -> str:
    insert = create_district(name)
    store.apply(insert)
    return insert.values["id"]


@pytest.fixture
def reviewed(demo_store, engine, tmp_path):
    """The demo district has issues with two open threads; Alpe Cimbra is approved, Bassa Atesina rejected,
    Cembra received; Giudicarie has only a thread its promoter opened; Dolomiti nothing."""
    anna = find_advisor(engine, "Anna Rossi")
    ids = {"Valsugana": demo_store.demo_id}
    for name in ("Alpe Cimbra", "Bassa Atesina", "Cembra", "Giudicarie", "Dolomiti"):
        ids[name] = new_district(demo_store, name)
        add_actor(demo_store, ids[name], f"GAS {name}")
    submissions = {name: submit_by_bundle(demo_store, engine, ids[name], tmp_path)
                   for name in ("Valsugana", "Alpe Cimbra", "Bassa Atesina", "Cembra")}
    gas = find_stakeholder(demo_store, ids["Valsugana"], "GAS Borgo Solidale")
    for text in ("Quante famiglie?", "Chi coordina il gruppo?"):
        open_thread(engine, submissions["Valsugana"], anna, kind="record", table="stakeholder", key=gas["id"],
                    text=text)
    change_state(engine, submissions["Valsugana"], "has_issues", advisor=anna, comment="Mancano i soci")
    change_state(engine, submissions["Alpe Cimbra"], "approved", advisor=anna, comment="Bene")
    change_state(engine, submissions["Bassa Atesina"], "rejected", advisor=anna, comment="Fuori provincia")
    for name in ("Valsugana", "Alpe Cimbra", "Bassa Atesina", "Cembra"):
        answer(demo_store, engine, ids[name], tmp_path)
    own = find_stakeholder(demo_store, ids["Giudicarie"], "GAS Giudicarie")
    demo_store.apply(QueueThread(ids["Giudicarie"], "record", "stakeholder", own["id"], "Va bene così?"))
    return {"ids": ids, "submissions": submissions, "anna": anna}


def reviews(model) -> dict[str, object]:
    return {model.index(row).data(): model.index(row).data(ReviewRole) for row in range(model.rowCount())}


def test_the_list_says_each_districts_state_and_open_threads(make_window, demo_store, engine, reviewed, tmp_path,
                                                            qtbot):
    window = make_window(size=(1366, 768))
    window.set_current_district(reviewed["ids"]["Valsugana"])
    window.show_area("districts")
    model = window.district_model
    found = {name: (r["state"], r["open_threads"]) if r else None for name, r in reviews(model).items()}
    assert found == {"Alpe Cimbra": ("approved", 0), "Bassa Atesina": ("rejected", 0), "Cembra": ("received", 0),
                     "Distretto di Economia Solidale Valsugana e Tesino": ("has_issues", 2),
                     "Dolomiti": None, "Giudicarie": (None, 1)}
    valsugana = model.index(model.row_of(reviewed["ids"]["Valsugana"]))
    assert valsugana.data(Qt.ItemDataRole.ToolTipRole).endswith("At the Centre: has issues · 2 open threads")
    assert valsugana.data(Qt.ItemDataRole.AccessibleDescriptionRole) == "At the Centre: has issues · 2 open threads"
    assert model.index(model.row_of(reviewed["ids"]["Dolomiti"])).data(Qt.ItemDataRole.AccessibleDescriptionRole) \
        is None
    # the list shows it under the name: rows with a state are a line taller, and the whole of it is in sight
    view = window.districts_page.districts.list_view
    assert isinstance(view.itemDelegate(), DistrictItemDelegate)
    plain = view.visualRect(model.index(model.row_of(reviewed["ids"]["Dolomiti"]))).height()
    for name in ("Alpe Cimbra", "Giudicarie", "Valsugana"):
        rect = view.visualRect(model.index(model.row_of(reviewed["ids"][name])))
        assert rect.height() >= plain + view.fontMetrics().height(), name
        assert view.viewport().rect().contains(rect), name
    # each state's sign is drawn in its colour, left of the state line
    picture = view.viewport().grab().toImage()
    for name, state in (("Alpe Cimbra", "approved"), ("Bassa Atesina", "rejected"), ("Cembra", "received")):
        rect = view.visualRect(model.index(model.row_of(reviewed["ids"][name])))
        assert _has_colour(picture, rect, QColor(STATE_COLOURS[state])), name
    # the promoter answers offline: a reply does not change the count; the advisor's approval does, for one row
    [first, _second] = list_threads(demo_store, reviewed["ids"]["Valsugana"])
    demo_store.apply(QueueReply(reviewed["ids"]["Valsugana"], first["id"], "120 famiglie"))
    assert valsugana.data(ReviewRole)["open_threads"] == 2
    submission = submit_by_bundle(demo_store, engine, reviewed["ids"]["Valsugana"], tmp_path)
    from ssd_starter.centre.threads import resolve, threads_of_district

    for thread in threads_of_district(engine, reviewed["ids"]["Valsugana"]):
        resolve(engine, thread["id"], reviewed["anna"])
    change_state(engine, submission, "approved", advisor=reviewed["anna"], comment="Grazie")
    with qtbot.waitSignal(model.dataChanged, timeout=2000) as changed, qtbot.assertNotEmitted(model.modelReset):
        answer(demo_store, engine, reviewed["ids"]["Valsugana"], tmp_path)
    assert changed.args[0].row() == changed.args[1].row() == valsugana.row()
    assert (valsugana.data(ReviewRole)["state"], valsugana.data(ReviewRole)["open_threads"]) == ("approved", 0)
    QApplication.processEvents()
    rect = view.visualRect(valsugana)
    assert _has_colour(view.viewport().grab().toImage(), rect, QColor(STATE_COLOURS["approved"]))
    assert not _has_colour(view.viewport().grab().toImage(), rect, QColor(STATE_COLOURS["has_issues"]))
    # the promoter settles the thread they opened, offline: the list says so at once
    giudicarie = model.index(model.row_of(reviewed["ids"]["Giudicarie"]))
    [own] = list_threads(demo_store, reviewed["ids"]["Giudicarie"])
    with qtbot.waitSignal(model.dataChanged, timeout=2000):
        demo_store.apply(QueueResolve(reviewed["ids"]["Giudicarie"], own["id"]))
    assert giudicarie.data(ReviewRole) is None and giudicarie.data(Qt.ItemDataRole.AccessibleDescriptionRole) is None
    assert giudicarie.data(Qt.ItemDataRole.ToolTipRole) == "Giudicarie\nTerritorial"
    # a district heard of for the first time: its row grows by the state's line, in place
    dolomiti = model.index(model.row_of(reviewed["ids"]["Dolomiti"]))
    submit_by_bundle(demo_store, engine, reviewed["ids"]["Dolomiti"], tmp_path)
    answer(demo_store, engine, reviewed["ids"]["Dolomiti"], tmp_path)
    qtbot.waitUntil(lambda: view.visualRect(dolomiti).height() >= plain + view.fontMetrics().height(), timeout=2000)
    assert dolomiti.data(ReviewRole)["state"] == "received"


def _has_colour(image: QImage, rect, colour: QColor, tolerance: int = 24) -> bool:
    """Some pixel of ``rect`` (device-independent) is ``colour``, within a small tolerance."""
    ratio = image.devicePixelRatio()
    for y in range(int(rect.top() * ratio), int(rect.bottom() * ratio)):
        for x in range(int(rect.left() * ratio), int(rect.right() * ratio)):
            pixel = image.pixelColor(x, y)
            if max(abs(pixel.red() - colour.red()), abs(pixel.green() - colour.green()),
                   abs(pixel.blue() - colour.blue())) <= tolerance:
                return True
    return False


def test_screenshots_of_the_list_in_italian_and_german(make_window, reviewed, qtbot):
    window = make_window(size=(1366, 768))
    window.set_current_district(reviewed["ids"]["Valsugana"])
    window.show_area("districts")
    model, view = window.district_model, window.districts_page.districts.list_view
    try:
        for language, expected in (("it", "da correggere · 2 discussioni aperte"),
                                   ("de", "zu überarbeiten · 2 offene Diskussionen")):
            notifier().set_language(language)
            QApplication.processEvents()
            index = model.index(model.row_of(reviewed["ids"]["Valsugana"]))
            assert review_text(index.data(ReviewRole)) == expected
            window.resize(1366, 768)
            QApplication.processEvents()
            _whole_rows(view)
            save_screenshot(window, f"districts-list-review-{language}-1366.png")
            save_screenshot(window.districts_page.districts, f"districts-list-review-{language}-panel.png")
            window.districts_page.splitter.setSizes([520, 846])  # a wider list: the long name on one line
            QApplication.processEvents()
            _whole_rows(view)
            window.districts_page.splitter.setSizes([260, 740])
    finally:
        notifier().set_language("en")


def _whole_rows(view) -> None:
    """Every row as tall as its name and state need at the list's width now (no taller), and all in sight."""
    model, delegate = view.model(), view.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    for row in range(model.rowCount()):
        rect = view.visualRect(model.index(row))
        assert rect.height() == delegate.sizeHint(option, model.index(row)).height(), model.index(row).data()
        assert view.viewport().rect().contains(rect), model.index(row).data()
