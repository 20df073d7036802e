"""What every area page bound to the current district shares, and the only way a page binds to it: it reads
the store when first seen (not at start-up, so the window appears fast), again when the district changes
while it is visible, and hears of edits to its own tables *in its district* only. Lists and tables of
records inside a page are ``RowCacheModel``s that refresh themselves row by row; ``_on_changes`` is for
the rest of the page (summaries, counts) and reloads it by default."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ssd_starter.store import Change, ChangeSet, Store


class DistrictPage(QWidget):
    TABLES: frozenset[str] = frozenset()  # the store tables whose changes this page shows

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id: str | None = None
        self._loaded: str | None = None
        # Heard from the first load on, not from here: the models a page makes in its constructor subscribe
        # first, so by the time ``_on_changes`` runs they already hold the change-set's rows.
        self._listening = False

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
        if not self._listening:
            self._store.subscribe(self._on_store_changed)
            self._listening = True
        if self._loaded != self._district_id:
            self._loaded = self._district_id
            self._refresh()

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)
        self._listening = False

    @property
    def district_id(self) -> str | None:
        return self._district_id

    def _on_store_changed(self, changes: ChangeSet) -> None:
        if not self._loaded:
            return
        mine = [c for c in changes.changes if c.table in self.TABLES and self._concerns(c)]
        if mine:
            self._on_changes(mine)

    def _concerns(self, change: Change) -> bool:
        """Rows of this district (the district row's own change carries its id) and rows of no district."""
        return change.district_id in (self._loaded, None)

    def _on_changes(self, changes: list[Change]) -> None:
        """Edits to this page's tables in its district: read the page again unless the page knows better."""
        self._refresh()
