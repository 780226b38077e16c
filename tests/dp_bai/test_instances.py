import math

import numpy as np
import pytest

from theorylab.bandits.dp_bai.instances import (alternative_instance, complexities, hard_instance, linear_instance,
                                                random_linear_instance, random_unstructured_instance,
                                                soare_dp_instance, unstructured_instance)


def test_soare_dp_instance_matches_spec():
    inst = soare_dp_instance(d=5, K=30, omega=0.5)
    mu = inst.means
    assert inst.best_arm == 0 and math.isclose(mu[0], 0.9)
    assert math.isclose(mu[0] - np.sort(mu)[-2], 0.4 * (1 - math.cos(0.5)))
    assert np.all((mu >= 0.1 - 1e-12) & (mu <= 0.9 + 1e-12))
    assert inst.rank == 5


def test_complexities_unstructured():
    hb, hp = complexities([0.5, 0.4, 0.25])
    assert hb == pytest.approx(max(2 / 0.01, 3 / 0.0625)) and hp == pytest.approx(max(2 / 0.1, 3 / 0.25))


def test_hard_families_and_alternative():
    for fam in ("one_hard_arm", "linear_gaps", "polynomial"):
        inst = hard_instance(fam, 6, delta=0.05, alpha=2.0)
        assert inst.best_arm == 0 and np.all(inst.means >= 0.25 - 1e-12)
        alt = alternative_instance(inst, 2)
        assert alt.best_arm == 2


def test_random_instances_have_unique_best():
    for s in range(5):
        a = random_unstructured_instance(6, s)
        b = random_linear_instance(8, 3, s)
        for inst in (a, b):
            top = np.sort(inst.means)
            assert top[-1] - top[-2] >= 0.02


@pytest.mark.parametrize("kwargs, err", [
    (dict(arms=[[1.0], [2.0]], theta=[0.6]), ValueError),          # mean 1.2 > 1
    (dict(arms=[[1.0], [1.0]], theta=[0.5]), ValueError),          # tie for best
    (dict(arms=[[1.0, 0.0]], theta=[0.5, 0.1]), ValueError),       # K = 1
    (dict(arms=[[1.0, 0.0], [0, 1]], theta=[0.5]), ValueError),    # theta shape
    (dict(arms=[[1.0, 0.0], [0, 1]], theta=[0.5, 0.1], law="gauss"), ValueError),
    (dict(arms=[[1.0, 0.0], [0, 1]], theta=[0.5, 0.1], law="beta", concentration=0.0), ValueError),
    (dict(arms="abc", theta=[0.5]), TypeError),
])
def test_invalid_instances_raise(kwargs, err):
    with pytest.raises(err):
        linear_instance(**kwargs)


def test_invalid_constructor_args():
    with pytest.raises(ValueError):
        unstructured_instance([0.5])
    with pytest.raises(ValueError):
        soare_dp_instance(d=2)
    with pytest.raises(ValueError):
        hard_instance("nope", 4)
    with pytest.raises(ValueError):
        alternative_instance(hard_instance("linear_gaps", 4), 0)
