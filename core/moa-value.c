/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Values with units and distributions: parsing, expected values, writing back. */

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-error.h"
#include "moa-value.h"

/* A unit: written name, dimension, and the conversion to the base unit as mul / div (kept as
 * two exact numbers so that "30 s" is 30 / 3600 h, not 30 × 0.000277…). */
typedef struct
{
  MoaDimension dim;
  const char *name;
  double mul;
  double div;
} UnitDef;

/* docs/procedure-format.md, "Values and units"; 1 person-day = 8 h (methodology.md §3.3). */
static const UnitDef units[] = {
  { MOA_DIM_TIME, "s", 1, 3600 },  { MOA_DIM_TIME, "min", 1, 60 },    { MOA_DIM_TIME, "h", 1, 1 },
  { MOA_DIM_TIME, "day", 8, 1 },   { MOA_DIM_MONEY, "EUR", 1, 1 },    { MOA_DIM_MONEY, "€", 1, 1 },
  { MOA_DIM_RATE, "EUR/h", 1, 1 }, { MOA_DIM_RATE, "EUR/day", 1, 8 }, { MOA_DIM_RATE, "€/h", 1, 1 },
  { MOA_DIM_RATE, "€/day", 1, 8 }, { MOA_DIM_FRACTION, "%", 1, 100 },
};

static const char *const dist_names[] = {
  [MOA_DIST_FIXED] = NULL,
  [MOA_DIST_UNIFORM] = "uniform",
  [MOA_DIST_TRIANGULAR] = "triangular",
  [MOA_DIST_PERT] = "pert",
  [MOA_DIST_NORMAL] = "normal",
  [MOA_DIST_LOGNORMAL] = "lognormal",
  [MOA_DIST_DISCRETE] = "discrete",
};

static const UnitDef *
find_unit (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (units[i].name, name) == 0)
      return &units[i];
  return NULL;
}

/* Returns the base-unit definition for @dim (NULL for fraction and count: no unit). */
static const UnitDef *
base_unit (MoaDimension dim)
{
  switch (dim)
    {
      case MOA_DIM_TIME:
        return find_unit ("h");
      case MOA_DIM_MONEY:
        return find_unit ("EUR");
      case MOA_DIM_RATE:
        return find_unit ("EUR/h");
      case MOA_DIM_FRACTION:
      case MOA_DIM_COUNT:
      default:
        return NULL;
    }
}

static const char *
expected_units (MoaDimension dim)
{
  switch (dim)
    {
      case MOA_DIM_TIME:
        return _ ("s, min, h or day");
      case MOA_DIM_MONEY:
        return _ ("EUR");
      case MOA_DIM_RATE:
        return _ ("EUR/h or EUR/day");
      case MOA_DIM_FRACTION:
        return _ ("no unit or \"%\"");
      case MOA_DIM_COUNT:
      default:
        return _ ("no unit");
    }
}

static const char *
dimension_label (MoaDimension dim)
{
  switch (dim)
    {
      case MOA_DIM_TIME:
        return _ ("time");
      case MOA_DIM_MONEY:
        return _ ("money");
      case MOA_DIM_RATE:
        return _ ("rate");
      case MOA_DIM_FRACTION:
        return _ ("fraction");
      case MOA_DIM_COUNT:
      default:
        return _ ("count");
    }
}

/* Returns the name of @dim in the format's vocabulary: "time", "money", "rate", "fraction",
 * "count" (static, untranslated). */
const char *
moa_dimension_name (MoaDimension dim)
{
  switch (dim)
    {
      case MOA_DIM_TIME:
        return "time";
      case MOA_DIM_MONEY:
        return "money";
      case MOA_DIM_RATE:
        return "rate";
      case MOA_DIM_FRACTION:
        return "fraction";
      case MOA_DIM_COUNT:
        return "count";
      default:
        g_return_val_if_reached (NULL);
    }
}

