/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two-level Monte Carlo (issue 3; simulation.md §3–4): the mean agrees with the exact value on
 * every bundled procedure, the output does not depend on the threads, seeds reproduce, common
 * random numbers pair two scenarios, --precision stops where it says, the statistics of a hand
 * case, cancellation, progress, and the async twin. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gio/gio.h>
#include <glib.h>

#include "moa-config.h"
#include "moa-plan-private.h"
#include "moa-random.h"
#include "moa-simulation.h"
#include "moa.h"
#include "moa-test-support.h"

/* The fixed seed of every Monte Carlo check; printed on failure. */
#define SEED G_GUINT64_CONSTANT (20240611)
/* Tolerance of Monte Carlo checks, in standard errors (style.md §15). */
#define K_SE 4.0
/* Relative tolerance of figures that are exact arithmetic. */
#define REL_TOL 1e-9

static MoaModelSet *models;      /* the shipped cost models ($MOA_MODELS_DIR) */
static MoaModelSet *test_models; /* tests/test-simulation/models */
static char *procedures_dir;
/* MOA_TEST_THOROUGH=1 (the 'slow' suite): ten times the iterations, and more seeds. */
static gboolean thorough;

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");
  return dir != NULL ? dir : MOA_TESTS_SRCDIR;
}

static char *
data_path (const char *name)
{
  return g_build_filename (srcdir (), "test-simulation", name, NULL);
}

/* Loads @path and plans it against its cost model from @set; fails the test on any error.
 * The plan holds its own references to the procedure and the model. */
static MoaPlan *
load_plan (const char *path, const MoaModelSet *set)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, problems, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  MoaCostModel *model = moa_model_set_lookup (set, procedure->cost_model);
  if (model == NULL)
    fail_msg ("%s: cost model \"%s\" not found", path, procedure->cost_model);
  MoaPlan *plan = moa_plan_new (procedure, model, problems, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  return plan;
}

static MoaPlan *
load_test_plan (const char *name)
{
  g_autofree char *path = data_path (name);
  return load_plan (path, test_models);
}

static MoaSimulationOptions
make_options (guint64 seed, guint iterations, guint threads)
{
  MoaSimulationOptions options;
  moa_simulation_options_init (&options);
  options.seed = seed;
  options.iterations = iterations;
  options.threads = threads;
  return options;
}

static MoaSimulation *
simulate_or_fail (const MoaPlan *plan, const MoaSimulationOptions *options, const char *what)
{
  g_autoptr (GError) error = NULL;
  MoaSimulation *sim = moa_simulate (plan, options, NULL, NULL, NULL, &error);
  if (sim == NULL)
    fail_msg ("%s (seed %" G_GUINT64_FORMAT "): %s", what, options->seed, error->message);
  return sim;
}

/* The index of the entity of @kind named @id (fails when there is none). */
static guint
find_entity (const MoaPlan *plan, MoaEntityKind kind, const char *id)
{
  for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
    {
      const MoaEntity *entity = moa_plan_get_entity (plan, e);
      if (entity->kind == kind && g_strcmp0 (entity->id, id) == 0)
        return e;
    }
  fail_msg ("no entity of kind %d named \"%s\"", kind, id);
  return 0;
}

/* Mean and sample standard deviation (n - 1), two passes: the reference the statistics of a
 * simulation are checked against. */
static double
mean_sd (const double *x, guint n, double *sd)
{
  double sum = 0;
  for (guint i = 0; i < n; i++)
    sum += x[i];
  double mean = sum / n;
  double ss = 0;
  for (guint i = 0; i < n; i++)
    ss += (x[i] - mean) * (x[i] - mean);
  *sd = n > 1 ? sqrt (ss / (n - 1)) : 0.0;
  return mean;
}

/* Student's t quantile t_{0.975, df} by the Cornish-Fisher expansion around the normal
 * quantile z = 1.959964 (Abramowitz & Stegun 26.7.5); the error is below 1e-8 for df >= 50. */
