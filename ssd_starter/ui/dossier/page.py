"""The Dossier area: choose sections, language and whether consented contacts go in; preview the first pages;
write the PDF with progress and cancel. The file appears under its name only when it is complete.

A ``DistrictPage``: choosing a district sets the dossier's language to the district's working language; an
edit to anything the dossier prints, in this district only, takes away a preview that no longer shows it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.core.models import SYNCABLE_TABLES
from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _
from ssd_starter.store import Change, Store
from ssd_starter.store.districts import get_district
from ssd_starter.ui.district_page import DistrictPage

if TYPE_CHECKING:
    from ssd_starter.export.dossier import DossierOptions

PREVIEW_PAGES = 3


def render_pages(pdf: Path, count: int = PREVIEW_PAGES, width: int = 420) -> list[QImage]:
    """The first pages of a PDF as images (pdfium), for the preview."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        images = []
        for index in range(min(count, len(document))):
            page = document[index]
            scale = width / page.get_width()
            bitmap = page.render(scale=scale)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes()
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
            images.append(image)
            page.close()
        return images
    finally:
        document.close()


class DossierPage(DistrictPage):
    TABLES = frozenset(SYNCABLE_TABLES)  # the dossier prints every area of the district

    def __init__(self, store: Store, on_error: Callable[[UserError], None], parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        from ssd_starter.export.dossier import SECTIONS

        self._on_error = on_error
        self.progress_dialog: QProgressDialog | None = None
        self.preview_labels: list[QLabel] = []
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.sections_box = QGroupBox()
        box = QVBoxLayout(self.sections_box)
        self.section_checks: dict[str, QCheckBox] = {}
        self._section_labels = dict(SECTIONS)
        for key, _label in SECTIONS:
            check = QCheckBox()
            check.setChecked(True)
            self.section_checks[key] = check
            box.addWidget(check)
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.contacts = QCheckBox()
        self.logo = QLineEdit()
        self.logo_button = QPushButton()
        self.logo_button.clicked.connect(self.choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(self.logo_button)
        self.form_labels = [QLabel(), QLabel()]
        form = QFormLayout()
        form.addRow(self.form_labels[0], self.language)
        form.addRow(self.form_labels[1], logo_row)
        form.addRow("", self.contacts)
        self.preview_button = QPushButton()
        self.write_button = QPushButton()
        self.write_button.setDefault(True)
        self.preview_button.clicked.connect(self.preview)
        self.write_button.clicked.connect(self.write)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.write_button)
        left = QVBoxLayout()
        left.addWidget(self.intro)
        left.addWidget(self.sections_box)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addStretch(1)
        self.pages_box = QWidget()
        self.pages_layout = QHBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview_area = QScrollArea()
        self.preview_area.setWidgetResizable(False)  # the pages keep their size; the area scrolls
        self.preview_area.setWidget(self.pages_box)
        self.preview_note = QLabel()
        right = QVBoxLayout()
        right.addWidget(self.preview_note)
        right.addWidget(self.preview_area, 1)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addLayout(body, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Dossier"))
        self.intro.setText(_("One PDF of the whole district for the municipality, the Province and the Centre. "
                             "Areas with nothing in them yet are left out."))
        self.sections_box.setTitle(_("Sections"))
        for key, check in self.section_checks.items():
            check.setText(_(self._section_labels[key]))
        self.form_labels[0].setText(_("&Language of the dossier"))
        self.form_labels[0].setBuddy(self.language)
        self.form_labels[1].setText(_("Logo (optional)"))
        self.logo.setAccessibleName(_("Logo (optional)"))
        self.preview_area.setAccessibleName(_("Preview of the first pages."))
        self.logo_button.setText(_("Choose…"))
        self.contacts.setText(_("Include contact details of people who consented"))
        self.preview_button.setText(_("Preview"))
        self.write_button.setText(_("Create PDF…"))
        self.preview_note.setText(_("Preview of the first pages."))

    def _refresh(self) -> None:
        """Another district: the dossier speaks its working language, and the last district's preview goes."""
        self._clear_preview()
        if not self._district_id:
            return
        try:
            language = get_district(self._store, self._district_id).language
        except NotFound:  # deleted; the window chooses another district
            return
        self.language.setCurrentIndex(max(0, self.language.findData(language)))

    def _on_changes(self, changes: list[Change]) -> None:
        """The district was edited: the preview shows it as it was, so it goes; the choices made here stay."""
        self._clear_preview()

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Logo"), "", _("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.logo.setText(path)

    def options(self, progress: Callable[[int, int], bool] | None = None) -> DossierOptions:
        from ssd_starter.export.dossier import DossierOptions

        logo = Path(self.logo.text()) if self.logo.text().strip() else None
        return DossierOptions(language=self.language.currentData(),
                              sections=[k for k, c in self.section_checks.items() if c.isChecked()],
                              include_contacts=self.contacts.isChecked(), logo=logo, progress=progress)

    def write_to(self, path: Path) -> Path | None:
        """Write with a progress dialog that can cancel; None if cancelled or refused."""
        from ssd_starter.export.dossier import write_dossier

        if not self._district_id:
            return None
        dialog = QProgressDialog(_("Writing the dossier…"), _("Cancel"), 0, 100, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        self.progress_dialog = dialog

        def progress(done: int, total: int) -> bool:
            dialog.setValue(int(100 * done / max(total, 1)))
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            return write_dossier(self._store, self._district_id, path, self.options(progress))
        except UserError as exc:
            self._on_error(exc)
            return None
        finally:
            dialog.reset()

    def write(self) -> None:
        if not self._district_id:
            return
        name = get_district(self._store, self._district_id).name
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the dossier"), f"{name}.pdf",
                                                    _("PDF document (*.pdf)"))
        if path and self.write_to(Path(path)):
            self.show_preview(Path(path))
            QMessageBox.information(self, _("Dossier"), _("Written to {path}.").format(path=path))

    def preview(self) -> None:
        if not self._district_id:
            return
        # the preview's PDF can hold names: it lives only while its pages are rendered
        with tempfile.TemporaryDirectory(prefix="ssd-dossier-") as folder:
            written = self.write_to(Path(folder) / "preview.pdf")
            if written:
                self.show_preview(written)

    def _clear_preview(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.preview_labels = []

    def show_preview(self, pdf: Path) -> None:
        self._clear_preview()
        # three pages side by side, as wide as the panel allows
        width = max(260, (self.preview_area.viewport().width() - 40) // PREVIEW_PAGES)
        for image in render_pages(pdf, width=width):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setFixedSize(image.size())
            label.setStyleSheet("border: 1px solid #b9bfca; background: white;")
            self.pages_layout.addWidget(label)
            label.show()  # a child added to a visible widget stays hidden until told
            self.preview_labels.append(label)
        self.pages_layout.activate()
        self.pages_box.resize(self.pages_layout.sizeHint())
