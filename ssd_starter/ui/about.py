"""About: version, licence, and the licences of what SSD Starter is built with."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ssd_starter import APP_NAME, __version__
from ssd_starter.i18n import _

THIRD_PARTY = (
    ("Qt / PySide6", "LGPL-3.0"),
    ("SQLAlchemy", "MIT"),
    ("SQLModel", "MIT"),
    ("Pydantic", "MIT"),
    ("Alembic", "MIT"),
    ("ReportLab", "BSD-3-Clause"),
    ("Babel", "BSD-3-Clause"),
    ("platformdirs", "MIT"),
)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About {app}").format(app=APP_NAME))
        product_and_version = f"<h2>{APP_NAME} {__version__}</h2>"  # names, nothing to translate
        heading = QLabel(product_and_version)
        heading.setTextFormat(Qt.TextFormat.RichText)
        text = QTextBrowser()
        text.setOpenExternalLinks(False)
        rows = "".join(f"<tr><td>{name}</td><td>{licence}</td></tr>" for name, licence in THIRD_PARTY)
        text.setHtml(
            "<p>" + _("A toolkit for people who start a Social and Solidarity Economy District "
                      "(Provincial Law of Trento 13/2010): actor map, founding charter, "
                      "resource flows, training and reporting, offline.") + "</p>"
            + "<p>" + _("Licence: GNU General Public License, version 3 or later.") + "</p>"
            + "<h4>" + _("Built with") + "</h4><table cellpadding='3'>" + rows + "</table>"
            + "<h4>" + _("Data") + "</h4><p>"
            + _("List of the municipalities of Trentino: ISTAT, licensed under CC BY 4.0.") + "</p>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(520, 420)
