/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenario of the before / after view: measure texts with snapshot undo, read and checked
 * by the core, and compared by the core in a worker thread. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-library.h"
#include "moa-scenario-document.h"
#include "moa-ui-format.h"
#include "moa-xml.h"

/* ---------------------------------------------------------------------------------------- */
/* Measure specs */

static const char *const attrs_digitalise[] = { "obligations", NULL };
static const char *const attrs_once_only[] = { "obligations", "activities", NULL };
static const char *const attrs_remove[] = { "elements", NULL };
static const char *const attrs_frequency[] = { "obligation", "frequency", "cases", NULL };
static const char *const attrs_population[] = { "segment", "population", NULL };
static const char *const attrs_none[] = { NULL };
static const char *const attrs_add_activity[] = { "after", NULL };

/* The type's own attributes (see the header). */
const char *const *
moa_measure_type_get_attributes (MoaMeasureType type)
{
  switch (type)
    {
      case MOA_MEASURE_DIGITALISE_SUBMISSION:
        return attrs_digitalise;
      case MOA_MEASURE_ONCE_ONLY:
        return attrs_once_only;
      case MOA_MEASURE_REMOVE:
        return attrs_remove;
      case MOA_MEASURE_CHANGE_FREQUENCY:
        return attrs_frequency;
      case MOA_MEASURE_CHANGE_POPULATION:
        return attrs_population;
      case MOA_MEASURE_ADD_ACTIVITY:
        return attrs_add_activity;
      case MOA_MEASURE_SET_PARAMETER:
      case MOA_MEASURE_ADD_OBLIGATION:
      default:
        return attrs_none;
    }
}

/* A new <set> (the strings are copied; empty @segment means none). */
MoaSetSpec *
moa_set_spec_new (const char *element, const char *attribute, const char *value,
                  const char *segment)
{
  MoaSetSpec *set = g_new0 (MoaSetSpec, 1);

  set->element = g_strdup (element);
  set->attribute = g_strdup (attribute);
  set->value = g_strdup (value);
  set->segment = segment != NULL && *segment != '\0' ? g_strdup (segment) : NULL;
  return set;
}

void
moa_set_spec_free (MoaSetSpec *set)
{
  if (set == NULL)
    return;
  g_free (set->element);
  g_free (set->attribute);
  g_free (set->value);
  g_free (set->segment);
  g_free (set);
}

MoaMeasureSpec *
moa_measure_spec_new (MoaMeasureType type)
{
  MoaMeasureSpec *spec = g_new0 (MoaMeasureSpec, 1);

  spec->type = type;
  spec->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  spec->sets = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_set_spec_free);
  return spec;
}

void
moa_measure_spec_free (MoaMeasureSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->id);
  g_free (spec->title_it);
  g_free (spec->title_en);
  g_free (spec->justification);
  g_free (spec->source);
  g_hash_table_unref (spec->attributes);
  g_ptr_array_unref (spec->sets);
  g_free (spec);
}

static gboolean
type_from_string (const char *name, MoaMeasureType *type)
{
  for (int t = MOA_MEASURE_DIGITALISE_SUBMISSION; t <= MOA_MEASURE_ADD_OBLIGATION; t++)
    if (name != NULL && g_strcmp0 (moa_measure_type_to_string (t), name) == 0)
      {
        *type = t;
        return TRUE;
      }
  return FALSE;
}

/* Text of an element with the surrounding blanks removed (new string, NULL when none). */
static char *
node_text (const MoaXmlNode *node)
{
  if (node->text == NULL)
    return NULL;
  return g_strstrip (g_strdup (node->text));
}

