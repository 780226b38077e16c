"""Stochastic K-armed bandit environments (the classic instances shared by every bandit topic).

Each environment is a frozen description (arm means and a reward law) that kernels read through
two numbers: ``law_code`` (0 Bernoulli, 1 Gaussian, 2 Beta) and ``law_param`` (Gaussian sigma or
Beta concentration). Rewards of Bernoulli and Beta arms lie in [0, 1]; Gaussian arms are
sub-Gaussian with variance proxy sigma^2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theorylab.core.validate import check_array, check_means_unit, check_positive

__all__ = ["BanditEnvironment", "BernoulliBandit", "GaussianBandit", "BetaBandit", "LAW_CODES",
           "named_instance", "INSTANCE_NAMES", "complexity_h1", "complexity_h2"]

LAW_CODES = {"bernoulli": 0, "gaussian": 1, "beta": 2}


@dataclass(frozen=True)
class BanditEnvironment:
    """A stochastic bandit: arm means, a reward law and its parameter.

    Use :class:`BernoulliBandit`, :class:`GaussianBandit` or :class:`BetaBandit` to build one.

    Parameters
    ----------
    means : ndarray
        Arm means.
    law : str
        Reward law (a key of ``LAW_CODES``).
    law_param : float
        sigma (Gaussian) or concentration (Beta); unused for Bernoulli.
    """

    means: np.ndarray
    law: str
    law_param: float = 0.0

    @property
    def K(self) -> int:
        """Number of arms."""
        return int(self.means.size)

    @property
    def law_code(self) -> int:
        return LAW_CODES[self.law]

    @property
    def best_mean(self) -> float:
        return float(self.means.max())

    @property
    def best_arms(self) -> np.ndarray:
        """Indices of the arms with the largest mean."""
        return np.flatnonzero(self.means == self.means.max())

    @property
    def gaps(self) -> np.ndarray:
        """Delta_i = mu* - mu_i, shape (K,)."""
        return self.best_mean - self.means

    @property
    def bounded(self) -> bool:
        """True when rewards lie in [0, 1]."""
        return self.law in ("bernoulli", "beta")

    def require_unique_best(self) -> None:
        """Raise ValueError unless exactly one arm has the largest mean (needed for BAI)."""
        if self.best_arms.size != 1:
            raise ValueError(f"means must have a unique best arm for best-arm identification, "
                             f"got {self.best_arms.size} arms tied at {self.best_mean}")

    def sample(self, arm: int, size: int, rng: np.random.Generator) -> np.ndarray:
        """``size`` rewards of ``arm`` (pure numpy; used by references and tests)."""
        mu = self.means[arm]
        if self.law == "bernoulli":
            return (rng.random(size) < mu).astype(float)
        if self.law == "gaussian":
            return mu + self.law_param * rng.standard_normal(size)
        a, b = mu * self.law_param, (1 - mu) * self.law_param
        if a <= 0 or b <= 0:
            return np.full(size, mu)
        return rng.beta(a, b, size)


def BernoulliBandit(means) -> BanditEnvironment:
    """Bernoulli arms with the given means in [0, 1].

    Parameters
    ----------
    means : array_like, shape (K,), K >= 2, entries in [0, 1]

    Returns
    -------
    BanditEnvironment
        Bernoulli arms.

    Examples
    --------
    >>> env = BernoulliBandit([0.5, 0.4])
    >>> env.K, env.gaps.tolist()
    (2, [0.0, 0.09999999999999998])
    """
    return BanditEnvironment(check_means_unit("means", means).copy(), "bernoulli", 0.0)


def GaussianBandit(means, sigma: float = 1.0) -> BanditEnvironment:
    """Gaussian arms N(mu_i, sigma^2).

    Parameters
    ----------
    means : array_like, shape (K,), K >= 2
    sigma : float > 0

    Returns
    -------
    BanditEnvironment
        Gaussian arms.
    """
    arr = check_array("means", means, ndim=1)
    if arr.size < 2:
        raise ValueError(f"means must have K >= 2 arms, got K = {arr.size}")
    return BanditEnvironment(arr.copy(), "gaussian", check_positive("sigma", sigma))


def BetaBandit(means, concentration: float = 2.0) -> BanditEnvironment:
    """Bounded-support arms: Beta(mu c, (1 - mu) c) rewards on [0, 1] (point mass at mu in {0, 1}).

    Parameters
    ----------
    means : array_like, shape (K,), K >= 2, entries in [0, 1]
    concentration : float > 0
        c = a + b; variance mu (1 - mu) / (c + 1).

    Returns
    -------
    BanditEnvironment
        Beta arms with the given means.
    """
    return BanditEnvironment(check_means_unit("means", means).copy(), "beta", check_positive("concentration", concentration))


INSTANCE_NAMES = {
    "linspace10": "Bernoulli, K = 10, means linspace(0.1, 0.9, 10) (the standard speed workload)",
    "two_arm_0.1": "Bernoulli, means (0.5, 0.4)",
    "two_arm_0.2": "Bernoulli, means (0.6, 0.4)",
    "five_arm": "Bernoulli, means (0.7, 0.6, 0.5, 0.4, 0.3)",
    "bai4": "Bernoulli, means (0.9, 0.6, 0.5, 0.4) (fixed-budget BAI checks)",
    "bai8": "Bernoulli, means (0.7, 0.5, 0.5, 0.45, 0.4, 0.35, 0.3, 0.2) (fixed-budget BAI figures)",
}

_MEANS = {
    "linspace10": np.linspace(0.1, 0.9, 10),
    "two_arm_0.1": np.array([0.5, 0.4]),
    "two_arm_0.2": np.array([0.6, 0.4]),
    "five_arm": np.array([0.7, 0.6, 0.5, 0.4, 0.3]),
    "bai4": np.array([0.9, 0.6, 0.5, 0.4]),
    "bai8": np.array([0.7, 0.5, 0.5, 0.45, 0.4, 0.35, 0.3, 0.2]),
}


def named_instance(name: str, law: str = "bernoulli", law_param: float | None = None) -> BanditEnvironment:
    """One of the named instances of :data:`INSTANCE_NAMES` under the given reward law.

    Parameters
    ----------
    name : str
        A key of ``INSTANCE_NAMES``.
    law : str
        ``bernoulli``, ``gaussian`` or ``beta``.
    law_param : float, optional
        sigma (gaussian) or concentration (beta).

    Returns
    -------
    BanditEnvironment
        The instance.
    """
    if name not in _MEANS:
        raise ValueError(f"instance must be one of {sorted(_MEANS)}, got {name!r}")
    if law == "bernoulli":
        return BernoulliBandit(_MEANS[name])
    if law == "gaussian":
        return GaussianBandit(_MEANS[name], 1.0 if law_param is None else law_param)
    if law == "beta":
        return BetaBandit(_MEANS[name], 2.0 if law_param is None else law_param)
    raise ValueError(f"law must be one of {sorted(LAW_CODES)}, got {law!r}")


def _sorted_gaps(means: np.ndarray) -> np.ndarray:
    m = np.sort(np.asarray(means, dtype=float))[::-1]
    gaps = m[0] - m
    gaps[0] = gaps[1]
    return gaps


def complexity_h1(means) -> float:
    """H1 = sum_{i=1}^K Delta_(i)^-2 with Delta_(1) := Delta_(2) (Audibert, Bubeck, Munos 2010, Section 2).

    Some textbook statements write the sum from i = 2; we follow the paper, whose sum includes the best arm
    (that is what makes H2 <= H1 <= log(2K) H2 hold; docs/topics/classic.md#complexities). Infinite if the
    best arm is not unique.

    Parameters
    ----------
    means : array_like
        Arm means.

    Returns
    -------
    float
        H1 (inf if the best arm is not unique).
    """
    g = _sorted_gaps(means)
    return float(np.inf) if g[1] == 0 else float((g ** -2.0).sum())


def complexity_h2(means) -> float:
    """H2 = max_i i Delta_(i)^-2 with Delta_(1) := Delta_(2) (Audibert, Bubeck, Munos 2010).

    Parameters
    ----------
    means : array_like
        Arm means.

    Returns
    -------
    float
        H2 (inf if the best arm is not unique).
    """
    g = _sorted_gaps(means)
    if g[1] == 0:
        return float(np.inf)
    i = np.arange(1, g.size + 1)
    return float((i * g ** -2.0).max())
