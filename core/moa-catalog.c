/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Catalogs (docs/catalog-format.md): strict loading of a catalog file and of the CSV files of
 * territories it names, and the share of a procedure's figures that falls on a territory. */

#include "moa-config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "moa-catalog.h"
#include "moa-error.h"
#include "moa-xml-util.h"
#include "moa-xml.h"

/* At most this many territories (data rows) in one CSV file: Italy has about 7,900
 * municipalities, so one file can hold all of them many times over (docs/catalog-format.md). */
#define MAX_CSV_ROWS 100000

/* A plausible price year (docs/catalog-format.md). */
#define MIN_PRICE_YEAR 1950
#define MAX_PRICE_YEAR 2100

static const char *const kind_names[] = { "region", "province", "municipality", "other", NULL };

static const char *const catalog_attrs[]
    = { "format", "id", "cost-model", "price-year", "currency", "population", NULL };
static const char *const procedure_attrs[] = { "id", "file", NULL };
static const char *const scenario_attrs[] = { "file", "programme", NULL };
static const char *const territory_attrs[]
    = { "id", "name", "kind", "parent", "population", "source", NULL };
static const char *const cases_attrs[] = { "procedure", "value", NULL };
static const char *const territories_attrs[] = { "file", NULL };

struct _MoaCatalog
{
  char *file;
  char *id;
  MoaTitle title;
  char *cost_model;
  int price_year;
  char *currency;
  double population;
  char *source;
  GPtrArray *procedures;  /* MoaCatalogProcedure* */
  GPtrArray *territories; /* MoaTerritory* */
  GPtrArray *input_files; /* char*, without duplicates */
};

/* ---------------------------------------------------------------------------------------- */
/* Enumerations and freeing */

/* The word of @kind in the format (static), or NULL for a value outside the enumeration. */
const char *
moa_territory_kind_to_string (MoaTerritoryKind kind)
{
  if ((guint)kind >= G_N_ELEMENTS (kind_names) - 1)
    return NULL;
  return kind_names[kind];
}

/* Parses @s ("region", "province", "municipality", "other") into *@kind; FALSE for any other
 * text (then *@kind is untouched). */
gboolean
moa_territory_kind_from_string (const char *s, MoaTerritoryKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; s != NULL && kind_names[i] != NULL; i++)
    if (strcmp (s, kind_names[i]) == 0)
      {
        *kind = (MoaTerritoryKind)i;
        return TRUE;
      }
  return FALSE;
}

static void
catalog_scenario_free (MoaCatalogScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->file);
  g_free (scenario);
}

static void
catalog_procedure_free (MoaCatalogProcedure *procedure)
{
  if (procedure == NULL)
    return;
  g_free (procedure->id);
  g_free (procedure->file);
  g_clear_pointer (&procedure->scenarios, g_ptr_array_unref);
  g_free (procedure);
}

static void
territory_free (MoaTerritory *territory)
{
  if (territory == NULL)
    return;
  g_free (territory->id);
  g_free (territory->name);
  g_free (territory->parent);
  g_clear_pointer (&territory->cases, g_hash_table_unref);
  g_free (territory->source);
  g_free (territory->file);
  g_free (territory);
}

static MoaTerritory *
territory_new (const char *file, int line)
{
  MoaTerritory *territory = g_new0 (MoaTerritory, 1);

  territory->population = NAN;
  territory->cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  territory->file = g_strdup (file);
  territory->line = line;
  return territory;
}

static void
territory_set_cases (MoaTerritory *territory, const char *procedure_id, double cases)
{
  double *value = g_new (double, 1);

  *value = cases;
  g_hash_table_replace (territory->cases, g_strdup (procedure_id), value);
}

/* Frees @catalog and everything it holds. NULL-safe. */
void
moa_catalog_free (MoaCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_free (catalog->file);
  g_free (catalog->id);
  moa_title_clear (&catalog->title);
  g_free (catalog->cost_model);
  g_free (catalog->currency);
  g_free (catalog->source);
  g_clear_pointer (&catalog->procedures, g_ptr_array_unref);
  g_clear_pointer (&catalog->territories, g_ptr_array_unref);
  g_clear_pointer (&catalog->input_files, g_ptr_array_unref);
  g_free (catalog);
}

/* ---------------------------------------------------------------------------------------- */
/* Small helpers */

/* @path with "." and "DIR/.." components taken out, lexically (newly allocated): the
 * catalog's "../../procedures/aua.xml" seen from "catalogs/lombardia" becomes
 * "procedures/aua.xml". A relative path stays relative. */
static char *
normalize_path (const char *path)
{
  gboolean absolute = g_path_is_absolute (path);
  g_auto (GStrv) parts = g_strsplit (path, G_DIR_SEPARATOR_S, -1);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];

      if (*part == '\0' || strcmp (part, ".") == 0)
        continue;
      if (strcmp (part, "..") == 0)
        {
          if (stack->len > 0 && strcmp (g_ptr_array_index (stack, stack->len - 1), "..") != 0)
            g_ptr_array_remove_index (stack, stack->len - 1);
          else if (!absolute)
            g_ptr_array_add (stack, (gpointer)part);
          continue;
        }
      g_ptr_array_add (stack, (gpointer)part);
    }
  if (absolute)
    g_string_append (out, G_DIR_SEPARATOR_S);
  for (guint i = 0; i < stack->len; i++)
    {
      if (i > 0)
        g_string_append (out, G_DIR_SEPARATOR_S);
      g_string_append (out, g_ptr_array_index (stack, i));
    }
  if (out->len == 0)
    g_string_append (out, ".");
  return g_string_free (out, FALSE);
}

/* The file @name written in the catalog whose folder is @dir: relative to that folder. */
static char *
resolve_path (const char *dir, const char *name)
{
  g_autofree char *joined = NULL;

  if (g_path_is_absolute (name) || strcmp (dir, ".") == 0)
    return normalize_path (name);
  joined = g_build_filename (dir, name, NULL);
  return normalize_path (joined);
}

/* Checks the text of a number. @whole: a whole number (residents); @positive: above 0 (else
 * 0 is allowed). Returns NULL and sets *@out when it is fine, else a new message (translated,
 * quoting @text) and sets *@code. */
