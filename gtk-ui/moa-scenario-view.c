/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The before / after view: a scenario bar (choose, open, new, save, undo, redo), the list of
 * measures with their editor, and the before / after grid and waterfall chart, every figure
 * read from the core's comparison. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "moa-scenario-view.h"
#include "moa-ui-format.h"

struct _MoaScenarioView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *choice; /* GtkDropDown of the bundled scenarios */
  GtkStringList *choice_names;
  GPtrArray *choices; /* MoaScenarioChoice* */
  GtkWidget *undo_button;
  GtkWidget *redo_button;
  GtkWidget *save_button;
  GtkWidget *spinner;
  GtkWidget *title;    /* the scenario's title and file */
  GtkWidget *message;  /* the core's message */
  GtkWidget *measures; /* GtkListBox */
  GtkWidget *grid;     /* before / after */
  GtkWidget *saving;   /* the total saving per year */
  GtkWidget *interval; /* its interval */
  GtkWidget *chart;

  char *procedure_file;
  const MoaModelSet *models; /* borrowed from the application */
  MoaScenarioDocument *document;
  gboolean choosing; /* the drop-down is being filled */
};

G_DEFINE_FINAL_TYPE (MoaScenarioView, moa_scenario_view, GTK_TYPE_WIDGET)

static void
show_comparison (MoaScenarioView *self);
static void
show_measures (MoaScenarioView *self);

static void
show_message (MoaScenarioView *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->message), message != NULL ? message : "");
  gtk_widget_set_visible (self->message, message != NULL);
}

static void
update_buttons (MoaScenarioView *self)
{
  MoaScenarioDocument *doc = self->document;

  gtk_widget_set_sensitive (self->undo_button,
                            doc != NULL && moa_scenario_document_get_can_undo (doc));
  gtk_widget_set_sensitive (self->redo_button,
                            doc != NULL && moa_scenario_document_get_can_redo (doc));
  gtk_widget_set_tooltip_text (self->undo_button,
                               doc != NULL && moa_scenario_document_get_undo_label (doc)
                                   ? moa_scenario_document_get_undo_label (doc)
                                   : _ ("Undo"));
  gtk_widget_set_tooltip_text (self->redo_button,
                               doc != NULL && moa_scenario_document_get_redo_label (doc)
                                   ? moa_scenario_document_get_redo_label (doc)
                                   : _ ("Redo"));
  gtk_widget_set_sensitive (self->save_button,
                            doc != NULL && moa_scenario_document_get_n_measures (doc) > 0);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner),
                            doc != NULL && moa_scenario_document_get_computing (doc));
  if (doc != NULL)
    {
      const char *file = moa_scenario_document_get_file (doc);
      g_autofree char *base = file != NULL ? g_path_get_basename (file) : NULL;
      g_autofree char *text = g_strdup_printf (
          "%s%s — %s", moa_scenario_document_get_dirty (doc) ? "• " : "",
          moa_scenario_document_get_title (doc), base != NULL ? base : _ ("not saved"));
      gtk_label_set_text (GTK_LABEL (self->title), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->title), "");
}

static void
document_changed (MoaScenarioView *self)
{
  show_measures (self);
  update_buttons (self);
}

static void
set_document (MoaScenarioView *self, MoaScenarioDocument *document)
{
  if (self->document != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->document, self);
      moa_scenario_document_cancel (self->document);
    }
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_swapped (document, "changed", G_CALLBACK (document_changed), self);
      g_signal_connect_swapped (document, "comparison-changed", G_CALLBACK (show_comparison), self);
      g_signal_connect_swapped (document, "notify::computing", G_CALLBACK (update_buttons), self);
      g_signal_connect_swapped (document, "notify::dirty", G_CALLBACK (update_buttons), self);
    }
  show_message (self, NULL);
  show_measures (self);
  show_comparison (self);
  update_buttons (self);
}

/* ---------------------------------------------------------------------------------------- */
/* The before / after grid and the chart */

static GtkWidget *
cell (const char *text, gboolean numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
clear_grid (GtkWidget *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);
}

