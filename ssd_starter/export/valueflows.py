"""Actors and resource flows as ValueFlows JSON-LD (valueflo.ws), for hREA and Bonfire users: each actor an
agent, each flow an economic event with a provider, a receiver, an action, a resource classification and a
quantity. Flows are yearly estimates, so each event says so (``vf:hasDuration`` one year). The context is
written inline: nothing is fetched when the file is read offline."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ssd_starter import APP_NAME
from ssd_starter.core.vocabulary import Category, FlowKind, FlowPurpose, label_of
from ssd_starter.i18n import _

CONTEXT = {
    "vf": "https://w3id.org/valueflows/ont/vf#",
    "om2": "http://www.ontology-of-units-of-measure.org/resource/om-2/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
}
OUTSIDE_ID = "urn:ssd-starter:outside"
# What happens along a flow of each kind, in ValueFlows' action vocabulary.
ACTIONS = {
    FlowKind.GOODS: "transfer", FlowKind.SERVICES: "deliverService", FlowKind.MONEY: "transfer",
    FlowKind.LABOUR: "work", FlowKind.KNOWLEDGE: "deliverService", FlowKind.ENERGY: "transfer",
    FlowKind.REUSE: "transfer",
}
UNITS = {"EUR": "om2:Euro", "kg": "om2:kilogram", "t": "om2:tonne", "l": "om2:litre", "m3": "om2:cubicMetre",
         "h": "om2:hour", "days": "om2:day", "kWh": "om2:kilowattHour", "MWh": "om2:megawattHour"}


def agent_id(actor_id: str | None) -> str:
    return f"urn:uuid:{actor_id}" if actor_id else OUTSIDE_ID


def _agent(actor: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "@id": agent_id(actor["id"]),
        "@type": "foaf:Person" if actor.get("category") == Category.INDIVIDUAL else "foaf:Organization",
        "vf:name": actor["name"],
        "vf:classifiedAs": label_of(Category, actor.get("category") or ""),
        **({"vf:note": actor["notes"]} if actor.get("notes") else {}),
    }


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"@type": "om2:Measure", "om2:hasNumericalValue": value,
            "om2:hasUnit": UNITS.get(unit, f"urn:ssd-starter:unit:{unit}")}


def _event(flow: Mapping[str, Any]) -> dict[str, Any]:
    kind = FlowKind(flow["kind"])
    event: dict[str, Any] = {
        "@id": f"urn:uuid:{flow['id']}", "@type": "vf:EconomicEvent",
        "vf:action": f"vf:{ACTIONS[kind]}",
        "vf:provider": {"@id": agent_id(flow.get("source_id"))},
        "vf:receiver": {"@id": agent_id(flow.get("target_id"))},
        "vf:resourceClassifiedAs": kind.label,
        "vf:hasDuration": {"@type": "time:Duration", "time:numericDuration": 1, "time:unitType": "time:unitYear"},
    }
    if kind == FlowKind.MONEY:
        event["vf:resourceQuantity"] = _quantity(float(flow.get("value_eur") or 0), "EUR")
        # what the money is for (a payment, a loan, a grant…): a classification of the event itself
        event["vf:classifiedAs"] = label_of(FlowPurpose, flow.get("purpose") or FlowPurpose.PAYMENT)
    elif flow.get("quantity") is not None:
        key = "vf:effortQuantity" if kind == FlowKind.LABOUR else "vf:resourceQuantity"
        event[key] = _quantity(float(flow["quantity"]), flow.get("unit") or "")
    if kind != FlowKind.MONEY and flow.get("value_eur"):
        event["vf:note"] = _("Value: {value} EUR per year").format(value=flow["value_eur"])
    if flow.get("description"):
        event["vf:note"] = " — ".join(filter(None, [flow["description"], event.get("vf:note")]))
    return event


def valueflows_document(name: str, actors: Sequence[Mapping[str, Any]],
                        flows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    graph: list[dict[str, Any]] = [_agent(a) for a in actors]
    if any(not f.get("source_id") or not f.get("target_id") for f in flows):
        graph.append({"@id": OUTSIDE_ID, "@type": "foaf:Agent", "vf:name": _("Outside the district")})
    graph.extend(_event(f) for f in flows)
    return {"@context": CONTEXT, "dcterms:title": name, "dcterms:creator": APP_NAME, "@graph": graph}


def valueflows_bytes(name: str, actors: Sequence[Mapping[str, Any]], flows: Sequence[Mapping[str, Any]]) -> bytes:
    return json.dumps(valueflows_document(name, actors, flows), ensure_ascii=False, indent=2).encode("utf-8")
