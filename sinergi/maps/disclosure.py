"""Disclosure control for published tables of counts (DOMAIN.md §6). Pure: no Django, no database.

A table has rows (regions: kecamatan), columns (categories) and their margins (row totals, column
totals, the grand total). Before a table is published:

1. **Primary suppression**: every cell or margin from 1 to the threshold is hidden (0 is shown: a zero
   says nothing about a child). A column may have a higher threshold (sexual violence).
2. **Group disclosure**: when every case of a region falls in one category, the region's split is
   hidden (publishing "all 7 cases in Kecamatan X were sexual violence" tells each neighbour what
   happened to the child they know about).
3. **Secondary suppression**, audited by linear programming: an attacker who knows the published
   cells and margins (and every earlier release in the ledger) can only narrow a hidden cell to the
   interval [min, max] of that cell over all non-negative tables that agree with what was published.
   Each hidden cell's interval must be at least the protection width (Tau-Argus' protection interval),
   not merely "not derivable exactly". While a hidden cell fails, the published cell or margin whose
   equation binds it (a non-zero dual value in the LP) is hidden as well, smallest first.
4. **The release ledger**: a table covers one or more *atoms* (e.g. quarters); every earlier release is
   kept as the equations it revealed, re-evaluated on the current counts. A new release is audited
   together with them, so that differencing (Q1–Q2 minus Q1 = Q2) cannot reveal a small count: each
   atom's small cells, and each difference of two nested releases, are protected as well.

Hiding more only removes equations, so the feasible set grows and every interval can only widen: a
cell that passed the audit keeps passing, and only failing or newly hidden cells are audited again.
The worst case hides the whole new release, which reveals nothing beyond the ledger.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

PRIMARY = "primary"
SECONDARY = "secondary"
GROUP = "group"
REASONS = (PRIMARY, SECONDARY, GROUP)

# A position in a table: ("cell", i, j), ("row", i) for a row total, ("col", j), ("total",).
Position = tuple
Matrix = Sequence[Sequence[int]]
EPS = 1e-6


class DisclosureError(ValueError):
    """The input is not a table of non-negative counts with matching labels."""


@dataclass(frozen=True)
class Release:
    """What one published table revealed: the atoms it sums and the positions that were published."""

    atoms: tuple[str, ...]
    published: frozenset[Position]

    def as_dict(self) -> dict:
        return {"atoms": list(self.atoms), "published": sorted([list(p) for p in self.published])}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Release":
        return cls(
            atoms=tuple(data["atoms"]),
            published=frozenset(tuple(p[:1]) + tuple(int(x) for x in p[1:]) for p in data["published"]),
        )


@dataclass
class Protected:
    """A table ready to publish: each hidden cell or margin is None, with its reason."""

    rows: list[str]
    cols: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    col_totals: list[int | None]
    total: int | None
    reasons: dict[Position, str]
    release: Release
    widths: dict[Position, float] = field(default_factory=dict)

    def reason_list(self) -> list[dict]:
        """The reasons in a JSON-friendly shape: row/col label, None for a margin."""
        out = []
        for pos in sorted(self.reasons, key=_pos_order):
            row = self.rows[pos[1]] if pos[0] in ("cell", "row") else None
            col = self.cols[pos[2]] if pos[0] == "cell" else self.cols[pos[1]] if pos[0] == "col" else None
            out.append({"row": row, "col": col, "reason": self.reasons[pos]})
        return out


def _pos_order(pos: Position) -> tuple:
    return (("cell", "row", "col", "total").index(pos[0]), *pos[1:])


def positions(n_rows: int, n_cols: int) -> list[Position]:
    cells = [("cell", i, j) for i in range(n_rows) for j in range(n_cols)]
    return [*cells, *[("row", i) for i in range(n_rows)], *[("col", j) for j in range(n_cols)], ("total",)]


class _Space:
    """The LP's variables: one non-negative count per atom × row × column."""

    def __init__(self, atoms: Sequence[str], truth: Mapping[str, Matrix], n_rows: int, n_cols: int):
        self.atoms = list(atoms)
        self.n_rows, self.n_cols = n_rows, n_cols
        self.index = {atom: k for k, atom in enumerate(self.atoms)}
        self.x = np.array([np.asarray(truth[atom], dtype=float).reshape(n_rows, n_cols) for atom in self.atoms])
        self.size = self.x.size

    def vars_of(self, atoms: Sequence[str], pos: Position) -> np.ndarray:
        ks = [self.index[a] for a in atoms]
        grid = np.arange(self.size).reshape(len(self.atoms), self.n_rows, self.n_cols)[ks]
        if pos[0] == "cell":
            return grid[:, pos[1], pos[2]].ravel()
        if pos[0] == "row":
            return grid[:, pos[1], :].ravel()
        if pos[0] == "col":
            return grid[:, :, pos[1]].ravel()
        return grid.ravel()

    def value(self, idx: np.ndarray) -> float:
        return float(self.x.ravel()[idx].sum())


