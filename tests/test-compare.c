/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Savings (docs/scenario-format.md, "What is computed"; issue 4): the reform of methodology.md
 * §6 as a baseline and a scenario, entities matched by id, attribution to the measures with and
 * without interaction, the one-off cost and its pay-back, the paired Monte Carlo interval of
 * the saving against independent runs, progress and cancellation. Every expected figure is
 * worked out by hand in the comments and in the data files' comments. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gio/gio.h>
#include <glib.h>

#include "moa-compare.h"
#include "moa-scenario.h"
#include "moa.h"

/* Exact arithmetic: relative 1e-9 (style.md §15); at 14,646,400 that is 0.015, under a cent. */
#define REL_TOL 1e-9
/* Monte Carlo checks: this many standard errors (style.md §15). */
#define K_SE 4.0
/* The seed of the Monte Carlo checks, printed on failure. */
#define SEED G_GUINT64_CONSTANT (20240704)

static MoaModelSet *models;      /* the shipped cost models ($MOA_MODELS_DIR) */
static MoaCostModel *test_model; /* tests/test-compare/models/compare-test.xml */

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");
  return dir != NULL ? dir : MOA_TESTS_SRCDIR;
}

static char *
data_path (const char *name)
{
  return g_build_filename (srcdir (), "test-compare", name, NULL);
}

static void
assert_close_impl (double actual, double expected, double rel, const char *what, const char *file,
                   int line)
{
  double tol = rel * MAX (1.0, fabs (expected));
  if (!(fabs (actual - expected) <= tol))
    {
      print_error ("%s = %.17g, expected %.17g (tolerance %.3g)\n", what, actual, expected, tol);
      _fail (file, line);
    }
}

#define assert_close(actual, expected, what)                                                       \
  assert_close_impl ((actual), (expected), REL_TOL, (what), __FILE__, __LINE__)

/* A scenario and its comparison; the comparison borrows the scenario. */
typedef struct
{
  MoaScenario *scenario;
  MoaComparison *comparison;
} Compared;

static void
compared_clear (Compared *c)
{
  g_clear_pointer (&c->comparison, moa_comparison_free);
  g_clear_pointer (&c->scenario, moa_scenario_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Compared, compared_clear)

/* Loads tests/test-compare/@name, applies it and compares: under @model when not NULL, else
 * each procedure's own model from the shipped ones. Fails the test on any error. */
static void
compare_scenario (const char *name, MoaCostModel *model, const MoaCompareOptions *options,
                  Compared *out)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;

  out->scenario = moa_scenario_load_file (path, problems, &error);
  if (out->scenario == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaProcedure) baseline = moa_scenario_apply_parents (out->scenario, &error);
  if (baseline == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaProcedure) after = moa_scenario_apply (out->scenario, G_MAXUINT, -1, &error);
  if (after == NULL)
    fail_msg ("%s", error->message);
  out->comparison = moa_compare (baseline, after, out->scenario, models, model, options, NULL, NULL,
                                 NULL, &error);
  if (out->comparison == NULL)
    fail_msg ("%s: %s", name, error->message);
}

static MoaProcedure *
load_procedure (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  MoaProcedure *procedure = moa_procedure_load_file (path, NULL, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  return procedure;
}

/* The saving of one entity; totals are found by kind (@id NULL). */
static const MoaEntitySaving *
find_entity (const MoaComparison *comparison, MoaEntityKind kind, const char *id,
             const char *obligation, const char *segment)
{
  GArray *entities = moa_comparison_get_entities (comparison);
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *s = &g_array_index (entities, MoaEntitySaving, i);
      if (s->kind == kind && (id == NULL || g_strcmp0 (s->id, id) == 0)
          && g_strcmp0 (s->obligation, obligation) == 0 && g_strcmp0 (s->segment, segment) == 0)
        return s;
    }
  fail_msg ("no entity of kind %d \"%s\" (%s, %s)", kind, id ? id : "",
            obligation ? obligation : "", segment ? segment : "");
  return NULL;
}

static const MoaEntitySaving *
total_of (const MoaComparison *comparison)
{
  return find_entity (comparison, MOA_ENTITY_TOTAL, NULL, NULL, NULL);
}

static const MoaMeasureSaving *
measure_at (const MoaComparison *comparison, guint k, const char *id)
{
  GArray *measures = moa_comparison_get_measures (comparison);
  assert_true (k < measures->len);
  const MoaMeasureSaving *m = &g_array_index (measures, MoaMeasureSaving, k);
  assert_string_equal (m->measure->id, id);
  return m;
}

static void
assert_measure (const MoaComparison *comparison, guint k, const char *id, double cumulative,
                double alone, double one_off_added)
{
  const MoaMeasureSaving *m = measure_at (comparison, k, id);
  assert_close (m->cumulative, cumulative, id);
  assert_close (m->alone, alone, id);
  assert_close (m->one_off_added, one_off_added, id);
  /* only businesses in these procedures: their burden is the total, no citizen hours */
  assert_close (m->businesses_cumulative, cumulative, id);
  assert_close (m->businesses_alone, alone, id);
  assert_close (m->citizens_hours_cumulative, 0.0, id);
  assert_close (m->citizens_hours_alone, 0.0, id);
}

