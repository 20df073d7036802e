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
    INFO_BY_KEY,
    Indicator,
    Target,
    actor_multipliers,
    compute_indicators,
    status,
    statuses,
    targets_from,
    targets_to_json,
)

KEYS = ("internal_purchases", "leakage", "lm3", "financing_inside", "public_support", "work_placements", "closure",
        "concentration", "role_coverage", "circular_closure")
SHARES = ("internal_purchases", "leakage", "financing_inside", "public_support", "closure", "role_coverage",
          "circular_closure")


def actor(id_, stage="member", roles=(), name=None):
    return {"id": id_, "name": name or id_.upper(), "category": "cooperative", "roles": list(roles),
            "stage": stage}


_counter = iter(range(10**9))


def flow(kind, source, target, value_eur=0.0, quantity=None, unit="EUR"):
    return {"id": f"f{next(_counter)}", "source_id": source, "target_id": target, "kind": kind,
            "quantity": quantity, "unit": unit, "value_eur": value_eur, "description": ""}


def money(source, target, eur, purpose=None):
    return {**flow("money", source, target, eur, eur, "EUR"), "purpose": purpose}


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


# --- 1. internal purchases and 2. leakage: one base -------------------------------------------------

def purchases_district():
    actors = [actor("a"), actor("b", stage="signatory"), actor("c", stage="engaged")]
    flows = [
        money("a", "b", 300), money("a", "c", 100), money("a", None, 100),  # a: 400 of 500 inside
        money("b", None, 500),                                               # b: 0 of 500 inside
        money("c", None, 1000), money("c", "a", 200),                        # c is no member, and counts
        money(None, "a", 5000),                                              # income is not a purchase
        money("a", "b", 7000, purpose="loan"),                               # financing is not a purchase
        flow("goods", "a", None, 9999, 10, "kg"),                            # goods never count as money
    ]
    return actors, flows


def test_purchases_inside_and_leakage_share_one_base_and_make_100_percent():
    result = compute_indicators(*purchases_district())
    # every inside actor spent a 500 + b 500 + c 1200 = 2200; of it 300 + 100 + 200 = 600 to inside actors
    purchases, leakage = result["internal_purchases"], result["leakage"]
    assert purchases.value == pytest.approx(600 / 2200)
    assert leakage.value == pytest.approx(1600 / 2200)
    assert purchases.value + leakage.value == pytest.approx(1.0)
    assert purchases.detail["paid_total_eur"] == leakage.detail["paid_total_eur"] == pytest.approx(2200)
    assert purchases.detail["leakage_eur"] == leakage.detail["leakage_eur"] == pytest.approx(1600)
    # the members' own spending is in the detail (a 500 + b 500, 400 inside), and the loan left out
    assert (purchases.detail["members_paid_inside_eur"], purchases.detail["members_paid_total_eur"]) == (400, 1000)
    assert purchases.detail["financing_left_out_eur"] == 7000


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
    # a non-member's spending is the district's as much as a member's
    result = compute_indicators([actor("a"), actor("b", stage="identified")], [money("b", None, 100)])
    assert result["internal_purchases"].value == 0.0
    assert result["leakage"].value == 1.0


# --- 3. LM3: the money that enters from outside, followed ------------------------------------------------

def domain_example(beta_stage="engaged"):
    """DOMAIN §5's worked example as flows: outside → Alpha 100,000; Alpha → Beta 60,000 and 40,000 outside;
    Beta → Gamma 25,000 and 35,000 outside."""
    actors = [actor("alpha"), actor("beta", stage=beta_stage), actor("gamma", stage="contacted")]
    flows = [money(None, "alpha", 100_000),
             money("alpha", "beta", 60_000), money("alpha", None, 40_000),
             money("beta", "gamma", 25_000), money("beta", None, 35_000)]
    return actors, flows


