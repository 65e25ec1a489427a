/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output of evaluation results as a table for people, CSV for spreadsheets and JSON for
 * programs; used by the CLI and, later, by the GUI's export. */
#pragma once

#include <glib.h>

#include "moa-result.h"

G_BEGIN_DECLS

typedef enum
{
  MOA_FORMAT_TABLE,
  MOA_FORMAT_CSV,
  MOA_FORMAT_JSON,
} MoaFormat;

gboolean
moa_format_from_string (const char *s, MoaFormat *format);

typedef struct
{
  const char *lang;           /* "it" or "en": titles and labels; NULL = from the locale */
  gboolean localized_numbers; /* table only: the locale's decimal and thousands separators */
} MoaFormatOptions;

/* Appends @n_results results to @out in @format. CSV and JSON always use '.' as decimal point
 * and full precision; the table rounds for display (money to the cent, hours to 0.01).
 * The JSON layout is documented in docs/json-output.md. */
void
moa_format_results (GString *out, MoaResult *const *results, guint n_results, MoaFormat format,
                    const MoaFormatOptions *options);

/* Formats @x with @decimals decimals and thousands grouping; when @localized, with the
 * separators of the current LC_NUMERIC locale, else "," and ".". Returns a new string. */
char *
moa_format_number (double x, int decimals, gboolean localized) G_GNUC_WARN_UNUSED_RESULT;

/* Appends a list of cost models (@models: MoaCostModel*, e.g. moa_model_set_get_models()) to
 * @out in @format: a table, CSV or a JSON document {"moa_version", "models": [...]} documented
 * in docs/json-output.md. */
void
moa_format_models (GString *out, GPtrArray *models, MoaFormat format,
                   const MoaFormatOptions *options);

G_END_DECLS
