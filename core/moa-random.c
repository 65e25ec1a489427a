/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The only file that uses GSL's random numbers: keyed counter-based streams and the samplers. */
#include "moa-config.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "moa-random.h"

/* The Weyl increment of SplitMix64: 2^64 / golden ratio, odd. */
#define MOA_GOLDEN_GAMMA G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)

/* 2^-53 and 2^-54, exact. */
#define MOA_TWO_M53 (1.0 / 9007199254740992.0)
#define MOA_TWO_M54 (0.5 / 9007199254740992.0)

/* A truncated normal is drawn by rejection from the ziggurat while the acceptance probability
 * is at least about 1/3 (see truncated_normal_draw); a rejection loop stops after this many
 * tries and finishes with the inverse CDF, which draws from the same law. */
#define MOA_NORMAL_MAX_TRIES 64

/* Key derivation: MurmurHash3's fmix64 finaliser (constants of MurmurHash3). */
static inline guint64
mix_key (guint64 k)
{
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xC4CEB9FE1A85EC53);
  k ^= k >> 33;
  return k;
}

/* Output: SplitMix64's finaliser (Stafford's "Mix13" constants), distinct from the key's. */
static inline guint64
mix_out (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* Returns a 64-bit hash of the NUL-terminated @text: 64-bit FNV-1a of its bytes, then the key
 * finaliser so that strings differing in their last byte differ in every bit. Never fails. */
guint64
moa_random_hash (const char *text)
{
  guint64 h = G_GUINT64_CONSTANT (0xCBF29CE484222325); /* FNV-1a 64 offset basis */

  g_return_val_if_fail (text != NULL, 0);

  for (const guchar *p = (const guchar *)text; *p != '\0'; p++)
    {
      h ^= *p;
      h *= G_GUINT64_CONSTANT (0x100000001B3); /* FNV 64 prime */
    }
  return mix_key (h);
}

/* Opens in @stream the stream of (@seed, @iteration, @key, @purpose): the key is each
 * component in turn xored in and mixed (a bijection at each step, so two keys that differ in
 * one component never coincide), the counter starts at 0. A few nanoseconds, no allocation. */
void
moa_stream_init (MoaStream *stream, guint64 seed, guint64 iteration, guint64 key, guint64 purpose)
{
  guint64 k;

  g_return_if_fail (stream != NULL);

  /* The constant keeps seed 0 away from the finaliser's fixed point 0. */
  k = mix_key (seed ^ G_GUINT64_CONSTANT (0x6A09E667F3BCC909));
  k = mix_key (k ^ iteration);
  k = mix_key (k ^ key);
  k = mix_key (k ^ purpose);
  stream->key = k;
  stream->counter = 0;
}

static inline guint64
stream_next (MoaStream *stream)
{
  guint64 x = stream->key + stream->counter * MOA_GOLDEN_GAMMA;

  stream->counter++;
  return mix_out (x);
}

/* Returns the next 64 random bits of @stream and advances its counter by one. */
guint64
moa_stream_next (MoaStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);
  return stream_next (stream);
}

static inline double
stream_uniform (MoaStream *stream)
{
  guint64 k = stream_next (stream) >> 11;

  /* k 2^-53 is at most 1 - 2^-53; only 0 must be moved, to half the grid step. */
  return k != 0 ? (double)k * MOA_TWO_M53 : MOA_TWO_M54;
}

/* Returns a uniform number in (0, 1) from the top 53 bits of one 64-bit draw: k 2^-53 for
 * k = 1 … 2^53 − 1, and 2^-54 for k = 0. Never 0, never 1. */
double
moa_stream_uniform (MoaStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0.5);
  return stream_uniform (stream);
}

/* Returns the generator's name (static). */
const char *
moa_random_generator_name (void)
{
  return "moa-ctr64 (splitmix64 finaliser, counter mode)";
}

/* The GSL seam: a gsl_rng_type whose state is a MoaStream, so that GSL's samplers draw from the
 * keyed stream. */

static void
ctr64_set (void *state, unsigned long int seed)
{
  moa_stream_init ((MoaStream *)state, seed, 0, 0, 0);
}

static unsigned long int
ctr64_get (void *state)
{
  /* The top 32 bits: the best mixed ones. */
  return (unsigned long int)(stream_next ((MoaStream *)state) >> 32);
}

