"""``theorylab report``: the static page holds every claim row and figure, links only to files it ships,
colours verdicts by class, and lists what is missing (issue 16 item 5)."""

import json
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from theorylab import __version__, cli
from theorylab.core import registry
from theorylab.core.report import render_markdown

VERDICTS = ("holds", "violated", "inconclusive")

EXPERIMENTS = '''\
import numpy as np
import pandas as pd

from theorylab.core.figures import Figure


def compute(size="quick", n_jobs=1, seed=0):
    x = np.arange(1, 6, dtype=float)
    return pd.DataFrame({"x": x, "y": x ** -0.5})


def draw(df):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot(df["x"], df["y"], "o-")
    ax.set_title("toy curve")
    return fig


FIGURES = [
    Figure("demo.curve", "A toy curve", "y = x^-1/2 on **five** points; `x < 6` <script>alert(1)</script>",
           "ours", compute, draw),
    Figure("demo.never_made", "A figure nobody reproduced", "caption", "derived", compute, draw),
]
'''


@pytest.fixture
def demo(tmp_path_factory, monkeypatch):
    """Topic 'demo': the fixture claims of tests/demo_topic plus two toy figures, from a temporary package."""
    root = tmp_path_factory.mktemp("pkg")
    pkg = root / "report_demo_topic"
    pkg.mkdir()
    (pkg / "__init__.py").write_text('ALGORITHMS = {"gauss": "toy"}\nINSTANCES = {}\n')
    (pkg / "claims.py").write_text("from tests.demo_topic.claims import CLAIMS  # noqa: F401\n")
    (pkg / "experiments.py").write_text(textwrap.dedent(EXPERIMENTS))
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setitem(registry.TOPICS, "demo", "report_demo_topic")
    return registry


@pytest.fixture
def figures_dir(demo, tmp_path):
    """The quick figures of the demo topic, written by the real writer, except ``demo.never_made``."""
    from theorylab.core.figures import reproduce_figure

    out = tmp_path / "figs"
    reproduce_figure(registry.find_figure("demo.curve")[0], out, size="quick", seed=0)
    return out


@pytest.fixture
def claims_json(demo, tmp_path):
    path = tmp_path / "rows.json"
    assert cli.main(["check", "demo", "--quick", "--json", str(path)]) == 0
    return path


