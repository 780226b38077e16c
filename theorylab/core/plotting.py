"""Plot helpers: a measurement with its confidence band beside the bound it is checked against."""

from __future__ import annotations

import numpy as np

__all__ = ["new_axes", "finish_axes", "plot_with_bound", "TAG_NOTE"]

TAG_NOTE = {
    "paper": "as stated in the paper",
    "derived": "derived from the paper's statements",
    "reconstruction": "our reconstruction of the paper's setting",
    "ours": "our own choice",
}


def new_axes(ncols: int = 1, nrows: int = 1, width: float = 4.6, height: float = 3.6):
    """A matplotlib figure and a flat array of axes (Agg backend, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    return fig, axes.ravel()


def finish_axes(ax, xlabel: str, ylabel: str | None = None, logx: bool = False, logy: bool = False,
                legend: float | None = 7, legend_loc: str = "best"):
    """Scales, labels, a light grid and the legend: the common tail of every figure's axes."""
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    ax.grid(True, which="both", alpha=0.3)
    if legend:
        ax.legend(fontsize=legend, loc=legend_loc)


def plot_with_bound(ax, x, y, low=None, high=None, bound=None, label="measured", bound_label="bound",
                    logx=True, logy=True, color=None, marker="o"):
    """Draw ``y(x)`` with an optional confidence band ``[low, high]`` and the bound as a dashed line.

    Parameters
    ----------
    ax : matplotlib Axes
    x, y : array_like
    low, high : array_like, optional
        Confidence band drawn as a shaded region.
    bound : array_like, optional
        The theorem's bound at the same ``x``.
    logx, logy : bool
        Log scales (log-log for power laws, log-linear for exponential decay).
    """
    x = np.asarray(x, dtype=float)
    order = np.argsort(x)
    x = x[order]
    line, = ax.plot(x, np.asarray(y, dtype=float)[order], marker=marker, ms=3, label=label, color=color)
    c = line.get_color()
    if low is not None and high is not None:
        lo = np.asarray(low, dtype=float)[order]
        hi = np.asarray(high, dtype=float)[order]
        if logy:
            floor = np.nanmin(np.asarray(y, dtype=float)[np.asarray(y) > 0]) / 10 if np.any(np.asarray(y) > 0) else 1e-12
            lo = np.maximum(lo, floor)
        ax.fill_between(x, lo, hi, color=c, alpha=0.2, lw=0)
    if bound is not None:
        ax.plot(x, np.asarray(bound, dtype=float)[order], ls="--", color=c, lw=1.2, label=bound_label)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    return line
