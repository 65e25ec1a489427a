/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workflow view in the real window under Xvfb: open a bundled procedure, show the
 * obligation's diagram, click a node through the click handler and check the selection. */
#include "moa-config.h"

#include <locale.h>
#include <stdio.h>

#include <adwaita.h>

#include "moa-application.h"
#include "moa-window.h"

#include "ui-test-support.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  if (!ui_test_init_display ())
    return 0;
  printf ("1..4\n");
  g_autoptr (MoaApplication) app = ui_test_new_application (G_APPLICATION_NON_UNIQUE);
  MoaWindow *window = ui_test_new_window (app);
  g_autofree char *path
      = g_build_filename (MOA_SOURCE_DIR, "procedures", "riconoscimento-iap.xml", NULL);
  ui_test_open_file (window, path);
  MoaDocument *document = moa_window_get_document (window);
  UI_TEST_WAIT_WHILE (moa_document_get_computing (document), 30, "the results");
  ui_test_settle (300);

  MoaWorkflowView *view = moa_window_get_workflow_view (window);
  MoaSelection *selection = moa_window_get_selection (window);
  moa_selection_select (selection, "domanda-iap", NULL);
  ui_test_settle (200);
  const MoaGraph *graph = moa_workflow_view_get_graph (view);
  gboolean ok = graph != NULL && moa_graph_get_n_nodes (graph) == 20
                && g_strcmp0 (moa_workflow_view_get_obligation_id (view), "domanda-iap") == 0
                && gtk_widget_get_mapped (GTK_WIDGET (view));
  printf ("%s 1 - the workflow of domanda-iap is shown (20 nodes)\n", ok ? "ok" : "not ok");

  /* Click the centre of "invio" at the current zoom: the canvas's coordinates. */
  double zoom = moa_workflow_view_get_zoom (view);
  const MoaGraphNode *invio = moa_graph_get_node (graph, moa_graph_find_node (graph, "invio"));
  const char *hit = moa_workflow_view_click (view, invio->x * zoom, invio->y * zoom);
  gboolean ok2 = g_strcmp0 (hit, "invio") == 0
                 && g_strcmp0 (moa_selection_get_node_id (selection), "invio") == 0
                 && g_strcmp0 (moa_selection_get_obligation_id (selection), "domanda-iap") == 0;
  printf ("%s 2 - a click on \"invio\" selects it (zoom %.3f)\n", ok2 ? "ok" : "not ok", zoom);
  ok = ok && ok2;

  /* The inspector follows: it shows the activity's time entry. */
  ui_test_settle (100);
  gboolean ok3 = moa_inspector_get_entry (moa_window_get_inspector (window), "time") != NULL;
  printf ("%s 3 - the inspector shows the clicked activity\n", ok3 ? "ok" : "not ok");
  ok = ok && ok3;

  /* A click on the background keeps the obligation and selects no node; zoom changes keep
   * the hit test right. */
  moa_workflow_view_set_zoom (view, 2.0);
  ui_test_settle (100);
  graph = moa_workflow_view_get_graph (view);
  const MoaGraphNode *esito = moa_graph_get_node (graph, moa_graph_find_node (graph, "esito"));
  const char *hit2 = moa_workflow_view_click (view, esito->x * 2.0, esito->y * 2.0);
  const char *none = moa_workflow_view_click (view, 1, 1);
  gboolean ok4 = g_strcmp0 (hit2, "esito") == 0 && none == NULL
                 && moa_selection_get_node_id (selection) == NULL
                 && g_strcmp0 (moa_selection_get_obligation_id (selection), "domanda-iap") == 0;
  printf ("%s 4 - at zoom 2 a click hits \"esito\"; the background selects no node\n",
          ok4 ? "ok" : "not ok");
  ok = ok && ok4;

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle (100);
  return ok ? 0 : 1;
}
