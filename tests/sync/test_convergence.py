"""Correct over many runs (issue 18, item 5): three installations of one district and a real Centre (uvicorn on
loopback, SQLite and PostgreSQL). Hypothesis drives random edits on each device and random orders of syncs and
bundles between them; then every device syncs twice, and

- every device and the Centre hold the very same district (a canonical dump of every row, field by field);
- no value written is silently lost: each edit whose value is not in the end and was not itself edited over
  on a copy that held it (a deliberate overwrite) is in some device's list of edits that clashed, as the value
  that lost, named by the device it came from; and every clash listed is about values that were written;
- nothing is left waiting for a record.

Apart from the machine: a kill -9 in the middle of a pull, resumed by the next sync.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from ssd_starter.store.devices import district_devices
from ssd_starter.store.districts import create_district
from ssd_starter.store.stakeholders import (
    create_relation,
    create_stakeholder,
    delete_stakeholders,
    list_stakeholders,
    update_stakeholder,
)
from ssd_starter.sync.bundle import BundleRefused
from tests.sync.devices import Device, canonical, canonical_at_centre

NAMES = ("Anna", "Bruno", "Chiara")
FIELDS = ("name", "notes", "municipality")
DEVICE = st.integers(0, len(NAMES) - 1)


def clashes_of(device: Device, district_id: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from ssd_starter.core.models import Conflict, table_of

    table = table_of(Conflict)
    with device.store.read() as conn:
        return [dict(r) for r in conn.execute(select(table).where(table.c.district_id == district_id)).mappings()]


class DistrictOfThree(RuleBasedStateMachine):
    """One district, three devices; each example a new district at the same Centre."""

    centre: Any = None  # the running Centre, set by the test
    folder: Path = Path()
    examples = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        run = next(self.examples)
        self.devices = [Device.make(self.folder / f"{run}-{name}", name) for name in NAMES]
        self.values = itertools.count()
        # every edit: (row id, field, the value written, the value the device held before, the device's name)
        self.edits: list[tuple[str, str, str, Any, str]] = []

    @initialize()
    def start(self) -> None:
        """Anna makes the district and enrols it; Bruno and Chiara join with her codes; she syncs."""
        anna = self.devices[0]
        made = create_district(f"Distretto {next(self.values)}")
        anna.store.apply(made)
        self.district = made.values["id"]
        self.add_actor(0)
        anna.enrol(self.centre, self.district)
        for other in self.devices[1:]:
            other.join(self.centre.url, anna.invite(self.centre.url, self.district))
        anna.sync(self.centre.url, self.district)

    def _live(self, device: Device) -> list[dict[str, Any]]:
        return sorted(list_stakeholders(device.store, self.district), key=lambda a: a["id"])

    @rule(d=DEVICE)
    def add_actor(self, d: int) -> None:
        self.devices[d].store.apply(create_stakeholder(self.district, {"name": f"Attore {next(self.values)}"}))

    @rule(d=DEVICE, pick=st.integers(0, 10**6), field=st.sampled_from(FIELDS))
    def edit(self, d: int, pick: int, field: str) -> None:
        device = self.devices[d]
        actors = self._live(device)
        if not actors:
            return
        actor = actors[pick % len(actors)]
        value = f"{field}-{next(self.values)}"  # unique: where it ends up tells where it went
        self.edits.append((actor["id"], field, value, actor[field], device.name))
        device.store.apply(update_stakeholder(actor["id"], **{field: value}))

    @rule(d=DEVICE, pick=st.integers(0, 10**6))
    def delete_actor(self, d: int, pick: int) -> None:
        device = self.devices[d]
        actors = self._live(device)
        if len(actors) > 1:
            device.store.apply(delete_stakeholders(device.store, [actors[pick % len(actors)]["id"]]))

    @rule(d=DEVICE, pick=st.integers(0, 10**6))
    def relate(self, d: int, pick: int) -> None:
        """A relation between two actors this device holds (perhaps made elsewhere: it may reach a device before
        its actors do, and waits there)."""
        device = self.devices[d]
        actors = self._live(device)
        if len(actors) < 2:
            return
        first = actors[pick % len(actors)]
        second = actors[(pick // len(actors) + 1 + pick) % len(actors)]
        if first["id"] != second["id"]:
            device.store.apply(create_relation(self.district, {"source_id": first["id"], "target_id": second["id"],
                                                               "kind": "partners_with"}))

    @rule(d=DEVICE)
    def sync(self, d: int) -> None:
        self.devices[d].sync(self.centre.url, self.district)

    @rule(source=DEVICE, receiver=DEVICE)
    def bundle(self, source: int, receiver: int) -> None:
        """A USB stick from one laptop to another, both offline."""
        if source == receiver:
            return
        sender, taker = self.devices[source], self.devices[receiver]
        try:
            taker.import_bundle(sender.write_bundle(self.district))
        except BundleRefused:
            # Trust goes through the device list, never on first use: a device that joined after the receiver
            # last heard of the district is refused until the receiver learns of it (by sync or another bundle).
            known = {d["device_id"] for d in district_devices(taker.store, self.district)}
            assert sender.id not in known, "a bundle from a device of the district that this one knows was refused"

    def teardown(self) -> None:
        try:
            for _round in range(2):
                for device in self.devices:
                    device.sync(self.centre.url, self.district)
            self._check()
        finally:
            for device in self.devices:
                device.close()

    def _check(self) -> None:
        from ssd_starter.store.devices import waiting_count

        dumps = [canonical(device.store, self.district) for device in self.devices]
        assert dumps[0] == dumps[1] == dumps[2], "the devices differ after syncing twice"
        assert canonical_at_centre(self.centre.engine, self.district) == dumps[0], "the Centre differs"
        assert all(waiting_count(device.store, self.district) == 0 for device in self.devices)
        final = {}
        for row in dumps[0]["stakeholder"]:
            actor = json.loads(row)
            final[actor["id"]] = actor
        clashes = [c for device in self.devices for c in clashes_of(device, self.district)]
        lost_values = {(c["row_id"], c["field"], json.dumps(c["other"]["value"])) for c in clashes}
        overwritten = {(row, field, json.dumps(before)) for row, field, _value, before, _who in self.edits}
        written = {(row, field, json.dumps(value)) for row, field, value, _before, _who in self.edits}
        for row, field, value, _before, who in self.edits:
            key = (row, field, json.dumps(value))
            if final[row][field] != value and key not in overwritten:  # lost, not edited over on purpose
                assert key in lost_values, f"{who}'s {field} {value!r} was lost without a clash to show it"
        names = {device.id: device.name for device in self.devices}
        for clash in clashes:
            assert clash["table_name"] == "stakeholder" and clash["kept"]["value"] != clash["other"]["value"]
            for side in ("kept", "other"):  # values someone wrote (or held when they wrote theirs)
                value = (clash["row_id"], clash["field"], json.dumps(clash[side]["value"]))
                assert value in written or value in overwritten, clash
                assert clash[side]["name"] == names[clash[side]["origin"]]  # named by the device it came from


def _run(centre, tmp_path, *, examples: int, steps: int) -> None:
    DistrictOfThree.centre, DistrictOfThree.folder = centre, tmp_path
    run_state_machine_as_test(DistrictOfThree, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))


@pytest.fixture
def running_centre(database_url):
    from tests.sync.conftest import RunningCentre

    with RunningCentre(database_url) as running:
        yield running


def test_three_devices_converge_in_any_order(running_centre, tmp_path):
    """Bounded: a few examples of up to 25 steps each (well under a minute per database here)."""
    _run(running_centre, tmp_path, examples=8, steps=25)


@pytest.mark.slow
def test_three_devices_converge_in_any_order_long(running_centre, tmp_path):
    _run(running_centre, tmp_path, examples=15, steps=40)  # about a minute per database here


def test_a_revoked_device_is_refused_and_the_others_converge(running_centre, tmp_path):
    from ssd_starter.sync.client import SyncFailed
    from ssd_starter.sync.devices import revoke

    anna, bruno, chiara = (Device.make(tmp_path / name, name) for name in NAMES)
    try:
        made = create_district("Distretto")
        anna.store.apply(made)
        district = made.values["id"]
        anna.enrol(running_centre, district)
        for other in (bruno, chiara):
            other.join(running_centre.url, anna.invite(running_centre.url, district))
        anna.sync(running_centre.url, district)
        bruno.store.apply(create_stakeholder(district, {"name": "Scritto dopo la revoca"}))
        late = bruno.write_bundle(district)
        revoke(chiara.store, district, "Bruno", chiara.identity, url=running_centre.url)
        with pytest.raises(SyncFailed):
            bruno.sync(running_centre.url, district)
        for device in (anna, chiara):
            device.sync(running_centre.url, district)
            with pytest.raises(BundleRefused):
                device.import_bundle(late)
        assert canonical(anna.store, district) == canonical(chiara.store, district) == canonical_at_centre(
            running_centre.engine, district)
        assert "Scritto dopo la revoca" not in {a["name"] for a in list_stakeholders(anna.store, district)}
    finally:
        for device in (anna, bruno, chiara):
            device.close()


PULL_SLOWLY = """
import sys, time
from ssd_starter.store import Store
from ssd_starter.sync.client import sync
from ssd_starter.sync.identity import load_or_create
store = Store.open()
def pulled(rows):
    print(rows, flush=True)
    if rows >= 150:
        time.sleep(60)  # killed here, between two chunks, each merged with its counters
