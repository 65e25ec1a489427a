/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as functions: --version, --help of every command, exit statuses of usage
 * errors, JSON output of a bundled procedure, and simulate / sensitivity: reproducibility,
 * agreement with evaluate, option checks and Ctrl-C. */

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

#include "moa-config.h"
#include "moa.h"
#include "moa-cli.h"
#include "moa-random.h"

static const char *const commands[]
    = { "validate", "evaluate", "simulate", "sensitivity", "models" };

static char *
read_stream (FILE *f)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  size_t n;

  fflush (f);
  rewind (f);
  while ((n = fread (buf, 1, sizeof buf, f)) > 0)
    g_string_append_len (s, buf, (gssize)n);
  return g_string_free (s, FALSE);
}

/* Runs moa_cli_main() with the NULL-terminated arguments after "moa", capturing both
 * streams. */
static int
run_moa (char **out_text, char **err_text, ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list ap;
  g_ptr_array_add (args, g_strdup ("moa"));
  va_start (ap, err_text);
  for (const char *a = va_arg (ap, const char *); a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, g_strdup (a));
  va_end (ap);

  /* The commands may reorder or drop entries of argv (GOption does): give them a copy of the
   * pointer array and free the strings from ours. */
  int argc = (int)args->len;
  g_autofree char **argv = g_new0 (char *, argc + 1);
  memcpy (argv, args->pdata, sizeof (char *) * (gsize)argc);

  FILE *out = tmpfile ();
  FILE *err = tmpfile ();
  assert_non_null (out);
  assert_non_null (err);
  int status = moa_cli_main (argc, argv, out, err);
  *out_text = read_stream (out);
  *err_text = read_stream (err);
  fclose (out);
  fclose (err);
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
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
