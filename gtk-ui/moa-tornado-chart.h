/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A tornado chart of the sensitivity ranking: for the parameters that move the total burden
 * most, the total with the parameter at its low and at its high value, around the base. */
#pragma once

#include <gtk/gtk.h>

#include "moa.h"

G_BEGIN_DECLS

#define MOA_TYPE_TORNADO_CHART (moa_tornado_chart_get_type ())
G_DECLARE_FINAL_TYPE (MoaTornadoChart, moa_tornado_chart, MOA, TORNADO_CHART, GtkDrawingArea)

GtkWidget *
moa_tornado_chart_new (void);

/* Draws the first @max_rows rows of @sensitivity (MoaSensitivity, as moa_sensitivity_compute()
 * ranks them; those with no swing are left out) around @base, the total burden per year at the
 * expected values; @procedure gives the titles of the parameters' activities. NULL
 * @sensitivity clears the chart. The chart keeps references. */
void
moa_tornado_chart_set_data (MoaTornadoChart *self, GArray *sensitivity, double base,
                            MoaProcedure *procedure, guint max_rows);

/* How many bars are drawn. */
guint
moa_tornado_chart_get_n_bars (MoaTornadoChart *self);

/* The label drawn for row @index ("Title of the activity: time"), or NULL (borrowed). */
const char *
moa_tornado_chart_get_bar_label (MoaTornadoChart *self, guint index);

G_END_DECLS
