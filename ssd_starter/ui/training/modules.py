"""The training modules as Qt models: the library list (each pack's heading, then its modules) and the
checklist of modules a workshop plans. Modules come from the installed packs, not from district rows, so
these models never bind to a district: they read the library when told to (at start and after an import)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt

from ssd_starter.core.errors import UserError
from ssd_starter.core.training import Module, Pack
from ssd_starter.i18n import N_, _, current_language
from ssd_starter.store import Store
from ssd_starter.store.training import library
from ssd_starter.ui.row_model import Column, Index, RowCacheModel

KIND_LABELS = {"single_choice": N_("Single choice"), "multiple_choice": N_("Multiple choice"),
               "short_text": N_("Short text"), "add_actors": N_("Add actors to the map"),
               "add_cards": N_("Add cards to the canvas")}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind])


class ModuleListModel(RowCacheModel):
    """Every pack of the library as a bold heading (not selectable) followed by its modules.

    A row's id is ``pack id/module id``: two packs may carry a module with the same id, and both are shown."""

    COLUMNS = (Column("title", N_("Modules")),)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self.packs: list[Pack] = []
        self.error: UserError | None = None  # why the library could not be read, said where it is shown

    def reload(self) -> None:
        """Read the library again: it lives in files, so no change-set tells when it changes."""
        try:
            self.packs, self.error = library(), None
        except UserError as exc:
            self.packs, self.error = [], exc
        self.beginResetModel()
        self._rows = self.fetch_all("")
        self._reindex()
        self.endResetModel()

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for pack in self.packs:
            rows.append({"id": pack.id, "pack": pack, "module": None})
            rows += [{"id": f"{pack.id}/{m.id}", "pack": pack, "module": m} for m in pack.modules]
        return rows

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        return None  # never asked: no change-set names this model's table

    def display(self, record: dict[str, Any], column: Column) -> str:
        language = current_language()
        module: Module | None = record["module"]
        if module is None:
            return f"{record['pack'].title[language]} · {record['pack'].version}"
        return _("{title} ({minutes} min)").format(title=module.title[language], minutes=module.duration_minutes)

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and record["module"] is None:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and self.record(index.row())["module"] is None:
            return Qt.ItemFlag.NoItemFlags  # a pack's heading
        return super().flags(index)

    def first_module_row(self) -> int:
        return next((n for n, r in enumerate(self.records()) if r["module"] is not None), -1)

    def modules(self) -> dict[str, Module]:
        """Module id → module over the library, a later pack's module with the same id winning."""
        return {m.id: m for pack in self.packs for m in pack.modules}

    def images(self) -> dict[str, dict[str, bytes]]:
        """Pack id → its pictures: two packs may both have an images/map.png."""
        return {pack.id: dict(pack.images) for pack in self.packs}


class ModuleChecklistModel(RowCacheModel):
    """The library's modules, ticked when the workshop plans them; a tick goes back through ``on_choose``
    (the store edit), and the ticks shown follow the workshop row, not the click."""

    COLUMNS = (Column("title", N_("Modules")),)

    def __init__(self, store: Store, library_model: ModuleListModel, on_choose: Callable[[list[str]], None],
                 parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._library = library_model
        self._on_choose = on_choose
        self._chosen: list[str] = []
        library_model.modelReset.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = self.fetch_all("")
        self._reindex()
        self.endResetModel()

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return [{"id": module_id, "module": module} for module_id, module in self._library.modules().items()]

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        return None  # never asked: no change-set names this model's table

    def display(self, record: dict[str, Any], column: Column) -> str:
        return record["module"].title[current_language()]

    def set_chosen(self, module_ids: Sequence[str]) -> None:
        """The workshop's modules: only the rows whose tick changed repaint."""
        before, self._chosen = set(self._chosen), list(module_ids)
        for module_id in before.symmetric_difference(self._chosen):
            row = self.row_by_id(module_id)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, 0), [Qt.ItemDataRole.CheckStateRole])

    def chosen(self) -> list[str]:
        return list(self._chosen)

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if record["id"] in self._chosen else Qt.CheckState.Unchecked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        module_id = self.record(index.row())["id"]
        ticked = Qt.CheckState(value) == Qt.CheckState.Checked
        # the order of the library, as the plan lists them
        wanted = [row["id"] for row in self.records()
                  if (row["id"] == module_id and ticked) or (row["id"] != module_id and row["id"] in self._chosen)]
        wanted += [m for m in self._chosen if m not in self._row_of]  # modules of a pack no longer installed
        self._on_choose(wanted)
        return True


def module_html(module: Module) -> str:
    """The module's description for the library: summary, duration, objectives, slides and exercises."""
    language = current_language()
    duration, objectives, slides, exercises = _("Duration"), _("Objectives"), _("Slides"), _("Exercises")
    minutes = _("{minutes} min").format(minutes=module.duration_minutes)
    parts = [f"<h2>{escape(module.title[language])}</h2>", f"<p>{escape(module.summary[language])}</p>",
             f"<p><b>{escape(duration)}:</b> {escape(minutes)}</p>",
             f"<h3>{escape(objectives)}</h3><ul>"
             + "".join(f"<li>{escape(o)}</li>" for o in module.objectives[language]) + "</ul>",
             f"<h3>{escape(slides)}</h3><ol>"
             + "".join(f"<li>{escape(s.title)}</li>" for s in module.slides[language]) + "</ol>",
             f"<h3>{escape(exercises)}</h3><ul>"
             + "".join(f"<li><i>{escape(kind_label(e.kind))}</i> — {escape(e.text(language))}</li>"
                       for e in module.exercises) + "</ul>"]
    return "".join(parts)
