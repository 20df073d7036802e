"""The Actor map area: a filterable table of actors, the power/interest grid, the network and its indicators,
with the selected actor's details beside them.

The page holds the actor model every tab reads; the filters, the bar's actions, the network tab and the detail
pane are classes of their own. The grid, the network and the indicators are built the first time they are looked
at (their modules imported then too: the network's numpy is no part of start-up), and drawn again only when
looked at after a change."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.network import engagement_funnel
from ssd_starter.core.vocabulary import Stage
from ssd_starter.i18n import _, format_number, ngettext
from ssd_starter.settings import Settings
from ssd_starter.store import Change, Store
from ssd_starter.store.analytics import network_cache
from ssd_starter.store.districts import get_district
from ssd_starter.store.stakeholders import list_relations, update_stakeholder
from ssd_starter.ui.district_page import DistrictPage
from ssd_starter.ui.fitting import VerticalScrollArea
from ssd_starter.ui.map.actor_actions import ActorActions
from ssd_starter.ui.map.delegates import ActorDelegate
from ssd_starter.ui.map.detail import ActorDetail
from ssd_starter.ui.map.filter_bar import FilterBar
from ssd_starter.ui.map.table_model import ActorFilterModel, ActorTableModel
from ssd_starter.ui.row_model import IdRole, select_record

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ssd_starter.core.network import NetworkIndicators
    from ssd_starter.core.summary import DistrictSummary
    from ssd_starter.ui.map.grid_view import PowerInterestGrid
    from ssd_starter.ui.map.indicators_panel import IndicatorsPanel
    from ssd_starter.ui.map.network_tab import NetworkTab

RunEdit = Callable[..., bool]
log = logging.getLogger(__name__)

FIGURES_INLINE_UP_TO = 400
"""Actors up to which the indicators tab works out the network figures itself (a few tens of milliseconds);
a larger map's come from a child process (ui/map/figures_process.py) while the tab says they are coming."""

TABS = ("grid", "network", "indicators")  # the tabs built when first looked at, drawn again only when looked at


class _TabNotBuiltYet(QWidget):
    """Holds a tab's place until the tab is first looked at."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class ActorTable(QTableView):
    """The actors' table; empty, it says what to do (an empty grid said nothing)."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        model = self.model()
        if model is None or model.rowCount() > 0:
            return
        source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
        text = (_("No actor matches the filters: clear the search or choose “All” in the filters.")
                if source is not None and source.rowCount() > 0 else
                _("No actors yet. Add the first one with “Add actor…”, or bring in the list you already keep "
                  "with “Import spreadsheet…” (CSV, Excel, Gephi and Kumu files)."))
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(24, 24, -24, -24)
        painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                   | Qt.TextFlag.TextWordWrap), text)
        painter.end()


def actor_table(proxy: ActorFilterModel) -> QTableView:
    table = ActorTable()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setColumnWidth(0, 260)
    table.setItemDelegate(ActorDelegate(table))
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
    return table


