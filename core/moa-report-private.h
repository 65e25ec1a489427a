/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internals of the report: the language-neutral layout (headings, paragraphs, tables, bar
 * charts) that moa-report.c builds once in the report's language and that the HTML and PDF
 * writers only draw, plus the writers themselves. Private to core/moa-report*.c. */
#pragma once

#include <glib.h>

#include "moa-report.h"

G_BEGIN_DECLS

typedef enum
{
  MOA_REPORT_BLOCK_HEADING,   /* text, level 1 (a section, new PDF page) .. 3 */
  MOA_REPORT_BLOCK_PARAGRAPH, /* text */
  MOA_REPORT_BLOCK_NOTE,      /* text, smaller: units and sources under a table */
  MOA_REPORT_BLOCK_WARNING,   /* text, boxed and coloured: an unfinished run */
  MOA_REPORT_BLOCK_TABLE,     /* header, rows */
  MOA_REPORT_BLOCK_CHART,     /* horizontal bars */
  MOA_REPORT_BLOCK_LIST,      /* text (a title), rows of {label, text}: numbered sources */
} MoaReportBlockKind;

/* Where a block is drawn: in both formats, or in one (the PDF shortens a long table that the
 * HTML keeps whole). */
typedef enum
{
  MOA_REPORT_MEDIA_ALL,
  MOA_REPORT_MEDIA_PDF,
  MOA_REPORT_MEDIA_HTML,
} MoaReportMedia;

/* One bar of a chart: one value, or two (before and after) when the chart is paired. */
typedef struct
{
  char *label;
  double a, b;           /* b unused by a single chart */
  char *a_text, *b_text; /* the values written at the end of the bars */
} MoaReportBar;

typedef struct
{
  MoaReportBlockKind kind;
  MoaReportMedia media; /* MOA_REPORT_MEDIA_ALL unless the block is for one format only */
  int level;            /* headings */
  gboolean new_page;    /* headings: the PDF starts a new page here */
  char *anchor;         /* headings: an id for links (XML NCName), or NULL */
  char *text;

  /* tables: n_cols columns; header: char*[n_cols]; rows: GPtrArray of char** (NULL-terminated
   * arrays of n_cols strings); numeric[i]: column i holds numbers (right-aligned, never
   * wrapped in the PDF). Lists: n_cols 2, rows of {label, text}. */
  guint n_cols;
  char **header;
  GPtrArray *rows;
  gboolean *numeric;

  /* charts: a title, the unit of the values, the legend of a and b (b NULL: single bars) */
  char *legend_a, *legend_b;
  char *unit;
  GPtrArray *bars; /* MoaReportBar* */
} MoaReportBlock;

/* A report laid out in one language: what the HTML and PDF writers draw. */
typedef struct
{
  const char *lang;  /* "it" or "en" */
  char *title;       /* the document's title */
  char *subtitle;    /* catalog, run, date */
  char *warning;     /* the unfinished run's warning (on every PDF page), or NULL */
  char *footer;      /* left of the PDF footer: "moa 0.x · run 3" */
  GPtrArray *blocks; /* MoaReportBlock* */
} MoaReportDoc;

/* Lays @report out in language @lang ("it" or "en"): call with LC_MESSAGES already switched
 * (moa_lang_enter()) so that the labels are looked up in that language. */
MoaReportDoc *
moa_report_doc_new (const MoaReport *report, const char *lang);
void
moa_report_doc_free (MoaReportDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaReportDoc, moa_report_doc_free)

/* The scale of the chart @b (kind MOA_REPORT_BLOCK_CHART): the largest absolute value of its
 * bars (a, and b when paired), or 1 when that is 0 or there are no bars, so that the writers
 * can divide by it. */
double
moa_report_chart_max (const MoaReportBlock *b);

/* The writers append their output to @out; FALSE with @error when they fail. */
gboolean
moa_report_render_html (const MoaReportDoc *doc, GString *out, GError **error);
gboolean
moa_report_render_pdf (const MoaReportDoc *doc, GByteArray *out, GError **error);
/* The CSV does not use the layout: it writes the figures with full precision; labels (titles)
 * in @lang. */
gboolean
moa_report_render_csv (const MoaReport *report, const char *lang, GString *out, GError **error);

G_END_DECLS
