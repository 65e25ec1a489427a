/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the analyst has selected in a window: an obligation, and in it an activity or gateway.
 * UI-only state, kept out of the core. No widgets. */
#pragma once

#include <glib-object.h>

#include "moa.h"

G_BEGIN_DECLS

#define MOA_TYPE_SELECTION (moa_selection_get_type ())
G_DECLARE_FINAL_TYPE (MoaSelection, moa_selection, MOA, SELECTION, GObject)

MoaSelection *
moa_selection_new (void) G_GNUC_WARN_UNUSED_RESULT;

/* Selects node @node_id (may be NULL: the obligation only) of obligation @obligation_id (may
 * be NULL: nothing). Emits "changed" once when the selection differs. */
void
moa_selection_select (MoaSelection *self, const char *obligation_id, const char *node_id);

/* Keeps the selection only if it still names elements of @procedure, else clears what no
 * longer exists (after a procedure was loaded or edited). */
void
moa_selection_validate (MoaSelection *self, const MoaProcedure *procedure);

/* The selected ids, or NULL (borrowed). */
const char *
moa_selection_get_obligation_id (MoaSelection *self);
const char *
moa_selection_get_node_id (MoaSelection *self);

/* The selected node of @procedure, or NULL (borrowed from @procedure). */
MoaNode *
moa_selection_get_node (MoaSelection *self, const MoaProcedure *procedure);

G_END_DECLS
