/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-case simulation (simulation.md §3, "between cases"): the mean of simulated cases agrees
 * with the exact per-case value (§2) within 4 standard errors, the distribution of single cases
 * is the hand-computed one (a geometric number of loop passes, a two-valued choice), and the
 * output does not depend on the number of threads. */

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gio/gio.h>
#include <glib.h>

#include "moa-cases.h"
#include "moa-config.h"
#include "moa.h"
#include "moa-test-support.h"

/* Exact arithmetic: relative 1e-9 (style.md, tests). */
#define REL_TOL 1e-9
/* Monte Carlo: 4 standard errors (style.md, tests). */
#define K_SE 4.0

#define SEED 20240611

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");
  return dir != NULL ? dir : MOA_TESTS_SRCDIR;
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
#define assert_close_rel(actual, expected, rel, what)                                              \
  assert_close_impl ((actual), (expected), (rel), (what), __FILE__, __LINE__)

/* |actual - expected| <= K_SE x se, printing the seed on failure (style.md). */
static void
assert_within_se_impl (double actual, double expected, double se, guint64 seed, const char *what,
                       const char *file, int line)
{
  if (!(fabs (actual - expected) <= K_SE * se))
    {
      print_error (
          "%s = %.10g, expected %.10g within %g x s.e. %.4g (%.2f s.e. off; seed %" G_GUINT64_FORMAT
          ")\n",
          what, actual, expected, K_SE, se, fabs (actual - expected) / se, seed);
      _fail (file, line);
    }
}

#define assert_within_se(actual, expected, se, seed, what)                                         \
  assert_within_se_impl ((actual), (expected), (se), (seed), (what), __FILE__, __LINE__)

static MoaPlan *
plan_path (const char *path, MoaCostModel *model)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  MoaPlan *plan = moa_plan_new (procedure, model, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  return plan;
}

/* Plans tests/test-cases/@name with the test cost model. */
static MoaPlan *
plan_file (const char *name)
{
  g_autofree char *model_path
      = g_build_filename (srcdir (), "test-cases", "models", "cases-test.xml", NULL);
  g_autofree char *path = g_build_filename (srcdir (), "test-cases", name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCostModel) model = moa_cost_model_load_file (model_path, NULL, &error);
  if (model == NULL)
    fail_msg ("%s", error->message);
  return plan_path (path, model);
}

static MoaCaseSimulation *
simulate (const MoaPlan *plan, guint64 seed, guint n, double threshold, guint threads)
{
  g_autoptr (GError) error = NULL;
  MoaCaseSimulation *sim
      = moa_simulate_cases (plan, seed, n, threshold, threads, NULL, NULL, NULL, &error);
  if (sim == NULL)
    fail_msg ("moa_simulate_cases (seed %" G_GUINT64_FORMAT "): %s", seed, error->message);
  return sim;
}

static const MoaCaseStats *
only_stats (const MoaCaseSimulation *sim)
{
  const GArray *stats = moa_case_simulation_get_stats (sim);
  assert_int_equal (stats->len, 1);
  return &g_array_index (stats, MoaCaseStats, 0);
}

/* The mean of n cases is within 4 s.e. (sd / sqrt n) of the exact per-case value. */
static void
assert_mean_agrees (const MoaStat *stat, guint n, guint64 seed, const char *what)
{
  assert_within_se (stat->mean, stat->point, stat->sd / sqrt ((double)n), seed, what);
}

/* Uncertain times, amounts and BAU share around a rework loop with r = 0.3 (values of
 * test-cases/loop-uncertain.xml): the exact per-case values are hand-computed there, the
 * office's activity is left out as in MoaCaseResult, and the simulated means agree. */
