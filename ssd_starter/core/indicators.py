"""Economic and circular indicators of a district, computed from its resource flows (no Qt, no store).

The inputs are plain rows as the store gives them. Every actor on the map is *inside* the district; a
*member* is an actor at stage ``member`` or ``signatory``. A flow whose ``source_id`` or ``target_id``
is empty, or names no actor we were given, is from or to the *outside*: a stale id must not make money
vanish, so it is counted as leaving the district rather than dropped. Money flows go payer → payee, the
other kinds provider → receiver. The economic indicators (1, 2, 3, 6) read **money flows only**: a
delivery of goods is recorded twice, once as goods and once as its payment, and counting both would
double its weight. A flow from an actor to itself moves nothing between actors and is ignored, as is a
money flow worth nothing (it is not a payment).

1. ``internal_purchases`` (share): money members pay to inside actors ÷ all money members pay.
   None when members paid nothing.
2. ``leakage`` (share): money inside actors pay to the outside ÷ all money inside actors pay; the
   detail carries the amount in EUR. None when nobody inside paid anything.
3. ``lm3`` (multiplier, 1–3): the New Economics Foundation's "Money Trail" (2002), LM3 = (R1 + R2 + R3)
   / R1, summed over members whose spending is recorded (a member with income but no recorded payment
   is left out and counted in the detail, not taken to spend everything outside). For member *i*: R1ᵢ = money *i* receives (from anyone); sᵢ = paid insideᵢ
   ÷ paid totalᵢ (0 if *i* pays nothing); R2ᵢ = R1ᵢ × sᵢ, and that money reaches each inside recipient
   *j* in proportion to *i*'s inside payments (R2ᵢ × payᵢⱼ ÷ paid insideᵢ). R3 = Σⱼ (money reaching
   *j*) × sⱼ, with sⱼ *j*'s own inside share (member or not). Since every share is at most 1, R3 ≤ R2 ≤
   R1, hence 1 ≤ LM3 ≤ 3. None when R1 = 0.
4. ``work_placements`` (count): labour flows with both ends inside; the value is the number of people
   placed (Σ quantity in persons or FTE), the detail has the number of flows, hours and days, and the
   share of all labour value (EUR) kept inside.
5. ``closure`` (share): members that both buy inside and sell inside ÷ members. Buying inside means
   paying money to, or receiving any other kind of flow from, an inside actor; selling inside is the
   reverse. None when there are no members.
6. ``concentration`` (index): the Herfindahl–Hirschman index Σ sₖ² over inside actors, where sₖ is
   actor *k*'s share of all money received by inside actors: 1 means one actor takes everything, 1/n
   an even spread over n actors. The detail names the largest actor and its share. None when no money
   was received.
7. ``role_coverage`` (share): how many of the six district roles at least one member holds ÷ 6; the
   detail lists the missing ones.
8. ``circular_closure`` (share): value (EUR) of energy and reuse flows with both ends inside ÷ value
   of all energy and reuse flows; when they are all worth 0 EUR, the number of flows is used instead
   (a free exchange of reused materials is still circular). None when there are no such flows.

The computation makes one pass over the actors, one over the flows and one over the members' inside
payments (LM3 needs each payer's totals before it can follow the money): 50,000 flows take a few
hundredths of a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeGuard

from ssd_starter.core.vocabulary import FlowKind, Role, Stage, Unit
from ssd_starter.i18n import N_

SHARE, MULTIPLIER, INDEX, COUNT = "share", "multiplier", "index", "count"
AT_LEAST, AT_MOST = "at_least", "at_most"
COMPARISONS = (AT_LEAST, AT_MOST)

AMBER_BAND = 0.2
"""A value within 20 % of its target (relative to the target) is amber: close, not yet there."""
_TOLERANCE = 1e-9
"""Shares are ratios of float sums: 0.5 may come out as 0.49999999999999994 and must still be met."""


@dataclass(frozen=True)
class IndicatorInfo:
    """What the UI shows next to a value: title, plain-language explanation and formula (N_ texts,
    translated at display time) and how to format it (``unit``: share, multiplier, index or count)."""

    key: str
    title: str
    explanation: str
    formula: str
    unit: str


INDICATORS: tuple[IndicatorInfo, ...] = (
    IndicatorInfo(
        "internal_purchases",
        N_("Purchases inside the district"),
        N_("Of all the money members spend, the part that goes to actors of the district. The higher it "
           "is, the more the district works as a market of its own."),
        N_("money paid by members to district actors ÷ all money paid by members"),
        SHARE),
    IndicatorInfo(
        "leakage",
        N_("Leakage"),
        N_("Of all the money the district's actors spend, the part that leaves the district. Some "
           "leakage is unavoidable; a lower value means more of each euro stays to circulate locally."),
        N_("money paid by district actors to the outside ÷ all money paid by district actors"),
        SHARE),
    IndicatorInfo(
        "lm3",
        N_("Local multiplier (LM3)"),
        N_("How much local income each euro received by members creates over three rounds of "
           "spending (New Economics Foundation, \"The Money Trail\"). 1 means the money leaves at once, "
           "3 means it all stays for two more rounds: 1.85 means each euro earns 85 cents more locally."),
        N_("(R1 + R2 + R3) ÷ R1; R1 = money received by members whose spending is recorded; R2 = the part of R1 members spend inside; "
           "R3 = the part of R2 its recipients spend inside again"),
        MULTIPLIER),
    IndicatorInfo(
        "work_placements",
        N_("Work placements"),
        N_("People placed in work by one district actor with another (for example by a social "
           "cooperative), counted from the work-placement flows between district actors."),
        N_("sum of persons and full-time equivalents of work-placement flows between district actors"),
        COUNT),
    IndicatorInfo(
        "closure",
        N_("Closed loops"),
        N_("The share of members that both buy from and sell to other district actors. A member that "
           "only buys or only sells inside is attached to the district by one thread."),
        N_("members that buy and sell inside ÷ members"),
        SHARE),
    IndicatorInfo(
        "concentration",
        N_("Dependency on the largest actor"),
        N_("How concentrated the money received in the district is (Herfindahl index). Close to 0 "
           "means income is spread over many actors; 1 means one actor takes it all, and the district "
           "depends on it."),
        N_("sum over district actors of (money received by the actor ÷ money received by all)²"),
        INDEX),
    IndicatorInfo(
        "role_coverage",
        N_("Roles covered"),
        N_("How many of the six district roles (producer, distributor, consumer, financer, trainer, job "
           "placement) are held by at least one member."),
        N_("roles held by at least one member ÷ 6"),
        SHARE),
    IndicatorInfo(
        "circular_closure",
        N_("Circular closure"),
        N_("Of the energy and of the materials for reuse that the district's actors exchange, the part "
           "that is produced and used inside the district."),
        N_("value of energy and reuse flows between district actors ÷ value of all energy and reuse "
           "flows (their number when none has a value)"),
        SHARE),
)
INDICATOR_KEYS: tuple[str, ...] = tuple(info.key for info in INDICATORS)
INFO_BY_KEY: dict[str, IndicatorInfo] = {info.key: info for info in INDICATORS}


@dataclass(frozen=True)
class Target:
    """A district's goal for one indicator: the value must be ``at_least`` or ``at_most`` ``value``."""

    comparison: str
    value: float


