/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Two-level Monte Carlo over a compiled plan (simulation.md §3–4): each iteration samples
 * every uncertain parameter from a stream keyed by (seed, iteration, parameter key) and
 * evaluates the plan exactly; results are stored by iteration so that they do not depend on
 * the number of threads. */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-error.h"
#include "moa-plan-private.h"
#include "moa-random.h"
#include "moa-simulation.h"
#include "moa-stats.h"

#define CHUNK MOA_PLAN_CHUNK                    /* iterations a worker takes at a time */
#define PROGRESS_INTERVAL_US 50000              /* at most 20 progress calls a second */
#define MAX_SAMPLE_BYTES (1024.0 * 1024 * 1024) /* refuse runs that would store more */

const char *const moa_quantity_names[MOA_QUANTITY_N] = {
  "burden",
  "cost",
  "hours",
  "one_off_burden",
};

struct _MoaSimulation
{
  const MoaPlan *plan;
  MoaSimulationOptions options;
  guint iterations; /* run */
  guint capacity;   /* samples stored per series */
  guint n_entities;
  guint n_series; /* n_entities x MOA_QUANTITY_N */
  guint n_kept;   /* the series kept: all of them, or with totals_only the four totals' (the
                   * first ones, entity-major) */
  int *source;    /* per series: the series whose samples it shares, or -1 (always 0) */
  guint *slot;    /* per series that is its own source: where its samples are stored */
  guint *stored;  /* per slot: its series */
  guint n_stored;
  double *samples; /* [slot][iteration] */
  double *zeros;   /* capacity zeros, the samples of every series that is always 0 */
  MoaStat *stats;  /* [entity][quantity] */
};

G_STATIC_ASSERT (MOA_QUANTITY_N == MOA_PLAN_N_QUANTITIES);

void
moa_simulation_options_init (MoaSimulationOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->seed = 1;
  options->iterations = 10000;
  options->precision = 0.0;
  options->min_iterations = 100;
  options->threads = 0;
  options->confidence = 0.95;
  options->totals_only = FALSE;
}

void
moa_simulation_free (MoaSimulation *simulation)
{
  if (simulation == NULL)
    return;
  g_free (simulation->source);
  g_free (simulation->slot);
  g_free (simulation->stored);
  g_free (simulation->samples);
  g_free (simulation->zeros);
  g_free (simulation->stats);
  g_free (simulation);
}

static inline const double *
series (const MoaSimulation *sim, guint entity, MoaQuantity quantity)
{
  int source = sim->source[entity * MOA_QUANTITY_N + quantity];
  if (source < 0)
    return sim->zeros;
  return sim->samples + (gsize)sim->slot[source] * sim->capacity;
}

static inline double
quantity_of (const MoaTotal *t, MoaQuantity quantity)
{
  switch (quantity)
    {
      case MOA_QUANTITY_BURDEN:
        return t->recurring.burden;
      case MOA_QUANTITY_COST:
        return t->recurring.cost;
      case MOA_QUANTITY_HOURS:
        return t->recurring.hours;
      case MOA_QUANTITY_ONE_OFF_BURDEN:
        return t->one_off.burden;
      case MOA_QUANTITY_N:
        break;
    }
  g_assert_not_reached ();
}

/* What the workers share while a batch of iterations [first, last) runs. */
typedef struct
{
  MoaSimulation *sim;
  const MoaPlanChunk *chunk; /* what an evaluation computes, prepared once */
  const MoaLaw *laws;        /* per uncertain parameter, prepared once */
  const guint64 *key_hash;   /* per uncertain parameter: the hash of its key */
  const guint *uncertain;    /* their indexes in the parameter vector */
  guint n_uncertain;
  guint first, last;
  gint next_chunk; /* atomic */
  gint done;       /* atomic: iterations finished */
  gint stop;       /* atomic: an error or a cancellation */
  GCancellable *cancellable;
  GMutex lock;
  guint error_iteration; /* the lowest iteration that failed, under lock */
  GError *error;
} Batch;

typedef struct
{
  Batch *batch;
  MoaSampler *sampler;
  MoaPlanWorkspace *workspace; /* for the iterations the chunk evaluation leaves */
  MoaPlanChunkScratch *scratch;
  double *x;               /* one iteration's parameters */
  double *xs;              /* parameters x CHUNK iterations: the means, and the draws */
  guint64 *iteration_keys; /* CHUNK */
  gboolean failed[CHUNK];
} Worker;

