/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the keyed random streams and the samplers (simulation.md §4–5, docs/procedure-format.md
 * "Distributions and sampling"). */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "moa-random.h"
#include "moa-value.h"

/* The fixed seed of every Monte Carlo check; printed on failure. */
#define SEED G_GUINT64_CONSTANT (20240611)
/* Draws per law, and paired uniforms per correlation check. */
#define N_DRAWS 200000
#define N_PAIRS 100000
/* Tolerance of Monte Carlo checks, in standard errors (style.md §15). */
#define K_SE 4.0
/* Relative tolerance of the hand-computed figures. */
#define REL_TOL 1e-9

/* The splitmix64 increment (the documented generator). */
#define GOLDEN_GAMMA G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)

static MoaValue *
parse_or_fail (const char *text, MoaDimension dim)
{
  g_autoptr (GError) error = NULL;
  MoaValue *v = moa_value_parse (text, dim, &error);

  if (v == NULL)
    fail_msg ("\"%s\" does not parse: %s", text, error->message);
  return v;
}

/* Laws sampled by the Monte Carlo checks; several parameter sets each, with truncation that
 * matters (normal(5, 10) min loses 31 % of its mass below 0; normal(0.9, 0.2) loses 31 % above
 * 1; normal(50, 200) % is narrower than 2 s.d. and goes through the inverse CDF). */
static const struct
{
  const char *text;
  MoaDimension dim;
} laws[] = {
  { "uniform(20, 40) min", MOA_DIM_TIME },
  { "uniform(0.2, 0.4)", MOA_DIM_FRACTION },
  { "uniform(0, 100) %", MOA_DIM_FRACTION },
  { "uniform(3, 3) h", MOA_DIM_TIME },
  { "triangular(20, 30, 60) min", MOA_DIM_TIME },
  { "triangular(0, 0, 1) h", MOA_DIM_TIME },
  { "triangular(1, 5, 5) day", MOA_DIM_TIME },
  { "triangular(10, 20, 90) %", MOA_DIM_FRACTION },
  { "triangular(6, 6, 6) h", MOA_DIM_TIME },
  { "pert(20, 30, 60) min", MOA_DIM_TIME },
  { "pert(1, 2, 4) h", MOA_DIM_TIME },
  { "pert(0, 0, 10) EUR", MOA_DIM_MONEY },
  { "pert(10, 50, 90) %", MOA_DIM_FRACTION },
  { "pert(0.2, 1, 1)", MOA_DIM_FRACTION },
  { "normal(30, 10) min", MOA_DIM_TIME },
  { "normal(5, 10) min", MOA_DIM_TIME },
  { "normal(0, 10) min", MOA_DIM_TIME },
  { "normal(1000, 300) EUR", MOA_DIM_MONEY },
  { "normal(240, 80) EUR/day", MOA_DIM_RATE },
  { "normal(0.9, 0.2)", MOA_DIM_FRACTION },
  { "normal(0.5, 0.2)", MOA_DIM_FRACTION },
  { "normal(0.02, 0.5)", MOA_DIM_FRACTION },
  { "normal(50, 200) %", MOA_DIM_FRACTION },
  { "normal(1, 0.1)", MOA_DIM_FRACTION },
  { "normal(12, 0)", MOA_DIM_COUNT },
  { "lognormal(30, 10) min", MOA_DIM_TIME },
  { "lognormal(100, 50) EUR", MOA_DIM_MONEY },
  { "lognormal(2, 2) h", MOA_DIM_TIME },
  { "lognormal(5000, 1000)", MOA_DIM_COUNT },
  { "discrete(1: 0.7, 2: 0.3)", MOA_DIM_COUNT },
  { "discrete(0: 0.5, 10: 0.25, 100: 0.25)", MOA_DIM_COUNT },
  { "discrete(15: 1, 30: 2, 60: 1) min", MOA_DIM_TIME },
  { "discrete(0: 0.1, 50: 0, 100: 0.9) %", MOA_DIM_FRACTION },
};

