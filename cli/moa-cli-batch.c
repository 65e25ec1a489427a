/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The commands "moa batch" (a catalog into the result store, resumable) and "moa runs" (the
 * runs a store holds). */

#include "moa-config.h"

#include <stdio.h>
#include <string.h>

#include <inttypes.h>

#include <glib.h>
#include <glib/gi18n-lib.h>

#include "moa-batch.h"
#include "moa-catalog.h"
#include "moa-cli-private.h"
#include "moa-cli.h"
#include "moa-error.h"
#include "moa-lang.h"
#include "moa-store.h"

#define MAX_ITERATIONS 100000000 /* as moa simulate: the samples are kept in memory */
#define MAX_JOBS 1024

#define BATCH_DOCS_HINT                                                                            \
  N_ ("Catalogs: docs/catalog-format.md; the result store: docs/store.md; the report: "            \
      "docs/report.md.")

/* @text as a shell word: unchanged when it is made of safe characters, else quoted. Returns a
 * new string. */
static char *
shell_word (const char *text)
{
  for (const char *c = text; *c; c++)
    if (!g_ascii_isalnum (*c) && strchr ("._/-+=:,@%", *c) == NULL)
      return g_shell_quote (text);
  return *text ? g_strdup (text) : g_shell_quote (text);
}

/* ------------------------------------------------------------------------------------------ */
/* moa batch                                                                                  */

/* What the progress callback of a batch needs. */
typedef struct
{
  Progress *progress;
  const MoaBatchStatus *status;
  FILE *err;
  const char *db;
  const char *catalog_id;
  guint skipped;
} BatchView;

/* Replaces the label of the progress line without restarting its clock. */
static void
progress_set_label (Progress *p, const char *label)
{
  g_mutex_lock (&p->lock);
  g_free (p->label);
  p->label = g_strdup (label);
  g_mutex_unlock (&p->lock);
}

/* MoaBatchProgressFunc: says which run is written, then keeps the progress line up to date:
 * "[12/300] aua", the share and the time left counted over the units this call computes. */
static void
on_batch_progress (guint done, guint total, const char *procedure_id, gpointer data)
{
  BatchView *v = data;
  if (procedure_id == NULL)
    {
      const MoaBatchStatus *s = v->status;
      v->skipped = done;
      if (s->resumed)
        print_line (v->err,
                    _ ("moa batch: resuming run %" PRId64 ": %u of %u units were "
                       "already written"),
                    s->run_id, done, total);
      else if (s->nothing_to_resume)
        print_line (v->err,
                    _ ("moa batch: nothing to resume: %s holds no unfinished run of catalog "
                       "\"%s\"; starting run %" PRId64),
                    v->db, v->catalog_id, s->run_id);
      g_autofree char *label = g_strdup_printf ("[%u/%u] %s", done, total, v->catalog_id);
      progress_begin (v->progress, label);
    }
  else
    {
      g_autofree char *label = g_strdup_printf ("[%u/%u] %s", done, total, procedure_id);
      progress_set_label (v->progress, label);
    }
  on_progress (done - v->skipped, total - v->skipped, v->progress);
}

/* "moa batch CATALOG --db FILE" with the options that a resumed run must repeat. */
static char *
resume_command (const char *catalog, const char *db, const char *iterations_text,
                const char *seed_text, const char *models_dir)
{
  g_autofree char *c = shell_word (catalog);
  g_autofree char *d = shell_word (db);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "moa batch %s --db %s", c, d);
  if (iterations_text)
    g_string_append_printf (s, " --iterations %s", iterations_text);
  if (seed_text)
    g_string_append_printf (s, " --seed %s", seed_text);
  if (models_dir)
    {
      g_autofree char *m = shell_word (models_dir);
      g_string_append_printf (s, " --models-dir %s", m);
    }
  g_string_append (s, " --resume");
  return g_string_free (s, FALSE);
}

/* Prints the programme's totals of run @run_id (the report's summary, in short): what a batch
 * run found, at a glance. Nothing when the store cannot be read back (the run is written). */
