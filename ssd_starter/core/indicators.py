"""Economic and circular indicators of a district, computed from its resource flows (no Qt, no store).

The inputs are plain rows as the store gives them. Every actor on the map is *inside* the district (the
"local area" of the New Economics Foundation's method); a *member* is an actor at stage ``member`` or
``signatory``, and membership only marks who the members' own figures (roles, closed loops) are about: it
never moves the money indicators. A flow whose ``source_id`` or ``target_id`` is empty, or names no actor we
were given, is from or to the *outside*: a stale id must not make money vanish, so it is counted as leaving
the district rather than dropped. Money flows go payer → payee, the other kinds provider → receiver.

The economic indicators read **money flows only**: a delivery of goods is recorded twice, once as goods and
once as its payment, and counting both would double its weight. A money flow has a *purpose*
(``vocabulary.FlowPurpose``; none recorded reads as a payment): loans and investments are *financing*,
neither spending nor income, and have an indicator of their own; payments, wages, fees and grants are
*spending* for the payer and *income* for the payee. A flow from an actor to itself moves nothing between
actors and is ignored, as is a money flow worth nothing (it is not a payment).

1. ``internal_purchases`` (share) and 2. ``leakage`` (share), on **one base**: all the money the district's
   actors spend (financing left out). Purchases inside = the part paid to district actors, leakage = the
   part paid to the outside; together 100 %. None when nobody inside spent anything. The detail also has the
   members' own spending, for the text that says so.
3. ``lm3`` (multiplier, 1–3): NEF's "Money Trail" (2002), LM3 = (R1 + R2 + R3) / R1, following the money
   that enters from outside. R1 = income district actors receive from the outside (sales outside, grants;
   not loans or investments). Each recipient *i* of R1ᵢ spends the share sᵢ = spent insideᵢ ÷ spent totalᵢ of
   it inside (its recorded spending, whatever its other income): R2 = Σ R1ᵢ sᵢ, reaching each district actor
   *j* in proportion to what *i* paid *j* (R1ᵢ × payᵢⱼ ÷ spent totalᵢ). R3 = Σⱼ (money reaching *j*) × sⱼ.
   Money paid from one actor to another is never counted as new income, so nothing is counted twice. Since
   every share is at most 1, R3 ≤ R2 ≤ R1, hence 1 ≤ LM3 ≤ 3. None when R1 = 0. Actors the money reaches
   whose spending is not recorded are taken to spend nothing inside, and are *named* in the detail with the
   amount that stops there (``without_spending``); actors who spend without any recorded income (so their
   money is never traced) are named with what they spend (``without_income``).
4. ``financing_inside`` (share): loans and investments received by district actors from district actors ÷
   all the loans and investments district actors receive. None when they receive none.
5. ``public_support`` (share): grants and subsidies received by district actors ÷ all the income they
   receive. None when they receive none.
6. ``work_placements`` (count): labour flows with both ends inside; the value is the number of people
   placed (Σ quantity in persons or FTE), the detail has the number of flows, hours and days, and the
   share of all labour value (EUR) kept inside.
7. ``closure`` (share): members that both buy inside and sell inside ÷ members. Buying inside means
   paying money (not financing) to, or receiving any other kind of flow from, an inside actor; selling
   inside is the reverse. None when there are no members.
8. ``concentration`` (index): the Herfindahl–Hirschman index Σ sₖ² over inside actors, where sₖ is
   actor *k*'s share of all the income received by inside actors: 1 means one actor takes everything, 1/n
   an even spread over n actors. The detail names the largest actor and its share. None when no income
   was received.
9. ``role_coverage`` (share): how many of the six district roles at least one member holds ÷ 6; the
   detail lists the missing ones.
10. ``circular_closure`` (share): value (EUR) of energy and reuse flows with both ends inside ÷ value
    of all energy and reuse flows; when they are all worth 0 EUR, the number of flows is used instead
    (a free exchange of reused materials is still circular). None when there are no such flows.

NEF's own form of LM3, of one organisation with its whole income as R1, is ``actor_multipliers``: the figure
shown for an actor and for each member in the dossier.

The computation makes one pass over the actors, one over the flows and one over the payments inside (LM3
needs each payer's totals before it can follow the money): 50,000 flows take a few hundredths of a second.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeGuard

from ssd_starter.core.vocabulary import FINANCING_PURPOSES, FlowKind, FlowPurpose, Role, Stage, Unit
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
        N_("Of all the money the district's actors spend — payments, wages, fees and grants they give; loans "
           "and investments left out — the part that goes to other actors of the district. With leakage it "
           "makes 100%. The higher it is, the more the district works as a market of its own."),
        N_("money paid by district actors to district actors ÷ all money paid by district actors (loans and "
           "investments left out)"),
        SHARE),
    IndicatorInfo(
        "leakage",
        N_("Leakage"),
        N_("Of the same money, the part that leaves the district: 100% minus the purchases inside. Some "
           "leakage is unavoidable; a lower value means more of each euro stays to circulate locally."),
        N_("money paid by district actors to the outside ÷ all money paid by district actors (loans and "
           "investments left out)"),
        SHARE),
    IndicatorInfo(
        "lm3",
        N_("Local multiplier (LM3)"),
        N_("How much local income each euro entering the district from outside creates over three rounds of "
           "spending (New Economics Foundation, \"The Money Trail\"). 1 means the money leaves at once, "
           "3 means it all stays for two more rounds: 1.85 means each euro earns 85 cents more locally. Every "
           "actor on the map counts as local, member or not."),
        N_("(R1 + R2 + R3) ÷ R1; R1 = income district actors receive from outside (sales, grants; not loans or "
           "investments); R2 = the part of R1 they spend inside, in proportion to their recorded spending; "
           "R3 = the part of R2 its recipients spend inside again"),
        MULTIPLIER),
    IndicatorInfo(
        "financing_inside",
        N_("Financing from inside the district"),
        N_("Of the loans and investments the district's actors receive, the part that comes from actors of the "
           "district, such as its ethical finance. Financing is counted apart: it is neither a purchase nor "
           "income."),
        N_("loans and investments from district actors to district actors ÷ all loans and investments received "
           "by district actors"),
        SHARE),
    IndicatorInfo(
        "public_support",
        N_("Public support"),
        N_("Of all the income the district's actors receive, the part that comes as grants and subsidies. "
           "Support helps a district to start; a district that lives on it stops when it stops."),
        N_("grants and subsidies received by district actors ÷ all income received by district actors (loans "
           "and investments left out)"),
        SHARE),
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
        N_("How concentrated the income received in the district is (Herfindahl index). Close to 0 "
           "means income is spread over many actors; 1 means one actor takes it all, and the district "
           "depends on it. Loans and investments are not income."),
        N_("sum over district actors of (income received by the actor ÷ income received by all)²"),
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
    # Half: a district where its actors buy more from each other than from the outside is a market, not a list.
    "internal_purchases": Target(AT_LEAST, 0.5),
    # A district cannot make everything (fuel, raw materials, taxes leave), so 0 is unrealistic; at most
    # 40 % lost leaves most of each euro to circulate.
    "leakage": Target(AT_MOST, 0.4),
    # NEF's studies found 1.76 for money spent with a local supplier (Northumberland); 1.6 is a reachable
    # step towards it for a young district.
    "lm3": Target(AT_LEAST, 1.6),
    # Ethical finance is one of Law 13/2010's sectors: half of the district's financing from its own
    # lenders and investors keeps the interest and the decisions inside.
    "financing_inside": Target(AT_LEAST, 0.5),
    # Actors that earn at least 70 % of their income by what they sell stand on their own; grants are for
    # starting, and a district above this share would stop with them.
    "public_support": Target(AT_MOST, 0.3),
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

    def values_only(self) -> dict[str, float | None]:
        """Each indicator's value alone: what a yearly snapshot keeps."""
        return {key: ind.value for key, ind in self.values.items()}


