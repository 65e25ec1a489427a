/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Expected executions per case (simulation.md §2: (I - Q^T) v = e_start) and per-case cost
 * figures (procedure-format.md "What is computed"), against hand calculation and, for
 * generated workflows, against the dense oracle and an independent solve. */

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "moa.h"

/* Exact arithmetic: relative 1e-9 (style.md, tests). */
#define REL_TOL 1e-9

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");
  return dir != NULL ? dir : MOA_TESTS_SRCDIR;
}

static void
assert_close_impl (double actual, double expected, const char *what, const char *context,
                   const char *file, int line)
{
  double tol = REL_TOL * MAX (1.0, fabs (expected));
  if (!(fabs (actual - expected) <= tol))
    {
      print_error ("%s: %s = %.17g, expected %.17g (tolerance %.3g)\n", context, what, actual,
                   expected, tol);
      _fail (file, line);
    }
}

#define assert_close(actual, expected, what, context)                                              \
  assert_close_impl ((actual), (expected), (what), (context), __FILE__, __LINE__)

static MoaCostModel *
load_model (const char *id)
{
  g_autofree char *name = g_strconcat (id, ".xml", NULL);
  g_autofree char *path = g_build_filename (srcdir (), "test-visits", "models", name, NULL);
  g_autoptr (GError) error = NULL;
  MoaCostModel *model = moa_cost_model_load_file (path, NULL, &error);
  if (model == NULL)
    fail_msg ("%s: %s", path, error->message);
  return model;
}

/* Plans @path (a file of tests/test-visits/ when relative) with the model it names, or with
 * @model_id when not NULL. */
