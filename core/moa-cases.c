/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-case simulation (simulation.md §3, "between cases"): single applicants walk the workflow
 * token by token, with every execution's times and amounts drawn from keyed streams. */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-cases.h"
#include "moa-error.h"
#include "moa-plan-private.h"
#include "moa-random.h"
#include "moa-stats.h"

#define CHUNK 256                             /* cases a worker takes at a time */
#define PROGRESS_INTERVAL_US 50000            /* at most 20 progress calls a second */
#define MAX_STEPS 1000000                     /* nodes one case may pass through */
#define CONFIDENCE 0.95                       /* of the interval of the mean */
#define MAX_CASE_BYTES (1024.0 * 1024 * 1024) /* refuse runs that would store more */

/* Keys of the random streams (simulation.md §4). Every draw comes from its own stream, so a
 * case's numbers depend only on the seed, the case number and stable element ids, never on
 * which thread runs the case or on what other elements draw:
 * - parameter slot of an activity execution: (seed, case, K, n), n = how many times this
 *   activity ran before in this case, K = moa_random_hash (parameter key) ^ (GOLDEN x
 *   moa_random_hash ("OBLIGATION/NODE")). The node is mixed in because a parameter of the
 *   cost model (a standard time, a tariff) is shared by several activities: each execution of
 *   each activity must draw its own value, not the same one.
 * - choice at an exclusive gateway: (seed, case, moa_random_hash ("OBLIGATION/NODE"), n),
 *   n = how many times the gateway was passed before in this case.
 * Case numbers restart at 0 for every obligation and segment: segments of one obligation see
 * the same numbers for the same purpose (common random numbers). */
#define GOLDEN G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)

struct _MoaCaseSimulation
{
  MoaProcedure *procedure; /* keeps the ids of the stats alive */
  GArray *stats;           /* MoaCaseStats */
  double threshold;
  guint64 seed;
};

/* A slot of an activity that is drawn at each execution. */
typedef struct
{
  guint slot;
  guint64 key;
} Draw;

typedef struct
{
  const PlanActivity *activity;
  gboolean counted; /* not paid by an administration: part of the case's burden */
  guint first_draw; /* into Walk.draws */
  guint n_draws;
} WalkActivity;

/* One chain (obligation x addressee segment) prepared for walking. */
typedef struct
{
  const PlanChain *chain;
  guint *out_first;     /* n_nodes + 1: the chain's edges leaving each node */
  MoaNodeKind *kind;    /* per node */
  int *activity;        /* per node: index into activities, -1 for other nodes */
  guint *join_need;     /* per node: flows into it (what an AND join waits for) */
  double *probability;  /* per edge: branch probability at an exclusive gateway */
  guint64 *gateway_key; /* per node */
  WalkActivity *activities;
  Draw *draws;
} Walk;

static void
walk_clear (Walk *walk)
{
  g_free (walk->out_first);
  g_free (walk->kind);
  g_free (walk->activity);
  g_free (walk->join_need);
  g_free (walk->probability);
  g_free (walk->gateway_key);
  g_free (walk->activities);
  g_free (walk->draws);
}

