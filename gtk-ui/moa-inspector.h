/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inspector: the properties of the selected activity (performer, standard activity and
 * complexity, tariff, time, out-of-pocket costs, fee, business-as-usual share), gateway
 * (branch probabilities) or obligation (frequency or cases, compliance), and the procedure's
 * target groups and segments with their populations; every change is a MoaEdit through the
 * undo stack, checked by the core; a refused value shows the core's message under its row and
 * changes nothing. */
#pragma once

#include <adwaita.h>

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

/* Shows the procedure's target groups and segments whatever is selected (the "Procedure"
 * button does the same); selecting something else shows that again. The procedure section is
 * also what the inspector shows when nothing is selected. */
void
moa_inspector_show_procedure (MoaInspector *self);

/* The text row (an AdwEntryRow) of @key, or NULL when the inspector shows no such field
 * (borrowed). A value is applied when the row's text is activated (Enter). @key:
 * - an activity's "time", "out-of-pocket", "fee", "bau", "tariff" (the explicit rate);
 * - "branch:TARGET": the probability of an exclusive gateway's branch to TARGET;
 * - an obligation's "frequency", "cases", "compliance";
 * - "population:SEGMENT": a segment's population (of a target group without segments: its
 *   implicit segment, whose id is the group's). */
GtkEditable *
moa_inspector_get_entry (MoaInspector *self, const char *key);

/* The drop-down row of @key, or NULL (borrowed): an activity's "performer", "standard",
 * "complexity" (shown only with a standard activity), "tariff-profile"; an obligation's
 * "count" (frequency or cases). Choosing an item applies it at once. */
AdwComboRow *
moa_inspector_get_combo (MoaInspector *self, const char *key);

/* The position in the drop-down @key of the item for @id, or -1 when it has none. @id:
 * "performer": NULL (the addressee), "external" or a target group id; "standard": NULL (none)
 * or a standard activity id; "complexity": "simple", "medium", "high"; "tariff-profile": NULL
 * (the cost model's default), a tariff profile id, or "explicit"; "count": "frequency" or
 * "cases". */
int
moa_inspector_find_choice (MoaInspector *self, const char *key, const char *id);

/* The label under the row of @key that shows a refused value's message (hidden when there is
 * none), or NULL (borrowed). */
GtkLabel *
moa_inspector_get_error_label (MoaInspector *self, const char *key);

G_END_DECLS