static MoaPlan *
plan_file (const char *path, const char *model_id)
{
  g_autofree char *full = g_path_is_absolute (path)
                              ? g_strdup (path)
                              : g_build_filename (srcdir (), "test-visits", path, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (full, NULL, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaCostModel) model = load_model (model_id != NULL ? model_id : procedure->cost_model);
  MoaPlan *plan = moa_plan_new (procedure, model, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  return plan;
}

static MoaResult *
evaluate (MoaPlan *plan)
{
  g_autoptr (GError) error = NULL;
  MoaResult *result = moa_plan_evaluate (plan, NULL, &error);
  if (result == NULL)
    fail_msg ("moa_plan_evaluate: %s", error->message);
  return result;
}

static int
node_index (const MoaObligation *obligation, const char *id)
{
  for (guint i = 0; i < obligation->nodes->len; i++)
    {
      const MoaNode *node = g_ptr_array_index (obligation->nodes, i);
      if (g_strcmp0 (node->id, id) == 0)
        return (int)i;
    }
  fail_msg ("obligation %s has no node %s", obligation->id, id);
  return -1;
}

typedef struct
{
  const char *node;
  double visits;
} Expected;

/* Checks the expected visits of @expected (terminated by a NULL node) for @segment: activities
 * through moa_plan_evaluate(), every node (gateways and ends too) through the dense oracle. */
static void
check_visits (const char *file, const char *obligation_id, const char *segment,
              const Expected *expected)
{
  g_autoptr (MoaPlan) plan = plan_file (file, NULL);
  g_autoptr (MoaResult) result = evaluate (plan);
  MoaProcedure *procedure = moa_plan_get_procedure (plan);
  const MoaObligation *obligation = moa_procedure_get_obligation (procedure, obligation_id);
  assert_non_null (obligation);

  g_autofree double *dense = g_new0 (double, obligation->nodes->len);
  g_autoptr (GError) error = NULL;
  if (!moa_plan_dense_visits (plan, obligation_id, segment, NULL, dense, &error))
    fail_msg ("moa_plan_dense_visits: %s", error->message);

  for (const Expected *e = expected; e->node != NULL; e++)
    {
      g_autofree char *context
          = g_strdup_printf ("%s %s/%s@%s", file, obligation_id, e->node, segment);
      const MoaNode *node = moa_obligation_get_node (obligation, e->node);
      assert_non_null (node);
      assert_close (dense[node_index (obligation, e->node)], e->visits, "dense visits", context);
      if (node->kind == MOA_NODE_ACTIVITY)
        {
          const MoaActivityResult *a
              = moa_result_get_activity (result, obligation_id, e->node, segment);
          if (a == NULL)
            fail_msg ("%s: no activity row", context);
          assert_close (a->visits, e->visits, "visits", context);
        }
    }
}

/* simulation.md §2: a single rework loop with repeat probability r executes its body
 * 1 / (1 - r) times; r = 0.3: 1 / 0.7 = 1.4285714..., the rework 0.3 / 0.7. */
static void
test_rework_loop (void **state)
{
  const Expected expected[] = {
    { "start", 1 },       { "fill", 1 }, { "check", 1 / 0.7 }, { "decide", 1 / 0.7 },
    { "fix", 0.3 / 0.7 }, { "done", 1 }, { NULL, 0 },
  };
  check_visits ("rework.xml", "apply", "firms", expected);
}

static void
test_nested_xor (void **state)
{
  const Expected expected[] = {
    { "channel", 1 },   { "online", 0.7 }, { "device", 0.7 }, { "desktop", 0.35 }, /* 0.7 x 0.5 */
    { "phone", 0.35 }, /* 0.7 x (1 - 0.5), the default branch */
    { "counter", 0.3 }, { "merge", 1 },    { "done", 1 },     { NULL, 0 },
  };
  check_visits ("nested-xor.xml", "submit", "people", expected);
}

/* Each AND branch once per pass, the join once per pass; passes: 1 / (1 - 0.4) = 5/3. */
static void
test_and_in_loop (void **state)
{
  const Expected expected[] = {
    { "prepare", 5.0 / 3 }, { "split", 5.0 / 3 }, { "docs", 5.0 / 3 },   { "docs-check", 5.0 / 3 },
    { "fee", 5.0 / 3 },     { "join", 5.0 / 3 },  { "review", 5.0 / 3 }, { "outcome", 5.0 / 3 },
    { "done", 1 },          { NULL, 0 },
  };
  check_visits ("and-loop.xml", "permit", "firms", expected);
}

/* Outer loop repeats with 0.4, the inner with 0.25: a = c = 1/0.6 = 5/3; b = 5/3 / 0.75. */
static void
test_nested_loops (void **state)
{
  const Expected expected[] = {
    { "a", 5.0 / 3 },     { "b", 20.0 / 9 }, { "inner", 20.0 / 9 }, { "c", 5.0 / 3 },
    { "outer", 5.0 / 3 }, { "done", 1 },     { NULL, 0 },
  };
  check_visits ("nested-loops.xml", "cycle", "firms", expected);
}

/* Repeat probability 0.3 for small firms, 0.1 (the <for> override) for large ones. */
static void
test_segment_override (void **state)
{
  const Expected small[] = {
    { "fill", 1 },
    { "check", 1 / 0.7 },
    { "fix", 0.3 / 0.7 },
    { NULL, 0 },
  };
  const Expected large[] = {
    { "fill", 1 },
    { "check", 1 / 0.9 },
    { "fix", 0.1 / 0.9 },
    { NULL, 0 },
  };
  check_visits ("segments.xml", "apply", "small", small);
  check_visits ("segments.xml", "apply", "large", large);

  /* Costs per segment: staff 40 /h + 25 % overhead = 50 per hour.
   * small: 1 h + 0.5 h x 10/7 + 2 h x 3/7 = 18/7 h -> 900/7 per case, x 100 cases = 90000/7;
   * large: 1 h + 0.5 h x 10/9 + 2 h x 1/9 = 16/9 h -> 800/9 per case, x 50 cases = 40000/9.
   * The obligation's per-case figure is the mean weighted by cases:
   * (90000/7 + 40000/9) / 150. */
  g_autoptr (MoaPlan) plan = plan_file ("segments.xml", NULL);
  g_autoptr (MoaResult) result = evaluate (plan);
  const MoaTotal *s = moa_result_get_segment (result, "small");
  const MoaTotal *l = moa_result_get_segment (result, "large");
  assert_non_null (s);
  assert_non_null (l);
  assert_close (s->cases, 100, "cases", "small");
  assert_close (l->cases, 50, "cases", "large");
  assert_close (s->recurring.cost, 90000.0 / 7, "recurring cost", "small");
  assert_close (l->recurring.cost, 40000.0 / 9, "recurring cost", "large");
  assert_close (s->recurring.hours, 100 * 18.0 / 7, "recurring hours", "small");
  const MoaTotal *o = moa_result_get_obligation (result, "apply");
  assert_non_null (o);
  assert_close (o->cases, 150, "cases", "apply");
  assert_close (o->recurring.cost, 90000.0 / 7 + 40000.0 / 9, "recurring cost", "apply");
  assert_close (o->per_case.cost, (90000.0 / 7 + 40000.0 / 9) / 150, "per-case cost", "apply");
  assert_close (result->total.recurring.cost, 90000.0 / 7 + 40000.0 / 9, "total", "segments");
}

static const MoaCaseResult *
find_case (const MoaResult *result, const char *obligation, const char *segment);

/* An exclusive choice that merges inside a parallel branch: the and-join rule (every flow
 * into a join is a whole branch of the split) must accept it; visits by hand. */
static void
test_xor_inside_and (void **state)
{
  const Expected expected[] = {
    { "x", 1 },     { "g", 1 },    { "y1", 0.3 },  { "y2", 0.7 },
    { "merge", 1 }, { "join", 1 }, { "after", 1 }, { NULL, 0 },
  };
  check_visits ("and-xor-inside.xml", "apply", "firms", expected);
}

/* The plan's parameters are named by stable keys (moa-plan.h), which Monte Carlo and
 * scenarios use to address the same input in a baseline and its variants: each distinct
 * value once, a per-segment override under its own key with "@SEGMENT". */
static void
test_param_keys (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("segments.xml", NULL);
  const char *const expected[] = {
    "apply/fill:time",
    "apply/check:time",
    "apply/fix:time",
    "apply/decide>fix:probability",
    "apply/decide>fix:probability@large",
    "small:population",
    "large:population",
    "apply:frequency",
  };
  const double means[] = { 1.0, 0.5, 2.0, 0.3, 0.1, 100, 50, 1 };
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = moa_plan_get_n_params (plan);

  for (guint i = 0; i < n; i++)
    {
      const char *key = moa_plan_get_param_key (plan, i);
      assert_non_null (key);
      if (!g_hash_table_add (seen, (gpointer)key))
        fail_msg ("key %s is given twice", key);
      assert_true (moa_plan_get_means (plan)[i] == moa_plan_get_param (plan, i)->mean);
    }
  for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < n && !found; i++)
        if (g_strcmp0 (moa_plan_get_param_key (plan, i), expected[k]) == 0)
          {
            found = TRUE;
            assert_close (moa_plan_get_means (plan)[i], means[k], "mean", expected[k]);
          }
      if (!found)
        fail_msg ("no parameter with key %s", expected[k]);
    }
  /* the explicit inputs above, plus the model's default tariff */
  assert_int_equal (n, G_N_ELEMENTS (expected) + 1);
}

