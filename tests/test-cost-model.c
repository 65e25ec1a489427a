/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the cost model loader (docs/cost-model-format.md) and of model sets. */

#include "moa-config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "moa-cost-model.h"
#include "moa-error.h"

#ifdef MOA_TESTS_SRCDIR
#define DATA_DIR MOA_TESTS_SRCDIR "/test-cost-model"
#else
#define DATA_DIR MOA_SOURCE_DIR "/tests/test-cost-model"
#endif

/* Relative tolerance for exact arithmetic (style.md §15). */
static void
assert_close (double got, double expected)
{
  if (!(fabs (got - expected) <= 1e-9 * fmax (1.0, fabs (expected))))
    fail_msg ("got %.17g, expected %.17g", got, expected);
}

static void
test_load_good (void **state)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCostModel) m
      = moa_cost_model_load_file (DATA_DIR "/good/tiny.xml", problems, &error);
  MoaStandardActivity *forms, *payments;
  MoaTariffProfile *clerk, *consultant;
  MoaTravelEntry *hall;

  if (m == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (problems->len, 0);
  assert_string_equal (m->file, DATA_DIR "/good/tiny.xml");
  assert_int_equal (m->line, 2);
  assert_string_equal (m->id, "tiny");
  assert_string_equal (m->version, "1");
  assert_string_equal (m->currency, "EUR");
  assert_int_equal (m->price_year, 2024);
  assert_string_equal (m->title.it, "Modello minimo");
  assert_string_equal (m->title.en, "Tiny model");
  assert_non_null (strstr (m->source, "illustrative"));
  assert_close (m->overhead_rate, 0.25); /* 25 % */
  assert_string_equal (m->overhead_source, "illustrative");
  assert_true (m->citizen_time_monetised);
  assert_close (m->citizen_rate->mean, 15.0);
  assert_string_equal (m->citizen_source, "illustrative");
  assert_string_equal (m->default_business_tariff, "clerk");
  assert_string_equal (m->default_administration_tariff, "clerk");
  assert_string_equal (m->default_external_tariff, "consultant");

  assert_int_equal (m->obligation_types->len, 1);
  assert_non_null (moa_cost_model_get_type (m, "notification"));
  assert_string_equal (moa_cost_model_get_type (m, "notification")->title.en, "Notification");
  assert_null (moa_cost_model_get_type (m, "report"));

  assert_int_equal (m->standard_activities->len, 2);
  forms = moa_cost_model_get_activity (m, "filling-forms");
  assert_non_null (forms);
  assert_ptr_equal (forms, g_ptr_array_index (m->standard_activities, 0));
  assert_int_equal (forms->line, 13);
  assert_close (forms->business_time[0]->mean, 3.0 / 60.0);   /* 3 min */
  assert_close (forms->business_time[1]->mean, 13.0 / 6.0);   /* pert(1, 2, 4) h: (1+8+4)/6 */
  assert_close (forms->business_time[2]->mean, 8.0);          /* 1 day = 8 h */
  assert_close (forms->citizen_time[0]->mean, 90.0 / 3600.0); /* 90 s */
  assert_close (forms->citizen_time[1]->mean, 10.0 / 60.0);
  assert_close (forms->citizen_time[2]->mean, 110.0 / 180.0); /* (20+30+60)/3 min */
  payments = moa_cost_model_get_activity (m, "payments");
  assert_non_null (payments);
  assert_int_equal (payments->line, 18);
  assert_null (payments->business_time[0]);
  assert_null (payments->business_time[1]);
  assert_null (payments->business_time[2]);
  assert_close (payments->citizen_time[2]->mean, 5.0 / 60.0);
  assert_string_equal (payments->title.it, "Pagamenti");
  assert_null (payments->title.en);
  assert_null (moa_cost_model_get_activity (m, "training"));

  clerk = moa_cost_model_get_tariff (m, "clerk");
  consultant = moa_cost_model_get_tariff (m, "consultant");
  assert_non_null (clerk);
  assert_non_null (consultant);
  assert_close (clerk->rate->mean, 30.0); /* 240 EUR/day / 8 h */
  assert_false (clerk->external);
  assert_close (consultant->rate->mean, 80.0);
  assert_true (consultant->external);
  assert_null (moa_cost_model_get_tariff (m, "lawyer"));

  assert_int_equal (m->travel->len, 1);
  hall = g_ptr_array_index (m->travel, 0);
  assert_string_equal (hall->id, "town-hall");
  assert_close (hall->time->mean, 0.25); /* 15 min */
  assert_close (hall->cost->mean, 1.1);
  assert_string_equal (hall->title.en, "Town hall");

  /* A second reference keeps the model alive after the first is dropped. */
  {
    MoaCostModel *extra = moa_cost_model_ref (m);
    moa_cost_model_unref (extra);
    assert_string_equal (m->id, "tiny");
  }
}

