/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inspector of the selected activity, gateway or obligation and of the procedure's
 * target groups: boxed lists of entry and drop-down rows, each change an edit through the
 * undo stack, the core's message under a row whose value it refused. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-inspector.h"
#include "moa-ui-format.h"

typedef enum
{
  FIELD_PARAM,      /* entry: an activity's MoaEditField */
  FIELD_BRANCH,     /* entry: a branch probability */
  FIELD_COUNT,      /* entry: a MoaEditCount of an obligation or segment */
  FIELD_PERFORMER,  /* combo */
  FIELD_STANDARD,   /* combo */
  FIELD_COMPLEXITY, /* combo */
  FIELD_TARIFF,     /* combo: default, profiles, explicit */
  FIELD_COUNT_MODE, /* combo: frequency or cases */
} FieldKind;

#define EXPLICIT "explicit"

typedef struct
{
  MoaInspector *inspector; /* borrowed */
  char *key;
  FieldKind kind;
  MoaEditField field;
  MoaEditCount count;
  char *element;  /* FIELD_BRANCH: the target; FIELD_COUNT: the obligation or segment */
  GtkWidget *row; /* AdwEntryRow or AdwComboRow */
  GtkWidget *error_row;
  GtkLabel *error;
  GPtrArray *ids; /* combos: the id of each item, "" for none */
} Field;

struct _MoaInspector
{
  GtkWidget parent_instance;

  GtkWidget *box; /* rebuilt when the selection changes; the window scrolls it */
  MoaSelection *selection;
  MoaDocument *document;
  gulong changed_id;
  GHashTable *fields; /* key -> Field* */
  char *layout;       /* what the widgets were built for (see layout_key()) */
  gboolean updating;  /* setting the widgets from the model: not an edit */
  gboolean show_procedure;
  gboolean explicit_pending; /* "Explicit rate" chosen, no rate typed yet */
  int count_mode_pending;    /* -1, or the counting chosen before its value is typed */
  guint rebuild_id;
};

G_DEFINE_FINAL_TYPE (MoaInspector, moa_inspector, GTK_TYPE_WIDGET)

static void
rebuild (MoaInspector *self);

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->key);
  g_free (field->element);
  g_clear_pointer (&field->ids, g_ptr_array_unref);
  g_free (field);
}

static void
clear_document (MoaInspector *self)
{
  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_clear_object (&self->document);
}

static void
moa_inspector_dispose (GObject *object)
{
  MoaInspector *self = MOA_INSPECTOR (object);

  clear_document (self);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->layout, g_free);
  G_OBJECT_CLASS (moa_inspector_parent_class)->dispose (object);
}

static void
moa_inspector_class_init (MoaInspectorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = moa_inspector_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moa-inspector");
}

/* --- The model's side ------------------------------------------------------------------- */

static MoaProcedure *
procedure_of (MoaInspector *self)
{
  return self->document != NULL ? moa_document_get_procedure (self->document) : NULL;
}

static MoaNode *
selected_node (MoaInspector *self)
{
  MoaProcedure *procedure = procedure_of (self);
  return procedure != NULL ? moa_selection_get_node (self->selection, procedure) : NULL;
}

static MoaObligation *
selected_obligation (MoaInspector *self)
{
  MoaProcedure *procedure = procedure_of (self);
  const char *id = moa_selection_get_obligation_id (self->selection);
  return procedure != NULL && id != NULL ? moa_procedure_get_obligation (procedure, id) : NULL;
}

/* The value an entry shows (borrowed), or NULL. */
static MoaValue *
entry_value (MoaInspector *self, Field *field)
{
  MoaProcedure *procedure = procedure_of (self);
  MoaNode *node = selected_node (self);

  switch (field->kind)
    {
      case FIELD_PARAM:
        if (node == NULL)
          return NULL;
        switch (field->field)
          {
            case MOA_EDIT_TIME:
              return node->time.value;
            case MOA_EDIT_OUT_OF_POCKET:
              return node->out_of_pocket.value;
            case MOA_EDIT_BAU:
              return node->bau.value;
            case MOA_EDIT_FEE:
              return node->fee.value;
            case MOA_EDIT_TARIFF:
              return node->tariff.value;
            default:
              g_assert_not_reached ();
          }
      case FIELD_BRANCH:
        for (guint i = 0; node != NULL && node->branches != NULL && i < node->branches->len; i++)
          {
            MoaBranch *branch = g_ptr_array_index (node->branches, i);
            if (g_strcmp0 (branch->to, field->element) == 0)
              return branch->probability.value;
          }
        return NULL;
      case FIELD_COUNT:
        if (field->count == MOA_EDIT_POPULATION)
          {
            MoaSegment *segment = moa_procedure_get_segment (procedure, field->element);
            return segment != NULL ? segment->population : NULL;
          }
        else
          {
            MoaObligation *obligation = moa_procedure_get_obligation (procedure, field->element);
            if (obligation == NULL)
              return NULL;
            return field->count == MOA_EDIT_FREQUENCY ? obligation->frequency.value
                   : field->count == MOA_EDIT_CASES   ? obligation->cases.value
                                                      : obligation->compliance.value;
          }
      default:
        g_assert_not_reached ();
    }
}

