/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The procedure outline: a list box of obligations and their workflow nodes; selecting an
 * obligation's row selects the obligation (no node). */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "moa-outline.h"
#include "moa-ui-format.h"

struct _MoaOutline
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  GtkListBox *list;
  MoaSelection *selection;
  MoaDocument *document;
  gulong changed_id;
  gboolean syncing; /* selecting a row because the selection changed */
};

G_DEFINE_FINAL_TYPE (MoaOutline, moa_outline, GTK_TYPE_WIDGET)

#define OBLIGATION_KEY "moa-obligation"
#define NODE_KEY "moa-node"

static void
clear_document (MoaOutline *self)
{
  if (self->document != NULL)
    g_clear_signal_handler (&self->changed_id, self->document);
  g_clear_object (&self->document);
}

static void
moa_outline_dispose (GObject *object)
{
  MoaOutline *self = MOA_OUTLINE (object);

  clear_document (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  G_OBJECT_CLASS (moa_outline_parent_class)->dispose (object);
}

static void
moa_outline_class_init (MoaOutlineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = moa_outline_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moa-outline");
}

/* One line describing a node's parameters as written ("30 min · 2.00 EUR"). */
static char *
node_summary (const MoaProcedure *procedure, const MoaObligation *obligation, const MoaNode *node)
{
  GString *s = g_string_new (NULL);
  const char *lang = moa_ui_get_lang ();

  if (node->kind == MOA_NODE_ACTIVITY)
    {
      if (node->time.value != NULL)
        {
          g_autofree char *t = moa_value_to_string (node->time.value);
          g_string_append (s, t);
        }
      else if (node->standard != NULL)
        /* TRANSLATORS: an activity whose time is the cost model's standard time */
        g_string_append_printf (s, _ ("standard time (%s)"), node->standard);
      if (node->out_of_pocket.value != NULL)
        {
          g_autofree char *o = moa_value_to_string (node->out_of_pocket.value);
          g_string_append_printf (s, " · %s", o);
        }
      if (node->performer != NULL)
        {
          const MoaTargetGroup *group = moa_procedure_get_target_group (procedure, node->performer);
          g_string_append_printf (s, " · %s",
                                  group != NULL ? moa_title_get (&group->title, lang, group->id)
                                  : g_strcmp0 (node->performer, "external") == 0
                                      ? _ ("external professional")
                                      : node->performer);
        }
    }
  else if (node->kind == MOA_NODE_XOR || node->kind == MOA_NODE_AND_SPLIT)
    {
      for (guint i = 0; node->branches != NULL && i < node->branches->len; i++)
        {
          const MoaBranch *branch = g_ptr_array_index (node->branches, i);
          const MoaNode *to = moa_obligation_get_node (obligation, branch->to);
          const char *title = to != NULL ? moa_title_get (&to->title, lang, to->id) : branch->to;
          if (i > 0)
            g_string_append (s, "; ");
          if (node->kind == MOA_NODE_AND_SPLIT)
            g_string_append_printf (s, "→ %s", title);
          else if (branch->is_default)
            /* TRANSLATORS: the default branch of a gateway takes the remaining probability */
            g_string_append_printf (s, _ ("rest → %s"), title);
          else
            {
              g_autofree char *p = moa_value_to_string (branch->probability.value);
              g_string_append_printf (s, "%s → %s", p, title);
            }
        }
    }
  return g_string_free (s, FALSE);
}

static const char *
node_icon (const MoaNode *node)
{
  switch (node->kind)
    {
      case MOA_NODE_XOR:
        return "media-playlist-shuffle-symbolic";
      case MOA_NODE_AND_SPLIT:
      case MOA_NODE_AND_JOIN:
        return "view-dual-symbolic";
      default:
        return "document-edit-symbolic";
    }
}

/* How many times the obligation is fulfilled, as written ("1000000 cases per year"). */
static char *
obligation_summary (const MoaObligation *obligation)
{
  if (obligation->cases.value != NULL)
    {
      g_autofree char *cases = moa_value_to_string (obligation->cases.value);
      /* TRANSLATORS: an obligation's total cases per year, as written in the file */
      return g_strdup_printf (_ ("%s cases per year"), cases);
    }
  if (obligation->frequency.value != NULL)
    {
      g_autofree char *frequency = moa_value_to_string (obligation->frequency.value);
      /* TRANSLATORS: an obligation's executions per addressee per year, as written */
      return g_strdup_printf (_ ("%s per addressee per year"), frequency);
    }
  return g_strdup ("");
}

/* A separator above each obligation's row but the first. */
static void
header_func (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  if (before == NULL || g_object_get_data (G_OBJECT (row), NODE_KEY) != NULL)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  if (gtk_list_box_row_get_header (row) == NULL)
    {
      GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_set_margin_top (separator, 12);
      gtk_list_box_row_set_header (row, separator);
    }
}

static void
sync_from_selection (MoaOutline *self)
{
  GtkListBoxRow *row = moa_outline_get_row (self, moa_selection_get_obligation_id (self->selection),
                                            moa_selection_get_node_id (self->selection));

  self->syncing = TRUE;
  if (row != NULL)
    gtk_list_box_select_row (self->list, row);
  else
    gtk_list_box_unselect_all (self->list);
  self->syncing = FALSE;
}

static void
rebuild (MoaOutline *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (self->document == NULL)
    return;

  MoaProcedure *procedure = moa_document_get_procedure (self->document);
  const char *lang = moa_ui_get_lang ();
  for (guint i = 0; i < procedure->obligations->len; i++)
    {
      MoaObligation *obligation = g_ptr_array_index (procedure->obligations, i);
      GtkWidget *header = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (header), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (header),
                                     moa_title_get (&obligation->title, lang, obligation->id));
      g_autofree char *counted = obligation_summary (obligation);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (header), counted);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (header), 3);
      gtk_widget_add_css_class (header, "heading");
      adw_action_row_add_prefix (ADW_ACTION_ROW (header),
                                 gtk_image_new_from_icon_name ("view-list-symbolic"));
      gtk_widget_set_tooltip_text (header, obligation->id);
      g_object_set_data_full (G_OBJECT (header), OBLIGATION_KEY, g_strdup (obligation->id), g_free);
      gtk_list_box_append (self->list, header);
      for (guint k = 0; k < obligation->nodes->len; k++)
        {
          MoaNode *node = g_ptr_array_index (obligation->nodes, k);
          if (node->kind == MOA_NODE_START || node->kind == MOA_NODE_END)
            continue;
          GtkWidget *row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         moa_title_get (&node->title, lang, node->id));
          g_autofree char *summary = node_summary (procedure, obligation, node);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), summary);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
          adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
          GtkWidget *icon = gtk_image_new_from_icon_name (node_icon (node));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          gtk_widget_set_tooltip_text (row, node->id);
          g_object_set_data_full (G_OBJECT (row), OBLIGATION_KEY, g_strdup (obligation->id),
                                  g_free);
          g_object_set_data_full (G_OBJECT (row), NODE_KEY, g_strdup (node->id), g_free);
          gtk_list_box_append (self->list, row);
        }
    }
  sync_from_selection (self);
}

