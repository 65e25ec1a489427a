/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report as one self-contained XHTML file: inline CSS, inline SVG bar charts, no script
 * and no external resource, well-formed XML so that any XML parser accepts it. */
#define G_LOG_DOMAIN "moa"

#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-lang.h"
#include "moa-report-private.h"

static const char css[]
    = "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;max-width:62em;"
      "margin:2em auto;padding:0 1em;line-height:1.45}"
      "h1{font-size:1.7em;margin-bottom:.2em}"
      "h2{border-bottom:2px solid #1f5f8b;padding-bottom:.2em;margin-top:2.2em;color:#1f5f8b}"
      "h3{margin-top:1.8em}h4{margin-bottom:.3em}"
      "p.subtitle{color:#555;margin-top:0}"
      "p.note{font-size:.85em;color:#555}"
      "div.warning{border:2px solid #b00020;background:#fdecea;color:#7a0014;padding:.6em 1em;"
      "font-weight:bold;margin:1em 0}"
      "table{border-collapse:collapse;margin:.8em 0;font-size:.9em}"
      "th,td{border-bottom:1px solid #ccc;padding:.25em .6em;vertical-align:top}"
      "th{background:#eef3f7;text-align:left}"
      "td.n,th.n{text-align:right;white-space:nowrap}"
      "td.h{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;word-break:break-all}"
      "nav ol{columns:2}"
      "p.list{font-size:.85em;font-weight:bold;margin:.6em 0 .2em}"
      "dl.list{display:grid;grid-template-columns:auto 1fr;gap:.15em .7em;font-size:.85em;"
      "color:#333;margin:0 0 1em}"
      "dl.list dd{margin:0}"
      "svg{display:block;margin:.6em 0;max-width:100%;height:auto}"
      "@media print{section.procedure{page-break-before:always}}";

/* Appends @s escaped for XML text and attribute values. Characters XML 1.0 forbids (control
 * characters other than tab and line breaks) are dropped. */
static void
esc (GString *out, const char *s)
{
  if (s == NULL)
    return;
  for (; *s; s++)
    switch (*s)
      {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#39;");
          break;
        default:
          if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
            break;
          g_string_append_c (out, *s);
      }
}

/* A number for SVG coordinates: '.' as decimal point whatever the locale. */
static const char *
coord (char *buf, double x)
{
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.1f", x);
}

static void
element (GString *out, const char *tag, const char *cls, const char *text)
{
  g_string_append_printf (out, "<%s", tag);
  if (cls)
    g_string_append_printf (out, " class=\"%s\"", cls);
  g_string_append_c (out, '>');
  esc (out, text);
  g_string_append_printf (out, "</%s>\n", tag);
}

