/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-case simulation: individual applicants' paths through the workflow and their own times,
 * for the distribution of one person's burden (simulation.md §3, "between cases"). */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "moa-plan.h"
#include "moa-simulation.h"

G_BEGIN_DECLS

/* The burden of one case of one obligation for one addressee segment: the sum, over the
 * activities the simulated applicant goes through (loops repeated, branches chosen with their
 * probabilities, every branch of a parallel split), of one execution's figures with times and
 * amounts drawn from their distributions at each execution. */
typedef struct
{
  const char *obligation; /* borrowed from the plan's procedure */
  const char *segment;
  guint n;            /* simulated cases */
  MoaStat hours;      /* the addressee's own hours per case (point: analytic mean) */
  MoaStat cost;       /* cost per case, administration's activities excluded */
  MoaStat burden;     /* burden per case, administration's activities excluded */
  double share_above; /* share of cases whose hours exceed the threshold */
} MoaCaseStats;

typedef struct _MoaCaseSimulation MoaCaseSimulation;

/* Simulates @n_cases cases for each obligation and addressee segment of @plan, keyed by
 * (@seed, case number, parameter key, execution count) so that the output does not depend on
 * @threads (0: all cores). @threshold_hours defines share_above. Cancellable. */
MoaCaseSimulation *
moa_simulate_cases (const MoaPlan *plan, guint64 seed, guint n_cases, double threshold_hours,
                    guint threads, GCancellable *cancellable, MoaProgressFunc progress,
                    gpointer user_data, GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_case_simulation_free (MoaCaseSimulation *simulation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaCaseSimulation, moa_case_simulation_free)

/* Borrowed array of MoaCaseStats, one per obligation and addressee segment, plan order. */
const GArray *
moa_case_simulation_get_stats (const MoaCaseSimulation *simulation);
double
moa_case_simulation_get_threshold (const MoaCaseSimulation *simulation);
guint64
moa_case_simulation_get_seed (const MoaCaseSimulation *simulation);

G_END_DECLS