static void
print_programme (FILE *out, MoaStore *store, gint64 run_id, const char *currency, int price_year)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaReport) report = moa_store_read_report (store, run_id, &error);
  if (report == NULL)
    return;
  const char *lang = moa_lang_resolve (NULL);
  const MoaReportFigure *burden = &report->totals.burden;
  g_autofree char *before = moa_lang_format_number (burden->before, 0, lang);
  g_autofree char *after = moa_lang_format_number (burden->after, 0, lang);
  g_autofree char *saving = moa_lang_format_number (burden->saving, 0, lang);
  g_autofree char *percent = moa_lang_format_number (burden->saving_percent, 1, lang);
  /* TRANSLATORS: the programme's burden before and after, the currency and price year, the
   * saving and its percentage, e.g. "  Programme:  burden 153,168,682 -> 131,963,378 EUR/year
   * at 2024 prices, saving 21,205,304 (13.8 %)" */
  print_line (out, _ ("  Programme:  burden %s -> %s %s/year at %d prices, saving %s (%s %%)"),
              before, after, currency, price_year, saving, percent);
  if (burden->saving_interval.n > 0)
    {
      g_autofree char *p5 = moa_lang_format_number (burden->saving_interval.p5, 0, lang);
      g_autofree char *p95 = moa_lang_format_number (burden->saving_interval.p95, 0, lang);
      /* TRANSLATORS: the interval of the saving, then the number of iterations */
      print_line (out, _ ("              saving between %s and %s in 90 %% of %u iterations"), p5,
                  p95, burden->saving_interval.n);
    }
  g_autofree char *hours = moa_lang_format_number (report->totals.citizens_hours.saving, 0, lang);
  g_autofree char *firms = moa_lang_format_number (report->totals.businesses.saving, 0, lang);
  print_line (out, _ ("              citizens save %s hours/year, businesses %s %s/year"), hours,
              firms, currency);
}

/* moa_cli_batch:
 * "moa batch [OPTION…] CATALOG --db FILE": loads the catalog (moa_catalog_load_file()) and the
 * cost models, opens (or creates) the result store FILE and runs moa_batch_run(): every
 * procedure of the catalog evaluated and compared with its scenarios, each written in one
 * transaction; --resume continues an unfinished run. Shows a progress line on @err when it is a
 * terminal; SIGINT stops after the units in progress and leaves the run resumable. Prints a
 * summary on @out. Returns 0 when the run is complete, 1 when a file has a problem, the store
 * cannot be used or the run cannot be resumed, 2 on a usage error, 130 when interrupted. */
