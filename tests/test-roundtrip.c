/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Procedure files: load, write back and load again (round trip), and the reader's errors. */

#include "moa-config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "moa.h"

/* Relative tolerance for values read from text (exact decimal fractions). */
#define EPS 1e-12

static char *
data_path (const char *name)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  if (srcdir == NULL)
    srcdir = MOA_SOURCE_DIR "/tests";
  return g_build_filename (srcdir, "test-roundtrip", name, NULL);
}

static MoaProcedure *
load_full (void)
{
  g_autofree char *path = data_path ("full.xml");
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  MoaProcedure *procedure;

  procedure = moa_procedure_load_file (path, problems, &error);
  for (guint i = 0; i < problems->len; i++)
    print_message ("# %s\n", ((MoaProblem *)g_ptr_array_index (problems, i))->message);
  assert_null (error);
  assert_int_equal (problems->len, 0);
  assert_non_null (procedure);
  return procedure;
}

static void
assert_fixed (const MoaValue *value, double x, const char *unit)
{
  assert_non_null (value);
  assert_int_equal (value->kind, MOA_DIST_FIXED);
  assert_true (fabs (value->p[0] - x) <= EPS * fabs (x));
  assert_string_equal (value->unit != NULL ? value->unit : "", unit != NULL ? unit : "");
}

