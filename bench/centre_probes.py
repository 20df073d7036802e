"""Budgets of the Centre's review (DESIGN §5), for ``bench/run.py`` to call:

- ``overview_500(folder)``: the districts' overview of a Centre holding 500 districts, each with rows and a
  submission — ``GET /v1/advisor/districts`` through the advisor client, the Centre in its own process
  (``ssd-starter centre serve``) on SQLite. Budget 1 s. Baseline: the same columns read with raw sqlite3
  and their indicators parsed, no HTTP.
- ``review_open_5000(folder)``: opening one submission of a 5,000-actor district (20,000 relations) in the
  review area — from choosing it in the queue to the actors' table painted with its rows, the records
  fetched from the Centre (its own process) and kept in the local copy. Budget 1 s. Baseline: the same two
  requests made with httpx and parsed, no window.

Each returns a result document as ``bench/run.py``'s ``paired`` makes them (``median_s``, ``baseline``,
``baseline_s``, ``ratio``, ``ratio_min``, ``ratio_max``, ``budget_s``, ``budget_ratio``, ``pass``, ``runs``,
``baseline_runs``), measured as DESIGN §5 says: probe and baseline alternate (A B A B … after a warm-up of
each; the window and its baseline are two warm processes driven in turn) and the ratio is the median of the
pairwise ratios. Run alone: ``python -m bench.centre_probes`` prints both; from ``bench/run.py``:
``results["centre_overview_500_districts"] = centre_probes.overview_500(Path(tmp) / "overview")`` and
``results["review_open_district_5000_actors"] = centre_probes.review_open_5000(Path(tmp) / "open")``.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

PY = sys.executable
RUNS = 7
PASSWORD = "una password per il banco"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_centre(database_url: str) -> Iterator[str]:
    """``ssd-starter centre serve`` on a free loopback port, in its own process; its URL."""
    port = _free_port()
    data_dir = (Path(database_url.removeprefix("sqlite:///")).parent if database_url.startswith("sqlite:")
                else Path(tempfile.mkdtemp()))
    # the database URL by environment, as a deployed Centre takes it (a password never on a command line)
    env = {**os.environ, "SSD_STARTER_DATA_DIR": str(data_dir), "SSD_CENTRE_DATABASE_URL": database_url}
    # its log (a line per request) into a file: a pipe nobody reads fills up and stops the server
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([PY, "-m", "ssd_starter", "centre", "serve", "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            import httpx

            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(url + "/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"the Centre did not start: {log.read().decode(errors='replace')[-4000:]}")
                time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(20)


def _advisor_session(engine, url: str, name: str = "Banco") -> dict[str, str]:
    """An advisor made on the host and signed in over HTTP: the session as the review area remembers it."""
    from ssd_starter.centre import advisors as accounts
    from ssd_starter.centre.advisor_client import AdvisorClient

    code = accounts.add_advisor(engine, name).code
    return AdvisorClient(url).sign_in(name, code=code, new_password=PASSWORD).as_json()


def _alternate(probe: Callable[[], float], baseline: Callable[[], float], runs: int = RUNS) -> dict:
    """A B A B … after one warm-up of each; the medians and the pairwise ratios."""
    probe(), baseline()
    pairs = [(probe(), baseline()) for _ in range(runs)]
    ratios = [a / b for a, b in pairs]
    return {"median_s": statistics.median(a for a, _b in pairs), "baseline_s": statistics.median(b for _a, b in pairs),
            "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
            "runs": [a for a, _b in pairs], "baseline_runs": [b for _a, b in pairs]}


# -- 500 districts ------------------------------------------------------------------------------

def prepare_500_districts(database_url: str, districts: int = 500, rows_each: int = 40) -> None:
    """500 enrolled districts, each with rows and one submission whose summary is a real district's."""
    import uuid

    from ssd_starter.centre import store as centre_store
    from ssd_starter.centre import submissions as review
    from ssd_starter.centre.tables import districts as district_table
    from ssd_starter.centre.tables import rows
    from ssd_starter.core.summary import district_summary

    engine = centre_store.connect(database_url)
    at = centre_store.now()
    summary = district_summary([], [], None).as_json()
    try:
        with engine.begin() as conn:
            conn.execute(district_table.insert(), [
                {"enrolment_id": f"e{n}", "name": f"Distretto {n:03d}", "token_hash": f"{n:064x}",
                 "district_id": f"district-{n:04d}", "public_key": "k", "fingerprint": "f", "created_at": at,
                 "registered_at": at, "last_received_at": at} for n in range(districts)])
            conn.execute(rows.insert(), [
                {"district_id": f"district-{n:04d}", "table_name": "stakeholder", "row_id": str(uuid.uuid4()),
                 "version": 1, "origin": "", "data": {"name": "x" * 200}, "received_at": at}
                for n in range(districts) for _ in range(rows_each)])
        for n in range(districts):
            summary["flows"]["values"]["lm3"]["value"] = 1 + n / 1000
            review.submit(engine, f"district-{n:04d}", summary=summary)
    finally:
        engine.dispose()


