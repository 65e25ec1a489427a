/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as functions: --version, --help of every command, exit statuses of usage
 * errors, JSON output of a bundled procedure, simulate / sensitivity: reproducibility,
 * agreement with evaluate, option checks and Ctrl-C; compare / apply on the bundled
 * scenarios: usage errors, tables, agreement with evaluate, reproducible paired intervals. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>

#include "moa-config.h"
#include "moa.h"
#include "moa-cli.h"
#include "moa-random.h"
#include "moa-xml.h"
#include "moa-test-support.h"

static const char *const commands[]
    = { "validate", "evaluate", "simulate", "sensitivity", "compare", "apply", "models" };

/* Runs moa_cli_main() with the NULL-terminated arguments after "moa", capturing both
 * streams. */
static int
run_moa (char **out_text, char **err_text, ...)
{
  va_list args;
  va_start (args, err_text);
  int status = moa_test_run_commandv (moa_cli_main, "moa", out_text, err_text, args);
  va_end (args);
  return status;
}

static void
test_version (void **state)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "--version", NULL);
  if (status != 0)
    fail_msg ("moa --version: exit %d\n%s", status, err);
  if (strstr (out, PACKAGE_VERSION) == NULL)
    fail_msg ("moa --version does not print %s:\n%s", PACKAGE_VERSION, out);
}

static void
test_help (void **state)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "--help", NULL);
  if (status != 0)
    fail_msg ("moa --help: exit %d\n%s", status, err);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strstr (out, commands[i]) == NULL)
      fail_msg ("moa --help does not list \"%s\":\n%s", commands[i], out);
}

static void
test_command_help (void **state)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = run_moa (&out, &err, commands[i], "--help", NULL);
      if (status != 0)
        fail_msg ("moa %s --help: exit %d\n%s%s", commands[i], status, out, err);
      g_autofree char *text = g_strconcat (out, err, NULL);
      if (strlen (text) < 20 || strstr (text, commands[i]) == NULL)
        fail_msg ("moa %s --help does not mention the command:\n%s", commands[i], text);
    }
}

static void
test_usage_errors (void **state)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "frobnicate", NULL);
  if (status != 2)
    fail_msg ("moa frobnicate: exit %d, expected 2 (usage error)", status);
  assert_true (strlen (err) > 0);

  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  status = run_moa (&out2, &err2, "validate", NULL);
  if (status != 2)
    fail_msg ("moa validate without a file: exit %d, expected 2 (usage error)", status);
  assert_true (strlen (err2) > 0);

  g_autofree char *out3 = NULL;
  g_autofree char *err3 = NULL;
  status = run_moa (&out3, &err3, "evaluate", NULL);
  if (status != 2)
    fail_msg ("moa evaluate without a file: exit %d, expected 2 (usage error)", status);

  g_autofree char *out4 = NULL;
  g_autofree char *err4 = NULL;
  status = run_moa (&out4, &err4, "validate", "--no-such-option", "x.xml", NULL);
  if (status != 2)
    fail_msg ("moa validate --no-such-option: exit %d, expected 2 (usage error)", status);
}

/* The first procedure of procedures/ (sorted by file name): its path and id. */
static char *
first_procedure (char **id)
{
  g_autofree char *dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    fail_msg ("%s", error->message);
  g_autofree char *first = NULL;
  for (const char *name = g_dir_read_name (d); name != NULL; name = g_dir_read_name (d))
    if (g_str_has_suffix (name, ".xml") && (first == NULL || strcmp (name, first) < 0))
      {
        g_free (first);
        first = g_strdup (name);
      }
  if (first == NULL)
    fail_msg ("no procedure in %s", dir);
  char *path = g_build_filename (dir, first, NULL);
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  *id = g_strdup (procedure->id);
  return path;
}

static void
test_evaluate_json (void **state)
{
  g_autofree char *id = NULL;
  g_autofree char *path = first_procedure (&id);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "evaluate", "--format", "json", path, NULL);
  if (status != 0)
    fail_msg ("moa evaluate --format json %s: exit %d\n%s", path, status, err);
  if (out[0] != '{')
    fail_msg ("JSON output does not start with '{':\n%.200s", out);
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", id);
  if (strstr (out, quoted) == NULL)
    fail_msg ("JSON output does not contain the procedure id %s", quoted);
  g_strchomp (out);
  assert_int_equal (out[strlen (out) - 1], '}');

  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  status = run_moa (&out2, &err2, "evaluate", "--format", "yaml", path, NULL);
  if (status != 2)
    fail_msg ("moa evaluate --format yaml: exit %d, expected 2 (usage error)", status);
}

static void
test_validate_bundled (void **state)
{
  g_autofree char *id = NULL;
  g_autofree char *path = first_procedure (&id);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "validate", path, NULL);
  if (status != 0)
    fail_msg ("moa validate %s: exit %d\n%s", path, status, err);
}

/* `moa validate` reads a catalog as moa batch does: the bundled one is valid; one that names
 * a missing procedure file is not, with the catalog's file and line in the message. */
