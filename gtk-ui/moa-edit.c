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
typedef enum
{
  CHANGE_FIELD,      /* an activity's MoaEditField, or a branch's probability (@to set) */
  CHANGE_STRING,     /* an activity's reference (@which: MoaEditRef, or STANDARD) */
  CHANGE_COMPLEXITY, /* an activity's complexity (@old_int, @new_int) */
  CHANGE_TARIFF,     /* an activity's explicit default tariff */
  CHANGE_COUNT,      /* a count of segment or obligation @element (@which: MoaEditCount) */
} ChangeKind;

#define STANDARD 100 /* @which of the standard activity's CHANGE_STRING */

typedef struct
{
  MoaEditField field;  /* unused for branches */
  char *to;            /* branch target, or NULL for an activity attribute */
  MoaValue *old_value; /* may be NULL: the attribute was absent */
  MoaValue *new_value; /* may be NULL: the attribute is removed */
  ChangeKind kind;
  int which;
  char *element;
  char *old_string, *new_string;
  int old_int, new_int;
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
  g_clear_pointer (&change->element, g_free);
  g_clear_pointer (&change->old_string, g_free);
  g_clear_pointer (&change->new_string, g_free);
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
      case MOA_EDIT_TARIFF:
        return "tariff";
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
      case MOA_EDIT_TARIFF:
        return MOA_DIM_RATE;
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
      case MOA_EDIT_TARIFF:
        return _ ("tariff");
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
      case MOA_EDIT_TARIFF:
        return &node->tariff;
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
  g_return_val_if_fail (field >= MOA_EDIT_TIME && field <= MOA_EDIT_TARIFF, NULL);
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
  if (field == MOA_EDIT_TARIFF && value != NULL && node->tariff_profile != NULL)
    {
      /* An explicit rate and a tariff profile exclude each other: the rate replaces it. */
      Change change = { 0 };
      change.kind = CHANGE_STRING;
      change.which = MOA_EDIT_TARIFF_PROFILE;
      change.old_string = g_strdup (node->tariff_profile);
      g_array_append_val (self->changes, change);
    }
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
  if (!has_default && node->branches->len >= 2)
    {
      /* The others take 1 - p in proportion to their current values (equally when they are
       * all 0), written in the same form as the edited value: "30 %" keeps "70 %". These are
       * the user's inputs rescaled, not figures of the burden. */
      double others = 0;
      for (guint i = 0; i < node->branches->len; i++)
        {
          MoaBranch *other = g_ptr_array_index (node->branches, i);
          if (other == branch)
            continue;
          if (other->probability.value != NULL && moa_value_is_uncertain (other->probability.value))
            {
              g_object_unref (self);
              g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PROBABILITY_SUM,
                           _ ("%s: the branch to \"%s\" has a distribution and cannot be "
                              "rescaled; edit it first"),
                           element, other->to);
              return NULL;
            }
          others += moa_value_mean_or (other->probability.value, 0);
        }
      for (guint i = 0; i < node->branches->len; i++)
        {
          MoaBranch *other = g_ptr_array_index (node->branches, i);
          if (other == branch)
            continue;
          double share = others > 0 ? moa_value_mean_or (other->probability.value, 0) / others
                                    : 1.0 / (node->branches->len - 1);
          double p = MAX (0.0, (1.0 - value->mean) * share);
          g_autoptr (MoaValue) rest = moa_value_new_fixed (MOA_DIM_FRACTION, p, value->unit);
          add_change (self, 0, other->to, other->probability.value, rest);
        }
    }

  MoaNode *target
      = moa_obligation_get_node (moa_procedure_get_obligation (procedure, obligation_id), to);
  self->label = g_strdup_printf (
      _ ("Change probability of the branch to “%s”"),
      target != NULL ? moa_title_get (&target->title, moa_ui_get_lang (), to) : to);
  return self;
}

static Change *
add_string_change (MoaEdit *self, int which, const char *old_string, const char *new_string)
{
  Change change = { 0 };
  change.kind = CHANGE_STRING;
  change.which = which;
  change.old_string = g_strdup (old_string);
  change.new_string = g_strdup (new_string);
  g_array_append_val (self->changes, change);
  return &g_array_index (self->changes, Change, self->changes->len - 1);
}

