"""Several promoters, one district: each device with its own key, invited with a one-time code, kept in step
through a real Centre (uvicorn on loopback) and by bundles between devices, trusted through the district's
device list; a revoked device refused at once."""

from __future__ import annotations

import httpx
import pytest

from ssd_starter.centre import store as centre_store
from ssd_starter.store.conflicts import open_conflicts
from ssd_starter.store.devices import counters, district_devices, last_run
from ssd_starter.store.districts import create_district
from ssd_starter.store.stakeholders import (
    create_relation,
    create_stakeholder,
    delete_stakeholders,
    list_relations,
    list_stakeholders,
    update_stakeholder,
)
from ssd_starter.sync.bundle import BundleRefused
from ssd_starter.sync.client import SyncFailed
from tests.sync.devices import Device, canonical, canonical_at_centre


@pytest.fixture
def devices(tmp_path):
    made = {name: Device.make(tmp_path / name, name) for name in ("Anna", "Bruno", "Chiara")}
    yield made
    for device in made.values():
        device.close()


def new_district(device: Device, name: str = "Valsugana") -> str:
    insert = create_district(name)
    device.store.apply(insert)
    return insert.values["id"]


def add_actor(device: Device, district_id: str, name: str) -> str:
    edit = create_stakeholder(district_id, {"name": name})
    device.store.apply(edit)
    return edit.values["id"]


def names(device: Device, district_id: str) -> set[str]:
    return {a["name"] for a in list_stakeholders(device.store, district_id)}


def joined(centre, devices) -> tuple[str, Device, Device]:
    """Anna's district, enrolled from her laptop, with one actor; Bruno's laptop joined with her code, and
    Anna synced since (so she knows his device)."""
    anna, bruno = devices["Anna"], devices["Bruno"]
    district = new_district(anna)
    add_actor(anna, district, "GAS Borgo Solidale")
    anna.enrol(centre, district)
    bruno.join(centre.url, anna.invite(centre.url, district))
    anna.sync(centre.url, district)
    return district, anna, bruno


def test_a_device_joins_with_a_code_and_gets_the_whole_district(centre, devices):
    district, anna, bruno = joined(centre, devices)
    assert names(bruno, district) == {"GAS Borgo Solidale"}
    assert canonical(bruno.store, district) == canonical(anna.store, district)
    assert {d["name"] for d in district_devices(bruno.store, district)} == {"Anna", "Bruno"}
    # Bruno's edits reach Anna through the Centre, and hers reach him
    add_actor(bruno, district, "Cooperativa La Rete")
    bruno.sync(centre.url, district)
    report = anna.sync(centre.url, district)
    assert report.received == {"stakeholder": 1} and names(anna, district) == {"GAS Borgo Solidale",
                                                                                "Cooperativa La Rete"}
    assert canonical(anna.store, district) == canonical(bruno.store, district) == canonical_at_centre(
        centre.engine, district)
    # a sync with nothing new on either side moves nothing
    again = anna.sync(centre.url, district)
    assert (again.pushed, again.pulled) == (0, 0)
    assert last_run(anna.store, district)["outcome"] == "done"


def test_a_code_works_once_and_a_made_up_one_never(centre, devices):
    district, anna, bruno = joined(centre, devices)
    code = anna.invite(centre.url, district)
    chiara = devices["Chiara"]
    chiara.join(centre.url, code)
    with pytest.raises(SyncFailed) as used:
        Device.make(chiara.folder.parent / "Dora", "Dora").join(centre.url, code)
    assert "expired" in used.value.message()
    with pytest.raises(SyncFailed):
        Device.make(chiara.folder.parent / "Ezio", "Ezio").join(centre.url, "ABCD-EFGH-JKMN")
    with pytest.raises(SyncFailed) as twice:  # the same installation cannot join twice
        bruno.join(centre.url, anna.invite(centre.url, district))
    assert "already a device" in twice.value.message()


def test_concurrent_edits_keep_the_losing_value_with_the_name_of_its_device(centre, devices):
    district, anna, bruno = joined(centre, devices)
    [actor] = list_stakeholders(anna.store, district)
    anna.store.apply(update_stakeholder(actor["id"], notes="Referente: Marta"))
    bruno.store.apply(update_stakeholder(actor["id"], notes="Referente: Luca"))
    bruno.store.apply(update_stakeholder(actor["id"], notes="Referente: Luca Rossi"))  # a newer version
    bruno.sync(centre.url, district)
    report = anna.sync(centre.url, district)
    assert report.clashes == 1
    [clash] = open_conflicts(anna.store, district)
    assert (clash["kept"]["value"], clash["kept"]["name"]) == ("Referente: Luca Rossi", "Bruno")
    assert (clash["other"]["value"], clash["other"]["name"]) == ("Referente: Marta", "Anna")
    bruno.sync(centre.url, district)
    assert canonical(anna.store, district) == canonical(bruno.store, district)


