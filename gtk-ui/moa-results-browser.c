/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The results browser: a bar (open, export), the programme's totals, and three sortable
 * column views (runs, procedures, territories) over MoaResultsModel's lists. Every figure is
 * the store's, formatted. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <inttypes.h>
#include <math.h>

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "moa-results-browser.h"
#include "moa-ui-format.h"

struct _MoaResultsBrowser
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *path;
  GtkWidget *spinner;
  GtkWidget *format;
  GtkWidget *lang;
  GtkWidget *export_button;
  GtkWidget *message;
  GtkWidget *summary;
  GtkWidget *runs_view;
  GtkSingleSelection *runs_selection;
  MoaResultsModel *model;
  GCancellable *cancellable;
  gboolean loading; /* the run selection is being set by the model */
};

G_DEFINE_FINAL_TYPE (MoaResultsBrowser, moa_results_browser, GTK_TYPE_WIDGET)

typedef enum
{
  CELL_STRING,
  CELL_INT,
  CELL_MONEY,
  CELL_HOURS,
  CELL_PERCENT,
} CellKind;

typedef struct
{
  char *property;
  CellKind kind;
} ColumnData;

static void
column_data_free (ColumnData *data)
{
  g_free (data->property);
  g_free (data);
}

static void
toast (MoaResultsBrowser *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    return;
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *t = adw_toast_new (escaped);
  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
}

static void
show_message (MoaResultsBrowser *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text != NULL ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Columns */

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnData *data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), data->kind == CELL_STRING ? 0.0 : 1.0);
  if (data->kind == CELL_STRING)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 12);
    }
  if (data->kind != CELL_STRING)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, ColumnData *data)
{
  GObject *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_auto (GValue) value = G_VALUE_INIT;
  g_autofree char *text = NULL;

  g_object_get_property (row, data->property, &value);
  switch (data->kind)
    {
      case CELL_STRING:
        text = g_strdup (g_value_get_string (&value));
        break;
      case CELL_INT:
        text = G_VALUE_HOLDS_INT64 (&value)
                   ? g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value))
                   : g_strdup_printf ("%u", g_value_get_uint (&value));
        break;
      case CELL_MONEY:
        text = isfinite (g_value_get_double (&value))
                   ? moa_ui_format_money (g_value_get_double (&value))
                   : g_strdup ("—");
        break;
      case CELL_HOURS:
        text = moa_ui_format_hours (g_value_get_double (&value));
        break;
      case CELL_PERCENT:
        text = g_strdup_printf ("%.1f %%", g_value_get_double (&value));
        break;
    }
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
}

static void
add_column (GtkColumnView *view, GType type, const char *title, const char *property, CellKind kind,
            gboolean expand)
{
  ColumnData *data = g_new0 (ColumnData, 1);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkExpression *expression = gtk_property_expression_new (type, NULL, property);
  GtkSorter *sorter = kind == CELL_STRING ? GTK_SORTER (gtk_string_sorter_new (expression))
                                          : GTK_SORTER (gtk_numeric_sorter_new (expression));

  data->property = g_strdup (property);
  data->kind = kind;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), data);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), data);
  g_object_set_data_full (G_OBJECT (factory), "column-data", data,
                          (GDestroyNotify)column_data_free);
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
  g_object_unref (sorter);
  g_object_unref (column);
}

/* A column view over @model sorted by its columns' sorters; @selection_out gets the single
 * selection when not NULL (else rows are not selectable). */
static GtkWidget *
table (GListModel *model, GtkSingleSelection **selection_out)
{
  GtkWidget *view = gtk_column_view_new (NULL);
  GtkSorter *sorter = gtk_column_view_get_sorter (GTK_COLUMN_VIEW (view));
  GtkSortListModel *sorted = gtk_sort_list_model_new (g_object_ref (model), g_object_ref (sorter));
  GtkSelectionModel *selection;

  if (selection_out != NULL)
    {
      GtkSingleSelection *single = gtk_single_selection_new (G_LIST_MODEL (sorted));
      gtk_single_selection_set_autoselect (single, FALSE);
      gtk_single_selection_set_can_unselect (single, TRUE);
      *selection_out = single;
      selection = GTK_SELECTION_MODEL (single);
    }
  else
    selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (sorted)));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (view), selection);
  g_object_unref (selection);
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "data-table");
  return view;
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *scroll = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), child);
  gtk_widget_set_vexpand (scroll, TRUE);
  return scroll;
}

