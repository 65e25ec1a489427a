/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two-level Monte Carlo (simulation.md §3): an outer loop samples the uncertain parameters,
 * the inner level is the exact expected value of the plan. Reproducible and paired: every
 * draw is keyed by (seed, iteration, parameter key). */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "moa-plan.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 seed;
  guint iterations;     /* fixed number of iterations; with @precision, the maximum */
  double precision;     /* > 0: stop when the CI half-width of the total burden divided by its
                         * mean is below this (checked every batch); 0: run @iterations */
  guint min_iterations; /* with @precision: at least this many (default 100) */
  guint threads;        /* 0: as many as cores */
  double confidence;    /* level of the confidence interval of the mean, default 0.95 */
  gboolean totals_only; /* keep the samples and statistics of the four totals only (entities
                         * 0-3: total, citizens, businesses, administration), every quantity;
                         * default FALSE. Every activity is still evaluated in every iteration
                         * and the totals' samples and statistics are bit-identical to those of
                         * a run that keeps everything; the statistics of the other entities
                         * are not computed (moa_simulation_get_stat() and _get_samples() give
                         * NULL for them). For catalog runs (moa batch), which keep only the
                         * totals: the per-entity series cost most of a run's memory traffic. */
} MoaSimulationOptions;

/* Sets the defaults: seed 1, 10,000 iterations, no precision target, 100 minimum, all cores,
 * 95 %, every entity kept (totals_only FALSE). */
void
moa_simulation_options_init (MoaSimulationOptions *options);

/* Called from the thread that runs the simulation, at most about 20 times a second. */
typedef void (*MoaProgressFunc) (guint done, guint total, gpointer user_data);

/* Summary statistics of one quantity over the iterations. */
typedef struct
{
  double point; /* the deterministic value: every parameter at its expected value */
  double mean;
  double sd;
  double p5, p50, p95;
  double ci_low, ci_high; /* confidence interval of the mean: mean -/+ t * sd / sqrt(n) */
} MoaStat;

/* Quantities summarised for each entity of the plan (moa_plan_get_entity()). */
typedef enum
{
  MOA_QUANTITY_BURDEN,         /* recurring burden per year */
  MOA_QUANTITY_COST,           /* recurring cost per year */
  MOA_QUANTITY_HOURS,          /* recurring own hours per year */
  MOA_QUANTITY_ONE_OFF_BURDEN, /* one-off burden, total */
  MOA_QUANTITY_N
} MoaQuantity;

extern const char *const moa_quantity_names[MOA_QUANTITY_N]; /* "burden", "cost", ... */

typedef struct _MoaSimulation MoaSimulation;

/* Runs the simulation of @plan, which must outlive the result (it is borrowed). Cancellable
 * (returns NULL with G_IO_ERROR_CANCELLED); the output is bit-identical for a given seed and
 * iteration count whatever the number of threads. Returns a new result or NULL with @error set (an
 * iteration whose parameters make a loop never exit gives MOA_ENGINE_ERROR_SINGULAR, naming the
 * iteration). */
MoaSimulation *
moa_simulate (const MoaPlan *plan, const MoaSimulationOptions *options, GCancellable *cancellable,
              MoaProgressFunc progress, gpointer user_data,
              GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The same in a thread (GTask), for the GUI; @progress is called in that thread. */
void
moa_simulate_async (const MoaPlan *plan, const MoaSimulationOptions *options,
                    GCancellable *cancellable, MoaProgressFunc progress, gpointer progress_data,
                    GAsyncReadyCallback callback, gpointer user_data);
MoaSimulation *
moa_simulate_finish (GAsyncResult *result, GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_simulation_free (MoaSimulation *simulation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaSimulation, moa_simulation_free)

const MoaPlan *
moa_simulation_get_plan (const MoaSimulation *simulation);
const MoaSimulationOptions *
moa_simulation_get_options (const MoaSimulation *simulation);
guint
moa_simulation_get_iterations (const MoaSimulation *simulation); /* actually run */
/* The statistic of @quantity for entity @entity (borrowed). NULL for an entity other than the
 * four totals (entity > MOA_ENTITY_ADMINISTRATION) when the simulation ran with totals_only. */
const MoaStat *
moa_simulation_get_stat (const MoaSimulation *simulation, guint entity, MoaQuantity quantity);
/* The samples of @quantity for @entity, one per iteration in iteration order (borrowed). NULL
 * for an entity other than the four totals when the simulation ran with totals_only. */
const double *
moa_simulation_get_samples (const MoaSimulation *simulation, guint entity, MoaQuantity quantity);

G_END_DECLS
