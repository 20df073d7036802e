"""The Training area's models: Qt's model contract through edits (qtmodeltester), and refreshes that move only
the rows an edit touched — an edit in another district or to another workshop leaves the lists alone, a new
participant is one inserted row, a tick repaints one row."""

import datetime as dt
from contextlib import ExitStack

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from ssd_starter.store.districts import create_district
from ssd_starter.store.stakeholders import update_stakeholder
from ssd_starter.store.training import (
    add_participant,
    add_session,
    create_workshop,
    delete_participant,
    find_answer,
    find_attendance,
    find_participant,
    find_proposal,
    list_participants,
    list_workshops,
    propose_actor,
    propose_card,
    set_answer,
    set_present,
    shipped_pack,
    update_workshop,
)
from ssd_starter.ui.row_model import IdRole
from ssd_starter.ui.training.page import TrainingPage
from ssd_starter.ui.training.workshop_models import NameRole

MODULE = "what_is_ssd"


@pytest.fixture
def page(qtbot, demo_store):
    """The Training page bound to the demo district, as the main window binds it."""
    errors = []
    page = TrainingPage(demo_store, lambda edit, text, merge_key=None: bool(demo_store.apply(edit)), errors.append)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.set_district(demo_store.demo_id)
    page.show()
    page.errors = errors
    yield page
    page.detach()
    assert not errors


def demo_workshop(store):
    [workshop] = list_workshops(store, store.demo_id)
    return workshop


def other_district_workshop(store):
    """A second district with a workshop and one participant: its edits must not reach the demo's lists."""
    district = create_district("Altrove")
    store.apply(district)
    insert = create_workshop(district.values["id"], "Elsewhere", date=dt.date(2026, 1, 1))
    store.apply(insert)
    workshop = insert.values
    store.apply(add_participant(workshop, "Someone Else"))
    return workshop


def models(page):
    workshops = page.workshops
    return {"workshops": workshops.model, "attendance": workshops.people.model,
            "answers": workshops.exercises.model, "results": workshops.results.model,
            "proposals": workshops.proposals.model}


def test_every_model_keeps_qts_contract_through_edits(qtmodeltester, page, demo_store):
    workshop = demo_workshop(demo_store)
    page.workshops.exercises.choose_module(MODULE)
    for model in (page.library.model, page.workshops.plan.modules_model, page.workshops.order,
                  page.workshops.people.order, page.workshops.results.order, *models(page).values()):
        qtmodeltester.check(model)
    person = list_participants(demo_store, workshop["id"])[0]
    exercise = shipped_pack().module(MODULE).exercises[0]
    demo_store.apply(add_participant(workshop, "Zoe Nuova"))
    demo_store.apply(set_present(demo_store, workshop, person["id"], workshop["sessions"][0]["id"], False))
    demo_store.apply(set_answer(demo_store, workshop, person["id"], MODULE, exercise.id, {"choice": 0}))
    demo_store.apply(propose_card(demo_store, workshop, person["id"], "self_sustaining_flows", "x", "partners",
                                  "Orto comune"))
    demo_store.apply(add_session(demo_workshop(demo_store)))
    demo_store.apply(create_workshop(demo_store.demo_id, "Second", date=dt.date(2027, 3, 1)))
    for model in (page.workshops.order, *models(page).values()):
        qtmodeltester.check(model)


def test_adding_a_participant_inserts_one_row_everywhere(qtbot, page, demo_store):
    workshop = demo_workshop(demo_store)
    page.workshops.exercises.choose_module(MODULE)
    tables = [models(page)[k] for k in ("attendance", "answers", "results")]
    before = [m.rowCount() for m in tables]
    kept = QPersistentModelIndex(tables[0].index(3, 0))
    with qtbot.assertNotEmitted(tables[0].modelReset), qtbot.assertNotEmitted(tables[1].modelReset), \
            qtbot.assertNotEmitted(tables[2].modelReset), qtbot.waitSignals([m.rowsInserted for m in tables]):
        demo_store.apply(add_participant(workshop, "Aldo Nuovo"))
    assert [m.rowCount() for m in tables] == [n + 1 for n in before]
    assert kept.isValid() and kept.row() == 3
    results = page.workshops.results.table.model()  # the whole group stays last, the newcomer sorted by name
    assert results.headerData(results.rowCount() - 1, Qt.Orientation.Vertical) == "Whole group"
    assert results.headerData(0, Qt.Orientation.Vertical) == "Aldo Nuovo"
    people = page.workshops.people.table.model()
    assert people.index(0, 0).data() == "Aldo Nuovo"


