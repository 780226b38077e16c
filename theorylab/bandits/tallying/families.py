"""Loss-function families of the weighted tallying bandit and the weight profiles (docs/topics/tallying.md#model).

A family maps the normalised exposure u = x / W of the played arm (x its weighted tally, W the full
tally) to a mean loss, clipped into [0, 1]. Each family has an integer code shared with the kernels and
four parameters ``par[a, 0:4]``; the numpy formulas here and the njit switch in
:mod:`theorylab.bandits.tallying.kernels` are pinned together by a test.

Families (all [ours] as parameterisations; docs/topics/tallying.md#model):

- ``exp_curve``    c + b exp(-u / kappa)            par = (c, b, kappa)      learning curve (A)
- ``power_curve``  c + b (1 + s u)^(-beta)          par = (c, b, s, beta)    power law of practice (A)
- ``satiation``    c + s u^p                        par = (c, s, p)          boredom (B)
- ``inverted_u``   c + s (u - u0)^2                 par = (c, s, u0)         mere exposure (C)
- ``linear``       alpha + beta u                   par = (alpha, beta)      (D)
- ``step``         hi if u < thr else lo            par = (hi, lo, thr)      lower-bound family (E)
- ``table``        table[a, floor(x * scale + 1/2)] par = (scale,)           tabulated by tally code
"""

from __future__ import annotations

import numpy as np

from theorylab.core.validate import check_array, check_choice, check_int, check_real

__all__ = ["FAMILY_CODES", "family_loss", "WEIGHT_PROFILES", "weight_profile", "check_family_params"]

FAMILY_CODES = {"exp_curve": 0, "power_curve": 1, "satiation": 2, "inverted_u": 3, "linear": 4, "step": 5,
                "table": 6}
_NPAR = {"exp_curve": 3, "power_curve": 4, "satiation": 3, "inverted_u": 3, "linear": 2, "step": 3, "table": 1}
WEIGHT_PROFILES = ("unweighted", "exponential", "power", "linear", "random", "binary")


def check_family_params(family: str, par) -> np.ndarray:
    """Validated parameter row (length 4, zero-padded) of one arm's family.

    Raises ValueError naming ``family`` or ``par`` when the family is unknown, the row has the wrong
    length, or a scale parameter (kappa, s, beta, p, scale) is not positive.

    Parameters
    ----------
    family : str
        Family name, a key of :data:`FAMILY_CODES`.
    par : sequence of float
        The family's parameters in the order of the module docstring, exactly as many as it needs
        (3 for ``exp_curve``, 4 for ``power_curve``, 2 for ``linear``, 1 for ``table``, ...); for ``step``
        the threshold thr must lie in (0, 1].

    Returns
    -------
    numpy.ndarray of float, shape (4,)
        ``par`` followed by zeros up to length 4: one row of ``WTBInstance.params``, the layout the
        kernels index as ``par[a, 0:4]``.

    Examples
    --------
    >>> check_family_params("linear", [0.2, 0.5]).tolist()
    [0.2, 0.5, 0.0, 0.0]
    """
    check_choice("family", family, FAMILY_CODES)
    arr = check_array("par", par, ndim=1)
    need = _NPAR[family]
    if arr.size != need:
        raise ValueError(f"par of family {family!r} must have {need} entries, got {arr.size}")
    if family == "exp_curve" and arr[2] <= 0:
        raise ValueError(f"par[2] (kappa) of family 'exp_curve' must be > 0, got {arr[2]}")
    if family == "power_curve" and (arr[2] <= 0 or arr[3] <= 0):
        raise ValueError(f"par[2:4] (s, beta) of family 'power_curve' must be > 0, got {arr[2:4]}")
    if family == "satiation" and arr[2] <= 0:
        raise ValueError(f"par[2] (p) of family 'satiation' must be > 0, got {arr[2]}")
    if family == "step" and not 0.0 < arr[2] <= 1.0:
        raise ValueError(f"par[2] (thr) of family 'step' must lie in (0, 1], got {arr[2]}")
    if family == "table" and arr[0] <= 0:
        raise ValueError(f"par[0] (scale) of family 'table' must be > 0, got {arr[0]}")
    out = np.zeros(4)
    out[:need] = arr
    return out


