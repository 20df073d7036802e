"""The Network tab: the view, its toolbar (fit, relayout, size, filters by relation kind, category and stage,
the selected actor's neighbourhood), a search that finds an actor on the map, the legend, export, and the
relations drawn on it with Shift+drag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QStringListModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import Category, RelationKind, Stage
from ssd_starter.i18n import N_, _, format_date, format_number, ngettext
from ssd_starter.store import Store
from ssd_starter.store.layout import load_positions, save_positions
from ssd_starter.store.stakeholders import create_relation, relation_ties
from ssd_starter.ui.map.network_view import NetworkView, legend_html

RunEdit = Callable[..., bool]
SAVE_CHUNK = 1000  # positions stored per turn of the event loop


class _CommunitySignals(QObject):
    done = Signal(object, dict)


class _CommunityJob(QRunnable):
    """Louvain's groups in a pool thread: pure Python, so the window keeps its turns meanwhile."""

    def __init__(self, actors: Sequence[Mapping[str, Any]], relations: Sequence[Mapping[str, Any]]) -> None:
        super().__init__()
        self.signals = _CommunitySignals()
        self._actors, self._relations = list(actors), list(relations)

    def run(self) -> None:
        from ssd_starter.core.communities import actor_communities

        self.signals.done.emit(self, actor_communities(self._actors, self._relations))


def _check_menu(parent: QWidget, values: Sequence[str], on_toggled: Callable[[bool], None]) -> tuple[QMenu, dict]:
    menu = QMenu(parent)
    actions: dict[str, QAction] = {}
    for value in values:
        action = menu.addAction("")
        action.setCheckable(True)
        action.setChecked(True)
        action.toggled.connect(on_toggled)
        actions[value] = action
    return menu, actions


SIDE_WIDTH = 200  # the column beside the map: search, legend, the kind of a relation drawn, export


