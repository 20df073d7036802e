"""The Network tab: the view, its toolbar (fit, relayout, size, relation kinds, export), a legend, and the
relations drawn on it with Shift+drag."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import Category, RelationKind
from ssd_starter.i18n import N_, _
from ssd_starter.store import Store
from ssd_starter.store.layout import load_positions, save_positions
from ssd_starter.store.stakeholders import create_relation, list_relations
from ssd_starter.ui.map.network_view import NetworkView, legend_html

RunEdit = Callable[..., bool]


class NetworkTab(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._district_id: str | None = None
        self.view = NetworkView(self._save_positions)
        self.fit_button = QPushButton()
        self.fit_button.clicked.connect(self.view.fit)
        self.relayout_button = QPushButton()
        self.relayout_button.clicked.connect(lambda: self.view.start_layout(relayout=True))
        self.unpin_button = QPushButton()
        self.unpin_button.clicked.connect(self.view.unpin_all)
        self.size_combo = QComboBox()
        self.size_combo.addItem("", "influence")
        self.size_combo.addItem("", "degree")
        self.size_combo.activated.connect(self._on_size_changed)
        self.kinds_button = QToolButton()
        self.kinds_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.kinds_menu = QMenu(self)
        self.kind_actions: dict[str, QAction] = {}
        for kind in RelationKind:
            action = self.kinds_menu.addAction("")
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._on_kinds_changed)
            self.kind_actions[kind.value] = action
        self.kinds_button.setMenu(self.kinds_menu)
        self.new_kind_label = QLabel()
        self.new_kind_combo = QComboBox()
        for kind in RelationKind:
            self.new_kind_combo.addItem("", kind.value)
        self.new_kind_combo.setCurrentIndex(self.new_kind_combo.findData("partners_with"))
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export_picture)
        self.status = QLabel()
        self.legend = QLabel()
        self.legend.setObjectName("legend")
        self.legend.setFixedWidth(190)
        self.new_kind_label.setFixedWidth(190)
        self.new_kind_combo.setFixedWidth(190)
        self.legend.setStyleSheet("QLabel#legend { background: palette(base); padding: 6px; }")

        self.new_kind_label.setWordWrap(True)
        bar = QHBoxLayout()
        for widget in (self.fit_button, self.relayout_button, self.unpin_button, self.size_combo, self.kinds_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.status)
        side = QVBoxLayout()
        side.addWidget(self.legend)
        side.addWidget(self.new_kind_label)
        side.addWidget(self.new_kind_combo)
        side.addStretch(1)
        side.addWidget(self.export_button)
        body = QHBoxLayout()
        body.addWidget(self.view, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(body, 1)
        self.view.layout_started.connect(lambda: self.status.setText(_("Arranging the map…")))
        self.view.layout_finished.connect(lambda: self.status.setText(""))
        self.view.relation_drawn.connect(self._on_relation_drawn)
        self.retranslate()

    def set_network(self, district_id: str | None, records: Sequence[Mapping[str, Any]], *,
                    fit: bool = True) -> None:
        actors = [dict(a) for a in records]
        self._district_id = district_id
        if not district_id:
            self.view.set_network([], [], {}, set())
            return
        positions, pinned = load_positions(self._store, district_id)
        if not fit:  # a refresh after an edit: where the nodes are now is where they stay
            positions.update({a: (n.pos().x(), n.pos().y()) for a, n in self.view.nodes.items()})
        self.view.remember_stored(positions)
        self.view.set_network(actors, list_relations(self._store, district_id), positions, pinned, fit=fit)
        present = sorted({a["category"] for a in actors}, key=[c.value for c in Category].index)
        self.legend.setText(legend_html(present))

    def _on_relation_drawn(self, source: str, target: str) -> None:
        if not self._district_id:
            return
        kind = self.new_kind_combo.currentData()
        try:
            edit = create_relation(self._district_id, {"source_id": source, "target_id": target, "kind": kind})
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Add relation"), None)

    def _save_positions(self, positions: dict, pinned: set, unpinned: set) -> None:
        try:
            save_positions(self._store, positions, pinned, unpinned)
        except UserError as exc:
            self._on_error(exc)

    def _on_size_changed(self, _index: int) -> None:
        self.view.size_by = self.size_combo.currentData()
        if self._district_id:
            self.set_network(self._district_id, self.view.actors, fit=False)

    def _on_kinds_changed(self, _checked: bool) -> None:
        self.view.set_hidden_kinds({k for k, a in self.kind_actions.items() if not a.isChecked()})

    def export_picture(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the network picture"),
                                                    str(Path.home() / "network.png"),
                                                    ";;".join((_("PNG image (*.png)"), _("SVG drawing (*.svg)"))))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path | None:
        """Written through a temporary file: user-only like every export, and never half a picture."""
        from ssd_starter.files import write_atomically

        failed = UserError(N_("The picture could not be written to {path}."), path=str(path))

        def write_picture(tmp: str) -> None:
            if path.suffix.lower() == ".svg":
                self.view.write_svg(tmp, _("Actor map"))
            elif not self.view.render_image().save(tmp):  # the format follows the suffix
                raise failed

        try:
            return write_atomically(path, write_picture, suffix=path.suffix)
        except (UserError, OSError):
            self._on_error(failed)
            return None

    def retranslate(self) -> None:
        self.fit_button.setText(_("Fit"))
        self.fit_button.setToolTip(_("Show the whole map"))
        self.relayout_button.setText(_("Rearrange"))
        self.relayout_button.setToolTip(_("Lay the map out again; pinned actors stay where you put them"))
        self.unpin_button.setText(_("Unpin all"))
        self.size_combo.setAccessibleName(_("Size of the actors"))
        self.new_kind_combo.setAccessibleName(_("Kind of a new relation"))
        self.view.setAccessibleName(_("Network of the actors"))
        self.size_combo.setItemText(0, _("Size by influence"))
        self.size_combo.setItemText(1, _("Size by connections"))
        self.kinds_button.setText(_("Relations shown"))
        for kind, action in self.kind_actions.items():
            action.setText(RelationKind(kind).label)
        self.new_kind_label.setText(_("Shift+drag from one actor to another draws a relation of this kind:"))
        for row, kind in enumerate(RelationKind):
            self.new_kind_combo.setItemText(row, kind.label)
        self.export_button.setText(_("Export picture…"))
        self.view.setAccessibleName(_("Network of actors"))
        if self.view.actors:
            present = sorted({a["category"] for a in self.view.actors}, key=[c.value for c in Category].index)
            self.legend.setText(legend_html(present))