/* Reads a <measure> element (see the header). */
MoaMeasureSpec *
moa_measure_spec_parse (const char *xml, GError **error)
{
  g_return_val_if_fail (xml != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (MoaXmlNode) root = moa_xml_parse (xml, strlen (xml), "measure", error);
  if (root == NULL)
    return NULL;
  MoaMeasureType type;
  const char *type_name = moa_xml_node_get_attr (root, "type");
  if (strcmp (root->name, "measure") != 0 || !type_from_string (type_name, &type))
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_WRONG_ROOT,
                   _ ("<%s type=\"%s\"> is not a measure of a known type"), root->name,
                   type_name != NULL ? type_name : "");
      return NULL;
    }
  if (type == MOA_MEASURE_ADD_ACTIVITY || type == MOA_MEASURE_ADD_OBLIGATION)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                   _ ("measure \"%s\" of type %s adds procedure elements: edit it in the "
                      "scenario file"),
                   moa_xml_node_get_attr (root, "id"), type_name);
      return NULL;
    }

  g_autoptr (MoaMeasureSpec) spec = moa_measure_spec_new (type);
  spec->id = g_strdup (moa_xml_node_get_attr (root, "id"));
  for (const char *const *a = moa_measure_type_get_attributes (type); *a != NULL; a++)
    {
      const char *value = moa_xml_node_get_attr (root, *a);
      if (value != NULL)
        g_hash_table_insert (spec->attributes, g_strdup (*a), g_strdup (value));
    }
  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (root->children, i);

      if (strcmp (child->name, "title") == 0)
        {
          const char *lang = moa_xml_node_get_attr (child, "lang");
          char **field = g_strcmp0 (lang, "it") == 0 ? &spec->title_it : &spec->title_en;
          g_free (*field);
          *field = node_text (child);
        }
      else if (strcmp (child->name, "justification") == 0)
        spec->justification = node_text (child);
      else if (strcmp (child->name, "source") == 0)
        spec->source = node_text (child);
      else if (strcmp (child->name, "set") == 0)
        g_ptr_array_add (spec->sets, moa_set_spec_new (moa_xml_node_get_attr (child, "element"),
                                                       moa_xml_node_get_attr (child, "attribute"),
                                                       moa_xml_node_get_attr (child, "value"),
                                                       moa_xml_node_get_attr (child, "segment")));
    }
  return g_steal_pointer (&spec);
}

static gboolean
is_empty (const char *s)
{
  return s == NULL || *s == '\0';
}

static void
append_element (GString *out, const char *name, const char *lang, const char *text)
{
  if (is_empty (text))
    return;
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  if (lang != NULL)
    g_string_append_printf (out, "  <%s lang=\"%s\">%s</%s>\n", name, lang, escaped, name);
  else
    g_string_append_printf (out, "  <%s>%s</%s>\n", name, escaped, name);
}

static void
append_attr (GString *out, const char *name, const char *value)
{
  if (is_empty (value))
    return;
  g_autofree char *escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (out, " %s=\"%s\"", name, escaped);
}

/* The <measure> element of @spec (see the header). */
char *
moa_measure_spec_to_xml (const MoaMeasureSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);

  GString *out = g_string_new ("<measure");
  append_attr (out, "id", spec->id);
  append_attr (out, "type", moa_measure_type_to_string (spec->type));
  for (const char *const *a = moa_measure_type_get_attributes (spec->type); *a != NULL; a++)
    append_attr (out, *a, g_hash_table_lookup (spec->attributes, *a));
  g_string_append (out, ">\n");
  append_element (out, "title", "it", spec->title_it);
  append_element (out, "title", "en", spec->title_en);
  append_element (out, "justification", NULL, spec->justification);
  append_element (out, "source", NULL, spec->source);
  for (guint i = 0; i < spec->sets->len; i++)
    {
      const MoaSetSpec *set = g_ptr_array_index (spec->sets, i);

      g_string_append (out, "  <set");
      append_attr (out, "element", set->element);
      append_attr (out, "attribute", set->attribute);
      append_attr (out, "value", set->value);
      append_attr (out, "segment", set->segment);
      g_string_append (out, "/>\n");
    }
  g_string_append (out, "</measure>\n");
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Bundled scenarios */

void
moa_scenario_choice_free (MoaScenarioChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->file);
  g_free (choice->title);
  g_free (choice);
}

