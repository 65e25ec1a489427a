/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Strict loader of procedure files (docs/procedure-format.md) into the MoaProcedure model. */

#include "moa-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-error.h"
#include "moa-procedure-reader-private.h"
#include "moa-procedure.h"
#include "moa-value.h"
#include "moa-xml-util.h"
#include "moa-xml.h"

/* docs/procedure-format.md, <procedure>: the areas. */
static const char *const area_names[]
    = { "edilizia",   "commercio",           "agricoltura", "ambiente", "sociale",   "anagrafe",
        "istruzione", "attivita-produttive", "fiscale",     "sanita",   "trasporti", "altro",
        NULL };
static const char *const kind_names[] = { "citizen", "business", "administration", NULL };
static const char *const complexity_names[] = { "simple", "medium", "high", NULL };
static const char *const origin_names[] = { "eu", "national", "regional", "local", NULL };
static const char *const recurrence_names[] = { "recurring", "one-off", NULL };
/* docs/procedure-format.md, <activity> tags. */
static const char *const tag_names[]
    = { "travel",     "queueing",        "obtain-document", "payment", "submission",
        "form",       "familiarisation", "archiving",       "meeting", "inspection",
        "correction", "consultancy",     "other",           NULL };

/* Attributes of each element, in the format's order (also the order of "expected one of"). */
static const char *const procedure_attrs[]
    = { "format", "id", "cost-model", "price-year", "currency", NULL };
static const char *const no_attrs[] = { NULL };
static const char *const target_group_attrs[] = { "id", "kind", "population", NULL };
static const char *const segment_attrs[] = { "id", "population", NULL };
static const char *const obligation_attrs[]
    = { "id",        "target-groups", "type",       "origin", "recurrence",
        "frequency", "cases",         "compliance", NULL };
static const char *const start_attrs[] = { "id", "next", NULL };
static const char *const end_attrs[] = { "id", NULL };
static const char *const activity_attrs[]
    = { "id",           "performer",     "standard", "complexity", "time", "tariff", "fee",
        "acquisitions", "out-of-pocket", "bau",      "tags",       "next", NULL };
static const char *const xor_attrs[] = { "id", NULL };
static const char *const and_join_attrs[] = { "id", "next", NULL };
static const char *const xor_branch_attrs[] = { "to", "probability", "default", NULL };
static const char *const and_branch_attrs[] = { "to", NULL };

typedef struct
{
  MoaXmlCtx ctx;
  MoaProcedure *procedure;
  GHashTable *ids; /* the procedure's namespace: groups, segments, obligations (borrowed) */
} Reader;

/* What an obligation's <for> elements may name. */
typedef struct
{
  const char *names;    /* "a, b, c", for messages */
  GHashTable *segments; /* segment ids of the addressee groups (borrowed); NULL: not checked */
} SegmentScope;

/* An attribute that a <for> element may override. */
typedef struct
{
  const char *name;
  MoaDimension dim;
  MoaParam *param;
  const char *conflict; /* when not NULL, overriding it is a CONFLICT with this explanation */
} Slot;

static gboolean
in_list (const char *const *list, const char *s)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strcmp (list[i], s) == 0)
      return TRUE;
  return FALSE;
}

static char *
join_list (const char *const *list)
{
  return g_strjoinv (", ", (char **)list);
}

/* The label moa_xml_problem() gives an element, for problems in the validation domain. */
static char *
node_label (const MoaXmlNode *node, const char **element)
{
  const char *id = moa_xml_node_get_attr (node, "id");

  if (id != NULL && *id != '\0')
    {
      *element = id;
      return g_strdup_printf ("%s \"%s\"", node->name, id);
    }
  *element = node->name;
  for (const MoaXmlNode *p = node->parent; p != NULL; p = p->parent)
    {
      const char *pid = moa_xml_node_get_attr (p, "id");

      if (pid != NULL && *pid != '\0')
        return g_strdup_printf ("<%s> in %s \"%s\"", node->name, p->name, pid);
    }
  return g_strdup_printf ("<%s>", node->name);
}

static void
validation_problem (Reader *r, const MoaXmlNode *node, int code, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

static void
validation_problem (Reader *r, const MoaXmlNode *node, int code, const char *format, ...)
{
  const char *element = NULL;
  g_autofree char *label = node_label (node, &element);
  g_autofree char *text = NULL;
  MoaProblem *problem;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  problem = moa_problems_add (r->ctx.problems, MOA_VALIDATION_ERROR, code, r->ctx.file, node->line,
                              label, "%s", text);
  /* The message names the element by its label; the field holds the bare id. */
  g_free (problem->element);
  problem->element = g_strdup (element);
}

static GPtrArray *
segment_values_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)moa_segment_value_free);
}

static MoaSegmentValue *
param_find_override (const MoaParam *param, const char *segment)
{
  for (guint i = 0; param->per_segment != NULL && i < param->per_segment->len; i++)
    {
      MoaSegmentValue *sv = g_ptr_array_index (param->per_segment, i);

      if (strcmp (sv->segment, segment) == 0)
        return sv;
    }
  return NULL;
}

