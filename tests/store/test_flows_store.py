"""Flows, cards and scenarios in the store: edits, their inverses, and what deleting an actor does."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssd_starter.core import scenarios as sc
from ssd_starter.core.errors import UserError
from ssd_starter.core.indicators import INDICATOR_KEYS, compute_indicators
from ssd_starter.store.canvas import create_card, list_canvas_items, move_card
from ssd_starter.store.districts import count_rows, duplicate_district
from ssd_starter.store.flows import (
    add_change,
    apply_scenario,
    create_flow,
    create_scenario,
    flows_of,
    get_flow,
    get_scenario,
    list_flows,
    list_scenarios,
    update_flow,
)
from ssd_starter.store.stakeholders import (
    HasFlows,
    delete_stakeholder,
    find_stakeholder,
    list_stakeholders,
    merge_stakeholders,
)


def numbers(store, district_id):
    result = compute_indicators(list_stakeholders(store, district_id), list_flows(store, district_id))
    return {key: result[key].value for key in INDICATOR_KEYS}


def flow_state(store, district_id):
    return sorted((f["id"], f["source_id"], f["target_id"], f["value_eur"], f["quantity"])
                  for f in list_flows(store, district_id))


def test_the_demo_has_flows_cards_and_a_scenario(demo_store):
    district = demo_store.demo_id
    assert len(list_flows(demo_store, district)) == 60
    assert len(list_canvas_items(demo_store, district)) == 24
    assert count_rows(demo_store, district)["flows"] == 60


def test_changing_the_kind_resets_the_unit_and_undo_restores_it(demo_store):
    bottega = find_stakeholder(demo_store, demo_store.demo_id, "Bottega Cooperativa Brenta e Tesino")
    insert = create_flow(demo_store.demo_id, {"source_id": bottega["id"], "kind": "goods", "quantity": 10,
                                              "unit": "kg", "value_eur": 40})
    demo_store.apply(insert)
    flow = get_flow(demo_store, insert.values["id"])
    _changes, inverse = demo_store.apply(update_flow(flow, kind="energy"))
    assert get_flow(demo_store, flow["id"])["unit"] == "kWh"
    demo_store.apply(inverse)
    assert (get_flow(demo_store, flow["id"])["kind"], get_flow(demo_store, flow["id"])["unit"]) == ("goods", "kg")


def test_an_invalid_change_saves_nothing(demo_store):
    flow = list_flows(demo_store, demo_store.demo_id)[0]
    with pytest.raises(UserError):
        update_flow(flow, target_id=flow["source_id"])
    assert get_flow(demo_store, flow["id"]) == flow


def test_deleting_an_actor_with_flows_asks_first(demo_store):
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    before = flow_state(demo_store, demo_store.demo_id)
    with pytest.raises(HasFlows) as refused:
        delete_stakeholder(demo_store, gas["id"])
    assert refused.value.count == len(flows_of(demo_store, gas["id"])) == 7
    assert flow_state(demo_store, demo_store.demo_id) == before


def test_flows_of_a_deleted_actor_move_outside_and_undo_brings_them_back(demo_store):
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    before = flow_state(demo_store, demo_store.demo_id)
    _changes, inverse = demo_store.apply(delete_stakeholder(demo_store, gas["id"], flows="outside"))
    after = list_flows(demo_store, demo_store.demo_id)
    assert not [f for f in after if gas["id"] in (f["source_id"], f["target_id"])]
    # the flow that already went outside could not move (outside to outside): it went with the actor
    assert len(after) == len(before) - 1
    demo_store.apply(inverse)
    assert flow_state(demo_store, demo_store.demo_id) == before


def test_flows_of_a_deleted_actor_can_go_with_it(demo_store):
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    count = len(list_flows(demo_store, demo_store.demo_id))
    demo_store.apply(delete_stakeholder(demo_store, gas["id"], flows="delete"))
    assert len(list_flows(demo_store, demo_store.demo_id)) == count - 7


def test_merging_duplicates_moves_their_flows(demo_store):
    district = demo_store.demo_id
    keep = find_stakeholder(demo_store, district, "GAS Borgo Solidale")
    other = find_stakeholder(demo_store, district, "GAS Tesino a Km Zero")
    moved = len(flows_of(demo_store, other["id"]))
    total = len(flows_of(demo_store, keep["id"])) + moved
    demo_store.apply(merge_stakeholders(demo_store, keep["id"], other["id"]))
    assert len(flows_of(demo_store, keep["id"])) == total and not flows_of(demo_store, other["id"])


def test_moving_cards_renumbers_both_blocks_in_one_undoable_step(demo_store):
    district = demo_store.demo_id

    def blocks():
        cards = list_canvas_items(demo_store, district)
        return {b: [c["text"] for c in cards if c["block"] == b] for b in ("customers", "partners")}

    before = blocks()
    first_customer = next(c for c in list_canvas_items(demo_store, district) if c["block"] == "customers")
    _changes, inverse = demo_store.apply(move_card(demo_store, district, first_customer["id"], "partners", 1))
    after = blocks()
    assert after["partners"] == [before["partners"][0], before["customers"][0], *before["partners"][1:]]
    assert after["customers"] == before["customers"][1:]
    positions = [c["position"] for c in list_canvas_items(demo_store, district) if c["block"] == "customers"]
    assert positions == list(range(len(positions)))
    demo_store.apply(inverse)
    assert blocks() == before


def test_new_cards_go_last_in_their_block(demo_store):
    district = demo_store.demo_id
    demo_store.apply(create_card(demo_store, district, "partners", "Banca del tempo"))
    assert [c["text"] for c in list_canvas_items(demo_store, district) if c["block"] == "partners"][-1] == \
        "Banca del tempo"


def test_applying_the_demo_scenario_gives_its_numbers_and_undo_gives_back_the_baseline(demo_store):
    district = demo_store.demo_id
    [scenario] = list_scenarios(demo_store, district)
    actors, flows = list_stakeholders(demo_store, district), list_flows(demo_store, district)
    predicted = sc.apply_changes(actors, flows, scenario["changes"])
    expected = compute_indicators(predicted.actors, predicted.flows)
    baseline = numbers(demo_store, district)
    _changes, inverse = demo_store.apply(apply_scenario(demo_store, scenario))
    assert numbers(demo_store, district) == pytest.approx({k: expected[k].value for k in INDICATOR_KEYS})
    assert numbers(demo_store, district) != baseline
    assert get_scenario(demo_store, scenario["id"])["applied"]
    with pytest.raises(UserError):
        apply_scenario(demo_store, get_scenario(demo_store, scenario["id"]))
    demo_store.apply(inverse)
    assert numbers(demo_store, district) == baseline
    assert not get_scenario(demo_store, scenario["id"])["applied"]


CHANGE = st.one_of(
    st.tuples(st.just("scale"), st.integers(0, 59), st.floats(0, 5, allow_nan=False)),
    st.tuples(st.just("remove"), st.integers(0, 59), st.just(0.0)),
    st.tuples(st.just("add"), st.integers(0, 42), st.floats(0, 1e6, allow_nan=False)),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CHANGE, min_size=1, max_size=6))
def test_apply_then_undo_restores_every_number(demo_store, picks):
    district = demo_store.demo_id
    flows = sorted(list_flows(demo_store, district), key=lambda f: f["id"])
    actors = list_stakeholders(demo_store, district)
    insert = create_scenario(district, "prova")
    demo_store.apply(insert)
    for what, n, amount in picks:
        scenario = get_scenario(demo_store, insert.values["id"])
        if what == "scale":
            change = sc.scale_flow(flows[n]["id"], amount)
        elif what == "remove":
            change = sc.remove_flow(flows[n]["id"])
        else:
            change = sc.add_flow({"source_id": actors[n]["id"], "target_id": None, "kind": "money",
                                  "value_eur": amount})
        demo_store.apply(add_change(scenario, change))
    baseline, state = numbers(demo_store, district), flow_state(demo_store, district)
    _changes, inverse = demo_store.apply(apply_scenario(demo_store, get_scenario(demo_store, insert.values["id"])))
    demo_store.apply(inverse)
    assert numbers(demo_store, district) == baseline
    assert flow_state(demo_store, district) == state


def test_a_duplicate_district_has_its_own_flows_and_scenarios(demo_store):
    district = demo_store.demo_id
    batch = duplicate_district(demo_store, district, "Copia")
    demo_store.apply(batch)
    copy_id = batch.edits[0].values["id"]
    copied = list_flows(demo_store, copy_id)
    assert len(copied) == 60
    originals = {a["id"] for a in list_stakeholders(demo_store, district)}
    assert not {f["source_id"] for f in copied} & originals
    assert numbers(demo_store, copy_id) == pytest.approx(numbers(demo_store, district))
    [scenario] = list_scenarios(demo_store, copy_id)
    result = sc.apply_changes(list_stakeholders(demo_store, copy_id), copied, scenario["changes"])
    assert result.stale == ()  # its changes point at the copied flows


def test_a_scenario_applied_undone_and_applied_again(demo_store):
    district = demo_store.demo_id
    [scenario] = list_scenarios(demo_store, district)
    baseline = numbers(demo_store, district)
    _changes, inverse = demo_store.apply(apply_scenario(demo_store, scenario))
    applied = numbers(demo_store, district)
    demo_store.apply(inverse)
    assert numbers(demo_store, district) == baseline
    demo_store.apply(apply_scenario(demo_store, get_scenario(demo_store, scenario["id"])))
    assert numbers(demo_store, district) == pytest.approx(applied)
    # once applied, the scenario changes nothing more: comparing it with today shows no difference
    applied_scenario = get_scenario(demo_store, scenario["id"])
    result = sc.apply_changes(list_stakeholders(demo_store, district), list_flows(demo_store, district),
                              sc.effective_changes(applied_scenario))
    assert compute_indicators(result.actors, result.flows)["internal_purchases"].value == pytest.approx(
        applied["internal_purchases"])


def test_deleting_two_actors_with_a_flow_between_them_moves_nothing_to_outside_and_outside(demo_store):
    from ssd_starter.store.stakeholders import delete_stakeholders

    district = demo_store.demo_id
    bottega = find_stakeholder(demo_store, district, "Bottega Cooperativa Brenta e Tesino")
    farm = find_stakeholder(demo_store, district, "Azienda agricola biologica Maso Larici")
    between = [f for f in list_flows(demo_store, district)
               if {f["source_id"], f["target_id"]} == {bottega["id"], farm["id"]}]
    assert between
    demo_store.apply(delete_stakeholders(demo_store, [bottega["id"], farm["id"]], flows="outside"))
    remaining = list_flows(demo_store, district)
    assert not [f for f in remaining if f["source_id"] is None and f["target_id"] is None]
    assert not {f["id"] for f in between} & {f["id"] for f in remaining}
    assert all(bottega["id"] not in (f["source_id"], f["target_id"]) for f in remaining)


def test_an_applied_scenario_keeps_what_it_did_and_its_change_list(demo_store):
    from ssd_starter.store.flows import remove_change

    district = demo_store.demo_id
    [scenario] = list_scenarios(demo_store, district)
    scaled_id = next(c["flow_id"] for c in scenario["changes"] if c["op"] == "scale_flow")
    original = get_flow(demo_store, scaled_id)
    baseline = numbers(demo_store, district)
    _changes, inverse = demo_store.apply(apply_scenario(demo_store, scenario))
    applied = get_scenario(demo_store, scenario["id"])
    assert applied["changes"] == scenario["changes"]  # never rewritten
    record = applied["applied_record"]
    assert record["flows"][scaled_id]["value_eur"] == original["value_eur"] != get_flow(demo_store, scaled_id)[
        "value_eur"]
    assert record["before"] == pytest.approx(baseline) and record["after"] == pytest.approx(numbers(demo_store, district))
    assert record["before"]["lm3"] != pytest.approx(record["after"]["lm3"])  # the demo's scenario moves LM3
    with pytest.raises(UserError):
        remove_change(applied, 0)
    demo_store.apply(inverse)
    assert get_scenario(demo_store, scenario["id"])["applied_record"] == {}


def test_a_yearly_snapshot_is_taken_once_a_year_with_the_same_id_everywhere(demo_store, store, district):
    import datetime as dt

    from ssd_starter.store.edits import Delete
    from ssd_starter.store.flows import list_snapshots, take_snapshot, yearly_snapshot, yearly_snapshot_id

    demo = demo_store.demo_id
    insert = yearly_snapshot(demo_store, demo, dt.date(2025, 3, 1))
    assert insert.values["id"] == yearly_snapshot_id(demo, 2025) and insert.values["kind"] == "yearly"
    demo_store.apply(insert)
    assert yearly_snapshot(demo_store, demo, dt.date(2025, 12, 31)) is None  # that year is kept
    [kept] = list_snapshots(demo_store, demo)
    assert kept["values"] == pytest.approx(numbers(demo_store, demo)) and kept["taken_on"] == dt.date(2025, 3, 1)
    # a snapshot kept on demand counts as the year's record too
    demo_store.apply(take_snapshot(demo_store, demo, on=dt.date(2026, 1, 2)))
    assert yearly_snapshot(demo_store, demo, dt.date(2026, 5, 1)) is None
    # one deleted by hand is not taken again; a district without flows has nothing to keep
    demo_store.apply(Delete("indicator_snapshot", kept["id"]))
    assert yearly_snapshot(demo_store, demo, dt.date(2025, 6, 1)) is None
    assert yearly_snapshot(store, district, dt.date(2025, 6, 1)) is None
    assert [s["taken_on"].year for s in list_snapshots(demo_store, demo)] == [2026]
