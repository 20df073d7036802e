"""Flow indicators against small districts worked out by hand, plus property tests on random ones."""

import json
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssd_starter.core.indicators import (
    DEFAULT_TARGETS,
    INDICATORS,
    Indicator,
    Target,
    compute_indicators,
    status,
    statuses,
    targets_from,
    targets_to_json,
)

KEYS = ("internal_purchases", "leakage", "lm3", "work_placements", "closure", "concentration",
        "role_coverage", "circular_closure")
SHARES = ("internal_purchases", "leakage", "closure", "role_coverage", "circular_closure")


def actor(id_, stage="member", roles=(), name=None):
    return {"id": id_, "name": name or id_.upper(), "category": "cooperative", "roles": list(roles),
            "stage": stage}


_counter = iter(range(10**9))


def flow(kind, source, target, value_eur=0.0, quantity=None, unit="EUR"):
    return {"id": f"f{next(_counter)}", "source_id": source, "target_id": target, "kind": kind,
            "quantity": quantity, "unit": unit, "value_eur": value_eur, "description": ""}


def money(source, target, eur):
    return flow("money", source, target, eur, eur, "EUR")


# --- metadata ---------------------------------------------------------------------------------------

def test_indicators_are_listed_in_display_order_with_texts_and_targets():
    assert tuple(info.key for info in INDICATORS) == KEYS
    for info in INDICATORS:
        assert info.title and info.explanation and info.formula, info.key
        assert info.unit in ("share", "multiplier", "index", "count")
    assert {i.key: i.unit for i in INDICATORS}["lm3"] == "multiplier"
    assert {i.key: i.unit for i in INDICATORS}["concentration"] == "index"
    assert {i.key: i.unit for i in INDICATORS}["work_placements"] == "count"
    assert set(DEFAULT_TARGETS) == set(KEYS)
    assert DEFAULT_TARGETS["lm3"] == Target("at_least", 1.6)
    assert DEFAULT_TARGETS["leakage"] == Target("at_most", 0.4)
    assert DEFAULT_TARGETS["concentration"] == Target("at_most", 0.25)
    assert DEFAULT_TARGETS["role_coverage"] == Target("at_least", 1.0)


def test_result_has_every_key_in_order_and_is_json_able():
    result = compute_indicators([actor("a", roles=["producer"])], [money(None, "a", 100), money("a", None, 50)])
    assert tuple(result.values) == KEYS
    data = json.loads(json.dumps(result.as_dict()))
    assert list(data) == list(KEYS)
    assert data["leakage"] == {"value": 1.0, "leakage_eur": 50.0, "paid_total_eur": 50.0}
    assert data["role_coverage"]["covered"] == ["producer"]
    assert result["lm3"].key == "lm3"
    with pytest.raises(KeyError):
        result["nope"]


