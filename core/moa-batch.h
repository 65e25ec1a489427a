/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batch runs: every procedure of a catalog evaluated, compared with its scenarios and written
 * to the result store, one procedure (unit) per transaction, on worker threads, resumable. */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include "moa-catalog.h"
#include "moa-cost-model.h"
#include "moa-store.h"

G_BEGIN_DECLS

#define MOA_BATCH_ERROR (moa_batch_error_quark ())
typedef enum
{
  MOA_BATCH_ERROR_CATALOG, /* a procedure or scenario file does not match the catalog (id, price
                            * year, currency, cost model, the procedure a scenario applies to) */
  MOA_BATCH_ERROR_UNIT,    /* a unit cannot be computed (the message gives its first problem) */
} MoaBatchError;

GQuark
moa_batch_error_quark (void);

typedef struct
{
  guint iterations; /* paired Monte Carlo iterations per unit; 0: exact evaluation only */
  guint64 seed;     /* the run's seed (each unit draws with a seed derived from it) */
  guint jobs;       /* worker threads; 0: as many as cores */
  gboolean resume;  /* continue the newest unfinished run of the catalog with these inputs */
} MoaBatchOptions;

/* Sets the defaults: 0 iterations, seed 1 (as moa simulate and moa compare), jobs 0 (cores),
 * no resume. */
void
moa_batch_options_init (MoaBatchOptions *options);

/* What a run did, filled as it goes (also when it fails or is cancelled: then @run_id tells
 * which run is left unfinished, 0 when none was started). */
typedef struct
{
  gint64 run_id;
  gboolean resumed;           /* an unfinished run was continued */
  gboolean nothing_to_resume; /* resume was asked for but no unfinished run of the catalog was
                               * found: a new run was started */
  guint units_total;          /* procedures in the catalog */
  guint units_skipped;        /* already committed by the run resumed */
  guint units_written;        /* committed by this call */
  gboolean complete;          /* every unit is committed and the run is marked complete */
} MoaBatchStatus;

/* Called on the thread that called moa_batch_run(): once when the run has started (@done = the
 * units skipped, @procedure_id NULL; the status is already filled), then after each unit is
 * committed, with the id of that procedure. @done counts skipped units too. */
typedef void (*MoaBatchProgressFunc) (guint done, guint total, const char *procedure_id,
                                      gpointer user_data);

/* The seed of the unit @procedure_id in a run seeded with @run_seed: the first 8 bytes (big
 * endian) of SHA-256("RUN_SEED:PROCEDURE_ID"), RUN_SEED in decimal. So a unit's draws depend
 * on neither the order of the units nor the number of jobs. */
guint64
moa_batch_unit_seed (guint64 run_seed, const char *procedure_id);

/* The SHA-256 (lower-case hex) of the file @path, or NULL with @error set (G_FILE_ERROR). */
char *
moa_batch_hash_file (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Runs the batch of @catalog into @store, synchronously. The catalog's cost model is looked up
 * in @models (its absence is an error, naming the models found). Every input file is hashed
 * with SHA-256 (the catalog, its CSV files, procedures, scenarios and the scenarios they are
 * built on, the cost model file) and recorded with the run.
 *
 * With options->resume, the newest unfinished run of the same catalog id whose inputs (their
 * hashes), seed, iterations, cost model and moa version are those of this call is continued,
 * skipping its committed units; when the newest unfinished run of the catalog differs, the call
 * fails with MOA_STORE_ERROR_MISMATCH naming the first option or file that changed; when there
 * is none, a new run is started (status->nothing_to_resume).
 *
 * Each unit (a catalog procedure) is computed on one of options->jobs worker threads: the
 * procedure is loaded and checked (its id, price year, currency and cost model must be the
 * catalog's), planned and evaluated; each scenario is loaded with its baseline chain (which
 * must end at the procedure's file), and compared as moa compare does (the baseline with the
 * parent scenarios' measures applied, against all the measures) with paired Monte Carlo when
 * options->iterations > 0, seeded by moa_batch_unit_seed(); a procedure without scenarios is
 * simulated alone. Only the calling thread writes to @store, one transaction per unit
 * (moa_store_write_unit()), in the order the units finish (the store's keys make the rows
 * independent of it).
 *
 * A unit that fails (a file with problems, a scenario that does not apply) fails the run: no
 * further unit is started, those already computing finish and are committed, the run is left
 * unfinished, and the call returns 0 with @error set from the first problem and every problem
 * of the failing unit's files appended to @problems (may be NULL). The run cannot simply be
 * resumed after the file is fixed (its hash changes): start a new run. Failing the whole run
 * rather than skipping the unit keeps a complete run complete: its totals never silently lack
 * a procedure.
 *
 * Cancelling @cancellable stops handing out units; those already computing finish and are
 * committed; the run is left unfinished (resumable) and the call returns 0 with
 * G_IO_ERROR_CANCELLED. @status (may be NULL) says what was done in every case. Returns the
 * run id when every unit is committed and the run is marked complete. */
gint64
moa_batch_run (const MoaCatalog *catalog, MoaStore *store, MoaModelSet *models,
               const MoaBatchOptions *options, GCancellable *cancellable,
               MoaBatchProgressFunc progress, gpointer user_data, MoaBatchStatus *status,
               GPtrArray *problems, GError **error);

G_END_DECLS
