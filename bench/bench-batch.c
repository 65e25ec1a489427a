/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark of moa batch (issue 5): a generated catalog of 300 procedures (copies of the
 * bundled ones with new ids and perturbed populations, each with a before/after scenario) over
 * 1,500 municipalities, run into a fresh result store deterministically (target <= 60 s), then
 * with 1,000 Monte Carlo iterations per procedure (target <= 10 min; skipped with --quick or
 * MOA_BENCH_QUICK=1). Prints the time, what was written and the peak RSS. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "moa-batch.h"
#include "moa-catalog.h"
#include "moa-store.h"
#include "moa-xml.h"
#include "moa.h"

#include "bench-support.h"

#define TARGET_DETERMINISTIC_S 60.0
#define TARGET_MONTE_CARLO_S 600.0
#define MC_ITERATIONS 1000

static const char *
verdict (gboolean ok)
{
  return ok ? "met" : "NOT MET";
}

/* A bundled procedure and the scenario whose baseline it is directly. */
typedef struct
{
  char *procedure; /* path */
  char *scenario;  /* path, or NULL */
} Base;

static void
base_free (Base *b)
{
  g_free (b->procedure);
  g_free (b->scenario);
  g_free (b);
}

/* g_ptr_array_sort() order of two char* (it passes pointers to the elements). */
static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* The bundled procedures of @root/procedures, each with its first scenario built directly on
 * it (a scenario built on another scenario is left out: the copies keep one phase). */
static GPtrArray *
find_bases (const char *root)
{
  g_autofree char *dir = g_build_filename (root, "procedures", NULL);
  g_autofree char *sdir = g_build_filename (dir, "scenarios", NULL);
  GPtrArray *bases = g_ptr_array_new_with_free_func ((GDestroyNotify)base_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    g_error ("%s cannot be read", dir);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *n = g_dir_read_name (d); n; n = g_dir_read_name (d))
    if (g_str_has_suffix (n, ".xml"))
      g_ptr_array_add (names, g_strdup (n));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      Base *b = g_new0 (Base, 1);
      b->procedure = g_build_filename (dir, name, NULL);
      g_autoptr (GDir) sd = g_dir_open (sdir, 0, NULL);
      g_autoptr (GPtrArray) snames = g_ptr_array_new_with_free_func (g_free);
      for (const char *s = sd ? g_dir_read_name (sd) : NULL; s; s = g_dir_read_name (sd))
        if (g_str_has_suffix (s, ".xml"))
          g_ptr_array_add (snames, g_strdup (s));
      for (guint k = 0; k < snames->len && b->scenario == NULL; k++)
        {
          g_autofree char *spath = g_build_filename (sdir, g_ptr_array_index (snames, k), NULL);
          g_autoptr (MoaXmlNode) root_node = moa_xml_parse_file (spath, NULL);
          const char *baseline = root_node ? moa_xml_node_get_attr (root_node, "baseline") : NULL;
          g_autofree char *want = g_strconcat ("../", name, NULL);
          if (baseline && strcmp (baseline, want) == 0)
            b->scenario = g_steal_pointer (&spath);
        }
      g_ptr_array_add (bases, b);
    }
  return bases;
}

/* Writes copy @n of @base into @dir: the procedure with id "ID-gNNN" and every segment's
 * population scaled by a factor from 0.5 to 1.5, and its scenario with its baseline pointing at
 * the copy. Appends the catalog's <procedure> element to @catalog. */
