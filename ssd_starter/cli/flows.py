"""`flow`: the resource flows of a district; `scenario`: what-if changes to them, listed or applied."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ssd_starter.cli.runner import (
    EXIT_OK,
    add_actions,
    add_district_argument,
    add_json_option,
    emit,
    open_district,
    row_json,
)
from ssd_starter.i18n import N_, _, format_currency, ngettext

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands
    from ssd_starter.store import Store

OUTSIDE = "outside"  # the key that stands for outside the district at either end of a flow
PURPOSES = ("payment", "wages", "loan", "investment", "grant", "fee")  # vocabulary.FlowPurpose, without importing it


def add_flow(commands: Commands) -> None:
    flow = commands.add_parser("flow", help=_("list, add, change or delete the resource flows of a district"))
    actions = add_actions(flow)
    listing = actions.add_parser("list", help=_("list the flows"))
    add_district_argument(listing)
    add_json_option(listing)
    listing.set_defaults(run=cmd_flow_list)
    add = actions.add_parser("add", help=_("add a flow"))
    add_district_argument(add)
    add.add_argument("--from", dest="source", default=OUTSIDE,
                     help=_("actor id, id prefix or exact name; 'outside' for outside the district"))
    add.add_argument("--to", dest="target", default=OUTSIDE,
                     help=_("actor id, id prefix or exact name; 'outside' for outside the district"))
    add.add_argument("--kind", required=True, help=_("goods, services, money, labour, knowledge, energy or reuse"))
    add.add_argument("--value", type=float, default=0.0, help=_("value in EUR per year"))
    add.add_argument("--quantity", type=float, help=_("quantity per year"))
    add.add_argument("--unit", default="", help=_("unit of the quantity, e.g. kg, h, kWh, persons"))
    add.add_argument("--description", default="", help=_("what moves"))
    add.add_argument("--purpose", choices=PURPOSES, help=_(
        "what a money flow is for: payment (the default), wages, loan, investment, grant or fee"))
    add_json_option(add)
    add.set_defaults(run=cmd_flow_add)
    change = actions.add_parser("set", help=_("change a flow's purpose"))
    change.add_argument("flow", help=_("flow id or id prefix"))
    add_district_argument(change)
    change.add_argument("--purpose", choices=PURPOSES, required=True, help=_(
        "what the money flow is for: payment, wages, loan, investment, grant or fee"))
    add_json_option(change)
    change.set_defaults(run=cmd_flow_set)
    suggest = actions.add_parser("suggest-purposes", help=_(
        "list the money flows whose description reads like a loan but that are not recorded as financing"))
    add_district_argument(suggest)
    add_json_option(suggest)
    suggest.set_defaults(run=cmd_flow_suggest_purposes)
    delete = actions.add_parser("delete", help=_("delete a flow"))
    delete.add_argument("flow", help=_("flow id or id prefix"))
    add_district_argument(delete)
    delete.set_defaults(run=cmd_flow_delete)


def add_scenario(commands: Commands) -> None:
    scenario = commands.add_parser("scenario", help=_("list what-if scenarios or apply one to the district"))
    actions = add_actions(scenario)
    listing = actions.add_parser("list", help=_("list the scenarios"))
    add_district_argument(listing)
    add_json_option(listing)
    listing.set_defaults(run=cmd_scenario_list)
    apply = actions.add_parser("apply", help=_("write a scenario's changes into the district's flows"))
    apply.add_argument("scenario", help=_("scenario id or exact name"))
    add_district_argument(apply)
    apply.set_defaults(run=cmd_scenario_apply)


def _flow_end(store: Store, district_id: str, key: str) -> str | None:
    """The actor at one end of a flow; None for outside the district."""
    from ssd_starter.store.stakeholders import find_stakeholder

    return None if key.strip().casefold() == OUTSIDE else find_stakeholder(store, district_id, key)["id"]


def cmd_flow_list(args: argparse.Namespace) -> int:
    from ssd_starter.store.flows import list_flows

    store, district = open_district(args.district)
    rows = list_flows(store, district.id)
    return emit(args, [{**row_json(r), "name": r["description"]} for r in rows], _flow_lines(store, district.id, rows))


def _flow_lines(store: Store, district_id: str, rows: list[dict[str, Any]]) -> Iterator[str]:
    from ssd_starter.core.vocabulary import FlowKind, FlowPurpose, label_of
    from ssd_starter.store.stakeholders import list_stakeholders

    names = {a["id"]: a["name"] for a in list_stakeholders(store, district_id)}
    outside = _("outside")
    for r in rows:
        kind = FlowKind(r["kind"]).label
        if r.get("purpose"):
            kind += f" ({label_of(FlowPurpose, r['purpose'])})"
        yield (f"{r['id'][:8]}  {names.get(r['source_id'], outside)} → {names.get(r['target_id'], outside)}  "
               f"{kind}  {format_currency(r['value_eur'])}  {r['description']}")


def _one_flow(store: Store, district_id: str, key: str) -> dict[str, Any]:
    """The flow an id or id prefix names; a prefix of fewer than 4 characters would too easily name the wrong one."""
    from ssd_starter.core.errors import NotFound
    from ssd_starter.store.flows import list_flows

    matches = [f for f in list_flows(store, district_id) if f["id"].startswith(key)] if len(key) >= 4 else []
    if len(matches) != 1:
        raise NotFound(N_("No single flow matches {key}."), key=key)
    return matches[0]


def cmd_flow_set(args: argparse.Namespace) -> int:
    from ssd_starter.store.flows import answer_purpose_questions, get_flow, update_flow

    store, district = open_district(args.district)
    flow = _one_flow(store, district.id, args.flow)
    store.apply(update_flow(flow, purpose=args.purpose))
    answer_purpose_questions(store, [flow["id"]])  # answered: not asked about again
    return emit(args, row_json(get_flow(store, flow["id"])), [_("Changed flow {id}.").format(id=flow["id"][:8])])


def cmd_flow_suggest_purposes(args: argparse.Namespace) -> int:
    from ssd_starter.store.flows import loan_suggestions, purpose_questions

    store, district = open_district(args.district)
    asked = {f["id"] for f in purpose_questions(store, district.id)}
    rows = loan_suggestions(store, district.id)
    document = [{**row_json(r), "name": r["description"], "suggested_purpose": "loan", "asked": r["id"] in asked}
                for r in rows]
    return emit(args, document, _suggestion_lines(store, district.id, rows))


def _suggestion_lines(store: Store, district_id: str, rows: list[dict[str, Any]]) -> Iterator[str]:
    if not rows:
        yield _("No money flow reads like a loan without being recorded as financing.")
        return
    yield ngettext("This money flow reads like a loan but is not recorded as financing:",
                   "These money flows read like loans but are not recorded as financing:", len(rows))
    yield from _flow_lines(store, district_id, rows)
    yield _("Mark one as a loan: flow set ID --district {district} --purpose loan (or --purpose payment to "
            "keep it a payment).").format(district=district_id)


def cmd_flow_add(args: argparse.Namespace) -> int:
    from ssd_starter.store.flows import create_flow, get_flow

    store, district = open_district(args.district)
    edit = create_flow(district.id, {
        "source_id": _flow_end(store, district.id, args.source), "target_id": _flow_end(store, district.id, args.target),
        "kind": args.kind, "value_eur": args.value, "quantity": args.quantity, "unit": args.unit,
        "description": args.description, "purpose": args.purpose})
    store.apply(edit)
    return emit(args, row_json(get_flow(store, edit.values["id"])),
                [_("Added flow {id}.").format(id=edit.values["id"][:8])])


def cmd_flow_delete(args: argparse.Namespace) -> int:
    from ssd_starter.store.flows import delete_flow

    store, district = open_district(args.district)
    flow = _one_flow(store, district.id, args.flow)
    store.apply(delete_flow(flow["id"]))
    print(_("Deleted flow {id}.").format(id=flow["id"][:8]))
    return EXIT_OK


def cmd_scenario_list(args: argparse.Namespace) -> int:
    from ssd_starter.store.flows import list_scenarios

    store, district = open_district(args.district)
    rows = list_scenarios(store, district.id)
    return emit(args, [row_json(r) for r in rows], (
        f"{r['id'][:8]}  {r['name']}  " + ngettext("({count} change)", "({count} changes)",
                                                   len(r["changes"])).format(count=len(r["changes"]))
        for r in rows))


def cmd_scenario_apply(args: argparse.Namespace) -> int:
    from ssd_starter.store.flows import apply_scenario, find_scenario

    store, district = open_district(args.district)
    scenario = find_scenario(store, district.id, args.scenario)
    store.apply(apply_scenario(store, scenario))
    print(_("Applied the scenario {name}.").format(name=scenario["name"]))
    return EXIT_OK
