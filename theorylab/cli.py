"""Command-line interface: ``theorylab list | check | reproduce | report | sweep | bench``.

Exit status: 0 success; 1 a claim was ``violated``; 2 bad arguments, a bad spec, an unusable output
path or an unreachable cluster (one-line message naming the field or file, checked before any work
and before anything is written where it can be); 3 an internal error (one line; set
``THEORYLAB_TRACEBACK=1`` to see the traceback); 130 interrupted (Ctrl-C: one line saying what was
kept and how to resume). A closed output pipe (``theorylab list | head``) ends quietly.
``report`` exits 0 once the page is written, whatever the verdicts on it (``check`` is the gate).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

from theorylab import __version__

__all__ = ["main"]


class UsageError(Exception):
    """Bad arguments or input: reported on one line, exit status 2."""


class Interrupted(Exception):
    """Ctrl-C: reported on one line saying what was kept, exit status 130."""


class _Parser(argparse.ArgumentParser):
    #: a callable returning the epilog, evaluated only when the help is shown (``bench`` lists its benchmarks)
    lazy_epilog = None

    def error(self, message):  # one line, exit 2
        raise UsageError(message)

    def format_help(self):
        if self.lazy_epilog is not None:
            self.epilog = self.lazy_epilog()
        return super().format_help()


def _common(p: argparse.ArgumentParser, jobs: bool = True) -> None:
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    if jobs:
        p.add_argument("--n-jobs", type=int, default=1, dest="n_jobs", help="local workers (-1: all cores)")
        _parallel(p)


def _parallel(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backend", choices=("loky", "dask"), default="loky",
                   help="joblib backend: loky (local processes, default) or dask (a cluster, with --address)")
    p.add_argument("--address", default=None, help="Dask scheduler tcp://HOST:PORT (with --backend dask)")


def _bench_epilog() -> str:
    """``bench --help``'s list of the registered benchmarks (imported only when the help is shown)."""
    from theorylab.core import registry

    try:
        benches = registry.benchmarks()
    except Exception as exc:  # noqa: BLE001 - the help must still come out
        listing = f"  (the benchmark list could not be loaded: {type(exc).__name__}: {exc})"
    else:
        listing = "\n".join(f"  {name:16s} {_summary_line(fn)}" for name, fn in sorted(benches.items()))
    return "benchmarks:\n" + listing + "\n\n" + BENCH_COLUMNS


BENCH_COLUMNS = """\
table columns: name; measured (the headline number) and its unit; reference (the baseline it is
compared with: the pure-numpy or C reference, BLAS, the older path); ratio (the benchmark's own
ratio or speedup against that reference); target (the goal recorded with the benchmark, if any).
--json FILE keeps every number the benchmark returned."""


