"""The record lists of the map and the canvas: Qt's model contract (qtmodeltester), an edit that moves only its own
row, the rows that name a renamed actor, and nothing at all from another district's edits."""

import pytest
from PySide6.QtCore import QModelIndex

from ssd_starter.core import scenarios as sc
from ssd_starter.store.canvas import create_card, update_card_text
from ssd_starter.store.districts import create_district
from ssd_starter.store.flows import (
    add_change,
    create_flow,
    create_scenario,
    get_scenario,
    list_flows,
    list_scenarios,
    remove_change,
    rename_scenario,
    update_flow,
)
from ssd_starter.store.stakeholders import (
    create_relation,
    list_relations,
    update_relation,
    update_stakeholder,
)
from ssd_starter.ui.canvas.card import CardListModel
from ssd_starter.ui.canvas.dialogs import CheckableActors, FlowTitles
from ssd_starter.ui.canvas.flows import FROM, TO, FlowTableModel
from ssd_starter.ui.canvas.scenario_models import ChoiceModel, ScenarioChangesModel, ScenarioListModel
from ssd_starter.ui.map.actor_list import ActorChoiceModel, ActorListModel
from ssd_starter.ui.map.relations import RelationListModel
from ssd_starter.ui.row_model import IdRole
from tests.helpers import add_actor


@pytest.fixture
def other(store):
    """A second district with an actor, a relation, a card, a flow and a scenario of its own."""
    insert = create_district("Altrove")
    store.apply(insert)
    district = insert.values["id"]
    a, b = add_actor(store, district, "Uno"), add_actor(store, district, "Due")
    store.apply(create_relation(district, {"source_id": a, "target_id": b, "kind": "supplies"}))
    store.apply(create_card(store, district, "partners", "Altrove card", [a]))
    store.apply(create_flow(district, {"source_id": a, "target_id": b, "kind": "money", "value_eur": 10}))
    store.apply(create_scenario(district, "Altrove scenario"))
    return district, a


def _models(store, district):
    """Every record list of the two areas, bound to ``district`` as their pages bind them."""
    actors = ActorListModel(store)
    actors.set_district(district)
    flows = FlowTableModel(store, actors)
    flows.set_district(district)
    relations = RelationListModel(store, actors)
    relations.set_district(district)
    cards = CardListModel(store)
    cards.set_district(district)
    scenarios = ScenarioListModel(store)
    scenarios.set_district(district)
    changes = ScenarioChangesModel(store, flows, actors)
    scenarios_here = list_scenarios(store, district)
    changes.set_scenario(district, scenarios_here[0]["id"] if scenarios_here else None)
    return {"actors": actors, "flows": flows, "relations": relations, "cards": cards, "scenarios": scenarios,
            "changes": changes}


def test_every_model_keeps_qts_contract(qtmodeltester, demo_store):
    district = demo_store.demo_id
    models = _models(demo_store, district)
    one_actor = RelationListModel(demo_store, models["actors"])
    one_actor.set_actor(district, list_relations(demo_store, district)[0]["source_id"])
    proxies = [ActorChoiceModel(models["actors"]), CheckableActors(models["actors"], []),
               FlowTitles(models["flows"]),
               ChoiceModel(models["scenarios"], lambda: "today", lambda s: s["name"])]
    for model in [*models.values(), one_actor, *proxies]:
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    scenario = list_scenarios(demo_store, district)[0]
    demo_store.apply(add_change(scenario, sc.remove_flow(list_flows(demo_store, district)[0]["id"])))
    add_actor(demo_store, district, "Nuovo")
    for model in [*models.values(), one_actor, *proxies]:
        qtmodeltester.check(model)
    for model in [*models.values(), one_actor]:
        model.detach()


