/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batch runs (issue 5): a small catalog (tests/test-batch/) run in-process into a result store
 * (units, run record, input hashes, a territory's scaled burden by hand), the same results with
 * 1 and 2 jobs, the real moa killed with SIGKILL at several points and resumed until complete
 * against an uninterrupted run, --resume refusing changed inputs or options, a bad procedure
 * failing the run, and moa runs. */

#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "moa-batch.h"
#include "moa-catalog.h"
#include "moa-cli.h"
#include "moa-config.h"
#include "moa-lang.h"
#include "moa-store.h"
#include "moa-test-support.h"
#include "moa.h"

#define REL_TOL 1e-9

/* The files of the catalog under tests/test-batch/, relative to the source root. */
static const char *const procedure_files[] = {
  "procedures/certificato-anagrafico.xml",
  "procedures/cila-edilizia.xml",
  "procedures/aua.xml",
};
static const char *const scenario_files[] = {
  "procedures/scenarios/certificato-anpr-self-service.xml",
  "procedures/scenarios/cila-archivio-digitale.xml",
  "procedures/scenarios/aua-autorizzazioni-generali.xml",
  "procedures/scenarios/aua-rinnovo-semplificato.xml", /* the parent of the one above */
};

static MoaModelSet *models;

/* The source root: tests/.. */
static char *
root_path (const char *relative)
{
  g_autofree char *root = g_build_filename (moa_test_srcdir (), "..", relative, NULL);
  return g_canonicalize_filename (root, NULL);
}

static char *
catalog_path (void)
{
  return g_build_filename (moa_test_srcdir (), "test-batch", "catalog.xml", NULL);
}

#define assert_close(a, e, what)                                                                   \
  moa_test_assert_close_impl ((a), (e), REL_TOL, (what), __FILE__, __LINE__)

static char *
file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    fail_msg ("%s", error->message);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, len);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (to);
  g_mkdir_with_parents (dir, 0700);
  if (!g_file_get_contents (from, &data, &len, &error)
      || !g_file_set_contents (to, data, (gssize)len, &error))
    fail_msg ("%s", error->message);
}

/* A temporary folder with a copy of the catalog, its CSV, procedures and scenarios laid out as
 * in the source tree (TMP/tests/test-batch/catalog.xml, TMP/procedures/...). */
static char *
make_tree (void)
{
  char *tmp = moa_test_make_tmp_dir ("moa-test-batch-XXXXXX");
  const char *own[] = { "catalog.xml", "territories.csv" };
  for (gsize i = 0; i < G_N_ELEMENTS (own); i++)
    {
      g_autofree char *from = g_build_filename (moa_test_srcdir (), "test-batch", own[i], NULL);
      g_autofree char *to = g_build_filename (tmp, "tests", "test-batch", own[i], NULL);
      copy_file (from, to);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (procedure_files) + G_N_ELEMENTS (scenario_files); i++)
    {
      const char *rel = i < G_N_ELEMENTS (procedure_files)
                            ? procedure_files[i]
                            : scenario_files[i - G_N_ELEMENTS (procedure_files)];
      g_autofree char *from = root_path (rel);
      g_autofree char *to = g_build_filename (tmp, rel, NULL);
      copy_file (from, to);
    }
  return tmp;
}

static MoaCatalog *
load_catalog (const char *path)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  MoaCatalog *catalog = moa_catalog_load_file (path, problems, &error);
  if (catalog == NULL || problems->len > 0)
    fail_msg ("%s: %s", path, error ? error->message : "problems");
  return catalog;
}

static MoaStore *
open_store (const char *path)
{
  g_autoptr (GError) error = NULL;
  MoaStore *store = moa_store_open (path, TRUE, &error);
  if (store == NULL)
    fail_msg ("%s", error->message);
  return store;
}

/* A batch of a test: a tree from make_tree() with a catalog, its store and the options. */
typedef struct
{
  char *tree;
  char *path; /* the catalog */
  char *db;   /* TREE/results.db */
  MoaCatalog *catalog;
  MoaStore *store;         /* open on db; NULL once the test closes it */
  MoaBatchOptions options; /* moa_batch_options_init()'s, with one job */
} Batch;

/* A new tree with a catalog written into TREE/tests/test-batch/@name, with the id @id, the
 * title @title and the procedure elements @procedures (format 1, it-moa, 2024 prices,
 * population 10,000,000), or with the copy of the test catalog when @name is NULL; the catalog
 * loaded and a new store opened on TREE/results.db. */
static Batch *
batch_new (const char *name, const char *id, const char *title, const char *procedures)
{
  Batch *b = g_new0 (Batch, 1);
  b->tree = make_tree ();
  b->path = g_build_filename (b->tree, "tests", "test-batch", name ? name : "catalog.xml", NULL);
  if (name != NULL)
    {
      g_autofree char *xml = g_strdup_printf (
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<catalog format=\"1\" id=\"%s\" cost-model=\"it-moa\" price-year=\"2024\" "
          "population=\"10000000\">\n"
          "  <title lang=\"en\">%s</title>\n"
          "%s"
          "</catalog>\n",
          id, title, procedures);
      assert_true (g_file_set_contents (b->path, xml, -1, NULL));
    }
  b->db = g_build_filename (b->tree, "results.db", NULL);
  b->catalog = load_catalog (b->path);
  b->store = open_store (b->db);
  moa_batch_options_init (&b->options);
  b->options.jobs = 1;
  return b;
}