_MONEY = FlowKind.MONEY.value
_LABOUR = FlowKind.LABOUR.value
_CIRCULAR = frozenset((FlowKind.ENERGY.value, FlowKind.REUSE.value))
_PEOPLE_UNITS = frozenset((Unit.PERSONS.value, Unit.FTE.value))
_HOURS = Unit.HOURS.value
_DAYS = Unit.DAYS.value
_MEMBER_STAGES = frozenset((Stage.MEMBER.value, Stage.SIGNATORY.value))
_GRANT = FlowPurpose.GRANT.value


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


def _payment(value: Any) -> bool:
    return isinstance(value, (int, float)) and 0 < value < math.inf


@dataclass
class _Ledger:
    """The money of every inside actor, from one pass over the flows (spending and income exclude financing)."""

    names: dict[str, str]
    members: set[str]
    held_roles: set[str]
    received: dict[str, float] = field(default_factory=dict)  # income, from anyone
    received_outside: dict[str, float] = field(default_factory=dict)  # income from the outside: R1
    paid_total: dict[str, float] = field(default_factory=dict)
    paid_inside: dict[str, float] = field(default_factory=dict)
    payments: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # payer → [(inside payee, EUR)]
    grants: float = 0.0  # grants received by inside actors
    financing: float = 0.0  # loans and investments received by inside actors
    financing_inside: float = 0.0  # … of them from inside actors
    financing_flows: int = 0
    financing_paid: float = 0.0  # loans and investments paid by inside actors, left out of spending
    buys_inside: set[str] = field(default_factory=set)
    sells_inside: set[str] = field(default_factory=set)
    labour_flows: int = 0
    people: float = 0.0
    hours: float = 0.0
    days: float = 0.0
    labour_value: float = 0.0
    labour_value_inside: float = 0.0
    circular_flows: int = 0
    circular_flows_inside: int = 0
    circular_value: float = 0.0
    circular_value_inside: float = 0.0

    def share_inside(self, actor: str) -> float | None:
        """The part of its recorded spending an actor pays inside; None when none is recorded."""
        total = self.paid_total.get(actor)
        return min(1.0, self.paid_inside.get(actor, 0.0) / total) if total else None