static void
assert_figures (const MoaFigures *f, const double expected[MOA_FIGURES_N_FIELDS],
                const char *context)
{
  const double *x = MOA_FIGURES_ARRAY ((MoaFigures *)f);
  for (int i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    {
      g_autofree char *what = g_strdup_printf ("%s", moa_figures_field_names[i]);
      assert_close (x[i], expected[i], what, context);
    }
}

/* procedure-format.md "What is computed", per execution, with the visits-test model:
 * overhead 25 %, staff 40 /h, office 30 /h, consultant 80 /h (external), citizens 15 /h.
 * Field order: hours, external_hours, internal, overhead, external, acquisitions,
 * out_of_pocket, cost, bau, burden. */
static void
test_cost_figures (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("cost.xml", NULL);
  g_autoptr (MoaResult) result = evaluate (plan);

  /* prepare: 2 h x 40 = 80 internal, 20 overhead, cost 100; bau 10 % = 10; burden 90. */
  const double prepare[] = { 2, 0, 80, 20, 0, 0, 0, 100, 10, 90 };
  /* consult: external, 1 h x 80 + fee 50 = 130; no overhead; hours are the professional's. */
  const double consult[] = { 0, 1, 0, 0, 130, 0, 0, 130, 0, 130 };
  /* pay: 6 min = 0.1 h x 40 = 4, overhead 1, acquisitions 10, out-of-pocket 16: 31. */
  const double pay[] = { 0.1, 0, 4, 1, 0, 10, 16, 31, 0, 31 };
  /* review by the office: 1 h x 30 = 30, overhead 7.5: 37.5, borne by the administration. */
  const double review[] = { 1, 0, 30, 7.5, 0, 0, 0, 37.5, 0, 37.5 };
  /* fill: citizen, 0.5 h x 15 = 7.5, no overhead for citizens. */
  const double fill[] = { 0.5, 0, 7.5, 0, 0, 0, 0, 7.5, 0, 7.5 };
  /* travel: 20 min = 1/3 h x 15 = 5, out-of-pocket 2.60: 7.60. */
  const double travel[] = { 1.0 / 3, 0, 5, 0, 0, 0, 2.6, 7.6, 0, 7.6 };

  struct
  {
    const char *obligation, *node, *segment, *payer;
    gboolean external;
    double time, rate;
    const double *figures;
  } rows[] = {
    { "biz", "prepare", "firms", "firms", FALSE, 2, 40, prepare },
    { "biz", "consult", "firms", "firms", TRUE, 1, 80, consult },
    { "biz", "pay", "firms", "firms", FALSE, 0.1, 40, pay },
    { "biz", "review", "firms", "office", FALSE, 1, 30, review },
    { "cit", "fill", "people", "people", FALSE, 0.5, 15, fill },
    { "cit", "travel", "people", "people", FALSE, 1.0 / 3, 15, travel },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *context = g_strdup_printf ("%s/%s", rows[i].obligation, rows[i].node);
      const MoaActivityResult *a
          = moa_result_get_activity (result, rows[i].obligation, rows[i].node, rows[i].segment);
      if (a == NULL)
        fail_msg ("%s: no activity row", context);
      assert_close (a->visits, 1, "visits", context);
      assert_close (a->time, rows[i].time, "time", context);
      assert_close (a->rate, rows[i].rate, "rate", context);
      assert_non_null (a->payer);
      assert_string_equal (a->payer->id, rows[i].payer);
      assert_int_equal (a->external, rows[i].external);
      assert_figures (&a->per_case, rows[i].figures, context);
    }

  /* Per year: biz has 10 firms x 2 = 20 cases; cit 100 people x 1 = 100 cases.
   * firms bear prepare + consult + pay: hours (2 + 0.1) x 20 = 42, external hours 20,
   * internal (80 + 4) x 20 = 1,680, overhead 21 x 20 = 420, external 2,600, acquisitions 200,
   * out-of-pocket 320, cost 261 x 20 = 5,220, bau 200, burden 5,020. */
  const double firms[] = { 42, 20, 1680, 420, 2600, 200, 320, 5220, 200, 5020 };
  /* The office: 20 h, 600 internal, 150 overhead, 750. */
  const double office[] = { 20, 0, 600, 150, 0, 0, 0, 750, 0, 750 };
  /* people: hours 100 x 5/6, internal 12.5 x 100 = 1,250, out-of-pocket 260, cost 1,510. */
  const double people[] = { 500.0 / 6, 0, 1250, 0, 0, 0, 260, 1510, 0, 1510 };
  /* The burden of the procedure is citizens + businesses; the administration apart. */
  const double total[] = { 42 + 500.0 / 6, 20, 2930, 420, 2600, 200, 580, 6730, 200, 6530 };

  const MoaTotal *g = moa_result_get_group (result, "firms");
  assert_non_null (g);
  assert_figures (&g->recurring, firms, "group firms");
  g = moa_result_get_group (result, "office");
  assert_non_null (g);
  assert_figures (&g->recurring, office, "group office");
  g = moa_result_get_group (result, "people");
  assert_non_null (g);
  assert_figures (&g->recurring, people, "group people");

  assert_figures (&result->businesses.recurring, firms, "businesses");
  assert_figures (&result->citizens.recurring, people, "citizens");
  assert_figures (&result->administration.recurring, office, "administration");
  assert_figures (&result->total.recurring, total, "total");

  /* The case and obligation figures of biz are the firms' burden: the office's review is in
   * the administration's figures only (moa-result.h). */
  const MoaCaseResult *c = find_case (result, "biz", "firms");
  assert_non_null (c);
  assert_close (c->cases, 20, "cases", "biz@firms");
  const double biz_case[] = { 2.1, 1, 84, 21, 130, 10, 16, 261, 10, 251 };
  assert_figures (&c->per_case, biz_case, "biz@firms per case");
  assert_figures (&c->per_year, firms, "biz@firms per year");
  const MoaTotal *biz = moa_result_get_obligation (result, "biz");
  assert_non_null (biz);
  assert_figures (&biz->per_case, biz_case, "biz per case");
  assert_figures (&biz->recurring, firms, "biz per year");

  const MoaTotal *cit = moa_result_get_obligation (result, "cit");
  assert_non_null (cit);
  assert_close (cit->cases, 100, "cases", "cit");
  assert_close (cit->per_case.cost, 15.1, "per-case cost", "cit");
  assert_close (cit->recurring.cost, 1510, "recurring cost", "cit");
}

/* The same procedure under a model that does not monetise citizens' time: internal 0 and the
 * hours kept; businesses unchanged. */
static void
test_cost_unmonetised (void **state)
{
  g_autoptr (MoaPlan) plan = plan_file ("cost.xml", "visits-test-unmonetised");
  g_autoptr (MoaResult) result = evaluate (plan);

  const double fill[] = { 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  const double travel[] = { 1.0 / 3, 0, 0, 0, 0, 0, 2.6, 2.6, 0, 2.6 };
  const MoaActivityResult *a = moa_result_get_activity (result, "cit", "fill", "people");
  assert_non_null (a);
  assert_close (a->rate, 0, "rate", "fill, not monetised");
  assert_figures (&a->per_case, fill, "fill, not monetised");
  a = moa_result_get_activity (result, "cit", "travel", "people");
  assert_non_null (a);
  assert_figures (&a->per_case, travel, "travel, not monetised");

  const double people[] = { 500.0 / 6, 0, 0, 0, 0, 0, 260, 260, 0, 260 };
  assert_figures (&result->citizens.recurring, people, "citizens, not monetised");
  const double firms[] = { 42, 20, 1680, 420, 2600, 200, 320, 5220, 200, 5020 };
  assert_figures (&result->businesses.recurring, firms, "businesses, other model");
  assert_close (result->total.recurring.cost, 5480, "total cost", "not monetised");
  assert_close (result->administration.recurring.cost, 750, "administration", "not monetised");
}

/* --- Generated workflows: block-by-SCC solve vs one dense LU vs an independent solve --- */

#define GEN_SEGMENTS 2

typedef struct
{
  char *from;
  char *to;
  double w[GEN_SEGMENTS];
} GenEdge;

typedef struct
{
  char *id;
  gboolean activity;
  double hours;
} GenNode;

typedef struct
{
  char *id;
  GPtrArray *nodes; /* GenNode*, file order */
  GPtrArray *edges; /* GenEdge* */
} GenObligation;

static void
gen_node_free (GenNode *n)
{
  g_free (n->id);
  g_free (n);
}

static void
gen_edge_free (GenEdge *e)
{
  g_free (e->from);
  g_free (e->to);
  g_free (e);
}

static void
gen_obligation_free (GenObligation *o)
{
  g_free (o->id);
  g_ptr_array_unref (o->nodes);
  g_ptr_array_unref (o->edges);
  g_free (o);
}

static void
gen_add_node (GenObligation *o, const char *id, gboolean activity, double hours)
{
  GenNode *n = g_new0 (GenNode, 1);
  n->id = g_strdup (id);
  n->activity = activity;
  n->hours = hours;
  g_ptr_array_add (o->nodes, n);
}

static void
gen_add_edge (GenObligation *o, const char *from, const char *to, double w0, double w1)
{
  GenEdge *e = g_new0 (GenEdge, 1);
  e->from = g_strdup (from);
  e->to = g_strdup (to);
  e->w[0] = w0;
  e->w[1] = w1;
  g_ptr_array_add (o->edges, e);
}

/* A probability written with 3 decimals, read back as the engine reads it. */
static double
gen_probability (GRand *rand, double lo, double span, char text[16])
{
  g_ascii_formatd (text, 16, "%.3f", lo + span * g_rand_double (rand));
  return g_ascii_strtod (text, NULL);
}

static char *
succ_id (int i, int n)
{
  return i + 1 < n ? g_strdup_printf ("a%d", i + 1) : g_strdup ("end");
}

/* Writes one random workflow: a chain a0..a(n-1) where some activities are followed by an AND
 * block and/or an XOR gateway that loops back (probability <= 0.55), skips forward, or both;
 * the default branch continues. Always sound. Fills @o with the same graph. */
static void
gen_workflow (GRand *rand, GString *xml, GenObligation *o)
{
  int n = g_rand_int_range (rand, 3, 30);
  gboolean end2_used = FALSE;

  g_string_append (xml, "    <workflow>\n      <start id=\"start\" next=\"a0\"/>\n");
  gen_add_node (o, "start", FALSE, 0);
  gen_add_edge (o, "start", "a0", 1, 1);

  for (int i = 0; i < n; i++)
    {
      gboolean has_and = g_rand_double (rand) < 0.2;
      gboolean has_xor = g_rand_double (rand) < 0.45;
      g_autofree char *a = g_strdup_printf ("a%d", i);
      g_autofree char *s = g_strdup_printf ("and%d", i);
      g_autofree char *j = g_strdup_printf ("join%d", i);
      g_autofree char *g = g_strdup_printf ("g%d", i);
      g_autofree char *succ = succ_id (i, n);
      const char *after_block = has_xor ? g : succ;
      int minutes = g_rand_int_range (rand, 1, 120);

      g_string_append_printf (xml, "      <activity id=\"%s\" time=\"%d min\" next=\"%s\"/>\n", a,
                              minutes, has_and ? s : after_block);
      gen_add_node (o, a, TRUE, minutes / 60.0);
      gen_add_edge (o, a, has_and ? s : after_block, 1, 1);

      if (has_and)
        {
          int k = g_rand_int_range (rand, 2, 4);
          g_string_append_printf (xml, "      <and-split id=\"%s\">\n", s);
          gen_add_node (o, s, FALSE, 0);
          for (int b = 0; b < k; b++)
            {
              g_autofree char *p = g_strdup_printf ("p%d-%d", i, b);
              g_string_append_printf (xml, "        <branch to=\"%s\"/>\n", p);
              gen_add_edge (o, s, p, 1, 1);
            }
          g_string_append (xml, "      </and-split>\n");
          for (int b = 0; b < k; b++)
            {
              g_autofree char *p = g_strdup_printf ("p%d-%d", i, b);
              int m = g_rand_int_range (rand, 1, 60);
              g_string_append_printf (
                  xml, "      <activity id=\"%s\" time=\"%d min\" next=\"%s\"/>\n", p, m, j);
              gen_add_node (o, p, TRUE, m / 60.0);
              /* The join continues once per pass: each of the k arrivals counts 1/k. */
              gen_add_edge (o, p, j, 1.0 / k, 1.0 / k);
            }
          g_string_append_printf (xml, "      <and-join id=\"%s\" next=\"%s\"/>\n", j, after_block);
          gen_add_node (o, j, FALSE, 0);
          gen_add_edge (o, j, after_block, 1, 1);
        }

      if (has_xor)
        {
          gboolean back = g_rand_double (rand) < 0.65;
          gboolean fwd = g_rand_double (rand) < 0.4;
          if (!back && !fwd)
            fwd = TRUE;
          double rest[GEN_SEGMENTS] = { 1, 1 };

          g_string_append_printf (xml, "      <xor id=\"%s\">\n", g);
          gen_add_node (o, g, FALSE, 0);
          for (int kind = 0; kind < 2; kind++)
            {
              if ((kind == 0 && !back) || (kind == 1 && !fwd))
                continue;
              g_autofree char *to = NULL;
              char text[16], text2[16];
              double lo = kind == 0 ? 0.05 : 0.02, span = kind == 0 ? 0.5 : 0.25;
              if (kind == 0)
                to = g_strdup_printf ("a%d", g_rand_int_range (rand, 0, i + 1));
              else
                {
                  int m = i + 2 + g_rand_int_range (rand, 0, 4);
                  if (m < n)
                    to = g_strdup_printf ("a%d", m);
                  else
                    {
                      to = g_strdup ("end2");
                      end2_used = TRUE;
                    }
                }
              double p = gen_probability (rand, lo, span, text);
              double p2 = p;
              if (g_rand_double (rand) < 0.35)
                {
                  p2 = gen_probability (rand, lo, span, text2);
                  g_string_append_printf (xml,
                                          "        <branch to=\"%s\" probability=\"%s\">\n"
                                          "          <for segment=\"s2\" probability=\"%s\"/>\n"
                                          "        </branch>\n",
                                          to, text, text2);
                }
              else
                g_string_append_printf (xml, "        <branch to=\"%s\" probability=\"%s\"/>\n", to,
                                        text);
              gen_add_edge (o, g, to, p, p2);
              rest[0] -= p;
              rest[1] -= p2;
            }
          g_string_append_printf (xml, "        <branch to=\"%s\" default=\"true\"/>\n", succ);
          g_string_append (xml, "      </xor>\n");
          gen_add_edge (o, g, succ, rest[0], rest[1]);
        }
    }
  g_string_append (xml, "      <end id=\"end\"/>\n");
  gen_add_node (o, "end", FALSE, 0);
  if (end2_used)
    {
      g_string_append (xml, "      <end id=\"end2\"/>\n");
      gen_add_node (o, "end2", FALSE, 0);
    }
  g_string_append (xml, "    </workflow>\n");
}

/* Writes a procedure of two obligations with random workflows for two segments. */
static char *
gen_procedure (GRand *rand, int number, GPtrArray *obligations)
{
  GString *xml = g_string_new (NULL);
  g_string_append_printf (
      xml,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<procedure format=\"1\" id=\"random-%d\" cost-model=\"visits-test\" price-year=\"2024\" "
      "currency=\"EUR\">\n"
      "  <title lang=\"en\">Generated workflow %d</title>\n"
      "  <area>altro</area>\n"
      "  <target-groups>\n"
      "    <target-group id=\"firms\" kind=\"business\">\n"
      "      <segment id=\"s1\" population=\"10\"/>\n"
      "      <segment id=\"s2\" population=\"30\"/>\n"
      "    </target-group>\n"
      "  </target-groups>\n",
      number, number);
  for (int k = 0; k < 2; k++)
    {
      GenObligation *o = g_new0 (GenObligation, 1);
      o->id = g_strdup_printf ("o%d", k);
      o->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)gen_node_free);
      o->edges = g_ptr_array_new_with_free_func ((GDestroyNotify)gen_edge_free);
      g_string_append_printf (xml,
                              "  <obligation id=\"%s\" target-groups=\"firms\" "
                              "type=\"notification\" origin=\"regional\" frequency=\"1\">\n"
                              "    <title lang=\"en\">Obligation %d</title>\n",
                              o->id, k);
      gen_workflow (rand, xml, o);
      g_string_append (xml, "  </obligation>\n");
      g_ptr_array_add (obligations, o);
    }
  g_string_append (xml, "</procedure>\n");
  return g_string_free (xml, FALSE);
}

