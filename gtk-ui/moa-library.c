/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sidebar's procedures: bundled ones read from the library directory, and recent files. */
#define G_LOG_DOMAIN "moa-ui"

#include "moa-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa.h"

#include "moa-library.h"
#include "moa-ui-format.h"

struct _MoaLibraryItem
{
  GObject parent_instance;

  char *title;
  char *subtitle;
  GFile *file;
  gboolean recent;
  char *haystack; /* folded title, subtitle and file name, for the search */
};

G_DEFINE_FINAL_TYPE (MoaLibraryItem, moa_library_item, G_TYPE_OBJECT)

static void
moa_library_item_finalize (GObject *object)
{
  MoaLibraryItem *self = MOA_LIBRARY_ITEM (object);

  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->haystack);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (moa_library_item_parent_class)->finalize (object);
}

static void
moa_library_item_class_init (MoaLibraryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = moa_library_item_finalize;
}

static void
moa_library_item_init (MoaLibraryItem *self)
{
}

/* Lower case without accents, so that "attivita" finds "attività". */
static char *
fold (const char *text)
{
  g_autofree char *down = g_utf8_strdown (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (down, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_ismark (c))
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static MoaLibraryItem *
item_new (const char *path, gboolean recent)
{
  MoaLibraryItem *self = g_object_new (MOA_TYPE_LIBRARY_ITEM, NULL);
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, NULL);

  self->file = g_file_new_for_path (path);
  self->recent = recent;
  if (procedure != NULL)
    {
      self->title = g_strdup (moa_title_get (&procedure->title, moa_ui_get_lang (), procedure->id));
      self->subtitle = procedure->area != NULL
                           ? g_strdup_printf ("%s · %s", procedure->area, basename)
                           : g_strdup (basename);
    }
  else
    {
      self->title = g_strdup (basename);
      /* TRANSLATORS: subtitle of a library file that does not load as a procedure */
      self->subtitle = g_strdup (_ ("Not a valid procedure"));
    }
  g_autofree char *all = g_strjoin (" ", self->title, self->subtitle, basename, NULL);
  self->haystack = fold (all);
  return self;
}

const char *
moa_library_item_get_title (MoaLibraryItem *self)
{
  g_return_val_if_fail (MOA_IS_LIBRARY_ITEM (self), NULL);
  return self->title;
}

const char *
moa_library_item_get_subtitle (MoaLibraryItem *self)
{
  g_return_val_if_fail (MOA_IS_LIBRARY_ITEM (self), NULL);
  return self->subtitle;
}

GFile *
moa_library_item_get_file (MoaLibraryItem *self)
{
  g_return_val_if_fail (MOA_IS_LIBRARY_ITEM (self), NULL);
  return self->file;
}

gboolean
moa_library_item_get_recent (MoaLibraryItem *self)
{
  g_return_val_if_fail (MOA_IS_LIBRARY_ITEM (self), FALSE);
  return self->recent;
}

gboolean
moa_library_item_matches (MoaLibraryItem *self, const char *search)
{
  g_return_val_if_fail (MOA_IS_LIBRARY_ITEM (self), FALSE);

  if (search == NULL)
    return TRUE;
  g_autofree char *needle = fold (search);
  g_auto (GStrv) words = g_strsplit_set (needle, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (self->haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

char *
moa_library_default_dir (void)
{
  const char *env = g_getenv ("MOA_PROCEDURES_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  /* As moa_default_models_dir(): a program run from its build tree finds the source tree. */
  g_autofree char *source = g_build_filename (MOA_SOURCE_DIR, "procedures", NULL);
  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&source);
  return g_build_filename (MOA_DATADIR, "procedures", NULL);
}

static int
compare_titles (gconstpointer a, gconstpointer b)
{
  MoaLibraryItem *x = *(MoaLibraryItem **)a, *y = *(MoaLibraryItem **)b;
  return g_utf8_collate (x->title, y->title);
}

GListModel *
moa_library_list (const char *dir, const char *const *recent)
{
  g_return_val_if_fail (dir != NULL, NULL);

  GListStore *store = g_list_store_new (MOA_TYPE_LIBRARY_ITEM);
  for (guint i = 0; recent != NULL && recent[i] != NULL; i++)
    if (g_file_test (recent[i], G_FILE_TEST_IS_REGULAR))
      {
        g_autoptr (MoaLibraryItem) item = item_new (recent[i], TRUE);
        g_list_store_append (store, item);
      }

  g_autoptr (GPtrArray) bundled = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
          g_ptr_array_add (bundled, item_new (path, FALSE));
      }
  g_ptr_array_sort (bundled, compare_titles);
  for (guint i = 0; i < bundled->len; i++)
    g_list_store_append (store, g_ptr_array_index (bundled, i));
  return G_LIST_MODEL (store);
}
