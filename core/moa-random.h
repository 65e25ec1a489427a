/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keyed random streams and samplers of the value distributions (the GSL random seam). */
#pragma once

#include <glib.h>

#include "moa-value.h"

G_BEGIN_DECLS

/* A counter-based stream: its numbers depend only on the key it was opened with, so that the
 * same (seed, iteration, parameter, purpose) gives the same draws in a baseline and in its
 * scenarios, whatever else either consumes and whichever thread runs it (simulation.md §4). */
typedef struct
{
  guint64 key;
  guint64 counter;
} MoaStream;

/* A 64-bit hash of a parameter key string (a plan's moa_plan_get_param_key()). */
guint64
moa_random_hash (const char *text);

/* Opens the stream of (@seed, @iteration, @key, @purpose). */
void
moa_stream_init (MoaStream *stream, guint64 seed, guint64 iteration, guint64 key, guint64 purpose);

/* The part of the key of every stream of (@seed, @iteration): what moa_stream_init() computes
 * before mixing in the parameter key and the purpose. A simulation computes it once per
 * iteration and opens each parameter's stream with moa_stream_init_iteration(). */
guint64
moa_stream_iteration_key (guint64 seed, guint64 iteration);

/* Opens the stream of (seed, iteration, @key, @purpose) from @iteration_key =
 * moa_stream_iteration_key (seed, iteration): the same stream as moa_stream_init(). */
void
moa_stream_init_iteration (MoaStream *stream, guint64 iteration_key, guint64 key, guint64 purpose);

/* The next 64 random bits. */
guint64
moa_stream_next (MoaStream *stream);

/* A uniform number in the open interval (0, 1), with 53 random bits. */
double
moa_stream_uniform (MoaStream *stream);

/* The name of the generator, printed with every simulation output. */
const char *
moa_random_generator_name (void);

/* Draws values of MoaValue distributions; holds the GSL generator that wraps a MoaStream.
 * Not thread-safe: one per thread. */
typedef struct _MoaSampler MoaSampler;

MoaSampler *
moa_sampler_new (void) G_GNUC_WARN_UNUSED_RESULT;
void
moa_sampler_free (MoaSampler *sampler);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaSampler, moa_sampler_free)

/* A value's law prepared for many draws: the constants of its method computed once (for PERT
 * the Beta shapes and Cheng's constants, for a truncated normal its bounds and mass). Plain
 * data that borrows the value (which must outlive it); any number of threads may draw from one
 * prepared law, each with its own sampler. */
#define MOA_LAW_STRIPS 64
typedef struct
{
  const MoaValue *value;
  int method; /* private */
  double c[8];
  /* PERT: Beta(α, β) by rejection from MOA_LAW_STRIPS strips of equal width (private) */
  double strip_prob[MOA_LAW_STRIPS];
  double strip_max[MOA_LAW_STRIPS];
  double strip_min[MOA_LAW_STRIPS];
  guint8 strip_alias[MOA_LAW_STRIPS];
} MoaLaw;

/* Prepares @law for drawing @value. */
void
moa_law_prepare (MoaLaw *law, const MoaValue *value);

/* Draws one value of the law, exactly as moa_sampler_draw() draws its value (the same numbers
 * from the same stream). */
double
moa_law_draw (const MoaLaw *law, MoaSampler *sampler, MoaStream *stream);

/* Draws the @n prepared @laws of one iteration: x[@slots[k]] receives the draw of laws[k] from
 * the stream (seed, iteration, @keys[k], @purpose), opened from @iteration_key =
 * moa_stream_iteration_key (seed, iteration). The same numbers as opening each stream with
 * moa_stream_init() and drawing with moa_law_draw(), without a call per parameter. */
void
moa_laws_draw_iteration (const MoaLaw *laws, const guint64 *keys, const guint *slots, guint n,
                         guint64 iteration_key, guint64 purpose, MoaSampler *sampler, double *x);

/* Draws @law once for each of @n iterations: out[i] receives the draw from the stream
 * (seed, iteration i, @key, @purpose), opened from @iteration_keys[i] =
 * moa_stream_iteration_key (seed, iteration i). The same numbers as moa_laws_draw_iteration();
 * drawing one law over many iterations keeps its method's branches and constants hot. */
void
moa_law_draw_iterations (const MoaLaw *law, guint64 key, guint64 purpose,
                         const guint64 *iteration_keys, guint n, MoaSampler *sampler, double *out);

/* Draws one value of @value, in its base unit, from @stream (consuming as many numbers as the
 * method needs). Truncation follows the analytic mean of moa-value.c: a normal is truncated to
 * the dimension's valid range ([0, inf), or [0, 1] for fractions), so the mean of the draws
 * converges to value->mean. A fixed value returns its mean without consuming anything. */
double
moa_sampler_draw (MoaSampler *sampler, const MoaValue *value, MoaStream *stream);

/* The variance of @value's distribution in base units squared (0 for fixed), with the same
 * truncation; used by tests and by the per-case variance. */
double
moa_value_variance (const MoaValue *value);

G_END_DECLS
