/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Summary statistics of samples: mean, standard deviation, quantiles, Student's t (the GSL
 * statistics seam). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Mean and sample standard deviation (n - 1) of @n values, two passes (the mean, then the
 * deviations from it), each summing in a fixed order (four interleaved partial sums), so the
 * result depends only on the values and their order. @sd may be NULL. n = 0 gives 0; n = 1
 * gives sd 0. */
double
moa_stats_mean_sd (const double *x, gsize n, double *sd);

/* The @p-quantile (0 <= p <= 1) of @n values by linear interpolation between order
 * statistics (Hyndman & Fan type 7, as R's default): h = (n - 1) p, x[floor h] + (h - floor h)
 * (x[floor h + 1] - x[floor h]). @scratch (n values) is reordered; @x is not touched. */
double
moa_stats_quantile (const double *x, gsize n, double p, double *scratch);

/* Quantiles of several @p at once (ascending), sharing one sort of @scratch. */
void
moa_stats_quantiles (const double *x, gsize n, const double *p, guint n_p, double *out,
                     double *scratch);

/* moa_stats_mean_sd() and moa_stats_quantiles() at once, with the same results bit for bit
 * and one pass fewer over @x (the range is found while summing). */
void
moa_stats_summary (const double *x, gsize n, const double *p, guint n_p, double *mean, double *sd,
                   double *out, double *scratch);

/* The two-sided Student t quantile t_{1 - (1 - confidence) / 2, df} (df >= 1). */
double
moa_stats_t_quantile (double confidence, double df);

G_END_DECLS
