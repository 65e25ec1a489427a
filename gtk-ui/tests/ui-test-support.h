/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the app's test programs: opening the real window under a display, waiting
 * on the main loop with a time limit, and a result store written by the core's batch run. */
#pragma once

#include <gtk/gtk.h>

#include "moa-application.h"
#include "moa-batch.h"
#include "moa-window.h"

G_BEGIN_DECLS

/* Opens the display (gtk_init_check()). When none can be opened, prints the TAP line that skips
 * the whole plan and returns FALSE: main() then returns 0. */
gboolean
ui_test_init_display (void);

/* A new application with @flags (e.g. G_APPLICATION_NON_UNIQUE), registered; aborts when it
 * cannot be registered. */
MoaApplication *
ui_test_new_application (GApplicationFlags flags);

/* A new main window of @app, presented. */
MoaWindow *
ui_test_new_window (MoaApplication *app);

/* Destroys @window without asking to save (its document, if any, is marked clean first) and
 * lets the main loop handle what that queued. */
void
ui_test_close_window (MoaWindow *window);

/* The main() of a test program on the real window: g_test_init(), then the display (without
 * one, the TAP skip of ui_test_init_display() and 0), a non-unique application that opens files
 * in *@app and its window in *@window (for the test functions), @add_tests() to register the
 * test functions, g_test_run(); then the window is closed as ui_test_close_window() does and the
 * application released. Returns g_test_run()'s status. */
int
ui_test_window_main (int *argc, char ***argv, MoaApplication **app, MoaWindow **window,
                     void (*add_tests) (void));

/* Opens the procedure file at @path in @window; fails the test when the window refuses it. */
void
ui_test_open_file (MoaWindow *window, const char *path);

/* Handles every event pending on the main loop, without waiting for more. */
void
ui_test_drain (void);

/* Runs the main loop for @ms milliseconds (animations, layout, first frames). */
void
ui_test_settle (guint ms);

/* Starts a watchdog that aborts the program, naming @what ("timed out waiting for WHAT"), after
 * @seconds; returns its source id, for g_source_remove() once the wait is over. */
guint
ui_test_watchdog (guint seconds, const char *what);

/* Iterates the main loop (blocking) while @condition holds, for at most @seconds; aborts,
 * naming @what, when it still holds then. @condition is evaluated before each iteration. */
#define UI_TEST_WAIT_WHILE(condition, seconds, what)                                               \
  G_STMT_START                                                                                     \
  {                                                                                                \
    guint ui_test_watchdog_ = ui_test_watchdog ((seconds), (what));                                \
    while (condition)                                                                              \
      g_main_context_iteration (NULL, TRUE);                                                       \
    g_source_remove (ui_test_watchdog_);                                                           \
  }                                                                                                \
  G_STMT_END

/* Iterates the main loop until @document has a result for its current procedure (at most 30 s),
 * then lets the views draw what they were told (ui_test_drain()). */
void
ui_test_wait_for_results (MoaDocument *document);

/* moa_evaluate() of @procedure with @document's cost model; fails the test on an error. */
MoaResult *
ui_test_evaluate (MoaDocument *document, MoaProcedure *procedure);

/* A result store in a new temporary folder made from @tmpl (g_dir_make_tmp()): @catalog_xml is
 * written to FOLDER/catalog.xml and run by moa_batch_run() with @options and the shipped cost
 * models (moa_default_models_dir()) into FOLDER/results.db, whose path it returns (newly
 * allocated). The run's status goes to *@status when @status is not NULL. Aborts, printing the
 * catalog's problems, when anything fails. */
char *
ui_test_write_store (const char *tmpl, const char *catalog_xml, const MoaBatchOptions *options,
                     MoaBatchStatus *status);

/* Removes the folder of the store at @path (from ui_test_write_store()) and the files in it. */
void
ui_test_remove_store (const char *path);

G_END_DECLS
