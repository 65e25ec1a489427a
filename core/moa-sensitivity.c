/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sensitivity of a procedure's total burden to each parameter (simulation.md §2): derivatives
 * and elasticities of the exact evaluation, and the swing over each parameter's range. */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-error.h"
#include "moa-plan-private.h"
#include "moa-sensitivity.h"

/* Relative step of the finite differences, and the smallest magnitude it is relative to (base
 * units are hours, currency, currency per hour, fractions and counts: 1e-3 of each is below
 * any value an analyst writes). */
#define REL_STEP 1e-6
#define MIN_SCALE 1e-3

/* Φ⁻¹(0.95): the standard normal's 95th percentile (Abramowitz & Stegun table 26.5). */
#define Z95 1.6448536269514722

/* Values equal within this relative tolerance rank as ties. */
#define RANK_TOLERANCE 1e-9

typedef struct
{
  const MoaPlan *plan;
  MoaPlanWorkspace *workspace;
  double *x; /* the means, with one parameter moved at a time */
} Eval;

/* The total burden per year with parameter @p at @value, the others at their means. */
static gboolean
total_at (Eval *ev, guint p, double value, double *total, GError **error)
{
  double saved = ev->x[p];
  ev->x[p] = value;
  const MoaTotal *t = moa_plan_evaluate_totals (ev->plan, ev->x, ev->workspace, error);
  ev->x[p] = saved;
  if (t == NULL)
    {
      g_prefix_error (error, _ ("parameter \"%s\" at %.10g: "),
                      moa_plan_get_param_key (ev->plan, p), value);
      return FALSE;
    }
  *total = t[MOA_ENTITY_TOTAL].recurring.burden;
  return TRUE;
}

/* How a parameter enters the total. */
typedef struct
{
  gboolean nonlinear; /* a branch probability, or a population that shares an obligation's
                       * cases among segments: the total is not affine in it */
  double lo, hi;      /* where finite differences may look */
} Role;

/* Classifies every parameter. The total burden is a sum over chains of cases x visits x the
 * figures of one execution; it is affine in each time, tariff, fee, acquisition, out-of-pocket
 * amount and BAU share (each enters one factor of a product of independent parameters), in
 * frequency, cases and compliance, and in a population used as population x frequency. It is
 * not affine in a branch probability (visits solve a linear system) nor in a population that
 * divides an obligation's cases among segments (population / sum of populations). A branch
 * probability moves between 0 and 1 and, at a gateway with a default branch, no further up
 * than what the default branch holds at the expected values, because beyond it the plan
 * scales the probabilities down (moa_plan_chain_weights()). */
static void
classify (const MoaPlan *plan, Role *roles)
{
  const double *means = moa_plan_get_means (plan);
  guint n = moa_plan_get_n_params (plan);

  for (guint p = 0; p < n; p++)
    {
      roles[p].nonlinear = FALSE;
      roles[p].lo = -INFINITY;
      roles[p].hi = INFINITY;
    }
  for (guint c = 0; c < plan->chains->len; c++)
    {
      const PlanChain *chain = g_ptr_array_index (plan->chains, c);
      const PlanEdge *edges = (const PlanEdge *)chain->edges->data;

      for (guint e = 0; e < chain->edges->len; e++)
        {
          if (edges[e].param < 0)
            continue;
          Role *r = &roles[edges[e].param];
          double sum = 0.0;
          gboolean has_default = FALSE;
          for (guint k = edges[e].group_first; k < edges[e].group_first + edges[e].group_n; k++)
            {
              if (edges[k].param >= 0)
                sum += means[edges[k].param];
              has_default |= edges[k].is_default;
            }
          r->nonlinear = TRUE;
          r->lo = MAX (r->lo, 0.0);
          r->hi = MIN (r->hi, 1.0);
          if (has_default)
            r->hi = MIN (r->hi, means[edges[e].param] + MAX (1.0 - sum, 0.0));
        }
      if (chain->frequency < 0 && !chain->cases_own)
        for (guint i = 0; i < chain->all_populations->len; i++)
          {
            int slot = g_array_index (chain->all_populations, int, i);
            if (slot < 0)
              continue;
            roles[slot].nonlinear = TRUE;
            roles[slot].lo = MAX (roles[slot].lo, 0.0);
          }
    }
}