/* Checks the segment of a <for> against the obligation's addressee groups. */
static gboolean
check_segment (Reader *r, const SegmentScope *scope, const MoaXmlNode *node, const char *segment)
{
  if (scope->segments == NULL || g_hash_table_contains (scope->segments, segment))
    return TRUE;
  if (moa_procedure_get_segment (r->procedure, segment) != NULL)
    validation_problem (r, node, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT,
                        _ ("segment \"%s\" is not a segment of the obligation's target groups "
                           "(expected one of: %s)"),
                        segment, scope->names);
  else
    validation_problem (r, node, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT,
                        _ ("unknown segment \"%s\" (expected one of: %s)"), segment, scope->names);
  return FALSE;
}

/* Reads one <for segment="S" .../> child into the overrides of @slots. */
static void
read_for (Reader *r, const SegmentScope *scope, const MoaXmlNode *node, const Slot *slots,
          guint n_slots)
{
  g_autofree const char **allowed = g_new0 (const char *, n_slots + 2);
  g_autofree char *names = NULL;
  const char *segment;
  gboolean any = FALSE;

  allowed[0] = "segment";
  for (guint i = 0; i < n_slots; i++)
    allowed[i + 1] = slots[i].name;
  names = g_strjoinv (", ", (char **)allowed + 1);

  moa_xml_check_attrs (&r->ctx, node, allowed);
  moa_xml_check_no_children (&r->ctx, node);
  moa_xml_check_no_text (&r->ctx, node);
  segment = moa_xml_get_id (&r->ctx, node, "segment");
  if (segment != NULL && !check_segment (r, scope, node, segment))
    segment = NULL;

  for (guint i = 0; i < n_slots; i++)
    {
      const Slot *slot = &slots[i];
      const char *text = moa_xml_node_get_attr (node, slot->name);
      g_autoptr (MoaValue) value = NULL;
      MoaSegmentValue *previous;

      if (text == NULL)
        continue;
      any = TRUE;
      if (slot->conflict != NULL)
        {
          moa_xml_problem (&r->ctx, node, MOA_PARSE_ERROR_CONFLICT, "%s", slot->conflict);
          continue;
        }

      g_autofree char *profile = NULL;
      if (strcmp (slot->name, "tariff") == 0)
        {
          /* an explicit rate, else the id of a tariff profile, as on the activity */
          value = moa_value_parse (text, MOA_DIM_RATE, NULL);
          if (value == NULL && !moa_xml_looks_like_value (text) && moa_xml_id_is_valid (text))
            profile = g_strdup (text);
        }
      if (value == NULL && profile == NULL
          && !moa_xml_get_value (&r->ctx, node, slot->name, slot->dim, FALSE, &value))
        continue;
      if (segment == NULL || (value == NULL && profile == NULL))
        continue;

      previous = param_find_override (slot->param, segment);
      if (previous != NULL)
        {
          moa_xml_problem (&r->ctx, node, MOA_PARSE_ERROR_CONFLICT,
                           _ ("%s for segment \"%s\" is already given on line %d"), slot->name,
                           segment, previous->line);
          continue;
        }
      if (slot->param->per_segment == NULL)
        slot->param->per_segment = segment_values_new ();
      {
        MoaSegmentValue *sv = g_new0 (MoaSegmentValue, 1);

        sv->segment = g_strdup (segment);
        sv->value = g_steal_pointer (&value);
        sv->profile = g_steal_pointer (&profile);
        sv->line = node->line;
        g_ptr_array_add (slot->param->per_segment, sv);
      }
    }

  if (!any)
    moa_xml_problem (&r->ctx, node, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("nothing to override (expected at least one of: %s)"), names);
}

/* ---------------------------------------------------------------------------------------- */
/* Target groups */

static MoaSegment *
read_segment (Reader *r, const MoaXmlNode *node)
{
  g_autoptr (MoaValue) population = NULL;
  MoaSegment *segment;
  const char *id;

  moa_xml_check_attrs (&r->ctx, node, segment_attrs);
  moa_xml_check_no_text (&r->ctx, node);
  id = moa_xml_get_id (&r->ctx, node, "id");
  if (id != NULL)
    moa_xml_register_id (&r->ctx, r->ids, node, id);
  moa_xml_get_value (&r->ctx, node, "population", MOA_DIM_COUNT, TRUE, &population);

  segment = g_new0 (MoaSegment, 1);
  segment->id = g_strdup (id);
  segment->line = node->line;
  segment->population = g_steal_pointer (&population);

  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (node->children, i);

      if (strcmp (child->name, "title") == 0)
        moa_xml_read_title (&r->ctx, child, &segment->title);
      else
        moa_xml_unknown_element (&r->ctx, child, "<title>");
    }
  return segment;
}