/* The range every draw of @v must lie in, in base units. */
static void
draw_range (const MoaValue *v, double *lo, double *hi)
{
  const double *p = v->p;

  switch (v->kind)
    {
      case MOA_DIST_UNIFORM:
        *lo = p[0] * v->scale;
        *hi = p[1] * v->scale;
        break;
      case MOA_DIST_TRIANGULAR:
      case MOA_DIST_PERT:
        *lo = p[0] * v->scale;
        *hi = p[2] * v->scale;
        break;
      case MOA_DIST_DISCRETE:
        *lo = INFINITY;
        *hi = -INFINITY;
        for (guint i = 0; i < v->n_points; i++)
          {
            *lo = fmin (*lo, v->points[i] * v->scale);
            *hi = fmax (*hi, v->points[i] * v->scale);
          }
        break;
      case MOA_DIST_NORMAL:
      case MOA_DIST_LOGNORMAL:
      case MOA_DIST_FIXED:
      default:
        *lo = 0.0;
        *hi = INFINITY;
        break;
    }
  if (v->dim == MOA_DIM_FRACTION)
    *hi = fmin (*hi, 1.0);
}

/* For each law: N_DRAWS draws, each from its own stream (SEED, iteration i, the law's key, a
 * purpose), as the simulation opens them. The sample mean must be within K_SE standard errors
 * (sqrt(variance / n)) of value->mean, the sample variance within K_SE standard errors
 * (sqrt((μ4 − s⁴) / n), μ4 the sample's fourth central moment) of moa_value_variance(), and
 * every draw inside the valid range. */
static void
test_moments (void **state)
{
  g_autoptr (MoaSampler) sampler = moa_sampler_new ();
  g_autofree double *x = g_new (double, N_DRAWS);

  for (gsize l = 0; l < G_N_ELEMENTS (laws); l++)
    {
      g_autoptr (MoaValue) v = parse_or_fail (laws[l].text, laws[l].dim);
      guint64 key = moa_random_hash (laws[l].text);
      double lo, hi, mean = 0, m2 = 0, m4 = 0, var, theory_var, se_mean, se_var;

      draw_range (v, &lo, &hi);
      for (guint i = 0; i < N_DRAWS; i++)
        {
          MoaStream stream;

          moa_stream_init (&stream, SEED, i, key, 3);
          x[i] = moa_sampler_draw (sampler, v, &stream);
          if (!(x[i] >= lo && x[i] <= hi))
            fail_msg ("%s (seed %" G_GUINT64_FORMAT ", iteration %u): draw %.17g outside "
                      "[%.17g, %.17g]",
                      laws[l].text, SEED, i, x[i], lo, hi);
          mean += x[i];
        }
      mean /= N_DRAWS;
      for (guint i = 0; i < N_DRAWS; i++)
        {
          double d = (x[i] - mean) * (x[i] - mean);
          m2 += d;
          m4 += d * d;
        }
      var = m2 / (N_DRAWS - 1);
      m4 /= N_DRAWS;
      theory_var = moa_value_variance (v);
      se_mean = sqrt (theory_var / N_DRAWS);
      se_var = sqrt (fmax (m4 - var * var, 0.0) / N_DRAWS);

      if (theory_var == 0.0)
        {
          /* A degenerate law: every draw is the mean. */
          if (var != 0.0 || mean != v->mean)
            fail_msg ("%s (seed %" G_GUINT64_FORMAT "): degenerate law, but mean %.17g "
                      "(expected %.17g) and variance %.17g",
                      laws[l].text, SEED, mean, v->mean, var);
          continue;
        }
      if (!(fabs (mean - v->mean) <= K_SE * se_mean))
        fail_msg ("%s (seed %" G_GUINT64_FORMAT ", n %d): sample mean %.10g, expected %.10g; "
                  "difference %.3g = %.2f standard errors (s.e. %.3g)",
                  laws[l].text, SEED, N_DRAWS, mean, v->mean, mean - v->mean,
                  (mean - v->mean) / se_mean, se_mean);
      if (!(fabs (var - theory_var) <= K_SE * se_var))
        fail_msg ("%s (seed %" G_GUINT64_FORMAT ", n %d): sample variance %.10g, expected "
                  "%.10g; difference %.3g = %.2f standard errors (s.e. %.3g)",
                  laws[l].text, SEED, N_DRAWS, var, theory_var, var - theory_var,
                  (var - theory_var) / se_var, se_var);
    }
}

static void
assert_close (double got, double expected, const char *what)
{
  double tol = REL_TOL * fmax (1e-300, fabs (expected));
  if (!(fabs (got - expected) <= tol))
    fail_msg ("%s: %.17g, expected %.17g (relative tolerance %g)", what, got, expected, REL_TOL);
}