@pytest.mark.parametrize("beta_stage", ["engaged", "member", "signatory", "identified"])
def test_lm3_reproduces_the_money_trail_worked_example_whoever_is_a_member(beta_stage):
    # By hand: R1 = the income entering from outside = Alpha's 100,000 (Beta's 60,000 comes from Alpha: it is
    # not new income, and counting it again was the 1.6875 of the old method once Beta became a member).
    # s_Alpha = 60,000 / 100,000 = 0.6 → R2 = 60,000, all of it reaching Beta.
    # s_Beta = 25,000 / 60,000 → R3 = 60,000 × 25/60 = 25,000.  LM3 = (100,000 + 60,000 + 25,000) / 100,000 = 1.85.
    lm3 = compute_indicators(*domain_example(beta_stage))["lm3"]
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((100_000, 60_000, 25_000))
    assert lm3.value == pytest.approx(1.85)
    # Gamma's spending would be a fourth round: not part of LM3, so nobody is missing
    assert lm3.detail["without_spending"] == () and lm3.detail["without_income"] == ()
    assert lm3.detail["recipients"] == 1


def test_lm3_counts_a_loan_as_financing_not_as_spending_or_income():
    # A sells 10,000 outside, borrows 50,000 from the district's bank B and repays it 5,000; A pays supplier C
    # 6,000 and 4,000 outside; C pays D 3,000 and 3,000 outside. An outside investor puts 45,000 into A.
    actors = [actor("a"), actor("b", name="Bank"), actor("c", stage="engaged"), actor("d", stage="engaged")]

    def flows(loan_purpose):
        return [money(None, "a", 10_000),
                money("b", "a", 50_000, purpose=loan_purpose), money("a", "b", 5_000, purpose=loan_purpose),
                money(None, "a", 45_000, purpose="investment"),
                money("a", "c", 6_000), money("a", None, 4_000),
                money("c", "d", 3_000), money("c", None, 3_000)]

    result = compute_indicators(actors, flows("loan"))
    # By hand, financing left out: A spends 6,000 + 4,000 = 10,000, s_A = 0.6 → R2 = 6,000, all reaching C;
    # s_C = 3,000 / 6,000 = 0.5 → R3 = 3,000.  LM3 = (10,000 + 6,000 + 3,000) / 10,000 = 1.9.
    lm3 = result["lm3"]
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((10_000, 6_000, 3_000))
    assert lm3.value == pytest.approx(1.9)
    # the bank's only money is financing, which is neither spending nor income: nothing of it is missing
    assert lm3.detail["without_income"] == () and lm3.detail["without_spending"] == ()
    # purchases inside: spending A 10,000 + C 6,000 = 16,000, of it 6,000 + 3,000 inside
    assert result["internal_purchases"].value == pytest.approx(9_000 / 16_000)
    assert result["leakage"].value == pytest.approx(7_000 / 16_000)
    # financing from inside: loan 50,000 and repayment 5,000 between district actors, of 100,000 received
    assert result["financing_inside"].value == pytest.approx(55_000 / 100_000)
    assert result["financing_inside"].detail == {"financing_eur": 100_000, "from_inside_eur": 55_000, "flows": 3}
    # income, for concentration: A 10,000, C 6,000, D 3,000 (the repayment is no income of the bank)
    assert result["concentration"].detail["received_total_eur"] == pytest.approx(19_000)
    assert result["concentration"].value == pytest.approx((10**2 + 6**2 + 3**2) / 19**2)

    # The same flows with the loan recorded as a payment: A's spending becomes 15,000 (11,000 inside) and the
    # bank's 50,000 (all inside): R2 = 10,000 × 11/15, R3 = 10,000 × 6/15 × 0.5 + 10,000 × 5/15 × 1 —
    # the loan inflates the multiplier to 2.27.
    as_payment = compute_indicators(actors, flows("payment"))["lm3"]
    assert as_payment.value == pytest.approx((10_000 + 10_000 * 11 / 15 + 2_000 + 10_000 * 5 / 15) / 10_000)


