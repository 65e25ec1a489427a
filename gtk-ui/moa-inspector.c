/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inspector of the selected activity or gateway: one entry per editable value, the core's
 * message under an entry whose value it refused. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "moa-inspector.h"
#include "moa-ui-format.h"

typedef struct
{
  MoaInspector *inspector; /* borrowed */
  char *key;
  MoaEditField field; /* activities */
  char *branch_to;    /* gateways: the branch target */
  GtkEntry *entry;
  GtkLabel *error;
} Field;

struct _MoaInspector
{
  GtkWidget parent_instance;

  GtkWidget *box; /* rebuilt when the selection changes; the window scrolls it */
  MoaSelection *selection;
  MoaDocument *document;
  gulong changed_id;
  GHashTable *fields; /* key -> Field* */
};

G_DEFINE_FINAL_TYPE (MoaInspector, moa_inspector, GTK_TYPE_WIDGET)

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->key);
  g_free (field->branch_to);
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
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->fields, g_hash_table_unref);
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

static void
show_error (Field *field, const char *message)
{
  gtk_label_set_text (field->error, message);
  gtk_widget_set_visible (GTK_WIDGET (field->error), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (field->entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (field->entry), GTK_ACCESSIBLE_STATE_INVALID,
                               GTK_ACCESSIBLE_INVALID_TRUE, -1);
}

static void
hide_error (Field *field)
{
  gtk_label_set_text (field->error, "");
  gtk_widget_set_visible (GTK_WIDGET (field->error), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (field->entry), "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (field->entry), GTK_ACCESSIBLE_STATE_INVALID);
}

static MoaParam *
field_param (MoaInspector *self, Field *field)
{
  MoaNode *node
      = moa_selection_get_node (self->selection, moa_document_get_procedure (self->document));

  if (node == NULL)
    return NULL;
  if (field->branch_to != NULL)
    {
      for (guint i = 0; node->branches != NULL && i < node->branches->len; i++)
        {
          MoaBranch *branch = g_ptr_array_index (node->branches, i);
          if (g_strcmp0 (branch->to, field->branch_to) == 0)
            return &branch->probability;
        }
      return NULL;
    }
  switch (field->field)
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

/* Puts the current values, as written, in the entries. */
static void
refresh (MoaInspector *self)
{
  GHashTableIter iter;
  Field *field;

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&field))
    {
      MoaParam *param = field_param (self, field);
      g_autofree char *text
          = param != NULL && param->value != NULL ? moa_value_to_string (param->value) : NULL;
      gtk_editable_set_text (GTK_EDITABLE (field->entry), text != NULL ? text : "");
      hide_error (field);
    }
}

static void
entry_activated (GtkEntry *entry, gpointer user_data)
{
  Field *field = user_data;
  MoaInspector *self = field->inspector;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaEdit) edit = NULL;

  if (self->document == NULL)
    return;
  MoaProcedure *procedure = moa_document_get_procedure (self->document);
  const char *obligation = moa_selection_get_obligation_id (self->selection);
  const char *node = moa_selection_get_node_id (self->selection);
  if (field->branch_to != NULL)
    edit = moa_edit_new_branch_probability (procedure, obligation, node, field->branch_to, text,
                                            &error);
  else
    edit = moa_edit_new_activity_param (procedure, obligation, node, field->field, text, &error);

  /* Not applied when refused: the message stays under the entry, the model is unchanged. */
  if (edit == NULL
      || !moa_undo_stack_execute (moa_document_get_undo_stack (self->document), edit, &error))
    {
      show_error (field, error->message);
      return;
    }
  hide_error (field);
}

