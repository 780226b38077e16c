"""WTB-SE and the baselines on a batch of runs (docs/topics/tallying.md#algorithms).

Every entry point takes an instance, a horizon ``T`` and ``seeds`` (SeedSequences from
:func:`theorylab.core.seeding.repetition_seeds`, one per run) and makes ONE kernel call for the batch.

- :func:`wtb_se` successive elimination with burn-in blocks (Malik et al. 2023, "a simple modification
  of successive elimination"; schedule, radius and burn-in are our reconstruction [reconstruction]);
- :func:`wtb_se_known_m` the same with burn-in m (the known-memory oracle, left end of RQ2);
- :func:`plain_se` SE without burn-in, round-robin (the key ablation) (Even-Dar, Mannor, Mansour 2006);
- :func:`ucb1` UCB1 in loss form (Auer, Cesa-Bianchi, Fischer 2002);
- :func:`exp3` EXP3 in loss form (Auer et al. 2002; eta of Lattimore & Szepesvari ch. 11);
- :func:`batched_exp3` EXP3 over blocks of tau plays (Arora, Dekel, Tewari 2012);
- :func:`swa` sliding-window average (Levine, Crammer, Mannor 2017), :func:`raw_ucb` (Seznec, Menard,
  Lazaric, Valko 2020) and :func:`fewa` (Seznec et al. 2019), rotting-bandit methods in loss form,
  misspecified here on purpose;
- :func:`tb_etc_periodic` explore-then-commit over periodic schedules, our stand-in for the COLT 2022
  tallying-bandit algorithm (Malik, Li, Singh), which we could not read [ours: never that algorithm];
- :func:`fixed_arm`, :func:`uniform_random` the oracle lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from theorylab.bandits.tallying import block_kernels, kernels
from theorylab.bandits.tallying.exact import opt_fixed, opt_sequence
from theorylab.bandits.tallying.instances import WTBInstance
from theorylab.core.seeding import check_seeds
from theorylab.core.streams import init_states
from theorylab.core.validate import check_choice, check_int, check_real

__all__ = ["RunResult", "checkpoints", "wtb_se", "wtb_se_known_m", "plain_se", "ucb1", "exp3", "batched_exp3",
           "swa", "swa_window", "raw_ucb", "fewa", "tb_etc_periodic", "tb_etc_samples",
           "fixed_arm", "uniform_random", "myopic_arm", "run_algorithm", "ALGORITHM_NAMES"]

ALGORITHM_NAMES = ("wtb_se", "wtb_se_known_m", "wtb_se_anytime", "plain_se", "ucb1", "exp3", "batched_exp3", "swa", "raw_ucb", "fewa",
                   "tb_etc_periodic", "fixed_best", "fixed_myopic", "uniform")
#: Algorithms that read the known memory bound M.
NEEDS_M = ("wtb_se", "wtb_se_anytime", "tb_etc_periodic")


def checkpoints(T: int, n: int = 50) -> np.ndarray:
    """About ``n`` log-spaced distinct times in 1..T, always including T (int64, increasing).

    Parameters
    ----------
    T : int
        Horizon (>= 1); the last checkpoint.
    n : int, default 50
        Number of points of ``numpy.geomspace(1, T, n)`` before rounding; duplicates after rounding are
        dropped, so fewer come back when T is small.

    Returns
    -------
    numpy.ndarray of int64, shape (c,)
        Strictly increasing times in 1..T with c <= n + 1, starting at 1 and ending at T: the columns of
        :attr:`RunResult.pseudo`.

    Examples
    --------
    >>> checkpoints(10, 4).tolist()
    [1, 2, 5, 10]
    """
    T = check_int("T", T, minimum=1)
    n = check_int("n", n, minimum=1)
    pts = np.unique(np.round(np.geomspace(1, T, n)).astype(np.int64))
    return pts if pts[-1] == T else np.append(pts, T)


@dataclass(frozen=True)
class RunResult:
    """Runs of one algorithm on one instance.

    Attributes
    ----------
    instance : WTBInstance
        The instance the runs were played on (the comparators read it).
    algorithm : str
        Name of the algorithm, e.g. ``"wtb_se"``, ``"wtb_se_anytime"`` or ``"fixed(2)"``.
    T : int
        Horizon of every run.
    pseudo : float array (n, c)
        L(t) = sum_{s <= t} f_{a_s}(x_s), the learner's mean (pseudo) loss, at ``ckpt``; row r is run r.
    realised : float array (n,)
        Total sampled loss up to T.
    ckpt : int array (c,)
        Increasing checkpoint times in 1..T (the last is usually T), the columns of ``pseudo``.
    actions : int array (n, T) or None
        Arm played by each run at each step, when asked for with ``record_actions=True``.
    bad_kept : int array (n,)
        Samples WTB-SE kept at a tally other than W (0 for the other algorithms).
    """

    instance: WTBInstance
    algorithm: str
    T: int
    pseudo: np.ndarray
    realised: np.ndarray
    ckpt: np.ndarray
    actions: np.ndarray | None
    bad_kept: np.ndarray

    def cpr_const(self) -> np.ndarray:
        """(n, c): L(t) - C_const(t), CPR against the best fixed arm with its warm-up."""
        return self.pseudo - opt_fixed(self.instance, self.T)[self.ckpt - 1][None, :]

    def cpr_upper(self) -> np.ndarray:
        """(n, c): L(t) - t mu*, an upper bound on CPR_seq under REO."""
        return self.pseudo - self.ckpt[None, :] * self.instance.mu_star

    def cpr_seq(self) -> np.ndarray:
        """(n, c): L(t) - OPT_seq(t), exact (small instances only; see exact.opt_sequence)."""
        return self.pseudo - opt_sequence(self.instance, self.T)[self.ckpt - 1][None, :]

    def final(self, comparator: str = "const") -> np.ndarray:
        """(n,): CPR at T against ``const``, ``upper`` or ``seq``."""
        check_choice("comparator", comparator, ("const", "upper", "seq"))
        return getattr(self, f"cpr_{comparator}")()[:, -1]


def _check_common(inst, T, seeds):
    if not isinstance(inst, WTBInstance):
        raise TypeError(f"inst must be a WTBInstance, got {type(inst).__name__}")
    T = check_int("T", T, minimum=1)
    return T, init_states(check_seeds(seeds))


def _order(inst, order):
    if order is None or (isinstance(order, str) and order == "random"):
        return np.arange(inst.K, dtype=np.int64)
    o = np.asarray(order, dtype=np.int64)
    if o.ndim != 1 or sorted(o.tolist()) != list(range(inst.K)):
        raise ValueError(f"order must be a permutation of 0..{inst.K - 1}, got {order!r}")
    return o


def _width(inst):
    return 2.0 * inst.sigma if inst.noise == "gaussian" else 1.0


def _run(name, alg, inst, T, seeds, cfg_i, cfg_f, order, path, record_actions, ckpt):
    T, states = _check_common(inst, T, seeds)
    ck = checkpoints(T) if ckpt is None else np.asarray(ckpt, dtype=np.int64)
    if ck.ndim != 1 or ck.size == 0 or np.any(np.diff(ck) <= 0) or ck[0] < 1 or ck[-1] > T:
        raise ValueError(f"ckpt must be increasing times in 1..T = {T}, got {ck!r}")
    n = states.size
    pseudo = np.full((n, ck.size), np.nan)
    realised = np.zeros(n)
    bad = np.zeros(n, dtype=np.int64)
    acts = np.zeros((n, T if record_actions else 0), dtype=np.int64)
    lw, codes, params, table, W, noise, sigma = inst.kernel_arrays()
    if path == "blocks":
        if record_actions:
            raise ValueError("record_actions needs path='per_step' (the block path does not store actions)")
        block_kernels.wtb_se_blocks(cfg_i, cfg_f, order, lw, codes, params, table, W, noise, sigma, T, states, ck,
                              pseudo, realised, bad)
    else:
        kernels.per_step(alg, cfg_i, cfg_f, order, lw, codes, params, table, W, noise, sigma, T, states, ck,
                         pseudo, realised, acts, bad)
    return RunResult(inst, name, T, pseudo, realised, ck, acts if record_actions else None, bad)


def _cfg(fixed=0, burn=0, n0=1, carry=1, tau=1, bburn=0, h=1, c_rad=1.0, delta=1.0, growth=2.0, width=1.0,
         sigma=0.5, alpha=1.0, shuffle=0, period=1, n_cell=0, anytime=0):
    cfg_i = np.zeros(kernels.N_CFG_I, dtype=np.int64)
    cfg_i[:11] = (fixed, burn, n0, carry, tau, bburn, h, shuffle, period, n_cell, anytime)
    cfg_f = np.array([c_rad, delta, growth, width, sigma, alpha], dtype=float)
    return cfg_i, cfg_f


def wtb_se(inst: WTBInstance, T: int, seeds, M: int, delta: float | None = None, n0: int = 1,
           growth: float = 2.0, c_rad: float = 1.0, burn_in: int | None = None, carry_over: bool = True,
           order=None, path: str = "blocks", record_actions: bool = False, ckpt=None,
           anytime: bool = False) -> RunResult:
    """Successive elimination with burn-in blocks (WTB-SE) on a batch of runs.

    Malik, Igoe, Li, Singh (ICML 2023), the "simple modification of successive elimination"; steps as
    reconstructed in docs/topics/tallying.md#wtb-se [reconstruction]:

    1. epoch r: every active arm, in ``order``, is played in one block: ``burn_in`` plays whose losses
       are discarded, then n_r = floor(n0 growth^r) plays whose losses are kept;
    2. after the epoch, arm a is eliminated if muhat_a - rad_a > min_b (muhat_b + rad_b) with
       rad = c_rad w sqrt(log(2 K T / delta) / (2 N_a)) (w = 1 for [0, 1] losses, 2 sigma Gaussian);
    3. one arm left: play it until T. A kept play follows ``burn_in`` consecutive plays of its arm, so
       its tally is W as soon as burn_in >= m - 1 (``include_current``) or >= m (lags 1..m): the
       default burn_in = M is safe under both conventions for every m <= M.

    Parameters
    ----------
    inst : WTBInstance
        The instance; the algorithm reads only K, the noise width and the sampled losses.
    T : int
        Horizon (>= 1), known to the algorithm unless ``anytime``.
    seeds : list of numpy.random.SeedSequence
        One per run (:func:`theorylab.core.seeding.repetition_seeds`); the batch is one kernel call.
    M : int
        Known upper bound on the memory m (the algorithm never reads m, w or f).
    delta : float, optional
        Confidence (default 1/T).
    n0, growth : int, float
        Kept samples n_r = floor(n0 growth^r).
    c_rad : float
        Radius multiplier (the paper's constant is unknown; 1 = Hoeffding).
    burn_in : int, optional
        Discarded plays per block (default M).
    carry_over : bool
        Skip the burn-in when a block continues the previous arm after >= burn_in plays.
    order : permutation of 0..K-1 or "random", optional
        Arm order inside an epoch (default increasing index, the spec's choice); ``"random"`` draws a
        uniform order per run from its stream, so the law of the run does not depend on arm labels.
    path : {"blocks", "per_step"}
        Block fast path (O(K log T) work per run) or the per-step engine.
    record_actions : bool
        Store the action sequence (per_step only).
    ckpt : int array, optional
        Checkpoint times (default :func:`checkpoints`).
    anytime : bool
        The doubling trick for an unknown horizon (spec form, [reconstruction]): restart the active
        set and the statistics on phases of length T_k = 2^k, k = 1, 2, .., each run as the known-T
        algorithm with horizon T_k and delta = 1/T_k (``delta`` must then be None); the tally history
        carries over (the environment does not restart) and each phase starts with a full burn-in.
        ``T`` is then only where the simulation stops; the algorithm never reads it.

    Returns
    -------
    RunResult
        Labelled ``"wtb_se"`` (``"wtb_se_anytime"`` with ``anytime``); ``bad_kept`` counts kept samples
        at a tally other than W, 0 whenever burn_in is large enough for the true m.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.bandits.tallying.instances import learning_curve_instance
    >>> inst = learning_curve_instance(3, 4, seed=0, best=1)
    >>> res = wtb_se(inst, 2000, repetition_seeds(0, "doc", 4), M=4)
    >>> bool(np.all(res.bad_kept == 0)), res.pseudo.shape[0]
    (True, 4)
    >>> res = wtb_se(inst, 2000, repetition_seeds(0, "doc", 4), M=4, anytime=True)
    >>> bool(np.all(res.bad_kept == 0)), res.pseudo.shape[0]
    (True, 4)
    """
    M = check_int("M", M, minimum=1)
    n0 = check_int("n0", n0, minimum=1)
    growth = check_real("growth", growth, minimum=1.0)
    c_rad = check_real("c_rad", c_rad, minimum=0.0)
    check_choice("path", path, ("blocks", "per_step"))
    T = check_int("T", T, minimum=1)
    if anytime and delta is not None:
        raise ValueError("delta must be None with anytime=True (each phase uses delta = 1/T_k)")
    delta = 1.0 / T if delta is None else check_real("delta", delta, minimum=0.0, maximum=1.0, strict_min=True)
    burn_in = M if burn_in is None else burn_in
    burn_in = check_int("burn_in", burn_in, minimum=0)
    cfg_i, cfg_f = _cfg(burn=burn_in, n0=n0, carry=int(bool(carry_over)), c_rad=c_rad, delta=delta,
                        growth=growth, width=_width(inst), shuffle=int(isinstance(order, str) and order == "random"),
                        anytime=int(bool(anytime)))
    return _run("wtb_se_anytime" if anytime else "wtb_se", kernels.ALG_CODES["wtb_se"], inst, T, seeds, cfg_i, cfg_f,
                _order(inst, order), path,
                record_actions, ckpt)


def wtb_se_known_m(inst: WTBInstance, T: int, seeds, **kw) -> RunResult:
    """WTB-SE told the true memory: M = m, the best case of the M sweep.

    Parameters
    ----------
    inst : WTBInstance
        The instance; its memory ``inst.m`` is passed as ``M`` (so the default burn-in is m).
    T : int
        Horizon.
    seeds : list of numpy.random.SeedSequence
        One per run.
    **kw
        Other keywords of :func:`wtb_se` (not ``M``).

    Returns
    -------
    RunResult
        The runs, labelled ``"wtb_se"``.
    """
    return wtb_se(inst, T, seeds, M=inst.m, **kw)


def plain_se(inst: WTBInstance, T: int, seeds, delta: float | None = None, c_rad: float = 1.0, order=None,
             record_actions: bool = False, ckpt=None) -> RunResult:
    """Successive elimination without burn-in: one play per active arm per round, then the radius test
    of :func:`wtb_se` (Even-Dar, Mannor, Mansour 2006). Round-robin keeps tallies low, so it estimates
    f_a at a round-robin tally, not mu_a = f_a(W): the ablation of the burn-in."""
    T = check_int("T", T, minimum=1)
    delta = 1.0 / T if delta is None else check_real("delta", delta, minimum=0.0, maximum=1.0, strict_min=True)
    cfg_i, cfg_f = _cfg(c_rad=check_real("c_rad", c_rad, minimum=0.0), delta=delta, width=_width(inst),
                        shuffle=int(isinstance(order, str) and order == "random"))
    return _run("plain_se", kernels.ALG_CODES["plain_se"], inst, T, seeds, cfg_i, cfg_f, _order(inst, order),
                "per_step", record_actions, ckpt)


def ucb1(inst: WTBInstance, T: int, seeds, record_actions: bool = False, ckpt=None) -> RunResult:
    """UCB1, loss form: unplayed arms first, then argmin_a (Lhat_a - sqrt(2 log t / n_a)); ties at random."""
    cfg_i, cfg_f = _cfg()
    return _run("ucb1", kernels.ALG_CODES["ucb1"], inst, T, seeds, cfg_i, cfg_f, _order(inst, None), "per_step",
                record_actions, ckpt)


def exp3(inst: WTBInstance, T: int, seeds, record_actions: bool = False, ckpt=None) -> RunResult:
    """EXP3, loss form, eta = sqrt(2 log K / (K T)), importance-weighted loss estimates."""
    cfg_i, cfg_f = _cfg()
    return _run("exp3", kernels.ALG_CODES["exp3"], inst, T, seeds, cfg_i, cfg_f, _order(inst, None), "per_step",
                record_actions, ckpt)


def batched_exp3(inst: WTBInstance, T: int, seeds, tau: int | None = None, burn_in: int = 0,
                 record_actions: bool = False, ckpt=None) -> RunResult:
    """Mini-batched EXP3 (Arora, Dekel, Tewari 2012): one EXP3 draw per block of ``tau`` plays
    (default ceil(T^(1/3))), fed the block's average loss over its last tau - ``burn_in`` plays."""
    T = check_int("T", T, minimum=1)
    tau = int(math.ceil(T ** (1 / 3))) if tau is None else check_int("tau", tau, minimum=1)
    burn_in = check_int("burn_in", burn_in, minimum=0, maximum=tau - 1)
    cfg_i, cfg_f = _cfg(tau=tau, bburn=burn_in)
    return _run("batched_exp3", kernels.ALG_CODES["batched_exp3"], inst, T, seeds, cfg_i, cfg_f,
                _order(inst, None), "per_step", record_actions, ckpt)


def swa_window(K: int, T: int, alpha: float = 0.2, sigma: float = 0.5) -> int:
    """SWA's window h = ceil(alpha (16 sigma^2 T^2 log(sqrt(2) T) / K^2)^(1/3)) (Levine et al. 2017).

    Parameters
    ----------
    K : int
        Number of arms.
    T : int
        Horizon.
    alpha : float, default 0.2
        Multiplier of the theoretical window (our tuning of Levine et al.'s h).
    sigma : float, default 0.5
        Sub-Gaussian scale of the losses (1/2 for losses in [0, 1]).

    Returns
    -------
    int
        The window h: the number of most recent losses per arm that :func:`swa` averages.

    Examples
    --------
    >>> swa_window(5, 10_000)
    107
    """
    return int(math.ceil(alpha * (16 * sigma ** 2 * T ** 2 * math.log(math.sqrt(2) * T) / K ** 2) ** (1 / 3)))


def swa(inst: WTBInstance, T: int, seeds, window: int | None = None, alpha: float = 0.2, record_actions: bool = False,
        ckpt=None) -> RunResult:
    """Sliding-window average (SWA; Levine, Crammer, Mannor 2017), loss form: every arm is played until it
    has ``window`` losses, then argmin_a of the mean of its last ``window`` losses (ties at random).
    Window default :func:`swa_window` with sigma = 1/2 for [0, 1] losses. Written for rotting (pull-count)
    bandits, so misspecified here on purpose."""
    T = check_int("T", T, minimum=1)
    h = swa_window(inst.K, T, check_real("alpha", alpha, minimum=0.0, strict_min=True)) if window is None \
        else check_int("window", window, minimum=1)
    cfg_i, cfg_f = _cfg(h=h)
    return _run("swa", kernels.ALG_CODES["swa"], inst, T, seeds, cfg_i, cfg_f, _order(inst, None), "per_step",
                record_actions, ckpt)


def raw_ucb(inst: WTBInstance, T: int, seeds, alpha: float = 1.0, sigma: float = 0.5, record_actions: bool = False,
            ckpt=None) -> RunResult:
    """RAW-UCB (Seznec, Menard, Lazaric, Valko 2020), loss form with geometric windows h = 1, 2, 4, ..
    (the efficient variant): play argmin_a max_h (mean of a's last h losses - sqrt(2 sigma^2 alpha log t / h)),
    unplayed arms first; ties at random."""
    cfg_i, cfg_f = _cfg(alpha=check_real("alpha", alpha, minimum=0.0, strict_min=True),
                        sigma=check_real("sigma", sigma, minimum=0.0, strict_min=True))
    return _run("raw_ucb", kernels.ALG_CODES["raw_ucb"], inst, T, seeds, cfg_i, cfg_f, _order(inst, None),
                "per_step", record_actions, ckpt)


def fewa(inst: WTBInstance, T: int, seeds, alpha: float = 4.0, sigma: float = 0.5, record_actions: bool = False,
         ckpt=None) -> RunResult:
    """FEWA (Seznec, Locatelli, Carpentier, Lazaric, Valko 2019), loss form, on geometric windows
    h = 1, 2, 4, .. [ours: the window grid]: starting from all arms, at window h drop the arms whose mean of
    their last h losses exceeds the smallest such mean by more than 2 sqrt(2 sigma^2 alpha log t / h); stop
    at the first h at which a surviving arm has fewer than h losses and play the least played of those
    (ties at random)."""
    cfg_i, cfg_f = _cfg(alpha=check_real("alpha", alpha, minimum=0.0, strict_min=True),
                        sigma=check_real("sigma", sigma, minimum=0.0, strict_min=True))
    return _run("fewa", kernels.ALG_CODES["fewa"], inst, T, seeds, cfg_i, cfg_f, _order(inst, None),
                "per_step", record_actions, ckpt)


def tb_etc_samples(K: int, T: int, M: int) -> int:
    """TB-ETC-periodic's samples per (arm, count) cell: max(1, ceil((T / (M K))^(2/3))) [ours: the
    usual explore-then-commit balance with M K cells].

    Parameters
    ----------
    K, T, M : int
        Arms, horizon and the memory the algorithm assumes.

    Returns
    -------
    int
        Losses to collect in each of the M K exploration cells (>= 1).

    Examples
    --------
    >>> tb_etc_samples(5, 100_000, 10)
    159
    """
    K = check_int("K", K, minimum=1)
    T = check_int("T", T, minimum=1)
    M = check_int("M", M, minimum=1)
    return max(1, int(math.ceil((T / (M * K)) ** (2 / 3) - 1e-9)))


def tb_etc_periodic(inst: WTBInstance, T: int, seeds, M: int, n_samples: int | None = None, order=None,
                    record_actions: bool = False, ckpt=None) -> RunResult:
    """TB-ETC-periodic: explore-then-commit over M-periodic schedules [ours].

    A stand-in for the tallying-bandit algorithm of Malik, Li, Singh (COLT 2022), whose text we could not
    read; it is ours and is never that algorithm (docs/topics/tallying.md#tb-etc-periodic). It uses the
    structural fact that in an m-periodic action sequence every play of arm a has unweighted tally
    n_a, the count of a per period (both lag conventions; test
    ``test_periodic_schedules_have_constant_unweighted_tallies``):

    1. explore: for each count tau = 1..M and each arm a (in ``order``), unless the cell (a, tau)
       already has ``n_samples`` losses, play the period "a tau times, then the other arms one slot
       each, cyclically" until it has: the first period is discarded, every later loss of an arm b is
       recorded in the cell (b, count of b per period);
    2. commit: choose counts n_a >= 0 with sum n_a = M minimising sum_a n_a fhat_a(n_a) (knapsack DP,
       O(K M^2)) and play their period, each arm's plays consecutive, until T.

    It assumes unit weights and memory M = m (the COLT setting); with other weights or M > m the tallies
    of its periods are not constant and it is misspecified. Under REO with unit weights the best period
    is a* M times (constant play), so it explores M K cells where WTB-SE explores K means: the gap the
    WTB paper's abstract stresses.

    Parameters
    ----------
    inst : WTBInstance
        The instance; the algorithm reads only K and the sampled losses.
    T : int
        Horizon (>= 1).
    seeds : list of numpy.random.SeedSequence
        One per run; the batch is one kernel call.
    M : int
        The period, the memory the algorithm assumes (it never reads m, w or f).
    n_samples : int, optional
        Losses per (arm, count) cell (default :func:`tb_etc_samples`).
    order : permutation of 0..K-1 or "random", optional
        Arm order of exploration and of the DP (default increasing index; ``"random"`` draws one per
        run from its stream, so the law of the run does not depend on arm labels).
    record_actions : bool
        Store the action sequences in ``RunResult.actions``.
    ckpt : int array, optional
        Checkpoint times (default :func:`checkpoints`).

    Returns
    -------
    RunResult
        Labelled ``"tb_etc_periodic"``; ``bad_kept`` is 0 (the counter is WTB-SE's).

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.bandits.tallying.instances import learning_curve_instance
    >>> inst = learning_curve_instance(3, 4, seed=0)
    >>> res = tb_etc_periodic(inst, 3000, repetition_seeds(0, "doc", 2), M=4, record_actions=True)
    >>> bool(np.all(res.actions[:, -1] == inst.info["best"]))
    True
    """
    T = check_int("T", T, minimum=1)
    M = check_int("M", M, minimum=1)
    n = tb_etc_samples(inst.K, T, M) if n_samples is None else check_int("n_samples", n_samples, minimum=1)
    cfg_i, cfg_f = _cfg(period=M, n_cell=n, shuffle=int(isinstance(order, str) and order == "random"))
    return _run("tb_etc_periodic", kernels.ALG_CODES["tb_etc_periodic"], inst, T, seeds, cfg_i, cfg_f,
                _order(inst, order), "per_step", record_actions, ckpt)


def fixed_arm(inst: WTBInstance, T: int, seeds, arm: int, record_actions: bool = False, ckpt=None) -> RunResult:
    """Always play ``arm`` (oracle line; with a* it has CPR_const = 0)."""
    arm = check_int("arm", arm, minimum=0, maximum=inst.K - 1)
    cfg_i, cfg_f = _cfg(fixed=arm)
    return _run(f"fixed({arm})", kernels.ALG_CODES["fixed"], inst, T, seeds, cfg_i, cfg_f, _order(inst, None),
                "per_step", record_actions, ckpt)


def uniform_random(inst: WTBInstance, T: int, seeds, record_actions: bool = False, ckpt=None) -> RunResult:
    """Play a uniformly random arm every step (upper reference line)."""
    cfg_i, cfg_f = _cfg()
    return _run("uniform", kernels.ALG_CODES["uniform"], inst, T, seeds, cfg_i, cfg_f, _order(inst, None),
                "per_step", record_actions, ckpt)


def myopic_arm(inst: WTBInstance) -> int:
    """argmin_a f_a(first-play tally): the arm that looks best fresh (ties to the lowest index).

    Parameters
    ----------
    inst : WTBInstance
        The instance; each arm's loss is read at ``inst.min_tally``, the tally of a play from cold.

    Returns
    -------
    int
        Index in 0..K-1 of the arm a greedy learner judging by first plays would fix on (the
        ``fixed_myopic`` line of :func:`run_algorithm`).
    """
    return int(np.argmin([float(inst.loss(a, inst.min_tally)) for a in range(inst.K)]))


_COMMON_DOC = """

    Parameters
    ----------
    inst : WTBInstance
        The instance (the algorithm reads only K and the sampled losses).
    T : int
        Horizon.
    seeds : list of numpy.random.SeedSequence
        One per run (``theorylab.core.seeding.repetition_seeds``); the batch is one kernel call.
    record_actions : bool
        Store the action sequences in ``RunResult.actions``.
    ckpt : int array, optional
        Checkpoint times (default :func:`checkpoints`).{more}

    Returns
    -------
    RunResult
        Pseudo and realised losses of every run at the checkpoints; ``RunResult.algorithm`` is the function's
        name, except ``"fixed(arm)"`` for fixed_arm and ``"uniform"`` for uniform_random.

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.bandits.tallying.instances import learning_curve_instance
    >>> res = {name}(learning_curve_instance(3, 2, seed=0), 500, repetition_seeds(0, "doc", 2){extra})
    >>> res.final().shape
    (2,)
    """

_ALPHA_SIGMA = """
    alpha : float, default {alpha}
        Exploration multiplier (> 0) in the confidence width sqrt(2 sigma^2 alpha log t / h).
    sigma : float, default 0.5
        Assumed sub-Gaussian scale (> 0) of the losses (1/2 for losses in [0, 1])."""
#: The entries of each entry point's own keywords, spliced into its Parameters section.
_MORE_PARAMS = {
    "plain_se": """
    delta : float, optional
        Confidence in (0, 1] of the radius (default 1/T).
    c_rad : float, default 1.0
        Radius multiplier (>= 0), as in :func:`wtb_se`.
    order : permutation of 0..K-1 or "random", optional
        Arm order of a round (default increasing index; ``"random"`` draws one per run from its stream).""",
    "batched_exp3": """
    tau : int, optional
        Plays per block (>= 1; default ceil(T^(1/3))).
    burn_in : int, default 0
        Leading plays of each block (0..tau-1) left out of the block's average loss.""",
    "swa": """
    window : int, optional
        Losses averaged per arm (>= 1; default :func:`swa_window` ``(K, T, alpha)``).
    alpha : float, default 0.2
        Multiplier (> 0) of the default window; ignored when ``window`` is given.""",
    "raw_ucb": _ALPHA_SIGMA.format(alpha="1.0"),
    "fewa": _ALPHA_SIGMA.format(alpha="4.0").replace("in the confidence width", "in the elimination threshold 2"),
    "fixed_arm": """
    arm : int
        The arm played at every step, in 0..K-1.""",
}

for _fn, _extra in ((plain_se, ""), (ucb1, ""), (exp3, ""), (batched_exp3, ""), (swa, ""), (raw_ucb, ""), (fewa, ""),
                    (fixed_arm, ", arm=0"), (uniform_random, "")):
    _fn.__doc__ = _fn.__doc__ + _COMMON_DOC.format(name=_fn.__name__, extra=_extra,
                                                   more=_MORE_PARAMS.get(_fn.__name__, ""))


def run_algorithm(name: str, inst: WTBInstance, T: int, seeds, M: int | None = None, **kw) -> RunResult:
    """Dispatch by name (:data:`ALGORITHM_NAMES`); ``M`` is needed by :data:`NEEDS_M`.

    Parameters
    ----------
    name : str
        One of :data:`ALGORITHM_NAMES`: an entry point's name, ``wtb_se_anytime`` (``wtb_se(anytime=True)``),
        ``fixed_best`` (:func:`fixed_arm` on argmin_a mu_a, the oracle a*), ``fixed_myopic`` (:func:`fixed_arm`
        on :func:`myopic_arm`) or ``uniform`` (:func:`uniform_random`).
    inst : WTBInstance
        The instance.
    T : int
        Horizon.
    seeds : list of numpy.random.SeedSequence
        One per run.
    M : int, optional
        The known memory bound (read by ``wtb_se``, ``wtb_se_anytime`` and ``tb_etc_periodic`` only, and
        required by them; ignored by the others).
    **kw
        Keywords of the algorithm's entry point.

    Returns
    -------
    RunResult
        The result of the entry point; its ``algorithm`` is the entry point's label (``"fixed(a)"`` for
        the two fixed lines, ``"wtb_se"`` for ``wtb_se_known_m``).

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> from theorylab.bandits.tallying.instances import learning_curve_instance
    >>> run_algorithm("ucb1", learning_curve_instance(3, 2, seed=0), 200, repetition_seeds(0, "d", 2)).algorithm
    'ucb1'
    """
    check_choice("name", name, ALGORITHM_NAMES)
    if name in NEEDS_M:
        if M is None:
            raise ValueError(f"{name} needs M (the known upper bound on the memory)")
        if name == "wtb_se_anytime":
            return wtb_se(inst, T, seeds, M=M, anytime=True, **kw)
        return (wtb_se if name == "wtb_se" else tb_etc_periodic)(inst, T, seeds, M=M, **kw)
    if name == "fixed_best":
        return fixed_arm(inst, T, seeds, int(np.argmin(inst.full_means)), **kw)
    if name == "fixed_myopic":
        return fixed_arm(inst, T, seeds, myopic_arm(inst), **kw)
    fn = {"wtb_se_known_m": wtb_se_known_m, "plain_se": plain_se, "ucb1": ucb1, "exp3": exp3,
          "batched_exp3": batched_exp3, "swa": swa, "raw_ucb": raw_ucb, "fewa": fewa, "uniform": uniform_random}[name]
    return fn(inst, T, seeds, **kw)