/* The id a combo shows as chosen ("" for none). */
static const char *
combo_value (MoaInspector *self, Field *field)
{
  MoaNode *node = selected_node (self);
  MoaObligation *obligation = selected_obligation (self);

  switch (field->kind)
    {
      case FIELD_PERFORMER:
        return node != NULL && node->performer != NULL ? node->performer : "";
      case FIELD_STANDARD:
        return node != NULL && node->standard != NULL ? node->standard : "";
      case FIELD_COMPLEXITY:
        return node != NULL && node->complexity != MOA_COMPLEXITY_NONE
                   ? moa_complexity_to_string (node->complexity)
                   : "medium";
      case FIELD_TARIFF:
        if (node != NULL && node->tariff_profile != NULL)
          return node->tariff_profile;
        return node != NULL && (node->tariff.value != NULL || self->explicit_pending) ? EXPLICIT
                                                                                      : "";
      case FIELD_COUNT_MODE:
        if (self->count_mode_pending >= 0)
          return self->count_mode_pending == 1 ? "cases" : "frequency";
        return obligation != NULL && obligation->cases.value != NULL ? "cases" : "frequency";
      default:
        g_assert_not_reached ();
    }
}

/* What decides which rows exist and what their fixed texts say: when an edit changes it, the
 * inspector is rebuilt. */
static char *
layout_key (MoaInspector *self)
{
  MoaProcedure *procedure = procedure_of (self);
  MoaNode *node = selected_node (self);
  MoaObligation *obligation = selected_obligation (self);

  if (procedure == NULL)
    return g_strdup ("none");
  if (self->show_procedure || obligation == NULL)
    {
      /* The segments' shares are written beside their populations. */
      GString *s = g_string_new ("procedure");
      for (guint i = 0; i < procedure->target_groups->len; i++)
        {
          const MoaTargetGroup *group = g_ptr_array_index (procedure->target_groups, i);
          for (guint k = 0; k < group->segments->len; k++)
            {
              const MoaSegment *segment = g_ptr_array_index (group->segments, k);
              g_string_append_printf (s, " %s=%.17g", segment->id,
                                      moa_value_mean_or (segment->population, 0));
            }
        }
      return g_string_free (s, FALSE);
    }
  if (node != NULL && node->kind == MOA_NODE_ACTIVITY)
    /* The complexities follow the standard activity, their times the performer; the time's
     * note says when the standard time applies. */
    return g_strdup_printf ("activity %s/%s standard=%s performer=%s time=%d", obligation->id,
                            node->id, node->standard ? node->standard : "-",
                            node->performer ? node->performer : "-", node->time.value != NULL);
  return g_strdup_printf ("other %s/%s", obligation->id, node != NULL ? node->id : "-");
}

/* --- Messages under the rows ------------------------------------------------------------ */

static void
show_error (Field *field, const char *message)
{
  gtk_label_set_text (field->error, message);
  gtk_widget_set_visible (GTK_WIDGET (field->error), TRUE);
  gtk_widget_set_visible (field->error_row, TRUE);
  gtk_widget_add_css_class (field->row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID,
                               GTK_ACCESSIBLE_INVALID_TRUE, -1);
}

static void
hide_error (Field *field)
{
  gtk_label_set_text (field->error, "");
  gtk_widget_set_visible (GTK_WIDGET (field->error), FALSE);
  gtk_widget_set_visible (field->error_row, FALSE);
  gtk_widget_remove_css_class (field->row, "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_STATE_INVALID);
}

/* Executes @edit (NULL: refused with @error) through the undo stack; a refusal shows the
 * core's message under @field and changes nothing. */
static gboolean
execute (Field *field, MoaEdit *edit, GError *error)
{
  MoaInspector *self = field->inspector;
  g_autoptr (GError) local = error;

  if (edit == NULL
      || !moa_undo_stack_execute (moa_document_get_undo_stack (self->document), edit, &local))
    {
      show_error (field, local->message);
      return FALSE;
    }
  /* The field may be gone: a rebuild is only scheduled, never done here. */
  hide_error (field);
  return TRUE;
}

/* --- Putting the model in the widgets --------------------------------------------------- */

static void
set_combo (Field *field, const char *id)
{
  guint position = GTK_INVALID_LIST_POSITION;
  for (guint i = 0; i < field->ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (field->ids, i), id) == 0)
      position = i;
  if (adw_combo_row_get_selected (ADW_COMBO_ROW (field->row)) != position)
    adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), position);
}

static void
refresh_field (MoaInspector *self, Field *field)
{
  if (ADW_IS_COMBO_ROW (field->row))
    set_combo (field, combo_value (self, field));
  else
    {
      MoaValue *value = entry_value (self, field);
      g_autofree char *text = value != NULL ? moa_value_to_string (value) : NULL;
      gtk_editable_set_text (GTK_EDITABLE (field->row), text != NULL ? text : "");
    }
  hide_error (field);
}