static MoaEdit *
activity_edit (MoaNode *node, const char *obligation_id, const char *what)
{
  MoaEdit *self = g_object_new (MOA_TYPE_EDIT, NULL);
  self->obligation_id = g_strdup (obligation_id);
  self->node_id = g_strdup (node->id);
  self->label = g_strdup_printf (_ ("Change %s of “%s”"), what,
                                 moa_title_get (&node->title, moa_ui_get_lang (), node->id));
  return self;
}

MoaEdit *
moa_edit_new_activity_ref (const MoaProcedure *procedure, const char *obligation_id,
                           const char *node_id, MoaEditRef ref, const char *id, GError **error)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (obligation_id != NULL && node_id != NULL, NULL);
  g_return_val_if_fail (ref == MOA_EDIT_PERFORMER || ref == MOA_EDIT_TARIFF_PROFILE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  MoaNode *node = find_node (procedure, obligation_id, node_id, MOA_NODE_ACTIVITY, error);
  if (node == NULL)
    return NULL;
  MoaEdit *self = activity_edit (node, obligation_id,
                                 ref == MOA_EDIT_PERFORMER ? _ ("performer") : _ ("tariff"));
  if (ref == MOA_EDIT_PERFORMER)
    add_string_change (self, ref, node->performer, id);
  else
    {
      add_string_change (self, ref, node->tariff_profile, id);
      if (id != NULL && node->tariff.value != NULL)
        {
          Change change = { 0 };
          change.kind = CHANGE_TARIFF;
          change.old_value = moa_value_ref (node->tariff.value);
          g_array_append_val (self->changes, change);
        }
    }
  return self;
}

MoaEdit *
moa_edit_new_standard (const MoaProcedure *procedure, const char *obligation_id,
                       const char *node_id, const char *standard, MoaComplexity complexity,
                       GError **error)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (obligation_id != NULL && node_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  MoaNode *node = find_node (procedure, obligation_id, node_id, MOA_NODE_ACTIVITY, error);
  if (node == NULL)
    return NULL;
  MoaEdit *self = activity_edit (node, obligation_id, _ ("standard activity"));
  add_string_change (self, STANDARD, node->standard, standard);
  Change change = { 0 };
  change.kind = CHANGE_COMPLEXITY;
  change.old_int = node->complexity;
  change.new_int = standard == NULL                    ? MOA_COMPLEXITY_NONE
                   : complexity == MOA_COMPLEXITY_NONE ? MOA_COMPLEXITY_MEDIUM
                                                       : complexity;
  g_array_append_val (self->changes, change);
  return self;
}