/* --- the reform of methodology.md §6 --------------------------------------------------------- */

/* methodology.md §6, reform [T: AU]: before 14,646,400; after 1,830,800 plus 91,540 a year of
 * annualised one-off cost; change -12,724,060 a year. The quarterly report of 4 h by 10,000
 * firms at 91.54 /h: 10,000 x 4 x 4 x 91.54 = 14,646,400; annual, 2 h: 10,000 x 1 x 2 x 91.54 =
 * 1,830,800; familiarisation 10,000 x 1 h x 91.54 = 915,400 once, over 10 years 91,540. */
static void
test_reform (void **state)
{
  g_auto (Compared) c = { 0 };
  compare_scenario ("reform.xml", test_model, NULL, &c);
  const MoaComparison *cmp = c.comparison;

  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->before.burden, 14646400.00, "before");
  assert_close (total->after.burden, 1830800.00, "after (recurring, per year)");
  assert_close (moa_comparison_get_one_off (cmp), 915400.00, "one-off");
  assert_close (moa_comparison_get_one_off_per_year (cmp), 91540.00, "one-off per year");
  double change
      = total->after.burden + moa_comparison_get_one_off_per_year (cmp) - total->before.burden;
  assert_close (change, -12724060.00, "change per year, net of the annualised one-off");

  /* saving 14,646,400 - 1,830,800 = 12,815,600 = 7/8 of before */
  assert_close (total->saving, 12815600.00, "saving");
  assert_close (total->saving_percent, 87.5, "saving %");
  /* pay-back: 915,400 / 12,815,600 = 1/14 of a year */
  assert_close (moa_comparison_get_payback_years (cmp), 1.0 / 14.0, "pay-back (years)");
  assert_close (
      moa_result_get_obligation (moa_comparison_get_before (cmp), "report")->recurring.burden,
      14646400.00, "before result");
  assert_true (moa_comparison_get_scenario (cmp) == c.scenario);

  /* the entities in order: the four totals, the obligations (the added one after report), the
   * group, the segment, the activities (the added one last) */
  static const struct
  {
    MoaEntityKind kind;
    const char *id, *obligation, *segment;
    double before, after, hours_before, hours_after;
  } expected[] = {
    { MOA_ENTITY_TOTAL, "reform-before", NULL, NULL, 14646400, 1830800, 160000, 20000 },
    { MOA_ENTITY_CITIZENS, "reform-before", NULL, NULL, 0, 0, 0, 0 },
    { MOA_ENTITY_BUSINESSES, "reform-before", NULL, NULL, 14646400, 1830800, 160000, 20000 },
    { MOA_ENTITY_ADMINISTRATION, "reform-before", NULL, NULL, 0, 0, 0, 0 },
    { MOA_ENTITY_OBLIGATION, "report", NULL, NULL, 14646400, 1830800, 160000, 20000 },
    /* one-off: no recurring figures (its 915,400 is the one-off above) */
    { MOA_ENTITY_OBLIGATION, "familiarisation", NULL, NULL, 0, 0, 0, 0 },
    { MOA_ENTITY_GROUP, "firms", NULL, NULL, 14646400, 1830800, 160000, 20000 },
    { MOA_ENTITY_SEGMENT, "firms", NULL, NULL, 14646400, 1830800, 160000, 20000 },
    { MOA_ENTITY_ACTIVITY, "prepare", "report", "firms", 14646400, 1830800, 160000, 20000 },
    { MOA_ENTITY_ACTIVITY, "read", "familiarisation", "firms", 0, 0, 0, 0 },
  };
  GArray *entities = moa_comparison_get_entities (cmp);
  assert_int_equal (entities->len, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const MoaEntitySaving *s = &g_array_index (entities, MoaEntitySaving, i);
      assert_int_equal (s->kind, expected[i].kind);
      assert_string_equal (s->id, expected[i].id);
      assert_true (g_strcmp0 (s->obligation, expected[i].obligation) == 0);
      assert_true (g_strcmp0 (s->segment, expected[i].segment) == 0);
      assert_close (s->before.burden, expected[i].before, s->id);
      assert_close (s->after.burden, expected[i].after, s->id);
      assert_close (s->saving, expected[i].before - expected[i].after, s->id);
      assert_close (s->before.hours, expected[i].hours_before, s->id);
      assert_close (s->after.hours, expected[i].hours_after, s->id);
      /* no overhead, BAU, external or out-of-pocket: cost = internal = burden */
      assert_close (s->before.internal, expected[i].before, s->id);
      assert_close (s->after.cost, expected[i].after, s->id);
    }

  /* Attribution, in the order written. Cumulative: 14,646,400 - 3,661,600 (annual, 4 h) =
   * 10,984,800; 3,661,600 - 1,830,800 = 1,830,800; the familiarisation adds no recurring burden
   * but the 915,400 one-off. Alone: the annual report saves 10,984,800, the 2 h report alone
   * 14,646,400 - 7,323,200 = 7,323,200. The two interact (a product of frequency and time):
   * 10,984,800 + 7,323,200 - 12,815,600 = 5,492,400. */
  assert_int_equal (moa_comparison_get_measures (cmp)->len, 3);
  assert_measure (cmp, 0, "annual", 10984800, 10984800, 0);
  assert_measure (cmp, 1, "shorter", 1830800, 7323200, 0);
  assert_measure (cmp, 2, "familiarisation", 0, 0, 915400);
  assert_close (moa_comparison_get_interaction (cmp), 5492400, "interaction");

  /* no Monte Carlo was asked for */
  assert_int_equal (moa_comparison_get_iterations (cmp), 0);
  assert_null (moa_comparison_get_saving_stat (cmp));
  assert_null (moa_comparison_get_citizens_hours_stat (cmp));
  assert_null (moa_comparison_get_businesses_stat (cmp));
  assert_null (moa_comparison_get_saving_samples (cmp));
}

