/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The procedure model: construction, freeing, id indexes, lookups and deep comparison. */

#include "moa-config.h"

#include <string.h>

#include "moa-procedure.h"

/* ---------------------------------------------------------------------------------------- */
/* Freeing */

/* Frees @sv and the reference it holds on its value. NULL-safe. */
void
moa_segment_value_free (MoaSegmentValue *sv)
{
  if (sv == NULL)
    return;
  g_free (sv->segment);
  g_free (sv->profile);
  g_clear_pointer (&sv->value, moa_value_unref);
  g_free (sv);
}

/* Releases the default value and the overrides of @param and leaves it empty; the struct
 * itself is not freed (it is embedded in its owner). */
void
moa_param_clear (MoaParam *param)
{
  g_return_if_fail (param != NULL);

  g_clear_pointer (&param->value, moa_value_unref);
  g_clear_pointer (&param->per_segment, g_ptr_array_unref);
}

/* Frees both strings of @title and leaves them NULL; the struct itself is not freed. */
void
moa_title_clear (MoaTitle *title)
{
  g_return_if_fail (title != NULL);

  g_clear_pointer (&title->it, g_free);
  g_clear_pointer (&title->en, g_free);
}

/* Frees @segment and everything it owns. NULL-safe. */
void
moa_segment_free (MoaSegment *segment)
{
  if (segment == NULL)
    return;
  g_free (segment->id);
  moa_title_clear (&segment->title);
  g_clear_pointer (&segment->population, moa_value_unref);
  g_free (segment);
}

/* Frees @group, its segments and everything they own. NULL-safe. */
void
moa_target_group_free (MoaTargetGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->id);
  moa_title_clear (&group->title);
  g_clear_pointer (&group->segments, g_ptr_array_unref);
  g_free (group);
}

/* Frees @branch and everything it owns. NULL-safe. */
void
moa_branch_free (MoaBranch *branch)
{
  if (branch == NULL)
    return;
  g_free (branch->to);
  moa_param_clear (&branch->probability);
  g_free (branch);
}

/* Frees @node, its branches and everything it owns. NULL-safe. */
void
moa_node_free (MoaNode *node)
{
  if (node == NULL)
    return;
  g_free (node->id);
  g_free (node->next);
  g_clear_pointer (&node->branches, g_ptr_array_unref);
  moa_title_clear (&node->title);
  g_free (node->performer);
  g_free (node->standard);
  moa_param_clear (&node->time);
  g_free (node->tariff_profile);
  moa_param_clear (&node->tariff);
  moa_param_clear (&node->fee);
  moa_param_clear (&node->acquisitions);
  moa_param_clear (&node->out_of_pocket);
  moa_param_clear (&node->bau);
  g_strfreev (node->tags);
  g_free (node->note);
  g_free (node->source);
  g_free (node);
}

/* Frees @obligation, its workflow nodes and everything it owns. NULL-safe. */
void
moa_obligation_free (MoaObligation *obligation)
{
  if (obligation == NULL)
    return;
  g_free (obligation->id);
  moa_title_clear (&obligation->title);
  g_free (obligation->type);
  g_free (obligation->legal_reference);
  g_free (obligation->origin);
  g_strfreev (obligation->target_groups);
  moa_param_clear (&obligation->frequency);
  moa_param_clear (&obligation->cases);
  moa_param_clear (&obligation->compliance);
  g_free (obligation->note);
  g_free (obligation->source);
  g_free (obligation->start);
  /* The index borrows the nodes: drop it first. */
  g_clear_pointer (&obligation->node_index, g_hash_table_unref);
  g_clear_pointer (&obligation->nodes, g_ptr_array_unref);
  g_free (obligation);
}

/* ---------------------------------------------------------------------------------------- */
/* Construction and reference counting */

/* Returns a new, empty procedure (reference count 1): format 1, currency "EUR", no groups,
 * no obligations, empty indexes. Free with moa_procedure_unref(). */