/* Independent oracle: Gaussian elimination with partial pivoting on (I - Q^T) v = e_start. */
static void
oracle_visits (const GenObligation *o, int segment, double *v)
{
  guint n = o->nodes->len;
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index, ((GenNode *)g_ptr_array_index (o->nodes, i))->id,
                         GUINT_TO_POINTER (i + 1));
  g_autofree double *a = g_new0 (double, (gsize)n *n);
  for (guint i = 0; i < n; i++)
    {
      a[i * n + i] = 1;
      v[i] = 0;
    }
  v[0] = 1; /* start is the first node */
  for (guint e = 0; e < o->edges->len; e++)
    {
      const GenEdge *edge = g_ptr_array_index (o->edges, e);
      guint from = GPOINTER_TO_UINT (g_hash_table_lookup (index, edge->from)) - 1;
      guint to = GPOINTER_TO_UINT (g_hash_table_lookup (index, edge->to)) - 1;
      g_assert (from < n && to < n);
      a[to * n + from] -= edge->w[segment];
    }
  for (guint c = 0; c < n; c++)
    {
      guint p = c;
      for (guint r = c + 1; r < n; r++)
        if (fabs (a[r * n + c]) > fabs (a[p * n + c]))
          p = r;
      g_assert (fabs (a[p * n + c]) > 1e-12);
      if (p != c)
        {
          for (guint k = 0; k < n; k++)
            {
              double t = a[c * n + k];
              a[c * n + k] = a[p * n + k];
              a[p * n + k] = t;
            }
          double t = v[c];
          v[c] = v[p];
          v[p] = t;
        }
      for (guint r = c + 1; r < n; r++)
        {
          double f = a[r * n + c] / a[c * n + c];
          if (f == 0)
            continue;
          for (guint k = c; k < n; k++)
            a[r * n + k] -= f * a[c * n + k];
          v[r] -= f * v[c];
        }
    }
  for (guint c = n; c-- > 0;)
    {
      double s = v[c];
      for (guint k = c + 1; k < n; k++)
        s -= a[c * n + k] * v[k];
      v[c] = s / a[c * n + c];
    }
}

