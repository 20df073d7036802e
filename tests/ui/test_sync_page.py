"""The Sync area: fingerprint, bundles, sync with a real Centre, comments, clashes (the review: test_review_page)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ssd_starter.centre import store as centre_store
from ssd_starter.store.conflicts import open_conflicts
from ssd_starter.store.stakeholders import find_stakeholder, update_stakeholder
from ssd_starter.sync.bundle import write_bundle
from ssd_starter.sync.identity import load_or_create
from ssd_starter.ui.sync.models import CentreCommentsModel, ClashesModel

from .conftest import SCREENSHOTS, save_screenshot


def open_sync(make_window, store):
    window = make_window(size=(1280, 800))
    window.set_current_district(store.demo_id)
    window.show_area("sync")
    return window, window.sync_page


def texts(model) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def synced(qtbot, panel) -> None:
    """Until the sync the click started in the background has ended and the panel says how it went."""
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)


def test_fingerprint_bundle_and_sync_with_comments(make_window, demo_store, tmp_path, qtbot):
    from tests.sync.conftest import RunningCentre

    window, page = open_sync(make_window, demo_store)
    assert load_or_create().fingerprint in page.fingerprint.text()
    manifest = page.bundles.write_bundle_to(tmp_path / "v.ssdbundle")
    assert manifest["counts"]["changes"] > 200
    centre_panel = page.centre
    with RunningCentre(f"sqlite:///{tmp_path / 'centre.sqlite'}") as centre:
        centre_panel.centre_url.setText(centre.url)
        centre_panel.token.setText(centre_store.enrol(centre.engine, "Valsugana"))
        centre_panel.sync_button.click()
        assert centre_panel.busy and centre_panel.cancel_button.isVisibleTo(window)  # the click returned at once
        assert not centre_panel.sync_button.isEnabled()
        synced(qtbot, centre_panel)
        assert "changes sent" in centre_panel.sync_status.text() and centre_panel.token.text() == ""
        assert not centre_panel.cancel_button.isVisibleTo(window) and centre_panel.sync_button.isEnabled()
        gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
        centre_store.add_comment(centre.engine, demo_store.demo_id, "stakeholder", gas["id"], "Chiara",
                                 "Manca il settore")
        centre_panel.sync_button.click()
        synced(qtbot, centre_panel)
        [comment] = texts(page.comments.model)
        assert "GAS Borgo Solidale" in comment and "Manca il settore" in comment
    page.bundles.imported.emit()  # nothing changed: the list reads the same
    assert texts(page.comments.model) == [comment]
    SCREENSHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    save_screenshot(window, "sync-en.png")


def test_clashing_edits_can_be_kept_or_taken_back(make_window, demo_store, tmp_path, monkeypatch):
    """A bundle from the installation that made the district edits a field this one edited too: the page
    shows it. (A district takes bundles only from the key it trusts: here, the one that made it.)"""
    from ssd_starter.store import Store
    from ssd_starter.store.districts import create_district
    from ssd_starter.store.stakeholders import create_stakeholder
    from ssd_starter.sync.bundle import import_bundle
    from tests.sync.test_bundle import other_identity

    # the district comes from another installation, which made it …
    other, other_key = Store.open(tmp_path / "other" / "data.sqlite"), other_identity(tmp_path)
    made = create_district("Distretto della Valle")
    other.apply(made)
    district = made.values["id"]
    other.apply(create_stakeholder(district, {"name": "GAS della Valle"}))
    write_bundle(other, district, tmp_path / "1.ssdbundle", other_key)
    import_bundle(demo_store, tmp_path / "1.ssdbundle")
    gas = find_stakeholder(demo_store, district, "GAS della Valle")
    # … both edit the same actor (there twice, a newer version), and it sends its changes again
    demo_store.apply(update_stakeholder(gas["id"], notes="Nota qui"))
    other.apply(update_stakeholder(gas["id"], notes="Nota di là"))
    other.apply(update_stakeholder(gas["id"], notes="Nota di là, rivista"))
    write_bundle(other, district, tmp_path / "2.ssdbundle", other_key)
    other.close()
    window = make_window(size=(1280, 800))
    window.set_current_district(district)
    window.show_area("sync")
    page = window.sync_page
    page._on_error = pytest.fail
    clashes = page.clashes
    assert not clashes.take_button.isEnabled()
    assert page.bundles.import_bundle_from(tmp_path / "2.ssdbundle").conflicts == 1
    [clash] = texts(clashes.model)
    assert "Nota qui" in clash and "GAS della Valle" in clash and clashes.take_button.isEnabled()
    assert find_stakeholder(demo_store, district, gas["id"])["notes"] == "Nota di là, rivista"
    demo_store.apply(update_stakeholder(gas["id"], name="GAS della Valle di Sopra"))  # the clash names it anew
    assert "GAS della Valle di Sopra" in texts(clashes.model)[0]
    clashes.view.setCurrentIndex(clashes.model.index(0, 0))
    clashes.take_button.click()
    assert find_stakeholder(demo_store, district, gas["id"])["notes"] == "Nota qui"
    assert open_conflicts(demo_store, district) == [] and clashes.model.rowCount() == 0
    assert not clashes.take_button.isEnabled()
    window.undo_action.trigger()  # taking the other value back is an edit like any other
    assert find_stakeholder(demo_store, district, gas["id"])["notes"] == "Nota di là, rivista"


def test_a_strangers_bundle_for_a_district_made_here_is_refused_with_what_to_do(make_window, demo_store, tmp_path):
    from tests.sync.test_bundle import other_identity

    errors = []
    window, page = open_sync(make_window, demo_store)
    page._on_error = errors.append
    write_bundle(demo_store, demo_store.demo_id, tmp_path / "x.ssdbundle", other_identity(tmp_path))
    assert page.bundles.import_bundle_from(tmp_path / "x.ssdbundle") is None
    [error] = errors
    assert "created here" in error.message() and "duplicate" in error.message()


def test_the_lists_follow_the_district_and_the_language(make_window, demo_store, store):
    from ssd_starter.store.districts import create_district

    other = create_district("Alpha")
    store.apply(other)
    window, page = open_sync(make_window, demo_store)
    assert page.comments.model.district_id == demo_store.demo_id
    window.set_current_district(other.values["id"])
    assert page.comments.model.district_id == other.values["id"] and page.clashes.model.rowCount() == 0
    window.set_language("de")
    assert page.title.text() == "Synchronisierung" and page.clashes.keep_button.text() != "Keep the current value"


def test_the_record_models_pass_the_model_tester(qtmodeltester, demo_store):
    from ssd_starter.store.comments import save_comments

    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    save_comments(demo_store, demo_store.demo_id, [
        {"id": f"c{n}", "district_id": demo_store.demo_id, "table_name": "stakeholder", "row_id": gas["id"],
         "author": "Chiara", "text": f"Nota {n}", "created_at": "2026-01-05T10:00:00+00:00", "seq": n}
        for n in (1, 2)], 2)
    for model_class in (CentreCommentsModel, ClashesModel):
        model = model_class(demo_store)
        model.set_district(demo_store.demo_id)
        qtmodeltester.check(model)
        if model_class is CentreCommentsModel:
            assert model.rowCount() == 2 and "GAS Borgo Solidale" in model.index(0, 0).data()
        model.detach()


def test_a_clashed_charter_section_reads_as_text_not_json(qtbot, store, district):
    from ssd_starter.core.models import Conflict, table_of
    from ssd_starter.i18n import speaking

    kept = {"value": {"purpose": "Filiera corta in Valsugana", "extra": ["uno", "due"]}}
    other = {"value": {"purpose": "Economia solidale " * 20}}
    with store.write() as conn:
        conn.execute(table_of(Conflict).insert().values(district_id=district, table_name="charter_section",
                                                         row_id="s1", field="value", kept=kept, other=other))
    model = ClashesModel(store)
    with speaking("it"):
        model.set_district(district)
        text = model.index(0, 0).data()
    assert "carta" in text.casefold() or "sezione" in text.casefold()  # the kind of record, in the language
    assert "Filiera corta in Valsugana · uno, due" in text and "{" not in text and "…" in text
    assert "Economia solidale" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    model.detach()


# -- several devices: the status, the sync in the background -------------------------------------------

@pytest.fixture
def centre(tmp_path):
    from tests.sync.conftest import RunningCentre

    with RunningCentre(f"sqlite:///{tmp_path / 'centre.sqlite'}") as running:
        yield running


def test_the_status_says_what_went_and_came_and_who_else_works_on_the_district(make_window, demo_store, centre,
                                                                             tmp_path, qtbot):
    from ssd_starter.store.devices import set_device_name
    from ssd_starter.store.stakeholders import create_stakeholder, list_stakeholders
    from tests.sync.devices import Device

    district = demo_store.demo_id
    set_device_name(demo_store, "Anna")
    window, page = open_sync(make_window, demo_store)
    page._on_error = pytest.fail
    status = page.status
    assert "Not synced" in status.last_sync.text() and status.device_lines(district) == ["Anna (this device)"]
    panel = page.centre
    panel.centre_url.setText(centre.url)
    panel.token.setText(centre_store.enrol(centre.engine, "Valsugana"))
    panel.sync_button.click()
    synced(qtbot, panel)
    assert "Last sync" in status.last_sync.text() and "actors" in status.moved.text()
    # Bruno joins with a code asked from the window, edits an actor Anna edits too, and adds one
    status.invite_button.click()
    qtbot.waitUntil(lambda: status.code.isVisible(), timeout=60_000)
    code = status.code.text().split(":", 1)[1].split("(")[0].strip()
    bruno = Device.make(tmp_path / "bruno", "Bruno")
    try:
        bruno.join(centre.url, code)
        gas = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
        demo_store.apply(update_stakeholder(gas["id"], notes="Referente: Marta"))
        bruno.store.apply(update_stakeholder(gas["id"], notes="Referente: Luca"))
        bruno.store.apply(update_stakeholder(gas["id"], notes="Referente: Luca Rossi"))
        bruno.store.apply(create_stakeholder(district, {"name": "Forno di Telve"}))
        bruno.sync(centre.url, district)
    finally:
        bruno.close()
    panel.sync_button.click()
    synced(qtbot, panel)
    assert "2 records received" in panel.sync_status.text() and "1 edit made here clashed" in panel.sync_status.text()
    assert "Received: 2 actors" in status.moved.text() and "1 clash waiting" in status.waiting.text()
    anna_line, bruno_line = status.device_lines(district)
    assert anna_line == "Anna (this device)" and bruno_line.startswith("Bruno (seen ")
    assert bruno_line in status.devices.text()
    [clash] = texts(page.clashes.model)
    assert "Referente: Marta" in clash and "Bruno" in clash  # the other side named by its device
    assert "Forno di Telve" in {a["name"] for a in list_stakeholders(demo_store, district)}


def test_a_sync_can_be_cancelled_and_the_next_one_goes_on(make_window, demo_store, centre, qtbot):
    from ssd_starter.store.devices import last_run

    window, page = open_sync(make_window, demo_store)
    page._on_error = pytest.fail  # stopped on request is no error
    panel = page.centre
    panel.centre_url.setText(centre.url)
    panel.token.setText(centre_store.enrol(centre.engine, "Valsugana"))
    panel.sync_now()
    panel.cancel()  # before the first chunk: the sync stops there
    synced(qtbot, panel)
    assert "stopped" in panel.sync_status.text().lower()
    assert last_run(demo_store, demo_store.demo_id)["outcome"] == "cancelled"
    assert "stopped before the end" in page.status.last_sync.text()
    panel.sync_now()
    synced(qtbot, panel)
    assert last_run(demo_store, demo_store.demo_id)["outcome"] == "done"
    assert len(centre_store.district_rows(centre.engine, demo_store.demo_id, "stakeholder")) == 43


def fits(page, panel) -> None:
    """Every line of the status and of the sync's outcome shown whole, every button at its full width."""
    status = page.status
    for label in (status.last_sync, status.moved, status.waiting, status.devices, panel.sync_status):
        assert label.height() >= label.heightForWidth(label.width()), label.text()
    for widget in (panel.sync_button, status.invite_button, panel.submit_button, panel.with_dossier,
                   panel.centre_url, panel.token, panel.note):
        assert widget.height() >= widget.sizeHint().height(), widget
        if not isinstance(widget, type(panel.note)):
            assert widget.width() >= widget.sizeHint().width(), widget.text()


