/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Savings of a simplification: the exact before and after matched entity by entity, the saving
 * attributed to each measure (cumulative and alone), the one-off cost of the change and the
 * paired Monte Carlo interval of the saving (docs/scenario-format.md, "What is computed"). */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-compare.h"
#include "moa-error.h"
#include "moa-plan.h"
#include "moa-stats.h"

/* docs/scenario-format.md: one-off-years defaults to 10 (methodology.md §2: Australia, 10
 * years, no discounting [T]); the same span when the after is a procedure file. */
#define DEFAULT_ONE_OFF_YEARS 10.0

struct _MoaComparison
{
  MoaResult *before;
  MoaResult *after;
  const MoaScenario *scenario; /* borrowed */
  MoaCompareOptions options;

  GArray *entities; /* MoaEntitySaving */
  GArray *measures; /* MoaMeasureSaving */
  double interaction;

  double one_off;
  double one_off_per_year;
  double payback_years;

  guint iterations; /* 0 without Monte Carlo */
  MoaStat saving_stat;
  MoaStat citizens_hours_stat;
  MoaStat businesses_stat;
  double *saving_samples;
  /* kept for moa_comparison_get_before_simulation() and _get_after_simulation(): the
   * simulations borrow their plans, which are freed after them */
  MoaPlan *before_plan;
  MoaPlan *after_plan;
  MoaSimulation *before_simulation;
  MoaSimulation *after_simulation;
};

void
moa_compare_options_init (MoaCompareOptions *options)
{
  g_return_if_fail (options != NULL);
  memset (options, 0, sizeof *options);
  options->iterations = 0;
  options->seed = 1;
  options->threads = 0;
  options->confidence = 0.95;
  options->totals_only = FALSE;
}

static void
entity_saving_clear (gpointer data)
{
  MoaEntitySaving *s = data;
  g_clear_pointer (&s->id, g_free);
  g_clear_pointer (&s->obligation, g_free);
  g_clear_pointer (&s->segment, g_free);
}

void
moa_comparison_free (MoaComparison *comparison)
{
  if (comparison == NULL)
    return;
  g_clear_pointer (&comparison->before, moa_result_unref);
  g_clear_pointer (&comparison->after, moa_result_unref);
  g_clear_pointer (&comparison->entities, g_array_unref);
  g_clear_pointer (&comparison->measures, g_array_unref);
  g_free (comparison->saving_samples);
  g_clear_pointer (&comparison->before_simulation, moa_simulation_free);
  g_clear_pointer (&comparison->after_simulation, moa_simulation_free);
  g_clear_pointer (&comparison->before_plan, moa_plan_free);
  g_clear_pointer (&comparison->after_plan, moa_plan_free);
  g_free (comparison);
}

/* --- evaluation ----------------------------------------------------------------------------- */

/* The cost model @procedure is evaluated under: @model when given, else the procedure's own
 * from @models. Borrowed; NULL with @error set when there is none. */
static MoaCostModel *
model_for (const MoaProcedure *procedure, MoaModelSet *models, MoaCostModel *model, GError **error)
{
  if (model != NULL)
    return model;

  g_autofree char *where = procedure->file != NULL && procedure->line > 0
                               ? g_strdup_printf ("%s:%d: ", procedure->file, procedure->line)
                           : procedure->file != NULL ? g_strdup_printf ("%s: ", procedure->file)
                                                     : g_strdup ("");
  if (procedure->cost_model == NULL)
    {
      g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL,
                   _ ("%sprocedure \"%s\": no cost-model attribute and no cost model given "
                      "(expected the id of a loaded cost model)"),
                   where, procedure->id);
      return NULL;
    }
  MoaCostModel *found
      = models != NULL ? moa_model_set_lookup (models, procedure->cost_model) : NULL;
  if (found == NULL)
    g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL,
                 _ ("%sprocedure \"%s\": cost model \"%s\" is not among the loaded cost models"),
                 where, procedure->id, procedure->cost_model);
  return found;
}

