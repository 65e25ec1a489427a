/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a PNG of the main window with a bundled procedure open and an activity selected, in
 * the language of the environment (LANGUAGE, LC_ALL): moa-screenshot DIR LANG writes
 * DIR/main-window-LANG.png, workflow-LANG.png, before-after-LANG.png and
 * results-browser-LANG.png. Prints TAP, so that meson runs it as a test under Xvfb. */
#include "moa-config.h"

#include <locale.h>
#include <stdio.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "moa-application.h"
#include "moa-window.h"
#include "moa-batch.h"

#include "ui-test-support.h"

/* Renders @widget as its window renderer draws it and saves it to @path. */
static gboolean
save_png (GtkWidget *widget, const char *path)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GdkTexture) texture
      = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

/* Saves @widget to DIR/NAME-LANG.png and prints TAP line @n. */
static gboolean
shoot (GtkWidget *widget, const char *dir, const char *name, const char *lang, int n)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, lang);
  g_autofree char *out = g_build_filename (dir, file, NULL);
  gboolean ok = save_png (widget, out);

  printf ("%s %d - %s (%dx%d)\n", ok ? "ok" : "not ok", n, out, gtk_widget_get_width (widget),
          gtk_widget_get_height (widget));
  return ok;
}

/* A result store in a new temporary folder: the core's batch run of a catalog of two bundled
 * procedures and their scenarios, with two illustrative provinces. Returns its path. */
static char *
write_store (void)
{
  g_autofree char *procedures = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  g_autofree char *text = g_strdup_printf (
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<catalog format=\"1\" id=\"lombardia-esempio\" cost-model=\"it-moa\" "
      "price-year=\"2024\" currency=\"EUR\" population=\"10000000\">\n"
      "  <title lang=\"it\">Catalogo di esempio</title>\n"
      "  <title lang=\"en\">Example catalog</title>\n"
      "  <source>illustrative</source>\n"
      "  <procedure id=\"certificato-anagrafico\" file=\"%s/certificato-anagrafico.xml\">\n"
      "    <scenario file=\"%s/scenarios/certificato-anpr-self-service.xml\"/>\n"
      "  </procedure>\n"
      "  <procedure id=\"cambio-residenza\" file=\"%s/cambio-residenza.xml\">\n"
      "    <scenario file=\"%s/scenarios/residenza-anpr-online.xml\"/>\n"
      "  </procedure>\n"
      "  <territory id=\"015\" name=\"Milano\" kind=\"province\" population=\"3214000\" "
      "source=\"illustrative\"/>\n"
      "  <territory id=\"016\" name=\"Bergamo\" kind=\"province\" population=\"1100000\" "
      "source=\"illustrative\"/>\n"
      "</catalog>\n",
      procedures, procedures, procedures, procedures);
  MoaBatchOptions options;
  moa_batch_options_init (&options);
  options.iterations = 200;
  return ui_test_write_store ("moa-shot-XXXXXX", text, &options, NULL);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, MOA_BUILD_DIR "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s DIR LANG\n", argv[0]);
      return 2;
    }
  if (!ui_test_init_display ())
    return 0;
  printf ("1..4\n");

  g_autoptr (MoaApplication) app
      = ui_test_new_application (G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  MoaWindow *window = moa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  g_autofree char *path
      = g_build_filename (MOA_SOURCE_DIR, "procedures", "certificato-anagrafico.xml", NULL);
  ui_test_open_file (window, path);
  MoaDocument *document = moa_window_get_document (window);
  UI_TEST_WAIT_WHILE (moa_document_get_computing (document), 30, "the window");
  moa_selection_select (moa_window_get_selection (window), "richiesta-certificato", "viaggio");
  ui_test_settle (800);
  /* The background Monte Carlo run: its intervals and tornado chart in the shot. */
  MoaUncertaintyView *uncertainty_view = moa_window_get_uncertainty_view (window);
  UI_TEST_WAIT_WHILE (
      gtk_spinner_get_spinning (moa_uncertainty_view_get_spinner (uncertainty_view)), 60,
      "the intervals");
  ui_test_settle (300);

  g_mkdir_with_parents (argv[1], 0755);
  g_autofree char *name = g_strdup_printf ("main-window-%s.png", argv[2]);
  g_autofree char *out = g_build_filename (argv[1], name, NULL);
  gboolean ok = save_png (GTK_WIDGET (window), out);
  printf ("%s 1 - %s (%dx%d)\n", ok ? "ok" : "not ok", out,
          gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));

  /* "workflow": the workflow diagram of the selected obligation, fitted to its pane. */
  GtkWidget *workflow = GTK_WIDGET (moa_window_get_workflow_view (window));
  moa_workflow_view_zoom_to_fit (MOA_WORKFLOW_VIEW (workflow));
  ui_test_settle (300);
  g_autofree char *workflow_name = g_strdup_printf ("workflow-%s.png", argv[2]);
  g_autofree char *workflow_out = g_build_filename (argv[1], workflow_name, NULL);
  gboolean workflow_ok = moa_workflow_view_get_graph (MOA_WORKFLOW_VIEW (workflow)) != NULL
                         && save_png (workflow, workflow_out);
  printf ("%s 2 - %s (%dx%d)\n", workflow_ok ? "ok" : "not ok", workflow_out,
          gtk_widget_get_width (workflow), gtk_widget_get_height (workflow));
  ok = ok && workflow_ok;

  /* "before-after": the procedure's bundled scenario, its figures, waterfall and interval. */
  moa_window_show_view (window, "before-after");
  MoaScenarioView *scenario_view = moa_window_get_scenario_view (window);
  UI_TEST_WAIT_WHILE (
      moa_scenario_view_get_document (scenario_view) == NULL
          || moa_scenario_document_get_computing (moa_scenario_view_get_document (scenario_view)),
      60, "the comparison");
  ui_test_settle (400);
  gboolean before_after_ok = shoot (GTK_WIDGET (window), argv[1], "before-after", argv[2], 3);

  /* "results-browser": a store written here by the core's batch run of two bundled
   * procedures with their scenarios. */
  g_autofree char *store = write_store ();
  moa_window_show_view (window, "results");
  MoaResultsBrowser *browser = moa_window_get_results_browser (window);
  moa_results_browser_open (browser, store);
  UI_TEST_WAIT_WHILE (moa_results_model_get_report (moa_results_browser_get_model (browser))
                          == NULL,
                      60, "the results browser");
  ui_test_settle (400);
  gboolean browser_ok = shoot (GTK_WIDGET (window), argv[1], "results-browser", argv[2], 4);
  ok = ok && before_after_ok && browser_ok;
  ui_test_remove_store (store);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_drain ();
  return ok ? 0 : 1;
}