static Worker *
worker_new (Batch *batch)
{
  const MoaPlan *plan = batch->sim->plan;
  guint n_params = moa_plan_get_n_params (plan);
  const double *means = moa_plan_get_means (plan);
  Worker *w = g_new0 (Worker, 1);
  w->batch = batch;
  w->sampler = moa_sampler_new ();
  w->workspace = moa_plan_workspace_new (plan);
  w->scratch = moa_plan_chunk_scratch_new (batch->chunk);
  w->x = g_new (double, MAX (n_params, 1));
  w->xs = g_new (double, (gsize)MAX (n_params, 1) * CHUNK);
  /* the certain parameters keep their means; the uncertain ones are drawn for each chunk */
  for (guint p = 0; p < n_params; p++)
    for (guint i = 0; i < CHUNK; i++)
      w->xs[(gsize)p * CHUNK + i] = means[p];
  w->iteration_keys = g_new (guint64, CHUNK);
  return w;
}

static void
worker_free (Worker *w)
{
  moa_sampler_free (w->sampler);
  moa_plan_workspace_free (w->workspace);
  moa_plan_chunk_scratch_free (w->scratch);
  g_free (w->x);
  g_free (w->xs);
  g_free (w->iteration_keys);
  g_free (w);
}

/* Evaluates @iteration, column @column of the worker's parameters, with the full evaluation
 * (which the chunk evaluation leaves it to: it says why it fails, or gives the same figures)
 * and writes its figures to the samples of the stored series. Returns FALSE after recording
 * the error in the batch. */
static gboolean
run_full_iteration (Worker *w, guint iteration, guint column)
{
  Batch *b = w->batch;
  MoaSimulation *sim = b->sim;
  const MoaPlan *plan = sim->plan;
  g_autoptr (GError) error = NULL;

  for (guint p = 0; p < moa_plan_get_n_params (plan); p++)
    w->x[p] = w->xs[(gsize)p * CHUNK + column];
  const MoaTotal *totals = moa_plan_evaluate_totals (plan, w->x, w->workspace, &error);
  if (totals == NULL)
    {
      g_mutex_lock (&b->lock);
      if (b->error == NULL || iteration < b->error_iteration)
        {
          g_clear_error (&b->error);
          b->error = g_error_new (error->domain, error->code, _ ("iteration %u: %s"), iteration,
                                  error->message);
          b->error_iteration = iteration;
        }
      g_mutex_unlock (&b->lock);
      g_atomic_int_set (&b->stop, 1);
      return FALSE;
    }
  double *dst = sim->samples + iteration;
  for (guint k = 0; k < sim->n_stored; k++)
    dst[(gsize)k * sim->capacity]
        = quantity_of (&totals[sim->stored[k] / MOA_QUANTITY_N], sim->stored[k] % MOA_QUANTITY_N);
  return TRUE;
}

/* Runs iterations [from, to), at most CHUNK: draws each uncertain parameter for all of them
 * (parameter by parameter, each draw from the stream of its iteration and parameter), then
 * evaluates them together, writing each stored series' samples as one run of consecutive
 * values. */
static void
run_chunk (Worker *w, guint from, guint to)
{
  Batch *b = w->batch;
  MoaSimulation *sim = b->sim;
  guint n = to - from;
  for (guint i = 0; i < n; i++)
    w->iteration_keys[i] = moa_stream_iteration_key (sim->options.seed, from + i);
  for (guint k = 0; k < b->n_uncertain; k++)
    moa_law_draw_iterations (&b->laws[k], b->key_hash[k], 0, w->iteration_keys, n, w->sampler,
                             w->xs + (gsize)b->uncertain[k] * CHUNK);
  if (moa_plan_chunk_evaluate (b->chunk, w->scratch, w->xs, n, sim->samples + from, sim->capacity,
                               w->failed)
      == 0)
    return;
  for (guint i = 0; i < n; i++)
    if (w->failed[i] && !run_full_iteration (w, from + i, i))
      return;
}

/* Takes chunks of iterations until none is left; returns when the batch is done, stopped or
 * cancelled. */
static void
work (Worker *w)
{
  Batch *b = w->batch;
  for (;;)
    {
      if (g_atomic_int_get (&b->stop)
          || (b->cancellable != NULL && g_cancellable_is_cancelled (b->cancellable)))
        return;
      guint chunk = (guint)g_atomic_int_add (&b->next_chunk, 1);
      guint from = b->first + chunk * CHUNK;
      if (from >= b->last)
        return;
      guint to = MIN (from + CHUNK, b->last);
      run_chunk (w, from, to);
      g_atomic_int_add (&b->done, (gint)(to - from));
    }
}