MoaEdit *
moa_edit_new_count (const MoaProcedure *procedure, MoaEditCount what, const char *element_id,
                    const char *text, GError **error)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (element_id != NULL && text != NULL, NULL);
  g_return_val_if_fail (what >= MOA_EDIT_POPULATION && what <= MOA_EDIT_COMPLIANCE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const char *lang = moa_ui_get_lang ();
  static const char *attributes[] = { "population", "frequency", "cases", "compliance" };
  g_autofree char *element = NULL;
  const char *title = NULL;
  MoaValue *old_value = NULL, *other_value = NULL;
  MoaSegment *segment = NULL;
  MoaObligation *obligation = NULL;

  if (what == MOA_EDIT_POPULATION)
    {
      segment = moa_procedure_get_segment (procedure, element_id);
      element = g_strdup_printf ("segment \"%s\"", element_id);
      if (segment != NULL)
        old_value = segment->population, title = moa_title_get (&segment->title, lang, element_id);
    }
  else
    {
      obligation = moa_procedure_get_obligation (procedure, element_id);
      element = g_strdup_printf ("obligation \"%s\"", element_id);
      if (obligation != NULL)
        {
          old_value = what == MOA_EDIT_FREQUENCY ? obligation->frequency.value
                      : what == MOA_EDIT_CASES   ? obligation->cases.value
                                                 : obligation->compliance.value;
          other_value = what == MOA_EDIT_FREQUENCY ? obligation->cases.value
                        : what == MOA_EDIT_CASES   ? obligation->frequency.value
                                                   : NULL;
          title = moa_title_get (&obligation->title, lang, element_id);
        }
    }
  if (segment == NULL && obligation == NULL)
    {
      g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID,
                   _ ("there is no %s \"%s\""),
                   what == MOA_EDIT_POPULATION ? "segment" : "obligation", element_id);
      return NULL;
    }
  g_autoptr (MoaValue) value = NULL;
  if (!parse_value (text, what == MOA_EDIT_COMPLIANCE ? MOA_DIM_FRACTION : MOA_DIM_COUNT, element,
                    attributes[what], &value, error))
    return NULL;
  if (value == NULL && what == MOA_EDIT_POPULATION)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                   _ ("%s: population: a value is required, e.g. 40000"), element);
      return NULL;
    }

  MoaEdit *self = g_object_new (MOA_TYPE_EDIT, NULL);
  self->obligation_id = g_strdup (obligation != NULL ? element_id : NULL);
  Change change = { 0 };
  change.kind = CHANGE_COUNT;
  change.which = what;
  change.element = g_strdup (element_id);
  change.old_value = old_value ? moa_value_ref (old_value) : NULL;
  change.new_value = value ? moa_value_ref (value) : NULL;
  g_array_append_val (self->changes, change);
  if (value != NULL && other_value != NULL)
    {
      /* frequency and cases exclude each other: setting one removes the other. */
      Change other = { 0 };
      other.kind = CHANGE_COUNT;
      other.which = what == MOA_EDIT_FREQUENCY ? MOA_EDIT_CASES : MOA_EDIT_FREQUENCY;
      other.element = g_strdup (element_id);
      other.old_value = moa_value_ref (other_value);
      g_array_append_val (self->changes, other);
    }
  static const char *labels[]
      = { N_ ("population"), N_ ("frequency"), N_ ("cases per year"), N_ ("compliance") };
  self->label = g_strdup_printf (_ ("Change %s of “%s”"), _ (labels[what]), title);
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
  MoaNode *node = NULL;
  if (edit->node_id != NULL)
    {
      node = find_node (procedure, edit->obligation_id, edit->node_id,
                        branches ? MOA_NODE_XOR : MOA_NODE_ACTIVITY, error);
      if (node == NULL)
        return FALSE;
    }

  /* Find every parameter first, so that a missing one leaves the procedure unchanged. */
  g_autofree MoaParam **params = g_new0 (MoaParam *, edit->changes->len);
  g_autofree MoaValue ***slots = g_new0 (MoaValue **, edit->changes->len);
  for (guint i = 0; i < edit->changes->len; i++)
    {
      Change *change = &g_array_index (edit->changes, Change, i);
      if (change->kind == CHANGE_STRING || change->kind == CHANGE_COMPLEXITY)
        continue;
      if (change->kind == CHANGE_TARIFF)
        params[i] = &node->tariff;
      else if (change->kind == CHANGE_COUNT)
        {
          if (change->which == MOA_EDIT_POPULATION)
            {
              MoaSegment *segment = moa_procedure_get_segment (procedure, change->element);
              if (segment == NULL)
                {
                  g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID,
                               _ ("there is no segment \"%s\""), change->element);
                  return FALSE;
                }
              slots[i] = &segment->population;
              continue;
            }
          MoaObligation *obligation = moa_procedure_get_obligation (procedure, change->element);
          if (obligation == NULL)
            {
              g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID,
                           _ ("there is no obligation \"%s\""), change->element);
              return FALSE;
            }
          params[i] = change->which == MOA_EDIT_FREQUENCY ? &obligation->frequency
                      : change->which == MOA_EDIT_CASES   ? &obligation->cases
                                                          : &obligation->compliance;
        }
      else if (change->to == NULL)
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
      if (change->kind == CHANGE_STRING)
        {
          char **slot = change->which == MOA_EDIT_PERFORMER        ? &node->performer
                        : change->which == MOA_EDIT_TARIFF_PROFILE ? &node->tariff_profile
                                                                   : &node->standard;
          g_free (*slot);
          *slot = g_strdup (forward ? change->new_string : change->old_string);
        }
      else if (change->kind == CHANGE_COMPLEXITY)
        node->complexity = (MoaComplexity)(forward ? change->new_int : change->old_int);
      else if (slots[i] != NULL)
        {
          MoaValue *value = forward ? change->new_value : change->old_value;
          MoaValue *old = *slots[i];
          *slots[i] = value != NULL ? moa_value_ref (value) : NULL;
          if (old != NULL)
            moa_value_unref (old);
        }
      else
        set_param (params[i], forward ? change->new_value : change->old_value);
    }
  return TRUE;
}