static void
test_validate_catalog (void **state)
{
  g_autofree char *path
      = g_build_filename (MOA_SOURCE_DIR, "catalogs", "lombardia", "catalogo.xml", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status = run_moa (&out, &err, "validate", path, NULL);
  if (status != 0 || strstr (out, "catalogo.xml: valid") == NULL)
    fail_msg ("moa validate %s: exit %d\n%s%s", path, status, out, err);

  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("moa-test-cli-XXXXXX", &error);
  assert_non_null (tmp);
  g_autofree char *bad = g_build_filename (tmp, "bad.xml", NULL);
  assert_true (g_file_set_contents (bad,
                                    "<catalog format=\"1\" id=\"x\" cost-model=\"it-moa\" "
                                    "price-year=\"2024\">\n"
                                    "  <title lang=\"en\">Bad</title>\n"
                                    "  <procedure id=\"a\" file=\"missing.xml\"/>\n"
                                    "</catalog>\n",
                                    -1, NULL));
  g_autofree char *out2 = NULL, *err2 = NULL;
  status = run_moa (&out2, &err2, "validate", bad, NULL);
  g_autofree char *where = g_strdup_printf ("%s:3:", bad);
  if (status != 1 || strstr (err2, where) == NULL || strstr (err2, "missing.xml") == NULL)
    fail_msg ("moa validate %s: exit %d, expected 1 naming %s and missing.xml:\n%s", bad, status,
              where, err2);
  g_remove (bad);
  g_rmdir (tmp);
}

/* `moa models` lists the shipped cost models by id. */
static void
test_models_list (void **state)
{
  g_autoptr (MoaModelSet) set = moa_model_set_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = moa_default_models_dir ();
  if (!moa_model_set_load_dir (set, dir, NULL, &error))
    fail_msg ("%s", error->message);
  GPtrArray *list = moa_model_set_get_models (set);
  assert_true (list->len > 0);

  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "models", NULL);
  if (status != 0)
    fail_msg ("moa models: exit %d\n%s", status, err);
  for (guint i = 0; i < list->len; i++)
    {
      const MoaCostModel *model = g_ptr_array_index (list, i);
      if (strstr (out, model->id) == NULL)
        fail_msg ("moa models does not list %s:\n%s", model->id, out);
    }
}

/* --- moa simulate and moa sensitivity ---------------------------------------------------- */

/* Every option value that must be refused with a usage error (status 2) and a message. */
static void
test_simulate_bad_values (void **state)
{
  g_autofree char *id = NULL;
  g_autofree char *path = first_procedure (&id);
  const char *const cases[][4] = {
    { "simulate", "--iterations", "1", NULL },
    { "simulate", "--iterations", "0", NULL },
    { "simulate", "--iterations", "ten", NULL },
    { "simulate", "--iterations", "-5", NULL },
    { "simulate", "--precision", "0", NULL },
    { "simulate", "--precision", "1", NULL },
    { "simulate", "--precision", "1.5", NULL },
    { "simulate", "--precision", "-0.01", NULL },
    { "simulate", "--precision", "uniform(0.01, 0.02)", NULL },
    { "simulate", "--seed", "-1", NULL },
    { "simulate", "--seed", "18446744073709551616", NULL },
    { "simulate", "--threads", "-1", NULL },
    { "simulate", "--threads", "many", NULL },
    { "simulate", "--format", "yaml", NULL },
    { "simulate", "--lang", "fr", NULL },
    { "simulate", "--cases", "100", NULL },     /* needs --per-case */
    { "simulate", "--threshold", "6 h", NULL }, /* needs --per-case */
    { "sensitivity", "--top", "0", NULL },
    { "sensitivity", "--top", "x", NULL },
    { "sensitivity", "--format", "xml", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = run_moa (&out, &err, cases[i][0], cases[i][1], cases[i][2], path, NULL);
      if (status != 2 || strlen (err) == 0 || strlen (out) != 0)
        fail_msg ("moa %s %s %s: exit %d, expected 2 with a message and no output\n%s%s",
                  cases[i][0], cases[i][1], cases[i][2], status, out, err);
      /* the message names the option or the value it refuses */
      if (strstr (err, cases[i][1]) == NULL && strstr (err, cases[i][2]) == NULL)
        fail_msg ("moa %s %s %s: the message names neither the option nor the value:\n%s",
                  cases[i][0], cases[i][1], cases[i][2], err);
    }

  const char *const per_case[][6] = {
    { "--per-case", "--cases", "1", NULL },
    { "--per-case", "--threshold", "6", NULL },     /* no unit */
    { "--per-case", "--threshold", "6 EUR", NULL }, /* not a time */
    { "--per-case", "--threshold", "triangular(1, 2, 3) h", NULL },
    { "--per-case", "--precision", "0.01", NULL }, /* two-level only */
    { "--per-case", "--iterations", "500", NULL }, /* two-level only */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (per_case); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = run_moa (&out, &err, "simulate", per_case[i][0], per_case[i][1], per_case[i][2],
                            path, NULL);
      if (status != 2 || strlen (err) == 0)
        fail_msg ("moa simulate %s %s %s: exit %d, expected 2\n%s", per_case[i][0], per_case[i][1],
                  per_case[i][2], status, err);
    }

  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "simulate", NULL);
  if (status != 2)
    fail_msg ("moa simulate without a file: exit %d, expected 2", status);
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  status = run_moa (&out2, &err2, "sensitivity", NULL);
  if (status != 2)
    fail_msg ("moa sensitivity without a file: exit %d, expected 2", status);
}

/* Runs "moa simulate --iterations 200 --seed 7 --format csv [--threads T] FILE" and returns
 * its output. */
