"""The row-cache model every list of records is built on: Qt's model contract, and refreshes that move only
the rows an edit touched (so a selection survives another row's edit)."""

from PySide6.QtCore import QPersistentModelIndex

from ssd_starter.store.districts import create_district
from ssd_starter.store.stakeholders import create_stakeholder, delete_stakeholder, update_stakeholder
from ssd_starter.ui.map.table_model import ActorTableModel
from ssd_starter.ui.row_model import IdRole, RecordRole
from tests.helpers import add_actor


def _model(store, district_id):
    model = ActorTableModel(store, lambda edit, text: bool(store.apply(edit)))
    model.set_district(district_id)
    return model


def test_the_model_keeps_qts_contract_through_edits(qtmodeltester, demo_store):
    model = _model(demo_store, demo_store.demo_id)
    qtmodeltester.check(model)
    first = model.record(0)
    demo_store.apply(update_stakeholder(first["id"], name="Zeta"))
    demo_store.apply(delete_stakeholder(demo_store, model.record(1)["id"], flows="outside"))
    add_actor(demo_store, demo_store.demo_id, "Nuovo")
    qtmodeltester.check(model)


def test_an_insert_adds_one_row_and_keeps_the_others(qtbot, store, district):
    a = add_actor(store, district, "Alpha")
    model = _model(store, district)
    kept = QPersistentModelIndex(model.index(0, 0))
    with qtbot.waitSignal(model.rowsInserted, timeout=1000), qtbot.assertNotEmitted(model.modelReset):
        b = add_actor(store, district, "Beta")
    assert [model.index(r, 0).data(IdRole) for r in range(model.rowCount())] == [a, b]
    assert kept.isValid() and kept.row() == 0


def test_an_update_refreshes_only_that_row(qtbot, store, district):
    add_actor(store, district, "Alpha")
    b = add_actor(store, district, "Beta")
    model = _model(store, district)
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as signal, qtbot.assertNotEmitted(model.modelReset):
        store.apply(update_stakeholder(b, influence=5))
    top_left, bottom_right = signal.args[:2]
    assert top_left.row() == bottom_right.row() == model.row_by_id(b)
    assert model.index(model.row_by_id(b), 0).data(RecordRole)["influence"] == 5


def test_a_delete_removes_the_row(qtbot, store, district):
    a = add_actor(store, district, "Alpha")
    b = add_actor(store, district, "Beta")
    model = _model(store, district)
    with qtbot.waitSignal(model.rowsRemoved, timeout=1000), qtbot.assertNotEmitted(model.modelReset):
        store.apply(delete_stakeholder(store, a))
    assert model.rowCount() == 1 and model.row_by_id(b) == 0 and model.row_by_id(a) == -1


def test_changes_in_another_district_or_to_proposals_do_not_show(qtbot, store, district):
    other = create_district("Other")
    store.apply(other)
    model = _model(store, district)
    with qtbot.assertNotEmitted(model.rowsInserted), qtbot.assertNotEmitted(model.modelReset):
        add_actor(store, other.values["id"], "Elsewhere")
    proposal = create_stakeholder(district, {"name": "Proposed"})
    proposal.values["proposed_by"] = "workshop-answer"
    store.apply(proposal)
    assert model.rowCount() == 0


def test_a_large_change_set_is_one_reset(qtbot, store, district):
    from ssd_starter.store.edits import Batch

    model = _model(store, district)
    batch = Batch(tuple(create_stakeholder(district, {"name": f"A{n}"}) for n in range(60)))
    with qtbot.waitSignal(model.modelReset, timeout=1000), qtbot.assertNotEmitted(model.rowsInserted):
        store.apply(batch)
    assert model.rowCount() == 60


def test_an_ordered_model_inserts_where_a_row_sorts_and_moves_it_on_rename(qtbot, qtmodeltester, store, district):
    class ByName(ActorTableModel):
        ORDER = staticmethod(lambda record: record["name"].casefold())

    add_actor(store, district, "Alpha")
    gamma = add_actor(store, district, "Gamma")
    model = ByName(store, lambda edit, text: True)
    model.set_district(district)
    with qtbot.waitSignal(model.rowsInserted, timeout=1000) as inserted:
        add_actor(store, district, "Beta")
    assert inserted.args[1] == 1
    with qtbot.waitSignal(model.rowsMoved, timeout=1000), qtbot.assertNotEmitted(model.modelReset):
        store.apply(update_stakeholder(gamma, name="Aardvark"))
    assert [model.record(r)["name"] for r in range(model.rowCount())] == ["Aardvark", "Alpha", "Beta"]
    qtmodeltester.check(model)
