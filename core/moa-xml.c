/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libxml2 seam: bounded, entity-free SAX parsing of XML into MoaXmlNode trees. */

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "moa-error.h"
#include "moa-procedure.h"
#include "moa-xml.h"

/* Why SAX and not libxml2's tree: the tree is built by us as the parser goes, so the element
 * and depth bounds stop the parser before memory grows, and the DOCTYPE hook stops it before
 * any entity declaration is even read (no billion laughs, no external entity). */

typedef struct
{
  xmlParserCtxtPtr ctxt;
  const char *name;
  MoaXmlNode *root;
  MoaXmlNode *current;
  GString *text;    /* text of @current so far */
  GPtrArray *texts; /* GString* of the ancestors of @current, innermost last */
  guint depth;
  guint n_elements;

  /* The first failure wins; later ones (often consequences) are dropped. */
  gboolean failed;
  int code;
  int line;
  char *message;
} ParseState;

static void
state_fail (ParseState *st, int code, int line, const char *message)
{
  if (st->failed)
    return;
  st->failed = TRUE;
  st->code = code;
  st->line = line;
  st->message = g_strdup (message);
}

static void
init_libxml_once (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      xmlInitParser ();
      g_once_init_leave (&initialised, 1);
    }
}

/* Frees @node and its whole subtree. NULL-safe. */
void
moa_xml_node_free (MoaXmlNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_strfreev (node->attr_names);
  g_strfreev (node->attr_values);
  g_free (node->text);
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  g_free (node);
}

/* Returns the value of attribute @name of @node (borrowed), or NULL when it has none. */
const char *
moa_xml_node_get_attr (const MoaXmlNode *node, const char *name)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; node->attr_names != NULL && node->attr_names[i] != NULL; i++)
    if (strcmp (node->attr_names[i], name) == 0)
      return node->attr_values[i];
  return NULL;
}

/* Line of the '<' that opens the start tag being reported. libxml2 calls startElementNs with
 * the input positioned at the tag's end, so for a tag written over several lines its line is
 * the last one; count the newlines back to the '<' ('<' cannot occur inside a tag). */
static int
start_tag_line (xmlParserCtxtPtr ctxt)
{
  const xmlChar *p, *base;
  int line;

  if (ctxt->input == NULL || ctxt->input->cur == NULL)
    return 0;
  line = ctxt->input->line;
  base = ctxt->input->base;
  for (p = ctxt->input->cur; p > base;)
    {
      p--;
      if (*p == '<')
        return line > 0 ? line : 1;
      if (*p == '\n')
        line--;
    }
  return ctxt->input->line;
}

static void
stop (ParseState *st, int code, int line, const char *message)
{
  state_fail (st, code, line, message);
  xmlStopParser (st->ctxt);
}

/* With entity replacement off (as it must be), libxml2 hands "&amp;" and "&#38;" in attribute
 * values over as the text "&#38;" for the tree builder to decode; no literal '&' can remain,
 * so every "&#38;" stands for '&'. */
static char *
attr_value_dup (const xmlChar *value, const xmlChar *end)
{
  GString *s = g_string_sized_new ((gsize)(end - value));
  const char *p = (const char *)value;
  const char *e = (const char *)end;

  while (p < e)
    {
      if (e - p >= 5 && memcmp (p, "&#38;", 5) == 0)
        {
          g_string_append_c (s, '&');
          p += 5;
        }
      else
        g_string_append_c (s, *p++);
    }
  return g_string_free (s, FALSE);
}