int
moa_cli_batch (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *db = NULL, *iterations_text = NULL, *seed_text = NULL, *jobs_text = NULL;
  g_autofree char *models_dir = NULL;
  gboolean resume = FALSE, quiet = FALSE;
  const GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db,
      N_ ("The result store to write (created when it does not exist); required"), N_ ("FILE") },
    { "iterations", 'n', 0, G_OPTION_ARG_STRING, &iterations_text,
      N_ ("Paired Monte Carlo iterations per procedure (default 0: exact figures only)"),
      N_ ("N") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
      N_ ("With --iterations: seed of the random numbers (default 1)"), N_ ("S") },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs_text,
      N_ ("Procedures computed at once (default 0: as many as cores); does not change the "
          "results"),
      N_ ("J") },
    { "resume", 'r', 0, G_OPTION_ARG_NONE, &resume,
      N_ ("Continue the newest unfinished run of this catalog instead of starting a new one"),
      NULL },
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("Look for cost models in DIR instead of the shipped ones"), N_ ("DIR") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_ ("Do not show the progress line"), NULL },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n%s",
      _ ("CATALOG is a catalog file (docs/catalog-format.md): the procedures a region measures, "
         "the scenario of its simplification programme for each, the cost model and price "
         "year, and the territories (provinces, municipalities) with their cases or "
         "populations. moa batch computes every procedure of it once and writes the results to "
         "the result store FILE, a SQLite database (docs/store.md) that \"moa report\" turns "
         "into the policymakers' report and \"moa runs\" lists."),
      _ ("Each procedure is one unit of work: it is checked as by \"moa validate\" (its id, "
         "price year, currency and cost model must be the catalog's), evaluated, and compared "
         "with each of its scenarios as by \"moa compare\". Its figures in every territory are "
         "the regional ones scaled by the territory's share (its cases over the procedure's, "
         "or its population over the region's): territories repeat no computation. The unit "
         "is written in one transaction: a run stopped at any moment holds whole procedures "
         "only. Money is in the catalog's currency at its price year, per year; hours per "
         "year; one-off costs are totals, kept apart."),
      _ ("--iterations N adds the uncertainty: each procedure and its scenarios are simulated "
         "with N paired iterations (common random numbers, as \"moa compare --iterations\"), "
         "with a seed derived from --seed and the procedure's id, so the results depend "
         "neither on the order of the procedures nor on --jobs. Every run records moa's "
         "version, the seed, the iterations, the cost model and the SHA-256 of every file it "
         "read, so any figure can be traced to what produced it."),
      _ ("Interrupted runs: Ctrl-C stops after the procedures in progress and leaves the run "
         "unfinished; so does a crash or a killed process. Run the same command again with "
         "--resume (and the same --iterations and --seed) to continue it: the procedures "
         "already written are skipped, and the run ends with exactly the results of an "
         "uninterrupted one. --resume refuses, naming the file or option, when an input file "
         "or an option changed since the run started; without an unfinished run it starts a "
         "new one and says so. A procedure with a problem stops the run (left unfinished) "
         "and its problems are listed: fix the file and start a new run, since its inputs "
         "changed."),
      _ ("Examples:\n"
         "  moa batch catalogs/lombardia/catalogo.xml --db results.db\n"
         "  moa batch catalogs/lombardia/catalogo.xml --db results.db --iterations 1000 "
         "--seed 42\n"
         "  moa batch catalogs/lombardia/catalogo.xml --db results.db --iterations 1000 "
         "--seed 42 --resume\n"
         "  moa runs --db results.db\n"
         "  moa report --db results.db -o report.pdf"),
      _ ("Exit status:\n"
         "  0    the run is complete: every procedure is written\n"
         "  1    a file has a problem (the run, if started, is left unfinished), the store\n"
         "       cannot be opened or written, or --resume found a run whose inputs or\n"
         "       options differ\n"
         "  2    usage error (no catalog, no --db, unknown option, value out of range)\n"
         "  130  interrupted with Ctrl-C: the run is left unfinished; continue it with\n"
         "       --resume"),
      _ ("After the run: \"moa runs --db FILE\" lists the runs, \"moa report --db FILE -o "
         "report.pdf\" writes the report of the newest complete run."),
      _ (BATCH_DOCS_HINT), _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "batch", _ ("[OPTION…] CATALOG --db FILE"),
               _ ("Compute every procedure of a regional catalog, before and after its "
                  "simplifications, into a result store."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  MoaBatchOptions options;
  moa_batch_options_init (&options);
  guint64 value;
  if (iterations_text)
    {
      g_autofree char *expected = g_strdup_printf (
          _ ("0 (exact figures only) or a whole number from 2 to %d"), MAX_ITERATIONS);
      if (!parse_whole (err, "batch", "--iterations", iterations_text, 0, MAX_ITERATIONS, expected,
                        &value))
        return EXIT_USAGE;
      if (value == 1)
        {
          g_autofree char *message = g_strdup_printf (_ ("%s: \"%s\" is not valid: expected %s"),
                                                      "--iterations", iterations_text, expected);
          return usage_error (err, "batch", message);
        }
      options.iterations = (guint)value;
    }
  if (seed_text && options.iterations == 0)
    return usage_error (err, "batch", _ ("--seed needs --iterations: without it nothing is drawn"));
  if (seed_text
      && !parse_whole (err, "batch", "--seed", seed_text, 0, G_MAXUINT64,
                       _ ("a whole number from 0 to 18446744073709551615"), &options.seed))
    return EXIT_USAGE;
  if (jobs_text)
    {
      g_autofree char *expected
          = g_strdup_printf (_ ("a whole number from 0 (all cores) to %d"), MAX_JOBS);
      if (!parse_whole (err, "batch", "--jobs", jobs_text, 0, MAX_JOBS, expected, &value))
        return EXIT_USAGE;
      options.jobs = (guint)value;
    }
  options.resume = resume;
  guint n_args = g_strv_length (args);
  if (n_args < 2)
    return usage_error (err, "batch", _ ("no catalog file given"));
  if (n_args > 2)
    return usage_error (err, "batch", _ ("give one catalog file"));
  if (db == NULL)
    return usage_error (err, "batch",
                        _ ("no result store given: add --db FILE (created when it does not "
                           "exist)"));
  const char *catalog_path = args[1];

  gboolean ok = TRUE;
  g_autofree char *dir_used = NULL;
  g_autoptr (MoaModelSet) models = load_models (models_dir, err, &ok, &dir_used);
  if (!ok)
    return EXIT_INVALID;

  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCatalog) catalog = moa_catalog_load_file (catalog_path, problems, &error);
  if (catalog == NULL || problems->len > 0)
    {
      print_problems (err, problems, error);
      return EXIT_INVALID;
    }

  g_autoptr (MoaStore) store = moa_store_open (db, TRUE, &error);
  if (store == NULL)
    {
      fprintf (err, "moa batch: %s\n", error->message);
      return EXIT_INVALID;
    }

  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  SigintGuard guard;
  sigint_install (&guard);
  Progress progress;
  guint jobs = options.jobs > 0 ? options.jobs : g_get_num_processors ();
  progress_start (&progress, err, quiet, jobs, cancellable);
  g_mutex_lock (&progress.lock);
  g_free (progress.threads_text);
  progress.threads_text
      = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u job", "%u jobs", jobs), jobs);
  g_mutex_unlock (&progress.lock);
  MoaBatchStatus run_status;
  BatchView view = { &progress, &run_status, err, db, moa_catalog_get_id (catalog), 0 };
  gint64 start = g_get_monotonic_time ();
  gint64 run_id = moa_batch_run (catalog, store, models, &options, cancellable, on_batch_progress,
                                 &view, &run_status, problems, &error);
  double seconds = (double)(g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  progress_finish (&progress);
  gboolean stopped = interrupted || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  sigint_restore (&guard);

  g_autofree char *again
      = resume_command (catalog_path, db, iterations_text, seed_text, models_dir);
  if (run_id == 0 && stopped && run_status.run_id == 0)
    return report_interrupted (err, "batch");
  if (run_id == 0 && stopped)
    {
      /* TRANSLATORS: the run id, units written, units in all, then the command to resume */
      print_line (err,
                  _ ("moa batch: interrupted: run %" PRId64 " is unfinished (%u of %u "
                     "units written); continue it with: %s"),
                  run_status.run_id, run_status.units_skipped + run_status.units_written,
                  run_status.units_total, again);
      return EXIT_INTERRUPTED;
    }
  if (run_id == 0)
    {
      if (problems->len > 0)
        print_problems (err, problems, NULL);
      else
        fprintf (err, "moa batch: %s\n", error->message);
      if (run_status.run_id != 0 && problems->len > 0)
        print_line (err,
                    _ ("moa batch: run %" PRId64 " is left unfinished (%u of %u units "
                       "written): fix the files above, then start a new run (without --resume: "
                       "its inputs changed)"),
                    run_status.run_id, run_status.units_skipped + run_status.units_written,
                    run_status.units_total);
      else if (run_status.run_id != 0)
        print_line (err,
                    _ ("moa batch: run %" PRId64 " is left unfinished (%u of %u units "
                       "written); once the problem is solved, continue it with: %s"),
                    run_status.run_id, run_status.units_skipped + run_status.units_written,
                    run_status.units_total, again);
      return EXIT_INVALID;
    }

  g_autofree char *time_text
      = seconds < 60 ? g_strdup_printf ("%.1f s", seconds) : duration_text (seconds);
  g_autofree char *db_word = shell_word (db);
  print_line (out, _ ("Run %" PRId64 " of catalog \"%s\" is complete."), run_id,
              moa_catalog_get_id (catalog));
  if (run_status.units_skipped > 0)
    print_line (
        out, _ ("  Procedures: %u written now, %u already written by the run resumed, %u in all"),
        run_status.units_written, run_status.units_skipped, run_status.units_total);
  else
    print_line (out, _ ("  Procedures: %u written, %u in all"), run_status.units_written,
                run_status.units_total);
  print_line (out,
              _ ("  Figures:    money in %s at %d prices, per year; hours per year; one-off "
                 "costs apart"),
              moa_catalog_get_currency (catalog), moa_catalog_get_price_year (catalog));
  print_line (out,
              g_dngettext (GETTEXT_PACKAGE, "  Time:       %s with %u job",
                           "  Time:       %s with %u jobs", jobs),
              time_text, jobs);
  print_line (out, _ ("  Store:      %s"), db);
  if (options.iterations > 0)
    print_line (out, _ ("  Monte Carlo: %u paired iterations per procedure, seed %" PRIu64),
                options.iterations, options.seed);
  print_programme (out, store, run_id, moa_catalog_get_currency (catalog),
                   moa_catalog_get_price_year (catalog));
  print_line (out, _ ("List the runs with:      moa runs --db %s"), db_word);
  print_line (out, _ ("Write the report with:   moa report --db %s -o report.pdf"), db_word);
  return EXIT_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* moa runs                                                                                   */

static void
json_text (GString *out, const char *s)
{
  if (s == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *c = (const unsigned char *)s; *c; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (out, "\\%c", *c);
      else if (*c == '\n')
        g_string_append (out, "\\n");
      else if (*c < 0x20)
        g_string_append_printf (out, "\\u%04x", *c);
      else
        g_string_append_c (out, (char)*c);
    }
  g_string_append_c (out, '"');
}

/* The columns of the list, for each run: header and value. */
#define RUN_COLUMNS 10

static char *
run_cell (const MoaStoreRun *run, int column)
{
  switch (column)
    {
      case 0:
        return g_strdup_printf ("%" G_GINT64_FORMAT, run->id);
      case 1:
        return g_strdup (g_strcmp0 (run->status, "complete") == 0 ? _ ("complete")
                                                                  : _ ("unfinished"));
      case 2:
        return g_strdup_printf ("%u/%u", run->units_done, run->units_total);
      case 3:
        return g_strdup (run->started_at ? run->started_at : "");
      case 4:
        return g_strdup (run->finished_at ? run->finished_at : "-");
      case 5:
        return g_strdup (run->catalog_id ? run->catalog_id : "");
      case 6:
        return g_strdup_printf ("%" G_GUINT64_FORMAT, run->seed);
      case 7:
        return g_strdup_printf ("%u", run->iterations);
      case 8:
        return g_strdup_printf ("%s %s", run->cost_model ? run->cost_model : "",
                                run->cost_model_version ? run->cost_model_version : "");
      case 9:
        return g_strdup_printf ("%d", run->price_year);
      default:
        g_assert_not_reached ();
    }
}

static void
format_runs_table (GString *out, GPtrArray *runs, const char *db)
{
  const char *headers[RUN_COLUMNS] = {
    _ ("Run"),     _ ("Status"), _ ("Units"),      _ ("Started (UTC)"), _ ("Finished (UTC)"),
    _ ("Catalog"), _ ("Seed"),   _ ("Iterations"), _ ("Cost model"),    _ ("Price year"),
  };
  if (runs->len == 0)
    {
      g_string_append_printf (out,
                              _ ("No runs in %s yet: \"moa batch CATALOG --db %s\" starts "
                                 "one."),
                              db, db);
      g_string_append_c (out, '\n');
      return;
    }
  glong width[RUN_COLUMNS];
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  for (int c = 0; c < RUN_COLUMNS; c++)
    width[c] = g_utf8_strlen (headers[c], -1);
  for (guint i = 0; i < runs->len; i++)
    for (int c = 0; c < RUN_COLUMNS; c++)
      {
        char *cell = run_cell (g_ptr_array_index (runs, i), c);
        width[c] = MAX (width[c], g_utf8_strlen (cell, -1));
        g_ptr_array_add (cells, cell);
      }
  for (guint row = 0; row <= runs->len; row++)
    {
      for (int c = 0; c < RUN_COLUMNS; c++)
        {
          const char *text
              = row == 0 ? headers[c] : g_ptr_array_index (cells, (row - 1) * RUN_COLUMNS + c);
          glong pad = width[c] - g_utf8_strlen (text, -1);
          gboolean right = c == 0 || c == 6 || c == 7; /* numbers */
          if (right)
            for (glong k = 0; k < pad; k++)
              g_string_append_c (out, ' ');
          g_string_append (out, text);
          if (c < RUN_COLUMNS - 1)
            {
              if (!right)
                for (glong k = 0; k < pad; k++)
                  g_string_append_c (out, ' ');
              g_string_append (out, "  ");
            }
        }
      g_string_append_c (out, '\n');
    }
  gboolean unfinished = FALSE;
  for (guint i = 0; i < runs->len; i++)
    unfinished |= g_strcmp0 (((MoaStoreRun *)g_ptr_array_index (runs, i))->status, "complete") != 0;
  g_string_append_c (out, '\n');
  g_autofree char *note = g_strdup_printf (
      _ ("Units are the catalog's procedures written by the run. Money in the runs is in the "
         "catalog's currency at its price year. %s"),
      unfinished ? _ ("An unfinished run was stopped (or is being written now): continue it with "
                      "\"moa batch CATALOG --db FILE --resume\" and its --iterations and --seed.")
                 : "");
  g_string_append (out, g_strchomp (note));
  g_string_append_c (out, '\n');
}

static void
format_runs_csv (GString *out, GPtrArray *runs)
{
  g_string_append (out, "id,status,units_done,units_total,started_at,finished_at,catalog_id,"
                        "catalog_file,seed,iterations,cost_model,cost_model_version,price_year,"
                        "currency,moa_version,inputs_sha256\r\n");
  for (guint i = 0; i < runs->len; i++)
    {
      const MoaStoreRun *r = g_ptr_array_index (runs, i);
      g_string_append_printf (out, "%" G_GINT64_FORMAT ",", r->id);
      moa_lang_csv_text (out, r->status);
      g_string_append_printf (out, ",%u,%u,", r->units_done, r->units_total);
      moa_lang_csv_text (out, r->started_at);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, r->finished_at);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, r->catalog_id);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, r->catalog_file);
      g_string_append_printf (out, ",%" G_GUINT64_FORMAT ",%u,", r->seed, r->iterations);
      moa_lang_csv_text (out, r->cost_model);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, r->cost_model_version);
      g_string_append_printf (out, ",%d,", r->price_year);
      moa_lang_csv_text (out, r->currency);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, r->moa_version);
      g_string_append_c (out, ',');
      moa_lang_csv_text (out, r->inputs_sha256);
      g_string_append (out, "\r\n");
    }
}