/* Length of the longest prefix of @s that is a decimal number
 * [+-]?(D+(.D*)?|.D+)([eE][+-]?D+)?; 0 when there is none. g_ascii_strtod() alone would also
 * take "inf", "nan" and hexadecimal, which the format does not allow. */
static gsize
scan_number (const char *s)
{
  const char *p = s;
  gboolean digits = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    {
      p++;
      digits = TRUE;
    }
  if (*p == '.')
    {
      p++;
      while (g_ascii_isdigit (*p))
        {
          p++;
          digits = TRUE;
        }
    }
  if (!digits)
    return 0;
  if (*p == 'e' || *p == 'E')
    {
      const char *q = p + 1;
      if (*q == '+' || *q == '-')
        q++;
      if (g_ascii_isdigit (*q))
        {
          while (g_ascii_isdigit (*q))
            q++;
          p = q;
        }
    }
  return (gsize)(p - s);
}

static gboolean
is_nonfinite_word (const char *s)
{
  static const char *const words[]
      = { "nan", "inf", "infinity", "+inf", "-inf", "+infinity", "-infinity", "+nan", "-nan" };
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_ascii_strcasecmp (s, words[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Parses @token (already trimmed) as exactly one finite decimal number. */
static gboolean
parse_number_token (const char *token, double *out, GError **error)
{
  gsize len = scan_number (token);
  double x;

  if (len == 0 || token[len] != '\0')
    {
      if (is_nonfinite_word (token))
        g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                     _ ("\"%s\" is not a finite number"), token);
      else if (len > 0 && token[len] == ',' && g_ascii_isdigit (token[len + 1]))
        g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                     _ ("\"%s\" is not a number: the decimal separator is \".\""), token);
      else
        g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                     _ ("\"%s\" is not a number"), token);
      return FALSE;
    }
  x = g_ascii_strtod (token, NULL);
  if (!isfinite (x))
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                   _ ("\"%s\" is not a finite number"), token);
      return FALSE;
    }
  *out = x;
  return TRUE;
}

/* Shortest text that g_ascii_strtod() reads back to @x, independent of the locale. */
static char *
format_double (double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], x);
      if (g_ascii_strtod (buf, NULL) == x)
        break;
    }
  return g_strdup (buf);
}

/* The text of a value while it is parsed. */
typedef struct
{
  MoaDimension dim;
  MoaDistKind kind;
  char *echo;      /* "triangular(40, 30, 60)" or the number, as written: for messages */
  double a[3];     /* parameters, written unit */
  char *tok[3];    /* parameters as written: for messages */
  guint n;         /* parameters read */
  GArray *points;  /* discrete */
  GArray *weights; /* discrete, as written */
  GPtrArray *point_tok;
  GPtrArray *weight_tok;
  char *unit;         /* NULL when none */
  const UnitDef *def; /* NULL when none */
} Parsed;

static void
parsed_clear (Parsed *pv)
{
  g_free (pv->echo);
  for (guint i = 0; i < 3; i++)
    g_free (pv->tok[i]);
  if (pv->points)
    g_array_unref (pv->points);
  if (pv->weights)
    g_array_unref (pv->weights);
  if (pv->point_tok)
    g_ptr_array_unref (pv->point_tok);
  if (pv->weight_tok)
    g_ptr_array_unref (pv->weight_tok);
  g_free (pv->unit);
}

static char *
strip_dup (const char *s, gsize len)
{
  char *t = g_strndup (s, len);
  return g_strstrip (t);
}

/* A number inside a distribution's parentheses; a unit there gets its own hint. */
static gboolean
parse_param (const Parsed *pv, const char *token, double *out, GError **error)
{
  gsize len = scan_number (token);

  if (len > 0 && token[len] != '\0' && token[len] != ',' && !is_nonfinite_word (token))
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                   _ ("%s: \"%s\" is not a number: write the unit once, after the \")\""), pv->echo,
                   token);
      return FALSE;
    }
  if (!parse_number_token (token, out, NULL))
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                   _ ("%s: \"%s\" is not a number"), pv->echo, token);
      return FALSE;
    }
  return TRUE;
}