static void
on_start_element (void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                  int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                  int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr ctxt = ctx;
  ParseState *st = ctxt->_private;
  MoaXmlNode *node;
  int line;

  if (st->failed)
    return;
  line = start_tag_line (ctxt);
  st->n_elements++;
  if (st->n_elements > MOA_MAX_ELEMENTS)
    {
      g_autofree char *msg
          = g_strdup_printf (_ ("%s:%d: more than %d elements: the file is too large"), st->name,
                             line, MOA_MAX_ELEMENTS);
      stop (st, MOA_PARSE_ERROR_TOO_LARGE, line, msg);
      return;
    }
  if (st->depth + 1 > MOA_MAX_DEPTH)
    {
      g_autofree char *msg
          = g_strdup_printf (_ ("%s:%d: <%s> is nested more than %d levels deep"), st->name, line,
                             (const char *)localname, MOA_MAX_DEPTH);
      stop (st, MOA_PARSE_ERROR_TOO_LARGE, line, msg);
      return;
    }

  node = g_new0 (MoaXmlNode, 1);
  node->name = g_strdup ((const char *)localname);
  node->line = line;
  node->attr_names = g_new0 (char *, nb_attributes + 1);
  node->attr_values = g_new0 (char *, nb_attributes + 1);
  for (int i = 0; i < nb_attributes; i++)
    {
      const xmlChar *const *a = attributes + 5 * i;
      /* A prefixed attribute keeps its prefix, so that a strict loader reports it as an
       * attribute of no known format. */
      node->attr_names[i] = a[1] != NULL
                                ? g_strdup_printf ("%s:%s", (const char *)a[1], (const char *)a[0])
                                : g_strdup ((const char *)a[0]);
      node->attr_values[i] = attr_value_dup (a[3], a[4]);
    }
  node->children = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_xml_node_free);

  if (st->current == NULL)
    st->root = node;
  else
    {
      node->parent = st->current;
      g_ptr_array_add (st->current->children, node);
      g_ptr_array_add (st->texts, st->text);
    }
  st->current = node;
  st->text = g_string_new (NULL);
  st->depth++;
}

static void
on_end_element (void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = ctx;
  ParseState *st = ctxt->_private;
  MoaXmlNode *node = st->current;

  if (st->failed || node == NULL)
    return;
  g_strstrip (st->text->str);
  st->text->len = strlen (st->text->str);
  node->text = st->text->len > 0 ? g_strdup (st->text->str) : NULL;
  g_string_free (st->text, TRUE);
  st->text = NULL;
  if (st->texts->len > 0)
    st->text = g_ptr_array_steal_index (st->texts, st->texts->len - 1);
  st->current = node->parent;
  st->depth--;
}

static void
on_characters (void *ctx, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = ctx;
  ParseState *st = ctxt->_private;

  if (st->failed || st->text == NULL)
    return;
  g_string_append_len (st->text, (const char *)ch, len);
}

/* Line of the "<!DOCTYPE" being read: the hooks run once libxml2 is past its name and
 * external id, which may be on later lines. */
static int
doctype_line (xmlParserCtxtPtr ctxt)
{
  static const char mark[] = "<!DOCTYPE";
  const gsize mark_len = sizeof mark - 1;
  const xmlChar *p, *base;
  int line;

  if (ctxt->input == NULL || ctxt->input->cur == NULL || ctxt->input->base == NULL)
    return 0;
  line = ctxt->input->line;
  base = ctxt->input->base;
  for (p = ctxt->input->cur; p > base;)
    {
      p--;
      if (*p == '\n')
        line--;
      else if (*p == '<' && (gsize)(ctxt->input->end - p) >= mark_len
               && memcmp (p, mark, mark_len) == 0)
        return line > 0 ? line : 1;
    }
  return ctxt->input->line;
}

static void
refuse_doctype (xmlParserCtxtPtr ctxt)
{
  ParseState *st = ctxt->_private;
  int line = doctype_line (ctxt);
  g_autofree char *msg = g_strdup_printf (
      _ ("%s:%d: a DOCTYPE is not allowed (entities are never expanded)"), st->name, line);

  stop (st, MOA_PARSE_ERROR_ENTITY, line, msg);
}

/* libxml2 calls this as soon as it has read "<!DOCTYPE NAME ...", before the internal subset
 * "[...]" where entities would be declared: stopping here means no entity is ever declared,
 * loaded or expanded. */
