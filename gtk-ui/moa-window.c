/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window: wires the document to its views and the window actions to the document,
 * the library sidebar, file choosers, drag and drop and the remembered window state. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <glib/gi18n-lib.h>

#include "moa-library.h"
#include "moa-window.h"

struct _MoaWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkSpinner *spinner;
  GtkWidget *undo_button;
  GtkWidget *redo_button;
  GtkSearchEntry *search_entry;
  GtkListBox *library_list;
  GtkStack *main_stack;
  GtkBox *outline_box;
  GtkBox *detail_box;
  GtkBox *workflow_box;

  MoaSelection *selection;
  MoaOutline *outline;
  MoaInspector *inspector;
  MoaResultsView *results_view;
  MoaBurdenChart *chart;
  GtkWidget *chart_title;
  MoaWorkflowView *workflow_view;
  MoaUncertainty *uncertainty;
  MoaUncertaintyView *uncertainty_view;
  MoaScenarioView *scenario_view;     /* the before / after view (gtk-b) */
  MoaResultsBrowser *results_browser; /* the result store browser (gtk-b) */
  GSimpleAction *view_action;         /* views.show: "procedure", "before-after", "results" */

  MoaDocument *document;
  GListModel *library;             /* filtered by the search */
  GtkCustomFilter *library_filter; /* owned by @library */
  char *library_dir;
  GFile *pending_open; /* to open once unsaved changes are dealt with */
  gboolean closing;    /* close once unsaved changes are dealt with */
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (MoaWindow, moa_window, ADW_TYPE_APPLICATION_WINDOW)

void
moa_window_toast (MoaWindow *self, const char *message)
{
  g_return_if_fail (MOA_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static MoaApplication *
app_of (MoaWindow *self)
{
  return MOA_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

/* --- State of the actions and the title ------------------------------------------------- */

static void
update_actions (MoaWindow *self)
{
  MoaUndoStack *stack = self->document ? moa_document_get_undo_stack (self->document) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", self->document != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as", self->document != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 stack != NULL && moa_undo_stack_get_can_undo (stack));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 stack != NULL && moa_undo_stack_get_can_redo (stack));
}

static void
update_title (MoaWindow *self)
{
  if (self->document == NULL)
    {
      adw_window_title_set_title (self->window_title, _ ("Moa Analyst"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _ ("Moa Analyst"));
      return;
    }
  GFile *file = moa_document_get_file (self->document);
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : g_strdup (_ ("Unsaved"));
  gboolean dirty = moa_document_get_dirty (self->document);
  g_autofree char *title
      = g_strdup_printf ("%s%s", dirty ? "• " : "", moa_document_get_title (self->document));
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, name);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_undo_tooltips (MoaWindow *self)
{
  /* "Undo: Change time of “Travel”" on the buttons. */
  MoaUndoStack *stack = moa_document_get_undo_stack (self->document);
  const char *undo = moa_undo_stack_get_undo_label (stack);
  const char *redo = moa_undo_stack_get_redo_label (stack);
  g_autofree char *undo_tip = undo ? g_strdup_printf (_ ("Undo: %s"), undo) : g_strdup (_ ("Undo"));
  g_autofree char *redo_tip = redo ? g_strdup_printf (_ ("Redo: %s"), redo) : g_strdup (_ ("Redo"));
  gtk_widget_set_tooltip_text (self->undo_button, undo_tip);
  gtk_widget_set_tooltip_text (self->redo_button, redo_tip);
  update_actions (self);
}

static void
computing_changed (MoaWindow *self)
{
  gtk_spinner_set_spinning (self->spinner, moa_document_get_computing (self->document));
}

/* --- Views: procedure, before / after, results (gtk-b) ------------------------------------- */

/* Shows the page of view @name in the main stack. */
static void
show_view (MoaWindow *self, const char *name)
{
  if (g_strcmp0 (name, "before-after") == 0 || g_strcmp0 (name, "results") == 0)
    gtk_stack_set_visible_child_name (self->main_stack, name);
  else
    gtk_stack_set_visible_child_name (self->main_stack,
                                      self->document != NULL ? "document" : "empty");
  g_simple_action_set_state (self->view_action, g_variant_new_string (name));
}

static void
view_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  show_view (MOA_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

/* The before / after view follows the open procedure's file. */
static void
views_document_changed (MoaWindow *self, MoaDocument *document)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GFile *file = document != NULL ? moa_document_get_file (document) : NULL;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  const MoaModelSet *models = app != NULL && path != NULL
                                  ? moa_application_get_models (MOA_APPLICATION (app), NULL)
                                  : NULL;

  if (self->scenario_view != NULL)
    moa_scenario_view_set_procedure (self->scenario_view, models != NULL ? path : NULL, models);
  if (self->view_action != NULL)
    g_simple_action_set_state (self->view_action, g_variant_new_string ("procedure"));
}

/* Adds the before / after and results pages to the main stack, the view switcher to the
 * header bar and the views.show action (Ctrl+1, Ctrl+2, Ctrl+3). */
static void
setup_views (MoaWindow *self)
{
  static const struct
  {
    const char *name, *label, *tooltip;
  } views[] = {
    { "procedure", N_ ("Procedure"), N_ ("The Procedure and Its Burden (Ctrl+1)") },
    { "before-after", N_ ("Before / After"), N_ ("Compare with a Scenario (Ctrl+2)") },
    { "results", N_ ("Results"), N_ ("Browse a Result Store (Ctrl+3)") },
  };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();

  self->view_action = g_simple_action_new_stateful ("show", G_VARIANT_TYPE_STRING,
                                                    g_variant_new_string ("procedure"));
  g_signal_connect (self->view_action, "activate", G_CALLBACK (view_activated), self);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (self->view_action));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "views", G_ACTION_GROUP (group));

  self->scenario_view = MOA_SCENARIO_VIEW (moa_scenario_view_new ());
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->scenario_view), "before-after");
  self->results_browser = MOA_RESULTS_BROWSER (moa_results_browser_new ());
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->results_browser), "results");

  GtkWidget *switcher = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (switcher, "linked");
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_ (views[i].label));
      gtk_widget_set_tooltip_text (button, _ (views[i].tooltip));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "views.show");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", views[i].name);
      gtk_box_append (GTK_BOX (switcher), button);
    }
  /* The header bar is the first child of the window's box (moa-window.ui). */
  GtkWidget *header_bar
      = gtk_widget_get_first_child (adw_toast_overlay_get_child (self->toast_overlay));
  g_return_if_fail (ADW_IS_HEADER_BAR (header_bar));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header_bar), switcher);

  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkShortcut *shortcut
          = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_1 + i, GDK_CONTROL_MASK),
                              gtk_named_action_new ("views.show"));
      gtk_shortcut_set_arguments (shortcut, g_variant_new_string (views[i].name));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