/* Reads "NAME(ARGS)" from the start of @s into @pv; *@rest is set past the ")". */
static gboolean
parse_distribution (Parsed *pv, const char *s, const char **rest, GError **error)
{
  const char *open = strchr (s, '(');
  const char *close;
  g_autofree char *name = strip_dup (s, (gsize)(open - s));
  g_autofree char *inside = NULL;
  g_auto (GStrv) items = NULL;
  guint n_items;
  guint wanted = 0;
  const char *params = NULL;

  pv->kind = MOA_DIST_FIXED;
  for (guint k = MOA_DIST_UNIFORM; k <= MOA_DIST_DISCRETE; k++)
    if (strcmp (name, dist_names[k]) == 0)
      pv->kind = (MoaDistKind)k;
  if (pv->kind == MOA_DIST_FIXED)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                   _ ("unknown distribution \"%s\": expected uniform, triangular, pert, normal, "
                      "lognormal or discrete"),
                   name);
      return FALSE;
    }
  close = strchr (open, ')');
  if (close == NULL)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                   _ ("\"%s\": missing \")\""), s);
      return FALSE;
    }
  pv->echo = g_strndup (s, (gsize)(close + 1 - s));
  *rest = close + 1;
  inside = strip_dup (open + 1, (gsize)(close - open - 1));
  items = g_strsplit (inside, ",", -1);
  /* g_strsplit() gives no item at all for "", one empty item for " ". */
  n_items = g_strv_length (items);
  for (guint i = 0; i < n_items; i++)
    g_strstrip (items[i]);
  if (n_items == 1 && items[0][0] == '\0')
    n_items = 0;

  switch (pv->kind)
    {
      case MOA_DIST_UNIFORM:
        wanted = 2;
        params = _ ("min, max");
        break;
      case MOA_DIST_TRIANGULAR:
      case MOA_DIST_PERT:
        wanted = 3;
        params = _ ("min, mode, max");
        break;
      case MOA_DIST_NORMAL:
      case MOA_DIST_LOGNORMAL:
        wanted = 2;
        params = _ ("mean, standard deviation");
        break;
      case MOA_DIST_DISCRETE:
      case MOA_DIST_FIXED:
      default:
        break;
    }

  if (pv->kind != MOA_DIST_DISCRETE)
    {
      if (n_items != wanted)
        {
          g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                       _ ("%s: %s takes %u parameters (%s), not %u"), pv->echo, name, wanted,
                       params, n_items);
          return FALSE;
        }
      for (guint i = 0; i < wanted; i++)
        {
          pv->tok[i] = g_strdup (items[i]);
          if (!parse_param (pv, items[i], &pv->a[i], error))
            return FALSE;
        }
      pv->n = wanted;
      return TRUE;
    }

  pv->points = g_array_new (FALSE, FALSE, sizeof (double));
  pv->weights = g_array_new (FALSE, FALSE, sizeof (double));
  pv->point_tok = g_ptr_array_new_with_free_func (g_free);
  pv->weight_tok = g_ptr_array_new_with_free_func (g_free);
  if (n_items == 0)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                   _ ("%s: expected at least one \"value: weight\" pair"), pv->echo);
      return FALSE;
    }
  for (guint i = 0; i < n_items; i++)
    {
      const char *colon = strchr (items[i], ':');
      char *vt, *wt;
      double v, w;

      if (colon == NULL || strchr (colon + 1, ':') != NULL)
        {
          g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                       _ ("%s: \"%s\" is not a \"value: weight\" pair"), pv->echo, items[i]);
          return FALSE;
        }
      vt = strip_dup (items[i], (gsize)(colon - items[i]));
      wt = strip_dup (colon + 1, strlen (colon + 1));
      g_ptr_array_add (pv->point_tok, vt);
      g_ptr_array_add (pv->weight_tok, wt);
      if (!parse_param (pv, vt, &v, error) || !parse_param (pv, wt, &w, error))
        return FALSE;
      g_array_append_val (pv->points, v);
      g_array_append_val (pv->weights, w);
    }
  return TRUE;
}