static void
format_runs_json (GString *out, GPtrArray *runs, const char *db)
{
  g_string_append (out, "{\n  \"moa_version\": ");
  json_text (out, PACKAGE_VERSION);
  g_string_append (out, ",\n  \"store\": ");
  json_text (out, db);
  g_string_append (out, ",\n  \"runs\": [");
  for (guint i = 0; i < runs->len; i++)
    {
      const MoaStoreRun *r = g_ptr_array_index (runs, i);
      const struct
      {
        const char *key;
        const char *value;
      } texts[] = {
        { "status", r->status },
        { "started_at", r->started_at },
        { "finished_at", r->finished_at },
        { "catalog_id", r->catalog_id },
        { "catalog_file", r->catalog_file },
        { "catalog_sha256", r->catalog_sha256 },
        { "inputs_sha256", r->inputs_sha256 },
        { "cost_model", r->cost_model },
        { "cost_model_version", r->cost_model_version },
        { "currency", r->currency },
        { "moa_version", r->moa_version },
      };
      g_string_append_printf (out, "%s\n    {\n      \"id\": %" G_GINT64_FORMAT, i ? "," : "",
                              r->id);
      for (gsize k = 0; k < G_N_ELEMENTS (texts); k++)
        {
          g_string_append_printf (out, ",\n      \"%s\": ", texts[k].key);
          json_text (out, texts[k].value);
        }
      g_string_append_printf (out,
                              ",\n      \"units_done\": %u,\n      \"units_total\": %u,\n"
                              "      \"seed\": %" G_GUINT64_FORMAT ",\n      \"iterations\": %u,\n"
                              "      \"price_year\": %d\n    }",
                              r->units_done, r->units_total, r->seed, r->iterations, r->price_year);
    }
  g_string_append (out, runs->len ? "\n  ]\n}\n" : "]\n}\n");
}