/* Shows view @name ("procedure", "before-after" or "results"). */
void
moa_window_show_view (MoaWindow *self, const char *name)
{
  g_return_if_fail (MOA_IS_WINDOW (self));
  g_return_if_fail (name != NULL);
  show_view (self, name);
}

MoaScenarioView *
moa_window_get_scenario_view (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->scenario_view;
}

MoaResultsBrowser *
moa_window_get_results_browser (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->results_browser;
}

static void
set_document (MoaWindow *self, MoaDocument *document)
{
  if (self->document != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->document, self);
      g_signal_handlers_disconnect_by_data (moa_document_get_undo_stack (self->document), self);
    }
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_swapped (document, "notify::dirty", G_CALLBACK (update_title), self);
      g_signal_connect_swapped (document, "notify::file", G_CALLBACK (update_title), self);
      g_signal_connect_swapped (document, "notify::computing", G_CALLBACK (computing_changed),
                                self);
      g_signal_connect_swapped (moa_document_get_undo_stack (document), "notify::can-undo",
                                G_CALLBACK (update_undo_tooltips), self);
      g_signal_connect_swapped (moa_document_get_undo_stack (document), "notify::can-redo",
                                G_CALLBACK (update_undo_tooltips), self);
      g_signal_connect_swapped (moa_document_get_undo_stack (document), "notify::undo-label",
                                G_CALLBACK (update_undo_tooltips), self);
      moa_selection_validate (self->selection, moa_document_get_procedure (document));
    }
  else
    moa_selection_select (self->selection, NULL, NULL);

  moa_outline_set_document (self->outline, document);
  moa_inspector_set_document (self->inspector, document);
  moa_results_view_set_document (self->results_view, document);
  moa_burden_chart_set_document (self->chart, document);
  moa_workflow_view_set_document (self->workflow_view, document);
  moa_uncertainty_set_document (self->uncertainty, document);
  gtk_stack_set_visible_child_name (self->main_stack, document != NULL ? "document" : "empty");
  views_document_changed (self, document);
  if (document != NULL)
    {
      computing_changed (self);
      update_undo_tooltips (self);
    }
  update_title (self);
  update_actions (self);
}

/* --- Library sidebar ---------------------------------------------------------------------- */

