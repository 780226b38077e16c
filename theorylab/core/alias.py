"""Binomial draws in constant time: Walker's alias method on the Binomial(n, p) pmf.

Phased bandit simulators (DP-BAI, Successive Rejects, Sequential Halving) draw a Bernoulli arm's phase
sum as one Binomial(n, mu) variate. The pairs (n, mu) that occur are few (a pull count per phase, times
the arm means), while the number of draws per pair is large, so each pair gets an alias table once
(O(width) to build) and every draw then costs one 64-bit word of the run's stream
(:mod:`theorylab.core.streams`) and two table reads.

A draw uses the whole word in integer arithmetic: the cell is the high half of the 128-bit product
word x width, j = floor(word width / 2^64), and the coin is its low half, frac = word width mod 2^64,
compared with the cell's threshold stored as a 64-bit integer (thresh 2^64). Given the cell, frac runs
over a lattice of step ``width`` in [0, 2^64), so cell and coin are exact to width / 2^64 (about 2^-55
for the widths that occur), with no floating-point conversion on the way. (The earlier floating-point
version, u = 53-bit uniform x width, gives the same draw except within 2^-44 of a cell or coin boundary.)
:func:`alias_cell` (the arithmetic) and :func:`alias_pick` (the two table reads) are separate so that the
phase kernel can compute the cells of a whole block of runs in one vectorised loop.

The table covers the window [lo, hi] around the mode outside which the Binomial tail mass is below
1e-20 (never observable at the 2^-53 resolution of the uniforms); inside it the probabilities are the
exact pmf (log-gamma at the mode, then the ratio recurrence), up to double rounding. [OURS: the
sampler; the law is exactly the Binomial of the model.]

Tables are kept in one process-wide :class:`AliasTables` store (flat arrays + offsets), keyed by
(n, p) only: which sampler a run uses never depends on the batch it is in.
"""

from __future__ import annotations

import math
import threading

import numpy as np
from numba import njit

from theorylab.core.bits import mul_wide, select_unpredictable
from theorylab.core.streams import next_word
from theorylab.core.validate import check_int, check_real

__all__ = ["AliasTables", "TABLES", "binomial_window", "alias_build", "threshold_words", "binomial_batch"]

_TAIL = 1e-20
_TWO64 = 18446744073709551616.0
_MAX64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_MAX_WIDTH = 2 ** 32           # far beyond any memory the store may hold (limit 5e6 entries)


@njit(cache=True)
def binomial_window(n, p):
    """(lo, pmf over lo..hi) of Binomial(n, p), truncated where the tail mass is below 1e-20.

    Parameters
    ----------
    n : int
        Number of trials, n >= 1.
    p : float
        Success probability, 0 < p < 1 (the degenerate cases are handled by the callers, not here).

    Returns
    -------
    lo : int
        The smallest value of the window.
    pmf : numpy.ndarray of float, shape (hi - lo + 1,)
        ``pmf[k]`` is P(X = lo + k), from log-gamma at the mode and the ratio recurrence, renormalised
        to sum to 1 over the window (each dropped tail has mass < 1e-20).
    """
    q = 1.0 - p
    mode = min(n, int(math.floor((n + 1) * p)))
    log_pm = (math.lgamma(n + 1.0) - math.lgamma(mode + 1.0) - math.lgamma(n - mode + 1.0)
              + mode * math.log(p) + (n - mode) * math.log1p(-p))
    pm = math.exp(log_pm)
    # walk up: pmf(k+1) = pmf(k) (n-k)/(k+1) p/q; the ratio decreases in k, so past the mode the tail
    # beyond k is at most pmf(k) r / (1 - r)
    hi, v = mode, pm
    while hi < n:
        r = (n - hi) / (hi + 1.0) * p / q
        if r < 1.0 and v * r / (1.0 - r) < _TAIL:
            break
        v *= r
        hi += 1
    lo, v = mode, pm
    while lo > 0:
        r = lo / (n - lo + 1.0) * q / p
        if r < 1.0 and v * r / (1.0 - r) < _TAIL:
            break
        v *= r
        lo -= 1
    pmf = np.empty(hi - lo + 1)
    pmf[mode - lo] = pm
    for k in range(mode, hi):
        pmf[k + 1 - lo] = pmf[k - lo] * (n - k) / (k + 1.0) * p / q
    for k in range(mode, lo, -1):
        pmf[k - 1 - lo] = pmf[k - lo] * k / (n - k + 1.0) * q / p
    return lo, pmf / pmf.sum()


