"""The thresholds of ours in the dp_bai claims were set on instances and seeds disjoint from the checked
ones; these tests pin that, and (slow) re-run the recorded calibrations."""

import pytest

from theorylab.bandits.dp_bai import checks_rates as CR
from theorylab.bandits.dp_bai.tasks import build_instance


def _keys(params_list):
    return {build_instance(p).key() for p in params_list}


def test_calibration_instances_are_disjoint_from_the_checked_ones():
    assert not _keys(CR.U4_INSTANCES) & _keys(CR.U4_CALIBRATION_INSTANCES)
    assert not _keys(CR.L1_INSTANCES) & _keys(CR.L1_CALIBRATION_INSTANCES)
    assert build_instance(CR.KNEE_INSTANCE).key() != build_instance(CR.KNEE_CALIBRATION_INSTANCE).key()
    assert CR.U4_MAX_SPREAD == pytest.approx(2 * CR.U4_CALIBRATION["ci_high"])


@pytest.mark.slow
def test_recorded_u4_calibration():
    spread, lo, hi, _ = CR.u4_spread(CR.u4_fits("quick", 1, CR.U4_CALIBRATION["seed"], calibration=True))
    assert spread == pytest.approx(CR.U4_CALIBRATION["spread"], abs=0.01)
    assert hi == pytest.approx(CR.U4_CALIBRATION["ci_high"], abs=0.01)


@pytest.mark.slow
def test_recorded_l1_calibration():
    fits = CR.l1_fits("quick", 1, CR.L1_CALIBRATION["seed"], calibration=True)
    assert max(f[1] for f in fits) == pytest.approx(CR.L1_CALIBRATION["max_kappa"], abs=0.01)
    assert max(f[3] for f in fits) == pytest.approx(CR.L1_CALIBRATION["ci_high"], abs=0.01)


@pytest.mark.slow
def test_recorded_knee_calibration():
    knee, _, _, _ = CR.fit_knee(CR.knee_sweep("quick", 1, CR.KNEE_CALIBRATION["seed"], calibration=True))
    es = build_instance(CR.KNEE_CALIBRATION_INSTANCE).eps_star
    assert knee / es == pytest.approx(CR.KNEE_CALIBRATION["knee_over_eps_star"], abs=0.01)
