"""The network layout in a child process: frames stream through the pipe, the window never waits for them."""

import random
import time

from ssd_starter.ui.map.layout_process import LayoutProcess


def generated(n, m, seed=2):
    rng = random.Random(seed)
    ids = [f"a{i}" for i in range(n)]
    return ids, [{"source_id": a, "target_id": b, "strength": 2} for a, b in (rng.sample(ids, 2) for _ in range(m))]


def test_frames_arrive_while_the_child_works_and_the_last_is_final():
    ids, relations = generated(2000, 8000)
    process = LayoutProcess(ids, relations, {}, [], relayout=False)
    process.start()
    frames, slowest = [], 0.0
    deadline = time.monotonic() + 60
    while not process.done and time.monotonic() < deadline:
        started = time.perf_counter()
        frame = process.latest()  # never blocks, whether or not a frame is waiting
        slowest = max(slowest, time.perf_counter() - started)
        if frame is not None:
            frames.append(frame)
        time.sleep(0.02)
    assert process.done and not process.failed
    assert len(frames) >= 3 and frames[-1].final and frames[-1].positions.shape == (2000, 2)
    assert slowest < 0.05


def test_pinned_actors_stay_and_a_stopped_layout_ends_its_child():
    ids, relations = generated(300, 900)
    known = {a: (float(n), float(-n)) for n, a in enumerate(ids)}
    process = LayoutProcess(ids, relations, known, pinned=ids[:5], relayout=True)
    process.start()
    assert process.wait(60)
    frame = process.latest()
    assert frame is not None and frame.final
    assert [tuple(p) for p in frame.positions[:5].tolist()] == [known[a] for a in ids[:5]]
    second = LayoutProcess(ids, relations, {}, [], relayout=False)
    second.start()
    second.stop()
    assert second.done and not second._process.is_alive()
