/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests without a display of the workflow graph (nodes, edges, probabilities, loops, layout,
 * hit test) and of the rescaling of an XOR's branches when one is edited. */
#include "moa-config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "moa-edit.h"
#include "moa-graph-layout.h"

static MoaProcedure *
load (const char *name)
{
  g_autofree char *path = g_build_filename (MOA_SOURCE_DIR, "procedures", name, NULL);
  g_autoptr (GError) error = NULL;
  MoaProcedure *procedure = moa_procedure_load_file (path, NULL, &error);
  g_assert_no_error (error);
  return procedure;
}

static const MoaGraphEdge *
find_edge (const MoaGraph *graph, const char *from, const char *to)
{
  int f = moa_graph_find_node (graph, from), t = moa_graph_find_node (graph, to);
  g_assert_cmpint (f, >=, 0);
  g_assert_cmpint (t, >=, 0);
  for (guint i = 0; i < moa_graph_get_n_edges (graph); i++)
    {
      const MoaGraphEdge *edge = moa_graph_get_edge (graph, i);
      if (edge->from == (guint)f && edge->to == (guint)t)
        return edge;
    }
  g_assert_not_reached ();
}

/* riconoscimento-iap.xml, obligation domanda-iap, counted by hand from the file (lines
 * 49-174); one loop: reinvio -> istruttoria. */
static void
test_graph_iap (void)
{
  g_autoptr (MoaProcedure) procedure = load ("riconoscimento-iap.xml");
  MoaObligation *obligation = moa_procedure_get_obligation (procedure, "domanda-iap");
  g_assert_nonnull (obligation);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaGraph) graph = moa_graph_new (obligation, &error);
  g_assert_no_error (error);

  /* Nodes: inizio; the activities (familiarizzazione, aggiornamento-fascicolo,
   * documenti-reddito, calcolo-requisiti, attestato-capacita, incarico-caa, compilazione-caa,
   * compilazione-diretta, invio, istruttoria, integrazione, reinvio, decreto,
   * decreto-provvisorio: 14), 4 XOR and fine: 1 + 14 + 4 + 1 = 20. */
  g_assert_cmpuint (moa_graph_get_n_nodes (graph), ==, 20);
  /* Edges: a next from the start and from each of the 14 activities (15), two branches from
   * each of the 4 XOR (8): 23. */
  g_assert_cmpuint (moa_graph_get_n_edges (graph), ==, 23);

  guint back = 0, branches = 0;
  for (guint i = 0; i < moa_graph_get_n_edges (graph); i++)
    {
      const MoaGraphEdge *edge = moa_graph_get_edge (graph, i);
      back += edge->back;
      branches += edge->branch;
      g_assert_cmpuint (edge->n_points, >=, 4);
      g_assert_cmpuint ((edge->n_points - 1) % 3, ==, 0);
    }
  g_assert_cmpuint (back, ==, 1);
  g_assert_cmpuint (branches, ==, 8);
  g_assert_true (find_edge (graph, "reinvio", "istruttoria")->back);
  g_assert_false (find_edge (graph, "invio", "istruttoria")->back);

  /* capacita-professionale: 0.3 to attestato-capacita, the default takes 0.7. */
  const MoaGraphEdge *e = find_edge (graph, "capacita-professionale", "attestato-capacita");
  g_assert_true (e->branch && !e->is_default);
  g_assert_cmpfloat_with_epsilon (e->probability, 0.3, 1e-12);
  g_assert_cmpstr (e->label, ==, "30 %");
  e = find_edge (graph, "capacita-professionale", "canale-compilazione");
  g_assert_true (e->is_default);
  g_assert_cmpfloat_with_epsilon (e->probability, 0.7, 1e-12);
  /* tipo-riconoscimento: 0.25 and the rest 0.75. */
  e = find_edge (graph, "tipo-riconoscimento", "decreto");
  g_assert_cmpfloat_with_epsilon (e->probability, 0.75, 1e-12);
  g_assert_cmpstr (e->label, ==, "75 %");
  g_assert_false (find_edge (graph, "invio", "istruttoria")->branch);

  /* Layout: left to right, every node inside the drawing, and the start left of the end. */
  double width, height;
  moa_graph_get_size (graph, &width, &height);
  g_assert_cmpfloat (width, >, height);
  for (guint i = 0; i < moa_graph_get_n_nodes (graph); i++)
    {
      const MoaGraphNode *n = moa_graph_get_node (graph, i);
      g_assert_cmpfloat (n->x - n->width / 2, >=, 0);
      g_assert_cmpfloat (n->x + n->width / 2, <=, width);
      g_assert_cmpfloat (n->y - n->height / 2, >=, 0);
      g_assert_cmpfloat (n->y + n->height / 2, <=, height);
      /* The hit test finds each node at its centre. */
      g_assert_cmpint (moa_graph_hit_test (graph, n->x, n->y), ==, (int)i);
    }
  const MoaGraphNode *start = moa_graph_get_node (graph, moa_graph_find_node (graph, "inizio"));
  const MoaGraphNode *end = moa_graph_get_node (graph, moa_graph_find_node (graph, "fine"));
  g_assert_cmpfloat (start->x, <, end->x);
  /* Activities are 2 x 0.75 in boxes (144 x 54 points); a gateway's diamond misses its
   * bounding box's corner. */
  const MoaGraphNode *box = moa_graph_get_node (graph, moa_graph_find_node (graph, "invio"));
  g_assert_cmpfloat_with_epsilon (box->width, 144, 1e-9);
  g_assert_cmpfloat_with_epsilon (box->height, 54, 1e-9);
  int xor = moa_graph_find_node (graph, "esito");
  const MoaGraphNode *d = moa_graph_get_node (graph, xor);
  g_assert_cmpint (moa_graph_hit_test (graph, d->x + d->width / 2 - 2, d->y - d->height / 2 + 2),
                   !=, xor);
  g_assert_cmpint (moa_graph_hit_test (graph, -5, -5), ==, -1);
}

