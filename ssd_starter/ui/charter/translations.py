"""Translations of the charter's sections: the original on the left, the translation on the right,
saved as it is typed. The working language's text stays the reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.charter import STEPS, TRANSLATABLE, section_text
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _
from ssd_starter.store import Store
from ssd_starter.store.charter import get_charter, update_translation


class TranslationsDialog(QDialog):
    def __init__(self, parent: QWidget, store: Store, district_id: str, run_edit: Callable[..., bool],
                 on_error: Callable[[UserError], None]) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id = district_id
        self._run_edit = run_edit
        self._on_error = on_error
        charter = self._charter()
        self.setWindowTitle(_("Translations of the charter"))
        self.resize(1000, 700)
        self.language = QComboBox()
        for code in LANGUAGES:
            if code != charter["language"]:
                self.language.addItem(LANGUAGE_NAMES[code], code)
        intro = QLabel(_("The charter is written in {language}. Translate each section; untranslated sections are "
                         "shown in the original language.").format(language=LANGUAGE_NAMES[charter["language"]]))
        intro.setWordWrap(True)
        grid_holder = QWidget()
        self.grid = QGridLayout(grid_holder)
        self.editors: dict[str, QPlainTextEdit] = {}
        self.originals: dict[str, QLabel] = {}
        labels = dict(STEPS)
        for row, step in enumerate(TRANSLATABLE):
            title = QLabel(f"<b>{_(labels[step])}</b>")
            original = QLabel()
            original.setWordWrap(True)
            editor = QPlainTextEdit()
            editor.setMinimumHeight(90)
            editor.setTabChangesFocus(True)
            editor.textChanged.connect(lambda s=step, e=editor: self._on_typed(s, e))
            self.grid.addWidget(title, row * 2, 0, 1, 2)
            self.grid.addWidget(original, row * 2 + 1, 0)
            self.grid.addWidget(editor, row * 2 + 1, 1)
            self.editors[step], self.originals[step] = editor, original
        scroll = QScrollArea()
        scroll.setWidget(grid_holder)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.language)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.language.currentIndexChanged.connect(self._load)
        self._load()

    def _charter(self) -> dict[str, Any]:
        charter = get_charter(self._store, self._district_id)
        assert charter is not None
        return charter

    def _load(self, *_args) -> None:
        charter = self._charter()
        translated = (charter["translations"] or {}).get(self.language.currentData(), {})
        for step in TRANSLATABLE:
            self.originals[step].setText(section_text(charter["content"], step))
            editor = self.editors[step]
            editor.blockSignals(True)
            editor.setPlainText(translated.get(step, ""))
            editor.blockSignals(False)

    def _on_typed(self, step: str, editor: QPlainTextEdit) -> None:
        language = self.language.currentData()
        try:
            edit = update_translation(self._charter(), language, step, editor.toPlainText())
        except (UserError, ValueError) as exc:
            if isinstance(exc, UserError):
                self._on_error(exc)
            return
        self._run_edit(edit, _("Translate the charter"), f"charter-translation:{language}:{step}")
