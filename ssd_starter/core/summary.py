"""A district's summary: network figures, the engagement funnel and the flow indicators against their targets,
with a what-if scenario beside them if one is chosen.

The one place that assembles it. The CLI prints it, the dossier lays it out, the canvas shows it and the
Centre compares districts by it, so all of them show the same numbers for the same rows.
"""

from __future__ import annotations

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
class DistrictSummary:
    flows: FlowIndicators
    targets: dict[str, Target]
    network: Any = None  # core.network.NetworkIndicators, when asked for
    funnel: Mapping[str, int] | None = None
    scenario: ScenarioFigures | None = None

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
        return document


def active_actors(actors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The district's actors: neither deleted nor only proposed by a workshop exercise."""
    return [a for a in actors if not a.get("deleted") and not a.get("proposed_by")]


def district_summary(actors: Sequence[Mapping[str, Any]], flows: Sequence[Mapping[str, Any]],
                     stored_targets: Mapping[str, Any] | None, *,
                     relations: Sequence[Mapping[str, Any]] | None = None,
                     scenario: Mapping[str, Any] | None = None) -> DistrictSummary:
    """The summary of ``actors`` and ``flows`` (live rows); network figures and the funnel when ``relations``
    are given; ``scenario`` (a stored scenario row) applied beside the baseline when given."""
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
    return DistrictSummary(compute_indicators(actors, flows), targets_from(stored_targets), network, funnel, figures)