/* Resolves the unit written in @unit_text (trimmed, possibly empty) for @pv->dim. */
static gboolean
resolve_unit (Parsed *pv, const char *text, const char *full, const char *unit_text, GError **error)
{
  const UnitDef *def;

  if (*unit_text == '\0')
    {
      switch (pv->dim)
        {
          case MOA_DIM_TIME:
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_UNIT,
                         _ ("\"%s\" has no unit: write it as \"%s min\" or \"%s h\""), text, text,
                         text);
            return FALSE;
          case MOA_DIM_MONEY:
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_UNIT,
                         _ ("\"%s\" has no unit: write it as \"%s EUR\""), text, text);
            return FALSE;
          case MOA_DIM_RATE:
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_UNIT,
                         _ ("\"%s\" has no unit: write it as \"%s EUR/h\" or \"%s EUR/day\""), text,
                         text, text);
            return FALSE;
          case MOA_DIM_FRACTION:
          case MOA_DIM_COUNT:
          default:
            return TRUE;
        }
    }

  def = find_unit (unit_text);
  if (def != NULL && def->dim == pv->dim)
    {
      pv->unit = g_strdup (unit_text);
      pv->def = def;
      return TRUE;
    }
  if (pv->dim == MOA_DIM_COUNT)
    g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_UNIT,
                 _ ("\"%s\": a count has no unit: write the number alone, without \"%s\""), full,
                 unit_text);
  else if (def != NULL)
    g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_UNIT,
                 _ ("\"%s\": %s is a unit of %s, but a %s is expected: use %s"), full, unit_text,
                 dimension_label (def->dim), dimension_label (pv->dim), expected_units (pv->dim));
  else
    g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_UNIT,
                 _ ("unknown unit \"%s\": expected %s"), unit_text, expected_units (pv->dim));
  return FALSE;
}

/* Upper bound of the valid range in the written unit (+inf when unbounded). */
static double
upper_bound (const Parsed *pv)
{
  if (pv->dim != MOA_DIM_FRACTION)
    return INFINITY;
  return pv->def != NULL ? pv->def->div / pv->def->mul : 1.0;
}

/* Checks that a possible value @x (written unit) lies in the dimension's range; @what names it
 * ("the minimum", ...), NULL for a fixed value. */
static gboolean
check_point (const Parsed *pv, const char *text, double x, const char *token, const char *what,
             GError **error)
{
  double hi = upper_bound (pv);
  gboolean percent = pv->dim == MOA_DIM_FRACTION && pv->def != NULL;

  if (x >= 0 && x <= hi)
    return TRUE;
  if (pv->dim != MOA_DIM_FRACTION)
    {
      if (what == NULL)
        g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_NEGATIVE,
                     _ ("\"%s\" is negative: expected 0 or more"), text);
      else
        g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_NEGATIVE,
                     _ ("%s: %s %s is negative: every possible value must be 0 or more"), pv->echo,
                     what, token);
      return FALSE;
    }
  if (what == NULL)
    g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_OUT_OF_RANGE,
                 percent ? _ ("\"%s\" is outside 0 %% … 100 %%: a fraction is between 0 and 1")
                         : _ ("\"%s\" is outside 0 … 1: a fraction is between 0 and 1"),
                 text);
  else
    g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_OUT_OF_RANGE,
                 percent ? _ ("%s %%: %s %s is outside 0 … 100: every possible value must be "
                              "between 0 %% and 100 %%")
                         : _ ("%s: %s %s is outside 0 … 1: every possible value must be between "
                              "0 and 1"),
                 pv->echo, what, token);
  return FALSE;
}

/* Standard normal density and cumulative distribution (libm's erf/erfc). */
static double
std_normal_pdf (double x)
{
  if (isinf (x))
    return 0.0;
  return exp (-0.5 * x * x) / sqrt (2.0 * G_PI);
}

