"""`make bench`: DESIGN §5 budgets, each measured in fresh processes against a baseline from the same run.

Writes bench/results.json (name → median seconds, baseline, ratio, budget, pass) and prints a table.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7
HERE = Path(__file__).resolve().parent
PY = sys.executable

# Each probe runs in a fresh interpreter and prints one line: the seconds (or bytes) it measured.
BARE_WINDOW = r"""
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
w = QMainWindow(); w.resize(1180, 760); w.show()
QTimer.singleShot(0, app.quit); app.exec()
print(time.time() - t0)
"""

MAIN_WINDOW = r"""
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer
app = QApplication([])
from ssd_starter.settings import Settings
from ssd_starter.store import Store
from ssd_starter.ui.language import notifier
from ssd_starter.ui.main_window import MainWindow
notifier().set_language("it")
store = Store.open()
w = MainWindow(store, Settings()); w.show()
QTimer.singleShot(0, app.quit); app.exec()   # the first frame has been painted: the window is usable
elapsed = time.time() - t0
if len(sys.argv) > 2:
    rss = int([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]) * 1024
    print(rss)
else:
    print(elapsed)
"""

EDIT = r"""
import time, statistics
from ssd_starter.store import Store
from ssd_starter.store.districts import list_districts, update_district
store = Store.open()
d = list_districts(store)[0]
times = []
for n in range(60):
    t = time.perf_counter()
    store.apply(update_district(d.id, description=f"edit {n}"))
    times.append(time.perf_counter() - t)
print(statistics.median(times[10:]))
"""

RAW_EDIT = r"""
import sqlite3, time, statistics, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL"); conn.execute("PRAGMA synchronous=FULL")
conn.execute("CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, description TEXT)")
conn.execute("INSERT OR IGNORE INTO t VALUES ('a', '')")
times = []
for n in range(60):
    t = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE"); conn.execute("UPDATE t SET description=? WHERE id='a'", (f"edit {n}",))
    conn.execute("COMMIT")
    times.append(time.perf_counter() - t)
print(statistics.median(times[10:]))
"""


def probe(code: str, env: dict[str, str], *args: str) -> float:
    result = subprocess.run([PY, "-c", code, str(time.time()), *args], capture_output=True, text=True, env=env,
                            timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"probe failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def median_of(code: str, env: dict[str, str], *args: str, runs: int = RUNS) -> float:
    return statistics.median(probe(code, env, *args) for _ in range(runs))


def prepare(data_dir: Path, actors: int, relations: int) -> None:
    env = {**os.environ, "SSD_STARTER_DATA_DIR": str(data_dir)}
    code = ("from ssd_starter.store import Store\nfrom ssd_starter.demo import synthetic_district\n"
            f"s = Store.open()\nsynthetic_district(s, 'Bench', {actors}, {relations})\ns.close()")
    subprocess.run([PY, "-c", code], check=True, env=env, timeout=600)


def main() -> int:
    env_base = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "d500", Path(tmp) / "d5000"
        prepare(small, 500, 2000)
        prepare(large, 5000, 20000)
        env_small = {**env_base, "SSD_STARTER_DATA_DIR": str(small)}
        env_large = {**env_base, "SSD_STARTER_DATA_DIR": str(large)}

        baseline = median_of(BARE_WINDOW, env_base)
        startup = median_of(MAIN_WINDOW, env_small)
        results["startup_main_window_500_actors"] = {
            "median_s": startup, "baseline": "bare QMainWindow shown", "baseline_s": baseline,
            "ratio": startup / baseline, "budget_s": 0.6, "pass": startup <= 0.6}

        edit = median_of(EDIT, env_small, runs=5)
        raw = median_of(RAW_EDIT, env_base, str(Path(tmp) / "raw.sqlite"), runs=5)
        results["single_edit_persisted"] = {
            "median_s": edit, "baseline": "raw sqlite3 UPDATE + COMMIT, same pragmas", "baseline_s": raw,
            "ratio": edit / raw, "budget_s": 0.010, "pass": edit <= 0.010}

        rss = median_of(MAIN_WINDOW, env_large, "rss", runs=5)
        bare_rss = median_of(MAIN_WINDOW, env_base | {"SSD_STARTER_DATA_DIR": str(Path(tmp) / "empty")}, "rss",
                             runs=5)
        results["rss_main_window_5000_actors"] = {
            "median_bytes": rss, "baseline": "main window, empty data file", "baseline_bytes": bare_rss,
            "ratio": rss / bare_rss, "budget_bytes": 300 * 2**20, "pass": rss <= 300 * 2**20}

    out = HERE / "results.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"{'benchmark':36} {'median':>11} {'baseline':>11} {'ratio':>6} {'budget':>10}  pass")
    for name, r in results.items():
        if "median_s" in r:
            row = (f"{r['median_s'] * 1000:9.1f}ms", f"{r['baseline_s'] * 1000:9.1f}ms", f"{r['budget_s'] * 1000:8.0f}ms")
        else:
            row = (f"{r['median_bytes'] / 2**20:9.1f}MB", f"{r['baseline_bytes'] / 2**20:9.1f}MB",
                   f"{r['budget_bytes'] / 2**20:8.0f}MB")
        print(f"{name:36} {row[0]:>11} {row[1]:>11} {r['ratio']:6.2f} {row[2]:>10}  {'yes' if r['pass'] else 'NO'}")
    print(f"written: {out}")
    return 0 if all(r["pass"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
