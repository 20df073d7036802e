"""Help → Keyboard shortcuts: every menu action with its keys, read from the menus themselves (so the list is
never out of date), and the keys that work inside the areas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.i18n import N_, _

# Keys that belong to a view rather than to a menu: (where, keys, what), N_-marked; the keys as Qt writes them
# ("Ctrl+Up"), each shown in the words of the language ("Strg+Nach oben").
IN_THE_AREAS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (N_("Actor map"), ("Del",), N_("Delete the selected actors")),
    (N_("Actor map"), ("Ctrl+F",), N_("Search the actors")),
    (N_("Canvas & flows"), ("Ctrl+Up", "Ctrl+Down"), N_("Move a card up or down in its block")),
    (N_("Canvas & flows"), ("Ctrl+Left", "Ctrl+Right"), N_("Move a card to the block beside it")),
    (N_("Charter"), ("Alt+Left", "Alt+Right"), N_("Previous or next step of the wizard")),
    (N_("Training"), ("Left", "Right"), N_("Previous or next slide while presenting")),
    (N_("Any text field"), ("Ctrl+Z",), N_("Undo the typing in that field")),
)


def shown_keys(keys: list[QKeySequence]) -> str:
    texts = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys]
    return " / ".join(dict.fromkeys(text for text in texts if text))  # each once (Redo is Ctrl+Y twice here)


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, keys, action) for every action of the window's menus that has keys."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu) -> None:
        title = menu.title().replace("&", "")
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())  # type: ignore[arg-type]
            elif not action.isSeparator() and action.shortcuts():
                rows.append((title, shown_keys(action.shortcuts()), _plain(action)))

    for action in window.menuBar().actions():
        if action.menu() is not None:
            walk(action.menu())  # type: ignore[arg-type]
    return rows


def _plain(action: QAction) -> str:
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle(_("Keyboard shortcuts"))
        rows = menu_shortcuts(window) + [(_(where), shown_keys([QKeySequence(k) for k in keys]), _(what))
                                         for where, keys, what in IN_THE_AREAS]
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([_("Where"), _("Keys"), _("What it does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 520)