static GtkWidget *
create_library_row (gpointer item, gpointer user_data)
{
  MoaLibraryItem *entry = item;
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), moa_library_item_get_title (entry));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), moa_library_item_get_subtitle (entry));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  g_autofree char *path = g_file_get_path (moa_library_item_get_file (entry));
  gtk_widget_set_tooltip_text (row, path);
  g_object_set_data_full (G_OBJECT (row), "moa-item", g_object_ref (entry), g_object_unref);
  return row;
}

static void
library_header (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  MoaLibraryItem *item = g_object_get_data (G_OBJECT (row), "moa-item");
  MoaLibraryItem *previous = before ? g_object_get_data (G_OBJECT (before), "moa-item") : NULL;
  gboolean recent = moa_library_item_get_recent (item);

  if (previous != NULL && moa_library_item_get_recent (previous) == recent)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  GtkWidget *label = gtk_label_new (recent ? _ ("Recent") : _ ("Library"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_top (label, before != NULL ? 12 : 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_header (row, label);
}

static gboolean
library_filter (gpointer item, gpointer user_data)
{
  MoaWindow *self = user_data;
  return moa_library_item_matches (item, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
reload_library (MoaWindow *self)
{
  g_clear_object (&self->library);
  GListModel *items
      = moa_library_list (self->library_dir, moa_application_get_recent (app_of (self)));
  /* A list box bound to a model ignores filter functions: filter the model. */
  self->library_filter = gtk_custom_filter_new (library_filter, self, NULL);
  self->library
      = G_LIST_MODEL (gtk_filter_list_model_new (items, GTK_FILTER (self->library_filter)));
  gtk_list_box_bind_model (self->library_list, self->library, create_library_row, self, NULL);
}

static void
library_row_activated (GtkListBox *list, GtkListBoxRow *row, gpointer user_data)
{
  MoaWindow *self = user_data;
  moa_window_open_file (self,
                        moa_library_item_get_file (g_object_get_data (G_OBJECT (row), "moa-item")));
}

static void
search_changed (MoaWindow *self)
{
  if (self->library_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->library_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* --- Opening, unsaved changes -------------------------------------------------------------- */

static gboolean
open_now (MoaWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;
  const MoaModelSet *models = moa_application_get_models (app_of (self), &error);
  g_autoptr (MoaDocument) document
      = models != NULL ? moa_document_new_for_file (file, models, &error) : NULL;

  if (document == NULL)
    {
      moa_window_toast (self, error->message);
      return FALSE;
    }
  moa_selection_select (self->selection, NULL, NULL);
  set_document (self, document);
  g_autofree char *path = g_file_get_path (file);
  if (path != NULL && !g_str_has_prefix (path, self->library_dir))
    moa_application_add_recent (app_of (self), path);
  return TRUE;
}

static void
save_as (MoaWindow *self);

static gboolean
save (MoaWindow *self, GFile *file)
{
  g_autoptr (GError) error = NULL;

  if (!moa_document_save (self->document, file, &error))
    {
      moa_window_toast (self, error->message);
      return FALSE;
    }
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = g_strdup_printf (_ ("Saved “%s”"), name);
  moa_window_toast (self, message);
  g_autofree char *path = g_file_get_path (file);
  moa_application_add_recent (app_of (self), path);
  return TRUE;
}

/* TRUE when Save should ask for a file: never saved, or a bundled procedure (read-only when
 * installed, and the shared library when run from the source tree). */
static gboolean
needs_save_as (MoaWindow *self)
{
  GFile *file = moa_document_get_file (self->document);
  if (file == NULL)
    return TRUE;
  g_autofree char *path = g_file_get_path (file);
  return path == NULL || g_str_has_prefix (path, self->library_dir);
}

static void
continue_pending (MoaWindow *self)
{
  if (self->closing)
    {
      set_document (self, NULL);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (self->pending_open != NULL)
    {
      g_autoptr (GFile) file = g_steal_pointer (&self->pending_open);
      open_now (self, file);
    }
}

static void
unsaved_response (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  MoaWindow *self = user_data;

  if (g_strcmp0 (response, "discard") == 0)
    {
      /* Forget the changes so that closing does not ask again. */
      moa_undo_stack_mark_clean (moa_document_get_undo_stack (self->document));
      continue_pending (self);
    }
  else if (g_strcmp0 (response, "save") == 0)
    {
      if (needs_save_as (self))
        save_as (self); /* continues once saved */
      else if (save (self, moa_document_get_file (self->document)))
        continue_pending (self);
    }
  else
    {
      self->closing = FALSE;
      g_clear_object (&self->pending_open);
    }
}

/* Asks whether to save the changes before going on with the pending open or close. */
static void
ask_unsaved (MoaWindow *self)
{
  g_autofree char *body
      = g_strdup_printf (_ ("“%s” has changes that are not saved. Without saving they are lost."),
                         moa_document_get_title (self->document));
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "discard",
                                    _ ("_Discard"), "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (unsaved_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
moa_window_open_file (MoaWindow *self, GFile *file)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->document != NULL && moa_document_get_dirty (self->document))
    {
      g_set_object (&self->pending_open, file);
      ask_unsaved (self);
      return FALSE;
    }
  return open_now (self, file);
}

/* --- File choosers ------------------------------------------------------------------------- */

static GtkFileFilter *
xml_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _ ("Procedures (XML)"));
  gtk_file_filter_add_suffix (filter, "xml");
  gtk_file_filter_add_mime_type (filter, "application/xml");
  return filter;
}

static void
open_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  MoaWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      moa_window_open_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MoaWindow *self = MOA_WINDOW (widget);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (
      gtk_file_chooser_native_new (_ ("Open a Procedure"), GTK_WINDOW (self),
                                   GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel")));
  g_autoptr (GtkFileFilter) filter = xml_filter ();
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
save_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  MoaWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (save (self, file))
        continue_pending (self);
    }
  else
    {
      self->closing = FALSE;
      g_clear_object (&self->pending_open);
    }
  g_clear_object (&self->chooser);
}

static void
save_as (MoaWindow *self)
{
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (
      gtk_file_chooser_native_new (_ ("Save the Procedure"), GTK_WINDOW (self),
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel")));
  g_autoptr (GtkFileFilter) filter = xml_filter ();
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_autofree char *name
      = g_strdup_printf ("%s.xml", moa_document_get_procedure (self->document)->id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (save_response), self);
  gtk_native_dialog_show (self->chooser);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MoaWindow *self = MOA_WINDOW (widget);

  if (self->document == NULL)
    return;
  if (needs_save_as (self))
    save_as (self);
  else
    save (self, moa_document_get_file (self->document));
}

static void
save_as_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MoaWindow *self = MOA_WINDOW (widget);

  if (self->document != NULL)
    save_as (self);
}

static void
undo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  MoaWindow *self = MOA_WINDOW (widget);
  g_autoptr (GError) error = NULL;
  gboolean redo = g_str_equal (action_name, "win.redo");

  if (self->document == NULL)
    return;
  MoaUndoStack *stack = moa_document_get_undo_stack (self->document);
  if (!(redo ? moa_undo_stack_redo (stack, &error) : moa_undo_stack_undo (stack, &error))
      && error != NULL)
    moa_window_toast (self, error->message);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (MOA_WINDOW (widget)->search_entry));
}

/* --- Drag and drop -------------------------------------------------------------------------- */

static gboolean
drop (GtkDropTarget *target, const GValue *value, double x, double y, gpointer user_data)
{
  MoaWindow *self = user_data;

  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  moa_window_open_file (self, g_value_get_object (value));
  return TRUE;
}

/* --- Window state ---------------------------------------------------------------------------- */

static gboolean
close_request (GtkWindow *window)
{
  MoaWindow *self = MOA_WINDOW (window);
  GSettings *settings = moa_application_get_settings (app_of (self));

  if (settings != NULL)
    {
      int width, height;
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (settings);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (settings);
    }
  if (self->document != NULL && moa_document_get_dirty (self->document))
    {
      self->closing = TRUE;
      ask_unsaved (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (moa_window_parent_class)->close_request (window);
}

/* What needs the application (a property set after construction): settings and library. */
static void
setup_for_application (MoaWindow *self)
{
  MoaApplication *app = app_of (self);
  GSettings *settings = app != NULL ? moa_application_get_settings (app) : NULL;
  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  if (app != NULL)
    {
      g_signal_connect_object (app, "recent-changed", G_CALLBACK (reload_library), self,
                               G_CONNECT_SWAPPED);
      reload_library (self);
    }
}

static void
moa_window_dispose (GObject *object)
{
  MoaWindow *self = MOA_WINDOW (object);

  if (self->document != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->document, self);
      g_signal_handlers_disconnect_by_data (moa_document_get_undo_stack (self->document), self);
    }
  g_clear_object (&self->document);
  if (self->uncertainty != NULL)
    moa_uncertainty_set_document (self->uncertainty, NULL); /* cancels a run under way */
  g_clear_object (&self->uncertainty);
  g_clear_object (&self->chooser);
  g_clear_object (&self->pending_open);
  g_clear_object (&self->library);
  g_clear_object (&self->view_action);
  gtk_widget_dispose_template (GTK_WIDGET (self), MOA_TYPE_WINDOW);
  G_OBJECT_CLASS (moa_window_parent_class)->dispose (object);
}

static void
moa_window_finalize (GObject *object)
{
  MoaWindow *self = MOA_WINDOW (object);

  g_clear_object (&self->selection);
  g_free (self->library_dir);
  G_OBJECT_CLASS (moa_window_parent_class)->finalize (object);
}

static void
moa_window_class_init (MoaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  moa_ui_ensure_resources ();
  object_class->dispose = moa_window_dispose;
  object_class->finalize = moa_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = close_request;

  gtk_widget_class_set_template_from_resource (widget_class, MOA_APP_PATH "/moa-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, library_list);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, outline_box);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, detail_box);
  gtk_widget_class_bind_template_child (widget_class, MoaWindow, workflow_box);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
}

static void
moa_window_init (MoaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->library_dir = moa_library_default_dir ();
  self->selection = moa_selection_new ();

  self->outline = MOA_OUTLINE (moa_outline_new (self->selection));
  gtk_widget_set_vexpand (GTK_WIDGET (self->outline), TRUE);
  gtk_box_append (self->outline_box, GTK_WIDGET (self->outline));

  self->inspector = MOA_INSPECTOR (moa_inspector_new (self->selection));
  gtk_box_append (self->detail_box, GTK_WIDGET (self->inspector));

  GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_box_append (self->detail_box, separator);

  self->results_view = MOA_RESULTS_VIEW (moa_results_view_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (self->results_view), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->results_view), 18);
  gtk_box_append (self->detail_box, GTK_WIDGET (self->results_view));

  self->chart_title = gtk_label_new (_ ("Burden per Year by Activity"));
  gtk_label_set_xalign (GTK_LABEL (self->chart_title), 0);
  gtk_widget_add_css_class (self->chart_title, "title-4");
  gtk_widget_set_margin_start (self->chart_title, 18);
  gtk_widget_set_margin_top (self->chart_title, 6);
  gtk_box_append (self->detail_box, self->chart_title);

  self->chart = MOA_BURDEN_CHART (moa_burden_chart_new (self->selection));
  gtk_widget_set_margin_start (GTK_WIDGET (self->chart), 10);
  gtk_widget_set_margin_end (GTK_WIDGET (self->chart), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->chart), 18);
  gtk_box_append (self->detail_box, GTK_WIDGET (self->chart));

  self->workflow_view = MOA_WORKFLOW_VIEW (moa_workflow_view_new (self->selection));
  gtk_widget_set_vexpand (GTK_WIDGET (self->workflow_view), TRUE);
  gtk_box_append (self->workflow_box, GTK_WIDGET (self->workflow_view));

  /* Intervals and the tornado chart: 2,000 iterations, 500 ms after the last edit. */
  self->uncertainty = moa_uncertainty_new (2000, 500);
  moa_results_view_set_uncertainty (self->results_view, self->uncertainty);
  self->uncertainty_view = MOA_UNCERTAINTY_VIEW (moa_uncertainty_view_new (self->uncertainty));
  gtk_widget_set_margin_start (GTK_WIDGET (self->uncertainty_view), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->uncertainty_view), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->uncertainty_view), 18);
  gtk_box_append (self->detail_box, GTK_WIDGET (self->uncertainty_view));

  gtk_list_box_set_header_func (self->library_list, library_header, NULL, NULL);
  g_signal_connect (self->library_list, "row-activated", G_CALLBACK (library_row_activated), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed),
                            self);

  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  setup_views (self);
  set_document (self, NULL);
}

MoaWindow *
moa_window_new (MoaApplication *application)
{
  g_return_val_if_fail (MOA_IS_APPLICATION (application), NULL);
  MoaWindow *self = g_object_new (MOA_TYPE_WINDOW, "application", application, NULL);
  setup_for_application (self);
  return self;
}

MoaDocument *
moa_window_get_document (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->document;
}

MoaSelection *
moa_window_get_selection (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->selection;
}

MoaOutline *
moa_window_get_outline (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->outline;
}

MoaInspector *
moa_window_get_inspector (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->inspector;
}

MoaResultsView *
moa_window_get_results_view (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->results_view;
}

MoaBurdenChart *
moa_window_get_burden_chart (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->chart;
}

MoaWorkflowView *
moa_window_get_workflow_view (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->workflow_view;
}

MoaUncertaintyView *
moa_window_get_uncertainty_view (MoaWindow *self)
{
  g_return_val_if_fail (MOA_IS_WINDOW (self), NULL);
  return self->uncertainty_view;
}