/* Closes the store, removes the tree and frees @b. */
static void
batch_free (Batch *b)
{
  g_clear_pointer (&b->store, moa_store_close);
  g_clear_pointer (&b->catalog, moa_catalog_free);
  moa_test_remove_tree (b->tree);
  g_free (b->tree);
  g_free (b->path);
  g_free (b->db);
  g_free (b);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

/* ------------------------------------------------------------------------------------------ */
/* A dump of what the report of a run shows, without the run id and timestamps: two runs with
 * the same results give the same text. */

static void
dump_interval (GString *s, const MoaReportInterval *i)
{
  g_string_append_printf (s, " [n=%u %.17g %.17g %.17g %.17g %.17g]", i->n, i->mean, i->sd, i->p5,
                          i->p50, i->p95);
}

static void
dump_figure (GString *s, const char *name, const MoaReportFigure *f)
{
  g_string_append_printf (s, "  %s %.17g %.17g %.17g %.17g", name, f->before, f->after, f->saving,
                          f->saving_percent);
  dump_interval (s, &f->before_interval);
  dump_interval (s, &f->after_interval);
  dump_interval (s, &f->saving_interval);
  g_string_append_c (s, '\n');
}

static void
dump_totals (GString *s, const MoaReportTotals *t)
{
  dump_figure (s, "burden", &t->burden);
  dump_figure (s, "citizens_hours", &t->citizens_hours);
  dump_figure (s, "citizens_cost", &t->citizens_cost);
  dump_figure (s, "businesses", &t->businesses);
  g_string_append_printf (s, "  one_off %.17g %.17g\n", t->one_off, t->one_off_per_year);
}

static void
dump_rows (GString *s, const char *what, GPtrArray *rows)
{
  for (guint i = 0; rows && i < rows->len; i++)
    {
      const MoaReportRow *r = g_ptr_array_index (rows, i);
      g_string_append_printf (s, "%s %s %s\n", what, r->key, r->kind ? r->kind : "-");
      dump_totals (s, &r->totals);
    }
}

static void
dump_items (GString *s, GPtrArray *items)
{
  for (guint i = 0; items && i < items->len; i++)
    {
      const MoaReportItem *it = g_ptr_array_index (items, i);
      g_string_append_printf (s, "  item %s %s %s %s %.17g %.17g %.17g %.17g\n", it->procedure_id,
                              it->obligation_id, it->activity_id ? it->activity_id : "-",
                              it->segment_id ? it->segment_id : "-", it->before, it->after,
                              it->hours_before, it->hours_after);
    }
}

static void
dump_measures (GString *s, GPtrArray *measures)
{
  for (guint i = 0; measures && i < measures->len; i++)
    {
      const MoaReportMeasure *m = g_ptr_array_index (measures, i);
      g_string_append_printf (s, "  measure %s %s %s %s %.17g %.17g %.17g %.17g %.17g\n",
                              m->procedure_id, m->scenario_id, m->measure_id, m->type, m->saving,
                              m->saving_alone, m->citizens_hours, m->businesses, m->one_off);
    }
}

static char *
dump_run (MoaStore *store, gint64 run_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaReport) r = moa_store_read_report (store, run_id, &error);
  if (r == NULL)
    fail_msg ("%s", error->message);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s,
                          "catalog %s moa %s seed %" G_GUINT64_FORMAT " iterations %u model %s "
                          "%s year %d %s\n",
                          r->catalog_id, r->moa_version, r->seed, r->iterations, r->cost_model,
                          r->cost_model_version, r->price_year, r->currency);
  dump_totals (s, &r->totals);
  dump_rows (s, "area", r->by_area);
  dump_rows (s, "group", r->by_group);
  dump_rows (s, "territory", r->by_territory);
  g_string_append (s, "top\n");
  dump_items (s, r->top_obligations);
  g_string_append (s, "measures\n");
  dump_measures (s, r->measures);
  for (guint i = 0; i < r->procedures->len; i++)
    {
      const MoaReportProcedure *p = g_ptr_array_index (r->procedures, i);
      g_string_append_printf (s, "procedure %s %s %s %.17g %.17g\n", p->id,
                              p->scenario_id ? p->scenario_id : "-", p->area ? p->area : "-",
                              p->cases, p->payback_years);
      dump_totals (s, &p->totals);
      dump_items (s, p->obligations);
      dump_items (s, p->activities);
      dump_measures (s, p->measures);
    }
  for (guint i = 0; i < r->assumptions->len; i++)
    {
      const MoaReportAssumption *a = g_ptr_array_index (r->assumptions, i);
      g_string_append_printf (s, "assumption %s %s %s %s %s %s\n",
                              a->procedure_id ? a->procedure_id : "-",
                              a->scenario_id ? a->scenario_id : "-", a->element, a->parameter,
                              a->value, a->source ? a->source : "-");
    }
  for (guint i = 0; i < r->inputs->len; i++)
    {
      const MoaReportInput *in = g_ptr_array_index (r->inputs, i);
      g_string_append_printf (s, "input %s %s %s\n", in->role, in->path, in->sha256);
    }
  return g_string_free (s, FALSE);
}

/* Fails with the first differing line of two dumps. */
static void
assert_same_dump (const char *a, const char *b, const char *what)
{
  if (strcmp (a, b) == 0)
    return;
  g_auto (GStrv) la = g_strsplit (a, "\n", -1);
  g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
  for (guint i = 0; la[i] || lb[i]; i++)
    if (g_strcmp0 (la[i], lb[i]) != 0)
      fail_msg ("%s: line %u differs:\n  %s\n  %s", what, i + 1, la[i] ? la[i] : "(end)",
                lb[i] ? lb[i] : "(end)");
}

/* ------------------------------------------------------------------------------------------ */
/* (a) In-process run: units, run record, inputs, a territory by hand                         */

