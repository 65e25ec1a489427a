/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes evaluation results and cost model lists as a table for people, CSV for spreadsheets
 * and JSON for programs. */
#define G_LOG_DOMAIN "moa"

#include "moa-config.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-format.h"
#include "moa-lang.h"
#include "moa-random.h"

/* RFC 4180 ends every record with CR LF. */
#define CSV_EOL "\r\n"

/* ------------------------------------------------------------------------------------------ */
/* Numbers                                                                                    */

/* moa_format_number:
 * Formats @x rounded to @decimals decimals (0..17) with thousands grouping: with the decimal
 * point, thousands separator and grouping of the current LC_NUMERIC locale when @localized
 * (Italian: 1.234.567,89), else "1,234,567.89". Works whatever the printf flags of the C
 * library, because the grouping is done here. A value that rounds to zero has no sign;
 * non-finite values give "nan", "inf" or "-inf". Returns a new string. */
char *
moa_format_number (double x, int decimals, gboolean localized)
{
  g_return_val_if_fail (decimals >= 0 && decimals <= 17, NULL);

  const char *dp, *ts, *grouping;
  moa_lang_locale_separators (localized, &dp, &ts, &grouping);
  return moa_lang_format_number_with (x, decimals, dp, ts, grouping);
}

/* moa_format_from_string:
 * Parses "table", "csv" or "json" into @format. Returns FALSE, leaving @format alone, for
 * anything else. */
gboolean
moa_format_from_string (const char *s, MoaFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  static const char *const names[] = { "table", "csv", "json", NULL };
  static const MoaFormat formats[] = { MOA_FORMAT_TABLE, MOA_FORMAT_CSV, MOA_FORMAT_JSON };
  int i = moa_lang_word_index (s, names);
  if (i < 0)
    return FALSE;
  *format = formats[i];
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Language of titles and labels                                                              */

typedef struct
{
  const char *lang;   /* "it" or "en": titles */
  gboolean english;   /* labels: the untranslated msgids */
  gboolean localized; /* table numbers */
} Ctx;

/* Labels are marked with N_() for xgettext and looked up here (moa-lang.h), so that --lang en
 * gives English labels under an Italian locale. */
static const char *
T (const Ctx *c, const char *msgid)
{
  return moa_lang_gettext (c->english, msgid);
}

static const char *
title_of (const Ctx *c, const MoaTitle *title, const char *fallback)
{
  const char *t = moa_title_get (title, c->lang, fallback);
  return t ? t : "";
}

static gboolean
figures_all_zero (const MoaFigures *f)
{
  const double *a = MOA_FIGURES_ARRAY ((MoaFigures *)f);
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    if (a[i] != 0)
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* A plain text table: columns aligned on display width                                       */

typedef struct
{
  guint n_cols;
  gboolean *right; /* right-aligned columns (numbers) */
  GPtrArray *rows; /* char** of n_cols owned strings; row 0 is the header */
} Table;

static Table *
table_new (guint n_cols)
{
  Table *t = g_new0 (Table, 1);
  t->n_cols = n_cols;
  t->right = g_new0 (gboolean, n_cols);
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  return t;
}

static void
table_free (Table *t)
{
  g_ptr_array_unref (t->rows);
  g_free (t->right);
  g_free (t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

/* Starts a new row; the following table_cell() calls fill it from the left. */
static void
table_row (Table *t)
{
  g_ptr_array_add (t->rows, g_new0 (char *, t->n_cols + 1));
}

/* Appends @text (owned) to the current row. */
static void
table_take (Table *t, char *text)
{
  g_assert (t->rows->len > 0);
  char **row = g_ptr_array_index (t->rows, t->rows->len - 1);
  guint i = 0;
  while (row[i] != NULL)
    i++;
  g_assert (i < t->n_cols);
  row[i] = text ? text : g_strdup ("");
}

static void
table_cell (Table *t, const char *text)
{
  table_take (t, g_strdup (text ? text : ""));
}

/* Header cell of a column; @right for numbers. */
static void
table_header (Table *t, const char *text, gboolean right)
{
  if (t->rows->len == 0)
    table_row (t);
  char **row = g_ptr_array_index (t->rows, 0);
  guint i = 0;
  while (row[i] != NULL)
    i++;
  t->right[i] = right;
  table_cell (t, text);
}

static void
table_number (Table *t, const Ctx *c, double x, int decimals)
{
  /* an undefined figure (a measure that cannot apply alone) shows as a dash */
  table_take (t, isfinite (x) ? moa_format_number (x, decimals, c->localized) : g_strdup ("—"));
}

/* Decimals to show a number of cases: none for whole numbers, two for fractions of a case.
 * A column of cases uses the largest of its values' decimals, so the points line up. */
static int
count_decimals (double x)
{
  return fabs (x - round (x)) <= 1e-9 * MAX (1.0, fabs (x)) ? 0 : 2;
}

/* Appends the table to @out, each line indented by @indent spaces, columns two spaces apart,
 * a rule under the header; widths count characters (g_utf8_strlen), not bytes. */
static void
table_render (const Table *t, GString *out, int indent)
{
  g_autofree glong *width = g_new0 (glong, t->n_cols);
  for (guint r = 0; r < t->rows->len; r++)
    {
      char **row = g_ptr_array_index (t->rows, r);
      for (guint i = 0; i < t->n_cols && row[i]; i++)
        width[i] = MAX (width[i], g_utf8_strlen (row[i], -1));
    }

  for (guint r = 0; r < t->rows->len; r++)
    {
      char **row = g_ptr_array_index (t->rows, r);
      gsize line_start = out->len;
      g_string_append_printf (out, "%*s", indent, "");
      for (guint i = 0; i < t->n_cols; i++)
        {
          const char *cell = row[i] ? row[i] : "";
          glong pad = width[i] - g_utf8_strlen (cell, -1);
          if (i > 0)
            g_string_append (out, "  ");
          if (t->right[i])
            {
              g_string_append_printf (out, "%*s", (int)pad, "");
              g_string_append (out, cell);
            }
          else
            {
              g_string_append (out, cell);
              g_string_append_printf (out, "%*s", (int)pad, "");
            }
        }
      /* no trailing blanks */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');

      if (r == 0)
        {
          glong total = 0;
          for (guint i = 0; i < t->n_cols; i++)
            total += width[i] + (i > 0 ? 2 : 0);
          g_string_append_printf (out, "%*s", indent, "");
          for (glong i = 0; i < total; i++)
            g_string_append_c (out, '-');
          g_string_append_c (out, '\n');
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Table of results                                                                           */

static const char *
money_symbol (const MoaResult *result)
{
  const char *currency = result->procedure->currency;
  if (currency == NULL || strcmp (currency, "EUR") == 0)
    return "€";
  return currency;
}

/* "Burden €/year" and the like: @label_fmt has one %s, the currency symbol. */
static char *
money_header (const Ctx *c, const MoaResult *result, const char *label_fmt)
{
  return g_strdup_printf (T (c, label_fmt), money_symbol (result));
}

static const char *
kind_label (const Ctx *c, MoaTargetKind kind)
{
  switch (kind)
    {
      case MOA_TARGET_CITIZEN:
        return T (c, N_ ("citizens"));
      case MOA_TARGET_BUSINESS:
        return T (c, N_ ("businesses"));
      case MOA_TARGET_ADMINISTRATION:
        return T (c, N_ ("administration"));
      default:
        return "";
    }
}

static void
section_title (GString *out, const char *title)
{
  g_string_append_printf (out, "\n%s\n", title);
}

static void
table_totals (GString *out, const Ctx *c, const MoaResult *result)
{
  const struct
  {
    const char *label;
    const MoaTotal *total;
  } rows[] = {
    { N_ ("Citizens"), &result->citizens },
    { N_ ("Businesses"), &result->businesses },
    { N_ ("Total (citizens + businesses)"), &result->total },
    { N_ ("Administration (reported apart)"), &result->administration },
  };

  gboolean external = FALSE, one_off = FALSE;
  int cases_decimals = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      cases_decimals = MAX (cases_decimals, count_decimals (rows[i].total->cases));
      external |= rows[i].total->recurring.external_hours != 0
                  || rows[i].total->one_off.external_hours != 0;
      one_off |= !figures_all_zero (&rows[i].total->one_off);
    }

  section_title (out, T (c, N_ ("Totals per year")));
  g_autoptr (Table) t = table_new (external ? 6 : 5);
  table_header (t, "", FALSE);
  table_header (t, T (c, N_ ("Cases/year")), TRUE);
  table_header (t, T (c, N_ ("Hours/year")), TRUE);
  if (external)
    table_header (t, T (c, N_ ("External hours/year")), TRUE);
  g_autofree char *cost = money_header (c, result, N_ ("Cost %s/year"));
  g_autofree char *burden = money_header (c, result, N_ ("Burden %s/year"));
  table_header (t, cost, TRUE);
  table_header (t, burden, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const MoaTotal *x = rows[i].total;
      table_row (t);
      table_cell (t, T (c, rows[i].label));
      table_number (t, c, x->cases, cases_decimals);
      table_number (t, c, x->recurring.hours, 2);
      if (external)
        table_number (t, c, x->recurring.external_hours, 2);
      table_number (t, c, x->recurring.cost, 2);
      table_number (t, c, x->recurring.burden, 2);
    }
  table_render (t, out, 2);

  if (!one_off)
    return;

  section_title (out, T (c, N_ ("One-off (total, not per year, reported apart)")));
  g_autoptr (Table) o = table_new (external ? 5 : 4);
  table_header (o, "", FALSE);
  table_header (o, T (c, N_ ("Hours")), TRUE);
  if (external)
    table_header (o, T (c, N_ ("External hours")), TRUE);
  g_autofree char *cost1 = money_header (c, result, N_ ("Cost %s"));
  g_autofree char *burden1 = money_header (c, result, N_ ("Burden %s"));
  table_header (o, cost1, TRUE);
  table_header (o, burden1, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const MoaTotal *x = rows[i].total;
      if (x != &result->total && figures_all_zero (&x->one_off))
        continue;
      table_row (o);
      table_cell (o, T (c, rows[i].label));
      table_number (o, c, x->one_off.hours, 2);
      if (external)
        table_number (o, c, x->one_off.external_hours, 2);
      table_number (o, c, x->one_off.cost, 2);
      table_number (o, c, x->one_off.burden, 2);
    }
  table_render (o, out, 2);
}

static void
table_obligations (GString *out, const Ctx *c, const MoaResult *result)
{
  gboolean external = FALSE;
  int cases_decimals = 0;
  for (guint i = 0; i < result->obligations->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->obligations, MoaTotal, i);
      external |= x->per_case.external_hours != 0;
      cases_decimals = MAX (cases_decimals, count_decimals (x->cases));
    }

  section_title (out, T (c, N_ ("Information obligations")));
  g_autoptr (Table) t = table_new (external ? 8 : 7);
  table_header (t, T (c, N_ ("Obligation")), FALSE);
  table_header (t, T (c, N_ ("Cases/year")), TRUE);
  table_header (t, T (c, N_ ("Hours/case")), TRUE);
  if (external)
    table_header (t, T (c, N_ ("External hours/case")), TRUE);
  g_autofree char *cost = money_header (c, result, N_ ("Cost %s/case"));
  g_autofree char *burden_case = money_header (c, result, N_ ("Burden %s/case"));
  g_autofree char *burden_year = money_header (c, result, N_ ("Burden %s/year"));
  table_header (t, cost, TRUE);
  table_header (t, burden_case, TRUE);
  table_header (t, burden_year, TRUE);
  table_header (t, T (c, N_ ("Title")), FALSE);

  gboolean any_one_off = FALSE;
  for (guint i = 0; i < result->obligations->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->obligations, MoaTotal, i);
      const MoaObligation *o = moa_procedure_get_obligation (result->procedure, x->id);
      gboolean one_off = o ? o->one_off : figures_all_zero (&x->recurring);
      any_one_off |= one_off;
      table_row (t);
      table_take (t, g_strconcat (x->id, one_off ? " *" : "", NULL));
      table_number (t, c, x->cases, cases_decimals);
      table_number (t, c, x->per_case.hours, 2);
      if (external)
        table_number (t, c, x->per_case.external_hours, 2);
      table_number (t, c, x->per_case.cost, 2);
      table_number (t, c, x->per_case.burden, 2);
      table_number (t, c, one_off ? x->one_off.burden : x->recurring.burden, 2);
      table_cell (t, o ? title_of (c, &o->title, o->id) : "");
    }
  table_render (t, out, 2);
  if (any_one_off)
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("* one-off: cases and burden are totals, not per year")));
}

/* One row of the target group table: a group, or one of its segments (@indent). */
static void
group_row (Table *t, const Ctx *c, const MoaTotal *x, gboolean indent, const char *kind,
           int cases_decimals, gboolean external, gboolean one_off, const char *title)
{
  table_row (t);
  table_take (t, g_strconcat (indent ? "  " : "", x->id, NULL));
  table_cell (t, kind);
  table_number (t, c, x->cases, cases_decimals);
  table_number (t, c, x->recurring.hours, 2);
  if (external)
    table_number (t, c, x->recurring.external_hours, 2);
  table_number (t, c, x->recurring.cost, 2);
  table_number (t, c, x->recurring.burden, 2);
  if (one_off)
    table_number (t, c, x->one_off.burden, 2);
  table_cell (t, title);
}

static void
table_groups (GString *out, const Ctx *c, const MoaResult *result)
{
  gboolean one_off = FALSE, external = FALSE;
  int cases_decimals = 0;
  for (guint i = 0; i < result->groups->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->groups, MoaTotal, i);
      one_off |= !figures_all_zero (&x->one_off);
      external |= x->recurring.external_hours != 0;
      cases_decimals = MAX (cases_decimals, count_decimals (x->cases));
    }
  for (guint i = 0; i < result->segments->len; i++)
    cases_decimals = MAX (cases_decimals,
                          count_decimals (g_array_index (result->segments, MoaTotal, i).cases));

  section_title (out, T (c, N_ ("Target groups")));
  g_autoptr (Table) t = table_new (7 + (one_off ? 1 : 0) + (external ? 1 : 0));
  table_header (t, T (c, N_ ("Group / segment")), FALSE);
  table_header (t, T (c, N_ ("Kind")), FALSE);
  table_header (t, T (c, N_ ("Cases/year")), TRUE);
  table_header (t, T (c, N_ ("Hours/year")), TRUE);
  if (external)
    table_header (t, T (c, N_ ("External hours/year")), TRUE);
  g_autofree char *cost = money_header (c, result, N_ ("Cost %s/year"));
  g_autofree char *burden = money_header (c, result, N_ ("Burden %s/year"));
  g_autofree char *burden1 = money_header (c, result, N_ ("One-off burden %s"));
  table_header (t, cost, TRUE);
  table_header (t, burden, TRUE);
  if (one_off)
    table_header (t, burden1, TRUE);
  table_header (t, T (c, N_ ("Title")), FALSE);

  for (guint i = 0; i < result->groups->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->groups, MoaTotal, i);
      const MoaTargetGroup *g = moa_procedure_get_target_group (result->procedure, x->id);
      group_row (t, c, x, FALSE, kind_label (c, x->kind), cases_decimals, external, one_off,
                 g ? title_of (c, &g->title, g->id) : "");

      /* explicit segments below their group */
      for (guint j = 0; g && j < result->segments->len; j++)
        {
          const MoaTotal *s = &g_array_index (result->segments, MoaTotal, j);
          const MoaSegment *seg = moa_procedure_get_segment (result->procedure, s->id);
          if (seg == NULL || seg->implicit
              || moa_procedure_get_segment_group (result->procedure, s->id) != g)
            continue;
          group_row (t, c, s, TRUE, "", cases_decimals, external, one_off,
                     title_of (c, &seg->title, seg->id));
        }
    }
  table_render (t, out, 2);
}

static void
table_activities (GString *out, const Ctx *c, const MoaResult *result)
{
  /* Activities of the administration (or of another group) sit among the addressees' ones:
   * a column says whose burden each is, so that nobody adds them up with the rest. */
  gboolean external = FALSE, other_payer = FALSE;
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *a = &g_array_index (result->activities, MoaActivityResult, i);
      external |= a->per_case.external_hours != 0;
      const MoaTargetGroup *group
          = a->segment ? moa_procedure_get_segment_group (result->procedure, a->segment->id) : NULL;
      other_payer |= a->payer != NULL && a->payer != group;
    }

  section_title (out, T (c, N_ ("Activities")));
  g_autoptr (Table) t = table_new (8 + (external ? 1 : 0) + (other_payer ? 1 : 0));
  table_header (t, T (c, N_ ("Obligation")), FALSE);
  table_header (t, T (c, N_ ("Segment")), FALSE);
  table_header (t, T (c, N_ ("Activity")), FALSE);
  if (other_payer)
    table_header (t, T (c, N_ ("Borne by")), FALSE);
  table_header (t, T (c, N_ ("Executions/case")), TRUE);
  table_header (t, T (c, N_ ("Hours/case")), TRUE);
  if (external)
    table_header (t, T (c, N_ ("External hours/case")), TRUE);
  g_autofree char *cost = money_header (c, result, N_ ("Cost %s/case"));
  g_autofree char *burden = money_header (c, result, N_ ("Burden %s/year"));
  table_header (t, cost, TRUE);
  table_header (t, burden, TRUE);
  table_header (t, T (c, N_ ("Title")), FALSE);

  const char *last_obligation = NULL, *last_segment = NULL;
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *a = &g_array_index (result->activities, MoaActivityResult, i);
      const char *obligation = a->obligation ? a->obligation->id : "";
      const char *segment = a->segment ? a->segment->id : "";
      /* repeated obligation and segment ids are left blank so that the groups stand out */
      gboolean same_obligation = last_obligation && strcmp (obligation, last_obligation) == 0;
      gboolean same_segment
          = same_obligation && last_segment && strcmp (segment, last_segment) == 0;
      last_obligation = obligation;
      last_segment = segment;

      table_row (t);
      table_cell (t, same_obligation ? "" : obligation);
      table_cell (t, same_segment ? "" : segment);
      table_cell (t, a->node ? a->node->id : "");
      if (other_payer)
        table_cell (t, a->payer ? a->payer->id : "");
      table_number (t, c, a->visits, 3);
      table_number (t, c, a->per_case.hours, 2);
      if (external)
        table_number (t, c, a->per_case.external_hours, 2);
      table_number (t, c, a->per_case.cost, 2);
      table_number (t, c, a->per_year.burden, 2);
      table_cell (t, a->node ? title_of (c, &a->node->title, a->node->id) : "");
    }
  table_render (t, out, 2);
}

