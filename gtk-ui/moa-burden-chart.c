/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The burden chart: one horizontal bar per activity row of the core's result (activity ×
 * addressee segment), drawn with cairo. The lengths and shades are the core's figures scaled
 * to the drawing; nothing is added up here. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-burden-chart.h"
#include "moa-ui-format.h"

#define ROW_HEIGHT 26
#define BAR_HEIGHT 16
#define LABEL_WIDTH 220
#define VALUE_WIDTH 190
#define MARGIN 8

struct _MoaBurdenChart
{
  GtkDrawingArea parent_instance;

  MoaSelection *selection;
  MoaDocument *document;
  gulong results_id;
  MoaResult *result;
  GPtrArray *bars; /* const MoaActivityResult*, borrowed from @result */
};

G_DEFINE_FINAL_TYPE (MoaBurdenChart, moa_burden_chart, GTK_TYPE_DRAWING_AREA)

static void
clear_document (MoaBurdenChart *self)
{
  if (self->document != NULL)
    g_clear_signal_handler (&self->results_id, self->document);
  g_clear_object (&self->document);
  g_ptr_array_set_size (self->bars, 0);
  g_clear_pointer (&self->result, moa_result_unref);
}

static void
moa_burden_chart_dispose (GObject *object)
{
  MoaBurdenChart *self = MOA_BURDEN_CHART (object);

  clear_document (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (moa_burden_chart_parent_class)->dispose (object);
}

static void
moa_burden_chart_finalize (GObject *object)
{
  g_ptr_array_unref (MOA_BURDEN_CHART (object)->bars);
  G_OBJECT_CLASS (moa_burden_chart_parent_class)->finalize (object);
}

static void
moa_burden_chart_class_init (MoaBurdenChartClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = moa_burden_chart_dispose;
  G_OBJECT_CLASS (klass)->finalize = moa_burden_chart_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "moa-burden-chart");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

/* Light yellow for a small share of the burden to dark red for the largest (GNOME palette). */
static void
shade (double share, double *r, double *g, double *b)
{
  static const double low[3] = { 0xf9 / 255.0, 0xf0 / 255.0, 0x6b / 255.0 };  /* yellow 1 */
  static const double mid[3] = { 0xe6 / 255.0, 0x61 / 255.0, 0x00 / 255.0 };  /* orange 4 */
  static const double high[3] = { 0xa5 / 255.0, 0x1d / 255.0, 0x2d / 255.0 }; /* red 4 */
  double t = CLAMP (share, 0.0, 1.0);
  const double *a = t < 0.5 ? low : mid, *c = t < 0.5 ? mid : high;
  double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;

  *r = a[0] + (c[0] - a[0]) * u;
  *g = a[1] + (c[1] - a[1]) * u;
  *b = a[2] + (c[2] - a[2]) * u;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double width,
           PangoAlignment align)
{
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_alignment (layout, align);
  int h;
  pango_layout_get_pixel_size (layout, NULL, &h);
  cairo_move_to (cr, x, y + (ROW_HEIGHT - h) / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  MoaBurdenChart *self = MOA_BURDEN_CHART (area);
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (self->result == NULL || self->bars->len == 0)
    return;

  double max = 0;
  for (guint i = 0; i < self->bars->len; i++)
    max = MAX (max,
               ((const MoaActivityResult *)g_ptr_array_index (self->bars, i))->per_year.burden);
  double total = self->result->total.recurring.burden + self->result->total.one_off.burden;
  double bar_space = MAX (20, width - LABEL_WIDTH - VALUE_WIDTH - 4 * MARGIN);

  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  const char *lang = moa_ui_get_lang ();
  const char *selected = moa_selection_get_node_id (self->selection);
  const char *selected_obligation = moa_selection_get_obligation_id (self->selection);

  for (guint i = 0; i < self->bars->len; i++)
    {
      const MoaActivityResult *row = g_ptr_array_index (self->bars, i);
      double y = MARGIN + i * ROW_HEIGHT;
      gboolean is_selected = g_strcmp0 (row->node->id, selected) == 0
                             && g_strcmp0 (row->obligation->id, selected_obligation) == 0;

      if (is_selected)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.08);
          cairo_rectangle (cr, 0, y, width, ROW_HEIGHT);
          cairo_fill (cr);
        }

      g_autofree char *label = NULL;
      const char *title = moa_title_get (&row->node->title, lang, row->node->id);
      if (row->obligation->target_groups != NULL && row->segment != NULL && !row->segment->implicit)
        label = g_strdup_printf ("%s (%s)", title,
                                 moa_title_get (&row->segment->title, lang, row->segment->id));
      else
        label = g_strdup (title);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
      draw_text (cr, layout, label, MARGIN, y, LABEL_WIDTH, PANGO_ALIGN_LEFT);

      double share = total > 0 ? row->per_year.burden / total : 0;
      double length = max > 0 ? bar_space * row->per_year.burden / max : 0;
      double r, g, b;
      shade (max > 0 ? row->per_year.burden / max : 0, &r, &g, &b);
      double x0 = LABEL_WIDTH + 2 * MARGIN;
      double y0 = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
      cairo_pattern_t *gradient = cairo_pattern_create_linear (0, y0, 0, y0 + BAR_HEIGHT);
      cairo_pattern_add_color_stop_rgb (gradient, 0, MIN (1, r * 1.12), MIN (1, g * 1.12),
                                        MIN (1, b * 1.12));
      cairo_pattern_add_color_stop_rgb (gradient, 1, r * 0.85, g * 0.85, b * 0.85);
      cairo_set_source (cr, gradient);
      cairo_rectangle (cr, x0, y0, MAX (length, row->per_year.burden > 0 ? 1.0 : 0.0), BAR_HEIGHT);
      cairo_fill (cr);
      cairo_pattern_destroy (gradient);

      g_autofree char *money = moa_ui_format_money (row->per_year.burden);
      g_autofree char *percent = moa_format_number (100 * share, 1, TRUE);
      g_autofree char *value = g_strdup_printf ("%s · %s %%", money, percent);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.75);
      draw_text (cr, layout, value, x0 + bar_space + MARGIN, y, VALUE_WIDTH + MARGIN,
                 PANGO_ALIGN_RIGHT);
    }
  g_object_unref (layout);
}

