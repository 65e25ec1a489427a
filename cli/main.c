/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The moa program: sets up the locale and message catalog, then runs the command. */
#define G_LOG_DOMAIN "moa-cli"

#include "moa-config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "moa-cli.h"

/* Where the message catalogs are: $MOA_LOCALEDIR when set; else the installed ones; else, for
 * a moa run from its build tree before installation, the build tree's (BUILDDIR/po). */
static const char *
locale_dir (void)
{
  const char *env = g_getenv ("MOA_LOCALEDIR");
  if (env != NULL && *env != '\0')
    return env;
  g_autofree char *installed
      = g_build_filename (MOA_LOCALEDIR, "it", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *built
      = g_build_filename (MOA_BUILD_DIR, "po", "it", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (installed, G_FILE_TEST_EXISTS) && g_file_test (built, G_FILE_TEST_EXISTS))
    return MOA_BUILD_DIR "/po";
  return MOA_LOCALEDIR;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("moa");

  return moa_cli_main (argc, argv, stdout, stderr);
}