@njit(cache=True)
def alias_build(prob, lo):
    """Vose's alias table for the law ``prob`` on lo, lo+1, ...: (threshold, alias value) per cell.

    Cell j returns its own value lo + j with probability thresh[j], else alias[j]; cells with
    threshold 1 are their own alias.

    Parameters
    ----------
    prob : numpy.ndarray of float, shape (W,)
        Probabilities of the values lo .. lo + W - 1, summing to 1 (e.g. from :func:`binomial_window`).
    lo : int
        The value of cell 0.

    Returns
    -------
    thresh : numpy.ndarray of float, shape (W,)
        Probability in [0, 1] that cell j keeps its own value.
    alias : numpy.ndarray of int64, shape (W,)
        The value (already offset by ``lo``) cell j gives otherwise.
    """
    W = prob.size
    scaled = prob * W
    thresh = np.ones(W)
    alias = np.arange(W)
    small = np.empty(W, dtype=np.int64)
    large = np.empty(W, dtype=np.int64)
    ns = 0
    nl = 0
    for j in range(W):
        if scaled[j] < 1.0:
            small[ns] = j
            ns += 1
        else:
            large[nl] = j
            nl += 1
    while ns > 0 and nl > 0:
        ns -= 1
        s = small[ns]
        g = large[nl - 1]
        thresh[s] = scaled[s]
        alias[s] = g
        scaled[g] = (scaled[g] + scaled[s]) - 1.0
        if scaled[g] < 1.0:
            nl -= 1
            small[ns] = g
            ns += 1
    return thresh, alias + lo


@njit(cache=True)
def threshold_words(thresh):
    """Thresholds in [0, 1] as 64-bit integers floor(thresh 2^64) (1 -> 2^64 - 1, whose cell is its own
    alias, so the draw is the same).

    Parameters
    ----------
    thresh : numpy.ndarray of float, shape (W,)
        Cell thresholds from :func:`alias_build`.

    Returns
    -------
    numpy.ndarray of uint64, shape (W,)
        Each threshold scaled to [0, 2^64), compared with the draw's integer coin (the low half of word x W).
    """
    out = np.empty(thresh.size, dtype=np.uint64)
    for i in range(thresh.size):
        out[i] = _MAX64 if thresh[i] >= 1.0 else np.uint64(thresh[i] * _TWO64)
    return out


@njit(cache=True, inline="always")
def alias_cell(w, offset, size):
    """(flat cell index, coin) of the word ``w`` for the table at ``offset`` with ``size`` cells: the cell
    is offset + the high half of the 128-bit product w size, the coin its low half (one wide multiply,
    :func:`~theorylab.core.bits.mul_wide`)."""
    cell, coin = mul_wide(w, np.uint64(size))
    return offset + np.int64(cell), coin


@njit(cache=True, inline="always")
def alias_pick(thr, alias, base, k, coin):
    """The value of flat cell ``k``: its own value base + k when coin < thr[k] (``base`` = the table's
    lowest value minus its offset), else its alias. Branch-free (:func:`~theorylab.core.bits.select_unpredictable`):
    the comparison is a coin flip, which a branch would mispredict on a large share of the draws."""
    return select_unpredictable(coin < thr[k], base + k, alias[k])


