/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The undo history of a document: an array of edits and the position between done and
 * undone ones. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include "moa-document.h"
#include "moa-undo-stack.h"

struct _MoaUndoStack
{
  GObject parent_instance;

  MoaDocument *document; /* borrowed: it owns this stack */
  GPtrArray *edits;      /* MoaEdit*: [0, position) done, [position, len) undone */
  guint position;
  int clean_position; /* -1: the saved state is no longer reachable */
};

enum
{
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_CLEAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MoaUndoStack, moa_undo_stack, G_TYPE_OBJECT)

static void
moa_undo_stack_finalize (GObject *object)
{
  MoaUndoStack *self = MOA_UNDO_STACK (object);

  g_ptr_array_unref (self->edits);
  G_OBJECT_CLASS (moa_undo_stack_parent_class)->finalize (object);
}

static void
moa_undo_stack_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MoaUndoStack *self = MOA_UNDO_STACK (object);

  switch (prop_id)
    {
      case PROP_CAN_UNDO:
        g_value_set_boolean (value, moa_undo_stack_get_can_undo (self));
        break;
      case PROP_CAN_REDO:
        g_value_set_boolean (value, moa_undo_stack_get_can_redo (self));
        break;
      case PROP_UNDO_LABEL:
        g_value_set_string (value, moa_undo_stack_get_undo_label (self));
        break;
      case PROP_REDO_LABEL:
        g_value_set_string (value, moa_undo_stack_get_redo_label (self));
        break;
      case PROP_CLEAN:
        g_value_set_boolean (value, moa_undo_stack_get_clean (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
moa_undo_stack_class_init (MoaUndoStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = moa_undo_stack_finalize;
  object_class->get_property = moa_undo_stack_get_property;

  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLEAN]
      = g_param_spec_boolean ("clean", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
moa_undo_stack_init (MoaUndoStack *self)
{
  self->edits = g_ptr_array_new_with_free_func (g_object_unref);
}

MoaUndoStack *
moa_undo_stack_new (MoaDocument *document)
{
  g_return_val_if_fail (document != NULL, NULL);

  MoaUndoStack *self = g_object_new (MOA_TYPE_UNDO_STACK, NULL);
  self->document = document;
  return self;
}

/* Notifies every property after a move, with the old "clean" to notify it only on change. */
static void
changed (MoaUndoStack *self, gboolean was_clean)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  g_object_notify_by_pspec (object, properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (object, properties[PROP_CAN_REDO]);
  g_object_notify_by_pspec (object, properties[PROP_UNDO_LABEL]);
  g_object_notify_by_pspec (object, properties[PROP_REDO_LABEL]);
  if (was_clean != moa_undo_stack_get_clean (self))
    g_object_notify_by_pspec (object, properties[PROP_CLEAN]);
  g_object_thaw_notify (object);
}

gboolean
moa_undo_stack_execute (MoaUndoStack *self, MoaEdit *edit, GError **error)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (MOA_IS_EDIT (edit), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gboolean was_clean = moa_undo_stack_get_clean (self);
  if (!moa_document_apply_edit (self->document, edit, TRUE, error))
    return FALSE;
  if (self->position < self->edits->len)
    {
      /* The undone edits cannot be redone any more; if the saved state was among them it
       * can no longer be reached. */
      if (self->clean_position > (int)self->position)
        self->clean_position = -1;
      g_ptr_array_set_size (self->edits, self->position);
    }
  g_ptr_array_add (self->edits, g_object_ref (edit));
  self->position++;
  changed (self, was_clean);
  return TRUE;
}

gboolean
moa_undo_stack_undo (MoaUndoStack *self, GError **error)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->position == 0)
    return FALSE;
  gboolean was_clean = moa_undo_stack_get_clean (self);
  if (!moa_document_apply_edit (self->document, g_ptr_array_index (self->edits, self->position - 1),
                                FALSE, error))
    return FALSE;
  self->position--;
  changed (self, was_clean);
  return TRUE;
}

gboolean
moa_undo_stack_redo (MoaUndoStack *self, GError **error)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->position == self->edits->len)
    return FALSE;
  gboolean was_clean = moa_undo_stack_get_clean (self);
  if (!moa_document_apply_edit (self->document, g_ptr_array_index (self->edits, self->position),
                                TRUE, error))
    return FALSE;
  self->position++;
  changed (self, was_clean);
  return TRUE;
}

gboolean
moa_undo_stack_get_can_undo (MoaUndoStack *self)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), FALSE);
  return self->position > 0;
}

gboolean
moa_undo_stack_get_can_redo (MoaUndoStack *self)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), FALSE);
  return self->position < self->edits->len;
}

const char *
moa_undo_stack_get_undo_label (MoaUndoStack *self)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), NULL);
  if (self->position == 0)
    return NULL;
  return moa_edit_get_label (g_ptr_array_index (self->edits, self->position - 1));
}

const char *
moa_undo_stack_get_redo_label (MoaUndoStack *self)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), NULL);
  if (self->position == self->edits->len)
    return NULL;
  return moa_edit_get_label (g_ptr_array_index (self->edits, self->position));
}

gboolean
moa_undo_stack_get_clean (MoaUndoStack *self)
{
  g_return_val_if_fail (MOA_IS_UNDO_STACK (self), FALSE);
  return self->clean_position == (int)self->position;
}

void
moa_undo_stack_mark_clean (MoaUndoStack *self)
{
  g_return_if_fail (MOA_IS_UNDO_STACK (self));

  gboolean was_clean = moa_undo_stack_get_clean (self);
  self->clean_position = self->position;
  changed (self, was_clean);
}

void
moa_undo_stack_clear (MoaUndoStack *self)
{
  g_return_if_fail (MOA_IS_UNDO_STACK (self));

  gboolean was_clean = moa_undo_stack_get_clean (self);
  g_ptr_array_set_size (self->edits, 0);
  self->position = 0;
  self->clean_position = 0;
  changed (self, was_clean);
}