static gpointer
worker_thread (gpointer data)
{
  work (data);
  return NULL;
}

static guint
thread_count (const MoaSimulationOptions *options)
{
  guint n = options->threads > 0 ? options->threads : g_get_num_processors ();
  return MAX (n, 1);
}

/* Runs iterations [first, last) on @workers (the first runs in this thread, which also
 * reports progress). Returns FALSE with @error set on failure or cancellation. */
static gboolean
run_batch (Batch *b, Worker **workers, guint n_workers, guint total, MoaProgressFunc progress,
           gpointer user_data, GError **error)
{
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  b->next_chunk = 0;
  b->done = 0;

  for (guint t = 1; t < n_workers; t++)
    g_ptr_array_add (threads, g_thread_new ("moa-simulate", worker_thread, workers[t]));

  /* this thread works too, reporting progress between chunks */
  Worker *self = workers[0];
  gint64 last_report = 0;
  for (;;)
    {
      if (g_atomic_int_get (&b->stop)
          || (b->cancellable != NULL && g_cancellable_is_cancelled (b->cancellable)))
        break;
      guint chunk = (guint)g_atomic_int_add (&b->next_chunk, 1);
      guint from = b->first + chunk * CHUNK;
      if (from >= b->last)
        break;
      guint to = MIN (from + CHUNK, b->last);
      run_chunk (self, from, to);
      g_atomic_int_add (&b->done, (gint)(to - from));
      gint64 now = g_get_monotonic_time ();
      if (progress != NULL && now - last_report >= PROGRESS_INTERVAL_US)
        {
          progress (b->first + (guint)g_atomic_int_get (&b->done), total, user_data);
          last_report = now;
        }
    }
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));

  if (b->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&b->error));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (b->cancellable, error))
    return FALSE;
  return TRUE;
}

/* Statistics of the samples @x, as moa-simulation.h defines them (@point aside). */
static void
compute_stat (const double *x, guint n, double t, double *scratch, MoaStat *stat)
{
  static const double p[3] = { 0.05, 0.50, 0.95 };
  double qs[3];

  moa_stats_summary (x, n, p, 3, &stat->mean, &stat->sd, qs, scratch);
  stat->p5 = qs[0];
  stat->p50 = qs[1];
  stat->p95 = qs[2];
  double half = n > 1 ? t * stat->sd / sqrt ((double)n) : 0.0;
  stat->ci_low = stat->mean - half;
  stat->ci_high = stat->mean + half;
}

/* Relative half-width of the confidence interval of the total burden after @n iterations. */
static double
relative_half_width (const MoaSimulation *sim, guint n)
{
  double sd = 0.0;
  const double *x = series (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN);
  double mean = moa_stats_mean_sd (x, n, &sd);
  double half = moa_stats_t_quantile (sim->options.confidence, n - 1) * sd / sqrt ((double)n);
  if (half == 0.0)
    return 0.0;
  return mean != 0.0 ? half / fabs (mean) : INFINITY;
}

typedef struct
{
  MoaSimulation *sim;
  double t;
  gint next; /* atomic: next stored series */
} StatsJob;

/* The statistics of the stored series, one at a time; the series that share their samples
 * copy them afterwards. */
static gpointer
stats_thread (gpointer data)
{
  StatsJob *job = data;
  MoaSimulation *sim = job->sim;
  g_autofree double *scratch = g_new (double, MAX (sim->iterations, 1));
  for (;;)
    {
      guint k = (guint)g_atomic_int_add (&job->next, 1);
      if (k >= sim->n_stored)
        break;
      guint s = sim->stored[k];
      compute_stat (sim->samples + (gsize)k * sim->capacity, sim->iterations, job->t, scratch,
                    &sim->stats[s]);
    }
  return NULL;
}

/* Chooses which series are stored: those kept that are their own source
 * (moa-plan-private.h); the others share a stored series' samples, or the zeros. A series'
 * source comes first in the entity-major order, so a total's source is a total. */
static void
plan_storage (MoaSimulation *sim)
{
  sim->source = g_new (int, MAX (sim->n_series, 1));
  sim->slot = g_new0 (guint, MAX (sim->n_series, 1));
  sim->stored = g_new (guint, MAX (sim->n_series, 1));
  moa_plan_quantity_sources (sim->plan, sim->source);
  sim->n_stored = 0;
  for (guint s = 0; s < sim->n_kept; s++)
    if (sim->source[s] == (int)s)
      {
        sim->slot[s] = sim->n_stored;
        sim->stored[sim->n_stored++] = s;
      }
}

