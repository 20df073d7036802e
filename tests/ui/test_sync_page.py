"""The Sync & review area: fingerprint, bundles, sync with a real Centre, comments, clashes, review mode."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ssd_starter.centre import store as centre_store
from ssd_starter.store.conflicts import open_conflicts
from ssd_starter.store.stakeholders import find_stakeholder, update_stakeholder
from ssd_starter.sync.bundle import write_bundle
from ssd_starter.sync.identity import load_or_create

from .conftest import SCREENSHOTS


def open_sync(make_window, store):
    window = make_window(size=(1280, 800))
    window.set_current_district(store.demo_id)
    window.show_area("sync")
    return window, window.sync_page


def test_fingerprint_bundle_and_sync_with_comments(make_window, demo_store, tmp_path):
    from tests.sync.conftest import RunningCentre

    window, page = open_sync(make_window, demo_store)
    assert load_or_create().fingerprint in page.fingerprint.text()
    manifest = page.write_bundle_to(tmp_path / "v.ssdbundle")
    assert manifest["counts"]["changes"] > 200
    with RunningCentre(f"sqlite:///{tmp_path / 'centre.sqlite'}") as centre:
        page.centre_url.setText(centre.url)
        page.token.setText(centre_store.enrol(centre.engine, "Valsugana"))
        page.sync_button.click()
        assert "changes sent" in page.sync_status.text() and page.token.text() == ""
        gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
        centre_store.add_comment(centre.engine, demo_store.demo_id, "stakeholder", gas["id"], "Chiara",
                                 "Manca il settore")
        page.sync_button.click()
        assert page.comments.count() == 1 and "GAS Borgo Solidale" in page.comments.item(0).text()
    SCREENSHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    assert window.grab().save(str(SCREENSHOTS / "sync-en.png"))


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
    assert page.import_bundle_from(tmp_path / "2.ssdbundle").conflicts == 1
    assert page.conflicts.count() == 1 and "Nota qui" in page.conflicts.item(0).text()
    assert find_stakeholder(demo_store, district, gas["id"])["notes"] == "Nota di là, rivista"
    page.conflicts.setCurrentRow(0)
    page.take_button.click()
    assert find_stakeholder(demo_store, district, gas["id"])["notes"] == "Nota qui"
    assert open_conflicts(demo_store, district) == [] and page.conflicts.count() == 0


def test_a_strangers_bundle_for_a_district_made_here_is_refused_with_what_to_do(make_window, demo_store, tmp_path):
    from tests.sync.test_bundle import other_identity

    errors = []
    window, page = open_sync(make_window, demo_store)
    page._on_error = errors.append
    write_bundle(demo_store, demo_store.demo_id, tmp_path / "x.ssdbundle", other_identity(tmp_path))
    assert page.import_bundle_from(tmp_path / "x.ssdbundle") is None
    [error] = errors
    assert "created here" in error.message() and "duplicate" in error.message()


def test_review_mode_lists_districts_and_comments(make_window, demo_store, tmp_path):
    bundle = tmp_path / "v.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, bundle, load_or_create())
    window, page = open_sync(make_window, demo_store)
    page.tabs.setCurrentIndex(1)
    page.database.setText(f"sqlite:///{tmp_path / 'review.sqlite'}")
    assert page.receive_bundle_files([Path(bundle)]) == 1
    assert page.districts.rowCount() == 1 and page.districts.item(0, 1).text() == "43"
    page.districts.selectRow(0)
    assert page.records.count() > 43
    page.records.setCurrentRow(0)
    page.author.setText("Chiara")
    page.comment_text.setText("Da verificare")
    page.comment_button.click()
    assert page.review_comments.count() == 1
    page.review_comments.setCurrentRow(0)
    page.resolve_button.click()
    assert page.review_comments.item(0).text().startswith("✔")
    QApplication.processEvents()
    assert window.grab().save(str(SCREENSHOTS / "review-en.png"))
