/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shipped scenarios: every file of procedures/scenarios/ loads, applies, evaluates under the
 * shipped cost models and saves a finite, positive amount; every shipped procedure has one;
 * and the dehors scenario's saving matches the hand calculation below. */

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
#include "moa-compare.h"
#include "moa-scenario.h"
#include "moa-test-support.h"

static char *models_dir;
static char *procedures_dir;
static char *scenarios_dir;
static MoaModelSet *models;

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isspace (*c))
      return FALSE;
  return TRUE;
}

static MoaScenario *
load_scenario (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  MoaScenario *scenario = moa_scenario_load_file (path, problems, &error);
  if (scenario == NULL)
    fail_msg ("%s", error->message);
  if (problems->len > 0)
    fail_msg ("%s: %u problem(s), the first: %s", path, problems->len,
              ((MoaProblem *)g_ptr_array_index (problems, 0))->message);
  return scenario;
}

static void
assert_finite_figures (const MoaFigures *f, const char *what, const char *file)
{
  const double *x = MOA_FIGURES_ARRAY ((MoaFigures *)f);
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    if (!isfinite (x[i]) || x[i] < 0)
      fail_msg ("%s: %s.%s = %g, expected a finite non-negative figure", file, what,
                moa_figures_field_names[i], x[i]);
}

/* Plans and evaluates @procedure under its own shipped cost model: no problem, finite
 * non-negative totals. */
static void
assert_evaluates (MoaProcedure *procedure, const char *what, const char *file)
{
  MoaCostModel *model = moa_model_set_lookup (models, procedure->cost_model);
  if (model == NULL)
    fail_msg ("%s (%s): cost model \"%s\" is not shipped in %s", file, what, procedure->cost_model,
              models_dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (MoaPlan) plan = moa_plan_new (procedure, model, problems, &error);
  if (plan == NULL)
    fail_msg ("%s (%s): %s", file, what, error->message);
  if (problems->len > 0)
    fail_msg ("%s (%s): %s", file, what, ((MoaProblem *)g_ptr_array_index (problems, 0))->message);
  g_autoptr (MoaResult) result = moa_plan_evaluate (plan, NULL, &error);
  if (result == NULL)
    fail_msg ("%s (%s): %s", file, what, error->message);
  assert_finite_figures (&result->total.recurring, "total.recurring", file);
  assert_finite_figures (&result->total.one_off, "total.one_off", file);
  assert_finite_figures (&result->administration.recurring, "administration.recurring", file);
}

/* The comparison of @scenario with its own baseline (the chain's procedure with the parents'
 * measures applied). */
static MoaComparison *
compare_scenario (const MoaScenario *scenario, const char *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) before = moa_scenario_apply_parents (scenario, &error);
  if (before == NULL)
    fail_msg ("%s: parents: %s", file, error->message);
  g_autoptr (MoaProcedure) after = moa_scenario_apply (scenario, G_MAXUINT, -1, &error);
  if (after == NULL)
    fail_msg ("%s: %s", file, error->message);
  MoaCompareOptions options;
  moa_compare_options_init (&options);
  MoaComparison *comparison
      = moa_compare (before, after, scenario, models, NULL, &options, NULL, NULL, NULL, &error);
  if (comparison == NULL)
    fail_msg ("%s: compare: %s", file, error->message);
  return comparison;
}

/* The saving of the total (citizens + businesses) entity. */
static const MoaEntitySaving *
total_saving (const MoaComparison *comparison, const char *file)
{
  GArray *entities = moa_comparison_get_entities (comparison);
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      if (e->kind == MOA_ENTITY_TOTAL)
        return e;
    }
  fail_msg ("%s: the comparison has no total entity", file);
  return NULL;
}

