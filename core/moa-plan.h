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

/* Convenience: plan and evaluate at the expected values. */
MoaResult *
moa_evaluate (MoaProcedure *procedure, MoaCostModel *model, GPtrArray *problems,
              GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
