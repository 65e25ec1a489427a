/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live totals of the open procedure: per target group, per case and per year, the
 * citizens' hours and euros and the businesses' euros, as the core computed them. */
#pragma once

#include <gtk/gtk.h>

#include "moa-document.h"

G_BEGIN_DECLS

#define MOA_TYPE_RESULTS_VIEW (moa_results_view_get_type ())
G_DECLARE_FINAL_TYPE (MoaResultsView, moa_results_view, MOA, RESULTS_VIEW, GtkWidget)

GtkWidget *
moa_results_view_new (void);

/* Shows the results of @document (may be NULL), updated on every "results-changed". */
void
moa_results_view_set_document (MoaResultsView *self, MoaDocument *document);

/* The label showing a figure, or NULL when not shown (borrowed). Hours are MoaFigures.hours
 * and euros MoaFigures.burden, written by moa_ui_format_hours() and moa_ui_format_money().
 * @key and @figure:
 * - a target group id with "hours-per-year" or "euros-per-year": the group's MoaTotal.recurring;
 * - "OBLIGATION@SEGMENT" with "hours-per-case" or "euros-per-case": that MoaCaseResult's
 *   per_case (what one case costs the addressee);
 * - "@total" with "euros-per-case" or "euros-per-year": MoaResult.total (citizens and
 *   businesses), per_case and recurring. */
GtkLabel *
moa_results_view_get_label (MoaResultsView *self, const char *key, const char *figure);

G_END_DECLS
