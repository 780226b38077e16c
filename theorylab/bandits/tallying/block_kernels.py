"""The WTB-SE block fast path (docs/topics/tallying.md#engine): same arrays and outputs as
:func:`theorylab.bandits.tallying.kernels.per_step`, O(m^2 + 1) work per block instead of O(block length)."""

from __future__ import annotations

import numpy as np
from numba import njit

from theorylab.bandits.tallying.kernels import (draw, draw_sum, eliminate, epoch_size, mean_loss, next_active,
                                                next_phase, only_active, push, run_order, tally)

__all__: list[str] = []   # block_head / wtb_se_blocks are kernels reached through algorithms.wtb_se


@njit(cache=True)
def block_head(lw, codes, params, table, W, hist, head, a, L, keep_from, noise, sigma, s, hl):
    """Simulate the first h = min(L, m + 1) plays of a block of arm ``a`` step by step.

    Fills ``hl[:h]`` with their mean losses and draws each loss. Plays with 0-based index >=
    ``keep_from`` are kept samples. Returns (state, head, h, kept sum, kept count, sampled sum, kept
    at a tally other than W). After m + 1 consecutive plays of ``a`` every lag of the window holds
    ``a``, so the rest of the block is at tally W whatever came before: no precondition on history.

    Parameters
    ----------
    lw, codes, params, table, W, noise, sigma
        The instance arrays (``WTBInstance.kernel_arrays``; module docstring of ``kernels``).
    hist : int64 array (m,)
        Ring buffer of past actions (-1 before t = 1), updated in place; ``head`` indexes the newest.
    head : int
        Index of the newest action in ``hist``.
    a : int
        The block's arm.
    L : int
        Block length (>= 1).
    keep_from : int
        0-based index of the first kept play (the burn-in length; >= L keeps nothing).
    s : uint64
        The run's stream state.
    hl : float64 array (>= m + 1,)
        Output: ``hl[i]`` is the mean loss of play i of the block, for i < h.

    Returns
    -------
    tuple
        ``(s, head, h, ksum, kcnt, rsum, bad)``: new stream state and ring head, the number h of plays
        simulated, the sum and count of kept sampled losses, the sum of all sampled losses, and the
        number of kept plays whose tally was not W.
    """
    m = lw.size - 1
    h = L if L < m + 1 else m + 1
    ksum = 0.0
    kcnt = 0
    rsum = 0.0
    bad = 0
    for i in range(h):
        x = tally(lw, hist, head, a)
        mu = mean_loss(codes, params, table, W, a, x)
        head = push(hist, head, a)
        hl[i] = mu
        s, l = draw(s, noise, sigma, mu)
        rsum += l
        if i >= keep_from:
            ksum += l
            kcnt += 1
            if x != W:
                bad += 1
    return s, head, h, ksum, kcnt, rsum, bad


@njit(cache=True)
def wtb_se_blocks(cfg_i, cfg_f, order, lw, codes, params, table, W, noise, sigma, T, states, ckpt,
                  pseudo, realised, bad_kept):
    """WTB-SE block by block: O(m^2 + 1) work and O(1) draws per block (docs/topics/tallying.md#engine).

    Same algorithm and schedule as ``per_step(alg=wtb_se)``; a block's plays at full tally are summed
    in closed form and their losses drawn as one sum (Binomial for Bernoulli noise), so the two paths
    agree in distribution, not draw by draw, and exactly under deterministic noise.

    Parameters
    ----------
    cfg_i, cfg_f, order, lw, codes, params, table, W, noise, sigma, T, states, ckpt
        As for ``kernels.per_step`` (the WTB-SE entries of ``cfg_i`` / ``cfg_f``: burn-in, n0, carry_over,
        random order, anytime; c_rad, delta, growth, width).
    pseudo, realised, bad_kept
        Outputs, filled in place: float64 (n, c), float64 (n,), int64 (n,) (``kernels`` module docstring);
        ``states`` is advanced in place. Returns nothing.
    """
    K = codes.size
    m = lw.size - 1
    S = np.zeros(K)
    N = np.zeros(K)
    hl = np.zeros(m + 1)
    active = np.zeros(K, dtype=np.bool_)
    hist = np.empty(m, dtype=np.int64)
    burn, n0, carry = cfg_i[1], cfg_i[2], cfg_i[3]
    g = cfg_f[2]
    nck = ckpt.size
    base_order = order
    order = np.empty(K, dtype=np.int64)
    for r in range(states.size):
        s = states[r]
        s = run_order(s, base_order, cfg_i[7], order)
        S[:] = 0.0
        N[:] = 0.0
        active[:] = True
        hist[:] = -1
        head = 0
        t = 0
        Lc = 0.0
        R = 0.0
        c = 0
        n_bad = 0
        ep = 0
        pos = 0
        last, last_len = -1, 0
        b = burn
        exploit = -1 if K > 1 else 0
        cf = cfg_f.copy()
        phase_end, Tk = next_phase(cfg_i[10], 0, T, 1, cf)
        while t < T:
            if t == phase_end:                  # anytime: restart on the next phase (as per_step)
                phase_end, Tk = next_phase(cfg_i[10], t, T, Tk, cf)
                S[:] = 0.0
                N[:] = 0.0
                active[:] = True
                exploit = -1 if K > 1 else 0
                pos, ep, b = 0, 0, burn
            if exploit >= 0:
                a = exploit
                blen = phase_end - t
                keep = blen              # nothing kept
            else:
                a = order[pos]
                blen = min(b + epoch_size(n0, g, ep), phase_end - t)
                keep = b
            s, head, h, ksum, kcnt, rsum, bad = block_head(lw, codes, params, table, W, hist, head, a, blen,
                                                           keep, noise, sigma, s, hl)
            mu = mean_loss(codes, params, table, W, a, W)
            rest = blen - h
            acc = Lc
            for i in range(h):
                acc += hl[i]
                while c < nck and ckpt[c] == t + i + 1:
                    pseudo[r, c] = acc
                    c += 1
            while c < nck and ckpt[c] <= t + blen:
                pseudo[r, c] = acc + (ckpt[c] - t - h) * mu
                c += 1
            tail_burn = max(0, min(keep, blen) - h)
            tail_keep = rest - tail_burn
            s, sb = draw_sum(s, noise, sigma, mu, tail_burn)
            s, sk = draw_sum(s, noise, sigma, mu, tail_keep)
            R += rsum + sb + sk
            n_bad += bad
            Lc = acc + rest * mu
            t += blen
            if exploit < 0 and blen == b + epoch_size(n0, g, ep):   # a completed block (as per_step)
                last, last_len = a, (last_len + blen if last == a else blen)
            if exploit >= 0 or t >= phase_end:   # the phase (the run, if T is known) ends here
                continue
            S[a] += ksum + sk
            N[a] += kcnt + tail_keep
            nxt = next_active(active, order, pos)
            if nxt < 0:
                if eliminate(active, S, N, K, Tk, cf) == 1:
                    exploit = only_active(active)
                ep += 1
                nxt = next_active(active, order, -1)
            pos = nxt
            b = 0 if (carry == 1 and order[pos] == last and last_len >= burn) else burn
        states[r] = s
        realised[r] = R
        bad_kept[r] = n_bad
