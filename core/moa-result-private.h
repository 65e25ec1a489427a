/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Building results: used by the evaluation plan only. */
#pragma once

#include "moa-result.h"

G_BEGIN_DECLS

/* A new, empty result holding references to @procedure and @model. */
MoaResult *
moa_result_new (MoaProcedure *procedure, MoaCostModel *model);

G_END_DECLS
