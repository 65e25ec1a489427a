/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of values with units and distributions (docs/procedure-format.md, "Values and units"). */

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "moa-error.h"
#include "moa-value.h"

/* Relative tolerance for exact arithmetic (style.md §15). */
#define REL_TOL 1e-9

static void
assert_close (double got, double expected, const char *text)
{
  double tol = REL_TOL * fmax (1.0, fabs (expected));
  if (!(fabs (got - expected) <= tol))
    fail_msg ("%s: mean %.17g, expected %.17g (tolerance %g)", text, got, expected, tol);
}

/* Expected means, in base units, computed by hand from the formulas of the format spec. */
static const struct
{
  const char *text;
  MoaDimension dim;
  MoaDistKind kind;
  const char *unit;
  double mean;
} good[] = {
  { "30 min", MOA_DIM_TIME, MOA_DIST_FIXED, "min", 0.5 },
  { "  1.5 h ", MOA_DIM_TIME, MOA_DIST_FIXED, "h", 1.5 },
  { "90 s", MOA_DIM_TIME, MOA_DIST_FIXED, "s", 0.025 },   /* 90 / 3600 */
  { "2 day", MOA_DIM_TIME, MOA_DIST_FIXED, "day", 16.0 }, /* 1 day = 8 h */
  { "30min", MOA_DIM_TIME, MOA_DIST_FIXED, "min", 0.5 },
  { "0 min", MOA_DIM_TIME, MOA_DIST_FIXED, "min", 0.0 },
  { "16 EUR", MOA_DIM_MONEY, MOA_DIST_FIXED, "EUR", 16.0 },
  { "1.10 €", MOA_DIM_MONEY, MOA_DIST_FIXED, "€", 1.1 },
  { "37.10 EUR/h", MOA_DIM_RATE, MOA_DIST_FIXED, "EUR/h", 37.1 },
  { "240 EUR/day", MOA_DIM_RATE, MOA_DIST_FIXED, "EUR/day", 30.0 }, /* 240 / 8 */
  { "25 %", MOA_DIM_FRACTION, MOA_DIST_FIXED, "%", 0.25 },
  { "25%", MOA_DIM_FRACTION, MOA_DIST_FIXED, "%", 0.25 },
  { "0.3", MOA_DIM_FRACTION, MOA_DIST_FIXED, NULL, 0.3 },
  { "1", MOA_DIM_FRACTION, MOA_DIST_FIXED, NULL, 1.0 },
  { "100 %", MOA_DIM_FRACTION, MOA_DIST_FIXED, "%", 1.0 },
  { "12", MOA_DIM_COUNT, MOA_DIST_FIXED, NULL, 12.0 },
  { "0.2", MOA_DIM_COUNT, MOA_DIST_FIXED, NULL, 0.2 },
  { "1.5e3", MOA_DIM_COUNT, MOA_DIST_FIXED, NULL, 1500.0 },
  /* (20 + 40) / 2 = 30 min = 0.5 h */
  { "uniform(20, 40) min", MOA_DIM_TIME, MOA_DIST_UNIFORM, "min", 0.5 },
  /* (20 + 30 + 60) / 3 = 110/3 min = 11/18 h */
  { "triangular(20, 30, 60) min", MOA_DIM_TIME, MOA_DIST_TRIANGULAR, "min", 11.0 / 18.0 },
  /* (20 + 4·30 + 60) / 6 = 200/6 min = 33.33… min = 5/9 h */
  { "pert(20, 30, 60) min", MOA_DIM_TIME, MOA_DIST_PERT, "min", 5.0 / 9.0 },
  /* (1 + 8 + 4) / 6 = 13/6 h */
  { "pert(1,2,4) h", MOA_DIM_TIME, MOA_DIST_PERT, "h", 13.0 / 6.0 },
  { "lognormal(30, 10) min", MOA_DIM_TIME, MOA_DIST_LOGNORMAL, "min", 0.5 },
  /* 0.7·1 + 0.3·2 = 1.3 */
  { "discrete(1: 0.7, 2: 0.3)", MOA_DIM_COUNT, MOA_DIST_DISCRETE, NULL, 1.3 },
  /* weights 7 and 3 normalised to 0.7 and 0.3 */
  { "discrete(1: 7, 2: 3)", MOA_DIM_COUNT, MOA_DIST_DISCRETE, NULL, 1.3 },
  /* (20 + 40) / 2 % = 0.3 */
  { "uniform(20, 40) %", MOA_DIM_FRACTION, MOA_DIST_UNIFORM, "%", 0.3 },
  { "uniform(0.2, 0.4)", MOA_DIM_FRACTION, MOA_DIST_UNIFORM, NULL, 0.3 },
  /* normal(30, 10) min truncated to [0, inf): alpha = -3,
   * mean = 30 + 10 φ(3) / (1 - Φ(-3)) = 30 + 10 · 0.004431848411938008 / 0.9986501019683699
   *      = 30.04437837… min (φ, Φ from a table of the standard normal). */
  { "normal(30, 10) min", MOA_DIM_TIME, MOA_DIST_NORMAL, "min",
    (30.0 + 10.0 * 0.004431848411938008 / 0.9986501019683699) / 60.0 },
  /* normal(0, 10) min: a half-normal, mean = 10 √(2/π) = 7.978845608028654 min */
  { "normal(0, 10) min", MOA_DIM_TIME, MOA_DIST_NORMAL, "min", 7.978845608028654 / 60.0 },
  /* normal(0.5, 0.2) truncated to [0, 1] is symmetric about 0.5 */
  { "normal(0.5, 0.2)", MOA_DIM_FRACTION, MOA_DIST_NORMAL, NULL, 0.5 },
  { "normal(50, 20) %", MOA_DIM_FRACTION, MOA_DIST_NORMAL, "%", 0.5 },
  /* normal(1, 0.1) on [0, 1]: alpha = -10, beta = 0, mean = 1 + 0.1 (φ(-10) - φ(0)) /
   * (Φ(0) - Φ(-10)) = 1 - 0.1 · 0.3989422804014327 / 0.5 (φ(10), Φ(-10) below 1e-22) */
  { "normal(1, 0.1)", MOA_DIM_FRACTION, MOA_DIST_NORMAL, NULL, 1.0 - 0.07978845608028654 },
  { "normal(30, 0) min", MOA_DIM_TIME, MOA_DIST_NORMAL, "min", 0.5 },
};