/* What full.xml says, read from the file by hand. */
static void
test_full_model (void **state)
{
  g_autoptr (MoaProcedure) p = load_full ();
  MoaTargetGroup *famiglie, *comuni;
  MoaSegment *segment;
  MoaObligation *domanda, *adesione;
  MoaNode *node;
  MoaBranch *branch;

  assert_string_equal (p->id, "nidi-gratis");
  assert_int_equal (p->format, 1);
  assert_int_equal (p->price_year, 2024);
  assert_string_equal (p->currency, "EUR");
  assert_string_equal (p->cost_model, "it-moa");
  assert_string_equal (p->area, "sociale");
  assert_string_equal (moa_title_get (&p->title, "en", NULL),
                       "\"Free nurseries\" measure: application to waive the nursery fee");
  /* Text is trimmed, entities decoded. */
  assert_true (g_str_has_prefix (p->note, "Requisiti: ISEE"));
  assert_non_null (strstr (p->note, "<= 20.000 € & retta del nido > 0."));
  assert_true (g_str_has_suffix (p->note, "SPID o CIE."));

  assert_int_equal (p->target_groups->len, 2);
  famiglie = moa_procedure_get_target_group (p, "famiglie");
  assert_non_null (famiglie);
  assert_int_equal (famiglie->kind, MOA_TARGET_CITIZEN);
  assert_int_equal (famiglie->segments->len, 2);
  segment = moa_procedure_get_segment (p, "isee-basso");
  assert_non_null (segment);
  assert_false (segment->implicit);
  assert_int_equal (segment->population->kind, MOA_DIST_UNIFORM);
  assert_ptr_equal (moa_procedure_get_segment_group (p, "isee-medio"), famiglie);
  assert_null (moa_procedure_get_segment (p, "famiglie"));
  /* isee-medio has only an English title: Italian falls back to it. */
  assert_string_equal (
      moa_title_get (&moa_procedure_get_segment (p, "isee-medio")->title, "it", "x"),
      "ISEE from EUR 10,000 to 20,000");

  /* population on the group: one implicit segment named like the group. */
  comuni = moa_procedure_get_target_group (p, "comuni");
  assert_int_equal (comuni->kind, MOA_TARGET_ADMINISTRATION);
  assert_int_equal (comuni->segments->len, 1);
  segment = g_ptr_array_index (comuni->segments, 0);
  assert_true (segment->implicit);
  assert_string_equal (segment->id, "comuni");
  assert_fixed (segment->population, 700, NULL);
  assert_ptr_equal (moa_procedure_get_segment (p, "comuni"), segment);
  assert_ptr_equal (moa_procedure_get_segment_group (p, "comuni"), comuni);

  assert_int_equal (p->obligations->len, 2);
  domanda = moa_procedure_get_obligation (p, "domanda-nidi-gratis");
  assert_non_null (domanda);
  assert_string_equal (domanda->type, "application-subsidy");
  assert_string_equal (domanda->origin, "regional");
  assert_false (domanda->one_off);
  assert_string_equal (domanda->target_groups[0], "famiglie");
  assert_null (domanda->target_groups[1]);
  assert_fixed (moa_param_get (&domanda->frequency, "isee-basso"), 1, NULL);
  assert_fixed (moa_param_get (&domanda->frequency, "isee-medio"), 0.8, NULL);
  assert_fixed (moa_param_get (&domanda->compliance, "isee-medio"), 95, "%");
  assert_int_equal (moa_param_get (&domanda->compliance, "isee-basso")->kind, MOA_DIST_PERT);
  assert_null (domanda->cases.value);
  assert_string_equal (domanda->start, "inizio");
  assert_int_equal (domanda->nodes->len, 11);

  node = moa_obligation_get_node (domanda, "informazione");
  assert_int_equal (node->kind, MOA_NODE_ACTIVITY);
  assert_string_equal (node->standard, "familiarisation");
  assert_int_equal (node->complexity, MOA_COMPLEXITY_SIMPLE);
  assert_null (node->time.value);
  assert_string_equal (node->next, "documenti");

  node = moa_obligation_get_node (domanda, "documenti");
  assert_int_equal (node->kind, MOA_NODE_AND_SPLIT);
  assert_int_equal (node->branches->len, 2);

  /* tariff: an id is a tariff profile, a rate is an explicit tariff. */
  node = moa_obligation_get_node (domanda, "dsu-isee");
  assert_string_equal (node->performer, "external");
  assert_string_equal (node->tariff_profile, "external-professional");
  assert_null (node->tariff.value);
  assert_int_equal (node->fee.value->kind, MOA_DIST_DISCRETE);
  assert_int_equal (node->fee.value->n_points, 2);
  node = moa_obligation_get_node (domanda, "compilazione");
  assert_null (node->tariff_profile);
  assert_fixed (moa_param_get (&node->tariff, "isee-medio"), 15, "EUR/h");
  assert_fixed (moa_param_get (&node->tariff, "isee-basso"), 12, "EUR/h");
  assert_int_equal (moa_param_get (&node->time, "isee-medio")->kind, MOA_DIST_NORMAL);
  assert_int_equal (moa_param_get (&node->time, "isee-basso")->kind, MOA_DIST_LOGNORMAL);
  assert_string_equal (node->tags[0], "form");
  assert_string_equal (node->tags[1], "submission");
  assert_null (node->tags[2]);

  node = moa_obligation_get_node (domanda, "raccolta");
  assert_int_equal (node->kind, MOA_NODE_AND_JOIN);
  assert_string_equal (node->next, "compilazione");

  node = moa_obligation_get_node (domanda, "esito");
  assert_int_equal (node->kind, MOA_NODE_XOR);
  assert_string_equal (node->title.it, "Domanda completa?");
  branch = g_ptr_array_index (node->branches, 0);
  assert_string_equal (branch->to, "integrazione");
  assert_false (branch->is_default);
  assert_fixed (moa_param_get (&branch->probability, "isee-medio"), 0.15, NULL);
  assert_fixed (moa_param_get (&branch->probability, "isee-basso"), 25, "%");
  branch = g_ptr_array_index (node->branches, 1);
  assert_true (branch->is_default);
  assert_null (branch->probability.value);

  /* The loop back to compilazione, and overrides spread over two <for>. */
  node = moa_obligation_get_node (domanda, "integrazione");
  assert_string_equal (node->next, "compilazione");
  assert_fixed (moa_param_get (&node->time, "isee-basso"), 45, "min");
  assert_fixed (moa_param_get (&node->time, "isee-medio"), 30, "min");
  assert_fixed (moa_param_get (&node->out_of_pocket, "isee-medio"), 1.5, "EUR");
  assert_fixed (moa_param_get (&node->out_of_pocket, "isee-basso"), 2.5, "EUR");
  assert_null (node->fee.value);
  assert_fixed (moa_param_get (&node->fee, "isee-medio"), 0, "EUR");
  assert_null (moa_param_get (&node->fee, "isee-basso"));

  adesione = moa_procedure_get_obligation (p, "adesione-comune");
  assert_true (adesione->one_off);
  assert_null (adesione->frequency.value);
  assert_fixed (adesione->cases.value, 700, NULL);
  /* Node ids are per obligation: both have "inizio" and "fine". */
  assert_non_null (moa_obligation_get_node (adesione, "fine"));
  assert_ptr_not_equal (moa_obligation_get_node (adesione, "fine"),
                        moa_obligation_get_node (domanda, "fine"));
}

