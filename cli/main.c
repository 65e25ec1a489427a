/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The moa program: sets up the locale and message catalog, then runs the command. */
#define G_LOG_DOMAIN "moa-cli"

#include "moa-config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "moa-cli.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* $MOA_LOCALEDIR lets a build tree find its own catalogs (BUILDDIR/po/it/LC_MESSAGES). */
  const char *localedir = g_getenv ("MOA_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : MOA_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("moa");

  return moa_cli_main (argc, argv, stdout, stderr);
}