/* One line per procedure and a total, after the procedures' own blocks: the burden of every
 * procedure at a glance. Amounts of procedures in other currencies or price years are not
 * added up. */
static void
table_summary (GString *out, const Ctx *c, MoaResult *const *results, guint n_results)
{
  const MoaProcedure *first = results[0]->procedure;
  gboolean comparable = TRUE;
  for (guint i = 1; i < n_results; i++)
    {
      const MoaProcedure *p = results[i]->procedure;
      if (g_strcmp0 (p->currency, first->currency) != 0 || p->price_year != first->price_year)
        comparable = FALSE;
    }

  section_title (out, T (c, N_ ("Summary: burden per year of each procedure")));
  g_autoptr (Table) t = table_new (7);
  table_header (t, T (c, N_ ("Procedure")), FALSE);
  table_header (t, T (c, N_ ("Citizens' hours/year")), TRUE);
  g_autofree char *citizens = money_header (c, results[0], N_ ("Citizens %s/year"));
  g_autofree char *businesses = money_header (c, results[0], N_ ("Businesses %s/year"));
  g_autofree char *burden = money_header (c, results[0], N_ ("Burden %s/year"));
  g_autofree char *one_off = money_header (c, results[0], N_ ("One-off %s"));
  table_header (t, citizens, TRUE);
  table_header (t, businesses, TRUE);
  table_header (t, burden, TRUE);
  table_header (t, one_off, TRUE);
  table_header (t, T (c, N_ ("Title")), FALSE);

  MoaFigures citizens_sum = { 0 }, businesses_sum = { 0 }, total_sum = { 0 }, one_off_sum = { 0 };
  for (guint i = 0; i < n_results; i++)
    {
      const MoaResult *r = results[i];
      table_row (t);
      table_cell (t, r->procedure->id);
      table_number (t, c, r->citizens.recurring.hours, 2);
      table_number (t, c, r->citizens.recurring.burden, 2);
      table_number (t, c, r->businesses.recurring.burden, 2);
      table_number (t, c, r->total.recurring.burden, 2);
      table_number (t, c, r->total.one_off.burden, 2);
      table_cell (t, title_of (c, &r->procedure->title, r->procedure->id));
      moa_figures_add_scaled (&citizens_sum, &r->citizens.recurring, 1.0);
      moa_figures_add_scaled (&businesses_sum, &r->businesses.recurring, 1.0);
      moa_figures_add_scaled (&total_sum, &r->total.recurring, 1.0);
      moa_figures_add_scaled (&one_off_sum, &r->total.one_off, 1.0);
    }
  if (comparable)
    {
      table_row (t);
      table_cell (t, T (c, N_ ("Total")));
      table_number (t, c, citizens_sum.hours, 2);
      table_number (t, c, citizens_sum.burden, 2);
      table_number (t, c, businesses_sum.burden, 2);
      table_number (t, c, total_sum.burden, 2);
      table_number (t, c, one_off_sum.burden, 2);
      table_cell (t, "");
    }
  table_render (t, out, 2);
  if (comparable)
    {
      /* TRANSLATORS: currency, then price year */
      g_string_append_printf (out, T (c, N_ ("  Amounts in %s, %d prices.")),
                              first->currency ? first->currency : "EUR", first->price_year);
      g_string_append_c (out, '\n');
    }
  else
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("No total: the procedures use different currencies or "
                                      "price years.")));
}

static void
format_table_one (GString *out, const Ctx *c, gconstpointer data, guint i)
{
  const MoaResult *result = ((MoaResult *const *)data)[i];
  const MoaProcedure *p = result->procedure;
  const MoaCostModel *m = result->model;

  /* TRANSLATORS: heading of a procedure's results: its id, then its title */
  g_string_append_printf (out, T (c, N_ ("Procedure %s: %s")), p->id,
                          title_of (c, &p->title, p->id));
  g_string_append_c (out, '\n');
  /* TRANSLATORS: cost model id and version, then the currency and price year, e.g.
   * "Cost model: it-moa 2024.1; amounts in EUR, 2024 prices" */
  g_string_append_printf (out, T (c, N_ ("Cost model: %s %s; amounts in %s, %d prices")), m->id,
                          m->version ? m->version : "", p->currency ? p->currency : "EUR",
                          p->price_year);
  g_string_append_c (out, '\n');

  table_totals (out, c, result);
  if (!m->citizen_time_monetised && result->citizens.recurring.hours != 0)
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("Citizens' time is not monetised by this cost model: their "
                                      "hours are reported beside the euros, not in them.")));
  if (result->obligations->len > 0)
    table_obligations (out, c, result);
  if (result->groups->len > 0)
    table_groups (out, c, result);
  if (result->activities->len > 0)
    table_activities (out, c, result);
}

/* ------------------------------------------------------------------------------------------ */
/* CSV                                                                                        */

static void
csv_figures (GString *out, const MoaFigures *f)
{
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    {
      g_string_append_c (out, ',');
      if (f)
        moa_lang_csv_number (out, MOA_FIGURES_ARRAY ((MoaFigures *)f)[i]);
    }
}

static void
csv_header (GString *out)
{
  g_string_append (out, "procedure,level,id,obligation,target_group,segment,recurrence,cases,"
                        "visits");
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    g_string_append_printf (out, ",per_case_%s", moa_figures_field_names[i]);
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    g_string_append_printf (out, ",per_year_%s", moa_figures_field_names[i]);
  g_string_append (out, ",currency,price_year" CSV_EOL);
}

typedef struct
{
  const char *level, *id, *obligation, *target_group, *segment, *recurrence;
  gboolean has_cases, has_visits;
  double cases, visits;
  const MoaFigures *per_case; /* NULL: empty */
  const MoaFigures *per_year;
} CsvRow;

static void
csv_row (GString *out, const MoaResult *result, const CsvRow *r)
{
  moa_lang_csv_text (out, result->procedure->id);
  const char *texts[]
      = { r->level, r->id, r->obligation, r->target_group, r->segment, r->recurrence };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, texts[i]);
    }
  g_string_append_c (out, ',');
  if (r->has_cases)
    moa_lang_csv_number (out, r->cases);
  g_string_append_c (out, ',');
  if (r->has_visits)
    moa_lang_csv_number (out, r->visits);
  csv_figures (out, r->per_case);
  csv_figures (out, r->per_year);
  g_string_append_c (out, ',');
  moa_lang_csv_text (out, result->procedure->currency ? result->procedure->currency : "EUR");
  g_string_append_printf (out, ",%d" CSV_EOL, result->procedure->price_year);
}

/* An aggregate: a recurring row, and a one-off row when its one-off figures are not all zero.
 * @with_per_case: procedure and obligation rows carry MoaTotal.per_case on the recurring row. */
static void
csv_total (GString *out, const MoaResult *result, const char *level, const MoaTotal *x,
           const char *obligation, const char *group, const char *segment, gboolean with_per_case)
{
  CsvRow r = {
    .level = level,
    .id = x->id ? x->id : result->procedure->id,
    .obligation = obligation,
    .target_group = group,
    .segment = segment,
    .recurrence = "recurring",
    .has_cases = TRUE,
    .cases = x->cases,
    .per_case = with_per_case ? &x->per_case : NULL,
    .per_year = &x->recurring,
  };
  csv_row (out, result, &r);
  if (figures_all_zero (&x->one_off))
    return;
  r.recurrence = "one-off";
  r.per_case = NULL;
  r.per_year = &x->one_off;
  csv_row (out, result, &r);
}

static const char *
segment_group_id (const MoaResult *result, const MoaSegment *segment)
{
  if (segment == NULL)
    return NULL;
  const MoaTargetGroup *g = moa_procedure_get_segment_group (result->procedure, segment->id);
  return g ? g->id : NULL;
}

static void
format_csv_one (GString *out, gconstpointer data, guint i)
{
  const MoaResult *result = ((MoaResult *const *)data)[i];
  const char *pid = result->procedure->id;
  MoaTotal total = result->total, citizens = result->citizens, businesses = result->businesses,
           administration = result->administration;
  /* procedure-level rows are named after the procedure */
  total.id = citizens.id = businesses.id = administration.id = pid;

  csv_total (out, result, "procedure", &total, NULL, NULL, NULL, TRUE);
  csv_total (out, result, "citizens", &citizens, NULL, NULL, NULL, FALSE);
  csv_total (out, result, "businesses", &businesses, NULL, NULL, NULL, FALSE);
  csv_total (out, result, "administration", &administration, NULL, NULL, NULL, FALSE);

  for (guint i = 0; i < result->obligations->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->obligations, MoaTotal, i);
      csv_total (out, result, "obligation", x, x->id, NULL, NULL, TRUE);
    }
  for (guint i = 0; i < result->groups->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->groups, MoaTotal, i);
      csv_total (out, result, "target_group", x, NULL, x->id, NULL, FALSE);
    }
  for (guint i = 0; i < result->segments->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->segments, MoaTotal, i);
      const MoaTargetGroup *g = moa_procedure_get_segment_group (result->procedure, x->id);
      csv_total (out, result, "segment", x, NULL, g ? g->id : NULL, x->id, FALSE);
    }
  for (guint i = 0; i < result->cases->len; i++)
    {
      const MoaCaseResult *x = &g_array_index (result->cases, MoaCaseResult, i);
      const char *oid = x->obligation ? x->obligation->id : NULL;
      CsvRow r = {
        .level = "case",
        .id = oid,
        .obligation = oid,
        .target_group = x->group ? x->group->id : segment_group_id (result, x->segment),
        .segment = x->segment ? x->segment->id : NULL,
        .recurrence = x->obligation && x->obligation->one_off ? "one-off" : "recurring",
        .has_cases = TRUE,
        .cases = x->cases,
        .per_case = &x->per_case,
        .per_year = &x->per_year,
      };
      csv_row (out, result, &r);
    }
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *x = &g_array_index (result->activities, MoaActivityResult, i);
      CsvRow r = {
        .level = "activity",
        .id = x->node ? x->node->id : NULL,
        .obligation = x->obligation ? x->obligation->id : NULL,
        .target_group = segment_group_id (result, x->segment),
        .segment = x->segment ? x->segment->id : NULL,
        .recurrence = x->obligation && x->obligation->one_off ? "one-off" : "recurring",
        .has_visits = TRUE,
        .visits = x->visits,
        .per_case = &x->per_case,
        .per_year = &x->per_year,
      };
      csv_row (out, result, &r);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* JSON                                                                                       */

/* A small JSON writer: nested containers, pretty-printed two spaces per level; containers
 * opened "inline" keep their members on one line. */
typedef struct
{
  GString *out;
  int depth;
  gboolean first[64];
  gboolean inline_[64];
} Json;

static void
json_escape (GString *out, const char *s)
{
  /* JSON text is UTF-8: a file name in another encoding gets U+FFFD for its bad bytes */
  g_autofree char *valid = NULL;
  if (s && !g_utf8_validate (s, -1, NULL))
    s = valid = g_utf8_make_valid (s, -1);
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
    {
      switch (*p)
        {
          case '"':
            g_string_append (out, "\\\"");
            break;
          case '\\':
            g_string_append (out, "\\\\");
            break;
          case '\b':
            g_string_append (out, "\\b");
            break;
          case '\f':
            g_string_append (out, "\\f");
            break;
          case '\n':
            g_string_append (out, "\\n");
            break;
          case '\r':
            g_string_append (out, "\\r");
            break;
          case '\t':
            g_string_append (out, "\\t");
            break;
          default:
            if (*p < 0x20 || *p == 0x7f)
              g_string_append_printf (out, "\\u%04x", *p);
            else
              g_string_append_c (out, (char)*p);
        }
    }
  g_string_append_c (out, '"');
}

/* Separator and key before a value; @key NULL inside arrays. */
static void
json_key (Json *j, const char *key)
{
  if (j->depth > 0)
    {
      if (!j->first[j->depth])
        g_string_append_c (j->out, ',');
      j->first[j->depth] = FALSE;
      if (j->inline_[j->depth])
        g_string_append_c (j->out, ' ');
      else
        g_string_append_printf (j->out, "\n%*s", 2 * j->depth, "");
    }
  if (key)
    {
      json_escape (j->out, key);
      g_string_append (j->out, ": ");
    }
}

static void
json_open (Json *j, const char *key, char bracket, gboolean inline_)
{
  json_key (j, key);
  g_string_append_c (j->out, bracket);
  g_assert (j->depth + 1 < (int)G_N_ELEMENTS (j->first));
  j->depth++;
  j->first[j->depth] = TRUE;
  j->inline_[j->depth] = inline_ || j->inline_[j->depth - 1];
}

static void
json_close (Json *j, char bracket)
{
  gboolean empty = j->first[j->depth], inline_ = j->inline_[j->depth];
  j->depth--;
  if (!empty && !inline_)
    g_string_append_printf (j->out, "\n%*s", 2 * j->depth, "");
  else if (!empty && inline_)
    g_string_append_c (j->out, ' ');
  g_string_append_c (j->out, bracket);
}

static void
json_string (Json *j, const char *key, const char *s)
{
  json_key (j, key);
  if (s)
    json_escape (j->out, s);
  else
    g_string_append (j->out, "null");
}

static void
json_number (Json *j, const char *key, double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  json_key (j, key);
  g_string_append (j->out, isfinite (x) ? moa_lang_format_shortest (buf, sizeof buf, x) : "null");
}

static void
json_int (Json *j, const char *key, int x)
{
  json_key (j, key);
  g_string_append_printf (j->out, "%d", x);
}

static void
json_bool (Json *j, const char *key, gboolean b)
{
  json_key (j, key);
  g_string_append (j->out, b ? "true" : "false");
}

static void
json_title (Json *j, const char *key, const MoaTitle *title)
{
  json_open (j, key, '{', TRUE);
  json_string (j, "it", title->it);
  json_string (j, "en", title->en);
  json_close (j, '}');
}

static void
json_figures (Json *j, const char *key, const MoaFigures *f)
{
  json_open (j, key, '{', TRUE);
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    json_number (j, moa_figures_field_names[i], MOA_FIGURES_ARRAY ((MoaFigures *)f)[i]);
  json_close (j, '}');
}

/* The members of a MoaTotal (inside an open object). */
static void
json_total_members (Json *j, const MoaTotal *x, gboolean with_per_case)
{
  json_number (j, "cases", x->cases);
  if (with_per_case)
    json_figures (j, "per_case", &x->per_case);
  json_figures (j, "recurring", &x->recurring);
  json_figures (j, "one_off", &x->one_off);
}

static void
json_total (Json *j, const char *key, const MoaTotal *x, gboolean with_per_case)
{
  json_open (j, key, '{', FALSE);
  json_total_members (j, x, with_per_case);
  json_close (j, '}');
}

static void
format_json_one (Json *j, gconstpointer data, guint i)
{
  const MoaResult *result = ((MoaResult *const *)data)[i];
  const MoaProcedure *p = result->procedure;
  const MoaCostModel *m = result->model;
  const char *currency = p->currency ? p->currency : "EUR";

  json_open (j, NULL, '{', FALSE);
  json_string (j, "id", p->id);
  json_title (j, "title", &p->title);
  json_string (j, "file", p->file);
  json_open (j, "cost_model", '{', TRUE);
  json_string (j, "id", m->id);
  json_string (j, "version", m->version);
  json_close (j, '}');
  json_int (j, "price_year", p->price_year);
  json_string (j, "currency", currency);
  json_open (j, "units", '{', TRUE);
  json_string (j, "money", currency);
  json_string (j, "time", "h");
  json_close (j, '}');

  json_total (j, "total", &result->total, TRUE);
  json_total (j, "citizens", &result->citizens, FALSE);
  json_total (j, "businesses", &result->businesses, FALSE);
  json_total (j, "administration", &result->administration, FALSE);

  json_open (j, "obligations", '[', FALSE);
  for (guint i = 0; i < result->obligations->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->obligations, MoaTotal, i);
      const MoaObligation *o = moa_procedure_get_obligation (p, x->id);
      json_open (j, NULL, '{', FALSE);
      json_string (j, "id", x->id);
      if (o)
        {
          json_title (j, "title", &o->title);
          json_string (j, "type", o->type);
          json_string (j, "origin", o->origin);
          json_string (j, "recurrence", o->one_off ? "one-off" : "recurring");
          json_open (j, "target_groups", '[', TRUE);
          for (char **g = o->target_groups; g && *g; g++)
            json_string (j, NULL, *g);
          json_close (j, ']');
        }
      json_total_members (j, x, TRUE);
      json_close (j, '}');
    }
  json_close (j, ']');

  json_open (j, "target_groups", '[', FALSE);
  for (guint i = 0; i < result->groups->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->groups, MoaTotal, i);
      const MoaTargetGroup *g = moa_procedure_get_target_group (p, x->id);
      json_open (j, NULL, '{', FALSE);
      json_string (j, "id", x->id);
      json_string (j, "kind", moa_target_kind_to_string (x->kind));
      if (g)
        json_title (j, "title", &g->title);
      json_total_members (j, x, FALSE);
      json_close (j, '}');
    }
  json_close (j, ']');

  json_open (j, "segments", '[', FALSE);
  for (guint i = 0; i < result->segments->len; i++)
    {
      const MoaTotal *x = &g_array_index (result->segments, MoaTotal, i);
      const MoaSegment *s = moa_procedure_get_segment (p, x->id);
      const MoaTargetGroup *g = moa_procedure_get_segment_group (p, x->id);
      json_open (j, NULL, '{', FALSE);
      json_string (j, "id", x->id);
      json_string (j, "target_group", g ? g->id : NULL);
      json_string (j, "kind", moa_target_kind_to_string (x->kind));
      if (s)
        json_title (j, "title", &s->title);
      json_total_members (j, x, FALSE);
      json_close (j, '}');
    }
  json_close (j, ']');

  json_open (j, "cases", '[', FALSE);
  for (guint i = 0; i < result->cases->len; i++)
    {
      const MoaCaseResult *x = &g_array_index (result->cases, MoaCaseResult, i);
      json_open (j, NULL, '{', FALSE);
      json_string (j, "obligation", x->obligation ? x->obligation->id : NULL);
      json_string (j, "segment", x->segment ? x->segment->id : NULL);
      json_string (j, "target_group",
                   x->group ? x->group->id : segment_group_id (result, x->segment));
      json_string (j, "recurrence",
                   x->obligation && x->obligation->one_off ? "one-off" : "recurring");
      json_number (j, "cases", x->cases);
      json_figures (j, "per_case", &x->per_case);
      json_figures (j, "per_year", &x->per_year);
      json_close (j, '}');
    }
  json_close (j, ']');

  json_open (j, "activities", '[', FALSE);
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *x = &g_array_index (result->activities, MoaActivityResult, i);
      json_open (j, NULL, '{', FALSE);
      json_string (j, "obligation", x->obligation ? x->obligation->id : NULL);
      json_string (j, "node", x->node ? x->node->id : NULL);
      if (x->node)
        json_title (j, "title", &x->node->title);
      json_string (j, "segment", x->segment ? x->segment->id : NULL);
      json_string (j, "target_group", segment_group_id (result, x->segment));
      json_string (j, "payer", x->payer ? x->payer->id : NULL);
      json_bool (j, "external", x->external);
      json_string (j, "recurrence",
                   x->obligation && x->obligation->one_off ? "one-off" : "recurring");
      json_number (j, "visits", x->visits);
      json_number (j, "time", x->time);
      json_number (j, "rate", x->rate);
      json_figures (j, "per_case", &x->per_case);
      json_figures (j, "per_year", &x->per_year);
      json_close (j, '}');
    }
  json_close (j, ']');

  json_close (j, '}');
}