static void
test_load_unpriced (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCostModel) m
      = moa_cost_model_load_file (DATA_DIR "/good/unpriced.xml", NULL, &error);

  if (m == NULL)
    fail_msg ("%s", error->message);
  assert_false (m->citizen_time_monetised);
  assert_null (m->citizen_rate);
  assert_close (m->overhead_rate, 0.0);
  assert_string_equal (m->currency, "EUR"); /* the default */
  assert_null (m->default_business_tariff);
  assert_null (m->source);
  assert_int_equal (m->travel->len, 0);
}

/* One file per error path: the problem it must give (first problem: code, line, a piece of
 * the message). */
static const struct
{
  const char *file;
  GQuark (*domain) (void);
  int code;
  int line;
  const char *message;
} invalid[] = {
  { "unknown-element", moa_parse_error_quark, MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 10,
    "unknown element <bogus> in <obligation-types>" },
  { "unknown-attribute", moa_parse_error_quark, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 24,
    "tariff \"clerk\": unknown attribute \"colour\" on <tariff>" },
  { "missing-rate", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7,
    "monetised=\"true\" needs a rate" },
  { "rate-not-monetised", moa_parse_error_quark, MOA_PARSE_ERROR_CONFLICT, 7,
    "monetised=\"false\" takes no rate" },
  { "duplicate-id", moa_parse_error_quark, MOA_PARSE_ERROR_DUPLICATE_ID, 25,
    "the id \"clerk\" is already used by <tariff> at line 24" },
  { "duplicate-activity", moa_parse_error_quark, MOA_PARSE_ERROR_DUPLICATE_ID, 18,
    "\"filling-forms\" is already used" },
  { "bad-unit", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_UNIT, 15,
    "<times> in activity \"filling-forms\": simple: \"3\" has no unit" },
  { "negative", moa_parse_error_quark, MOA_PARSE_ERROR_NEGATIVE, 25,
    "tariff \"consultant\": rate: \"-80 EUR/h\" is negative" },
  { "bad-distribution", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 16,
    "high: triangular(40, 30, 60): the mode 30 is below the minimum 40" },
  { "overhead-out-of-range", moa_parse_error_quark, MOA_PARSE_ERROR_OUT_OF_RANGE, 6,
    "rate: \"125 %\" is outside" },
  { "overhead-distribution", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 6,
    "the overhead rate is a fixed number" },
  { "missing-source", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 24,
    "<tariff> needs the attribute \"source\"" },
  { "missing-times", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ELEMENT, 18,
    "needs at least one <times" },
  { "incomplete-times", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 16,
    "<times> needs the attribute \"high\"" },
  { "duplicate-times", moa_parse_error_quark, MOA_PARSE_ERROR_DUPLICATE_ID, 16,
    "a second <times for=\"business\">" },
  { "unknown-default-tariff", moa_validation_error_quark, MOA_VALIDATION_ERROR_UNKNOWN_TARIFF, 8,
    "external-tariff=\"lawyer\" is not a <tariff> of this cost model" },
  { "wrong-root", moa_parse_error_quark, MOA_PARSE_ERROR_WRONG_ROOT, 2,
    "the root element is <procedure>" },
  { "bad-id", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ID, 10,
    "id=\"a notification\" is not a valid id" },
  { "bad-format", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ENUM, 2,
    "format=\"2\" is not allowed: expected \"1\"" },
  { "missing-overhead", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ELEMENT, 2,
    "<cost-model> has no <overhead>: it is required" },
  { "missing-title", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ELEMENT, 24,
    "<tariff> needs a <title" },
  { "bad-lang", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ENUM, 14,
    "lang=\"de\" is not allowed: expected \"it\" or \"en\"" },
  { "duplicate-title", moa_parse_error_quark, MOA_PARSE_ERROR_DUPLICATE_ID, 4,
    "a second <title lang=\"it\">" },
  { "bad-price-year", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_NUMBER, 2,
    "price-year=\"20x4\" is not an integer" },
  { "bad-number", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_NUMBER, 25,
    "rate: \"eighty\" is not a number" },
  { "bad-bool", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ENUM, 25,
    "external=\"yes\" is not allowed: expected \"true\" or \"false\"" },
  { "bad-currency", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ENUM, 2,
    "currency=\"eur\" is not a currency code" },
  { "second-overhead", moa_parse_error_quark, MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 7,
    "a second <overhead> (the first is at line 6)" },
  { "empty-list", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ELEMENT, 9,
    "<obligation-types> needs at least one <type>" },
  { "malformed", moa_parse_error_quark, MOA_PARSE_ERROR_MALFORMED, 17,
    "malformed.xml:17: Opening and ending tag mismatch" },
  { "entity", moa_parse_error_quark, MOA_PARSE_ERROR_ENTITY, 2,
    "entity.xml:2: a DOCTYPE is not allowed" },
};

