/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks a procedure against its cost model and compiles it into flat arrays for exact,
 * repeatable evaluation (simulation.md §2: expected executions by a linear solve). */
#include "moa-config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-error.h"
#include "moa-linalg.h"
#include "moa-plan-private.h"
#include "moa-plan.h"
#include "moa-result-private.h"

#define PROBABILITY_TOLERANCE 1e-9

static void
plan_chain_free (PlanChain *chain)
{
  g_clear_pointer (&chain->edges, g_array_unref);
  g_free (chain->in_first);
  g_free (chain->in_edges);
  g_free (chain->scc_nodes);
  g_free (chain->cycle_edges);
  g_clear_pointer (&chain->sccs, g_array_unref);
  g_clear_pointer (&chain->activities, g_array_unref);
  g_clear_pointer (&chain->all_populations, g_array_unref);
  g_free (chain);
}

void
moa_plan_free (MoaPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->procedure, moa_procedure_unref);
  g_clear_pointer (&plan->model, moa_cost_model_unref);
  g_ptr_array_unref (plan->params);
  g_array_unref (plan->key_specs);
  g_clear_pointer (&plan->keys, g_ptr_array_unref);
  g_mutex_clear (&plan->keys_lock);
  g_array_unref (plan->means);
  g_hash_table_unref (plan->param_index);
  g_ptr_array_unref (plan->chains);
  g_clear_pointer (&plan->entities, g_array_unref);
  g_free (plan->template);
  g_clear_pointer (&plan->spare_workspace, moa_plan_workspace_free);
  g_clear_pointer (&plan->rows, g_array_unref);
  if (plan->layouts != NULL)
    {
      for (guint i = 0; i < plan->layouts->len; i++)
        {
          PlanChainLayout *l = &g_array_index (plan->layouts, PlanChainLayout, i);
          g_array_unref (l->offices);
          g_array_unref (l->office_segments);
        }
      g_array_unref (plan->layouts);
    }
  g_free (plan);
}

/* Returns the slot of @value, registering it under @key the first time; -1 for NULL. */
static int
plan_add_param (MoaPlan *plan, MoaValue *value, KeySpec key)
{
  if (value == NULL)
    return -1;
  gpointer found = g_hash_table_lookup (plan->param_index, value);
  if (found != NULL)
    return GPOINTER_TO_INT (found) - 1;
  int index = plan->params->len;
  g_ptr_array_add (plan->params, moa_value_ref (value));
  g_array_append_val (plan->key_specs, key);
  g_array_append_val (plan->means, value->mean);
  g_hash_table_insert (plan->param_index, value, GINT_TO_POINTER (index + 1));
  return index;
}

/* Registers the value of @param for @segment under @key; the key names the segment when the
 * value is the segment's override. */
static int
plan_add_segment_param (MoaPlan *plan, const MoaParam *param, const char *segment, KeySpec key)
{
  MoaValue *value = moa_param_get (param, segment);
  if (value == NULL)
    return -1;
  if (value != param->value)
    key.segment = segment;
  return plan_add_param (plan, value, key);
}

static char *
key_spec_to_string (const KeySpec *k)
{
  GString *s = g_string_new (k->model ? "model:" : NULL);
  g_string_append (s, k->owner);
  if (k->node != NULL)
    g_string_append_printf (s, "/%s", k->node);
  if (k->target != NULL)
    g_string_append_printf (s, ">%s", k->target);
  g_string_append_printf (s, ":%s", k->attribute);
  if (k->segment != NULL)
    g_string_append_printf (s, "@%s", k->segment);
  return g_string_free (s, FALSE);
}

#define NODE_KEY(obligation, node, attribute)                                                      \
  ((KeySpec){ FALSE, (obligation)->id, (node)->id, NULL, (attribute), NULL })

static const char *
file_of (const MoaProcedure *procedure)
{
  return procedure->file != NULL ? procedure->file : procedure->id;
}

/* --- structure: node indexes, flows, strongly connected components ----------------------- */

typedef struct
{
  GHashTable *index; /* node id -> index + 1 */
  guint n;
} NodeMap;

static int
node_lookup (NodeMap *map, const char *id)
{
  if (id == NULL)
    return -1;
  return GPOINTER_TO_INT (g_hash_table_lookup (map->index, id)) - 1;
}

/* Tarjan's algorithm, iterative, over the structural graph. Components come out in reverse
 * topological order; they are reversed at the end. */
typedef struct
{
  guint n;
  const guint *out_first;
  const guint *out_to;
  int *index;
  int *low;
  gboolean *on_stack;
  guint *stack;
  guint stack_len;
  int counter;
  GArray *sccs;
  guint *scc_nodes;
  guint scc_len;
} Tarjan;

static void
tarjan_visit (Tarjan *t, guint root)
{
  /* explicit call stack: (node, next out-edge position) */
  g_autofree guint *call_node = g_new (guint, t->n);
  g_autofree guint *call_pos = g_new (guint, t->n);
  guint depth = 0;

  call_node[0] = root;
  call_pos[0] = t->out_first[root];
  t->index[root] = t->low[root] = t->counter++;
  t->stack[t->stack_len++] = root;
  t->on_stack[root] = TRUE;
  depth = 1;

  while (depth > 0)
    {
      guint v = call_node[depth - 1];
      if (call_pos[depth - 1] < t->out_first[v + 1])
        {
          guint w = t->out_to[call_pos[depth - 1]++];
          if (t->index[w] < 0)
            {
              t->index[w] = t->low[w] = t->counter++;
              t->stack[t->stack_len++] = w;
              t->on_stack[w] = TRUE;
              call_node[depth] = w;
              call_pos[depth] = t->out_first[w];
              depth++;
            }
          else if (t->on_stack[w])
            t->low[v] = MIN (t->low[v], t->index[w]);
          continue;
        }
      if (t->low[v] == t->index[v])
        {
          PlanScc scc = { t->scc_len, 0, FALSE };
          guint w;
          do
            {
              w = t->stack[--t->stack_len];
              t->on_stack[w] = FALSE;
              t->scc_nodes[t->scc_len++] = w;
              scc.n++;
            }
          while (w != v);
          g_array_append_val (t->sccs, scc);
        }
      depth--;
      if (depth > 0)
        {
          guint parent = call_node[depth - 1];
          t->low[parent] = MIN (t->low[parent], t->low[v]);
        }
    }
}

static void
chain_build_sccs (PlanChain *chain)
{
  guint n = chain->n_nodes;
  PlanEdge *edges = (PlanEdge *)chain->edges->data;
  guint n_edges = chain->edges->len;
  g_autofree guint *out_first = g_new0 (guint, n + 1);
  g_autofree guint *out_to = g_new (guint, MAX (n_edges, 1));

  /* edges are sorted by source */
  for (guint e = 0; e < n_edges; e++)
    out_first[edges[e].from + 1]++;
  for (guint i = 0; i < n; i++)
    out_first[i + 1] += out_first[i];
  for (guint e = 0; e < n_edges; e++)
    out_to[e] = edges[e].to;

  Tarjan t = { 0 };
  t.n = n;
  t.out_first = out_first;
  t.out_to = out_to;
  t.index = g_new (int, n);
  t.low = g_new (int, n);
  t.on_stack = g_new0 (gboolean, n);
  t.stack = g_new (guint, n);
  t.sccs = g_array_new (FALSE, FALSE, sizeof (PlanScc));
  t.scc_nodes = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    t.index[i] = -1;
  for (guint i = 0; i < n; i++)
    if (t.index[i] < 0)
      tarjan_visit (&t, i);

  /* reverse to topological order, renumbering node positions */
  chain->scc_nodes = g_new (guint, n);
  chain->sccs = g_array_sized_new (FALSE, FALSE, sizeof (PlanScc), t.sccs->len);
  guint pos = 0;
  chain->max_scc = 0;
  for (guint k = t.sccs->len; k-- > 0;)
    {
      PlanScc s = g_array_index (t.sccs, PlanScc, k);
      PlanScc out = { pos, s.n, s.n > 1, -1 };
      for (guint j = 0; j < s.n; j++)
        chain->scc_nodes[pos++] = t.scc_nodes[s.first + j];
      if (s.n == 1)
        {
          guint v = chain->scc_nodes[out.first];
          for (guint e = out_first[v]; e < out_first[v + 1]; e++)
            if (out_to[e] == v)
              out.cyclic = TRUE;
        }
      chain->max_scc = MAX (chain->max_scc, out.n);
      g_array_append_val (chain->sccs, out);
    }

  /* incoming edges per node */
  chain->in_first = g_new0 (guint, n + 1);
  chain->in_edges = g_new (guint, MAX (n_edges, 1));
  for (guint e = 0; e < n_edges; e++)
    chain->in_first[edges[e].to + 1]++;
  for (guint i = 0; i < n; i++)
    chain->in_first[i + 1] += chain->in_first[i];
  g_autofree guint *fill = g_memdup2 (chain->in_first, sizeof (guint) * (n + 1));
  for (guint e = 0; e < n_edges; e++)
    chain->in_edges[fill[edges[e].to]++] = e;

  /* simple cycles: a loop of n nodes with n flows among them (each node has then one flow in
   * from the loop and one out to it); their flows in cycle order, from the first node */
  g_autofree int *scc_of = g_new (int, MAX (n, 1));
  PlanScc *sccs = (PlanScc *)chain->sccs->data;
  for (guint s = 0; s < chain->sccs->len; s++)
    for (guint j = 0; j < sccs[s].n; j++)
      scc_of[chain->scc_nodes[sccs[s].first + j]] = (int)s;
  chain->cycle_edges = g_new (guint, MAX (n_edges, 1));
  guint n_cycle_edges = 0;
  for (guint s = 0; s < chain->sccs->len; s++)
    {
      PlanScc *scc = &sccs[s];
      guint inner = 0;
      if (!scc->cyclic)
        continue;
      for (guint e = 0; e < n_edges; e++)
        inner += scc_of[edges[e].from] == (int)s && scc_of[edges[e].to] == (int)s;
      if (inner != scc->n)
        continue;
      scc->cycle = (int)n_cycle_edges;
      guint node = chain->scc_nodes[scc->first];
      for (guint k = 0; k < scc->n; k++)
        {
          guint e = out_first[node];
          while (scc_of[edges[e].to] != (int)s)
            e++;
          chain->cycle_edges[n_cycle_edges++] = e;
          node = edges[e].to;
        }
    }

  g_free (t.index);
  g_free (t.low);
  g_free (t.on_stack);
  g_free (t.stack);
  g_array_unref (t.sccs);
  g_free (t.scc_nodes);
}

/* --- evaluation of the workflow equations ------------------------------------------------ */

static inline double
param_value (const double *x, int slot)
{
  return slot >= 0 ? x[slot] : 0.0;
}

/* moa_plan_chain_weights() with parameter p at x[p * stride]: a chunk of iterations keeps
 * each parameter's values together (moa_plan_chunk_evaluate()). */
static inline void
chain_weights_strided (const PlanChain *chain, const double *x, gsize stride, double *w)
{
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  for (guint e = 0; e < chain->edges->len; e++)
    {
      const PlanEdge *edge = &edges[e];
      double weight = 1.0;
      if (edge->param >= 0 || edge->is_default)
        {
          /* the gateway's branches with a probability, and whether one is the default */
          double sum = 0.0;
          gboolean has_default = FALSE;
          for (guint k = edge->group_first; k < edge->group_first + edge->group_n; k++)
            {
              if (edges[k].param >= 0)
                sum += x[edges[k].param * stride];
              has_default |= edges[k].is_default;
            }
          /* Sampled probabilities may sum to more than 1: they are then scaled to sum 1 and
           * the default branch gets nothing (docs/procedure-format.md). At the expected
           * values the plan has checked that the sum leaves room for the default. */
          if (edge->is_default)
            weight = sum > 1.0 ? 0.0 : 1.0 - sum;
          else if (has_default && sum > 1.0)
            weight = x[edge->param * stride] / sum;
          else
            weight = x[edge->param * stride];
        }
      w[e] = weight * edge->scale;
    }
}

/* moa_plan_chain_cases() with parameter p at x[p * stride] (see chain_weights_strided()). */
static inline double
chain_cases_strided (const PlanChain *chain, const double *x, gsize stride)
{
  double compliance = chain->compliance >= 0 ? x[chain->compliance * stride] : 1.0;
  double population = chain->population >= 0 ? x[chain->population * stride] : 0.0;
  if (chain->frequency >= 0)
    return population * x[chain->frequency * stride] * compliance;
  /* <for segment cases> gives that segment's own cases; the obligation's are shared */
  if (chain->cases_own)
    return x[chain->cases * stride] * compliance;
  double total = 0.0;
  for (guint i = 0; i < chain->all_populations->len; i++)
    {
      int slot = g_array_index (chain->all_populations, int, i);
      total += slot >= 0 ? x[slot * stride] : 0.0;
    }
  double share = total > 0.0 ? population / total : 1.0 / chain->all_populations->len;
  return x[chain->cases * stride] * share * compliance;
}

void
moa_plan_chain_weights (const PlanChain *chain, const double *x, double *w)
{
  chain_weights_strided (chain, x, 1, w);
}

/* Expected executions per case: v_j = [j = start] + sum over flows i -> j of w_ij v_i,
 * i.e. (I - Q^T) v = e_start, solved component by component in topological order; each loop
 * (cyclic component) is one dense LU solve of its own block. */
/* Buffers for the LU solves of the loops of a chain; local[] is kept at -1 between uses. */
void
plan_solve_scratch_init (PlanSolveScratch *scratch, guint max_scc, guint max_nodes)
{
  max_scc = MAX (max_scc, 1);
  scratch->a = g_new (double, max_scc *max_scc);
  scratch->b = g_new (double, max_scc);
  scratch->perm = g_new (gsize, max_scc);
  scratch->local = g_new (int, MAX (max_nodes, 1));
  for (guint i = 0; i < MAX (max_nodes, 1); i++)
    scratch->local[i] = -1;
}

void
plan_solve_scratch_clear (PlanSolveScratch *scratch)
{
  g_free (scratch->a);
  g_free (scratch->b);
  g_free (scratch->perm);
  g_free (scratch->local);
}

/* Relative tolerance below zero for the executions of a loop's nodes: rounding, not growth. */
#define NEGATIVE_VISITS_TOLERANCE 1e-9

typedef enum
{
  CYCLE_SOLVED,
  CYCLE_SINGULAR,
  CYCLE_NOT_FINITE,
  CYCLE_GROWS,
} CycleStatus;

