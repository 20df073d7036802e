"""The Dossier area: sections and language chosen in the window, progress with cancel, preview; bound to the
district as every area page is."""

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from ssd_starter.store.districts import create_district, update_district
from ssd_starter.ui.language import notifier
from tests.helpers import add_actor

from .conftest import SCREENSHOTS, save_screenshot


def open_dossier(make_window, store):
    window = make_window(size=(1280, 800))
    window.set_current_district(store.demo_id)
    window.show_area("dossier")
    return window, window.dossier_page


def test_chosen_sections_and_language_and_preview(make_window, demo_store, tmp_path):
    window, page = open_dossier(make_window, demo_store)
    assert page.language.currentData() == "it"  # the district's working language
    page.language.setCurrentIndex(page.language.findData("de"))
    for key, check in page.section_checks.items():
        check.setChecked(key in ("summary", "canvas"))
    path = page.write_to(tmp_path / "dossier.pdf")
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Zusammenfassende Kennzahlen" in text and "Geschäftsmodell-Canvas" in text
    assert "Gründungscharta" not in text
    assert window.windowTitle() and page.language.currentData() == "de"
    page.show_preview(path)
    assert len(page.preview_labels) == 3 and page.preview_labels[0].pixmap().width() >= 260
    assert page.preview_labels[0].size() == page.preview_labels[0].pixmap().size()  # never clipped
    QApplication.processEvents()
    SCREENSHOTS.mkdir(exist_ok=True)
    save_screenshot(window, "dossier-page-en.png")


def test_cancel_writes_nothing(make_window, demo_store, tmp_path, monkeypatch):
    window, page = open_dossier(make_window, demo_store)
    from PySide6.QtWidgets import QProgressDialog

    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    errors = []
    monkeypatch.setattr(page, "_on_error", errors.append)
    assert page.write_to(tmp_path / "dossier.pdf") is None
    assert not (tmp_path / "dossier.pdf").exists()
    assert errors and "cancelled" in errors[0].message()


def test_the_page_hears_edits_of_its_own_district_only(qtbot, store, district, tmp_path):
    from ssd_starter.ui.dossier.page import DossierPage

    other = create_district("Andere", language="de")
    store.apply(other)
    other_id = other.values["id"]
    add_actor(store, district, "Alpha")
    errors = []
    page = DossierPage(store, errors.append)
    qtbot.addWidget(page)
    page.set_district(district)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    assert page.language.currentData() == "it"  # read when first shown: the district's working language
    page.language.setCurrentIndex(page.language.findData("en"))  # the user's choice for this dossier
    page.show_preview(page.write_to(tmp_path / "dossier.pdf"))
    shown = len(page.preview_labels)
    assert shown and not errors
    add_actor(store, other_id, "Elsewhere")
    store.apply(update_district(other_id, description="Not this dossier"))
    assert page.pages_layout.count() == shown  # another district's edits leave the preview alone
    add_actor(store, district, "Here")
    assert page.pages_layout.count() == 0 and page.preview_labels == []  # it no longer showed the district
    assert page.language.currentData() == "en"  # an edit does not undo the choices made on the page
    page.set_district(other_id)
    assert page.language.currentData() == "de"
    page.detach()
    add_actor(store, other_id, "After")  # detached: nothing is heard any more


def test_screenshots_at_1366_in_italian_and_german(make_window, demo_store, qtbot, tmp_path):
    window, page = open_dossier(make_window, demo_store)
    window.resize(1366, 768)
    qtbot.wait(20)
    page.show_preview(page.write_to(tmp_path / "dossier.pdf"))
    SCREENSHOTS.mkdir(exist_ok=True)
    for language in ("it", "de"):
        notifier().set_language(language)
        qtbot.wait(20)  # the relayout after the language switch, as on screen
        QApplication.processEvents()
        assert page.write_button.text() != "Create PDF…" and len(page.preview_labels) == 3
        save_screenshot(window, f"dossier-page-{language}-1366.png")
