"""A district's summary: network figures, the engagement funnel and the flow indicators against their targets,
with a what-if scenario beside them if one is chosen.

The one place that assembles it. The CLI prints it, the dossier lays it out, the canvas shows it and the
Centre compares districts by it, so all of them show the same numbers for the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ssd_starter.core.indicators import (
    INDICATORS,
    FlowIndicators,
    IndicatorInfo,
    Target,
    compute_indicators,
    status,
    statuses,
    targets_from,
    targets_to_json,
)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator as a reader sees it: its value, its target and whether the target is met."""

    info: IndicatorInfo
    value: float | None
    target: Target
    status: str  # green, amber, red or none
    scenario_value: float | None = None


@dataclass(frozen=True)
class ScenarioFigures:
    id: str
    name: str
    flows: FlowIndicators


@dataclass(frozen=True)
class Snapshot:
    """The district's indicator values on one day (a stored ``indicator_snapshot`` row, as plain data)."""

    on: dt.date
    kind: str  # yearly | manual
    values: Mapping[str, float | None]


HISTORY_SENT = 20  # snapshots a summary carries (the newest): years of yearly ones, with room for a few more


def snapshots_of(rows: Sequence[Mapping[str, Any]]) -> tuple[Snapshot, ...]:
    """Stored rows (or synced ones, dates as text) as snapshots, oldest first; unreadable ones are skipped."""
    found = []
    for row in rows:
        on = row.get("taken_on")
        try:
            day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on))
        except ValueError:
            continue
        values = row.get("values")
        if not isinstance(values, Mapping) or row.get("deleted"):
            continue
        found.append(Snapshot(day, str(row.get("kind") or "manual"),
                              {k: v for k, v in values.items() if v is None or isinstance(v, int | float)}))
    return tuple(sorted(found, key=lambda s: s.on))


def last_year(history: Sequence[Snapshot], today: dt.date) -> Snapshot | None:
    """The newest snapshot of an earlier year than ``today``'s: what "since last year" compares with."""
    earlier = [s for s in history if s.on.year < today.year]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class DistrictSummary:
    flows: FlowIndicators
    targets: dict[str, Target]
    network: Any = None  # core.network.NetworkIndicators, when asked for
    funnel: Mapping[str, int] | None = None
    scenario: ScenarioFigures | None = None
    history: tuple[Snapshot, ...] = ()  # the yearly (and on demand) snapshots, oldest first
    today: dt.date | None = None  # the day the summary is of, for "since last year"

    @property
    def lines(self) -> tuple[IndicatorLine, ...]:
        return tuple(IndicatorLine(info, self.flows[info.key].value, self.targets[info.key],
                                   status(self.flows[info.key], self.targets[info.key]),
                                   self.scenario.flows[info.key].value if self.scenario else None)
                     for info in INDICATORS)

    @property
    def targets_met(self) -> int:
        return sum(1 for line in self.lines if line.status == "green")

    def flows_json(self, flows: FlowIndicators | None = None) -> dict[str, Any]:
        flows = flows or self.flows
        return {"values": flows.as_dict(), "status": statuses(flows, self.targets),
                "targets": targets_to_json(self.targets)}

    @property
    def last_year(self) -> Snapshot | None:
        return last_year(self.history, self.today or dt.date.today())

    def as_json(self) -> dict[str, Any]:
        """The document ``indicators --json`` prints (DESIGN §7)."""
        document: dict[str, Any] = {"flows": self.flows_json()}
        if self.network is not None:
            document["network"] = self.network.as_dict()
        if self.funnel is not None:
            document["funnel"] = dict(self.funnel)
        if self.scenario is not None:
            document["scenario"] = {"id": self.scenario.id, "name": self.scenario.name,
                                    "flows": self.flows_json(self.scenario.flows)}
        if self.history:
            document["history"] = [{"on": s.on.isoformat(), "kind": s.kind, "values": dict(s.values)}
                                   for s in self.history[-HISTORY_SENT:]]
            previous = self.last_year
            if previous is not None:  # what the Centre's comparison shows as the change since last year
                document["flows"]["last_year"] = {"on": previous.on.isoformat(), "values": dict(previous.values)}
        return document


