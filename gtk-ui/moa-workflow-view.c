/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workflow diagram: a toolbar (obligation, zoom) over a scrolled cairo canvas that draws
 * the Graphviz layout of MoaGraph, shaded by the core's figures of the last evaluation. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "moa-ui-format.h"
#include "moa-workflow-view.h"

#define ZOOM_MIN 0.1
#define ZOOM_MAX 4.0
#define ZOOM_FIT_MAX 1.5

struct _MoaWorkflowView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkDropDown *obligations;
  GtkStringList *obligation_list; /* titles; ids in @obligation_ids */
  GPtrArray *obligation_ids;
  GtkLabel *zoom_label;
  GtkScrolledWindow *scroller;
  GtkDrawingArea *canvas;

  MoaSelection *selection;
  MoaDocument *document;
  MoaGraph *graph;
  char *obligation_id;
  GHashTable *burden; /* node id of the obligation drawn -> double* burden per year */
  double total;       /* the procedure's burden (recurring + one-off), as the bar chart */
  double max;         /* the largest node burden of the procedure: the darkest shade */

  double zoom;
  gboolean fit_pending;
  gboolean anchor_pending; /* keep the point (anchor_x, anchor_y) of the layout under */
  double anchor_x, anchor_y, anchor_px, anchor_py; /* the pointer (anchor_px, anchor_py) */
  double drag_h, drag_v;
  gboolean updating_dropdown;
  guint idle_id;
};

G_DEFINE_FINAL_TYPE (MoaWorkflowView, moa_workflow_view, GTK_TYPE_WIDGET)

static void
clear_document (MoaWorkflowView *self)
{
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
}

static void
moa_workflow_view_dispose (GObject *object)
{
  MoaWorkflowView *self = MOA_WORKFLOW_VIEW (object);

  clear_document (self);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->graph, moa_graph_free);
  G_OBJECT_CLASS (moa_workflow_view_parent_class)->dispose (object);
}

static void
moa_workflow_view_finalize (GObject *object)
{
  MoaWorkflowView *self = MOA_WORKFLOW_VIEW (object);

  g_free (self->obligation_id);
  g_hash_table_unref (self->burden);
  g_ptr_array_unref (self->obligation_ids);
  G_OBJECT_CLASS (moa_workflow_view_parent_class)->finalize (object);
}

static void
moa_workflow_view_class_init (MoaWorkflowViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = moa_workflow_view_dispose;
  G_OBJECT_CLASS (klass)->finalize = moa_workflow_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moa-workflow-view");
}

/* --- Shading: the same palette and scale as the bar chart (moa-burden-chart.c) ---------- */

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

/* The burden of each node from the last result: the sum of its rows (one per addressee
 * segment) borne by citizens and businesses, the rows the bar chart draws. */
static void
update_burden (MoaWorkflowView *self)
{
  g_hash_table_remove_all (self->burden);
  self->total = self->max = 0;
  MoaResult *result = self->document != NULL ? moa_document_get_result (self->document) : NULL;
  if (result == NULL)
    return;
  self->total = result->total.recurring.burden + result->total.one_off.burden;
  g_autoptr (GHashTable) all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *row = &g_array_index (result->activities, MoaActivityResult, i);
      if (row->payer != NULL && row->payer->kind == MOA_TARGET_ADMINISTRATION)
        continue;
      char *key = g_strdup_printf ("%s/%s", row->obligation->id, row->node->id);
      double *sum = g_hash_table_lookup (all, key);
      if (sum == NULL)
        {
          sum = g_new0 (double, 1);
          g_hash_table_insert (all, key, sum);
        }
      else
        g_free (key);
      *sum += row->per_year.burden;
      self->max = MAX (self->max, *sum);
    }
  /* Keep the sums of the obligation drawn, by node id. */
  g_autofree char *prefix = g_strdup_printf ("%s/", self->obligation_id ? self->obligation_id : "");
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, all);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (self->obligation_id != NULL && g_str_has_prefix (key, prefix))
      g_hash_table_insert (self->burden, g_strdup ((const char *)key + strlen (prefix)),
                           g_memdup2 (value, sizeof (double)));
}