static void
render_table (GString *out, const MoaReportBlock *b)
{
  g_string_append (out, "<table>\n<thead><tr>");
  for (guint i = 0; i < b->n_cols; i++)
    {
      g_string_append (out, b->numeric[i] ? "<th class=\"n\">" : "<th>");
      esc (out, b->header[i]);
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");
  for (guint r = 0; r < b->rows->len; r++)
    {
      char **cells = g_ptr_array_index (b->rows, r);
      g_string_append (out, "<tr>");
      for (guint i = 0; i < b->n_cols; i++)
        {
          /* a SHA-256 (64 hex digits) in monospace, allowed to break */
          gboolean hash = strlen (cells[i]) == 64 && strspn (cells[i], "0123456789abcdef") == 64;
          g_string_append (out, b->numeric[i] ? "<td class=\"n\">"
                                : hash        ? "<td class=\"h\">"
                                              : "<td>");
          esc (out, cells[i]);
          g_string_append (out, "</td>");
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n");
}

/* A list of {label, text} rows (the numbered sources) under its title. */
static void
render_list (GString *out, const MoaReportBlock *b)
{
  element (out, "p", "list", b->text);
  g_string_append (out, "<dl class=\"list\">\n");
  for (guint r = 0; r < b->rows->len; r++)
    {
      char **cells = g_ptr_array_index (b->rows, r);
      g_string_append (out, "<dt>");
      esc (out, cells[0]);
      g_string_append (out, "</dt><dd>");
      esc (out, cells[1]);
      g_string_append (out, "</dd>\n");
    }
  g_string_append (out, "</dl>\n");
}

/* A chart of horizontal bars: for each row a label on the left, then one bar (single) or two
 * (before and after, paired), scaled to the largest absolute value; negative values (an added
 * burden) are drawn in red; the value is written at the end of each bar. */
static void
render_chart (GString *out, const MoaReportBlock *b)
{
  if (b->bars->len == 0)
    return;
  gboolean paired = b->legend_b != NULL;
  const double width = 720, label_w = 250, value_w = 90, bar_h = 12, gap = 8, top = 44;
  double plot_w = width - label_w - value_w - 10;
  double row_h = (paired ? 2 * bar_h + 2 : bar_h) + gap;
  double height = top + b->bars->len * row_h + 6;
  double max = moa_report_chart_max (b);

  char w[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];
  char x0[G_ASCII_DTOSTR_BUF_SIZE], y0[G_ASCII_DTOSTR_BUF_SIZE], x1[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_printf (out,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\" "
                          "viewBox=\"0 0 %s %s\" role=\"img\" font-family=\"DejaVu Sans, "
                          "Helvetica, Arial, sans-serif\" font-size=\"11\">\n",
                          coord (w, width), coord (h, height), coord (x0, width),
                          coord (y0, height));
  g_string_append (out, "<title>");
  esc (out, b->text);
  g_string_append (out, "</title>\n<text x=\"0\" y=\"14\" font-weight=\"bold\" font-size=\"13\">");
  esc (out, b->text);
  g_string_append (out, " (");
  esc (out, b->unit);
  g_string_append (out, ")</text>\n");
  /* legend */
  g_string_append (out, "<rect x=\"0\" y=\"24\" width=\"12\" height=\"10\" fill=\"#9bb8cf\"/>"
                        "<text x=\"16\" y=\"33\">");
  esc (out, b->legend_a);
  g_string_append (out, "</text>\n");
  if (paired)
    {
      g_string_append (out, "<rect x=\"120\" y=\"24\" width=\"12\" height=\"10\" "
                            "fill=\"#1f5f8b\"/><text x=\"136\" y=\"33\">");
      esc (out, b->legend_b);
      g_string_append (out, "</text>\n");
    }

  for (guint i = 0; i < b->bars->len; i++)
    {
      const MoaReportBar *x = g_ptr_array_index (b->bars, i);
      double y = top + i * row_h;
      /* the label, cut to fit (the full text in a <title>) */
      g_autofree char *label = NULL;
      if (g_utf8_strlen (x->label, -1) > 40)
        {
          g_autofree char *head = g_utf8_substring (x->label, 0, 39);
          label = g_strconcat (head, "…", NULL);
        }
      else
        label = g_strdup (x->label);
      g_string_append_printf (out, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\"><title>",
                              coord (x0, label_w - 6), coord (y0, y + bar_h - 2));
      esc (out, x->label);
      g_string_append (out, "</title>");
      esc (out, label);
      g_string_append (out, "</text>\n");
      for (int k = 0; k < (paired ? 2 : 1); k++)
        {
          double v = k == 0 ? x->a : x->b;
          const char *text = k == 0 ? x->a_text : x->b_text;
          double len = fabs (v) / max * plot_w;
          double by = y + k * (bar_h + 2);
          const char *fill = v < 0 ? "#b00020" : (paired && k == 0) ? "#9bb8cf" : "#1f5f8b";
          g_string_append_printf (out,
                                  "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
                                  "fill=\"%s\"/>",
                                  coord (x0, label_w), coord (y0, by), coord (x1, len),
                                  coord (h, bar_h), fill);
          g_string_append_printf (out, "<text x=\"%s\" y=\"%s\">", coord (x0, label_w + len + 4),
                                  coord (y0, by + bar_h - 2));
          esc (out, text);
          g_string_append (out, "</text>\n");
        }
    }
  g_string_append (out, "</svg>\n");
}

/* moa_report_render_html:
 * Appends @doc as one XHTML document: a table of contents of the sections, the unfinished
 * run's warning at the top and at the start of every section, the blocks in order. */
gboolean
moa_report_render_html (const MoaReportDoc *doc, GString *out, GError **error)
{
  g_return_val_if_fail (doc != NULL && out != NULL, FALSE);

  g_string_append (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
  g_string_append_printf (out,
                          "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"%s\" "
                          "xml:lang=\"%s\">\n<head>\n<meta charset=\"UTF-8\"/>\n",
                          doc->lang, doc->lang);
  g_string_append (out, "<meta name=\"generator\" content=\"moa " PACKAGE_VERSION "\"/>\n");
  element (out, "title", NULL, doc->title);
  g_string_append_printf (out, "<style>%s</style>\n</head>\n<body>\n", css);
  element (out, "h1", NULL, doc->title);
  element (out, "p", "subtitle", doc->subtitle);
  if (doc->warning)
    element (out, "div", "warning", doc->warning);

  /* the table of contents: the level-1 headings */
  g_string_append (out, "<nav><ol>\n");
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const MoaReportBlock *b = g_ptr_array_index (doc->blocks, i);
      if (b->kind != MOA_REPORT_BLOCK_HEADING || b->level != 1 || b->anchor == NULL)
        continue;
      g_string_append_printf (out, "<li><a href=\"#%s\">", b->anchor);
      esc (out, b->text);
      g_string_append (out, "</a></li>\n");
    }
  g_string_append (out, "</ol></nav>\n");

  /* sections open at level-1 headings, and at level-2 ones that start a page (procedures) */
  int open = 0; /* nesting of <section> */
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const MoaReportBlock *b = g_ptr_array_index (doc->blocks, i);
      if (b->media == MOA_REPORT_MEDIA_PDF)
        continue;
      switch (b->kind)
        {
          case MOA_REPORT_BLOCK_HEADING:
            {
              if (b->level == 1)
                {
                  for (; open > 0; open--)
                    g_string_append (out, "</section>\n");
                  g_string_append (out, "<section>\n");
                  open = 1;
                }
              else if (b->level == 2 && b->new_page)
                {
                  for (; open > 1; open--)
                    g_string_append (out, "</section>\n");
                  g_string_append (out, "<section class=\"procedure\">\n");
                  open++;
                }
              /* h2 for sections, h3 for sub-sections, h4 below: h1 is the title */
              g_string_append_printf (out, "<h%d", b->level + 1);
              if (b->anchor)
                g_string_append_printf (out, " id=\"%s\"", b->anchor);
              g_string_append_c (out, '>');
              esc (out, b->text);
              g_string_append_printf (out, "</h%d>\n", b->level + 1);
              if (doc->warning && (b->level == 1 || b->new_page))
                element (out, "div", "warning", doc->warning);
            }
            break;
          case MOA_REPORT_BLOCK_PARAGRAPH:
            element (out, "p", NULL, b->text);
            break;
          case MOA_REPORT_BLOCK_NOTE:
            element (out, "p", "note", b->text);
            break;
          case MOA_REPORT_BLOCK_WARNING:
            element (out, "div", "warning", b->text);
            break;
          case MOA_REPORT_BLOCK_TABLE:
            render_table (out, b);
            break;
          case MOA_REPORT_BLOCK_CHART:
            render_chart (out, b);
            break;
          case MOA_REPORT_BLOCK_LIST:
            render_list (out, b);
            break;
          default:
            g_return_val_if_reached (FALSE);
        }
    }
  for (; open > 0; open--)
    g_string_append (out, "</section>\n");
  g_string_append (out, "<footer><p class=\"note\">");
  esc (out, doc->footer);
  g_string_append (out, "</p></footer>\n</body>\n</html>\n");
  return TRUE;
}