static char *
simulate_csv (const char *path, const char *threads, gboolean per_case)
{
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;
  if (per_case)
    status = run_moa (&out, &err, "simulate", "--per-case", "--cases", "300", "--seed", "7",
                      "--format", "csv", "--threads", threads, path, NULL);
  else
    status = run_moa (&out, &err, "simulate", "--iterations", "200", "--seed", "7", "--format",
                      "csv", "--threads", threads, path, NULL);
  if (status != 0)
    fail_msg ("moa simulate%s --threads %s %s: exit %d\n%s", per_case ? " --per-case" : "", threads,
              path, status, err);
  return out;
}

/* The same seed twice, and 1 or 2 threads, give the same bytes. */
static void
test_simulate_reproducible (void **state)
{
  g_autofree char *id = NULL;
  g_autofree char *path = first_procedure (&id);
  for (int per_case = 0; per_case <= 1; per_case++)
    {
      g_autofree char *a = simulate_csv (path, "2", per_case);
      g_autofree char *b = simulate_csv (path, "2", per_case);
      g_autofree char *one = simulate_csv (path, "1", per_case);
      if (strlen (a) < 100 || strchr (a, '\n') == strrchr (a, '\n'))
        fail_msg ("moa simulate%s: no rows:\n%s", per_case ? " --per-case" : "", a);
      if (strcmp (a, b) != 0)
        fail_msg ("moa simulate%s with seed 7 twice: different output",
                  per_case ? " --per-case" : "");
      if (strcmp (a, one) != 0)
        fail_msg ("moa simulate%s: --threads 1 and --threads 2 differ",
                  per_case ? " --per-case" : "");
      /* the seed and the generator are in the output */
      if (strstr (a, ",7,") == NULL || strstr (a, moa_random_generator_name ()) == NULL)
        fail_msg ("moa simulate%s: seed 7 or the generator missing:\n%.400s",
                  per_case ? " --per-case" : "", a);
    }

  /* another seed gives other numbers */
  g_autofree char *err = NULL;
  g_autofree char *other = NULL;
  g_autofree char *a = simulate_csv (path, "1", FALSE);
  int status = run_moa (&other, &err, "simulate", "--iterations", "200", "--seed", "8", "--format",
                        "csv", path, NULL);
  assert_int_equal (status, 0);
  if (strcmp (a, other) == 0)
    fail_msg ("moa simulate: seeds 7 and 8 give the same output");
}

/* The CSV row whose first fields are @fields (NULL: any value), split; NULL when absent. */
static char **
csv_find_row (const char *csv, const char *const *fields, guint n_fields)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\r\n", -1);
  for (char **line = lines + 1; *line && **line; line++)
    {
      /* the rows of these tests hold no quoted comma before the columns they read */
      char **cells = g_strsplit (*line, ",", -1);
      gboolean match = g_strv_length (cells) >= n_fields;
      for (guint i = 0; match && i < n_fields; i++)
        match = fields[i] == NULL || strcmp (cells[i], fields[i]) == 0;
      if (match)
        return cells;
      g_strfreev (cells);
    }
  return NULL;
}

/* The index of column @name in the header of @csv, or -1. */
static int
csv_column (const char *csv, const char *name)
{
  g_autofree char *header = g_strndup (csv, strcspn (csv, "\r\n"));
  g_auto (GStrv) names = g_strsplit (header, ",", -1);
  for (int i = 0; names[i]; i++)
    if (strcmp (names[i], name) == 0)
      return i;
  return -1;
}

/* The point estimate of the simulation is the exact evaluation: the "point" of the total burden
 * equals evaluate's per_year_burden of the procedure row, for every bundled procedure. */
static void
test_simulate_point_is_evaluate (void **state)
{
  g_autofree char *dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  g_autofree char *sim = NULL, *sim_err = NULL, *eval = NULL, *eval_err = NULL;
  int status = run_moa (&sim, &sim_err, "simulate", "--iterations", "50", "--seed", "7", "--format",
                        "csv", dir, NULL);
  if (status != 0)
    fail_msg ("moa simulate %s: exit %d\n%s", dir, status, sim_err);
  status = run_moa (&eval, &eval_err, "evaluate", "--format", "csv", dir, NULL);
  if (status != 0)
    fail_msg ("moa evaluate %s: exit %d\n%s", dir, status, eval_err);

  int point = csv_column (sim, "point");
  int quantity = csv_column (sim, "quantity");
  int iterations = csv_column (sim, "iterations");
  int burden = csv_column (eval, "per_year_burden");
  int recurrence = csv_column (eval, "recurrence");
  assert_true (point > 0 && quantity > 0 && iterations > 0 && burden > 0 && recurrence > 0);

  guint checked = 0;
  g_auto (GStrv) lines = g_strsplit (eval, "\r\n", -1);
  for (char **line = lines + 1; *line && **line; line++)
    {
      g_auto (GStrv) e = g_strsplit (*line, ",", -1);
      if (strcmp (e[1], "procedure") != 0 || strcmp (e[recurrence], "recurring") != 0)
        continue;
      const char *key[] = { e[0], "procedure", e[0], NULL, NULL, NULL, "burden" };
      g_auto (GStrv) s = csv_find_row (sim, key, G_N_ELEMENTS (key));
      if (s == NULL)
        fail_msg ("moa simulate: no procedure burden row for %s", e[0]);
      double expected = g_ascii_strtod (e[burden], NULL);
      double got = g_ascii_strtod (s[point], NULL);
      if (got != expected)
        fail_msg ("%s: simulate's point %s differs from evaluate's per_year_burden %s", e[0],
                  s[point], e[burden]);
      assert_string_equal (s[iterations], "50");
      checked++;
    }
  if (checked < 2)
    fail_msg ("only %u procedures compared", checked);
}