static void
test_loop_uncertain (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("loop-uncertain.xml");
  const guint n = 20000;
  g_autoptr (MoaCaseSimulation) sim = simulate (plan, SEED, n, 6.0, 0);
  const MoaCaseStats *s = only_stats (sim);

  assert_string_equal (s->obligation, "apply");
  assert_string_equal (s->segment, "firms");
  assert_int_equal (s->n, n);
  assert_close (s->hours.point, 18.0 / 7.0, "hours point");
  assert_close (s->cost.point, 1040.0 / 7.0, "cost point");
  assert_close (s->burden.point, 977.5 / 7.0, "burden point");
  assert_true (s->hours.sd > 0.0 && s->cost.sd > 0.0 && s->burden.sd > 0.0);
  assert_mean_agrees (&s->hours, n, SEED, "mean hours");
  assert_mean_agrees (&s->cost, n, SEED, "mean cost");
  assert_mean_agrees (&s->burden, n, SEED, "mean burden");
  /* the fewest hours a case can take: fill 0.5 h + check 20 min, no rework */
  assert_true (s->hours.p5 >= 0.5 + 20.0 / 60.0);
  assert_true (s->hours.p5 <= s->hours.p50 && s->hours.p50 <= s->hours.p95);
  assert_true (s->hours.ci_low < s->hours.mean && s->hours.mean < s->hours.ci_high);
  assert_close (moa_case_simulation_get_threshold (sim), 6.0, "threshold");
  assert_true (moa_case_simulation_get_seed (sim) == SEED);
}

/* Fixed times around a loop with r = 0.3: a case with K reworks takes 1.5 + 2.5 K hours and
 * P(K >= k) = 0.3^k. So: P(>= 1 rework) = share above 2 h = 0.3, P(>= 2) = share above 4.5 h
 * = 0.09; P5 = P50 = 1.5 (70 % of cases have no rework); P95 = 6.5 (P(K <= 1) = 0.91 < 0.95 <=
 * P(K <= 2) = 0.973); mean 1.5 + 2.5 x 0.3 / 0.7 = 18/7; sd 2.5 sqrt(r) / (1 - r) (the
 * variance of a geometric count is r / (1 - r)^2). */
static void
test_rework_geometric (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("rework.xml");
  const guint n = 20000;
  g_autoptr (MoaCaseSimulation) once = simulate (plan, SEED, n, 2.0, 0);
  g_autoptr (MoaCaseSimulation) twice = simulate (plan, SEED, n, 4.5, 0);
  const MoaCaseStats *s1 = only_stats (once);
  const MoaCaseStats *s2 = only_stats (twice);

  assert_within_se (s1->share_above, 0.3, sqrt (0.3 * 0.7 / n), SEED, "P(>= 1 rework)");
  assert_within_se (s2->share_above, 0.09, sqrt (0.09 * 0.91 / n), SEED, "P(>= 2 reworks)");
  assert_close (s1->hours.point, 18.0 / 7.0, "hours point");
  assert_mean_agrees (&s1->hours, n, SEED, "mean hours");
  assert_close (s1->hours.p5, 1.5, "P5");
  assert_close (s1->hours.p50, 1.5, "P50");
  assert_close (s1->hours.p95, 6.5, "P95");

  /* s.e. of a sample sd: sd x sqrt((2 + excess kurtosis) / n) / 2; the geometric count's
   * excess kurtosis is 6 + p^2 / (1 - p) with exit probability p = 0.7 */
  double sd = 2.5 * sqrt (0.3) / 0.7;
  double kurtosis = 6.0 + 0.7 * 0.7 / 0.3;
  assert_within_se (s1->hours.sd, sd, sd * sqrt ((2.0 + kurtosis) / n) / 2.0, SEED, "sd hours");

  /* the same cases whatever the threshold */
  assert_memory_equal (&s1->hours, &s2->hours, sizeof (MoaStat));
}

/* One choice, 0.7 for a 1 h activity and 0.3 (the default) for a 3 h one: a case takes 1 or
 * 3 hours, so P5 = P50 = 1 and P95 = 3; the share above 2 h is the share of 3 h cases, about
 * 0.3; with that share s, the mean is exactly 1 + 2 s and the sd 2 sqrt(s (1 - s) n / (n - 1));
 * cost is 50 EUR per hour (40 EUR/h + 25 % overhead). */
