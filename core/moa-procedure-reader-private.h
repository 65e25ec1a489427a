/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private entry points of the procedure reader for other loaders (scenarios): one <activity>
 * or one <obligation> read in the context of an existing procedure, exactly as in a procedure
 * file. */
#pragma once

#include <glib.h>

#include "moa-procedure.h"
#include "moa-xml-util.h"
#include "moa-xml.h"

G_BEGIN_DECLS

/* Reads the <activity> element @xml as a workflow node of @obligation of @procedure (neither is
 * modified): attributes, values, tags, <title>, <note>, <source> and <for> overrides (whose
 * segments must belong to the obligation's target groups) are read and checked as in a
 * procedure file, with the same messages, appended to ctx->problems. When @next is not NULL the
 * element must not have a next attribute (a CONFLICT problem otherwise) and the node takes
 * @next. Whether the id is already used in the obligation is the caller's business. Returns the
 * new node, or NULL when a problem was appended. */
MoaNode *
moa_procedure_read_activity (MoaXmlCtx *ctx, const MoaProcedure *procedure,
                             const MoaObligation *obligation, const MoaXmlNode *xml,
                             const char *next) G_GNUC_WARN_UNUSED_RESULT;

/* Reads the <obligation> element @xml, with its workflow, against @procedure (its target
 * groups and segments), as in a procedure file, with the same messages, appended to
 * ctx->problems. @procedure is left as it was: the caller appends the obligation and calls
 * moa_procedure_reindex(). Whether the id is already used in the procedure's namespace is the
 * caller's business. Returns the new obligation, or NULL when a problem was appended. */
MoaObligation *
moa_procedure_read_obligation (MoaXmlCtx *ctx, MoaProcedure *procedure,
                               const MoaXmlNode *xml) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
