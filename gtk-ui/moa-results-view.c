/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The totals grid: one row per target group and one for the procedure, every number read
 * from the document's MoaResult, and beside the figures per year their P5-P95 interval from
 * the background Monte Carlo run (MoaUncertainty) once it has finished. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-results-view.h"
#include "moa-ui-format.h"

struct _MoaResultsView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *status; /* the core's message when the evaluation failed */
  GtkWidget *grid;
  GHashTable *labels; /* "GROUP/FIGURE" -> GtkLabel (borrowed from the grid) */
  char *layout;       /* the group ids the grid was built for, joined */
  MoaDocument *document;
  gulong results_id;
  MoaUncertainty *uncertainty;
  gulong updated_id;
};

G_DEFINE_FINAL_TYPE (MoaResultsView, moa_results_view, GTK_TYPE_WIDGET)

static void
clear_document (MoaResultsView *self)
{
  if (self->document != NULL)
    g_clear_signal_handler (&self->results_id, self->document);
  g_clear_object (&self->document);
}

static void
moa_results_view_dispose (GObject *object)
{
  MoaResultsView *self = MOA_RESULTS_VIEW (object);

  clear_document (self);
  if (self->uncertainty != NULL)
    g_clear_signal_handler (&self->updated_id, self->uncertainty);
  g_clear_object (&self->uncertainty);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->labels, g_hash_table_unref);
  g_clear_pointer (&self->layout, g_free);
  G_OBJECT_CLASS (moa_results_view_parent_class)->dispose (object);
}

static void
moa_results_view_class_init (MoaResultsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = moa_results_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moa-results-view");
}

static void
moa_results_view_init (MoaResultsView *self)
{
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  GtkWidget *title = gtk_label_new (_ ("Administrative Burden"));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-4");
  gtk_box_append (GTK_BOX (self->box), title);

  self->status = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->status), TRUE);
  gtk_widget_add_css_class (self->status, "error");
  gtk_widget_set_visible (self->status, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->status);
}

GtkWidget *
moa_results_view_new (void)
{
  return g_object_new (MOA_TYPE_RESULTS_VIEW, NULL);
}

static GtkWidget *
cell_label (MoaResultsView *self, const char *group, const char *figure, GtkWidget *box)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  g_hash_table_insert (self->labels, g_strdup_printf ("%s/%s", group, figure), label);
  return label;
}

static void
header (GtkGrid *grid, int column, const char *text, float xalign)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_grid_attach (grid, label, column, 0, 1, 1);
}

static char *
case_key (const MoaCaseResult *row)
{
  return g_strdup_printf ("%s@%s", row->obligation->id, row->segment->id);
}

/* The label of a P5-P95 interval under a figure per year, hidden until a run has finished. */
static void
interval_label (MoaResultsView *self, const char *key, const char *figure, GtkWidget *box)
{
  g_autofree char *name = g_strdup_printf ("%s-interval", figure);
  GtkWidget *label = cell_label (self, key, name, box);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_visible (label, FALSE);
}

static GtkWidget *
figures_cell (MoaResultsView *self, const char *key, const char *period, gboolean hours)
{
  GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gboolean per_year = g_str_equal (period, "per-year");
  gtk_widget_set_valign (cell, GTK_ALIGN_START);
  g_autofree char *euros = g_strdup_printf ("euros-%s", period);
  cell_label (self, key, euros, cell);
  if (per_year)
    interval_label (self, key, euros, cell);
  if (hours)
    {
      g_autofree char *h = g_strdup_printf ("hours-%s", period);
      gtk_widget_add_css_class (cell_label (self, key, h, cell), "dim-label");
      if (per_year)
        interval_label (self, key, h, cell);
    }
  return cell;
}

/* One row: the group's name and kind; per case, the figures of each of its cases (obligation
 * x segment: a group may have several, each its own case); per year, the group's. */
