/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes the MoaProcedure model back in the procedure file format (docs/procedure-format.md). */

#include "moa-config.h"

#include <string.h>

#include "moa-procedure.h"
#include "moa-value.h"

/* An attribute that may carry per-segment overrides, in the order the format lists them. */
typedef struct
{
  const char *name;
  const MoaParam *param;
} NamedParam;

static void
indent (GString *out, int depth)
{
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static gboolean
is_set (const char *s)
{
  return s != NULL && *s != '\0';
}

/* Appends ` NAME="VALUE"` (escaped), or nothing when @value is NULL. */
static void
attr (GString *out, const char *name, const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;
  escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (out, " %s=\"%s\"", name, escaped);
}

static void
attr_value (GString *out, const char *name, const MoaValue *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return;
  text = moa_value_to_string (value);
  attr (out, name, text);
}

/* Appends `<NAME>TEXT</NAME>` on its own line, or nothing when @text is NULL or empty. */
static void
text_element (GString *out, int depth, const char *name, const char *text)
{
  g_autofree char *escaped = NULL;

  if (!is_set (text))
    return;
  escaped = g_markup_escape_text (text, -1);
  indent (out, depth);
  g_string_append_printf (out, "<%s>%s</%s>\n", name, escaped, name);
}

/* Italian first, as the format asks. */
static void
titles (GString *out, int depth, const MoaTitle *title)
{
  const char *langs[] = { "it", "en" };
  const char *texts[] = { title->it, title->en };

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autofree char *escaped = NULL;

      if (!is_set (texts[i]))
        continue;
      escaped = g_markup_escape_text (texts[i], -1);
      indent (out, depth);
      g_string_append_printf (out, "<title lang=\"%s\">%s</title>\n", langs[i], escaped);
    }
}

static gboolean
has_title (const MoaTitle *title)
{
  return is_set (title->it) || is_set (title->en);
}

static gboolean
has_overrides (const NamedParam *params, guint n)
{
  for (guint i = 0; i < n; i++)
    if (params[i].param->per_segment != NULL && params[i].param->per_segment->len > 0)
      return TRUE;
  return FALSE;
}

/* One <for segment="S" .../> per segment, attributes in the order of @params; segments in the
 * order they first appear. */
static void
overrides (GString *out, int depth, const NamedParam *params, guint n)
{
  g_autoptr (GPtrArray) segments = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      const GPtrArray *list = params[i].param->per_segment;

      for (guint j = 0; list != NULL && j < list->len; j++)
        {
          const MoaSegmentValue *sv = g_ptr_array_index (list, j);
          gboolean seen = FALSE;

          for (guint k = 0; k < segments->len && !seen; k++)
            seen = g_strcmp0 (g_ptr_array_index (segments, k), sv->segment) == 0;
          if (!seen && sv->segment != NULL)
            g_ptr_array_add (segments, sv->segment);
        }
    }

  for (guint k = 0; k < segments->len; k++)
    {
      const char *segment = g_ptr_array_index (segments, k);

      indent (out, depth);
      g_string_append (out, "<for");
      attr (out, "segment", segment);
      for (guint i = 0; i < n; i++)
        {
          const GPtrArray *list = params[i].param->per_segment;

          for (guint j = 0; list != NULL && j < list->len; j++)
            {
              const MoaSegmentValue *sv = g_ptr_array_index (list, j);

              if (g_strcmp0 (sv->segment, segment) == 0)
                {
                  if (sv->value != NULL)
                    attr_value (out, params[i].name, sv->value);
                  else
                    attr (out, params[i].name, sv->profile);
                  break;
                }
            }
        }
      g_string_append (out, "/>\n");
    }
}

/* Closes a start tag: "/>" when there is no content, else ">" (the caller writes the content
 * and the end tag). */
static void
open_end (GString *out, gboolean empty)
{
  g_string_append (out, empty ? "/>\n" : ">\n");
}

static void
close_tag (GString *out, int depth, const char *name)
{
  indent (out, depth);
  g_string_append_printf (out, "</%s>\n", name);
}

static void
write_segment (GString *out, int depth, const MoaSegment *segment)
{
  gboolean empty = !has_title (&segment->title);

  indent (out, depth);
  g_string_append (out, "<segment");
  attr (out, "id", segment->id);
  attr_value (out, "population", segment->population);
  open_end (out, empty);
  if (empty)
    return;
  titles (out, depth + 1, &segment->title);
  close_tag (out, depth, "segment");
}

