/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report's model (constructors and free functions), its layout in one language (the text,
 * tables and charts every format shares) and moa_report_write(), which writes atomically. */
#define G_LOG_DOMAIN "moa"

#include "moa-config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-lang.h"
#include "moa-report-private.h"

/* ------------------------------------------------------------------------------------------ */
/* The model                                                                                  */

/* moa_report_row_new:
 * A zeroed breakdown row. Free with moa_report_row_free(). */
MoaReportRow *
moa_report_row_new (void)
{
  return g_new0 (MoaReportRow, 1);
}

void
moa_report_row_free (MoaReportRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  moa_title_clear (&row->title);
  g_free (row->kind);
  g_free (row);
}

/* moa_report_measure_new:
 * A zeroed measure; saving_alone starts as NAN (cannot apply alone) until set. */
MoaReportMeasure *
moa_report_measure_new (void)
{
  MoaReportMeasure *m = g_new0 (MoaReportMeasure, 1);
  m->saving_alone = NAN;
  return m;
}

void
moa_report_measure_free (MoaReportMeasure *measure)
{
  if (measure == NULL)
    return;
  g_free (measure->procedure_id);
  g_free (measure->scenario_id);
  g_free (measure->measure_id);
  moa_title_clear (&measure->title);
  g_free (measure->type);
  g_free (measure->justification);
  g_free (measure->source);
  g_free (measure);
}

/* moa_report_item_new:
 * A zeroed obligation or activity row. */
MoaReportItem *
moa_report_item_new (void)
{
  return g_new0 (MoaReportItem, 1);
}

void
moa_report_item_free (MoaReportItem *item)
{
  if (item == NULL)
    return;
  g_free (item->procedure_id);
  g_free (item->obligation_id);
  g_free (item->activity_id);
  g_free (item->segment_id);
  moa_title_clear (&item->title);
  g_free (item->legal_reference);
  g_free (item);
}

/* moa_report_assumption_new:
 * A zeroed entry of the register of assumptions. */
MoaReportAssumption *
moa_report_assumption_new (void)
{
  return g_new0 (MoaReportAssumption, 1);
}

void
moa_report_assumption_free (MoaReportAssumption *assumption)
{
  if (assumption == NULL)
    return;
  g_free (assumption->procedure_id);
  g_free (assumption->scenario_id);
  g_free (assumption->element);
  g_free (assumption->parameter);
  g_free (assumption->value);
  g_free (assumption->source);
  g_free (assumption);
}

/* moa_report_procedure_new:
 * A zeroed procedure page whose arrays (obligations, activities, measures) free their
 * elements; payback_years starts as NAN (never pays back). */
MoaReportProcedure *
moa_report_procedure_new (void)
{
  MoaReportProcedure *p = g_new0 (MoaReportProcedure, 1);
  p->payback_years = NAN;
  p->obligations = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_item_free);
  p->activities = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_item_free);
  p->measures = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_measure_free);
  return p;
}

void
moa_report_procedure_free (MoaReportProcedure *procedure)
{
  if (procedure == NULL)
    return;
  g_free (procedure->id);
  g_free (procedure->file);
  moa_title_clear (&procedure->title);
  g_free (procedure->area);
  g_free (procedure->authority);
  g_free (procedure->legal_basis);
  g_free (procedure->scenario_id);
  moa_title_clear (&procedure->scenario_title);
  g_ptr_array_unref (procedure->obligations);
  g_ptr_array_unref (procedure->activities);
  g_ptr_array_unref (procedure->measures);
  g_free (procedure);
}

/* moa_report_input_new:
 * A zeroed input file entry. */
MoaReportInput *
moa_report_input_new (void)
{
  return g_new0 (MoaReportInput, 1);
}

void
moa_report_input_free (MoaReportInput *input)
{
  if (input == NULL)
    return;
  g_free (input->path);
  g_free (input->role);
  g_free (input->sha256);
  g_free (input);
}

/* moa_report_new:
 * An empty report: every array created, owning its elements. */
MoaReport *
moa_report_new (void)
{
  MoaReport *r = g_new0 (MoaReport, 1);
  r->by_area = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_row_free);
  r->by_group = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_row_free);
  r->by_territory = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_row_free);
  r->top_obligations = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_item_free);
  r->measures = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_measure_free);
  r->procedures = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_procedure_free);
  r->assumptions = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_assumption_free);
  r->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_report_input_free);
  return r;
}

void
moa_report_free (MoaReport *report)
{
  if (report == NULL)
    return;
  g_free (report->catalog_id);
  moa_title_clear (&report->catalog_title);
  g_free (report->moa_version);
  g_free (report->started_at);
  g_free (report->finished_at);
  g_free (report->cost_model);
  g_free (report->cost_model_version);
  g_free (report->currency);
  g_ptr_array_unref (report->by_area);
  g_ptr_array_unref (report->by_group);
  g_ptr_array_unref (report->by_territory);
  g_ptr_array_unref (report->top_obligations);
  g_ptr_array_unref (report->measures);
  g_ptr_array_unref (report->procedures);
  g_ptr_array_unref (report->assumptions);
  g_ptr_array_unref (report->inputs);
  g_free (report);
}

/* moa_report_format_from_string:
 * Parses "pdf", "html" or "csv" (any case) into @format; FALSE, leaving @format alone, for
 * anything else. */
gboolean
moa_report_format_from_string (const char *s, MoaReportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  static const char *const names[] = { "pdf", "html", "csv", NULL };
  static const MoaReportFormat formats[] = { MOA_REPORT_PDF, MOA_REPORT_HTML, MOA_REPORT_CSV };
  int i = moa_lang_word_index (s, names);
  if (i < 0)
    return FALSE;
  *format = formats[i];
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* The layout: blocks of text, tables and charts in one language                              */

/* Charts show at most this many bars (the largest); the tables keep every row. */
#define MAX_BARS 25

static void
bar_free (MoaReportBar *bar)
{
  g_free (bar->label);
  g_free (bar->a_text);
  g_free (bar->b_text);
  g_free (bar);
}

static void
block_free (MoaReportBlock *b)
{
  g_free (b->anchor);
  g_free (b->text);
  g_strfreev (b->header);
  if (b->rows)
    g_ptr_array_unref (b->rows);
  g_free (b->numeric);
  g_free (b->legend_a);
  g_free (b->legend_b);
  g_free (b->unit);
  if (b->bars)
    g_ptr_array_unref (b->bars);
  g_free (b);
}

void
moa_report_doc_free (MoaReportDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->title);
  g_free (doc->subtitle);
  g_free (doc->warning);
  g_free (doc->footer);
  g_ptr_array_unref (doc->blocks);
  g_free (doc);
}

/* The largest absolute bar value of the chart @b, 1 when 0. */
double
moa_report_chart_max (const MoaReportBlock *b)
{
  g_return_val_if_fail (b != NULL && b->bars != NULL, 1);

  gboolean paired = b->legend_b != NULL;
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
  return max;
}

