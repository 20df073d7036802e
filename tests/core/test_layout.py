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
