/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open procedure of a window: its file, its edits and undo history, whether it is saved,
 * and the core's result, recomputed in a worker thread after every edit. No widgets. */
#pragma once

#include <gio/gio.h>

#include "moa.h"

#include "moa-edit.h"
#include "moa-undo-stack.h"

G_BEGIN_DECLS

#define MOA_TYPE_DOCUMENT (moa_document_get_type ())
G_DECLARE_FINAL_TYPE (MoaDocument, moa_document, MOA, DOCUMENT, GObject)

/* Loads the procedure file @file, finds its cost model in @models and checks it with the core
 * (moa_plan_new()). Returns a new document whose first evaluation is under way
 * ("results-changed" is emitted when it ends), or NULL with @error set from the core's first
 * problem (file, line, element and what is wrong). */
MoaDocument *
moa_document_new_for_file (GFile *file, const MoaModelSet *models,
                           GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Same for a procedure already in memory (it is copied: the caller keeps @procedure) and its
 * cost model; the document has no file until it is saved. */
MoaDocument *
moa_document_new_for_procedure (const MoaProcedure *procedure, MoaCostModel *model,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The edited procedure (borrowed; changes in place with every edit: read it again after
 * "changed"). Never edit it directly: go through moa_document_get_undo_stack(). */
MoaProcedure *
moa_document_get_procedure (MoaDocument *self);
MoaCostModel *
moa_document_get_model (MoaDocument *self);
/* The file, or NULL when the document was never saved (borrowed). */
GFile *
moa_document_get_file (MoaDocument *self);
/* The procedure's title in the user's language (borrowed). */
const char *
moa_document_get_title (MoaDocument *self);
MoaUndoStack *
moa_document_get_undo_stack (MoaDocument *self);
/* TRUE when the procedure differs from its file. */
gboolean
moa_document_get_dirty (MoaDocument *self);

/* The result of the last evaluation that finished for the current procedure, or NULL while
 * the first one runs or when it failed (borrowed; the result holds its own copy of the
 * procedure, so it stays valid while later edits are made). */
MoaResult *
moa_document_get_result (MoaDocument *self);
/* The core's message when the last evaluation failed, else NULL (borrowed). */
const char *
moa_document_get_result_error (MoaDocument *self);
/* TRUE while an evaluation runs in the worker thread. */
gboolean
moa_document_get_computing (MoaDocument *self);

/* Applies @edit (@forward) to the procedure, then has the core check the whole edited
 * procedure (moa_plan_new()); when the core refuses it the edit is taken back and FALSE is
 * returned with @error set to the core's message. On success emits "changed" and starts a new
 * evaluation in a worker thread (an evaluation still running is cancelled and its result
 * dropped). Used by MoaUndoStack: edit through moa_undo_stack_execute(). */
gboolean
moa_document_apply_edit (MoaDocument *self, MoaEdit *edit, gboolean forward, GError **error);

/* Writes the procedure to @file through moa_procedure_save(); on success the document's file
 * becomes @file and it is clean. Returns FALSE with @error set on failure. */
gboolean
moa_document_save (MoaDocument *self, GFile *file, GError **error);

G_END_DECLS
