/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report as one CSV file for spreadsheets: every figure in full precision with '.' as
 * decimal point, one row per figure, a section column (layout in docs/report.md). */
#define G_LOG_DOMAIN "moa"

#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-lang.h"
#include "moa-report-private.h"

/* RFC 4180 ends every record with CR LF. */
#define CSV_EOL "\r\n"

#define CSV_HEADER                                                                                 \
  "section,procedure,scenario,key,label,quantity,unit,before,after,saving,saving_percent,p5,p95,"  \
  "value,text"

typedef struct
{
  GString *out;
  const char *lang;
  char *money_unit;   /* "EUR/year, 2024 prices" */
  char *one_off_unit; /* "EUR one-off, 2024 prices" */
} Csv;

/* One row; numbers NAN are left empty. */
typedef struct
{
  const char *section, *procedure, *scenario, *key, *label, *quantity, *unit;
  double before, after, saving, saving_percent, p5, p95, value;
  const char *text;
} Row;

#define ROW_INIT                                                                                   \
  {                                                                                                \
    .before = NAN, .after = NAN, .saving = NAN, .saving_percent = NAN, .p5 = NAN, .p95 = NAN,      \
    .value = NAN                                                                                   \
  }

static void
csv_row (Csv *c, const Row *r)
{
  GString *o = c->out;
  const char *texts[]
      = { r->section, r->procedure, r->scenario, r->key, r->label, r->quantity, r->unit };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (i > 0)
        g_string_append_c (o, ',');
      moa_lang_csv_text (o, texts[i]);
    }
  const double numbers[]
      = { r->before, r->after, r->saving, r->saving_percent, r->p5, r->p95, r->value };
  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_string_append_c (o, ',');
      moa_lang_csv_number (o, numbers[i]);
    }
  g_string_append_c (o, ',');
  moa_lang_csv_text (o, r->text);
  g_string_append (o, CSV_EOL);
}

static const char *
title_of (const Csv *c, const MoaTitle *title, const char *fallback)
{
  return moa_title_get (title, c->lang, fallback);
}

/* The four quantities of a whole, each a row with the interval of its saving; then, when
 * simulated, the intervals before, after and of the saving as rows of section "interval". */
static void
csv_totals (Csv *c, const Row *base, const MoaReportTotals *t, gboolean one_off)
{
  const struct
  {
    const char *quantity;
    gboolean hours;
    const MoaReportFigure *f;
  } q[] = {
    { "burden", FALSE, &t->burden },
    { "citizens_hours", TRUE, &t->citizens_hours },
    { "citizens_cost", FALSE, &t->citizens_cost },
    { "businesses", FALSE, &t->businesses },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (q); i++)
    {
      Row r = *base;
      r.quantity = q[i].quantity;
      r.unit = q[i].hours ? "hours/year" : c->money_unit;
      r.before = q[i].f->before;
      r.after = q[i].f->after;
      r.saving = q[i].f->saving;
      r.saving_percent = q[i].f->saving_percent;
      if (q[i].f->saving_interval.n > 0)
        {
          r.p5 = q[i].f->saving_interval.p5;
          r.p95 = q[i].f->saving_interval.p95;
        }
      csv_row (c, &r);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (q); i++)
    {
      const struct
      {
        const char *side;
        const MoaReportInterval *iv;
      } sides[] = {
        { "before", &q[i].f->before_interval },
        { "after", &q[i].f->after_interval },
        { "saving", &q[i].f->saving_interval },
      };
      for (gsize k = 0; k < G_N_ELEMENTS (sides); k++)
        {
          const MoaReportInterval *iv = sides[k].iv;
          if (iv->n == 0)
            continue;
          Row r = *base;
          r.section = "interval";
          r.quantity = q[i].quantity;
          r.unit = q[i].hours ? "hours/year" : c->money_unit;
          r.p5 = iv->p5;
          r.p95 = iv->p95;
          r.value = iv->mean;
          g_autofree char *text = g_strdup_printf ("%s n=%u", sides[k].side, iv->n);
          r.text = text;
          csv_row (c, &r);
        }
    }
  if (!one_off)
    return;
  Row r = *base;
  r.quantity = "one_off";
  r.unit = c->one_off_unit;
  r.value = t->one_off;
  csv_row (c, &r);
  r.quantity = "one_off_per_year";
  r.unit = c->money_unit;
  r.value = t->one_off_per_year;
  csv_row (c, &r);
}

