/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark of the two-level Monte Carlo (issue 3): a generated catalogue of procedures of 20
 * activities each with every parameter uncertain, simulated with 1 and 2 threads as a catalog
 * run simulates it (moa batch: the four totals' series only, totals_only); the same with every
 * entity's statistics (moa simulate, the GTK app) on a tenth of the procedures, so that their
 * cost stays visible; and an interactive-size run (one bundled procedure, 1,000 iterations,
 * every entity). Prints the figures and whether each target is met; a missed target does not
 * make it fail.
 * Usage: bench-simulate [ITERATIONS [PROCEDURES]] (default 10000 and 1000). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "moa-config.h"
#include "moa-random.h"
#include "moa-simulation.h"
#include "moa.h"

#include "bench-support.h"

#define N_ACTIVITIES 20
#define INTERACTIVE_ITERATIONS 1000
#define INTERACTIVE_RUNS 20

/* Targets of issue 3, "Acceptance". */
#define TARGET_SECONDS_2_THREADS 10.0
#define TARGET_SPEEDUP 1.8
#define TARGET_PEAK_MIB 200.0
#define TARGET_INTERACTIVE_MS 50.0

/* Every tariff uncertain; the overhead rate of a model is a plain number in the format. */
static const char model_xml[]
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<cost-model format=\"1\" id=\"bench-mc\" version=\"bench\" currency=\"EUR\" "
      "price-year=\"2024\">\n"
      "  <title lang=\"en\">Benchmark model, every rate uncertain (illustrative)</title>\n"
      "  <overhead rate=\"25 %\" source=\"illustrative\"/>\n"
      "  <citizen-time monetised=\"true\" rate=\"uniform(12, 18) EUR/h\" "
      "source=\"illustrative\"/>\n"
      "  <defaults business-tariff=\"staff\" administration-tariff=\"office\" "
      "external-tariff=\"consultant\"/>\n"
      "  <obligation-types><type id=\"other\"><title lang=\"en\">Other</title></type>"
      "</obligation-types>\n"
      "  <standard-activities>\n"
      "    <activity id=\"filling-forms\" source=\"illustrative\"><title "
      "lang=\"en\">Forms</title>\n"
      "      <times for=\"business\" simple=\"6 min\" medium=\"pert(15, 30, 90) min\" "
      "high=\"2 h\"/>\n"
      "      <times for=\"citizen\" simple=\"6 min\" medium=\"pert(15, 30, 90) min\" "
      "high=\"2 h\"/>\n"
      "    </activity>\n"
      "  </standard-activities>\n"
      "  <tariffs>\n"
      "    <tariff id=\"staff\" rate=\"uniform(30, 50) EUR/h\" external=\"false\" "
      "source=\"illustrative\"><title lang=\"en\">Staff</title></tariff>\n"
      "    <tariff id=\"office\" rate=\"uniform(25, 35) EUR/h\" external=\"false\" "
      "source=\"illustrative\"><title lang=\"en\">Office</title></tariff>\n"
      "    <tariff id=\"consultant\" rate=\"uniform(60, 100) EUR/h\" external=\"true\" "
      "source=\"illustrative\"><title lang=\"en\">Consultant</title></tariff>\n"
      "  </tariffs>\n"
      "</cost-model>\n";

/* The flow after activity @i: a loop back to a2 after a5, a skip to a15 after a12, an AND
 * block of a16 and a17 after a15, joined before a18. */
static const char *
next_of (int i, char *buf, gsize size)
{
  if (i == 5)
    return "loop";
  if (i == 12)
    return "skip";
  if (i == 15)
    return "split";
  if (i == 16 || i == 17)
    return "join";
  if (i == N_ACTIVITIES - 1)
    return "end";
  g_snprintf (buf, size, "a%d", i + 1);
  return buf;
}

/* One procedure: a business group of two segments with normal populations, a frequency and
 * a compliance drawn uniformly, 20 activities whose times are triangular or PERT, tariffs
 * uniform (explicit, or the model's uncertain profiles), out-of-pocket amounts discrete, BAU
 * shares uniform, one administration and one external activity, and the non-default
 * branches of both gateways with uniform probabilities (one per segment). */
static char *
procedure_xml (GRand *rand, int n)
{
  GString *s = g_string_sized_new (8192);
  int small = g_rand_int_range (rand, 1000, 100000);
  int large = g_rand_int_range (rand, 50, 2000);
  double f = g_rand_double_range (rand, 0.3, 3);

  g_string_append_printf (
      s,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<procedure format=\"1\" id=\"mc-%05d\" cost-model=\"bench-mc\" price-year=\"2024\" "
      "currency=\"EUR\">\n"
      "  <title lang=\"en\">Generated procedure %d</title>\n"
      "  <area>altro</area>\n"
      "  <target-groups>\n"
      "    <target-group id=\"firms\" kind=\"business\">\n"
      "      <segment id=\"small\" population=\"normal(%d, %d)\"/>\n"
      "      <segment id=\"large\" population=\"normal(%d, %d)\"/>\n"
      "    </target-group>\n"
      "    <target-group id=\"office\" kind=\"administration\" population=\"1\"/>\n"
      "  </target-groups>\n"
      "  <obligation id=\"apply\" target-groups=\"firms\" type=\"other\" origin=\"regional\" "
      "frequency=\"uniform(%.2f, %.2f)\" compliance=\"uniform(0.8, 1)\">\n"
      "    <title lang=\"en\">Application</title>\n"
      "    <workflow>\n"
      "      <start id=\"start\" next=\"a0\"/>\n",
      n, n, small, small / 10, large, large / 10, 0.8 * f, 1.2 * f);

  for (int i = 0; i < N_ACTIVITIES; i++)
    {
      char buf[16];
      const char *next = next_of (i, buf, sizeof buf);
      int lo = g_rand_int_range (rand, 5, 60);
      int mode = lo + g_rand_int_range (rand, 0, 60);
      int hi = mode + g_rand_int_range (rand, 5, 120);
      const char *law = i % 2 == 0 ? "triangular" : "pert";

      if (i == 7)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" performer=\"office\" "
                                "time=\"%s(%d, %d, %d) min\" next=\"%s\"/>\n",
                                i, law, lo, mode, hi, next);
      else if (i == 9)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" performer=\"external\" "
                                "time=\"pert(1, 2, 5) h\" fee=\"uniform(%d, %d) EUR\" "
                                "next=\"%s\"/>\n",
                                i, lo * 5, hi * 5, next);
      else if (i % 4 == 1)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" standard=\"filling-forms\" "
                                "complexity=\"medium\" bau=\"uniform(0, 0.%d)\" next=\"%s\"/>\n",
                                i, g_rand_int_range (rand, 1, 4), next);
      else
        g_string_append_printf (
            s,
            "      <activity id=\"a%d\" time=\"%s(%d, %d, %d) min\" "
            "tariff=\"uniform(%d, %d) EUR/h\" bau=\"uniform(0, 0.%d)\" "
            "out-of-pocket=\"discrete(0: 0.5, %d: 0.3, %d: 0.2) EUR\" next=\"%s\"/>\n",
            i, law, lo, mode, hi, 25 + lo / 5, 45 + hi / 5, g_rand_int_range (rand, 1, 4),
            g_rand_int_range (rand, 2, 20), g_rand_int_range (rand, 20, 60), next);

      if (i == 5)
        g_string_append_printf (s,
                                "      <xor id=\"loop\">\n"
                                "        <branch to=\"a2\" probability=\"uniform(0.05, 0.%d)\">\n"
                                "          <for segment=\"large\" "
                                "probability=\"uniform(0.02, 0.1)\"/>\n"
                                "        </branch>\n"
                                "        <branch to=\"a6\" default=\"true\"/>\n"
                                "      </xor>\n",
                                g_rand_int_range (rand, 2, 5));
      else if (i == 12)
        g_string_append_printf (s,
                                "      <xor id=\"skip\">\n"
                                "        <branch to=\"a15\" probability=\"uniform(0.1, 0.%d)\"/>\n"
                                "        <branch to=\"a13\" default=\"true\"/>\n"
                                "      </xor>\n",
                                g_rand_int_range (rand, 2, 6));
      else if (i == 15)
        g_string_append (s, "      <and-split id=\"split\">\n"
                            "        <branch to=\"a16\"/>\n"
                            "        <branch to=\"a17\"/>\n"
                            "      </and-split>\n"
                            "      <and-join id=\"join\" next=\"a18\"/>\n");
    }
  g_string_append (s, "      <end id=\"end\"/>\n"
                      "    </workflow>\n"
                      "  </obligation>\n"
                      "</procedure>\n");
  return g_string_free (s, FALSE);
}

