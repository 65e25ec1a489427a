/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output formats: display rounding and grouping of numbers, and the table's summary of
 * several procedures. Expected figures are worked by hand in the data files' comments and in
 * the README's tour (insegna.xml: 148.125 EUR per case, 29,625 EUR a year). */

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "moa.h"

static void
assert_number (double x, int decimals, gboolean localized, const char *expected)
{
  g_autofree char *s = moa_format_number (x, decimals, localized);
  if (strcmp (s, expected) != 0)
    fail_msg ("moa_format_number (%.17g, %d) = \"%s\", expected \"%s\"", x, decimals, s, expected);
}

static void
test_number (void **state)
{
  assert_number (148.125, 2, FALSE, "148.13"); /* half away from zero, not to even */
  assert_number (-148.125, 2, FALSE, "-148.13");
  assert_number (0.125, 2, FALSE, "0.13");
  assert_number (1234567.891, 2, FALSE, "1,234,567.89");
  assert_number (999.999, 2, FALSE, "1,000.00");
  assert_number (-0.001, 2, FALSE, "0.00");
  assert_number (13400000, 0, FALSE, "13,400,000");
  assert_number (1.4285714285714286, 3, FALSE, "1.429");
}

static void
test_number_italian (void **state)
{
  if (setlocale (LC_NUMERIC, "it_IT.UTF-8") == NULL)
    skip ();
  assert_number (1234567.891, 2, TRUE, "1.234.567,89");
  assert_number (29625, 2, TRUE, "29.625,00");
  /* CSV and JSON never follow the locale */
  assert_number (1234567.891, 2, FALSE, "1,234,567.89");
  setlocale (LC_NUMERIC, "C");
}

static MoaResult *
evaluate (MoaModelSet *models, const char *name)
{
  g_autofree char *path = g_build_filename (MOA_TESTS_SRCDIR, "test-format", name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) p = moa_procedure_load_file (path, NULL, &error);
  assert_null (error);
  MoaResult *r = moa_evaluate (p, moa_model_set_lookup (models, p->cost_model), NULL, &error);
  assert_null (error);
  return r;
}

static void
test_summary (void **state)
{
  g_autoptr (MoaModelSet) models = moa_model_set_new ();
  g_autofree char *dir = moa_default_models_dir ();
  assert_true (moa_model_set_load_dir (models, dir, NULL, NULL));

  MoaResult *results[2]
      = { evaluate (models, "insegna.xml"), evaluate (models, "certificato.xml") };
  assert_true (fabs (results[0]->total.recurring.burden - 29625.0) < 1e-6);
  assert_true (fabs (results[1]->citizens.recurring.burden - 15000.0) < 1e-9);

  MoaFormatOptions options = { .lang = "en", .localized_numbers = FALSE };
  g_autoptr (GString) out = g_string_new (NULL);
  moa_format_results (out, results, 2, MOA_FORMAT_TABLE, &options);
  const char *summary = strstr (out->str, "Summary: burden per year of each procedure");
  assert_non_null (summary);

  /* the total line adds both procedures: hours 1,000; citizens 15,000; businesses 29,625;
   * burden 44,625 */
  g_auto (GStrv) lines = g_strsplit (summary, "\n", -1);
  gboolean found = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "  Total "))
      {
        g_auto (GStrv) cells = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
        g_autoptr (GPtrArray) words = g_ptr_array_new ();
        for (guint k = 0; cells[k] != NULL; k++)
          if (*cells[k] != '\0')
            g_ptr_array_add (words, cells[k]);
        assert_int_equal (words->len, 6);
        assert_string_equal (g_ptr_array_index (words, 1), "1,000.00");
        assert_string_equal (g_ptr_array_index (words, 2), "15,000.00");
        assert_string_equal (g_ptr_array_index (words, 3), "29,625.00");
        assert_string_equal (g_ptr_array_index (words, 4), "44,625.00");
        assert_string_equal (g_ptr_array_index (words, 5), "0.00");
        found = TRUE;
      }
  assert_true (found);
  assert_non_null (strstr (summary, "Amounts in EUR, 2024 prices."));

  /* one procedure alone: no summary */
  g_string_truncate (out, 0);
  moa_format_results (out, results, 1, MOA_FORMAT_TABLE, &options);
  assert_null (strstr (out->str, "Summary"));
  assert_non_null (strstr (out->str, "148.13")); /* 148.125 per case, rounded for display */

  moa_result_unref (results[0]);
  moa_result_unref (results[1]);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_number),
    cmocka_unit_test (test_number_italian),
    cmocka_unit_test (test_summary),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
