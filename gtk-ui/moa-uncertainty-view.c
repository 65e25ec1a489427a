/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The uncertainty panel: the state of the background run and the tornado chart, every number
 * from the core's simulation and sensitivity analysis (MoaUncertainty). The intervals
 * themselves are shown beside the totals (moa-results-view.c). */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-ui-format.h"
#include "moa-uncertainty-view.h"

#define TORNADO_ROWS 8

struct _MoaUncertaintyView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkSpinner *spinner;
  GtkLabel *caption;
  GtkWidget *tornado_title;
  MoaTornadoChart *tornado;
  MoaUncertainty *uncertainty;
};

G_DEFINE_FINAL_TYPE (MoaUncertaintyView, moa_uncertainty_view, GTK_TYPE_WIDGET)

static void
moa_uncertainty_view_dispose (GObject *object)
{
  MoaUncertaintyView *self = MOA_UNCERTAINTY_VIEW (object);

  if (self->uncertainty != NULL)
    g_signal_handlers_disconnect_by_data (self->uncertainty, self);
  g_clear_object (&self->uncertainty);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (moa_uncertainty_view_parent_class)->dispose (object);
}

static void
moa_uncertainty_view_class_init (MoaUncertaintyViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = moa_uncertainty_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moa-uncertainty-view");
}

static GtkWidget *
label (const char *text, float xalign, const char *css)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
  if (css != NULL)
    gtk_widget_add_css_class (l, css);
  return l;
}

static void
update (MoaUncertaintyView *self)
{
  MoaUncertainty *u = self->uncertainty;
  gboolean running = moa_uncertainty_get_running (u);

  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);

  guint iterations = moa_uncertainty_get_iterations (u);
  const MoaStat *total = moa_uncertainty_get_stat (u, NULL, MOA_QUANTITY_BURDEN);
  if (total == NULL)
    {
      const char *error = moa_uncertainty_get_error (u);
      gtk_label_set_text (self->caption, error != NULL ? error
                                         : running     ? _ ("Simulating…")
                                                       : _ ("No simulation yet"));
      moa_tornado_chart_set_data (self->tornado, NULL, 0, NULL, 0);
      gtk_widget_set_visible (self->tornado_title, FALSE);
      return;
    }
  g_autofree char *n = moa_format_number (iterations, 0, TRUE);
  g_autofree char *caption = g_strdup_printf (
      _ ("%s Monte Carlo iterations: the 90 %% intervals (P5 – P95) are shown beside the "
         "totals per year"),
      n);
  gtk_label_set_text (self->caption, caption);

  GArray *sensitivity = moa_uncertainty_get_sensitivity (u);
  /* The procedure the run evaluated: the tornado's labels. */
  MoaProcedure *procedure = moa_uncertainty_get_procedure (u);

  moa_tornado_chart_set_data (self->tornado, sensitivity, total->point, procedure, TORNADO_ROWS);
  gtk_widget_set_visible (self->tornado_title, moa_tornado_chart_get_n_bars (self->tornado) > 0);
}

static void
moa_uncertainty_view_init (MoaUncertaintyView *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  GtkWidget *head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (head), label (_ ("Uncertainty"), 0, "title-4"));
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->spinner), _ ("Simulating"));
  gtk_box_append (GTK_BOX (head), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (self->box), head);

  self->caption = GTK_LABEL (label (NULL, 0, "dim-label"));
  gtk_label_set_ellipsize (self->caption, PANGO_ELLIPSIZE_NONE);
  gtk_label_set_wrap (self->caption, TRUE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->caption));

  self->tornado_title = label (_ ("What Moves the Burden Most"), 0, "heading");
  gtk_widget_set_margin_top (self->tornado_title, 12);
  gtk_box_append (GTK_BOX (self->box), self->tornado_title);
  GtkWidget *legend = label (_ ("Total burden per year with each parameter at its low (blue) "
                                "and high (orange) value, the others at their expected value"),
                             0, "caption");
  gtk_label_set_ellipsize (GTK_LABEL (legend), PANGO_ELLIPSIZE_NONE);
  gtk_label_set_wrap (GTK_LABEL (legend), TRUE);
  gtk_widget_add_css_class (legend, "dim-label");
  g_object_bind_property (self->tornado_title, "visible", legend, "visible", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (self->box), legend);
  self->tornado = MOA_TORNADO_CHART (moa_tornado_chart_new ());
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->tornado));
}

GtkWidget *
moa_uncertainty_view_new (MoaUncertainty *uncertainty)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY (uncertainty), NULL);

  MoaUncertaintyView *self = g_object_new (MOA_TYPE_UNCERTAINTY_VIEW, NULL);
  self->uncertainty = g_object_ref (uncertainty);
  g_signal_connect_swapped (uncertainty, "updated", G_CALLBACK (update), self);
  g_signal_connect_swapped (uncertainty, "notify::running", G_CALLBACK (update), self);
  update (self);
  return GTK_WIDGET (self);
}

MoaTornadoChart *
moa_uncertainty_view_get_tornado_chart (MoaUncertaintyView *self)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY_VIEW (self), NULL);
  return self->tornado;
}

GtkSpinner *
moa_uncertainty_view_get_spinner (MoaUncertaintyView *self)
{
  g_return_val_if_fail (MOA_IS_UNCERTAINTY_VIEW (self), NULL);
  return self->spinner;
}
