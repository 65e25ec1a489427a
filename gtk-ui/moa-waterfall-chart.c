/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The waterfall chart: horizontal bars drawn with cairo, one row each for the burden before,
 * every measure's saving (a step from the running level) and the burden after, with the
 * interval of the total saving as a whisker on the after bar. Values are the core's, only
 * scaled to the drawing. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "moa-ui-format.h"
#include "moa-waterfall-chart.h"

#define ROW_HEIGHT 28
#define BAR_HEIGHT 18
#define LABEL_WIDTH 240
#define VALUE_WIDTH 150
#define MARGIN 8

typedef enum
{
  ROW_BEFORE,
  ROW_STEP,
  ROW_AFTER,
} RowKind;

typedef struct
{
  RowKind kind;
  char *label;
  double from; /* the bar spans [MIN(from, to), MAX(from, to)] */
  double to;
  double value; /* shown at the right */
} Row;

struct _MoaWaterfallChart
{
  GtkDrawingArea parent_instance;

  GArray *rows; /* Row */
  double level; /* the running burden while steps are added */
  double low, high;
  char *message;
};

G_DEFINE_FINAL_TYPE (MoaWaterfallChart, moa_waterfall_chart, GTK_TYPE_DRAWING_AREA)

static void
row_clear (Row *row)
{
  g_free (row->label);
}

static void
moa_waterfall_chart_finalize (GObject *object)
{
  MoaWaterfallChart *self = MOA_WATERFALL_CHART (object);

  g_array_unref (self->rows);
  g_free (self->message);
  G_OBJECT_CLASS (moa_waterfall_chart_parent_class)->finalize (object);
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double width,
           gboolean right)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x, y + (ROW_HEIGHT - h) / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  MoaWaterfallChart *self = MOA_WATERFALL_CHART (area);
  GtkWidget *widget = GTK_WIDGET (area);
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  GdkRGBA fg;
  double max = 0;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  if (self->rows->len == 0)
    {
      if (self->message != NULL)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.6);
          draw_text (cr, layout, self->message, MARGIN, MARGIN, width - 2 * MARGIN, FALSE);
        }
      return;
    }
  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      max = MAX (max, MAX (row->from, row->to));
    }
  if (isfinite (self->high))
    max = MAX (max, g_array_index (self->rows, Row, 0).to);
  double plot = MAX (width - LABEL_WIDTH - VALUE_WIDTH - 4 * MARGIN, 10);
  double x0 = LABEL_WIDTH + 2 * MARGIN;
  double scale = max > 0 ? plot / max : 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      double y = MARGIN + i * ROW_HEIGHT;
      double a = MIN (row->from, row->to), b = MAX (row->from, row->to);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
      draw_text (cr, layout, row->label, MARGIN, y, LABEL_WIDTH, FALSE);
      if (row->kind == ROW_STEP)
        {
          if (row->to <= row->from)
            cairo_set_source_rgb (cr, 0.18, 0.62, 0.33); /* a saving: green */
          else
            cairo_set_source_rgb (cr, 0.88, 0.38, 0.18); /* adds burden: orange */
        }
      else
        cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      cairo_rectangle (cr, x0 + a * scale, y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0,
                       MAX ((b - a) * scale, 1.0), BAR_HEIGHT);
      cairo_fill (cr);

      /* The connector from this row's end level to the next row. */
      if (i + 1 < self->rows->len)
        {
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.35);
          cairo_set_line_width (cr, 1);
          cairo_move_to (cr, x0 + row->to * scale + 0.5, y + (ROW_HEIGHT + BAR_HEIGHT) / 2.0);
          cairo_line_to (cr, x0 + row->to * scale + 0.5,
                         y + ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2.0);
          cairo_stroke (cr);
        }

      /* The interval of the total saving, drawn where the after bar ends: the after level
       * ranges over [before - high, before - low]. */
      if (row->kind == ROW_AFTER && isfinite (self->low) && isfinite (self->high))
        {
          double before = g_array_index (self->rows, Row, 0).to;
          double l = MAX (before - self->high, 0), h = MAX (before - self->low, 0);
          double yc = y + ROW_HEIGHT / 2.0;
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha);
          cairo_set_line_width (cr, 1.5);
          cairo_move_to (cr, x0 + l * scale, yc);
          cairo_line_to (cr, x0 + h * scale, yc);
          cairo_move_to (cr, x0 + l * scale, yc - 5);
          cairo_line_to (cr, x0 + l * scale, yc + 5);
          cairo_move_to (cr, x0 + h * scale, yc - 5);
          cairo_line_to (cr, x0 + h * scale, yc + 5);
          cairo_stroke (cr);
        }

      g_autofree char *shown = NULL;
      if (row->kind != ROW_STEP)
        shown = moa_ui_format_money (row->value);
      else if (fabs (row->value) < 0.005) /* a step that rounds to no saving has no sign */
        shown = moa_ui_format_money (0.0);
      else if (row->value < 0)
        {
          g_autofree char *positive = moa_ui_format_money (-row->value);
          shown = g_strdup_printf ("+%s", positive);
        }
      else
        {
          g_autofree char *value = moa_ui_format_money (row->value);
          shown = g_strdup_printf ("−%s", value);
        }
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.8);
      draw_text (cr, layout, shown, width - VALUE_WIDTH - MARGIN, y, VALUE_WIDTH, TRUE);
    }
}