MoaSimulation *
moa_simulate (const MoaPlan *plan, const MoaSimulationOptions *options, GCancellable *cancellable,
              MoaProgressFunc progress, gpointer user_data, GError **error)
{
  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  MoaSimulationOptions opts;
  if (options != NULL)
    opts = *options;
  else
    moa_simulation_options_init (&opts);
  if (opts.confidence <= 0.0 || opts.confidence >= 1.0)
    opts.confidence = 0.95;
  if (opts.min_iterations < 2)
    opts.min_iterations = 2;
  if (opts.iterations < 2)
    {
      g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED,
                   _ ("a simulation needs at least 2 iterations, not %u"), opts.iterations);
      return NULL;
    }

  g_autoptr (MoaSimulation) sim = g_new0 (MoaSimulation, 1);
  sim->plan = plan;
  sim->options = opts;
  sim->n_entities = moa_plan_get_n_entities (plan);
  sim->n_series = sim->n_entities * MOA_QUANTITY_N;
  sim->n_kept = opts.totals_only
                    ? MIN (sim->n_series, (MOA_ENTITY_ADMINISTRATION + 1) * MOA_QUANTITY_N)
                    : sim->n_series;
  sim->capacity = opts.iterations;
  plan_storage (sim);
  double bytes = (double)sim->n_stored * sim->capacity * sizeof (double);
  if (bytes > MAX_SAMPLE_BYTES)
    {
      g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED,
                   _ ("%u iterations of a procedure with %u figures would keep %.0f MiB of "
                      "samples; use fewer iterations"),
                   opts.iterations, sim->n_stored, bytes / (1024.0 * 1024.0));
      return NULL;
    }
  sim->samples = g_try_new (double, MAX ((gsize)sim->n_stored * sim->capacity, 1));
  /* calloc: pages of zeros that nobody writes cost no memory */
  sim->zeros = g_try_new0 (double, sim->capacity);
  sim->stats = g_new0 (MoaStat, MAX (sim->n_series, 1));
  if (sim->samples == NULL || sim->zeros == NULL)
    {
      g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED,
                   _ ("not enough memory for %u iterations"), opts.iterations);
      return NULL;
    }

  /* the point estimate, and which parameters to sample */
  g_autoptr (MoaPlanWorkspace) ws = moa_plan_workspace_new (plan);
  const MoaTotal *point = moa_plan_evaluate_totals (plan, NULL, ws, error);
  if (point == NULL)
    return NULL;
  g_autofree double *points = g_new (double, (gsize)sim->n_entities *MOA_QUANTITY_N);
  for (guint e = 0; e < sim->n_entities; e++)
    for (guint q = 0; q < MOA_QUANTITY_N; q++)
      points[e * MOA_QUANTITY_N + q] = quantity_of (&point[e], q);

  guint n_params = moa_plan_get_n_params (plan);
  g_autofree guint64 *key_hash = g_new0 (guint64, MAX (n_params, 1));
  g_autofree guint *uncertain = g_new (guint, MAX (n_params, 1));
  g_autofree MoaLaw *laws = g_new0 (MoaLaw, MAX (n_params, 1));
  guint n_uncertain = 0;
  for (guint p = 0; p < n_params; p++)
    if (moa_value_is_uncertain (moa_plan_get_param (plan, p)))
      {
        key_hash[n_uncertain] = moa_random_hash (moa_plan_get_param_key (plan, p));
        moa_law_prepare (&laws[n_uncertain], moa_plan_get_param (plan, p));
        uncertain[n_uncertain++] = p;
      }

  g_autoptr (MoaPlanChunk) chunk = moa_plan_chunk_new (plan, sim->stored, sim->n_stored);
  Batch b = { 0 };
  b.sim = sim;
  b.chunk = chunk;
  b.laws = laws;
  b.key_hash = key_hash;
  b.uncertain = uncertain;
  b.n_uncertain = n_uncertain;
  b.cancellable = cancellable;
  g_mutex_init (&b.lock);

  guint n_workers = MIN (thread_count (&opts), MAX (1, opts.iterations / CHUNK));
  g_autofree Worker **workers = g_new (Worker *, n_workers);
  for (guint t = 0; t < n_workers; t++)
    workers[t] = worker_new (&b);

  /* With a precision target, batches of min_iterations until the target is met or the
   * maximum reached; the stopping point depends only on the samples, not on threads. */
  gboolean ok = TRUE;
  guint done = 0;
  guint step = opts.precision > 0.0 ? MIN (opts.min_iterations, opts.iterations) : opts.iterations;
  while (ok && done < opts.iterations)
    {
      b.first = done;
      b.last = MIN (done + step, opts.iterations);
      ok = run_batch (&b, workers, n_workers, opts.iterations, progress, user_data, error);
      if (!ok)
        break;
      done = b.last;
      if (opts.precision > 0.0 && relative_half_width (sim, done) <= opts.precision)
        break;
    }
  if (ok && progress != NULL)
    progress (done, done, user_data);

  for (guint t = 0; t < n_workers; t++)
    worker_free (workers[t]);
  g_mutex_clear (&b.lock);
  if (!ok)
    return NULL;
  sim->iterations = done;

  /* statistics of the stored series on the same threads; the others share them */
  StatsJob job = { sim, moa_stats_t_quantile (opts.confidence, done - 1), 0 };
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  for (guint t = 1; t < MIN (n_workers, MAX (sim->n_stored, 1)); t++)
    g_ptr_array_add (threads, g_thread_new ("moa-stats", stats_thread, &job));
  stats_thread (&job);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
  for (guint s = 0; s < sim->n_kept; s++)
    {
      /* a series that is 0 in every iteration has every statistic 0 (as computed) */
      if (sim->source[s] >= 0 && sim->source[s] != (int)s)
        sim->stats[s] = sim->stats[sim->source[s]];
      sim->stats[s].point = points[s];
    }

  return g_steal_pointer (&sim);
}