/* After an edit: the structure is the same (edits change values only), so only the
 * subtitles change; rebuilding would lose the scroll position and the keyboard focus. */
static void
refresh (MoaOutline *self)
{
  MoaProcedure *procedure = moa_document_get_procedure (self->document);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!GTK_IS_LIST_BOX_ROW (child))
        continue;
      MoaObligation *obligation = moa_procedure_get_obligation (
          procedure, g_object_get_data (G_OBJECT (child), OBLIGATION_KEY));
      if (obligation != NULL && g_object_get_data (G_OBJECT (child), NODE_KEY) == NULL)
        {
          /* The obligation's own row. */
          g_autofree char *counted = obligation_summary (obligation);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (child), counted);
          continue;
        }
      MoaNode *node = obligation != NULL ? moa_obligation_get_node (
                          obligation, g_object_get_data (G_OBJECT (child), NODE_KEY))
                                         : NULL;
      if (node == NULL)
        {
          rebuild (self);
          return;
        }
      g_autofree char *summary = node_summary (procedure, obligation, node);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), summary);
    }
}

static void
row_selected (GtkListBox *list, GtkListBoxRow *row, gpointer user_data)
{
  MoaOutline *self = user_data;

  if (self->syncing || row == NULL)
    return;
  moa_selection_select (self->selection, g_object_get_data (G_OBJECT (row), OBLIGATION_KEY),
                        g_object_get_data (G_OBJECT (row), NODE_KEY));
}

static void
moa_outline_init (MoaOutline *self)
{
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_list_box_set_header_func (self->list, header_func, NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Workflow outline"), -1);
  g_signal_connect (self->list, "row-selected", G_CALLBACK (row_selected), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->list));
}

GtkWidget *
moa_outline_new (MoaSelection *selection)
{
  g_return_val_if_fail (MOA_IS_SELECTION (selection), NULL);

  MoaOutline *self = g_object_new (MOA_TYPE_OUTLINE, NULL);
  self->selection = g_object_ref (selection);
  g_signal_connect_swapped (selection, "changed", G_CALLBACK (sync_from_selection), self);
  return GTK_WIDGET (self);
}

void
moa_outline_set_document (MoaOutline *self, MoaDocument *document)
{
  g_return_if_fail (MOA_IS_OUTLINE (self));
  g_return_if_fail (document == NULL || MOA_IS_DOCUMENT (document));

  clear_document (self);
  if (document != NULL)
    {
      self->document = g_object_ref (document);
      self->changed_id = g_signal_connect_swapped (document, "changed", G_CALLBACK (refresh), self);
    }
  rebuild (self);
}

GtkListBox *
moa_outline_get_list_box (MoaOutline *self)
{
  g_return_val_if_fail (MOA_IS_OUTLINE (self), NULL);
  return self->list;
}

GtkListBoxRow *
moa_outline_get_row (MoaOutline *self, const char *obligation_id, const char *node_id)
{
  g_return_val_if_fail (MOA_IS_OUTLINE (self), NULL);

  if (obligation_id == NULL)
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child)
        && g_strcmp0 (g_object_get_data (G_OBJECT (child), OBLIGATION_KEY), obligation_id) == 0
        && g_strcmp0 (g_object_get_data (G_OBJECT (child), NODE_KEY), node_id) == 0)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}
