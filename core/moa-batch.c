/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Batch runs of a catalog into the result store: inputs hashed, units computed on worker
 * threads and written by the calling thread, one transaction each, resumable. */

#include "moa-config.h"

#include <inttypes.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-batch.h"
#include "moa-compare.h"
#include "moa-error.h"
#include "moa-plan.h"
#include "moa-scenario.h"
#include "moa-simulation.h"
#include "moa-xml.h"

G_DEFINE_QUARK (moa - batch - error - quark, moa_batch_error)

/* Deepest chain of scenarios built on scenarios that the input collection follows (the
 * scenario loader reports a longer or circular chain itself). */
#define MAX_CHAIN 64

void
moa_batch_options_init (MoaBatchOptions *options)
{
  g_return_if_fail (options != NULL);
  options->iterations = 0;
  options->seed = 1;
  options->jobs = 0;
  options->resume = FALSE;
}

guint64
moa_batch_unit_seed (guint64 run_seed, const char *procedure_id)
{
  g_return_val_if_fail (procedure_id != NULL, run_seed);

  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT ":%s", run_seed, procedure_id);
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *)text, (gssize)strlen (text));
  guint8 digest[32];
  gsize len = sizeof digest;
  g_checksum_get_digest (checksum, digest, &len);
  guint64 seed = 0;
  for (int i = 0; i < 8; i++)
    seed = (seed << 8) | digest[i];
  return seed;
}

char *
moa_batch_hash_file (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  FILE *f = fopen (path, "rb");
  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("%s: cannot be read to compute its SHA-256: %s"), path, g_strerror (saved));
      return NULL;
    }
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guchar buffer[65536];
  size_t n;
  while ((n = fread (buffer, 1, sizeof buffer, f)) > 0)
    g_checksum_update (checksum, buffer, (gssize)n);
  gboolean failed = ferror (f);
  int saved = errno;
  fclose (f);
  if (failed)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("%s: cannot be read to compute its SHA-256: %s"), path, g_strerror (saved));
      return NULL;
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* ------------------------------------------------------------------------------------------ */
/* Paths                                                                                      */

/* The absolute path of @path with links and ".." resolved when it exists (newly allocated):
 * how a run records its input files, so that running from another folder names them alike. */
static char *
canonical_path (const char *path)
{
  char *real = realpath (path, NULL);
  if (real != NULL)
    {
      char *copy = g_strdup (real);
      free (real);
      return copy;
    }
  return g_canonicalize_filename (path, NULL);
}

/* @path relative to the current folder when it is inside it, for messages (newly allocated). */
static char *
shown_path (const char *path)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *absolute = g_canonicalize_filename (path, cwd);
  gsize n = strlen (cwd);
  if (strncmp (absolute, cwd, n) == 0 && absolute[n] == G_DIR_SEPARATOR)
    return g_strdup (absolute + n + 1);
  return g_steal_pointer (&absolute);
}

