/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Edits of a procedure as command objects: each records the old and new value of every
 * parameter it touches, so that it can be undone and redone exactly. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-edit.h"
#include "moa-ui-format.h"

/* One parameter changed by an edit: the default value of an activity attribute, or of the
 * probability of a branch (@to set). */
typedef struct
{
  MoaEditField field;  /* unused for branches */
  char *to;            /* branch target, or NULL for an activity attribute */
  MoaValue *old_value; /* may be NULL: the attribute was absent */
  MoaValue *new_value; /* may be NULL: the attribute is removed */
} Change;

struct _MoaEdit
{
  GObject parent_instance;

  char *obligation_id;
  char *node_id;
  char *label;
  GArray *changes; /* Change */
};

G_DEFINE_FINAL_TYPE (MoaEdit, moa_edit, G_TYPE_OBJECT)

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_clear_pointer (&change->to, g_free);
  g_clear_pointer (&change->old_value, moa_value_unref);
  g_clear_pointer (&change->new_value, moa_value_unref);
}

static void
moa_edit_finalize (GObject *object)
{
  MoaEdit *self = MOA_EDIT (object);

  g_free (self->obligation_id);
  g_free (self->node_id);
  g_free (self->label);
  g_array_unref (self->changes);
  G_OBJECT_CLASS (moa_edit_parent_class)->finalize (object);
}

static void
moa_edit_class_init (MoaEditClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = moa_edit_finalize;
}

static void
moa_edit_init (MoaEdit *self)
{
  self->changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_array_set_clear_func (self->changes, change_clear);
}

const char *
moa_edit_field_to_string (MoaEditField field)
{
  switch (field)
    {
      case MOA_EDIT_TIME:
        return "time";
      case MOA_EDIT_OUT_OF_POCKET:
        return "out-of-pocket";
      case MOA_EDIT_BAU:
        return "bau";
      case MOA_EDIT_FEE:
        return "fee";
      default:
        g_return_val_if_reached (NULL);
    }
}

MoaDimension
moa_edit_field_get_dimension (MoaEditField field)
{
  switch (field)
    {
      case MOA_EDIT_TIME:
        return MOA_DIM_TIME;
      case MOA_EDIT_OUT_OF_POCKET:
      case MOA_EDIT_FEE:
        return MOA_DIM_MONEY;
      case MOA_EDIT_BAU:
        return MOA_DIM_FRACTION;
      default:
        g_return_val_if_reached (MOA_DIM_COUNT);
    }
}

static const char *
field_label (MoaEditField field)
{
  switch (field)
    {
      case MOA_EDIT_TIME:
        return _ ("time");
      case MOA_EDIT_OUT_OF_POCKET:
        return _ ("out-of-pocket costs");
      case MOA_EDIT_BAU:
        return _ ("business-as-usual share");
      case MOA_EDIT_FEE:
        return _ ("external fee");
      default:
        g_assert_not_reached ();
    }
}

static MoaParam *
node_param (MoaNode *node, MoaEditField field)
{
  switch (field)
    {
      case MOA_EDIT_TIME:
        return &node->time;
      case MOA_EDIT_OUT_OF_POCKET:
        return &node->out_of_pocket;
      case MOA_EDIT_BAU:
        return &node->bau;
      case MOA_EDIT_FEE:
        return &node->fee;
      default:
        g_assert_not_reached ();
    }
}

static MoaBranch *
node_branch (MoaNode *node, const char *to)
{
  for (guint i = 0; node->branches != NULL && i < node->branches->len; i++)
    {
      MoaBranch *branch = g_ptr_array_index (node->branches, i);
      if (g_strcmp0 (branch->to, to) == 0)
        return branch;
    }
  return NULL;
}

/* The node @node_id of obligation @obligation_id when it is of @kind; else NULL with @error
 * set (the document and the edit disagree: an id was removed or is of another kind). */
