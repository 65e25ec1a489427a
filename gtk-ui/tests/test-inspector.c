/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inspector in the real window under a display (Xvfb from meson): open a bundled
 * procedure, change an activity's performer through its drop-down and a segment's population
 * through its entry, and check that the totals shown are moa_evaluate()'s for the edited
 * procedure, that their intervals are moa_simulate()'s, that a refused population shows the
 * core's message and changes nothing, and that Undo restores the figures and the widgets. */
#include "moa-config.h"

#include <string.h>

#include <adwaita.h>

#include "moa-scenario.h" /* moa_procedure_copy() */

#include "moa-application.h"
#include "moa-ui-format.h"
#include "moa-window.h"

#include "ui-test-support.h"

static MoaApplication *app;
static MoaWindow *window;

#define PROCEDURE "scia-esercizio-vicinato.xml"
#define OBLIGATION "scia-apertura"
#define ACTIVITY "compilazione-scia"
#define SEGMENT "piccola"
/* The window's background run (moa-window.c): 2,000 iterations, seed 1. */
#define WINDOW_ITERATIONS 2000

static GtkLabel *
label (const char *key, const char *figure)
{
  return moa_results_view_get_label (moa_window_get_results_view (window), key, figure);
}

static void
assert_label (const char *key, const char *figure, const char *expected)
{
  GtkLabel *l = label (key, figure);
  if (l == NULL)
    g_error ("no label %s/%s", key, figure);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (l)));
  g_assert_cmpstr (gtk_label_get_text (l), ==, expected);
}

/* Every figure of the grid shows @expected's, formatted as the view formats them. */
static void
assert_labels (const MoaResult *expected)
{
  for (guint i = 0; i < expected->groups->len; i++)
    {
      const MoaTotal *group = &g_array_index (expected->groups, MoaTotal, i);
      g_autofree char *euros = moa_ui_format_money (group->recurring.burden);
      g_assert_cmpfloat (group->one_off.burden, ==, 0); /* no one-off line in this procedure */
      assert_label (group->id, "euros-per-year", euros);
      if (group->kind != MOA_TARGET_BUSINESS)
        {
          g_autofree char *hours = moa_ui_format_hours (group->recurring.hours);
          assert_label (group->id, "hours-per-year", hours);
        }
    }
  for (guint i = 0; i < expected->cases->len; i++)
    {
      const MoaCaseResult *c = &g_array_index (expected->cases, MoaCaseResult, i);
      g_autofree char *key = g_strdup_printf ("%s@%s", c->obligation->id, c->segment->id);
      g_autofree char *euros = moa_ui_format_money (c->per_case.burden);
      assert_label (key, "euros-per-case", euros);
    }
  g_autofree char *total = moa_ui_format_money (expected->total.recurring.burden);
  assert_label ("@total", "euros-per-year", total);
  g_autofree char *per_case = moa_ui_format_money (expected->total.per_case.burden);
  assert_label ("@total", "euros-per-case", per_case);
}

/* What Enter in an entry row's text does. */
static void
activate (GtkEditable *entry)
{
  g_signal_emit_by_name (gtk_editable_get_delegate (entry), "activate");
}

/* Selects the activity in the outline, as a click would (the obligation first: clicking the
 * row already selected changes nothing). */
static void
select_activity (void)
{
  MoaOutline *outline = moa_window_get_outline (window);
  gtk_list_box_select_row (moa_outline_get_list_box (outline),
                           moa_outline_get_row (outline, OBLIGATION, NULL));
  GtkListBoxRow *row = moa_outline_get_row (outline, OBLIGATION, ACTIVITY);
  g_assert_nonnull (row);
  gtk_list_box_select_row (moa_outline_get_list_box (outline), row);
  g_assert_cmpstr (moa_selection_get_node_id (moa_window_get_selection (window)), ==, ACTIVITY);
  ui_test_drain ();
}

/* The intervals beside the figures per year, once the window's background run has finished,
 * are moa_simulate()'s for @procedure with the window's seed and iterations. */
