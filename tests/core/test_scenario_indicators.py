"""Scenarios move every indicator whose inputs they change (LM3 included), through the same summary the CLI,
the canvas and the dossier show; an applied scenario's record says what it did."""

import datetime as dt

import pytest

from ssd_starter.core import scenarios as sc
from ssd_starter.core.indicators import INDICATOR_KEYS
from ssd_starter.core.summary import district_summary


def actor(id_, stage="member", roles=("producer",)):
    return {"id": id_, "name": id_.upper(), "category": "cooperative", "roles": list(roles), "stage": stage}


def money(id_, source, target, eur, purpose=None):
    return {"id": id_, "source_id": source, "target_id": target, "kind": "money", "description": "", "quantity": eur,
            "unit": "EUR", "value_eur": eur, "purpose": purpose}


def other(id_, kind, source, target, eur, quantity, unit):
    return {"id": id_, "source_id": source, "target_id": target, "kind": kind, "description": "",
            "quantity": quantity, "unit": unit, "value_eur": eur, "purpose": None}


ACTORS = [actor("a"), actor("b"), actor("c", stage="engaged", roles=("consumer",))]
FLOWS = [
    money("sales", None, "a", 10_000),             # income from outside: R1
    money("a-b", "a", "b", 4_000),
    money("a-out", "a", None, 6_000),              # a's leak
    money("b-c", "b", "c", 1_000), money("b-out", "b", None, 3_000),
    money("loan-out", None, "b", 20_000, "loan"),  # financing from outside
    money("grant", None, "c", 2_000, "grant"),
    other("work", "labour", "b", "a", 5_000, 1, "persons"),
    other("energy-out", "energy", "a", None, 800, 2_000, "kWh"),
]
NEW_ACTOR = sc.add_actor({"name": "Forno", "stage": "member", "roles": ["distributor", "trainer"]})


def summarised(changes):
    scenario = {"id": "s", "name": "prova", "changes": changes, "applied": False}
    return district_summary(ACTORS, FLOWS, None, scenario=scenario)


def add(fields):
    return sc.add_flow(fields)


# For each indicator, a scenario that changes what it is computed from.
MOVES = {
    "internal_purchases": [sc.scale_flow("a-out", 0.5)],
    "leakage": [sc.remove_flow("b-out")],
    "lm3": [sc.scale_flow("a-out", 0.0), add({"source_id": "a", "target_id": "c", "kind": "money",
                                                 "value_eur": 6_000})],
    "financing_inside": [add({"source_id": "a", "target_id": "b", "kind": "money", "value_eur": 5_000,
                              "purpose": "loan"})],
    "public_support": [add({"source_id": None, "target_id": "a", "kind": "money", "value_eur": 3_000,
                            "purpose": "grant"})],
    "work_placements": [add({"source_id": "a", "target_id": "c", "kind": "labour", "quantity": 2,
                             "unit": "persons"})],
    "closure": [add({"source_id": "b", "target_id": "a", "kind": "money", "value_eur": 500})],
    "concentration": [add({"source_id": None, "target_id": "c", "kind": "money", "value_eur": 9_000})],
    "role_coverage": [NEW_ACTOR],
    "circular_closure": [add({"source_id": "a", "target_id": "b", "kind": "energy", "value_eur": 800,
                              "quantity": 2_000, "unit": "kWh"})],
}


def test_every_indicator_has_a_scenario_here():
    assert set(MOVES) == set(INDICATOR_KEYS)


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_a_scenario_that_changes_an_indicators_inputs_moves_it(key):
    summary = summarised(MOVES[key])
    line = next(line for line in summary.lines if line.info.key == key)
    assert line.value is not None and line.scenario_value is not None
    assert line.scenario_value != pytest.approx(line.value), key


def test_lm3_moves_with_spending_brought_inside_by_hand():
    # Today: R1 = a's sales 10,000 + c's grant 2,000 = 12,000 (the loan to b is financing, not income).
    # s_a = 4,000 / 10,000 → 4,000 reaches b; c records no spending → R2 = 4,000; s_b = 1,000 / 4,000 → R3 = 1,000:
    # LM3 = 17,000 / 12,000 = 1.4167. With a's 6,000 leak paid to c instead: s_a = 1 → R2 = 10,000 (4,000 to b,
    # 6,000 to c, who records no spending); R3 = 4,000 × 0.25 = 1,000: LM3 = 23,000 / 12,000 = 1.9167.
    summary = summarised(MOVES["lm3"])
    assert summary.flows["lm3"].value == pytest.approx(17_000 / 12_000)
    assert summary.scenario.flows["lm3"].value == pytest.approx(23_000 / 12_000)


def test_the_record_of_an_applied_scenario_keeps_the_flows_as_they_were_and_both_sets_of_figures():
    changes = [sc.scale_flow("a-out", 0.5), sc.remove_flow("b-out"), NEW_ACTOR,
               add({"source_id": NEW_ACTOR["actor"]["id"], "target_id": "a", "kind": "money", "value_eur": 700})]
    record = sc.applied_record(ACTORS, FLOWS, changes, dt.date(2025, 6, 1))
    assert record["on"] == "2025-06-01"
    assert record["flows"]["a-out"]["value_eur"] == 6_000 and record["flows"]["b-out"]["target_id"] is None
    assert record["names"] == {"a": "A", "b": "B", NEW_ACTOR["actor"]["id"]: "Forno"}
    today = district_summary(ACTORS, FLOWS, None).flows
    then = sc.apply_changes(ACTORS, FLOWS, changes)
    assert record["before"] == today.values_only()
    assert record["after"] == district_summary(then.actors, then.flows, None).flows.values_only()
    before, after, on = sc.applied_figures({"applied": True, "applied_record": record})
    assert on == dt.date(2025, 6, 1)
    assert after["internal_purchases"].value == record["after"]["internal_purchases"]
    assert sc.applied_figures({"applied": False, "applied_record": record}) is None
    assert sc.applied_figures({"applied": True, "applied_record": {}}) is None  # applied before records were kept
