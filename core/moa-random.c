/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The only file that uses GSL's random numbers: keyed counter-based streams and the samplers. */
#include "moa-config.h"

#include <math.h>
#include <string.h>

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

static inline guint64
iteration_key (guint64 seed, guint64 iteration)
{
  /* The constant keeps seed 0 away from the finaliser's fixed point 0. */
  return mix_key (mix_key (seed ^ G_GUINT64_CONSTANT (0x6A09E667F3BCC909)) ^ iteration);
}

static inline void
stream_init_iteration (MoaStream *stream, guint64 ikey, guint64 key, guint64 purpose)
{
  stream->key = mix_key (mix_key (ikey ^ key) ^ purpose);
  stream->counter = 0;
}

/* Opens in @stream the stream of (@seed, @iteration, @key, @purpose): the key is each
 * component in turn xored in and mixed (a bijection at each step, so two keys that differ in
 * one component never coincide), the counter starts at 0. A few nanoseconds, no allocation. */
void
moa_stream_init (MoaStream *stream, guint64 seed, guint64 iteration, guint64 key, guint64 purpose)
{
  g_return_if_fail (stream != NULL);
  stream_init_iteration (stream, iteration_key (seed, iteration), key, purpose);
}

/* Returns the first two steps of moa_stream_init()'s key: seed, then iteration. */
guint64
moa_stream_iteration_key (guint64 seed, guint64 iteration)
{
  return iteration_key (seed, iteration);
}

/* Opens the stream of (seed, iteration, @key, @purpose) from the key of (seed, iteration):
 * the last two steps of moa_stream_init(), so the same stream. */
