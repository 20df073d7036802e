"""Probes of the network picture at 5,000 actors / 20,000 relations with no stored positions, and of the
centralities at 20,000 / 80,000, for `make bench` (bench/run.py calls them; they also run on their own:
``python -m bench.layout_probes``).

Each probe runs in fresh interpreters, alternating with its baseline (A B A B … after one warm-up of each,
STYLE §13), and returns a result row like bench/run.py's: the medians, the median of the pairwise ratios
with its min–max, the budget and whether it passed. GUI probes end on a confirmed paint.

- ``first_frame``: NetworkView.set_network with no stored positions until the first painted frame
  (the provisional positions, the layout process already started). Baseline: the same graph drawn as one
  QPainterPath item in a bare QGraphicsView. Budget 1 s.
- ``settled``: from set_network to the final layout frame shown (the child process, its frames, the
  edges redrawn each time, the positions stored). Baseline: the previous layout, rustworkx's all-pairs
  spring layout (25 iterations), alone in the same process. Budget 5 s.
- ``event_loop_gap``: the largest gap between the ticks of a 5 ms timer while the map is laid out and
  drawn, as the window feels it. Baseline: the same timer in an idle event loop for as long. Budget 0.05 s.
- ``centralities``: network_indicators (degree, betweenness, brokers, components) of 20,000 actors and
  80,000 relations. Baseline: building the rustworkx graph and its degrees alone. Budget 2 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

PY = sys.executable
RUNS = 5

GRAPH = r"""
import random
def generated(n, m, seed=1):
    # as ssd_starter.demo.synthetic_district makes them, without a database: no stored positions
    rng = random.Random(seed)
    categories = ["cooperative", "social_cooperative", "social_enterprise", "producer", "consumer_group",
                  "financial_institution", "public_body", "association", "business", "school_research", "individual"]
    kinds = ["supplies", "buys_from", "finances", "places_workers", "trains", "partners_with", "governs"]
    stages = ["identified", "contacted", "engaged", "member", "signatory"]
    actors = [{"id": f"id{i:05d}", "name": f"Actor {i:05d}", "category": rng.choice(categories),
               "influence": rng.randint(1, 5), "interest": rng.randint(1, 5), "stage": rng.choice(stages),
               "roles": [], "sector": None, "municipality": "Borgo Valsugana"} for i in range(n)]
    ids = [a["id"] for a in actors]
    relations = []
    for _ in range(m):
        a, b = rng.sample(ids, 2)
        relations.append({"source_id": a, "target_id": b, "kind": rng.choice(kinds), "strength": rng.randint(1, 3)})
    return actors, relations
"""

VIEW = GRAPH + r"""
import sys, time
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer, QElapsedTimer
app = QApplication([])
from ssd_starter.ui.map.network_view import NetworkView
actors, relations = generated(5000, 20000)
saved = []
view = NetworkView(lambda positions, pinned, unpinned: saved.append(len(positions)))
view.resize(1200, 800); view.show(); app.processEvents()
mode = sys.argv[2]
ticks = []
clock = QElapsedTimer(); clock.start()
timer = QTimer(); timer.setInterval(5); timer.timeout.connect(lambda: ticks.append(clock.elapsed() / 1000))
t = time.perf_counter()
view.set_network(actors, relations, {}, set())
view.viewport().repaint()
first = time.perf_counter() - t
if mode == "first":
    print(first)
else:
    done = []
    view.layout_finished.connect(lambda: done.append(time.perf_counter() - t))
    timer.start()
    ticks.append(clock.elapsed() / 1000)
    deadline = time.monotonic() + 120
    while not done and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    view.viewport().repaint()
    settled = time.perf_counter() - t
    assert done and saved == [5000], (done, saved)
    if mode == "settled":
        print(settled)
    else:
        print(max(b - a for a, b in zip(ticks, ticks[1:])))
"""

VIEW_BASELINE = GRAPH + r"""
import sys, time, random
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtCore import QTimer, QElapsedTimer
app = QApplication([])
actors, relations = generated(5000, 20000)
rng = random.Random(3)
positions = {a["id"]: (rng.uniform(-3000, 3000), rng.uniform(-3000, 3000)) for a in actors}
view = QGraphicsView(); view.resize(1200, 800); view.show(); app.processEvents()
mode = sys.argv[2]
if mode == "first":
    t = time.perf_counter()
    scene = QGraphicsScene()
    path = QPainterPath()
    for r in relations:
        path.moveTo(*positions[r["source_id"]]); path.lineTo(*positions[r["target_id"]])
    for x, y in positions.values():
        path.addEllipse(x - 6, y - 6, 12, 12)
    pen = QPen(); pen.setCosmetic(True)
    scene.addPath(path, pen)
    view.setScene(scene); view.fitInView(scene.itemsBoundingRect())
    view.viewport().repaint()
    print(time.perf_counter() - t)
