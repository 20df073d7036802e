"""The Dossier area: sections and language chosen in the window, progress with cancel, preview."""

from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from .conftest import SCREENSHOTS


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
    assert window.grab().save(str(SCREENSHOTS / "dossier-page-en.png"))


def test_cancel_writes_nothing(make_window, demo_store, tmp_path, monkeypatch):
    window, page = open_dossier(make_window, demo_store)
    from PySide6.QtWidgets import QProgressDialog

    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    errors = []
    monkeypatch.setattr(page, "_on_error", errors.append)
    assert page.write_to(tmp_path / "dossier.pdf") is None
    assert not (tmp_path / "dossier.pdf").exists()
    assert errors and "cancelled" in errors[0].message()
