/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error domains of the engine and the list of problems a loader collects in one run. */

#include "moa-error.h"

/* clang-format off */
G_DEFINE_QUARK (moa-parse-error-quark, moa_parse_error)
G_DEFINE_QUARK (moa-validation-error-quark, moa_validation_error)
G_DEFINE_QUARK (moa-engine-error-quark, moa_engine_error)
/* clang-format on */

/* Frees @problem and its strings. NULL-safe. */
void
moa_problem_free (MoaProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->file);
  g_free (problem->element);
  g_free (problem->message);
  g_free (problem);
}

/* Returns a new, empty GPtrArray of MoaProblem* that frees its elements. */
GPtrArray *
moa_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)moa_problem_free);
}

/* Appends a problem built from the arguments to @problems and returns it (borrowed, owned by
 * @problems). The message is "FILE:LINE: ELEMENT: TEXT"; a NULL file, a line <= 0 and a NULL
 * or empty element are left out with their separators. */
MoaProblem *
moa_problems_add (GPtrArray *problems, GQuark domain, int code, const char *file, int line,
                  const char *element, const char *format, ...)
{
  MoaProblem *problem;
  g_autofree char *text = NULL;
  GString *message;
  va_list args;

  g_return_val_if_fail (problems != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  message = g_string_new (NULL);
  if (file != NULL && *file != '\0')
    {
      g_string_append (message, file);
      if (line > 0)
        g_string_append_printf (message, ":%d", line);
      g_string_append (message, ": ");
    }
  else if (line > 0)
    g_string_append_printf (message, "%d: ", line);
  if (element != NULL && *element != '\0')
    g_string_append_printf (message, "%s: ", element);
  g_string_append (message, text);

  problem = g_new0 (MoaProblem, 1);
  problem->domain = domain;
  problem->code = code;
  problem->file = g_strdup (file);
  problem->line = line > 0 ? line : 0;
  problem->element = g_strdup (element);
  problem->message = g_string_free (message, FALSE);
  g_ptr_array_add (problems, problem);
  return problem;
}

/* When @problems holds at least one problem, sets @error (if not NULL) to the first one's
 * domain, code and message and returns TRUE; otherwise returns FALSE and leaves @error alone. */
gboolean
moa_problems_propagate (GPtrArray *problems, GError **error)
{
  const MoaProblem *first;

  g_return_val_if_fail (problems != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (problems->len == 0)
    return FALSE;
  first = g_ptr_array_index (problems, 0);
  g_set_error_literal (error, first->domain, first->code, first->message);
  return TRUE;
}