def test_edits_in_another_district_or_workshop_leave_the_lists_alone(qtbot, page, demo_store):
    workshop = demo_workshop(demo_store)
    listening = list(models(page).values())
    signals = [s for m in listening for s in (m.modelReset, m.rowsInserted, m.rowsRemoved, m.dataChanged)]
    sibling = create_workshop(demo_store.demo_id, "Sibling", date=dt.date(2020, 5, 1))
    demo_store.apply(sibling)  # one row more in the workshop list, and nothing else
    with ExitStack() as quiet:
        for signal in signals:
            quiet.enter_context(qtbot.assertNotEmitted(signal))
        elsewhere = other_district_workshop(demo_store)
        demo_store.apply(update_workshop(elsewhere["id"], title="Renamed elsewhere"))
        demo_store.apply(add_participant(sibling.values, "Only in the sibling"))  # same district, other workshop
        person = list_participants(demo_store, sibling.values["id"])[0]
        demo_store.apply(set_present(demo_store, sibling.values, person["id"], sibling.values["sessions"][0]["id"],
                                     True))
    assert page.workshops.current_workshop()["id"] == workshop["id"]
    assert models(page)["attendance"].rowCount() == len(list_participants(demo_store, workshop["id"]))


def test_a_tick_repaints_only_its_row_and_survives_undo(qtbot, page, demo_store):
    workshop = demo_workshop(demo_store)
    model = models(page)["attendance"]
    person = next(p for p in model.records() if p["name"] == "Federico Osler")
    row = model.row_by_id(person["id"])
    with qtbot.waitSignal(model.dataChanged) as signal, qtbot.assertNotEmitted(model.modelReset):
        inverse = demo_store.apply(set_present(demo_store, workshop, person["id"], workshop["sessions"][0]["id"],
                                               True))[1]
    assert signal.args[0].row() == signal.args[1].row() == row
    assert model.index(row, 3).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    demo_store.apply(inverse)
    assert model.index(row, 3).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_an_answer_repaints_its_row_and_the_group_row(qtbot, page, demo_store):
    workshop = demo_workshop(demo_store)
    page.workshops.exercises.choose_module(MODULE)
    answers, results = models(page)["answers"], models(page)["results"]
    module = shipped_pack().module(MODULE)
    single = next(e for e in module.exercises if e.kind == "single_choice")
    person = answers.record(2)
    rows = []
    results.dataChanged.connect(lambda top, bottom, roles=(): rows.append(top.row()))
    with qtbot.assertNotEmitted(answers.modelReset), qtbot.assertNotEmitted(results.modelReset):
        demo_store.apply(set_answer(demo_store, workshop, person["id"], MODULE, single.id,
                                    {"choice": single.correct[0]}))
    column = list(module.exercises).index(single)
    assert answers.index(2, column).data() == f"{single.points} / {single.points}"
    assert sorted(rows) == [results.row_by_id(person["id"]), results.rowCount() - 1]
    assert "1 of" in results.index(results.row_by_id(person["id"]), 1).data()


def test_editing_the_workshop_keeps_the_rows_and_a_session_adds_a_column(qtbot, page, demo_store):
    workshop = demo_workshop(demo_store)
    model = models(page)["attendance"]
    with qtbot.assertNotEmitted(model.modelReset):
        demo_store.apply(update_workshop(workshop["id"], title="Laboratorio rinominato"))
    assert page.workshops.plan.title.text() == "Laboratorio rinominato"
    assert page.workshops.list.currentIndex().data().startswith("Laboratorio rinominato")
    columns = model.columnCount()
    demo_store.apply(add_session(demo_workshop(demo_store)))
    assert model.columnCount() == columns + 1 and page.workshops.plan.sessions.count() == 2
    assert model.headerData(columns, Qt.Orientation.Horizontal) == "Session 2"


def test_an_actor_renamed_on_the_map_is_renamed_in_the_attendance(page, demo_store):
    model = models(page)["attendance"]
    linked = next(p for p in model.records() if p["stakeholder_id"])
    demo_store.apply(update_stakeholder(linked["stakeholder_id"], name="Nuovo nome"))
    assert model.index(model.row_by_id(linked["id"]), 1).data() == "Nuovo nome"