/* Means and variances computed by hand (base units: h, EUR, fraction), from the formulas of
 * simulation.md §5 and the truncated normal's moments, with φ and Φ from a table of the
 * standard normal. */
static void
test_theory (void **state)
{
  /* φ(x), Φ(x) */
  const double phi05 = 0.3520653267642995, Phi05 = 0.6914624612740131;
  const double phi25 = 0.01752830049356854, Phi25 = 0.9937903346742238;
  const double phi025 = 0.3866681168028493, Phi025 = 0.5987063256829237;
  const double lambda05 = phi05 / Phi05;
  /* not static: the expected values are computed from the constants above */
  const struct
  {
    const char *text;
    MoaDimension dim;
    double mean, variance;
  } cases[] = {
    { "30 min", MOA_DIM_TIME, 0.5, 0.0 },
    /* (b − a)² / 12 = 400/12 min² = 100/3 / 3600 h² = 1/108 h² */
    { "uniform(20, 40) min", MOA_DIM_TIME, 0.5, 1.0 / 108.0 },
    /* 100 % wide: 1/12 */
    { "uniform(0, 100) %", MOA_DIM_FRACTION, 0.5, 1.0 / 12.0 },
    /* mean 110/3 min = 11/18 h; (20² + 60² + 30² − 20·60 − 20·30 − 60·30)/18
     * = (400 + 3600 + 900 − 1200 − 600 − 1800)/18 = 1300/18 = 650/9 min² = 13/648 h² */
    { "triangular(20, 30, 60) min", MOA_DIM_TIME, 11.0 / 18.0, 13.0 / 648.0 },
    /* α = 1 + 4·10/40 = 2, β = 1 + 4·30/40 = 4: 2·4·40²/(6²·7) = 12800/252 = 3200/63 min²
     * = 8/567 h²; mean 200/6 min = 5/9 h */
    { "pert(20, 30, 60) min", MOA_DIM_TIME, 5.0 / 9.0, 8.0 / 567.0 },
    /* α = 1 + 4/3 = 7/3, β = 1 + 8/3 = 11/3: (77/9)·9/(36·7) = 11/36 h²; mean 13/6 h */
    { "pert(1, 2, 4) h", MOA_DIM_TIME, 13.0 / 6.0, 11.0 / 36.0 },
    /* s² = 100 min² = 1/36 h² */
    { "lognormal(30, 10) min", MOA_DIM_TIME, 0.5, 1.0 / 36.0 },
    /* 0.7·0.3² + 0.3·0.7² = 0.063 + 0.147 = 0.21 */
    { "discrete(1: 0.7, 2: 0.3)", MOA_DIM_COUNT, 1.3, 0.21 },
    /* weights 1/4, 1/2, 1/4: mean 33.75 min; 0.25·18.75² + 0.5·3.75² + 0.25·26.25²
     * = 87.890625 + 7.03125 + 172.265625 = 267.1875 min² = 0.07421875 h² */
    { "discrete(15: 1, 30: 2, 60: 1) min", MOA_DIM_TIME, 33.75 / 60.0, 0.07421875 },
    /* half-normal: mean 10 √(2/π) min, variance 100 (1 − 2/π) min² */
    { "normal(0, 10) min", MOA_DIM_TIME, 10.0 * sqrt (2.0 / G_PI) / 60.0,
      100.0 * (1.0 - 2.0 / G_PI) / 3600.0 },
    /* alpha = −0.5, beta = +inf, λ = φ(0.5)/Φ(0.5): mean 5 + 10 λ, variance
     * 100 (1 − 0.5 λ − λ²) min² */
    { "normal(5, 10) min", MOA_DIM_TIME, (5.0 + 10.0 * lambda05) / 60.0,
      100.0 * (1.0 - 0.5 * lambda05 - lambda05 * lambda05) / 3600.0 },
    /* alpha = −2.5, beta = 2.5: variance 0.04 (1 − 2·2.5 φ(2.5) / (2 Φ(2.5) − 1)) */
    { "normal(0.5, 0.2)", MOA_DIM_FRACTION, 0.5, 0.04 * (1.0 - 5.0 * phi25 / (2.0 * Phi25 - 1.0)) },
    /* in base units normal(0.5, 2) on [0, 1]: alpha = −0.25, beta = 0.25,
     * variance 4 (1 − 2·0.25 φ(0.25) / (2 Φ(0.25) − 1)) (close to 1/12) */
    { "normal(50, 200) %", MOA_DIM_FRACTION, 0.5,
      4.0 * (1.0 - 0.5 * phi025 / (2.0 * Phi025 - 1.0)) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MoaValue) v = parse_or_fail (cases[i].text, cases[i].dim);
      g_autofree char *what_mean = g_strdup_printf ("%s: mean", cases[i].text);
      g_autofree char *what_var = g_strdup_printf ("%s: variance", cases[i].text);

      assert_close (v->mean, cases[i].mean, what_mean);
      if (cases[i].variance == 0.0)
        assert_true (moa_value_variance (v) == 0.0);
      else
        assert_close (moa_value_variance (v), cases[i].variance, what_var);
    }
}