static double
ctr64_get_double (void *state)
{
  return stream_uniform ((MoaStream *)state);
}

static const gsl_rng_type ctr64_type = {
  .name = "moa-ctr64",
  .max = 0xFFFFFFFFUL,
  .min = 0,
  .size = sizeof (MoaStream),
  .set = ctr64_set,
  .get = ctr64_get,
  .get_double = ctr64_get_double,
};

struct _MoaSampler
{
  gsl_rng *rng;
};

static void
ensure_gsl_quiet (void)
{
  static gsize once = 0;

  /* GSL's default handler aborts the process; the samplers used here report no errors, and
   * every parameter is checked before the call. */
  if (g_once_init_enter (&once))
    {
      gsl_set_error_handler_off ();
      g_once_init_leave (&once, 1);
    }
}

/* Returns a new sampler (free with moa_sampler_free()). One per thread; aborts only when
 * memory runs out, as g_new does. */
MoaSampler *
moa_sampler_new (void)
{
  MoaSampler *sampler;

  ensure_gsl_quiet ();
  sampler = g_new0 (MoaSampler, 1);
  sampler->rng = gsl_rng_alloc (&ctr64_type);
  if (sampler->rng == NULL)
    g_error ("moa_sampler_new: out of memory");
  return sampler;
}

/* Frees @sampler. NULL-safe. */
void
moa_sampler_free (MoaSampler *sampler)
{
  if (sampler == NULL)
    return;
  gsl_rng_free (sampler->rng);
  g_free (sampler);
}

/* Upper end of the valid range in the written unit: 1 (or 100 for "%") for fractions, +inf
 * otherwise; moa-value.c truncates the normal's mean to the same range. */
static double
written_upper (const MoaValue *value)
{
  if (value->dim != MOA_DIM_FRACTION)
    return INFINITY;
  return 1.0 / value->scale;
}

static inline double
clamp (double x, double lo, double hi)
{
  return x < lo ? lo : (x > hi ? hi : x);
}

/* Triangular(a, c, b) by its inverse CDF (simulation.md §5), written order (min, mode, max). */
static double
triangular_draw (double a, double c, double b, double u)
{
  double f;

  if (!(b > a))
    return a;
  f = (c - a) / (b - a);
  if (u < f)
    return clamp (a + sqrt (u * (b - a) * (c - a)), a, b);
  return clamp (b - sqrt ((1.0 - u) * (b - a) * (b - c)), a, b);
}

/* PERT(a, m, b) = a + (b − a) Beta(α, β), α = 1 + 4 (m − a)/(b − a), β = 1 + 4 (b − m)/(b − a)
 * (simulation.md §5). */
static double
pert_draw (const gsl_rng *rng, double a, double m, double b)
{
  double alpha, beta;

  if (!(b > a))
    return a;
  alpha = 1.0 + 4.0 * (m - a) / (b - a);
  beta = 1.0 + 4.0 * (b - m) / (b - a);
  return clamp (a + (b - a) * gsl_ran_beta (rng, alpha, beta), a, b);
}

/* Normal(@mu, @sd) truncated to [@lo, @hi], lo <= mu <= hi (hi may be +inf). With
 * alpha = (lo − mu)/sd <= 0 <= beta = (hi − mu)/sd, the acceptance probability of rejection
 * is Z = Φ(beta) − Φ(alpha) >= Φ(max(−alpha, beta)) − 1/2; when max(−alpha, beta) >= 1 this is
 * at least 0.34, and rejection from the ziggurat is used (at most MOA_NORMAL_MAX_TRIES tries).
 * Otherwise (the range is narrower than 2 sd around the mean) the inverse CDF of the truncated
 * law: x = mu + sd Φ⁻¹(Φ(alpha) + u Z), computed from the nearer tail to keep its precision. */