/* One line of the grid: @label, then before, after and the saving of @field of @e. */
static void
add_line (GtkWidget *grid, int row, const char *label, const MoaEntitySaving *e, gboolean hours)
{
  double before = hours ? e->before.hours : e->before.burden;
  double after = hours ? e->after.hours : e->after.burden;
  g_autofree char *b = hours ? moa_ui_format_hours (before) : moa_ui_format_money (before);
  g_autofree char *a = hours ? moa_ui_format_hours (after) : moa_ui_format_money (after);
  /* The saving is the core's before minus after (MoaEntitySaving.saving for the burden). */
  double saving = hours ? before - after : e->saving;
  g_autofree char *s = hours ? moa_ui_format_hours (saving) : moa_ui_format_money (saving);

  gtk_grid_attach (GTK_GRID (grid), cell (label, FALSE), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cell (b, TRUE), 1, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cell (a, TRUE), 2, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cell (s, TRUE), 3, row, 1, 1);
}

static const MoaTargetGroup *
find_group (const MoaProcedure *procedure, const char *id)
{
  return procedure != NULL ? moa_procedure_get_target_group (procedure, id) : NULL;
}

static void
show_comparison (MoaScenarioView *self)
{
  MoaScenarioDocument *doc = self->document;
  const MoaComparison *c = doc != NULL ? moa_scenario_document_get_comparison (doc) : NULL;
  const MoaComparison *mc
      = doc != NULL ? moa_scenario_document_get_interval_comparison (doc) : NULL;
  const char *lang = moa_ui_get_lang ();

  clear_grid (self->grid);
  update_buttons (self);
  if (doc != NULL && moa_scenario_document_get_comparison_error (doc) != NULL)
    show_message (self, moa_scenario_document_get_comparison_error (doc));
  if (c == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->saving), "");
      gtk_label_set_text (GTK_LABEL (self->interval), "");
      moa_waterfall_chart_clear (MOA_WATERFALL_CHART (self->chart),
                                 doc != NULL ? _ ("Computing…") : _ ("No scenario"));
      return;
    }

  const char *heads[] = { _ ("Per year"), _ ("Before"), _ ("After"), _ ("Saving") };
  for (int i = 0; i < 4; i++)
    {
      GtkWidget *head = cell (heads[i], i > 0);
      gtk_widget_add_css_class (head, "heading");
      gtk_grid_attach (GTK_GRID (self->grid), head, i, 0, 1, 1);
    }
  GArray *entities = moa_comparison_get_entities (c);
  const MoaProcedure *procedure = moa_comparison_get_before (c)->procedure;
  const MoaEntitySaving *total = NULL;
  int row = 1;
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      if (e->kind == MOA_ENTITY_TOTAL)
        total = e;
      else if (e->kind == MOA_ENTITY_CITIZENS)
        {
          add_line (self->grid, row++, _ ("Citizens: hours"), e, TRUE);
          add_line (self->grid, row++, _ ("Citizens: euros"), e, FALSE);
        }
      else if (e->kind == MOA_ENTITY_BUSINESSES)
        add_line (self->grid, row++, _ ("Businesses: euros"), e, FALSE);
      else if (e->kind == MOA_ENTITY_GROUP)
        {
          const MoaTargetGroup *group = find_group (procedure, e->id);
          if (group == NULL || group->kind == MOA_TARGET_ADMINISTRATION)
            continue;
          const char *name = moa_title_get (&group->title, lang, e->id);
          g_autofree char *hours = g_strdup_printf (_ ("%s: hours"), name);
          g_autofree char *euros = g_strdup_printf (_ ("%s: euros"), name);
          if (group->kind == MOA_TARGET_CITIZEN)
            add_line (self->grid, row++, hours, e, TRUE);
          add_line (self->grid, row++, euros, e, FALSE);
        }
    }
  if (total != NULL)
    {
      add_line (self->grid, row, _ ("Total burden"), total, FALSE);
      g_autofree char *money = moa_ui_format_money (total->saving);
      g_autofree char *text
          = g_strdup_printf (_ ("Saving per year: %s (%.1f %%)"), money, total->saving_percent);
      gtk_label_set_text (GTK_LABEL (self->saving), text);
    }

  /* The interval of the saving, from the paired runs. */
  const MoaStat *stat = mc != NULL ? moa_comparison_get_saving_stat (mc) : NULL;
  if (stat != NULL)
    {
      g_autofree char *low = moa_ui_format_money (stat->p5);
      g_autofree char *high = moa_ui_format_money (stat->p95);
      g_autofree char *text
          = g_strdup_printf (_ ("90 %% interval of the saving (P5–P95, %u paired Monte Carlo "
                                "iterations): %s to %s"),
                             moa_comparison_get_iterations (mc), low, high);
      gtk_label_set_text (GTK_LABEL (self->interval), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->interval),
                        moa_scenario_document_get_computing (doc)
                            ? _ ("Interval: paired Monte Carlo run under way…")
                            : "");

  /* The waterfall: the burden before, each measure's cumulative saving, the burden after. */
  MoaWaterfallChart *chart = MOA_WATERFALL_CHART (self->chart);
  if (total == NULL)
    {
      moa_waterfall_chart_clear (chart, NULL);
      return;
    }
  moa_waterfall_chart_begin (chart, _ ("Burden before"), total->before.burden);
  GArray *measures = moa_comparison_get_measures (c);
  for (guint i = 0; i < measures->len; i++)
    {
      const MoaMeasureSaving *m = &g_array_index (measures, MoaMeasureSaving, i);
      moa_waterfall_chart_add_step (chart, moa_title_get (&m->measure->title, lang, m->measure->id),
                                    m->cumulative);
    }
  moa_waterfall_chart_set_after (chart, _ ("Burden after"), total->after.burden,
                                 stat != NULL ? stat->p5 : NAN, stat != NULL ? stat->p95 : NAN);
}