class MapPage(DistrictPage):
    TABLES = frozenset({"stakeholder", "relation"})

    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self._run_edit = run_edit
        self._on_error = on_error
        self._stale: set[str] = set(TABS)
        self._figures_job: tuple[str, int, Future[NetworkIndicators]] | None = None  # district, version, result
        self._figures_poll = QTimer(self)
        self._figures_poll.setInterval(50)
        self._figures_poll.timeout.connect(self._on_figures_poll)
        self._fit_network = True

        self.model = ActorTableModel(store, lambda edit, text: run_edit(edit, text, None), self)
        self.proxy = ActorFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.filters = FilterBar(self.proxy)
        self.table = actor_table(self.proxy)
        self.bar = ActorActions(store, self.model, self.selected_ids, run_edit, on_error, settings)
        self._built: dict[str, QWidget] = {}  # the tabs of TABS built so far
        self._not_built = {key: _TabNotBuiltYet(key) for key in TABS}  # the others' places
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        for key in TABS:
            self.tabs.addTab(self._not_built[key], "")
        self.funnel_label = QLabel()
        self.funnel_label.setWordWrap(True)
        self.count_label = QLabel()
        self.detail = ActorDetail(store, self.model, run_edit, on_error)
        self._lay_out()
        self._connect()
        self.retranslate()

    def _lay_out(self) -> None:
        # as wide as the detail's fields need in this language, with or without an actor: never cut on the right
        self.detail_scroll = detail_scroll = VerticalScrollArea()
        detail_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        detail_scroll.setWidget(self.detail)
        bottom = QHBoxLayout()
        bottom.addWidget(self.funnel_label, 1)
        bottom.addWidget(self.count_label)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.title, 0), (self.filters, 0), (self.bar, 0), (self.tabs, 1)):
            left_layout.addWidget(widget, stretch)
        left_layout.addLayout(bottom)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(detail_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- the tabs, built when first wanted ---------------------------------------------------

    @property
    def grid(self) -> PowerInterestGrid:
        return self._tab("grid")  # type: ignore[return-value]

    @property
    def network(self) -> NetworkTab:
        return self._tab("network")  # type: ignore[return-value]

    @property
    def indicators(self) -> IndicatorsPanel:
        return self._tab("indicators")  # type: ignore[return-value]

    def _tab(self, key: str) -> QWidget:
        """The tab ``key``, built now (in its place, the current tab kept) if this is its first use."""
        built = self._built.get(key)
        if built is not None:
            return built
        widget = self._build_tab(key)
        self._built[key] = widget
        placeholder = self._not_built.pop(key)
        index = self.tabs.indexOf(placeholder)
        current, text = self.tabs.currentIndex(), self.tabs.tabText(index)
        blocked = self.tabs.blockSignals(True)  # the same tab stays current: nothing for the page to hear
        self.tabs.insertTab(index, widget, text)
        self.tabs.removeTab(index + 1)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(blocked)
        placeholder.deleteLater()
        self._stale.add(key)  # drawn from the actors when looked at
        return widget

    def _build_tab(self, key: str) -> QWidget:
        if key == "grid":
            from ssd_starter.ui.map.grid_view import PowerInterestGrid

            grid = PowerInterestGrid(self._on_grid_moved)
            grid.setAccessibleName(_("Power / interest grid"))
            return grid
        if key == "network":
            from ssd_starter.ui.map.network_tab import NetworkTab

            network = NetworkTab(self._store, self._run_edit, self._on_error)
            network.view.actor_clicked.connect(self.select_actor)
            return network
        from ssd_starter.ui.map.indicators_panel import IndicatorsPanel

        indicators = IndicatorsPanel()
        indicators.setAccessibleName(_("Indicators"))
        return indicators

    def _on_tab_changed(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        if isinstance(current, _TabNotBuiltYet):
            self._tab(current.key)
        self._refresh_current_tab()

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab_changed)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._shown_rows_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.bar.added.connect(self._on_actor_added)
        self.bar.merged.connect(self.select_actor)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.bar.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Find, self, self.filters.search.setFocus)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.bar.add_actor)

    # -- binding ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.model.set_district(self._district_id)
        self.detail.show_actor(self._district_id, None)
        self._fit_network = True
        self._actors_changed()

    def _on_changes(self, changes: list[Change]) -> None:
        self.detail.refresh(changes)
        if any(c.table == "stakeholder" for c in changes):
            self._actors_changed()
        else:  # relations only: the table, the counts and the grid stay as they are
            self._stale |= {"network", "indicators"}
            self._refresh_current_tab()

    def _actors_changed(self) -> None:
        """Filters, funnel and count now; the grid, the network and the indicators when next looked at."""
        self._stale = set(TABS)
        self._show_counts()
        self._refresh_current_tab()

    def _show_counts(self) -> None:
        actors = self.model.records()
        self.filters.set_municipalities(actors)
        # the engagement funnel alone, on every edit: the summary's comes with the network figures, seconds
        # for a large map (core.summary computes both, used below for the indicators tab)
        funnel = engagement_funnel(actors)
        self.funnel_label.setText(_("Engagement: {stages}").format(
            stages="  →  ".join(f"{Stage(s).label} {format_number(n)}" for s, n in funnel.items())))
        self._update_count()

    def _refresh_current_tab(self, *_args: object) -> None:
        current = self.tabs.currentWidget()
        key = next((k for k, tab in self._built.items() if tab is current), None)
        if key not in self._stale:
            return
        self._stale.discard(key)
        selected = self.selected_ids()
        if key == "grid":
            self.grid.set_actors(self.model.records())
            self.grid.select(selected[0] if selected else None)  # drawn anew: the chosen actor stays marked
        elif key == "network":
            central = self._central_ids()
            self.network.set_network(self._district_id, self.model.records(), fit=self._fit_network, central=central)
            self._fit_network = False
            self._sync_network_filter()
            if len(selected) == 1:
                self.network.view.select(selected[0])
        else:
            self._show_indicators()

    def _show_indicators(self) -> None:
        records = self.model.records()
        if (not self._district_id or len(records) <= FIGURES_INLINE_UP_TO
                or network_cache(self._store).peek(self._district_id) is not None):
            self.indicators.show_summary(self.summary(), {a["id"]: a["name"] for a in records})
            return
        self.indicators.show_working()
        self._request_figures()

    def _central_ids(self) -> list[str]:
        """The actors most central first, for the network to name first: from the cache, worked out here for a
        small map, asked of the child for a large one (the names follow when its figures arrive)."""
        records = self.model.records()
        if not self._district_id or not records:
            return []
        known = network_cache(self._store).peek(self._district_id)
        if known is None and len(records) <= FIGURES_INLINE_UP_TO:
            known = self._figures_here(self._district_id)
        if known is None:
            self._request_figures()
            return []
        return [score.id for score in known.scores]

    def _figures_here(self, district: str) -> NetworkIndicators:
        """The figures from the cache, else worked out in the window (the relations read only then)."""
        cache = network_cache(self._store)
        return cache.peek(district) or cache.figures(district, self.model.records(), list_relations(self._store, district))

    def _request_figures(self) -> None:
        """The district's figures from the child process, unless already asked for at this version."""
        assert self._district_id is not None
        version = network_cache(self._store).version(self._district_id)
        job = self._figures_job
        if job is None or job[:2] != (self._district_id, version):
            from ssd_starter.ui.map import figures_process

            self._figures_job = (self._district_id, version, figures_process.submit(self._store.path, self._district_id))
        self._figures_poll.start()

    def _on_figures_poll(self) -> None:
        job = self._figures_job
        if job is None or not job[2].done():
            return
        self._figures_poll.stop()
        self._figures_job = None
        district, version, future = job
        try:
            figures = future.result()
        except Exception:  # noqa: BLE001 - the child failed (killed, file gone): work them out here instead
            log.exception("the network figures' process failed; worked out in the window instead")
            from ssd_starter.ui.map import figures_process

            figures_process.shutdown()  # a broken pool takes no more work: the next figures get a new child
            figures = None
        kept = figures is not None and network_cache(self._store).put(district, figures, version)
        if figures is not None and kept and district == self._district_id and "network" in self._built:
            self.network.view.set_priority([score.id for score in figures.scores])  # named most central first
        if district == self._district_id and self.tabs.currentWidget() is self._built.get("indicators"):
            if figures is None or network_cache(self._store).peek(district) is not None:
                self.indicators.show_summary(self.summary(), {a["id"]: a["name"] for a in self.model.records()})
            else:  # the map changed meanwhile: its figures anew
                self._show_indicators()

    def summary(self) -> DistrictSummary | None:
        """The district summary with its network figures, as the dossier and the Centre show it."""
        from ssd_starter.core.summary import district_summary  # for the indicators tab: not at start-up
        from ssd_starter.store.flows import list_flows

        if not self._district_id:
            return None
        district = self._district_id
        records = self.model.records()
        summary = district_summary(records, list_flows(self._store, district), get_district(self._store, district).targets)
        # the network figures from the store's cache: worked out again only after the map changed
        return replace(summary, network=self._figures_here(district), funnel=engagement_funnel(records))

    def detach(self) -> None:
        super().detach()
        self.model.detach()
        self.detail.detach()
        if "network" in self._built:
            self.network.view.stop_layout()  # a half-done layout is not kept: the next opening starts anew
        self._figures_poll.stop()
        self._figures_job = None

    def retranslate(self) -> None:
        self.title.setText(_("Actor map"))
        self.filters.retranslate()
        self.bar.retranslate()
        if "grid" in self._built:
            self.grid.setAccessibleName(_("Power / interest grid"))
        if "indicators" in self._built:
            self.indicators.setAccessibleName(_("Indicators"))
        for index, text in enumerate((_("Table"), _("Power / interest"), _("Network"), _("Indicators"))):
            self.tabs.setTabText(index, text)
        if "network" in self._built:
            self.network.retranslate()
        self.table.setAccessibleName(_("Actors"))
        self.model.retranslate()
        self.detail.retranslate()
        self._show_counts()
        self._stale |= {"grid", "indicators"}  # their words are drawn in; the network's names are not
        self._refresh_current_tab()

    # -- selection --------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(IdRole) for index in sorted(rows, key=lambda i: i.row())]

    def select_actor(self, actor_id: str) -> None:
        if self.model.row_by_id(actor_id) < 0:
            return
        select_record(self.table, actor_id)
        self.detail.show_actor(self._district_id, actor_id)
        if "grid" in self._built:
            self.grid.select(actor_id)
        if "network" in self._built:
            self.network.view.select(actor_id)

    def _on_selection_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        self.detail.show_actor(self._district_id, ids[0] if len(ids) == 1 else None)
        if "grid" in self._built:
            self.grid.select(ids[0] if ids else None)
        self.bar.selection_changed(len(ids))

    def _on_actor_added(self, actor_id: str) -> None:
        self.filters.search.clear()
        self.select_actor(actor_id)
        self.detail.name_edit.setFocus()

    # -- what the tabs report ---------------------------------------------------------------

    def _shown_rows_changed(self, *_args: object) -> None:
        self._update_count()
        self._sync_network_filter()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(ngettext("{shown} of {total} actor", "{shown} of {total} actors", total).format(shown=format_number(shown),
                                                                      total=format_number(total)))

    def _sync_network_filter(self) -> None:
        if "network" not in self._built:
            return  # told when it is built and shown
        if self.proxy.rowCount() == self.model.rowCount():
            self.network.view.set_visible_actors(None)
            return
        visible = {self.proxy.index(r, 0).data(IdRole) for r in range(self.proxy.rowCount())}
        self.network.view.set_visible_actors(visible)

    def _on_grid_moved(self, actor_id: str, influence: int, interest: int) -> None:
        record = self.model.record(self.model.row_by_id(actor_id))
        if (record["influence"], record["interest"]) == (influence, interest):
            self.grid.set_actors(self.model.records())  # snap back into its cell
            return
        self._run_edit(update_stakeholder(actor_id, influence=influence, interest=interest),
                       _("Move {name} on the grid").format(name=record["name"]))