@dataclass
class _Equation:
    idx: np.ndarray
    rhs: float
    removable: Position | None  # a position of the new release (None: fixed by the ledger)


class _System:
    """The published equations of one state, with the variables they fix substituted out.

    Most published cells fix one variable each (x = v); removing them before the LP keeps it small.
    The binding equations come from the LP's duals; for a substituted equation x_k = v, its dual is the
    reduced cost of x_k (c_k minus the duals of the remaining equations that hold x_k).
    """

    def __init__(self, space: _Space, equations: list[_Equation]):
        self.space, self.equations = space, equations
        n = space.size
        self.fixed = np.full(n, np.nan)
        self.single = {}
        for r, eq in enumerate(equations):
            if len(eq.idx) == 1:
                self.fixed[eq.idx[0]] = eq.rhs
                self.single.setdefault(int(eq.idx[0]), []).append(r)
        self.free = np.flatnonzero(np.isnan(self.fixed))
        position = np.full(n, -1)
        position[self.free] = np.arange(len(self.free))
        fixed_values = np.nan_to_num(self.fixed)
        rows, cols, kept, rhs = [], [], [], []
        for r, eq in enumerate(equations):
            if len(eq.idx) == 1:
                continue
            free_idx = position[eq.idx]
            free_idx = free_idx[free_idx >= 0]
            if not len(free_idx):
                continue
            k = len(kept)
            kept.append(r)
            rows.extend([k] * len(free_idx))
            cols.extend(free_idx.tolist())
            rhs.append(eq.rhs - fixed_values[eq.idx].sum() + 0.0)
        self.kept = kept
        self.a_eq = csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(kept), len(self.free))) if kept else None
        self.b_eq = np.array(rhs) if kept else None
        self.position = position
        self.fixed_values = fixed_values
        # Which kept equations hold each variable (for the reduced costs of substituted variables).
        self.holders: dict[int, list[int]] = {}
        for k, r in enumerate(kept):
            for v in equations[r].idx.tolist():
                if not np.isnan(self.fixed[v]):
                    self.holders.setdefault(v, []).append(k)
        # Independent blocks of free variables (linked by no equation): one small LP per block.
        n_free = len(self.free)
        if kept:
            a = self.a_eq
            _n, self.block_of = connected_components((a.T @ a) != 0, directed=False)
            self.eq_block = np.array([self.block_of[a.indices[a.indptr[k]]] for k in range(len(kept))])
        else:
            self.block_of = np.arange(n_free)
            self.eq_block = np.zeros(0, dtype=int)
        self._blocks: dict[int, tuple] = {}

    def _block(self, b: int) -> tuple:
        if b not in self._blocks:
            cols = np.flatnonzero(self.block_of == b)
            rows = np.flatnonzero(self.eq_block == b)
            a = self.a_eq[rows][:, cols] if len(rows) else None
            self._blocks[b] = (cols, rows, a, self.b_eq[rows] if len(rows) else None)
        return self._blocks[b]

    def _optimum(self, free_target: np.ndarray, sign: float) -> tuple[float, np.ndarray]:
        """Sum over the target's blocks of max (sign −1) or min (sign +1); duals of the kept equations."""
        total = 0.0
        duals = np.zeros(len(self.kept))
        for b in np.unique(self.block_of[free_target]):
            cols, rows, a, b_eq = self._block(int(b))
            c = np.bincount(free_target, minlength=len(self.free))[cols].astype(float)
            if a is None:  # no equation holds these variables: unbounded above, 0 below
                if sign < 0:
                    return np.inf, duals
                continue
            res = linprog(sign * c, A_eq=a, b_eq=b_eq, bounds=(0, None), method="highs")
            if res.status == 3:  # unbounded: the attacker learns nothing upwards
                return np.inf, duals
            if res.status != 0:  # the true table is feasible, so this is a solver failure
                raise RuntimeError(f"disclosure audit LP failed: {res.message}")
            total += sign * res.fun
            duals[rows] = res.eqlin.marginals
        return total, duals

    def interval(self, target: np.ndarray, *, protection: float | None = None) -> tuple[float, float, set[int]]:
        """Min and max of the sum of `target` over the feasible tables, and the binding equations.

        With `protection`, stop after the maximum when it already decides: the true value lies in
        the interval, so max − truth ≥ protection passes, and max − (fixed part) < protection fails.
        The low end is then reported as the true value or the fixed part (a bound, not the minimum).
        """
        constant = float(self.fixed_values[target][~np.isnan(self.fixed[target])].sum())
        free_target = self.position[target]
        free_target = free_target[free_target >= 0]
        if not len(free_target):
            return constant, constant, {r for v in target.tolist() for r in self.single.get(int(v), [])}
        truth = self.space.value(target)
        target_set = set(target.tolist())
        binding: set[int] = set()

        def collect(duals: np.ndarray, sign: float) -> None:
            binding.update(self.kept[k] for k in np.flatnonzero(np.abs(duals) > EPS))
            for v, rows in self.single.items():
                reduced = (sign if v in target_set else 0.0) - sum(duals[k] for k in self.holders.get(v, ()))
                if abs(reduced) > EPS:
                    binding.update(rows)

        top, duals = self._optimum(free_target, -1.0)
        if top == np.inf:
            return truth, np.inf, binding
        high = top + constant
        collect(duals, -1.0)
        if protection is not None and high - truth >= protection - EPS:
            return truth, high, binding
        if protection is not None and high - constant < protection - EPS:
            return constant, high, binding
        bottom, duals = self._optimum(free_target, 1.0)
        collect(duals, 1.0)
        return bottom + constant, high, binding