/* What the layout functions share. */
typedef struct
{
  const MoaReport *r;
  const char *lang;
  gboolean english;
  MoaReportDoc *doc;
  char *money_unit;       /* "EUR/year, 2024 prices" */
  char *one_off_unit;     /* "EUR one-off, 2024 prices" */
  const char *hours_unit; /* "hours/year" */
  char *seed_text;
} Layout;

static const char *
T (const Layout *l, const char *msgid)
{
  return moa_lang_gettext (l->english, msgid);
}

static const char *
title_of (const Layout *l, const MoaTitle *title, const char *fallback)
{
  const char *t = moa_title_get (title, l->lang, fallback);
  return t ? t : "";
}

/* A figure for display: two decimals below 100, none above (the figures of a programme run to
 * millions; cents would only add noise); a dash for an undefined figure. Returns a new
 * string. */
static char *
num (const Layout *l, double x)
{
  if (!isfinite (x))
    return g_strdup ("—");
  if (x == 0)
    return g_strdup ("0");
  return moa_lang_format_number (x, fabs (x) < 100 ? 2 : 0, l->lang);
}

/* "12.3 %". Returns a new string. */
static char *
pct (const Layout *l, double x)
{
  if (!isfinite (x))
    return g_strdup ("—");
  g_autofree char *n = moa_lang_format_number (x, 1, l->lang);
  return g_strconcat (n, " %", NULL);
}

/* "1,000 – 2,000": an interval. Returns a new string. */
static char *
range (const Layout *l, double low, double high)
{
  g_autofree char *a = num (l, low);
  g_autofree char *b = num (l, high);
  return g_strconcat (a, " – ", b, NULL);
}

static MoaReportBlock *
add_block (Layout *l, MoaReportBlockKind kind, char *text)
{
  MoaReportBlock *b = g_new0 (MoaReportBlock, 1);
  b->kind = kind;
  b->text = text;
  g_ptr_array_add (l->doc->blocks, b);
  return b;
}

static void
heading (Layout *l, int level, gboolean new_page, const char *anchor, const char *text)
{
  MoaReportBlock *b = add_block (l, MOA_REPORT_BLOCK_HEADING, g_strdup (text));
  b->level = level;
  b->new_page = new_page;
  b->anchor = g_strdup (anchor);
}

static void
paragraph (Layout *l, char *text)
{
  add_block (l, MOA_REPORT_BLOCK_PARAGRAPH, text);
}

static void
note (Layout *l, char *text)
{
  add_block (l, MOA_REPORT_BLOCK_NOTE, text);
}

/* A table with the NULL-terminated column headers that follow @numeric: a string of 'l' (text)
 * and 'r' (numbers), one per column. */
static MoaReportBlock *
table (Layout *l, const char *numeric, ...)
{
  MoaReportBlock *b = add_block (l, MOA_REPORT_BLOCK_TABLE, NULL);
  b->n_cols = strlen (numeric);
  b->header = g_new0 (char *, b->n_cols + 1);
  b->numeric = g_new0 (gboolean, b->n_cols);
  va_list ap;
  va_start (ap, numeric);
  for (guint i = 0; i < b->n_cols; i++)
    {
      b->header[i] = g_strdup (va_arg (ap, const char *));
      b->numeric[i] = numeric[i] == 'r';
    }
  va_end (ap);
  b->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  return b;
}

/* Appends a row of n_cols cells, each an owned string (NULL: empty). */
static void
row (MoaReportBlock *b, ...)
{
  char **cells = g_new0 (char *, b->n_cols + 1);
  va_list ap;
  va_start (ap, b);
  for (guint i = 0; i < b->n_cols; i++)
    {
      char *cell = va_arg (ap, char *);
      cells[i] = cell ? cell : g_strdup ("");
    }
  va_end (ap);
  g_ptr_array_add (b->rows, cells);
}

static MoaReportBlock *
chart (Layout *l, char *title, const char *legend_a, const char *legend_b, const char *unit)
{
  MoaReportBlock *b = add_block (l, MOA_REPORT_BLOCK_CHART, title);
  b->legend_a = g_strdup (legend_a);
  b->legend_b = g_strdup (legend_b);
  b->unit = g_strdup (unit);
  b->bars = g_ptr_array_new_with_free_func ((GDestroyNotify)bar_free);
  return b;
}

/* A list of {label, text} rows under @title (the numbered sources of the register). */
static MoaReportBlock *
list (Layout *l, const char *title)
{
  MoaReportBlock *b = add_block (l, MOA_REPORT_BLOCK_LIST, g_strdup (title));
  b->n_cols = 2;
  b->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  return b;
}

/* @text with every run of white space (line breaks and the indentation of the XML it comes
 * from) made one space, and no space at either end. Returns a new string (NULL for NULL). */
static char *
flat (const char *text)
{
  if (text == NULL)
    return NULL;
  GString *s = g_string_new (NULL);
  gboolean space = FALSE;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && s->len > 0)
            g_string_append_c (s, ' ');
          space = FALSE;
          g_string_append_c (s, *p);
        }
    }
  return g_string_free (s, FALSE);
}

static void
bar (const Layout *l, MoaReportBlock *chart, const char *label, double a, double b)
{
  if (chart->bars->len >= MAX_BARS)
    return;
  MoaReportBar *x = g_new0 (MoaReportBar, 1);
  x->label = g_strdup (label);
  x->a = isfinite (a) ? a : 0;
  x->b = isfinite (b) ? b : 0;
  x->a_text = num (l, a);
  x->b_text = chart->legend_b ? num (l, b) : NULL;
  g_ptr_array_add (chart->bars, x);
}

/* The note under a chart that shows only the largest rows. */
static void
chart_cut_note (Layout *l, guint shown, guint total)
{
  if (total <= shown)
    return;
  note (l, g_strdup_printf (T (l, N_ ("The chart shows the %u largest of %u rows; the table "
                                      "lists them all.")),
                            shown, total));
}

/* ---- Summary ------------------------------------------------------------------------------ */

typedef struct
{
  const char *label; /* N_() */
  gboolean hours;
  const MoaReportFigure *figure;
} FigureRow;

static void
totals_rows (const MoaReportTotals *t, FigureRow rows[4])
{
  rows[0] = (FigureRow){ N_ ("Burden on citizens and businesses"), FALSE, &t->burden };
  rows[1] = (FigureRow){ N_ ("Citizens' time"), TRUE, &t->citizens_hours };
  rows[2] = (FigureRow){ N_ ("Citizens' costs"), FALSE, &t->citizens_cost };
  rows[3] = (FigureRow){ N_ ("Businesses' costs"), FALSE, &t->businesses };
}

/* The label of a row of a totals table: time rows carry their unit ("Citizens' time
 * (hours/year)"); the money rows' unit is in the note under the table. Returns a new string. */
static char *
figure_label (const Layout *l, const FigureRow *row)
{
  if (row->hours)
    return g_strdup_printf ("%s (%s)", T (l, row->label), l->hours_unit);
  return g_strdup (T (l, row->label));
}

/* The table of a whole's totals: before, after, saving, % and, with iterations, the 90 %
 * interval of the saving; then the intervals before and after; the units in a note under
 * them (a unit column would wrap in the PDF). */