def test_the_sync_area_fits_in_italian_and_german(make_window, demo_store, centre, qtbot):
    from ssd_starter.ui.language import notifier

    window, page = open_sync(make_window, demo_store)
    page._on_error = pytest.fail
    window.resize(1366, 768)
    panel = page.centre
    panel.centre_url.setText(centre.url)
    panel.token.setText(centre_store.enrol(centre.engine, "Valsugana"))
    panel.sync_button.click()
    synced(qtbot, panel)
    try:
        for language in ("it", "de"):
            notifier().set_language(language)
            QApplication.processEvents()
            save_screenshot(window, f"sync-status-{language}.png")
            fits(page, panel)
            window.resize(1024, 768)  # the narrowest the areas are built for: the status goes under the controls
            QApplication.processEvents()
            save_screenshot(window, f"sync-status-1024-{language}.png")
            assert page.status.geometry().top() >= panel.geometry().bottom()
            assert panel.note.width() >= 300
            fits(page, panel)
            assert page.review.height() >= 150  # the review and the lists keep room
            window.resize(1366, 768)
    finally:
        notifier().set_language("en")


def test_a_clash_names_the_value_typed_here_as_this_devices(qtbot, centre, tmp_path):
    """The finding: "kept 'Telve', the other installation had 'Scurelle'" when Scurelle was typed here. Both
    laptops change one actor's municipality; whichever copy wins, the line says which value came from which
    device, the one typed here named as this device's."""
    from ssd_starter.store.districts import create_district
    from ssd_starter.store.stakeholders import create_stakeholder, update_stakeholder
    from tests.sync.devices import Device

    anna, bruno = Device.make(tmp_path / "anna", "Anna"), Device.make(tmp_path / "bruno", "Bruno")
    try:
        made = create_district("Valsugana")
        anna.store.apply(made)
        district = made.values["id"]
        actor = create_stakeholder(district, {"name": "Bottega", "municipality": "Borgo"})
        anna.store.apply(actor)
        anna.enrol(centre, district)
        bruno.join(centre.url, anna.invite(centre.url, district))
        bruno.store.apply(update_stakeholder(actor.values["id"], municipality="Telve"))
        bruno.sync(centre.url, district)
        anna.store.apply(update_stakeholder(actor.values["id"], municipality="Scurelle"))  # typed here
        anna.sync(centre.url, district)
        bruno.sync(centre.url, district)
        # the clash is found where the losing copy was held: at Anna's if Bruno's copy won at the Centre, at
        # Bruno's if hers did (the two copies tie on version; the order of the devices' ids decides)
        lines = {}
        for device in (anna, bruno):
            model = ClashesModel(device.store)
            model.set_district(district)
            lines[device.name] = [model.index(row, 0).data() for row in range(model.rowCount())]
            model.detach()
        assert sorted(len(found) for found in lines.values()) == [0, 1], lines
        if lines["Anna"]:
            assert "“Scurelle” from Anna (this device)" in lines["Anna"][0], lines
            assert "“Telve” from Bruno" in lines["Anna"][0], lines
        else:
            assert "“Telve” from Bruno (this device)" in lines["Bruno"][0], lines
            assert "“Scurelle” from Anna" in lines["Bruno"][0], lines
    finally:
        anna.close()
        bruno.close()


def test_a_bundle_written_in_the_window_can_submit_the_district(make_window, demo_store, tmp_path):
    """The USB path of a submission from the window: 'submit for review' beside Write bundle…, with the note
    written under Centre; the Centre takes the bundle as a submission (centre import's path)."""
    from ssd_starter.centre import review as centre_review
    from ssd_starter.centre import store as centre_store
    from ssd_starter.centre.submissions import list_submissions

    _window, page = open_sync(make_window, demo_store)
    page.centre.note.setText("Carta firmata in assemblea")
    page.bundles.submit.setChecked(True)
    path = tmp_path / "invio.ssdbundle"
    assert page.bundles.write_bundle_to(path) is not None
    engine = centre_store.connect(f"sqlite:///{tmp_path / 'centre.sqlite'}")
    try:
        taken = centre_review.receive_bundle(engine, path.read_bytes())
        assert taken["submission"] is not None
        [submission] = list_submissions(engine, district_id=demo_store.demo_id)
        assert submission["note"] == "Carta firmata in assemblea" and submission["state"] == "received"
        assert not submission["has_dossier"]  # the dossier only when asked for
    finally:
        engine.dispose()