def _exact(system: "_System", target: np.ndarray) -> bool:
    low, high, _binding = system.interval(target)
    return high - low < EPS


def _linked(atoms: tuple[str, ...], ledger: Sequence[Release]) -> list[Release]:
    """The earlier releases that share variables with this one, directly or through others.

    A release over other atoms only (an earlier quarter, when no table spans both) shares no equation
    with this one: its cells cannot be narrowed by it, so it is left out of the audit (exactly).
    """
    component = set(atoms)
    linked: list[Release] = []
    rest = list(ledger)
    grew = True
    while grew:
        grew = False
        for rel in list(rest):
            if component & set(rel.atoms):
                component |= set(rel.atoms)
                linked.append(rel)
                rest.remove(rel)
                grew = True
    return linked


def _threshold_of(pos: Position, threshold: int, col_thresholds: Sequence[int] | None) -> int:
    if col_thresholds is not None and pos[0] == "cell":
        return col_thresholds[pos[2]]
    if col_thresholds is not None and pos[0] == "col":
        return col_thresholds[pos[1]]
    return threshold


def _check(rows: Sequence[str], cols: Sequence[str], matrix: Matrix) -> None:
    if not rows or not cols:
        raise DisclosureError("a table needs at least one row and one column")
    if len(matrix) != len(rows) or any(len(line) != len(cols) for line in matrix):
        raise DisclosureError("cells must have one line per row and one value per column")
    for line in matrix:
        for value in line:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise DisclosureError("every cell must be a non-negative integer")


def _first_reasons(
    n_rows: int, n_cols: int, value: Callable[[Position], float], thr: Callable[[Position], int]
) -> dict[Position, str]:
    """The positions a table must hide before any audit: every cell or margin from 1 to its threshold
    (PRIMARY), and every cell of a row whose count stands in one column only (GROUP: the row total tells it)."""
    reasons: dict[Position, str] = {pos: PRIMARY for pos in positions(n_rows, n_cols) if 1 <= value(pos) <= thr(pos)}
    for i in range(n_rows):
        line = [value(("cell", i, j)) for j in range(n_cols)]
        if n_cols > 1 and sum(line) > 0 and sum(1 for v in line if v > 0) == 1:
            for j in range(n_cols):
                reasons.setdefault(("cell", i, j), GROUP)
    return reasons