const MoaPlan *
moa_simulation_get_plan (const MoaSimulation *simulation)
{
  g_return_val_if_fail (simulation != NULL, NULL);
  return simulation->plan;
}

const MoaSimulationOptions *
moa_simulation_get_options (const MoaSimulation *simulation)
{
  g_return_val_if_fail (simulation != NULL, NULL);
  return &simulation->options;
}

guint
moa_simulation_get_iterations (const MoaSimulation *simulation)
{
  g_return_val_if_fail (simulation != NULL, 0);
  return simulation->iterations;
}

const MoaStat *
moa_simulation_get_stat (const MoaSimulation *simulation, guint entity, MoaQuantity quantity)
{
  g_return_val_if_fail (simulation != NULL, NULL);
  g_return_val_if_fail (entity < simulation->n_entities && quantity < MOA_QUANTITY_N, NULL);
  if (entity * MOA_QUANTITY_N + quantity >= simulation->n_kept)
    return NULL;
  return &simulation->stats[entity * MOA_QUANTITY_N + quantity];
}

const double *
moa_simulation_get_samples (const MoaSimulation *simulation, guint entity, MoaQuantity quantity)
{
  g_return_val_if_fail (simulation != NULL, NULL);
  g_return_val_if_fail (entity < simulation->n_entities && quantity < MOA_QUANTITY_N, NULL);
  if (entity * MOA_QUANTITY_N + quantity >= simulation->n_kept)
    return NULL;
  return series (simulation, entity, quantity);
}

/* --- async ------------------------------------------------------------------------------ */

typedef struct
{
  const MoaPlan *plan;
  MoaSimulationOptions options;
  MoaProgressFunc progress;
  gpointer progress_data;
} AsyncData;

static void
simulate_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AsyncData *d = task_data;
  GError *error = NULL;
  MoaSimulation *sim
      = moa_simulate (d->plan, &d->options, cancellable, d->progress, d->progress_data, &error);
  if (sim == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sim, (GDestroyNotify)moa_simulation_free);
}

void
moa_simulate_async (const MoaPlan *plan, const MoaSimulationOptions *options,
                    GCancellable *cancellable, MoaProgressFunc progress, gpointer progress_data,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (plan != NULL);
  AsyncData *d = g_new0 (AsyncData, 1);
  d->plan = plan;
  if (options != NULL)
    d->options = *options;
  else
    moa_simulation_options_init (&d->options);
  d->progress = progress;
  d->progress_data = progress_data;

  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, moa_simulate_async);
  g_task_set_task_data (task, d, g_free);
  g_task_run_in_thread (task, simulate_thread);
}

MoaSimulation *
moa_simulate_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
