/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The procedures the sidebar offers: the bundled library and the recently used files, as a
 * list model of items. No widgets. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MOA_TYPE_LIBRARY_ITEM (moa_library_item_get_type ())
G_DECLARE_FINAL_TYPE (MoaLibraryItem, moa_library_item, MOA, LIBRARY_ITEM, GObject)

/* The item's title (the procedure's, in the user's language, or the file name when the file
 * cannot be read), a subtitle (area and file name), its file and whether it is a recent file
 * rather than a bundled procedure. Borrowed. */
const char *
moa_library_item_get_title (MoaLibraryItem *self);
const char *
moa_library_item_get_subtitle (MoaLibraryItem *self);
GFile *
moa_library_item_get_file (MoaLibraryItem *self);
gboolean
moa_library_item_get_recent (MoaLibraryItem *self);

/* TRUE when @self's title, subtitle or file name contains every word of @search, ignoring
 * case and accents (an empty search matches everything). */
gboolean
moa_library_item_matches (MoaLibraryItem *self, const char *search);

/* The directory of the bundled procedures: $MOA_PROCEDURES_DIR when set, else the source
 * tree's procedures/ when running from a build tree, else $datadir/moa/procedures. Returns a
 * new string. */
char *
moa_library_default_dir (void) G_GNUC_WARN_UNUSED_RESULT;

/* Returns a new list of MoaLibraryItem: the recent files @recent (paths, most recent first,
 * those that no longer exist left out; may be NULL), then every *.xml of @dir sorted by
 * title. A file that does not load as a procedure is listed under its file name. */
GListModel *
moa_library_list (const char *dir, const char *const *recent) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
