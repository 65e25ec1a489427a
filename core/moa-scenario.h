/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simplification scenarios: named measures applied in order to a baseline procedure
 * (docs/scenario-format.md). */
#pragma once

#include <glib.h>

#include "moa-procedure.h"

G_BEGIN_DECLS

typedef enum
{
  MOA_MEASURE_DIGITALISE_SUBMISSION,
  MOA_MEASURE_ONCE_ONLY,
  MOA_MEASURE_REMOVE,
  MOA_MEASURE_CHANGE_FREQUENCY,
  MOA_MEASURE_CHANGE_POPULATION,
  MOA_MEASURE_SET_PARAMETER,
  MOA_MEASURE_ADD_ACTIVITY,
  MOA_MEASURE_ADD_OBLIGATION,
} MoaMeasureType;

const char *
moa_measure_type_to_string (MoaMeasureType type); /* "digitalise-submission" ... */

/* One measure as read (public for display; applying is moa_scenario_apply()'s job). */
typedef struct
{
  char *id;
  int line;
  MoaMeasureType type;
  MoaTitle title;
  char *justification;
  char *source;
} MoaMeasure;

typedef struct _MoaScenario MoaScenario;

/* Loads a scenario file and, recursively, the scenario files it names as baseline, down to the
 * baseline procedure file (which is loaded too). Every problem is appended to @problems (may be
 * NULL) with file, line and element; a baseline chain that returns to a file already in it is
 * an error. Measures are checked against the procedure they apply to (ids exist and were not
 * removed by an earlier measure). Returns a new scenario or NULL with @error set. */
MoaScenario *
moa_scenario_load_file (const char *path, GPtrArray *problems,
                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_scenario_free (MoaScenario *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaScenario, moa_scenario_free)

const char *
moa_scenario_get_id (const MoaScenario *scenario);
const char *
moa_scenario_get_file (const MoaScenario *scenario);
const MoaTitle *
moa_scenario_get_title (const MoaScenario *scenario);
double
moa_scenario_get_one_off_years (const MoaScenario *scenario);

/* The procedure at the bottom of the baseline chain, as loaded (borrowed). */
MoaProcedure *
moa_scenario_get_baseline (const MoaScenario *scenario);

/* The measures of this scenario, in order (borrowed MoaMeasure*); those of the scenarios it is
 * based on are not included: they are part of its baseline (see moa_scenario_get_parent). */
GPtrArray *
moa_scenario_get_measures (const MoaScenario *scenario);

/* The scenario this one is based on, or NULL when its baseline is a procedure (borrowed). */
MoaScenario *
moa_scenario_get_parent (const MoaScenario *scenario);

/* Returns a new procedure: the baseline chain's procedure with, first, all the measures of the
 * parent scenarios, then this scenario's measures [0, @n_measures) (G_MAXUINT: all) — or, when
 * @only >= 0, only this scenario's measure @only. The baseline is not modified. Returns NULL
 * with @error set when a measure cannot be applied (file, line, measure id and element). */
MoaProcedure *
moa_scenario_apply (const MoaScenario *scenario, guint n_measures, int only,
                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The baseline of this scenario for the comparison: the chain's procedure with the parent
 * scenarios' measures applied (a new reference). */
MoaProcedure *
moa_scenario_apply_parents (const MoaScenario *scenario, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A deep copy of @procedure (a new reference), for editing. */
MoaProcedure *
moa_procedure_copy (const MoaProcedure *procedure) G_GNUC_WARN_UNUSED_RESULT;

/* ADDED (gtk-ui): building and writing a scenario in memory. */

/* Same as moa_scenario_load_file() for the @length bytes of @data, read as if they were the
 * file @path: @path names the file in messages and the baseline is resolved relative to its
 * folder (the file itself need not exist; its baseline chain is read from disk). */
MoaScenario *
moa_scenario_load_data (const char *data, gsize length, const char *path, GPtrArray *problems,
                        GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The text of the scenario file (format 1) as read: this scenario's own elements and
 * attributes (not those of the scenarios it is based on), indented, comments left out. The
 * baseline is written as it was read (relative to the scenario's file). A new string that
 * moa_scenario_load_data() reads back to the same scenario. */
char *
moa_scenario_to_xml (const MoaScenario *scenario) G_GNUC_WARN_UNUSED_RESULT;

/* The text of measure @index's <measure> element (as in moa_scenario_to_xml(), not indented),
 * for a program that edits the measures one by one. A new string. */
char *
moa_scenario_measure_to_xml (const MoaScenario *scenario, guint index) G_GNUC_WARN_UNUSED_RESULT;

/* Writes the scenario to @path atomically (moa_scenario_to_xml()); when @path is in another
 * folder than the scenario's file, the baseline is rewritten relative to @path's folder so it
 * still names the same file. Returns FALSE with @error set (G_FILE_ERROR) when the file cannot
 * be written. */
gboolean
moa_scenario_save (const MoaScenario *scenario, const char *path, GError **error);

G_END_DECLS