static char *
check_number (const char *text, gboolean whole, gboolean positive, double *out, int *code)
{
  const char *p = text;
  gboolean digits = FALSE;
  char *end = NULL;
  double x;

  /* [+-]? digits [. digits] [(e|E) [+-]? digits]: no hex, inf or nan as strtod would take */
  if (*p == '+' || *p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (digits && (*p == 'e' || *p == 'E'))
    {
      gboolean exponent = FALSE;

      p++;
      if (*p == '+' || *p == '-')
        p++;
      for (; g_ascii_isdigit (*p); p++)
        exponent = TRUE;
      digits = exponent;
    }
  if (!digits || *p != '\0')
    {
      *code = MOA_PARSE_ERROR_BAD_NUMBER;
      return g_strdup_printf (_ ("\"%s\" is not a number (expected digits, with \".\" as the "
                                 "decimal point and no thousands separator, e.g. \"1250\")"),
                              text);
    }
  x = g_ascii_strtod (text, &end);
  if (!isfinite (x))
    {
      *code = MOA_PARSE_ERROR_BAD_NUMBER;
      return g_strdup_printf (_ ("\"%s\" is not a finite number"), text);
    }
  if (x < 0.0)
    {
      *code = MOA_PARSE_ERROR_NEGATIVE;
      return g_strdup_printf (_ ("\"%s\" is negative (expected a number of 0 or more)"), text);
    }
  if (positive && x == 0.0)
    {
      *code = MOA_PARSE_ERROR_OUT_OF_RANGE;
      return g_strdup_printf (_ ("\"%s\" is zero (expected a number above 0)"), text);
    }
  if (whole && x != floor (x))
    {
      *code = MOA_PARSE_ERROR_BAD_NUMBER;
      return g_strdup_printf (_ ("\"%s\" is not a whole number (expected residents as digits "
                                 "only: \".\" is the decimal point, not a thousands separator)"),
                              text);
    }
  *out = x == 0.0 ? 0.0 : x; /* no -0 */
  return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* The loader's state */

typedef struct
{
  MoaXmlCtx ctx;        /* the catalog file, its problems */
  MoaCatalog *catalog;  /* being filled in */
  char *dir;            /* the catalog's folder */
  GHashTable *proc_ids; /* procedure id -> MoaXmlNode* (borrowed from the tree) */
  GHashTable *files;    /* resolved file -> "NAME:LINE" of the element naming it (owned) */
  GHashTable *terr_ids; /* territory id -> MoaTerritory* (borrowed from the catalog) */
  GHashTable *faulty;   /* MoaTerritory* whose own figures had a problem: no more checks */
} Loader;

/* Resolves attribute "file" of @node (<procedure>, <scenario>, <territories>) and checks that
 * it names a regular file that no other element of the catalog names. Returns the resolved
 * path, or NULL after a problem. */
static char *
read_file_attr (Loader *l, const MoaXmlNode *node)
{
  const char *name = moa_xml_require_attr (&l->ctx, node, "file");
  g_autofree char *resolved = NULL;
  const char *first;

  if (name == NULL)
    return NULL;
  if (*name == '\0')
    {
      moa_xml_problem (&l->ctx, node, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                       _ ("file is empty (expected a path relative to the catalog's folder)"));
      return NULL;
    }
  resolved = resolve_path (l->dir, name);
  if (!g_file_test (resolved, G_FILE_TEST_EXISTS))
    {
      moa_xml_problem (&l->ctx, node, MOA_PARSE_ERROR_IO,
                       _ ("file \"%s\" does not exist (looked for %s: the path is relative to "
                          "the catalog's folder)"),
                       name, resolved);
      return NULL;
    }
  if (!g_file_test (resolved, G_FILE_TEST_IS_REGULAR))
    {
      moa_xml_problem (&l->ctx, node, MOA_PARSE_ERROR_IO,
                       _ ("file \"%s\" is not a regular file (%s)"), name, resolved);
      return NULL;
    }
  first = g_hash_table_lookup (l->files, resolved);
  if (first != NULL)
    {
      moa_xml_problem (&l->ctx, node, MOA_PARSE_ERROR_DUPLICATE_ID,
                       _ ("file \"%s\" is already named by %s (each file appears once in a "
                          "catalog)"),
                       name, first);
      return NULL;
    }
  g_hash_table_insert (l->files, g_strdup (resolved),
                       g_strdup_printf (_ ("<%s> at line %d"), node->name, node->line));
  return g_steal_pointer (&resolved);
}

/* ---------------------------------------------------------------------------------------- */
/* Procedures and their scenarios */

static void
read_procedure (Loader *l, const MoaXmlNode *xml)
{
  g_autoptr (GPtrArray) scenarios
      = g_ptr_array_new_with_free_func ((GDestroyNotify)catalog_scenario_free);
  g_autoptr (GPtrArray) marked = g_ptr_array_new ();   /* MoaXmlNode* of programme="true" */
  g_autoptr (GPtrArray) unmarked = g_ptr_array_new (); /* of programme="false" */
  g_autofree char *file = NULL;
  MoaCatalogProcedure *procedure;
  guint n_nodes = 0; /* <scenario> children, read or not */
  const char *id;

  moa_xml_check_attrs (&l->ctx, xml, procedure_attrs);
  moa_xml_check_no_text (&l->ctx, xml);
  id = moa_xml_get_id (&l->ctx, xml, "id");
  if (id != NULL && !moa_xml_register_id (&l->ctx, l->proc_ids, xml, id))
    id = NULL;
  file = read_file_attr (l, xml);

  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);
      MoaCatalogScenario *scenario;
      gboolean programme = FALSE;
      char *scenario_file;

      if (strcmp (child->name, "scenario") != 0)
        {
          moa_xml_unknown_element (&l->ctx, child, "<scenario>");
          continue;
        }
      n_nodes++;
      moa_xml_check_attrs (&l->ctx, child, scenario_attrs);
      moa_xml_check_no_children (&l->ctx, child);
      moa_xml_check_no_text (&l->ctx, child);
      if (moa_xml_get_bool (&l->ctx, child, "programme", FALSE, &programme)
          && moa_xml_node_get_attr (child, "programme") != NULL)
        g_ptr_array_add (programme ? marked : unmarked, (gpointer)child);
      scenario_file = read_file_attr (l, child);
      if (scenario_file == NULL)
        continue;
      scenario = g_new0 (MoaCatalogScenario, 1);
      scenario->file = scenario_file;
      scenario->programme = programme;
      scenario->line = child->line;
      g_ptr_array_add (scenarios, scenario);
    }

  /* Exactly one programme scenario; a lone scenario is the programme's unless marked "false". */
  if (marked->len > 1)
    {
      const MoaXmlNode *second = g_ptr_array_index (marked, 1);

      moa_xml_problem (&l->ctx, second, MOA_PARSE_ERROR_CONFLICT,
                       _ ("a second scenario marked programme=\"true\" (the first is on line %d: "
                          "exactly one scenario of a procedure is the programme's)"),
                       ((const MoaXmlNode *)g_ptr_array_index (marked, 0))->line);
    }
  else if (marked->len == 0 && n_nodes > 1)
    moa_xml_problem (&l->ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("%u scenarios and none is marked programme=\"true\" (mark the one that "
                        "is the \"after\" state of the programme)"),
                     n_nodes);
  else if (marked->len == 0 && unmarked->len == 1 && n_nodes == 1)
    moa_xml_problem (&l->ctx, g_ptr_array_index (unmarked, 0), MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("the only scenario is marked programme=\"false\" (a procedure with "
                        "scenarios has exactly one programme scenario: leave the attribute "
                        "out)"));
  else if (marked->len == 0 && scenarios->len == 1)
    ((MoaCatalogScenario *)g_ptr_array_index (scenarios, 0))->programme = TRUE;

  if (id == NULL || file == NULL)
    return;
  procedure = g_new0 (MoaCatalogProcedure, 1);
  procedure->id = g_strdup (id);
  procedure->file = g_steal_pointer (&file);
  procedure->scenarios = g_steal_pointer (&scenarios);
  procedure->line = xml->line;
  g_ptr_array_add (l->catalog->procedures, procedure);
}

