/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sensitivity of the total burden (simulation.md §2): derivatives and elasticities of the exact
 * solution against hand calculation, the low and high values of each kind of law, the swing
 * and the ranking (the data of a tornado chart). */

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "moa-sensitivity.h"
#include "moa.h"

/* Finite differences of exact arithmetic: relative 1e-6 (the brief of the sensitivity). */
#define DIFF_TOL 1e-6
/* Exact arithmetic: relative 1e-9 (style.md, tests). */
#define REL_TOL 1e-9

/* Φ⁻¹(0.95) (Abramowitz & Stegun table 26.5). */
#define Z95 1.6448536269514722

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

#define assert_close(actual, expected, rel, what)                                                  \
  assert_close_impl ((actual), (expected), (rel), (what), __FILE__, __LINE__)

/* The plan of tests/test-sensitivity/@name and its sensitivity rows (whose keys the plan
 * owns). */
typedef struct
{
  MoaPlan *plan;
  GArray *rows;
} Sensitivity;

static void
sensitivity_clear (Sensitivity *s)
{
  g_clear_pointer (&s->rows, g_array_unref);
  g_clear_pointer (&s->plan, moa_plan_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sensitivity, sensitivity_clear)

static void
compute (const char *name, Sensitivity *out)
{
  g_autofree char *model_path
      = g_build_filename (srcdir (), "test-sensitivity", "models", "sens-test.xml", NULL);
  g_autofree char *path = g_build_filename (srcdir (), "test-sensitivity", name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCostModel) model = moa_cost_model_load_file (model_path, NULL, &error);
  if (model == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  out->plan = moa_plan_new (procedure, model, NULL, &error);
  if (out->plan == NULL)
    fail_msg ("%s", error->message);
  out->rows = moa_sensitivity_compute (out->plan, &error);
  if (out->rows == NULL)
    fail_msg ("%s: %s", name, error->message);
  assert_int_equal (out->rows->len, moa_plan_get_n_params (out->plan));
}

static const MoaSensitivity *
row_of (const Sensitivity *s, const char *key)
{
  for (guint i = 0; i < s->rows->len; i++)
    {
      const MoaSensitivity *row = &g_array_index (s->rows, MoaSensitivity, i);
      if (g_strcmp0 (row->key, key) == 0)
        return row;
    }
  fail_msg ("no parameter %s", key);
  return NULL;
}

static void
assert_fixed (const MoaSensitivity *row, double total)
{
  assert_close (row->low_value, row->value, REL_TOL, "low value of a fixed parameter");
  assert_close (row->high_value, row->value, REL_TOL, "high value of a fixed parameter");
  assert_close (row->low_total, total, REL_TOL, "low total of a fixed parameter");
  assert_close (row->high_total, total, REL_TOL, "high total of a fixed parameter");
  assert_true (row->swing == 0.0);
}

/* cost = N f t w (test-sensitivity/product.xml): N = 200, f = 2, t = 3 h, w = 40 EUR/h, total
 * 48,000. d/dN = f t w = 240, d/df = N t w = 24,000, d/dt = N f w = 16,000, d/dw = N f t =
 * 1,200; every elasticity is 1. All fixed, so the ranking is by key. */
static void
test_product (void **state)
{
  g_auto (Sensitivity) s = { 0 };
  compute ("product.xml", &s);
  assert_int_equal (s.rows->len, 4);

  struct
  {
    const char *key;
    double value, derivative;
  } expected[] = {
    /* ranking order: elasticities tie at 1, then keys ('/' < ':' in ASCII) */
    { "people:population", 200, 3 * 2 * 40 },
    { "request/form:tariff", 40, 200 * 2 * 3 },
    { "request/form:time", 3, 200 * 2 * 40 },
    { "request:frequency", 2, 200 * 3 * 40 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const MoaSensitivity *row = &g_array_index (s.rows, MoaSensitivity, i);
      assert_string_equal (row->key, expected[i].key);
      assert_close (row->value, expected[i].value, REL_TOL, row->key);
      assert_close (row->derivative, expected[i].derivative, DIFF_TOL, row->key);
      assert_close (row->elasticity, 1.0, DIFF_TOL, row->key);
      assert_fixed (row, 48000.0);
      assert_string_equal (row->key, moa_plan_get_param_key (s.plan, row->param));
    }
}

/* A loop repeated with probability r = 0.25 (loop.xml): total c / (1 - r), c = 2,000;
 * d/dr = c / (1 - r)^2 = 32,000/9; elasticity r / (1 - r) = 1/3. The time's derivative is
 * 100 x 10 / 0.75 = 4,000/3 per hour. */
static void
test_loop_probability (void **state)
{
  g_auto (Sensitivity) s = { 0 };
  compute ("loop.xml", &s);
  const MoaSensitivity *r = row_of (&s, "request/again>work:probability");
  assert_close (r->value, 0.25, REL_TOL, "r");
  assert_close (r->derivative, 2000.0 / (0.75 * 0.75), DIFF_TOL, "d total / d r");
  assert_close (r->elasticity, 0.25 / 0.75, DIFF_TOL, "elasticity of r");
  assert_fixed (r, 2000.0 / 0.75);
  const MoaSensitivity *t = row_of (&s, "request/work:time");
  assert_close (t->derivative, 1000.0 / 0.75, DIFF_TOL, "d total / d t");
  assert_close (t->elasticity, 1.0, DIFF_TOL, "elasticity of t");
}

/* The same loop without a default branch: moving r alone gives the same derivative; the exit
 * probability does not change the total (derivative 0). */
static void
test_loop_no_default (void **state)
{
  g_auto (Sensitivity) s = { 0 };
  compute ("loop-no-default.xml", &s);
  const MoaSensitivity *r = row_of (&s, "request/again>work:probability");
  assert_close (r->derivative, 2000.0 / (0.75 * 0.75), DIFF_TOL, "d total / d r");
  const MoaSensitivity *exit = row_of (&s, "request/again>done:probability");
  assert_true (fabs (exit->derivative) <= DIFF_TOL);
  assert_true (fabs (exit->elasticity) <= DIFF_TOL);
}

/* The default branch holds nothing: r is differentiated one-sided (downwards) and the result
 * is still c / (1 - r)^2. */
static void
test_loop_one_sided (void **state)
{
  g_auto (Sensitivity) s = { 0 };
  compute ("loop-full.xml", &s);
  const MoaSensitivity *r = row_of (&s, "request/again>work:probability");
  assert_close (r->derivative, 2000.0 / (0.75 * 0.75), DIFF_TOL, "d total / d r");
  /* moving the exit probability down gives to the default branch, which also ends the case */
  const MoaSensitivity *exit = row_of (&s, "request/again>done:probability");
  assert_true (fabs (exit->derivative) <= DIFF_TOL);
}

/* test-sensitivity/tornado.xml: the swing of a triangular time and a uniform amount from the
 * totals at their minimum and maximum, and the whole ranking (values in the file's comment). */
static void
test_tornado (void **state)
{
  g_auto (Sensitivity) s = { 0 };
  compute ("tornado.xml", &s);
  assert_int_equal (s.rows->len, 6);

  struct
  {
    const char *key;
    double value, derivative, elasticity, low, high, low_total, high_total;
  } expected[] = {
    { "request/a:time", 3, 1000, 0.6, 1, 6, 3000, 8000 },
    { "request/a:out-of-pocket", 10, 100, 0.2, 0, 20, 4000, 6000 },
    { "people:population", 100, 50, 1, 100, 100, 5000, 5000 },
    { "request:frequency", 1, 5000, 1, 1, 1, 5000, 5000 },
    { "model:sens-test:citizen-rate", 10, 400, 0.8, 10, 10, 5000, 5000 },
    { "request/b:time", 1, 1000, 0.2, 1, 1, 5000, 5000 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const MoaSensitivity *row = &g_array_index (s.rows, MoaSensitivity, i);
      if (g_strcmp0 (row->key, expected[i].key) != 0)
        fail_msg ("rank %u: %s, expected %s", i + 1, row->key, expected[i].key);
      assert_close (row->value, expected[i].value, REL_TOL, row->key);
      assert_close (row->derivative, expected[i].derivative, DIFF_TOL, row->key);
      assert_close (row->elasticity, expected[i].elasticity, DIFF_TOL, row->key);
      assert_close (row->low_value, expected[i].low, REL_TOL, row->key);
      assert_close (row->high_value, expected[i].high, REL_TOL, row->key);
      assert_close (row->low_total, expected[i].low_total, REL_TOL, row->key);
      assert_close (row->high_total, expected[i].high_total, REL_TOL, row->key);
      assert_close (row->swing, fabs (expected[i].high_total - expected[i].low_total), REL_TOL,
                    row->key);
    }
}

/* test-sensitivity/laws.xml: P5 and P95 of normal, truncated normal and lognormal laws, the
 * support of a discrete law, and the totals there. Truncated quantiles: mu + sd
 * Φ⁻¹(Φ(α) + q (Φ(β) − Φ(α))), α = −mu/sd, β = (1 − mu)/sd for fractions, +inf otherwise;
 * the numbers were computed with Python's statistics.NormalDist (an implementation
 * independent of moa's). */
static void
test_laws (void **state)
{
  g_auto (Sensitivity) s = { 0 };
  compute ("laws.xml", &s);
  /* a fixed parameter gives the base total */
  double base = row_of (&s, "report/a:time")->low_total;

  /* normal(100, 10) EUR, the truncation at 0 is 10 sd away; the total moves by 100 firms x
   * the amount */
  const MoaSensitivity *a = row_of (&s, "report/a:out-of-pocket");
  assert_close (a->low_value, 100 - 10 * Z95, REL_TOL, "normal P5");
  assert_close (a->high_value, 100 + 10 * Z95, REL_TOL, "normal P95");
  assert_close (a->low_total - base, 100 * (-10 * Z95), REL_TOL, "normal low total");
  assert_close (a->high_total - base, 100 * (10 * Z95), REL_TOL, "normal high total");

  /* normal(1, 2) h truncated at 0: Φ(−0.5) = 0.308537538725987;
   * P5 = 1 + 2 Φ⁻¹(0.308537538725987 + 0.05 x 0.691462461274013) = 0.19202340192371337,
   * P95 = 4.634926034649535; the total moves by 100 firms x 50 EUR/h x the time */
  const MoaSensitivity *b = row_of (&s, "report/b:time");
  assert_close (b->low_value, 0.19202340192371337, REL_TOL, "truncated normal P5");
  assert_close (b->high_value, 4.634926034649535, REL_TOL, "truncated normal P95");
  assert_close (b->swing, 5000 * (4.634926034649535 - 0.19202340192371337), REL_TOL,
                "truncated normal swing");
  assert_close (b->derivative, 5000, DIFF_TOL, "d total / d time");

  /* lognormal(30, 10) EUR: sigma^2 = ln(10/9), mu = ln 30 - sigma^2 / 2 */
  const MoaSensitivity *c = row_of (&s, "report/c:fee");
  double sigma = sqrt (log (10.0 / 9.0)), mu = log (30.0) - log (10.0 / 9.0) / 2;
  assert_close (c->low_value, exp (mu - Z95 * sigma), REL_TOL, "lognormal P5");
  assert_close (c->high_value, exp (mu + Z95 * sigma), REL_TOL, "lognormal P95");
  assert_close (c->low_value, 16.68665676336763, 1e-12, "lognormal P5 (NormalDist)");
  assert_close (c->low_total - base, 100 * (c->low_value - 30), REL_TOL, "lognormal low total");

  /* discrete(1: 0.5, 4: 0.5) h: 1 and 4 */
  const MoaSensitivity *d = row_of (&s, "report/d:time");
  assert_close (d->low_value, 1, REL_TOL, "discrete low");
  assert_close (d->high_value, 4, REL_TOL, "discrete high");

  /* bau normal(0.5, 0.4) truncated to [0, 1] (symmetric: mean 0.5): P5 = 0.07690013960807512;
   * d's cost per case is 50 EUR/h x 2.5 h = 125, so the total moves by 100 x 125 x (0.5 - bau) */
  const MoaSensitivity *bau = row_of (&s, "report/d:bau");
  assert_close (bau->low_value, 0.07690013960807512, REL_TOL, "fraction normal P5");
  assert_close (bau->high_value, 0.9230998603919243, REL_TOL, "fraction normal P95");
  assert_close (bau->low_total - base, 100 * 125 * (0.5 - 0.07690013960807512), REL_TOL,
                "bau low total");
  assert_close (bau->derivative, -100 * 125, DIFF_TOL, "d total / d bau");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_product),         cmocka_unit_test (test_loop_probability),
    cmocka_unit_test (test_loop_no_default), cmocka_unit_test (test_loop_one_sided),
    cmocka_unit_test (test_tornado),         cmocka_unit_test (test_laws),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