static void
csv_rows (Csv *c, const char *section, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const MoaReportRow *x = g_ptr_array_index (rows, i);
      Row r = ROW_INIT;
      r.section = section;
      r.key = x->key;
      r.label = title_of (c, &x->title, x->key);
      r.text = x->kind;
      csv_totals (c, &r, &x->totals, FALSE);
    }
}

/* An obligation or activity: its burden and citizens' hours before and after. */
static void
csv_item (Csv *c, const char *section, const MoaReportItem *x, const char *key, const char *label)
{
  Row r = ROW_INIT;
  r.section = section;
  r.procedure = x->procedure_id;
  r.key = key;
  r.label = label;
  r.quantity = "burden";
  r.unit = c->money_unit;
  r.before = x->before;
  r.after = x->after;
  r.saving = x->before - x->after;
  r.saving_percent = x->before != 0 ? 100 * r.saving / x->before : 0;
  r.text = x->legal_reference;
  csv_row (c, &r);
  r.quantity = "citizens_hours";
  r.unit = "hours/year";
  r.before = x->hours_before;
  r.after = x->hours_after;
  r.saving = x->hours_before - x->hours_after;
  r.saving_percent = x->hours_before != 0 ? 100 * r.saving / x->hours_before : 0;
  csv_row (c, &r);
}

static void
csv_measure (Csv *c, const MoaReportMeasure *m)
{
  Row r = ROW_INIT;
  r.section = "measure";
  r.procedure = m->procedure_id;
  r.scenario = m->scenario_id;
  r.key = m->measure_id;
  r.label = title_of (c, &m->title, m->measure_id);
  r.text = m->type;
  const struct
  {
    const char *quantity;
    const char *unit;
    double saving;
  } q[] = {
    { "burden", c->money_unit, m->saving },
    { "burden_alone", c->money_unit, m->saving_alone },
    { "citizens_hours", "hours/year", m->citizens_hours },
    { "businesses", c->money_unit, m->businesses },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (q); i++)
    {
      r.quantity = q[i].quantity;
      r.unit = q[i].unit;
      r.saving = q[i].saving;
      csv_row (c, &r);
    }
  r.quantity = "one_off";
  r.unit = c->one_off_unit;
  r.saving = NAN;
  r.value = m->one_off;
  csv_row (c, &r);
}

/* moa_report_render_csv:
 * Appends the CSV of @report to @out: run, summary, interval, obligation_top, area,
 * target_group, territory, measure, procedure, obligation, activity, assumption and input
 * rows (docs/report.md). Labels (titles) in @lang; units in English, as codes. */