/* ---------------------------------------------------------------------------------------- */
/* Territories given in the catalog file */

/* Records @territory under its id; FALSE when the id is taken (the caller reports it). */
static gboolean
register_territory (Loader *l, MoaTerritory *territory)
{
  const MoaTerritory *first = g_hash_table_lookup (l->terr_ids, territory->id);

  if (first == NULL)
    {
      g_hash_table_insert (l->terr_ids, territory->id, territory);
      return TRUE;
    }
  return FALSE;
}

static void
read_territory_cases (Loader *l, const MoaXmlNode *xml, MoaTerritory *territory, gboolean *ok)
{
  const char *procedure, *text;
  g_autofree char *message = NULL;
  double value = 0.0;
  int code = 0;

  if (!moa_xml_check_attrs (&l->ctx, xml, cases_attrs) || !moa_xml_check_no_children (&l->ctx, xml))
    *ok = FALSE;
  procedure = moa_xml_get_id (&l->ctx, xml, "procedure");
  text = moa_xml_require_attr (&l->ctx, xml, "value");
  if (procedure == NULL || text == NULL)
    {
      *ok = FALSE;
      return;
    }
  if (g_hash_table_lookup (l->proc_ids, procedure) == NULL)
    {
      moa_xml_problem (&l->ctx, xml, MOA_PARSE_ERROR_UNKNOWN_REFERENCE,
                       _ ("procedure \"%s\" is not in the catalog (expected the id of one of its "
                          "<procedure> elements)"),
                       procedure);
      return;
    }
  message = check_number (text, FALSE, FALSE, &value, &code);
  if (message != NULL)
    {
      moa_xml_problem (&l->ctx, xml, code, "value: %s", message);
      *ok = FALSE;
      return;
    }
  if (g_hash_table_contains (territory->cases, procedure))
    {
      moa_xml_problem (&l->ctx, xml, MOA_PARSE_ERROR_DUPLICATE_ID,
                       _ ("a second <cases> for procedure \"%s\" (one per procedure)"), procedure);
      return;
    }
  territory_set_cases (territory, procedure, value);
}

static void
read_territory (Loader *l, const MoaXmlNode *xml)
{
  MoaTerritory *territory;
  const char *id, *name, *parent, *population, *source;
  gboolean ok = TRUE;
  int kind = -1;

  if (!moa_xml_check_attrs (&l->ctx, xml, territory_attrs))
    ok = FALSE;
  moa_xml_check_no_text (&l->ctx, xml);
  id = moa_xml_get_id (&l->ctx, xml, "id");
  territory = territory_new (l->ctx.file, xml->line);
  territory->id = g_strdup (id);

  name = moa_xml_require_attr (&l->ctx, xml, "name");
  if (name != NULL && moa_xml_text_is_blank (name))
    {
      moa_xml_problem (&l->ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                       _ ("name is empty (expected the territory's name, e.g. \"Milano\")"));
      name = NULL;
    }
  territory->name = name != NULL ? g_strstrip (g_strdup (name)) : NULL;
  if (moa_xml_get_enum (&l->ctx, xml, "kind", kind_names, TRUE, &kind) && kind >= 0)
    territory->kind = (MoaTerritoryKind)kind;
  parent = moa_xml_get_ref (&l->ctx, xml, "parent", &ok);
  territory->parent = g_strdup (parent);
  population = moa_xml_node_get_attr (xml, "population");
  if (population != NULL)
    {
      int code = 0;
      g_autofree char *message
          = check_number (population, TRUE, FALSE, &territory->population, &code);

      if (message != NULL)
        {
          moa_xml_problem (&l->ctx, xml, code, "population: %s", message);
          ok = FALSE;
        }
    }
  source = moa_xml_node_get_attr (xml, "source");
  if (source != NULL && !moa_xml_text_is_blank (source))
    territory->source = g_strstrip (g_strdup (source));

  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);

      if (strcmp (child->name, "cases") == 0)
        read_territory_cases (l, child, territory, &ok);
      else
        moa_xml_unknown_element (&l->ctx, child, "<cases>");
    }

  if (id == NULL || name == NULL || kind < 0)
    {
      territory_free (territory);
      return;
    }
  if (!register_territory (l, territory))
    {
      const MoaTerritory *first = g_hash_table_lookup (l->terr_ids, id);

      moa_xml_problem (&l->ctx, xml, MOA_PARSE_ERROR_DUPLICATE_ID,
                       _ ("the territory id \"%s\" is already used at %s:%d: ids must be unique "
                          "across the catalog and its CSV files"),
                       id, first->file, first->line);
      territory_free (territory);
      return;
    }
  g_ptr_array_add (l->catalog->territories, territory);
  if (!ok)
    g_hash_table_add (l->faulty, territory);
}

/* ---------------------------------------------------------------------------------------- */
/* Territories from CSV (RFC 4180) */

typedef enum
{
  COL_ID,
  COL_NAME,
  COL_KIND,
  COL_PARENT,
  COL_POPULATION,
  COL_SOURCE,
  COL_CASES,   /* cases:PROCEDURE-ID */
  COL_IGNORED, /* reported at the header */
} ColumnRole;