/* --- Drawing -------------------------------------------------------------------------------- */

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
node_path (cairo_t *cr, const MoaGraphNode *n)
{
  double hw = n->width / 2, hh = n->height / 2;
  switch (n->node->kind)
    {
      case MOA_NODE_ACTIVITY:
        rounded_rect (cr, n->x - hw, n->y - hh, n->width, n->height, 8);
        break;
      case MOA_NODE_XOR:
      case MOA_NODE_AND_SPLIT:
      case MOA_NODE_AND_JOIN:
        cairo_move_to (cr, n->x, n->y - hh);
        cairo_line_to (cr, n->x + hw, n->y);
        cairo_line_to (cr, n->x, n->y + hh);
        cairo_line_to (cr, n->x - hw, n->y);
        cairo_close_path (cr);
        break;
      default:
        cairo_new_sub_path (cr);
        cairo_arc (cr, n->x, n->y, hw, 0, 2 * G_PI);
        break;
    }
}

static void
draw_edge (cairo_t *cr, const MoaGraphEdge *e, const GdkRGBA *fg, PangoLayout *small)
{
  if (e->n_points < 2)
    return;
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, e->back ? 0.75 : 0.6);
  cairo_set_line_width (cr, 1.4);
  static const double dash[] = { 5, 3 };
  cairo_set_dash (cr, dash, e->back ? 2 : 0, 0);
  cairo_move_to (cr, e->points[0], e->points[1]);
  for (guint k = 1; k + 2 < e->n_points; k += 3)
    cairo_curve_to (cr, e->points[2 * k], e->points[2 * k + 1], e->points[2 * k + 2],
                    e->points[2 * k + 3], e->points[2 * k + 4], e->points[2 * k + 5]);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (e->has_arrow)
    {
      /* A filled head from the spline's end to the tip dot computed. */
      double bx = e->points[2 * (e->n_points - 1)], by = e->points[2 * (e->n_points - 1) + 1];
      double dx = e->arrow_x - bx, dy = e->arrow_y - by, len = hypot (dx, dy);
      if (len > 0)
        {
          double nx = -dy / len * 4, ny = dx / len * 4;
          cairo_move_to (cr, e->arrow_x, e->arrow_y);
          cairo_line_to (cr, bx + nx, by + ny);
          cairo_line_to (cr, bx - nx, by - ny);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
    }
  if (e->label != NULL)
    {
      int w, h;
      pango_layout_set_width (small, -1);
      pango_layout_set_text (small, e->label, -1);
      pango_layout_get_pixel_size (small, &w, &h);
      cairo_move_to (cr, e->label_x - w / 2.0, e->label_y - h / 2.0);
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, e->is_default ? 0.6 : 0.9);
      pango_cairo_show_layout (cr, small);
    }
}