def overview_500(folder: Path) -> dict:
    from ssd_starter.centre import store as centre_store
    from ssd_starter.centre.advisor_client import AdvisorClient, AdvisorSession

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "centre-500.sqlite"
    database_url = f"sqlite:///{path}"
    prepare_500_districts(database_url)
    with running_centre(database_url) as url:
        engine = centre_store.connect(database_url)
        session = AdvisorSession.from_json(_advisor_session(engine, url))
        engine.dispose()
        assert session is not None
        client = AdvisorClient(url)
        client.resume(session)

        def probe() -> float:
            started = time.perf_counter()
            found = client.districts()
            elapsed = time.perf_counter() - started
            assert len(found) == 500 and found[7]["indicators"]["lm3"]["value"] == 1.007
            return elapsed

        def baseline() -> float:
            import sqlite3

            started = time.perf_counter()
            conn = sqlite3.connect(path)
            found = [(name, json.loads(indicators)) for name, indicators in conn.execute(
                "SELECT d.name, s.indicators FROM centre_district d JOIN centre_submission s "
                "ON s.district_id = d.district_id ORDER BY d.name")]
            conn.close()
            elapsed = time.perf_counter() - started
            assert len(found) == 500
            return elapsed

        result = _alternate(probe, baseline)
        client.close()
    return {**result, "baseline": "raw sqlite3: the same names and indicators, parsed, no HTTP", "budget_s": 1.0,
            "budget_ratio": None, "pass": result["median_s"] <= 1.0}


# -- one district of 5,000 actors in the review area ------------------------------------------------