static void
totals_table (Layout *l, const MoaReportTotals *t)
{
  FigureRow rows[4];
  totals_rows (t, rows);
  gboolean intervals = l->r->iterations > 0;
  MoaReportBlock *b;
  if (intervals)
    b = table (l, "lrrrrr", T (l, N_ ("Quantity")), T (l, N_ ("Before")), T (l, N_ ("After")),
               T (l, N_ ("Saving")), T (l, N_ ("Saving %")), T (l, N_ ("Saving P5 – P95")));
  else
    b = table (l, "lrrrr", T (l, N_ ("Quantity")), T (l, N_ ("Before")), T (l, N_ ("After")),
               T (l, N_ ("Saving")), T (l, N_ ("Saving %")));
  for (int i = 0; i < 4; i++)
    {
      const MoaReportFigure *f = rows[i].figure;
      char *label = figure_label (l, &rows[i]);
      if (intervals)
        row (b, label, num (l, f->before), num (l, f->after), num (l, f->saving),
             pct (l, f->saving_percent),
             f->saving_interval.n > 0 ? range (l, f->saving_interval.p5, f->saving_interval.p95)
                                      : NULL);
      else
        row (b, label, num (l, f->before), num (l, f->after), num (l, f->saving),
             pct (l, f->saving_percent));
    }
  gboolean sides = FALSE;
  for (int i = 0; i < 4; i++)
    sides |= rows[i].figure->before_interval.n > 0 || rows[i].figure->after_interval.n > 0;
  if (intervals && sides)
    {
      MoaReportBlock *iv = table (l, "lrr", T (l, N_ ("Quantity")), T (l, N_ ("Before P5 – P95")),
                                  T (l, N_ ("After P5 – P95")));
      for (int i = 0; i < 4; i++)
        {
          const MoaReportFigure *f = rows[i].figure;
          row (iv, figure_label (l, &rows[i]),
               f->before_interval.n > 0 ? range (l, f->before_interval.p5, f->before_interval.p95)
                                        : NULL,
               f->after_interval.n > 0 ? range (l, f->after_interval.p5, f->after_interval.p95)
                                       : NULL);
        }
    }
  note (l, g_strdup_printf (T (l, N_ ("Money in %s; citizens' time in %s.")), l->money_unit,
                            l->hours_unit));
  if (!intervals || !sides)
    return;
  note (l, g_strdup_printf (T (l, N_ ("P5 – P95: 90 %% of the %u simulated outcomes lie in this "
                                      "interval (Monte Carlo, seed %s). It reflects only the "
                                      "uncertainty the input files model.")),
                            l->r->iterations, l->seed_text));
}

/* The one-off cost paragraph, apart from the yearly figures. */
static void
one_off_paragraph (Layout *l, const MoaReportTotals *t)
{
  if (t->one_off == 0 && t->one_off_per_year == 0)
    {
      paragraph (l, g_strdup (T (l, N_ ("The changes add no one-off cost."))));
      return;
    }
  g_autofree char *total = num (l, t->one_off);
  g_autofree char *per_year = num (l, t->one_off_per_year);
  paragraph (l, g_strdup_printf (T (l, N_ ("One-off costs, reported apart from the yearly "
                                           "figures: the changes cost %s (%s, in total, not per "
                                           "year) to citizens and businesses, that is %s (%s) "
                                           "spread over the write-off periods of the "
                                           "scenarios.")),
                                 total, l->one_off_unit, per_year, l->money_unit));
}

static void
section_summary (Layout *l)
{
  const MoaReport *r = l->r;
  const MoaReportTotals *t = &r->totals;
  heading (l, 1, FALSE, "summary", T (l, N_ ("Summary")));

  g_autofree char *before = num (l, t->burden.before);
  g_autofree char *after = num (l, t->burden.after);
  g_autofree char *saving = num (l, t->burden.saving);
  g_autofree char *percent = pct (l, t->burden.saving_percent);
  paragraph (l, g_strdup_printf (T (l, N_ ("The programme of simplifications brings the "
                                           "administrative burden on citizens and businesses "
                                           "from %s to %s (%s): a saving of %s a year, %s of the "
                                           "burden before.")),
                                 before, after, l->money_unit, saving, percent));
  g_autofree char *hours = num (l, t->citizens_hours.saving);
  g_autofree char *citizens = num (l, t->citizens_cost.saving);
  g_autofree char *businesses = num (l, t->businesses.saving);
  paragraph (l, g_strdup_printf (T (l, N_ ("Citizens save %s hours a year and %s (%s); "
                                           "businesses save %s (%s).")),
                                 hours, citizens, l->money_unit, businesses, l->money_unit));
  if (r->iterations > 0 && t->burden.saving_interval.n > 0)
    {
      g_autofree char *low = num (l, t->burden.saving_interval.p5);
      g_autofree char *high = num (l, t->burden.saving_interval.p95);
      paragraph (l, g_strdup_printf (T (l, N_ ("With the uncertainty modelled in the inputs, "
                                               "the yearly saving lies between %s and %s (%s) "
                                               "in 90 %% of %u simulated outcomes (P5 – P95).")),
                                     low, high, l->money_unit, r->iterations));
    }
  else
    paragraph (l, g_strdup (T (l, N_ ("The run was deterministic (no Monte Carlo iterations): "
                                      "the figures are point values at the expected value of "
                                      "every parameter, without intervals."))));

  totals_table (l, t);
  one_off_paragraph (l, t);

  MoaReportBlock *c = chart (l, g_strdup (T (l, N_ ("Burden before and after the programme"))),
                             T (l, N_ ("Before")), T (l, N_ ("After")), l->money_unit);
  bar (l, c, T (l, N_ ("Citizens' costs")), t->citizens_cost.before, t->citizens_cost.after);
  bar (l, c, T (l, N_ ("Businesses' costs")), t->businesses.before, t->businesses.after);
  bar (l, c, T (l, N_ ("Total")), t->burden.before, t->burden.after);
}

static char *
procedure_title (const Layout *l, const char *id)
{
  for (guint i = 0; id && i < l->r->procedures->len; i++)
    {
      const MoaReportProcedure *p = g_ptr_array_index (l->r->procedures, i);
      if (g_strcmp0 (p->id, id) == 0)
        return g_strdup (title_of (l, &p->title, p->id));
    }
  return g_strdup (id ? id : "");
}

