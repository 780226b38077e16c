"""Re-measure the break margins recorded in theorylab/bandits/linear/claims.py (quick size, seed 0).

Run from the repository root: ``PYTHONPATH=. python simulations/linear/break_margins.py``. For each claim it runs the
quick check at every strength of its scan and prints (strength, verdict, measured); the recorded margin is
the weakest strength that reads ``violated``.
"""

from theorylab.bandits.linear.claims import CLAIMS

SCANS = {
    "linear.sparsenet_error": [2, 3, 4, 8],
    "linear.sparsenet_noisy": [0.1, 0.03, 0.01, 0.003, 0.001],
    "linear.design_prediction": [0.95, 0.9, 0.85, 0.8, 0.75, 0.5, 0.25, 0.0],
    "linear.separation": [0.005, 0.01, 0.02, 0.05],
    "linear.needle_yao": [0.999, 0.99, 0.95, 0.9],
    "linear.good_feature_probe": [64, 72, 80, 88, 96, 104, 112, 128, 256],
    "linear.jl_coherence": [7.0, 6.0, 5.0, 4.0, 2.0, 1.0, 0.5],
    "linear.oful_coverage": [0.8, 0.6, 0.5, 0.4, 0.3, 0.2],
    "linear.linucb_regret_slope": [0.3, 0.1, 0.03, 0.0],
    "linear.phased_regret": [3.0, 2.0, 1.5, 1.0],
    "linear.design_noisy": [0.5, 0.3, 0.2, 0.1, 0.0],
    "linear.query_scaling": [1.05, 1.1, 1.2],
}

if __name__ == "__main__":
    for claim in CLAIMS:
        brk = claim.deliberate_break
        rows = [(v, *(lambda r: (r.verdict, round(r.measured, 4)))(claim.run("quick", seed=0, **{brk.override: v})))
                for v in SCANS.get(claim.id, [])]
        first = next((v for v, verdict, _ in rows if verdict == "violated"), None)
        print(f"{claim.id}: recorded margin {brk.margin}, measured first violated at {first}")
        print("   ", rows)