def test_lm3_counts_a_grant_as_income_and_public_support_shows_its_share():
    # The Province grants association G 20,000 and G sells 5,000 outside; G pays wages of 15,000 to W (on the
    # map) and rent of 10,000 outside; W spends 6,000 at the shop S and 9,000 outside.
    actors = [actor("g"), actor("w", stage="engaged"), actor("s", stage="engaged")]
    flows = [money(None, "g", 20_000, purpose="grant"), money(None, "g", 5_000),
             money("g", "w", 15_000, purpose="wages"), money("g", None, 10_000),
             money("w", "s", 6_000), money("w", None, 9_000)]
    result = compute_indicators(actors, flows)
    # By hand: R1 = 25,000 (the grant is income entering from outside); s_G = 15,000 / 25,000 = 0.6 → R2 = 15,000,
    # all to W; s_W = 6,000 / 15,000 = 0.4 → R3 = 6,000.  LM3 = (25,000 + 15,000 + 6,000) / 25,000 = 1.84.
    lm3 = result["lm3"]
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((25_000, 15_000, 6_000))
    assert lm3.value == pytest.approx(1.84)
    # public support: grants 20,000 of all income received inside (G 25,000 + W 15,000 + S 6,000)
    assert result["public_support"].value == pytest.approx(20_000 / 46_000)
    assert result["public_support"].detail == {"grants_eur": 20_000, "income_eur": 46_000}
    # local wages are spending inside: G 15,000 + W 6,000 of 25,000 + 15,000
    assert result["internal_purchases"].value == pytest.approx(21_000 / 40_000)
    # S received money but records no spending: it is a third-round recipient, so LM3 does not need it
    assert lm3.detail["without_spending"] == ()


def test_lm3_names_actors_with_missing_spending_or_income_with_their_amounts():
    # The worked example, plus member M paying Beta 30,000 and 10,000 outside with no income recorded, and
    # member E selling 50,000 outside with none of its own spending recorded.
    actors, flows = domain_example()
    actors += [actor("m", name="Mulino"), actor("e", name="Erboristeria")]
    flows += [money("m", "beta", 30_000), money("m", None, 10_000), money(None, "e", 50_000)]
    lm3 = compute_indicators(actors, flows)["lm3"]
    # By hand: R1 = Alpha 100,000 + E 50,000 = 150,000. E spends nothing that is recorded: LM3 takes it to spend
    # nothing inside, so R2 = 60,000 (Alpha's) and R3 = 25,000 as before: LM3 = 235,000 / 150,000 = 1.5667.
    # M's money is never traced (no income entering it): its spending changes no round, and it is named.
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((150_000, 60_000, 25_000))
    assert lm3.value == pytest.approx(235_000 / 150_000)
    assert [(a["name"], a["eur"]) for a in lm3.detail["without_spending"]] == [("Erboristeria", 50_000)]
    assert [(a["name"], a["eur"]) for a in lm3.detail["without_income"]] == [("Mulino", 40_000)]


def chain_of_four():
    """outside → A 1,000; A → B 800 (200 out); B → C 600 (200 out); C → D 300 (300 out); D → 300 out."""
    actors = [actor("a", name="Alpha"), actor("b", stage="engaged", name="Beta"),
              actor("c", stage="contacted", name="Gamma"), actor("d", stage="identified", name="Delta")]
    flows = [money(None, "a", 1_000), money("a", "b", 800), money("a", None, 200),
             money("b", "c", 600), money("b", None, 200), money("c", "d", 300), money("c", None, 300),
             money("d", None, 300)]
    return actors, flows


def test_lm3_along_a_chain_of_four_actors_and_each_ones_own_multiplier():
    actors, flows = chain_of_four()
    # District, by hand: R1 = 1,000 (A's, from outside); s_A = 0.8 → R2 = 800 to B; s_B = 600 / 800 = 0.75
    # → R3 = 600. C's and D's spending are rounds four and five.  LM3 = 2,400 / 1,000 = 2.4.
    lm3 = compute_indicators(actors, flows)["lm3"]
    assert (lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]) == pytest.approx((1_000, 800, 600))
    assert lm3.value == pytest.approx(2.4)
    # NEF's form, each organisation with its whole income as R1:
    #   A: 1,000, 800, 600 → 2.4;  B: 800, 600, 600 × s_C (0.5) = 300 → 1,700 / 800 = 2.125;
    #   C: 600, 300, 300 × s_D (0) = 0 → 1.5;  D: 300, 0, 0 → 1.0.
    own = actor_multipliers(actors, flows)
    assert {k: m.value for k, m in own.items()} == pytest.approx({"a": 2.4, "b": 2.125, "c": 1.5, "d": 1.0})
    assert (own["b"].r1, own["b"].r2, own["b"].r3, own["b"].share_inside) == pytest.approx((800, 600, 300, 0.75))
    assert own["b"].spent == pytest.approx(800)