/* Mean of normal(@mu, @sd) truncated to [@lo, @hi], with lo <= mu <= hi:
 * mu + sd (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha)), alpha = (lo - mu) / sd,
 * beta = (hi - mu) / sd. Since alpha <= 0 <= beta, Phi(beta) - Phi(alpha) is computed as
 * (erf(beta/√2) - erf(alpha/√2)) / 2, a sum of two terms of the same sign: no cancellation. */
static double
truncated_normal_mean (double mu, double sd, double lo, double hi)
{
  double alpha, beta, z;

  if (sd == 0.0)
    return mu;
  alpha = (lo - mu) / sd;
  beta = isinf (hi) ? INFINITY : (hi - mu) / sd;
  z = 0.5 * (erf (beta / G_SQRT2) - erf (alpha / G_SQRT2));
  if (!(z > 0.0))
    return mu;
  return mu + sd * (std_normal_pdf (alpha) - std_normal_pdf (beta)) / z;
}

/* Consistency of the parameters and their range (docs/procedure-format.md: min <= mode <= max,
 * s.d. >= 0, weights >= 0 with a positive sum, every possible value in range). */
static gboolean
check_parameters (const Parsed *pv, const char *text, GError **error)
{
  const double *a = pv->a;

  switch (pv->kind)
    {
      case MOA_DIST_FIXED:
        return check_point (pv, text, a[0], pv->tok[0], NULL, error);

      case MOA_DIST_UNIFORM:
        if (a[0] > a[1])
          {
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                         _ ("%s: the minimum %s is above the maximum %s"), pv->echo, pv->tok[0],
                         pv->tok[1]);
            return FALSE;
          }
        return check_point (pv, text, a[0], pv->tok[0], _ ("the minimum"), error)
               && check_point (pv, text, a[1], pv->tok[1], _ ("the maximum"), error);

      case MOA_DIST_TRIANGULAR:
      case MOA_DIST_PERT:
        if (a[0] > a[2])
          {
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                         _ ("%s: the minimum %s is above the maximum %s"), pv->echo, pv->tok[0],
                         pv->tok[2]);
            return FALSE;
          }
        if (a[1] < a[0])
          {
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                         _ ("%s: the mode %s is below the minimum %s"), pv->echo, pv->tok[1],
                         pv->tok[0]);
            return FALSE;
          }
        if (a[1] > a[2])
          {
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                         _ ("%s: the mode %s is above the maximum %s"), pv->echo, pv->tok[1],
                         pv->tok[2]);
            return FALSE;
          }
        return check_point (pv, text, a[0], pv->tok[0], _ ("the minimum"), error)
               && check_point (pv, text, a[2], pv->tok[2], _ ("the maximum"), error);

      case MOA_DIST_NORMAL:
      case MOA_DIST_LOGNORMAL:
        if (a[1] < 0)
          {
            g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                         _ ("%s: the standard deviation %s is negative"), pv->echo, pv->tok[1]);
            return FALSE;
          }
        if (!check_point (pv, text, a[0], pv->tok[0], _ ("the mean"), error))
          return FALSE;
        if (pv->kind == MOA_DIST_LOGNORMAL && a[1] > 0)
          {
            /* A lognormal's support is (0, +inf): its mean must be positive, and it cannot be
             * confined to [0, 1]. */
            if (pv->dim == MOA_DIM_FRACTION)
              {
                g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                             _ ("%s: a lognormal has no upper bound, so it cannot be a fraction: "
                                "use uniform, triangular, pert or normal"),
                             pv->echo);
                return FALSE;
              }
            if (a[0] == 0)
              {
                g_set_error (
                    error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                    _ ("%s: the mean must be above 0 when the standard deviation is not 0"),
                    pv->echo);
                return FALSE;
              }
          }
        return TRUE;

      case MOA_DIST_DISCRETE:
        {
          double sum = 0;

          for (guint i = 0; i < pv->points->len; i++)
            {
              double w = g_array_index (pv->weights, double, i);
              if (w < 0)
                {
                  g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                               _ ("%s: the weight %s is negative"), pv->echo,
                               (const char *)g_ptr_array_index (pv->weight_tok, i));
                  return FALSE;
                }
              sum += w;
            }
          if (!(sum > 0) || !isfinite (sum))
            {
              g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                           sum > 0 ? _ ("%s: the weights are too large")
                                   : _ ("%s: the weights sum to 0: at least one must be positive"),
                           pv->echo);
              return FALSE;
            }
          for (guint i = 0; i < pv->points->len; i++)
            if (!check_point (pv, text, g_array_index (pv->points, double, i),
                              g_ptr_array_index (pv->point_tok, i), _ ("the value"), error))
              return FALSE;
          return TRUE;
        }

      default:
        g_assert_not_reached ();
    }
}