/* ------------------------------------------------------------------------------------------ */

/* Switches LC_MESSAGES to Italian for this thread when Italian labels are wanted but the
 * process's messages are in another language (moa evaluate --lang it under an English locale);
 * leave_language() undoes it. When no Italian locale is installed, the labels stay English. */
typedef MoaLangSwitch LanguageSwitch;

static void
enter_language (const Ctx *c, LanguageSwitch *sw)
{
  moa_lang_enter (c->lang, sw);
}

static void
leave_language (LanguageSwitch *sw)
{
  moa_lang_leave (sw);
}

static void
ctx_init (Ctx *c, const MoaFormatOptions *options)
{
  c->lang = moa_lang_resolve (options ? options->lang : NULL);
  c->english = strcmp (c->lang, "en") == 0;
  c->localized = options ? options->localized_numbers : FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* The frame every kind of output shares                                                      */

/* How one kind of output writes item @i of its input (@data: what the public function was
 * given); format_items() writes the rest: the language switch and the blank lines between
 * tables, the CSV header, the JSON document around the items. */
typedef struct
{
  void (*table_one) (GString *out, const Ctx *c, gconstpointer data, guint i);
  /* after the tables when there is at least one item: a note (N_() text) ... */
  const char *table_note;
  /* ... or, instead, a function (NULL for none) */
  void (*table_end) (GString *out, const Ctx *c, gconstpointer data, guint n);
  void (*csv_begin) (GString *out); /* the header line */
  void (*csv_one) (GString *out, gconstpointer data, guint i);
  const char *json_mode;  /* the document's "mode" member, or NULL for none */
  const char *json_items; /* the name of the array of items */
  void (*json_one) (Json *j, gconstpointer data, guint i);
} OutputKind;

static void
format_items (GString *out, const OutputKind *kind, gconstpointer data, guint n, MoaFormat format,
              const MoaFormatOptions *options)
{
  Ctx c = { 0 };
  ctx_init (&c, options);

  switch (format)
    {
      case MOA_FORMAT_TABLE:
        {
          LanguageSwitch sw;
          enter_language (&c, &sw);
          for (guint i = 0; i < n; i++)
            {
              if (i > 0)
                g_string_append (out, "\n\n");
              kind->table_one (out, &c, data, i);
            }
          if (kind->table_end != NULL)
            kind->table_end (out, &c, data, n);
          else if (n > 0 && kind->table_note != NULL)
            {
              g_string_append_c (out, '\n');
              g_string_append (out, T (&c, kind->table_note));
              g_string_append_c (out, '\n');
            }
          leave_language (&sw);
        }
        break;

      case MOA_FORMAT_CSV:
        kind->csv_begin (out);
        for (guint i = 0; i < n; i++)
          kind->csv_one (out, data, i);
        break;

      case MOA_FORMAT_JSON:
        {
          Json j = { .out = out };
          json_open (&j, NULL, '{', FALSE);
          json_string (&j, "moa_version", PACKAGE_VERSION);
          if (kind->json_mode != NULL)
            json_string (&j, "mode", kind->json_mode);
          json_open (&j, kind->json_items, '[', FALSE);
          for (guint i = 0; i < n; i++)
            kind->json_one (&j, data, i);
          json_close (&j, ']');
          json_close (&j, '}');
          g_string_append_c (out, '\n');
        }
        break;

      default:
        g_return_if_reached ();
    }
}

/* The inputs of the outputs that take more than an array of items. */
typedef struct
{
  const MoaPlan *const *plans;
  MoaCaseSimulation *const *simulations;
} CasesInput;

typedef struct
{
  const MoaPlan *const *plans;
  GArray *const *rankings;
  guint top;
} SensitivityInput;

/* After the tables of several procedures, one line per procedure and a total. */
static void
results_table_end (GString *out, const Ctx *c, gconstpointer data, guint n)
{
  if (n > 1)
    {
      g_string_append (out, "\n");
      table_summary (out, c, (MoaResult *const *)data, n);
    }
}

/* moa_format_results:
 * Appends @n_results results to @out: a table (one block per procedure), CSV (one header, then
 * the rows of every procedure, layout in docs/json-output.md) or one JSON document. Titles
 * follow @options->lang (NULL: the language of the messages); table labels are English for
 * "en" and translated otherwise; the table uses the locale's separators when
 * @options->localized_numbers. CSV and JSON are locale-independent. */
void
moa_format_results (GString *out, MoaResult *const *results, guint n_results, MoaFormat format,
                    const MoaFormatOptions *options)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (results != NULL || n_results == 0);

  static const OutputKind kind = {
    .table_one = format_table_one,
    .table_end = results_table_end,
    .csv_begin = csv_header,
    .csv_one = format_csv_one,
    .json_items = "procedures",
    .json_one = format_json_one,
  };
  format_items (out, &kind, results, n_results, format, options);
}

/* ------------------------------------------------------------------------------------------ */
/* Cost models                                                                                */

static char *
citizen_time_text (const Ctx *c, const MoaCostModel *m, gboolean localized)
{
  if (!m->citizen_time_monetised || m->citizen_rate == NULL)
    return g_strdup (T (c, N_ ("not monetised")));
  g_autofree char *rate = moa_format_number (m->citizen_rate->mean, 2, localized);
  return g_strdup_printf ("%s %s/h", rate, m->currency ? m->currency : "EUR");
}

/* moa_format_models:
 * Appends a list of the cost models @models (MoaCostModel*) to @out: a table, CSV (header
 * id,version,price_year,currency,overhead_rate,citizen_time_monetised,citizen_rate,
 * standard_activities,tariffs,title) or a JSON document {"moa_version", "models": [...]}
 * (docs/json-output.md). Titles follow @options->lang as in moa_format_results(). */
void
moa_format_models (GString *out, GPtrArray *models, MoaFormat format,
                   const MoaFormatOptions *options)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (models != NULL);

  Ctx c = { 0 };
  ctx_init (&c, options);

  switch (format)
    {
      case MOA_FORMAT_TABLE:
        {
          LanguageSwitch sw;
          enter_language (&c, &sw);
          g_autoptr (Table) t = table_new (9);
          table_header (t, T (&c, N_ ("Model")), FALSE);
          table_header (t, T (&c, N_ ("Version")), FALSE);
          table_header (t, T (&c, N_ ("Prices")), TRUE);
          table_header (t, T (&c, N_ ("Currency")), FALSE);
          table_header (t, T (&c, N_ ("Overhead")), TRUE);
          table_header (t, T (&c, N_ ("Citizens' time")), TRUE);
          table_header (t, T (&c, N_ ("Activities")), TRUE);
          table_header (t, T (&c, N_ ("Tariffs")), TRUE);
          table_header (t, T (&c, N_ ("Title")), FALSE);
          for (guint i = 0; i < models->len; i++)
            {
              const MoaCostModel *m = g_ptr_array_index (models, i);
              g_autofree char *overhead
                  = moa_format_number (100 * m->overhead_rate, 0, c.localized);
              table_row (t);
              table_cell (t, m->id);
              table_cell (t, m->version);
              table_take (t, g_strdup_printf ("%d", m->price_year));
              table_cell (t, m->currency);
              table_take (t, g_strconcat (overhead, " %", NULL));
              table_take (t, citizen_time_text (&c, m, c.localized));
              table_take (t, g_strdup_printf (
                                 "%u", m->standard_activities ? m->standard_activities->len : 0));
              table_take (t, g_strdup_printf ("%u", m->tariffs ? m->tariffs->len : 0));
              table_cell (t, title_of (&c, &m->title, m->id));
            }
          table_render (t, out, 0);
          leave_language (&sw);
        }
        break;

      case MOA_FORMAT_CSV:
        g_string_append (out, "id,version,price_year,currency,overhead_rate,"
                              "citizen_time_monetised,citizen_rate,standard_activities,tariffs,"
                              "title" CSV_EOL);
        for (guint i = 0; i < models->len; i++)
          {
            const MoaCostModel *m = g_ptr_array_index (models, i);
            moa_lang_csv_text (out, m->id);
            g_string_append_c (out, ',');
            moa_lang_csv_text (out, m->version);
            g_string_append_printf (out, ",%d,", m->price_year);
            moa_lang_csv_text (out, m->currency);
            g_string_append_c (out, ',');
            moa_lang_csv_number (out, m->overhead_rate);
            g_string_append_printf (out, ",%s,", m->citizen_time_monetised ? "true" : "false");
            if (m->citizen_time_monetised && m->citizen_rate)
              moa_lang_csv_number (out, m->citizen_rate->mean);
            g_string_append_printf (out, ",%u,%u,",
                                    m->standard_activities ? m->standard_activities->len : 0,
                                    m->tariffs ? m->tariffs->len : 0);
            moa_lang_csv_text (out, title_of (&c, &m->title, m->id));
            g_string_append (out, CSV_EOL);
          }
        break;

      case MOA_FORMAT_JSON:
        {
          Json j = { .out = out };
          json_open (&j, NULL, '{', FALSE);
          json_string (&j, "moa_version", PACKAGE_VERSION);
          json_open (&j, "models", '[', FALSE);
          for (guint i = 0; i < models->len; i++)
            {
              const MoaCostModel *m = g_ptr_array_index (models, i);
              json_open (&j, NULL, '{', FALSE);
              json_string (&j, "id", m->id);
              json_string (&j, "version", m->version);
              json_title (&j, "title", &m->title);
              json_string (&j, "file", m->file);
              json_int (&j, "price_year", m->price_year);
              json_string (&j, "currency", m->currency);
              json_number (&j, "overhead_rate", m->overhead_rate);
              json_open (&j, "citizen_time", '{', TRUE);
              json_bool (&j, "monetised", m->citizen_time_monetised);
              if (m->citizen_time_monetised && m->citizen_rate)
                json_number (&j, "rate", m->citizen_rate->mean);
              else
                json_string (&j, "rate", NULL);
              json_close (&j, '}');
              json_int (&j, "standard_activities",
                        m->standard_activities ? (int)m->standard_activities->len : 0);
              json_int (&j, "tariffs", m->tariffs ? (int)m->tariffs->len : 0);
              json_int (&j, "obligation_types",
                        m->obligation_types ? (int)m->obligation_types->len : 0);
              json_close (&j, '}');
            }
          json_close (&j, ']');
          json_close (&j, '}');
          g_string_append_c (out, '\n');
        }
        break;

      default:
        g_return_if_reached ();
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Uncertainty: two-level Monte Carlo, per-case simulation, sensitivity                       */

static const char *
currency_code (const MoaProcedure *p)
{
  return p->currency ? p->currency : "EUR";
}

static const char *
currency_symbol (const MoaProcedure *p)
{
  return p->currency == NULL || strcmp (p->currency, "EUR") == 0 ? "€" : p->currency;
}

/* "Procedure ID: title" and "Cost model: …; amounts in …", as the evaluation table has them. */
static void
procedure_heading (GString *out, const Ctx *c, const MoaProcedure *p, const MoaCostModel *m)
{
  g_string_append_printf (out, T (c, N_ ("Procedure %s: %s")), p->id,
                          title_of (c, &p->title, p->id));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, T (c, N_ ("Cost model: %s %s; amounts in %s, %d prices")), m->id,
                          m->version ? m->version : "", currency_code (p), p->price_year);
  g_string_append_c (out, '\n');
}

/* "95 %": @share as a percentage with the decimals it needs (at most 2). Returns a new
 * string. */
static char *
percent_text (const Ctx *c, double share)
{
  double pct = 100 * share;
  int decimals = 2;
  if (fabs (pct - round (pct)) < 1e-9)
    decimals = 0;
  else if (fabs (10 * pct - round (10 * pct)) < 1e-8)
    decimals = 1;
  g_autofree char *number = moa_format_number (pct, decimals, c->localized);
  return g_strconcat (number, " %", NULL);
}

/* "12.3 %": @share as a percentage with one decimal. Returns a new string. */
static char *
percent_text_fixed (const Ctx *c, double share)
{
  g_autofree char *number = moa_format_number (100 * share, 1, c->localized);
  return g_strconcat (number, " %", NULL);
}

/* "10,000": a count with grouping. Returns a new string. */
static char *
count_text (const Ctx *c, double n)
{
  return moa_format_number (n, count_decimals (n), c->localized);
}

/* TRUE when every sample of the statistic was zero. */
static gboolean
stat_is_zero (const MoaStat *s)
{
  return s->point == 0 && s->mean == 0 && s->sd == 0 && s->p5 == 0 && s->p50 == 0 && s->p95 == 0;
}

/* The relative half-width of the confidence interval of the mean of @s: the figure a
 * --precision target is compared with. */
static double
relative_half_width (const MoaStat *s)
{
  double half = (s->ci_high - s->ci_low) / 2;
  if (s->mean == 0)
    return half == 0 ? 0 : INFINITY;
  return half / fabs (s->mean);
}

/* The columns of a statistic: point, mean, s.d., P5, P50, P95, interval of the mean. */
static void
stat_headers (Table *t, const Ctx *c, const char *point_label, double confidence)
{
  g_autofree char *level = percent_text (c, confidence);
  /* TRANSLATORS: column headers of the confidence interval of the mean; %s is e.g. "95 %" */
  g_autofree char *low = g_strdup_printf (T (c, N_ ("CI %s low")), level);
  g_autofree char *high = g_strdup_printf (T (c, N_ ("CI %s high")), level);
  table_header (t, point_label, TRUE);
  table_header (t, T (c, N_ ("Mean")), TRUE);
  /* TRANSLATORS: standard deviation, a column header */
  table_header (t, T (c, N_ ("S.d.")), TRUE);
  table_header (t, "P5", TRUE);
  table_header (t, "P50", TRUE);
  table_header (t, "P95", TRUE);
  table_header (t, low, TRUE);
  table_header (t, high, TRUE);
}

static void
stat_cells (Table *t, const Ctx *c, const MoaStat *s, int decimals)
{
  const double x[] = { s->point, s->mean, s->sd, s->p5, s->p50, s->p95, s->ci_low, s->ci_high };
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    table_number (t, c, x[i], decimals);
}

/* A row holding only a label: the heading of a group of rows. */
static void
table_label_row (Table *t, const char *label)
{
  table_row (t);
  table_cell (t, label);
}

/* The identity of an entity as CSV and JSON write it: the level names and ids of the CSV of
 * moa evaluate (docs/json-output.md). */
typedef struct
{
  const char *level, *id, *obligation, *target_group, *segment;
} EntityRow;

static void
entity_row (const MoaPlan *plan, const MoaEntity *e, EntityRow *r)
{
  const MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  const MoaTargetGroup *g;
  memset (r, 0, sizeof *r);
  r->id = e->id;
  switch (e->kind)
    {
      case MOA_ENTITY_TOTAL:
        r->level = "procedure";
        r->id = p->id;
        break;
      case MOA_ENTITY_CITIZENS:
        r->level = "citizens";
        r->id = p->id;
        break;
      case MOA_ENTITY_BUSINESSES:
        r->level = "businesses";
        r->id = p->id;
        break;
      case MOA_ENTITY_ADMINISTRATION:
        r->level = "administration";
        r->id = p->id;
        break;
      case MOA_ENTITY_OBLIGATION:
        r->level = "obligation";
        r->obligation = e->id;
        break;
      case MOA_ENTITY_GROUP:
        r->level = "target_group";
        r->target_group = e->id;
        break;
      case MOA_ENTITY_SEGMENT:
        r->level = "segment";
        g = moa_procedure_get_segment_group (p, e->id);
        r->target_group = g ? g->id : NULL;
        r->segment = e->id;
        break;
      case MOA_ENTITY_ACTIVITY:
        r->level = "activity";
        r->obligation = e->obligation;
        g = e->segment ? moa_procedure_get_segment_group (p, e->segment) : NULL;
        r->target_group = g ? g->id : NULL;
        r->segment = e->segment;
        break;
      default:
        g_return_if_reached ();
    }
}

/* --- Two-level Monte Carlo: table ---------------------------------------------------------- */

/* Decimals of a yearly figure in the table: the spread of a simulated total makes cents
 * meaningless, so money is shown in whole units and hours to the tenth (CSV and JSON keep full
 * precision). */
static int
quantity_decimals (MoaQuantity q)
{
  return q == MOA_QUANTITY_HOURS ? 1 : 0;
}

/* TRUE when the cost of every entity has the statistics of its burden: no business-as-usual
 * share anywhere, so the cost table would repeat the burden table. */
