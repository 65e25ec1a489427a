/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests without a display of the background uncertainty run (MoaUncertainty): an edit made
 * while a run goes cancels it and only the last edit's run completes; edits made within the
 * debounce delay start a single run; the intervals kept are moa_simulate()'s for the edited
 * procedure with the same seed and iterations. */
#include "moa-config.h"

#include <locale.h>

#include "moa-scenario.h" /* moa_procedure_copy() */

#include "moa-document.h"
#include "moa-uncertainty.h"

#define PROCEDURE "scia-esercizio-vicinato.xml"
#define OBLIGATION "scia-apertura"
#define ITERATIONS 20000

/* What the signals of a MoaUncertainty said, in order. */
typedef struct
{
  guint started;
  guint completed;
  guint cancelled;
  GString *order; /* 's' started, 'c' completed, 'x' cancelled */
} Runs;

static void
run_started (MoaUncertainty *u, Runs *runs)
{
  runs->started++;
  g_string_append_c (runs->order, 's');
}

static void
run_ended (MoaUncertainty *u, gboolean completed, Runs *runs)
{
  if (completed)
    runs->completed++;
  else
    runs->cancelled++;
  g_string_append_c (runs->order, completed ? 'c' : 'x');
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for %s", (const char *)data);
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until *@counter reaches @n. */
static void
wait_for (guint *counter, guint n, const char *what)
{
  guint timeout = g_timeout_add_seconds (60, timeout_cb, (gpointer)what);
  while (*counter < n)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static MoaDocument *
open_document (void)
{
  g_autofree char *dir = moa_default_models_dir ();
  g_autoptr (MoaModelSet) models = moa_model_set_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (moa_model_set_load_dir (models, dir, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (MOA_SOURCE_DIR, "procedures", PROCEDURE, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  MoaDocument *document = moa_document_new_for_file (file, models, &error);
  g_assert_no_error (error);
  return document;
}

/* The two edits, through the undo stack as the inspector makes them. */
static void
edit (MoaDocument *document, int which)
{
  MoaProcedure *procedure = moa_document_get_procedure (document);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaEdit) e
      = which == 1
            ? moa_edit_new_activity_param (procedure, OBLIGATION, "consegna-documenti",
                                           MOA_EDIT_TIME, "triangular(20, 40, 80) min", &error)
            : moa_edit_new_count (procedure, MOA_EDIT_POPULATION, "piccola", "20000", &error);
  g_assert_no_error (error);
  g_assert_true (moa_undo_stack_execute (moa_document_get_undo_stack (document), e, &error));
  g_assert_no_error (error);
}

/* The same edits made by hand on a copy of the procedure as it was opened. */
static void
edit_by_hand (MoaProcedure *procedure, int which)
{
  g_autoptr (GError) error = NULL;
  if (which == 1)
    {
      MoaNode *node = moa_obligation_get_node (moa_procedure_get_obligation (procedure, OBLIGATION),
                                               "consegna-documenti");
      g_clear_pointer (&node->time.value, moa_value_unref);
      node->time.value = moa_value_parse ("triangular(20, 40, 80) min", MOA_DIM_TIME, &error);
    }
  else
    {
      MoaSegment *segment = moa_procedure_get_segment (procedure, "piccola");
      g_clear_pointer (&segment->population, moa_value_unref);
      segment->population = moa_value_parse ("20000", MOA_DIM_COUNT, &error);
    }
  g_assert_no_error (error);
}

/* moa_simulate() of @procedure with seed 1 and ITERATIONS iterations, as the app is documented
 * to run it. */
static MoaSimulation *
simulate (MoaProcedure *procedure, MoaCostModel *model, MoaPlan **plan)
{
  g_autoptr (GError) error = NULL;
  *plan = moa_plan_new (procedure, model, NULL, &error);
  g_assert_no_error (error);
  MoaSimulationOptions options;
  moa_simulation_options_init (&options);
  options.seed = 1;
  options.iterations = ITERATIONS;
  MoaSimulation *simulation = moa_simulate (*plan, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return simulation;
}

/* Every target group's and the total's burden, cost and hours: the same P5, P50 and P95 to the bit
 * (the simulation is reproducible for a seed and a number of iterations). Returns how many
 * statistics were compared. */
static guint
assert_same_stats (MoaUncertainty *u, MoaPlan *plan, MoaSimulation *simulation)
{
  guint compared = 0;
  g_assert_cmpuint (moa_uncertainty_get_iterations (u), ==, ITERATIONS);
  for (guint i = 0; i < moa_plan_get_n_entities (plan); i++)
    {
      const MoaEntity *entity = moa_plan_get_entity (plan, i);
      if (entity->kind != MOA_ENTITY_TOTAL && entity->kind != MOA_ENTITY_GROUP)
        continue;
      for (MoaQuantity q = MOA_QUANTITY_BURDEN; q <= MOA_QUANTITY_HOURS; q++)
        {
          const MoaStat *want = moa_simulation_get_stat (simulation, i, q);
          const MoaStat *got = moa_uncertainty_get_stat (
              u, entity->kind == MOA_ENTITY_TOTAL ? NULL : entity->id, q);
          g_assert_nonnull (got);
          g_assert_cmpfloat (got->p5, ==, want->p5);
          g_assert_cmpfloat (got->p50, ==, want->p50);
          g_assert_cmpfloat (got->p95, ==, want->p95);
          g_assert_cmpfloat (got->point, ==, want->point);
          compared++;
        }
    }
  return compared;
}

static const MoaStat *
total_burden (MoaPlan *plan, MoaSimulation *simulation)
{
  for (guint i = 0; i < moa_plan_get_n_entities (plan); i++)
    if (moa_plan_get_entity (plan, i)->kind == MOA_ENTITY_TOTAL)
      return moa_simulation_get_stat (simulation, i, MOA_QUANTITY_BURDEN);
  g_assert_not_reached ();
}

/* No delay: the first edit's run starts; the second edit, made while it goes, cancels it at
 * once; only the second edit's run completes, and its figures are the core's. */
static void
test_edit_cancels_run (void)
{
  g_autoptr (MoaDocument) document = open_document ();
  g_autoptr (MoaProcedure) original = moa_procedure_copy (moa_document_get_procedure (document));
  g_autoptr (MoaUncertainty) u = moa_uncertainty_new (ITERATIONS, 0);
  Runs runs = { 0, 0, 0, g_string_new (NULL) };
  g_signal_connect (u, "run-started", G_CALLBACK (run_started), &runs);
  g_signal_connect (u, "run-ended", G_CALLBACK (run_ended), &runs);
  moa_uncertainty_set_document (u, document);

  /* The run of the procedure as opened. */
  wait_for (&runs.completed, 1, "the first run");
  g_assert_cmpstr (runs.order->str, ==, "sc");
  g_assert_nonnull (moa_uncertainty_get_stat (u, NULL, MOA_QUANTITY_BURDEN));

  /* First edit: its figures drop at once, then its run starts once the document evaluated. */
  edit (document, 1);
  g_assert_null (moa_uncertainty_get_stat (u, NULL, MOA_QUANTITY_BURDEN));
  wait_for (&runs.started, 2, "the first edit's run");
  g_assert_true (moa_uncertainty_get_running (u));

  /* Second edit while that run goes: cancelled there and then, before any main-loop turn. */
  edit (document, 2);
  g_assert_false (moa_uncertainty_get_running (u));
  g_assert_null (moa_uncertainty_get_stat (u, NULL, MOA_QUANTITY_BURDEN));

  wait_for (&runs.completed, 2, "the second edit's run");
  wait_for (&runs.cancelled, 1, "the end of the cancelled run");
  /* Three runs started (opened, edit 1, edit 2); the first edit's was cancelled and never
   * completed: exactly the opened one's and the last edit's completed. */
  g_assert_cmpuint (runs.started, ==, 3);
  g_assert_cmpuint (runs.completed, ==, 2);
  g_assert_cmpuint (runs.cancelled, ==, 1);
  g_assert_true (g_str_equal (runs.order->str, "scsxsc") || g_str_equal (runs.order->str, "scssxc")
                 || g_str_equal (runs.order->str, "scsscx"));
  g_assert_false (moa_uncertainty_get_running (u));
  g_assert_null (moa_uncertainty_get_error (u));

  /* The figures are those of the procedure with both edits, by the core. */
  g_autoptr (MoaProcedure) both = moa_procedure_copy (original);
  edit_by_hand (both, 1);
  edit_by_hand (both, 2);
  g_assert_true (moa_procedure_equal (both, moa_document_get_procedure (document)));
  MoaPlan *plan = NULL;
  g_autoptr (MoaSimulation) simulation = simulate (both, moa_document_get_model (document), &plan);
  /* Groups imprese-commercio and suap, and the total: burden, cost and hours each. */
  g_assert_cmpuint (assert_same_stats (u, plan, simulation), ==, 9);

  /* ... and not those of the first edit alone (the piccola segment's population doubled
   * changes the total). */
  g_autoptr (MoaProcedure) first = moa_procedure_copy (original);
  edit_by_hand (first, 1);
  MoaPlan *first_plan = NULL;
  g_autoptr (MoaSimulation) first_simulation
      = simulate (first, moa_document_get_model (document), &first_plan);
  g_assert_cmpfloat (total_burden (first_plan, first_simulation)->p95, !=,
                     moa_uncertainty_get_stat (u, NULL, MOA_QUANTITY_BURDEN)->p95);

  g_clear_pointer (&first_simulation, moa_simulation_free);
  moa_plan_free (first_plan);
  g_clear_pointer (&simulation, moa_simulation_free);
  moa_plan_free (plan);
  moa_uncertainty_set_document (u, NULL);
  g_string_free (runs.order, TRUE);
}

static void
count (guint *counter)
{
  (*counter)++;
}

/* With a debounce delay, an edit made within the delay after the previous edit's evaluation
 * ended cancels the scheduled run before it starts: one run, the last edit's. */
static void
test_debounce (void)
{
  g_autoptr (MoaDocument) document = open_document ();
  g_autoptr (MoaProcedure) original = moa_procedure_copy (moa_document_get_procedure (document));
  g_autoptr (MoaUncertainty) u = moa_uncertainty_new (ITERATIONS, 1000);
  Runs runs = { 0, 0, 0, g_string_new (NULL) };
  guint evaluated = 0;
  g_signal_connect (u, "run-started", G_CALLBACK (run_started), &runs);
  g_signal_connect (u, "run-ended", G_CALLBACK (run_ended), &runs);
  g_signal_connect_swapped (document, "results-changed", G_CALLBACK (count), &evaluated);
  moa_uncertainty_set_document (u, document);
  wait_for (&runs.completed, 1, "the first run");

  edit (document, 1);
  wait_for (&evaluated, 2, "the first edit's evaluation");
  /* Scheduled, not started: the delay runs from the evaluation's end. */
  g_assert_true (moa_uncertainty_get_running (u));
  g_assert_cmpuint (runs.started, ==, 1);
  edit (document, 2);
  wait_for (&runs.completed, 2, "the run after the edits");
  /* Long enough for a wrongly scheduled run to start. */
  gint64 until = g_get_monotonic_time () + 1500 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_cmpstr (runs.order->str, ==, "scsc");

  g_autoptr (MoaProcedure) both = moa_procedure_copy (original);
  edit_by_hand (both, 1);
  edit_by_hand (both, 2);
  MoaPlan *plan = NULL;
  g_autoptr (MoaSimulation) simulation = simulate (both, moa_document_get_model (document), &plan);
  g_assert_cmpuint (assert_same_stats (u, plan, simulation), ==, 9);
  g_clear_pointer (&simulation, moa_simulation_free);
  moa_plan_free (plan);
  moa_uncertainty_set_document (u, NULL);
  g_string_free (runs.order, TRUE);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uncertainty/edit-cancels-run", test_edit_cancels_run);
  g_test_add_func ("/uncertainty/debounce", test_debounce);
  return g_test_run ();
}