static void
read_target_group (Reader *r, const MoaXmlNode *node)
{
  g_autoptr (MoaValue) population = NULL;
  MoaTargetGroup *group;
  const char *id;
  int kind = -1;

  moa_xml_check_attrs (&r->ctx, node, target_group_attrs);
  moa_xml_check_no_text (&r->ctx, node);
  id = moa_xml_get_id (&r->ctx, node, "id");
  if (id != NULL)
    moa_xml_register_id (&r->ctx, r->ids, node, id);
  moa_xml_get_enum (&r->ctx, node, "kind", kind_names, TRUE, &kind);
  moa_xml_get_value (&r->ctx, node, "population", MOA_DIM_COUNT, FALSE, &population);

  group = g_new0 (MoaTargetGroup, 1);
  group->id = g_strdup (id);
  group->line = node->line;
  group->kind = kind >= 0 ? (MoaTargetKind)kind : MOA_TARGET_CITIZEN;
  group->segments = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_segment_free);
  g_ptr_array_add (r->procedure->target_groups, group);

  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (node->children, i);

      if (strcmp (child->name, "title") == 0)
        moa_xml_read_title (&r->ctx, child, &group->title);
      else if (strcmp (child->name, "segment") == 0)
        g_ptr_array_add (group->segments, read_segment (r, child));
      else
        moa_xml_unknown_element (&r->ctx, child, "<title>, <segment>");
    }

  if (moa_xml_node_get_attr (node, "population") != NULL && group->segments->len > 0)
    moa_xml_problem (&r->ctx, node, MOA_PARSE_ERROR_CONFLICT,
                     _ ("population and <segment> elements exclude each other (population "
                        "makes one implicit segment; with segments, give each its "
                        "population)"));
  else if (moa_xml_node_get_attr (node, "population") != NULL)
    {
      MoaSegment *segment = g_new0 (MoaSegment, 1);

      segment->id = g_strdup (id);
      segment->line = node->line;
      segment->population = g_steal_pointer (&population);
      segment->implicit = TRUE;
      g_ptr_array_add (group->segments, segment);
    }
  else if (group->segments->len == 0)
    moa_xml_problem (&r->ctx, node, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("no population (expected a population attribute or <segment> "
                        "elements)"));
}

static void
read_target_groups (Reader *r, const MoaXmlNode *node)
{
  guint n = 0;

  moa_xml_check_attrs (&r->ctx, node, no_attrs);
  moa_xml_check_no_text (&r->ctx, node);
  for (guint i = 0; node->children != NULL && i < node->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (node->children, i);

      if (strcmp (child->name, "target-group") == 0)
        {
          read_target_group (r, child);
          n++;
        }
      else
        moa_xml_unknown_element (&r->ctx, child, "<target-group>");
    }
  if (n == 0)
    moa_xml_problem (&r->ctx, node, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <target-group> (expected at least one)"));
}

/* ---------------------------------------------------------------------------------------- */
/* Workflows */

static MoaNode *
node_new (const MoaXmlNode *xml, MoaNodeKind kind, const char *id)
{
  MoaNode *node = g_new0 (MoaNode, 1);

  node->kind = kind;
  node->id = g_strdup (id);
  node->line = xml->line;
  node->complexity = MOA_COMPLEXITY_NONE;
  return node;
}

/* Reads the <title> children of a node other than an activity; anything else is unknown. */
static void
read_node_titles (Reader *r, const MoaXmlNode *xml, MoaNode *node)
{
  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);

      if (strcmp (child->name, "title") == 0)
        moa_xml_read_title (&r->ctx, child, &node->title);
      else
        moa_xml_unknown_element (&r->ctx, child, "<title>");
    }
}

static void
read_activity (Reader *r, const SegmentScope *scope, const MoaXmlNode *xml, MoaNode *node)
{
  const MoaXmlNode *note = NULL, *source = NULL;
  const char *tariff = moa_xml_node_get_attr (xml, "tariff");
  const char *tags = moa_xml_node_get_attr (xml, "tags");
  int complexity = -1;

  node->next = g_strdup (moa_xml_get_ref (&r->ctx, xml, "next", NULL));
  if (moa_xml_node_get_attr (xml, "next") == NULL)
    moa_xml_require_attr (&r->ctx, xml, "next");
  node->performer = g_strdup (moa_xml_get_ref (&r->ctx, xml, "performer", NULL));
  node->standard = g_strdup (moa_xml_get_ref (&r->ctx, xml, "standard", NULL));
  if (moa_xml_get_enum (&r->ctx, xml, "complexity", complexity_names, FALSE, &complexity)
      && complexity >= 0)
    node->complexity = (MoaComplexity)complexity;
  if (moa_xml_node_get_attr (xml, "standard") != NULL
      && moa_xml_node_get_attr (xml, "complexity") == NULL)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("standard=\"%s\" without complexity (expected complexity=\"simple\", "
                        "\"medium\" or \"high\")"),
                     moa_xml_node_get_attr (xml, "standard"));
  else if (moa_xml_node_get_attr (xml, "standard") == NULL
           && moa_xml_node_get_attr (xml, "complexity") != NULL)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("complexity without standard (complexity chooses the time of a "
                        "standard activity of the cost model)"));

  moa_xml_get_value (&r->ctx, xml, "time", MOA_DIM_TIME, FALSE, &node->time.value);
  if (tariff != NULL)
    {
      /* An explicit rate, else the id of a tariff profile of the cost model. */
      node->tariff.value = moa_value_parse (tariff, MOA_DIM_RATE, NULL);
      if (node->tariff.value == NULL)
        {
          if (!moa_xml_looks_like_value (tariff) && moa_xml_id_is_valid (tariff))
            node->tariff_profile = g_strdup (tariff);
          else
            moa_xml_get_value (&r->ctx, xml, "tariff", MOA_DIM_RATE, FALSE, &node->tariff.value);
        }
    }
  moa_xml_get_value (&r->ctx, xml, "fee", MOA_DIM_MONEY, FALSE, &node->fee.value);
  moa_xml_get_value (&r->ctx, xml, "acquisitions", MOA_DIM_MONEY, FALSE, &node->acquisitions.value);
  moa_xml_get_value (&r->ctx, xml, "out-of-pocket", MOA_DIM_MONEY, FALSE,
                     &node->out_of_pocket.value);
  moa_xml_get_value (&r->ctx, xml, "bau", MOA_DIM_FRACTION, FALSE, &node->bau.value);

  if (tags != NULL)
    {
      g_auto (GStrv) words = g_strsplit_set (tags, " \t\n\r", -1);
      g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *expected = join_list (tag_names);

      for (guint i = 0; words[i] != NULL; i++)
        {
          if (words[i][0] == '\0')
            continue;
          if (!in_list (tag_names, words[i]))
            moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_BAD_ENUM,
                             _ ("unknown tag \"%s\" (expected some of: %s)"), words[i], expected);
          g_ptr_array_add (kept, g_strdup (words[i]));
        }
      if (kept->len > 0)
        {
          g_ptr_array_add (kept, NULL);
          node->tags = (char **)g_ptr_array_free (g_steal_pointer (&kept), FALSE);
        }
    }

  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);

      if (strcmp (child->name, "title") == 0)
        moa_xml_read_title (&r->ctx, child, &node->title);
      else if (strcmp (child->name, "note") == 0)
        moa_xml_read_text_once (&r->ctx, &note, child, &node->note);
      else if (strcmp (child->name, "source") == 0)
        moa_xml_read_text_once (&r->ctx, &source, child, &node->source);
      else if (strcmp (child->name, "for") == 0)
        {
          const Slot slots[] = {
            { "time", MOA_DIM_TIME, &node->time, NULL },
            { "tariff", MOA_DIM_RATE, &node->tariff, NULL },
            { "fee", MOA_DIM_MONEY, &node->fee, NULL },
            { "acquisitions", MOA_DIM_MONEY, &node->acquisitions, NULL },
            { "out-of-pocket", MOA_DIM_MONEY, &node->out_of_pocket, NULL },
            { "bau", MOA_DIM_FRACTION, &node->bau, NULL },
          };

          read_for (r, scope, child, slots, G_N_ELEMENTS (slots));
        }
      else
        moa_xml_unknown_element (&r->ctx, child, "<title>, <note>, <source>, <for>");
    }
}