static const char *const column_names[]
    = { "id", "name", "kind", "parent", "population", "source", NULL };

typedef struct
{
  ColumnRole role;
  char *name;      /* as in the header, trimmed */
  char *procedure; /* COL_CASES */
} Column;

typedef struct
{
  Loader *l;
  const char *file; /* as named in messages: the resolved path */
  const char *data;
  gsize len;
  gsize pos;
  int line;          /* of the next character */
  GPtrArray *header; /* Column*, once read */
} Csv;

typedef enum
{
  REC_OK,
  REC_EOF,
  REC_SKIPPED, /* a syntax problem was reported, the rest of its line skipped */
  REC_FATAL,   /* an unterminated quote: the rest of the file cannot be read */
} RecordStatus;

static void
column_free (Column *column)
{
  if (column == NULL)
    return;
  g_free (column->name);
  g_free (column->procedure);
  g_free (column);
}

/* `column "NAME"` from the header when there is one, else `column N` (1-based). */
static char *
column_label (const Csv *csv, guint index)
{
  if (csv->header != NULL && index < csv->header->len)
    return g_strdup_printf (_ ("column \"%s\""),
                            ((const Column *)g_ptr_array_index (csv->header, index))->name);
  return g_strdup_printf (_ ("column %u"), index + 1);
}

/* Appends a problem "FILE:LINE: COLUMN: TEXT" (@column may be NULL); its element is the
 * column's name. */
static MoaProblem *
csv_problem (Csv *csv, int code, int line, const char *column, const char *format, ...)
    G_GNUC_PRINTF (5, 6);

static MoaProblem *
csv_problem (Csv *csv, int code, int line, const char *column, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return moa_problems_add (csv->l->ctx.problems, MOA_PARSE_ERROR, code, csv->file, line, column,
                           "%s", text);
}

static void
skip_line (Csv *csv)
{
  while (csv->pos < csv->len && csv->data[csv->pos] != '\n')
    csv->pos++;
  if (csv->pos < csv->len)
    {
      csv->pos++;
      csv->line++;
    }
}

/* Reads the next record into @fields (char*, owned). *@start gets its first line. Blank
 * lines are skipped. */
static RecordStatus
read_record (Csv *csv, GPtrArray *fields, int *start)
{
  g_autoptr (GString) field = g_string_new (NULL);
  gboolean quoted_any;

  for (;;)
    {
      g_ptr_array_set_size (fields, 0);
      if (csv->pos >= csv->len)
        return REC_EOF;
      *start = csv->line;
      quoted_any = FALSE;

      for (;;)
        {
          g_string_truncate (field, 0);
          if (csv->pos < csv->len && csv->data[csv->pos] == '"')
            {
              int opened = csv->line;

              quoted_any = TRUE;
              csv->pos++;
              for (;;)
                {
                  char c;

                  if (csv->pos >= csv->len)
                    {
                      g_autofree char *label = column_label (csv, fields->len);

                      csv_problem (csv, MOA_PARSE_ERROR_MALFORMED, opened, label,
                                   _ ("the quote that opens this field is never closed (a "
                                      "quote inside a quoted field is written twice: \"\")"));
                      return REC_FATAL;
                    }
                  c = csv->data[csv->pos];
                  if (c == '"')
                    {
                      if (csv->pos + 1 < csv->len && csv->data[csv->pos + 1] == '"')
                        {
                          g_string_append_c (field, '"');
                          csv->pos += 2;
                          continue;
                        }
                      csv->pos++;
                      break;
                    }
                  if (c == '\n')
                    csv->line++;
                  g_string_append_c (field, c);
                  csv->pos++;
                }
              if (csv->pos < csv->len && csv->data[csv->pos] != ',' && csv->data[csv->pos] != '\n'
                  && !(csv->data[csv->pos] == '\r' && csv->pos + 1 < csv->len
                       && csv->data[csv->pos + 1] == '\n'))
                {
                  g_autofree char *label = column_label (csv, fields->len);

                  csv_problem (csv, MOA_PARSE_ERROR_MALFORMED, csv->line, label,
                               _ ("text after the closing quote (quote the whole field and "
                                  "write each quote inside it twice: \"\")"));
                  skip_line (csv);
                  return REC_SKIPPED;
                }
            }
          else
            while (csv->pos < csv->len)
              {
                char c = csv->data[csv->pos];

                if (c == ',' || c == '\n')
                  break;
                if (c == '\r' && csv->pos + 1 < csv->len && csv->data[csv->pos + 1] == '\n')
                  break;
                if (c == '"' || c == '\r')
                  {
                    g_autofree char *label = column_label (csv, fields->len);

                    if (c == '"')
                      csv_problem (csv, MOA_PARSE_ERROR_MALFORMED, csv->line, label,
                                   _ ("a quote inside a field that does not start with one "
                                      "(quote the whole field and write each quote inside it "
                                      "twice: \"\")"));
                    else
                      csv_problem (csv, MOA_PARSE_ERROR_MALFORMED, csv->line, label,
                                   _ ("a carriage return without a line feed (lines end with "
                                      "LF or CR LF)"));
                    skip_line (csv);
                    return REC_SKIPPED;
                  }
                g_string_append_c (field, c);
                csv->pos++;
              }
          g_ptr_array_add (fields, g_strndup (field->str, field->len));

          if (csv->pos >= csv->len)
            break;
          if (csv->data[csv->pos] == ',')
            {
              csv->pos++;
              continue;
            }
          /* end of the record: LF or CR LF */
          csv->pos += csv->data[csv->pos] == '\r' ? 2 : 1;
          csv->line++;
          break;
        }

      if (fields->len == 1 && !quoted_any && *(char *)g_ptr_array_index (fields, 0) == '\0')
        continue; /* a blank line */
      return REC_OK;
    }
}

/* Reads the header record; FALSE when the rows cannot be read (no header, a required column
 * missing, a column twice). */
