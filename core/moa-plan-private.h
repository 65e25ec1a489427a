/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The compiled form of a plan, shared by the engine's files that walk it (evaluation, Monte
 * Carlo, per-case simulation, sensitivity). Not for use outside core/. */
#pragma once

#include "moa-plan.h"

G_BEGIN_DECLS

/* A flow between two nodes of one obligation. Its weight is
 * scale x (param >= 0 ? params[param] : is_default ? 1 - sum of the gateway's others : 1). */
typedef struct
{
  guint from;
  guint to;
  int param;
  gboolean is_default;
  guint group_first; /* the gateway's edges are contiguous: [group_first, group_first + n) */
  guint group_n;
  double scale; /* 1/k on the k flows into an AND join: the join continues once per case */
} PlanEdge;

/* A strongly connected component of the workflow graph, in topological order. */
typedef struct
{
  guint first; /* into chain->scc_nodes */
  guint n;
  gboolean cyclic;
  int cycle; /* a simple cycle (n nodes, n flows among them): its flows in cycle order start at
              * chain->cycle_edges[cycle], the first from its first node; -1 otherwise */
} PlanScc;

typedef struct
{
  guint node; /* index in the obligation's node order */
  const MoaNode *source;
  const MoaTargetGroup *payer;
  gboolean external;
  gboolean citizen;                                      /* performed by a citizen: no overhead */
  gboolean overhead;                                     /* overhead applies */
  int time, rate, fee, acquisitions, out_of_pocket, bau; /* param slots, -1 = none (0) */
} PlanActivity;

typedef struct
{
  const MoaObligation *obligation;
  guint obligation_index;
  const MoaSegment *segment;
  const MoaTargetGroup *group;
  guint n_nodes;
  guint start;
  GArray *edges;   /* PlanEdge, sorted by source node */
  guint *in_first; /* CSR of incoming edges per node: indexes into in_edges */
  guint *in_edges;
  guint *scc_nodes;
  GArray *sccs; /* PlanScc, topological order */
  guint max_scc;
  guint *cycle_edges; /* the flows of the simple cycles, see PlanScc */
  GArray *activities; /* PlanActivity */
  /* cases per year = (frequency ? population x frequency : cases x population / sum) x compliance
   */
  int population;
  int frequency;
  int cases;
  gboolean cases_own;      /* @cases is this segment's override, not the obligation's total */
  GArray *all_populations; /* int slots of every addressee segment, for the share of cases */
  int compliance;
} PlanChain;

/* The parts of a parameter's key, borrowed from the procedure and the cost model (which the
 * plan keeps alive): [model:]OWNER[/NODE][>TARGET]:ATTRIBUTE[@SEGMENT]. The strings are
 * built only when a caller asks for keys, so that compiling a plan stays cheap. */
typedef struct
{
  gboolean model;
  const char *owner;
  const char *node;
  const char *target;
  const char *attribute;
  const char *segment;
} KeySpec;

/* Where the figures of an activity row go (indexes into the plan's entities). */
typedef struct
{
  guint chain;
  guint activity;      /* index in the chain's activities */
  guint payer_group;   /* entity of the group that bears it */
  guint payer_segment; /* entity of the segment that bears it */
  guint payer_total;   /* MOA_ENTITY_CITIZENS, _BUSINESSES or _ADMINISTRATION (0..3) */
  gboolean administration;
} PlanRow;

/* Where the figures of a chain (obligation x addressee segment) go. */
typedef struct
{
  guint obligation; /* entity */
  guint group;      /* entity of the addressee group */
  guint segment;    /* entity of the addressee segment */
  int kind_total;   /* entity of citizens or businesses; -1 for other addressees */
  guint first_row;  /* its activity rows: [first_row, first_row + n_rows) */
  guint n_rows;
  GArray *offices;         /* guint entities of administration groups acting in it, unique */
  GArray *office_segments; /* guint: their first segment's entity, parallel to offices */
} PlanChainLayout;

struct _MoaPlan
{
  MoaProcedure *procedure;
  MoaCostModel *model;
  GPtrArray *params; /* MoaValue* (strong) */
  GArray *key_specs; /* KeySpec, one per parameter */
  GMutex keys_lock;
  GPtrArray *keys;         /* char*, built on first use under keys_lock */
  GArray *means;           /* double */
  GHashTable *param_index; /* MoaValue* -> index + 1 */
  GPtrArray *chains;       /* PlanChain* */

  /* entities: the four totals, obligations, groups, segments, activity rows */
  GArray *entities;   /* MoaEntity */
  MoaTotal *template; /* n_entities totals with id and kind set, figures zero */
  guint first_obligation, first_group, first_segment, first_row;
  GArray *rows;    /* PlanRow, in MoaResult.activities order */
  GArray *layouts; /* PlanChainLayout, parallel to chains */
  guint max_nodes, max_edges, max_scc;
  MoaPlanWorkspace *spare_workspace; /* reused by moa_plan_evaluate(); atomic exchange */
};

