/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real window under a display (Xvfb from meson): open a bundled procedure, select an
 * activity in the outline, type a new time in the inspector and activate the entry, then check
 * that the totals on screen are what the core computes for the edited procedure; a refused
 * value shows the core's message and changes nothing; Undo restores the figures. */
#include "moa-config.h"

#include <adwaita.h>

#include "moa-scenario.h" /* moa_procedure_copy() */

#include "moa-application.h"
#include "moa-library.h"
#include "moa-ui-format.h"
#include "moa-window.h"

#include "ui-test-support.h"

static MoaApplication *app;
static MoaWindow *window;

#define OBLIGATION "richiesta-certificato"
#define GROUP "cittadini"

static void
set_flag (gpointer data)
{
  *(gboolean *)data = TRUE;
}

static const char *
label_text (const char *key, const char *figure)
{
  GtkLabel *label = moa_results_view_get_label (moa_window_get_results_view (window), key, figure);
  if (label == NULL)
    g_error ("no label %s/%s", key, figure);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
  return gtk_label_get_text (label);
}

/* The labels show @expected's figures, formatted as the view formats them. */
static void
assert_labels (const MoaResult *expected)
{
  const MoaTotal *group = moa_result_get_group (expected, GROUP);
  g_assert_nonnull (group);
  g_assert_cmpuint (expected->cases->len, ==, 1);
  const MoaCaseResult *c = &g_array_index (expected->cases, MoaCaseResult, 0);
  g_autofree char *case_key = g_strdup_printf ("%s@%s", c->obligation->id, c->segment->id);

  struct
  {
    const char *key, *figure;
    double value;
    gboolean hours;
  } cells[] = {
    { case_key, "hours-per-case", c->per_case.hours, TRUE },
    { case_key, "euros-per-case", c->per_case.burden, FALSE },
    { GROUP, "hours-per-year", group->recurring.hours, TRUE },
    { GROUP, "euros-per-year", group->recurring.burden, FALSE },
    { "@total", "euros-per-case", expected->total.per_case.burden, FALSE },
    { "@total", "euros-per-year", expected->total.recurring.burden, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autofree char *text = cells[i].hours ? moa_ui_format_hours (cells[i].value)
                                             : moa_ui_format_money (cells[i].value);
      g_assert_cmpstr (label_text (cells[i].key, cells[i].figure), ==, text);
    }
}

static void
test_edit_time (void)
{
  g_autofree char *path
      = g_build_filename (MOA_SOURCE_DIR, "procedures", "certificato-anagrafico.xml", NULL);
  ui_test_open_file (window, path);
  MoaDocument *document = moa_window_get_document (window);
  g_assert_nonnull (document);
  ui_test_wait_for_results (document);
  g_autoptr (MoaProcedure) original = moa_procedure_copy (moa_document_get_procedure (document));
  g_autoptr (MoaResult) expected_before = ui_test_evaluate (document, original);
  assert_labels (expected_before);
  g_assert_cmpuint (moa_burden_chart_get_n_bars (moa_window_get_burden_chart (window)), >, 0);

  /* Select "viaggio" in the outline, as a click would. */
  MoaOutline *outline = moa_window_get_outline (window);
  GtkListBoxRow *row = moa_outline_get_row (outline, OBLIGATION, "viaggio");
  g_assert_nonnull (row);
  gtk_list_box_select_row (moa_outline_get_list_box (outline), row);
  g_assert_cmpstr (moa_selection_get_node_id (moa_window_get_selection (window)), ==, "viaggio");

  MoaInspector *inspector = moa_window_get_inspector (window);
  GtkEditable *entry = moa_inspector_get_entry (inspector, "time");
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "30 min");

  /* A refused value: the core's message under the entry, nothing applied. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "-5 min");
  /* What Enter in the row's text does. */
  g_signal_emit_by_name (gtk_editable_get_delegate (entry), "activate");
  GtkLabel *error_label = moa_inspector_get_error_label (inspector, "time");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_autoptr (GError) core = NULL;
  g_autoptr (MoaValue) none = moa_value_parse ("-5 min", MOA_DIM_TIME, &core);
  g_assert_null (none);
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), core->message));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (moa_document_get_computing (document));
  g_assert_false (moa_document_get_dirty (document));
  g_assert_true (moa_procedure_equal (original, moa_document_get_procedure (document)));
  assert_labels (expected_before);

  /* A valid value: applied, recomputed in the background, shown. */
  gboolean changed = FALSE;
  gulong id
      = g_signal_connect_swapped (document, "results-changed", G_CALLBACK (set_flag), &changed);
  gtk_editable_set_text (GTK_EDITABLE (entry), "10 min");
  /* What Enter in the row's text does. */
  g_signal_emit_by_name (gtk_editable_get_delegate (entry), "activate");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  UI_TEST_WAIT_WHILE (!changed, 30, "results-changed");
  g_signal_handler_disconnect (document, id);
  ui_test_wait_for_results (document);
  g_assert_true (moa_document_get_dirty (document));

  g_autoptr (MoaProcedure) edited = moa_procedure_copy (original);
  MoaNode *viaggio
      = moa_obligation_get_node (moa_procedure_get_obligation (edited, OBLIGATION), "viaggio");
  g_clear_pointer (&viaggio->time.value, moa_value_unref);
  viaggio->time.value = moa_value_parse ("10 min", MOA_DIM_TIME, NULL);
  g_autoptr (MoaResult) expected_after = ui_test_evaluate (document, edited);
  assert_labels (expected_after);
  g_autofree char *before_text = g_strdup (label_text (GROUP, "euros-per-year"));
  g_autofree char *hand = moa_ui_format_money (expected_before->citizens.recurring.burden - 3.5e6);
  /* By hand (test-document.c): 3.50 EUR less per case on 1,000,000 cases. */
  g_assert_cmpstr (label_text (GROUP, "euros-per-year"), ==, hand);

  /* Undo through the window action (Ctrl+Z) restores the figures. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  ui_test_wait_for_results (document);
  assert_labels (expected_before);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "30 min");
  g_assert_false (moa_document_get_dirty (document));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  ui_test_wait_for_results (document);
  assert_labels (expected_after);
  g_assert_cmpstr (before_text, ==, label_text (GROUP, "euros-per-year"));
}

static guint
visible_rows (GtkListBox *list)
{
  guint n = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += GTK_IS_LIST_BOX_ROW (child);
  return n;
}

/* The library sidebar lists every bundled procedure (and the recent files) and filters them
 * as the analyst types. */
