"""Two promoters writing the charter on two laptops: different steps merge without a clash, the same step
clashes as any record does, by bundle both ways and through the Centre."""

import datetime as dt
import shutil
import uuid

import pytest
from sqlalchemy import select

from ssd_starter.centre import store as centre_store
from ssd_starter.core.charter import section_id
from ssd_starter.core.models import Conflict, table_of
from ssd_starter.store import Store
from ssd_starter.store.charter import adopt, get_charter, update_content
from ssd_starter.store.stakeholders import find_stakeholder, update_stakeholder
from ssd_starter.sync.bundle import import_bundle, write_bundle
from ssd_starter.sync.client import sync
from ssd_starter.sync.identity import load_or_create

PURPOSE = "Il distretto tiene in valle il valore che le sue comunità producono, e lo rende visibile."
BODIES = [{"name": "Assemblea dei soci", "kind": "assembly", "composition": "Tutti i soci", "term_years": 0},
          {"name": "Garanti", "kind": "guarantors", "composition": "Tre persone esterne", "term_years": 3}]


class Exchange:
    """Bundles between two installations, each carrying only what the other has not had yet."""

    def __init__(self, tmp_path) -> None:
        self.folder = tmp_path
        self.identity = load_or_create()
        self.sent: dict[str, int] = {}
        self.count = 0

    def send(self, source: Store, target: Store, district_id: str):
        self.count += 1
        path = self.folder / f"{self.count}.ssdbundle"
        manifest = write_bundle(source, district_id, path, self.identity, since=self.sent.get(source.device_id, 0))
        self.sent[source.device_id] = manifest["sequence"]["last"]
        _bundle, report = import_bundle(target, path, self.identity)
        return report


@pytest.fixture
def laptops(demo_store, tmp_path):
    """The demo district on a second installation too, from the first one's bundle: the same charter."""
    other = Store.open(tmp_path / "second" / "ssd-starter.sqlite")
    exchange = Exchange(tmp_path)
    exchange.send(demo_store, other, demo_store.demo_id)
    assert get_charter(other, demo_store.demo_id)["content"] == get_charter(demo_store, demo_store.demo_id)["content"]
    yield demo_store, other, exchange
    other.close()


def conflicts(store):
    with store.read() as conn:
        return [dict(r) for r in conn.execute(select(table_of(Conflict))).mappings()]


def edit(store, district_id, **fields):
    store.apply(update_content(get_charter(store, district_id), fields))


def test_different_steps_edited_on_two_laptops_merge_without_a_clash(laptops):
    first, second, exchange = laptops
    district = first.demo_id
    edit(first, district, purpose=PURPOSE)
    edit(second, district, bodies=BODIES, quorum="Due terzi dei soci")  # governance and decision rules
    there = exchange.send(first, second, district)
    back = exchange.send(second, first, district)
    assert (there.conflicts, back.conflicts) == (0, 0)
    assert conflicts(first) == conflicts(second) == []
    for store in (first, second):
        content = get_charter(store, district)["content"]
        assert (content["purpose"], content["bodies"], content["quorum"]) == (PURPOSE, BODIES, "Due terzi dei soci")
    assert get_charter(first, district)["content"] == get_charter(second, district)["content"]


@pytest.mark.parametrize("winner_sends_first", [True, False])
def test_the_same_step_edited_on_both_clashes_like_any_record(laptops, winner_sends_first):
    first, second, exchange = laptops
    district = first.demo_id
    # one edit each from the same copy: equal versions, so the higher origin id wins, here as for an actor
    winner, loser = sorted((first, second), key=lambda store: store.device_id, reverse=True)
    sender, receiver = (winner, loser) if winner_sends_first else (loser, winner)
    gas = find_stakeholder(first, district, "GAS Borgo Solidale")
    for store, purpose in ((winner, PURPOSE), (loser, "Un altro scopo, scritto sull'altro portatile.")):
        edit(store, district, purpose=purpose)
        store.apply(update_stakeholder(gas["id"], notes=f"Nota di {purpose[:10]}"))
    exchange.send(sender, receiver, district)
    exchange.send(receiver, sender, district)
    for store in (first, second):
        charter = get_charter(store, district)
        assert charter["content"]["purpose"] == PURPOSE
        assert find_stakeholder(store, district, gas["id"])["notes"] == f"Nota di {PURPOSE[:10]}"
        found = [(c["table_name"], c["field"], c["row_id"]) for c in conflicts(store)]
        # the section clashes exactly as the actor does, on the same installations
        expected = 1 if store is loser or not winner_sends_first else 0
        assert sorted(found) == [("charter_section", "value", section_id(charter["id"], "purpose")),
                                 ("stakeholder", "notes", gas["id"])][:2 * expected]
    # the installation whose text lost has it back in a conflict
    [lost] = [c for c in conflicts(loser) if c["table_name"] == "charter_section"]
    assert (lost["kept"]["value"]["purpose"], lost["other"]["origin"]) == (PURPOSE, loser.device_id)


