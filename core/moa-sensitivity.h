/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which parameters drive a procedure's burden: derivatives and elasticities of the exact
 * solution, and the swing of the total over each uncertain parameter's range (the data of a
 * tornado chart). No simulation (simulation.md §2). */
#pragma once

#include <glib.h>

#include "moa-plan.h"

G_BEGIN_DECLS

typedef struct
{
  guint param;       /* index in the plan's parameters */
  const char *key;   /* moa_plan_get_param_key() (borrowed from the plan) */
  double value;      /* expected value, base unit */
  double derivative; /* d total burden / d parameter, per base unit */
  double elasticity; /* derivative x value / total: % change of the total per 1 % */
  double low_value;  /* the parameter's P5 (its minimum for bounded laws); = value if fixed */
  double high_value; /* its P95 (maximum for bounded laws) */
  double low_total;  /* total burden with the parameter at low_value, others at expected */
  double high_total; /* ... at high_value */
  double swing;      /* |high_total - low_total| */
} MoaSensitivity;

/* Computes one row per parameter of @plan for the total burden per year (MoaResult.total),
 * ranked by swing (uncertain parameters first), then by |elasticity|. Derivatives are exact
 * for the parameters the burden is linear in and otherwise central differences of the exact
 * evaluation with a relative step of 1e-6; a branch probability moves probability from (or
 * to) its gateway's default branch. Returns a new GArray of MoaSensitivity, or NULL with
 * @error set. */
GArray *
moa_sensitivity_compute (const MoaPlan *plan, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