static void
test_parse_good (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaValue) v = moa_value_parse (good[i].text, good[i].dim, &error);

      if (v == NULL)
        fail_msg ("\"%s\" did not parse: %s", good[i].text, error->message);
      assert_int_equal (v->dim, good[i].dim);
      assert_int_equal (v->kind, good[i].kind);
      if (g_strcmp0 (v->unit, good[i].unit) != 0)
        fail_msg ("\"%s\": unit \"%s\", expected \"%s\"", good[i].text, v->unit, good[i].unit);
      assert_close (v->mean, good[i].mean, good[i].text);
      assert_close (moa_value_mean_or (v, -1), good[i].mean, good[i].text);
      assert_int_equal (moa_value_is_uncertain (v), good[i].kind != MOA_DIST_FIXED);
    }
}

static void
test_parameters_kept_as_written (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaValue) t = moa_value_parse ("triangular(20, 30, 60) min", MOA_DIM_TIME, &error);
  g_autoptr (MoaValue) d = moa_value_parse ("discrete(1: 7, 2: 3)", MOA_DIM_COUNT, &error);

  assert_non_null (t);
  assert_true (t->p[0] == 20 && t->p[1] == 30 && t->p[2] == 60);
  assert_close (t->scale, 1.0 / 60.0, "scale of min");
  assert_non_null (d);
  assert_int_equal (d->n_points, 2);
  assert_true (d->points[0] == 1 && d->points[1] == 2);
  assert_close (d->weights[0], 0.7, "weight 1");
  assert_close (d->weights[1], 0.3, "weight 2");
  assert_close (moa_value_mean_or (NULL, 42.0), 42.0, "NULL fallback");
}