static MoaNode *
find_node (const MoaProcedure *procedure, const char *obligation_id, const char *node_id,
           MoaNodeKind kind, GError **error)
{
  MoaObligation *obligation = moa_procedure_get_obligation (procedure, obligation_id);
  MoaNode *node = obligation != NULL ? moa_obligation_get_node (obligation, node_id) : NULL;

  if (node == NULL || node->kind != kind)
    {
      g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID,
                   _ ("obligation \"%s\" has no %s \"%s\""), obligation_id,
                   moa_node_kind_to_string (kind), node_id);
      return NULL;
    }
  return node;
}

/* Parses @text for the message prefix @element ("activity \"x\"") and @attribute; an empty
 * text is a NULL value. Returns FALSE with @error set from the core's message. */
static gboolean
parse_value (const char *text, MoaDimension dim, const char *element, const char *attribute,
             MoaValue **value, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr (GError) local = NULL;

  *value = NULL;
  if (*stripped == '\0')
    return TRUE;
  *value = moa_value_parse (stripped, dim, &local);
  if (*value == NULL)
    {
      /* The same "element: attribute: what" shape as the file reader's messages. */
      g_set_error (error, local->domain, local->code, "%s: %s: %s", element, attribute,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_change (MoaEdit *self, MoaEditField field, const char *to, MoaValue *old_value,
            MoaValue *new_value)
{
  Change change = { field, g_strdup (to), old_value ? moa_value_ref (old_value) : NULL,
                    new_value ? moa_value_ref (new_value) : NULL };
  g_array_append_val (self->changes, change);
}

MoaEdit *
moa_edit_new_activity_param (const MoaProcedure *procedure, const char *obligation_id,
                             const char *node_id, MoaEditField field, const char *text,
                             GError **error)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (obligation_id != NULL && node_id != NULL, NULL);
  g_return_val_if_fail (field >= MOA_EDIT_TIME && field <= MOA_EDIT_FEE, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  MoaNode *node = find_node (procedure, obligation_id, node_id, MOA_NODE_ACTIVITY, error);
  if (node == NULL)
    return NULL;

  g_autofree char *element = g_strdup_printf ("activity \"%s\"", node_id);
  g_autoptr (MoaValue) value = NULL;
  if (!parse_value (text, moa_edit_field_get_dimension (field), element,
                    moa_edit_field_to_string (field), &value, error))
    return NULL;

  MoaEdit *self = g_object_new (MOA_TYPE_EDIT, NULL);
  self->obligation_id = g_strdup (obligation_id);
  self->node_id = g_strdup (node_id);
  add_change (self, field, NULL, node_param (node, field)->value, value);
  /* TRANSLATORS: Undo/Redo tooltip, e.g. "Change time of “Travel to the office”" */
  self->label = g_strdup_printf (_ ("Change %s of “%s”"), field_label (field),
                                 moa_title_get (&node->title, moa_ui_get_lang (), node->id));
  return self;
}

MoaEdit *
moa_edit_new_branch_probability (const MoaProcedure *procedure, const char *obligation_id,
                                 const char *node_id, const char *to, const char *text,
                                 GError **error)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (obligation_id != NULL && node_id != NULL && to != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  MoaNode *node = find_node (procedure, obligation_id, node_id, MOA_NODE_XOR, error);
  if (node == NULL)
    return NULL;
  MoaBranch *branch = node_branch (node, to);
  g_autofree char *element = g_strdup_printf ("xor \"%s\", branch to \"%s\"", node_id, to);
  if (branch == NULL)
    {
      g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID,
                   _ ("xor \"%s\" has no branch to \"%s\""), node_id, to);
      return NULL;
    }
  if (branch->is_default)
    {
      g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PROBABILITY_SUM,
                   _ ("%s: the default branch takes 1 minus the other branches' probabilities; "
                      "change those instead"),
                   element);
      return NULL;
    }

  g_autoptr (MoaValue) value = NULL;
  if (!parse_value (text, MOA_DIM_FRACTION, element, "probability", &value, error))
    return NULL;
  if (value == NULL)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                   _ ("%s: probability: a value is required, e.g. 0.3 or 30 %%"), element);
      return NULL;
    }

  MoaEdit *self = g_object_new (MOA_TYPE_EDIT, NULL);
  self->obligation_id = g_strdup (obligation_id);
  self->node_id = g_strdup (node_id);
  add_change (self, 0, to, branch->probability.value, value);

  gboolean has_default = FALSE;
  for (guint i = 0; i < node->branches->len; i++)
    has_default |= ((MoaBranch *)g_ptr_array_index (node->branches, i))->is_default;
  if (!has_default && node->branches->len == 2 && !moa_value_is_uncertain (value))
    {
      MoaBranch *other = g_ptr_array_index (
          node->branches, branch == g_ptr_array_index (node->branches, 0) ? 1 : 0);
      /* Written in the same form as the edited value: "30 %" keeps "70 %". The value and
       * its complement are the user's input, not a figure of the burden. */
      g_autoptr (MoaValue) rest
          = moa_value_new_fixed (MOA_DIM_FRACTION, 1.0 - value->mean, value->unit);
      add_change (self, 0, other->to, other->probability.value, rest);
    }

  MoaNode *target
      = moa_obligation_get_node (moa_procedure_get_obligation (procedure, obligation_id), to);
  self->label = g_strdup_printf (
      _ ("Change probability of the branch to “%s”"),
      target != NULL ? moa_title_get (&target->title, moa_ui_get_lang (), to) : to);
  return self;
}