/* The executions of the nodes of a simple cycle c_0 -> c_1 -> ... -> c_{n-1} -> c_0 (flows of
 * weights w_0 ... w_{n-1}), entered from outside with b_i (the start's 1 and the flows from
 * the components before it): v_i = b_i + w_{i-1} v_{i-1}, so v_0 = (b_0 + w_{n-1} A) / (1 - P)
 * where A is v_{n-1} computed with v_0 = 0 and P = w_0 ... w_{n-1} is the chance of going once
 * round; then each v_i in cycle order. The exact solution of the loop's block, as the LU solve
 * gives it for other loops, in O(n) instead of O(n^3); the singularity rule is the LU solve's
 * (a pivot 1 - P at most 1e-12 times the largest coefficient, 1 or a larger weight; for a node
 * that flows to itself alone, whose block is 1 - P, slightly stricter than LU: more than 10^12
 * executions per case are refused, not only infinitely many). A loop that
 * is never entered (all b_i = 0) runs 0 times. Flow e's weight is w[e x @stride], node j's
 * executions v[j x @stride]; @b: n doubles of scratch. */
static CycleStatus
cycle_visits (const PlanChain *chain, const PlanScc *scc, const double *w, double *v, gsize stride,
              double *b)
{
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  const guint *cycle = chain->cycle_edges + scc->cycle;
  guint n = scc->n;
  double a = 0.0, p = 1.0, largest = 1.0;

  for (guint i = 0; i < n; i++)
    {
      guint j = edges[cycle[i]].from;
      guint inner = i == 0 ? cycle[n - 1] : cycle[i - 1];
      double sum = j == chain->start ? 1.0 : 0.0;
      for (guint k = chain->in_first[j]; k < chain->in_first[j + 1]; k++)
        {
          guint e = chain->in_edges[k];
          if (e != inner)
            sum += w[e * stride] * v[edges[e].from * stride];
        }
      b[i] = sum;
      /* A = v_{n-1} with v_0 = 0 */
      a = i == 0 ? 0.0 : b[i] + w[inner * stride] * a;
      p *= w[cycle[i] * stride];
      largest = MAX (largest, fabs (w[cycle[i] * stride]));
    }
  gboolean entered = FALSE;
  for (guint i = 0; i < n; i++)
    entered |= b[i] != 0.0;
  if (!entered)
    {
      for (guint i = 0; i < n; i++)
        v[edges[cycle[i]].from * stride] = 0.0;
      return CYCLE_SOLVED;
    }
  double pivot = 1.0 - p;
  if (!(fabs (pivot) > 1e-12 * largest))
    return CYCLE_SINGULAR;
  double prev = (b[0] + w[cycle[n - 1] * stride] * a) / pivot;
  v[edges[cycle[0]].from * stride] = prev;
  double high = fabs (prev);
  gboolean finite = isfinite (prev) != 0, negative = FALSE;
  for (guint i = 1; i < n; i++)
    {
      prev = b[i] + w[cycle[i - 1] * stride] * prev;
      v[edges[cycle[i]].from * stride] = prev;
      finite &= isfinite (prev) != 0;
      high = MAX (high, fabs (prev));
    }
  if (!finite)
    return CYCLE_NOT_FINITE;
  for (guint i = 0; i < n; i++)
    negative |= v[edges[cycle[i]].from * stride] < -NEGATIVE_VISITS_TOLERANCE * high;
  return negative ? CYCLE_GROWS : CYCLE_SOLVED;
}

/* The executions of the nodes of the loop (cyclic component) @scc, those of the components
 * before it known: a simple cycle by cycle_visits(), any other by a dense LU solve of its
 * block. Weights and executions as in cycle_visits() (@stride). A loop whose solution has
 * negative executions is one that grows: an AND split in it sends more than one token around
 * it per pass (the spectral radius of its block is above 1, so the expected executions are
 * infinite; with every weight >= 0 the solution of a block with radius below 1 is never
 * negative). */
static gboolean
loop_visits (const PlanChain *chain, const PlanScc *scc, const double *w, double *v, gsize stride,
             PlanSolveScratch *scratch, GError **error)
{
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  double *a = scratch->a;
  double *b = scratch->b;
  int *local = scratch->local;
  guint n = scc->n;

  if (scc->cycle >= 0)
    {
      switch (cycle_visits (chain, scc, w, v, stride, b))
        {
          case CYCLE_SOLVED:
            return TRUE;
          case CYCLE_SINGULAR:
            g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_SINGULAR,
                         _ ("the workflow equations are singular: a loop is never left"));
            break;
          case CYCLE_NOT_FINITE:
            g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                         _ ("the workflow equations gave a non-finite number of executions"));
            break;
          case CYCLE_GROWS:
            g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                         _ ("a loop grows without end: an and-split in it sends more than "
                            "one branch around the loop per pass (join its branches with an "
                            "and-join before the loop repeats)"));
            break;
        }
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    local[chain->scc_nodes[scc->first + i]] = i;
  memset (a, 0, sizeof (double) * n * n);
  for (guint i = 0; i < n; i++)
    {
      guint j = chain->scc_nodes[scc->first + i];
      a[i * n + i] = 1.0;
      b[i] = j == chain->start ? 1.0 : 0.0;
      for (guint k = chain->in_first[j]; k < chain->in_first[j + 1]; k++)
        {
          guint e = chain->in_edges[k];
          int from = local[edges[e].from];
          if (from >= 0)
            a[i * n + from] -= w[e * stride];
          else
            b[i] += w[e * stride] * v[edges[e].from * stride];
        }
    }
  /* a loop that is never entered (only through flows of weight 0) runs 0 times, whether
   * or not it would ever be left: check_certain_loops() looks only at reached nodes */
  gboolean entered = FALSE;
  for (guint i = 0; i < n; i++)
    entered |= b[i] != 0.0;
  if (!entered)
    {
      for (guint i = 0; i < n; i++)
        {
          guint j = chain->scc_nodes[scc->first + i];
          v[j * stride] = 0.0;
          local[j] = -1;
        }
      return TRUE;
    }
  gboolean solved = moa_linalg_solve_perm (n, a, b, scratch->perm, error);
  if (solved)
    {
      double largest = 0.0;
      for (guint i = 0; i < n; i++)
        largest = MAX (largest, fabs (b[i]));
      for (guint i = 0; solved && i < n; i++)
        if (b[i] < -NEGATIVE_VISITS_TOLERANCE * largest)
          {
            g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                         _ ("a loop grows without end: an and-split in it sends more than "
                            "one branch around the loop per pass (join its branches with an "
                            "and-join before the loop repeats)"));
            solved = FALSE;
          }
    }
  for (guint i = 0; i < n; i++)
    {
      guint j = chain->scc_nodes[scc->first + i];
      if (solved)
        v[j * stride] = b[i];
      local[j] = -1;
    }
  return solved;
}

/* On failure *@failed_scc (may be NULL) is the index of the component that could not be
 * solved (see loop_visits()). */
static gboolean
chain_visits_scratch (const PlanChain *chain, const double *w, double *v, PlanSolveScratch *scratch,
                      guint *failed_scc, GError **error)
{
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  const PlanScc *sccs = (const PlanScc *)chain->sccs->data;

  for (guint s = 0; s < chain->sccs->len; s++)
    {
      const PlanScc *scc = &sccs[s];
      if (!scc->cyclic)
        {
          guint j = chain->scc_nodes[scc->first];
          double sum = j == chain->start ? 1.0 : 0.0;
          for (guint k = chain->in_first[j]; k < chain->in_first[j + 1]; k++)
            {
              guint e = chain->in_edges[k];
              sum += w[e] * v[edges[e].from];
            }
          v[j] = sum;
          continue;
        }
      if (!loop_visits (chain, scc, w, v, 1, scratch, error))
        {
          if (failed_scc != NULL)
            *failed_scc = s;
          return FALSE;
        }
    }
  return TRUE;
}

/* chain_visits_scratch() for @n iterations at once: flow e's weight in iteration i is
 * w[e x MOA_PLAN_CHUNK + i], node j's executions go to v[j x MOA_PLAN_CHUNK + i]. A node
 * outside loops is computed for all iterations together (the same sum in the same order, for
 * each), so that the iterations' chains of dependent operations overlap; a loop iteration by
 * iteration. failed[i] is set for an iteration that cannot be solved (its executions are then
 * 0) and such iterations are skipped. */
static void
chain_visits_chunk (const PlanChain *chain, const double *w, double *v, guint n,
                    PlanSolveScratch *scratch, gboolean *failed)
{
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  const PlanScc *sccs = (const PlanScc *)chain->sccs->data;

  for (guint s = 0; s < chain->sccs->len; s++)
    {
      const PlanScc *scc = &sccs[s];
      if (!scc->cyclic)
        {
          guint j = chain->scc_nodes[scc->first];
          double *restrict vj = v + (gsize)j * MOA_PLAN_CHUNK;
          double start = j == chain->start ? 1.0 : 0.0;
          for (guint i = 0; i < n; i++)
            vj[i] = start;
          for (guint k = chain->in_first[j]; k < chain->in_first[j + 1]; k++)
            {
              guint e = chain->in_edges[k];
              const double *restrict we = w + (gsize)e * MOA_PLAN_CHUNK;
              const double *restrict vf = v + (gsize)edges[e].from * MOA_PLAN_CHUNK;
              for (guint i = 0; i < n; i++)
                vj[i] += we[i] * vf[i];
            }
          continue;
        }
      for (guint i = 0; i < n; i++)
        if (failed[i] || !loop_visits (chain, scc, w + i, v + i, MOA_PLAN_CHUNK, scratch, NULL))
          {
            failed[i] = TRUE;
            for (guint k = 0; k < scc->n; k++)
              v[(gsize)chain->scc_nodes[scc->first + k] * MOA_PLAN_CHUNK + i] = 0.0;
          }
    }
}

gboolean
moa_plan_chain_visits (const PlanChain *chain, const double *w, double *v, GError **error)
{
  PlanSolveScratch scratch;
  plan_solve_scratch_init (&scratch, chain->max_scc, chain->n_nodes);
  gboolean ok = chain_visits_scratch (chain, w, v, &scratch, NULL, error);
  plan_solve_scratch_clear (&scratch);
  return ok;
}

/* --- checks and compilation --------------------------------------------------------------- */

typedef struct
{
  MoaPlan *plan;
  MoaProcedure *procedure;
  MoaCostModel *model;
  GPtrArray *problems;
  gboolean dropped; /* a chain could not be compiled */
} Build;

#define PROBLEM(b, domain, code, line, element, ...)                                               \
  plan_problem (b, domain, code, line, element, g_strdup_printf (__VA_ARGS__))

/* Adds a problem about @element ("OBLIGATION/NODE", an obligation id or the procedure id),
 * named in the message as the reader names elements (activity "compila" in obligation
 * "domanda"), and takes @text. The problem's element field keeps the id. */
static void
plan_problem (Build *b, GQuark domain, int code, int line, const char *element, char *text)
{
  g_autofree char *label = NULL;
  const char *slash = element != NULL ? strchr (element, '/') : NULL;

  if (slash != NULL)
    {
      g_autofree char *obligation_id = g_strndup (element, slash - element);
      MoaObligation *obligation = moa_procedure_get_obligation (b->procedure, obligation_id);
      MoaNode *node = obligation != NULL ? moa_obligation_get_node (obligation, slash + 1) : NULL;
      label = g_strdup_printf (_ ("%s \"%s\" in obligation \"%s\""),
                               node != NULL ? moa_node_kind_to_string (node->kind) : "node",
                               slash + 1, obligation_id);
    }
  else if (element != NULL && moa_procedure_get_obligation (b->procedure, element) != NULL)
    label = g_strdup_printf (_ ("obligation \"%s\""), element);
  else if (element != NULL)
    label = g_strdup_printf (_ ("procedure \"%s\""), element);

  MoaProblem *problem = moa_problems_add (b->problems, domain, code, file_of (b->procedure), line,
                                          label, "%s", text);
  g_free (problem->element);
  problem->element = g_strdup (element);
  g_free (text);
}

static char *
qualified (const MoaObligation *obligation, const MoaNode *node)
{
  return g_strdup_printf ("%s/%s", obligation->id, node->id);
}

/* The "OBLIGATION/NODE" name of a node, built only when a problem needs it. */
typedef struct
{
  const MoaObligation *obligation;
  const MoaNode *node;
  char *text;
} Element;

static const char *
element_name (Element *e)
{
  if (e->text == NULL)
    e->text = qualified (e->obligation, e->node);
  return e->text;
}

static void
element_clear (Element *e)
{
  g_clear_pointer (&e->text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Element, element_clear)

/* Resolves the performer of @node: its group (NULL for external) and whether it is external.
 * Returns FALSE after adding a problem when the performer is unknown. */
static gboolean
resolve_performer (Build *b, const MoaObligation *obligation, const MoaNode *node,
                   const MoaTargetGroup *addressee, gboolean report, const MoaTargetGroup **group,
                   gboolean *external)
{
  *external = FALSE;
  *group = addressee;
  if (node->performer == NULL)
    return TRUE;
  if (g_strcmp0 (node->performer, "external") == 0)
    {
      *external = TRUE;
      return TRUE;
    }
  *group = moa_procedure_get_target_group (b->procedure, node->performer);
  if (*group != NULL)
    return TRUE;
  if (!report)
    return FALSE;
  g_autofree char *element = qualified (obligation, node);
  PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_PERFORMER, node->line, element,
           _ ("performer \"%s\" is neither \"external\" nor a target group of the procedure"),
           node->performer);
  return FALSE;
}

static MoaValue *
standard_time (const MoaStandardActivity *activity, gboolean citizen, MoaComplexity complexity)
{
  if (complexity < MOA_COMPLEXITY_SIMPLE || complexity > MOA_COMPLEXITY_HIGH)
    return NULL;
  MoaValue *value
      = citizen ? activity->citizen_time[complexity] : activity->business_time[complexity];
  /* a model with only one table serves both kinds of performer */
  if (value == NULL)
    value = citizen ? activity->business_time[complexity] : activity->citizen_time[complexity];
  return value;
}

