"""A large map laid out without stored positions: while the layout streams into the preview its nodes stay out
of the scene (so the scene never walks thousands of hidden items in one turn of the event loop); they join it,
a thousand a turn, when they take over, each exactly once, also when the layout is stopped half-way."""

import random

from ssd_starter.ui.map.network_view import NODES_PER_TURN, PREVIEW_FROM, NetworkView, NodeItem


def generated(n, m, seed=4):
    rng = random.Random(seed)
    actors = [{"id": f"a{i:05d}", "name": f"Actor {i}", "category": "cooperative", "influence": rng.randint(1, 5),
               "interest": 3, "stage": "engaged"} for i in range(n)]
    relations = []
    for _ in range(m):
        a, b = rng.sample(range(n), 2)
        relations.append({"source_id": f"a{a:05d}", "target_id": f"a{b:05d}", "kind": "supplies", "strength": 2})
    return actors, relations


def nodes_in_scene(view):
    return [item for item in view.scene().items() if isinstance(item, NodeItem)]


def make_view(qtbot, n):
    saved = []
    view = NetworkView(lambda positions, pinned, unpinned: saved.append(len(positions)))
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    actors, relations = generated(n, 3 * n)
    view.set_network(actors, relations, {}, set())
    return view, saved


def test_nodes_join_the_scene_when_they_take_over_from_the_preview(qtbot):
    n = PREVIEW_FROM + NODES_PER_TURN + 200  # three turns of taking over
    view, saved = make_view(qtbot, n)
    assert view.preview is not None and view.layout_running
    assert nodes_in_scene(view) == []  # only the preview and the edge paths while the layout streams
    assert view.wait_for_layout(60_000)
    qtbot.waitUntil(lambda: view.preview is None and not view._pending_finish, timeout=10_000)
    in_scene = nodes_in_scene(view)
    assert len(in_scene) == n and len(set(map(id, in_scene))) == n
    assert all(node.isVisible() for node in in_scene) and saved == [n]
    # where the layout put them: the scene's nodes stand at the final frame's positions
    xy = view.positions_array()
    assert all((node.pos().x(), node.pos().y()) == (xy[k, 0], xy[k, 1]) for k, node in enumerate(view._order))


def test_a_layout_stopped_while_the_nodes_take_over_leaves_each_node_in_the_scene_once(qtbot):
    n = PREVIEW_FROM + 2 * NODES_PER_TURN + 100
    view, _saved = make_view(qtbot, n)
    assert view._process.wait(60.0)
    view._on_poll()  # the final frame is read: the nodes start taking over, one turn at a time
    assert view._pending_finish
    view._finish_preview()  # the first thousand
    assert len(nodes_in_scene(view)) == NODES_PER_TURN
    view.stop_layout()  # the rest at once
    in_scene = nodes_in_scene(view)
    assert len(in_scene) == n and len(set(map(id, in_scene))) == n
    assert view.preview is None and all(node.isVisible() for node in in_scene)


def test_a_small_map_keeps_its_nodes_in_the_scene_from_the_start(qtbot):
    view, _saved = make_view(qtbot, 200)
    assert view.preview is None and len(nodes_in_scene(view)) == 200
    assert view.wait_for_layout(60_000)
    assert len(nodes_in_scene(view)) == 200


def test_actors_without_relations_are_counted_above_their_block(qtbot):
    from ssd_starter.ui.map.network_view import NetworkView as View

    view = View(lambda positions, pinned, unpinned: None)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    actors, _relations = generated(8, 0)
    relations = [{"source_id": actors[a]["id"], "target_id": actors[b]["id"], "kind": "supplies", "strength": 1}
                 for a, b in ((0, 1), (1, 2), (2, 3), (3, 4))]  # five tied, three alone
    view.set_network(actors, relations, {}, set())
    assert view.wait_for_layout(60_000)
    caption = view.isolated_caption
    assert caption is not None and caption.isVisible() and caption.text() == "3 actors without relations"
    alone = [view.nodes[a["id"]] for a in actors[5:]]
    assert caption.pos().y() <= min(node.pos().y() for node in alone)  # above their block
    view.set_shown({"cooperative"}, None)  # all filtered in: still three
    assert caption.text().startswith("3 ")
    view.set_visible_actors({a["id"] for a in actors[:6]})  # one alone left on the map
    assert caption.text() == "1 actor without relations"
    view.set_visible_actors({a["id"] for a in actors[:5]})
    assert not caption.isVisible()
