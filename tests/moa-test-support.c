/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the test programs (see moa-test-support.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

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
