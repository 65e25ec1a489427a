/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Private helpers shared by the file loaders (procedures, cost models): strict checks of
 * MoaXmlNode trees that append one MoaProblem per fault, naming file, line and element. */
#pragma once

#include <glib.h>

#include "moa-error.h"
#include "moa-procedure.h"
#include "moa-value.h"
#include "moa-xml.h"

G_BEGIN_DECLS

/* Where the helpers report: @file is the name used in messages (as given by the caller, may
 * be NULL), @problems a GPtrArray of MoaProblem* (from moa_problems_new(), never NULL). A
 * loader that was given problems == NULL makes its own array and fills this in. */
typedef struct
{
  const char *file;
  GPtrArray *problems;
} MoaXmlCtx;

/* TRUE when @id matches [A-Za-z0-9][A-Za-z0-9._-]* (docs/procedure-format.md, Identifiers). */
gboolean
moa_xml_id_is_valid (const char *id);

/* Appends a MOA_PARSE_ERROR problem about @node: its line, and as element label
 * `NAME "ID"` when the node has an id attribute, else `<NAME> in PARENT-NAME "PARENT-ID"`
 * (the nearest ancestor with an id) or `<NAME>`. The problem's element field is the id (or the
 * name when there is none). @format is already translated by the caller. Returns the problem
 * (borrowed). */
