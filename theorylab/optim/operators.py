"""Finite-sum linear operators F = (1/n) sum_i F_i and the resolvents J_{eta G} of simple sets.

Setting of Cai, Alacaoglu & Diakonikolas, "Variance Reduced Halpern Iteration for Finite-Sum Monotone
Inclusions" (ICLR 2024, arXiv 2310.02987), Section 2: find x with 0 in F(x) + G(x), F a finite sum of
single-valued components, G the normal cone of a simple set (so J_{eta G} is a Euclidean projection).

Every component here is affine, F_i(z) = M_i z - c_i, stored as *blocks*: a block adds
``data[off:off+len] * z[col]`` to ``out[row:row+len]``. Component ``i`` owns blocks
``comp_ptr[i]:comp_ptr[i+1]``; the full operator F (for the n-call full evaluation) owns the blocks of
index ``n``. This one layout covers dense per-component matrices (the cocoercive family, small d) and
the coordinate split of a large matrix used by the authors' code (each component touches two columns),
and lets the numba kernels of :mod:`theorylab.optim.kernels` run one generic loop for both.

The full operator's blocks reuse the component data (scaled by ``full_scale = 1/n`` for the coordinate
split) and are ordered by row so that four columns on the same rows are applied in one pass (register
blocking). For a skew "bipartite" matrix B = [[0, A^T], [-A, 0]] (bilinear games) ``full_mode = 1``:
only the columns of the second block are stored for F, each used twice, as an axpy (A^T y) and, by
skewness, as an inner product (-A x), so a full evaluation reads A once per product, as BLAS does.

Oracle convention (docs/topics/halpern.md#oracle-calls): one component evaluation F_i(.) = one oracle call; a full
evaluation F(.) = n calls; residual monitoring is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from theorylab.core.validate import check_array, check_int, check_positive

from theorylab.optim.projections import Projection, project_simplex, project_simplex_sort

__all__ = ["FiniteSumOperator", "Projection", "project_simplex", "project_simplex_sort"]


@dataclass(frozen=True)
class FiniteSumOperator:
    """Affine finite-sum operator F(z) = (1/n) sum_i (M_i z - c_i) in block layout.

    Build it with :meth:`from_components` (dense M_i) or :meth:`column_split` (components = column
    groups of one matrix, as in the authors' matrix-game and QP scripts).

    Attributes
    ----------
    n, d : int
        Number of components and dimension.
    comp_ptr : int64 array, shape (n + 2,)
        Block ranges; index ``n`` is the full operator.
    blk_col, blk_row, blk_len, blk_off : int64 arrays
        Block input coordinate, first output row, length and offset in ``data``.
    data : float64 array
    const_idx : int64 array, shape (n + 1,)
        Row of ``consts`` subtracted by component i (``n``: the full operator), -1 for none.
    consts : float64 array, shape (m, d)
    matrix, offset : arrays
        The full linear map F(z) = matrix @ z - offset (for references, exact solutions and norms).
    """

    n: int
    d: int
    comp_ptr: np.ndarray
    blk_col: np.ndarray
    blk_row: np.ndarray
    blk_len: np.ndarray
    blk_off: np.ndarray
    data: np.ndarray
    const_idx: np.ndarray
    consts: np.ndarray
    matrix: np.ndarray
    offset: np.ndarray
    component_matrices: object = field(default=None, repr=False)  # callable i -> (M_i, c_i)
    full_scale: float = 1.0  # multiplier of the full operator's blocks (1/n when they reuse component data)
    full_mode: int = 0  # 0: full blocks are axpy blocks; 1: skew bipartite B, each full block is used twice

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_components(cls, Ms, cs=None) -> "FiniteSumOperator":
        """Components F_i(z) = Ms[i] @ z - cs[i] (dense, d small).

        Parameters
        ----------
        Ms : array, shape (n, d, d)
        cs : array, shape (n, d), optional (zero by default)

        Examples
        --------
        >>> op = FiniteSumOperator.from_components(np.stack([np.eye(2), 3 * np.eye(2)]))
        >>> op.full(np.ones(2)).tolist()
        [2.0, 2.0]
        """
        Ms = check_array("Ms", Ms, ndim=3)
        n, d, d2 = Ms.shape
        check_int("n", n, minimum=1)
        check_int("d", d, minimum=1)
        if d != d2:
            raise ValueError(f"Ms must have shape (n, d, d), got {Ms.shape}")
        cs = np.zeros((n, d)) if cs is None else check_array("cs", cs, shape=(n, d))
        Mbar = Ms.mean(axis=0)
        cbar = cs.mean(axis=0)
        mats = [Ms[i] for i in range(n)] + [Mbar]
        cols, rows, lens, offs, ptr, chunks = [], [], [], [], [0], []
        off = 0
        for M in mats:
            for j in range(d):
                cols.append(j)
                rows.append(0)
                lens.append(d)
                offs.append(off)
                chunks.append(np.ascontiguousarray(M[:, j]))
                off += d
            ptr.append(len(cols))
        nonzero_c = bool(np.any(cs != 0))
        if nonzero_c:
            consts = np.vstack([cs, cbar[None, :]])
            const_idx = np.arange(n + 1, dtype=np.int64)
        else:
            consts = np.zeros((1, d))
            const_idx = -np.ones(n + 1, dtype=np.int64)
        return cls(n, d, np.asarray(ptr + [ptr[-1]], dtype=np.int64), np.asarray(cols, dtype=np.int64),
                   np.asarray(rows, dtype=np.int64), np.asarray(lens, dtype=np.int64),
                   np.asarray(offs, dtype=np.int64), np.concatenate(chunks), const_idx, consts,
                   Mbar.copy(), cbar.copy(), _DenseComponents(Ms, cs))

    @classmethod
    def column_split(cls, B, c=None, groups=None) -> "FiniteSumOperator":
        """Coordinate split of F(z) = B z - c: F_i(z) = n * B[:, groups[i]] z[groups[i]] - c.

        This is the split of the authors' code (matrix game: columns {i, m+i} of
        B = [[0, A^T], [-A, 0]]; QP: columns {i, n+i}). Each column is stored as its runs of
        nonzeros, so a component evaluation costs the nonzeros of its columns.

        Parameters
        ----------
        B : array, shape (d, d)
        c : array, shape (d,), optional
        groups : int array, shape (n, k); every coordinate in exactly one group

        Examples
        --------
        >>> B = np.array([[0., 1.], [-1., 0.]])
        >>> op = FiniteSumOperator.column_split(B, groups=[[0], [1]])
        >>> np.allclose(op.full([1., 2.]), B @ [1., 2.])
        True
        """
        B = check_array("B", B, ndim=2)
        d = B.shape[0]
        if B.shape != (d, d):
            raise ValueError(f"B must be square, got shape {B.shape}")
        c = np.zeros(d) if c is None else check_array("c", c, shape=(d,))
        groups = check_array("groups", groups if groups is not None else np.arange(d)[:, None], dtype=np.int64)
        if groups.ndim != 2 or groups.shape[0] < 1:
            raise ValueError(f"groups must be a 2-d integer array (n, k), got shape {groups.shape}")
        if sorted(groups.ravel().tolist()) != list(range(d)):
            raise ValueError("groups must contain every coordinate 0..d-1 exactly once")
        n = groups.shape[0]
        cols, rows, lens, offs, ptr, chunks = [], [], [], [], [0], []
        off = 0

        def add_column(j, scale):
            nonlocal off
            col = B[:, j]
            nz = np.flatnonzero(col != 0)
            if nz.size == 0:
                return
            breaks = np.flatnonzero(np.diff(nz) > 16)  # runs separated by <= 15 zeros are merged (dense columns)
            starts = np.concatenate([[nz[0]], nz[breaks + 1]])
            ends = np.concatenate([nz[breaks], [nz[-1]]]) + 1
            for s, e in zip(starts, ends):
                cols.append(j)
                rows.append(int(s))
                lens.append(int(e - s))
                offs.append(off)
                chunks.append(scale * col[s:e])
                off += int(e - s)

        for i in range(n):
            for j in groups[i]:
                add_column(int(j), float(n))
            ptr.append(len(cols))
        # the full operator reuses the component blocks (data scaled by n) with full_scale = 1/n
        nb = len(cols)
        split = _skew_bipartite_split(B)
        if split is None:  # blocks sorted by rows so that same-row columns are adjacent (register blocking)
            full_mode, keep = 0, sorted(range(nb), key=lambda b: (rows[b], lens[b], cols[b]))
        else:  # B = [[0, -C^T], [C, 0]]-like: column j >= split gives B[:, j] (axpy) and row j (dot, by skewness)
            full_mode = 1
            keep = sorted((b for b in range(nb) if cols[b] >= split), key=lambda b: (rows[b], lens[b], cols[b]))
        cols = cols + [cols[b] for b in keep]
        rows = rows + [rows[b] for b in keep]
        lens = lens + [lens[b] for b in keep]
        offs = offs + [offs[b] for b in keep]
        ptr.append(len(cols))
        if np.any(c != 0):
            consts, const_idx = c[None, :].copy(), np.zeros(n + 1, dtype=np.int64)
        else:
            consts, const_idx = np.zeros((1, d)), -np.ones(n + 1, dtype=np.int64)
        data = np.concatenate(chunks) if chunks else np.zeros(0)
        return cls(n, d, np.asarray(ptr, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                   np.asarray(rows, dtype=np.int64), np.asarray(lens, dtype=np.int64),
                   np.asarray(offs, dtype=np.int64), data, const_idx, consts, B.copy(), c.copy(),
                   _SplitComponents(B, c, groups), 1.0 / n, full_mode)

    # ----------------------------------------------------------------- evaluation (numpy reference)
    def component(self, i: int, z) -> np.ndarray:
        """F_i(z) (one oracle call), evaluated from the block layout in numpy."""
        i = check_int("i", i, minimum=0, maximum=self.n - 1)
        return self._apply(i, check_array("z", z, shape=(self.d,)))

    def full(self, z) -> np.ndarray:
        """F(z) = (1/n) sum_i F_i(z) (n oracle calls); ``z`` must have shape (d,)."""
        return self._apply(self.n, check_array("z", z, shape=(self.d,)))

    def _apply(self, i: int, z: np.ndarray) -> np.ndarray:
        out = np.zeros(self.d)
        bs = self.full_scale if i == self.n else 1.0
        for b in range(self.comp_ptr[i], self.comp_ptr[i + 1]):
            r, ln, o, j = self.blk_row[b], self.blk_len[b], self.blk_off[b], self.blk_col[b]
            out[r:r + ln] += bs * self.data[o:o + ln] * z[j]
            if i == self.n and self.full_mode == 1:
                out[j] -= bs * self.data[o:o + ln] @ z[r:r + ln]
        if self.const_idx[i] >= 0:
            out -= self.consts[self.const_idx[i]]
        return out

    @property
    def kernel_args(self) -> tuple:
        """Tuple for the kernels: (n, comp_ptr, col, row, len, off, data, const_idx, consts, full_scale, full_mode)."""
        return (np.int64(self.n), self.comp_ptr, self.blk_col, self.blk_row, self.blk_len, self.blk_off,
                self.data, self.const_idx, self.consts, float(self.full_scale), np.int64(self.full_mode))

    # ----------------------------------------------------------------- constants
    def lipschitz(self) -> float:
        """L_F = ||matrix||_2, the Lipschitz constant of F."""
        return float(np.linalg.norm(self.matrix, 2))

    def mean_square_lipschitz(self) -> float:
        """Smallest L with E_i ||F_i(u) - F_i(v)||^2 <= L^2 ||u - v||^2 (uniform sampling; the on-average Lipschitz assumption)."""
        fast = getattr(self.component_matrices, "mean_square_lipschitz", None)
        if fast is not None:
            return fast()
        acc = np.zeros((self.d, self.d))
        for i in range(self.n):
            M, _ = self.component_matrices(i)
            acc += M.T @ M
        return float(np.sqrt(max(np.linalg.eigvalsh(acc / self.n).max(), 0.0)))

    def cocoercivity(self) -> float:
        """max_i lambda_max(M_i) if every M_i is symmetric PSD (then on-average cocoercivity holds with this L), else inf."""
        worst = 0.0
        for i in range(self.n):
            M, _ = self.component_matrices(i)
            if not np.allclose(M, M.T, atol=1e-12 * max(1.0, np.abs(M).max())):
                return float("inf")
            ev = np.linalg.eigvalsh(M)
            if ev.min() < -1e-10 * max(1.0, ev.max()):
                return float("inf")
            worst = max(worst, float(ev.max()))
        return worst

    def solution(self) -> np.ndarray:
        """The zero of F when ``matrix`` is invertible (G = 0)."""
        return np.linalg.solve(self.matrix, self.offset)

    def check_monotone(self, seed: int = 0, pairs: int = 32, cocoercive: float | None = None) -> None:
        """Raise ValueError unless <F(u) - F(v), u - v> >= 0 (or >= ||F(u)-F(v)||^2 / cocoercive) on random pairs.

        ``pairs`` >= 1 random pairs are tried (a check of zero pairs would pass vacuously).
        """
        pairs = check_int("pairs", pairs, minimum=1, maximum=10**6)
        if cocoercive is not None:
            cocoercive = check_positive("cocoercive", cocoercive)
        rng = np.random.default_rng(check_int("seed", seed, minimum=0))
        for _ in range(pairs):
            u, v = rng.standard_normal(self.d), rng.standard_normal(self.d)
            g = self.matrix @ (u - v)
            inner = float(g @ (u - v))
            need = 0.0 if cocoercive is None else float(g @ g) / cocoercive
            if inner < need - 1e-9 * max(1.0, abs(need)):
                kind = "monotone" if cocoercive is None else f"(1/{cocoercive:.4g})-cocoercive"
                raise ValueError(f"operator is not {kind}: <F(u)-F(v), u-v> = {inner:.4g} < {need:.4g} on a random pair")


def _skew_bipartite_split(B):
    """k such that B = -B^T with zero diagonal blocks B[:k, :k], B[k:, k:] (bilinear games), else None."""
    d = B.shape[0]
    if d < 2 or d % 2 or not np.array_equal(B, -B.T):
        return None
    k = d // 2
    if np.any(B[:k, :k]) or np.any(B[k:, k:]):
        return None
    return k


class _DenseComponents:
    def __init__(self, Ms, cs):
        self.Ms, self.cs = Ms, cs

    def __call__(self, i):
        return self.Ms[i], self.cs[i]


class _SplitComponents:
    def __init__(self, B, c, groups):
        self.B, self.c, self.groups = B, c, groups

    def mean_square_lipschitz(self):
        # M_i = n B[:, g_i] E_i^T and the groups partition the coordinates, so (1/n) sum M_i^T M_i is
        # block diagonal with blocks n B_gi^T B_gi: L = sqrt(n) max_i ||B[:, g_i]||_2.
        n = self.groups.shape[0]
        return float(np.sqrt(n) * max(np.linalg.norm(self.B[:, g], 2) for g in self.groups))

    def __call__(self, i):
        n, d = self.groups.shape[0], self.B.shape[0]
        M = np.zeros((d, d))
        g = self.groups[i]
        M[:, g] = n * self.B[:, g]
        return M, self.c