static void
update_visibility (MoaInspector *self)
{
  Field *tariff = g_hash_table_lookup (self->fields, "tariff");
  Field *mode = g_hash_table_lookup (self->fields, "count");

  if (tariff != NULL)
    gtk_widget_set_visible (
        tariff->row,
        g_str_equal (combo_value (self, g_hash_table_lookup (self->fields, "tariff-profile")),
                     EXPLICIT));
  if (mode != NULL)
    {
      gboolean cases = g_str_equal (combo_value (self, mode), "cases");
      Field *frequency = g_hash_table_lookup (self->fields, "frequency");
      Field *count = g_hash_table_lookup (self->fields, "cases");
      gtk_widget_set_visible (frequency->row, !cases);
      gtk_widget_set_visible (count->row, cases);
      if (cases)
        hide_error (frequency);
      else
        hide_error (count);
    }
}

/* Puts the current values, as written, in the rows. */
static void
refresh (MoaInspector *self)
{
  GHashTableIter iter;
  Field *field;

  self->updating = TRUE;
  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&field))
    refresh_field (self, field);
  update_visibility (self);
  self->updating = FALSE;
}

static gboolean
rebuild_idle (gpointer data)
{
  MoaInspector *self = data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* After an edit (or its undo): the values change; when the rows that exist depend on them
 * (a standard activity's complexities), the inspector is rebuilt once the signal is over. */
static void
document_changed (MoaInspector *self)
{
  g_autofree char *layout = layout_key (self);

  self->explicit_pending = FALSE;
  self->count_mode_pending = -1;
  if (g_strcmp0 (layout, self->layout) != 0)
    {
      if (self->rebuild_id == 0)
        self->rebuild_id = g_idle_add (rebuild_idle, self);
      return;
    }
  refresh (self);
}

/* --- Applying what the analyst typed or chose ------------------------------------------- */

static void
entry_activated (Field *field)
{
  MoaInspector *self = field->inspector;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (field->row));
  GError *error = NULL;
  MoaEdit *edit = NULL;

  if (self->document == NULL)
    return;
  MoaProcedure *procedure = moa_document_get_procedure (self->document);
  const char *obligation = moa_selection_get_obligation_id (self->selection);
  const char *node = moa_selection_get_node_id (self->selection);
  switch (field->kind)
    {
      case FIELD_BRANCH:
        edit = moa_edit_new_branch_probability (procedure, obligation, node, field->element, text,
                                                &error);
        break;
      case FIELD_PARAM:
        if (field->field == MOA_EDIT_TARIFF && *text == '\0')
          {
            /* An empty rate would leave the activity on the model's default tariff, which
             * "Explicit rate" did not ask for: the default is a choice of its own. */
            show_error (field, _ ("Type a rate, e.g. 35 EUR/h, or choose a tariff profile"));
            return;
          }
        edit
            = moa_edit_new_activity_param (procedure, obligation, node, field->field, text, &error);
        break;
      case FIELD_COUNT:
        edit = moa_edit_new_count (procedure, field->count, field->element, text, &error);
        break;
      default:
        g_assert_not_reached ();
    }
  g_autoptr (MoaEdit) owned = edit;
  execute (field, edit, error);
}

static void
combo_changed (AdwComboRow *row, GParamSpec *pspec, Field *field)
{
  MoaInspector *self = field->inspector;
  guint position = adw_combo_row_get_selected (row);

  if (self->updating || self->document == NULL || position >= field->ids->len)
    return;
  const char *chosen = g_ptr_array_index (field->ids, position);
  const char *id = *chosen != '\0' ? chosen : NULL;
  if (g_strcmp0 (chosen, combo_value (self, field)) == 0)
    return;

  MoaProcedure *procedure = moa_document_get_procedure (self->document);
  const char *obligation = moa_selection_get_obligation_id (self->selection);
  const char *node_id = moa_selection_get_node_id (self->selection);
  MoaNode *node = selected_node (self);
  GError *error = NULL;
  MoaEdit *edit = NULL;

  switch (field->kind)
    {
      case FIELD_PERFORMER:
        edit = moa_edit_new_activity_ref (procedure, obligation, node_id, MOA_EDIT_PERFORMER, id,
                                          &error);
        break;
      case FIELD_STANDARD:
        edit = moa_edit_new_standard (procedure, obligation, node_id, id, node->complexity, &error);
        break;
      case FIELD_COMPLEXITY:
        {
          MoaComplexity complexity = MOA_COMPLEXITY_MEDIUM;
          moa_complexity_from_string (chosen, &complexity);
          edit = moa_edit_new_standard (procedure, obligation, node_id, node->standard, complexity,
                                        &error);
        }
        break;
      case FIELD_TARIFF:
        if (g_strcmp0 (chosen, EXPLICIT) == 0)
          {
            /* Nothing changes until a rate is typed. */
            self->explicit_pending = TRUE;
            update_visibility (self);
            Field *rate = g_hash_table_lookup (self->fields, "tariff");
            gtk_widget_grab_focus (rate->row);
            return;
          }
        self->explicit_pending = FALSE;
        if (id == NULL && node->tariff_profile == NULL)
          /* From an explicit rate to the model's default: remove the rate. */
          edit = moa_edit_new_activity_param (procedure, obligation, node_id, MOA_EDIT_TARIFF, "",
                                              &error);
        else
          edit = moa_edit_new_activity_ref (procedure, obligation, node_id, MOA_EDIT_TARIFF_PROFILE,
                                            id, &error);
        break;
      case FIELD_COUNT_MODE:
        /* Nothing changes until the count is typed; setting it removes the other. */
        self->count_mode_pending = g_str_equal (chosen, "cases");
        update_visibility (self);
        return;
      default:
        g_assert_not_reached ();
    }
  g_autoptr (MoaEdit) owned = edit;
  if (!execute (field, edit, error))
    {
      /* Refused: the drop-down goes back to what the procedure says, the message stays. */
      g_autofree char *message = g_strdup (gtk_label_get_text (field->error));
      self->updating = TRUE;
      set_combo (field, combo_value (self, field));
      self->updating = FALSE;
      show_error (field, message);
    }
}

/* --- Building the rows ------------------------------------------------------------------ */

static GtkWidget *
wrapped_label (const char *text, const char *css1, const char *css2)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css1 != NULL)
    gtk_widget_add_css_class (label, css1);
  if (css2 != NULL)
    gtk_widget_add_css_class (label, css2);
  return label;
}