/* ---------------------------------------------------------------------------------------- */
/* The measure editor */

typedef struct
{
  MoaScenarioView *view;
  int index; /* -1: a new measure */
  GtkWidget *window;
  GtkWidget *type; /* GtkDropDown, new measures only */
  GtkWidget *id;
  GtkWidget *title;
  GtkWidget *justification;
  GtkWidget *source;
  GtkWidget *attrs_box;
  GHashTable *attrs; /* name -> GtkEntry (borrowed) */
  GtkWidget *sets_box;
  GtkWidget *error;
  MoaMeasureSpec *spec; /* the measure edited (the other language's title is kept) */
} Editor;

/* The types the editor builds (those without procedure elements of their own). */
static const MoaMeasureType editable_types[]
    = { MOA_MEASURE_SET_PARAMETER, MOA_MEASURE_REMOVE,           MOA_MEASURE_DIGITALISE_SUBMISSION,
        MOA_MEASURE_ONCE_ONLY,     MOA_MEASURE_CHANGE_FREQUENCY, MOA_MEASURE_CHANGE_POPULATION };

static const char *const set_attributes[]
    = { "time",        "tariff",    "fee",   "acquisitions", "out-of-pocket", "bau",
        "probability", "frequency", "cases", "compliance",   "population",    NULL };

static void
editor_free (Editor *editor)
{
  g_hash_table_unref (editor->attrs);
  moa_measure_spec_free (editor->spec);
  g_free (editor);
}

static GtkWidget *
labelled (GtkWidget *box, const char *label, const char *text)
{
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *caption = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption-heading");
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), entry);
  return entry;
}

static void
fill_attrs (Editor *editor)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (editor->attrs_box)) != NULL)
    gtk_box_remove (GTK_BOX (editor->attrs_box), child);
  g_hash_table_remove_all (editor->attrs);
  for (const char *const *a = moa_measure_type_get_attributes (editor->spec->type); *a != NULL; a++)
    g_hash_table_insert (
        editor->attrs, g_strdup (*a),
        labelled (editor->attrs_box, *a, g_hash_table_lookup (editor->spec->attributes, *a)));
}

static void
on_remove_set (GtkButton *button, GtkWidget *row)
{
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (row)), row);
}