static void
add_figure_columns (GtkColumnView *view)
{
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("Before"), "before", CELL_MONEY, FALSE);
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("After"), "after", CELL_MONEY, FALSE);
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("Saving"), "saving", CELL_MONEY, FALSE);
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("Saving %"), "saving-percent", CELL_PERCENT, FALSE);
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("Saving P5"), "saving-low", CELL_MONEY, FALSE);
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("Saving P95"), "saving-high", CELL_MONEY, FALSE);
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("Citizens' Hours Saved"), "hours-saving", CELL_HOURS,
              FALSE);
  add_column (view, MOA_TYPE_RESULTS_ROW, _ ("Businesses' Saving"), "businesses-saving", CELL_MONEY,
              FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Opening, loading a run, exporting */

static void
show_summary (MoaResultsBrowser *self)
{
  const MoaReport *report = moa_results_model_get_report (self->model);

  if (report == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->summary), _ ("No result store open."));
      gtk_widget_set_sensitive (self->export_button, FALSE);
      return;
    }
  g_autofree char *before = moa_ui_format_money (report->totals.burden.before);
  g_autofree char *after = moa_ui_format_money (report->totals.burden.after);
  g_autofree char *saving = moa_ui_format_money (report->totals.burden.saving);
  g_autofree char *text = g_strdup_printf (
      _ ("Run %" PRId64 " of catalog “%s”%s: burden per year %s before, %s after, "
         "saving %s (%.1f %%), prices of %d"),
      report->run_id,
      moa_title_get (&report->catalog_title, moa_ui_get_lang (), report->catalog_id),
      report->finished_at == NULL ? _ (" (unfinished)") : "", before, after, saving,
      report->totals.burden.saving_percent, report->price_year);
  gtk_label_set_text (GTK_LABEL (self->summary), text);
  gtk_widget_set_sensitive (self->export_button, TRUE);
}

/* Selects the run shown in the runs table without reloading it. */
static void
select_shown_run (MoaResultsBrowser *self)
{
  GListModel *list = G_LIST_MODEL (self->runs_selection);
  gint64 id = moa_results_model_get_run_id (self->model);

  self->loading = TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (MoaRunItem) item = g_list_model_get_item (list, i);
      if (moa_run_item_get_id (item) == id)
        gtk_single_selection_set_selected (self->runs_selection, i);
    }
  self->loading = FALSE;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MoaResultsModel *model = MOA_RESULTS_MODEL (source);
  g_autoptr (MoaResultsBrowser) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_message (self, error->message);
      toast (self, error->message);
      return;
    }
  (void)model;
  show_message (self, NULL);
  const char *path = moa_results_model_get_path (self->model);
  gtk_label_set_text (GTK_LABEL (self->path), path != NULL ? path : "");
  select_shown_run (self);
  show_summary (self);
}

void
moa_results_browser_open (MoaResultsBrowser *self, const char *path)
{
  g_return_if_fail (MOA_IS_RESULTS_BROWSER (self));
  g_return_if_fail (path != NULL);

  moa_results_model_open_async (self->model, path, self->cancellable, on_read, g_object_ref (self));
}

static void
on_run_selected (MoaResultsBrowser *self)
{
  MoaRunItem *item = gtk_single_selection_get_selected_item (self->runs_selection);

  if (self->loading || item == NULL
      || moa_run_item_get_id (item) == moa_results_model_get_run_id (self->model))
    return;
  moa_results_model_load_run_async (self->model, moa_run_item_get_id (item), self->cancellable,
                                    on_read, g_object_ref (self));
}

