/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the core's Monte Carlo simulation and sensitivity analysis of the last evaluated
 * procedure in a worker thread, debounced after edits and cancelled when superseded. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-uncertainty.h"

/* What a run produces; the simulation borrows the plan. */
typedef struct
{
  MoaPlan *plan;
  MoaSimulation *simulation;
  GArray *sensitivity;
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  if (outcome == NULL)
    return;
  g_clear_pointer (&outcome->sensitivity, g_array_unref);
  g_clear_pointer (&outcome->simulation, moa_simulation_free);
  g_clear_pointer (&outcome->plan, moa_plan_free);
  g_free (outcome);
}

struct _MoaUncertainty
{
  GObject parent_instance;

  guint iterations;
  guint delay_ms;
  MoaDocument *document;
  guint timeout_id;
  GCancellable *cancellable; /* of the run under way */
  Outcome *outcome;          /* of the last run that succeeded for the current results */
  char *error;
};

G_DEFINE_FINAL_TYPE (MoaUncertainty, moa_uncertainty, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_UPDATED,
  SIGNAL_RUN_STARTED,
  SIGNAL_RUN_ENDED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
stop (MoaUncertainty *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
moa_uncertainty_dispose (GObject *object)
{
  MoaUncertainty *self = MOA_UNCERTAINTY (object);

  stop (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (moa_uncertainty_parent_class)->dispose (object);
}

static void
moa_uncertainty_finalize (GObject *object)
{
  MoaUncertainty *self = MOA_UNCERTAINTY (object);

  outcome_free (self->outcome);
  g_free (self->error);
  G_OBJECT_CLASS (moa_uncertainty_parent_class)->finalize (object);
}

static void
moa_uncertainty_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_RUNNING:
        g_value_set_boolean (value, moa_uncertainty_get_running (MOA_UNCERTAINTY (object)));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
moa_uncertainty_class_init (MoaUncertaintyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = moa_uncertainty_dispose;
  object_class->finalize = moa_uncertainty_finalize;
  object_class->get_property = moa_uncertainty_get_property;
  props[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  signals[SIGNAL_UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* MoaUncertainty::run-started: a run began in the worker thread. */
  signals[SIGNAL_RUN_STARTED]
      = g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
  /* MoaUncertainty::run-ended: (completed) a run that began has ended: completed, its figures
   * kept (TRUE), or cancelled or superseded by an edit and its figures dropped (FALSE). A run
   * that failed with the core's error is completed. */
  signals[SIGNAL_RUN_ENDED]
      = g_signal_new ("run-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
moa_uncertainty_init (MoaUncertainty *self)
{
}

MoaUncertainty *
moa_uncertainty_new (guint iterations, guint delay_ms)
{
  g_return_val_if_fail (iterations > 0, NULL);

  MoaUncertainty *self = g_object_new (MOA_TYPE_UNCERTAINTY, NULL);
  self->iterations = iterations;
  self->delay_ms = delay_ms;
  return self;
}

/* In the worker thread: plan the evaluated procedure again (the result's own copy, never
 * edited), simulate, rank. */
static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  MoaResult *result = task_data;
  MoaUncertainty *self = source;
  g_autoptr (GError) error = NULL;
  Outcome *outcome = g_new0 (Outcome, 1);

  outcome->plan = moa_plan_new (result->procedure, result->model, NULL, &error);
  if (outcome->plan != NULL)
    {
      MoaSimulationOptions options;
      moa_simulation_options_init (&options);
      options.iterations = self->iterations;
      outcome->simulation = moa_simulate (outcome->plan, &options, cancellable, NULL, NULL, &error);
    }
  if (outcome->simulation != NULL && !g_cancellable_is_cancelled (cancellable))
    outcome->sensitivity = moa_sensitivity_compute (outcome->plan, &error);
  if (outcome->sensitivity == NULL)
    {
      outcome_free (outcome);
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, outcome, (GDestroyNotify)outcome_free);
}

static void
run_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  Outcome *outcome = g_task_propagate_pointer (G_TASK (res), &error);
  /* The task keeps @source alive until this returns, even after its dispose. */
  MoaUncertainty *self = MOA_UNCERTAINTY (source);

  if (g_task_get_cancellable (G_TASK (res)) != self->cancellable)
    {
      /* Cancelled (an edit, another document, the window closed): the figures, if the run
       * finished before it noticed, are of a procedure no longer shown. */
      outcome_free (outcome);
      g_signal_emit (self, signals[SIGNAL_RUN_ENDED], 0, FALSE);
      return;
    }
  g_clear_object (&self->cancellable);
  outcome_free (self->outcome);
  self->outcome = outcome;
  g_free (self->error);
  self->error = outcome == NULL ? g_strdup (error->message) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  g_signal_emit (self, signals[SIGNAL_RUN_ENDED], 0, TRUE);
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
}

static gboolean
start (gpointer data)
{
  MoaUncertainty *self = data;
  MoaResult *result = self->document ? moa_document_get_result (self->document) : NULL;

  self->timeout_id = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (result == NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
      return G_SOURCE_REMOVE;
    }
  self->cancellable = g_cancellable_new ();
  /* The source object keeps @self alive while the thread reads @iterations. */
  GTask *task = g_task_new (self, self->cancellable, run_done, NULL);
  g_task_set_source_tag (task, start);
  g_task_set_task_data (task, moa_result_ref (result), (GDestroyNotify)moa_result_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
  g_object_unref (task);
  g_signal_emit (self, signals[SIGNAL_RUN_STARTED], 0);
  return G_SOURCE_REMOVE;
}

/* An edit: the run under way (or scheduled) is of a procedure that no longer exists. It is
 * cancelled at once, not when the new evaluation ends, and its figures are dropped. */
static void
edited (MoaUncertainty *self)
{
  gboolean was = moa_uncertainty_get_running (self);
  gboolean had = self->outcome != NULL || self->error != NULL;

  stop (self);
  g_clear_pointer (&self->outcome, outcome_free);
  g_clear_pointer (&self->error, g_free);
  if (was)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  if (was || had)
    g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
}

static void
results_changed (MoaUncertainty *self)
{
  gboolean was = moa_uncertainty_get_running (self);
  stop (self);
  /* The old figures no longer match the procedure. */
  g_clear_pointer (&self->outcome, outcome_free);
  g_clear_pointer (&self->error, g_free);
  if (self->document != NULL && moa_document_get_result (self->document) != NULL)
    self->timeout_id = g_timeout_add (self->delay_ms, start, self);
  if (was != moa_uncertainty_get_running (self))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  g_signal_emit (self, signals[SIGNAL_UPDATED], 0);
}

void
moa_uncertainty_set_document (MoaUncertainty *self, MoaDocument *document)
{
  g_return_if_fail (MOA_IS_UNCERTAINTY (self));
  g_return_if_fail (document == NULL || MOA_IS_DOCUMENT (document));

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_swapped (document, "results-changed", G_CALLBACK (results_changed), self);
      g_signal_connect_swapped (document, "changed", G_CALLBACK (edited), self);
    }
  results_changed (self);
}

gboolean
moa_uncertainty_get_running (MoaUncertainty *self)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY (self), FALSE);
  return self->timeout_id != 0 || self->cancellable != NULL;
}

const MoaStat *
moa_uncertainty_get_stat (MoaUncertainty *self, const char *group_id, MoaQuantity quantity)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY (self), NULL);
  g_return_val_if_fail (quantity < MOA_QUANTITY_N, NULL);

  if (self->outcome == NULL)
    return NULL;
  for (guint i = 0; i < moa_plan_get_n_entities (self->outcome->plan); i++)
    {
      const MoaEntity *entity = moa_plan_get_entity (self->outcome->plan, i);
      if ((group_id == NULL && entity->kind == MOA_ENTITY_TOTAL)
          || (group_id != NULL && entity->kind == MOA_ENTITY_GROUP
              && g_strcmp0 (entity->id, group_id) == 0))
        return moa_simulation_get_stat (self->outcome->simulation, i, quantity);
    }
  return NULL;
}

guint
moa_uncertainty_get_iterations (MoaUncertainty *self)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY (self), 0);
  return self->outcome != NULL ? moa_simulation_get_iterations (self->outcome->simulation) : 0;
}

GArray *
moa_uncertainty_get_sensitivity (MoaUncertainty *self)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY (self), NULL);
  return self->outcome != NULL ? self->outcome->sensitivity : NULL;
}

const char *
moa_uncertainty_get_error (MoaUncertainty *self)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY (self), NULL);
  return self->error;
}

MoaProcedure *
moa_uncertainty_get_procedure (MoaUncertainty *self)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY (self), NULL);
  return self->outcome != NULL ? moa_plan_get_procedure (self->outcome->plan) : NULL;
}
