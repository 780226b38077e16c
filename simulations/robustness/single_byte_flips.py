"""Every single-byte flip of one chunk file and of its checksum record is detected on resume.

    python simulations/robustness/single_byte_flips.py
"""
import sys
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
import json, shutil, tempfile
from pathlib import Path
from tests.core.test_sweep_integrity import SPEC, TASKS, TASK
from theorylab.core import store
from theorylab.core.sweep import run_sweep, sweep_layout, _seed_text, _seeds
out = Path(tempfile.mkdtemp()) / "o"
run_sweep(SPEC, out, tasks=TASKS, progress=False)
e = sweep_layout(SPEC, TASK)[0]
seeds = lambda reps: _seed_text(_seeds(TASK, e["params"], SPEC.master_seed, reps))
for target in ("chunk", "record"):
    path = store.chunk_path(out, e["cell"], 0) if target == "chunk" else store.record_path(out, e["cell"], 0)
    orig = path.read_bytes()
    detected = 0
    for i in range(len(orig)):
        raw = bytearray(orig); raw[i] ^= 0x01
        path.write_bytes(bytes(raw))
        detected += store.verify_chunk(out, e["cell"], 0, tuple(e["chunks"][0]), e["identity"], seeds) is not None
    path.write_bytes(orig)
    print(f"{target}: {len(orig)} single-byte flips, {detected} detected, {len(orig) - detected} accepted")
shutil.rmtree(out.parent)
