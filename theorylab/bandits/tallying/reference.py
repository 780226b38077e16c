"""Slow pure-Python/numpy reference of the per-step engine, used only by tests.

It keeps the window as a Python list of past actions, the tally as an explicit sum over lags, the loss
through :mod:`theorylab.bandits.tallying.families` (numpy), and each algorithm as a small class with
``select`` / ``update``. It draws from the same per-run stream as the kernel, in the same order, so
the same seed gives the same numbers (docs/topics/tallying.md#engine).
"""

from __future__ import annotations

import math

import numpy as np

from theorylab.bandits.tallying.instances import WTBInstance
from theorylab.core import streams as _rng

__all__ = ["reference_run", "reference_tallies", "block_sequence_loss"]


def _typed(sampler):
    """The stream sampler called from Python with the state kept a numpy uint64 (a Python int below
    2^63 would be typed int64 by numba and the state arithmetic would silently change)."""
    def call(s, *args):
        s2, v = sampler(np.uint64(s), *args)
        return np.uint64(s2), v
    return call


bernoulli, normal, uniform, uniform_int, argmin_random_ties = (
    _typed(f) for f in (_rng.bernoulli, _rng.normal, _rng.uniform, _rng.uniform_int, _rng.argmin_random_ties))


def _draw(s, inst, mu):
    if inst.noise == "bernoulli":
        s, b = bernoulli(s, mu)
        return s, float(b)
    if inst.noise == "gaussian":
        s, z = normal(s)
        return s, mu + inst.sigma * z
    return s, mu


def reference_tallies(inst: WTBInstance, actions) -> np.ndarray:
    """Tally x_t of the played arm for an action sequence (explicit sum over lags 0..m).

    Plays before the sequence starts do not exist (cold start); lags are added left to right, as in the
    kernels, so the full tally equals ``inst.W`` bit for bit.

    Parameters
    ----------
    inst : WTBInstance
        Supplies the lag weights (and so the lag convention).
    actions : sequence of int
        Arms a_1..a_n in 0..K-1, oldest first.

    Returns
    -------
    numpy.ndarray of float, shape (n,)
        x_t = sum_{i=0..m} lw_i 1[a_{t-i} = a_t] for each step t.

    Examples
    --------
    >>> from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
    >>> reference_tallies(hidden_practice_instance(2, 3, best=0), [0, 0, 1, 0, 0]).tolist()
    [1.0, 2.0, 1.0, 2.0, 2.0]
    """
    lw = inst.lag_weights
    acts = [int(a) for a in actions]
    out = np.empty(len(acts))
    for t, a in enumerate(acts):
        x = lw[0]
        for i in range(1, inst.m + 1):
            if t - i >= 0 and acts[t - i] == a:
                x = x + lw[i]
        out[t] = x
    return out


def block_sequence_loss(inst: WTBInstance, arms, lengths) -> float:
    """Total mean loss of playing ``arms[k]`` for ``lengths[k]`` steps, k = 0, 1, .. (per step).

    Parameters
    ----------
    inst : WTBInstance
        The instance (from cold).
    arms : sequence of int
        Arm of each block, in order.
    lengths : sequence of int
        Length (>= 0) of each block, same length as ``arms``.

    Returns
    -------
    float
        sum_t f_{a_t}(x_t) over the whole block sequence, with the tallies of :func:`reference_tallies`:
        the exact mean loss the block fast path must reproduce.

    Examples
    --------
    >>> from theorylab.bandits.tallying.hard_instances import hidden_practice_instance
    >>> block_sequence_loss(hidden_practice_instance(2, 3, best=0), [1, 0], [3, 4])
    4.5
    """
    acts = np.repeat(np.asarray(arms, dtype=np.int64), np.asarray(lengths, dtype=np.int64))
    x = reference_tallies(inst, acts)
    return float(sum(float(inst.loss(int(a), xx)) for a, xx in zip(acts, x)))


class _Policy:
    def __init__(self, inst, T, cfg):
        self.K, self.T, self.cfg = inst.K, T, cfg

    def radius(self, n):
        c = self.cfg
        return c["c_rad"] * c["width"] * math.sqrt(math.log(2.0 * self.K * self.T / c["delta"]) / (2.0 * n))


