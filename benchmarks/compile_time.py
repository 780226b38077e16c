"""Cold and warm wall time of ``theorylab check --quick``, and the specialisations each kernel compiles.

Run from the repository root (not part of CI; it compiles everything from scratch, minutes)::

    python benchmarks/compile_time.py                       # all topics together
    python benchmarks/compile_time.py --per-topic           # and every topic alone
    python benchmarks/compile_time.py --topics classic,dp_bai --json compile.json

For every target (all topics, or one topic) it makes an empty numba cache directory, runs
``python -m theorylab check --quick [topic]`` in a fresh process against it (*cold*: every kernel
compiled and written to the cache), then again in a second fresh process (*warm*: ``cache=True``
effective means this one only loads), and reports both wall and CPU times (CPU: user + system; on a
shared machine the wall time mostly measures the others' load), their difference (the compile cost) and the compiled specialisations per kernel found in the cache (one ``.nbc`` file per signature,
:func:`theorylab.core.compile_time.cache_specialisations`), grouped by module (the kernel family).
With ``--signatures`` the warm process also lists ``dispatcher.signatures`` of every loaded kernel
(:func:`theorylab.core.compile_time.loaded_signatures`). Timings on a shared machine move with its
load: compare cold and warm measured in the same minutes.

Measured on 2026-12-02 (idle 2-core VM, ``python benchmarks/compile_time.py --signatures``), after
halpern and games moved to batched core.streams kernels and causal gained GOLEM, DAGMA and GOLEM-MAB:

- all topics: CPU cold 332.9 s, warm 116.0 s (compile 216.9 s); wall 334.1 s / 117.1 s; 99 compiled
  specialisations of 84 cached kernels, at most 3 per kernel (causal/kernels 21 for 12, tallying/kernels
  14 for 9, tallying/block_kernels 3 for 2; every other family one per kernel). The warm run loads every
  kernel from the cache and spends its time simulating: ``theorylab check --quick causal`` alone takes
  66 s warm (graph_learning_savings 25 s, false_alarm_rate 18 s), dp_bai 21 s, halpern 10 s, linear 8 s,
  games 7 s, tallying 6 s, classic 5 s (``/usr/bin/time``, second run of each).

Earlier measurement (load average 12-17 from eight concurrent sessions, so read the CPU columns;
``python benchmarks/compile_time.py --per-topic --signatures``):

- all topics: CPU cold 187.5 s, warm 34.8 s (compile 152.6 s); wall 1300 s / 365 s; 83 compiled
  specialisations of 71 cached kernels, at most 3 per kernel (causal/kernels 20 for 12 kernels,
  tallying/kernels 8 for 6, optim/kernels 7 for 6, tallying/block_kernels 3 for 2; every other family
  one per kernel: bandits/kernels 5, linear/kernels 9, games/kernels 5, dp_bai/kernels 2, core 6);
- each topic alone, CPU cold / warm (specialisations / cached kernels): classic 29.3 / 3.0 s (10 / 10:
  bandits/kernels 5, core/alias 3, core/seedseq 2), dp_bai 29.5 / 17.7 s (5 / 5; its quick checks
  simulate for ~17 s), halpern 24.0 / 6.7 s (15 / 14), games 17.6 / 4.9 s (7 / 7), linear 29.4 / 4.2 s
  (13 / 13), tallying 22.0 / 3.3 s (12 / 9), causal 56.0 / 11.0 s (27 / 19; causal.kernels.all_means
  compiles 3 signatures).

Both warm runs load everything from the cache (``cache=True`` effective): the warm process spends
~1/5 (all) and ~1/10 (classic) of the cold CPU time, the rest being the checks' own simulation.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from theorylab.core.compile_time import cache_specialisations, loaded_signatures, process_seconds  # noqa: E402


def _check_args(topic: str | None) -> list[str]:
    return ["-m", "theorylab", "check", "--quick"] + ([topic] if topic else [])


def _families(specs: dict[str, int]) -> dict[str, dict]:
    """Specialisations grouped by module: the number of kernels and of compiled signatures."""
    out: dict[str, dict] = defaultdict(lambda: {"kernels": 0, "specialisations": 0, "most": 0})
    for name, n in specs.items():
        module = name.rsplit(".", 1)[0] if "." in name else name
        row = out[module]
        row["kernels"] += 1
        row["specialisations"] += n
        row["most"] = max(row["most"], n)
    return dict(sorted(out.items()))


def measure(topic: str | None, signatures: bool = False) -> dict:
    """Cold then warm ``check --quick`` of ``topic`` (None: all topics) against one fresh cache."""
    with tempfile.TemporaryDirectory(prefix="numba-cold-") as cache:
        cold, cold_cpu, code_cold = process_seconds(_check_args(topic), cache, cwd=str(ROOT))
        specs = cache_specialisations(cache)
        warm, warm_cpu, code_warm = process_seconds(_check_args(topic), cache, cwd=str(ROOT))
        loaded = None
        if signatures:
            import subprocess

            args = [sys.executable, str(Path(__file__).resolve()), "--in-process"] + ([topic] if topic else [])
            done = subprocess.run(args, env={**__import__("os").environ, "NUMBA_CACHE_DIR": cache}, cwd=str(ROOT),
                                  capture_output=True, text=True)
            loaded = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
    return {"target": topic or "all", "cold_s": cold, "warm_s": warm, "compile_s": cold - warm,
            "cold_cpu_s": cold_cpu, "warm_cpu_s": warm_cpu, "compile_cpu_s": cold_cpu - warm_cpu,
            "exit_codes": [code_cold, code_warm], "specialisations": sum(specs.values()),
            "cached_kernels": len(specs), "families": _families(specs), "per_kernel": specs,
            "loaded_signatures": loaded}


def _in_process(topic: str | None) -> None:
    """Run the check in this process, then print the loaded dispatchers' signature counts as JSON."""
    import contextlib
    import io

    from theorylab.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        main(["check", "--quick"] + ([topic] if topic else []))
    print(json.dumps(loaded_signatures()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", default="", help="comma-separated topics measured alone")
    parser.add_argument("--per-topic", action="store_true", help="measure every registered topic alone too")
    parser.add_argument("--no-all", action="store_true", help="skip the all-topics run")
    parser.add_argument("--signatures", action="store_true", help="also list dispatcher.signatures (warm run)")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--in-process", nargs="?", const="", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process is not None:
        _in_process(args.in_process or None)
        return 0
    topics = [t for t in args.topics.split(",") if t]
    if args.per_topic:
        from theorylab.core.registry import topic_names

        topics = list(topic_names())
    targets = ([] if args.no_all else [None]) + topics
    results = []
    for topic in targets:
        row = measure(topic, args.signatures)
        results.append(row)
        print(f"{row['target']:10s} wall: cold {row['cold_s']:7.1f} s  warm {row['warm_s']:7.1f} s | "
              f"CPU: cold {row['cold_cpu_s']:7.1f} s  warm {row['warm_cpu_s']:7.1f} s  compile "
              f"{row['compile_cpu_s']:7.1f} s | {row['specialisations']:4d} specialisations of "
              f"{row['cached_kernels']:3d} cached kernels  exit {row['exit_codes']}", flush=True)
        for module, fam in row["families"].items():
            print(f"    {module:60s} {fam['kernels']:3d} kernels {fam['specialisations']:4d} signatures "
                  f"(at most {fam['most']} per kernel)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
