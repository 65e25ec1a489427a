/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libxml2 seam: safe, bounded parsing of an XML file into a small GLib-typed tree.
 * No other file of the project includes <libxml/...>. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MoaXmlNode MoaXmlNode;
struct _MoaXmlNode
{
  char *name;          /* local element name */
  int line;            /* 1-based line of the start tag */
  char **attr_names;   /* NULL-terminated, document order */
  char **attr_values;  /* parallel to attr_names */
  char *text;          /* concatenated character data directly inside, NULL when none */
  GPtrArray *children; /* MoaXmlNode*, elements only, document order */
  MoaXmlNode *parent;
};

/* Parses @len bytes of @data; @name (the file name) is used in messages. Without network
 * access, without expanding or loading entities: a DOCTYPE is refused
 * (MOA_PARSE_ERROR_ENTITY). Bounded: MOA_MAX_FILE_SIZE bytes, MOA_MAX_DEPTH levels,
 * MOA_MAX_ELEMENTS elements (MOA_PARSE_ERROR_TOO_LARGE). Malformed XML gives
 * MOA_PARSE_ERROR_MALFORMED with "NAME:LINE: what libxml2 says". Returns the root element
 * (free with moa_xml_node_free()) or NULL with @error set. */
MoaXmlNode *
moa_xml_parse (const char *data, gsize len, const char *name,
               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Reads @path (refusing files over MOA_MAX_FILE_SIZE before reading them) and parses it. */
MoaXmlNode *
moa_xml_parse_file (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;

void
moa_xml_node_free (MoaXmlNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MoaXmlNode, moa_xml_node_free)

/* Value of attribute @name, or NULL (borrowed). */
const char *
moa_xml_node_get_attr (const MoaXmlNode *node, const char *name);

G_END_DECLS
