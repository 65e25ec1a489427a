/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The result store (docs/store.md): batch runs and their results in a versioned SQLite database,
 * written one unit (procedure) per transaction and read back into the report's model; the only
 * file of moa that includes <sqlite3.h>. */

#include "moa-config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "moa-plan.h"
#include "moa-stats.h"
#include "moa-store.h"

G_DEFINE_QUARK (moa - store - error - quark, moa_store_error)

/* PRAGMA application_id of a moa result store: the bytes "moa!" (0x6d6f6121). A SQLite file
 * with another application id, or with tables but no id, is not a store. */
#define MOA_STORE_APPLICATION_ID 0x6d6f6121

/* Milliseconds a connection waits for another's lock before MOA_STORE_ERROR_BUSY. */
#define BUSY_TIMEOUT_MS 10000

/* --- schema ------------------------------------------------------------------------------------
 * migrations[v] takes a store from version v to v + 1; they run in order in one transaction.
 * Never edit a step once released: add one (and raise MOA_STORE_SCHEMA_VERSION). docs/store.md
 * describes every table and column; tests/test-store/v1.sql is a version-1 store. */

static const char *const migrations[] = {
  /* 0 -> 1: the first schema */
  "CREATE TABLE run (\n"
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete')),\n"
  "  catalog_id TEXT NOT NULL CHECK (catalog_id <> ''),\n"
  "  catalog_title_it TEXT,\n"
  "  catalog_title_en TEXT,\n"
  "  catalog_file TEXT NOT NULL,\n"
  "  catalog_sha256 TEXT NOT NULL CHECK (length (catalog_sha256) = 64),\n"
  "  inputs_sha256 TEXT NOT NULL CHECK (length (inputs_sha256) = 64),\n"
  "  moa_version TEXT NOT NULL,\n"
  "  seed INTEGER NOT NULL,\n"
  "  iterations INTEGER NOT NULL CHECK (iterations >= 0),\n"
  "  cost_model TEXT NOT NULL,\n"
  "  cost_model_version TEXT,\n"
  "  price_year INTEGER NOT NULL,\n"
  "  currency TEXT NOT NULL CHECK (currency <> ''),\n"
  "  started_at TEXT NOT NULL,\n"
  "  finished_at TEXT,\n"
  "  units_total INTEGER NOT NULL CHECK (units_total >= 0),\n"
  "  CHECK ((status = 'complete') = (finished_at IS NOT NULL))\n"
  ");\n"
  "CREATE TABLE input_file (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  path TEXT NOT NULL,\n"
  "  ordinal INTEGER NOT NULL,\n"
  "  role TEXT NOT NULL\n"
  "    CHECK (role IN ('catalog', 'territories', 'procedure', 'scenario', 'cost-model')),\n"
  "  sha256 TEXT NOT NULL CHECK (length (sha256) = 64),\n"
  "  PRIMARY KEY (run_id, path)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE territory (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  territory_id TEXT NOT NULL CHECK (territory_id <> ''),\n"
  "  ordinal INTEGER NOT NULL,\n"
  "  name TEXT NOT NULL,\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('region', 'province', 'municipality', 'other')),\n"
  "  parent_id TEXT,\n"
  "  population REAL CHECK (population >= 0),\n"
  "  source TEXT,\n"
  "  file TEXT,\n"
  "  line INTEGER,\n"
  "  PRIMARY KEY (run_id, territory_id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE procedure (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL CHECK (procedure_id <> ''),\n"
  "  ordinal INTEGER,\n"
  "  file TEXT NOT NULL,\n"
  "  title_it TEXT,\n"
  "  title_en TEXT,\n"
  "  area TEXT,\n"
  "  authority TEXT,\n"
  "  legal_basis TEXT,\n"
  "  cost_model TEXT NOT NULL,\n"
  "  cost_model_version TEXT,\n"
  "  price_year INTEGER NOT NULL,\n"
  "  currency TEXT NOT NULL,\n"
  "  cases REAL NOT NULL CHECK (cases >= 0),\n"
  "  source TEXT,\n"
  "  PRIMARY KEY (run_id, procedure_id)\n"
  ");\n"
  "CREATE TABLE unit (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  committed_at TEXT NOT NULL,\n"
  "  PRIMARY KEY (run_id, procedure_id),\n"
  "  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)\n"
  "    ON DELETE CASCADE\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE scenario (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  scenario_id TEXT NOT NULL CHECK (scenario_id <> ''),\n"
  "  ordinal INTEGER NOT NULL,\n"
  "  file TEXT NOT NULL,\n"
  "  parent_id TEXT,\n"
  "  programme INTEGER NOT NULL CHECK (programme IN (0, 1)),\n"
  "  title_it TEXT,\n"
  "  title_en TEXT,\n"
  "  iterations INTEGER NOT NULL CHECK (iterations >= 0),\n"
  "  one_off REAL NOT NULL,\n"
  "  one_off_years REAL,\n"
  "  one_off_per_year REAL,\n"
  "  payback_years REAL,\n"
  "  interaction REAL,\n"
  "  PRIMARY KEY (run_id, procedure_id, scenario_id),\n"
  "  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)\n"
  "    ON DELETE CASCADE\n"
  ");\n"
  "CREATE UNIQUE INDEX scenario_programme ON scenario (run_id, procedure_id)\n"
  "  WHERE programme = 1;\n"
  "CREATE TABLE figure (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  scenario_id TEXT NOT NULL,\n"
  "  side TEXT GENERATED ALWAYS AS\n"
  "    (CASE scenario_id WHEN '' THEN 'before' ELSE 'after' END) VIRTUAL,\n"
  "  kind TEXT NOT NULL CHECK (kind IN ('total', 'citizens', 'businesses', 'administration',\n"
  "                                     'obligation', 'group', 'segment', 'activity')),\n"
  "  entity_id TEXT NOT NULL CHECK (entity_id <> ''),\n"
  "  obligation_id TEXT NOT NULL DEFAULT '',\n"
  "  segment_id TEXT NOT NULL DEFAULT '',\n"
  "  ordinal INTEGER NOT NULL,\n"
  "  title_it TEXT,\n"
  "  title_en TEXT,\n"
  "  target_kind TEXT CHECK (target_kind IN ('citizen', 'business', 'administration')),\n"
  "  legal_reference TEXT,\n"
  "  one_off INTEGER NOT NULL DEFAULT 0 CHECK (one_off IN (0, 1)),\n"
  "  cases REAL NOT NULL,\n"
  "  visits REAL,\n"
  "  per_case_burden REAL NOT NULL,\n"
  "  per_case_hours REAL NOT NULL,\n"
  "  hours REAL NOT NULL,\n"
  "  external_hours REAL NOT NULL,\n"
  "  internal REAL NOT NULL,\n"
  "  overhead REAL NOT NULL,\n"
  "  external REAL NOT NULL,\n"
  "  acquisitions REAL NOT NULL,\n"
  "  out_of_pocket REAL NOT NULL,\n"
  "  cost REAL NOT NULL,\n"
  "  bau REAL NOT NULL,\n"
  "  burden REAL NOT NULL,\n"
  "  citizens_hours REAL NOT NULL,\n"
  "  one_off_burden REAL NOT NULL,\n"
  "  one_off_hours REAL NOT NULL,\n"
  "  CHECK ((kind = 'activity') = (obligation_id <> '')),\n"
  "  PRIMARY KEY (run_id, procedure_id, scenario_id, kind, entity_id, obligation_id,\n"
  "               segment_id),\n"
  "  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)\n"
  "    ON DELETE CASCADE\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE measure (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  scenario_id TEXT NOT NULL,\n"
  "  measure_id TEXT NOT NULL CHECK (measure_id <> ''),\n"
  "  ordinal INTEGER NOT NULL,\n"
  "  type TEXT NOT NULL,\n"
  "  title_it TEXT,\n"
  "  title_en TEXT,\n"
  "  saving REAL NOT NULL,\n"
  "  saving_alone REAL,\n"
  "  citizens_hours REAL NOT NULL,\n"
  "  citizens_hours_alone REAL,\n"
  "  businesses REAL NOT NULL,\n"
  "  businesses_alone REAL,\n"
  "  one_off REAL NOT NULL,\n"
  "  justification TEXT,\n"
  "  source TEXT,\n"
  "  PRIMARY KEY (run_id, procedure_id, scenario_id, measure_id),\n"
  "  FOREIGN KEY (run_id, procedure_id, scenario_id)\n"
  "    REFERENCES scenario (run_id, procedure_id, scenario_id) ON DELETE CASCADE\n"
  ");\n"
  "CREATE TABLE stat (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  scenario_id TEXT NOT NULL,\n"
  "  side TEXT NOT NULL CHECK (side IN ('before', 'after', 'saving')),\n"
  "  quantity TEXT NOT NULL\n"
  "    CHECK (quantity IN ('burden', 'citizens_hours', 'citizens_burden', 'businesses')),\n"
  "  n INTEGER NOT NULL CHECK (n > 0),\n"
  "  point REAL NOT NULL,\n"
  "  mean REAL NOT NULL,\n"
  "  sd REAL NOT NULL,\n"
  "  p5 REAL NOT NULL,\n"
  "  p50 REAL NOT NULL,\n"
  "  p95 REAL NOT NULL,\n"
  "  ci_low REAL NOT NULL,\n"
  "  ci_high REAL NOT NULL,\n"
  "  CHECK ((scenario_id = '') = (side = 'before')),\n"
  "  PRIMARY KEY (run_id, procedure_id, scenario_id, side, quantity),\n"
  "  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)\n"
  "    ON DELETE CASCADE\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE assumption (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  scenario_id TEXT NOT NULL,\n"
  "  element TEXT NOT NULL CHECK (element <> ''),\n"
  "  segment_id TEXT NOT NULL,\n"
  "  parameter TEXT NOT NULL CHECK (parameter <> ''),\n"
  "  ordinal INTEGER NOT NULL,\n"
  "  value TEXT NOT NULL,\n"
  "  source TEXT,\n"
  "  source_from TEXT NOT NULL\n"
  "    CHECK (source_from IN ('element', 'obligation', 'procedure', 'model', 'none')),\n"
  "  CHECK ((source IS NULL) = (source_from = 'none')),\n"
  "  PRIMARY KEY (run_id, procedure_id, scenario_id, element, segment_id, parameter)\n"
  ");\n"
  "CREATE TABLE territory_result (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  territory_id TEXT NOT NULL,\n"
  "  cases REAL,\n"
  "  cases_given INTEGER NOT NULL CHECK (cases_given IN (0, 1)),\n"
  "  share REAL NOT NULL CHECK (share >= 0),\n"
  "  burden_before REAL NOT NULL,\n"
  "  burden_after REAL NOT NULL,\n"
  "  citizens_hours_before REAL NOT NULL,\n"
  "  citizens_hours_after REAL NOT NULL,\n"
  "  citizens_burden_before REAL NOT NULL,\n"
  "  citizens_burden_after REAL NOT NULL,\n"
  "  businesses_before REAL NOT NULL,\n"
  "  businesses_after REAL NOT NULL,\n"
  "  PRIMARY KEY (run_id, procedure_id, territory_id),\n"
  "  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)\n"
  "    ON DELETE CASCADE,\n"
  "  FOREIGN KEY (run_id, territory_id) REFERENCES territory (run_id, territory_id)\n"
  "    ON DELETE CASCADE\n"
  ") WITHOUT ROWID;\n",

  /* 1 -> 2: the per-iteration samples (the report sums them over procedures for the
   * programme's intervals) and the indexes of the report's queries */
  "CREATE TABLE sample (\n"
  "  run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,\n"
  "  procedure_id TEXT NOT NULL,\n"
  "  scenario_id TEXT NOT NULL,\n"
  "  side TEXT NOT NULL CHECK (side IN ('before', 'after', 'saving')),\n"
  "  quantity TEXT NOT NULL\n"
  "    CHECK (quantity IN ('burden', 'citizens_hours', 'citizens_burden', 'businesses')),\n"
  "  n INTEGER NOT NULL CHECK (n > 0),\n"
  "  samples BLOB NOT NULL CHECK (length (samples) = 8 * n),\n"
  "  CHECK ((scenario_id = '') = (side = 'before')),\n"
  "  PRIMARY KEY (run_id, procedure_id, scenario_id, side, quantity),\n"
  "  FOREIGN KEY (run_id, procedure_id) REFERENCES procedure (run_id, procedure_id)\n"
  "    ON DELETE CASCADE\n"
  ");\n"
  "CREATE INDEX run_by_status ON run (status, id);\n"
  "CREATE INDEX procedure_by_area ON procedure (run_id, area);\n"
  "CREATE INDEX figure_by_burden ON figure (run_id, kind, scenario_id, burden DESC);\n"
  "CREATE INDEX measure_by_saving ON measure (run_id, saving DESC);\n"
  "CREATE INDEX territory_by_kind ON territory (run_id, kind);\n"
  "CREATE INDEX territory_result_by_territory ON territory_result (run_id, territory_id);\n",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == MOA_STORE_SCHEMA_VERSION);

/* The quantities whose Monte Carlo statistics and samples are stored: the plan entity and
 * quantity they come from (moa-plan.h: entity 0 the total, 1 citizens, 2 businesses). */
enum
{
  Q_BURDEN,
  Q_CITIZENS_HOURS,
  Q_CITIZENS_BURDEN,
  Q_BUSINESSES,
  Q_N
};

static const struct
{
  const char *name;
  MoaEntityKind entity;
  MoaQuantity quantity;
} quantities[Q_N] = {
  { "burden", MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN },
  { "citizens_hours", MOA_ENTITY_CITIZENS, MOA_QUANTITY_HOURS },
  { "citizens_burden", MOA_ENTITY_CITIZENS, MOA_QUANTITY_BURDEN },
  { "businesses", MOA_ENTITY_BUSINESSES, MOA_QUANTITY_BURDEN },
};

