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