static MoaBranch *
read_branch (Reader *r, const SegmentScope *scope, const MoaXmlNode *xml, gboolean is_xor)
{
  MoaBranch *branch = g_new0 (MoaBranch, 1);
  gboolean is_default = FALSE;

  moa_xml_check_attrs (&r->ctx, xml, is_xor ? xor_branch_attrs : and_branch_attrs);
  moa_xml_check_no_text (&r->ctx, xml);
  branch->line = xml->line;
  branch->to = g_strdup (moa_xml_get_ref (&r->ctx, xml, "to", NULL));
  if (moa_xml_node_get_attr (xml, "to") == NULL)
    moa_xml_require_attr (&r->ctx, xml, "to");

  if (!is_xor)
    {
      moa_xml_check_no_children (&r->ctx, xml);
      return branch;
    }

  moa_xml_get_bool (&r->ctx, xml, "default", FALSE, &is_default);
  branch->is_default = is_default;
  moa_xml_get_value (&r->ctx, xml, "probability", MOA_DIM_FRACTION, FALSE,
                     &branch->probability.value);
  if (is_default && moa_xml_node_get_attr (xml, "probability") != NULL)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_CONFLICT,
                     _ ("the default branch takes 1 − the sum of the others: it has no "
                        "probability (remove probability or default)"));
  else if (!is_default && moa_xml_node_get_attr (xml, "probability") == NULL)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("missing attribute \"probability\" (or default=\"true\" on one branch "
                        "of the gateway)"));

  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);

      if (strcmp (child->name, "for") == 0)
        {
          const Slot slots[] = {
            { "probability", MOA_DIM_FRACTION, &branch->probability,
              is_default ? _ ("the default branch takes 1 − the sum of the others in every "
                              "segment: override the other branches instead")
                         : NULL },
          };

          read_for (r, scope, child, slots, G_N_ELEMENTS (slots));
        }
      else
        moa_xml_unknown_element (&r->ctx, child, "<for>");
    }
  return branch;
}

static void
read_gateway (Reader *r, const SegmentScope *scope, const MoaXmlNode *xml, MoaNode *node)
{
  const MoaXmlNode *first_default = NULL;

  node->branches = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_branch_free);
  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);

      if (strcmp (child->name, "title") == 0)
        moa_xml_read_title (&r->ctx, child, &node->title);
      else if (strcmp (child->name, "branch") == 0)
        {
          MoaBranch *branch = read_branch (r, scope, child, node->kind == MOA_NODE_XOR);

          g_ptr_array_add (node->branches, branch);
          if (branch->is_default && first_default != NULL)
            moa_xml_problem (&r->ctx, child, MOA_PARSE_ERROR_CONFLICT,
                             _ ("a second default branch (the first is on line %d; at most one "
                                "branch may be the default)"),
                             first_default->line);
          else if (branch->is_default)
            first_default = child;
        }
      else
        moa_xml_unknown_element (&r->ctx, child, "<title>, <branch>");
    }
}

