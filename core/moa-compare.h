/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Savings: a baseline and its simplified version compared element by element, with the
 * saving attributed to the measures and, with Monte Carlo, the paired interval of the saving
 * (docs/scenario-format.md, "What is computed"). */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "moa-cost-model.h"
#include "moa-result.h"
#include "moa-scenario.h"
#include "moa-simulation.h"

G_BEGIN_DECLS

/* Before, after and the saving of one entity (matched by id between the two procedures; an
 * entity present on one side only counts 0 on the other). Recurring figures are per year. */
typedef struct
{
  MoaEntityKind kind;
  char *id;         /* obligation, group, segment or node id; the procedure id for totals */
  char *obligation; /* activities: their obligation; else NULL */
  char *segment;    /* activities: their addressee segment; else NULL */
  MoaFigures before;
  MoaFigures after;
  double saving;         /* before.burden - after.burden */
  double saving_percent; /* saving / before.burden x 100 (0 when before is 0) */
} MoaEntitySaving;

/* What one measure saved (total burden per year, and citizens' hours and businesses' euros). */
typedef struct
{
  const MoaMeasure *measure; /* borrowed from the scenario */
  double cumulative;         /* burden after the previous measures - burden after this one */
  double alone;              /* baseline burden - burden with only this measure; NAN when
                              * the measure cannot apply alone (it changes what an earlier
                              * measure adds) */
  double citizens_hours_cumulative;
  double citizens_hours_alone;
  double businesses_cumulative;
  double businesses_alone;
  double one_off_added; /* one-off burden this measure adds (cumulative order) */
} MoaMeasureSaving;

typedef struct
{
  guint iterations; /* 0: exact comparison only */
  guint64 seed;
  guint threads;
  double confidence;    /* default 0.95 */
  gboolean totals_only; /* both simulations keep only the four totals (MoaSimulationOptions);
                         * default FALSE. The saving's statistics and samples are the same bit
                         * for bit: they are of totals. */
} MoaCompareOptions;

void
moa_compare_options_init (MoaCompareOptions *options);

typedef struct _MoaComparison MoaComparison;

/* Compares @baseline with @after (evaluated under @model, or each procedure's own model from
 * @models when @model is NULL). When @scenario is not NULL, @after must be its full result and
 * the saving is attributed to its measures. With options->iterations > 0 both are simulated
 * with the same seed and the saving's interval comes from the per-iteration differences.
 * Cancellable; progress counts iterations over both runs. */
MoaComparison *
moa_compare (MoaProcedure *baseline, MoaProcedure *after, const MoaScenario *scenario,
             MoaModelSet *models, MoaCostModel *model, const MoaCompareOptions *options,
             GCancellable *cancellable, MoaProgressFunc progress, gpointer user_data,
             GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_comparison_free (MoaComparison *comparison);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaComparison, moa_comparison_free)

MoaResult *
moa_comparison_get_before (const MoaComparison *comparison); /* borrowed */
MoaResult *
moa_comparison_get_after (const MoaComparison *comparison);
const MoaScenario *
moa_comparison_get_scenario (const MoaComparison *comparison); /* or NULL */
const MoaCompareOptions *
moa_comparison_get_options (const MoaComparison *comparison);

/* Borrowed array of MoaEntitySaving: the totals (procedure, citizens, businesses,
 * administration), then obligations, groups, segments and activities of both sides. */
GArray *
moa_comparison_get_entities (const MoaComparison *comparison);

/* Borrowed array of MoaMeasureSaving (empty without a scenario). */
GArray *
moa_comparison_get_measures (const MoaComparison *comparison);

/* Sum of the alone savings minus the total saving: 0 when the measures do not interact; NAN
 * when a measure cannot apply alone. */
double
moa_comparison_get_interaction (const MoaComparison *comparison);

/* One-off burden the change adds (after - before), its yearly share over the scenario's
 * one-off-years (10 without a scenario), and the pay-back period in years (NAN when the
 * yearly saving is not positive or there is no one-off cost). */
double
moa_comparison_get_one_off (const MoaComparison *comparison);
double
moa_comparison_get_one_off_per_year (const MoaComparison *comparison);
double
moa_comparison_get_payback_years (const MoaComparison *comparison);

/* With iterations: statistics of the per-iteration saving of the total burden, of citizens'
 * hours and of businesses' burden (paired runs), and the number of iterations; NULL/0 without
 * iterations. The point is the exact saving. */
const MoaStat *
moa_comparison_get_saving_stat (const MoaComparison *comparison);
const MoaStat *
moa_comparison_get_citizens_hours_stat (const MoaComparison *comparison);
const MoaStat *
moa_comparison_get_businesses_stat (const MoaComparison *comparison);
/* The per-iteration savings of the total burden (iterations long), borrowed. */
const double *
moa_comparison_get_saving_samples (const MoaComparison *comparison);
/* The number of paired iterations run (0 without Monte Carlo). */
guint
moa_comparison_get_iterations (const MoaComparison *comparison);

/* The Monte Carlo runs of the before and the after (same seed, paired iteration by iteration:
 * the per-iteration samples of every entity and quantity, moa_simulation_get_samples()), kept
 * with their plans as long as the comparison; NULL without iterations. Borrowed. With
 * options->totals_only they keep the four totals only: their samples and statistics of any
 * other entity are NULL. */
const MoaSimulation *
moa_comparison_get_before_simulation (const MoaComparison *comparison);
const MoaSimulation *
moa_comparison_get_after_simulation (const MoaComparison *comparison);

G_END_DECLS
