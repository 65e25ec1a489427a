/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builds the graph of an obligation's workflow and has Graphviz's dot lay it out; the only
 * file of the app that includes Graphviz. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <math.h>

#include "moa-graph-layout.h"

#define MARGIN 12.0 /* points around the drawing */

struct _MoaGraph
{
  GArray *nodes;     /* MoaGraphNode */
  GArray *edges;     /* MoaGraphEdge */
  GHashTable *index; /* node id -> index + 1 */
  double width, height;
};

static void
edge_clear (gpointer data)
{
  MoaGraphEdge *edge = data;

  g_clear_pointer (&edge->label, g_free);
  g_clear_pointer (&edge->points, g_free);
}

void
moa_graph_free (MoaGraph *graph)
{
  if (graph == NULL)
    return;
  g_array_unref (graph->nodes);
  g_array_unref (graph->edges);
  g_hash_table_unref (graph->index);
  g_free (graph);
}

/* "30 %", "12.5 %" (the locale's decimal separator); "≈ 30 %" for a distribution's mean. */
static char *
probability_label (double p, gboolean uncertain)
{
  double percent = 100 * p;
  int decimals = fabs (percent - round (percent)) < 1e-9 ? 0 : 1;
  g_autofree char *number = moa_format_number (percent, decimals, TRUE);
  return g_strdup_printf ("%s%s %%", uncertain ? "≈ " : "", number);
}

static void
add_edge (MoaGraph *graph, guint from, const char *to, const MoaBranch *branch, double rest)
{
  gpointer found = g_hash_table_lookup (graph->index, to);
  if (found == NULL)
    return; /* the core refuses such a procedure; nothing to draw */

  MoaGraphEdge edge = { 0 };
  edge.from = from;
  edge.to = GPOINTER_TO_UINT (found) - 1;
  edge.probability = 1;
  if (branch != NULL)
    {
      edge.branch = TRUE;
      edge.is_default = branch->is_default;
      if (branch->is_default)
        edge.probability = rest;
      else if (branch->probability.value != NULL)
        {
          edge.probability = moa_value_mean_or (branch->probability.value, 0);
          edge.uncertain = moa_value_is_uncertain (branch->probability.value);
        }
      else
        edge.probability = 0;
      edge.label = probability_label (edge.probability, edge.uncertain);
    }
  g_array_append_val (graph->edges, edge);
}

/* Marks the edges that lead back to a node on the depth-first path from the start: the loops'
 * back edges. */
static void
mark_back_edges (MoaGraph *graph, GPtrArray *out, guint node, guint8 *state)
{
  state[node] = 1; /* on the path */
  GPtrArray *mine = g_ptr_array_index (out, node);
  for (guint i = 0; i < mine->len; i++)
    {
      MoaGraphEdge *edge = &g_array_index (graph->edges, MoaGraphEdge,
                                           GPOINTER_TO_UINT (g_ptr_array_index (mine, i)));
      if (state[edge->to] == 1)
        edge->back = TRUE;
      else if (state[edge->to] == 0)
        mark_back_edges (graph, out, edge->to, state);
    }
  state[node] = 2; /* done */
}

static void
find_loops (MoaGraph *graph, const MoaObligation *obligation)
{
  guint n = graph->nodes->len;
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_ptr_array_new ());
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const MoaGraphEdge *edge = &g_array_index (graph->edges, MoaGraphEdge, i);
      g_ptr_array_add (g_ptr_array_index (out, edge->from), GUINT_TO_POINTER (i));
    }
  g_autofree guint8 *state = g_new0 (guint8, n);
  int start = obligation->start != NULL ? moa_graph_find_node (graph, obligation->start) : -1;
  if (start >= 0)
    mark_back_edges (graph, out, (guint)start, state);
  /* Nodes the start does not reach (the core refuses them; drawn all the same). */
  for (guint i = 0; i < n; i++)
    if (state[i] == 0)
      mark_back_edges (graph, out, i, state);
}

/* One Graphviz context for the process, created on first use (main thread only). */
static GVC_t *
context (void)
{
  static GVC_t *gvc = NULL;

  if (gvc == NULL)
    gvc = gvContext ();
  return gvc;
}

static void
set (void *object, const char *name, const char *value)
{
  agsafeset (object, (char *)name, (char *)value, (char *)"");
}

