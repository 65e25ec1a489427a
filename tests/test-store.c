/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The result store: a unit written and read back as the report (totals equal to the
 * comparison's, intervals from the per-iteration samples summed by hand), territories scaled by
 * their share, atomic writes, the migration of a version-1 store, the refusal of newer and
 * foreign files, and reading while another connection writes (WAL). */

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "moa-config.h"
#include "moa.h"
#include "moa-catalog.h"
#include "moa-compare.h"
#include "moa-scenario.h"
#include "moa-simulation.h"
#include "moa-stats.h"
#include "moa-store.h"
#include "moa-test-support.h"

#define ITERATIONS 200

static MoaModelSet *models; /* the shipped cost models ($MOA_MODELS_DIR) */

/* A file of the bundled library: procedures/NAME or procedures/scenarios/NAME. */
static char *
library_path (const char *name)
{
  return g_build_filename (moa_test_srcdir (), "..", "procedures", name, NULL);
}

/* A new empty folder for the stores of one test. */
static char *
temp_dir (void)
{
  return moa_test_make_tmp_dir ("moa-test-store-XXXXXX");
}

/* cmocka has fail_msg() but no line-aware variant: report the caller's line. */
static void G_GNUC_PRINTF (3, 4) _fail_msg_at (const char *file, int line, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  print_error ("%s:%d: %s\n", file, line, message);
  _fail (file, line);
}

static void
assert_close_impl (double actual, double expected, const char *what, const char *file, int line)
{
  double tolerance = 1e-9 * fmax (fabs (actual), fabs (expected)) + 1e-12;
  if (!(fabs (actual - expected) <= tolerance))
    _fail_msg_at (file, line, "%s: %.17g, expected %.17g", what, actual, expected);
}
#define assert_close(a, e, what) assert_close_impl ((a), (e), (what), __FILE__, __LINE__)

/* --- units built with moa_compare ------------------------------------------------------------ */

typedef struct
{
  MoaScenario *scenario; /* NULL: the procedure alone */
  MoaProcedure *procedure;
  MoaProcedure *after;
  MoaComparison *comparison;
  MoaPlan *plan;             /* without a scenario */
  MoaSimulation *simulation; /* without a scenario, with iterations */
  MoaResult *before;
  char *file;
  char *scenario_file;
  MoaStoreScenario store_scenario;
  MoaStoreUnit unit;
} TestUnit;

static void
test_unit_free (TestUnit *t)
{
  g_clear_pointer (&t->comparison, moa_comparison_free);
  g_clear_pointer (&t->simulation, moa_simulation_free);
  g_clear_pointer (&t->plan, moa_plan_free);
  g_clear_pointer (&t->before, moa_result_unref);
  g_clear_pointer (&t->after, moa_procedure_unref);
  g_clear_pointer (&t->procedure, moa_procedure_unref);
  g_clear_pointer (&t->scenario, moa_scenario_free);
  g_free (t->file);
  g_free (t->scenario_file);
  g_free (t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestUnit, test_unit_free)

/* The unit of bundled procedure @procedure_name, compared with scenario @scenario_name (the
 * programme) when not NULL, as moa batch builds it: @iterations paired iterations on @seed. */
static TestUnit *
make_unit (const char *procedure_name, const char *scenario_name, guint iterations, guint64 seed)
{
  g_autoptr (GError) error = NULL;
  TestUnit *t = g_new0 (TestUnit, 1);
  t->file = library_path (procedure_name);
  if (scenario_name != NULL)
    {
      g_autofree char *name = g_build_filename ("scenarios", scenario_name, NULL);
      t->scenario_file = library_path (name);
      t->scenario = moa_scenario_load_file (t->scenario_file, NULL, &error);
      if (t->scenario == NULL)
        fail_msg ("%s", error->message);
      t->procedure = moa_procedure_ref (moa_scenario_get_baseline (t->scenario));
      t->after = moa_scenario_apply (t->scenario, G_MAXUINT, -1, &error);
      if (t->after == NULL)
        fail_msg ("%s", error->message);
      MoaCompareOptions options;
      moa_compare_options_init (&options);
      options.iterations = iterations;
      options.seed = seed;
      t->comparison = moa_compare (t->procedure, t->after, t->scenario, models, NULL, &options,
                                   NULL, NULL, NULL, &error);
      if (t->comparison == NULL)
        fail_msg ("%s", error->message);
      t->before = moa_result_ref (moa_comparison_get_before (t->comparison));
      t->store_scenario.file = t->scenario_file;
      t->store_scenario.scenario = t->scenario;
      t->store_scenario.programme = TRUE;
      t->store_scenario.comparison = t->comparison;
      t->unit.scenarios = &t->store_scenario;
      t->unit.n_scenarios = 1;
    }
  else
    {
      t->procedure = moa_procedure_load_file (t->file, NULL, &error);
      if (t->procedure == NULL)
        fail_msg ("%s", error->message);
      MoaCostModel *model = moa_model_set_lookup (models, t->procedure->cost_model);
      assert_non_null (model);
      t->plan = moa_plan_new (t->procedure, model, NULL, &error);
      if (t->plan == NULL)
        fail_msg ("%s", error->message);
      t->before = moa_plan_evaluate (t->plan, NULL, &error);
      if (t->before == NULL)
        fail_msg ("%s", error->message);
      if (iterations > 0)
        {
          MoaSimulationOptions so;
          moa_simulation_options_init (&so);
          so.iterations = iterations;
          so.seed = seed;
          t->simulation = moa_simulate (t->plan, &so, NULL, NULL, NULL, &error);
          if (t->simulation == NULL)
            fail_msg ("%s", error->message);
        }
    }
  t->unit.file = t->file;
  t->unit.procedure = t->procedure;
  t->unit.before = t->before;
  t->unit.simulation = t->simulation;
  return t;
}

/* The exact after of @t: the programme's, or the baseline. */
static const MoaResult *
unit_after (const TestUnit *t)
{
  return t->comparison != NULL ? moa_comparison_get_after (t->comparison) : t->before;
}

static const char *const hash_a
    = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char *const hash_b
    = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

static gint64
begin_test_run (MoaStore *store, guint iterations, guint units, const MoaCatalog *catalog)
{
  g_autoptr (GError) error = NULL;
  MoaStoreRun run = { 0 };
  run.catalog_id = (char *)"prova-store";
  run.catalog_file = (char *)"catalog.xml";
  run.catalog_sha256 = (char *)hash_a;
  run.inputs_sha256 = (char *)hash_b;
  run.moa_version = (char *)PACKAGE_VERSION;
  run.seed = 7;
  run.iterations = iterations;
  run.cost_model = (char *)"it-moa";
  run.cost_model_version = (char *)"2024.1";
  run.price_year = 2024;
  run.currency = (char *)"EUR";
  run.units_total = units;
  MoaStoreInput inputs[] = {
    { "catalog.xml", "catalog", hash_a },
    { "procedures/x.xml", "procedure", hash_b },
  };
  gint64 id = moa_store_begin_run (store, &run, inputs, G_N_ELEMENTS (inputs), catalog, &error);
  if (id <= 0)
    fail_msg ("begin_run: %s", error != NULL ? error->message : "no error");
  return id;
}

static void
write_unit (MoaStore *store, gint64 run_id, const MoaCatalog *catalog, TestUnit *t)
{
  g_autoptr (GError) error = NULL;
  if (!moa_store_write_unit (store, run_id, catalog, &t->unit, &error))
    fail_msg ("write_unit %s: %s", t->procedure->id, error->message);
}

static gint64
query (MoaStore *store, const char *sql)
{
  g_autoptr (GError) error = NULL;
  gint64 result = -1;
  if (!moa_store_exec_for_tests (store, sql, &result, &error))
    fail_msg ("%s: %s", sql, error->message);
  return result;
}

static void
exec_sql (MoaStore *store, const char *sql)
{
  g_autoptr (GError) error = NULL;
  if (!moa_store_exec_for_tests (store, sql, NULL, &error))
    fail_msg ("%s: %s", sql, error->message);
}

static MoaStore *
open_store (const char *path, gboolean create)
{
  g_autoptr (GError) error = NULL;
  MoaStore *store = moa_store_open (path, create, &error);
  if (store == NULL)
    fail_msg ("%s", error->message);
  return store;
}

/* --- statistics by hand ---------------------------------------------------------------------- */

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* Mean, sample sd (n - 1), and the type-7 quantiles P5, P50, P95 of @x, computed here from
 * their definitions (not with moa-stats). */
static void
hand_interval (const double *x, guint n, MoaReportInterval *out)
{
  double sum = 0.0;
  for (guint i = 0; i < n; i++)
    sum += x[i];
  double mean = sum / n, ss = 0.0;
  for (guint i = 0; i < n; i++)
    ss += (x[i] - mean) * (x[i] - mean);
  g_autofree double *sorted = g_memdup2 (x, sizeof (double) * n);
  qsort (sorted, n, sizeof (double), compare_doubles);
  double p[3] = { 0.05, 0.50, 0.95 }, q[3];
  for (int k = 0; k < 3; k++)
    {
      double h = (n - 1) * p[k];
      guint lo = (guint)floor (h);
      q[k] = lo + 1 < n ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
    }
  out->n = n;
  out->mean = mean;
  out->sd = sqrt (ss / (n - 1));
  out->p5 = q[0];
  out->p50 = q[1];
  out->p95 = q[2];
}

static void
assert_interval (const MoaReportInterval *actual, const MoaReportInterval *expected,
                 const char *what)
{
  g_autofree char *n = g_strdup_printf ("%s: n", what);
  assert_int_equal (actual->n, expected->n);
  g_autofree char *mean = g_strdup_printf ("%s: mean", what);
  assert_close (actual->mean, expected->mean, mean);
  g_autofree char *sd = g_strdup_printf ("%s: sd", what);
  assert_close (actual->sd, expected->sd, sd);
  g_autofree char *p5 = g_strdup_printf ("%s: p5", what);
  assert_close (actual->p5, expected->p5, p5);
  g_autofree char *p50 = g_strdup_printf ("%s: p50", what);
  assert_close (actual->p50, expected->p50, p50);
  g_autofree char *p95 = g_strdup_printf ("%s: p95", what);
  assert_close (actual->p95, expected->p95, p95);
}

static void
assert_interval_stat (const MoaReportInterval *actual, const MoaStat *expected, guint n,
                      const char *what)
{
  MoaReportInterval e
      = { n, expected->mean, expected->sd, expected->p5, expected->p50, expected->p95 };
  assert_interval (actual, &e, what);
}

/* --- round trip of one procedure ------------------------------------------------------------- */

static const MoaReportProcedure *
find_page (const MoaReport *report, const char *id)
{
  for (guint i = 0; i < report->procedures->len; i++)
    {
      const MoaReportProcedure *p = g_ptr_array_index (report->procedures, i);
      if (g_strcmp0 (p->id, id) == 0)
        return p;
    }
  fail_msg ("procedure \"%s\" is not in the report", id);
  return NULL;
}

static void
test_round_trip (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TestUnit) t = make_unit ("occupazione-suolo-dehors.xml",
                                      "dehors-concessione-biennale.xml", ITERATIONS, 2024);
  const MoaComparison *c = t->comparison;
  const MoaResult *before = moa_comparison_get_before (c);
  const MoaResult *after = moa_comparison_get_after (c);

  {
    g_autoptr (MoaStore) store = open_store (path, TRUE);
    assert_int_equal (moa_store_get_schema_version (store), MOA_STORE_SCHEMA_VERSION);
    gint64 run_id = begin_test_run (store, ITERATIONS, 1, NULL);

    /* not complete before its unit is in */
    assert_false (moa_store_finish_run (store, run_id, &error));
    assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED));
    g_clear_error (&error);
    assert_null (moa_store_get_run (store, 0, &error));
    assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN));
    g_clear_error (&error);

    write_unit (store, run_id, NULL, t);
    g_autoptr (GHashTable) done = moa_store_get_done_units (store, run_id, &error);
    assert_non_null (done);
    assert_int_equal (g_hash_table_size (done), 1);
    assert_true (g_hash_table_contains (done, "occupazione-suolo-dehors"));
    if (!moa_store_finish_run (store, run_id, &error))
      fail_msg ("%s", error->message);
  }

  /* read back through a new connection */
  g_autoptr (MoaStore) store = open_store (path, FALSE);
  g_autoptr (GPtrArray) runs = moa_store_list_runs (store, &error);
  assert_non_null (runs);
  assert_int_equal (runs->len, 1);
  const MoaStoreRun *run = g_ptr_array_index (runs, 0);
  assert_string_equal (run->status, "complete");
  assert_non_null (run->finished_at);
  assert_int_equal (run->units_done, 1);
  assert_int_equal (run->units_total, 1);
  assert_int_equal (run->seed, 7);
  assert_int_equal (run->iterations, ITERATIONS);
  assert_string_equal (run->catalog_sha256, hash_a);

  g_autoptr (MoaReport) report = moa_store_read_report (store, 0, &error);
  if (report == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (report->run_id, run->id);
  assert_int_equal (report->iterations, ITERATIONS);
  assert_string_equal (report->cost_model, "it-moa");
  assert_int_equal (report->price_year, 2024);
  assert_int_equal (report->inputs->len, 2);
  assert_string_equal (((MoaReportInput *)g_ptr_array_index (report->inputs, 0))->role, "catalog");

  /* totals: the comparison's exact figures */
  const MoaReportTotals *tot = &report->totals;
  assert_close (tot->burden.before, before->total.recurring.burden, "burden before");
  assert_close (tot->burden.after, after->total.recurring.burden, "burden after");
  assert_close (tot->burden.saving, before->total.recurring.burden - after->total.recurring.burden,
                "saving");
  assert_close (tot->burden.saving_percent,
                (before->total.recurring.burden - after->total.recurring.burden)
                    / before->total.recurring.burden * 100.0,
                "saving %");
  assert_close (tot->citizens_hours.before, before->citizens.recurring.hours, "hours before");
  assert_close (tot->citizens_hours.after, after->citizens.recurring.hours, "hours after");
  assert_close (tot->citizens_cost.before, before->citizens.recurring.burden, "citizens before");
  assert_close (tot->businesses.before, before->businesses.recurring.burden, "businesses before");
  assert_close (tot->businesses.after, after->businesses.recurring.burden, "businesses after");
  assert_close (tot->one_off, moa_comparison_get_one_off (c), "one-off");

  /* intervals: the comparison's statistics of the paired saving, and the simulations' of
   * each side */
  assert_interval_stat (&tot->burden.saving_interval, moa_comparison_get_saving_stat (c),
                        ITERATIONS, "saving interval");
  assert_interval_stat (&tot->citizens_hours.saving_interval,
                        moa_comparison_get_citizens_hours_stat (c), ITERATIONS,
                        "citizens' hours saving interval");
  assert_interval_stat (&tot->businesses.saving_interval, moa_comparison_get_businesses_stat (c),
                        ITERATIONS, "businesses' saving interval");
  const MoaSimulation *bs = moa_comparison_get_before_simulation (c);
  const MoaSimulation *as = moa_comparison_get_after_simulation (c);
  assert_non_null (bs);
  assert_non_null (as);
  assert_interval_stat (&tot->burden.before_interval,
                        moa_simulation_get_stat (bs, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN),
                        ITERATIONS, "before interval");
  assert_interval_stat (&tot->burden.after_interval,
                        moa_simulation_get_stat (as, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN),
                        ITERATIONS, "after interval");
  assert_interval_stat (&tot->citizens_cost.before_interval,
                        moa_simulation_get_stat (bs, MOA_ENTITY_CITIZENS, MOA_QUANTITY_BURDEN),
                        ITERATIONS, "citizens' burden before interval");

  /* the page: obligations before and after, the measures with their savings */
  assert_int_equal (report->procedures->len, 1);
  const MoaReportProcedure *page = find_page (report, "occupazione-suolo-dehors");
  assert_string_equal (page->scenario_id, "dehors-concessione-biennale");
  assert_close (page->cases, before->total.cases, "cases");
  assert_close (page->totals.burden.before, tot->burden.before, "page burden");
  for (guint i = 0; i < before->obligations->len; i++)
    {
      const MoaTotal *ob = &g_array_index (before->obligations, MoaTotal, i);
      const MoaReportItem *item = g_ptr_array_index (page->obligations, i);
      assert_string_equal (item->obligation_id, ob->id);
      assert_null (item->activity_id);
      assert_close (item->before, ob->recurring.burden, ob->id);
      const MoaTotal *ob_after = moa_result_get_obligation (after, ob->id);
      assert_close (item->after, ob_after != NULL ? ob_after->recurring.burden : 0.0, ob->id);
    }
  /* the obligations the scenario adds come after the baseline's */
  guint added = 0;
  for (guint i = 0; i < after->obligations->len; i++)
    if (moa_result_get_obligation (before, g_array_index (after->obligations, MoaTotal, i).id)
        == NULL)
      added++;
  assert_int_equal (page->obligations->len, before->obligations->len + added);
  assert_true (page->activities->len >= before->activities->len);

  GArray *measures = moa_comparison_get_measures (c);
  assert_int_equal (page->measures->len, measures->len);
  assert_int_equal (report->measures->len, measures->len);
  for (guint i = 0; i < measures->len; i++)
    {
      const MoaMeasureSaving *ms = &g_array_index (measures, MoaMeasureSaving, i);
      const MoaReportMeasure *m = g_ptr_array_index (page->measures, i);
      assert_string_equal (m->measure_id, ms->measure->id);
      assert_string_equal (m->type, moa_measure_type_to_string (ms->measure->type));
      assert_close (m->saving, ms->cumulative, m->measure_id);
      assert_close (m->citizens_hours, ms->citizens_hours_cumulative, m->measure_id);
      assert_close (m->businesses, ms->businesses_cumulative, m->measure_id);
      if (isnan (ms->alone))
        assert_true (isnan (m->saving_alone));
      else
        assert_close (m->saving_alone, ms->alone, m->measure_id);
    }
  for (guint i = 1; i < report->measures->len; i++)
    assert_true (((MoaReportMeasure *)g_ptr_array_index (report->measures, i - 1))->saving
                 >= ((MoaReportMeasure *)g_ptr_array_index (report->measures, i))->saving);

  /* breakdowns: one area; citizens + businesses = the total */
  assert_int_equal (report->by_area->len, 1);
  const MoaReportRow *area = g_ptr_array_index (report->by_area, 0);
  assert_string_equal (area->key, t->procedure->area);
  assert_close (area->totals.burden.before, tot->burden.before, "area");
  assert_int_equal (report->by_group->len, 2);
  const MoaReportRow *citizens = g_ptr_array_index (report->by_group, 0);
  const MoaReportRow *businesses = g_ptr_array_index (report->by_group, 1);
  assert_close (citizens->totals.burden.before + businesses->totals.burden.before,
                tot->burden.before, "groups");
  assert_int_equal (report->by_territory->len, 0);

  /* top obligations: the baseline's by burden */
  assert_true (report->top_obligations->len == MIN (10, before->obligations->len));
  double max = 0.0;
  for (guint i = 0; i < before->obligations->len; i++)
    max = fmax (max, g_array_index (before->obligations, MoaTotal, i).recurring.burden);
  assert_close (((MoaReportItem *)g_ptr_array_index (report->top_obligations, 0))->before, max,
                "top obligation");

  /* the register: every activity time as written, with its source (or the fallback's) */
  guint checked = 0;
  for (guint o = 0; o < t->procedure->obligations->len; o++)
    {
      const MoaObligation *ob = g_ptr_array_index (t->procedure->obligations, o);
      for (guint n = 0; n < ob->nodes->len; n++)
        {
          const MoaNode *node = g_ptr_array_index (ob->nodes, n);
          if (node->kind != MOA_NODE_ACTIVITY || node->time.value == NULL)
            continue;
          g_autofree char *element = g_strconcat (ob->id, "/", node->id, NULL);
          g_autofree char *value = moa_value_to_string (node->time.value);
          const char *source = node->source != NULL ? node->source
                               : ob->source != NULL ? ob->source
                                                    : t->procedure->source;
          MoaReportSourceFrom from = node->source != NULL           ? MOA_REPORT_SOURCE_ELEMENT
                                     : ob->source != NULL           ? MOA_REPORT_SOURCE_OBLIGATION
                                     : t->procedure->source != NULL ? MOA_REPORT_SOURCE_PROCEDURE
                                                                    : MOA_REPORT_SOURCE_NONE;
          gboolean found = FALSE;
          for (guint a = 0; a < report->assumptions->len && !found; a++)
            {
              const MoaReportAssumption *as = g_ptr_array_index (report->assumptions, a);
              if (as->scenario_id == NULL && g_strcmp0 (as->element, element) == 0
                  && g_strcmp0 (as->parameter, "time") == 0)
                {
                  found = TRUE;
                  assert_string_equal (as->procedure_id, t->procedure->id);
                  assert_string_equal (as->value, value);
                  assert_string_equal (as->source, source);
                  assert_int_equal (as->source_from, from);
                }
            }
          if (!found)
            fail_msg ("no assumption for %s time", element);
          checked++;
        }
    }
  assert_true (checked > 0);
  /* the cost model's values (overhead) and the scenario's measures are in the register */
  gboolean overhead = FALSE, measure = FALSE;
  for (guint a = 0; a < report->assumptions->len; a++)
    {
      const MoaReportAssumption *as = g_ptr_array_index (report->assumptions, a);
      if (as->procedure_id == NULL && g_strcmp0 (as->element, "it-moa/overhead") == 0)
        overhead = TRUE;
      if (g_strcmp0 (as->scenario_id, "dehors-concessione-biennale") == 0
          && g_str_has_prefix (as->element, "measure/"))
        measure = TRUE;
    }
  assert_true (overhead);
  assert_true (measure);

  g_clear_pointer (&store, moa_store_close);
  moa_test_remove_tree (dir);
}