/* Plans @procedure under its cost model (see model_for()). Returns a new plan or NULL with
 * @error set. */
static MoaPlan *
plan_for (MoaProcedure *procedure, MoaModelSet *models, MoaCostModel *model, GError **error)
{
  MoaCostModel *used = model_for (procedure, models, model, error);
  if (used == NULL)
    return NULL;
  return moa_plan_new (procedure, used, NULL, error);
}

/* Plans and evaluates @procedure exactly; NULL with @error set on failure. */
static MoaResult *
evaluate (MoaProcedure *procedure, MoaModelSet *models, MoaCostModel *model, GError **error)
{
  g_autoptr (MoaPlan) plan = plan_for (procedure, models, model, error);
  if (plan == NULL)
    return NULL;
  return moa_plan_evaluate (plan, NULL, error);
}

/* --- entities matched by id ------------------------------------------------------------------ */

/* An entity of one or both sides while the list is merged. */
typedef struct
{
  MoaEntitySaving saving;
  char *key;
} Row;

static void
row_free (Row *row)
{
  entity_saving_clear (&row->saving);
  g_free (row->key);
  g_free (row);
}

/* The key entities are matched on: the kind, then the id, obligation and segment (activities
 * are keyed by (obligation, node, segment)); the four totals by their kind alone, since their
 * id is the procedure's, which an after procedure file may change. */
static char *
entity_key (const MoaEntity *e)
{
  switch (e->kind)
    {
      case MOA_ENTITY_TOTAL:
      case MOA_ENTITY_CITIZENS:
      case MOA_ENTITY_BUSINESSES:
      case MOA_ENTITY_ADMINISTRATION:
        return g_strdup_printf ("%d", (int)e->kind);
      case MOA_ENTITY_OBLIGATION:
      case MOA_ENTITY_GROUP:
      case MOA_ENTITY_SEGMENT:
      case MOA_ENTITY_ACTIVITY:
        break;
    }
  return g_strdup_printf ("%d\x1f%s\x1f%s\x1f%s", (int)e->kind, e->id,
                          e->obligation != NULL ? e->obligation : "",
                          e->segment != NULL ? e->segment : "");
}

/* The recurring figures per year of entity @e of the plan that computed @result. Activities of
 * a one-off obligation have no recurring figures: their one-off burden is in the totals'
 * one_off and in moa_comparison_get_one_off(). */
static MoaFigures
figures_of (const MoaResult *result, const MoaEntity *e)
{
  static const MoaFigures zero = { 0 };
  switch (e->kind)
    {
      case MOA_ENTITY_TOTAL:
        return result->total.recurring;
      case MOA_ENTITY_CITIZENS:
        return result->citizens.recurring;
      case MOA_ENTITY_BUSINESSES:
        return result->businesses.recurring;
      case MOA_ENTITY_ADMINISTRATION:
        return result->administration.recurring;
      case MOA_ENTITY_OBLIGATION:
        return g_array_index (result->obligations, MoaTotal, e->result_index).recurring;
      case MOA_ENTITY_GROUP:
        return g_array_index (result->groups, MoaTotal, e->result_index).recurring;
      case MOA_ENTITY_SEGMENT:
        return g_array_index (result->segments, MoaTotal, e->result_index).recurring;
      case MOA_ENTITY_ACTIVITY:
        {
          const MoaActivityResult *row
              = &g_array_index (result->activities, MoaActivityResult, e->result_index);
          return row->obligation->one_off ? zero : row->per_year;
        }
    }
  g_assert_not_reached ();
}

static Row *
row_new (const MoaEntity *e, char *key)
{
  Row *row = g_new0 (Row, 1);
  row->key = key;
  row->saving.kind = e->kind;
  row->saving.id = g_strdup (e->id);
  row->saving.obligation = g_strdup (e->obligation);
  row->saving.segment = g_strdup (e->segment);
  return row;
}