/* moa_cli_runs:
 * "moa runs --db FILE [--format table|csv|json]": lists the runs of the result store FILE,
 * newest first (moa_store_list_runs()): id, status, units written and in all, start and end
 * times, catalog, seed, iterations, cost model and price year. Returns 0, 1 when the store
 * cannot be opened or read, 2 on a usage error. */
int
moa_cli_runs (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *db = NULL, *format_name = NULL, *output = NULL;
  const GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db, N_ ("The result store to read; required"),
      N_ ("FILE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_ ("Output format: table (default), csv or json"), N_ ("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the list to FILE instead of the standard output"), N_ ("FILE") },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n%s",
      _ ("Lists the runs that \"moa batch\" wrote to the result store FILE, newest first: the "
         "run's id (what \"moa report --run ID\" takes), whether it is complete or unfinished, "
         "the procedures (units) written out of those in the catalog, when it started and "
         "finished (UTC), the catalog, the seed and the Monte Carlo iterations (0: exact "
         "figures only), the cost model and its version, and the price year. An unfinished run "
         "was interrupted, or is being written right now by another moa batch. The csv and "
         "json formats add the catalog file, the moa version and the SHA-256 of the inputs."),
      _ ("Examples:\n"
         "  moa runs --db results.db\n"
         "  moa runs --db results.db --format csv -o runs.csv\n"
         "  moa runs --db results.db --format json"),
      _ ("Exit status:\n"
         "  0    the runs were listed (also when there are none)\n"
         "  1    the store does not exist, cannot be read or is not a moa result store,\n"
         "       or the output cannot be written\n"
         "  2    usage error (no --db, unknown option or format)"),
      _ (BATCH_DOCS_HINT), _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "runs", _ ("[OPTION…] --db FILE"), _ ("List the runs of a result store."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  MoaFormat format = MOA_FORMAT_TABLE;
  status = check_format_and_lang (err, "runs", format_name, NULL, &format);
  if (status >= 0)
    return status;
  if (g_strv_length (args) > 1)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("unexpected argument \"%s\": give the store with --db FILE"), args[1]);
      return usage_error (err, "runs", message);
    }
  if (db == NULL)
    return usage_error (err, "runs", _ ("no result store given: add --db FILE"));

  g_autoptr (GError) error = NULL;
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      print_line (err, _ ("moa runs: %s does not exist; \"moa batch CATALOG --db %s\" creates it"),
                  db, db);
      return EXIT_INVALID;
    }
  g_autoptr (MoaStore) store = moa_store_open (db, FALSE, &error);
  g_autoptr (GPtrArray) runs = store ? moa_store_list_runs (store, &error) : NULL;
  if (runs == NULL)
    {
      fprintf (err, "moa runs: %s\n", error->message);
      return EXIT_INVALID;
    }

  g_autoptr (GString) text = g_string_new (NULL);
  if (format == MOA_FORMAT_TABLE)
    format_runs_table (text, runs, db);
  else if (format == MOA_FORMAT_CSV)
    format_runs_csv (text, runs);
  else
    format_runs_json (text, runs, db);
  return write_output (text, output, out, err) ? EXIT_OK : EXIT_INVALID;
}