def test_importing_the_module_loads_neither_qt_nor_the_store():
    code = ("import sys, ssd_starter.core.indicators\n"
            "print([m for m in sys.modules if m.startswith(('PySide6', 'ssd_starter.store', 'ssd_starter.ui'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


# --- 1. internal purchases and 2. leakage -----------------------------------------------------------

def purchases_district():
    actors = [actor("a"), actor("b", stage="signatory"), actor("c", stage="engaged")]
    flows = [
        money("a", "b", 300), money("a", "c", 100), money("a", None, 100),  # a: 400 of 500 inside
        money("b", None, 500),                                               # b: 0 of 500 inside
        money("c", None, 1000), money("c", "a", 200),                        # c is no member
        money(None, "a", 5000),                                              # income is not a purchase
        flow("goods", "a", None, 9999, 10, "kg"),                            # goods never count as money
    ]
    return actors, flows


def test_internal_purchases_counts_members_money_only():
    result = compute_indicators(*purchases_district())
    # members paid 300 + 100 + 100 + 500 = 1000, of which 300 + 100 = 400 to inside actors
    assert result["internal_purchases"].value == pytest.approx(0.4)
    assert result["internal_purchases"].detail["paid_inside_eur"] == pytest.approx(400)
    assert result["internal_purchases"].detail["paid_total_eur"] == pytest.approx(1000)


def test_leakage_counts_every_inside_actor():
    result = compute_indicators(*purchases_district())
    # inside actors paid 1000 (members) + 1200 (c) = 2200; to outside 100 + 500 + 1000 = 1600
    assert result["leakage"].value == pytest.approx(1600 / 2200)
    assert result["leakage"].detail["leakage_eur"] == pytest.approx(1600)
    assert result["leakage"].detail["paid_total_eur"] == pytest.approx(2200)


def test_money_to_an_unknown_actor_leaks_out():
    actors = [actor("a"), actor("b")]
    result = compute_indicators(actors, [money("a", "b", 100), money("a", "ghost", 300)])
    assert result["internal_purchases"].value == pytest.approx(0.25)
    assert result["leakage"].value == pytest.approx(0.75)
    assert result["leakage"].detail["leakage_eur"] == pytest.approx(300)


def test_purchases_and_leakage_are_none_when_nobody_pays():
    result = compute_indicators([actor("a"), actor("b", stage="identified")], [money(None, "a", 100)])
    assert result["internal_purchases"].value is None
    assert result["leakage"].value is None
    # a non-member's payments are leakage but not member purchases
    result = compute_indicators([actor("a"), actor("b", stage="identified")], [money("b", None, 100)])
    assert result["internal_purchases"].value is None
    assert result["leakage"].value == 1.0


# --- 3. LM3 -----------------------------------------------------------------------------------------

def test_lm3_reproduces_the_money_trail_worked_example():
    # DOMAIN §5: R1 = 100,000, R2 = 60,000, R3 = 25,000 -> LM3 = 1.85.
    actors = [actor("a"), actor("b", stage="engaged"), actor("c", stage="contacted"), actor("d", stage="engaged")]
    flows = [
        money(None, "a", 100_000),                               # member a's income
        money("a", "b", 60_000), money("a", None, 40_000),       # a spends 60 % inside
        money("b", "c", 25_000), money("b", None, 35_000),       # b, a local supplier, 25/60 inside
        money("c", "d", 20_000),                                 # a fourth round: not part of LM3
    ]
    lm3 = compute_indicators(actors, flows)["lm3"]
    assert lm3.detail["r1"] == pytest.approx(100_000)
    assert lm3.detail["r2"] == pytest.approx(60_000)
    assert lm3.detail["r3"] == pytest.approx(25_000)
    assert lm3.value == pytest.approx(1.85)


def test_lm3_leaves_out_a_member_whose_spending_is_not_recorded():
    # The worked example plus member e, with €50,000 of sales entered but none of its own payments yet:
    # counting it would read as "e spends everything outside" and pull LM3 from 1.85 to 1.57.
    actors = [actor("a"), actor("b", stage="engaged"), actor("c", stage="contacted"), actor("e")]
    flows = [money(None, "a", 100_000), money("a", "b", 60_000), money("a", None, 40_000),
             money("b", "c", 25_000), money("b", None, 35_000), money(None, "e", 50_000)]
    lm3 = compute_indicators(actors, flows)["lm3"]
    assert lm3.detail["r1"] == pytest.approx(100_000)
    assert lm3.detail["members_without_recorded_spending"] == 1
    assert lm3.value == pytest.approx(1.85)


def test_lm3_splits_r2_over_recipients_by_what_they_were_paid():
    actors = [actor("a"), actor("b", stage="engaged"), actor("c", stage="engaged"), actor("d", stage="engaged")]
    flows = [
        money(None, "a", 1000),
        money("a", "b", 300), money("a", "c", 100), money("a", None, 600),  # s_a = 0.4 -> R2 = 400 (300 b, 100 c)
        money("b", "d", 50), money("b", None, 50),                           # s_b = 0.5
        money("c", "d", 100),                                                # s_c = 1
    ]
    lm3 = compute_indicators(actors, flows)["lm3"]
    # R3 = 300 * 0.5 + 100 * 1 = 250
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((1000, 400, 250))
    assert lm3.value == pytest.approx(1.65)


def test_lm3_with_two_members_feeding_each_other():
    actors = [actor("a"), actor("b"), actor("c", stage="engaged")]
    flows = [
        money(None, "a", 1000), money(None, "b", 500),
        money("a", "b", 500), money("a", None, 500),   # s_a = 0.5
        money("b", "c", 800), money("b", None, 200),   # s_b = 0.8
        money("c", "a", 100), money("c", None, 100),   # s_c = 0.5
    ]
    lm3 = compute_indicators(actors, flows)["lm3"]
    # R1 = a 1100 + b 1000 = 2100; R2 = 1100 * 0.5 (to b) + 1000 * 0.8 (to c) = 1350;
    # R3 = 550 * s_b + 800 * s_c = 440 + 400 = 840
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((2100, 1350, 840))
    assert lm3.value == pytest.approx(4290 / 2100)


def test_lm3_scales_a_members_income_by_its_inside_share_not_by_what_it_paid():
    # a receives 1000 but pays only 200, half inside: R2 = 1000 * 0.5 = 500, all reaching b (who pays nothing).
    actors = [actor("a"), actor("b", stage="engaged")]
    lm3 = compute_indicators(actors, [money(None, "a", 1000), money("a", "b", 100), money("a", None, 100)])["lm3"]
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((1000, 500, 0))
    assert lm3.value == pytest.approx(1.5)


def test_lm3_bounds_and_undefined_cases():
    # all spent outside: 1
    assert compute_indicators([actor("a")], [money(None, "a", 100), money("a", None, 100)])["lm3"].value == 1.0
    # spent to an unknown id counts as outside: 1
    assert compute_indicators([actor("a")], [money(None, "a", 100), money("a", "ghost", 100)])["lm3"].value == 1.0
    # all kept inside for two rounds: 3
    actors = [actor("a"), actor("b", stage="engaged"), actor("c", stage="engaged")]
    flows = [money(None, "a", 100), money("a", "b", 100), money("b", "c", 100)]
    assert compute_indicators(actors, flows)["lm3"].value == pytest.approx(3.0)
    # no member receives money: undefined
    lm3 = compute_indicators([actor("a"), actor("b", stage="engaged")], [money(None, "b", 100)])["lm3"]
    assert lm3.value is None and lm3.detail["r1"] == 0


# --- 4. work placements -----------------------------------------------------------------------------

def test_work_placements_count_people_placed_between_inside_actors():
    actors = [actor("coop", stage="engaged", roles=["job_placement"]), actor("a"), actor("b")]
    flows = [
        flow("labour", "coop", "a", 30_000, 2, "persons"),
        flow("labour", "coop", "b", 10_000, 0.5, "fte"),
        flow("labour", "coop", "a", 2_000, 120, "h"),
        flow("labour", "coop", "b", 1_000, 3, "days"),
        flow("labour", "coop", "b", 0, None, "persons"),        # no quantity: a flow, no people
        flow("labour", "coop", None, 8_000, 3, "persons"),      # placed outside: not counted
        flow("labour", None, "a", 0, 1, "persons"),             # from outside: not counted
        flow("labour", "coop", "ghost", 0, 4, "persons"),       # unknown receiver: outside
        flow("knowledge", "coop", "a", 500, 5, "persons"),      # not labour
    ]
    wp = compute_indicators(actors, flows)["work_placements"]
    assert wp.value == pytest.approx(2.5)
    assert wp.detail["flows"] == 5
    assert wp.detail["hours"] == pytest.approx(120)
    assert wp.detail["days"] == pytest.approx(3)
    # labour value inside 43,000 of 51,000
    assert wp.detail["labour_value_inside_share"] == pytest.approx(43_000 / 51_000)


def test_work_placements_are_zero_not_none_without_labour():
    wp = compute_indicators([actor("a")], [])["work_placements"]
    assert wp.value == 0.0 and wp.detail["flows"] == 0
    assert wp.detail["labour_value_inside_share"] is None


# --- 5. closure -------------------------------------------------------------------------------------

def test_closure_needs_buying_and_selling_inside():
    actors = [actor("a"), actor("b"), actor("c", stage="engaged"), actor("d"), actor("e")]
    flows = [
        money("a", "c", 100),                        # a buys inside (pays)
        flow("goods", "a", "b", 50, 5, "kg"),        # a sells inside (provides); b buys inside (receives)
        money("c", "b", 70),                         # b sells inside (is paid)
        money(None, "d", 500), money("d", None, 10), # d only trades with the outside
        flow("services", "d", "ghost", 10, 1, "h"),  # an unknown receiver is outside
        money("e", "e", 30),                         # to itself: nothing between actors
        flow("reuse", "e", "c", 0, 10, "kg"),        # e sells inside (free reuse still counts)
    ]
    closure = compute_indicators(actors, flows)["closure"]
    # members a, b, d, e (c is not one): a and b closed, d trades outside only, e only sells
    assert closure.value == pytest.approx(2 / 4)
    assert closure.detail == {"members": 4, "buying_inside": 2, "selling_inside": 3, "closed": 2}


def test_closure_ignores_worthless_payments_and_is_none_without_members():
    actors = [actor("a"), actor("b")]
    assert compute_indicators(actors, [money("a", "b", 0), money("b", "a", 0)])["closure"].value == 0.0
    assert compute_indicators(actors, [money("a", "b", 1), money("b", "a", 1)])["closure"].value == 1.0
    assert compute_indicators([actor("x", stage="engaged")], [])["closure"].value is None


# --- 6. concentration -------------------------------------------------------------------------------

def test_concentration_is_the_herfindahl_index_of_money_received():
    actors = [actor("a", name="Alpha"), actor("b", stage="engaged"), actor("c", stage="identified")]
    flows = [money(None, "a", 600), money(None, "b", 200), money("a", "b", 100), money("b", "c", 100),
             money("c", None, 999)]  # paid to the outside: nobody inside receives it
    conc = compute_indicators(actors, flows)["concentration"]
    # received: a 600, b 300, c 100 of 1000 -> 0.36 + 0.09 + 0.01
    assert conc.value == pytest.approx(0.46)
    assert conc.detail["largest_id"] == "a"
    assert conc.detail["largest_name"] == "Alpha"
    assert conc.detail["largest_share"] == pytest.approx(0.6)


def test_concentration_extremes():
    actors = [actor(x, name=n) for x, n in zip("abcd", ["Delta", "gamma", "Beta", "alpha"], strict=True)]
    even = compute_indicators(actors, [money(None, x, 250) for x in "abcd"])["concentration"]
    assert even.value == pytest.approx(0.25)
    assert even.detail["largest_id"] == "d"  # ties broken by name, ignoring case, not by id or flow order
    single = compute_indicators(actors, [money(None, "c", 10), money("c", None, 10)])["concentration"]
    assert single.value == pytest.approx(1.0) and single.detail["largest_id"] == "c"
    none = compute_indicators(actors, [money("a", None, 10), flow("goods", None, "a", 10, 1, "kg")])
    assert none["concentration"].value is None and none["concentration"].detail["largest_id"] is None


# --- 7. role coverage -------------------------------------------------------------------------------

def test_role_coverage_counts_members_only():
    actors = [actor("a", roles=["producer", "consumer"]), actor("b", stage="signatory", roles=["producer"]),
              actor("c", stage="engaged", roles=["financer", "trainer"])]
    rc = compute_indicators(actors, [])["role_coverage"]
    assert rc.value == pytest.approx(2 / 6)
    assert rc.detail["missing"] == ("distributor", "financer", "trainer", "job_placement")
    full = [actor(f"m{i}", roles=[r]) for i, r in
            enumerate(["producer", "distributor", "consumer", "financer", "trainer", "job_placement"])]
    rc = compute_indicators(full, [])["role_coverage"]
    assert rc.value == 1.0 and rc.detail["missing"] == ()


# --- 8. circular closure ----------------------------------------------------------------------------

def test_circular_closure_by_value():
    actors = [actor("a"), actor("b", stage="engaged")]
    flows = [flow("energy", "a", "b", 300, 1000, "kWh"), flow("reuse", "b", None, 100, 50, "kg"),
             flow("energy", None, "a", 100, 400, "kWh"), flow("goods", "a", None, 5000, 1, "t"),
             flow("reuse", "a", "ghost", 0, 9, "kg")]
    cc = compute_indicators(actors, flows)["circular_closure"]
    assert cc.value == pytest.approx(0.6)
    assert cc.detail["basis"] == "value"
    assert (cc.detail["flows"], cc.detail["flows_inside"]) == (4, 1)


def test_circular_closure_counts_flows_when_nothing_has_a_value():
    actors = [actor("a"), actor("b"), actor("c", stage="identified")]
    flows = [flow("reuse", "a", "b", 0, 10, "kg"), flow("reuse", "a", None, 0, 10, "kg"),
             flow("energy", "c", "b", 0, 10, "kWh")]
    cc = compute_indicators(actors, flows)["circular_closure"]
    assert cc.value == pytest.approx(2 / 3) and cc.detail["basis"] == "count"
    assert compute_indicators(actors, [money("a", "b", 10)])["circular_closure"].value is None


# --- edge cases ------------------------------------------------------------------------------------

def test_no_actors_no_flows():
    result = compute_indicators([], [])
    assert {k: result[k].value for k in KEYS} == {
        "internal_purchases": None, "leakage": None, "lm3": None, "work_placements": 0.0, "closure": None,
        "concentration": None, "role_coverage": 0.0, "circular_closure": None}


def test_flows_between_unknown_ids_change_nothing():
    actors = [actor("a"), actor("b")]
    base = [money(None, "a", 100), money("a", "b", 40), money("a", None, 60)]
    noise = [money("ghost", "phantom", 1_000_000), money(None, None, 5), flow("energy", "ghost", None, 50),
             flow("labour", "ghost", "ghost2", 10, 3, "persons")]
    assert compute_indicators(actors, base + noise).as_dict() == compute_indicators(actors, base).as_dict()


def test_unknown_ids_behave_exactly_like_outside():
    actors = [actor("a"), actor("b", stage="engaged")]
    with_ghosts = [money("ghost", "a", 100), money("a", "phantom", 30), money("a", "b", 70),
                   flow("reuse", "b", "ghost", 20, 1, "kg"), flow("reuse", "a", "b", 20, 1, "kg")]
    with_none = [money(None, "a", 100), money("a", None, 30), money("a", "b", 70),
                 flow("reuse", "b", None, 20, 1, "kg"), flow("reuse", "a", "b", 20, 1, "kg")]
    assert compute_indicators(actors, with_ghosts).as_dict() == compute_indicators(actors, with_none).as_dict()
    assert compute_indicators(actors, with_none)["circular_closure"].value == pytest.approx(0.5)


def test_zero_and_missing_values_are_not_payments():
    actors = [actor("a"), actor("b")]
    flows = [money("a", "b", 0), money(None, "a", 0), flow("energy", "a", "b", None, None, "kWh")]
    result = compute_indicators(actors, flows)
    assert result["internal_purchases"].value is None
    assert result["lm3"].value is None
    assert result["concentration"].value is None
    assert result["circular_closure"].value == 1.0 and result["circular_closure"].detail["basis"] == "count"


def test_flows_may_be_a_one_shot_iterator():
    actors = [actor("a"), actor("b")]
    result = compute_indicators(iter(actors), (f for f in [money("a", "b", 30), money("a", None, 70)]))
    assert result["internal_purchases"].value == pytest.approx(0.3)


# --- status and targets -----------------------------------------------------------------------------

def ind(value, key="x"):
    return Indicator(key, value, {})


@pytest.mark.parametrize(("comparison", "goal", "value", "expected"), [
    ("at_least", 0.5, 0.5, "green"),
    ("at_least", 0.5, 0.9, "green"),
    ("at_least", 0.5, 0.49999999999999994, "green"),  # float noise of a computed share
    ("at_least", 0.5, 0.42, "amber"),
    ("at_least", 0.5, 0.4, "amber"),                   # exactly 20 % short
    ("at_least", 0.5, 0.39, "red"),
    ("at_least", 0.5, 0.0, "red"),
    ("at_least", 1.6, 1.3, "amber"),
    ("at_least", 1.6, 1.27, "red"),
    ("at_most", 0.4, 0.4, "green"),
    ("at_most", 0.4, 0.1, "green"),
    ("at_most", 0.4, 0.46, "amber"),
    ("at_most", 0.4, 0.48, "amber"),                   # exactly 20 % over
    ("at_most", 0.4, 0.49, "red"),
    ("at_most", 0.0, 0.0, "green"),
    ("at_most", 0.0, 0.01, "red"),
    ("at_least", 0.5, None, "none"),
    ("at_most", 0.4, None, "none"),
])
def test_status_boundaries(comparison, goal, value, expected):
    assert status(ind(value), Target(comparison, goal)) == expected


def test_statuses_use_defaults_for_missing_targets():
    result = compute_indicators([actor("a", roles=["producer"])], [money(None, "a", 100), money("a", None, 100)])
    got = statuses(result, {"leakage": Target("at_most", 1.0)})
    assert got == {"internal_purchases": "red", "leakage": "green", "lm3": "red", "work_placements": "red",
                   "closure": "red", "concentration": "red", "role_coverage": "red", "circular_closure": "none"}
    assert statuses(result, DEFAULT_TARGETS)["leakage"] == "red"


def test_targets_from_merges_valid_entries_over_defaults():
    assert targets_from(None) == DEFAULT_TARGETS
    targets = targets_from({"lm3": {"comparison": "at_least", "value": 1.5},
                            "leakage": {"comparison": "at_least", "value": 0.1},
                            "closure": {"value": 0.7},      # comparison kept from the default
                            "concentration": 0.3})          # a bare number is the value
    assert targets["lm3"] == Target("at_least", 1.5)
    assert targets["leakage"] == Target("at_least", 0.1)
    assert targets["closure"] == Target("at_least", 0.7)
    assert targets["concentration"] == Target("at_most", 0.3)
    assert targets["internal_purchases"] == DEFAULT_TARGETS["internal_purchases"]


@pytest.mark.parametrize("stored", [
    {"lm3": {"comparison": "bigger", "value": 2}},
    {"lm3": {"comparison": "at_least", "value": "high"}},
    {"lm3": {"comparison": "at_least", "value": True}},
    {"lm3": {"comparison": "at_least", "value": math.nan}},
    {"lm3": {"comparison": "at_least", "value": math.inf}},
    {"lm3": {"comparison": "at_least"}},
    {"lm3": None},
    {"lm3": ["at_least", 2]},
    {"lm3": False},
    {"unknown": {"comparison": "at_least", "value": 2}},
    {3: 4},
    ["lm3"],
    "lm3",
    42,
])
def test_targets_from_ignores_garbage(stored):
    targets = targets_from(stored)
    assert targets == DEFAULT_TARGETS
    assert targets is not DEFAULT_TARGETS


def test_targets_round_trip_through_json():
    targets = targets_from({"lm3": {"comparison": "at_least", "value": 2.1}, "leakage": 0.2})
    data = json.loads(json.dumps(targets_to_json(targets)))
    assert list(data) == list(KEYS)
    assert data["lm3"] == {"comparison": "at_least", "value": 2.1}
    assert targets_from(data) == targets


# --- properties -------------------------------------------------------------------------------------

IDS = [f"a{i}" for i in range(6)]
ENDS = st.sampled_from([*IDS, None, "ghost"])
KINDS = st.sampled_from(["goods", "services", "money", "labour", "knowledge", "energy", "reuse"])
UNITS = st.sampled_from(["EUR", "kg", "persons", "fte", "h", "days", "kWh"])
AMOUNT = st.one_of(st.just(0.0), st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))