static gboolean
read_header (Csv *csv, GPtrArray *fields, int line)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean ok = TRUE;

  csv->header = g_ptr_array_new_with_free_func ((GDestroyNotify)column_free);
  for (guint i = 0; i < fields->len; i++)
    {
      Column *column = g_new0 (Column, 1);
      const char *name;
      int role = -1;

      column->name = g_strstrip (g_strdup (g_ptr_array_index (fields, i)));
      name = column->name;
      g_ptr_array_add (csv->header, column);

      for (int k = 0; column_names[k] != NULL; k++)
        if (strcmp (name, column_names[k]) == 0)
          role = k;
      if (role >= 0)
        column->role = (ColumnRole)role;
      else if (g_str_has_prefix (name, "cases:"))
        {
          const char *procedure = name + strlen ("cases:");

          column->role = COL_CASES;
          if (!moa_xml_id_is_valid (procedure))
            {
              g_autofree char *label = column_label (csv, i);

              csv_problem (csv, MOA_PARSE_ERROR_BAD_ID, line, label,
                           _ ("\"%s\" is not a valid procedure id (expected cases:PROCEDURE-ID, "
                              "the id starting with a letter or a digit and made of letters, "
                              "digits, \".\", \"_\" and \"-\")"),
                           procedure);
              column->role = COL_IGNORED;
            }
          else if (g_hash_table_lookup (csv->l->proc_ids, procedure) == NULL)
            {
              g_autofree char *label = column_label (csv, i);

              csv_problem (csv, MOA_PARSE_ERROR_UNKNOWN_REFERENCE, line, label,
                           _ ("procedure \"%s\" is not in the catalog (expected the id of one of "
                              "its <procedure> elements)"),
                           procedure);
              column->role = COL_IGNORED;
            }
          else
            column->procedure = g_strdup (procedure);
        }
      else
        {
          g_autofree char *label = column_label (csv, i);

          csv_problem (csv, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, line, label,
                       _ ("unknown column (expected id, name, kind, parent, population, source "
                          "or cases:PROCEDURE-ID)"));
          column->role = COL_IGNORED;
        }

      if (*name != '\0' && g_hash_table_contains (seen, name))
        {
          g_autofree char *label = column_label (csv, i);

          csv_problem (csv, MOA_PARSE_ERROR_DUPLICATE_ID, line, label,
                       _ ("the column appears twice in the header (as column %u and %u)"),
                       GPOINTER_TO_UINT (g_hash_table_lookup (seen, name)), i + 1);
          ok = FALSE;
        }
      else
        g_hash_table_insert (seen, (gpointer)name, GUINT_TO_POINTER (i + 1));
    }

  for (int k = COL_ID; k <= COL_KIND; k++)
    if (!g_hash_table_contains (seen, column_names[k]))
      {
        csv_problem (csv, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, line, NULL,
                     _ ("the header has no column \"%s\" (expected id, name and kind, then "
                        "optionally parent, population, source and cases:PROCEDURE-ID, in any "
                        "order)"),
                     column_names[k]);
        ok = FALSE;
      }
  return ok;
}

/* Turns the data record @fields of line @line into a territory. */
static void
read_row (Csv *csv, GPtrArray *fields, int line)
{
  Loader *l = csv->l;
  MoaTerritory *territory;
  gboolean ok = TRUE, complete = TRUE;

  if (fields->len != csv->header->len)
    {
      csv_problem (csv, MOA_PARSE_ERROR_MALFORMED, line, NULL,
                   _ ("%u fields where the header has %u columns (a field that contains a comma "
                      "must be quoted: \"Bergamo, città\")"),
                   fields->len, csv->header->len);
      return;
    }

  territory = territory_new (csv->file, line);
  for (guint i = 0; i < fields->len; i++)
    {
      const Column *column = g_ptr_array_index (csv->header, i);
      g_autofree char *text = g_strstrip (g_strdup (g_ptr_array_index (fields, i)));
      g_autofree char *label = column_label (csv, i);
      g_autofree char *message = NULL;
      MoaTerritoryKind kind;
      double x = 0.0;
      int code = 0;

      switch (column->role)
        {
          case COL_ID:
          case COL_NAME:
          case COL_KIND:
            if (*text == '\0')
              {
                csv_problem (csv, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, line, label,
                             _ ("empty (every territory needs an id, a name and a kind)"));
                complete = FALSE;
              }
            else if (column->role == COL_ID && !moa_xml_id_is_valid (text))
              {
                csv_problem (csv, MOA_PARSE_ERROR_BAD_ID, line, label,
                             _ ("\"%s\" is not a valid id: an id starts with a letter or a digit "
                                "and has only letters, digits, \".\", \"_\" and \"-\""),
                             text);
                complete = FALSE;
              }
            else if (column->role == COL_ID)
              territory->id = g_steal_pointer (&text);
            else if (column->role == COL_NAME)
              territory->name = g_steal_pointer (&text);
            else if (moa_territory_kind_from_string (text, &kind))
              territory->kind = kind;
            else
              {
                csv_problem (csv, MOA_PARSE_ERROR_BAD_ENUM, line, label,
                             _ ("\"%s\" is not a kind of territory (expected \"region\", "
                                "\"province\", \"municipality\" or \"other\")"),
                             text);
                complete = FALSE;
              }
            break;
          case COL_PARENT:
            if (*text == '\0')
              break;
            if (!moa_xml_id_is_valid (text))
              {
                csv_problem (csv, MOA_PARSE_ERROR_BAD_ID, line, label,
                             _ ("\"%s\" is not a valid id: an id starts with a letter or a digit "
                                "and has only letters, digits, \".\", \"_\" and \"-\""),
                             text);
                ok = FALSE;
              }
            else
              territory->parent = g_steal_pointer (&text);
            break;
          case COL_POPULATION:
            if (*text == '\0')
              break;
            message = check_number (text, TRUE, FALSE, &x, &code);
            if (message != NULL)
              {
                csv_problem (csv, code, line, label, "%s", message);
                ok = FALSE;
              }
            else
              territory->population = x;
            break;
          case COL_SOURCE:
            if (*text != '\0')
              territory->source = g_steal_pointer (&text);
            break;
          case COL_CASES:
            if (*text == '\0')
              break;
            message = check_number (text, FALSE, FALSE, &x, &code);
            if (message != NULL)
              {
                csv_problem (csv, code, line, label, "%s", message);
                ok = FALSE;
              }
            else
              territory_set_cases (territory, column->procedure, x);
            break;
          case COL_IGNORED:
            break;
        }
    }

  if (!complete)
    {
      territory_free (territory);
      return;
    }
  if (!register_territory (l, territory))
    {
      const MoaTerritory *first = g_hash_table_lookup (l->terr_ids, territory->id);

      csv_problem (csv, MOA_PARSE_ERROR_DUPLICATE_ID, line, _ ("column \"id\""),
                   _ ("territory \"%s\" is already defined at %s:%d (ids must be unique across "
                      "the catalog and its CSV files)"),
                   territory->id, first->file, first->line);
      territory_free (territory);
      return;
    }
  g_ptr_array_add (l->catalog->territories, territory);
  if (!ok)
    g_hash_table_add (l->faulty, territory);
}

