/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The only file that uses GSL's linear algebra: LU solves with GSL's error handler off. */
#include "moa-config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "moa-error.h"
#include "moa-linalg.h"

static void
ensure_gsl_quiet (void)
{
  static gsize once = 0;

  /* GSL's default handler aborts the process; every status is checked instead. */
  if (g_once_init_enter (&once))
    {
      gsl_set_error_handler_off ();
      g_once_init_leave (&once, 1);
    }
}

gboolean
moa_linalg_solve (guint n, double *a, double *b, GError **error)
{
  g_return_val_if_fail (n > 0, FALSE);
  g_autofree gsize *perm = g_new (gsize, n);
  return moa_linalg_solve_perm (n, a, b, perm, error);
}

/* Below this size a loop's block is eliminated here: GSL's LU goes through BLAS calls whose
 * overhead dominates for the few nodes of a typical loop, which Monte Carlo solves millions
 * of times. Both use partial pivoting and the same singularity rule. */
#define SMALL_N 8

static gboolean
solve_small (guint n, double *a, double *b, double largest)
{
  for (guint k = 0; k < n; k++)
    {
      guint pivot = k;
      for (guint i = k + 1; i < n; i++)
        if (fabs (a[i * n + k]) > fabs (a[pivot * n + k]))
          pivot = i;
      if (fabs (a[pivot * n + k]) <= 1e-12 * largest)
        return FALSE;
      if (pivot != k)
        {
          for (guint j = 0; j < n; j++)
            {
              double t = a[k * n + j];
              a[k * n + j] = a[pivot * n + j];
              a[pivot * n + j] = t;
            }
          double t = b[k];
          b[k] = b[pivot];
          b[pivot] = t;
        }
      for (guint i = k + 1; i < n; i++)
        {
          double f = a[i * n + k] / a[k * n + k];
          if (f == 0.0)
            continue;
          for (guint j = k + 1; j < n; j++)
            a[i * n + j] -= f * a[k * n + j];
          b[i] -= f * b[k];
        }
    }
  for (guint k = n; k-- > 0;)
    {
      double sum = b[k];
      for (guint j = k + 1; j < n; j++)
        sum -= a[k * n + j] * b[j];
      b[k] = sum / a[k * n + k];
    }
  return TRUE;
}

static gboolean
check_finite (guint n, const double *b, GError **error)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (b[i]))
      {
        g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                     _ ("the workflow equations gave a non-finite number of executions"));
        return FALSE;
      }
  return TRUE;
}

gboolean
moa_linalg_solve_perm (guint n, double *a, double *b, gsize *perm_data, GError **error)
{
  g_return_val_if_fail (n > 0, FALSE);
  g_return_val_if_fail (a != NULL && b != NULL && perm_data != NULL, FALSE);

  double largest = 0.0;
  for (guint i = 0; i < n * n; i++)
    largest = MAX (largest, fabs (a[i]));

  if (n <= SMALL_N)
    {
      if (largest == 0.0 || !solve_small (n, a, b, largest))
        {
          g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_SINGULAR,
                       _ ("the workflow equations are singular: a loop is never left"));
          return FALSE;
        }
      return check_finite (n, b, error);
    }

  ensure_gsl_quiet ();

  gsl_matrix_view m = gsl_matrix_view_array (a, n, n);
  gsl_vector_view x = gsl_vector_view_array (b, n);
  gsl_permutation perm_view = { n, perm_data };
  gsl_permutation *perm = &perm_view;
  int signum = 0;
  int status = gsl_linalg_LU_decomp (&m.matrix, perm, &signum);

  gboolean singular = status != GSL_SUCCESS || largest == 0.0;
  for (guint i = 0; !singular && i < n; i++)
    if (fabs (a[i * n + i]) <= 1e-12 * largest)
      singular = TRUE;

  if (singular)
    {
      g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_SINGULAR,
                   _ ("the workflow equations are singular: a loop is never left"));
      return FALSE;
    }

  status = gsl_linalg_LU_svx (&m.matrix, perm, &x.vector);
  if (status != GSL_SUCCESS)
    {
      g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                   _ ("the workflow equations could not be solved: %s"), gsl_strerror (status));
      return FALSE;
    }
  return check_finite (n, b, error);
}