/* --- several procedures: sums and summed samples --------------------------------------------- */

static void
test_programme_sums (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr (GError) error = NULL;
  TestUnit *units[3];
  units[0] = make_unit ("occupazione-suolo-dehors.xml", "dehors-concessione-biennale.xml",
                        ITERATIONS, 11);
  units[1] = make_unit ("certificato-anagrafico.xml", "certificato-anpr-self-service.xml",
                        ITERATIONS, 12);
  /* no scenario: its after is its baseline */
  units[2] = make_unit ("riconoscimento-iap.xml", NULL, ITERATIONS, 13);

  g_autoptr (MoaStore) store = open_store (path, TRUE);
  gint64 run_id = begin_test_run (store, ITERATIONS, 3, NULL);
  for (int u = 2; u >= 0; u--) /* the order of writing does not matter */
    write_unit (store, run_id, NULL, units[u]);
  g_autoptr (MoaReport) report = moa_store_read_report (store, run_id, &error);
  if (report == NULL)
    fail_msg ("%s", error->message);
  assert_null (report->finished_at); /* not finished: read as it is */
  assert_int_equal (report->procedures->len, 3);

  /* exact totals: the sums */
  double burden_before = 0, burden_after = 0, hours_before = 0, hours_after = 0, biz_after = 0;
  guint n_measures = 0, n_obligations = 0;
  double top = 0.0;
  for (int u = 0; u < 3; u++)
    {
      burden_before += units[u]->before->total.recurring.burden;
      burden_after += unit_after (units[u])->total.recurring.burden;
      hours_before += units[u]->before->citizens.recurring.hours;
      hours_after += unit_after (units[u])->citizens.recurring.hours;
      biz_after += unit_after (units[u])->businesses.recurring.burden;
      if (units[u]->comparison != NULL)
        n_measures += moa_comparison_get_measures (units[u]->comparison)->len;
      n_obligations += units[u]->before->obligations->len;
      for (guint i = 0; i < units[u]->before->obligations->len; i++)
        top = fmax (top,
                    g_array_index (units[u]->before->obligations, MoaTotal, i).recurring.burden);
    }
  assert_close (report->totals.burden.before, burden_before, "programme before");
  assert_close (report->totals.burden.after, burden_after, "programme after");
  assert_close (report->totals.citizens_hours.before, hours_before, "programme hours before");
  assert_close (report->totals.citizens_hours.after, hours_after, "programme hours after");
  assert_close (report->totals.businesses.after, biz_after, "programme businesses after");
  const MoaReportProcedure *iap = find_page (report, "riconoscimento-iap");
  assert_null (iap->scenario_id);
  assert_close (iap->totals.burden.after, iap->totals.burden.before, "no scenario");
  assert_int_equal (iap->measures->len, 0);
  assert_int_equal (report->measures->len, n_measures);
  assert_int_equal (report->top_obligations->len, MIN (10, n_obligations));
  assert_close (((MoaReportItem *)g_ptr_array_index (report->top_obligations, 0))->before, top,
                "top obligation");
  for (guint i = 1; i < report->top_obligations->len; i++)
    assert_true (((MoaReportItem *)g_ptr_array_index (report->top_obligations, i - 1))->before
                 >= ((MoaReportItem *)g_ptr_array_index (report->top_obligations, i))->before);

  /* intervals: iteration i of the programme is the sum of every procedure's iteration i */
  struct
  {
    MoaEntityKind entity;
    MoaQuantity quantity;
    const MoaReportFigure *figure;
    const char *name;
  } series[] = {
    { MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN, &report->totals.burden, "burden" },
    { MOA_ENTITY_CITIZENS, MOA_QUANTITY_HOURS, &report->totals.citizens_hours, "hours" },
    { MOA_ENTITY_BUSINESSES, MOA_QUANTITY_BURDEN, &report->totals.businesses, "businesses" },
  };
  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      double b[ITERATIONS] = { 0 }, a[ITERATIONS] = { 0 }, d[ITERATIONS] = { 0 };
      for (int u = 0; u < 3; u++)
        {
          const MoaSimulation *bs
              = units[u]->comparison != NULL
                    ? moa_comparison_get_before_simulation (units[u]->comparison)
                    : units[u]->simulation;
          const MoaSimulation *as = units[u]->comparison != NULL
                                        ? moa_comparison_get_after_simulation (units[u]->comparison)
                                        : units[u]->simulation;
          const double *xb = moa_simulation_get_samples (bs, series[s].entity, series[s].quantity);
          const double *xa = moa_simulation_get_samples (as, series[s].entity, series[s].quantity);
          for (guint i = 0; i < ITERATIONS; i++)
            {
              b[i] += xb[i];
              a[i] += xa[i];
              d[i] += xb[i] - xa[i];
            }
        }
      MoaReportInterval eb, ea, ed;
      hand_interval (b, ITERATIONS, &eb);
      hand_interval (a, ITERATIONS, &ea);
      hand_interval (d, ITERATIONS, &ed);
      assert_interval (&series[s].figure->before_interval, &eb, series[s].name);
      assert_interval (&series[s].figure->after_interval, &ea, series[s].name);
      assert_interval (&series[s].figure->saving_interval, &ed, series[s].name);
    }

  /* by area: each procedure's area, the rows summing to the programme */
  double areas = 0.0;
  for (guint i = 0; i < report->by_area->len; i++)
    areas += ((MoaReportRow *)g_ptr_array_index (report->by_area, i))->totals.burden.before;
  assert_close (areas, burden_before, "areas");
  for (guint i = 1; i < report->by_area->len; i++)
    assert_true (((MoaReportRow *)g_ptr_array_index (report->by_area, i - 1))->totals.burden.before
                 >= ((MoaReportRow *)g_ptr_array_index (report->by_area, i))->totals.burden.before);

  g_clear_pointer (&store, moa_store_close);
  for (int u = 0; u < 3; u++)
    test_unit_free (units[u]);
  moa_test_remove_tree (dir);
}