/* d total / d x_p at the expected values. Affine parameters: the secant over a step of
 * max(|value|, 1), exact up to rounding. Others: h = REL_STEP x max(|value|, MIN_SCALE);
 * central differences (f(v + h) - f(v - h)) / 2h when [v - h, v + h] lies in the role's range,
 * else the one-sided second-order formulas (-3 f(v) + 4 f(v + h) - f(v + 2h)) / 2h or
 * (3 f(v) - 4 f(v - h) + f(v - 2h)) / 2h, whichever fits; when neither fits (a range narrower
 * than 2h), the one-sided difference to the farther end of the range (0 for an empty range). */
static gboolean
derivative (Eval *ev, guint p, const Role *role, double base, double *out, GError **error)
{
  double v = ev->x[p];
  double f1, f2;

  if (!role->nonlinear)
    {
      double step = MAX (fabs (v), 1.0);
      if (!total_at (ev, p, v + step, &f1, error))
        return FALSE;
      *out = (f1 - base) / step;
      return TRUE;
    }

  double h = REL_STEP * MAX (fabs (v), MIN_SCALE);
  if (v - h >= role->lo && v + h <= role->hi)
    {
      if (!total_at (ev, p, v + h, &f1, error) || !total_at (ev, p, v - h, &f2, error))
        return FALSE;
      *out = (f1 - f2) / (2.0 * h);
    }
  else if (v + 2.0 * h <= role->hi)
    {
      if (!total_at (ev, p, v + h, &f1, error) || !total_at (ev, p, v + 2.0 * h, &f2, error))
        return FALSE;
      *out = (-3.0 * base + 4.0 * f1 - f2) / (2.0 * h);
    }
  else if (v - 2.0 * h >= role->lo)
    {
      if (!total_at (ev, p, v - h, &f1, error) || !total_at (ev, p, v - 2.0 * h, &f2, error))
        return FALSE;
      *out = (3.0 * base - 4.0 * f1 + f2) / (2.0 * h);
    }
  else
    {
      double width = role->hi - v > v - role->lo ? role->hi - v : -(v - role->lo);
      if (width == 0.0 || !isfinite (width))
        {
          *out = 0.0;
          return TRUE;
        }
      if (!total_at (ev, p, v + width, &f1, error))
        return FALSE;
      *out = (f1 - base) / width;
    }
  return TRUE;
}

static double
std_normal_cdf (double z)
{
  return 0.5 * erfc (-z / G_SQRT2);
}

/* The @q-quantile of normal(@mu, @sd) truncated to [0, @hi] (hi may be +inf), as
 * moa_sampler_draw() truncates it: bisection in z = (x - mu) / sd on
 * (Φ(z) - Φ(α)) / (Φ(β) - Φ(α)) = q, α = -mu / sd, β = (hi - mu) / sd, to the last bit. */
static double
truncated_normal_quantile (double mu, double sd, double hi, double q)
{
  if (!(sd > 0.0))
    return CLAMP (mu, 0.0, hi);
  double alpha = -mu / sd;
  double beta = isinf (hi) ? INFINITY : (hi - mu) / sd;
  double pa = std_normal_cdf (alpha);
  double z_mass = 0.5 * (erf (beta / G_SQRT2) - erf (alpha / G_SQRT2));
  if (!(z_mass > 0.0))
    return CLAMP (mu, 0.0, hi);
  double a = alpha, b = isinf (beta) ? MAX (alpha, 0.0) + 40.0 : beta;
  for (guint i = 0; i < 200 && b - a > 0.0; i++)
    {
      double m = 0.5 * (a + b);
      if (m == a || m == b)
        break;
      if ((std_normal_cdf (m) - pa) / z_mass < q)
        a = m;
      else
        b = m;
    }
  return CLAMP (mu + sd * 0.5 * (a + b), 0.0, hi);
}

/* The low and high values of @value for the swing: the support of a bounded law (uniform,
 * triangular, PERT, discrete), the P5 and P95 of a normal (truncated as it is sampled) or a
 * lognormal, the value itself when fixed. */