static void
write_copy (const Base *base, guint n, const char *dir, GRand *rand, GString *catalog)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) p = moa_procedure_load_file (base->procedure, NULL, &error);
  if (p == NULL)
    g_error ("%s", error->message);
  char *id = g_strdup_printf ("%s-g%03u", p->id, n);
  g_free (p->id);
  p->id = id;
  double factor = g_rand_double_range (rand, 0.5, 1.5);
  for (guint g = 0; g < p->target_groups->len; g++)
    {
      MoaTargetGroup *group = g_ptr_array_index (p->target_groups, g);
      for (guint s = 0; s < group->segments->len; s++)
        {
          MoaSegment *segment = g_ptr_array_index (group->segments, s);
          if (segment->population == NULL || group->kind == MOA_TARGET_ADMINISTRATION)
            continue;
          double x = MAX (1.0, round (segment->population->mean * factor));
          MoaValue *scaled = moa_value_new_fixed (MOA_DIM_COUNT, x, NULL);
          moa_value_unref (segment->population);
          segment->population = scaled;
        }
    }
  g_autofree char *file = g_strdup_printf ("%s.xml", id);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  if (!moa_procedure_save (p, path, &error))
    g_error ("%s", error->message);
  g_string_append_printf (catalog, "  <procedure id=\"%s\" file=\"%s\">\n", id, file);

  if (base->scenario)
    {
      g_autofree char *text = NULL;
      if (!g_file_get_contents (base->scenario, &text, NULL, &error))
        g_error ("%s", error->message);
      g_autofree char *name = g_path_get_basename (base->procedure);
      g_autofree char *from = g_strdup_printf ("baseline=\"../%s\"", name);
      g_autofree char *to = g_strdup_printf ("baseline=\"%s\"", file);
      g_auto (GStrv) parts = g_strsplit (text, from, 2);
      if (g_strv_length (parts) != 2)
        g_error ("%s: no %s", base->scenario, from);
      g_autofree char *copy = g_strjoin (to, parts[0], parts[1], NULL);
      g_autofree char *sfile = g_strdup_printf ("%s-after.xml", id);
      g_autofree char *spath = g_build_filename (dir, sfile, NULL);
      if (!g_file_set_contents (spath, copy, -1, &error))
        g_error ("%s", error->message);
      g_string_append_printf (catalog, "    <scenario file=\"%s\"/>\n", sfile);
    }
  g_string_append (catalog, "  </procedure>\n");
}

/* Generates the catalog in @dir; returns its path. */
static char *
generate (const char *dir, guint n_procedures, guint n_municipalities, guint *n_scenarios)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240705);
  g_autoptr (GPtrArray) bases = find_bases (MOA_SOURCE_ROOT);
  g_autoptr (GString) csv = g_string_new ("id,name,kind,parent,population,source\n");
  double population = 0;
  for (guint i = 0; i < n_municipalities; i++)
    {
      int residents = g_rand_int_range (rand, 300, 14000);
      population += residents;
      g_string_append_printf (csv, "M%04u,Comune %u,municipality,,%d,illustrative: generated\n", i,
                              i, residents);
    }
  g_autofree char *csv_path = g_build_filename (dir, "comuni.csv", NULL);
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (csv_path, csv->str, -1, &error))
    g_error ("%s", error->message);

  g_autoptr (GString) catalog = g_string_new (NULL);
  g_string_append_printf (catalog,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<catalog format=\"1\" id=\"bench\" cost-model=\"it-moa\" "
                          "price-year=\"2024\" currency=\"EUR\" population=\"%.0f\">\n"
                          "  <title lang=\"en\">Generated benchmark catalog</title>\n"
                          "  <source>illustrative: generated by bench-batch</source>\n",
                          population);
  *n_scenarios = 0;
  for (guint i = 0; i < n_procedures; i++)
    {
      const Base *base = g_ptr_array_index (bases, i % bases->len);
      write_copy (base, i, dir, rand, catalog);
      *n_scenarios += base->scenario != NULL;
    }
  g_string_append (catalog, "  <territories file=\"comuni.csv\"/>\n</catalog>\n");
  char *path = g_build_filename (dir, "catalog.xml", NULL);
  if (!g_file_set_contents (path, catalog->str, -1, &error))
    g_error ("%s", error->message);
  return path;
}

