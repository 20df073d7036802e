"""One district summary: the CLI, the Centre's overview and the dossier's numbers come from the same place
and agree for the same rows."""

import json

from ssd_starter.centre import store as centre_store
from ssd_starter.core.summary import district_summary
from ssd_starter.store.districts import get_district
from ssd_starter.store.flows import list_flows, list_scenarios
from ssd_starter.store.stakeholders import list_relations, list_stakeholders
from ssd_starter.sync.bundle import verify_bundle_file, write_bundle
from ssd_starter.sync.identity import load_or_create


def local_summary(store, district_id, scenario=None):
    district = get_district(store, district_id)
    return district_summary(list_stakeholders(store, district_id), list_flows(store, district_id), district.targets,
                            relations=list_relations(store, district_id), scenario=scenario)


def test_the_cli_prints_the_summary(demo_store, capsys):
    from ssd_starter.cli import main

    [scenario] = list_scenarios(demo_store, demo_store.demo_id)[:1]
    expected = local_summary(demo_store, demo_store.demo_id, scenario)
    assert main(["indicators", "--district", demo_store.demo_id, "--scenario", scenario["id"], "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps({"district": demo_store.demo_id, **expected.as_json()}))
    assert printed["scenario"]["flows"]["values"] != printed["flows"]["values"]  # the scenario moves something
    assert expected.targets_met == sum(1 for s in printed["flows"]["status"].values() if s == "green")


def test_the_centre_compares_districts_by_the_same_summary(demo_store, tmp_path):
    path = tmp_path / "demo.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    engine = centre_store.connect(f"sqlite:///{tmp_path / 'centre.sqlite'}")
    try:
        centre_store.receive_bundle(engine, verify_bundle_file(path))
        [row] = centre_store.overview(engine)
    finally:
        engine.dispose()
    here = local_summary(demo_store, demo_store.demo_id)
    assert row["summary"].flows.as_dict() == here.flows.as_dict()
    assert [line.status for line in row["summary"].lines] == [line.status for line in here.lines]


def test_a_summary_with_history_says_the_change_since_last_year_and_the_centre_keeps_it():
    import datetime as dt

    from ssd_starter.centre.submissions import indicators_of

    actors = [{"id": "a", "name": "A", "category": "cooperative", "roles": [], "stage": "member"}]
    flows = [{"id": "f", "source_id": None, "target_id": "a", "kind": "money", "value_eur": 100.0, "quantity": 100.0,
              "unit": "EUR", "description": "", "purpose": "payment"},
             {"id": "g", "source_id": "a", "target_id": None, "kind": "money", "value_eur": 40.0, "quantity": 40.0,
              "unit": "EUR", "description": "", "purpose": "payment"}]
    snapshots = [{"taken_on": dt.date(2024, 12, 1), "kind": "yearly", "values": {"lm3": 1.2, "leakage": 0.5}},
                 {"taken_on": "2025-03-02", "kind": "manual", "values": {"lm3": 1.4}},
                 {"taken_on": dt.date(2026, 1, 5), "kind": "yearly", "values": {"lm3": 1.1}},
                 {"taken_on": "not a date", "kind": "manual", "values": {"lm3": 9}},
                 {"taken_on": dt.date(2025, 6, 1), "kind": "manual", "values": {"lm3": 2}, "deleted": True}]
    summary = district_summary(actors, flows, None, snapshots=snapshots, today=dt.date(2026, 6, 30))
    assert [s.on for s in summary.history] == [dt.date(2024, 12, 1), dt.date(2025, 3, 2), dt.date(2026, 1, 5)]
    document = summary.as_json()
    assert document["flows"]["last_year"] == {"on": "2025-03-02", "values": {"lm3": 1.4}}
    assert [h["on"] for h in document["history"]] == ["2024-12-01", "2025-03-02", "2026-01-05"]
    indicators = indicators_of(document)
    assert indicators["lm3"]["last_year"] == 1.4 and indicators["lm3"]["value"] == summary.flows["lm3"].value
    assert "last_year" not in indicators["leakage"]  # that snapshot did not keep it
    assert "last_year" not in district_summary(actors, flows, None).as_json()["flows"]