MoaProblem *
moa_xml_problem (MoaXmlCtx *ctx, const MoaXmlNode *node, int code, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

/* Same as moa_xml_problem() in another error domain (e.g. MOA_VALIDATION_ERROR for a
 * reference to an id that does not exist). */
MoaProblem *
moa_xml_problem_full (MoaXmlCtx *ctx, const MoaXmlNode *node, GQuark domain, int code,
                      const char *format, ...) G_GNUC_PRINTF (5, 6);

/* Appends the failure of moa_xml_parse()/moa_xml_parse_file() (@error, named after
 * ctx->file) as a problem: same domain, code and message (which already reads
 * "FILE:LINE: ..."), with the problem's file set to ctx->file and its line taken from the
 * message (0 when it has none: I/O errors, size). Returns the problem (borrowed). */
MoaProblem *
moa_xml_problem_from_error (MoaXmlCtx *ctx, const GError *error);

/* Checks that every attribute of @node is in @allowed (NULL-terminated); appends one
 * UNKNOWN_ATTRIBUTE problem per other attribute. Returns TRUE when there was none. */
gboolean
moa_xml_check_attrs (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *const *allowed);

/* Appends an UNKNOWN_ELEMENT problem for @child ("unknown element <NAME> in <PARENT>"), adding
 * "expected EXPECTED" when @expected (a human-readable list, e.g. "<title>, <times>") is not
 * NULL. */
void
moa_xml_unknown_element (MoaXmlCtx *ctx, const MoaXmlNode *child, const char *expected);

/* Reports every child element of @node as unknown (for elements that must be empty).
 * Returns TRUE when @node has no child element. */
gboolean
moa_xml_check_no_children (MoaXmlCtx *ctx, const MoaXmlNode *node);

/* Returns attribute @name of @node (borrowed), or NULL after appending a MISSING_ATTRIBUTE
 * problem when it is absent. */
const char *
moa_xml_require_attr (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name);

/* Returns the id in attribute @name of @node (borrowed; @name is usually "id"). When it is
 * absent (MISSING_ATTRIBUTE) or not a valid id (BAD_ID) a problem is appended and NULL is
 * returned. */
const char *
moa_xml_get_id (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name);

/* For attributes that refer to ids (next, to, standard, ...): when attribute @name is present,
 * checks its syntax (BAD_ID problem). Returns the value (borrowed) or NULL when absent or bad;
 * @ok (may be NULL) is set to FALSE when a problem was appended, else left untouched. */
const char *
moa_xml_get_ref (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, gboolean *ok);

/* Records @id of @node in @seen (a hash table made by the caller with g_str_hash/g_str_equal
 * and no free functions; keys and values are borrowed from the tree: the table must not
 * outlive it). When @id is already there appends a DUPLICATE_ID problem naming the line of the
 * first use, and returns FALSE. */
gboolean
moa_xml_register_id (MoaXmlCtx *ctx, GHashTable *seen, const MoaXmlNode *node, const char *id);

/* Parses attribute @name of @node as a value of dimension @dim. Sets *@value to a new value
 * (caller owns it), or to NULL when the attribute is absent. Returns FALSE after appending a
 * problem when the text does not parse (the problem carries moa_value_parse()'s code and
 * message, which quotes the text, prefixed with `NAME: `) or when @required and the attribute is
 * absent (MISSING_ATTRIBUTE). */
gboolean
moa_xml_get_value (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, MoaDimension dim,
                   gboolean required, MoaValue **value);

/* Parses attribute @name as "true" or "false"; *@out = @default_value when absent. Returns
 * FALSE after appending a BAD_ENUM problem for any other text (then *@out is untouched). */
gboolean
moa_xml_get_bool (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, gboolean default_value,
                  gboolean *out);

/* Parses attribute @name as one of @allowed (NULL-terminated); *@out = its index, or -1 when
 * absent. Returns FALSE after appending a problem when absent and @required
 * (MISSING_ATTRIBUTE) or not in the list (BAD_ENUM, the message lists the allowed words). */
gboolean
moa_xml_get_enum (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name,
                  const char *const *allowed, gboolean required, int *out);

/* Parses attribute @name as a decimal integer in [@min, @max]; *@out untouched when absent.
 * Returns FALSE after appending a problem when absent and @required (MISSING_ATTRIBUTE), not
 * an integer (BAD_NUMBER) or out of bounds (OUT_OF_RANGE). */
gboolean
moa_xml_get_int (MoaXmlCtx *ctx, const MoaXmlNode *node, const char *name, gboolean required,
                 gint64 min, gint64 max, gint64 *out);

/* Reads a <title lang="it|en">TEXT</title> element @node into @title (the text is copied).
 * Appends problems for: attributes other than lang, missing lang (MISSING_ATTRIBUTE), a lang
 * other than it/en (BAD_ENUM), child elements (UNKNOWN_ELEMENT), an empty title
 * (MISSING_ELEMENT), a second title in the same language (DUPLICATE_ID). Returns TRUE when
 * there was no problem. */
gboolean
moa_xml_read_title (MoaXmlCtx *ctx, const MoaXmlNode *node, MoaTitle *title);

/* Reads a text-only element (<note>, <source>, ...): reports any attribute and child element,
 * and returns a copy of its trimmed text (NULL when empty). A second occurrence of the same
 * element is the caller's business. */
char *
moa_xml_read_text (MoaXmlCtx *ctx, const MoaXmlNode *node) G_GNUC_WARN_UNUSED_RESULT;

/* TRUE when @text is NULL or holds only ASCII white space. */
gboolean
moa_xml_text_is_blank (const char *text);

/* For structural elements, which hold elements only: appends an UNKNOWN_ELEMENT problem quoting
 * the (trimmed) text of @node when it has any other than white space. */
void
moa_xml_check_no_text (MoaXmlCtx *ctx, const MoaXmlNode *node);

/* For elements that may appear at most once in their parent: when *@first is NULL, sets it to
 * @child and returns TRUE; else appends an UNKNOWN_ELEMENT problem about @child naming the line
 * of *@first, and returns FALSE (*@first untouched). */
gboolean
moa_xml_first_of_its_kind (MoaXmlCtx *ctx, const MoaXmlNode **first, const MoaXmlNode *child);

/* Reads the text-only element @child, which may appear once (see moa_xml_first_of_its_kind()),
 * into *@field (as moa_xml_read_text() does, replacing no previous value: *@field is set only
 * for the first one). A second one is reported, and what is wrong inside it too. */
void
moa_xml_read_text_once (MoaXmlCtx *ctx, const MoaXmlNode **first, const MoaXmlNode *child,
                        char **field);

/* TRUE when @text (not NULL) is evidently meant as a number, so that a tariff that fails to
 * parse is reported as a bad value rather than taken as a tariff profile id: it holds a
 * parenthesis or white space, or is a bare number such as "35". */
gboolean
moa_xml_looks_like_value (const char *text);

/* Checks the root element of a file being loaded, in this order, and stops at the first fault
 * with one problem: @root is NULL (@parse_error, the parser's failure, appended as
 * moa_xml_problem_from_error() does); its name is not @name (WRONG_ROOT at the root's line, no
 * element, the message @wrong_root: a translated format whose one directive %s takes the root's
 * name); it has no format attribute (MISSING_ATTRIBUTE) or a format other than "1" (BAD_ENUM: a
 * later format may change anything, so nothing more is worth reporting). Returns TRUE when the
 * root is a format 1 <@name>. */
gboolean
moa_xml_check_root (MoaXmlCtx *ctx, const MoaXmlNode *root, const GError *parse_error,
                    const char *name, const char *wrong_root);

G_END_DECLS