static void
test_invalid (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *path = g_strdup_printf (DATA_DIR "/invalid/%s.xml", invalid[i].file);
      g_autofree char *prefix = NULL;
      g_autoptr (GPtrArray) problems = moa_problems_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaCostModel) m = moa_cost_model_load_file (path, problems, &error);
      const MoaProblem *p;

      if (m != NULL)
        fail_msg ("%s was accepted", invalid[i].file);
      assert_non_null (error);
      assert_true (problems->len >= 1);
      p = g_ptr_array_index (problems, 0);
      if (p->domain != invalid[i].domain () || p->code != invalid[i].code)
        fail_msg ("%s: code %d (%s), expected %d", invalid[i].file, p->code, p->message,
                  invalid[i].code);
      /* The error is the first problem. */
      assert_true (g_error_matches (error, p->domain, p->code));
      assert_string_equal (error->message, p->message);
      if (strstr (p->message, invalid[i].message) == NULL)
        fail_msg ("%s: message \"%s\" lacks \"%s\"", invalid[i].file, p->message,
                  invalid[i].message);
      assert_string_equal (p->file, path);
      if (invalid[i].line > 0)
        {
          assert_int_equal (p->line, invalid[i].line);
          prefix = g_strdup_printf ("%s:%d: ", path, invalid[i].line);
          if (!g_str_has_prefix (p->message, prefix))
            fail_msg ("%s: message \"%s\" does not start with \"%s\"", invalid[i].file, p->message,
                      prefix);
        }
      else
        assert_true (g_str_has_prefix (p->message, path));
    }
}

/* The loader goes on after a problem and reports all of them. */
static void
test_all_problems (void **state)
{
  const char *path = DATA_DIR "/invalid/many-problems.xml";
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCostModel) m = NULL;
  static const struct
  {
    int code;
    int line;
    const char *element;
  } expected[] = {
    { MOA_PARSE_ERROR_OUT_OF_RANGE, 6, "overhead" },
    { MOA_PARSE_ERROR_BAD_UNIT, 15, "times" },
    { MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 25, "consultant" },
  };

  /* Problems already in the array are kept; the error comes from this file's first. */
  moa_problems_add (problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO, "earlier.xml", 1, NULL,
                    "an earlier problem");
  m = moa_cost_model_load_file (path, problems, &error);
  assert_null (m);
  assert_int_equal (problems->len, 1 + G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const MoaProblem *p = g_ptr_array_index (problems, i + 1);
      assert_int_equal (p->code, expected[i].code);
      assert_int_equal (p->line, expected[i].line);
      assert_string_equal (p->element, expected[i].element);
    }
  assert_int_equal (error->code, MOA_PARSE_ERROR_OUT_OF_RANGE);
}

