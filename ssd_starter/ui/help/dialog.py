"""The help window (F1): the list of areas on the left, the chosen area's page beside it, opened on the area in
view. It stays open beside the window while the steps are tried, and follows a change of language."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.i18n import _
from ssd_starter.ui.help.pages import GOOD_TO_KNOW, ON_THIS_PAGE, PAGES, HelpPage
from ssd_starter.ui.language import notifier
from ssd_starter.ui.window.areas import AREAS

DEFAULT_AREA = "districts"


def help_html(area: str) -> str:
    """The area's page: its title, what it is for, a list of its tasks (links), each task's numbered steps, and
    what is good to know."""
    page: HelpPage = PAGES.get(area) or PAGES[DEFAULT_AREA]
    title = next(_(a.title) for a in AREAS if a.key == page.area)
    parts = [f"<h2>{escape(title)}</h2>", *(f"<p>{text.html()}</p>" for text in page.intro)]
    parts.append(f"<p><b>{escape(_(ON_THIS_PAGE))}</b></p><ul>" + "".join(
        f"<li><a href='#task-{n}'>{task.title.html()}</a></li>" for n, task in enumerate(page.tasks, start=1))
        + (f"<li><a href='#notes'>{escape(_(GOOD_TO_KNOW))}</a></li>" if page.notes else "") + "</ul>")
    for n, task in enumerate(page.tasks, start=1):
        parts.append(f"<h3><a name='task-{n}'></a>{task.title.html()}</h3><ol>"
                     + "".join(f"<li>{step.html()}</li>" for step in task.steps) + "</ol>")
    if page.notes:
        parts.append(f"<h3><a name='notes'></a>{escape(_(GOOD_TO_KNOW))}</h3><ul>"
                     + "".join(f"<li>{note.html()}</li>" for note in page.notes) + "</ul>")
    return "".join(parts)


class HelpDialog(QDialog):
    def __init__(self, area: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area = area if area in PAGES else DEFAULT_AREA
        self.areas = QListWidget()
        self.areas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for key in PAGES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.areas.addItem(item)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(True)  # the task list's links lead to the tasks on the page
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.areas)
        body.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.areas.currentRowChanged.connect(self._on_area_chosen)
        notifier().changed.connect(self.retranslate)
        self.retranslate()
        self.show_area(self.area)
        self.resize(self._good_size(parent))

    def _good_size(self, parent: QWidget | None) -> QSize:
        """Wide enough for a step to read as a line or two, never larger than the window or the screen it opens
        on (whichever is larger: a window may reach past a small screen)."""
        wanted = QSize(self.fontMetrics().averageCharWidth() * 150, self.fontMetrics().height() * 42)
        room = (parent.screen() if parent is not None else self.screen()).availableGeometry().size()
        if parent is not None:
            room = room.expandedTo(parent.window().size())
        return wanted.boundedTo(QSize(int(room.width() * 0.9), int(room.height() * 0.85)))

    def show_area(self, area: str) -> None:
        self.area = area if area in PAGES else DEFAULT_AREA
        row = list(PAGES).index(self.area)
        if self.areas.currentRow() != row:
            self.areas.setCurrentRow(row)  # shows it (_on_area_chosen)
        else:
            self.browser.setHtml(help_html(self.area))

    def retranslate(self, _language: str | None = None) -> None:
        self.setWindowTitle(_("Help"))
        self.browser.setAccessibleName(_("Help"))
        self.areas.setAccessibleName(_("Areas"))
        titles = {a.key: _(a.title) for a in AREAS}
        for row, key in enumerate(PAGES):
            self.areas.item(row).setText(titles[key])
        self.areas.setFixedWidth(self.areas.sizeHintForColumn(0) + 2 * self.areas.frameWidth() + 16)
        self.browser.setHtml(help_html(self.area))

    def _on_area_chosen(self, row: int) -> None:
        if row >= 0:
            self.area = self.areas.item(row).data(Qt.ItemDataRole.UserRole)
            self.browser.setHtml(help_html(self.area))


def open_help(window: QWidget, area: str) -> HelpDialog:
    """F1: the window's help, opened on ``area`` (the one already open is brought forward, not doubled)."""
    dialog = window.findChild(HelpDialog)
    if dialog is None:
        dialog = HelpDialog(area, window)
    else:
        dialog.show_area(area)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
