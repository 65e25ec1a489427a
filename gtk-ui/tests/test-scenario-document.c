/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests without a display of the before / after state object (MoaScenarioDocument), of the
 * measure editor's XML, and of the core's scenario writer (round trip). */
#include "moa-config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "moa-scenario-document.h"

static MoaModelSet *models;
static char *procedures_dir;

static char *
procedure_path (const char *name)
{
  return g_build_filename (procedures_dir, name, NULL);
}

/* Runs the main loop until @doc has no comparison running (at most 60 s). */
static void
wait_idle (MoaScenarioDocument *doc)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (moa_scenario_document_get_computing (doc) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (moa_scenario_document_get_computing (doc));
}

/* The figures of entity @kind in @comparison's totals. */
static const MoaEntitySaving *
entity (const MoaComparison *comparison, MoaEntityKind kind)
{
  GArray *entities = moa_comparison_get_entities (comparison);

  for (guint i = 0; i < entities->len; i++)
    {
      const MoaEntitySaving *e = &g_array_index (entities, MoaEntitySaving, i);
      if (e->kind == kind)
        return e;
    }
  g_assert_not_reached ();
  return NULL;
}

static const char *const no_travel_cost
    = "<measure id=\"viaggio-gratis\" type=\"set-parameter\">\n"
      "  <title lang=\"en\">Free travel</title>\n"
      "  <justification>Test.</justification>\n"
      "  <source>illustrative</source>\n"
      "  <set element=\"dichiarazione-residenza/viaggio\" attribute=\"out-of-pocket\" "
      "value=\"0 EUR\"/>\n"
      "</measure>\n";

/* A new scenario on the change of residence; a set-parameter measure that takes the travel's
 * 2.00 EUR away. By hand: the counter branch is taken with probability 1 - 0.35 - 0.2 = 0.45,
 * the travel is outside the loop, 300 000 cases a year: 2.00 x 0.45 x 300 000 = 270 000 EUR a
 * year of citizens' out-of-pocket cost saved (no business-as-usual share). Then the figures
 * must equal moa_compare() of the same scenario read from a file, and undo restores. */