/* A row of the boxed list holding a caption (a note, or the core's message). */
static GtkWidget *
caption_row (GtkWidget *label)
{
  GtkWidget *row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  return row;
}

static Field *
new_field (MoaInspector *self, AdwPreferencesGroup *group, const char *key, FieldKind kind,
           GtkWidget *row, const char *note)
{
  Field *field = g_new0 (Field, 1);
  field->inspector = self;
  field->key = g_strdup (key);
  field->kind = kind;
  field->row = row;
  gtk_widget_set_name (row, key);
  adw_preferences_group_add (group, row);
  if (note != NULL && *note != '\0')
    adw_preferences_group_add (group, caption_row (wrapped_label (note, "caption", "dim-label")));

  field->error = GTK_LABEL (wrapped_label (NULL, "caption", "error"));
  gtk_label_set_selectable (field->error, TRUE);
  field->error_row = caption_row (GTK_WIDGET (field->error));
  gtk_widget_set_visible (field->error_row, FALSE);
  adw_preferences_group_add (group, field->error_row);
  g_hash_table_insert (self->fields, field->key, field);
  return field;
}

static Field *
add_entry (MoaInspector *self, AdwPreferencesGroup *group, const char *key, FieldKind kind,
           const char *title, const char *tooltip, const char *note)
{
  GtkWidget *row = adw_entry_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (row, tooltip);
  Field *field = new_field (self, group, key, kind, row, note);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (entry_activated), field);
  return field;
}

/* A drop-down of @titles (NULL-terminated), whose items stand for @ids ("" for none). */
static Field *
add_combo (MoaInspector *self, AdwPreferencesGroup *group, const char *key, FieldKind kind,
           const char *title, GPtrArray *ids, GPtrArray *titles, const char *note)
{
  GtkWidget *row = adw_combo_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_ptr_array_add (titles, NULL);
  g_autoptr (GtkStringList) model = gtk_string_list_new ((const char *const *)titles->pdata);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  Field *field = new_field (self, group, key, kind, row, note);
  field->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (field->ids, g_strdup (g_ptr_array_index (ids, i)));
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_changed), field);
  return field;
}

static AdwPreferencesGroup *
add_group (MoaInspector *self, const char *title, const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();
  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (GTK_BOX (self->box), group);
  return ADW_PREFERENCES_GROUP (group);
}

static void
heading (MoaInspector *self, const char *title, const char *subtitle)
{
  gtk_box_append (GTK_BOX (self->box), wrapped_label (title, "title-3", NULL));
  if (subtitle != NULL)
    gtk_box_append (GTK_BOX (self->box), wrapped_label (subtitle, "dim-label", NULL));
}

static void
procedure_clicked (MoaInspector *self)
{
  moa_inspector_show_procedure (self);
}

static void
back_clicked (MoaInspector *self)
{
  self->show_procedure = FALSE;
  rebuild (self);
}

static void
nav_button (MoaInspector *self, const char *label, const char *tooltip, GCallback callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_swapped (button, "clicked", callback, self);
  gtk_box_append (GTK_BOX (self->box), button);
}

/* "For “large”: 45 min (edited in the file)" for each per-segment override of @param. */
static void
append_overrides (GString *s, const MoaProcedure *procedure, const MoaParam *param)
{
  for (guint i = 0; param->per_segment != NULL && i < param->per_segment->len; i++)
    {
      const MoaSegmentValue *sv = g_ptr_array_index (param->per_segment, i);
      const MoaSegment *segment = moa_procedure_get_segment (procedure, sv->segment);
      g_autofree char *value
          = sv->value != NULL ? moa_value_to_string (sv->value) : g_strdup (sv->profile);
      if (s->len > 0)
        g_string_append_c (s, '\n');
      /* TRANSLATORS: a value that replaces the one above for one segment of a target group */
      g_string_append_printf (s, _ ("For “%s”: %s (edited in the file)"),
                              segment != NULL
                                  ? moa_title_get (&segment->title, moa_ui_get_lang (), segment->id)
                                  : sv->segment,
                              value);
    }
}