static const MoaCaseResult *
find_case (const MoaResult *result, const char *obligation, const char *segment)
{
  for (guint i = 0; i < result->cases->len; i++)
    {
      const MoaCaseResult *c = &g_array_index (result->cases, MoaCaseResult, i);
      if (g_strcmp0 (c->obligation->id, obligation) == 0
          && g_strcmp0 (c->segment->id, segment) == 0)
        return c;
    }
  return NULL;
}

static void
test_random_cross_check (void **state)
{
  const guint32 seed = 20240611;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("moa-test-visits-XXXXXX", &error);
  assert_non_null (dir);
  print_message ("# seed %u, files in %s\n", seed, dir);
  guint checked = 0;
  /* The slow suite runs the thorough variant (MOA_TEST_THOROUGH=1): many more workflows. */
  int n_files = g_getenv ("MOA_TEST_THOROUGH") != NULL ? 1000 : 25;

  for (int f = 0; f < n_files; f++)
    {
      g_autoptr (GPtrArray) gen
          = g_ptr_array_new_with_free_func ((GDestroyNotify)gen_obligation_free);
      g_autofree char *xml = gen_procedure (rand, f, gen);
      g_autofree char *name = g_strdup_printf ("random-%04d.xml", f);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (!g_file_set_contents (path, xml, -1, &error))
        fail_msg ("%s", error->message);

      g_autoptr (MoaPlan) plan = plan_file (path, NULL);
      g_autoptr (MoaResult) result = evaluate (plan);
      MoaProcedure *procedure = moa_plan_get_procedure (plan);

      for (guint k = 0; k < gen->len; k++)
        {
          const GenObligation *o = g_ptr_array_index (gen, k);
          const MoaObligation *obligation = moa_procedure_get_obligation (procedure, o->id);
          assert_non_null (obligation);
          assert_int_equal (obligation->nodes->len, o->nodes->len);
          for (int s = 0; s < GEN_SEGMENTS; s++)
            {
              const char *segment = s == 0 ? "s1" : "s2";
              guint n = o->nodes->len;
              g_autofree double *dense = g_new0 (double, n);
              g_autofree double *oracle = g_new0 (double, n);
              if (!moa_plan_dense_visits (plan, o->id, segment, NULL, dense, &error))
                fail_msg ("%s: %s", path, error->message);
              oracle_visits (o, s, oracle);

              double ends = 0, expected_cost = 0;
              for (guint i = 0; i < n; i++)
                {
                  const GenNode *node = g_ptr_array_index (o->nodes, i);
                  const MoaNode *mnode = g_ptr_array_index (obligation->nodes, i);
                  g_autofree char *context = g_strdup_printf ("seed %u, %s %s/%s@%s", seed, path,
                                                              o->id, node->id, segment);
                  assert_string_equal (mnode->id, node->id);
                  assert_close (dense[i], oracle[i], "dense visits vs independent solve", context);
                  if (mnode->kind == MOA_NODE_END)
                    ends += dense[i];
                  if (node->activity)
                    {
                      const MoaActivityResult *a
                          = moa_result_get_activity (result, o->id, node->id, segment);
                      if (a == NULL)
                        fail_msg ("%s: no activity row", context);
                      assert_close (a->visits, dense[i], "block-by-SCC visits vs dense LU",
                                    context);
                      /* staff 40 /h + 25 % overhead = 50 per hour */
                      expected_cost += oracle[i] * node->hours * 50;
                      checked++;
                    }
                }
              g_autofree char *context
                  = g_strdup_printf ("seed %u, %s %s@%s", seed, path, o->id, segment);
              /* Every case ends exactly once. */
              assert_close (ends, 1, "sum of visits to the ends", context);
              const MoaCaseResult *c = find_case (result, o->id, segment);
              if (c == NULL)
                fail_msg ("%s: no case row", context);
              assert_close (c->per_case.cost, expected_cost, "per-case cost", context);
            }
        }
      g_unlink (path);
    }
  g_rmdir (dir);
  print_message ("# %u activity visits cross-checked\n", checked);
  assert_true (checked > 100);
}