actors_st = st.lists(
    st.builds(lambda i, stage, roles: actor(IDS[i], stage=stage, roles=roles),
              st.integers(0, len(IDS) - 1),
              st.sampled_from(["identified", "contacted", "engaged", "member", "signatory"]),
              st.lists(st.sampled_from(["producer", "distributor", "consumer", "financer", "trainer",
                                        "job_placement"]), max_size=3)),
    max_size=len(IDS), unique_by=lambda a: a["id"])
flows_st = st.lists(st.builds(flow, KINDS, ENDS, ENDS, AMOUNT, st.one_of(st.none(), AMOUNT), UNITS), max_size=40)


@settings(max_examples=300, deadline=None)
@given(actors_st, flows_st)
def test_values_stay_in_their_ranges(actors, flows):
    result = compute_indicators(actors, flows)
    for key in SHARES:
        value = result[key].value
        assert value is None or 0.0 <= value <= 1.0, (key, value)
    lm3 = result["lm3"]
    if lm3.value is not None:
        assert 1.0 <= lm3.value <= 3.0
        r1, r2, r3 = lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]
        assert 0 <= r3 <= r2 <= r1 * (1 + 1e-9)
        assert lm3.value == pytest.approx((r1 + r2 + r3) / r1)
    conc = result["concentration"]
    if conc.value is not None:
        assert 0.0 < conc.value <= 1.0
        assert conc.detail["largest_share"] ** 2 <= conc.value * (1 + 1e-9)
        assert conc.detail["largest_share"] >= 1 / conc.detail["actors_receiving"] - 1e-9
    assert result["work_placements"].value >= 0.0
    json.dumps(result.as_dict())


@settings(max_examples=100, deadline=None)
@given(actors_st, flows_st)
def test_unknown_ids_are_the_outside(actors, flows):
    as_none = [{**f, "source_id": None if f["source_id"] == "ghost" else f["source_id"],
                "target_id": None if f["target_id"] == "ghost" else f["target_id"]} for f in flows]
    assert compute_indicators(actors, flows).as_dict() == compute_indicators(actors, as_none).as_dict()