/* The entities of both plans, before's in its order, and each entity only the after has
 * placed right after the one that precedes it in the after's order (so an added activity sits
 * among its obligation's, an added obligation among the obligations). Returns a new array of
 * MoaEntitySaving. */
static GArray *
match_entities (const MoaPlan *before_plan, const MoaResult *before, const MoaPlan *after_plan,
                const MoaResult *after)
{
  GQueue queue = G_QUEUE_INIT;
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);

  guint n_before = moa_plan_get_n_entities (before_plan);
  for (guint i = 0; i < n_before; i++)
    {
      const MoaEntity *e = moa_plan_get_entity (before_plan, i);
      Row *row = row_new (e, entity_key (e));
      row->saving.before = figures_of (before, e);
      g_queue_push_tail (&queue, row);
      g_hash_table_insert (index, row->key, g_queue_peek_tail_link (&queue));
    }

  GList *cursor = NULL;
  guint n_after = moa_plan_get_n_entities (after_plan);
  for (guint i = 0; i < n_after; i++)
    {
      const MoaEntity *e = moa_plan_get_entity (after_plan, i);
      g_autofree char *key = entity_key (e);
      GList *link = g_hash_table_lookup (index, key);
      if (link == NULL)
        {
          Row *row = row_new (e, g_steal_pointer (&key));
          link = g_list_alloc ();
          link->data = row;
          if (cursor == NULL)
            g_queue_push_head_link (&queue, link);
          else
            g_queue_insert_after_link (&queue, cursor, link);
          g_hash_table_insert (index, row->key, link);
        }
      ((Row *)link->data)->saving.after = figures_of (after, e);
      cursor = link;
    }

  GArray *entities = g_array_sized_new (FALSE, TRUE, sizeof (MoaEntitySaving), queue.length);
  g_array_set_clear_func (entities, entity_saving_clear);
  for (GList *l = queue.head; l != NULL; l = l->next)
    {
      Row *row = l->data;
      MoaEntitySaving *s = &row->saving;
      s->saving = s->before.burden - s->after.burden;
      s->saving_percent = s->before.burden != 0.0 ? s->saving / s->before.burden * 100.0 : 0.0;
      g_array_append_val (entities, *s);
      /* the strings now belong to the array */
      memset (s, 0, sizeof *s);
    }
  g_hash_table_remove_all (index);
  g_queue_clear_full (&queue, (GDestroyNotify)row_free);
  return entities;
}

/* --- attribution to the measures -------------------------------------------------------------- */

/* What attribution reads of one evaluation. */
typedef struct
{
  double burden;         /* total recurring burden per year */
  double citizens_hours; /* citizens' recurring own hours per year */
  double businesses;     /* businesses' recurring burden per year */
  double one_off;        /* total one-off burden */
} Point;

static Point
point_of (const MoaResult *result)
{
  Point p = { result->total.recurring.burden, result->citizens.recurring.hours,
              result->businesses.recurring.burden, result->total.one_off.burden };
  return p;
}

/* Applies the first @n measures of @scenario (or, @only >= 0, that measure alone) and evaluates
 * the procedure. FALSE with @error set on failure, the message followed by the step of the
 * attribution that met it. */
static gboolean
evaluate_applied (const MoaScenario *scenario, guint n, int only, const MoaMeasure *measure,
                  MoaModelSet *models, MoaCostModel *model, Point *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (MoaProcedure) procedure = n == 0 && only < 0
                                           ? moa_scenario_apply_parents (scenario, &local)
                                           : moa_scenario_apply (scenario, n, only, &local);
  g_autoptr (MoaResult) result = NULL;
  if (procedure != NULL)
    result = evaluate (procedure, models, model, &local);
  if (result == NULL)
    {
      /* the message already names the file, line and element; say which step of the
       * attribution met it */
      const char *file = moa_scenario_get_file (scenario);
      const char *name = file != NULL ? file : moa_scenario_get_id (scenario);
      g_autofree char *step
          = measure == NULL ? g_strdup_printf (_ ("the baseline of scenario %s"), name)
            : only >= 0
                ? g_strdup_printf (_ ("measure \"%s\" of %s applied alone, to attribute the "
                                      "saving"),
                                   measure->id, name)
                : g_strdup_printf (_ ("scenario %s up to measure \"%s\""), name, measure->id);
      g_set_error (error, local->domain, local->code, "%s (%s)", local->message, step);
      return FALSE;
    }
  *out = point_of (result);
  return TRUE;
}