/* Plans the procedure @xml (named "inline.xml") with the visits-test model; NULL with @error
 * set (and @problems, may be NULL, filled) when the plan refuses it. */
static MoaPlan *
plan_inline (const char *xml, GPtrArray *problems, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (MoaProcedure) procedure
      = moa_procedure_load_data (xml, strlen (xml), "inline.xml", NULL, &local);
  if (procedure == NULL)
    fail_msg ("%s", local->message);
  g_autoptr (MoaCostModel) model = load_model ("visits-test");
  return moa_plan_new (procedure, model, problems, error);
}

/* An administration group that is the addressee of an obligation and performs it: its cases
 * are counted once, not once as addressee and again as the office that handles them. */
static void
test_office_addressee (void **state)
{
  static const char xml[]
      = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<procedure format=\"1\" id=\"office-addressee\" cost-model=\"visits-test\" "
        "price-year=\"2024\" currency=\"EUR\">\n"
        "  <title lang=\"en\">Office addressee</title>\n"
        "  <area>altro</area>\n"
        "  <target-groups>\n"
        "    <target-group id=\"office\" kind=\"administration\" population=\"5\"/>\n"
        "    <target-group id=\"firms\" kind=\"business\" population=\"10\"/>\n"
        "  </target-groups>\n"
        "  <obligation id=\"report\" target-groups=\"office\" type=\"notification\" "
        "origin=\"regional\" frequency=\"1\">\n"
        "    <title lang=\"en\">Report</title>\n"
        "    <workflow>\n"
        "      <start id=\"start\" next=\"write\"/>\n"
        "      <activity id=\"write\" time=\"1 h\" next=\"done\"/>\n"
        "      <end id=\"done\"/>\n"
        "    </workflow>\n"
        "  </obligation>\n"
        "  <obligation id=\"permit\" target-groups=\"firms\" type=\"notification\" "
        "origin=\"regional\" frequency=\"10\">\n"
        "    <title lang=\"en\">Permit</title>\n"
        "    <workflow>\n"
        "      <start id=\"start\" next=\"prepare\"/>\n"
        "      <activity id=\"prepare\" time=\"1 h\" next=\"check\"/>\n"
        "      <activity id=\"check\" performer=\"office\" time=\"2 h\" next=\"done\"/>\n"
        "      <end id=\"done\"/>\n"
        "    </workflow>\n"
        "  </obligation>\n"
        "</procedure>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaPlan) plan = plan_inline (xml, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaResult) result = evaluate (plan);

  /* report: 5 offices x 1 = 5 cases; permit: 10 firms x 10 = 100 cases, each checked by the
   * office. The office handles 5 + 100 = 105 cases a year; its hours are 5 x 1 + 100 x 2. */
  const MoaTotal *office = moa_result_get_group (result, "office");
  assert_non_null (office);
  assert_close (office->cases, 105, "cases", "group office");
  assert_close (office->recurring.hours, 205, "hours", "group office");
  const MoaTotal *segment = moa_result_get_segment (result, "office");
  assert_non_null (segment);
  assert_close (segment->cases, 105, "cases", "segment office");
  assert_close (result->administration.cases, 105, "cases", "administration");
  assert_close (moa_result_get_group (result, "firms")->cases, 100, "cases", "group firms");
}