/* A fixed value is returned as its mean and consumes nothing. */
static void
test_fixed (void **state)
{
  g_autoptr (MoaSampler) sampler = moa_sampler_new ();
  g_autoptr (MoaValue) v = parse_or_fail ("90 s", MOA_DIM_TIME);
  MoaStream stream, before;

  moa_stream_init (&stream, SEED, 7, 8, 9);
  before = stream;
  assert_true (moa_sampler_draw (sampler, v, &stream) == 0.025);
  assert_true (stream.key == before.key && stream.counter == before.counter);
}

/* The output function is splitmix64's: a stream whose key is the splitmix64 state after one
 * increment, at counter 0, gives the reference sequence of splitmix64 seeded with 1234567
 * (Vigna's splitmix64.c; the published test vector). */
static void
test_splitmix_reference (void **state)
{
  static const guint64 expected[] = {
    G_GUINT64_CONSTANT (6457827717110365317),  G_GUINT64_CONSTANT (3203168211198807973),
    G_GUINT64_CONSTANT (9817491932198370423),  G_GUINT64_CONSTANT (4593380528125082431),
    G_GUINT64_CONSTANT (16408922859458223821),
  };
  MoaStream stream = { G_GUINT64_CONSTANT (1234567) + GOLDEN_GAMMA, 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_true (moa_stream_next (&stream) == expected[i]);
  assert_int_equal (stream.counter, G_N_ELEMENTS (expected));
  assert_string_equal (moa_random_generator_name (),
                       "moa-ctr64 (splitmix64 finaliser, counter mode)");
}

/* MurmurHash3's fmix64, for the documented hash: FNV-1a 64 then fmix64. */
static guint64
fmix64 (guint64 k)
{
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xC4CEB9FE1A85EC53);
  k ^= k >> 33;
  return k;
}

/* The hash is fmix64 of FNV-1a 64, whose reference values are 0xcbf29ce484222325 for "",
 * 0xaf63dc4c8601ec8c for "a" and 0x85944171f73967e8 for "foobar". */
static void
test_hash (void **state)
{
  assert_true (moa_random_hash ("") == fmix64 (G_GUINT64_CONSTANT (0xCBF29CE484222325)));
  assert_true (moa_random_hash ("a") == fmix64 (G_GUINT64_CONSTANT (0xAF63DC4C8601EC8C)));
  assert_true (moa_random_hash ("foobar") == fmix64 (G_GUINT64_CONSTANT (0x85944171F73967E8)));
  assert_true (moa_random_hash ("iap/verifica:time") != moa_random_hash ("iap/verifica:timf"));
}

/* Inverse of x ^= x >> s (s > 0). */
static guint64
unxorshift (guint64 y, guint s)
{
  guint64 x = y;
  for (guint i = 0; i < 64 / s + 1; i++)
    x = y ^ (x >> s);
  return x;
}

/* Inverse of an odd number modulo 2^64 (Newton's iteration, each step doubles the bits). */
static guint64
mul_inverse (guint64 c)
{
  guint64 inv = c;
  for (guint i = 0; i < 5; i++)
    inv *= 2 - c * inv;
  return inv;
}

/* The state whose splitmix64 output is @y. */
static guint64
splitmix_preimage (guint64 y)
{
  y = unxorshift (y, 31);
  y *= mul_inverse (G_GUINT64_CONSTANT (0x94D049BB133111EB));
  y = unxorshift (y, 27);
  y *= mul_inverse (G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9));
  return unxorshift (y, 30);
}

