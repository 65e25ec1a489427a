/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "moa report": the policymakers' savings report of a run of the result store, as PDF, HTML or
 * CSV, in Italian or English. */
#define G_LOG_DOMAIN "moa-cli"

#include "moa-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-cli-private.h"
#include "moa-cli.h"
#include "moa-lang.h"
#include "moa-report.h"
#include "moa-store.h"

/* The format named by @path's extension (.pdf, .html/.htm/.xhtml, .csv), or FALSE. */
static gboolean
format_from_extension (const char *path, MoaReportFormat *format)
{
  const char *dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (dot, ".htm") == 0 || g_ascii_strcasecmp (dot, ".xhtml") == 0)
    {
      *format = MOA_REPORT_HTML;
      return TRUE;
    }
  return moa_report_format_from_string (dot + 1, format);
}

/* The run to report when --run is not given: the newest complete one. Prints why there is none
 * (no run at all, or only unfinished ones: the newest is named, with what to do) and returns
 * 0; notes on @err when a newer run is unfinished. */
static gint64
default_run (MoaStore *store, const char *db, FILE *err)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) runs = moa_store_list_runs (store, &error);
  if (runs == NULL)
    {
      fprintf (err, "moa report: %s\n", error->message);
      return 0;
    }
  if (runs->len == 0)
    {
      print_line (err,
                  _ ("moa report: %s holds no run yet; \"moa batch CATALOG --db %s\" "
                     "writes one"),
                  db, db);
      return 0;
    }
  const MoaStoreRun *newest = g_ptr_array_index (runs, 0); /* newest first */
  for (guint i = 0; i < runs->len; i++)
    {
      const MoaStoreRun *run = g_ptr_array_index (runs, i);
      if (g_strcmp0 (run->status, "complete") != 0)
        continue;
      if (i > 0)
        {
          g_autofree char *newer = g_strdup_printf ("%" G_GINT64_FORMAT, newest->id);
          g_autofree char *chosen = g_strdup_printf ("%" G_GINT64_FORMAT, run->id);
          print_line (err,
                      _ ("moa report: run %s is unfinished; reporting run %s, the newest "
                         "complete one (pass --run %s to report the unfinished run as it "
                         "is)"),
                      newer, chosen, newer);
        }
      return run->id;
    }
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, newest->id);
  print_line (err,
              _ ("moa report: no complete run in %s: run %s is unfinished (%u of %u "
                 "procedures written): resume it with moa batch --resume, or pass --run %s "
                 "to report it as it is"),
              db, id, newest->units_done, newest->units_total, id);
  return 0;
}

/* moa_cli_report:
 * "moa report --db FILE [--run ID] [--format pdf|html|csv] -o FILE [--lang it|en]": reads run
 * ID (default: the newest complete one) of the result store with moa_store_read_report() and
 * writes its report with moa_report_write(), atomically. Returns 0, 1 when the store, the run
 * or the output fails, 2 on a usage error. */
