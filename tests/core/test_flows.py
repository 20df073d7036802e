"""Flow and card rules, and what-if scenarios applied in memory."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssd_starter.core import scenarios as sc
from ssd_starter.core.errors import UserError, ValidationError
from ssd_starter.core.flows import MAX_VALUE_EUR, clean_card, clean_flow, flow_from_card, flow_from_relation
from ssd_starter.i18n import set_language


def test_a_money_flow_counts_its_value_as_its_quantity():
    flow = clean_flow({"source_id": "a", "target_id": None, "kind": "money", "value_eur": 1200, "quantity": 7})
    assert (flow["unit"], flow["quantity"], flow["value_eur"]) == ("EUR", 1200.0, 1200.0)


def test_a_flow_needs_one_district_end_and_two_different_ends():
    with pytest.raises(ValidationError) as loop:
        clean_flow({"source_id": "a", "target_id": "a", "kind": "goods"})
    assert loop.value.field == "target_id" and "itself" in loop.value.message()
    with pytest.raises(ValidationError) as nowhere:
        clean_flow({"source_id": None, "target_id": "", "kind": "goods"})
    assert nowhere.value.field == "source_id"


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), "abc", True, MAX_VALUE_EUR * 2])
def test_negative_absurd_or_non_numbers_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        clean_flow({"source_id": "a", "kind": "goods", "value_eur": value})
    assert refused.value.field == "value_eur"


def test_the_unit_must_suit_the_kind_and_the_message_names_the_right_ones():
    with pytest.raises(ValidationError) as wrong:
        clean_flow({"source_id": "a", "kind": "energy", "quantity": 3, "unit": "kg"})
    assert wrong.value.field == "unit" and "kWh" in wrong.value.message()
    with pytest.raises(ValidationError):
        clean_flow({"source_id": "a", "kind": "money", "unit": "kg", "value_eur": 3})
    assert clean_flow({"source_id": "a", "kind": "labour", "quantity": 2, "unit": "persons"})["unit"] == "persons"


def test_the_refusal_is_translated():
    set_language("it")
    with pytest.raises(ValidationError) as refused:
        clean_flow({"source_id": "a", "target_id": "a", "kind": "goods"})
    assert "stesso" in refused.value.message() or "sé" in refused.value.message()


def test_an_unmeasured_quantity_keeps_the_kinds_default_unit():
    flow = clean_flow({"source_id": "a", "kind": "knowledge", "quantity": None})
    assert flow["quantity"] is None and flow["unit"] == "h"


def test_cards_need_text_and_a_known_block():
    assert clean_card("partners", "  Banca  ", ["a", "a", "b"]) == {
        "block": "partners", "text": "Banca", "stakeholder_ids": ["a", "b"]}
    with pytest.raises(ValidationError):
        clean_card("partners", "   ")
    with pytest.raises(ValidationError):
        clean_card("mission", "Text")


def test_flows_drawn_from_relations_go_the_way_the_resource_moves():
    buys = flow_from_relation({"id": "r", "source_id": "shop", "target_id": "farm", "kind": "buys_from"})
    assert (buys["source_id"], buys["target_id"], buys["kind"]) == ("farm", "shop", "goods")
    places = flow_from_relation({"id": "r", "source_id": "coop", "target_id": "inn", "kind": "places_workers"})
    assert (places["source_id"], places["kind"], places["relation_id"]) == ("coop", "labour", "r")


def test_flows_drawn_from_cards_follow_the_block():
    revenue = flow_from_card({"id": "c", "block": "revenues", "text": "Quote", "stakeholder_ids": ["x"]})
    assert (revenue["source_id"], revenue["target_id"], revenue["kind"]) == (None, "x", "money")
    cost = flow_from_card({"id": "c", "block": "costs", "text": "Logistica", "stakeholder_ids": ["x", "y"]})
    assert (cost["source_id"], cost["target_id"]) == ("x", "y")
    clean_flow({k: v for k, v in revenue.items()})  # what a card suggests is a valid flow


ACTORS = [{"id": "a", "name": "A", "category": "cooperative", "roles": [], "stage": "member"},
          {"id": "b", "name": "B", "category": "producer", "roles": [], "stage": "member"}]
FLOWS = [
    {"id": "f1", "source_id": "a", "target_id": "b", "kind": "money", "quantity": 100.0, "unit": "EUR",
     "value_eur": 100.0, "description": ""},
    {"id": "f2", "source_id": "a", "target_id": None, "kind": "money", "quantity": 50.0, "unit": "EUR",
     "value_eur": 50.0, "description": ""},
]


def test_scenario_changes_apply_in_order_and_stale_ones_are_reported():
    new_actor = sc.add_actor({"name": "Forno", "category": "cooperative"})
    changes = [
        sc.scale_flow("f1", 2),
        sc.remove_flow("f2"),
        new_actor,
        sc.add_flow({"source_id": new_actor["actor"]["id"], "target_id": "a", "kind": "goods", "value_eur": 30}),
        sc.scale_flow("gone", 3),
    ]
    result = sc.apply_changes(ACTORS, FLOWS, changes)
    assert [a["name"] for a in result.actors] == ["A", "B", "Forno"]
    by_id = {f["id"]: f for f in result.flows}
    assert by_id["f1"]["value_eur"] == 200 and by_id["f1"]["quantity"] == 200
    assert "f2" not in by_id and len(by_id) == 2
    assert result.stale == (4,)
    assert FLOWS[0]["value_eur"] == 100  # the baseline is untouched


def test_changes_from_storage_are_checked_again():
    with pytest.raises(UserError):
        sc.check_change({"op": "explode"})
    with pytest.raises(UserError):
        sc.check_change({"op": "scale_flow", "flow_id": "f1", "factor": -2})
    with pytest.raises(UserError):
        sc.check_change({"op": "add_flow", "flow": {"id": "x", "source_id": "a", "target_id": "a", "kind": "goods"}})
    kept = sc.check_change({"op": "add_actor", "actor": {"id": "keep-me", "name": "N", "stage": "member"}})
    assert kept["actor"]["id"] == "keep-me"


@given(st.lists(st.tuples(st.sampled_from(["f1", "f2"]), st.floats(0, 100, allow_nan=False)), max_size=6))
def test_scaling_is_multiplicative(factors):
    changes = [sc.scale_flow(flow_id, factor) for flow_id, factor in factors]
    result = {f["id"]: f for f in sc.apply_changes(ACTORS, FLOWS, changes).flows}
    for base in FLOWS:
        expected = base["value_eur"] * math.prod(f for i, f in factors if i == base["id"])
        assert math.isclose(result[base["id"]]["value_eur"], expected, rel_tol=1e-9, abs_tol=1e-9)


# --- purposes of money flows -------------------------------------------------------------------------

def test_a_money_flow_is_a_payment_unless_told_otherwise_and_other_kinds_have_no_purpose():
    assert clean_flow({"source_id": "a", "kind": "money", "value_eur": 5})["purpose"] == "payment"
    assert clean_flow({"source_id": "a", "kind": "money", "value_eur": 5, "purpose": "loan"})["purpose"] == "loan"
    assert clean_flow({"source_id": "a", "kind": "goods", "quantity": 1, "unit": "kg"})["purpose"] is None
    with pytest.raises(ValidationError) as bad:
        clean_flow({"source_id": "a", "kind": "money", "value_eur": 5, "purpose": "bribe"})
    assert bad.value.field == "purpose" and "grant" in bad.value.message()
    with pytest.raises(ValidationError) as goods:
        clean_flow({"source_id": "a", "kind": "goods", "purpose": "loan"})
    assert goods.value.field == "purpose"


@pytest.mark.parametrize(("description", "loan"), [
    ("Mutuo per il secondo impianto fotovoltaico", True),
    ("Rata annuale del mutuo", True),
    ("Prestito soci", True),
    ("Microcredito per l'irrigazione", True),
    ("Finanziamento ponte", True),
    ("Darlehen der Raiffeisenkasse", True),
    ("Kredit für die Photovoltaikanlage", True),
    ("Bank loan for the new oven", True),
    ("Pagamento ortaggi biologici", False),
    ("Acquisti da grossisti fuori distretto", False),
    ("", False),
    (None, False),
])
def test_descriptions_that_read_like_a_loan(description, loan):
    from ssd_starter.core.flows import suggests_loan

    assert suggests_loan(description) is loan


def test_a_flow_drawn_from_a_financing_relation_is_a_loan_the_promoter_can_change():
    flow = clean_flow({k: v for k, v in flow_from_relation(
        {"id": "r", "source_id": "bank", "target_id": "coop", "kind": "finances"}).items() if k != "relation_id"})
    assert (flow["kind"], flow["purpose"]) == ("money", "loan")