static void
section_obligations (Layout *l)
{
  GPtrArray *items = l->r->top_obligations;
  heading (l, 1, TRUE, "obligations", T (l, N_ ("Most burdensome obligations")));
  paragraph (l, g_strdup (T (l, N_ ("The obligations that weigh most on citizens and businesses "
                                    "before the programme, with their burden after it."))));
  if (items->len == 0)
    {
      paragraph (l, g_strdup (T (l, N_ ("No obligation in this run."))));
      return;
    }
  MoaReportBlock *t
      = table (l, "llllrrrr", "#", T (l, N_ ("Obligation")), T (l, N_ ("Procedure")),
               T (l, N_ ("Legal reference")), T (l, N_ ("Before")), T (l, N_ ("After")),
               T (l, N_ ("Saving")), T (l, N_ ("Citizens' hours before")));
  MoaReportBlock *c = chart (l, g_strdup (T (l, N_ ("Most burdensome obligations"))),
                             T (l, N_ ("Before")), T (l, N_ ("After")), l->money_unit);
  for (guint i = 0; i < items->len; i++)
    {
      const MoaReportItem *x = g_ptr_array_index (items, i);
      const char *name = title_of (l, &x->title, x->obligation_id);
      row (t, g_strdup_printf ("%u", i + 1), g_strdup (name), procedure_title (l, x->procedure_id),
           g_strdup (x->legal_reference), num (l, x->before), num (l, x->after),
           num (l, x->before - x->after), num (l, x->hours_before));
      bar (l, c, name, x->before, x->after);
    }
  note (l, g_strdup_printf (T (l, N_ ("Burden in %s; citizens' time in %s.")), l->money_unit,
                            l->hours_unit));
}

/* A breakdown: a table and the chart of the burden before and after. */
static void
breakdown (Layout *l, const char *anchor, const char *title, const char *intro, GPtrArray *rows)
{
  heading (l, 2, FALSE, anchor, title);
  if (intro)
    paragraph (l, g_strdup (intro));
  if (rows->len == 0)
    {
      paragraph (l, g_strdup (T (l, N_ ("Nothing to show in this run."))));
      return;
    }
  MoaReportBlock *t = table (l, "lrrrrrr", T (l, N_ ("Name")), T (l, N_ ("Before")),
                             T (l, N_ ("After")), T (l, N_ ("Saving")), T (l, N_ ("Saving %")),
                             T (l, N_ ("Citizens' hours saved")), T (l, N_ ("Businesses' saving")));
  MoaReportBlock *c
      = chart (l, g_strdup (title), T (l, N_ ("Before")), T (l, N_ ("After")), l->money_unit);
  for (guint i = 0; i < rows->len; i++)
    {
      const MoaReportRow *x = g_ptr_array_index (rows, i);
      const char *name = title_of (l, &x->title, x->key);
      if (g_strcmp0 (x->kind, "citizen") == 0 && x->title.it == NULL && x->title.en == NULL)
        name = T (l, N_ ("Citizens"));
      else if (g_strcmp0 (x->kind, "business") == 0 && x->title.it == NULL && x->title.en == NULL)
        name = T (l, N_ ("Businesses"));
      const MoaReportTotals *tt = &x->totals;
      row (t, g_strdup (name), num (l, tt->burden.before), num (l, tt->burden.after),
           num (l, tt->burden.saving), pct (l, tt->burden.saving_percent),
           num (l, tt->citizens_hours.saving), num (l, tt->businesses.saving));
      bar (l, c, name, tt->burden.before, tt->burden.after);
    }
  chart_cut_note (l, c->bars->len, rows->len);
  note (l, g_strdup_printf (T (l, N_ ("Burden and savings in %s; hours in %s.")), l->money_unit,
                            l->hours_unit));
}

/* The measures table (and its chart) of @measures; @with_procedure for the programme's list. */
static void
measures_table (Layout *l, GPtrArray *measures, gboolean with_procedure, const char *chart_title)
{
  if (measures->len == 0)
    {
      paragraph (l, g_strdup (T (l, N_ ("No simplification measure."))));
      return;
    }
  MoaReportBlock *c = chart (l, g_strdup (chart_title), T (l, N_ ("Saving")), NULL, l->money_unit);
  MoaReportBlock *t
      = table (l, "lllrrrrr", T (l, N_ ("Measure")),
               with_procedure ? T (l, N_ ("Procedure")) : T (l, N_ ("Scenario")),
               T (l, N_ ("Type")), T (l, N_ ("Saving")), T (l, N_ ("Saving alone")),
               T (l, N_ ("Citizens' hours")), T (l, N_ ("Businesses")), T (l, N_ ("One-off cost")));
  for (guint i = 0; i < measures->len; i++)
    {
      const MoaReportMeasure *m = g_ptr_array_index (measures, i);
      const char *name = title_of (l, &m->title, m->measure_id);
      row (t, g_strdup (name),
           with_procedure ? procedure_title (l, m->procedure_id) : g_strdup (m->scenario_id),
           g_strdup (m->type), num (l, m->saving), num (l, m->saving_alone),
           num (l, m->citizens_hours), num (l, m->businesses), num (l, m->one_off));
      bar (l, c, name, m->saving, 0);
    }
  chart_cut_note (l, c->bars->len, measures->len);
  note (l, g_strdup_printf (T (l, N_ ("Savings per year in %s, attributed cumulatively: each "
                                      "measure after the previous ones of its scenario, so they "
                                      "add up to the scenario's saving; \"alone\": the measure "
                                      "by itself on the baseline (— when it cannot apply alone). "
                                      "Hours in %s. One-off costs in %s.")),
                            l->money_unit, l->hours_unit, l->one_off_unit));
}

static void
section_breakdowns (Layout *l)
{
  heading (l, 1, TRUE, "breakdowns", T (l, N_ ("Breakdowns")));
  breakdown (l, "by-area", T (l, N_ ("By area")),
             T (l, N_ ("Procedures grouped by policy area, largest burden first.")), l->r->by_area);
  breakdown (l, "by-group", T (l, N_ ("By target group")),
             T (l, N_ ("Who bears the burden: citizens and businesses. The administration's own "
                       "costs are not part of the burden.")),
             l->r->by_group);
  breakdown (l, "by-territory", T (l, N_ ("By territory")),
             T (l, N_ ("A territory's figures are the regional figures of each procedure scaled "
                       "by the territory's cases, or by its population where the catalog gives "
                       "no cases: no territory is evaluated on its own.")),
             l->r->by_territory);
  heading (l, 2, FALSE, "by-measure", T (l, N_ ("By measure")));
  paragraph (l, g_strdup (T (l, N_ ("Every simplification measure of the programme, largest "
                                    "saving first."))));
  measures_table (l, l->r->measures, TRUE, T (l, N_ ("Saving per measure")));
}

/* The label of an activity row: "title (segment)". Returns a new string. */
static char *
activity_label (const Layout *l, const MoaReportItem *x)
{
  const char *name = title_of (l, &x->title, x->activity_id);
  if (x->segment_id)
    return g_strdup_printf ("%s (%s)", name, x->segment_id);
  return g_strdup (name);
}

/* An activity weighs at least this share of its procedure's burden before or after to get a
 * row of its own in the PDF's table (and a bar in the chart). */
#define MAJOR_SHARE 0.01

/* The chart of a procedure's activities shows at most this many (the largest). */
#define ACTIVITY_BARS 15

/* The size of an activity: the larger of its burden before and after (an added burden counts
 * by its size). */
static double
item_size (const MoaReportItem *x)
{
  return MAX (fabs (x->before), fabs (x->after));
}

static int
compare_by_size (gconstpointer a, gconstpointer b)
{
  double x = item_size (*(const MoaReportItem *const *)a);
  double y = item_size (*(const MoaReportItem *const *)b);
  return x < y ? 1 : x > y ? -1 : 0;
}