class Page(HTMLParser):
    """Ids, links, verdict cells and visible text of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.verdicts, self.claim_rows, self.figures, self.text = set(), [], [], [], [], []
        self._verdict = None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
        classes = (a.get("class") or "").split()
        if tag == "tr" and "claim" in classes:
            self.claim_rows.append(a["id"])
        if tag == "td" and "verdict" in classes:
            self._verdict = [c for c in classes if c != "verdict"]
        if tag == "figure":
            self.figures.append(a["id"])
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data):
        self.text.append(data)
        if self._verdict is not None:
            self.verdicts.append((self._verdict, data.strip()))
            self._verdict = None


def parse(page: Path) -> Page:
    p = Page()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def assert_no_dangling_links(page: Path, parsed: Page):
    for link in parsed.links:
        url = urlparse(link)
        assert not url.scheme and not url.netloc, f"non-local link {link}"   # no network, no CDN
        if link.startswith("#"):
            assert link[1:] in parsed.ids, f"anchor {link} has no target"
            continue
        target = (page.parent / unquote(url.path)).resolve()
        assert target.is_file(), f"{link} does not exist relative to {page.parent}"
        assert page.parent.resolve() in target.parents, f"{link} leaves the report directory"


def test_report_from_a_claims_file_has_every_claim_and_figure(demo, claims_json, figures_dir, tmp_path, capsys):
    out = tmp_path / "report"
    capsys.readouterr()
    assert cli.main(["report", "demo", "--claims", str(claims_json), "--figures", str(figures_dir),
                     "--out", str(out)]) == 0
    summary = capsys.readouterr().out
    assert "5 claim rows, 1 figure (1 missing under" in summary
    page = out / "index.html"
    parsed = parse(page)
    rows = json.loads(claims_json.read_text())
    claim_ids = [c.id for c in registry.claims("demo")]
    assert [r["id"] for r in rows] == claim_ids
    assert parsed.claim_rows == ["claim-" + i for i in claim_ids]
    assert [v for v, _ in parsed.verdicts] == [[r["verdict"]] for r in rows]
    assert all(text == cls[0] for cls, text in parsed.verdicts)
    assert parsed.figures == ["fig-demo.curve"]
    assert "fig-demo.never_made" in parsed.ids       # listed as missing, with its command
    text = " ".join(parsed.text)
    assert "theorylab reproduce demo.never_made --seed 0" in text
    assert "theorylab reproduce demo.curve --quick --seed 0" in text
    assert "theorylab check demo.mean_upper --quick --seed 0" in text
    assert f"theorylab {__version__}" in text
    for r in rows:
        assert r["statement"] in text and r["calibration"] in text and r["break_margin"]["changes"] in text
    assert_no_dangling_links(page, parsed)
    assert (out / "assets" / "demo" / "curve.csv").read_text() == (figures_dir / "demo" / "curve.csv").read_text()
    assert parsed.scripts == 0                          # the caption's <script> was escaped, not passed through


def test_verdict_classes_follow_the_rows_and_the_break_result_when_present(demo, claims_json, figures_dir,
                                                                            tmp_path):
    rows = json.loads(claims_json.read_text())
    rows[0]["verdict"], rows[1]["verdict"] = "violated", "inconclusive"
    rows[2]["break_margin"]["verdict"] = "violated"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(rows))
    out = tmp_path / "r"
    assert cli.main(["report", "demo", "--claims", str(edited), "--figures", str(figures_dir), "--out", str(out),
                     "--seed", "7"]) == 0
    parsed = parse(out / "index.html")
    assert [v for v, _ in parsed.verdicts] == [[r["verdict"]] for r in rows]
    html = (out / "index.html").read_text()
    assert html.count('class="verdict violated"') == 1 and html.count('class="verdict inconclusive"') == 1
    assert 'under the break: <span class="badge verdict violated">violated</span>' in html
    assert "theorylab check demo.mean_upper --quick --seed 7" in html


def test_report_runs_the_quick_checks_without_a_claims_file(demo, figures_dir, tmp_path, capsys):
    out = tmp_path / "r"
    assert cli.main(["report", "demo", "--figures", str(figures_dir), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].startswith("id ")       # the check table, as the claims run
    parsed = parse(out / "index.html")
    assert parsed.claim_rows == ["claim-" + c.id for c in registry.claims("demo")]
    assert_no_dangling_links(out / "index.html", parsed)


def test_claims_checked_side_by_side_give_the_rows_of_the_ordered_run(demo, figures_dir, tmp_path, capsys):
    # --claim-jobs 2 (the default) runs one claim per worker; a claim's numbers depend on its seed only.
    table = {}
    for jobs in ("1", "2"):
        assert cli.main(["report", "demo", "--figures", str(figures_dir), "--out", str(tmp_path / jobs),
                         "--claim-jobs", jobs]) == 0
        table[jobs] = [ln.rsplit(None, 1)[0] for ln in capsys.readouterr().out.splitlines() if ln.startswith("demo.")]
    assert table["1"] == table["2"] and len(table["1"]) == len(registry.claims("demo"))
    assert cli.main(["report", "demo", "--out", str(tmp_path / "x"), "--claim-jobs", "0"]) == 2


def test_missing_figures_directory_lists_every_figure_as_missing(demo, claims_json, tmp_path):
    out = tmp_path / "r"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli.main(["report", "demo", "--claims", str(claims_json), "--figures", str(empty), "--out", str(out)]) == 0
    parsed = parse(out / "index.html")
    assert parsed.figures == [] and {"fig-demo.curve", "fig-demo.never_made"} <= parsed.ids
    assert_no_dangling_links(out / "index.html", parsed)


def test_registered_claims_missing_from_the_file_are_listed(demo, claims_json, figures_dir, tmp_path):
    rows = json.loads(claims_json.read_text())
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(rows[1:]))
    out = tmp_path / "r"
    assert cli.main(["report", "demo", "--claims", str(partial), "--figures", str(figures_dir), "--out", str(out)]) == 0
    html = (out / "index.html").read_text()
    assert f"Not checked (no row): <code>{rows[0]['id']}</code>" in html


@pytest.mark.parametrize("content, needle", [
    ("{not json", "is not JSON"),
    ('{"id": "x"}', "expected the list"),
    ('[{"id": "demo.x", "verdict": "fine"}]', "row 0 is not a claim row"),
])
def test_bad_claims_file_is_one_line_and_exit_2(demo, tmp_path, capsys, content, needle):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert cli.main(["report", "demo", "--claims", str(bad), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and needle in err[0] and "bad.json" in err[0]
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("argv, needle", [
    (["report", "demo.mean_upper", "--out", "r"], "report takes a TOPIC"),
    (["report", "nosuch", "--out", "r"], "unknown topic"),
    (["report", "demo", "--figures", "no/such/dir", "--out", "r"], "--figures 'no/such/dir' is not a directory"),
    (["report", "demo"], "--out"),
])
def test_bad_report_arguments(demo, tmp_path, capsys, monkeypatch, argv, needle):
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    assert needle in capsys.readouterr().err


def test_markdown_renders_headings_paragraphs_lists_bold_code_and_escapes_html():
    html = render_markdown("# Title\n\nOne **bold** line\ncontinued with `a<b`.\n\n- item *one*\n- item `two`\n\n"
                           "<img src=x onerror=alert(1)>")
    assert html.splitlines() == ["<h3>Title</h3>", "<p>One <strong>bold</strong> line continued with <code>a&lt;b</code>.</p>",
                                 "<ul><li>item *one*</li><li>item <code>two</code></li></ul>",
                                 "<p>&lt;img src=x onerror=alert(1)&gt;</p>"]
    assert render_markdown("`**not bold**`") == "<p><code>**not bold**</code></p>"


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.slow
@pytest.mark.skipif(_browser() is None, reason="no chromium / chromium-browser installed")
def test_headless_chromium_renders_a_page_that_is_not_blank(demo, claims_json, figures_dir, tmp_path):
    from PIL import Image

    out = tmp_path / "r"
    assert cli.main(["report", "demo", "--claims", str(claims_json), "--figures", str(figures_dir),
                     "--out", str(out)]) == 0
    shot = tmp_path / "shot.png"
    res = subprocess.run([_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                          "--window-size=1200,1600", f"--screenshot={shot}", (out / "index.html").as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert shot.is_file(), res.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50           # text, table borders, verdict colours, the image
    greens = sum(n for n, (r, g, b) in colours if g > r + 20 and g > b + 10)
    assert greens > 100                                        # the 'holds' cells are coloured
    white = max(n for n, c in colours if c == (255, 255, 255)) if (255, 255, 255) in {c for _, c in colours} else 0
    assert white < 0.97 * img.width * img.height              # not a blank page