/* --- territories ----------------------------------------------------------------------------- */

static const MoaReportRow *
find_row (GPtrArray *rows, const char *key)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (((MoaReportRow *)g_ptr_array_index (rows, i))->key, key) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static void
test_territories (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *catalog_path
      = g_build_filename (moa_test_srcdir (), "test-store", "catalog.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCatalog) catalog = moa_catalog_load_file (catalog_path, NULL, &error);
  if (catalog == NULL)
    fail_msg ("%s", error->message);
  /* deterministic: no intervals */
  g_autoptr (TestUnit) dehors
      = make_unit ("occupazione-suolo-dehors.xml", "dehors-concessione-biennale.xml", 0, 1);
  g_autoptr (TestUnit) cert
      = make_unit ("certificato-anagrafico.xml", "certificato-anpr-self-service.xml", 0, 1);

  g_autoptr (MoaStore) store = open_store (path, TRUE);
  gint64 run_id = begin_test_run (store, 0, 2, catalog);
  write_unit (store, run_id, catalog, cert);
  write_unit (store, run_id, catalog, dehors);
  if (!moa_store_finish_run (store, run_id, &error))
    fail_msg ("%s", error->message);
  g_autoptr (MoaReport) report = moa_store_read_report (store, 0, &error);
  if (report == NULL)
    fail_msg ("%s", error->message);

  assert_string_equal (report->catalog_title.en, "Result store test catalog");
  /* catalog order, whatever the order of writing */
  assert_string_equal (((MoaReportProcedure *)g_ptr_array_index (report->procedures, 0))->id,
                       "occupazione-suolo-dehors");
  assert_int_equal (report->totals.burden.before_interval.n, 0);
  assert_int_equal (report->totals.burden.saving_interval.n, 0);

  /* the provinces only (the municipality is left out), by burden */
  assert_int_equal (report->by_territory->len, 2);
  const MoaReportRow *mi = find_row (report->by_territory, "MI");
  const MoaReportRow *bg = find_row (report->by_territory, "BG");
  assert_non_null (mi);
  assert_non_null (bg);
  assert_string_equal (mi->kind, "province");
  assert_string_equal (mi->title.it, "Milano");
  /* Milano: 1,000 of the dehors procedure's cases, 3/10 of the certificates by population;
   * Bergamo: 1/10 of both by population */
  const MoaResult *db = dehors->before, *da = unit_after (dehors);
  const MoaResult *cb = cert->before, *ca = unit_after (cert);
  double mi_share = 1000.0 / db->total.cases;
  assert_close (mi->totals.burden.before,
                mi_share * db->total.recurring.burden + 0.3 * cb->total.recurring.burden,
                "Milano before");
  assert_close (mi->totals.burden.after,
                mi_share * da->total.recurring.burden + 0.3 * ca->total.recurring.burden,
                "Milano after");
  assert_close (bg->totals.burden.before,
                0.1 * db->total.recurring.burden + 0.1 * cb->total.recurring.burden,
                "Bergamo before");
  assert_close (bg->totals.citizens_hours.after,
                0.1 * da->citizens.recurring.hours + 0.1 * ca->citizens.recurring.hours,
                "Bergamo hours after");
  assert_close (bg->totals.businesses.before,
                0.1 * db->businesses.recurring.burden + 0.1 * cb->businesses.recurring.burden,
                "Bergamo businesses");
  const MoaReportRow *first = g_ptr_array_index (report->by_territory, 0);
  const MoaReportRow *second = g_ptr_array_index (report->by_territory, 1);
  assert_true (first->totals.burden.before >= second->totals.burden.before);

  /* every territory has its rows: 3 territories x 2 procedures */
  assert_int_equal (query (store, "SELECT count(*) FROM territory_result"), 6);
  assert_int_equal (query (store, "SELECT cases_given FROM territory_result "
                                  "WHERE territory_id = 'MI' "
                                  "AND procedure_id = 'occupazione-suolo-dehors'"),
                    1);

  g_clear_pointer (&store, moa_store_close);
  moa_test_remove_tree (dir);
}

/* --- atomicity ------------------------------------------------------------------------------- */

/* Rows of procedure @id in every table of a unit. */
static gint64
unit_rows (MoaStore *store, const char *id)
{
  g_autofree char *sql
      = g_strdup_printf ("SELECT (SELECT count(*) FROM procedure WHERE procedure_id = '%1$s') "
                         "+ (SELECT count(*) FROM unit WHERE procedure_id = '%1$s') "
                         "+ (SELECT count(*) FROM scenario WHERE procedure_id = '%1$s') "
                         "+ (SELECT count(*) FROM figure WHERE procedure_id = '%1$s') "
                         "+ (SELECT count(*) FROM measure WHERE procedure_id = '%1$s') "
                         "+ (SELECT count(*) FROM stat WHERE procedure_id = '%1$s') "
                         "+ (SELECT count(*) FROM sample WHERE procedure_id = '%1$s') "
                         "+ (SELECT count(*) FROM assumption WHERE procedure_id IN ('%1$s', '')) "
                         "+ (SELECT count(*) FROM territory_result WHERE procedure_id = '%1$s')",
                         id);
  return query (store, sql);
}

static void
test_atomic (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TestUnit) t
      = make_unit ("occupazione-suolo-dehors.xml", "dehors-concessione-biennale.xml", 20, 3);
  const char *id = t->procedure->id;
  g_autoptr (MoaStore) store = open_store (path, TRUE);
  gint64 run_id = begin_test_run (store, 20, 1, NULL);

  /* a failure at the very last row (the done mark): nothing of the unit stays */
  exec_sql (store, "CREATE TEMP TRIGGER fail_unit BEFORE INSERT ON unit "
                   "BEGIN SELECT RAISE (ABORT, 'injected failure'); END");
  assert_false (moa_store_write_unit (store, run_id, NULL, &t->unit, &error));
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED));
  assert_non_null (strstr (error->message, "injected failure"));
  g_clear_error (&error);
  assert_int_equal (unit_rows (store, id), 0);
  g_autoptr (GHashTable) done = moa_store_get_done_units (store, run_id, &error);
  assert_int_equal (g_hash_table_size (done), 0);

  /* a failure midway (the measures, after the figures) */
  exec_sql (store, "DROP TRIGGER fail_unit");
  exec_sql (store, "CREATE TEMP TRIGGER fail_measure BEFORE INSERT ON measure "
                   "BEGIN SELECT RAISE (ABORT, 'injected failure'); END");
  assert_false (moa_store_write_unit (store, run_id, NULL, &t->unit, &error));
  g_clear_error (&error);
  assert_int_equal (unit_rows (store, id), 0);
  exec_sql (store, "DROP TRIGGER fail_measure");

  /* a procedure id that violates a constraint (empty) */
  char *saved = t->procedure->id;
  t->procedure->id = (char *)"";
  assert_false (moa_store_write_unit (store, run_id, NULL, &t->unit, &error));
  t->procedure->id = saved;
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED));
  g_clear_error (&error);
  assert_int_equal (unit_rows (store, ""), 0);

  /* the same unit now writes whole (no leftover row collides with it) */
  write_unit (store, run_id, NULL, t);
  gint64 rows = unit_rows (store, id);
  assert_true (rows > 0);

  /* written twice: refused, nothing duplicated */
  assert_false (moa_store_write_unit (store, run_id, NULL, &t->unit, &error));
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED));
  g_clear_error (&error);
  assert_int_equal (unit_rows (store, id), rows);

  /* an unknown run */
  assert_false (moa_store_write_unit (store, run_id + 1, NULL, &t->unit, &error));
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN));
  g_clear_error (&error);
  assert_null (moa_store_get_done_units (store, run_id + 1, &error));
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN));
  g_clear_error (&error);

  /* deleting the run deletes all its rows (ON DELETE CASCADE) */
  g_autofree char *del = g_strdup_printf ("DELETE FROM run WHERE id = %" G_GINT64_FORMAT, run_id);
  exec_sql (store, del);
  assert_int_equal (unit_rows (store, id), 0);
  assert_int_equal (query (store, "SELECT count(*) FROM input_file"), 0);

  g_clear_pointer (&store, moa_store_close);
  moa_test_remove_tree (dir);
}