static void
on_internal_subset (void *ctx, const xmlChar *name, const xmlChar *external_id,
                    const xmlChar *system_id)
{
  refuse_doctype (ctx);
}

/* Never reached while on_internal_subset() stops the parser: a second line of defence. */
static void
on_entity_decl (void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                const xmlChar *system_id, xmlChar *content)
{
  refuse_doctype (ctx);
}

static void
on_external_subset (void *ctx, const xmlChar *name, const xmlChar *external_id,
                    const xmlChar *system_id)
{
  refuse_doctype (ctx);
}

static xmlParserInputPtr
on_resolve_entity (void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
  refuse_doctype (ctx);
  return NULL;
}

/* libxml2's errors for this parser: keep the first one, print nothing. */
static void
on_structured_error (void *data, xmlErrorPtr err)
{
  ParseState *st = data;
  g_autofree char *text = NULL;
  g_autofree char *msg = NULL;

  if (st == NULL || err == NULL || err->level < XML_ERR_ERROR || st->failed)
    return;
  text = g_strstrip (g_strdup (err->message != NULL ? err->message : "error"));
  /* Some messages run on over a second line ("...\nBytes: 0xFF"): keep one line. */
  g_strdelimit (text, "\r\n\t", ' ');
  if (err->line > 0)
    msg = g_strdup_printf ("%s:%d: %s", st->name, err->line, text);
  else
    msg = g_strdup_printf ("%s: %s", st->name, text);
  state_fail (st, MOA_PARSE_ERROR_MALFORMED, err->line, msg);
}

static void
on_sax_error (void *ctx, xmlErrorPtr err)
{
  xmlParserCtxtPtr ctxt = ctx;
  on_structured_error (ctxt->_private, err);
}

static void
silent_generic_error (void *ctx, const char *msg, ...)
{
}

/* Parses @len bytes of @data (see moa-xml.h). Returns the root element, owned by the caller
 * (moa_xml_node_free()), or NULL with @error set in MOA_PARSE_ERROR: TOO_LARGE, MALFORMED,
 * ENTITY. Prints nothing; safe to call from several threads at once. */
