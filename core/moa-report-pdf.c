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
#define FONT_LIST "DejaVu Sans, Sans 7"
#define FONT_CHART "DejaVu Sans, Sans 6.5"
#define FONT_WARNING "DejaVu Sans, Sans Bold 9.5"
#define CELL_PAD 3.0   /* left and right of a cell */
#define CELL_PAD_Y 2.0 /* above and below */

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
  gboolean only_intro; /* the page holds only a section's (level-1) heading and its intro */
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
  pdf->only_intro = FALSE;

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

/* A paragraph of @font, wrapped at @width from @x; a paragraph taller than what is left of the
 * page is split between its lines. */
static void
text_block_at (Pdf *pdf, const char *text, const char *font, guint32 color, double after, double x,
               double width)
{
  PangoLayout *layout = layout_new (pdf, text, font, width);
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
          show (pdf, layout, x, start_y - offset);
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
  show (pdf, layout, x, start_y - offset);
  cairo_restore (pdf->cr);
  set_color (pdf, 0x222222);
  pdf->y = start_y + total - offset + after;
  g_object_unref (layout);
}

static void
text_block (Pdf *pdf, const char *text, const char *font, guint32 color, double after)
{
  text_block_at (pdf, text, font, color, after, MARGIN_X, CONTENT_W);
}

/* The height a paragraph needs to start: all of it when short, else its first three lines. */
static double
text_start (Pdf *pdf, const char *text, const char *font, double after)
{
  PangoLayout *layout = layout_new (pdf, text, font, CONTENT_W);
  double h = layout_height (layout);
  int lines = pango_layout_get_line_count (layout);
  g_object_unref (layout);
  return lines <= 4 ? h + after : 3 * h / lines;
}

static const char *
heading_font (const MoaReportBlock *b)
{
  return b->level == 1   ? "DejaVu Sans, Sans Bold 16"
         : b->level == 2 ? "DejaVu Sans, Sans Bold 12.5"
                         : "DejaVu Sans, Sans Bold 10";
}

/* The height a heading takes, with the space around it. */
static double
heading_height (Pdf *pdf, const MoaReportBlock *b)
{
  PangoLayout *layout = layout_new (pdf, b->text, heading_font (b), CONTENT_W);
  double h = layout_height (layout);
  g_object_unref (layout);
  return (b->level == 1 ? 0 : 6) + h + (b->level == 1 ? 10 : 5);
}

/* Draws heading @b; @keep is the height of what must follow it on the same page (the start of
 * the next blocks), so that a heading never ends a page. A heading that starts a new page does
 * so unless the page holds only a section's heading and its intro (the section's first
 * procedure follows its intro). */