static void
test_every_scenario (void **state)
{
  g_autoptr (GPtrArray) paths = moa_test_list_xml (scenarios_dir);
  if (paths->len == 0)
    fail_msg ("no scenarios in %s", scenarios_dir);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint chained = 0;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *file = g_path_get_basename (path);
      g_autoptr (MoaScenario) scenario = load_scenario (path);
      g_ptr_array_add (ids, g_strdup (moa_scenario_get_id (scenario)));
      if (moa_scenario_get_parent (scenario) != NULL)
        chained++;
      assert_true (moa_scenario_get_one_off_years (scenario) > 0);

      GPtrArray *measures = moa_scenario_get_measures (scenario);
      if (measures->len == 0)
        fail_msg ("%s: no measures", file);
      for (guint k = 0; k < measures->len; k++)
        {
          const MoaMeasure *m = g_ptr_array_index (measures, k);
          /* every measure says why and where its numbers come from (docs/scenario-format.md) */
          if (is_blank (m->justification))
            fail_msg ("%s: measure %s has no justification", file, m->id);
          if (is_blank (m->source))
            fail_msg ("%s: measure %s has no source", file, m->id);
        }

      /* The baseline, each prefix of the measures and each measure alone all plan and
       * evaluate. */
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaProcedure) before = moa_scenario_apply_parents (scenario, &error);
      if (before == NULL)
        fail_msg ("%s: parents: %s", file, error->message);
      assert_evaluates (before, "baseline", file);
      for (guint k = 1; k <= measures->len; k++)
        {
          g_autoptr (MoaProcedure) p = moa_scenario_apply (scenario, k, -1, &error);
          if (p == NULL)
            fail_msg ("%s: first %u measure(s): %s", file, k, error->message);
          g_autofree char *what = g_strdup_printf ("first %u measure(s)", k);
          assert_evaluates (p, what, file);
        }
      for (guint k = 0; k < measures->len; k++)
        {
          g_autoptr (MoaProcedure) p = moa_scenario_apply (scenario, G_MAXUINT, (int)k, &error);
          if (p == NULL)
            fail_msg ("%s: measure %u alone: %s", file, k, error->message);
          g_autofree char *what = g_strdup_printf ("measure %u alone", k);
          assert_evaluates (p, what, file);
        }

      /* The saving: finite, positive (every shipped scenario is a simplification), below
       * the whole burden, and the cumulative savings of the measures add up to it. */
      g_autoptr (MoaComparison) comparison = compare_scenario (scenario, file);
      const MoaEntitySaving *total = total_saving (comparison, file);
      if (!isfinite (total->saving) || !isfinite (total->saving_percent))
        fail_msg ("%s: saving %g (%g %%), expected finite", file, total->saving,
                  total->saving_percent);
      if (!(total->saving > 0 && total->saving_percent > 0 && total->saving_percent < 100))
        fail_msg ("%s: saving %g (%g %%), expected a positive saving below 100 %%", file,
                  total->saving, total->saving_percent);
      GArray *ms = moa_comparison_get_measures (comparison);
      assert_int_equal (ms->len, measures->len);
      double sum = 0;
      for (guint k = 0; k < ms->len; k++)
        {
          const MoaMeasureSaving *m = &g_array_index (ms, MoaMeasureSaving, k);
          if (!isfinite (m->cumulative) || !isfinite (m->alone) || !isfinite (m->one_off_added))
            fail_msg ("%s: measure %s: cumulative %g, alone %g, one-off %g", file, m->measure->id,
                      m->cumulative, m->alone, m->one_off_added);
          sum += m->cumulative;
        }
      if (fabs (sum - total->saving) > 1e-9 * MAX (1.0, fabs (total->saving)))
        fail_msg ("%s: the measures' cumulative savings add up to %.17g, the total saving is "
                  "%.17g",
                  file, sum, total->saving);
      double one_off = moa_comparison_get_one_off (comparison);
      if (!isfinite (one_off) || one_off < 0)
        fail_msg ("%s: one-off cost of the change %g, expected finite and >= 0", file, one_off);
    }

  /* Scenario ids are unique across the library. */
  g_ptr_array_sort (ids, moa_test_compare_strings);
  for (guint i = 1; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i - 1), g_ptr_array_index (ids, i)))
      fail_msg ("two shipped scenarios have the id %s", (char *)g_ptr_array_index (ids, i));

  /* At least one second phase, so that baseline chains are exercised. */
  if (chained == 0)
    fail_msg ("no shipped scenario has another scenario as its baseline");
}

/* Every shipped procedure is the baseline (at the bottom of the chain) of some scenario. */
static void
test_every_procedure_covered (void **state)
{
  g_autoptr (GHashTable) covered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) scenarios = moa_test_list_xml (scenarios_dir);
  for (guint i = 0; i < scenarios->len; i++)
    {
      g_autoptr (MoaScenario) s = load_scenario (g_ptr_array_index (scenarios, i));
      g_hash_table_add (covered, g_strdup (moa_scenario_get_baseline (s)->id));
    }

  g_autoptr (GPtrArray) procedures = moa_test_list_xml (procedures_dir);
  assert_true (procedures->len > 0);
  for (guint i = 0; i < procedures->len; i++)
    {
      const char *path = g_ptr_array_index (procedures, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaProcedure) p = moa_procedure_load_file (path, NULL, &error);
      if (p == NULL)
        fail_msg ("%s", error->message);
      if (!g_hash_table_contains (covered, p->id))
        fail_msg ("%s: procedure %s has no scenario in %s", path, p->id, scenarios_dir);
    }
}

