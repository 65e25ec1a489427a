/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An edit of a procedure as a command object: what it changes, so that it can be done, undone
 * and redone on the document's procedure. */
#pragma once

#include <glib-object.h>

#include "moa.h"

G_BEGIN_DECLS

#define MOA_TYPE_EDIT (moa_edit_get_type ())
G_DECLARE_FINAL_TYPE (MoaEdit, moa_edit, MOA, EDIT, GObject)

/* The parameters of an activity that the inspector edits, by their attribute name in the
 * procedure format. */
typedef enum
{
  MOA_EDIT_TIME,          /* time="..." (MOA_DIM_TIME) */
  MOA_EDIT_OUT_OF_POCKET, /* out-of-pocket="..." (MOA_DIM_MONEY) */
  MOA_EDIT_BAU,           /* bau="..." (MOA_DIM_FRACTION) */
  MOA_EDIT_FEE,           /* fee="..." (MOA_DIM_MONEY) */
  MOA_EDIT_TARIFF,        /* tariff="..." as an explicit rate (MOA_DIM_RATE); setting one
                           * removes the activity's tariff profile (they exclude each other) */
} MoaEditField;

/* The attribute name of @field in the procedure format ("time", "out-of-pocket", ...). */
const char *
moa_edit_field_to_string (MoaEditField field);

/* The dimension moa_value_parse() reads @field with. */
MoaDimension
moa_edit_field_get_dimension (MoaEditField field);

/* Returns a new edit that sets the default value of @field of activity @node_id of obligation
 * @obligation_id in @procedure to @text, parsed by moa_value_parse(); an empty @text removes
 * the value (an activity with a standard activity then takes the cost model's time). Returns
 * NULL with @error set in MOA_PARSE_ERROR when @text is not a valid value, or in
 * MOA_VALIDATION_ERROR when the activity does not exist; the message names the activity and
 * the attribute, then gives the core's message, e.g.
 * `activity "viaggio": time: "-5 min" is negative`. The procedure is not changed. */
MoaEdit *
moa_edit_new_activity_param (const MoaProcedure *procedure, const char *obligation_id,
                             const char *node_id, MoaEditField field, const char *text,
                             GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Returns a new edit that sets the probability of the branch of XOR gateway @node_id leading to
 * @to to @text (a fraction, "0.2" or "20 %"). When the gateway has a default branch, that one
 * keeps taking the rest; without a default branch the other branches are rescaled in the same
 * edit, in proportion to their current values (equally when these are all 0), so that they
 * take 1 - p and the probabilities keep summing to 1 (with two branches: the other is 1 - p);
 * the other branches must then be fixed values, else the edit is refused. Errors as
 * moa_edit_new_activity_param(); the default branch itself cannot be set. */
MoaEdit *
moa_edit_new_branch_probability (const MoaProcedure *procedure, const char *obligation_id,
                                 const char *node_id, const char *to, const char *text,
                                 GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The references of an activity the inspector picks from lists. */
typedef enum
{
  MOA_EDIT_PERFORMER,      /* performer="...": NULL the addressee, "external", a group id */
  MOA_EDIT_TARIFF_PROFILE, /* tariff="...": a tariff profile id of the cost model, or NULL */
} MoaEditRef;

/* Returns a new edit that sets reference @ref of activity @node_id to @id (NULL removes it).
 * Setting a tariff profile also removes the activity's explicit default tariff (the two
 * exclude each other). Errors as moa_edit_new_activity_param(); the core checks that the id
 * exists when the edit is executed. */
MoaEdit *
moa_edit_new_activity_ref (const MoaProcedure *procedure, const char *obligation_id,
                           const char *node_id, MoaEditRef ref, const char *id,
                           GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Returns a new edit that sets the standard activity of @node_id to @standard with
 * @complexity (NULL @standard removes both; MOA_COMPLEXITY_NONE with a standard means
 * "medium"). Errors as moa_edit_new_activity_ref(). */
MoaEdit *
moa_edit_new_standard (const MoaProcedure *procedure, const char *obligation_id,
                       const char *node_id, const char *standard, MoaComplexity complexity,
                       GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The procedure-level counts the inspector edits. */
typedef enum
{
  MOA_EDIT_POPULATION, /* population="..." of a segment (or of a target group without
                        * segments: its implicit segment, whose id is the group's) */
  MOA_EDIT_FREQUENCY,  /* frequency="..." of an obligation (removes its cases="...") */
  MOA_EDIT_CASES,      /* cases="..." of an obligation (removes its frequency="...") */
  MOA_EDIT_COMPLIANCE, /* compliance="..." of an obligation (MOA_DIM_FRACTION; empty: the
                        * default, 1) */
} MoaEditCount;

/* Returns a new edit that sets count @what of segment or obligation @element_id to @text
 * (MOA_DIM_COUNT, MOA_DIM_FRACTION for the compliance; a population cannot be removed, so an
 * empty @text is refused for it).
 * Errors as moa_edit_new_activity_param(). moa_edit_get_obligation_id() is the obligation
 * (NULL for a population) and moa_edit_get_node_id() NULL. */
MoaEdit *
moa_edit_new_count (const MoaProcedure *procedure, MoaEditCount what, const char *element_id,
                    const char *text, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* A short, translated description of the edit for the Undo and Redo tooltips
 * ("Change time of “Travel to the office”"). Borrowed. */
const char *
moa_edit_get_label (MoaEdit *edit);

/* The obligation and node the edit changes (borrowed). */
const char *
moa_edit_get_obligation_id (MoaEdit *edit);
const char *
moa_edit_get_node_id (MoaEdit *edit);

/* Applies the edit to @procedure (forward: the new values; backward: the old ones) in place.
 * Returns FALSE with @error set when the elements it names are no longer in @procedure; the
 * procedure is then unchanged. */
gboolean
moa_edit_apply (MoaEdit *edit, MoaProcedure *procedure, gboolean forward, GError **error);

G_END_DECLS
