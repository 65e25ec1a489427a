/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scenarios (docs/scenario-format.md): loading, every measure type applied to a small baseline
 * with the structure of the result and its burden checked against hand calculations (see the
 * comment at the top of each file in tests/test-scenario/), chains, copies, and a table of
 * invalid scenarios with the error each must give. */

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
#include "moa-scenario.h"

/* Sums of a handful of products: exact to rounding. */
#define REL_TOL 1e-9

/* The valid scenarios of tests/test-scenario/. */
static const char *const valid_scenarios[]
    = { "digitalise.xml",     "once-only.xml",    "once-only-listed.xml",
        "remove.xml",         "frequency.xml",    "population.xml",
        "set-parameter.xml",  "add-activity.xml", "add-for.xml",
        "add-obligation.xml", "chain.xml" };

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");
  return dir != NULL ? dir : MOA_TESTS_SRCDIR;
}

static char *
data_path (const char *name)
{
  return g_build_filename (srcdir (), "test-scenario", name, NULL);
}

static void
assert_close_impl (double actual, double expected, const char *what, const char *file, int line)
{
  double tol = REL_TOL * MAX (1.0, fabs (expected));
  if (!(fabs (actual - expected) <= tol))
    {
      print_error ("%s = %.17g, expected %.17g (tolerance %.3g)\n", what, actual, expected, tol);
      _fail (file, line);
    }
}

#define assert_close(actual, expected, what)                                                       \
  assert_close_impl ((actual), (expected), (what), __FILE__, __LINE__)

static MoaCostModel *
load_model (void)
{
  g_autofree char *path = data_path ("models/scenario-test.xml");
  g_autoptr (GError) error = NULL;
  MoaCostModel *model = moa_cost_model_load_file (path, NULL, &error);
  if (model == NULL)
    fail_msg ("%s", error->message);
  return model;
}

static MoaScenario *
load_scenario (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  MoaScenario *scenario = moa_scenario_load_file (path, NULL, &error);
  if (scenario == NULL)
    fail_msg ("%s", error->message);
  return scenario;
}