const char *
moa_edit_get_label (MoaEdit *edit)
{
  g_return_val_if_fail (MOA_IS_EDIT (edit), NULL);
  return edit->label;
}

const char *
moa_edit_get_obligation_id (MoaEdit *edit)
{
  g_return_val_if_fail (MOA_IS_EDIT (edit), NULL);
  return edit->obligation_id;
}

const char *
moa_edit_get_node_id (MoaEdit *edit)
{
  g_return_val_if_fail (MOA_IS_EDIT (edit), NULL);
  return edit->node_id;
}

static void
set_param (MoaParam *param, MoaValue *value)
{
  MoaValue *old = param->value;
  param->value = value != NULL ? moa_value_ref (value) : NULL;
  if (old != NULL)
    moa_value_unref (old);
}

gboolean
moa_edit_apply (MoaEdit *edit, MoaProcedure *procedure, gboolean forward, GError **error)
{
  g_return_val_if_fail (MOA_IS_EDIT (edit), FALSE);
  g_return_val_if_fail (procedure != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  gboolean branches = edit->changes->len > 0 && g_array_index (edit->changes, Change, 0).to != NULL;
  MoaNode *node = find_node (procedure, edit->obligation_id, edit->node_id,
                             branches ? MOA_NODE_XOR : MOA_NODE_ACTIVITY, error);
  if (node == NULL)
    return FALSE;

  /* Find every parameter first, so that a missing one leaves the procedure unchanged. */
  g_autofree MoaParam **params = g_new0 (MoaParam *, edit->changes->len);
  for (guint i = 0; i < edit->changes->len; i++)
    {
      Change *change = &g_array_index (edit->changes, Change, i);
      if (change->to == NULL)
        params[i] = node_param (node, change->field);
      else
        {
          MoaBranch *branch = node_branch (node, change->to);
          if (branch == NULL)
            {
              g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID,
                           _ ("xor \"%s\" has no branch to \"%s\""), edit->node_id, change->to);
              return FALSE;
            }
          params[i] = &branch->probability;
        }
    }
  for (guint i = 0; i < edit->changes->len; i++)
    {
      Change *change = &g_array_index (edit->changes, Change, i);
      set_param (params[i], forward ? change->new_value : change->old_value);
    }
  return TRUE;
}