static void
write_target_group (GString *out, int depth, const MoaTargetGroup *group)
{
  const MoaSegment *implicit = NULL;
  gboolean empty;

  if (group->segments != NULL && group->segments->len == 1)
    {
      const MoaSegment *only = g_ptr_array_index (group->segments, 0);

      if (only->implicit)
        implicit = only;
    }
  empty = !has_title (&group->title)
          && (implicit != NULL || group->segments == NULL || group->segments->len == 0);

  indent (out, depth);
  g_string_append (out, "<target-group");
  attr (out, "id", group->id);
  attr (out, "kind", moa_target_kind_to_string (group->kind));
  if (implicit != NULL)
    attr_value (out, "population", implicit->population);
  open_end (out, empty);
  if (empty)
    return;
  titles (out, depth + 1, &group->title);
  for (guint i = 0; implicit == NULL && group->segments != NULL && i < group->segments->len; i++)
    write_segment (out, depth + 1, g_ptr_array_index (group->segments, i));
  close_tag (out, depth, "target-group");
}

static void
write_branch (GString *out, int depth, const MoaNode *node, const MoaBranch *branch)
{
  const NamedParam params[] = { { "probability", &branch->probability } };
  gboolean is_xor = node->kind == MOA_NODE_XOR;
  gboolean empty = !is_xor || !has_overrides (params, G_N_ELEMENTS (params));

  indent (out, depth);
  g_string_append (out, "<branch");
  attr (out, "to", branch->to);
  if (is_xor)
    {
      attr_value (out, "probability", branch->probability.value);
      if (branch->is_default)
        attr (out, "default", "true");
    }
  open_end (out, empty);
  if (empty)
    return;
  overrides (out, depth + 1, params, G_N_ELEMENTS (params));
  close_tag (out, depth, "branch");
}

static void
write_node (GString *out, int depth, const MoaNode *node)
{
  const char *name = moa_node_kind_to_string (node->kind);
  const NamedParam params[] = {
    { "time", &node->time },
    { "tariff", &node->tariff },
    { "fee", &node->fee },
    { "acquisitions", &node->acquisitions },
    { "out-of-pocket", &node->out_of_pocket },
    { "bau", &node->bau },
  };
  gboolean activity = node->kind == MOA_NODE_ACTIVITY;
  gboolean gateway = node->kind == MOA_NODE_XOR || node->kind == MOA_NODE_AND_SPLIT;
  gboolean empty = !has_title (&node->title)
                   && !(activity
                        && (is_set (node->note) || is_set (node->source)
                            || has_overrides (params, G_N_ELEMENTS (params))))
                   && !(gateway && node->branches != NULL && node->branches->len > 0);

  indent (out, depth);
  g_string_append_printf (out, "<%s", name);
  attr (out, "id", node->id);
  if (activity)
    {
      g_autofree char *tags
          = node->tags != NULL && node->tags[0] != NULL ? g_strjoinv (" ", node->tags) : NULL;

      attr (out, "performer", node->performer);
      attr (out, "standard", node->standard);
      if (node->standard != NULL)
        attr (out, "complexity", moa_complexity_to_string (node->complexity));
      attr_value (out, "time", node->time.value);
      if (node->tariff.value != NULL)
        attr_value (out, "tariff", node->tariff.value);
      else
        attr (out, "tariff", node->tariff_profile);
      attr_value (out, "fee", node->fee.value);
      attr_value (out, "acquisitions", node->acquisitions.value);
      attr_value (out, "out-of-pocket", node->out_of_pocket.value);
      attr_value (out, "bau", node->bau.value);
      attr (out, "tags", tags);
    }
  if (node->kind == MOA_NODE_START || node->kind == MOA_NODE_ACTIVITY
      || node->kind == MOA_NODE_AND_JOIN)
    attr (out, "next", node->next);
  open_end (out, empty);
  if (empty)
    return;

  titles (out, depth + 1, &node->title);
  if (activity)
    {
      text_element (out, depth + 1, "note", node->note);
      text_element (out, depth + 1, "source", node->source);
      overrides (out, depth + 1, params, G_N_ELEMENTS (params));
    }
  for (guint i = 0; gateway && node->branches != NULL && i < node->branches->len; i++)
    write_branch (out, depth + 1, node, g_ptr_array_index (node->branches, i));
  close_tag (out, depth, name);
}

