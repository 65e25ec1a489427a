/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the benchmark programs (see bench-support.h). */
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bench-support.h"

const char bench_model_xml[]
    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<cost-model format=\"1\" id=\"bench\" version=\"bench\" currency=\"EUR\" "
      "price-year=\"2024\">\n"
      "  <title lang=\"en\">Benchmark model</title>\n"
      "  <overhead rate=\"25 %\" source=\"illustrative\"/>\n"
      "  <citizen-time monetised=\"true\" rate=\"15 EUR/h\" source=\"illustrative\"/>\n"
      "  <defaults business-tariff=\"staff\" administration-tariff=\"staff\" "
      "external-tariff=\"consultant\"/>\n"
      "  <obligation-types><type id=\"other\"><title lang=\"en\">Other</title></type>"
      "</obligation-types>\n"
      "  <standard-activities>\n"
      "    <activity id=\"filling-forms\" source=\"illustrative\"><title "
      "lang=\"en\">Forms</title>\n"
      "      <times for=\"business\" simple=\"6 min\" medium=\"30 min\" high=\"2 h\"/>\n"
      "      <times for=\"citizen\" simple=\"6 min\" medium=\"30 min\" high=\"2 h\"/>\n"
      "    </activity>\n"
      "  </standard-activities>\n"
      "  <tariffs>\n"
      "    <tariff id=\"staff\" rate=\"40 EUR/h\" external=\"false\" source=\"illustrative\">"
      "<title lang=\"en\">Staff</title></tariff>\n"
      "    <tariff id=\"consultant\" rate=\"80 EUR/h\" external=\"true\" source=\"illustrative\">"
      "<title lang=\"en\">Consultant</title></tariff>\n"
      "  </tariffs>\n"
      "</cost-model>\n";

MoaCostModel *
bench_load_model (const char *xml)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("moa-bench-model-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  g_autofree char *path = g_build_filename (dir, "model.xml", NULL);
  if (!g_file_set_contents (path, xml, -1, &error))
    g_error ("%s", error->message);
  MoaCostModel *model = moa_cost_model_load_file (path, NULL, &error);
  g_unlink (path);
  g_rmdir (dir);
  if (model == NULL)
    g_error ("%s", error->message);
  return model;
}

long
bench_vm_hwm_kib (void)
{
  g_autofree char *status = NULL;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  const char *line = strstr (status, "VmHWM:");
  return line != NULL ? strtol (line + strlen ("VmHWM:"), NULL, 10) : -1;
}

char *
bench_chain_procedure_xml (const char *id, gboolean external)
{
  g_return_val_if_fail (id != NULL, NULL);
  GString *s = g_string_new (NULL);
  g_string_append_printf (
      s,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<procedure format=\"1\" id=\"%s\" cost-model=\"bench\" price-year=\"2024\" "
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
      "      <start id=\"start\" next=\"a0\"/>\n",
      id);
  int loops = 0;
  gboolean end2 = FALSE;
  for (int i = 0; i < BENCH_CHAIN_ACTIVITIES; i++)
    {
      gboolean gateway = i % 10 == 9;
      int g = i / 10;
      char next[32];
      if (gateway)
        g_snprintf (next, sizeof next, "x%d", g);
      else if (i + 1 < BENCH_CHAIN_ACTIVITIES)
        g_snprintf (next, sizeof next, "a%d", i + 1);
      else
        g_snprintf (next, sizeof next, "end");
      if (i % 7 == 3)
        g_string_append_printf (s,
                                "      <activity id=\"a%d\" standard=\"filling-forms\" "
                                "complexity=\"medium\" next=\"%s\"/>\n",
                                i, next);
      else if (external && i % 11 == 5)
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
          if (i + 1 < BENCH_CHAIN_ACTIVITIES)
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
          else if (i + 3 < BENCH_CHAIN_ACTIVITIES)
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
  g_assert (loops == BENCH_CHAIN_LOOPS);
  g_string_append (s, "      <end id=\"end\"/>\n");
  if (end2)
    g_string_append (s, "      <end id=\"end2\"/>\n");
  g_string_append (s, "    </workflow>\n"
                      "  </obligation>\n"
                      "</procedure>\n");
  return g_string_free (s, FALSE);
}
