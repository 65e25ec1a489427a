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

/* RFC 4180 ends every record with CR LF. */
#define CSV_EOL "\r\n"

/* ------------------------------------------------------------------------------------------ */
/* Numbers                                                                                    */

/* Writes @x with the shortest "%.Ng" that reads back to the same double; integers below 2^53
 * are written without exponent, so that 1000 cases read "1000", not "1e+03". @buf holds at
 * least G_ASCII_DTOSTR_BUF_SIZE bytes. The caller handles non-finite values. */
static const char *
format_shortest (char *buf, gsize len, double x)
{
  g_assert (isfinite (x));
  if (x == 0)
    return strcpy (buf, "0"); /* also for -0 */
  if (fabs (x) < 9007199254740992.0 && x == floor (x))
    return g_ascii_formatd (buf, len, "%.0f", x);
  for (int precision = 1; precision <= 17; precision++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
      g_ascii_formatd (buf, len, fmt, x);
      if (g_ascii_strtod (buf, NULL) == x)
        break;
    }
  return buf;
}

/* The separators of the current LC_NUMERIC locale when @localized, else "." and ",". A locale
 * that defines no thousands separator (C, POSIX) still gets one, so that big figures stay
 * readable: "," or, where "," is the decimal point, ".". */
static void
get_separators (gboolean localized, const char **decimal_point, const char **thousands_sep,
                const char **grouping)
{
  *decimal_point = ".";
  *thousands_sep = ",";
  *grouping = "\3";
  if (!localized)
    return;

  const struct lconv *lc = localeconv ();
  if (lc->decimal_point && *lc->decimal_point && g_utf8_validate (lc->decimal_point, -1, NULL))
    *decimal_point = lc->decimal_point;
  if (lc->thousands_sep && *lc->thousands_sep && g_utf8_validate (lc->thousands_sep, -1, NULL)
      && strcmp (lc->thousands_sep, *decimal_point) != 0)
    {
      *thousands_sep = lc->thousands_sep;
      if (lc->grouping && *lc->grouping)
        *grouping = lc->grouping;
    }
  else
    *thousands_sep = strcmp (*decimal_point, ",") == 0 ? "." : ",";
}

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

  if (isnan (x))
    return g_strdup ("nan");
  if (isinf (x))
    return g_strdup (x > 0 ? "inf" : "-inf");

  /* 309 integer digits at most, a point, 17 decimals, a sign */
  char buf[400];
  char fmt[8];
  /* Displayed amounts round half away from zero (148.125 EUR shows as 148.13), as people
   * round money; printf would round an exact binary half to even. Only for display. */
  double scale = pow (10.0, decimals);
  if (fabs (x) * scale < 4503599627370496.0) /* 2^52: x * scale is still exact enough */
    x = round (x * scale) / scale;
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, x);

  const char *digits = buf;
  gboolean negative = FALSE;
  if (*digits == '-')
    {
      negative = TRUE;
      digits++;
    }
  const char *point = strchr (digits, '.');
  gsize n_int = point ? (gsize)(point - digits) : strlen (digits);
  if (negative && strspn (digits, "0.") == strlen (digits))
    negative = FALSE; /* -0.001 shown with 2 decimals is 0.00, not -0.00 */

  const char *dp, *ts, *grouping;
  get_separators (localized, &dp, &ts, &grouping);

  /* Mark where separators go, walking from the units leftwards through the grouping sizes:
   * each byte is a group size, the last repeats, CHAR_MAX or a negative byte stops. */
  gboolean sep_before[sizeof buf] = { FALSE };
  gssize pos = (gssize)n_int;
  int size = 0;
  for (const char *g = grouping;;)
    {
      if (*g != '\0')
        {
          if (*g == CHAR_MAX || *g < 0)
            break;
          size = *g++;
        }
      if (size <= 0)
        break;
      pos -= size;
      if (pos <= 0)
        break;
      sep_before[pos] = TRUE;
    }

  GString *s = g_string_sized_new (n_int * 2 + decimals + 4);
  if (negative)
    g_string_append_c (s, '-');
  for (gsize i = 0; i < n_int; i++)
    {
      if (sep_before[i])
        g_string_append (s, ts);
      g_string_append_c (s, digits[i]);
    }
  if (point)
    {
      g_string_append (s, dp);
      g_string_append (s, point + 1);
    }
  return g_string_free (s, FALSE);
}

/* moa_format_from_string:
 * Parses "table", "csv" or "json" into @format. Returns FALSE, leaving @format alone, for
 * anything else. */
