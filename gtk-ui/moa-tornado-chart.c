/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The tornado chart: one bar per parameter from the total at its low value to the total at
 * its high value, every number from moa_sensitivity_compute(), drawn with cairo. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "moa-tornado-chart.h"
#include "moa-ui-format.h"

#define ROW_HEIGHT 26
#define BAR_HEIGHT 16
#define LABEL_WIDTH 220
#define MARGIN 8
#define AXIS 22

typedef struct
{
  char *label;
  double low_total, high_total;
  double low_value, high_value;
} Bar;

struct _MoaTornadoChart
{
  GtkDrawingArea parent_instance;

  GArray *bars; /* Bar */
  double base;
};

G_DEFINE_FINAL_TYPE (MoaTornadoChart, moa_tornado_chart, GTK_TYPE_DRAWING_AREA)

static void
bar_clear (gpointer data)
{
  g_free (((Bar *)data)->label);
}

static void
moa_tornado_chart_finalize (GObject *object)
{
  g_array_unref (MOA_TORNADO_CHART (object)->bars);
  G_OBJECT_CLASS (moa_tornado_chart_parent_class)->finalize (object);
}

static void
moa_tornado_chart_class_init (MoaTornadoChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = moa_tornado_chart_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "moa-tornado-chart");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
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
  MoaTornadoChart *self = MOA_TORNADO_CHART (area);
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (self->bars->len == 0)
    return;

  double lo = self->base, hi = self->base;
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      lo = MIN (lo, MIN (bar->low_total, bar->high_total));
      hi = MAX (hi, MAX (bar->low_total, bar->high_total));
    }
  if (hi - lo <= 0)
    return;
  double x0 = LABEL_WIDTH + 2 * MARGIN, x1 = MAX (x0 + 40, width - MARGIN - 4);
#define X(v) (x0 + ((v)-lo) / (hi - lo) * (x1 - x0))

  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *bar = &g_array_index (self->bars, Bar, i);
      double y = MARGIN + i * ROW_HEIGHT;
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
      draw_text (cr, layout, bar->label, MARGIN, y, LABEL_WIDTH, PANGO_ALIGN_RIGHT);
      double y0 = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
      /* The parameter at its low value: blue 3; at its high value: orange 4. */
      cairo_set_source_rgb (cr, 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0);
      cairo_rectangle (cr, MIN (X (bar->low_total), X (self->base)), y0,
                       fabs (X (bar->low_total) - X (self->base)), BAR_HEIGHT);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0xe6 / 255.0, 0x61 / 255.0, 0x00 / 255.0);
      cairo_rectangle (cr, MIN (X (bar->high_total), X (self->base)), y0,
                       fabs (X (bar->high_total) - X (self->base)), BAR_HEIGHT);
      cairo_fill (cr);
    }
  double bottom = MARGIN + self->bars->len * ROW_HEIGHT;
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, round (X (self->base)) + 0.5, MARGIN / 2.0);
  cairo_line_to (cr, round (X (self->base)) + 0.5, bottom + 2);
  cairo_stroke (cr);

  /* The axis: the lowest total, the base, the highest. */
  double values[3] = { lo, self->base, hi };
  PangoAlignment aligns[3] = { PANGO_ALIGN_LEFT, PANGO_ALIGN_CENTER, PANGO_ALIGN_RIGHT };
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *text = moa_ui_format_money (values[k]);
      double w = 110, x = k == 0 ? X (lo) : k == 1 ? X (self->base) - w / 2 : X (hi) - w;
      if (k == 1 && (X (self->base) - X (lo) < w || X (hi) - X (self->base) < w))
        continue;
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      draw_text (cr, layout, text, x, bottom, w, aligns[k]);
    }
#undef X
  g_object_unref (layout);
}

static void
moa_tornado_chart_init (MoaTornadoChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, bar_clear);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
}

GtkWidget *
moa_tornado_chart_new (void)
{
  return g_object_new (MOA_TYPE_TORNADO_CHART, NULL);
}