def _ledger(actors: Iterable[Mapping[str, Any]], flows: Iterable[Mapping[str, Any]]) -> _Ledger:
    names: dict[str, str] = {}
    members: set[str] = set()
    held_roles: set[str] = set()
    for actor in actors:
        actor_id = actor["id"]
        names[actor_id] = actor.get("name") or ""
        if actor.get("stage") in _MEMBER_STAGES:
            members.add(actor_id)
            held_roles.update(actor.get("roles") or ())
    book = _Ledger(names, members, held_roles)
    inside = names.keys()
    received, received_outside = book.received, book.received_outside
    paid_total, paid_inside, payments = book.paid_total, book.paid_inside, book.payments
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
            if not _payment(value):
                continue
            purpose = flow.get("purpose")
            if purpose in FINANCING_PURPOSES:
                if target is not None:
                    book.financing += value
                    book.financing_flows += 1
                    if source is not None:
                        book.financing_inside += value
                if source is not None:
                    book.financing_paid += value
                continue
            if target is not None:
                received[target] = received.get(target, 0.0) + value
                if source is None:
                    received_outside[target] = received_outside.get(target, 0.0) + value
                if purpose == _GRANT:
                    book.grants += value
            if source is not None:
                paid_total[source] = paid_total.get(source, 0.0) + value
                if target is not None:
                    paid_inside[source] = paid_inside.get(source, 0.0) + value
                    payments.setdefault(source, []).append((target, value))
                    if source in members:
                        book.buys_inside.add(source)
                    if target in members:
                        book.sells_inside.add(target)
            continue
        # Any other kind goes provider (source) → receiver (target).
        both_inside = source is not None and target is not None
        if both_inside:
            if source in members:
                book.sells_inside.add(source)
            if target in members:
                book.buys_inside.add(target)
        if kind == _LABOUR:
            value = _number(flow.get("value_eur"))
            book.labour_value += value
            if both_inside:
                book.labour_value_inside += value
                book.labour_flows += 1
                unit = flow.get("unit")
                if unit in _PEOPLE_UNITS:
                    book.people += _number(flow.get("quantity"))
                elif unit == _HOURS:
                    book.hours += _number(flow.get("quantity"))
                elif unit == _DAYS:
                    book.days += _number(flow.get("quantity"))
        elif kind in _CIRCULAR:
            value = _number(flow.get("value_eur"))
            book.circular_flows += 1
            book.circular_value += value
            if both_inside:
                book.circular_flows_inside += 1
                book.circular_value_inside += value
    return book


@dataclass(frozen=True)
class Rounds:
    """Money followed over NEF's three rounds from a starting income per actor (R1)."""

    r1: float
    r2: float
    r3: float
    without_spending: dict[str, float]  # actor the money reached but who records no spending → EUR stopped there

    @property
    def multiplier(self) -> float | None:
        return min(3.0, max(1.0, (self.r1 + self.r2 + self.r3) / self.r1)) if self.r1 > 0 else None