/* The activities of @p, largest first (a stable sort: equal ones keep the procedure's order).
 * Returns a new array that does not own them. */
static GPtrArray *
activities_by_size (const MoaReportProcedure *p)
{
  GPtrArray *sorted = g_ptr_array_copy (p->activities, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL); /* the copy takes the original's */
  g_ptr_array_sort (sorted, compare_by_size);
  return sorted;
}

/* TRUE when @x makes at least MAJOR_SHARE of the procedure's burden before or after. */
static gboolean
is_major (const MoaReportProcedure *p, const MoaReportItem *x)
{
  const MoaReportFigure *f = &p->totals.burden;
  return (f->before != 0 && fabs (x->before) >= MAJOR_SHARE * fabs (f->before))
         || (f->after != 0 && fabs (x->after) >= MAJOR_SHARE * fabs (f->after));
}

/* The table of the activities: the first @n_rows of @items (0: all of them) and, when some are
 * left, one row "N other activities" with their sums; drawn in @media; with the citizens'
 * hours when @hours. */
static void
activities_table (Layout *l, GPtrArray *items, guint n_rows, MoaReportMedia media, gboolean hours)
{
  MoaReportBlock *a;
  if (hours)
    a = table (l, "llrrrrr", T (l, N_ ("Activity")), T (l, N_ ("Obligation")), T (l, N_ ("Before")),
               T (l, N_ ("After")), T (l, N_ ("Saving")), T (l, N_ ("Citizens' hours before")),
               T (l, N_ ("Citizens' hours after")));
  else
    a = table (l, "llrrr", T (l, N_ ("Activity")), T (l, N_ ("Obligation")), T (l, N_ ("Before")),
               T (l, N_ ("After")), T (l, N_ ("Saving")));
  a->media = media;
  if (n_rows == 0 || n_rows > items->len)
    n_rows = items->len;
  double before = 0, after = 0, hours_before = 0, hours_after = 0; /* of the others */
  for (guint i = n_rows; i < items->len; i++)
    {
      const MoaReportItem *x = g_ptr_array_index (items, i);
      before += x->before;
      after += x->after;
      hours_before += x->hours_before;
      hours_after += x->hours_after;
    }
  for (guint i = 0; i <= n_rows; i++)
    {
      if (i == n_rows && n_rows == items->len)
        break;
      const MoaReportItem *x = i < n_rows ? g_ptr_array_index (items, i) : NULL;
      char *label = x ? activity_label (l, x)
                      : g_strdup_printf (T (l, N_ ("%u other activities")), items->len - n_rows);
      char *obligation = x ? g_strdup (x->obligation_id) : NULL;
      double b = x ? x->before : before, f = x ? x->after : after;
      if (hours)
        row (a, label, obligation, num (l, b), num (l, f), num (l, b - f),
             num (l, x ? x->hours_before : hours_before),
             num (l, x ? x->hours_after : hours_after));
      else
        row (a, label, obligation, num (l, b), num (l, f), num (l, b - f));
    }
}

static void
procedure_page (Layout *l, const MoaReportProcedure *p, guint index)
{
  g_autofree char *anchor = g_strdup_printf ("procedure-%u", index + 1);
  const char *name = title_of (l, &p->title, p->id);
  heading (l, 2, TRUE, anchor, name);

  GString *meta = g_string_new (NULL);
  g_string_append_printf (meta, "%s: %s", T (l, N_ ("Identifier")), p->id);
  if (p->area)
    g_string_append_printf (meta, " · %s: %s", T (l, N_ ("Area")), p->area);
  if (p->authority)
    g_string_append_printf (meta, " · %s: %s", T (l, N_ ("Authority")), p->authority);
  if (p->legal_basis)
    g_string_append_printf (meta, " · %s: %s", T (l, N_ ("Legal basis")), p->legal_basis);
  g_autofree char *cases = num (l, p->cases);
  g_string_append_printf (meta, " · %s: %s", T (l, N_ ("Cases per year")), cases);
  if (p->file)
    g_string_append_printf (meta, " · %s: %s", T (l, N_ ("File")), p->file);
  paragraph (l, g_string_free (meta, FALSE));
  if (p->scenario_id)
    paragraph (l,
               g_strdup_printf (T (l, N_ ("Scenario of the programme: %s (%s).")),
                                title_of (l, &p->scenario_title, p->scenario_id), p->scenario_id));
  else
    paragraph (l, g_strdup (T (l, N_ ("The programme does not change this procedure: its "
                                      "figures after are those before."))));

  totals_table (l, &p->totals);
  if (p->totals.one_off != 0)
    {
      g_autofree char *one_off = num (l, p->totals.one_off);
      g_autofree char *payback = isfinite (p->payback_years)
                                     ? moa_lang_format_number (p->payback_years, 1, l->lang)
                                     : NULL;
      if (payback)
        paragraph (l, g_strdup_printf (T (l, N_ ("One-off cost of the change: %s (%s); it pays "
                                                 "back in %s years.")),
                                       one_off, l->one_off_unit, payback));
      else
        paragraph (l, g_strdup_printf (T (l, N_ ("One-off cost of the change: %s (%s); the "
                                                 "yearly saving never pays it back.")),
                                       one_off, l->one_off_unit));
    }

  /* the activities by size, largest first; the chart and the PDF's table show those that
   * make at least 1 % of the burden before or after */
  g_autoptr (GPtrArray) sorted = activities_by_size (p);
  guint n_major = 0;
  while (n_major < sorted->len && is_major (p, g_ptr_array_index (sorted, n_major)))
    n_major++;
  MoaReportBlock *c = chart (l, g_strdup (T (l, N_ ("Burden per activity before and after"))),
                             T (l, N_ ("Before")), T (l, N_ ("After")), l->money_unit);
  for (guint i = 0; i < n_major && i < ACTIVITY_BARS; i++)
    {
      const MoaReportItem *x = g_ptr_array_index (sorted, i);
      g_autofree char *label = activity_label (l, x);
      bar (l, c, label, x->before, x->after);
    }
  if (c->bars->len < p->activities->len && c->bars->len > 0)
    note (l, g_strdup_printf (T (l, N_ ("The chart shows the %u largest of the %u activities.")),
                              c->bars->len, p->activities->len));

  /* the hours columns only when citizens spend time on the procedure */
  gboolean hours = p->totals.citizens_hours.before != 0 || p->totals.citizens_hours.after != 0;
  for (guint i = 0; i < p->activities->len; i++)
    {
      const MoaReportItem *x = g_ptr_array_index (p->activities, i);
      hours |= x->hours_before != 0 || x->hours_after != 0;
    }
  g_autofree char *units
      = hours ? g_strdup_printf (T (l, N_ ("Burden in %s; hours in %s.")), l->money_unit,
                                 l->hours_unit)
              : g_strdup_printf (T (l, N_ ("Burden in %s. The procedure takes no time of "
                                           "citizens: the tables show no hours.")),
                                 l->money_unit);

  heading (l, 3, FALSE, NULL, T (l, N_ ("Obligations")));
  MoaReportBlock *o;
  if (hours)
    o = table (l, "llrrrrr", T (l, N_ ("Obligation")), T (l, N_ ("Legal reference")),
               T (l, N_ ("Before")), T (l, N_ ("After")), T (l, N_ ("Saving")),
               T (l, N_ ("Citizens' hours before")), T (l, N_ ("Citizens' hours after")));
  else
    o = table (l, "llrrr", T (l, N_ ("Obligation")), T (l, N_ ("Legal reference")),
               T (l, N_ ("Before")), T (l, N_ ("After")), T (l, N_ ("Saving")));
  for (guint i = 0; i < p->obligations->len; i++)
    {
      const MoaReportItem *x = g_ptr_array_index (p->obligations, i);
      char *name = g_strdup (title_of (l, &x->title, x->obligation_id));
      char *reference = flat (x->legal_reference);
      if (hours)
        row (o, name, reference, num (l, x->before), num (l, x->after),
             num (l, x->before - x->after), num (l, x->hours_before), num (l, x->hours_after));
      else
        row (o, name, reference, num (l, x->before), num (l, x->after),
             num (l, x->before - x->after));
    }
  note (l, g_strdup (units));

  heading (l, 3, FALSE, NULL, T (l, N_ ("Activities")));
  /* one row left over is shown rather than summed */
  guint n_shown = n_major + 1 >= sorted->len ? sorted->len : n_major;
  if (n_shown == sorted->len)
    activities_table (l, p->activities, 0, MOA_REPORT_MEDIA_ALL, hours);
  else
    {
      activities_table (l, sorted, n_shown, MOA_REPORT_MEDIA_PDF, hours);
      MoaReportBlock *n = add_block (
          l, MOA_REPORT_BLOCK_NOTE,
          g_strdup_printf (T (l, N_ ("The table lists the %u activities that make at least 1 %% "
                                     "of the procedure's burden before or after, largest first, "
                                     "and the sum of the %u others. The full table is in the "
                                     "HTML and CSV reports.")),
                           n_shown, sorted->len - n_shown));
      n->media = MOA_REPORT_MEDIA_PDF;
      activities_table (l, p->activities, 0, MOA_REPORT_MEDIA_HTML, hours);
    }
  note (l, g_strdup (units));

  heading (l, 3, FALSE, NULL, T (l, N_ ("Saving per measure")));
  measures_table (l, p->measures, FALSE, T (l, N_ ("Saving per measure")));
  for (guint i = 0; i < p->measures->len; i++)
    {
      const MoaReportMeasure *m = g_ptr_array_index (p->measures, i);
      if (m->justification == NULL && m->source == NULL)
        continue;
      g_autofree char *justification = flat (m->justification);
      g_autofree char *source = flat (m->source);
      paragraph (l, g_strdup_printf ("%s: %s%s%s%s", title_of (l, &m->title, m->measure_id),
                                     justification ? justification : "",
                                     justification && source ? " " : "",
                                     source ? T (l, N_ ("Source: ")) : "", source ? source : ""));
    }
}

