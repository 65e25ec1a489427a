/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Summary statistics: mean and s.d., type 7 quantiles (hand-computed and against a full sort),
 * Student t quantiles from published tables. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "moa-stats.h"

static void
assert_near (double actual, double expected, double tol, const char *what)
{
  if (!(fabs (actual - expected) <= tol))
    fail_msg ("%s = %.17g, expected %.17g (tolerance %g)", what, actual, expected, tol);
}

static void
test_mean_sd (void **state)
{
  /* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32, s.d. sqrt(32/7) */
  const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
  double sd = 0;
  assert_near (moa_stats_mean_sd (x, 8, &sd), 5.0, 1e-15, "mean");
  assert_near (sd, sqrt (32.0 / 7.0), 1e-15, "sd");
  /* a large offset must not cost precision */
  double y[3] = { 1e9 + 1, 1e9 + 2, 1e9 + 3 };
  assert_near (moa_stats_mean_sd (y, 3, &sd), 1e9 + 2, 1e-6, "mean with offset");
  assert_near (sd, 1.0, 1e-9, "sd with offset");
  assert_near (moa_stats_mean_sd (y, 1, &sd), 1e9 + 1, 0, "one value");
  assert_near (sd, 0.0, 0, "sd of one value");
}

static void
test_quantiles_hand (void **state)
{
  /* type 7 on 10, 20, 30, 40, 50 (given shuffled): h = 4p.
   * p = 0.05: h = 0.2 -> 10 + 0.2 x 10 = 12; p = 0.5: 30; p = 0.95: h = 3.8 -> 40 + 8 = 48 */
  const double x[] = { 40, 10, 50, 30, 20 };
  double scratch[5], out[3];
  const double p[3] = { 0.05, 0.5, 0.95 };
  moa_stats_quantiles (x, 5, p, 3, out, scratch);
  assert_near (out[0], 12, 1e-12, "P5");
  assert_near (out[1], 30, 1e-12, "P50");
  assert_near (out[2], 48, 1e-12, "P95");
  assert_true (x[0] == 40 && x[2] == 50); /* the input is not reordered */
  assert_near (moa_stats_quantile (x, 5, 0.0, scratch), 10, 0, "min");
  assert_near (moa_stats_quantile (x, 5, 1.0, scratch), 50, 0, "max");
  const double c[] = { 7, 7, 7 };
  assert_near (moa_stats_quantile (c, 3, 0.3, scratch), 7, 0, "constant");
}

static void
test_quantiles_adversarial (void **state)
{
  double scratch[5], out[3];
  const double p[3] = { 0.05, 0.5, 0.95 };

  /* all equal but one, over a huge range: sorted -1e300, 3, 3, 3, 3; h = 4p.
   * p = 0.05: h = 0.2 -> -1e300 + 0.2 x (3 + 1e300) = -8e299; p = 0.5, 0.95: 3 */
  const double one_out[] = { 3, 3, -1e300, 3, 3 };
  moa_stats_quantiles (one_out, 5, p, 3, out, scratch);
  assert_near (out[0], -8e299, 1e-12 * 8e299, "P5 all equal but one");
  assert_near (out[1], 3, 0, "P50 all equal but one");
  assert_near (out[2], 3, 0, "P95 all equal but one");

  /* two values, negative: sorted -2, 5; h = p. -2 + 0.05 x 7 = -1.65; -2 + 3.5 = 1.5;
   * -2 + 0.95 x 7 = 4.65 */
  const double two[] = { 5, -2 };
  moa_stats_quantiles (two, 2, p, 3, out, scratch);
  assert_near (out[0], -1.65, 1e-12, "P5 of two");
  assert_near (out[1], 1.5, 1e-12, "P50 of two");
  assert_near (out[2], 4.65, 1e-12, "P95 of two");

  /* one value */
  const double single[] = { -4 };
  moa_stats_quantiles (single, 1, p, 3, out, scratch);
  assert_true (out[0] == -4 && out[1] == -4 && out[2] == -4);

  /* a subnormal range (1024 bins over it would need an infinite scale): sorted 0, d, d;
   * h = 2p: p = 0 -> 0, p = 0.5 -> h = 1 -> d, p = 1 -> d */
  const double d = 1e-310;
  const double tiny[] = { d, 0, d };
  const double ends[3] = { 0, 0.5, 1 };
  moa_stats_quantiles (tiny, 3, ends, 3, out, scratch);
  assert_true (out[0] == 0);
  assert_true (out[1] == d);
  assert_true (out[2] == d);
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Selection must agree with a full sort, with ties and many sizes. */
static void
test_quantiles_random (void **state)
{
  GRand *rand = g_rand_new_with_seed (20261123);
  for (guint n = 1; n < 400; n += 7)
    {
      double *x = g_new (double, n), *sorted = g_new (double, n), *scratch = g_new (double, n);
      for (guint i = 0; i < n; i++)
        x[i] = (double)g_rand_int_range (rand, 0, 50); /* many ties */
      memcpy (sorted, x, sizeof (double) * n);
      qsort (sorted, n, sizeof (double), compare);
      const double p[4] = { 0.05, 0.25, 0.5, 0.95 };
      double out[4];
      moa_stats_quantiles (x, n, p, 4, out, scratch);
      for (guint k = 0; k < 4; k++)
        {
          double h = (n - 1) * p[k];
          guint lo = (guint)floor (h);
          double expected
              = lo + 1 < n ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
          assert_near (out[k], expected, 1e-12, "quantile vs sort");
        }
      g_free (x);
      g_free (sorted);
      g_free (scratch);
    }
  g_rand_free (rand);
}

static void
test_t_quantile (void **state)
{
  /* two-sided 95 %: t(0.975; 1) = 12.706, t(0.975; 10) = 2.228, t(0.975; 30) = 2.042,
   * large df -> 1.960; 99 %: t(0.995; 20) = 2.845 (standard tables) */
  assert_near (moa_stats_t_quantile (0.95, 1), 12.706, 1e-3, "t 1");
  assert_near (moa_stats_t_quantile (0.95, 10), 2.228, 1e-3, "t 10");
  assert_near (moa_stats_t_quantile (0.95, 30), 2.042, 1e-3, "t 30");
  assert_near (moa_stats_t_quantile (0.95, 1e6), 1.960, 1e-3, "t inf");
  assert_near (moa_stats_t_quantile (0.99, 20), 2.845, 1e-3, "t 99 % 20");
}

/* moa_stats_summary() gives the same numbers, bit for bit, as moa_stats_mean_sd() and
 * moa_stats_quantiles(), for lengths around the four partial sums (n mod 4) and with ties. */
static void
test_summary (void **state)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
  const double p[3] = { 0.05, 0.5, 0.95 };
  double x[1003], scratch[1003];

  for (guint n = 1; n <= 1003; n += (n < 12 ? 1 : 97))
    {
      for (guint i = 0; i < n; i++)
        x[i] = i % 7 == 3 ? 42.0 : 1e6 + g_rand_double_range (rand, -50, 50);
      double sd_a, sd_b, qa[3], qb[3];
      double mean_a = moa_stats_mean_sd (x, n, &sd_a);
      moa_stats_quantiles (x, n, p, 3, qa, scratch);
      double mean_b;
      moa_stats_summary (x, n, p, 3, &mean_b, &sd_b, qb, scratch);
      assert_memory_equal (&mean_a, &mean_b, sizeof (double));
      assert_memory_equal (&sd_a, &sd_b, sizeof (double));
      assert_memory_equal (qa, qb, sizeof qa);
      /* and the mean is the mean: within rounding of the exact sum */
      double sum = 0;
      for (guint i = 0; i < n; i++)
        sum += x[i];
      assert_near (mean_a, sum / n, 1e-9 * fabs (sum / n), "mean");
    }
}