static void
on_choose_response (GtkNativeDialog *dialog, int response, MoaResultsBrowser *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      if (path != NULL)
        moa_results_browser_open (self, path);
    }
  g_object_unref (dialog);
}

void
moa_results_browser_choose (MoaResultsBrowser *self)
{
  g_return_if_fail (MOA_IS_RESULTS_BROWSER (self));

  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      _ ("Open a Result Store"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
      GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("Result stores (*.db, *.sqlite)"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_pattern (filter, "*.sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_choose_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static const char *const formats[] = { "PDF", "HTML", "CSV", NULL };
static const char *const format_ext[] = { "pdf", "html", "csv" };
static const char *const langs[] = { "it", "en", NULL };

typedef struct
{
  MoaResultsBrowser *self; /* a reference */
  char *path;
} Export;

static void
on_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Export *export = user_data;
  g_autoptr (GError) error = NULL;

  if (!moa_results_model_export_finish (MOA_RESULTS_MODEL (source), result, &error))
    toast (export->self, error->message);
  else
    {
      g_autofree char *text = g_strdup_printf (_ ("Report written to %s"), export->path);
      toast (export->self, text);
    }
  g_object_unref (export->self);
  g_free (export->path);
  g_free (export);
}

void
moa_results_browser_export (MoaResultsBrowser *self, MoaReportFormat format, const char *lang,
                            const char *path)
{
  g_return_if_fail (MOA_IS_RESULTS_BROWSER (self));
  g_return_if_fail (lang != NULL);
  g_return_if_fail (path != NULL);

  Export *export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->path = g_strdup (path);
  moa_results_model_export_async (self->model, format, lang, path, self->cancellable, on_exported,
                                  export);
}

static void
on_export_response (GtkNativeDialog *dialog, int response, MoaResultsBrowser *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      guint f = MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->format)), 2);
      guint l = MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->lang)), 1);
      if (path != NULL)
        moa_results_browser_export (self, (MoaReportFormat)f, langs[l], path);
    }
  g_object_unref (dialog);
}

static void
on_export (MoaResultsBrowser *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (
      _ ("Export the Report"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
      GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  guint f = MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->format)), 2);
  guint l = MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->lang)), 1);
  g_autofree char *name = g_strdup_printf ("report-%s.%s", langs[l], format_ext[f]);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---------------------------------------------------------------------------------------- */

static void
moa_results_browser_dispose (GObject *object)
{
  MoaResultsBrowser *self = MOA_RESULTS_BROWSER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (moa_results_browser_parent_class)->dispose (object);
}

static void
moa_results_browser_class_init (MoaResultsBrowserClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = moa_results_browser_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "moa-results-browser");
}

static void
busy_changed (MoaResultsBrowser *self)
{
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), moa_results_model_get_busy (self->model));
}