/* load -> to_xml -> load gives an equal procedure; to_xml of that is the same text. */
static void
test_roundtrip (void **state)
{
  g_autoptr (MoaProcedure) first = load_full ();
  g_autoptr (MoaProcedure) second = NULL;
  g_autoptr (MoaProcedure) third = NULL;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *xml1 = NULL;
  g_autofree char *xml2 = NULL;

  xml1 = moa_procedure_to_xml (first);
  assert_true (g_str_has_prefix (xml1, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                       "<procedure format=\"1\" id=\"nidi-gratis\" "
                                       "cost-model=\"it-moa\" price-year=\"2024\""));
  /* An implicit segment is written back as population on its group. */
  assert_non_null (strstr (xml1, "\n    <target-group id=\"comuni\" kind=\"administration\" "
                                 "population=\"700\">\n"));
  /* Two <for> of one segment on the same element become one, attributes in the format's
   * order; segments in the order they first appear, attribute by attribute. */
  assert_non_null (strstr (xml1, "\n        <for segment=\"isee-basso\" time=\"45 min\"/>\n"
                                 "        <for segment=\"isee-medio\" fee=\"0 EUR\" "
                                 "out-of-pocket=\"1.5 EUR\"/>\n      </activity>\n"));

  second = moa_procedure_load_data (xml1, strlen (xml1), "written.xml", problems, &error);
  for (guint i = 0; i < problems->len; i++)
    print_message ("# %s\n", ((MoaProblem *)g_ptr_array_index (problems, i))->message);
  assert_null (error);
  assert_non_null (second);
  assert_null (second->file);
  assert_true (moa_procedure_equal (first, second));
  assert_true (moa_procedure_equal (second, first));

  xml2 = moa_procedure_to_xml (second);
  assert_string_equal (xml1, xml2);

  /* The comparison does see a change in a per-segment override. */
  third = moa_procedure_load_data (xml1, strlen (xml1), "written.xml", NULL, &error);
  assert_non_null (third);
  {
    MoaObligation *o = moa_procedure_get_obligation (third, "domanda-nidi-gratis");
    MoaNode *node = moa_obligation_get_node (o, "compilazione");
    MoaSegmentValue *sv = g_ptr_array_index (node->tariff.per_segment, 0);

    moa_value_unref (sv->value);
    sv->value = moa_value_parse ("13 EUR/h", MOA_DIM_RATE, NULL);
    assert_false (moa_procedure_equal (first, third));
    moa_value_unref (sv->value);
    sv->value = moa_value_parse ("12 EUR/h", MOA_DIM_RATE, NULL);
    assert_true (moa_procedure_equal (first, third));
    g_free (sv->segment);
    sv->segment = g_strdup ("isee-medio");
    assert_false (moa_procedure_equal (first, third));
  }
}