static void
read_workflow (Reader *r, const SegmentScope *scope, const MoaXmlNode *xml,
               MoaObligation *obligation)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const MoaXmlNode *start = NULL;
  guint n_end = 0;

  moa_xml_check_attrs (&r->ctx, xml, no_attrs);
  moa_xml_check_no_text (&r->ctx, xml);
  obligation->workflow_line = xml->line;

  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);
      const char *const *attrs;
      MoaNodeKind kind;
      MoaNode *node;
      const char *id;

      if (strcmp (child->name, "start") == 0)
        kind = MOA_NODE_START, attrs = start_attrs;
      else if (strcmp (child->name, "end") == 0)
        kind = MOA_NODE_END, attrs = end_attrs;
      else if (strcmp (child->name, "activity") == 0)
        kind = MOA_NODE_ACTIVITY, attrs = activity_attrs;
      else if (strcmp (child->name, "xor") == 0)
        kind = MOA_NODE_XOR, attrs = xor_attrs;
      else if (strcmp (child->name, "and-split") == 0)
        kind = MOA_NODE_AND_SPLIT, attrs = xor_attrs;
      else if (strcmp (child->name, "and-join") == 0)
        kind = MOA_NODE_AND_JOIN, attrs = and_join_attrs;
      else
        {
          moa_xml_unknown_element (&r->ctx, child,
                                   "<start>, <end>, <activity>, <xor>, <and-split>, <and-join>");
          continue;
        }

      moa_xml_check_attrs (&r->ctx, child, attrs);
      moa_xml_check_no_text (&r->ctx, child);
      id = moa_xml_get_id (&r->ctx, child, "id");
      if (id != NULL)
        moa_xml_register_id (&r->ctx, seen, child, id);
      node = node_new (child, kind, id);
      g_ptr_array_add (obligation->nodes, node);

      switch (kind)
        {
          case MOA_NODE_START:
            if (moa_xml_first_of_its_kind (&r->ctx, &start, child))
              obligation->start = g_strdup (id);
            G_GNUC_FALLTHROUGH;
          case MOA_NODE_AND_JOIN:
            node->next = g_strdup (moa_xml_get_ref (&r->ctx, child, "next", NULL));
            if (moa_xml_node_get_attr (child, "next") == NULL)
              moa_xml_require_attr (&r->ctx, child, "next");
            read_node_titles (r, child, node);
            break;
          case MOA_NODE_END:
            n_end++;
            read_node_titles (r, child, node);
            break;
          case MOA_NODE_ACTIVITY:
            read_activity (r, scope, child, node);
            break;
          case MOA_NODE_XOR:
          case MOA_NODE_AND_SPLIT:
            read_gateway (r, scope, child, node);
            break;
        }
    }

  if (start == NULL)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <start> (expected exactly one)"));
  if (n_end == 0)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <end> (expected at least one)"));
}

/* ---------------------------------------------------------------------------------------- */
/* Obligations */

/* Parses target-groups="a b" and collects the segments that <for> may name. Returns the
 * ids, or NULL when the list is empty. @scope->segments stays NULL when a group is unknown, so
 * that segment checks do not pile up on top of that problem. */
static char **
read_addressees (Reader *r, const MoaXmlNode *xml, SegmentScope *scope, GString *names)
{
  const char *text = moa_xml_require_attr (&r->ctx, xml, "target-groups");
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) words = NULL;
  gboolean all_known = TRUE;

  if (text == NULL)
    return NULL;
  words = g_strsplit_set (text, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      MoaTargetGroup *group;
      gboolean twice = FALSE;

      if (words[i][0] == '\0')
        continue;
      if (!moa_xml_id_is_valid (words[i]))
        {
          moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_BAD_ID,
                           _ ("target-groups: \"%s\" is not a valid id (expected letters, "
                              "digits, '.', '_' or '-', starting with a letter or digit)"),
                           words[i]);
          all_known = FALSE;
          continue;
        }
      for (guint j = 0; j < ids->len; j++)
        twice = twice || strcmp (g_ptr_array_index (ids, j), words[i]) == 0;
      if (twice)
        {
          moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_DUPLICATE_ID,
                           _ ("target-groups: \"%s\" is listed twice"), words[i]);
          continue;
        }
      g_ptr_array_add (ids, g_strdup (words[i]));

      group = moa_procedure_get_target_group (r->procedure, words[i]);
      if (group == NULL)
        {
          GString *known = g_string_new (NULL);

          for (guint j = 0; j < r->procedure->target_groups->len; j++)
            {
              MoaTargetGroup *g = g_ptr_array_index (r->procedure->target_groups, j);

              if (g->id != NULL)
                g_string_append_printf (known, "%s%s", known->len > 0 ? ", " : "", g->id);
            }
          validation_problem (r, xml, MOA_VALIDATION_ERROR_UNKNOWN_TARGET_GROUP,
                              _ ("unknown target group \"%s\" (expected one of: %s)"), words[i],
                              known->str);
          g_string_free (known, TRUE);
          all_known = FALSE;
          continue;
        }
      for (guint j = 0; j < group->segments->len; j++)
        {
          MoaSegment *segment = g_ptr_array_index (group->segments, j);

          if (segment->id == NULL)
            continue;
          g_hash_table_add (scope->segments, segment->id);
          g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", segment->id);
        }
    }

  if (ids->len == 0)
    {
      if (all_known)
        moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                         _ ("target-groups is empty (expected the ids of one or more target "
                            "groups)"));
      return NULL;
    }
  if (!all_known)
    g_clear_pointer (&scope->segments, g_hash_table_unref);
  g_ptr_array_add (ids, NULL);
  return (char **)g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

