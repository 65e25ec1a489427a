/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live uncertainty of the open procedure: a Monte Carlo run and the sensitivity ranking,
 * computed by the core in a worker thread once the edits have settled. No widgets. */
#pragma once

#include <gio/gio.h>

#include "moa.h"

#include "moa-document.h"

G_BEGIN_DECLS

#define MOA_TYPE_UNCERTAINTY (moa_uncertainty_get_type ())
G_DECLARE_FINAL_TYPE (MoaUncertainty, moa_uncertainty, MOA, UNCERTAINTY, GObject)

/* Returns a new analysis that, @delay_ms after the document's last "results-changed" (edits
 * settle), runs moa_simulate() with @iterations iterations (seed 1, the other options as
 * moa_simulation_options_init() sets them) and moa_sensitivity_compute() on the evaluated
 * procedure in a GTask thread. A run still going (or scheduled) is cancelled as soon as the
 * document is edited ("changed"), another document is set or the document goes; its figures
 * are never shown. "updated" is emitted when a run ends (successfully or not) and when the
 * figures are dropped; "run-started" and "run-ended" (completed) follow each run; the
 * "running" property notifies. */
MoaUncertainty *
moa_uncertainty_new (guint iterations, guint delay_ms) G_GNUC_WARN_UNUSED_RESULT;

/* Follows @document (may be NULL: forgets everything and cancels the run). */
void
moa_uncertainty_set_document (MoaUncertainty *self, MoaDocument *document);

/* TRUE while a run is scheduled or under way. */
gboolean
moa_uncertainty_get_running (MoaUncertainty *self);

/* The statistic of @quantity for target group @group_id (NULL: the procedure's total, citizens
 * and businesses) from the last run, or NULL when there is none (borrowed until the next
 * "updated"). */
const MoaStat *
moa_uncertainty_get_stat (MoaUncertainty *self, const char *group_id, MoaQuantity quantity);

/* The iterations the last run made (0 when none). */
guint
moa_uncertainty_get_iterations (MoaUncertainty *self);

/* The sensitivity rows of the last run (GArray of MoaSensitivity, ranked by swing), or NULL
 * (borrowed until the next "updated"). */
GArray *
moa_uncertainty_get_sensitivity (MoaUncertainty *self);

/* The procedure the last run evaluated (the evaluated copy), or NULL (borrowed until the next
 * "updated"). */
MoaProcedure *
moa_uncertainty_get_procedure (MoaUncertainty *self);

/* The core's message when the last run failed, else NULL (borrowed). */
const char *
moa_uncertainty_get_error (MoaUncertainty *self);

G_END_DECLS
