"""Resource flows, scenarios, indicator targets and snapshots: queries, and the edits that change them."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select

from ssd_starter.core import scenarios as sc
from ssd_starter.core.errors import NotFound, UserError
from ssd_starter.core.flows import FLOW_FIELDS, clean_flow, default_unit, suggests_loan
from ssd_starter.core.ids import new_id
from ssd_starter.core.indicators import Target, targets_to_json
from ssd_starter.core.models import Flow, IndicatorSnapshot, Meta, Scenario, table_of
from ssd_starter.core.summary import active_actors
from ssd_starter.core.vocabulary import FINANCING_PURPOSES, FlowKind, FlowPurpose
from ssd_starter.i18n import N_
from ssd_starter.store.database import Store
from ssd_starter.store.edits import Batch, Delete, Edit, Insert, Update
from ssd_starter.store.stakeholders import STAKEHOLDER_DEFAULTS, list_stakeholders

F = table_of(Flow)
SC = table_of(Scenario)
META = table_of(Meta)


# -- flows ------------------------------------------------------------------------------------

def list_flows(store: Store, district_id: str) -> list[dict[str, Any]]:
    query = select(F).where(F.c.district_id == district_id, F.c.deleted.is_(False)).order_by(F.c.kind, F.c.id)
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def get_flow(store: Store, flow_id: str) -> dict[str, Any]:
    with store.read() as conn:
        row = conn.execute(select(F).where(F.c.id == flow_id, F.c.deleted.is_(False))).mappings().first()
    if row is None:
        raise NotFound(N_("No flow with id {id}."), id=flow_id)
    return dict(row)


def flows_of(store: Store, stakeholder_id: str) -> list[dict[str, Any]]:
    query = select(F).where((F.c.source_id == stakeholder_id) | (F.c.target_id == stakeholder_id),
                            F.c.deleted.is_(False))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def create_flow(district_id: str, fields: Mapping[str, Any], *, flow_id: str | None = None) -> Insert:
    return Insert("flow", {"id": flow_id or new_id(), "district_id": district_id, **clean_flow(fields)})


def update_flow(flow: Mapping[str, Any], **changes: Any) -> Update:
    """Changes validated together with the rest of the flow (a new kind may need a new unit)."""
    current = {k: flow.get(k) for k in FLOW_FIELDS}
    if "kind" in changes and changes["kind"] != flow["kind"]:
        if "unit" not in changes:
            changes["unit"] = default_unit(changes["kind"])
        if "purpose" not in changes:
            changes["purpose"] = None  # money becomes a payment again; any other kind has none
    merged = clean_flow({**current, **changes})
    return Update("flow", flow["id"], {k: v for k, v in merged.items() if v != flow.get(k)})


# -- purposes the promoter is asked about ------------------------------------------------------
#
# Migration 0011 made every stored money flow a payment and queued, in the ``meta`` row below, the ids of those
# whose description reads like a loan. They are asked about (the Flows tab, ``flow suggest-purposes``) until
# the promoter answers: sets a purpose, or keeps the payment. The queue is this installation's: another one
# migrating the same rows asks its own user.

PURPOSE_QUESTIONS = "purpose_questions"


def _queued_questions(store: Store) -> list[str]:
    with store.read() as conn:
        text = conn.execute(select(META.c.value).where(META.c.key == PURPOSE_QUESTIONS)).scalar()
    try:
        ids = json.loads(text) if text else []
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def purpose_questions(store: Store, district_id: str) -> list[dict[str, Any]]:
    """The district's money flows still to be asked about: stored as payments before purposes existed,
    described like a loan, not answered yet."""
    queued = set(_queued_questions(store))
    return [flow for flow in list_flows(store, district_id) if flow["id"] in queued
            and flow["kind"] == FlowKind.MONEY and flow["purpose"] == FlowPurpose.PAYMENT and suggests_loan(
                flow["description"])]


def answer_purpose_questions(store: Store, flow_ids: Iterable[str]) -> None:
    """These flows are answered (whatever the answer): they are not asked about again."""
    answered = set(flow_ids)
    queued = _queued_questions(store)
    left = [i for i in queued if i not in answered]
    if left == queued:
        return
    with store.write() as conn:
        conn.execute(META.delete().where(META.c.key == PURPOSE_QUESTIONS))
        if left:
            conn.execute(META.insert().values(key=PURPOSE_QUESTIONS, value=json.dumps(left)))


def loan_suggestions(store: Store, district_id: str) -> list[dict[str, Any]]:
    """Every money flow described like a loan but not recorded as financing (``flow suggest-purposes``)."""
    return [flow for flow in list_flows(store, district_id) if flow["kind"] == FlowKind.MONEY
            and flow["purpose"] not in FINANCING_PURPOSES and suggests_loan(flow["description"])]


def set_purposes(flows: Iterable[Mapping[str, Any]], purpose: str) -> Batch:
    """One undoable step giving these money flows ``purpose``."""
    return Batch(tuple(update_flow(flow, purpose=purpose) for flow in flows))


def delete_flow(flow_id: str) -> Delete:
    return Delete("flow", flow_id)


def move_flows(store: Store, from_id: str, to_id: str) -> list[Edit]:
    """When merging duplicates: the flows follow the actor that stays; one that would become a loop goes."""
    edits: list[Edit] = []
    for flow in flows_of(store, from_id):
        source = to_id if flow["source_id"] == from_id else flow["source_id"]
        target = to_id if flow["target_id"] == from_id else flow["target_id"]
        if source == target:
            edits.append(Delete("flow", flow["id"]))
        else:
            edits.append(Update("flow", flow["id"], {"source_id": source, "target_id": target}))
    return edits


# -- scenarios --------------------------------------------------------------------------------

def list_scenarios(store: Store, district_id: str) -> list[dict[str, Any]]:
    query = (select(SC).where(SC.c.district_id == district_id, SC.c.deleted.is_(False))
             .order_by(func.lower(SC.c.name)))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def get_scenario(store: Store, scenario_id: str) -> dict[str, Any]:
    with store.read() as conn:
        row = conn.execute(select(SC).where(SC.c.id == scenario_id, SC.c.deleted.is_(False))).mappings().first()
    if row is None:
        raise NotFound(N_("No scenario with id {id}."), id=scenario_id)
    return dict(row)


def find_scenario(store: Store, district_id: str, key: str) -> dict[str, Any]:
    """A scenario by id, unique id prefix (`scenario list` prints eight characters) or name, in any case."""
    scenarios = list_scenarios(store, district_id)
    for matches in ([s for s in scenarios if key in (s["id"], s["name"])],
                    [s for s in scenarios if len(key) >= 4 and s["id"].startswith(key)],
                    [s for s in scenarios if s["name"].casefold() == key.strip().casefold()]):
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise NotFound(N_("More than one scenario matches {key}: give the full id."), key=key)
    raise NotFound(N_("No scenario matches {key}."), key=key)


def _scenario_name(name: str) -> str:
    clean = name.strip()
    if not clean:
        raise UserError(N_("A scenario needs a name."))
    if len(clean) > 200:
        raise UserError(N_("A scenario name is at most {limit} characters."), limit=200)
    return clean


def create_scenario(district_id: str, name: str, description: str = "", *,
                    scenario_id: str | None = None) -> Insert:
    return Insert("scenario", {"id": scenario_id or new_id(), "district_id": district_id,
                               "name": _scenario_name(name), "description": description.strip(),
                               "changes": [], "applied": False, "applied_record": {}})


def rename_scenario(scenario_id: str, name: str) -> Update:
    return Update("scenario", scenario_id, {"name": _scenario_name(name)})


def delete_scenario(scenario_id: str) -> Delete:
    return Delete("scenario", scenario_id)


def add_change(scenario: Mapping[str, Any], change: Mapping[str, Any]) -> Update:
    if scenario["applied"]:
        raise UserError(N_("This scenario has been applied already; make a new one for further changes."))
    return Update("scenario", scenario["id"], {"changes": [*scenario["changes"], sc.check_change(change)]})


def remove_change(scenario: Mapping[str, Any], index: int) -> Update:
    if scenario["applied"]:  # its change list is the record of what it did
        raise UserError(N_("This scenario has been applied already; make a new one for further changes."))
    changes = list(scenario["changes"])
    del changes[index]
    return Update("scenario", scenario["id"], {"changes": changes})


def apply_scenario(store: Store, scenario: Mapping[str, Any]) -> Batch:
    """The scenario written into the baseline, as one undoable step; the scenario is marked applied."""
    if scenario["applied"]:
        raise UserError(N_("This scenario has been applied already."))
    flows = {flow["id"]: flow for flow in list_flows(store, scenario["district_id"])}
    edits: list[Edit] = []
    changes = [sc.check_change(change) for change in scenario["changes"]]
    actors = {a["id"] for a in list_stakeholders(store, scenario["district_id"])}
    actors |= {c["actor"]["id"] for c in changes if c["op"] == "add_actor"}
    for change in changes:
        if change["op"] == "add_flow" and not {change["flow"]["source_id"], change["flow"]["target_id"]} - {None} <= actors:
            raise UserError(N_("The scenario adds a flow of an actor that has since been removed: "
                               "remove that change first."))
    # Fresh ids each time: after an undo the rows of an earlier application are still there, hidden.
    fresh = {c["actor"]["id"]: new_id() for c in changes if c["op"] == "add_actor"}
    # actors first: the scenario's new flows may start or end at them
    for change in changes:
        if change["op"] == "add_actor":
            actor = change["actor"]
            edits.append(Insert("stakeholder", {**STAKEHOLDER_DEFAULTS, **actor, "id": fresh[actor["id"]],
                                                "district_id": scenario["district_id"]}))
    for change in changes:
        op = change["op"]
        if op == "add_flow":
            flow = change["flow"]
            edits.append(Insert("flow", {**flow, "id": new_id(), "district_id": scenario["district_id"],
                                         "source_id": fresh.get(flow["source_id"], flow["source_id"]),
                                         "target_id": fresh.get(flow["target_id"], flow["target_id"])}))
        elif op == "add_actor" or change["flow_id"] not in flows:
            continue  # stale: the flow was deleted after the scenario was drawn up
        elif op == "remove_flow":
            edits.append(Delete("flow", change["flow_id"]))
            del flows[change["flow_id"]]
        else:
            fields = sc.scaled_fields(flows[change["flow_id"]], change["factor"])
            flows[change["flow_id"]] = {**flows[change["flow_id"]], **fields}
            edits.append(Update("flow", change["flow_id"], fields))
    record = sc.applied_record(active_actors(list_stakeholders(store, scenario["district_id"])),
                               list(list_flows(store, scenario["district_id"])), changes, dt.date.today())
    edits.append(Update("scenario", scenario["id"], {"applied": True, "applied_record": record}))
    return Batch(tuple(edits))


# -- targets ----------------------------------------------------------------------------------

def set_targets(district_id: str, targets: Mapping[str, Target]) -> Update:
    return Update("district", district_id, {"targets": targets_to_json(targets)})


# -- indicator snapshots: the yearly history -----------------------------------------------------------

IS = table_of(IndicatorSnapshot)
SNAPSHOT_KINDS = ("yearly", "manual")


def list_snapshots(store: Store, district_id: str) -> list[dict[str, Any]]:
    """The district's snapshots, oldest first."""
    query = (select(IS).where(IS.c.district_id == district_id, IS.c.deleted.is_(False))
             .order_by(IS.c.taken_on, IS.c.updated_at, IS.c.id))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def yearly_snapshot_id(district_id: str, year: int) -> str:
    """The same id on every installation of the district: two devices taking a year's snapshot make one row,
    and the newer of the two wins when they meet."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ssd-starter:indicator-snapshot:{district_id}:{year}"))


def take_snapshot(store: Store, district_id: str, *, kind: str = "manual", on: dt.date | None = None) -> Insert:
    """The district's indicators as they are now, kept under ``on`` (today by default)."""
    from ssd_starter.core.summary import district_summary

    if kind not in SNAPSHOT_KINDS:
        raise ValueError(f"not a kind of snapshot: {kind}")
    day = on or dt.date.today()
    actors = active_actors(list_stakeholders(store, district_id))
    values = district_summary(actors, list_flows(store, district_id), None).flows.values_only()
    snapshot_id = yearly_snapshot_id(district_id, day.year) if kind == "yearly" else new_id()
    return Insert("indicator_snapshot", {"id": snapshot_id, "district_id": district_id, "taken_on": day,
                                         "kind": kind, "values": values})


def yearly_snapshot(store: Store, district_id: str, today: dt.date | None = None) -> Insert | None:
    """This year's snapshot, when the district has flows and no snapshot of this year yet (taken on demand
    counts too); None otherwise. Taken automatically, once a year."""
    day = today or dt.date.today()
    if any(s["taken_on"].year == day.year for s in list_snapshots(store, district_id)):
        return None
    with store.read() as conn:
        has_flows = conn.execute(select(F.c.id).where(F.c.district_id == district_id, F.c.deleted.is_(False))
                                 .limit(1)).first() is not None
        taken = conn.execute(select(IS.c.id).where(IS.c.id == yearly_snapshot_id(district_id, day.year))).first()
    if not has_flows or taken is not None:  # a yearly one deleted by hand is not taken again
        return None
    return take_snapshot(store, district_id, kind="yearly", on=day)
