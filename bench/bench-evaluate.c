/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: plan build and exact evaluation of one large procedure (200 activities, 20 XOR
 * gateways of which 5 close loops), built in memory as XML text. Target: < 1 ms an
 * evaluation. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "moa.h"

#include "bench-support.h"

#define N_ACTIVITIES 200
#define N_GATEWAYS 20 /* one after every 10th activity */
#define N_LOOPS 5     /* gateways 3, 7, 11, 15, 19 go back 6 activities */

/* A chain a0..a199; after a(10g+9) the gateway xg: for g in 3, 7, 11, 15, 19 a loop back to
 * a(10g+4) with probability 0.2, else a forward skip over two activities with 0.3. Two target
 * groups, one with two segments, so that the workflow is solved three times an evaluation. */
static char *
procedure_xml (void)
{
  GString *s = g_string_new (
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<procedure format=\"1\" id=\"bench-evaluate\" cost-model=\"bench\" price-year=\"2024\" "
      "currency=\"EUR\">\n"
      "  <title lang=\"en\">Benchmark procedure</title>\n"
      "  <area>altro</area>\n"
      "  <target-groups>\n"
      "    <target-group id=\"firms\" kind=\"business\">\n"
      "      <segment id=\"small\" population=\"50000\"/>\n"
      "      <segment id=\"large\" population=\"2000\"/>\n"
      "    </target-group>\n"
      "    <target-group id=\"people\" kind=\"citizen\" population=\"300000\"/>\n"
      "  </target-groups>\n"
      "  <obligation id=\"apply\" target-groups=\"firms people\" type=\"other\" "
      "origin=\"regional\" "
      "frequency=\"1\">\n"
      "    <title lang=\"en\">Application</title>\n"
      "    <workflow>\n"
      "      <start id=\"start\" next=\"a0\"/>\n");
  int loops = 0;
  gboolean end2 = FALSE;
  for (int i = 0; i < N_ACTIVITIES; i++)
    {
      gboolean gateway = i % 10 == 9;
      int g = i / 10;
      char next[32];
      if (gateway)
        g_snprintf (next, sizeof next, "x%d", g);
      else if (i + 1 < N_ACTIVITIES)
        g_snprintf (next, sizeof next, "a%d", i + 1);
      else
        g_snprintf (next, sizeof next, "end");
      if (i % 7 == 3)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" standard=\"filling-forms\" "
                                "complexity=\"medium\" next=\"%s\"/>\n",
                                i, next);
      else if (i % 11 == 5)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" performer=\"external\" "
                                "time=\"pert(1, 2, 4) h\" fee=\"100 EUR\" next=\"%s\"/>\n",
                                i, next);
      else
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" time=\"%d min\" "
                                "out-of-pocket=\"%d EUR\" next=\"%s\"/>\n",
                                i, 5 + i % 40, i % 3, next);
      if (gateway)
        {
          char succ[32];
          if (i + 1 < N_ACTIVITIES)
            g_snprintf (succ, sizeof succ, "a%d", i + 1);
          else
            g_snprintf (succ, sizeof succ, "end");
          g_string_append_printf (s, "      <xor id=\"x%d\">\n", g);
          if (g % 4 == 3)
            {
              g_string_append_printf (s,
                                      "        <branch to=\"a%d\" probability=\"0.2\">\n"
                                      "          <for segment=\"large\" probability=\"0.1\"/>\n"
                                      "        </branch>\n",
                                      i - 5);
              loops++;
            }
          else if (i + 3 < N_ACTIVITIES)
            g_string_append_printf (s, "        <branch to=\"a%d\" probability=\"0.3\"/>\n", i + 3);
          else
            {
              g_string_append (s, "        <branch to=\"end2\" probability=\"0.3\"/>\n");
              end2 = TRUE;
            }
          g_string_append_printf (s, "        <branch to=\"%s\" default=\"true\"/>\n", succ);
          g_string_append (s, "      </xor>\n");
        }
    }
  g_assert (loops == N_LOOPS);
  g_string_append (s, "      <end id=\"end\"/>\n");
  if (end2)
    g_string_append (s, "      <end id=\"end2\"/>\n");
  g_string_append (s, "    </workflow>\n"
                      "  </obligation>\n"
                      "</procedure>\n");
  return g_string_free (s, FALSE);
}

int
main (int argc, char **argv)
{
  int reps = argc > 1 ? atoi (argv[1]) : 2000;
  g_autoptr (GError) error = NULL;

  g_autoptr (MoaCostModel) model = bench_load_model (bench_model_xml);

  g_autofree char *xml = procedure_xml ();
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (MoaProcedure) procedure
      = moa_procedure_load_data (xml, strlen (xml), "bench-evaluate.xml", NULL, &error);
  gint64 t1 = g_get_monotonic_time ();
  if (procedure == NULL)
    g_error ("%s", error->message);

  int plan_reps = 50;
  MoaPlan *plan = NULL;
  gint64 t2 = g_get_monotonic_time ();
  for (int i = 0; i < plan_reps; i++)
    {
      g_clear_pointer (&plan, moa_plan_free);
      plan = moa_plan_new (procedure, model, NULL, &error);
      if (plan == NULL)
        g_error ("%s", error->message);
    }
  gint64 t3 = g_get_monotonic_time ();

  /* Warm up, then time. */
  for (int i = 0; i < 10; i++)
    {
      MoaResult *r = moa_plan_evaluate (plan, NULL, &error);
      if (r == NULL)
        g_error ("%s", error->message);
      moa_result_unref (r);
    }
  double burden = 0;
  gint64 t4 = g_get_monotonic_time ();
  for (int i = 0; i < reps; i++)
    {
      MoaResult *r = moa_plan_evaluate (plan, NULL, &error);
      if (r == NULL)
        g_error ("%s", error->message);
      burden += r->total.recurring.burden;
      moa_result_unref (r);
    }
  gint64 t5 = g_get_monotonic_time ();

  double per_eval = (double)(t5 - t4) / reps;
  printf ("procedure: %d activities, %d XOR gateways (%d loops), %u parameters, %zu bytes\n",
          N_ACTIVITIES, N_GATEWAYS, N_LOOPS, moa_plan_get_n_params (plan), strlen (xml));
  printf ("parse + load: %.1f us\n", (double)(t1 - t0));
  printf ("plan build:   %.1f us (mean of %d)\n", (double)(t3 - t2) / plan_reps, plan_reps);
  printf ("evaluate:     %.1f us per evaluation (mean of %d; target < 1000 us: %s)\n", per_eval,
          reps, per_eval < 1000 ? "met" : "NOT MET");
  printf ("burden per year: %.2f EUR\n", burden / reps);
  moa_plan_free (plan);
  return 0;
}
