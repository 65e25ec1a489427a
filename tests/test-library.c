/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shipped library: every procedure of procedures/ and every cost model of models/ loads,
 * validates and evaluates to sane figures, and every procedure survives a save and reload. */

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "moa-config.h"
#include "moa.h"
#include "moa-test-support.h"

static char *models_dir;
static char *procedures_dir;
static MoaModelSet *models;

static void
assert_sane_figures (const MoaFigures *f, const char *what, const char *file)
{
  const double *x = MOA_FIGURES_ARRAY ((MoaFigures *)f);
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    if (!isfinite (x[i]) || x[i] < 0)
      fail_msg ("%s: %s.%s = %g, expected a finite non-negative figure", file, what,
                moa_figures_field_names[i], x[i]);
  /* cost = internal + overhead + external + acquisitions + out-of-pocket; burden = cost - bau */
  double sum = f->internal + f->overhead + f->external + f->acquisitions + f->out_of_pocket;
  if (fabs (f->cost - sum) > 1e-9 * MAX (1.0, sum))
    fail_msg ("%s: %s: cost %.17g is not the sum of its parts %.17g", file, what, f->cost, sum);
  if (fabs (f->burden - (f->cost - f->bau)) > 1e-9 * MAX (1.0, f->cost))
    fail_msg ("%s: %s: burden %.17g is not cost - bau", file, what, f->burden);
}

static void
assert_sane_total (const MoaTotal *t, const char *what, const char *file)
{
  g_autofree char *r = g_strdup_printf ("%s.recurring", what);
  g_autofree char *o = g_strdup_printf ("%s.one_off", what);
  if (!isfinite (t->cases) || t->cases < 0)
    fail_msg ("%s: %s.cases = %g", file, what, t->cases);
  assert_sane_figures (&t->recurring, r, file);
  assert_sane_figures (&t->one_off, o, file);
}

static MoaResult *
evaluate_procedure (MoaProcedure *procedure, MoaCostModel *model, const char *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (MoaPlan) plan = moa_plan_new (procedure, model, problems, &error);
  if (plan == NULL)
    fail_msg ("%s under %s: %s", file, model->id, error->message);
  assert_int_equal (problems->len, 0);
  MoaResult *result = moa_plan_evaluate (plan, NULL, &error);
  if (result == NULL)
    fail_msg ("%s under %s: %s", file, model->id, error->message);
  return result;
}

static void
test_models (void **state)
{
  g_autoptr (GPtrArray) paths = moa_test_list_xml (models_dir);
  if (paths->len == 0)
    fail_msg ("no cost models in %s", models_dir);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr (GPtrArray) problems = moa_problems_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaCostModel) model = moa_cost_model_load_file (path, problems, &error);
      if (model == NULL)
        fail_msg ("%s", error->message);
      assert_int_equal (problems->len, 0);
      assert_non_null (model->id);
      assert_non_null (model->currency);
      assert_true (model->price_year > 1990);
      assert_true (isfinite (model->overhead_rate) && model->overhead_rate >= 0);
      assert_int_equal (model->citizen_time_monetised, model->citizen_rate != NULL);
      assert_non_null (moa_model_set_lookup (models, model->id));
      for (guint k = 0; k < model->tariffs->len; k++)
        {
          const MoaTariffProfile *t = g_ptr_array_index (model->tariffs, k);
          double rate = moa_value_mean_or (t->rate, NAN);
          if (!isfinite (rate) || rate < 0)
            fail_msg ("%s: tariff %s has rate %g", path, t->id, rate);
        }
    }
  assert_int_equal (moa_model_set_get_models (models)->len, paths->len);
}