static gboolean
same_file (const char *a, const char *b)
{
  g_autofree char *ca = canonical_path (a);
  g_autofree char *cb = canonical_path (b);
  return strcmp (ca, cb) == 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Inputs                                                                                     */

typedef struct
{
  char *path; /* canonical */
  const char *role;
  char *sha256;
} Input;

static void
input_free (Input *input)
{
  g_free (input->path);
  g_free (input->sha256);
  g_free (input);
}

/* Adds @path (made canonical) with @role unless it is already there. */
static void
add_input (GPtrArray *inputs, GHashTable *seen, const char *path, const char *role)
{
  char *canonical = canonical_path (path);
  if (g_hash_table_contains (seen, canonical))
    {
      g_free (canonical);
      return;
    }
  Input *input = g_new0 (Input, 1);
  input->path = canonical;
  input->role = role;
  g_hash_table_add (seen, canonical);
  g_ptr_array_add (inputs, input);
}

/* Adds the scenario files that the scenario @path is built on (its baseline chain, down to but
 * not including the procedure). Files that cannot be read are left to the unit, which reports
 * them. */
static void
add_parent_scenarios (GPtrArray *inputs, GHashTable *seen, const char *path)
{
  g_autofree char *current = g_strdup (path);
  for (int depth = 0; depth < MAX_CHAIN; depth++)
    {
      g_autoptr (MoaXmlNode) root = moa_xml_parse_file (current, NULL);
      if (root == NULL || strcmp (root->name, "scenario") != 0)
        return;
      const char *baseline = moa_xml_node_get_attr (root, "baseline");
      if (baseline == NULL)
        return;
      g_autofree char *resolved = NULL;
      if (g_path_is_absolute (baseline))
        resolved = g_strdup (baseline);
      else
        {
          g_autofree char *dir = g_path_get_dirname (current);
          resolved = g_build_filename (dir, baseline, NULL);
        }
      g_autoptr (MoaXmlNode) target = moa_xml_parse_file (resolved, NULL);
      if (target == NULL || strcmp (target->name, "scenario") != 0)
        return;
      g_autofree char *canonical = canonical_path (resolved);
      if (g_hash_table_contains (seen, canonical))
        return; /* already an input (and its chain followed), or a circular chain */
      add_input (inputs, seen, resolved, "scenario");
      g_free (current);
      current = g_steal_pointer (&resolved);
    }
}

/* Every input file of a run of @catalog under @model, hashed: the catalog, its CSV files,
 * procedures, scenarios, the scenarios those are built on, and the cost model file. Returns a
 * new array of Input*, or NULL with @error set when a file cannot be read. */
static GPtrArray *
collect_inputs (const MoaCatalog *catalog, const MoaCostModel *model, GError **error)
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify)input_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) procedures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) scenarios = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  GPtrArray *list = moa_catalog_get_procedures (catalog);
  for (guint i = 0; i < list->len; i++)
    {
      const MoaCatalogProcedure *cp = g_ptr_array_index (list, i);
      g_hash_table_add (procedures, canonical_path (cp->file));
      for (guint j = 0; cp->scenarios && j < cp->scenarios->len; j++)
        {
          const MoaCatalogScenario *cs = g_ptr_array_index (cp->scenarios, j);
          g_hash_table_add (scenarios, canonical_path (cs->file));
        }
    }

  add_input (inputs, seen, moa_catalog_get_file (catalog), "catalog");
  GPtrArray *files = moa_catalog_get_input_files (catalog);
  for (guint i = 0; files && i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *canonical = canonical_path (path);
      const char *role = g_hash_table_contains (procedures, canonical)  ? "procedure"
                         : g_hash_table_contains (scenarios, canonical) ? "scenario"
                                                                        : "territories";
      add_input (inputs, seen, path, role);
    }
  /* the catalog's own procedures and scenarios, should the catalog's list lack some */
  for (guint i = 0; i < list->len; i++)
    {
      const MoaCatalogProcedure *cp = g_ptr_array_index (list, i);
      add_input (inputs, seen, cp->file, "procedure");
      for (guint j = 0; cp->scenarios && j < cp->scenarios->len; j++)
        {
          const MoaCatalogScenario *cs = g_ptr_array_index (cp->scenarios, j);
          add_input (inputs, seen, cs->file, "scenario");
        }
    }
  for (guint i = 0; i < list->len; i++)
    {
      const MoaCatalogProcedure *cp = g_ptr_array_index (list, i);
      for (guint j = 0; cp->scenarios && j < cp->scenarios->len; j++)
        {
          const MoaCatalogScenario *cs = g_ptr_array_index (cp->scenarios, j);
          add_parent_scenarios (inputs, seen, cs->file);
        }
    }
  if (model->file != NULL)
    add_input (inputs, seen, model->file, "cost-model");

  for (guint i = 0; i < inputs->len; i++)
    {
      Input *input = g_ptr_array_index (inputs, i);
      input->sha256 = moa_batch_hash_file (input->path, error);
      if (input->sha256 == NULL)
        return NULL;
    }
  return g_steal_pointer (&inputs);
}

static int
compare_inputs (gconstpointer a, gconstpointer b)
{
  const Input *x = *(const Input *const *)a;
  const Input *y = *(const Input *const *)b;
  return strcmp (x->path, y->path);
}