/* The JSON of moa sensitivity names every parameter of the plan by its key. */
static void
test_sensitivity_json (void **state)
{
  g_autofree char *id = NULL;
  g_autofree char *path = first_procedure (&id);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
  assert_non_null (procedure);
  g_autoptr (MoaModelSet) set = moa_model_set_new ();
  g_autofree char *models = moa_default_models_dir ();
  if (!moa_model_set_load_dir (set, models, NULL, &error))
    fail_msg ("%s", error->message);
  MoaCostModel *model = moa_model_set_lookup (set, procedure->cost_model);
  assert_non_null (model);
  g_autoptr (MoaPlan) plan = moa_plan_new (procedure, model, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  assert_true (moa_plan_get_n_params (plan) > 0);

  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run_moa (&out, &err, "sensitivity", "--format", "json", path, NULL);
  if (status != 0)
    fail_msg ("moa sensitivity --format json %s: exit %d\n%s", path, status, err);
  for (guint i = 0; i < moa_plan_get_n_params (plan); i++)
    {
      g_autofree char *quoted
          = g_strdup_printf ("\"key\": \"%s\"", moa_plan_get_param_key (plan, i));
      if (strstr (out, quoted) == NULL)
        fail_msg ("moa sensitivity JSON lacks %s", quoted);
    }
  const char *members[] = { "\"elasticity\":", "\"derivative\":", "\"swing\":",
                            "\"low_total\":",  "\"high_total\":", "\"total_burden\":" };
  for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
    if (strstr (out, members[i]) == NULL)
      fail_msg ("moa sensitivity JSON lacks %s", members[i]);

  /* --top 1 keeps one parameter */
  g_autofree char *top = NULL;
  g_autofree char *top_err = NULL;
  status = run_moa (&top, &top_err, "sensitivity", "--top", "1", "--format", "csv", path, NULL);
  assert_int_equal (status, 0);
  g_auto (GStrv) rows = g_strsplit (top, "\r\n", -1);
  assert_int_equal (g_strv_length (rows), 3); /* header, one row, "" after the last CR LF */
}

/* --- moa compare and moa apply ----------------------------------------------------------- */

/* One bundled scenario: its file, id, and the procedure file at the bottom of its baseline
 * chain with that procedure's id. */
typedef struct
{
  char *scenario;
  char *scenario_id;
  char *procedure;
  char *procedure_id;
  gboolean direct; /* its baseline is the procedure itself, not another scenario */
} BundledPair;

static void
bundled_pair_free (BundledPair *pair)
{
  g_free (pair->scenario);
  g_free (pair->scenario_id);
  g_free (pair->procedure);
  g_free (pair->procedure_id);
  g_free (pair);
}

/* Every scenario of procedures/scenarios/, in name order, with the procedure its chain of
 * baseline attributes ends at (read from the files, not through the scenario loader). */
static GPtrArray *
bundled_pairs (void)
{
  g_autofree char *dir = g_build_filename (MOA_SOURCE_DIR, "procedures", "scenarios", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) paths = moa_test_list_xml (dir);

  GPtrArray *pairs = g_ptr_array_new_with_free_func ((GDestroyNotify)bundled_pair_free);
  for (guint i = 0; i < paths->len; i++)
    {
      BundledPair *pair = g_new0 (BundledPair, 1);
      pair->scenario = g_strdup (g_ptr_array_index (paths, i));
      g_autofree char *path = g_strdup (pair->scenario);
      for (int depth = 0;; depth++)
        {
          if (depth > 10)
            fail_msg ("%s: baseline chain longer than 10", pair->scenario);
          g_autoptr (MoaXmlNode) root = moa_xml_parse_file (path, &error);
          if (root == NULL)
            fail_msg ("%s", error->message);
          if (strcmp (root->name, "procedure") == 0)
            {
              pair->procedure = g_steal_pointer (&path);
              pair->procedure_id = g_strdup (moa_xml_node_get_attr (root, "id"));
              break;
            }
          assert_string_equal (root->name, "scenario");
          if (depth == 0)
            pair->scenario_id = g_strdup (moa_xml_node_get_attr (root, "id"));
          const char *baseline = moa_xml_node_get_attr (root, "baseline");
          assert_non_null (baseline);
          g_autofree char *base_dir = g_path_get_dirname (path);
          g_free (path);
          path = g_build_filename (base_dir, baseline, NULL);
          if (depth == 0)
            {
              g_autoptr (MoaXmlNode) next = moa_xml_parse_file (path, NULL);
              pair->direct = next != NULL && strcmp (next->name, "procedure") == 0;
            }
        }
      g_ptr_array_add (pairs, pair);
    }
  if (pairs->len == 0)
    fail_msg ("no scenario in %s", dir);
  return pairs;
}

/* The first bundled scenario based directly on a procedure, and having @with_uncertainty: the
 * baseline or the scenario writes a distribution (a value with "(", e.g. "triangular(…)"). */
static BundledPair *
first_direct_pair (GPtrArray *pairs, gboolean with_uncertainty)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      BundledPair *pair = g_ptr_array_index (pairs, i);
      if (!pair->direct)
        continue;
      if (!with_uncertainty)
        return pair;
      g_autofree char *a = NULL, *b = NULL;
      g_file_get_contents (pair->scenario, &a, NULL, NULL);
      g_file_get_contents (pair->procedure, &b, NULL, NULL);
      if ((a && strstr (a, "triangular(")) || (b && strstr (b, "triangular(")))
        return pair;
    }
  fail_msg ("no bundled scenario based directly on a procedure%s",
            with_uncertainty ? " with distributions" : "");
  return NULL;
}