static void
read_obligation (Reader *r, const MoaXmlNode *xml)
{
  g_autoptr (GString) names = g_string_new (NULL);
  SegmentScope scope = { NULL, g_hash_table_new (g_str_hash, g_str_equal) };
  const MoaXmlNode *legal = NULL, *note = NULL, *source = NULL, *workflow = NULL;
  gboolean has_frequency = moa_xml_node_get_attr (xml, "frequency") != NULL;
  gboolean has_cases = moa_xml_node_get_attr (xml, "cases") != NULL;
  MoaObligation *obligation;
  const char *id;
  int origin = -1, recurrence = -1;
  gboolean has_title = FALSE;

  moa_xml_check_attrs (&r->ctx, xml, obligation_attrs);
  moa_xml_check_no_text (&r->ctx, xml);
  id = moa_xml_get_id (&r->ctx, xml, "id");
  if (id != NULL)
    moa_xml_register_id (&r->ctx, r->ids, xml, id);

  obligation = g_new0 (MoaObligation, 1);
  obligation->id = g_strdup (id);
  obligation->line = xml->line;
  obligation->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_node_free);
  g_ptr_array_add (r->procedure->obligations, obligation);

  obligation->target_groups = read_addressees (r, xml, &scope, names);
  scope.names = names->str;
  obligation->type = g_strdup (moa_xml_get_id (&r->ctx, xml, "type"));
  if (moa_xml_get_enum (&r->ctx, xml, "origin", origin_names, TRUE, &origin) && origin >= 0)
    obligation->origin = g_strdup (origin_names[origin]);
  if (moa_xml_get_enum (&r->ctx, xml, "recurrence", recurrence_names, FALSE, &recurrence))
    obligation->one_off = recurrence == 1;

  moa_xml_get_value (&r->ctx, xml, "frequency", MOA_DIM_COUNT, FALSE, &obligation->frequency.value);
  moa_xml_get_value (&r->ctx, xml, "cases", MOA_DIM_COUNT, FALSE, &obligation->cases.value);
  if (has_frequency && has_cases)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_CONFLICT,
                     _ ("frequency and cases exclude each other (expected exactly one: "
                        "frequency per entity, or cases per year in total)"));
  else if (!has_frequency && !has_cases)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                     _ ("neither frequency nor cases (expected exactly one: frequency per "
                        "entity, or cases per year in total)"));
  moa_xml_get_value (&r->ctx, xml, "compliance", MOA_DIM_FRACTION, FALSE,
                     &obligation->compliance.value);

  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);

      if (strcmp (child->name, "title") == 0)
        {
          has_title = TRUE;
          moa_xml_read_title (&r->ctx, child, &obligation->title);
        }
      else if (strcmp (child->name, "legal-reference") == 0)
        moa_xml_read_text_once (&r->ctx, &legal, child, &obligation->legal_reference);
      else if (strcmp (child->name, "note") == 0)
        moa_xml_read_text_once (&r->ctx, &note, child, &obligation->note);
      else if (strcmp (child->name, "source") == 0)
        moa_xml_read_text_once (&r->ctx, &source, child, &obligation->source);
      else if (strcmp (child->name, "for") == 0)
        {
          /* A segment overrides the count the obligation uses, not the other one. */
          const Slot slots[] = {
            { "frequency", MOA_DIM_COUNT, &obligation->frequency,
              has_cases && !has_frequency
                  ? _ ("the obligation counts cases per year: a segment may override cases, "
                       "not frequency")
                  : NULL },
            { "cases", MOA_DIM_COUNT, &obligation->cases,
              has_frequency && !has_cases
                  ? _ ("the obligation counts a frequency per entity: a segment may override "
                       "frequency, not cases")
                  : NULL },
            { "compliance", MOA_DIM_FRACTION, &obligation->compliance, NULL },
          };

          read_for (r, &scope, child, slots, G_N_ELEMENTS (slots));
        }
      else if (strcmp (child->name, "workflow") == 0)
        {
          if (moa_xml_first_of_its_kind (&r->ctx, &workflow, child))
            read_workflow (r, &scope, child, obligation);
        }
      else
        moa_xml_unknown_element (&r->ctx, child,
                                 "<title>, <legal-reference>, <note>, <source>, <for>, "
                                 "<workflow>");
    }

  if (!has_title)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <title> (expected <title lang=\"it\"> and/or <title lang=\"en\">)"));
  if (workflow == NULL)
    moa_xml_problem (&r->ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <workflow> (expected exactly one)"));
  g_clear_pointer (&scope.segments, g_hash_table_unref);
}

/* ---------------------------------------------------------------------------------------- */
/* The procedure */