static gboolean
cost_is_burden (const MoaSimulation *sim)
{
  guint n = moa_plan_get_n_entities (moa_simulation_get_plan (sim));
  for (guint i = 0; i < n; i++)
    {
      const MoaStat *cost = moa_simulation_get_stat (sim, i, MOA_QUANTITY_COST);
      const MoaStat *burden = moa_simulation_get_stat (sim, i, MOA_QUANTITY_BURDEN);
      if (memcmp (cost, burden, sizeof *cost) != 0)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const Ctx *c;
  const MoaSimulation *sim;
  const MoaPlan *plan;
  const MoaProcedure *procedure;
  gboolean show_segment; /* activities: the plan has several segments */
  gboolean skipped;      /* some row was left out because it is zero in every iteration */
} SimTable;

static const MoaStat *
sim_stat (const SimTable *s, guint entity, MoaQuantity q)
{
  return moa_simulation_get_stat (s->sim, entity, q);
}

/* One entity's row of the table of @q, unless it is zero in every iteration (and not the total
 * of the procedure). Returns TRUE when the row was added. */
static gboolean
sim_row (SimTable *s, Table *t, guint index, MoaQuantity q, const char *label)
{
  const MoaStat *stat = sim_stat (s, index, q);
  if (stat == NULL)
    return FALSE;
  if (index != 0 && stat_is_zero (stat))
    {
      s->skipped = TRUE;
      return FALSE;
    }
  table_row (t);
  table_cell (t, label);
  stat_cells (t, s->c, stat, quantity_decimals (q));
  return TRUE;
}

/* The label of a non-total entity in the table, indented under its heading. */
static char *
sim_entity_label (const SimTable *s, const MoaEntity *e)
{
  switch (e->kind)
    {
      case MOA_ENTITY_OBLIGATION:
      case MOA_ENTITY_GROUP:
        return g_strconcat ("  ", e->id, NULL);
      case MOA_ENTITY_SEGMENT:
        return g_strconcat ("    ", e->id, NULL);
      case MOA_ENTITY_ACTIVITY:
        if (s->show_segment && e->segment)
          return g_strdup_printf ("  %s/%s @%s", e->obligation ? e->obligation : "", e->id,
                                  e->segment);
        return g_strdup_printf ("  %s/%s", e->obligation ? e->obligation : "", e->id);
      default:
        return g_strdup (e->id);
    }
}

/* Adds a heading row and the rows of the entities of @kind that are not zero in every
 * iteration; nothing when all are. */
static void
sim_rows_of_kind (SimTable *s, Table *t, MoaQuantity q, MoaEntityKind kind, const char *heading)
{
  guint n = moa_plan_get_n_entities (s->plan);
  gboolean any = FALSE;
  for (guint i = 0; i < n; i++)
    {
      const MoaEntity *e = moa_plan_get_entity (s->plan, i);
      const MoaStat *stat = sim_stat (s, i, q);
      if (e->kind != kind || stat == NULL)
        continue;
      if (stat_is_zero (stat))
        {
          s->skipped = TRUE;
          continue;
        }
      if (!any)
        table_label_row (t, heading);
      any = TRUE;

      if (kind == MOA_ENTITY_GROUP)
        {
          /* the group, then its explicit segments */
          g_autofree char *label = sim_entity_label (s, e);
          sim_row (s, t, i, q, label);
          for (guint j = 0; j < n; j++)
            {
              const MoaEntity *se = moa_plan_get_entity (s->plan, j);
              if (se->kind != MOA_ENTITY_SEGMENT)
                continue;
              const MoaSegment *seg = moa_procedure_get_segment (s->procedure, se->id);
              const MoaTargetGroup *g = moa_procedure_get_segment_group (s->procedure, se->id);
              if (seg == NULL || seg->implicit || g == NULL || strcmp (g->id, e->id) != 0)
                continue;
              g_autofree char *seg_label = sim_entity_label (s, se);
              sim_row (s, t, j, q, seg_label);
            }
          continue;
        }
      g_autofree char *label = sim_entity_label (s, e);
      sim_row (s, t, i, q, label);
    }
}

static void
sim_table_quantity (GString *out, SimTable *s, MoaQuantity q, const char *title)
{
  const Ctx *c = s->c;
  const MoaSimulationOptions *o = moa_simulation_get_options (s->sim);
  const struct
  {
    MoaEntityKind kind;
    const char *label;
  } totals[] = {
    { MOA_ENTITY_TOTAL, N_ ("Total (citizens + businesses)") },
    { MOA_ENTITY_CITIZENS, N_ ("Citizens") },
    { MOA_ENTITY_BUSINESSES, N_ ("Businesses") },
    { MOA_ENTITY_ADMINISTRATION, N_ ("Administration (reported apart)") },
  };

  section_title (out, title);
  g_autoptr (Table) t = table_new (9);
  table_header (t, "", FALSE);
  stat_headers (t, c, T (c, N_ ("Point estimate")), o->confidence);
  guint n = moa_plan_get_n_entities (s->plan);
  for (guint i = 0; i < n; i++)
    {
      const MoaEntity *e = moa_plan_get_entity (s->plan, i);
      for (gsize k = 0; k < G_N_ELEMENTS (totals); k++)
        if (e->kind == totals[k].kind)
          {
            /* the four totals are always shown for yearly quantities, as moa evaluate does */
            const MoaStat *stat = sim_stat (s, i, q);
            if (stat == NULL)
              continue;
            if (q == MOA_QUANTITY_ONE_OFF_BURDEN && e->kind != MOA_ENTITY_TOTAL
                && stat_is_zero (stat))
              {
                s->skipped = TRUE;
                continue;
              }
            table_row (t);
            table_cell (t, T (c, totals[k].label));
            stat_cells (t, c, stat, quantity_decimals (q));
          }
    }
  sim_rows_of_kind (s, t, q, MOA_ENTITY_OBLIGATION, T (c, N_ ("Information obligations")));
  sim_rows_of_kind (s, t, q, MOA_ENTITY_GROUP, T (c, N_ ("Target groups")));
  sim_rows_of_kind (s, t, q, MOA_ENTITY_ACTIVITY, T (c, N_ ("Activities")));
  table_render (t, out, 2);
}

/* The lines that describe the run: iterations, seed, generator, confidence level, and the
 * precision target when there is one. */
static void
sim_run_lines (GString *out, const Ctx *c, const MoaSimulation *sim)
{
  const MoaSimulationOptions *o = moa_simulation_get_options (sim);
  guint iterations = moa_simulation_get_iterations (sim);
  g_autofree char *n_text = count_text (c, iterations);
  g_autofree char *level = percent_text (c, o->confidence);

  /* TRANSLATORS: iterations, seed, random generator, confidence level (e.g. "95 %") */
  g_string_append_printf (out,
                          T (c, N_ ("Two-level Monte Carlo: %s iterations, seed %llu, generator "
                                    "%s; confidence intervals of the mean at %s")),
                          n_text, (unsigned long long)o->seed, moa_random_generator_name (), level);
  g_string_append_c (out, '\n');
  if (o->precision <= 0)
    return;

  const MoaStat *total = moa_simulation_get_stat (sim, 0, MOA_QUANTITY_BURDEN);
  double achieved = total ? relative_half_width (total) : INFINITY;
  g_autofree char *target = percent_text (c, o->precision);
  g_autofree char *reached = isfinite (achieved) ? percent_text (c, achieved) : g_strdup ("inf");
  g_autofree char *max = count_text (c, o->iterations);
  if (achieved <= o->precision)
    /* TRANSLATORS: precision target (e.g. "1 %"), iterations run, relative half-width reached */
    g_string_append_printf (out,
                            T (c, N_ ("Precision target: relative half-width of the interval of "
                                      "the total burden below %s; met after %s iterations (%s)")),
                            target, n_text, reached);
  else
    /* TRANSLATORS: precision target (e.g. "1 %"), maximum iterations, half-width reached */
    g_string_append_printf (out,
                            T (c, N_ ("Precision target: relative half-width of the interval of "
                                      "the total burden below %s; NOT met within the maximum of "
                                      "%s iterations (%s)")),
                            target, max, reached);
  g_string_append_c (out, '\n');
}

static void
sim_table_one (GString *out, const Ctx *c, gconstpointer data, guint i)
{
  const MoaSimulation *sim = ((MoaSimulation *const *)data)[i];
  const MoaPlan *plan = moa_simulation_get_plan (sim);
  MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  SimTable s = { .c = c, .sim = sim, .plan = plan, .procedure = p };
  /* activity labels name their segment when some obligation has several addressee segments */
  guint n = moa_plan_get_n_entities (plan);
  g_autoptr (GHashTable) first_segment = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      const MoaEntity *e = moa_plan_get_entity (plan, i);
      if (e->kind != MOA_ENTITY_ACTIVITY || e->obligation == NULL || e->segment == NULL)
        continue;
      const char *seen = g_hash_table_lookup (first_segment, e->obligation);
      if (seen == NULL)
        g_hash_table_insert (first_segment, (gpointer)e->obligation, (gpointer)e->segment);
      else if (strcmp (seen, e->segment) != 0)
        s.show_segment = TRUE;
    }

  procedure_heading (out, c, p, moa_plan_get_model ((MoaPlan *)plan));
  sim_run_lines (out, c, sim);

  const char *symbol = currency_symbol (p);
  g_autofree char *burden = g_strdup_printf (T (c, N_ ("Burden %s/year")), symbol);
  g_autofree char *cost = g_strdup_printf (T (c, N_ ("Cost %s/year")), symbol);
  /* TRANSLATORS: %s is the currency symbol */
  g_autofree char *one_off
      = g_strdup_printf (T (c, N_ ("One-off burden %s (total, not per year)")), symbol);
  sim_table_quantity (out, &s, MOA_QUANTITY_BURDEN, burden);
  if (cost_is_burden (sim))
    {
      section_title (out, cost);
      g_string_append_printf (out, "  %s\n",
                              T (c, N_ ("The same as the burden: no activity has a "
                                        "business-as-usual share.")));
    }
  else
    sim_table_quantity (out, &s, MOA_QUANTITY_COST, cost);
  sim_table_quantity (out, &s, MOA_QUANTITY_HOURS, T (c, N_ ("Hours/year")));

  gboolean any_one_off = FALSE;
  for (guint i = 0; i < n; i++)
    {
      const MoaStat *stat = moa_simulation_get_stat (sim, i, MOA_QUANTITY_ONE_OFF_BURDEN);
      any_one_off |= stat != NULL && !stat_is_zero (stat);
    }
  if (any_one_off)
    sim_table_quantity (out, &s, MOA_QUANTITY_ONE_OFF_BURDEN, one_off);
  if (s.skipped)
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("Rows that are zero in every iteration are left out.")));
}

/* --- Two-level Monte Carlo: CSV and JSON ----------------------------------------------------- */

/* The unit of @q as CSV and JSON write it. Returns a new string. */
static char *
quantity_unit (const MoaProcedure *p, MoaQuantity q)
{
  switch (q)
    {
      case MOA_QUANTITY_BURDEN:
      case MOA_QUANTITY_COST:
        return g_strconcat (currency_code (p), "/year", NULL);
      case MOA_QUANTITY_HOURS:
        return g_strdup ("h/year");
      case MOA_QUANTITY_ONE_OFF_BURDEN:
        return g_strdup (currency_code (p));
      default:
        g_return_val_if_reached (NULL);
    }
}

static void
csv_stat (GString *out, const MoaStat *s)
{
  const double x[] = { s->point, s->mean, s->sd, s->p5, s->p50, s->p95, s->ci_low, s->ci_high };
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    {
      g_string_append_c (out, ',');
      moa_lang_csv_number (out, x[i]);
    }
}

#define CSV_STAT_COLUMNS "point,mean,sd,p5,p50,p95,ci_low,ci_high"

static void
sim_csv_one (GString *out, gconstpointer data, guint i)
{
  const MoaSimulation *sim = ((MoaSimulation *const *)data)[i];
  const MoaPlan *plan = moa_simulation_get_plan (sim);
  const MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  const MoaSimulationOptions *o = moa_simulation_get_options (sim);
  guint n = moa_plan_get_n_entities (plan);

  /* the run's columns, the same on every row */
  g_autoptr (GString) run = g_string_new (NULL);
  moa_lang_csv_number (run, o->confidence);
  g_string_append_printf (run, ",%u,", moa_simulation_get_iterations (sim));
  if (o->precision > 0)
    moa_lang_csv_number (run, o->precision);
  g_string_append_printf (run, ",%llu,", (unsigned long long)o->seed);
  moa_lang_csv_text (run, moa_random_generator_name ());
  g_string_append_c (run, ',');
  moa_lang_csv_text (run, currency_code (p));
  g_string_append_printf (run, ",%d" CSV_EOL, p->price_year);

  for (guint i = 0; i < n; i++)
    {
      EntityRow r;
      entity_row (plan, moa_plan_get_entity (plan, i), &r);
      for (int q = 0; q < MOA_QUANTITY_N; q++)
        {
          const MoaStat *stat = moa_simulation_get_stat (sim, i, (MoaQuantity)q);
          if (stat == NULL || (q == MOA_QUANTITY_ONE_OFF_BURDEN && stat_is_zero (stat)))
            continue;
          g_autofree char *unit = quantity_unit (p, (MoaQuantity)q);
          const char *texts[] = {
            p->id, r.level, r.id, r.obligation, r.target_group, r.segment, moa_quantity_names[q],
            unit
          };
          for (gsize k = 0; k < G_N_ELEMENTS (texts); k++)
            {
              if (k > 0)
                g_string_append_c (out, ',');
              moa_lang_csv_text (out, texts[k]);
            }
          csv_stat (out, stat);
          g_string_append_c (out, ',');
          g_string_append_len (out, run->str, (gssize)run->len);
        }
    }
}

static void
json_uint64 (Json *j, const char *key, guint64 x)
{
  json_key (j, key);
  g_string_append_printf (j->out, "%llu", (unsigned long long)x);
}

static void
json_stat (Json *j, const char *key, const MoaStat *s)
{
  json_open (j, key, '{', TRUE);
  json_number (j, "point", s->point);
  json_number (j, "mean", s->mean);
  json_number (j, "sd", s->sd);
  json_number (j, "p5", s->p5);
  json_number (j, "p50", s->p50);
  json_number (j, "p95", s->p95);
  json_number (j, "ci_low", s->ci_low);
  json_number (j, "ci_high", s->ci_high);
  json_close (j, '}');
}

/* The members shared by every procedure object: id, title, file, cost model, prices, units. */
static void
json_procedure_members (Json *j, const MoaProcedure *p, const MoaCostModel *m)
{
  json_string (j, "id", p->id);
  json_title (j, "title", &p->title);
  json_string (j, "file", p->file);
  json_open (j, "cost_model", '{', TRUE);
  json_string (j, "id", m->id);
  json_string (j, "version", m->version);
  json_close (j, '}');
  json_int (j, "price_year", p->price_year);
  json_string (j, "currency", currency_code (p));
  json_open (j, "units", '{', TRUE);
  json_string (j, "money", currency_code (p));
  json_string (j, "time", "h");
  json_close (j, '}');
}

/* The quantities of entity @index, as members of an open object. */
static void
json_entity_stats (Json *j, const MoaSimulation *sim, guint index)
{
  for (int q = 0; q < MOA_QUANTITY_N; q++)
    {
      const MoaStat *stat = moa_simulation_get_stat (sim, index, (MoaQuantity)q);
      if (stat == NULL || (q == MOA_QUANTITY_ONE_OFF_BURDEN && stat_is_zero (stat)))
        continue;
      json_stat (j, moa_quantity_names[q], stat);
    }
}