static void
low_high (const MoaValue *value, double *low, double *high)
{
  const double *p = value->p;

  switch (value->kind)
    {
      case MOA_DIST_FIXED:
        *low = *high = value->mean;
        return;
      case MOA_DIST_UNIFORM:
      case MOA_DIST_TRIANGULAR:
      case MOA_DIST_PERT:
      case MOA_DIST_DISCRETE:
        moa_value_support (value, low, high);
        return;
      case MOA_DIST_NORMAL:
        {
          double hi = value->dim == MOA_DIM_FRACTION ? 1.0 : INFINITY;
          *low = truncated_normal_quantile (p[0] * value->scale, p[1] * value->scale, hi, 0.05);
          *high = truncated_normal_quantile (p[0] * value->scale, p[1] * value->scale, hi, 0.95);
          return;
        }
      case MOA_DIST_LOGNORMAL:
        {
          /* simulation.md §5: σ² = ln(1 + s²/m²), μ = ln m − σ²/2 */
          double m = p[0] * value->scale, s = p[1] * value->scale;
          if (!(m > 0.0) || !(s > 0.0))
            {
              *low = *high = m;
              return;
            }
          double sigma = sqrt (log1p ((s / m) * (s / m)));
          double mu = log (m) - 0.5 * sigma * sigma;
          *low = exp (mu - Z95 * sigma);
          *high = exp (mu + Z95 * sigma);
          return;
        }
    }
  g_assert_not_reached ();
}

/* -1, 0, 1 comparing @a and @b, equal within RANK_TOLERANCE relative. */
static int
compare_tolerant (double a, double b)
{
  if (fabs (a - b) <= RANK_TOLERANCE * MAX (fabs (a), fabs (b)))
    return 0;
  return a < b ? -1 : 1;
}

/* Ranking: swing descending, then |elasticity| descending, then key ascending. */
static gint
compare_rows (gconstpointer pa, gconstpointer pb)
{
  const MoaSensitivity *a = pa, *b = pb;
  int c = compare_tolerant (b->swing, a->swing);
  if (c != 0)
    return c;
  c = compare_tolerant (fabs (b->elasticity), fabs (a->elasticity));
  if (c != 0)
    return c;
  c = g_strcmp0 (a->key, b->key);
  if (c != 0)
    return c;
  return a->param < b->param ? -1 : a->param > b->param;
}

/* Returns a new GArray of MoaSensitivity, one row per parameter of @plan, ranked by swing
 * descending, then by |elasticity| descending (equal within 1e-9 relative), then by key; or
 * NULL with @error set when an evaluation fails (the message names the parameter and the
 * value it was moved to). The total is MoaResult.total.recurring.burden. Derivatives are those
 * of derivative() above: exact up to rounding for parameters the total is affine in, finite
 * differences for branch probabilities and shared-case populations. A branch probability is
 * moved alone: at a gateway with a default branch the default takes up the change, as
 * moa_plan_chain_weights() defines it; at a gateway without a default branch nothing
 * compensates, so the derivative is along that branch alone and the probabilities no longer
 * sum to 1 at the moved value (the same holds for its low and high totals). */
GArray *
moa_sensitivity_compute (const MoaPlan *plan, GError **error)
{
  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  guint n = moa_plan_get_n_params (plan);
  g_autoptr (MoaPlanWorkspace) workspace = moa_plan_workspace_new (plan);
  g_autofree double *x = g_memdup2 (moa_plan_get_means (plan), sizeof (double) * MAX (n, 1));
  g_autofree Role *roles = g_new (Role, MAX (n, 1));
  Eval ev = { plan, workspace, x };

  const MoaTotal *t = moa_plan_evaluate_totals (plan, NULL, workspace, error);
  if (t == NULL)
    return NULL;
  double base = t[MOA_ENTITY_TOTAL].recurring.burden;
  classify (plan, roles);

  g_autoptr (GArray) rows = g_array_sized_new (FALSE, TRUE, sizeof (MoaSensitivity), n);
  for (guint p = 0; p < n; p++)
    {
      const MoaValue *value = moa_plan_get_param (plan, p);
      MoaSensitivity row = { 0 };

      row.param = p;
      row.key = moa_plan_get_param_key (plan, p);
      row.value = x[p];
      if (!derivative (&ev, p, &roles[p], base, &row.derivative, error))
        return NULL;
      row.elasticity = base != 0.0 ? row.derivative * row.value / base : 0.0;

      if (moa_value_is_uncertain (value))
        {
          low_high (value, &row.low_value, &row.high_value);
          if (!total_at (&ev, p, row.low_value, &row.low_total, error)
              || !total_at (&ev, p, row.high_value, &row.high_total, error))
            return NULL;
        }
      else
        {
          row.low_value = row.high_value = row.value;
          row.low_total = row.high_total = base;
        }
      row.swing = fabs (row.high_total - row.low_total);
      g_array_append_val (rows, row);
    }
  g_array_sort (rows, compare_rows);
  return g_steal_pointer (&rows);
}
