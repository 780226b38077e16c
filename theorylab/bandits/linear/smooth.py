"""The smooth-misspecification instance of the neural demo (docs/topics/linear.md#neural-baselines-ours).

SMOOTH(K, d, s, eps, omega): the features and the s-sparse comparator theta* of RANDSPARSE(K, d, s, 0) at
the same seed, and mean rewards r(a) = <phi(a), theta*> + eps sin(<w, phi(a)>) for a random direction w of
norm ``omega`` (the frequency). The misspecification eta(a) = eps sin(<w, phi(a)>) is a smooth function of
the features, unlike the adversarial (needle) misspecification of the paper's lower bounds: a flexible
model can learn it, a linear one cannot. [ours: the instance of the spec's neural-baseline remark, with
the frequency, the scaling and the seeding our choices.]
"""

from __future__ import annotations

import numpy as np

from theorylab.bandits.linear.instances import LinearInstance, linear_instance, random_sparse_instance
from theorylab.core.seeding import seed_sequence
from theorylab.core.validate import check_int, check_real

__all__ = ["smooth_instance"]


def smooth_instance(K: int, d: int, s: int, eps: float, omega: float = 3.0, seed: int = 0,
                    sigma: float = 0.0) -> LinearInstance:
    """SMOOTH(K, d, s, eps, omega): eta(a) = eps sin(<w, phi(a)>), ||w||_2 = omega [ours].

    Parameters
    ----------
    K, d, s : int
        Actions (K >= 2), dimension (d >= 1), sparsity of theta* (1 <= s <= d).
    eps : float in [0, 1]
        Amplitude of the misspecification; max_a |eta(a)| <= eps is checked by
        :func:`theorylab.bandits.linear.instances.linear_instance` (it is attained only approximately:
        the largest |sin| over K actions).
    omega : float > 0
        Norm of w (frequency of the sine along w); ``omega * max ||phi||`` above pi/2 makes eta
        non-monotone along w.
    seed : int >= 0
        Instance seed: the features and theta* are those of ``random_sparse_instance(K, d, s, 0, seed=seed)``;
        w comes from ``seed_sequence(seed, key)`` with a key naming this instance.
    sigma : float >= 0
        Gaussian query noise.

    Returns
    -------
    LinearInstance
        Named ``smooth``; ``params`` records every argument and ``params["w"]`` the direction used.

    Examples
    --------
    >>> inst = smooth_instance(40, 5, 2, 0.1, omega=3.0, seed=1)
    >>> eta = inst.misspecification
    >>> bool(np.abs(eta).max() <= 0.1), bool(np.allclose(eta, 0.1 * np.sin(inst.features @ inst.params["w"])))
    (True, True)
    """
    K = check_int("K", K, minimum=2)
    d = check_int("d", d, minimum=1)
    s = check_int("s", s, minimum=1, maximum=d)
    eps = check_real("eps", eps, minimum=0.0, maximum=1.0)
    omega = check_real("omega", omega, minimum=0.0, strict_min=True)
    sigma = check_real("sigma", sigma, minimum=0.0)
    base = random_sparse_instance(K, d, s, 0.0, seed=seed)      # validates seed; eta = 0 here
    rng = np.random.default_rng(seed_sequence(int(seed), {"instance": "smooth", "K": K, "d": d, "s": s}))
    w = rng.normal(size=d)
    w *= omega / max(np.linalg.norm(w), 1e-300)
    lin = base.features @ base.theta
    rewards = lin + eps * np.sin(base.features @ w)
    params = {"instance": "smooth", "K": K, "d": d, "s": s, "eps": eps, "omega": omega, "seed": seed,
              "sigma": sigma, "w": w}
    return linear_instance(base.features, rewards, base.theta, eps, sigma, name="smooth", params=params)