/* The uniform is never 0 or 1: not at the two extreme outputs (all bits 0, all bits 1), nor in
 * a million ordinary draws. */
static void
test_uniform_open (void **state)
{
  MoaStream stream = { 0, 0 };
  double u;

  /* splitmix64's finaliser maps 0 to 0. */
  u = moa_stream_uniform (&stream);
  assert_true (u > 0.0 && u < 1.0);
  assert_true (u == ldexp (1.0, -54));

  stream.key = splitmix_preimage (G_MAXUINT64);
  stream.counter = 0;
  assert_true (moa_stream_next (&stream) == G_MAXUINT64);
  stream.counter = 0;
  u = moa_stream_uniform (&stream);
  assert_true (u > 0.0 && u < 1.0);
  assert_true (u == 1.0 - ldexp (1.0, -53));

  moa_stream_init (&stream, SEED, 0, 0, 0);
  for (guint i = 0; i < 1000000; i++)
    {
      u = moa_stream_uniform (&stream);
      if (!(u > 0.0 && u < 1.0))
        fail_msg ("seed %" G_GUINT64_FORMAT ": uniform number %u is %.17g", SEED, i, u);
    }
}

/* The same (seed, iteration, key, purpose) gives the same numbers and the same draws, whatever
 * the sampler drew before (the sampler keeps no state between draws). */
static void
test_determinism (void **state)
{
  g_autoptr (MoaSampler) sampler = moa_sampler_new ();
  g_autoptr (MoaSampler) other = moa_sampler_new ();
  g_autoptr (MoaValue) pert = parse_or_fail ("pert(20, 30, 60) min", MOA_DIM_TIME);
  g_autoptr (MoaValue) normal = parse_or_fail ("normal(0.9, 0.2)", MOA_DIM_FRACTION);
  g_autoptr (MoaValue) narrow = parse_or_fail ("normal(50, 200) %", MOA_DIM_FRACTION);
  g_autoptr (MoaValue) logn = parse_or_fail ("lognormal(30, 10) min", MOA_DIM_TIME);
  const MoaValue *values[] = { pert, normal, narrow, logn };
  guint64 key = moa_random_hash ("proc/obl/act:time");
  MoaStream a, b;

  moa_stream_init (&a, SEED, 41, key, 2);
  moa_stream_init (&b, SEED, 41, key, 2);
  for (guint i = 0; i < 1000; i++)
    assert_true (moa_stream_next (&a) == moa_stream_next (&b));

  for (gsize k = 0; k < G_N_ELEMENTS (values); k++)
    {
      double first[16];

      moa_stream_init (&a, SEED, 41, key, 2);
      for (guint i = 0; i < 16; i++)
        first[i] = moa_sampler_draw (sampler, values[k], &a);
      assert_true (a.counter > 0);

      /* Other draws in between, on other streams, with both samplers. */
      moa_stream_init (&b, SEED + 1, 0, 0, 0);
      for (guint i = 0; i < 100; i++)
        moa_sampler_draw (sampler, values[(k + 1) % G_N_ELEMENTS (values)], &b);

      moa_stream_init (&b, SEED, 41, key, 2);
      for (guint i = 0; i < 16; i++)
        {
          double again = moa_sampler_draw (i % 2 ? sampler : other, values[k], &b);
          if (again != first[i])
            {
              g_autofree char *text = moa_value_to_string (values[k]);
              fail_msg ("%s: draw %u is %.17g, then %.17g", text, i, first[i], again);
            }
        }
      /* Both consumed the same numbers. */
      assert_true (a.key == b.key && a.counter == b.counter);
    }
}

/* Pearson correlation of @n pairs. */
static double
correlation (const double *x, const double *y, guint n)
{
  double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;

  for (guint i = 0; i < n; i++)
    {
      mx += x[i];
      my += y[i];
    }
  mx /= n;
  my /= n;
  for (guint i = 0; i < n; i++)
    {
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
      sxy += (x[i] - mx) * (y[i] - my);
    }
  return sxy / sqrt (sxx * syy);
}

/* Streams differing in one component of the key (seed, iteration, parameter key, purpose)
 * give different and uncorrelated sequences: the correlation of N_PAIRS paired uniforms is
 * below K_SE / sqrt(n) (its standard error under independence is 1/sqrt(n)). Pairs are taken
 * both along one stream (the i-th number of each) and across iterations (the first number of
 * the stream of iteration i), as the simulation uses them. */
