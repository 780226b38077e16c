import pytest

from theorylab.optim.pep import cocoercive_halpern_pep, feg_pep, halpern_pep, page_deterministic_pep


@pytest.mark.parametrize("k", [1, 2, 3, 5, 10])
def test_halpern_pep_equals_lieder_closed_form(k):
    r = halpern_pep(k)
    assert r.value == pytest.approx((2.0 / (k + 1)) ** 2, rel=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("k", range(1, 21))
def test_halpern_pep_equals_lieder_closed_form_full_range(k):
    assert halpern_pep(k).value == pytest.approx((2.0 / (k + 1)) ** 2, rel=1e-6)


@pytest.mark.parametrize("k", [1, 3, 10])
def test_cocoercive_halpern_pep_equals_one_over_k_plus_1_squared(k):
    assert cocoercive_halpern_pep(k).value == pytest.approx(1.0 / (k + 1) ** 2, rel=1e-6)


@pytest.mark.parametrize("k", [2, 3, 5])
def test_feg_pep_relaxation_equals_4_over_k_squared(k):
    assert feg_pep(k).value == pytest.approx(4.0 / k**2, rel=1e-6)


def test_feg_pep_is_below_bound_at_k1_and_broken_anchor_is_worse():
    assert feg_pep(1).value == pytest.approx(2.0, rel=1e-5)
    assert halpern_pep(5, anchor=(1.0, 2.0, 2.0)).value > 2 * halpern_pep(5).value


def test_page_deterministic_pep_matches_spec_values():
    r = page_deterministic_pep(5)
    assert r.value * 36 == pytest.approx(2.42, abs=0.01)


def test_pep_matches_pepit_where_installed():
    PEPit = pytest.importorskip("PEPit")  # noqa: F841
    from PEPit.examples.fixed_point_problems.halpern_iteration import wc_halpern_iteration

    ours = halpern_pep(25).value
    theirs, _ = wc_halpern_iteration(n=25, verbose=-1)[:2]
    assert ours == pytest.approx(theirs, rel=1e-4)
    assert ours == pytest.approx(0.0059173, rel=1e-4)


def test_pep_rejects_invalid_k():
    with pytest.raises(ValueError, match="k must be"):
        halpern_pep(0)
