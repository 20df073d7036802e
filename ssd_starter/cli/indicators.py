"""`indicators`: the network, engagement and resource-flow indicators of a district, optionally as a
what-if scenario would make them."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from ssd_starter.cli.runner import add_district_argument, add_json_option, emit, open_district
from ssd_starter.i18n import _, format_number

if TYPE_CHECKING:
    from ssd_starter.cli.runner import Commands
    from ssd_starter.core.summary import DistrictSummary

NONE = "—"  # in place of an empty list of names
SHOWN = 5  # names listed for the most central actors and the brokers


def add_indicators(commands: Commands) -> None:
    indicators = commands.add_parser("indicators", help=_("indicators of a district"))
    indicators.add_argument("what", nargs="?", choices=("show", "snapshot", "history"), default="show", help=_(
        "show (the default): the indicators now; snapshot: keep today's values in the district's history; "
        "history: the values kept so far"))
    add_district_argument(indicators)
    indicators.add_argument("--scenario", help=_("also compute the flow indicators as this scenario would make them"))
    indicators.add_argument("--yearly", action="store_true", help=_(
        "with snapshot: take this year's snapshot only if the district has none yet (for a scheduled job)"))
    add_json_option(indicators)
    indicators.set_defaults(run=cmd_indicators)


def cmd_indicators(args: argparse.Namespace) -> int:
    if args.what == "snapshot":
        return cmd_snapshot(args)
    if args.what == "history":
        return cmd_history(args)
    return cmd_show(args)


def cmd_snapshot(args: argparse.Namespace) -> int:
    from ssd_starter.cli.runner import row_json
    from ssd_starter.i18n import format_date
    from ssd_starter.store.flows import list_snapshots, take_snapshot, yearly_snapshot

    store, district = open_district(args.district)
    insert = yearly_snapshot(store, district.id) if args.yearly else take_snapshot(store, district.id)
    if insert is None:
        return emit(args, None, [_("This year's snapshot is already kept (or the district has no flows yet).")])
    store.apply(insert)
    row = next(s for s in list_snapshots(store, district.id) if s["id"] == insert.values["id"])
    return emit(args, row_json(row), [_("Kept the indicators of {date} in the district's history.").format(
        date=format_date(row["taken_on"]))])


def cmd_history(args: argparse.Namespace) -> int:
    from ssd_starter.core.indicators import INDICATORS, format_value
    from ssd_starter.core.summary import snapshots_of
    from ssd_starter.i18n import format_date
    from ssd_starter.store.flows import list_snapshots

    store, district = open_district(args.district)
    history = snapshots_of(list_snapshots(store, district.id))
    document = [{"on": s.on.isoformat(), "kind": s.kind, "values": dict(s.values)} for s in history]

    def lines() -> Iterator[str]:
        if not history:
            yield _("No snapshot kept yet: indicators snapshot --district {district} keeps today's.").format(
                district=district.id)
            return
        yield _("Indicators over time")
        for snapshot in history:
            yield "  " + format_date(snapshot.on) + "  " + " · ".join(
                f"{_(info.title)} {format_value(info, snapshot.values.get(info.key))}" for info in INDICATORS)

    return emit(args, document, lines())


def cmd_show(args: argparse.Namespace) -> int:
    from ssd_starter.core.summary import district_summary
    from ssd_starter.store.flows import find_scenario, list_flows
    from ssd_starter.store.stakeholders import list_relations, list_stakeholders

    store, district = open_district(args.district)
    actors = list_stakeholders(store, district.id)
    chosen = find_scenario(store, district.id, args.scenario) if args.scenario else None
    summary = district_summary(actors, list_flows(store, district.id), district.targets,
                               relations=list_relations(store, district.id), scenario=chosen)
    names = {a["id"]: a["name"] for a in actors}
    return emit(args, {"district": district.id, **summary.as_json()}, _indicator_lines(summary, names))


def _indicator_lines(summary: DistrictSummary, names: Mapping[str, str]) -> Iterator[str]:
    yield from _network_lines(summary, names)
    yield ""
    yield from _flow_lines(summary)


def _network_lines(summary: DistrictSummary, names: Mapping[str, str]) -> Iterator[str]:
    from ssd_starter.core.summary import relations_text
    from ssd_starter.core.vocabulary import Role, Stage

    network, funnel = summary.network, summary.funnel or {}
    yield _("Actors: {actors} · {relations} · separate groups: {groups}").format(
        actors=format_number(network.actors), relations=relations_text(network.relations, network.pairs),
        groups=format_number(network.components))
    yield _("Most central by betweenness: {names}").format(
        names=", ".join(s.name for s in network.scores[:SHOWN]) or NONE)
    from ssd_starter.core.network import betweenness_note

    if note := betweenness_note(network):
        yield note
    yield _("Brokers between groups: {names}").format(
        names=", ".join(names[b] for b in network.brokers[:SHOWN]) or NONE)
    yield _("Isolated: {names}").format(names=", ".join(names[i] for i in network.isolated) or NONE)
    yield _("Missing roles: {roles}").format(roles=", ".join(Role(r).label for r in network.missing_roles) or NONE)
    yield _("Engagement: {stages}").format(stages=" → ".join(f"{Stage(s).label} {n}" for s, n in funnel.items()))


def _flow_lines(summary: DistrictSummary) -> Iterator[str]:
    """Each indicator against its target; with a scenario, today's value → the scenario's."""
    from ssd_starter.core.indicators import STATUS_LABELS, format_value

    if summary.scenario:
        yield _("Resource flows: today → with “{name}”").format(name=summary.scenario.name)
    else:
        yield _("Resource flows")
    for line in summary.lines:
        text = f"  {_(line.info.title)}: {format_value(line.info, line.value)}"
        if summary.scenario:
            text += f" → {format_value(line.info, line.scenario_value)}"
        sign = "≥" if line.target.comparison == "at_least" else "≤"
        text += f"  ({sign} {format_value(line.info, line.target.value)}: {_(STATUS_LABELS[line.status])})"
        yield text
    from ssd_starter.core.summary import lm3_texts, spending_text

    yield ""
    yield spending_text(summary.flows)
    yield from lm3_texts(summary.flows)