/* Compiles one activity for one segment into @out. Adds problems and returns FALSE on errors. */
static gboolean
compile_activity (Build *b, const MoaObligation *obligation, const MoaNode *node,
                  const MoaSegment *segment, const MoaTargetGroup *addressee, guint index,
                  gboolean report, PlanActivity *out)
{
  MoaPlan *plan = b->plan;
  MoaCostModel *model = b->model;
  g_auto (Element) element = { obligation, node, NULL };
  const MoaTargetGroup *performer = NULL;
  gboolean external = FALSE;
  gboolean ok = TRUE;

  memset (out, 0, sizeof *out);
  out->node = index;
  out->source = node;
  out->time = out->rate = out->fee = out->acquisitions = out->out_of_pocket = out->bau = -1;

  if (!resolve_performer (b, obligation, node, addressee, report, &performer, &external))
    return FALSE;
  out->external = external;
  out->payer = external ? addressee : performer;
  MoaTargetKind kind = external ? MOA_TARGET_BUSINESS : performer->kind;
  out->citizen = !external && kind == MOA_TARGET_CITIZEN;
  out->overhead = !external && !out->citizen && model->overhead_rate != 0.0;

  /* time: explicit, else the standard activity's default for the performer's kind */
  out->time = plan_add_segment_param (plan, &node->time, segment->id,
                                      NODE_KEY (obligation, node, "time"));
  if (node->standard != NULL)
    {
      MoaStandardActivity *standard = moa_cost_model_get_activity (model, node->standard);
      if (standard == NULL)
        {
          if (report)
            PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_STANDARD_ACTIVITY,
                     node->line, element_name (&element),
                     _ ("standard activity \"%s\" is not in cost model \"%s\""), node->standard,
                     model->id);
          ok = FALSE;
        }
      else if (out->time < 0)
        {
          MoaValue *value = standard_time (standard, out->citizen, node->complexity);
          if (value == NULL)
            {
              if (report)
                PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_MISSING_TIME, node->line,
                         element_name (&element),
                         _ ("standard activity \"%s\" of cost model \"%s\" has no %s time: "
                            "give a complexity (simple, medium, high) or an explicit time"),
                         node->standard, model->id,
                         moa_complexity_to_string (node->complexity) != NULL
                             ? moa_complexity_to_string (node->complexity)
                             : "?");
              ok = FALSE;
            }
          else
            {
              static const char *const attributes[2][3]
                  = { { "business-time-simple", "business-time-medium", "business-time-high" },
                      { "citizen-time-simple", "citizen-time-medium", "citizen-time-high" } };
              KeySpec key = { TRUE,
                              model->id,
                              standard->id,
                              NULL,
                              attributes[out->citizen ? 1 : 0][node->complexity],
                              NULL };
              out->time = plan_add_param (plan, value, key);
            }
        }
    }
  else if (out->time < 0)
    {
      if (report)
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_MISSING_TIME, node->line,
                 element_name (&element),
                 _ ("the activity has neither a time nor a standard activity: "
                    "write time=\"30 min\" or standard=\"…\" complexity=\"…\""));
      ok = FALSE;
    }

  /* tariff: explicit, else a profile, else the model's default for this kind of performer */
  MoaValue *rate_value = NULL;
  const char *profile = NULL;
  moa_node_get_tariff (node, segment->id, &rate_value, &profile);
  int explicit_rate = -1;
  if (rate_value != NULL)
    {
      KeySpec key = NODE_KEY (obligation, node, "tariff");
      if (rate_value != node->tariff.value)
        key.segment = segment->id;
      explicit_rate = plan_add_param (plan, rate_value, key);
    }
  /* a per-segment tariff is checked for every segment */
  gboolean report_tariff = report || rate_value != node->tariff.value
                           || g_strcmp0 (profile, node->tariff_profile) != 0;
  if (out->citizen)
    {
      if (model->citizen_time_monetised)
        {
          if (explicit_rate >= 0)
            out->rate = explicit_rate;
          else if (profile == NULL)
            {
              KeySpec key = { TRUE, model->id, NULL, NULL, "citizen-rate", NULL };
              out->rate = plan_add_param (plan, model->citizen_rate, key);
            }
        }
      else
        profile = NULL; /* the model never monetises citizens' time: hours only */
    }
  else if (explicit_rate >= 0)
    out->rate = explicit_rate;
  else if (profile == NULL)
    {
      if (external)
        profile = model->default_external_tariff;
      else if (kind == MOA_TARGET_ADMINISTRATION)
        profile = model->default_administration_tariff;
      else
        profile = model->default_business_tariff;
    }

  if (out->rate < 0 && profile != NULL && (!out->citizen || model->citizen_time_monetised))
    {
      MoaTariffProfile *tariff = moa_cost_model_get_tariff (model, profile);
      if (tariff == NULL)
        {
          if (report_tariff)
            PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_TARIFF, node->line,
                     element_name (&element),
                     _ ("tariff profile \"%s\" is not in cost model \"%s\""), profile, model->id);
          ok = FALSE;
        }
      else
        {
          KeySpec key = { TRUE, model->id, tariff->id, NULL, "rate", NULL };
          out->rate = plan_add_param (plan, tariff->rate, key);
          if (tariff->external)
            out->overhead = FALSE;
        }
    }
  if (ok && out->rate < 0 && !out->citizen)
    {
      if (report_tariff)
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_MISSING_TARIFF, node->line,
                 element_name (&element),
                 _ ("no tariff for this time: give tariff=\"35 EUR/h\" or a tariff profile, "
                    "or set a default tariff in cost model \"%s\""),
                 model->id);
      ok = FALSE;
    }

  out->fee
      = plan_add_segment_param (plan, &node->fee, segment->id, NODE_KEY (obligation, node, "fee"));
  out->acquisitions = plan_add_segment_param (plan, &node->acquisitions, segment->id,
                                              NODE_KEY (obligation, node, "acquisitions"));
  out->out_of_pocket = plan_add_segment_param (plan, &node->out_of_pocket, segment->id,
                                               NODE_KEY (obligation, node, "out-of-pocket"));
  out->bau
      = plan_add_segment_param (plan, &node->bau, segment->id, NODE_KEY (obligation, node, "bau"));
  return ok;
}

/* Checks per-segment overrides name segments of the obligation's addressees. */
static void
check_overrides (Build *b, const MoaObligation *obligation, const MoaParam *param, Element *node)
{
  if (param->per_segment == NULL)
    return;
  for (guint i = 0; i < param->per_segment->len; i++)
    {
      MoaSegmentValue *sv = g_ptr_array_index (param->per_segment, i);
      MoaTargetGroup *group = moa_procedure_get_segment_group (b->procedure, sv->segment);
      gboolean addressed = FALSE;
      for (guint k = 0; group != NULL && obligation->target_groups != NULL
                        && obligation->target_groups[k] != NULL;
           k++)
        if (g_strcmp0 (obligation->target_groups[k], group->id) == 0)
          addressed = TRUE;
      if (!addressed)
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT, sv->line,
                 node != NULL ? element_name (node) : obligation->id,
                 _ ("segment \"%s\" is not a segment of the obligation's target groups"),
                 sv->segment);
    }
}

/* Structural soundness of one obligation's workflow: flows point at nodes, gateways have
 * enough branches, every node is reachable from the start and can reach an end. Fills @map.
 * Returns FALSE when the workflow cannot be compiled. */
static gboolean
check_structure (Build *b, const MoaObligation *obligation, NodeMap *map)
{
  guint n = obligation->nodes->len;
  gboolean ok = TRUE;

  map->n = n;
  map->index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      g_hash_table_insert (map->index, node->id, GINT_TO_POINTER (i + 1));
    }

  int start = node_lookup (map, obligation->start);
  if (start < 0)
    {
      PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_DANGLING_FLOW,
               obligation->workflow_line, obligation->id, _ ("the workflow has no start node"));
      return FALSE;
    }

  g_autofree guint *out_first = g_new0 (guint, n + 1);
  g_autoptr (GArray) out_to = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      g_auto (Element) element = { obligation, node, NULL };
      switch (node->kind)
        {
          case MOA_NODE_START:
          case MOA_NODE_ACTIVITY:
          case MOA_NODE_AND_JOIN:
            {
              int to = node_lookup (map, node->next);
              if (node->next == NULL)
                {
                  PROBLEM (b, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, node->line,
                           element_name (&element),
                           _ ("missing attribute \"next\": every %s must say which node follows"),
                           moa_node_kind_to_string (node->kind));
                  ok = FALSE;
                }
              else if (to < 0)
                {
                  PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_DANGLING_FLOW, node->line,
                           element_name (&element),
                           _ ("next=\"%s\" names no node of obligation \"%s\""), node->next,
                           obligation->id);
                  ok = FALSE;
                }
              else
                {
                  guint t = to;
                  g_array_append_val (out_to, t);
                }
              break;
            }
          case MOA_NODE_XOR:
          case MOA_NODE_AND_SPLIT:
            {
              guint n_branches = node->branches != NULL ? node->branches->len : 0;
              guint n_defaults = 0;
              if (n_branches < 2)
                {
                  PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_GATEWAY, node->line,
                           element_name (&element),
                           _ ("a gateway needs at least two branches, it has %u"), n_branches);
                  ok = FALSE;
                }
              for (guint k = 0; k < n_branches; k++)
                {
                  MoaBranch *branch = g_ptr_array_index (node->branches, k);
                  int to = node_lookup (map, branch->to);
                  if (to < 0)
                    {
                      PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_DANGLING_FLOW,
                               branch->line, element_name (&element),
                               _ ("branch to=\"%s\" names no node of obligation \"%s\""),
                               branch->to != NULL ? branch->to : "", obligation->id);
                      ok = FALSE;
                    }
                  else
                    {
                      guint t = to;
                      g_array_append_val (out_to, t);
                    }
                  if (branch->is_default)
                    n_defaults++;
                  if (node->kind == MOA_NODE_XOR && !branch->is_default
                      && branch->probability.value == NULL)
                    {
                      PROBLEM (
                          b, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, branch->line,
                          element_name (&element),
                          _ ("branch to \"%s\" has no probability (or write default=\"true\")"),
                          branch->to != NULL ? branch->to : "");
                      ok = FALSE;
                    }
                }
              if (n_defaults > 1)
                {
                  PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_GATEWAY, node->line,
                           element_name (&element),
                           _ ("a gateway may have only one default branch, it has %u"), n_defaults);
                  ok = FALSE;
                }
              break;
            }
          case MOA_NODE_END:
            break;
        }
      out_first[i + 1] = out_to->len;
    }
  if (!ok)
    return FALSE;

  /* reachable from the start */
  g_autofree gboolean *seen = g_new0 (gboolean, n);
  g_autofree guint *stack = g_new (guint, n);
  guint top = 0;
  seen[start] = TRUE;
  stack[top++] = start;
  while (top > 0)
    {
      guint v = stack[--top];
      for (guint e = out_first[v]; e < out_first[v + 1]; e++)
        {
          guint w = g_array_index (out_to, guint, e);
          if (!seen[w])
            {
              seen[w] = TRUE;
              stack[top++] = w;
            }
        }
    }
  for (guint i = 0; i < n; i++)
    if (!seen[i])
      {
        MoaNode *node = g_ptr_array_index (obligation->nodes, i);
        g_auto (Element) element = { obligation, node, NULL };
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNREACHABLE, node->line,
                 element_name (&element), _ ("%s \"%s\" cannot be reached from the start \"%s\""),
                 moa_node_kind_to_string (node->kind), node->id, obligation->start);
        ok = FALSE;
      }

  /* able to reach an end: backwards from the ends */
  g_autofree gboolean *live = g_new0 (gboolean, n);
  gboolean changed = TRUE;
  for (guint i = 0; i < n; i++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      live[i] = node->kind == MOA_NODE_END;
    }
  while (changed)
    {
      changed = FALSE;
      for (guint i = 0; i < n; i++)
        if (!live[i])
          for (guint e = out_first[i]; e < out_first[i + 1]; e++)
            if (live[g_array_index (out_to, guint, e)])
              {
                live[i] = changed = TRUE;
                break;
              }
    }
  for (guint i = 0; i < n; i++)
    if (seen[i] && !live[i])
      {
        MoaNode *node = g_ptr_array_index (obligation->nodes, i);
        g_auto (Element) element = { obligation, node, NULL };
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_DEAD_END, node->line,
                 element_name (&element), _ ("%s \"%s\" can never reach an end of the workflow"),
                 moa_node_kind_to_string (node->kind), node->id);
        ok = FALSE;
      }
  return ok;
}

/* Adds the flows of one obligation for one segment to @chain, with the AND-join scaling. */
static gboolean
compile_flows (Build *b, const MoaObligation *obligation, const MoaSegment *segment, NodeMap *map,
               gboolean report, PlanChain *chain)
{
  guint n = map->n;
  g_autofree guint *join_in = g_new0 (guint, n);
  gboolean ok = TRUE;

  /* count flows into each AND join */
  for (guint i = 0; i < n; i++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      if (node->next != NULL)
        join_in[node_lookup (map, node->next)]++;
      for (guint k = 0; node->branches != NULL && k < node->branches->len; k++)
        join_in[node_lookup (map, ((MoaBranch *)g_ptr_array_index (node->branches, k))->to)]++;
    }

  for (guint i = 0; i < n; i++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      g_auto (Element) element = { obligation, node, NULL };
      if (node->next != NULL)
        {
          guint to = node_lookup (map, node->next);
          MoaNode *target = g_ptr_array_index (obligation->nodes, to);
          PlanEdge edge = { i, to, -1, FALSE, chain->edges->len, 1, 1.0 };
          if (target->kind == MOA_NODE_AND_JOIN)
            edge.scale = 1.0 / join_in[to];
          g_array_append_val (chain->edges, edge);
        }
      if (node->branches == NULL)
        continue;
      guint first = chain->edges->len;
      double sum = 0.0;
      gboolean has_default = FALSE;
      for (guint k = 0; k < node->branches->len; k++)
        {
          MoaBranch *branch = g_ptr_array_index (node->branches, k);
          guint to = node_lookup (map, branch->to);
          MoaNode *target = g_ptr_array_index (obligation->nodes, to);
          PlanEdge edge = { i, to, -1, FALSE, first, node->branches->len, 1.0 };
          if (target->kind == MOA_NODE_AND_JOIN)
            edge.scale = 1.0 / join_in[to];
          if (node->kind == MOA_NODE_XOR)
            {
              if (branch->is_default)
                {
                  edge.is_default = TRUE;
                  has_default = TRUE;
                }
              else
                {
                  KeySpec key
                      = { FALSE, obligation->id, node->id, branch->to, "probability", NULL };
                  edge.param
                      = plan_add_segment_param (b->plan, &branch->probability, segment->id, key);
                  sum += g_array_index (b->plan->means, double, edge.param);
                }
            }
          g_array_append_val (chain->edges, edge);
        }
      if (node->kind != MOA_NODE_XOR)
        continue;
      /* sampled probabilities: a default branch must absorb the rest, and there must be
       * room for it whatever the samples */
      gboolean uncertain = FALSE;
      double lowest_sum = 0.0;
      for (guint k = 0; k < node->branches->len; k++)
        {
          MoaBranch *branch = g_ptr_array_index (node->branches, k);
          MoaValue *p
              = branch->is_default ? NULL : moa_param_get (&branch->probability, segment->id);
          double lo = 0.0, hi = 0.0;
          if (p == NULL)
            continue;
          uncertain |= moa_value_is_uncertain (p);
          moa_value_support (p, &lo, &hi);
          lowest_sum += lo;
        }
      if (uncertain && !has_default)
        {
          if (report)
            PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PROBABILITY_SUM, node->line,
                     element_name (&element),
                     _ ("branch probabilities are uncertain, so their samples cannot always sum "
                        "to 1: mark one branch default=\"true\" to take the rest"));
          ok = FALSE;
          continue;
        }
      if (uncertain && lowest_sum > 1.0 + PROBABILITY_TOLERANCE)
        {
          if (report)
            PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PROBABILITY_SUM, node->line,
                     element_name (&element),
                     _ ("the smallest possible branch probabilities already sum to %.10g, more "
                        "than 1: no sample leaves anything for the default branch"),
                     lowest_sum);
          ok = FALSE;
          continue;
        }
      gboolean bad = has_default ? sum > 1.0 + PROBABILITY_TOLERANCE
                                 : fabs (sum - 1.0) > PROBABILITY_TOLERANCE;
      if (bad)
        {
          if (report)
            {
              g_autofree char *seg = segment->implicit
                                         ? g_strdup ("")
                                         : g_strdup_printf (_ (" for segment \"%s\""), segment->id);
              if (has_default)
                PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PROBABILITY_SUM, node->line,
                         element_name (&element),
                         _ ("branch probabilities sum to %.10g%s, more than 1: nothing is left "
                            "for the default branch"),
                         sum, seg);
              else
                PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PROBABILITY_SUM, node->line,
                         element_name (&element),
                         _ ("branch probabilities sum to %.10g%s, expected 1 (tolerance 1e-9); "
                            "or mark one branch default=\"true\""),
                         sum, seg);
            }
          ok = FALSE;
        }
    }
  return ok;
}

