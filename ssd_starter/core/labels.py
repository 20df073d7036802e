"""Labels placed without collisions, the most important first: shared by the network view, the power/interest
grid and the dossier's pictures, so what the screen shows and what the paper prints follow one rule.

Greedy, as map labelling usually is: each label, in priority order, takes the first of a few places around
its point (right, left, above, below) that stays inside the bounds and overlaps no label placed before it
nor the point of a label placed before it; a label that finds no place is left out (its name is still in
the tooltip, the table and the numbered key). A spatial hash keeps each test to the few labels nearby, so
a few thousand candidates cost milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Rect = tuple[float, float, float, float]  # x, y, width, height (y downwards)

MASK_LIMIT = 6_000_000
"""Bounds up to this many unit cells are tested on a grid of cells, larger ones with a spatial hash."""


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


class _Mask:
    """Occupied area as a grid of unit cells (a pixel, a point), rectangles rounded outwards: a test is one
    numpy slice, so thousands of candidates cost milliseconds. Conservative: touching counts as overlapping."""

    def __init__(self, bounds: Rect) -> None:
        import numpy as np

        self.x0, self.y0 = math.floor(bounds[0]), math.floor(bounds[1])
        self.grid = np.zeros((math.ceil(bounds[3]) + 2, math.ceil(bounds[2]) + 2), dtype=bool)

    def _slice(self, rect: Rect) -> tuple[slice, slice]:
        left, top = max(math.floor(rect[0]) - self.x0, 0), max(math.floor(rect[1]) - self.y0, 0)
        right, bottom = math.ceil(rect[0] + rect[2]) - self.x0, math.ceil(rect[1] + rect[3]) - self.y0
        return slice(top, max(bottom, top)), slice(left, max(right, left))

    def hits(self, rect: Rect) -> bool:
        return bool(self.grid[self._slice(rect)].any())

    def add(self, rect: Rect) -> None:
        self.grid[self._slice(rect)] = True


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


class LabelPlacer:
    """The placement one label at a time (``offer``), so a long run can be spread over several turns of an
    event loop; ``place_labels`` does it in one go."""

    def __init__(self, bounds: Rect, *, limit: int | None = None, obstacles: Iterable[Rect] = (), gap: float = 2.0,
                 line_height: float = 10.0) -> None:
        self.bounds, self.limit, self.gap = bounds, limit, gap
        self.space: _Hash | _Mask = (_Mask(bounds) if 0 < bounds[2] * bounds[3] <= MASK_LIMIT
                                     else _Hash(max(4 * line_height, 16.0)))
        for rect in obstacles:
            self.space.add(rect)
        self.placed: list[PlacedLabel] = []

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.placed) >= self.limit

    def offer(self, request: LabelRequest) -> PlacedLabel | None:
        for rect in candidates(request, self.gap):
            if inside(rect, self.bounds) and not self.space.hits(rect):
                label = PlacedLabel(request.key, rect)
                self.placed.append(label)
                self.space.add(rect)
                r = request.radius
                self.space.add((request.x - r, request.y - r, 2 * r, 2 * r))  # no later label covers this point
                return label
        return None


def place_labels(requests: Iterable[LabelRequest], bounds: Rect, *, limit: int | None = None,
                 obstacles: Iterable[Rect] = (), gap: float = 2.0, tries: int | None = None,
                 line_height: float | None = None) -> list[PlacedLabel]:
    """Labels for ``requests`` (most important first) that overlap nothing placed before them, the
    ``obstacles`` (a legend, a title) nor the points of the labels already placed; at most ``limit``,
    and no more than ``tries`` requests looked at (``requests`` may be a generator: the rest is never made)."""
    if line_height is None:
        requests = list(requests)
        line_height = max((r.height for r in requests), default=10.0)
    placer = LabelPlacer(bounds, limit=limit, obstacles=obstacles, gap=gap, line_height=line_height)
    for tried, request in enumerate(requests):
        if placer.full or (tries is not None and tried >= tries):
            break
        placer.offer(request)
    return placer.placed
