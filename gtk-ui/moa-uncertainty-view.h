/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live uncertainty panel: a spinner while the background Monte Carlo run goes, what it
 * ran, and the tornado chart of the sensitivity ranking (the P5-P95 intervals are shown beside
 * the totals, by MoaResultsView). */
#pragma once

#include <gtk/gtk.h>

#include "moa-tornado-chart.h"
#include "moa-uncertainty.h"

G_BEGIN_DECLS

#define MOA_TYPE_UNCERTAINTY_VIEW (moa_uncertainty_view_get_type ())
G_DECLARE_FINAL_TYPE (MoaUncertaintyView, moa_uncertainty_view, MOA, UNCERTAINTY_VIEW, GtkWidget)

/* Shows @uncertainty (kept), refreshed on every "updated". */
GtkWidget *
moa_uncertainty_view_new (MoaUncertainty *uncertainty);

MoaTornadoChart *
moa_uncertainty_view_get_tornado_chart (MoaUncertaintyView *self);
GtkSpinner *
moa_uncertainty_view_get_spinner (MoaUncertaintyView *self);

G_END_DECLS
