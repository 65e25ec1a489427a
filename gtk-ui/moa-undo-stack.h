/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The undo history of a document: the edits done, in order, and those undone that can be
 * redone. Every edit goes through it, so that every edit can be undone. */
#pragma once

#include <glib-object.h>

#include "moa-edit.h"

G_BEGIN_DECLS

#define MOA_TYPE_UNDO_STACK (moa_undo_stack_get_type ())
G_DECLARE_FINAL_TYPE (MoaUndoStack, moa_undo_stack, MOA, UNDO_STACK, GObject)

typedef struct _MoaDocument MoaDocument;

/* Returns a new, empty stack for @document, which it borrows (the document owns its stack:
 * see moa_document_get_undo_stack()). */
MoaUndoStack *
moa_undo_stack_new (MoaDocument *document) G_GNUC_WARN_UNUSED_RESULT;

/* Applies @edit to the document (moa_document_apply_edit(): the core checks the edited
 * procedure) and, when it is valid, pushes it and forgets the redo history. Returns FALSE with
 * @error set to the core's message when the edit is refused; the document and the stack are
 * then unchanged. */
gboolean
moa_undo_stack_execute (MoaUndoStack *self, MoaEdit *edit, GError **error);

/* Undoes the last edit (redoes the last undone one). Returns FALSE without @error when there
 * is nothing to undo (redo), FALSE with @error when the core refused (the stack is then
 * unchanged). */
gboolean
moa_undo_stack_undo (MoaUndoStack *self, GError **error);
gboolean
moa_undo_stack_redo (MoaUndoStack *self, GError **error);

gboolean
moa_undo_stack_get_can_undo (MoaUndoStack *self);
gboolean
moa_undo_stack_get_can_redo (MoaUndoStack *self);
/* The label of the edit Undo (Redo) would act on, or NULL (borrowed). */
const char *
moa_undo_stack_get_undo_label (MoaUndoStack *self);
const char *
moa_undo_stack_get_redo_label (MoaUndoStack *self);

/* TRUE when the edits done since the last moa_undo_stack_mark_clean() cancel out (the
 * document equals what was saved). The "clean" property notifies changes. */
gboolean
moa_undo_stack_get_clean (MoaUndoStack *self);
void
moa_undo_stack_mark_clean (MoaUndoStack *self);

/* Forgets every edit (after loading another procedure); the stack is then clean. */
void
moa_undo_stack_clear (MoaUndoStack *self);

G_END_DECLS