MoaProcedure *
moa_procedure_new (void)
{
  MoaProcedure *procedure = g_new0 (MoaProcedure, 1);

  g_atomic_ref_count_init (&procedure->ref);
  procedure->format = 1;
  procedure->currency = g_strdup ("EUR");
  procedure->target_groups = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_target_group_free);
  procedure->obligations = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_obligation_free);
  moa_procedure_reindex (procedure);
  return procedure;
}

/* Adds a reference to @procedure and returns it. */
MoaProcedure *
moa_procedure_ref (MoaProcedure *procedure)
{
  g_return_val_if_fail (procedure != NULL, NULL);

  g_atomic_ref_count_inc (&procedure->ref);
  return procedure;
}

/* Drops a reference to @procedure; the last one frees it and everything it owns. NULL-safe. */
void
moa_procedure_unref (MoaProcedure *procedure)
{
  if (procedure == NULL)
    return;
  if (!g_atomic_ref_count_dec (&procedure->ref))
    return;

  /* The indexes borrow from the model: drop them first. */
  g_clear_pointer (&procedure->group_index, g_hash_table_unref);
  g_clear_pointer (&procedure->segment_index, g_hash_table_unref);
  g_clear_pointer (&procedure->segment_group, g_hash_table_unref);
  g_clear_pointer (&procedure->obligation_index, g_hash_table_unref);

  g_free (procedure->file);
  g_free (procedure->id);
  moa_title_clear (&procedure->title);
  g_free (procedure->area);
  g_free (procedure->authority);
  g_free (procedure->legal_basis);
  g_free (procedure->cost_model);
  g_free (procedure->currency);
  g_free (procedure->note);
  g_free (procedure->source);
  g_clear_pointer (&procedure->target_groups, g_ptr_array_unref);
  g_clear_pointer (&procedure->obligations, g_ptr_array_unref);
  g_free (procedure);
}

/* ---------------------------------------------------------------------------------------- */
/* Indexes and lookups */

static GHashTable *
index_new (void)
{
  return g_hash_table_new (g_str_hash, g_str_equal);
}

/* The first element with an id wins, so that a lookup finds the one the loader kept when it
 * reported a later duplicate. */
static void
index_add (GHashTable *index, const char *id, gpointer value)
{
  if (id != NULL && !g_hash_table_contains (index, id))
    g_hash_table_insert (index, (gpointer)id, value);
}

/* Rebuilds the group, segment, segment-to-group and obligation indexes of @procedure and the
 * node index of every obligation. The indexes borrow the ids and structs of the model, so
 * this must be called after any edit that adds, removes or renames one of them. */
void
moa_procedure_reindex (MoaProcedure *procedure)
{
  g_return_if_fail (procedure != NULL);

  g_clear_pointer (&procedure->group_index, g_hash_table_unref);
  g_clear_pointer (&procedure->segment_index, g_hash_table_unref);
  g_clear_pointer (&procedure->segment_group, g_hash_table_unref);
  g_clear_pointer (&procedure->obligation_index, g_hash_table_unref);
  procedure->group_index = index_new ();
  procedure->segment_index = index_new ();
  procedure->segment_group = index_new ();
  procedure->obligation_index = index_new ();

  for (guint i = 0; procedure->target_groups != NULL && i < procedure->target_groups->len; i++)
    {
      MoaTargetGroup *group = g_ptr_array_index (procedure->target_groups, i);

      index_add (procedure->group_index, group->id, group);
      for (guint j = 0; group->segments != NULL && j < group->segments->len; j++)
        {
          MoaSegment *segment = g_ptr_array_index (group->segments, j);

          if (segment->id != NULL && !g_hash_table_contains (procedure->segment_index, segment->id))
            {
              g_hash_table_insert (procedure->segment_index, segment->id, segment);
              g_hash_table_insert (procedure->segment_group, segment->id, group);
            }
        }
    }

  for (guint i = 0; procedure->obligations != NULL && i < procedure->obligations->len; i++)
    {
      MoaObligation *obligation = g_ptr_array_index (procedure->obligations, i);

      index_add (procedure->obligation_index, obligation->id, obligation);
      g_clear_pointer (&obligation->node_index, g_hash_table_unref);
      obligation->node_index = index_new ();
      for (guint j = 0; obligation->nodes != NULL && j < obligation->nodes->len; j++)
        {
          MoaNode *node = g_ptr_array_index (obligation->nodes, j);

          index_add (obligation->node_index, node->id, node);
        }
    }
}

