"""Labels placed without collisions, the most important first: shared by the network view, the power/interest
grid and the dossier's pictures, so what the screen shows and what the paper prints follow one rule.

Greedy, as map labelling usually is: each label, in priority order, takes the first of a few places around
its point (right, left, above, below) that stays inside the bounds and overlaps no label placed before it
nor the point of a label placed before it; a label that finds no place is left out (its name is still in
the tooltip, the table and the numbered key). A spatial hash keeps each test to the few labels nearby, so
a few thousand candidates cost milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Rect = tuple[float, float, float, float]  # x, y, width, height (y downwards)


@dataclass(frozen=True)
class LabelRequest:
    key: str
    x: float  # the point labelled (a node's centre)
    y: float
    radius: float  # the node's radius: the label keeps clear of it
    width: float  # the text's size
    height: float


@dataclass(frozen=True)
class PlacedLabel:
    key: str
    rect: Rect


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def inside(rect: Rect, bounds: Rect) -> bool:
    return (rect[0] >= bounds[0] and rect[1] >= bounds[1] and rect[0] + rect[2] <= bounds[0] + bounds[2]
            and rect[1] + rect[3] <= bounds[1] + bounds[3])


def candidates(request: LabelRequest, gap: float = 2.0) -> list[Rect]:
    """The places tried, best first: right of the point, left, above, below."""
    x, y, r, w, h = request.x, request.y, request.radius, request.width, request.height
    return [(x + r + gap, y - h / 2, w, h), (x - r - gap - w, y - h / 2, w, h),
            (x - w / 2, y - r - gap - h, w, h), (x - w / 2, y + r + gap, w, h)]


class _Hash:
    """Rectangles by the grid cells they touch."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[Rect]] = {}

    def _keys(self, rect: Rect) -> Iterable[tuple[int, int]]:
        c = self.cell
        for i in range(int(rect[0] // c), int((rect[0] + rect[2]) // c) + 1):
            for j in range(int(rect[1] // c), int((rect[1] + rect[3]) // c) + 1):
                yield i, j

    def hits(self, rect: Rect) -> bool:
        return any(overlaps(rect, other) for key in self._keys(rect) for other in self.cells.get(key, ()))

    def add(self, rect: Rect) -> None:
        for key in self._keys(rect):
            self.cells.setdefault(key, []).append(rect)


def place_labels(requests: Sequence[LabelRequest], bounds: Rect, *, limit: int | None = None,
                 obstacles: Iterable[Rect] = (), gap: float = 2.0) -> list[PlacedLabel]:
    """Labels for ``requests`` (most important first) that overlap nothing placed before them, the
    ``obstacles`` (a legend, a title) nor the points of the labels already placed; at most ``limit``."""
    typical = max((r.height for r in requests), default=10.0)
    space = _Hash(max(4 * typical, 16.0))
    for rect in obstacles:
        space.add(rect)
    placed: list[PlacedLabel] = []
    for request in requests:
        if limit is not None and len(placed) >= limit:
            break
        for rect in candidates(request, gap):
            if inside(rect, bounds) and not space.hits(rect):
                placed.append(PlacedLabel(request.key, rect))
                space.add(rect)
                r = request.radius
                space.add((request.x - r, request.y - r, 2 * r, 2 * r))  # no later label covers this point
                break
    return placed