/* Runs the batch into a fresh store @db; returns the seconds, or -1 on failure. */
static double
run (const MoaCatalog *catalog, MoaModelSet *models, const char *db, guint iterations)
{
  g_autoptr (GError) error = NULL;
  g_remove (db);
  g_autoptr (MoaStore) store = moa_store_open (db, TRUE, &error);
  if (store == NULL)
    {
      printf ("ERROR: %s\n", error->message);
      return -1;
    }
  MoaBatchOptions options;
  moa_batch_options_init (&options);
  options.iterations = iterations;
  options.seed = 20240705;
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  MoaBatchStatus status;
  gint64 t0 = g_get_monotonic_time ();
  gint64 id = moa_batch_run (catalog, store, models, &options, NULL, NULL, NULL, &status, problems,
                             &error);
  double seconds = (double)(g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  if (id == 0)
    {
      for (guint i = 0; i < problems->len; i++)
        printf ("%s\n", ((MoaProblem *)g_ptr_array_index (problems, i))->message);
      printf ("ERROR: %s\n", error->message);
      return -1;
    }
  return seconds;
}

static void
print_written (const char *db, guint n_procedures, guint n_scenarios, guint n_territories)
{
  GStatBuf st;
  double mib = g_stat (db, &st) == 0 ? st.st_size / 1048576.0 : -1;
  printf ("  written: %u units (procedures) with %u scenario comparisons; %u territory results "
          "(%u procedures x %u municipalities); store %.1f MiB\n",
          n_procedures, n_scenarios, n_procedures * n_territories, n_procedures, n_territories,
          mib);
}

int
main (int argc, char **argv)
{
  gboolean quick = g_strcmp0 (g_getenv ("MOA_BENCH_QUICK"), "1") == 0;
  guint n_procedures = 300, n_municipalities = 1500;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--quick") == 0)
        quick = TRUE;
      else if (strcmp (argv[i], "--procedures") == 0 && i + 1 < argc)
        n_procedures = (guint)strtoul (argv[++i], NULL, 10);
      else if (strcmp (argv[i], "--municipalities") == 0 && i + 1 < argc)
        n_municipalities = (guint)strtoul (argv[++i], NULL, 10);
      else
        {
          fprintf (stderr, "usage: bench-batch [--quick] [--procedures N] [--municipalities N]\n"
                           "  --quick (or MOA_BENCH_QUICK=1): skip the Monte Carlo run\n");
          return 2;
        }
    }
  if (n_procedures < 1 || n_municipalities < 1)
    return 2;

  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("moa-bench-batch-XXXXXX", &error);
  if (tmp == NULL)
    g_error ("%s", error->message);
  gint64 t0 = g_get_monotonic_time ();
  guint n_scenarios = 0;
  g_autofree char *catalog_path = generate (tmp, n_procedures, n_municipalities, &n_scenarios);
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (MoaCatalog) catalog = moa_catalog_load_file (catalog_path, problems, &error);
  if (catalog == NULL || problems->len > 0)
    {
      for (guint i = 0; i < problems->len; i++)
        printf ("%s\n", ((MoaProblem *)g_ptr_array_index (problems, i))->message);
      g_error ("%s", error ? error->message : "the generated catalog has problems");
    }
  g_autoptr (MoaModelSet) models = moa_model_set_new ();
  g_autofree char *models_dir = moa_default_models_dir ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    g_error ("%s", error->message);
  printf ("catalog: %u procedures (copies of the bundled ones, populations perturbed), %u with "
          "a before/after scenario, %u municipalities; generated and loaded in %.2f s in %s\n",
          n_procedures, n_scenarios, n_municipalities,
          (double)(g_get_monotonic_time () - t0) / G_USEC_PER_SEC, tmp);
  printf ("jobs: %u (cores online)\n", g_get_num_processors ());
  fflush (stdout);

  int status = 0;
  g_autofree char *db = g_build_filename (tmp, "results.db", NULL);
  double s = run (catalog, models, db, 0);
  if (s < 0)
    return 1;
  long hwm = bench_vm_hwm_kib ();
  printf ("deterministic: %.2f s (target <= %.0f s: %s)\n", s, TARGET_DETERMINISTIC_S,
          verdict (s <= TARGET_DETERMINISTIC_S));
  print_written (db, n_procedures, n_scenarios, n_municipalities);
  printf ("  peak RSS so far (VmHWM): %.1f MiB\n", hwm >= 0 ? hwm / 1024.0 : -1.0);
  fflush (stdout);
  status |= s > TARGET_DETERMINISTIC_S;

  if (quick)
    printf ("Monte Carlo: skipped (--quick or MOA_BENCH_QUICK=1)\n");
  else
    {
      s = run (catalog, models, db, MC_ITERATIONS);
      if (s < 0)
        return 1;
      hwm = bench_vm_hwm_kib ();
      printf ("Monte Carlo, %d paired iterations per procedure: %.1f s (target <= %.0f s: %s)\n",
              MC_ITERATIONS, s, TARGET_MONTE_CARLO_S, verdict (s <= TARGET_MONTE_CARLO_S));
      print_written (db, n_procedures, n_scenarios, n_municipalities);
      printf ("  peak RSS (VmHWM, whole benchmark): %.1f MiB\n", hwm >= 0 ? hwm / 1024.0 : -1.0);
      status |= s > TARGET_MONTE_CARLO_S;
    }

  /* clean up the generated files */
  g_autoptr (GDir) d = g_dir_open (tmp, 0, NULL);
  for (const char *n = d ? g_dir_read_name (d) : NULL; n; n = g_dir_read_name (d))
    {
      g_autofree char *p = g_build_filename (tmp, n, NULL);
      g_remove (p);
    }
  g_rmdir (tmp);
  return status;
}