gboolean
moa_report_render_csv (const MoaReport *report, const char *lang, GString *out, GError **error)
{
  g_return_val_if_fail (report != NULL && out != NULL, FALSE);

  const char *currency = report->currency ? report->currency : "EUR";
  Csv c = {
    .out = out,
    .lang = moa_lang_resolve (lang),
    .money_unit = g_strdup_printf ("%s/year, %d prices", currency, report->price_year),
    .one_off_unit = g_strdup_printf ("%s one-off, %d prices", currency, report->price_year),
  };
  g_string_append (out, CSV_HEADER CSV_EOL);

  /* the run */
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, report->seed);
  const struct
  {
    const char *key;
    double value;
    const char *text;
  } run[] = {
    { "run_id", (double)report->run_id, NULL },
    { "status", NAN, report->finished_at ? "complete" : "unfinished" },
    { "catalog", NAN, report->catalog_id },
    { "moa_version", NAN, report->moa_version },
    { "started_at", NAN, report->started_at },
    { "finished_at", NAN, report->finished_at },
    { "seed", NAN, seed },
    { "iterations", report->iterations, NULL },
    { "cost_model", NAN, report->cost_model },
    { "cost_model_version", NAN, report->cost_model_version },
    { "price_year", report->price_year, NULL },
    { "currency", NAN, currency },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (run); i++)
    {
      Row r = ROW_INIT;
      r.section = "run";
      r.key = run[i].key;
      r.label = strcmp (run[i].key, "catalog") == 0
                    ? title_of (&c, &report->catalog_title, report->catalog_id)
                    : NULL;
      r.value = run[i].value;
      r.text = run[i].text;
      csv_row (&c, &r);
    }

  Row summary = ROW_INIT;
  summary.section = "summary";
  summary.key = "programme";
  csv_totals (&c, &summary, &report->totals, TRUE);

  for (guint i = 0; i < report->top_obligations->len; i++)
    {
      const MoaReportItem *x = g_ptr_array_index (report->top_obligations, i);
      csv_item (&c, "obligation_top", x, x->obligation_id,
                title_of (&c, &x->title, x->obligation_id));
    }
  csv_rows (&c, "area", report->by_area);
  csv_rows (&c, "target_group", report->by_group);
  csv_rows (&c, "territory", report->by_territory);
  for (guint i = 0; i < report->measures->len; i++)
    csv_measure (&c, g_ptr_array_index (report->measures, i));

  for (guint i = 0; i < report->procedures->len; i++)
    {
      const MoaReportProcedure *p = g_ptr_array_index (report->procedures, i);
      Row r = ROW_INIT;
      r.section = "procedure";
      r.procedure = p->id;
      r.scenario = p->scenario_id;
      r.key = p->id;
      r.label = title_of (&c, &p->title, p->id);
      r.text = p->area;
      csv_totals (&c, &r, &p->totals, TRUE);
      r.quantity = "cases";
      r.unit = "cases/year";
      r.value = p->cases;
      csv_row (&c, &r);
      r.quantity = "payback";
      r.unit = "years";
      r.value = p->payback_years;
      csv_row (&c, &r);

      for (guint k = 0; k < p->obligations->len; k++)
        {
          const MoaReportItem *x = g_ptr_array_index (p->obligations, k);
          csv_item (&c, "obligation", x, x->obligation_id,
                    title_of (&c, &x->title, x->obligation_id));
        }
      for (guint k = 0; k < p->activities->len; k++)
        {
          const MoaReportItem *x = g_ptr_array_index (p->activities, k);
          g_autofree char *key
              = x->segment_id
                    ? g_strdup_printf ("%s/%s/%s", x->obligation_id ? x->obligation_id : "",
                                       x->activity_id ? x->activity_id : "", x->segment_id)
                    : g_strdup_printf ("%s/%s", x->obligation_id ? x->obligation_id : "",
                                       x->activity_id ? x->activity_id : "");
          csv_item (&c, "activity", x, key, title_of (&c, &x->title, x->activity_id));
        }
    }

  for (guint i = 0; i < report->assumptions->len; i++)
    {
      const MoaReportAssumption *a = g_ptr_array_index (report->assumptions, i);
      Row r = ROW_INIT;
      r.section = "assumption";
      r.procedure = a->procedure_id;
      r.scenario = a->scenario_id;
      r.key = a->element;
      r.quantity = a->parameter;
      r.label = a->value;
      r.text = a->source;
      csv_row (&c, &r);
    }
  for (guint i = 0; i < report->inputs->len; i++)
    {
      const MoaReportInput *x = g_ptr_array_index (report->inputs, i);
      Row r = ROW_INIT;
      r.section = "input";
      r.key = x->path;
      r.quantity = x->role;
      r.text = x->sha256;
      csv_row (&c, &r);
    }

  g_free (c.money_unit);
  g_free (c.one_off_unit);
  return TRUE;
}
