"""The selected actor's own local multiplier (NEF's LM3 of one organisation), shown in its record.

Worked out for every actor of the district in one pass over its flows and kept until a flow changes (an
actor's name or stage does not move it; deleting an actor moves or deletes its flows): choosing another actor
reads nothing from the store, and while the map is hidden a change only forgets the figures.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from ssd_starter.core.indicators import ActorMultiplier, actor_multipliers
from ssd_starter.i18n import _, format_currency, format_number, format_percent
from ssd_starter.store import Store
from ssd_starter.store.database import ChangeSet

WATCHED = frozenset({"flow"})
FIGURE_HTML = "<b>{title}: {value}</b><br><span style='color:#555'>{detail}</span>"
MISSING_HTML = "<b>{title}:</b> — <span style='color:#555'>{why}</span>"


class ActorMultiplierLabel(QLabel):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id: str | None = None
        self._actor_id: str | None = None
        self._figures: dict[str, ActorMultiplier] | None = None
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        store.subscribe(self._on_changes)

    def detach(self) -> None:
        self._store.unsubscribe(self._on_changes)

    def show_actor(self, district_id: str | None, actor_id: str | None) -> None:
        if district_id != self._district_id:
            self._figures = None
        self._district_id, self._actor_id = district_id, actor_id
        self.retranslate()

    def _on_changes(self, changes: ChangeSet) -> None:
        if self._figures is not None and changes.tables() & WATCHED:
            self._figures = None
            if self.isVisible():
                self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._figures is None and self._actor_id is not None:
            self.retranslate()

    def figure(self) -> ActorMultiplier | None:
        if self._district_id is None or self._actor_id is None:
            return None
        if self._figures is None:
            from ssd_starter.core.summary import active_actors
            from ssd_starter.store.flows import list_flows
            from ssd_starter.store.stakeholders import list_stakeholders

            actors = active_actors(list_stakeholders(self._store, self._district_id))
            self._figures = actor_multipliers(actors, list_flows(self._store, self._district_id))
        return self._figures.get(self._actor_id)

    def retranslate(self) -> None:
        figure = self.figure()
        self.setVisible(figure is not None)
        if figure is None:
            return
        title = _("Local multiplier (LM3) of this actor")
        self.setToolTip(_("NEF's LM3 of one organisation: R1 is all its income (loans and investments left out), R2 "
                          "the part of it spent inside in proportion to its recorded spending, R3 what those it "
                          "pays inside spend inside again."))
        if figure.value is None:
            why = (_("no income recorded: record what it is paid to see it") if figure.missing == "income" else
                   _("its spending is not recorded: record it to see how much of its income stays local"))
            self.setText(MISSING_HTML.format(title=escape(title), why=escape(why)))
            return
        detail = _("Income {income}; recorded spending {spent}, {share} of it inside the district.").format(
            income=format_currency(figure.r1, whole=True), spent=format_currency(figure.spent, whole=True),
            share=format_percent(figure.share_inside or 0.0))
        self.setText(FIGURE_HTML.format(title=escape(title), value=escape(format_number(round(figure.value, 2))),
                                        detail=escape(detail)))
