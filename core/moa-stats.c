/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Summary statistics; the only file that uses GSL's statistical functions. */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "moa-stats.h"

double
moa_stats_mean_sd (const double *x, gsize n, double *sd)
{
  if (sd != NULL)
    *sd = 0.0;
  if (n == 0)
    return 0.0;
  double sum = 0.0;
  for (gsize i = 0; i < n; i++)
    sum += x[i];
  double mean = sum / (double)n;
  if (sd != NULL && n > 1)
    {
      /* second pass on the deviations: no cancellation for large means */
      double ss = 0.0, c = 0.0;
      for (gsize i = 0; i < n; i++)
        {
          double d = x[i] - mean;
          ss += d * d;
          c += d;
        }
      *sd = sqrt (MAX (0.0, (ss - c * c / (double)n) / (double)(n - 1)));
    }
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

/* The smallest value of s[lo..hi]. */
static double
min_of (const double *s, gsize lo, gsize hi)
{
  double m = s[lo];
  for (gsize i = lo + 1; i <= hi; i++)
    m = MIN (m, s[i]);
  return m;
}

void
moa_stats_quantiles (const double *x, gsize n, const double *p, guint n_p, double *out,
                     double *scratch)
{
  g_return_if_fail (n == 0 || (x != NULL && scratch != NULL));
  if (n == 0)
    {
      for (guint k = 0; k < n_p; k++)
        out[k] = 0.0;
      return;
    }
  memcpy (scratch, x, sizeof (double) * n);

  /* a constant series needs no ordering */
  gboolean constant = TRUE;
  for (gsize i = 1; i < n && constant; i++)
    constant = scratch[i] == scratch[0];

  /* ascending p: each selection works on what lies right of the previous one */
  gsize from = 0;
  for (guint k = 0; k < n_p; k++)
    {
      if (constant)
        {
          out[k] = scratch[0];
          continue;
        }
      double h = (double)(n - 1) * CLAMP (p[k], 0.0, 1.0);
      gsize lo = (gsize)floor (h);
      if (lo < from)
        from = 0; /* p not ascending: start over */
      select_kth (scratch, from, n - 1, lo);
      double value = scratch[lo];
      if (lo + 1 < n && h > (double)lo)
        value += (h - (double)lo) * (min_of (scratch, lo + 1, n - 1) - scratch[lo]);
      out[k] = value;
      from = lo;
    }
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
