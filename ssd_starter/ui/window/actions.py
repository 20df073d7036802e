"""The window's actions with their shortcuts, and the menus that hold them. Our own undo and redo actions
rather than ``QUndoGroup.createUndoAction``: their texts come from our catalogs."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language
from ssd_starter.ui.undo import typing_buffer
from ssd_starter.ui.window.areas import AREAS


class Slots(Protocol):
    """What the actions trigger in the window."""

    def new_district(self) -> None: ...
    def duplicate_current(self) -> None: ...
    def delete_current(self) -> None: ...
    def focus_rename(self) -> None: ...
    def open_demo(self) -> None: ...
    def backup_now(self) -> None: ...
    def show_about(self) -> None: ...
    def show_help(self) -> None: ...
    def start_tour(self) -> None: ...
    def show_shortcuts(self) -> None: ...
    def show_settings(self) -> None: ...
    def set_language(self, language: str) -> None: ...
    def show_area(self, key: str) -> None: ...
    def set_presenting(self, on: bool) -> None: ...


def _action(window: QMainWindow, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            *, enabled: bool = True, checkable: bool = False) -> QAction:
    action = QAction(window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setEnabled(enabled)
    action.setCheckable(checkable)
    return action


class _UndoAfterTyping(QObject):
    """What was just typed waits a moment before it is saved (ui/undo.py): Undo is offered meanwhile, and
    saves it first so that it is what Undo takes back. A QObject of the window's, so that the typing buffer's
    signal lets go of it with the window."""

    def __init__(self, action: QAction, undo_group: QUndoGroup, parent: QObject) -> None:
        super().__init__(parent)
        self._action, self._group = action, undo_group
        typing_buffer().pending_changed.connect(self.update)

    def update(self, pending: bool) -> None:
        self._action.setEnabled(pending or self._group.canUndo())

    def undo(self) -> None:
        typing_buffer().flush()
        self._group.undo()


class WindowActions:
    """Every action of the window; the window also holds them (shortcuts work while the menu bar is hidden)."""

    def __init__(self, window: QMainWindow, slots: Slots, undo_group: QUndoGroup) -> None:
        self.undo = _action(window, QKeySequence.StandardKey.Undo, enabled=False)
        self._undo_after_typing = _UndoAfterTyping(self.undo, undo_group, window)
        self.undo.triggered.connect(self._undo_after_typing.undo)
        undo_group.canUndoChanged.connect(self.undo.setEnabled)
        self.redo = _action(window, enabled=False)
        self.redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        self.redo.triggered.connect(undo_group.redo)
        undo_group.canRedoChanged.connect(self.redo.setEnabled)
        self.new = _action(window, QKeySequence.StandardKey.New)
        self.new.triggered.connect(slots.new_district)
        self.duplicate = _action(window, "Ctrl+D")
        self.duplicate.triggered.connect(slots.duplicate_current)
        self.delete = _action(window, "Ctrl+Shift+Del")
        self.delete.triggered.connect(slots.delete_current)
        self.rename = _action(window, "F2")
        self.rename.triggered.connect(slots.focus_rename)
        self.demo = _action(window)
        self.demo.triggered.connect(slots.open_demo)
        self.backup = _action(window)
        self.backup.triggered.connect(slots.backup_now)
        self.quit = _action(window, QKeySequence.StandardKey.Quit)
        self.quit.triggered.connect(window.close)
        self.about = _action(window)
        self.about.triggered.connect(slots.show_about)
        self.help = _action(window, QKeySequence.StandardKey.HelpContents)
        self.help.triggered.connect(slots.show_help)
        self.tour = _action(window)
        self.tour.triggered.connect(slots.start_tour)
        self.shortcuts = _action(window, "Ctrl+/")
        self.shortcuts.triggered.connect(slots.show_shortcuts)
        self.settings = _action(window, "Ctrl+,")
        self.settings.triggered.connect(slots.show_settings)
        self.present = _action(window, "F11", checkable=True)
        self.present.toggled.connect(slots.set_presenting)
        self.languages = QActionGroup(window)
        for code in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[code], window, checkable=True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: slots.set_language(c))
            self.languages.addAction(action)
        self.areas: list[QAction] = []
        for number, area in enumerate(AREAS, start=1):
            action = _action(window, f"Ctrl+{number}")
            action.triggered.connect(lambda _checked=False, k=area.key: slots.show_area(k))
            self.areas.append(action)
        for action in (self.help, self.settings, self.new, self.duplicate, self.delete, self.rename, self.quit,
                       self.undo, self.redo, self.present, self.shortcuts, *self.areas):
            window.addAction(action)

    def set_district_actions_enabled(self, enabled: bool) -> None:
        """What acts on the current district needs one."""
        for action in (self.duplicate, self.delete, self.rename):
            action.setEnabled(enabled)

    def retranslate(self) -> None:
        self.present.setText(_("&Presentation mode"))
        self.present.setToolTip(_("Full screen with only the current page, for a projector (F11)"))
        self.undo.setText(_("&Undo"))
        self.redo.setText(_("&Redo"))
        self.new.setText(_("&New district…"))
        self.duplicate.setText(_("D&uplicate district"))
        self.delete.setText(_("&Delete district…"))
        self.rename.setText(_("Re&name district"))
        self.demo.setText(_("Open the de&mo district"))
        self.backup.setText(_("&Back up now"))
        self.quit.setText(_("&Quit"))
        self.about.setText(_("&About SSD Starter"))
        self.help.setText(_("Help for this &area"))
        self.tour.setText(_("Guided &tour"))
        self.shortcuts.setText(_("&Keyboard shortcuts"))
        self.settings.setText(_("&Settings…"))
        for action, area in zip(self.areas, AREAS, strict=True):
            action.setText(_(area.title).replace("&", "&&"))  # a literal &, not a mnemonic
        for action in self.languages.actions():
            action.setChecked(action.data() == current_language())

    def update_undo_texts(self, undo_group: QUndoGroup) -> None:
        stack = undo_group.activeStack()
        self.undo.setToolTip(_("Undo: {action}").format(action=stack.undoText()) if stack and stack.canUndo()
                             else _("Nothing to undo"))
        self.redo.setToolTip(_("Redo: {action}").format(action=stack.redoText()) if stack and stack.canRedo()
                             else _("Nothing to redo"))


class WindowMenus:
    def __init__(self, window: QMainWindow, actions: WindowActions) -> None:
        bar = window.menuBar()
        self.file = bar.addMenu("")
        _fill(self.file, actions.new, actions.duplicate, actions.delete, None, actions.demo, actions.backup, None,
              actions.quit)
        self.edit = bar.addMenu("")
        _fill(self.edit, actions.undo, actions.redo, None, actions.rename, None, actions.settings)
        self.view = bar.addMenu("")
        _fill(self.view, *actions.areas, None, actions.present)
        self.language = self.view.addMenu("")
        _fill(self.language, *actions.languages.actions())
        self.help = bar.addMenu("")
        _fill(self.help, actions.help, actions.tour, actions.shortcuts, None, actions.about)

    def retranslate(self) -> None:
        self.file.setTitle(_("&File"))
        self.edit.setTitle(_("&Edit"))
        self.view.setTitle(_("&View"))
        self.help.setTitle(_("&Help"))
        self.language.setTitle(_("&Language"))


def _fill(menu: QMenu, *actions: QAction | None) -> None:
    """The actions in order, None for a separator."""
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