static void
sim_json_one (Json *j, gconstpointer data, guint i)
{
  const MoaSimulation *sim = ((MoaSimulation *const *)data)[i];
  const MoaPlan *plan = moa_simulation_get_plan (sim);
  const MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  const MoaSimulationOptions *o = moa_simulation_get_options (sim);
  guint n = moa_plan_get_n_entities (plan);

  json_open (j, NULL, '{', FALSE);
  json_procedure_members (j, p, moa_plan_get_model ((MoaPlan *)plan));

  json_open (j, "simulation", '{', FALSE);
  json_uint64 (j, "seed", o->seed);
  json_string (j, "generator", moa_random_generator_name ());
  json_int (j, "iterations", (int)moa_simulation_get_iterations (sim));
  json_number (j, "confidence", o->confidence);
  if (o->precision > 0)
    {
      const MoaStat *total = moa_simulation_get_stat (sim, 0, MOA_QUANTITY_BURDEN);
      double achieved = total ? relative_half_width (total) : INFINITY;
      json_open (j, "precision", '{', TRUE);
      json_number (j, "target", o->precision);
      json_number (j, "achieved", achieved);
      json_bool (j, "met", achieved <= o->precision);
      json_int (j, "max_iterations", (int)o->iterations);
      json_close (j, '}');
    }
  else
    json_string (j, "precision", NULL);
  json_close (j, '}');

  static const struct
  {
    MoaEntityKind kind;
    const char *key;
  } totals[] = {
    { MOA_ENTITY_TOTAL, "total" },
    { MOA_ENTITY_CITIZENS, "citizens" },
    { MOA_ENTITY_BUSINESSES, "businesses" },
    { MOA_ENTITY_ADMINISTRATION, "administration" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (totals); k++)
    for (guint i = 0; i < n; i++)
      if (moa_plan_get_entity (plan, i)->kind == totals[k].kind)
        {
          json_open (j, totals[k].key, '{', FALSE);
          json_entity_stats (j, sim, i);
          json_close (j, '}');
        }

  static const struct
  {
    MoaEntityKind kind;
    const char *key;
  } lists[] = {
    { MOA_ENTITY_OBLIGATION, "obligations" },
    { MOA_ENTITY_GROUP, "target_groups" },
    { MOA_ENTITY_SEGMENT, "segments" },
    { MOA_ENTITY_ACTIVITY, "activities" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (lists); k++)
    {
      json_open (j, lists[k].key, '[', FALSE);
      for (guint i = 0; i < n; i++)
        {
          const MoaEntity *e = moa_plan_get_entity (plan, i);
          if (e->kind != lists[k].kind)
            continue;
          EntityRow r;
          entity_row (plan, e, &r);
          json_open (j, NULL, '{', FALSE);
          switch (e->kind)
            {
              case MOA_ENTITY_OBLIGATION:
                json_string (j, "id", e->id);
                break;
              case MOA_ENTITY_GROUP:
                {
                  const MoaTargetGroup *g = moa_procedure_get_target_group (p, e->id);
                  json_string (j, "id", e->id);
                  json_string (j, "kind", g ? moa_target_kind_to_string (g->kind) : NULL);
                }
                break;
              case MOA_ENTITY_SEGMENT:
                json_string (j, "id", e->id);
                json_string (j, "target_group", r.target_group);
                break;
              default:
                json_string (j, "obligation", r.obligation);
                json_string (j, "node", e->id);
                json_string (j, "segment", r.segment);
                json_string (j, "target_group", r.target_group);
                break;
            }
          json_entity_stats (j, sim, i);
          json_close (j, '}');
        }
      json_close (j, ']');
    }
  json_close (j, '}');
}

/* The CSV header of moa_format_simulations(). */
static void
sim_csv_begin (GString *out)
{
  g_string_append (out, "procedure,level,id,obligation,target_group,segment,quantity,"
                        "unit," CSV_STAT_COLUMNS ",confidence,iterations,precision,seed,"
                        "generator,currency,price_year" CSV_EOL);
}

/* moa_format_simulations:
 * Appends @n two-level simulations to @out: per procedure a heading, the run and one table per
 * quantity (burden, cost and hours per year, one-off burden when there is any), with rows for
 * the totals, obligations, target groups (segments below them) and activities; or CSV with one
 * row per procedure, entity and quantity; or one JSON document (docs/json-output.md). Labels
 * and titles follow @options as in moa_format_results(). */
void
moa_format_simulations (GString *out, MoaSimulation *const *simulations, guint n, MoaFormat format,
                        const MoaFormatOptions *options)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (simulations != NULL || n == 0);

  static const OutputKind kind = {
    .table_one = sim_table_one,
    .table_note = N_ ("Point estimate: every parameter at its expected "
                      "value, as \"moa evaluate\" computes it. Mean, "
                      "s.d. and percentiles: over the iterations, each "
                      "drawing every uncertain parameter from its "
                      "distribution; P5-P95 is the range of the "
                      "burden. CI: the confidence interval of the mean, "
                      "i.e. the Monte Carlo error only. Money is "
                      "rounded to whole units and hours to the tenth; "
                      "CSV and JSON keep full precision."),
    .csv_begin = sim_csv_begin,
    .csv_one = sim_csv_one,
    .json_mode = "two-level",
    .json_items = "procedures",
    .json_one = sim_json_one,
  };
  format_items (out, &kind, simulations, n, format, options);
}

/* --- Per-case simulation ------------------------------------------------------------------ */

/* The level of the confidence intervals moa_simulate_cases() computes (moa-cases.c). */
#define CASES_CONFIDENCE 0.95

static const char *
case_group_id (const MoaProcedure *p, const MoaCaseStats *x)
{
  const MoaTargetGroup *g = x->segment ? moa_procedure_get_segment_group (p, x->segment) : NULL;
  return g ? g->id : NULL;
}

/* "6 h", "1.50 h": the threshold. Returns a new string. */
static char *
hours_text (const Ctx *c, double hours)
{
  g_autofree char *number = moa_format_number (hours, count_decimals (hours), c->localized);
  return g_strconcat (number, " h", NULL);
}

static void
cases_table_quantity (GString *out, const Ctx *c, const MoaProcedure *p, const GArray *stats,
                      int which, const char *title, double threshold)
{
  section_title (out, title);
  g_autoptr (Table) t = table_new (which == 0 ? 12 : 11);
  table_header (t, T (c, N_ ("Obligation")), FALSE);
  table_header (t, T (c, N_ ("Segment")), FALSE);
  stat_headers (t, c, T (c, N_ ("Analytic mean")), CASES_CONFIDENCE);
  g_autofree char *above_label = NULL;
  if (which == 0)
    {
      g_autofree char *limit = hours_text (c, threshold);
      /* TRANSLATORS: column header: share of cases whose hours exceed %s (e.g. "6 h") */
      above_label = g_strdup_printf (T (c, N_ ("Above %s")), limit);
      table_header (t, above_label, TRUE);
    }
  const char *last_obligation = NULL;
  for (guint i = 0; i < stats->len; i++)
    {
      const MoaCaseStats *x = &g_array_index (stats, MoaCaseStats, i);
      const MoaStat *s = which == 0 ? &x->hours : which == 1 ? &x->cost : &x->burden;
      gboolean same
          = last_obligation && x->obligation && strcmp (last_obligation, x->obligation) == 0;
      last_obligation = x->obligation;
      table_row (t);
      table_cell (t, same ? "" : x->obligation);
      table_cell (t, x->segment);
      stat_cells (t, c, s, 2);
      if (which == 0)
        table_take (t, percent_text_fixed (c, x->share_above));
    }
  table_render (t, out, 2);
}

static void
cases_table_one (GString *out, const Ctx *c, gconstpointer data, guint i)
{
  const CasesInput *in = data;
  const MoaPlan *plan = in->plans[i];
  const MoaCaseSimulation *sim = in->simulations[i];
  MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  const GArray *stats = moa_case_simulation_get_stats (sim);
  double threshold = moa_case_simulation_get_threshold (sim);
  guint n_cases = 0;
  for (guint i = 0; i < stats->len; i++)
    n_cases = MAX (n_cases, g_array_index (stats, MoaCaseStats, i).n);

  procedure_heading (out, c, p, moa_plan_get_model ((MoaPlan *)plan));
  g_autofree char *n_text = count_text (c, n_cases);
  g_autofree char *level = percent_text (c, CASES_CONFIDENCE);
  /* TRANSLATORS: simulated cases, seed, random generator, confidence level (e.g. "95 %") */
  g_string_append_printf (out,
                          T (c, N_ ("Per-case simulation: %s cases for each obligation and "
                                    "segment, seed %llu, generator %s; confidence intervals of "
                                    "the mean at %s")),
                          n_text, (unsigned long long)moa_case_simulation_get_seed (sim),
                          moa_random_generator_name (), level);
  g_string_append_c (out, '\n');
  if (stats->len == 0)
    {
      g_string_append_printf (out, "  %s\n", T (c, N_ ("No obligation has addressees.")));
      return;
    }

  const char *symbol = currency_symbol (p);
  g_autofree char *cost = g_strdup_printf (T (c, N_ ("Cost %s/case")), symbol);
  g_autofree char *burden = g_strdup_printf (T (c, N_ ("Burden %s/case")), symbol);
  cases_table_quantity (out, c, p, stats, 0, T (c, N_ ("Hours/case (the addressee's own time)")),
                        threshold);
  gboolean same = TRUE;
  for (guint i = 0; i < stats->len; i++)
    {
      const MoaCaseStats *x = &g_array_index (stats, MoaCaseStats, i);
      same &= memcmp (&x->cost, &x->burden, sizeof x->cost) == 0;
    }
  cases_table_quantity (out, c, p, stats, 1, cost, threshold);
  if (same)
    {
      section_title (out, burden);
      g_string_append_printf (out, "  %s\n",
                              T (c, N_ ("The same as the cost: no activity has a "
                                        "business-as-usual share.")));
    }
  else
    cases_table_quantity (out, c, p, stats, 2, burden, threshold);
}

static void
cases_csv_one (GString *out, gconstpointer data, guint i)
{
  const CasesInput *in = data;
  const MoaPlan *plan = in->plans[i];
  const MoaCaseSimulation *sim = in->simulations[i];
  const MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  const GArray *stats = moa_case_simulation_get_stats (sim);
  static const char *const quantities[] = { "hours", "cost", "burden" };
  for (guint i = 0; i < stats->len; i++)
    {
      const MoaCaseStats *x = &g_array_index (stats, MoaCaseStats, i);
      const MoaStat *s[] = { &x->hours, &x->cost, &x->burden };
      for (gsize q = 0; q < G_N_ELEMENTS (s); q++)
        {
          const char *texts[] = { p->id,      x->obligation, case_group_id (p, x),
                                  x->segment, quantities[q], q == 0 ? "h" : currency_code (p) };
          for (gsize k = 0; k < G_N_ELEMENTS (texts); k++)
            {
              if (k > 0)
                g_string_append_c (out, ',');
              moa_lang_csv_text (out, texts[k]);
            }
          csv_stat (out, s[q]);
          g_string_append_c (out, ',');
          if (q == 0)
            moa_lang_csv_number (out, x->share_above);
          g_string_append_c (out, ',');
          moa_lang_csv_number (out, moa_case_simulation_get_threshold (sim));
          g_string_append_printf (out, ",%u,", x->n);
          moa_lang_csv_number (out, CASES_CONFIDENCE);
          g_string_append_printf (out, ",%llu,",
                                  (unsigned long long)moa_case_simulation_get_seed (sim));
          moa_lang_csv_text (out, moa_random_generator_name ());
          g_string_append_c (out, ',');
          moa_lang_csv_text (out, currency_code (p));
          g_string_append_printf (out, ",%d" CSV_EOL, p->price_year);
        }
    }
}

static void
cases_json_one (Json *j, gconstpointer data, guint i)
{
  const CasesInput *in = data;
  const MoaPlan *plan = in->plans[i];
  const MoaCaseSimulation *sim = in->simulations[i];
  const MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  const GArray *stats = moa_case_simulation_get_stats (sim);
  guint n_cases = 0;
  for (guint i = 0; i < stats->len; i++)
    n_cases = MAX (n_cases, g_array_index (stats, MoaCaseStats, i).n);

  json_open (j, NULL, '{', FALSE);
  json_procedure_members (j, p, moa_plan_get_model ((MoaPlan *)plan));
  json_open (j, "simulation", '{', FALSE);
  json_uint64 (j, "seed", moa_case_simulation_get_seed (sim));
  json_string (j, "generator", moa_random_generator_name ());
  json_int (j, "cases", (int)n_cases);
  json_number (j, "threshold_hours", moa_case_simulation_get_threshold (sim));
  json_number (j, "confidence", CASES_CONFIDENCE);
  json_close (j, '}');
  json_open (j, "cases", '[', FALSE);
  for (guint i = 0; i < stats->len; i++)
    {
      const MoaCaseStats *x = &g_array_index (stats, MoaCaseStats, i);
      json_open (j, NULL, '{', FALSE);
      json_string (j, "obligation", x->obligation);
      json_string (j, "segment", x->segment);
      json_string (j, "target_group", case_group_id (p, x));
      json_int (j, "n", (int)x->n);
      json_stat (j, "hours", &x->hours);
      json_stat (j, "cost", &x->cost);
      json_stat (j, "burden", &x->burden);
      json_number (j, "share_above_threshold", x->share_above);
      json_close (j, '}');
    }
  json_close (j, ']');
  json_close (j, '}');
}

/* The CSV header of moa_format_case_simulations(). */
static void
cases_csv_begin (GString *out)
{
  g_string_append (out, "procedure,obligation,target_group,segment,quantity,unit," CSV_STAT_COLUMNS
                        ",share_above,threshold_hours,cases,confidence,seed,generator,"
                        "currency,price_year" CSV_EOL);
}

/* moa_format_case_simulations:
 * Appends @n per-case simulations to @out: per procedure a heading, the run and one table per
 * quantity (hours, cost, burden per case) with a row per obligation and addressee segment, the
 * hours' table with the share of cases above the threshold; or CSV with one row per procedure,
 * obligation, segment and quantity; or one JSON document (docs/json-output.md). */
void
moa_format_case_simulations (GString *out, const MoaPlan *const *plans,
                             MoaCaseSimulation *const *simulations, guint n, MoaFormat format,
                             const MoaFormatOptions *options)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail ((plans != NULL && simulations != NULL) || n == 0);

  static const OutputKind kind = {
    .table_one = cases_table_one,
    .table_note = N_ ("Each simulated case follows one path through "
                      "the workflow (branches drawn with their "
                      "probabilities, loops repeated) with times and "
                      "amounts drawn at each execution. Analytic mean: "
                      "the exact expected value per case, which the "
                      "mean matches within the Monte Carlo error. "
                      "P5-P95: the range of one applicant's burden. The "
                      "administration's activities are not counted."),
    .csv_begin = cases_csv_begin,
    .csv_one = cases_csv_one,
    .json_mode = "per-case",
    .json_items = "procedures",
    .json_one = cases_json_one,
  };
  CasesInput input = { plans, simulations };
  format_items (out, &kind, &input, n, format, options);
}

/* --- Sensitivity -------------------------------------------------------------------------- */

/* The base unit of a parameter as CSV and JSON write it: "h", "EUR", "EUR/h", "share", or
 * NULL for a count. Returns a new string or NULL. */
static char *
param_unit (const MoaProcedure *p, const MoaValue *v)
{
  switch (v ? v->dim : MOA_DIM_COUNT)
    {
      case MOA_DIM_TIME:
        return g_strdup ("h");
      case MOA_DIM_MONEY:
        return g_strdup (currency_code (p));
      case MOA_DIM_RATE:
        return g_strconcat (currency_code (p), "/h", NULL);
      case MOA_DIM_FRACTION:
        return g_strdup ("share");
      case MOA_DIM_COUNT:
      default:
        return NULL;
    }
}

/* The unit as the table shows it (translated "share"). */
static char *
param_unit_label (const Ctx *c, const MoaProcedure *p, const MoaValue *v)
{
  if (v && v->dim == MOA_DIM_FRACTION)
    /* TRANSLATORS: unit of a probability or share between 0 and 1 */
    return g_strdup (T (c, N_ ("share")));
  return param_unit (p, v);
}

/* Decimals to show values of @v's dimension: hours and shares to 4, money to 2, counts as
 * needed. */
static int
param_decimals (const MoaValue *v, const MoaSensitivity *row)
{
  switch (v ? v->dim : MOA_DIM_COUNT)
    {
      case MOA_DIM_TIME:
      case MOA_DIM_FRACTION:
        return 4;
      case MOA_DIM_MONEY:
      case MOA_DIM_RATE:
        return 2;
      default:
        return MAX (count_decimals (row->value),
                    MAX (count_decimals (row->low_value), count_decimals (row->high_value)));
    }
}

/* The total burden per year of @plan at the expected values (NAN when it cannot be
 * evaluated). */
static double
plan_total_burden (const MoaPlan *plan)
{
  g_autoptr (MoaResult) result = moa_plan_evaluate (plan, NULL, NULL);
  return result ? result->total.recurring.burden : NAN;
}

static guint
rows_shown (const GArray *rows, guint top)
{
  return top > 0 && top < rows->len ? top : rows->len;
}

static void
sens_table_one (GString *out, const Ctx *c, gconstpointer data, guint i)
{
  const SensitivityInput *in = data;
  const MoaPlan *plan = in->plans[i];
  const GArray *rows = in->rankings[i];
  guint top = in->top;
  MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  const char *symbol = currency_symbol (p);
  procedure_heading (out, c, p, moa_plan_get_model ((MoaPlan *)plan));
  g_autofree char *total = moa_format_number (plan_total_burden (plan), 2, c->localized);
  /* TRANSLATORS: the total burden, then the currency symbol */
  g_string_append_printf (out, T (c, N_ ("Burden per year at the expected values: %s %s")), total,
                          symbol);
  g_string_append_c (out, '\n');

  guint shown = rows_shown (rows, top);
  g_autofree char *count = count_text (c, rows->len);
  if (shown < rows->len)
    {
      g_autofree char *shown_text = count_text (c, shown);
      /* TRANSLATORS: rows shown, then the number of parameters */
      g_string_append_printf (out,
                              T (c, N_ ("Sensitivity of the burden per year: the first %s of %s "
                                        "parameters, ranked by swing")),
                              shown_text, count);
    }
  else
    /* TRANSLATORS: %s is the number of parameters */
    g_string_append_printf (out,
                            T (c, N_ ("Sensitivity of the burden per year: %s parameters, ranked "
                                      "by swing")),
                            count);
  g_string_append_c (out, '\n');
  if (rows->len == 0)
    return;
  /* TRANSLATORS: %s is the currency symbol */
  g_string_append_printf (out,
                          T (c, N_ ("Derivative in %s/year per unit of the parameter; burden at "
                                    "low and high and swing in %s/year.")),
                          symbol, symbol);
  g_string_append_c (out, '\n');

  g_autoptr (Table) t = table_new (11);
  table_header (t, "#", TRUE);
  table_header (t, T (c, N_ ("Parameter")), FALSE);
  table_header (t, T (c, N_ ("Unit")), FALSE);
  table_header (t, T (c, N_ ("Value")), TRUE);
  table_header (t, T (c, N_ ("Low")), TRUE);
  table_header (t, T (c, N_ ("High")), TRUE);
  table_header (t, T (c, N_ ("Elasticity")), TRUE);
  table_header (t, T (c, N_ ("Derivative")), TRUE);
  table_header (t, T (c, N_ ("Burden at low")), TRUE);
  table_header (t, T (c, N_ ("Burden at high")), TRUE);
  table_header (t, T (c, N_ ("Swing")), TRUE);
  for (guint i = 0; i < shown; i++)
    {
      const MoaSensitivity *r = &g_array_index (rows, MoaSensitivity, i);
      const MoaValue *v = moa_plan_get_param (plan, r->param);
      int decimals = param_decimals (v, r);
      table_row (t);
      table_take (t, g_strdup_printf ("%u", i + 1));
      table_cell (t, r->key);
      table_take (t, param_unit_label (c, p, v));
      table_number (t, c, r->value, decimals);
      table_number (t, c, r->low_value, decimals);
      table_number (t, c, r->high_value, decimals);
      table_number (t, c, r->elasticity, 4);
      table_number (t, c, r->derivative, 2);
      table_number (t, c, r->low_total, 0);
      table_number (t, c, r->high_total, 0);
      table_number (t, c, r->swing, 0);
    }
  table_render (t, out, 2);
}

static void
sens_csv_one (GString *out, gconstpointer data, guint i)
{
  const SensitivityInput *in = data;
  const MoaPlan *plan = in->plans[i];
  const GArray *rows = in->rankings[i];
  guint top = in->top;
  const MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  double total = plan_total_burden (plan);
  guint shown = rows_shown (rows, top);
  for (guint i = 0; i < shown; i++)
    {
      const MoaSensitivity *r = &g_array_index (rows, MoaSensitivity, i);
      const MoaValue *v = moa_plan_get_param (plan, r->param);
      g_autofree char *unit = param_unit (p, v);
      g_autofree char *written = v ? moa_value_to_string (v) : NULL;
      moa_lang_csv_text (out, p->id);
      g_string_append_printf (out, ",%u,", i + 1);
      moa_lang_csv_text (out, r->key);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, v ? moa_dimension_name (v->dim) : NULL);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, unit);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, written);
      g_string_append_printf (out, ",%s", v && moa_value_is_uncertain (v) ? "true" : "false");
      const double x[] = { r->value,     r->low_value,  r->high_value, r->derivative, r->elasticity,
                           r->low_total, r->high_total, r->swing,      total };
      for (gsize k = 0; k < G_N_ELEMENTS (x); k++)
        {
          g_string_append_c (out, ',');
          moa_lang_csv_number (out, x[k]);
        }
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, currency_code (p));
      g_string_append_printf (out, ",%d" CSV_EOL, p->price_year);
    }
}

