"""Proposals: the actors and cards a workshop's exercises proposed, waiting for review; the ticked ones join
the map and the canvas when accepted, or are dropped when rejected."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from ssd_starter.core.vocabulary import CanvasBlock, Category
from ssd_starter.i18n import N_, _
from ssd_starter.store import Change, Store
from ssd_starter.store.training import accept_proposals, find_proposal, list_proposals, reject_proposals
from ssd_starter.ui.row_model import Column, Index, RowCacheModel

RunEdit = Callable[..., bool]


class ProposalModel(RowCacheModel):
    """One workshop's pending proposals (actors and cards: two tables, one list), each ticked until the trainer unticks it."""

    COLUMNS = (Column("text", N_("Proposals")),)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._workshop_id: str | None = None
        self._unticked: set[str] = set()  # a new proposal comes ticked

    def bind(self, workshop: dict[str, Any] | None) -> None:
        self._workshop_id = workshop["id"] if workshop else None
        self._unticked.clear()
        self.set_district(workshop["district_id"] if workshop else None)

    @property
    def workshop_id(self) -> str | None:
        return self._workshop_id

    def accepts(self, change: Change) -> bool:
        return change.table in ("stakeholder", "canvas_item") and change.district_id == self._district_id

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_proposals(self._store, self._workshop_id) if self._workshop_id else []

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        return find_proposal(self._store, self._workshop_id, row_id) if self._workshop_id else None

    def display(self, record: dict[str, Any], column: Column) -> str:
        if record["kind"] == "stakeholder":
            return _("Actor") + f": {record['text']} ({Category(record['detail']).label})"
        return _("Card") + f": {record['text']} ({CanvasBlock(record['detail']).label})"

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Unchecked if record["id"] in self._unticked else Qt.CheckState.Checked
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        proposal_id = self.record(index.row())["id"]
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._unticked.discard(proposal_id)
        else:
            self._unticked.add(proposal_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def ticked(self) -> list[dict[str, Any]]:
        return [r for r in self.records() if r["id"] not in self._unticked]


class ProposalsPanel(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run_edit = run_edit
        self.model = ProposalModel(store, self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.accept_button = QPushButton()
        self.reject_button = QPushButton()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.accept_button.clicked.connect(lambda: self.review(accept=True))
        self.reject_button.clicked.connect(lambda: self.review(accept=False))
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._enable_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._enable_buttons()

    def retranslate(self) -> None:
        self.hint.setText(_("Actors and cards proposed in the workshop's exercises. They join the map "
                            "and the canvas only when you accept them."))
        self.accept_button.setText(_("Accept selected"))
        self.reject_button.setText(_("Reject selected"))
        self.list.setAccessibleName(_("Proposals"))
        self.model.retranslate()

    def show_workshop(self, workshop: dict[str, Any] | None) -> None:
        if (workshop or {}).get("id") != self.model.workshop_id:
            self.model.bind(workshop)

    def detach(self) -> None:
        self.model.detach()

    def _enable_buttons(self) -> None:
        has = self.model.rowCount() > 0
        self.accept_button.setEnabled(has)
        self.reject_button.setEnabled(has)

    def review(self, *, accept: bool) -> None:
        chosen = self.model.ticked()
        if not chosen:
            return
        if accept:
            self._run_edit(accept_proposals(chosen), _("Accept proposals"))
        else:
            self._run_edit(reject_proposals(chosen), _("Reject proposals"))