static const char *
attribute_label (const char *attribute)
{
  static const struct
  {
    const char *key;
    const char *label;
  } names[] = {
    { "time", N_ ("time") },
    { "out-of-pocket", N_ ("out-of-pocket costs") },
    { "fee", N_ ("external fee") },
    { "bau", N_ ("business-as-usual share") },
    { "tariff", N_ ("tariff") },
    { "acquisitions", N_ ("acquisitions") },
    { "probability", N_ ("probability") },
    { "population", N_ ("population") },
    { "frequency", N_ ("frequency") },
    { "cases", N_ ("cases per year") },
    { "compliance", N_ ("compliance") },
    { "rate", N_ ("rate") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (attribute, names[i].key) == 0)
      return _ (names[i].label);
  return attribute;
}

/* "Title of the activity: time (Segment)" from a plan key
 * "OBLIGATION/NODE:ATTRIBUTE[@SEGMENT]", "OBLIGATION/GATEWAY>TARGET:probability",
 * "OBLIGATION:ATTRIBUTE", "SEGMENT:population"; other keys as they are. */
static char *
key_label (const char *key, const MoaProcedure *procedure)
{
  const char *lang = moa_ui_get_lang ();
  g_autofree char *copy = g_strdup (key);
  char *segment = strchr (copy, '@');
  if (segment != NULL)
    *segment++ = '\0';
  char *attribute = strrchr (copy, ':');
  if (attribute == NULL || g_str_has_prefix (copy, "model:") || procedure == NULL)
    return g_strdup (key);
  *attribute++ = '\0';

  const char *what = copy;
  char *slash = strchr (copy, '/');
  if (slash != NULL)
    {
      *slash = '\0';
      char *arrow = strchr (slash + 1, '>');
      if (arrow != NULL)
        *arrow = '\0';
      const MoaObligation *obligation = moa_procedure_get_obligation (procedure, copy);
      const char *node_id = arrow != NULL ? arrow + 1 : slash + 1;
      const MoaNode *node = obligation ? moa_obligation_get_node (obligation, node_id) : NULL;
      what = node != NULL ? moa_title_get (&node->title, lang, node_id) : node_id;
    }
  else
    {
      const MoaObligation *obligation = moa_procedure_get_obligation (procedure, copy);
      const MoaSegment *seg = moa_procedure_get_segment (procedure, copy);
      if (obligation != NULL)
        what = moa_title_get (&obligation->title, lang, copy);
      else if (seg != NULL)
        what = moa_title_get (&seg->title, lang, copy);
    }
  const MoaSegment *seg = segment ? moa_procedure_get_segment (procedure, segment) : NULL;
  if (segment != NULL)
    return g_strdup_printf ("%s: %s (%s)", what, attribute_label (attribute),
                            seg ? moa_title_get (&seg->title, lang, segment) : segment);
  return g_strdup_printf ("%s: %s", what, attribute_label (attribute));
}

void
moa_tornado_chart_set_data (MoaTornadoChart *self, GArray *sensitivity, double base,
                            MoaProcedure *procedure, guint max_rows)
{
  g_return_if_fail (MOA_IS_TORNADO_CHART (self));

  g_array_set_size (self->bars, 0);
  self->base = base;
  for (guint i = 0; sensitivity != NULL && i < sensitivity->len && self->bars->len < max_rows; i++)
    {
      const MoaSensitivity *row = &g_array_index (sensitivity, MoaSensitivity, i);
      if (!(row->swing > 0))
        continue;
      Bar bar = { key_label (row->key, procedure), row->low_total, row->high_total, row->low_value,
                  row->high_value };
      g_array_append_val (self->bars, bar);
    }
  gtk_widget_set_size_request (
      GTK_WIDGET (self), LABEL_WIDTH + 160,
      self->bars->len > 0 ? 2 * MARGIN + AXIS + ROW_HEIGHT * (int)self->bars->len : 0);
  g_autofree char *description = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Sensitivity of the burden to %u parameter",
                   "Sensitivity of the burden to %u parameters", self->bars->len),
      self->bars->len);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
moa_tornado_chart_get_n_bars (MoaTornadoChart *self)
{
  g_return_val_if_fail (MOA_IS_TORNADO_CHART (self), 0);
  return self->bars->len;
}

const char *
moa_tornado_chart_get_bar_label (MoaTornadoChart *self, guint index)
{
  g_return_val_if_fail (MOA_IS_TORNADO_CHART (self), NULL);
  return index < self->bars->len ? g_array_index (self->bars, Bar, index).label : NULL;
}