/* --- migration ------------------------------------------------------------------------------- */

static void
test_migration_v1 (void **state)
{
  const char *fixture = g_getenv ("MOA_TEST_STORE_V1");
  if (fixture == NULL || fixture[0] == '\0')
    {
      print_message ("# the sqlite3 CLI was not found at build time: no version-1 store\n");
      skip ();
    }
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "v1.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents (fixture, &contents, &length, &error)
      || !g_file_set_contents (path, contents, length, &error))
    fail_msg ("%s", error->message);

  g_autoptr (MoaStore) store = open_store (path, FALSE);
  assert_int_equal (moa_store_get_schema_version (store), 2);
  assert_int_equal (query (store, "PRAGMA user_version"), 2);
  /* the new parts: the samples table and the report's indexes */
  assert_int_equal (query (store, "SELECT count(*) FROM sample"), 0);
  assert_int_equal (query (store, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                  "AND name IN ('run_by_status', 'procedure_by_area', "
                                  "'figure_by_burden', 'measure_by_saving', "
                                  "'territory_by_kind', 'territory_result_by_territory')"),
                    6);

  /* the data survived: the run and the report of its two procedures (v1.sql's numbers) */
  g_autoptr (GPtrArray) runs = moa_store_list_runs (store, &error);
  assert_int_equal (runs->len, 1);
  const MoaStoreRun *run = g_ptr_array_index (runs, 0);
  assert_int_equal (run->id, 1);
  assert_string_equal (run->status, "complete");
  assert_string_equal (run->moa_version, "0.0.9");
  assert_int_equal (run->seed, 42);
  assert_int_equal (run->units_done, 2);

  g_autoptr (MoaReport) report = moa_store_read_report (store, 1, &error);
  if (report == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (report->catalog_title.it, "Catalogo di prova");
  assert_close (report->totals.burden.before, 1500.0, "before");
  assert_close (report->totals.burden.after, 1200.0, "after");
  assert_close (report->totals.burden.saving, 300.0, "saving");
  assert_close (report->totals.burden.saving_percent, 20.0, "saving %");
  assert_close (report->totals.citizens_hours.before, 30.0, "hours before");
  assert_close (report->totals.citizens_hours.after, 25.0, "hours after");
  assert_close (report->totals.businesses.after, 800.0, "businesses after");
  assert_int_equal (report->totals.burden.before_interval.n, 0);
  assert_int_equal (report->procedures->len, 2);
  assert_string_equal (((MoaReportProcedure *)g_ptr_array_index (report->procedures, 0))->id,
                       "p-uno");
  /* areas by burden: anagrafe 1000, commercio 500 */
  assert_int_equal (report->by_area->len, 2);
  assert_string_equal (((MoaReportRow *)g_ptr_array_index (report->by_area, 0))->key, "anagrafe");
  /* provinces: Milano 600 + 300, Bergamo 400 + 200 */
  assert_int_equal (report->by_territory->len, 2);
  const MoaReportRow *mi = g_ptr_array_index (report->by_territory, 0);
  assert_string_equal (mi->key, "MI");
  assert_close (mi->totals.burden.before, 900.0, "Milano");
  assert_close (mi->totals.burden.after, 720.0, "Milano after");
  /* the top obligation, its after from the programme */
  const MoaReportItem *top = g_ptr_array_index (report->top_obligations, 0);
  assert_string_equal (top->obligation_id, "domanda");
  assert_close (top->after, 700.0, "domanda after");
  assert_int_equal (report->measures->len, 1);
  assert_int_equal (report->assumptions->len, 2);
  assert_null (((MoaReportAssumption *)g_ptr_array_index (report->assumptions, 0))->procedure_id);

  /* a new run goes into the migrated store, samples included */
  g_autoptr (TestUnit) t
      = make_unit ("occupazione-suolo-dehors.xml", "dehors-concessione-biennale.xml", 10, 5);
  gint64 run_id = begin_test_run (store, 10, 1, NULL);
  assert_int_equal (run_id, 2);
  write_unit (store, run_id, NULL, t);
  assert_int_equal (query (store, "SELECT count(*) FROM sample WHERE run_id = 2"), 4 * 3);

  /* reopening: already current, nothing to migrate */
  g_clear_pointer (&store, moa_store_close);
  store = open_store (path, FALSE);
  assert_int_equal (moa_store_get_schema_version (store), 2);
  g_clear_pointer (&store, moa_store_close);
  moa_test_remove_tree (dir);
}