static void
sens_json_one (Json *j, gconstpointer data, guint i)
{
  const SensitivityInput *in = data;
  const MoaPlan *plan = in->plans[i];
  const GArray *rows = in->rankings[i];
  guint top = in->top;
  const MoaProcedure *p = moa_plan_get_procedure ((MoaPlan *)plan);
  guint shown = rows_shown (rows, top);
  json_open (j, NULL, '{', FALSE);
  json_procedure_members (j, p, moa_plan_get_model ((MoaPlan *)plan));
  json_number (j, "total_burden", plan_total_burden (plan));
  json_int (j, "n_parameters", (int)rows->len);
  json_open (j, "parameters", '[', FALSE);
  for (guint i = 0; i < shown; i++)
    {
      const MoaSensitivity *r = &g_array_index (rows, MoaSensitivity, i);
      const MoaValue *v = moa_plan_get_param (plan, r->param);
      g_autofree char *unit = param_unit (p, v);
      g_autofree char *written = v ? moa_value_to_string (v) : NULL;
      json_open (j, NULL, '{', FALSE);
      json_int (j, "rank", (int)i + 1);
      json_string (j, "key", r->key);
      json_string (j, "dimension", v ? moa_dimension_name (v->dim) : NULL);
      json_string (j, "unit", unit);
      json_string (j, "distribution", written);
      json_bool (j, "uncertain", v && moa_value_is_uncertain (v));
      json_number (j, "value", r->value);
      json_number (j, "low_value", r->low_value);
      json_number (j, "high_value", r->high_value);
      json_number (j, "derivative", r->derivative);
      json_number (j, "elasticity", r->elasticity);
      json_number (j, "low_total", r->low_total);
      json_number (j, "high_total", r->high_total);
      json_number (j, "swing", r->swing);
      json_close (j, '}');
    }
  json_close (j, ']');
  json_close (j, '}');
}

/* The CSV header of moa_format_sensitivities(). */
static void
sens_csv_begin (GString *out)
{
  g_string_append (out, "procedure,rank,key,dimension,unit,distribution,uncertain,value,"
                        "low_value,high_value,derivative,elasticity,low_total,high_total,"
                        "swing,total_burden,currency,price_year" CSV_EOL);
}

/* moa_format_sensitivities:
 * Appends @n sensitivity rankings to @out: per procedure a heading, the burden per year at the
 * expected values and a ranked table (parameter key, unit, value, low and high value,
 * elasticity, derivative, burden at low and high, swing: the data of a tornado chart); or CSV
 * with one row per procedure and parameter; or one JSON document (docs/json-output.md). @top > 0
 * keeps the first @top parameters of each procedure. */
void
moa_format_sensitivities (GString *out, const MoaPlan *const *plans, GArray *const *rankings,
                          guint n, guint top, MoaFormat format, const MoaFormatOptions *options)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail ((plans != NULL && rankings != NULL) || n == 0);

  static const OutputKind kind = {
    .table_one = sens_table_one,
    .table_note = N_ ("Value: the parameter's expected value; low and "
                      "high: its P5 and P95 (minimum and maximum for "
                      "bounded distributions). Elasticity: the change "
                      "of the burden per year, in per cent, for a 1 per "
                      "cent change of the parameter. Derivative: the change of the "
                      "burden per year per unit of the parameter. "
                      "Burden at low/high: with this parameter at its "
                      "low/high value and every other at its expected "
                      "value; swing: their difference, the bar of a "
                      "tornado chart."),
    .csv_begin = sens_csv_begin,
    .csv_one = sens_csv_one,
    .json_mode = NULL,
    .json_items = "procedures",
    .json_one = sens_json_one,
  };
  SensitivityInput input = { plans, rankings, top };
  format_items (out, &kind, &input, n, format, options);
}

/* ------------------------------------------------------------------------------------------ */
/* Comparisons: a baseline and its simplified version (moa compare)                          */

/* What happened to an entity between the two procedures. */
typedef enum
{
  CHANGE_UNCHANGED,
  CHANGE_CHANGED,
  CHANGE_REMOVED, /* only in the baseline */
  CHANGE_ADDED,   /* only in the after procedure */
} ChangeKind;

static const char *const change_names[] = { "unchanged", "changed", "removed", "added" };

/* TRUE when @a and @b are the same figure up to rounding noise. */
static gboolean
same_figure (double a, double b)
{
  return fabs (a - b) <= 1e-9 * MAX (1.0, MAX (fabs (a), fabs (b)));
}

/* TRUE when the entity exists in @p: the totals always do. */
static gboolean
entity_exists (const MoaProcedure *p, const MoaEntitySaving *e)
{
  const MoaObligation *o;
  switch (e->kind)
    {
      case MOA_ENTITY_OBLIGATION:
        return moa_procedure_get_obligation (p, e->id) != NULL;
      case MOA_ENTITY_GROUP:
        return moa_procedure_get_target_group (p, e->id) != NULL;
      case MOA_ENTITY_SEGMENT:
        return moa_procedure_get_segment (p, e->id) != NULL;
      case MOA_ENTITY_ACTIVITY:
        o = e->obligation ? moa_procedure_get_obligation (p, e->obligation) : NULL;
        return o != NULL && moa_obligation_get_node (o, e->id) != NULL
               && (e->segment == NULL || moa_procedure_get_segment (p, e->segment) != NULL);
      default:
        return TRUE;
    }
}

/* An entity's figures as the comparison shows them: the recurring ones per year, except for
 * an obligation with recurrence="one-off" and its activities, whose one-off totals are shown
 * instead (MoaEntitySaving holds their recurring figures, zero). */
typedef struct
{
  MoaFigures before, after;
  double saving;         /* before.burden - after.burden */
  double saving_percent; /* of before.burden; 0 when it is 0 */
  gboolean one_off;
  ChangeKind change;
} EntityView;

static gboolean
entity_one_off (const MoaComparison *cmp, const MoaEntitySaving *e);

/* The one-off total figures of a one-off obligation or activity in @result (zero when absent). */
static MoaFigures
one_off_figures (const MoaResult *result, const MoaEntitySaving *e)
{
  const MoaFigures zero = { 0 };
  if (e->kind == MOA_ENTITY_OBLIGATION)
    {
      const MoaTotal *x = moa_result_get_obligation (result, e->id);
      return x ? x->one_off : zero;
    }
  const MoaActivityResult *a
      = e->obligation && e->segment
            ? moa_result_get_activity (result, e->obligation, e->id, e->segment)
            : NULL;
  return a ? a->per_year : zero;
}

static void
entity_view (const MoaComparison *cmp, const MoaEntitySaving *e, EntityView *v)
{
  v->one_off = entity_one_off (cmp, e);
  if (v->one_off)
    {
      v->before = one_off_figures (moa_comparison_get_before (cmp), e);
      v->after = one_off_figures (moa_comparison_get_after (cmp), e);
    }
  else
    {
      v->before = e->before;
      v->after = e->after;
    }
  v->saving = v->before.burden - v->after.burden;
  v->saving_percent = v->before.burden != 0 ? 100 * v->saving / v->before.burden : 0;

  const MoaProcedure *before = moa_comparison_get_before (cmp)->procedure;
  const MoaProcedure *after = moa_comparison_get_after (cmp)->procedure;
  gboolean in_before = entity_exists (before, e), in_after = entity_exists (after, e);
  v->change = CHANGE_UNCHANGED;
  if (in_before && !in_after)
    v->change = CHANGE_REMOVED;
  else if (!in_before && in_after)
    v->change = CHANGE_ADDED;
  else
    for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
      if (!same_figure (MOA_FIGURES_ARRAY (&v->before)[i], MOA_FIGURES_ARRAY (&v->after)[i]))
        {
          v->change = CHANGE_CHANGED;
          break;
        }
}

/* The procedure an entity is described by: the after one for added entities, else the
 * baseline. */
static const MoaProcedure *
entity_procedure (const MoaComparison *cmp, const MoaEntitySaving *e)
{
  const MoaProcedure *before = moa_comparison_get_before (cmp)->procedure;
  return entity_exists (before, e) ? before : moa_comparison_get_after (cmp)->procedure;
}

/* The title of an obligation, group, segment or activity, or "". */
static const char *
entity_title (const Ctx *c, const MoaProcedure *p, const MoaEntitySaving *e)
{
  const MoaObligation *o;
  const MoaNode *node;
  const MoaTargetGroup *g;
  const MoaSegment *s;
  switch (e->kind)
    {
      case MOA_ENTITY_OBLIGATION:
        o = moa_procedure_get_obligation (p, e->id);
        return o ? title_of (c, &o->title, o->id) : "";
      case MOA_ENTITY_GROUP:
        g = moa_procedure_get_target_group (p, e->id);
        return g ? title_of (c, &g->title, g->id) : "";
      case MOA_ENTITY_SEGMENT:
        s = moa_procedure_get_segment (p, e->id);
        return s ? title_of (c, &s->title, s->id) : "";
      case MOA_ENTITY_ACTIVITY:
        o = e->obligation ? moa_procedure_get_obligation (p, e->obligation) : NULL;
        node = o ? moa_obligation_get_node (o, e->id) : NULL;
        return node ? title_of (c, &node->title, node->id) : "";
      default:
        return "";
    }
}

/* TRUE when the entity belongs to a one-off obligation (its figures are totals). */
static gboolean
entity_one_off (const MoaComparison *cmp, const MoaEntitySaving *e)
{
  const char *oid = e->kind == MOA_ENTITY_OBLIGATION ? e->id
                    : e->kind == MOA_ENTITY_ACTIVITY ? e->obligation
                                                     : NULL;
  if (oid == NULL)
    return FALSE;
  const MoaObligation *o = moa_procedure_get_obligation (entity_procedure (cmp, e), oid);
  return o != NULL && o->one_off;
}

/* The saving of a total kind (procedure, citizens, businesses, administration), or NULL. */
static const MoaEntitySaving *
comparison_total (const MoaComparison *cmp, MoaEntityKind kind)
{
  GArray *entities = moa_comparison_get_entities (cmp);
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      if (e->kind == kind)
        return e;
    }
  return NULL;
}

/* "87.5 %" with one decimal, or "–" when there was nothing before. Returns a new string. */
static char *
saving_percent_text (const Ctx *c, double before, double percent)
{
  if (before == 0 || !isfinite (percent))
    return g_strdup ("–");
  return percent_text_fixed (c, percent / 100);
}

/* The number of decimals of a pay-back period: 2 below ten years, else 1. */
static char *
years_text (const Ctx *c, double years)
{
  return moa_format_number (years, years < 10 ? 2 : 1, c->localized);
}

/* The scenario's baseline chain for the heading: "b, then a" for a scenario a based on b.
 * Returns a new string, or NULL when the scenario has no parent. */
static char *
parent_chain_text (const MoaScenario *scenario)
{
  const MoaScenario *parent = moa_scenario_get_parent (scenario);
  if (parent == NULL)
    return NULL;
  GPtrArray *ids = g_ptr_array_new ();
  for (const MoaScenario *s = parent; s; s = moa_scenario_get_parent (s))
    g_ptr_array_insert (ids, 0, (gpointer)moa_scenario_get_id (s));
  g_ptr_array_add (ids, NULL);
  char *text = g_strjoinv (", ", (char **)ids->pdata);
  g_ptr_array_free (ids, TRUE);
  return text;
}

static void
cmp_heading (GString *out, const Ctx *c, const MoaComparison *cmp)
{
  const MoaResult *before = moa_comparison_get_before (cmp);
  const MoaResult *after = moa_comparison_get_after (cmp);
  const MoaScenario *scenario = moa_comparison_get_scenario (cmp);
  const MoaProcedure *p = before->procedure;

  g_string_append_printf (out, T (c, N_ ("Procedure %s: %s")), p->id,
                          title_of (c, &p->title, p->id));
  g_string_append_c (out, '\n');
  if (scenario)
    {
      /* TRANSLATORS: heading of a comparison: the scenario id, its title, then its file */
      g_string_append_printf (
          out, T (c, N_ ("Scenario %s: %s (%s)")), moa_scenario_get_id (scenario),
          title_of (c, moa_scenario_get_title (scenario), moa_scenario_get_id (scenario)),
          moa_scenario_get_file (scenario));
      g_string_append_c (out, '\n');
      g_autofree char *chain = parent_chain_text (scenario);
      if (chain)
        {
          /* TRANSLATORS: %s lists the scenarios this one is based on, e.g. "a, b" */
          g_string_append_printf (out,
                                  T (c, N_ ("Before: the procedure with the measures of %s "
                                            "already applied")),
                                  chain);
          g_string_append_c (out, '\n');
        }
    }
  else
    {
      /* TRANSLATORS: the comparison is with a complete procedure file, %s */
      g_string_append_printf (out,
                              T (c, N_ ("After: the procedure in %s, compared element by "
                                        "element (no attribution per measure)")),
                              after->procedure->file ? after->procedure->file
                                                     : after->procedure->id);
      g_string_append_c (out, '\n');
    }
  const MoaCostModel *m = before->model;
  g_string_append_printf (out, T (c, N_ ("Cost model: %s %s; amounts in %s, %d prices")), m->id,
                          m->version ? m->version : "", currency_code (p), p->price_year);
  g_string_append_c (out, '\n');
}

/* One row of the summary: before, after, saving, saving %. */
static void
cmp_summary_row (Table *t, const Ctx *c, const char *label, double before, double after)
{
  table_row (t);
  table_cell (t, label);
  table_number (t, c, before, 2);
  table_number (t, c, after, 2);
  table_number (t, c, before - after, 2);
  table_take (t,
              saving_percent_text (c, before, before != 0 ? 100 * (before - after) / before : 0));
}

static void
cmp_table_summary (GString *out, const Ctx *c, const MoaComparison *cmp)
{
  const MoaProcedure *p = moa_comparison_get_before (cmp)->procedure;
  const MoaEntitySaving *total = comparison_total (cmp, MOA_ENTITY_TOTAL);
  const MoaEntitySaving *citizens = comparison_total (cmp, MOA_ENTITY_CITIZENS);
  const MoaEntitySaving *businesses = comparison_total (cmp, MOA_ENTITY_BUSINESSES);
  const MoaEntitySaving *administration = comparison_total (cmp, MOA_ENTITY_ADMINISTRATION);
  const char *symbol = currency_symbol (p);

  section_title (out, T (c, N_ ("Saving per year")));
  g_autoptr (Table) t = table_new (5);
  table_header (t, "", FALSE);
  table_header (t, T (c, N_ ("Before")), TRUE);
  table_header (t, T (c, N_ ("After")), TRUE);
  table_header (t, T (c, N_ ("Saving")), TRUE);
  table_header (t, T (c, N_ ("Saving %")), TRUE);
  g_autofree char *burden
      = g_strdup_printf (T (c, N_ ("Burden %s/year (citizens + businesses)")), symbol);
  g_autofree char *citizens_money = g_strdup_printf (T (c, N_ ("Citizens %s/year")), symbol);
  g_autofree char *businesses_money = g_strdup_printf (T (c, N_ ("Businesses %s/year")), symbol);
  g_autofree char *administration_money
      = g_strdup_printf (T (c, N_ ("Administration %s/year (reported apart)")), symbol);
  /* the total always; citizens, businesses and the administration when not zero on both
   * sides */
  if (total)
    cmp_summary_row (t, c, burden, total->before.burden, total->after.burden);
  if (citizens && (citizens->before.hours != 0 || citizens->after.hours != 0))
    cmp_summary_row (t, c, T (c, N_ ("Citizens' hours/year")), citizens->before.hours,
                     citizens->after.hours);
  if (citizens && (citizens->before.burden != 0 || citizens->after.burden != 0))
    cmp_summary_row (t, c, citizens_money, citizens->before.burden, citizens->after.burden);
  if (businesses && (businesses->before.burden != 0 || businesses->after.burden != 0))
    cmp_summary_row (t, c, businesses_money, businesses->before.burden, businesses->after.burden);
  if (administration && (administration->before.burden != 0 || administration->after.burden != 0))
    cmp_summary_row (t, c, administration_money, administration->before.burden,
                     administration->after.burden);
  table_render (t, out, 2);

  const MoaCostModel *m = moa_comparison_get_before (cmp)->model;
  if (!m->citizen_time_monetised && citizens && citizens->before.hours != 0)
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("Citizens' time is not monetised by this cost model: their "
                                      "hours are reported beside the euros, not in them.")));

  /* the one-off cost of the change, apart */
  double one_off = moa_comparison_get_one_off (cmp);
  double per_year = moa_comparison_get_one_off_per_year (cmp);
  double payback = moa_comparison_get_payback_years (cmp);
  const MoaScenario *scenario = moa_comparison_get_scenario (cmp);
  double years = scenario ? moa_scenario_get_one_off_years (scenario) : 10;
  double saving = total ? total->saving : 0;
  g_autofree char *years_n = moa_format_number (years, count_decimals (years), c->localized);
  section_title (out, T (c, N_ ("One-off cost of the change")));
  if (one_off == 0)
    g_string_append_printf (out, "  %s\n", T (c, N_ ("The change adds no one-off cost.")));
  else
    {
      g_autofree char *total_text = moa_format_number (fabs (one_off), 2, c->localized);
      g_autofree char *per_year_text = moa_format_number (fabs (per_year), 2, c->localized);
      g_string_append (out, "  ");
      if (one_off > 0)
        /* TRANSLATORS: the one-off total, currency symbol, the amount per year, currency
         * symbol, the number of years, e.g. "915,400.00 € in total, i.e. 91,540.00 €/year
         * over 10 years (not discounted)" */
        g_string_append_printf (out,
                                T (c, N_ ("The change costs %s %s once, i.e. %s %s/year over %s "
                                          "years (not discounted).")),
                                total_text, symbol, per_year_text, symbol, years_n);
      else
        /* TRANSLATORS: as "The change costs …", for a change that removes one-off costs */
        g_string_append_printf (out,
                                T (c, N_ ("The change saves %s %s of one-off costs, i.e. %s "
                                          "%s/year over %s years (not discounted).")),
                                total_text, symbol, per_year_text, symbol, years_n);
      g_string_append_c (out, '\n');
      g_autofree char *net = moa_format_number (saving - per_year, 2, c->localized);
      /* TRANSLATORS: the yearly saving less the annualised one-off cost, currency symbol */
      g_string_append_printf (out,
                              T (c, N_ ("  Net saving per year, the one-off cost annualised: %s "
                                        "%s/year.")),
                              net, symbol);
      g_string_append_c (out, '\n');
      if (one_off > 0 && isfinite (payback))
        {
          g_autofree char *payback_text = years_text (c, payback);
          /* TRANSLATORS: the one-off cost divided by the yearly saving, in years */
          g_string_append_printf (out,
                                  T (c, N_ ("  Pay-back period: %s years (one-off cost ÷ yearly "
                                            "saving).")),
                                  payback_text);
          g_string_append_c (out, '\n');
        }
      else if (one_off > 0)
        g_string_append_printf (out, "  %s\n",
                                T (c, N_ ("No pay-back period: the change saves nothing per "
                                          "year.")));
    }
}

