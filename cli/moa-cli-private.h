/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the commands of moa share: exit statuses, option parsing, messages, the progress line and
 * Ctrl-C handling. Private to cli/. */
#pragma once

#include <signal.h>
#include <stdio.h>

#include <glib.h>
#include <gio/gio.h>

#include "moa-cost-model.h"
#include "moa-format.h"
#include "moa-value.h"

G_BEGIN_DECLS

#define EXIT_OK 0
#define EXIT_INVALID 1
#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130 /* 128 + SIGINT, as shells report it */

#define DOCS_HINT                                                                                  \
  N_ ("Documentation: docs/cli.md (commands), docs/procedure-format.md (procedure files), "        \
      "docs/cost-model-format.md (cost models), docs/simulation.md (uncertainty), "                \
      "docs/json-output.md (CSV and JSON layouts).")

/* One command's parser: its GOptionContext with our own --help (GLib's would print to stdout
 * and exit the process, which tests calling the command in-process cannot have). */
typedef struct
{
  const char *command; /* "evaluate" */
  const char *usage;   /* translated "[OPTION…] FILE…" */
  const char *summary; /* translated */
  GOptionContext *context;
  gboolean help;
} Parser;

/* While a simulation runs, SIGINT sets a flag (async-signal-safe) instead of killing the
 * process, so that the run stops cleanly and writes nothing. */
typedef struct
{
  struct sigaction previous;
  gboolean installed;
} SigintGuard;

/* A thread that wakes ten times a second: it turns a Ctrl-C into the cancellation of the run
 * and, when @draw, redraws the progress line on @err from the counts that the simulation's
 * progress callback stores. */
typedef struct
{
  FILE *err;
  gboolean draw;
  char *threads_text; /* "2 threads" */
  GCancellable *cancellable;
  GThread *thread;

  GMutex lock; /* protects what follows */
  GCond cond;
  gboolean stop;
  char *label;
  gint64 start;
  gboolean shown; /* a progress line is on the terminal */

  gint done, total; /* atomic: from the progress callback */
} Progress;

#define HELP_WIDTH 79

/* Set by the SIGINT handler that sigint_install() puts in place. */
extern volatile sig_atomic_t interrupted;

void
print_line (FILE *f, const char *format, ...) G_GNUC_PRINTF (2, 3);

void
put_wrapped (const char *text, FILE *out);

void
parser_init (Parser *p, const char *command, const char *usage, const char *summary,
             const char *description, const GOptionEntry *entries);

void
parser_clear (Parser *p);

void
parser_print_help (Parser *p, FILE *out);

int
parser_parse (Parser *p, int argc, char **argv, FILE *out, FILE *err, char ***remaining);

int
usage_error (FILE *err, const char *command, const char *message);

int
check_format_and_lang (FILE *err, const char *command, const char *format_name, const char *lang,
                       MoaFormat *format);

void
print_problems (FILE *err, GPtrArray *problems, const GError *error);

MoaModelSet *
load_models (const char *dir, FILE *err, gboolean *ok, char **dir_used);

gboolean
write_output (const GString *text, const char *path, FILE *out, FILE *err);

void
sigint_install (SigintGuard *guard);

void
sigint_restore (SigintGuard *guard);

char *
duration_text (double seconds);

void
progress_start (Progress *p, FILE *err, gboolean quiet, guint threads, GCancellable *cancellable);

void
progress_begin (Progress *p, const char *label);

void
progress_pause (Progress *p);

void
progress_finish (Progress *p);

void
on_progress (guint done, guint total, gpointer data);

int
report_interrupted (FILE *err, const char *command);

gboolean
parse_whole (FILE *err, const char *command, const char *option, const char *text, guint64 min,
             guint64 max, const char *expected, guint64 *value);

gboolean
parse_fixed_value (FILE *err, const char *command, const char *option, const char *text,
                   MoaDimension dim, const char *expected, double *value);

char *
display_path (const char *path);

G_END_DECLS
