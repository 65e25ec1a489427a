/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outline of the open procedure: its obligations, and in each the activities and gateways
 * of the workflow, in file order; clicking a row selects that element. */
#pragma once

#include <gtk/gtk.h>

#include "moa-document.h"
#include "moa-selection.h"

G_BEGIN_DECLS

#define MOA_TYPE_OUTLINE (moa_outline_get_type ())
G_DECLARE_FINAL_TYPE (MoaOutline, moa_outline, MOA, OUTLINE, GtkWidget)

/* A new outline that shows and changes @selection. */
GtkWidget *
moa_outline_new (MoaSelection *selection);

/* Shows @document (may be NULL: empty), rebuilding the rows after every edit. */
void
moa_outline_set_document (MoaOutline *self, MoaDocument *document);

/* The list box and the row of node @node_id of @obligation_id (NULL: the obligation's own
 * row, whose selection selects the obligation), or NULL (borrowed; for tests and keyboard
 * focus). */
GtkListBox *
moa_outline_get_list_box (MoaOutline *self);
GtkListBoxRow *
moa_outline_get_row (MoaOutline *self, const char *obligation_id, const char *node_id);

G_END_DECLS
