/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A bar chart of the yearly burden of each activity of the open procedure, each bar shaded by
 * its share of the procedure's burden; clicking a bar selects the activity. */
#pragma once

#include <gtk/gtk.h>

#include "moa-document.h"
#include "moa-selection.h"

G_BEGIN_DECLS

#define MOA_TYPE_BURDEN_CHART (moa_burden_chart_get_type ())
G_DECLARE_FINAL_TYPE (MoaBurdenChart, moa_burden_chart, MOA, BURDEN_CHART, GtkDrawingArea)

GtkWidget *
moa_burden_chart_new (MoaSelection *selection);

/* Draws the results of @document (may be NULL), redrawn on every "results-changed". */
void
moa_burden_chart_set_document (MoaBurdenChart *self, MoaDocument *document);

/* How many bars are drawn (one per activity row of the result borne by citizens or
 * businesses). */
guint
moa_burden_chart_get_n_bars (MoaBurdenChart *self);

G_END_DECLS
