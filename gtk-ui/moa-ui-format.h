/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the app writes the core's figures for people: hours, money and shares in the user's
 * locale, and the language of procedure titles. Formatting only: no figure is computed here. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "it" when the user's first language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) is Italian, else
 * "en": the language of procedure titles. Borrowed, static. */
const char *
moa_ui_get_lang (void);

/* @hours with two decimals and the locale's separators, then " h" ("1.234,50 h"). New string. */
char *
moa_ui_format_hours (double hours) G_GNUC_WARN_UNUSED_RESULT;

/* @amount in euros to the cent with the locale's separators ("€1,234.50", "1.234,50 €").
 * New string. */
char *
moa_ui_format_money (double amount) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