def _summary_line(fn, width: int = 90) -> str:
    """The first sentence of ``fn``'s docstring, on one line, at most ``width`` characters."""
    doc = (getattr(fn, "__doc__", None) or "").strip().split("\n\n")[0]
    text = " ".join(doc.split()).replace("``", "")
    text = re.split(r"(?<=[a-z0-9)])\.\s", text + " ")[0].strip().rstrip(".")
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``theorylab`` command (every subcommand and flag with its help)."""
    parser = _Parser(prog="theorylab", description="Executable theorems: claims, figures, sweeps, benchmarks.")
    parser.add_argument("--version", action="version", version=f"theorylab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    p = sub.add_parser("list", help="topics, algorithms, instances, claims, figures, sweep tasks, benchmarks",
                       description="List what each topic offers, with a one-line description of each item.")
    p.add_argument("topic", nargs="?", default=None, help="TOPIC to list (default: every topic, planned ones too)")
    from theorylab.core.check_table import HELP_TEXT

    p = sub.add_parser("check", help="run executable claims against simulation",
                       description="Run executable claims (stated bounds) against simulation: one row per claim.",
                       epilog=HELP_TEXT, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("target", nargs="?", default=None, help="TOPIC or CLAIM id (default: every topic)")
    p.add_argument("--quick", action="store_true", help="quick size (seconds per claim)")
    p.add_argument("--wide", action="store_true",
                   help="under each row: statement, theorem and paper, the deliberate break and its margin, "
                        "the calibration source")
    p.add_argument("--json", dest="json_file", default=None, metavar="FILE",
                   help="write the rows as a JSON list to FILE (the 12 DESIGN fields, then rule, bound_high, "
                        "kind, tag, constant, calibration, break_margin)")
    _common(p)
    p = sub.add_parser("reproduce", help="regenerate figures and their data",
                       description="Compute, draw and write figures: <name>.png, <name>.csv (the data) and "
                                   "<name>.caption.md under OUT/<topic>/.")
    p.add_argument("target", nargs="?", default=None, help="TOPIC or FIGURE id (default: everything)")
    p.add_argument("--quick", action="store_true", help="small sizes; default out directory figures/quick")
    p.add_argument("--out", default=None, help="output directory (default figures/ or figures/quick/)")
    _common(p)
    p = sub.add_parser("report", help="one static HTML page: every claim row and figure of the topic(s)",
                       description="Write OUT/index.html, a static page (no server, no network: CSS inline,\n"
                                   "figures and their CSV copied under OUT/assets/) with every claim row, every\n"
                                   "figure with its caption and data, the package version, seed and size, and the\n"
                                   "command that regenerates each item.",
                       epilog=REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("topic", nargs="?", default=None, help="TOPIC (default: every topic)")
    p.add_argument("--out", required=True, help="output directory for index.html and assets/ (created if needed)")
    p.add_argument("--claims", default=None, metavar="FILE",
                   help="read the claim rows from FILE (written by `theorylab check --json FILE`) instead of "
                        "running the checks: the fast path")
    p.add_argument("--figures", default=None, metavar="DIR",
                   help="figures directory written by `theorylab reproduce` (default figures/quick if it exists, "
                        "else figures); missing figures are listed, not fatal")
    p.add_argument("--size", choices=("quick", "full"), default="quick",
                   help="size of the claim checks run (default quick); with --claims, the size FILE was checked "
                        "at (the JSON does not record it; shown on the page and in the rerun commands)")
    p.add_argument("--claim-jobs", type=int, default=2, dest="claim_jobs",
                   help="claims checked side by side, one per worker (default 2; 1 = in order; the rows are the "
                        "same either way)")
    _common(p)
    p = sub.add_parser("sweep", help="run or resume a declarative TOML sweep",
                       description="Run a TOML sweep spec (see `theorylab list` for the sweep tasks and their "
                                   "parameters) into OUT: one Parquet chunk per (cell, repetition range), "
                                   "results.parquet at the end, and a per-cell summary table on stdout.")
    p.add_argument("spec", help="sweep spec (TOML)")
    p.add_argument("--out", required=True, help="output directory; a rerun resumes it")
    p.add_argument("--n-jobs", type=int, default=1, dest="n_jobs", help="local workers (-1: all cores)")
    _parallel(p)
    p = sub.add_parser("bench", help="throughput benchmarks against the pure-numpy references",
                       description="Run benchmarks and print one table row each (name, measured, unit,\n"
                                   "reference, ratio, target).",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.lazy_epilog = _bench_epilog
    p.add_argument("name", nargs="?", default=None, help="benchmark name (default: every benchmark; listed below)")
    p.add_argument("--json", dest="json_file", default=None, metavar="FILE",
                   help="write every number the benchmark(s) returned to FILE as JSON (one benchmark: its "
                        "dict; several: a dict keyed by name)")
    return parser


REPORT_EPILOG = """\
inputs:
  without --claims the checks of the topic(s) run first at --size (quick: the time of
  `theorylab check --quick`); --claims FILE reads rows already written by
  `theorylab check [TOPIC] --quick --json FILE` and takes seconds.
  --seed is the master seed of the checks (with --claims: the seed FILE was checked with).
