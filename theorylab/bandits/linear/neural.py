"""Neural regret baselines on theorylab.nn: NeuralUCB (diagonal) and neural epsilon-greedy (docs/topics/linear.md#neural-baselines-ours).

Zhou, Li & Gu, "Neural Contextual Bandits with UCB-based Exploration", ICML 2020 (arXiv 1911.04462),
as in their official code (learner_diag.py, train.py) [standard]: a one-hidden-layer ReLU network f(x; theta)
of width m (default 100) fitted by SGD (lr 1e-2, weight decay lambda) to the observed rewards; NeuralUCB
plays argmax_a f(phi(a)) + sqrt(sum_j lambda nu g_j(a)^2 / U_j) with g(a) = grad_theta f(phi(a); theta) and
a DIAGONAL U initialised to lambda and updated U += g(a_t)^2 (the official code's diagonal approximation of
the paper's full Z_t; the paper's gamma_t is replaced by the constant nu, also as in that code). Neural
epsilon-greedy plays a uniformly random arm with probability epsilon, else argmax_a f(phi(a)) [ours: the
spec's companion baseline, epsilon constant].

The action set is the instance's fixed K feature vectors (no contexts), so f and the gradients g(a) of
all K arms change only when the network is retrained: they are computed for all arms at once (one
forward pass and :func:`theorylab.nn.per_sample_gradients`, K x P) after each retraining and reused, and
the bonus of all arms is one (K x P) @ (P,) product per round. Runs are independent Python loops over
rounds (one run at a time); every random draw of run r (network initialisation, exploration coins,
minibatch order, noise, tie-breaks) comes from ``numpy.random.default_rng(seeds[r])``, so a run depends
on its seed only. Exact ties of the index are broken uniformly at random.
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.linear.draws import check_seeds
from theorylab.bandits.linear.linucb import RegretResult
from theorylab.bandits.linear.results import TIE_TOL, check_instance
from theorylab.core.validate import check_array, check_int, check_real
from theorylab.nn import MLP, SGD, mse_loss, per_sample_gradients

__all__ = ["NEURAL_DEFAULTS", "neural_ucb", "neural_eps_greedy", "retrain_rounds"]

#: Defaults of the official NeuralUCB code (spec section 4.5): width 100, lambda 1e-3, nu 1, SGD lr 1e-2,
#: retrain every round for t < 2000 then every 100 rounds, up to 1000 SGD steps or mean loss <= 1e-3,
#: one sample per SGD step.
NEURAL_DEFAULTS = {"width": 100, "lam": 1e-3, "nu": 1.0, "lr": 1e-2, "retrain_until": 2000, "retrain_every": 100,
                   "max_steps": 1000, "loss_tol": 1e-3, "batch_size": 1}


def retrain_rounds(horizon: int, retrain_until: int, retrain_every: int) -> np.ndarray:
    """Rounds t (1-based) after whose observation the network is retrained.

    Every round t < ``retrain_until``, then every ``retrain_every``-th round (t a multiple of it).

    Parameters
    ----------
    horizon, retrain_until, retrain_every : int

    Returns
    -------
    int64 array, increasing

    Examples
    --------
    >>> retrain_rounds(12, 4, 5).tolist()
    [1, 2, 3, 5, 10]
    """
    horizon = check_int("horizon", horizon, minimum=1)
    retrain_until = check_int("retrain_until", retrain_until, minimum=0)
    retrain_every = check_int("retrain_every", retrain_every, minimum=1)
    t = np.arange(1, horizon + 1)
    return t[(t < retrain_until) | (t % retrain_every == 0)].astype(np.int64)


def _argmax_ties(values: np.ndarray, rng: np.random.Generator) -> int:
    top = values.max()
    tied = np.flatnonzero(values >= top - TIE_TOL)
    return int(tied[0]) if tied.size == 1 else int(tied[rng.integers(tied.size)])


def _train(net, opt, X, y, n, rng, max_steps, batch_size, loss_tol):
    """Passes over the shuffled history in minibatches until ``max_steps`` steps or a pass's mean loss <= loss_tol."""
    steps = 0
    while steps < max_steps:
        perm = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            opt.zero_grad()
            loss = mse_loss(net(X[idx]), y[idx])
            loss.backward()
            opt.step()
            total += float(loss.data) * idx.size
            steps += 1
            if steps >= max_steps:
                return steps
        if total / n <= loss_tol:
            return steps
    return steps


def _checkpoints(checkpoints, horizon):
    if checkpoints is None:
        return np.array([horizon], dtype=np.int64)
    ck = check_array("checkpoints", checkpoints, ndim=1, dtype=np.int64, min_size=1)
    if np.any(np.diff(ck) <= 0) or ck[0] < 1 or ck[-1] > horizon:
        raise ValueError(f"checkpoints must be increasing rounds in [1, {horizon}]")
    return ck


