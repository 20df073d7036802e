"""Kill -9 a writing process at random moments: the file must open, pass the check and hold every
edit the child reported as committed."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ssd_starter.store import Store
from ssd_starter.store.districts import list_districts

CHILD = r"""
import sys
from ssd_starter.store import Store
from ssd_starter.store.districts import create_district, update_district
from ssd_starter.store.edits import Batch

store = Store.open()
start = int(sys.argv[1])
print("ready", flush=True)
for n in range(start, start + 100000):
    insert = create_district(f"edit {n:06d}", description="x" * (n % 500))
    rename = update_district(insert.values["id"], name=f"edit {n:06d} renamed")
    store.apply(Batch((insert, rename)))
    print(n, flush=True)
"""


def kill_cycles(data_dir: Path, cycles: int, seed: int) -> dict:
    rng = random.Random(seed)
    committed: set[int] = set()
    next_n = 0
    env = {**os.environ, "SSD_STARTER_DATA_DIR": str(data_dir)}
    for _ in range(cycles):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(next_n)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env)
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        out, _err = child.communicate()
        reported = [int(line) for line in out.split() if line.isdigit()]
        committed.update(reported)
        next_n = (max(reported) + 1 if reported else next_n) + 1000  # never reuse a name

        store = Store.open()
        try:
            assert store.integrity_check() == ["ok"]
            names = {d.name for d in list_districts(store)}
        finally:
            store.close()
        missing = [n for n in committed if f"edit {n:06d} renamed" not in names]
        assert missing == [], f"committed edits lost after kill: {missing[:5]}"
        half = [name for name in names if not name.endswith("renamed")]
        assert half == [], f"a transaction was half applied: {half[:3]}"
    return {"cycles": cycles, "committed": len(committed)}


def test_kill_during_writes_loses_no_committed_edit(data_dir):
    Store.open().close()
    result = kill_cycles(data_dir, cycles=8, seed=1)
    assert result["committed"] > 0


@pytest.mark.slow
def test_kill_100_times(data_dir):
    Store.open().close()
    result = kill_cycles(data_dir, cycles=100, seed=2026)
    print(f"\nkill -9 cycles: {result['cycles']}, committed edits verified: {result['committed']}")
    assert result["committed"] > 100