static void
test_procedures (void **state)
{
  g_autoptr (GPtrArray) paths = moa_test_list_xml (procedures_dir);
  if (paths->len == 0)
    fail_msg ("no procedures in %s", procedures_dir);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *file = g_path_get_basename (path);
      g_autoptr (GPtrArray) problems = moa_problems_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, problems, &error);
      if (procedure == NULL)
        fail_msg ("%s", error->message);
      assert_int_equal (problems->len, 0);
      g_ptr_array_add (ids, g_strdup (procedure->id));

      MoaCostModel *model = moa_model_set_lookup (models, procedure->cost_model);
      if (model == NULL)
        fail_msg ("%s: cost model \"%s\" is not shipped in %s", file, procedure->cost_model,
                  models_dir);
      g_autoptr (MoaResult) result = evaluate_procedure (procedure, model, file);

      assert_sane_total (&result->total, "total", file);
      assert_sane_total (&result->citizens, "citizens", file);
      assert_sane_total (&result->businesses, "businesses", file);
      assert_sane_total (&result->administration, "administration", file);
      for (guint k = 0; k < result->obligations->len; k++)
        assert_sane_total (&g_array_index (result->obligations, MoaTotal, k), "obligation", file);
      for (guint k = 0; k < result->cases->len; k++)
        {
          const MoaCaseResult *c = &g_array_index (result->cases, MoaCaseResult, k);
          assert_true (isfinite (c->cases) && c->cases >= 0);
          assert_sane_figures (&c->per_case, "case per_case", file);
          assert_sane_figures (&c->per_year, "case per_year", file);
        }
      for (guint k = 0; k < result->activities->len; k++)
        {
          const MoaActivityResult *a = &g_array_index (result->activities, MoaActivityResult, k);
          if (!isfinite (a->visits) || a->visits < 0)
            fail_msg ("%s: %s/%s: visits %g", file, a->obligation->id, a->node->id, a->visits);
          assert_sane_figures (&a->per_case, "activity per_case", file);
        }
      /* The procedure imposes a burden: otherwise it would not be in the library. */
      double burden = result->total.recurring.burden + result->total.one_off.burden;
      if (!(burden > 0))
        fail_msg ("%s: total burden %g, expected a positive burden", file, burden);

      /* Save and reload: the same model, and the same figures. */
      g_autofree char *xml = moa_procedure_to_xml (procedure);
      assert_non_null (xml);
      g_autoptr (MoaProcedure) again
          = moa_procedure_load_data (xml, strlen (xml), file, NULL, &error);
      if (again == NULL)
        fail_msg ("%s saved and reloaded: %s\n%s", file, error->message, xml);
      if (!moa_procedure_equal (procedure, again))
        fail_msg ("%s: reloaded procedure differs from the original", file);
      g_autoptr (MoaResult) result2 = evaluate_procedure (again, model, file);
      const double *x = MOA_FIGURES_ARRAY (&result->total.recurring);
      const double *y = MOA_FIGURES_ARRAY (&result2->total.recurring);
      for (int f = 0; f < MOA_FIGURES_N_FIELDS; f++)
        if (fabs (x[f] - y[f]) > 1e-12 * MAX (1.0, fabs (x[f])))
          fail_msg ("%s: %s %.17g after reload, %.17g before", file, moa_figures_field_names[f],
                    y[f], x[f]);
    }

  /* Procedure ids are unique across the library. */
  g_ptr_array_sort (ids, moa_test_compare_strings);
  for (guint i = 1; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i - 1), g_ptr_array_index (ids, i)))
      fail_msg ("two shipped procedures have the id %s", (char *)g_ptr_array_index (ids, i));
}

/* Every cost model evaluates: the procedures that name it, or when none does, at least one
 * procedure of the library (the models share standard activity and tariff ids so that a
 * procedure can be evaluated under another model). */
static void
test_models_evaluate (void **state)
{
  g_autoptr (GPtrArray) paths = moa_test_list_xml (procedures_dir);
  g_autoptr (GPtrArray) procedures
      = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_procedure_unref);
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr (GError) error = NULL;
      MoaProcedure *p = moa_procedure_load_file (g_ptr_array_index (paths, i), NULL, &error);
      if (p == NULL)
        fail_msg ("%s", error->message);
      g_ptr_array_add (procedures, p);
    }
  assert_true (procedures->len > 0);

  GPtrArray *list = moa_model_set_get_models (models);
  for (guint m = 0; m < list->len; m++)
    {
      MoaCostModel *model = g_ptr_array_index (list, m);
      guint named = 0, evaluated = 0;
      for (guint i = 0; i < procedures->len; i++)
        {
          MoaProcedure *p = g_ptr_array_index (procedures, i);
          if (g_strcmp0 (p->cost_model, model->id) != 0)
            continue;
          named++;
          g_autoptr (MoaResult) r = evaluate_procedure (p, model, p->id);
          evaluated++;
        }
      if (named > 0)
        continue;
      for (guint i = 0; i < procedures->len && evaluated == 0; i++)
        {
          MoaProcedure *p = g_ptr_array_index (procedures, i);
          g_autoptr (GError) error = NULL;
          g_autoptr (MoaPlan) plan = moa_plan_new (p, model, NULL, &error);
          if (plan == NULL)
            continue;
          g_autoptr (MoaResult) r = moa_plan_evaluate (plan, NULL, &error);
          if (r == NULL)
            fail_msg ("%s under %s: %s", p->id, model->id, error->message);
          assert_sane_total (&r->total, "total", p->id);
          evaluated++;
        }
      if (evaluated == 0)
        fail_msg ("cost model %s evaluates no shipped procedure", model->id);
    }
}

static int
group_setup (void **state)
{
  g_autoptr (GError) error = NULL;
  const char *env = g_getenv ("MOA_MODELS_DIR");
  models_dir = env != NULL ? g_strdup (env) : moa_default_models_dir ();
  procedures_dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return -1;
    }
  return 0;
}

static int
group_teardown (void **state)
{
  g_clear_pointer (&models, moa_model_set_free);
  g_clear_pointer (&models_dir, g_free);
  g_clear_pointer (&procedures_dir, g_free);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_models),
    cmocka_unit_test (test_procedures),
    cmocka_unit_test (test_models_evaluate),
  };
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