def _one_row_edits(store, district):
    """For each model, an edit of one of its rows: (model key, the edit, the id of the row it changes)."""
    actor = add_actor(store, district, "Alfa")
    other_actor = add_actor(store, district, "Beta")
    relation = create_relation(district, {"source_id": actor, "target_id": other_actor, "kind": "trains"})
    card = create_card(store, district, "partners", "Una carta")
    flow = create_flow(district, {"source_id": actor, "target_id": None, "kind": "money", "value_eur": 5})
    scenario = create_scenario(district, "Prima")
    for edit in (relation, card, flow, scenario):
        store.apply(edit)
    flow_row = next(f for f in list_flows(store, district) if f["id"] == flow.values["id"])
    return [("actors", lambda: update_stakeholder(actor, influence=5), actor),
            ("relations", lambda: update_relation(relation.values["id"], notes="settimanale"), relation.values["id"]),
            ("cards", lambda: update_card_text(card.values, "Un'altra carta"), card.values["id"]),
            ("flows", lambda: update_flow(flow_row, value_eur=7), flow.values["id"]),
            ("scenarios", lambda: rename_scenario(scenario.values["id"], "Seconda"), scenario.values["id"])]


def test_an_edit_of_one_row_refreshes_only_that_row(qtbot, store, district):
    edits = _one_row_edits(store, district)
    models = _models(store, district)
    for key, edit, row_id in edits:
        model = models[key]
        with qtbot.waitSignal(model.dataChanged, timeout=1000) as signal, qtbot.assertNotEmitted(model.modelReset), \
                qtbot.assertNotEmitted(model.rowsInserted), qtbot.assertNotEmitted(model.rowsRemoved):
            store.apply(edit())
        top, bottom = signal.args[:2]
        assert top.row() == bottom.row() == model.row_by_id(row_id), key


def test_a_renamed_actor_refreshes_only_the_rows_that_name_it(qtbot, store, district):
    a, b, c = (add_actor(store, district, name) for name in ("Alfa", "Beta", "Gamma"))
    for source, target in ((a, b), (b, c)):
        store.apply(create_flow(district, {"source_id": source, "target_id": target, "kind": "money",
                                           "value_eur": 1}))
        store.apply(create_relation(district, {"source_id": source, "target_id": target, "kind": "trains"}))
    models = _models(store, district)
    for key in ("flows", "relations"):
        model = models[key]
        changed = []
        model.dataChanged.connect(lambda top, _bottom, _roles=(), seen=changed, m=model: seen.append(
            m.record(top.row())))
        with qtbot.assertNotEmitted(model.modelReset):
            store.apply(update_stakeholder(a, name=f"Alfa {key}"))
        assert [r["source_id"] for r in changed] == [a], key  # the row naming Alfa, not the one of Beta and Gamma
        row = model.row_by_id(changed[0]["id"])
        column = FROM if key == "flows" else 0
        assert f"Alfa {key}" in model.index(row, column).data()
        assert "Alfa" not in model.index(1 - row, TO if key == "flows" else 0).data()


def test_edits_in_another_district_change_nothing(qtbot, store, district, other):
    add_actor(store, district, "Qui")
    store.apply(create_scenario(district, "Qui scenario"))
    models = _models(store, district)
    other_district, other_actor = other
    signals = [signal for model in models.values() for signal in (model.modelReset, model.rowsInserted,
                                                                  model.rowsRemoved, model.dataChanged)]
    scenario = list_scenarios(store, other_district)[0]
    seen: list = []
    for signal in signals:
        signal.connect(lambda *args: seen.append(args))
    for edit in (update_stakeholder(other_actor, name="Uno bis"),
                 update_relation(list_relations(store, other_district)[0]["id"], notes="altrove"),
                 create_card(store, other_district, "costs", "Altrove costs"),
                 update_flow(list_flows(store, other_district)[0], value_eur=20),
                 add_change(scenario, sc.add_actor({"name": "Forno"})),
                 create_scenario(other_district, "Altrove due")):
        store.apply(edit)
        assert seen == [], edit
    assert [m.rowCount() for m in models.values()] == [1, 0, 0, 0, 1, 0]