sync(store, sys.argv[1], sys.argv[2], load_or_create(), chunk=50, pulled=pulled)
"""


def test_a_pull_killed_half_way_resumes_where_it_was(running_centre, tmp_path, data_dir, monkeypatch):
    """Bruno's laptop (its own data folder and key) is pulling Anna's 400 new actors in chunks of 50 when the
    process is killed (kill -9); the next sync brings only the rest, and both hold the same district."""
    from ssd_starter.store import Store
    from ssd_starter.store.edits import Batch
    from ssd_starter.sync.client import sync
    from ssd_starter.sync.devices import join
    from ssd_starter.sync.identity import load_or_create

    anna = Device.make(tmp_path / "anna", "Anna")
    try:
        made = create_district("Distretto")
        anna.store.apply(made)
        district = made.values["id"]
        anna.enrol(running_centre, district)
        bruno_store = Store.open()  # the test's data folder is Bruno's: his key is load_or_create()'s
        join(bruno_store, running_centre.url, anna.invite(running_centre.url, district), load_or_create())
        bruno_store.close()
        total = 400
        anna.store.apply(Batch(tuple(create_stakeholder(district, {"name": f"Attore {n}"}) for n in range(total))))
        anna.sync(running_centre.url, district)
        env = {**os.environ, "SSD_STARTER_DATA_DIR": str(data_dir)}
        child = subprocess.Popen([sys.executable, "-c", PULL_SLOWLY, district, running_centre.url], env=env,
                                 stdout=subprocess.PIPE, text=True)
        try:
            while int(child.stdout.readline() or 10**9) < 150:
                pass
            child.send_signal(signal.SIGKILL)
            child.wait(20)
        finally:
            if child.poll() is None:
                child.kill()
        bruno_store = Store.open()
        try:
            assert bruno_store.integrity_check() == ["ok"]
            before = len(list_stakeholders(bruno_store, district))
            report = sync(bruno_store, district, running_centre.url, load_or_create())
            assert 0 < report.pulled <= total - 150 + 50  # resumed after the last chunk merged, not from the start
            assert before >= 150  # what the killed pull merged stayed
            assert canonical(bruno_store, district) == canonical(anna.store, district)
        finally:
            bruno_store.close()
    finally:
        anna.close()

