"""Purposes of money flows in the store: the 0011 migration asks rather than guesses, the questions are answered
once, purposes change in one undoable step, and a change of kind takes the purpose away."""

import json

from sqlalchemy import create_engine

from ssd_starter.store import Store
from ssd_starter.store.flows import (
    PURPOSE_QUESTIONS,
    answer_purpose_questions,
    create_flow,
    get_flow,
    list_flows,
    loan_suggestions,
    purpose_questions,
    set_purposes,
    update_flow,
)
from ssd_starter.store.migrations import upgrade
from tests.helpers import add_actor, run_sql

ROWS = (("f1", "money", "Mutuo per il secondo impianto fotovoltaico", 250000.0),
        ("f2", "money", "Pagamento ortaggi", 4500.0),
        ("f3", "money", "Darlehen der Raiffeisenkasse", 30000.0),
        ("f4", "goods", "Prestito di attrezzi", 100.0),          # not money: never a loan
        ("f5", "money", "Prestito ai soci (cancellato)", 900.0))  # deleted: nobody to ask about


def database_at_0010(path):
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        upgrade(conn, "0010_review")
    engine.dispose()
    statements = [
        "INSERT INTO district (id, updated_at, version, origin, deleted, name, kind, sectors, municipalities, "
        "language, description, created_at, targets) VALUES ('d1', '2025-05-01 10:00:00', 1, 'dev', 0, 'Valle', "
        "'territorial', '[]', '[]', 'it', '', '2025-05-01 09:00:00', '{}')",
        "INSERT INTO meta (key, value) VALUES ('device_id', 'dev')",
        "INSERT INTO stakeholder (id, updated_at, version, origin, deleted, district_id, name, category, sector, "
        "municipality, roles, influence, interest, attitude, stage, contact_person, email, phone, consent, "
        "consent_date, consent_purpose, notes, proposed_by) VALUES ('s1', '2025-05-01 10:00:00', 1, 'dev', 0, "
        "'d1', 'Coop', 'cooperative', NULL, '', '[]', 3, 3, 'neutral', 'member', '', '', '', 0, NULL, '', '', NULL)",
    ]
    for flow_id, kind, description, value in ROWS:
        unit = "EUR" if kind == "money" else "kg"
        deleted = 1 if flow_id == "f5" else 0
        statements.append(
            "INSERT INTO flow (id, updated_at, version, origin, deleted, district_id, source_id, target_id, kind, "
            "description, quantity, unit, value_eur, canvas_item_id, relation_id) VALUES "
            f"('{flow_id}', '2025-05-03 10:00:00', 1, 'dev', {deleted}, 'd1', NULL, 's1', '{kind}', "
            f"'{description}', {value}, '{unit}', {value}, NULL, NULL)")
    run_sql(path, *statements)


def test_the_migration_makes_every_money_flow_a_payment_and_asks_about_the_loan_looking_ones(data_dir):
    data_dir.mkdir(parents=True)
    database_at_0010(data_dir / "ssd-starter.sqlite")
    store = Store.open()
    purposes = {f["id"]: f["purpose"] for f in list_flows(store, "d1")}
    # nothing became a loan by itself: the figures read exactly as before the upgrade
    assert purposes == {"f1": "payment", "f2": "payment", "f3": "payment", "f4": None}
    assert [f["id"] for f in purpose_questions(store, "d1")] == ["f1", "f3"]
    assert [f["id"] for f in loan_suggestions(store, "d1")] == ["f1", "f3"]
    # the flows themselves are not rewritten: no version moves, nothing is sent to the Centre for them
    assert {f["version"] for f in list_flows(store, "d1")} == {1}

    # the promoter answers: one is a loan, the other stays a payment; neither is asked about again
    f1, f3 = get_flow(store, "f1"), get_flow(store, "f3")
    _changes, inverse = store.apply(set_purposes([f1], "loan"))
    answer_purpose_questions(store, ["f1", "f3"])
    assert purpose_questions(store, "d1") == []
    assert get_flow(store, "f1")["purpose"] == "loan" and get_flow(store, "f3")["purpose"] == "payment"
    assert [f["id"] for f in loan_suggestions(store, "d1")] == ["f3"]  # the CLI still lists what reads like one
    store.apply(inverse)
    assert get_flow(store, "f1")["purpose"] == "payment"
    assert purpose_questions(store, "d1") == []  # answered is answered, even after an undo
    assert f3["purpose"] == "payment"
    store.close()


def test_questions_are_kept_for_the_flows_not_answered_yet(data_dir):
    data_dir.mkdir(parents=True)
    database_at_0010(data_dir / "ssd-starter.sqlite")
    store = Store.open()
    answer_purpose_questions(store, ["f3"])
    assert [f["id"] for f in purpose_questions(store, "d1")] == ["f1"]
    with store.read() as conn:
        assert json.loads(conn.exec_driver_sql(
            f"SELECT value FROM meta WHERE key = '{PURPOSE_QUESTIONS}'").scalar()) == ["f1"]
    answer_purpose_questions(store, ["f1"])
    with store.read() as conn:
        assert conn.exec_driver_sql(f"SELECT count(*) FROM meta WHERE key = '{PURPOSE_QUESTIONS}'").scalar() == 0
    store.close()


def test_a_flow_that_stops_being_money_loses_its_purpose_and_regains_a_payment(store, district):
    insert = create_flow(district, {"source_id": None, "target_id": add_actor(store, district, "Coop"),
                                    "kind": "money", "value_eur": 10, "purpose": "grant"})
    store.apply(insert)
    flow = get_flow(store, insert.values["id"])
    assert flow["purpose"] == "grant"
    store.apply(update_flow(flow, kind="goods"))
    goods = get_flow(store, flow["id"])
    assert (goods["kind"], goods["purpose"], goods["unit"]) == ("goods", None, "kg")
    store.apply(update_flow(goods, kind="money"))
    assert get_flow(store, flow["id"])["purpose"] == "payment"


def test_exports_that_list_flows_carry_the_purpose(demo_store):
    from ssd_starter.export.valueflows import valueflows_document
    from ssd_starter.store.stakeholders import list_stakeholders

    district = demo_store.demo_id
    flows = list_flows(demo_store, district)
    document = valueflows_document("Demo", list_stakeholders(demo_store, district), flows)
    events = {e["@id"]: e for e in document["@graph"] if e.get("@type") == "vf:EconomicEvent"}
    mutuo = next(f for f in flows if f["description"].startswith("Mutuo"))
    goods = next(f for f in flows if f["kind"] == "goods")
    assert events[f"urn:uuid:{mutuo['id']}"]["vf:classifiedAs"] == "Loan"
    assert "vf:classifiedAs" not in events[f"urn:uuid:{goods['id']}"]