/* --- refusals -------------------------------------------------------------------------------- */

static void
assert_open_fails (const char *path, gboolean create, int code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaStore) store = moa_store_open (path, create, &error);
  assert_null (store);
  if (!g_error_matches (error, MOA_STORE_ERROR, code))
    fail_msg ("%s: expected code %d, got %s", path, code, error != NULL ? error->message : "none");
  assert_non_null (strstr (error->message, path));
}

static void
test_refusals (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autoptr (GError) error = NULL;

  /* missing without create */
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
  assert_open_fails (missing, FALSE, MOA_STORE_ERROR_OPEN);
  assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* a text file, with or without create: untouched */
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  const char *notes = "These are not the results you are looking for.\n"
                      "Not a SQLite database at all, but long enough to have a header.\n";
  g_file_set_contents (text, notes, -1, &error);
  assert_open_fails (text, FALSE, MOA_STORE_ERROR_NOT_STORE);
  assert_open_fails (text, TRUE, MOA_STORE_ERROR_NOT_STORE);
  g_autofree char *after = NULL;
  g_file_get_contents (text, &after, NULL, NULL);
  assert_string_equal (after, notes);

  /* an empty file without create */
  g_autofree char *empty = g_build_filename (dir, "empty.db", NULL);
  g_file_set_contents (empty, "", 0, &error);
  assert_open_fails (empty, FALSE, MOA_STORE_ERROR_NOT_STORE);

  /* a newer schema */
  g_autofree char *newer = g_build_filename (dir, "newer.db", NULL);
  {
    g_autoptr (MoaStore) store = open_store (newer, TRUE);
    exec_sql (store, "PRAGMA user_version = 3");
  }
  assert_open_fails (newer, FALSE, MOA_STORE_ERROR_TOO_NEW);
  assert_open_fails (newer, TRUE, MOA_STORE_ERROR_TOO_NEW);

  /* another application's database: its id, or tables without moa's id */
  g_autofree char *foreign = g_build_filename (dir, "foreign.db", NULL);
  {
    g_autoptr (MoaStore) store = open_store (foreign, TRUE);
    exec_sql (store, "PRAGMA application_id = 42");
  }
  assert_open_fails (foreign, FALSE, MOA_STORE_ERROR_NOT_STORE);
  g_autofree char *tables = g_build_filename (dir, "tables.db", NULL);
  {
    g_autoptr (MoaStore) store = open_store (tables, TRUE);
    exec_sql (store, "PRAGMA application_id = 0; PRAGMA user_version = 0; "
                     "CREATE TABLE customers (name TEXT)");
  }
  assert_open_fails (tables, TRUE, MOA_STORE_ERROR_NOT_STORE);

  /* an unknown run */
  g_autofree char *fresh = g_build_filename (dir, "fresh.db", NULL);
  g_autoptr (MoaStore) store = open_store (fresh, TRUE);
  assert_null (moa_store_get_run (store, 5, &error));
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN));
  g_clear_error (&error);
  assert_null (moa_store_read_report (store, 0, &error));
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN));
  g_clear_error (&error);
  g_clear_pointer (&store, moa_store_close);
  moa_test_remove_tree (dir);
}