static void
node_shape (const MoaNode *node, const char **shape, double *w, double *h)
{
  switch (node->kind)
    {
      case MOA_NODE_ACTIVITY:
        *shape = "box", *w = 2.0, *h = 0.75;
        break;
      case MOA_NODE_XOR:
      case MOA_NODE_AND_SPLIT:
      case MOA_NODE_AND_JOIN:
        *shape = "diamond", *w = 0.6, *h = 0.6;
        break;
      case MOA_NODE_START:
      case MOA_NODE_END:
      default:
        *shape = "circle", *w = 0.4, *h = 0.4;
        break;
    }
}

static gboolean
layout (MoaGraph *graph, GError **error)
{
  GVC_t *gvc = context ();
  Agraph_t *g = agopen ((char *)"workflow", Agdirected, NULL);
  set (g, "rankdir", "LR");
  set (g, "nodesep", "0.35");
  set (g, "ranksep", "0.45");
  g_autofree Agnode_t **gnodes = g_new0 (Agnode_t *, graph->nodes->len);
  g_autofree Agedge_t **gedges = g_new0 (Agedge_t *, graph->edges->len);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      MoaGraphNode *node = &g_array_index (graph->nodes, MoaGraphNode, i);
      const char *shape;
      double w, h;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *name = g_strdup_printf ("n%u", i);

      node_shape (node->node, &shape, &w, &h);
      gnodes[i] = agnode (g, name, TRUE);
      set (gnodes[i], "shape", shape);
      set (gnodes[i], "fixedsize", "true");
      set (gnodes[i], "label", "");
      set (gnodes[i], "width", g_ascii_dtostr (buf, sizeof buf, w));
      set (gnodes[i], "height", g_ascii_dtostr (buf, sizeof buf, h));
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      MoaGraphEdge *edge = &g_array_index (graph->edges, MoaGraphEdge, i);
      gedges[i] = agedge (g, gnodes[edge->from], gnodes[edge->to], NULL, TRUE);
      if (edge->label != NULL)
        {
          set (gedges[i], "label", edge->label);
          set (gedges[i], "fontsize", "11");
        }
    }

  if (gvLayout (gvc, g, "dot") != 0)
    {
      agclose (g);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("Graphviz could not lay out the workflow (is its dot plugin installed?)"));
      return FALSE;
    }

  boxf bb = GD_bb (g);
  double x0 = bb.LL.x - MARGIN, y1 = bb.UR.y + MARGIN;
  graph->width = bb.UR.x - bb.LL.x + 2 * MARGIN;
  graph->height = bb.UR.y - bb.LL.y + 2 * MARGIN;
#define TX(px) ((px)-x0)
#define TY(py) (y1 - (py))
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      MoaGraphNode *node = &g_array_index (graph->nodes, MoaGraphNode, i);
      node->x = TX (ND_coord (gnodes[i]).x);
      node->y = TY (ND_coord (gnodes[i]).y);
      node->width = ND_width (gnodes[i]) * 72.0;
      node->height = ND_height (gnodes[i]) * 72.0;
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      MoaGraphEdge *edge = &g_array_index (graph->edges, MoaGraphEdge, i);
      splines *spl = ED_spl (gedges[i]);
      if (spl != NULL && spl->size > 0)
        {
          guint total = 0;
          for (int b = 0; b < spl->size; b++)
            total += spl->list[b].size;
          edge->points = g_new (double, 2 * total);
          for (int b = 0; b < spl->size; b++)
            for (int k = 0; k < spl->list[b].size; k++)
              {
                edge->points[2 * edge->n_points] = TX (spl->list[b].list[k].x);
                edge->points[2 * edge->n_points + 1] = TY (spl->list[b].list[k].y);
                edge->n_points++;
              }
          bezier *last = &spl->list[spl->size - 1];
          if (last->eflag)
            {
              edge->has_arrow = TRUE;
              edge->arrow_x = TX (last->ep.x);
              edge->arrow_y = TY (last->ep.y);
            }
        }
      textlabel_t *label = ED_label (gedges[i]);
      if (edge->label != NULL && label != NULL)
        {
          edge->label_x = TX (label->pos.x);
          edge->label_y = TY (label->pos.y);
        }
    }