def test_removing_a_participant_removes_one_row(qtbot, page, demo_store):
    model = models(page)["attendance"]
    gone = model.record(0)["id"]
    with qtbot.waitSignal(model.rowsRemoved), qtbot.assertNotEmitted(model.modelReset):
        demo_store.apply(delete_participant(gone))
    assert model.row_by_id(gone) == -1


def test_proposals_come_and_go_one_row_at_a_time(qtbot, page, demo_store):
    workshop = demo_workshop(demo_store)
    model = models(page)["proposals"]
    person = list_participants(demo_store, workshop["id"])[0]
    with qtbot.waitSignal(model.rowsInserted), qtbot.assertNotEmitted(model.modelReset):
        demo_store.apply(propose_actor(demo_store, workshop, person["id"], "stakeholder_mapping", "x",
                                       {"name": "Forno sociale", "category": "cooperative"}))
    assert model.rowCount() == 1 and "Forno sociale" in model.index(0, 0).data()
    index = model.index(0, 0)
    assert model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert model.ticked() == [] and index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    page.workshops.proposals.accept_button.click()  # nothing ticked: nothing happens
    assert model.rowCount() == 1


def test_the_workshop_list_is_newest_first_and_follows_deletes(qtbot, page, demo_store):
    from ssd_starter.store.training import delete_workshop

    newer = create_workshop(demo_store.demo_id, "Newer", date=dt.date(2030, 1, 1))
    undated = create_workshop(demo_store.demo_id, "Undated")
    demo_store.apply(newer)
    demo_store.apply(undated)
    order = page.workshops.order
    assert [order.index(r, 0).data(IdRole) for r in range(order.rowCount())] == [
        newer.values["id"], demo_workshop_id(demo_store), undated.values["id"]]
    page.workshops.select_workshop(newer.values["id"])
    assert page.workshops.people.model.rowCount() == 0
    demo_store.apply(delete_workshop(demo_store, newer.values["id"]))
    assert page.workshops.current_workshop() is not None
    assert page.workshops.current_workshop()["id"] != newer.values["id"]
    assert page.workshops.people.model.workshop["id"] == page.workshops.current_workshop()["id"]


def demo_workshop_id(store):
    return next(w["id"] for w in list_workshops(store, store.demo_id) if w["title"] not in ("Newer", "Undated"))