static double
t975 (double df)
{
  const double z = 1.959963984540054;
  double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
  double g1 = (z3 + z) / 4;
  double g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  double g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  double g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static gboolean
close_rel (double a, double b, double rel)
{
  return fabs (a - b) <= rel * MAX (1.0, MAX (fabs (a), fabs (b)));
}

/* Every statistic and every sample of two simulations, bit for bit; @what names the pair. */
static void
assert_identical (const MoaSimulation *a, const MoaSimulation *b, const char *what)
{
  const MoaPlan *plan = moa_simulation_get_plan (a);
  guint n = moa_simulation_get_iterations (a);

  if (moa_simulation_get_iterations (b) != n)
    fail_msg ("%s: %u iterations against %u", what, moa_simulation_get_iterations (b), n);
  for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
    for (guint q = 0; q < MOA_QUANTITY_N; q++)
      {
        const MoaEntity *entity = moa_plan_get_entity (plan, e);
        const MoaStat *sa = moa_simulation_get_stat (a, e, q);
        const MoaStat *sb = moa_simulation_get_stat (b, e, q);
        if (memcmp (sa, sb, sizeof *sa) != 0)
          fail_msg ("%s: entity %u (%s) %s: statistics differ: mean %.17g / %.17g, sd %.17g / "
                    "%.17g, p5 %.17g / %.17g, p95 %.17g / %.17g",
                    what, e, entity->id, moa_quantity_names[q], sa->mean, sb->mean, sa->sd, sb->sd,
                    sa->p5, sb->p5, sa->p95, sb->p95);
        const double *xa = moa_simulation_get_samples (a, e, q);
        const double *xb = moa_simulation_get_samples (b, e, q);
        if (memcmp (xa, xb, sizeof (double) * n) != 0)
          for (guint i = 0; i < n; i++)
            if (memcmp (&xa[i], &xb[i], sizeof (double)) != 0)
              fail_msg ("%s: entity %u (%s) %s: sample %u is %.17g / %.17g", what, e, entity->id,
                        moa_quantity_names[q], i, xa[i], xb[i]);
      }
}

/* --- (a) every bundled procedure: the Monte Carlo mean against the exact value ------------ */

/* The MoaTotal of one of the four totals in an exact result. */
static const MoaTotal *
result_total (const MoaResult *result, guint entity)
{
  switch (entity)
    {
      case MOA_ENTITY_TOTAL:
        return &result->total;
      case MOA_ENTITY_CITIZENS:
        return &result->citizens;
      case MOA_ENTITY_BUSINESSES:
        return &result->businesses;
      case MOA_ENTITY_ADMINISTRATION:
        return &result->administration;
      default:
        g_assert_not_reached ();
    }
}

static double
total_quantity (const MoaTotal *t, MoaQuantity q)
{
  switch (q)
    {
      case MOA_QUANTITY_BURDEN:
        return t->recurring.burden;
      case MOA_QUANTITY_COST:
        return t->recurring.cost;
      case MOA_QUANTITY_HOURS:
        return t->recurring.hours;
      case MOA_QUANTITY_ONE_OFF_BURDEN:
        return t->one_off.burden;
      default:
        g_assert_not_reached ();
    }
}

/* Why the analytic value is the expectation: each figure is a sum of products
 * visits × cases × (time × tariff × (1 + overhead) × (1 − bau), fees, out-of-pocket …), and
 * cases = population × frequency × compliance. With every branch probability fixed, the visits
 * are constants; every other parameter is drawn independently of the others and enters each
 * product at most once (degree 1), so the figure is multilinear in independent parameters and
 * E[figure] = figure(E[parameters]): the point estimate (truncated laws included, since the
 * point uses each law's truncated mean, as the samplers do). Two things would break this and
 * are checked first: an uncertain branch probability (visits are not linear in it, e.g. 1/(1-r)
 * for a loop), and an uncertain population where an obligation shares `cases` among segments
 * in proportion to their populations (a ratio). */
static void
assert_linear_in_parameters (const MoaPlan *plan, const char *file)
{
  MoaProcedure *procedure = moa_plan_get_procedure (plan);
  gboolean shares_cases = FALSE;
  for (guint o = 0; o < procedure->obligations->len; o++)
    {
      const MoaObligation *obligation = g_ptr_array_index (procedure->obligations, o);
      shares_cases = shares_cases || obligation->cases.value != NULL;
    }
  for (guint p = 0; p < moa_plan_get_n_params (plan); p++)
    {
      if (!moa_value_is_uncertain (moa_plan_get_param (plan, p)))
        continue;
      const char *key = moa_plan_get_param_key (plan, p);
      if (strstr (key, ":probability") != NULL)
        fail_msg ("%s: %s is uncertain: the expectation of the burden is no longer the point "
                  "estimate, so this check needs another oracle for this procedure",
                  file, key);
      if (shares_cases && strstr (key, ":population") != NULL)
        fail_msg ("%s: %s is uncertain and cases are shared in proportion to populations: the "
                  "expectation is no longer the point estimate",
                  file, key);
    }
}

static const struct
{
  guint entity;
  MoaQuantity quantity;
  const char *name;
} checked_series[] = {
  { MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN, "total burden" },
  { MOA_ENTITY_TOTAL, MOA_QUANTITY_COST, "total cost" },
  { MOA_ENTITY_TOTAL, MOA_QUANTITY_ONE_OFF_BURDEN, "total one-off burden" },
  { MOA_ENTITY_CITIZENS, MOA_QUANTITY_HOURS, "citizens' hours" },
  { MOA_ENTITY_BUSINESSES, MOA_QUANTITY_BURDEN, "businesses' burden" },
  { MOA_ENTITY_ADMINISTRATION, MOA_QUANTITY_HOURS, "administration's hours" },
};

static void
test_bundled_means (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) paths = moa_test_list_xml (procedures_dir);
  if (paths->len == 0)
    fail_msg ("no procedures in %s", procedures_dir);

  const guint iterations = thorough ? 20000 : 2000;
  const guint n_seeds = thorough ? 3 : 1;
  guint uncertain_series = 0;

  for (guint f = 0; f < paths->len; f++)
    {
      const char *path = g_ptr_array_index (paths, f);
      g_autofree char *file = g_path_get_basename (path);
      g_autoptr (MoaPlan) plan = load_plan (path, models);
      assert_linear_in_parameters (plan, file);
      g_autoptr (MoaResult) exact = moa_plan_evaluate (plan, NULL, &error);
      if (exact == NULL)
        fail_msg ("%s: %s", file, error->message);

      for (guint s = 0; s < n_seeds; s++)
        {
          guint64 seed = SEED + s;
          MoaSimulationOptions options = make_options (seed, iterations, 0);
          g_autoptr (MoaSimulation) sim = simulate_or_fail (plan, &options, file);
          assert_int_equal (moa_simulation_get_iterations (sim), iterations);

          for (gsize k = 0; k < G_N_ELEMENTS (checked_series); k++)
            {
              guint e = checked_series[k].entity;
              MoaQuantity q = checked_series[k].quantity;
              double value = total_quantity (result_total (exact, e), q);
              const MoaStat *stat = moa_simulation_get_stat (sim, e, q);

              if (!close_rel (stat->point, value, REL_TOL))
                fail_msg ("%s: %s: point %.17g, but the exact evaluation gives %.17g", file,
                          checked_series[k].name, stat->point, value);
              double se = stat->sd / sqrt ((double)iterations);
              double z = se > 0 ? (stat->mean - value) / se : 0.0;
              if (se > 0)
                uncertain_series++;
              printf ("# %s, seed %" G_GUINT64_FORMAT ": %s: exact %.6g, mean %.6g, s.e. %.3g, "
                      "z %+.2f\n",
                      file, seed, checked_series[k].name, value, stat->mean, se, z);
              if (se > 0 ? fabs (stat->mean - value) > K_SE * se
                         : !close_rel (stat->mean, value, REL_TOL))
                fail_msg ("%s, seed %" G_GUINT64_FORMAT ", %u iterations: %s: Monte Carlo mean "
                          "%.10g, exact %.10g: %.2f standard errors (s.e. %.4g) apart, more than "
                          "%.0f",
                          file, seed, iterations, checked_series[k].name, stat->mean, value,
                          fabs (z), se, K_SE);
            }
        }
    }
  /* The library has uncertain times: the check compared real spreads, not constants. */
  assert_true (uncertain_series >= paths->len);
}

/* --- (b), (c) threads and seeds ---------------------------------------------------------- */

/* A bundled procedure with loops, and the test procedure that has every kind of uncertain
 * parameter (uncertain loop probabilities, samples of branch probabilities whose sum exceeds
 * 1, segments, a citizen group, a one-off obligation). */
static MoaPlan *
plan_by_index (guint i)
{
  if (i == 0)
    {
      g_autofree char *path = g_build_filename (procedures_dir, "riconoscimento-iap.xml", NULL);
      return load_plan (path, models);
    }
  return load_test_plan ("loops.xml");
}