/* The exact value of quantity @q in @result. */
static double
quantity_point (const MoaResult *result, int q)
{
  switch (q)
    {
      case Q_BURDEN:
        return result->total.recurring.burden;
      case Q_CITIZENS_HOURS:
        return result->citizens.recurring.hours;
      case Q_CITIZENS_BURDEN:
        return result->citizens.recurring.burden;
      case Q_BUSINESSES:
        return result->businesses.recurring.burden;
    }
  g_assert_not_reached ();
}

static int
quantity_from_name (const char *name)
{
  for (int q = 0; q < Q_N; q++)
    if (g_strcmp0 (name, quantities[q].name) == 0)
      return q;
  return -1;
}

struct _MoaStore
{
  sqlite3 *db;
  char *path;
  int version;
  GHashTable *statements; /* SQL text (static, by address) -> sqlite3_stmt* */
};

/* --- errors and statements ------------------------------------------------------------------ */

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return MOA_STORE_ERROR_BUSY;
      case SQLITE_NOTADB:
      case SQLITE_CORRUPT:
        return MOA_STORE_ERROR_NOT_STORE;
      case SQLITE_CANTOPEN:
        return MOA_STORE_ERROR_OPEN;
      default:
        return MOA_STORE_ERROR_FAILED;
    }
}

/* Sets @error from the connection's last error @rc: "PATH: WHAT: SQLite's message". */
static void
set_db_error (MoaStore *store, GError **error, int rc, const char *what)
{
  const char *message = store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc);
  g_set_error (error, MOA_STORE_ERROR, error_code_for (rc), "%s: %s: %s", store->path, what,
               message);
}