static void
draw_node (MoaWorkflowView *self, cairo_t *cr, const MoaGraphNode *n, const GdkRGBA *fg,
           PangoLayout *layout, PangoLayout *small, gboolean selected)
{
  const char *lang = moa_ui_get_lang ();
  const MoaNode *node = n->node;
  double r = 1, g = 1, b = 1, alpha = 0;
  const double *burden = g_hash_table_lookup (self->burden, node->id);
  gboolean dark = FALSE;

  if (node->kind == MOA_NODE_ACTIVITY && burden != NULL && self->max > 0)
    {
      double t = *burden / self->max;
      shade (t, &r, &g, &b);
      alpha = 1;
      dark = t > 0.6;
    }
  node_path (cr, n);
  if (alpha > 0)
    cairo_set_source_rgb (cr, r, g, b);
  else
    cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.06);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.7);
  cairo_set_line_width (cr, node->kind == MOA_NODE_END ? 3.5 : 1.2);
  /* Work done by someone else than the addressee: a dashed border. */
  static const double dash[] = { 4, 3 };
  cairo_set_dash (cr, dash, node->kind == MOA_NODE_ACTIVITY && node->performer != NULL ? 2 : 0, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (selected)
    {
      node_path (cr, n);
      cairo_set_source_rgb (cr, 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0); /* accent blue */
      cairo_set_line_width (cr, 4);
      cairo_stroke (cr);
    }

  double tr = dark ? 1 : (alpha > 0 ? 0.1 : fg->red), tg = dark ? 1 : (alpha > 0 ? 0.1 : fg->green),
         tb = dark ? 1 : (alpha > 0 ? 0.1 : fg->blue);
  if (node->kind == MOA_NODE_ACTIVITY)
    {
      int w, h, sh = 0;
      g_autofree char *caption = NULL;
      if (burden != NULL && self->total > 0)
        {
          g_autofree char *percent = moa_format_number (100 * *burden / self->total, 1, TRUE);
          /* TRANSLATORS: an activity's share of the procedure's burden per year */
          caption = g_strdup_printf (_ ("%s %% of the burden"), percent);
        }
      else if (node->performer != NULL && g_strcmp0 (node->performer, "external") != 0)
        caption = g_strdup (_ ("administration"));
      if (caption != NULL)
        {
          pango_layout_set_width (small, (int)((n->width - 12) * PANGO_SCALE));
          pango_layout_set_text (small, caption, -1);
          pango_layout_get_pixel_size (small, NULL, &sh);
        }
      pango_layout_set_width (layout, (int)((n->width - 12) * PANGO_SCALE));
      pango_layout_set_height (layout, caption != NULL ? -2 : -3);
      pango_layout_set_text (layout, moa_title_get (&node->title, lang, node->id), -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      double top = n->y - (h + sh) / 2.0;
      cairo_set_source_rgb (cr, tr, tg, tb);
      cairo_move_to (cr, n->x - (n->width - 12) / 2, top);
      pango_cairo_show_layout (cr, layout);
      if (caption != NULL)
        {
          cairo_set_source_rgba (cr, tr, tg, tb, 0.8);
          cairo_move_to (cr, n->x - (n->width - 12) / 2, top + h);
          pango_cairo_show_layout (cr, small);
        }
    }
  else if (node->kind != MOA_NODE_START && node->kind != MOA_NODE_END)
    {
      /* × for an exclusive gateway, + for a parallel one. */
      double s = n->width * 0.17;
      cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.85);
      cairo_set_line_width (cr, 2.5);
      cairo_save (cr);
      cairo_translate (cr, n->x, n->y);
      if (node->kind == MOA_NODE_XOR)
        cairo_rotate (cr, G_PI / 4);
      cairo_move_to (cr, -s, 0);
      cairo_line_to (cr, s, 0);
      cairo_move_to (cr, 0, -s);
      cairo_line_to (cr, 0, s);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  MoaWorkflowView *self = user_data;
  GdkRGBA fg;

  if (self->graph == NULL)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cairo_scale (cr, self->zoom, self->zoom);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  PangoLayout *small = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  pango_layout_set_alignment (small, PANGO_ALIGN_CENTER);
  PangoFontDescription *font = pango_font_description_copy (
      pango_context_get_font_description (pango_layout_get_context (small)));
  pango_font_description_set_size (font, (int)(pango_font_description_get_size (font) * 0.82));
  pango_layout_set_font_description (small, font);
  pango_font_description_free (font);

  for (guint i = 0; i < moa_graph_get_n_edges (self->graph); i++)
    draw_edge (cr, moa_graph_get_edge (self->graph, i), &fg, small);
  const char *selected = moa_selection_get_node_id (self->selection);
  gboolean same
      = g_strcmp0 (moa_selection_get_obligation_id (self->selection), self->obligation_id) == 0;
  for (guint i = 0; i < moa_graph_get_n_nodes (self->graph); i++)
    {
      const MoaGraphNode *n = moa_graph_get_node (self->graph, i);
      draw_node (self, cr, n, &fg, layout, small, same && g_strcmp0 (n->node->id, selected) == 0);
    }
  g_object_unref (layout);
  g_object_unref (small);
}

/* --- Zoom ------------------------------------------------------------------------------------- */

static void
apply_zoom (MoaWorkflowView *self)
{
  double w = 0, h = 0;
  if (self->graph != NULL)
    moa_graph_get_size (self->graph, &w, &h);
  gtk_drawing_area_set_content_width (self->canvas, (int)ceil (w * self->zoom));
  gtk_drawing_area_set_content_height (self->canvas, (int)ceil (h * self->zoom));
  g_autofree char *percent = moa_format_number (100 * self->zoom, 0, TRUE);
  g_autofree char *text = g_strdup_printf ("%s %%", percent);
  gtk_label_set_text (self->zoom_label, text);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

double
moa_workflow_view_get_zoom (MoaWorkflowView *self)
{
  g_return_val_if_fail (MOA_IS_WORKFLOW_VIEW (self), 1);
  return self->zoom;
}

void
moa_workflow_view_set_zoom (MoaWorkflowView *self, double zoom)
{
  g_return_if_fail (MOA_IS_WORKFLOW_VIEW (self));
  self->fit_pending = FALSE;
  self->zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  apply_zoom (self);
}

/* Zooms by @factor keeping the layout point under (@px, @py) of the visible area there. */
static void
zoom_at (MoaWorkflowView *self, double factor, double px, double py)
{
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scroller);
  GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->scroller);
  self->anchor_x = (gtk_adjustment_get_value (h) + px) / self->zoom;
  self->anchor_y = (gtk_adjustment_get_value (v) + py) / self->zoom;
  self->anchor_px = px;
  self->anchor_py = py;
  self->anchor_pending = TRUE;
  moa_workflow_view_set_zoom (self, self->zoom * factor);
}