#undef TX
#undef TY
  gvFreeLayout (gvc, g);
  agclose (g);
  return TRUE;
}

MoaGraph *
moa_graph_new (const MoaObligation *obligation, GError **error)
{
  g_return_val_if_fail (obligation != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (MoaGraph) graph = g_new0 (MoaGraph, 1);
  graph->nodes = g_array_new (FALSE, TRUE, sizeof (MoaGraphNode));
  graph->edges = g_array_new (FALSE, TRUE, sizeof (MoaGraphEdge));
  g_array_set_clear_func (graph->edges, edge_clear);
  graph->index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; obligation->nodes != NULL && i < obligation->nodes->len; i++)
    {
      MoaGraphNode node = { 0 };
      node.node = g_ptr_array_index (obligation->nodes, i);
      g_array_append_val (graph->nodes, node);
      g_hash_table_insert (graph->index, node.node->id, GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const MoaNode *node = g_array_index (graph->nodes, MoaGraphNode, i).node;
      if (node->next != NULL)
        add_edge (graph, i, node->next, NULL, 1);
      if (node->branches == NULL)
        continue;
      /* The default branch takes what the others leave (the probabilities as written; the
       * core checks that they sum to 1). */
      double rest = 1;
      for (guint b = 0; node->kind == MOA_NODE_XOR && b < node->branches->len; b++)
        {
          const MoaBranch *branch = g_ptr_array_index (node->branches, b);
          if (!branch->is_default)
            rest -= moa_value_mean_or (branch->probability.value, 0);
        }
      for (guint b = 0; b < node->branches->len; b++)
        add_edge (graph, i, ((const MoaBranch *)g_ptr_array_index (node->branches, b))->to,
                  node->kind == MOA_NODE_XOR ? g_ptr_array_index (node->branches, b) : NULL, rest);
    }
  find_loops (graph, obligation);
  if (!layout (graph, error))
    return NULL;
  return g_steal_pointer (&graph);
}

guint
moa_graph_get_n_nodes (const MoaGraph *graph)
{
  g_return_val_if_fail (graph != NULL, 0);
  return graph->nodes->len;
}

const MoaGraphNode *
moa_graph_get_node (const MoaGraph *graph, guint index)
{
  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (index < graph->nodes->len, NULL);
  return &g_array_index (graph->nodes, MoaGraphNode, index);
}

guint
moa_graph_get_n_edges (const MoaGraph *graph)
{
  g_return_val_if_fail (graph != NULL, 0);
  return graph->edges->len;
}

const MoaGraphEdge *
moa_graph_get_edge (const MoaGraph *graph, guint index)
{
  g_return_val_if_fail (graph != NULL, NULL);
  g_return_val_if_fail (index < graph->edges->len, NULL);
  return &g_array_index (graph->edges, MoaGraphEdge, index);
}

int
moa_graph_find_node (const MoaGraph *graph, const char *id)
{
  g_return_val_if_fail (graph != NULL, -1);
  g_return_val_if_fail (id != NULL, -1);
  return (int)GPOINTER_TO_UINT (g_hash_table_lookup (graph->index, id)) - 1;
}

void
moa_graph_get_size (const MoaGraph *graph, double *width, double *height)
{
  g_return_if_fail (graph != NULL);
  if (width != NULL)
    *width = graph->width;
  if (height != NULL)
    *height = graph->height;
}

int
moa_graph_hit_test (const MoaGraph *graph, double x, double y)
{
  g_return_val_if_fail (graph != NULL, -1);

  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const MoaGraphNode *node = &g_array_index (graph->nodes, MoaGraphNode, i);
      double dx = fabs (x - node->x) / (node->width / 2);
      double dy = fabs (y - node->y) / (node->height / 2);
      gboolean inside;
      switch (node->node->kind)
        {
          case MOA_NODE_ACTIVITY:
            inside = dx <= 1 && dy <= 1;
            break;
          case MOA_NODE_XOR:
          case MOA_NODE_AND_SPLIT:
          case MOA_NODE_AND_JOIN:
            inside = dx + dy <= 1;
            break;
          default:
            inside = dx * dx + dy * dy <= 1;
            break;
        }
      if (inside)
        return (int)i;
    }
  return -1;
}
