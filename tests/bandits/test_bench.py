"""The classic benchmarks run at toy sizes and report every measurement (no timing is asserted)."""

import math

from theorylab.bandits.bench import bench_sr_runs, entry_point_ns_per_binomial
from theorylab.core.bench_table import summarize

KEYS = {"runs_per_s", "target_runs_per_s", "ratio_to_target", "kernel_runs_per_s", "seeds_to_states_ns_per_run",
        "seed_objects_runs_per_s", "per_run_seed_objects_runs_per_s", "speedup_vs_per_run_seed_objects",
        "old_path_runs_per_s", "speedup_vs_old_path", "reference_runs_per_s", "speedup_vs_reference",
        "overhead_us", "target_overhead_us", "binomial_draws_per_run", "ns_per_binomial",
        "kernel_ns_per_binomial", "alias_draw_ns", "error"}


def test_phase_bench_reports_every_measurement_at_toy_size():
    out = bench_sr_runs(runs=300, old_runs=20, reference_runs=2, repeat=1, cold=False)
    assert KEYS <= set(out)
    assert out["binomial_draws_per_run"] == sum(range(2, 11))       # SR, K = 10: 10 + 9 + ... + 2 survivors
    assert all(math.isfinite(out[k]) and out[k] > 0 for k in KEYS - {"error"})
    assert 0.0 <= out["error"] <= 1.0
    assert math.isfinite(entry_point_ns_per_binomial("sequential_halving", runs=200, repeat=1))
    # the table row compares the entry point with the old per-run path, against the target
    row = summarize("sr_runs", out)
    assert (row["measured"], row["reference"], row["ratio"]) == (
        out["runs_per_s"], out["old_path_runs_per_s"], out["speedup_vs_old_path"])
    assert row["unit"] == "runs/s" and row["target"] == out["target_runs_per_s"]

