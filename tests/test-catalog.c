/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalogs (docs/catalog-format.md): the bundled Lombardy example (every bundled procedure and
 * scenario, the programme scenarios, resolved paths, the input files), territory shares worked
 * out by hand, the CSV edge cases of RFC 4180, and a table of invalid catalogs and CSV files
 * with the error each must give (tests/test-catalog/invalid/, one file per error path). */

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

#include "moa-config.h"
#include "moa.h"
#include "moa-catalog.h"
#include "moa-scenario.h"
#include "moa-test-support.h"

/* Shares are one division: exact to rounding. */
#define REL_TOL 1e-12

static char *
data_path (const char *name)
{
  return g_build_filename (moa_test_srcdir (), "test-catalog", name, NULL);
}

#define assert_close(actual, expected, what)                                                       \
  moa_test_assert_close_impl ((actual), (expected), REL_TOL, (what), __FILE__, __LINE__)

static MoaCatalog *
load (const char *path)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  MoaCatalog *catalog = moa_catalog_load_file (path, problems, &error);

  if (catalog == NULL)
    fail_msg ("%s", error->message);
  if (problems->len != 0)
    fail_msg ("%s: %u problems, the first: %s", path, problems->len,
              ((MoaProblem *)g_ptr_array_index (problems, 0))->message);
  return catalog;
}

static MoaTerritory *
territory_of (const MoaCatalog *catalog, const char *id)
{
  GPtrArray *territories = moa_catalog_get_territories (catalog);

  for (guint i = 0; i < territories->len; i++)
    {
      MoaTerritory *t = g_ptr_array_index (territories, i);
      if (strcmp (t->id, id) == 0)
        return t;
    }
  fail_msg ("no territory \"%s\"", id);
  return NULL;
}

static MoaCatalogProcedure *
procedure_of (const MoaCatalog *catalog, const char *id)
{
  GPtrArray *procedures = moa_catalog_get_procedures (catalog);

  for (guint i = 0; i < procedures->len; i++)
    {
      MoaCatalogProcedure *p = g_ptr_array_index (procedures, i);
      if (strcmp (p->id, id) == 0)
        return p;
    }
  fail_msg ("no procedure \"%s\"", id);
  return NULL;
}

static double
cases_of (const MoaTerritory *t, const char *procedure)
{
  const double *cases = g_hash_table_lookup (t->cases, procedure);
  return cases != NULL ? *cases : NAN;
}

/* ---------------------------------------------------------------------------------------- */
/* The bundled example */

