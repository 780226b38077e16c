"""``theorylab report``: one static HTML page with every claim row and every figure of the chosen topics.

The page needs no server, no network and no CDN: the stylesheet is inline, and the figures (PNG), their
data (CSV) and captions are copied under ``OUT/assets/<topic>/`` and linked by relative paths, so the
directory can be zipped, mailed or served as it is. Everything is read through
:mod:`theorylab.core.registry`, so a topic added later appears without a change here.

The page holds, per topic:

- every claim row (the JSON row of ``theorylab check --json``): verdict (coloured), id, statement with
  theorem and paper, rule and bound, measured value, ratio, 95% CI, repetitions, provenance
  (``tag/constant``), calibration source, the deliberate break (what it changes, its strength, the
  recorded margin, and whether it read ``violated`` when the row carries that result) and the command
  that reruns the check; registered claims without a row are listed as not checked;
- every registered figure with its image, its caption (the ``.caption.md`` rendered by
  :func:`render_markdown`), a link to its CSV and the command that regenerates it; figures whose files
  are missing are listed with that command, never fatal;
- the package version, the master seed, the size and where the rows came from.

Examples
--------
>>> import tempfile, pathlib
>>> row = {"id": "demo.x", "paper": "Toy 2020", "theorem": "Prop 1", "statement": "x <= 2",
...        "measured": 1.0, "bound": 2.0, "ratio": 0.5, "ci_low": 0.8, "ci_high": 1.2, "verdict": "holds",
...        "reps": 50, "seconds": 0.01, "rule": "<=", "bound_high": None, "kind": "upper", "tag": "ours",
...        "constant": "ours", "calibration": "none: toy", "break_margin": None}
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> page = write_report(out, [row], [], ReportMeta(seed=0, size="quick", source="a doctest"))
>>> 'class="verdict holds"' in page.read_text()
True
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from theorylab.core.check_table import fmt_bound, fmt_interval, fmt_value, provenance
from theorylab.core.claims import VERDICTS

__all__ = ["ReportMeta", "FigureEntry", "load_claim_rows", "collect_figures", "default_figures_dir",
           "render_markdown", "render_report", "write_report", "claim_command", "figure_command"]

#: Symbols of ``ClaimResult.row()["rule"]`` back to rule names (a JSON row carries the symbol).
_RULE_NAMES = {"<=": "upper", ">=": "lower", "in": "within", "=": "equal"}
#: The line ``reproduce_figure`` writes into every caption: ``Size: `quick`, master seed 0.``
_SIZE_SEED = re.compile(r"Size: `(\w+)`, master seed (\d+)")
PAGE_NAME = "index.html"


@dataclass(frozen=True)
class ReportMeta:
    """What the page says about the run behind it.

    Parameters
    ----------
    seed : int
        Master seed of the claim checks.
    size : str
        ``"quick"`` or ``"full"``: the size of the claim checks.
    source : str
        Where the rows came from (e.g. "ran `theorylab check --quick`" or "read rows.json").
    topics : sequence of str
        The topics shown, in order (empty: the topics of the rows and figures, in order of appearance).
    missing_claims : sequence of str
        Ids of registered claims without a row (listed on the page as not checked).
    figures_dir : str
        Where the figures were read from (shown on the page).
    version : str, optional
        Package version (default: the running theorylab's).
    generated : str, optional
        UTC time stamp (default: now).

    Returns
    -------
    ReportMeta

    Examples
    --------
    >>> ReportMeta(seed=3, size="quick", source="test").seed
    3
    """

    seed: int
    size: str
    source: str
    topics: Sequence[str] = ()
    missing_claims: Sequence[str] = ()
    figures_dir: str = ""
    version: str = ""
    generated: str = ""

    def __post_init__(self):
        if not self.version:
            from theorylab import __version__

            object.__setattr__(self, "version", __version__)
        if not self.generated:
            now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            object.__setattr__(self, "generated", now)


@dataclass(frozen=True)
class FigureEntry:
    """One registered figure and the files found for it.

    Parameters
    ----------
    id, title, tag : str
        As registered (:class:`theorylab.core.figures.Figure`).
    png, csv, caption : pathlib.Path or None
        The files found in the figures directory (None when missing).
    size : str or None
        Size recorded in the caption (``quick`` or ``full``), None without a caption.
    seed : int or None
        Master seed recorded in the caption.

    Returns
    -------
    FigureEntry

    Examples
    --------
    >>> FigureEntry("demo.curve", "A curve", "ours").missing
    ['png', 'csv', 'caption']
    """

    id: str
    title: str
    tag: str
    png: Path | None = None
    csv: Path | None = None
    caption: Path | None = None
    size: str | None = None
    seed: int | None = None
    copied: dict = field(default_factory=dict)

    @property
    def topic(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def missing(self) -> list[str]:
        """Which of ``png``, ``csv``, ``caption`` were not found."""
        return [k for k in ("png", "csv", "caption") if getattr(self, k) is None]


def claim_command(claim_id: str, size: str, seed: int) -> str:
    """The command that reruns one claim check.

    Parameters
    ----------
    claim_id : str
    size : str
        ``quick`` or ``full``.
    seed : int

    Returns
    -------
    str

    Examples
    --------
    >>> claim_command("classic.ucb1_regret", "quick", 0)
    'theorylab check classic.ucb1_regret --quick --seed 0'
    """
    return f"theorylab check {claim_id}{' --quick' if size == 'quick' else ''} --seed {seed}"


def figure_command(figure_id: str, size: str | None, seed: int | None) -> str:
    """The command that regenerates one figure (into ``figures/`` or ``figures/quick/``).

    Parameters
    ----------
    figure_id : str
    size : str or None
        ``quick`` or ``full`` (None: full).
    seed : int or None
        Master seed (None: the default 0).

    Returns
    -------
    str

    Examples
    --------
    >>> figure_command("games.cce_gap_vs_T", "quick", 0)
    'theorylab reproduce games.cce_gap_vs_T --quick --seed 0'
    """
    return f"theorylab reproduce {figure_id}{' --quick' if size == 'quick' else ''} --seed {seed or 0}"


def load_claim_rows(path: str | Path) -> list[dict]:
    """The rows of a ``theorylab check --json FILE`` file; ValueError naming the file if it is not one.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    list of dict
        One dict per claim, with at least ``id`` and ``verdict``.

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "rows.json"
    >>> _ = p.write_text(json.dumps([{"id": "demo.x", "verdict": "holds"}]))
    >>> [r["id"] for r in load_claim_rows(p)]
    ['demo.x']
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"--claims '{path}' does not exist or is not a file")
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"--claims '{path}' is not JSON ({exc})") from None
    if not isinstance(rows, list):
        raise ValueError(f"--claims '{path}': expected the list written by `theorylab check --json`, "
                         f"got a {type(rows).__name__}")
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or row.get("verdict") not in VERDICTS:
            raise ValueError(f"--claims '{path}': row {i} is not a claim row (needs an 'id' and a 'verdict' "
                             f"in {list(VERDICTS)})")
    return rows