static MoaProcedure *
load_procedure (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr (GError) error = NULL;
  MoaProcedure *procedure = moa_procedure_load_file (path, NULL, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  return procedure;
}

/* Plans (which checks the workflows) and evaluates @procedure at the expected values. */
static MoaResult *
evaluate (MoaProcedure *procedure)
{
  g_autoptr (MoaCostModel) model = load_model ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaPlan) plan = moa_plan_new (procedure, model, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  MoaResult *result = moa_plan_evaluate (plan, NULL, &error);
  if (result == NULL)
    fail_msg ("%s", error->message);
  return result;
}

static double
burden_of (MoaProcedure *procedure)
{
  g_autoptr (MoaResult) result = evaluate (procedure);
  return result->total.recurring.burden;
}

static MoaProcedure *
apply (const MoaScenario *scenario, guint n_measures, int only)
{
  g_autoptr (GError) error = NULL;
  MoaProcedure *procedure = moa_scenario_apply (scenario, n_measures, only, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  return procedure;
}

static MoaNode *
node_of (MoaProcedure *procedure, const char *obligation_id, const char *node_id)
{
  MoaObligation *obligation = moa_procedure_get_obligation (procedure, obligation_id);
  assert_non_null (obligation);
  return moa_obligation_get_node (obligation, node_id);
}

/* Index of node @id in its obligation's file order, or -1. */
static int
node_position (MoaProcedure *procedure, const char *obligation_id, const char *id)
{
  MoaObligation *obligation = moa_procedure_get_obligation (procedure, obligation_id);
  for (guint i = 0; obligation != NULL && i < obligation->nodes->len; i++)
    if (g_strcmp0 (((MoaNode *)g_ptr_array_index (obligation->nodes, i))->id, id) == 0)
      return (int)i;
  return -1;
}

static double
visits_of (const MoaResult *result, const char *obligation, const char *node)
{
  const MoaActivityResult *row = moa_result_get_activity (result, obligation, node, NULL);
  assert_non_null (row);
  return row->visits;
}

/* The baseline the scenario holds is the file as it is on disk, whatever was applied. */
static void
assert_baseline_unchanged (const MoaScenario *scenario, const char *file)
{
  g_autoptr (MoaProcedure) fresh = load_procedure (file);
  assert_true (moa_procedure_equal (moa_scenario_get_baseline (scenario), fresh));
}

/* ---------------------------------------------------------------------------------------- */

/* digitalise-submission: travel and queueing removed in scope, then the <set>. */
static void
test_digitalise (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("digitalise.xml");
  MoaProcedure *baseline = moa_scenario_get_baseline (scenario);
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);
  g_autoptr (MoaResult) before_result = evaluate (baseline);
  g_autoptr (MoaResult) after_result = evaluate (after);

  assert_string_equal (moa_scenario_get_id (scenario), "digitalise");
  assert_null (moa_scenario_get_parent (scenario));
  assert_string_equal (baseline->id, "counter");

  /* structure: viaggio and coda are gone, compila leads to consegna, rinnovo is untouched */
  assert_null (node_of (after, "domanda", "viaggio"));
  assert_null (node_of (after, "domanda", "coda"));
  assert_string_equal (node_of (after, "domanda", "compila")->next, "consegna");
  assert_close (moa_value_mean_or (node_of (after, "domanda", "consegna")->time.value, -1),
                5.0 / 60.0, "consegna time (h)");
  assert_non_null (node_of (after, "rinnovo", "viaggio2"));
  assert_string_equal (node_of (after, "rinnovo", "inizio")->next, "viaggio2");

  /* before: 110 x 1,000 + 60 x 500; after: (1 h + 5 min) x 40 x 1,000 + 30,000 */
  assert_close (before_result->total.recurring.burden, 140000, "before");
  assert_close (after_result->total.recurring.burden, 13.0 / 12.0 * 40 * 1000 + 30000, "after");
  assert_close (before_result->total.recurring.burden - after_result->total.recurring.burden,
                200000.0 / 3.0, "saving");
  assert_close (after_result->total.recurring.hours, 13.0 / 12.0 * 1000 + 750, "hours after");

  /* the baseline is left as loaded */
  assert_non_null (node_of (baseline, "domanda", "viaggio"));
  assert_baseline_unchanged (scenario, "counter.xml");
}

/* once-only: the obtain-document activities (or the listed ones) go. */
static void
test_once_only (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("once-only.xml");
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);
  g_autoptr (MoaResult) before_result = evaluate (moa_scenario_get_baseline (scenario));
  g_autoptr (MoaResult) after_result = evaluate (after);

  assert_null (node_of (after, "richiesta", "visura"));
  assert_null (node_of (after, "richiesta", "isee"));
  assert_string_equal (node_of (after, "richiesta", "inizio")->next, "compila");
  MoaNode *gateway = node_of (after, "richiesta", "completa");
  MoaBranch *branch = g_ptr_array_index (gateway->branches, 0);
  assert_string_equal (branch->to, "integrazione");
  assert_close (moa_value_mean_or (branch->probability.value, -1), 0.1, "probability");

  /* before: 3.5 h x 20 x 2,000; visits 4/3 and 1/3 */
  assert_close (visits_of (before_result, "richiesta", "invio"), 4.0 / 3.0, "invio visits");
  assert_close (before_result->citizens.recurring.hours, 7000, "hours before");
  assert_close (before_result->total.recurring.burden, 140000, "before");
  /* after: 5/3 h a case; invio 1 / 0.9, integrazione 0.1 / 0.9 */
  assert_close (visits_of (after_result, "richiesta", "invio"), 1 / 0.9, "invio visits after");
  assert_close (visits_of (after_result, "richiesta", "integrazione"), 0.1 / 0.9,
                "integrazione visits after");
  assert_close (after_result->citizens.recurring.hours, 2000 * 5.0 / 3.0, "hours after");
  assert_close (after_result->total.recurring.burden, 2000 * 20 * 5.0 / 3.0, "after");
  assert_baseline_unchanged (scenario, "documents.xml");

  /* the listed activity only */
  g_autoptr (MoaScenario) listed = load_scenario ("once-only-listed.xml");
  g_autoptr (MoaProcedure) listed_after = apply (listed, G_MAXUINT, -1);
  assert_null (node_of (listed_after, "richiesta", "isee"));
  assert_non_null (node_of (listed_after, "richiesta", "visura"));
  assert_string_equal (node_of (listed_after, "richiesta", "visura")->next, "compila");
  assert_close (burden_of (listed_after), 100000, "listed: 2.5 h x 20 x 2,000");
}

/* remove: inside a loop, right before an end, an obligation, and a removal that leaves a
 * gateway with two branches to the same node; cumulative and alone. */
