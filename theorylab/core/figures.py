"""Figure definitions and the writer behind ``theorylab reproduce``.

A :class:`Figure` computes a tidy table (``compute(size, n_jobs, seed) -> DataFrame``) and draws it
(``draw(df) -> matplotlib Figure``). :func:`reproduce_figure` writes three files side by side:
``<name>.csv`` (the data), ``<name>.png`` and ``<name>.caption.md`` (title, provenance tag, what follows
the paper and what is ours, size and seed), each written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from theorylab.core.claims import SIZES, TAGS
from theorylab.core.validate import check_choice

__all__ = ["Figure", "reproduce_figure", "atomic_write_text", "provenance_line"]


@dataclass(frozen=True)
class Figure:
    """A reproducible figure.

    Parameters
    ----------
    id : str
        ``<topic>.<name>``; files are named ``<name>.*``.
    title : str
    caption : str
        What the figure shows, which parts follow the paper exactly and which are our reconstruction.
    tag : str
        ``paper``, ``derived``, ``reconstruction`` or ``ours``.
    compute : callable
        ``compute(size, n_jobs, seed) -> pandas.DataFrame``.
    draw : callable
        ``draw(df) -> matplotlib.figure.Figure``.
    """

    id: str
    title: str
    caption: str
    tag: str
    compute: Callable
    draw: Callable

    def __post_init__(self):
        check_choice("tag", self.tag, TAGS)

    @property
    def topic(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]


def atomic_write_text(path: Path, text: str, make_parents: bool = True) -> None:
    """Write ``text`` to ``path`` through a uniquely named temporary file and ``os.replace``.

    The file gets the mode the umask allows (0644 under umask 022). With ``make_parents=False`` a
    missing directory is an error instead of being created.

    Parameters
    ----------
    path : path
        Target file.
    text : str
        Content (UTF-8).
    make_parents : bool
        Create missing directories (else ValueError).
    """
    from theorylab.core.store import write_bytes_atomic

    path = Path(path)
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise ValueError(f"directory '{path.parent}' of '{path}' does not exist")
    write_bytes_atomic(path, text.encode())


def provenance_line(fig: Figure, size: str, seed: int) -> str:
    """The one-line provenance stamp printed under every figure image.

    Parameters
    ----------
    fig : Figure
        The figure.
    size : str
        Size it was computed at.
    seed : int
        Master seed.

    Returns
    -------
    str
        The stamp.

    Examples
    --------
    >>> f = Figure("demo.curve", "t", "c", "ours", compute=None, draw=None)
    >>> provenance_line(f, "quick", 0)  # doctest: +ELLIPSIS
    'theorylab ... | demo.curve | provenance: ours (our own choice) | size quick, seed 0 | docs/topics/demo.md'
    """
    from theorylab import __version__
    from theorylab.core.plotting import TAG_NOTE

    return (f"theorylab {__version__} | {fig.id} | provenance: {fig.tag} ({TAG_NOTE[fig.tag]}) | "
            f"size {size}, seed {seed} | docs/topics/{fig.topic}.md")


def stamp_provenance(mpl_fig, fig: Figure, size: str, seed: int) -> None:
    """Write :func:`provenance_line` in small grey type below the axes of ``mpl_fig``."""
    from matplotlib.transforms import offset_copy

    below = offset_copy(mpl_fig.transFigure, fig=mpl_fig, y=-6, units="points")
    mpl_fig.text(0.005, 0.0, provenance_line(fig, size, seed), fontsize=6, color="0.35",
                 ha="left", va="top", transform=below)


def reproduce_figure(fig: Figure, out_dir: Path, size: str = "full", n_jobs: int = 1, seed: int = 0) -> list[Path]:
    """Compute, draw and write one figure under ``out_dir/<topic>/``; returns the written paths.

    Parameters
    ----------
    fig : Figure
        The figure.
    out_dir : path
        Root; files go to ``out_dir/<topic>/``.
    size : {"quick", "full"}
        Size.
    n_jobs : int
        Parallel workers.
    seed : int
        Master seed.

    Returns
    -------
    list of Path
        The CSV, PNG and caption written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    check_choice("size", size, SIZES)
    target = Path(out_dir) / fig.topic
    target.mkdir(parents=True, exist_ok=True)
    df = fig.compute(size=size, n_jobs=n_jobs, seed=seed)
    csv_path = target / f"{fig.name}.csv"
    png_path = target / f"{fig.name}.png"
    cap_path = target / f"{fig.name}.caption.md"
    atomic_write_text(csv_path, df.to_csv(index=False))
    mpl_fig = fig.draw(df)
    stamp_provenance(mpl_fig, fig, size, seed)
    from theorylab.core.store import write_bytes_atomic

    try:
        write_bytes_atomic(png_path, lambda tmp: mpl_fig.savefig(tmp, dpi=120, bbox_inches="tight", format="png"))
    finally:
        plt.close(mpl_fig)
    caption = (f"# {fig.title}\n\n{fig.caption.strip()}\n\nProvenance: **{fig.tag}**. "
               f"Size: `{size}`, master seed {seed}. Data: `{csv_path.name}`. "
               f"Topic note: `docs/topics/{fig.topic}.md`.\n")
    atomic_write_text(cap_path, caption)
    return [csv_path, png_path, cap_path]
