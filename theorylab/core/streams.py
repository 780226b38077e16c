"""Per-run random streams for numba kernels, and the guide to writing a kernel over a batch of runs.

Every simulation in theorylab runs a *batch* of independent runs (repetitions, grid cells) through one
compiled kernel call. Each run owns one random stream, a single ``uint64`` SplitMix64 state, derived from
that run's own :class:`numpy.random.SeedSequence`. A run's numbers therefore depend only on its seed: not
on the batch it is simulated in, the chunking, the number of workers or the backend (serial, joblib,
Dask). This module holds the streams and every sampler a kernel needs; the alias-table Binomial for many
draws of few (n, p) pairs is in :mod:`theorylab.core.alias`.

Writing a kernel for a new topic (the guide)
--------------------------------------------
1. **Seeds to states, once per batch.** Take the run seeds from :mod:`theorylab.core.seeding`
   (``repetition_seeds(master, key, reps)``, one SeedSequence per run, held as numbers), check the
   entry point's argument with :func:`~theorylab.core.seeding.check_seeds` and turn it into kernel
   state with :func:`init_states` -- the one documented way from seeds to streams::

       states = init_states(check_seeds(seeds))     # uint64 array (R,), one compiled call

   Every state is exactly ``seeds[r].generate_state(1, numpy.uint64)[0]``, computed without building
   the SeedSequence objects (:mod:`theorylab.core.seedseq`).

2. **One generic kernel per problem family**, ``@njit(cache=True)``, looping over the runs of the
   batch. Algorithms are selected by *integer codes* and numeric parameters, never by passing
   functions, so the kernel has one compiled specialisation whatever the algorithm and the on-disk
   cache serves every call (a second process starts warm). Keep argument types fixed (cast in the
   Python wrapper: ``float(x)``, ``int(k)``, contiguous float64/int64 arrays).

3. **Thread the state through the draws.** Every sampler here is ``inline="always"`` and takes the
   run's state *by value* and returns ``(new_state, value)``. Load the state once per run, keep it in
   a local (a register) through all the run's draws and store it back once::

       @njit(cache=True)
       def my_kernel(means, horizon, states):
           R, K = states.size, means.size
           out = np.empty(R)
           for r in range(R):
               s = states[r]                      # load the run's stream once
               ...
               s, x = bernoulli(s, means[arm])    # every draw threads s
               s, arm = argmax_random_ties(s, index)   # every argmax / argmin too
               ...
               states[r] = s                      # store it back once
               out[r] = ...
           return out

   Never use ``np.random`` or a ``numpy.random.Generator`` inside a kernel: the Generator is a
   Python object reached through a pointer, its draws are calls that cannot be inlined, and its state
   lives in memory, so the compiler must reload it around every draw (the classic kernels measured
   this, see below).

4. **Ties.** Every argmax / argmin over values that can tie exactly (empirical means of Bernoulli
   rewards tie all the time) goes through :func:`argmax_random_ties` / :func:`argmin_random_ties`, the
   one tie-break of the package: uniform over the tied indices, drawn from the run's stream (and no
   draw at all when the maximum is unique). Keeping the smallest index biases any instance that puts
   the best arm first. Rankings (keep the top half) break ties by a random priority per entry.

5. **Compile cost.** Inlining copies a sampler into every call site; the rejection samplers
   (:func:`gamma`, :func:`beta`) are large, so a kernel that needs them at several sites calls them
   through one small non-inlined ``@njit(cache=True)`` helper (one compiled copy), and keeps the
   inline samplers for its hot loop (measured on the classic phase kernel: 16.6 -> 5.9 s of cold
   compile). ``error_model="numpy"`` drops the zero-division branch of every division where no divisor
   can be zero. numba's cache checks only a kernel's own file, not the samplers inlined into it;
   ``import theorylab`` therefore keeps one cache directory per version of the compiled source
   (:mod:`theorylab._numba_cache`), so a changed sampler is never served from an old build.
   Integer arithmetic that needs the 128-bit product, and selects on random coins, use
   :mod:`theorylab.core.bits` (one ``mul`` instead of three; a conditional move instead of a
   mispredicted branch: the alias draw went from 9.0 to 4.5 ns).

6. **Batches, not runs, in Python.** The public entry point validates its input, converts the seeds
   and calls the kernel once for all runs: no Python per run, and a per-call overhead of tens of
   microseconds. Allocate the per-run scratch arrays once per call (outside the loop over runs), not
   per run.

7. **A reference.** Keep a plain numpy (or numba-Generator) implementation of the same algorithm for
   the tests: the kernel must agree with it in distribution (two-sample tests), and a kernel must give
   bit-identical numbers for a run whatever batch it is in (test it: run a batch, then a sub-batch).

Worked example: the classic kernels (:mod:`theorylab.bandits.kernels`). ``index_policy_batch`` runs
UCB1, Thompson sampling, EXP3 and explore-then-commit (policy code 0..3) for every run of a batch; per
run it keeps the per-arm mean and 1/sqrt(n) in scratch arrays allocated once per call, draws Bernoulli
rewards inline with :func:`uniform` (Gaussian and Beta rewards, and Thompson's posterior draws, through
one non-inlined helper over :func:`normal` / :func:`beta`), chooses arms with
:func:`argmax_random_ties` and :func:`categorical`, and threads one state ``s`` through it all (UCB1 on
Bernoulli arms, the benchmark workload, has its loop written out: about the speed of a hand-written C
loop, ``theorylab bench ucb1``). ``phase_batch`` runs Successive Rejects, Sequential Halving and
successive elimination; the phase schedule is computed once in Python, a phase's reward sum for an arm
is one Binomial draw from an alias table (:mod:`theorylab.core.alias`, tables looked up once per call
for the few (pulls, mean) pairs of the instance), Successive Rejects rejects with
:func:`argmin_random_ties`, Sequential Halving keeps its top half by repeated
:func:`argmax_random_ties` with removal, and successive elimination gives the pulls of its last,
partial round to a uniformly random subset of the survivors (found by the relabelling property test:
pulling the smallest indices made the regret depend on the labels).

The streams and samplers
------------------------
- words: SplitMix64 (Steele, Lea, Flood 2014): the state advances by a constant (the golden gamma)
  and a word is a bijective mix of the state, so :func:`word_ahead` gives a run's q-th next word
  without advancing it (block kernels compute many runs' words in one vectorised loop);
- uniform on (0, 1): the top 53 bits of a word, shifted by half a unit (never 0, never 1);
- uniform integers: Lemire's multiply-and-reject (2019), exactly uniform on [0, n) for 1 <= n < 2^63
  (the 128-bit product word x n in one instruction, :func:`theorylab.core.bits.mul_wide`);
- standard exponential: the ziggurat method of Marsaglia & Tsang (2000, J. Stat. Softw. 5(8)) with
  256 layers, one 64-bit word per draw in 97.8% of draws (measured; low 8 bits pick the layer, the top
  53 bits the abscissa); exact: the wedges are resolved by rejection and the base layer's tail by
  memorylessness;
- standard Laplace: a random sign (bit 8 of the first word, unused by the exponential) times an
  exponential. [OURS: the sampler; the law is the paper's Laplace mechanism.]
- standard normal: Box-Muller (two uniforms, the cosine branch);
- Gamma(a): Marsaglia & Tsang (2000, ACM TOMS 26(3)) squeeze-rejection, boosted by U^(1/a) for a < 1;
  Beta(a, b) = X / (X + Y) of two Gammas;
- Binomial(n, p) without tables: inversion (sequential search on the cdf, by symmetry on min(p, 1-p),
  in chunks of at most 512 trials so that (1 - p)^n never underflows); O(n min(p, 1 - p)) time, exact
  up to double rounding. Use :mod:`theorylab.core.alias` for many draws of few pairs;
- Bernoulli(p): one uniform; categorical(cdf): one uniform and a linear search.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from theorylab.core.bits import mul_wide
from theorylab.core.seeding import RepetitionSeeds
from theorylab.core.validate import check_int

__all__ = ["init_states", "seed_state", "next_word", "uniform", "uniform_int", "exponential", "laplace", "normal", "gamma",
           "beta", "binomial", "bernoulli", "categorical", "normal_vector", "argmax_random_ties",
           "argmin_random_ties", "word_ahead", "skip_word", "laplace_from", "SAMPLERS", "draw_batch",
           "laplace_matrix"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S32 = np.uint64(32)
_S11 = np.uint64(11)
_S8 = np.uint64(8)
_LOW8 = np.uint64(255)
_LOW32 = np.uint64(0xFFFFFFFF)
_ONE = np.uint64(1)
_INV53 = 1.0 / 9007199254740992.0


# ---------------------------------------------------------------------------------------------------
# seeds -> states

# numpy's SeedSequence.generate_state constants (numpy/random/bit_generator.pyx); 32-bit arithmetic done
# in 64 bits and masked (numba widens uint32 products)
_INIT_B = np.uint64(0x8B51F9DD)
_MULT_B = np.uint64(0x58F38DED)
_S16 = np.uint64(16)


@njit(cache=True)
def _states_from_pools(pools):
    # SeedSequence.generate_state(1, uint64) from each run's 4-word pool: two 32-bit words
    # (little-endian) by numpy's output hash, bit for bit (tested against numpy)
    R = pools.shape[0]
    out = np.empty(R, dtype=np.uint64)
    for r in range(R):
        h = _INIT_B
        lo = np.uint64(0)
        for i in range(2):
            v = np.uint64(pools[r, i]) ^ h
            h = (h * _MULT_B) & _LOW32
            v = (v * h) & _LOW32
            v = v ^ (v >> _S16)
            if i == 0:
                lo = v
            else:
                out[r] = lo | (v << _S32)
    return out


def init_states(seeds) -> np.ndarray:
    """Per-run stream states (uint64) from one SeedSequence per run: the one way from seeds to kernels.

    The state of run r is ``seeds[r].generate_state(1, dtype=numpy.uint64)[0]``, bit for bit numpy's
    value. A :class:`~theorylab.core.seeding.RepetitionSeeds` batch (what
    :func:`~theorylab.core.seeding.repetition_seeds` returns) is turned into states in one compiled call
    from its master seed, key and indices, without building a SeedSequence per run
    (:func:`theorylab.core.seedseq.spawn_states`, about 0.05 us per run); a list of SeedSequences in a
    compiled loop over their pools. Integers are taken as the state itself (mod 2^64), for tests that
    need fixed streams.

    Parameters
    ----------
    seeds : sequence of numpy.random.SeedSequence (or of integers)
        As given by :func:`theorylab.core.seeding.repetition_seeds` (validate user input with
        :func:`theorylab.core.seeding.check_seeds` first).

    Returns
    -------
    numpy.ndarray of uint64, shape (len(seeds),)

    Examples
    --------
    >>> from theorylab.core.seeding import repetition_seeds
    >>> seeds = repetition_seeds(0, "doc", 3)
    >>> bool(init_states(seeds)[1] == seeds[1].generate_state(1, dtype=np.uint64)[0])
    True
    """
    if isinstance(seeds, RepetitionSeeds):
        return seeds.states()
    if isinstance(seeds, np.random.SeedSequence):
        raise TypeError("seeds must be a sequence with one SeedSequence per run, got a single SeedSequence")
    if isinstance(seeds, np.ndarray) and seeds.dtype.kind in "iu":
        return seeds.astype(np.uint64)
    seeds = list(seeds)
    if set(map(type, seeds)) == {np.random.SeedSequence}:     # the fast path
        pools = np.frombuffer(b"".join([s.pool.tobytes() for s in seeds]), dtype=np.uint32)
        if pools.size == 4 * len(seeds):                        # numpy's default 4-word pools
            return _states_from_pools(pools.reshape(len(seeds), 4))
    out = np.empty(len(seeds), dtype=np.uint64)
    for i, s in enumerate(seeds):
        if isinstance(s, np.random.SeedSequence):
            out[i] = s.generate_state(1, dtype=np.uint64)[0]
        elif isinstance(s, (int, np.integer)) and not isinstance(s, bool):
            out[i] = np.uint64(int(s) & 0xFFFFFFFFFFFFFFFF)
        else:
            raise TypeError(f"seeds must hold numpy.random.SeedSequence objects (or integers), "
                            f"got {type(s).__name__}")
    return out


def seed_state(seed, name: str = "seed") -> np.uint64:
    """The stream state of a single run from the ``seed`` argument of a single-run entry point.

    The rule every single-run function of the package follows (``vlearning``, ``page_halpern``, ...), so
    that a run with seed ``ss`` equals run 0 of the batched entry point given ``[ss]``:

    - a non-negative int ``n`` means ``numpy.random.SeedSequence(n)``;
    - a SeedSequence gives ``init_states([seed])[0]``, its ``generate_state(1, uint64)[0]``;
    - a ``numpy.random.Generator`` is never used inside a kernel: one uint64 is drawn from it
      (``integers(2**64, dtype=uint64)``, which advances it) and taken as the state;
    - None takes fresh entropy from the operating system (``SeedSequence()``), numpy's convention.

    Parameters
    ----------
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
    name : str
        The parameter's name in error messages.

    Returns
    -------
    numpy.uint64

    Raises
    ------
    TypeError
        For any other type (a bool, a float, a string, ...).
    ValueError
        For a negative int.

    Examples
    --------
    >>> import numpy as np
    >>> bool(seed_state(7) == np.random.SeedSequence(7).generate_state(1, dtype=np.uint64)[0])
    True
    >>> bool(seed_state(np.random.default_rng(3)) == seed_state(np.random.default_rng(3)))
    True
    """
    if isinstance(seed, np.random.Generator):
        return np.uint64(seed.integers(2 ** 64, dtype=np.uint64))
    if seed is None:
        seed = np.random.SeedSequence()
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)):
        if seed < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {seed}")
        seed = np.random.SeedSequence(int(seed))
    elif not isinstance(seed, np.random.SeedSequence):
        raise TypeError(f"{name} must be an int, a numpy.random.SeedSequence, a numpy.random.Generator or None, "
                        f"got {type(seed).__name__}")
    return np.uint64(init_states([seed])[0])


# ---------------------------------------------------------------------------------------------------
# words and uniforms

@njit(cache=True, inline="always")
def mix(s):
    """SplitMix64's output function: the word a stream emits when its state becomes ``s``."""
    z = (s ^ (s >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def next_word(s):
    """SplitMix64: (advanced state, next 64-bit output) from the stream state ``s``.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state before the draw.

    Returns
    -------
    s : numpy.uint64
        The state advanced by the golden gamma 0x9E3779B97F4A7C15 (mod 2^64).
    word : numpy.uint64
        SplitMix64's output word for the new state (:func:`mix` of it).
    """
    s = s + _GOLDEN
    return s, mix(s)


@njit(cache=True, inline="always")
def word_ahead(s, q):
    """The ``q``-th next word (q >= 1) of the stream at state ``s``, without advancing it: the state
    moves by a constant per word, so a kernel can compute a run's next words for many runs at once.

    Parameters
    ----------
    s : numpy.uint64
        The stream state (left unchanged).
    q : int
        How many words ahead, q >= 1; ``word_ahead(s, 1)`` is the word :func:`next_word` would return.

    Returns
    -------
    numpy.uint64
        The word the stream emits at its q-th draw from ``s``.
    """
    return mix(s + _GOLDEN * np.uint64(q))


@njit(cache=True, inline="always")
def skip_word(s):
    """The state after one word (the word itself computed elsewhere, e.g. by :func:`word_ahead`).

    Parameters
    ----------
    s : numpy.uint64
        The stream state.

    Returns
    -------
    numpy.uint64
        ``s`` advanced by one word (plus the golden gamma, mod 2^64), as :func:`next_word` would leave it.
    """
    return s + _GOLDEN


@njit(cache=True, inline="always")
def uniform(s):
    """(state, uniform on the open interval (0, 1)): the word's top 53 bits plus half a unit.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.

    Returns
    -------
    s : numpy.uint64
        The state after one word.
    u : float
        ``(top 53 bits + 0.5) / 2^53``, on the grid of odd multiples of 2^-54: never 0, never 1.
    """
    s, w = next_word(s)
    return s, (float(w >> _S11) + 0.5) * _INV53


@njit(cache=True, inline="always")
def uniform_int(s, n):
    """(state, integer uniform on [0, n)), 1 <= n < 2^63, exactly: Lemire's multiply-and-reject.

    The candidate is the high half of word x n; its low half decides the (rare, probability < n / 2^64)
    rejection that removes the bias.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    n : int
        Size of the range, 1 <= n < 2^63 (not checked).

    Returns
    -------
    s : numpy.uint64
        The state after the words consumed (one, except on a rejection).
    k : numpy.int64
        Exactly uniform on {0, ..., n - 1}.
    """
    m = np.uint64(n)
    while True:
        s, w = next_word(s)
        high, low = mul_wide(w, m)
        if low >= m:                              # fast accept: low >= n >= (2^64 - n) mod n
            return s, np.int64(high)
        if low >= (np.uint64(0) - m) % m:
            return s, np.int64(high)


@njit(cache=True, inline="always")
def bernoulli(s, p):
    """(state, 1 with probability p else 0): one uniform.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    p : float
        Success probability; p <= 0 always gives 0 and p >= 1 always gives 1.

    Returns
    -------
    s : numpy.uint64
        The state after one word.
    x : numpy.int64
        1 if the uniform is below ``p``, else 0.
    """
    s, u = uniform(s)
    return s, np.int64(u < p)


@njit(cache=True, inline="always")
def categorical(s, cdf):
    """(state, index i with probability cdf[i] - cdf[i-1]): one uniform, linear search; ``cdf`` is
    non-decreasing and ends at 1 (the last index is returned if rounding leaves it short of 1).

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    cdf : numpy.ndarray of float, shape (n,)
        Cumulative probabilities of indices 0..n-1 (non-decreasing, last entry 1; not checked).

    Returns
    -------
    s : numpy.uint64
        The state after one word.
    i : int
        The first index with ``u < cdf[i]`` (n - 1 if there is none).
    """
    s, u = uniform(s)
    n = cdf.size
    for i in range(n - 1):
        if u < cdf[i]:
            return s, i
    return s, n - 1


# ---------------------------------------------------------------------------------------------------
# exponential, Laplace (ziggurat)

def _ziggurat_tables():
    """Layer tables of the 256-layer exponential ziggurat (Marsaglia & Tsang 2000, scaled to 53 bits)."""
    scale = 2.0 ** 53
    right = 7.697117470131487     # x-coordinate of the base layer's right edge
    area = 3.949659822581572e-3   # common area of the layers
    q = area / math.exp(-right)
    k = np.zeros(256, dtype=np.int64)
    w = np.zeros(256)
    f = np.zeros(256)
    k[0] = int(right / q * scale)
    w[0] = q / scale
    w[255] = right / scale
    f[0] = 1.0
    f[255] = math.exp(-right)
    prev = right
    for i in range(254, 0, -1):
        x = -math.log(area / prev + math.exp(-prev))
        k[i + 1] = int(x / prev * scale)
        prev = x
        f[i] = math.exp(-x)
        w[i] = x / scale
    return k, w, f


_ZK, _ZW, _ZF = _ziggurat_tables()
_ZRIGHT = 7.697117470131487


@njit(cache=True, inline="always")
def _exponential_from(s, word):
    """(state, standard exponential); ``word`` is the first 64-bit draw (its bits 8-10 stay unused)."""
    while True:
        i = int(word & _LOW8)
        j = np.int64(word >> _S11)
        if j < _ZK[i]:
            return s, j * _ZW[i]
        if i == 0:
            s, u = uniform(s)
            return s, _ZRIGHT - math.log(u)
        x = j * _ZW[i]
        s, u = uniform(s)
        if _ZF[i] + u * (_ZF[i - 1] - _ZF[i]) < math.exp(-x):
            return s, x
        s, word = next_word(s)


@njit(cache=True, inline="always")
def exponential(s):
    """(state, standard exponential) by the ziggurat.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.

    Returns
    -------
    s : numpy.uint64
        The state after the words consumed (one word in 97.8% of draws, measured).
    x : float
        A draw of Exp(1) (mean 1), exact: Marsaglia & Tsang's 256-layer ziggurat (2000, J. Stat. Softw.).
    """
    s, word = next_word(s)
    return _exponential_from(s, word)


@njit(cache=True, inline="always")
def laplace_from(s, word):
    """(state, standard Laplace) whose first word ``word`` was already drawn; the state advances beyond
    ``s`` only when the ziggurat does not accept the first attempt (2.2% of draws, measured).

    Parameters
    ----------
    s : numpy.uint64
        The stream state after ``word`` was drawn (e.g. from :func:`skip_word`).
    word : numpy.uint64
        The first word of the draw (e.g. from :func:`word_ahead`); bit 8 gives the sign, the other bits
        the ziggurat's layer and abscissa.

    Returns
    -------
    s : numpy.uint64
        The state after any further words the ziggurat needed (``s`` itself in 97.8% of draws).
    x : float
        A standard Laplace draw (density exp(-|x|) / 2, scale 1).
    """
    s, e = _exponential_from(s, word)
    return s, (-e if (word >> _S8) & _ONE else e)


@njit(cache=True, inline="always")
def laplace(s):
    """(state, standard Laplace (scale 1)): a random sign times a standard exponential.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.

    Returns
    -------
    s : numpy.uint64
        The state after the words consumed (usually one).
    x : float
        A standard Laplace draw (density exp(-|x|) / 2); scale it by sensitivity / epsilon for the
        Laplace mechanism.
    """
    s, word = next_word(s)
    return laplace_from(s, word)


# ---------------------------------------------------------------------------------------------------
# normal, Gamma, Beta

@njit(cache=True, inline="always")
def normal(s):
    """(state, standard normal) by Box-Muller: two uniforms, the cosine branch.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.

    Returns
    -------
    s : numpy.uint64
        The state after two words.
    z : float
        A standard normal N(0, 1) draw (the sine branch is discarded).
    """
    s, u1 = uniform(s)
    s, u2 = uniform(s)
    return s, math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


@njit(cache=True, inline="always")
def normal_vector(s, out):
    """Fill the float array ``out`` with iid standard normals; returns the state.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    out : numpy.ndarray of float
        Filled in place, entry by entry, with :func:`normal` draws.

    Returns
    -------
    numpy.uint64
        The state after 2 * out.size words.
    """
    for i in range(out.size):
        s, out[i] = normal(s)
    return s


@njit(cache=True, inline="always")
def gamma(s, a):
    """(state, Gamma(a, 1)), a > 0: Marsaglia & Tsang's squeeze-rejection (boosted by U^(1/a), a < 1).

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    a : float
        Shape, a > 0 (not checked).

    Returns
    -------
    s : numpy.uint64
        The state after the words consumed (random: a rejection loop).
    x : float
        A Gamma(a, 1) draw (shape a, scale 1, mean a).
    """
    boost = 1.0
    if a < 1.0:
        s, u = uniform(s)
        boost = u ** (1.0 / a)
        a += 1.0
    d = a - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        s, x = normal(s)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        s, u = uniform(s)
        if u < 1.0 - 0.0331 * x * x * x * x:
            return s, d * v * boost
        if math.log(u) < 0.5 * x * x + d * (1.0 - v + math.log(v)):
            return s, d * v * boost


@njit(cache=True, inline="always")
def beta(s, a, b):
    """(state, Beta(a, b)), a, b > 0: X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    a, b : float
        The two shapes, both > 0 (not checked).

    Returns
    -------
    s : numpy.uint64
        The state after both Gamma draws.
    x : float
        A Beta(a, b) draw on (0, 1) (mean a / (a + b)).
    """
    s, x = gamma(s, a)
    s, y = gamma(s, b)
    return s, x / (x + y)


# ---------------------------------------------------------------------------------------------------
# Binomial without tables

_CHUNK = 512          # (1 - p)^512 >= 2^-512 for p <= 1/2: no underflow of the inversion's start


@njit(cache=True, inline="always")
def binomial(s, n, p):
    """(state, Binomial(n, p)) by inversion on min(p, 1 - p), in chunks of at most 512 trials.

    One uniform per chunk, O(n min(p, 1 - p)) steps; exact up to double rounding of the cdf. For many
    draws of few (n, p) pairs use the alias tables of :mod:`theorylab.core.alias` (one word per draw).

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    n : int
        Number of trials; n <= 0 gives 0 without a draw.
    p : float
        Success probability; p <= 0 gives 0 and p >= 1 gives n, without a draw.

    Returns
    -------
    s : numpy.uint64
        The state after ceil(n / 512) words.
    k : numpy.int64
        The number of successes, in [0, n].
    """
    if n <= 0 or p <= 0.0:
        return s, np.int64(0)
    if p >= 1.0:
        return s, np.int64(n)
    flip = p > 0.5
    q = 1.0 - p if flip else p
    odds = q / (1.0 - q)
    total = 0
    left = n
    while left > 0:
        m = min(left, _CHUNK)
        left -= m
        s, u = uniform(s)
        f = math.exp(m * math.log1p(-q))       # P(X = 0)
        k = 0
        while u >= f and k < m:
            u -= f
            f *= odds * (m - k) / (k + 1.0)
            k += 1
        total += k
    return s, np.int64(n - total if flip else total)


# ---------------------------------------------------------------------------------------------------
# the tie-break

@njit(cache=True, inline="always")
def _best_random_ties(s, values, sign):
    """(state, index of the largest ``sign * values[i]``), exact ties broken uniformly at random: the one
    loop behind :func:`argmax_random_ties` (sign 1) and :func:`argmin_random_ties` (sign -1). Negation keeps
    exact ties exact, so both directions break them the same way."""
    best = 0
    top = sign * values[0]
    ties = 1
    for i in range(1, values.size):
        v = sign * values[i]
        if v > top:
            best, top, ties = i, v, 1
        elif v == top:
            ties += 1
    if ties == 1:
        return s, best
    s, j = uniform_int(s, ties)
    for i in range(best, values.size):
        if sign * values[i] == top:
            if j == 0:
                return s, i
            j -= 1
    return s, best


@njit(cache=True, inline="always")
def argmax_random_ties(s, values):
    """(state, index of the maximum of ``values``), exact ties broken uniformly at random.

    One pass finds the maximum and counts its ties; a unique maximum draws nothing from the stream,
    k > 1 tied indices draw one :func:`uniform_int` (k) and return the chosen one. ``values`` is a
    non-empty 1-d array without NaN. This is the one tie-break of every kernel in the package.

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    values : numpy.ndarray, shape (n,)
        Non-empty, no NaN (not checked).

    Returns
    -------
    s : numpy.uint64
        ``s`` unchanged if the maximum is unique, else the state after one :func:`uniform_int` draw.
    i : int
        An index of the maximum, uniform over the indices that attain it.
    """
    return _best_random_ties(s, values, 1)


@njit(cache=True, inline="always")
def argmin_random_ties(s, values):
    """(state, index of the minimum of ``values``), exact ties broken uniformly at random (see
    :func:`argmax_random_ties`).

    Parameters
    ----------
    s : numpy.uint64
        The run's stream state.
    values : numpy.ndarray, shape (n,)
        Non-empty, no NaN (not checked).

    Returns
    -------
    s : numpy.uint64
        ``s`` unchanged if the minimum is unique, else the state after one :func:`uniform_int` draw.
    i : int
        An index of the minimum, uniform over the indices that attain it.
    """
    return _best_random_ties(s, values, -1)


# ---------------------------------------------------------------------------------------------------
# batch helpers (tests, audits)

SAMPLERS = {"uniform": 0, "exponential": 1, "laplace": 2, "normal": 3}


@njit(cache=True)
def _batch(state, code, size):
    out = np.empty(size)
    s = state[0]
    for i in range(size):
        if code == 0:
            s, out[i] = uniform(s)
        elif code == 1:
            s, out[i] = exponential(s)
        elif code == 2:
            s, out[i] = laplace(s)
        else:
            s, out[i] = normal(s)
    state[0] = s
    return out


def _check_state(state, min_size: int = 0) -> np.ndarray:
    # the stream-state argument of the Python-level helpers: a writeable 1-d uint64 array (the kernels
    # advance it in place), at least ``min_size`` streams
    if not isinstance(state, np.ndarray):
        raise TypeError(f"state must be a numpy.ndarray of uint64 stream states, got {type(state).__name__}")
    if state.dtype != np.uint64:
        raise ValueError(f"state must be a uint64 array (stream states, see init_states), got dtype {state.dtype}")
    if state.ndim != 1:
        raise ValueError(f"state must be a 1-d array (one state per stream), got shape {state.shape}")
    if state.size < min_size:
        raise ValueError(f"state must hold at least {min_size} stream state(s), got {state.size}")
    if not state.flags.writeable:
        raise ValueError("state must be writeable: the draws advance the streams in place")
    return state


def draw_batch(state: np.ndarray, sampler: str, size: int) -> np.ndarray:
    """``size`` draws of ``sampler`` (a key of :data:`SAMPLERS`) from stream 0 of ``state`` (testing helper).

    Parameters
    ----------
    state : numpy.ndarray of uint64, shape (R,), R >= 1
        Stream states (writeable, 1-d); only ``state[0]`` is used, and it is advanced in place past the draws.
    sampler : str
        ``"uniform"``, ``"exponential"``, ``"laplace"`` or ``"normal"``.
    size : int
        Number of draws, >= 0.

    Returns
    -------
    numpy.ndarray of float, shape (size,)
        Consecutive draws of that sampler from stream 0.

    Raises
    ------
    TypeError
        For a ``state`` that is not a numpy array, a ``sampler`` that is not a string or a ``size`` that
        is not an integer.
    ValueError
        For an unknown ``sampler``, a negative ``size``, or a ``state`` that is not a non-empty, writeable,
        1-d uint64 array.

    Examples
    --------
    >>> x = draw_batch(np.array([7], dtype=np.uint64), "uniform", 3)
    >>> bool(((0 < x) & (x < 1)).all())
    True
    """
    if not isinstance(sampler, str):
        raise TypeError(f"sampler must be a string, one of {sorted(SAMPLERS)}, got {type(sampler).__name__}")
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {sorted(SAMPLERS)}, got {sampler!r}")
    size = check_int("size", size, minimum=0)
    return _batch(_check_state(state, min_size=1), SAMPLERS[sampler], size)


@njit(cache=True)
def _laplace_matrix(state, m):
    R = state.size
    out = np.empty((R, m))
    for r in range(R):
        s = state[r]
        for j in range(m):
            s, out[r, j] = laplace(s)
        state[r] = s
    return out


def laplace_matrix(state: np.ndarray, m: int) -> np.ndarray:
    """One row of ``m`` standard Laplace draws per run (run r from its own stream r).

    Parameters
    ----------
    state : numpy.ndarray of uint64, shape (R,)
        One stream state per run (writeable, 1-d, R >= 0), advanced in place past the run's draws.
    m : int
        Draws per run, >= 0.

    Returns
    -------
    numpy.ndarray of float, shape (R, m)
        Row r holds run r's next m standard Laplace draws (:func:`laplace`), in order.

    Raises
    ------
    TypeError
        For a ``state`` that is not a numpy array or an ``m`` that is not an integer.
    ValueError
        For a negative ``m`` or a ``state`` that is not a writeable 1-d uint64 array.

    Examples
    --------
    >>> states = np.array([1, 2], dtype=np.uint64)
    >>> z = laplace_matrix(states, 3)
    >>> z.shape, bool(np.array_equal(z[1], draw_batch(np.array([2], np.uint64), "laplace", 3)))
    ((2, 3), True)
    """
    m = check_int("m", m, minimum=0)
    return _laplace_matrix(_check_state(state), m)
