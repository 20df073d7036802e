"""Sankey diagram of a district's resource flows: one pure layout, drawn alike by the Qt view and the PDF dossier.

Flows go round in circles (money goes back for the goods), so no layered DAG layout is attempted:
the diagram is a few columns of nodes with links only between consecutive columns.

- ``"actor"``: who gives (actors and Outside) → who receives (actors and Outside). An actor that
  both gives and receives appears twice, once in each column.
- ``"category"``: the same with the stakeholder categories as nodes.
- ``"kind"``: provider categories → what moves (flow kinds) → receiver categories.

Everything is weighted by ``value_eur``, the only measure all kinds of flow share. The layout is
computed here, once, in layout coordinates (origin top-left, y downwards); the renderers only paint
it, and both draw a link band with ``band_path`` and place labels with ``label_positions`` so the
screen and the paper show the same picture.

Node keys are ``"<column>:<ident>"``: an actor id, a category or kind value, ``OUTSIDE`` or ``OTHER``
(see ``node_key``), so the same actor in two columns gives two distinct nodes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ssd_starter.core.vocabulary import CATEGORY_COLOURS, Category, FlowKind
from ssd_starter.i18n import N_, _, ngettext

MODES = ("actor", "category", "kind")
BOUNDARIES = ("inside", "leaving", "entering")
COLOUR_BY = ("kind", "boundary")

OUTSIDE = "*outside"
"""Ident of the node standing for everybody outside the district (no actor id contains ``*``)."""
OTHER = "*other"
"""Ident of the node that gathers the smallest nodes of a crowded column."""
UNCATEGORISED = "*none"

OUTSIDE_LABEL = N_("Outside the district")
UNCATEGORISED_LABEL = N_("No category")

# Okabe & Ito's palette (2008): told apart with every common colour-vision deficiency.
KIND_COLOURS: dict[str, str] = {
    FlowKind.GOODS: "#E69F00",  # orange
    FlowKind.SERVICES: "#56B4E9",  # sky blue
    FlowKind.MONEY: "#009E73",  # bluish green
    FlowKind.LABOUR: "#CC79A7",  # reddish purple
    FlowKind.KNOWLEDGE: "#0072B2",  # blue
    FlowKind.ENERGY: "#F0E442",  # yellow
    FlowKind.REUSE: "#D55E00",  # vermillion
}
BOUNDARY_COLOURS: dict[str, str] = {
    "inside": "#009E73",  # bluish green: what stays in the district
    "leaving": "#D55E00",  # vermillion
    "entering": "#0072B2",  # blue
}
BOUNDARY_LABELS: dict[str, str] = {
    "inside": N_("Inside the district"),
    "leaving": N_("Leaving the district"),
    "entering": N_("Entering the district"),
}
OUTSIDE_COLOUR = "#999999"
NODE_COLOUR = "#4D4D4D"
UNKNOWN_COLOUR = "#BBBBBB"  # a kind this version does not know (a newer file): still drawn

LINK_OPACITY = 0.55
"""Bands are see-through so the crossings stay readable; both renderers use this."""
LABEL_PAD = 4.0
"""Distance between a node and its label, in layout units."""
SWEEPS = 2
"""Barycenter sweeps (each forward and back): a couple remove most crossings; more rarely help."""

_COLUMNS_BY_MODE = {"actor": ("actor", "actor"), "category": ("category", "category"),
                    "kind": ("category", "kind", "category")}
_KIND_ORDER = {kind.value: n for n, kind in enumerate(FlowKind)}


@dataclass(frozen=True)
class SankeyNode:
    key: str
    label: str
    column: int
    x0: float
    x1: float
    y0: float
    y1: float
    value: float
    outside: bool
    members: int  # how many actors, categories or kinds were merged into it (1 normally)
    category: str = ""  # the actor's category, or the category itself: the node's colour (CATEGORY_COLOURS)

    @property
    def ident(self) -> str:
        """The actor id, category or kind value, ``OUTSIDE`` or ``OTHER``."""
        return self.key.split(":", 1)[1]


@dataclass(frozen=True)
class SankeyLink:
    source: str  # node keys
    target: str
    kind: str
    value: float
    boundary: str  # "inside", "leaving" (to Outside) or "entering" (from Outside)
    sy0: float  # band edges at the source side …
    sy1: float
    ty0: float  # … and at the target side
    ty1: float
    x0: float  # the source node's right edge
    x1: float  # the target node's left edge


@dataclass(frozen=True)
class SankeyLayout:
    width: float
    height: float
    nodes: tuple[SankeyNode, ...]  # column by column, top to bottom
    links: tuple[SankeyLink, ...]  # column by column, in the order of their source and target
    total: float  # the value of all the flows drawn
    dropped: int  # flows that cannot be drawn: no value, or neither end in the district
    mode: str = "actor"
    merged: int = 0  # actors, categories or kinds gathered into "Other …" nodes, all columns together
    merged_below: float = 0.0  # each of them carried less than this (the threshold a legend can state)
    _index: dict[str, SankeyNode] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {node.key: node for node in self.nodes})

    @property
    def columns(self) -> int:
        return max((node.column for node in self.nodes), default=-1) + 1

    def node(self, key: str) -> SankeyNode:
        return self._index[key]

    def column(self, column: int) -> list[SankeyNode]:
        return [node for node in self.nodes if node.column == column]


def node_key(column: int, ident: str) -> str:
    return f"{column}:{ident}"


def band_path(link: SankeyLink) -> list[tuple]:
    """The outline of a link band in layout coordinates: a ribbon whose two edges are cubic Béziers
    with horizontal tangents at both nodes. Commands: ("M", x, y), ("C", c1x, c1y, c2x, c2y, x, y),
    ("L", x, y), ("Z",) — the same for QPainterPath and a ReportLab Path, so both pictures match."""
    middle = (link.x0 + link.x1) / 2
    return [
        ("M", link.x0, link.sy0),
        ("C", middle, link.sy0, middle, link.ty0, link.x1, link.ty0),
        ("L", link.x1, link.ty1),
        ("C", middle, link.ty1, middle, link.sy1, link.x0, link.sy1),
        ("Z",),
    ]


def link_colour(link: SankeyLink, colour_by: str = "kind") -> str:
    if colour_by == "boundary":
        return BOUNDARY_COLOURS[link.boundary]
    return KIND_COLOURS.get(link.kind, UNKNOWN_COLOUR)


def node_colour(layout: SankeyLayout, node: SankeyNode) -> str:
    """Outside grey; a kind its colour; an actor or a category the map's category colour (one palette for
    the network, the grid, the Sankey diagram and the PDF); "Other" the neutral colour."""
    if node.outside:
        return OUTSIDE_COLOUR
    if layout.mode == "kind" and node.column == 1:
        return KIND_COLOURS.get(node.ident, NODE_COLOUR)
    return CATEGORY_COLOURS.get(node.category, NODE_COLOUR)


def label_positions(layout: SankeyLayout, line_height: float) -> dict[str, tuple[float, float, str, float]]:
    """Node key → (x, y, anchor, room): where its label goes, in layout coordinates.

    ``y`` is the middle of the text line, ``anchor`` "end" (text ends at x: the first column, labels
    on the left) or "start" (other columns, on the right), ``room`` the width the text may take.
    Labels of small neighbouring nodes would overprint one another: within a column they are pushed
    apart to ``line_height`` (a font-independent measure, so Qt and ReportLab agree) and kept inside
    the diagram's height.
    """
    result: dict[str, tuple[float, float, str, float]] = {}
    last = layout.columns - 1
    for column in range(layout.columns):
        nodes = layout.column(column)
        if column == 0:
            x, anchor, room = nodes[0].x0 - LABEL_PAD, "end", nodes[0].x0 - LABEL_PAD
        elif column == last:
            x, anchor, room = nodes[0].x1 + LABEL_PAD, "start", layout.width - nodes[0].x1 - LABEL_PAD
        else:
            following = layout.column(column + 1)[0].x0
            x, anchor, room = nodes[0].x1 + LABEL_PAD, "start", following - nodes[0].x1 - 2 * LABEL_PAD
        half = line_height / 2
        ys = [(node.y0 + node.y1) / 2 for node in nodes]
        for n in range(len(ys)):  # downwards, then back up from the bottom edge
            ys[n] = max(ys[n], half if n == 0 else ys[n - 1] + line_height)
        for n in reversed(range(len(ys))):
            ys[n] = min(ys[n], layout.height - half if n == len(ys) - 1 else ys[n + 1] - line_height)
        for node, y in zip(nodes, ys, strict=True):
            result[node.key] = (x, y, anchor, max(room, 0.0))
    return result


def wrap_label(text: str, room: float, width_of: Callable[[str], float], lines: int = 2) -> list[str]:
    """``text`` on at most ``lines`` lines of ``room`` width (measured by ``width_of``, Qt's or ReportLab's),
    broken between words; what still does not fit loses its middle, not its end, where similar names
    differ ("Cooperativa sociale … Germoglio")."""
    words = text.split()
    if not words:
        return [""]
    result: list[str] = []
    current = words[0]
    rest = words[1:]
    while rest and len(result) < lines - 1:
        candidate = current + " " + rest[0]
        if width_of(candidate) <= room:
            current = candidate
            rest = rest[1:]
        else:
            result.append(current)
            current, rest = rest[0], rest[1:]
    last = " ".join([current, *rest])
    if result:  # the lines before the last: a single word too wide loses its middle too
        result = [_squeeze(line, room, width_of) for line in result]
    return [*result, _squeeze(last, room, width_of)]


def _squeeze(text: str, room: float, width_of: Callable[[str], float]) -> str:
    """``text`` with its middle replaced by "…" until it fits: as much of the start as can be, and the
    last word whole where it fits (that is where similar names differ), else the end cut by characters."""
    if width_of(text) <= room:
        return text
    words = text.split()
    if len(words) > 1:
        last = words[-1]
        body = text[: len(text) - len(last)].rstrip()
        low, high = 0, len(body)  # the longest start that fits before "… last"
        while low < high:
            middle = (low + high + 1) // 2
            if width_of(body[:middle].rstrip() + "… " + last) <= room:
                low = middle
            else:
                high = middle - 1
        if low > 0:
            return body[:low].rstrip() + "… " + last
    head, tail = len(text) // 2, len(text) - len(text) // 2
    while head + tail > 1:
        if tail >= head:
            tail -= 1
        else:
            head -= 1
        candidate = text[:head].rstrip() + "…" + text[len(text) - tail:].lstrip() if tail else text[:head] + "…"
        if width_of(candidate) <= room:
            return candidate
    return "…"


def fit_labels(texts: Sequence[str], room: float, width_of: Callable[[str], float],
               lines: int = 2) -> list[list[str]]:
    """``wrap_label`` for each, and never two different names shortened to the same words: those that
    would be start their last line at the first word where they differ ("Cooperativa sociale La" /
    "Rete del Tesino" against "… / Ruota del Tesino")."""
    fitted = [wrap_label(text, room, width_of, lines) for text in texts]
    groups: dict[tuple[str, ...], list[int]] = {}
    for n, lines_of in enumerate(fitted):
        groups.setdefault(tuple(lines_of), []).append(n)
    for members in groups.values():
        if len({texts[n] for n in members}) < 2:
            continue
        split = [texts[n].split() for n in members]
        for n, words in zip(members, split, strict=True):
            others = [w for w in split if w != words]
            differs = min((next((k for k, (a, b) in enumerate(zip(words, other, strict=False)) if a != b),
                                min(len(words), len(other))) for other in others), default=0)
            differs = min(differs, len(words) - 1)
            head, rest = " ".join(words[:differs]), " ".join(words[differs:])
            if head and lines == 1:  # no line for the common start: "…" says something comes before
                fitted[n] = ["…" + _squeeze(rest, room - width_of("…"), width_of)]
            else:
                fitted[n] = ([_squeeze(head, room, width_of)] if head else []) + [_squeeze(rest, room, width_of)]
    return fitted


def _kind_label(kind: str) -> str:
    try:
        return FlowKind(kind).label
    except ValueError:
        return kind


def _category_label(category: str) -> str:
    if category == UNCATEGORISED:
        return _(UNCATEGORISED_LABEL)
    try:
        return Category(category).label
    except ValueError:
        return category


def _other_label(kind_of_node: str, count: int) -> str:
    if kind_of_node == "actor":
        text = ngettext("Other actor ({count})", "Other actors ({count})", count)
    elif kind_of_node == "category":
        text = ngettext("Other category ({count})", "Other categories ({count})", count)
    else:
        text = ngettext("Other kind ({count})", "Other kinds ({count})", count)
    return text.format(count=count)


def _kind_rank(kind: str) -> tuple[int, str]:
    return _KIND_ORDER.get(kind, len(_KIND_ORDER)), kind


def _boundary(source: str, target: str) -> str:
    if source == OUTSIDE:
        return "entering"
    return "leaving" if target == OUTSIDE else "inside"


def _weighted_crossings(left: Sequence[str], right: Sequence[str], weights: Mapping[tuple[str, str], float]) -> float:
    """Σ w·w' over pairs of links that cross between two columns: big bands crossing count most.

    O(|left|·|right|): a running total, per right-hand node, of what the nodes above sent there."""
    position = {ident: n for n, ident in enumerate(right)}
    rows: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for (a, b), weight in weights.items():
        rows[a].append((position[b], weight))
    above = [0.0] * (len(right) + 1)  # weight sent by the nodes above to right[j]
    crossings = 0.0
    for ident in left:
        row = rows.get(ident, [])
        if row:
            below_of = [0.0] * (len(right) + 1)  # below_of[j] = Σ above[j+1:]
            for j in range(len(right) - 1, -1, -1):
                below_of[j] = below_of[j + 1] + above[j + 1]
            crossings += sum(weight * below_of[j] for j, weight in row)
            for j, weight in row:
                above[j] += weight
    return crossings


def _order_columns(orders: list[list[str]], pinned: list[list[str]],
                   weights: list[dict[tuple[str, str], float]]) -> list[list[str]]:
    """Barycenter sweeps: each node moves to the weighted mean position of its neighbours in the
    column just ordered. The best order seen (fewest weighted crossings) wins, the value order
    included, so the sweeps never make things worse. Ties keep the current order: deterministic."""
    columns = len(orders)
    neighbours: list[list[dict[str, list[tuple[str, float]]]]] = [[defaultdict(list), defaultdict(list)]
                                                                  for _c in range(columns)]
    for c, pairs in enumerate(weights):  # [c][0]: towards c - 1; [c][1]: towards c + 1
        for (a, b), weight in sorted(pairs.items()):
            neighbours[c][1][a].append((b, weight))
            neighbours[c + 1][0][b].append((a, weight))

    def full(c: int, order: list[str]) -> list[str]:
        return order + pinned[c]

    def cost(current: list[list[str]]) -> float:
        return sum(_weighted_crossings(full(c, current[c]), full(c + 1, current[c + 1]), weights[c])
                   for c in range(columns - 1))

    def reorder(current: list[list[str]], c: int, reference: int, side: int) -> None:
        position = {ident: n for n, ident in enumerate(full(reference, current[reference]))}
        keyed = []
        for n, ident in enumerate(current[c]):
            links = neighbours[c][side].get(ident, [])
            total = sum(weight for _other, weight in links)
            centre = sum(position[other] * weight for other, weight in links) / total if total > 0 else float(n)
            keyed.append((centre, n, ident))
        current[c] = [ident for _centre, _n, ident in sorted(keyed)]

    best, best_cost = [list(order) for order in orders], cost(orders)
    current = [list(order) for order in orders]
    forward = [(c, c - 1, 0) for c in range(1, columns)]
    backward = [(c, c + 1, 1) for c in range(columns - 2, -1, -1)]
    for _sweep in range(SWEEPS):
        for half in (forward, backward):
            for c, reference, side in half:
                reorder(current, c, reference, side)
            candidate = cost(current)
            if candidate < best_cost:
                best, best_cost = [list(order) for order in current], candidate
    return best


def _scale(values: Sequence[float], room: float, minimum: float) -> float:
    """The largest k with Σ max(v·k, minimum) ≤ room: the smallest nodes take the minimum height and
    the others share what is left in proportion to their values."""
    ordered = sorted(values, reverse=True)
    proportional, share = len(ordered), math.fsum(ordered)
    while proportional > 1:
        k = (room - (len(ordered) - proportional) * minimum) / share
        if ordered[proportional - 1] * k >= minimum:
            return k
        proportional -= 1
        share -= ordered[proportional]
    return (room - (len(ordered) - 1) * minimum) / ordered[0]


def sankey_layout(actors: Iterable[Mapping[str, Any]], flows: Iterable[Mapping[str, Any]], *, mode: str = "actor",
                  kinds: Collection[str] | None = None, width: float = 1000, height: float = 600,
                  node_width: float = 14, gap: float = 6, max_nodes: int = 24, label_space: float = 160,
                  min_node_height: float = 2.0, min_share: float = 0.0) -> SankeyLayout:
    """Lay the flows out as columns of nodes joined by bands whose widths are the flows' values.

    Flows of no value are dropped (a band of width zero cannot be seen), and so are flows with
    neither end in the district (ids that are not among ``actors`` count as outside); ``dropped``
    counts both. ``kinds`` keeps only flows of those kinds (None: all). A column holds at most
    ``max_nodes`` nodes: the smallest are merged into one "Other …" node so 200 flows stay readable.
    Parallel flows (same two nodes, same kind) become one link. The Outside node comes last in its
    column, the "Other" node just above it; the rest start in decreasing value and are reordered by
    barycenter sweeps to reduce crossings. Heights are proportional to value with the same scale in
    every column (so a band is as wide at both ends), but never below ``min_node_height``. Room of
    ``label_space`` is kept left of the first column and right of the last for the labels. Nodes that
    carry less than ``min_share`` of their column's total are merged into "Other …" too (a crowd of
    small flows reads as one band); ``merged`` and ``merged_below`` say how many and under what value.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if width <= 0 or height <= 0 or node_width <= 0 or gap < 0 or label_space < 0 or min_node_height < 0:
        raise ValueError("width, height and node_width must be positive; gap, label_space and "
                         "min_node_height not negative")
    if max_nodes < 2:
        raise ValueError("max_nodes must be at least 2 (room for Other and Outside)")
    column_types = _COLUMNS_BY_MODE[mode]
    columns = len(column_types)
    wanted = None if kinds is None else {str(kind) for kind in kinds}
    by_id = {str(actor["id"]): actor for actor in actors}

    def ident_of(actor_id: Any) -> str:
        actor = by_id.get(str(actor_id)) if actor_id is not None else None
        if actor is None:
            return OUTSIDE
        if mode == "actor":
            return str(actor["id"])
        return str(actor.get("category") or UNCATEGORISED)

    # 1. Each drawable flow's path through the columns.
    dropped = 0
    routed: list[tuple[tuple[str, ...], str, float]] = []
    for flow in flows:
        kind = str(flow["kind"])
        if wanted is not None and kind not in wanted:
            continue
        try:
            value = float(flow.get("value_eur") or 0.0)
        except (TypeError, ValueError):
            value = 0.0
        source, target = ident_of(flow.get("source_id")), ident_of(flow.get("target_id"))
        if not (value > 0 and math.isfinite(value)) or source == target == OUTSIDE:
            dropped += 1
            continue
        path: tuple[str, ...] = (source, kind, target) if mode == "kind" else (source, target)
        routed.append((path, kind, value))
    if not routed:
        return SankeyLayout(float(width), float(height), (), (), 0.0, dropped, mode)

    # 2. Node values and merging of the smallest nodes.
    through: list[dict[str, list[float]]] = [defaultdict(list) for _c in range(columns)]
    for path, _kind, value in routed:
        for c, ident in enumerate(path):
            through[c][ident].append(value)
    merged_into: list[dict[str, str]] = []
    merged_count, merged_below = 0, 0.0
    members: list[dict[str, int]] = []
    tails: list[list[str]] = []
    heads: list[list[str]] = []
    values: list[dict[str, float]] = []
    for c in range(columns):
        value_of = {ident: math.fsum(flow_values) for ident, flow_values in through[c].items()}
        inner = sorted((ident for ident in value_of if ident != OUTSIDE), key=lambda i: (-value_of[i], i))
        room = max_nodes - (1 if OUTSIDE in value_of else 0)
        mapping = {ident: ident for ident in value_of}
        count = dict.fromkeys(value_of, 1)
        tail: list[str] = []
        floor = min_share * math.fsum(value_of.values())
        small = [ident for ident in inner if value_of[ident] < floor]
        keep_count = room - 1 if len(inner) > room else len(inner)
        if len(small) >= 2:  # merging one node into "Other (1)" would only rename it
            keep_count = min(keep_count, len(inner) - len(small))
        if keep_count < len(inner):
            kept, rest = inner[:keep_count], inner[keep_count:]
            merged_count += len(rest)
            merged_below = max(merged_below, max(value_of[ident] for ident in rest))
            for ident in rest:
                mapping[ident] = OTHER
            merged_values = [v for ident in rest for v in through[c][ident]]
            for ident in rest:
                del value_of[ident], count[ident]
            value_of[OTHER], count[OTHER] = math.fsum(merged_values), len(rest)
            inner, tail = kept, [OTHER]
        if OUTSIDE in value_of:
            tail.append(OUTSIDE)
        merged_into.append(mapping)
        members.append(count)
        heads.append(inner)
        tails.append(tail)
        values.append(value_of)

    # 3. Links: parallel flows aggregated.
    link_values: list[dict[tuple[str, str, str], list[float]]] = [defaultdict(list) for _c in range(columns - 1)]
    for path, kind, value in routed:
        for c in range(columns - 1):
            link_values[c][(merged_into[c][path[c]], merged_into[c + 1][path[c + 1]], kind)].append(value)
    links_by_column = [{key: math.fsum(vs) for key, vs in column.items()} for column in link_values]
    weights: list[dict[tuple[str, str], float]] = []
    for column_links in links_by_column:
        pairs: dict[tuple[str, str], float] = defaultdict(float)
        for (a, b, _kind), value in sorted(column_links.items()):
            pairs[a, b] += value
        weights.append(dict(pairs))

    # 4. Order within the columns.
    orders = [order + tails[c] for c, order in enumerate(_order_columns(heads, tails, weights))]

    # 5. Sizes: one scale for every column, minimum heights, gaps; the whole fits the height.
    crowd = max(len(order) for order in orders)
    fixed = (crowd - 1) * gap + crowd * min_node_height
    if fixed > height / 2:  # a small picture: shrink gaps and minimum alike so the values keep half
        gap, min_node_height = gap * height / 2 / fixed, min_node_height * height / 2 / fixed
    k = min(_scale([values[c][i] for i in order], height - (len(order) - 1) * gap, min_node_height)
            for c, order in enumerate(orders))
    label_space = min(label_space, max(0.0, (width - node_width * (2 * columns - 1)) / 2))
    if width - 2 * label_space < columns * node_width:
        raise ValueError("width is too small for the columns")
    step = (width - 2 * label_space - node_width) / (columns - 1)
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for c, order in enumerate(orders):
        heights = [max(values[c][ident] * k, min_node_height) for ident in order]
        y = max(0.0, (height - math.fsum(heights) - (len(order) - 1) * gap) / 2)
        x0 = label_space + c * step
        for ident, node_height in zip(order, heights, strict=True):
            boxes[node_key(c, ident)] = (x0, x0 + node_width, y, y + node_height)
            y += node_height + gap

    # 6. Bands: each node's links stacked in the order of the other ends, centred on the node.
    position = [{ident: n for n, ident in enumerate(order)} for order in orders]
    link_list = []
    for c, column_links in enumerate(links_by_column):
        for (a, b, kind), value in column_links.items():
            link_list.append((c, position[c][a], position[c + 1][b], _kind_rank(kind), a, b, kind, value))
    outgoing: dict[str, list[tuple]] = defaultdict(list)
    incoming: dict[str, list[tuple]] = defaultdict(list)
    for item in link_list:
        c, a_pos, b_pos, rank, a, b, _kind, _value = item
        outgoing[node_key(c, a)].append(((b_pos, rank), item))
        incoming[node_key(c + 1, b)].append(((a_pos, rank), item))
    edges: dict[tuple, tuple[float, float]] = {}
    edges_in: dict[tuple, tuple[float, float]] = {}
    for stacks, found in ((outgoing, edges), (incoming, edges_in)):
        for key, stack in stacks.items():
            stack.sort(key=lambda entry: entry[0])
            _x0, _x1, top, bottom = boxes[key]
            thickness = [item[-1] * k for _order, item in stack]
            y = top + max(0.0, (bottom - top - math.fsum(thickness)) / 2)
            for (_order, item), band in zip(stack, thickness, strict=True):
                found[item] = (y, y + band)
                y += band

    nodes = []
    for c, order in enumerate(orders):
        for ident in order:
            key = node_key(c, ident)
            x0, x1, y0, y1 = boxes[key]
            if ident == OUTSIDE:
                label = _(OUTSIDE_LABEL)
            elif ident == OTHER:
                label = _other_label(column_types[c], members[c][ident])
            elif column_types[c] == "actor":
                label = str(by_id[ident].get("name") or ident)
            elif column_types[c] == "category":
                label = _category_label(ident)
            else:
                label = _kind_label(ident)
            if column_types[c] == "actor" and ident in by_id:
                category = str(by_id[ident].get("category") or "")
            elif column_types[c] == "category" and ident not in (OUTSIDE, OTHER):
                category = ident
            else:
                category = ""
            nodes.append(SankeyNode(key, label, c, x0, x1, y0, y1, values[c][ident], ident == OUTSIDE,
                                    members[c][ident], category))
    links = []
    for item in sorted(link_list, key=lambda entry: entry[:4]):
        c, _a_pos, _b_pos, _rank, a, b, kind, value = item
        source, target = node_key(c, a), node_key(c + 1, b)
        sy0, sy1 = edges[item]
        ty0, ty1 = edges_in[item]
        links.append(SankeyLink(source, target, kind, value, _boundary(a, b), sy0, sy1, ty0, ty1,
                                boxes[source][1], boxes[target][0]))
    total = math.fsum(values[0].values())
    return SankeyLayout(float(width), float(height), tuple(nodes), tuple(links), total, dropped, mode,
                        merged_count, merged_below)
