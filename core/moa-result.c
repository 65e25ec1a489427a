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
  g_ref_count_init (&result->ref);
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
  g_ref_count_inc (&result->ref);
  return result;
}

void
moa_result_unref (MoaResult *result)
{
  if (result == NULL || !g_ref_count_dec (&result->ref))
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

static void
add_to (MoaTotal *total, const MoaObligation *obligation, const MoaFigures *per_year)
{
  moa_figures_add_scaled (obligation->one_off ? &total->one_off : &total->recurring, per_year, 1.0);
}

static gboolean
figures_finite (const MoaFigures *f)
{
  const double *a = (const double *)f;
  for (guint i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    if (!isfinite (a[i]))
      return FALSE;
  return TRUE;
}

gboolean
moa_result_aggregate (MoaResult *result, GError **error)
{
  MoaProcedure *procedure = result->procedure;

  for (guint o = 0; o < procedure->obligations->len; o++)
    {
      MoaObligation *obligation = g_ptr_array_index (procedure->obligations, o);
      MoaTotal t = { 0 };
      t.id = obligation->id;
      g_array_append_val (result->obligations, t);
    }
  for (guint g = 0; g < procedure->target_groups->len; g++)
    {
      MoaTargetGroup *group = g_ptr_array_index (procedure->target_groups, g);
      MoaTotal t = { 0 };
      t.id = group->id;
      t.kind = group->kind;
      g_array_append_val (result->groups, t);
      for (guint s = 0; s < group->segments->len; s++)
        {
          MoaSegment *segment = g_ptr_array_index (group->segments, s);
          MoaTotal st = { 0 };
          st.id = segment->id;
          st.kind = group->kind;
          g_array_append_val (result->segments, st);
        }
    }
  result->citizens.id = result->businesses.id = result->administration.id = result->total.id
      = procedure->id;
  result->citizens.kind = MOA_TARGET_CITIZEN;
  result->businesses.kind = MOA_TARGET_BUSINESS;
  result->administration.kind = MOA_TARGET_ADMINISTRATION;

  /* the burden on citizens and businesses: administration-paid rows are kept apart */
  /* (case row, office) pairs already counted */
  GHashTable *admin_cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0, a = 0; i < result->cases->len; i++)
    {
      MoaCaseResult *row = &g_array_index (result->cases, MoaCaseResult, i);
      MoaTotal *obligation = find_total (result->obligations, row->obligation->id);
      MoaTotal *group = find_total (result->groups, row->group->id);
      MoaTotal *segment = find_total (result->segments, row->segment->id);
      MoaTotal *kind_total = row->group->kind == MOA_TARGET_CITIZEN    ? &result->citizens
                             : row->group->kind == MOA_TARGET_BUSINESS ? &result->businesses
                                                                       : NULL;

      /* activity rows were appended chain by chain, in the same order as the case rows */
      for (; a < result->activities->len; a++)
        {
          MoaActivityResult *ar = &g_array_index (result->activities, MoaActivityResult, a);
          if (ar->obligation != row->obligation || ar->segment != row->segment)
            break;
          MoaTotal *payer = find_total (result->groups, ar->payer->id);
          if (ar->payer->kind == MOA_TARGET_ADMINISTRATION)
            {
              add_to (&result->administration, row->obligation, &ar->per_year);
              add_to (payer, row->obligation, &ar->per_year);
              MoaSegment *first = g_ptr_array_index (ar->payer->segments, 0);
              add_to (find_total (result->segments, first->id), row->obligation, &ar->per_year);
              /* an office handles each case once, however many of its activities it does */
              char *key = g_strdup_printf ("%u/%s", i, ar->payer->id);
              if (g_hash_table_add (admin_cases, key) && !row->obligation->one_off)
                {
                  payer->cases += row->cases;
                  find_total (result->segments, first->id)->cases += row->cases;
                  /* and the administration as a whole once per case */
                  if (g_hash_table_add (admin_cases, g_strdup_printf ("%u", i)))
                    result->administration.cases += row->cases;
                }
              continue;
            }
          moa_figures_add_scaled (&row->per_case, &ar->per_case, 1.0);
          add_to (payer, row->obligation, &ar->per_year);
          if (payer->id == group->id)
            add_to (segment, row->obligation, &ar->per_year);
          else
            {
              /* another citizen or business group does it: its first segment bears it */
              MoaSegment *first = g_ptr_array_index (ar->payer->segments, 0);
              add_to (find_total (result->segments, first->id), row->obligation, &ar->per_year);
            }
          MoaTotal *payer_kind
              = ar->payer->kind == MOA_TARGET_CITIZEN ? &result->citizens : &result->businesses;
          add_to (payer_kind, row->obligation, &ar->per_year);
          add_to (&result->total, row->obligation, &ar->per_year);
        }
      moa_figures_add_scaled (&row->per_year, &row->per_case, row->cases);
      add_to (obligation, row->obligation, &row->per_year);

      /* cases: yearly ones for recurring obligations; the obligation row also counts one-off */
      obligation->cases += row->cases;
      if (!row->obligation->one_off)
        {
          group->cases += row->cases;
          segment->cases += row->cases;
          if (kind_total != NULL)
            kind_total->cases += row->cases;
          result->total.cases += row->cases;
        }
    }
  g_hash_table_unref (admin_cases);

  /* per case: the mean over segments weighted by cases; the procedure's is one complete
   * execution of every recurring obligation by an average addressee */
  for (guint o = 0; o < result->obligations->len; o++)
    {
      MoaTotal *t = &g_array_index (result->obligations, MoaTotal, o);
      guint n_rows = 0;
      MoaFigures unweighted = { 0 };
      for (guint i = 0; i < result->cases->len; i++)
        {
          MoaCaseResult *row = &g_array_index (result->cases, MoaCaseResult, i);
          if (g_strcmp0 (row->obligation->id, t->id) != 0)
            continue;
          n_rows++;
          moa_figures_add_scaled (&unweighted, &row->per_case, 1.0);
          if (t->cases > 0.0)
            moa_figures_add_scaled (&t->per_case, &row->per_case, row->cases / t->cases);
        }
      if (t->cases <= 0.0 && n_rows > 0)
        moa_figures_add_scaled (&t->per_case, &unweighted, 1.0 / n_rows);
      MoaObligation *obligation = g_ptr_array_index (procedure->obligations, o);
      if (!obligation->one_off)
        moa_figures_add_scaled (&result->total.per_case, &t->per_case, 1.0);
      if (!figures_finite (&t->recurring) || !figures_finite (&t->one_off)
          || !figures_finite (&t->per_case))
        {
          g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                       _ ("%s: obligation \"%s\": a figure is not finite"),
                       procedure->file != NULL ? procedure->file : procedure->id, t->id);
          return FALSE;
        }
    }
  return TRUE;
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
