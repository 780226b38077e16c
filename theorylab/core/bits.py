"""Two machine-level primitives for the samplers' integer arithmetic, written as numba intrinsics.

numba has no 128-bit integer and no way to say that a comparison is a coin flip, and both cost the
samplers of :mod:`theorylab.core.streams` and :mod:`theorylab.core.alias` time in their hottest line:

- :func:`mul_wide` is the full 64 x 64 -> 128-bit product of two ``uint64`` as its (high, low) halves:
  one ``mul`` instruction on x86-64 (``umulh`` + ``mul`` on AArch64). The portable alternative, the high
  half assembled from 32-bit partial products, takes three multiplications and the shifts between them.
  Both give the same bits; the samplers' numbers do not depend on which one is used (tested).
- :func:`select_unpredictable` is ``a if cond else b`` marked ``!unpredictable`` for LLVM, so the
  compiler keeps it a conditional move instead of turning it into a branch. The alias draw's "own
  value or alias" is such a select: its condition is a fresh random coin, a branch on it mispredicts on
  a large share of the draws, and LLVM (which cannot know that) turns the select into a branch when one
  of its operands is a load. Measured on the bare Binomial alias draw (``core.alias``, n = 30,
  p = 0.5): 9.0 ns per draw with the branch, 7.7 ns with :func:`mul_wide` alone, 4.5 ns with both.
  [OURS: implementation detail; no law changes.]

Both are ``numba.extending.intrinsic``: usable only inside ``@njit`` code, where they compile to a few
LLVM instructions inline; the on-disk cache of the calling kernel keeps working (its machine code
contains them).
"""

from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.extending import intrinsic

__all__ = ["mul_wide", "select_unpredictable"]

_I64 = ir.IntType(64)
_I128 = ir.IntType(128)


@intrinsic
def mul_wide(typingctx, a, b):
    """(high, low) 64-bit halves of the exact 128-bit product ``a * b`` of two ``numpy.uint64``.

    Only callable from ``@njit`` code.

    Parameters
    ----------
    a, b : numpy.uint64

    Returns
    -------
    high : numpy.uint64
        floor(a b / 2^64).
    low : numpy.uint64
        a b mod 2^64 (the same as the wrapping product ``a * b``).

    Examples
    --------
    >>> import numpy as np
    >>> from numba import njit
    >>> f = njit(lambda a, b: mul_wide(a, b))
    >>> [int(v) for v in f(np.uint64(2**63 + 5), np.uint64(6))]
    [3, 30]
    """
    if a != types.uint64 or b != types.uint64:
        return None
    signature = types.UniTuple(types.uint64, 2)(types.uint64, types.uint64)

    def codegen(context, builder, sig, args):
        product = builder.mul(builder.zext(args[0], _I128), builder.zext(args[1], _I128))
        high = builder.trunc(builder.lshr(product, ir.Constant(_I128, 64)), _I64)
        low = builder.trunc(product, _I64)
        return context.make_tuple(builder, sig.return_type, [high, low])

    return signature, codegen


@intrinsic
def select_unpredictable(typingctx, cond, a, b):
    """``a if cond else b`` compiled as a conditional move (LLVM ``select`` with ``!unpredictable``).

    Only callable from ``@njit`` code; use it where ``cond`` is random (a coin of the stream), so that a
    branch on it would mispredict often. ``a`` and ``b`` are both evaluated.

    Parameters
    ----------
    cond : bool
    a, b : int64 or uint64 (the same type)

    Returns
    -------
    int64 or uint64
        ``a`` when ``cond`` is true, else ``b``.

    Examples
    --------
    >>> from numba import njit
    >>> f = njit(lambda c, a, b: select_unpredictable(c, a, b))
    >>> f(True, 3, 7), f(False, 3, 7)
    (3, 7)
    """
    if cond != types.boolean or a != b or a not in (types.int64, types.uint64):
        return None
    signature = a(types.boolean, a, b)

    def codegen(context, builder, sig, args):
        flag = args[0]
        if flag.type != ir.IntType(1):
            flag = builder.icmp_unsigned("!=", flag, ir.Constant(flag.type, 0))
        chosen = builder.select(flag, args[1], args[2])
        chosen.set_metadata("unpredictable", builder.module.add_metadata([]))
        return chosen

    return signature, codegen