/* An XOR without a default branch keeps summing to 1: the other branches are rescaled in
 * proportion. certificato-anagrafico's "canale" made by hand into three fixed branches
 * 0.3 / 0.5 / 0.2; setting the first to 0.6 leaves 0.4 for the others, shared 5:2:
 * 0.4 x 5/7 = 0.285714..., 0.4 x 2/7 = 0.114285... */
static void
test_branch_rescaling (void)
{
  g_autoptr (MoaProcedure) procedure = load ("certificato-anagrafico.xml");
  MoaObligation *obligation = moa_procedure_get_obligation (procedure, "richiesta-certificato");
  MoaNode *canale = moa_obligation_get_node (obligation, "canale");
  g_assert_cmpuint (canale->branches->len, ==, 2);
  MoaBranch *b = g_ptr_array_index (canale->branches, 1);
  g_assert_true (b->is_default);
  b->is_default = FALSE;
  b->probability.value = moa_value_new_fixed (MOA_DIM_FRACTION, 0.5, NULL);
  MoaBranch *c = g_new0 (MoaBranch, 1);
  c->to = g_strdup ("viaggio");
  c->probability.value = moa_value_new_fixed (MOA_DIM_FRACTION, 0.2, NULL);
  g_ptr_array_add (canale->branches, c);
  MoaBranch *a = g_ptr_array_index (canale->branches, 0);

  g_autoptr (GError) error = NULL;
  g_autoptr (MoaEdit) edit = moa_edit_new_branch_probability (
      procedure, "richiesta-certificato", "canale", "accesso-anpr", "0.6", &error);
  g_assert_no_error (error);
  g_assert_true (moa_edit_apply (edit, procedure, TRUE, &error));
  g_assert_cmpfloat_with_epsilon (a->probability.value->mean, 0.6, 1e-12);
  g_assert_cmpfloat_with_epsilon (b->probability.value->mean, 0.4 * 5 / 7, 1e-12);
  g_assert_cmpfloat_with_epsilon (c->probability.value->mean, 0.4 * 2 / 7, 1e-12);
  /* Undone: the values as they were. */
  g_assert_true (moa_edit_apply (edit, procedure, FALSE, &error));
  g_assert_cmpfloat_with_epsilon (a->probability.value->mean, 0.3, 1e-12);
  g_assert_cmpfloat_with_epsilon (b->probability.value->mean, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (c->probability.value->mean, 0.2, 1e-12);

  /* A distribution on another branch cannot be rescaled: refused, nothing changed. */
  g_autoptr (GError) parse_error = NULL;
  moa_value_unref (c->probability.value);
  c->probability.value = moa_value_parse ("uniform(0.1, 0.3)", MOA_DIM_FRACTION, &parse_error);
  g_assert_no_error (parse_error);
  g_autoptr (MoaEdit) refused = moa_edit_new_branch_probability (
      procedure, "richiesta-certificato", "canale", "accesso-anpr", "0.6", &error);
  g_assert_null (refused);
  g_assert_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_PROBABILITY_SUM);
  g_assert_nonnull (strstr (error->message, "viaggio"));
}

/* frequency and cases exclude each other: setting cases removes the frequency, undo puts it
 * back. */
static void
test_count_edit (void)
{
  g_autoptr (MoaProcedure) procedure = load ("certificato-anagrafico.xml");
  MoaObligation *obligation = moa_procedure_get_obligation (procedure, "richiesta-certificato");
  gboolean had_frequency = obligation->frequency.value != NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaEdit) edit
      = moa_edit_new_count (procedure, MOA_EDIT_CASES, "richiesta-certificato", "1200", &error);
  g_assert_no_error (error);
  g_assert_true (moa_edit_apply (edit, procedure, TRUE, &error));
  g_assert_cmpfloat (obligation->cases.value->mean, ==, 1200);
  g_assert_null (obligation->frequency.value);
  g_assert_true (moa_edit_apply (edit, procedure, FALSE, &error));
  g_assert_cmpint (obligation->frequency.value != NULL, ==, had_frequency);

  g_autoptr (MoaEdit) bad
      = moa_edit_new_count (procedure, MOA_EDIT_CASES, "richiesta-certificato", "-3", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "obligation \"richiesta-certificato\": cases"));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/workflow/graph-iap", test_graph_iap);
  g_test_add_func ("/workflow/branch-rescaling", test_branch_rescaling);
  g_test_add_func ("/workflow/count-edit", test_count_edit);
  return g_test_run ();
}