static void
assert_intervals (MoaDocument *document, MoaProcedure *procedure)
{
  GtkLabel *total = label ("@total", "euros-per-year-interval");
  g_assert_nonnull (total);
  UI_TEST_WAIT_WHILE (!gtk_widget_get_visible (GTK_WIDGET (total)), 60, "the intervals");
  ui_test_drain ();

  g_autoptr (GError) error = NULL;
  MoaPlan *plan = moa_plan_new (procedure, moa_document_get_model (document), NULL, &error);
  g_assert_no_error (error);
  MoaSimulationOptions options;
  moa_simulation_options_init (&options);
  options.seed = 1;
  options.iterations = WINDOW_ITERATIONS;
  MoaSimulation *simulation = moa_simulate (plan, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  guint checked = 0;
  for (guint i = 0; i < moa_plan_get_n_entities (plan); i++)
    {
      const MoaEntity *entity = moa_plan_get_entity (plan, i);
      if (entity->kind != MOA_ENTITY_TOTAL && entity->kind != MOA_ENTITY_GROUP)
        continue;
      const MoaStat *stat = moa_simulation_get_stat (simulation, i, MOA_QUANTITY_BURDEN);
      g_autofree char *p5 = moa_ui_format_money (stat->p5);
      g_autofree char *p95 = moa_ui_format_money (stat->p95);
      g_autofree char *text = g_strdup_printf ("%s – %s", p5, p95);
      assert_label (entity->kind == MOA_ENTITY_TOTAL ? "@total" : entity->id,
                    "euros-per-year-interval", text);
      checked++;
    }
  /* imprese-commercio, suap and the total. */
  g_assert_cmpuint (checked, ==, 3);
  moa_simulation_free (simulation);
  moa_plan_free (plan);
}

static void
test_performer_and_population (void)
{
  g_autofree char *path = g_build_filename (MOA_SOURCE_DIR, "procedures", PROCEDURE, NULL);
  ui_test_open_file (window, path);
  MoaDocument *document = moa_window_get_document (window);
  g_assert_nonnull (document);
  ui_test_wait_for_results (document);
  g_autoptr (MoaProcedure) original = moa_procedure_copy (moa_document_get_procedure (document));
  g_autoptr (MoaResult) expected_original = ui_test_evaluate (document, original);
  assert_labels (expected_original);
  MoaInspector *inspector = moa_window_get_inspector (window);

  /* 1. The performer: from the addressee to the SUAP, chosen in the drop-down. */
  select_activity ();
  AdwComboRow *performer = moa_inspector_get_combo (inspector, "performer");
  g_assert_nonnull (performer);
  g_assert_cmpint (moa_inspector_find_choice (inspector, "performer", NULL), ==,
                   (int)adw_combo_row_get_selected (performer));
  int suap = moa_inspector_find_choice (inspector, "performer", "suap");
  g_assert_cmpint (suap, >=, 0);
  adw_combo_row_set_selected (performer, (guint)suap);
  g_assert_false (
      gtk_widget_get_visible (GTK_WIDGET (moa_inspector_get_error_label (inspector, "performer"))));
  ui_test_wait_for_results (document);
  g_assert_true (moa_document_get_dirty (document));

  g_autoptr (MoaProcedure) by_suap = moa_procedure_copy (original);
  MoaNode *node
      = moa_obligation_get_node (moa_procedure_get_obligation (by_suap, OBLIGATION), ACTIVITY);
  g_assert_null (node->performer);
  node->performer = g_strdup ("suap");
  g_assert_true (moa_procedure_equal (by_suap, moa_document_get_procedure (document)));
  g_autoptr (MoaResult) expected_suap = ui_test_evaluate (document, by_suap);
  assert_labels (expected_suap);
  /* The SUAP's own time is its group's, not the firms': the firms bear less. */
  g_assert_cmpfloat (
      moa_result_get_group (expected_suap, "imprese-commercio")->recurring.burden, <,
      moa_result_get_group (expected_original, "imprese-commercio")->recurring.burden);

  /* 2. The population of the segment "piccola", in the procedure section. */
  moa_inspector_show_procedure (inspector);
  ui_test_drain ();
  GtkEditable *population = moa_inspector_get_entry (inspector, "population:" SEGMENT);
  g_assert_nonnull (population);
  g_assert_cmpstr (gtk_editable_get_text (population), ==, "10000");

  /* A refused value: the core's message under the row, nothing applied. */
  gtk_editable_set_text (population, "-5");
  activate (population);
  GtkLabel *error_label = moa_inspector_get_error_label (inspector, "population:" SEGMENT);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_autoptr (GError) core = NULL;
  g_autoptr (MoaValue) none = moa_value_parse ("-5", MOA_DIM_COUNT, &core);
  g_assert_null (none);
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), core->message));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "segment \"" SEGMENT "\""));
  g_assert_false (moa_document_get_computing (document));
  g_assert_true (moa_procedure_equal (by_suap, moa_document_get_procedure (document)));
  assert_labels (expected_suap);

  gtk_editable_set_text (population, "20000");
  activate (population);
  ui_test_wait_for_results (document);
  g_autoptr (MoaProcedure) both = moa_procedure_copy (by_suap);
  MoaSegment *segment = moa_procedure_get_segment (both, SEGMENT);
  moa_value_unref (segment->population);
  segment->population = moa_value_parse ("20000", MOA_DIM_COUNT, NULL);
  g_assert_true (moa_procedure_equal (both, moa_document_get_procedure (document)));
  g_autoptr (MoaResult) expected_both = ui_test_evaluate (document, both);
  assert_labels (expected_both);
  /* The 8,000 cases are shared by population: 10,000 of 100,000 before, 20,000 of 110,000
   * after, so the small firms' cases go from 800 to 8000 x 2/11 = 1454.5... */
  const MoaCaseResult *small = NULL;
  for (guint i = 0; i < expected_both->cases->len; i++)
    if (g_str_equal (g_array_index (expected_both->cases, MoaCaseResult, i).segment->id, SEGMENT))
      small = &g_array_index (expected_both->cases, MoaCaseResult, i);
  g_assert_nonnull (small);
  g_assert_cmpfloat_with_epsilon (small->cases, 8000.0 * 2 / 11, 1e-6);
  /* The entry shows the value, the share beside it was rebuilt. */
  population = moa_inspector_get_entry (inspector, "population:" SEGMENT);
  g_assert_cmpstr (gtk_editable_get_text (population), ==, "20000");

  /* The intervals beside the totals are the core's simulation of the edited procedure. */
  assert_intervals (document, both);

  /* 3. Undo (Ctrl+Z): the population, then the performer; the widgets follow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  ui_test_wait_for_results (document);
  assert_labels (expected_suap);
  population = moa_inspector_get_entry (inspector, "population:" SEGMENT);
  g_assert_cmpstr (gtk_editable_get_text (population), ==, "10000");
  /* The intervals of the figures before the undo are gone at once. */
  g_assert_false (
      gtk_widget_get_visible (GTK_WIDGET (label ("@total", "euros-per-year-interval"))));

  select_activity ();
  performer = moa_inspector_get_combo (inspector, "performer");
  g_assert_cmpint ((int)adw_combo_row_get_selected (performer), ==, suap);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  ui_test_wait_for_results (document);
  assert_labels (expected_original);
  performer = moa_inspector_get_combo (inspector, "performer");
  g_assert_cmpint ((int)adw_combo_row_get_selected (performer), ==,
                   moa_inspector_find_choice (inspector, "performer", NULL));
  g_assert_true (moa_procedure_equal (original, moa_document_get_procedure (document)));
  g_assert_false (moa_document_get_dirty (document));

  /* Redo puts the performer back, in the figures and in the drop-down. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  ui_test_wait_for_results (document);
  assert_labels (expected_suap);
  performer = moa_inspector_get_combo (inspector, "performer");
  g_assert_cmpint ((int)adw_combo_row_get_selected (performer), ==, suap);
}

/* Selecting an obligation's row in the outline shows its counts; switching from cases to
 * frequency and typing one replaces the cases, in one edit that Undo takes back. */