/* The 1-based line and byte column of offset @offset of @data. */
static void
locate (const char *data, gsize offset, int *line, gsize *column)
{
  gsize start = 0;

  *line = 1;
  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      {
        (*line)++;
        start = i + 1;
      }
  *column = offset - start + 1;
}

/* Reads the CSV file @path (resolved) named by a <territories> element. */
static void
read_csv (Loader *l, const char *path)
{
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *invalid = NULL;
  Csv csv = { l, path, NULL, 0, 0, 1, NULL };
  GStatBuf st;
  gsize len = 0;
  guint rows = 0;
  int line = 0;
  RecordStatus status;

  if (g_stat (path, &st) == 0 && (guint64)st.st_size > MOA_MAX_FILE_SIZE)
    {
      moa_problems_add (l->ctx.problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_TOO_LARGE, path, 0, NULL,
                        _ ("the file has %" PRIu64 " bytes, more than the %d allowed"),
                        (guint64)st.st_size, MOA_MAX_FILE_SIZE);
      return;
    }
  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      moa_problems_add (l->ctx.problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO, path, 0, NULL, "%s",
                        error->message);
      return;
    }
  if (len > MOA_MAX_FILE_SIZE)
    {
      moa_problems_add (l->ctx.problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_TOO_LARGE, path, 0, NULL,
                        _ ("the file has %zu bytes, more than the %d allowed"), len,
                        MOA_MAX_FILE_SIZE);
      return;
    }
  if (!g_utf8_validate (contents, (gssize)len, &invalid))
    {
      gsize column;

      locate (contents, (gsize)(invalid - contents), &line, &column);
      moa_problems_add (l->ctx.problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MALFORMED, path, line,
                        NULL,
                        _ ("byte %zu of the line (0x%02x) is not UTF-8 (save the "
                           "file as UTF-8 text)"),
                        column, (guint)(guchar)*invalid);
      return;
    }
  csv.data = contents;
  csv.len = len;
  if (len >= 3 && memcmp (contents, "\xEF\xBB\xBF", 3) == 0)
    csv.pos = 3; /* a byte order mark, as spreadsheets write */

  /* the header */
  do
    status = read_record (&csv, fields, &line);
  while (status == REC_SKIPPED);
  if (status == REC_FATAL)
    goto out;
  if (status == REC_EOF)
    {
      moa_problems_add (l->ctx.problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MISSING_ELEMENT, path, 0,
                        NULL,
                        _ ("the file is empty (expected a header row such as "
                           "id,name,kind,parent,population,source, then one row per "
                           "territory)"));
      goto out;
    }
  if (!read_header (&csv, fields, line))
    goto out;

  while ((status = read_record (&csv, fields, &line)) != REC_EOF && status != REC_FATAL)
    {
      if (status == REC_SKIPPED)
        continue;
      if (++rows > MAX_CSV_ROWS)
        {
          csv_problem (&csv, MOA_PARSE_ERROR_TOO_LARGE, line, NULL,
                       _ ("more than %d territories in one file (split it into several "
                          "<territories> files)"),
                       MAX_CSV_ROWS);
          break;
        }
      read_row (&csv, fields, line);
    }

out:
  g_clear_pointer (&csv.header, g_ptr_array_unref);
}

/* ---------------------------------------------------------------------------------------- */
/* Checks across territories */

/* How a problem about @territory is placed: its file and line, and a label. */
static MoaProblem *
territory_problem (Loader *l, const MoaTerritory *territory, int code, const char *column,
                   const char *format, ...) G_GNUC_PRINTF (5, 6);

static MoaProblem *
territory_problem (Loader *l, const MoaTerritory *territory, int code, const char *column,
                   const char *format, ...)
{
  gboolean from_csv = g_strcmp0 (territory->file, l->ctx.file) != 0;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  MoaProblem *problem;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  /* In a CSV file: `column "parent": territory "ID": ...`; in the catalog: `territory "ID": ...` */
  if (from_csv && column != NULL)
    label = g_strdup_printf (_ ("column \"%s\": territory \"%s\""), column, territory->id);
  else
    label = g_strdup_printf (_ ("territory \"%s\""), territory->id);
  problem = moa_problems_add (l->ctx.problems, MOA_PARSE_ERROR, code, territory->file,
                              territory->line, label, "%s", text);
  g_free (problem->element);
  problem->element = g_strdup (from_csv && column != NULL ? column : territory->id);
  return problem;
}

static void
check_parents (Loader *l)
{
  GPtrArray *territories = l->catalog->territories;
  /* 0: not seen, 1: on the current path, 2: done */
  g_autoptr (GHashTable) state = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < territories->len; i++)
    {
      MoaTerritory *t = g_ptr_array_index (territories, i);

      if (t->parent != NULL && g_hash_table_lookup (l->terr_ids, t->parent) == NULL)
        territory_problem (l, t, MOA_PARSE_ERROR_UNKNOWN_REFERENCE, "parent",
                           _ ("parent \"%s\" is not a territory of the catalog (expected the id "
                              "of a territory in the catalog or one of its CSV files)"),
                           t->parent);
    }

  for (guint i = 0; i < territories->len; i++)
    {
      MoaTerritory *t = g_ptr_array_index (territories, i);
      g_autoptr (GPtrArray) path = g_ptr_array_new ();

      while (t != NULL && GPOINTER_TO_INT (g_hash_table_lookup (state, t)) == 0)
        {
          g_hash_table_insert (state, t, GINT_TO_POINTER (1));
          g_ptr_array_add (path, t);
          t = t->parent != NULL ? g_hash_table_lookup (l->terr_ids, t->parent) : NULL;
        }
      if (t != NULL && GPOINTER_TO_INT (g_hash_table_lookup (state, t)) == 1)
        {
          /* a cycle from t back to t along @path */
          GString *chain = g_string_new (NULL);
          guint from = 0;

          g_ptr_array_find (path, t, &from);
          for (guint k = from; k < path->len; k++)
            g_string_append_printf (chain, "%s → ",
                                    ((MoaTerritory *)g_ptr_array_index (path, k))->id);
          g_string_append (chain, t->id);
          territory_problem (l, t, MOA_PARSE_ERROR_CIRCULAR_REFERENCE, "parent",
                             _ ("circular parents: %s (the chain of parents must end with a "
                                "territory that has none)"),
                             chain->str);
          g_string_free (chain, TRUE);
        }
      for (guint k = 0; k < path->len; k++)
        g_hash_table_insert (state, g_ptr_array_index (path, k), GINT_TO_POINTER (2));
    }
}

