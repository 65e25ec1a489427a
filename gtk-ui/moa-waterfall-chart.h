/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A waterfall chart of a scenario's saving: the yearly burden before, one step per measure
 * (its cumulative saving, from the core's comparison), the burden after, and the interval of
 * the total saving from the paired Monte Carlo run. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MOA_TYPE_WATERFALL_CHART (moa_waterfall_chart_get_type ())
G_DECLARE_FINAL_TYPE (MoaWaterfallChart, moa_waterfall_chart, MOA, WATERFALL_CHART, GtkDrawingArea)

GtkWidget *
moa_waterfall_chart_new (void);

/* Clears the chart (nothing to draw: @message, e.g. "Computing…", may be NULL). */
void
moa_waterfall_chart_clear (MoaWaterfallChart *self, const char *message);

/* Starts a new chart: the burden @before (a bar from 0), then call add_step() for each
 * measure in order, then set_after(). Values are the core's, in euros per year. */
void
moa_waterfall_chart_begin (MoaWaterfallChart *self, const char *before_label, double before);
/* A measure that saves @saving (negative: adds burden). */
void
moa_waterfall_chart_add_step (MoaWaterfallChart *self, const char *label, double saving);
/* The burden @after, and the total saving's interval [@low, @high] (NAN when unknown). */
void
moa_waterfall_chart_set_after (MoaWaterfallChart *self, const char *after_label, double after,
                               double low, double high);

/* The number of steps (measures) drawn. */
guint
moa_waterfall_chart_get_n_steps (MoaWaterfallChart *self);

G_END_DECLS