def test_an_actors_own_multiplier_says_what_is_missing():
    actors = [actor("a"), actor("b", stage="engaged"), actor("c", stage="engaged", name="Gamma")]
    flows = [money(None, "a", 1_000), money("a", "c", 400), money("a", None, 100), money("b", None, 50)]
    own = actor_multipliers(actors, flows, ["a", "b", "c", "ghost"])
    assert set(own) == {"a", "b", "c"}
    # a spends 400 of 500 inside: R2 = 1,000 × 0.8; its recipient Gamma records no spending and is named
    assert own["a"].value == pytest.approx(1.8) and [r["name"] for r in own["a"].without_spending] == ["Gamma"]
    assert (own["b"].value, own["b"].missing) == (None, "income")
    assert (own["c"].value, own["c"].missing, own["c"].r1) == (None, "spending", 400)


def test_lm3_bounds_and_undefined_cases():
    # all spent outside: 1
    assert compute_indicators([actor("a")], [money(None, "a", 100), money("a", None, 100)])["lm3"].value == 1.0
    # spent to an unknown id counts as outside: 1
    assert compute_indicators([actor("a")], [money(None, "a", 100), money("a", "ghost", 100)])["lm3"].value == 1.0
    # all kept inside for two rounds: 3
    actors = [actor("a"), actor("b", stage="engaged"), actor("c", stage="engaged")]
    flows = [money(None, "a", 100), money("a", "b", 100), money("b", "c", 100)]
    assert compute_indicators(actors, flows)["lm3"].value == pytest.approx(3.0)
    # nothing enters from outside (a loan from outside is no income): undefined
    lm3 = compute_indicators([actor("a"), actor("b", stage="engaged")],
                             [money("a", "b", 100), money(None, "b", 100, purpose="loan")])["lm3"]
    assert lm3.value is None and lm3.detail["r1"] == 0


# --- work placements -----------------------------------------------------------------------------

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
    # a loan is no purchase: borrowing from and lending to each other closes no loop
    assert compute_indicators(actors, [money("a", "b", 1, "loan"), money("b", "a", 1, "loan")])["closure"].value == 0.0
    assert compute_indicators([actor("x", stage="engaged")], [])["closure"].value is None


# --- 6. concentration -------------------------------------------------------------------------------

def test_concentration_is_the_herfindahl_index_of_money_received():
    actors = [actor("a", name="Alpha"), actor("b", stage="engaged"), actor("c", stage="identified")]
    flows = [money(None, "a", 600), money(None, "b", 200), money("a", "b", 100), money("b", "c", 100),
             money("c", None, 999),  # paid to the outside: nobody inside receives it
             money(None, "c", 50_000, purpose="loan"), money("b", "c", 9_000, purpose="investment")]  # no income
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
        "internal_purchases": None, "leakage": None, "lm3": None, "financing_inside": None, "public_support": None,
        "work_placements": 0.0, "closure": None, "concentration": None, "role_coverage": 0.0,
        "circular_closure": None}


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
    assert got == {"internal_purchases": "red", "leakage": "green", "lm3": "red", "financing_inside": "none",
                   "public_support": "green", "work_placements": "red", "closure": "red", "concentration": "red",
                   "role_coverage": "red", "circular_closure": "none"}
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
PURPOSES = st.sampled_from([None, "payment", "wages", "loan", "investment", "grant", "fee"])


def any_flow(kind, source, target, value, quantity, unit, purpose):
    row = flow(kind, source, target, value, quantity, unit)
    return {**row, "purpose": purpose} if kind == "money" else row


flows_st = st.lists(st.builds(any_flow, KINDS, ENDS, ENDS, AMOUNT, st.one_of(st.none(), AMOUNT), UNITS, PURPOSES),
                    max_size=40)