/* Fills comparison->measures and ->interaction (docs/scenario-format.md, "Attribution"):
 * cumulative_k = burden(k - 1) - burden(k), the measures applied in the order written from the
 * baseline after the parent scenarios; alone_k = burden(0) - burden(only k). */
static gboolean
attribute (MoaComparison *c, double total_saving, MoaModelSet *models, MoaCostModel *model,
           GCancellable *cancellable, GError **error)
{
  const MoaScenario *scenario = c->scenario;
  GPtrArray *measures = moa_scenario_get_measures (scenario);

  Point base, previous;
  if (!evaluate_applied (scenario, 0, -1, NULL, models, model, &base, error))
    return FALSE;
  previous = base;

  double sum_alone = 0.0;
  for (guint k = 0; k < measures->len; k++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      const MoaMeasure *measure = g_ptr_array_index (measures, k);
      Point cumulative, alone;
      if (!evaluate_applied (scenario, k + 1, -1, measure, models, model, &cumulative, error))
        return FALSE;
      /* A measure that changes what an earlier one adds (a <set> on an added activity) has no
       * meaning alone: its alone saving, and so the interaction, are undefined (NAN), while
       * the cumulative attribution stands. Other failures are errors. */
      g_autoptr (GError) alone_error = NULL;
      if (!evaluate_applied (scenario, G_MAXUINT, (int)k, measure, models, model, &alone,
                             &alone_error))
        {
          if (!g_error_matches (alone_error, MOA_VALIDATION_ERROR,
                                MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID))
            {
              g_propagate_error (error, g_steal_pointer (&alone_error));
              return FALSE;
            }
          alone.burden = alone.citizens_hours = alone.businesses = NAN;
        }

      MoaMeasureSaving s = { 0 };
      s.measure = measure;
      s.cumulative = previous.burden - cumulative.burden;
      s.alone = base.burden - alone.burden;
      s.citizens_hours_cumulative = previous.citizens_hours - cumulative.citizens_hours;
      s.citizens_hours_alone = base.citizens_hours - alone.citizens_hours;
      s.businesses_cumulative = previous.businesses - cumulative.businesses;
      s.businesses_alone = base.businesses - alone.businesses;
      s.one_off_added = cumulative.one_off - previous.one_off;
      g_array_append_val (c->measures, s);

      sum_alone += s.alone;
      previous = cumulative;
    }
  c->interaction = sum_alone - total_saving;
  return TRUE;
}

/* --- paired Monte Carlo ------------------------------------------------------------------------
 */

/* Progress over both runs: the before counts [0, n), the after [n, 2n). */
typedef struct
{
  MoaProgressFunc progress;
  gpointer user_data;
  guint offset;
  guint total;
} PairedProgress;

static void
paired_progress (guint done, guint total, gpointer data)
{
  PairedProgress *p = data;
  (void)total;
  p->progress (p->offset + done, p->total, p->user_data);
}

/* Statistics of @n per-iteration savings as moa-simulation.h defines them, with @point the
 * exact saving (simulation.md §3: mean, s.d., P5/P50/P95, t interval of the mean). */
static void
summarise (const double *x, guint n, double point, double confidence, double *scratch,
           MoaStat *stat)
{
  static const double p[3] = { 0.05, 0.50, 0.95 };
  double q[3];

  stat->point = point;
  stat->mean = moa_stats_mean_sd (x, n, &stat->sd);
  moa_stats_quantiles (x, n, p, 3, q, scratch);
  stat->p5 = q[0];
  stat->p50 = q[1];
  stat->p95 = q[2];
  double half
      = n > 1 ? moa_stats_t_quantile (confidence, n - 1) * stat->sd / sqrt ((double)n) : 0.0;
  stat->ci_low = stat->mean - half;
  stat->ci_high = stat->mean + half;
}

