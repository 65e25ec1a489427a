/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the app's state objects without a display: a document edited through its undo
 * stack shows what the core computes for the edited procedure; undo restores the original
 * exactly; invalid edits are refused with the core's message and change nothing. */
#include "moa-config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "moa.h"
#include "moa-scenario.h" /* moa_procedure_copy() */

#include "moa-document.h"
#include "moa-library.h"
#include "moa-selection.h"

static MoaModelSet *models;

/* certificato-anagrafico.xml: the citizen travels to the office ("viaggio", 30 min) only on
 * the counter channel, chosen with probability 1 - 0.3 (the "canale" gateway sends 0.3 to
 * ANPR online), and every counter case travels exactly once. */
#define CERTIFICATO "certificato-anagrafico.xml"

static char *
bundled_path (const char *name)
{
  return g_build_filename (MOA_SOURCE_DIR, "procedures", name, NULL);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for the evaluation");
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until the document's evaluation has finished. */
static void
wait_for_result (MoaDocument *document)
{
  guint timeout = g_timeout_add_seconds (30, timeout_cb, NULL);
  while (moa_document_get_computing (document))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_assert_null (moa_document_get_result_error (document));
  g_assert_nonnull (moa_document_get_result (document));
}

/* Relative tolerance 1e-9 (style.md §15): the same exact arithmetic on equal inputs. */
static void
assert_close (double a, double b, const char *what)
{
  double scale = MAX (1.0, MAX (fabs (a), fabs (b)));
  if (fabs (a - b) > 1e-9 * scale)
    g_error ("%s: %.17g != %.17g", what, a, b);
}

static void
assert_figures (const MoaFigures *a, const MoaFigures *b, gboolean exact, const char *what)
{
  for (guint i = 0; i < MOA_FIGURES_N_FIELDS; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s.%s", what, moa_figures_field_names[i]);
      double x = MOA_FIGURES_ARRAY (a)[i], y = MOA_FIGURES_ARRAY (b)[i];
      if (exact)
        {
          if (x != y)
            g_error ("%s: %.17g != %.17g (must be identical)", label, x, y);
        }
      else
        assert_close (x, y, label);
    }
}

static void
assert_total (const MoaTotal *a, const MoaTotal *b, gboolean exact, const char *what)
{
  g_autofree char *c = g_strdup_printf ("%s.per_case", what);
  g_autofree char *r = g_strdup_printf ("%s.recurring", what);
  g_autofree char *o = g_strdup_printf ("%s.one_off", what);
  assert_figures (&a->per_case, &b->per_case, exact, c);
  assert_figures (&a->recurring, &b->recurring, exact, r);
  assert_figures (&a->one_off, &b->one_off, exact, o);
}

/* Every figure the app shows: the four totals, each target group, each activity row. */
static void
assert_results (const MoaResult *a, const MoaResult *b, gboolean exact)
{
  assert_total (&a->total, &b->total, exact, "total");
  assert_total (&a->citizens, &b->citizens, exact, "citizens");
  assert_total (&a->businesses, &b->businesses, exact, "businesses");
  assert_total (&a->administration, &b->administration, exact, "administration");
  g_assert_cmpuint (a->groups->len, ==, b->groups->len);
  for (guint i = 0; i < a->groups->len; i++)
    assert_total (&g_array_index (a->groups, MoaTotal, i), &g_array_index (b->groups, MoaTotal, i),
                  exact, g_array_index (a->groups, MoaTotal, i).id);
  g_assert_cmpuint (a->activities->len, ==, b->activities->len);
  g_assert_cmpuint (a->cases->len, ==, b->cases->len);
  for (guint i = 0; i < a->cases->len; i++)
    {
      const MoaCaseResult *x = &g_array_index (a->cases, MoaCaseResult, i);
      const MoaCaseResult *y = &g_array_index (b->cases, MoaCaseResult, i);
      assert_figures (&x->per_case, &y->per_case, exact, x->obligation->id);
      assert_figures (&x->per_year, &y->per_year, exact, x->obligation->id);
    }
  for (guint i = 0; i < a->activities->len; i++)
    {
      const MoaActivityResult *x = &g_array_index (a->activities, MoaActivityResult, i);
      const MoaActivityResult *y = &g_array_index (b->activities, MoaActivityResult, i);
      g_assert_cmpstr (x->node->id, ==, y->node->id);
      assert_figures (&x->per_year, &y->per_year, exact, x->node->id);
    }
}

/* The core's own evaluation of @procedure (the oracle). */
static MoaResult *
core_evaluate (MoaProcedure *procedure)
{
  g_autoptr (GError) error = NULL;
  MoaCostModel *model = moa_model_set_lookup (models, procedure->cost_model);
  g_assert_nonnull (model);
  MoaResult *result = moa_evaluate (procedure, model, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static MoaDocument *
open_bundled (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bundled_path (name);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  MoaDocument *document = moa_document_new_for_file (file, models, &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_true (moa_document_get_computing (document));
  wait_for_result (document);
  g_assert_false (moa_document_get_dirty (document));
  return document;
}

static void
set_activity_value (MoaProcedure *procedure, const char *obligation, const char *node,
                    MoaParam *(*param) (MoaNode *), const char *text, MoaDimension dim)
{
  MoaNode *n = moa_obligation_get_node (moa_procedure_get_obligation (procedure, obligation), node);
  g_assert_nonnull (n);
  MoaParam *p = param (n);
  g_clear_pointer (&p->value, moa_value_unref);
  p->value = text != NULL ? moa_value_parse (text, dim, NULL) : NULL;
  g_assert_true (text == NULL || p->value != NULL);
}

static MoaParam *
time_of (MoaNode *node)
{
  return &node->time;
}

static void
count_cb (gpointer data)
{
  (*(int *)data)++;
}

/* Load, edit a time through the undo stack, undo, redo. */
static void
test_edit_time (void)
{
  g_autoptr (MoaDocument) document = open_bundled (CERTIFICATO);
  MoaUndoStack *stack = moa_document_get_undo_stack (document);
  g_autoptr (GError) error = NULL;

  g_autofree char *path = bundled_path (CERTIFICATO);
  g_autoptr (MoaProcedure) original = moa_procedure_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (MoaResult) expected_before = core_evaluate (original);
  g_autoptr (MoaResult) before = moa_result_ref (moa_document_get_result (document));
  assert_results (before, expected_before, FALSE);

  int changed = 0;
  g_signal_connect_swapped (document, "changed", G_CALLBACK (count_cb), &changed);

  g_autoptr (MoaEdit) edit
      = moa_edit_new_activity_param (moa_document_get_procedure (document), "richiesta-certificato",
                                     "viaggio", MOA_EDIT_TIME, "10 min", &error);
  g_assert_no_error (error);
  g_assert_true (moa_undo_stack_execute (stack, edit, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 1);
  g_assert_true (moa_document_get_dirty (document));
  g_assert_true (moa_undo_stack_get_can_undo (stack));
  g_assert_false (moa_undo_stack_get_can_redo (stack));
  g_assert_nonnull (moa_undo_stack_get_undo_label (stack));
  wait_for_result (document);

  g_autoptr (MoaProcedure) edited = moa_procedure_copy (original);
  set_activity_value (edited, "richiesta-certificato", "viaggio", time_of, "10 min", MOA_DIM_TIME);
  g_assert_true (moa_procedure_equal (edited, moa_document_get_procedure (document)));
  g_autoptr (MoaResult) expected_after = core_evaluate (edited);
  MoaResult *after = moa_document_get_result (document);
  assert_results (after, expected_after, FALSE);

  /* By hand: 20 minutes less, on the 0.7 of cases that go to the counter: 0.7 x 1/3 h =
   * 0.2333... h less per case; at the it-moa citizens' rate of 15 EUR/h (no BAU share on
   * this activity), 3.50 EUR less per case; 1,000,000 cases a year. The per-case figures are
   * those of the one case row (obligation x segment) and of the procedure total. */
  g_assert_cmpuint (before->cases->len, ==, 1);
  g_assert_cmpuint (after->cases->len, ==, 1);
  const MoaCaseResult *case_before = &g_array_index (before->cases, MoaCaseResult, 0);
  const MoaCaseResult *case_after = &g_array_index (after->cases, MoaCaseResult, 0);
  g_assert_cmpstr (case_after->group->id, ==, "cittadini");
  assert_close (case_before->per_case.hours - case_after->per_case.hours, 0.7 / 3.0,
                "hours saved per case");
  assert_close (case_before->per_case.burden - case_after->per_case.burden, 3.5,
                "euros saved per case");
  assert_close (before->total.per_case.burden - after->total.per_case.burden, 3.5,
                "euros saved per case (procedure)");
  assert_close (before->citizens.recurring.hours - after->citizens.recurring.hours, 1e6 * 0.7 / 3.0,
                "hours saved per year");
  assert_close (before->citizens.recurring.burden - after->citizens.recurring.burden, 3.5e6,
                "euros saved per year");
  const MoaTotal *group_before = moa_result_get_group (before, "cittadini");
  const MoaTotal *group_after = moa_result_get_group (after, "cittadini");
  assert_close (group_before->recurring.hours - group_after->recurring.hours, 1e6 * 0.7 / 3.0,
                "group hours saved per year");

  /* Undo restores the original totals exactly, and the document is clean again. */
  g_assert_true (moa_undo_stack_undo (stack, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 2);
  g_assert_false (moa_document_get_dirty (document));
  g_assert_true (moa_undo_stack_get_can_redo (stack));
  wait_for_result (document);
  g_assert_true (moa_procedure_equal (original, moa_document_get_procedure (document)));
  assert_results (moa_document_get_result (document), before, TRUE);

  /* Redo gives the edited figures again. */
  g_assert_true (moa_undo_stack_redo (stack, &error));
  g_assert_no_error (error);
  wait_for_result (document);
  assert_results (moa_document_get_result (document), expected_after, FALSE);
  g_assert_false (moa_undo_stack_redo (stack, &error));
  g_assert_no_error (error);
}

/* An invalid value is refused with the message of moa_value_parse() and changes nothing. */
static void
test_invalid_value (void)
{
  g_autoptr (MoaDocument) document = open_bundled (CERTIFICATO);
  MoaUndoStack *stack = moa_document_get_undo_stack (document);
  g_autoptr (MoaProcedure) before = moa_procedure_copy (moa_document_get_procedure (document));
  MoaResult *result_before = moa_document_get_result (document);
  const struct
  {
    MoaEditField field;
    const char *text;
    MoaDimension dim;
  } cases[] = {
    { MOA_EDIT_TIME, "-5 min", MOA_DIM_TIME },                   /* NEGATIVE */
    { MOA_EDIT_TIME, "30 EUR", MOA_DIM_TIME },                   /* BAD_UNIT */
    { MOA_EDIT_TIME, "trenta min", MOA_DIM_TIME },               /* BAD_NUMBER */
    { MOA_EDIT_TIME, "triangular(30, 5, 1) min", MOA_DIM_TIME }, /* BAD_DISTRIBUTION */
    { MOA_EDIT_OUT_OF_POCKET, "2,00 EUR", MOA_DIM_MONEY },       /* decimal comma */
    { MOA_EDIT_BAU, "150 %", MOA_DIM_FRACTION },                 /* OUT_OF_RANGE */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) core = NULL;
      g_autoptr (MoaValue) none = moa_value_parse (cases[i].text, cases[i].dim, &core);
      g_assert_null (none);
      g_assert_nonnull (core);

      g_autoptr (MoaEdit) edit = moa_edit_new_activity_param (
          moa_document_get_procedure (document), "richiesta-certificato", "viaggio", cases[i].field,
          cases[i].text, &error);
      g_assert_null (edit);
      g_assert_error (error, core->domain, core->code);
      g_autofree char *expected = g_strdup_printf (
          "activity \"viaggio\": %s: %s", moa_edit_field_to_string (cases[i].field), core->message);
      g_assert_cmpstr (error->message, ==, expected);
    }
  g_assert_true (moa_procedure_equal (before, moa_document_get_procedure (document)));
  g_assert_false (moa_undo_stack_get_can_undo (stack));
  g_assert_false (moa_document_get_dirty (document));
  g_assert_false (moa_document_get_computing (document));
  g_assert_true (moa_document_get_result (document) == result_before);
}

/* A value that parses but that the core refuses for the whole procedure (no time and no
 * standard activity) is refused with moa_plan_new()'s message and taken back. */
static void
test_refused_by_plan (void)
{
  g_autoptr (MoaDocument) document = open_bundled (CERTIFICATO);
  MoaUndoStack *stack = moa_document_get_undo_stack (document);
  g_autoptr (MoaProcedure) before = moa_procedure_copy (moa_document_get_procedure (document));
  g_autoptr (GError) error = NULL;

  /* The core's own verdict on the same change. */
  g_autoptr (MoaProcedure) edited = moa_procedure_copy (before);
  set_activity_value (edited, "richiesta-certificato", "viaggio", time_of, NULL, MOA_DIM_TIME);
  g_autoptr (GError) core = NULL;
  g_autoptr (MoaPlan) no_plan
      = moa_plan_new (edited, moa_document_get_model (document), NULL, &core);
  g_assert_null (no_plan);
  g_assert_error (core, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_MISSING_TIME);

  g_autoptr (MoaEdit) edit
      = moa_edit_new_activity_param (moa_document_get_procedure (document), "richiesta-certificato",
                                     "viaggio", MOA_EDIT_TIME, "  ", &error);
  g_assert_no_error (error);
  g_assert_false (moa_undo_stack_execute (stack, edit, &error));
  g_assert_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_MISSING_TIME);
  g_assert_cmpstr (error->message, ==, core->message);
  g_assert_true (moa_procedure_equal (before, moa_document_get_procedure (document)));
  g_assert_false (moa_undo_stack_get_can_undo (stack));
  g_assert_false (moa_document_get_dirty (document));
  g_assert_false (moa_document_get_computing (document));
}

/* Two XOR branches without a default: setting one keeps the other at 1 - p. */
static const char two_branches_xml[]
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<procedure format=\"1\" id=\"due-rami\" cost-model=\"it-moa\" price-year=\"2024\">\n"
      "  <title lang=\"en\">Two branches</title>\n"
      "  <area>altro</area>\n"
      "  <target-groups>\n"
      "    <target-group id=\"cittadini\" kind=\"citizen\" population=\"100\"/>\n"
      "  </target-groups>\n"
      "  <obligation id=\"domanda\" target-groups=\"cittadini\" "
      "type=\"information-third-parties\" origin=\"national\" frequency=\"1\">\n"
      "    <title lang=\"en\">Application</title>\n"
      "    <workflow>\n"
      "      <start id=\"inizio\" next=\"a\"/>\n"
      "      <activity id=\"a\" time=\"1 h\" next=\"x\"/>\n"
      "      <xor id=\"x\">\n"
      "        <branch to=\"b\" probability=\"0.2\"/>\n"
      "        <branch to=\"c\" probability=\"0.8\"/>\n"
      "      </xor>\n"
      "      <activity id=\"b\" time=\"2 h\" next=\"fine\"/>\n"
      "      <activity id=\"c\" time=\"30 min\" next=\"fine\"/>\n"
      "      <end id=\"fine\"/>\n"
      "    </workflow>\n"
      "  </obligation>\n"
      "</procedure>\n";

static void
test_branch_probability (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_data (
      two_branches_xml, sizeof two_branches_xml - 1, "due-rami.xml", NULL, &error);
  g_assert_no_error (error);
  g_autoptr (MoaDocument) document
      = moa_document_new_for_procedure (procedure, moa_model_set_lookup (models, "it-moa"), &error);
  g_assert_no_error (error);
  g_assert_null (moa_document_get_file (document));
  wait_for_result (document);

  /* By hand: 1 h + 0.2 x 2 h + 0.8 x 0.5 h = 1.8 h per case; 100 cases a year. */
  MoaResult *result = moa_document_get_result (document);
  g_assert_cmpuint (result->cases->len, ==, 1);
  assert_close (g_array_index (result->cases, MoaCaseResult, 0).per_case.hours, 1.8,
                "hours per case");
  assert_close (result->citizens.recurring.hours, 180, "hours per year");

  g_autoptr (MoaEdit) edit = moa_edit_new_branch_probability (moa_document_get_procedure (document),
                                                              "domanda", "x", "b", "40 %", &error);
  g_assert_no_error (error);
  g_assert_true (moa_undo_stack_execute (moa_document_get_undo_stack (document), edit, &error));
  g_assert_no_error (error);
  wait_for_result (document);

  /* By hand: 1 + 0.4 x 2 + 0.6 x 0.5 = 2.1 h per case, 210 h a year; at 15 EUR/h (it-moa,
   * citizens' time monetised) 31.50 EUR per case, 3,150 EUR a year. */
  result = moa_document_get_result (document);
  const MoaCaseResult *one = &g_array_index (result->cases, MoaCaseResult, 0);
  assert_close (one->per_case.hours, 2.1, "hours per case");
  assert_close (result->citizens.recurring.hours, 210, "hours per year");
  assert_close (one->per_case.burden, 31.5, "euros per case");
  assert_close (result->citizens.recurring.burden, 3150, "euros per year");
  MoaNode *x = moa_obligation_get_node (
      moa_procedure_get_obligation (moa_document_get_procedure (document), "domanda"), "x");
  MoaBranch *c = g_ptr_array_index (x->branches, 1);
  assert_close (c->probability.value->mean, 0.6, "complement");
  g_autofree char *written = moa_value_to_string (c->probability.value);
  g_assert_cmpstr (written, ==, "60 %");

  /* Out of range: refused by the parser. */
  g_clear_object (&edit);
  edit = moa_edit_new_branch_probability (moa_document_get_procedure (document), "domanda", "x",
                                          "b", "1.5", &error);
  g_assert_null (edit);
  g_assert_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_OUT_OF_RANGE);
}

/* Edits made faster than the evaluations: only the newest result is kept. */
static void
test_superseded (void)
{
  g_autoptr (MoaDocument) document = open_bundled (CERTIFICATO);
  MoaUndoStack *stack = moa_document_get_undo_stack (document);
  int results = 0;
  g_signal_connect_swapped (document, "results-changed", G_CALLBACK (count_cb), &results);

  const char *times[] = { "5 min", "15 min", "45 min", "1 h" };
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaEdit) edit = moa_edit_new_activity_param (moa_document_get_procedure (document),
                                                              "richiesta-certificato", "viaggio",
                                                              MOA_EDIT_TIME, times[i], &error);
      g_assert_no_error (error);
      g_assert_true (moa_undo_stack_execute (stack, edit, &error));
    }
  wait_for_result (document);
  g_assert_cmpint (results, ==, 1);

  g_autoptr (MoaProcedure) expected = moa_procedure_copy (moa_document_get_procedure (document));
  MoaNode *viaggio = moa_obligation_get_node (
      moa_procedure_get_obligation (expected, "richiesta-certificato"), "viaggio");
  assert_close (viaggio->time.value->mean, 1.0, "last time");
  g_autoptr (MoaResult) oracle = core_evaluate (expected);
  assert_results (moa_document_get_result (document), oracle, FALSE);
}

/* Save writes through the core's writer; the saved file loads back equal, and the document
 * is clean and named after it. */
static void
test_save (void)
{
  g_autoptr (MoaDocument) document = open_bundled (CERTIFICATO);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaEdit) edit
      = moa_edit_new_activity_param (moa_document_get_procedure (document), "richiesta-certificato",
                                     "acquisto-marca", MOA_EDIT_OUT_OF_POCKET, "16.50 EUR", &error);
  g_assert_no_error (error);
  g_assert_true (moa_undo_stack_execute (moa_document_get_undo_stack (document), edit, &error));
  g_assert_true (moa_document_get_dirty (document));

  g_autofree char *dir = g_dir_make_tmp ("moa-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "saved.xml", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_assert_true (moa_document_save (document, file, &error));
  g_assert_no_error (error);
  g_assert_false (moa_document_get_dirty (document));
  g_assert_true (g_file_equal (moa_document_get_file (document), file));

  g_autoptr (MoaProcedure) saved = moa_procedure_load_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (moa_procedure_equal (saved, moa_document_get_procedure (document)));

  /* Undo after saving makes it dirty again, redo clean. */
  g_assert_true (moa_undo_stack_undo (moa_document_get_undo_stack (document), &error));
  g_assert_true (moa_document_get_dirty (document));
  g_assert_true (moa_undo_stack_redo (moa_document_get_undo_stack (document), &error));
  g_assert_false (moa_document_get_dirty (document));
  wait_for_result (document);

  g_unlink (path);
  g_rmdir (dir);
}

/* A file that does not load is refused with the loader's message (file and line). */
static void
test_open_invalid (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("moa-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "rotto.xml", NULL);
  g_assert_true (g_file_set_contents (path, "<procedure format=\"1\">", -1, &error));
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (MoaDocument) document = moa_document_new_for_file (file, models, &error);
  g_assert_null (document);
  g_assert_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MALFORMED);
  g_assert_true (strstr (error->message, "rotto.xml") != NULL);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_selection (void)
{
  g_autoptr (MoaSelection) selection = moa_selection_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = bundled_path (CERTIFICATO);
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
  int changed = 0;
  g_signal_connect_swapped (selection, "changed", G_CALLBACK (count_cb), &changed);

  moa_selection_select (selection, "richiesta-certificato", "viaggio");
  moa_selection_select (selection, "richiesta-certificato", "viaggio");
  g_assert_cmpint (changed, ==, 1);
  g_assert_cmpstr (moa_selection_get_node (selection, procedure)->id, ==, "viaggio");
  moa_selection_validate (selection, procedure);
  g_assert_cmpint (changed, ==, 1);

  moa_selection_select (selection, "richiesta-certificato", "non-esiste");
  g_assert_null (moa_selection_get_node (selection, procedure));
  moa_selection_validate (selection, procedure);
  g_assert_cmpstr (moa_selection_get_obligation_id (selection), ==, "richiesta-certificato");
  g_assert_null (moa_selection_get_node_id (selection));
  moa_selection_select (selection, "altro", "x");
  moa_selection_validate (selection, procedure);
  g_assert_null (moa_selection_get_obligation_id (selection));
  g_assert_cmpint (changed, ==, 5);
}

/* The sidebar lists every bundled procedure, recent files first; the search folds accents. */
static void
test_library (void)
{
  g_autofree char *dir = moa_library_default_dir ();
  g_autofree char *path = bundled_path (CERTIFICATO);
  const char *recent[] = { path, "/nonexistent/x.xml", NULL };
  g_autoptr (GListModel) list = moa_library_list (dir, recent);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n_xml = 0;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    n_xml += g_str_has_suffix (name, ".xml");

  g_assert_cmpuint (g_list_model_get_n_items (list), ==, n_xml + 1);
  g_autoptr (MoaLibraryItem) first = g_list_model_get_item (list, 0);
  g_assert_true (moa_library_item_get_recent (first));
  g_autoptr (MoaLibraryItem) second = g_list_model_get_item (list, 1);
  g_assert_false (moa_library_item_get_recent (second));
  g_assert_true (moa_library_item_matches (first, "CERTIFICATO anagrafe"));
  g_assert_true (moa_library_item_matches (first, ""));
  g_assert_false (moa_library_item_matches (first, "edilizia"));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  models = moa_model_set_new ();
  g_autofree char *models_dir = moa_default_models_dir ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    g_error ("%s", error->message);

  g_test_add_func ("/document/edit-time", test_edit_time);
  g_test_add_func ("/document/invalid-value", test_invalid_value);
  g_test_add_func ("/document/refused-by-plan", test_refused_by_plan);
  g_test_add_func ("/document/branch-probability", test_branch_probability);
  g_test_add_func ("/document/superseded", test_superseded);
  g_test_add_func ("/document/save", test_save);
  g_test_add_func ("/document/open-invalid", test_open_invalid);
  g_test_add_func ("/selection/validate", test_selection);
  g_test_add_func ("/library/list", test_library);
  int status = g_test_run ();
  moa_model_set_free (models);
  return status;
}