DEFAULT_TARGETS: dict[str, Target] = {
    # Half: a district where members buy more from each other than from the outside is a market, not a list.
    "internal_purchases": Target(AT_LEAST, 0.5),
    # A district cannot make everything (fuel, raw materials, taxes leave), so 0 is unrealistic; at most
    # 40 % lost leaves most of each euro to circulate.
    "leakage": Target(AT_MOST, 0.4),
    # NEF's studies found 1.76 for money spent with a local supplier (Northumberland); 1.6 is a reachable
    # step towards it for a young district.
    "lm3": Target(AT_LEAST, 1.6),
    # Job placement is one of the law's district roles: at least one person placed shows it works.
    "work_placements": Target(AT_LEAST, 1.0),
    # Half of the members tied both ways (buying and selling inside).
    "closure": Target(AT_LEAST, 0.5),
    # Competition practice (US merger guidelines 2010) calls an HHI above 0.25 highly concentrated.
    "concentration": Target(AT_MOST, 0.25),
    # Law 13/2010 describes the district through all six roles: every one should be held by a member.
    "role_coverage": Target(AT_LEAST, 1.0),
    # Most of the energy and reused materials exchanged should stay in the loop.
    "circular_closure": Target(AT_LEAST, 0.5),
}


@dataclass(frozen=True)
class Indicator:
    """One computed indicator: ``value`` None means "cannot be computed from these flows", not zero."""

    key: str
    value: float | None
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class FlowIndicators:
    values: Mapping[str, Indicator]  # every key of INDICATORS, in display order

    def __getitem__(self, key: str) -> Indicator:
        return self.values[key]

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """JSON-able: ``{key: {"value": ..., **detail}}`` (tuples become lists)."""
        return {
            key: {"value": ind.value,
                  **{k: list(v) if isinstance(v, tuple) else v for k, v in ind.detail.items()}}
            for key, ind in self.values.items()
        }