static void
moa_results_browser_init (MoaResultsBrowser *self)
{
  self->model = moa_results_model_new ();
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->model, "notify::busy", G_CALLBACK (busy_changed), self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *open = gtk_button_new_with_mnemonic (_ ("_Open a Result Store…"));
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (moa_results_browser_choose), self);
  gtk_box_append (GTK_BOX (bar), open);
  self->path = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->path), PANGO_ELLIPSIZE_START);
  gtk_widget_set_hexpand (self->path, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->path), 0);
  gtk_widget_add_css_class (self->path, "dim-label");
  gtk_box_append (GTK_BOX (bar), self->path);
  self->spinner = gtk_spinner_new ();
  gtk_box_append (GTK_BOX (bar), self->spinner);
  self->format = gtk_drop_down_new_from_strings (formats);
  gtk_widget_set_tooltip_text (self->format, _ ("Report format"));
  gtk_box_append (GTK_BOX (bar), self->format);
  self->lang = gtk_drop_down_new_from_strings (langs);
  gtk_widget_set_tooltip_text (self->lang, _ ("Report language"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->lang),
                              g_strcmp0 (moa_ui_get_lang (), "it") == 0 ? 0 : 1);
  gtk_box_append (GTK_BOX (bar), self->lang);
  self->export_button = gtk_button_new_with_mnemonic (_ ("_Export Report…"));
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_export), self);
  gtk_box_append (GTK_BOX (bar), self->export_button);
  gtk_box_append (GTK_BOX (self->box), bar);

  self->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->message), TRUE);
  gtk_widget_add_css_class (self->message, "error");
  gtk_widget_set_visible (self->message, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->message);

  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0);
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_widget_add_css_class (self->summary, "heading");
  gtk_box_append (GTK_BOX (self->box), self->summary);

  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *switcher = gtk_stack_switcher_new ();
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (stack));
  gtk_widget_set_halign (switcher, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->box), switcher);
  gtk_box_append (GTK_BOX (self->box), stack);

  /* Runs. */
  self->runs_view = table (moa_results_model_get_runs (self->model), &self->runs_selection);
  GtkColumnView *runs = GTK_COLUMN_VIEW (self->runs_view);
  add_column (runs, MOA_TYPE_RUN_ITEM, _ ("Run"), "id", CELL_INT, FALSE);
  add_column (runs, MOA_TYPE_RUN_ITEM, _ ("Catalog"), "catalog", CELL_STRING, TRUE);
  add_column (runs, MOA_TYPE_RUN_ITEM, _ ("Status"), "status", CELL_STRING, FALSE);
  add_column (runs, MOA_TYPE_RUN_ITEM, _ ("Started"), "started", CELL_STRING, FALSE);
  add_column (runs, MOA_TYPE_RUN_ITEM, _ ("Finished"), "finished", CELL_STRING, FALSE);
  add_column (runs, MOA_TYPE_RUN_ITEM, _ ("Iterations"), "iterations", CELL_INT, FALSE);
  add_column (runs, MOA_TYPE_RUN_ITEM, _ ("Procedures Done"), "units", CELL_STRING, FALSE);
  g_signal_connect_swapped (self->runs_selection, "notify::selected", G_CALLBACK (on_run_selected),
                            self);
  gtk_stack_add_titled (GTK_STACK (stack), scrolled (self->runs_view), "runs", _ ("Runs"));

  /* Procedures. */
  GtkWidget *procedures = table (moa_results_model_get_procedures (self->model), NULL);
  add_column (GTK_COLUMN_VIEW (procedures), MOA_TYPE_RESULTS_ROW, _ ("Procedure"), "title",
              CELL_STRING, TRUE);
  add_column (GTK_COLUMN_VIEW (procedures), MOA_TYPE_RESULTS_ROW, _ ("Area"), "kind", CELL_STRING,
              FALSE);
  add_figure_columns (GTK_COLUMN_VIEW (procedures));
  gtk_stack_add_titled (GTK_STACK (stack), scrolled (procedures), "procedures", _ ("Procedures"));

  /* Territories. */
  GtkWidget *territories = table (moa_results_model_get_territories (self->model), NULL);
  add_column (GTK_COLUMN_VIEW (territories), MOA_TYPE_RESULTS_ROW, _ ("Territory"), "title",
              CELL_STRING, TRUE);
  add_column (GTK_COLUMN_VIEW (territories), MOA_TYPE_RESULTS_ROW, _ ("Kind"), "kind", CELL_STRING,
              FALSE);
  add_figure_columns (GTK_COLUMN_VIEW (territories));
  gtk_stack_add_titled (GTK_STACK (stack), scrolled (territories), "territories",
                        _ ("Territories"));
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "procedures");

  show_summary (self);
}

GtkWidget *
moa_results_browser_new (void)
{
  return g_object_new (MOA_TYPE_RESULTS_BROWSER, NULL);
}

MoaResultsModel *
moa_results_browser_get_model (MoaResultsBrowser *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_BROWSER (self), NULL);
  return self->model;
}

GtkSpinner *
moa_results_browser_get_spinner (MoaResultsBrowser *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_BROWSER (self), NULL);
  return GTK_SPINNER (self->spinner);
}