static void
add_set_row (Editor *editor, const MoaSetSpec *set)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *element = gtk_entry_new ();
  GtkWidget *attribute = gtk_drop_down_new_from_strings (set_attributes);
  GtkWidget *value = gtk_entry_new ();
  GtkWidget *segment = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_entry_set_placeholder_text (GTK_ENTRY (element), _ ("obligation/activity"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (value), _ ("value, e.g. 15 min"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (segment), _ ("segment (optional)"));
  gtk_widget_set_hexpand (element, TRUE);
  gtk_widget_set_tooltip_text (remove, _ ("Remove this change"));
  if (set != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (element), set->element ? set->element : "");
      gtk_editable_set_text (GTK_EDITABLE (value), set->value ? set->value : "");
      gtk_editable_set_text (GTK_EDITABLE (segment), set->segment ? set->segment : "");
      for (guint i = 0; set_attributes[i] != NULL; i++)
        if (g_strcmp0 (set_attributes[i], set->attribute) == 0)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (attribute), i);
    }
  g_object_set_data (G_OBJECT (row), "element", element);
  g_object_set_data (G_OBJECT (row), "attribute", attribute);
  g_object_set_data (G_OBJECT (row), "value", value);
  g_object_set_data (G_OBJECT (row), "segment", segment);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_set), row);
  gtk_box_append (GTK_BOX (row), element);
  gtk_box_append (GTK_BOX (row), attribute);
  gtk_box_append (GTK_BOX (row), value);
  gtk_box_append (GTK_BOX (row), segment);
  gtk_box_append (GTK_BOX (row), remove);
  gtk_box_append (GTK_BOX (editor->sets_box), row);
}

static void
on_add_set (Editor *editor)
{
  add_set_row (editor, NULL);
}

static void
on_type_changed (Editor *editor)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (editor->type));
  if (i < G_N_ELEMENTS (editable_types))
    editor->spec->type = editable_types[i];
  fill_attrs (editor);
}

static char *
entry_text (GtkWidget *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static void
on_apply (Editor *editor)
{
  MoaMeasureSpec *spec = editor->spec;
  g_autoptr (GError) error = NULL;
  char **title = g_strcmp0 (moa_ui_get_lang (), "it") == 0 ? &spec->title_it : &spec->title_en;

  g_free (spec->id);
  spec->id = entry_text (editor->id);
  g_free (*title);
  *title = entry_text (editor->title);
  g_free (spec->justification);
  spec->justification = entry_text (editor->justification);
  g_free (spec->source);
  spec->source = entry_text (editor->source);
  g_hash_table_remove_all (spec->attributes);
  GHashTableIter iter;
  gpointer name, entry;
  g_hash_table_iter_init (&iter, editor->attrs);
  while (g_hash_table_iter_next (&iter, &name, &entry))
    g_hash_table_insert (spec->attributes, g_strdup (name), entry_text (entry));
  g_ptr_array_set_size (spec->sets, 0);
  for (GtkWidget *row = gtk_widget_get_first_child (editor->sets_box); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autofree char *element = entry_text (g_object_get_data (G_OBJECT (row), "element"));
      g_autofree char *value = entry_text (g_object_get_data (G_OBJECT (row), "value"));
      g_autofree char *segment = entry_text (g_object_get_data (G_OBJECT (row), "segment"));
      guint a = gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (row), "attribute"));
      if (*element == '\0' && *value == '\0')
        continue;
      g_ptr_array_add (spec->sets,
                       moa_set_spec_new (element, set_attributes[MIN (a, 10)], value, segment));
    }

  g_autofree char *xml = moa_measure_spec_to_xml (spec);
  MoaScenarioDocument *doc = editor->view->document;
  gboolean ok = editor->index < 0
                    ? moa_scenario_document_insert_measure (doc, -1, xml, &error)
                    : moa_scenario_document_replace_measure (doc, editor->index, xml, &error);
  if (!ok)
    {
      /* The core's message, inline; nothing is applied. */
      gtk_label_set_text (GTK_LABEL (editor->error), error->message);
      gtk_widget_set_visible (editor->error, TRUE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (editor->window));
}