/* Expected value in the written unit (truncation applied). */
static double
value_mean_written (const MoaValue *v)
{
  const double *p = v->p;

  switch (v->kind)
    {
      case MOA_DIST_FIXED:
        return p[0];
      case MOA_DIST_UNIFORM:
        return (p[0] + p[1]) / 2;
      case MOA_DIST_TRIANGULAR:
        return (p[0] + p[1] + p[2]) / 3;
      case MOA_DIST_PERT:
        return (p[0] + 4 * p[1] + p[2]) / 6;
      case MOA_DIST_NORMAL:
        {
          const UnitDef *def = v->unit != NULL ? find_unit (v->unit) : NULL;
          double hi = INFINITY;
          if (v->dim == MOA_DIM_FRACTION)
            hi = def != NULL ? def->div / def->mul : 1.0;
          return truncated_normal_mean (p[0], p[1], 0.0, hi);
        }
      case MOA_DIST_LOGNORMAL:
        return p[0];
      case MOA_DIST_DISCRETE:
        {
          double s = 0, sw = 0;
          for (guint i = 0; i < v->n_points; i++)
            {
              s += v->points[i] * v->weights[i];
              sw += v->weights[i];
            }
          return s / sw;
        }
      default:
        g_assert_not_reached ();
    }
}

/* Converts @x from the written unit of @v to the base unit; mul and div are applied apart
 * because 1/60 and 1/3600 are not exact. */
static double
to_base (const UnitDef *def, double x)
{
  if (def == NULL)
    return x;
  return x * def->mul / def->div;
}

static MoaValue *
value_alloc (MoaDimension dim, MoaDistKind kind)
{
  MoaValue *v = g_new0 (MoaValue, 1);
  g_atomic_ref_count_init (&v->ref);
  v->dim = dim;
  v->kind = kind;
  v->scale = 1.0;
  return v;
}

/* Parses @text as a value of dimension @dim (see moa-value.h for the grammar). Returns a new
 * value (reference 1) or NULL with @error set in MOA_PARSE_ERROR. Independent of the locale. */