static void
test_remove (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("remove.xml");
  MoaProcedure *baseline = moa_scenario_get_baseline (scenario);
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);
  g_autoptr (MoaResult) before_result = evaluate (baseline);
  g_autoptr (MoaResult) after_result = evaluate (after);

  /* inside the loop: esito now branches to verifica, which still leads back to invio */
  assert_null (node_of (after, "pratica", "correzione"));
  MoaNode *esito = node_of (after, "pratica", "esito");
  assert_int_equal (esito->branches->len, 2);
  MoaBranch *loop = g_ptr_array_index (esito->branches, 0);
  MoaBranch *exit = g_ptr_array_index (esito->branches, 1);
  assert_string_equal (loop->to, "verifica");
  assert_close (moa_value_mean_or (loop->probability.value, -1), 0.2, "loop probability");
  assert_string_equal (node_of (after, "pratica", "verifica")->next, "invio");
  /* right before the end: the default branch goes straight to the end */
  assert_null (node_of (after, "pratica", "archivio"));
  assert_true (exit->is_default);
  assert_string_equal (exit->to, "fine");
  /* an obligation */
  assert_null (moa_procedure_get_obligation (after, "registro"));
  assert_int_equal (after->obligations->len, 2);
  assert_null (moa_result_get_obligation (after_result, "registro"));
  /* both branches of scelta now lead to invia: both are kept */
  MoaNode *scelta = node_of (after, "avviso", "scelta");
  assert_int_equal (scelta->branches->len, 2);
  assert_string_equal (((MoaBranch *)g_ptr_array_index (scelta->branches, 0))->to, "invia");
  assert_string_equal (((MoaBranch *)g_ptr_array_index (scelta->branches, 1))->to, "invia");

  /* visits of the remaining nodes, by hand: invio 1 / (1 - 0.2), verifica 0.2 x 1.25 */
  assert_close (visits_of (before_result, "pratica", "invio"), 1.25, "invio before");
  assert_close (visits_of (before_result, "pratica", "correzione"), 0.25, "correzione before");
  assert_close (visits_of (after_result, "pratica", "invio"), 1.25, "invio after");
  assert_close (visits_of (after_result, "pratica", "verifica"), 0.25, "verifica after");
  assert_close (visits_of (after_result, "pratica", "prepara"), 1, "prepara after");
  assert_close (visits_of (after_result, "avviso", "invia"), 1, "invia after (0.3 + 0.7)");

  assert_close (before_result->total.recurring.burden, 33680, "before");
  assert_close (moa_result_get_obligation (after_result, "pratica")->recurring.burden, 22000,
                "pratica after");
  assert_close (moa_result_get_obligation (after_result, "avviso")->recurring.burden, 2000,
                "avviso after");
  assert_close (after_result->total.recurring.burden, 24000, "after");

  /* cumulative: the first measure only; alone: the second one only; none */
  g_autoptr (MoaProcedure) first = apply (scenario, 1, -1);
  assert_non_null (node_of (first, "pratica", "archivio"));
  assert_non_null (moa_procedure_get_obligation (first, "registro"));
  assert_close (burden_of (first), 30000, "after measure 1");
  g_autoptr (MoaProcedure) second_alone = apply (scenario, G_MAXUINT, 1);
  assert_non_null (node_of (second_alone, "pratica", "correzione"));
  assert_null (node_of (second_alone, "pratica", "archivio"));
  assert_close (burden_of (second_alone), 27680, "measure 2 alone");
  g_autoptr (MoaProcedure) none = apply (scenario, 0, -1);
  assert_true (moa_procedure_equal (none, baseline));
  assert_close (burden_of (none), 33680, "no measure");
  g_autoptr (MoaProcedure) both_again = apply (scenario, 2, -1);
  assert_true (moa_procedure_equal (both_again, after));

  assert_baseline_unchanged (scenario, "loop.xml");
}

/* change-frequency, also switching an obligation from cases to frequency. */
static void
test_change_frequency (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("frequency.xml");
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);

  MoaObligation *dichiarazione = moa_procedure_get_obligation (after, "dichiarazione");
  MoaObligation *comunicazione = moa_procedure_get_obligation (after, "comunicazione");
  assert_close (moa_value_mean_or (dichiarazione->frequency.value, -1), 1, "frequency");
  assert_close (moa_value_mean_or (comunicazione->frequency.value, -1), 2, "switched frequency");
  assert_null (comunicazione->cases.value);

  assert_close (burden_of (moa_scenario_get_baseline (scenario)), 172000, "before");
  g_autoptr (MoaProcedure) first = apply (scenario, 1, -1);
  assert_close (burden_of (first), 40000 + 12000, "after annuale");
  assert_close (burden_of (after), 80000, "after both");
  assert_baseline_unchanged (scenario, "reports.xml");
}

/* change-population with a per-segment <set> in the same measure. */
static void
test_change_population (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("population.xml");
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);
  g_autoptr (MoaResult) result = evaluate (after);

  assert_close (moa_value_mean_or (moa_procedure_get_segment (after, "micro")->population, -1), 0,
                "micro population");
  MoaNode *compila = node_of (after, "registro", "compila");
  assert_close (moa_value_mean_or (compila->time.value, -1), 1, "default time kept");
  assert_close (moa_value_mean_or (moa_param_get (&compila->time, "piccole"), -1), 1.5,
                "time of small firms");
  assert_int_equal (compila->time.per_segment->len, 1);

  assert_close (burden_of (moa_scenario_get_baseline (scenario)), 88000, "before");
  assert_close (moa_result_get_segment (result, "micro")->recurring.burden, 0, "micro after");
  assert_close (moa_result_get_segment (result, "piccole")->recurring.burden, 20000,
                "piccole after");
  assert_close (result->total.recurring.burden, 20000, "after");
  assert_baseline_unchanged (scenario, "segments.xml");
}