static void
test_obligation (void)
{
  MoaDocument *document = moa_window_get_document (window);
  g_assert_nonnull (document);
  ui_test_wait_for_results (document);
  g_autoptr (MoaProcedure) before = moa_procedure_copy (moa_document_get_procedure (document));
  MoaOutline *outline = moa_window_get_outline (window);
  GtkListBoxRow *row = moa_outline_get_row (outline, OBLIGATION, NULL);
  g_assert_nonnull (row);
  gtk_list_box_select_row (moa_outline_get_list_box (outline), row);
  g_assert_cmpstr (moa_selection_get_obligation_id (moa_window_get_selection (window)), ==,
                   OBLIGATION);
  g_assert_null (moa_selection_get_node_id (moa_window_get_selection (window)));
  ui_test_drain ();

  MoaInspector *inspector = moa_window_get_inspector (window);
  AdwComboRow *count = moa_inspector_get_combo (inspector, "count");
  g_assert_nonnull (count);
  g_assert_cmpint ((int)adw_combo_row_get_selected (count), ==,
                   moa_inspector_find_choice (inspector, "count", "cases"));
  GtkEditable *cases = moa_inspector_get_entry (inspector, "cases");
  GtkEditable *frequency = moa_inspector_get_entry (inspector, "frequency");
  g_assert_cmpstr (gtk_editable_get_text (cases), ==, "8000");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cases)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (frequency)));

  /* Switching alone changes nothing in the procedure. */
  adw_combo_row_set_selected (count,
                              (guint)moa_inspector_find_choice (inspector, "count", "frequency"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (frequency)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cases)));
  g_assert_true (moa_procedure_equal (before, moa_document_get_procedure (document)));
  gtk_editable_set_text (frequency, "0.1");
  activate (frequency);
  ui_test_wait_for_results (document);
  MoaObligation *obligation
      = moa_procedure_get_obligation (moa_document_get_procedure (document), OBLIGATION);
  g_assert_null (obligation->cases.value);
  g_assert_cmpfloat (obligation->frequency.value->mean, ==, 0.1);
  g_autoptr (MoaProcedure) edited = moa_procedure_copy (moa_document_get_procedure (document));
  g_autoptr (MoaResult) expected = ui_test_evaluate (document, edited);
  assert_labels (expected);
  /* By hand: 0.1 x (90,000 + 10,000) = 10,000 cases a year in all (8,000 before). */
  g_assert_cmpfloat_with_epsilon (moa_result_get_obligation (expected, OBLIGATION)->cases, 10000,
                                  1e-6);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  ui_test_wait_for_results (document);
  g_assert_true (moa_procedure_equal (before, moa_document_get_procedure (document)));
  cases = moa_inspector_get_entry (inspector, "cases");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cases)));
  g_assert_cmpstr (gtk_editable_get_text (cases), ==, "8000");
}

static void
add_tests (void)
{
  g_test_add_func ("/inspector/performer-and-population", test_performer_and_population);
  g_test_add_func ("/inspector/obligation", test_obligation);
}

int
main (int argc, char **argv)
{
  return ui_test_window_main (&argc, &argv, &app, &window, add_tests);
}