void
moa_workflow_view_zoom_to_fit (MoaWorkflowView *self)
{
  g_return_if_fail (MOA_IS_WORKFLOW_VIEW (self));

  int width = gtk_widget_get_width (GTK_WIDGET (self->scroller));
  int height = gtk_widget_get_height (GTK_WIDGET (self->scroller));
  double w = 0, h = 0;
  if (self->graph != NULL)
    moa_graph_get_size (self->graph, &w, &h);
  if (width <= 1 || height <= 1 || w <= 0 || h <= 0)
    {
      self->fit_pending = TRUE; /* done once the view has a size */
      return;
    }
  moa_workflow_view_set_zoom (self, MIN (ZOOM_FIT_MAX, MIN ((width - 4) / w, (height - 4) / h)));
}

/* After the visible area's size or the content's changed: finish a pending fit or anchored
 * zoom (in an idle: the content size must not change while GTK allocates). */
static gboolean
finish_zoom (gpointer data)
{
  MoaWorkflowView *self = data;

  self->idle_id = 0;
  if (self->fit_pending)
    {
      moa_workflow_view_zoom_to_fit (self);
      return G_SOURCE_REMOVE;
    }
  if (self->anchor_pending)
    {
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scroller);
      GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (self->scroller);
      double w = 0, gh = 0;
      moa_graph_get_size (self->graph, &w, &gh);
      /* Wait until both adjustments know the new content size. */
      if (fabs (gtk_adjustment_get_upper (h)
                - MAX (ceil (w * self->zoom), gtk_adjustment_get_page_size (h)))
              > 1
          || fabs (gtk_adjustment_get_upper (v)
                   - MAX (ceil (gh * self->zoom), gtk_adjustment_get_page_size (v)))
                 > 1)
        return G_SOURCE_REMOVE;
      self->anchor_pending = FALSE;
      gtk_adjustment_set_value (h, self->anchor_x * self->zoom - self->anchor_px);
      gtk_adjustment_set_value (v, self->anchor_y * self->zoom - self->anchor_py);
    }
  return G_SOURCE_REMOVE;
}

