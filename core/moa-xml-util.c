/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strict checks of MoaXmlNode trees for the file loaders, one MoaProblem per fault. */

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-xml-util.h"

/* TRUE when @id is a valid identifier: [A-Za-z0-9][A-Za-z0-9._-]*. */
gboolean
moa_xml_id_is_valid (const char *id)
{
  if (id == NULL || !g_ascii_isalnum (id[0]))
    return FALSE;
  for (const char *p = id + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static const char *
node_id (const MoaXmlNode *node)
{
  const char *id = moa_xml_node_get_attr (node, "id");
  return id != NULL && *id != '\0' ? id : NULL;
}

/* "activity \"x\"", "<times> in activity \"x\"" or "<times>"; *@element gets the id or name. */
static char *
node_label (const MoaXmlNode *node, const char **element)
{
  const char *id = node_id (node);

  if (id != NULL)
    {
      *element = id;
      return g_strdup_printf ("%s \"%s\"", node->name, id);
    }
  *element = node->name;
  for (const MoaXmlNode *up = node->parent; up != NULL; up = up->parent)
    {
      const char *up_id = node_id (up);
      if (up_id != NULL)
        return g_strdup_printf (_ ("<%s> in %s \"%s\""), node->name, up->name, up_id);
    }
  return g_strdup_printf ("<%s>", node->name);
}

static MoaProblem *
problem_valist (MoaXmlCtx *ctx, const MoaXmlNode *node, GQuark domain, int code, const char *format,
                va_list args)
{
  g_autofree char *text = g_strdup_vprintf (format, args);
  g_autofree char *label = NULL;
  const char *element = NULL;
  MoaProblem *problem;

  label = node_label (node, &element);
  problem
      = moa_problems_add (ctx->problems, domain, code, ctx->file, node->line, label, "%s", text);
  /* The message names the element in words; the field keeps the bare id, as documented. */
  g_free (problem->element);
  problem->element = g_strdup (element);
  return problem;
}

/* Appends a MOA_PARSE_ERROR problem about @node (see moa-xml-util.h); returns it (borrowed). */
MoaProblem *
moa_xml_problem (MoaXmlCtx *ctx, const MoaXmlNode *node, int code, const char *format, ...)
{
  MoaProblem *problem;
  va_list args;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  va_start (args, format);
  problem = problem_valist (ctx, node, MOA_PARSE_ERROR, code, format, args);
  va_end (args);
  return problem;
}

/* Appends a problem about @node in @domain (see moa-xml-util.h); returns it (borrowed). */
MoaProblem *
moa_xml_problem_full (MoaXmlCtx *ctx, const MoaXmlNode *node, GQuark domain, int code,
                      const char *format, ...)
{
  MoaProblem *problem;
  va_list args;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  va_start (args, format);
  problem = problem_valist (ctx, node, domain, code, format, args);
  va_end (args);
  return problem;
}

/* Appends the parse failure @error as a problem, with the line read back from the message. */
MoaProblem *
moa_xml_problem_from_error (MoaXmlCtx *ctx, const GError *error)
{
  /* moa_xml_parse() names a nameless document "(data)". */
  const char *prefix = ctx != NULL && ctx->file != NULL ? ctx->file : "(data)";
  gsize n;
  gint64 line = 0;
  MoaProblem *problem;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  /* moa-xml.c writes "NAME:LINE: what" (moa-xml.h); anything else has no line. */
  n = strlen (prefix);
  if (strncmp (error->message, prefix, n) == 0 && error->message[n] == ':'
      && g_ascii_isdigit (error->message[n + 1]))
    {
      char *end = NULL;
      line = g_ascii_strtoll (error->message + n + 1, &end, 10);
      if (end == NULL || *end != ':' || line < 0 || line > G_MAXINT)
        line = 0;
    }
  problem = moa_problems_add (ctx->problems, error->domain, error->code, NULL, 0, NULL, "%s",
                              error->message);
  problem->file = g_strdup (ctx->file);
  problem->line = (int)line;
  return problem;
}

/* "a, b or c" (newly allocated). */
static char *
join_words (const char *const *words, gboolean quote)
{
  GString *s = g_string_new (NULL);
  guint n = words != NULL ? g_strv_length ((char **)words) : 0;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (s, i + 1 == n ? _ (" or ") : ", ");
      if (quote)
        g_string_append_printf (s, "\"%s\"", words[i]);
      else
        g_string_append (s, words[i]);
    }
  return g_string_free (s, FALSE);
}

/* Appends an UNKNOWN_ATTRIBUTE problem for every attribute of @node not in @allowed; returns
 * TRUE when there was none. */
gboolean
moa_xml_check_attrs (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *const *allowed)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  for (guint i = 0; node->attr_names != NULL && node->attr_names[i] != NULL; i++)
    {
      const char *name = node->attr_names[i];

      if (allowed != NULL && g_strv_contains (allowed, name))
        continue;
      ok = FALSE;
      if (allowed == NULL || allowed[0] == NULL)
        moa_xml_problem (ctx, node, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE,
                         _ ("unknown attribute \"%s\": <%s> takes no attributes"), name,
                         node->name);
      else
        {
          g_autofree char *list = join_words (allowed, FALSE);
          moa_xml_problem (ctx, node, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE,
                           _ ("unknown attribute \"%s\" on <%s>: expected %s"), name, node->name,
                           list);
        }
    }
  return ok;
}