static void
walk_init (Walk *walk, const MoaPlan *plan, const PlanChain *chain, const guint64 *param_hash)
{
  const MoaObligation *obligation = chain->obligation;
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  guint n = chain->n_nodes;
  guint n_edges = chain->edges->len;
  const double *means = moa_plan_get_means (plan);

  memset (walk, 0, sizeof *walk);
  walk->chain = chain;
  walk->out_first = g_new0 (guint, n + 1);
  walk->kind = g_new (MoaNodeKind, n);
  walk->activity = g_new (int, n);
  walk->join_need = g_new (guint, n);
  walk->probability = g_new0 (double, MAX (n_edges, 1));
  walk->gateway_key = g_new0 (guint64, n);

  /* edges are sorted by source node */
  for (guint e = 0; e < n_edges; e++)
    walk->out_first[edges[e].from + 1]++;
  for (guint i = 0; i < n; i++)
    {
      const MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      walk->out_first[i + 1] += walk->out_first[i];
      walk->kind[i] = node->kind;
      walk->activity[i] = -1;
      walk->join_need[i] = chain->in_first[i + 1] - chain->in_first[i];
      g_autofree char *name = g_strdup_printf ("%s/%s", obligation->id, node->id);
      walk->gateway_key[i] = moa_random_hash (name);
    }

  /* the expected probabilities: the weights at the means, without the AND-join scaling */
  g_autofree double *w = g_new (double, MAX (n_edges, 1));
  moa_plan_chain_weights (chain, means, w);
  for (guint e = 0; e < n_edges; e++)
    walk->probability[e] = edges[e].scale > 0.0 ? MAX (w[e] / edges[e].scale, 0.0) : 0.0;

  guint n_activities = chain->activities->len;
  walk->activities = g_new0 (WalkActivity, MAX (n_activities, 1));
  walk->draws = g_new (Draw, MAX (6 * n_activities, 1));
  guint n_draws = 0;
  for (guint a = 0; a < n_activities; a++)
    {
      const PlanActivity *activity = &g_array_index (chain->activities, PlanActivity, a);
      WalkActivity *wa = &walk->activities[a];
      const int slots[] = { activity->time,         activity->rate,          activity->fee,
                            activity->acquisitions, activity->out_of_pocket, activity->bau };
      guint64 node_key = walk->gateway_key[activity->node] * GOLDEN;

      walk->activity[activity->node] = (int)a;
      wa->activity = activity;
      wa->counted = activity->payer->kind != MOA_TARGET_ADMINISTRATION;
      wa->first_draw = n_draws;
      for (guint k = 0; k < G_N_ELEMENTS (slots); k++)
        {
          gboolean seen = FALSE;
          if (slots[k] < 0 || !moa_value_is_uncertain (moa_plan_get_param (plan, slots[k])))
            continue;
          /* a value read twice by one execution is drawn once */
          for (guint j = wa->first_draw; j < n_draws; j++)
            seen |= walk->draws[j].slot == (guint)slots[k];
          if (seen)
            continue;
          walk->draws[n_draws].slot = slots[k];
          walk->draws[n_draws].key = param_hash[slots[k]] ^ node_key;
          n_draws++;
        }
      wa->n_draws = n_draws - wa->first_draw;
    }
}

/* What the workers share. Case c of walk k is unit (k, c / CHUNK); units are numbered walk by
 * walk and taken in increasing order. */
typedef struct
{
  const MoaPlan *plan;
  guint64 seed;
  guint n_cases;
  Walk *walks;
  guint n_walks;
  guint chunks_per_walk;
  guint n_units;
  double *hours, *cost, *burden; /* [walk][case] */
  guint max_nodes;

  gint next_unit; /* atomic */
  gint done;      /* atomic: cases finished (saturates in progress reports) */
  gint stop;      /* atomic: an error occurred */
  GCancellable *cancellable;
  GMutex lock;
  guint error_unit; /* the lowest unit that failed, under lock */
  GError *error;
} Run;

typedef struct
{
  Run *run;
  MoaSampler *sampler;
  double *x;         /* parameter values: the means, with one activity's draws at a time */
  guint *executions; /* per node, in the current case */
  guint *arrivals;   /* per node: tokens waiting at an AND join */
  guint *stack;      /* live tokens (their nodes) */
  gsize stack_size;
} Worker;

static Worker *
worker_new (Run *run)
{
  guint n_params = moa_plan_get_n_params (run->plan);
  Worker *w = g_new0 (Worker, 1);
  w->run = run;
  w->sampler = moa_sampler_new ();
  w->x = g_memdup2 (moa_plan_get_means (run->plan), sizeof (double) * MAX (n_params, 1));
  w->executions = g_new (guint, MAX (run->max_nodes, 1));
  w->arrivals = g_new (guint, MAX (run->max_nodes, 1));
  w->stack_size = MAX (run->max_nodes, 16);
  w->stack = g_new (guint, w->stack_size);
  return w;
}