/* Simulates both plans with the same seed (common random numbers, simulation.md §4) and
 * summarises the per-iteration differences. */
static gboolean
simulate_paired (MoaComparison *c, const MoaPlan *before_plan, const MoaPlan *after_plan,
                 GCancellable *cancellable, MoaProgressFunc progress, gpointer user_data,
                 GError **error)
{
  MoaSimulationOptions so;
  moa_simulation_options_init (&so);
  so.seed = c->options.seed;
  so.iterations = c->options.iterations;
  so.threads = c->options.threads;
  so.confidence = c->options.confidence;
  so.precision = 0.0;
  /* the saving's series below are of totals only */
  so.totals_only = c->options.totals_only;

  PairedProgress pp = { progress, user_data, 0, 0 };
  pp.total = (guint)MIN ((guint64)so.iterations * 2, (guint64)G_MAXUINT);
  MoaProgressFunc func = progress != NULL ? paired_progress : NULL;

  g_autoptr (MoaSimulation) before = moa_simulate (before_plan, &so, cancellable, func, &pp, error);
  if (before == NULL)
    return FALSE;
  pp.offset = moa_simulation_get_iterations (before);
  g_autoptr (MoaSimulation) after = moa_simulate (after_plan, &so, cancellable, func, &pp, error);
  if (after == NULL)
    return FALSE;

  guint n = moa_simulation_get_iterations (before);
  g_assert (n == moa_simulation_get_iterations (after));

  struct
  {
    MoaEntityKind entity;
    MoaQuantity quantity;
    MoaStat *stat;
    double point;
  } series[] = {
    { MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN, &c->saving_stat,
      c->before->total.recurring.burden - c->after->total.recurring.burden },
    { MOA_ENTITY_CITIZENS, MOA_QUANTITY_HOURS, &c->citizens_hours_stat,
      c->before->citizens.recurring.hours - c->after->citizens.recurring.hours },
    { MOA_ENTITY_BUSINESSES, MOA_QUANTITY_BURDEN, &c->businesses_stat,
      c->before->businesses.recurring.burden - c->after->businesses.recurring.burden },
  };

  g_autofree double *diff = g_new (double, MAX (n, 1));
  g_autofree double *scratch = g_new (double, MAX (n, 1));
  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      const double *b = moa_simulation_get_samples (before, series[s].entity, series[s].quantity);
      const double *a = moa_simulation_get_samples (after, series[s].entity, series[s].quantity);
      for (guint i = 0; i < n; i++)
        diff[i] = b[i] - a[i];
      summarise (diff, n, series[s].point, c->options.confidence, scratch, series[s].stat);
      if (s == 0)
        c->saving_samples = g_memdup2 (diff, sizeof (double) * MAX (n, 1));
    }
  c->iterations = n;
  c->before_simulation = g_steal_pointer (&before);
  c->after_simulation = g_steal_pointer (&after);
  return TRUE;
}

/* --- the comparison ------------------------------------------------------------------------------
 */

/* Returns a new comparison of @baseline with @after, or NULL with @error set: a missing cost
 * model (naming the procedure and the model), a procedure that cannot be planned or evaluated,
 * a measure that cannot be applied, a failed simulation, or G_IO_ERROR_CANCELLED. @scenario is
 * borrowed and must outlive the comparison (moa_comparison_get_scenario() and the measures
 * point into it). */
