"""Force-directed layout of the stakeholder network: ForceAtlas2 (Jacomy et al., 2014) in numpy, with the
all-pairs repulsion approximated on a grid (particle–mesh: masses spread on a grid, the 1/d field by FFT),
so one iteration costs O(n + m + G² log G) instead of O(n²).

Measured side by side at 5,000 actors / 20,000 relations on this project's 2-core machines (see
docs/network-layout.md): rustworkx's spring layout (all pairs) 2.9 s for 25 iterations and holding the
GIL; igraph's grid Fruchterman–Reingold and DrL are quicker but give no intermediate positions and no
pinned nodes for DrL; networkx's ForceAtlas2 is all pairs in numpy. This one streams frames: the view
draws the first within a few hundred milliseconds and the map settles in a couple of seconds.

Rules kept from the previous layout:
- stability: actors that already have a position keep it; only new actors are placed, next to the
  actors they are tied to. ``relayout`` moves everybody except the pinned actors;
- actors without any tie are not thrown to the edges by the forces: they sit in a tidy block below the
  network (``isolated_block`` says where, so the view can write how many there are);
- with nothing fixed, every connected group is laid out on its own and the groups are packed, the
  largest first, so a small group does not float away from the rest.

The functions here are pure (no Qt, no processes): ``ui/map/layout_process.py`` runs ``layout_frames``
in a child process and streams its frames to the view.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

Point = tuple[float, float]

EDGE_LENGTH = 70.0
"""About how long a tie between two actors of few ties is drawn, in scene units (a node is 6–15 wide)."""
ISOLATED_STEP = (200.0, 46.0)
"""Column and row pitch of the block of actors without ties: room for a name beside each dot."""
GAP = 2.5 * EDGE_LENGTH
"""Space between packed groups and above the block of isolated actors."""

_REPULSION = (EDGE_LENGTH / 2) ** 2 / 4  # two actors of one tie each balance at EDGE_LENGTH
_GRAVITY = 1.0
NEWCOMER_ITERATIONS = 30
GRID_PER_ROOT = 1.5
_GRID_SIZES = (48, 64, 80, 96, 120, 128, 144, 160, 180, 192)


@dataclass(frozen=True)
class LayoutFrame:
    """Positions of ``ids`` (row n is ids[n]) at one moment of the layout; ``final`` on the last frame."""

    positions: np.ndarray  # (n, 2) float64, scene coordinates
    final: bool
    isolated: int  # actors without a tie placed in the block
    isolated_origin: Point | None  # top-left of that block


@dataclass(frozen=True)
class _Problem:
    ids: list[str]
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    start: np.ndarray
    fixed: np.ndarray  # bool: stays where it is
    loose: np.ndarray  # indices of actors without ties that are not fixed: for the block


def spread(n: int) -> float:
    """Rough radius of a laid-out group of n actors, in scene units."""
    return EDGE_LENGTH * 0.9 * math.sqrt(max(n, 1))


def compute_layout(actor_ids: list[str], relations: Iterable[Mapping[str, Any]], known: Mapping[str, Point],
                   pinned: Iterable[str] = (), *, relayout: bool = False, seed: int = 7) -> dict[str, Point]:
    """Positions (scene coordinates) for every actor: the last frame of ``layout_frames``."""
    last: LayoutFrame | None = None
    for frame in layout_frames(actor_ids, relations, known, pinned, relayout=relayout, seed=seed):
        last = frame
    if last is None:
        return {}
    return positions_dict(actor_ids, last.positions, known if not relayout else {a: known[a] for a in pinned
                                                                                  if a in known})


def positions_dict(ids: Sequence[str], positions: np.ndarray, exact: Mapping[str, Point] = {}) -> dict[str, Point]:
    """{id: (x, y)}; those in ``exact`` exactly as given (a float32 round trip would move them a hair)."""
    result = {a: (float(x), float(y)) for a, (x, y) in zip(ids, positions.tolist(), strict=True)}
    result.update({a: (float(p[0]), float(p[1])) for a, p in exact.items() if a in result})
    return result


def layout_frames(actor_ids: list[str], relations: Iterable[Mapping[str, Any]], known: Mapping[str, Point],
                  pinned: Iterable[str] = (), *, relayout: bool = False, seed: int = 7,
                  frame_every: int = 10) -> Iterator[LayoutFrame]:
    """The layout as it goes: a first frame at once (the starting positions), then one every
    ``frame_every`` iterations, the last with ``final`` set."""
    if not actor_ids:
        return
    problem = _problem(actor_ids, relations, known, set(pinned), relayout, seed)
    if problem.fixed.all():
        yield LayoutFrame(problem.start, True, 0, None)
        return
    if problem.fixed.any():
        yield from _anchored(problem, frame_every)
    else:
        yield from _packed(problem, seed, frame_every)


# -- the problem ----------------------------------------------------------------------------


def _problem(actor_ids: list[str], relations: Iterable[Mapping[str, Any]], known: Mapping[str, Point],
             pinned: set[str], relayout: bool, seed: int) -> _Problem:
    index = {a: n for n, a in enumerate(actor_ids)}
    pairs: dict[tuple[int, int], float] = {}
    for relation in relations:
        s, t = index.get(relation["source_id"]), index.get(relation["target_id"])
        if s is None or t is None or s == t:
            continue
        key = (s, t) if s < t else (t, s)
        pairs[key] = pairs.get(key, 0.0) + float(relation.get("strength") or 1)  # both ways: one stronger tie
    n = len(actor_ids)
    source = np.fromiter((k[0] for k in pairs), dtype=np.int64, count=len(pairs))
    target = np.fromiter((k[1] for k in pairs), dtype=np.int64, count=len(pairs))
    weight = np.fromiter(pairs.values(), dtype=np.float64, count=len(pairs))
    keep = pinned if relayout else set(known)
    fixed = np.array([a in keep and a in known for a in actor_ids], dtype=bool)
    start = np.zeros((n, 2))
    for a in keep:
        if a in known and a in index:
            start[index[a]] = known[a]
    degree = np.bincount(source, minlength=n) + np.bincount(target, minlength=n)
    loose = np.flatnonzero((degree == 0) & ~fixed)
    rng = np.random.default_rng(seed)
    moving = ~fixed
    moving[loose] = False
    if fixed.any():
        _place_next_to_neighbours(start, fixed, moving, source, target, rng)
    else:
        radius = spread(int(moving.sum()))
        angle, r = rng.uniform(0, 2 * math.pi, n), radius * np.sqrt(rng.uniform(0, 1, n))
        start[moving] = np.column_stack((r * np.cos(angle), r * np.sin(angle)))[moving]
    return _Problem(list(actor_ids), source, target, weight, start, fixed, loose)


def _place_next_to_neighbours(start: np.ndarray, fixed: np.ndarray, moving: np.ndarray, source: np.ndarray,
                              target: np.ndarray, rng: np.random.Generator) -> None:
    """A newcomer starts at the mean of its placed neighbours (a few rounds reach neighbours of
    neighbours), plus a little jitter; one with no placed neighbour, beside the map."""
    placed = fixed.copy()
    n = len(start)
    for _round in range(6):
        if placed[moving].all():
            break
        total, count = np.zeros((n, 2)), np.zeros(n)
        for a, b in ((source, target), (target, source)):
            use = placed[b] & ~placed[a]
            np.add.at(total, a[use], start[b[use]])
            np.add.at(count, a[use], 1)
        new = (count > 0) & moving & ~placed
        if not new.any():
            break
        start[new] = total[new] / count[new, None] + rng.normal(0, EDGE_LENGTH / 3, (int(new.sum()), 2))
        placed |= new
    rest = moving & ~placed
    if rest.any():
        bounds = start[placed]
        right, middle = bounds[:, 0].max() + GAP, bounds[:, 1].mean()
        radius = spread(int(rest.sum()))
        start[rest] = np.column_stack((right + rng.uniform(0, radius, int(rest.sum())),
                                       middle + rng.uniform(-radius, radius, int(rest.sum()))))


# -- modes ----------------------------------------------------------------------------------


def _anchored(problem: _Problem, frame_every: int) -> Iterator[LayoutFrame]:
    """Some actors stay where they are: the others move among them in the same coordinates."""
    positions = problem.start.copy()
    loose = problem.loose
    moving = ~problem.fixed
    moving[loose] = False
    origin = _isolated_origin(positions, ~np.isin(np.arange(len(positions)), loose))
    _place_isolated(positions, loose, origin)
    yield LayoutFrame(positions.copy(), False, len(loose), origin if len(loose) else None)
    if moving.any():
        # a few newcomers among many placed actors: a short run from beside their neighbours, or the forces
        # of the whole map would push each to its rim; a relayout around pins gets the full run
        few = moving.sum() < 0.2 * len(positions)
        iterations = NEWCOMER_ITERATIONS if few else _iterations(int(moving.sum()))
        for step, current in _forceatlas2(positions, problem.source, problem.target, problem.weight,
                                          problem.fixed | np.isin(np.arange(len(positions)), loose), iterations,
                                          frame_every, spacing=1.0 if few else None):
            positions = current
            if step < iterations:
                yield LayoutFrame(positions.copy(), False, len(loose), origin if len(loose) else None)
    yield LayoutFrame(positions, True, len(loose), origin if len(loose) else None)


def _packed(problem: _Problem, seed: int, frame_every: int) -> Iterator[LayoutFrame]:
    """Nothing fixed: each connected group laid out on its own, groups packed largest first into
    slots sized for them, actors without ties in a block below."""
    n = len(problem.ids)
    groups = [g for g in _components(n, problem.source, problem.target) if len(g) > 1]
    groups.sort(key=lambda g: (-len(g), int(g[0])))
    slots = _pack([spread(len(g)) for g in groups])
    positions = problem.start.copy()
    for group, (cx, cy, radius) in zip(groups, slots, strict=True):
        positions[group] = _fit_into(positions[group], cx, cy, radius)
    tied = np.zeros(n, dtype=bool)
    for group in groups:
        tied[group] = True
    loose = problem.loose
    origin = _isolated_origin_for_slots(slots) if len(loose) else None
    if origin is not None:
        _place_isolated(positions, loose, origin)
    yield LayoutFrame(positions.copy(), False, len(loose), origin)
    # One simulation for all the groups at once (the grid is shared) would let them push each other:
    # each group runs in its own coordinates; frames interleave so all settle together.
    runs = []
    for group, slot in zip(groups, slots, strict=True):
        if len(group) <= 3:  # a pair or a triangle needs no forces
            positions[group] = _small_group(len(group), slot)
            continue
        local = np.searchsorted(group, problem.source), np.searchsorted(group, problem.target)
        inside = np.isin(problem.source, group) & np.isin(problem.target, group)
        src, dst = local[0][inside], local[1][inside]
        start = positions[group] - np.array(slot[:2])
        iterations = _iterations(len(group))
        runs.append((group, slot, iterations,
                     _forceatlas2(start, src, dst, problem.weight[inside], np.zeros(len(group), dtype=bool),
                                  iterations, frame_every)))
    finished: set[int] = set()
    while len(finished) < len(runs):
        for number, (group, slot, _iterations_of, frames) in enumerate(runs):
            if number in finished:
                continue
            try:
                _step, local_positions = next(frames)
            except StopIteration:
                finished.add(number)
                continue
            positions[group] = _fit_into(local_positions, slot[0], slot[1], slot[2])
        if origin is not None:  # right under the groups as they are drawn now, not under their slots
            origin = _isolated_origin(positions, tied)
            _place_isolated(positions, loose, origin)
        if len(finished) < len(runs):
            yield LayoutFrame(positions.copy(), False, len(loose), origin)
    yield LayoutFrame(positions, True, len(loose), origin)


def _iterations(n: int) -> int:
    """Enough for the map to settle: large maps start from a coarse layout and need fewer per node."""
    return int(min(400, max(120, 60 * math.log10(max(n, 10)))))


# -- ForceAtlas2 ----------------------------------------------------------------------------


def _forceatlas2(start: np.ndarray, source: np.ndarray, target: np.ndarray, weight: np.ndarray,
                 fixed: np.ndarray, iterations: int, frame_every: int,
                 spacing: float | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Iterate ForceAtlas2 (lin-lin, degree-weighted repulsion, adaptive speed as in Gephi) and yield
    (iteration, positions) every ``frame_every`` iterations and at the end."""
    positions = start.astype(np.float64).copy()
    n = len(positions)
    mass = 1.0 + np.bincount(source, minlength=n) + np.bincount(target, minlength=n)
    moving = ~fixed
    previous = np.zeros_like(positions)
    speed, efficiency = 1.0, 1.0
    centre = positions[fixed].mean(axis=0) if fixed.any() else np.zeros(2)
    spacing = _spacing(n) if spacing is None else spacing
    for iteration in range(1, iterations + 1):
        force = _repulsion(positions, mass) * spacing
        delta = positions[target] - positions[source]
        pull = delta * weight[:, None]
        for axis in (0, 1):  # bincount: ten times quicker than np.add.at
            force[:, axis] += (np.bincount(source, weights=pull[:, axis], minlength=n)
                               - np.bincount(target, weights=pull[:, axis], minlength=n))
        towards = centre - positions
        distance = np.sqrt((towards**2).sum(axis=1)) + 1e-9
        force += _GRAVITY * (mass / distance)[:, None] * towards
        force[~moving] = 0.0
        swinging = mass * np.sqrt(((force - previous) ** 2).sum(axis=1))
        traction = mass * np.sqrt(((force + previous) ** 2).sum(axis=1)) / 2
        speed, efficiency = _adapt_speed(speed, efficiency, float(swinging.sum()), float(traction.sum()), n)
        factor = speed / (1.0 + np.sqrt(speed * swinging))
        # a node never jumps further than a tie's length in one step: keeps the first, wild steps sane
        step = force * factor[:, None]
        length = np.sqrt((step**2).sum(axis=1))
        too_far = length > EDGE_LENGTH
        step[too_far] *= (EDGE_LENGTH / length[too_far])[:, None]
        positions += step
        previous = force
        if iteration % frame_every == 0 or iteration == iterations:
            yield iteration, positions


