/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The policymakers' savings report: what a stored run says (filled by moa_store_read_report()),
 * and its renderings as PDF, self-contained HTML with SVG charts, and CSV, in Italian or
 * English (docs/report.md). The report only shows stored figures: it computes no cost. */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "moa-procedure.h"

G_BEGIN_DECLS

/* Monte Carlo statistics of one quantity; n == 0 when the run had no iterations (then only the
 * point values are shown). */
typedef struct
{
  guint n;
  double mean, sd, p5, p50, p95;
} MoaReportInterval;

/* One quantity before and after the programme, and the saving (before - after). */
typedef struct
{
  double before;
  double after;
  double saving;
  double saving_percent; /* saving / before x 100; 0 when before is 0 */
  MoaReportInterval before_interval;
  MoaReportInterval after_interval;
  MoaReportInterval saving_interval; /* of the paired per-iteration difference */
} MoaReportFigure;

/* The figures of a whole (the programme, a procedure, an area, a target group...). Money in
 * the run's currency at its price year, per year; hours per year. */
typedef struct
{
  MoaReportFigure burden;         /* citizens + businesses */
  MoaReportFigure citizens_hours; /* hours citizens spend */
  MoaReportFigure citizens_cost;  /* citizens' euros: out of pocket, plus time when monetised */
  MoaReportFigure businesses;     /* businesses' euros */
  double one_off;                 /* one-off cost the change adds (total, not per year) */
  double one_off_per_year;        /* its yearly share over the scenarios' write-off periods */
} MoaReportTotals;

/* A row of a breakdown (by area, by target group, by territory). */
typedef struct
{
  char *key;      /* area id, target-group kind or id, territory id */
  MoaTitle title; /* what to show; for an area the key itself */
  char *kind;     /* target groups: "citizen" / "business"; territories: their kind; or NULL */
  MoaReportTotals totals;
} MoaReportRow;

/* What one measure saved (cumulative attribution, in the scenario's order). */
typedef struct
{
  char *procedure_id;
  char *scenario_id;
  char *measure_id;
  MoaTitle title;
  char *type;            /* "digitalise-submission", ... */
  double saving;         /* burden per year, cumulative attribution */
  double saving_alone;   /* NAN when the measure cannot apply alone */
  double citizens_hours; /* hours per year saved, cumulative */
  double businesses;     /* businesses' euros per year saved, cumulative */
  double one_off;        /* one-off cost it adds */
  char *justification;   /* may be NULL */
  char *source;          /* may be NULL */
} MoaReportMeasure;

/* An obligation of a procedure, or one activity of an obligation (for a segment). */
typedef struct
{
  char *procedure_id;
  char *obligation_id;
  char *activity_id; /* NULL for an obligation row */
  char *segment_id;  /* activities: the addressee segment; else NULL */
  MoaTitle title;
  char *legal_reference; /* obligations; may be NULL */
  double before;         /* burden per year */
  double after;          /* 0 when the scenario removed it */
  double hours_before;   /* citizens' hours per year */
  double hours_after;
} MoaReportItem;

/* Where an assumption's source text comes from (ADDED for the store): the element's own
 * <source>, else its obligation's, else the procedure's (a cost-model value: the model's), or
 * none of them has one. */
typedef enum
{
  MOA_REPORT_SOURCE_ELEMENT,
  MOA_REPORT_SOURCE_OBLIGATION,
  MOA_REPORT_SOURCE_PROCEDURE,
  MOA_REPORT_SOURCE_MODEL,
  MOA_REPORT_SOURCE_NONE,
} MoaReportSourceFrom;

/* A parameter as the input files give it: the register of assumptions. */
typedef struct
{
  char *procedure_id;              /* NULL for a cost-model value */
  char *scenario_id;               /* NULL for a baseline or cost-model value */
  char *element;                   /* "richiesta-certificato/accesso-anpr", "tariff citizen" ... */
  char *parameter;                 /* "time", "probability", "population", "rate", ... */
  char *value;                     /* as written: "triangular(3, 5, 15) min" */
  char *source;                    /* the element's <source> text, or NULL when it has none */
  MoaReportSourceFrom source_from; /* ADDED: whose <source> @source is (a fallback when not
                                    * MOA_REPORT_SOURCE_ELEMENT) */
} MoaReportAssumption;