/* Burden per case of the dehors application for one segment (docs/procedure-format.md,
 * "Working it out by hand", steps 1-3): own time at @rate EUR/h with 25 % overhead; the
 * technician (2 h at 48.15 EUR/h, no overhead) with probability @p_tech, the firm's own
 * 60-minute plan otherwise; the integration loop repeated with probability @r; two EUR 16
 * stamps; filing (1 min) with a BAU share of 0.5. */
static double
dehors_burden_per_case (double rate, double p_tech, double r)
{
  double per_min = rate / 60.0 * 1.25;
  double own_min = 5                   /* familiarizzazione (familiarisation, medium) */
                   + (1 - p_tech) * 60 /* planimetria-propria, triangular(30, 60, 90) */
                   + 30                /* compilazione */
                   + 5                 /* bolli */
                   + 1 / (1 - r) * 1   /* invio (transmission, simple), in the loop */
                   + r / (1 - r) * 30  /* integrazione */
                   + 1;                /* archiviazione (copying-archiving, simple) */
  double cost = own_min * per_min + p_tech * 2 * 48.15 + 2 * 16.0;
  double bau = 0.5 * 1 * per_min;
  return cost - bau;
}

/* dehors-concessione-biennale.xml worked out by hand with the it-moa 2024.1 figures
 * (titolare-impresa 46.80 EUR/h for micro firms, impiegato-amministrativo 27.83 EUR/h for
 * small ones):
 *   before: 10,000 micro cases x 157.41875 + 1,000 small x 142.0559144 = 1,716,243.41;
 *   after:  the technician's share drops to 0.2 (micro) and 0.5 (small) and the cases halve
 *           (frequency 0.125): 5,000 x 146.07875 + 500 x 123.6021644 = 792,194.83, plus the
 *           10-minute confirmation, 5,000 x 9.75 + 500 x 5.7979167 = 51,648.96;
 *           after = 843,843.79;
 *   saving = 872,399.62, 50.83 % of the before. */
static void
test_dehors_by_hand (void **state)
{
  g_autofree char *path = g_build_filename (scenarios_dir, "dehors-concessione-biennale.xml", NULL);
  g_autoptr (MoaScenario) scenario = load_scenario (path);
  g_autoptr (MoaComparison) comparison = compare_scenario (scenario, path);

  double before = 10000 * dehors_burden_per_case (46.80, 0.5, 0.2)
                  + 1000 * dehors_burden_per_case (27.83, 0.8, 0.1);
  double after = 5000 * dehors_burden_per_case (46.80, 0.2, 0.2)
                 + 500 * dehors_burden_per_case (27.83, 0.5, 0.1) + 5000 * 10.0 / 60 * 46.80 * 1.25
                 + 500 * 10.0 / 60 * 27.83 * 1.25;
  /* the arithmetic above, checked against the rounded figures of the comment */
  assert_true (fabs (before - 1716243.41) < 0.01);
  assert_true (fabs (after - 843843.79) < 0.01);

  const MoaEntitySaving *total = total_saving (comparison, path);
  double tol = 1e-9 * before;
  if (fabs (total->before.burden - before) > tol || fabs (total->after.burden - after) > tol
      || fabs (total->saving - (before - after)) > tol
      || fabs (total->saving_percent - (before - after) / before * 100) > 1e-9)
    fail_msg ("dehors: before %.17g (expected %.17g), after %.17g (expected %.17g), saving "
              "%.17g %% (expected %.17g %%)",
              total->before.burden, before, total->after.burden, after, total->saving_percent,
              (before - after) / before * 100);

  /* No one-off cost: the pay-back period is not defined. */
  assert_true (moa_comparison_get_one_off (comparison) == 0);
  assert_true (isnan (moa_comparison_get_payback_years (comparison)));
}

static int
group_setup (void **state)
{
  g_autoptr (GError) error = NULL;
  const char *env = g_getenv ("MOA_MODELS_DIR");
  models_dir = env != NULL ? g_strdup (env) : moa_default_models_dir ();
  procedures_dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  scenarios_dir = g_build_filename (procedures_dir, "scenarios", NULL);
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
  g_clear_pointer (&scenarios_dir, g_free);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_every_scenario),
    cmocka_unit_test (test_every_procedure_covered),
    cmocka_unit_test (test_dehors_by_hand),
  };
  return cmocka_run_group_tests (tests, group_setup, group_teardown);
}