static void
adjustment_changed (MoaWorkflowView *self)
{
  if ((self->fit_pending || self->anchor_pending) && self->idle_id == 0)
    self->idle_id = g_idle_add (finish_zoom, self);
}

static gboolean
scrolled (GtkEventControllerScroll *controller, double dx, double dy, gpointer user_data)
{
  MoaWorkflowView *self = user_data;
  GdkModifierType state
      = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK) || dy == 0 || self->graph == NULL)
    return FALSE; /* scroll as usual */
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  double px = 0, py = 0;
  if (event == NULL || !gdk_event_get_position (event, &px, &py))
    px = py = 0;
  else
    {
      /* The event's position is in the surface; make it the scroller's. */
      GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self->scroller));
      double nx, ny;
      gtk_native_get_surface_transform (native, &nx, &ny);
      graphene_point_t in = GRAPHENE_POINT_INIT ((float)(px - nx), (float)(py - ny)), out;
      if (gtk_widget_compute_point (GTK_WIDGET (native), GTK_WIDGET (self->scroller), &in, &out))
        px = out.x, py = out.y;
    }
  zoom_at (self, pow (1.1, -dy), px, py);
  return TRUE;
}

static void
zoom_in_clicked (MoaWorkflowView *self)
{
  zoom_at (self, 1.25, gtk_widget_get_width (GTK_WIDGET (self->scroller)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self->scroller)) / 2.0);
}

static void
zoom_out_clicked (MoaWorkflowView *self)
{
  zoom_at (self, 0.8, gtk_widget_get_width (GTK_WIDGET (self->scroller)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self->scroller)) / 2.0);
}

/* --- Pan and click ---------------------------------------------------------------------------- */

static void
drag_begin (GtkGestureDrag *gesture, double x, double y, gpointer user_data)
{
  MoaWorkflowView *self = user_data;
  self->drag_h = gtk_adjustment_get_value (gtk_scrolled_window_get_hadjustment (self->scroller));
  self->drag_v = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller));
}

static void
drag_update (GtkGestureDrag *gesture, double dx, double dy, gpointer user_data)
{
  MoaWorkflowView *self = user_data;
  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (self->scroller),
                            self->drag_h - dx);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller),
                            self->drag_v - dy);
}

const char *
moa_workflow_view_click (MoaWorkflowView *self, double x, double y)
{
  g_return_val_if_fail (MOA_IS_WORKFLOW_VIEW (self), NULL);

  if (self->graph == NULL)
    return NULL;
  int index = moa_graph_hit_test (self->graph, x / self->zoom, y / self->zoom);
  const char *id = index >= 0 ? moa_graph_get_node (self->graph, (guint)index)->node->id : NULL;
  g_autofree char *obligation = g_strdup (self->obligation_id);
  g_autofree char *node = g_strdup (id);
  moa_selection_select (self->selection, obligation, node);
  /* The selection's handlers may rebuild the graph: answer from the new one. */
  if (node == NULL || self->graph == NULL)
    return NULL;
  index = moa_graph_find_node (self->graph, node);
  return index >= 0 ? moa_graph_get_node (self->graph, (guint)index)->node->id : NULL;
}

static void
released (GtkGestureClick *gesture, int n_press, double x, double y, gpointer user_data)
{
  moa_workflow_view_click (MOA_WORKFLOW_VIEW (user_data), x, y);
}

/* --- Model ------------------------------------------------------------------------------------ */

