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