static void
test_independence (void **state)
{
  static const struct
  {
    const char *what;
    guint64 seed, iteration, key, purpose;
  } other[] = {
    { "another seed", SEED + 1, 5, 77, 1 },   { "another iteration", SEED, 6, 77, 1 },
    { "another key", SEED, 5, 78, 1 },        { "another purpose", SEED, 5, 77, 2 },
    { "everything swapped", 77, 1, SEED, 5 },
  };
  g_autofree double *x = g_new (double, N_PAIRS);
  g_autofree double *y = g_new (double, N_PAIRS);
  double bound = K_SE / sqrt (N_PAIRS);

  for (gsize k = 0; k < G_N_ELEMENTS (other); k++)
    {
      MoaStream a, b;
      gboolean differ = FALSE;
      double r;

      /* Along one stream. */
      moa_stream_init (&a, SEED, 5, 77, 1);
      moa_stream_init (&b, other[k].seed, other[k].iteration, other[k].key, other[k].purpose);
      for (guint i = 0; i < N_PAIRS; i++)
        {
          x[i] = moa_stream_uniform (&a);
          y[i] = moa_stream_uniform (&b);
          differ = differ || x[i] != y[i];
        }
      assert_true (differ);
      r = correlation (x, y, N_PAIRS);
      if (!(fabs (r) < bound))
        fail_msg ("seed %" G_GUINT64_FORMAT ", %s: correlation along the streams %.5f, "
                  "expected below %.5f",
                  SEED, other[k].what, r, bound);

      /* Across iterations: the first number of each iteration's stream. */
      for (guint i = 0; i < N_PAIRS; i++)
        {
          guint64 it_b = other[k].iteration - 5 + i;

          moa_stream_init (&a, SEED, i, 77, 1);
          moa_stream_init (&b, other[k].seed, it_b, other[k].key, other[k].purpose);
          x[i] = moa_stream_uniform (&a);
          y[i] = moa_stream_uniform (&b);
        }
      r = correlation (x, y, N_PAIRS);
      if (!(fabs (r) < bound))
        fail_msg ("seed %" G_GUINT64_FORMAT ", %s: correlation across iterations %.5f, "
                  "expected below %.5f",
                  SEED, other[k].what, r, bound);
    }

  /* Consecutive numbers of one stream, and the same number of consecutive iterations. */
  {
    MoaStream a;
    double r;

    moa_stream_init (&a, SEED, 0, 0, 0);
    x[0] = moa_stream_uniform (&a);
    for (guint i = 1; i < N_PAIRS; i++)
      x[i] = y[i - 1] = moa_stream_uniform (&a);
    y[N_PAIRS - 1] = moa_stream_uniform (&a);
    r = correlation (x, y, N_PAIRS);
    if (!(fabs (r) < bound))
      fail_msg ("seed %" G_GUINT64_FORMAT ": lag-1 correlation %.5f, expected below %.5f", SEED, r,
                bound);

    for (guint i = 0; i < N_PAIRS; i++)
      {
        moa_stream_init (&a, SEED, i, 0, 0);
        x[i] = moa_stream_uniform (&a);
        moa_stream_init (&a, SEED, i + 1, 0, 0);
        y[i] = moa_stream_uniform (&a);
      }
    r = correlation (x, y, N_PAIRS);
    if (!(fabs (r) < bound))
      fail_msg ("seed %" G_GUINT64_FORMAT ": correlation of iterations i and i + 1 %.5f, "
                "expected below %.5f",
                SEED, r, bound);
  }
}

#define THREAD_DRAWS 20000

/* Draws THREAD_DRAWS values of each of a few laws, iteration i from its own stream. */
static gpointer
draw_many (gpointer data)
{
  static const struct
  {
    const char *text;
    MoaDimension dim;
  } some[] = {
    { "pert(20, 30, 60) min", MOA_DIM_TIME },       { "normal(0.9, 0.2)", MOA_DIM_FRACTION },
    { "normal(50, 200) %", MOA_DIM_FRACTION },      { "lognormal(30, 10) min", MOA_DIM_TIME },
    { "triangular(20, 30, 60) min", MOA_DIM_TIME },
  };
  g_autoptr (MoaSampler) sampler = moa_sampler_new ();
  double *out = g_new (double, G_N_ELEMENTS (some) * THREAD_DRAWS);

  for (gsize l = 0; l < G_N_ELEMENTS (some); l++)
    {
      g_autoptr (MoaValue) v = moa_value_parse (some[l].text, some[l].dim, NULL);
      guint64 key = moa_random_hash (some[l].text);

      g_assert (v != NULL);
      for (guint i = 0; i < THREAD_DRAWS; i++)
        {
          MoaStream stream;

          moa_stream_init (&stream, SEED, i, key, 0);
          out[l * THREAD_DRAWS + i] = moa_sampler_draw (sampler, v, &stream);
        }
    }
  return out;
}