static void
heading (Pdf *pdf, const MoaReportBlock *b, double keep)
{
  if (b->new_page && pdf->y > pdf->top + 1 && !pdf->only_intro)
    new_page (pdf);
  PangoLayout *layout = layout_new (pdf, b->text, heading_font (b), CONTENT_W);
  double h = layout_height (layout);
  need (pdf, heading_height (pdf, b) + keep);
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

  /* the document outline (bookmarks), in the pass that writes: sections and their parts */
  if (pdf->n_pages > 0 && b->level <= 2)
    {
      g_autofree char *link = g_strdup_printf ("page=%d", pdf->page);
      int parent = b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : pdf->outline_section;
      int id = cairo_pdf_surface_add_outline (pdf->surface, parent, b->text, link,
                                              b->level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
      if (b->level == 1)
        pdf->outline_section = id;
    }
  pdf->y += h + (b->level == 1 ? 10 : 5);
  pdf->only_intro = b->level == 1;
  g_object_unref (layout);
}

/* ---- Tables ------------------------------------------------------------------------------- */

/* The width of @text in @font: on one line (@narrowest FALSE), or its longest piece that
 * cannot be broken at a space or hyphen (@narrowest TRUE: the column's least width before
 * words are cut). */
static double
text_width (Pdf *pdf, const char *text, const char *font, gboolean narrowest)
{
  PangoLayout *layout = layout_new (pdf, text, font, -1);
  double w = 0;
  if (!narrowest)
    w = layout_width (layout);
  else
    {
      /* wrapped at words into a column as narrow as can be: the widest line is the longest
       * piece */
      pango_layout_set_width (layout, PANGO_SCALE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      PangoLayoutIter *iter = pango_layout_get_iter (layout);
      do
        {
          PangoRectangle logical;
          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          w = MAX (w, (double)logical.width / PANGO_SCALE);
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
    }
  g_object_unref (layout);
  return w;
}

/* An estimate of the height of the text columns of @b at @width, in lines: each row as tall as
 * its cell that needs most lines, a cell's lines its width on one line over the column's. */
static double
estimated_lines (const MoaReportBlock *b, const double *width, const gboolean *fixed,
                 const double *cell_w)
{
  guint n = b->n_cols;
  double lines = 0, cells = 0;
  for (guint r = 0; r < b->rows->len; r++)
    {
      double most = 1;
      for (guint i = 0; i < n; i++)
        if (!fixed[i] && cell_w[(gsize)r * n + i] > width[i])
          {
            double k = ceil ((cell_w[(gsize)r * n + i] - 2 * CELL_PAD)
                             / MAX (1, width[i] - 2 * CELL_PAD));
            most = MAX (most, k);
            cells += k - 1;
          }
      lines += most;
    }
  /* of two layouts as tall, the one with fewer broken cells */
  return lines + cells / (4.0 * (n * (double)b->rows->len + 1));
}

/* Moves width between the text columns of @b while that makes the table shorter (in the
 * estimate of estimated_lines()), none narrower than its longest word @least. */
static void
balance (const MoaReportBlock *b, double *width, const gboolean *fixed, const double *least,
         const double *cell_w)
{
  static const double steps[] = { 48, 16, 4 };
  guint n = b->n_cols;
  double lines = estimated_lines (b, width, fixed, cell_w);
  for (int round = 0; round < 200; round++)
    {
      double best = lines;
      guint from = 0, to = 0;
      double step = 0;
      for (gsize k = 0; k < G_N_ELEMENTS (steps); k++)
        for (guint i = 0; i < n; i++)
          for (guint j = 0; j < n; j++)
            {
              if (i == j || fixed[i] || fixed[j] || width[i] - steps[k] < least[i])
                continue;
              width[i] -= steps[k];
              width[j] += steps[k];
              double x = estimated_lines (b, width, fixed, cell_w);
              width[i] += steps[k];
              width[j] -= steps[k];
              if (x < best - 1e-9)
                {
                  best = x;
                  from = i;
                  to = j;
                  step = steps[k];
                }
            }
      if (step == 0)
        return;
      width[from] -= step;
      width[to] += step;
      lines = best;
    }
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/* The widths of the columns. Number columns (and SHA-256 hashes) are as wide as their widest
 * value, so that numbers never wrap; their headers wrap between words when the room is short.
 * Text columns get their natural widths when everything fits; else they share what is left:
 * first each its typical width (wide enough for 9 of its 10 cells on one line: a few long
 * cells should not squeeze the others), then the rest in proportion to how much more each
 * would take; when even the typical widths do not fit, each at least its longest word. */
static double *
column_widths (Pdf *pdf, const MoaReportBlock *b)
{
  guint n = b->n_cols;
  double *width = g_new0 (double, n);
  g_autofree double *least = g_new0 (double, n); /* text: the longest word */
  g_autofree double *most = g_new0 (double, n);  /* text: everything on one line */
  g_autofree double *head_least = g_new0 (double, n);
  g_autofree double *head_most = g_new0 (double, n);
  g_autofree double *typical = g_new0 (double, n); /* text: wide enough for 9 cells of 10 */
  g_autofree gboolean *fixed = g_new0 (gboolean, n);
  g_autoptr (GArray) natural = g_array_new (FALSE, FALSE, sizeof (double));
  /* every cell's width on one line, row by row (0: empty) */
  g_autofree double *cell_w = g_new0 (double, (gsize)n *MAX (b->rows->len, 1));
  for (guint i = 0; i < n; i++)
    {
      fixed[i] = b->numeric[i];
      head_least[i] = text_width (pdf, b->header[i], FONT_TABLE_HEAD, TRUE) + 2 * CELL_PAD;
      head_most[i] = text_width (pdf, b->header[i], FONT_TABLE_HEAD, FALSE) + 2 * CELL_PAD;
    }
  for (guint i = 0; i < n; i++)
    {
      g_array_set_size (natural, 0);
      for (guint r = 0; r < b->rows->len; r++)
        {
          const char *cell = ((char **)g_ptr_array_index (b->rows, r))[i];
          if (cell[0] == '\0')
            continue;
          const char *font = cell_font (cell, FALSE);
          double w = text_width (pdf, cell, font, FALSE) + 2 * CELL_PAD;
          g_array_append_val (natural, w);
          cell_w[(gsize)r * n + i] = w;
          most[i] = MAX (most[i], w);
          if (is_hash (cell))
            fixed[i] = TRUE;
          if (!b->numeric[i])
            least[i] = MAX (least[i], text_width (pdf, cell, font, TRUE) + 2 * CELL_PAD);
        }
      if (natural->len > 0)
        {
          g_array_sort (natural, compare_doubles);
          typical[i] = g_array_index (natural, double, (natural->len - 1) * 9 / 10);
        }
    }

  /* numbers and hashes: their values' width, and their header's on one line when it fits */
  double fixed_w = 0, text_least = 0, text_typical = 0, text_most = 0;
  for (guint i = 0; i < n; i++)
    if (fixed[i])
      fixed_w += MAX (most[i], head_most[i]);
    else
      {
        least[i] = MAX (least[i], head_least[i]);
        most[i] = MAX (most[i], MAX (head_most[i], least[i]));
        typical[i] = CLAMP (typical[i], least[i], most[i]);
        text_least += least[i];
        text_typical += typical[i];
        text_most += most[i];
      }
  gboolean wide_heads = fixed_w + text_least <= CONTENT_W;
  fixed_w = 0;
  for (guint i = 0; i < n; i++)
    if (fixed[i])
      {
        width[i] = wide_heads ? MAX (most[i], head_most[i]) : MAX (most[i], head_least[i]);
        fixed_w += width[i];
      }

  double left = CONTENT_W - fixed_w;
  if (text_most <= left)
    {
      for (guint i = 0; i < n; i++)
        if (!fixed[i])
          width[i] = most[i];
    }
  else if (text_typical <= left)
    {
      for (guint i = 0; i < n; i++)
        if (!fixed[i])
          width[i] = typical[i]
                     + (most[i] - typical[i]) * (left - text_typical) / (text_most - text_typical);
    }
  else
    {
      /* fair shares: a column that needs less than an equal share of what is left gets what
       * it needs (its typical width); the others share the rest equally, each at least its
       * longest word */
      g_autofree gboolean *done = g_new0 (gboolean, n);
      double rest = left;
      guint open = 0;
      for (guint i = 0; i < n; i++)
        open += !fixed[i];
      gboolean changed = TRUE;
      while (changed && open > 0)
        {
          changed = FALSE;
          double fair = rest / open;
          for (guint i = 0; i < n; i++)
            if (!fixed[i] && !done[i] && typical[i] <= fair)
              {
                width[i] = typical[i];
                rest -= typical[i];
                done[i] = TRUE;
                open--;
                changed = TRUE;
              }
        }
      double floors = 0;
      for (guint i = 0; i < n; i++)
        if (!fixed[i] && !done[i])
          floors += least[i];
      for (guint i = 0; i < n; i++)
        if (!fixed[i] && !done[i])
          width[i] = floors <= rest ? MAX (least[i], rest / open) : rest * least[i] / floors;
      /* the columns raised to their longest word take from the others; when still too
       * wide, all text columns shrink alike (their words are then cut) */
      double excess = -left;
      for (guint i = 0; i < n; i++)
        if (!fixed[i])
          excess += width[i];
      for (guint i = 0; i < n && excess > 0; i++)
        if (!fixed[i] && !done[i] && width[i] > least[i])
          {
            double d = MIN (width[i] - least[i], excess);
            width[i] -= d;
            excess -= d;
          }
      if (excess > 0)
        for (guint i = 0; i < n; i++)
          if (!fixed[i])
            width[i] *= left / (left + excess);
    }
  if (text_most > left)
    balance (b, width, fixed, least, cell_w);
  return width;
}

/* Draws one row at pdf->y (text cells wrapped in their column, numbers on one line, right
 * aligned) and returns its height; with @draw FALSE only measures. */
static double
table_row (Pdf *pdf, const MoaReportBlock *b, char **cells, const double *widths, gboolean head,
           gboolean draw)
{
  double h = 0;
  PangoLayout **layouts = g_new0 (PangoLayout *, b->n_cols);
  for (guint i = 0; i < b->n_cols; i++)
    {
      gboolean one_line = b->numeric[i] && !head;
      layouts[i] = layout_new (pdf, cells[i], cell_font (cells[i], head),
                               one_line ? -1 : widths[i] - 2 * CELL_PAD);
      if (b->numeric[i])
        pango_layout_set_alignment (layouts[i], PANGO_ALIGN_RIGHT);
      h = MAX (h, layout_height (layouts[i]));
    }
  h += 2 * CELL_PAD_Y;
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
          double cx = x + CELL_PAD;
          if (b->numeric[i] && !head)
            cx = x + widths[i] - CELL_PAD - layout_width (layouts[i]);
          show (pdf, layouts[i], cx, pdf->y + CELL_PAD_Y);
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

/* The height a table needs to start: its header and first row. */
static double
table_start (Pdf *pdf, const MoaReportBlock *b)
{
  g_autofree double *widths = column_widths (pdf, b);
  double h = 2 + table_row (pdf, b, b->header, widths, TRUE, FALSE);
  if (b->rows->len > 0)
    h += table_row (pdf, b, g_ptr_array_index (b->rows, 0), widths, FALSE, FALSE);
  return h;
}

static void
table (Pdf *pdf, const MoaReportBlock *b)
{
  g_autofree double *widths = column_widths (pdf, b);
  need (pdf, table_start (pdf, b) + 4);
  pdf->only_intro = FALSE;
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

/* ---- Lists -------------------------------------------------------------------------------- */

#define LIST_LABEL_W 24.0

/* The height of the list's item @row: its text wrapped beside the label. */
static double
list_item_height (Pdf *pdf, char **row)
{
  PangoLayout *layout = layout_new (pdf, row[1], FONT_LIST, CONTENT_W - LIST_LABEL_W);
  double h = layout_height (layout);
  g_object_unref (layout);
  return h + 2;
}

/* The height a list needs to start: its title and first item (at most 3 lines of it). */
static double
list_start (Pdf *pdf, const MoaReportBlock *b)
{
  PangoLayout *t = layout_new (pdf, b->text, FONT_TABLE_HEAD, CONTENT_W);
  double h = layout_height (t) + 3;
  g_object_unref (t);
  if (b->rows->len > 0)
    h += MIN (list_item_height (pdf, g_ptr_array_index (b->rows, 0)), 30);
  return h;
}

/* A list under its bold title: each item's label ("[3]") in a left gutter and its text
 * wrapped beside it; an item is kept whole on a page when it fits on one. */
static void
list_block (Pdf *pdf, const MoaReportBlock *b)
{
  need (pdf, list_start (pdf, b));
  pdf->only_intro = FALSE;
  PangoLayout *t = layout_new (pdf, b->text, FONT_TABLE_HEAD, CONTENT_W);
  show (pdf, t, MARGIN_X, pdf->y);
  pdf->y += layout_height (t) + 3;
  g_object_unref (t);
  for (guint r = 0; r < b->rows->len; r++)
    {
      char **row = g_ptr_array_index (b->rows, r);
      double h = list_item_height (pdf, row);
      /* whole on a page when it fits on one; else at least its first lines */
      need (pdf, MIN (h, 30));
      if (pdf->y + h > BOTTOM && h < BOTTOM - pdf->top)
        new_page (pdf);
      PangoLayout *label = layout_new (pdf, row[0], FONT_LIST, -1);
      set_color (pdf, 0x222222);
      show (pdf, label, MARGIN_X, pdf->y);
      g_object_unref (label);
      text_block_at (pdf, row[1], FONT_LIST, 0x222222, 2, MARGIN_X + LIST_LABEL_W,
                     CONTENT_W - LIST_LABEL_W);
    }
  pdf->y += 8;
}

/* ---- Charts ------------------------------------------------------------------------------- */

#define CHART_BAR_H 7.0
#define CHART_GAP 4.5

static double
chart_row_height (const MoaReportBlock *b)
{
  return (b->legend_b != NULL ? 2 * CHART_BAR_H + 1.5 : CHART_BAR_H) + CHART_GAP;
}

/* The height a chart needs to start: its title, legend and first four bars. */
static double
chart_start (Pdf *pdf, const MoaReportBlock *b)
{
  if (b->bars->len == 0)
    return 0;
  g_autofree char *title = g_strdup_printf ("%s (%s)", b->text, b->unit);
  PangoLayout *t = layout_new (pdf, title, "DejaVu Sans, Sans Bold 8.5", CONTENT_W);
  double h = layout_height (t) + 21 + MIN (4, b->bars->len) * chart_row_height (b);
  g_object_unref (t);
  return h;
}

/* Horizontal bars as in the HTML: labels on the left, one bar (single) or two (before, after),
 * scaled to the largest absolute value, negative values in red, values at the bars' ends. */
static void
chart (Pdf *pdf, const MoaReportBlock *b)
{
  if (b->bars->len == 0)
    return;
  gboolean paired = b->legend_b != NULL;
  const double label_w = 160, value_w = 62, bar_h = CHART_BAR_H;
  double plot_w = CONTENT_W - label_w - value_w - 8;
  double row_h = chart_row_height (b);
  double max = moa_report_chart_max (b);

  g_autofree char *title = g_strdup_printf ("%s (%s)", b->text, b->unit);
  PangoLayout *t = layout_new (pdf, title, "DejaVu Sans, Sans Bold 8.5", CONTENT_W);
  need (pdf, chart_start (pdf, b));
  pdf->only_intro = FALSE;
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
      /* the label on two lines beside a pair of bars (one beside a single bar), cut with an
       * ellipsis when longer */
      PangoLayout *label = layout_new (pdf, x->label, FONT_CHART, label_w - 6);
      pango_layout_set_height (label, paired ? -2 : -1);
      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (label, PANGO_ALIGN_RIGHT);
      double label_h = layout_height (label);
      double bars_h = paired ? 2 * bar_h + 1.5 : bar_h;
      show (pdf, label, MARGIN_X, pdf->y + (bars_h - label_h) / 2);
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

/* The height that must follow a heading on its page: the blocks from @index on (those the PDF
 * draws) up to the start of the first table, chart or list: headings under it, its intro
 * paragraphs (their first lines when long). */
static double
keep_with (Pdf *pdf, guint index)
{
  double h = 0;
  for (guint i = index; i < pdf->doc->blocks->len; i++)
    {
      const MoaReportBlock *b = g_ptr_array_index (pdf->doc->blocks, i);
      if (b->media == MOA_REPORT_MEDIA_HTML)
        continue;
      switch (b->kind)
        {
          case MOA_REPORT_BLOCK_HEADING:
            if (b->new_page)
              return h;
            h += heading_height (pdf, b);
            break;
          case MOA_REPORT_BLOCK_PARAGRAPH:
            /* a long paragraph is content enough */
            {
              double start = text_start (pdf, b->text, FONT_BODY, 6);
              h += start;
              if (start > 60)
                return h;
            }
            break;
          case MOA_REPORT_BLOCK_NOTE:
            h += text_start (pdf, b->text, FONT_NOTE, 8);
            break;
          case MOA_REPORT_BLOCK_WARNING:
            h += text_start (pdf, b->text, FONT_WARNING, 6);
            break;
          case MOA_REPORT_BLOCK_TABLE:
            return h + table_start (pdf, b) + 4;
          case MOA_REPORT_BLOCK_CHART:
            return h + chart_start (pdf, b);
          case MOA_REPORT_BLOCK_LIST:
            return h + list_start (pdf, b);
          default:
            return h;
        }
      /* never more than a page can hold */
      if (h > (BOTTOM - MARGIN_TOP) / 2)
        return h;
    }
  return h;
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
      if (b->media == MOA_REPORT_MEDIA_HTML)
        continue;
      switch (b->kind)
        {
          case MOA_REPORT_BLOCK_HEADING:
            heading (pdf, b, keep_with (pdf, i + 1));
            break;
          case MOA_REPORT_BLOCK_PARAGRAPH:
            text_block (pdf, b->text, FONT_BODY, 0x222222, 6);
            break;
          case MOA_REPORT_BLOCK_NOTE:
            text_block (pdf, b->text, FONT_NOTE, 0x555555, 8);
            break;
          case MOA_REPORT_BLOCK_WARNING:
            text_block (pdf, b->text, FONT_WARNING, 0xb00020, 6);
            break;
          case MOA_REPORT_BLOCK_TABLE:
            table (pdf, b);
            break;
          case MOA_REPORT_BLOCK_CHART:
            chart (pdf, b);
            break;
          case MOA_REPORT_BLOCK_LIST:
            list_block (pdf, b);
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
