/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The moa-analyst program: sets up the locale and message catalog, then runs the app. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "moa-application.h"

/* As the moa command (cli/main.c): $MOA_LOCALEDIR, else the installed catalogs, else those of
 * the build tree for a program run before installation. */
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

  g_autoptr (MoaApplication) app = moa_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