static void
read_procedure (Reader *r, const MoaXmlNode *root)
{
  MoaProcedure *p = r->procedure;
  const MoaXmlNode *area = NULL, *authority = NULL, *legal = NULL, *note = NULL, *source = NULL,
                   *groups = NULL;
  g_autofree char *areas = join_list (area_names);
  gboolean has_title = FALSE;
  guint n_obligations = 0;
  const char *currency;
  gint64 year = 0;

  moa_xml_check_attrs (&r->ctx, root, procedure_attrs);
  moa_xml_check_no_text (&r->ctx, root);
  p->id = g_strdup (moa_xml_get_id (&r->ctx, root, "id"));
  p->cost_model = g_strdup (moa_xml_get_id (&r->ctx, root, "cost-model"));
  if (moa_xml_get_int (&r->ctx, root, "price-year", TRUE, 1900, 2999, &year))
    p->price_year = (int)year;
  currency = moa_xml_node_get_attr (root, "currency");
  if (currency != NULL)
    {
      gboolean ok = strlen (currency) == 3;

      for (guint i = 0; ok && i < 3; i++)
        ok = g_ascii_isupper (currency[i]);
      if (ok)
        {
          g_free (p->currency);
          p->currency = g_strdup (currency);
        }
      else
        moa_xml_problem (&r->ctx, root, MOA_PARSE_ERROR_BAD_ENUM,
                         _ ("currency \"%s\" is not a currency code (expected three capital "
                            "letters, ISO 4217, e.g. \"EUR\")"),
                         currency);
    }

  /* Target groups first, whatever their place, so that obligations can refer to them. */
  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (root->children, i);

      if (strcmp (child->name, "title") == 0)
        {
          has_title = TRUE;
          moa_xml_read_title (&r->ctx, child, &p->title);
        }
      else if (strcmp (child->name, "area") == 0)
        {
          moa_xml_read_text_once (&r->ctx, &area, child, &p->area);
          if (area == child && p->area != NULL && !in_list (area_names, p->area))
            {
              moa_xml_problem (&r->ctx, child, MOA_PARSE_ERROR_BAD_ENUM,
                               _ ("unknown area \"%s\" (expected one of: %s)"), p->area, areas);
            }
        }
      else if (strcmp (child->name, "authority") == 0)
        moa_xml_read_text_once (&r->ctx, &authority, child, &p->authority);
      else if (strcmp (child->name, "legal-basis") == 0)
        moa_xml_read_text_once (&r->ctx, &legal, child, &p->legal_basis);
      else if (strcmp (child->name, "note") == 0)
        moa_xml_read_text_once (&r->ctx, &note, child, &p->note);
      else if (strcmp (child->name, "source") == 0)
        moa_xml_read_text_once (&r->ctx, &source, child, &p->source);
      else if (strcmp (child->name, "target-groups") == 0)
        {
          if (moa_xml_first_of_its_kind (&r->ctx, &groups, child))
            read_target_groups (r, child);
        }
      else if (strcmp (child->name, "obligation") == 0)
        n_obligations++;
      else
        moa_xml_unknown_element (&r->ctx, child,
                                 "<title>, <area>, <authority>, <legal-basis>, <note>, "
                                 "<source>, <target-groups>, <obligation>");
    }
  moa_procedure_reindex (p);

  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (root->children, i);

      if (strcmp (child->name, "obligation") == 0)
        read_obligation (r, child);
    }
  moa_procedure_reindex (p);

  if (!has_title)
    moa_xml_problem (&r->ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <title> (expected <title lang=\"it\"> and/or <title lang=\"en\">)"));
  if (area == NULL)
    moa_xml_problem (&r->ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <area> (expected one of: %s)"), areas);
  if (groups == NULL)
    moa_xml_problem (&r->ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <target-groups> (expected one, with at least one <target-group>)"));
  if (n_obligations == 0)
    moa_xml_problem (&r->ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <obligation> (expected at least one)"));
}

/* Loads the tree @root (taking it) named @name; see moa_procedure_load_file(). */
static MoaProcedure *
load_tree (MoaXmlNode *root_owned, const char *name, GError *parse_error, GPtrArray *problems,
           GError **error)
{
  g_autoptr (MoaXmlNode) root = root_owned;
  g_autoptr (GPtrArray) own_problems = NULL;
  g_autoptr (MoaProcedure) procedure = NULL;
  g_autoptr (GHashTable) ids = NULL;
  guint first;
  Reader r;

  if (problems == NULL)
    problems = own_problems = moa_problems_new ();
  first = problems->len;
  r.ctx.file = name;
  r.ctx.problems = problems;

  if (!moa_xml_check_root (&r.ctx, root, parse_error, "procedure",
                           _ ("the root element is <%s> (expected <procedure>)")))
    goto out;

  ids = g_hash_table_new (g_str_hash, g_str_equal);
  procedure = moa_procedure_new ();
  procedure->line = root->line;
  procedure->format = 1;
  r.procedure = procedure;
  r.ids = ids;
  read_procedure (&r, root);

out:
  if (problems->len > first)
    {
      const MoaProblem *problem = g_ptr_array_index (problems, first);

      g_set_error_literal (error, problem->domain, problem->code, problem->message);
      return NULL;
    }
  return g_steal_pointer (&procedure);
}

/* Loads the procedure file @path (docs/procedure-format.md). Every problem found is appended
 * to @problems (when not NULL) as a MoaProblem naming the file, line and element; loading goes
 * on after a problem so that one run reports as many as it can. Returns a new procedure
 * (free with moa_procedure_unref()), or NULL when any problem was found, with @error set from
 * the first. The file is read without network access and without expanding entities. */
MoaProcedure *
moa_procedure_load_file (const char *path, GPtrArray *problems, GError **error)
{
  g_autoptr (GError) parse_error = NULL;
  MoaXmlNode *root;
  MoaProcedure *procedure;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = moa_xml_parse_file (path, &parse_error);
  procedure = load_tree (root, path, parse_error, problems, error);
  if (procedure != NULL)
    procedure->file = g_strdup (path);
  return procedure;
}

/* Same as moa_procedure_load_file() for @len bytes of @data; @name stands for the file in
 * messages (may be NULL). The procedure's file is left NULL. */
MoaProcedure *
moa_procedure_load_data (const char *data, gsize len, const char *name, GPtrArray *problems,
                         GError **error)
{
  g_autoptr (GError) parse_error = NULL;
  MoaXmlNode *root;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = moa_xml_parse (data, len, name, &parse_error);
  return load_tree (root, name, parse_error, problems, error);
}

/* ---------------------------------------------------------------------------------------- */
/* One element in the context of a procedure (moa-procedure-reader-private.h) */

/* Reads the <activity> @xml as a node of @obligation (see moa-procedure-reader-private.h). */
MoaNode *
moa_procedure_read_activity (MoaXmlCtx *ctx, const MoaProcedure *procedure,
                             const MoaObligation *obligation, const MoaXmlNode *xml,
                             const char *next)
{
  g_autoptr (GHashTable) segments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) names = g_string_new (NULL);
  g_autofree char **attr_names = NULL;
  g_autofree char **attr_values = NULL;
  SegmentScope scope = { NULL, segments };
  const MoaXmlNode *source = xml;
  MoaXmlNode with_next;
  MoaNode *node;
  guint first;
  Reader r;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (procedure != NULL && obligation != NULL && xml != NULL, NULL);

  first = ctx->problems->len;
  r.ctx = *ctx;
  r.procedure = (MoaProcedure *)procedure; /* read only: lookups of groups and segments */
  r.ids = NULL;

  if (strcmp (xml->name, "activity") != 0)
    {
      moa_xml_unknown_element (&r.ctx, xml, "<activity>");
      return NULL;
    }

  /* <for> may name the segments of the obligation's addressee groups */
  for (guint i = 0; obligation->target_groups != NULL && obligation->target_groups[i] != NULL; i++)
    {
      MoaTargetGroup *group
          = moa_procedure_get_target_group (procedure, obligation->target_groups[i]);

      for (guint j = 0; group != NULL && j < group->segments->len; j++)
        {
          MoaSegment *segment = g_ptr_array_index (group->segments, j);

          if (segment->id == NULL)
            continue;
          g_hash_table_add (segments, segment->id);
          g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", segment->id);
        }
    }
  scope.names = names->str;

  if (next != NULL && moa_xml_node_get_attr (xml, "next") != NULL)
    moa_xml_problem (&r.ctx, xml, MOA_PARSE_ERROR_CONFLICT,
                     _ ("next=\"%s\": an added activity takes over the next of the node it "
                        "follows (expected no next attribute)"),
                     moa_xml_node_get_attr (xml, "next"));
  else if (next != NULL)
    {
      /* The same element with next="@next" added, so that it is read exactly as in a file. */
      guint n = xml->attr_names != NULL ? g_strv_length (xml->attr_names) : 0;

      attr_names = g_new0 (char *, n + 2);
      attr_values = g_new0 (char *, n + 2);
      for (guint i = 0; i < n; i++)
        {
          attr_names[i] = xml->attr_names[i];
          attr_values[i] = xml->attr_values[i];
        }
      attr_names[n] = (char *)"next";
      attr_values[n] = (char *)next;
      with_next = *xml;
      with_next.attr_names = attr_names;
      with_next.attr_values = attr_values;
      source = &with_next;
    }

  moa_xml_check_attrs (&r.ctx, source, activity_attrs);
  moa_xml_check_no_text (&r.ctx, source);
  node = node_new (source, MOA_NODE_ACTIVITY, moa_xml_get_id (&r.ctx, source, "id"));
  read_activity (&r, &scope, source, node);
  if (ctx->problems->len > first)
    {
      moa_node_free (node);
      return NULL;
    }
  return node;
}

/* Reads the <obligation> @xml against @procedure (see moa-procedure-reader-private.h). */
MoaObligation *
moa_procedure_read_obligation (MoaXmlCtx *ctx, MoaProcedure *procedure, const MoaXmlNode *xml)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  MoaObligation *obligation;
  guint first, n;
  Reader r;

  g_return_val_if_fail (ctx != NULL && ctx->problems != NULL, NULL);
  g_return_val_if_fail (procedure != NULL && xml != NULL, NULL);

  first = ctx->problems->len;
  r.ctx = *ctx;
  r.procedure = procedure;
  r.ids = ids;

  if (strcmp (xml->name, "obligation") != 0)
    {
      moa_xml_unknown_element (&r.ctx, xml, "<obligation>");
      return NULL;
    }

  /* read_obligation() appends to the procedure: take it back out. */
  n = procedure->obligations->len;
  read_obligation (&r, xml);
  obligation = g_ptr_array_steal_index (procedure->obligations, n);
  if (ctx->problems->len > first)
    {
      moa_obligation_free (obligation);
      return NULL;
    }
  return obligation;
}