/* set-parameter: every kind of element and attribute, with and without segment. */
static void
test_set_parameter (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("set-parameter.xml");
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);
  g_autoptr (MoaResult) result = evaluate (after);

  MoaNode *compila = node_of (after, "registro", "compila");
  /* set without segment: for every segment, the override goes */
  assert_close (moa_value_mean_or (compila->time.value, -1), 0.5, "time");
  assert_null (compila->time.per_segment);
  assert_close (moa_value_mean_or (moa_param_get (&compila->time, "piccole"), -1), 0.5,
                "time of small firms");
  /* set with segment: an override */
  MoaValue *rate = NULL;
  const char *profile = NULL;
  moa_node_get_tariff (compila, "piccole", &rate, &profile);
  assert_null (profile);
  assert_close (moa_value_mean_or (rate, -1), 60, "tariff of small firms");
  moa_node_get_tariff (compila, "micro", &rate, &profile);
  assert_null (rate);
  assert_null (profile);
  assert_close (moa_value_mean_or (node_of (after, "registro", "bollo")->out_of_pocket.value, -1),
                0, "stamp");
  MoaBranch *branch = g_ptr_array_index (node_of (after, "registro", "controllo")->branches, 0);
  assert_close (moa_value_mean_or (branch->probability.value, -1), 0.25, "probability");
  assert_close (
      moa_value_mean_or (moa_procedure_get_obligation (after, "registro")->compliance.value, -1),
      0.8, "compliance");
  assert_close (moa_value_mean_or (moa_procedure_get_segment (after, "piccole")->population, -1),
                100, "population");

  assert_close (moa_result_get_segment (result, "micro")->recurring.burden, 21760, "micro");
  assert_close (moa_result_get_segment (result, "piccole")->recurring.burden, 3520, "piccole");
  assert_close (result->total.recurring.burden, 25280, "after");
  assert_baseline_unchanged (scenario, "segments.xml");
}

/* add-activity: inserted after a node, taking over its next; with a <for> and a <set> on it. */
static void
test_add_activity (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("add-activity.xml");
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);

  MoaNode *added = node_of (after, "domanda", "accesso-spid");
  assert_non_null (added);
  assert_int_equal (added->kind, MOA_NODE_ACTIVITY);
  assert_string_equal (node_of (after, "domanda", "compila")->next, "accesso-spid");
  assert_string_equal (added->next, "viaggio");
  assert_string_equal (added->title.en, "Log in with SPID");
  assert_true (added->tags != NULL && g_strv_contains ((const char *const *)added->tags, "form"));
  assert_int_equal (node_position (after, "domanda", "accesso-spid"),
                    node_position (after, "domanda", "compila") + 1);
  assert_close (burden_of (after), 160000, "after: 140,000 + 1,000 x 0.5 h x 40");
  assert_baseline_unchanged (scenario, "counter.xml");

  g_autoptr (MoaScenario) with_for = load_scenario ("add-for.xml");
  g_autoptr (MoaProcedure) for_after = apply (with_for, G_MAXUINT, -1);
  MoaNode *pagamento = node_of (for_after, "registro", "pagamento");
  assert_string_equal (node_of (for_after, "registro", "bollo")->next, "pagamento");
  assert_string_equal (pagamento->next, "controllo");
  assert_close (moa_value_mean_or (moa_param_get (&pagamento->time, "piccole"), -1), 0.2,
                "12 min for small firms");
  MoaValue *rate = NULL;
  const char *profile = NULL;
  moa_node_get_tariff (pagamento, "piccole", &rate, &profile);
  assert_string_equal (profile, "manager");
  g_autoptr (MoaResult) result = evaluate (for_after);
  assert_close (moa_result_get_segment (result, "micro")->recurring.burden, 64000 + 3200,
                "micro: + 800 x 6 min x 40");
  assert_close (moa_result_get_segment (result, "piccole")->recurring.burden, 24000 + 3200,
                "piccole: + 200 x 12 min x 80");
  assert_close (result->total.recurring.burden, 94400, "after");
}

/* add-obligation: a one-off obligation, reported apart. */
static void
test_add_obligation (void **state)
{
  g_autoptr (MoaScenario) scenario = load_scenario ("add-obligation.xml");
  g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);
  g_autoptr (MoaResult) result = evaluate (after);

  MoaObligation *added = moa_procedure_get_obligation (after, "iscrizione");
  assert_non_null (added);
  assert_true (added->one_off);
  assert_int_equal (after->obligations->len, 3);
  assert_non_null (moa_obligation_get_node (added, "profilo"));
  assert_close (moa_scenario_get_one_off_years (scenario), 10, "one-off-years");

  assert_close (result->total.recurring.burden, 140000, "recurring unchanged");
  assert_close (result->total.one_off.burden, 80000, "one-off: 1,000 x 2 h x 40");
  assert_close (moa_result_get_obligation (result, "iscrizione")->one_off.burden, 80000,
                "the added obligation");
  assert_baseline_unchanged (scenario, "counter.xml");
}

