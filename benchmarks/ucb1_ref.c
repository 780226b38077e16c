/* Hand-written C reference of UCB1 for the throughput ratio of ``theorylab bench ucb1``.
 *
 * The same algorithm as theorylab.bandits.kernels.index_policy_batch (policy 0) on Bernoulli arms:
 * per-arm empirical mean and 1/sqrt(n) kept, index mean_i + sqrt(2 ln t) / sqrt(n_i), exact ties of the
 * index broken uniformly at random (count the ties; draw only when there are several), one xoshiro256**
 * stream per run (Blackman & Vigna 2018) seeded by SplitMix64 from the run index.
 *
 * K is read at run time (default 10), like the numba kernel, which serves any K; build with -DK_FIXED=10
 * for a loop specialised to K = 10 at compile time (fully unrollable, a stricter reference).
 *
 * Build: cc -O3 ucb1_ref.c -o ucb1_ref -lm        Run: ./ucb1_ref HORIZON REPS [K]
 * Means linspace(0.1, 0.9, K). Prints: "<seconds of the R runs> <mean final pseudo-regret>" (the timing
 * excludes start-up).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define KMAX 64

static inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

typedef struct { uint64_t s[4]; } xoshiro;

static inline uint64_t next(xoshiro *g) {
    uint64_t *s = g->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static inline double uniform(xoshiro *g) { return ((next(g) >> 11) + 0.5) * 0x1.0p-53; }

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    long horizon = argc > 1 ? atol(argv[1]) : 100000;
    long reps = argc > 2 ? atol(argv[2]) : 100;
#ifdef K_FIXED
    const int K = K_FIXED;
#else
    const int K = argc > 3 ? atoi(argv[3]) : 10;
#endif
    if (K < 2 || K > KMAX) return 2;
    double means[KMAX], gaps[KMAX], best = 0.0;
    for (int i = 0; i < K; i++) {
        means[i] = 0.1 + 0.8 * i / (K - 1);
        if (means[i] > best) best = means[i];
    }
    for (int i = 0; i < K; i++) gaps[i] = best - means[i];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double total = 0.0;
    for (long r = 0; r < reps; r++) {
        uint64_t seed = 12345 + (uint64_t)r;
        xoshiro g;
        for (int j = 0; j < 4; j++) g.s[j] = splitmix(&seed);
        double mean[KMAX], isq[KMAX], sum[KMAX], idx[KMAX];
        long cnt[KMAX];
        for (int i = 0; i < K; i++) { mean[i] = isq[i] = sum[i] = 0.0; cnt[i] = 0; }
        double regret = 0.0;
        for (long t = 0; t < horizon; t++) {
            int arm;
            if (t < K) {
                arm = (int)t;
            } else {
                double c = sqrt(2.0 * log((double)t));
                for (int i = 0; i < K; i++) idx[i] = mean[i] + c * isq[i];
                arm = 0;
                double top = idx[0];
                int ties = 1;
                for (int i = 1; i < K; i++) {
                    if (idx[i] > top) { arm = i; top = idx[i]; ties = 1; }
                    else if (idx[i] == top) ties++;
                }
                if (ties > 1) {               /* uniform among the tied indices */
                    int j = (int)(uniform(&g) * ties);
                    for (int i = arm; i < K; i++)
                        if (idx[i] == top) { if (j == 0) { arm = i; break; } j--; }
                }
            }
            double x = uniform(&g) < means[arm] ? 1.0 : 0.0;
            long n = ++cnt[arm];
            sum[arm] += x;
            mean[arm] = sum[arm] / n;
            isq[arm] = 1.0 / sqrt((double)n);
            regret += gaps[arm];
        }
        total += regret;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    printf("%.6f %.6f\n", secs, total / reps);
    return 0;
}