typedef struct
{
  double *a;   /* max_scc^2 */
  double *b;   /* max_scc */
  gsize *perm; /* max_scc */
  int *local;  /* max_nodes, -1 between uses */
} PlanSolveScratch;

void
plan_solve_scratch_init (PlanSolveScratch *scratch, guint max_scc, guint max_nodes);
void
plan_solve_scratch_clear (PlanSolveScratch *scratch);

struct _MoaPlanWorkspace
{
  const MoaPlan *plan;
  MoaTotal *totals;   /* n_entities */
  double *v;          /* max_nodes */
  double *w;          /* max_edges */
  double *row_visits; /* per row */
  double *row_time;
  double *row_rate;
  double *chain_cases;        /* per chain */
  MoaFigures *chain_per_case; /* per chain, administration excluded */
  PlanSolveScratch solve;
};

/* Weights of the flows of @chain for parameter values @x (n_edges long). A gateway's default
 * branch takes 1 - the sum of the others; when sampled probabilities sum to more than 1 they
 * are scaled down to sum 1 and the default branch gets 0 (docs/procedure-format.md). */
void
moa_plan_chain_weights (const PlanChain *chain, const double *x, double *w);

/* Expected executions per case of every node of @chain (n_nodes long) for weights @w. */
gboolean
moa_plan_chain_visits (const PlanChain *chain, const double *w, double *v, GError **error);

/* Cases per year (one-off: total) of @chain for parameter values @x. */
double
moa_plan_chain_cases (const PlanChain *chain, const double *x);

/* One execution of @activity with parameter values @x; *@time and *@rate receive the hours and
 * the rate used. */
void
moa_plan_activity_figures (const MoaPlan *plan, const PlanActivity *activity, const double *x,
                           MoaFigures *f, double *time, double *rate);

/* The figures a simulation keeps of each entity, in the order of MoaQuantity (moa-simulation.h):
 * recurring burden, recurring cost, recurring hours, one-off burden. */
#define MOA_PLAN_N_QUANTITIES 4

/* Monte Carlo evaluates iterations in chunks of at most MOA_PLAN_CHUNK. */
#define MOA_PLAN_CHUNK 64

/* What moa_plan_chunk_evaluate() computes, prepared once per simulation: for each of the
 * @n_stored figures @stored (indexes entity x MOA_PLAN_N_QUANTITIES + quantity, each its own
 * source in moa_plan_quantity_sources()), where its terms come from; the executions of chains
 * without an uncertain probability and the cases of chains without an uncertain count, once.
 * @stored may be any such subset (a simulation of the totals only stores the four totals'):
 * the figures of the obligations are computed and checked anyway, so the iterations that fail
 * do not depend on it. Read-only afterwards: any number of threads may use one, each with its
 * own scratch. */
typedef struct _MoaPlanChunk MoaPlanChunk;
typedef struct _MoaPlanChunkScratch MoaPlanChunkScratch;

MoaPlanChunk *
moa_plan_chunk_new (const MoaPlan *plan, const guint *stored, guint n_stored);
void
moa_plan_chunk_free (MoaPlanChunk *chunk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaPlanChunk, moa_plan_chunk_free)
MoaPlanChunkScratch *
moa_plan_chunk_scratch_new (const MoaPlanChunk *chunk);
void
moa_plan_chunk_scratch_free (MoaPlanChunkScratch *scratch);

/* Evaluates @n <= MOA_PLAN_CHUNK iterations at once. @xs holds their parameter values
 * parameter by parameter: parameter p of iteration i at xs[p x MOA_PLAN_CHUNK + i] (certain
 * ones too). Stored figure k of iteration i goes to out[k x @out_stride + i]: bit-identical to
 * that field of moa_plan_evaluate_totals() for the same parameters (the same arithmetic in the
 * same order, "0.0 +" included, computed only for the stored figures, and iteration-wise so
 * that it vectorises). failed[i] is set, and out undefined for i, when iteration i would not
 * give finite figures (a loop that is never left, non-finite cases or figures): call
 * moa_plan_evaluate_totals() for the error, or the figures. Returns how many failed. */
guint
moa_plan_chunk_evaluate (const MoaPlanChunk *chunk, MoaPlanChunkScratch *scratch, const double *xs,
                         guint n, double *out, gsize out_stride, gboolean *failed);

/* Which figures of moa_plan_evaluate_totals() (its recurring burden, cost, hours and one-off
 * burden of each entity, in the order of MoaQuantity) are the same numbers by construction:
 * @source (n_entities x MOA_PLAN_N_QUANTITIES, entity-major) receives for each figure the index
 * of the first figure that is bit-identical to it in every evaluation (its own index when none
 * comes before), or -1 when it is 0 in every evaluation (no activity contributes to it). Two
 * figures are identical when they add the same terms in the same order (a procedure total and
 * the only kind of addressee, a kind total and its only group), or when they are an entity's
 * cost and burden and none of its activities has a business-as-usual share. */
void
moa_plan_quantity_sources (const MoaPlan *plan, int *source);

G_END_DECLS