static void
worker_free (Worker *w)
{
  moa_sampler_free (w->sampler);
  g_free (w->x);
  g_free (w->executions);
  g_free (w->arrivals);
  g_free (w->stack);
  g_free (w);
}

static inline void
push (Worker *w, guint *top, guint node)
{
  if (*top == w->stack_size)
    {
      w->stack_size *= 2;
      w->stack = g_renew (guint, w->stack, w->stack_size);
    }
  w->stack[(*top)++] = node;
}

/* Walks case @c of @walk: tokens start at the start node; an activity is executed with its
 * slots drawn for this execution, then passes the token on; an exclusive gateway sends it down
 * one branch drawn with the expected probabilities (the first branch whose cumulative
 * probability exceeds the uniform draw); an AND split sends one token down each branch; an
 * AND join absorbs tokens until as many have arrived as it has incoming flows, then sends one
 * on (once per pass, so a join inside a loop fires again on the next pass); an end absorbs the
 * token. The case is over when no token is left. Returns FALSE when it takes more than
 * MAX_STEPS steps. */
static gboolean
walk_case (Worker *w, const Walk *walk, guint c, double *hours, double *cost, double *burden)
{
  const Run *run = w->run;
  const PlanChain *chain = walk->chain;
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  const MoaPlan *plan = run->plan;
  const double *means = moa_plan_get_means (plan);
  guint n = chain->n_nodes;
  guint top = 0;
  guint steps = 0;
  double h = 0.0, co = 0.0, bu = 0.0;

  memset (w->executions, 0, sizeof (guint) * n);
  memset (w->arrivals, 0, sizeof (guint) * n);
  push (w, &top, chain->start);

  while (top > 0)
    {
      guint j = w->stack[--top];
      guint first = walk->out_first[j], last = walk->out_first[j + 1];

      if (++steps > MAX_STEPS)
        return FALSE;
      switch (walk->kind[j])
        {
          case MOA_NODE_START:
            push (w, &top, edges[first].to);
            break;

          case MOA_NODE_ACTIVITY:
            {
              const WalkActivity *wa = &walk->activities[walk->activity[j]];
              guint execution = w->executions[j]++;
              MoaFigures f;
              double time, rate;

              for (guint k = wa->first_draw; k < wa->first_draw + wa->n_draws; k++)
                {
                  MoaStream stream;
                  guint slot = walk->draws[k].slot;
                  moa_stream_init (&stream, run->seed, c, walk->draws[k].key, execution);
                  w->x[slot]
                      = moa_sampler_draw (w->sampler, moa_plan_get_param (plan, slot), &stream);
                }
              moa_plan_activity_figures (plan, wa->activity, w->x, &f, &time, &rate);
              for (guint k = wa->first_draw; k < wa->first_draw + wa->n_draws; k++)
                w->x[walk->draws[k].slot] = means[walk->draws[k].slot];
              if (wa->counted)
                {
                  h += f.hours;
                  co += f.cost;
                  bu += f.burden;
                }
              push (w, &top, edges[first].to);
              break;
            }

          case MOA_NODE_XOR:
            {
              MoaStream stream;
              moa_stream_init (&stream, run->seed, c, walk->gateway_key[j], w->executions[j]++);
              double u = moa_stream_uniform (&stream);
              double cumulative = 0.0;
              guint chosen = G_MAXUINT, last_positive = first;
              for (guint e = first; e < last; e++)
                {
                  if (walk->probability[e] <= 0.0)
                    continue;
                  last_positive = e;
                  cumulative += walk->probability[e];
                  if (u < cumulative)
                    {
                      chosen = e;
                      break;
                    }
                }
              /* probabilities summing to 1 - 1e-9 leave a sliver to the last branch */
              if (chosen == G_MAXUINT)
                chosen = last_positive;
              push (w, &top, edges[chosen].to);
              break;
            }

          case MOA_NODE_AND_SPLIT:
            /* pushed in reverse so that the first branch is walked first */
            for (guint e = last; e-- > first;)
              push (w, &top, edges[e].to);
            break;

          case MOA_NODE_AND_JOIN:
            if (++w->arrivals[j] >= walk->join_need[j])
              {
                w->arrivals[j] = 0;
                push (w, &top, edges[first].to);
              }
            break;

          case MOA_NODE_END:
            break;
        }
    }
  *hours = h;
  *cost = co;
  *burden = bu;
  return TRUE;
}