static char *
overrides (const MoaProcedure *procedure, const MoaParam *param, const char *first)
{
  GString *s = g_string_new (first);
  append_overrides (s, procedure, param);
  return g_string_free (s, FALSE);
}

static const char *
complexity_title (MoaComplexity c)
{
  switch (c)
    {
      case MOA_COMPLEXITY_SIMPLE:
        return _ ("Simple");
      case MOA_COMPLEXITY_MEDIUM:
        return _ ("Medium");
      default:
        return _ ("High");
    }
}

/* The standard time table that applies to @node: citizens' when the addressee performs it
 * and the obligation's first addressee group is of citizens, else businesses' (the cost model
 * format: business, administration and external performers share it). */
static MoaValue *const *
time_table (const MoaProcedure *procedure, const MoaObligation *obligation, const MoaNode *node,
            const MoaStandardActivity *activity)
{
  const MoaTargetGroup *performer = NULL;
  if (node->performer == NULL && obligation->target_groups != NULL
      && obligation->target_groups[0] != NULL)
    performer = moa_procedure_get_target_group (procedure, obligation->target_groups[0]);
  else if (node->performer != NULL)
    performer = moa_procedure_get_target_group (procedure, node->performer);
  return performer != NULL && performer->kind == MOA_TARGET_CITIZEN ? activity->citizen_time
                                                                    : activity->business_time;
}

static void
build_activity (MoaInspector *self, const MoaProcedure *procedure, MoaObligation *obligation,
                MoaNode *node)
{
  const char *lang = moa_ui_get_lang ();
  MoaCostModel *model = moa_document_get_model (self->document);
  g_autofree char *subtitle
      = g_strdup_printf (_ ("Activity “%s” of “%s”"), node->id,
                         moa_title_get (&obligation->title, lang, obligation->id));
  heading (self, moa_title_get (&node->title, lang, node->id), subtitle);
  nav_button (self, _ ("_Procedure…"), _ ("Target groups, segments and populations"),
              G_CALLBACK (procedure_clicked));

  /* Who does it and how the model prices it. */
  AdwPreferencesGroup *who = add_group (self, _ ("Performer and Cost Model"), NULL);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (ids, g_strdup (""));
  g_ptr_array_add (titles, g_strdup (_ ("The addressee")));
  g_ptr_array_add (ids, g_strdup ("external"));
  g_ptr_array_add (titles, g_strdup (_ ("An external professional")));
  for (guint i = 0; i < procedure->target_groups->len; i++)
    {
      const MoaTargetGroup *group = g_ptr_array_index (procedure->target_groups, i);
      g_ptr_array_add (ids, g_strdup (group->id));
      g_ptr_array_add (titles, g_strdup (moa_title_get (&group->title, lang, group->id)));
    }
  add_combo (self, who, "performer", FIELD_PERFORMER, _ ("Performer"), ids, titles, NULL);

  g_ptr_array_set_size (ids, 0);
  g_ptr_array_set_size (titles, 0);
  g_ptr_array_add (ids, g_strdup (""));
  g_ptr_array_add (titles, g_strdup (_ ("None: the time is given")));
  for (guint i = 0; i < model->standard_activities->len; i++)
    {
      const MoaStandardActivity *a = g_ptr_array_index (model->standard_activities, i);
      g_ptr_array_add (ids, g_strdup (a->id));
      g_ptr_array_add (titles, g_strdup (moa_title_get (&a->title, lang, a->id)));
    }
  add_combo (self, who, "standard", FIELD_STANDARD, _ ("Standard activity"), ids, titles, NULL);

  const MoaStandardActivity *activity
      = node->standard != NULL ? moa_cost_model_get_activity (model, node->standard) : NULL;
  if (activity != NULL)
    {
      /* The complexities the model gives a time for, with that time. */
      MoaValue *const *table = time_table (procedure, obligation, node, activity);
      g_ptr_array_set_size (ids, 0);
      g_ptr_array_set_size (titles, 0);
      for (MoaComplexity c = MOA_COMPLEXITY_SIMPLE; c <= MOA_COMPLEXITY_HIGH; c++)
        {
          MoaValue *time = table[c] != NULL                     ? table[c]
                           : activity->business_time[c] != NULL ? activity->business_time[c]
                                                                : activity->citizen_time[c];
          if (time == NULL && c != node->complexity)
            continue;
          g_autofree char *t = time != NULL ? moa_value_to_string (time) : g_strdup ("—");
          g_ptr_array_add (ids, g_strdup (moa_complexity_to_string (c)));
          /* TRANSLATORS: a complexity and the cost model's standard time for it */
          g_ptr_array_add (titles, g_strdup_printf (_ ("%s · %s"), complexity_title (c), t));
        }
      add_combo (self, who, "complexity", FIELD_COMPLEXITY, _ ("Complexity"), ids, titles, NULL);
    }

  g_ptr_array_set_size (ids, 0);
  g_ptr_array_set_size (titles, 0);
  g_ptr_array_add (ids, g_strdup (""));
  g_ptr_array_add (titles, g_strdup (_ ("The cost model's default")));
  for (guint i = 0; i < model->tariffs->len; i++)
    {
      const MoaTariffProfile *t = g_ptr_array_index (model->tariffs, i);
      g_autofree char *rate = t->rate != NULL ? moa_value_to_string (t->rate) : g_strdup ("—");
      g_ptr_array_add (ids, g_strdup (t->id));
      /* TRANSLATORS: a tariff profile of the cost model and its rate */
      g_ptr_array_add (
          titles, g_strdup_printf (_ ("%s · %s"), moa_title_get (&t->title, lang, t->id), rate));
    }
  g_ptr_array_add (ids, g_strdup (EXPLICIT));
  g_ptr_array_add (titles, g_strdup (_ ("Explicit rate")));
  g_autofree char *tariff_note = overrides (procedure, &node->tariff, NULL);
  add_combo (self, who, "tariff-profile", FIELD_TARIFF, _ ("Tariff"), ids, titles, tariff_note);
  Field *rate = add_entry (self, who, "tariff", FIELD_PARAM, _ ("Rate"),
                           _ ("An hourly rate: “35 EUR/h”, “280 EUR/day”"), NULL);
  rate->field = MOA_EDIT_TARIFF;

  /* What one execution takes and costs. */
  AdwPreferencesGroup *costs
      = add_group (self, _ ("Per Execution"),
                   _ ("A value or a distribution: “30 min”, “1.5 h”, “triangular(20, 30, 60) min”, "
                      "“16 EUR”, “25 %”"));
  g_autofree char *standard_note = NULL;
  if (activity != NULL && node->time.value == NULL)
    standard_note = g_strdup_printf (_ ("Empty: the standard time of “%s” in the cost model"),
                                     moa_title_get (&activity->title, lang, activity->id));
  g_autofree char *time_note = overrides (procedure, &node->time, standard_note);
  Field *f = add_entry (self, costs, "time", FIELD_PARAM, _ ("Time"),
                        _ ("A value or a distribution: “30 min”, “1.5 h”, "
                           "“triangular(20, 30, 60) min”"),
                        time_note);
  f->field = MOA_EDIT_TIME;
  g_autofree char *oop_note = overrides (procedure, &node->out_of_pocket, NULL);
  f = add_entry (self, costs, "out-of-pocket", FIELD_PARAM, _ ("Out-of-pocket costs"),
                 _ ("Stamps, fees, travel, copies: “16 EUR”"), oop_note);
  f->field = MOA_EDIT_OUT_OF_POCKET;
  g_autofree char *fee_note = overrides (procedure, &node->fee, NULL);
  f = add_entry (self, costs, "fee", FIELD_PARAM, _ ("External fee"),
                 _ ("What an external professional charges per execution besides the time: "
                    "“150 EUR”"),
                 fee_note);
  f->field = MOA_EDIT_FEE;
  g_autofree char *bau_note = overrides (procedure, &node->bau, NULL);
  f = add_entry (self, costs, "bau", FIELD_PARAM, _ ("Business-as-usual share"),
                 _ ("Share a business would bear anyway: “25 %” or “0.25”"), bau_note);
  f->field = MOA_EDIT_BAU;
}