static void
test_add_measure_and_undo (void)
{
  g_autofree char *procedure = procedure_path ("cambio-residenza.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenarioDocument) doc
      = moa_scenario_document_new (procedure, "prova", "Prova", models, &error);

  g_assert_no_error (error);
  moa_scenario_document_set_iterations (doc, 0);
  wait_idle (doc);
  g_assert_nonnull (moa_scenario_document_get_comparison (doc));
  double before
      = entity (moa_scenario_document_get_comparison (doc), MOA_ENTITY_TOTAL)->before.burden;
  g_assert_cmpfloat (entity (moa_scenario_document_get_comparison (doc), MOA_ENTITY_TOTAL)->saving,
                     ==, 0.0);
  g_assert_false (moa_scenario_document_get_can_undo (doc));

  g_assert_true (moa_scenario_document_insert_measure (doc, -1, no_travel_cost, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (moa_scenario_document_get_n_measures (doc), ==, 1);
  g_assert_true (moa_scenario_document_get_can_undo (doc));
  wait_idle (doc);
  const MoaComparison *c = moa_scenario_document_get_comparison (doc);
  g_assert_nonnull (c);
  const MoaEntitySaving *citizens = entity (c, MOA_ENTITY_CITIZENS);
  g_assert_cmpfloat_with_epsilon (citizens->before.out_of_pocket - citizens->after.out_of_pocket,
                                  270000.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (citizens->saving, 270000.0, 1e-6);
  GArray *measures = moa_comparison_get_measures (c);
  g_assert_cmpuint (measures->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (measures, MoaMeasureSaving, 0).cumulative,
                                  270000.0, 1e-6);

  /* The same scenario written to a file and compared by the core directly. */
  g_autofree char *dir = g_dir_make_tmp ("moa-scenario-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *saved = g_build_filename (dir, "prova.xml", NULL);
  g_assert_true (moa_scenario_document_save (doc, saved, &error));
  g_assert_no_error (error);
  g_assert_false (moa_scenario_document_get_dirty (doc));
  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (saved, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (MoaProcedure) base = moa_scenario_apply_parents (scenario, &error);
  g_autoptr (MoaProcedure) after = moa_scenario_apply (scenario, G_MAXUINT, -1, &error);
  g_assert_no_error (error);
  MoaCompareOptions options;
  moa_compare_options_init (&options);
  g_autoptr (MoaComparison) direct = moa_compare (
      base, after, scenario, NULL,
      moa_model_set_lookup (models, moa_scenario_get_baseline (scenario)->cost_model), &options,
      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (MoaEntityKind kind = MOA_ENTITY_TOTAL; kind <= MOA_ENTITY_BUSINESSES; kind++)
    {
      const MoaEntitySaving *a = entity (c, kind), *b = entity (direct, kind);
      for (guint f = 0; f < MOA_FIGURES_N_FIELDS; f++)
        {
          g_assert_cmpfloat (MOA_FIGURES_ARRAY (&a->before)[f], ==,
                             MOA_FIGURES_ARRAY (&b->before)[f]);
          g_assert_cmpfloat (MOA_FIGURES_ARRAY (&a->after)[f], ==,
                             MOA_FIGURES_ARRAY (&b->after)[f]);
        }
    }

  /* Undo: no measure, after = before again. */
  g_assert_true (moa_scenario_document_undo (doc));
  g_assert_true (moa_scenario_document_get_dirty (doc));
  g_assert_cmpuint (moa_scenario_document_get_n_measures (doc), ==, 0);
  g_assert_null (moa_scenario_document_get_scenario (doc));
  g_assert_true (moa_scenario_document_get_can_redo (doc));
  wait_idle (doc);
  c = moa_scenario_document_get_comparison (doc);
  g_assert_cmpfloat (entity (c, MOA_ENTITY_TOTAL)->after.burden, ==, before);
  g_assert_true (moa_scenario_document_redo (doc));
  g_assert_false (moa_scenario_document_get_dirty (doc));
  g_assert_cmpuint (moa_scenario_document_get_n_measures (doc), ==, 1);

  g_unlink (saved);
  g_rmdir (dir);
}

/* A measure naming an activity the procedure lacks is refused with the core's message, and
 * nothing changes. */
static void
test_invalid_measure (void)
{
  g_autofree char *procedure = procedure_path ("cambio-residenza.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenarioDocument) doc
      = moa_scenario_document_new (procedure, "prova", "Prova", models, &error);
  g_assert_no_error (error);
  moa_scenario_document_set_iterations (doc, 0);

  g_autoptr (MoaMeasureSpec) spec = moa_measure_spec_new (MOA_MEASURE_REMOVE);
  spec->id = g_strdup ("togli");
  spec->title_en = g_strdup ("Remove");
  spec->justification = g_strdup ("Test.");
  spec->source = g_strdup ("illustrative");
  g_hash_table_insert (spec->attributes, g_strdup ("elements"),
                       g_strdup ("dichiarazione-residenza/teletrasporto"));
  g_autofree char *xml = moa_measure_spec_to_xml (spec);
  g_assert_false (moa_scenario_document_insert_measure (doc, -1, xml, &error));
  g_assert_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID);
  g_assert_nonnull (strstr (error->message, "measure \"togli\""));
  g_assert_nonnull (strstr (error->message, "dichiarazione-residenza/teletrasporto"));
  g_assert_nonnull (strstr (error->message, "prova.xml"));
  g_assert_cmpuint (moa_scenario_document_get_n_measures (doc), ==, 0);
  g_assert_false (moa_scenario_document_get_can_undo (doc));
  g_clear_error (&error);

  /* A measure without a justification: the core's reading message. */
  g_clear_pointer (&spec->justification, g_free);
  g_hash_table_insert (spec->attributes, g_strdup ("elements"),
                       g_strdup ("dichiarazione-residenza/viaggio"));
  g_autofree char *xml2 = moa_measure_spec_to_xml (spec);
  g_assert_false (moa_scenario_document_insert_measure (doc, -1, xml2, &error));
  g_assert_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ELEMENT);
  g_assert_nonnull (strstr (error->message, "justification"));
  wait_idle (doc);
}

/* A bundled scenario: its measures are listed, reordering and removing go through the history,
 * and a measure's XML reads back into the editor's fields and out again unchanged. */
static void
test_bundled_scenario (void)
{
  g_autofree char *path
      = g_build_filename (procedures_dir, "scenarios", "residenza-anpr-online.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenarioDocument) doc = moa_scenario_document_new_for_file (path, models, &error);
  g_assert_no_error (error);
  moa_scenario_document_set_iterations (doc, 0);
  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (path, NULL, &error);
  g_assert_no_error (error);
  guint n = moa_scenario_get_measures (scenario)->len;
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (moa_scenario_document_get_n_measures (doc), ==, n);
  g_assert_false (moa_scenario_document_get_dirty (doc));
  g_assert_cmpstr (moa_scenario_document_get_measure (doc, 0)->id, ==, "canale-anpr");

  g_autoptr (MoaMeasureSpec) spec
      = moa_measure_spec_parse (moa_scenario_document_get_measure_xml (doc, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (spec->type, ==, MOA_MEASURE_SET_PARAMETER);
  g_assert_cmpuint (spec->sets->len, ==, 2);
  g_autofree char *again = moa_measure_spec_to_xml (spec);
  g_assert_true (moa_scenario_document_replace_measure (doc, 0, again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (moa_scenario_document_get_measure (doc, 0)->id, ==, "canale-anpr");

  g_assert_true (moa_scenario_document_move_measure (doc, 0, n - 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (moa_scenario_document_get_measure (doc, n - 1)->id, ==, "canale-anpr");
  g_assert_true (moa_scenario_document_remove_measure (doc, n - 1, &error));
  g_assert_cmpuint (moa_scenario_document_get_n_measures (doc), ==, n - 1);
  g_assert_true (moa_scenario_document_undo (doc));
  g_assert_true (moa_scenario_document_undo (doc));
  g_assert_cmpstr (moa_scenario_document_get_measure (doc, 0)->id, ==, "canale-anpr");
  wait_idle (doc);
  const MoaComparison *c = moa_scenario_document_get_comparison (doc);
  g_assert_nonnull (c);
  g_assert_cmpuint (moa_comparison_get_measures (c)->len, ==, n);

  /* Add-activity measures are not edited field by field. */
  g_autofree char *cila
      = g_build_filename (procedures_dir, "scenarios", "cila-archivio-digitale.xml", NULL);
  g_autoptr (MoaScenario) with_activity = moa_scenario_load_file (cila, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *add = moa_scenario_measure_to_xml (with_activity, 1);
  g_autoptr (MoaMeasureSpec) refused = moa_measure_spec_parse (add, &error);
  g_assert_null (refused);
  g_assert_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_UNKNOWN_ELEMENT);
}

/* The paired Monte Carlo comparison runs after the exact one and gives the saving's
 * interval; its point is the exact saving. */
static void
test_interval (void)
{
  g_autofree char *path
      = g_build_filename (procedures_dir, "scenarios", "residenza-anpr-online.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenarioDocument) doc = moa_scenario_document_new_for_file (path, models, &error);
  g_assert_no_error (error);
  moa_scenario_document_set_iterations (doc, 200);
  wait_idle (doc);
  const MoaComparison *exact = moa_scenario_document_get_comparison (doc);
  const MoaComparison *mc = moa_scenario_document_get_interval_comparison (doc);
  g_assert_nonnull (exact);
  g_assert_nonnull (mc);
  g_assert_cmpuint (moa_comparison_get_iterations (mc), ==, 200);
  const MoaStat *stat = moa_comparison_get_saving_stat (mc);
  g_assert_nonnull (stat);
  g_assert_cmpfloat (entity (mc, MOA_ENTITY_TOTAL)->saving, ==,
                     entity (exact, MOA_ENTITY_TOTAL)->saving);
}

/* The core's writer: every bundled scenario written and read back gives the same text and,
 * applied, the same procedure; saved in another folder its baseline still resolves. */
static void
test_writer_round_trip (void)
{
  g_autofree char *dir = g_build_filename (procedures_dir, "scenarios", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("moa-writer-XXXXXX", &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_suffix (name, ".xml"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (MoaScenario) s = moa_scenario_load_file (path, NULL, &error);
      g_assert_no_error (error);
      g_autofree char *text = moa_scenario_to_xml (s);
      g_autoptr (MoaScenario) back
          = moa_scenario_load_data (text, strlen (text), path, NULL, &error);
      g_assert_no_error (error);
      g_autofree char *text2 = moa_scenario_to_xml (back);
      g_assert_cmpstr (text, ==, text2);
      g_assert_cmpuint (moa_scenario_get_measures (back)->len, ==,
                        moa_scenario_get_measures (s)->len);

      g_autofree char *saved = g_build_filename (tmp, name, NULL);
      g_assert_true (moa_scenario_save (s, saved, &error));
      g_assert_no_error (error);
      g_autoptr (MoaScenario) reread = moa_scenario_load_file (saved, NULL, &error);
      g_assert_no_error (error);
      g_autoptr (MoaProcedure) a = moa_scenario_apply (s, G_MAXUINT, -1, &error);
      g_autoptr (MoaProcedure) b = moa_scenario_apply (reread, G_MAXUINT, -1, &error);
      g_assert_no_error (error);
      g_assert_true (moa_procedure_equal (a, b));
      g_assert_cmpstr (moa_scenario_get_id (reread), ==, moa_scenario_get_id (s));
      g_unlink (saved);
      n++;
    }
  g_assert_cmpuint (n, >=, 10);
  g_rmdir (tmp);
}

/* The bundled scenarios offered for a procedure are those whose baseline is that file. */
static void
test_list_for_procedure (void)
{
  g_autofree char *dir = g_build_filename (procedures_dir, "scenarios", NULL);
  g_autofree char *procedure = procedure_path ("cambio-residenza.xml");
  g_autoptr (GPtrArray) choices = moa_scenario_list_for_procedure (dir, procedure);

  g_assert_cmpuint (choices->len, ==, 1);
  g_assert_true (g_str_has_suffix (((MoaScenarioChoice *)choices->pdata[0])->file,
                                   "residenza-anpr-online.xml"));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *models_dir = moa_default_models_dir ();

  g_test_init (&argc, &argv, NULL);
  models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    g_error ("%s", error->message);
  procedures_dir = g_strdup (g_getenv ("MOA_PROCEDURES_DIR"));
  g_assert_nonnull (procedures_dir);

  g_test_add_func ("/scenario-document/add-measure-undo", test_add_measure_and_undo);
  g_test_add_func ("/scenario-document/invalid-measure", test_invalid_measure);
  g_test_add_func ("/scenario-document/bundled", test_bundled_scenario);
  g_test_add_func ("/scenario-document/interval", test_interval);
  g_test_add_func ("/scenario-document/list", test_list_for_procedure);
  g_test_add_func ("/scenario/writer-round-trip", test_writer_round_trip);
  int status = g_test_run ();
  moa_model_set_free (models);
  g_free (procedures_dir);
  return status;
}