def default_figures_dir(root: str | Path = ".") -> Path:
    """``figures/quick`` under ``root`` if it exists (after ``reproduce --quick``), else ``figures``.

    Parameters
    ----------
    root : str or pathlib.Path

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> default_figures_dir(tempfile.mkdtemp()).name
    'figures'
    """
    quick = Path(root) / "figures" / "quick"
    return quick if quick.is_dir() else Path(root) / "figures"


def collect_figures(figures: Iterable, figures_dir: str | Path) -> list[FigureEntry]:
    """Find the files of each registered figure under ``figures_dir/<topic>/<name>.{png,csv,caption.md}``.

    Parameters
    ----------
    figures : iterable of Figure
        Registered figures (objects with ``id``, ``title`` and ``tag``), e.g. ``registry.figures(topic)``.
    figures_dir : str or pathlib.Path
        The directory ``theorylab reproduce`` wrote (``figures`` or ``figures/quick``).

    Returns
    -------
    list of FigureEntry
        In the order given; size and seed read from the caption when it is there.

    Examples
    --------
    >>> import tempfile
    >>> from theorylab.core.figures import Figure
    >>> f = Figure("demo.curve", "A curve", "caption", "ours", compute=None, draw=None)
    >>> collect_figures([f], tempfile.mkdtemp())[0].missing
    ['png', 'csv', 'caption']
    """
    base = Path(figures_dir)
    out = []
    for fig in figures:
        topic, name = fig.id.split(".", 1)
        found = {}
        for key, suffix in (("png", ".png"), ("csv", ".csv"), ("caption", ".caption.md")):
            p = base / topic / f"{name}{suffix}"
            found[key] = p if p.is_file() else None
        size = seed = None
        if found["caption"] is not None:
            m = _SIZE_SEED.search(found["caption"].read_text(encoding="utf-8", errors="replace"))
            if m:
                size, seed = m.group(1), int(m.group(2))
        out.append(FigureEntry(fig.id, fig.title, fig.tag, size=size, seed=seed, **found))
    return out