class _UCB1(_Policy):
    def __init__(self, *a):
        super().__init__(*a)
        self.S, self.N = np.zeros(self.K), np.zeros(self.K)

    def select(self, s, t):
        idx = np.array([-np.inf if self.N[k] == 0 else self.S[k] / self.N[k] - math.sqrt(2 * math.log(t + 1) / self.N[k])
                        for k in range(self.K)])
        return argmin_random_ties(s, idx)

    def update(self, a, l, x, W, t):
        self.S[a] += l
        self.N[a] += 1


class _EXP3(_Policy):
    def __init__(self, inst, T, cfg, eta=None):
        super().__init__(inst, T, cfg)
        self.L = np.zeros(self.K)
        self.eta = math.sqrt(2 * math.log(self.K) / (self.K * T)) if eta is None else eta
        self.p = np.zeros(self.K)

    def pick(self, s):
        w = np.array([math.exp(-self.eta * (self.L[a] - self.L.min())) for a in range(self.K)])
        tot = 0.0
        for v in w:
            tot += v
        self.p = w / tot
        s, u = uniform(s)
        acc = 0.0
        for a in range(self.K):
            acc += self.p[a]
            if u < acc:
                return s, a
        return s, self.K - 1

    def select(self, s, t):
        return self.pick(s)

    def update(self, a, l, x, W, t):
        self.L[a] += l / self.p[a]