static void
add_row (MoaResultsView *self, int row, MoaResult *result, const char *id, const char *name,
         const char *caption, gboolean hours)
{
  GtkGrid *grid = GTK_GRID (self->grid);
  const char *lang = moa_ui_get_lang ();
  GtkWidget *names = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_box_append (GTK_BOX (names), label);
  GtkWidget *kind = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (kind), 0);
  gtk_widget_add_css_class (kind, "dim-label");
  gtk_widget_add_css_class (kind, "caption");
  gtk_box_append (GTK_BOX (names), kind);
  gtk_grid_attach (grid, names, 0, row, 1, 1);

  GtkWidget *per_case = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_valign (per_case, GTK_ALIGN_START);
  if (result == NULL)
    gtk_box_append (GTK_BOX (per_case), figures_cell (self, id, "per-case", hours));
  else
    {
      guint n = 0;
      for (guint i = 0; i < result->cases->len; i++)
        n += g_strcmp0 (g_array_index (result->cases, MoaCaseResult, i).group->id, id) == 0;
      for (guint i = 0; i < result->cases->len; i++)
        {
          const MoaCaseResult *c = &g_array_index (result->cases, MoaCaseResult, i);
          if (g_strcmp0 (c->group->id, id) != 0)
            continue;
          if (n > 1)
            {
              g_autofree char *which
                  = c->segment->implicit
                        ? g_strdup (moa_title_get (&c->obligation->title, lang, c->obligation->id))
                        : g_strdup_printf (
                            "%s (%s)",
                            moa_title_get (&c->obligation->title, lang, c->obligation->id),
                            moa_title_get (&c->segment->title, lang, c->segment->id));
              GtkWidget *w = gtk_label_new (which);
              gtk_label_set_xalign (GTK_LABEL (w), 1);
              gtk_label_set_ellipsize (GTK_LABEL (w), PANGO_ELLIPSIZE_END);
              gtk_label_set_max_width_chars (GTK_LABEL (w), 24);
              gtk_widget_add_css_class (w, "caption");
              gtk_widget_add_css_class (w, "dim-label");
              gtk_box_append (GTK_BOX (per_case), w);
            }
          g_autofree char *key = case_key (c);
          gtk_box_append (GTK_BOX (per_case), figures_cell (self, key, "per-case", hours));
        }
      if (n == 0)
        {
          /* Not an addressee (an administration): no cases of its own. */
          GtkWidget *none = gtk_label_new ("—");
          gtk_label_set_xalign (GTK_LABEL (none), 1);
          gtk_widget_add_css_class (none, "dim-label");
          gtk_box_append (GTK_BOX (per_case), none);
        }
    }
  gtk_grid_attach (grid, per_case, 1, row, 1, 1);
  gtk_grid_attach (grid, figures_cell (self, id, "per-year", hours), 2, row, 1, 1);
}

static const char *
kind_caption (MoaTargetKind kind)
{
  switch (kind)
    {
      case MOA_TARGET_CITIZEN:
        return _ ("Citizens");
      case MOA_TARGET_BUSINESS:
        return _ ("Businesses");
      default:
        return _ ("Administration, reported apart");
    }
}

static void
build (MoaResultsView *self, MoaResult *result)
{
  if (self->grid != NULL)
    gtk_box_remove (GTK_BOX (self->box), self->grid);
  g_hash_table_remove_all (self->labels);

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 10);
  gtk_box_append (GTK_BOX (self->box), self->grid);
  header (GTK_GRID (self->grid), 0, _ ("Target group"), 0);
  header (GTK_GRID (self->grid), 1, _ ("Per case"), 1);
  header (GTK_GRID (self->grid), 2, _ ("Per year"), 1);

  int row = 1;
  for (guint i = 0; i < result->groups->len; i++)
    {
      const MoaTotal *total = &g_array_index (result->groups, MoaTotal, i);
      const MoaTargetGroup *group = moa_procedure_get_target_group (result->procedure, total->id);
      add_row (self, row++, result, total->id,
               group != NULL ? moa_title_get (&group->title, moa_ui_get_lang (), total->id)
                             : total->id,
               kind_caption (total->kind), total->kind != MOA_TARGET_BUSINESS);
    }
  add_row (self, row, NULL, "@total", _ ("Total"), _ ("Citizens and businesses"), FALSE);
  gtk_widget_add_css_class (gtk_grid_get_child_at (GTK_GRID (self->grid), 0, row), "heading");
}

