"""Plot helpers: a measurement with its confidence band beside the bound it is checked against.

One convention for estimated probabilities on a log axis (:func:`plot_probability`): an estimate of
exactly 0 cannot sit on a log axis, so it is drawn at the axis floor with a hollow marker of the series'
colour (the interval's upper limit stays in the CSV); bounds are clipped at 1
(:func:`clip_probability`) and leave the panel through its bottom edge below the floor. Captions state the floor with :func:`zero_point_note`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["new_axes", "finish_axes", "plot_with_bound", "plot_probability", "clip_probability",
           "set_probability_axis", "zero_point_note", "zero_point_handle", "integer_ticks", "TAG_NOTE"]

TAG_NOTE = {
    "paper": "as stated in the paper",
    "derived": "derived from the paper's statements",
    "reconstruction": "our reconstruction of the paper's setting",
    "ours": "our own choice",
}


def new_axes(ncols: int = 1, nrows: int = 1, width: float = 4.6, height: float = 3.6):
    """A matplotlib figure and a flat array of axes (Agg backend, no display needed).

    Parameters
    ----------
    ncols, nrows : int
        Grid of panels.
    width, height : float
        Size of one panel in inches.

    Returns
    -------
    (Figure, ndarray of Axes)
        The figure and its axes, flattened row by row.

    Examples
    --------
    >>> fig, axes = new_axes(ncols=2)
    >>> len(axes)
    2
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    return fig, axes.ravel()


