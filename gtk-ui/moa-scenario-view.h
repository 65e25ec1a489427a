/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The before / after view: pick, open or create a scenario for the open procedure, edit its
 * measures (with undo), and see the baseline and the scenario side by side, per target group
 * and per year, with the saving per measure as a waterfall chart and its interval. */
#pragma once

#include <gtk/gtk.h>

#include "moa-scenario-document.h"
#include "moa-waterfall-chart.h"

G_BEGIN_DECLS

#define MOA_TYPE_SCENARIO_VIEW (moa_scenario_view_get_type ())
G_DECLARE_FINAL_TYPE (MoaScenarioView, moa_scenario_view, MOA, SCENARIO_VIEW, GtkWidget)

GtkWidget *
moa_scenario_view_new (void);

/* The procedure file the scenarios apply to (NULL: none), and the cost models. The bundled
 * scenarios whose baseline is that file are offered, and the first one is opened (or a new,
 * empty scenario when there is none). */
void
moa_scenario_view_set_procedure (MoaScenarioView *self, const char *procedure_file,
                                 const MoaModelSet *models);

/* Opens the scenario file @path (its baseline need not be the procedure set). FALSE with
 * @error set to the core's message when it cannot be loaded. */
gboolean
moa_scenario_view_open_file (MoaScenarioView *self, const char *path, GError **error);

/* The scenario shown (NULL when none), the chart, and the text shown as the total saving per
 * year (borrowed). */
MoaScenarioDocument *
moa_scenario_view_get_document (MoaScenarioView *self);
MoaWaterfallChart *
moa_scenario_view_get_chart (MoaScenarioView *self);
const char *
moa_scenario_view_get_saving_text (MoaScenarioView *self);
/* The spinner, spinning while the core compares. */
GtkSpinner *
moa_scenario_view_get_spinner (MoaScenarioView *self);

G_END_DECLS