def _matrix_value(cells: Matrix) -> Callable[[Position], int]:
    """A plain table's value at a position (a cell, a row or column total, the total)."""

    def value(pos: Position) -> int:
        if pos[0] == "cell":
            return cells[pos[1]][pos[2]]
        if pos[0] == "row":
            return sum(cells[pos[1]])
        if pos[0] == "col":
            return sum(line[pos[1]] for line in cells)
        return sum(sum(line) for line in cells)

    return value


def protect(
    *,
    rows: Sequence[str],
    cols: Sequence[str],
    truth: Mapping[str, Matrix],
    atoms: Sequence[str],
    threshold: int,
    protection: int,
    col_thresholds: Sequence[int] | None = None,
    ledger: Sequence[Release] = (),
) -> Protected:
    """Suppress a table that sums `atoms` of `truth` (atom → counts), audited with the earlier releases.

    `truth` must hold the current counts of every atom used by `atoms` and by the ledger's releases.
    """
    n_rows, n_cols = len(rows), len(cols)
    if not atoms:
        raise DisclosureError("a release covers at least one atom")
    if threshold < 0 or protection < 0:
        raise DisclosureError("threshold and protection cannot be negative")
    if col_thresholds is not None and len(col_thresholds) != n_cols:
        raise DisclosureError("one threshold per column")
    ledger = _linked(tuple(atoms), ledger)
    all_atoms = sorted({*atoms, *(a for rel in ledger for a in rel.atoms)})
    for atom in all_atoms:
        if atom not in truth:
            raise DisclosureError(f"no counts for atom {atom!r}")
        _check(rows, cols, truth[atom])
    space = _Space(all_atoms, truth, n_rows, n_cols)
    atoms = tuple(atoms)
    everywhere = positions(n_rows, n_cols)

    def thr(pos: Position) -> int:
        return _threshold_of(pos, threshold, col_thresholds)

    def small(atom_set: Sequence[str], pos: Position) -> bool:
        return 1 <= space.value(space.vars_of(atom_set, pos)) <= thr(pos)

    reasons = _first_reasons(n_rows, n_cols, lambda pos: space.value(space.vars_of(atoms, pos)), thr)

    ledger_equations = [
        _Equation(space.vars_of(rel.atoms, pos), space.value(space.vars_of(rel.atoms, pos)), None)
        for rel in ledger
        for pos in rel.published
    ]

    # What must stay protected besides the new release's hidden positions: the ledger's hidden
    # positions, every atom's small counts and every difference of two nested releases.
    extra_targets: dict[tuple, np.ndarray] = {}
    spans = {tuple(rel.atoms) for rel in ledger} | {atoms}
    derived = {(a,) for a in all_atoms} | {
        tuple(sorted(set(big) - set(little)))
        for big, little in combinations(sorted(spans, key=len, reverse=True), 2)
        if set(little) < set(big)
    }
    for span in derived - {atoms}:
        for pos in everywhere:
            if small(span, pos):
                extra_targets[(span, pos)] = space.vars_of(span, pos)
    for rel in ledger:
        for pos in everywhere:
            if pos not in rel.published and tuple(rel.atoms) != atoms:
                extra_targets[(tuple(rel.atoms), pos)] = space.vars_of(rel.atoms, pos)

    def equations() -> list[_Equation]:
        own = [
            _Equation(space.vars_of(atoms, pos), space.value(space.vars_of(atoms, pos)), pos)
            for pos in everywhere
            if pos not in reasons
        ]
        return ledger_equations + own

    def cost(pos: Position) -> tuple:
        # Smallest first, cells before margins (a hidden total costs readers most).
        return (pos[0] != "cell", space.value(space.vars_of(atoms, pos)), _pos_order(pos))

    widths: dict[Position, float] = {}
    system: _System | None = None
    released_once: set[Position] = set()
    queue: list[tuple] = [(atoms, pos) for pos in reasons] + list(extra_targets)
    while queue:
        span, pos = queue.pop(0)
        if span == atoms and pos not in reasons:
            continue  # published again since it was queued (implied by the others)
        target = space.vars_of(span, pos)
        while True:
            if system is None:
                system = _System(space, equations())
            eqs = system.equations
            low, high, binding = system.interval(target, protection=protection)
            if high - low >= protection - EPS:
                break
            implied = (
                span == atoms
                and reasons[pos] == SECONDARY
                and pos not in released_once
                and (high - low < EPS or _exact(system, target))
            )
            if implied:
                # Known exactly from what is published anyway (e.g. the sum of published quarters):
                # hiding it protects nothing, and publishing it changes no interval.
                del reasons[pos]
                released_once.add(pos)
                system = None
                break
            candidates = sorted({eqs[r].removable for r in binding if eqs[r].removable is not None}, key=cost)
            if not candidates:
                # Degenerate duals: anything published that shares a variable with the target.
                tset = set(target.tolist())
                candidates = sorted(
                    (eq.removable for eq in eqs if eq.removable is not None and tset & set(eq.idx.tolist())),
                    key=cost,
                )
            if not candidates:
                candidates = sorted((eq.removable for eq in eqs if eq.removable is not None), key=cost)
            if not candidates:
                break  # only the ledger binds it: nothing in this release can help
            reasons[candidates[0]] = SECONDARY
            system = None
            queue.append((atoms, candidates[0]))
        if span == atoms and pos in reasons:
            widths[pos] = high - low

    def shown(pos: Position) -> int | None:
        return None if pos in reasons else round(space.value(space.vars_of(atoms, pos)))

    return Protected(
        rows=list(rows),
        cols=list(cols),
        cells=[[shown(("cell", i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown(("row", i)) for i in range(n_rows)],
        col_totals=[shown(("col", j)) for j in range(n_cols)],
        total=shown(("total",)),
        reasons=reasons,
        release=Release(atoms=atoms, published=frozenset(p for p in everywhere if p not in reasons)),
        widths=widths,
    )


def _published_whole(rows: Sequence[str], cols: Sequence[str], cells: Matrix) -> Protected:
    n_rows, n_cols = len(rows), len(cols)
    return Protected(
        rows=list(rows),
        cols=list(cols),
        cells=[list(line) for line in cells],
        row_totals=[sum(line) for line in cells],
        col_totals=[sum(line[j] for line in cells) for j in range(n_cols)],
        total=sum(sum(line) for line in cells),
        reasons={},
        release=Release(atoms=("table",), published=frozenset(positions(n_rows, n_cols))),
        widths={},
    )


def protect_table(
    *,
    rows: Sequence[str],
    cols: Sequence[str],
    cells: Matrix,
    threshold: int,
    protection: int,
    col_thresholds: Sequence[int] | None = None,
) -> Protected:
    """One table on its own (no ledger): what `manage.py ila_suppress` applies.

    A table with nothing to hide (no cell or margin from 1 to its threshold, no row in one column only)
    is published whole without the audit, as `protect` would: the office map's kelurahan tables per
    kecamatan mostly are, and building the LP's state for each took a third of the analyst's request.
    """
    valid = threshold >= 0 and protection >= 0 and (col_thresholds is None or len(col_thresholds) == len(cols))
    if valid:
        _check(rows, cols, cells)  # what protect would refuse, refused alike
        thr = partial(_threshold_of, threshold=threshold, col_thresholds=col_thresholds)
        if not _first_reasons(len(rows), len(cols), _matrix_value(cells), thr):
            return _published_whole(rows, cols, cells)
    return protect(
        rows=rows,
        cols=cols,
        truth={"table": cells},
        atoms=("table",),
        threshold=threshold,
        protection=protection,
        col_thresholds=col_thresholds,
    )


def audit(
    *,
    truth: Mapping[str, Matrix],
    releases: Sequence[Release],
    targets: Sequence[tuple[Sequence[str], Position]],
    n_rows: int,
    n_cols: int,
) -> dict[tuple, tuple[float, float]]:
    """The attacker's interval for each target given every release (for tests and auditors)."""
    all_atoms = sorted({a for rel in releases for a in rel.atoms} | {a for span, _p in targets for a in span})
    space = _Space(all_atoms, truth, n_rows, n_cols)
    eqs = [
        _Equation(space.vars_of(rel.atoms, pos), space.value(space.vars_of(rel.atoms, pos)), None)
        for rel in releases
        for pos in rel.published
    ]
    system = _System(space, eqs)
    out = {}
    for span, pos in targets:
        low, high, _binding = system.interval(space.vars_of(span, pos))
        out[(tuple(span), pos)] = (low, high)
    return out