static void
test_xor_two_values (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("xor.xml");
  const guint n = 10000;
  g_autoptr (MoaCaseSimulation) sim = simulate (plan, SEED, n, 2.0, 0);
  const MoaCaseStats *s = only_stats (sim);
  double share = s->share_above;

  assert_within_se (share, 0.3, sqrt (0.21 / n), SEED, "share above 2 h");
  assert_close (s->hours.point, 0.7 * 1 + 0.3 * 3, "hours point");
  assert_close (s->hours.p5, 1.0, "P5");
  assert_close (s->hours.p50, 1.0, "P50");
  assert_close (s->hours.p95, 3.0, "P95");
  assert_close (s->cost.p50, 50.0, "cost P50");
  assert_close (s->cost.p95, 150.0, "cost P95");
  assert_close (s->hours.mean, 1.0 + 2.0 * share, "mean = 1 + 2 share");
  assert_close (s->hours.sd, 2.0 * sqrt (share * (1.0 - share) * n / (n - 1.0)), "sd");
  assert_close (s->cost.mean, 50.0 * s->hours.mean, "cost mean");

  /* the interval of the mean: mean -/+ t_{0.975, n-1} sd / sqrt(n); for n = 40, t_{0.975, 39}
   * = 2.022690901 (Student t table, e.g. R's qt(0.975, 39)) */
  g_autoptr (MoaCaseSimulation) small = simulate (plan, SEED, 40, 2.0, 0);
  const MoaCaseStats *t = only_stats (small);
  assert_true (t->hours.sd > 0.0);
  double half = 2.022690901 * t->hours.sd / sqrt (40.0);
  assert_close_rel (t->hours.ci_high - t->hours.mean, half, 1e-8, "CI half-width, n = 40");
  assert_close_rel (t->hours.mean - t->hours.ci_low, half, 1e-8, "CI half-width, n = 40");
}

/* A parallel block in a loop left with probability 0.6 (test-cases/and-loop.xml): one pass is
 * 31/12 h (each branch once, the join once), a case makes K passes with P(K >= k) =
 * 0.4^(k - 1): P5 = P50 = 31/12, P95 = 4 x 31/12 (P(K <= 3) = 0.936 < 0.95 <= P(K <= 4) =
 * 0.9744), share above 3 h = P(K >= 2) = 0.4, mean 31/12 x 5/3 = 155/36. A join that fired
 * per incoming token, or never, would change every one of these. */
static void
test_and_loop (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("and-loop.xml");
  const guint n = 20000;
  g_autoptr (MoaCaseSimulation) sim = simulate (plan, SEED, n, 3.0, 0);
  const MoaCaseStats *s = only_stats (sim);

  assert_close (s->hours.point, 155.0 / 36.0, "hours point");
  assert_mean_agrees (&s->hours, n, SEED, "mean hours");
  assert_close (s->hours.p5, 31.0 / 12.0, "P5");
  assert_close (s->hours.p50, 31.0 / 12.0, "P50");
  assert_close (s->hours.p95, 4.0 * 31.0 / 12.0, "P95");
  assert_within_se (s->share_above, 0.4, sqrt (0.24 / n), SEED, "P(>= 2 passes)");
}

/* Uncertain times in a parallel block inside a loop (test-cases/and-uncertain.xml): the exact
 * per-case hours are 35/6 (the normal's truncation adds about 5e-8 h), and the simulated mean
 * agrees. */
static void
test_and_uncertain (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("and-uncertain.xml");
  const guint n = 20000;
  g_autoptr (MoaCaseSimulation) sim = simulate (plan, SEED, n, 6.0, 0);
  const MoaCaseStats *s = only_stats (sim);

  assert_close_rel (s->hours.point, 35.0 / 6.0, 1e-7, "hours point");
  assert_mean_agrees (&s->hours, n, SEED, "mean hours");
  assert_mean_agrees (&s->cost, n, SEED, "mean cost");
}

