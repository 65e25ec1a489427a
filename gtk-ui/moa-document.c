/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open procedure and its evaluation: edits are checked by the core on the main thread,
 * the expensive evaluation runs in a GTask thread on a private copy, so the interface never
 * waits and a result never sees a procedure change under it. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-scenario.h" /* moa_procedure_copy() */

#include "moa-document.h"
#include "moa-ui-format.h"

struct _MoaDocument
{
  GObject parent_instance;

  MoaProcedure *procedure;
  MoaCostModel *model;
  GFile *file;
  MoaUndoStack *undo_stack;

  MoaResult *result;
  char *result_error;
  guint serial; /* of the newest evaluation started; older ones are dropped */
  GCancellable *cancellable;
  gboolean computing;
};

enum
{
  PROP_0,
  PROP_FILE,
  PROP_TITLE,
  PROP_DIRTY,
  PROP_COMPUTING,
  N_PROPS
};

enum
{
  SIGNAL_CHANGED,
  SIGNAL_RESULTS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MoaDocument, moa_document, G_TYPE_OBJECT)

static void
moa_document_dispose (GObject *object)
{
  MoaDocument *self = MOA_DOCUMENT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->undo_stack);
  G_OBJECT_CLASS (moa_document_parent_class)->dispose (object);
}

static void
moa_document_finalize (GObject *object)
{
  MoaDocument *self = MOA_DOCUMENT (object);

  g_clear_pointer (&self->procedure, moa_procedure_unref);
  g_clear_pointer (&self->model, moa_cost_model_unref);
  g_clear_pointer (&self->result, moa_result_unref);
  g_clear_object (&self->file);
  g_free (self->result_error);
  G_OBJECT_CLASS (moa_document_parent_class)->finalize (object);
}

static void
moa_document_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MoaDocument *self = MOA_DOCUMENT (object);

  switch (prop_id)
    {
      case PROP_FILE:
        g_value_set_object (value, self->file);
        break;
      case PROP_TITLE:
        g_value_set_string (value, moa_document_get_title (self));
        break;
      case PROP_DIRTY:
        g_value_set_boolean (value, moa_document_get_dirty (self));
        break;
      case PROP_COMPUTING:
        g_value_set_boolean (value, self->computing);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
moa_document_class_init (MoaDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = moa_document_dispose;
  object_class->finalize = moa_document_finalize;
  object_class->get_property = moa_document_get_property;

  properties[PROP_FILE] = g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE]
      = g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPUTING] = g_param_spec_boolean ("computing", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* MoaDocument::changed: (edit, forward) the procedure was edited and the core accepted it. */
  signals[SIGNAL_CHANGED]
      = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, MOA_TYPE_EDIT, G_TYPE_BOOLEAN);
  /* MoaDocument::results-changed: a new result (or evaluation error) is available. */
  signals[SIGNAL_RESULTS_CHANGED]
      = g_signal_new ("results-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 0);
}

static void
clean_changed (MoaDocument *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static void
moa_document_init (MoaDocument *self)
{
  self->undo_stack = moa_undo_stack_new (self);
  g_signal_connect_swapped (self->undo_stack, "notify::clean", G_CALLBACK (clean_changed), self);
  moa_undo_stack_mark_clean (self->undo_stack);
}

/* Copies the procedure and has the core check and compile the copy. Returns the plan (which
 * holds the copy: nothing else ever changes it), or NULL with @error set from the first
 * problem. */
static MoaPlan *
check (MoaDocument *self, GError **error)
{
  g_autoptr (MoaProcedure) copy = moa_procedure_copy (self->procedure);
  g_autoptr (GPtrArray) problems = moa_problems_new ();

  return moa_plan_new (copy, self->model, problems, error);
}

static void
evaluate_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const MoaPlan *plan = data;
  GError *error = NULL;

  MoaResult *result = moa_plan_evaluate (plan, NULL, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)moa_result_unref);
}

static void
evaluate_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  MoaDocument *self = MOA_DOCUMENT (source);
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr (GError) error = NULL;

  /* Take the result first so that a dropped one is freed. */
  g_autoptr (MoaResult) result = g_task_propagate_pointer (G_TASK (res), &error);
  if (serial != self->serial)
    return; /* a later edit started a newer evaluation */

  g_clear_pointer (&self->result, moa_result_unref);
  g_clear_pointer (&self->result_error, g_free);
  if (result != NULL)
    self->result = g_steal_pointer (&result);
  else
    self->result_error = g_strdup (error->message);
  self->computing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTING]);
  g_signal_emit (self, signals[SIGNAL_RESULTS_CHANGED], 0);
}