static const char *
verdict (gboolean met)
{
  return met ? "met" : "NOT MET";
}

/* CPU time (user + system) of the whole process so far, in seconds. */
static double
cpu_seconds (void)
{
  struct rusage u;
  if (getrusage (RUSAGE_SELF, &u) != 0)
    return 0.0;
  return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec
         + u.ru_stime.tv_usec / 1e6;
}

/* What the threads of simulate_all() share when they take whole procedures. */
typedef struct
{
  GPtrArray *plans;
  guint n;
  const MoaSimulationOptions *options;
  double *totals;
  gint next;   /* atomic: the next procedure to take */
  gint failed; /* atomic: a simulation failed */
} Shared;

static gpointer
procedures_thread (gpointer data)
{
  Shared *sh = data;
  for (;;)
    {
      guint i = (guint)g_atomic_int_add (&sh->next, 1);
      if (i >= sh->n || g_atomic_int_get (&sh->failed))
        return NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaSimulation) sim
          = moa_simulate (g_ptr_array_index (sh->plans, i), sh->options, NULL, NULL, NULL, &error);
      if (sim == NULL)
        {
          fprintf (stderr, "procedure %u: %s\n", i, error->message);
          g_atomic_int_set (&sh->failed, 1);
          return NULL;
        }
      sh->totals[i] = moa_simulation_get_stat (sim, MOA_ENTITY_TOTAL, MOA_QUANTITY_BURDEN)->mean;
    }
}

