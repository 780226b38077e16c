"""Command-line interface: ``theorylab list | check | reproduce | sweep | bench``.

Exit status: 0 success; 1 a claim was ``violated``; 2 bad arguments, a bad spec, an unusable output
path or an unreachable cluster (one-line message naming the field or file, checked before any work
and before anything is written where it can be); 3 an internal error (one line; set
``THEORYLAB_TRACEBACK=1`` to see the traceback); 130 interrupted (Ctrl-C: one line saying what was
kept and how to resume). A closed output pipe (``theorylab list | head``) ends quietly.
"""

from __future__ import annotations

import argparse
import json
import math
import os
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
    def error(self, message):  # one line, exit 2
        raise UsageError(message)


def _common(p: argparse.ArgumentParser, jobs: bool = True) -> None:
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    if jobs:
        p.add_argument("--n-jobs", type=int, default=1, dest="n_jobs", help="local workers (-1: all cores)")
        p.add_argument("--backend", choices=("loky", "dask"), default="loky", help="joblib backend")
        p.add_argument("--address", default=None, help="Dask scheduler tcp://HOST:PORT (with --backend dask)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="theorylab", description="Executable theorems: claims, figures, sweeps, benchmarks.")
    parser.add_argument("--version", action="version", version=f"theorylab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("list", help="topics, algorithms, instances, claims, figures")
    p.add_argument("topic", nargs="?", default=None)
    from theorylab.core.check_table import HELP_TEXT

    p = sub.add_parser("check", help="run executable claims against simulation",
                       description="Run executable claims (stated bounds) against simulation: one row per claim.",
                       epilog=HELP_TEXT, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("target", nargs="?", default=None, help="TOPIC or CLAIM id (default: every topic)")
    p.add_argument("--quick", action="store_true", help="quick size (seconds per claim)")
    p.add_argument("--wide", action="store_true",
                   help="under each row: statement, theorem and paper, the deliberate break and its margin, "
                        "the calibration source")
    p.add_argument("--json", dest="json_file", default=None,
                   help="write the rows as a JSON list to FILE (the 12 DESIGN fields, then rule, bound_high, "
                        "kind, tag, constant, calibration, break_margin)")
    _common(p)
    p = sub.add_parser("reproduce", help="regenerate figures and their data")
    p.add_argument("target", nargs="?", default=None, help="TOPIC or FIGURE id (default: everything)")
    p.add_argument("--quick", action="store_true", help="small sizes; default out directory figures/quick")
    p.add_argument("--out", default=None, help="output directory (default figures/ or figures/quick/)")
    _common(p)
    p = sub.add_parser("sweep", help="run or resume a declarative TOML sweep")
    p.add_argument("spec", help="sweep spec (TOML)")
    p.add_argument("--out", required=True, help="output directory; a rerun resumes it")
    p.add_argument("--n-jobs", type=int, default=1, dest="n_jobs")
    p.add_argument("--backend", choices=("loky", "dask"), default="loky")
    p.add_argument("--address", default=None)
    p = sub.add_parser("bench", help="throughput benchmarks against the pure-numpy references")
    p.add_argument("name", nargs="?", default=None)
    p.add_argument("--json", dest="json_file", default=None)
    return parser


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


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


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
        print(f"{t}  ({registry.TOPICS[t]})")
        for section in ("algorithms", "instances"):
            for name, desc in cat[section].items():
                print(f"  {section[:-1]:10s} {name:34s} {desc}")
        for section in ("claims", "figures"):
            for name, desc in cat[section]:
                print(f"  {section[:-1]:10s} {name:34s} {desc}")
        for name in cat["sweep_tasks"]:
            print(f"  {'sweep task':10s} {name}")
            for field, desc in cat.get("sweep_params", {}).get(name, []):
                print(f"  {'':10s}   {field:20s} {desc}")
        for name in cat["benchmarks"]:
            print(f"  {'benchmark':10s} {name}")
    return 0


def cmd_check(args) -> int:
    from theorylab.core import registry
    from theorylab.core.check_table import CheckTable
    from theorylab.core.parallel import backend

    _check_jobs(args)
    _check_output_file(args.json_file, "--json")
    topics, cid = _split_target(args.target)
    claims = registry.find_claim(cid) if cid else [c for t in topics for c in registry.claims(t)]
    if cid is None and not claims:
        raise UsageError(f"no claims registered for {topics}")
    size = "quick" if args.quick else "full"
    table = CheckTable.for_claims(claims, wide=args.wide)
    print(table.header(), flush=True)
    rows, results = [], []
    with backend(args.backend, args.address):
        for claim in claims:
            r = claim.run(size=size, n_jobs=args.n_jobs, seed=args.seed)
            results.append(r)
            rows.append(r.row())
            print(table.row(r), flush=True)
    print(table.summary(results))
    n_violated = sum(r.verdict == "violated" for r in results)
    if args.json_file:
        from theorylab.core.figures import atomic_write_text

        atomic_write_text(Path(args.json_file), json.dumps(rows, indent=2, allow_nan=False) + "\n",
                          make_parents=False)
    return 1 if n_violated else 0


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
    print(f"{len(figs)} figures in {time.perf_counter() - t_all:.1f} s under {out}")
    return 0


def cmd_sweep(args) -> int:
    from theorylab.core.parallel import backend
    from theorylab.core.sweep import load_spec, run_sweep

    from theorylab.core.store import OutInUse, prepare_out
    from theorylab.core.sweep import count_done

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
    print(f"sweep {spec.name}: {len(table)} rows, {len(spec.cells())} cells, "
          f"{time.perf_counter() - t0:.1f} s -> {Path(args.out) / 'results.parquet'}")
    return 0


def cmd_bench(args) -> int:
    from theorylab.core import registry

    _check_output_file(args.json_file, "--json")
    benches = registry.benchmarks()
    if args.name is not None and args.name not in benches:
        raise UsageError(f"unknown benchmark '{args.name}'; known: {sorted(benches)}")
    names = [args.name] if args.name else sorted(benches)
    report = {}
    for name in names:
        result = benches[name]()
        report[name] = result
        print(name + ": " + ", ".join(f"{k}={_fmt(v)}" for k, v in result.items()), flush=True)
    if args.json_file:
        from theorylab.core.figures import atomic_write_text

        payload = report[names[0]] if len(names) == 1 else report
        atomic_write_text(Path(args.json_file), json.dumps(payload, indent=2) + "\n", make_parents=False)
    return 0


COMMANDS = {"list": cmd_list, "check": cmd_check, "reproduce": cmd_reproduce, "sweep": cmd_sweep, "bench": cmd_bench}


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
    """Entry point of the ``theorylab`` console script; returns the exit status."""
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