static double
truncated_normal_draw (const gsl_rng *rng, double mu, double sd, double lo, double hi)
{
  double alpha, beta, pa, qb, z, u, x;

  if (!(sd > 0.0))
    return clamp (mu, lo, hi);
  alpha = (lo - mu) / sd;
  beta = isinf (hi) ? INFINITY : (hi - mu) / sd;

  if (fmax (-alpha, beta) >= 1.0)
    for (guint i = 0; i < MOA_NORMAL_MAX_TRIES; i++)
      {
        x = mu + sd * gsl_ran_gaussian_ziggurat (rng, 1.0);
        if (x >= lo && x <= hi)
          return x;
      }

  pa = gsl_cdf_ugaussian_P (alpha);
  qb = isinf (beta) ? 0.0 : gsl_cdf_ugaussian_Q (beta);
  /* Φ(beta) − Φ(alpha) as a sum of two terms of the same sign, as moa-value.c does. */
  z = 0.5 * (erf (beta / G_SQRT2) - erf (alpha / G_SQRT2));
  if (!(z > 0.0))
    return clamp (mu, lo, hi);
  u = gsl_rng_uniform_pos (rng);
  if (pa + u * z <= 0.5)
    x = mu + sd * gsl_cdf_ugaussian_Pinv (pa + u * z);
  else
    x = mu + sd * gsl_cdf_ugaussian_Qinv (qb + (1.0 - u) * z);
  return clamp (x, lo, hi);
}

/* Lognormal from the mean @m and the s.d. @s of the value (simulation.md §5):
 * σ² = ln(1 + s²/m²), μ = ln m − σ²/2, x = exp(μ + σ N(0, 1)) with N from the ziggurat. */
static double
lognormal_draw (const gsl_rng *rng, double m, double s)
{
  double sigma2, mu;

  if (!(m > 0.0))
    return 0.0;
  if (!(s > 0.0))
    return m;
  sigma2 = log1p ((s / m) * (s / m));
  mu = log (m) - 0.5 * sigma2;
  return exp (mu + sqrt (sigma2) * gsl_ran_gaussian_ziggurat (rng, 1.0));
}

/* Discrete: the first point whose cumulative weight exceeds u Σw (weights are normalised, Σw is
 * recomputed so that rounding never favours the last point; zero weights are never drawn). */
static double
discrete_draw (const MoaValue *value, double u)
{
  double total = 0.0, target, cum = 0.0;
  guint last = 0;

  for (guint i = 0; i < value->n_points; i++)
    {
      total += value->weights[i];
      if (value->weights[i] > 0.0)
        last = i;
    }
  target = u * total;
  for (guint i = 0; i < value->n_points; i++)
    {
      cum += value->weights[i];
      if (target < cum)
        return value->points[i];
    }
  return value->points[last];
}

/* Draws one value of @value, in its base unit, from @stream: parameters are in the written unit
 * and the draw is multiplied by value->scale. Fixed values consume nothing; uniform and
 * triangular one number; the others as many as GSL's method needs. The stream is advanced past
 * what was consumed. Returns 0 (and warns) on bad arguments. */
double
moa_sampler_draw (MoaSampler *sampler, const MoaValue *value, MoaStream *stream)
{
  MoaStream *state;
  const double *p;
  double x, hi;

  g_return_val_if_fail (sampler != NULL, 0.0);
  g_return_val_if_fail (value != NULL, 0.0);
  g_return_val_if_fail (stream != NULL, 0.0);

  p = value->p;
  switch (value->kind)
    {
      case MOA_DIST_FIXED:
        return value->mean;
      case MOA_DIST_UNIFORM:
        x = clamp (p[0] + (p[1] - p[0]) * stream_uniform (stream), p[0], p[1]);
        return x * value->scale;
      case MOA_DIST_TRIANGULAR:
        x = triangular_draw (p[0], p[1], p[2], stream_uniform (stream));
        return x * value->scale;
      case MOA_DIST_DISCRETE:
        g_return_val_if_fail (value->n_points > 0, value->mean);
        x = discrete_draw (value, stream_uniform (stream));
        return x * value->scale;
      case MOA_DIST_PERT:
      case MOA_DIST_NORMAL:
      case MOA_DIST_LOGNORMAL:
        break;
      default:
        g_return_val_if_reached (0.0);
    }

  /* The samplers that need GSL draw from a copy of @stream held in the generator's state. */
  state = (MoaStream *)sampler->rng->state;
  *state = *stream;
  switch (value->kind)
    {
      case MOA_DIST_PERT:
        x = pert_draw (sampler->rng, p[0], p[1], p[2]) * value->scale;
        break;
      case MOA_DIST_NORMAL:
        hi = written_upper (value);
        x = truncated_normal_draw (sampler->rng, p[0], p[1], 0.0, hi) * value->scale;
        /* The product by scale may round a fraction just above 1. */
        if (value->dim == MOA_DIM_FRACTION)
          x = clamp (x, 0.0, 1.0);
        break;
      case MOA_DIST_LOGNORMAL:
        x = lognormal_draw (sampler->rng, p[0], p[1]) * value->scale;
        break;
      default:
        g_assert_not_reached ();
    }
  *stream = *state;
  return x;
}