def test_a_scenarios_changes_move_one_by_one(qtbot, store, district):
    add_actor(store, district, "Qui")
    insert = create_scenario(district, "Prova")
    store.apply(insert)
    scenario_id = insert.values["id"]
    models = _models(store, district)
    changes = models["changes"]
    for n, name in enumerate(("Forno", "Mulino")):
        with qtbot.waitSignal(changes.rowsInserted, timeout=1000) as signal, \
                qtbot.assertNotEmitted(changes.modelReset):
            store.apply(add_change(get_scenario(store, scenario_id), sc.add_actor({"name": name})))
        assert signal.args[1:] == [n, n]
    assert [changes.index(r, 0).data() for r in range(2)] == ["Add an actor: Forno", "Add an actor: Mulino"]
    with qtbot.waitSignal(changes.rowsRemoved, timeout=1000) as signal, qtbot.assertNotEmitted(changes.modelReset):
        store.apply(remove_change(get_scenario(store, scenario_id), 0))
    assert signal.args[1:] == [0, 0]
    assert changes.rowCount() == 1 and changes.index(0, 0).data() == "Add an actor: Mulino"


def test_the_choice_model_follows_its_list_with_today_first(qtbot, store, district):
    scenarios = ScenarioListModel(store)
    scenarios.set_district(district)
    choice = ChoiceModel(scenarios, lambda: "today", lambda s: s["name"])
    assert choice.rowCount() == 1 and choice.index(0, 0).data() == "today" and choice.index(0, 0).data(IdRole) is None
    with qtbot.waitSignal(choice.rowsInserted, timeout=1000) as signal:
        store.apply(create_scenario(district, "Domani"))
    assert signal.args[1:] == [1, 1] and choice.index(1, 0).data() == "Domani"
    assert not choice.index(0, 0, QModelIndex()).parent().isValid()


def test_the_map_page_hears_only_its_own_district(make_window, demo_store, other):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("map")
    page = window.map_page
    count = page.count_label.text()
    heard = []
    page._on_changes = lambda changes: heard.append(changes)  # noqa: SLF001 - what the page is told
    other_district, other_actor = other
    demo_store.apply(update_stakeholder(other_actor, stage="member"))
    add_actor(demo_store, other_district, "Tre")
    assert heard == [] and page.count_label.text() == count
    add_actor(demo_store, demo_store.demo_id, "Nuovo qui")
    assert len(heard) == 1


def test_the_canvas_page_hears_only_its_own_district(make_window, demo_store, other):
    window = make_window()
    window.set_current_district(demo_store.demo_id)
    window.show_area("canvas")
    page = window.canvas_page
    heard = []
    page._on_changes = lambda changes: heard.append(changes)  # noqa: SLF001 - what the page is told
    other_district, _actor = other
    demo_store.apply(create_card(demo_store, other_district, "costs", "Altrove"))
    demo_store.apply(update_flow(list_flows(demo_store, other_district)[0], value_eur=99))
    assert heard == []
    demo_store.apply(update_flow(list_flows(demo_store, demo_store.demo_id)[0], value_eur=99))
    assert len(heard) == 1


def test_the_actor_picker_ticks_filters_and_keeps_hidden_ticks(qtbot, store, district):
    from PySide6.QtCore import Qt

    from ssd_starter.ui.canvas.dialogs import ActorPicker

    ids = {name: add_actor(store, district, name) for name in ("Caseificio", "Birrificio", "Apicoltura")}
    actors = ActorListModel(store)
    actors.set_district(district)
    picker = ActorPicker(actors, [ids["Caseificio"], "an-actor-deleted-since"])
    qtbot.addWidget(picker)
    model = picker.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Apicoltura", "Birrificio", "Caseificio"]
    picker.filter.setText("bir")
    assert model.rowCount() == 1
    assert model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    picker.filter.clear()
    assert picker.chosen() == [ids["Birrificio"], ids["Caseificio"]]  # by name; a deleted actor is not kept
    actors.detach()
