/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results of an exact evaluation and their aggregation by obligation, target group, segment
 * and procedure (SCM: AC = sum over obligations and segments of P x Q). */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-error.h"
#include "moa-result-private.h"

const char *const moa_figures_field_names[MOA_FIGURES_N_FIELDS] = {
  "hours",        "external_hours", "internal", "overhead", "external",
  "acquisitions", "out_of_pocket",  "cost",     "bau",      "burden",
};

G_STATIC_ASSERT (sizeof (MoaFigures) == MOA_FIGURES_N_FIELDS * sizeof (double));

void
moa_figures_add_scaled (MoaFigures *acc, const MoaFigures *x, double factor)
{
  g_return_if_fail (acc != NULL && x != NULL);
  double *a = MOA_FIGURES_ARRAY (acc);
  const double *b = (const double *)x;
  for (guint i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    a[i] += b[i] * factor;
}

MoaResult *
moa_result_new (MoaProcedure *procedure, MoaCostModel *model)
{
  MoaResult *result = g_new0 (MoaResult, 1);
  g_atomic_ref_count_init (&result->ref);
  result->procedure = moa_procedure_ref (procedure);
  result->model = moa_cost_model_ref (model);
  result->activities = g_array_new (FALSE, TRUE, sizeof (MoaActivityResult));
  result->cases = g_array_new (FALSE, TRUE, sizeof (MoaCaseResult));
  result->obligations = g_array_new (FALSE, TRUE, sizeof (MoaTotal));
  result->groups = g_array_new (FALSE, TRUE, sizeof (MoaTotal));
  result->segments = g_array_new (FALSE, TRUE, sizeof (MoaTotal));
  return result;
}

MoaResult *
moa_result_ref (MoaResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref);
  return result;
}

void
moa_result_unref (MoaResult *result)
{
  if (result == NULL || !g_atomic_ref_count_dec (&result->ref))
    return;
  g_array_unref (result->activities);
  g_array_unref (result->cases);
  g_array_unref (result->obligations);
  g_array_unref (result->groups);
  g_array_unref (result->segments);
  moa_procedure_unref (result->procedure);
  moa_cost_model_unref (result->model);
  g_free (result);
}

static MoaTotal *
find_total (GArray *totals, const char *id)
{
  for (guint i = 0; i < totals->len; i++)
    {
      MoaTotal *t = &g_array_index (totals, MoaTotal, i);
      if (g_strcmp0 (t->id, id) == 0)
        return t;
    }
  return NULL;
}

const MoaTotal *
moa_result_get_obligation (const MoaResult *result, const char *id)
{
  g_return_val_if_fail (result != NULL && id != NULL, NULL);
  return find_total (result->obligations, id);
}

const MoaTotal *
moa_result_get_group (const MoaResult *result, const char *id)
{
  g_return_val_if_fail (result != NULL && id != NULL, NULL);
  return find_total (result->groups, id);
}

const MoaTotal *
moa_result_get_segment (const MoaResult *result, const char *id)
{
  g_return_val_if_fail (result != NULL && id != NULL, NULL);
  return find_total (result->segments, id);
}

const MoaActivityResult *
moa_result_get_activity (const MoaResult *result, const char *obligation_id, const char *node_id,
                         const char *segment_id)
{
  g_return_val_if_fail (result != NULL && obligation_id != NULL && node_id != NULL, NULL);
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *ar = &g_array_index (result->activities, MoaActivityResult, i);
      if (g_strcmp0 (ar->obligation->id, obligation_id) == 0
          && g_strcmp0 (ar->node->id, node_id) == 0
          && (segment_id == NULL || g_strcmp0 (ar->segment->id, segment_id) == 0))
        return ar;
    }
  return NULL;
}