static void
section_procedures (Layout *l)
{
  heading (l, 1, TRUE, "procedures", T (l, N_ ("Procedures")));
  paragraph (l, g_strdup (T (l, N_ ("One page per procedure of the catalog: its totals before "
                                    "and after the programme, the burden of each activity, its "
                                    "obligations and the saving of each measure."))));
  for (guint i = 0; i < l->r->procedures->len; i++)
    procedure_page (l, g_ptr_array_index (l->r->procedures, i), i);
}

/* The register's cell that refers to an assumption's source: "[3]", "[3] (obligation)" when
 * the parameter takes its obligation's source, or "none (illustrative)". Returns a new
 * string. */
static char *
source_reference (const Layout *l, const MoaReportAssumption *a, guint number)
{
  if (number == 0)
    return g_strdup (T (l, N_ ("none (illustrative)")));
  /* a no-break space: "[3] (obligation)" stays on one line */
  switch (a->source_from)
    {
      case MOA_REPORT_SOURCE_OBLIGATION:
        return g_strdup_printf ("[%u]\xc2\xa0(%s)", number, T (l, N_ ("obligation")));
      case MOA_REPORT_SOURCE_PROCEDURE:
        return g_strdup_printf ("[%u]\xc2\xa0(%s)", number, T (l, N_ ("procedure")));
      case MOA_REPORT_SOURCE_MODEL:
        return g_strdup_printf ("[%u]\xc2\xa0(%s)", number, T (l, N_ ("cost model")));
      case MOA_REPORT_SOURCE_ELEMENT:
      case MOA_REPORT_SOURCE_NONE:
      default:
        return g_strdup_printf ("[%u]", number);
    }
}

/* One group of the register (a procedure, or the cost model): under @title, a compact table
 * (element, parameter, value, source) per scenario, the baseline first, then the group's
 * distinct sources, each once, numbered in order of first use. */
static void
assumption_group (Layout *l, const char *title, const MoaReportProcedure *p, GPtrArray *items)
{
  heading (l, 2, FALSE, NULL, title);

  /* the scenarios in order of first appearance, the baseline (NULL) first */
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new ();
  gboolean baseline = FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const MoaReportAssumption *a = g_ptr_array_index (items, i);
      if (a->scenario_id == NULL)
        baseline = TRUE;
      else if (!g_ptr_array_find_with_equal_func (scenarios, a->scenario_id, g_str_equal, NULL))
        g_ptr_array_add (scenarios, a->scenario_id);
    }
  if (baseline)
    g_ptr_array_insert (scenarios, 0, NULL);

  /* source text (white space made single spaces) -> its number, from 1 */
  g_autoptr (GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) sources = g_ptr_array_new (); /* the keys of numbers, in order */
  for (guint k = 0; k < scenarios->len; k++)
    {
      const char *scenario = g_ptr_array_index (scenarios, k);
      if (scenario != NULL)
        {
          const char *name = p != NULL && g_strcmp0 (p->scenario_id, scenario) == 0
                                 ? title_of (l, &p->scenario_title, scenario)
                                 : scenario;
          g_autofree char *text = strcmp (name, scenario) != 0
                                      ? g_strdup_printf ("%s (%s)", name, scenario)
                                      : g_strdup (scenario);
          g_autofree char *h = g_strdup_printf (T (l, N_ ("Scenario: %s")), text);
          heading (l, 3, FALSE, NULL, h);
        }
      else if (scenarios->len > 1)
        heading (l, 3, FALSE, NULL, T (l, N_ ("Baseline: the procedure as it is")));

      MoaReportBlock *t = table (l, "llll", T (l, N_ ("Element")), T (l, N_ ("Parameter")),
                                 T (l, N_ ("Value")), T (l, N_ ("Source")));
      const char *previous = NULL; /* the element of the row above */
      for (guint i = 0; i < items->len; i++)
        {
          const MoaReportAssumption *a = g_ptr_array_index (items, i);
          if (g_strcmp0 (a->scenario_id, scenario) != 0)
            continue;
          /* an element's rows follow one another: its name on the first only */
          gboolean same = previous != NULL && g_strcmp0 (previous, a->element) == 0;
          previous = a->element;
          guint number = 0;
          char *source = flat (a->source);
          if (source != NULL && *source != '\0')
            {
              gpointer found = g_hash_table_lookup (numbers, source);
              if (found == NULL)
                {
                  g_ptr_array_add (sources, source);
                  number = sources->len;
                  g_hash_table_insert (numbers, source, GUINT_TO_POINTER (number));
                }
              else
                {
                  number = GPOINTER_TO_UINT (found);
                  g_free (source);
                }
            }
          else
            g_free (source);
          row (t, same ? NULL : flat (a->element), flat (a->parameter), flat (a->value),
               source_reference (l, a, number));
        }
    }
  if (sources->len == 0)
    return;
  MoaReportBlock *s = list (l, T (l, N_ ("Sources")));
  for (guint i = 0; i < sources->len; i++)
    row (s, g_strdup_printf ("[%u]", i + 1), g_strdup (g_ptr_array_index (sources, i)));
}