static void
update (MoaBurdenChart *self)
{
  MoaResult *result = self->document != NULL ? moa_document_get_result (self->document) : NULL;

  g_ptr_array_set_size (self->bars, 0);
  g_clear_pointer (&self->result, moa_result_unref);
  if (result != NULL)
    {
      self->result = moa_result_ref (result);
      for (guint i = 0; i < result->activities->len; i++)
        {
          const MoaActivityResult *row = &g_array_index (result->activities, MoaActivityResult, i);
          /* What the administration itself does is reported apart, not in the burden. */
          if (row->payer != NULL && row->payer->kind == MOA_TARGET_ADMINISTRATION)
            continue;
          g_ptr_array_add (self->bars, (gpointer)row);
        }
    }
  gtk_widget_set_size_request (GTK_WIDGET (self), LABEL_WIDTH + VALUE_WIDTH + 120,
                               2 * MARGIN + ROW_HEIGHT * MAX (1, self->bars->len));
  g_autofree char *description
      = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Burden per year of %u activity",
                                      "Burden per year of %u activities", self->bars->len),
                         self->bars->len);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
pressed (GtkGestureClick *gesture, int n_press, double x, double y, gpointer user_data)
{
  MoaBurdenChart *self = user_data;
  int index = (int)((y - MARGIN) / ROW_HEIGHT);

  if (y < MARGIN || index < 0 || (guint)index >= self->bars->len)
    return;
  const MoaActivityResult *row = g_ptr_array_index (self->bars, index);
  moa_selection_select (self->selection, row->obligation->id, row->node->id);
}

static void
moa_burden_chart_init (MoaBurdenChart *self)
{
  self->bars = g_ptr_array_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
moa_burden_chart_new (MoaSelection *selection)
{
  g_return_val_if_fail (MOA_IS_SELECTION (selection), NULL);

  MoaBurdenChart *self = g_object_new (MOA_TYPE_BURDEN_CHART, NULL);
  self->selection = g_object_ref (selection);
  g_signal_connect_swapped (selection, "changed", G_CALLBACK (gtk_widget_queue_draw), self);
  return GTK_WIDGET (self);
}

void
moa_burden_chart_set_document (MoaBurdenChart *self, MoaDocument *document)
{
  g_return_if_fail (MOA_IS_BURDEN_CHART (self));
  g_return_if_fail (document == NULL || MOA_IS_DOCUMENT (document));

  clear_document (self);
  if (document != NULL)
    {
      self->document = g_object_ref (document);
      self->results_id
          = g_signal_connect_swapped (document, "results-changed", G_CALLBACK (update), self);
    }
  update (self);
}

guint
moa_burden_chart_get_n_bars (MoaBurdenChart *self)
{
  g_return_val_if_fail (MOA_IS_BURDEN_CHART (self), 0);
  return self->bars->len;
}