static void
test_threads (void **state)
{
  static const guint threads[] = { 2, 4, 0 };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (MoaPlan) plan = plan_by_index (i);
      const char *id = moa_plan_get_procedure (plan)->id;

      /* A count that is no multiple of any chunk size a pool would use. */
      MoaSimulationOptions options = make_options (SEED, 1003, 1);
      g_autoptr (MoaSimulation) one = simulate_or_fail (plan, &options, id);
      for (gsize t = 0; t < G_N_ELEMENTS (threads); t++)
        {
          options.threads = threads[t];
          g_autoptr (MoaSimulation) many = simulate_or_fail (plan, &options, id);
          g_autofree char *what = g_strdup_printf ("%s, seed %" G_GUINT64_FORMAT ", 1 thread "
                                                   "against %u (0: all cores)",
                                                   id, SEED, threads[t]);
          assert_identical (one, many, what);
        }

      /* With a precision target the stopping point must not depend on the threads either. */
      MoaSimulationOptions precise = make_options (SEED, 5000, 1);
      precise.precision = 0.005;
      g_autoptr (MoaSimulation) p1 = simulate_or_fail (plan, &precise, id);
      for (gsize t = 0; t < G_N_ELEMENTS (threads); t++)
        {
          precise.threads = threads[t];
          g_autoptr (MoaSimulation) pn = simulate_or_fail (plan, &precise, id);
          g_autofree char *what
              = g_strdup_printf ("%s, precision 0.005, seed %" G_GUINT64_FORMAT ", 1 thread "
                                 "against %u",
                                 id, SEED, threads[t]);
          assert_identical (p1, pn, what);
        }

      /* Every sample is a finite figure. */
      for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
        for (guint q = 0; q < MOA_QUANTITY_N; q++)
          {
            const double *x = moa_simulation_get_samples (one, e, q);
            for (guint k = 0; k < 1003; k++)
              if (!isfinite (x[k]) || x[k] < 0)
                fail_msg ("%s: entity %u %s sample %u is %g", id, e, moa_quantity_names[q], k,
                          x[k]);
          }
    }
}

/* totals_only keeps the four totals' series only: their samples and statistics are those of
 * the run that keeps everything, bit for bit, at any thread count and with a precision
 * target; every other entity's are NULL. */
static void
assert_totals_identical (const MoaSimulation *full, const MoaSimulation *totals, const char *what)
{
  const MoaPlan *plan = moa_simulation_get_plan (full);
  guint n = moa_simulation_get_iterations (full);

  if (moa_simulation_get_iterations (totals) != n)
    fail_msg ("%s: %u iterations against %u", what, moa_simulation_get_iterations (totals), n);
  assert_true (moa_simulation_get_options (totals)->totals_only);
  assert_false (moa_simulation_get_options (full)->totals_only);
  for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
    for (guint q = 0; q < MOA_QUANTITY_N; q++)
      {
        const MoaEntity *entity = moa_plan_get_entity (plan, e);
        const MoaStat *sf = moa_simulation_get_stat (full, e, q);
        const MoaStat *st = moa_simulation_get_stat (totals, e, q);
        const double *xf = moa_simulation_get_samples (full, e, q);
        const double *xt = moa_simulation_get_samples (totals, e, q);
        assert_non_null (sf);
        assert_non_null (xf);
        if (e > MOA_ENTITY_ADMINISTRATION)
          {
            if (st != NULL || xt != NULL)
              fail_msg ("%s: entity %u (%s) %s: a totals-only run gives its %s", what, e,
                        entity->id, moa_quantity_names[q], st != NULL ? "statistic" : "samples");
            continue;
          }
        if (st == NULL || xt == NULL)
          fail_msg ("%s: total %u %s: no %s in the totals-only run", what, e, moa_quantity_names[q],
                    st == NULL ? "statistic" : "samples");
        if (memcmp (sf, st, sizeof *sf) != 0)
          fail_msg ("%s: total %u %s: statistics differ: point %.17g / %.17g, mean %.17g / "
                    "%.17g, sd %.17g / %.17g, p5 %.17g / %.17g, p50 %.17g / %.17g, p95 %.17g / "
                    "%.17g",
                    what, e, moa_quantity_names[q], sf->point, st->point, sf->mean, st->mean,
                    sf->sd, st->sd, sf->p5, st->p5, sf->p50, st->p50, sf->p95, st->p95);
        if (memcmp (xf, xt, sizeof (double) * n) != 0)
          for (guint i = 0; i < n; i++)
            if (memcmp (&xf[i], &xt[i], sizeof (double)) != 0)
              fail_msg ("%s: total %u %s: sample %u is %.17g / %.17g", what, e,
                        moa_quantity_names[q], i, xf[i], xt[i]);
      }
}

static void
test_totals_only (void **state)
{
  g_autoptr (GPtrArray) paths = moa_test_list_xml (procedures_dir);
  g_autofree char *loops = data_path ("loops.xml");
  g_ptr_array_add (paths, g_strdup (loops));
  if (paths->len < 2)
    fail_msg ("no procedures in %s", procedures_dir);

  for (guint f = 0; f < paths->len; f++)
    {
      const char *path = g_ptr_array_index (paths, f);
      g_autofree char *file = g_path_get_basename (path);
      g_autoptr (MoaPlan) plan = load_plan (path, f + 1 == paths->len ? test_models : models);

      /* a count that is no multiple of the chunk */
      MoaSimulationOptions options = make_options (SEED, 1003, 1);
      g_autoptr (MoaSimulation) full = simulate_or_fail (plan, &options, file);
      options.totals_only = TRUE;
      for (guint threads = 1; threads <= 2; threads++)
        {
          options.threads = threads;
          g_autoptr (MoaSimulation) totals = simulate_or_fail (plan, &options, file);
          g_autofree char *what = g_strdup_printf (
              "%s, seed %" G_GUINT64_FORMAT ", everything on 1 thread against the totals on %u",
              file, SEED, threads);
          assert_totals_identical (full, totals, what);
        }

      /* with a precision target the stopping point is that of the full run */
      MoaSimulationOptions precise = make_options (SEED, 5000, 2);
      precise.precision = 0.005;
      g_autoptr (MoaSimulation) pf = simulate_or_fail (plan, &precise, file);
      precise.totals_only = TRUE;
      g_autoptr (MoaSimulation) pt = simulate_or_fail (plan, &precise, file);
      g_autofree char *what
          = g_strdup_printf ("%s, precision 0.005, seed %" G_GUINT64_FORMAT, file, SEED);
      assert_totals_identical (pf, pt, what);
    }
}

static void
test_seeds (void **state)
{
  g_autoptr (MoaPlan) plan = load_test_plan ("loops.xml");
  const guint n = 1000;
  MoaSimulationOptions options = make_options (SEED, n, 0);

  g_autoptr (MoaSimulation) a = simulate_or_fail (plan, &options, "loops.xml");
  g_autoptr (MoaSimulation) b = simulate_or_fail (plan, &options, "loops.xml");
  assert_identical (a, b, "loops.xml, the same seed twice");
  assert_true (moa_simulation_get_options (a)->seed == SEED);
  assert_int_equal (moa_simulation_get_options (a)->iterations, n);
  assert_ptr_equal (moa_simulation_get_plan (a), plan);

  options.seed = SEED + 1;
  g_autoptr (MoaSimulation) c = simulate_or_fail (plan, &options, "loops.xml");
  assert_int_equal (moa_simulation_get_iterations (c), n);
  /* Continuous laws: with another seed, (almost) every sample of every uncertain series
   * differs. */
  for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
    {
      const double *xa = moa_simulation_get_samples (a, e, MOA_QUANTITY_BURDEN);
      const double *xc = moa_simulation_get_samples (c, e, MOA_QUANTITY_BURDEN);
      if (moa_simulation_get_stat (a, e, MOA_QUANTITY_BURDEN)->sd == 0)
        continue;
      guint same = 0;
      for (guint i = 0; i < n; i++)
        same += xa[i] == xc[i];
      if (same > n / 100)
        fail_msg ("loops.xml: entity %u (%s): %u of %u burden samples are equal with seeds "
                  "%" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT,
                  e, moa_plan_get_entity (plan, e)->id, same, n, SEED, SEED + 1);
    }
  assert_true (moa_simulation_get_stat (a, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN)->mean
               != moa_simulation_get_stat (c, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN)->mean);
}

