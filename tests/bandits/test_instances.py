import numpy as np
import pytest

from theorylab.bandits.instances import (BernoulliBandit, BetaBandit, GaussianBandit, complexity_h1,
                                            complexity_h2, named_instance)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: BernoulliBandit([0.5]), ValueError, "K >= 2"),
    (lambda: BernoulliBandit([0.5, 1.2]), ValueError, r"\[0, 1\]"),
    (lambda: BernoulliBandit([-0.1, 0.5]), ValueError, r"\[0, 1\]"),
    (lambda: BernoulliBandit([[0.1, 0.2]]), ValueError, "1-dimensional"),
    (lambda: BernoulliBandit(["a", "b"]), TypeError, "numeric"),
    (lambda: BernoulliBandit([np.nan, 0.5]), ValueError, "finite"),
    (lambda: GaussianBandit([0.0, 1.0], sigma=0.0), ValueError, "sigma"),
    (lambda: GaussianBandit([0.0]), ValueError, "K >= 2"),
    (lambda: BetaBandit([0.2, 0.3], concentration=-1), ValueError, "concentration"),
    (lambda: named_instance("nope"), ValueError, "instance"),
    (lambda: named_instance("bai4", law="cauchy"), ValueError, "law"),
])
def test_invalid_environments_raise_naming_the_parameter(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_unique_best_arm_is_required_for_identification():
    with pytest.raises(ValueError, match="unique best arm"):
        BernoulliBandit([0.5, 0.5, 0.1]).require_unique_best()


def test_complexities_on_a_known_instance():
    m = [0.9, 0.6, 0.5, 0.4]
    assert complexity_h1(m) == pytest.approx(2 / 0.09 + 1 / 0.16 + 1 / 0.25)
    assert complexity_h2(m) == pytest.approx(2 / 0.09)
    assert complexity_h2(m) <= complexity_h1(m) <= np.log(2 * 4) * complexity_h2(m)  # ABM 2010, eq. (1)


def test_sample_means_match_the_law():
    rng = np.random.default_rng(0)
    for env in (BernoulliBandit([0.3, 0.7]), BetaBandit([0.3, 0.7], 3.0), GaussianBandit([0.3, 0.7], 0.5)):
        assert env.sample(1, 40_000, rng).mean() == pytest.approx(0.7, abs=0.02)



def test_an_explicit_none_law_param_means_the_laws_default():
    from theorylab.bandits.tasks import environment_from_params

    for law, default in (("gaussian", 1.0), ("beta", 2.0)):
        env = environment_from_params({"means": [0.2, 0.6], "law": law, "law_param": None})
        assert env.law_param == default