static void
update_size (MoaWaterfallChart *self)
{
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self),
                                       2 * MARGIN + MAX (self->rows->len, 1) * ROW_HEIGHT);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
moa_waterfall_chart_class_init (MoaWaterfallChartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = moa_waterfall_chart_finalize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "moa-waterfall-chart");
}

static void
moa_waterfall_chart_init (MoaWaterfallChart *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, (GDestroyNotify)row_clear);
  self->low = self->high = NAN;
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self), 560);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  update_size (self);
}

GtkWidget *
moa_waterfall_chart_new (void)
{
  return g_object_new (MOA_TYPE_WATERFALL_CHART, NULL);
}

void
moa_waterfall_chart_clear (MoaWaterfallChart *self, const char *message)
{
  g_return_if_fail (MOA_IS_WATERFALL_CHART (self));

  g_array_set_size (self->rows, 0);
  g_free (self->message);
  self->message = g_strdup (message);
  self->low = self->high = NAN;
  update_size (self);
}

static void
add_row (MoaWaterfallChart *self, RowKind kind, const char *label, double from, double to,
         double value)
{
  Row row = { kind, g_strdup (label), from, to, value };
  g_array_append_val (self->rows, row);
}

void
moa_waterfall_chart_begin (MoaWaterfallChart *self, const char *before_label, double before)
{
  g_return_if_fail (MOA_IS_WATERFALL_CHART (self));
  g_return_if_fail (before_label != NULL);

  moa_waterfall_chart_clear (self, NULL);
  add_row (self, ROW_BEFORE, before_label, 0, before, before);
  self->level = before;
  update_size (self);
}

void
moa_waterfall_chart_add_step (MoaWaterfallChart *self, const char *label, double saving)
{
  g_return_if_fail (MOA_IS_WATERFALL_CHART (self));
  g_return_if_fail (label != NULL);

  add_row (self, ROW_STEP, label, self->level, self->level - saving, saving);
  self->level -= saving;
  update_size (self);
}

void
moa_waterfall_chart_set_after (MoaWaterfallChart *self, const char *after_label, double after,
                               double low, double high)
{
  g_return_if_fail (MOA_IS_WATERFALL_CHART (self));
  g_return_if_fail (after_label != NULL);

  add_row (self, ROW_AFTER, after_label, 0, after, after);
  self->low = low;
  self->high = high;
  update_size (self);
}

guint
moa_waterfall_chart_get_n_steps (MoaWaterfallChart *self)
{
  guint n = 0;

  g_return_val_if_fail (MOA_IS_WATERFALL_CHART (self), 0);
  for (guint i = 0; i < self->rows->len; i++)
    n += g_array_index (self->rows, Row, i).kind == ROW_STEP;
  return n;
}
