/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the test programs: running a CLI command in-process with its output
 * captured, listing the XML files of a folder, comparing strings for g_ptr_array_sort(). */
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include <glib.h>

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

G_END_DECLS