static void
assert_same_stats (const MoaCaseSimulation *a, const MoaCaseSimulation *b, const char *what)
{
  const GArray *sa = moa_case_simulation_get_stats (a);
  const GArray *sb = moa_case_simulation_get_stats (b);
  assert_int_equal (sa->len, sb->len);
  for (guint i = 0; i < sa->len; i++)
    {
      const MoaCaseStats *x = &g_array_index (sa, MoaCaseStats, i);
      const MoaCaseStats *y = &g_array_index (sb, MoaCaseStats, i);
      if (g_strcmp0 (x->obligation, y->obligation) != 0 || g_strcmp0 (x->segment, y->segment) != 0
          || x->n != y->n || memcmp (&x->hours, &y->hours, sizeof (MoaStat)) != 0
          || memcmp (&x->cost, &y->cost, sizeof (MoaStat)) != 0
          || memcmp (&x->burden, &y->burden, sizeof (MoaStat)) != 0
          || memcmp (&x->share_above, &y->share_above, sizeof (double)) != 0)
        fail_msg ("%s: row %u (%s@%s) differs: hours mean %.17g vs %.17g", what, i, x->obligation,
                  x->segment, x->hours.mean, y->hours.mean);
    }
}

static MoaPlan *
plan_bundled (const char *name)
{
  const char *env = g_getenv ("MOA_MODELS_DIR");
  g_autofree char *models_dir = env != NULL ? g_strdup (env) : moa_default_models_dir ();
  g_autofree char *path = g_build_filename (MOA_SOURCE_DIR, "procedures", name, NULL);
  g_autoptr (MoaModelSet) models = moa_model_set_new ();
  g_autoptr (GError) error = NULL;
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    fail_msg ("%s", error->message);
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  MoaCostModel *model = moa_model_set_lookup (models, procedure->cost_model);
  if (model == NULL)
    fail_msg ("%s: no cost model %s", path, procedure->cost_model);
  MoaPlan *plan = moa_plan_new (procedure, model, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  return plan;
}

/* Every field of every row is bit-identical for 1, 2 and 4 threads, and for the same seed
 * twice; another seed gives other cases. */
static void
test_threads_identical (void **state)
{
  const char *files[] = { "loop-uncertain.xml", "and-uncertain.xml", NULL };
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr (MoaPlan) plan
          = files[f] != NULL ? plan_file (files[f]) : plan_bundled ("permesso-di-costruire.xml");
      g_autoptr (MoaCaseSimulation) one = simulate (plan, SEED, 3000, 4.0, 1);
      g_autoptr (MoaCaseSimulation) two = simulate (plan, SEED, 3000, 4.0, 2);
      g_autoptr (MoaCaseSimulation) four = simulate (plan, SEED, 3000, 4.0, 4);
      g_autoptr (MoaCaseSimulation) again = simulate (plan, SEED, 3000, 4.0, 4);
      g_autoptr (MoaCaseSimulation) other = simulate (plan, SEED + 1, 3000, 4.0, 2);
      assert_same_stats (one, two, "1 vs 2 threads");
      assert_same_stats (one, four, "1 vs 4 threads");
      assert_same_stats (four, again, "same seed twice");
      const MoaCaseStats *a = &g_array_index (moa_case_simulation_get_stats (one), MoaCaseStats, 0);
      const MoaCaseStats *b
          = &g_array_index (moa_case_simulation_get_stats (other), MoaCaseStats, 0);
      assert_true (a->hours.mean != b->hours.mean);
    }
}