static Field *
add_field (MoaInspector *self, GtkBox *box, const char *key, const char *title, gboolean mnemonic,
           const char *hint, const char *placeholder)
{
  Field *field = g_new0 (Field, 1);
  field->inspector = self;
  field->key = g_strdup (key);

  /* Fixed titles carry a mnemonic; titles built from the procedure's text must not. */
  GtkWidget *label = gtk_label_new (NULL);
  if (mnemonic)
    gtk_label_set_text_with_mnemonic (GTK_LABEL (label), title);
  else
    gtk_label_set_text (GTK_LABEL (label), title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  gtk_box_append (box, label);

  field->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (field->entry), key);
  if (placeholder != NULL)
    gtk_entry_set_placeholder_text (field->entry, placeholder);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (field->entry));
  g_signal_connect (field->entry, "activate", G_CALLBACK (entry_activated), field);
  gtk_box_append (box, GTK_WIDGET (field->entry));

  field->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (field->error, 0);
  gtk_label_set_wrap (field->error, TRUE);
  gtk_label_set_wrap_mode (field->error, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (field->error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (field->error), "error");
  gtk_widget_add_css_class (GTK_WIDGET (field->error), "caption");
  gtk_widget_set_visible (GTK_WIDGET (field->error), FALSE);
  gtk_box_append (box, GTK_WIDGET (field->error));

  if (hint != NULL)
    {
      GtkWidget *h = gtk_label_new (hint);
      gtk_label_set_xalign (GTK_LABEL (h), 0);
      gtk_label_set_wrap (GTK_LABEL (h), TRUE);
      gtk_widget_add_css_class (h, "dim-label");
      gtk_widget_add_css_class (h, "caption");
      gtk_box_append (box, h);
    }
  g_hash_table_insert (self->fields, field->key, field);
  return field;
}

/* "Also: 45 min for “large”" when the value is overridden per segment. */
static char *
overrides_hint (const MoaProcedure *procedure, const MoaParam *param, const char *hint)
{
  if (param->per_segment == NULL || param->per_segment->len == 0)
    return g_strdup (hint);
  GString *s = g_string_new (hint);
  for (guint i = 0; i < param->per_segment->len; i++)
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
  return g_string_free (s, FALSE);
}

static void
heading (GtkBox *box, const char *title, const char *subtitle)
{
  GtkWidget *label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "title-3");
  gtk_box_append (box, label);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_box_append (box, sub);
    }
}

static void
build_activity (MoaInspector *self, GtkBox *box, const MoaProcedure *procedure, MoaNode *node)
{
  const char *lang = moa_ui_get_lang ();
  g_autofree char *performer = NULL;

  if (node->performer == NULL)
    performer = g_strdup (_ ("Performed by the addressee"));
  else if (g_strcmp0 (node->performer, "external") == 0)
    performer = g_strdup (_ ("Performed by an external professional"));
  else
    {
      const MoaTargetGroup *group = moa_procedure_get_target_group (procedure, node->performer);
      performer = g_strdup_printf (_ ("Performed by “%s”"),
                                   group != NULL ? moa_title_get (&group->title, lang, group->id)
                                                 : node->performer);
    }
  g_autofree char *subtitle = g_strdup_printf (_ ("Activity “%s” · %s"), node->id, performer);
  heading (box, moa_title_get (&node->title, lang, node->id), subtitle);

  g_autofree char *standard = NULL;
  if (node->standard != NULL)
    standard = g_strdup_printf (
        _ ("Empty: the standard time of “%s” (%s) in the cost model"), node->standard,
        moa_complexity_to_string (node->complexity) ? moa_complexity_to_string (node->complexity)
                                                    : "-");
  g_autofree char *time_hint = overrides_hint (
      procedure, &node->time,
      _ ("A value or a distribution: “30 min”, “1.5 h”, “triangular(20, 30, 60) min”"));
  add_field (self, box, "time", _ ("_Time per execution"), TRUE, time_hint, standard);
  g_autofree char *oop_hint
      = overrides_hint (procedure, &node->out_of_pocket, _ ("Stamps, fees, travel: “16 EUR”"));
  add_field (self, box, "out-of-pocket", _ ("_Out-of-pocket costs per execution"), TRUE, oop_hint,
             _ ("None"));
  g_autofree char *bau_hint = overrides_hint (
      procedure, &node->bau, _ ("Share a business would bear anyway: “25 %” or “0.25”"));
  add_field (self, box, "bau", _ ("_Business-as-usual share"), TRUE, bau_hint, _ ("None"));
  for (guint i = 0; i < 3; i++)
    {
      static const char *keys[] = { "time", "out-of-pocket", "bau" };
      static const MoaEditField fields[] = { MOA_EDIT_TIME, MOA_EDIT_OUT_OF_POCKET, MOA_EDIT_BAU };
      ((Field *)g_hash_table_lookup (self->fields, keys[i]))->field = fields[i];
    }
}

