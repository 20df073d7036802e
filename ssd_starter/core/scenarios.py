"""What-if scenarios: a named list of changes laid over the baseline flows, never written into them
until the promoter applies the scenario.

A change is a small JSON object, so scenarios sync and travel in bundles like any row:

- ``{"op": "add_flow", "flow": {"id": ..., <flow fields>}}``
- ``{"op": "remove_flow", "flow_id": ...}``
- ``{"op": "scale_flow", "flow_id": ..., "factor": 1.5}`` (value and quantity both scaled)
- ``{"op": "add_actor", "actor": {"id": ..., "name": ..., "category": ..., "roles": [...], "stage": ...}}``

Changes that name a flow which has since been deleted are *stale*: skipped and reported, not fatal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ssd_starter.core.errors import ValidationError
from ssd_starter.core.flows import clean_flow
from ssd_starter.core.ids import new_id
from ssd_starter.core.stakeholders import clean_stakeholder_fields
from ssd_starter.i18n import N_

OPS = ("add_flow", "remove_flow", "scale_flow", "add_actor")
MAX_FACTOR = 100.0
ACTOR_FIELDS = ("name", "category", "roles", "stage")


@dataclass(frozen=True)
class ScenarioResult:
    actors: tuple[Mapping[str, Any], ...]
    flows: tuple[Mapping[str, Any], ...]
    stale: tuple[int, ...]  # indexes of changes that refer to flows no longer there


def add_flow(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"op": "add_flow", "flow": {"id": new_id(), **clean_flow(fields)}}


def remove_flow(flow_id: str) -> dict[str, Any]:
    return {"op": "remove_flow", "flow_id": flow_id}


def scale_flow(flow_id: str, factor: float) -> dict[str, Any]:
    if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 <= factor <= MAX_FACTOR:
        raise ValidationError("factor", N_("The factor must be between 0 and {limit}."), limit=int(MAX_FACTOR))
    return {"op": "scale_flow", "flow_id": flow_id, "factor": float(factor)}


def add_actor(fields: Mapping[str, Any]) -> dict[str, Any]:
    clean = clean_stakeholder_fields({k: v for k, v in fields.items() if k in ACTOR_FIELDS})
    if "name" not in clean:
        raise ValidationError("name", N_("An actor needs a name."))
    actor = {"category": "association", "roles": [], "stage": "member", **clean}
    return {"op": "add_actor", "actor": {"id": new_id(), **actor}}


def check_change(change: Any) -> dict[str, Any]:
    """A change read from storage or a bundle, re-validated (it may come from another device)."""
    if not isinstance(change, Mapping) or change.get("op") not in OPS:
        raise ValidationError("changes", N_("A scenario holds a change this version does not understand."))
    op = change["op"]
    if op == "add_flow":
        flow = change.get("flow")
        if not isinstance(flow, Mapping) or not isinstance(flow.get("id"), str):
            raise ValidationError("changes", N_("A scenario holds a change this version does not understand."))
        return {"op": op, "flow": {"id": flow["id"], **clean_flow({k: v for k, v in flow.items() if k != "id"})}}
    if op == "add_actor":
        actor = change.get("actor")
        if not isinstance(actor, Mapping) or not isinstance(actor.get("id"), str):
            raise ValidationError("changes", N_("A scenario holds a change this version does not understand."))
        clean = add_actor(actor)["actor"]
        clean["id"] = actor["id"]
        return {"op": op, "actor": clean}
    if not isinstance(change.get("flow_id"), str):
        raise ValidationError("changes", N_("A scenario holds a change this version does not understand."))
    if op == "scale_flow":
        return scale_flow(change["flow_id"], change.get("factor"))  # type: ignore[arg-type]
    return remove_flow(change["flow_id"])


def _scaled(flow: Mapping[str, Any], factor: float) -> dict[str, Any]:
    quantity = flow.get("quantity")
    return {**flow, "value_eur": flow["value_eur"] * factor,
            "quantity": None if quantity is None else quantity * factor}


def apply_changes(actors: Iterable[Mapping[str, Any]], flows: Iterable[Mapping[str, Any]],
                  changes: Sequence[Mapping[str, Any]]) -> ScenarioResult:
    """The district as the scenario would make it. Inputs are not modified."""
    actor_list = list(actors)
    by_id: dict[str, Mapping[str, Any]] = {flow["id"]: flow for flow in flows}
    stale: list[int] = []
    for index, change in enumerate(changes):
        op = change["op"]
        if op == "add_actor":
            actor_list.append(change["actor"])
        elif op == "add_flow":
            by_id[change["flow"]["id"]] = change["flow"]
        elif change["flow_id"] not in by_id:
            stale.append(index)
        elif op == "remove_flow":
            del by_id[change["flow_id"]]
        else:
            by_id[change["flow_id"]] = _scaled(by_id[change["flow_id"]], change["factor"])
    return ScenarioResult(tuple(actor_list), tuple(by_id.values()), tuple(stale))


# What an applied scenario keeps of each flow it removed or scaled, as the flow was: enough to say the change.
RECORDED_FIELDS = ("source_id", "target_id", "kind", "purpose", "description", "quantity", "unit", "value_eur")


def applied_record(actors: Sequence[Mapping[str, Any]], flows: Sequence[Mapping[str, Any]],
                   changes: Sequence[Mapping[str, Any]], on: dt.date) -> dict[str, Any]:
    """What applying ``changes`` to these rows does, kept on the scenario once applied: the flows it removes or
    scales as they were, the names of the actors at their ends, and every indicator before and after. Its change
    list stays as it was drawn up; this is what lets it still say what it did once the flows have changed."""
    from ssd_starter.core.indicators import compute_indicators

    by_id = {flow["id"]: flow for flow in flows}
    touched = [c["flow_id"] for c in changes if c["op"] in ("remove_flow", "scale_flow") and c["flow_id"] in by_id]
    recorded = {flow_id: {k: by_id[flow_id].get(k) for k in RECORDED_FIELDS} for flow_id in touched}
    names = {actor["id"]: actor["name"] for actor in actors}
    names.update({c["actor"]["id"]: c["actor"]["name"] for c in changes if c["op"] == "add_actor"})
    ends = {flow[end] for flow in [*recorded.values(), *(c["flow"] for c in changes if c["op"] == "add_flow")]
            for end in ("source_id", "target_id")}
    result = apply_changes(actors, flows, changes)
    return {"on": on.isoformat(), "flows": recorded, "names": {i: names[i] for i in sorted(ends - {None}) if i in names},
            "before": compute_indicators(actors, flows).values_only(),
            "after": compute_indicators(result.actors, result.flows).values_only()}


def applied_figures(scenario: Mapping[str, Any]) -> tuple[Any, Any, dt.date] | None:
    """An applied scenario's indicators before and after (as ``FlowIndicators``) and the day, from its record;
    None when it is not applied or was applied before records were kept."""
    from types import MappingProxyType

    from ssd_starter.core.indicators import INDICATOR_KEYS, FlowIndicators, Indicator

    record = scenario.get("applied_record") or {}
    if not scenario.get("applied") or not {"before", "after", "on"} <= record.keys():
        return None

    def figures(values: Mapping[str, Any]) -> FlowIndicators:
        return FlowIndicators(MappingProxyType({key: Indicator(key, values.get(key), MappingProxyType({}))
                                                for key in INDICATOR_KEYS}))

    try:
        on = dt.date.fromisoformat(record["on"])
    except (TypeError, ValueError):
        return None
    return figures(record["before"]), figures(record["after"]), on


def effective_changes(scenario: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """What the scenario still changes: nothing once it has been applied (the baseline holds it already)."""
    return [] if scenario.get("applied") else list(scenario["changes"])


def scaled_fields(flow: Mapping[str, Any], factor: float) -> dict[str, Any]:
    """The stored fields a scale change rewrites, for applying it to the baseline."""
    scaled = _scaled(flow, factor)
    return {"value_eur": scaled["value_eur"], "quantity": scaled["quantity"]}