static void
test_bundled_procedures (void **state)
{
  g_autofree char *dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  g_autoptr (GPtrArray) paths = moa_test_list_xml (dir);
  assert_true (paths->len > 0);

  const guint n = 4000;
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (paths, i));
      g_autoptr (MoaPlan) plan = plan_bundled (name);
      g_autoptr (MoaCaseSimulation) sim = simulate (plan, SEED, n, 6.0, 0);
      const GArray *stats = moa_case_simulation_get_stats (sim);
      assert_true (stats->len > 0);
      for (guint k = 0; k < stats->len; k++)
        {
          const MoaCaseStats *s = &g_array_index (stats, MoaCaseStats, k);
          const MoaStat *q[] = { &s->hours, &s->cost, &s->burden };
          const char *names_q[] = { "hours", "cost", "burden" };
          for (guint j = 0; j < G_N_ELEMENTS (q); j++)
            {
              g_autofree char *what = g_strdup_printf ("%s %s@%s mean %s", name, s->obligation,
                                                       s->segment, names_q[j]);
              if (q[j]->sd > 0.0)
                assert_mean_agrees (q[j], n, SEED, what);
              else
                assert_close (q[j]->mean, q[j]->point, what);
            }
        }
    }
}

static void
test_cancelled_before (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("rework.xml");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_cancellable_cancel (cancellable);
  MoaCaseSimulation *sim
      = moa_simulate_cases (plan, SEED, 1000, 2.0, 2, cancellable, NULL, NULL, &error);
  assert_null (sim);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
}

typedef struct
{
  GCancellable *cancellable;
  guint calls;
  guint last_done;
  guint total;
  gboolean backwards;
} ProgressState;

static void
on_progress (guint done, guint total, gpointer user_data)
{
  ProgressState *p = user_data;
  if (done < p->last_done || (p->total != 0 && total != p->total) || done > total)
    p->backwards = TRUE;
  p->calls++;
  p->last_done = done;
  p->total = total;
  if (p->cancellable != NULL && done < total)
    g_cancellable_cancel (p->cancellable);
}

/* Cancelled from the progress callback while it runs: NULL with G_IO_ERROR_CANCELLED. The run
 * (100,000 cases of about 1000 passes each) would take many seconds to finish. */
static void
test_cancelled_during (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("slow-loop.xml");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  ProgressState p = { cancellable, 0, 0, 0, FALSE };
  gint64 start = g_get_monotonic_time ();
  MoaCaseSimulation *sim
      = moa_simulate_cases (plan, SEED, 100000, 2.0, 2, cancellable, on_progress, &p, &error);
  assert_null (sim);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  assert_true (p.calls >= 1);
  assert_false (p.backwards);
  /* stopped within a few chunks, far from the whole run */
  assert_true (g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC);
}

/* Progress goes up to the total, never backwards, and ends with (total, total). */
static void
test_progress (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("loop-uncertain.xml");
  ProgressState p = { NULL, 0, 0, 0, FALSE };
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCaseSimulation) sim
      = moa_simulate_cases (plan, SEED, 5000, 2.0, 2, NULL, on_progress, &p, &error);
  assert_non_null (sim);
  assert_true (p.calls >= 1);
  assert_false (p.backwards);
  assert_int_equal (p.total, 5000);
  assert_int_equal (p.last_done, 5000);
}

/* A loop repeated with probability 0.999999 passes validation, but a case exceeds the bound
 * of a million steps: an engine error that names the obligation. */
static void
test_step_bound (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("endless.xml");
  g_autoptr (GError) error = NULL;
  MoaCaseSimulation *sim = moa_simulate_cases (plan, SEED, 8, 2.0, 1, NULL, NULL, NULL, &error);
  assert_null (sim);
  assert_true (g_error_matches (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED));
  assert_non_null (strstr (error->message, "\"renew\""));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_loop_uncertain),     cmocka_unit_test (test_rework_geometric),
    cmocka_unit_test (test_xor_two_values),     cmocka_unit_test (test_and_loop),
    cmocka_unit_test (test_and_uncertain),      cmocka_unit_test (test_threads_identical),
    cmocka_unit_test (test_bundled_procedures), cmocka_unit_test (test_cancelled_before),
    cmocka_unit_test (test_cancelled_during),   cmocka_unit_test (test_progress),
    cmocka_unit_test (test_step_bound),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