/* A loop that is never left: with the expected probabilities, some reachable node cannot
 * reach an end through flows of positive weight. Names the gateway that keeps it looping. */
static gboolean
check_certain_loops (Build *b, const MoaObligation *obligation, const MoaSegment *segment,
                     PlanChain *chain, gboolean report)
{
  guint n = chain->n_nodes;
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  g_autofree double *w = g_new (double, MAX (chain->edges->len, 1));
  g_autofree gboolean *live = g_new0 (gboolean, n);
  gboolean changed = TRUE;

  moa_plan_chain_weights (chain, (const double *)b->plan->means->data, w);
  for (guint i = 0; i < n; i++)
    live[i] = ((MoaNode *)g_ptr_array_index (obligation->nodes, i))->kind == MOA_NODE_END;
  while (changed)
    {
      changed = FALSE;
      for (guint e = 0; e < chain->edges->len; e++)
        if (!live[edges[e].from] && live[edges[e].to] && w[e] > 0.0)
          live[edges[e].from] = changed = TRUE;
    }

  /* only nodes reached with positive probability matter */
  g_autofree gboolean *reached = g_new0 (gboolean, n);
  reached[chain->start] = TRUE;
  changed = TRUE;
  while (changed)
    {
      changed = FALSE;
      for (guint e = 0; e < chain->edges->len; e++)
        if (reached[edges[e].from] && !reached[edges[e].to] && w[e] > 0.0)
          reached[edges[e].to] = changed = TRUE;
    }

  for (guint i = 0; i < n; i++)
    if (reached[i] && !live[i])
      {
        /* report the first gateway caught in the loop, else the first node */
        guint culprit = i;
        for (guint j = 0; j < n; j++)
          if (reached[j] && !live[j]
              && ((MoaNode *)g_ptr_array_index (obligation->nodes, j))->kind == MOA_NODE_XOR)
            {
              culprit = j;
              break;
            }
        if (report)
          {
            MoaNode *node = g_ptr_array_index (obligation->nodes, culprit);
            g_autofree char *element = qualified (obligation, node);
            g_autofree char *seg = segment->implicit
                                       ? g_strdup ("")
                                       : g_strdup_printf (_ (" for segment \"%s\""), segment->id);
            PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_CERTAIN_LOOP, node->line,
                     element,
                     _ ("the loop through \"%s\" is repeated with probability 1%s: "
                        "no branch with a positive probability leaves it"),
                     node->id, seg);
          }
        return FALSE;
      }
  return TRUE;
}

/* A loop that grows: with the expected probabilities, an and-split inside a loop sends more
 * than one token around it per pass on average (or exactly one, with nothing leaving), so the
 * expected executions are infinite. Only loops that hold an and-split can grow: the branch
 * probabilities of exclusive gateways never sum to more than 1, and check_certain_loops() has
 * made sure that every such loop is left. Names the loop's first and-split. */
static gboolean
check_growing_loops (Build *b, const MoaObligation *obligation, const MoaSegment *segment,
                     PlanChain *chain, gboolean report)
{
  const PlanScc *sccs = (const PlanScc *)chain->sccs->data;
  gboolean any = FALSE;

  for (guint s = 0; !any && s < chain->sccs->len; s++)
    for (guint i = 0; sccs[s].cyclic && i < sccs[s].n; i++)
      any |= ((MoaNode *)g_ptr_array_index (obligation->nodes, chain->scc_nodes[sccs[s].first + i]))
                 ->kind
             == MOA_NODE_AND_SPLIT;
  if (!any)
    return TRUE;

  g_autofree double *w = g_new (double, MAX (chain->edges->len, 1));
  g_autofree double *v = g_new (double, MAX (chain->n_nodes, 1));
  g_autoptr (GError) error = NULL;
  PlanSolveScratch scratch;
  guint failed = 0;

  moa_plan_chain_weights (chain, (const double *)b->plan->means->data, w);
  plan_solve_scratch_init (&scratch, chain->max_scc, chain->n_nodes);
  gboolean ok = chain_visits_scratch (chain, w, v, &scratch, &failed, &error);
  plan_solve_scratch_clear (&scratch);
  if (ok || !report)
    return ok;

  const PlanScc *scc = &sccs[failed];
  guint culprit = G_MAXUINT;
  for (guint i = 0; i < scc->n; i++)
    {
      guint j = chain->scc_nodes[scc->first + i];
      if (((MoaNode *)g_ptr_array_index (obligation->nodes, j))->kind == MOA_NODE_AND_SPLIT)
        culprit = MIN (culprit, j);
    }
  if (culprit == G_MAXUINT)
    culprit = chain->scc_nodes[scc->first];
  MoaNode *node = g_ptr_array_index (obligation->nodes, culprit);
  g_autofree char *element = qualified (obligation, node);
  g_autofree char *seg = segment->implicit
                             ? g_strdup ("")
                             : g_strdup_printf (_ (" for segment \"%s\""), segment->id);
  if (g_error_matches (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC))
    PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_CERTAIN_LOOP, node->line, element,
             _ ("the loop through \"%s\" grows without end%s: more than one of its branches "
                "goes around the loop per pass; join them with an and-join before the loop "
                "repeats"),
             node->id, seg);
  else
    PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_CERTAIN_LOOP, node->line, element,
             _ ("the loop through \"%s\" is never left%s: %s"), node->id, seg, error->message);
  return FALSE;
}

static gboolean
obligation_addresses (const MoaObligation *obligation, const char *group)
{
  for (guint k = 0; obligation->target_groups != NULL && obligation->target_groups[k] != NULL; k++)
    if (g_strcmp0 (obligation->target_groups[k], group) == 0)
      return TRUE;
  return FALSE;
}

/* With uncertain branch probabilities, can some draw leave no way out of the loop (strongly
 * connected component) @scc? A node with a fixed flow out of the loop always leaves it; an
 * exclusive gateway can keep every case inside only if each branch leaving the loop can draw
 * 0 and, when its default branch leaves, the branches that stay can take all of the
 * probability. Returns the index of the gateway whose range allows it, or -1. */
static int
loop_can_trap (Build *b, const MoaObligation *obligation, const MoaSegment *segment,
               const PlanChain *chain, const PlanScc *scc, const guchar *in_scc)
{
  int uncertain_gateway = -1;
  for (guint i = 0; i < scc->n; i++)
    {
      guint j = chain->scc_nodes[scc->first + i];
      MoaNode *node = g_ptr_array_index (obligation->nodes, j);
      if (node->kind != MOA_NODE_XOR)
        {
          /* a single next, or every branch of a parallel split, is always taken */
          for (guint e = 0; e < chain->edges->len; e++)
            {
              const PlanEdge *edge = &g_array_index (chain->edges, PlanEdge, e);
              if (edge->from == j && !in_scc[edge->to])
                return -1;
            }
          continue;
        }
      gboolean default_leaves = FALSE, all_exits_can_be_zero = TRUE, uncertain = FALSE;
      double stay_high = 0.0;
      for (guint k = 0; k < node->branches->len; k++)
        {
          MoaBranch *branch = g_ptr_array_index (node->branches, k);
          MoaNode *target = moa_obligation_get_node (obligation, branch->to);
          gboolean leaves = FALSE;
          for (guint t = 0; t < obligation->nodes->len; t++)
            if (g_ptr_array_index (obligation->nodes, t) == target)
              leaves = !in_scc[t];
          if (branch->is_default)
            {
              default_leaves = leaves;
              continue;
            }
          MoaValue *p = moa_param_get (&branch->probability, segment->id);
          double lo = 0.0, hi = 0.0;
          if (p == NULL)
            continue;
          uncertain |= moa_value_is_uncertain (p);
          moa_value_support (p, &lo, &hi);
          if (leaves && lo > 0.0)
            all_exits_can_be_zero = FALSE;
          if (!leaves)
            stay_high += hi;
        }
      if (default_leaves && stay_high < 1.0 - PROBABILITY_TOLERANCE)
        all_exits_can_be_zero = FALSE;
      if (!all_exits_can_be_zero)
        return -1;
      if (uncertain && uncertain_gateway < 0)
        uncertain_gateway = (int)j;
    }
  /* without an uncertain gateway, check_certain_loops() has judged the loop already */
  return uncertain_gateway;
}

static gboolean
check_sampled_loops (Build *b, const MoaObligation *obligation, const MoaSegment *segment,
                     PlanChain *chain, gboolean report)
{
  const PlanScc *sccs = (const PlanScc *)chain->sccs->data;
  g_autofree guchar *in_scc = g_new0 (guchar, MAX (chain->n_nodes, 1));
  gboolean ok = TRUE;

  for (guint s = 0; s < chain->sccs->len; s++)
    {
      const PlanScc *scc = &sccs[s];
      if (!scc->cyclic)
        continue;
      for (guint i = 0; i < scc->n; i++)
        in_scc[chain->scc_nodes[scc->first + i]] = 1;
      int culprit = loop_can_trap (b, obligation, segment, chain, scc, in_scc);
      for (guint i = 0; i < scc->n; i++)
        in_scc[chain->scc_nodes[scc->first + i]] = 0;
      if (culprit < 0)
        continue;
      ok = FALSE;
      if (!report)
        continue;
      MoaNode *node = g_ptr_array_index (obligation->nodes, culprit);
      g_autofree char *element = qualified (obligation, node);
      g_autofree char *seg = segment->implicit
                                 ? g_strdup ("")
                                 : g_strdup_printf (_ (" for segment \"%s\""), segment->id);
      PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_CERTAIN_LOOP, node->line, element,
               _ ("the loop through \"%s\" can be repeated with probability 1%s: the ranges of "
                  "its uncertain branch probabilities allow a draw in which no branch leaves "
                  "it; narrow them so that leaving always keeps a positive probability"),
               node->id, seg);
    }
  return ok;
}

/* Immediate dominators of the workflow graph (Cooper, Harvey & Kennedy, "A simple, fast
 * dominance algorithm"): idom[n] is the last node every path from the start to n goes
 * through; -1 for the start and for nodes the start cannot reach. */
static int *
chain_dominators (const PlanChain *chain)
{
  guint n = chain->n_nodes;
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  int *idom = g_new (int, MAX (n, 1));
  g_autofree int *order = g_new (int, MAX (n, 1)); /* reverse postorder position */
  g_autofree guint *rpo = g_new (guint, MAX (n, 1));
  g_autofree guint *stack = g_new (guint, MAX (n, 1));
  g_autofree guint *next_edge = g_new0 (guint, MAX (n, 1));
  g_autofree guint *out_first = g_new0 (guint, n + 1);
  guint count = 0, top = 0;

  /* edges are sorted by source: out_first indexes them */
  for (guint e = 0; e < chain->edges->len; e++)
    out_first[edges[e].from + 1]++;
  for (guint i = 0; i < n; i++)
    out_first[i + 1] += out_first[i];
  for (guint i = 0; i < n; i++)
    {
      idom[i] = -1;
      order[i] = -1;
      next_edge[i] = out_first[i];
    }

  /* postorder by an explicit depth-first search */
  g_autofree guchar *seen = g_new0 (guchar, MAX (n, 1));
  stack[top++] = chain->start;
  seen[chain->start] = 1;
  while (top > 0)
    {
      guint v = stack[top - 1];
      if (next_edge[v] < out_first[v + 1])
        {
          guint w = edges[next_edge[v]++].to;
          if (!seen[w])
            {
              seen[w] = 1;
              stack[top++] = w;
            }
          continue;
        }
      rpo[count++] = v;
      top--;
    }
  /* rpo[] holds the postorder; number nodes in reverse postorder */
  for (guint k = 0; k < count; k++)
    order[rpo[k]] = (int)(count - 1 - k);

  idom[chain->start] = (int)chain->start;
  gboolean changed = TRUE;
  while (changed)
    {
      changed = FALSE;
      for (guint k = count; k-- > 0;)
        {
          guint b = rpo[k];
          if (b == chain->start)
            continue;
          int new_idom = -1;
          for (guint e = 0; e < chain->edges->len; e++)
            {
              if (edges[e].to != b || idom[edges[e].from] < 0)
                continue;
              int p = (int)edges[e].from;
              if (new_idom < 0)
                {
                  new_idom = p;
                  continue;
                }
              int f1 = p, f2 = new_idom;
              while (f1 != f2)
                {
                  while (order[f1] > order[f2])
                    f1 = idom[f1];
                  while (order[f2] > order[f1])
                    f2 = idom[f2];
                }
              new_idom = f1;
            }
          if (new_idom >= 0 && idom[b] != new_idom)
            {
              idom[b] = new_idom;
              changed = TRUE;
            }
        }
    }
  idom[chain->start] = -1;
  return idom;
}

/* An AND join waits for every incoming flow. Each must therefore come from a branch of a
 * parallel split that every path to the join passes through (its nearest such dominator), and
 * arrive as often as that split runs: a flow from an exclusive alternative, taken in only some
 * cases, would leave the join waiting for ever. Checked at the expected probabilities. */