static void
write_obligation (GString *out, int depth, const MoaObligation *obligation)
{
  const NamedParam params[] = {
    { "frequency", &obligation->frequency },
    { "cases", &obligation->cases },
    { "compliance", &obligation->compliance },
  };
  g_autofree char *groups
      = obligation->target_groups != NULL ? g_strjoinv (" ", obligation->target_groups) : NULL;

  indent (out, depth);
  g_string_append (out, "<obligation");
  attr (out, "id", obligation->id);
  attr (out, "target-groups", groups);
  attr (out, "type", obligation->type);
  attr (out, "origin", obligation->origin);
  if (obligation->one_off)
    attr (out, "recurrence", "one-off");
  attr_value (out, "frequency", obligation->frequency.value);
  attr_value (out, "cases", obligation->cases.value);
  attr_value (out, "compliance", obligation->compliance.value);
  g_string_append (out, ">\n");

  titles (out, depth + 1, &obligation->title);
  text_element (out, depth + 1, "legal-reference", obligation->legal_reference);
  text_element (out, depth + 1, "note", obligation->note);
  text_element (out, depth + 1, "source", obligation->source);
  overrides (out, depth + 1, params, G_N_ELEMENTS (params));

  indent (out, depth + 1);
  g_string_append (out, "<workflow>\n");
  for (guint i = 0; obligation->nodes != NULL && i < obligation->nodes->len; i++)
    write_node (out, depth + 2, g_ptr_array_index (obligation->nodes, i));
  close_tag (out, depth + 1, "workflow");
  close_tag (out, depth, "obligation");
}

/* Returns @procedure in the procedure file format, version 1 (newly allocated UTF-8 text; free
 * with g_free()): an XML declaration, two-space indentation, attributes in the order of
 * docs/procedure-format.md, per-segment overrides as one <for segment> per segment and element,
 * implicit segments as population on their target group. Loading the text gives a procedure
 * equal to @procedure (moa_procedure_equal()), and writing that again gives the same text. */
char *
moa_procedure_to_xml (const MoaProcedure *procedure)
{
  g_autofree char *year = NULL;
  GString *out;

  g_return_val_if_fail (procedure != NULL, NULL);

  out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  if (procedure->price_year != 0)
    year = g_strdup_printf ("%d", procedure->price_year);

  g_string_append (out, "<procedure");
  attr (out, "format", "1");
  attr (out, "id", procedure->id);
  attr (out, "cost-model", procedure->cost_model);
  attr (out, "price-year", year);
  attr (out, "currency", procedure->currency);
  g_string_append (out, ">\n");

  titles (out, 1, &procedure->title);
  text_element (out, 1, "area", procedure->area);
  text_element (out, 1, "authority", procedure->authority);
  text_element (out, 1, "legal-basis", procedure->legal_basis);
  text_element (out, 1, "note", procedure->note);
  text_element (out, 1, "source", procedure->source);

  indent (out, 1);
  g_string_append (out, "<target-groups>\n");
  for (guint i = 0; procedure->target_groups != NULL && i < procedure->target_groups->len; i++)
    write_target_group (out, 2, g_ptr_array_index (procedure->target_groups, i));
  close_tag (out, 1, "target-groups");

  for (guint i = 0; procedure->obligations != NULL && i < procedure->obligations->len; i++)
    write_obligation (out, 1, g_ptr_array_index (procedure->obligations, i));

  g_string_append (out, "</procedure>\n");
  return g_string_free (out, FALSE);
}

/* Writes moa_procedure_to_xml() of @procedure to @path atomically (a temporary file renamed
 * over @path, so a failure leaves any previous file whole). Returns FALSE with @error set (in
 * G_FILE_ERROR) when the file cannot be written. */
gboolean
moa_procedure_save (const MoaProcedure *procedure, const char *path, GError **error)
{
  g_autofree char *xml = NULL;

  g_return_val_if_fail (procedure != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  xml = moa_procedure_to_xml (procedure);
  return g_file_set_contents (path, xml, -1, error);
}