/* The same reform with the after written as a complete procedure (reform-after.xml): the same
 * figures, matched by id, no measures, and one-off years 10 by default. Each procedure is
 * evaluated under its own cost model, found in the model set. */
static void
test_reform_after_procedure (void **state)
{
  g_autoptr (MoaProcedure) before = load_procedure ("reform-before.xml");
  g_autoptr (MoaProcedure) after = load_procedure ("reform-after.xml");
  g_autoptr (MoaModelSet) set = moa_model_set_new ();
  moa_model_set_add (set, test_model);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaComparison) cmp
      = moa_compare (before, after, NULL, set, NULL, NULL, NULL, NULL, NULL, &error);
  if (cmp == NULL)
    fail_msg ("%s", error->message);

  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->before.burden, 14646400.00, "before");
  assert_close (total->after.burden, 1830800.00, "after");
  assert_close (moa_comparison_get_one_off (cmp), 915400.00, "one-off");
  assert_close (moa_comparison_get_one_off_per_year (cmp), 91540.00, "one-off per year (10 y)");
  assert_close (total->after.burden + moa_comparison_get_one_off_per_year (cmp)
                    - total->before.burden,
                -12724060.00, "change");
  assert_close (moa_comparison_get_payback_years (cmp), 1.0 / 14.0, "pay-back");
  assert_int_equal (moa_comparison_get_measures (cmp)->len, 0);
  assert_close (moa_comparison_get_interaction (cmp), 0.0, "interaction without measures");
  assert_null (moa_comparison_get_scenario (cmp));

  /* the added obligation is on the after side only: 0 before */
  const MoaEntitySaving *read
      = find_entity (cmp, MOA_ENTITY_ACTIVITY, "read", "familiarisation", "firms");
  assert_close (read->before.burden, 0.0, "read before");
  assert_close (read->saving_percent, 0.0, "percent of a zero before");
  const MoaEntitySaving *prepare
      = find_entity (cmp, MOA_ENTITY_ACTIVITY, "prepare", "report", "firms");
  assert_close (prepare->saving, 12815600.00, "prepare");
  assert_close (prepare->saving_percent, 87.5, "prepare %");
}

/* A scenario on a scenario (reform-training.xml on reform.xml): the baseline is the reform's
 * after (1,830,800 a year, 915,400 one-off already there); a 1 h report saves 915,400 a year;
 * the training adds 10,000 x 2 h x 91.54 = 1,830,800 one-off, over this scenario's 4 years
 * 457,700 a year; pay-back 1,830,800 / 915,400 = 2 years. */
static void
test_scenario_chain (void **state)
{
  g_auto (Compared) c = { 0 };
  compare_scenario ("reform-training.xml", test_model, NULL, &c);
  const MoaComparison *cmp = c.comparison;

  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->before.burden, 1830800.00, "before (after the parent's measures)");
  assert_close (total->after.burden, 915400.00, "after");
  assert_close (total->saving, 915400.00, "saving");
  assert_close (total->saving_percent, 50.0, "saving %");
  assert_close (moa_comparison_get_before (cmp)->total.one_off.burden, 915400.00,
                "the parent's one-off is in the baseline");
  assert_close (moa_comparison_get_one_off (cmp), 1830800.00, "one-off the change adds");
  assert_close (moa_comparison_get_one_off_per_year (cmp), 457700.00, "over 4 years");
  assert_close (moa_comparison_get_payback_years (cmp), 2.0, "pay-back");

  assert_int_equal (moa_comparison_get_measures (cmp)->len, 2);
  assert_measure (cmp, 0, "one-hour", 915400, 915400, 0);
  assert_measure (cmp, 1, "training", 0, 0, 1830800);
  assert_close (moa_comparison_get_interaction (cmp), 0.0, "interaction");
}

/* --- attribution ------------------------------------------------------------------------------ */

/* A measure that changes what an earlier one adds (dependent.xml) has no alone saving: NAN,
 * and so is the interaction; the cumulative attribution still adds up to the total:
 * -18,308 + 13,731 = -4,577 (hand computation in the file). */
