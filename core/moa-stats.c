/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Summary statistics; the only file that uses GSL's statistical functions. */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "moa-stats.h"

/* Sum of x[0..n) in four interleaved partial sums (x[i] goes to sum i mod 4), added as
 * (s0 + s1) + (s2 + s3): a fixed order, so the result depends only on the values and their
 * order, and four independent additions per step instead of one chain (about four times
 * faster on a long series, and no less accurate than one running sum). */
static double
sum4 (const double *x, gsize n)
{
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  gsize i = 0;
  for (; i + 4 <= n; i += 4)
    {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
    }
  if (i < n)
    s0 += x[i++];
  if (i < n)
    s1 += x[i++];
  if (i < n)
    s2 += x[i];
  return (s0 + s1) + (s2 + s3);
}

/* The same as sum4(), with the minimum and the maximum. */
static double
sum4_range (const double *x, gsize n, double *lo, double *hi)
{
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  double l0 = x[0], l1 = x[0], h0 = x[0], h1 = x[0];
  gsize i = 0;
  for (; i + 4 <= n; i += 4)
    {
      s0 += x[i];
      s1 += x[i + 1];
      s2 += x[i + 2];
      s3 += x[i + 3];
      l0 = MIN (l0, MIN (x[i], x[i + 2]));
      l1 = MIN (l1, MIN (x[i + 1], x[i + 3]));
      h0 = MAX (h0, MAX (x[i], x[i + 2]));
      h1 = MAX (h1, MAX (x[i + 1], x[i + 3]));
    }
  for (gsize j = i; j < n; j++)
    {
      l0 = MIN (l0, x[j]);
      h0 = MAX (h0, x[j]);
    }
  if (i < n)
    s0 += x[i++];
  if (i < n)
    s1 += x[i++];
  if (i < n)
    s2 += x[i];
  *lo = MIN (l0, l1);
  *hi = MAX (h0, h1);
  return (s0 + s1) + (s2 + s3);
}

/* Sample standard deviation of x[0..n) (n >= 2) around @mean: the sum of squared deviations
 * corrected by the square of the sum of deviations (which is 0 but for rounding), both in the
 * four partial sums of sum4(). */
static double
sd_around (const double *x, gsize n, double mean)
{
  double q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0;
  double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
  gsize i = 0;
  for (; i + 4 <= n; i += 4)
    {
      double d0 = x[i] - mean, d1 = x[i + 1] - mean, d2 = x[i + 2] - mean, d3 = x[i + 3] - mean;
      q0 += d0 * d0;
      q1 += d1 * d1;
      q2 += d2 * d2;
      q3 += d3 * d3;
      c0 += d0;
      c1 += d1;
      c2 += d2;
      c3 += d3;
    }
  if (i < n)
    {
      double d = x[i++] - mean;
      q0 += d * d;
      c0 += d;
    }
  if (i < n)
    {
      double d = x[i++] - mean;
      q1 += d * d;
      c1 += d;
    }
  if (i < n)
    {
      double d = x[i] - mean;
      q2 += d * d;
      c2 += d;
    }
  double ss = (q0 + q1) + (q2 + q3), c = (c0 + c1) + (c2 + c3);
  return sqrt (MAX (0.0, (ss - c * c / (double)n) / (double)(n - 1)));
}

double
moa_stats_mean_sd (const double *x, gsize n, double *sd)
{
  if (sd != NULL)
    *sd = 0.0;
  if (n == 0)
    return 0.0;
  double mean = sum4 (x, n) / (double)n;
  /* second pass on the deviations: no cancellation for large means */
  if (sd != NULL && n > 1)
    *sd = sd_around (x, n, mean);
  return mean;
}

/* Rearranges s[lo..hi] so that s[k] is the value it would have if sorted, smaller values
 * before it and larger after (Hoare's selection, median-of-three pivot; deterministic). */
