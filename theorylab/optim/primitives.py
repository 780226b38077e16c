"""numba primitives shared by every VR-Halpern kernel: block-layout operator evaluation and projections.

``op`` is :attr:`theorylab.optim.operators.FiniteSumOperator.kernel_args`, ``proj`` is
:attr:`theorylab.optim.operators.Projection.kernel_args`. Loops index views with the range variable
(``ov[t]``, not ``out[r + t]``) so that LLVM vectorises them, and apply four same-row columns per pass.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

#: Internal numba building blocks of :mod:`theorylab.optim.kernels`; nothing here is public API.
__all__: list[str] = []


# ---------------------------------------------------------------- operator primitives
@njit(cache=True, fastmath=True)
def _dot(a, b):
    """Inner product (fastmath lets the reduction vectorise)."""
    acc = 0.0
    for t in range(a.shape[0]):
        acc += a[t] * b[t]
    return acc


@njit(cache=True)
def comp_add(op, i, z, scale, out):
    """out += scale * F_i(z); component ``n`` is the full operator F."""
    n, ptr, col, row, ln, off, data, cidx, consts, full_scale, full_mode = op
    bs = scale * full_scale if i == n else scale
    twice = i == n and full_mode == 1
    b = ptr[i]
    end = ptr[i + 1]
    while b < end:
        m = ln[b]
        r = row[b]
        ov = out[r:r + m]  # views indexed by the range variable vectorise (r + t indexing does not)
        if (b + 3 < end and row[b + 1] == r and row[b + 2] == r and row[b + 3] == r and ln[b + 1] == m
                and ln[b + 2] == m and ln[b + 3] == m):
            # four columns on the same rows: one load/store of out per four columns (register blocking)
            s0, s1, s2, s3 = bs * z[col[b]], bs * z[col[b + 1]], bs * z[col[b + 2]], bs * z[col[b + 3]]
            d0 = data[off[b]:off[b] + m]
            d1 = data[off[b + 1]:off[b + 1] + m]
            d2 = data[off[b + 2]:off[b + 2] + m]
            d3 = data[off[b + 3]:off[b + 3] + m]
            for t in range(m):
                ov[t] += s0 * d0[t] + s1 * d1[t] + s2 * d2[t] + s3 * d3[t]
            if twice:
                a0, a1, a2, a3 = _dot4(d0, d1, d2, d3, z[r:r + m])
                out[col[b]] -= bs * a0
                out[col[b + 1]] -= bs * a1
                out[col[b + 2]] -= bs * a2
                out[col[b + 3]] -= bs * a3
            b += 4
            continue
        s = bs * z[col[b]]
        dv = data[off[b]:off[b] + m]
        for t in range(m):
            ov[t] += s * dv[t]
        if twice:  # skew bipartite B: row j of B is minus this column, so out[j] -= <column, z[rows]>
            out[col[b]] -= bs * _dot(dv, z[r:r + m])
        b += 1
    c = cidx[i]
    if c >= 0:
        for t in range(out.shape[0]):
            out[t] -= scale * consts[c, t]


@njit(cache=True)
def comp_add_diff(op, i, z, zp, scale, out):
    """out += scale * (F_i(z) - F_i(zp)) (two oracle calls; the constant cancels)."""
    n, ptr, col, row, ln, off, data, cidx, consts, full_scale, full_mode = op
    for b in range(ptr[i], ptr[i + 1]):
        j = col[b]
        s = scale * (z[j] - zp[j])
        m = ln[b]
        ov = out[row[b]:row[b] + m]
        dv = data[off[b]:off[b] + m]
        for t in range(m):
            ov[t] += s * dv[t]


@njit(cache=True)
def full_eval(op, z, out):
    """out = F(z) (n oracle calls by convention; the caller counts them)."""
    out[:] = 0.0
    comp_add(op, op[0], z, 1.0, out)


@njit(cache=True, fastmath=True)
def _dot4(d0, d1, d2, d3, z):
    """Four inner products with z in one pass over z."""
    a0 = a1 = a2 = a3 = 0.0
    for t in range(z.shape[0]):
        zt = z[t]
        a0 += d0[t] * zt
        a1 += d1[t] * zt
        a2 += d2[t] * zt
        a3 += d3[t] * zt
    return a0, a1, a2, a3


# ---------------------------------------------------------------- projections
@njit(cache=True)
def simplex_project_inplace(v, a, b):
    """Project v[a:b] onto the probability simplex in place (Michelot 1986, sort-free).

    Michelot's fixed point tau <- (sum_{v_i > tau} v_i - 1) / #{v_i > tau}, started from the mean; the
    active values are compacted into a scratch buffer so later passes only visit them. Returns feasible
    input unchanged (tau = 0).
    """
    m = b - a
    total = 0.0
    for t in range(a, b):
        total += v[t]
    tau = (total - 1.0) / m
    buf = np.empty(m)
    c = 0
    s = 0.0
    seg = v[a:b]
    for t in range(m):
        if seg[t] > tau:
            buf[c] = seg[t]
            s += seg[t]
            c += 1
    tau = (s - 1.0) / c
    while True:
        c2 = 0
        s2 = 0.0
        for t in range(c):
            x = buf[t]
            if x > tau:
                buf[c2] = x
                s2 += x
                c2 += 1
        if c2 == c:
            break
        c = c2
        tau = (s2 - 1.0) / c2
    for t in range(m):
        x = seg[t] - tau
        seg[t] = x if x > 0.0 else 0.0


@njit(cache=True)
def project_inplace(proj, v):
    """J_{eta G}(v) in place: kind 0 identity, 1 product of simplices, 2 box, 3 ball."""
    kind, bounds, reals = proj
    if kind == 1:
        for j in range(bounds.shape[0] - 1):
            simplex_project_inplace(v, bounds[j], bounds[j + 1])
    elif kind == 2:
        for t in range(v.shape[0]):
            if v[t] < reals[0]:
                v[t] = reals[0]
            elif v[t] > reals[1]:
                v[t] = reals[1]
    elif kind == 3:
        nrm = math.sqrt(np.dot(v, v))
        if nrm > reals[2]:
            v *= reals[2] / nrm


@njit(cache=True)
def natural_residual(op, proj, z, eta_res, buf, buf2):
    """||z - J(z - eta F(z))|| / eta (equals ||F(z)|| when J = I); not counted as oracle calls."""
    full_eval(op, z, buf)
    if proj[0] == 0:
        return math.sqrt(np.dot(buf, buf))
    for t in range(z.shape[0]):
        buf2[t] = z[t] - eta_res * buf[t]
    project_inplace(proj, buf2)
    s = 0.0
    for t in range(z.shape[0]):
        s += (z[t] - buf2[t]) ** 2
    return math.sqrt(s) / eta_res
