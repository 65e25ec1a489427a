/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results of an exact evaluation: figures per activity, obligation, target group, segment and
 * procedure, per case and per year, recurring and one-off apart. */
#pragma once

#include <glib.h>

#include "moa-cost-model.h"
#include "moa-procedure.h"

G_BEGIN_DECLS

/* Money in the procedure's currency at its price year; time in hours. */
typedef struct
{
  double hours;          /* time spent by the performer itself (citizen, firm staff, office) */
  double external_hours; /* time of external professionals */
  double internal;       /* own time priced at its tariff (citizens: only when monetised) */
  double overhead;       /* internal x the cost model's overhead rate (not for citizens) */
  double external;       /* external time x external rate, plus fees */
  double acquisitions;   /* equipment and services bought for the obligation */
  double out_of_pocket;  /* stamps, fees, travel, copies */
  double cost;           /* internal + overhead + external + acquisitions + out_of_pocket */
  double bau;            /* the business-as-usual part of the cost */
  double burden;         /* cost - bau: the administrative burden */
} MoaFigures;

#define MOA_FIGURES_N_FIELDS 10
/* Field names in the order of the struct ("hours", ... "burden"), for CSV and JSON. */
extern const char *const moa_figures_field_names[MOA_FIGURES_N_FIELDS];
/* The struct seen as an array of MOA_FIGURES_N_FIELDS doubles. */
#define MOA_FIGURES_ARRAY(f) ((double *)(f))
void
moa_figures_add_scaled (MoaFigures *acc, const MoaFigures *x, double factor);

/* One activity of one obligation for one addressee segment. */
typedef struct
{
  const MoaObligation *obligation;
  const MoaNode *node;
  const MoaSegment *segment;   /* the addressee segment the cases belong to */
  const MoaTargetGroup *payer; /* whose burden: the performer's group, or the addressee's
                                * for external help */
  gboolean external;           /* performed by an external professional */
  double visits;               /* expected executions per case */
  double time;                 /* hours per execution */
  double rate;                 /* currency per hour of that time (0 when not monetised) */
  MoaFigures per_case;         /* visits x one execution */
  MoaFigures per_year;         /* per_case x cases (one-off: total) */
} MoaActivityResult;

/* One obligation for one addressee segment. */
typedef struct
{
  const MoaObligation *obligation;
  const MoaSegment *segment;
  const MoaTargetGroup *group;
  double cases;        /* cases per year: population x frequency x compliance (one-off: total) */
  MoaFigures per_case; /* sum of the activities' per-case figures, except those the
                        * administration performs (they are in MoaResult.administration) */
  MoaFigures per_year;
} MoaCaseResult;

/* An aggregate: an obligation, a target group, a segment, or the whole procedure. Obligation
 * and procedure figures are the burden on citizens and businesses: what an administration
 * target group performs is counted in its own group and in MoaResult.administration only. */
typedef struct
{
  const char *id;       /* borrowed from the procedure */
  MoaTargetKind kind;   /* for target groups and segments */
  double cases;         /* recurring cases per year (obligations: also one-off total) */
  MoaFigures per_case;  /* obligations: weighted mean over segments; procedure: sum over
                         * recurring obligations, i.e. one complete execution by an average
                         * addressee */
  MoaFigures recurring; /* per year */
  MoaFigures one_off;   /* total, reported apart */
} MoaTotal;

typedef struct
{
  gatomicrefcount ref;     /* atomic: shared by worker threads */
  MoaProcedure *procedure; /* strong references */
  MoaCostModel *model;

  GArray *activities;  /* MoaActivityResult */
  GArray *cases;       /* MoaCaseResult */
  GArray *obligations; /* MoaTotal, procedure order */
  GArray *groups;      /* MoaTotal, procedure order; the figures are what the group bears */
  GArray *segments;    /* MoaTotal */

  MoaTotal citizens;       /* all citizen target groups */
  MoaTotal businesses;     /* all business target groups */
  MoaTotal administration; /* the administration's own time, reported apart */
  MoaTotal total;          /* citizens + businesses: the burden of the procedure */
} MoaResult;

MoaResult *
moa_result_ref (MoaResult *result);
void
moa_result_unref (MoaResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaResult, moa_result_unref)

/* Lookups by id (borrowed, NULL when absent). */
const MoaTotal *
moa_result_get_obligation (const MoaResult *result, const char *id);
const MoaTotal *
moa_result_get_group (const MoaResult *result, const char *id);
const MoaTotal *
moa_result_get_segment (const MoaResult *result, const char *id);
/* The row of activity @node_id of obligation @obligation_id for @segment_id (NULL: the first
 * segment found). */
const MoaActivityResult *
moa_result_get_activity (const MoaResult *result, const char *obligation_id, const char *node_id,
                         const char *segment_id);

G_END_DECLS