/* Appends an UNKNOWN_ELEMENT problem for @child. */
void
moa_xml_unknown_element (MoaXmlCtx *ctx, const MoaXmlNode *child, const char *expected)
{
  g_return_if_fail (ctx != NULL && ctx->problems != NULL);
  g_return_if_fail (child != NULL);

  if (child->parent == NULL)
    moa_xml_problem (ctx, child, MOA_PARSE_ERROR_UNKNOWN_ELEMENT, _ ("unknown element <%s>"),
                     child->name);
  else if (expected == NULL)
    moa_xml_problem (ctx, child, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                     _ ("unknown element <%s> in <%s>"), child->name, child->parent->name);
  else
    moa_xml_problem (ctx, child, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                     _ ("unknown element <%s> in <%s>: expected %s"), child->name,
                     child->parent->name, expected);
}

/* Reports each child element of @node as unknown; TRUE when there is none. */
gboolean
moa_xml_check_no_children (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  if (node->children == NULL || node->children->len == 0)
    return TRUE;
  for (guint i = 0; i < node->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (node->children, i);
      moa_xml_problem (ctx, child, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                       _ ("unknown element <%s>: <%s> has no child elements"), child->name,
                       node->name);
    }
  return FALSE;
}

/* Returns attribute @name of @node (borrowed) or NULL after a MISSING_ATTRIBUTE problem. */
const char *
moa_xml_require_attr (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name)
{
  const char *value;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (node != NULL && name != NULL, NULL);

  value = moa_xml_node_get_attr (node, name);
  if (value == NULL)
    moa_xml_problem (ctx, node, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("<%s> needs the attribute \"%s\""), node->name, name);
  return value;
}

static void
bad_id (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, const char *value)
{
  moa_xml_problem (ctx, node, MOA_PARSE_ERROR_BAD_ID,
                   _ ("%s=\"%s\" is not a valid id: an id starts with a letter or a digit and "
                      "has only letters, digits, \".\", \"_\" and \"-\""),
                   name, value);
}

/* Returns the valid id in attribute @name (borrowed) or NULL after a problem. */
const char *
moa_xml_get_id (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name)
{
  const char *value;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (node != NULL && name != NULL, NULL);

  value = moa_xml_require_attr (ctx, node, name);
  if (value == NULL)
    return NULL;
  if (!moa_xml_id_is_valid (value))
    {
      bad_id (ctx, node, name, value);
      return NULL;
    }
  return value;
}

/* Returns the id that attribute @name refers to (borrowed), NULL when absent or invalid. */
const char *
moa_xml_get_ref (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, gboolean *ok)
{
  const char *value;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (node != NULL && name != NULL, NULL);

  value = moa_xml_node_get_attr (node, name);
  if (value == NULL)
    return NULL;
  if (!moa_xml_id_is_valid (value))
    {
      bad_id (ctx, node, name, value);
      if (ok != NULL)
        *ok = FALSE;
      return NULL;
    }
  return value;
}

/* Records @id in @seen; FALSE after a DUPLICATE_ID problem when it was there already. */
gboolean
moa_xml_register_id (MoaXmlCtx *ctx, GHashTable *seen, const MoaXmlNode *node, const char *id)
{
  const MoaXmlNode *first;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (seen != NULL && node != NULL && id != NULL, FALSE);

  first = g_hash_table_lookup (seen, id);
  if (first != NULL)
    {
      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_DUPLICATE_ID,
                       _ ("the id \"%s\" is already used by <%s> at line %d: ids must be unique"),
                       id, first->name, first->line);
      return FALSE;
    }
  g_hash_table_insert (seen, (gpointer)id, (gpointer)node);
  return TRUE;
}