/* SHA-256 over "PATH\tSHA256\n" of every input, sorted by path (MoaStoreRun.inputs_sha256). */
static char *
inputs_digest (GPtrArray *inputs)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_copy (inputs, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL); /* the copy would free the inputs */
  g_ptr_array_sort (sorted, compare_inputs);
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  for (guint i = 0; i < sorted->len; i++)
    {
      const Input *input = g_ptr_array_index (sorted, i);
      g_checksum_update (checksum, (const guchar *)input->path, (gssize)strlen (input->path));
      g_checksum_update (checksum, (const guchar *)"\t", 1);
      g_checksum_update (checksum, (const guchar *)input->sha256, (gssize)strlen (input->sha256));
      g_checksum_update (checksum, (const guchar *)"\n", 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* ------------------------------------------------------------------------------------------ */
/* Resuming                                                                                   */

/* TRUE when @run was started with the same inputs and options as the run described by @want. */
static gboolean
run_matches (const MoaStoreRun *run, const MoaStoreRun *want)
{
  return g_strcmp0 (run->inputs_sha256, want->inputs_sha256) == 0 && run->seed == want->seed
         && run->iterations == want->iterations
         && g_strcmp0 (run->cost_model, want->cost_model) == 0
         && g_strcmp0 (run->cost_model_version, want->cost_model_version) == 0
         && g_strcmp0 (run->moa_version, want->moa_version) == 0;
}

/* The first 12 hexadecimal digits of a SHA-256, for messages. */
static char *
short_hash (const char *sha256)
{
  return sha256 ? g_strndup (sha256, 12) : g_strdup ("?");
}

/* Says what differs between the unfinished run @run and this call (@want, @inputs): the first
 * option, then the first file. Returns a new string. */
static char *
explain_mismatch (MoaStore *store, const MoaStoreRun *run, const MoaStoreRun *want,
                  GPtrArray *inputs)
{
  if (run->iterations != want->iterations)
    return g_strdup_printf (_ ("it was started with --iterations %u, not %u; give --iterations %u "
                               "to resume it"),
                            run->iterations, want->iterations, run->iterations);
  if (run->seed != want->seed)
    return g_strdup_printf (_ ("it was started with --seed %" PRIu64 ", not %" PRIu64
                               "; give --seed %" PRIu64 " to resume it"),
                            run->seed, want->seed, run->seed);
  if (g_strcmp0 (run->cost_model, want->cost_model) != 0
      || g_strcmp0 (run->cost_model_version, want->cost_model_version) != 0)
    return g_strdup_printf (_ ("it was started with cost model %s version %s, and this one is "
                               "%s version %s"),
                            run->cost_model, run->cost_model_version, want->cost_model,
                            want->cost_model_version);
  if (g_strcmp0 (run->moa_version, want->moa_version) != 0)
    return g_strdup_printf (_ ("it was started by moa %s, and this is moa %s"), run->moa_version,
                            want->moa_version);

  /* the files: what the store recorded against what is read now */
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaReport) report = moa_store_read_report (store, run->id, &error);
  if (report == NULL || report->inputs == NULL)
    return g_strdup (_ ("its input files differ from the ones read now"));
  g_autoptr (GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < report->inputs->len; i++)
    {
      const MoaReportInput *in = g_ptr_array_index (report->inputs, i);
      g_hash_table_insert (stored, in->path, in->sha256);
    }
  for (guint i = 0; i < inputs->len; i++)
    {
      const Input *input = g_ptr_array_index (inputs, i);
      g_autofree char *shown = shown_path (input->path);
      gpointer then = NULL;
      if (!g_hash_table_lookup_extended (stored, input->path, NULL, &then))
        return g_strdup_printf (_ ("%s is an input now but was not one of the run"), shown);
      if (g_strcmp0 (then, input->sha256) != 0)
        {
          g_autofree char *a = short_hash (then);
          g_autofree char *b = short_hash (input->sha256);
          /* TRANSLATORS: a file, then the start of its SHA-256 when the run started and now */
          return g_strdup_printf (_ ("%s has changed since the run started (SHA-256 %s… then, "
                                     "%s… now); restore it to resume the run"),
                                  shown, a, b);
        }
      g_hash_table_remove (stored, input->path);
    }
  GHashTableIter iter;
  gpointer path;
  g_hash_table_iter_init (&iter, stored);
  if (g_hash_table_iter_next (&iter, &path, NULL))
    {
      g_autofree char *shown = shown_path (path);
      return g_strdup_printf (_ ("%s was an input of the run and is not one any more"), shown);
    }
  return g_strdup (_ ("its input files differ from the ones read now"));
}

/* ------------------------------------------------------------------------------------------ */
/* Units                                                                                      */

/* A scenario of a unit: one the catalog lists, or one a listed scenario is built on. */
typedef struct
{
  char *file;
  gboolean programme;
  int line; /* in the catalog: of the scenario, or of the scenario built on this one */
} UnitScenario;

static UnitScenario *
unit_scenario_new (const char *file, gboolean programme, int line)
{
  UnitScenario *us = g_new0 (UnitScenario, 1);
  us->file = g_strdup (file);
  us->programme = programme;
  us->line = line;
  return us;
}

static void
unit_scenario_free (UnitScenario *us)
{
  g_free (us->file);
  g_free (us);
}

typedef struct
{
  guint index; /* in the catalog's procedures */
  const MoaCatalogProcedure *cp;
  MoaProcedure *procedure;
  MoaPlan *plan;
  MoaResult *before;
  MoaSimulation *simulation;
  GPtrArray *jobs;        /* UnitScenario*: cp->scenarios, then the unlisted ones below them */
  GPtrArray *scenarios;   /* MoaScenario*, jobs order */
  GPtrArray *comparisons; /* MoaComparison*, the same order */
  GPtrArray *problems;    /* MoaProblem* */
  GError *error;          /* set when the unit failed */
} Unit;

static void
unit_free (Unit *unit)
{
  /* the comparisons borrow the scenarios, the simulation the plan */
  g_clear_pointer (&unit->comparisons, g_ptr_array_unref);
  g_clear_pointer (&unit->scenarios, g_ptr_array_unref);
  g_clear_pointer (&unit->jobs, g_ptr_array_unref);
  g_clear_pointer (&unit->simulation, moa_simulation_free);
  g_clear_pointer (&unit->before, moa_result_unref);
  g_clear_pointer (&unit->plan, moa_plan_free);
  g_clear_pointer (&unit->procedure, moa_procedure_unref);
  g_clear_pointer (&unit->problems, g_ptr_array_unref);
  g_clear_error (&unit->error);
  g_free (unit);
}

typedef struct
{
  const MoaCatalog *catalog;
  MoaModelSet *models;
  MoaCostModel *model;
  guint iterations;
  guint64 seed;
  GCancellable *cancellable;

  GArray *todo; /* guint indexes of the procedures to compute */
  GAsyncQueue *queue;
  guint max_outstanding;

  GMutex lock; /* protects what follows */
  GCond cond;
  guint next;
  guint outstanding; /* units taken and not yet written */
  gboolean stop;     /* a unit or a write failed */
} Batch;

/* Pushed by a worker when it exits. */
static int worker_done;

/* Records in @unit the failure @error (taken) and, when no problem names it, a problem made
 * from it. */
static void
unit_fail (Unit *unit, GError *error)
{
  if (error == NULL)
    error = g_error_new (MOA_BATCH_ERROR, MOA_BATCH_ERROR_UNIT, _ ("%s: cannot be computed"),
                         unit->cp->file);
  if (unit->problems->len == 0)
    {
      if (g_str_has_prefix (error->message, unit->cp->file))
        moa_problems_add (unit->problems, error->domain, error->code, NULL, 0, NULL, "%s",
                          error->message);
      else
        moa_problems_add (unit->problems, error->domain, error->code, NULL, 0, NULL, "%s: %s",
                          unit->cp->file, error->message);
    }
  unit->error = error;
}

/* Checks that @procedure is the catalog's procedure @cp: same id, price year, currency and
 * cost model. Problems are appended to @problems. */
static void
check_identity (Batch *b, const MoaCatalogProcedure *cp, const MoaProcedure *procedure,
                GPtrArray *problems)
{
  const char *catalog_file = moa_catalog_get_file (b->catalog);
  g_autofree char *label = g_strdup_printf (_ ("procedure \"%s\""), procedure->id);

  if (g_strcmp0 (procedure->id, cp->id) != 0)
    /* TRANSLATORS: the catalog file and line, then the id the catalog gives */
    moa_problems_add (problems, MOA_BATCH_ERROR, MOA_BATCH_ERROR_CATALOG, cp->file, procedure->line,
                      label,
                      _ ("the catalog %s:%d lists this file as procedure \"%s\"; the "
                         "ids must be equal"),
                      catalog_file, cp->line, cp->id);
  if (procedure->price_year != moa_catalog_get_price_year (b->catalog))
    moa_problems_add (problems, MOA_BATCH_ERROR, MOA_BATCH_ERROR_CATALOG, cp->file, procedure->line,
                      label,
                      _ ("price year %d differs from the catalog's, %d (%s); every "
                         "procedure of a catalog is at the catalog's price year"),
                      procedure->price_year, moa_catalog_get_price_year (b->catalog), catalog_file);
  const char *currency = procedure->currency ? procedure->currency : "EUR";
  if (g_strcmp0 (currency, moa_catalog_get_currency (b->catalog)) != 0)
    moa_problems_add (problems, MOA_BATCH_ERROR, MOA_BATCH_ERROR_CATALOG, cp->file, procedure->line,
                      label, _ ("currency %s differs from the catalog's, %s (%s)"), currency,
                      moa_catalog_get_currency (b->catalog), catalog_file);
  if (g_strcmp0 (procedure->cost_model, moa_catalog_get_cost_model (b->catalog)) != 0)
    moa_problems_add (problems, MOA_BATCH_ERROR, MOA_BATCH_ERROR_CATALOG, cp->file, procedure->line,
                      label,
                      _ ("cost model \"%s\" differs from the catalog's, \"%s\" (%s); "
                         "a run evaluates every procedure with one cost model"),
                      procedure->cost_model ? procedure->cost_model : "",
                      moa_catalog_get_cost_model (b->catalog), catalog_file);
}

/* Loads, checks and computes the unit of procedure @index. Never returns NULL: a failed unit
 * has its error set. Runs on a worker thread: touches no shared state but @b's read-only
 * fields. */
static Unit *
compute_unit (Batch *b, guint index)
{
  GPtrArray *procedures = moa_catalog_get_procedures (b->catalog);
  Unit *u = g_new0 (Unit, 1);
  u->index = index;
  u->cp = g_ptr_array_index (procedures, index);
  u->problems = moa_problems_new ();
  u->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)unit_scenario_free);
  u->scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_scenario_free);
  u->comparisons = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_comparison_free);
  GError *error = NULL;

  u->procedure = moa_procedure_load_file (u->cp->file, u->problems, &error);
  if (u->procedure == NULL || u->problems->len > 0)
    goto fail;
  check_identity (b, u->cp, u->procedure, u->problems);
  u->plan = moa_plan_new (u->procedure, b->model, u->problems, &error);
  if (u->plan == NULL || u->problems->len > 0)
    goto fail;
  u->before = moa_plan_evaluate (u->plan, NULL, &error);
  if (u->before == NULL)
    goto fail;

  MoaCompareOptions options;
  moa_compare_options_init (&options);
  options.iterations = b->iterations;
  options.seed = moa_batch_unit_seed (b->seed, u->cp->id);
  options.threads = 1; /* the parallelism is the workers' */
  /* the store keeps the Monte Carlo series of the totals only (moa-store.c, quantities[]) */
  options.totals_only = TRUE;

  for (guint i = 0; u->cp->scenarios && i < u->cp->scenarios->len; i++)
    {
      const MoaCatalogScenario *listed = g_ptr_array_index (u->cp->scenarios, i);
      g_ptr_array_add (u->jobs, unit_scenario_new (listed->file, listed->programme, listed->line));
    }
  for (guint i = 0; i < u->jobs->len; i++)
    {
      const UnitScenario *cs = g_ptr_array_index (u->jobs, i);
      MoaScenario *scenario = moa_scenario_load_file (cs->file, u->problems, &error);
      if (scenario == NULL || u->problems->len > 0)
        {
          g_clear_pointer (&scenario, moa_scenario_free);
          goto fail;
        }
      g_ptr_array_add (u->scenarios, scenario);

      const MoaProcedure *bottom = moa_scenario_get_baseline (scenario);
      if (bottom == NULL || bottom->file == NULL || !same_file (bottom->file, u->cp->file))
        {
          g_autofree char *bottom_file
              = bottom && bottom->file ? shown_path (bottom->file) : g_strdup ("?");
          /* TRANSLATORS: the scenario file, the procedure file its baseline chain ends at, the
           * catalog's procedure file, then the catalog file and line */
          moa_problems_add (u->problems, MOA_BATCH_ERROR, MOA_BATCH_ERROR_CATALOG, cs->file, 0,
                            NULL,
                            _ ("this scenario applies to the procedure %s, not to %s, under "
                               "which the catalog %s:%d lists it"),
                            bottom_file, u->cp->file, moa_catalog_get_file (b->catalog), cs->line);
          goto fail;
        }

      g_autoptr (MoaProcedure) before = moa_scenario_apply_parents (scenario, &error);
      if (before == NULL)
        goto fail;
      g_autoptr (MoaProcedure) after = moa_scenario_apply (scenario, G_MAXUINT, -1, &error);
      if (after == NULL)
        goto fail;
      /* the procedure the measures give must pass every check, as moa compare requires */
      g_autoptr (GPtrArray) after_problems = moa_problems_new ();
      g_autoptr (MoaPlan) after_plan = moa_plan_new (after, b->model, after_problems, &error);
      if (after_plan == NULL || after_problems->len > 0)
        {
          moa_problems_add (u->problems, MOA_BATCH_ERROR, MOA_BATCH_ERROR_UNIT, cs->file, 0, NULL,
                            _ ("the procedure that results from the measures is not valid (line "
                               "numbers refer to the baseline or to the scenario):"));
          for (guint k = 0; k < after_problems->len; k++)
            g_ptr_array_add (u->problems, g_steal_pointer (&after_problems->pdata[k]));
          g_ptr_array_set_free_func (after_problems, NULL);
          goto fail;
        }

      /* A scenario built on another one saves, measure by measure, only what it adds to that
       * one: the scenarios below it are compared too (when the catalog does not list them),
       * so that the report counts the measures of the whole chain. */
      for (const MoaScenario *parent = moa_scenario_get_parent (scenario); parent != NULL;
           parent = moa_scenario_get_parent (parent))
        {
          gboolean listed = FALSE;
          for (guint k = 0; k < u->jobs->len && !listed; k++)
            {
              const UnitScenario *other = g_ptr_array_index (u->jobs, k);
              listed = same_file (other->file, moa_scenario_get_file (parent));
            }
          if (!listed)
            g_ptr_array_add (u->jobs,
                             unit_scenario_new (moa_scenario_get_file (parent), FALSE, cs->line));
        }

      MoaComparison *comparison = moa_compare (before, after, scenario, b->models, b->model,
                                               &options, NULL, NULL, NULL, &error);
      if (comparison == NULL)
        goto fail;
      g_ptr_array_add (u->comparisons, comparison);
    }

  /* The baseline's run, on the unit's seed, is the reference of every scenario's saving (the
   * draws are keyed by element, so it is paired with every comparison's after run). The
   * comparison of a scenario built directly on the procedure has made it already, as its
   * before run, and every chain above includes such a scenario: the baseline is simulated on
   * its own only when the procedure has no scenario. */
  gboolean baseline_simulated = FALSE;
  for (guint i = 0; i < u->scenarios->len; i++)
    baseline_simulated |= moa_scenario_get_parent (g_ptr_array_index (u->scenarios, i)) == NULL;
  if (b->iterations > 0 && !baseline_simulated)
    {
      MoaSimulationOptions so;
      moa_simulation_options_init (&so);
      so.seed = options.seed;
      so.iterations = b->iterations;
      so.threads = 1;
      so.totals_only = options.totals_only;
      u->simulation = moa_simulate (u->plan, &so, NULL, NULL, NULL, &error);
      if (u->simulation == NULL)
        goto fail;
    }
  return u;