static void
test_example (void **state)
{
  g_autofree char *path
      = g_build_filename (MOA_SOURCE_DIR, "catalogs", "lombardia", "catalogo.xml", NULL);
  g_autofree char *procedures_dir = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  g_autofree char *scenarios_dir = g_build_filename (procedures_dir, "scenarios", NULL);
  g_autoptr (GPtrArray) bundled = moa_test_list_xml (procedures_dir);
  g_autoptr (GPtrArray) bundled_scenarios = moa_test_list_xml (scenarios_dir);
  g_autoptr (GPtrArray) listed = g_ptr_array_new ();
  g_autoptr (GPtrArray) listed_scenarios = g_ptr_array_new ();
  g_autoptr (MoaCatalog) catalog = load (path);
  GPtrArray *procedures = moa_catalog_get_procedures (catalog);
  GPtrArray *territories = moa_catalog_get_territories (catalog);
  GPtrArray *inputs = moa_catalog_get_input_files (catalog);
  guint n_scenarios = 0, provinces = 0, municipalities = 0;

  assert_string_equal (moa_catalog_get_file (catalog), path);
  assert_string_equal (moa_catalog_get_id (catalog), "lombardia-2024");
  assert_string_equal (moa_catalog_get_cost_model (catalog), "it-moa");
  assert_int_equal (moa_catalog_get_price_year (catalog), 2024);
  assert_string_equal (moa_catalog_get_currency (catalog), "EUR");
  assert_close (moa_catalog_get_population (catalog), 10000000.0, "population");
  assert_non_null (moa_catalog_get_title (catalog)->it);
  assert_non_null (moa_catalog_get_title (catalog)->en);
  assert_non_null (strstr (moa_catalog_get_source (catalog), "illustrative"));

  /* every bundled procedure and scenario, once */
  assert_int_equal (procedures->len, 11);
  for (guint i = 0; i < procedures->len; i++)
    {
      const MoaCatalogProcedure *p = g_ptr_array_index (procedures, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (p->file, NULL, &error);
      guint programmes = 0;

      if (procedure == NULL)
        fail_msg ("%s", error->message);
      /* the id is the one the file declares */
      assert_string_equal (procedure->id, p->id);
      g_ptr_array_add (listed, p->file);
      assert_true (p->scenarios->len >= 1);
      for (guint k = 0; k < p->scenarios->len; k++)
        {
          const MoaCatalogScenario *s = g_ptr_array_index (p->scenarios, k);
          g_autoptr (MoaScenario) scenario = moa_scenario_load_file (s->file, NULL, &error);

          if (scenario == NULL)
            fail_msg ("%s", error->message);
          /* attached to the procedure its baseline chain ends with */
          assert_string_equal (moa_scenario_get_baseline (scenario)->id, p->id);
          g_ptr_array_add (listed_scenarios, s->file);
          if (s->programme)
            {
              programmes++;
              /* with two scenarios, the programme's is the second phase built on the first */
              if (p->scenarios->len == 2)
                {
                  const MoaCatalogScenario *other = g_ptr_array_index (p->scenarios, 1 - k);
                  MoaScenario *parent = moa_scenario_get_parent (scenario);

                  assert_non_null (parent);
                  assert_string_equal (moa_scenario_get_file (parent), other->file);
                }
            }
        }
      assert_int_equal (programmes, 1);
      n_scenarios += p->scenarios->len;
    }
  assert_int_equal (n_scenarios, 13);
  g_ptr_array_sort (listed, moa_test_compare_strings);
  g_ptr_array_sort (listed_scenarios, moa_test_compare_strings);
  assert_int_equal (listed->len, bundled->len);
  for (guint i = 0; i < listed->len; i++)
    assert_string_equal (g_ptr_array_index (listed, i), g_ptr_array_index (bundled, i));
  assert_int_equal (listed_scenarios->len, bundled_scenarios->len);
  for (guint i = 0; i < listed_scenarios->len; i++)
    assert_string_equal (g_ptr_array_index (listed_scenarios, i),
                         g_ptr_array_index (bundled_scenarios, i));

  /* the programme of the two-phase procedures */
  {
    const MoaCatalogProcedure *aua = procedure_of (catalog, "aua");
    const MoaCatalogScenario *second = g_ptr_array_index (aua->scenarios, 1);

    assert_true (second->programme);
    assert_true (g_str_has_suffix (second->file, "/aua-autorizzazioni-generali.xml"));
    assert_false (((MoaCatalogScenario *)g_ptr_array_index (aua->scenarios, 0))->programme);
  }

  /* the region, 12 provinces, 12 capitals */
  assert_int_equal (territories->len, 25);
  for (guint i = 0; i < territories->len; i++)
    {
      const MoaTerritory *t = g_ptr_array_index (territories, i);

      assert_true (isfinite (t->population));
      assert_non_null (t->source);
      assert_non_null (strstr (t->source, "illustrative"));
      assert_true (g_file_test (t->file, G_FILE_TEST_IS_REGULAR));
      if (t->kind == MOA_TERRITORY_PROVINCE)
        {
          provinces++;
          assert_string_equal (t->parent, "03");
        }
      else if (t->kind == MOA_TERRITORY_MUNICIPALITY)
        {
          const MoaTerritory *parent = territory_of (catalog, t->parent);

          municipalities++;
          assert_int_equal (parent->kind, MOA_TERRITORY_PROVINCE);
          /* ISTAT municipality codes begin with their province's code */
          assert_true (g_str_has_prefix (t->id, t->parent));
        }
    }
  assert_int_equal (provinces, 12);
  assert_int_equal (municipalities, 12);
  assert_string_equal (((MoaTerritory *)g_ptr_array_index (territories, 0))->id, "03");
  assert_string_equal (((MoaTerritory *)g_ptr_array_index (territories, 1))->id, "012");
  assert_string_equal (territory_of (catalog, "108")->name, "Monza e della Brianza");

  /* Milano: population 1,366,000 of 10,000,000 → 0.1366 of aua; its own 60,000 residence
   * changes of the procedure's 300,000 → 0.2 */
  {
    const MoaTerritory *milano = territory_of (catalog, "015146");
    double cases = 0.0;

    assert_string_equal (milano->name, "Milano");
    assert_int_equal (milano->kind, MOA_TERRITORY_MUNICIPALITY);
    assert_close (milano->population, 1366000.0, "Milano's population");
    assert_close (cases_of (milano, "cambio-residenza"), 60000.0, "Milano's residence changes");
    assert_close (cases_of (milano, "occupazione-suolo-dehors"), 2400.0, "Milano's dehors");
    assert_close (moa_catalog_territory_share (catalog, milano, "aua", 40000.0, NULL), 0.1366,
                  "Milano's share of aua");
    assert_close (
        moa_catalog_territory_share (catalog, milano, "cambio-residenza", 300000.0, &cases), 0.2,
        "Milano's share of cambio-residenza");
    assert_close (cases, 60000.0, "Milano's cases of cambio-residenza");
    assert_int_equal (g_hash_table_size (territory_of (catalog, "016024")->cases), 1);
    assert_int_equal (g_hash_table_size (territory_of (catalog, "017029")->cases), 1);
    assert_int_equal (g_hash_table_size (territory_of (catalog, "012133")->cases), 0);
  }

  /* the input files: catalog, CSV files, procedures, scenarios, each once */
  assert_int_equal (inputs->len, 1 + 2 + 11 + 13);
  assert_string_equal (g_ptr_array_index (inputs, 0), path);
  assert_true (g_str_has_suffix (g_ptr_array_index (inputs, 1), "lombardia/province.csv"));
  assert_true (g_str_has_suffix (g_ptr_array_index (inputs, 2), "lombardia/comuni.csv"));
  assert_string_equal (g_ptr_array_index (inputs, 3),
                       ((MoaCatalogProcedure *)g_ptr_array_index (procedures, 0))->file);
  for (guint i = 0; i < inputs->len; i++)
    {
      const char *file = g_ptr_array_index (inputs, i);

      assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
      /* "catalogs/lombardia/../../procedures/x.xml" is shortened to "procedures/x.xml" */
      assert_null (strstr (file, "/../"));
      for (guint k = 0; k < i; k++)
        assert_string_not_equal (file, g_ptr_array_index (inputs, k));
      if (i >= 3 && i < 3 + 11)
        assert_true (g_str_has_suffix (file, ".xml") && strstr (file, "/scenarios/") == NULL);
      if (i >= 3 + 11)
        assert_non_null (strstr (file, "/procedures/scenarios/"));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Shares by hand (tests/test-catalog/shares.xml, cases-only.xml) */

static void
test_shares (void **state)
{
  g_autofree char *path = data_path ("shares.xml");
  g_autofree char *path2 = data_path ("cases-only.xml");
  g_autoptr (MoaCatalog) catalog = load (path);
  g_autoptr (MoaCatalog) cases_only = load (path2);
  const MoaTerritory *by_population = territory_of (catalog, "by-population");
  const MoaTerritory *by_cases = territory_of (catalog, "by-cases");
  const MoaTerritory *zero = territory_of (catalog, "zero");
  const MoaTerritory *t = territory_of (cases_only, "t");
  double cases = 0.0;

  /* 250,000 / 10,000,000 = 0.025 of any procedure; 0.025 × 8,000 = 200 cases */
  assert_close (moa_catalog_territory_share (catalog, by_population, "aua", 8000.0, &cases), 0.025,
                "share by population");
  assert_close (cases, 200.0, "cases by population");
  assert_close (moa_catalog_territory_share (catalog, by_population, "dote-scuola", 120000.0, NULL),
                0.025, "share by population of dote-scuola");
  assert_string_equal (by_population->source, "illustrative");
  assert_null (by_population->parent);

  /* 40 cases of a procedure of 8,000 → 40 / 8,000 = 0.005, whatever the population */
  assert_close (moa_catalog_territory_share (catalog, by_cases, "aua", 8000.0, &cases), 0.005,
                "share by cases");
  assert_close (cases, 40.0, "cases given");
  /* no cases for dote-scuola: 1,000,000 / 10,000,000 = 0.1; 0.1 × 120,000 = 12,000 */
  assert_close (moa_catalog_territory_share (catalog, by_cases, "dote-scuola", 120000.0, &cases),
                0.1, "share by population where cases are not given");
  assert_close (cases, 12000.0, "cases by population");
  /* cases given but the procedure has none: no share */
  assert_true (isnan (moa_catalog_territory_share (catalog, by_cases, "aua", 0.0, &cases)));
  assert_close (cases, 40.0, "cases given");
  /* 0 cases given: 0 whatever the procedure's cases */
  assert_close (moa_catalog_territory_share (catalog, zero, "aua", 0.0, &cases), 0.0, "no cases");
  assert_close (cases, 0.0, "no cases");
  assert_close (moa_catalog_territory_share (catalog, zero, "dote-scuola", 120000.0, NULL), 0.0,
                "no residents");

  /* a catalog without population: cases only; 12.5 / 50 = 0.25 */
  assert_true (isnan (moa_catalog_get_population (cases_only)));
  assert_string_equal (moa_catalog_get_currency (cases_only), "EUR");
  assert_null (moa_catalog_get_source (cases_only));
  assert_string_equal (moa_catalog_get_title (cases_only)->it, "Solo casi");
  assert_close (moa_catalog_territory_share (cases_only, t, "aua", 50.0, &cases), 0.25,
                "share by cases without population");
  assert_close (cases, 12.5, "cases given");
  /* a procedure outside the catalog and no population to scale by */
  assert_true (isnan (moa_catalog_territory_share (cases_only, t, "cila-edilizia", 10.0, &cases)));
  assert_true (isnan (cases));
  assert_int_equal (moa_catalog_get_input_files (cases_only)->len, 3);
}

/* ---------------------------------------------------------------------------------------- */
/* CSV edge cases (tests/test-catalog/quoting.csv) */

static void
test_quoting (void **state)
{
  g_autofree char *path = data_path ("quoting.xml");
  g_autofree char *csv = data_path ("quoting.csv");
  g_autoptr (MoaCatalog) catalog = load (path);
  GPtrArray *territories = moa_catalog_get_territories (catalog);
  const MoaTerritory *r, *p1, *m1, *o1;

  assert_int_equal (territories->len, 4);
  r = g_ptr_array_index (territories, 0);
  p1 = g_ptr_array_index (territories, 1);
  m1 = g_ptr_array_index (territories, 2);
  o1 = g_ptr_array_index (territories, 3);

  /* the header after a byte order mark, CR LF, quoted, padded and in another order */
  assert_string_equal (r->id, "R");
  assert_string_equal (r->name, "Regione \"di prova\"");
  assert_string_equal (r->source, "illustrative, by hand");
  assert_int_equal (r->kind, MOA_TERRITORY_REGION);
  assert_null (r->parent);
  assert_close (r->population, 10000000.0, "R's population");
  assert_int_equal (g_hash_table_size (r->cases), 0);
  assert_int_equal (r->line, 2);
  assert_string_equal (r->file, csv);

  /* after a blank line; a quoted line break inside the name; an empty population */
  assert_string_equal (p1->id, "P1");
  assert_string_equal (p1->name, "Provincia\nsu due righe");
  assert_string_equal (p1->source, "x");
  assert_int_equal (p1->kind, MOA_TERRITORY_PROVINCE);
  assert_string_equal (p1->parent, "R");
  assert_true (isnan (p1->population));
  assert_close (cases_of (p1, "aua"), 40.0, "P1's aua cases");
  assert_close (cases_of (p1, "dote-scuola"), 120.0, "P1's dote-scuola cases");
  assert_int_equal (p1->line, 4);

  /* the line count goes on after the line break inside quotes; a quoted comma; padding */
  assert_string_equal (m1->id, "M1");
  assert_string_equal (m1->name, "Comune, con virgola");
  assert_null (m1->source);
  assert_int_equal (m1->kind, MOA_TERRITORY_MUNICIPALITY);
  assert_string_equal (m1->parent, "P1");
  assert_close (m1->population, 250000.0, "M1's population");
  assert_close (cases_of (m1, "aua"), 8.0, "M1's aua cases");
  assert_true (isnan (cases_of (m1, "dote-scuola")));
  assert_int_equal (m1->line, 6);

  /* quoted empty fields; the last row has no line end */
  assert_string_equal (o1->id, "O1");
  assert_string_equal (o1->name, "Unione");
  assert_null (o1->source);
  assert_int_equal (o1->kind, MOA_TERRITORY_OTHER);
  assert_true (isnan (o1->population));
  assert_close (cases_of (o1, "aua"), 1.0, "O1's aua cases");
  assert_close (cases_of (o1, "dote-scuola"), 7.0, "O1's dote-scuola cases");
  assert_int_equal (o1->line, 7);
}

/* The words of the territory kinds, both ways. */
static void
test_kinds (void **state)
{
  static const char *const words[] = { "region", "province", "municipality", "other" };
  MoaTerritoryKind kind = MOA_TERRITORY_OTHER;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      assert_string_equal (moa_territory_kind_to_string ((MoaTerritoryKind)i), words[i]);
      assert_true (moa_territory_kind_from_string (words[i], &kind));
      assert_int_equal (kind, i);
    }
  assert_null (moa_territory_kind_to_string ((MoaTerritoryKind)4));
  kind = MOA_TERRITORY_REGION;
  assert_false (moa_territory_kind_from_string ("comune", &kind));
  assert_false (moa_territory_kind_from_string ("Province", &kind));
  assert_int_equal (kind, MOA_TERRITORY_REGION);
}

/* ---------------------------------------------------------------------------------------- */
/* Invalid catalogs and CSV files */

typedef struct
{
  const char *file;   /* in tests/test-catalog/invalid/ */
  int code;           /* MOA_PARSE_ERROR_* */
  int line;           /* 0: the problem has no line (the whole file) */
  const char *where;  /* the file the problem is in, when not @file (relative to invalid/) */
  const char *detail; /* text the message must contain */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "malformed.xml", MOA_PARSE_ERROR_MALFORMED, 4, NULL, "titel" },
  { "doctype.xml", MOA_PARSE_ERROR_ENTITY, 2, NULL, "DOCTYPE" },
  { "wrong-root.xml", MOA_PARSE_ERROR_WRONG_ROOT, 3, NULL, "<catalog>" },
  { "no-format.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 3, NULL, "\"format\"" },
  { "format-2.xml", MOA_PARSE_ERROR_BAD_ENUM, 3, NULL, "format 2" },
  { "unknown-attribute.xml", MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 3, NULL, "\"region\"" },
  { "bad-id.xml", MOA_PARSE_ERROR_BAD_ID, 3, NULL, "id=\"lombardia 2024\"" },
  { "no-cost-model.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 3, NULL, "\"cost-model\"" },
  { "unknown-element.xml", MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 7, NULL, "<region>" },
  { "no-title.xml", MOA_PARSE_ERROR_MISSING_ELEMENT, 3, NULL, "<title" },
  { "second-source.xml", MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 8, NULL, "a second <source>" },
  { "no-procedure.xml", MOA_PARSE_ERROR_MISSING_ELEMENT, 3, NULL, "<procedure>" },
  { "price-year.xml", MOA_PARSE_ERROR_OUT_OF_RANGE, 3, NULL, "price-year=\"1850\"" },
  { "price-year-text.xml", MOA_PARSE_ERROR_BAD_NUMBER, 3, NULL, "price-year=\"2024a\"" },
  { "no-price-year.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 3, NULL, "\"price-year\"" },
  { "currency.xml", MOA_PARSE_ERROR_BAD_ENUM, 3, NULL, "\"euro\"" },
  { "catalog-population.xml", MOA_PARSE_ERROR_BAD_NUMBER, 3, NULL, "population: \"10M\"" },
  { "catalog-population-zero.xml", MOA_PARSE_ERROR_OUT_OF_RANGE, 3, NULL, "population: \"0\"" },
  { "catalog-population-fraction.xml", MOA_PARSE_ERROR_BAD_NUMBER, 3, NULL, "whole number" },
  { "duplicate-procedure.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 7, NULL, "line 5" },
  { "bad-procedure-id.xml", MOA_PARSE_ERROR_BAD_ID, 7, NULL, "id=\"aua/2\"" },
  { "procedure-no-file.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7, NULL, "\"file\"" },
  { "procedure-empty-file.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7, NULL, "file is empty" },
  { "missing-procedure-file.xml", MOA_PARSE_ERROR_IO, 7, NULL, "nowhere.xml" },
  { "procedure-folder.xml", MOA_PARSE_ERROR_IO, 7, NULL, "not a regular file" },
  { "duplicate-file.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 7, NULL, "<procedure> at line 5" },
  { "missing-scenario-file.xml", MOA_PARSE_ERROR_IO, 8, NULL, "nowhere.xml" },
  { "scenario-unknown-element.xml", MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 8, NULL, "<measure>" },
  { "no-programme.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7, NULL, "2 scenarios and none" },
  { "two-programmes.xml", MOA_PARSE_ERROR_CONFLICT, 9, NULL, "line 8" },
  { "lone-false.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 8, NULL, "only scenario" },
  { "programme-value.xml", MOA_PARSE_ERROR_BAD_ENUM, 8, NULL, "programme=\"yes\"" },
  { "duplicate-scenario.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 9, NULL, "<scenario> at line 8" },
  { "territory-duplicate.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 8, NULL, ":7" },
  { "territory-kind.xml", MOA_PARSE_ERROR_BAD_ENUM, 7, NULL, "kind=\"provincia\"" },
  { "territory-no-name.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7, NULL, "\"name\"" },
  { "territory-empty-name.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7, NULL, "name is empty" },
  { "territory-unknown-parent.xml", MOA_PARSE_ERROR_UNKNOWN_REFERENCE, 7, NULL, "parent \"015\"" },
  { "territory-circular.xml", MOA_PARSE_ERROR_CIRCULAR_REFERENCE, 7, NULL, "a → b → a" },
  { "territory-own-parent.xml", MOA_PARSE_ERROR_CIRCULAR_REFERENCE, 7, NULL, "a → a" },
  { "territory-negative.xml", MOA_PARSE_ERROR_NEGATIVE, 7, NULL, "population: \"-5\" is negative" },
  { "territory-unknown-attribute.xml", MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 7, NULL, "\"area\"" },
  { "territory-unknown-element.xml", MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 8, NULL, "<population>" },
  { "cases-unknown-procedure.xml", MOA_PARSE_ERROR_UNKNOWN_REFERENCE, 8, NULL,
    "procedure \"cila-edilizia\"" },
  { "cases-duplicate.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 9, NULL, "a second <cases>" },
  { "cases-bad-value.xml", MOA_PARSE_ERROR_BAD_NUMBER, 8, NULL, "value: \"many\" is not a number" },
  { "cases-no-value.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 8, NULL, "\"value\"" },
  { "no-figures.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7, NULL,
    "territory \"015\": no cases for procedure \"dote-scuola\" and no population to scale by" },
  { "no-catalog-population.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 7, NULL,
    "territory \"015\": no cases for procedure \"dote-scuola\" and the catalog has no "
    "population" },
  { "too-populous.xml", MOA_PARSE_ERROR_OUT_OF_RANGE, 7, NULL,
    "above the catalog's population 10000000" },
  { "missing-csv.xml", MOA_PARSE_ERROR_IO, 7, NULL, "nowhere.csv" },
  { "duplicate-csv.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 8, NULL, "<territories> at line 7" },
  { "csv-empty.xml", MOA_PARSE_ERROR_MISSING_ELEMENT, 0, "csv-empty.csv", "the file is empty" },
  { "csv-blank.xml", MOA_PARSE_ERROR_MISSING_ELEMENT, 0, "csv-blank.csv", "the file is empty" },
  { "csv-utf8.xml", MOA_PARSE_ERROR_MALFORMED, 3, "csv-utf8.csv",
    "byte 13 of the line (0xe8) is not UTF-8" },
  { "csv-nul.xml", MOA_PARSE_ERROR_MALFORMED, 2, "csv-nul.csv", "byte 8 of the line (0x00)" },
  { "csv-unclosed-quote.xml", MOA_PARSE_ERROR_MALFORMED, 3, "csv-unclosed-quote.csv",
    "column \"name\": the quote that opens this field is never closed" },
  { "csv-text-after-quote.xml", MOA_PARSE_ERROR_MALFORMED, 2, "csv-text-after-quote.csv",
    "column \"name\": text after the closing quote" },
  { "csv-quote-in-field.xml", MOA_PARSE_ERROR_MALFORMED, 2, "csv-quote-in-field.csv",
    "column \"name\": a quote inside a field" },
  { "csv-bare-cr.xml", MOA_PARSE_ERROR_MALFORMED, 2, "csv-bare-cr.csv",
    "column \"name\": a carriage return without a line feed" },
  { "csv-field-count.xml", MOA_PARSE_ERROR_MALFORMED, 3, "csv-field-count.csv",
    "7 fields where the header has 6 columns" },
  { "csv-missing-column.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 1, "csv-missing-column.csv",
    "the header has no column \"kind\"" },
  { "csv-duplicate-column.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 1, "csv-duplicate-column.csv",
    "column \"population\": the column appears twice in the header (as column 4 and 5)" },
  { "csv-unknown-column.xml", MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 1, "csv-unknown-column.csv",
    "column \"area\": unknown column" },
  { "csv-cases-unknown.xml", MOA_PARSE_ERROR_UNKNOWN_REFERENCE, 1, "csv-cases-unknown.csv",
    "column \"cases:cila-edilizia\": procedure \"cila-edilizia\" is not in the catalog" },
  { "csv-cases-bad-id.xml", MOA_PARSE_ERROR_BAD_ID, 1, "csv-cases-bad-id.csv",
    "column \"cases:\": \"\" is not a valid procedure id" },
  { "csv-empty-id.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 3, "csv-empty-id.csv",
    "column \"id\": empty" },
  { "csv-bad-id.xml", MOA_PARSE_ERROR_BAD_ID, 2, "csv-bad-id.csv",
    "column \"id\": \"0 15\" is not a valid id" },
  { "csv-empty-name.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 2, "csv-empty-name.csv",
    "column \"name\": empty" },
  { "csv-duplicate-id.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 2, "csv-duplicate-id.csv",
    "column \"id\": territory \"015\" is already defined at " },
  { "csv-duplicate-row.xml", MOA_PARSE_ERROR_DUPLICATE_ID, 3, "csv-duplicate-row.csv",
    "csv-duplicate-row.csv:2" },
  { "csv-kind.xml", MOA_PARSE_ERROR_BAD_ENUM, 2, "csv-kind.csv",
    "column \"kind\": \"provincia\" is not a kind of territory" },
  { "csv-parent-bad-id.xml", MOA_PARSE_ERROR_BAD_ID, 2, "csv-parent-bad-id.csv",
    "column \"parent\": \"0 15\"" },
  { "csv-unknown-parent.xml", MOA_PARSE_ERROR_UNKNOWN_REFERENCE, 3, "csv-unknown-parent.csv",
    "column \"parent\": territory \"016024\": parent \"016\" is not a territory of the catalog" },
  { "csv-circular.xml", MOA_PARSE_ERROR_CIRCULAR_REFERENCE, 2, "csv-circular.csv",
    "circular parents: a → b → a" },
  { "csv-population-text.xml", MOA_PARSE_ERROR_BAD_NUMBER, 17, "csv-population-text.csv",
    "column \"population\": \"12a\" is not a number" },
  { "csv-population-fraction.xml", MOA_PARSE_ERROR_BAD_NUMBER, 2, "csv-population-fraction.csv",
    "column \"population\": \"1.108\" is not a whole number" },
  { "csv-population-negative.xml", MOA_PARSE_ERROR_NEGATIVE, 2, "csv-population-negative.csv",
    "column \"population\": \"-1108000\" is negative" },
  { "csv-population-hex.xml", MOA_PARSE_ERROR_BAD_NUMBER, 2, "csv-population-hex.csv",
    "column \"population\": \"0x10\" is not a number" },
  { "csv-infinite.xml", MOA_PARSE_ERROR_BAD_NUMBER, 2, "csv-infinite.csv",
    "column \"cases:aua\": \"1e999\" is not a finite number" },
  { "csv-nan.xml", MOA_PARSE_ERROR_BAD_NUMBER, 2, "csv-nan.csv",
    "column \"cases:aua\": \"nan\" is not a number" },
  { "csv-negative-cases.xml", MOA_PARSE_ERROR_NEGATIVE, 2, "csv-negative-cases.csv",
    "column \"cases:aua\": \"-4\" is negative" },
  { "csv-no-figures.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 3, "csv-no-figures.csv",
    "column \"population\": territory \"016\": no cases for procedure \"dote-scuola\" and no "
    "population" },
  { "csv-too-populous.xml", MOA_PARSE_ERROR_OUT_OF_RANGE, 2, "csv-too-populous.csv",
    "column \"population\": territory \"016\": population 11080000 is above" },
  { "no-figures-many.xml", MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 8, NULL,
    "territory \"t\": no cases for procedure \"aua\" (nor for 2 other procedures) and no "
    "population" },
};

/* Loads @path expecting exactly one problem: @code at @where:@line with @detail. */
static void
check_invalid (const char *label, const char *path, const char *where, int code, int line,
               const char *detail)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCatalog) catalog = moa_catalog_load_file (path, problems, &error);
  g_autofree char *prefix = NULL;
  const MoaProblem *problem;

  if (catalog != NULL)
    fail_msg ("%s: loaded, expected an error", label);
  assert_non_null (error);
  assert_true (problems->len > 0);
  problem = g_ptr_array_index (problems, 0);
  if (error->domain != MOA_PARSE_ERROR || error->code != code || problem->line != line
      || g_strcmp0 (problem->file, where) != 0 || strstr (error->message, detail) == NULL)
    fail_msg ("%s: got %s %d, line %d, file %s: %s", label, g_quark_to_string (error->domain),
              error->code, problem->line, problem->file, error->message);
  assert_string_equal (error->message, problem->message);
  if (problems->len != 1)
    fail_msg ("%s: %u problems, expected 1; the second: %s", label, problems->len,
              ((MoaProblem *)g_ptr_array_index (problems, 1))->message);
  /* every message starts with the file, and the line when there is one */
  prefix = line > 0 ? g_strdup_printf ("%s:%d: ", where, line) : g_strdup_printf ("%s: ", where);
  if (!g_str_has_prefix (error->message, prefix))
    fail_msg ("%s: \"%s\" does not start with \"%s\"", label, error->message, prefix);
}

static void
test_invalid (void **state)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      const InvalidCase *c = &invalid_cases[i];
      g_autofree char *name = g_build_filename ("invalid", c->file, NULL);
      g_autofree char *path = data_path (name);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *where
          = c->where != NULL ? g_build_filename (dir, c->where, NULL) : g_strdup (path);

      check_invalid (c->file, path, where, c->code, c->line, c->detail);
    }
}

/* Every file of tests/test-catalog/invalid/ is in the table (a file left out tests nothing). */
static void
test_invalid_table_complete (void **state)
{
  g_autofree char *dir = data_path ("invalid");
  g_autoptr (GPtrArray) files = moa_test_list_xml (dir);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
      gboolean found = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (invalid_cases); k++)
        found = found || strcmp (invalid_cases[k].file, base) == 0;
      if (!found)
        fail_msg ("invalid/%s is not in the table", base);
    }
  assert_int_equal (files->len, G_N_ELEMENTS (invalid_cases));
}

/* A catalog in a new temporary folder naming @csv_name; returns the folder. */
static char *
write_catalog (const char *csv_name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *aua = g_build_filename (MOA_SOURCE_DIR, "procedures", "aua.xml", NULL);
  g_autofree char *xml
      = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<catalog format=\"1\" id=\"t\" cost-model=\"it-moa\" price-year=\"2024\" "
                         "population=\"10000000\">\n"
                         "  <title lang=\"en\">Bounds</title>\n"
                         "  <procedure id=\"aua\" file=\"%s\"/>\n"
                         "  <territories file=\"%s\"/>\n"
                         "</catalog>\n",
                         aua, csv_name);
  char *dir = moa_test_make_tmp_dir ("moa-catalog-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "catalog.xml", NULL);

  if (!g_file_set_contents (path, xml, -1, &error))
    fail_msg ("%s", error->message);
  return dir;
}

/* The bounds of the CSV reader: 100,000 territories per file, MOA_MAX_FILE_SIZE bytes. */
static void
test_csv_bounds (void **state)
{
  g_autofree char *dir = write_catalog ("rows.csv");
  g_autofree char *catalog = g_build_filename (dir, "catalog.xml", NULL);
  g_autofree char *rows = g_build_filename (dir, "rows.csv", NULL);
  g_autoptr (GString) text = g_string_new ("id,name,kind,population\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *filler = NULL;

  /* 100,000 rows load; the 100,001st (line 100,002) is one too many */
  for (guint i = 1; i <= 100000; i++)
    g_string_append_printf (text, "t%u,T,other,1\n", i);
  if (!g_file_set_contents (rows, text->str, (gssize)text->len, &error))
    fail_msg ("%s", error->message);
  {
    g_autoptr (MoaCatalog) loaded = load (catalog);
    assert_int_equal (moa_catalog_get_territories (loaded)->len, 100000);
  }
  g_string_append (text, "t100001,T,other,1\n");
  if (!g_file_set_contents (rows, text->str, (gssize)text->len, &error))
    fail_msg ("%s", error->message);
  check_invalid ("100,001 rows", catalog, rows, MOA_PARSE_ERROR_TOO_LARGE, 100002,
                 "more than 100000 territories");

  /* one byte over MOA_MAX_FILE_SIZE: refused before reading */
  g_string_assign (text, "id,name,kind,population,source\nt,T,other,1,\"");
  filler = g_strnfill (MOA_MAX_FILE_SIZE + 1 - text->len - 2, 'x');
  g_string_append (text, filler);
  g_string_append (text, "\"\n");
  assert_int_equal (text->len, MOA_MAX_FILE_SIZE + 1);
  if (!g_file_set_contents (rows, text->str, (gssize)text->len, &error))
    fail_msg ("%s", error->message);
  check_invalid ("17 MiB", catalog, rows, MOA_PARSE_ERROR_TOO_LARGE, 0, "bytes, more than");
  moa_test_remove_tree (dir);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_example),    cmocka_unit_test (test_shares),
    cmocka_unit_test (test_quoting),    cmocka_unit_test (test_kinds),
    cmocka_unit_test (test_invalid),    cmocka_unit_test (test_invalid_table_complete),
    cmocka_unit_test (test_csv_bounds),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
