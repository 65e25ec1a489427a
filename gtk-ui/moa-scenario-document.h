/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scenario being edited in the before / after view: its measures, their undo history, and
 * the core's comparison of the baseline with the scenario, computed in a worker thread. No
 * widgets. */
#pragma once

#include <gio/gio.h>

#include "moa.h"
#include "moa-compare.h"
#include "moa-scenario.h"

G_BEGIN_DECLS

/* ---------------------------------------------------------------------------------------- */
/* One measure as the editor shows it: the fields of a <measure> element of the scenario
 * format (docs/scenario-format.md). Converting to and from XML text only: the core reads and
 * checks the measure. */

/* One <set> child. */
typedef struct
{
  char *element;   /* "OBL/NODE", "OBL/GATEWAY>TARGET", "OBL" or a segment */
  char *attribute; /* "time", "probability", ... */
  char *value;     /* as written: "15 min", "0.5" */
  char *segment;   /* NULL: for every segment */
} MoaSetSpec;

typedef struct
{
  char *id;
  MoaMeasureType type;
  char *title_it;
  char *title_en;
  char *justification;
  char *source;
  /* The type's attributes ("obligations", "elements", "obligation", "frequency", "cases",
   * "segment", "population", "activities", "after") -> value; written in this order. */
  GHashTable *attributes;
  GPtrArray *sets; /* MoaSetSpec* */
} MoaMeasureSpec;

MoaSetSpec *
moa_set_spec_new (const char *element, const char *attribute, const char *value,
                  const char *segment) G_GNUC_WARN_UNUSED_RESULT;
void
moa_set_spec_free (MoaSetSpec *set);

/* A new, empty measure of @type. */
MoaMeasureSpec *
moa_measure_spec_new (MoaMeasureType type) G_GNUC_WARN_UNUSED_RESULT;
void
moa_measure_spec_free (MoaMeasureSpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaMeasureSpec, moa_measure_spec_free)

/* Reads the <measure> element @xml (as moa_scenario_measure_to_xml() writes it). Returns NULL
 * with @error set (MOA_PARSE_ERROR) when it is not XML, not a measure of a known type, or adds
 * an activity or an obligation (those carry procedure elements the editor does not edit). */
