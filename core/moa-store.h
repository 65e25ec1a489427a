/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The result store: a SQLite database of batch runs and their results (docs/store.md). This is
 * the only part of moa that talks to SQLite (core/moa-store.c includes <sqlite3.h>). */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "moa-catalog.h"
#include "moa-compare.h"
#include "moa-procedure.h"
#include "moa-report.h"
#include "moa-result.h"
#include "moa-scenario.h"
#include "moa-simulation.h"

G_BEGIN_DECLS

/* The schema this version writes (PRAGMA user_version). Older stores are migrated on open. */
#define MOA_STORE_SCHEMA_VERSION 2

#define MOA_STORE_ERROR (moa_store_error_quark ())
typedef enum
{
  MOA_STORE_ERROR_OPEN,      /* the file cannot be opened or created */
  MOA_STORE_ERROR_NOT_STORE, /* the file is not a moa result store (or is corrupt) */
  MOA_STORE_ERROR_TOO_NEW,   /* written by a newer moa: schema version above ours */
  MOA_STORE_ERROR_BUSY,      /* locked by another writer for longer than the timeout */
  MOA_STORE_ERROR_NO_RUN,    /* no run with that id */
  MOA_STORE_ERROR_MISMATCH,  /* resuming a run whose inputs or options differ */
  MOA_STORE_ERROR_FAILED,    /* any other SQLite failure (message says which) */
} MoaStoreError;

GQuark
moa_store_error_quark (void);

typedef struct _MoaStore MoaStore;

/* Opens (and, with @create, creates) the store at @path: WAL journal, foreign keys on, a busy
 * timeout so a reader (the GUI, moa report) and the batch writer can share it. An older schema
 * is migrated to MOA_STORE_SCHEMA_VERSION in one transaction (a failed migration leaves the file
 * as it was). Returns a new store or NULL with @error set (MOA_STORE_ERROR). Not thread-safe:
 * one thread uses a store at a time. */
MoaStore *
moa_store_open (const char *path, gboolean create, GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_store_close (MoaStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaStore, moa_store_close)

/* The schema version of the open store (after migration: MOA_STORE_SCHEMA_VERSION). */
int
moa_store_get_schema_version (MoaStore *store);

/* A run as the store records it. */
typedef struct
{
  gint64 id;
  char *status; /* "running" (unfinished: killed, interrupted, or still going) or "complete" */
  char *catalog_id;
  char *catalog_file;
  char *catalog_sha256;
  char *inputs_sha256; /* SHA-256 over the sorted (path, sha256) of every input file */
  char *moa_version;
  guint64 seed;
  guint iterations;
  char *cost_model;
  char *cost_model_version;
  int price_year;
  char *currency;
  char *started_at;  /* ISO 8601 UTC */
  char *finished_at; /* NULL until complete */
  guint units_total; /* procedures in the catalog */
  guint units_done;  /* procedures whose results are committed */
} MoaStoreRun;

void
moa_store_run_free (MoaStoreRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaStoreRun, moa_store_run_free)

/* Every run, newest first: a new GPtrArray of MoaStoreRun*. NULL with @error on failure. */
GPtrArray *
moa_store_list_runs (MoaStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The run @id (a new MoaStoreRun), or NULL with MOA_STORE_ERROR_NO_RUN. @id 0: the newest
 * complete run. */
MoaStoreRun *
moa_store_get_run (MoaStore *store, gint64 id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* An input file of a run, hashed when the run starts. */
typedef struct
{
  const char *path;
  const char *role; /* "catalog", "territories", "procedure", "scenario", "cost-model" */
  const char *sha256;
} MoaStoreInput;

/* Starts a run: records @run's fields (id, status, finished_at, units_done ignored), the
 * @n_inputs input files and the catalog's territories, in one transaction. Returns the new
 * run's id, or 0 with @error set. ADDED: @catalog may be NULL, meaning no territories (and no
 * catalog title). */
gint64
moa_store_begin_run (MoaStore *store, const MoaStoreRun *run, const MoaStoreInput *inputs,
                     guint n_inputs, const MoaCatalog *catalog, GError **error);

/* The ids of the procedures of run @run_id already committed: a new set (GHashTable of
 * char* -> itself), or NULL with @error set. */
GHashTable *
moa_store_get_done_units (MoaStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* One scenario of a unit, compared with the unit's baseline. */
typedef struct
{
  const char *file;
  const MoaScenario *scenario;
  gboolean programme;
  const MoaComparison *comparison; /* with the run's iterations when > 0 */
} MoaStoreScenario;

/* A unit of work: one catalog procedure with all its scenarios. */
typedef struct
{
  const char *file;
  MoaProcedure *procedure;
  const MoaResult *before;         /* the exact baseline */
  const MoaSimulation *simulation; /* the baseline's Monte Carlo when the run has iterations and
                                    * the procedure has no scenario; else NULL (the comparisons
                                    * hold the paired runs) */
  const MoaStoreScenario *scenarios;
  guint n_scenarios;
} MoaStoreUnit;

/* Writes everything of @unit for run @run_id in ONE transaction: the procedure, its figures
 * before and after each scenario (every entity), the savings per measure, the Monte Carlo
 * statistics and per-iteration samples of the totals, the register of its parameters with their
 * sources, its figures in every territory of @catalog (scaled, moa_catalog_territory_share()),
 * and the mark that the unit is done. Either all of it is committed or none (a process killed
 * mid-write leaves the unit undone). Returns FALSE with @error set on failure. ADDED: @catalog
 * may be NULL, meaning no territories (the procedure then has no catalog order: the report
 * lists such procedures after the catalog's, by id). */
gboolean
moa_store_write_unit (MoaStore *store, gint64 run_id, const MoaCatalog *catalog,
                      const MoaStoreUnit *unit, GError **error);

/* Marks run @run_id complete (finished_at = now) when every unit is done. */
gboolean
moa_store_finish_run (MoaStore *store, gint64 run_id, GError **error);

/* Reads what the report of run @run_id shows (@run_id 0: the newest complete run): the
 * programme's totals with their intervals (from the per-iteration samples summed over the
 * procedures), the breakdowns, the procedures' pages, the measures, the assumptions and the
 * inputs. An unfinished run is read as it is (finished_at NULL). Returns a new report or NULL
 * with @error set. */
MoaReport *
moa_store_read_report (MoaStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ADDED (store): for tests only, not for moa's own code. Runs @sql (one or more statements) on
 * the store's connection, e.g. to hold a write transaction open or to inject a failure with a
 * temporary trigger. With @result not NULL, @sql must be one query: *@result receives the first
 * column of its first row as an integer (0 when there is no row). FALSE with @error set when
 * SQLite fails. */
gboolean
moa_store_exec_for_tests (MoaStore *store, const char *sql, gint64 *result, GError **error);

G_END_DECLS