money_st = st.lists(st.builds(money, ENDS, ENDS, AMOUNT, PURPOSES), max_size=30)


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


def lm3_of(actors, flows):
    lm3 = compute_indicators(actors, flows)["lm3"]
    return lm3.value, lm3.detail["r1"], lm3.detail["r2"], lm3.detail["r3"]


@settings(max_examples=200, deadline=None)
@given(actors_st, st.one_of(flows_st, money_st), st.integers(0, len(IDS) - 1),
       st.sampled_from(["identified", "engaged", "member", "signatory"]))
def test_lm3_does_not_change_with_an_inside_actors_membership(actors, flows, which, stage):
    if not actors:
        return
    changed = [dict(a, stage=stage) if n == which % len(actors) else a for n, a in enumerate(actors)]
    assert lm3_of(changed, flows) == lm3_of(actors, flows)


@settings(max_examples=200, deadline=None)
@given(actors_st, money_st, st.sampled_from([None, "ghost", "phantom"]), st.sampled_from([None, "ghost"]),
       AMOUNT, PURPOSES)
def test_lm3_does_not_change_when_two_outside_parties_trade(actors, flows, source, target, value, purpose):
    assert lm3_of(actors, [*flows, money(source, target, value, purpose)]) == lm3_of(actors, flows)


@settings(max_examples=300, deadline=None)
@given(actors_st, money_st, st.integers(0, 10**6), st.integers(0, len(IDS) - 1))
def test_lm3_never_falls_when_spending_moves_from_outside_to_inside(actors, flows, pick, payee):
    inside = [a["id"] for a in actors]
    leaving = [n for n, f in enumerate(flows) if f["source_id"] in inside and f["target_id"] not in inside
               and f["purpose"] not in ("loan", "investment") and f["value_eur"] > 0]
    if not leaving:
        return
    n = leaving[pick % len(leaving)]
    to = inside[payee % len(inside)]
    if to == flows[n]["source_id"]:
        return
    moved = [dict(f, target_id=to) if k == n else f for k, f in enumerate(flows)]
    before, after = lm3_of(actors, flows)[0], lm3_of(actors, moved)[0]
    assert (before is None) == (after is None)  # R1, the money from outside, does not move
    if before is not None:
        assert after >= before - 1e-9 * before


@pytest.mark.parametrize(("language", "r1", "one_base"), [
    ("en", "R1 = income district actors receive from outside", "the two always make 100%"),
    ("it", "R1 = entrate che gli attori del distretto ricevono dall'esterno", "i due fanno sempre il 100%"),
    ("de", "R1 = Einnahmen, die Akteure des Distrikts von außen erhalten", "Beide ergeben immer 100 %"),
])
def test_the_training_module_on_flows_says_what_the_code_computes(language, r1, one_base):
    from importlib import resources

    from ssd_starter.i18n import translations_for

    module = resources.files("ssd_starter").joinpath(
        f"resources/training/core/modules/self_sustaining_flows/{language}.md").read_text("utf-8")
    assert r1 in module and one_base in module
    assert "1,85" in module or "1.85" in module
    # the formula the app shows says the same (its catalog entry, in that language)
    formula = translations_for(language).gettext(INFO_BY_KEY["lm3"].formula)
    assert r1.split(" = ", 1)[1][:20] in formula


def test_differences_are_taken_between_the_values_as_shown():
    """0.14 and 0.13 on screen differed by −0.02 (the third decimals), 41 % and 41 % by "−0 %"."""
    from ssd_starter.core.indicators import INDICATORS, format_value, shown_value

    lm3 = next(i for i in INDICATORS if i.key == "lm3")
    leakage = next(i for i in INDICATORS if i.key == "leakage")
    assert format_value(lm3, 0.1349) == "0.13" and format_value(lm3, 0.1351) == "0.14"
    assert round(shown_value(lm3, 0.1351) - shown_value(lm3, 0.1349), 6) == 0.01
    assert shown_value(leakage, 0.4149) == shown_value(leakage, 0.4051) == 0.41
