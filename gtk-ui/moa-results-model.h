/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the results browser shows: a result store written by `moa batch`, its runs, and the
 * procedures and territories of the report of one run, as list models of rows read by the
 * core (moa_store_list_runs(), moa_store_read_report()) in worker threads. No widgets. */
#pragma once

#include <gio/gio.h>

#include "moa-report.h"
#include "moa-store.h"

G_BEGIN_DECLS

/* A run of the store. Properties (read-only, for sorting): "id" (gint64), "status",
 * "catalog", "started", "finished" (strings), "iterations" (guint), "units" ("12 / 12"). */
#define MOA_TYPE_RUN_ITEM (moa_run_item_get_type ())
G_DECLARE_FINAL_TYPE (MoaRunItem, moa_run_item, MOA, RUN_ITEM, GObject)

gint64
moa_run_item_get_id (MoaRunItem *self);
/* The run as the store records it (borrowed). */
const MoaStoreRun *
moa_run_item_get_run (MoaRunItem *self);

/* A row of the report: a procedure (kind: its area) or a territory (kind: its kind).
 * Properties (read-only, for sorting): "key", "title", "kind" (strings); "before", "after",
 * "saving", "saving-percent" (the burden per year), "hours-saving" (citizens' hours per year) and
 * "businesses-saving" (businesses' euros per year) (doubles); "saving-low", "saving-high" (doubles:
 * the saving's P5 and P95, NAN without Monte Carlo). */
#define MOA_TYPE_RESULTS_ROW (moa_results_row_get_type ())
G_DECLARE_FINAL_TYPE (MoaResultsRow, moa_results_row, MOA, RESULTS_ROW, GObject)

const char *
moa_results_row_get_key (MoaResultsRow *self);
const char *
moa_results_row_get_title (MoaResultsRow *self);
/* The figures (the row's copy of the report's; borrowed). */
const MoaReportTotals *
moa_results_row_get_totals (MoaResultsRow *self);

#define MOA_TYPE_RESULTS_MODEL (moa_results_model_get_type ())
G_DECLARE_FINAL_TYPE (MoaResultsModel, moa_results_model, MOA, RESULTS_MODEL, GObject)

MoaResultsModel *
moa_results_model_new (void) G_GNUC_WARN_UNUSED_RESULT;

/* Opens the store @path in a worker thread (moa_store_open() without creating it), lists its
 * runs and reads the report of the newest complete run (or of the newest run when none is
 * complete). On success the model's lists are replaced; on failure they are left as they
 * were and the finish function returns FALSE with the core's error. A call still running is
 * cancelled. */
void
moa_results_model_open_async (MoaResultsModel *self, const char *path, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
gboolean
moa_results_model_open_finish (MoaResultsModel *self, GAsyncResult *result, GError **error);

/* Reads the report of run @run_id of the open store in a worker thread and shows it. */
void
moa_results_model_load_run_async (MoaResultsModel *self, gint64 run_id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean
moa_results_model_load_run_finish (MoaResultsModel *self, GAsyncResult *result, GError **error);

/* Writes the report shown to @path in @format and @lang ("it", "en") through
 * moa_report_write(), in a worker thread. FALSE with @error set when there is no report or
 * the core cannot write it. */
void
moa_results_model_export_async (MoaResultsModel *self, MoaReportFormat format, const char *lang,
                                const char *path, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean
moa_results_model_export_finish (MoaResultsModel *self, GAsyncResult *result, GError **error);

/* The store's path (NULL when none is open), its runs (MoaRunItem), and the procedures and
 * territories (MoaResultsRow) of the report shown; the list models are the model's own and
 * keep their identity (their items are replaced). Borrowed. */
const char *
moa_results_model_get_path (MoaResultsModel *self);
GListModel *
moa_results_model_get_runs (MoaResultsModel *self);
GListModel *
moa_results_model_get_procedures (MoaResultsModel *self);
GListModel *
moa_results_model_get_territories (MoaResultsModel *self);
/* The report shown (NULL before a store is open) and its run id (0 when none). Borrowed. */
const MoaReport *
moa_results_model_get_report (MoaResultsModel *self);
gint64
moa_results_model_get_run_id (MoaResultsModel *self);
/* TRUE while a worker thread runs ("busy" notifies). */
gboolean
moa_results_model_get_busy (MoaResultsModel *self);

G_END_DECLS