static void
open_editor (MoaScenarioView *self, int index)
{
  g_autoptr (GError) error = NULL;
  MoaMeasureSpec *spec;

  if (index >= 0)
    {
      spec = moa_measure_spec_parse (moa_scenario_document_get_measure_xml (self->document, index),
                                     &error);
      if (spec == NULL)
        {
          show_message (self, error->message);
          return;
        }
    }
  else
    {
      spec = moa_measure_spec_new (MOA_MEASURE_SET_PARAMETER);
      spec->id = g_strdup_printf ("misura-%u",
                                  moa_scenario_document_get_n_measures (self->document) + 1);
    }

  Editor *editor = g_new0 (Editor, 1);
  editor->view = self;
  editor->index = index;
  editor->spec = spec;
  editor->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  GtkWidget *window = editor->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), index < 0 ? _ ("Add Measure") : _ ("Edit Measure"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, -1);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  g_object_set_data_full (G_OBJECT (window), "editor", editor, (GDestroyNotify)editor_free);

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_window_set_child (GTK_WINDOW (window), box);

  if (index < 0)
    {
      const char *names[G_N_ELEMENTS (editable_types) + 1] = { NULL };
      for (guint i = 0; i < G_N_ELEMENTS (editable_types); i++)
        names[i] = moa_measure_type_to_string (editable_types[i]);
      GtkWidget *caption = gtk_label_new (_ ("Type"));
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_widget_add_css_class (caption, "caption-heading");
      gtk_box_append (GTK_BOX (box), caption);
      editor->type = gtk_drop_down_new_from_strings (names);
      gtk_box_append (GTK_BOX (box), editor->type);
      g_signal_connect_swapped (editor->type, "notify::selected", G_CALLBACK (on_type_changed),
                                editor);
    }
  else
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Type: %s"), moa_measure_type_to_string (spec->type));
      gtk_box_append (GTK_BOX (box), cell (text, FALSE));
    }
  editor->id = labelled (box, _ ("Id"), spec->id);
  editor->title = labelled (box, _ ("Title"),
                            g_strcmp0 (moa_ui_get_lang (), "it") == 0
                                ? spec->title_it
                                : (spec->title_en != NULL ? spec->title_en : spec->title_it));
  editor->justification = labelled (box, _ ("Justification"), spec->justification);
  editor->source = labelled (box, _ ("Source"), spec->source);
  editor->attrs_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), editor->attrs_box);
  fill_attrs (editor);

  GtkWidget *sets_caption = gtk_label_new (_ ("Parameter changes"));
  gtk_label_set_xalign (GTK_LABEL (sets_caption), 0);
  gtk_widget_add_css_class (sets_caption, "caption-heading");
  gtk_box_append (GTK_BOX (box), sets_caption);
  editor->sets_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), editor->sets_box);
  for (guint i = 0; i < spec->sets->len; i++)
    add_set_row (editor, g_ptr_array_index (spec->sets, i));
  if (spec->sets->len == 0)
    add_set_row (editor, NULL);
  GtkWidget *add = gtk_button_new_with_mnemonic (_ ("Add a _Change"));
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_set), editor);
  gtk_box_append (GTK_BOX (box), add);

  editor->error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (editor->error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (editor->error), 0);
  gtk_label_set_selectable (GTK_LABEL (editor->error), TRUE);
  gtk_widget_add_css_class (editor->error, "error");
  gtk_widget_set_visible (editor->error, FALSE);
  gtk_box_append (GTK_BOX (box), editor->error);

  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget *apply = gtk_button_new_with_mnemonic (index < 0 ? _ ("_Add") : _ ("_Apply"));
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  g_signal_connect_swapped (apply, "clicked", G_CALLBACK (on_apply), editor);
  gtk_box_append (GTK_BOX (buttons), cancel);
  gtk_box_append (GTK_BOX (buttons), apply);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_default_widget (GTK_WINDOW (window), apply);
  gtk_window_present (GTK_WINDOW (window));
}

/* ---------------------------------------------------------------------------------------- */
/* The list of measures */

static void
on_measure_action (GtkButton *button, MoaScenarioView *self)
{
  const char *action = g_object_get_data (G_OBJECT (button), "action");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  if (g_strcmp0 (action, "edit") == 0)
    open_editor (self, (int)index);
  else if (g_strcmp0 (action, "remove") == 0)
    ok = moa_scenario_document_remove_measure (self->document, index, &error);
  else if (g_strcmp0 (action, "up") == 0 && index > 0)
    ok = moa_scenario_document_move_measure (self->document, index, index - 1, &error);
  else if (g_strcmp0 (action, "down") == 0
           && index + 1 < moa_scenario_document_get_n_measures (self->document))
    ok = moa_scenario_document_move_measure (self->document, index, index + 1, &error);
  show_message (self, ok ? NULL : error->message);
}

static GtkWidget *
action_button (MoaScenarioView *self, const char *icon, const char *tooltip, const char *action,
               guint index)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data (G_OBJECT (button), "action", (gpointer)action);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", G_CALLBACK (on_measure_action), self);
  return button;
}