static char *
canonical (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  /* Resolve symbolic links when the file exists, as the core does for baselines. */
  char *real = realpath (absolute, NULL);
  if (real != NULL)
    {
      char *copy = g_strdup (real);
      free (real);
      return copy;
    }
  return g_steal_pointer (&absolute);
}

static int
compare_choices (gconstpointer a, gconstpointer b)
{
  const MoaScenarioChoice *x = *(MoaScenarioChoice **)a, *y = *(MoaScenarioChoice **)b;
  return g_utf8_collate (x->title, y->title);
}

/* The scenarios of @dir for @procedure_file (see the header). */
GPtrArray *
moa_scenario_list_for_procedure (const char *dir, const char *procedure_file)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (procedure_file != NULL, NULL);

  GPtrArray *choices = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_scenario_choice_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return choices;
  g_autofree char *target = canonical (procedure_file);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_suffix (name, ".xml"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (MoaXmlNode) root = moa_xml_parse_file (path, NULL);
      const char *baseline = root != NULL ? moa_xml_node_get_attr (root, "baseline") : NULL;
      if (root == NULL || strcmp (root->name, "scenario") != 0 || baseline == NULL)
        continue;
      g_autofree char *resolved = g_path_is_absolute (baseline)
                                      ? g_strdup (baseline)
                                      : g_build_filename (dir, baseline, NULL);
      g_autofree char *resolved_canonical = canonical (resolved);
      if (strcmp (resolved_canonical, target) != 0)
        continue;

      MoaScenarioChoice *choice = g_new0 (MoaScenarioChoice, 1);
      const char *lang = moa_ui_get_lang ();
      choice->file = g_steal_pointer (&path);
      for (guint i = 0; root->children != NULL && i < root->children->len; i++)
        {
          const MoaXmlNode *child = g_ptr_array_index (root->children, i);
          if (strcmp (child->name, "title") == 0 && child->text != NULL
              && (choice->title == NULL
                  || g_strcmp0 (moa_xml_node_get_attr (child, "lang"), lang) == 0))
            {
              g_free (choice->title);
              choice->title = node_text (child);
            }
        }
      if (choice->title == NULL)
        choice->title = g_strdup (moa_xml_node_get_attr (root, "id"));
      if (choice->title == NULL)
        choice->title = g_strdup (name);
      g_ptr_array_add (choices, choice);
    }
  g_ptr_array_sort (choices, compare_choices);
  return choices;
}