static void
test_missing_file (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCostModel) m
      = moa_cost_model_load_file (DATA_DIR "/no-such-model.xml", NULL, &error);
  assert_null (m);
  assert_true (g_error_matches (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO));
  assert_true (g_str_has_prefix (error->message, DATA_DIR "/no-such-model.xml: "));
  assert_null (strstr (error->message, "(null)"));
}

static void
test_model_set (void **state)
{
  g_autoptr (MoaModelSet) set = moa_model_set_new ();
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCostModel) again = NULL;
  GPtrArray *models;

  /* good/ holds tiny.xml, unpriced.xml and ignored.rng, which must be skipped. */
  assert_true (moa_model_set_load_dir (set, DATA_DIR "/good", problems, &error));
  assert_int_equal (problems->len, 0);
  models = moa_model_set_get_models (set);
  assert_int_equal (models->len, 2);
  assert_string_equal (((MoaCostModel *)g_ptr_array_index (models, 0))->id, "tiny");
  assert_string_equal (((MoaCostModel *)g_ptr_array_index (models, 1))->id, "unpriced");
  assert_non_null (moa_model_set_lookup (set, "tiny"));
  assert_null (moa_model_set_lookup (set, "it-moa"));

  /* Adding a model with the same id replaces the old one. */
  again = moa_cost_model_load_file (DATA_DIR "/good/tiny.xml", NULL, NULL);
  assert_non_null (again);
  assert_ptr_not_equal (moa_model_set_lookup (set, "tiny"), again);
  moa_model_set_add (set, again);
  assert_ptr_equal (moa_model_set_lookup (set, "tiny"), again);
  assert_int_equal (moa_model_set_get_models (set)->len, 2);
  assert_ptr_equal (g_ptr_array_index (moa_model_set_get_models (set), 0), again);
}

static void
test_model_set_problems (void **state)
{
  g_autoptr (MoaModelSet) set = moa_model_set_new ();
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autofree char *dir = g_dir_make_tmp ("moa-test-cost-model-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *b = g_build_filename (dir, "b.xml", NULL);
  g_autofree char *text = NULL;
  g_autofree char *missing = g_build_filename (dir, "nope", NULL);

  /* The same model in two files: the first is loaded, the second is a duplicate. */
  assert_true (g_file_get_contents (DATA_DIR "/good/tiny.xml", &text, NULL, NULL));
  assert_true (g_file_set_contents (a, text, -1, NULL));
  assert_true (g_file_set_contents (b, text, -1, NULL));
  assert_false (moa_model_set_load_dir (set, dir, problems, &error));
  assert_int_equal (problems->len, 1);
  assert_true (g_error_matches (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_DUPLICATE_ID));
  assert_true (g_str_has_prefix (error->message, b));
  assert_non_null (strstr (error->message, a));
  assert_string_equal (moa_model_set_lookup (set, "tiny")->file, a);

  assert_false (moa_model_set_load_dir (set, missing, NULL, &error2));
  assert_true (g_error_matches (error2, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO));

  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
}

static void
test_default_dir (void **state)
{
  g_autofree char *old = g_strdup (g_getenv ("MOA_MODELS_DIR"));
  g_autofree char *from_env = NULL;
  g_autofree char *from_tree = NULL;

  g_setenv ("MOA_MODELS_DIR", "/some/where", TRUE);
  from_env = moa_default_models_dir ();
  g_unsetenv ("MOA_MODELS_DIR");
  from_tree = moa_default_models_dir ();
  if (old != NULL)
    g_setenv ("MOA_MODELS_DIR", old, TRUE);

  assert_string_equal (from_env, "/some/where");
  /* The tests run from a build tree, whose source has models/. */
  assert_string_equal (from_tree, MOA_SOURCE_DIR "/models");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_load_good),
    cmocka_unit_test (test_load_unpriced),
    cmocka_unit_test (test_invalid),
    cmocka_unit_test (test_all_problems),
    cmocka_unit_test (test_missing_file),
    cmocka_unit_test (test_model_set),
    cmocka_unit_test (test_model_set_problems),
    cmocka_unit_test (test_default_dir),
  };

  cmocka_set_message_output (CM_OUTPUT_TAP);
  return cmocka_run_group_tests_name ("cost-model", tests, NULL, NULL);
}