static void
build_gateway (MoaInspector *self, const MoaProcedure *procedure, MoaObligation *obligation,
               MoaNode *node)
{
  const char *lang = moa_ui_get_lang ();

  if (node->kind != MOA_NODE_XOR)
    {
      heading (self, moa_title_get (&node->title, lang, node->id),
               _ ("Parallel gateway: every branch is taken"));
      nav_button (self, _ ("_Procedure…"), _ ("Target groups, segments and populations"),
                  G_CALLBACK (procedure_clicked));
      return;
    }
  g_autofree char *subtitle
      = g_strdup_printf (_ ("Exclusive gateway “%s”: one branch, by probability"), node->id);
  heading (self, moa_title_get (&node->title, lang, node->id), subtitle);
  nav_button (self, _ ("_Procedure…"), _ ("Target groups, segments and populations"),
              G_CALLBACK (procedure_clicked));
  AdwPreferencesGroup *group
      = add_group (self, _ ("Branch Probabilities"),
                   _ ("A probability: “0.3” or “30 %”; the others follow so that they sum to 1"));
  for (guint i = 0; i < node->branches->len; i++)
    {
      MoaBranch *branch = g_ptr_array_index (node->branches, i);
      const MoaNode *to = moa_obligation_get_node (obligation, branch->to);
      const char *title = to != NULL ? moa_title_get (&to->title, lang, to->id) : branch->to;
      if (branch->is_default)
        {
          GtkWidget *row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       _ ("Default branch: 1 minus the other branches"));
          adw_preferences_group_add (group, row);
          continue;
        }
      g_autofree char *key = g_strdup_printf ("branch:%s", branch->to);
      g_autofree char *note = overrides (procedure, &branch->probability, NULL);
      Field *field = add_entry (self, group, key, FIELD_BRANCH, title, NULL, note);
      field->element = g_strdup (branch->to);
    }
}