/* Every territory gives, for each procedure, its cases or a population to scale by. */
static void
check_figures (Loader *l)
{
  MoaCatalog *c = l->catalog;

  for (guint i = 0; i < c->territories->len; i++)
    {
      const MoaTerritory *t = g_ptr_array_index (c->territories, i);
      gboolean by_population = isfinite (t->population) && isfinite (c->population);
      g_autofree char *others = NULL;
      const char *missing = NULL;
      guint n_missing = 0;

      if (g_hash_table_contains (l->faulty, t))
        continue;
      if (isfinite (t->population) && isfinite (c->population) && t->population > c->population)
        {
          territory_problem (l, t, MOA_PARSE_ERROR_OUT_OF_RANGE, "population",
                             _ ("population %.0f is above the catalog's population %.0f (a "
                                "territory is part of the region the procedures describe)"),
                             t->population, c->population);
          continue;
        }
      if (by_population)
        continue;
      for (guint k = 0; k < c->procedures->len; k++)
        {
          const MoaCatalogProcedure *p = g_ptr_array_index (c->procedures, k);

          if (!g_hash_table_contains (t->cases, p->id))
            {
              missing = missing != NULL ? missing : p->id;
              n_missing++;
            }
        }
      if (n_missing == 0)
        continue;
      others = n_missing > 1
                   ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, " (nor for %u other procedure)",
                                                   " (nor for %u other procedures)", n_missing - 1),
                                      n_missing - 1)
                   : g_strdup ("");
      if (isfinite (c->population))
        territory_problem (l, t, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, "population",
                           _ ("no cases for procedure \"%s\"%s and no population to scale by "
                              "(give its population, or its cases per year for every "
                              "procedure)"),
                           missing, others);
      else
        territory_problem (l, t, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, "population",
                           _ ("no cases for procedure \"%s\"%s and the catalog has no "
                              "population to scale by (give its cases per year for every "
                              "procedure, or a population on <catalog>)"),
                           missing, others);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The catalog */

static void
read_catalog_attrs (Loader *l, const MoaXmlNode *root)
{
  MoaCatalog *c = l->catalog;
  const char *currency, *population;
  gint64 year = 0;

  moa_xml_check_attrs (&l->ctx, root, catalog_attrs);
  c->id = g_strdup (moa_xml_get_id (&l->ctx, root, "id"));
  c->cost_model = g_strdup (moa_xml_get_id (&l->ctx, root, "cost-model"));
  if (moa_xml_get_int (&l->ctx, root, "price-year", TRUE, MIN_PRICE_YEAR, MAX_PRICE_YEAR, &year))
    c->price_year = (int)year;

  currency = moa_xml_node_get_attr (root, "currency");
  c->currency = g_strdup ("EUR");
  if (currency != NULL)
    {
      gboolean ok = strlen (currency) == 3;

      for (guint i = 0; ok && i < 3; i++)
        ok = g_ascii_isupper (currency[i]);
      if (ok)
        {
          g_free (c->currency);
          c->currency = g_strdup (currency);
        }
      else
        moa_xml_problem (&l->ctx, root, MOA_PARSE_ERROR_BAD_ENUM,
                         _ ("currency \"%s\" is not a currency code (expected three capital "
                            "letters, ISO 4217, e.g. \"EUR\")"),
                         currency);
    }

  c->population = NAN;
  population = moa_xml_node_get_attr (root, "population");
  if (population != NULL)
    {
      int code = 0;
      g_autofree char *message = check_number (population, TRUE, TRUE, &c->population, &code);

      if (message != NULL)
        moa_xml_problem (&l->ctx, root, code, "population: %s", message);
    }
}

static void
add_input_file (MoaCatalog *c, const char *file)
{
  for (guint i = 0; i < c->input_files->len; i++)
    if (strcmp (g_ptr_array_index (c->input_files, i), file) == 0)
      return;
  g_ptr_array_add (c->input_files, g_strdup (file));
}

static void
read_catalog (Loader *l, const MoaXmlNode *root)
{
  MoaCatalog *c = l->catalog;
  const MoaXmlNode *source = NULL;
  g_autoptr (GPtrArray) csv_files = g_ptr_array_new_with_free_func (g_free);
  gboolean has_title = FALSE;

  read_catalog_attrs (l, root);
  moa_xml_check_no_text (&l->ctx, root);

  /* procedures first, whatever their place, so that territories can name them */
  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (root->children, i);

      if (strcmp (child->name, "title") == 0)
        {
          has_title = TRUE;
          moa_xml_read_title (&l->ctx, child, &c->title);
        }
      else if (strcmp (child->name, "source") == 0)
        {
          if (source != NULL)
            moa_xml_problem (&l->ctx, child, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                             _ ("a second <source> (the first is on line %d; at most one is "
                                "allowed)"),
                             source->line);
          else
            {
              source = child;
              c->source = moa_xml_read_text (&l->ctx, child);
            }
        }
      else if (strcmp (child->name, "procedure") == 0)
        read_procedure (l, child);
      else if (strcmp (child->name, "territories") == 0)
        {
          char *file;

          moa_xml_check_attrs (&l->ctx, child, territories_attrs);
          moa_xml_check_no_children (&l->ctx, child);
          moa_xml_check_no_text (&l->ctx, child);
          file = read_file_attr (l, child);
          if (file != NULL)
            g_ptr_array_add (csv_files, file);
        }
      else if (strcmp (child->name, "territory") != 0)
        moa_xml_unknown_element (&l->ctx, child,
                                 "<title>, <source>, <procedure>, <territory>, <territories>");
    }
  if (!has_title)
    moa_xml_problem (&l->ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <title> (expected <title lang=\"it\"> and/or <title lang=\"en\">)"));
  if (g_hash_table_size (l->proc_ids) == 0)
    moa_xml_problem (&l->ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <procedure> (expected at least one)"));

  /* inline territories, then each CSV file in order */
  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (root->children, i);

      if (strcmp (child->name, "territory") == 0)
        read_territory (l, child);
    }
  for (guint i = 0; i < csv_files->len; i++)
    read_csv (l, g_ptr_array_index (csv_files, i));

  check_parents (l);
  check_figures (l);

  /* every input file, without duplicates */
  add_input_file (c, c->file);
  for (guint i = 0; i < csv_files->len; i++)
    add_input_file (c, g_ptr_array_index (csv_files, i));
  for (guint i = 0; i < c->procedures->len; i++)
    add_input_file (c, ((MoaCatalogProcedure *)g_ptr_array_index (c->procedures, i))->file);
  for (guint i = 0; i < c->procedures->len; i++)
    {
      const MoaCatalogProcedure *p = g_ptr_array_index (c->procedures, i);

      for (guint k = 0; k < p->scenarios->len; k++)
        add_input_file (c, ((MoaCatalogScenario *)g_ptr_array_index (p->scenarios, k))->file);
    }
}