/* moa_procedure_save() writes a file that loads back equal. */
static void
test_save (void **state)
{
  g_autoptr (MoaProcedure) first = load_full ();
  g_autoptr (MoaProcedure) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("moa-roundtrip-XXXXXX", &error);
  g_autofree char *path = NULL;

  assert_non_null (dir);
  path = g_build_filename (dir, "nidi-gratis.xml", NULL);
  assert_true (moa_procedure_save (first, path, &error));
  assert_null (error);
  again = moa_procedure_load_file (path, NULL, &error);
  assert_null (error);
  assert_non_null (again);
  assert_string_equal (again->file, path);
  assert_true (moa_procedure_equal (first, again));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_enums (void **state)
{
  MoaTargetKind kind = MOA_TARGET_CITIZEN;
  MoaComplexity complexity = MOA_COMPLEXITY_NONE;
  MoaTitle title = { NULL, NULL };

  assert_true (moa_target_kind_from_string ("administration", &kind));
  assert_int_equal (kind, MOA_TARGET_ADMINISTRATION);
  assert_string_equal (moa_target_kind_to_string (MOA_TARGET_BUSINESS), "business");
  assert_false (moa_target_kind_from_string ("firm", &kind));
  assert_int_equal (kind, MOA_TARGET_ADMINISTRATION);
  assert_true (moa_complexity_from_string ("high", &complexity));
  assert_int_equal (complexity, MOA_COMPLEXITY_HIGH);
  assert_false (moa_complexity_from_string ("hard", &complexity));
  assert_null (moa_complexity_to_string (MOA_COMPLEXITY_NONE));
  assert_string_equal (moa_node_kind_to_string (MOA_NODE_AND_SPLIT), "and-split");
  assert_string_equal (moa_node_kind_to_string (MOA_NODE_XOR), "xor");

  assert_string_equal (moa_title_get (&title, "it", "fallback"), "fallback");
  title.en = (char *)"Application";
  assert_string_equal (moa_title_get (&title, "it", "fallback"), "Application");
  title.it = (char *)"Domanda";
  assert_string_equal (moa_title_get (&title, "it", NULL), "Domanda");
  assert_string_equal (moa_title_get (&title, "en", NULL), "Application");
}

/* ---------------------------------------------------------------------------------------- */
/* Reader errors: one file per error path, with the first problem expected. */

typedef struct
{
  const char *file;
  GQuark (*domain) (void);
  int code;
  int line;            /* 0: not checked (libxml2's) */
  const char *element; /* MoaProblem.element; NULL: not checked */
  const char *words;   /* must appear in the message; NULL: none */
} BadCase;

static const BadCase bad_cases[] = {
  { "unknown-attribute.xml", moa_parse_error_quark, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 12,
    "asseverazione", "unknown attribute \"tme\"" },
  { "frequency-and-cases.xml", moa_parse_error_quark, MOA_PARSE_ERROR_CONFLICT, 8,
    "presentazione-cila", "frequency and cases" },
  { "neither-frequency-nor-cases.xml", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 8,
    "presentazione-cila", "neither frequency nor cases" },
  { "format-2.xml", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ENUM, 2, "cila",
    "format 2 is not supported: this moa reads format 1" },
  { "unknown-segment.xml", moa_validation_error_quark, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT, 12,
    "for", "unknown segment \"condominii\" (expected one of: privati, condomini)" },
  { "unknown-target-group.xml", moa_validation_error_quark,
    MOA_VALIDATION_ERROR_UNKNOWN_TARGET_GROUP, 8, "presentazione-cila", "\"imprese\"" },
  { "duplicate-id.xml", moa_parse_error_quark, MOA_PARSE_ERROR_DUPLICATE_ID, 8,
    "presentazione-cila", NULL },
  { "duplicate-node.xml", moa_parse_error_quark, MOA_PARSE_ERROR_DUPLICATE_ID, 12, "asseverazione",
    NULL },
  { "population-and-segments.xml", moa_parse_error_quark, MOA_PARSE_ERROR_CONFLICT, 6,
    "proprietari", "population" },
  { "bad-enum.xml", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ENUM, 12, "asseverazione", "hard" },
  { "negative-time.xml", moa_parse_error_quark, MOA_PARSE_ERROR_NEGATIVE, 12, "asseverazione",
    "-2 h" },
  { "tariff-without-unit.xml", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_UNIT, 12, "asseverazione",
    "\"35\"" },
  { "bad-id.xml", moa_parse_error_quark, MOA_PARSE_ERROR_BAD_ID, 12, NULL,
    "asseverazione verifica" },
  { "unknown-element.xml", moa_parse_error_quark, MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 12, "x",
    "gateway" },
  { "missing-type.xml", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 8,
    "presentazione-cila", "type" },
  { "missing-workflow.xml", moa_parse_error_quark, MOA_PARSE_ERROR_MISSING_ELEMENT, 8,
    "presentazione-cila", "<workflow>" },
  { "wrong-root.xml", moa_parse_error_quark, MOA_PARSE_ERROR_WRONG_ROOT, 2, NULL, "cost-model" },
  { "malformed.xml", moa_parse_error_quark, MOA_PARSE_ERROR_MALFORMED, 0, NULL, NULL },
};

static void
test_bad_files (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autofree char *name = g_build_filename ("bad", c->file, NULL);
      g_autofree char *path = data_path (name);
      g_autofree char *where = g_strdup_printf ("%s:%d:", c->file, c->line);
      g_autoptr (GPtrArray) problems = moa_problems_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaProcedure) procedure = NULL;
      const MoaProblem *first;

      print_message ("# %s\n", c->file);
      procedure = moa_procedure_load_file (path, problems, &error);
      assert_null (procedure);
      assert_non_null (error);
      print_message ("#   %s\n", error->message);
      assert_int_equal (error->domain, c->domain ());
      assert_int_equal (error->code, c->code);
      /* The message names the file, the line and the element. */
      assert_non_null (strstr (error->message, c->file));
      if (c->line > 0)
        assert_non_null (strstr (error->message, where));
      if (c->words != NULL)
        assert_non_null (strstr (error->message, c->words));

      assert_true (problems->len >= 1);
      first = g_ptr_array_index (problems, 0);
      assert_string_equal (first->message, error->message);
      assert_int_equal (first->code, c->code);
      assert_non_null (strstr (first->file, c->file));
      if (c->line > 0)
        assert_int_equal (first->line, c->line);
      if (c->element != NULL)
        {
          g_autofree char *quoted = g_strdup_printf ("\"%s\"", c->element);

          assert_non_null (first->element);
          assert_string_equal (first->element, c->element);
          /* An element without an id is named after its nearest ancestor with one. */
          if (strcmp (c->element, "for") != 0)
            assert_non_null (strstr (error->message, quoted));
          else
            assert_non_null (strstr (error->message, "\"asseverazione\""));
        }
    }
}