/* Parses attribute @name as a value of @dim into *@value (new, or NULL when absent); FALSE
 * after a problem. */
gboolean
moa_xml_get_value (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, MoaDimension dim,
                   gboolean required, MoaValue **value)
{
  const char *text;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (node != NULL && name != NULL && value != NULL, FALSE);

  *value = NULL;
  text = moa_xml_node_get_attr (node, name);
  if (text == NULL)
    {
      if (!required)
        return TRUE;
      moa_xml_require_attr (ctx, node, name);
      return FALSE;
    }
  *value = moa_value_parse (text, dim, &error);
  if (*value == NULL)
    {
      moa_xml_problem (ctx, node,
                       error->domain == MOA_PARSE_ERROR ? error->code : MOA_PARSE_ERROR_BAD_NUMBER,
                       "%s: %s", name, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Parses attribute @name as true/false into *@out (@default_value when absent). */
gboolean
moa_xml_get_bool (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, gboolean default_value,
                  gboolean *out)
{
  const char *text;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (node != NULL && name != NULL && out != NULL, FALSE);

  text = moa_xml_node_get_attr (node, name);
  if (text == NULL)
    *out = default_value;
  else if (strcmp (text, "true") == 0)
    *out = TRUE;
  else if (strcmp (text, "false") == 0)
    *out = FALSE;
  else
    {
      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_BAD_ENUM,
                       _ ("%s=\"%s\" is not allowed: expected \"true\" or \"false\""), name, text);
      return FALSE;
    }
  return TRUE;
}

/* Parses attribute @name as one of @allowed into *@out (index, -1 when absent). */
gboolean
moa_xml_get_enum (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name,
                  const char *const *allowed, gboolean required, int *out)
{
  const char *text;
  g_autofree char *list = NULL;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (node != NULL && name != NULL && allowed != NULL && out != NULL, FALSE);

  *out = -1;
  text = moa_xml_node_get_attr (node, name);
  if (text == NULL)
    {
      if (!required)
        return TRUE;
      moa_xml_require_attr (ctx, node, name);
      return FALSE;
    }
  for (int i = 0; allowed[i] != NULL; i++)
    if (strcmp (allowed[i], text) == 0)
      {
        *out = i;
        return TRUE;
      }
  list = join_words (allowed, TRUE);
  moa_xml_problem (ctx, node, MOA_PARSE_ERROR_BAD_ENUM, _ ("%s=\"%s\" is not allowed: expected %s"),
                   name, text, list);
  return FALSE;
}

/* Parses attribute @name as an integer in [@min, @max] into *@out (untouched when absent). */
gboolean
moa_xml_get_int (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, gboolean required,
                 gint64 min, gint64 max, gint64 *out)
{
  const char *text;
  gint64 x;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (node != NULL && name != NULL && out != NULL, FALSE);
  g_return_val_if_fail (min <= max, FALSE);

  text = moa_xml_node_get_attr (node, name);
  if (text == NULL)
    {
      if (!required)
        return TRUE;
      moa_xml_require_attr (ctx, node, name);
      return FALSE;
    }
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &x, &error))
    {
      if (g_error_matches (error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        moa_xml_problem (ctx, node, MOA_PARSE_ERROR_OUT_OF_RANGE,
                         _ ("%s=\"%s\" is outside %lld … %lld"), name, text, (long long)min,
                         (long long)max);
      else
        moa_xml_problem (ctx, node, MOA_PARSE_ERROR_BAD_NUMBER,
                         _ ("%s=\"%s\" is not an integer: expected digits only"), name, text);
      return FALSE;
    }
  if (x < min || x > max)
    {
      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_OUT_OF_RANGE,
                       _ ("%s=\"%s\" is outside %lld … %lld"), name, text, (long long)min,
                       (long long)max);
      return FALSE;
    }
  *out = x;
  return TRUE;
}

/* Reads the <title lang> element @node into @title; FALSE after any problem. */
gboolean
moa_xml_read_title (MoaXmlCtx *ctx, const MoaXmlNode *node, MoaTitle *title)
{
  static const char *const attrs[] = { "lang", NULL };
  static const char *const langs[] = { "it", "en", NULL };
  gboolean ok;
  int lang = -1;
  char **slot;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (node != NULL && title != NULL, FALSE);

  ok = moa_xml_check_attrs (ctx, node, attrs);
  ok = moa_xml_check_no_children (ctx, node) && ok;
  if (!moa_xml_get_enum (ctx, node, "lang", langs, TRUE, &lang))
    return FALSE;
  if (node->text == NULL)
    {
      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_MISSING_ELEMENT,
                       _ ("<title lang=\"%s\"> is empty: write the title as its text"),
                       langs[lang]);
      return FALSE;
    }
  slot = lang == 0 ? &title->it : &title->en;
  if (*slot != NULL)
    {
      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_DUPLICATE_ID,
                       _ ("a second <title lang=\"%s\">: there can be one per language"),
                       langs[lang]);
      return FALSE;
    }
  *slot = g_strdup (node->text);
  return ok;
}

