/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The language of one output chosen per call: LC_MESSAGES switched per thread, labels looked
 * up in moa's catalog, numbers written per language or per locale. */
#define G_LOG_DOMAIN "moa"

#include "moa-config.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-lang.h"

/* moa_lang_messages_are_italian:
 * TRUE when the first language of g_get_language_names() is Italian ("it", "it_IT",
 * "it.UTF-8", "it@..."). */
gboolean
moa_lang_messages_are_italian (void)
{
  const char *const *names = g_get_language_names ();
  const char *first = names[0];
  return first && first[0] == 'i' && first[1] == 't' && strchr ("_.@", first[2]) != NULL;
}

/* moa_lang_resolve:
 * Returns @lang when it is "it" or "en", else the language of the messages ("it" or "en"). */
const char *
moa_lang_resolve (const char *lang)
{
  if (lang && strcmp (lang, "it") == 0)
    return "it";
  if (lang && strcmp (lang, "en") == 0)
    return "en";
  return moa_lang_messages_are_italian () ? "it" : "en";
}

/* moa_lang_gettext:
 * Returns @msgid when @english, else its translation in moa's catalog (@msgid when it has
 * none). */
const char *
moa_lang_gettext (gboolean english, const char *msgid)
{
  g_return_val_if_fail (msgid != NULL, NULL);
  return english ? msgid : dgettext (GETTEXT_PACKAGE, msgid);
}

/* moa_lang_enter:
 * Switches this thread's LC_MESSAGES to Italian when @lang is "it" and the messages are not
 * already Italian; @sw records what to restore. */
void
moa_lang_enter (const char *lang, MoaLangSwitch *sw)
{
  g_return_if_fail (sw != NULL);
  sw->italian = sw->previous = (locale_t)0;
  if (lang == NULL || strcmp (lang, "it") != 0 || moa_lang_messages_are_italian ())
    return;
  locale_t base = duplocale (uselocale ((locale_t)0));
  if (base == (locale_t)0)
    return;
  sw->italian = newlocale (LC_MESSAGES_MASK, "it_IT.UTF-8", base);
  if (sw->italian == (locale_t)0)
    freelocale (base);
  else
    sw->previous = uselocale (sw->italian);
}

/* moa_lang_leave:
 * Restores the thread's locale saved by moa_lang_enter() (nothing when it switched nothing). */
void
moa_lang_leave (MoaLangSwitch *sw)
{
  g_return_if_fail (sw != NULL);
  if (sw->italian == (locale_t)0)
    return;
  uselocale (sw->previous);
  freelocale (sw->italian);
  sw->italian = (locale_t)0;
}

/* moa_lang_format_shortest:
 * The shortest round-trip representation of @x in @buf (see moa-lang.h). */
const char *
moa_lang_format_shortest (char *buf, gsize len, double x)
{
  g_assert (isfinite (x));
  if (x == 0)
    return strcpy (buf, "0"); /* also for -0 */
  if (fabs (x) < 9007199254740992.0 && x == floor (x))
    return g_ascii_formatd (buf, len, "%.0f", x);
  for (int precision = 1; precision <= 17; precision++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
      g_ascii_formatd (buf, len, fmt, x);
      if (g_ascii_strtod (buf, NULL) == x)
        break;
    }
  return buf;
}

/* moa_lang_word_index:
 * Where @word stands in @words, ignoring case; -1 when nowhere. */
int
moa_lang_word_index (const char *word, const char *const *words)
{
  g_return_val_if_fail (words != NULL, -1);

  if (word == NULL)
    return -1;
  for (int i = 0; words[i] != NULL; i++)
    if (g_ascii_strcasecmp (word, words[i]) == 0)
      return i;
  return -1;
}

/* moa_lang_csv_text:
 * One CSV text field, quoted only when it must be. */