@njit(cache=True, inline="always")
def alias_draw(s, thr, alias, low, offset, size):
    """(state, one draw) from the alias table at ``offset`` (``size`` cells, values from ``low``)."""
    s, w = next_word(s)
    k, coin = alias_cell(w, offset, size)
    return s, alias_pick(thr, alias, low - offset, k, coin)


class AliasTables:
    """Process-wide store of Binomial alias tables, keyed by (n, p), in growable flat arrays.

    ``ids(n, p)`` returns table ids (building missing tables); ``arrays()`` the flat arrays
    (thresholds as 64-bit words, alias values, lowest values, offsets, sizes) for the kernels.
    ``limit`` bounds the stored entries: a full store is emptied at the start of an ``ids`` call (never
    while a caller still holds its ids).

    Parameters
    ----------
    limit : int, default 5_000_000
        Maximum number of stored table cells (16 bytes each, so about 80 MB) before the next
        :meth:`lookup` clears the store.

    Attributes
    ----------
    limit : int
        As given.
    """

    _MEMO_LIMIT = 4096      # remembered (n, p) grids of whole phase plans

    def __init__(self, limit: int = 5_000_000):     # entries; 16 bytes each, so at most ~80 MB
        self.limit = int(limit)
        self._lock = threading.RLock()
        self.clear()

    def clear(self) -> None:
        """Forget every table (arrays already handed out stay valid: new ones are allocated)."""
        self._index: dict[tuple[int, float], int] = {}
        self._memo: dict[tuple, np.ndarray] = {}
        self._thr = np.full(1024, _MAX64, dtype=np.uint64)
        self._alias = np.zeros(1024, dtype=np.int64)
        self._lows = np.zeros(64, dtype=np.int64)
        self._offsets = np.zeros(64, dtype=np.int64)
        self._sizes = np.zeros(64, dtype=np.int64)
        self._used = 0
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _append(self, lo, thresh, alias) -> int:
        w = thresh.size
        if w >= _MAX_WIDTH:
            raise ValueError(f"Binomial window of {w} cells is beyond the alias sampler's 2^32")
        if self._used + w > self._thr.size:
            cap = max(2 * self._thr.size, self._used + w)
            for name in ("_thr", "_alias"):
                old = getattr(self, name)
                grown = np.empty(cap, dtype=old.dtype)
                grown[:self._used] = old[:self._used]
                setattr(self, name, grown)
        if self._count == self._offsets.size:
            for name in ("_lows", "_offsets", "_sizes"):
                old = getattr(self, name)
                setattr(self, name, np.concatenate([old, np.zeros_like(old)]))
        a = self._used
        self._thr[a:a + w], self._alias[a:a + w] = threshold_words(thresh), alias
        self._lows[self._count], self._offsets[self._count], self._sizes[self._count] = lo, a, w
        self._used += w
        self._count += 1
        return self._count - 1

    def ids(self, n: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Table id for every (n, p) pair (same shape); -1 where n <= 0 or p is 0 or 1 (degenerate).

        The ids are valid for the arrays of the same call only: use :meth:`lookup` when another thread
        may use the store at the same time.

        Parameters
        ----------
        n : array_like of int
            Trial counts.
        p : array_like of float
            Success probabilities, same shape as ``n``.

        Returns
        -------
        numpy.ndarray of int64, shape of ``n``
            Index into the ``lows``, ``offsets`` and ``sizes`` arrays of :meth:`arrays`, or -1.
        """
        return self.lookup(n, p)[0]

    def lookup(self, n: np.ndarray, p: np.ndarray):
        """(ids, arrays) taken together under the store's lock, so that a concurrent call (threads of a
        Dask worker) can neither clear the store nor move its arrays between the two.

        Parameters
        ----------
        n : array_like of int
            Trial counts.
        p : array_like of float
            Success probabilities, same shape as ``n``.

        Returns
        -------
        ids : numpy.ndarray of int64, shape of ``n``
            As :meth:`ids`: the table of each pair, -1 for degenerate pairs (n <= 0, p <= 0 or p >= 1).
        arrays : tuple of numpy.ndarray
            ``(thr, alias, lows, offsets, sizes)`` as :meth:`arrays`, valid for these ids.
        """
        n = np.asarray(n, dtype=np.int64)
        p = np.asarray(p, dtype=float)
        with self._lock:
            if self._used > self.limit:
                self.clear()
            # a phase plan's (n, p) grid recurs in every batch: remember its ids (until the next clear)
            memo_key = (n.shape, n.tobytes(), p.tobytes())
            hit = self._memo.get(memo_key)
            if hit is not None:
                return hit.copy(), self.arrays()
            if len(self._memo) >= self._MEMO_LIMIT:
                self._memo.clear()
            out = np.full(n.shape, -1, dtype=np.int64)
            valid = (n > 0) & (p > 0.0) & (p < 1.0)
            if valid.any():
                # plain Python on lists: a dictionary hit costs ~0.1 us, numpy's row-unique ~50 us a call
                index = self._index
                ids = []
                for key in zip(n[valid].tolist(), p[valid].tolist()):
                    t = index.get(key)
                    if t is None:
                        lo, pmf = binomial_window(key[0], key[1])
                        t = index[key] = self._append(lo, *alias_build(pmf, lo))
                    ids.append(t)
                out[valid] = ids
            self._memo[memo_key] = out.copy()
            return out, self.arrays()

    def arrays(self):
        """(thr, alias, lows, offsets, sizes) over all stored tables (views: later tables are appended
        beyond them or into new arrays, so a view stays valid for the ids it was taken with).

        Returns
        -------
        thr : numpy.ndarray of uint64
            Every cell's threshold word (:func:`threshold_words`), tables back to back.
        alias : numpy.ndarray of int64
            Every cell's alias value.
        lows : numpy.ndarray of int64, shape (tables,)
            Lowest value of each table's window.
        offsets : numpy.ndarray of int64, shape (tables,)
            Index of each table's first cell in ``thr`` and ``alias``.
        sizes : numpy.ndarray of int64, shape (tables,)
            Number of cells of each table.
        """
        u, c = max(self._used, 1), max(self._count, 1)
        return self._thr[:u], self._alias[:u], self._lows[:c], self._offsets[:c], self._sizes[:c]


TABLES = AliasTables()


@njit(cache=True)
def _draw_many(state, thr, alias, low, offset, size, count):
    out = np.empty(count, dtype=np.int64)
    s = state[0]
    for i in range(count):
        s, out[i] = alias_draw(s, thr, alias, low, offset, size)
    state[0] = s
    return out


def binomial_batch(state: np.ndarray, n: int, p: float, size: int) -> np.ndarray:
    """``size`` Binomial(n, p) draws from stream 0 of ``state`` through the alias tables (testing helper).

    Parameters
    ----------
    state : numpy.ndarray of uint64, shape (R,), R >= 1
        Stream states; only ``state[0]`` is used and advanced in place (one word per draw).
    n : int
        Number of trials, >= 0.
    p : float
        Success probability in [0, 1].
    size : int
        Number of draws, >= 0.

    Returns
    -------
    numpy.ndarray of int64, shape (size,)
        Independent Binomial(n, p) draws (all 0 if n = 0 or p = 0, all n if p = 1, without a draw).
    """
    n = check_int("n", n, minimum=0)
    p = check_real("p", p, minimum=0.0, maximum=1.0)
    size = check_int("size", size, minimum=0)
    if p <= 0.0 or n <= 0:
        return np.zeros(size, dtype=np.int64)
    if p >= 1.0:
        return np.full(size, n, dtype=np.int64)
    ids, (thr, alias, lows, offsets, sizes) = TABLES.lookup(np.array([n]), np.array([p]))
    t = int(ids[0])
    return _draw_many(state, thr, alias, lows[t], offsets[t], sizes[t], size)