def test_deletions_travel_with_the_rule_the_user_chose(centre, devices):
    from ssd_starter.store.flows import create_flow, list_flows

    district, anna, bruno = joined(centre, devices)
    [gas] = list_stakeholders(anna.store, district)
    coop = add_actor(anna, district, "Cooperativa La Rete")
    anna.store.apply(create_flow(district, {"source_id": coop, "target_id": gas["id"], "kind": "goods",
                                            "value_eur": 1200}))
    anna.sync(centre.url, district)
    bruno.sync(centre.url, district)
    [flow] = list_flows(bruno.store, district)
    bruno.store.apply(delete_stakeholders(bruno.store, [coop], flows="outside"))
    bruno.sync(centre.url, district)
    anna.sync(centre.url, district)
    assert names(anna, district) == {"GAS Borgo Solidale"}
    [moved] = list_flows(anna.store, district)
    assert moved["id"] == flow["id"] and moved["source_id"] is None  # from outside the district now
    assert canonical(anna.store, district) == canonical(bruno.store, district)


def test_a_relation_made_on_rows_of_another_device_waits_for_them(centre, devices):
    """Chiara ties Anna's actor (received by bundle) to her own; Bruno pulls before Anna has synced them: the
    relation waits on his laptop, and joins the map when Anna's actor arrives."""
    district, anna, bruno = joined(centre, devices)
    chiara = devices["Chiara"]
    chiara.join(centre.url, anna.invite(centre.url, district))
    fresh = add_actor(anna, district, "Banca Etica")
    chiara.import_bundle(anna.write_bundle(district))
    mine = add_actor(chiara, district, "Forno di Telve")
    chiara.store.apply(create_relation(district, {"source_id": mine, "target_id": fresh, "kind": "supplies"}))
    chiara.sync(centre.url, district)
    report = bruno.sync(centre.url, district)
    assert report.waiting == 1 and list_relations(bruno.store, district) == []
    assert names(bruno, district) == {"GAS Borgo Solidale", "Forno di Telve"}
    anna.sync(centre.url, district)
    report = bruno.sync(centre.url, district)
    assert report.waiting == 0 and len(list_relations(bruno.store, district)) == 1
    for device in (anna, chiara):
        device.sync(centre.url, district)
    assert canonical(anna.store, district) == canonical(bruno.store, district) == canonical(chiara.store, district)


def test_bundles_between_devices_are_trusted_through_the_device_list(centre, devices, tmp_path):
    district, anna, bruno = joined(centre, devices)
    add_actor(bruno, district, "Forno di Telve")
    _bundle, report = anna.import_bundle(bruno.write_bundle(district))
    assert report.inserted == 1 and names(anna, district) == {"GAS Borgo Solidale", "Forno di Telve"}
    assert counters(anna.store, district)[bruno.id] > 0
    # a stranger's bundle for the district is refused, never trusted on first use
    stranger = Device.make(tmp_path / "stranger", "Stranger")
    from ssd_starter.sync.bundle import import_bundle

    import_bundle(stranger.store, anna.write_bundle(district), stranger.identity)  # a copy of the district
    add_actor(stranger, district, "Intruso")
    with pytest.raises(BundleRefused) as refused:
        anna.import_bundle(stranger.write_bundle(district))
    assert "not one of the district's devices" in refused.value.message()
    assert "Intruso" not in names(anna, district)
    # everything Bruno sent is here already: the same bundle again, or what came through the Centre
    bruno.sync(centre.url, district)
    _bundle, again = anna.import_bundle(bruno.write_bundle(district))
    assert again.already_here and (again.inserted, again.updated) == (0, 0)


def test_a_revoked_device_is_refused_at_once_by_the_centre_and_by_the_devices(centre, devices):
    from ssd_starter.sync.devices import revoke

    district, anna, bruno = joined(centre, devices)
    add_actor(bruno, district, "Forno di Telve")
    late_bundle = bruno.write_bundle(district)
    revoke(anna.store, district, "Bruno", anna.identity, url=centre.url)
    with pytest.raises(SyncFailed) as refused:
        bruno.sync(centre.url, district)
    assert "revoked" in refused.value.message()
    with pytest.raises(BundleRefused) as local:
        anna.import_bundle(late_bundle)
    assert "revoked" in local.value.message()
    from ssd_starter.centre.review import receive_bundle

    with pytest.raises(Exception) as at_centre:
        receive_bundle(centre.engine, late_bundle.read_bytes())
    assert "revoked" in str(getattr(at_centre.value, "template", at_centre.value))
    # Chiara, who joins later, learns of the revocation and refuses the same bundle offline
    chiara = devices["Chiara"]
    chiara.join(centre.url, anna.invite(centre.url, district))
    with pytest.raises(BundleRefused):
        chiara.import_bundle(late_bundle)
    assert "Forno di Telve" not in names(anna, district)