/* The same for long series of awkward shapes, where moa_stats_summary() takes the bins of its
 * order statistics from a sample of the values: values far outside the sampled range, a
 * sample that sees one value only, ties, a sorted series, a range of 600 orders of
 * magnitude. The quantiles are also those of a full sort (type 7, the same formula). */
static void
test_summary_shapes (void **state)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261124);
  const double p[3] = { 0.05, 0.5, 0.95 };
  const guint sizes[] = { 256, 257, 1001, 4099, 10000 };

  for (gsize z = 0; z < G_N_ELEMENTS (sizes); z++)
    for (guint shape = 0; shape < 7; shape++)
      {
        guint n = sizes[z];
        g_autofree double *x = g_new (double, n);
        g_autofree double *sorted = g_new (double, n);
        g_autofree double *scratch = g_new (double, n);
        for (guint i = 0; i < n; i++)
          {
            double u = g_rand_double (rand);
            switch (shape)
              {
                case 0: /* bell-shaped */
                  x[i] = u + g_rand_double (rand) + g_rand_double (rand);
                  break;
                case 1: /* a tenth far out on both sides */
                  x[i] = i % 10 == 3 ? -1e9 * u : (i % 10 == 7 ? 1e9 * u : u);
                  break;
                case 2: /* three values */
                  x[i] = (double)(g_rand_int_range (rand, 0, 3));
                  break;
                case 3: /* sorted */
                  x[i] = (double)i * 0.5;
                  break;
                case 4: /* 5 where the sample looks, anything elsewhere */
                  x[i] = 100.0 * u;
                  break;
                case 5: /* 600 orders of magnitude */
                  x[i] = pow (10.0, -300.0 + 600.0 * u);
                  break;
                default: /* skewed, with a long right tail */
                  x[i] = -log (u) * 1000.0;
                  break;
              }
          }
        if (shape == 4)
          for (guint k = 0; k < 64; k++)
            x[(gsize)k * (n - 1) / 63] = 5.0;

        double sd_a, sd_b, qa[3], qb[3], mean_b;
        double mean_a = moa_stats_mean_sd (x, n, &sd_a);
        moa_stats_quantiles (x, n, p, 3, qa, scratch);
        moa_stats_summary (x, n, p, 3, &mean_b, &sd_b, qb, scratch);
        assert_memory_equal (&mean_a, &mean_b, sizeof (double));
        assert_memory_equal (&sd_a, &sd_b, sizeof (double));
        memcpy (sorted, x, sizeof (double) * n);
        qsort (sorted, n, sizeof (double), compare);
        for (guint k = 0; k < 3; k++)
          {
            double h = (n - 1) * p[k];
            guint lo = (guint)floor (h);
            double expected = sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
            if (!(qb[k] == expected) || !(qa[k] == expected))
              fail_msg ("n %u, shape %u, p %g: summary %.17g, quantiles %.17g, sort %.17g", n,
                        shape, p[k], qb[k], qa[k], expected);
          }
      }
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_mean_sd),
    cmocka_unit_test (test_quantiles_hand),
    cmocka_unit_test (test_quantiles_adversarial),
    cmocka_unit_test (test_quantiles_random),
    cmocka_unit_test (test_t_quantile),
    cmocka_unit_test (test_summary),
    cmocka_unit_test (test_summary_shapes),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
