/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workflow of an obligation as a graph to draw: its nodes, its edges with the branch
 * probabilities and the loops' back edges, laid out by Graphviz's dot. No widgets. */
#pragma once

#include <glib.h>

#include "moa.h"

G_BEGIN_DECLS

/* One node, placed: centre and size in points (1 point = 1 pixel at zoom 1), y downwards
 * from the top-left corner of the drawing. */
typedef struct
{
  const MoaNode *node; /* borrowed from the obligation */
  double x, y;
  double width, height;
} MoaGraphNode;

/* One edge: a node's next, or a gateway's branch. */
typedef struct
{
  guint from, to;      /* indices of moa_graph_get_node() */
  gboolean back;       /* closes a loop: leads back to a node it was reached from */
  gboolean branch;     /* a branch of an XOR gateway (has a probability) */
  gboolean is_default; /* the XOR's default branch: 1 minus the other branches */
  gboolean uncertain;  /* the probability is a distribution (@probability is its mean) */
  double probability;  /* XOR branches: the default value's mean as written (the default
                        * branch: 1 minus the others' means); else 1 */
  char *label;         /* XOR branches: "30 %"; else NULL */
  /* The spline from dot: 1 + 3k points (x, y pairs) of cubic Bézier segments, in the
   * coordinates of the nodes, and the tip of the arrow head (the spline ends short of it). */
  guint n_points;
  double *points;
  double arrow_x, arrow_y;
  gboolean has_arrow;
  double label_x, label_y; /* centre of the label, when @label is set */
} MoaGraphEdge;

typedef struct _MoaGraph MoaGraph;

/* Builds the graph of @obligation's workflow (its nodes in file order; an edge per next and
 * per branch, in that order) and lays it out with Graphviz's dot, left to right, with fixed
 * node sizes (activities 2 x 0.75 in, gateways 0.6 in, start and end 0.4 in; dot rounds
 * them to whole points). Returns a new
 * graph, or NULL with @error set (G_IO_ERROR_FAILED) when Graphviz fails. Main thread only
 * (Graphviz keeps global state). */
MoaGraph *
moa_graph_new (const MoaObligation *obligation, GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_graph_free (MoaGraph *graph);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaGraph, moa_graph_free)

guint
moa_graph_get_n_nodes (const MoaGraph *graph);
const MoaGraphNode *
moa_graph_get_node (const MoaGraph *graph, guint index);
guint
moa_graph_get_n_edges (const MoaGraph *graph);
const MoaGraphEdge *
moa_graph_get_edge (const MoaGraph *graph, guint index);

/* The index of the node with id @id, or -1. */
int
moa_graph_find_node (const MoaGraph *graph, const char *id);

/* The size of the drawing in points (the nodes and edges lie within [0, width] x [0, height]). */
void
moa_graph_get_size (const MoaGraph *graph, double *width, double *height);

/* The index of the node whose shape contains the point (@x, @y) (drawing coordinates), or -1.
 * Boxes are hit inside their rectangle, gateways inside their diamond, start and end inside
 * their circle. */
int
moa_graph_hit_test (const MoaGraph *graph, double x, double y);

G_END_DECLS