exit status: 0 when the page is written, whatever the verdicts (`theorylab check` exits 1 on a
violated claim); 2 for bad arguments or an unreadable --claims FILE."""


MAX_JOBS = max(256, 4 * (os.cpu_count() or 1))
ADDRESS_TIMEOUT = 3.0  # seconds to reach a Dask scheduler before giving up


def _check_jobs(args) -> None:
    n_jobs = getattr(args, "n_jobs", 1)
    if n_jobs == 0 or n_jobs < -1:
        raise UsageError(f"--n-jobs must be a positive integer or -1, got {n_jobs}")
    if n_jobs > MAX_JOBS:
        raise UsageError(f"--n-jobs {n_jobs} is more than {MAX_JOBS} workers; use -1 for all cores")
    if getattr(args, "address", None) and args.backend != "dask":
        raise UsageError("--address needs --backend dask")
    if getattr(args, "seed", 0) < 0:
        raise UsageError(f"--seed must be non-negative, got {args.seed}")
    if getattr(args, "address", None):
        _check_address(args.address)


def _check_address(address: str) -> None:
    """The Dask scheduler at ``tcp://HOST:PORT`` accepts a connection within ADDRESS_TIMEOUT seconds."""
    url = urlparse(address if "://" in address else "tcp://" + address)
    try:
        port = url.port
    except ValueError:
        port = None
    if url.scheme not in ("tcp", "tls") or not url.hostname or port is None:
        raise UsageError(f"--address must look like tcp://HOST:PORT, got {address!r}")
    try:
        with socket.create_connection((url.hostname, port), timeout=ADDRESS_TIMEOUT):
            pass
    except OSError as exc:
        reason = "timed out" if isinstance(exc, socket.timeout) else (exc.strerror or str(exc))
        raise UsageError(f"--address {address}: no Dask scheduler reachable within {ADDRESS_TIMEOUT:g} s ({reason})") from None


