/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: the library sidebar, the open procedure's outline, inspector and results,
 * and the window actions (open, save, save as, undo, redo, search). */
#pragma once

#include <adwaita.h>

#include "moa-application.h"
#include "moa-burden-chart.h"
#include "moa-document.h"
#include "moa-inspector.h"
#include "moa-outline.h"
#include "moa-results-browser.h"
#include "moa-results-view.h"
#include "moa-scenario-view.h"
#include "moa-selection.h"
#include "moa-uncertainty-view.h"
#include "moa-workflow-view.h"

G_BEGIN_DECLS

#define MOA_TYPE_WINDOW (moa_window_get_type ())
G_DECLARE_FINAL_TYPE (MoaWindow, moa_window, MOA, WINDOW, AdwApplicationWindow)

MoaWindow *
moa_window_new (MoaApplication *application);

/* Opens the procedure file @file in this window (after asking about unsaved changes). Returns
 * TRUE when it was opened at once; FALSE when it was refused (the core's message is shown in a
 * toast) or waits for the analyst's answer. */
gboolean
moa_window_open_file (MoaWindow *self, GFile *file);

/* The open document (NULL when none), the selection and the views (borrowed). */
MoaDocument *
moa_window_get_document (MoaWindow *self);
MoaSelection *
moa_window_get_selection (MoaWindow *self);
MoaOutline *
moa_window_get_outline (MoaWindow *self);
MoaInspector *
moa_window_get_inspector (MoaWindow *self);
MoaResultsView *
moa_window_get_results_view (MoaWindow *self);
MoaBurdenChart *
moa_window_get_burden_chart (MoaWindow *self);
MoaWorkflowView *
moa_window_get_workflow_view (MoaWindow *self);
MoaUncertaintyView *
moa_window_get_uncertainty_view (MoaWindow *self);

/* The before / after view and the results browser (borrowed), and shows view @name:
 * "procedure", "before-after" or "results" (also the views.show action, Ctrl+1/2/3). */
MoaScenarioView *
moa_window_get_scenario_view (MoaWindow *self);
MoaResultsBrowser *
moa_window_get_results_browser (MoaWindow *self);
void
moa_window_show_view (MoaWindow *self, const char *name);

/* Shows @message in a toast (markup is escaped). */
void
moa_window_toast (MoaWindow *self, const char *message);

G_END_DECLS