elif mode == "settled":  # the layout this replaces: rustworkx's all-pairs spring layout, 25 iterations
    import rustworkx as rx
    t = time.perf_counter()
    graph = rx.PyGraph(multigraph=False)
    index = {a["id"]: graph.add_node(a["id"]) for a in actors}
    for r in relations:
        graph.add_edge(index[r["source_id"]], index[r["target_id"]], None)
    rx.spring_layout(graph, num_iter=25, seed=7)
    print(time.perf_counter() - t)
else:  # an idle event loop, as long as a layout takes: its own largest gap between ticks
    ticks = []
    clock = QElapsedTimer(); clock.start()
    timer = QTimer(); timer.setInterval(5); timer.timeout.connect(lambda: ticks.append(clock.elapsed() / 1000))
    timer.start(); ticks.append(0.0)
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    print(max(b - a for a, b in zip(ticks, ticks[1:])))
"""

CENTRALITIES = GRAPH + r"""
import sys, time
actors, relations = generated(20000, 80000)
t = time.perf_counter()
if sys.argv[2] == "indicators":
    from ssd_starter.core.network import network_indicators
    result = network_indicators(actors, relations)
    assert len(result.scores) == 20000
else:
    from ssd_starter.core.network import build_graph
    graph, index = build_graph(actors, relations)
    degree = {a: graph.degree(i) for a, i in index.items()}
print(time.perf_counter() - t)
"""


def _run(code: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    result = subprocess.run([PY, "-c", code, str(time.time()), *args], capture_output=True, text=True, env=env,
                            timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"probe failed:\n{result.stderr}")
    return float(result.stdout.strip().splitlines()[-1])


def alternate(probe: Callable[[], float], baseline: Callable[[], float], runs: int = RUNS) -> dict[str, Any]:
    """A B A B … after one warm-up of each; the medians and the median of the pairwise ratios."""
    probe(), baseline()
    pairs = [(probe(), baseline()) for _ in range(runs)]
    ratios = [a / b for a, b in pairs]
    return {"median_s": statistics.median(a for a, _b in pairs), "baseline_s": statistics.median(b for _a, b in pairs),
            "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios)}


def _row(measured: dict[str, Any], baseline: str, budget: float) -> dict[str, Any]:
    return {**measured, "baseline": baseline, "budget_s": budget, "pass": measured["median_s"] <= budget}


def first_frame(runs: int = RUNS) -> dict[str, Any]:
    measured = alternate(lambda: _run(VIEW, "first"), lambda: _run(VIEW_BASELINE, "first"), runs)
    return _row(measured, "the same graph as one QPainterPath item in a bare QGraphicsView", 1.0)


def settled(runs: int = RUNS) -> dict[str, Any]:
    measured = alternate(lambda: _run(VIEW, "settled"), lambda: _run(VIEW_BASELINE, "settled"), runs)
    return _row(measured, "the previous layout: rustworkx spring_layout, all pairs, 25 iterations", 5.0)


def event_loop_gap(runs: int = RUNS) -> dict[str, Any]:
    measured = alternate(lambda: _run(VIEW, "gap"), lambda: _run(VIEW_BASELINE, "gap"), runs)
    return _row(measured, "a 5 ms timer in an idle event loop", 0.05)


def centralities(runs: int = RUNS) -> dict[str, Any]:
    measured = alternate(lambda: _run(CENTRALITIES, "indicators"), lambda: _run(CENTRALITIES, "graph"), runs)
    return _row(measured, "building the rustworkx graph and its degrees", 2.0)


PROBES = {
    "network_5000_no_positions_first_frame": first_frame,
    "network_5000_no_positions_settled": settled,
    "network_5000_layout_largest_event_loop_gap": event_loop_gap,
    "centralities_20000_actors_80000_relations": centralities,
}


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else RUNS
    results = {name: probe(runs) for name, probe in PROBES.items()}
    print(json.dumps(results, indent=2))
    return 0 if all(r["pass"] for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