def _follow(book: _Ledger, start: Mapping[str, float]) -> Rounds:
    """R2 and R3 of the money ``start`` gives each actor, spent in proportion to each one's recorded spending.
    The money reaching j from i is R1ᵢ × sᵢ × payᵢⱼ ÷ paid insideᵢ = R1ᵢ × payᵢⱼ ÷ paid totalᵢ."""
    stopped: dict[str, float] = {}
    reaching: dict[str, float] = {}
    r2 = 0.0
    for actor, income in start.items():
        total = book.paid_total.get(actor)
        if not total:
            stopped[actor] = stopped.get(actor, 0.0) + income
            continue
        r2 += income * min(1.0, book.paid_inside.get(actor, 0.0) / total)
        for payee, value in book.payments.get(actor, ()):
            reaching[payee] = reaching.get(payee, 0.0) + income * value / total
    r3 = 0.0
    for payee, value in reaching.items():
        share = book.share_inside(payee)
        if share is None:
            stopped[payee] = stopped.get(payee, 0.0) + value
        else:
            r3 += value * share
    r2 = min(r2, sum(start.values()))
    r3 = min(r3, r2)  # equal in exact arithmetic when every share is 1; float sums may differ by an ulp
    return Rounds(sum(start.values()), r2, r3, stopped)


def _named(book: _Ledger, amounts: Mapping[str, float]) -> tuple[dict[str, Any], ...]:
    """Actors with an amount, largest first, as the detail lists them (name and EUR)."""
    ordered = sorted(amounts.items(), key=lambda item: (-item[1], book.names[item[0]].casefold(), item[0]))
    return tuple({"id": actor, "name": book.names[actor], "eur": eur} for actor, eur in ordered)


def compute_indicators(actors: Iterable[Mapping[str, Any]], flows: Iterable[Mapping[str, Any]]) -> FlowIndicators:
    """All the indicators at once (see the module docstring for the definitions)."""
    book = _ledger(actors, flows)
    members = book.members
    received, paid_total, paid_inside = book.received, book.paid_total, book.paid_inside
    values: dict[str, Indicator] = {}

    # 1. and 2. Purchases inside and leakage, on one base: what every inside actor spends.
    all_paid = sum(paid_total.values())
    all_paid_inside = sum(paid_inside.values())
    leaked = max(0.0, all_paid - all_paid_inside)
    members_paid = sum(paid_total.get(m, 0.0) for m in members)
    members_paid_inside = sum(paid_inside.get(m, 0.0) for m in members)
    values["internal_purchases"] = Indicator("internal_purchases", _share(all_paid_inside, all_paid), {
        "paid_inside_eur": all_paid_inside, "paid_total_eur": all_paid, "leakage_eur": leaked,
        "members_paid_inside_eur": members_paid_inside, "members_paid_total_eur": members_paid,
        "financing_left_out_eur": book.financing_paid})
    values["leakage"] = Indicator("leakage", _share(leaked, all_paid), {
        "leakage_eur": leaked, "paid_total_eur": all_paid})

    # 3. LM3: the money entering from outside, followed over two more rounds.
    rounds = _follow(book, book.received_outside)
    without_income = {a: paid for a, paid in paid_total.items() if not received.get(a)}
    values["lm3"] = Indicator("lm3", rounds.multiplier, {
        "r1": rounds.r1, "r2": rounds.r2, "r3": rounds.r3, "recipients": len(book.received_outside),
        "without_spending": _named(book, rounds.without_spending), "without_income": _named(book, without_income)})

    # 4. Financing from inside.
    values["financing_inside"] = Indicator("financing_inside", _share(book.financing_inside, book.financing), {
        "financing_eur": book.financing, "from_inside_eur": book.financing_inside, "flows": book.financing_flows})

    # 5. Public support.
    total_received = sum(received.values())
    values["public_support"] = Indicator("public_support", _share(book.grants, total_received), {
        "grants_eur": book.grants, "income_eur": total_received})

    # 6. Work placements.
    values["work_placements"] = Indicator("work_placements", book.people, {
        "flows": book.labour_flows, "hours": book.hours, "days": book.days,
        "labour_value_eur": book.labour_value, "labour_value_inside_eur": book.labour_value_inside,
        "labour_value_inside_share": _share(book.labour_value_inside, book.labour_value)})

    # 7. Closed loops.
    closed = len(book.buys_inside & book.sells_inside)
    values["closure"] = Indicator("closure", closed / len(members) if members else None, {
        "members": len(members), "buying_inside": len(book.buys_inside),
        "selling_inside": len(book.sells_inside), "closed": closed})

    # 8. Concentration of income.
    if total_received > 0:
        hhi = min(1.0, sum((v / total_received) ** 2 for v in received.values()))
        largest = min(received, key=lambda a: (-received[a], book.names[a].casefold(), a))
        concentration: Indicator = Indicator("concentration", hhi, {
            "largest_id": largest, "largest_name": book.names[largest],
            "largest_share": min(1.0, received[largest] / total_received),
            "received_total_eur": total_received, "actors_receiving": len(received)})
    else:
        concentration = Indicator("concentration", None, {
            "largest_id": None, "largest_name": None, "largest_share": None,
            "received_total_eur": 0.0, "actors_receiving": 0})
    values["concentration"] = concentration

    # 9. Roles held by members.
    roles = tuple(role.value for role in Role)
    missing = tuple(role for role in roles if role not in book.held_roles)
    values["role_coverage"] = Indicator("role_coverage", (len(roles) - len(missing)) / len(roles), {
        "covered": tuple(role for role in roles if role in book.held_roles), "missing": missing})

    # 10. Circular closure.
    if book.circular_value > 0:
        circular, basis = _share(book.circular_value_inside, book.circular_value), "value"
    elif book.circular_flows:
        circular, basis = book.circular_flows_inside / book.circular_flows, "count"
    else:
        circular, basis = None, None
    values["circular_closure"] = Indicator("circular_closure", circular, {
        "basis": basis, "flows": book.circular_flows, "flows_inside": book.circular_flows_inside,
        "value_eur": book.circular_value, "value_inside_eur": book.circular_value_inside})

    return FlowIndicators(MappingProxyType({key: _frozen(values[key]) for key in INDICATOR_KEYS}))