def _spacing(n: int) -> float:
    """Stronger repulsion for small maps (as Gephi's ForceAtlas2 scales them up): 40 actors and their
    names need the room, 5,000 would only spread out of sight."""
    return 1.0 + 3.0 * math.exp(-n / 300)


def _adapt_speed(speed: float, efficiency: float, swinging: float, traction: float, n: int) -> tuple[float, float]:
    """Gephi's ForceAtlas2 global speed: faster while the nodes move steadily, slower while they swing."""
    estimated = 0.05 * math.sqrt(n)
    tolerance = max(math.sqrt(estimated), min(10.0, estimated * traction / max(n * n, 1)))
    if traction > 0 and swinging / traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        tolerance = max(tolerance, 1.0)
    target = tolerance * efficiency * traction / swinging if swinging > 0 else speed
    if swinging > tolerance * traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    return speed + min(target - speed, 0.5 * speed), efficiency


def _repulsion(positions: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Σ_j k·m_i·m_j·(x_i − x_j)/|x_i − x_j|² for every i, on a grid: masses spread on the four
    nearest grid points, the field as the convolution of that density with the 1/d kernel (FFT),
    read back at each node the same way. Exact for far pairs, smoothed within a grid cell."""
    n = len(positions)
    if n < 2:
        return np.zeros_like(positions)
    if n <= 400:
        return _repulsion_exact(positions, mass)
    size = _grid_size(n)
    low = positions.min(axis=0)
    extent = float((positions.max(axis=0) - low).max()) or 1.0
    cell = extent * 1.0001 / (size - 1)
    grid = (positions - low) / cell
    corner = np.minimum(np.floor(grid).astype(np.int64), size - 2)
    frac = grid - corner
    weights = ((1 - frac[:, 0]) * (1 - frac[:, 1]), frac[:, 0] * (1 - frac[:, 1]),
               (1 - frac[:, 0]) * frac[:, 1], frac[:, 0] * frac[:, 1])
    cells = (corner[:, 0] * size + corner[:, 1], (corner[:, 0] + 1) * size + corner[:, 1],
             corner[:, 0] * size + corner[:, 1] + 1, (corner[:, 0] + 1) * size + corner[:, 1] + 1)
    density = np.zeros(size * size)
    for where, share in zip(cells, weights, strict=True):
        density += np.bincount(where, weights=mass * share, minlength=size * size)
    spectrum = np.fft.rfft2(density.reshape(size, size), s=(2 * size, 2 * size))
    kernel_x, kernel_y = _kernels(size)
    field_x = np.fft.irfft2(spectrum * kernel_x, s=(2 * size, 2 * size))[:size, :size].ravel()
    field_y = np.fft.irfft2(spectrum * kernel_y, s=(2 * size, 2 * size))[:size, :size].ravel()
    force = np.zeros_like(positions)
    for where, share in zip(cells, weights, strict=True):
        force[:, 0] += field_x[where] * share
        force[:, 1] += field_y[where] * share
    return force * (_REPULSION * mass / cell)[:, None]


def _repulsion_exact(positions: np.ndarray, mass: np.ndarray) -> np.ndarray:
    delta = positions[:, None, :] - positions[None, :, :]
    distance2 = (delta**2).sum(axis=2)
    np.fill_diagonal(distance2, np.inf)
    distance2 = np.maximum(distance2, 1e-6)
    strength = _REPULSION * mass[:, None] * mass[None, :] / distance2
    return (delta * strength[:, :, None]).sum(axis=1)


def _grid_size(n: int) -> int:
    """Grid points per side: one and a half per actor's share of the width, so neighbours rarely share a
    cell; rounded up to a size whose doubled FFT is quick (factors 2, 3, 5 only)."""
    wanted = GRID_PER_ROOT * math.sqrt(n)
    return next((size for size in _GRID_SIZES if size >= wanted), _GRID_SIZES[-1])


@lru_cache(maxsize=8)
def _kernels(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The spectra of the kernel (dx, dy)/(dx² + dy²) in grid units, laid out for a circular
    convolution on a (2·size)² grid (negative offsets wrapped to the end)."""
    offsets = np.arange(2 * size)
    offsets = np.where(offsets < size, offsets, offsets - 2 * size).astype(np.float64)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    distance2 = dx**2 + dy**2
    distance2[0, 0] = 1.0
    kx, ky = dx / distance2, dy / distance2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


# -- groups, packing and the isolated block -------------------------------------------------


def _components(n: int, source: np.ndarray, target: np.ndarray) -> list[np.ndarray]:
    """Connected groups as sorted index arrays (union–find with path halving)."""
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for a, b in zip(source.tolist(), target.tolist(), strict=True):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([root(i) for i in range(n)])
    order = np.argsort(roots, kind="stable")
    boundaries = np.flatnonzero(np.diff(roots[order])) + 1
    return [np.sort(part) for part in np.split(order, boundaries)]


def _pack(radii: Sequence[float]) -> list[tuple[float, float, float]]:
    """Circles of these radii (largest first) in rows under the first, centred: (cx, cy, radius).
    Rows are filled left to right up to the width of the largest group, so the picture stays compact."""
    if not radii:
        return []
    slots = [(0.0, 0.0, radii[0])]
    width = max(2 * radii[0], 6 * GAP)
    top = radii[0] + GAP
    row: list[float] = []
    row_height = 0.0

    def flush() -> None:
        nonlocal top, row_height
        if not row:
            return
        used = sum(2 * r for r in row) + GAP * (len(row) - 1)
        x = -used / 2
        for r in row:
            slots.append((x + r, top + row_height / 2, r))
            x += 2 * r + GAP
        top += row_height + GAP
        row.clear()
        row_height = 0.0

    for radius in radii[1:]:
        if row and sum(2 * r for r in row) + GAP * len(row) + 2 * radius > width:
            flush()
        row.append(radius)
        row_height = max(row_height, 2 * radius)
    flush()
    return slots


def _fit_into(points: np.ndarray, cx: float, cy: float, radius: float) -> np.ndarray:
    """The points centred on (cx, cy) and scaled down, never up, to lie within the radius."""
    if len(points) == 0:
        return points
    centred = points - points.mean(axis=0)
    reach = float(np.sqrt((centred**2).sum(axis=1)).max())
    scale = min(1.0, radius / reach) if reach > 0 else 1.0
    return centred * scale + np.array([cx, cy])


def _small_group(size: int, slot: tuple[float, float, float]) -> np.ndarray:
    cx, cy, _radius = slot
    angles = np.arange(size) * 2 * math.pi / size - math.pi / 2
    r = EDGE_LENGTH / 2 if size == 2 else EDGE_LENGTH / math.sqrt(3)
    return np.column_stack((cx + r * np.cos(angles), cy + r * np.sin(angles)))


def _isolated_origin_for_slots(slots: Sequence[tuple[float, float, float]]) -> Point:
    if not slots:
        return (0.0, 0.0)
    left = min(cx - r for cx, _cy, r in slots)
    bottom = max(cy + r for _cx, cy, r in slots)
    return (left, bottom + GAP)


def _isolated_origin(positions: np.ndarray, placed: np.ndarray) -> Point:
    if not placed.any():
        return (0.0, 0.0)
    points = positions[placed]
    return (float(points[:, 0].min()), float(points[:, 1].max()) + GAP)


def isolated_columns(count: int) -> int:
    """Columns of the block of actors without ties: about twice as wide as tall, names included."""
    return max(1, min(count, int(math.ceil(math.sqrt(count * 2 * ISOLATED_STEP[1] / ISOLATED_STEP[0] * 2)))))


def _place_isolated(positions: np.ndarray, loose: np.ndarray, origin: Point) -> None:
    if len(loose) == 0:
        return
    columns = isolated_columns(len(loose))
    rows, cols = np.divmod(np.arange(len(loose)), columns)
    positions[loose, 0] = origin[0] + cols * ISOLATED_STEP[0]
    positions[loose, 1] = origin[1] + ISOLATED_STEP[1] + rows * ISOLATED_STEP[1]
