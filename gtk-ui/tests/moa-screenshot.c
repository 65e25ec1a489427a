/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a PNG of the main window with a bundled procedure open and an activity selected, in
 * the language of the environment (LANGUAGE, LC_ALL): moa-screenshot DIR LANG writes
 * DIR/main-window-LANG.png. Prints TAP, so that meson runs it as a test under Xvfb. */
#include "moa-config.h"

#include <locale.h>
#include <stdio.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "moa-application.h"
#include "moa-window.h"

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for the window");
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop for @ms milliseconds (animations, layout, first frames). */
static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

/* Renders @widget as its window renderer draws it and saves it to @path. */
static gboolean
save_png (GtkWidget *widget, const char *path)
{
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr (GdkTexture) texture
      = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, MOA_BUILD_DIR "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s DIR LANG\n", argv[0]);
      return 2;
    }
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run (apt-get install xvfb xauth)\n");
      return 0;
    }
  printf ("1..1\n");

  g_autoptr (MoaApplication) app = moa_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_autoptr (GError) error = NULL;
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  MoaWindow *window = moa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  g_autofree char *path
      = g_build_filename (MOA_SOURCE_DIR, "procedures", "certificato-anagrafico.xml", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  if (!moa_window_open_file (window, file))
    g_error ("cannot open %s", path);
  MoaDocument *document = moa_window_get_document (window);
  guint timeout = g_timeout_add_seconds (30, timeout_cb, NULL);
  while (moa_document_get_computing (document))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  moa_selection_select (moa_window_get_selection (window), "richiesta-certificato", "viaggio");
  settle (800);

  g_mkdir_with_parents (argv[1], 0755);
  g_autofree char *name = g_strdup_printf ("main-window-%s.png", argv[2]);
  g_autofree char *out = g_build_filename (argv[1], name, NULL);
  gboolean ok = save_png (GTK_WIDGET (window), out);
  printf ("%s 1 - %s (%dx%d)\n", ok ? "ok" : "not ok", out,
          gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  return ok ? 0 : 1;
}