def _run(inst, horizon, seed, ck, explore, width, lam, nu, epsilon, lr, retrain, max_steps, loss_tol, batch_size):
    rng = np.random.default_rng(seed)
    phi = np.ascontiguousarray(inst.features, dtype=float)
    K, d = phi.shape
    net = MLP((d, width, 1), activation="relu", seed=rng)
    opt = SGD(net.parameters(), lr=lr, weight_decay=lam)
    X = np.empty((horizon, d))
    y = np.empty((horizon, 1))
    gaps = inst.best_reward - inst.rewards
    cum = np.empty(horizon)
    retrain_at = np.zeros(horizon + 1, dtype=bool)
    retrain_at[retrain] = True
    stale = True
    total, steps, retrains = 0.0, 0, 0
    U = None
    for t in range(1, horizon + 1):
        if stale:
            f = net(phi).data[:, 0]
            if explore == "ucb":
                G2 = per_sample_gradients(net, phi) ** 2        # (K, P)
                if U is None:
                    U = np.full(G2.shape[1], lam)
            stale = False
        if explore == "ucb":
            index = f + np.sqrt(lam * nu * (G2 @ (1.0 / U)))
            a = _argmax_ties(index, rng)
            U += G2[a]
        elif rng.random() < epsilon:
            a = int(rng.integers(K))
        else:
            a = _argmax_ties(f, rng)
        X[t - 1] = phi[a]
        y[t - 1, 0] = inst.rewards[a] + inst.sigma * rng.standard_normal()
        total += gaps[a]
        cum[t - 1] = total
        if retrain_at[t]:
            steps += _train(net, opt, X, y, t, rng, max_steps, batch_size, loss_tol)
            retrains += 1
            stale = True
    return cum[ck - 1], steps, retrains


def _validated(instance, horizon, seeds, width, lam, lr, retrain_until, retrain_every, max_steps, loss_tol,
               batch_size, checkpoints):
    inst = check_instance(instance)
    horizon = check_int("horizon", horizon, minimum=1)
    seeds = check_seeds(seeds)
    width = check_int("width", width, minimum=1)
    lam = check_real("lam", lam, minimum=0.0, strict_min=True)
    lr = check_real("lr", lr, minimum=0.0, strict_min=True)
    retrain = retrain_rounds(horizon, retrain_until, retrain_every)
    max_steps = check_int("max_steps", max_steps, minimum=1)
    loss_tol = check_real("loss_tol", loss_tol, minimum=0.0)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    return inst, horizon, seeds, width, lam, lr, retrain, max_steps, loss_tol, batch_size, _checkpoints(checkpoints, horizon)


def _batch(name, explore, instance, horizon, seeds, width, lam, nu, epsilon, lr, retrain_until, retrain_every,
           max_steps, loss_tol, batch_size, checkpoints):
    inst, horizon, seeds, width, lam, lr, retrain, max_steps, loss_tol, batch_size, ck = _validated(
        instance, horizon, seeds, width, lam, lr, retrain_until, retrain_every, max_steps, loss_tol, batch_size,
        checkpoints)
    regret = np.empty((len(seeds), ck.size))
    steps = np.empty(len(seeds), dtype=np.int64)
    for r, seed in enumerate(seeds):
        regret[r], steps[r], n_retrain = _run(inst, horizon, seed, ck, explore, width, lam, nu, epsilon, lr, retrain,
                                              max_steps, loss_tol, batch_size)
    info = {"width": width, "lam": lam, "nu": nu, "epsilon": epsilon, "lr": lr, "retrain_until": retrain_until,
            "retrain_every": retrain_every, "max_steps": max_steps, "loss_tol": loss_tol, "batch_size": batch_size,
            "retrains": int(n_retrain), "sgd_steps": steps, "horizon": horizon, "covariance": "diagonal"}
    return RegretResult(name, ck, regret, None, info)