# -- markdown ------------------------------------------------------------------------------------------
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str) -> str:
    """Escaped ``text`` with ``code`` spans and **bold**; bold is not applied inside code."""
    parts = re.split(r"(`[^`]+`)", html.escape(text, quote=False))
    return "".join(f"<code>{p[1:-1]}</code>" if len(p) > 1 and p[0] == p[-1] == "`"
                   else _BOLD.sub(r"<strong>\1</strong>", p) for p in parts)


def render_markdown(text: str, heading_offset: int = 2) -> str:
    """A minimal markdown renderer for captions: headings, paragraphs, bullet lists, bold, code.

    Everything is HTML-escaped first; no raw HTML, links or images pass through.

    Parameters
    ----------
    text : str
    heading_offset : int
        Added to the heading level (``#`` becomes ``<h3>`` with the default 2), capped at 6.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> render_markdown("# Title\\n\\nSome **bold** and `x < 1`.")
    '<h3>Title</h3>\\n<p>Some <strong>bold</strong> and <code>x &lt; 1</code>.</p>'
    """
    blocks, para, items = [], [], []

    def flush():
        if para:
            blocks.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        heading = re.match(r"(#{1,6})\s+(.*)", line)
        if not line:
            flush()
        elif heading:
            flush()
            level = min(6, len(heading.group(1)) + heading_offset)
            blocks.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif re.match(r"[-*]\s+", line):
            if para:
                flush()
            items.append(re.sub(r"^[-*]\s+", "", line))
        elif items and raw[:1].isspace():
            items[-1] += " " + line
        else:
            if items:
                flush()
            para.append(line)
    flush()
    return "\n".join(blocks)


