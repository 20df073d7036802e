"""What every area page bound to the current district shares: it reads the store when first seen (not at
start-up, so the window appears fast), again when the district changes while it is visible, and whenever an
edit touches one of its tables."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ssd_starter.store import ChangeSet, Store


class DistrictPage(QWidget):
    TABLES: frozenset[str] = frozenset()  # the store tables whose changes this page shows

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id: str | None = None
        self._loaded: str | None = None
        store.subscribe(self._on_store_changed)

    def _refresh(self) -> None:
        """Read the district's rows and show them; every page says how."""
        raise NotImplementedError(type(self).__name__)

    def set_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        if self.isVisible():
            self._load()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._load()

    def _load(self) -> None:
        if self._loaded != self._district_id:
            self._loaded = self._district_id
            self._refresh()

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)

    def _on_store_changed(self, changes: ChangeSet) -> None:
        if self._loaded and changes.tables() & self.TABLES:
            self._refresh()
