/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live totals of the open procedure: per target group, per case and per year, the
 * citizens' hours and euros and the businesses' euros, as the core computed them. */
#pragma once

#include <gtk/gtk.h>

#include "moa-document.h"
#include "moa-uncertainty.h"

G_BEGIN_DECLS

#define MOA_TYPE_RESULTS_VIEW (moa_results_view_get_type ())
G_DECLARE_FINAL_TYPE (MoaResultsView, moa_results_view, MOA, RESULTS_VIEW, GtkWidget)

GtkWidget *
moa_results_view_new (void);

/* Shows the results of @document (may be NULL), updated on every "results-changed". */
void
moa_results_view_set_document (MoaResultsView *self, MoaDocument *document);

/* Shows beside the figures per year their P5-P95 interval from @uncertainty's last finished
 * run (may be NULL: none), updated on every "updated"; the interval is hidden while there is
 * none for the results shown. */
void
moa_results_view_set_uncertainty (MoaResultsView *self, MoaUncertainty *uncertainty);

/* The label showing a figure, or NULL when not shown (borrowed). Hours are MoaFigures.hours
 * and euros MoaFigures.burden, written by moa_ui_format_hours() and moa_ui_format_money().
 * @key and @figure:
 * - a target group id with "hours-per-year" or "euros-per-year": the group's MoaTotal.recurring;
 * - "OBLIGATION@SEGMENT" with "hours-per-case" or "euros-per-case": that MoaCaseResult's
 *   per_case (what one case costs the addressee);
 * - "@total" with "euros-per-case" or "euros-per-year": MoaResult.total (citizens and
 *   businesses), per_case and recurring;
 * - a target group id with "euros-per-year-interval" or "hours-per-year-interval", "@total"
 *   with "euros-per-year-interval": the P5 and P95 of the MoaStat of MOA_QUANTITY_BURDEN
 *   (MOA_QUANTITY_HOURS) from moa_uncertainty_get_stat(), written "P5 – P95"; the label is
 *   visible only while the last run for the results shown has finished. */
GtkLabel *
moa_results_view_get_label (MoaResultsView *self, const char *key, const char *figure);

G_END_DECLS