/* A scenario based on a scenario: the parent's measures come first. */
static void
test_chain (void **state)
{
  g_autoptr (MoaScenario) chain = load_scenario ("chain.xml");
  g_autoptr (MoaScenario) digitalise = load_scenario ("digitalise.xml");
  MoaScenario *parent = moa_scenario_get_parent (chain);

  assert_non_null (parent);
  assert_string_equal (moa_scenario_get_id (parent), "digitalise");
  assert_true (g_str_has_suffix (moa_scenario_get_file (parent), "digitalise.xml"));
  assert_null (moa_scenario_get_parent (parent));
  assert_string_equal (moa_scenario_get_baseline (chain)->id, "counter");
  assert_ptr_equal (moa_scenario_get_baseline (chain), moa_scenario_get_baseline (parent));
  assert_int_equal (moa_scenario_get_measures (chain)->len, 1);
  assert_close (moa_scenario_get_one_off_years (chain), 5, "one-off-years");
  assert_close (moa_scenario_get_one_off_years (parent), 10, "default one-off-years");

  g_autoptr (MoaProcedure) after = apply (chain, G_MAXUINT, -1);
  assert_null (moa_procedure_get_obligation (after, "rinnovo"));
  assert_null (node_of (after, "domanda", "viaggio"));
  assert_close (burden_of (after), 13.0 / 12.0 * 40 * 1000, "after the chain");

  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) parents = moa_scenario_apply_parents (chain, &error);
  assert_non_null (parents);
  g_autoptr (MoaProcedure) digitalised = apply (digitalise, G_MAXUINT, -1);
  assert_true (moa_procedure_equal (parents, digitalised));
  assert_close (burden_of (parents), 13.0 / 12.0 * 40 * 1000 + 30000, "the chain's baseline");
  /* the measure alone is applied on top of the parents, too */
  g_autoptr (MoaProcedure) alone = apply (chain, G_MAXUINT, 0);
  assert_true (moa_procedure_equal (alone, after));
  g_autoptr (MoaProcedure) none = apply (chain, 0, -1);
  assert_true (moa_procedure_equal (none, parents));
  assert_baseline_unchanged (chain, "counter.xml");
}