/* An and-split whose two branches both reach the loop's gateway: each pass sends two tokens
 * around, so the loop grows instead of ending. v_prepare = 1 + 2 (1 - p) v_prepare with p
 * the probability of leaving: p = 0.4 gives v = 1 / (1 - 1.2) = -5, which is not an expected
 * number of executions but the sign of an infinite one; p = 0.6 gives v = 1 / (1 - 0.8) = 5
 * and the gateway 2 v = 10. */
static void
test_growing_loop (void **state)
{
  static const char xml[]
      = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<procedure format=\"1\" id=\"grow\" cost-model=\"visits-test\" "
        "price-year=\"2024\" currency=\"EUR\">\n"
        "  <title lang=\"en\">Growing loop</title>\n"
        "  <area>altro</area>\n"
        "  <target-groups>\n"
        "    <target-group id=\"firms\" kind=\"business\" population=\"10\"/>\n"
        "  </target-groups>\n"
        "  <obligation id=\"permit\" target-groups=\"firms\" type=\"notification\" "
        "origin=\"regional\" frequency=\"1\">\n"
        "    <title lang=\"en\">Permit</title>\n"
        "    <workflow>\n"
        "      <start id=\"start\" next=\"prepare\"/>\n"
        "      <activity id=\"prepare\" time=\"1 h\" next=\"split\"/>\n"
        "      <and-split id=\"split\">\n" /* line 13 */
        "        <branch to=\"outcome\"/>\n"
        "        <branch to=\"outcome\"/>\n"
        "      </and-split>\n"
        "      <xor id=\"outcome\">\n"
        "        <branch to=\"done\" probability=\"PROBABILITY\"/>\n"
        "        <branch to=\"prepare\" default=\"true\"/>\n"
        "      </xor>\n"
        "      <end id=\"done\"/>\n"
        "    </workflow>\n"
        "  </obligation>\n"
        "</procedure>\n";
  g_autoptr (GError) error = NULL;

  /* at the expected probability: refused when the plan is built, naming the and-split */
  g_autoptr (GString) growing = g_string_new (xml);
  g_string_replace (growing, "PROBABILITY", "0.4", 1);
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (MoaPlan) refused = plan_inline (growing->str, problems, &error);
  assert_null (refused);
  assert_true (g_error_matches (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_CERTAIN_LOOP));
  assert_int_equal (problems->len, 1);
  const MoaProblem *problem = g_ptr_array_index (problems, 0);
  assert_int_equal (problem->line, 13);
  assert_string_equal (problem->element, "permit/split");
  g_clear_error (&error);

  /* uncertain: accepted at the expected 0.6, refused for a sample at 0.4 */
  g_autoptr (GString) uncertain = g_string_new (xml);
  g_string_replace (uncertain, "PROBABILITY", "uniform(0.3, 0.9)", 1);
  g_autoptr (MoaPlan) plan = plan_inline (uncertain->str, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  guint n = moa_plan_get_n_params (plan);
  g_autofree double *x = g_memdup2 (moa_plan_get_means (plan), sizeof (double) * n);
  int slot = -1;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (moa_plan_get_param_key (plan, i), "permit/outcome>done:probability") == 0)
      slot = (int)i;
  assert_true (slot >= 0);
  assert_close (x[slot], 0.6, "expected probability", "permit/outcome");
  g_autoptr (MoaResult) result = evaluate (plan);
  assert_close (moa_result_get_activity (result, "permit", "prepare", NULL)->visits, 5, "visits",
                "permit/prepare");
  double dense[6];
  if (!moa_plan_dense_visits (plan, "permit", NULL, NULL, dense, &error))
    fail_msg ("%s", error->message);
  MoaProcedure *procedure = moa_plan_get_procedure (plan);
  const MoaObligation *permit = moa_procedure_get_obligation (procedure, "permit");
  assert_close (dense[node_index (permit, "outcome")], 10, "dense visits", "permit/outcome");

  x[slot] = 0.4;
  g_autoptr (MoaResult) grown = moa_plan_evaluate (plan, x, &error);
  assert_null (grown);
  assert_true (g_error_matches (error, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_NUMERIC));
}

