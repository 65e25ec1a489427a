/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The language of one output, chosen per call (--lang) rather than by the process locale: the
 * thread-local switch of LC_MESSAGES, the label lookup, and numbers written per language or per
 * locale; shared by the output formats (moa-format.c) and the report (moa-report*.c). */
#pragma once

#include <locale.h>

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the first language gettext would use for this process is Italian. */
gboolean
moa_lang_messages_are_italian (void);

/* @lang when it is "it" or "en"; otherwise (NULL or anything else) "it" when the messages are
 * Italian, else "en". Returns a static string. */
const char *
moa_lang_resolve (const char *lang);

/* The label @msgid (marked with N_()) in the language of the output: the msgid itself when
 * @english, else its translation in moa's catalog under the current thread's LC_MESSAGES
 * (dgettext, not g_dgettext: GLib decides once per process whether to translate, which would
 * defeat moa_lang_enter()). */
const char *
moa_lang_gettext (gboolean english, const char *msgid);

/* A per-thread switch of LC_MESSAGES to Italian (uselocale), so that an output in Italian can
 * be written under an English locale, and in a thread-safe way. */
typedef struct
{
  locale_t italian;
  locale_t previous;
} MoaLangSwitch;

/* Switches this thread's LC_MESSAGES to it_IT.UTF-8 when @lang is "it" and the process's
 * messages are in another language; does nothing otherwise, or when no Italian locale is
 * installed (the labels then stay English). Undo with moa_lang_leave(). */
void
moa_lang_enter (const char *lang, MoaLangSwitch *sw);

/* Undoes moa_lang_enter(). */
void
moa_lang_leave (MoaLangSwitch *sw);

/* Writes @x into @buf (at least G_ASCII_DTOSTR_BUF_SIZE bytes) with the shortest "%.Ng" that
 * reads back (g_ascii_strtod) to the same double, '.' as decimal point; integers below 2^53
 * without exponent ("1000", not "1e+03"); 0 for -0. @x must be finite. Returns @buf. */
const char *
moa_lang_format_shortest (char *buf, gsize len, double x);

/* The index of @word in @words (NULL-terminated), compared ignoring ASCII case; -1 when @word
 * is NULL or not among them. For the names of output formats and the like. */
int
moa_lang_word_index (const char *word, const char *const *words);

/* Appends @s (NULL: nothing) to @out as one CSV field (RFC 4180): as it is, or between double
 * quotes with each '"' doubled when it holds a comma, a double quote, CR or LF. */
void
moa_lang_csv_text (GString *out, const char *s);

/* Appends @x to @out as one CSV field in full precision (moa_lang_format_shortest(), '.' as
 * decimal point whatever the locale); a non-finite @x (NAN, infinities) leaves the field
 * empty. */
void
moa_lang_csv_number (GString *out, double x);

/* The decimal point, thousands separator and grouping (as in struct lconv) of the current
 * LC_NUMERIC locale when @localized, else ".", "," and groups of 3. A locale without thousands
 * separator (C, POSIX) still gets one so that big figures stay readable: "," or, where "," is
 * the decimal point, ".". The strings belong to the C library or are static. */
void
moa_lang_locale_separators (gboolean localized, const char **decimal_point,
                            const char **thousands_sep, const char **grouping);

/* Formats @x rounded half away from zero to @decimals decimals (0..17) with @decimal_point,
 * @thousands_sep and @grouping (struct lconv's convention: each byte a group size, the last
 * repeats, CHAR_MAX stops). A value that rounds to zero has no sign; non-finite values give
 * "nan", "inf" or "-inf". Returns a new string. */
char *
moa_lang_format_number_with (double x, int decimals, const char *decimal_point,
                             const char *thousands_sep,
                             const char *grouping) G_GNUC_WARN_UNUSED_RESULT;

/* Formats @x with @decimals decimals in the conventions of language @lang whatever the
 * process locale: "it" 1.234.567,89; "en" (or anything else) 1,234,567.89. Returns a new
 * string. */
char *
moa_lang_format_number (double x, int decimals, const char *lang) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