static void
set_label (MoaResultsView *self, const char *key, const char *figure, double value, gboolean hours)
{
  GtkLabel *label = moa_results_view_get_label (self, key, figure);
  if (label == NULL)
    return;
  g_autofree char *text = hours ? moa_ui_format_hours (value) : moa_ui_format_money (value);
  gtk_label_set_text (label, text);
}

/* @per_case: the figures per case (NULL when they are set case by case). */
static void
set_figures (MoaResultsView *self, const char *id, const MoaFigures *per_case,
             const MoaTotal *total)
{
  struct
  {
    const char *figure;
    double value;
    gboolean hours;
  } cells[] = {
    { "euros-per-case", per_case ? per_case->burden : 0, FALSE },
    { "euros-per-year", total->recurring.burden, FALSE },
    { "hours-per-case", per_case ? per_case->hours : 0, TRUE },
    { "hours-per-year", total->recurring.hours, TRUE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    if (per_case != NULL || g_str_has_suffix (cells[i].figure, "-per-year"))
      set_label (self, id, cells[i].figure, cells[i].value, cells[i].hours);
  if (total->one_off.burden != 0)
    {
      /* One-off figures are reported apart from the yearly ones (methodology). */
      GtkLabel *label = moa_results_view_get_label (self, id, "euros-per-year");
      g_autofree char *money = moa_ui_format_money (total->one_off.burden);
      g_autofree char *text
          = g_strdup_printf (_ ("%s\n%s one-off"), gtk_label_get_text (label), money);
      gtk_label_set_text (label, text);
    }
}

/* Shows the interval of @quantity for @key (a group id or "@total") from the last finished
 * run, or hides it when there is none. */
static void
set_interval (MoaResultsView *self, const char *key, const char *figure, MoaQuantity quantity,
              gboolean hours)
{
  g_autofree char *name = g_strdup_printf ("%s-interval", figure);
  GtkLabel *label = moa_results_view_get_label (self, key, name);
  if (label == NULL)
    return;
  const MoaStat *stat = self->uncertainty != NULL ? moa_uncertainty_get_stat (
                            self->uncertainty, g_str_equal (key, "@total") ? NULL : key, quantity)
                                                  : NULL;
  gtk_widget_set_visible (GTK_WIDGET (label), stat != NULL);
  if (stat == NULL)
    {
      gtk_label_set_text (label, "");
      return;
    }
  g_autofree char *low = hours ? moa_ui_format_hours (stat->p5) : moa_ui_format_money (stat->p5);
  g_autofree char *high = hours ? moa_ui_format_hours (stat->p95) : moa_ui_format_money (stat->p95);
  /* TRANSLATORS: an interval, from the 5th to the 95th percentile */
  g_autofree char *text = g_strdup_printf (_ ("%s – %s"), low, high);
  gtk_label_set_text (label, text);
  g_autofree char *n
      = moa_format_number (moa_uncertainty_get_iterations (self->uncertainty), 0, TRUE);
  g_autofree char *tooltip
      = g_strdup_printf (_ ("90 %% interval (P5 – P95) over %s Monte Carlo iterations"), n);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
}

static void
update_intervals (MoaResultsView *self)
{
  MoaResult *result = self->document != NULL ? moa_document_get_result (self->document) : NULL;

  if (result == NULL || self->grid == NULL)
    return;
  for (guint i = 0; i < result->groups->len; i++)
    {
      const char *id = g_array_index (result->groups, MoaTotal, i).id;
      set_interval (self, id, "euros-per-year", MOA_QUANTITY_BURDEN, FALSE);
      set_interval (self, id, "hours-per-year", MOA_QUANTITY_HOURS, TRUE);
    }
  set_interval (self, "@total", "euros-per-year", MOA_QUANTITY_BURDEN, FALSE);
}

static void
update (MoaResultsView *self)
{
  MoaResult *result = self->document != NULL ? moa_document_get_result (self->document) : NULL;
  const char *error
      = self->document != NULL ? moa_document_get_result_error (self->document) : NULL;

  gtk_label_set_text (GTK_LABEL (self->status), error != NULL ? error : "");
  gtk_widget_set_visible (self->status, error != NULL);
  if (self->grid != NULL)
    gtk_widget_set_opacity (self->grid, error != NULL ? 0.4 : 1.0);
  if (result == NULL)
    return;

  GString *layout = g_string_new (NULL);
  for (guint i = 0; i < result->groups->len; i++)
    g_string_append_printf (layout, "%s\n", g_array_index (result->groups, MoaTotal, i).id);
  for (guint i = 0; i < result->cases->len; i++)
    {
      g_autofree char *key = case_key (&g_array_index (result->cases, MoaCaseResult, i));
      g_string_append_printf (layout, "%s\n", key);
    }
  if (g_strcmp0 (layout->str, self->layout) != 0)
    {
      build (self, result);
      g_free (self->layout);
      self->layout = g_strdup (layout->str);
    }
  g_string_free (layout, TRUE);

  for (guint i = 0; i < result->groups->len; i++)
    {
      const MoaTotal *total = &g_array_index (result->groups, MoaTotal, i);
      set_figures (self, total->id, NULL, total);
    }
  for (guint i = 0; i < result->cases->len; i++)
    {
      const MoaCaseResult *c = &g_array_index (result->cases, MoaCaseResult, i);
      g_autofree char *key = case_key (c);
      set_label (self, key, "euros-per-case", c->per_case.burden, FALSE);
      set_label (self, key, "hours-per-case", c->per_case.hours, TRUE);
    }
  set_figures (self, "@total", &result->total.per_case, &result->total);
  update_intervals (self);
}

void
moa_results_view_set_document (MoaResultsView *self, MoaDocument *document)
{
  g_return_if_fail (MOA_IS_RESULTS_VIEW (self));
  g_return_if_fail (document == NULL || MOA_IS_DOCUMENT (document));

  clear_document (self);
  g_clear_pointer (&self->layout, g_free);
  if (self->grid != NULL)
    {
      gtk_box_remove (GTK_BOX (self->box), self->grid);
      self->grid = NULL;
      g_hash_table_remove_all (self->labels);
    }
  if (document != NULL)
    {
      self->document = g_object_ref (document);
      self->results_id
          = g_signal_connect_swapped (document, "results-changed", G_CALLBACK (update), self);
    }
  update (self);
}

void
moa_results_view_set_uncertainty (MoaResultsView *self, MoaUncertainty *uncertainty)
{
  g_return_if_fail (MOA_IS_RESULTS_VIEW (self));
  g_return_if_fail (uncertainty == NULL || MOA_IS_UNCERTAINTY (uncertainty));

  if (self->uncertainty != NULL)
    g_clear_signal_handler (&self->updated_id, self->uncertainty);
  g_set_object (&self->uncertainty, uncertainty);
  if (uncertainty != NULL)
    self->updated_id
        = g_signal_connect_swapped (uncertainty, "updated", G_CALLBACK (update_intervals), self);
  update_intervals (self);
}

GtkLabel *
moa_results_view_get_label (MoaResultsView *self, const char *key, const char *figure)
{
  g_return_val_if_fail (MOA_IS_RESULTS_VIEW (self), NULL);
  g_return_val_if_fail (key != NULL && figure != NULL, NULL);

  g_autofree char *full = g_strdup_printf ("%s/%s", key, figure);
  return g_hash_table_lookup (self->labels, full);
}
