/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numeric values with explicit units, possibly written as distributions. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a value measures; it decides which units are accepted and the valid range. */
typedef enum
{
  MOA_DIM_TIME,     /* base unit: hour. Units: s, min, h, day (8 h) */
  MOA_DIM_MONEY,    /* base unit: the currency. Units: EUR */
  MOA_DIM_RATE,     /* base unit: currency per hour. Units: EUR/h, EUR/day */
  MOA_DIM_FRACTION, /* probability or share, 0..1. Units: none, or "%" (value / 100) */
  MOA_DIM_COUNT,    /* population, frequency, cases: >= 0. Units: none */
} MoaDimension;

typedef enum
{
  MOA_DIST_FIXED,      /* p[0] */
  MOA_DIST_UNIFORM,    /* uniform(min, max): p[0], p[1] */
  MOA_DIST_TRIANGULAR, /* triangular(min, mode, max): p[0], p[1], p[2] */
  MOA_DIST_PERT,       /* pert(min, mode, max): p[0], p[1], p[2] */
  MOA_DIST_NORMAL,     /* normal(mean, sd): truncated to the dimension's valid range */
  MOA_DIST_LOGNORMAL,  /* lognormal(mean, sd) of the value itself */
  MOA_DIST_DISCRETE,   /* discrete(v1: w1, v2: w2, ...): weights normalised */
} MoaDistKind;

/* An immutable value. Parameters are stored as written, in the written unit, so that writing
 * the value back gives the same text; @scale converts them to the dimension's base unit. */
typedef struct
{
  gatomicrefcount ref; /* atomic: shared by worker threads */
  MoaDimension dim;
  MoaDistKind kind;
  double p[3];     /* distribution parameters in the written unit */
  guint n_points;  /* discrete only */
  double *points;  /* discrete values, in the written unit */
  double *weights; /* discrete weights, normalised to sum 1 */
  char *unit;      /* unit as written ("min", "h", "EUR", "%", ...), NULL when none */
  double scale;    /* written unit -> base unit */
  double mean;     /* expected value in the base unit, truncation applied */
} MoaValue;

/* Parses @text as a value of dimension @dim: "30 min", "1.5 h", "16 EUR", "25 %", "0.3",
 * "triangular(20, 30, 60) min", "pert(1, 2, 4) h", "normal(30, 5) min",
 * "lognormal(30, 10) min", "uniform(0.2, 0.4)", "discrete(1: 0.7, 2: 0.3)".
 * Decimal point is '.', thousands are not separated. Returns a new value (ref 1) or NULL with
 * @error set in MOA_PARSE_ERROR (BAD_NUMBER, BAD_UNIT, NEGATIVE, OUT_OF_RANGE,
 * BAD_DISTRIBUTION); the message says what is wrong but not where (the caller adds that). */
MoaValue *
moa_value_parse (const char *text, MoaDimension dim, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Returns a new fixed value of @x in the base unit of @dim, with unit @unit (may be NULL). */
MoaValue *
moa_value_new_fixed (MoaDimension dim, double x, const char *unit) G_GNUC_WARN_UNUSED_RESULT;

MoaValue *
moa_value_ref (MoaValue *value);
void
moa_value_unref (MoaValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaValue, moa_value_unref)

/* Expected value in the base unit. NULL-safe: returns @fallback for NULL. */
double
moa_value_mean_or (const MoaValue *value, double fallback);

/* Returns the text that moa_value_parse() reads back to an equal value (newly allocated). */
char *
moa_value_to_string (const MoaValue *value) G_GNUC_WARN_UNUSED_RESULT;

/* TRUE when both values have the same dimension, kind, unit and parameters. */
gboolean
moa_value_equal (const MoaValue *a, const MoaValue *b);

/* The smallest and largest values @value can take, in the base unit: the support of its law,
 * truncated to the dimension's valid range (a normal or lognormal time has no upper bound:
 * *@high is then INFINITY). */
void
moa_value_support (const MoaValue *value, double *low, double *high);

/* TRUE when the value is not fixed (it will be sampled by Monte Carlo). */
gboolean
moa_value_is_uncertain (const MoaValue *value);

const char *
moa_dimension_name (MoaDimension dim);

G_END_DECLS
