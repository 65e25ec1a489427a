/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analysts' application: one per process, owning the cost models, the settings and the
 * app-wide actions (about, quit). */
#pragma once

#include <adwaita.h>

#include "moa.h"

G_BEGIN_DECLS

#define MOA_TYPE_APPLICATION (moa_application_get_type ())
G_DECLARE_FINAL_TYPE (MoaApplication, moa_application, MOA, APPLICATION, AdwApplication)

/* Returns the new application (id MOA_APP_ID), opening the files it is given. */
MoaApplication *
moa_application_new (void) G_GNUC_WARN_UNUSED_RESULT;

/* The shipped cost models (moa_default_models_dir()), loaded on first use. Returns NULL with
 * @error set when they cannot be loaded. Borrowed. */
const MoaModelSet *
moa_application_get_models (MoaApplication *self, GError **error);

/* The app's settings (schema MOA_APP_ID): installed, or compiled in the build tree when the
 * app runs from it; NULL when neither is found (nothing is then remembered). Borrowed. */
GSettings *
moa_application_get_settings (MoaApplication *self);

/* The recently opened or saved files, newest first (borrowed, NULL-terminated). */
const char *const *
moa_application_get_recent (MoaApplication *self);

/* Puts @path first in the recent files (at most ten). Emits "recent-changed". */
void
moa_application_add_recent (MoaApplication *self, const char *path);

/* Registers the app's GResource (templates, shortcuts window, CSS) once. */
void
moa_ui_ensure_resources (void);

G_END_DECLS