static void
show_measures (MoaScenarioView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->measures)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->measures), child);
  if (self->document == NULL)
    return;
  guint n = moa_scenario_document_get_n_measures (self->document);
  for (guint i = 0; i < n; i++)
    {
      const MoaMeasure *m = moa_scenario_document_get_measure (self->document, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title
          = g_markup_escape_text (moa_title_get (&m->title, moa_ui_get_lang (), m->id), -1);
      g_autofree char *subtitle
          = g_markup_printf_escaped ("%s · %s", moa_measure_type_to_string (m->type), m->id);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 action_button (self, "go-up-symbolic", _ ("Move Up"), "up", i));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), action_button (self, "go-down-symbolic",
                                                                      _ ("Move Down"), "down", i));
      adw_action_row_add_suffix (
          ADW_ACTION_ROW (row),
          action_button (self, "document-edit-symbolic", _ ("Edit"), "edit", i));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), action_button (self, "user-trash-symbolic",
                                                                      _ ("Remove"), "remove", i));
      gtk_list_box_append (GTK_LIST_BOX (self->measures), row);
    }
  if (n == 0)
    {
      GtkWidget *empty = gtk_label_new (_ ("No measure yet: add one."));
      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 12);
      gtk_widget_set_margin_bottom (empty, 12);
      gtk_list_box_append (GTK_LIST_BOX (self->measures), empty);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The scenario bar */

static void
on_undo (MoaScenarioView *self)
{
  if (self->document != NULL)
    moa_scenario_document_undo (self->document);
}

static void
on_redo (MoaScenarioView *self)
{
  if (self->document != NULL)
    moa_scenario_document_redo (self->document);
}

static void
on_add (MoaScenarioView *self)
{
  if (self->document != NULL)
    open_editor (self, -1);
}

static void
new_scenario (MoaScenarioView *self)
{
  g_autoptr (GError) error = NULL;

  if (self->procedure_file == NULL || self->models == NULL)
    return;
  g_autofree char *base = g_path_get_basename (self->procedure_file);
  char *dot = strrchr (base, '.');
  if (dot != NULL)
    *dot = '\0';
  g_autofree char *id = g_strdup_printf ("%s-scenario", base);
  g_autoptr (MoaScenarioDocument) doc = moa_scenario_document_new (
      self->procedure_file, id, _ ("New scenario"), self->models, &error);
  if (doc == NULL)
    {
      show_message (self, error->message);
      return;
    }
  set_document (self, doc);
}

static void
on_choice (MoaScenarioView *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->choice));
  g_autoptr (GError) error = NULL;

  if (self->choosing || self->choices == NULL || i >= self->choices->len)
    return;
  const MoaScenarioChoice *choice = g_ptr_array_index (self->choices, i);
  if (!moa_scenario_view_open_file (self, choice->file, &error))
    show_message (self, error->message);
}

static void
on_open_response (GtkNativeDialog *dialog, int response, MoaScenarioView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path != NULL && !moa_scenario_view_open_file (self, path, &error))
        show_message (self, error->message);
    }
  g_object_unref (dialog);
}

static void
on_open (MoaScenarioView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      _ ("Open a Scenario"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Scenario files"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_save_response (GtkNativeDialog *dialog, int response, MoaScenarioView *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->document != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;
      if (path != NULL && !moa_scenario_document_save (self->document, path, &error))
        show_message (self, error->message);
      update_buttons (self);
    }
  g_object_unref (dialog);
}