static void
build_gateway (MoaInspector *self, GtkBox *box, const MoaProcedure *procedure,
               const MoaObligation *obligation, MoaNode *node)
{
  const char *lang = moa_ui_get_lang ();

  if (node->kind != MOA_NODE_XOR)
    {
      heading (box, moa_title_get (&node->title, lang, node->id),
               _ ("Parallel gateway: every branch is taken"));
      return;
    }
  g_autofree char *subtitle
      = g_strdup_printf (_ ("Exclusive gateway “%s”: one branch, by probability"), node->id);
  heading (box, moa_title_get (&node->title, lang, node->id), subtitle);
  for (guint i = 0; i < node->branches->len; i++)
    {
      MoaBranch *branch = g_ptr_array_index (node->branches, i);
      const MoaNode *to = moa_obligation_get_node (obligation, branch->to);
      g_autofree char *title = g_strdup_printf (
          _ ("Branch to “%s”"), to != NULL ? moa_title_get (&to->title, lang, to->id) : branch->to);
      if (branch->is_default)
        {
          GtkWidget *label = gtk_label_new (title);
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "heading");
          gtk_widget_set_margin_top (label, 12);
          gtk_box_append (box, label);
          GtkWidget *rest = gtk_label_new (_ ("Default branch: 1 minus the other branches"));
          gtk_label_set_xalign (GTK_LABEL (rest), 0);
          gtk_widget_add_css_class (rest, "dim-label");
          gtk_box_append (box, rest);
          continue;
        }
      g_autofree char *key = g_strdup_printf ("branch:%s", branch->to);
      g_autofree char *hint
          = overrides_hint (procedure, &branch->probability, _ ("A probability: “0.3” or “30 %”"));
      Field *field = add_field (self, box, key, title, FALSE, hint, NULL);
      field->branch_to = g_strdup (branch->to);
    }
}

static void
rebuild (MoaInspector *self)
{
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_hash_table_remove_all (self->fields);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_margin_start (self->box, 18);
  gtk_widget_set_margin_end (self->box, 18);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  MoaProcedure *procedure
      = self->document != NULL ? moa_document_get_procedure (self->document) : NULL;
  MoaNode *node = procedure != NULL ? moa_selection_get_node (self->selection, procedure) : NULL;
  if (node == NULL
      || (node->kind != MOA_NODE_ACTIVITY && node->kind != MOA_NODE_XOR
          && node->kind != MOA_NODE_AND_SPLIT && node->kind != MOA_NODE_AND_JOIN))
    {
      GtkWidget *status = adw_status_page_new ();
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-edit-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _ ("Nothing Selected"));
      adw_status_page_set_description (
          ADW_STATUS_PAGE (status),
          _ ("Select an activity or a gateway in the outline to edit it"));
      gtk_widget_add_css_class (status, "compact");
      gtk_box_append (GTK_BOX (self->box), status);
      return;
    }
  MoaObligation *obligation
      = moa_procedure_get_obligation (procedure, moa_selection_get_obligation_id (self->selection));
  if (node->kind == MOA_NODE_ACTIVITY)
    build_activity (self, GTK_BOX (self->box), procedure, node);
  else
    build_gateway (self, GTK_BOX (self->box), procedure, obligation, node);
  refresh (self);
}

static void
moa_inspector_init (MoaInspector *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, field_free);
}

GtkWidget *
moa_inspector_new (MoaSelection *selection)
{
  g_return_val_if_fail (MOA_IS_SELECTION (selection), NULL);

  MoaInspector *self = g_object_new (MOA_TYPE_INSPECTOR, NULL);
  self->selection = g_object_ref (selection);
  g_signal_connect_swapped (selection, "changed", G_CALLBACK (rebuild), self);
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
      self->changed_id = g_signal_connect_swapped (document, "changed", G_CALLBACK (refresh), self);
    }
  rebuild (self);
}

GtkEntry *
moa_inspector_get_entry (MoaInspector *self, const char *key)
{
  g_return_val_if_fail (MOA_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  Field *field = g_hash_table_lookup (self->fields, key);
  return field != NULL ? field->entry : NULL;
}

GtkLabel *
moa_inspector_get_error_label (MoaInspector *self, const char *key)
{
  g_return_val_if_fail (MOA_IS_INSPECTOR (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  Field *field = g_hash_table_lookup (self->fields, key);
  return field != NULL ? field->error : NULL;
}