/* Starts evaluating @plan (taken) in a worker thread, superseding any evaluation running. */
static void
evaluate_async (MoaDocument *self, MoaPlan *plan)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->serial++;

  g_autoptr (GTask) task
      = g_task_new (self, self->cancellable, evaluate_done, GUINT_TO_POINTER (self->serial));
  g_task_set_source_tag (task, evaluate_async);
  /* The result must be delivered even when cancelled, only to be dropped by its serial. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, plan, (GDestroyNotify)moa_plan_free);
  g_task_run_in_thread (task, evaluate_thread);

  if (!self->computing)
    {
      self->computing = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTING]);
    }
}

MoaDocument *
moa_document_new_for_procedure (const MoaProcedure *procedure, MoaCostModel *model, GError **error)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (MoaDocument) self = g_object_new (MOA_TYPE_DOCUMENT, NULL);
  self->procedure = moa_procedure_copy (procedure);
  self->model = moa_cost_model_ref (model);

  MoaPlan *plan = check (self, error);
  if (plan == NULL)
    return NULL;
  evaluate_async (self, plan);
  return g_steal_pointer (&self);
}

MoaDocument *
moa_document_new_for_file (GFile *file, const MoaModelSet *models, GError **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (models != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autofree char *path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO,
                   _ ("%s: only local files can be opened"), uri);
      return NULL;
    }
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, error);
  if (procedure == NULL)
    return NULL;
  MoaCostModel *model
      = procedure->cost_model ? moa_model_set_lookup (models, procedure->cost_model) : NULL;
  if (model == NULL)
    {
      g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL,
                   _ ("%s:%d: procedure \"%s\": cost model \"%s\" is not among the shipped "
                      "cost models"),
                   path, procedure->line, procedure->id,
                   procedure->cost_model ? procedure->cost_model : "");
      return NULL;
    }

  MoaDocument *self = moa_document_new_for_procedure (procedure, model, error);
  if (self != NULL)
    self->file = g_object_ref (file);
  return self;
}

MoaProcedure *
moa_document_get_procedure (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), NULL);
  return self->procedure;
}

MoaCostModel *
moa_document_get_model (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), NULL);
  return self->model;
}

GFile *
moa_document_get_file (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), NULL);
  return self->file;
}

const char *
moa_document_get_title (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), NULL);
  if (self->procedure == NULL)
    return NULL;
  return moa_title_get (&self->procedure->title, moa_ui_get_lang (), self->procedure->id);
}

MoaUndoStack *
moa_document_get_undo_stack (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), NULL);
  return self->undo_stack;
}

gboolean
moa_document_get_dirty (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), FALSE);
  return self->undo_stack != NULL && !moa_undo_stack_get_clean (self->undo_stack);
}

MoaResult *
moa_document_get_result (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), NULL);
  return self->result;
}

const char *
moa_document_get_result_error (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), NULL);
  return self->result_error;
}

gboolean
moa_document_get_computing (MoaDocument *self)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), FALSE);
  return self->computing;
}

gboolean
moa_document_apply_edit (MoaDocument *self, MoaEdit *edit, gboolean forward, GError **error)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (MOA_IS_EDIT (edit), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!moa_edit_apply (edit, self->procedure, forward, error))
    return FALSE;
  MoaPlan *plan = check (self, error);
  if (plan == NULL)
    {
      /* The core refused the edited procedure: take the edit back. It cannot fail, the
       * elements were just found. */
      gboolean undone = moa_edit_apply (edit, self->procedure, !forward, NULL);
      g_assert (undone);
      return FALSE;
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, edit, forward);
  evaluate_async (self, plan);
  return TRUE;
}

gboolean
moa_document_save (MoaDocument *self, GFile *file, GError **error)
{
  g_return_val_if_fail (MOA_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_autofree char *path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _ ("%s: only local files can be written"), uri);
      return FALSE;
    }
  if (!moa_procedure_save (self->procedure, path, error))
    return FALSE;
  if (self->file == NULL || !g_file_equal (self->file, file))
    {
      g_set_object (&self->file, file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  moa_undo_stack_mark_clean (self->undo_stack);
  return TRUE;
}