MoaComparison *
moa_compare (MoaProcedure *baseline, MoaProcedure *after, const MoaScenario *scenario,
             MoaModelSet *models, MoaCostModel *model, const MoaCompareOptions *options,
             GCancellable *cancellable, MoaProgressFunc progress, gpointer user_data,
             GError **error)
{
  g_return_val_if_fail (baseline != NULL, NULL);
  g_return_val_if_fail (after != NULL, NULL);
  g_return_val_if_fail (models != NULL || model != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (MoaComparison) c = g_new0 (MoaComparison, 1);
  if (options != NULL)
    c->options = *options;
  else
    moa_compare_options_init (&c->options);
  if (!(c->options.confidence > 0.0 && c->options.confidence < 1.0))
    c->options.confidence = 0.95;
  c->scenario = scenario;
  c->measures = g_array_new (FALSE, TRUE, sizeof (MoaMeasureSaving));

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_autoptr (MoaPlan) before_plan = plan_for (baseline, models, model, error);
  if (before_plan == NULL)
    return NULL;
  g_autoptr (MoaPlan) after_plan = plan_for (after, models, model, error);
  if (after_plan == NULL)
    return NULL;
  c->before = moa_plan_evaluate (before_plan, NULL, error);
  if (c->before == NULL)
    return NULL;
  c->after = moa_plan_evaluate (after_plan, NULL, error);
  if (c->after == NULL)
    return NULL;

  c->entities = match_entities (before_plan, c->before, after_plan, c->after);
  double total_saving = c->before->total.recurring.burden - c->after->total.recurring.burden;

  if (scenario != NULL && !attribute (c, total_saving, models, model, cancellable, error))
    return NULL;

  /* one-off burden of the change, apart, annualised without discounting */
  double years
      = scenario != NULL ? moa_scenario_get_one_off_years (scenario) : DEFAULT_ONE_OFF_YEARS;
  c->one_off = c->after->total.one_off.burden - c->before->total.one_off.burden;
  c->one_off_per_year = years > 0.0 ? c->one_off / years : NAN;
  c->payback_years = c->one_off > 0.0 && total_saving > 0.0 ? c->one_off / total_saving : NAN;

  if (c->options.iterations > 0
      && !simulate_paired (c, before_plan, after_plan, cancellable, progress, user_data, error))
    return NULL;

  c->before_plan = g_steal_pointer (&before_plan);
  c->after_plan = g_steal_pointer (&after_plan);
  return g_steal_pointer (&c);
}

/* --- accessors
 * ------------------------------------------------------------------------------------ */

MoaResult *
moa_comparison_get_before (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->before;
}

MoaResult *
moa_comparison_get_after (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->after;
}

const MoaScenario *
moa_comparison_get_scenario (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->scenario;
}

const MoaCompareOptions *
moa_comparison_get_options (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return &comparison->options;
}

GArray *
moa_comparison_get_entities (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->entities;
}

GArray *
moa_comparison_get_measures (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->measures;
}

double
moa_comparison_get_interaction (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NAN);
  return comparison->interaction;
}

double
moa_comparison_get_one_off (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NAN);
  return comparison->one_off;
}

double
moa_comparison_get_one_off_per_year (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NAN);
  return comparison->one_off_per_year;
}

double
moa_comparison_get_payback_years (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NAN);
  return comparison->payback_years;
}

const MoaStat *
moa_comparison_get_saving_stat (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->iterations > 0 ? &comparison->saving_stat : NULL;
}

const MoaStat *
moa_comparison_get_citizens_hours_stat (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->iterations > 0 ? &comparison->citizens_hours_stat : NULL;
}

const MoaStat *
moa_comparison_get_businesses_stat (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->iterations > 0 ? &comparison->businesses_stat : NULL;
}

const double *
moa_comparison_get_saving_samples (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->saving_samples;
}

guint
moa_comparison_get_iterations (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, 0);
  return comparison->iterations;
}

const MoaSimulation *
moa_comparison_get_before_simulation (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->before_simulation;
}

const MoaSimulation *
moa_comparison_get_after_simulation (const MoaComparison *comparison)
{
  g_return_val_if_fail (comparison != NULL, NULL);
  return comparison->after_simulation;
}