static void
test_attribution_dependent (void **state)
{
  g_auto (Compared) c = { 0 };
  compare_scenario ("dependent.xml", test_model, NULL, &c);
  const MoaComparison *cmp = c.comparison;
  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->saving, -4577.00, "total saving");
  GArray *measures = moa_comparison_get_measures (cmp);
  assert_int_equal (measures->len, 2);
  const MoaMeasureSaving *add = &g_array_index (measures, MoaMeasureSaving, 0);
  const MoaMeasureSaving *shorter = &g_array_index (measures, MoaMeasureSaving, 1);
  assert_close (add->cumulative, -18308.00, "add-check cumulative");
  assert_close (add->alone, -18308.00, "add-check alone");
  assert_close (shorter->cumulative, 13731.00, "shorter-check cumulative");
  assert_true (isnan (shorter->alone));
  assert_true (isnan (moa_comparison_get_interaction (cmp)));
}

/* Two measures on different activities (independent.xml on two-steps.xml, 200 cases at
 * 91.54 /h): gather 3 h -> 2 h saves 200 x 1 x 91.54 = 18,308, send 1 h -> 0.5 h saves 200 x
 * 0.5 x 91.54 = 9,154; cumulative = alone; both sum to the total 27,462; no interaction. */
static void
test_attribution_independent (void **state)
{
  g_auto (Compared) c = { 0 };
  compare_scenario ("independent.xml", test_model, NULL, &c);
  const MoaComparison *cmp = c.comparison;

  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->before.burden, 73232.00, "before: 200 x 4 h x 91.54");
  assert_close (total->saving, 27462.00, "total saving");
  assert_measure (cmp, 0, "gather-faster", 18308.00, 18308.00, 0);
  assert_measure (cmp, 1, "send-faster", 9154.00, 9154.00, 0);

  double sum_cumulative = 0.0, sum_alone = 0.0;
  GArray *measures = moa_comparison_get_measures (cmp);
  for (guint k = 0; k < measures->len; k++)
    {
      sum_cumulative += g_array_index (measures, MoaMeasureSaving, k).cumulative;
      sum_alone += g_array_index (measures, MoaMeasureSaving, k).alone;
    }
  assert_close (sum_cumulative, total->saving, "sum of the cumulative savings");
  assert_close (sum_alone, total->saving, "sum of the alone savings");
  assert_true (fabs (moa_comparison_get_interaction (cmp)) <= REL_TOL * total->saving);

  /* no one-off: nothing to pay back */
  assert_close (moa_comparison_get_one_off (cmp), 0.0, "one-off");
  assert_true (isnan (moa_comparison_get_payback_years (cmp)));

  /* the activities: gather 200 x 3 h = 600 h -> 400 h, send 200 h -> 100 h */
  const MoaEntitySaving *gather
      = find_entity (cmp, MOA_ENTITY_ACTIVITY, "gather", "filing", "firms");
  assert_close (gather->before.hours, 600.0, "gather hours before");
  assert_close (gather->after.hours, 400.0, "gather hours after");
  assert_close (gather->saving_percent, 100.0 / 3.0, "gather %");
  const MoaEntitySaving *send = find_entity (cmp, MOA_ENTITY_ACTIVITY, "send", "filing", "firms");
  assert_close (send->saving, 9154.00, "send");
  assert_close (send->saving_percent, 50.0, "send %");
}

/* Shorten an activity, then remove it (interacting.xml): cumulative 18,308 then 200 x 2 h x
 * 91.54 = 36,616 (sum 54,924 = the total saving, 200 x 3 h x 91.54); alone 18,308 and 54,924,
 * summing to 73,232: the interaction is 73,232 - 54,924 = 18,308. */
static void
test_attribution_interacting (void **state)
{
  g_auto (Compared) c = { 0 };
  compare_scenario ("interacting.xml", test_model, NULL, &c);
  const MoaComparison *cmp = c.comparison;

  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->saving, 54924.00, "total saving");
  assert_measure (cmp, 0, "gather-faster", 18308.00, 18308.00, 0);
  assert_measure (cmp, 1, "no-gathering", 36616.00, 54924.00, 0);
  assert_close (moa_comparison_get_interaction (cmp), 18308.00, "interaction");

  /* the removed activity counts 0 after: all its burden is saved */
  const MoaEntitySaving *gather
      = find_entity (cmp, MOA_ENTITY_ACTIVITY, "gather", "filing", "firms");
  assert_close (gather->after.burden, 0.0, "gather after");
  assert_close (gather->saving, 54924.00, "gather");
  assert_close (gather->saving_percent, 100.0, "gather %");
}

/* --- entities ------------------------------------------------------------------------------------
 */

/* drop-register.xml removes the business obligation of two-obligations.xml (register 18,308,
 * 200 h; notify 41,000, 1,000 h; total 59,308). The removed obligation saves its whole burden,
 * 100 % of it; the total saves 18,308 / 59,308; citizens nothing. */