static void
build_obligation (MoaInspector *self, const MoaProcedure *procedure, MoaObligation *obligation)
{
  const char *lang = moa_ui_get_lang ();
  g_autofree char *subtitle
      = g_strdup_printf (obligation->one_off ? _ ("Obligation “%s”, fulfilled once")
                                             : _ ("Obligation “%s”, recurring"),
                         obligation->id);
  heading (self, moa_title_get (&obligation->title, lang, obligation->id), subtitle);
  nav_button (self, _ ("_Procedure…"), _ ("Target groups, segments and populations"),
              G_CALLBACK (procedure_clicked));

  AdwPreferencesGroup *group = add_group (
      self, _ ("How Many Cases"),
      _ ("Cases per year of a segment: population × frequency × compliance, or the cases shared "
         "by population × compliance"));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (ids, g_strdup ("frequency"));
  g_ptr_array_add (titles, g_strdup (_ ("Frequency per addressee")));
  g_ptr_array_add (ids, g_strdup ("cases"));
  g_ptr_array_add (titles, g_strdup (_ ("Total cases per year")));
  add_combo (self, group, "count", FIELD_COUNT_MODE, _ ("Counted by"), ids, titles, NULL);

  g_autofree char *frequency_note = overrides (procedure, &obligation->frequency, NULL);
  Field *f
      = add_entry (self, group, "frequency", FIELD_COUNT,
                   obligation->one_off ? _ ("Executions per addressee")
                                       : _ ("Executions per addressee per year"),
                   _ ("Fractions are allowed: “0.2” is once every five years"), frequency_note);
  f->count = MOA_EDIT_FREQUENCY;
  f->element = g_strdup (obligation->id);
  g_autofree char *cases_note = overrides (procedure, &obligation->cases, NULL);
  f = add_entry (self, group, "cases", FIELD_COUNT,
                 obligation->one_off ? _ ("Cases in all") : _ ("Cases per year"),
                 _ ("Shared among the segments in proportion to their population"), cases_note);
  f->count = MOA_EDIT_CASES;
  f->element = g_strdup (obligation->id);
  g_autofree char *compliance_note
      = overrides (procedure, &obligation->compliance, _ ("Empty: every case complies (1)"));
  f = add_entry (self, group, "compliance", FIELD_COUNT, _ ("Compliance share"),
                 _ ("Share of the cases that comply: “0.9” or “90 %”"), compliance_note);
  f->count = MOA_EDIT_COMPLIANCE;
  f->element = g_strdup (obligation->id);
}

static const char *
kind_title (MoaTargetKind kind)
{
  switch (kind)
    {
      case MOA_TARGET_CITIZEN:
        return _ ("Citizens");
      case MOA_TARGET_BUSINESS:
        return _ ("Businesses");
      default:
        return _ ("Administration");
    }
}

static void
obligation_activated (GtkWidget *row, MoaInspector *self)
{
  self->show_procedure = FALSE;
  moa_selection_select (self->selection, gtk_widget_get_name (row), NULL);
  rebuild (self);
}

static void
build_procedure (MoaInspector *self, const MoaProcedure *procedure)
{
  const char *lang = moa_ui_get_lang ();

  heading (self, moa_title_get (&procedure->title, lang, procedure->id),
           _ ("Target groups and their segments"));
  if (moa_selection_get_obligation_id (self->selection) != NULL)
    nav_button (self, _ ("_Back to the Selection"), _ ("Show the selected element again"),
                G_CALLBACK (back_clicked));
  for (guint i = 0; i < procedure->target_groups->len; i++)
    {
      const MoaTargetGroup *group = g_ptr_array_index (procedure->target_groups, i);
      double population = 0;
      for (guint k = 0; k < group->segments->len; k++)
        population += moa_value_mean_or (
            ((MoaSegment *)g_ptr_array_index (group->segments, k))->population, 0);
      g_autofree char *n = moa_format_number (population, 0, TRUE);
      /* TRANSLATORS: a target group's kind and population, e.g. "Businesses · 100,000" */
      g_autofree char *description
          = g_strdup_printf (_ ("%s · population %s"), kind_title (group->kind), n);
      AdwPreferencesGroup *box
          = add_group (self, moa_title_get (&group->title, lang, group->id), description);
      for (guint k = 0; k < group->segments->len; k++)
        {
          const MoaSegment *segment = g_ptr_array_index (group->segments, k);
          g_autofree char *key = g_strdup_printf ("population:%s", segment->id);
          g_autofree char *title = NULL;
          if (segment->implicit)
            title = g_strdup (_ ("Population"));
          else
            /* TRANSLATORS: the population of a segment of a target group */
            title = g_strdup_printf (_ ("Population of “%s”"),
                                     moa_title_get (&segment->title, lang, segment->id));
          Field *field = add_entry (self, box, key, FIELD_COUNT, title,
                                    _ ("Entities concerned: people or firms, e.g. “40000”"), NULL);
          field->count = MOA_EDIT_POPULATION;
          field->element = g_strdup (segment->id);
          if (group->segments->len > 1 && population > 0)
            {
              /* The segment's share of its group, from the populations as typed. */
              g_autofree char *share = moa_format_number (
                  100 * moa_value_mean_or (segment->population, 0) / population, 1, TRUE);
              g_autofree char *text = g_strdup_printf (_ ("%s %%"), share);
              GtkWidget *label = gtk_label_new (text);
              gtk_widget_add_css_class (label, "dim-label");
              gtk_widget_add_css_class (label, "numeric");
              gtk_widget_set_tooltip_text (label, _ ("Share of the target group's population"));
              adw_entry_row_add_suffix (ADW_ENTRY_ROW (field->row), label);
            }
        }
    }

  AdwPreferencesGroup *obligations
      = add_group (self, _ ("Obligations"), _ ("Choose one to edit its frequency or cases"));
  for (guint i = 0; i < procedure->obligations->len; i++)
    {
      const MoaObligation *obligation = g_ptr_array_index (procedure->obligations, i);
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     moa_title_get (&obligation->title, lang, obligation->id));
      gtk_widget_set_name (row, obligation->id);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_signal_connect (row, "activated", G_CALLBACK (obligation_activated), self);
      adw_preferences_group_add (obligations, row);
    }
}

