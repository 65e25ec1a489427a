/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The moa commands as functions, so that tests can run them without spawning a process. */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Each command takes its own argv (argv[0] is the command name, e.g. "evaluate"), writes its
 * results to @out and its messages to @err, and returns the process exit status:
 * 0 success, 1 invalid input (a problem in a file), 2 usage error, 130 interrupted (simulate,
 * compare). */
int
moa_cli_validate (int argc, char **argv, FILE *out, FILE *err);
int
moa_cli_evaluate (int argc, char **argv, FILE *out, FILE *err);
int
moa_cli_models (int argc, char **argv, FILE *out, FILE *err);
/* Monte Carlo of each procedure (two-level, or per case with --per-case); exit status 130 when
 * interrupted by SIGINT, with nothing written. */
int
moa_cli_simulate (int argc, char **argv, FILE *out, FILE *err);
/* The parameters that drive each procedure's burden, ranked. */
int
moa_cli_sensitivity (int argc, char **argv, FILE *out, FILE *err);

/* The saving of simplification scenarios: "moa compare BASELINE SCENARIO…"; exit status 130
 * when interrupted by SIGINT, with nothing written. */
int
moa_cli_compare (int argc, char **argv, FILE *out, FILE *err);
/* Writes the procedure a scenario makes of its baseline: "moa apply BASELINE SCENARIO". */
int
moa_cli_apply (int argc, char **argv, FILE *out, FILE *err);

/* "moa batch CATALOG --db FILE …": evaluates a catalog into a result store (cli/moa-cli-batch.c).
 */
int
moa_cli_batch (int argc, char **argv, FILE *out, FILE *err);

/* "moa runs --db FILE": lists the runs of a result store (cli/moa-cli-batch.c). */
int
moa_cli_runs (int argc, char **argv, FILE *out, FILE *err);

/* "moa report --db FILE …": writes the savings report of a run (cli/moa-cli-report.c). */
int
moa_cli_report (int argc, char **argv, FILE *out, FILE *err);

/* Dispatches "moa COMMAND ..." (argv[0] is the program name); handles --help and --version. */
int
moa_cli_main (int argc, char **argv, FILE *out, FILE *err);

G_END_DECLS