static const char *
file_of (const MoaProcedure *procedure)
{
  return procedure->file != NULL ? procedure->file : procedure->id;
}

static void
run_unit (Worker *w, guint unit)
{
  Run *run = w->run;
  guint k = unit / run->chunks_per_walk;
  guint from = (unit % run->chunks_per_walk) * CHUNK;
  guint to = MIN (from + CHUNK, run->n_cases);
  const Walk *walk = &run->walks[k];
  gsize base = (gsize)k * run->n_cases;

  for (guint c = from; c < to; c++)
    if (!walk_case (w, walk, c, &run->hours[base + c], &run->cost[base + c],
                    &run->burden[base + c]))
      {
        const PlanChain *chain = walk->chain;
        g_mutex_lock (&run->lock);
        if (run->error == NULL || unit < run->error_unit)
          {
            g_clear_error (&run->error);
            g_set_error (&run->error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED,
                         _ ("%s: obligation \"%s\", segment \"%s\": simulated case %u did not "
                            "end within %u steps; a loop of the workflow repeats too often to "
                            "simulate single cases (lower its repeat probability)"),
                         file_of (moa_plan_get_procedure (run->plan)), chain->obligation->id,
                         chain->segment->id, c + 1, (guint)MAX_STEPS);
            run->error_unit = unit;
          }
        g_mutex_unlock (&run->lock);
        g_atomic_int_set (&run->stop, 1);
        return;
      }
  g_atomic_int_add (&run->done, (gint)(to - from));
}

/* Takes the next unit; FALSE when none is left or the run must stop. After an error no new
 * unit is taken: units are taken in increasing order, so every unit below the failed one has
 * been taken already and the lowest failure is the same whatever the number of threads. */
static gboolean
next_unit (Run *run, guint *unit)
{
  if (g_atomic_int_get (&run->stop)
      || (run->cancellable != NULL && g_cancellable_is_cancelled (run->cancellable)))
    return FALSE;
  *unit = (guint)g_atomic_int_add (&run->next_unit, 1);
  return *unit < run->n_units;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  guint unit;
  while (next_unit (w->run, &unit))
    run_unit (w, unit);
  return NULL;
}

/* Summary of one series of per-case values (moa-simulation.h's MoaStat): mean and s.d.
 * (n - 1) in case order; P5, P50, P95 by linear interpolation between order statistics
 * (Hyndman & Fan type 7, moa-stats.h); mean -/+ t_{0.975, n-1} sd / sqrt(n). */
static void
compute_stat (const double *x, guint n, double point, double t, double *scratch, MoaStat *stat)
{
  static const double p[3] = { 0.05, 0.50, 0.95 };
  double q[3];

  stat->point = point;
  stat->mean = moa_stats_mean_sd (x, n, &stat->sd);
  moa_stats_quantiles (x, n, p, 3, q, scratch);
  stat->p5 = q[0];
  stat->p50 = q[1];
  stat->p95 = q[2];
  double half = n > 1 ? t * stat->sd / sqrt ((double)n) : 0.0;
  stat->ci_low = stat->mean - half;
  stat->ci_high = stat->mean + half;
}

