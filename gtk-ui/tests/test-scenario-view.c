/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Under Xvfb: the real window opens a bundled procedure, switches to the before / after view,
 * which opens the procedure's bundled scenario; the saving it shows must be moa_compare()'s
 * saving for that scenario, the waterfall must have one step per measure, and the undo of a
 * removed measure must bring the figure back. */
#include "moa-config.h"

#include <string.h>

#include <adwaita.h>

#include "moa-application.h"
#include "moa-ui-format.h"
#include "moa-window.h"

#include "ui-test-support.h"

static MoaApplication *app;
static MoaWindow *window;

/* Runs the main loop until the view's scenario has its exact comparison and no run is under
 * way. */
static void
wait_view (MoaScenarioView *view)
{
  MoaScenarioDocument *doc;

  UI_TEST_WAIT_WHILE ((doc = moa_scenario_view_get_document (view)) == NULL
                          || moa_scenario_document_get_computing (doc)
                          || moa_scenario_document_get_comparison (doc) == NULL,
                      60, "the comparison");
  ui_test_drain ();
}

/* The saving the core computes for @scenario_path, formatted as the view formats money. */
static char *
core_saving (const char *scenario_path, double *saving)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (scenario_path, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (MoaProcedure) before = moa_scenario_apply_parents (scenario, &error);
  g_autoptr (MoaProcedure) after = moa_scenario_apply (scenario, G_MAXUINT, -1, &error);
  g_assert_no_error (error);
  const MoaModelSet *models = moa_application_get_models (app, &error);
  g_assert_no_error (error);
  MoaCompareOptions options;
  moa_compare_options_init (&options);
  g_autoptr (MoaComparison) c = moa_compare (
      before, after, scenario, NULL,
      moa_model_set_lookup (models, moa_scenario_get_baseline (scenario)->cost_model), &options,
      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  GArray *entities = moa_comparison_get_entities (c);
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      if (e->kind == MOA_ENTITY_TOTAL)
        {
          *saving = e->saving;
          return moa_ui_format_money (e->saving);
        }
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_before_after (void)
{
  g_autofree char *procedure
      = g_build_filename (g_getenv ("MOA_PROCEDURES_DIR"), "cambio-residenza.xml", NULL);
  g_autofree char *scenario = g_build_filename (g_getenv ("MOA_PROCEDURES_DIR"), "scenarios",
                                                "residenza-anpr-online.xml", NULL);

  ui_test_open_file (window, procedure);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "views.show", "s", "before-after"));
  MoaScenarioView *view = moa_window_get_scenario_view (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  wait_view (view);

  MoaScenarioDocument *doc = moa_scenario_view_get_document (view);
  g_assert_cmpstr (moa_scenario_document_get_file (doc), ==, scenario);
  double saving = 0;
  g_autofree char *expected = core_saving (scenario, &saving);
  g_assert_cmpfloat (saving, >, 0);
  const char *shown = moa_scenario_view_get_saving_text (view);
  g_test_message ("shown: %s; core: %s", shown, expected);
  g_assert_nonnull (strstr (shown, expected));
  guint n = moa_scenario_document_get_n_measures (doc);
  g_assert_cmpuint (moa_waterfall_chart_get_n_steps (moa_scenario_view_get_chart (view)), ==, n);

  /* Remove every measure: no saving; undo them all: the core's figure again. */
  g_autoptr (GError) error = NULL;
  for (guint i = 0; i < n; i++)
    g_assert_true (moa_scenario_document_remove_measure (doc, 0, &error));
  wait_view (view);
  g_autofree char *zero = moa_ui_format_money (0);
  g_assert_nonnull (strstr (moa_scenario_view_get_saving_text (view), zero));
  g_assert_cmpuint (moa_waterfall_chart_get_n_steps (moa_scenario_view_get_chart (view)), ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_true (moa_scenario_document_undo (doc));
  wait_view (view);
  g_assert_nonnull (strstr (moa_scenario_view_get_saving_text (view), expected));
  g_assert_false (moa_scenario_document_get_dirty (doc));

  /* Back to the procedure. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "views.show", "s", "procedure"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));
}

static void
add_tests (void)
{
  g_test_add_func ("/scenario-view/before-after", test_before_after);
}

int
main (int argc, char **argv)
{
  return ui_test_window_main (&argc, &argv, &app, &window, add_tests);
}