static void
on_save (MoaScenarioView *self)
{
  if (self->document == NULL)
    return;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      _ ("Save the Scenario"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
      GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  g_autofree char *name = g_strdup_printf ("%s.xml", moa_scenario_document_get_id (self->document));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The drop-down's items: labels ellipsized so that a long scenario title does not widen the
 * view. */
static void
setup_choice (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_choice (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (string));
  gtk_widget_set_tooltip_text (label, gtk_string_object_get_string (string));
}

static GtkWidget *
bar_button (const char *icon, const char *label, const char *tooltip)
{
  GtkWidget *button
      = icon != NULL ? gtk_button_new_from_icon_name (icon) : gtk_button_new_with_mnemonic (label);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

/* ---------------------------------------------------------------------------------------- */

static void
moa_scenario_view_dispose (GObject *object)
{
  MoaScenarioView *self = MOA_SCENARIO_VIEW (object);

  if (self->document != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->document, self);
      moa_scenario_document_cancel (self->document);
    }
  g_clear_object (&self->document);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->procedure_file, g_free);
  G_OBJECT_CLASS (moa_scenario_view_parent_class)->dispose (object);
}

static void
moa_scenario_view_class_init (MoaScenarioViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = moa_scenario_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moa-scenario-view");
}

static void
moa_scenario_view_init (MoaScenarioView *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* The scenario bar. */
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *caption = gtk_label_new (_ ("Scenario"));
  gtk_widget_add_css_class (caption, "heading");
  gtk_box_append (GTK_BOX (bar), caption);
  self->choice_names = gtk_string_list_new (NULL);
  self->choice = gtk_drop_down_new (G_LIST_MODEL (self->choice_names), NULL);
  GtkListItemFactory *choice_factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (choice_factory, "setup", G_CALLBACK (setup_choice), NULL);
  g_signal_connect (choice_factory, "bind", G_CALLBACK (bind_choice), NULL);
  gtk_drop_down_set_factory (GTK_DROP_DOWN (self->choice), choice_factory);
  g_object_unref (choice_factory);
  gtk_widget_set_tooltip_text (self->choice, _ ("Bundled scenarios of this procedure"));
  g_signal_connect_swapped (self->choice, "notify::selected", G_CALLBACK (on_choice), self);
  gtk_box_append (GTK_BOX (bar), self->choice);
  GtkWidget *open = bar_button ("document-open-symbolic", NULL, _ ("Open a Scenario File"));
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (on_open), self);
  gtk_box_append (GTK_BOX (bar), open);
  GtkWidget *create = bar_button ("document-new-symbolic", NULL, _ ("New Scenario"));
  g_signal_connect_swapped (create, "clicked", G_CALLBACK (new_scenario), self);
  gtk_box_append (GTK_BOX (bar), create);
  self->save_button = bar_button ("document-save-as-symbolic", NULL, _ ("Save the Scenario As…"));
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save), self);
  gtk_box_append (GTK_BOX (bar), self->save_button);
  GtkWidget *linked = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (linked, "linked");
  self->undo_button = bar_button ("edit-undo-symbolic", NULL, _ ("Undo"));
  self->redo_button = bar_button ("edit-redo-symbolic", NULL, _ ("Redo"));
  g_signal_connect_swapped (self->undo_button, "clicked", G_CALLBACK (on_undo), self);
  g_signal_connect_swapped (self->redo_button, "clicked", G_CALLBACK (on_redo), self);
  gtk_box_append (GTK_BOX (linked), self->undo_button);
  gtk_box_append (GTK_BOX (linked), self->redo_button);
  gtk_box_append (GTK_BOX (bar), linked);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_tooltip_text (self->spinner, _ ("Comparing"));
  gtk_box_append (GTK_BOX (bar), self->spinner);
  gtk_box_append (GTK_BOX (self->box), bar);

  self->title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->title, "title-4");
  gtk_box_append (GTK_BOX (self->box), self->title);

  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  gtk_widget_add_css_class (self->message, "error");
  gtk_widget_set_visible (self->message, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->message);

  /* Measures at the start, figures at the end. */
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_position (GTK_PANED (paned), 380);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (self->box), paned);

  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_size_request (left, 300, -1);
  gtk_widget_set_margin_end (left, 6);
  GtkWidget *measures_title = gtk_label_new (_ ("Measures"));
  gtk_label_set_xalign (GTK_LABEL (measures_title), 0);
  gtk_widget_add_css_class (measures_title, "heading");
  gtk_box_append (GTK_BOX (left), measures_title);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  self->measures = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->measures), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->measures, "boxed-list");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->measures);
  gtk_box_append (GTK_BOX (left), scroll);
  GtkWidget *add = gtk_button_new_with_mnemonic (_ ("_Add a Measure…"));
  gtk_widget_set_halign (add, GTK_ALIGN_START);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add), self);
  gtk_box_append (GTK_BOX (left), add);
  gtk_paned_set_start_child (GTK_PANED (paned), left);

  GtkWidget *right_scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (right_scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (right, 6);
  GtkWidget *ba_title = gtk_label_new (_ ("Before and After"));
  gtk_label_set_xalign (GTK_LABEL (ba_title), 0);
  gtk_widget_add_css_class (ba_title, "heading");
  gtk_box_append (GTK_BOX (right), ba_title);
  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 4);
  gtk_box_append (GTK_BOX (right), self->grid);
  self->saving = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->saving), 0);
  gtk_widget_add_css_class (self->saving, "title-3");
  gtk_box_append (GTK_BOX (right), self->saving);
  self->interval = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->interval), 0);
  gtk_label_set_wrap (GTK_LABEL (self->interval), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->interval), 60);
  gtk_widget_add_css_class (self->interval, "dim-label");
  gtk_box_append (GTK_BOX (right), self->interval);
  GtkWidget *chart_title = gtk_label_new (_ ("Saving per Measure (euros per year)"));
  gtk_label_set_xalign (GTK_LABEL (chart_title), 0);
  gtk_widget_add_css_class (chart_title, "heading");
  gtk_box_append (GTK_BOX (right), chart_title);
  self->chart = moa_waterfall_chart_new ();
  gtk_box_append (GTK_BOX (right), self->chart);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (right_scroll), right);
  gtk_paned_set_end_child (GTK_PANED (paned), right_scroll);

  set_document (self, NULL);
}

