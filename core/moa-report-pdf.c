/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report as a PDF: A4 pages drawn with cairo, text laid out with pango, tables broken
 * across pages with their header repeated, bar charts, "n / N" page numbers. The only file of
 * moa that includes cairo and pango. */
#define G_LOG_DOMAIN "moa"

#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "moa-report-private.h"

/* A4 in points, and the margins */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 50.0
#define MARGIN_TOP 50.0
#define MARGIN_BOTTOM 60.0
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define BOTTOM (PAGE_H - MARGIN_BOTTOM)

#define FONT_BODY "DejaVu Sans, Sans 9.5"
#define FONT_NOTE "DejaVu Sans, Sans Italic 8"
#define FONT_TABLE "DejaVu Sans, Sans 7.5"
#define FONT_TABLE_HEAD "DejaVu Sans, Sans Bold 7.5"
#define FONT_SMALL "DejaVu Sans, Sans 7.5"
#define FONT_HASH "DejaVu Sans Mono, Monospace 6"
#define CELL_PAD 3.0

/* TRUE for a SHA-256 in hex: shown whole, in a small monospace font. */
static gboolean
is_hash (const char *s)
{
  return s && strlen (s) == 64 && strspn (s, "0123456789abcdef") == 64;
}

static const char *
cell_font (const char *text, gboolean head)
{
  return head ? FONT_TABLE_HEAD : is_hash (text) ? FONT_HASH : FONT_TABLE;
}

typedef struct
{
  const MoaReportDoc *doc;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoFontMap *font_map;
  PangoContext *context;
  int page;            /* the current page, from 1 */
  int n_pages;         /* known in the second pass; 0 in the first */
  double y;            /* where the next block goes */
  double top;          /* where content starts on this page (below the warning band) */
  int outline_section; /* the outline id of the current level-1 heading */
} Pdf;