char *
moa_scenario_default_dir (void)
{
  g_autofree char *library = moa_library_default_dir ();
  return g_build_filename (library, "scenarios", NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* The document */

/* One state of the measures, shared by the undo history and the comparison thread. */
typedef struct
{
  gatomicrefcount ref;   /* atomic: shared by worker threads */
  GStrv measures;        /* the <measure> texts */
  MoaScenario *scenario; /* the core's reading of them; NULL without measures */
  char *label;           /* translated: the edit that led here; NULL for the first state */
} Snapshot;

static Snapshot *
snapshot_ref (Snapshot *snapshot)
{
  g_atomic_ref_count_inc (&snapshot->ref);
  return snapshot;
}

static void
snapshot_unref (Snapshot *snapshot)
{
  if (snapshot == NULL || !g_atomic_ref_count_dec (&snapshot->ref))
    return;
  g_strfreev (snapshot->measures);
  g_clear_pointer (&snapshot->scenario, moa_scenario_free);
  g_free (snapshot->label);
  g_free (snapshot);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_unref)

struct _MoaScenarioDocument
{
  GObject parent_instance;

  char *file;   /* NULL until saved */
  char *path;   /* the name the core reads the scenario under (the file, or next to the
                 * procedure) */
  char *header; /* the scenario's text before its measures */
  char *id;
  char *title;
  MoaProcedure *baseline;
  MoaCostModel *model;

  GPtrArray *history; /* Snapshot*: [0, position] done, (position, len) undone */
  guint position;
  int clean_position; /* -1: the saved state is no longer in the history */

  guint iterations;
  GCancellable *cancellable;
  MoaComparison *comparison;
  MoaComparison *interval;
  char *comparison_error;
  gboolean computing;
};

enum
{
  PROP_0,
  PROP_COMPUTING,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_DIRTY,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CHANGED,
  SIGNAL_COMPARISON_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MoaScenarioDocument, moa_scenario_document, G_TYPE_OBJECT)

static void
moa_scenario_document_dispose (GObject *object)
{
  MoaScenarioDocument *self = MOA_SCENARIO_DOCUMENT (object);

  moa_scenario_document_cancel (self);
  G_OBJECT_CLASS (moa_scenario_document_parent_class)->dispose (object);
}

static void
moa_scenario_document_finalize (GObject *object)
{
  MoaScenarioDocument *self = MOA_SCENARIO_DOCUMENT (object);

  g_free (self->file);
  g_free (self->path);
  g_free (self->header);
  g_free (self->id);
  g_free (self->title);
  g_clear_pointer (&self->baseline, moa_procedure_unref);
  g_clear_pointer (&self->model, moa_cost_model_unref);
  g_ptr_array_unref (self->history);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->comparison, moa_comparison_free);
  g_clear_pointer (&self->interval, moa_comparison_free);
  g_free (self->comparison_error);
  G_OBJECT_CLASS (moa_scenario_document_parent_class)->finalize (object);
}

static void
moa_scenario_document_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  MoaScenarioDocument *self = MOA_SCENARIO_DOCUMENT (object);

  switch (prop_id)
    {
      case PROP_COMPUTING:
        g_value_set_boolean (value, self->computing);
        break;
      case PROP_CAN_UNDO:
        g_value_set_boolean (value, moa_scenario_document_get_can_undo (self));
        break;
      case PROP_CAN_REDO:
        g_value_set_boolean (value, moa_scenario_document_get_can_redo (self));
        break;
      case PROP_DIRTY:
        g_value_set_boolean (value, moa_scenario_document_get_dirty (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
moa_scenario_document_class_init (MoaScenarioDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = moa_scenario_document_dispose;
  object_class->finalize = moa_scenario_document_finalize;
  object_class->get_property = moa_scenario_document_get_property;

  properties[PROP_COMPUTING] = g_param_spec_boolean ("computing", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The measures changed (an edit, undo or redo). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A comparison finished (or failed, or was dropped by an edit). */
  signals[SIGNAL_COMPARISON_CHANGED]
      = g_signal_new ("comparison-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 0);
}

static void
moa_scenario_document_init (MoaScenarioDocument *self)
{
  self->history = g_ptr_array_new_with_free_func ((GDestroyNotify)snapshot_unref);
  self->iterations = 500;
  self->clean_position = 0;
}

static Snapshot *
current (MoaScenarioDocument *self)
{
  return g_ptr_array_index (self->history, self->position);
}

/* The scenario text with @measures. */
static char *
compose (MoaScenarioDocument *self, const char *const *measures)
{
  GString *out = g_string_new (self->header);

  for (guint i = 0; measures != NULL && measures[i] != NULL; i++)
    {
      /* Indent the measure one level, as the core's writer does. */
      g_auto (GStrv) lines = g_strsplit (measures[i], "\n", -1);
      for (guint j = 0; lines[j] != NULL; j++)
        if (*lines[j] != '\0')
          g_string_append_printf (out, "  %s\n", lines[j]);
    }
  g_string_append (out, "</scenario>\n");
  return g_string_free (out, FALSE);
}

/* Has the core read and check @measures (taken). Returns the new snapshot, or NULL with
 * @error set to the core's first problem. */
static Snapshot *
snapshot_new (MoaScenarioDocument *self, GStrv measures, const char *label, GError **error)
{
  g_autoptr (Snapshot) snapshot = g_new0 (Snapshot, 1);

  g_atomic_ref_count_init (&snapshot->ref);
  snapshot->measures = measures;
  snapshot->label = g_strdup (label);
  if (g_strv_length (measures) > 0)
    {
      g_autofree char *text = compose (self, (const char *const *)measures);
      snapshot->scenario = moa_scenario_load_data (text, strlen (text), self->path, NULL, error);
      if (snapshot->scenario == NULL)
        return NULL;
    }
  return g_steal_pointer (&snapshot);
}

static void
set_computing (MoaScenarioDocument *self, gboolean computing);
static void
start_comparison (MoaScenarioDocument *self, guint iterations);

static void
notify_history (MoaScenarioDocument *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  start_comparison (self, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Comparison in a worker thread */

typedef struct
{
  Snapshot *snapshot;
  MoaProcedure *baseline;
  MoaCostModel *model;
  guint iterations;
} CompareData;

static void
compare_data_free (CompareData *data)
{
  snapshot_unref (data->snapshot);
  moa_procedure_unref (data->baseline);
  moa_cost_model_unref (data->model);
  g_free (data);
}

static void
compare_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CompareData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) before = NULL;
  g_autoptr (MoaProcedure) after = NULL;
  const MoaScenario *scenario = data->snapshot->scenario;
  MoaCompareOptions options;

  moa_compare_options_init (&options);
  options.iterations = data->iterations;
  options.threads = 1;
  if (scenario != NULL)
    {
      before = moa_scenario_apply_parents (scenario, &error);
      after = before != NULL ? moa_scenario_apply (scenario, G_MAXUINT, -1, &error) : NULL;
    }
  else
    {
      /* No measure yet: the after is the baseline itself (the core still compares them). */
      before = moa_procedure_ref (data->baseline);
      after = moa_procedure_ref (data->baseline);
    }
  if (after == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  MoaComparison *comparison = moa_compare (before, after, scenario, NULL, data->model, &options,
                                           cancellable, NULL, NULL, &error);
  if (comparison == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, comparison, (GDestroyNotify)moa_comparison_free);
}

static void
compare_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MoaScenarioDocument *self = MOA_SCENARIO_DOCUMENT (source);
  CompareData *data = g_task_get_task_data (G_TASK (result));
  guint iterations = data->iterations;
  g_autoptr (GError) error = NULL;
  MoaComparison *comparison = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || data->snapshot != current (self))
    {
      /* Superseded: the newer comparison reports. */
      g_clear_pointer (&comparison, moa_comparison_free);
      return;
    }
  if (iterations == 0)
    {
      g_clear_pointer (&self->comparison, moa_comparison_free);
      g_clear_pointer (&self->comparison_error, g_free);
      self->comparison = comparison;
      if (comparison == NULL)
        self->comparison_error = g_strdup (error->message);
    }
  else
    {
      g_clear_pointer (&self->interval, moa_comparison_free);
      self->interval = comparison;
      if (comparison == NULL)
        {
          g_free (self->comparison_error);
          self->comparison_error = g_strdup (error->message);
        }
    }
  g_signal_emit (self, signals[SIGNAL_COMPARISON_CHANGED], 0);
  if (iterations == 0 && comparison != NULL && self->iterations > 0)
    start_comparison (self, self->iterations);
  else
    set_computing (self, FALSE);
}

static void
set_computing (MoaScenarioDocument *self, gboolean computing)
{
  if (self->computing == computing)
    return;
  self->computing = computing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTING]);
}

/* Starts the exact comparison (@iterations 0: the previous results are dropped) or the Monte
 * Carlo one of the current snapshot, cancelling the one running. */
static void
start_comparison (MoaScenarioDocument *self, guint iterations)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (iterations == 0)
    {
      gboolean had = self->comparison != NULL || self->interval != NULL;
      g_clear_pointer (&self->comparison, moa_comparison_free);
      g_clear_pointer (&self->interval, moa_comparison_free);
      g_clear_pointer (&self->comparison_error, g_free);
      if (had)
        g_signal_emit (self, signals[SIGNAL_COMPARISON_CHANGED], 0);
    }

  CompareData *data = g_new0 (CompareData, 1);
  data->snapshot = snapshot_ref (current (self));
  data->baseline = moa_procedure_ref (self->baseline);
  data->model = moa_cost_model_ref (self->model);
  data->iterations = iterations;

  g_autoptr (GTask) task = g_task_new (self, self->cancellable, compare_done, NULL);
  g_task_set_source_tag (task, start_comparison);
  g_task_set_task_data (task, data, (GDestroyNotify)compare_data_free);
  set_computing (self, TRUE);
  g_task_run_in_thread (task, compare_thread);
}

void
moa_scenario_document_cancel (MoaScenarioDocument *self)
{
  g_return_if_fail (MOA_IS_SCENARIO_DOCUMENT (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_computing (self, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Construction */

static MoaCostModel *
find_model (const MoaProcedure *procedure, const MoaModelSet *models, GError **error)
{
  MoaCostModel *model
      = procedure->cost_model != NULL ? moa_model_set_lookup (models, procedure->cost_model) : NULL;
  if (model == NULL)
    g_set_error (error, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL,
                 _ ("%s:%d: procedure \"%s\": cost model \"%s\" is not among the shipped "
                    "cost models"),
                 procedure->file != NULL ? procedure->file : "", procedure->line, procedure->id,
                 procedure->cost_model != NULL ? procedure->cost_model : "");
  return model;
}

/* Takes the first state (@measures, taken) and starts its comparison. */
static gboolean
init_history (MoaScenarioDocument *self, GStrv measures, GError **error)
{
  Snapshot *first = snapshot_new (self, measures, NULL, error);
  if (first == NULL)
    return FALSE;
  g_ptr_array_add (self->history, first);
  self->position = 0;
  start_comparison (self, 0);
  return TRUE;
}

MoaScenarioDocument *
moa_scenario_document_new_for_file (const char *path, const MoaModelSet *models, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (models != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (path, NULL, error);
  if (scenario == NULL)
    return NULL;
  MoaCostModel *model = find_model (moa_scenario_get_baseline (scenario), models, error);
  if (model == NULL)
    return NULL;

  g_autoptr (MoaScenarioDocument) self = g_object_new (MOA_TYPE_SCENARIO_DOCUMENT, NULL);
  self->file = g_strdup (path);
  self->path = g_strdup (path);
  self->id = g_strdup (moa_scenario_get_id (scenario));
  self->title
      = g_strdup (moa_title_get (moa_scenario_get_title (scenario), moa_ui_get_lang (), self->id));
  self->baseline = moa_procedure_ref (moa_scenario_get_baseline (scenario));
  self->model = moa_cost_model_ref (model);

  /* The text before the first measure: the core writes each measure at depth 1. */
  g_autofree char *text = moa_scenario_to_xml (scenario);
  const char *first = strstr (text, "\n  <measure");
  if (first == NULL)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ELEMENT,
                   _ ("%s: no <measure> (expected at least one)"), path);
      return NULL;
    }
  self->header = g_strndup (text, first - text + 1);

  GPtrArray *measures = moa_scenario_get_measures (scenario);
  GStrv texts = g_new0 (char *, measures->len + 1);
  for (guint i = 0; i < measures->len; i++)
    texts[i] = moa_scenario_measure_to_xml (scenario, i);
  if (!init_history (self, texts, error))
    return NULL;
  return g_steal_pointer (&self);
}

MoaScenarioDocument *
moa_scenario_document_new (const char *procedure_file, const char *id, const char *title,
                           const MoaModelSet *models, GError **error)
{
  g_return_val_if_fail (procedure_file != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (models != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (procedure_file, problems, NULL);
  if (procedure == NULL)
    {
      moa_problems_propagate (problems, error);
      return NULL;
    }
  MoaCostModel *model = find_model (procedure, models, error);
  if (model == NULL)
    return NULL;

  g_autoptr (MoaScenarioDocument) self = g_object_new (MOA_TYPE_SCENARIO_DOCUMENT, NULL);
  g_autofree char *dir = g_path_get_dirname (procedure_file);
  g_autofree char *base = g_path_get_basename (procedure_file);
  g_autofree char *name = g_strdup_printf ("%s.xml", id);
  self->path = g_build_filename (dir, name, NULL);
  self->id = g_strdup (id);
  self->title = g_strdup (title);
  self->baseline = g_steal_pointer (&procedure);
  self->model = moa_cost_model_ref (model);
  self->header = g_markup_printf_escaped ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                          "<scenario format=\"1\" id=\"%s\" baseline=\"%s\">\n"
                                          "  <title lang=\"%s\">%s</title>\n",
                                          id, base, moa_ui_get_lang (), title);
  self->clean_position = -1;
  if (!init_history (self, g_new0 (char *, 1), error))
    return NULL;
  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------------------------------- */
/* Accessors */

const char *
moa_scenario_document_get_file (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->file;
}

const char *
moa_scenario_document_get_id (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->id;
}

const char *
moa_scenario_document_get_title (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->title;
}

const MoaScenario *
moa_scenario_document_get_scenario (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return current (self)->scenario;
}

MoaProcedure *
moa_scenario_document_get_baseline (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->baseline;
}

guint
moa_scenario_document_get_n_measures (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), 0);
  return g_strv_length (current (self)->measures);
}

const char *
moa_scenario_document_get_measure_xml (MoaScenarioDocument *self, guint index)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < moa_scenario_document_get_n_measures (self), NULL);
  return current (self)->measures[index];
}

const MoaMeasure *
moa_scenario_document_get_measure (MoaScenarioDocument *self, guint index)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < moa_scenario_document_get_n_measures (self), NULL);
  return g_ptr_array_index (moa_scenario_get_measures (current (self)->scenario), index);
}

/* ---------------------------------------------------------------------------------------- */
/* Edits */

/* Pushes the state @measures (taken) after the current one when the core accepts it. */
static gboolean
push (MoaScenarioDocument *self, GStrv measures, const char *label, GError **error)
{
  Snapshot *snapshot = snapshot_new (self, measures, label, error);
  if (snapshot == NULL)
    return FALSE;
  if (self->position + 1 < self->history->len)
    {
      if (self->clean_position > (int)self->position)
        self->clean_position = -1;
      g_ptr_array_set_size (self->history, self->position + 1);
    }
  g_ptr_array_add (self->history, snapshot);
  self->position++;
  notify_history (self);
  return TRUE;
}

/* The id of measure text @xml, for labels (new string). */
static char *
measure_id (const char *xml)
{
  g_autoptr (MoaXmlNode) root = moa_xml_parse (xml, strlen (xml), "measure", NULL);
  const char *id = root != NULL ? moa_xml_node_get_attr (root, "id") : NULL;
  return g_strdup (id != NULL ? id : "");
}

gboolean
moa_scenario_document_insert_measure (MoaScenarioDocument *self, int position, const char *xml,
                                      GError **error)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  g_return_val_if_fail (xml != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  GStrv old = current (self)->measures;
  guint n = g_strv_length (old);
  guint at = position < 0 || (guint)position > n ? n : (guint)position;
  GStrv measures = g_new0 (char *, n + 2);
  for (guint i = 0, j = 0; i <= n; i++)
    {
      if (i == at)
        measures[j++] = g_strdup (xml);
      if (i < n)
        measures[j++] = g_strdup (old[i]);
    }
  g_autofree char *id = measure_id (xml);
  g_autofree char *label = g_strdup_printf (_ ("Add measure “%s”"), id);
  return push (self, measures, label, error);
}

gboolean
moa_scenario_document_replace_measure (MoaScenarioDocument *self, guint index, const char *xml,
                                       GError **error)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  g_return_val_if_fail (index < moa_scenario_document_get_n_measures (self), FALSE);
  g_return_val_if_fail (xml != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  GStrv measures = g_strdupv (current (self)->measures);
  g_free (measures[index]);
  measures[index] = g_strdup (xml);
  g_autofree char *id = measure_id (xml);
  g_autofree char *label = g_strdup_printf (_ ("Edit measure “%s”"), id);
  return push (self, measures, label, error);
}

gboolean
moa_scenario_document_remove_measure (MoaScenarioDocument *self, guint index, GError **error)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  g_return_val_if_fail (index < moa_scenario_document_get_n_measures (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  GStrv old = current (self)->measures;
  guint n = g_strv_length (old);
  GStrv measures = g_new0 (char *, n);
  for (guint i = 0, j = 0; i < n; i++)
    if (i != index)
      measures[j++] = g_strdup (old[i]);
  g_autofree char *id = measure_id (old[index]);
  g_autofree char *label = g_strdup_printf (_ ("Remove measure “%s”"), id);
  return push (self, measures, label, error);
}

gboolean
moa_scenario_document_move_measure (MoaScenarioDocument *self, guint from, guint to, GError **error)
{
  guint n;

  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  n = moa_scenario_document_get_n_measures (self);
  g_return_val_if_fail (from < n && to < n, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (from == to)
    return TRUE;
  GStrv measures = g_strdupv (current (self)->measures);
  char *moved = measures[from];
  if (from < to)
    memmove (&measures[from], &measures[from + 1], (to - from) * sizeof (char *));
  else
    memmove (&measures[to + 1], &measures[to], (from - to) * sizeof (char *));
  measures[to] = moved;
  g_autofree char *id = measure_id (moved);
  g_autofree char *label = g_strdup_printf (_ ("Move measure “%s”"), id);
  return push (self, measures, label, error);
}

gboolean
moa_scenario_document_undo (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);

  if (self->position == 0)
    return FALSE;
  self->position--;
  notify_history (self);
  return TRUE;
}

gboolean
moa_scenario_document_redo (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);

  if (self->position + 1 >= self->history->len)
    return FALSE;
  self->position++;
  notify_history (self);
  return TRUE;
}

gboolean
moa_scenario_document_get_can_undo (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  return self->position > 0;
}

gboolean
moa_scenario_document_get_can_redo (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  return self->position + 1 < self->history->len;
}

const char *
moa_scenario_document_get_undo_label (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->position > 0 ? current (self)->label : NULL;
}

const char *
moa_scenario_document_get_redo_label (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  if (self->position + 1 >= self->history->len)
    return NULL;
  return ((Snapshot *)g_ptr_array_index (self->history, self->position + 1))->label;
}

gboolean
moa_scenario_document_get_dirty (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  return self->clean_position != (int)self->position;
}

gboolean
moa_scenario_document_save (MoaScenarioDocument *self, const char *path, GError **error)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  const MoaScenario *scenario = current (self)->scenario;
  if (scenario == NULL)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ELEMENT,
                   _ ("scenario \"%s\" has no measure (a scenario file needs at least one)"),
                   self->id);
      return FALSE;
    }
  if (!moa_scenario_save (scenario, path, error))
    return FALSE;

  /* The saved file is the scenario from now on: its header names the baseline relative to
   * it. */
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  const char *first = strstr (text, "\n  <measure");
  if (first != NULL)
    {
      g_free (self->header);
      self->header = g_strndup (text, first - text + 1);
    }
  g_free (self->file);
  self->file = g_strdup (path);
  g_free (self->path);
  self->path = g_strdup (path);
  self->clean_position = self->position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Comparison */

void
moa_scenario_document_set_iterations (MoaScenarioDocument *self, guint iterations)
{
  g_return_if_fail (MOA_IS_SCENARIO_DOCUMENT (self));

  if (self->iterations == iterations)
    return;
  self->iterations = iterations;
  start_comparison (self, 0);
}

guint
moa_scenario_document_get_iterations (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), 0);
  return self->iterations;
}

const MoaComparison *
moa_scenario_document_get_comparison (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->comparison;
}

const MoaComparison *
moa_scenario_document_get_interval_comparison (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->interval;
}

const char *
moa_scenario_document_get_comparison_error (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), NULL);
  return self->comparison_error;
}

gboolean
moa_scenario_document_get_computing (MoaScenarioDocument *self)
{
  g_return_val_if_fail (MOA_IS_SCENARIO_DOCUMENT (self), FALSE);
  return self->computing;
}