class _BatchedEXP3(_EXP3):
    def __init__(self, inst, T, cfg):
        tau = cfg["tau"]
        nb = -(-T // tau)
        super().__init__(inst, T, cfg, eta=math.sqrt(2 * math.log(inst.K) / (inst.K * nb)))
        self.tau, self.burn, self.cur, self.acc = tau, cfg["bburn"], -1, []

    def select(self, s, t):
        if t % self.tau == 0:
            s, self.cur = self.pick(s)
            self.acc = []
        return s, self.cur

    def update(self, a, l, x, W, t):
        if t % self.tau >= self.burn:
            self.acc.append(l)
        if (t % self.tau == self.tau - 1 or t == self.T - 1) and self.acc:
            self.L[self.cur] += (sum(self.acc) / len(self.acc)) / self.p[self.cur]


class _SE(_Policy):
    """Plain SE (burn=None: one play per arm per round) or WTB-SE (blocks with burn-in)."""

    def __init__(self, inst, T, cfg, blocks):
        super().__init__(inst, T, cfg)
        self.blocks = blocks
        self.order = list(cfg["order"])
        self.active = [True] * self.K
        self.S, self.N = np.zeros(self.K), np.zeros(self.K)
        self.exploit = -1 if self.K > 1 else 0
        self.pos, self.j, self.ep = 0, 0, 0
        self.b = cfg["burn"]
        self.last, self.last_len = -1, 0
        self.bad = 0

    def n_r(self):
        return max(1, int(math.floor(self.cfg["n0"] * self.cfg["growth"] ** self.ep + 1e-9)))

    def select(self, s, t):
        return s, (self.exploit if self.exploit >= 0 else self.order[self.pos])

    def _next(self, after):
        for p in range(after + 1, self.K):
            if self.active[self.order[p]]:
                return p
        return -1

    def _eliminate(self):
        act = [a for a in range(self.K) if self.active[a]]
        best = min(self.S[a] / self.N[a] + self.radius(self.N[a]) for a in act)
        for a in act:
            if self.S[a] / self.N[a] - self.radius(self.N[a]) > best:
                self.active[a] = False
        left = [a for a in range(self.K) if self.active[a]]
        if len(left) == 1:
            self.exploit = left[0]

    def update(self, a, l, x, W, t):
        if self.exploit >= 0:
            return
        if not self.blocks:
            self.S[a] += l
            self.N[a] += 1
            nxt = self._next(self.pos)
            if nxt >= 0:
                self.pos = nxt
            else:
                self._eliminate()
                self.pos = self._next(-1)
            return
        if self.j >= self.b:
            self.S[a] += l
            self.N[a] += 1
            self.bad += int(x != W)
        self.j += 1
        if self.j == self.b + self.n_r():
            self.last_len = self.last_len + self.j if self.last == a else self.j
            self.last = a
            nxt = self._next(self.pos)
            if nxt < 0:
                self._eliminate()
                self.ep += 1
                nxt = self._next(-1)
            self.pos, self.j = nxt, 0
            carry = self.cfg["carry"] and self.order[self.pos] == self.last and self.last_len >= self.cfg["burn"]
            self.b = 0 if carry else self.cfg["burn"]


class _SWA(_Policy):
    def __init__(self, *a):
        super().__init__(*a)
        self.h = self.cfg["h"]
        self.hist = [[] for _ in range(self.K)]

    def select(self, s, t):
        idx = np.array([-np.inf if len(q) < self.h else sum(q[-self.h:]) / self.h for q in self.hist])
        return argmin_random_ties(s, idx)

    def update(self, a, l, x, W, t):
        self.hist[a].append(l)


class _RAWUCB(_SWA):
    def select(self, s, t):
        idx = np.empty(self.K)
        for k, q in enumerate(self.hist):
            if not q:
                idx[k] = -np.inf
                continue
            vals, h = [], 1
            while h <= len(q):
                vals.append(sum(q[-h:]) / h - math.sqrt(2 * self.cfg["sigma"] ** 2 * self.cfg["alpha"]
                                                        * math.log(t + 1.0) / h))
                h *= 2
            idx[k] = max(vals)
        return argmin_random_ties(s, idx)


class _FEWA(_SWA):
    def select(self, s, t):
        cand = list(range(self.K))
        h = 1
        while True:
            short = [k for k in cand if len(self.hist[k]) < h]
            if short:
                idx = np.array([float(len(self.hist[k])) if k in short else np.inf for k in range(self.K)])
                return argmin_random_ties(s, idx)
            width = 2 * math.sqrt(2 * self.cfg["sigma"] ** 2 * self.cfg["alpha"] * math.log(t + 1.0) / h)
            means = {k: sum(self.hist[k][-h:]) / h for k in cand}
            lo = min(means.values())
            cand = [k for k in cand if means[k] <= lo + width]
            h *= 2


class _Fixed(_Policy):
    def select(self, s, t):
        return s, self.cfg["fixed"]

    def update(self, *a):
        pass


class _Uniform(_Policy):
    def select(self, s, t):
        return uniform_int(s, self.K)

    def update(self, *a):
        pass


class _TBETC(_Policy):
    """TB-ETC-periodic: explore (arm, count) cells with periodic schedules, then commit by a DP."""

    def __init__(self, inst, T, cfg):
        super().__init__(inst, T, cfg)
        self.P, self.need, self.order = cfg["period"], cfg["n_cell"], list(cfg["order"])
        self.S = np.zeros((self.K, self.P + 1))
        self.N = np.zeros((self.K, self.P + 1))
        self.tgt, self.j = 0, 0
        self.committed = self.K == 1
        self.sched = [0] * self.P if self.K == 1 else self._explore(0, 1)

    def _explore(self, p, tau):
        o, K = self.order, self.K
        return [o[p] if i < tau else o[(p + 1 + (i - tau) % (K - 1)) % K] for i in range(self.P)]

    def _commit(self):
        best = {0: (0.0, [])}                   # total count -> (cost, counts of the arms so far)
        for b in self.order:
            nxt = {}
            for tot in range(self.P + 1):
                for n in range(tot + 1):
                    if tot - n not in best or (n > 0 and self.N[b, n] == 0):
                        continue
                    cost = best[tot - n][0] + (0.0 if n == 0 else n * self.S[b, n] / self.N[b, n])
                    if tot not in nxt or cost < nxt[tot][0]:
                        nxt[tot] = (cost, best[tot - n][1] + [n])
            best = nxt
        counts = best[self.P][1]
        return [b for b, n in zip(self.order, counts) for _ in range(n)]

    def cell(self):
        return self.order[self.tgt % self.K], self.tgt // self.K + 1

    def select(self, s, t):
        return s, self.sched[self.j % self.P]

    def update(self, a, l, x, W, t):
        if not self.committed:
            if self.j >= self.P:
                c = self.sched.count(a)
                self.S[a, c] += l
                self.N[a, c] += 1
            self.j += 1
            if self.j % self.P == 0 and self.j >= 2 * self.P and self.N[self.cell()] >= self.need:
                while self.tgt < self.K * self.P and self.N[self.cell()] >= self.need:
                    self.tgt += 1
                if self.tgt == self.K * self.P:
                    self.sched, self.committed = self._commit(), True
                else:
                    self.sched = self._explore(self.tgt % self.K, self.tgt // self.K + 1)
                self.j = 0
        else:
            self.j += 1


def _policy(name, inst, T, cfg):
    if name == "wtb_se":
        return _SE(inst, T, cfg, True)
    if name == "plain_se":
        return _SE(inst, T, cfg, False)
    return {"ucb1": _UCB1, "exp3": _EXP3, "batched_exp3": _BatchedEXP3, "fixed": _Fixed, "swa": _SWA,
            "raw_ucb": _RAWUCB, "fewa": _FEWA, "uniform": _Uniform, "tb_etc_periodic": _TBETC}[name](inst, T, cfg)


def reference_run(name: str, inst: WTBInstance, T: int, state, **cfg):
    """One run of algorithm ``name`` from stream ``state`` (a uint64 from rng.init_states).

    ``cfg`` keys (as the kernel's cfg arrays): fixed, burn, n0, carry, tau, bburn, h, c_rad, delta, growth,
    width, sigma, alpha, order, shuffle, period, n_cell. Returns (actions int array (T,), pseudo-loss running
    sum (T,), realised total, kept-at-x-not-W count).

    Parameters
    ----------
    name : str
        Kernel-level algorithm: ``wtb_se``, ``plain_se``, ``ucb1``, ``exp3``, ``batched_exp3``, ``fixed``,
        ``swa``, ``raw_ucb``, ``fewa``, ``uniform`` or ``tb_etc_periodic`` (no anytime WTB-SE).
    inst : WTBInstance
        The instance.
    T : int
        Horizon.
    state : int or numpy.uint64
        The run's stream state, e.g. ``theorylab.core.streams.init_states(seeds)[r]``; the same state as the
        kernel's run r gives the same draws in the same order.
    **cfg
        Overrides of the defaults fixed=0, burn=0, n0=1, carry=1, tau=1, bburn=0, h=1, c_rad=1.0,
        delta=1/T, growth=2.0, width=1.0, sigma=0.5, alpha=1.0, order=range(K), period=1, n_cell=1
        (shuffle off): the same meaning as the keywords of ``algorithms._cfg``.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray, float, int)
        ``actions`` (int, shape (T,)), the running pseudo-loss L(t) (float, shape (T,)), the realised
        (sampled) total loss, and the number of kept samples at a tally other than W (0 for the
        algorithms that keep no samples).
    """
    full = dict(fixed=0, burn=0, n0=1, carry=1, tau=1, bburn=0, h=1, c_rad=1.0, delta=1.0 / T, growth=2.0,
                width=1.0, sigma=0.5, alpha=1.0, order=list(range(inst.K)), period=1, n_cell=1)
    full.update(cfg)
    s = np.uint64(state)
    if full.get("shuffle"):
        order = list(full["order"])
        for i in range(len(order) - 1, 0, -1):
            s, j = uniform_int(s, i + 1)
            order[i], order[int(j)] = order[int(j)], order[i]
        full["order"] = order
    pol = _policy(name, inst, T, full)
    lw, W = inst.lag_weights, inst.W
    acts, run, L, R = [], np.empty(T), 0.0, 0.0
    for t in range(T):
        s, a = pol.select(s, t)
        a = int(a)
        x = lw[0]
        for i in range(1, inst.m + 1):
            if t - i >= 0 and acts[t - i] == a:
                x = x + lw[i]
        mu = float(inst.loss(a, x))
        s, l = _draw(s, inst, mu)
        acts.append(a)
        L += mu
        R += l
        run[t] = L
        pol.update(a, l, x, W, t)
    return np.array(acts), run, R, getattr(pol, "bad", 0)
