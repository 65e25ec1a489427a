/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analysts' application: startup (resources, accelerators, styles), the windows it opens,
 * and what they share: cost models, settings and recent files. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-application.h"
#include "moa-ui-resources.h"
#include "moa-window.h"

#define MAX_RECENT 10

struct _MoaApplication
{
  AdwApplication parent_instance;

  MoaModelSet *models;
  GSettings *settings;
  GStrv recent; /* used when there are no settings */
};

enum
{
  SIGNAL_RECENT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MoaApplication, moa_application, ADW_TYPE_APPLICATION)

void
moa_ui_ensure_resources (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      moa_ui_register_resource ();
      g_once_init_leave (&once, 1);
    }
}

static void
moa_application_finalize (GObject *object)
{
  MoaApplication *self = MOA_APPLICATION (object);

  g_clear_pointer (&self->models, moa_model_set_free);
  g_clear_object (&self->settings);
  g_strfreev (self->recent);
  G_OBJECT_CLASS (moa_application_parent_class)->finalize (object);
}

static MoaWindow *
active_window (MoaApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  return MOA_IS_WINDOW (window) ? MOA_WINDOW (window) : NULL;
}

static void
moa_application_activate (GApplication *app)
{
  MoaWindow *window = active_window (MOA_APPLICATION (app));

  if (window == NULL)
    window = moa_window_new (MOA_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
}

static void
moa_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  /* One window per file, as GNOME Text Editor opens tabs: here a window holds one procedure. */
  for (int i = 0; i < n_files; i++)
    {
      MoaWindow *window = moa_window_new (MOA_APPLICATION (app));
      gtk_window_present (GTK_WINDOW (window));
      moa_window_open_file (window, files[i]);
    }
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MoaApplication *self = user_data;
  const char *developers[] = { _ ("The moa developers"), NULL };

  GtkWidget *about = g_object_new (
      ADW_TYPE_ABOUT_WINDOW, "transient-for",
      gtk_application_get_active_window (GTK_APPLICATION (self)), "modal", TRUE, "application-name",
      _ ("Moa Analyst"), "application-icon", MOA_APP_ID, "version", PACKAGE_VERSION,
      "developer-name", _ ("The moa developers"), "developers", developers, "comments",
      _ ("Measure the administrative burden that public procedures put on citizens and "
         "businesses with the Standard Cost Model, and see what a simplification saves."),
      "license-type", GTK_LICENSE_GPL_3_0, "copyright", _ ("© The moa developers"),
      /* TRANSLATORS: your names, one per line */
      "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  MoaApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window lets it ask about unsaved changes. */
  GList *copy = g_list_copy (windows);
  for (GList *l = copy; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (copy);
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
};

/* The schema: installed, or compiled in the build tree (a run before installation). */
static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema
      = source != NULL ? g_settings_schema_source_lookup (source, MOA_APP_ID, TRUE) : NULL;

  if (schema == NULL
      && g_file_test (MOA_UI_BUILD_SCHEMA_DIR "/gschemas.compiled", G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr (GSettingsSchemaSource) build = g_settings_schema_source_new_from_directory (
          MOA_UI_BUILD_SCHEMA_DIR, source, FALSE, NULL);
      if (build != NULL)
        schema = g_settings_schema_source_lookup (build, MOA_APP_ID, FALSE);
    }
  if (schema == NULL)
    {
      g_debug ("schema %s not found: window state and recent files are not remembered", MOA_APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
recent_changed (MoaApplication *self)
{
  g_signal_emit (self, signals[SIGNAL_RECENT_CHANGED], 0);
}

static void
moa_application_startup (GApplication *app)
{
  MoaApplication *self = MOA_APPLICATION (app);
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  moa_ui_ensure_resources ();
  G_APPLICATION_CLASS (moa_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = load_settings ();
  if (self->settings != NULL)
    g_signal_connect_swapped (self->settings, "changed::recent-files", G_CALLBACK (recent_changed),
                              self);
}

static void
moa_application_class_init (MoaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = moa_application_finalize;
  app_class->activate = moa_application_activate;
  app_class->open = moa_application_open;
  app_class->startup = moa_application_startup;

  /* MoaApplication::recent-changed: the list of recent files changed. */
  signals[SIGNAL_RECENT_CHANGED]
      = g_signal_new ("recent-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
}

static void
moa_application_init (MoaApplication *self)
{
  self->recent = g_new0 (char *, 1);
}

MoaApplication *
moa_application_new (void)
{
  return g_object_new (MOA_TYPE_APPLICATION, "application-id", MOA_APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, "resource-base-path", MOA_APP_PATH, NULL);
}

const MoaModelSet *
moa_application_get_models (MoaApplication *self, GError **error)
{
  g_return_val_if_fail (MOA_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->models == NULL)
    {
      g_autoptr (MoaModelSet) set = moa_model_set_new ();
      g_autofree char *dir = moa_default_models_dir ();
      if (!moa_model_set_load_dir (set, dir, NULL, error))
        return NULL;
      self->models = g_steal_pointer (&set);
    }
  return self->models;
}

GSettings *
moa_application_get_settings (MoaApplication *self)
{
  g_return_val_if_fail (MOA_IS_APPLICATION (self), NULL);
  return self->settings;
}

const char *const *
moa_application_get_recent (MoaApplication *self)
{
  g_return_val_if_fail (MOA_IS_APPLICATION (self), NULL);

  if (self->settings != NULL)
    {
      /* Kept so that the returned array stays valid until the next call. */
      g_strfreev (self->recent);
      self->recent = g_settings_get_strv (self->settings, "recent-files");
    }
  return (const char *const *)self->recent;
}

void
moa_application_add_recent (MoaApplication *self, const char *path)
{
  g_return_if_fail (MOA_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  const char *const *old = moa_application_get_recent (self);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 1;
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  g_auto (GStrv) recent = g_strv_builder_end (builder);
  if (self->settings != NULL)
    g_settings_set_strv (self->settings, "recent-files", (const char *const *)recent);
  else
    {
      g_strfreev (self->recent);
      self->recent = g_steal_pointer (&recent);
      recent_changed (self);
    }
}