def _check_output_file(path: str | None, flag: str) -> None:
    """``path`` can be written: not a directory, its directory exists and is writable (nothing is created)."""
    if path is None:
        return
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{flag} '{path}' is a directory; give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{flag} '{path}': directory '{parent}' does not exist")
    if not os.access(parent, os.W_OK | os.X_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise UsageError(f"{flag} '{path}' is not writable")


def _check_out_dir(path: str | Path, flag: str = "--out") -> Path:
    """``path`` is, or can be created as, a writable directory (created here, probed, before any work)."""
    from theorylab.core.store import prepare_out

    try:
        return prepare_out(Path(path), create=True)
    except ValueError as exc:
        raise UsageError(str(exc).replace("--out", flag, 1)) from None


def _split_target(target: str | None):
    from theorylab.core import registry

    if target is None:
        return registry.topic_names(), None
    topic = target.split(".", 1)[0]
    if topic not in registry.TOPICS:
        if topic in registry.PLANNED:
            raise UsageError(f"topic '{topic}' is planned but not implemented yet; available: {registry.topic_names()}")
        raise UsageError(f"unknown topic or id '{target}'; topics: {registry.topic_names()}")
    if registry.room(topic, "claims") is None and registry.room(topic, "experiments") is None:
        raise UsageError(f"topic '{topic}' is not available in this build")
    return [topic], (target if "." in target else None)


def cmd_list(args) -> int:
    from theorylab.core import registry

    topics = [args.topic] if args.topic else registry.topic_names(available_only=False)
    for t in topics:
        if t in registry.PLANNED:
            print(f"{t}  (planned: {registry.PLANNED[t]})")
            continue
        try:
            cat = registry.catalogue(t)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if cat is None:
            continue
        tasks, benches = registry.sweep_tasks(t), registry.benchmarks(t)
        items = ([(section[:-1], name, desc) for section in ("algorithms", "instances")
                  for name, desc in cat[section].items()]
                 + [(section[:-1], name, desc) for section in ("claims", "figures") for name, desc in cat[section]]
                 + [("sweep task", name, _summary_line(getattr(tasks[name], "run", None))) for name in cat["sweep_tasks"]]
                 + [("benchmark", name, _summary_line(benches[name])) for name in cat["benchmarks"]])
        width = max([len(name) for _, name, _ in items] + [20])
        print(f"{t}  ({registry.TOPICS[t]})")
        for kind, name, desc in items:
            print(f"  {kind:10s} {name:{width}s}  {desc}".rstrip())
            for field, fdesc in (cat.get("sweep_params", {}).get(name, []) if kind == "sweep task" else []):
                print(f"  {'':10s}   {field:20s} {fdesc}")
    return 0


def _check_one(claim, size: str, seed: int):
    """One claim's result, in a worker (on one core)."""
    return claim.run(size=size, n_jobs=1, seed=seed)


def _run_checks(claims: list, size: str, args, wide: bool = False, claim_jobs: int = 1) -> list:
    """Run ``claims`` at ``size`` under the chosen backend, printing the check table as they finish.

    With ``claim_jobs`` > 1 (``report``) the claims run side by side, one claim per worker and each on one
    core; a claim's numbers depend on its seed only, so the rows are the same as in order.
    """
    from theorylab.core.check_table import CheckTable
    from theorylab.core.parallel import backend, run_tasks

    table = CheckTable.for_claims(claims, wide=wide)
    print(table.header(), flush=True)
    results = []
    with backend(args.backend, args.address):
        if claim_jobs != 1 and len(claims) > 1:
            results = run_tasks(_check_one, [(c, size, args.seed) for c in claims], claim_jobs)
            for r in results:
                print(table.row(r), flush=True)
        else:
            for claim in claims:
                r = claim.run(size=size, n_jobs=args.n_jobs, seed=args.seed)
                results.append(r)
                print(table.row(r), flush=True)
    print(table.summary(results))
    return results


def cmd_check(args) -> int:
    from theorylab.core import registry

    _check_jobs(args)
    _check_output_file(args.json_file, "--json")
    topics, cid = _split_target(args.target)
    claims = registry.find_claim(cid) if cid else [c for t in topics for c in registry.claims(t)]
    if cid is None and not claims:
        raise UsageError(f"no claims registered for {topics}")
    results = _run_checks(claims, "quick" if args.quick else "full", args, wide=args.wide)
    n_violated = sum(r.verdict == "violated" for r in results)
    if args.json_file:
        from theorylab.core.figures import atomic_write_text

        rows = [r.row() for r in results]
        atomic_write_text(Path(args.json_file), json.dumps(rows, indent=2, allow_nan=False) + "\n",
                          make_parents=False)
    return 1 if n_violated else 0


def cmd_report(args) -> int:
    from theorylab.core import registry, report

    _check_jobs(args)
    if args.claim_jobs < 1 or args.claim_jobs > MAX_JOBS:
        raise UsageError(f"--claim-jobs must be between 1 and {MAX_JOBS}, got {args.claim_jobs}")
    if args.topic is not None and "." in args.topic:
        raise UsageError(f"report takes a TOPIC, not an id, got '{args.topic}'; topics: {registry.topic_names()}")
    topics, _ = _split_target(args.topic)
    figures_dir = Path(args.figures) if args.figures else report.default_figures_dir()
    if args.figures is not None and not figures_dir.is_dir():
        raise UsageError(f"--figures '{args.figures}' is not a directory")
    try:
        rows = report.load_claim_rows(args.claims) if args.claims else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    out = _check_out_dir(args.out)
    t0 = time.perf_counter()
    claims = [c for t in topics for c in registry.claims(t)]
    if rows is None:
        command = " ".join(["theorylab check"] + ([args.topic] if args.topic else [])
                           + (["--quick"] if args.size == "quick" else []) + [f"--seed {args.seed}"])
        source = f"checked just now by `theorylab report` (as `{command}`)"
        rows = [r.row() for r in _run_checks(claims, args.size, args, claim_jobs=args.claim_jobs)]
    else:
        source = f"rows read from {args.claims} (written by `theorylab check --json`)"
        rows = [r for r in rows if r["id"].split(".", 1)[0] in topics]
    have = {r["id"] for r in rows}
    missing = [c.id for c in claims if c.id not in have]
    figs = report.collect_figures([f for t in topics for f in registry.figures(t)], figures_dir)
    meta = report.ReportMeta(seed=args.seed, size=args.size, source=source, topics=topics,
                             missing_claims=missing, figures_dir=str(figures_dir))
    page = report.write_report(out, rows, figs, meta)
    n_missing = sum(bool(f.missing) for f in figs)
    print(f"report: {_plural(len(rows), 'claim row')}, {_plural(len(figs) - n_missing, 'figure')}"
          + (f" ({n_missing} missing under {figures_dir})" if n_missing else "")
          + (f", {len(missing)} registered claims without a row" if missing else "")
          + f" in {time.perf_counter() - t0:.1f} s -> {page}")
    return 0


def _plural(n: int, word: str) -> str:
    """``1 figure``, ``2 figures``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def cmd_reproduce(args) -> int:
    from theorylab.core import registry
    from theorylab.core.figures import reproduce_figure
    from theorylab.core.parallel import backend

    _check_jobs(args)
    topics, fid = _split_target(args.target)
    figs = registry.find_figure(fid) if fid else [f for t in topics for f in registry.figures(t)]
    size = "quick" if args.quick else "full"
    out = Path(args.out) if args.out else Path("figures") / ("quick" if args.quick else "")
    for topic in sorted({f.topic for f in figs}):
        _check_out_dir(out / topic)
    t_all = time.perf_counter()
    done = 0
    try:
        with backend(args.backend, args.address):
            for fig in figs:
                t0 = time.perf_counter()
                paths = reproduce_figure(fig, out, size=size, n_jobs=args.n_jobs, seed=args.seed)
                done += 1
                print(f"{fig.id:44s} {time.perf_counter() - t0:7.1f} s  {paths[1]}", flush=True)
    except BaseException as exc:  # noqa: BLE001 - Ctrl-C may surface wrapped (numba: SystemError)
        if not _is_interrupt(exc):
            raise
        raise Interrupted(f"interrupted: {done} of {len(figs)} figures were written under {out} (each complete); "
                          "rerun the command to make the rest") from None
    print(f"{_plural(len(figs), 'figure')} in {time.perf_counter() - t_all:.1f} s under {out}")
    return 0


def cmd_sweep(args) -> int:
    from theorylab.core.parallel import backend
    from theorylab.core.sweep import load_spec, run_sweep

    from theorylab.core.store import OutInUse, prepare_out
    from theorylab.core.sweep import count_done, format_cell_summary

    _check_jobs(args)
    try:
        spec = load_spec(args.spec)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None
    try:
        prepare_out(Path(args.out), create=False)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    t0 = time.perf_counter()
    try:
        with backend(args.backend, args.address), warnings.catch_warnings():
            warnings.simplefilter("always", RuntimeWarning)
            warnings.showwarning = _show_warning
            table = run_sweep(spec, args.out, n_jobs=args.n_jobs)
    except OutInUse as exc:
        raise UsageError(str(exc)) from None
    except BaseException as exc:  # noqa: BLE001 - Ctrl-C may surface wrapped (numba: SystemError)
        if not _is_interrupt(exc):
            raise
        try:
            done, total = count_done(args.out, spec)
        except Exception:  # noqa: BLE001 - the message must still come out
            done, total = "?", "?"
        raise Interrupted(f"interrupted: {done} of {total} chunks are saved in {args.out}; run the same command "
                          "again to resume") from None
    summary = table.attrs.get("cell_summary")
    if summary:
        print(format_cell_summary(summary, [k for k in spec.grid] or None))
    print(f"sweep {spec.name}: {_plural(len(table), 'row')}, {_plural(len(spec.cells()), 'cell')}, "
          f"{time.perf_counter() - t0:.1f} s -> {Path(args.out) / 'results.parquet'}")
    return 0


def cmd_bench(args) -> int:
    from theorylab.core import registry
    from theorylab.core.bench_table import format_table, summarize

    _check_output_file(args.json_file, "--json")
    benches = registry.benchmarks()
    if args.name is not None and args.name not in benches:
        raise UsageError(f"unknown benchmark '{args.name}'; known: {sorted(benches)}")
    names = [args.name] if args.name else sorted(benches)
    report, rows = {}, []
    for name in names:
        result = benches[name]()
        report[name] = result
        rows.append(summarize(name, result))
        if len(names) > 1:  # progress: a benchmark takes seconds to minutes
            print(f"{name}: done", file=sys.stderr, flush=True)
    print(format_table(rows), flush=True)
    if args.json_file:
        from theorylab.core.figures import atomic_write_text

        payload = report[names[0]] if len(names) == 1 else report
        atomic_write_text(Path(args.json_file), json.dumps(payload, indent=2) + "\n", make_parents=False)
    return 0


COMMANDS = {"list": cmd_list, "check": cmd_check, "reproduce": cmd_reproduce, "report": cmd_report, "sweep": cmd_sweep,
            "bench": cmd_bench}


def _is_interrupt(exc: BaseException | None) -> bool:
    """True for Ctrl-C, also when it surfaced as another error (a compiled kernel, a worker that died)."""
    from theorylab.core.parallel import interrupt_requested

    if interrupt_requested():
        return True
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _warning_line(message, category, filename, lineno, line=None) -> str:
    return f"theorylab: warning: {message}\n"


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"theorylab: warning: {message}", file=sys.stderr, flush=True)


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``theorylab`` console script; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name, e.g. ``["check", "--size", "quick"]``; default
        ``sys.argv[1:]``. Errors are reported on one line on stderr, never as a traceback (unless
        ``THEORYLAB_TRACEBACK=1`` for an internal error).

    Returns
    -------
    int
        0 success (also after a closed output pipe); 1 a claim was ``violated``; 2 bad arguments, spec,
        output path, cluster address, an OSError or out of memory; 3 an internal error; 130 interrupted
        (Ctrl-C).
    """
    previous = warnings.formatwarning
    warnings.formatwarning = _warning_line
    try:
        args = build_parser().parse_args(argv)
        from theorylab.core.parallel import deferred_interrupt

        with deferred_interrupt():
            return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"theorylab: error: {exc}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        print(f"theorylab: {exc}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("theorylab: interrupted; nothing partial was written (files are replaced only when complete)",
              file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except (ValueError, TypeError) as exc:
        print(f"theorylab: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:
        print("theorylab: error: out of memory; reduce reps, sizes or --n-jobs", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f" '{exc.filename}'" if getattr(exc, "filename", None) else ""
        print(f"theorylab: error:{where} {exc.strerror or _one_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - never a traceback unless asked for
        if _is_interrupt(exc):
            print("theorylab: interrupted; nothing partial was written (files are replaced only when complete)",
                  file=sys.stderr)
            return 130
        if os.environ.get("THEORYLAB_TRACEBACK"):
            raise
        print(f"theorylab: internal error: {type(exc).__name__}: {_one_line(exc)} "
              "(set THEORYLAB_TRACEBACK=1 for the traceback)", file=sys.stderr)
        return 3
    finally:
        warnings.formatwarning = previous


if __name__ == "__main__":
    raise SystemExit(main())