static gboolean
check_and_joins (Build *b, const MoaObligation *obligation, const MoaSegment *segment,
                 PlanChain *chain, gboolean report)
{
  gboolean any = FALSE;
  for (guint i = 0; i < obligation->nodes->len && !any; i++)
    any = ((MoaNode *)g_ptr_array_index (obligation->nodes, i))->kind == MOA_NODE_AND_JOIN;
  if (!any)
    return TRUE;

  g_autofree double *w = g_new (double, MAX (chain->edges->len, 1));
  g_autofree double *v = g_new (double, MAX (chain->n_nodes, 1));
  PlanSolveScratch scratch;
  moa_plan_chain_weights (chain, (const double *)b->plan->means->data, w);
  plan_solve_scratch_init (&scratch, chain->max_scc, chain->n_nodes);
  gboolean solved = chain_visits_scratch (chain, w, v, &scratch, NULL, NULL);
  plan_solve_scratch_clear (&scratch);
  if (!solved)
    return TRUE; /* the loop checks report this */
  g_autofree int *idom = chain_dominators (chain);

  gboolean ok = TRUE;
  for (guint j = 0; j < chain->n_nodes; j++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, j);
      if (node->kind != MOA_NODE_AND_JOIN)
        continue;
      int split = idom[j];
      while (split >= 0
             && ((MoaNode *)g_ptr_array_index (obligation->nodes, split))->kind
                    != MOA_NODE_AND_SPLIT)
        split = idom[split];
      double expected = split >= 0 ? v[split] : 0.0;
      double worst = split >= 0 ? expected : 0.0;
      for (guint k = chain->in_first[j]; split >= 0 && k < chain->in_first[j + 1]; k++)
        {
          const PlanEdge *edge = &g_array_index (chain->edges, PlanEdge, chain->in_edges[k]);
          double flow = w[chain->in_edges[k]] / edge->scale * v[edge->from];
          if (fabs (flow - expected) > fabs (worst - expected))
            worst = flow;
        }
      if (split >= 0 && fabs (worst - expected) <= 1e-9 * MAX (expected, 1.0))
        continue;
      ok = FALSE;
      if (!report)
        continue;
      g_autofree char *element = qualified (obligation, node);
      if (split < 0)
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_GATEWAY, node->line, element,
                 _ ("no and-split comes before this and-join on every path: an and-join waits "
                    "for every branch of a parallel split; to merge the alternatives of an "
                    "exclusive gateway, point them at the same next node instead"));
      else
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_GATEWAY, node->line, element,
                 _ ("an incoming flow arrives %.6g times per case while and-split \"%s\" runs "
                    "%.6g times: every flow into an and-join must be a whole branch of the "
                    "split, taken in every case"),
                 worst, ((MoaNode *)g_ptr_array_index (obligation->nodes, split))->id, expected);
    }
  return ok;
}