@dataclass(frozen=True)
class ActorMultiplier:
    """NEF's LM3 of one organisation: R1 its whole income (financing left out), R2 the part of it spent
    inside in proportion to its recorded spending, R3 what its inside recipients spend inside again.
    ``value`` is None without income, or without any recorded spending (it would read 1, which says
    nothing): ``missing`` says which."""

    actor_id: str
    value: float | None
    r1: float
    r2: float
    r3: float
    share_inside: float | None
    spent: float  # its recorded spending (EUR): how much of the income the shares rest on
    missing: str | None  # "income" or "spending" when ``value`` is None
    without_spending: tuple[dict[str, Any], ...]  # its recipients whose spending is not recorded


def actor_multipliers(actors: Iterable[Mapping[str, Any]], flows: Iterable[Mapping[str, Any]],
                      actor_ids: Iterable[str] | None = None) -> dict[str, ActorMultiplier]:
    """The per-organisation LM3 of ``actor_ids`` (every actor when None), from one pass over the flows."""
    book = _ledger(actors, flows)
    result: dict[str, ActorMultiplier] = {}
    for actor in (book.names if actor_ids is None else actor_ids):
        if actor not in book.names:
            continue
        income = book.received.get(actor, 0.0)
        share = book.share_inside(actor)
        if not income or share is None:
            result[actor] = ActorMultiplier(actor, None, income, 0.0, 0.0, share, book.paid_total.get(actor, 0.0),
                                            "income" if not income else "spending", ())
            continue
        rounds = _follow(book, {actor: income})
        result[actor] = ActorMultiplier(actor, rounds.multiplier, rounds.r1, rounds.r2, rounds.r3, share,
                                        book.paid_total[actor], None, _named(book, rounds.without_spending))
    return result


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


def shown_value(info: IndicatorInfo, value: float) -> float:
    """``value`` rounded as ``format_value`` shows it: a difference between two shown values is taken from
    these, so that 0.14 and 0.13 never differ by −0.02, nor 41 % and 41 % by "−0 %"."""
    if info.unit == SHARE:
        return round(value * 100) / 100
    return round(value, 1 if info.unit == COUNT else 2)


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