def prepare_5000_actor_submission(database_url: str, data_dir: Path, actors: int = 5000,
                                  relations: int = 20000) -> str:
    """A synthetic district made in a store, its rows at the Centre as a push leaves them, and a submission
    with its summary; the submission's id."""
    from ssd_starter.centre import store as centre_store
    from ssd_starter.centre import submissions as review
    from ssd_starter.demo import synthetic_district
    from ssd_starter.store import Store
    from ssd_starter.sync.bundle import changed_rows
    from ssd_starter.sync.client import submission_draft

    before = os.environ.get("SSD_STARTER_DATA_DIR")
    os.environ["SSD_STARTER_DATA_DIR"] = str(data_dir)  # the promoter's store, in a folder of its own
    store = Store.open()
    try:
        district_id = synthetic_district(store, "Banco 5000", actors, relations)
        records, _first, last = changed_rows(store, district_id)
        draft = submission_draft(store, district_id, note="banco")
    finally:
        store.close()
        if before is None:
            os.environ.pop("SSD_STARTER_DATA_DIR", None)
        else:
            os.environ["SSD_STARTER_DATA_DIR"] = before
    engine = centre_store.connect(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(centre_store.districts.insert().values(
                enrolment_id="e-bench", name="Banco 5000", token_hash="0" * 64, district_id=district_id,
                public_key="k", fingerprint="f", created_at=centre_store.now(), registered_at=centre_store.now()))
        for start in range(0, len(records), 2000):
            centre_store.push(engine, district_id, "bench-origin", last, records[start:start + 2000])
        return str(review.submit(engine, district_id, summary=draft.summary, note="banco")["id"])
    finally:
        engine.dispose()


# Runs in a fresh interpreter (Qt offscreen): argv = session JSON, submission id, copy file, mode. It measures
# once for each line "go" on its standard input and prints the seconds, so two of them (the window and the
# baseline) can be driven alternately, A B A B, each warm.
REVIEW_OPEN = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ssd_starter.centre.advisor_client import AdvisorSession
from ssd_starter.centre.review_copy import AdvisorReview, ReviewCopy
from ssd_starter.settings import Settings
from ssd_starter.ui.review.page import ReviewPage
session, submission, copy_file, mode = (AdvisorSession.from_json(json.loads(sys.argv[1])), sys.argv[2],
                                        Path(sys.argv[3]), sys.argv[4])

def wait(condition, limit=60):
    deadline = time.perf_counter() + limit
    while not condition():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")

if mode == "window":
    settings = Settings(copy_file.parent / "bench-settings.json")
    settings.set("review_session", session.as_json())
    page = ReviewPage(print, settings)
    page.resize(1366, 768)
    page.show()
    wait(lambda: page.submissions_model.rowCount() > 0 and not page.calls.busy)

    def once():
        page._forget_shown()
        page.district.tabs.setCurrentWidget(page.district.actors)
        app.processEvents()
        started = time.perf_counter()
        page.open_submission(submission)
        wait(lambda: page.district.actors_model.rowCount() == 5000)
        page.district.actors.viewport().repaint()  # the frame that shows them
        elapsed = time.perf_counter() - started
        wait(lambda: not page.calls.busy)  # the dossier call after it, outside the measure
        return elapsed
else:
    client = AdvisorReview.resume(session, copy=ReviewCopy(copy_file)).client

    def once():
        started = time.perf_counter()
        client.submission(submission)
        json.loads(client.district_records(submission))
        return time.perf_counter() - started

print("ready", flush=True)
for line in sys.stdin:
    if line.strip() != "go":
        break
    print(once(), flush=True)
"""


class _Measurer:
    """One REVIEW_OPEN process, measuring on demand."""

    def __init__(self, mode: str, session: str, submission: str, copy_file: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen([PY, "-c", REVIEW_OPEN, session, submission, str(copy_file), mode],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self._expect("ready")

    def _expect(self, word: str | None = None) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line or (word is not None and line != word):
            raise SystemExit(f"review probe failed (got {line!r})")
        return line

    def __call__(self) -> float:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return float(self._expect())

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(60)


def review_open_5000(folder: Path, runs: int = RUNS) -> dict:
    from ssd_starter.centre import store as centre_store

    folder.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{folder / 'centre-5000.sqlite'}"
    submission = prepare_5000_actor_submission(database_url, folder / "promoter")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SSD_STARTER_DATA_DIR": str(folder / "advisor")}
    with running_centre(database_url) as url:
        engine = centre_store.connect(database_url)
        session = json.dumps(_advisor_session(engine, url))
        engine.dispose()
        copy_file = folder / "advisor" / "review-copy.sqlite"
        copy_file.parent.mkdir(parents=True, exist_ok=True)
        window = _Measurer("window", session, submission, copy_file, env)
        plain = _Measurer("http", session, submission, copy_file, env)
        try:
            result = _alternate(window, plain, runs)
        finally:
            window.close()
            plain.close()
    return {**result, "baseline": "the same two requests by httpx, parsed, no window", "budget_s": 1.0,
            "budget_ratio": None, "pass": result["median_s"] <= 1.0}


# -- a push into a busy Centre ---------------------------------------------------------------------

PUSH = r"""
import sys, time
from ssd_starter.demo import synthetic_district
from ssd_starter.store import Store
from ssd_starter.sync.client import sync
from ssd_starter.sync.identity import load_or_create
url, token = sys.argv[1], sys.argv[2]
store = Store.open()
district = synthetic_district(store, "Spinta", 500, 1499)   # with the district row: 2,000 changed rows
identity = load_or_create()
started = time.perf_counter()
report = sync(store, district, url, identity, token=token)
elapsed = time.perf_counter() - started
assert report.pushed == 2000, report.pushed
print(elapsed)
"""


def push_into_200(folder: Path, runs: int = 5) -> dict:
    """A district's first push of 2,000 rows into a Centre holding 200 districts (each with 500 rows and a
    submission) against the same push into an empty Centre: both Centres in their own processes, on SQLite,
    each push from a fresh installation. Budget: ratio ≤ 1.2."""
    from ssd_starter.centre import store as centre_store

    folder.mkdir(parents=True, exist_ok=True)
    busy_url, empty_url = f"sqlite:///{folder / 'busy.sqlite'}", f"sqlite:///{folder / 'empty.sqlite'}"
    prepare_500_districts(busy_url, districts=200, rows_each=500)
    centre_store.connect(empty_url).dispose()  # the empty Centre's schema
    counter = iter(range(10_000))

    with running_centre(busy_url) as busy, running_centre(empty_url) as empty:
        def push(database_url: str, url: str) -> float:
            engine = centre_store.connect(database_url)
            token = centre_store.enrol(engine, f"Spinta {next(counter)}")
            engine.dispose()
            env = {**os.environ, "SSD_STARTER_DATA_DIR": str(folder / f"promoter-{next(counter)}")}
            result = subprocess.run([PY, "-c", PUSH, url, token], capture_output=True, text=True, env=env,
                                    timeout=300)
            if result.returncode != 0:
                raise RuntimeError(result.stderr)
            return float(result.stdout.split()[-1])

        result = _alternate(lambda: push(busy_url, busy), lambda: push(empty_url, empty), runs)
    return {**result, "baseline": "the same push into an empty Centre", "budget_s": None, "budget_ratio": 1.2,
            "pass": result["ratio"] <= 1.2}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        results = {"centre_overview_500_districts": overview_500(Path(tmp) / "overview"),
                   "review_open_district_5000_actors": review_open_5000(Path(tmp) / "open"),
                   "centre_push_into_200_districts": push_into_200(Path(tmp) / "push")}
    print(json.dumps(results, indent=1))
    return 0 if all(r["pass"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
