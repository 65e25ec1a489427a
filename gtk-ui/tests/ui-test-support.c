/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the app's test programs (see ui-test-support.h). */
#include "moa-config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "moa.h"

#include "ui-test-support.h"

gboolean
ui_test_init_display (void)
{
  if (gtk_init_check ())
    return TRUE;
  /* TAP: the whole plan skipped, with the reason. */
  printf ("1..0 # SKIP no display: run under xvfb-run (apt-get install xvfb xauth)\n");
  return FALSE;
}

MoaApplication *
ui_test_new_application (GApplicationFlags flags)
{
  MoaApplication *app = moa_application_new ();
  g_autoptr (GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), flags);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  return app;
}

MoaWindow *
ui_test_new_window (MoaApplication *app)
{
  g_return_val_if_fail (MOA_IS_APPLICATION (app), NULL);
  MoaWindow *window = moa_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
ui_test_close_window (MoaWindow *window)
{
  g_return_if_fail (MOA_IS_WINDOW (window));
  MoaDocument *document = moa_window_get_document (window);
  if (document != NULL)
    moa_undo_stack_mark_clean (moa_document_get_undo_stack (document));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_drain ();
}

int
ui_test_window_main (int *argc, char ***argv, MoaApplication **app, MoaWindow **window,
                     void (*add_tests) (void))
{
  g_return_val_if_fail (app != NULL && window != NULL && add_tests != NULL, 1);
  g_test_init (argc, argv, NULL);
  if (!ui_test_init_display ())
    return 0;

  *app = ui_test_new_application (G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  *window = ui_test_new_window (*app);
  add_tests ();
  int status = g_test_run ();

  /* The document is not saved: close without asking. */
  ui_test_close_window (*window);
  g_clear_object (app);
  return status;
}

void
ui_test_open_file (MoaWindow *window, const char *path)
{
  g_return_if_fail (MOA_IS_WINDOW (window));
  g_return_if_fail (path != NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_assert_true (moa_window_open_file (window, file));
}

void
ui_test_drain (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

void
ui_test_settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      ui_test_drain ();
      g_usleep (10000);
    }
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for %s", (const char *)data);
  return G_SOURCE_REMOVE;
}

guint
ui_test_watchdog (guint seconds, const char *what)
{
  g_return_val_if_fail (what != NULL, 0);
  return g_timeout_add_seconds (seconds, timeout_cb, (gpointer)what);
}

void
ui_test_wait_for_results (MoaDocument *document)
{
  g_return_if_fail (MOA_IS_DOCUMENT (document));
  UI_TEST_WAIT_WHILE (moa_document_get_computing (document)
                          || moa_document_get_result (document) == NULL,
                      30, "the results");
  ui_test_drain ();
}

MoaResult *
ui_test_evaluate (MoaDocument *document, MoaProcedure *procedure)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (procedure != NULL, NULL);
  g_autoptr (GError) error = NULL;
  MoaResult *result = moa_evaluate (procedure, moa_document_get_model (document), NULL, &error);
  g_assert_no_error (error);
  return result;
}

char *
ui_test_write_store (const char *tmpl, const char *catalog_xml, const MoaBatchOptions *options,
                     MoaBatchStatus *status)
{
  g_return_val_if_fail (tmpl != NULL && catalog_xml != NULL && options != NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (tmpl, &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  g_autofree char *catalog_path = g_build_filename (dir, "catalog.xml", NULL);
  if (!g_file_set_contents (catalog_path, catalog_xml, -1, &error))
    g_error ("%s", error->message);

  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (MoaCatalog) catalog = moa_catalog_load_file (catalog_path, problems, &error);
  if (catalog == NULL)
    {
      for (guint i = 0; i < problems->len; i++)
        g_printerr ("%s\n", ((MoaProblem *)problems->pdata[i])->message);
      g_error ("%s", error->message);
    }
  g_autofree char *models_dir = moa_default_models_dir ();
  g_autoptr (MoaModelSet) models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    g_error ("%s", error->message);

  char *path = g_build_filename (dir, "results.db", NULL);
  g_autoptr (MoaStore) store = moa_store_open (path, TRUE, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  if (moa_batch_run (catalog, store, models, options, NULL, NULL, NULL, status, NULL, &error) == 0)
    g_error ("%s", error->message);
  return path;
}

void
ui_test_remove_store (const char *path)
{
  g_return_if_fail (path != NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}