/* The paired interval of the saving (with iterations). */
static void
cmp_table_interval (GString *out, const Ctx *c, const MoaComparison *cmp)
{
  const MoaStat *burden = moa_comparison_get_saving_stat (cmp);
  if (burden == NULL)
    return;
  const MoaCompareOptions *o = moa_comparison_get_options (cmp);
  const MoaStat *hours = moa_comparison_get_citizens_hours_stat (cmp);
  const MoaStat *businesses = moa_comparison_get_businesses_stat (cmp);
  const char *symbol = currency_symbol (moa_comparison_get_before (cmp)->procedure);

  section_title (out, T (c, N_ ("Interval of the saving (Monte Carlo, paired runs)")));
  g_autofree char *n_text = count_text (c, o->iterations);
  g_autofree char *level = percent_text (c, o->confidence);
  g_string_append (out, "  ");
  /* TRANSLATORS: iterations, seed, random generator, confidence level (e.g. "95 %") */
  g_string_append_printf (out,
                          T (c, N_ ("%s iterations, seed %llu, generator %s: before and after "
                                    "drawn with the same random numbers, and the statistics "
                                    "taken of the per-iteration difference; confidence "
                                    "intervals of the mean at %s.")),
                          n_text, (unsigned long long)o->seed, moa_random_generator_name (), level);
  g_string_append_c (out, '\n');

  g_autoptr (Table) t = table_new (9);
  table_header (t, "", FALSE);
  stat_headers (t, c, T (c, N_ ("Exact")), o->confidence);
  g_autofree char *burden_label = g_strdup_printf (T (c, N_ ("Burden saving %s/year")), symbol);
  g_autofree char *businesses_label
      = g_strdup_printf (T (c, N_ ("Businesses' saving %s/year")), symbol);
  table_row (t);
  table_cell (t, burden_label);
  stat_cells (t, c, burden, 0);
  if (hours && !stat_is_zero (hours))
    {
      table_row (t);
      table_cell (t, T (c, N_ ("Citizens' hours saved/year")));
      stat_cells (t, c, hours, 1);
    }
  if (businesses && !stat_is_zero (businesses))
    {
      table_row (t);
      table_cell (t, businesses_label);
      stat_cells (t, c, businesses, 0);
    }
  table_render (t, out, 2);
}

/* Savings per measure: cumulative and alone, and the note on interactions. */
static void
cmp_table_measures (GString *out, const Ctx *c, const MoaComparison *cmp)
{
  GArray *measures = moa_comparison_get_measures (cmp);
  if (measures == NULL || measures->len == 0)
    return;
  const MoaProcedure *p = moa_comparison_get_before (cmp)->procedure;
  const char *symbol = currency_symbol (p);
  const MoaEntitySaving *total = comparison_total (cmp, MOA_ENTITY_TOTAL);

  /* the citizens' hours, businesses' and one-off columns only when some measure has them */
  gboolean one_off = FALSE, hours = FALSE, firms = FALSE;
  for (guint i = 0; i < measures->len; i++)
    {
      const MoaMeasureSaving *m = &g_array_index (measures, MoaMeasureSaving, i);
      one_off |= m->one_off_added != 0;
      hours |= m->citizens_hours_cumulative != 0 || m->citizens_hours_alone != 0;
      firms |= m->businesses_cumulative != 0 || m->businesses_alone != 0;
    }

  section_title (out, T (c, N_ ("Saving per measure")));
  g_string_append_printf (out, "  %s\n",
                          T (c, N_ ("Cumulative: in the order written, each measure after the "
                                    "previous ones; alone: the measure by itself on the "
                                    "baseline.")));
  g_autoptr (Table) t = table_new (7 + (hours ? 1 : 0) + (firms ? 1 : 0) + (one_off ? 1 : 0));
  table_header (t, "#", TRUE);
  table_header (t, T (c, N_ ("Measure")), FALSE);
  table_header (t, T (c, N_ ("Type")), FALSE);
  g_autofree char *cumulative = g_strdup_printf (T (c, N_ ("Cumulative %s/year")), symbol);
  g_autofree char *alone = g_strdup_printf (T (c, N_ ("Alone %s/year")), symbol);
  g_autofree char *businesses = g_strdup_printf (T (c, N_ ("Businesses %s/year")), symbol);
  g_autofree char *one_off_header = g_strdup_printf (T (c, N_ ("One-off %s")), symbol);
  table_header (t, cumulative, TRUE);
  table_header (t, alone, TRUE);
  table_header (t, T (c, N_ ("Share")), TRUE);
  if (hours)
    table_header (t, T (c, N_ ("Citizens' hours/year")), TRUE);
  if (firms)
    table_header (t, businesses, TRUE);
  if (one_off)
    table_header (t, one_off_header, TRUE);
  table_header (t, T (c, N_ ("Title")), FALSE);

  double sum_alone = 0, sum_hours = 0, sum_businesses = 0, sum_one_off = 0;
  double saving = total ? total->saving : 0;
  for (guint i = 0; i < measures->len; i++)
    {
      const MoaMeasureSaving *m = &g_array_index (measures, MoaMeasureSaving, i);
      table_row (t);
      table_take (t, g_strdup_printf ("%u", i + 1));
      table_cell (t, m->measure->id);
      table_cell (t, moa_measure_type_to_string (m->measure->type));
      table_number (t, c, m->cumulative, 2);
      table_number (t, c, m->alone, 2);
      table_take (t, saving != 0 ? percent_text_fixed (c, m->cumulative / saving) : g_strdup ("–"));
      if (hours)
        table_number (t, c, m->citizens_hours_cumulative, 2);
      if (firms)
        table_number (t, c, m->businesses_cumulative, 2);
      if (one_off)
        table_number (t, c, m->one_off_added, 2);
      table_cell (t, title_of (c, &m->measure->title, m->measure->id));
      sum_alone += m->alone;
      sum_hours += m->citizens_hours_cumulative;
      sum_businesses += m->businesses_cumulative;
      sum_one_off += m->one_off_added;
    }
  table_row (t);
  table_cell (t, "");
  table_cell (t, T (c, N_ ("Total")));
  table_cell (t, "");
  table_number (t, c, saving, 2);
  table_number (t, c, sum_alone, 2);
  table_take (t, saving != 0 ? percent_text_fixed (c, 1) : g_strdup ("–"));
  if (hours)
    table_number (t, c, sum_hours, 2);
  if (firms)
    table_number (t, c, sum_businesses, 2);
  if (one_off)
    table_number (t, c, sum_one_off, 2);
  table_cell (t, "");
  table_render (t, out, 2);
  if (hours || firms)
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("Share: of the total saving. Citizens' hours and "
                                      "businesses' euros: cumulative savings.")));
  else
    g_string_append_printf (out, "  %s\n", T (c, N_ ("Share: of the total saving.")));

  double interaction = moa_comparison_get_interaction (cmp);
  if (!isfinite (interaction))
    {
      g_string_append_printf (out, "  %s\n",
                              T (c, N_ ("A measure changes what an earlier measure adds, so it "
                                        "cannot be applied alone (—): only the cumulative "
                                        "savings, which add up to the total, are defined.")));
      return;
    }
  g_autofree char *interaction_text = moa_format_number (interaction, 2, c->localized);
  g_autofree char *zero = moa_format_number (0, 2, c->localized);
  if (strcmp (interaction_text, zero) != 0 && strcmp (interaction_text + 1, zero) != 0)
    {
      g_autofree char *sum_text = moa_format_number (sum_alone, 2, c->localized);
      g_autofree char *saving_text = moa_format_number (saving, 2, c->localized);
      g_string_append (out, "  ");
      /* TRANSLATORS: the sum of the savings of the measures alone, currency symbol, the total
       * saving, currency symbol, their difference, currency symbol */
      g_string_append_printf (out,
                              T (c, N_ ("The measures interact: alone they would save %s "
                                        "%s/year in all, together they save %s %s/year "
                                        "(difference %s %s/year). The cumulative savings "
                                        "depend on the order of the measures; they add up to "
                                        "the total.")),
                              sum_text, symbol, saving_text, symbol, interaction_text, symbol);
      g_string_append_c (out, '\n');
    }
  else
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("The measures do not interact: the savings of each alone "
                                      "add up to the total.")));
}

/* The label of an entity's row in the tables of savings. */
static char *
cmp_entity_label (const MoaEntitySaving *e, gboolean show_segment)
{
  switch (e->kind)
    {
      case MOA_ENTITY_SEGMENT:
        return g_strconcat ("  ", e->id, NULL);
      case MOA_ENTITY_ACTIVITY:
        if (show_segment && e->segment)
          return g_strdup_printf ("%s/%s @%s", e->obligation ? e->obligation : "", e->id,
                                  e->segment);
        return g_strdup_printf ("%s/%s", e->obligation ? e->obligation : "", e->id);
      default:
        return g_strdup (e->id);
    }
}

static const char *
change_label (const Ctx *c, ChangeKind change)
{
  switch (change)
    {
      case CHANGE_REMOVED:
        /* TRANSLATORS: an element of the baseline that the change removes */
        return T (c, N_ ("removed"));
      case CHANGE_ADDED:
        /* TRANSLATORS: an element that only the changed procedure has */
        return T (c, N_ ("added"));
      default:
        return "";
    }
}

/* The group whose burden an activity row is when it is not its addressee segment's group
 * (e.g. the office that examines the application), or NULL. */
static const MoaTargetGroup *
activity_other_payer (const MoaComparison *cmp, const MoaEntitySaving *e)
{
  if (e->kind != MOA_ENTITY_ACTIVITY || e->obligation == NULL || e->segment == NULL)
    return NULL;
  const MoaResult *results[] = { moa_comparison_get_before (cmp), moa_comparison_get_after (cmp) };
  for (gsize i = 0; i < G_N_ELEMENTS (results); i++)
    {
      const MoaActivityResult *a
          = moa_result_get_activity (results[i], e->obligation, e->id, e->segment);
      if (a == NULL)
        continue;
      const MoaTargetGroup *group
          = moa_procedure_get_segment_group (results[i]->procedure, e->segment);
      return a->payer != NULL && a->payer != group ? a->payer : NULL;
    }
  return NULL;
}

typedef struct
{
  const Ctx *c;
  const MoaComparison *cmp;
  Table *t;
  gboolean show_segment;
  gboolean show_change;
  gboolean show_payer;
  guint rows;
  guint left_out;
  gboolean one_off; /* a row of a one-off obligation was shown */
} CmpTable;

/* Adds the row of @e unless it is unchanged. */
static void
cmp_entity_row (CmpTable *s, const MoaEntitySaving *e)
{
  EntityView v;
  entity_view (s->cmp, e, &v);
  if (v.change == CHANGE_UNCHANGED)
    {
      s->left_out++;
      return;
    }
  const Ctx *c = s->c;
  s->one_off |= v.one_off;
  g_autofree char *label = cmp_entity_label (e, s->show_segment);
  table_row (s->t);
  table_take (s->t, g_strconcat (label, v.one_off ? " *" : "", NULL));
  table_number (s->t, c, v.before.burden, 2);
  table_number (s->t, c, v.after.burden, 2);
  table_number (s->t, c, v.saving, 2);
  table_take (s->t, saving_percent_text (c, v.before.burden, v.saving_percent));
  table_number (s->t, c, v.before.hours - v.after.hours, 2);
  if (s->show_payer)
    {
      const MoaTargetGroup *payer = activity_other_payer (s->cmp, e);
      table_cell (s->t, payer ? payer->id : "");
    }
  if (s->show_change)
    table_cell (s->t, change_label (c, v.change));
  table_cell (s->t, entity_title (c, entity_procedure (s->cmp, e), e));
  s->rows++;
}

/* One table of savings for the entities of @kind (groups with their explicit segments below
 * them). Nothing when no entity of that kind changed. */
static void
cmp_table_entities (GString *out, const Ctx *c, const MoaComparison *cmp, MoaEntityKind kind,
                    const char *title, const char *first_header, guint *left_out, gboolean *one_off)
{
  GArray *entities = moa_comparison_get_entities (cmp);
  const MoaProcedure *before = moa_comparison_get_before (cmp)->procedure;
  const MoaProcedure *after = moa_comparison_get_after (cmp)->procedure;
  const char *symbol = currency_symbol (before);

  /* activity labels name their segment when some obligation has several addressee segments;
   * the change column appears when some row was removed or added */
  gboolean show_segment = FALSE, show_change = FALSE, show_payer = FALSE;
  g_autoptr (GHashTable) first_segment = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      if (e->kind != kind && !(kind == MOA_ENTITY_GROUP && e->kind == MOA_ENTITY_SEGMENT))
        continue;
      EntityView v;
      entity_view (cmp, e, &v);
      if (v.change == CHANGE_UNCHANGED)
        continue;
      show_change |= v.change == CHANGE_REMOVED || v.change == CHANGE_ADDED;
      show_payer |= activity_other_payer (cmp, e) != NULL;
      if (e->kind == MOA_ENTITY_ACTIVITY && e->obligation && e->segment)
        {
          const char *seen = g_hash_table_lookup (first_segment, e->obligation);
          if (seen == NULL)
            g_hash_table_insert (first_segment, e->obligation, e->segment);
          else if (strcmp (seen, e->segment) != 0)
            show_segment = TRUE;
        }
    }

  g_autoptr (Table) t = table_new (7 + (show_change ? 1 : 0) + (show_payer ? 1 : 0));
  g_autofree char *before_header = g_strdup_printf (T (c, N_ ("Before %s/year")), symbol);
  g_autofree char *after_header = g_strdup_printf (T (c, N_ ("After %s/year")), symbol);
  g_autofree char *saving_header = g_strdup_printf (T (c, N_ ("Saving %s/year")), symbol);
  table_header (t, first_header, FALSE);
  table_header (t, before_header, TRUE);
  table_header (t, after_header, TRUE);
  table_header (t, saving_header, TRUE);
  table_header (t, T (c, N_ ("Saving %")), TRUE);
  table_header (t, T (c, N_ ("Hours saved/year")), TRUE);
  if (show_payer)
    table_header (t, T (c, N_ ("Borne by")), FALSE);
  if (show_change)
    table_header (t, T (c, N_ ("Change")), FALSE);
  table_header (t, T (c, N_ ("Title")), FALSE);

  CmpTable s = { .c = c,
                 .cmp = cmp,
                 .t = t,
                 .show_segment = show_segment,
                 .show_change = show_change,
                 .show_payer = show_payer };
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      if (e->kind != kind)
        continue;
      cmp_entity_row (&s, e);
      if (kind != MOA_ENTITY_GROUP)
        continue;
      /* the group's explicit segments below it, whether or not the group changed */
      for (guint j = 0; j < entities->len; j++)
        {
          const MoaEntitySaving *se = &g_array_index (entities, MoaEntitySaving, j);
          if (se->kind != MOA_ENTITY_SEGMENT)
            continue;
          const MoaProcedure *sp = moa_procedure_get_segment (before, se->id) ? before : after;
          const MoaSegment *seg = moa_procedure_get_segment (sp, se->id);
          const MoaTargetGroup *g = moa_procedure_get_segment_group (sp, se->id);
          if (seg == NULL || seg->implicit || g == NULL || strcmp (g->id, e->id) != 0)
            continue;
          cmp_entity_row (&s, se);
        }
    }
  *left_out += s.left_out;
  *one_off |= s.one_off;
  if (s.rows == 0)
    return;
  section_title (out, title);
  table_render (t, out, 2);
}

static void
cmp_table_one (GString *out, const Ctx *c, gconstpointer data, guint i)
{
  const MoaComparison *cmp = ((MoaComparison *const *)data)[i];
  cmp_heading (out, c, cmp);
  cmp_table_summary (out, c, cmp);
  cmp_table_interval (out, c, cmp);
  cmp_table_measures (out, c, cmp);

  guint left_out = 0;
  gboolean one_off = FALSE;
  cmp_table_entities (out, c, cmp, MOA_ENTITY_OBLIGATION, T (c, N_ ("Information obligations")),
                      T (c, N_ ("Obligation")), &left_out, &one_off);
  cmp_table_entities (out, c, cmp, MOA_ENTITY_GROUP, T (c, N_ ("Target groups")),
                      T (c, N_ ("Group / segment")), &left_out, &one_off);
  cmp_table_entities (out, c, cmp, MOA_ENTITY_ACTIVITY, T (c, N_ ("Activities")),
                      T (c, N_ ("Obligation/activity")), &left_out, &one_off);
  if (one_off)
    g_string_append_printf (out, "  %s\n",
                            T (c, N_ ("* one-off: the figures are totals, not per year")));
  if (left_out > 0)
    {
      g_autofree char *n = count_text (c, left_out);
      /* TRANSLATORS: %s is a number of rows */
      g_string_append_printf (out,
                              T (c, N_ ("  Rows the change leaves as they were are left out "
                                        "(%s).")),
                              n);
      g_string_append_c (out, '\n');
    }
}

/* --- Comparisons: CSV ---------------------------------------------------------------------- */

#define CMP_CSV_HEADER                                                                             \
  "procedure,scenario,level,id,obligation,target_group,segment,status,recurrence,before_hours,"    \
  "after_hours,hours_saved,before_burden,after_burden,saving,saving_percent,measure_type,"         \
  "cumulative,alone,citizens_hours_cumulative,citizens_hours_alone,businesses_cumulative,"         \
  "businesses_alone,one_off_added,one_off_years,one_off_per_year,payback_years,interval_of,"       \
  "mean,sd,p5,p50,p95,ci_low,ci_high,confidence,iterations,seed,generator,currency,price_year"

/* The fields of one CSV row of a comparison; NAN numbers and NULL texts are empty. */
typedef struct
{
  const char *level, *id, *obligation, *target_group, *segment, *status, *recurrence;
  double before_hours, after_hours, hours_saved, before_burden, after_burden, saving,
      saving_percent;
  const char *measure_type;
  double cumulative, alone, citizens_hours_cumulative, citizens_hours_alone, businesses_cumulative,
      businesses_alone, one_off_added, one_off_years, one_off_per_year, payback_years;
  const char *interval_of;
  const MoaStat *stat;
} CmpCsvRow;

static void
cmp_csv_row_init (CmpCsvRow *r)
{
  memset (r, 0, sizeof *r);
  double *numbers[] = { &r->before_hours,
                        &r->after_hours,
                        &r->hours_saved,
                        &r->before_burden,
                        &r->after_burden,
                        &r->saving,
                        &r->saving_percent,
                        &r->cumulative,
                        &r->alone,
                        &r->citizens_hours_cumulative,
                        &r->citizens_hours_alone,
                        &r->businesses_cumulative,
                        &r->businesses_alone,
                        &r->one_off_added,
                        &r->one_off_years,
                        &r->one_off_per_year,
                        &r->payback_years };
  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    *numbers[i] = NAN;
}