def test_the_plan_ticks_follow_the_workshop_row(page, demo_store):
    plan = page.workshops.plan
    model = plan.modules_model
    row = model.row_by_id("writing_the_charter")
    assert model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(model.index(row, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert "writing_the_charter" in demo_workshop(demo_store)["module_ids"]
    assert model.index(row, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    results = models(page)["results"]
    assert results.columnCount() == 1 + len(demo_workshop(demo_store)["module_ids"])


def test_participants_sort_by_name_through_the_proxy(page, demo_store):
    workshop = demo_workshop(demo_store)
    demo_store.apply(add_participant(workshop, "Bruno Secondo"))
    people = page.workshops.people.table.model()
    names = [people.index(r, 0).data(NameRole) for r in range(people.rowCount())]
    assert names == sorted(names, key=lambda n: (n.casefold(), n))


def test_single_row_reads_return_none_when_gone(demo_store):
    workshop = demo_workshop(demo_store)
    newcomer = add_participant(workshop, "Nuova Persona")
    demo_store.apply(newcomer)
    person = find_participant(demo_store, newcomer.values["id"])
    assert person["name"] == "Nuova Persona"
    mark = set_present(demo_store, workshop, person["id"], workshop["sessions"][0]["id"], True)
    demo_store.apply(mark)
    assert find_attendance(demo_store, mark.values["id"])["present"] is True
    exercise = shipped_pack().module(MODULE).exercises[0]
    answer = set_answer(demo_store, workshop, person["id"], MODULE, exercise.id, {"choice": 1})
    demo_store.apply(answer)
    assert find_answer(demo_store, answer.values["id"])["answer"] == {"choice": 1}
    proposal = propose_card(demo_store, workshop, person["id"], "self_sustaining_flows", "x", "partners", "Mensa")
    demo_store.apply(proposal)
    card_id = proposal.edits[0].values["id"]
    assert find_proposal(demo_store, workshop["id"], card_id)["text"] == "Mensa"
    assert find_proposal(demo_store, "another-workshop", card_id) is None
    demo_store.apply(delete_participant(person["id"]))
    assert find_participant(demo_store, person["id"]) is None


def test_f5_presents_the_chosen_module_or_the_workshops_modules(page, demo_store, monkeypatch):
    from ssd_starter.ui.training.presenter import PresenterWindow

    monkeypatch.setattr(PresenterWindow, "start", lambda self: None)  # no full screen in a test
    page.tabs.setCurrentIndex(0)
    page.present()
    assert {item.module.id for item in page.presenter.deck} == {page.library.selected_module().id}
    page.tabs.setCurrentIndex(1)
    page.present()
    assert list(dict.fromkeys(item.module.id for item in page.presenter.deck)) == \
        demo_workshop(demo_store)["module_ids"]
    assert page.presenter.windowTitle() == demo_workshop(demo_store)["title"]
    demo_store.apply(update_workshop(demo_workshop(demo_store)["id"], module_ids=[]))
    page.present()
    assert [e.message() for e in page.errors] == ["Choose at least one module for the workshop first."]
    page.errors.clear()
    page.close_presenter()


def test_a_language_switch_retranslates_headers_and_cells(page, demo_store):
    from ssd_starter.ui.language import notifier

    model = models(page)["attendance"]
    notifier().set_language("de")
    page.retranslate()  # as the main window does on a language change
    try:
        assert model.headerData(3, Qt.Orientation.Horizontal) == "Termin 1"
        assert page.workshops.detail.tabText(1) != "Participants and attendance"
        assert model.index(0, 2).data() in ("ja", "nein")
        results = page.workshops.results.table.model()
        assert results.headerData(results.rowCount() - 1, Qt.Orientation.Vertical) != "Whole group"
    finally:
        notifier().set_language("en")


def test_a_new_workshop_is_chosen_and_deleting_the_last_one_disables_the_tabs(page, demo_store, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Laboratorio nuovo", True))
    workshops = page.workshops
    workshops.new_workshop()
    chosen = workshops.current_workshop()
    assert chosen["title"] == "Laboratorio nuovo" and workshops.plan.title.text() == "Laboratorio nuovo"
    assert workshops.people.model.rowCount() == 0 and workshops.model.rowCount() == 2
    workshops.delete_current()
    workshops.delete_current()
    assert workshops.model.rowCount() == 0 and workshops.current_workshop() is None
    assert not workshops.detail.isEnabled() and not workshops.certificates_button.isEnabled()
    assert workshops.people.model.rowCount() == 0 and workshops.results.model.rowCount() == 0


def test_participants_from_the_map_offer_only_actors_not_yet_taking_part(page, demo_store, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from ssd_starter.store.stakeholders import list_stakeholders
    from ssd_starter.ui.canvas.dialogs import ActorPicker

    offered = []

    def tick_the_first(dialog):
        model = dialog.list.model()
        offered.extend(model.index(r, 0).data(IdRole) for r in range(model.rowCount()))
        model.setData(model.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ActorPicker, "exec", tick_the_first)
    workshop = demo_workshop(demo_store)
    taken = {p["stakeholder_id"] for p in list_participants(demo_store, workshop["id"])}
    before = page.workshops.people.model.rowCount()
    page.workshops.people.add_from_map()
    assert offered and not taken & set(offered)
    assert len(offered) == len([a for a in list_stakeholders(demo_store, demo_store.demo_id) if a["id"] not in taken])
    assert page.workshops.people.model.rowCount() == before + 1
    assert offered[0] in {p["stakeholder_id"] for p in page.workshops.people.model.records()}


def test_f5_again_replaces_the_presenter_instead_of_leaving_a_second_window(page, monkeypatch, qapp):
    from ssd_starter.ui.training.presenter import PresenterWindow

    monkeypatch.setattr(PresenterWindow, "start", lambda self: self.show())
    page.tabs.setCurrentIndex(0)
    page.present()
    page.present()
    qapp.processEvents()
    shown = [w for w in qapp.topLevelWidgets() if isinstance(w, PresenterWindow) and w.isVisible()]
    assert shown == [page.presenter]
    page.close_presenter()


def test_the_attendance_names_actors_from_their_ids_and_names_only(page, demo_store):
    from ssd_starter.store.stakeholders import list_stakeholders

    actors = page.workshops.actors
    records = [actors.record(row) for row in range(actors.rowCount())]
    full = list_stakeholders(demo_store, demo_store.demo_id)
    assert records == [{"id": a["id"], "name": a["name"]} for a in full]  # the map's order, nothing more kept
    first = full[0]
    demo_store.apply(update_stakeholder(first["id"], name="Zeta rinominata"))
    assert {"id": first["id"], "name": "Zeta rinominata"} in [actors.record(r) for r in range(actors.rowCount())]
