from theorylab.bandits.linear.claims import CLAIMS
scans = {"linear.sparsenet_error": [2, 3, 4, 8], "linear.design_prediction": [0.75, 0.5, 0.25, 0.0],
         "linear.separation": [0.005, 0.01, 0.02, 0.05], "linear.needle_yao": [0.999, 0.99, 0.95, 0.9],
         "linear.good_feature_probe": [64, 112, 128, 192, 256], "linear.jl_coherence": [4.0, 2.0, 1.0, 0.5]}
for c in CLAIMS:
    out = []
    for v in scans[c.id]:
        r = c.run("quick", seed=0, **{c.deliberate_break.override: v})
        out.append((v, r.verdict, round(r.measured, 4)))
    print(c.id, out)