/* Every rejected text, with the code it must give and a piece of the message. */
static const struct
{
  const char *text;
  MoaDimension dim;
  int code;
  const char *message;
} bad[] = {
  { "30", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_UNIT,
    "\"30\" has no unit: write it as \"30 min\" or \"30 h\"" },
  { "16", MOA_DIM_MONEY, MOA_PARSE_ERROR_BAD_UNIT, "write it as \"16 EUR\"" },
  { "35", MOA_DIM_RATE, MOA_PARSE_ERROR_BAD_UNIT, "\"35 EUR/h\"" },
  { "triangular(20, 30, 60)", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_UNIT, "has no unit" },
  { "30 mins", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_UNIT,
    "unknown unit \"mins\": expected s, min, h or day" },
  { "30 EUR", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_UNIT, "EUR is a unit of money" },
  { "30 min", MOA_DIM_RATE, MOA_PARSE_ERROR_BAD_UNIT, "min is a unit of time" },
  { "30 EUR/h", MOA_DIM_MONEY, MOA_PARSE_ERROR_BAD_UNIT, "EUR/h is a unit of rate" },
  { "30 h", MOA_DIM_FRACTION, MOA_PARSE_ERROR_BAD_UNIT, "h is a unit of time" },
  { "0.3 pct", MOA_DIM_FRACTION, MOA_PARSE_ERROR_BAD_UNIT, "unknown unit \"pct\"" },
  { "12 x", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_UNIT, "a count has no unit" },
  { "5 %", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_UNIT, "a count has no unit" },
  { "30 Min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_UNIT, "unknown unit \"Min\"" },
  { "", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER, "empty" },
  { "   ", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_NUMBER, "empty" },
  { "abc", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_NUMBER, "\"abc\" is not a number" },
  { "abc min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER, "\"abc\" is not a number" },
  { "nan h", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER, "not a finite number" },
  { "inf", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_NUMBER, "not a finite number" },
  { "-Infinity", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_NUMBER, "not a finite number" },
  { "1e999 h", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER, "not a finite number" },
  /* finite as written, infinite in hours (x 8) */
  { "1e308 day", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER, "too large" },
  { "0,5 h", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER, "the decimal separator is \".\"" },
  { ".", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_NUMBER, "is not a number" },
  { "0x10", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_UNIT, "a count has no unit" },
  { "-5 min", MOA_DIM_TIME, MOA_PARSE_ERROR_NEGATIVE, "\"-5 min\" is negative" },
  { "-1 EUR", MOA_DIM_MONEY, MOA_PARSE_ERROR_NEGATIVE, "negative" },
  { "-1 EUR/h", MOA_DIM_RATE, MOA_PARSE_ERROR_NEGATIVE, "negative" },
  { "-3", MOA_DIM_COUNT, MOA_PARSE_ERROR_NEGATIVE, "negative" },
  { "1.5", MOA_DIM_FRACTION, MOA_PARSE_ERROR_OUT_OF_RANGE, "outside 0 … 1" },
  { "-0.1", MOA_DIM_FRACTION, MOA_PARSE_ERROR_OUT_OF_RANGE, "outside 0 … 1" },
  { "150 %", MOA_DIM_FRACTION, MOA_PARSE_ERROR_OUT_OF_RANGE, "outside 0 % … 100 %" },
  { "uniform(0.5, 1.2)", MOA_DIM_FRACTION, MOA_PARSE_ERROR_OUT_OF_RANGE,
    "the maximum 1.2 is outside 0 … 1" },
  { "uniform(-1, 2) min", MOA_DIM_TIME, MOA_PARSE_ERROR_NEGATIVE,
    "uniform(-1, 2): the minimum -1 is negative" },
  { "uniform(40, 30) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "uniform(40, 30): the minimum 40 is above the maximum 30" },
  { "triangular(40, 30, 60) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "triangular(40, 30, 60): the mode 30 is below the minimum 40" },
  { "pert(20, 70, 60) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "pert(20, 70, 60): the mode 70 is above the maximum 60" },
  { "pert(60, 30, 20) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "the minimum 60 is above the maximum 20" },
  { "triangular(-10, 0, 10) min", MOA_DIM_TIME, MOA_PARSE_ERROR_NEGATIVE, "the minimum -10" },
  { "normal(30, -5) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "the standard deviation -5 is negative" },
  { "normal(-1, 5) min", MOA_DIM_TIME, MOA_PARSE_ERROR_NEGATIVE, "the mean -1 is negative" },
  { "normal(1.5, 0.1)", MOA_DIM_FRACTION, MOA_PARSE_ERROR_OUT_OF_RANGE, "the mean 1.5" },
  { "lognormal(30, -1) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "standard deviation -1 is negative" },
  { "lognormal(0, 1) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION, "above 0" },
  { "lognormal(0.3, 0.1)", MOA_DIM_FRACTION, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "cannot be a fraction" },
  { "discrete(1: -0.2, 2: 1.2)", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "the weight -0.2 is negative" },
  { "discrete(1: 0, 2: 0)", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "the weights sum to 0" },
  { "discrete(-1: 0.5, 2: 0.5)", MOA_DIM_COUNT, MOA_PARSE_ERROR_NEGATIVE,
    "the value -1 is negative" },
  { "discrete(0.5: 1, 2: 1)", MOA_DIM_FRACTION, MOA_PARSE_ERROR_OUT_OF_RANGE, "the value 2" },
  { "discrete(1 0.5)", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_DISTRIBUTION, "\"value: weight\"" },
  { "discrete()", MOA_DIM_COUNT, MOA_PARSE_ERROR_BAD_DISTRIBUTION, "at least one" },
  { "gamma(1, 2) h", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "unknown distribution \"gamma\"" },
  { "triangular(20, 30) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
    "triangular takes 3 parameters (min, mode, max), not 2" },
  { "uniform() min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION, "not 0" },
  { "triangular(20 min, 30 min, 60 min)", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER,
    "write the unit once" },
  { "triangular(a, 30, 60) min", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER,
    "\"a\" is not a number" },
  { "pert(1, 2, 4 h", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_DISTRIBUTION, "missing \")\"" },
  { "uniform(1, nan) h", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_NUMBER, "is not a number" },
  { "30 min extra", MOA_DIM_TIME, MOA_PARSE_ERROR_BAD_UNIT, "unknown unit \"min extra\"" },
};

static void
test_parse_bad (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaValue) v = moa_value_parse (bad[i].text, bad[i].dim, &error);

      if (v != NULL)
        fail_msg ("\"%s\" was accepted (mean %g)", bad[i].text, v->mean);
      assert_non_null (error);
      if (error->domain != MOA_PARSE_ERROR || error->code != bad[i].code)
        fail_msg ("\"%s\": code %d (%s), expected %d", bad[i].text, error->code, error->message,
                  bad[i].code);
      if (strstr (error->message, bad[i].message) == NULL)
        fail_msg ("\"%s\": message \"%s\" lacks \"%s\"", bad[i].text, error->message,
                  bad[i].message);
    }
}

/* Writing back gives the canonical text, which parses back to an equal value. */
static const struct
{
  const char *text;
  MoaDimension dim;
  const char *written;
} round_trip[] = {
  { "30 min", MOA_DIM_TIME, "30 min" },
  { "0.1 h", MOA_DIM_TIME, "0.1 h" },
  { "37.10 EUR/h", MOA_DIM_RATE, "37.1 EUR/h" },
  { "25%", MOA_DIM_FRACTION, "25 %" },
  { "0.3", MOA_DIM_FRACTION, "0.3" },
  { "1.5e3", MOA_DIM_COUNT, "1500" },
  { "1e-7", MOA_DIM_COUNT, "1e-07" },
  { "0.1234567890123456789 h", MOA_DIM_TIME,
    "0.12345678901234568 h" }, /* 16 digits read back as another double */
  { "pert(20,30,60)min", MOA_DIM_TIME, "pert(20, 30, 60) min" },
  { "triangular(0.5, 1, 2.25) day", MOA_DIM_TIME, "triangular(0.5, 1, 2.25) day" },
  { "uniform(20, 40) %", MOA_DIM_FRACTION, "uniform(20, 40) %" },
  { "normal(30, 10) min", MOA_DIM_TIME, "normal(30, 10) min" },
  { "lognormal(30, 10) min", MOA_DIM_TIME, "lognormal(30, 10) min" },
  { "discrete(1: 0.7, 2: 0.3)", MOA_DIM_COUNT, "discrete(1: 0.7, 2: 0.3)" },
  { "discrete(1: 7, 2: 3)", MOA_DIM_COUNT, "discrete(1: 0.7, 2: 0.3)" },
  { "discrete(1: 1, 2: 1, 3: 1)", MOA_DIM_COUNT, NULL }, /* weights 1/3: no short text */
  { "1.10 €", MOA_DIM_MONEY, "1.1 €" },
};

static void
test_round_trip (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (round_trip); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaValue) a = moa_value_parse (round_trip[i].text, round_trip[i].dim, &error);
      g_autofree char *s = NULL;
      g_autoptr (MoaValue) b = NULL;
      g_autofree char *s2 = NULL;

      assert_non_null (a);
      s = moa_value_to_string (a);
      if (round_trip[i].written != NULL && strcmp (s, round_trip[i].written) != 0)
        fail_msg ("\"%s\" written as \"%s\", expected \"%s\"", round_trip[i].text, s,
                  round_trip[i].written);
      b = moa_value_parse (s, round_trip[i].dim, &error);
      if (b == NULL)
        fail_msg ("\"%s\" written as \"%s\" does not parse: %s", round_trip[i].text, s,
                  error->message);
      if (!moa_value_equal (a, b))
        fail_msg ("\"%s\" written as \"%s\" reads back different", round_trip[i].text, s);
      s2 = moa_value_to_string (b);
      assert_string_equal (s, s2);
    }
}

static void
test_equal (void **state)
{
  g_autoptr (MoaValue) a = moa_value_parse ("30 min", MOA_DIM_TIME, NULL);
  g_autoptr (MoaValue) b = moa_value_parse ("0.5 h", MOA_DIM_TIME, NULL);
  g_autoptr (MoaValue) c = moa_value_parse ("30.0 min", MOA_DIM_TIME, NULL);
  g_autoptr (MoaValue) d = moa_value_parse ("uniform(30, 30) min", MOA_DIM_TIME, NULL);
  g_autoptr (MoaValue) e = moa_value_parse ("30", MOA_DIM_COUNT, NULL);

  /* Same mean, different unit or kind or dimension: not equal (the text would differ). */
  assert_true (a->mean == b->mean);
  assert_false (moa_value_equal (a, b));
  assert_true (moa_value_equal (a, c));
  assert_false (moa_value_equal (a, d));
  assert_false (moa_value_equal (a, e));
  assert_true (moa_value_equal (NULL, NULL));
  assert_false (moa_value_equal (a, NULL));
  assert_true (moa_value_is_uncertain (d));
  assert_false (moa_value_is_uncertain (NULL));
}

static void
test_new_fixed (void **state)
{
  g_autoptr (MoaValue) a = moa_value_new_fixed (MOA_DIM_TIME, 0.5, "min");
  g_autoptr (MoaValue) b = moa_value_new_fixed (MOA_DIM_RATE, 30.0, "EUR/day");
  g_autoptr (MoaValue) c = moa_value_new_fixed (MOA_DIM_MONEY, 12.5, NULL);
  g_autoptr (MoaValue) d = moa_value_new_fixed (MOA_DIM_FRACTION, 0.25, "%");
  g_autoptr (MoaValue) e = moa_value_new_fixed (MOA_DIM_COUNT, 7, NULL);
  g_autofree char *sa = moa_value_to_string (a);
  g_autofree char *sb = moa_value_to_string (b);
  g_autofree char *sc = moa_value_to_string (c);
  g_autofree char *sd = moa_value_to_string (d);
  g_autofree char *se = moa_value_to_string (e);

  assert_string_equal (sa, "30 min");      /* 0.5 h × 60 */
  assert_string_equal (sb, "240 EUR/day"); /* 30 EUR/h × 8 */
  assert_string_equal (sc, "12.5 EUR");
  assert_string_equal (sd, "25 %");
  assert_string_equal (se, "7");
  assert_close (a->mean, 0.5, "new_fixed mean");
  assert_close (b->mean, 30.0, "new_fixed mean");
  assert_ptr_equal (moa_value_ref (e), e);
  moa_value_unref (e);
  assert_string_equal (e->unit == NULL ? "none" : e->unit, "none"); /* still alive */
}

/* The CLI sets LC_ALL from the environment; an Italian locale writes 1,5 for 1.5. Parsing and
 * writing must not care. */
static void
test_locale_independent (void **state)
{
  char *old = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autoptr (MoaValue) v = NULL;
  g_autofree char *s = NULL;

  if (setlocale (LC_NUMERIC, "it_IT.UTF-8") == NULL && setlocale (LC_NUMERIC, "it_IT.utf8") == NULL)
    {
      g_free (old);
      skip ();
    }
  v = moa_value_parse ("pert(1.5, 2.25, 4) h", MOA_DIM_TIME, NULL);
  s = v != NULL ? moa_value_to_string (v) : NULL;
  setlocale (LC_NUMERIC, old);
  g_free (old);
  assert_non_null (v);
  /* (1.5 + 9 + 4) / 6 = 14.5 / 6 h */
  assert_close (v->mean, 14.5 / 6.0, "pert in it_IT");
  assert_string_equal (s, "pert(1.5, 2.25, 4) h");
}

static void
test_dimension_names (void **state)
{
  assert_string_equal (moa_dimension_name (MOA_DIM_TIME), "time");
  assert_string_equal (moa_dimension_name (MOA_DIM_MONEY), "money");
  assert_string_equal (moa_dimension_name (MOA_DIM_RATE), "rate");
  assert_string_equal (moa_dimension_name (MOA_DIM_FRACTION), "fraction");
  assert_string_equal (moa_dimension_name (MOA_DIM_COUNT), "count");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_parse_good),
    cmocka_unit_test (test_parameters_kept_as_written),
    cmocka_unit_test (test_parse_bad),
    cmocka_unit_test (test_round_trip),
    cmocka_unit_test (test_equal),
    cmocka_unit_test (test_new_fixed),
    cmocka_unit_test (test_locale_independent),
    cmocka_unit_test (test_dimension_names),
  };

  cmocka_set_message_output (CM_OUTPUT_TAP);
  return cmocka_run_group_tests_name ("value", tests, NULL, NULL);
}