static double
std_normal_pdf (double x)
{
  if (isinf (x))
    return 0.0;
  return exp (-0.5 * x * x) / sqrt (2.0 * G_PI);
}

/* Variance of normal(@mu, @sd) truncated to [@lo, @hi], lo <= mu <= hi:
 * sd² [1 + (alpha φ(alpha) − beta φ(beta))/Z − ((φ(alpha) − φ(beta))/Z)²], with
 * alpha = (lo − mu)/sd, beta = (hi − mu)/sd, Z = Φ(beta) − Φ(alpha) (beta φ(beta) = 0 at +inf).
 * Bounded by [0, (hi − lo)²/4] against rounding. */
static double
truncated_normal_variance (double mu, double sd, double lo, double hi)
{
  double alpha, beta, z, pa, pb, t, v;

  if (!(sd > 0.0))
    return 0.0;
  alpha = (lo - mu) / sd;
  beta = isinf (hi) ? INFINITY : (hi - mu) / sd;
  z = 0.5 * (erf (beta / G_SQRT2) - erf (alpha / G_SQRT2));
  if (!(z > 0.0))
    return 0.0;
  pa = std_normal_pdf (alpha);
  pb = std_normal_pdf (beta);
  t = alpha * pa - (isinf (beta) ? 0.0 : beta * pb);
  v = sd * sd * (1.0 + t / z - ((pa - pb) / z) * ((pa - pb) / z));
  if (!isinf (hi))
    v = fmin (v, 0.25 * (hi - lo) * (hi - lo));
  return fmax (v, 0.0);
}

/* Returns the variance of @value's law in base units squared, with the truncation of
 * moa_sampler_draw() and of value->mean: 0 for fixed, (b − a)²/12 for uniform,
 * (a² + b² + c² − ab − ac − bc)/18 for triangular, αβ(b − a)²/((α + β)²(α + β + 1)) for PERT,
 * the truncated normal's for normal, s² for lognormal, Σ w (v − mean)² for discrete. */
double
moa_value_variance (const MoaValue *value)
{
  const double *p;
  double v = 0.0;

  g_return_val_if_fail (value != NULL, 0.0);

  p = value->p;
  switch (value->kind)
    {
      case MOA_DIST_FIXED:
        v = 0.0;
        break;
      case MOA_DIST_UNIFORM:
        v = (p[1] - p[0]) * (p[1] - p[0]) / 12.0;
        break;
      case MOA_DIST_TRIANGULAR:
        {
          double a = p[0], c = p[1], b = p[2];
          v = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
          break;
        }
      case MOA_DIST_PERT:
        {
          double a = p[0], m = p[1], b = p[2], al, be;
          if (!(b > a))
            break;
          al = 1.0 + 4.0 * (m - a) / (b - a);
          be = 1.0 + 4.0 * (b - m) / (b - a);
          v = al * be * (b - a) * (b - a) / ((al + be) * (al + be) * (al + be + 1.0));
          break;
        }
      case MOA_DIST_NORMAL:
        v = truncated_normal_variance (p[0], p[1], 0.0, written_upper (value));
        break;
      case MOA_DIST_LOGNORMAL:
        v = p[0] > 0.0 ? p[1] * p[1] : 0.0;
        break;
      case MOA_DIST_DISCRETE:
        {
          double sw = 0.0, s = 0.0, mean;
          for (guint i = 0; i < value->n_points; i++)
            {
              sw += value->weights[i];
              s += value->weights[i] * value->points[i];
            }
          if (!(sw > 0.0))
            break;
          mean = s / sw;
          for (guint i = 0; i < value->n_points; i++)
            v += value->weights[i] * (value->points[i] - mean) * (value->points[i] - mean);
          v /= sw;
          break;
        }
      default:
        g_return_val_if_reached (0.0);
    }
  return fmax (v, 0.0) * value->scale * value->scale;
}