/* Simulates the first @n plans with @threads threads, keeping the totals only (as moa batch)
 * or every entity: with @per_procedure, each thread takes whole procedures, one thread each
 * (as moa batch --jobs does); else the procedures go one after the other, each split over the
 * threads (as moa simulate does). Returns the wall time in seconds, or a negative number after
 * printing the first error. @totals receives the mean total burden of each, @cpu the CPU time
 * (user + system, all threads) the run took. */
static double
simulate_all (GPtrArray *plans, guint n, guint iterations, guint threads, gboolean totals_only,
              gboolean per_procedure, double *totals, double *cpu)
{
  double cpu0 = cpu_seconds ();
  MoaSimulationOptions options;
  moa_simulation_options_init (&options);
  options.seed = 20240611;
  options.iterations = iterations;
  options.threads = per_procedure ? 1 : threads;
  options.totals_only = totals_only;

  gint64 t0 = g_get_monotonic_time ();
  Shared sh = { plans, n, &options, totals, 0, 0 };
  guint workers = per_procedure ? threads : 1;
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  for (guint t = 1; t < workers; t++)
    g_ptr_array_add (others, g_thread_new ("bench", procedures_thread, &sh));
  procedures_thread (&sh);
  for (guint t = 0; t < others->len; t++)
    g_thread_join (g_ptr_array_index (others, t));
  if (g_atomic_int_get (&sh.failed))
    return -1;
  *cpu = cpu_seconds () - cpu0;
  return (double)(g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The bundled procedure with the most activity rows (the slowest to simulate), planned. */
static MoaPlan *
largest_bundled (MoaModelSet *models, char **name)
{
  g_autofree char *dir_path = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  MoaPlan *best = NULL;
  guint best_rows = 0;

  for (const char *file = dir ? g_dir_read_name (dir) : NULL; file != NULL;
       file = g_dir_read_name (dir))
    {
      if (!g_str_has_suffix (file, ".xml"))
        continue;
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
      MoaCostModel *model
          = procedure != NULL ? moa_model_set_lookup (models, procedure->cost_model) : NULL;
      MoaPlan *plan = model != NULL ? moa_plan_new (procedure, model, NULL, &error) : NULL;
      if (plan == NULL)
        {
          fprintf (stderr, "%s: %s\n", file, error ? error->message : "cost model not found");
          continue;
        }
      guint rows = 0;
      for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
        rows += moa_plan_get_entity (plan, e)->kind == MOA_ENTITY_ACTIVITY;
      if (rows > best_rows)
        {
          g_clear_pointer (&best, moa_plan_free);
          g_free (*name);
          *name = g_strdup (file);
          best = plan;
          best_rows = rows;
        }
      else
        moa_plan_free (plan);
    }
  return best;
}

/* Median wall time in ms of INTERACTIVE_RUNS simulations of @plan (after one warm-up run). */
static double
interactive_ms (const MoaPlan *plan, guint threads)
{
  MoaSimulationOptions options;
  moa_simulation_options_init (&options);
  options.iterations = INTERACTIVE_ITERATIONS;
  options.threads = threads;
  double ms[INTERACTIVE_RUNS];

  for (int r = -1; r < INTERACTIVE_RUNS; r++)
    {
      g_autoptr (GError) error = NULL;
      options.seed = 1 + (guint64)(r + 1);
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (MoaSimulation) sim = moa_simulate (plan, &options, NULL, NULL, NULL, &error);
      gint64 t1 = g_get_monotonic_time ();
      if (sim == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return -1;
        }
      if (r >= 0)
        ms[r] = (double)(t1 - t0) / 1000.0;
    }
  qsort (ms, INTERACTIVE_RUNS, sizeof (double), cmp_double);
  return (ms[INTERACTIVE_RUNS / 2 - 1] + ms[INTERACTIVE_RUNS / 2]) / 2;
}

int
main (int argc, char **argv)
{
  guint iterations = argc > 1 ? (guint)strtoul (argv[1], NULL, 10) : 10000;
  guint n = argc > 2 ? (guint)strtoul (argv[2], NULL, 10) : 1000;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);
  int status = 0;

  if (iterations < 2 || n < 1)
    {
      fprintf (stderr, "usage: bench-simulate [ITERATIONS >= 2 [PROCEDURES >= 1]]\n");
      return 2;
    }

  /* every rate of this model is uncertain; the procedures are generated and parsed in memory */
  g_autoptr (MoaCostModel) model = bench_load_model (model_xml);

  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GPtrArray) plans = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_plan_free);
  guint n_params = 0, n_uncertain = 0, n_rows = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *xml = procedure_xml (rand, (int)i);
      g_autoptr (MoaProcedure) procedure
          = moa_procedure_load_data (xml, strlen (xml), "generated.xml", NULL, &error);
      if (procedure == NULL)
        g_error ("%s\n%s", error->message, xml);
      MoaPlan *plan = moa_plan_new (procedure, model, NULL, &error);
      if (plan == NULL)
        g_error ("%s", error->message);
      for (guint p = 0; p < moa_plan_get_n_params (plan); p++)
        n_uncertain += moa_value_is_uncertain (moa_plan_get_param (plan, p));
      n_params += moa_plan_get_n_params (plan);
      for (guint e = 0; e < moa_plan_get_n_entities (plan); e++)
        n_rows += moa_plan_get_entity (plan, e)->kind == MOA_ENTITY_ACTIVITY;
      g_ptr_array_add (plans, plan);
    }
  double setup = (double)(g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  printf ("catalogue: %u procedures x %d activities (%u activity rows: one per segment), "
          "%u parameters of which %u uncertain; generated, parsed and planned in %.2f s\n",
          n, N_ACTIVITIES, n_rows, n_params, n_uncertain, setup);
  printf ("Monte Carlo: %u iterations per procedure, seed 20240611, generator %s\n", iterations,
          moa_random_generator_name ());
  fflush (stdout);

  /* 1. The catalog run: what moa batch simulates (the totals' series only). */
  printf ("\n[catalog run: totals only, whole procedures shared by the threads, as moa batch "
          "--jobs] %u procedures x %u iterations; the "
          "targets of issue 3 (<= %.0f s with 2 threads, >= %.1fx from 1 to 2 threads, < %.0f "
          "MiB) apply here\n",
          n, iterations, TARGET_SECONDS_2_THREADS, TARGET_SPEEDUP, TARGET_PEAK_MIB);
  fflush (stdout);
  g_autofree double *totals1 = g_new (double, n);
  g_autofree double *totals2 = g_new (double, n);
  double cpu1 = 0, cpu2 = 0;
  double s1 = simulate_all (plans, n, iterations, 1, TRUE, TRUE, totals1, &cpu1);
  double s2 = s1 >= 0 ? simulate_all (plans, n, iterations, 2, TRUE, TRUE, totals2, &cpu2) : -1;
  if (s1 < 0 || s2 < 0)
    return 1;
  guint differ = 0;
  for (guint i = 0; i < n; i++)
    differ += memcmp (&totals1[i], &totals2[i], sizeof (double)) != 0;
  if (differ > 0)
    {
      printf ("ERROR: %u procedures give another mean with 2 threads than with 1\n", differ);
      status = 1;
    }

  double activity_samples = (double)n * N_ACTIVITIES * iterations;
  double speedup = s1 / s2;
  double scale = 1000.0 / n * 10000.0 / iterations; /* to the acceptance size */
  double procedure_iterations = (double)n * iterations;
  printf ("1 thread:  %.2f s wall, %.2f s CPU (%.3f us per procedure-iteration), %.3g "
          "activity-samples/s (%.3g activity-row samples/s)\n",
          s1, cpu1, cpu1 / procedure_iterations * 1e6, activity_samples / s1,
          (double)n_rows * iterations / s1);
  printf ("2 threads: %.2f s wall, %.2f s CPU (%.3f us per procedure-iteration), %.3g "
          "activity-samples/s (%.3g activity-row samples/s)\n",
          s2, cpu2, cpu2 / procedure_iterations * 1e6, activity_samples / s2,
          (double)n_rows * iterations / s2);
  /* for comparison: the same run with each procedure split over the 2 threads (moa simulate's
   * way), which adds per-procedure set-up and joins that do not overlap */
  g_autofree double *totals_split = g_new (double, n);
  double cpu_split = 0;
  double s_split = simulate_all (plans, n, iterations, 2, TRUE, FALSE, totals_split, &cpu_split);
  if (s_split < 0)
    return 1;
  guint differ_split = 0;
  for (guint i = 0; i < n; i++)
    differ_split += memcmp (&totals1[i], &totals_split[i], sizeof (double)) != 0;
  if (differ_split > 0)
    {
      printf ("ERROR: %u procedures give another mean split over 2 threads\n", differ_split);
      status = 1;
    }
  printf ("  (each procedure split over 2 threads instead, as moa simulate: %.2f s wall, %.2f s "
          "CPU, speedup %.2fx)\n",
          s_split, cpu_split, s1 / s_split);
  if (scale != 1.0)
    printf ("  (reduced run: scaled to 1,000 procedures x 10,000 iterations, 2 threads would "
            "take about %.1f s)\n",
            s2 * scale);
  /* On a loaded machine the wall times measure the other processes too: the CPU time of the
   * 1-thread run, shared by 2 cores, is what 2 threads take on 2 idle cores (the work splits
   * into independent chunks of iterations and series of samples). */
  printf ("projected 2-thread wall time on 2 idle cores (1-thread CPU / 2) at 1,000 x 10,000: "
          "%.2f s\n",
          cpu1 / 2 * scale);
  printf ("target: <= %.0f s with 2 threads at 1,000 x 10,000: %s\n", TARGET_SECONDS_2_THREADS,
          verdict (s2 * scale <= TARGET_SECONDS_2_THREADS));
  printf ("speedup 1 -> 2 threads: %.2fx (target >= %.1fx: %s; %u cores online)\n", speedup,
          TARGET_SPEEDUP, verdict (speedup >= TARGET_SPEEDUP), g_get_num_processors ());
  long hwm = bench_vm_hwm_kib ();
  double peak = hwm >= 0 ? hwm / 1024.0 : -1;
  printf ("peak RSS (VmHWM) of the catalog run: %.1f MiB (target < %.0f MiB: %s)\n", peak,
          TARGET_PEAK_MIB, verdict (peak >= 0 && peak < TARGET_PEAK_MIB));
  fflush (stdout);

  /* 2. Every entity's statistics (moa simulate, the GTK app: groups, segments, obligations,
   * activities) on a tenth of the procedures: what they cost beyond the totals. No target of
   * issue 3 is about this size; the totals must be the catalog run's, bit for bit. */
  guint n_full = MAX (1, n / 10);
  double full_scale = (double)n / n_full;
  printf ("\n[every entity's statistics, as moa simulate and the GTK app] %u procedures x %u "
          "iterations, figures also scaled x%.0f to the catalog's size; for information, the "
          "catalog targets do not apply\n",
          n_full, iterations, full_scale);
  fflush (stdout);
  g_autofree double *full1 = g_new (double, n_full);
  g_autofree double *full2 = g_new (double, n_full);
  double fcpu1 = 0, fcpu2 = 0;
  double f1 = simulate_all (plans, n_full, iterations, 1, FALSE, FALSE, full1, &fcpu1);
  double f2
      = f1 >= 0 ? simulate_all (plans, n_full, iterations, 2, FALSE, FALSE, full2, &fcpu2) : -1;
  if (f1 < 0 || f2 < 0)
    return 1;
  differ = 0;
  for (guint i = 0; i < n_full; i++)
    differ += memcmp (&full1[i], &full2[i], sizeof (double)) != 0
              || memcmp (&full1[i], &totals1[i], sizeof (double)) != 0;
  if (differ > 0)
    {
      printf ("ERROR: %u procedures give another mean with every entity kept (1 or 2 threads) "
              "than with the totals only\n",
              differ);
      status = 1;
    }
  double full_iterations = (double)n_full * iterations;
  printf ("1 thread:  %.2f s wall (x%.0f: %.1f s), %.2f s CPU (%.3f us per "
          "procedure-iteration), %.3g activity-samples/s\n",
          f1, full_scale, f1 * full_scale, fcpu1, fcpu1 / full_iterations * 1e6,
          full_iterations * N_ACTIVITIES / f1);
  printf ("2 threads: %.2f s wall (x%.0f: %.1f s), %.2f s CPU (%.3f us per "
          "procedure-iteration), %.3g activity-samples/s; speedup %.2fx\n",
          f2, full_scale, f2 * full_scale, fcpu2, fcpu2 / full_iterations * 1e6,
          full_iterations * N_ACTIVITIES / f2, f1 / f2);
  printf ("per procedure-iteration, every entity against the totals only: %.2fx the CPU on 1 "
          "thread\n",
          (fcpu1 / full_iterations) / (cpu1 / procedure_iterations));
  hwm = bench_vm_hwm_kib ();
  printf ("peak RSS (VmHWM) so far: %.1f MiB\n\n", hwm >= 0 ? hwm / 1024.0 : -1.0);
  fflush (stdout);

  /* Interactive size: one bundled procedure, the largest, as the GUI would run it while the
   * analyst edits (all cores), and on one thread for comparison. */
  g_autoptr (MoaModelSet) models = moa_model_set_new ();
  g_autofree char *models_dir = moa_default_models_dir ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_autofree char *name = NULL;
  g_autoptr (MoaPlan) bundled = largest_bundled (models, &name);
  if (bundled == NULL)
    {
      fprintf (stderr, "no bundled procedure could be planned\n");
      return 1;
    }
  double ms_all = interactive_ms (bundled, 0);
  double ms_one = interactive_ms (bundled, 1);
  if (ms_all < 0 || ms_one < 0)
    return 1;
  printf ("[interactive, every entity's statistics, as the GTK app] %s, %d iterations, median "
          "of %d runs: %.2f ms on all cores, %.2f ms on 1 thread (target < %.0f ms: %s)\n",
          name, INTERACTIVE_ITERATIONS, INTERACTIVE_RUNS, ms_all, ms_one, TARGET_INTERACTIVE_MS,
          verdict (ms_all < TARGET_INTERACTIVE_MS));
  return status;
}