/* Samplers in four threads at once draw exactly what one thread draws alone (no shared state). */
static void
test_threads (void **state)
{
  g_autofree double *alone = draw_many (NULL);
  GThread *threads[4];

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("draw", draw_many, NULL);
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      g_autofree double *got = g_thread_join (threads[t]);
      assert_memory_equal (got, alone, 5 * THREAD_DRAWS * sizeof (double));
    }
}

/* A zero weight is never drawn. */
static void
test_discrete_zero_weight (void **state)
{
  g_autoptr (MoaSampler) sampler = moa_sampler_new ();
  g_autoptr (MoaValue) v = parse_or_fail ("discrete(0: 0, 5: 1, 7: 0)", MOA_DIM_COUNT);
  MoaStream stream;

  moa_stream_init (&stream, SEED, 0, 0, 0);
  for (guint i = 0; i < 10000; i++)
    assert_true (moa_sampler_draw (sampler, v, &stream) == 5.0);
  assert_true (moa_value_variance (v) == 0.0);
}

/* The regularised incomplete Beta function I_x(α, β) of the closed-form density
 * x^(α−1) (1 − x)^(β−1) / B(α, β), B = Γ(α)Γ(β)/Γ(α + β), by Simpson's rule on 20,000 intervals
 * (shapes >= 1: a bounded density; the error is far below the Monte Carlo tolerance). */
static double
beta_cdf (double x, double al, double be)
{
  const int n = 20000;
  double lb = lgamma (al) + lgamma (be) - lgamma (al + be), h = x / n, sum = 0.0;

  for (int i = 0; i <= n; i++)
    {
      double t = i * h, f;
      f = (t <= 0.0 && al > 1.0) || (t >= 1.0 && be > 1.0)
              ? 0.0
              : exp ((al - 1.0) * log (t > 0.0 ? t : 1e-300) + (be - 1.0) * log1p (-t) - lb);
      sum += f * (i == 0 || i == n ? 1.0 : (i % 2 == 1 ? 4.0 : 2.0));
    }
  return sum * h / 3.0;
}

/* PERT draws against the Beta law they scale: for shapes from both methods (strips for α, β > 1,
 * the inverse CDF when the mode is at an end), the empirical CDF at nine points and the third
 * and fourth raw moments of X = (draw − a)/(b − a), E[X^k] = Π_{r<k} (α + r)/(α + β + r), must be
 * within K_SE standard errors: √(F (1 − F)/n) for the CDF, the sample s.d. of X^k / √n for the
 * moments. (Mean and variance are checked by test_moments.) */
