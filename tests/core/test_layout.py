"""Network layout: every actor placed, known positions kept, pinned actors fixed, loose actors aside."""

from ssd_starter.core.layout import compute_layout


def chain(n):
    ids = [f"a{i}" for i in range(n)]
    return ids, [{"source_id": ids[i], "target_id": ids[i + 1]} for i in range(n - 1)]


def test_everyone_gets_a_distinct_position():
    ids, relations = chain(30)
    positions = compute_layout(ids, relations, {})
    assert set(positions) == set(ids)
    assert len({(round(x, 3), round(y, 3)) for x, y in positions.values()}) == 30


def test_known_positions_stay_and_only_newcomers_move():
    ids, relations = chain(20)
    first = compute_layout(ids, relations, {})
    ids.append("new")
    relations.append({"source_id": "a0", "target_id": "new"})
    second = compute_layout(ids, relations, first)
    assert all(second[a] == first[a] for a in first)
    assert "new" in second


def test_relayout_moves_all_but_the_pinned():
    ids, relations = chain(15)
    first = compute_layout(ids, relations, {})
    again = compute_layout(ids, relations, first, pinned={"a3"}, relayout=True, seed=99)
    assert again["a3"] == first["a3"]
    assert any(again[a] != first[a] for a in ids if a != "a3")


def test_actors_without_ties_wait_in_a_row_below():
    ids, relations = chain(10)
    positions = compute_layout([*ids, "loose1", "loose2"], relations, {})
    lowest_tied = max(positions[a][1] for a in ids)
    assert positions["loose1"][1] > lowest_tied and positions["loose1"][1] == positions["loose2"][1]


# -- generated graphs: groups, the isolated block, frames -------------------------------------

import random  # noqa: E402

import numpy as np  # noqa: E402

from ssd_starter.core.layout import GAP, layout_frames  # noqa: E402


def groups_and_loners(sizes, loners, seed=3):
    """Separate groups (each a ring with a few chords) and actors without ties."""
    rng = random.Random(seed)
    ids, relations, groups = [], [], []
    for g, size in enumerate(sizes):
        members = [f"g{g}n{i}" for i in range(size)]
        groups.append(members)
        ids += members
        relations += [{"source_id": members[i], "target_id": members[(i + 1) % size]} for i in range(size)]
        relations += [{"source_id": rng.choice(members), "target_id": rng.choice(members)} for _ in range(size // 2)]
    ids += [f"alone{i}" for i in range(loners)]
    return ids, relations, groups


def box(positions, members):
    xs, ys = zip(*(positions[m] for m in members), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def test_separate_groups_are_packed_apart_and_loners_sit_in_a_block_below():
    ids, relations, groups = groups_and_loners([300, 40, 12, 5, 2], 37)
    positions = compute_layout(ids, relations, {})
    boxes = [box(positions, g) for g in groups]
    for n, a in enumerate(boxes):  # no two groups overlap
        for b in boxes[n + 1:]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
    loners = [f"alone{i}" for i in range(37)]
    block = box(positions, loners)
    assert block[1] >= max(b[3] for b in boxes) + GAP / 2  # below everything
    rows = {round(positions[a][1], 6) for a in loners}
    columns = {round(positions[a][0], 6) for a in loners}
    assert len(rows) * len(columns) < 2 * 37  # a tidy grid, not a scatter
    assert block[2] - block[0] > block[3] - block[1]  # wider than tall, like the map above it


def test_the_largest_group_comes_first_and_is_not_squeezed():
    ids, relations, groups = groups_and_loners([200, 20], 0)
    positions = compute_layout(ids, relations, {})
    big, small = box(positions, groups[0]), box(positions, groups[1])
    assert (big[2] - big[0]) > 2 * (small[2] - small[0])
    assert big[1] < small[1]  # the rows of smaller groups follow under the largest


def test_neighbours_end_closer_than_strangers():
    ids, relations, groups = groups_and_loners([150, 150], 0)
    positions = compute_layout(ids, relations, {})
    p = np.array([positions[a] for a in ids])
    index = {a: n for n, a in enumerate(ids)}
    tie = np.mean([np.linalg.norm(p[index[r["source_id"]]] - p[index[r["target_id"]]]) for r in relations])
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, len(ids), (2000, 2))
    stranger = np.mean(np.linalg.norm(p[pairs[:, 0]] - p[pairs[:, 1]], axis=1))
    assert tie < stranger / 3


def test_frames_stream_from_the_start_and_the_last_is_final():
    ids, relations, _groups = groups_and_loners([500], 10)
    frames = list(layout_frames(ids, relations, {}, frame_every=10))
    assert len(frames) >= 5 and frames[-1].final and not any(f.final for f in frames[:-1])
    assert all(f.positions.shape == (len(ids), 2) and np.isfinite(f.positions).all() for f in frames)
    assert frames[0].isolated == 10 and frames[-1].isolated_origin is not None
    moved = [float(np.abs(b.positions - a.positions).max()) for a, b in zip(frames, frames[1:], strict=False)]
    assert moved[-1] < moved[0]  # it settles


def test_a_large_generated_map_is_laid_out_quickly():
    import time

    rng = random.Random(5)
    ids = [f"a{i}" for i in range(3000)]
    relations = [{"source_id": a, "target_id": b} for a, b in (rng.sample(ids, 2) for _ in range(12000))]
    started = time.perf_counter()
    positions = compute_layout(ids, relations, {})
    assert time.perf_counter() - started < 20  # all pairs took minutes; this is seconds even on a busy machine
    assert len({(round(x), round(y)) for x, y in positions.values()}) > 2900  # hardly two on one spot


def test_newcomers_start_next_to_their_placed_neighbours():
    ids, relations, _groups = groups_and_loners([60], 0)
    first = compute_layout(ids, relations, {})
    ids.append("new")
    relations.append({"source_id": "g0n5", "target_id": "new"})
    second = compute_layout(ids, relations, first)
    distance = np.hypot(second["new"][0] - first["g0n5"][0], second["new"][1] - first["g0n5"][1])
    width = box(first, ids[:-1])[2] - box(first, ids[:-1])[0]
    assert distance < width / 3
