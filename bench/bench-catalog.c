/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: a catalogue of generated procedure files (20 activities each, with gateways, a
 * parallel block and a loop) validated and evaluated one after the other on one thread,
 * parsing included. Prints files per second (target >= 5,000/s) and peak RSS. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "moa.h"

#include "bench-support.h"

/* a0..a19 in a chain; after a5 a loop back to a2; after a12 a skip to a15; after a15 an AND
 * block of a16 and a17 joined before a18; times, populations and probabilities vary. */
static char *
procedure_xml (GRand *rand, int n)
{
  GString *s = g_string_sized_new (4096);
  g_string_append_printf (
      s,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<procedure format=\"1\" id=\"catalog-%05d\" cost-model=\"bench\" price-year=\"2024\" "
      "currency=\"EUR\">\n"
      "  <title lang=\"it\">Procedimento generato %d</title>\n"
      "  <title lang=\"en\">Generated procedure %d</title>\n"
      "  <area>altro</area>\n"
      "  <target-groups>\n"
      "    <target-group id=\"firms\" kind=\"business\" population=\"%d\"/>\n"
      "    <target-group id=\"office\" kind=\"administration\" population=\"1\"/>\n"
      "  </target-groups>\n"
      "  <obligation id=\"apply\" target-groups=\"firms\" type=\"other\" origin=\"regional\" "
      "frequency=\"%.2f\">\n"
      "    <title lang=\"en\">Application</title>\n"
      "    <workflow>\n"
      "      <start id=\"start\" next=\"a0\"/>\n",
      n, n, n, g_rand_int_range (rand, 100, 100000), g_rand_double_range (rand, 0.2, 4));
  for (int i = 0; i < 20; i++)
    {
      char next[16];
      if (i == 5)
        g_snprintf (next, sizeof next, "loop");
      else if (i == 12)
        g_snprintf (next, sizeof next, "skip");
      else if (i == 15)
        g_snprintf (next, sizeof next, "split");
      else if (i == 16 || i == 17)
        g_snprintf (next, sizeof next, "join");
      else if (i == 19)
        g_snprintf (next, sizeof next, "end");
      else
        g_snprintf (next, sizeof next, "a%d", i + 1);

      if (i == 7)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" performer=\"office\" time=\"%d min\" "
                                "next=\"%s\"/>\n",
                                i, g_rand_int_range (rand, 5, 90), next);
      else if (i == 9)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" performer=\"external\" "
                                "time=\"triangular(1, 2, 5) h\" fee=\"%d EUR\" next=\"%s\"/>\n",
                                i, g_rand_int_range (rand, 50, 500), next);
      else if (i % 4 == 1)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" standard=\"filling-forms\" "
                                "complexity=\"medium\" next=\"%s\"/>\n",
                                i, next);
      else
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" time=\"%d min\" bau=\"%d %%\" "
                                "out-of-pocket=\"%d EUR\" next=\"%s\">\n"
                                "        <title lang=\"en\">Activity %d</title>\n"
                                "      </activity>\n",
                                i, g_rand_int_range (rand, 5, 240), g_rand_int_range (rand, 0, 30),
                                g_rand_int_range (rand, 0, 20), next, i);

      if (i == 5)
        g_string_append_printf (s,
                                "      <xor id=\"loop\">\n"
                                "        <branch to=\"a2\" probability=\"%.3f\"/>\n"
                                "        <branch to=\"a6\" default=\"true\"/>\n"
                                "      </xor>\n",
                                g_rand_double_range (rand, 0.05, 0.5));
      else if (i == 12)
        g_string_append_printf (s,
                                "      <xor id=\"skip\">\n"
                                "        <branch to=\"a15\" probability=\"%.3f\"/>\n"
                                "        <branch to=\"a13\" default=\"true\"/>\n"
                                "      </xor>\n",
                                g_rand_double_range (rand, 0.05, 0.5));
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

/* Peak resident set size in KiB from getrusage(). On Linux ru_maxrss survives exec(), so when
 * the benchmark is spawned by a large parent (meson's Python) it can report the parent's
 * peak: VmHWM of /proc/self/status, which belongs to this program's own address space, is
 * printed beside it (-1 where it is not available). */
static long
peak_rss_kib (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss; /* KiB on Linux */
}

int
main (int argc, char **argv)
{
  int n = argc > 1 ? atoi (argv[1]) : 10000;
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240611);

  g_autofree char *dir = g_dir_make_tmp ("moa-bench-catalog-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  g_autofree char *models_dir = g_build_filename (dir, "models", NULL);
  g_mkdir (models_dir, 0700);
  g_autofree char *model_path = g_build_filename (models_dir, "bench.xml", NULL);
  if (!g_file_set_contents (model_path, bench_model_xml, -1, &error))
    g_error ("%s", error->message);

  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  gsize bytes = 0;
  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = procedure_xml (rand, i);
      char name[32];
      g_snprintf (name, sizeof name, "catalog-%05d.xml", i);
      char *path = g_build_filename (dir, name, NULL);
      bytes += strlen (xml);
      if (!g_file_set_contents (path, xml, -1, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (paths, path);
    }
  long rss_before = peak_rss_kib ();
  long hwm_before = bench_vm_hwm_kib ();

  /* Timed: load the models, then validate and evaluate every file, one at a time. */
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (MoaModelSet) models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    g_error ("%s", error->message);
  double burden = 0;
  guint failed = 0;
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (MoaProcedure) procedure
          = moa_procedure_load_file (g_ptr_array_index (paths, i), NULL, &e);
      MoaCostModel *model = procedure ? moa_model_set_lookup (models, procedure->cost_model) : NULL;
      g_autoptr (MoaPlan) plan = model ? moa_plan_new (procedure, model, NULL, &e) : NULL;
      g_autoptr (MoaResult) result = plan ? moa_plan_evaluate (plan, NULL, &e) : NULL;
      if (result == NULL)
        {
          if (failed++ == 0)
            fprintf (stderr, "%s\n", e ? e->message : "cost model not found");
          continue;
        }
      burden += result->total.recurring.burden;
    }
  gint64 t1 = g_get_monotonic_time ();
  long rss_after = peak_rss_kib ();
  long hwm_after = bench_vm_hwm_kib ();

  double seconds = (double)(t1 - t0) / G_USEC_PER_SEC;
  double rate = n / seconds;
  printf ("files: %d (%.1f KiB each on average), failed: %u\n", n, bytes / 1024.0 / n, failed);
  printf ("validate + evaluate: %.3f s, %.0f files/s (target >= 5000: %s)\n", seconds, rate,
          rate >= 5000 ? "met" : "NOT MET");
  printf ("peak RSS (VmHWM): %ld KiB after generating, %ld KiB after evaluating\n", hwm_before,
          hwm_after);
  printf ("peak RSS (getrusage ru_maxrss): %ld KiB after generating, %ld KiB after "
          "evaluating\n",
          rss_before, rss_after);
  printf ("sum of yearly burdens: %.2f EUR\n", burden);

  for (guint i = 0; i < paths->len; i++)
    g_unlink (g_ptr_array_index (paths, i));
  g_unlink (model_path);
  g_rmdir (models_dir);
  g_rmdir (dir);
  return failed == 0 ? 0 : 1;
}