static gboolean
exec (MoaStore *store, const char *sql, const char *what, GError **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (store, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

/* The prepared statement of @sql (a string with static storage), reset and unbound; NULL with
 * @error set when it cannot be prepared. Borrowed: the store keeps it. */
static sqlite3_stmt *
statement (MoaStore *store, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  int rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (store, error, rc, _ ("preparing a query"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (store->statements, (gpointer)sql, stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt, int i, const char *s)
{
  if (s == NULL)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, s, -1, SQLITE_TRANSIENT);
}

/* A double, NULL for NAN (SQLite has no NaN: it would read back as NULL anyway). */
static void
bind_double (sqlite3_stmt *stmt, int i, double x)
{
  if (isnan (x))
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_double (stmt, i, x);
}

/* Runs @stmt, which returns no row, and resets it. */
static gboolean
step_done (MoaStore *store, sqlite3_stmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_db_error (store, error, rc, what);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* sqlite3_step() of a query: TRUE for a row, FALSE at the end or on an error (then @error is
 * set and *@failed TRUE). */
static gboolean
step_row (MoaStore *store, sqlite3_stmt *stmt, gboolean *failed, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    {
      set_db_error (store, error, rc, what);
      *failed = TRUE;
    }
  sqlite3_reset (stmt);
  return FALSE;
}

static char *
column_dup (sqlite3_stmt *stmt, int i)
{
  const unsigned char *s = sqlite3_column_text (stmt, i);
  return s != NULL ? g_strdup ((const char *)s) : NULL;
}

/* A column as a double, NAN for NULL. */
static double
column_double (sqlite3_stmt *stmt, int i)
{
  if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, i);
}

/* Reads one integer: the first column of the first row of @sql (0 when there is no row). */
static gboolean
query_int (MoaStore *store, const char *sql, gint64 *out, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (store, error, rc, _ ("reading the store's header"));
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_db_error (store, error, rc, _ ("reading the store's header"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  return TRUE;
}

static char *
now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* --- opening and migrating --------------------------------------------------------------------
 */

static void
statement_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

void
moa_store_close (MoaStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->statements, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close_v2 (store->db);
  g_free (store->path);
  g_free (store);
}

/* Runs the migrations from the store's version to MOA_STORE_SCHEMA_VERSION in one immediate
 * transaction (so two processes opening an old store do not both migrate it). */
static gboolean
migrate_steps (MoaStore *store, GError **error)
{
  gint64 version = 0;
  if (!query_int (store, "PRAGMA user_version", &version, error))
    return FALSE;
  for (gint64 v = version; v < MOA_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *what = g_strdup_printf (_ ("migrating the store from schema version %d "
                                                  "to %d"),
                                               (int)v, (int)v + 1);
      if (!exec (store, migrations[v], what, error))
        return FALSE;
    }
  g_autofree char *pragmas
      = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d",
                         MOA_STORE_APPLICATION_ID, MOA_STORE_SCHEMA_VERSION);
  return exec (store, pragmas, _ ("migrating the store"), error);
}

static gboolean
migrate (MoaStore *store, GError **error)
{
  if (!exec (store, "BEGIN IMMEDIATE", _ ("migrating the store"), error))
    return FALSE;
  if (!migrate_steps (store, error) || !exec (store, "COMMIT", _ ("migrating the store"), error))
    {
      sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  store->version = MOA_STORE_SCHEMA_VERSION;
  return TRUE;
}

/* Opens @path: a new, empty file becomes a store of the current schema (with @create), an
 * older store is migrated, and anything else is refused before it is written to. */
MoaStore *
moa_store_open (const char *path, gboolean create, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (MoaStore) store = g_new0 (MoaStore, 1);
  store->path = g_strdup (path);
  store->statements
      = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, statement_finalize);

  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2 (path, &store->db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_OPEN,
                   _ ("%s: cannot open the result store: %s"), path,
                   store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, BUSY_TIMEOUT_MS);

  /* what the file is, before anything is written to it */
  gint64 application_id = 0, version = 0, n_tables = 0;
  g_autoptr (GError) local = NULL;
  if (!query_int (store, "PRAGMA application_id", &application_id, &local)
      || !query_int (store, "PRAGMA user_version", &version, &local)
      || !query_int (store, "SELECT count(*) FROM sqlite_master", &n_tables, &local))
    {
      if (local->code == MOA_STORE_ERROR_NOT_STORE)
        g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NOT_STORE,
                     _ ("%s: not a moa result store (not a SQLite database, or a damaged one)"),
                     path);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (version == 0 && n_tables == 0 && application_id == 0 && !create)
    {
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NOT_STORE,
                   _ ("%s: an empty database, not a moa result store (expected a store written "
                      "by moa batch)"),
                   path);
      return NULL;
    }
  if ((application_id != 0 && application_id != MOA_STORE_APPLICATION_ID)
      || (application_id == 0 && (n_tables > 0 || version > 0)))
    {
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NOT_STORE,
                   _ ("%s: a SQLite database of another application, not a moa result store "
                      "(application id %" PRId64 ", %" PRId64 " tables; expected id %d)"),
                   path, application_id, n_tables, MOA_STORE_APPLICATION_ID);
      return NULL;
    }
  if (version > MOA_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_TOO_NEW,
                   _ ("%s: written by a newer moa (store schema version %" PRId64
                      "; this moa reads versions up to %d): update moa"),
                   path, version, MOA_STORE_SCHEMA_VERSION);
      return NULL;
    }

  /* WAL: readers (moa report, the GUI) never block the batch's writer, nor it them.
   * synchronous=NORMAL in WAL mode: a committed transaction survives a crash or kill of the
   * process (only a power loss may lose the last ones, never corrupt the file). */
  sqlite3_stmt *stmt = NULL;
  rc = sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (store, error, rc, _ ("switching to write-ahead logging"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  const char *mode = (const char *)sqlite3_column_text (stmt, 0);
  gboolean wal = g_strcmp0 (mode, "wal") == 0 || g_strcmp0 (mode, "memory") == 0;
  g_autofree char *mode_copy = g_strdup (mode);
  sqlite3_finalize (stmt);
  if (!wal)
    {
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED,
                   _ ("%s: cannot use write-ahead logging (journal mode stays \"%s\"): the file "
                      "must be on a local file system"),
                   path, mode_copy);
      return NULL;
    }
  if (!exec (store, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
             _ ("configuring the connection"), error))
    return NULL;

  store->version = (int)version;
  if (version < MOA_STORE_SCHEMA_VERSION && !migrate (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

int
moa_store_get_schema_version (MoaStore *store)
{
  g_return_val_if_fail (store != NULL, 0);
  return store->version;
}

/* Runs @sql on the store's connection (tests only, see moa-store.h). */
gboolean
moa_store_exec_for_tests (MoaStore *store, const char *sql, gint64 *result, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  if (result == NULL)
    return exec (store, sql, "test", error);
  return query_int (store, sql, result, error);
}

/* --- transactions ---------------------------------------------------------------------------- */

static gboolean
begin (MoaStore *store, gboolean write, GError **error)
{
  return exec (store, write ? "BEGIN IMMEDIATE" : "BEGIN", _ ("starting a transaction"), error);
}

static gboolean
commit (MoaStore *store, GError **error)
{
  return exec (store, "COMMIT", _ ("committing"), error);
}

static void
rollback (MoaStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

/* --- runs ------------------------------------------------------------------------------------- */

void
moa_store_run_free (MoaStoreRun *run)
{
  if (run == NULL)
    return;
  g_free (run->status);
  g_free (run->catalog_id);
  g_free (run->catalog_file);
  g_free (run->catalog_sha256);
  g_free (run->inputs_sha256);
  g_free (run->moa_version);
  g_free (run->cost_model);
  g_free (run->cost_model_version);
  g_free (run->currency);
  g_free (run->started_at);
  g_free (run->finished_at);
  g_free (run);
}

#define RUN_COLUMNS                                                                                \
  "r.id, r.status, r.catalog_id, r.catalog_file, r.catalog_sha256, r.inputs_sha256, "              \
  "r.moa_version, r.seed, r.iterations, r.cost_model, r.cost_model_version, r.price_year, "        \
  "r.currency, r.started_at, r.finished_at, r.units_total, "                                       \
  "(SELECT count(*) FROM unit u WHERE u.run_id = r.id) "

static MoaStoreRun *
run_from_row (sqlite3_stmt *stmt)
{
  MoaStoreRun *run = g_new0 (MoaStoreRun, 1);
  run->id = sqlite3_column_int64 (stmt, 0);
  run->status = column_dup (stmt, 1);
  run->catalog_id = column_dup (stmt, 2);
  run->catalog_file = column_dup (stmt, 3);
  run->catalog_sha256 = column_dup (stmt, 4);
  run->inputs_sha256 = column_dup (stmt, 5);
  run->moa_version = column_dup (stmt, 6);
  run->seed = (guint64)sqlite3_column_int64 (stmt, 7);
  run->iterations = (guint)sqlite3_column_int64 (stmt, 8);
  run->cost_model = column_dup (stmt, 9);
  run->cost_model_version = column_dup (stmt, 10);
  run->price_year = sqlite3_column_int (stmt, 11);
  run->currency = column_dup (stmt, 12);
  run->started_at = column_dup (stmt, 13);
  run->finished_at = column_dup (stmt, 14);
  run->units_total = (guint)sqlite3_column_int64 (stmt, 15);
  run->units_done = (guint)sqlite3_column_int64 (stmt, 16);
  return run;
}

/* Every run, newest first. */
GPtrArray *
moa_store_list_runs (MoaStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  static const char sql[] = "SELECT " RUN_COLUMNS "FROM run r ORDER BY r.id DESC";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return NULL;
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_store_run_free);
  gboolean failed = FALSE;
  while (step_row (store, stmt, &failed, _ ("listing the runs"), error))
    g_ptr_array_add (runs, run_from_row (stmt));
  return failed ? NULL : g_steal_pointer (&runs);
}

/* Run @id, or the newest complete one for 0. */
MoaStoreRun *
moa_store_get_run (MoaStore *store, gint64 id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  static const char by_id[] = "SELECT " RUN_COLUMNS "FROM run r WHERE r.id = ?";
  static const char newest[] = "SELECT " RUN_COLUMNS "FROM run r WHERE r.status = 'complete' "
                               "ORDER BY r.id DESC LIMIT 1";
  sqlite3_stmt *stmt = statement (store, id > 0 ? by_id : newest, error);
  if (stmt == NULL)
    return NULL;
  if (id > 0)
    sqlite3_bind_int64 (stmt, 1, id);
  gboolean failed = FALSE;
  if (!step_row (store, stmt, &failed, _ ("reading a run"), error))
    {
      if (!failed)
        {
          if (id > 0)
            g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN,
                         _ ("%s: no run %" PRId64 " (moa runs lists the runs)"), store->path, id);
          else
            g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN,
                         _ ("%s: no complete run (moa runs lists the runs; give one with "
                            "--run)"),
                         store->path);
        }
      return NULL;
    }
  MoaStoreRun *run = run_from_row (stmt);
  sqlite3_reset (stmt);
  return run;
}

/* NO_RUN unless run @run_id exists; its status in *@complete (may be NULL). */
static gboolean
check_run (MoaStore *store, gint64 run_id, gboolean *complete, GError **error)
{
  static const char sql[] = "SELECT status = 'complete' FROM run WHERE id = ?";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  gboolean failed = FALSE;
  if (!step_row (store, stmt, &failed, _ ("reading a run"), error))
    {
      if (!failed)
        g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN,
                     _ ("%s: no run %" PRId64 " (moa runs lists the runs)"), store->path, run_id);
      return FALSE;
    }
  if (complete != NULL)
    *complete = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_territories (MoaStore *store, gint64 run_id, const MoaCatalog *catalog, GError **error)
{
  static const char sql[]
      = "INSERT INTO territory (run_id, territory_id, ordinal, name, kind, parent_id, "
        "population, source, file, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  GPtrArray *territories = moa_catalog_get_territories (catalog);
  for (guint i = 0; territories != NULL && i < territories->len; i++)
    {
      const MoaTerritory *t = g_ptr_array_index (territories, i);
      sqlite3_stmt *stmt = statement (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run_id);
      bind_text (stmt, 2, t->id);
      sqlite3_bind_int64 (stmt, 3, i);
      bind_text (stmt, 4, t->name != NULL ? t->name : t->id);
      bind_text (stmt, 5, moa_territory_kind_to_string (t->kind));
      bind_text (stmt, 6, t->parent);
      bind_double (stmt, 7, t->population);
      bind_text (stmt, 8, t->source);
      bind_text (stmt, 9, t->file);
      if (t->line > 0)
        sqlite3_bind_int (stmt, 10, t->line);
      g_autofree char *what = g_strdup_printf (_ ("recording territory \"%s\" of %s:%d"), t->id,
                                               t->file != NULL ? t->file : "?", t->line);
      if (!step_done (store, stmt, what, error))
        return FALSE;
    }
  return TRUE;
}

/* The rows of moa_store_begin_run(), in its transaction: the new run's id, or 0. */
static gint64
begin_run_rows (MoaStore *store, const MoaStoreRun *run, const MoaStoreInput *inputs,
                guint n_inputs, const MoaCatalog *catalog, GError **error)
{
  static const char sql[]
      = "INSERT INTO run (status, catalog_id, catalog_title_it, catalog_title_en, catalog_file, "
        "catalog_sha256, inputs_sha256, moa_version, seed, iterations, cost_model, "
        "cost_model_version, price_year, currency, started_at, units_total) "
        "VALUES ('running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return 0;
  const MoaTitle *title = catalog != NULL ? moa_catalog_get_title (catalog) : NULL;
  g_autofree char *now = now_iso8601 ();
  bind_text (stmt, 1, run->catalog_id);
  bind_text (stmt, 2, title != NULL ? title->it : NULL);
  bind_text (stmt, 3, title != NULL ? title->en : NULL);
  bind_text (stmt, 4, run->catalog_file);
  bind_text (stmt, 5, run->catalog_sha256);
  bind_text (stmt, 6, run->inputs_sha256);
  bind_text (stmt, 7, run->moa_version);
  /* a seed above 2^63 - 1 is stored as the signed integer of the same 64 bits */
  sqlite3_bind_int64 (stmt, 8, (sqlite3_int64)run->seed);
  sqlite3_bind_int64 (stmt, 9, run->iterations);
  bind_text (stmt, 10, run->cost_model);
  bind_text (stmt, 11, run->cost_model_version);
  sqlite3_bind_int (stmt, 12, run->price_year);
  bind_text (stmt, 13, run->currency);
  bind_text (stmt, 14, run->started_at != NULL ? run->started_at : now);
  sqlite3_bind_int64 (stmt, 15, run->units_total);
  if (!step_done (store, stmt, _ ("recording a new run"), error))
    return 0;
  gint64 id = sqlite3_last_insert_rowid (store->db);

  static const char input_sql[] = "INSERT INTO input_file (run_id, path, ordinal, role, sha256) "
                                  "VALUES (?, ?, ?, ?, ?)";
  for (guint i = 0; i < n_inputs; i++)
    {
      stmt = statement (store, input_sql, error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, id);
      bind_text (stmt, 2, inputs[i].path);
      sqlite3_bind_int64 (stmt, 3, i);
      bind_text (stmt, 4, inputs[i].role);
      bind_text (stmt, 5, inputs[i].sha256);
      g_autofree char *what
          = g_strdup_printf (_ ("recording input file %s (%s)"), inputs[i].path, inputs[i].role);
      if (!step_done (store, stmt, what, error))
        return 0;
    }
  if (catalog != NULL && !write_territories (store, id, catalog, error))
    return 0;
  return id;
}

/* Records a new run with its inputs and territories. */
gint64
moa_store_begin_run (MoaStore *store, const MoaStoreRun *run, const MoaStoreInput *inputs,
                     guint n_inputs, const MoaCatalog *catalog, GError **error)
{
  g_return_val_if_fail (store != NULL, 0);
  g_return_val_if_fail (run != NULL, 0);
  g_return_val_if_fail (inputs != NULL || n_inputs == 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!begin (store, TRUE, error))
    return 0;
  gint64 id = begin_run_rows (store, run, inputs, n_inputs, catalog, error);
  if (id == 0 || !commit (store, error))
    {
      rollback (store);
      return 0;
    }
  return id;
}

/* The procedures of run @run_id already committed. */
GHashTable *
moa_store_get_done_units (MoaStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_run (store, run_id, NULL, error))
    return NULL;
  static const char sql[] = "SELECT procedure_id FROM unit WHERE run_id = ?";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  g_autoptr (GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean failed = FALSE;
  while (step_row (store, stmt, &failed, _ ("reading the units done"), error))
    g_hash_table_add (done, column_dup (stmt, 0));
  return failed ? NULL : g_steal_pointer (&done);
}

static gboolean
finish_run_rows (MoaStore *store, gint64 run_id, GError **error)
{
  gboolean complete = FALSE;
  if (!check_run (store, run_id, &complete, error))
    return FALSE;
  static const char count_sql[]
      = "SELECT r.units_total, (SELECT count(*) FROM unit u WHERE u.run_id = r.id) "
        "FROM run r WHERE r.id = ?";
  sqlite3_stmt *stmt = statement (store, count_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  gboolean failed = FALSE;
  if (!step_row (store, stmt, &failed, _ ("reading a run"), error))
    return FALSE;
  gint64 total = sqlite3_column_int64 (stmt, 0), done = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  if (done < total)
    {
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED,
                   _ ("%s: run %" PRId64 " cannot be marked complete: %" PRId64 " of its %" PRId64
                      " units are done"),
                   store->path, run_id, done, total);
      return FALSE;
    }
  if (!complete)
    {
      static const char sql[] = "UPDATE run SET status = 'complete', finished_at = ? WHERE id = ?";
      stmt = statement (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      g_autofree char *now = now_iso8601 ();
      bind_text (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, run_id);
      if (!step_done (store, stmt, _ ("marking the run complete"), error))
        return FALSE;
    }
  return TRUE;
}

/* Marks run @run_id complete; refused while a unit is missing. */
gboolean
moa_store_finish_run (MoaStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin (store, TRUE, error))
    return FALSE;
  if (!finish_run_rows (store, run_id, error) || !commit (store, error))
    {
      rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* --- writing a unit: figures ----------------------------------------------------------------- */

/* What one call of write_unit() shares between its steps. */
typedef struct
{
  MoaStore *store;
  gint64 run_id;
  const char *procedure_id;
  const char *file; /* the procedure's, for messages */
  guint ordinal;    /* of the assumption rows */
} Unit;

static const char figure_sql[]
    = "INSERT INTO figure (run_id, procedure_id, scenario_id, kind, entity_id, obligation_id, "
      "segment_id, ordinal, title_it, title_en, target_kind, legal_reference, one_off, cases, "
      "visits, per_case_burden, per_case_hours, hours, external_hours, internal, overhead, "
      "external, acquisitions, out_of_pocket, cost, bau, burden, citizens_hours, "
      "one_off_burden, one_off_hours) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?)";

/* One row of the figure table. */
typedef struct
{
  const char *kind;
  const char *id;
  const char *obligation; /* activities */
  const char *segment;    /* activities */
  guint ordinal;
  const MoaTitle *title;
  const char *target_kind;
  const char *legal_reference;
  gboolean one_off;
  double cases;
  double visits; /* activities; else NAN */
  const MoaFigures *per_case;
  const MoaFigures *recurring; /* per year */
  double citizens_hours;
  const MoaFigures *one_off_figures; /* total */
} FigureRow;

static gboolean
write_figure (Unit *u, const char *scenario_id, const FigureRow *r, GError **error)
{
  sqlite3_stmt *stmt = statement (u->store, figure_sql, error);
  if (stmt == NULL)
    return FALSE;
  int i = 1;
  sqlite3_bind_int64 (stmt, i++, u->run_id);
  bind_text (stmt, i++, u->procedure_id);
  bind_text (stmt, i++, scenario_id);
  bind_text (stmt, i++, r->kind);
  bind_text (stmt, i++, r->id);
  bind_text (stmt, i++, r->obligation != NULL ? r->obligation : "");
  bind_text (stmt, i++, r->segment != NULL ? r->segment : "");
  sqlite3_bind_int64 (stmt, i++, r->ordinal);
  bind_text (stmt, i++, r->title != NULL ? r->title->it : NULL);
  bind_text (stmt, i++, r->title != NULL ? r->title->en : NULL);
  bind_text (stmt, i++, r->target_kind);
  bind_text (stmt, i++, r->legal_reference);
  sqlite3_bind_int (stmt, i++, r->one_off ? 1 : 0);
  bind_double (stmt, i++, r->cases);
  bind_double (stmt, i++, r->visits);
  bind_double (stmt, i++, r->per_case->burden);
  bind_double (stmt, i++, r->per_case->hours);
  const double *f = MOA_FIGURES_ARRAY ((MoaFigures *)r->recurring);
  for (int k = 0; k < MOA_FIGURES_N_FIELDS; k++)
    bind_double (stmt, i++, f[k]);
  bind_double (stmt, i++, r->citizens_hours);
  bind_double (stmt, i++, r->one_off_figures->burden);
  bind_double (stmt, i++, r->one_off_figures->hours);
  g_assert (i == 31);
  g_autofree char *what = g_strdup_printf (
      _ ("writing the figures of %s \"%s\" (%s) of procedure \"%s\" (%s)"), r->kind, r->id,
      scenario_id[0] != '\0' ? scenario_id : "baseline", u->procedure_id, u->file);
  return step_done (u->store, stmt, what, error);
}

static const char *
target_kind_name (MoaTargetKind kind)
{
  return moa_target_kind_to_string (kind);
}

/* Citizens' hours of an activity row: its performer's own hours when a citizen bears them
 * (recurring only). Their sum over every row is MoaResult.citizens.recurring.hours. */
static double
activity_citizens_hours (const MoaActivityResult *a)
{
  return a->payer != NULL && a->payer->kind == MOA_TARGET_CITIZEN && !a->obligation->one_off
             ? a->per_year.hours
             : 0.0;
}

/* The figure row of the aggregate @t, the @ordinal-th of its @kind: its id, cases and
 * figures, no visits; the caller sets the rest (title, target kind, citizens' hours...). */
static FigureRow
total_row (const char *kind, const MoaTotal *t, guint ordinal)
{
  FigureRow r = { 0 };
  r.kind = kind;
  r.id = t->id;
  r.ordinal = ordinal;
  r.cases = t->cases;
  r.visits = NAN;
  r.per_case = &t->per_case;
  r.recurring = &t->recurring;
  r.one_off_figures = &t->one_off;
  return r;
}

/* The title of the entity @id of @procedure, NULL when it has none by that id. */
typedef const MoaTitle *(*TitleLookup) (const MoaProcedure *procedure, const char *id);

static const MoaTitle *
group_title (const MoaProcedure *procedure, const char *id)
{
  const MoaTargetGroup *g = moa_procedure_get_target_group (procedure, id);
  return g != NULL ? &g->title : NULL;
}

static const MoaTitle *
segment_title (const MoaProcedure *procedure, const char *id)
{
  const MoaSegment *s = moa_procedure_get_segment (procedure, id);
  return s != NULL ? &s->title : NULL;
}

/* One row of @kind per MoaTotal of @totals (the target groups or the segments of a result of
 * @procedure), titled by @title_of; a citizen aggregate's recurring hours are its citizens'
 * hours. */
static gboolean
write_target_totals (Unit *u, const char *scenario_id, const MoaProcedure *procedure,
                     const GArray *totals, const char *kind, TitleLookup title_of, GError **error)
{
  for (guint i = 0; i < totals->len; i++)
    {
      const MoaTotal *t = &g_array_index (totals, MoaTotal, i);
      FigureRow r = total_row (kind, t, i);
      r.title = title_of (procedure, t->id);
      r.target_kind = target_kind_name (t->kind);
      r.citizens_hours = t->kind == MOA_TARGET_CITIZEN ? t->recurring.hours : 0.0;
      if (!write_figure (u, scenario_id, &r, error))
        return FALSE;
    }
  return TRUE;
}

/* Every entity of @result: the four totals, the obligations, the target groups, the segments
 * and the activity rows, under @scenario_id ("" for the baseline). */
static gboolean
write_figures (Unit *u, const char *scenario_id, const MoaResult *result, GError **error)
{
  static const MoaFigures zero = { 0 };
  const MoaProcedure *procedure = result->procedure;

  struct
  {
    const char *kind;
    const MoaTotal *total;
    double citizens_hours;
  } totals[] = {
    { "total", &result->total, result->citizens.recurring.hours },
    { "citizens", &result->citizens, result->citizens.recurring.hours },
    { "businesses", &result->businesses, 0.0 },
    { "administration", &result->administration, 0.0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    {
      FigureRow r = total_row (totals[i].kind, totals[i].total, i);
      r.id = procedure->id;
      r.title = &procedure->title;
      r.citizens_hours = totals[i].citizens_hours;
      if (!write_figure (u, scenario_id, &r, error))
        return FALSE;
    }

  /* citizens' hours per obligation: the sum of its activity rows' */
  g_autoptr (GHashTable) obligation_hours
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *a = &g_array_index (result->activities, MoaActivityResult, i);
      double *h = g_hash_table_lookup (obligation_hours, a->obligation->id);
      if (h == NULL)
        {
          h = g_new0 (double, 1);
          g_hash_table_insert (obligation_hours, a->obligation->id, h);
        }
      *h += activity_citizens_hours (a);
    }

  for (guint i = 0; i < result->obligations->len; i++)
    {
      const MoaTotal *t = &g_array_index (result->obligations, MoaTotal, i);
      const MoaObligation *ob = moa_procedure_get_obligation (procedure, t->id);
      const double *h = g_hash_table_lookup (obligation_hours, t->id);
      FigureRow r = total_row ("obligation", t, i);
      r.title = ob != NULL ? &ob->title : NULL;
      r.legal_reference = ob != NULL ? ob->legal_reference : NULL;
      r.one_off = ob != NULL && ob->one_off;
      r.citizens_hours = h != NULL ? *h : 0.0;
      if (!write_figure (u, scenario_id, &r, error))
        return FALSE;
    }

  if (!write_target_totals (u, scenario_id, procedure, result->groups, "group", group_title, error)
      || !write_target_totals (u, scenario_id, procedure, result->segments, "segment",
                               segment_title, error))
    return FALSE;

  /* the cases of an activity row: those of its (obligation, segment) */
  g_autoptr (GHashTable) cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < result->cases->len; i++)
    {
      const MoaCaseResult *c = &g_array_index (result->cases, MoaCaseResult, i);
      g_hash_table_insert (cases, g_strconcat (c->obligation->id, "/", c->segment->id, NULL),
                           (gpointer)c);
    }
  for (guint i = 0; i < result->activities->len; i++)
    {
      const MoaActivityResult *a = &g_array_index (result->activities, MoaActivityResult, i);
      g_autofree char *key = g_strconcat (a->obligation->id, "/", a->segment->id, NULL);
      const MoaCaseResult *c = g_hash_table_lookup (cases, key);
      gboolean one_off = a->obligation->one_off;
      FigureRow r = { 0 };
      r.kind = "activity";
      r.id = a->node->id;
      r.obligation = a->obligation->id;
      r.segment = a->segment->id;
      r.ordinal = i;
      r.title = &a->node->title;
      r.target_kind = a->payer != NULL ? target_kind_name (a->payer->kind) : NULL;
      r.one_off = one_off;
      r.cases = c != NULL ? c->cases : NAN;
      r.visits = a->visits;
      r.per_case = &a->per_case;
      r.recurring = one_off ? &zero : &a->per_year;
      r.citizens_hours = activity_citizens_hours (a);
      r.one_off_figures = one_off ? &a->per_year : &zero;
      if (!write_figure (u, scenario_id, &r, error))
        return FALSE;
    }
  return TRUE;
}

/* --- writing a unit: Monte Carlo ------------------------------------------------------------- */

/* Statistics of @n samples as moa-simulation.h defines them (simulation.md §3). */
static void
summarise (const double *x, guint n, double point, double confidence, MoaStat *stat)
{
  static const double p[3] = { 0.05, 0.50, 0.95 };
  double q[3];
  g_autofree double *scratch = g_new (double, MAX (n, 1));

  stat->point = point;
  stat->mean = moa_stats_mean_sd (x, n, &stat->sd);
  moa_stats_quantiles (x, n, p, 3, q, scratch);
  stat->p5 = q[0];
  stat->p50 = q[1];
  stat->p95 = q[2];
  double half
      = n > 1 ? moa_stats_t_quantile (confidence, n - 1) * stat->sd / sqrt ((double)n) : 0.0;
  stat->ci_low = stat->mean - half;
  stat->ci_high = stat->mean + half;
}

/* The samples as a BLOB of little-endian IEEE 754 doubles (a new buffer of 8 n bytes). */
static guint8 *
samples_to_blob (const double *x, guint n)
{
  guint8 *blob = g_new (guint8, (gsize)n * 8);
  for (guint i = 0; i < n; i++)
    {
      guint64 bits;
      memcpy (&bits, &x[i], 8);
      bits = GUINT64_TO_LE (bits);
      memcpy (blob + (gsize)i * 8, &bits, 8);
    }
  return blob;
}

static void
samples_from_blob (const guint8 *blob, guint n, double *x)
{
  for (guint i = 0; i < n; i++)
    {
      guint64 bits;
      memcpy (&bits, blob + (gsize)i * 8, 8);
      bits = GUINT64_FROM_LE (bits);
      memcpy (&x[i], &bits, 8);
    }
}

/* Writes the statistics and the samples of one quantity on one side. */
static gboolean
write_series (Unit *u, const char *scenario_id, const char *side, int q, double point,
              const double *x, guint n, double confidence, GError **error)
{
  static const char stat_sql[]
      = "INSERT INTO stat (run_id, procedure_id, scenario_id, side, quantity, n, point, mean, "
        "sd, p5, p50, p95, ci_low, ci_high) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static const char sample_sql[]
      = "INSERT INTO sample (run_id, procedure_id, scenario_id, side, quantity, n, samples) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)";

  g_autofree char *what
      = g_strdup_printf (_ ("writing the Monte Carlo statistics (%s, %s) of procedure \"%s\" (%s)"),
                         side, quantities[q].name, u->procedure_id, u->file);
  MoaStat stat;
  summarise (x, n, point, confidence, &stat);
  sqlite3_stmt *stmt = statement (u->store, stat_sql, error);
  if (stmt == NULL)
    return FALSE;
  int i = 1;
  sqlite3_bind_int64 (stmt, i++, u->run_id);
  bind_text (stmt, i++, u->procedure_id);
  bind_text (stmt, i++, scenario_id);
  bind_text (stmt, i++, side);
  bind_text (stmt, i++, quantities[q].name);
  sqlite3_bind_int64 (stmt, i++, n);
  bind_double (stmt, i++, stat.point);
  bind_double (stmt, i++, stat.mean);
  bind_double (stmt, i++, stat.sd);
  bind_double (stmt, i++, stat.p5);
  bind_double (stmt, i++, stat.p50);
  bind_double (stmt, i++, stat.p95);
  bind_double (stmt, i++, stat.ci_low);
  bind_double (stmt, i++, stat.ci_high);
  if (!step_done (u->store, stmt, what, error))
    return FALSE;

  stmt = statement (u->store, sample_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, u->run_id);
  bind_text (stmt, 2, u->procedure_id);
  bind_text (stmt, 3, scenario_id);
  bind_text (stmt, 4, side);
  bind_text (stmt, 5, quantities[q].name);
  sqlite3_bind_int64 (stmt, 6, n);
  sqlite3_bind_blob64 (stmt, 7, samples_to_blob (x, n), (sqlite3_uint64)n * 8, g_free);
  return step_done (u->store, stmt, what, error);
}

static double
simulation_confidence (const MoaSimulation *sim)
{
  const MoaSimulationOptions *o = moa_simulation_get_options (sim);
  return o != NULL && o->confidence > 0.0 && o->confidence < 1.0 ? o->confidence : 0.95;
}

/* The baseline's series from @sim (scenario ""), or a scenario's after and saving from its
 * comparison's paired runs. */
static gboolean
write_simulation (Unit *u, const char *scenario_id, const MoaResult *exact_before,
                  const MoaSimulation *before, const MoaResult *exact_after,
                  const MoaSimulation *after, GError **error)
{
  guint n = moa_simulation_get_iterations (before);
  if (n == 0)
    return TRUE;
  double confidence = simulation_confidence (before);
  if (after == NULL)
    {
      for (int q = 0; q < Q_N; q++)
        if (!write_series (
                u, "", "before", q, quantity_point (exact_before, q),
                moa_simulation_get_samples (before, quantities[q].entity, quantities[q].quantity),
                n, confidence, error))
          return FALSE;
      return TRUE;
    }

  if (moa_simulation_get_iterations (after) != n)
    {
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED,
                   _ ("%s: procedure \"%s\", scenario \"%s\": the before and after Monte Carlo "
                      "runs have %u and %u iterations (expected paired runs)"),
                   u->file, u->procedure_id, scenario_id, n, moa_simulation_get_iterations (after));
      return FALSE;
    }
  g_autofree double *diff = g_new (double, n);
  for (int q = 0; q < Q_N; q++)
    {
      const double *b
          = moa_simulation_get_samples (before, quantities[q].entity, quantities[q].quantity);
      const double *a
          = moa_simulation_get_samples (after, quantities[q].entity, quantities[q].quantity);
      for (guint i = 0; i < n; i++)
        diff[i] = b[i] - a[i];
      double point_after = quantity_point (exact_after, q);
      if (!write_series (u, scenario_id, "after", q, point_after, a, n, confidence, error)
          || !write_series (u, scenario_id, "saving", q,
                            quantity_point (exact_before, q) - point_after, diff, n, confidence,
                            error))
        return FALSE;
    }
  return TRUE;
}

/* --- writing a unit: the register of assumptions ---------------------------------------------- */

/* One row of the register, before it is written. */
typedef struct
{
  char *element;
  char *segment; /* "" for the element's own value */
  char *parameter;
  char *value;
  const char *source; /* borrowed */
  const char *source_from;
} Assumption;

static void
assumption_free (Assumption *a)
{
  g_free (a->element);
  g_free (a->segment);
  g_free (a->parameter);
  g_free (a->value);
  g_free (a);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isspace (*c))
      return FALSE;
  return TRUE;
}

/* The source of an element: its own, else its obligation's, else the procedure's; sets
 * *@from to which. */
static const char *
source_of (const char *own, const MoaObligation *ob, const MoaProcedure *procedure,
           const char **from)
{
  if (!is_blank (own))
    {
      *from = "element";
      return own;
    }
  if (ob != NULL && !is_blank (ob->source))
    {
      *from = "obligation";
      return ob->source;
    }
  if (!is_blank (procedure->source))
    {
      *from = "procedure";
      return procedure->source;
    }
  *from = "none";
  return NULL;
}

static void
add_assumption (GPtrArray *rows, const char *element, const char *segment, const char *parameter,
                char *value, const char *source, const char *from)
{
  Assumption *a = g_new0 (Assumption, 1);
  a->element = g_strdup (element);
  a->segment = g_strdup (segment != NULL ? segment : "");
  a->parameter = g_strdup (parameter);
  a->value = value;
  a->source = source;
  a->source_from = from;
  g_ptr_array_add (rows, a);
}

/* A value as written, or NULL. */
static char *
value_text (const MoaValue *value)
{
  return value != NULL ? moa_value_to_string (value) : NULL;
}

/* @param's default (when set) and its per-segment overrides. */
static void
add_param (GPtrArray *rows, const char *element, const char *parameter, const MoaParam *param,
           const char *source, const char *from)
{
  if (param->value != NULL)
    add_assumption (rows, element, NULL, parameter, value_text (param->value), source, from);
  for (guint i = 0; param->per_segment != NULL && i < param->per_segment->len; i++)
    {
      const MoaSegmentValue *sv = g_ptr_array_index (param->per_segment, i);
      if (sv->value != NULL)
        add_assumption (rows, element, sv->segment, parameter, value_text (sv->value), source,
                        from);
      else if (sv->profile != NULL)
        add_assumption (rows, element, sv->segment, "tariff-profile", g_strdup (sv->profile),
                        source, from);
    }
}

/* Every parameter of @procedure, in file order: segment populations, then per obligation its
 * frequency or cases and compliance, its activities' parameters and its gateways' branch
 * probabilities (loops are branches too). */
static GPtrArray *
procedure_assumptions (const MoaProcedure *procedure)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)assumption_free);
  const char *from;

  for (guint g = 0; g < procedure->target_groups->len; g++)
    {
      const MoaTargetGroup *group = g_ptr_array_index (procedure->target_groups, g);
      for (guint s = 0; s < group->segments->len; s++)
        {
          const MoaSegment *segment = g_ptr_array_index (group->segments, s);
          const char *source = source_of (NULL, NULL, procedure, &from);
          if (segment->population != NULL)
            add_assumption (rows, segment->id, NULL, "population", value_text (segment->population),
                            source, from);
        }
    }

  for (guint o = 0; o < procedure->obligations->len; o++)
    {
      const MoaObligation *ob = g_ptr_array_index (procedure->obligations, o);
      const char *source = source_of (ob->source, NULL, procedure, &from);
      add_param (rows, ob->id, "frequency", &ob->frequency, source, from);
      add_param (rows, ob->id, "cases", &ob->cases, source, from);
      add_param (rows, ob->id, "compliance", &ob->compliance, source, from);

      for (guint n = 0; n < ob->nodes->len; n++)
        {
          const MoaNode *node = g_ptr_array_index (ob->nodes, n);
          const char *node_from;
          const char *node_source = source_of (node->source, ob, procedure, &node_from);
          g_autofree char *element = g_strconcat (ob->id, "/", node->id, NULL);
          if (node->kind == MOA_NODE_ACTIVITY)
            {
              if (node->standard != NULL)
                {
                  const char *complexity = moa_complexity_to_string (node->complexity);
                  add_assumption (rows, element, NULL, "standard",
                                  complexity != NULL
                                      ? g_strdup_printf ("%s (%s)", node->standard, complexity)
                                      : g_strdup (node->standard),
                                  node_source, node_from);
                }
              add_param (rows, element, "time", &node->time, node_source, node_from);
              if (node->tariff_profile != NULL)
                add_assumption (rows, element, NULL, "tariff-profile",
                                g_strdup (node->tariff_profile), node_source, node_from);
              add_param (rows, element, "tariff", &node->tariff, node_source, node_from);
              add_param (rows, element, "fee", &node->fee, node_source, node_from);
              add_param (rows, element, "acquisitions", &node->acquisitions, node_source,
                         node_from);
              add_param (rows, element, "out-of-pocket", &node->out_of_pocket, node_source,
                         node_from);
              add_param (rows, element, "bau", &node->bau, node_source, node_from);
            }
          else if (node->kind == MOA_NODE_XOR)
            for (guint b = 0; node->branches != NULL && b < node->branches->len; b++)
              {
                const MoaBranch *branch = g_ptr_array_index (node->branches, b);
                g_autofree char *address = g_strconcat (element, ">", branch->to, NULL);
                if (branch->is_default)
                  /* written default="true": it takes 1 - the others */
                  add_assumption (rows, address, NULL, "probability", g_strdup ("default"),
                                  node_source, node_from);
                add_param (rows, address, "probability", &branch->probability, node_source,
                           node_from);
              }
        }
    }
  return rows;
}

static gboolean
write_assumption (Unit *u, const char *procedure_id, const char *scenario_id, const char *element,
                  const char *segment, const char *parameter, const char *value, const char *source,
                  const char *from, gboolean or_ignore, GError **error)
{
  static const char sql[]
      = "INSERT INTO assumption (run_id, procedure_id, scenario_id, element, segment_id, "
        "parameter, ordinal, value, source, source_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static const char ignore_sql[]
      = "INSERT OR IGNORE INTO assumption (run_id, procedure_id, scenario_id, element, "
        "segment_id, parameter, ordinal, value, source, source_from) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  sqlite3_stmt *stmt = statement (u->store, or_ignore ? ignore_sql : sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, u->run_id);
  bind_text (stmt, 2, procedure_id);
  bind_text (stmt, 3, scenario_id);
  bind_text (stmt, 4, element);
  bind_text (stmt, 5, segment != NULL ? segment : "");
  bind_text (stmt, 6, parameter);
  sqlite3_bind_int64 (stmt, 7, u->ordinal++);
  bind_text (stmt, 8, value);
  bind_text (stmt, 9, is_blank (source) ? NULL : source);
  bind_text (stmt, 10, is_blank (source) ? "none" : from);
  g_autofree char *what
      = g_strdup_printf (_ ("writing the assumption %s %s%s%s of procedure \"%s\" (%s)"), element,
                         parameter, segment != NULL && *segment != '\0' ? "@" : "",
                         segment != NULL ? segment : "", u->procedure_id, u->file);
  return step_done (u->store, stmt, what, error);
}

static char *
assumption_key (const Assumption *a)
{
  return g_strconcat (a->element, "\x1f", a->segment, "\x1f", a->parameter, NULL);
}

/* The baseline's parameters; for each scenario, those its after procedure gives a different
 * value (or adds), and its measures with their justification and source. */
static gboolean
write_procedure_assumptions (Unit *u, const MoaStoreUnit *unit, GError **error)
{
  g_autoptr (GPtrArray) base = procedure_assumptions (unit->procedure);
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < base->len; i++)
    {
      const Assumption *a = g_ptr_array_index (base, i);
      if (!write_assumption (u, u->procedure_id, "", a->element, a->segment, a->parameter, a->value,
                             a->source, a->source_from, FALSE, error))
        return FALSE;
      g_hash_table_insert (index, assumption_key (a), (gpointer)a);
    }

  for (guint s = 0; s < unit->n_scenarios; s++)
    {
      const MoaStoreScenario *sc = &unit->scenarios[s];
      const char *scenario_id = moa_scenario_get_id (sc->scenario);
      const MoaResult *after = moa_comparison_get_after (sc->comparison);
      g_autoptr (GPtrArray) rows = procedure_assumptions (after->procedure);
      for (guint i = 0; i < rows->len; i++)
        {
          const Assumption *a = g_ptr_array_index (rows, i);
          g_autofree char *key = assumption_key (a);
          const Assumption *was = g_hash_table_lookup (index, key);
          if (was != NULL && g_strcmp0 (was->value, a->value) == 0)
            continue;
          if (!write_assumption (u, u->procedure_id, scenario_id, a->element, a->segment,
                                 a->parameter, a->value, a->source, a->source_from, FALSE, error))
            return FALSE;
        }
      GPtrArray *measures = moa_scenario_get_measures (sc->scenario);
      for (guint m = 0; m < measures->len; m++)
        {
          const MoaMeasure *measure = g_ptr_array_index (measures, m);
          const char *value = !is_blank (measure->justification) ? measure->justification
                              : measure->title.en != NULL        ? measure->title.en
                                                                 : measure->title.it;
          g_autofree char *element = g_strconcat ("measure/", measure->id, NULL);
          if (!write_assumption (u, u->procedure_id, scenario_id, element, NULL,
                                 moa_measure_type_to_string (measure->type),
                                 value != NULL ? value : measure->id, measure->source, "element",
                                 FALSE, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The cost model's values (standard times, tariffs, overhead, citizens' time, travel), once
 * per run: every unit offers them, the first one to commit writes them (procedure_id ""). */
static gboolean
write_model_assumptions (Unit *u, const MoaCostModel *model, GError **error)
{
  if (model == NULL)
    return TRUE;
  static const char *const tables[2] = { "business-time", "citizen-time" };
  guint saved_ordinal = u->ordinal;
  u->ordinal = 0;
  const char *model_source = model->source;
#define MODEL_ROW(element, parameter, value, own)                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *e_ = g_strconcat (model->id, "/", (element), NULL);                           \
    g_autofree char *v_ = (value);                                                                 \
    const char *s_ = !is_blank (own) ? (own) : model_source;                                       \
    const char *f_ = !is_blank (own) ? "element" : "model";                                        \
    if (v_ != NULL                                                                                 \
        && !write_assumption (u, "", "", e_, NULL, (parameter), v_, s_, f_, TRUE, error))          \
      return FALSE;                                                                                \
  }                                                                                                \
  G_STMT_END

  char number[G_ASCII_DTOSTR_BUF_SIZE];
  MODEL_ROW ("overhead", "rate",
             g_strdup (g_ascii_dtostr (number, sizeof number, model->overhead_rate)),
             model->overhead_source);
  MODEL_ROW ("citizen-time", "rate",
             model->citizen_time_monetised ? value_text (model->citizen_rate)
                                           : g_strdup ("not monetised"),
             model->citizen_source);
  for (guint i = 0; i < model->tariffs->len; i++)
    {
      const MoaTariffProfile *t = g_ptr_array_index (model->tariffs, i);
      g_autofree char *element = g_strconcat ("tariff/", t->id, NULL);
      MODEL_ROW (element, t->external ? "external-rate" : "rate", value_text (t->rate), t->source);
    }
  for (guint i = 0; i < model->standard_activities->len; i++)
    {
      const MoaStandardActivity *a = g_ptr_array_index (model->standard_activities, i);
      g_autofree char *element = g_strconcat ("standard/", a->id, NULL);
      for (int table = 0; table < 2; table++)
        for (int c = 0; c < 3; c++)
          {
            MoaValue *v = table == 0 ? a->business_time[c] : a->citizen_time[c];
            g_autofree char *parameter = g_strconcat (
                tables[table], "@", moa_complexity_to_string ((MoaComplexity)c), NULL);
            MODEL_ROW (element, parameter, value_text (v), a->source);
          }
    }
  for (guint i = 0; model->travel != NULL && i < model->travel->len; i++)
    {
      const MoaTravelEntry *t = g_ptr_array_index (model->travel, i);
      g_autofree char *element = g_strconcat ("travel/", t->id, NULL);
      MODEL_ROW (element, "time", value_text (t->time), t->source);
      MODEL_ROW (element, "cost", value_text (t->cost), t->source);
    }
#undef MODEL_ROW
  u->ordinal = saved_ordinal;
  return TRUE;
}

/* --- writing a unit --------------------------------------------------------------------------- */

static gboolean
write_territory_results (Unit *u, const MoaCatalog *catalog, const MoaResult *before,
                         const MoaResult *after, GError **error)
{
  static const char sql[]
      = "INSERT INTO territory_result (run_id, procedure_id, territory_id, cases, cases_given, "
        "share, burden_before, burden_after, citizens_hours_before, citizens_hours_after, "
        "citizens_burden_before, citizens_burden_after, businesses_before, businesses_after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  GPtrArray *territories = moa_catalog_get_territories (catalog);
  double procedure_cases = before->total.cases;
  for (guint i = 0; territories != NULL && i < territories->len; i++)
    {
      const MoaTerritory *t = g_ptr_array_index (territories, i);
      double cases = NAN;
      double share
          = moa_catalog_territory_share (catalog, t, u->procedure_id, procedure_cases, &cases);
      if (!isfinite (share))
        continue; /* neither cases nor a population for it: the loader reported it */
      gboolean given = t->cases != NULL && g_hash_table_contains (t->cases, u->procedure_id);
      sqlite3_stmt *stmt = statement (u->store, sql, error);
      if (stmt == NULL)
        return FALSE;
      int k = 1;
      sqlite3_bind_int64 (stmt, k++, u->run_id);
      bind_text (stmt, k++, u->procedure_id);
      bind_text (stmt, k++, t->id);
      bind_double (stmt, k++, isfinite (cases) ? cases : share * procedure_cases);
      sqlite3_bind_int (stmt, k++, given ? 1 : 0);
      bind_double (stmt, k++, share);
      bind_double (stmt, k++, share * before->total.recurring.burden);
      bind_double (stmt, k++, share * after->total.recurring.burden);
      bind_double (stmt, k++, share * before->citizens.recurring.hours);
      bind_double (stmt, k++, share * after->citizens.recurring.hours);
      bind_double (stmt, k++, share * before->citizens.recurring.burden);
      bind_double (stmt, k++, share * after->citizens.recurring.burden);
      bind_double (stmt, k++, share * before->businesses.recurring.burden);
      bind_double (stmt, k++, share * after->businesses.recurring.burden);
      g_autofree char *what
          = g_strdup_printf (_ ("writing the figures of procedure \"%s\" in territory \"%s\""),
                             u->procedure_id, t->id);
      if (!step_done (u->store, stmt, what, error))
        return FALSE;
    }
  return TRUE;
}

/* The index of @procedure_id in the catalog, or -1. */
static int
catalog_ordinal (const MoaCatalog *catalog, const char *procedure_id)
{
  if (catalog == NULL || procedure_id == NULL)
    return -1;
  GPtrArray *procedures = moa_catalog_get_procedures (catalog);
  for (guint i = 0; procedures != NULL && i < procedures->len; i++)
    {
      const MoaCatalogProcedure *p = g_ptr_array_index (procedures, i);
      if (g_strcmp0 (p->id, procedure_id) == 0)
        return (int)i;
    }
  return -1;
}

static gboolean
write_unit_rows (Unit *u, const MoaCatalog *catalog, const MoaStoreUnit *unit, GError **error)
{
  const MoaProcedure *procedure = unit->procedure;
  const MoaResult *before = unit->before;
  MoaStore *store = u->store;

  /* the procedure */
  static const char procedure_sql[]
      = "INSERT INTO procedure (run_id, procedure_id, ordinal, file, title_it, title_en, area, "
        "authority, legal_basis, cost_model, cost_model_version, price_year, currency, cases, "
        "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  sqlite3_stmt *stmt = statement (store, procedure_sql, error);
  if (stmt == NULL)
    return FALSE;
  int ordinal = catalog_ordinal (catalog, procedure->id);
  const MoaCostModel *model = before->model;
  int k = 1;
  sqlite3_bind_int64 (stmt, k++, u->run_id);
  bind_text (stmt, k++, procedure->id);
  if (ordinal >= 0)
    sqlite3_bind_int (stmt, k++, ordinal);
  else
    sqlite3_bind_null (stmt, k++);
  bind_text (stmt, k++, unit->file != NULL ? unit->file : procedure->file);
  bind_text (stmt, k++, procedure->title.it);
  bind_text (stmt, k++, procedure->title.en);
  bind_text (stmt, k++, procedure->area);
  bind_text (stmt, k++, procedure->authority);
  bind_text (stmt, k++, procedure->legal_basis);
  bind_text (stmt, k++, model != NULL ? model->id : procedure->cost_model);
  bind_text (stmt, k++, model != NULL ? model->version : NULL);
  sqlite3_bind_int (stmt, k++, procedure->price_year);
  bind_text (stmt, k++, procedure->currency != NULL ? procedure->currency : "EUR");
  bind_double (stmt, k++, before->total.cases);
  bind_text (stmt, k++, procedure->source);
  g_autofree char *what
      = g_strdup_printf (_ ("writing procedure \"%s\" (%s)"),
                         procedure->id != NULL ? procedure->id : "(no id)", u->file);
  if (!step_done (store, stmt, what, error))
    return FALSE;

  if (!write_figures (u, "", before, error))
    return FALSE;

  /* the scenarios, their figures and their measures */
  static const char scenario_sql[]
      = "INSERT INTO scenario (run_id, procedure_id, scenario_id, ordinal, file, parent_id, "
        "programme, title_it, title_en, iterations, one_off, one_off_years, one_off_per_year, "
        "payback_years, interaction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static const char measure_sql[]
      = "INSERT INTO measure (run_id, procedure_id, scenario_id, measure_id, ordinal, type, "
        "title_it, title_en, saving, saving_alone, citizens_hours, citizens_hours_alone, "
        "businesses, businesses_alone, one_off, justification, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const MoaStoreScenario *programme = NULL;
  for (guint s = 0; s < unit->n_scenarios; s++)
    {
      const MoaStoreScenario *sc = &unit->scenarios[s];
      const char *scenario_id = moa_scenario_get_id (sc->scenario);
      const MoaComparison *c = sc->comparison;
      if (sc->programme)
        {
          if (programme != NULL)
            {
              g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED,
                           _ ("%s: procedure \"%s\": scenarios \"%s\" and \"%s\" are both the "
                              "programme's (expected one)"),
                           u->file, u->procedure_id, moa_scenario_get_id (programme->scenario),
                           scenario_id);
              return FALSE;
            }
          programme = sc;
        }
      stmt = statement (store, scenario_sql, error);
      if (stmt == NULL)
        return FALSE;
      const MoaScenario *parent = moa_scenario_get_parent (sc->scenario);
      const MoaTitle *title = moa_scenario_get_title (sc->scenario);
      k = 1;
      sqlite3_bind_int64 (stmt, k++, u->run_id);
      bind_text (stmt, k++, u->procedure_id);
      bind_text (stmt, k++, scenario_id);
      sqlite3_bind_int (stmt, k++, (int)s);
      bind_text (stmt, k++, sc->file != NULL ? sc->file : moa_scenario_get_file (sc->scenario));
      bind_text (stmt, k++, parent != NULL ? moa_scenario_get_id (parent) : NULL);
      sqlite3_bind_int (stmt, k++, sc->programme ? 1 : 0);
      bind_text (stmt, k++, title != NULL ? title->it : NULL);
      bind_text (stmt, k++, title != NULL ? title->en : NULL);
      sqlite3_bind_int64 (stmt, k++, moa_comparison_get_iterations (c));
      bind_double (stmt, k++, moa_comparison_get_one_off (c));
      bind_double (stmt, k++, moa_scenario_get_one_off_years (sc->scenario));
      bind_double (stmt, k++, moa_comparison_get_one_off_per_year (c));
      bind_double (stmt, k++, moa_comparison_get_payback_years (c));
      bind_double (stmt, k++, moa_comparison_get_interaction (c));
      g_autofree char *scenario_what
          = g_strdup_printf (_ ("writing scenario \"%s\" (%s) of procedure \"%s\""), scenario_id,
                             sc->file != NULL ? sc->file : "?", u->procedure_id);
      if (!step_done (store, stmt, scenario_what, error))
        return FALSE;

      if (!write_figures (u, scenario_id, moa_comparison_get_after (c), error))
        return FALSE;

      GArray *measures = moa_comparison_get_measures (c);
      for (guint m = 0; m < measures->len; m++)
        {
          const MoaMeasureSaving *ms = &g_array_index (measures, MoaMeasureSaving, m);
          const MoaMeasure *measure = ms->measure;
          stmt = statement (store, measure_sql, error);
          if (stmt == NULL)
            return FALSE;
          k = 1;
          sqlite3_bind_int64 (stmt, k++, u->run_id);
          bind_text (stmt, k++, u->procedure_id);
          bind_text (stmt, k++, scenario_id);
          bind_text (stmt, k++, measure->id);
          sqlite3_bind_int (stmt, k++, (int)m);
          bind_text (stmt, k++, moa_measure_type_to_string (measure->type));
          bind_text (stmt, k++, measure->title.it);
          bind_text (stmt, k++, measure->title.en);
          bind_double (stmt, k++, ms->cumulative);
          bind_double (stmt, k++, ms->alone);
          bind_double (stmt, k++, ms->citizens_hours_cumulative);
          bind_double (stmt, k++, ms->citizens_hours_alone);
          bind_double (stmt, k++, ms->businesses_cumulative);
          bind_double (stmt, k++, ms->businesses_alone);
          bind_double (stmt, k++, ms->one_off_added);
          bind_text (stmt, k++, is_blank (measure->justification) ? NULL : measure->justification);
          bind_text (stmt, k++, is_blank (measure->source) ? NULL : measure->source);
          g_autofree char *measure_what = g_strdup_printf (
              _ ("writing measure \"%s\" of scenario \"%s\" of procedure \"%s\""), measure->id,
              scenario_id, u->procedure_id);
          if (!step_done (store, stmt, measure_what, error))
            return FALSE;
        }
    }

  /* Monte Carlo: the baseline's series from its own run, or else from the comparison of a
   * scenario built directly on the procedure (whose before run is the baseline's); each
   * scenario's after series from its comparison, and its saving against the baseline's series,
   * so that the saving of a scenario built on another one counts both, as its exact saving
   * does. Every run of a unit has the same seed and keyed draws: the series are paired. */
  const MoaSimulation *before_sim = unit->simulation;
  if (before_sim == NULL && programme != NULL
      && moa_scenario_get_parent (programme->scenario) == NULL)
    before_sim = moa_comparison_get_before_simulation (programme->comparison);
  for (guint s = 0; before_sim == NULL && s < unit->n_scenarios; s++)
    if (moa_scenario_get_parent (unit->scenarios[s].scenario) == NULL)
      before_sim = moa_comparison_get_before_simulation (unit->scenarios[s].comparison);

  if (before_sim != NULL && !write_simulation (u, "", before, before_sim, NULL, NULL, error))
    return FALSE;
  for (guint s = 0; s < unit->n_scenarios; s++)
    {
      const MoaComparison *c = unit->scenarios[s].comparison;
      const MoaSimulation *a = moa_comparison_get_after_simulation (c);
      if (a == NULL)
        continue;
      if (before_sim == NULL)
        {
          g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED,
                       _ ("%s: procedure \"%s\", scenario \"%s\": the saving of a scenario "
                          "built on another one needs the baseline's own Monte Carlo run"),
                       u->file, u->procedure_id, moa_scenario_get_id (unit->scenarios[s].scenario));
          return FALSE;
        }
      if (!write_simulation (u, moa_scenario_get_id (unit->scenarios[s].scenario), before,
                             before_sim, moa_comparison_get_after (c), a, error))
        return FALSE;
    }

  /* the register of assumptions */
  if (!write_procedure_assumptions (u, unit, error) || !write_model_assumptions (u, model, error))
    return FALSE;
  for (guint s = 0; s < unit->n_scenarios; s++)
    {
      const MoaCostModel *m = moa_comparison_get_after (unit->scenarios[s].comparison)->model;
      if (m != model && !write_model_assumptions (u, m, error))
        return FALSE;
    }

  /* the territories: the programme's after, or the baseline when the procedure has none */
  const MoaResult *after
      = programme != NULL ? moa_comparison_get_after (programme->comparison) : before;
  if (catalog != NULL && !write_territory_results (u, catalog, before, after, error))
    return FALSE;

  /* done */
  static const char unit_sql[]
      = "INSERT INTO unit (run_id, procedure_id, committed_at) VALUES (?, ?, ?)";
  stmt = statement (store, unit_sql, error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *now = now_iso8601 ();
  sqlite3_bind_int64 (stmt, 1, u->run_id);
  bind_text (stmt, 2, u->procedure_id);
  bind_text (stmt, 3, now);
  return step_done (store, stmt, what, error);
}

/* Writes @unit in one transaction (moa-store.h). */
gboolean
moa_store_write_unit (MoaStore *store, gint64 run_id, const MoaCatalog *catalog,
                      const MoaStoreUnit *unit, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (unit->procedure != NULL, FALSE);
  g_return_val_if_fail (unit->before != NULL, FALSE);
  g_return_val_if_fail (unit->scenarios != NULL || unit->n_scenarios == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  for (guint s = 0; s < unit->n_scenarios; s++)
    {
      g_return_val_if_fail (unit->scenarios[s].scenario != NULL, FALSE);
      g_return_val_if_fail (unit->scenarios[s].comparison != NULL, FALSE);
    }

  Unit u = { 0 };
  u.store = store;
  u.run_id = run_id;
  u.procedure_id = unit->procedure->id;
  u.file = unit->file != NULL              ? unit->file
           : unit->procedure->file != NULL ? unit->procedure->file
                                           : "?";

  if (!begin (store, TRUE, error))
    return FALSE;
  if (!check_run (store, run_id, NULL, error))
    goto fail;

  static const char done_sql[] = "SELECT 1 FROM unit WHERE run_id = ? AND procedure_id = ?";
  sqlite3_stmt *stmt = statement (store, done_sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, run_id);
  bind_text (stmt, 2, u.procedure_id);
  gboolean failed = FALSE;
  if (step_row (store, stmt, &failed, _ ("reading the units done"), error))
    {
      sqlite3_reset (stmt);
      g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_FAILED,
                   _ ("%s: procedure \"%s\" (%s) is already stored in run %" PRId64), store->path,
                   u.procedure_id, u.file, run_id);
      goto fail;
    }
  if (failed)
    goto fail;

  if (!write_unit_rows (&u, catalog, unit, error) || !commit (store, error))
    goto fail;
  return TRUE;

fail:
  rollback (store);
  return FALSE;
}

/* --- reading the report ----------------------------------------------------------------------- */

/* The exact figures and the samples of one procedure, or the sums over several. */
typedef struct
{
  double before[Q_N], after[Q_N];
  double one_off, one_off_per_year;
  guint n;          /* iterations of the samples; 0: none */
  gboolean sampled; /* every part added had samples of n iterations */
  gboolean empty;   /* nothing added yet */
  double *s_before[Q_N], *s_after[Q_N], *s_saving[Q_N];
} Sums;

static void
sums_init (Sums *s)
{
  memset (s, 0, sizeof *s);
  s->empty = TRUE;
  s->sampled = TRUE;
}

static void
sums_clear (Sums *s)
{
  for (int q = 0; q < Q_N; q++)
    {
      g_free (s->s_before[q]);
      g_free (s->s_after[q]);
      g_free (s->s_saving[q]);
    }
  sums_init (s);
}

static void
sums_add (Sums *acc, const Sums *x)
{
  for (int q = 0; q < Q_N; q++)
    {
      acc->before[q] += x->before[q];
      acc->after[q] += x->after[q];
    }
  acc->one_off += x->one_off;
  acc->one_off_per_year += isfinite (x->one_off_per_year) ? x->one_off_per_year : 0.0;

  gboolean first = acc->empty;
  acc->empty = FALSE;
  if (!acc->sampled)
    return;
  if (!x->sampled || x->n == 0 || (!first && x->n != acc->n))
    {
      acc->sampled = FALSE;
      return;
    }
  if (first)
    {
      acc->n = x->n;
      for (int q = 0; q < Q_N; q++)
        {
          acc->s_before[q] = g_new0 (double, acc->n);
          acc->s_after[q] = g_new0 (double, acc->n);
          acc->s_saving[q] = g_new0 (double, acc->n);
        }
    }
  /* iteration by iteration: iteration i of every procedure is one draw of the programme */
  for (int q = 0; q < Q_N; q++)
    for (guint i = 0; i < acc->n; i++)
      {
        acc->s_before[q][i] += x->s_before[q][i];
        acc->s_after[q][i] += x->s_after[q][i];
        acc->s_saving[q][i] += x->s_saving[q][i];
      }
}

static void
interval_of (const double *x, guint n, MoaReportInterval *out)
{
  memset (out, 0, sizeof *out);
  if (x == NULL || n == 0)
    return;
  static const double p[3] = { 0.05, 0.50, 0.95 };
  double q[3];
  g_autofree double *scratch = g_new (double, n);
  out->n = n;
  out->mean = moa_stats_mean_sd (x, n, &out->sd);
  moa_stats_quantiles (x, n, p, 3, q, scratch);
  out->p5 = q[0];
  out->p50 = q[1];
  out->p95 = q[2];
}

static void
figure_of (const Sums *s, int q, MoaReportFigure *f)
{
  memset (f, 0, sizeof *f);
  f->before = s->before[q];
  f->after = s->after[q];
  f->saving = f->before - f->after;
  f->saving_percent = f->before != 0.0 ? f->saving / f->before * 100.0 : 0.0;
  if (s->sampled && s->n > 0 && !s->empty)
    {
      interval_of (s->s_before[q], s->n, &f->before_interval);
      interval_of (s->s_after[q], s->n, &f->after_interval);
      interval_of (s->s_saving[q], s->n, &f->saving_interval);
    }
}

static void
totals_of (const Sums *s, MoaReportTotals *t)
{
  memset (t, 0, sizeof *t);
  figure_of (s, Q_BURDEN, &t->burden);
  figure_of (s, Q_CITIZENS_HOURS, &t->citizens_hours);
  figure_of (s, Q_CITIZENS_BURDEN, &t->citizens_cost);
  figure_of (s, Q_BUSINESSES, &t->businesses);
  t->one_off = s->one_off;
  t->one_off_per_year = s->one_off_per_year;
}

static void
title_set (MoaTitle *title, const char *it, const char *en)
{
  title->it = g_strdup (it);
  title->en = g_strdup (en);
}

/* What the reader keeps of one procedure while the report is assembled. */
typedef struct
{
  MoaReportProcedure *page; /* borrowed from the report */
  Sums sums;
  GHashTable *chain; /* the programme's scenario and those it is built on (ids) */
} ProcedureData;

static void
procedure_data_free (ProcedureData *d)
{
  sums_clear (&d->sums);
  g_clear_pointer (&d->chain, g_hash_table_unref);
  g_free (d);
}

/* The exact totals of scenario @scenario_id ("" the baseline) of a procedure, into @values. */
static gboolean
read_exact (MoaStore *store, gint64 run_id, const char *procedure_id, const char *scenario_id,
            double values[Q_N], GError **error)
{
  static const char sql[]
      = "SELECT kind, burden, hours FROM figure WHERE run_id = ? AND procedure_id = ? "
        "AND scenario_id = ? AND kind IN ('total', 'citizens', 'businesses')";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  bind_text (stmt, 2, procedure_id);
  bind_text (stmt, 3, scenario_id);
  for (int q = 0; q < Q_N; q++)
    values[q] = 0.0;
  gboolean failed = FALSE;
  while (step_row (store, stmt, &failed, _ ("reading the figures"), error))
    {
      const char *kind = (const char *)sqlite3_column_text (stmt, 0);
      double burden = sqlite3_column_double (stmt, 1), hours = sqlite3_column_double (stmt, 2);
      if (g_strcmp0 (kind, "total") == 0)
        values[Q_BURDEN] = burden;
      else if (g_strcmp0 (kind, "citizens") == 0)
        {
          values[Q_CITIZENS_HOURS] = hours;
          values[Q_CITIZENS_BURDEN] = burden;
        }
      else
        values[Q_BUSINESSES] = burden;
    }
  return !failed;
}

/* The samples of (@scenario_id, @side) of a procedure: out[q] new arrays of *@n values, or all
 * NULL when there are none (or not all four quantities). */
static gboolean
read_samples (MoaStore *store, gint64 run_id, const char *procedure_id, const char *scenario_id,
              const char *side, double *out[Q_N], guint *n, GError **error)
{
  static const char sql[]
      = "SELECT quantity, n, samples FROM sample WHERE run_id = ? AND procedure_id = ? "
        "AND scenario_id = ? AND side = ?";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  bind_text (stmt, 2, procedure_id);
  bind_text (stmt, 3, scenario_id);
  bind_text (stmt, 4, side);
  *n = 0;
  for (int q = 0; q < Q_N; q++)
    out[q] = NULL;
  gboolean failed = FALSE, consistent = TRUE;
  while (step_row (store, stmt, &failed, _ ("reading the Monte Carlo samples"), error))
    {
      int q = quantity_from_name ((const char *)sqlite3_column_text (stmt, 0));
      guint count = (guint)sqlite3_column_int64 (stmt, 1);
      const guint8 *blob = sqlite3_column_blob (stmt, 2);
      if (q < 0 || out[q] != NULL || (*n != 0 && count != *n)
          || sqlite3_column_bytes (stmt, 2) != (int)(count * 8) || blob == NULL)
        {
          consistent = FALSE;
          continue;
        }
      *n = count;
      out[q] = g_new (double, count);
      samples_from_blob (blob, count, out[q]);
    }
  for (int q = 0; q < Q_N; q++)
    if (out[q] == NULL)
      consistent = FALSE;
  if (failed || !consistent)
    {
      for (int q = 0; q < Q_N; q++)
        g_clear_pointer (&out[q], g_free);
      *n = 0;
    }
  return !failed;
}

/* An obligation or activity row, keyed for matching before and after. */
static char *
item_key (const MoaReportItem *item)
{
  return g_strconcat (item->obligation_id, "\x1f", item->activity_id ? item->activity_id : "",
                      "\x1f", item->segment_id ? item->segment_id : "", NULL);
}

/* The obligations (or activities) of a procedure: the baseline's, in procedure order, each
 * with its after in @programme_id (NULL: none, after = before; absent from the after: 0), then
 * those only the after has. */
static gboolean
read_items (MoaStore *store, gint64 run_id, const char *procedure_id, const char *programme_id,
            gboolean activities, GPtrArray *out, GError **error)
{
  static const char sql[]
      = "SELECT entity_id, obligation_id, segment_id, title_it, title_en, legal_reference, "
        "burden, citizens_hours FROM figure WHERE run_id = ? AND procedure_id = ? "
        "AND scenario_id = ? AND kind = ? ORDER BY ordinal";
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int side = 0; side < 2; side++)
    {
      if (side == 1 && programme_id == NULL)
        break;
      sqlite3_stmt *stmt = statement (store, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run_id);
      bind_text (stmt, 2, procedure_id);
      bind_text (stmt, 3, side == 0 ? "" : programme_id);
      bind_text (stmt, 4, activities ? "activity" : "obligation");
      gboolean failed = FALSE;
      while (step_row (store, stmt, &failed, _ ("reading the figures"), error))
        {
          double burden = sqlite3_column_double (stmt, 6);
          double hours = sqlite3_column_double (stmt, 7);
          MoaReportItem *item = moa_report_item_new ();
          item->procedure_id = g_strdup (procedure_id);
          if (activities)
            {
              item->activity_id = column_dup (stmt, 0);
              item->obligation_id = column_dup (stmt, 1);
              item->segment_id = column_dup (stmt, 2);
            }
          else
            item->obligation_id = column_dup (stmt, 0);
          char *key = item_key (item);
          MoaReportItem *found = g_hash_table_lookup (index, key);
          if (side == 1 && found != NULL)
            {
              found->after = burden;
              found->hours_after = hours;
              moa_report_item_free (item);
              g_free (key);
              continue;
            }
          title_set (&item->title, (const char *)sqlite3_column_text (stmt, 3),
                     (const char *)sqlite3_column_text (stmt, 4));
          item->legal_reference = column_dup (stmt, 5);
          if (side == 0)
            {
              item->before = burden;
              item->hours_before = hours;
              /* no programme: after = before; else 0 until the after is found */
              item->after = programme_id == NULL ? burden : 0.0;
              item->hours_after = programme_id == NULL ? hours : 0.0;
            }
          else
            {
              item->after = burden;
              item->hours_after = hours;
            }
          g_hash_table_insert (index, key, item);
          g_ptr_array_add (out, item);
        }
      if (failed)
        return FALSE;
    }
  return TRUE;
}

static MoaReportMeasure *
measure_from_row (sqlite3_stmt *stmt)
{
  /* columns: procedure_id, scenario_id, measure_id, title_it, title_en, type, saving,
   * saving_alone, citizens_hours, businesses, one_off, justification, source */
  MoaReportMeasure *m = moa_report_measure_new ();
  m->procedure_id = column_dup (stmt, 0);
  m->scenario_id = column_dup (stmt, 1);
  m->measure_id = column_dup (stmt, 2);
  title_set (&m->title, (const char *)sqlite3_column_text (stmt, 3),
             (const char *)sqlite3_column_text (stmt, 4));
  m->type = column_dup (stmt, 5);
  m->saving = column_double (stmt, 6);
  m->saving_alone = column_double (stmt, 7);
  m->citizens_hours = column_double (stmt, 8);
  m->businesses = column_double (stmt, 9);
  m->one_off = column_double (stmt, 10);
  m->justification = column_dup (stmt, 11);
  m->source = column_dup (stmt, 12);
  return m;
}

#define MEASURE_COLUMNS                                                                            \
  "procedure_id, scenario_id, measure_id, title_it, title_en, type, saving, saving_alone, "        \
  "citizens_hours, businesses, one_off, justification, source "

/* A procedure's page: its scenarios (the programme's chain), totals, items and measures. */
static gboolean
read_procedure (MoaStore *store, gint64 run_id, ProcedureData *d, GError **error)
{
  MoaReportProcedure *page = d->page;

  /* the scenarios: the programme and, through parent_id, those it is built on */
  static const char scenario_sql[]
      = "SELECT scenario_id, parent_id, programme, title_it, title_en, one_off, "
        "one_off_per_year, payback_years FROM scenario WHERE run_id = ? AND procedure_id = ? "
        "ORDER BY ordinal";
  sqlite3_stmt *stmt = statement (store, scenario_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  bind_text (stmt, 2, page->id);
  g_autoptr (GHashTable) parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* scenario id -> its one-off cost and yearly share, each added to what it is built on */
  g_autoptr (GHashTable) one_offs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean failed = FALSE;
  page->payback_years = NAN;
  while (step_row (store, stmt, &failed, _ ("reading the scenarios"), error))
    {
      char *id = column_dup (stmt, 0);
      g_hash_table_insert (parents, id, column_dup (stmt, 1));
      if (sqlite3_column_int (stmt, 2) == 1)
        {
          page->scenario_id = g_strdup (id);
          title_set (&page->scenario_title, (const char *)sqlite3_column_text (stmt, 3),
                     (const char *)sqlite3_column_text (stmt, 4));
          page->payback_years = column_double (stmt, 7);
        }
      double one_off[2] = { sqlite3_column_double (stmt, 5), column_double (stmt, 6) };
      g_hash_table_insert (one_offs, g_strdup (id), g_memdup2 (one_off, sizeof one_off));
    }
  if (failed)
    return FALSE;
  /* the chain, root first */
  g_autoptr (GPtrArray) chain = g_ptr_array_new ();
  d->chain = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (const char *id = page->scenario_id;
       id != NULL && g_hash_table_contains (parents, id) && !g_hash_table_contains (d->chain, id);
       id = g_hash_table_lookup (parents, id))
    {
      gpointer key = NULL;
      g_hash_table_lookup_extended (parents, id, &key, NULL);
      g_hash_table_add (d->chain, g_strdup (key));
      g_ptr_array_insert (chain, 0, key);
    }

  /* The one-off cost of the programme: what each scenario of the chain adds to the one below */
  gboolean per_year_known = FALSE;
  for (guint c = 0; c < chain->len; c++)
    {
      const double *one_off = g_hash_table_lookup (one_offs, g_ptr_array_index (chain, c));
      d->sums.one_off += one_off[0];
      if (isfinite (one_off[1]))
        {
          d->sums.one_off_per_year += one_off[1];
          per_year_known = TRUE;
        }
    }
  if (!per_year_known)
    d->sums.one_off_per_year = chain->len > 0 ? NAN : 0;

  /* exact totals and samples */
  const char *after_id = page->scenario_id != NULL ? page->scenario_id : "";
  if (!read_exact (store, run_id, page->id, "", d->sums.before, error)
      || !read_exact (store, run_id, page->id, after_id, d->sums.after, error))
    return FALSE;
  d->sums.empty = FALSE;
  guint nb = 0, na = 0, ns = 0;
  if (!read_samples (store, run_id, page->id, "", "before", d->sums.s_before, &nb, error))
    return FALSE;
  if (page->scenario_id != NULL)
    {
      if (!read_samples (store, run_id, page->id, page->scenario_id, "after", d->sums.s_after, &na,
                         error)
          || !read_samples (store, run_id, page->id, page->scenario_id, "saving", d->sums.s_saving,
                            &ns, error))
        return FALSE;
    }
  else if (nb > 0)
    {
      /* no programme for it: after = before, no saving */
      na = ns = nb;
      for (int q = 0; q < Q_N; q++)
        {
          d->sums.s_after[q] = g_memdup2 (d->sums.s_before[q], sizeof (double) * nb);
          d->sums.s_saving[q] = g_new0 (double, nb);
        }
    }
  d->sums.n = nb;
  d->sums.sampled = nb > 0 && na == nb && ns == nb;
  totals_of (&d->sums, &page->totals);
  if (chain->len > 1) /* the pay-back of the whole chain, as moa_compare() defines it */
    page->payback_years = d->sums.one_off > 0 && page->totals.burden.saving > 0
                              ? d->sums.one_off / page->totals.burden.saving
                              : NAN;

  /* obligations, activities */
  if (!read_items (store, run_id, page->id, page->scenario_id, FALSE, page->obligations, error)
      || !read_items (store, run_id, page->id, page->scenario_id, TRUE, page->activities, error))
    return FALSE;

  /* the measures of the chain, in the order they apply */
  static const char measure_sql[] = "SELECT " MEASURE_COLUMNS "FROM measure WHERE run_id = ? "
                                    "AND procedure_id = ? AND scenario_id = ? ORDER BY ordinal";
  for (guint c = 0; c < chain->len; c++)
    {
      stmt = statement (store, measure_sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run_id);
      bind_text (stmt, 2, page->id);
      bind_text (stmt, 3, g_ptr_array_index (chain, c));
      while (step_row (store, stmt, &failed, _ ("reading the measures"), error))
        g_ptr_array_add (page->measures, measure_from_row (stmt));
      if (failed)
        return FALSE;
    }
  return TRUE;
}

static int
compare_rows_by_burden (gconstpointer a, gconstpointer b)
{
  const MoaReportRow *x = *(MoaReportRow *const *)a, *y = *(MoaReportRow *const *)b;
  double bx = x->totals.burden.before, by = y->totals.burden.before;
  if (bx != by)
    return bx > by ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

/* The rows by area (with the intervals of the samples summed over the area's procedures). */
static void
assemble_areas (MoaReport *report, GPtrArray *procedures)
{
  g_autoptr (GHashTable) areas = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GArray) sums = g_array_new (FALSE, TRUE, sizeof (Sums));
  for (guint i = 0; i < procedures->len; i++)
    {
      ProcedureData *d = g_ptr_array_index (procedures, i);
      /* a procedure without <area>: "altro", the format's catch-all area */
      const char *area = d->page->area != NULL ? d->page->area : "altro";
      gpointer index;
      if (!g_hash_table_lookup_extended (areas, area, NULL, &index))
        {
          index = GUINT_TO_POINTER (order->len);
          g_hash_table_insert (areas, (gpointer)area, index);
          g_ptr_array_add (order, (gpointer)area);
          Sums s;
          sums_init (&s);
          g_array_append_val (sums, s);
        }
      sums_add (&g_array_index (sums, Sums, GPOINTER_TO_UINT (index)), &d->sums);
    }
  for (guint i = 0; i < order->len; i++)
    {
      MoaReportRow *row = moa_report_row_new ();
      row->key = g_strdup (g_ptr_array_index (order, i));
      title_set (&row->title, row->key, row->key);
      totals_of (&g_array_index (sums, Sums, i), &row->totals);
      sums_clear (&g_array_index (sums, Sums, i));
      g_ptr_array_add (report->by_area, row);
    }
  g_ptr_array_sort (report->by_area, compare_rows_by_burden);
}

/* One row per target-group kind: citizens (their euros and hours), businesses (their euros). */
static void
assemble_groups (MoaReport *report, const Sums *programme)
{
  MoaReportRow *citizens = moa_report_row_new ();
  citizens->key = g_strdup ("citizen");
  citizens->kind = g_strdup ("citizen");
  title_set (&citizens->title, "Cittadini", "Citizens");
  figure_of (programme, Q_CITIZENS_BURDEN, &citizens->totals.burden);
  figure_of (programme, Q_CITIZENS_HOURS, &citizens->totals.citizens_hours);
  figure_of (programme, Q_CITIZENS_BURDEN, &citizens->totals.citizens_cost);
  g_ptr_array_add (report->by_group, citizens);

  MoaReportRow *businesses = moa_report_row_new ();
  businesses->key = g_strdup ("business");
  businesses->kind = g_strdup ("business");
  title_set (&businesses->title, "Imprese", "Businesses");
  figure_of (programme, Q_BUSINESSES, &businesses->totals.burden);
  figure_of (programme, Q_BUSINESSES, &businesses->totals.businesses);
  g_ptr_array_add (report->by_group, businesses);
}

static void
point_figure (MoaReportFigure *f, double before, double after)
{
  memset (f, 0, sizeof *f);
  f->before = before;
  f->after = after;
  f->saving = before - after;
  f->saving_percent = before != 0.0 ? f->saving / before * 100.0 : 0.0;
}

/* Provinces when the run has any, else the 20 territories with the largest burden. */
static gboolean
read_territories (MoaStore *store, gint64 run_id, MoaReport *report, GError **error)
{
  static const char count_sql[]
      = "SELECT count(*) FROM territory WHERE run_id = ? AND kind = 'province'";
  sqlite3_stmt *stmt = statement (store, count_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  gboolean failed = FALSE;
  if (!step_row (store, stmt, &failed, _ ("reading the territories"), error))
    return FALSE;
  gboolean provinces = sqlite3_column_int64 (stmt, 0) > 0;
  sqlite3_reset (stmt);

/* The results are summed per territory first, in one pass over the run's rows: joined row by
 * row, SQLite scanned them all again for each territory (a minute for 1,500 municipalities). */
#define TERRITORY_QUERY(filter, limit)                                                             \
  "SELECT t.territory_id, t.name, t.kind, r.bb, r.ba, r.hb, r.ha, r.cb, r.ca, r.fb, r.fa "         \
  "FROM territory t JOIN (SELECT territory_id, "                                                   \
  "sum (burden_before) AS bb, sum (burden_after) AS ba, "                                          \
  "sum (citizens_hours_before) AS hb, sum (citizens_hours_after) AS ha, "                          \
  "sum (citizens_burden_before) AS cb, sum (citizens_burden_after) AS ca, "                        \
  "sum (businesses_before) AS fb, sum (businesses_after) AS fa "                                   \
  "FROM territory_result WHERE run_id = ?1 GROUP BY territory_id) r "                              \
  "ON r.territory_id = t.territory_id "                                                            \
  "WHERE t.run_id = ?1 " filter " ORDER BY r.bb DESC, t.ordinal " limit
  static const char province_sql[] = TERRITORY_QUERY ("AND t.kind = 'province'", "");
  static const char largest_sql[] = TERRITORY_QUERY ("", "LIMIT 20");
#undef TERRITORY_QUERY
  stmt = statement (store, provinces ? province_sql : largest_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while (step_row (store, stmt, &failed, _ ("reading the territories"), error))
    {
      MoaReportRow *row = moa_report_row_new ();
      row->key = column_dup (stmt, 0);
      title_set (&row->title, (const char *)sqlite3_column_text (stmt, 1),
                 (const char *)sqlite3_column_text (stmt, 1));
      row->kind = column_dup (stmt, 2);
      point_figure (&row->totals.burden, sqlite3_column_double (stmt, 3),
                    sqlite3_column_double (stmt, 4));
      point_figure (&row->totals.citizens_hours, sqlite3_column_double (stmt, 5),
                    sqlite3_column_double (stmt, 6));
      point_figure (&row->totals.citizens_cost, sqlite3_column_double (stmt, 7),
                    sqlite3_column_double (stmt, 8));
      point_figure (&row->totals.businesses, sqlite3_column_double (stmt, 9),
                    sqlite3_column_double (stmt, 10));
      g_ptr_array_add (report->by_territory, row);
    }
  return !failed;
}

static gboolean
read_top_obligations (MoaStore *store, gint64 run_id, MoaReport *report, GError **error)
{
  static const char sql[]
      = "SELECT b.procedure_id, b.entity_id, b.title_it, b.title_en, b.legal_reference, "
        "b.burden, b.citizens_hours, s.scenario_id, a.burden, a.citizens_hours "
        "FROM figure b "
        "LEFT JOIN scenario s ON s.run_id = b.run_id AND s.procedure_id = b.procedure_id "
        "AND s.programme = 1 "
        "LEFT JOIN figure a ON a.run_id = b.run_id AND a.procedure_id = b.procedure_id "
        "AND a.scenario_id = s.scenario_id AND a.kind = 'obligation' "
        "AND a.entity_id = b.entity_id AND a.obligation_id = '' AND a.segment_id = '' "
        "WHERE b.run_id = ? AND b.kind = 'obligation' AND b.scenario_id = '' "
        "ORDER BY b.burden DESC, b.procedure_id, b.ordinal LIMIT 10";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  gboolean failed = FALSE;
  while (step_row (store, stmt, &failed, _ ("reading the obligations"), error))
    {
      MoaReportItem *item = moa_report_item_new ();
      item->procedure_id = column_dup (stmt, 0);
      item->obligation_id = column_dup (stmt, 1);
      title_set (&item->title, (const char *)sqlite3_column_text (stmt, 2),
                 (const char *)sqlite3_column_text (stmt, 3));
      item->legal_reference = column_dup (stmt, 4);
      item->before = sqlite3_column_double (stmt, 5);
      item->hours_before = sqlite3_column_double (stmt, 6);
      gboolean has_programme = sqlite3_column_type (stmt, 7) != SQLITE_NULL;
      /* after: the programme's figure, 0 when it removed the obligation, the baseline's when
       * the procedure has no programme */
      item->after = !has_programme ? item->before : sqlite3_column_double (stmt, 8);
      item->hours_after = !has_programme ? item->hours_before : sqlite3_column_double (stmt, 9);
      g_ptr_array_add (report->top_obligations, item);
    }
  return !failed;
}

static int
compare_measures (gconstpointer a, gconstpointer b)
{
  const MoaReportMeasure *x = *(MoaReportMeasure *const *)a, *y = *(MoaReportMeasure *const *)b;
  if (x->saving != y->saving)
    return x->saving > y->saving ? -1 : 1;
  int c = g_strcmp0 (x->procedure_id, y->procedure_id);
  if (c != 0)
    return c;
  c = g_strcmp0 (x->scenario_id, y->scenario_id);
  return c != 0 ? c : g_strcmp0 (x->measure_id, y->measure_id);
}

/* Every measure of the programme (each procedure's programme scenario and those it is built
 * on), by saving. */
static gboolean
read_measures (MoaStore *store, gint64 run_id, GHashTable *by_id, MoaReport *report, GError **error)
{
  static const char sql[] = "SELECT " MEASURE_COLUMNS "FROM measure WHERE run_id = ? "
                            "ORDER BY saving DESC, procedure_id, scenario_id, measure_id";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  gboolean failed = FALSE;
  while (step_row (store, stmt, &failed, _ ("reading the measures"), error))
    {
      const ProcedureData *d
          = g_hash_table_lookup (by_id, (const char *)sqlite3_column_text (stmt, 0));
      if (d == NULL || !g_hash_table_contains (d->chain, sqlite3_column_text (stmt, 1)))
        continue;
      g_ptr_array_add (report->measures, measure_from_row (stmt));
    }
  /* SQLite sorts NULL first and compares with its own collation: make the order exact */
  g_ptr_array_sort (report->measures, compare_measures);
  return !failed;
}

static MoaReportSourceFrom
source_from_name (const char *name)
{
  if (g_strcmp0 (name, "element") == 0)
    return MOA_REPORT_SOURCE_ELEMENT;
  if (g_strcmp0 (name, "obligation") == 0)
    return MOA_REPORT_SOURCE_OBLIGATION;
  if (g_strcmp0 (name, "procedure") == 0)
    return MOA_REPORT_SOURCE_PROCEDURE;
  if (g_strcmp0 (name, "model") == 0)
    return MOA_REPORT_SOURCE_MODEL;
  return MOA_REPORT_SOURCE_NONE;
}

/* The register: the cost model's values, then per procedure (catalog order) its baseline
 * values and those of its programme's scenarios. */
static gboolean
read_assumptions (MoaStore *store, gint64 run_id, GHashTable *by_id, MoaReport *report,
                  GError **error)
{
  static const char sql[]
      = "SELECT a.procedure_id, a.scenario_id, a.element, a.segment_id, a.parameter, a.value, "
        "a.source, a.source_from FROM assumption a "
        "LEFT JOIN procedure p ON p.run_id = a.run_id AND p.procedure_id = a.procedure_id "
        "LEFT JOIN scenario s ON s.run_id = a.run_id AND s.procedure_id = a.procedure_id "
        "AND s.scenario_id = a.scenario_id "
        "WHERE a.run_id = ? "
        "ORDER BY a.procedure_id <> '', p.ordinal IS NULL, p.ordinal, a.procedure_id, "
        "a.scenario_id <> '', s.ordinal, a.ordinal";
  sqlite3_stmt *stmt = statement (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  gboolean failed = FALSE;
  while (step_row (store, stmt, &failed, _ ("reading the assumptions"), error))
    {
      const char *procedure_id = (const char *)sqlite3_column_text (stmt, 0);
      const char *scenario_id = (const char *)sqlite3_column_text (stmt, 1);
      if (procedure_id[0] != '\0' && scenario_id[0] != '\0')
        {
          const ProcedureData *d = g_hash_table_lookup (by_id, procedure_id);
          if (d == NULL || !g_hash_table_contains (d->chain, scenario_id))
            continue;
        }
      MoaReportAssumption *a = moa_report_assumption_new ();
      a->procedure_id = procedure_id[0] != '\0' ? g_strdup (procedure_id) : NULL;
      a->scenario_id = scenario_id[0] != '\0' ? g_strdup (scenario_id) : NULL;
      a->element = column_dup (stmt, 2);
      const char *segment = (const char *)sqlite3_column_text (stmt, 3);
      const char *parameter = (const char *)sqlite3_column_text (stmt, 4);
      a->parameter = segment != NULL && segment[0] != '\0'
                         ? g_strconcat (parameter, "@", segment, NULL)
                         : g_strdup (parameter);
      a->value = column_dup (stmt, 5);
      a->source = column_dup (stmt, 6);
      a->source_from = source_from_name ((const char *)sqlite3_column_text (stmt, 7));
      g_ptr_array_add (report->assumptions, a);
    }
  return !failed;
}

static gboolean
read_report (MoaStore *store, gint64 run_id, MoaReport *report, GError **error)
{
  g_autoptr (MoaStoreRun) run = moa_store_get_run (store, run_id, error);
  if (run == NULL)
    return FALSE;
  run_id = run->id;
  report->run_id = run->id;
  report->catalog_id = g_strdup (run->catalog_id);
  report->moa_version = g_strdup (run->moa_version);
  report->started_at = g_strdup (run->started_at);
  report->finished_at = g_strdup (run->finished_at);
  report->seed = run->seed;
  report->iterations = run->iterations;
  report->cost_model = g_strdup (run->cost_model);
  report->cost_model_version = g_strdup (run->cost_model_version);
  report->price_year = run->price_year;
  report->currency = g_strdup (run->currency);

  static const char title_sql[] = "SELECT catalog_title_it, catalog_title_en FROM run WHERE id = ?";
  sqlite3_stmt *stmt = statement (store, title_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  gboolean failed = FALSE;
  if (step_row (store, stmt, &failed, _ ("reading a run"), error))
    {
      title_set (&report->catalog_title, (const char *)sqlite3_column_text (stmt, 0),
                 (const char *)sqlite3_column_text (stmt, 1));
      sqlite3_reset (stmt);
    }
  if (failed)
    return FALSE;

  /* inputs */
  static const char input_sql[]
      = "SELECT path, role, sha256 FROM input_file WHERE run_id = ? ORDER BY ordinal";
  stmt = statement (store, input_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  while (step_row (store, stmt, &failed, _ ("reading the input files"), error))
    {
      MoaReportInput *input = moa_report_input_new ();
      input->path = column_dup (stmt, 0);
      input->role = column_dup (stmt, 1);
      input->sha256 = column_dup (stmt, 2);
      g_ptr_array_add (report->inputs, input);
    }
  if (failed)
    return FALSE;

  /* the procedures done, catalog order */
  static const char procedure_sql[]
      = "SELECT p.procedure_id, p.file, p.title_it, p.title_en, p.area, p.authority, "
        "p.legal_basis, p.cases FROM procedure p JOIN unit u "
        "ON u.run_id = p.run_id AND u.procedure_id = p.procedure_id "
        "WHERE p.run_id = ? ORDER BY p.ordinal IS NULL, p.ordinal, p.procedure_id";
  stmt = statement (store, procedure_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  g_autoptr (GPtrArray) procedures
      = g_ptr_array_new_with_free_func ((GDestroyNotify)procedure_data_free);
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  while (step_row (store, stmt, &failed, _ ("reading the procedures"), error))
    {
      MoaReportProcedure *page = moa_report_procedure_new ();
      page->id = column_dup (stmt, 0);
      page->file = column_dup (stmt, 1);
      title_set (&page->title, (const char *)sqlite3_column_text (stmt, 2),
                 (const char *)sqlite3_column_text (stmt, 3));
      page->area = column_dup (stmt, 4);
      page->authority = column_dup (stmt, 5);
      page->legal_basis = column_dup (stmt, 6);
      page->cases = sqlite3_column_double (stmt, 7);
      page->payback_years = NAN;
      g_ptr_array_add (report->procedures, page);
      ProcedureData *d = g_new0 (ProcedureData, 1);
      d->page = page;
      sums_init (&d->sums);
      g_ptr_array_add (procedures, d);
      g_hash_table_insert (by_id, page->id, d);
    }
  if (failed)
    return FALSE;

  Sums programme;
  sums_init (&programme);
  for (guint i = 0; i < procedures->len; i++)
    {
      ProcedureData *d = g_ptr_array_index (procedures, i);
      if (!read_procedure (store, run_id, d, error))
        {
          sums_clear (&programme);
          return FALSE;
        }
      sums_add (&programme, &d->sums);
    }
  totals_of (&programme, &report->totals);
  assemble_groups (report, &programme);
  sums_clear (&programme);
  assemble_areas (report, procedures);

  return read_territories (store, run_id, report, error)
         && read_top_obligations (store, run_id, report, error)
         && read_measures (store, run_id, by_id, report, error)
         && read_assumptions (store, run_id, by_id, report, error);
}

/* The report of run @run_id, read in one transaction (a consistent snapshot while a batch
 * writes). */
MoaReport *
moa_store_read_report (MoaStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (run_id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin (store, FALSE, error))
    return NULL;
  g_autoptr (MoaReport) report = moa_report_new ();
  gboolean ok = read_report (store, run_id, report, error);
  rollback (store); /* a read-only transaction: nothing to commit */
  return ok ? g_steal_pointer (&report) : NULL;
}