gboolean
moa_format_from_string (const char *s, MoaFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  static const struct
  {
    const char *name;
    MoaFormat format;
  } names[] = {
    { "table", MOA_FORMAT_TABLE },
    { "csv", MOA_FORMAT_CSV },
    { "json", MOA_FORMAT_JSON },
  };
  if (s == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (s, names[i].name) == 0)
      {
        *format = names[i].format;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Language of titles and labels                                                              */

typedef struct
{
  const char *lang;   /* "it" or "en": titles */
  gboolean english;   /* labels: the untranslated msgids */
  gboolean localized; /* table numbers */
} Ctx;

/* Labels are marked with N_() for xgettext and looked up here, so that --lang en gives English
 * labels under an Italian locale. dgettext() rather than g_dgettext(): GLib decides once per
 * process whether to translate, which would defeat the switch of LC_MESSAGES done for --lang it
 * in format_with_language(). */
static const char *
T (const Ctx *c, const char *msgid)
{
  return c->english ? msgid : dgettext (GETTEXT_PACKAGE, msgid);
}

/* TRUE when the first language gettext would use is Italian. */
static gboolean
messages_are_italian (void)
{
  const char *const *names = g_get_language_names ();
  const char *first = names[0];
  return first && first[0] == 'i' && first[1] == 't' && strchr ("_.@", first[2]) != NULL;
}

static const char *
resolve_lang (const char *lang)
{
  if (lang && (strcmp (lang, "it") == 0 || strcmp (lang, "en") == 0))
    return lang;
  return messages_are_italian () ? "it" : "en";
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
  table_take (t, moa_format_number (x, decimals, c->localized));
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
format_table_one (GString *out, const Ctx *c, const MoaResult *result)
{
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
csv_text (GString *out, const char *s)
{
  if (s == NULL)
    s = "";
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      if (*s == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

/* A number in full precision; non-finite values leave the field empty. */
static void
csv_number (GString *out, double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isfinite (x))
    g_string_append (out, format_shortest (buf, sizeof buf, x));
}

static void
csv_figures (GString *out, const MoaFigures *f)
{
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    {
      g_string_append_c (out, ',');
      if (f)
        csv_number (out, MOA_FIGURES_ARRAY ((MoaFigures *)f)[i]);
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
  csv_text (out, result->procedure->id);
  const char *texts[]
      = { r->level, r->id, r->obligation, r->target_group, r->segment, r->recurrence };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_string_append_c (out, ',');
      csv_text (out, texts[i]);
    }
  g_string_append_c (out, ',');
  if (r->has_cases)
    csv_number (out, r->cases);
  g_string_append_c (out, ',');
  if (r->has_visits)
    csv_number (out, r->visits);
  csv_figures (out, r->per_case);
  csv_figures (out, r->per_year);
  g_string_append_c (out, ',');
  csv_text (out, result->procedure->currency ? result->procedure->currency : "EUR");
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
format_csv_one (GString *out, const MoaResult *result)
{
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
  g_string_append (j->out, isfinite (x) ? format_shortest (buf, sizeof buf, x) : "null");
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
format_json_one (Json *j, const MoaResult *result)
{
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
typedef struct
{
  locale_t italian;
  locale_t previous;
} LanguageSwitch;

static void
enter_language (const Ctx *c, LanguageSwitch *sw)
{
  sw->italian = sw->previous = (locale_t)0;
  if (c->english || messages_are_italian ())
    return;
  locale_t base = duplocale (uselocale ((locale_t)0));
  if (base == (locale_t)0)
    return;
  sw->italian = newlocale (LC_MESSAGES_MASK, "it_IT.UTF-8", base);
  if (sw->italian == (locale_t)0)
    freelocale (base);
  else
    sw->previous = uselocale (sw->italian);
}

static void
leave_language (LanguageSwitch *sw)
{
  if (sw->italian == (locale_t)0)
    return;
  uselocale (sw->previous);
  freelocale (sw->italian);
  sw->italian = (locale_t)0;
}

static void
ctx_init (Ctx *c, const MoaFormatOptions *options)
{
  c->lang = resolve_lang (options ? options->lang : NULL);
  c->english = strcmp (c->lang, "en") == 0;
  c->localized = options ? options->localized_numbers : FALSE;
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

  Ctx c = { 0 };
  ctx_init (&c, options);

  switch (format)
    {
      case MOA_FORMAT_TABLE:
        {
          LanguageSwitch sw;
          enter_language (&c, &sw);
          for (guint i = 0; i < n_results; i++)
            {
              if (i > 0)
                g_string_append (out, "\n\n");
              format_table_one (out, &c, results[i]);
            }
          if (n_results > 1)
            {
              g_string_append (out, "\n");
              table_summary (out, &c, results, n_results);
            }
          leave_language (&sw);
        }
        break;

      case MOA_FORMAT_CSV:
        csv_header (out);
        for (guint i = 0; i < n_results; i++)
          format_csv_one (out, results[i]);
        break;

      case MOA_FORMAT_JSON:
        {
          Json j = { .out = out };
          json_open (&j, NULL, '{', FALSE);
          json_string (&j, "moa_version", PACKAGE_VERSION);
          json_open (&j, "procedures", '[', FALSE);
          for (guint i = 0; i < n_results; i++)
            format_json_one (&j, results[i]);
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
            csv_text (out, m->id);
            g_string_append_c (out, ',');
            csv_text (out, m->version);
            g_string_append_printf (out, ",%d,", m->price_year);
            csv_text (out, m->currency);
            g_string_append_c (out, ',');
            csv_number (out, m->overhead_rate);
            g_string_append_printf (out, ",%s,", m->citizen_time_monetised ? "true" : "false");
            if (m->citizen_time_monetised && m->citizen_rate)
              csv_number (out, m->citizen_rate->mean);
            g_string_append_printf (out, ",%u,%u,",
                                    m->standard_activities ? m->standard_activities->len : 0,
                                    m->tariffs ? m->tariffs->len : 0);
            csv_text (out, title_of (&c, &m->title, m->id));
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