static gboolean
has_probability_overrides (const MoaObligation *obligation)
{
  for (guint i = 0; i < obligation->nodes->len; i++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      for (guint k = 0; node->branches != NULL && k < node->branches->len; k++)
        {
          MoaBranch *branch = g_ptr_array_index (node->branches, k);
          if (branch->probability.per_segment != NULL && branch->probability.per_segment->len > 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
compile_obligation (Build *b, const MoaObligation *obligation, guint obligation_index)
{
  MoaPlan *plan = b->plan;
  NodeMap map = { 0 };
  gboolean addressees_ok = TRUE;

  if (obligation->type != NULL && moa_cost_model_get_type (b->model, obligation->type) == NULL)
    PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_OBLIGATION_TYPE,
             obligation->line, obligation->id,
             _ ("obligation type \"%s\" is not in cost model \"%s\""), obligation->type,
             b->model->id);

  if (obligation->target_groups == NULL || obligation->target_groups[0] == NULL)
    {
      PROBLEM (b, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, obligation->line,
               obligation->id, _ ("the obligation names no target group"));
      addressees_ok = FALSE;
    }
  for (guint k = 0; obligation->target_groups != NULL && obligation->target_groups[k] != NULL; k++)
    if (moa_procedure_get_target_group (b->procedure, obligation->target_groups[k]) == NULL)
      {
        PROBLEM (b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_TARGET_GROUP,
                 obligation->line, obligation->id,
                 _ ("target group \"%s\" is not defined in <target-groups>"),
                 obligation->target_groups[k]);
        addressees_ok = FALSE;
      }

  check_overrides (b, obligation, &obligation->frequency, NULL);
  check_overrides (b, obligation, &obligation->cases, NULL);
  check_overrides (b, obligation, &obligation->compliance, NULL);
  for (guint i = 0; i < obligation->nodes->len; i++)
    {
      MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      g_auto (Element) element = { obligation, node, NULL };
      MoaParam *params[] = { &node->time,         &node->tariff,        &node->fee,
                             &node->acquisitions, &node->out_of_pocket, &node->bau };
      for (guint k = 0; k < G_N_ELEMENTS (params); k++)
        check_overrides (b, obligation, params[k], &element);
      for (guint k = 0; node->branches != NULL && k < node->branches->len; k++)
        check_overrides (b, obligation,
                         &((MoaBranch *)g_ptr_array_index (node->branches, k))->probability,
                         &element);
    }

  gboolean structure_ok = check_structure (b, obligation, &map);
  if (!structure_ok || !addressees_ok)
    {
      g_clear_pointer (&map.index, g_hash_table_unref);
      return;
    }

  /* every addressee segment's population, for sharing "cases" among them */
  g_autoptr (GArray) populations = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint g = 0; g < b->procedure->target_groups->len; g++)
    {
      MoaTargetGroup *group = g_ptr_array_index (b->procedure->target_groups, g);
      if (!obligation_addresses (obligation, group->id))
        continue;
      for (guint s = 0; s < group->segments->len; s++)
        {
          MoaSegment *segment = g_ptr_array_index (group->segments, s);
          KeySpec key = { FALSE, segment->id, NULL, NULL, "population", NULL };
          int slot = plan_add_param (plan, segment->population, key);
          g_array_append_val (populations, slot);
        }
    }

  /* one chain per addressee segment; problems that do not depend on the segment are reported
   * once (for the first segment) */
  gboolean first = TRUE;
  guint population_pos = 0;
  for (guint g = 0; g < b->procedure->target_groups->len; g++)
    {
      MoaTargetGroup *group = g_ptr_array_index (b->procedure->target_groups, g);
      if (!obligation_addresses (obligation, group->id))
        continue;
      for (guint s = 0; s < group->segments->len; s++)
        {
          MoaSegment *segment = g_ptr_array_index (group->segments, s);
          PlanChain *chain = g_new0 (PlanChain, 1);
          gboolean ok = TRUE;

          chain->obligation = obligation;
          chain->obligation_index = obligation_index;
          chain->segment = segment;
          chain->group = group;
          chain->n_nodes = map.n;
          chain->start = node_lookup (&map, obligation->start);
          chain->edges = g_array_new (FALSE, FALSE, sizeof (PlanEdge));
          chain->activities = g_array_new (FALSE, FALSE, sizeof (PlanActivity));
          chain->all_populations = g_array_ref (populations);
          chain->population = g_array_index (populations, int, population_pos++);
          chain->frequency = plan_add_segment_param (
              plan, &obligation->frequency, segment->id,
              (KeySpec){ FALSE, obligation->id, NULL, NULL, "frequency", NULL });
          chain->cases = plan_add_segment_param (
              plan, &obligation->cases, segment->id,
              (KeySpec){ FALSE, obligation->id, NULL, NULL, "cases", NULL });
          chain->cases_own
              = moa_param_get (&obligation->cases, segment->id) != obligation->cases.value;
          chain->compliance = plan_add_segment_param (
              plan, &obligation->compliance, segment->id,
              (KeySpec){ FALSE, obligation->id, NULL, NULL, "compliance", NULL });
          if (chain->frequency < 0 && chain->cases < 0)
            {
              if (first)
                PROBLEM (b, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, obligation->line,
                         obligation->id,
                         _ ("the obligation has neither frequency nor cases: write "
                            "frequency=\"1\" (per entity per year) or cases=\"1500\" (per year)"));
              ok = FALSE;
            }

          /* probabilities may differ per segment: then their problems are reported for
           * every segment */
          gboolean report_flows = first || has_probability_overrides (obligation);
          if (!compile_flows (b, obligation, segment, &map, report_flows, chain))
            ok = FALSE;
          else
            {
              chain_build_sccs (chain);
              if (!check_certain_loops (b, obligation, segment, chain, report_flows)
                  || !check_sampled_loops (b, obligation, segment, chain, report_flows)
                  || !check_growing_loops (b, obligation, segment, chain, report_flows)
                  || !check_and_joins (b, obligation, segment, chain, report_flows))
                ok = FALSE;
            }

          for (guint i = 0; i < obligation->nodes->len; i++)
            {
              MoaNode *node = g_ptr_array_index (obligation->nodes, i);
              PlanActivity activity;
              if (node->kind != MOA_NODE_ACTIVITY)
                continue;
              if (compile_activity (b, obligation, node, segment, group, i, first, &activity))
                g_array_append_val (chain->activities, activity);
              else
                ok = FALSE;
            }

          if (ok)
            g_ptr_array_add (plan->chains, chain);
          else
            {
              b->dropped = TRUE;
              plan_chain_free (chain);
            }
          first = FALSE;
        }
    }
  g_hash_table_unref (map.index);
}

/* --- entities and the flat evaluation ------------------------------------------------------ */

static guint
add_entity (MoaPlan *plan, MoaEntityKind kind, const char *id, const char *obligation,
            const char *segment, guint result_index)
{
  MoaEntity e = { kind, id, obligation, segment, result_index };
  g_array_append_val (plan->entities, e);
  return plan->entities->len - 1;
}

static guint
group_entity (const MoaPlan *plan, const MoaTargetGroup *group)
{
  for (guint g = 0; g < plan->procedure->target_groups->len; g++)
    if (g_ptr_array_index (plan->procedure->target_groups, g) == group)
      return plan->first_group + g;
  g_assert_not_reached ();
}

static guint
segment_entity (const MoaPlan *plan, const MoaSegment *segment)
{
  guint index = plan->first_segment;
  for (guint g = 0; g < plan->procedure->target_groups->len; g++)
    {
      MoaTargetGroup *group = g_ptr_array_index (plan->procedure->target_groups, g);
      for (guint s = 0; s < group->segments->len; s++, index++)
        if (g_ptr_array_index (group->segments, s) == segment)
          return index;
    }
  g_assert_not_reached ();
}

static guint
kind_entity (MoaTargetKind kind)
{
  return kind == MOA_TARGET_CITIZEN    ? MOA_ENTITY_CITIZENS
         : kind == MOA_TARGET_BUSINESS ? MOA_ENTITY_BUSINESSES
                                       : MOA_ENTITY_ADMINISTRATION;
}

/* Numbers the entities and records, for every chain and activity row, which totals its
 * figures go to, so that evaluation aggregates by index without any lookup. */
static void
build_layout (MoaPlan *plan)
{
  MoaProcedure *procedure = plan->procedure;

  plan->entities = g_array_new (FALSE, FALSE, sizeof (MoaEntity));
  add_entity (plan, MOA_ENTITY_TOTAL, procedure->id, NULL, NULL, 0);
  add_entity (plan, MOA_ENTITY_CITIZENS, procedure->id, NULL, NULL, 0);
  add_entity (plan, MOA_ENTITY_BUSINESSES, procedure->id, NULL, NULL, 0);
  add_entity (plan, MOA_ENTITY_ADMINISTRATION, procedure->id, NULL, NULL, 0);
  plan->first_obligation = plan->entities->len;
  for (guint o = 0; o < procedure->obligations->len; o++)
    add_entity (plan, MOA_ENTITY_OBLIGATION,
                ((MoaObligation *)g_ptr_array_index (procedure->obligations, o))->id, NULL, NULL,
                o);
  plan->first_group = plan->entities->len;
  for (guint g = 0; g < procedure->target_groups->len; g++)
    add_entity (plan, MOA_ENTITY_GROUP,
                ((MoaTargetGroup *)g_ptr_array_index (procedure->target_groups, g))->id, NULL, NULL,
                g);
  plan->first_segment = plan->entities->len;
  guint n_segments = 0;
  for (guint g = 0; g < procedure->target_groups->len; g++)
    {
      MoaTargetGroup *group = g_ptr_array_index (procedure->target_groups, g);
      for (guint k = 0; k < group->segments->len; k++)
        add_entity (plan, MOA_ENTITY_SEGMENT,
                    ((MoaSegment *)g_ptr_array_index (group->segments, k))->id, NULL, NULL,
                    n_segments++);
    }
  plan->first_row = plan->entities->len;

  plan->rows = g_array_new (FALSE, FALSE, sizeof (PlanRow));
  plan->layouts = g_array_new (FALSE, FALSE, sizeof (PlanChainLayout));
  plan->max_nodes = plan->max_edges = 1;
  for (guint c = 0; c < plan->chains->len; c++)
    {
      PlanChain *chain = g_ptr_array_index (plan->chains, c);
      PlanChainLayout l = { 0 };
      l.obligation = plan->first_obligation + chain->obligation_index;
      l.group = group_entity (plan, chain->group);
      l.segment = segment_entity (plan, chain->segment);
      l.kind_total = chain->group->kind == MOA_TARGET_ADMINISTRATION
                         ? -1
                         : (int)kind_entity (chain->group->kind);
      l.first_row = plan->rows->len;
      l.n_rows = chain->activities->len;
      l.offices = g_array_new (FALSE, FALSE, sizeof (guint));
      l.office_segments = g_array_new (FALSE, FALSE, sizeof (guint));
      plan->max_nodes = MAX (plan->max_nodes, chain->n_nodes);
      plan->max_edges = MAX (plan->max_edges, chain->edges->len);
      plan->max_scc = MAX (plan->max_scc, chain->max_scc);

      for (guint a = 0; a < chain->activities->len; a++)
        {
          const PlanActivity *activity = &g_array_index (chain->activities, PlanActivity, a);
          const MoaTargetGroup *payer = activity->payer;
          PlanRow row = { 0 };
          row.chain = c;
          row.activity = a;
          row.payer_group = group_entity (plan, payer);
          row.payer_total = kind_entity (payer->kind);
          row.administration = payer->kind == MOA_TARGET_ADMINISTRATION;
          /* the addressee segment bears what its own group does; another group's first
           * segment bears what that group does */
          row.payer_segment = payer == chain->group
                                  ? l.segment
                                  : segment_entity (plan, g_ptr_array_index (payer->segments, 0));
          g_array_append_val (plan->rows, row);
          add_entity (plan, MOA_ENTITY_ACTIVITY, activity->source->id, chain->obligation->id,
                      chain->segment->id, plan->rows->len - 1);

          if (row.administration)
            {
              gboolean seen = FALSE;
              for (guint k = 0; k < l.offices->len; k++)
                seen |= g_array_index (l.offices, guint, k) == row.payer_group;
              if (!seen)
                {
                  g_array_append_val (l.offices, row.payer_group);
                  g_array_append_val (l.office_segments, row.payer_segment);
                }
            }
        }
      g_array_append_val (plan->layouts, l);
    }

  plan->template = g_new0 (MoaTotal, plan->entities->len);
  for (guint i = 0; i < plan->entities->len; i++)
    {
      const MoaEntity *e = &g_array_index (plan->entities, MoaEntity, i);
      plan->template[i].id = e->id;
      switch (e->kind)
        {
          case MOA_ENTITY_CITIZENS:
            plan->template[i].kind = MOA_TARGET_CITIZEN;
            break;
          case MOA_ENTITY_BUSINESSES:
            plan->template[i].kind = MOA_TARGET_BUSINESS;
            break;
          case MOA_ENTITY_ADMINISTRATION:
            plan->template[i].kind = MOA_TARGET_ADMINISTRATION;
            break;
          case MOA_ENTITY_GROUP:
            plan->template[i].kind
                = ((MoaTargetGroup *)g_ptr_array_index (procedure->target_groups, e->result_index))
                      ->kind;
            break;
          case MOA_ENTITY_SEGMENT:
            plan->template[i].kind = moa_procedure_get_segment_group (procedure, e->id) != NULL
                                         ? moa_procedure_get_segment_group (procedure, e->id)->kind
                                         : MOA_TARGET_BUSINESS;
            break;
          case MOA_ENTITY_ACTIVITY:
            {
              const PlanRow *row = &g_array_index (plan->rows, PlanRow, e->result_index);
              const PlanChain *chain = g_ptr_array_index (plan->chains, row->chain);
              plan->template[i].kind
                  = g_array_index (chain->activities, PlanActivity, row->activity).payer->kind;
              break;
            }
          default:
            plan->template[i].kind = MOA_TARGET_BUSINESS;
            break;
        }
    }
}

guint
moa_plan_get_n_entities (const MoaPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->entities->len;
}

const MoaEntity *
moa_plan_get_entity (const MoaPlan *plan, guint index)
{
  g_return_val_if_fail (plan != NULL && index < plan->entities->len, NULL);
  return &g_array_index (plan->entities, MoaEntity, index);
}

MoaPlanWorkspace *
moa_plan_workspace_new (const MoaPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  MoaPlanWorkspace *ws = g_new0 (MoaPlanWorkspace, 1);
  guint n_rows = MAX (plan->rows->len, 1);
  guint n_chains = MAX (plan->chains->len, 1);
  ws->plan = plan;
  ws->totals = g_new (MoaTotal, plan->entities->len); /* each evaluation copies the template */
  ws->v = g_new (double, plan->max_nodes);
  ws->w = g_new (double, plan->max_edges);
  ws->row_visits = g_new (double, n_rows);
  ws->row_time = g_new (double, n_rows);
  ws->row_rate = g_new (double, n_rows);
  ws->chain_cases = g_new (double, n_chains);
  ws->chain_per_case = g_new (MoaFigures, n_chains);
  plan_solve_scratch_init (&ws->solve, plan->max_scc, plan->max_nodes);
  return ws;
}

void
moa_plan_workspace_free (MoaPlanWorkspace *ws)
{
  if (ws == NULL)
    return;
  g_free (ws->totals);
  g_free (ws->v);
  g_free (ws->w);
  g_free (ws->row_visits);
  g_free (ws->row_time);
  g_free (ws->row_rate);
  g_free (ws->chain_cases);
  g_free (ws->chain_per_case);
  plan_solve_scratch_clear (&ws->solve);
  g_free (ws);
}

/* acc += x * factor, field by field: the inner step of every aggregation, kept inline */
static inline void
axpy (MoaFigures *acc, const MoaFigures *x, double factor)
{
  double *a = MOA_FIGURES_ARRAY (acc);
  const double *b = (const double *)x;
  for (guint i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    a[i] += b[i] * factor;
}

static inline void
add_per_year (MoaTotal *t, gboolean one_off, const MoaFigures *f)
{
  double *a = MOA_FIGURES_ARRAY (one_off ? &t->one_off : &t->recurring);
  const double *b = (const double *)f;
  for (guint i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    a[i] += b[i];
}

static gboolean
figures_finite (const MoaFigures *f)
{
  const double *a = (const double *)f;
  for (guint i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    if (!isfinite (a[i]))
      return FALSE;
  return TRUE;
}

const MoaTotal *
moa_plan_evaluate_totals (const MoaPlan *plan, const double *params, MoaPlanWorkspace *ws,
                          GError **error)
{
  g_return_val_if_fail (plan != NULL && ws != NULL && ws->plan == plan, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const double *x = params != NULL ? params : (const double *)plan->means->data;
  MoaTotal *t = ws->totals;
  memcpy (t, plan->template, sizeof (MoaTotal) * plan->entities->len);

  for (guint c = 0; c < plan->chains->len; c++)
    {
      const PlanChain *chain = g_ptr_array_index (plan->chains, c);
      const PlanChainLayout *l = &g_array_index (plan->layouts, PlanChainLayout, c);
      gboolean one_off = chain->obligation->one_off;
      g_autoptr (GError) local_error = NULL;

      moa_plan_chain_weights (chain, x, ws->w);
      if (!chain_visits_scratch (chain, ws->w, ws->v, &ws->solve, NULL, &local_error))
        {
          g_set_error (error, MOA_ENGINE_ERROR, local_error->code, "%s: %s: %s",
                       file_of (plan->procedure), chain->obligation->id, local_error->message);
          return NULL;
        }
      double cases = moa_plan_chain_cases (chain, x);
      if (!isfinite (cases))
        {
          g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                       _ ("%s: %s: the number of cases is not finite"), file_of (plan->procedure),
                       chain->obligation->id);
          return NULL;
        }
      ws->chain_cases[c] = cases;
      MoaFigures *case_per_case = &ws->chain_per_case[c];
      memset (case_per_case, 0, sizeof *case_per_case);

      for (guint r = l->first_row; r < l->first_row + l->n_rows; r++)
        {
          const PlanRow *row = &g_array_index (plan->rows, PlanRow, r);
          const PlanActivity *activity
              = &g_array_index (chain->activities, PlanActivity, row->activity);
          MoaTotal *e = &t[plan->first_row + r];
          MoaFigures one, per_year = { 0 };

          ws->row_visits[r] = ws->v[activity->node];
          moa_plan_activity_figures (plan, activity, x, &one, &ws->row_time[r], &ws->row_rate[r]);
          axpy (&e->per_case, &one, ws->row_visits[r]);
          axpy (&per_year, &e->per_case, cases);
          e->cases = cases;
          add_per_year (e, one_off, &per_year);

          add_per_year (&t[row->payer_group], one_off, &per_year);
          add_per_year (&t[row->payer_segment], one_off, &per_year);
          add_per_year (&t[row->payer_total], one_off, &per_year);
          if (!row->administration)
            {
              axpy (case_per_case, &e->per_case, 1.0);
              add_per_year (&t[MOA_ENTITY_TOTAL], one_off, &per_year);
            }
        }

      MoaFigures case_per_year = { 0 };
      axpy (&case_per_year, case_per_case, cases);
      add_per_year (&t[l->obligation], one_off, &case_per_year);
      /* cases: yearly ones for recurring obligations; the obligation also counts one-off */
      t[l->obligation].cases += cases;
      if (!one_off)
        {
          t[l->group].cases += cases;
          t[l->segment].cases += cases;
          /* the total, like its burden, covers citizens and businesses */
          if (l->kind_total >= 0)
            {
              t[l->kind_total].cases += cases;
              t[MOA_ENTITY_TOTAL].cases += cases;
            }
          /* an office handles each case once, however many of its activities it does */
          for (guint k = 0; k < l->offices->len; k++)
            {
              /* an administration addressee has counted its cases above already */
              if (g_array_index (l->offices, guint, k) == l->group)
                continue;
              t[g_array_index (l->offices, guint, k)].cases += cases;
              t[g_array_index (l->office_segments, guint, k)].cases += cases;
            }
          if (l->offices->len > 0)
            t[MOA_ENTITY_ADMINISTRATION].cases += cases;
        }
    }

  /* per case: the mean over segments weighted by cases (unweighted when there are none);
   * the procedure's is one complete execution of every recurring obligation */
  for (guint o = 0; o < plan->procedure->obligations->len; o++)
    {
      MoaTotal *ob = &t[plan->first_obligation + o];
      MoaFigures unweighted = { 0 };
      guint n = 0;
      for (guint c = 0; c < plan->chains->len; c++)
        {
          const PlanChain *chain = g_ptr_array_index (plan->chains, c);
          if (chain->obligation_index != o)
            continue;
          n++;
          axpy (&unweighted, &ws->chain_per_case[c], 1.0);
          if (ob->cases > 0.0)
            axpy (&ob->per_case, &ws->chain_per_case[c], ws->chain_cases[c] / ob->cases);
        }
      if (ob->cases <= 0.0 && n > 0)
        axpy (&ob->per_case, &unweighted, 1.0 / n);
      if (!((MoaObligation *)g_ptr_array_index (plan->procedure->obligations, o))->one_off)
        axpy (&t[MOA_ENTITY_TOTAL].per_case, &ob->per_case, 1.0);
      if (!figures_finite (&ob->recurring) || !figures_finite (&ob->one_off)
          || !figures_finite (&ob->per_case))
        {
          g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC,
                       _ ("%s: obligation \"%s\": a figure is not finite"),
                       file_of (plan->procedure), ob->id);
          return NULL;
        }
    }
  return t;
}

/* --- Monte Carlo: a chunk of iterations at a time ----------------------------------------- */

/* An activity row as moa_plan_chunk_evaluate() computes it. Its yearly figures j = 0, 1, 2
 * (burden, cost and hours; a one-off row only j = 0, its one-off burden) go straight to the
 * samples of their stored figure, slot[j] >= 0, or else to the scratch. */
typedef struct
{
  const PlanActivity *activity;
  gboolean administration;
  int slot[3];
} ChunkRow;

typedef struct
{
  const PlanChain *chain;
  guint first_row, n_rows; /* into the plan's rows */
  gboolean one_off;
  double *fixed_v; /* the executions when no probability of the chain is uncertain, or NULL */
  gboolean cases_fixed;
  double fixed_cases;
} ChunkChain;

/* A stored figure of an entity other than a row: a sum of terms, in the order in which
 * moa_plan_evaluate_totals() adds them. A term is an index into the table of a chunk's
 * values: (row x 3 + j) for a row's yearly figure j, ((n_rows + chain) x 3 + j) for a chain's
 * figure j per case times its cases (what its obligation adds). */
typedef struct
{
  guint stored;   /* CHUNK_CHECK_ONLY: an obligation's figure that is not stored, computed to
                   * check that it is finite */
  guint first, n; /* into MoaPlanChunk.terms */
  gboolean obligation;
} ChunkSum;

#define CHUNK_CHECK_ONLY G_MAXUINT

struct _MoaPlanChunk
{
  const MoaPlan *plan;
  ChunkChain *chains;
  ChunkRow *rows;
  ChunkSum *sums;
  guint n_sums;
  guint *terms;
  guint n_values; /* (rows + chains) x 3 */
  guint max_chain_rows;
};

struct _MoaPlanChunkScratch
{
  MoaPlanWorkspace *ws;
  const double **value; /* n_values: where each value of the table is */
  double *own;          /* n_values x MOA_PLAN_CHUNK: the values that are not stored samples */
  double *visits;       /* max_chain_rows x MOA_PLAN_CHUNK */
  double *w;            /* max_edges x MOA_PLAN_CHUNK: the weights of a chain's flows */
  double *v;            /* max_nodes x MOA_PLAN_CHUNK: the executions of its nodes */
  double *sum;          /* MOA_PLAN_CHUNK */
  double *cases;        /* MOA_PLAN_CHUNK */
  double *case_sum[3];  /* MOA_PLAN_CHUNK each */
  double *zeros;        /* MOA_PLAN_CHUNK */
  double *check;        /* MOA_PLAN_CHUNK: a figure computed only to be checked */
};

static gboolean
params_certain (const MoaPlan *plan, const int *slots, guint n)
{
  for (guint i = 0; i < n; i++)
    if (slots[i] >= 0 && moa_value_is_uncertain (g_ptr_array_index (plan->params, (guint)slots[i])))
      return FALSE;
  return TRUE;
}

static void
add_term (GArray **terms, int sum, guint term)
{
  if (sum >= 0)
    g_array_append_val (terms[sum], term);
}

MoaPlanChunk *
moa_plan_chunk_new (const MoaPlan *plan, const guint *stored, guint n_stored)
{
  g_return_val_if_fail (plan != NULL && (n_stored == 0 || stored != NULL), NULL);

  guint n_figures = plan->entities->len * MOA_PLAN_N_QUANTITIES;
  guint n_rows = plan->rows->len, n_chains = plan->chains->len;
  g_autofree int *stored_of = g_new (int, MAX (n_figures, 1));
  g_autofree int *sum_of = g_new (int, MAX (n_figures, 1));
  for (guint f = 0; f < n_figures; f++)
    stored_of[f] = sum_of[f] = -1;
  for (guint k = 0; k < n_stored; k++)
    stored_of[stored[k]] = (int)k;

  MoaPlanChunk *p = g_new0 (MoaPlanChunk, 1);
  p->plan = plan;
  p->n_values = (n_rows + n_chains) * 3;
  /* every stored figure of an entity other than a row is a sum; so is every figure of an
   * obligation that has chains, stored or not: moa_plan_evaluate_totals() refuses a
   * non-finite one, so they are checked whatever is stored (a simulation that keeps only the
   * totals fails in the same iterations as one that keeps everything) */
  guint max_sums = n_stored + (plan->first_group - plan->first_obligation) * MOA_PLAN_N_QUANTITIES;
  p->sums = g_new0 (ChunkSum, MAX (max_sums, 1));
  g_autofree GArray **terms = g_new0 (GArray *, MAX (max_sums, 1));
  for (guint k = 0; k < n_stored; k++)
    {
      guint e = stored[k] / MOA_PLAN_N_QUANTITIES;
      if (e >= plan->first_row)
        continue;
      sum_of[stored[k]] = (int)p->n_sums;
      p->sums[p->n_sums].stored = k;
      p->sums[p->n_sums].obligation = e >= plan->first_obligation && e < plan->first_group;
      terms[p->n_sums++] = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  for (guint c = 0; c < n_chains; c++)
    {
      const PlanChain *chain = g_ptr_array_index (plan->chains, c);
      const PlanChainLayout *l = &g_array_index (plan->layouts, PlanChainLayout, c);
      guint q_first = chain->obligation->one_off ? 3 : 0,
            q_last = chain->obligation->one_off ? 3 : 2;
      for (guint q = q_first; q <= q_last; q++)
        {
          guint f = l->obligation * MOA_PLAN_N_QUANTITIES + q;
          if (sum_of[f] >= 0)
            continue;
          sum_of[f] = (int)p->n_sums;
          p->sums[p->n_sums].stored = CHUNK_CHECK_ONLY;
          p->sums[p->n_sums].obligation = TRUE;
          terms[p->n_sums++] = g_array_new (FALSE, FALSE, sizeof (guint));
        }
    }

  const PlanRow *rows = (const PlanRow *)plan->rows->data;
  const double *means = (const double *)plan->means->data;
  p->chains = g_new0 (ChunkChain, MAX (n_chains, 1));
  p->rows = g_new0 (ChunkRow, MAX (n_rows, 1));
  g_autoptr (MoaPlanWorkspace) ws = moa_plan_workspace_new (plan);
  for (guint c = 0; c < n_chains; c++)
    {
      const PlanChain *chain = g_ptr_array_index (plan->chains, c);
      const PlanChainLayout *l = &g_array_index (plan->layouts, PlanChainLayout, c);
      ChunkChain *cc = &p->chains[c];
      gboolean one_off = chain->obligation->one_off;
      /* the quantities of this chain's figures, and which of a row's values each is */
      guint q_first = one_off ? 3 : 0, q_last = one_off ? 3 : 2;
      cc->chain = chain;
      cc->first_row = l->first_row;
      cc->n_rows = l->n_rows;
      cc->one_off = one_off;
      p->max_chain_rows = MAX (p->max_chain_rows, l->n_rows);

      /* the executions and the cases, once for all iterations when nothing of them is drawn */
      const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
      gboolean weights_fixed = TRUE;
      for (guint e = 0; e < chain->edges->len; e++)
        weights_fixed &= params_certain (plan, &edges[e].param, 1);
      if (weights_fixed)
        {
          moa_plan_chain_weights (chain, means, ws->w);
          if (chain_visits_scratch (chain, ws->w, ws->v, &ws->solve, NULL, NULL))
            cc->fixed_v = g_memdup2 (ws->v, sizeof (double) * MAX (chain->n_nodes, 1));
        }
      int slots[4] = { chain->population, chain->frequency, chain->cases, chain->compliance };
      cc->cases_fixed = params_certain (plan, slots, G_N_ELEMENTS (slots))
                        && params_certain (plan, (const int *)chain->all_populations->data,
                                           chain->all_populations->len);
      cc->fixed_cases = moa_plan_chain_cases (chain, means);

      /* the terms, in the order of moa_plan_evaluate_totals(): each row adds to its payers,
       * then the chain to its obligation */
      for (guint r = l->first_row; r < l->first_row + l->n_rows; r++)
        {
          const PlanRow *row = &rows[r];
          ChunkRow *cr = &p->rows[r];
          cr->activity = &g_array_index (chain->activities, PlanActivity, row->activity);
          cr->administration = row->administration;
          guint targets[5] = { plan->first_row + r, row->payer_group, row->payer_segment,
                               row->payer_total, MOA_ENTITY_TOTAL };
          guint n_targets = row->administration ? 4 : 5;
          for (guint j = 0; j < 3; j++)
            cr->slot[j] = -1;
          for (guint q = q_first; q <= q_last; q++)
            {
              guint j = q - q_first;
              cr->slot[j] = stored_of[targets[0] * MOA_PLAN_N_QUANTITIES + q];
              for (guint t = 1; t < n_targets; t++)
                add_term (terms, sum_of[targets[t] * MOA_PLAN_N_QUANTITIES + q], r * 3 + j);
            }
        }
      for (guint q = q_first; q <= q_last; q++)
        add_term (terms, sum_of[l->obligation * MOA_PLAN_N_QUANTITIES + q],
                  (n_rows + c) * 3 + (q - q_first));
    }

  GArray *all = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < p->n_sums; k++)
    {
      p->sums[k].first = all->len;
      p->sums[k].n = terms[k]->len;
      g_array_append_vals (all, terms[k]->data, terms[k]->len);
      g_array_unref (terms[k]);
    }
  p->terms = (guint *)g_array_free (all, FALSE);
  return p;
}

void
moa_plan_chunk_free (MoaPlanChunk *chunk)
{
  if (chunk == NULL)
    return;
  for (guint c = 0; c < chunk->plan->chains->len; c++)
    g_free (chunk->chains[c].fixed_v);
  g_free (chunk->chains);
  g_free (chunk->rows);
  g_free (chunk->sums);
  g_free (chunk->terms);
  g_free (chunk);
}

MoaPlanChunkScratch *
moa_plan_chunk_scratch_new (const MoaPlanChunk *chunk)
{
  g_return_val_if_fail (chunk != NULL, NULL);
  MoaPlanChunkScratch *s = g_new0 (MoaPlanChunkScratch, 1);
  s->ws = moa_plan_workspace_new (chunk->plan);
  s->value = g_new0 (const double *, MAX (chunk->n_values, 1));
  s->own = g_new (double, (gsize)MAX (chunk->n_values, 1) * MOA_PLAN_CHUNK);
  s->visits = g_new (double, (gsize)MAX (chunk->max_chain_rows, 1) * MOA_PLAN_CHUNK);
  s->w = g_new (double, (gsize)MAX (chunk->plan->max_edges, 1) * MOA_PLAN_CHUNK);
  s->v = g_new (double, (gsize)MAX (chunk->plan->max_nodes, 1) * MOA_PLAN_CHUNK);
  s->sum = g_new (double, MOA_PLAN_CHUNK);
  s->cases = g_new (double, 6 * MOA_PLAN_CHUNK);
  for (guint j = 0; j < 3; j++)
    s->case_sum[j] = s->cases + (1 + j) * MOA_PLAN_CHUNK;
  s->zeros = s->cases + 4 * MOA_PLAN_CHUNK;
  memset (s->zeros, 0, sizeof (double) * MOA_PLAN_CHUNK);
  s->check = s->cases + 5 * MOA_PLAN_CHUNK;
  return s;
}

void
moa_plan_chunk_scratch_free (MoaPlanChunkScratch *scratch)
{
  if (scratch == NULL)
    return;
  moa_plan_workspace_free (scratch->ws);
  g_free (scratch->value);
  g_free (scratch->own);
  g_free (scratch->visits);
  g_free (scratch->w);
  g_free (scratch->v);
  g_free (scratch->sum);
  g_free (scratch->cases);
  g_free (scratch);
}

/* moa_plan_chain_weights() for @n iterations at once: flow e's weight in iteration i to
 * w[e x MOA_PLAN_CHUNK + i] (parameters as in moa_plan_chunk_evaluate()), the same arithmetic
 * for each iteration; @sum: MOA_PLAN_CHUNK doubles of scratch. */
static void
chain_weights_chunk (const PlanChain *chain, const double *xs, guint n, double *w,
                     double *restrict sum)
{
  const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
  for (guint e = 0; e < chain->edges->len; e++)
    {
      const PlanEdge *edge = &edges[e];
      double *restrict we = w + (gsize)e * MOA_PLAN_CHUNK;
      const double scale = edge->scale;
      if (edge->param < 0 && !edge->is_default)
        {
          for (guint i = 0; i < n; i++)
            we[i] = 1.0 * scale;
          continue;
        }
      gboolean has_default = FALSE;
      for (guint i = 0; i < n; i++)
        sum[i] = 0.0;
      for (guint k = edge->group_first; k < edge->group_first + edge->group_n; k++)
        {
          if (edges[k].param >= 0)
            {
              const double *restrict x = xs + (gsize)edges[k].param * MOA_PLAN_CHUNK;
              for (guint i = 0; i < n; i++)
                sum[i] += x[i];
            }
          has_default |= edges[k].is_default;
        }
      if (edge->is_default)
        for (guint i = 0; i < n; i++)
          we[i] = (sum[i] > 1.0 ? 0.0 : 1.0 - sum[i]) * scale;
      else
        {
          const double *restrict x = xs + (gsize)edge->param * MOA_PLAN_CHUNK;
          if (has_default)
            for (guint i = 0; i < n; i++)
              we[i] = (sum[i] > 1.0 ? x[i] / sum[i] : x[i]) * scale;
          else
            for (guint i = 0; i < n; i++)
              we[i] = x[i] * scale;
        }
    }
}

/* The values of parameter @slot in the chunk (0 for no parameter). */
static inline const double *
chunk_param (const double *xs, int slot, const double *zeros)
{
  return slot >= 0 ? xs + (gsize)slot * MOA_PLAN_CHUNK : zeros;
}

/* The figures of one activity row for @n iterations: its yearly burden, cost and hours to
 * @yb, @yc and @yh (a one-off row: its one-off burden to @yb only), and its burden, cost and
 * hours per case added to the chain's sums (unless it is the administration's). Each
 * expression mirrors moa_plan_activity_figures(), axpy() and add_per_year() on zeroed figures,
 * "0.0 +" included, so that each figure is bit-identical to that of
 * moa_plan_evaluate_totals(); the loops run over the iterations, so they vectorise. */
static void
chunk_row (const MoaPlan *plan, const ChunkRow *cr, const double *xs, const double *restrict vis,
           const double *restrict cases, gboolean one_off, MoaPlanChunkScratch *s, guint n,
           double *restrict yb, double *restrict yc, double *restrict yh)
{
  const PlanActivity *a = cr->activity;
  const double *restrict t = chunk_param (xs, a->time, s->zeros);
  const double *restrict rate = chunk_param (xs, a->rate, s->zeros);
  const double *restrict fee = chunk_param (xs, a->fee, s->zeros);
  const double *restrict acq = chunk_param (xs, a->acquisitions, s->zeros);
  const double *restrict oop = chunk_param (xs, a->out_of_pocket, s->zeros);
  const double *restrict bau = chunk_param (xs, a->bau, s->zeros);
  double *restrict cb = s->case_sum[0], *restrict cc = s->case_sum[1];
  double *restrict ch = s->case_sum[2];
  const double ovr = plan->model->overhead_rate;

  /* three loops for the three ways of computing the cost, without a branch inside */
  double cost[MOA_PLAN_CHUNK], hours[MOA_PLAN_CHUNK];
  if (a->external)
    for (guint i = 0; i < n; i++)
      {
        cost[i] = 0.0 + 0.0 + (t[i] * rate[i] + fee[i]);
        hours[i] = 0.0;
      }
  else if (a->overhead)
    for (guint i = 0; i < n; i++)
      {
        double internal = t[i] * rate[i];
        cost[i] = internal + internal * ovr + fee[i];
        hours[i] = t[i];
      }
  else
    for (guint i = 0; i < n; i++)
      {
        double internal = t[i] * rate[i];
        cost[i] = internal + 0.0 + fee[i];
        hours[i] = t[i];
      }

  if (one_off)
    {
      for (guint i = 0; i < n; i++)
        {
          double c = cost[i] + acq[i] + oop[i];
          double burden = c - c * bau[i];
          double pc_burden = 0.0 + burden * vis[i];
          yb[i] = 0.0 + pc_burden * cases[i];
          if (!cr->administration)
            cb[i] += pc_burden;
        }
      return;
    }
  if (!cr->administration)
    for (guint i = 0; i < n; i++)
      {
        double c = cost[i] + acq[i] + oop[i];
        double burden = c - c * bau[i];
        double pc_burden = 0.0 + burden * vis[i];
        double pc_cost = 0.0 + c * vis[i];
        double pc_hours = 0.0 + hours[i] * vis[i];
        yb[i] = 0.0 + pc_burden * cases[i];
        yc[i] = 0.0 + pc_cost * cases[i];
        yh[i] = 0.0 + pc_hours * cases[i];
        cb[i] += pc_burden;
        cc[i] += pc_cost;
        ch[i] += pc_hours;
      }
  else
    for (guint i = 0; i < n; i++)
      {
        double c = cost[i] + acq[i] + oop[i];
        double burden = c - c * bau[i];
        yb[i] = 0.0 + (0.0 + burden * vis[i]) * cases[i];
        yc[i] = 0.0 + (0.0 + c * vis[i]) * cases[i];
        yh[i] = 0.0 + (0.0 + hours[i] * vis[i]) * cases[i];
      }
}

#define SUM_BLOCK 8

/* dst[i] = 0.0 + value[terms[0]][i] + value[terms[1]][i] + ..., in this order, for i < @n:
 * SUM_BLOCK iterations at a time kept in registers while the terms are added. */
static void
sum_terms (const double *const *value, const guint *terms, guint n_terms, guint n,
           double *restrict dst)
{
  guint i = 0;
  for (; i + SUM_BLOCK <= n; i += SUM_BLOCK)
    {
      double acc[SUM_BLOCK] = { 0.0 };
      for (guint t = 0; t < n_terms; t++)
        {
          const double *restrict x = value[terms[t]] + i;
          for (guint j = 0; j < SUM_BLOCK; j++)
            acc[j] += x[j];
        }
      for (guint j = 0; j < SUM_BLOCK; j++)
        dst[i + j] = acc[j];
    }
  for (; i < n; i++)
    {
      double acc = 0.0;
      for (guint t = 0; t < n_terms; t++)
        acc += value[terms[t]][i];
      dst[i] = acc;
    }
}

guint
moa_plan_chunk_evaluate (const MoaPlanChunk *chunk, MoaPlanChunkScratch *s, const double *xs,
                         guint n, double *out, gsize out_stride, gboolean *failed)
{
  g_return_val_if_fail (chunk != NULL && s != NULL && xs != NULL && failed != NULL, 0);
  g_return_val_if_fail (n <= MOA_PLAN_CHUNK, 0);

  const MoaPlan *plan = chunk->plan;
  MoaPlanWorkspace *ws = s->ws;
  guint n_rows = plan->rows->len;
  guint n_failed = 0;
  for (guint i = 0; i < n; i++)
    failed[i] = FALSE;

  for (guint c = 0; c < plan->chains->len; c++)
    {
      const ChunkChain *cc = &chunk->chains[c];
      const PlanChain *chain = cc->chain;
      const ChunkRow *rows = chunk->rows + cc->first_row;
      double *cases = s->cases;

      /* executions of the chain's activities (all iterations at once) and cases */
      if (cc->fixed_v != NULL)
        for (guint r = 0; r < cc->n_rows; r++)
          {
            double fixed = cc->fixed_v[rows[r].activity->node];
            for (guint i = 0; i < n; i++)
              s->visits[r * MOA_PLAN_CHUNK + i] = fixed;
          }
      else
        {
          chain_weights_chunk (chain, xs, n, s->w, s->sum);
          chain_visits_chunk (chain, s->w, s->v, n, &ws->solve, failed);
          for (guint r = 0; r < cc->n_rows; r++)
            memcpy (s->visits + (gsize)r * MOA_PLAN_CHUNK,
                    s->v + (gsize)rows[r].activity->node * MOA_PLAN_CHUNK, sizeof (double) * n);
        }
      for (guint i = 0; i < n; i++)
        {
          cases[i] = cc->cases_fixed ? cc->fixed_cases
                                     : chain_cases_strided (chain, xs + i, MOA_PLAN_CHUNK);
          if (!isfinite (cases[i]))
            failed[i] = TRUE;
          /* the full evaluation says why, or gives the figures */
          if (failed[i])
            {
              cases[i] = 0.0;
              for (guint r = 0; r < cc->n_rows; r++)
                s->visits[r * MOA_PLAN_CHUNK + i] = 0.0;
            }
        }

      /* the rows' yearly figures, to their samples when they are stored */
      for (guint j = 0; j < 3; j++)
        memset (s->case_sum[j], 0, sizeof (double) * n);
      for (guint r = 0; r < cc->n_rows; r++)
        {
          guint v = (cc->first_row + r) * 3;
          double *y[3];
          for (guint j = 0; j < 3; j++)
            {
              const ChunkRow *cr = &rows[r];
              y[j] = cr->slot[j] >= 0 ? out + (gsize)cr->slot[j] * out_stride
                                      : s->own + (gsize)(v + j) * MOA_PLAN_CHUNK;
              s->value[v + j] = y[j];
            }
          chunk_row (plan, &rows[r], xs, s->visits + (gsize)r * MOA_PLAN_CHUNK, cases, cc->one_off,
                     s, n, y[0], y[1], y[2]);
        }

      /* what the chain adds to its obligation: its figures per case, per year */
      for (guint j = 0; j < (cc->one_off ? 1u : 3u); j++)
        {
          guint v = (n_rows + c) * 3 + j;
          double *restrict y = s->own + (gsize)v * MOA_PLAN_CHUNK;
          const double *restrict sum = s->case_sum[j];
          for (guint i = 0; i < n; i++)
            y[i] = 0.0 + sum[i] * cases[i];
          s->value[v] = y;
        }
    }

  for (guint k = 0; k < chunk->n_sums; k++)
    {
      const ChunkSum *sum = &chunk->sums[k];
      double *dst
          = sum->stored == CHUNK_CHECK_ONLY ? s->check : out + (gsize)sum->stored * out_stride;
      sum_terms (s->value, chunk->terms + sum->first, sum->n, n, dst);
      /* moa_plan_evaluate_totals() refuses a non-finite figure of an obligation (each is a
       * sum here, stored or not); every figure is a sum of non-negative terms bounded by the
       * cost, so finite figures there mean finite figures everywhere */
      if (sum->obligation)
        for (guint i = 0; i < n; i++)
          failed[i] |= !isfinite (dst[i]);
    }
  for (guint i = 0; i < n; i++)
    n_failed += failed[i] != FALSE;
  return n_failed;
}

/* What each entity's figures are sums of, in the order moa_plan_chunk_evaluate() adds
 * them: activity rows (their index) and, for an obligation, its chains' per-case sums
 * (CHAIN_TERM | chain); recurring and one-off apart. */
#define CHAIN_TERM 0x80000000u

typedef struct
{
  GArray *terms[2]; /* guint: [0] recurring, [1] one-off */
  gboolean bau;     /* a recurring term has a business-as-usual share */
} EntityTerms;

static guint
terms_hash (const GArray *a)
{
  guint h = 5381;
  for (guint i = 0; i < a->len; i++)
    h = h * 33 + g_array_index (a, guint, i);
  return h ^ a->len;
}

static gboolean
terms_equal (const GArray *a, const GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, sizeof (guint) * a->len) == 0;
}

void
moa_plan_quantity_sources (const MoaPlan *plan, int *source)
{
  g_return_if_fail (plan != NULL && source != NULL);

  guint n = plan->entities->len;
  const PlanRow *rows = (const PlanRow *)plan->rows->data;
  g_autofree EntityTerms *terms = g_new0 (EntityTerms, MAX (n, 1));
  for (guint e = 0; e < n; e++)
    for (guint k = 0; k < 2; k++)
      terms[e].terms[k] = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint c = 0; c < plan->chains->len; c++)
    {
      const PlanChain *chain = g_ptr_array_index (plan->chains, c);
      const PlanChainLayout *l = &g_array_index (plan->layouts, PlanChainLayout, c);
      guint k = chain->obligation->one_off ? 1 : 0;
      gboolean chain_bau = FALSE;
      for (guint r = l->first_row; r < l->first_row + l->n_rows; r++)
        {
          const PlanRow *row = &rows[r];
          gboolean bau
              = g_array_index (chain->activities, PlanActivity, row->activity).bau >= 0 && k == 0;
          guint targets[5] = { plan->first_row + r, row->payer_group, row->payer_segment,
                               row->payer_total, MOA_ENTITY_TOTAL };
          for (guint t = 0; t < (row->administration ? 4u : 5u); t++)
            {
              g_array_append_val (terms[targets[t]].terms[k], r);
              terms[targets[t]].bau |= bau;
            }
          if (!row->administration)
            chain_bau |= bau;
        }
      guint term = CHAIN_TERM | c;
      g_array_append_val (terms[l->obligation].terms[k], term);
      terms[l->obligation].bau |= chain_bau;
    }

  /* the first entity with each list of terms, by quantity */
  for (guint q = 0; q < MOA_PLAN_N_QUANTITIES; q++)
    {
      guint k = q == MOA_PLAN_N_QUANTITIES - 1 ? 1 : 0;
      g_autoptr (GHashTable) first
          = g_hash_table_new ((GHashFunc)terms_hash, (GEqualFunc)terms_equal);
      for (guint e = 0; e < n; e++)
        {
          GArray *list = terms[e].terms[k];
          int *s = &source[e * MOA_PLAN_N_QUANTITIES + q];
          if (list->len == 0)
            {
              *s = -1;
              continue;
            }
          gpointer found = g_hash_table_lookup (first, list);
          if (found != NULL)
            *s = source[(GPOINTER_TO_UINT (found) - 1) * MOA_PLAN_N_QUANTITIES + q];
          else
            {
              *s = (int)(e * MOA_PLAN_N_QUANTITIES + q);
              g_hash_table_insert (first, list, GUINT_TO_POINTER (e + 1));
            }
          /* without a business-as-usual share the cost is the burden, term by term */
          if (q == 1 && !terms[e].bau)
            *s = source[e * MOA_PLAN_N_QUANTITIES];
        }
    }
  for (guint e = 0; e < n; e++)
    for (guint k = 0; k < 2; k++)
      g_array_unref (terms[e].terms[k]);
}

static void
give_back_workspace (MoaPlan *plan, MoaPlanWorkspace *ws)
{
  if (!g_atomic_pointer_compare_and_exchange (&plan->spare_workspace, NULL, ws))
    moa_plan_workspace_free (ws);
}

MoaResult *
moa_plan_evaluate (const MoaPlan *plan, const double *params, GError **error)
{
  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Reuse the plan's spare workspace when no other thread holds it: repeated evaluations
   * (the GUI after each edit) then allocate only the result. */
  MoaPlan *mutable_plan = (MoaPlan *)plan;
  MoaPlanWorkspace *ws = g_atomic_pointer_exchange (&mutable_plan->spare_workspace, NULL);
  if (ws == NULL)
    ws = moa_plan_workspace_new (plan);
  const MoaTotal *t = moa_plan_evaluate_totals (plan, params, ws, error);
  if (t == NULL)
    {
      give_back_workspace (mutable_plan, ws);
      return NULL;
    }

  g_autoptr (MoaResult) result = moa_result_new (plan->procedure, plan->model);
  g_array_set_size (result->activities, plan->rows->len);
  g_array_set_size (result->activities, 0);
  g_array_set_size (result->cases, plan->chains->len);
  g_array_set_size (result->cases, 0);
  for (guint r = 0; r < plan->rows->len; r++)
    {
      const PlanRow *row = &g_array_index (plan->rows, PlanRow, r);
      const PlanChain *chain = g_ptr_array_index (plan->chains, row->chain);
      const PlanActivity *activity
          = &g_array_index (chain->activities, PlanActivity, row->activity);
      const MoaTotal *e = &t[plan->first_row + r];
      MoaActivityResult ar = { 0 };
      ar.obligation = chain->obligation;
      ar.node = activity->source;
      ar.segment = chain->segment;
      ar.payer = activity->payer;
      ar.external = activity->external;
      ar.visits = ws->row_visits[r];
      ar.time = ws->row_time[r];
      ar.rate = ws->row_rate[r];
      ar.per_case = e->per_case;
      ar.per_year = chain->obligation->one_off ? e->one_off : e->recurring;
      g_array_append_val (result->activities, ar);
    }
  for (guint c = 0; c < plan->chains->len; c++)
    {
      const PlanChain *chain = g_ptr_array_index (plan->chains, c);
      MoaCaseResult row = { 0 };
      row.obligation = chain->obligation;
      row.segment = chain->segment;
      row.group = chain->group;
      row.cases = ws->chain_cases[c];
      row.per_case = ws->chain_per_case[c];
      moa_figures_add_scaled (&row.per_year, &row.per_case, row.cases);
      g_array_append_val (result->cases, row);
    }
  g_array_append_vals (result->obligations, &t[plan->first_obligation],
                       plan->first_group - plan->first_obligation);
  g_array_append_vals (result->groups, &t[plan->first_group],
                       plan->first_segment - plan->first_group);
  g_array_append_vals (result->segments, &t[plan->first_segment],
                       plan->first_row - plan->first_segment);
  result->total = t[MOA_ENTITY_TOTAL];
  result->citizens = t[MOA_ENTITY_CITIZENS];
  result->businesses = t[MOA_ENTITY_BUSINESSES];
  result->administration = t[MOA_ENTITY_ADMINISTRATION];
  give_back_workspace (mutable_plan, ws);
  return g_steal_pointer (&result);
}

MoaPlan *
moa_plan_new (MoaProcedure *procedure, MoaCostModel *model, GPtrArray *problems, GError **error)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (GPtrArray) own_problems = problems == NULL ? moa_problems_new () : NULL;
  if (problems == NULL)
    problems = own_problems;
  guint first_problem = problems->len;

  MoaPlan *plan = g_new0 (MoaPlan, 1);
  plan->procedure = moa_procedure_ref (procedure);
  plan->model = moa_cost_model_ref (model);
  plan->params = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_value_unref);
  plan->key_specs = g_array_new (FALSE, FALSE, sizeof (KeySpec));
  g_mutex_init (&plan->keys_lock);
  plan->means = g_array_new (FALSE, FALSE, sizeof (double));
  plan->param_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  plan->chains = g_ptr_array_new_with_free_func ((GDestroyNotify)plan_chain_free);

  Build b = { plan, procedure, model, problems, FALSE };

  if (procedure->currency != NULL && model->currency != NULL
      && g_strcmp0 (procedure->currency, model->currency) != 0)
    PROBLEM (&b, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PRICE_YEAR, procedure->line,
             procedure->id, _ ("currency \"%s\" differs from cost model \"%s\", which is in %s"),
             procedure->currency, model->id, model->currency);

  for (guint o = 0; o < procedure->obligations->len; o++)
    compile_obligation (&b, g_ptr_array_index (procedure->obligations, o), o);

  if (b.dropped && problems->len == first_problem)
    PROBLEM (&b, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED, procedure->line, procedure->id,
             _ ("an obligation could not be compiled"));
  if (problems->len > first_problem)
    {
      MoaProblem *problem = g_ptr_array_index (problems, first_problem);
      g_set_error_literal (error, problem->domain, problem->code, problem->message);
      moa_plan_free (plan);
      return NULL;
    }
  build_layout (plan);
  return plan;
}