static void
cmp_csv_row (GString *out, const MoaComparison *cmp, const CmpCsvRow *r)
{
  const MoaProcedure *p = moa_comparison_get_before (cmp)->procedure;
  const MoaScenario *scenario = moa_comparison_get_scenario (cmp);
  const MoaCompareOptions *o = moa_comparison_get_options (cmp);
  gboolean simulated = moa_comparison_get_saving_stat (cmp) != NULL;

  const char *texts[] = { p->id,         scenario ? moa_scenario_get_id (scenario) : NULL,
                          r->level,      r->id,
                          r->obligation, r->target_group,
                          r->segment,    r->status,
                          r->recurrence };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      moa_lang_csv_text (out, texts[i]);
    }
  const double before[] = { r->before_hours, r->after_hours, r->hours_saved,   r->before_burden,
                            r->after_burden, r->saving,      r->saving_percent };
  for (gsize i = 0; i < G_N_ELEMENTS (before); i++)
    {
      g_string_append_c (out, ',');
      moa_lang_csv_number (out, before[i]);
    }
  g_string_append_c (out, ',');
  moa_lang_csv_text (out, r->measure_type);
  const double after[] = { r->cumulative,
                           r->alone,
                           r->citizens_hours_cumulative,
                           r->citizens_hours_alone,
                           r->businesses_cumulative,
                           r->businesses_alone,
                           r->one_off_added,
                           r->one_off_years,
                           r->one_off_per_year,
                           r->payback_years };
  for (gsize i = 0; i < G_N_ELEMENTS (after); i++)
    {
      g_string_append_c (out, ',');
      moa_lang_csv_number (out, after[i]);
    }
  g_string_append_c (out, ',');
  moa_lang_csv_text (out, r->interval_of);
  if (r->stat)
    {
      const MoaStat *s = r->stat;
      const double x[] = { s->mean, s->sd, s->p5, s->p50, s->p95, s->ci_low, s->ci_high };
      for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
        {
          g_string_append_c (out, ',');
          moa_lang_csv_number (out, x[i]);
        }
    }
  else
    g_string_append (out, ",,,,,,,");
  g_string_append_c (out, ',');
  if (simulated)
    {
      moa_lang_csv_number (out, o->confidence);
      g_string_append_printf (out, ",%u,%llu,", o->iterations, (unsigned long long)o->seed);
      moa_lang_csv_text (out, moa_random_generator_name ());
    }
  else
    g_string_append (out, ",,");
  g_string_append_c (out, ',');
  moa_lang_csv_text (out, currency_code (p));
  g_string_append_printf (out, ",%d" CSV_EOL, p->price_year);
}

static const char *
entity_level (MoaEntityKind kind)
{
  switch (kind)
    {
      case MOA_ENTITY_TOTAL:
        return "procedure";
      case MOA_ENTITY_CITIZENS:
        return "citizens";
      case MOA_ENTITY_BUSINESSES:
        return "businesses";
      case MOA_ENTITY_ADMINISTRATION:
        return "administration";
      case MOA_ENTITY_OBLIGATION:
        return "obligation";
      case MOA_ENTITY_GROUP:
        return "target_group";
      case MOA_ENTITY_SEGMENT:
        return "segment";
      case MOA_ENTITY_ACTIVITY:
        return "activity";
      default:
        g_return_val_if_reached (NULL);
    }
}

/* The target group of a segment id, looked up in the baseline then in the after procedure. */
static const char *
cmp_segment_group (const MoaComparison *cmp, const char *segment)
{
  if (segment == NULL)
    return NULL;
  const MoaTargetGroup *g
      = moa_procedure_get_segment_group (moa_comparison_get_before (cmp)->procedure, segment);
  if (g == NULL)
    g = moa_procedure_get_segment_group (moa_comparison_get_after (cmp)->procedure, segment);
  return g ? g->id : NULL;
}

static void
cmp_csv_one (GString *out, gconstpointer data, guint i)
{
  const MoaComparison *cmp = ((MoaComparison *const *)data)[i];
  const MoaProcedure *p = moa_comparison_get_before (cmp)->procedure;
  const MoaResult *before = moa_comparison_get_before (cmp);
  const MoaResult *after = moa_comparison_get_after (cmp);
  GArray *entities = moa_comparison_get_entities (cmp);
  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      CmpCsvRow r;
      cmp_csv_row_init (&r);
      r.level = entity_level (e->kind);
      r.id = e->id;
      switch (e->kind)
        {
          case MOA_ENTITY_OBLIGATION:
            r.obligation = e->id;
            break;
          case MOA_ENTITY_GROUP:
            r.target_group = e->id;
            break;
          case MOA_ENTITY_SEGMENT:
            r.target_group = cmp_segment_group (cmp, e->id);
            r.segment = e->id;
            break;
          case MOA_ENTITY_ACTIVITY:
            r.obligation = e->obligation;
            r.target_group = cmp_segment_group (cmp, e->segment);
            r.segment = e->segment;
            break;
          default:
            r.id = p->id;
            break;
        }
      EntityView v;
      entity_view (cmp, e, &v);
      r.status = change_names[v.change];
      r.recurrence = v.one_off ? "one-off" : "recurring";
      r.before_hours = v.before.hours;
      r.after_hours = v.after.hours;
      r.hours_saved = v.before.hours - v.after.hours;
      r.before_burden = v.before.burden;
      r.after_burden = v.after.burden;
      r.saving = v.saving;
      r.saving_percent = v.saving_percent;
      if (e->kind == MOA_ENTITY_TOTAL)
        {
          r.interval_of = moa_comparison_get_saving_stat (cmp) ? "saving" : NULL;
          r.stat = moa_comparison_get_saving_stat (cmp);
        }
      else if (e->kind == MOA_ENTITY_CITIZENS && moa_comparison_get_citizens_hours_stat (cmp))
        {
          r.interval_of = "hours_saved";
          r.stat = moa_comparison_get_citizens_hours_stat (cmp);
        }
      else if (e->kind == MOA_ENTITY_BUSINESSES && moa_comparison_get_businesses_stat (cmp))
        {
          r.interval_of = "saving";
          r.stat = moa_comparison_get_businesses_stat (cmp);
        }
      cmp_csv_row (out, cmp, &r);

      if (e->kind != MOA_ENTITY_TOTAL)
        continue;
      /* the one-off cost of the change, right after the procedure's row */
      const MoaScenario *scenario = moa_comparison_get_scenario (cmp);
      CmpCsvRow o;
      cmp_csv_row_init (&o);
      o.level = "one_off";
      o.id = p->id;
      o.recurrence = "one-off";
      o.before_hours = before->total.one_off.hours;
      o.after_hours = after->total.one_off.hours;
      o.hours_saved = o.before_hours - o.after_hours;
      o.before_burden = before->total.one_off.burden;
      o.after_burden = after->total.one_off.burden;
      o.saving = o.before_burden - o.after_burden;
      o.saving_percent = o.before_burden != 0 ? 100 * o.saving / o.before_burden : 0;
      o.one_off_added = moa_comparison_get_one_off (cmp);
      o.one_off_years = scenario ? moa_scenario_get_one_off_years (scenario) : 10;
      o.one_off_per_year = moa_comparison_get_one_off_per_year (cmp);
      o.payback_years = moa_comparison_get_payback_years (cmp);
      cmp_csv_row (out, cmp, &o);
    }

  GArray *measures = moa_comparison_get_measures (cmp);
  for (guint i = 0; measures && i < measures->len; i++)
    {
      const MoaMeasureSaving *m = &g_array_index (measures, MoaMeasureSaving, i);
      CmpCsvRow r;
      cmp_csv_row_init (&r);
      r.level = "measure";
      r.id = m->measure->id;
      r.measure_type = moa_measure_type_to_string (m->measure->type);
      r.cumulative = m->cumulative;
      r.alone = m->alone;
      r.citizens_hours_cumulative = m->citizens_hours_cumulative;
      r.citizens_hours_alone = m->citizens_hours_alone;
      r.businesses_cumulative = m->businesses_cumulative;
      r.businesses_alone = m->businesses_alone;
      r.one_off_added = m->one_off_added;
      cmp_csv_row (out, cmp, &r);
    }
}

/* --- Comparisons: JSON --------------------------------------------------------------------- */

/* {"before", "after", "saving", "saving_percent"} of one figure. */
static void
json_before_after (Json *j, const char *key, double before, double after)
{
  json_open (j, key, '{', TRUE);
  json_number (j, "before", before);
  json_number (j, "after", after);
  json_number (j, "saving", before - after);
  json_number (j, "saving_percent", before != 0 ? 100 * (before - after) / before : 0);
  json_close (j, '}');
}

/* The object of one entity's saving, as the member @key (NULL inside an array). */
static void
cmp_json_entity (Json *j, const char *key, const MoaComparison *cmp, const MoaEntitySaving *e)
{
  json_open (j, key, '{', FALSE);
  switch (e->kind)
    {
      case MOA_ENTITY_GROUP:
        {
          const MoaTargetGroup *g
              = moa_procedure_get_target_group (entity_procedure (cmp, e), e->id);
          json_string (j, "id", e->id);
          json_string (j, "kind", g ? moa_target_kind_to_string (g->kind) : NULL);
        }
        break;
      case MOA_ENTITY_SEGMENT:
        json_string (j, "id", e->id);
        json_string (j, "target_group", cmp_segment_group (cmp, e->id));
        break;
      case MOA_ENTITY_ACTIVITY:
        json_string (j, "obligation", e->obligation);
        json_string (j, "node", e->id);
        json_string (j, "segment", e->segment);
        json_string (j, "target_group", cmp_segment_group (cmp, e->segment));
        break;
      default:
        json_string (j, "id", e->id);
        break;
    }
  EntityView v;
  entity_view (cmp, e, &v);
  json_string (j, "status", change_names[v.change]);
  json_string (j, "recurrence", v.one_off ? "one-off" : "recurring");
  json_figures (j, "before", &v.before);
  json_figures (j, "after", &v.after);
  json_number (j, "saving", v.saving);
  json_number (j, "saving_percent", v.saving_percent);
  json_number (j, "hours_saved", v.before.hours - v.after.hours);
  json_close (j, '}');
}

static void
cmp_json_one (Json *j, gconstpointer data, guint i)
{
  const MoaComparison *cmp = ((MoaComparison *const *)data)[i];
  const MoaResult *before = moa_comparison_get_before (cmp);
  const MoaResult *after = moa_comparison_get_after (cmp);
  const MoaProcedure *p = before->procedure;
  const MoaScenario *scenario = moa_comparison_get_scenario (cmp);
  const MoaCompareOptions *o = moa_comparison_get_options (cmp);

  json_open (j, NULL, '{', FALSE);
  json_procedure_members (j, p, before->model);
  /* the procedure a scenario makes has no file of its own */
  json_string (j, "after_file", scenario ? NULL : after->procedure->file);
  if (scenario)
    {
      json_open (j, "scenario", '{', FALSE);
      json_string (j, "id", moa_scenario_get_id (scenario));
      json_title (j, "title", moa_scenario_get_title (scenario));
      json_string (j, "file", moa_scenario_get_file (scenario));
      json_open (j, "based_on", '[', TRUE);
      g_autoptr (GPtrArray) chain = g_ptr_array_new ();
      for (const MoaScenario *s = moa_scenario_get_parent (scenario); s;
           s = moa_scenario_get_parent (s))
        g_ptr_array_insert (chain, 0, (gpointer)moa_scenario_get_id (s));
      for (guint i = 0; i < chain->len; i++)
        json_string (j, NULL, g_ptr_array_index (chain, i));
      json_close (j, ']');
      json_number (j, "one_off_years", moa_scenario_get_one_off_years (scenario));
      json_close (j, '}');
    }
  else
    json_string (j, "scenario", NULL);

  const MoaEntitySaving *total = comparison_total (cmp, MOA_ENTITY_TOTAL);
  const MoaEntitySaving *citizens = comparison_total (cmp, MOA_ENTITY_CITIZENS);
  const MoaEntitySaving *businesses = comparison_total (cmp, MOA_ENTITY_BUSINESSES);
  const MoaEntitySaving *administration = comparison_total (cmp, MOA_ENTITY_ADMINISTRATION);
  const MoaFigures zero = { 0 };
  json_open (j, "summary", '{', FALSE);
  json_before_after (j, "burden", total ? total->before.burden : 0,
                     total ? total->after.burden : 0);
  json_before_after (j, "citizens_hours", citizens ? citizens->before.hours : 0,
                     citizens ? citizens->after.hours : 0);
  json_before_after (j, "citizens_burden", citizens ? citizens->before.burden : 0,
                     citizens ? citizens->after.burden : 0);
  json_before_after (j, "businesses_burden", businesses ? businesses->before.burden : 0,
                     businesses ? businesses->after.burden : 0);
  json_before_after (j, "administration_burden",
                     (administration ? &administration->before : &zero)->burden,
                     (administration ? &administration->after : &zero)->burden);
  json_close (j, '}');

  double payback = moa_comparison_get_payback_years (cmp);
  json_open (j, "one_off", '{', FALSE);
  json_number (j, "before", before->total.one_off.burden);
  json_number (j, "after", after->total.one_off.burden);
  json_number (j, "added", moa_comparison_get_one_off (cmp));
  json_number (j, "years", scenario ? moa_scenario_get_one_off_years (scenario) : 10);
  json_number (j, "per_year", moa_comparison_get_one_off_per_year (cmp));
  json_number (j, "net_saving_per_year",
               (total ? total->saving : 0) - moa_comparison_get_one_off_per_year (cmp));
  if (isfinite (payback))
    json_number (j, "payback_years", payback);
  else
    json_string (j, "payback_years", NULL);
  json_close (j, '}');

  const MoaStat *saving_stat = moa_comparison_get_saving_stat (cmp);
  if (saving_stat)
    {
      json_open (j, "interval", '{', FALSE);
      json_uint64 (j, "seed", o->seed);
      json_string (j, "generator", moa_random_generator_name ());
      json_int (j, "iterations", (int)o->iterations);
      json_number (j, "confidence", o->confidence);
      json_stat (j, "saving", saving_stat);
      const MoaStat *hours = moa_comparison_get_citizens_hours_stat (cmp);
      const MoaStat *firms = moa_comparison_get_businesses_stat (cmp);
      if (hours)
        json_stat (j, "citizens_hours_saved", hours);
      if (firms)
        json_stat (j, "businesses_saving", firms);
      json_close (j, '}');
    }
  else
    json_string (j, "interval", NULL);

  GArray *measures = moa_comparison_get_measures (cmp);
  json_open (j, "measures", '[', FALSE);
  for (guint i = 0; measures && i < measures->len; i++)
    {
      const MoaMeasureSaving *m = &g_array_index (measures, MoaMeasureSaving, i);
      json_open (j, NULL, '{', FALSE);
      json_int (j, "rank", (int)i + 1);
      json_string (j, "id", m->measure->id);
      json_string (j, "type", moa_measure_type_to_string (m->measure->type));
      json_title (j, "title", &m->measure->title);
      json_string (j, "justification", m->measure->justification);
      json_string (j, "source", m->measure->source);
      json_int (j, "line", m->measure->line);
      json_number (j, "cumulative", m->cumulative);
      json_number (j, "alone", m->alone);
      json_number (j, "citizens_hours_cumulative", m->citizens_hours_cumulative);
      json_number (j, "citizens_hours_alone", m->citizens_hours_alone);
      json_number (j, "businesses_cumulative", m->businesses_cumulative);
      json_number (j, "businesses_alone", m->businesses_alone);
      json_number (j, "one_off_added", m->one_off_added);
      json_close (j, '}');
    }
  json_close (j, ']');
  if (scenario)
    json_number (j, "interaction", moa_comparison_get_interaction (cmp));
  else
    json_string (j, "interaction", NULL);

  static const struct
  {
    MoaEntityKind kind;
    const char *key;
  } lists[] = {
    { MOA_ENTITY_TOTAL, "total" },
    { MOA_ENTITY_CITIZENS, "citizens" },
    { MOA_ENTITY_BUSINESSES, "businesses" },
    { MOA_ENTITY_ADMINISTRATION, "administration" },
    { MOA_ENTITY_OBLIGATION, "obligations" },
    { MOA_ENTITY_GROUP, "target_groups" },
    { MOA_ENTITY_SEGMENT, "segments" },
    { MOA_ENTITY_ACTIVITY, "activities" },
  };
  GArray *entities = moa_comparison_get_entities (cmp);
  for (gsize k = 0; k < G_N_ELEMENTS (lists); k++)
    {
      gboolean single = k < 4;
      if (!single)
        json_open (j, lists[k].key, '[', FALSE);
      for (guint i = 0; i < entities->len; i++)
        {
          const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
          if (e->kind != lists[k].kind)
            continue;
          cmp_json_entity (j, single ? lists[k].key : NULL, cmp, e);
          if (single)
            break;
        }
      if (!single)
        json_close (j, ']');
    }
  json_close (j, '}');
}

/* The CSV header of moa_format_comparisons(). */
static void
cmp_csv_begin (GString *out)
{
  g_string_append (out, CMP_CSV_HEADER CSV_EOL);
}

/* moa_format_comparisons:
 * Appends @n comparisons (moa_compare()) to @out in @format. The table, for people: per
 * comparison a heading (procedure, scenario, cost model, currency and price year), the saving
 * per year (burden, citizens' hours and euros, businesses' euros: before, after, saving, %), the
 * one-off cost of the change with its yearly share and pay-back period, the paired interval of
 * the saving when simulated, the saving per measure (cumulative and alone, with a note when the
 * measures interact) and the obligations, target groups and activities the change affects.
 * CSV: one row per entity and per measure; JSON: one document (docs/json-output.md). */
void
moa_format_comparisons (GString *out, MoaComparison *const *comparisons, guint n, MoaFormat format,
                        const MoaFormatOptions *options)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (comparisons != NULL || n == 0);

  static const OutputKind kind = {
    .table_one = cmp_table_one,
    .table_note = N_ ("Saving = before − after, per year at the "
                      "expected values (moa evaluate); a negative "
                      "saving is an added burden. Money is rounded to "
                      "the cent for display; CSV and JSON keep full "
                      "precision."),
    .csv_begin = cmp_csv_begin,
    .csv_one = cmp_csv_one,
    .json_mode = "comparison",
    .json_items = "comparisons",
    .json_one = cmp_json_one,
  };
  format_items (out, &kind, comparisons, n, format, options);
}