/* --- WAL: reading while another connection writes -------------------------------------------- */

static void
test_concurrent_read (void **state)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TestUnit) t
      = make_unit ("occupazione-suolo-dehors.xml", "dehors-concessione-biennale.xml", 0, 1);

  g_autoptr (MoaStore) writer = open_store (path, TRUE);
  gint64 run_id = begin_test_run (writer, 0, 1, NULL);
  write_unit (writer, run_id, NULL, t);
  if (!moa_store_finish_run (writer, run_id, &error))
    fail_msg ("%s", error->message);
  assert_int_equal (query (writer, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
  assert_int_equal (query (writer, "SELECT synchronous FROM pragma_synchronous"), 1); /* NORMAL */
  assert_int_equal (query (writer, "SELECT foreign_keys FROM pragma_foreign_keys"), 1);

  /* the writer holds a write transaction with a second run in it */
  exec_sql (writer, "BEGIN IMMEDIATE; "
                    "INSERT INTO run (catalog_id, catalog_file, catalog_sha256, inputs_sha256, "
                    "moa_version, seed, iterations, cost_model, price_year, currency, "
                    "started_at, units_total) SELECT catalog_id, catalog_file, catalog_sha256, "
                    "inputs_sha256, moa_version, seed, iterations, cost_model, price_year, "
                    "currency, started_at, units_total FROM run");

  /* a reader opens and reads meanwhile, without waiting, and sees the committed state */
  gint64 start = g_get_monotonic_time ();
  g_autoptr (MoaStore) reader = open_store (path, FALSE);
  g_autoptr (GPtrArray) runs = moa_store_list_runs (reader, &error);
  assert_non_null (runs);
  assert_int_equal (runs->len, 1);
  g_autoptr (MoaReport) report = moa_store_read_report (reader, 0, &error);
  if (report == NULL)
    fail_msg ("%s", error->message);
  assert_close (report->totals.burden.before, t->before->total.recurring.burden, "read");
  /* far below the 10 s busy timeout: the reader did not wait for the lock */
  assert_true (g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC);

  exec_sql (writer, "COMMIT");
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = moa_store_list_runs (reader, &error);
  assert_int_equal (runs->len, 2);
  assert_string_equal (((MoaStoreRun *)g_ptr_array_index (runs, 0))->status, "running");

  g_clear_pointer (&reader, moa_store_close);
  g_clear_pointer (&writer, moa_store_close);
  moa_test_remove_tree (dir);
}

static int
group_setup (void **state)
{
  models = moa_test_load_models (NULL);
  return models != NULL ? 0 : -1;
}

static int
group_teardown (void **state)
{
  g_clear_pointer (&models, moa_model_set_free);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_round_trip),      cmocka_unit_test (test_programme_sums),
    cmocka_unit_test (test_territories),     cmocka_unit_test (test_atomic),
    cmocka_unit_test (test_migration_v1),    cmocka_unit_test (test_refusals),
    cmocka_unit_test (test_concurrent_read),
  };
  return cmocka_run_group_tests_name ("test-store", tests, group_setup, group_teardown);
}
