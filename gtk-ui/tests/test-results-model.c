/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests without a display of the results browser's model: a store the test writes itself
 * with the core's batch run, opened in a worker thread, its rows, their sorting as the
 * browser's tables sort them, and the export of the report. */
#include "moa-config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "moa.h"
#include "moa-batch.h"
#include "moa-results-model.h"

#include "ui-test-support.h"

static char *tmp_dir; /* the store's folder */
static char *store_path;

/* A catalog of two bundled procedures with their scenarios and two provinces holding 60 % and
 * 40 % of the catalog's population, run by the core into a new store. */
static void
write_store (void)
{
  const char *procedures = g_getenv ("MOA_PROCEDURES_DIR");
  g_autofree char *text = NULL;

  g_assert_nonnull (procedures);
  text = g_strdup_printf (
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<catalog format=\"1\" id=\"prova\" cost-model=\"it-moa\" price-year=\"2024\" "
      "currency=\"EUR\" population=\"10000000\">\n"
      "  <title lang=\"en\">Test catalog</title>\n"
      "  <source>illustrative: test data</source>\n"
      "  <procedure id=\"certificato-anagrafico\" file=\"%s/certificato-anagrafico.xml\">\n"
      "    <scenario file=\"%s/scenarios/certificato-anpr-self-service.xml\"/>\n"
      "  </procedure>\n"
      "  <procedure id=\"cambio-residenza\" file=\"%s/cambio-residenza.xml\">\n"
      "    <scenario file=\"%s/scenarios/residenza-anpr-online.xml\"/>\n"
      "  </procedure>\n"
      "  <territory id=\"A\" name=\"Alpha\" kind=\"province\" population=\"6000000\" "
      "source=\"illustrative\"/>\n"
      "  <territory id=\"B\" name=\"Beta\" kind=\"province\" population=\"4000000\" "
      "source=\"illustrative\"/>\n"
      "</catalog>\n",
      procedures, procedures, procedures, procedures);
  MoaBatchOptions options;
  MoaBatchStatus status = { 0 };
  moa_batch_options_init (&options);
  options.jobs = 2;
  /* (it aborts when the run fails) */
  store_path = ui_test_write_store ("moa-results-XXXXXX", text, &options, &status);
  tmp_dir = g_path_get_dirname (store_path);
  g_assert_cmpint (status.run_id, >, 0);
  g_assert_true (status.complete);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static MoaResultsRow *
row_at (GListModel *model, guint i)
{
  g_autoptr (GObject) item = g_list_model_get_item (model, i);
  return MOA_RESULTS_ROW (item); /* the model keeps its own reference */
}

static void
test_open_and_sort (void)
{
  g_autoptr (MoaResultsModel) model = moa_results_model_new ();
  g_autoptr (GError) error = NULL;
  GAsyncResult *result = NULL;

  /* Not a store: the core's error, nothing shown. */
  g_autofree char *bogus = g_build_filename (tmp_dir, "bogus.db", NULL);
  g_assert_true (g_file_set_contents (bogus, "not a database, just text", -1, NULL));
  moa_results_model_open_async (model, bogus, NULL, on_done, &result);
  g_assert_false (moa_results_model_open_finish (model, wait_result (&result), &error));
  g_assert_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NOT_STORE);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_null (moa_results_model_get_report (model));
  g_assert_cmpuint (g_list_model_get_n_items (moa_results_model_get_runs (model)), ==, 0);

  moa_results_model_open_async (model, store_path, NULL, on_done, &result);
  g_assert_true (moa_results_model_get_busy (model));
  g_assert_true (moa_results_model_open_finish (model, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (moa_results_model_get_busy (model));

  GListModel *runs = moa_results_model_get_runs (model);
  g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
  g_autoptr (MoaRunItem) run = g_list_model_get_item (runs, 0);
  g_autofree char *status = NULL, *units = NULL;
  g_object_get (run, "status", &status, "units", &units, NULL);
  g_assert_cmpstr (status, ==, "complete");
  g_assert_cmpstr (units, ==, "2 / 2");
  g_assert_cmpint (moa_results_model_get_run_id (model), ==, moa_run_item_get_id (run));

  const MoaReport *report = moa_results_model_get_report (model);
  g_assert_nonnull (report);
  GListModel *procedures = moa_results_model_get_procedures (model);
  g_assert_cmpuint (g_list_model_get_n_items (procedures), ==, 2);
  double sum_before = 0;
  for (guint i = 0; i < 2; i++)
    sum_before += moa_results_row_get_totals (row_at (procedures, i))->burden.before;
  g_assert_cmpfloat_with_epsilon (sum_before / report->totals.burden.before, 1.0, 1e-12);

  /* Territories scaled by population: 60 % and 40 % of the programme (by hand from the
   * catalog: 6 000 000 and 4 000 000 of 10 000 000 residents). */
  GListModel *territories = moa_results_model_get_territories (model);
  g_assert_cmpuint (g_list_model_get_n_items (territories), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      MoaResultsRow *row = row_at (territories, i);
      double share = strcmp (moa_results_row_get_key (row), "A") == 0 ? 0.6 : 0.4;
      g_assert_cmpfloat_with_epsilon (moa_results_row_get_totals (row)->burden.before
                                          / report->totals.burden.before,
                                      share, 1e-9);
    }

  /* Sorted as the browser's columns sort: by the "before" property, both ways, and by
   * title. */
  GtkSorter *by_before = GTK_SORTER (
      gtk_numeric_sorter_new (gtk_property_expression_new (MOA_TYPE_RESULTS_ROW, NULL, "before")));
  g_autoptr (GtkSortListModel) sorted
      = gtk_sort_list_model_new (g_object_ref (territories), by_before);
  g_assert_cmpstr (moa_results_row_get_key (row_at (G_LIST_MODEL (sorted), 0)), ==, "B");
  gtk_numeric_sorter_set_sort_order (GTK_NUMERIC_SORTER (by_before), GTK_SORT_DESCENDING);
  g_assert_cmpstr (moa_results_row_get_key (row_at (G_LIST_MODEL (sorted), 0)), ==, "A");

  GtkSorter *by_key = GTK_SORTER (
      gtk_string_sorter_new (gtk_property_expression_new (MOA_TYPE_RESULTS_ROW, NULL, "key")));
  g_autoptr (GtkSortListModel) by_id = gtk_sort_list_model_new (g_object_ref (procedures), by_key);
  g_assert_cmpstr (moa_results_row_get_key (row_at (G_LIST_MODEL (by_id), 0)), ==,
                   "cambio-residenza");
  g_assert_cmpstr (moa_results_row_get_key (row_at (G_LIST_MODEL (by_id), 1)), ==,
                   "certificato-anagrafico");

  /* Export through the core, in a worker thread. */
  g_autofree char *csv = g_build_filename (tmp_dir, "report.csv", NULL);
  moa_results_model_export_async (model, MOA_REPORT_CSV, "en", csv, NULL, on_done, &result);
  g_assert_true (moa_results_model_export_finish (model, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "cambio-residenza"));
  g_unlink (csv);

  /* Reading the run again by id. */
  moa_results_model_load_run_async (model, moa_run_item_get_id (run), NULL, on_done, &result);
  g_assert_true (moa_results_model_load_run_finish (model, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (procedures), ==, 2);
  g_unlink (bogus);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  write_store ();
  g_test_add_func ("/results-model/open-and-sort", test_open_and_sort);
  int status = g_test_run ();
  ui_test_remove_store (store_path);
  g_free (tmp_dir);
  g_free (store_path);
  return status;
}