static void
select_kth (double *s, gsize lo, gsize hi, gsize k)
{
  while (hi > lo)
    {
      gsize mid = lo + (hi - lo) / 2;
      /* median of three into s[mid] */
      if (s[mid] < s[lo])
        {
          double t = s[mid];
          s[mid] = s[lo];
          s[lo] = t;
        }
      if (s[hi] < s[lo])
        {
          double t = s[hi];
          s[hi] = s[lo];
          s[lo] = t;
        }
      if (s[hi] < s[mid])
        {
          double t = s[hi];
          s[hi] = s[mid];
          s[mid] = t;
        }
      double pivot = s[mid];
      gsize i = lo, j = hi;
      while (i <= j)
        {
          while (s[i] < pivot)
            i++;
          while (s[j] > pivot)
            j--;
          if (i <= j)
            {
              double t = s[i];
              s[i] = s[j];
              s[j] = t;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }
      if (k <= j)
        hi = j;
      else if (k >= i)
        lo = i;
      else
        return;
    }
}

#define N_BINS 1024

/* Writes to @out the order statistics of ranks @ranks (0-based, m of them) of x[0..n), whose
 * minimum and maximum are @lo and @hi: one pass counts the values in N_BINS equal bins (the bin of
 * a value never decreases with the value, so a rank falls in a known bin), one copies the values of
 * the needed bins to @scratch, where selection finishes the job on a few values. */
static void
order_statistics (const double *x, gsize n, const gsize *ranks, guint m, double lo, double hi,
                  double *out, double *scratch)
{
  /* a range too narrow (subnormal) gives an infinite scale, and 0 x inf = NaN bins */
  if (lo == hi || !isfinite (hi - lo) || !isfinite (N_BINS / (hi - lo)))
    {
      if (lo == hi)
        {
          for (guint k = 0; k < m; k++)
            out[k] = lo;
          return;
        }
      /* a range too wide or too narrow for bins: plain selection */
      memcpy (scratch, x, sizeof (double) * n);
      for (guint k = 0; k < m; k++)
        {
          select_kth (scratch, 0, n - 1, ranks[k]);
          out[k] = scratch[ranks[k]];
        }
      return;
    }

  double scale = N_BINS / (hi - lo);
  guint counts[N_BINS] = { 0 };
  for (gsize i = 0; i < n; i++)
    {
      guint b = (guint)((x[i] - lo) * scale);
      counts[MIN (b, N_BINS - 1)]++;
    }

  /* the bin of each rank, and where its values go in @scratch */
  gsize first[N_BINS];
  gsize start = 0;
  for (guint b = 0; b < N_BINS; b++)
    {
      first[b] = start;
      start += counts[b];
    }
  guint bin_of[8];
  gboolean needed[N_BINS] = { FALSE };
  g_assert (m <= G_N_ELEMENTS (bin_of));
  guint b = 0;
  for (guint k = 0; k < m; k++)
    {
      if (k > 0 && ranks[k] < ranks[k - 1])
        b = 0;
      while (b + 1 < N_BINS && first[b + 1] <= ranks[k])
        b++;
      bin_of[k] = b;
      needed[b] = TRUE;
    }
  gsize fill[N_BINS];
  memcpy (fill, first, sizeof fill);
  for (gsize i = 0; i < n; i++)
    {
      guint b = MIN ((guint)((x[i] - lo) * scale), N_BINS - 1);
      if (needed[b])
        scratch[fill[b]++] = x[i];
    }
  for (guint k = 0; k < m; k++)
    {
      guint b = bin_of[k];
      select_kth (scratch, first[b], first[b] + counts[b] - 1, ranks[k]);
      out[k] = scratch[ranks[k]];
    }
}

/* Type 7 (see moa-stats.h) from the order statistics, x[0..n) of range [@lo, @hi], n > 0. */
static void
quantiles_in_range (const double *x, gsize n, const double *p, guint n_p, double lo, double hi,
                    double *out, double *scratch)
{
  /* type 7: h = (n - 1) p, between the order statistics of ranks floor h and floor h + 1 */
  gsize ranks[8] = { 0 };
  double h[4] = { 0 };
  for (guint k = 0; k < n_p; k++)
    {
      h[k] = (double)(n - 1) * CLAMP (p[k], 0.0, 1.0);
      ranks[2 * k] = (gsize)floor (h[k]);
      ranks[2 * k + 1] = MIN (ranks[2 * k] + 1, n - 1);
    }
  double values[8];
  order_statistics (x, n, ranks, 2 * n_p, lo, hi, values, scratch);
  for (guint k = 0; k < n_p; k++)
    out[k] = values[2 * k] + (h[k] - (double)ranks[2 * k]) * (values[2 * k + 1] - values[2 * k]);
}

void
moa_stats_quantiles (const double *x, gsize n, const double *p, guint n_p, double *out,
                     double *scratch)
{
  g_return_if_fail (n == 0 || (x != NULL && scratch != NULL));
  g_return_if_fail (n_p <= 4);
  if (n == 0)
    {
      for (guint k = 0; k < n_p; k++)
        out[k] = 0.0;
      return;
    }
  double lo = x[0], hi = x[0];
  for (gsize i = 1; i < n; i++)
    {
      lo = MIN (lo, x[i]);
      hi = MAX (hi, x[i]);
    }
  quantiles_in_range (x, n, p, n_p, lo, hi, out, scratch);
}

void
moa_stats_summary (const double *x, gsize n, const double *p, guint n_p, double *mean, double *sd,
                   double *out, double *scratch)
{
  g_return_if_fail (n == 0 || (x != NULL && scratch != NULL));
  g_return_if_fail (n_p <= 4 && mean != NULL && sd != NULL);
  *mean = *sd = 0.0;
  if (n == 0)
    {
      for (guint k = 0; k < n_p; k++)
        out[k] = 0.0;
      return;
    }
  double lo, hi;
  *mean = sum4_range (x, n, &lo, &hi) / (double)n;
  if (n > 1)
    *sd = sd_around (x, n, *mean);
  quantiles_in_range (x, n, p, n_p, lo, hi, out, scratch);
}

double
moa_stats_quantile (const double *x, gsize n, double p, double *scratch)
{
  double out = 0.0;
  moa_stats_quantiles (x, n, &p, 1, &out, scratch);
  return out;
}

double
moa_stats_t_quantile (double confidence, double df)
{
  static gsize once = 0;
  if (g_once_init_enter (&once))
    {
      /* GSL's default handler aborts the process */
      gsl_set_error_handler_off ();
      g_once_init_leave (&once, 1);
    }
  g_return_val_if_fail (confidence > 0.0 && confidence < 1.0 && df >= 1.0, NAN);
  return gsl_cdf_tdist_Pinv (1.0 - (1.0 - confidence) / 2.0, df);
}