fail:
  if (error == NULL && u->problems->len > 0)
    {
      const MoaProblem *first = g_ptr_array_index (u->problems, 0);
      error = g_error_new_literal (first->domain, first->code, first->message);
    }
  unit_fail (u, error);
  return u;
}

static gpointer
worker (gpointer data)
{
  Batch *b = data;
  for (;;)
    {
      g_mutex_lock (&b->lock);
      while (!b->stop && b->outstanding >= b->max_outstanding
             && !g_cancellable_is_cancelled (b->cancellable))
        g_cond_wait (&b->cond, &b->lock);
      if (b->stop || b->next >= b->todo->len || g_cancellable_is_cancelled (b->cancellable))
        {
          g_mutex_unlock (&b->lock);
          break;
        }
      guint index = g_array_index (b->todo, guint, b->next);
      b->next++;
      b->outstanding++;
      g_mutex_unlock (&b->lock);

      Unit *unit = compute_unit (b, index);
      if (unit->error != NULL)
        {
          g_mutex_lock (&b->lock);
          b->stop = TRUE;
          g_cond_broadcast (&b->cond);
          g_mutex_unlock (&b->lock);
        }
      g_async_queue_push (b->queue, unit);
    }
  g_async_queue_push (b->queue, &worker_done);
  return NULL;
}

