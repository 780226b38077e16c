"""Binomial draws in constant time: Walker's alias method on the Binomial(n, p) pmf.

The fast path of the DP-BAI simulators draws a Bernoulli arm's phase sum as one Binomial(n_p, mu)
variate (spec Section 9). The pairs (n, mu) that occur are few (a pull count per phase and active-set
size, times the arm means), while the number of draws per pair is large, so each pair gets an alias
table once (O(width) to build) and every draw then costs one 64-bit word and two table reads.

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

from theorylab.bandits.dp_bai.streams import next_word
from theorylab.core.validate import check_int, check_real

__all__ = ["AliasTables", "TABLES", "binomial_window", "alias_build", "binomial_batch"]

_TAIL = 1e-20
_S11 = np.uint64(11)
_INV53 = 1.0 / 9007199254740992.0


@njit(cache=True)
def binomial_window(n, p):
    """(lo, pmf over lo..hi) of Binomial(n, p), truncated where the tail mass is below 1e-20."""
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
    """Vose's alias table for the law ``prob`` on lo, lo+1, ...: (threshold, own value, alias value)."""
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
    own = np.arange(W) + lo
    return thresh, own, alias + lo


@njit(cache=True, inline="always")
def alias_draw(state, r, thresh, own, other, offset, size):
    """One draw from the alias table at ``offset`` (length ``size``) of the flat arrays."""
    u = float(next_word(state, r) >> _S11) * _INV53 * size
    j = min(int(u), size - 1)
    k = offset + j
    take_own = np.int64(u - j < thresh[k])    # branch-free: the comparison is a coin flip
    return other[k] + take_own * (own[k] - other[k])


class AliasTables:
    """Process-wide store of Binomial alias tables, keyed by (n, p), in growable flat arrays.

    ``ids(n, p)`` returns table ids (building missing tables); ``arrays()`` the flat arrays
    (thresh, own, other, offsets, sizes) for the kernels. ``limit`` bounds the stored entries: a full
    store is emptied at the start of an ``ids`` call (never while a caller still holds its ids).
    """

    def __init__(self, limit: int = 5_000_000):     # entries; 24 bytes each, so at most ~120 MB
        self.limit = int(limit)
        self._lock = threading.RLock()
        self.clear()

    def clear(self) -> None:
        """Forget every table (arrays already handed out stay valid: new ones are allocated)."""
        self._index: dict[tuple[int, float], int] = {}
        self._thresh = np.ones(1024)
        self._own = np.zeros(1024, dtype=np.int64)
        self._other = np.zeros(1024, dtype=np.int64)
        self._offsets = np.zeros(64, dtype=np.int64)
        self._sizes = np.zeros(64, dtype=np.int64)
        self._used = 0
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _append(self, thresh, own, other) -> int:
        w = thresh.size
        if self._used + w > self._thresh.size:
            cap = max(2 * self._thresh.size, self._used + w)
            for name in ("_thresh", "_own", "_other"):
                old = getattr(self, name)
                grown = np.empty(cap, dtype=old.dtype)
                grown[:self._used] = old[:self._used]
                setattr(self, name, grown)
        if self._count == self._offsets.size:
            self._offsets = np.concatenate([self._offsets, np.zeros_like(self._offsets)])
            self._sizes = np.concatenate([self._sizes, np.zeros_like(self._sizes)])
        a = self._used
        self._thresh[a:a + w], self._own[a:a + w], self._other[a:a + w] = thresh, own, other
        self._offsets[self._count], self._sizes[self._count] = a, w
        self._used += w
        self._count += 1
        return self._count - 1

    def ids(self, n: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Table id for every (n, p) pair (same shape); -1 where n <= 0 or p is 0 or 1 (degenerate).

        The ids are valid for the arrays of the same call only: use :meth:`lookup` when another thread
        may use the store at the same time.
        """
        return self.lookup(n, p)[0]

    def lookup(self, n: np.ndarray, p: np.ndarray):
        """(ids, arrays) taken together under the store's lock, so that a concurrent call (threads of a
        Dask worker) can neither clear the store nor move its arrays between the two."""
        n = np.asarray(n, dtype=np.int64)
        p = np.asarray(p, dtype=float)
        with self._lock:
            if self._used > self.limit:
                self.clear()
            out = np.full(n.shape, -1, dtype=np.int64)
            valid = (n > 0) & (p > 0.0) & (p < 1.0)
            if valid.any():
                # one dictionary lookup per distinct (n, p) pair, not per slot of every group
                pairs = np.stack([n[valid], p[valid].view(np.int64)], axis=1)
                uniq, inv = np.unique(pairs, axis=0, return_inverse=True)
                ids = np.empty(len(uniq), dtype=np.int64)
                for i, (nn, pbits) in enumerate(uniq.tolist()):
                    key = (nn, float(np.int64(pbits).view(np.float64)))
                    t = self._index.get(key)
                    if t is None:
                        lo, pmf = binomial_window(key[0], key[1])
                        t = self._index[key] = self._append(*alias_build(pmf, lo))
                    ids[i] = t
                out[valid] = ids[inv.ravel()]
            return out, self.arrays()

    def arrays(self):
        """(thresh, own, other, offsets, sizes) over all stored tables (views: later tables are appended
        beyond them or into new arrays, so a view stays valid for the ids it was taken with)."""
        u, c = max(self._used, 1), max(self._count, 1)
        return self._thresh[:u], self._own[:u], self._other[:u], self._offsets[:c], self._sizes[:c]


TABLES = AliasTables()


@njit(cache=True)
def _draw_many(state, thresh, own, other, offset, size, count):
    out = np.empty(count, dtype=np.int64)
    for i in range(count):
        out[i] = alias_draw(state, 0, thresh, own, other, offset, size)
    return out


def binomial_batch(state: np.ndarray, n: int, p: float, size: int) -> np.ndarray:
    """``size`` Binomial(n, p) draws from stream 0 of ``state`` through the alias tables (testing helper)."""
    n = check_int("n", n, minimum=0)
    p = check_real("p", p, minimum=0.0, maximum=1.0)
    size = check_int("size", size, minimum=0)
    if p <= 0.0 or n <= 0:
        return np.zeros(size, dtype=np.int64)
    if p >= 1.0:
        return np.full(size, n, dtype=np.int64)
    ids, (thresh, own, other, offsets, sizes) = TABLES.lookup(np.array([n]), np.array([p]))
    t = int(ids[0])
    return _draw_many(state, thresh, own, other, offsets[t], sizes[t], size)