/* Usage errors of compare and apply: status 2, a message, no output. */
static void
test_compare_usage_errors (void **state)
{
  g_autoptr (GPtrArray) pairs = bundled_pairs ();
  BundledPair *pair = first_direct_pair (pairs, FALSE);
  const char *const cases[][6] = {
    { "compare", NULL },
    { "compare", pair->procedure, NULL },
    { "compare", "--iterations", "1", pair->procedure, pair->scenario, NULL },
    { "compare", "--iterations", "many", pair->procedure, pair->scenario, NULL },
    { "compare", "--seed", "3", pair->procedure, pair->scenario, NULL }, /* needs --iterations */
    { "compare", "--threads", "2", pair->procedure, pair->scenario, NULL },
    { "compare", "--format", "yaml", pair->procedure, pair->scenario, NULL },
    { "compare", "--lang", "fr", pair->procedure, pair->scenario, NULL },
    { "compare", "--model", "no-such-model", pair->procedure, pair->scenario, NULL },
    { "compare", "--no-such-option", pair->procedure, pair->scenario, NULL },
    { "apply", NULL },
    { "apply", pair->procedure, NULL },
    { "apply", pair->procedure, pair->scenario, pair->scenario, NULL },
    { "apply", "--measures", "x", pair->procedure, pair->scenario, NULL },
    { "apply", "--measures", "1000", pair->procedure, pair->scenario, NULL }, /* too many */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_moa (&out, &err, cases[i][0], cases[i][1], cases[i][2], cases[i][3],
                            cases[i][4], cases[i][5], NULL);
      if (status != 2 || strlen (err) == 0 || strlen (out) != 0)
        fail_msg ("moa %s %s %s …: exit %d, expected 2 with a message and no output\n%s%s",
                  cases[i][0], cases[i][1] ? cases[i][1] : "", cases[i][2] ? cases[i][2] : "",
                  status, out, err);
      if (strstr (err, "--help") == NULL)
        fail_msg ("moa %s: the usage error does not point to --help:\n%s", cases[i][0], err);
    }
}

/* Every bundled scenario compared with its procedure: status 0, a table naming both. */
static void
test_compare_bundled (void **state)
{
  g_autoptr (GPtrArray) pairs = bundled_pairs ();
  for (guint i = 0; i < pairs->len; i++)
    {
      BundledPair *pair = g_ptr_array_index (pairs, i);
      g_autofree char *out = NULL, *err = NULL;
      int status
          = run_moa (&out, &err, "compare", "--lang", "en", pair->procedure, pair->scenario, NULL);
      if (status != 0)
        fail_msg ("moa compare %s %s: exit %d\n%s", pair->procedure, pair->scenario, status, err);
      if (strstr (out, pair->procedure_id) == NULL || strstr (out, pair->scenario_id) == NULL)
        fail_msg ("moa compare %s: the table names neither %s nor %s:\n%.600s", pair->scenario,
                  pair->procedure_id, pair->scenario_id, out);
      if (strstr (out, "Saving per year") == NULL || strstr (out, "Saving per measure") == NULL)
        fail_msg ("moa compare %s: no summary or no table per measure:\n%.600s", pair->scenario,
                  out);
    }
}

/* moa validate accepts scenarios too: every bundled one is valid, and a broken one is refused
 * with its file and line. */