MoaValue *
moa_value_parse (const char *text, MoaDimension dim, GError **error)
{
  Parsed pv = { 0 };
  g_autofree char *trimmed = NULL;
  g_autofree char *unit_text = NULL;
  const char *rest;
  MoaValue *v;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (dim <= MOA_DIM_COUNT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pv.dim = dim;
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                   base_unit (dim) != NULL
                       ? _ ("the value is empty: expected a number and its unit (%s)")
                       : _ ("the value is empty: expected a number"),
                   expected_units (dim));
      return NULL;
    }

  if (g_ascii_isalpha (trimmed[0]) && strchr (trimmed, '(') != NULL)
    {
      if (!parse_distribution (&pv, trimmed, &rest, error))
        goto fail;
    }
  else
    {
      gsize len = scan_number (trimmed);
      g_autofree char *token = NULL;

      if (len == 0)
        {
          g_autofree char *first = g_strdup (trimmed);
          char *space = strpbrk (first, " \t\r\n");
          if (space != NULL)
            *space = '\0';
          parse_number_token (first, &pv.a[0], error);
          goto fail;
        }
      if (trimmed[len] == ',' && g_ascii_isdigit (trimmed[len + 1]))
        {
          g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                       _ ("\"%s\" is not a number: the decimal separator is \".\""), trimmed);
          goto fail;
        }
      token = g_strndup (trimmed, len);
      if (!parse_number_token (token, &pv.a[0], error))
        goto fail;
      pv.kind = MOA_DIST_FIXED;
      pv.n = 1;
      pv.tok[0] = g_steal_pointer (&token);
      pv.echo = g_strdup (pv.tok[0]);
      rest = trimmed + len;
    }

  unit_text = g_strstrip (g_strdup (rest));
  if (!resolve_unit (&pv, pv.echo, trimmed, unit_text, error))
    goto fail;
  if (!check_parameters (&pv, trimmed, error))
    goto fail;

  v = value_alloc (dim, pv.kind);
  for (guint i = 0; i < pv.n; i++)
    v->p[i] = pv.a[i];
  if (pv.kind == MOA_DIST_DISCRETE)
    {
      double sum = 0;

      v->n_points = pv.points->len;
      v->points = g_new (double, v->n_points);
      v->weights = g_new (double, v->n_points);
      for (guint i = 0; i < v->n_points; i++)
        sum += g_array_index (pv.weights, double, i);
      for (guint i = 0; i < v->n_points; i++)
        {
          double w = g_array_index (pv.weights, double, i);
          v->points[i] = g_array_index (pv.points, double, i);
          /* Weights that already sum to 1 (up to rounding) are kept as written, so that the
           * text written back reads back to the same weights. */
          v->weights[i] = fabs (sum - 1.0) <= 1e-12 ? w : w / sum;
        }
    }
  v->unit = g_steal_pointer (&pv.unit);
  v->scale = pv.def != NULL ? pv.def->mul / pv.def->div : 1.0;
  v->mean = to_base (pv.def, value_mean_written (v));
  parsed_clear (&pv);
  /* "1e308 day" is finite as written but not in hours */
  if (!isfinite (v->mean))
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_BAD_NUMBER,
                   _ ("\"%s\" is too large: converted to the base unit it is not a finite "
                      "number"),
                   text);
      moa_value_unref (v);
      return NULL;
    }
  return v;

fail:
  parsed_clear (&pv);
  return NULL;
}

/* Returns a new fixed value (reference 1) equal to @x in the base unit of @dim, written in
 * @unit (NULL: the base unit for time, money and rate, none for fraction and count). Returns
 * NULL for a unit that @dim does not accept. */
MoaValue *
moa_value_new_fixed (MoaDimension dim, double x, const char *unit)
{
  const UnitDef *def = NULL;
  MoaValue *v;

  g_return_val_if_fail (dim <= MOA_DIM_COUNT, NULL);
  g_return_val_if_fail (isfinite (x), NULL);

  if (unit != NULL)
    {
      def = find_unit (unit);
      g_return_val_if_fail (def != NULL && def->dim == dim, NULL);
    }
  else
    def = base_unit (dim);

  v = value_alloc (dim, MOA_DIST_FIXED);
  if (def != NULL)
    {
      v->unit = g_strdup (def->name);
      v->scale = def->mul / def->div;
      v->p[0] = x * def->div / def->mul;
    }
  else
    v->p[0] = x;
  v->mean = x;
  return v;
}

/* Takes a reference on @value and returns it. */
MoaValue *
moa_value_ref (MoaValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_atomic_ref_count_inc (&value->ref);
  return value;
}

/* Drops a reference; frees the value with the last one. NULL-safe. */
void
moa_value_unref (MoaValue *value)
{
  if (value == NULL)
    return;
  if (g_atomic_ref_count_dec (&value->ref))
    {
      g_free (value->points);
      g_free (value->weights);
      g_free (value->unit);
      g_free (value);
    }
}