static void
rebuild_obligations (MoaWorkflowView *self)
{
  MoaProcedure *procedure
      = self->document != NULL ? moa_document_get_procedure (self->document) : NULL;
  const char *lang = moa_ui_get_lang ();

  self->updating_dropdown = TRUE;
  g_ptr_array_set_size (self->obligation_ids, 0);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->obligation_list));
  g_autoptr (GPtrArray) titles = g_ptr_array_new ();
  for (guint i = 0; procedure != NULL && i < procedure->obligations->len; i++)
    {
      const MoaObligation *obligation = g_ptr_array_index (procedure->obligations, i);
      g_ptr_array_add (self->obligation_ids, g_strdup (obligation->id));
      g_ptr_array_add (titles, (gpointer)moa_title_get (&obligation->title, lang, obligation->id));
    }
  g_ptr_array_add (titles, NULL);
  gtk_string_list_splice (self->obligation_list, 0, n, (const char *const *)titles->pdata);
  self->updating_dropdown = FALSE;
}

/* Lays out the obligation to draw again: the selected one, else the first. */
static void
relayout (MoaWorkflowView *self)
{
  MoaProcedure *procedure
      = self->document != NULL ? moa_document_get_procedure (self->document) : NULL;
  const char *wanted = moa_selection_get_obligation_id (self->selection);
  MoaObligation *obligation = NULL;

  if (procedure != NULL && wanted != NULL)
    obligation = moa_procedure_get_obligation (procedure, wanted);
  if (obligation == NULL && procedure != NULL && procedure->obligations->len > 0)
    obligation = g_ptr_array_index (procedure->obligations, 0);

  gboolean other = g_strcmp0 (obligation ? obligation->id : NULL, self->obligation_id) != 0;
  g_clear_pointer (&self->graph, moa_graph_free);
  g_free (self->obligation_id);
  self->obligation_id = obligation != NULL ? g_strdup (obligation->id) : NULL;
  if (obligation != NULL)
    {
      g_autoptr (GError) error = NULL;
      self->graph = moa_graph_new (obligation, &error);
      if (self->graph == NULL)
        g_message ("%s", error->message);
    }
  update_burden (self);

  self->updating_dropdown = TRUE;
  for (guint i = 0; i < self->obligation_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->obligation_ids, i), self->obligation_id) == 0)
      gtk_drop_down_set_selected (self->obligations, i);
  self->updating_dropdown = FALSE;

  if (other)
    moa_workflow_view_zoom_to_fit (self);
  else
    apply_zoom (self);

  g_autofree char *description
      = self->graph != NULL ? g_strdup_printf (
            _ ("Workflow of “%s”: %u nodes"),
            moa_title_get (&obligation->title, moa_ui_get_lang (), obligation->id),
            moa_graph_get_n_nodes (self->graph))
                            : g_strdup (_ ("No workflow"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
}

static void
selection_changed (MoaWorkflowView *self)
{
  const char *wanted = moa_selection_get_obligation_id (self->selection);
  if (wanted != NULL && g_strcmp0 (wanted, self->obligation_id) != 0)
    relayout (self);
  else
    gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
results_changed (MoaWorkflowView *self)
{
  update_burden (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
dropdown_changed (MoaWorkflowView *self)
{
  guint i = gtk_drop_down_get_selected (self->obligations);
  if (self->updating_dropdown || i >= self->obligation_ids->len)
    return;
  const char *id = g_ptr_array_index (self->obligation_ids, i);
  if (g_strcmp0 (id, self->obligation_id) != 0)
    moa_selection_select (self->selection, id, NULL);
}

static GtkWidget *
icon_button (const char *icon, const char *tooltip, GCallback callback, gpointer data)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_swapped (button, "clicked", callback, data);
  return button;
}

static void
moa_workflow_view_init (MoaWorkflowView *self)
{
  self->zoom = 1;
  self->burden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->obligation_ids = g_ptr_array_new_with_free_func (g_free);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_margin_start (bar, 8);
  gtk_widget_set_margin_end (bar, 8);
  gtk_widget_set_margin_top (bar, 4);
  gtk_widget_set_margin_bottom (bar, 4);
  GtkWidget *title = gtk_label_new (_ ("Workflow"));
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (bar), title);
  self->obligation_list = gtk_string_list_new (NULL);
  self->obligations
      = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->obligation_list), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->obligations), _ ("Obligation shown"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->obligations), FALSE);
  g_signal_connect_swapped (self->obligations, "notify::selected", G_CALLBACK (dropdown_changed),
                            self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->obligations));
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_box_append (GTK_BOX (bar), spacer);
  gtk_box_append (GTK_BOX (bar), icon_button ("zoom-out-symbolic", _ ("Zoom Out"),
                                              G_CALLBACK (zoom_out_clicked), self));
  self->zoom_label = GTK_LABEL (gtk_label_new ("100 %"));
  gtk_label_set_width_chars (self->zoom_label, 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->zoom_label), "numeric");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->zoom_label));
  gtk_box_append (GTK_BOX (bar), icon_button ("zoom-in-symbolic", _ ("Zoom In"),
                                              G_CALLBACK (zoom_in_clicked), self));
  gtk_box_append (GTK_BOX (bar), icon_button ("zoom-fit-best-symbolic", _ ("Zoom to Fit"),
                                              G_CALLBACK (moa_workflow_view_zoom_to_fit), self));
  gtk_box_append (GTK_BOX (self->box), bar);

  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->scroller), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->scroller), TRUE);
  self->canvas = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_halign (GTK_WIDGET (self->canvas), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->canvas), GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (self->canvas, draw, self, NULL);
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->canvas));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->scroller));

  g_signal_connect_swapped (gtk_scrolled_window_get_hadjustment (self->scroller), "changed",
                            G_CALLBACK (adjustment_changed), self);
  g_signal_connect_swapped (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                            G_CALLBACK (adjustment_changed), self);

  GtkEventController *scroll = gtk_event_controller_scroll_new (
      GTK_EVENT_CONTROLLER_SCROLL_VERTICAL | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scrolled), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), scroll);

  GtkGesture *drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (drag));

  GtkGesture *click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (released), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("No workflow"), -1);
}