void
moa_stream_init_iteration (MoaStream *stream, guint64 ikey, guint64 key, guint64 purpose)
{
  g_return_if_fail (stream != NULL);
  stream_init_iteration (stream, ikey, key, purpose);
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

/* Prepared PERT laws of the values moa_sampler_draw() saw last, by the value's address: a
 * PERT law's strips take a microsecond to prepare, its draws some nanoseconds. */
#define SAMPLER_CACHE 16

typedef struct
{
  MoaLaw law; /* law.value NULL when free */
  double p[3];
  double scale;
} CachedLaw;

struct _MoaSampler
{
  gsl_rng *rng;
  CachedLaw *cache; /* SAMPLER_CACHE */
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
  sampler->cache = g_new0 (CachedLaw, SAMPLER_CACHE);
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
  g_free (sampler->cache);
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

/* How a prepared law is drawn (MoaLaw.method) and what its constants c[] hold. */
enum
{
  LAW_FIXED,   /* c0 the value (base unit); consumes nothing */
  LAW_UNIFORM, /* c0 a, c1 b − a, c2 b */
  LAW_TRIANGULAR, /* c0 a, c1 b, c2 b − a, c3 c − a, c4 b − c, c5 (c − a)/(b − a), c6 b > a */
  LAW_DISCRETE,    /* c0 Σw, c1 the last point of non-zero weight */
  LAW_BETA_POWER,  /* PERT with β = 1: X = u^(1/α); c0 a, c1 b − a, c2 b, c3 1/α */
  LAW_BETA_POWER1, /* PERT with α = 1: X = 1 − u^(1/β); c0 a, c1 b − a, c2 b, c3 1/β */
  LAW_BETA_STRIPS, /* PERT with α, β > 1: c0 a, c1 b − a, c2 b, c3 α − 1, c4 β − 1, c5 the
                    * log of the density's maximum (unnormalised); the strips of MoaLaw */
  LAW_BETA_GSL,    /* PERT with a shape below 1 (not produced by a valid mode): GSL's Beta;
                    * c0 a, c1 b − a, c2 b, c3 α, c4 β */
  LAW_NORMAL,      /* c0 μ, c1 σ, c2 lo, c3 hi, c4 Φ(alpha), c5 Q(beta), c6 Z, c7 rejection */
  LAW_LOGNORMAL,   /* c0 μ, c1 σ of the log */
};

/* Normal(@mu, @sd) truncated to [@lo, @hi], lo <= mu <= hi (hi may be +inf), prepared in c[]:
 * with alpha = (lo − mu)/sd <= 0 <= beta = (hi − mu)/sd, the acceptance probability of
 * rejection is Z = Φ(beta) − Φ(alpha) >= Φ(max(−alpha, beta)) − 1/2; when max(−alpha, beta) >= 1
 * this is at least 0.34, and rejection from the ziggurat is used (at most MOA_NORMAL_MAX_TRIES
 * tries). Otherwise (the range is narrower than 2 sd around the mean) the inverse CDF of the
 * truncated law: x = mu + sd Φ⁻¹(Φ(alpha) + u Z), computed from the nearer tail to keep its
 * precision. */
static void
truncated_normal_prepare (MoaLaw *law, double mu, double sd, double lo, double hi)
{
  double *c = law->c;
  double alpha, beta;

  c[0] = mu;
  c[1] = sd;
  c[2] = lo;
  c[3] = hi;
  c[6] = 0.0;
  if (!(sd > 0.0))
    return;
  alpha = (lo - mu) / sd;
  beta = isinf (hi) ? INFINITY : (hi - mu) / sd;
  c[4] = gsl_cdf_ugaussian_P (alpha);
  c[5] = isinf (beta) ? 0.0 : gsl_cdf_ugaussian_Q (beta);
  /* Φ(beta) − Φ(alpha) as a sum of two terms of the same sign, as moa-value.c does. */
  c[6] = 0.5 * (erf (beta / G_SQRT2) - erf (alpha / G_SQRT2));
  c[7] = fmax (-alpha, beta) >= 1.0;
}

static double
truncated_normal_draw (const MoaLaw *law, const gsl_rng *rng)
{
  const double *c = law->c;
  const double mu = c[0], sd = c[1], lo = c[2], hi = c[3], pa = c[4], qb = c[5], z = c[6];
  double u, x;

  if (!(sd > 0.0) || !(z > 0.0))
    return clamp (mu, lo, hi);
  if (c[7] != 0.0)
    for (guint i = 0; i < MOA_NORMAL_MAX_TRIES; i++)
      {
        x = mu + sd * gsl_ran_gaussian_ziggurat (rng, 1.0);
        if (x >= lo && x <= hi)
          return x;
      }
  u = gsl_rng_uniform_pos (rng);
  if (pa + u * z <= 0.5)
    x = mu + sd * gsl_cdf_ugaussian_Pinv (pa + u * z);
  else
    x = mu + sd * gsl_cdf_ugaussian_Qinv (qb + (1.0 - u) * z);
  return clamp (x, lo, hi);
}

/* The Beta density without its constant, divided by its maximum (at the mode): 1 at the mode,
 * 0 at 0 and 1 (shapes above 1). */
static inline double
beta_shape (const MoaLaw *law, double x)
{
  return exp (law->c[3] * log (x) + law->c[4] * log1p (-x) - law->c[5]);
}

/* Beta(α, β), α, β > 1, as used by PERT: an exact rejection method. [0, 1] is cut into
 * MOA_LAW_STRIPS strips of equal width; on each the density, which rises to the mode and falls
 * after it, lies between the smaller of its values at the strip's ends (the squeeze) and the
 * larger one (the envelope; 1 on the strip of the mode), both widened by 1e-12 against the
 * rounding of their computation. A strip is chosen with probability proportional to its
 * envelope by Walker's alias method, x uniform in it and y uniform under its envelope; x is
 * accepted when y is under the squeeze (most draws: three numbers, no logarithm) or, failing
 * that, under the density itself. The accepted x has exactly the Beta density. */
static void
beta_strips_prepare (MoaLaw *law, double al, double be)
{
  const guint n = MOA_LAW_STRIPS;
  double ends[MOA_LAW_STRIPS + 1], scaled[MOA_LAW_STRIPS], total = 0.0;
  guint small[MOA_LAW_STRIPS], large[MOA_LAW_STRIPS], n_small = 0, n_large = 0;
  double mode = (al - 1.0) / (al + be - 2.0);

  law->method = LAW_BETA_STRIPS;
  law->c[3] = al - 1.0;
  law->c[4] = be - 1.0;
  law->c[5] = 0.0;
  law->c[5] = law->c[3] * log (mode) + law->c[4] * log1p (-mode);
  ends[0] = ends[n] = 0.0;
  for (guint j = 1; j < n; j++)
    ends[j] = beta_shape (law, (double)j / n);
  for (guint j = 0; j < n; j++)
    {
      gboolean has_mode = (double)j / n <= mode && mode <= (double)(j + 1) / n;
      double hi = has_mode ? fmax (1.0, fmax (ends[j], ends[j + 1])) : fmax (ends[j], ends[j + 1]);
      law->strip_max[j] = hi * (1.0 + 1e-12);
      law->strip_min[j] = fmin (ends[j], ends[j + 1]) * (1.0 - 1e-12);
      total += law->strip_max[j];
    }
  /* Vose's construction of the alias table */
  for (guint j = 0; j < n; j++)
    {
      scaled[j] = law->strip_max[j] * n / total;
      if (scaled[j] < 1.0)
        small[n_small++] = j;
      else
        large[n_large++] = j;
    }
  while (n_small > 0 && n_large > 0)
    {
      guint s = small[--n_small], l = large[n_large - 1];
      law->strip_prob[s] = scaled[s];
      law->strip_alias[s] = (guint8)l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0)
        {
          n_large--;
          small[n_small++] = l;
        }
    }
  while (n_large > 0)
    {
      guint l = large[--n_large];
      law->strip_prob[l] = 1.0;
      law->strip_alias[l] = (guint8)l;
    }
  while (n_small > 0) /* only by rounding: their share is 1 */
    {
      guint s = small[--n_small];
      law->strip_prob[s] = 1.0;
      law->strip_alias[s] = (guint8)s;
    }
}

static inline double
beta_strips_draw (const MoaLaw *law, MoaStream *stream)
{
  for (;;)
    {
      guint64 r = stream_next (stream);
      guint j = (guint)(r >> 58); /* the top 6 bits: MOA_LAW_STRIPS = 64 */
      double coin = (double)((r >> 5) & ((G_GUINT64_CONSTANT (1) << 53) - 1)) * MOA_TWO_M53;
      guint strip = coin < law->strip_prob[j] ? j : law->strip_alias[j];
      double x = ((double)strip + stream_uniform (stream)) * (1.0 / MOA_LAW_STRIPS);
      double y = stream_uniform (stream) * law->strip_max[strip];
      if (y <= law->strip_min[strip] || y <= beta_shape (law, x))
        return x;
    }
}

/* Prepares @law for @value (see MoaLaw): every constant a draw needs, computed as the draw
 * would. */
void
moa_law_prepare (MoaLaw *law, const MoaValue *value)
{
  const double *p;
  double *c;

  g_return_if_fail (law != NULL);
  g_return_if_fail (value != NULL);

  /* the strips are filled only for PERT */
  memset (law, 0, G_STRUCT_OFFSET (MoaLaw, strip_prob));
  law->value = value;
  c = law->c;
  p = value->p;
  switch (value->kind)
    {
      case MOA_DIST_FIXED:
        law->method = LAW_FIXED;
        c[0] = value->mean;
        break;
      case MOA_DIST_UNIFORM:
        law->method = LAW_UNIFORM;
        c[0] = p[0];
        c[1] = p[1] - p[0];
        c[2] = p[1];
        break;
      case MOA_DIST_TRIANGULAR:
        law->method = LAW_TRIANGULAR;
        c[0] = p[0];
        c[1] = p[2];
        c[2] = p[2] - p[0];
        c[3] = p[1] - p[0];
        c[4] = p[2] - p[1];
        c[6] = p[2] > p[0];
        c[5] = c[6] != 0.0 ? c[3] / c[2] : 0.0;
        break;
      case MOA_DIST_DISCRETE:
        law->method = LAW_DISCRETE;
        for (guint i = 0; i < value->n_points; i++)
          {
            c[0] += value->weights[i];
            if (value->weights[i] > 0.0)
              c[1] = i;
          }
        break;
      case MOA_DIST_PERT:
        {
          /* PERT(a, m, b) = a + (b − a) Beta(α, β), α = 1 + 4 (m − a)/(b − a),
           * β = 1 + 4 (b − m)/(b − a) (simulation.md §5); a = b gives a */
          double a = p[0], m = p[1], b = p[2], al, be;
          if (!(b > a))
            {
              law->method = LAW_FIXED;
              c[0] = a * value->scale;
              break;
            }
          al = 1.0 + 4.0 * (m - a) / (b - a);
          be = 1.0 + 4.0 * (b - m) / (b - a);
          c[0] = a;
          c[1] = b - a;
          c[2] = b;
          if (be == 1.0 && al >= 1.0)
            {
              law->method = LAW_BETA_POWER;
              c[3] = 1.0 / al;
            }
          else if (al == 1.0 && be >= 1.0)
            {
              law->method = LAW_BETA_POWER1;
              c[3] = 1.0 / be;
            }
          else if (al > 1.0 && be > 1.0)
            beta_strips_prepare (law, al, be);
          else
            {
              law->method = LAW_BETA_GSL;
              c[3] = al;
              c[4] = be;
            }
          break;
        }
      case MOA_DIST_NORMAL:
        law->method = LAW_NORMAL;
        truncated_normal_prepare (law, p[0], p[1], 0.0, written_upper (value));
        break;
      case MOA_DIST_LOGNORMAL:
        /* σ² = ln(1 + s²/m²), μ = ln m − σ²/2 of the log (simulation.md §5) */
        law->method = LAW_LOGNORMAL;
        if (!(p[0] > 0.0))
          {
            law->method = LAW_FIXED;
            c[0] = 0.0 * value->scale;
          }
        else if (!(p[1] > 0.0))
          {
            law->method = LAW_FIXED;
            c[0] = p[0] * value->scale;
          }
        else
          {
            double sigma2 = log1p ((p[1] / p[0]) * (p[1] / p[0]));
            c[0] = log (p[0]) - 0.5 * sigma2;
            c[1] = sqrt (sigma2);
          }
        break;
      default:
        g_return_if_reached ();
    }
}

/* Discrete: the first point whose cumulative weight exceeds u Σw (weights are normalised, Σw is
 * recomputed so that rounding never favours the last point; zero weights are never drawn). */
static double
discrete_draw (const MoaLaw *law, double u)
{
  const MoaValue *value = law->value;
  double target = u * law->c[0], cum = 0.0;
  guint first = 0;

  /* the cumulative weights never decrease, so the first point whose cumulative weight exceeds
   * the target comes after every point whose cumulative weight does not: counting those needs
   * no branch */
  for (guint i = 0; i < value->n_points; i++)
    {
      cum += value->weights[i];
      first += cum <= target;
    }
  return value->points[first < value->n_points ? first : (guint)law->c[1]];
}

/* Draws one value of @law, in its base unit, from @stream: parameters are in the written unit
 * and the draw is multiplied by value->scale. Fixed values consume nothing; uniform,
 * triangular, discrete and PERT with a mode at an end one number; PERT otherwise two per try
 * of Cheng's method; normal and lognormal as many as GSL's ziggurat needs. The stream is
 * advanced past what was consumed. */
static inline double
law_draw (const MoaLaw *law, MoaSampler *sampler, MoaStream *stream)
{
  const MoaValue *value = law->value;
  const double *c = law->c;
  MoaStream *state;
  double x, u;

  switch (law->method)
    {
      case LAW_FIXED:
        return c[0];
      case LAW_UNIFORM:
        x = clamp (c[0] + c[1] * stream_uniform (stream), c[0], c[2]);
        return x * value->scale;
      case LAW_TRIANGULAR:
        /* inverse CDF (simulation.md §5), written order (min, mode, max) */
        u = stream_uniform (stream);
        if (c[6] == 0.0)
          x = c[0];
        else
          {
            /* one square root, chosen without a branch that the uniform would mispredict */
            gboolean left = u < c[5];
            double r = sqrt (left ? u * c[2] * c[3] : (1.0 - u) * c[2] * c[4]);
            x = clamp (left ? c[0] + r : c[1] - r, c[0], c[1]);
          }
        return x * value->scale;
      case LAW_DISCRETE:
        return discrete_draw (law, stream_uniform (stream)) * value->scale;
      case LAW_BETA_POWER:
        /* Beta(α, 1) by its inverse CDF x^α */
        x = exp (log (stream_uniform (stream)) * c[3]);
        return clamp (c[0] + c[1] * x, c[0], c[2]) * value->scale;
      case LAW_BETA_POWER1:
        /* Beta(1, β) by its inverse CDF 1 − (1 − x)^β, with 1 − u as uniform as u */
        x = -expm1 (log (stream_uniform (stream)) * c[3]);
        return clamp (c[0] + c[1] * x, c[0], c[2]) * value->scale;
      case LAW_BETA_STRIPS:
        x = beta_strips_draw (law, stream);
        return clamp (c[0] + c[1] * x, c[0], c[2]) * value->scale;
      case LAW_BETA_GSL:
      case LAW_NORMAL:
      case LAW_LOGNORMAL:
        break;
      default:
        g_return_val_if_reached (0.0);
    }

  /* The samplers that need GSL draw from a copy of @stream held in the generator's state. */
  state = (MoaStream *)sampler->rng->state;
  *state = *stream;
  switch (law->method)
    {
      case LAW_BETA_GSL:
        x = gsl_ran_beta (sampler->rng, c[3], c[4]);
        x = clamp (c[0] + c[1] * x, c[0], c[2]) * value->scale;
        break;
      case LAW_NORMAL:
        x = truncated_normal_draw (law, sampler->rng) * value->scale;
        /* The product by scale may round a fraction just above 1. */
        if (value->dim == MOA_DIM_FRACTION)
          x = clamp (x, 0.0, 1.0);
        break;
      case LAW_LOGNORMAL:
        /* x = exp(μ + σ N(0, 1)) with N from the ziggurat */
        x = exp (c[0] + c[1] * gsl_ran_gaussian_ziggurat (sampler->rng, 1.0)) * value->scale;
        break;
      default:
        g_assert_not_reached ();
    }
  *stream = *state;
  return x;
}

/* Draws one value of @law (see law_draw()). */
double
moa_law_draw (const MoaLaw *law, MoaSampler *sampler, MoaStream *stream)
{
  g_return_val_if_fail (law != NULL && law->value != NULL, 0.0);
  g_return_val_if_fail (sampler != NULL && stream != NULL, 0.0);
  return law_draw (law, sampler, stream);
}

/* Draws the laws of one iteration, each from its own stream (see moa-random.h). */
void
moa_laws_draw_iteration (const MoaLaw *laws, const guint64 *keys, const guint *slots, guint n,
                         guint64 iteration_key, guint64 purpose, MoaSampler *sampler, double *x)
{
  g_return_if_fail (n == 0 || (laws != NULL && keys != NULL && slots != NULL && x != NULL));
  g_return_if_fail (sampler != NULL);

  for (guint k = 0; k < n; k++)
    {
      MoaStream stream;
      stream_init_iteration (&stream, iteration_key, keys[k], purpose);
      x[slots[k]] = law_draw (&laws[k], sampler, &stream);
    }
}

/* Draws one law over many iterations (see moa-random.h). The methods that need no GSL
 * sampler have their own loops, each the same arithmetic as law_draw(), without a branch on
 * the method or a call per draw, so that consecutive draws overlap. */
void
moa_law_draw_iterations (const MoaLaw *law, guint64 key, guint64 purpose,
                         const guint64 *iteration_keys, guint n, MoaSampler *sampler, double *out)
{
  g_return_if_fail (law != NULL && law->value != NULL && sampler != NULL);
  g_return_if_fail (n == 0 || (iteration_keys != NULL && out != NULL));

  const double *c = law->c;
  const double scale = law->value->scale;
  MoaStream stream;
  switch (law->method)
    {
      case LAW_FIXED:
        for (guint i = 0; i < n; i++)
          out[i] = c[0];
        return;
      case LAW_UNIFORM:
        for (guint i = 0; i < n; i++)
          {
            stream_init_iteration (&stream, iteration_keys[i], key, purpose);
            out[i] = clamp (c[0] + c[1] * stream_uniform (&stream), c[0], c[2]) * scale;
          }
        return;
      case LAW_TRIANGULAR:
        if (c[6] == 0.0)
          {
            for (guint i = 0; i < n; i++)
              out[i] = c[0] * scale;
            return;
          }
        for (guint i = 0; i < n; i++)
          {
            stream_init_iteration (&stream, iteration_keys[i], key, purpose);
            double u = stream_uniform (&stream);
            gboolean left = u < c[5];
            double r = sqrt (left ? u * c[2] * c[3] : (1.0 - u) * c[2] * c[4]);
            out[i] = clamp (left ? c[0] + r : c[1] - r, c[0], c[1]) * scale;
          }
        return;
      case LAW_DISCRETE:
        for (guint i = 0; i < n; i++)
          {
            stream_init_iteration (&stream, iteration_keys[i], key, purpose);
            out[i] = discrete_draw (law, stream_uniform (&stream)) * scale;
          }
        return;
      case LAW_BETA_STRIPS:
        for (guint i = 0; i < n; i++)
          {
            stream_init_iteration (&stream, iteration_keys[i], key, purpose);
            double x = beta_strips_draw (law, &stream);
            out[i] = clamp (c[0] + c[1] * x, c[0], c[2]) * scale;
          }
        return;
      default:
        for (guint i = 0; i < n; i++)
          {
            stream_init_iteration (&stream, iteration_keys[i], key, purpose);
            out[i] = law_draw (law, sampler, &stream);
          }
        return;
    }
}

/* Draws one value of @value, in its base unit, from @stream (moa_law_prepare() then
 * moa_law_draw()). Returns 0 (and warns) on bad arguments. */
double
moa_sampler_draw (MoaSampler *sampler, const MoaValue *value, MoaStream *stream)
{
  MoaLaw law;

  g_return_val_if_fail (sampler != NULL, 0.0);
  g_return_val_if_fail (value != NULL, 0.0);
  g_return_val_if_fail (stream != NULL, 0.0);
  g_return_val_if_fail (value->kind != MOA_DIST_DISCRETE || value->n_points > 0, value->mean);

  if (value->kind == MOA_DIST_PERT)
    {
      /* a cached law is used only for a value with the same law (an address may be reused) */
      CachedLaw *cached = &sampler->cache[(GPOINTER_TO_SIZE (value) >> 4) % SAMPLER_CACHE];
      if (cached->law.value != value || cached->scale != value->scale
          || memcmp (cached->p, value->p, sizeof value->p) != 0)
        {
          moa_law_prepare (&cached->law, value);
          memcpy (cached->p, value->p, sizeof value->p);
          cached->scale = value->scale;
        }
      return law_draw (&cached->law, sampler, stream);
    }
  moa_law_prepare (&law, value);
  return law_draw (&law, sampler, stream);
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