/* The public view of the measures. */
static void
test_measures (void **state)
{
  static const char *const names[]
      = { "digitalise-submission", "once-only",     "remove",       "change-frequency",
          "change-population",     "set-parameter", "add-activity", "add-obligation" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    assert_string_equal (moa_measure_type_to_string ((MoaMeasureType)i), names[i]);
  assert_null (moa_measure_type_to_string ((MoaMeasureType)G_N_ELEMENTS (names)));

  g_autoptr (MoaScenario) scenario = load_scenario ("remove.xml");
  GPtrArray *measures = moa_scenario_get_measures (scenario);
  assert_int_equal (measures->len, 2);
  const MoaMeasure *m = g_ptr_array_index (measures, 1);
  assert_string_equal (m->id, "niente-archivio");
  assert_int_equal (m->line, 17);
  assert_int_equal (m->type, MOA_MEASURE_REMOVE);
  assert_string_equal (m->title.en, "No archive, no register");
  assert_null (m->title.it);
  assert_string_equal (m->justification, "The office keeps the file; the register is abolished.");
  assert_string_equal (m->source, "illustrative");
  assert_string_equal (moa_title_get (moa_scenario_get_title (scenario), "it", NULL),
                       "Fewer steps");

  g_autoptr (MoaScenario) digitalise = load_scenario ("digitalise.xml");
  m = g_ptr_array_index (moa_scenario_get_measures (digitalise), 0);
  assert_int_equal (m->type, MOA_MEASURE_DIGITALISE_SUBMISSION);
  assert_string_equal (m->title.it, "Domanda sul portale");
}

/* moa_procedure_copy(): equal, and independent of the original. */
static void
test_copy (void **state)
{
  static const char *const files[]
      = { "counter.xml", "documents.xml", "loop.xml", "reports.xml", "segments.xml" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr (MoaProcedure) original = load_procedure (files[i]);
      g_autoptr (MoaProcedure) copy = moa_procedure_copy (original);
      assert_ptr_not_equal (copy, original);
      assert_true (moa_procedure_equal (copy, original));
      assert_string_equal (copy->file, original->file);
      g_autofree char *a = moa_procedure_to_xml (original);
      g_autofree char *b = moa_procedure_to_xml (copy);
      assert_string_equal (a, b);
    }

  g_autoptr (MoaProcedure) original = load_procedure ("segments.xml");
  g_autoptr (MoaProcedure) copy = moa_procedure_copy (original);
  MoaNode *compila = node_of (copy, "registro", "compila");
  assert_ptr_not_equal (compila, node_of (original, "registro", "compila"));
  /* editing the copy leaves the original alone */
  g_free (compila->next);
  compila->next = g_strdup ("controllo");
  g_clear_pointer (&compila->time.per_segment, g_ptr_array_unref);
  g_ptr_array_remove_index (copy->obligations, 0);
  moa_procedure_reindex (copy);
  assert_false (moa_procedure_equal (copy, original));
  g_autoptr (MoaProcedure) fresh = load_procedure ("segments.xml");
  assert_true (moa_procedure_equal (original, fresh));
  assert_string_equal (node_of (original, "registro", "compila")->next, "bollo");
  assert_close (burden_of (original), 88000, "original still evaluates");
}

/* Every applied procedure is written and read back unchanged (what `moa apply` does). */
static void
test_applied_roundtrip (void **state)
{
  const char *const *files = valid_scenarios;
  for (guint i = 0; i < G_N_ELEMENTS (valid_scenarios); i++)
    {
      g_autoptr (MoaScenario) scenario = load_scenario (files[i]);
      g_autoptr (MoaProcedure) after = apply (scenario, G_MAXUINT, -1);
      g_autoptr (MoaProcedure) again = apply (scenario, G_MAXUINT, -1);
      g_autofree char *xml = moa_procedure_to_xml (after);
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaProcedure) back
          = moa_procedure_load_data (xml, strlen (xml), files[i], NULL, &error);
      if (back == NULL)
        fail_msg ("%s: %s", files[i], error->message);
      assert_true (moa_procedure_equal (after, back));
      assert_true (moa_procedure_equal (after, again));
      assert_close (burden_of (back), burden_of (after), files[i]);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The schema and the documentation's example */

/* Validates @files (NULL-terminated) against procedures/scenario.rng with xmllint; returns
 * FALSE when xmllint is not installed. */
static gboolean
xmllint_validates (const char *const *files)
{
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autofree char *schema = g_build_filename (MOA_SOURCE_DIR, "procedures", "scenario.rng", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = -1;

  if (xmllint == NULL)
    return FALSE;
  g_ptr_array_add (argv, xmllint);
  g_ptr_array_add (argv, (char *)"--noout");
  g_ptr_array_add (argv, (char *)"--relaxng");
  g_ptr_array_add (argv, schema);
  for (guint i = 0; files[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)files[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    fail_msg ("xmllint: %s", error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    fail_msg ("xmllint: %s", err);
  return TRUE;
}

/* The test scenarios are valid against the schema. */
static void
test_schema (void **state)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (valid_scenarios); i++)
    g_ptr_array_add (files, data_path (valid_scenarios[i]));
  g_ptr_array_add (files, NULL);
  if (!xmllint_validates ((const char *const *)files->pdata))
    skip ();
}

/* The complete example of docs/scenario-format.md: valid against the schema, loaded beside a
 * copy of the bundled procedure it names, applied, and accepted by the evaluation plan. */
static void
test_docs_example (void **state)
{
  g_autofree char *doc_path = g_build_filename (MOA_SOURCE_DIR, "docs", "scenario-format.md", NULL);
  g_autofree char *procedure_path
      = g_build_filename (MOA_SOURCE_DIR, "procedures", "cambio-residenza.xml", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *procedure_text = NULL;
  g_autoptr (GError) error = NULL;

  if (!g_file_get_contents (doc_path, &doc, NULL, &error)
      || !g_file_get_contents (procedure_path, &procedure_text, NULL, &error))
    fail_msg ("%s", error->message);
  const char *heading = strstr (doc, "## A complete example");
  assert_non_null (heading);
  const char *start = strstr (heading, "```xml\n");
  assert_non_null (start);
  start += strlen ("```xml\n");
  const char *end = strstr (start, "```");
  assert_non_null (end);
  g_autofree char *example = g_strndup (start, end - start);

  g_autofree char *dir = g_dir_make_tmp ("moa-test-scenario-XXXXXX", &error);
  assert_non_null (dir);
  g_autofree char *scenarios = g_build_filename (dir, "scenarios", NULL);
  g_autofree char *copy = g_build_filename (dir, "cambio-residenza.xml", NULL);
  g_autofree char *path = g_build_filename (scenarios, "example.xml", NULL);
  assert_int_equal (g_mkdir (scenarios, 0700), 0);
  if (!g_file_set_contents (copy, procedure_text, -1, &error)
      || !g_file_set_contents (path, example, -1, &error))
    fail_msg ("%s", error->message);

  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (path, NULL, &error);
  if (scenario == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaProcedure) after = moa_scenario_apply (scenario, G_MAXUINT, -1, &error);
  assert_non_null (after);
  assert_null (node_of (after, "dichiarazione-residenza", "viaggio"));
  assert_null (node_of (after, "dichiarazione-residenza", "attesa"));
  assert_string_equal (node_of (after, "dichiarazione-residenza", "prenotazione")->next,
                       "collegamento-video");
  assert_string_equal (node_of (after, "dichiarazione-residenza", "collegamento-video")->next,
                       "dichiarazione-sportello");
  assert_close (moa_scenario_get_one_off_years (scenario), 5, "one-off-years");

  const char *models = g_getenv ("MOA_MODELS_DIR");
  g_autofree char *model_path
      = g_build_filename (models != NULL ? models : MOA_SOURCE_DIR "/models", "it-moa.xml", NULL);
  g_autoptr (MoaCostModel) model = moa_cost_model_load_file (model_path, NULL, &error);
  if (model == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaPlan) plan = moa_plan_new (after, model, NULL, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);

  const char *const files[] = { path, NULL };
  gboolean validated = xmllint_validates (files);

  g_remove (path);
  g_remove (copy);
  g_rmdir (scenarios);
  g_rmdir (dir);
  if (!validated)
    skip ();
}

/* ---------------------------------------------------------------------------------------- */
/* Invalid scenarios */

typedef struct
{
  const char *file;    /* in tests/test-scenario/invalid/ */
  GQuark domain;       /* filled in at run time from @validation */
  gboolean validation; /* MOA_VALIDATION_ERROR, else MOA_PARSE_ERROR */
  int code;
  int line;
  const char *where;   /* the file the problem is in, when not @file (relative to invalid/) */
  const char *element; /* text the message must contain: the element */
  const char *detail;  /* another text it must contain */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "unknown-id.xml", 0, TRUE, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID, 9, NULL,
    "measure \"portale\": element \"domanda/inesistente\"", "is not in procedure \"counter\"" },
  { "removed.xml", 0, TRUE, MOA_VALIDATION_ERROR_REMOVED_ELEMENT, 10, NULL,
    "measure \"portale\": element \"domanda/viaggio\"", "was removed by measure \"sportello\"" },
  { "removed-set.xml", 0, TRUE, MOA_VALIDATION_ERROR_REMOVED_ELEMENT, 14, NULL,
    "measure \"tempi\": element \"domanda/coda\"", "was removed by measure \"portale\"" },
  { "removed-obligation.xml", 0, TRUE, MOA_VALIDATION_ERROR_REMOVED_ELEMENT, 14, NULL,
    "element \"rinnovo/deposito\"", "was removed by measure \"via\"" },
  { "removed-by-parent.xml", 0, TRUE, MOA_VALIDATION_ERROR_REMOVED_ELEMENT, 5, NULL,
    "element \"domanda/viaggio\"", "by measure \"portale\" of scenario \"digitalise\"" },
  { "circular-a.xml", 0, TRUE, MOA_VALIDATION_ERROR_CIRCULAR_BASELINE, 3, "circular-b.xml",
    "scenario \"circular-b\"", "circular baseline" },
  { "circular-b.xml", 0, TRUE, MOA_VALIDATION_ERROR_CIRCULAR_BASELINE, 3, "circular-a.xml",
    "scenario \"circular-a\"", "circular baseline" },
  { "self.xml", 0, TRUE, MOA_VALIDATION_ERROR_CIRCULAR_BASELINE, 3, NULL, "scenario \"self\"",
    "circular baseline" },
  { "unknown-type.xml", 0, FALSE, MOA_PARSE_ERROR_BAD_ENUM, 5, NULL, "measure \"x\"", "simplify" },
  { "missing-justification.xml", 0, FALSE, MOA_PARSE_ERROR_MISSING_ELEMENT, 5, NULL,
    "measure \"x\"", "<justification>" },
  { "missing-source.xml", 0, FALSE, MOA_PARSE_ERROR_MISSING_ELEMENT, 5, NULL, "measure \"x\"",
    "<source>" },
  { "bad-set-value.xml", 0, FALSE, MOA_PARSE_ERROR_BAD_UNIT, 9, NULL, "<set> in measure \"x\"",
    "parsecs" },
  { "set-no-parameter.xml", 0, TRUE, MOA_VALIDATION_ERROR_BAD_MEASURE, 9, NULL,
    "activity \"domanda/compila\"", "\"population\"" },
  { "set-unknown-attribute.xml", 0, FALSE, MOA_PARSE_ERROR_BAD_ENUM, 9, NULL,
    "<set> in measure \"x\"", "colour" },
  { "set-default-branch.xml", 0, TRUE, MOA_VALIDATION_ERROR_BAD_MEASURE, 9, NULL,
    "element \"richiesta/completa>fine\"", "default branch" },
  { "set-bad-segment.xml", 0, TRUE, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT, 9, NULL, "measure \"x\"",
    "grandi" },
  { "remove-gateway.xml", 0, TRUE, MOA_VALIDATION_ERROR_BAD_MEASURE, 5, NULL,
    "element \"richiesta/completa\"", "not an activity" },
  { "unknown-attribute.xml", 0, FALSE, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 5, NULL, "measure \"x\"",
    "obligations" },
  { "unknown-element.xml", 0, FALSE, MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 9, NULL, "<effect>",
    "<justification>" },
  { "add-next.xml", 0, FALSE, MOA_PARSE_ERROR_CONFLICT, 9, NULL, "activity \"nuova\"",
    "next=\"fine\"" },
  { "add-duplicate.xml", 0, FALSE, MOA_PARSE_ERROR_DUPLICATE_ID, 9, NULL, "measure \"x\"",
    "already has a node \"coda\"" },
  { "add-after-gateway.xml", 0, TRUE, MOA_VALIDATION_ERROR_BAD_MEASURE, 5, NULL,
    "after=\"richiesta/completa\"", "<xor>" },
  { "add-bad-value.xml", 0, FALSE, MOA_PARSE_ERROR_NEGATIVE, 9, NULL, "activity \"nuova\"",
    "-5 min" },
  { "add-obligation-duplicate.xml", 0, FALSE, MOA_PARSE_ERROR_DUPLICATE_ID, 9, NULL,
    "obligation \"rinnovo\"", "already an obligation" },
  { "add-obligation-group.xml", 0, TRUE, MOA_VALIDATION_ERROR_UNKNOWN_TARGET_GROUP, 9, NULL,
    "obligation \"nuova\"", "cittadini" },
  { "missing-baseline.xml", 0, FALSE, MOA_PARSE_ERROR_IO, 3, NULL, "scenario \"missing-baseline\"",
    "nowhere.xml" },
  { "baseline-model.xml", 0, FALSE, MOA_PARSE_ERROR_WRONG_ROOT, 4, "../models/scenario-test.xml",
    "<cost-model>", "baseline-model" },
  { "duplicate-measure.xml", 0, FALSE, MOA_PARSE_ERROR_DUPLICATE_ID, 10, NULL, "measure \"x\"",
    "line 5" },
  { "no-measure.xml", 0, FALSE, MOA_PARSE_ERROR_MISSING_ELEMENT, 3, NULL, "scenario \"no-measure\"",
    "<measure>" },
  { "population-group.xml", 0, TRUE, MOA_VALIDATION_ERROR_BAD_MEASURE, 5, NULL, "\"imprese\"",
    "target group with segments" },
  { "frequency-both.xml", 0, FALSE, MOA_PARSE_ERROR_CONFLICT, 5, NULL, "measure \"x\"",
    "exclude each other" },
  { "bad-address.xml", 0, FALSE, MOA_PARSE_ERROR_BAD_ID, 5, NULL, "measure \"x\"",
    "domanda/compila/x" },
  { "zero-years.xml", 0, FALSE, MOA_PARSE_ERROR_OUT_OF_RANGE, 3, NULL, "scenario \"zero-years\"",
    "one-off-years" },
  { "ambiguous-branch.xml", 0, TRUE, MOA_VALIDATION_ERROR_BAD_MEASURE, 10, NULL,
    "element \"avviso/scelta>invia\"", "ambiguous" },
  { "set-count-segment.xml", 0, TRUE, MOA_VALIDATION_ERROR_BAD_MEASURE, 9, NULL,
    "obligation \"comunicazione\"", "counts cases per year" },
  { "malformed.xml", 0, FALSE, MOA_PARSE_ERROR_MALFORMED, 4, NULL, "titel", NULL },
  { "wrong-root.xml", 0, FALSE, MOA_PARSE_ERROR_WRONG_ROOT, 3, NULL, "<procedure>", "<scenario>" },
};

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
      g_autoptr (GPtrArray) problems = moa_problems_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaScenario) scenario = moa_scenario_load_file (path, problems, &error);
      GQuark domain = c->validation ? MOA_VALIDATION_ERROR : MOA_PARSE_ERROR;

      if (scenario != NULL)
        fail_msg ("%s: loaded, expected an error", c->file);
      assert_non_null (error);
      assert_true (problems->len > 0);
      const MoaProblem *problem = g_ptr_array_index (problems, 0);
      if (error->domain != domain || error->code != c->code || problem->line != c->line
          || g_strcmp0 (problem->file, where) != 0 || strstr (error->message, c->element) == NULL
          || (c->detail != NULL && strstr (error->message, c->detail) == NULL))
        fail_msg ("%s: got %s %d, line %d, file %s: %s", c->file, g_quark_to_string (error->domain),
                  error->code, problem->line, problem->file, error->message);
      assert_string_equal (error->message, problem->message);
      /* every message starts with the file and line */
      g_autofree char *prefix = g_strdup_printf ("%s:%d: ", where, c->line);
      if (!g_str_has_prefix (error->message, prefix))
        fail_msg ("%s: \"%s\" does not start with \"%s\"", c->file, error->message, prefix);
    }
}

/* The exact text of the message about a removed element (docs/scenario-format.md). */
static void
test_removed_message (void **state)
{
  g_autofree char *path = data_path ("invalid/removed.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (path, NULL, &error);
  g_autofree char *expected = g_strdup_printf (
      "%s:10: measure \"portale\": element \"domanda/viaggio\" was removed by measure "
      "\"sportello\"",
      path);

  assert_null (scenario);
  assert_string_equal (error->message, expected);
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_digitalise),
    cmocka_unit_test (test_once_only),
    cmocka_unit_test (test_remove),
    cmocka_unit_test (test_change_frequency),
    cmocka_unit_test (test_change_population),
    cmocka_unit_test (test_set_parameter),
    cmocka_unit_test (test_add_activity),
    cmocka_unit_test (test_add_obligation),
    cmocka_unit_test (test_chain),
    cmocka_unit_test (test_measures),
    cmocka_unit_test (test_copy),
    cmocka_unit_test (test_applied_roundtrip),
    cmocka_unit_test (test_invalid),
    cmocka_unit_test (test_removed_message),
    cmocka_unit_test (test_schema),
    cmocka_unit_test (test_docs_example),
  };

  return cmocka_run_group_tests (tests, NULL, NULL);
}