/* --- (d) common random numbers ------------------------------------------------------------ */

static double
variance_of_difference (const double *a, const double *b, guint n)
{
  g_autofree double *d = g_new (double, n);
  for (guint i = 0; i < n; i++)
    d[i] = a[i] - b[i];
  double sd;
  mean_sd (d, n, &sd);
  return sd * sd;
}

/* crn-before.xml and crn-after.xml differ only in the time of "small": uniform(1, 2) h, then
 * uniform(1, 3) h; "big" is uniform(10, 30) h in both; 10 EUR/h, one case a year, no overhead.
 * Total T = 10 (big + small).
 * Independent seeds: Var(T_after − T_before) = 100 (Var big + Var small_before + Var big +
 * Var small_after) = 100 (400/12 + 1/12 + 400/12 + 4/12) = 100 × 805/12 = 6708.33.
 * Same seed (common random numbers): "big" is drawn from the same stream in both, so it cancels
 * exactly, and "small" is drawn from the same stream too, so the two draws are coupled:
 * Var = 100 Var(small_after − small_before) ≤ 100 (1/√12 + 2/√12)² = 75 for any coupling,
 * < 100 (1/12 + 4/12) = 41.67 for a positive one, and 100 Var(u) = 100/12 = 8.33 when the
 * uniform law is drawn by inverse transform (a + (b − a) u). Ratio ≈ 8.33 / 6708 = 0.0012. */
