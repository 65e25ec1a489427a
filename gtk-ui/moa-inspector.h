/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inspector: the properties of the selected activity (time, out-of-pocket costs,
 * business-as-usual share) or gateway (branch probabilities), edited as text, checked by the
 * core and applied through the undo stack; a refused value shows the core's message under its
 * entry and changes nothing. */
#pragma once

#include <gtk/gtk.h>

#include "moa-document.h"
#include "moa-selection.h"

G_BEGIN_DECLS

#define MOA_TYPE_INSPECTOR (moa_inspector_get_type ())
G_DECLARE_FINAL_TYPE (MoaInspector, moa_inspector, MOA, INSPECTOR, GtkWidget)

GtkWidget *
moa_inspector_new (MoaSelection *selection);

/* Shows the selection in @document (may be NULL). */
void
moa_inspector_set_document (MoaInspector *self, MoaDocument *document);

/* The entry of @key and the label under it that shows a refused value's message, or NULL when
 * the selected element has no such field (borrowed). @key: "time", "out-of-pocket", "bau", or
 * "branch:TARGET" for the probability of a gateway's branch to TARGET. */
GtkEntry *
moa_inspector_get_entry (MoaInspector *self, const char *key);
GtkLabel *
moa_inspector_get_error_label (MoaInspector *self, const char *key);

G_END_DECLS