static void
rebuild (MoaInspector *self)
{
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_hash_table_remove_all (self->fields);
  g_clear_pointer (&self->layout, g_free);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (self->box, 18);
  gtk_widget_set_margin_end (self->box, 18);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  MoaProcedure *procedure = procedure_of (self);
  if (procedure == NULL)
    {
      GtkWidget *status = adw_status_page_new ();
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-edit-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _ ("No Procedure"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status), _ ("Open a procedure to edit it"));
      gtk_widget_add_css_class (status, "compact");
      gtk_box_append (GTK_BOX (self->box), status);
      self->layout = layout_key (self);
      return;
    }
  MoaObligation *obligation = selected_obligation (self);
  MoaNode *node = selected_node (self);
  if (self->show_procedure || obligation == NULL)
    build_procedure (self, procedure);
  else if (node != NULL && node->kind == MOA_NODE_ACTIVITY)
    build_activity (self, procedure, obligation, node);
  else if (node != NULL && node->kind != MOA_NODE_START && node->kind != MOA_NODE_END)
    build_gateway (self, procedure, obligation, node);
  else
    build_obligation (self, procedure, obligation);
  self->layout = layout_key (self);
  refresh (self);
}

static void
selection_changed (MoaInspector *self)
{
  self->show_procedure = FALSE;
  self->explicit_pending = FALSE;
  self->count_mode_pending = -1;
  rebuild (self);
}

static void
moa_inspector_init (MoaInspector *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, field_free);
  self->count_mode_pending = -1;
}

GtkWidget *
moa_inspector_new (MoaSelection *selection)
{
  g_return_val_if_fail (MOA_IS_SELECTION (selection), NULL);

  MoaInspector *self = g_object_new (MOA_TYPE_INSPECTOR, NULL);
  self->selection = g_object_ref (selection);
  g_signal_connect_swapped (selection, "changed", G_CALLBACK (selection_changed), self);
  rebuild (self);
  return GTK_WIDGET (self);
}

void
moa_inspector_set_document (MoaInspector *self, MoaDocument *document)
{
  g_return_if_fail (MOA_IS_INSPECTOR (self));
  g_return_if_fail (document == NULL || MOA_IS_DOCUMENT (document));

  clear_document (self);
  if (document != NULL)
    {
      self->document = g_object_ref (document);
      self->changed_id
          = g_signal_connect_swapped (document, "changed", G_CALLBACK (document_changed), self);
    }
  selection_changed (self);
}

void
moa_inspector_show_procedure (MoaInspector *self)
{
  g_return_if_fail (MOA_IS_INSPECTOR (self));

  self->show_procedure = TRUE;
  rebuild (self);
}

GtkEditable *
moa_inspector_get_entry (MoaInspector *self, const char *key)
{
  g_return_val_if_fail (MOA_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  Field *field = g_hash_table_lookup (self->fields, key);
  return field != NULL && ADW_IS_ENTRY_ROW (field->row) ? GTK_EDITABLE (field->row) : NULL;
}

AdwComboRow *
moa_inspector_get_combo (MoaInspector *self, const char *key)
{
  g_return_val_if_fail (MOA_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  Field *field = g_hash_table_lookup (self->fields, key);
  return field != NULL && ADW_IS_COMBO_ROW (field->row) ? ADW_COMBO_ROW (field->row) : NULL;
}

int
moa_inspector_find_choice (MoaInspector *self, const char *key, const char *id)
{
  g_return_val_if_fail (MOA_IS_INSPECTOR (self), -1);
  g_return_val_if_fail (key != NULL, -1);

  Field *field = g_hash_table_lookup (self->fields, key);
  if (field == NULL || field->ids == NULL)
    return -1;
  for (guint i = 0; i < field->ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (field->ids, i), id != NULL ? id : "") == 0)
      return (int)i;
  return -1;
}

GtkLabel *
moa_inspector_get_error_label (MoaInspector *self, const char *key)
{
  g_return_val_if_fail (MOA_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  Field *field = g_hash_table_lookup (self->fields, key);
  return field != NULL ? field->error : NULL;
}