static void
test_common_random_numbers (void **state)
{
  g_autoptr (MoaPlan) before = load_test_plan ("crn-before.xml");
  g_autoptr (MoaPlan) after = load_test_plan ("crn-after.xml");
  const guint n = thorough ? 20000 : 2000;
  MoaSimulationOptions options = make_options (SEED, n, 0);

  g_autoptr (MoaSimulation) sb = simulate_or_fail (before, &options, "crn-before.xml");
  g_autoptr (MoaSimulation) sa = simulate_or_fail (after, &options, "crn-after.xml");
  options.seed = SEED + 1;
  g_autoptr (MoaSimulation) sa_other = simulate_or_fail (after, &options, "crn-after.xml");

  /* The unchanged activity: the same samples, bit for bit. */
  guint big_b = find_entity (before, MOA_ENTITY_ACTIVITY, "big");
  guint big_a = find_entity (after, MOA_ENTITY_ACTIVITY, "big");
  const double *xb = moa_simulation_get_samples (sb, big_b, MOA_QUANTITY_BURDEN);
  const double *xa = moa_simulation_get_samples (sa, big_a, MOA_QUANTITY_BURDEN);
  for (guint i = 0; i < n; i++)
    if (memcmp (&xb[i], &xa[i], sizeof (double)) != 0)
      fail_msg ("seed %" G_GUINT64_FORMAT ": activity \"big\", iteration %u: %.17g before, "
                "%.17g after: an unchanged activity must draw the same numbers",
                SEED, i, xb[i], xa[i]);
  /* ... and the changed one does change. */
  guint small_b = find_entity (before, MOA_ENTITY_ACTIVITY, "small");
  guint small_a = find_entity (after, MOA_ENTITY_ACTIVITY, "small");
  assert_true (moa_simulation_get_samples (sb, small_b, MOA_QUANTITY_BURDEN)[0]
               != moa_simulation_get_samples (sa, small_a, MOA_QUANTITY_BURDEN)[0]);

  const double *tb = moa_simulation_get_samples (sb, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  const double *ta = moa_simulation_get_samples (sa, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  const double *ta_other
      = moa_simulation_get_samples (sa_other, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  double var_crn = variance_of_difference (ta, tb, n);
  double var_ind = variance_of_difference (ta_other, tb, n);
  double expected_ind = 100.0 * 805.0 / 12.0;
  /* The sample variance of a sum of uniforms (kurtosis below the normal's) has a relative
   * standard error below √(2 / (n − 1)). */
  double rel_se = sqrt (2.0 / (n - 1));
  printf ("# common random numbers, seed %" G_GUINT64_FORMAT ", %u iterations: Var(after - "
          "before) %.4g paired, %.6g with independent seeds (expected 6708.33), ratio %.3g\n",
          SEED, n, var_crn, var_ind, var_crn / var_ind);
  if (fabs (var_ind / expected_ind - 1) > K_SE * rel_se)
    fail_msg ("seeds %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT ": Var(after - before) = "
              "%.6g with independent seeds, expected 6708.33 within %.1f %%",
              SEED, SEED + 1, var_ind, 100 * K_SE * rel_se);
  if (!(var_crn < 100.0 * 5.0 / 12.0 * 0.5))
    fail_msg ("seed %" G_GUINT64_FORMAT ": Var(after - before) = %.6g with common random "
              "numbers: the draws of \"small\" are not coupled (independent draws give 41.67)",
              SEED, var_crn);
  if (!(var_crn / var_ind < 0.1))
    fail_msg ("seed %" G_GUINT64_FORMAT ": paired variance %.6g is not far below the "
              "independent %.6g",
              SEED, var_crn, var_ind);

  /* The paired saving is estimated around its true value, 220 − 215 = 5 EUR. */
  g_autofree double *d = g_new (double, n);
  for (guint i = 0; i < n; i++)
    d[i] = ta[i] - tb[i];
  double sd;
  double mean = mean_sd (d, n, &sd);
  if (fabs (mean - 5.0) > K_SE * sd / sqrt ((double)n))
    fail_msg ("seed %" G_GUINT64_FORMAT ": mean paired difference %.6g, expected 5", SEED, mean);
}

/* crn-extra.xml is crn-before.xml with one more activity, "extra", ahead of "big": the draws
 * are keyed by element and parameter, not by the order in which a plan samples them, so "big"
 * and "small" keep their samples and the paired difference of the totals is exactly the new
 * activity's burden, 10 U(0.5, 1): variance 100 × 0.25 / 12 = 2.083. */
static void
test_common_random_numbers_extra_step (void **state)
{
  g_autoptr (MoaPlan) before = load_test_plan ("crn-before.xml");
  g_autoptr (MoaPlan) extra = load_test_plan ("crn-extra.xml");
  const guint n = 2000;
  MoaSimulationOptions options = make_options (SEED, n, 0);
  g_autoptr (MoaSimulation) sb = simulate_or_fail (before, &options, "crn-before.xml");
  g_autoptr (MoaSimulation) se = simulate_or_fail (extra, &options, "crn-extra.xml");

  static const char *const unchanged[] = { "big", "small" };
  for (gsize k = 0; k < G_N_ELEMENTS (unchanged); k++)
    {
      const double *xb = moa_simulation_get_samples (
          sb, find_entity (before, MOA_ENTITY_ACTIVITY, unchanged[k]), MOA_QUANTITY_BURDEN);
      const double *xe = moa_simulation_get_samples (
          se, find_entity (extra, MOA_ENTITY_ACTIVITY, unchanged[k]), MOA_QUANTITY_BURDEN);
      for (guint i = 0; i < n; i++)
        if (memcmp (&xb[i], &xe[i], sizeof (double)) != 0)
          fail_msg ("seed %" G_GUINT64_FORMAT ": activity \"%s\", iteration %u: %.17g, then "
                    "%.17g once another activity is added before it",
                    SEED, unchanged[k], i, xb[i], xe[i]);
    }

  const double *tb = moa_simulation_get_samples (sb, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  const double *te = moa_simulation_get_samples (se, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  const double *xx = moa_simulation_get_samples (
      se, find_entity (extra, MOA_ENTITY_ACTIVITY, "extra"), MOA_QUANTITY_BURDEN);
  for (guint i = 0; i < n; i++)
    {
      if (!(xx[i] >= 5.0 && xx[i] <= 10.0))
        fail_msg ("iteration %u: \"extra\" costs %.17g, outside 10 × [0.5, 1]", i, xx[i]);
      if (fabs ((te[i] - tb[i]) - xx[i]) > 1e-12 * te[i])
        fail_msg ("seed %" G_GUINT64_FORMAT ", iteration %u: the totals differ by %.17g, the "
                  "added activity costs %.17g",
                  SEED, i, te[i] - tb[i], xx[i]);
    }
  double var = variance_of_difference (te, tb, n);
  if (fabs (var / (100.0 * 0.25 / 12.0) - 1) > K_SE * sqrt (2.0 / (n - 1)))
    fail_msg ("seed %" G_GUINT64_FORMAT ": Var(extra - before) = %.6g, expected 2.083", SEED, var);
}

/* --- (e) --precision ---------------------------------------------------------------------- */

/* Relative half-width of the 95 % interval of the mean of the first @n samples. */
static double
relative_half_width (const double *x, guint n)
{
  double sd;
  double mean = mean_sd (x, n, &sd);
  return t975 (n - 1) * sd / sqrt ((double)n) / fabs (mean);
}

/* hand.xml: total = 10 U(1, 3), coefficient of variation (2/√12) / 2 = 0.288675. The relative
 * half-width 1.96 × 0.288675 / √n reaches 0.01 at n = (1.96 × 28.8675)² = 3201. */
static void
test_precision (void **state)
{
  g_autoptr (MoaPlan) plan = load_test_plan ("hand.xml");
  static const guint batches[] = { 100, 250 };

  for (gsize k = 0; k < G_N_ELEMENTS (batches); k++)
    {
      guint batch = batches[k];
      MoaSimulationOptions options = make_options (SEED, 100000, 0);
      options.precision = 0.01;
      options.min_iterations = batch;
      g_autoptr (MoaSimulation) sim = simulate_or_fail (plan, &options, "hand.xml");
      guint n = moa_simulation_get_iterations (sim);
      const MoaStat *stat = moa_simulation_get_stat (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
      double rel = (stat->ci_high - stat->ci_low) / 2 / fabs (stat->mean);
      printf ("# precision 0.01, batch %u, seed %" G_GUINT64_FORMAT ": stopped after %u "
              "iterations, relative half-width %.5f\n",
              batch, SEED, n, rel);

      if (!(rel <= 0.01))
        fail_msg ("seed %" G_GUINT64_FORMAT ": stopped after %u iterations with a relative "
                  "half-width of %.6g, above the target 0.01",
                  SEED, n, rel);
      if (n % batch != 0 || n < batch)
        fail_msg ("seed %" G_GUINT64_FORMAT ": %u iterations is not a multiple of the batch %u",
                  SEED, n, batch);
      if (n < 2800 || n > 3700)
        fail_msg ("seed %" G_GUINT64_FORMAT ": stopped after %u iterations, expected about 3201",
                  SEED, n);
      /* It stopped at the first batch that met the target: one batch earlier it was not met. */
      const double *x = moa_simulation_get_samples (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
      double before = relative_half_width (x, n - batch);
      if (!(before > 0.01))
        fail_msg ("seed %" G_GUINT64_FORMAT ": after %u iterations the relative half-width was "
                  "already %.6g: it should have stopped there",
                  SEED, n - batch, before);
      assert_true (close_rel (relative_half_width (x, n), rel, 1e-6));
    }

  /* An unreachable target stops at the maximum, even when that is no multiple of the batch. */
  MoaSimulationOptions options = make_options (SEED, 1050, 0);
  options.precision = 1e-6;
  g_autoptr (MoaSimulation) sim = simulate_or_fail (plan, &options, "hand.xml");
  assert_int_equal (moa_simulation_get_iterations (sim), 1050);
  const MoaStat *stat = moa_simulation_get_stat (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  assert_true ((stat->ci_high - stat->ci_low) / 2 / stat->mean > 1e-6);

  /* A target met at once still runs min_iterations. */
  options = make_options (SEED, 10000, 0);
  options.precision = 0.5;
  options.min_iterations = 300;
  g_autoptr (MoaSimulation) quick = simulate_or_fail (plan, &options, "hand.xml");
  assert_int_equal (moa_simulation_get_iterations (quick), 300);
}

/* --- (f) statistics of a hand case -------------------------------------------------------- */

/* hand.xml: total burden = 10 EUR/h × U(1, 3) h: mean 20, s.d. 10 × 2/√12 = 5.7735,
 * P5 = 10 (1 + 0.05 × 2) = 11, P50 = 20, P95 = 29; hours U(1, 3): mean 2.
 * Standard errors: mean σ/√n; s.d. σ √((κ − 1) / (4n)) with the uniform's kurtosis κ = 9/5;
 * the p-quantile √(p (1 − p) / n) / f with the density f = 1/20. */
static void
test_hand_statistics (void **state)
{
  g_autoptr (MoaPlan) plan = load_test_plan ("hand.xml");
  const guint n = thorough ? 100000 : 10000;
  MoaSimulationOptions options = make_options (SEED, n, 0);
  g_autoptr (MoaSimulation) sim = simulate_or_fail (plan, &options, "hand.xml");
  assert_int_equal (moa_simulation_get_iterations (sim), n);

  const MoaStat *s = moa_simulation_get_stat (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  const double *x = moa_simulation_get_samples (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  const double sigma = 20.0 / sqrt (12.0);
  const double rn = sqrt ((double)n);
  printf ("# hand case, seed %" G_GUINT64_FORMAT ", %u iterations: point %.6g mean %.6g sd %.6g "
          "P5 %.6g P50 %.6g P95 %.6g CI [%.6g, %.6g]\n",
          SEED, n, s->point, s->mean, s->sd, s->p5, s->p50, s->p95, s->ci_low, s->ci_high);

  assert_true (close_rel (s->point, 20.0, 1e-12));
  struct
  {
    const char *name;
    double got, expected, tolerance;
  } checks[] = {
    { "mean", s->mean, 20.0, K_SE * sigma / rn },
    { "s.d.", s->sd, sigma, K_SE * sigma * sqrt (0.8 / 4) / rn },
    { "P5", s->p5, 11.0, K_SE * 20.0 * sqrt (0.05 * 0.95) / rn },
    { "P50", s->p50, 20.0, K_SE * 20.0 * 0.5 / rn },
    { "P95", s->p95, 29.0, K_SE * 20.0 * sqrt (0.05 * 0.95) / rn },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (checks); k++)
    if (fabs (checks[k].got - checks[k].expected) > checks[k].tolerance)
      fail_msg ("hand.xml, seed %" G_GUINT64_FORMAT ", %u iterations: %s %.6g, expected %.6g "
                "within %.3g",
                SEED, n, checks[k].name, checks[k].got, checks[k].expected, checks[k].tolerance);
  if (!(s->ci_low <= 20.0 && 20.0 <= s->ci_high))
    fail_msg ("hand.xml, seed %" G_GUINT64_FORMAT ": the interval [%.6g, %.6g] misses 20", SEED,
              s->ci_low, s->ci_high);

  /* The statistics are those of the samples: mean, s.d. (n − 1), quantiles between the order
   * statistics around p (n − 1), interval mean ∓ t_{0.975, n−1} s / √n. */
  double sd;
  double mean = mean_sd (x, n, &sd);
  assert_true (close_rel (s->mean, mean, 1e-12));
  assert_true (close_rel (s->sd, sd, 1e-9));
  g_autofree double *sorted = g_memdup2 (x, sizeof (double) * n);
  qsort (sorted, n, sizeof (double), cmp_double);
  assert_true (sorted[0] >= 10.0 && sorted[n - 1] <= 30.0);
  const double ps[] = { 0.05, 0.50, 0.95 };
  const double qs[] = { s->p5, s->p50, s->p95 };
  for (gsize k = 0; k < G_N_ELEMENTS (ps); k++)
    {
      double h = ps[k] * (n - 1);
      guint lo = (guint)floor (h), hi = (guint)ceil (h);
      if (qs[k] < sorted[lo] || qs[k] > sorted[hi])
        fail_msg ("P%.0f = %.17g is not between the order statistics %u and %u (%.17g, %.17g)",
                  100 * ps[k], qs[k], lo, hi, sorted[lo], sorted[hi]);
    }
  assert_true (close_rel ((s->ci_low + s->ci_high) / 2, s->mean, 1e-12));
  double half = (s->ci_high - s->ci_low) / 2;
  if (!close_rel (half, t975 (n - 1) * sd / rn, 1e-6))
    fail_msg ("half-width %.10g, expected t_{0.975,%u} s / sqrt(n) = %.10g", half, n - 1,
              t975 (n - 1) * sd / rn);

  /* The business's own hours: U(1, 3), mean 2; the one activity carries the whole total. */
  const MoaStat *hours = moa_simulation_get_stat (sim, MOA_ENTITY_BUSINESSES, MOA_QUANTITY_HOURS);
  assert_true (close_rel (hours->point, 2.0, 1e-12));
  if (fabs (hours->mean - 2.0) > K_SE * (2.0 / sqrt (12.0)) / rn)
    fail_msg ("hand.xml, seed %" G_GUINT64_FORMAT ": mean hours %.6g, expected 2", SEED,
              hours->mean);
  guint work = find_entity (plan, MOA_ENTITY_ACTIVITY, "work");
  const double *xw = moa_simulation_get_samples (sim, work, MOA_QUANTITY_BURDEN);
  for (guint i = 0; i < n; i++)
    if (!close_rel (xw[i], x[i], 1e-12))
      fail_msg ("iteration %u: activity burden %.17g, total %.17g", i, xw[i], x[i]);
  /* Nothing is one-off, nothing is borne by citizens. */
  const MoaStat *none
      = moa_simulation_get_stat (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_ONE_OFF_BURDEN);
  assert_true (none->mean == 0 && none->sd == 0 && none->p95 == 0);
}

/* --- (g) cancellation and progress -------------------------------------------------------- */

typedef struct
{
  GMutex lock;
  GArray *done; /* guint pairs: done, total */
  GCancellable *cancel_on_first;
  gint calls; /* atomic */
} Progress;

static void
progress_init (Progress *p)
{
  g_mutex_init (&p->lock);
  p->done = g_array_new (FALSE, FALSE, sizeof (guint));
  p->cancel_on_first = NULL;
  p->calls = 0;
}

static void
progress_clear (Progress *p)
{
  g_mutex_clear (&p->lock);
  g_array_unref (p->done);
}

static void
record_progress (guint done, guint total, gpointer user_data)
{
  Progress *p = user_data;
  g_mutex_lock (&p->lock);
  g_array_append_val (p->done, done);
  g_array_append_val (p->done, total);
  g_mutex_unlock (&p->lock);
  g_atomic_int_inc (&p->calls);
  if (p->cancel_on_first != NULL)
    g_cancellable_cancel (p->cancel_on_first);
}

/* done <= total at every call, done never decreases, and the last call says @last of @last. */
static void
assert_progress (const Progress *p, guint last, const char *what)
{
  guint n = p->done->len / 2;
  if (n == 0)
    fail_msg ("%s: the progress callback was never called", what);
  guint previous = 0;
  for (guint i = 0; i < n; i++)
    {
      guint done = g_array_index (p->done, guint, 2 * i);
      guint total = g_array_index (p->done, guint, 2 * i + 1);
      if (done > total || done < previous)
        fail_msg ("%s: call %u of the progress callback: %u of %u after %u", what, i, done, total,
                  previous);
      previous = done;
    }
  assert_int_equal (g_array_index (p->done, guint, 2 * (n - 1)), last);
  assert_int_equal (g_array_index (p->done, guint, 2 * (n - 1) + 1), last);
}

static void
test_progress (void **state)
{
  g_autoptr (MoaPlan) plan = load_test_plan ("loops.xml");
  g_autoptr (GError) error = NULL;
  Progress p;

  /* A fixed count: every call has the count as its total. */
  progress_init (&p);
  MoaSimulationOptions options = make_options (SEED, 20000, 2);
  g_autoptr (MoaSimulation) sim = moa_simulate (plan, &options, NULL, record_progress, &p, &error);
  if (sim == NULL)
    fail_msg ("%s", error->message);
  assert_progress (&p, 20000, "20000 iterations");
  for (guint i = 0; i < p.done->len; i += 2)
    assert_int_equal (g_array_index (p.done, guint, i + 1), 20000);
  printf ("# progress: %u calls for 20000 iterations\n", p.done->len / 2);
  progress_clear (&p);

  /* A precision target: the last call is the count actually run. */
  progress_init (&p);
  options = make_options (SEED, 50000, 2);
  options.precision = 0.01;
  g_autoptr (MoaSimulation) precise
      = moa_simulate (plan, &options, NULL, record_progress, &p, &error);
  if (precise == NULL)
    fail_msg ("%s", error->message);
  assert_progress (&p, moa_simulation_get_iterations (precise), "precision 0.01");
  progress_clear (&p);
}

static void
test_cancel (void **state)
{
  g_autoptr (MoaPlan) plan = load_test_plan ("hand.xml");
  const guint n = 100000;
  MoaSimulationOptions options = make_options (SEED, n, 2);
  Progress p;

  /* Cancelled before it starts. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;
    progress_init (&p);
    g_cancellable_cancel (cancellable);
    g_autoptr (MoaSimulation) sim
        = moa_simulate (plan, &options, cancellable, record_progress, &p, &error);
    assert_null (sim);
    assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    for (guint i = 0; i < p.done->len; i += 2)
      assert_true (g_array_index (p.done, guint, i) < n);
    progress_clear (&p);
  }

  /* Cancelled from the first progress report: it stops early. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;
    progress_init (&p);
    p.cancel_on_first = cancellable;
    g_autoptr (MoaSimulation) sim
        = moa_simulate (plan, &options, cancellable, record_progress, &p, &error);
    assert_null (sim);
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      fail_msg ("expected G_IO_ERROR_CANCELLED, got %s", error ? error->message : "no error");
    assert_true (p.done->len >= 2);
    assert_true (g_array_index (p.done, guint, 0) < n);
    for (guint i = 0; i < p.done->len; i += 2)
      assert_true (g_array_index (p.done, guint, i) < n);
    progress_clear (&p);
  }

  /* With a precision target too. */
  {
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;
    MoaSimulationOptions precise = options;
    precise.precision = 1e-9;
    g_cancellable_cancel (cancellable);
    g_autoptr (MoaSimulation) sim = moa_simulate (plan, &precise, cancellable, NULL, NULL, &error);
    assert_null (sim);
    assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  }
}

/* --- (h) async -------------------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  MoaSimulation *sim;
  GError *error;
  gboolean finished;
  gint progress_calls; /* atomic */
} AsyncState;

static void
async_progress (guint done, guint total, gpointer user_data)
{
  AsyncState *s = user_data;
  g_atomic_int_inc (&s->progress_calls);
}

static void
async_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncState *s = user_data;
  s->sim = moa_simulate_finish (result, &s->error);
  s->finished = TRUE;
  g_main_loop_quit (s->loop);
}

static gboolean
async_timeout (gpointer user_data)
{
  AsyncState *s = user_data;
  g_main_loop_quit (s->loop);
  return G_SOURCE_REMOVE;
}

static void
run_async (const MoaPlan *plan, const MoaSimulationOptions *options, GCancellable *cancellable,
           AsyncState *s)
{
  s->loop = g_main_loop_new (NULL, FALSE);
  guint timeout = g_timeout_add_seconds (120, async_timeout, s);
  moa_simulate_async (plan, options, cancellable, async_progress, s, async_done, s);
  g_main_loop_run (s->loop);
  if (s->finished)
    g_source_remove (timeout);
  g_main_loop_unref (s->loop);
  if (!s->finished)
    fail_msg ("moa_simulate_async did not finish within 120 s");
}

static void
test_async (void **state)
{
  g_autoptr (MoaPlan) plan = load_test_plan ("loops.xml");
  MoaSimulationOptions options = make_options (SEED, 3000, 0);
  AsyncState s = { 0 };

  run_async (plan, &options, NULL, &s);
  if (s.sim == NULL)
    fail_msg ("%s", s.error->message);
  assert_true (g_atomic_int_get (&s.progress_calls) >= 1);
  g_autoptr (MoaSimulation) sync = simulate_or_fail (plan, &options, "loops.xml");
  assert_identical (sync, s.sim, "loops.xml, async against sync");
  moa_simulation_free (s.sim);

  /* Cancelled: the callback still runs, and the result is the cancellation. */
  AsyncState c = { 0 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  run_async (plan, &options, cancellable, &c);
  assert_null (c.sim);
  assert_true (g_error_matches (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&c.error);
}

/* --- (i) every sample is the exact evaluation of its iteration's draws --------------------- */

/* Iteration i of a simulation draws each uncertain parameter from the stream (seed, i, hash of
 * its key, purpose 0) and evaluates the plan exactly: redrawing the parameters through the
 * public sampler and evaluating them with moa_plan_evaluate_totals() must give every sample of
 * every entity and quantity bit for bit, whichever shortcut the simulation takes (its lean
 * evaluation, series it shares or knows to be 0). */
static void
test_samples_are_evaluations (void **state)
{
  /* the two plans of the other tests, then every bundled procedure (external, administration
   * and one-off activities, loops with and without AND splits, certain and uncertain
   * probabilities), 300 iterations: four whole chunks of 64 and a partial one */
  g_autoptr (GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_plan_free);
  for (guint k = 0; k < 2; k++)
    g_ptr_array_add (plans, plan_by_index (k));
  g_autoptr (GDir) dir = g_dir_open (procedures_dir, 0, NULL);
  assert_non_null (dir);
  for (const char *file = g_dir_read_name (dir); file != NULL; file = g_dir_read_name (dir))
    if (g_str_has_suffix (file, ".xml"))
      {
        g_autofree char *path = g_build_filename (procedures_dir, file, NULL);
        g_ptr_array_add (plans, load_plan (path, models));
      }
  assert_true (plans->len > 6);

  for (guint k = 0; k < plans->len; k++)
    {
      const MoaPlan *plan = g_ptr_array_index (plans, k);
      const char *id = moa_plan_get_procedure (plan)->id;
      const guint n = 300;
      MoaSimulationOptions options = make_options (SEED, n, 2);
      g_autoptr (MoaSimulation) sim = simulate_or_fail (plan, &options, id);
      g_autoptr (MoaSampler) sampler = moa_sampler_new ();
      g_autoptr (MoaPlanWorkspace) ws = moa_plan_workspace_new (plan);
      guint n_params = moa_plan_get_n_params (plan);
      g_autofree double *x = g_memdup2 (moa_plan_get_means (plan), sizeof (double) * n_params);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GError) error = NULL;
          for (guint p = 0; p < n_params; p++)
            {
              const MoaValue *v = moa_plan_get_param (plan, p);
              MoaStream stream;
              if (!moa_value_is_uncertain (v))
                continue;
              moa_stream_init (&stream, SEED, i, moa_random_hash (moa_plan_get_param_key (plan, p)),
                               0);
              x[p] = moa_sampler_draw (sampler, v, &stream);
            }
          const MoaTotal *t = moa_plan_evaluate_totals (plan, x, ws, &error);
          if (t == NULL)
            fail_msg ("%s, iteration %u: %s", id, i, error->message);
          for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
            for (guint q = 0; q < MOA_QUANTITY_N; q++)
              {
                double want = total_quantity (&t[e], q);
                double got = moa_simulation_get_samples (sim, e, q)[i];
                if (memcmp (&want, &got, sizeof want) != 0)
                  fail_msg ("%s, seed %" G_GUINT64_FORMAT ", iteration %u, entity %u (%s) %s: "
                            "sample %.17g, exact evaluation of the drawn parameters %.17g",
                            id, SEED, i, e, moa_plan_get_entity (plan, e)->id,
                            moa_quantity_names[q], got, want);
              }
        }
    }
}

/* The chunk evaluation leaves to the full one exactly the iterations it cannot finish: here a
 * loop (with an AND split in it: the LU path) that is never left in iteration 5, infinitely
 * many cases in iteration 9, times so long (1e308 hours) that the figures overflow in iteration
 * 13; every other iteration has the figures of moa_plan_evaluate_totals(), bit for bit, and
 * the full evaluation refuses 5, 9 and 13. Only the figures of entities up to @max_entity are
 * stored. */
static void
chunk_failures (guint max_entity)
{
  g_autoptr (MoaPlan) plan = load_test_plan ("loops.xml");
  guint n_params = moa_plan_get_n_params (plan);
  guint n_entities = moa_plan_get_n_entities (plan);
  const guint n = 20;
  g_autofree int *source = g_new (int, n_entities *MOA_QUANTITY_N);
  g_autofree guint *stored = g_new (guint, n_entities * MOA_QUANTITY_N);
  guint n_stored = 0;
  moa_plan_quantity_sources (plan, source);
  for (guint f = 0; f < MIN (n_entities, max_entity + 1) * MOA_QUANTITY_N; f++)
    if (source[f] == (int)f)
      stored[n_stored++] = f;

  /* the means, a different time in each iteration, and the two bad iterations */
  g_autofree double *xs = g_new (double, (gsize)n_params *MOA_PLAN_CHUNK);
  guint n_bad = 0, n_huge = 0;
  for (guint p = 0; p < n_params; p++)
    {
      const char *key = moa_plan_get_param_key (plan, p);
      for (guint i = 0; i < MOA_PLAN_CHUNK; i++)
        {
          double x = moa_plan_get_means (plan)[p];
          if (g_str_has_suffix (key, ":time"))
            x *= 1.0 + 0.01 * i;
          if (i == 13 && g_str_has_suffix (key, ":time"))
            x = 1e308, n_huge++;
          if (i == 5 && strstr (key, "complete>fill:probability") != NULL)
            x = 1.0, n_bad++;
          if (i == 5 && strstr (key, "complete>advice:probability") != NULL)
            x = 0.0, n_bad++;
          if (i == 9 && g_str_has_suffix (key, "small:population"))
            x = INFINITY, n_bad++;
          xs[(gsize)p * MOA_PLAN_CHUNK + i] = x;
        }
    }
  assert_true (n_bad == 4); /* fill's probability has an override for "large" */
  assert_true (n_huge > 0);

  g_autoptr (MoaPlanChunk) chunk = moa_plan_chunk_new (plan, stored, n_stored);
  MoaPlanChunkScratch *scratch = moa_plan_chunk_scratch_new (chunk);
  g_autofree double *out = g_new (double, (gsize)n_stored *n);
  gboolean failed[MOA_PLAN_CHUNK];
  guint n_failed = moa_plan_chunk_evaluate (chunk, scratch, xs, n, out, n, failed);
  moa_plan_chunk_scratch_free (scratch);
  assert_int_equal (n_failed, 3);

  g_autoptr (MoaPlanWorkspace) ws = moa_plan_workspace_new (plan);
  g_autofree double *x = g_new (double, n_params);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      for (guint p = 0; p < n_params; p++)
        x[p] = xs[(gsize)p * MOA_PLAN_CHUNK + i];
      const MoaTotal *t = moa_plan_evaluate_totals (plan, x, ws, &error);
      assert_true (failed[i] == (i == 5 || i == 9 || i == 13));
      if (i == 5 || i == 9 || i == 13)
        {
          if (t != NULL)
            fail_msg ("iteration %u: the full evaluation accepts what the chunk refused", i);
          assert_true (
              g_error_matches (error, MOA_ENGINE_ERROR,
                               i == 5 ? MOA_ENGINE_ERROR_SINGULAR : MOA_ENGINE_ERROR_NUMERIC));
          continue;
        }
      if (t == NULL)
        fail_msg ("iteration %u: %s", i, error->message);
      for (guint k = 0; k < n_stored; k++)
        {
          double want = total_quantity (&t[stored[k] / MOA_QUANTITY_N], stored[k] % MOA_QUANTITY_N);
          double got = out[(gsize)k * n + i];
          if (memcmp (&want, &got, sizeof want) != 0)
            fail_msg ("iteration %u, figure %u: chunk %.17g, full %.17g", i, stored[k], got, want);
        }
    }
}

/* The same when only the four totals' figures are stored (a totals-only simulation): the
 * obligations' figures are checked all the same, so the same iterations fail. */
static void
test_chunk_failures (void **state)
{
  chunk_failures (G_MAXUINT - 1);
  chunk_failures (MOA_ENTITY_ADMINISTRATION);
}

static int
group_setup (void **state)
{
  g_autoptr (GError) error = NULL;
  const char *env = g_getenv ("MOA_MODELS_DIR");
  g_autofree char *models_dir = env != NULL ? g_strdup (env) : moa_default_models_dir ();
  g_autofree char *test_models_dir = data_path ("models");

  thorough = g_strcmp0 (g_getenv ("MOA_TEST_THOROUGH"), "1") == 0;
  procedures_dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return -1;
    }
  test_models = moa_model_set_new ();
  if (!moa_model_set_load_dir (test_models, test_models_dir, NULL, &error))
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
  g_clear_pointer (&test_models, moa_model_set_free);
  g_clear_pointer (&procedures_dir, g_free);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_hand_statistics),
    cmocka_unit_test (test_bundled_means),
    cmocka_unit_test (test_threads),
    cmocka_unit_test (test_totals_only),
    cmocka_unit_test (test_seeds),
    cmocka_unit_test (test_common_random_numbers),
    cmocka_unit_test (test_common_random_numbers_extra_step),
    cmocka_unit_test (test_precision),
    cmocka_unit_test (test_progress),
    cmocka_unit_test (test_cancel),
    cmocka_unit_test (test_async),
    cmocka_unit_test (test_samples_are_evaluations),
    cmocka_unit_test (test_chunk_failures),
  };
  return cmocka_run_group_tests_name ("test-simulation", tests, group_setup, group_teardown);
}