def finish_axes(ax, xlabel: str, ylabel: str | None = None, logx: bool = False, logy: bool = False,
                legend: float | None = 7, legend_loc: str = "best"):
    """Scales, labels, a light grid and the legend: the common tail of every figure's axes.

    Parameters
    ----------
    ax : matplotlib Axes
        The panel to finish.
    xlabel, ylabel : str
        Axis labels (``ylabel=None`` leaves it unset).
    logx, logy : bool
        Log scales.
    legend : float or None
        Legend font size in points (None: no legend).
    legend_loc : str
        Legend location.

    Returns
    -------
    None

    Examples
    --------
    >>> fig, (ax,) = new_axes()
    >>> _ = ax.plot([1, 2], [1, 4], label="y")
    >>> finish_axes(ax, "x", "y", logy=True)
    >>> ax.get_yscale()
    'log'
    """
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
    label, bound_label : str
        Legend entries of the measurement and of the bound.
    color : str, optional
        Line colour (default: the axes' next colour); the band and bound share it.
    marker : str
        Marker of the measured points.

    Returns
    -------
    matplotlib Line2D
        The measured line.

    Examples
    --------
    >>> fig, (ax,) = new_axes()
    >>> line = plot_with_bound(ax, [1, 10, 100], [1.0, 0.3, 0.1], bound=[2.0, 0.6, 0.2])
    >>> line.get_label()
    'measured'
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


def clip_probability(values):
    """Clip a bound on a probability at 1: a bound above 1 says nothing, so it is drawn at 1.

    Values below the axis floor are left as they are, so the line leaves the panel through its bottom edge
    (the axes cut it) instead of running along the floor, where it would look like a bound equal to the floor.

    Parameters
    ----------
    values : array_like
        Probability bounds (may exceed 1).

    Returns
    -------
    ndarray
        ``min(values, 1)``.

    Examples
    --------
    >>> clip_probability([1e-9, 0.2, 16.1]).tolist()
    [1e-09, 0.2, 1.0]
    """
    return np.minimum(np.asarray(values, dtype=float), 1.0)


def set_probability_axis(ax, floor: float) -> None:
    """Log y-axis from just below ``floor`` (so markers at the floor show whole) to just above 1.

    Parameters
    ----------
    ax : matplotlib Axes
        The panel.
    floor : float
        Axis floor where zero estimates are drawn, > 0.

    Returns
    -------
    None

    Examples
    --------
    >>> fig, (ax,) = new_axes()
    >>> set_probability_axis(ax, 1e-4)
    >>> bool(ax.get_ylim()[0] < 1e-4 < 1 < ax.get_ylim()[1])
    True
    """
    if not floor > 0:
        raise ValueError(f"floor must be > 0, got {floor!r}")
    ax.set_yscale("log")
    ax.set_ylim(floor / 1.8, 1.8)


def plot_probability(ax, x, p_hat, low, high, floor: float, label: str, color=None, ls: str = "-",
                     marker: str = "o", band_alpha: float = 0.15, dodge: float = 1.0):
    """An estimated probability with its band, zero estimates drawn at the axis floor with a hollow marker.

    Positive estimates are joined by a line with filled markers and a band from ``max(low, floor)`` to
    ``high``; estimates of exactly 0 get a hollow marker of the same colour at ``floor`` (not joined, so no
    segment suggests a value). Their interval's upper limit stays in the data (the CSV), not on the image,
    where many zero points would turn it into clutter.

    Parameters
    ----------
    ax : matplotlib Axes
        The panel (its y-axis should be set by :func:`set_probability_axis`).
    x : array_like
        Abscissae (sorted here).
    p_hat, low, high : array_like
        Estimates and their interval.
    floor : float
        Axis floor, > 0.
    label : str
        Legend entry of the series.
    color : str, optional
        Colour (default: the axes' next colour).
    ls, marker : str
        Line style and marker.
    band_alpha : float
        Opacity of the band.
    dodge : float
        Zero markers are drawn at ``x * dodge``, so that several series with no error at the same ``x``
        stay distinguishable (pass e.g. ``1 + 0.03 i`` for series ``i``; 1 = no shift).

    Returns
    -------
    int
        Number of zero estimates drawn at the floor.

    Examples
    --------
    >>> fig, (ax,) = new_axes()
    >>> set_probability_axis(ax, 1e-4)
    >>> plot_probability(ax, [1, 2, 3], [0.2, 0.01, 0.0], [0.1, 0.005, 0.0], [0.3, 0.02, 0.003], 1e-4, "demo")
    1
    """
    if not floor > 0:
        raise ValueError(f"floor must be > 0, got {floor!r}")
    if not dodge > 0:
        raise ValueError(f"dodge must be > 0, got {dodge!r}")
    x = np.asarray(x, dtype=float)
    order = np.argsort(x)
    x = x[order]
    p = np.asarray(p_hat, dtype=float)[order]
    lo = np.asarray(low, dtype=float)[order]
    hi = np.asarray(high, dtype=float)[order]
    zero = p <= 0
    line, = ax.plot(x[~zero], p[~zero], color=color, ls=ls, marker=marker, ms=3.5, label=label)
    c = line.get_color()
    ax.fill_between(x[~zero], np.clip(lo[~zero], floor, 1.0), np.clip(hi[~zero], floor, 1.0), color=c,
                    alpha=band_alpha, lw=0)
    if zero.any():
        ax.plot(x[zero] * dodge, np.full(int(zero.sum()), floor), ls="none", marker=marker, ms=6, mfc="white", mec=c, mew=1.3,
                zorder=4)
    return int(zero.sum())


def zero_point_handle(color: str = "0.3"):
    """Legend proxy for the zero-estimate marker of :func:`plot_probability` (a hollow circle).

    Parameters
    ----------
    color : str
        Edge colour of the proxy marker.

    Returns
    -------
    matplotlib Line2D
        A handle to pass to ``ax.legend(handles=...)``.

    Examples
    --------
    >>> zero_point_handle().get_label()
    'no error in any run (drawn at the axis floor)'
    """
    from matplotlib.lines import Line2D

    return Line2D([], [], ls="none", marker="o", ms=6, mfc="none", mec=color, mew=1.2,
                  label="no error in any run (drawn at the axis floor)")


def zero_point_note(floor: float) -> str:
    """The caption sentence for the zero-estimate convention of :func:`plot_probability`.

    Parameters
    ----------
    floor : float
        The axis floor.

    Returns
    -------
    str
        One sentence for the figure's caption.

    Examples
    --------
    >>> zero_point_note(1e-5)
    'Points with no error in any run are drawn as hollow markers at the axis floor 1e-05 (a log axis cannot show 0); their 95% upper limit is in the CSV.'
    """
    return (f"Points with no error in any run are drawn as hollow markers at the axis floor {floor:g} (a log axis "
            f"cannot show 0); their 95% upper limit is in the CSV.")


def integer_ticks(ax, values, axis: str = "x") -> None:
    """Label a (log) axis with exactly ``values`` as plain integers (2, 4, 8 rather than 2x10^0).

    Parameters
    ----------
    ax : matplotlib Axes
        The panel.
    values : array_like of int
        Tick positions, labelled as integers.
    axis : {"x", "y"}
        Which axis.

    Returns
    -------
    None

    Examples
    --------
    >>> fig, (ax,) = new_axes()
    >>> ax.set_xscale("log")
    >>> integer_ticks(ax, [2, 4, 8])
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['2', '4', '8']
    """
    from matplotlib import ticker as mpl_ticker

    if axis not in ("x", "y"):
        raise ValueError(f"axis must be 'x' or 'y', got {axis!r}")
    target = ax.xaxis if axis == "x" else ax.yaxis
    vals = [int(v) for v in values]
    target.set_major_locator(mpl_ticker.FixedLocator(vals))
    target.set_major_formatter(mpl_ticker.FixedFormatter([str(v) for v in vals]))
    target.set_minor_locator(mpl_ticker.NullLocator())