GtkWidget *
moa_scenario_view_new (void)
{
  return g_object_new (MOA_TYPE_SCENARIO_VIEW, NULL);
}

void
moa_scenario_view_set_procedure (MoaScenarioView *self, const char *procedure_file,
                                 const MoaModelSet *models)
{
  g_return_if_fail (MOA_IS_SCENARIO_VIEW (self));

  if (g_strcmp0 (procedure_file, self->procedure_file) == 0 && self->models == models)
    return;
  g_free (self->procedure_file);
  self->procedure_file = g_strdup (procedure_file);
  self->models = models;

  self->choosing = TRUE;
  g_clear_pointer (&self->choices, g_ptr_array_unref);
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->choice_names));
  if (procedure_file != NULL)
    {
      g_autofree char *dir = moa_scenario_default_dir ();
      self->choices = moa_scenario_list_for_procedure (dir, procedure_file);
    }
  else
    self->choices = g_ptr_array_new ();
  const char **names = g_new0 (const char *, self->choices->len + 1);
  for (guint i = 0; i < self->choices->len; i++)
    names[i] = ((MoaScenarioChoice *)g_ptr_array_index (self->choices, i))->title;
  gtk_string_list_splice (self->choice_names, 0, old, names);
  g_free (names);
  gtk_widget_set_sensitive (self->choice, self->choices->len > 0);
  self->choosing = FALSE;

  set_document (self, NULL);
  if (procedure_file == NULL || models == NULL)
    return;
  if (self->choices->len > 0)
    {
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->choice), 0);
      g_autoptr (GError) error = NULL;
      if (!moa_scenario_view_open_file (
              self, ((MoaScenarioChoice *)g_ptr_array_index (self->choices, 0))->file, &error))
        show_message (self, error->message);
    }
  else
    new_scenario (self);
}

gboolean
moa_scenario_view_open_file (MoaScenarioView *self, const char *path, GError **error)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->models == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _ ("open a procedure first: its cost models are needed"));
      return FALSE;
    }
  g_autoptr (MoaScenarioDocument) doc
      = moa_scenario_document_new_for_file (path, self->models, error);
  if (doc == NULL)
    return FALSE;
  set_document (self, doc);
  return TRUE;
}

MoaScenarioDocument *
moa_scenario_view_get_document (MoaScenarioView *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_VIEW (self), NULL);
  return self->document;
}

MoaWaterfallChart *
moa_scenario_view_get_chart (MoaScenarioView *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_VIEW (self), NULL);
  return MOA_WATERFALL_CHART (self->chart);
}

const char *
moa_scenario_view_get_saving_text (MoaScenarioView *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_VIEW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->saving));
}

GtkSpinner *
moa_scenario_view_get_spinner (MoaScenarioView *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_VIEW (self), NULL);
  return GTK_SPINNER (self->spinner);
}