static void
test_validate_scenarios (void **state)
{
  g_autoptr (GPtrArray) pairs = bundled_pairs ();
  g_autofree char *dir = g_build_filename (MOA_SOURCE_DIR, "procedures", "scenarios", NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status = run_moa (&out, &err, "validate", dir, NULL);
  if (status != 0)
    fail_msg ("moa validate %s: exit %d\n%s", dir, status, err);
  guint valid = 0;
  for (const char *p = strstr (out, ": valid"); p != NULL; p = strstr (p + 1, ": valid"))
    valid++;
  assert_int_equal (valid, pairs->len);

  g_autofree char *bad = g_build_filename (MOA_SOURCE_DIR, "tests", "test-scenario", "invalid",
                                           "add-bad-value.xml", NULL);
  g_autofree char *out2 = NULL, *err2 = NULL;
  assert_int_equal (run_moa (&out2, &err2, "validate", bad, NULL), 1);
  assert_non_null (strstr (err2, "add-bad-value.xml:"));
  assert_null (strstr (out2, ": valid"));
}

/* A scenario of another procedure, and a file that is neither a scenario nor a procedure,
 * are refused with status 1 and a message naming the file. */
static void
test_compare_wrong_inputs (void **state)
{
  g_autoptr (GPtrArray) pairs = bundled_pairs ();
  BundledPair *pair = first_direct_pair (pairs, FALSE);
  BundledPair *other = NULL;
  for (guint i = 0; i < pairs->len && other == NULL; i++)
    {
      BundledPair *p = g_ptr_array_index (pairs, i);
      if (strcmp (p->procedure, pair->procedure) != 0)
        other = p;
    }
  if (other == NULL)
    fail_msg ("the bundled scenarios all apply to %s", pair->procedure);

  g_autofree char *out = NULL, *err = NULL;
  int status = run_moa (&out, &err, "compare", other->procedure, pair->scenario, NULL);
  if (status != 1 || strstr (err, pair->scenario) == NULL || strlen (out) != 0)
    fail_msg ("moa compare %s %s: exit %d, expected 1 naming the scenario\n%s", other->procedure,
              pair->scenario, status, err);
  g_autofree char *out2 = NULL, *err2 = NULL;
  status = run_moa (&out2, &err2, "apply", other->procedure, pair->scenario, NULL);
  if (status != 1 || strstr (err2, pair->scenario) == NULL || strlen (out2) != 0)
    fail_msg ("moa apply %s %s: exit %d, expected 1 naming the scenario\n%s", other->procedure,
              pair->scenario, status, err2);

  /* a cost model file is neither */
  g_autofree char *models = moa_default_models_dir ();
  g_autofree char *model = g_build_filename (models, "it-moa.xml", NULL);
  g_autofree char *out3 = NULL, *err3 = NULL;
  status = run_moa (&out3, &err3, "compare", pair->procedure, model, NULL);
  if (status != 1 || strstr (err3, "<scenario>") == NULL)
    fail_msg ("moa compare %s %s: exit %d, expected 1 naming <scenario>\n%s", pair->procedure,
              model, status, err3);
}

/* The CSV row of a comparison whose level and id are @level and @id; NULL when absent. */
static char **
compare_csv_row (const char *csv, const char *level, const char *id)
{
  const char *fields[] = { NULL, NULL, level, id };
  return csv_find_row (csv, fields, G_N_ELEMENTS (fields));
}

/* A procedure compared with itself, as an "after" procedure file: nothing changes, so the
 * saving is 0 and every entity is unchanged. */
static void
test_compare_same_procedure (void **state)
{
  g_autofree char *id = NULL;
  g_autofree char *path = first_procedure (&id);
  g_autofree char *out = NULL, *err = NULL;
  int status = run_moa (&out, &err, "compare", "--format", "csv", path, path, NULL);
  if (status != 0)
    fail_msg ("moa compare %s %s: exit %d\n%s", path, path, status, err);
  int saving = csv_column (out, "saving");
  int status_column = csv_column (out, "status");
  assert_true (saving > 0 && status_column > 0);
  g_auto (GStrv) row = compare_csv_row (out, "procedure", id);
  if (row == NULL)
    fail_msg ("no procedure row:\n%.400s", out);
  assert_string_equal (row[saving], "0");
  g_auto (GStrv) lines = g_strsplit (out, "\r\n", -1);
  guint rows = 0;
  for (char **line = lines + 1; *line && **line; line++)
    {
      g_auto (GStrv) cells = g_strsplit (*line, ",", -1);
      if (strcmp (cells[2], "one_off") == 0)
        continue;
      if (strcmp (cells[status_column], "unchanged") != 0)
        fail_msg ("comparing a procedure with itself: row not unchanged: %s", *line);
      rows++;
    }
  assert_true (rows >= 4);
}

/* The procedure row of "moa evaluate --format csv FILE": its per_year_burden. */
static double
evaluated_burden (const char *path)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = run_moa (&out, &err, "evaluate", "--format", "csv", path, NULL);
  if (status != 0)
    fail_msg ("moa evaluate %s: exit %d\n%s", path, status, err);
  int burden = csv_column (out, "per_year_burden");
  const char *fields[] = { NULL, "procedure", NULL, NULL, NULL, NULL, "recurring" };
  g_auto (GStrv) row = csv_find_row (out, fields, G_N_ELEMENTS (fields));
  if (row == NULL || burden < 0)
    fail_msg ("moa evaluate %s: no procedure row", path);
  return g_ascii_strtod (row[burden], NULL);
}

/* moa apply writes a procedure that moa validate accepts; compare's before and after are
 * evaluate's figures of the baseline and of that procedure; the cumulative savings of the
 * measures add up to the saving; --measures 0 gives back the baseline. */