static gpointer
index_lookup (GHashTable *index, const char *id)
{
  if (index == NULL || id == NULL)
    return NULL;
  return g_hash_table_lookup (index, id);
}

/* Returns the target group @id of @procedure (borrowed), or NULL. */
MoaTargetGroup *
moa_procedure_get_target_group (const MoaProcedure *procedure, const char *id)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return index_lookup (procedure->group_index, id);
}

/* Returns the segment @id of @procedure, implicit segments included (borrowed), or NULL. */
MoaSegment *
moa_procedure_get_segment (const MoaProcedure *procedure, const char *id)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return index_lookup (procedure->segment_index, id);
}

/* Returns the target group that holds segment @segment_id (borrowed), or NULL. */
MoaTargetGroup *
moa_procedure_get_segment_group (const MoaProcedure *procedure, const char *segment_id)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (segment_id != NULL, NULL);

  return index_lookup (procedure->segment_group, segment_id);
}

/* Returns the obligation @id of @procedure (borrowed), or NULL. */
MoaObligation *
moa_procedure_get_obligation (const MoaProcedure *procedure, const char *id)
{
  g_return_val_if_fail (procedure != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return index_lookup (procedure->obligation_index, id);
}

/* Returns the workflow node @id of @obligation (borrowed), or NULL. */
MoaNode *
moa_obligation_get_node (const MoaObligation *obligation, const char *id)
{
  g_return_val_if_fail (obligation != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return index_lookup (obligation->node_index, id);
}

/* Returns the value of @param for @segment (borrowed): the override written for that segment
 * when there is one, else the default, which may be NULL. @segment may be NULL for the
 * default. */
MoaValue *
moa_param_get (const MoaParam *param, const char *segment)
{
  g_return_val_if_fail (param != NULL, NULL);

  if (segment != NULL && param->per_segment != NULL)
    {
      for (guint i = 0; i < param->per_segment->len; i++)
        {
          MoaSegmentValue *sv = g_ptr_array_index (param->per_segment, i);

          if (g_strcmp0 (sv->segment, segment) == 0)
            return sv->value;
        }
    }
  return param->value;
}

void
moa_node_get_tariff (const MoaNode *node, const char *segment, MoaValue **rate,
                     const char **profile)
{
  g_return_if_fail (node != NULL && rate != NULL && profile != NULL);

  *rate = node->tariff.value;
  *profile = node->tariff_profile;
  if (segment == NULL || node->tariff.per_segment == NULL)
    return;
  for (guint i = 0; i < node->tariff.per_segment->len; i++)
    {
      MoaSegmentValue *sv = g_ptr_array_index (node->tariff.per_segment, i);
      if (g_strcmp0 (sv->segment, segment) == 0)
        {
          *rate = sv->value;
          *profile = sv->profile;
          return;
        }
    }
}

/* Returns the title of @title in @lang ("it" or "en"), else the other language, else
 * @fallback (borrowed). */
const char *
moa_title_get (const MoaTitle *title, const char *lang, const char *fallback)
{
  g_return_val_if_fail (title != NULL, fallback);

  if (g_strcmp0 (lang, "en") == 0)
    return title->en != NULL ? title->en : title->it != NULL ? title->it : fallback;
  return title->it != NULL ? title->it : title->en != NULL ? title->en : fallback;
}

/* ---------------------------------------------------------------------------------------- */
/* Enumerations, as written in the format */

static const char *const target_kind_names[] = { "citizen", "business", "administration" };
static const char *const complexity_names[] = { "simple", "medium", "high" };
static const char *const node_kind_names[]
    = { "start", "end", "activity", "xor", "and-split", "and-join" };

/* Returns the format's name of @kind ("citizen", "business", "administration"; static), or
 * NULL for a value outside the enumeration. */
const char *
moa_target_kind_to_string (MoaTargetKind kind)
{
  if ((guint)kind >= G_N_ELEMENTS (target_kind_names))
    return NULL;
  return target_kind_names[kind];
}

/* Sets @kind from its name in the format; returns FALSE (leaving @kind alone) when @s is not
 * one of "citizen", "business", "administration". */
gboolean
moa_target_kind_from_string (const char *s, MoaTargetKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; s != NULL && i < G_N_ELEMENTS (target_kind_names); i++)
    if (strcmp (s, target_kind_names[i]) == 0)
      {
        *kind = (MoaTargetKind)i;
        return TRUE;
      }
  return FALSE;
}

/* Returns the format's name of @complexity ("simple", "medium", "high"; static), or NULL for
 * MOA_COMPLEXITY_NONE and values outside the enumeration. */
const char *
moa_complexity_to_string (MoaComplexity complexity)
{
  if (complexity < 0 || (guint)complexity >= G_N_ELEMENTS (complexity_names))
    return NULL;
  return complexity_names[complexity];
}

/* Sets @complexity from its name in the format; returns FALSE (leaving @complexity alone)
 * when @s is not one of "simple", "medium", "high". */
gboolean
moa_complexity_from_string (const char *s, MoaComplexity *complexity)
{
  g_return_val_if_fail (complexity != NULL, FALSE);

  for (guint i = 0; s != NULL && i < G_N_ELEMENTS (complexity_names); i++)
    if (strcmp (s, complexity_names[i]) == 0)
      {
        *complexity = (MoaComplexity)i;
        return TRUE;
      }
  return FALSE;
}

/* Returns the element name of @kind in the format ("start", "end", "activity", "xor",
 * "and-split", "and-join"; static), or NULL for a value outside the enumeration. */
const char *
moa_node_kind_to_string (MoaNodeKind kind)
{
  if ((guint)kind >= G_N_ELEMENTS (node_kind_names))
    return NULL;
  return node_kind_names[kind];
}

/* ---------------------------------------------------------------------------------------- */
/* Deep comparison */

/* An empty string is the same as none: the writer leaves both out. */
static gboolean
str_equal (const char *a, const char *b)
{
  return g_strcmp0 (a != NULL && *a != '\0' ? a : NULL, b != NULL && *b != '\0' ? b : NULL) == 0;
}

static gboolean
value_equal (const MoaValue *a, const MoaValue *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return moa_value_equal (a, b);
}

static gboolean
title_equal (const MoaTitle *a, const MoaTitle *b)
{
  return str_equal (a->it, b->it) && str_equal (a->en, b->en);
}

/* NULL and empty vectors are the same (no tags); order matters. */
static gboolean
strv_equal (char **a, char **b)
{
  guint na = a != NULL ? g_strv_length (a) : 0;
  guint nb = b != NULL ? g_strv_length (b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (strcmp (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

/* Overrides are a map from segment to value: their order is not part of the model (the writer
 * groups them by segment). */
static gboolean
param_equal (const MoaParam *a, const MoaParam *b)
{
  guint na = a->per_segment != NULL ? a->per_segment->len : 0;
  guint nb = b->per_segment != NULL ? b->per_segment->len : 0;

  if (!value_equal (a->value, b->value) || na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    {
      MoaSegmentValue *sa = g_ptr_array_index (a->per_segment, i);
      gboolean found = FALSE;

      for (guint j = 0; j < nb && !found; j++)
        {
          MoaSegmentValue *sb = g_ptr_array_index (b->per_segment, j);

          if (str_equal (sa->segment, sb->segment))
            {
              if (!value_equal (sa->value, sb->value) || !str_equal (sa->profile, sb->profile))
                return FALSE;
              found = TRUE;
            }
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static guint
array_len (const GPtrArray *array)
{
  return array != NULL ? array->len : 0;
}

static gboolean
segment_equal (const MoaSegment *a, const MoaSegment *b)
{
  return str_equal (a->id, b->id) && title_equal (&a->title, &b->title)
         && value_equal (a->population, b->population) && !a->implicit == !b->implicit;
}

static gboolean
target_group_equal (const MoaTargetGroup *a, const MoaTargetGroup *b)
{
  if (!str_equal (a->id, b->id) || a->kind != b->kind || !title_equal (&a->title, &b->title)
      || array_len (a->segments) != array_len (b->segments))
    return FALSE;
  for (guint i = 0; i < array_len (a->segments); i++)
    if (!segment_equal (g_ptr_array_index (a->segments, i), g_ptr_array_index (b->segments, i)))
      return FALSE;
  return TRUE;
}

static gboolean
branch_equal (const MoaBranch *a, const MoaBranch *b)
{
  return str_equal (a->to, b->to) && !a->is_default == !b->is_default
         && param_equal (&a->probability, &b->probability);
}

static gboolean
node_equal (const MoaNode *a, const MoaNode *b)
{
  if (a->kind != b->kind || !str_equal (a->id, b->id) || !str_equal (a->next, b->next)
      || !title_equal (&a->title, &b->title) || array_len (a->branches) != array_len (b->branches))
    return FALSE;
  for (guint i = 0; i < array_len (a->branches); i++)
    if (!branch_equal (g_ptr_array_index (a->branches, i), g_ptr_array_index (b->branches, i)))
      return FALSE;

  return str_equal (a->performer, b->performer) && str_equal (a->standard, b->standard)
         && (a->standard == NULL || a->complexity == b->complexity)
         && param_equal (&a->time, &b->time) && str_equal (a->tariff_profile, b->tariff_profile)
         && param_equal (&a->tariff, &b->tariff) && param_equal (&a->fee, &b->fee)
         && param_equal (&a->acquisitions, &b->acquisitions)
         && param_equal (&a->out_of_pocket, &b->out_of_pocket) && param_equal (&a->bau, &b->bau)
         && strv_equal (a->tags, b->tags) && str_equal (a->note, b->note)
         && str_equal (a->source, b->source);
}

static gboolean
obligation_equal (const MoaObligation *a, const MoaObligation *b)
{
  if (!str_equal (a->id, b->id) || !title_equal (&a->title, &b->title)
      || !str_equal (a->type, b->type) || !str_equal (a->legal_reference, b->legal_reference)
      || !str_equal (a->origin, b->origin) || !strv_equal (a->target_groups, b->target_groups)
      || !a->one_off != !b->one_off || !param_equal (&a->frequency, &b->frequency)
      || !param_equal (&a->cases, &b->cases) || !param_equal (&a->compliance, &b->compliance)
      || !str_equal (a->note, b->note) || !str_equal (a->source, b->source)
      || !str_equal (a->start, b->start) || array_len (a->nodes) != array_len (b->nodes))
    return FALSE;
  for (guint i = 0; i < array_len (a->nodes); i++)
    if (!node_equal (g_ptr_array_index (a->nodes, i), g_ptr_array_index (b->nodes, i)))
      return FALSE;
  return TRUE;
}

/* Returns TRUE when @a and @b describe the same procedure: every id, title, text, enumeration,
 * value (moa_value_equal()), per-segment override, branch, tag and the order of groups,
 * segments, obligations and nodes. The file name and line numbers are not compared; per-segment
 * overrides are compared as a map from segment to value. */
gboolean
moa_procedure_equal (const MoaProcedure *a, const MoaProcedure *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (!str_equal (a->id, b->id) || a->format != b->format || !title_equal (&a->title, &b->title)
      || !str_equal (a->area, b->area) || !str_equal (a->authority, b->authority)
      || !str_equal (a->legal_basis, b->legal_basis) || !str_equal (a->cost_model, b->cost_model)
      || a->price_year != b->price_year || !str_equal (a->currency, b->currency)
      || !str_equal (a->note, b->note) || !str_equal (a->source, b->source)
      || array_len (a->target_groups) != array_len (b->target_groups)
      || array_len (a->obligations) != array_len (b->obligations))
    return FALSE;

  for (guint i = 0; i < array_len (a->target_groups); i++)
    if (!target_group_equal (g_ptr_array_index (a->target_groups, i),
                             g_ptr_array_index (b->target_groups, i)))
      return FALSE;
  for (guint i = 0; i < array_len (a->obligations); i++)
    if (!obligation_equal (g_ptr_array_index (a->obligations, i),
                           g_ptr_array_index (b->obligations, i)))
      return FALSE;
  return TRUE;
}
