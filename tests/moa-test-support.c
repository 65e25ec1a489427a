/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the test programs (see moa-test-support.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "moa-test-support.h"

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

int
moa_test_run_commandv (MoaTestCommand command, const char *argv0, char **out_text, char **err_text,
                       va_list args)
{
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  if (argv0 != NULL)
    g_ptr_array_add (strings, g_strdup (argv0));
  for (const char *a = va_arg (args, const char *); a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (strings, g_strdup (a));

  /* The commands may reorder or drop entries of argv (GOption does): give them a copy of the
   * pointer array and free the strings from ours. */
  int argc = (int)strings->len;
  g_autofree char **argv = g_new0 (char *, argc + 1);
  memcpy (argv, strings->pdata, sizeof (char *) * (gsize)argc);

  FILE *out = tmpfile ();
  FILE *err = tmpfile ();
  assert_non_null (out);
  assert_non_null (err);
  int status = command (argc, argv, out, err);
  *out_text = read_stream (out);
  *err_text = read_stream (err);
  fclose (out);
  fclose (err);
  return status;
}

int
moa_test_run_command (MoaTestCommand command, char **out_text, char **err_text, ...)
{
  va_list args;
  va_start (args, err_text);
  int status = moa_test_run_commandv (command, NULL, out_text, err_text, args);
  va_end (args);
  return status;
}

int
moa_test_compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
moa_test_list_xml (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    fail_msg ("%s", error->message);
  /* g_dir_read_name()'s string lasts until the next call: keep copies */
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name = g_dir_read_name (d); name != NULL; name = g_dir_read_name (d))
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, moa_test_compare_strings);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_build_filename (dir, g_ptr_array_index (names, i), NULL));
  return paths;
}

const char *
moa_test_srcdir (void)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");
  return dir != NULL ? dir : MOA_TESTS_SRCDIR;
}

char *
moa_test_make_tmp_dir (const char *tmpl)
{
  g_return_val_if_fail (tmpl != NULL, NULL);
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);
  if (dir == NULL)
    fail_msg ("%s: %s", tmpl, error->message);
  return dir;
}

void
moa_test_remove_tree (const char *path)
{
  g_return_if_fail (path != NULL);
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          moa_test_remove_tree (child);
        }
    }
  g_remove (path);
}

MoaModelSet *
moa_test_load_models (const char *dir)
{
  g_autofree char *default_dir = dir == NULL ? moa_default_models_dir () : NULL;
  g_autoptr (GError) error = NULL;
  MoaModelSet *models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, dir != NULL ? dir : default_dir, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      moa_model_set_free (models);
      return NULL;
    }
  return models;
}

void
moa_test_assert_close_impl (double actual, double expected, double rel_tol, const char *what,
                            const char *file, int line)
{
  double tol = rel_tol * MAX (1.0, fabs (expected));
  if (!(fabs (actual - expected) <= tol))
    {
      print_error ("%s = %.17g, expected %.17g (tolerance %.3g)\n", what, actual, expected, tol);
      _fail (file, line);
    }
}

char *
moa_test_run_tool (const char *const *argv, char **err_text, int *status)
{
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  g_return_val_if_fail (err_text != NULL && status != NULL, NULL);
  g_autofree char *found = g_find_program_in_path (argv[0]);
  if (found == NULL)
    return NULL;
  char *out = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err_text,
                     &wait_status, &error))
    fail_msg ("%s: %s", argv[0], error->message);
  *status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  return out;
}

char *
moa_test_run_tool_ok (const char *const *argv)
{
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
  g_autofree char *err = NULL;
  int status = 0;
  char *out = moa_test_run_tool (argv, &err, &status);
  if (out == NULL)
    fail_msg ("%s is not on PATH", argv[0]);
  if (status != 0)
    fail_msg ("%s exited with status %d:\n%s", argv[0], status, err);
  return out;
}

char *
moa_test_squeeze_spaces (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);
  GString *s = g_string_new (NULL);
  gboolean space = FALSE;
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && s->len > 0)
            g_string_append_c (s, ' ');
          space = FALSE;
          g_string_append_c (s, *p);
        }
    }
  return g_string_free (s, FALSE);
}