static void
test_removed_obligation (void **state)
{
  g_auto (Compared) c = { 0 };
  compare_scenario ("drop-register.xml", test_model, NULL, &c);
  const MoaComparison *cmp = c.comparison;

  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->before.burden, 59308.00, "before");
  assert_close (total->after.burden, 41000.00, "after");
  assert_close (total->saving, 18308.00, "saving");
  assert_close (total->saving_percent, 18308.0 / 59308.0 * 100.0, "saving %");

  const MoaEntitySaving *reg = find_entity (cmp, MOA_ENTITY_OBLIGATION, "register", NULL, NULL);
  assert_close (reg->before.burden, 18308.00, "register before");
  assert_close (reg->after.burden, 0.0, "register after");
  assert_close (reg->saving, reg->before.burden, "a removed obligation saves all its burden");
  assert_close (reg->saving_percent, 100.0, "register %");
  assert_close (reg->before.hours - reg->after.hours, 200.0, "register hours");

  const MoaEntitySaving *fill = find_entity (cmp, MOA_ENTITY_ACTIVITY, "fill", "register", "firms");
  assert_close (fill->saving, 18308.00, "fill");
  assert_close (fill->after.hours, 0.0, "fill after");

  const MoaEntitySaving *notify = find_entity (cmp, MOA_ENTITY_OBLIGATION, "notify", NULL, NULL);
  assert_close (notify->saving, 0.0, "notify");
  assert_close (notify->saving_percent, 0.0, "notify %");

  const MoaEntitySaving *businesses = find_entity (cmp, MOA_ENTITY_BUSINESSES, NULL, NULL, NULL);
  assert_close (businesses->saving, 18308.00, "businesses");
  assert_close (businesses->saving_percent, 100.0, "businesses %");
  const MoaEntitySaving *citizens = find_entity (cmp, MOA_ENTITY_CITIZENS, NULL, NULL, NULL);
  assert_close (citizens->before.burden, 41000.00, "citizens before");
  assert_close (citizens->before.hours, 1000.0, "citizens hours before");
  assert_close (citizens->after.hours, 1000.0, "citizens hours after");
  assert_close (citizens->saving_percent, 0.0, "citizens %");
  const MoaEntitySaving *firms = find_entity (cmp, MOA_ENTITY_GROUP, "firms", NULL, NULL);
  assert_close (firms->saving_percent, 100.0, "firms %");
  const MoaEntitySaving *office = find_entity (cmp, MOA_ENTITY_ADMINISTRATION, NULL, NULL, NULL);
  assert_close (office->saving_percent, 0.0, "percent of a zero before");

  const MoaMeasureSaving *drop = measure_at (cmp, 0, "drop");
  assert_close (drop->cumulative, 18308.00, "drop cumulative");
  assert_close (drop->alone, 18308.00, "drop alone");
  assert_close (drop->businesses_alone, 18308.00, "drop businesses");
  assert_close (drop->citizens_hours_alone, 0.0, "drop citizens' hours");
  assert_close (moa_comparison_get_interaction (cmp), 0.0, "interaction");
}

