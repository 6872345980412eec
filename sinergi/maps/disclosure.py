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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

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


def _interval(space: _Space, equations: list[_Equation], target: np.ndarray) -> tuple[float, float, set]:
    """Min and max of the sum of `target` over the feasible tables, and the binding equations."""
    c = np.zeros(space.size)
    c[target] = 1.0
    rows, cols = [], []
    for r, eq in enumerate(equations):
        rows.extend([r] * len(eq.idx))
        cols.extend(eq.idx.tolist())
    if equations:
        a_eq = csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(equations), space.size))
        b_eq = np.array([eq.rhs for eq in equations])
    else:
        a_eq = b_eq = None
    binding: set[int] = set()
    bounds = []
    for sign in (1.0, -1.0):
        res = linprog(sign * c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if res.status == 3:  # unbounded: the attacker learns nothing upwards
            bounds.append(sign * np.inf)
            continue
        if res.status != 0:  # the true table is feasible, so this is a solver failure: be safe
            raise RuntimeError(f"disclosure audit LP failed: {res.message}")
        bounds.append(sign * res.fun)
        if equations:
            binding |= {r for r, m in enumerate(res.eqlin.marginals) if abs(m) > EPS}
    low, high = bounds[0], bounds[1] if bounds[1] != -np.inf else np.inf
    return low, high, binding


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

    reasons: dict[Position, str] = {pos: PRIMARY for pos in everywhere if small(atoms, pos)}
    for i in range(n_rows):
        line = [space.value(space.vars_of(atoms, ("cell", i, j))) for j in range(n_cols)]
        if n_cols > 1 and sum(line) > 0 and sum(1 for v in line if v > 0) == 1:
            for j in range(n_cols):
                reasons.setdefault(("cell", i, j), GROUP)

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
    queue: list[tuple] = [(atoms, pos) for pos in reasons] + list(extra_targets)
    while queue:
        key = queue.pop(0)
        span, pos = key
        target = space.vars_of(span, pos)
        while True:
            eqs = equations()
            low, high, binding = _interval(space, eqs, target)
            if high - low >= protection - EPS:
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
            queue.append((atoms, candidates[0]))
        if span == atoms:
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


def protect_table(
    *,
    rows: Sequence[str],
    cols: Sequence[str],
    cells: Matrix,
    threshold: int,
    protection: int,
    col_thresholds: Sequence[int] | None = None,
) -> Protected:
    """One table on its own (no ledger): what `manage.py ila_suppress` applies."""
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
    out = {}
    for span, pos in targets:
        low, high, _binding = _interval(space, eqs, space.vars_of(span, pos))
        out[(tuple(span), pos)] = (low, high)
    return out