/* Wakes the workers waiting for room when the run is cancelled. */
static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  Batch *b = data;
  g_mutex_lock (&b->lock);
  g_cond_broadcast (&b->cond);
  g_mutex_unlock (&b->lock);
}

/* Writes @unit to the store as one transaction. */
static gboolean
write_unit (MoaStore *store, gint64 run_id, const MoaCatalog *catalog, const Unit *unit,
            GError **error)
{
  guint n = unit->scenarios->len;
  g_autofree MoaStoreScenario *scenarios = g_new0 (MoaStoreScenario, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const UnitScenario *cs = g_ptr_array_index (unit->jobs, i);
      scenarios[i].file = cs->file;
      scenarios[i].scenario = g_ptr_array_index (unit->scenarios, i);
      scenarios[i].programme = cs->programme;
      scenarios[i].comparison = g_ptr_array_index (unit->comparisons, i);
    }
  MoaStoreUnit su = {
    .file = unit->cp->file,
    .procedure = unit->procedure,
    .before = unit->before,
    .simulation = unit->simulation,
    .scenarios = scenarios,
    .n_scenarios = n,
  };
  return moa_store_write_unit (store, run_id, catalog, &su, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The run                                                                                    */

static char *
now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

gint64
moa_batch_run (const MoaCatalog *catalog, MoaStore *store, MoaModelSet *models,
               const MoaBatchOptions *options, GCancellable *cancellable,
               MoaBatchProgressFunc progress, gpointer user_data, MoaBatchStatus *status,
               GPtrArray *problems, GError **error)
{
  g_return_val_if_fail (catalog != NULL, 0);
  g_return_val_if_fail (store != NULL, 0);
  g_return_val_if_fail (models != NULL, 0);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  MoaBatchStatus local_status;
  if (status == NULL)
    status = &local_status;
  memset (status, 0, sizeof *status);
  MoaBatchOptions defaults;
  moa_batch_options_init (&defaults);
  if (options == NULL)
    options = &defaults;

  const char *catalog_file = moa_catalog_get_file (catalog);
  const char *model_id = moa_catalog_get_cost_model (catalog);
  MoaCostModel *model = model_id ? moa_model_set_lookup (models, model_id) : NULL;
  if (model == NULL)
    {
      g_autofree char *available = moa_model_set_get_ids (models);
      g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL,
                   _ ("%s: cost model \"%s\" is not among the models loaded; available: %s"),
                   catalog_file, model_id ? model_id : "", available);
      return 0;
    }
  if (model->currency && g_strcmp0 (model->currency, moa_catalog_get_currency (catalog)) != 0)
    {
      g_set_error (error, MOA_BATCH_ERROR, MOA_BATCH_ERROR_CATALOG,
                   _ ("%s: currency %s differs from that of cost model \"%s\", %s"), catalog_file,
                   moa_catalog_get_currency (catalog), model->id, model->currency);
      return 0;
    }

  g_autoptr (GPtrArray) inputs = collect_inputs (catalog, model, error);
  if (inputs == NULL)
    return 0;
  GPtrArray *procedures = moa_catalog_get_procedures (catalog);
  status->units_total = procedures->len;

  g_autofree char *inputs_sha256 = inputs_digest (inputs);
  g_autofree char *started_at = now_iso8601 ();
  g_autofree char *catalog_canonical = canonical_path (catalog_file);
  const Input *catalog_input = g_ptr_array_index (inputs, 0);
  MoaStoreRun want = {
    .status = (char *)"running",
    .catalog_id = (char *)moa_catalog_get_id (catalog),
    .catalog_file = catalog_canonical,
    .catalog_sha256 = catalog_input->sha256,
    .inputs_sha256 = inputs_sha256,
    .moa_version = (char *)PACKAGE_VERSION,
    .seed = options->seed,
    .iterations = options->iterations,
    .cost_model = model->id,
    .cost_model_version = model->version,
    .price_year = moa_catalog_get_price_year (catalog),
    .currency = (char *)moa_catalog_get_currency (catalog),
    .started_at = started_at,
    .units_total = procedures->len,
  };

  gint64 run_id = 0;
  if (options->resume)
    {
      g_autoptr (GPtrArray) runs = moa_store_list_runs (store, error);
      if (runs == NULL)
        return 0;
      const MoaStoreRun *newest = NULL, *match = NULL;
      for (guint i = 0; i < runs->len && match == NULL; i++)
        {
          const MoaStoreRun *run = g_ptr_array_index (runs, i);
          if (g_strcmp0 (run->status, "complete") == 0
              || g_strcmp0 (run->catalog_id, want.catalog_id) != 0)
            continue;
          if (newest == NULL)
            newest = run;
          if (run_matches (run, &want))
            match = run;
        }
      if (match != NULL)
        {
          run_id = match->id;
          status->resumed = TRUE;
        }
      else if (newest != NULL)
        {
          g_autofree char *why = explain_mismatch (store, newest, &want, inputs);
          /* TRANSLATORS: the run id, the catalog id, then why (a sentence) */
          g_set_error (error, MOA_STORE_ERROR, MOA_STORE_ERROR_MISMATCH,
                       _ ("cannot resume run %" PRId64 " of catalog \"%s\": %s; or start "
                          "a new run without --resume"),
                       newest->id, want.catalog_id, why);
          return 0;
        }
      else
        status->nothing_to_resume = TRUE;
    }

  if (run_id == 0)
    {
      g_autofree MoaStoreInput *store_inputs = g_new0 (MoaStoreInput, MAX (inputs->len, 1));
      for (guint i = 0; i < inputs->len; i++)
        {
          const Input *input = g_ptr_array_index (inputs, i);
          store_inputs[i].path = input->path;
          store_inputs[i].role = input->role;
          store_inputs[i].sha256 = input->sha256;
        }
      run_id = moa_store_begin_run (store, &want, store_inputs, inputs->len, catalog, error);
      if (run_id == 0)
        return 0;
    }
  status->run_id = run_id;

  g_autoptr (GHashTable) done = NULL;
  if (status->resumed)
    {
      done = moa_store_get_done_units (store, run_id, error);
      if (done == NULL)
        return 0;
    }
  Batch b = {
    .catalog = catalog,
    .models = models,
    .model = model,
    .iterations = options->iterations,
    .seed = options->seed,
    .cancellable = cancellable,
  };
  b.todo = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < procedures->len; i++)
    {
      const MoaCatalogProcedure *cp = g_ptr_array_index (procedures, i);
      if (done != NULL && g_hash_table_contains (done, cp->id))
        status->units_skipped++;
      else
        g_array_append_val (b.todo, i);
    }
  if (progress)
    progress (status->units_skipped, status->units_total, NULL, user_data);

  guint jobs = options->jobs > 0 ? options->jobs : g_get_num_processors ();
  jobs = MAX (1, MIN (jobs, b.todo->len));
  b.max_outstanding = 2 * jobs; /* bounds the results waiting for the writer */
  b.queue = g_async_queue_new ();
  g_mutex_init (&b.lock);
  g_cond_init (&b.cond);
  gulong handler = 0;
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), &b, NULL);

  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  if (b.todo->len > 0 && !g_cancellable_is_cancelled (cancellable))
    for (guint i = 0; i < jobs; i++)
      g_ptr_array_add (threads, g_thread_new ("moa-batch", worker, &b));

  GError *failure = NULL; /* the first unit or write failure */
  guint exited = 0;
  while (exited < threads->len)
    {
      gpointer item = g_async_queue_pop (b.queue);
      if (item == &worker_done)
        {
          exited++;
          continue;
        }
      Unit *unit = item;
      if (unit->error != NULL)
        {
          if (failure == NULL)
            failure = g_error_copy (unit->error);
          if (problems != NULL)
            for (guint i = 0; i < unit->problems->len; i++)
              g_ptr_array_add (problems, g_steal_pointer (&unit->problems->pdata[i]));
          g_ptr_array_set_size (unit->problems, 0);
        }
      else if (failure == NULL || failure->domain != MOA_STORE_ERROR)
        {
          GError *write_error = NULL;
          if (write_unit (store, run_id, catalog, unit, &write_error))
            {
              status->units_written++;
              if (progress)
                progress (status->units_skipped + status->units_written, status->units_total,
                          unit->cp->id, user_data);
            }
          else
            {
              g_clear_error (&failure);
              failure = write_error;
              g_mutex_lock (&b.lock);
              b.stop = TRUE;
              g_mutex_unlock (&b.lock);
            }
        }
      unit_free (unit);
      g_mutex_lock (&b.lock);
      b.outstanding--;
      g_cond_broadcast (&b.cond);
      g_mutex_unlock (&b.lock);
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  if (handler)
    g_cancellable_disconnect (cancellable, handler);
  g_async_queue_unref (b.queue);
  g_mutex_clear (&b.lock);
  g_cond_clear (&b.cond);
  g_array_unref (b.todo);

  if (failure != NULL)
    {
      if (failure->domain == MOA_STORE_ERROR)
        g_propagate_error (error, failure);
      else
        {
          g_set_error (error, MOA_BATCH_ERROR, MOA_BATCH_ERROR_UNIT, "%s", failure->message);
          g_error_free (failure);
        }
      return 0;
    }
  if (status->units_skipped + status->units_written < status->units_total)
    {
      /* only a cancellation stops the workers without a failure */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("the run was interrupted"));
      return 0;
    }
  if (!moa_store_finish_run (store, run_id, error))
    return 0;
  status->complete = TRUE;
  return run_id;
}