guint
moa_plan_get_n_params (const MoaPlan *plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->params->len;
}

const MoaValue *
moa_plan_get_param (const MoaPlan *plan, guint index)
{
  g_return_val_if_fail (plan != NULL && index < plan->params->len, NULL);
  return g_ptr_array_index (plan->params, index);
}

const char *
moa_plan_get_param_key (const MoaPlan *plan, guint index)
{
  g_return_val_if_fail (plan != NULL && index < plan->params->len, NULL);

  MoaPlan *mutable_plan = (MoaPlan *)plan;
  g_mutex_lock (&mutable_plan->keys_lock);
  if (mutable_plan->keys == NULL)
    {
      mutable_plan->keys = g_ptr_array_new_full (plan->key_specs->len, g_free);
      for (guint i = 0; i < plan->key_specs->len; i++)
        g_ptr_array_add (mutable_plan->keys,
                         key_spec_to_string (&g_array_index (plan->key_specs, KeySpec, i)));
    }
  g_mutex_unlock (&mutable_plan->keys_lock);
  return g_ptr_array_index (plan->keys, index);
}

const double *
moa_plan_get_means (const MoaPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return (const double *)plan->means->data;
}

MoaProcedure *
moa_plan_get_procedure (const MoaPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->procedure;
}

MoaCostModel *
moa_plan_get_model (const MoaPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->model;
}