static void
section_assumptions (Layout *l)
{
  heading (l, 1, TRUE, "assumptions", T (l, N_ ("Register of assumptions")));
  paragraph (l, g_strdup (T (l, N_ ("Every parameter of the run as the input files give it, "
                                    "grouped by procedure, the cost model last. The last column "
                                    "refers to the sources numbered under each group's tables; "
                                    "\"(obligation)\", \"(procedure)\" or \"(cost model)\" means "
                                    "that the parameter has no source of its own and takes that "
                                    "of its obligation, procedure or cost model. A parameter "
                                    "without a source is an assumption of the analyst: treat its "
                                    "figures as illustrative. The CSV report has one row per "
                                    "parameter with its source in full."))));
  GPtrArray *items = l->r->assumptions;
  if (items->len == 0)
    {
      paragraph (l, g_strdup (T (l, N_ ("The run recorded no parameter."))));
      return;
    }

  /* the procedures in the catalog's order, then any other procedure the register names, then
   * the cost model */
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  for (guint i = 0; i < l->r->procedures->len; i++)
    g_ptr_array_add (ids, ((MoaReportProcedure *)g_ptr_array_index (l->r->procedures, i))->id);
  for (guint i = 0; i < items->len; i++)
    {
      const MoaReportAssumption *a = g_ptr_array_index (items, i);
      if (a->procedure_id != NULL
          && !g_ptr_array_find_with_equal_func (ids, a->procedure_id, g_str_equal, NULL))
        g_ptr_array_add (ids, a->procedure_id);
    }
  g_ptr_array_add (ids, NULL);

  for (guint k = 0; k < ids->len; k++)
    {
      const char *id = g_ptr_array_index (ids, k);
      g_autoptr (GPtrArray) group = g_ptr_array_new ();
      for (guint i = 0; i < items->len; i++)
        {
          const MoaReportAssumption *a = g_ptr_array_index (items, i);
          if (g_strcmp0 (a->procedure_id, id) == 0)
            g_ptr_array_add (group, (gpointer)a);
        }
      if (group->len == 0)
        continue;
      const MoaReportProcedure *p = NULL;
      for (guint i = 0; id != NULL && i < l->r->procedures->len; i++)
        if (g_strcmp0 (((MoaReportProcedure *)g_ptr_array_index (l->r->procedures, i))->id, id)
            == 0)
          p = g_ptr_array_index (l->r->procedures, i);
      g_autofree char *title = NULL;
      if (id == NULL)
        title = g_strdup_printf (T (l, N_ ("Cost model %s %s")),
                                 l->r->cost_model ? l->r->cost_model : "",
                                 l->r->cost_model_version ? l->r->cost_model_version : "");
      else
        {
          const char *name = p != NULL ? title_of (l, &p->title, id) : id;
          title = strcmp (name, id) != 0 ? g_strdup_printf ("%s (%s)", name, id) : g_strdup (id);
        }
      assumption_group (l, title, p, group);
    }
}

static void
section_methodology (Layout *l)
{
  heading (l, 1, TRUE, "methodology", T (l, N_ ("Methodology and caveats")));
  static const char *const method[] = {
    N_ ("The figures follow the Standard Cost Model (in Italy, the MOA: Misurazione degli "
        "Oneri Amministrativi). Each procedure is broken down into information obligations and "
        "the activities needed to comply with them. The cost of an activity is its time valued "
        "at the tariff of who performs it, plus what is paid out of pocket, times how many "
        "times a year it is performed: the cases per year of the procedure times the "
        "activity's frequency. The burden is the cost less what citizens and businesses would "
        "do anyway (business as usual)."),
    N_ ("The figures after the programme come from the same procedures with the measures of "
        "each scenario applied; the saving is the burden before less the burden after. The "
        "saving of each measure is attributed cumulatively, in the order of its scenario."),
  };
  static const char *const caveats[] = {
    N_ ("The Standard Cost Model measures only administrative burdens: the cost of the "
        "information obligations. It does not measure substantive compliance costs (what the "
        "rules require beyond information: works, equipment, staff)."),
    N_ ("Fees and charges count only as a cost to who pays them; their side as fiscal revenue "
        "for the administration is not measured."),
    N_ ("Delays, waiting and opportunity costs beyond the time counted in the activities are "
        "not measured."),
    N_ ("The quality of the services and the benefits of the obligations (what they protect "
        "or make possible) are not measured: a saving is not by itself a judgement on an "
        "obligation."),
    N_ ("Figures whose inputs are labelled illustrative, or whose parameters have no source in "
        "the register of assumptions, are illustrative."),
    N_ ("The intervals reflect only the uncertainty modelled in the input files, at the "
        "confidence shown (P5 – P95: 90 %): not the uncertainty of the model itself nor of "
        "inputs given as fixed values."),
    N_ ("The programme's intervals treat the procedures as independent: each procedure's "
        "uncertain inputs are drawn on their own, and the cost model's values (tariffs, "
        "overheads) are fixed. They do not include uncertainty shared between procedures, such "
        "as a tariff that is higher or lower for all of them at once, and may therefore be "
        "narrower than the true uncertainty of the programme."),
    N_ ("One-off costs (e.g. registering on a platform) are totals, reported apart from the "
        "yearly figures, never added to them."),
    N_ ("Territories' figures are the regional figures of each procedure scaled by the "
        "territory's cases, or by its population where no cases are given."),
  };
  heading (l, 2, FALSE, NULL, T (l, N_ ("Method")));
  for (gsize i = 0; i < G_N_ELEMENTS (method); i++)
    paragraph (l, g_strdup (T (l, method[i])));
  paragraph (l, g_strdup_printf (T (l, N_ ("Money is in %s at %d prices, per year (%s); time in "
                                           "%s; cost model %s %s.")),
                                 l->r->currency ? l->r->currency : "EUR", l->r->price_year,
                                 l->money_unit, l->hours_unit,
                                 l->r->cost_model ? l->r->cost_model : "",
                                 l->r->cost_model_version ? l->r->cost_model_version : ""));
  heading (l, 2, FALSE, NULL, T (l, N_ ("What the figures do not say")));
  for (gsize i = 0; i < G_N_ELEMENTS (caveats); i++)
    paragraph (l, g_strdup_printf ("• %s", T (l, caveats[i])));
}