static void
test_run_in_process (void **state)
{
  (void)state;
  g_autofree char *path = catalog_path ();
  g_autoptr (MoaCatalog) catalog = load_catalog (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = moa_test_make_tmp_dir ("moa-test-batch-XXXXXX");
  g_autofree char *db = g_build_filename (tmp, "results.db", NULL);
  g_autoptr (MoaStore) store = open_store (db);

  MoaBatchOptions options;
  moa_batch_options_init (&options);
  assert_int_equal (options.iterations, 0);
  assert_true (options.seed == 1);
  options.jobs = 1;
  options.resume = TRUE; /* nothing to resume in a new store: a new run, said so */
  MoaBatchStatus status;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  gint64 run_id = moa_batch_run (catalog, store, models, &options, NULL, NULL, NULL, &status,
                                 problems, &error);
  if (run_id == 0)
    fail_msg ("%s", error->message);
  assert_int_equal (problems->len, 0);
  assert_true (status.run_id == run_id);
  assert_true (status.nothing_to_resume);
  assert_false (status.resumed);
  assert_true (status.complete);
  assert_int_equal (status.units_total, 3);
  assert_int_equal (status.units_written, 3);
  assert_int_equal (status.units_skipped, 0);

  g_autoptr (GHashTable) done = moa_store_get_done_units (store, run_id, &error);
  assert_non_null (done);
  assert_int_equal (g_hash_table_size (done), 3);
  assert_true (g_hash_table_contains (done, "certificato-anagrafico"));
  assert_true (g_hash_table_contains (done, "cila-edilizia"));
  assert_true (g_hash_table_contains (done, "aua"));

  /* the run record */
  MoaCostModel *it_moa = moa_model_set_lookup (models, "it-moa");
  assert_non_null (it_moa);
  g_autoptr (MoaStoreRun) run = moa_store_get_run (store, run_id, &error);
  if (run == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (run->status, "complete");
  assert_string_equal (run->catalog_id, "test-batch");
  assert_string_equal (run->moa_version, PACKAGE_VERSION);
  assert_true (run->seed == 1);
  assert_int_equal (run->iterations, 0);
  assert_string_equal (run->cost_model, "it-moa");
  assert_string_equal (run->cost_model_version, it_moa->version);
  assert_int_equal (run->price_year, 2024);
  assert_string_equal (run->currency, "EUR");
  assert_int_equal (run->units_total, 3);
  assert_int_equal (run->units_done, 3);
  assert_non_null (run->started_at);
  assert_non_null (run->finished_at);
  g_autofree char *catalog_sha = file_sha256 (path);
  assert_string_equal (run->catalog_sha256, catalog_sha);

  /* every input file with its SHA-256: the catalog, the CSV, the procedures, the scenarios,
   * the parent scenario that the catalog does not list, and the cost model */
  g_autoptr (MoaReport) report = moa_store_read_report (store, run_id, &error);
  if (report == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (expected, g_canonicalize_filename (path, NULL));
  g_ptr_array_add (expected,
                   g_build_filename (moa_test_srcdir (), "test-batch", "territories.csv", NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (procedure_files); i++)
    g_ptr_array_add (expected, root_path (procedure_files[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (scenario_files); i++)
    g_ptr_array_add (expected, root_path (scenario_files[i]));
  g_ptr_array_add (expected, g_strdup (it_moa->file));
  const char *roles[] = { "catalog",  "territories", "procedure", "procedure", "procedure",
                          "scenario", "scenario",    "scenario",  "scenario",  "cost-model" };
  assert_int_equal (report->inputs->len, expected->len);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < expected->len; i++)
    {
      char *real = realpath (g_ptr_array_index (expected, i), NULL);
      assert_non_null (real);
      gboolean found = FALSE;
      for (guint k = 0; k < report->inputs->len; k++)
        {
          const MoaReportInput *in = g_ptr_array_index (report->inputs, k);
          if (strcmp (in->path, real) != 0)
            continue;
          found = TRUE;
          g_autofree char *sha = file_sha256 (real);
          assert_string_equal (in->sha256, sha);
          assert_string_equal (in->role, roles[i]);
          g_ptr_array_add (lines, g_strdup_printf ("%s\t%s\n", real, sha));
        }
      if (!found)
        fail_msg ("%s is not among the inputs of the run", real);
      free (real);
    }
  /* inputs_sha256: SHA-256 over "PATH\tSHA256\n", sorted by path */
  g_ptr_array_sort (lines, moa_test_compare_strings);
  g_autoptr (GString) all = g_string_new (NULL);
  for (guint i = 0; i < lines->len; i++)
    g_string_append (all, g_ptr_array_index (lines, i));
  g_autofree char *inputs_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, all->str, -1);
  assert_string_equal (run->inputs_sha256, inputs_sha);

  /* the territories: the regional figures of each procedure (its exact baseline) times the
   * share. Alpha (T1): population 1,000,000 of 10,000,000 = 0.1 for every procedure. Beta
   * (T2): 4,000 cases of certificato-anagrafico over the procedure's recurring cases per year,
   * and 250,000 / 10,000,000 = 0.025 for the others. */
  double before[3], cases[3];
  for (gsize i = 0; i < G_N_ELEMENTS (procedure_files); i++)
    {
      g_autofree char *file = root_path (procedure_files[i]);
      g_autoptr (MoaProcedure) p = moa_procedure_load_file (file, NULL, &error);
      assert_non_null (p);
      g_autoptr (MoaResult) r = moa_evaluate (p, it_moa, NULL, &error);
      assert_non_null (r);
      before[i] = r->total.recurring.burden;
      cases[i] = r->total.cases;
    }
  assert_close (report->totals.burden.before, before[0] + before[1] + before[2],
                "programme burden before");
  double alpha = 0.1 * (before[0] + before[1] + before[2]);
  double beta = 4000.0 / cases[0] * before[0] + 0.025 * (before[1] + before[2]);
  gboolean seen_alpha = FALSE, seen_beta = FALSE;
  for (guint i = 0; i < report->by_territory->len; i++)
    {
      const MoaReportRow *row = g_ptr_array_index (report->by_territory, i);
      if (strcmp (row->key, "T1") == 0)
        {
          assert_close (row->totals.burden.before, alpha, "Alpha burden before");
          seen_alpha = TRUE;
        }
      else if (strcmp (row->key, "T2") == 0)
        {
          assert_close (row->totals.burden.before, beta, "Beta burden before");
          seen_beta = TRUE;
        }
    }
  assert_true (seen_alpha && seen_beta);

  /* the unit seed: the first 8 bytes of SHA-256("1:aua"), big endian */
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "1:aua", -1);
  g_autofree char *first = g_strndup (hex, 16);
  assert_true (moa_batch_unit_seed (1, "aua") == g_ascii_strtoull (first, NULL, 16));
  assert_true (moa_batch_unit_seed (2, "aua") != moa_batch_unit_seed (1, "aua"));

  g_clear_pointer (&store, moa_store_close);
  moa_test_remove_tree (tmp);
}

/* (a) The same results with 1 job (in-process API) and 2 jobs (the command, in-process), with
 * Monte Carlo. */
static void
test_jobs_do_not_change_results (void **state)
{
  (void)state;
  g_autofree char *path = catalog_path ();
  g_autoptr (MoaCatalog) catalog = load_catalog (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = moa_test_make_tmp_dir ("moa-test-batch-XXXXXX");
  g_autofree char *db1 = g_build_filename (tmp, "one.db", NULL);
  g_autofree char *db2 = g_build_filename (tmp, "two.db", NULL);

  g_autoptr (MoaStore) store1 = open_store (db1);
  MoaBatchOptions options;
  moa_batch_options_init (&options);
  options.iterations = 300;
  options.seed = 7;
  options.jobs = 1;
  gint64 id1
      = moa_batch_run (catalog, store1, models, &options, NULL, NULL, NULL, NULL, NULL, &error);
  if (id1 == 0)
    fail_msg ("%s", error->message);

  g_autofree char *out = NULL, *err = NULL;
  int status
      = moa_test_run_command (moa_cli_main, &out, &err, "moa", "batch", path, "--db", db2,
                              "--iterations", "300", "--seed", "7", "--jobs", "2", "--quiet", NULL);
  if (status != 0)
    fail_msg ("moa batch exited with %d:\n%s", status, err);
  assert_non_null (strstr (out, "Run 1 "));
  assert_non_null (strstr (out, "3 in all"));
  g_autofree char *report_hint = g_strdup_printf ("moa report --db %s -o report.pdf", db2);
  assert_non_null (strstr (out, report_hint));

  g_autoptr (MoaStore) store2 = open_store (db2);
  g_autofree char *dump1 = dump_run (store1, id1);
  g_autofree char *dump2 = dump_run (store2, 1);
  assert_non_null (strstr (dump1, "iterations 300"));
  assert_non_null (strstr (dump1, "[n=300 "));
  assert_same_dump (dump1, dump2, "--jobs 1 and --jobs 2");

  /* the summary states the programme's totals as the stored report has them */
  g_autoptr (MoaReport) report = moa_store_read_report (store2, 1, &error);
  assert_non_null (report);
  const char *lang = moa_lang_resolve (NULL);
  g_autofree char *before = moa_lang_format_number (report->totals.burden.before, 0, lang);
  g_autofree char *after = moa_lang_format_number (report->totals.burden.after, 0, lang);
  g_autofree char *programme
      = g_strdup_printf ("Programme:  burden %s -> %s EUR/year", before, after);
  if (strstr (out, programme) == NULL)
    fail_msg ("the summary lacks \"%s\":\n%s", programme, out);
  assert_non_null (strstr (out, "in 90 % of 300 iterations"));

  g_clear_pointer (&store1, moa_store_close);
  g_clear_pointer (&store2, moa_store_close);
  moa_test_remove_tree (tmp);
}

/* ------------------------------------------------------------------------------------------ */
/* (b) The real moa killed with SIGKILL and resumed                                           */

#define KILL_ITERATIONS "50000"
#define KILLED_TOO_LATE (-2) /* kill_and_resume(): the run ended before the random moment */

/* Runs @exe with @args to the end; returns its exit status, and its standard error in *@err. */
static int
run_sync (char **argv, char **err)
{
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err,
                     &wait_status, &error))
    fail_msg ("%s", error->message);
  if (WIFEXITED (wait_status))
    return WEXITSTATUS (wait_status);
  return -1;
}

/* The number of committed units of the newest run of @db, read through a second connection;
 * -1 when there is no store or no run yet. @complete (may be NULL) tells whether that run is
 * complete. */
static int
committed_units (const char *db, gboolean *complete)
{
  if (complete != NULL)
    *complete = FALSE;
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    return -1;
  g_autoptr (MoaStore) store = moa_store_open (db, FALSE, NULL);
  if (store == NULL)
    return -1;
  g_autoptr (GPtrArray) runs = moa_store_list_runs (store, NULL);
  if (runs == NULL || runs->len == 0)
    return -1;
  const MoaStoreRun *run = g_ptr_array_index (runs, 0);
  if (complete != NULL)
    *complete = g_strcmp0 (run->status, "complete") == 0;
  g_autoptr (GHashTable) done = moa_store_get_done_units (store, run->id, NULL);
  return done ? (int)g_hash_table_size (done) : -1;
}

/* Removes the store @db with its WAL and shared-memory files, so that the next attempt
 * starts from nothing. */
static void
remove_store (const char *db)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db, suffixes[i], NULL);
      if (g_remove (path) != 0 && g_file_test (path, G_FILE_TEST_EXISTS))
        fail_msg ("cannot remove %s", path);
    }
}

