"""Sync budgets (DESIGN §5, issues 18 and 23), for ``bench/run.py`` to call:

- ``push_10000``: a device sends 10,000 changed rows (2,500 actors and 7,500 relations) to the Centre.
- ``pull_10000``: another device of the same district pulls those 10,000 rows (a real pull of rows another
  device sent, merged through the same path as bundles).
- ``nothing_new``: a sync with nothing to send or receive.

The Centre runs in its own process (``ssd-starter centre serve``) on the machine's PostgreSQL 15 (on SQLite
where PostgreSQL cannot be started here; the result names the database). Each measurement is a fresh
interpreter with two fresh installations (their own SQLite files and keys) and a new district at the Centre.
Budgets: push and pull ≤ 1 s each, nothing new ≤ 30 ms. Baselines: the same rows as JSON into raw sqlite3
(push and pull); one HTTP round trip to the Centre's ``/health`` with httpx (nothing new).

Run alone: ``python -m bench.sync_probes``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from bench.centre_probes import RUNS, _alternate, running_centre

PY = sys.executable

PROBE = r"""
import sys, time, json, sqlite3, tempfile
from pathlib import Path
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from ssd_starter.centre import store as centre_store
from ssd_starter.demo import synthetic_rows
from ssd_starter.store import Store
from ssd_starter.store.districts import create_district
from ssd_starter.store.edits import Batch
from ssd_starter.sync.bundle import changed_rows
from ssd_starter.sync.client import sync
from ssd_starter.sync.devices import invite, join
from ssd_starter.sync.identity import Identity

url, database_url, mode = sys.argv[1:4]
folder = Path(tempfile.mkdtemp())

def identity():
    key = Ed25519PrivateKey.generate()
    return Identity(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()),
                    key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))

anna, bruno = Store(folder / "anna.sqlite"), Store(folder / "bruno.sqlite")
anna_key, bruno_key = identity(), identity()
made = create_district("Banco sync")
anna.apply(made)
district = made.values["id"]
engine = centre_store.connect(database_url)
token = centre_store.enrol(engine, "Banco sync")
engine.dispose()
sync(anna, district, url, anna_key, token=token)
join(bruno, url, invite(anna, district, anna_key, url=url).code, bruno_key)
anna.apply(Batch(tuple(synthetic_rows(district, 2500, 7500))))

def timed(store, key):
    t = time.perf_counter()
    report = sync(store, district, url, key)
    return time.perf_counter() - t, report

if mode == "push":
    elapsed, report = timed(anna, anna_key)
    assert report.pushed == 10000, report.pushed
elif mode == "pull":
    sync(anna, district, url, anna_key)
    elapsed, report = timed(bruno, bruno_key)
    assert report.pulled == 10000, report.pulled
elif mode == "nothing":
    sync(anna, district, url, anna_key)
    sync(bruno, district, url, bruno_key)
    elapsed, report = timed(bruno, bruno_key)
    assert report.pushed == 0 and report.pulled == 0, report
elif mode == "health":  # baseline of nothing new: one round trip to the Centre
    import httpx
    with httpx.Client() as client:
        client.get(url + "/health")
        t = time.perf_counter()
        client.get(url + "/health").raise_for_status()
        elapsed = time.perf_counter() - t
else:  # baseline of push and pull: the same rows as JSON, raw sqlite3 executemany, no HTTP, no checks
    records = changed_rows(anna, district)[0]
    t = time.perf_counter()
    conn = sqlite3.connect(folder / "raw.sqlite")
    conn.execute("CREATE TABLE r (d, t, i, v, o, data)")
    conn.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?)",
                     [(district, r["table"], r["id"], r["version"], r["row"]["origin"], json.dumps(r["row"]))
                      for r in records])
    conn.commit()
    elapsed = time.perf_counter() - t
print(elapsed)
"""


def postgres_database() -> str | None:
    """A fresh database on this machine's PostgreSQL 15 (started if it is stopped), or None where impossible."""
    if not shutil.which("pg_ctlcluster") or os.geteuid() != 0:
        return None
    password = "ssd-bench"
    name = f"ssd_bench_{uuid.uuid4().hex[:8]}"
    try:
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], capture_output=True, timeout=60)
        for sql in (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ssd_bench') THEN "
                    f"CREATE ROLE ssd_bench LOGIN PASSWORD '{password}' CREATEDB; END IF; END $$;",
                    f"CREATE DATABASE {name} OWNER ssd_bench"):
            subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-c", sql], capture_output=True,
                           timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return f"postgresql://ssd_bench:{password}@127.0.0.1:5432/{name}"


def drop_postgres_database(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[1]
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-q", "-c", f"DROP DATABASE IF EXISTS {name}"],
                   capture_output=True, timeout=60)


def _probe(url: str, database_url: str, mode: str) -> float:
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([PY, "-c", PROBE, url, database_url, mode], capture_output=True, text=True, env=env,
                            timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"sync probe {mode} failed:\n{result.stderr}")
    return float(result.stdout.split()[-1])


def sync_probes(folder: Path, runs: int = RUNS) -> dict[str, dict[str, Any]]:
    """The three sync results, keyed as ``bench/results.json`` names them."""
    from ssd_starter.centre import store as centre_store

    folder.mkdir(parents=True, exist_ok=True)
    postgres = postgres_database()
    database_url = postgres or f"sqlite:///{folder / 'centre.sqlite'}"
    database = "PostgreSQL 15" if postgres else "SQLite (PostgreSQL could not be started here)"
    centre_store.connect(database_url).dispose()  # the schema, before the server's first request
    results: dict[str, dict[str, Any]] = {}
    try:
        with running_centre(database_url) as url:
            for key, mode, baseline, what, budget in (
                    ("sync_push_10000_rows", "push", "raw", "the same rows as JSON into raw sqlite3, no HTTP", 1.0),
                    ("sync_pull_10000_rows", "pull", "raw", "the same rows as JSON into raw sqlite3, no HTTP", 1.0),
                    ("sync_nothing_new", "nothing", "health", "one HTTP round trip to the Centre's /health", 0.030)):
                print(f"  {key} …", file=sys.stderr, flush=True)
                result = _alternate(lambda mode=mode: _probe(url, database_url, mode),
                                    lambda baseline=baseline: _probe(url, database_url, baseline), runs)
                results[key] = {**result, "baseline": what, "database": database, "budget_s": budget,
                                "budget_ratio": None, "pass": result["median_s"] <= budget}
    finally:
        if postgres:
            drop_postgres_database(postgres)
    return results


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        results = sync_probes(Path(tmp), runs=int(os.environ.get("BENCH_RUNS", RUNS)))
    print(json.dumps({k: {n: v for n, v in r.items() if not n.endswith("runs")} for k, r in results.items()},
                     indent=2))
    return 0 if all(r["pass"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
