/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GSL linear algebra seam: dense LU solves for the workflow equations. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Solves A x = b for the @n x @n row-major matrix @a (overwritten by its LU factors) and the
 * right-hand side @b (overwritten by x), with partial pivoting. Returns FALSE with @error set
 * in MOA_ENGINE_ERROR_SINGULAR when A is singular or so close to it that a pivot is below
 * 1e-12 times the largest entry, or MOA_ENGINE_ERROR_NUMERIC when x is not finite. */
gboolean
moa_linalg_solve (guint n, double *a, double *b, GError **error);

/* The same with caller-provided memory for the row permutation (@n entries), so that a solve
 * allocates nothing. */
gboolean
moa_linalg_solve_perm (guint n, double *a, double *b, gsize *perm, GError **error);

G_END_DECLS