static cairo_status_t
discard (void *closure, const unsigned char *data, unsigned int length)
{
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
append (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append ((GByteArray *)closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A layout of @text in @font, wrapped at @width points (<= 0: no wrapping). */
static PangoLayout *
layout_new (Pdf *pdf, const char *text, const char *font, double width)
{
  PangoLayout *layout = pango_layout_new (pdf->context);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text ? text : "", -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;
  pango_layout_get_size (layout, &w, &h);
  return (double)h / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;
  pango_layout_get_size (layout, &w, &h);
  return (double)w / PANGO_SCALE;
}

static void
show (Pdf *pdf, PangoLayout *layout, double x, double y)
{
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
set_color (Pdf *pdf, guint32 rgb)
{
  cairo_set_source_rgb (pdf->cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* Starts page @pdf->page: the warning band of an unfinished run at the top, the footer (the
 * report's line on the left, "n / N" on the right) at the bottom. */
static void
page_begin (Pdf *pdf)
{
  pdf->y = MARGIN_TOP;
  if (pdf->doc->warning)
    {
      PangoLayout *w
          = layout_new (pdf, pdf->doc->warning, "DejaVu Sans, Sans Bold 8", CONTENT_W - 12);
      double h = layout_height (w) + 8;
      set_color (pdf, 0xfdecea);
      cairo_rectangle (pdf->cr, MARGIN_X, 22, CONTENT_W, h);
      cairo_fill_preserve (pdf->cr);
      set_color (pdf, 0xb00020);
      cairo_set_line_width (pdf->cr, 1.2);
      cairo_stroke (pdf->cr);
      show (pdf, w, MARGIN_X + 6, 26);
      g_object_unref (w);
      pdf->y = MAX (MARGIN_TOP, 22 + h + 12);
    }
  pdf->top = pdf->y;

  set_color (pdf, 0x666666);
  PangoLayout *left = layout_new (pdf, pdf->doc->footer, FONT_SMALL, CONTENT_W - 80);
  pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
  show (pdf, left, MARGIN_X, PAGE_H - 36);
  g_object_unref (left);
  g_autofree char *number = pdf->n_pages > 0 ? g_strdup_printf ("%d / %d", pdf->page, pdf->n_pages)
                                             : g_strdup_printf ("%d / %d", pdf->page, 999);
  PangoLayout *right = layout_new (pdf, number, FONT_SMALL, -1);
  show (pdf, right, PAGE_W - MARGIN_X - layout_width (right), PAGE_H - 36);
  g_object_unref (right);
  cairo_set_line_width (pdf->cr, 0.5);
  cairo_move_to (pdf->cr, MARGIN_X, PAGE_H - 42);
  cairo_line_to (pdf->cr, PAGE_W - MARGIN_X, PAGE_H - 42);
  cairo_stroke (pdf->cr);
  set_color (pdf, 0x222222);
}

static void
new_page (Pdf *pdf)
{
  cairo_show_page (pdf->cr);
  pdf->page++;
  page_begin (pdf);
}

/* Makes room for @h points, on a new page when this one is too full (unless the page is still
 * empty: then the block is drawn anyway). */
static void
need (Pdf *pdf, double h)
{
  if (pdf->y + h > BOTTOM && pdf->y > pdf->top + 1)
    new_page (pdf);
}

/* A paragraph of @font, wrapped; a paragraph taller than what is left of the page is split
 * between its lines. */
static void
text_block (Pdf *pdf, const char *text, const char *font, guint32 color, double after)
{
  PangoLayout *layout = layout_new (pdf, text, font, CONTENT_W);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  double offset = 0; /* where the part on this page starts in the layout */
  double start_y = pdf->y;
  do
    {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      double line_top = (double)logical.y / PANGO_SCALE;
      double line_bottom = line_top + (double)logical.height / PANGO_SCALE;
      if (start_y + line_bottom - offset > BOTTOM && line_top > offset)
        {
          /* draw what fits, clipped, and continue on a new page */
          cairo_save (pdf->cr);
          cairo_rectangle (pdf->cr, 0, start_y, PAGE_W, line_top - offset);
          cairo_clip (pdf->cr);
          set_color (pdf, color);
          show (pdf, layout, MARGIN_X, start_y - offset);
          cairo_restore (pdf->cr);
          new_page (pdf);
          start_y = pdf->y;
          offset = line_top;
        }
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  double total = layout_height (layout);
  cairo_save (pdf->cr);
  cairo_rectangle (pdf->cr, 0, start_y, PAGE_W, total - offset + 2);
  cairo_clip (pdf->cr);
  set_color (pdf, color);
  show (pdf, layout, MARGIN_X, start_y - offset);
  cairo_restore (pdf->cr);
  set_color (pdf, 0x222222);
  pdf->y = start_y + total - offset + after;
  g_object_unref (layout);
}

static void
heading (Pdf *pdf, const MoaReportBlock *b)
{
  if (b->new_page && pdf->y > pdf->top + 1)
    new_page (pdf);
  const char *font = b->level == 1   ? "DejaVu Sans, Sans Bold 16"
                     : b->level == 2 ? "DejaVu Sans, Sans Bold 12.5"
                                     : "DejaVu Sans, Sans Bold 10";
  PangoLayout *layout = layout_new (pdf, b->text, font, CONTENT_W);
  double h = layout_height (layout);
  /* keep the heading with a few lines of what follows */
  need (pdf, h + 60);
  pdf->y += b->level == 1 ? 0 : 6;
  set_color (pdf, b->level == 3 ? 0x222222 : 0x1f5f8b);
  show (pdf, layout, MARGIN_X, pdf->y);
  if (b->level == 1)
    {
      cairo_set_line_width (pdf->cr, 1.5);
      cairo_move_to (pdf->cr, MARGIN_X, pdf->y + h + 2);
      cairo_line_to (pdf->cr, PAGE_W - MARGIN_X, pdf->y + h + 2);
      cairo_stroke (pdf->cr);
    }
  set_color (pdf, 0x222222);

  /* the document outline (bookmarks), in the pass that writes */
  if (pdf->n_pages > 0 && (b->level == 1 || b->new_page))
    {
      g_autofree char *link = g_strdup_printf ("page=%d", pdf->page);
      int parent = b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : pdf->outline_section;
      int id = cairo_pdf_surface_add_outline (pdf->surface, parent, b->text, link,
                                              CAIRO_PDF_OUTLINE_FLAG_OPEN);
      if (b->level == 1)
        pdf->outline_section = id;
    }
  pdf->y += h + (b->level == 1 ? 10 : 5);
  g_object_unref (layout);
}

/* ---- Tables ------------------------------------------------------------------------------- */

/* The widths of the columns: each its natural width when they all fit; else numbers keep
 * theirs and the text columns share the rest in proportion to their natural widths. */
static double *
column_widths (Pdf *pdf, const MoaReportBlock *b)
{
  double *natural = g_new0 (double, b->n_cols);
  /* columns that keep their natural width: numbers (at most 80 pt) and hashes */
  g_autofree gboolean *fixed = g_new0 (gboolean, b->n_cols);
  for (guint i = 0; i < b->n_cols; i++)
    {
      PangoLayout *l = layout_new (pdf, b->header[i], FONT_TABLE_HEAD, -1);
      natural[i] = layout_width (l) + 2 * CELL_PAD;
      g_object_unref (l);
    }
  for (guint r = 0; r < b->rows->len; r++)
    {
      char **cells = g_ptr_array_index (b->rows, r);
      for (guint i = 0; i < b->n_cols; i++)
        {
          PangoLayout *l = layout_new (pdf, cells[i], cell_font (cells[i], FALSE), -1);
          natural[i] = MAX (natural[i], layout_width (l) + 2 * CELL_PAD);
          g_object_unref (l);
          fixed[i] |= is_hash (cells[i]);
        }
    }
  double total = 0, numbers = 0, texts = 0;
  guint n_texts = 0;
  for (guint i = 0; i < b->n_cols; i++)
    {
      total += natural[i];
      if (!fixed[i] && b->numeric[i])
        natural[i] = MIN (natural[i], 110); /* a long number column's header may wrap */
      if (fixed[i] || b->numeric[i])
        numbers += natural[i];
      else
        {
          texts += natural[i];
          n_texts++;
        }
    }
  if (total <= CONTENT_W || n_texts == 0)
    return natural;

  /* the text columns share what the others leave, in proportion to their natural widths but
   * at least 40 pt each */
  double left = MAX (CONTENT_W - numbers, 40.0 * n_texts);
  for (guint i = 0; i < b->n_cols; i++)
    if (!fixed[i] && !b->numeric[i])
      natural[i] = MAX (40, left * natural[i] / texts);
  return natural;
}

/* Draws one row at pdf->y (cells wrapped in their column) and returns its height; with @draw
 * FALSE only measures. */
static double
table_row (Pdf *pdf, const MoaReportBlock *b, char **cells, const double *widths, gboolean head,
           gboolean draw)
{
  double h = 0;
  PangoLayout **layouts = g_new0 (PangoLayout *, b->n_cols);
  for (guint i = 0; i < b->n_cols; i++)
    {
      layouts[i] = layout_new (pdf, cells[i], cell_font (cells[i], head), widths[i] - 2 * CELL_PAD);
      if (b->numeric[i])
        pango_layout_set_alignment (layouts[i], PANGO_ALIGN_RIGHT);
      h = MAX (h, layout_height (layouts[i]));
    }
  h += 2 * CELL_PAD;
  if (draw)
    {
      double x = MARGIN_X, width = 0;
      for (guint i = 0; i < b->n_cols; i++)
        width += widths[i];
      if (head)
        {
          set_color (pdf, 0xeef3f7);
          cairo_rectangle (pdf->cr, MARGIN_X, pdf->y, width, h);
          cairo_fill (pdf->cr);
        }
      set_color (pdf, 0x222222);
      for (guint i = 0; i < b->n_cols; i++)
        {
          show (pdf, layouts[i], x + CELL_PAD, pdf->y + CELL_PAD);
          x += widths[i];
        }
      set_color (pdf, 0xcccccc);
      cairo_set_line_width (pdf->cr, 0.5);
      cairo_move_to (pdf->cr, MARGIN_X, pdf->y + h);
      cairo_line_to (pdf->cr, MARGIN_X + width, pdf->y + h);
      cairo_stroke (pdf->cr);
      set_color (pdf, 0x222222);
    }
  for (guint i = 0; i < b->n_cols; i++)
    g_object_unref (layouts[i]);
  g_free (layouts);
  return h;
}

static void
table (Pdf *pdf, const MoaReportBlock *b)
{
  g_autofree double *widths = column_widths (pdf, b);
  double head_h = table_row (pdf, b, b->header, widths, TRUE, FALSE);
  double first_h = b->rows->len > 0
                       ? table_row (pdf, b, g_ptr_array_index (b->rows, 0), widths, FALSE, FALSE)
                       : 0;
  need (pdf, head_h + first_h + 4);
  pdf->y += 2;
  pdf->y += table_row (pdf, b, b->header, widths, TRUE, TRUE);
  for (guint r = 0; r < b->rows->len; r++)
    {
      char **cells = g_ptr_array_index (b->rows, r);
      double h = table_row (pdf, b, cells, widths, FALSE, FALSE);
      if (pdf->y + h > BOTTOM)
        {
          /* continue on a new page, under the header again */
          new_page (pdf);
          pdf->y += table_row (pdf, b, b->header, widths, TRUE, TRUE);
        }
      pdf->y += table_row (pdf, b, cells, widths, FALSE, TRUE);
    }
  pdf->y += 8;
}

/* ---- Charts ------------------------------------------------------------------------------- */

/* Horizontal bars as in the HTML: labels on the left, one bar (single) or two (before, after),
 * scaled to the largest absolute value, negative values in red, values at the bars' ends. */
static void
chart (Pdf *pdf, const MoaReportBlock *b)
{
  if (b->bars->len == 0)
    return;
  gboolean paired = b->legend_b != NULL;
  const double label_w = 160, value_w = 62, bar_h = 8, gap = 5;
  double plot_w = CONTENT_W - label_w - value_w - 8;
  double row_h = (paired ? 2 * bar_h + 1.5 : bar_h) + gap;
  double max = 0;
  for (guint i = 0; i < b->bars->len; i++)
    {
      const MoaReportBar *x = g_ptr_array_index (b->bars, i);
      max = MAX (max, fabs (x->a));
      if (paired)
        max = MAX (max, fabs (x->b));
    }
  if (max <= 0)
    max = 1;

  g_autofree char *title = g_strdup_printf ("%s (%s)", b->text, b->unit);
  PangoLayout *t = layout_new (pdf, title, "DejaVu Sans, Sans Bold 8.5", CONTENT_W);
  need (pdf, layout_height (t) + 16 + MIN (4, b->bars->len) * row_h);
  pdf->y += 4;
  show (pdf, t, MARGIN_X, pdf->y);
  pdf->y += layout_height (t) + 3;
  g_object_unref (t);

  /* legend */
  const guint32 colour_a = paired ? 0x9bb8cf : 0x1f5f8b, colour_b = 0x1f5f8b;
  double lx = MARGIN_X;
  for (int k = 0; k < (paired ? 2 : 1); k++)
    {
      set_color (pdf, k == 0 ? colour_a : colour_b);
      cairo_rectangle (pdf->cr, lx, pdf->y + 2, 9, 7);
      cairo_fill (pdf->cr);
      set_color (pdf, 0x222222);
      PangoLayout *l = layout_new (pdf, k == 0 ? b->legend_a : b->legend_b, FONT_SMALL, -1);
      show (pdf, l, lx + 12, pdf->y);
      lx += 12 + layout_width (l) + 14;
      g_object_unref (l);
    }
  pdf->y += 14;

  for (guint i = 0; i < b->bars->len; i++)
    {
      const MoaReportBar *x = g_ptr_array_index (b->bars, i);
      if (pdf->y + row_h > BOTTOM)
        new_page (pdf);
      PangoLayout *label = layout_new (pdf, x->label, FONT_SMALL, label_w - 6);
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (label, PANGO_ALIGN_RIGHT);
      show (pdf, label, MARGIN_X, pdf->y + (paired ? bar_h - 4 : -1));
      g_object_unref (label);
      for (int k = 0; k < (paired ? 2 : 1); k++)
        {
          double v = k == 0 ? x->a : x->b;
          double len = fabs (v) / max * plot_w;
          double by = pdf->y + k * (bar_h + 1.5);
          set_color (pdf, v < 0 ? 0xb00020 : k == 0 ? colour_a : colour_b);
          cairo_rectangle (pdf->cr, MARGIN_X + label_w, by, len, bar_h);
          cairo_fill (pdf->cr);
          set_color (pdf, 0x222222);
          PangoLayout *value
              = layout_new (pdf, k == 0 ? x->a_text : x->b_text, "DejaVu Sans, Sans 6.5", -1);
          show (pdf, value, MARGIN_X + label_w + len + 3, by - 0.5);
          g_object_unref (value);
        }
      pdf->y += row_h;
    }
  pdf->y += 8;
}

/* One pass over the document: returns the number of pages. */
static int
render (Pdf *pdf)
{
  pdf->page = 1;
  pdf->outline_section = CAIRO_PDF_OUTLINE_ROOT;
  page_begin (pdf);

  /* the title */
  PangoLayout *title = layout_new (pdf, pdf->doc->title, "DejaVu Sans, Sans Bold 20", CONTENT_W);
  set_color (pdf, 0x1f5f8b);
  show (pdf, title, MARGIN_X, pdf->y);
  pdf->y += layout_height (title) + 4;
  g_object_unref (title);
  text_block (pdf, pdf->doc->subtitle, "DejaVu Sans, Sans 10", 0x555555, 14);

  for (guint i = 0; i < pdf->doc->blocks->len; i++)
    {
      const MoaReportBlock *b = g_ptr_array_index (pdf->doc->blocks, i);
      switch (b->kind)
        {
          case MOA_REPORT_BLOCK_HEADING:
            heading (pdf, b);
            break;
          case MOA_REPORT_BLOCK_PARAGRAPH:
            text_block (pdf, b->text, FONT_BODY, 0x222222, 6);
            break;
          case MOA_REPORT_BLOCK_NOTE:
            text_block (pdf, b->text, FONT_NOTE, 0x555555, 8);
            break;
          case MOA_REPORT_BLOCK_WARNING:
            text_block (pdf, b->text, "DejaVu Sans, Sans Bold 9.5", 0xb00020, 6);
            break;
          case MOA_REPORT_BLOCK_TABLE:
            table (pdf, b);
            break;
          case MOA_REPORT_BLOCK_CHART:
            chart (pdf, b);
            break;
          default:
            g_assert_not_reached ();
        }
    }
  cairo_show_page (pdf->cr);
  return pdf->page;
}

/* Sets up a pass on @surface: text metrics without hinting, so that both passes lay the text
 * out identically. */
static void
pass_begin (Pdf *pdf, cairo_surface_t *surface)
{
  pdf->surface = surface;
  pdf->cr = cairo_create (surface);
  /* a font map of our own, freed at the end of the pass with its caches (the thread's default
   * one would live as long as the thread) */
  pdf->font_map = pango_cairo_font_map_new ();
  pdf->context = pango_font_map_create_context (pdf->font_map);
  pango_cairo_update_context (pdf->cr, pdf->context);
  cairo_font_options_t *options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pdf->context, options);
  cairo_font_options_destroy (options);
  PangoLanguage *language = pango_language_from_string (pdf->doc->lang);
  pango_context_set_language (pdf->context, language);
}

/* Ends a pass: FALSE with @error when cairo failed. */
static gboolean
pass_end (Pdf *pdf, GError **error)
{
  g_object_unref (pdf->context);
  g_object_unref (pdf->font_map);
  cairo_status_t status = cairo_status (pdf->cr);
  cairo_destroy (pdf->cr);
  cairo_surface_finish (pdf->surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (pdf->surface);
  cairo_surface_destroy (pdf->surface);
  pdf->cr = NULL;
  pdf->surface = NULL;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("cannot draw the PDF report: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* moa_report_render_pdf:
 * Appends the PDF of @doc to @out. Two passes: the first, drawn into nothing, counts the
 * pages, so that the second can number them "n / N". */
gboolean
moa_report_render_pdf (const MoaReportDoc *doc, GByteArray *out, GError **error)
{
  g_return_val_if_fail (doc != NULL && out != NULL, FALSE);

  Pdf pdf = { .doc = doc };
  pass_begin (&pdf, cairo_pdf_surface_create_for_stream (discard, NULL, PAGE_W, PAGE_H));
  pdf.n_pages = 0;
  int n_pages = render (&pdf);
  if (!pass_end (&pdf, error))
    return FALSE;

  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append, out, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, doc->subtitle);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "moa " PACKAGE_VERSION);
  pass_begin (&pdf, surface);
  pdf.n_pages = n_pages;
  int second = render (&pdf);
  if (!pass_end (&pdf, error))
    return FALSE;
  g_warn_if_fail (second == n_pages);
  return TRUE;
}