class NetworkTab(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._district_id: str | None = None
        self._district_name = ""
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
        self.colour_combo = QComboBox()
        self.colour_combo.addItem("", "category")
        self.colour_combo.addItem("", "community")
        self.colour_combo.activated.connect(self._on_colour_changed)
        self._communities: dict[str, int] | None = None  # of the network shown now (None: not found yet)
        self._community_job: _CommunityJob | None = None
        self.kinds_button, self.categories_button, self.stages_button = QToolButton(), QToolButton(), QToolButton()
        self.kinds_menu, self.kind_actions = _check_menu(self, [k.value for k in RelationKind], self._on_kinds_changed)
        self.categories_menu, self.category_actions = _check_menu(self, [c.value for c in Category],
                                                                  self._on_shown_changed)
        self.stages_menu, self.stage_actions = _check_menu(self, [s.value for s in Stage], self._on_shown_changed)
        for button, menu in ((self.kinds_button, self.kinds_menu), (self.categories_button, self.categories_menu),
                             (self.stages_button, self.stages_menu)):
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setMenu(menu)
        self.ego_button = QToolButton()
        self.ego_button.setCheckable(True)
        self.ego_button.setChecked(True)
        self.ego_button.toggled.connect(self.view.set_ego)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self.locate)
        self.search.setCompleter(completer)
        self.search.returnPressed.connect(lambda: self.locate(self.search.text()))
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
        self.legend.setWordWrap(True)
        for side_widget in (self.new_kind_label, self.new_kind_combo, self.search):
            side_widget.setFixedWidth(SIDE_WIDTH)
        self.legend.setStyleSheet("QLabel#legend { background: palette(base); padding: 6px; }")
        # the legend grows with the categories and kinds present: on a 768-pixel screen it scrolls
        self.legend_area = QScrollArea()
        self.legend_area.setWidget(self.legend)
        self.legend_area.setWidgetResizable(True)
        self.legend_area.setFrameShape(QFrame.Shape.NoFrame)
        self.legend_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legend_area.setFixedWidth(SIDE_WIDTH)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for combo in (self.size_combo, self.colour_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.new_kind_label.setWordWrap(True)
        # a tool bar, not a row of buttons: what does not fit (German, a narrow window) goes into its » menu
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for widget in (self.fit_button, self.relayout_button, self.unpin_button, self.size_combo, self.colour_combo,
                       self.kinds_button,
                       self.categories_button, self.stages_button, self.ego_button):
            self.toolbar.addWidget(widget)
        bar = QHBoxLayout()
        bar.addWidget(self.toolbar, 1)
        bar.addWidget(self.status)
        side = QVBoxLayout()
        side.addWidget(self.search)
        side.addWidget(self.legend_area, 1)
        side.addWidget(self.new_kind_label)
        side.addWidget(self.new_kind_combo)
        side.addWidget(self.export_button)
        body = QHBoxLayout()
        body.addWidget(self.view, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(body, 1)
        self.view.layout_started.connect(lambda: self.status.setText(_("Arranging the map…")))
        self.view.layout_finished.connect(self._on_layout_finished)
        self.view.relation_drawn.connect(self._on_relation_drawn)
        self.retranslate()

    def set_network(self, district_id: str | None, records: Sequence[Mapping[str, Any]], *,
                    fit: bool = True, central: Sequence[str] = ()) -> None:
        """The district's actors on the map; ``central``: ids most central first (named first)."""
        # the table's own records, read only: a copy of 5,000 was 6 MB more for as long as the map is shown
        actors = cast("list[dict[str, Any]]", list(records))
        self._district_id = district_id
        if not district_id:
            self.view.set_network([], [], {}, set())
            self._names.setStringList([])
            return
        from ssd_starter.store.districts import get_district

        self._district_name = get_district(self._store, district_id).name
        self._communities, self._community_job = None, None  # another map: its own groups
        positions, pinned = load_positions(self._store, district_id)
        if not fit:  # a refresh after an edit: where the nodes are now is where they stay
            positions.update({a: (n.pos().x(), n.pos().y()) for a, n in self.view.nodes.items()})
        self.view.remember_stored(positions)
        self.view.set_network(actors, relation_ties(self._store, district_id), positions, pinned, fit=fit)
        if central:
            self.view.set_priority(central)
        self._names.setStringList(sorted((a["name"] for a in actors), key=str.casefold))
        if self.colour_combo.currentData() == "community":
            self.view.set_communities(None)
            self._on_colour_changed()
        self._show_legend()

    def set_central(self, ids: Sequence[str]) -> None:
        self.view.set_priority(ids)

    def _show_legend(self) -> None:
        isolated = sum(1 for n in self.view.neighbour_counts() if n == 0)
        self.legend.setText(legend_html(self.view.present_categories(), self.view.present_kinds(), isolated,
                                        self.view.community_sizes()))

    def _on_colour_changed(self, _index: int = 0) -> None:
        """By community: Louvain's groups, found off the window's thread the first time for this map."""
        if self.colour_combo.currentData() != "community":
            self.view.set_communities(None)
            self._show_legend()
            return
        if self._communities is not None:
            self.view.set_communities(self._communities)
            self._show_legend()
            return
        self.status.setText(_("Finding the groups…"))
        job = _CommunityJob(self.view.actors, self.view.relations)
        job.signals.done.connect(self._on_communities_found)
        self._community_job = job
        QThreadPool.globalInstance().start(job)

    def _on_communities_found(self, job: object, communities: dict) -> None:
        if job is not self._community_job:
            return  # the map changed meanwhile: a new search follows if it is still wanted
        self._community_job = None
        self._communities = communities
        self.status.setText("")
        if self.colour_combo.currentData() == "community":
            self.view.set_communities(communities)
            self._show_legend()

    def wait_for_communities(self, timeout_ms: int = 30_000) -> bool:
        """Tests: block until the groups are found and shown."""
        QThreadPool.globalInstance().waitForDone(timeout_ms)
        QCoreApplication.sendPostedEvents()
        return self._community_job is None

    def locate(self, name: str) -> bool:
        """Find an actor by (part of) its name and show it in the middle of the map, selected."""
        needle = name.strip().casefold()
        if not needle:
            return False
        actors = self.view.actors
        match = (next((a for a in actors if a["name"].casefold() == needle), None)
                 or next((a for a in actors if needle in a["name"].casefold()), None))
        if match is None:
            self.status.setText(_("No actor called “{name}” on the map.").format(name=name.strip()))
            return False
        self.status.setText("")
        found = self.view.locate(match["id"])
        if found:
            self.view.actor_clicked.emit(match["id"])
        return found

    def _on_layout_finished(self) -> None:
        self.status.setText("")
        self._show_legend()

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
        """Stored at once for a few actors; a laid-out map of thousands a thousand rows per turn of the event
        loop (5,000 new rows in one transaction held the window for a tenth of a second)."""
        items = list(positions.items())
        if len(items) <= SAVE_CHUNK:
            self._save_now(positions, pinned, unpinned)
            return
        for start in range(0, len(items), SAVE_CHUNK):
            chunk = dict(items[start:start + SAVE_CHUNK])
            QTimer.singleShot(2 * (start // SAVE_CHUNK + 1), lambda chunk=chunk: self._save_now(
                chunk, pinned & chunk.keys(), unpinned & chunk.keys()))

    def _save_now(self, positions: dict, pinned: set, unpinned: set) -> None:
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
        self._show_legend()

    def _on_shown_changed(self, _checked: bool) -> None:
        categories = {c for c, a in self.category_actions.items() if a.isChecked()}
        stages = {s for s, a in self.stage_actions.items() if a.isChecked()}
        self.view.set_shown(None if len(categories) == len(self.category_actions) else categories,
                            None if len(stages) == len(self.stage_actions) else stages)
        self._show_legend()

    def picture_title(self) -> tuple[str, str]:
        """Title and subtitle of an exported picture: the district, what is shown, and when."""
        title = _("Actor map: {district}").format(district=self._district_name) if self._district_name \
            else _("Actor map")
        shown = self.view.shown_count()
        relations = self.view.shown_relation_count()  # as filtered: the picture's own count
        subtitle = _("{actors}, {relations} · {date}").format(
            actors=ngettext("{count} actor", "{count} actors", shown).format(count=format_number(shown)),
            relations=ngettext("{count} relation", "{count} relations", relations).format(
                count=format_number(relations)),
            date=format_date(dt.date.today()))
        return title, subtitle

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
        title, subtitle = self.picture_title()

        def write_picture(tmp: str) -> None:
            if path.suffix.lower() == ".svg":
                self.view.write_svg(tmp, title, subtitle)
            elif not self.view.render_image(title, subtitle).save(tmp):  # the format follows the suffix
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
        self.size_combo.setItemText(0, _("Size by influence"))
        self.size_combo.setItemText(1, _("Size by connections"))
        self.colour_combo.setItemText(0, _("Colour by category"))
        self.colour_combo.setItemText(1, _("Colour by group"))
        self.colour_combo.setAccessibleName(_("Colour of the actors"))
        self.colour_combo.setToolTip(_("Groups: actors more tied among themselves than to the rest (Louvain)"))
        self.kinds_button.setText(_("Relations shown"))
        self.categories_button.setText(_("Categories"))
        self.categories_button.setToolTip(_("Categories of actors shown on the map"))
        self.stages_button.setText(_("Stages"))
        self.stages_button.setToolTip(_("Engagement stages shown on the map"))
        self.ego_button.setText(_("Neighbours"))
        self.ego_button.setToolTip(_("With one actor selected, show its neighbours and dim the rest"))
        for kind, action in self.kind_actions.items():
            action.setText(RelationKind(kind).label)
        for category, action in self.category_actions.items():
            action.setText(Category(category).label)
        for stage, action in self.stage_actions.items():
            action.setText(Stage(stage).label)
        self.legend_area.setAccessibleName(_("Legend"))
        self.search.setPlaceholderText(_("Find an actor…"))
        self.search.setToolTip(_("Find an actor on the map"))
        self.search.setAccessibleName(_("Find an actor on the map"))
        self.new_kind_label.setText(_("Shift+drag from one actor to another draws a relation of this kind:"))
        for row, kind in enumerate(RelationKind):
            self.new_kind_combo.setItemText(row, kind.label)
        self.export_button.setText(_("Export picture…"))
        self.view.setAccessibleName(_("Network of actors"))
        if self.view.actors:
            self._show_legend()
