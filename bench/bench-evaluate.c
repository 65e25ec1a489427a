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

#define N_ACTIVITIES BENCH_CHAIN_ACTIVITIES
#define N_GATEWAYS BENCH_CHAIN_GATEWAYS
#define N_LOOPS BENCH_CHAIN_LOOPS

int
main (int argc, char **argv)
{
  int reps = argc > 1 ? atoi (argv[1]) : 2000;
  g_autoptr (GError) error = NULL;

  g_autoptr (MoaCostModel) model = bench_load_model (bench_model_xml);

  g_autofree char *xml = bench_chain_procedure_xml ("bench-evaluate", TRUE);
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