/* A loop behind a branch of probability 0 is never entered: it runs 0 times, even though,
 * once in it, nothing would leave it (the plan accepts it: only reached nodes must reach an
 * end). Its block of I - Q^T is singular, so it must not be solved. */
static void
test_unentered_loop (void **state)
{
  static const char xml[]
      = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<procedure format=\"1\" id=\"trap\" cost-model=\"visits-test\" "
        "price-year=\"2024\" currency=\"EUR\">\n"
        "  <title lang=\"en\">Unentered loop</title>\n"
        "  <area>altro</area>\n"
        "  <target-groups>\n"
        "    <target-group id=\"firms\" kind=\"business\" population=\"10\"/>\n"
        "  </target-groups>\n"
        "  <obligation id=\"permit\" target-groups=\"firms\" type=\"notification\" "
        "origin=\"regional\" frequency=\"1\">\n"
        "    <title lang=\"en\">Permit</title>\n"
        "    <workflow>\n"
        "      <start id=\"start\" next=\"fill\"/>\n"
        "      <activity id=\"fill\" time=\"1 h\" next=\"choice\"/>\n"
        "      <xor id=\"choice\">\n"
        "        <branch to=\"trap\" probability=\"0\"/>\n"
        "        <branch to=\"done\" default=\"true\"/>\n"
        "      </xor>\n"
        "      <activity id=\"trap\" time=\"1 h\" next=\"again\"/>\n"
        "      <xor id=\"again\">\n"
        "        <branch to=\"trap\" probability=\"1\"/>\n"
        "        <branch to=\"done\" probability=\"0\"/>\n"
        "      </xor>\n"
        "      <end id=\"done\"/>\n"
        "    </workflow>\n"
        "  </obligation>\n"
        "</procedure>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaPlan) plan = plan_inline (xml, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaResult) result = evaluate (plan);
  /* fill once, the trap never; 10 cases x 1 h x 40 EUR/h x 1.25 = 500 EUR a year */
  assert_close (moa_result_get_activity (result, "permit", "fill", NULL)->visits, 1, "visits",
                "permit/fill");
  assert_close (moa_result_get_activity (result, "permit", "trap", NULL)->visits, 0, "visits",
                "permit/trap");
  assert_close (result->total.recurring.cost, 500, "cost", "total");
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_rework_loop),      cmocka_unit_test (test_nested_xor),
    cmocka_unit_test (test_and_in_loop),      cmocka_unit_test (test_nested_loops),
    cmocka_unit_test (test_segment_override), cmocka_unit_test (test_cost_figures),
    cmocka_unit_test (test_cost_unmonetised), cmocka_unit_test (test_random_cross_check),
    cmocka_unit_test (test_param_keys),       cmocka_unit_test (test_xor_inside_and),
    cmocka_unit_test (test_office_addressee), cmocka_unit_test (test_growing_loop),
    cmocka_unit_test (test_unentered_loop),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