void
moa_lang_csv_text (GString *out, const char *s)
{
  g_return_if_fail (out != NULL);

  if (s == NULL)
    return;
  if (strpbrk (s, ",\"\r\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (; *s; s++)
    {
      if (*s == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

/* moa_lang_csv_number:
 * One CSV number field in full precision, empty when @x is not finite. */
void
moa_lang_csv_number (GString *out, double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL);

  if (isfinite (x))
    g_string_append (out, moa_lang_format_shortest (buf, sizeof buf, x));
}

/* moa_lang_locale_separators:
 * The separators of the current LC_NUMERIC locale when @localized, else "." and ",". */
void
moa_lang_locale_separators (gboolean localized, const char **decimal_point,
                            const char **thousands_sep, const char **grouping)
{
  *decimal_point = ".";
  *thousands_sep = ",";
  *grouping = "\3";
  if (!localized)
    return;

  const struct lconv *lc = localeconv ();
  if (lc->decimal_point && *lc->decimal_point && g_utf8_validate (lc->decimal_point, -1, NULL))
    *decimal_point = lc->decimal_point;
  if (lc->thousands_sep && *lc->thousands_sep && g_utf8_validate (lc->thousands_sep, -1, NULL)
      && strcmp (lc->thousands_sep, *decimal_point) != 0)
    {
      *thousands_sep = lc->thousands_sep;
      if (lc->grouping && *lc->grouping)
        *grouping = lc->grouping;
    }
  else
    *thousands_sep = strcmp (*decimal_point, ",") == 0 ? "." : ",";
}

/* moa_lang_format_number_with:
 * @x rounded to @decimals decimals, grouped with the separators given. The grouping is done
 * here, so it works whatever the printf flags of the C library. */
char *
moa_lang_format_number_with (double x, int decimals, const char *decimal_point,
                             const char *thousands_sep, const char *grouping)
{
  g_return_val_if_fail (decimals >= 0 && decimals <= 17, NULL);
  g_return_val_if_fail (decimal_point && thousands_sep && grouping, NULL);

  if (isnan (x))
    return g_strdup ("nan");
  if (isinf (x))
    return g_strdup (x > 0 ? "inf" : "-inf");

  /* 309 integer digits at most, a point, 17 decimals, a sign */
  char buf[400];
  char fmt[8];
  /* Displayed amounts round half away from zero (148.125 EUR shows as 148.13), as people
   * round money; printf would round an exact binary half to even. Only for display. */
  double scale = pow (10.0, decimals);
  if (fabs (x) * scale < 4503599627370496.0) /* 2^52: x * scale is still exact enough */
    x = round (x * scale) / scale;
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, x);

  const char *digits = buf;
  gboolean negative = FALSE;
  if (*digits == '-')
    {
      negative = TRUE;
      digits++;
    }
  const char *point = strchr (digits, '.');
  gsize n_int = point ? (gsize)(point - digits) : strlen (digits);
  if (negative && strspn (digits, "0.") == strlen (digits))
    negative = FALSE; /* -0.001 shown with 2 decimals is 0.00, not -0.00 */

  /* Mark where separators go, walking from the units leftwards through the grouping sizes:
   * each byte is a group size, the last repeats, CHAR_MAX or a negative byte stops. */
  gboolean sep_before[sizeof buf] = { FALSE };
  gssize pos = (gssize)n_int;
  int size = 0;
  for (const char *g = grouping;;)
    {
      if (*g != '\0')
        {
          if (*g == CHAR_MAX || *g < 0)
            break;
          size = *g++;
        }
      if (size <= 0)
        break;
      pos -= size;
      if (pos <= 0)
        break;
      sep_before[pos] = TRUE;
    }

  GString *s = g_string_sized_new (n_int * 2 + decimals + 4);
  if (negative)
    g_string_append_c (s, '-');
  for (gsize i = 0; i < n_int; i++)
    {
      if (sep_before[i])
        g_string_append (s, thousands_sep);
      g_string_append_c (s, digits[i]);
    }
  if (point)
    {
      g_string_append (s, decimal_point);
      g_string_append (s, point + 1);
    }
  return g_string_free (s, FALSE);
}

/* moa_lang_format_number:
 * @x in the conventions of @lang: Italian 1.234.567,89, English 1,234,567.89. */
char *
moa_lang_format_number (double x, int decimals, const char *lang)
{
  g_return_val_if_fail (decimals >= 0 && decimals <= 17, NULL);
  gboolean italian = lang != NULL && strcmp (lang, "it") == 0;
  return moa_lang_format_number_with (x, decimals, italian ? "," : ".", italian ? "." : ",", "\3");
}