/* Starts "moa batch" into @db, kills it with SIGKILL once @after units are committed (or,
 * with @after < 0, after @delay_us), then resumes it until it completes. Returns the number of
 * units committed when it was killed (-1: killed before any run existed). */
static int
kill_and_resume (const char *exe, const char *catalog, const char *db, int after, gint64 delay_us)
{
  char *argv[] = { (char *)exe,
                   (char *)"batch",
                   (char *)catalog,
                   (char *)"--db",
                   (char *)db,
                   (char *)"--iterations",
                   (char *)KILL_ITERATIONS,
                   (char *)"--jobs",
                   (char *)"1",
                   (char *)"--quiet",
                   NULL,
                   NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  if (!g_spawn_async (NULL, argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                          | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &pid, &error))
    fail_msg ("%s", error->message);

  gint64 start = g_get_monotonic_time ();
  int wait_status = 0;
  gboolean exited = FALSE;
  for (;;)
    {
      if (waitpid (pid, &wait_status, WNOHANG) == pid)
        {
          exited = TRUE;
          break;
        }
      if (after >= 0 ? committed_units (db, NULL) >= after
                     : g_get_monotonic_time () - start >= delay_us)
        break;
      if (g_get_monotonic_time () - start > 120 * G_USEC_PER_SEC)
        {
          kill (pid, SIGKILL);
          waitpid (pid, NULL, 0);
          fail_msg ("moa batch did not reach %d units in 120 s", after);
        }
      g_usleep (2000);
    }
  if (exited && after < 0)
    {
      /* a kill at a moment chosen at random can come after the end: the caller draws again */
      g_spawn_close_pid (pid);
      remove_store (db);
      return KILLED_TOO_LATE;
    }
  if (exited)
    fail_msg ("moa batch ended (status %d) before it could be killed after %d units: raise "
              "KILL_ITERATIONS",
              wait_status, after);
  kill (pid, SIGKILL);
  waitpid (pid, &wait_status, 0);
  assert_true (WIFSIGNALED (wait_status) && WTERMSIG (wait_status) == SIGKILL);
  g_spawn_close_pid (pid);
  gboolean complete;
  int killed_at = committed_units (db, &complete);
  if (after < 0 && complete)
    {
      /* killed after its last commit, while it was exiting: nothing was interrupted */
      remove_store (db);
      return KILLED_TOO_LATE;
    }

  /* resume until complete (each resumed run finishes here) */
  argv[10] = (char *)"--resume";
  g_autofree char *err = NULL;
  int status = run_sync (argv, &err);
  if (status != 0)
    fail_msg ("moa batch --resume exited with %d:\n%s", status, err);
  const char *expected = killed_at >= 0 ? "resuming run 1" : "nothing to resume";
  if (strstr (err, expected) == NULL)
    fail_msg ("killed after %d units, moa batch --resume did not say \"%s\":\n%s", killed_at,
              expected, err);
  return killed_at;
}

static void
test_kill_and_resume (void **state)
{
  (void)state;
  const char *exe = g_getenv ("MOA_EXE");
  if (exe == NULL || !g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      print_message ("# MOA_EXE is not set to the moa executable: skipped\n");
      skip ();
    }
  g_autofree char *catalog = catalog_path ();
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = moa_test_make_tmp_dir ("moa-test-batch-XXXXXX");

  /* the uninterrupted run */
  g_autofree char *reference_db = g_build_filename (tmp, "reference.db", NULL);
  char *argv[] = { (char *)exe,
                   (char *)"batch",
                   catalog,
                   (char *)"--db",
                   reference_db,
                   (char *)"--iterations",
                   (char *)KILL_ITERATIONS,
                   (char *)"--jobs",
                   (char *)"1",
                   (char *)"--quiet",
                   NULL };
  gint64 start = g_get_monotonic_time ();
  g_autofree char *err = NULL;
  int status = run_sync (argv, &err);
  if (status != 0)
    fail_msg ("moa batch exited with %d:\n%s", status, err);
  gint64 duration = g_get_monotonic_time () - start;
  g_autoptr (MoaStore) reference = open_store (reference_db);
  g_autofree char *expected = dump_run (reference, 1);

  guint32 seed = (guint32)g_get_real_time ();
  print_message ("# random kill: seed %u (run of %.2f s)\n", seed, duration / 1e6);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  const int points[] = { 0, 1, 2, -1 };
  for (gsize i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *name = g_strdup_printf ("killed-%zu.db", i);
      g_autofree char *db = g_build_filename (tmp, name, NULL);
      /* a random moment within the run; drawn again (earlier) when the run ends first */
      int killed_at = KILLED_TOO_LATE;
      gint64 delay = 0;
      for (int attempt = 0; killed_at == KILLED_TOO_LATE; attempt++)
        {
          if (attempt == 8)
            fail_msg ("moa batch always ended before the random moment: raise KILL_ITERATIONS");
          delay = points[i] < 0
                      ? (gint64)g_rand_double_range (rand, 0, (double)duration / (1 << attempt))
                      : 0;
          killed_at = kill_and_resume (exe, catalog, db, points[i], delay);
        }
      print_message ("# killed after %d committed units (asked: %d, delay %.3f s)\n", killed_at,
                     points[i], delay / 1e6);
      if (points[i] >= 0)
        assert_true (killed_at >= points[i] && killed_at < 3);

      g_autoptr (MoaStore) store = open_store (db);
      g_autoptr (GPtrArray) runs = moa_store_list_runs (store, &error);
      assert_non_null (runs);
      assert_int_equal (runs->len, 1); /* resumed, not started again */
      const MoaStoreRun *run = g_ptr_array_index (runs, 0);
      assert_string_equal (run->status, "complete");
      assert_int_equal (run->units_done, 3);
      assert_int_equal (run->units_total, 3);
      g_autofree char *dump = dump_run (store, run->id);
      assert_same_dump (expected, dump, name);
    }
  g_clear_pointer (&reference, moa_store_close);
  moa_test_remove_tree (tmp);
}

/* ------------------------------------------------------------------------------------------ */
/* (c) Cancelling, then --resume with changed options or inputs                               */

typedef struct
{
  GCancellable *cancellable;
  guint calls;
} CancelAfterOne;

static void
cancel_after_first_unit (guint done, guint total, const char *procedure_id, gpointer data)
{
  CancelAfterOne *c = data;
  (void)done;
  (void)total;
  c->calls++;
  if (procedure_id != NULL)
    g_cancellable_cancel (c->cancellable);
}

static void
test_resume_refuses_changes (void **state)
{
  (void)state;
  g_autoptr (Batch) b = batch_new (NULL, NULL, NULL, NULL);
  g_autoptr (GError) error = NULL;

  /* a run cancelled after its first unit is left unfinished, with 1 or 2 units (the one in
   * progress when it was cancelled is finished and written) */
  b->options.iterations = 50;
  CancelAfterOne cancel = { g_cancellable_new (), 0 };
  MoaBatchStatus status;
  gint64 id = moa_batch_run (b->catalog, b->store, models, &b->options, cancel.cancellable,
                             cancel_after_first_unit, &cancel, &status, NULL, &error);
  g_object_unref (cancel.cancellable);
  assert_true (id == 0);
  assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_clear_error (&error);
  assert_true (status.run_id == 1);
  assert_false (status.complete);
  assert_true (status.units_written >= 1 && status.units_written < 3);
  guint written = status.units_written;
  {
    g_autoptr (MoaStoreRun) run = moa_store_get_run (b->store, 1, &error);
    assert_non_null (run);
    assert_string_equal (run->status, "running");
    assert_null (run->finished_at);
    assert_int_equal (run->units_done, written);
  }

  /* another number of iterations: refused, naming the option */
  b->options.iterations = 60;
  b->options.resume = TRUE;
  id = moa_batch_run (b->catalog, b->store, models, &b->options, NULL, NULL, NULL, &status, NULL,
                      &error);
  assert_true (id == 0);
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_MISMATCH));
  assert_non_null (strstr (error->message, "--iterations 50"));
  g_clear_error (&error);
  b->options.iterations = 50;

  /* a changed procedure file: refused, naming the file; by the command too */
  g_autofree char *cila = g_build_filename (b->tree, "procedures", "cila-edilizia.xml", NULL);
  g_autofree char *original = NULL;
  gsize len = 0;
  assert_true (g_file_get_contents (cila, &original, &len, NULL));
  g_autofree char *changed = g_strconcat (original, "<!-- changed -->\n", NULL);
  assert_true (g_file_set_contents (cila, changed, -1, NULL));
  id = moa_batch_run (b->catalog, b->store, models, &b->options, NULL, NULL, NULL, &status, NULL,
                      &error);
  assert_true (id == 0);
  assert_true (g_error_matches (error, MOA_STORE_ERROR, MOA_STORE_ERROR_MISMATCH));
  assert_non_null (strstr (error->message, "cila-edilizia.xml has changed"));
  g_clear_error (&error);
  g_clear_pointer (&b->store, moa_store_close);

  g_autofree char *out = NULL, *err = NULL;
  int code = moa_test_run_command (moa_cli_main, &out, &err, "moa", "batch", b->path, "--db", b->db,
                                   "--iterations", "50", "--resume", "--quiet", NULL);
  assert_int_equal (code, 1);
  assert_non_null (strstr (err, "moa batch: cannot resume run 1 of catalog \"test-batch\""));
  assert_non_null (strstr (err, "cila-edilizia.xml has changed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the file restored: the run is resumed, skipping what it wrote */
  assert_true (g_file_set_contents (cila, original, (gssize)len, NULL));
  b->store = open_store (b->db);
  id = moa_batch_run (b->catalog, b->store, models, &b->options, NULL, NULL, NULL, &status, NULL,
                      &error);
  if (id == 0)
    fail_msg ("%s", error->message);
  assert_true (id == 1);
  assert_true (status.resumed && status.complete);
  assert_int_equal (status.units_skipped, written);
  assert_int_equal (status.units_written, 3 - written);

  /* nothing left to resume: a new run, said so */
  id = moa_batch_run (b->catalog, b->store, models, &b->options, NULL, NULL, NULL, &status, NULL,
                      &error);
  assert_true (id == 2);
  assert_true (status.nothing_to_resume && status.complete);
  g_autofree char *dump1 = dump_run (b->store, 1);
  g_autofree char *dump2 = dump_run (b->store, 2);
  assert_same_dump (dump1, dump2, "resumed run and new run");
  g_clear_pointer (&b->store, moa_store_close);

  /* (d) moa runs lists both */
  code = moa_test_run_command (moa_cli_main, &out, &err, "moa", "runs", "--db", b->db, NULL);
  if (code != 0)
    fail_msg ("moa runs exited with %d:\n%s", code, err);
  assert_non_null (strstr (out, "test-batch"));
  assert_non_null (strstr (out, "complete"));
  assert_non_null (strstr (out, "3/3"));
  assert_non_null (strstr (out, "it-moa"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  code = moa_test_run_command (moa_cli_main, &out, &err, "moa", "runs", "--db", b->db, "--format",
                               "csv", NULL);
  assert_int_equal (code, 0);
  g_auto (GStrv) rows = g_strsplit (out, "\r\n", -1);
  assert_int_equal (g_strv_length (rows), 4); /* header, 2 runs, "" after the last CRLF */
  assert_true (g_str_has_prefix (rows[0], "id,status,units_done,units_total,"));
  assert_true (g_str_has_prefix (rows[1], "2,complete,3,3,"));
  assert_true (g_str_has_prefix (rows[2], "1,complete,3,3,"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  code = moa_test_run_command (moa_cli_main, &out, &err, "moa", "runs", "--db", b->db, "--format",
                               "json", NULL);
  assert_int_equal (code, 0);
  assert_non_null (strstr (out, "\"catalog_id\": \"test-batch\""));
  assert_non_null (strstr (out, "\"iterations\": 50"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

/* A procedure whose file declares another id than the catalog fails the run, which is left
 * unfinished, with the problem naming the file and both ids. */
static void
test_bad_procedure_fails_run (void **state)
{
  (void)state;
  g_autoptr (Batch) b
      = batch_new ("bad.xml", "test-batch-bad", "Bad",
                   "  <procedure id=\"certificato-anagrafico\" "
                   "file=\"../../procedures/certificato-anagrafico.xml\"/>\n"
                   "  <procedure id=\"cila\" file=\"../../procedures/cila-edilizia.xml\"/>\n"
                   "  <procedure id=\"aua\" file=\"../../procedures/aua.xml\"/>\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  MoaBatchStatus status;
  gint64 id = moa_batch_run (b->catalog, b->store, models, &b->options, NULL, NULL, NULL, &status,
                             problems, &error);
  assert_true (id == 0);
  assert_true (g_error_matches (error, MOA_BATCH_ERROR, MOA_BATCH_ERROR_UNIT));
  assert_int_equal (problems->len, 1);
  const MoaProblem *problem = g_ptr_array_index (problems, 0);
  assert_non_null (strstr (problem->message, "cila-edilizia.xml:"));
  assert_non_null (strstr (problem->message, "procedure \"cila-edilizia\""));
  assert_non_null (strstr (problem->message, "as procedure \"cila\""));
  assert_true (status.run_id == 1);
  assert_false (status.complete);
  g_clear_error (&error);
  g_autoptr (MoaStoreRun) run = moa_store_get_run (b->store, 1, &error);
  assert_non_null (run);
  assert_string_equal (run->status, "running");
  assert_int_equal (run->units_done, 1); /* certificato-anagrafico, before the bad one */
  g_clear_pointer (&b->store, moa_store_close);

  /* the command lists the problem and says what to do */
  g_autofree char *out = NULL, *err = NULL;
  int code = moa_test_run_command (moa_cli_main, &out, &err, "moa", "batch", b->path, "--db", b->db,
                                   "--jobs", "1", "--quiet", NULL);
  assert_int_equal (code, 1);
  assert_non_null (strstr (err, "as procedure \"cila\""));
  assert_non_null (strstr (err, "run 2 is left unfinished"));
}

/* A procedure without scenarios is simulated alone when the run has iterations: its interval is
 * stored, and more jobs than procedures is fine. */
static void
test_procedure_without_scenario (void **state)
{
  (void)state;
  g_autoptr (Batch) b = batch_new (
      "alone.xml", "test-batch-alone", "Alone",
      "  <procedure id=\"cila-edilizia\" file=\"../../procedures/cila-edilizia.xml\"/>\n");
  g_autoptr (GError) error = NULL;
  b->options.jobs = 4;
  b->options.iterations = 200;
  MoaBatchStatus status;
  gint64 id = moa_batch_run (b->catalog, b->store, models, &b->options, NULL, NULL, NULL, &status,
                             NULL, &error);
  if (id == 0)
    fail_msg ("%s", error->message);
  assert_true (status.complete);
  assert_int_equal (status.units_written, 1);
  g_autoptr (MoaReport) report = moa_store_read_report (b->store, id, &error);
  assert_non_null (report);
  assert_int_equal (report->procedures->len, 1);
  const MoaReportProcedure *p = g_ptr_array_index (report->procedures, 0);
  assert_null (p->scenario_id);
  assert_int_equal (p->totals.burden.before_interval.n, 200);
  assert_true (p->totals.burden.before_interval.sd > 0);
  /* no scenario: after = before, nothing saved */
  assert_close (p->totals.burden.after, p->totals.burden.before, "burden after");
}

/* A programme scenario built on a scenario the catalog does not list (aua's second phase on the
 * first): the batch compares the first phase too, so the procedure's saving, its measures and
 * its interval all run from the procedure to the second phase. By hand: cumulative
 * attribution makes the measures of the two phases sum to (baseline - phase 1) + (phase 1 -
 * phase 2) = baseline - phase 2; the saving's samples are paired differences, so their mean is
 * the mean before minus the mean after. */
static void
test_scenario_chain (void **state)
{
  (void)state;
  g_autoptr (Batch) b = batch_new (
      "chain.xml", "test-batch-chain", "Chain",
      "  <procedure id=\"aua\" file=\"../../procedures/aua.xml\">\n"
      "    <scenario file=\"../../procedures/scenarios/aua-autorizzazioni-generali.xml\"/>\n"
      "  </procedure>\n");
  g_autoptr (GError) error = NULL;
  b->options.iterations = 300;
  gint64 id = moa_batch_run (b->catalog, b->store, models, &b->options, NULL, NULL, NULL, NULL,
                             NULL, &error);
  if (id == 0)
    fail_msg ("%s", error->message);
  g_autoptr (MoaReport) report = moa_store_read_report (b->store, id, &error);
  assert_non_null (report);
  const MoaReportProcedure *p = g_ptr_array_index (report->procedures, 0);
  assert_string_equal (p->scenario_id, "aua-autorizzazioni-generali");

  /* the exact saving: the procedure against the whole chain applied to it */
  g_autofree char *scenario_path = g_build_filename (b->tree, "procedures", "scenarios",
                                                     "aua-autorizzazioni-generali.xml", NULL);
  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (scenario_path, NULL, &error);
  assert_non_null (scenario);
  assert_non_null (moa_scenario_get_parent (scenario));
  g_autoptr (MoaProcedure) after = moa_scenario_apply (scenario, G_MAXUINT, -1, &error);
  assert_non_null (after);
  MoaCostModel *model = moa_model_set_lookup (models, "it-moa");
  g_autoptr (MoaResult) exact_before
      = moa_evaluate (moa_scenario_get_baseline (scenario), model, NULL, &error);
  g_autoptr (MoaResult) exact_after = moa_evaluate (after, model, NULL, &error);
  assert_non_null (exact_before);
  assert_non_null (exact_after);
  assert_close (p->totals.burden.before, exact_before->total.recurring.burden, "before");
  assert_close (p->totals.burden.after, exact_after->total.recurring.burden, "after");

  /* every measure of both phases, summing to the saving */
  guint n_measures = moa_scenario_get_measures (scenario)->len
                     + moa_scenario_get_measures (moa_scenario_get_parent (scenario))->len;
  assert_int_equal (p->measures->len, n_measures);
  double sum = 0;
  for (guint i = 0; i < p->measures->len; i++)
    sum += ((const MoaReportMeasure *)g_ptr_array_index (p->measures, i))->saving;
  assert_close (sum, p->totals.burden.saving, "sum of the measures' savings");

  /* the interval is of the same saving, paired */
  const MoaReportFigure *f = &p->totals.burden;
  assert_int_equal (f->saving_interval.n, 300);
  assert_close (f->saving_interval.mean, f->before_interval.mean - f->after_interval.mean,
                "mean saving");
  assert_true (f->saving_interval.p5 < f->saving && f->saving < f->saving_interval.p95);
}

/* The fields of one CSV record (RFC 4180 quoting), a new NULL-terminated array. */
static char **
csv_fields (const char *line)
{
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;
  for (const char *p = line; *p && *p != '\n' && *p != '\r'; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if (*p == ',' && !quoted)
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else
        g_string_append_c (field, *p);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  g_ptr_array_add (fields, NULL);
  return (char **)g_ptr_array_free (fields, FALSE);
}

/* The report of a stored run, end to end: moa batch writes the store, moa report writes CSV,
 * HTML and PDF in both languages, and their totals are the store's own sums (SQL over the
 * stored totals of each procedure, to the cent). */
static void
test_report_from_store (void **state)
{
  (void)state;
  g_autofree char *tree = make_tree ();
  g_autofree char *path = g_build_filename (tree, "tests", "test-batch", "catalog.xml", NULL);
  g_autofree char *db = g_build_filename (tree, "results.db", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status = moa_test_run_command (moa_cli_main, &out, &err, "moa", "batch", path, "--db", db,
                                     "--iterations", "200", "--quiet", NULL);
  if (status != 0)
    fail_msg ("moa batch exited with %d:\n%s", status, err);

  /* the store's sums: baselines, and the programme scenario of each procedure */
  g_autoptr (MoaStore) store = open_store (db);
  g_autoptr (GError) error = NULL;
  gint64 before_cents = 0, after_cents = 0, programmes = 0;
  assert_true (
      moa_store_exec_for_tests (store,
                                "SELECT CAST (round (sum (burden) * 100) AS INTEGER) FROM figure "
                                "WHERE run_id = 1 AND scenario_id = '' AND kind = 'total'",
                                &before_cents, &error));
  assert_true (moa_store_exec_for_tests (
      store,
      "SELECT CAST (round (sum (f.burden) * 100) AS INTEGER) FROM figure f JOIN scenario s "
      "USING (run_id, procedure_id, scenario_id) WHERE f.run_id = 1 AND s.programme = 1 "
      "AND f.kind = 'total'",
      &after_cents, &error));
  assert_true (moa_store_exec_for_tests (
      store, "SELECT count (*) FROM scenario WHERE run_id = 1 AND programme = 1", &programmes,
      &error));
  assert_int_equal (programmes, 3); /* every procedure of the test catalog has one */
  assert_true (before_cents > after_cents && after_cents > 0);
  g_clear_pointer (&store, moa_store_close);

  /* CSV: the programme's summary row */
  g_autofree char *csv = g_build_filename (tree, "report.csv", NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = moa_test_run_command (moa_cli_main, &out, &err, "moa", "report", "--db", db, "-o", csv,
                                 NULL);
  if (status != 0)
    fail_msg ("moa report exited with %d:\n%s", status, err);
  g_autofree char *csv_text = NULL;
  assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (csv_text, "\n", -1);
  g_auto (GStrv) header = csv_fields (lines[0]);
  int col_before = -1, col_after = -1;
  for (int i = 0; header[i]; i++)
    {
      if (strcmp (header[i], "before") == 0)
        col_before = i;
      if (strcmp (header[i], "after") == 0)
        col_after = i;
    }
  assert_true (col_before >= 0 && col_after >= 0);
  gboolean found = FALSE;
  double before = 0;
  for (int i = 1; lines[i] && !found; i++)
    {
      g_auto (GStrv) f = csv_fields (lines[i]);
      if (g_strv_length (f) > (guint)MAX (col_before, col_after) && strcmp (f[0], "summary") == 0
          && strcmp (f[3], "programme") == 0 && strcmp (f[5], "burden") == 0)
        {
          found = TRUE;
          before = g_ascii_strtod (f[col_before], NULL);
          assert_true (llround (before * 100) == before_cents);
          assert_true (llround (g_ascii_strtod (f[col_after], NULL) * 100) == after_cents);
        }
    }
  assert_true (found);

  /* HTML and PDF in both languages: well-formed, with the programme's burden before */
  const char *langs[] = { "it", "en" };
  for (gsize l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      g_autofree char *shown = moa_lang_format_number (before, 0, langs[l]);
      g_autofree char *html_name = g_strdup_printf ("report-%s.html", langs[l]);
      g_autofree char *pdf_name = g_strdup_printf ("report-%s.pdf", langs[l]);
      g_autofree char *html = g_build_filename (tree, html_name, NULL);
      g_autofree char *pdf = g_build_filename (tree, pdf_name, NULL);
      for (int k = 0; k < 2; k++)
        {
          g_clear_pointer (&out, g_free);
          g_clear_pointer (&err, g_free);
          status = moa_test_run_command (moa_cli_main, &out, &err, "moa", "report", "--db", db,
                                         "-o", k == 0 ? html : pdf, "--lang", langs[l], NULL);
          if (status != 0)
            fail_msg ("moa report exited with %d:\n%s", status, err);
        }
      g_autofree char *html_text = NULL;
      assert_true (g_file_get_contents (html, &html_text, NULL, NULL));
      if (strstr (html_text, shown) == NULL)
        fail_msg ("%s does not show the burden before, %s", html_name, shown);
      const char *xmllint[] = { "xmllint", "--noout", "--nonet", html, NULL };
      g_free (moa_test_run_tool_ok (xmllint));

      const char *info[] = { "pdfinfo", pdf, NULL };
      g_autofree char *info_text = moa_test_run_tool_ok (info);
      const char *pages = strstr (info_text, "Pages:");
      assert_non_null (pages);
      assert_true (atoi (pages + strlen ("Pages:")) >= 2);
      const char *text[] = { "pdftotext", pdf, "-", NULL };
      g_autofree char *pdf_text = moa_test_run_tool_ok (text);
      g_autofree char *flat = moa_test_squeeze_spaces (pdf_text);
      if (strstr (flat, shown) == NULL)
        fail_msg ("%s does not show the burden before, %s", pdf_name, shown);
    }
  moa_test_remove_tree (tree);
}

/* Usage errors of the commands. */
static void
test_usage (void **state)
{
  (void)state;
  g_autofree char *path = catalog_path ();
  struct
  {
    const char *args[8];
    const char *message;
  } cases[] = {
    { { "batch", NULL }, "no catalog file given" },
    { { "batch", path, NULL }, "no result store given" },
    { { "batch", path, "--db", "x.db", "--iterations", "1", NULL }, "--iterations: \"1\"" },
    { { "batch", path, "--db", "x.db", "--seed", "3", NULL }, "--seed needs --iterations" },
    { { "batch", path, "--db", "x.db", "--jobs", "many", NULL }, "--jobs: \"many\"" },
    { { "runs", NULL }, "no result store given" },
    { { "runs", "--db", "x.db", "--format", "xml", NULL }, "unknown format" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *argv[10] = { (char *)"moa" };
      int argc = 1;
      for (int k = 0; cases[i].args[k]; k++)
        argv[argc++] = (char *)cases[i].args[k];
      FILE *o = tmpfile (), *e = tmpfile ();
      int code = moa_cli_main (argc, argv, o, e);
      fflush (e);
      rewind (e);
      g_autoptr (GString) text = g_string_new (NULL);
      char buf[512];
      size_t n;
      while ((n = fread (buf, 1, sizeof buf, e)) > 0)
        g_string_append_len (text, buf, (gssize)n);
      fclose (o);
      fclose (e);
      assert_int_equal (code, 2);
      if (strstr (text->str, cases[i].message) == NULL)
        fail_msg ("case %zu: \"%s\" not in:\n%s", i, cases[i].message, text->str);
    }

  /* a store that does not exist */
  g_autofree char *out = NULL, *err = NULL;
  int code = moa_test_run_command (moa_cli_main, &out, &err, "moa", "runs", "--db",
                                   "/nonexistent/results.db", NULL);
  assert_int_equal (code, 1);
  assert_non_null (strstr (err, "does not exist"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the help teaches */
  code = moa_test_run_command (moa_cli_main, &out, &err, "moa", "batch", "--help", NULL);
  assert_int_equal (code, 0);
  assert_non_null (strstr (out, "--resume"));
  assert_non_null (strstr (out, "Exit status:"));
  assert_non_null (strstr (out, "Examples:"));
}

static int
setup (void **state)
{
  (void)state;
  models = moa_test_load_models (NULL);
  return models != NULL ? 0 : -1;
}

static int
teardown (void **state)
{
  (void)state;
  g_clear_pointer (&models, moa_model_set_free);
  return 0;
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_run_in_process),
    cmocka_unit_test (test_jobs_do_not_change_results),
    cmocka_unit_test (test_resume_refuses_changes),
    cmocka_unit_test (test_bad_procedure_fails_run),
    cmocka_unit_test (test_procedure_without_scenario),
    cmocka_unit_test (test_scenario_chain),
    cmocka_unit_test (test_report_from_store),
    cmocka_unit_test (test_usage),
    cmocka_unit_test (test_kill_and_resume),
  };
  return cmocka_run_group_tests (tests, setup, teardown);
}