MoaXmlNode *
moa_xml_parse (const char *data, gsize len, const char *name, GError **error)
{
  ParseState st = { 0 };
  xmlParserCtxtPtr ctxt;
  xmlGenericErrorFunc old_generic;
  void *old_generic_ctx;
  xmlStructuredErrorFunc old_structured;
  void *old_structured_ctx;
  MoaXmlNode *root = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name == NULL)
    name = "(data)";
  if (len > MOA_MAX_FILE_SIZE)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_TOO_LARGE,
                   _ ("%s: the file has %llu bytes, more than the limit of %d"), name,
                   (unsigned long long)len, MOA_MAX_FILE_SIZE);
      return NULL;
    }

  if (len == 0)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_MALFORMED,
                   _ ("%s: the document is empty"), name);
      return NULL;
    }

  init_libxml_once ();

  ctxt = xmlCreateMemoryParserCtxt (data, (int)len);
  if (ctxt == NULL)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO,
                   _ ("%s: cannot create the XML parser"), name);
      return NULL;
    }
  st.ctxt = ctxt;
  st.name = name;
  st.texts = g_ptr_array_new ();
  ctxt->_private = &st;

  /* A SAX2 handler of our own: no tree, no DTD, no entities, no output. */
  memset (ctxt->sax, 0, sizeof (*ctxt->sax));
  xmlSAXVersion (ctxt->sax, 2);
  ctxt->sax->startElementNs = on_start_element;
  ctxt->sax->endElementNs = on_end_element;
  ctxt->sax->characters = on_characters;
  ctxt->sax->ignorableWhitespace = on_characters;
  ctxt->sax->cdataBlock = on_characters;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->externalSubset = on_external_subset;
  ctxt->sax->entityDecl = on_entity_decl;
  ctxt->sax->resolveEntity = on_resolve_entity;
  ctxt->sax->startDocument = NULL;
  ctxt->sax->endDocument = NULL;
  ctxt->sax->reference = NULL;
  ctxt->sax->comment = NULL;
  ctxt->sax->processingInstruction = NULL;
  ctxt->sax->elementDecl = NULL;
  ctxt->sax->attributeDecl = NULL;
  ctxt->sax->notationDecl = NULL;
  ctxt->sax->unparsedEntityDecl = NULL;
  ctxt->sax->warning = NULL;
  ctxt->sax->error = NULL;
  ctxt->sax->fatalError = NULL;
  ctxt->sax->serror = on_sax_error;

  xmlCtxtUseOptions (ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES
                               | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  /* Whatever the thread's libxml2 defaults say. */
  ctxt->replaceEntities = 0;
  ctxt->loadsubset = 0;
  ctxt->validate = 0;
  ctxt->pedantic = 0;
  ctxt->recovery = 0;

  /* Errors raised without the context (encoding, memory) go to the thread's handlers:
   * capture them too, and restore the caller's afterwards. libxml2's globals are per thread. */
  old_generic = xmlGenericError;
  old_generic_ctx = xmlGenericErrorContext;
  old_structured = xmlStructuredError;
  old_structured_ctx = xmlStructuredErrorContext;
  xmlSetGenericErrorFunc (NULL, silent_generic_error);
  xmlSetStructuredErrorFunc (&st, on_structured_error);

  xmlParseDocument (ctxt);

  xmlSetStructuredErrorFunc (old_structured_ctx, old_structured);
  xmlSetGenericErrorFunc (old_generic_ctx, old_generic);

  if (!st.failed && (!ctxt->wellFormed || st.root == NULL || st.current != NULL))
    {
      g_autofree char *msg = g_strdup_printf (_ ("%s: not a well-formed XML document"), name);
      state_fail (&st, MOA_PARSE_ERROR_MALFORMED, 0, msg);
    }

  if (ctxt->myDoc != NULL)
    xmlFreeDoc (ctxt->myDoc);
  ctxt->myDoc = NULL;
  ctxt->_private = NULL;
  xmlFreeParserCtxt (ctxt);

  if (st.failed)
    {
      g_set_error_literal (error, MOA_PARSE_ERROR, st.code, st.message);
      moa_xml_node_free (st.root);
    }
  else
    root = g_steal_pointer (&st.root);

  if (st.text != NULL)
    g_string_free (st.text, TRUE);
  for (guint i = 0; i < st.texts->len; i++)
    g_string_free (g_ptr_array_index (st.texts, i), TRUE);
  g_ptr_array_unref (st.texts);
  g_free (st.message);
  return root;
}

/* Reads the file at @path and parses it with moa_xml_parse(), @path naming it in messages.
 * A file over MOA_MAX_FILE_SIZE is refused from its size, before it is read. Returns the root
 * element (caller owns it) or NULL with @error set (MOA_PARSE_ERROR_IO when the file cannot be
 * read, with the path and the system's message). */
MoaXmlNode *
moa_xml_parse_file (const char *path, GError **error)
{
  GStatBuf sb;
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_stat (path, &sb) != 0)
    {
      int saved = errno;
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO, _ ("%s: %s"), path,
                   g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (sb.st_mode))
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO, _ ("%s: not a regular file"), path);
      return NULL;
    }
  if (sb.st_size > MOA_MAX_FILE_SIZE)
    {
      g_set_error (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_TOO_LARGE,
                   _ ("%s: the file has %llu bytes, more than the limit of %d"), path,
                   (unsigned long long)sb.st_size, MOA_MAX_FILE_SIZE);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error_literal (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO, local->message);
      return NULL;
    }
  /* moa_xml_parse() checks the size again: the file may have grown since g_stat(). */
  return moa_xml_parse (contents, len, path, error);
}