static void
test_pert_distribution (void **state)
{
  static const struct
  {
    const char *text;
    double a, b; /* in base units (h) */
    double al, be;
  } perts[] = {
    { "pert(20, 30, 60) min", 1.0 / 3, 1.0, 2.0, 4.0 },
    { "pert(1, 2, 4) h", 1.0, 4.0, 7.0 / 3, 11.0 / 3 },
    { "pert(15, 30, 90) min", 0.25, 1.5, 1.8, 4.2 },
    { "pert(10, 50, 90) min", 1.0 / 6, 1.5, 3.0, 3.0 },
    { "pert(0, 0, 10) h", 0.0, 10.0, 1.0, 5.0 },
    { "pert(0.2, 1, 1) h", 0.2, 1.0, 5.0, 1.0 },
    { "pert(1, 1.001, 100) h", 1.0, 100.0, 1.0 + 0.004 / 99, 5.0 - 0.004 / 99 },
  };
  g_autoptr (MoaSampler) sampler = moa_sampler_new ();
  g_autofree double *x = g_new (double, N_DRAWS);

  for (gsize l = 0; l < G_N_ELEMENTS (perts); l++)
    {
      g_autoptr (MoaValue) v = parse_or_fail (perts[l].text, MOA_DIM_TIME);
      guint64 key = moa_random_hash (perts[l].text);
      double al = perts[l].al, be = perts[l].be;

      for (guint i = 0; i < N_DRAWS; i++)
        {
          MoaStream stream;
          moa_stream_init (&stream, SEED, i, key, 5);
          x[i] = (moa_sampler_draw (sampler, v, &stream) - perts[l].a) / (perts[l].b - perts[l].a);
        }
      for (guint k = 1; k <= 9; k++)
        {
          double t = k / 10.0, f = beta_cdf (t, al, be), below = 0;
          for (guint i = 0; i < N_DRAWS; i++)
            below += x[i] <= t;
          below /= N_DRAWS;
          double se = sqrt (f * (1 - f) / N_DRAWS);
          if (!(fabs (below - f) <= K_SE * se + 1e-12))
            fail_msg ("%s (seed %" G_GUINT64_FORMAT ", n %d): share of draws below %.1f of the "
                      "range %.5f, Beta(%.4g, %.4g) CDF %.5f: %.2f standard errors",
                      perts[l].text, SEED, N_DRAWS, t, below, al, be, f, (below - f) / se);
        }
      for (guint k = 3; k <= 4; k++)
        {
          double expected = 1.0, m = 0, m2 = 0;
          for (guint r = 0; r < k; r++)
            expected *= (al + r) / (al + be + r);
          for (guint i = 0; i < N_DRAWS; i++)
            {
              double p = pow (x[i], k);
              m += p;
              m2 += p * p;
            }
          m /= N_DRAWS;
          double se = sqrt (fmax (m2 / N_DRAWS - m * m, 0.0) / N_DRAWS);
          if (!(fabs (m - expected) <= K_SE * se))
            fail_msg ("%s (seed %" G_GUINT64_FORMAT "): E[X^%u] %.6g, Beta(%.4g, %.4g) gives "
                      "%.6g: %.2f standard errors",
                      perts[l].text, SEED, k, m, al, be, expected, (m - expected) / se);
        }
    }
}

/* The simulation's draws (a law prepared once, drawn over many iterations) are those of
 * moa_sampler_draw() on the stream of each (seed, iteration, key, purpose), bit for bit: the
 * pairing of a baseline and its scenarios does not depend on which path drew. */
static void
test_prepared_laws (void **state)
{
  g_autoptr (MoaSampler) sampler = moa_sampler_new ();
  const guint n = 500;
  guint64 ikeys[500];
  double batch[500], one[500];

  for (guint i = 0; i < n; i++)
    ikeys[i] = moa_stream_iteration_key (SEED, 1000 + i);
  for (gsize l = 0; l < G_N_ELEMENTS (laws); l++)
    {
      g_autoptr (MoaValue) v = parse_or_fail (laws[l].text, laws[l].dim);
      guint64 key = moa_random_hash (laws[l].text);
      guint slot = 0;
      MoaLaw law;

      moa_law_prepare (&law, v);
      moa_law_draw_iterations (&law, key, 7, ikeys, n, sampler, batch);
      for (guint i = 0; i < n; i++)
        {
          MoaStream a;
          moa_stream_init (&a, SEED, 1000 + i, key, 7);
          one[i] = moa_sampler_draw (sampler, v, &a);
          if (memcmp (&one[i], &batch[i], sizeof (double)) != 0)
            fail_msg ("%s, iteration %u: %.17g drawn over iterations, %.17g alone", laws[l].text,
                      1000 + i, batch[i], one[i]);
        }
      moa_laws_draw_iteration (&law, &key, &slot, 1, ikeys[3], 7, sampler, batch);
      assert_memory_equal (&batch[0], &one[3], sizeof (double));
    }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_splitmix_reference),
    cmocka_unit_test (test_hash),
    cmocka_unit_test (test_uniform_open),
    cmocka_unit_test (test_determinism),
    cmocka_unit_test (test_independence),
    cmocka_unit_test (test_theory),
    cmocka_unit_test (test_fixed),
    cmocka_unit_test (test_discrete_zero_weight),
    cmocka_unit_test (test_threads),
    cmocka_unit_test (test_moments),
    cmocka_unit_test (test_pert_distribution),
    cmocka_unit_test (test_prepared_laws),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