def neural_ucb(instance, horizon: int, seeds, width: int = 100, lam: float = 1e-3, nu: float = 1.0,
               lr: float = 1e-2, retrain_until: int = 2000, retrain_every: int = 100, max_steps: int = 1000,
               loss_tol: float = 1e-3, batch_size: int = 1, checkpoints=None) -> RegretResult:
    """NeuralUCB with the diagonal gradient covariance (Zhou, Li & Gu, ICML 2020; their official code).

    Round t: play argmax_a f(phi(a)) + sqrt(sum_j lam nu g_j(a)^2 / U_j) (exact ties at random), with
    g(a) the gradient of the network output at phi(a) with respect to all P parameters
    (:func:`theorylab.nn.per_sample_gradients`), U (P,) initialised to lam and updated U += g(a_t)^2; observe
    r(a_t) + N(0, sigma^2); after the rounds of :func:`retrain_rounds` run SGD (lr ``lr``, weight decay
    ``lam``) on the squared loss of the whole history, continuing from the current weights. The network is
    one hidden ReLU layer of ``width`` units, Glorot-uniform initialisation (torch's default in the
    official code is Kaiming-uniform) [ours].

    Parameters
    ----------
    instance : LinearInstance
        Its features are the network's inputs, its ``sigma`` the noise level.
    horizon : int >= 1
    seeds : sequence of numpy.random.SeedSequence
        One per run (:func:`theorylab.core.seeding.repetition_seeds`).
    width : int >= 1
        Hidden units m.
    lam : float > 0
        lambda: initial U, weight decay and bonus factor.
    nu : float >= 0
        Exploration scale (nu = 0 is greedy on f).
    lr : float > 0
        SGD step size.
    retrain_until, retrain_every : int
        Retraining schedule (:func:`retrain_rounds`).
    max_steps : int >= 1
        SGD steps per retraining at most.
    loss_tol : float >= 0
        Stop a retraining after a pass over the history whose mean loss is <= loss_tol.
    batch_size : int >= 1
        Samples per SGD step (1 in the official code).
    checkpoints : array of int, optional
        Rounds at which the cumulative pseudo-regret is recorded (default: the horizon).

    Memory: the squared gradients of all actions, K x P floats (P = (d + 2) width + 1), are kept between
    retrainings.

    Returns
    -------
    RegretResult
        ``regret`` (R, C) cumulative pseudo-regret sum_t (max r - r(a_t)); ``info`` holds the settings,
        the SGD steps of each run and ``covariance = "diagonal"``.

    Examples
    --------
    >>> from theorylab.bandits.linear.smooth import smooth_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> inst = smooth_instance(10, 3, 1, 0.1, seed=0, sigma=0.1)
    >>> res = neural_ucb(inst, 30, repetition_seeds(0, "doc", 2), width=8, retrain_until=5, retrain_every=10,
    ...                  max_steps=5, batch_size=8, checkpoints=[10, 30])
    >>> res.regret.shape, bool(np.all(np.diff(res.regret, axis=1) >= 0))
    ((2, 2), True)
    """
    nu = check_real("nu", nu, minimum=0.0)
    return _batch("neural_ucb", "ucb", instance, horizon, seeds, width, lam, nu, None, lr, retrain_until,
                  retrain_every, max_steps, loss_tol, batch_size, checkpoints)


def neural_eps_greedy(instance, horizon: int, seeds, epsilon: float = 0.05, width: int = 100, lam: float = 1e-3,
                      lr: float = 1e-2, retrain_until: int = 2000, retrain_every: int = 100, max_steps: int = 1000,
                      loss_tol: float = 1e-3, batch_size: int = 1, checkpoints=None) -> RegretResult:
    """Neural epsilon-greedy: a uniformly random arm with probability ``epsilon``, else argmax_a f(phi(a)).

    The network, its training and schedule are those of :func:`neural_ucb` (the spec's companion baseline
    to NeuralUCB, section "Neural baselines" of docs/topics/linear.md); only the exploration differs.
    Constant epsilon [ours].

    Parameters
    ----------
    instance : LinearInstance
    horizon : int >= 1
    seeds : sequence of numpy.random.SeedSequence
    epsilon : float in [0, 1]
        Exploration probability per round.
    width, lam, lr, retrain_until, retrain_every, max_steps, loss_tol, batch_size, checkpoints
        As in :func:`neural_ucb` (``lam`` is the weight decay only).

    Returns
    -------
    RegretResult

    Examples
    --------
    >>> from theorylab.bandits.linear.smooth import smooth_instance
    >>> from theorylab.core.seeding import repetition_seeds
    >>> inst = smooth_instance(10, 3, 1, 0.1, seed=0, sigma=0.1)
    >>> res = neural_eps_greedy(inst, 30, repetition_seeds(0, "doc", 2), epsilon=0.2, width=8, retrain_until=5,
    ...                         retrain_every=10, max_steps=5, batch_size=8)
    >>> res.regret.shape, res.algorithm
    ((2, 1), 'neural_eps_greedy')
    """
    epsilon = check_real("epsilon", epsilon, minimum=0.0, maximum=1.0)
    return _batch("neural_eps_greedy", "greedy", instance, horizon, seeds, width, lam, 0.0, epsilon, lr,
                  retrain_until, retrain_every, max_steps, loss_tol, batch_size, checkpoints)

