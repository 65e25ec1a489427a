/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The results browser's model: the runs of a result store and the rows of one run's report,
 * read by the core in worker threads. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "moa-results-model.h"
#include "moa-ui-format.h"

/* ---------------------------------------------------------------------------------------- */
/* Run items */

struct _MoaRunItem
{
  GObject parent_instance;
  MoaStoreRun *run;
};

enum
{
  RUN_PROP_0,
  RUN_PROP_ID,
  RUN_PROP_STATUS,
  RUN_PROP_CATALOG,
  RUN_PROP_STARTED,
  RUN_PROP_FINISHED,
  RUN_PROP_ITERATIONS,
  RUN_PROP_UNITS,
  RUN_N_PROPS
};
static GParamSpec *run_properties[RUN_N_PROPS];

G_DEFINE_FINAL_TYPE (MoaRunItem, moa_run_item, G_TYPE_OBJECT)

static void
moa_run_item_finalize (GObject *object)
{
  g_clear_pointer (&MOA_RUN_ITEM (object)->run, moa_store_run_free);
  G_OBJECT_CLASS (moa_run_item_parent_class)->finalize (object);
}

static void
moa_run_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  const MoaStoreRun *run = MOA_RUN_ITEM (object)->run;

  switch (prop_id)
    {
      case RUN_PROP_ID:
        g_value_set_int64 (value, run->id);
        break;
      case RUN_PROP_STATUS:
        g_value_set_string (value, run->status);
        break;
      case RUN_PROP_CATALOG:
        g_value_set_string (value, run->catalog_id);
        break;
      case RUN_PROP_STARTED:
        g_value_set_string (value, run->started_at);
        break;
      case RUN_PROP_FINISHED:
        g_value_set_string (value, run->finished_at);
        break;
      case RUN_PROP_ITERATIONS:
        g_value_set_uint (value, run->iterations);
        break;
      case RUN_PROP_UNITS:
        g_value_take_string (value, g_strdup_printf ("%u / %u", run->units_done, run->units_total));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
moa_run_item_class_init (MoaRunItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = moa_run_item_finalize;
  object_class->get_property = moa_run_item_get_property;
  run_properties[RUN_PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  run_properties[RUN_PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  run_properties[RUN_PROP_CATALOG] = g_param_spec_string ("catalog", NULL, NULL, NULL, flags);
  run_properties[RUN_PROP_STARTED] = g_param_spec_string ("started", NULL, NULL, NULL, flags);
  run_properties[RUN_PROP_FINISHED] = g_param_spec_string ("finished", NULL, NULL, NULL, flags);
  run_properties[RUN_PROP_ITERATIONS]
      = g_param_spec_uint ("iterations", NULL, NULL, 0, G_MAXUINT, 0, flags);
  run_properties[RUN_PROP_UNITS] = g_param_spec_string ("units", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, RUN_N_PROPS, run_properties);
}

static void
moa_run_item_init (MoaRunItem *self)
{
}

gint64
moa_run_item_get_id (MoaRunItem *self)
{
  g_return_val_if_fail (MOA_IS_RUN_ITEM (self), 0);
  return self->run->id;
}

const MoaStoreRun *
moa_run_item_get_run (MoaRunItem *self)
{
  g_return_val_if_fail (MOA_IS_RUN_ITEM (self), NULL);
  return self->run;
}

/* ---------------------------------------------------------------------------------------- */
/* Report rows */

struct _MoaResultsRow
{
  GObject parent_instance;
  char *key;
  char *title;
  char *kind;
  MoaReportTotals totals;
};

enum
{
  ROW_PROP_0,
  ROW_PROP_KEY,
  ROW_PROP_TITLE,
  ROW_PROP_KIND,
  ROW_PROP_BEFORE,
  ROW_PROP_AFTER,
  ROW_PROP_SAVING,
  ROW_PROP_SAVING_PERCENT,
  ROW_PROP_HOURS_SAVING,
  ROW_PROP_BUSINESSES_SAVING,
  ROW_PROP_SAVING_LOW,
  ROW_PROP_SAVING_HIGH,
  ROW_N_PROPS
};
static GParamSpec *row_properties[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (MoaResultsRow, moa_results_row, G_TYPE_OBJECT)

static void
moa_results_row_finalize (GObject *object)
{
  MoaResultsRow *self = MOA_RESULTS_ROW (object);

  g_free (self->key);
  g_free (self->title);
  g_free (self->kind);
  G_OBJECT_CLASS (moa_results_row_parent_class)->finalize (object);
}

static void
moa_results_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MoaResultsRow *self = MOA_RESULTS_ROW (object);
  const MoaReportFigure *burden = &self->totals.burden;

  switch (prop_id)
    {
      case ROW_PROP_KEY:
        g_value_set_string (value, self->key);
        break;
      case ROW_PROP_TITLE:
        g_value_set_string (value, self->title);
        break;
      case ROW_PROP_KIND:
        g_value_set_string (value, self->kind);
        break;
      case ROW_PROP_BEFORE:
        g_value_set_double (value, burden->before);
        break;
      case ROW_PROP_AFTER:
        g_value_set_double (value, burden->after);
        break;
      case ROW_PROP_SAVING:
        g_value_set_double (value, burden->saving);
        break;
      case ROW_PROP_SAVING_PERCENT:
        g_value_set_double (value, burden->saving_percent);
        break;
      case ROW_PROP_HOURS_SAVING:
        g_value_set_double (value, self->totals.citizens_hours.saving);
        break;
      case ROW_PROP_BUSINESSES_SAVING:
        g_value_set_double (value, self->totals.businesses.saving);
        break;
      case ROW_PROP_SAVING_LOW:
        g_value_set_double (value,
                            burden->saving_interval.n > 0 ? burden->saving_interval.p5 : NAN);
        break;
      case ROW_PROP_SAVING_HIGH:
        g_value_set_double (value,
                            burden->saving_interval.n > 0 ? burden->saving_interval.p95 : NAN);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
moa_results_row_class_init (MoaResultsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  static const char *const doubles[] = { "before",         "after",        "saving",
                                         "saving-percent", "hours-saving", "businesses-saving",
                                         "saving-low",     "saving-high" };

  object_class->finalize = moa_results_row_finalize;
  object_class->get_property = moa_results_row_get_property;
  row_properties[ROW_PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  row_properties[ROW_PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    row_properties[ROW_PROP_BEFORE + i]
        = g_param_spec_double (doubles[i], NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
moa_results_row_init (MoaResultsRow *self)
{
}

static MoaResultsRow *
results_row_new (const char *key, const MoaTitle *title, const char *kind,
                 const MoaReportTotals *totals)
{
  MoaResultsRow *self = g_object_new (MOA_TYPE_RESULTS_ROW, NULL);

  self->key = g_strdup (key);
  self->title = g_strdup (moa_title_get (title, moa_ui_get_lang (), key));
  self->kind = g_strdup (kind);
  self->totals = *totals;
  return self;
}

const char *
moa_results_row_get_key (MoaResultsRow *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_ROW (self), NULL);
  return self->key;
}

const char *
moa_results_row_get_title (MoaResultsRow *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_ROW (self), NULL);
  return self->title;
}

const MoaReportTotals *
moa_results_row_get_totals (MoaResultsRow *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_ROW (self), NULL);
  return &self->totals;
}

/* ---------------------------------------------------------------------------------------- */
/* The model */

/* A report shared between the model and an export running in a thread. */
typedef struct
{
  gatomicrefcount ref; /* atomic: shared by worker threads */
  MoaReport *report;
} ReportBox;

static ReportBox *
report_box_ref (ReportBox *box)
{
  g_atomic_ref_count_inc (&box->ref);
  return box;
}

static void
report_box_unref (ReportBox *box)
{
  if (box == NULL || !g_atomic_ref_count_dec (&box->ref))
    return;
  moa_report_free (box->report);
  g_free (box);
}

struct _MoaResultsModel
{
  GObject parent_instance;

  char *path;
  GListStore *runs;
  GListStore *procedures;
  GListStore *territories;
  ReportBox *report;
  gint64 run_id;
  GCancellable *cancellable; /* of the open or load running */
  guint busy;
};

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MoaResultsModel, moa_results_model, G_TYPE_OBJECT)

static void
moa_results_model_dispose (GObject *object)
{
  MoaResultsModel *self = MOA_RESULTS_MODEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (moa_results_model_parent_class)->dispose (object);
}

static void
moa_results_model_finalize (GObject *object)
{
  MoaResultsModel *self = MOA_RESULTS_MODEL (object);

  g_free (self->path);
  g_object_unref (self->runs);
  g_object_unref (self->procedures);
  g_object_unref (self->territories);
  g_clear_pointer (&self->report, report_box_unref);
  G_OBJECT_CLASS (moa_results_model_parent_class)->finalize (object);
}

static void
moa_results_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_BUSY:
        g_value_set_boolean (value, MOA_RESULTS_MODEL (object)->busy > 0);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
moa_results_model_class_init (MoaResultsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = moa_results_model_dispose;
  object_class->finalize = moa_results_model_finalize;
  object_class->get_property = moa_results_model_get_property;
  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
moa_results_model_init (MoaResultsModel *self)
{
  self->runs = g_list_store_new (MOA_TYPE_RUN_ITEM);
  self->procedures = g_list_store_new (MOA_TYPE_RESULTS_ROW);
  self->territories = g_list_store_new (MOA_TYPE_RESULTS_ROW);
}

MoaResultsModel *
moa_results_model_new (void)
{
  return g_object_new (MOA_TYPE_RESULTS_MODEL, NULL);
}

static void
busy_push (MoaResultsModel *self)
{
  if (self->busy++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
busy_pop (MoaResultsModel *self)
{
  if (--self->busy == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* What a worker thread read. */
typedef struct
{
  char *path;
  gint64 run_id;      /* asked for; 0: the newest complete run, else the newest */
  gboolean list_runs; /* opening: list the runs too */
  GPtrArray *runs;    /* MoaStoreRun*, read */
  MoaReport *report;  /* read */
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->runs, g_ptr_array_unref);
  g_clear_pointer (&data->report, moa_report_free);
  g_free (data);
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ReadData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaStore) store = moa_store_open (data->path, FALSE, &error);
  gint64 run_id = data->run_id;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->list_runs)
    {
      data->runs = moa_store_list_runs (store, &error);
      if (data->runs == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (data->runs->len == 0)
        {
          g_task_return_new_error (task, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN,
                                   _ ("%s: the result store has no run (run moa batch first)"),
                                   data->path);
          return;
        }
      /* The newest complete run, else the newest (runs are listed newest first). */
      run_id = ((MoaStoreRun *)g_ptr_array_index (data->runs, 0))->id;
      for (guint i = 0; i < data->runs->len; i++)
        {
          const MoaStoreRun *run = g_ptr_array_index (data->runs, i);
          if (g_strcmp0 (run->status, "complete") == 0)
            {
              run_id = run->id;
              break;
            }
        }
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  data->report = moa_store_read_report (store, run_id, &error);
  if (data->report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Shows what @data read. */
static void
show (MoaResultsModel *self, ReadData *data)
{
  if (data->runs != NULL)
    {
      g_free (self->path);
      self->path = g_strdup (data->path);
      g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
      /* The items take the runs. */
      g_ptr_array_set_free_func (data->runs, NULL);
      for (guint i = 0; i < data->runs->len; i++)
        {
          MoaRunItem *item = g_object_new (MOA_TYPE_RUN_ITEM, NULL);
          item->run = g_ptr_array_index (data->runs, i);
          g_ptr_array_add (items, item);
        }
      g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                           items->pdata, items->len);
    }

  MoaReport *report = g_steal_pointer (&data->report);
  g_autoptr (GPtrArray) procedures = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < report->procedures->len; i++)
    {
      const MoaReportProcedure *p = g_ptr_array_index (report->procedures, i);
      g_ptr_array_add (procedures, results_row_new (p->id, &p->title, p->area, &p->totals));
    }
  g_autoptr (GPtrArray) territories = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < report->by_territory->len; i++)
    {
      const MoaReportRow *r = g_ptr_array_index (report->by_territory, i);
      g_ptr_array_add (territories, results_row_new (r->key, &r->title, r->kind, &r->totals));
    }

  g_clear_pointer (&self->report, report_box_unref);
  self->report = g_new0 (ReportBox, 1);
  g_atomic_ref_count_init (&self->report->ref);
  self->report->report = report;
  self->run_id = report->run_id;
  g_list_store_splice (self->procedures, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->procedures)),
                       procedures->pdata, procedures->len);
  g_list_store_splice (self->territories, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->territories)),
                       territories->pdata, territories->len);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MoaResultsModel *self = MOA_RESULTS_MODEL (source);
  GTask *outer = user_data; /* owned */
  g_autoptr (GError) error = NULL;

  busy_pop (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    {
      show (self, g_task_get_task_data (G_TASK (result)));
      g_task_return_boolean (outer, TRUE);
    }
  g_object_unref (outer);
}

static void
start_read (MoaResultsModel *self, ReadData *data, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data, gpointer tag)
{
  /* The caller's task, and the worker's with the model's own cancellable (a newer read
   * cancels it; so does the caller's). */
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tag);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             self->cancellable, G_CONNECT_SWAPPED);

  g_autoptr (GTask) task = g_task_new (self, self->cancellable, read_done, outer);
  g_task_set_task_data (task, data, (GDestroyNotify)read_data_free);
  busy_push (self);
  g_task_run_in_thread (task, read_thread);
}

void
moa_results_model_open_async (MoaResultsModel *self, const char *path, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (MOA_IS_RESULTS_MODEL (self));
  g_return_if_fail (path != NULL);

  ReadData *data = g_new0 (ReadData, 1);
  data->path = g_strdup (path);
  data->list_runs = TRUE;
  start_read (self, data, cancellable, callback, user_data, moa_results_model_open_async);
}

gboolean
moa_results_model_open_finish (MoaResultsModel *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
moa_results_model_load_run_async (MoaResultsModel *self, gint64 run_id, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (MOA_IS_RESULTS_MODEL (self));
  g_return_if_fail (self->path != NULL);

  ReadData *data = g_new0 (ReadData, 1);
  data->path = g_strdup (self->path);
  data->run_id = run_id;
  start_read (self, data, cancellable, callback, user_data, moa_results_model_load_run_async);
}

gboolean
moa_results_model_load_run_finish (MoaResultsModel *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* An export running. */
typedef struct
{
  ReportBox *report;
  MoaReportFormat format;
  char *lang;
  char *path;
} ExportData;

static void
export_data_free (ExportData *data)
{
  report_box_unref (data->report);
  g_free (data->lang);
  g_free (data->path);
  g_free (data);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr (GError) error = NULL;

  if (moa_report_write (data->report->report, data->format, data->lang, data->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *outer = user_data; /* owned */
  g_autoptr (GError) error = NULL;

  busy_pop (MOA_RESULTS_MODEL (source));
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, g_steal_pointer (&error));
  g_object_unref (outer);
}

void
moa_results_model_export_async (MoaResultsModel *self, MoaReportFormat format, const char *lang,
                                const char *path, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (MOA_IS_RESULTS_MODEL (self));
  g_return_if_fail (lang != NULL);
  g_return_if_fail (path != NULL);

  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, moa_results_model_export_async);
  if (self->report == NULL)
    {
      g_task_return_new_error (outer, MOA_STORE_ERROR, MOA_STORE_ERROR_NO_RUN,
                               _ ("no report to export: open a result store first"));
      g_object_unref (outer);
      return;
    }
  ExportData *data = g_new0 (ExportData, 1);
  data->report = report_box_ref (self->report);
  data->format = format;
  data->lang = g_strdup (lang);
  data->path = g_strdup (path);
  g_autoptr (GTask) task = g_task_new (self, cancellable, export_done, outer);
  g_task_set_task_data (task, data, (GDestroyNotify)export_data_free);
  busy_push (self);
  g_task_run_in_thread (task, export_thread);
}

gboolean
moa_results_model_export_finish (MoaResultsModel *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
moa_results_model_get_path (MoaResultsModel *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_MODEL (self), NULL);
  return self->path;
}

GListModel *
moa_results_model_get_runs (MoaResultsModel *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_MODEL (self), NULL);
  return G_LIST_MODEL (self->runs);
}

GListModel *
moa_results_model_get_procedures (MoaResultsModel *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_MODEL (self), NULL);
  return G_LIST_MODEL (self->procedures);
}

GListModel *
moa_results_model_get_territories (MoaResultsModel *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_MODEL (self), NULL);
  return G_LIST_MODEL (self->territories);
}

const MoaReport *
moa_results_model_get_report (MoaResultsModel *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_MODEL (self), NULL);
  return self->report != NULL ? self->report->report : NULL;
}

gint64
moa_results_model_get_run_id (MoaResultsModel *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_MODEL (self), 0);
  return self->run_id;
}

gboolean
moa_results_model_get_busy (MoaResultsModel *self)
{
  g_return_val_if_fail (MOA_IS_RESULTS_MODEL (self), FALSE);
  return self->busy > 0;
}
