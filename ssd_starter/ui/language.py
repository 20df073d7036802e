"""Live language switching: one notifier; every widget re-labels itself in ``retranslate()``."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from ssd_starter import i18n


class LanguageNotifier(QObject):
    changed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._qt_translator: QTranslator | None = None

    def set_language(self, language: str) -> str:
        chosen = i18n.set_language(language)
        self._install_qt_translator(chosen)
        QLocale.setDefault(QLocale({"it": "it_IT", "de": "de_DE"}.get(chosen, "en_GB")))
        self.changed.emit(chosen)
        return chosen

    def _install_qt_translator(self, language: str) -> None:
        """Qt's own catalog, so stock dialogs (file chooser, message box buttons) speak the language too."""
        app = QApplication.instance()
        if app is None:
            return
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if language == "en":
            return
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{language}", path):
            app.installTranslator(translator)
            self._qt_translator = translator


_notifier: LanguageNotifier | None = None


def notifier() -> LanguageNotifier:
    global _notifier
    if _notifier is None:
        _notifier = LanguageNotifier()
    return _notifier