static void
test_apply (void **state)
{
  g_autoptr (GPtrArray) pairs = bundled_pairs ();
  BundledPair *pair = first_direct_pair (pairs, FALSE);
  g_autofree char *dir = g_dir_make_tmp ("moa-test-apply-XXXXXX", NULL);
  assert_non_null (dir);
  g_autofree char *after = g_build_filename (dir, "after.xml", NULL);

  g_autofree char *out = NULL, *err = NULL;
  int status = run_moa (&out, &err, "apply", "-o", after, pair->procedure, pair->scenario, NULL);
  if (status != 0)
    fail_msg ("moa apply %s %s: exit %d\n%s", pair->procedure, pair->scenario, status, err);
  assert_int_equal (strlen (out), 0);
  g_autofree char *out2 = NULL, *err2 = NULL;
  status = run_moa (&out2, &err2, "validate", after, NULL);
  if (status != 0)
    fail_msg ("moa validate of what moa apply wrote: exit %d\n%s", status, err2);

  /* without -o the same procedure goes to standard output */
  g_autofree char *xml = NULL, *err3 = NULL;
  status = run_moa (&xml, &err3, "apply", pair->procedure, pair->scenario, NULL);
  assert_int_equal (status, 0);
  g_autofree char *written = NULL;
  assert_true (g_file_get_contents (after, &written, NULL, NULL));
  assert_string_equal (xml, written);

  /* compare agrees with evaluate on both sides */
  g_autofree char *csv = NULL, *err4 = NULL;
  status
      = run_moa (&csv, &err4, "compare", "--format", "csv", pair->procedure, pair->scenario, NULL);
  if (status != 0)
    fail_msg ("moa compare: exit %d\n%s", status, err4);
  g_auto (GStrv) row = compare_csv_row (csv, "procedure", pair->procedure_id);
  assert_non_null (row);
  double before = g_ascii_strtod (row[csv_column (csv, "before_burden")], NULL);
  double after_burden = g_ascii_strtod (row[csv_column (csv, "after_burden")], NULL);
  double saving = g_ascii_strtod (row[csv_column (csv, "saving")], NULL);
  assert_true (before == evaluated_burden (pair->procedure));
  assert_true (after_burden == evaluated_burden (after));
  assert_true (fabs (saving - (before - after_burden)) <= 1e-9 * fabs (before));

  /* the cumulative savings of the measures add up to the total saving */
  int level = 2, cumulative = csv_column (csv, "cumulative");
  double sum = 0;
  guint n_measures = 0;
  g_auto (GStrv) lines = g_strsplit (csv, "\r\n", -1);
  for (char **line = lines + 1; *line && **line; line++)
    {
      g_auto (GStrv) cells = g_strsplit (*line, ",", -1);
      if (strcmp (cells[level], "measure") == 0)
        {
          sum += g_ascii_strtod (cells[cumulative], NULL);
          n_measures++;
        }
    }
  assert_true (n_measures > 0);
  if (fabs (sum - saving) > 1e-6 * MAX (1.0, fabs (before)))
    fail_msg ("the cumulative savings add up to %.6f, the saving is %.6f", sum, saving);

  /* no measure: the baseline itself */
  g_autofree char *none = g_build_filename (dir, "none.xml", NULL);
  g_autofree char *out5 = NULL, *err5 = NULL;
  status = run_moa (&out5, &err5, "apply", "--measures", "0", "-o", none, pair->procedure,
                    pair->scenario, NULL);
  if (status != 0)
    fail_msg ("moa apply --measures 0: exit %d\n%s", status, err5);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) a = moa_procedure_load_file (none, NULL, &error);
  g_autoptr (MoaProcedure) b = moa_procedure_load_file (pair->procedure, NULL, &error);
  assert_non_null (a);
  assert_non_null (b);
  assert_true (moa_procedure_equal (a, b));

  g_unlink (after);
  g_unlink (none);
  g_rmdir (dir);
}

/* A scenario whose result is invalid (tests/test-cli/unknown-standard.xml adds an activity with
 * a standard activity the cost model lacks): apply writes nothing and compare computes
 * nothing, both with status 1 and the problem. */
static void
test_apply_invalid_result (void **state)
{
  g_autofree char *baseline
      = g_build_filename (MOA_SOURCE_DIR, "procedures", "scia-esercizio-vicinato.xml", NULL);
  g_autofree char *scenario
      = g_build_filename (MOA_TESTS_SRCDIR, "test-cli", "unknown-standard.xml", NULL);
  g_autofree char *dir = g_dir_make_tmp ("moa-test-apply-XXXXXX", NULL);
  assert_non_null (dir);
  g_autofree char *after = g_build_filename (dir, "after.xml", NULL);

  g_autofree char *out = NULL, *err = NULL;
  int status = run_moa (&out, &err, "apply", "-o", after, baseline, scenario, NULL);
  if (status != 1 || strstr (err, "no-such-standard") == NULL || strstr (err, scenario) == NULL)
    fail_msg ("moa apply with an invalid result: exit %d, expected 1 naming the scenario and "
              "the unknown standard activity\n%s",
              status, err);
  if (g_file_test (after, G_FILE_TEST_EXISTS))
    fail_msg ("moa apply wrote %s although the result is invalid", after);

  g_autofree char *out2 = NULL, *err2 = NULL;
  status = run_moa (&out2, &err2, "apply", baseline, scenario, NULL);
  if (status != 1 || strlen (out2) != 0)
    fail_msg ("moa apply to standard output with an invalid result: exit %d, output:\n%.200s",
              status, out2);

  g_autofree char *out3 = NULL, *err3 = NULL;
  status = run_moa (&out3, &err3, "compare", baseline, scenario, NULL);
  if (status != 1 || strstr (err3, "no-such-standard") == NULL || strlen (out3) != 0)
    fail_msg ("moa compare with an invalid result: exit %d, expected 1\n%s", status, err3);
  g_rmdir (dir);
}