static void
section_provenance (Layout *l)
{
  const MoaReport *r = l->r;
  heading (l, 1, TRUE, "provenance", T (l, N_ ("Provenance")));
  paragraph (l, g_strdup (T (l, N_ ("What produced these figures: the run of moa batch that "
                                    "computed them and every input file with its SHA-256, so "
                                    "that each figure can be traced and reproduced."))));
  MoaReportBlock *t = table (l, "ll", T (l, N_ ("Item")), T (l, N_ ("Value")));
  row (t, g_strdup (T (l, N_ ("Run"))), g_strdup_printf ("%" G_GINT64_FORMAT, r->run_id));
  row (t, g_strdup (T (l, N_ ("Status"))),
       g_strdup (r->finished_at ? T (l, N_ ("complete")) : T (l, N_ ("unfinished"))));
  row (t, g_strdup (T (l, N_ ("Catalog"))), g_strdup (r->catalog_id));
  row (t, g_strdup (T (l, N_ ("moa version"))), g_strdup (r->moa_version));
  row (t, g_strdup (T (l, N_ ("Started"))), g_strdup (r->started_at));
  row (t, g_strdup (T (l, N_ ("Finished"))), g_strdup (r->finished_at ? r->finished_at : "—"));
  row (t, g_strdup (T (l, N_ ("Seed"))), g_strdup (l->seed_text));
  row (t, g_strdup (T (l, N_ ("Monte Carlo iterations"))), g_strdup_printf ("%u", r->iterations));
  row (t, g_strdup (T (l, N_ ("Cost model"))),
       g_strdup_printf ("%s %s", r->cost_model ? r->cost_model : "",
                        r->cost_model_version ? r->cost_model_version : ""));
  row (t, g_strdup (T (l, N_ ("Price year"))), g_strdup_printf ("%d", r->price_year));
  row (t, g_strdup (T (l, N_ ("Currency"))), g_strdup (r->currency ? r->currency : "EUR"));

  heading (l, 2, FALSE, NULL, T (l, N_ ("Input files")));
  MoaReportBlock *in = table (l, "lll", T (l, N_ ("Role")), T (l, N_ ("File")), "SHA-256");
  for (guint i = 0; i < r->inputs->len; i++)
    {
      const MoaReportInput *x = g_ptr_array_index (r->inputs, i);
      row (in, g_strdup (x->role), g_strdup (x->path), g_strdup (x->sha256));
    }
}

/* moa_report_doc_new:
 * Lays out every section of @report in @lang. */
MoaReportDoc *
moa_report_doc_new (const MoaReport *report, const char *lang)
{
  g_return_val_if_fail (report != NULL, NULL);

  MoaReportDoc *doc = g_new0 (MoaReportDoc, 1);
  doc->lang = moa_lang_resolve (lang);
  doc->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify)block_free);

  Layout l = { .r = report, .lang = doc->lang, .doc = doc };
  l.english = strcmp (l.lang, "en") == 0;
  const char *currency = report->currency ? report->currency : "EUR";
  /* TRANSLATORS: the unit of yearly money figures: "EUR/year, 2024 prices" */
  l.money_unit = g_strdup_printf (T (&l, N_ ("%s/year, %d prices")), currency, report->price_year);
  /* TRANSLATORS: the unit of one-off costs: "EUR one-off, 2024 prices" */
  l.one_off_unit
      = g_strdup_printf (T (&l, N_ ("%s one-off, %d prices")), currency, report->price_year);
  l.hours_unit = T (&l, N_ ("hours/year"));
  l.seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, report->seed);

  const char *catalog = title_of (&l, &report->catalog_title, report->catalog_id);
  doc->title = g_strdup (T (&l, N_ ("Administrative burden: the savings of the programme")));
  g_autofree char *run_id = g_strdup_printf ("%" G_GINT64_FORMAT, report->run_id);
  doc->subtitle = g_strdup_printf (
      T (&l, N_ ("%s — run %s of %s, cost model %s, %s at %d "
                 "prices")),
      catalog ? catalog : "", run_id, report->started_at ? report->started_at : "?",
      report->cost_model ? report->cost_model : "?", currency, report->price_year);
  doc->footer = g_strdup_printf (T (&l, N_ ("moa %s · run %s · %s")),
                                 report->moa_version ? report->moa_version : PACKAGE_VERSION,
                                 run_id, catalog ? catalog : "");
  if (report->finished_at == NULL)
    doc->warning = g_strdup_printf (T (&l, N_ ("Unfinished run: run %s was interrupted or is "
                                               "still going. Its figures cover only the "
                                               "procedures computed so far and are not the "
                                               "programme's totals.")),
                                    run_id);

  section_summary (&l);
  section_obligations (&l);
  section_breakdowns (&l);
  section_procedures (&l);
  section_assumptions (&l);
  section_methodology (&l);
  section_provenance (&l);

  g_free (l.money_unit);
  g_free (l.one_off_unit);
  g_free (l.seed_text);
  return doc;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                    */

/* moa_report_write:
 * Renders @report in @format and @lang into memory, then replaces @path with it through a
 * temporary file in the same folder renamed into place: a failure leaves no file, nor a partial
 * one. The language is switched for this thread only (moa_lang_enter()). */
gboolean
moa_report_write (const MoaReport *report, MoaReportFormat format, const char *lang,
                  const char *path, GError **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  const char *resolved = moa_lang_resolve (lang);
  MoaLangSwitch sw;
  moa_lang_enter (resolved, &sw);

  gboolean ok = FALSE;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  switch (format)
    {
      case MOA_REPORT_CSV:
        {
          g_autoptr (GString) out = g_string_new (NULL);
          ok = moa_report_render_csv (report, resolved, out, error);
          g_byte_array_append (bytes, (const guint8 *)out->str, out->len);
        }
        break;
      case MOA_REPORT_HTML:
        {
          g_autoptr (MoaReportDoc) doc = moa_report_doc_new (report, resolved);
          g_autoptr (GString) out = g_string_new (NULL);
          ok = moa_report_render_html (doc, out, error);
          g_byte_array_append (bytes, (const guint8 *)out->str, out->len);
        }
        break;
      case MOA_REPORT_PDF:
        {
          g_autoptr (MoaReportDoc) doc = moa_report_doc_new (report, resolved);
          ok = moa_report_render_pdf (doc, bytes, error);
        }
        break;
      default:
        moa_lang_leave (&sw);
        g_return_val_if_reached (FALSE);
    }
  moa_lang_leave (&sw);
  if (!ok)
    return FALSE;

  g_autoptr (GError) local = NULL;
  if (!g_file_set_contents_full (path, (const char *)bytes->data, bytes->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0666, &local))
    {
      g_set_error (error, local->domain, local->code, _ ("%s: cannot write the report: %s"), path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}