/* Returns a copy of the text of the text-only element @node (NULL when empty), after reporting
 * its attributes and child elements. */
char *
moa_xml_read_text (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);

  moa_xml_check_attrs (ctx, node, none);
  moa_xml_check_no_children (ctx, node);
  return g_strdup (node->text);
}

/* TRUE when @text is NULL or all ASCII white space. */
gboolean
moa_xml_text_is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Reports the text of the structural element @node, if any. */
void
moa_xml_check_no_text (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  g_return_if_fail (ctx != NULL && ctx->problems != NULL);
  g_return_if_fail (node != NULL);

  if (!moa_xml_text_is_blank (node->text))
    {
      g_autofree char *text = g_strstrip (g_strdup (node->text));

      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                       _ ("unexpected text \"%s\" (this element holds elements only)"), text);
    }
}

/* Records @child as the first of its kind, or reports it as a second one. */
gboolean
moa_xml_first_of_its_kind (MoaXmlCtx *ctx, const MoaXmlNode **first, const MoaXmlNode *child)
{
  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (first != NULL && child != NULL, FALSE);

  if (*first != NULL)
    {
      moa_xml_problem (ctx, child, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                       _ ("a second <%s> (the first is on line %d; at most one is allowed)"),
                       child->name, (*first)->line);
      return FALSE;
    }
  *first = child;
  return TRUE;
}

/* Reads the text element @child, which may appear once, into *@field. */
void
moa_xml_read_text_once (MoaXmlCtx *ctx, const MoaXmlNode **first, const MoaXmlNode *child,
                        char **field)
{
  g_return_if_fail (field != NULL);

  if (moa_xml_first_of_its_kind (ctx, first, child))
    *field = moa_xml_read_text (ctx, child);
  else
    g_free (moa_xml_read_text (ctx, child)); /* still report what is wrong inside it */
}

/* TRUE when @text is evidently meant as a number. */
gboolean
moa_xml_looks_like_value (const char *text)
{
  char *end = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strchr (text, '(') != NULL)
    return TRUE;
  for (const char *s = text; *s != '\0'; s++)
    if (g_ascii_isspace (*s))
      return TRUE;
  g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}

/* Checks that @root is a format 1 <@name>; one problem at the first fault. */
gboolean
moa_xml_check_root (MoaXmlCtx *ctx, const MoaXmlNode *root, const GError *parse_error,
                    const char *name, const char *wrong_root)
{
  const char *format;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, FALSE);
  g_return_val_if_fail (name != NULL && wrong_root != NULL, FALSE);

  if (root == NULL)
    {
      /* The parser's message already starts with "NAME:LINE:". */
      moa_xml_problem_from_error (ctx, parse_error);
      return FALSE;
    }
  if (strcmp (root->name, name) != 0)
    {
      moa_problems_add (ctx->problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_WRONG_ROOT, ctx->file,
                        root->line, NULL, wrong_root, root->name);
      return FALSE;
    }
  /* A later format may change anything: stop before reporting what it changed. */
  format = moa_xml_require_attr (ctx, root, "format");
  if (format == NULL)
    return FALSE;
  if (strcmp (format, "1") != 0)
    {
      moa_xml_problem (ctx, root, MOA_PARSE_ERROR_BAD_ENUM,
                       _ ("format %s is not supported: this moa reads format 1"), format);
      return FALSE;
    }
  return TRUE;
}