int
moa_cli_report (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *db = NULL, *run_text = NULL, *format_name = NULL, *output = NULL;
  g_autofree char *lang = NULL;
  const GOptionEntry entries[] = {
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db, N_ ("The result store to read; required"),
      N_ ("FILE") },
    { "run", 'r', 0, G_OPTION_ARG_STRING, &run_text,
      N_ ("Report run ID (default: the newest complete run; moa runs lists them)"), N_ ("ID") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_ ("pdf, html or csv (default: from the extension of the output file)"), N_ ("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the report to FILE (replaced only when everything succeeded); required"),
      N_ ("FILE") },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang,
      N_ ("Language of the report: it or en (default: that of the messages)"), N_ ("LANG") },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s",
      _ ("Writes the savings report of a run of \"moa batch\" for policymakers: the summary "
         "(burden on citizens and businesses before and after the programme, the saving in "
         "euros and per cent, citizens' hours and businesses' euros saved, with P5 – P95 "
         "intervals when the run had Monte Carlo iterations, one-off costs apart), the most "
         "burdensome obligations, breakdowns by area, target group, territory and measure, a "
         "page per procedure with its charts, the register of assumptions (every parameter's "
         "value and source), the methodology and its caveats, and the run's provenance (moa "
         "version, seed, cost model, the SHA-256 of every input). Money is per year at the "
         "catalog's price year; one-off costs are totals reported apart."),
      _ ("Formats:\n"
         "  pdf   A4 pages with tables and bar charts, numbered\n"
         "  html  one self-contained file (inline CSS and SVG charts, nothing fetched)\n"
         "  csv   one row per figure, full precision, '.' as decimal point\n"
         "Without --format the extension of -o decides (.pdf, .html, .htm, .csv). Numbers in PDF "
         "and HTML follow the language: 1.234.567 in Italian, 1,234,567 in English."),
      _ ("The report shows a complete run unless told otherwise: an unfinished run (interrupted, "
         "or still being written) covers only some procedures. Give its id with --run to report "
         "it anyway: every page then says it is unfinished."),
      _ ("Examples:\n"
         "  moa report --db results.db -o report.pdf\n"
         "  moa report --db results.db --lang en -o report.html\n"
         "  moa report --db results.db --run 3 --format csv -o run3.csv"),
      _ ("Exit status:\n"
         "  0    the report was written\n"
         "  1    the store does not exist or is not a moa result store, the run does not\n"
         "       exist, there is no complete run, or the report cannot be written (then no\n"
         "       file is left behind)\n"
         "  2    usage error (no --db or -o, unknown option, format or language)"),
      _ ("Documentation: docs/report.md (what each section shows, the CSV columns), "
         "docs/store.md (the result store), docs/cli.md (commands)."));

  Parser p;
  parser_init (&p, "report", _ ("[OPTION…] --db FILE -o FILE"),
               _ ("Write the savings report of a run as PDF, HTML or CSV."), description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  if (g_strv_length (args) > 1)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("unexpected argument \"%s\": give the store with --db FILE and the report with "
             "-o FILE"),
          args[1]);
      return usage_error (err, "report", message);
    }
  if (db == NULL)
    return usage_error (err, "report", _ ("no result store given: add --db FILE"));
  if (output == NULL)
    return usage_error (err, "report", _ ("no output file given: add -o FILE (e.g. report.pdf)"));

  MoaReportFormat format = MOA_REPORT_PDF;
  if (format_name != NULL)
    {
      if (!moa_report_format_from_string (format_name, &format))
        {
          g_autofree char *message = g_strdup_printf (
              _ ("unknown format \"%s\"; expected pdf, html or csv"), format_name);
          return usage_error (err, "report", message);
        }
    }
  else if (!format_from_extension (output, &format))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("cannot tell the format from \"%s\": give --format pdf, html or "
                                "csv, or end the file name in .pdf, .html or .csv"),
                             output);
      return usage_error (err, "report", message);
    }
  if (lang && strcmp (lang, "it") != 0 && strcmp (lang, "en") != 0)
    {
      g_autofree char *message
          = g_strdup_printf (_ ("unknown language \"%s\"; expected it or en"), lang);
      return usage_error (err, "report", message);
    }
  guint64 run_id = 0;
  if (run_text
      && !parse_whole (err, "report", "--run", run_text, 1, G_MAXINT64,
                       _ ("a run id: a whole number from 1 (moa runs lists them)"), &run_id))
    return EXIT_USAGE;

  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      print_line (err,
                  _ ("moa report: no such store: %s does not exist; \"moa batch CATALOG --db %s\" "
                     "creates it"),
                  db, db);
      return EXIT_INVALID;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaStore) store = moa_store_open (db, FALSE, &error);
  if (store == NULL)
    {
      fprintf (err, "moa report: %s\n", error->message);
      return EXIT_INVALID;
    }
  if (run_id == 0)
    {
      run_id = (guint64)default_run (store, db, err);
      if (run_id == 0)
        return EXIT_INVALID;
    }
  else
    {
      g_autoptr (MoaStoreRun) run = moa_store_get_run (store, (gint64)run_id, &error);
      if (run == NULL)
        {
          fprintf (err, "moa report: %s\n", error->message);
          return EXIT_INVALID;
        }
      if (g_strcmp0 (run->status, "complete") != 0)
        print_line (err,
                    _ ("moa report: run %s is unfinished (%u of %u procedures written): "
                       "the report says so on every page"),
                    run_text, run->units_done, run->units_total);
    }

  g_autoptr (MoaReport) report = moa_store_read_report (store, (gint64)run_id, &error);
  if (report == NULL)
    {
      fprintf (err, "moa report: %s\n", error->message);
      return EXIT_INVALID;
    }
  const char *language = moa_lang_resolve (lang);
  if (!moa_report_write (report, format, language, output, &error))
    {
      fprintf (err, "moa report: %s\n", error->message);
      return EXIT_INVALID;
    }
  return EXIT_OK;
}