MoaMeasureSpec *
moa_measure_spec_parse (const char *xml, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The <measure> element of @spec, its text escaped (a new string). Empty fields are left out:
 * the core then says what is missing. */
char *
moa_measure_spec_to_xml (const MoaMeasureSpec *spec) G_GNUC_WARN_UNUSED_RESULT;

/* The type's own attributes in the format, in the order the editor shows them (static,
 * NULL-terminated). */
const char *const *
moa_measure_type_get_attributes (MoaMeasureType type);

/* ---------------------------------------------------------------------------------------- */
/* Bundled scenarios */

typedef struct
{
  char *file;  /* the scenario file */
  char *title; /* in the user's language, or its id */
} MoaScenarioChoice;

void
moa_scenario_choice_free (MoaScenarioChoice *choice);

/* The scenario files of @dir (*.xml) whose baseline attribute names @procedure_file (compared
 * as canonical paths), sorted by title: a new GPtrArray of MoaScenarioChoice*. Files that are
 * not scenarios are left out. */
GPtrArray *
moa_scenario_list_for_procedure (const char *dir,
                                 const char *procedure_file) G_GNUC_WARN_UNUSED_RESULT;

/* The directory of the bundled scenarios: LIBRARY_DIR/scenarios (moa_library_default_dir()).
 * A new string. */
char *
moa_scenario_default_dir (void) G_GNUC_WARN_UNUSED_RESULT;

/* ---------------------------------------------------------------------------------------- */
/* The document */

#define MOA_TYPE_SCENARIO_DOCUMENT (moa_scenario_document_get_type ())
G_DECLARE_FINAL_TYPE (MoaScenarioDocument, moa_scenario_document, MOA, SCENARIO_DOCUMENT, GObject)

/* Loads the scenario file @path with the core (moa_scenario_load_file()) and looks up its
 * procedure's cost model in @models. Returns a new document whose first comparison is under
 * way, or NULL with @error set to the core's first problem. */
MoaScenarioDocument *
moa_scenario_document_new_for_file (const char *path, const MoaModelSet *models,
                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A new scenario without measures, id @id and title @title (in the user's language), whose
 * baseline is the procedure file @procedure_file. It has no file until it is saved (it is
 * read as if it were @id.xml next to the procedure). NULL with @error set when the procedure
 * cannot be loaded or its cost model is not in @models. */
MoaScenarioDocument *
moa_scenario_document_new (const char *procedure_file, const char *id, const char *title,
                           const MoaModelSet *models, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The scenario's file (NULL when never saved), id and title (borrowed). */
const char *
moa_scenario_document_get_file (MoaScenarioDocument *self);
const char *
moa_scenario_document_get_id (MoaScenarioDocument *self);
const char *
moa_scenario_document_get_title (MoaScenarioDocument *self);

/* The core's scenario for the current measures, or NULL while there are none (a scenario
 * needs at least one measure). Borrowed: replaced by every edit. */
const MoaScenario *
moa_scenario_document_get_scenario (MoaScenarioDocument *self);
/* The baseline procedure (borrowed). */
MoaProcedure *
moa_scenario_document_get_baseline (MoaScenarioDocument *self);

/* The measures: how many, and measure @index's XML text, id, type name and title in the
 * user's language (borrowed). */
guint
moa_scenario_document_get_n_measures (MoaScenarioDocument *self);
const char *
moa_scenario_document_get_measure_xml (MoaScenarioDocument *self, guint index);
const MoaMeasure *
moa_scenario_document_get_measure (MoaScenarioDocument *self, guint index);

/* Edits. Each builds the scenario with the new list of measures and has the core read and
 * apply it (moa_scenario_load_data()); when the core refuses, FALSE is returned with @error
 * set to its message and nothing changes. On success the edit is pushed on the undo history
 * (the redo history is forgotten), "changed" is emitted and a new comparison starts (the one
 * running is cancelled). @position -1: at the end. */
gboolean
moa_scenario_document_insert_measure (MoaScenarioDocument *self, int position, const char *xml,
                                      GError **error);
gboolean
moa_scenario_document_replace_measure (MoaScenarioDocument *self, guint index, const char *xml,
                                       GError **error);
gboolean
moa_scenario_document_remove_measure (MoaScenarioDocument *self, guint index, GError **error);
gboolean
moa_scenario_document_move_measure (MoaScenarioDocument *self, guint from, guint to,
                                    GError **error);

/* Undo and redo of the edits above (FALSE when there is nothing to undo or redo). */
gboolean
moa_scenario_document_undo (MoaScenarioDocument *self);
gboolean
moa_scenario_document_redo (MoaScenarioDocument *self);
gboolean
moa_scenario_document_get_can_undo (MoaScenarioDocument *self);
gboolean
moa_scenario_document_get_can_redo (MoaScenarioDocument *self);
/* Translated descriptions of the edit Undo (Redo) would act on, or NULL (borrowed). */
const char *
moa_scenario_document_get_undo_label (MoaScenarioDocument *self);
const char *
moa_scenario_document_get_redo_label (MoaScenarioDocument *self);
/* TRUE when the measures differ from the file (always for a scenario never saved). */
gboolean
moa_scenario_document_get_dirty (MoaScenarioDocument *self);

/* Writes the scenario to @path (moa_scenario_save()); the document's file becomes @path and
 * it is clean. FALSE with @error set when there is no measure or the file cannot be
 * written. */
gboolean
moa_scenario_document_save (MoaScenarioDocument *self, const char *path, GError **error);

/* The paired Monte Carlo iterations of the interval run (default 500; 0: none). Changing it
 * starts a new comparison. */
void
moa_scenario_document_set_iterations (MoaScenarioDocument *self, guint iterations);
guint
moa_scenario_document_get_iterations (MoaScenarioDocument *self);

/* The last exact comparison (moa_compare() without iterations) of the baseline with the
 * current measures, or NULL while it runs or when it failed; and the paired Monte Carlo
 * comparison that gives the interval of the saving, NULL until it has finished for the
 * current measures. Borrowed; "comparison-changed" tells when they change. */
const MoaComparison *
moa_scenario_document_get_comparison (MoaScenarioDocument *self);
const MoaComparison *
moa_scenario_document_get_interval_comparison (MoaScenarioDocument *self);
/* The core's message when the last comparison failed, else NULL (borrowed). */
const char *
moa_scenario_document_get_comparison_error (MoaScenarioDocument *self);
/* TRUE while a comparison runs in the worker thread ("computing" notifies). */
gboolean
moa_scenario_document_get_computing (MoaScenarioDocument *self);
/* Cancels the comparison running, if any (when the view closes). */
void
moa_scenario_document_cancel (MoaScenarioDocument *self);

G_END_DECLS