/* Returns the expected value of @value in its base unit, or @fallback when @value is NULL. */
double
moa_value_mean_or (const MoaValue *value, double fallback)
{
  return value != NULL ? value->mean : fallback;
}

/* Returns the text of @value in the format (newly allocated): moa_value_parse() of it gives a
 * value for which moa_value_equal() is TRUE. */
char *
moa_value_to_string (const MoaValue *value)
{
  GString *s;

  g_return_val_if_fail (value != NULL, NULL);

  s = g_string_new (NULL);
  if (value->kind == MOA_DIST_FIXED)
    {
      g_autofree char *x = format_double (value->p[0]);
      g_string_append (s, x);
    }
  else
    {
      g_string_append_printf (s, "%s(", dist_names[value->kind]);
      if (value->kind == MOA_DIST_DISCRETE)
        {
          for (guint i = 0; i < value->n_points; i++)
            {
              g_autofree char *x = format_double (value->points[i]);
              g_autofree char *w = format_double (value->weights[i]);
              g_string_append_printf (s, "%s%s: %s", i > 0 ? ", " : "", x, w);
            }
        }
      else
        {
          guint n = value->kind == MOA_DIST_TRIANGULAR || value->kind == MOA_DIST_PERT ? 3 : 2;
          for (guint i = 0; i < n; i++)
            {
              g_autofree char *x = format_double (value->p[i]);
              g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", x);
            }
        }
      g_string_append_c (s, ')');
    }
  if (value->unit != NULL)
    g_string_append_printf (s, " %s", value->unit);
  return g_string_free (s, FALSE);
}

/* TRUE when @a and @b have the same dimension, kind, unit and parameters (compared exactly);
 * two NULLs are equal. */
gboolean
moa_value_equal (const MoaValue *a, const MoaValue *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (a->dim != b->dim || a->kind != b->kind || g_strcmp0 (a->unit, b->unit) != 0)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (a->p[i] != b->p[i])
      return FALSE;
  if (a->n_points != b->n_points)
    return FALSE;
  for (guint i = 0; i < a->n_points; i++)
    if (a->points[i] != b->points[i] || a->weights[i] != b->weights[i])
      return FALSE;
  return TRUE;
}

/* The range of @value in base units (see moa-value.h). */
void
moa_value_support (const MoaValue *value, double *low, double *high)
{
  g_return_if_fail (value != NULL && low != NULL && high != NULL);

  double upper = value->dim == MOA_DIM_FRACTION ? 1.0 : INFINITY;
  switch (value->kind)
    {
      case MOA_DIST_FIXED:
        *low = *high = value->p[0] * value->scale;
        return;
      case MOA_DIST_UNIFORM:
        *low = value->p[0] * value->scale;
        *high = value->p[1] * value->scale;
        return;
      case MOA_DIST_TRIANGULAR:
      case MOA_DIST_PERT:
        *low = value->p[0] * value->scale;
        *high = value->p[2] * value->scale;
        return;
      case MOA_DIST_NORMAL:
        *low = 0.0;
        *high = upper;
        if (value->p[1] == 0.0)
          *low = *high = CLAMP (value->p[0] * value->scale, 0.0, upper);
        return;
      case MOA_DIST_LOGNORMAL:
        *low = 0.0;
        *high = upper;
        if (value->p[1] == 0.0)
          *low = *high = value->p[0] * value->scale;
        return;
      case MOA_DIST_DISCRETE:
        *low = INFINITY;
        *high = -INFINITY;
        for (guint i = 0; i < value->n_points; i++)
          if (value->weights[i] > 0.0)
            {
              *low = MIN (*low, value->points[i] * value->scale);
              *high = MAX (*high, value->points[i] * value->scale);
            }
        return;
    }
  g_assert_not_reached ();
}

/* TRUE when @value is a distribution (Monte Carlo samples it), FALSE when fixed or NULL. */
gboolean
moa_value_is_uncertain (const MoaValue *value)
{
  return value != NULL && value->kind != MOA_DIST_FIXED;
}