_MONEY = FlowKind.MONEY.value
_LABOUR = FlowKind.LABOUR.value
_CIRCULAR = frozenset((FlowKind.ENERGY.value, FlowKind.REUSE.value))
_PEOPLE_UNITS = frozenset((Unit.PERSONS.value, Unit.FTE.value))
_HOURS = Unit.HOURS.value
_DAYS = Unit.DAYS.value
_MEMBER_STAGES = frozenset((Stage.MEMBER.value, Stage.SIGNATORY.value))


def _share(part: float, whole: float) -> float | None:
    """part ÷ whole, None when whole is 0; capped at 1 against float rounding of two sums."""
    return min(1.0, part / whole) if whole > 0 else None


def _number(value: Any) -> float:
    """A quantity or value as a non-negative float; None, garbage, NaN and negatives count as 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number > 0 and math.isfinite(number) else 0.0


def compute_indicators(actors: Iterable[Mapping[str, Any]], flows: Iterable[Mapping[str, Any]]) -> FlowIndicators:
    """All eight indicators at once (see the module docstring for the definitions)."""
    names: dict[str, str] = {}
    members: set[str] = set()
    held_roles: set[str] = set()
    for actor in actors:
        actor_id = actor["id"]
        names[actor_id] = actor.get("name") or ""
        if actor.get("stage") in _MEMBER_STAGES:
            members.add(actor_id)
            held_roles.update(actor.get("roles") or ())
    inside = names.keys()

    # Money, per inside actor.
    received: dict[str, float] = {}
    paid_total: dict[str, float] = {}
    paid_inside: dict[str, float] = {}
    member_inside_payments: list[tuple[str, str, float]] = []  # (member, inside payee, EUR) for LM3
    # Closure.
    buys_inside: set[str] = set()
    sells_inside: set[str] = set()
    # Labour.
    labour_flows = 0
    people = hours = days = labour_value = labour_value_inside = 0.0
    # Energy and reuse.
    circular_flows = circular_flows_inside = 0
    circular_value = circular_value_inside = 0.0

    for flow in flows:
        source = flow["source_id"]
        target = flow["target_id"]
        if source not in inside:
            source = None
        if target not in inside:
            target = None
        if source == target:
            continue  # to itself, or outside to outside: nothing moves between actors
        kind = flow["kind"]
        if kind == _MONEY:
            value = flow["value_eur"]
            if not (isinstance(value, (int, float)) and 0 < value < math.inf):
                continue
            if target is not None:
                received[target] = received.get(target, 0.0) + value
            if source is not None:
                paid_total[source] = paid_total.get(source, 0.0) + value
                if target is not None:
                    paid_inside[source] = paid_inside.get(source, 0.0) + value
                    if source in members:
                        buys_inside.add(source)
                        member_inside_payments.append((source, target, value))
                    if target in members:
                        sells_inside.add(target)
            continue
        # Any other kind goes provider (source) → receiver (target).
        both_inside = source is not None and target is not None
        if both_inside:
            if source in members:
                sells_inside.add(source)
            if target in members:
                buys_inside.add(target)
        if kind == _LABOUR:
            value = _number(flow.get("value_eur"))
            labour_value += value
            if both_inside:
                labour_value_inside += value
                labour_flows += 1
                unit = flow.get("unit")
                if unit in _PEOPLE_UNITS:
                    people += _number(flow.get("quantity"))
                elif unit == _HOURS:
                    hours += _number(flow.get("quantity"))
                elif unit == _DAYS:
                    days += _number(flow.get("quantity"))
        elif kind in _CIRCULAR:
            value = _number(flow.get("value_eur"))
            circular_flows += 1
            circular_value += value
            if both_inside:
                circular_flows_inside += 1
                circular_value_inside += value

    values: dict[str, Indicator] = {}

    # 1. Purchases inside, by members.
    member_paid = sum(paid_total.get(m, 0.0) for m in members)
    member_paid_inside = sum(paid_inside.get(m, 0.0) for m in members)
    values["internal_purchases"] = Indicator("internal_purchases", _share(member_paid_inside, member_paid), {
        "paid_inside_eur": member_paid_inside, "paid_total_eur": member_paid})

    # 2. Leakage, by every inside actor.
    all_paid = sum(paid_total.values())
    all_paid_inside = sum(paid_inside.values())
    leaked = max(0.0, all_paid - all_paid_inside)
    values["leakage"] = Indicator("leakage", _share(leaked, all_paid), {
        "leakage_eur": leaked, "paid_total_eur": all_paid})

    # 3. LM3. The money reaching j from member i is R1ᵢ × sᵢ × payᵢⱼ ÷ paid insideᵢ = R1ᵢ × payᵢⱼ ÷ paid totalᵢ.
    # A member whose own spending is not recorded yet is left out rather than counted as spending
    # everything outside: a new member with only its sales entered would otherwise pull LM3 down.
    spenders = [m for m in members if paid_total.get(m)]
    unrecorded = [m for m in members if not paid_total.get(m) and received.get(m)]
    r1 = sum(received.get(m, 0.0) for m in spenders)
    r2 = 0.0
    for m in members:
        if m in paid_inside:
            r2 += received.get(m, 0.0) * min(1.0, paid_inside[m] / paid_total[m])
    reaching: dict[str, float] = {}
    for payer, payee, value in member_inside_payments:
        income = received.get(payer)
        if income:
            reaching[payee] = reaching.get(payee, 0.0) + income * value / paid_total[payer]
    r3 = 0.0
    for payee, value in reaching.items():
        if payee in paid_inside:
            r3 += value * min(1.0, paid_inside[payee] / paid_total[payee])
    r3 = min(r3, r2)  # equal in exact arithmetic when every share is 1; float sums may differ by an ulp
    lm3 = min(3.0, max(1.0, (r1 + r2 + r3) / r1)) if r1 > 0 else None
    values["lm3"] = Indicator("lm3", lm3, {"r1": r1, "r2": r2, "r3": r3,
                                           "members_without_recorded_spending": len(unrecorded)})

    # 4. Work placements.
    values["work_placements"] = Indicator("work_placements", people, {
        "flows": labour_flows, "hours": hours, "days": days,
        "labour_value_eur": labour_value, "labour_value_inside_eur": labour_value_inside,
        "labour_value_inside_share": _share(labour_value_inside, labour_value)})

    # 5. Closed loops.
    closed = len(buys_inside & sells_inside)
    values["closure"] = Indicator("closure", closed / len(members) if members else None, {
        "members": len(members), "buying_inside": len(buys_inside), "selling_inside": len(sells_inside),
        "closed": closed})

    # 6. Concentration.
    total_received = sum(received.values())
    if total_received > 0:
        hhi = min(1.0, sum((v / total_received) ** 2 for v in received.values()))
        largest = min(received, key=lambda a: (-received[a], names[a].casefold(), a))
        concentration: Indicator = Indicator("concentration", hhi, {
            "largest_id": largest, "largest_name": names[largest],
            "largest_share": min(1.0, received[largest] / total_received),
            "received_total_eur": total_received, "actors_receiving": len(received)})
    else:
        concentration = Indicator("concentration", None, {
            "largest_id": None, "largest_name": None, "largest_share": None,
            "received_total_eur": 0.0, "actors_receiving": 0})
    values["concentration"] = concentration

    # 7. Roles held by members.
    roles = tuple(role.value for role in Role)
    missing = tuple(role for role in roles if role not in held_roles)
    values["role_coverage"] = Indicator("role_coverage", (len(roles) - len(missing)) / len(roles), {
        "covered": tuple(role for role in roles if role in held_roles), "missing": missing})

    # 8. Circular closure.
    if circular_value > 0:
        circular, basis = _share(circular_value_inside, circular_value), "value"
    elif circular_flows:
        circular, basis = circular_flows_inside / circular_flows, "count"
    else:
        circular, basis = None, None
    values["circular_closure"] = Indicator("circular_closure", circular, {
        "basis": basis, "flows": circular_flows, "flows_inside": circular_flows_inside,
        "value_eur": circular_value, "value_inside_eur": circular_value_inside})

    return FlowIndicators(MappingProxyType({key: _frozen(values[key]) for key in INDICATOR_KEYS}))


def _frozen(indicator: Indicator) -> Indicator:
    return Indicator(indicator.key, indicator.value, MappingProxyType(dict(indicator.detail)))


def _valid_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def targets_from(stored: Mapping[str, Any] | None) -> dict[str, Target]:
    """The defaults, overridden by the valid entries of ``stored``.

    An entry is ``{"comparison": "at_least"|"at_most", "value": number}``; a missing comparison keeps
    the default one, and a bare number is taken as the value. Unknown keys and bad entries are ignored,
    so a settings file edited by hand or written by an older version never breaks the indicator view.
    """
    targets = dict(DEFAULT_TARGETS)
    if not isinstance(stored, Mapping):
        return targets
    for key, entry in stored.items():
        if key not in targets:
            continue
        if _valid_number(entry):
            targets[key] = Target(targets[key].comparison, float(entry))
            continue
        if not isinstance(entry, Mapping):
            continue
        comparison = entry.get("comparison", targets[key].comparison)
        value = entry.get("value")
        if comparison in COMPARISONS and _valid_number(value):
            targets[key] = Target(comparison, float(value))
    return targets


def targets_to_json(targets: Mapping[str, Target]) -> dict[str, dict[str, Any]]:
    """The inverse of :func:`targets_from`, in display order."""
    return {key: {"comparison": targets[key].comparison, "value": targets[key].value}
            for key in sorted(targets, key=lambda k: (INDICATOR_KEYS.index(k) if k in INFO_BY_KEY else 99, k))}


def status(indicator: Indicator, target: Target) -> str:
    """``green`` when the target is met, ``amber`` when the value misses it by at most 20 % of the
    target (at_least 0.5: from 0.4; at_most 0.4: up to 0.48), ``red`` beyond, ``none`` without a value."""
    value = indicator.value
    if value is None:
        return "none"
    goal = target.value
    slack = _TOLERANCE * max(1.0, abs(goal))
    band = AMBER_BAND * abs(goal)
    if target.comparison == AT_MOST:
        if value <= goal + slack:
            return "green"
        return "amber" if value <= goal + band + slack else "red"
    if value >= goal - slack:
        return "green"
    return "amber" if value >= goal - band - slack else "red"


def statuses(result: FlowIndicators, targets: Mapping[str, Target]) -> dict[str, str]:
    """The status of every indicator; one without a target in ``targets`` is judged on its default."""
    return {key: status(indicator, targets.get(key) or DEFAULT_TARGETS[key])
            for key, indicator in result.values.items()}


def format_value(info: IndicatorInfo, value: float | None) -> str:
    """An indicator's value as people read it in the current language: shares as percentages."""
    from ssd_starter.i18n import format_number, format_percent

    if value is None:
        return "—"
    if info.unit == SHARE:
        return format_percent(value)
    if info.unit == COUNT:
        return format_number(round(value, 1))
    return format_number(round(value, 2))


STATUS_LABELS = {"green": N_("target met"), "amber": N_("close to the target"), "red": N_("target not met"),
                 "none": N_("no data yet")}