def test_a_revocation_travels_in_bundles_to_a_device_offline(centre, devices):
    from ssd_starter.sync.devices import revoke

    district, anna, bruno = joined(centre, devices)
    chiara = devices["Chiara"]
    chiara.join(centre.url, anna.invite(centre.url, district))
    anna.sync(centre.url, district)
    late = bruno.write_bundle(district)
    revoke(anna.store, district, bruno.id[:8], anna.identity, url=centre.url)
    chiara.import_bundle(anna.write_bundle(district))  # in the valley, no network: Anna's stick
    with pytest.raises(BundleRefused) as refused:
        chiara.import_bundle(late)
    assert "revoked" in refused.value.message()


def test_the_centre_lists_devices_and_issues_device_codes(centre, devices, capsys, tmp_path):
    from ssd_starter.cli import main
    from ssd_starter.store.devices import set_device_name

    district, anna, bruno = joined(centre, devices)
    db = f"sqlite:///{tmp_path / 'centre.sqlite'}"
    assert main(["centre", "enrol", "--district", district[:8], "--db", db]) == 0
    code = capsys.readouterr().out.strip()
    chiara = devices["Chiara"]
    chiara.join(centre.url, code)
    set_device_name(chiara.store, "Chiara (ufficio)")
    chiara.sync(centre.url, district)
    assert main(["centre", "devices", district, "--db", db, "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in listed] == ["Anna", "Bruno", "Chiara (ufficio)"]
    assert all(d["last_seen_at"] for d in listed)
    response = httpx.get(centre.url + "/v1/sync/status")
    assert response.status_code == 401  # devices are listed only to the district's own devices
    assert centre_store.public_key_of(centre.engine, district) == anna.identity.public_b64


def test_a_devices_own_changes_are_found_through_the_origin_index_not_the_rows_pulled(centre, devices):
    """A sync reads this device's own changes twice (what to push, and the last of them): with the rows of
    the district's other devices pulled, the district index alone walks all of them on every sync."""
    from sqlalchemy import event

    from ssd_starter.store.devices import pull_counters
    from ssd_starter.sync.bundle import changed_rows

    district, anna, bruno = joined(centre, devices)
    for n in range(5):
        add_actor(anna, district, f"Cooperativa {n}")
    anna.sync(centre.url, district)
    bruno.sync(centre.url, district)
    statements: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM change_log" in statement:
            statements.append((statement, parameters))

    event.listen(bruno.store.engine, "before_cursor_execute", keep)
    try:
        pull_counters(bruno.store, district)
        changed_rows(bruno.store, district, since=0)
    finally:
        event.remove(bruno.store.engine, "before_cursor_execute", keep)
    assert len(statements) >= 2
    with bruno.store.read() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in statements:
            plan = " ".join(row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters))
            assert "ix_change_log_origin" in plan, (statement, plan)


def test_a_pull_runs_with_the_cyclic_collector_paused_and_resumes_it(centre, devices, monkeypatch):
    """The rows decoded, checked and merged are in no cycle: the collector walking them cost a tenth of a
    pull. It is paused for the sync and running again after it, also when the sync fails."""
    import gc

    from ssd_starter.sync import merge

    district, anna, bruno = joined(centre, devices)
    add_actor(anna, district, "Cooperativa Sole")
    anna.sync(centre.url, district)
    states: list[bool] = []
    execute = merge.ReceiveRows.execute

    def watched(self, writer):
        states.append(gc.isenabled())
        return execute(self, writer)

    monkeypatch.setattr(merge.ReceiveRows, "execute", watched)
    bruno.sync(centre.url, district)
    assert states and not any(states)
    assert gc.isenabled()
    monkeypatch.setattr(merge.ReceiveRows, "execute", lambda self, writer: 1 / 0)
    add_actor(anna, district, "Cooperativa Luna")
    anna.sync(centre.url, district)
    with pytest.raises(ZeroDivisionError):
        bruno.sync(centre.url, district)
    assert gc.isenabled()