def family_loss(code: int, par: np.ndarray, table_row: np.ndarray, x, W: float) -> np.ndarray:
    """Mean loss of one arm at tallies ``x`` (numpy, vectorised over ``x``), clipped to [0, 1].

    Parameters
    ----------
    code : int
        Family code (:data:`FAMILY_CODES`).
    par : float array (4,)
        The arm's parameter row (:func:`check_family_params`; unused trailing entries are 0).
    table_row : float array (n,)
        The arm's row of the instance table (used by ``table`` only).
    x : float or array
        Weighted tallies in [0, W].
    W : float
        Full tally.

    Returns
    -------
    float array, shape of ``x``
        f(x) of the family at u = x / W, clipped into [0, 1] (a 0-d array for scalar ``x``).

    Examples
    --------
    >>> float(family_loss(FAMILY_CODES["linear"], np.array([0.2, 0.5, 0, 0]), np.zeros(1), 2.0, 4.0))
    0.45
    """
    x = np.asarray(x, dtype=float)
    u = x / W
    c0, c1, c2, c3 = par
    if code == 0:
        v = c0 + c1 * np.exp(-u / c2)
    elif code == 1:
        v = c0 + c1 * (1.0 + c2 * u) ** (-c3)
    elif code == 2:
        v = c0 + c1 * u ** c2
    elif code == 3:
        v = c0 + c1 * (u - c2) ** 2
    elif code == 4:
        v = c0 + c1 * u
    elif code == 5:
        v = np.where(u < c2, c0, c1)
    elif code == 6:
        idx = np.floor(x * c0 + 0.5).astype(np.int64)
        v = table_row[np.clip(idx, 0, table_row.size - 1)]
    else:
        raise ValueError(f"unknown family code {code}")
    return np.clip(v, 0.0, 1.0)


def weight_profile(name: str, m: int, gamma: float = 0.8, d: float = 1.0, seed: int = 0) -> np.ndarray:
    """Weights w_0..w_{m-1} (w_i weighs the play at lag i of the tally window), all > 0.

    ``unweighted`` w_i = 1; ``exponential`` gamma^i (Ebbinghaus-style forgetting); ``power`` (1 + i)^-d;
    ``linear`` (m - i) / m; ``random`` m Dirichlet(1..1) + 1e-3 (seeded; property tests); ``binary``
    2^-i (the password instance: the tally is a binary code of the lag set). [ours: profiles]

    Parameters
    ----------
    name : str
        One of :data:`WEIGHT_PROFILES`.
    m : int
        Memory (>= 1), the number of weights.
    gamma : float, default 0.8
        Decay rate in (0, 1] of ``exponential`` (ignored by the other profiles).
    d : float, default 1.0
        Exponent (> 0) of ``power`` (ignored by the other profiles).
    seed : int, default 0
        Seed (>= 0) of ``random`` (ignored by the other profiles).

    Returns
    -------
    numpy.ndarray of float, shape (m,)
        w_0..w_{m-1}, all positive; w_0 is the weight of the most recent lag of the window.

    Examples
    --------
    >>> weight_profile("exponential", 3, gamma=0.5).tolist()
    [1.0, 0.5, 0.25]
    """
    check_choice("name", name, WEIGHT_PROFILES)
    m = check_int("m", m, minimum=1)
    i = np.arange(m, dtype=float)
    if name == "unweighted":
        return np.ones(m)
    if name == "exponential":
        gamma = check_real("gamma", gamma, minimum=0.0, maximum=1.0, strict_min=True)
        return gamma ** i
    if name == "power":
        d = check_real("d", d, minimum=0.0, strict_min=True)
        return (1.0 + i) ** (-d)
    if name == "linear":
        return (m - i) / m
    if name == "binary":
        return 2.0 ** (-i)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    return m * rng.dirichlet(np.ones(m)) + 1e-3
