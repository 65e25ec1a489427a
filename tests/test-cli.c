/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line as functions: --version, --help of every command, exit statuses of usage
 * errors, and JSON output of a bundled procedure. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "moa-config.h"
#include "moa.h"
#include "moa-cli.h"

static const char *const commands[] = { "validate", "evaluate", "models" };

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

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_version),       cmocka_unit_test (test_help),
    cmocka_unit_test (test_command_help),  cmocka_unit_test (test_usage_errors),
    cmocka_unit_test (test_evaluate_json), cmocka_unit_test (test_validate_bundled),
    cmocka_unit_test (test_models_list),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