/* Without @model, a procedure whose cost model is not in the set is an error naming both. */
static void
test_missing_model (void **state)
{
  g_autoptr (MoaProcedure) before = load_procedure ("reform-before.xml");
  g_autoptr (MoaProcedure) after = load_procedure ("reform-after.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaComparison) cmp
      = moa_compare (before, after, NULL, models, NULL, NULL, NULL, NULL, NULL, &error);
  assert_null (cmp);
  assert_true (
      g_error_matches (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL));
  assert_non_null (strstr (error->message, "procedure \"reform-before\""));
  assert_non_null (strstr (error->message, "\"compare-test\""));
}

/* --- paired Monte Carlo ------------------------------------------------------------------------
 */

/* Sample variance (n - 1). */
static double
variance (const double *x, guint n)
{
  double mean = 0.0, ss = 0.0;
  for (guint i = 0; i < n; i++)
    mean += x[i];
  mean /= n;
  for (guint i = 0; i < n; i++)
    ss += (x[i] - mean) * (x[i] - mean);
  return ss / (n - 1);
}

static MoaSimulation *
simulate (const MoaPlan *plan, guint64 seed, guint n)
{
  MoaSimulationOptions options;
  moa_simulation_options_init (&options);
  options.seed = seed;
  options.iterations = n;
  options.threads = 2;
  g_autoptr (GError) error = NULL;
  MoaSimulation *sim = moa_simulate (plan, &options, NULL, NULL, NULL, &error);
  if (sim == NULL)
    fail_msg ("%s", error->message);
  return sim;
}

/* certificate-no-stamp-trip.xml removes the stamp purchase (uniform(5, 15) min + 16 EUR, for
 * 0.49 of the 1,000,000 cases) from the bundled certificato-anagrafico.xml (it-moa: citizens
 * at 15 EUR/h). Exact saving 490,000 x (10/60 h x 15 + 16) = 9,065,000 EUR and 490,000 x 10/60
 * = 81,666.67 h. Per case, Var(before) is about 2.47 EUR^2 (mostly the waiting time
 * triangular(5, 15, 45) min: 0.175^2 x 72.2), Var(after) about 2.34 and the paired difference
 * only 0.1225^2 x 100/12 = 0.125: the paired variance is about 3 % of the independent one. */
static void
test_paired (void **state)
{
  const guint n = 2000;
  MoaCompareOptions options;
  moa_compare_options_init (&options);
  options.iterations = n;
  options.seed = SEED;
  options.threads = 2;
  g_auto (Compared) c = { 0 };
  compare_scenario ("certificate-no-stamp-trip.xml", NULL, &options, &c);
  const MoaComparison *cmp = c.comparison;

  const MoaEntitySaving *total = total_of (cmp);
  assert_close (total->saving, 9065000.00, "exact saving");
  const MoaEntitySaving *citizens = find_entity (cmp, MOA_ENTITY_CITIZENS, NULL, NULL, NULL);
  assert_close (citizens->before.hours - citizens->after.hours, 490000.0 / 6.0, "hours saved");

  assert_int_equal (moa_comparison_get_iterations (cmp), n);
  const MoaStat *saving = moa_comparison_get_saving_stat (cmp);
  const MoaStat *hours = moa_comparison_get_citizens_hours_stat (cmp);
  const MoaStat *business = moa_comparison_get_businesses_stat (cmp);
  assert_non_null (saving);
  assert_non_null (hours);
  assert_non_null (business);
  assert_close (saving->point, 9065000.00, "point of the saving");
  assert_close (hours->point, 490000.0 / 6.0, "point of the hours saved");
  assert_close (business->point, 0.0, "no businesses");
  assert_close (business->sd, 0.0, "no businesses");

  /* the paired mean estimates the exact saving: within K_SE standard errors */
  double se = saving->sd / sqrt ((double)n);
  if (!(se > 0.0 && fabs (saving->mean - saving->point) <= K_SE * se))
    fail_msg ("seed %" G_GUINT64_FORMAT ": paired mean %.2f, exact %.2f, s.e. %.2f", SEED,
              saving->mean, saving->point, se);
  double hours_se = hours->sd / sqrt ((double)n);
  if (!(fabs (hours->mean - hours->point) <= K_SE * hours_se))
    fail_msg ("seed %" G_GUINT64_FORMAT ": hours mean %.2f, exact %.2f, s.e. %.2f", SEED,
              hours->mean, hours->point, hours_se);
  assert_true (saving->p5 <= saving->p50 && saving->p50 <= saving->p95);
  assert_true (saving->ci_low < saving->mean && saving->mean < saving->ci_high);
  /* the 95 % interval of the mean is t(0.975, 1999) s.e. wide each side; t > 1.96, < 1.97 */
  double half = (saving->ci_high - saving->ci_low) / 2.0;
  assert_true (half > 1.96 * se && half < 1.97 * se);
  /* The difference is 490,000 x (T/4 + 16) EUR with T ~ uniform(5, 15) min, between 8,452,500
   * and 9,677,500: s.d. 490,000 / 4 x 10 / sqrt(12) = 353,627. */
  const double *samples = moa_comparison_get_saving_samples (cmp);
  for (guint i = 0; i < n; i++)
    if (!(samples[i] >= 8452500.0 - 1e-6 && samples[i] <= 9677500.0 + 1e-6))
      fail_msg ("seed %" G_GUINT64_FORMAT ": iteration %u saves %.2f, outside the range of the "
                "removed activity",
                SEED, i, samples[i]);
  double sd_expected = 490000.0 / 4.0 * 10.0 / sqrt (12.0);
  if (!(fabs (saving->sd - sd_expected) <= 0.1 * sd_expected))
    fail_msg ("seed %" G_GUINT64_FORMAT ": s.d. of the saving %.1f, expected about %.1f", SEED,
              saving->sd, sd_expected);

  /* The same two procedures simulated independently (seeds A and B) */
  MoaProcedure *before = moa_comparison_get_before (cmp)->procedure;
  MoaProcedure *after = moa_comparison_get_after (cmp)->procedure;
  MoaCostModel *it_moa = moa_model_set_lookup (models, "it-moa");
  assert_non_null (it_moa);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaPlan) before_plan = moa_plan_new (before, it_moa, NULL, &error);
  g_autoptr (MoaPlan) after_plan = moa_plan_new (after, it_moa, NULL, &error);
  assert_non_null (before_plan);
  assert_non_null (after_plan);
  g_autoptr (MoaSimulation) a = simulate (before_plan, SEED, n);
  g_autoptr (MoaSimulation) b = simulate (after_plan, SEED + 1, n);
  const double *xa = moa_simulation_get_samples (a, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  const double *xb = moa_simulation_get_samples (b, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  g_autofree double *independent = g_new (double, n);
  for (guint i = 0; i < n; i++)
    independent[i] = xa[i] - xb[i];

  double var_paired = variance (samples, n);
  double var_independent = variance (independent, n);
  double ratio = var_paired / var_independent;
  printf ("# seed %" G_GUINT64_FORMAT ": variance of the saving paired %.6g, independent %.6g, "
          "ratio %.4f\n",
          SEED, var_paired, var_independent, ratio);
  if (!(ratio < 0.2))
    fail_msg ("seed %" G_GUINT64_FORMAT " (independent: %" G_GUINT64_FORMAT
              "): paired variance %.6g, independent %.6g, ratio %.4f not below 0.2",
              SEED, SEED + 1, var_paired, var_independent, ratio);

  /* the paired samples are the before run with SEED minus the after run with SEED */
  g_autoptr (MoaSimulation) b_same = simulate (after_plan, SEED, n);
  const double *xs = moa_simulation_get_samples (b_same, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  for (guint i = 0; i < n; i++)
    assert_true (samples[i] == xa[i] - xs[i]);
}

/* With totals_only the comparison's paired statistics and saving samples are those of the
 * comparison that keeps every entity's series, bit for bit (they are of totals); its before and
 * after runs keep the four totals (identical to the full runs') and nothing else. */
static void
test_paired_totals_only (void **state)
{
  const guint n = 1003;
  MoaCompareOptions options;
  moa_compare_options_init (&options);
  assert_false (options.totals_only);
  options.iterations = n;
  options.seed = SEED;
  options.threads = 2;
  g_auto (Compared) full = { 0 };
  compare_scenario ("certificate-no-stamp-trip.xml", NULL, &options, &full);
  options.totals_only = TRUE;
  g_auto (Compared) totals = { 0 };
  compare_scenario ("certificate-no-stamp-trip.xml", NULL, &options, &totals);
  const MoaComparison *f = full.comparison, *t = totals.comparison;

  assert_true (moa_comparison_get_options (t)->totals_only);
  assert_int_equal (moa_comparison_get_iterations (t), n);
  const MoaStat *(*getters[]) (const MoaComparison *) = {
    moa_comparison_get_saving_stat,
    moa_comparison_get_citizens_hours_stat,
    moa_comparison_get_businesses_stat,
  };
  for (guint g = 0; g < G_N_ELEMENTS (getters); g++)
    {
      const MoaStat *sf = getters[g](f), *st = getters[g](t);
      assert_non_null (sf);
      assert_non_null (st);
      if (memcmp (sf, st, sizeof *sf) != 0)
        fail_msg ("statistic %u of the saving: mean %.17g / %.17g, sd %.17g / %.17g, p50 %.17g / "
                  "%.17g",
                  g, sf->mean, st->mean, sf->sd, st->sd, sf->p50, st->p50);
    }
  assert_memory_equal (moa_comparison_get_saving_samples (f), moa_comparison_get_saving_samples (t),
                       sizeof (double) * n);

  /* the entity savings are exact figures: the same */
  GArray *ef = moa_comparison_get_entities (f), *et = moa_comparison_get_entities (t);
  assert_int_equal (ef->len, et->len);
  for (guint i = 0; i < ef->len; i++)
    {
      const MoaEntitySaving *a = &g_array_index (ef, MoaEntitySaving, i);
      const MoaEntitySaving *b = &g_array_index (et, MoaEntitySaving, i);
      assert_memory_equal (&a->before, &b->before, sizeof a->before);
      assert_memory_equal (&a->after, &b->after, sizeof a->after);
    }

  const MoaSimulation *runs[2][2] = {
    { moa_comparison_get_before_simulation (f), moa_comparison_get_before_simulation (t) },
    { moa_comparison_get_after_simulation (f), moa_comparison_get_after_simulation (t) },
  };
  for (guint r = 0; r < 2; r++)
    {
      const MoaPlan *plan = moa_simulation_get_plan (runs[r][1]);
      assert_true (moa_simulation_get_options (runs[r][1])->totals_only);
      for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
        for (guint q = 0; q < MOA_QUANTITY_N; q++)
          {
            const MoaStat *st = moa_simulation_get_stat (runs[r][1], e, q);
            const double *xt = moa_simulation_get_samples (runs[r][1], e, q);
            if (e > MOA_ENTITY_ADMINISTRATION)
              {
                assert_null (st);
                assert_null (xt);
                continue;
              }
            assert_non_null (st);
            assert_non_null (xt);
            assert_memory_equal (moa_simulation_get_stat (runs[r][0], e, q), st, sizeof *st);
            assert_memory_equal (moa_simulation_get_samples (runs[r][0], e, q), xt,
                                 sizeof (double) * n);
          }
    }
}

/* --- progress and cancellation ------------------------------------------------------------------
 */

typedef struct
{
  GArray *calls; /* pairs (done, total) */
  GCancellable *cancel_on_first;
} Progress;

static void
record_progress (guint done, guint total, gpointer data)
{
  Progress *p = data;
  g_array_append_val (p->calls, done);
  g_array_append_val (p->calls, total);
  if (p->cancel_on_first != NULL)
    g_cancellable_cancel (p->cancel_on_first);
}

/* Loads the certificate scenario and its two procedures for a direct moa_compare() call. */
typedef struct
{
  MoaScenario *scenario;
  MoaProcedure *before, *after;
} Inputs;

static void
inputs_clear (Inputs *in)
{
  g_clear_pointer (&in->before, moa_procedure_unref);
  g_clear_pointer (&in->after, moa_procedure_unref);
  g_clear_pointer (&in->scenario, moa_scenario_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Inputs, inputs_clear)

static void
load_inputs (const char *name, Inputs *in)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  in->scenario = moa_scenario_load_file (path, NULL, &error);
  if (in->scenario == NULL)
    fail_msg ("%s", error->message);
  in->before = moa_scenario_apply_parents (in->scenario, &error);
  if (in->before == NULL)
    fail_msg ("%s", error->message);
  in->after = moa_scenario_apply (in->scenario, G_MAXUINT, -1, &error);
  if (in->after == NULL)
    fail_msg ("%s", error->message);
}

/* Progress counts the iterations of both runs: done rises to 2 x iterations, the total is
 * always 2 x iterations, and the last call says all is done. */
static void
test_progress (void **state)
{
  g_auto (Inputs) in = { 0 };
  load_inputs ("certificate-no-stamp-trip.xml", &in);
  const guint n = 3000;
  MoaCompareOptions options;
  moa_compare_options_init (&options);
  options.iterations = n;
  options.seed = SEED;
  options.threads = 2;
  Progress p = { g_array_new (FALSE, FALSE, sizeof (guint)), NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaComparison) cmp = moa_compare (in.before, in.after, in.scenario, models, NULL,
                                               &options, NULL, record_progress, &p, &error);
  if (cmp == NULL)
    fail_msg ("%s", error->message);
  assert_true (p.calls->len >= 4); /* at least the end of each run */
  guint previous = 0;
  gboolean second_run = FALSE;
  for (guint i = 0; i < p.calls->len; i += 2)
    {
      guint done = g_array_index (p.calls, guint, i);
      assert_int_equal (g_array_index (p.calls, guint, i + 1), 2 * n);
      assert_true (done >= previous);
      assert_true (done <= 2 * n);
      second_run |= done > n;
      previous = done;
    }
  assert_true (second_run);
  assert_int_equal (g_array_index (p.calls, guint, p.calls->len - 2), 2 * n);
  g_array_unref (p.calls);
}

/* A comparison cancelled before it starts, and one cancelled from the first progress report
 * of its first run, return NULL with G_IO_ERROR_CANCELLED. */
static void
test_cancel (void **state)
{
  g_auto (Inputs) in = { 0 };
  load_inputs ("certificate-no-stamp-trip.xml", &in);
  const guint n = 200000;
  MoaCompareOptions options;
  moa_compare_options_init (&options);
  options.iterations = n;
  options.seed = SEED;
  options.threads = 2;

  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_cancellable_cancel (cancellable);
    g_autoptr (GError) error = NULL;
    /* exact only, then with iterations */
    g_autoptr (MoaComparison) exact = moa_compare (in.before, in.after, in.scenario, models, NULL,
                                                   NULL, cancellable, NULL, NULL, &error);
    assert_null (exact);
    assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    g_clear_error (&error);
    g_autoptr (MoaComparison) cmp = moa_compare (in.before, in.after, in.scenario, models, NULL,
                                                 &options, cancellable, NULL, NULL, &error);
    assert_null (cmp);
    assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  }

  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    Progress p = { g_array_new (FALSE, FALSE, sizeof (guint)), cancellable };
    g_autoptr (GError) error = NULL;
    g_autoptr (MoaComparison) cmp
        = moa_compare (in.before, in.after, in.scenario, models, NULL, &options, cancellable,
                       record_progress, &p, &error);
    assert_null (cmp);
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      fail_msg ("expected G_IO_ERROR_CANCELLED, got %s", error ? error->message : "no error");
    /* it stopped within the first run */
    assert_true (p.calls->len >= 2);
    for (guint i = 0; i < p.calls->len; i += 2)
      assert_true (g_array_index (p.calls, guint, i) < n);
    g_array_unref (p.calls);
  }
}

static int
group_setup (void **state)
{
  g_autoptr (GError) error = NULL;
  const char *env = g_getenv ("MOA_MODELS_DIR");
  g_autofree char *models_dir = env != NULL ? g_strdup (env) : moa_default_models_dir ();
  models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return -1;
    }
  g_autofree char *path = data_path ("models/compare-test.xml");
  test_model = moa_cost_model_load_file (path, NULL, &error);
  if (test_model == NULL)
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
  g_clear_pointer (&test_model, moa_cost_model_unref);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_reform),
    cmocka_unit_test (test_reform_after_procedure),
    cmocka_unit_test (test_scenario_chain),
    cmocka_unit_test (test_attribution_independent),
    cmocka_unit_test (test_attribution_dependent),
    cmocka_unit_test (test_attribution_interacting),
    cmocka_unit_test (test_removed_obligation),
    cmocka_unit_test (test_missing_model),
    cmocka_unit_test (test_paired),
    cmocka_unit_test (test_paired_totals_only),
    cmocka_unit_test (test_progress),
    cmocka_unit_test (test_cancel),
  };
  return cmocka_run_group_tests_name ("test-compare", tests, group_setup, group_teardown);
}