/* Loading goes on after a problem: one run reports all three, in file order. */
static void
test_several_problems (void **state)
{
  g_autofree char *path = data_path ("bad/several-problems.xml");
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) procedure = NULL;
  const MoaProblem *p;

  /* A problem already in the array is not this load's first. */
  moa_problems_add (problems, MOA_ENGINE_ERROR, MOA_ENGINE_ERROR_FAILED, NULL, 0, NULL, "older");

  procedure = moa_procedure_load_file (path, problems, &error);
  assert_null (procedure);
  assert_int_equal (error->code, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE);
  assert_int_equal (problems->len, 4);

  p = g_ptr_array_index (problems, 1);
  assert_string_equal (p->message, error->message);
  assert_int_equal (p->code, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE);
  assert_int_equal (p->line, 12);
  assert_string_equal (p->element, "asseverazione");
  assert_non_null (strstr (p->message, "\"colour\""));
  p = g_ptr_array_index (problems, 2);
  assert_int_equal (p->code, MOA_PARSE_ERROR_BAD_UNIT);
  assert_int_equal (p->line, 13);
  assert_string_equal (p->element, "verifica");
  p = g_ptr_array_index (problems, 3);
  assert_int_equal (p->code, MOA_PARSE_ERROR_BAD_ENUM);
  assert_int_equal (p->line, 13);
  assert_non_null (strstr (p->message, "\"typing\""));
}

/* A <for> may name a tariff profile instead of a rate; it survives a round trip. */
static void
test_for_tariff_profile (void **state)
{
  g_autofree char *path = data_path ("for-tariff-profile.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) p = moa_procedure_load_file (path, NULL, &error);
  assert_null (error);
  assert_non_null (p);

  MoaObligation *o = moa_procedure_get_obligation (p, "presentazione-cila");
  MoaNode *node = moa_obligation_get_node (o, "asseverazione");
  MoaValue *rate = NULL;
  const char *profile = NULL;
  moa_node_get_tariff (node, "condomini", &rate, &profile);
  assert_null (rate);
  assert_string_equal (profile, "tecnico-senior");
  moa_node_get_tariff (node, "privati", &rate, &profile);
  assert_string_equal (profile, "external-professional");

  g_autofree char *xml = moa_procedure_to_xml (p);
  assert_non_null (strstr (xml, "<for segment=\"condomini\" tariff=\"tecnico-senior\"/>"));
  g_autoptr (MoaProcedure) again
      = moa_procedure_load_data (xml, strlen (xml), "again.xml", NULL, &error);
  assert_null (error);
  assert_true (moa_procedure_equal (p, again));
}

static void
test_missing_file (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) procedure = NULL;

  procedure = moa_procedure_load_file ("/nonexistent/moa/procedura.xml", NULL, &error);
  assert_null (procedure);
  assert_non_null (error);
  assert_int_equal (error->domain, MOA_PARSE_ERROR);
  assert_int_equal (error->code, MOA_PARSE_ERROR_IO);
  assert_non_null (strstr (error->message, "procedura.xml"));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_full_model),   cmocka_unit_test (test_roundtrip),
    cmocka_unit_test (test_save),         cmocka_unit_test (test_enums),
    cmocka_unit_test (test_bad_files),    cmocka_unit_test (test_several_problems),
    cmocka_unit_test (test_missing_file), cmocka_unit_test (test_for_tariff_profile),
  };

  cmocka_set_message_output (CM_OUTPUT_TAP);
  return cmocka_run_group_tests_name ("roundtrip", tests, NULL, NULL);
}