/* One procedure's page. */
typedef struct
{
  char *id;
  char *file;
  MoaTitle title;
  char *area;
  char *authority;
  char *legal_basis;
  char *scenario_id; /* the programme's scenario; NULL when the procedure has none */
  MoaTitle scenario_title;
  double cases;         /* recurring cases per year */
  double payback_years; /* NAN when it never pays back or there is no one-off cost */
  MoaReportTotals totals;
  GPtrArray *obligations; /* MoaReportItem* (activity_id NULL), procedure order */
  GPtrArray *activities;  /* MoaReportItem*, procedure order */
  GPtrArray *measures;    /* MoaReportMeasure*, scenario order */
} MoaReportProcedure;

/* A file the run read, with its SHA-256. */
typedef struct
{
  char *path;
  char *role; /* "catalog", "territories", "procedure", "scenario", "cost-model" */
  char *sha256;
} MoaReportInput;

typedef struct
{
  gint64 run_id;
  char *catalog_id;
  MoaTitle catalog_title;
  char *moa_version;
  char *started_at;  /* ISO 8601, UTC */
  char *finished_at; /* NULL when the run is not complete: the report says so on every page */
  guint64 seed;
  guint iterations; /* 0: deterministic run */
  char *cost_model; /* id */
  char *cost_model_version;
  int price_year;
  char *currency; /* "EUR" */

  MoaReportTotals totals;  /* the programme: every procedure, before and after */
  GPtrArray *by_area;      /* MoaReportRow*, by burden before, descending */
  GPtrArray *by_group;     /* MoaReportRow*: one per target-group kind (citizens, businesses) */
  GPtrArray *by_territory; /* MoaReportRow*: provinces (or the largest territories), descending */
  GPtrArray *top_obligations; /* MoaReportItem*: the most burdensome obligations before, at most
                               * 10, descending */
  GPtrArray *measures;        /* MoaReportMeasure*: every measure, by saving descending */
  GPtrArray *procedures;      /* MoaReportProcedure*, catalog order */
  GPtrArray *assumptions;     /* MoaReportAssumption* */
  GPtrArray *inputs;          /* MoaReportInput* */
} MoaReport;

/* A new, empty report whose arrays free their elements. */
MoaReport *
moa_report_new (void) G_GNUC_WARN_UNUSED_RESULT;
void
moa_report_free (MoaReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaReport, moa_report_free)

/* Constructors of the elements (zeroed, arrays created with their free functions); the
 * matching free functions are what the report's arrays use. */
MoaReportRow *
moa_report_row_new (void);
void
moa_report_row_free (MoaReportRow *row);
MoaReportMeasure *
moa_report_measure_new (void);
void
moa_report_measure_free (MoaReportMeasure *measure);
MoaReportItem *
moa_report_item_new (void);
void
moa_report_item_free (MoaReportItem *item);
MoaReportAssumption *
moa_report_assumption_new (void);
void
moa_report_assumption_free (MoaReportAssumption *assumption);
MoaReportProcedure *
moa_report_procedure_new (void);
void
moa_report_procedure_free (MoaReportProcedure *procedure);
MoaReportInput *
moa_report_input_new (void);
void
moa_report_input_free (MoaReportInput *input);

typedef enum
{
  MOA_REPORT_PDF,
  MOA_REPORT_HTML,
  MOA_REPORT_CSV,
} MoaReportFormat;

gboolean
moa_report_format_from_string (const char *s, MoaReportFormat *format);

/* Writes @report to @path in @format and language @lang ("it" or "en"), atomically (a temporary
 * file renamed into place, so a failure leaves no partial report). Returns FALSE with @error set
 * when the file cannot be written. Numbers follow the language's conventions (1.234,5 in Italian);
 * every figure says its unit and price year. */
gboolean
moa_report_write (const MoaReport *report, MoaReportFormat format, const char *lang,
                  const char *path, GError **error);

G_END_DECLS