def active_actors(actors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The district's actors: neither deleted nor only proposed by a workshop exercise."""
    return [a for a in actors if not a.get("deleted") and not a.get("proposed_by")]


def district_summary(actors: Sequence[Mapping[str, Any]], flows: Sequence[Mapping[str, Any]],
                     stored_targets: Mapping[str, Any] | None, *,
                     relations: Sequence[Mapping[str, Any]] | None = None,
                     scenario: Mapping[str, Any] | None = None,
                     snapshots: Sequence[Mapping[str, Any]] = (), today: dt.date | None = None) -> DistrictSummary:
    """The summary of ``actors`` and ``flows`` (live rows); network figures and the funnel when ``relations``
    are given; ``scenario`` (a stored scenario row) applied beside the baseline when given; the history of
    ``snapshots`` (stored rows) when given."""
    from ssd_starter.core.scenarios import apply_changes, effective_changes

    network = funnel = None
    if relations is not None:
        from ssd_starter.core.network import engagement_funnel, network_indicators

        network = network_indicators(list(actors), list(relations))
        funnel = engagement_funnel(list(actors))
    figures = None
    if scenario is not None:
        changed = apply_changes(list(actors), list(flows), effective_changes(scenario))
        figures = ScenarioFigures(scenario["id"], scenario["name"], compute_indicators(changed.actors, changed.flows))
    return DistrictSummary(compute_indicators(actors, flows), targets_from(stored_targets), network, funnel, figures,
                           snapshots_of(snapshots), today)


# -- the sentences every place that shows these figures says the same way -----------------------------------

NAMES_SHOWN = 8  # actors named in a sentence; the rest are counted


def relations_text(relations: int, pairs: int) -> str:
    """"87 relations between 83 pairs of actors": the lists count records, the network its ties; both, always."""
    from ssd_starter.i18n import _, format_number, ngettext

    records = ngettext("{count} relation", "{count} relations", relations).format(count=format_number(relations))
    tied = ngettext("{count} pair of actors", "{count} pairs of actors", pairs).format(count=format_number(pairs))
    return _("{relations} between {pairs}").format(relations=records, pairs=tied)


def spending_text(flows: FlowIndicators) -> str:
    """Purchases inside and leakage with their one base, in one sentence."""
    from ssd_starter.i18n import _, format_currency, format_percent

    detail = flows["internal_purchases"].detail
    total = detail["paid_total_eur"]
    if not total:
        return _("No spending of the district's actors is recorded yet: purchases inside and leakage need money "
                 "flows paid by them.")
    return _("Of the {total} the district's actors spend in a year (loans and investments left out), {inside} "
             "({inside_share}) goes to actors of the district and {outside} ({outside_share}) leaves it.").format(
        total=format_currency(total, whole=True), inside=format_currency(detail["paid_inside_eur"], whole=True),
        inside_share=format_percent(flows["internal_purchases"].value or 0.0),
        outside=format_currency(detail["leakage_eur"], whole=True),
        outside_share=format_percent(flows["leakage"].value or 0.0))


def _named_amounts(entries: Sequence[Mapping[str, Any]]) -> str:
    from ssd_starter.i18n import format_currency, ngettext

    shown = [f"{entry['name']} ({format_currency(entry['eur'], whole=True)})" for entry in entries[:NAMES_SHOWN]]
    rest = len(entries) - len(shown)
    if rest:
        shown.append(ngettext("{count} more", "{count} more", rest).format(count=rest))
    return ", ".join(shown)


def lm3_texts(flows: FlowIndicators) -> list[str]:
    """LM3 in words: its three rounds and the formula, the worked example, and the actors whose missing
    spending or income it rests on, by name and amount."""
    from ssd_starter.i18n import _, format_currency, format_number

    lm3 = flows["lm3"]
    detail = lm3.detail
    texts = []
    if lm3.value is None:
        texts.append(_("LM3 needs money entering the district from outside (sales outside, grants) to follow: "
                       "record the income district actors receive from outside."))
    else:
        texts.append(_("R1 = {r1} enters the district's actors from outside (sales outside, grants); R2 = {r2} of "
                       "it is spent inside by those who receive it; R3 = {r3} is spent inside again by their "
                       "recipients. LM3 = (R1 + R2 + R3) ÷ R1 = {lm3}.").format(
            r1=format_currency(detail["r1"], whole=True), r2=format_currency(detail["r2"], whole=True),
            r3=format_currency(detail["r3"], whole=True), lm3=format_number(round(lm3.value, 2))))
    texts.append(_("For example (New Economics Foundation): R1 = €100,000, R2 = €60,000, R3 = €25,000 give "
                   "LM3 = 185,000 ÷ 100,000 = 1.85: each euro earns 85 cents more locally. Every actor on the map "
                   "counts as local; whether it is a member does not change LM3."))
    if detail["without_spending"]:
        texts.append(_("LM3 assumes these actors spend nothing inside, because their spending is not recorded — "
                       "record their spending: {actors}.").format(actors=_named_amounts(detail["without_spending"])))
    if detail["without_income"]:
        texts.append(_("These actors spend without any recorded income, so LM3 cannot follow their money — record "
                       "their income: {actors}.").format(actors=_named_amounts(detail["without_income"])))
    return texts