/* Loads the catalog file @path and the CSV files of territories it names (see
 * moa-catalog.h and docs/catalog-format.md). Every problem is appended to @problems (when not
 * NULL); loading goes on after a problem so that one run reports as many as it can. The
 * procedure and scenario files are only checked to exist. Returns a new catalog (free with
 * moa_catalog_free()), or NULL when any problem was found, with @error set from the first. */
MoaCatalog *
moa_catalog_load_file (const char *path, GPtrArray *problems, GError **error)
{
  g_autoptr (GPtrArray) own_problems = NULL;
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (MoaXmlNode) root = NULL;
  g_autoptr (MoaCatalog) catalog = NULL;
  g_autoptr (GHashTable) proc_ids = NULL;
  g_autoptr (GHashTable) files = NULL;
  g_autoptr (GHashTable) terr_ids = NULL;
  g_autoptr (GHashTable) faulty = NULL;
  g_autofree char *dir = NULL;
  Loader l;
  guint first;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems == NULL)
    problems = own_problems = moa_problems_new ();
  first = problems->len;
  l.ctx.file = path;
  l.ctx.problems = problems;

  root = moa_xml_parse_file (path, &parse_error);
  if (!moa_xml_check_root (&l.ctx, root, parse_error, "catalog",
                           _ ("the root element is <%s> (expected <catalog>)")))
    goto out;

  catalog = g_new0 (MoaCatalog, 1);
  catalog->file = g_strdup (path);
  catalog->population = NAN;
  catalog->procedures = g_ptr_array_new_with_free_func ((GDestroyNotify)catalog_procedure_free);
  catalog->territories = g_ptr_array_new_with_free_func ((GDestroyNotify)territory_free);
  catalog->input_files = g_ptr_array_new_with_free_func (g_free);
  dir = g_path_get_dirname (path);
  proc_ids = g_hash_table_new (g_str_hash, g_str_equal);
  files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  terr_ids = g_hash_table_new (g_str_hash, g_str_equal);
  faulty = g_hash_table_new (g_direct_hash, g_direct_equal);
  l.catalog = catalog;
  l.dir = dir;
  l.proc_ids = proc_ids;
  l.files = files;
  l.terr_ids = terr_ids;
  l.faulty = faulty;
  read_catalog (&l, root);

out:
  if (problems->len > first)
    {
      const MoaProblem *problem = g_ptr_array_index (problems, first);

      g_set_error_literal (error, problem->domain, problem->code, problem->message);
      return NULL;
    }
  return g_steal_pointer (&catalog);
}

/* ---------------------------------------------------------------------------------------- */
/* Accessors */

/* The catalog file, as given to moa_catalog_load_file() (borrowed). */
const char *
moa_catalog_get_file (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->file;
}

/* The catalog's id (borrowed). */
const char *
moa_catalog_get_id (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->id;
}

/* The catalog's titles (borrowed). */
const MoaTitle *
moa_catalog_get_title (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return &catalog->title;
}

/* The id of the cost model the catalog is priced with (borrowed). */
const char *
moa_catalog_get_cost_model (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->cost_model;
}

/* The year of the prices of every figure of a run of the catalog. */
int
moa_catalog_get_price_year (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, 0);
  return catalog->price_year;
}

/* The currency code, "EUR" when the file gives none (borrowed). */
const char *
moa_catalog_get_currency (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->currency;
}

/* The population the procedures' own figures refer to, NAN when not given. */
double
moa_catalog_get_population (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NAN);
  return catalog->population;
}

/* The text of the catalog's <source>, or NULL (borrowed). */
const char *
moa_catalog_get_source (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->source;
}

/* The procedures, MoaCatalogProcedure*, in catalog order (borrowed array). */
GPtrArray *
moa_catalog_get_procedures (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->procedures;
}

/* The territories, MoaTerritory*: inline ones first, then each CSV file's in order (borrowed
 * array). */
GPtrArray *
moa_catalog_get_territories (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->territories;
}

/* The files the catalog reads, char*: the catalog as given, its CSV files, its procedures,
 * its scenarios (resolved paths, that order, no duplicates). Borrowed: the catalog owns the
 * array. */
GPtrArray *
moa_catalog_get_input_files (const MoaCatalog *catalog)
{
  g_return_val_if_fail (catalog != NULL, NULL);
  return catalog->input_files;
}

/* The share of procedure @procedure_id's figures that falls on @territory (see
 * moa-catalog.h): territory cases / @procedure_cases when the territory gives its cases (NAN
 * when @procedure_cases is not a positive finite number, unless those cases are 0: then 0);
 * else territory population / catalog population. *@cases (when not NULL) gets the territory's
 * cases per year: as given, or share × @procedure_cases. NAN when neither applies. */
double
moa_catalog_territory_share (const MoaCatalog *catalog, const MoaTerritory *territory,
                             const char *procedure_id, double procedure_cases, double *cases)
{
  const double *given;
  double share = NAN, n = NAN;

  if (cases != NULL)
    *cases = NAN;
  g_return_val_if_fail (catalog != NULL, NAN);
  g_return_val_if_fail (territory != NULL, NAN);
  g_return_val_if_fail (procedure_id != NULL, NAN);

  given = g_hash_table_lookup (territory->cases, procedure_id);
  if (given != NULL)
    {
      n = *given;
      if (*given == 0.0)
        share = 0.0;
      else if (isfinite (procedure_cases) && procedure_cases > 0.0)
        share = *given / procedure_cases;
    }
  else if (isfinite (territory->population) && isfinite (catalog->population)
           && catalog->population > 0.0)
    {
      share = territory->population / catalog->population;
      n = share * procedure_cases;
    }
  if (cases != NULL)
    *cases = n;
  return share;
}
