"""Importing bundles: rows merged with their versions, keys pinned on first use, replays refused,
conflicting edits kept for the user, nothing written when a bundle is refused."""

import pytest
from sqlalchemy import select

from ssd_starter.core.models import Conflict, table_of
from ssd_starter.store import Store
from ssd_starter.store.districts import list_districts
from ssd_starter.store.flows import list_flows
from ssd_starter.store.stakeholders import find_stakeholder, list_stakeholders, update_stakeholder
from ssd_starter.sync.bundle import BundleRefused, import_bundle, write_bundle
from ssd_starter.sync.identity import load_or_create
from tests.sync.test_bundle import other_identity


@pytest.fixture
def centre(tmp_path):
    store = Store.open(tmp_path / "centre" / "centre.sqlite")
    yield store
    store.close()


def conflicts(store):
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(table_of(Conflict))).mappings()]


def test_a_bundle_rebuilds_the_district_elsewhere(demo_store, centre, tmp_path):
    path = tmp_path / "b.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    bundle, report = import_bundle(centre, path)
    assert report.inserted > 200 and report.conflicts == 0
    [district] = list_districts(centre)
    assert district.id == demo_store.demo_id
    assert len(list_stakeholders(centre, district.id)) == 43
    assert len(list_flows(centre, district.id)) == len(list_flows(demo_store, district.id))
    actor = find_stakeholder(centre, district.id, "GAS Borgo Solidale")
    assert actor["origin"] == demo_store.device_id and actor["version"] >= 1
    assert centre.integrity_check() == ["ok"]
    with pytest.raises(BundleRefused) as replay:
        import_bundle(centre, path)
    assert "imported already" in replay.value.message()


def test_later_bundles_carry_only_the_new_changes(demo_store, centre, tmp_path):
    identity = load_or_create()
    first = write_bundle(demo_store, demo_store.demo_id, tmp_path / "1.ssdbundle", identity)
    import_bundle(centre, tmp_path / "1.ssdbundle")
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    demo_store.apply(update_stakeholder(gas["id"], notes="Nuovo referente da gennaio"))
    write_bundle(demo_store, demo_store.demo_id, tmp_path / "2.ssdbundle", identity,
                 since=first["sequence"]["last"])
    _bundle, report = import_bundle(centre, tmp_path / "2.ssdbundle")
    assert (report.inserted, report.updated) == (0, 1)
    assert find_stakeholder(centre, demo_store.demo_id, gas["id"])["notes"] == "Nuovo referente da gennaio"


def test_another_key_for_a_known_district_is_refused_and_nothing_is_written(demo_store, centre, tmp_path):
    write_bundle(demo_store, demo_store.demo_id, tmp_path / "1.ssdbundle", load_or_create())
    import_bundle(centre, tmp_path / "1.ssdbundle")
    before = len(list_stakeholders(centre, demo_store.demo_id))
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    demo_store.apply(update_stakeholder(gas["id"], notes="falso"))
    write_bundle(demo_store, demo_store.demo_id, tmp_path / "2.ssdbundle", other_identity(tmp_path), since=0)
    with pytest.raises(BundleRefused) as refused:
        import_bundle(centre, tmp_path / "2.ssdbundle")
    assert "different key" in refused.value.message()
    assert len(list_stakeholders(centre, demo_store.demo_id)) == before
    assert find_stakeholder(centre, demo_store.demo_id, gas["id"])["notes"] != "falso"


def test_concurrent_edits_keep_the_losing_value(demo_store, centre, tmp_path):
    identity = load_or_create()
    write_bundle(demo_store, demo_store.demo_id, tmp_path / "1.ssdbundle", identity)
    import_bundle(centre, tmp_path / "1.ssdbundle")
    gas = find_stakeholder(demo_store, demo_store.demo_id, "GAS Borgo Solidale")
    # the Centre's copy is edited there (by its own installation) …
    centre.apply(update_stakeholder(gas["id"], notes="Nota del Centro"))
    # … while the promoter edits the same field twice (a newer version)
    demo_store.apply(update_stakeholder(gas["id"], notes="Nota del promotore"))
    demo_store.apply(update_stakeholder(gas["id"], notes="Nota del promotore, rivista"))
    last = write_bundle(demo_store, demo_store.demo_id, tmp_path / "2.ssdbundle", identity, since=0)
    assert last["counts"]["changes"] > 0
    _bundle, report = import_bundle(centre, tmp_path / "2.ssdbundle")
    assert find_stakeholder(centre, demo_store.demo_id, gas["id"])["notes"] == "Nota del promotore, rivista"
    [conflict] = [c for c in conflicts(centre) if c["row_id"] == gas["id"]]
    assert conflict["field"] == "notes" and conflict["other"]["value"] == "Nota del Centro"
    assert report.conflicts == 1


def test_importing_your_own_bundle_is_refused(demo_store, tmp_path):
    write_bundle(demo_store, demo_store.demo_id, tmp_path / "own.ssdbundle", load_or_create())
    with pytest.raises(BundleRefused):
        import_bundle(demo_store, tmp_path / "own.ssdbundle")


def test_cli_bundle_import(demo_store, tmp_path, capsys, monkeypatch):
    import json

    from ssd_starter.cli import main

    path = tmp_path / "b.ssdbundle"
    write_bundle(demo_store, demo_store.demo_id, path, load_or_create())
    demo_store.close()
    monkeypatch.setenv("SSD_STARTER_DATA_DIR", str(tmp_path / "centre-data"))  # another installation
    assert main(["bundle", "import", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["first_contact"] is True and report["inserted"] > 200
    assert main(["bundle", "import", str(path)]) == 1
    assert "imported already" in capsys.readouterr().err
