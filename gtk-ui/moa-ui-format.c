/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Figures of the core written for people in the user's locale. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-format.h"

#include "moa-ui-format.h"

const char *
moa_ui_get_lang (void)
{
  const char *const *names = g_get_language_names ();

  if (names != NULL && names[0] != NULL && g_str_has_prefix (names[0], "it"))
    return "it";
  return "en";
}

char *
moa_ui_format_hours (double hours)
{
  g_autofree char *number = moa_format_number (hours, 2, TRUE);

  /* TRANSLATORS: a number of hours, e.g. "12.50 h" */
  return g_strdup_printf (_ ("%s h"), number);
}

char *
moa_ui_format_money (double amount)
{
  g_autofree char *number = moa_format_number (amount, 2, TRUE);

  /* TRANSLATORS: an amount in euros; Italian writes "1.234,50 €" */
  return g_strdup_printf (_ ("€%s"), number);
}