/* Runs "moa compare --iterations 200 --seed SEED --format csv --threads T BASELINE SCENARIO". */
static char *
compare_csv (const BundledPair *pair, const char *seed, const char *threads)
{
  g_autofree char *err = NULL;
  char *out = NULL;
  int status
      = run_moa (&out, &err, "compare", "--iterations", "200", "--seed", seed, "--format", "csv",
                 "--threads", threads, "--quiet", pair->procedure, pair->scenario, NULL);
  if (status != 0)
    fail_msg ("moa compare --seed %s --threads %s %s: exit %d\n%s", seed, threads, pair->scenario,
              status, err);
  return out;
}

/* The paired interval: the same seed twice, and 1 or 2 threads, give the same bytes; the
 * interval is in the output with its seed; another seed gives other numbers. */
static void
test_compare_reproducible (void **state)
{
  g_autoptr (GPtrArray) pairs = bundled_pairs ();
  BundledPair *pair = first_direct_pair (pairs, TRUE);
  g_autofree char *a = compare_csv (pair, "3", "2");
  g_autofree char *b = compare_csv (pair, "3", "2");
  g_autofree char *one = compare_csv (pair, "3", "1");
  if (strcmp (a, b) != 0)
    fail_msg ("moa compare --seed 3 twice: different output");
  if (strcmp (a, one) != 0)
    fail_msg ("moa compare: --threads 1 and --threads 2 differ");

  g_auto (GStrv) row = compare_csv_row (a, "procedure", pair->procedure_id);
  assert_non_null (row);
  int interval_of = csv_column (a, "interval_of"), sd = csv_column (a, "sd");
  int seed = csv_column (a, "seed"), iterations = csv_column (a, "iterations");
  assert_true (interval_of > 0 && sd > 0 && seed > 0 && iterations > 0);
  assert_string_equal (row[interval_of], "saving");
  assert_string_equal (row[seed], "3");
  assert_string_equal (row[iterations], "200");
  if (!(g_ascii_strtod (row[sd], NULL) > 0))
    fail_msg ("%s has distributions, but the saving's s.d. is %s", pair->scenario, row[sd]);

  g_autofree char *other = compare_csv (pair, "4", "1");
  if (strcmp (a, other) == 0)
    fail_msg ("moa compare: seeds 3 and 4 give the same output");
}

/* SIGINT during a simulation: exit 130, a message, nothing on the output. */
static volatile sig_atomic_t test_sigint_seen = 0;

static void
test_on_sigint (int signum)
{
  test_sigint_seen = 1;
}

static gint simulation_done = 0;
static gint interrupt_sent = 0;

/* Waits until the command has installed its own SIGINT handler, then sends one SIGINT. */
static gpointer
interrupter (gpointer data)
{
  while (!g_atomic_int_get (&simulation_done))
    {
      struct sigaction current;
      if (sigaction (SIGINT, NULL, &current) == 0 && current.sa_handler != test_on_sigint
          && current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN)
        {
          kill (getpid (), SIGINT);
          g_atomic_int_set (&interrupt_sent, 1);
          break;
        }
      g_usleep (500);
    }
  return NULL;
}

static void
test_simulate_interrupted (void **state)
{
  g_autofree char *id = NULL;
  g_autofree char *path = first_procedure (&id);
  struct sigaction action = { 0 }, previous;
  action.sa_handler = test_on_sigint;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &previous);

  g_atomic_int_set (&simulation_done, 0);
  g_atomic_int_set (&interrupt_sent, 0);
  GThread *thread = g_thread_new ("interrupter", interrupter, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  /* ten simulations of the procedure on one thread: long enough to be interrupted */
  int status
      = run_moa (&out, &err, "simulate", "--iterations", "20000", "--threads", "1", "--quiet", path,
                 path, path, path, path, path, path, path, path, path, NULL);
  g_atomic_int_set (&simulation_done, 1);
  g_thread_join (thread);
  sigaction (SIGINT, &previous, NULL);

  if (!g_atomic_int_get (&interrupt_sent))
    fail_msg ("the simulation ended (exit %d) before SIGINT could be sent", status);
  if (status != 130)
    fail_msg ("moa simulate interrupted: exit %d, expected 130\n%s", status, err);
  if (strlen (out) != 0)
    fail_msg ("moa simulate interrupted wrote output:\n%.300s", out);
  if (strlen (err) == 0)
    fail_msg ("moa simulate interrupted: no message");
  /* the command's handler caught it, and the test's own is back */
  assert_int_equal (test_sigint_seen, 0);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_version),
    cmocka_unit_test (test_help),
    cmocka_unit_test (test_command_help),
    cmocka_unit_test (test_usage_errors),
    cmocka_unit_test (test_evaluate_json),
    cmocka_unit_test (test_validate_bundled),
    cmocka_unit_test (test_models_list),
    cmocka_unit_test (test_simulate_bad_values),
    cmocka_unit_test (test_simulate_reproducible),
    cmocka_unit_test (test_simulate_point_is_evaluate),
    cmocka_unit_test (test_sensitivity_json),
    cmocka_unit_test (test_simulate_interrupted),
    cmocka_unit_test (test_compare_usage_errors),
    cmocka_unit_test (test_compare_bundled),
    cmocka_unit_test (test_compare_wrong_inputs),
    cmocka_unit_test (test_compare_same_procedure),
    cmocka_unit_test (test_apply),
    cmocka_unit_test (test_apply_invalid_result),
    cmocka_unit_test (test_compare_reproducible),
    cmocka_unit_test (test_validate_scenarios),
    cmocka_unit_test (test_validate_catalog),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
