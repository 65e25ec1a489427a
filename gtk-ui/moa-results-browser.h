/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The results browser: open a result store written by `moa batch`, browse its runs and the
 * procedures and territories of a run in sortable tables, and export the policymakers'
 * report (PDF, HTML, CSV; Italian or English) through the core. */
#pragma once

#include <gtk/gtk.h>

#include "moa-results-model.h"

G_BEGIN_DECLS

#define MOA_TYPE_RESULTS_BROWSER (moa_results_browser_get_type ())
G_DECLARE_FINAL_TYPE (MoaResultsBrowser, moa_results_browser, MOA, RESULTS_BROWSER, GtkWidget)

GtkWidget *
moa_results_browser_new (void);

/* Opens the store @path in a worker thread (the spinner turns meanwhile; a failure is shown
 * in the view and in a toast). */
void
moa_results_browser_open (MoaResultsBrowser *self, const char *path);

/* Shows the file chooser (*.db, *.sqlite) and opens the store chosen. */
void
moa_results_browser_choose (MoaResultsBrowser *self);

/* Writes the report shown to @path in @format and @lang ("it", "en") through the core in a
 * worker thread; a toast says when it is written or why it is not. */
void
moa_results_browser_export (MoaResultsBrowser *self, MoaReportFormat format, const char *lang,
                            const char *path);

/* The model shown (borrowed) and the spinner. */
MoaResultsModel *
moa_results_browser_get_model (MoaResultsBrowser *self);
GtkSpinner *
moa_results_browser_get_spinner (MoaResultsBrowser *self);

G_END_DECLS
