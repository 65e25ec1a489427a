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