GtkWidget *
moa_workflow_view_new (MoaSelection *selection)
{
  g_return_val_if_fail (MOA_IS_SELECTION (selection), NULL);

  MoaWorkflowView *self = g_object_new (MOA_TYPE_WORKFLOW_VIEW, NULL);
  self->selection = g_object_ref (selection);
  g_signal_connect_swapped (selection, "changed", G_CALLBACK (selection_changed), self);
  return GTK_WIDGET (self);
}

void
moa_workflow_view_set_document (MoaWorkflowView *self, MoaDocument *document)
{
  g_return_if_fail (MOA_IS_WORKFLOW_VIEW (self));
  g_return_if_fail (document == NULL || MOA_IS_DOCUMENT (document));

  clear_document (self);
  if (document != NULL)
    {
      self->document = g_object_ref (document);
      g_signal_connect_swapped (document, "changed", G_CALLBACK (relayout), self);
      g_signal_connect_swapped (document, "results-changed", G_CALLBACK (results_changed), self);
    }
  g_clear_pointer (&self->obligation_id, g_free);
  rebuild_obligations (self);
  relayout (self);
}

const MoaGraph *
moa_workflow_view_get_graph (MoaWorkflowView *self)
{
  g_return_val_if_fail (MOA_IS_WORKFLOW_VIEW (self), NULL);
  return self->graph;
}

const char *
moa_workflow_view_get_obligation_id (MoaWorkflowView *self)
{
  g_return_val_if_fail (MOA_IS_WORKFLOW_VIEW (self), NULL);
  return self->obligation_id;
}

double
moa_workflow_view_get_node_share (MoaWorkflowView *self, const char *node_id)
{
  g_return_val_if_fail (MOA_IS_WORKFLOW_VIEW (self), -1);
  g_return_val_if_fail (node_id != NULL, -1);

  const double *burden = g_hash_table_lookup (self->burden, node_id);
  return burden != NULL && self->total > 0 ? *burden / self->total : -1;
}
