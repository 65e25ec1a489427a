/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the test programs: running a CLI command in-process with its output
 * captured, running a tool on PATH, listing the XML files of a folder, comparing strings for
 * g_ptr_array_sort(), the tests' source folder, temporary folders, the shipped cost models and
 * a relative-tolerance assertion. */
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

#include "moa-cost-model.h"

G_BEGIN_DECLS

/* A command of cli/moa-cli.h (moa_cli_main, moa_cli_validate, ...). */
typedef int (*MoaTestCommand) (int argc, char **argv, FILE *out, FILE *err);

/* Runs @command with the NULL-terminated arguments (the first is argv[0]), capturing what it
 * writes to its two streams into *@out_text and *@err_text (newly allocated). Returns the
 * command's exit status; a failure to make the temporary streams fails the test. */
int
moa_test_run_command (MoaTestCommand command, char **out_text, char **err_text,
                      ...) G_GNUC_NULL_TERMINATED;

/* The same with the arguments in @args, preceded by @argv0 when it is not NULL. */
int
moa_test_run_commandv (MoaTestCommand command, const char *argv0, char **out_text, char **err_text,
                       va_list args);

/* The paths of the *.xml files of @dir, sorted by name (a new array owning its strings);
 * fails the test when @dir cannot be read. */
GPtrArray *
moa_test_list_xml (const char *dir);

/* g_ptr_array_sort() comparison of two char* elements (it receives pointers to them). */
int
moa_test_compare_strings (gconstpointer a, gconstpointer b);

/* The folder of the tests' sources: $G_TEST_SRCDIR when set (meson test sets it), else the
 * tests/ folder the build was configured from (MOA_TESTS_SRCDIR). Never NULL; not to be freed. */
const char *
moa_test_srcdir (void);

/* A new folder made by g_dir_make_tmp() from @tmpl (a name with "XXXXXX", e.g.
 * "moa-test-store-XXXXXX"); returns its path (newly allocated). Fails the test when it cannot be
 * made. */
char *
moa_test_make_tmp_dir (const char *tmpl);

/* Removes @path and, when it is a folder (not a link to one), everything under it. Errors are
 * ignored: it cleans up after a test, it checks nothing. */
void
moa_test_remove_tree (const char *path);

/* The cost models of @dir (NULL: moa_default_models_dir(), i.e. $MOA_MODELS_DIR when set, else
 * the source tree's models/), loaded into a new set; for a group setup. On failure prints the
 * error to stderr and returns NULL (the setup then returns -1). */
MoaModelSet *
moa_test_load_models (const char *dir);

/* Fails the test at @file:@line, naming @what, unless |@actual - @expected| <= @rel_tol *
 * max(1, |@expected|): relative to @expected, absolute below 1. Use through a macro that passes
 * __FILE__ and __LINE__ (each test program defines assert_close with its own tolerance). */
void
moa_test_assert_close_impl (double actual, double expected, double rel_tol, const char *what,
                            const char *file, int line);

/* Runs @argv (a NULL-terminated command line whose argv[0] is searched on PATH) to its end.
 * Returns its standard output (newly allocated), its standard error in *@err_text (newly
 * allocated) and its exit status in *@status (-1 when a signal ended it); returns NULL, setting
 * nothing, when argv[0] is not on PATH (the caller may skip the check). Fails the test when the
 * tool is found but cannot be started. */
char *
moa_test_run_tool (const char *const *argv, char **err_text, int *status);

/* The same for a tool the test cannot do without: fails the test when argv[0] is not on PATH or
 * exits with a status other than 0 (quoting its standard error). Returns its standard output
 * (newly allocated). */
char *
moa_test_run_tool_ok (const char *const *argv);

/* @text with every run of ASCII white space made one space and none at either end (pdftotext
 * breaks lines where the PDF wraps them), a new string. */
char *
moa_test_squeeze_spaces (const char *text);

G_END_DECLS