def test_an_adopted_charter_edited_in_two_steps_becomes_one_draft_without_a_clash(laptops):
    first, second, exchange = laptops
    district = first.demo_id
    first.apply(adopt(first, get_charter(first, district), name="Carta", date=dt.date(2026, 11, 20),
                      place="Telve", override_reason="Le firme arrivano dopo"))
    exchange.send(first, second, district)
    assert get_charter(second, district)["status"] == "adopted"
    edit(first, district, commitments="Comprare dagli altri soci.")
    edit(second, district, reporting_to="Assemblea dei soci")
    exchange.send(first, second, district)
    exchange.send(second, first, district)
    assert conflicts(first) == conflicts(second) == []
    for store in (first, second):
        charter = get_charter(store, district)
        assert charter["status"] == "draft"
        assert (charter["content"]["commitments"], charter["content"]["reporting_to"]) == (
            "Comprare dagli altri soci.", "Assemblea dei soci")


def test_a_step_edit_writes_only_its_own_section(laptops):
    first, _second, _exchange = laptops
    district = first.demo_id
    before = get_charter(first, district)
    changes, undo = first.apply(update_content(before, {"quorum": "Metà più uno", "purpose": PURPOSE}))
    assert sorted(c.row_id for c in changes.changes) == sorted(
        section_id(before["id"], key) for key in ("decisions", "purpose"))
    after = get_charter(first, district)
    assert after["version"] == before["version"]  # the charter row itself is untouched
    assert {key: s["version"] for key, s in after["sections"].items() if key not in ("decisions", "purpose")} == {
        key: s["version"] for key, s in before["sections"].items() if key not in ("decisions", "purpose")}
    first.apply(undo)
    assert get_charter(first, district)["content"] == before["content"]


def test_different_steps_from_two_laptops_both_reach_the_centre(laptops, centre):
    from ssd_starter.sync.devices import invite, join
    from tests.sync.test_bundle import other_identity

    first, second, exchange = laptops
    district = first.demo_id
    identity, second_key = load_or_create(), other_identity(None)  # each laptop a device with its own key
    sync(first, district, centre.url, identity, token=centre_store.enrol(centre.engine, "Valsugana"))
    join(second, centre.url, invite(first, district, identity, url=centre.url).code, second_key)
    edit(first, district, purpose=PURPOSE)
    edit(second, district, bodies=BODIES)
    sync(first, district, centre.url, identity)
    sync(second, district, centre.url, second_key)
    charter_id = get_charter(first, district)["id"]
    held = {row["key"]: row for row in centre_store.district_rows(centre.engine, district, "charter_section")}
    assert held["purpose"]["value"]["purpose"] == PURPOSE and held["purpose"]["origin"] == first.device_id
    assert held["governance"]["value"]["bodies"] == BODIES and held["governance"]["origin"] == second.device_id
    assert {row["id"] for row in held.values()} == {section_id(charter_id, key) for key in held}
    assert len(held) == 10


def test_two_laptops_that_held_the_same_charter_before_the_upgrade_still_merge(data_dir, tmp_path):
    """Both split the same charter into the same section rows (the ids come from the charter's), so their
    first exchange after the upgrade finds nothing to merge, and different steps still merge cleanly."""
    from tests.helpers import run_sql
    from tests.store.charter_0008 import database_at_0008, demo_charter

    content, translations = demo_charter(tmp_path)
    path = data_dir / "ssd-starter.sqlite"
    ids = database_at_0008(path, str(uuid.uuid4()), content, translations)
    copy = tmp_path / "second" / "ssd-starter.sqlite"
    copy.parent.mkdir()
    shutil.copy(path, copy)  # the second laptop had imported everything before the upgrade
    run_sql(copy, f"UPDATE meta SET value = '{uuid.uuid4()}' WHERE key = 'device_id'")
    first, second = Store.open(), Store.open(copy)
    exchange = Exchange(tmp_path)
    try:
        report = exchange.send(first, second, ids["district"])
        assert (report.inserted, report.updated, report.conflicts) == (0, 0, 0) and report.unchanged > 10
        edit(first, ids["district"], purpose=PURPOSE)
        edit(second, ids["district"], bodies=BODIES)
        exchange.send(second, first, ids["district"])
        exchange.send(first, second, ids["district"])
        assert conflicts(first) == conflicts(second) == []
        for store in (first, second):
            assert get_charter(store, ids["district"])["content"] == {**content, "purpose": PURPOSE, "bodies": BODIES}
    finally:
        first.close()
        second.close()


def test_a_second_row_for_a_section_is_refused_before_anything_is_written(laptops):
    from ssd_starter.sync.schema import InvalidRecord, check_row

    first, _second, _exchange = laptops
    charter = get_charter(first, first.demo_id)
    row = {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in charter["sections"]["purpose"].items()}
    check_row("charter_section", row)
    with pytest.raises(InvalidRecord) as refused:
        check_row("charter_section", {**row, "id": str(uuid.uuid4())})
    assert refused.value.field == "id" and "on every installation" in refused.value.message()
    with pytest.raises(InvalidRecord):
        check_row("charter_section", {**row, "key": "preamble"})