/* One execution of @activity (SCM manual: P = t x w x (1 + overhead) + t_ext x w_ext + fee +
 * acquisitions; BAU taken out for the burden). */
void
moa_plan_activity_figures (const MoaPlan *plan, const PlanActivity *activity, const double *x,
                           MoaFigures *f, double *time, double *rate)
{
  double t = param_value (x, activity->time);
  double r = param_value (x, activity->rate);
  double fee = param_value (x, activity->fee);

  memset (f, 0, sizeof *f);
  if (activity->external)
    {
      f->external_hours = t;
      f->external = t * r + fee;
    }
  else
    {
      f->hours = t;
      f->internal = t * r;
      f->overhead = activity->overhead ? f->internal * plan->model->overhead_rate : 0.0;
      f->external = fee;
    }
  f->acquisitions = param_value (x, activity->acquisitions);
  f->out_of_pocket = param_value (x, activity->out_of_pocket);
  f->cost = f->internal + f->overhead + f->external + f->acquisitions + f->out_of_pocket;
  f->bau = f->cost * param_value (x, activity->bau);
  f->burden = f->cost - f->bau;
  *time = t;
  *rate = r;
}

double
moa_plan_chain_cases (const PlanChain *chain, const double *x)
{
  return chain_cases_strided (chain, x, 1);
}

gboolean
moa_plan_dense_visits (const MoaPlan *plan, const char *obligation, const char *segment,
                       const double *params, double *visits, GError **error)
{
  g_return_val_if_fail (plan != NULL && obligation != NULL && visits != NULL, FALSE);

  const double *x = params != NULL ? params : (const double *)plan->means->data;
  for (guint c = 0; c < plan->chains->len; c++)
    {
      PlanChain *chain = g_ptr_array_index (plan->chains, c);
      if (g_strcmp0 (chain->obligation->id, obligation) != 0
          || (segment != NULL && g_strcmp0 (chain->segment->id, segment) != 0))
        continue;

      guint n = chain->n_nodes;
      const PlanEdge *edges = (const PlanEdge *)chain->edges->data;
      g_autofree double *w = g_new (double, MAX (chain->edges->len, 1));
      g_autofree double *a = g_new0 (double, n *n);
      moa_plan_chain_weights (chain, x, w);
      for (guint i = 0; i < n; i++)
        {
          a[i * n + i] = 1.0;
          visits[i] = i == chain->start ? 1.0 : 0.0;
        }
      /* (I - Q^T) v = e_start: row j collects the flows into j */
      for (guint e = 0; e < chain->edges->len; e++)
        a[edges[e].to * n + edges[e].from] -= w[e];
      return moa_linalg_solve (n, a, visits, error);
    }
  g_set_error (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED,
               _ ("no obligation \"%s\" with segment \"%s\" in the plan"), obligation,
               segment != NULL ? segment : "*");
  return FALSE;
}

MoaResult *
moa_evaluate (MoaProcedure *procedure, MoaCostModel *model, GPtrArray *problems, GError **error)
{
  g_autoptr (MoaPlan) plan = moa_plan_new (procedure, model, problems, error);
  if (plan == NULL)
    return NULL;
  return moa_plan_evaluate (plan, NULL, error);
}