# -- page ----------------------------------------------------------------------------------------------
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;
color:#1d1d1f;background:#fff;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;font-size:.86em;margin:.5em 0 1em}
th,td{border:1px solid #ddd;padding:.3em .45em;text-align:left;vertical-align:top}
th{background:#f4f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.detail td{background:#fafafa;color:#444;font-size:.95em;border-top:none}
.verdict{font-weight:700;text-align:center;white-space:nowrap}
.verdict.holds{background:#d7f2dc;color:#135f24}.verdict.violated{background:#f9d4d4;color:#8a1010}
.verdict.inconclusive{background:#fdf0c4;color:#6b5200}
.badge{display:inline-block;padding:0 .45em;border-radius:.6em;font-size:.85em;margin-right:.3em}
.badge.zero{background:#eee;color:#777;font-weight:400}
code{background:#f2f2f4;padding:0 .25em;border-radius:3px;font-size:.92em}
figure{margin:1.2em 0 2em;padding:1em;border:1px solid #e3e3e3;border-radius:6px}
figure img{max-width:min(100%,900px);height:auto;display:block;margin:0 auto}
figcaption h3{margin:.6em 0 .3em;font-size:1.1em}.meta td:first-child{font-weight:600;width:12em}
.missing{color:#8a1010}.muted{color:#666}nav a{margin-right:1em}
"""


def _e(v) -> str:
    return html.escape("" if v is None else str(v))


def _num(v) -> str:
    return _e(fmt_value(v)) if isinstance(v, (int, float)) or v is None else _e(v)


def _anchor(kind: str, ident: str) -> str:
    return kind + "-" + re.sub(r"[^A-Za-z0-9_.-]", "-", ident)


def _break_cell(row: dict) -> str:
    b = row.get("break_margin")
    if not b:
        return '<span class="muted">no break recorded</span>'
    text = (f"<strong>break ({_e(b.get('target'))})</strong>: {_e(b.get('changes'))}; "
            f"<code>{_e(b.get('override'))} = {_num(b.get('value'))}</code> in the proofs check; "
            f"recorded margin {_num(b.get('margin'))} ({_e(b.get('scale'))})")
    if b.get("source"):
        text += f"; margin scan: {_e(b['source'])}"
    verdict = row.get("break_verdict", b.get("verdict"))
    if verdict in VERDICTS:
        text += f'; under the break: <span class="badge verdict {verdict}">{verdict}</span>'
    else:
        text += ('; <span class="muted">not run here (the proofs checks run it: '
                 '<code>python -m pytest proofs_checks</code>)</span>')
    return text


def _claim_rows(rows: Sequence[dict], meta: ReportMeta) -> str:
    head = ("<tr><th>verdict</th><th>claim</th><th>kind</th><th>measured</th><th>rule</th><th>bound</th>"
            "<th>ratio</th><th>95% CI</th><th>reps</th><th>seconds</th><th>tag/constant</th></tr>")
    body = []
    for r in rows:
        verdict = r.get("verdict", "inconclusive")
        rule_symbol = r.get("rule", "")
        rule = _RULE_NAMES.get(rule_symbol, rule_symbol)
        cls = verdict if verdict in VERDICTS else "inconclusive"
        body.append(
            f'<tr class="claim" id="{_anchor("claim", r["id"])}">'
            f'<td class="verdict {cls}">{_e(verdict)}</td>'
            f'<td><code>{_e(r["id"])}</code><br>{_e(r.get("statement"))}<br>'
            f'<span class="muted">{_e(r.get("theorem"))}; {_e(r.get("paper"))}</span></td>'
            f'<td>{_e(r.get("kind"))}</td><td class="num">{_num(r.get("measured"))}</td>'
            f'<td class="num">{_e(rule_symbol)}</td>'
            f'<td class="num">{_e(fmt_bound(rule, r.get("bound"), r.get("bound_high")))}</td>'
            f'<td class="num">{_num(r.get("ratio"))}</td>'
            f'<td class="num">{_e(fmt_interval(r.get("ci_low"), r.get("ci_high")))}</td>'
            f'<td class="num">{_num(r.get("reps"))}</td><td class="num">{_num(r.get("seconds"))}</td>'
            f'<td>{_e(provenance(r.get("tag", "?"), r.get("constant", "?")))}</td></tr>')
        body.append(
            f'<tr class="detail"><td></td><td colspan="10">'
            f'calibration: {_e(r.get("calibration") or "-")}<br>{_break_cell(r)}<br>'
            f'rerun: <code>{_e(claim_command(r["id"], meta.size, meta.seed))}</code></td></tr>')
    return f'<table class="claims">{head}{"".join(body)}</table>'


def _figure_block(f: FigureEntry) -> str:
    cmd = f"<code>{_e(figure_command(f.id, f.size, f.seed))}</code>"
    if f.missing:
        return (f'<li class="missing" id="{_anchor("fig", f.id)}"><code>{_e(f.id)}</code> ({_e(f.title)}): '
                f'missing {", ".join(f.missing)}; make it with {cmd}</li>')
    caption = render_markdown(f.caption.read_text(encoding="utf-8", errors="replace"))
    png, csv = f.copied.get("png", ""), f.copied.get("csv", "")
    return (f'<figure id="{_anchor("fig", f.id)}"><img src="{_e(png)}" alt="{_e(f.title)}">'
            f'<figcaption>{caption}<p><code>{_e(f.id)}</code> · provenance <strong>{_e(f.tag)}</strong> · '
            f'size {_e(f.size or "?")}, seed {_e(f.seed if f.seed is not None else "?")} · '
            f'data: <a href="{_e(csv)}">{_e(Path(csv).name)}</a> · regenerate: {cmd}</p></figcaption></figure>')


def _counts(rows: Sequence[dict]) -> str:
    c = {v: sum(r.get("verdict") == v for r in rows) for v in VERDICTS}
    return ", ".join(f'<span class="badge verdict {v}{" zero" if not c[v] else ""}">{c[v]} {v}</span>'
                     for v in VERDICTS)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_report(rows: Sequence[dict], figures: Sequence[FigureEntry], meta: ReportMeta) -> str:
    """The HTML page (a string) for claim ``rows`` and ``figures`` (whose files were already copied).

    Parameters
    ----------
    rows : sequence of dict
        Claim rows as written by ``theorylab check --json`` (``ClaimResult.row()``).
    figures : sequence of FigureEntry
        With ``copied`` holding the page-relative paths of their PNG and CSV (see :func:`write_report`).
    meta : ReportMeta

    Returns
    -------
    str

    Examples
    --------
    >>> page = render_report([], [], ReportMeta(seed=0, size="quick", source="nothing"))
    >>> page.startswith("<!DOCTYPE html>")
    True
    """
    topics = list(meta.topics) or list(dict.fromkeys([r["id"].split(".", 1)[0] for r in rows] +
                                                     [f.topic for f in figures]))
    missing_claims = list(meta.missing_claims)
    n_missing_figs = sum(bool(f.missing) for f in figures)
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<title>theorylab report</title><style>{CSS}</style></head><body>",
             "<h1>theorylab report</h1>",
             '<table class="meta">'
             f"<tr><td>package</td><td>theorylab {_e(meta.version)}</td></tr>"
             f"<tr><td>claim checks</td><td>size <code>{_e(meta.size)}</code>, master seed "
             f"<code>{_e(meta.seed)}</code>; {_e(meta.source)}</td></tr>"
             f"<tr><td>topics</td><td>{_e(', '.join(topics))}</td></tr>"
             f"<tr><td>claims</td><td>{_plural(len(rows), 'row')}: {_counts(rows)}"
             + (f"; {_plural(len(missing_claims), 'registered claim')} not checked" if missing_claims else "")
             + "</td></tr>"
             f"<tr><td>figures</td><td>{_plural(len(figures) - n_missing_figs, 'figure')} shown"
             + (f", {n_missing_figs} missing" if n_missing_figs else "")
             + (f" (read from <code>{_e(meta.figures_dir)}</code>)" if meta.figures_dir else "") + "</td></tr>"
             f"<tr><td>generated</td><td>{_e(meta.generated)}</td></tr></table>",
             "<p class=\"muted\">Verdicts read the 95% CI, never the point estimate: <em>holds</em> when the "
             "whole interval lies on the bound's side, <em>violated</em> when wholly on the wrong side, "
             "<em>inconclusive</em> otherwise. Provenance: paper, derived, reconstruction or ours; each topic's "
             "note is <code>docs/topics/&lt;topic&gt;.md</code> in the repository.</p>",
             "<nav>" + "".join(f'<a href="#{_anchor("topic", t)}">{_e(t)}</a>' for t in topics) + "</nav>"]
    for t in topics:
        t_rows = [r for r in rows if r["id"].split(".", 1)[0] == t]
        t_figs = [f for f in figures if f.topic == t]
        t_missing = [c for c in missing_claims if c.split(".", 1)[0] == t]
        parts.append(f'<section class="topic" id="{_anchor("topic", t)}"><h2>{_e(t)}</h2>')
        parts.append(f"<p>{_plural(len(t_rows), 'claim row')}: {_counts(t_rows)}; "
                     f"{_plural(len(t_figs), 'figure')}; topic note <code>docs/topics/{_e(t)}.md</code></p>")
        if t_rows:
            parts.append(_claim_rows(t_rows, meta))
        if t_missing:
            parts.append('<p class="missing">Not checked (no row): ' + ", ".join(
                f"<code>{_e(c)}</code> (<code>{_e(claim_command(c, meta.size, meta.seed))}</code>)"
                for c in t_missing) + "</p>")
        shown = [f for f in t_figs if not f.missing]
        absent = [f for f in t_figs if f.missing]
        parts += [_figure_block(f) for f in shown]
        if absent:
            parts.append("<p>Missing figures:</p><ul>" + "".join(_figure_block(f) for f in absent) + "</ul>")
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(out: str | Path, rows: Sequence[dict], figures: Sequence[FigureEntry], meta: ReportMeta) -> Path:
    """Copy the figures' files under ``out/assets/<topic>/`` and write ``out/index.html``; returns the page.

    Parameters
    ----------
    out : str or pathlib.Path
        Output directory (created if needed).
    rows : sequence of dict
        Claim rows (``theorylab check --json``).
    figures : sequence of FigureEntry
        From :func:`collect_figures`; a figure with a missing file is listed, not copied.
    meta : ReportMeta

    Returns
    -------
    pathlib.Path
        ``out/index.html``.

    Examples
    --------
    >>> import tempfile
    >>> write_report(tempfile.mkdtemp(), [], [], ReportMeta(seed=0, size="quick", source="x")).name
    'index.html'
    """
    from theorylab.core.figures import atomic_write_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    placed = []
    for f in figures:
        copied = {}
        if not f.missing:
            target = out / "assets" / f.topic
            target.mkdir(parents=True, exist_ok=True)
            for key in ("png", "csv", "caption"):
                src = getattr(f, key)
                dst = target / src.name
                if src.resolve() != dst.resolve():
                    shutil.copyfile(src, dst)
                copied[key] = f"assets/{f.topic}/{src.name}"
        placed.append(FigureEntry(f.id, f.title, f.tag, f.png, f.csv, f.caption, f.size, f.seed, copied))
    page = out / PAGE_NAME
    atomic_write_text(page, render_report(rows, placed, meta))
    return page
