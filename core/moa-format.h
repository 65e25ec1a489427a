/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output of evaluation results as a table for people, CSV for spreadsheets and JSON for
 * programs; used by the CLI and, later, by the GUI's export. */
#pragma once

#include <glib.h>

#include "moa-cases.h"
#include "moa-compare.h"
#include "moa-plan.h"
#include "moa-result.h"
#include "moa-sensitivity.h"
#include "moa-simulation.h"

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

/* Appends the results of @n two-level Monte Carlo simulations (moa_simulate()) to @out in
 * @format: per procedure, the run (seed, generator, iterations, confidence level, precision
 * target) and, for every entity of the plan and quantity (burden, cost, hours per year; one-off
 * burden where not zero in every iteration), the point estimate, mean, s.d., P5, P50, P95 and
 * the confidence interval of the mean. CSV and JSON (docs/json-output.md) keep full precision;
 * the output depends only on the simulations, never on how many threads ran them. */
void
moa_format_simulations (GString *out, MoaSimulation *const *simulations, guint n, MoaFormat format,
                        const MoaFormatOptions *options);

/* Appends @n per-case simulations (moa_simulate_cases()) of the plans @plans (the same order)
 * to @out in @format: per obligation and addressee segment, the distribution of one case's
 * hours, cost and burden, and the share of cases above the threshold. */
void
moa_format_case_simulations (GString *out, const MoaPlan *const *plans,
                             MoaCaseSimulation *const *simulations, guint n, MoaFormat format,
                             const MoaFormatOptions *options);

/* Appends the sensitivity rankings @rankings (GArray of MoaSensitivity from
 * moa_sensitivity_compute(), one per plan of @plans) to @out in @format; @top > 0 keeps the
 * first @top rows of each. Each plan is evaluated once at the expected values for the total
 * burden the rows refer to. */
void
moa_format_sensitivities (GString *out, const MoaPlan *const *plans, GArray *const *rankings,
                          guint n, guint top, MoaFormat format, const MoaFormatOptions *options);

/* Appends @n comparisons of a baseline with its simplified version (moa_compare()) to @out in
 * @format: a table per comparison (heading; saving per year of the burden, citizens' hours and
 * euros, businesses' euros; the one-off cost of the change, its yearly share and pay-back
 * period; the paired interval of the saving when simulated; the saving per measure,
 * cumulative and alone, with a note when the measures interact; the obligations, target
 * groups and activities the change affects), CSV with one row per entity and per measure, or
 * one JSON document {"moa_version", "mode": "comparison", "comparisons": [...]}
 * (docs/json-output.md). CSV and JSON keep full precision. */
void
moa_format_comparisons (GString *out, MoaComparison *const *comparisons, guint n, MoaFormat format,
                        const MoaFormatOptions *options);

G_END_DECLS