static guint
progress_value (guint64 done, guint64 total)
{
  /* totals beyond G_MAXUINT are reported in proportion */
  if (total <= G_MAXUINT)
    return (guint)done;
  return (guint)((double)done / (double)total * G_MAXUINT);
}

/* Returns a new simulation of @n_cases cases (>= 1) of every chain of @plan (free with
 * moa_case_simulation_free()), or NULL with @error set: G_IO_ERROR_CANCELLED when @cancellable
 * was cancelled, MOA_ENGINE_ERROR_FAILED when a case exceeds MAX_STEPS steps (the message
 * names the obligation, segment and case) or the per-case values would not fit in memory, or
 * the error of the exact evaluation. @progress (may be NULL) is called from this thread with
 * the cases done over all chains, at most 20 times a second, and once at the end. The
 * statistics are computed after all cases ran, in case order, so they are bit-identical for
 * any @threads. */
MoaCaseSimulation *
moa_simulate_cases (const MoaPlan *plan, guint64 seed, guint n_cases, double threshold_hours,
                    guint threads, GCancellable *cancellable, MoaProgressFunc progress,
                    gpointer user_data, GError **error)
{
  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (n_cases >= 1, NULL);
  g_return_val_if_fail (!isnan (threshold_hours), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  guint n_walks = plan->chains->len;
  double bytes = 3.0 * sizeof (double) * (double)n_walks * n_cases;
  if (bytes > MAX_CASE_BYTES)
    {
      g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED,
                   _ ("%u cases of %u obligations and segments would keep %.0f MiB of values; "
                      "simulate fewer cases"),
                   n_cases, n_walks, bytes / (1024.0 * 1024.0));
      return NULL;
    }

  /* the analytic per-case values: the point of each statistic */
  g_autoptr (MoaPlanWorkspace) ws = moa_plan_workspace_new (plan);
  if (moa_plan_evaluate_totals (plan, NULL, ws, error) == NULL)
    return NULL;

  Run run = { 0 };
  run.plan = plan;
  run.seed = seed;
  run.n_cases = n_cases;
  run.n_walks = n_walks;
  run.chunks_per_walk = (n_cases + CHUNK - 1) / CHUNK;
  run.n_units = run.chunks_per_walk * n_walks;
  run.cancellable = cancellable;
  run.max_nodes = plan->max_nodes;
  g_mutex_init (&run.lock);

  gsize n_values = (gsize)n_walks * n_cases;
  g_autofree double *hours = g_try_new (double, MAX (n_values, 1));
  g_autofree double *cost = g_try_new (double, MAX (n_values, 1));
  g_autofree double *burden = g_try_new (double, MAX (n_values, 1));
  if (hours == NULL || cost == NULL || burden == NULL)
    {
      g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED,
                   _ ("not enough memory for %u cases"), n_cases);
      g_mutex_clear (&run.lock);
      return NULL;
    }
  run.hours = hours;
  run.cost = cost;
  run.burden = burden;

  guint n_params = moa_plan_get_n_params (plan);
  g_autofree guint64 *param_hash = g_new0 (guint64, MAX (n_params, 1));
  for (guint p = 0; p < n_params; p++)
    if (moa_value_is_uncertain (moa_plan_get_param (plan, p)))
      param_hash[p] = moa_random_hash (moa_plan_get_param_key (plan, p));
  g_autofree Walk *walks = g_new0 (Walk, MAX (n_walks, 1));
  for (guint k = 0; k < n_walks; k++)
    walk_init (&walks[k], plan, g_ptr_array_index (plan->chains, k), param_hash);
  run.walks = walks;

  guint n_workers = threads > 0 ? threads : g_get_num_processors ();
  n_workers = CLAMP (n_workers, 1, MAX (run.n_units, 1));
  g_autofree Worker **workers = g_new (Worker *, n_workers);
  for (guint t = 0; t < n_workers; t++)
    workers[t] = worker_new (&run);

  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  for (guint t = 1; t < n_workers; t++)
    g_ptr_array_add (others, g_thread_new ("moa-cases", worker_thread, workers[t]));

  /* this thread works too, and reports progress between its units */
  guint64 total = (guint64)n_walks * n_cases;
  gint64 last_report = g_get_monotonic_time ();
  guint unit;
  while (next_unit (&run, &unit))
    {
      run_unit (workers[0], unit);
      gint64 now = g_get_monotonic_time ();
      if (progress != NULL && now - last_report >= PROGRESS_INTERVAL_US)
        {
          guint64 done = (guint)g_atomic_int_get (&run.done);
          progress (progress_value (done, total), progress_value (total, total), user_data);
          last_report = now;
        }
    }
  for (guint t = 0; t < others->len; t++)
    g_thread_join (g_ptr_array_index (others, t));
  for (guint t = 0; t < n_workers; t++)
    worker_free (workers[t]);
  for (guint k = 0; k < n_walks; k++)
    walk_clear (&walks[k]);
  g_mutex_clear (&run.lock);

  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_autoptr (MoaCaseSimulation) sim = g_new0 (MoaCaseSimulation, 1);
  sim->procedure = moa_procedure_ref (moa_plan_get_procedure (plan));
  sim->threshold = threshold_hours;
  sim->seed = seed;
  sim->stats = g_array_sized_new (FALSE, TRUE, sizeof (MoaCaseStats), n_walks);

  double t = moa_stats_t_quantile (CONFIDENCE, n_cases > 1 ? n_cases - 1 : 1);
  g_autofree double *scratch = g_new (double, n_cases);
  for (guint k = 0; k < n_walks; k++)
    {
      const PlanChain *chain = g_ptr_array_index (plan->chains, k);
      const MoaFigures *point = &ws->chain_per_case[k];
      gsize base = (gsize)k * n_cases;
      MoaCaseStats s = { 0 };
      guint above = 0;

      s.obligation = chain->obligation->id;
      s.segment = chain->segment->id;
      s.n = n_cases;
      compute_stat (hours + base, n_cases, point->hours, t, scratch, &s.hours);
      compute_stat (cost + base, n_cases, point->cost, t, scratch, &s.cost);
      compute_stat (burden + base, n_cases, point->burden, t, scratch, &s.burden);
      for (guint c = 0; c < n_cases; c++)
        above += hours[base + c] > threshold_hours;
      s.share_above = (double)above / n_cases;
      g_array_append_val (sim->stats, s);
    }

  if (progress != NULL)
    progress (progress_value (total, total), progress_value (total, total), user_data);
  return g_steal_pointer (&sim);
}

/* Frees @simulation. NULL-safe. */
void
moa_case_simulation_free (MoaCaseSimulation *simulation)
{
  if (simulation == NULL)
    return;
  g_clear_pointer (&simulation->stats, g_array_unref);
  g_clear_pointer (&simulation->procedure, moa_procedure_unref);
  g_free (simulation);
}

/* Returns the statistics (borrowed; valid as long as @simulation). */
const GArray *
moa_case_simulation_get_stats (const MoaCaseSimulation *simulation)
{
  g_return_val_if_fail (simulation != NULL, NULL);
  return simulation->stats;
}

/* Returns the threshold of share_above, in hours. */
double
moa_case_simulation_get_threshold (const MoaCaseSimulation *simulation)
{
  g_return_val_if_fail (simulation != NULL, 0.0);
  return simulation->threshold;
}

/* Returns the seed the cases were drawn with. */
guint64
moa_case_simulation_get_seed (const MoaCaseSimulation *simulation)
{
  g_return_val_if_fail (simulation != NULL, 0);
  return simulation->seed;
}
