/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The selected obligation's workflow as a diagram laid out by Graphviz: activities shaded by
 * their share of the burden, gateways with their branch probabilities, loops; zoomable,
 * pannable, and clicking a node selects it. */
#pragma once

#include <gtk/gtk.h>

#include "moa-document.h"
#include "moa-graph-layout.h"
#include "moa-selection.h"

G_BEGIN_DECLS

#define MOA_TYPE_WORKFLOW_VIEW (moa_workflow_view_get_type ())
G_DECLARE_FINAL_TYPE (MoaWorkflowView, moa_workflow_view, MOA, WORKFLOW_VIEW, GtkWidget)

GtkWidget *
moa_workflow_view_new (MoaSelection *selection);

/* Draws the workflow of the selected obligation of @document (may be NULL; the first
 * obligation when none is selected), laid out again after every edit and shaded again on
 * every "results-changed". */
void
moa_workflow_view_set_document (MoaWorkflowView *self, MoaDocument *document);

/* The graph drawn, or NULL when there is none (borrowed; replaced after an edit). */
const MoaGraph *
moa_workflow_view_get_graph (MoaWorkflowView *self);
/* The id of the obligation drawn, or NULL (borrowed). */
const char *
moa_workflow_view_get_obligation_id (MoaWorkflowView *self);

/* The zoom factor (1: one point of the layout per pixel), between 0.1 and 4. */
double
moa_workflow_view_get_zoom (MoaWorkflowView *self);
void
moa_workflow_view_set_zoom (MoaWorkflowView *self, double zoom);
/* Zooms so that the whole diagram fits the visible area (at most 1.5). */
void
moa_workflow_view_zoom_to_fit (MoaWorkflowView *self);

/* What a click at (@x, @y) of the canvas (the layout's coordinates times the zoom) does: it
 * selects the node there (the obligation only on the background). The click gesture calls
 * it. Returns the id of the node hit, or NULL (borrowed). */
const char *
moa_workflow_view_click (MoaWorkflowView *self, double x, double y);

/* The share of the procedure's burden per year the view shades node @node_id with (its rows
 * in MoaResult.activities borne by citizens and businesses, over the procedure's total), or
 * a negative number when the node bears none. */
double
moa_workflow_view_get_node_share (MoaWorkflowView *self, const char *node_id);

G_END_DECLS
