/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An evaluation plan: a procedure checked and compiled against a cost model into flat arrays,
 * so that it can be evaluated exactly, and re-evaluated quickly with other parameter values. */
#pragma once

#include <glib.h>

#include "moa-cost-model.h"
#include "moa-procedure.h"
#include "moa-result.h"

G_BEGIN_DECLS

typedef struct _MoaPlan MoaPlan;

/* Checks @procedure against @model (references, performers, tariffs, workflow soundness:
 * reachability, dead ends, XOR probabilities summing to 1 within 1e-9, loops that never exit)
 * and compiles it. Every problem is appended to @problems (may be NULL). Returns a new plan
 * holding references to both, or NULL with @error set from the first problem. */
MoaPlan *
moa_plan_new (MoaProcedure *procedure, MoaCostModel *model, GPtrArray *problems,
              GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_plan_free (MoaPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaPlan, moa_plan_free)

/* The uncertain inputs of the plan. Each distinct MoaValue the evaluation reads is one
 * parameter; its key is stable between a baseline and its scenarios:
 * "OBLIGATION/NODE:ATTRIBUTE[@SEGMENT]", "OBLIGATION:ATTRIBUTE[@SEGMENT]",
 * "SEGMENT:population", "OBLIGATION/GATEWAY>TARGET:probability[@SEGMENT]",
 * "model:MODEL/ENTRY:ATTRIBUTE". */
guint
moa_plan_get_n_params (const MoaPlan *plan);
const MoaValue *
moa_plan_get_param (const MoaPlan *plan, guint index);
const char *
moa_plan_get_param_key (const MoaPlan *plan, guint index);
/* Expected values of all parameters, in base units (borrowed, n_params long). */
const double *
moa_plan_get_means (const MoaPlan *plan);

MoaProcedure *
moa_plan_get_procedure (const MoaPlan *plan);
MoaCostModel *
moa_plan_get_model (const MoaPlan *plan);

/* Evaluates the plan with parameter values @params (base units, n_params long; NULL means the
 * expected values, i.e. the exact point estimate). Expected executions per case come from
 * (I - Q^T) v = e_start, solved block by block over the strongly connected components of the
 * workflow (LU on each loop). Returns a new result, or NULL with @error set in
 * MOA_ENGINE_ERROR (SINGULAR when a loop never exits with these values). Thread-safe: a plan
 * may be evaluated from several threads at once. */
MoaResult *
moa_plan_evaluate (const MoaPlan *plan, const double *params,
                   GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Expected executions per case of every node of @obligation for @segment, solved with one
 * dense LU of the whole I - Q^T (the reference oracle for tests). @visits receives one value
 * per node, in the obligation's node order (END nodes: visits to that end). */
gboolean
moa_plan_dense_visits (const MoaPlan *plan, const char *obligation, const char *segment,
                       const double *params, double *visits, GError **error);

/* --- Fast evaluation for Monte Carlo: flat, allocation-free after the workspace ----------- */

/* What an entity of the plan is. Entities are numbered: 0 the total (citizens + businesses),
 * 1 citizens, 2 businesses, 3 the administration, then the obligations, the target groups and
 * the segments in procedure order, then the activity rows in the order of
 * MoaResult.activities (one per activity, addressee segment). */
typedef enum
{
  MOA_ENTITY_TOTAL,
  MOA_ENTITY_CITIZENS,
  MOA_ENTITY_BUSINESSES,
  MOA_ENTITY_ADMINISTRATION,
  MOA_ENTITY_OBLIGATION,
  MOA_ENTITY_GROUP,
  MOA_ENTITY_SEGMENT,
  MOA_ENTITY_ACTIVITY,
} MoaEntityKind;

typedef struct
{
  MoaEntityKind kind;
  const char *id;         /* procedure, obligation, group, segment or node id (borrowed) */
  const char *obligation; /* activities: their obligation id; else NULL */
  const char *segment;    /* activities: the addressee segment id; else NULL */
  guint result_index;     /* index in the matching MoaResult array (obligations, groups,
                           * segments, activities); 0 for the four totals */
} MoaEntity;

guint
moa_plan_get_n_entities (const MoaPlan *plan);
const MoaEntity *
moa_plan_get_entity (const MoaPlan *plan, guint index);

typedef struct _MoaPlanWorkspace MoaPlanWorkspace;

/* Scratch memory for moa_plan_evaluate_totals(); one per thread. */
MoaPlanWorkspace *
moa_plan_workspace_new (const MoaPlan *plan) G_GNUC_WARN_UNUSED_RESULT;
void
moa_plan_workspace_free (MoaPlanWorkspace *workspace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaPlanWorkspace, moa_plan_workspace_free)

/* Evaluates the plan with @params (NULL: the expected values) and returns the figures of every
 * entity, n_entities long, borrowed from @workspace until its next use. They are exactly the
 * figures moa_plan_evaluate() puts in its MoaResult (for activities: per_case, and the
 * per-year figures in recurring or one_off by the obligation's recurrence). Returns NULL with
 * @error set as moa_plan_evaluate() does. */
const MoaTotal *
moa_plan_evaluate_totals (const MoaPlan *plan, const double *params, MoaPlanWorkspace *workspace,
                          GError **error);

/* Convenience: plan and evaluate at the expected values. */
MoaResult *
moa_evaluate (MoaProcedure *procedure, MoaCostModel *model, GPtrArray *problems,
              GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