static void
test_sidebar (void)
{
  GtkListBox *list = GTK_LIST_BOX (
      gtk_widget_get_template_child (GTK_WIDGET (window), MOA_TYPE_WINDOW, "library_list"));
  GtkEditable *search = GTK_EDITABLE (
      gtk_widget_get_template_child (GTK_WIDGET (window), MOA_TYPE_WINDOW, "search_entry"));
  g_autofree char *dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  g_autoptr (GListModel) library = moa_library_list (dir, moa_application_get_recent (app));

  ui_test_drain ();
  g_assert_cmpuint (visible_rows (list), ==, g_list_model_get_n_items (library));

  guint matching = 0;
  for (guint i = 0; i < g_list_model_get_n_items (library); i++)
    {
      g_autoptr (MoaLibraryItem) item = g_list_model_get_item (library, i);
      matching += moa_library_item_matches (item, "certificato");
    }
  g_assert_cmpuint (matching, >=, 1);
  g_assert_cmpuint (matching, <, g_list_model_get_n_items (library));
  gtk_editable_set_text (search, "certificato");
  /* GtkSearchEntry waits before "search-changed". */
  UI_TEST_WAIT_WHILE (visible_rows (list) != matching, 10, "the search");
  gtk_editable_set_text (search, "");
}

static void
add_tests (void)
{
  g_test_add_func ("/window/edit-time", test_edit_time);
  g_test_add_func ("/window/sidebar", test_sidebar);
}

int
main (int argc, char **argv)
{
  return ui_test_window_main (&argc, &argv, &app, &window, add_tests);
}
