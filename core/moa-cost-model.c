/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cost models: the strict loader of docs/cost-model-format.md, lookups, and sets of models. */

#include "moa-config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-cost-model.h"
#include "moa-error.h"
#include "moa-xml-util.h"
#include "moa-xml.h"

/* ---------------------------------------------------------------------------------------- */
/* Freeing */

static void
activity_free (MoaStandardActivity *a)
{
  if (a == NULL)
    return;
  g_free (a->id);
  moa_title_clear (&a->title);
  for (int i = 0; i < 3; i++)
    {
      moa_value_unref (a->business_time[i]);
      moa_value_unref (a->citizen_time[i]);
    }
  g_free (a->source);
  g_free (a);
}

static void
tariff_free (MoaTariffProfile *t)
{
  if (t == NULL)
    return;
  g_free (t->id);
  moa_title_clear (&t->title);
  moa_value_unref (t->rate);
  g_free (t->source);
  g_free (t);
}

static void
travel_free (MoaTravelEntry *t)
{
  if (t == NULL)
    return;
  g_free (t->id);
  moa_title_clear (&t->title);
  moa_value_unref (t->time);
  moa_value_unref (t->cost);
  g_free (t->source);
  g_free (t);
}

static void
type_free (MoaObligationType *t)
{
  if (t == NULL)
    return;
  g_free (t->id);
  moa_title_clear (&t->title);
  g_free (t);
}

static MoaCostModel *
cost_model_new (void)
{
  MoaCostModel *m = g_new0 (MoaCostModel, 1);

  g_atomic_ref_count_init (&m->ref);
  m->obligation_types = g_ptr_array_new_with_free_func ((GDestroyNotify)type_free);
  m->standard_activities = g_ptr_array_new_with_free_func ((GDestroyNotify)activity_free);
  m->tariffs = g_ptr_array_new_with_free_func ((GDestroyNotify)tariff_free);
  m->travel = g_ptr_array_new_with_free_func ((GDestroyNotify)travel_free);
  m->activity_index = g_hash_table_new (g_str_hash, g_str_equal);
  m->tariff_index = g_hash_table_new (g_str_hash, g_str_equal);
  m->type_index = g_hash_table_new (g_str_hash, g_str_equal);
  return m;
}

/* Takes a reference on @model and returns it. */
MoaCostModel *
moa_cost_model_ref (MoaCostModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_atomic_ref_count_inc (&model->ref);
  return model;
}

/* Drops a reference on @model; the last one frees it with everything it owns. NULL-safe. */
void
moa_cost_model_unref (MoaCostModel *model)
{
  if (model == NULL || !g_atomic_ref_count_dec (&model->ref))
    return;
  g_free (model->file);
  g_free (model->id);
  g_free (model->version);
  moa_title_clear (&model->title);
  g_free (model->currency);
  g_free (model->source);
  g_free (model->overhead_source);
  moa_value_unref (model->citizen_rate);
  g_free (model->citizen_source);
  g_free (model->default_business_tariff);
  g_free (model->default_administration_tariff);
  g_free (model->default_external_tariff);
  /* The indexes borrow from the lists: drop them first. */
  g_hash_table_unref (model->activity_index);
  g_hash_table_unref (model->tariff_index);
  g_hash_table_unref (model->type_index);
  g_ptr_array_unref (model->obligation_types);
  g_ptr_array_unref (model->standard_activities);
  g_ptr_array_unref (model->tariffs);
  g_ptr_array_unref (model->travel);
  g_free (model);
}

/* ---------------------------------------------------------------------------------------- */
/* Lookups */

/* The standard activity @id of @model (borrowed), or NULL. */
MoaStandardActivity *
moa_cost_model_get_activity (const MoaCostModel *model, const char *id)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return g_hash_table_lookup (model->activity_index, id);
}

/* The tariff profile @id of @model (borrowed), or NULL. */
MoaTariffProfile *
moa_cost_model_get_tariff (const MoaCostModel *model, const char *id)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return g_hash_table_lookup (model->tariff_index, id);
}

/* The obligation type @id of @model (borrowed), or NULL. */
MoaObligationType *
moa_cost_model_get_type (const MoaCostModel *model, const char *id)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return g_hash_table_lookup (model->type_index, id);
}

/* ---------------------------------------------------------------------------------------- */
/* Loading */

/* Reads the <title> children of @node into @title and passes every other child to @other
 * (which returns FALSE for an element it does not know: then it is reported as unknown, with
 * @expected listing the allowed children). Reports a missing title. */
typedef gboolean (*ChildFunc) (MoaXmlCtx *ctx, const MoaXmlNode *child, gpointer data);

static void
read_children (MoaXmlCtx *ctx, const MoaXmlNode *node, MoaTitle *title, ChildFunc other,
               gpointer data, const char *expected)
{
  guint n_titles = 0;

  for (guint i = 0; i < node->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (node->children, i);

      if (strcmp (child->name, "title") == 0)
        {
          n_titles++;
          moa_xml_read_title (ctx, child, title);
        }
      else if (other == NULL || !other (ctx, child, data))
        moa_xml_unknown_element (ctx, child, expected);
    }
  if (n_titles == 0)
    moa_xml_problem (ctx, node, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("<%s> needs a <title lang=\"it\"> or a <title lang=\"en\">"), node->name);
}

/* The required `source` attribute of a number-carrying element, copied. */
static char *
read_source (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  const char *source = moa_xml_require_attr (ctx, node, "source");

  if (source == NULL)
    return NULL;
  if (*source == '\0' || strspn (source, " \t\r\n") == strlen (source))
    {
      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                       _ ("source is empty: cite where the numbers come from, or write "
                          "\"illustrative\" and why"));
      return NULL;
    }
  return g_strdup (source);
}

static MoaObligationType *
read_type (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  static const char *const attrs[] = { "id", NULL };
  MoaObligationType *t = g_new0 (MoaObligationType, 1);

  t->line = node->line;
  moa_xml_check_attrs (ctx, node, attrs);
  t->id = g_strdup (moa_xml_get_id (ctx, node, "id"));
  read_children (ctx, node, &t->title, NULL, NULL, _ ("<title>"));
  return t;
}

static gboolean
activity_child (MoaXmlCtx *ctx, const MoaXmlNode *child, gpointer data)
{
  static const char *const attrs[] = { "for", "simple", "medium", "high", "source", NULL };
  static const char *const kinds[] = { "business", "citizen", NULL };
  static const char *const levels[] = { "simple", "medium", "high" };
  MoaStandardActivity *a = data;
  MoaValue **times;
  int kind = -1;

  if (strcmp (child->name, "times") != 0)
    return FALSE;
  moa_xml_check_attrs (ctx, child, attrs);
  moa_xml_check_no_children (ctx, child);
  if (!moa_xml_get_enum (ctx, child, "for", kinds, TRUE, &kind))
    return TRUE;
  times = kind == 0 ? a->business_time : a->citizen_time;
  for (int i = 0; i < 3; i++)
    if (times[i] != NULL)
      {
        moa_xml_problem (ctx, child, MOA_PARSE_ERROR_DUPLICATE_ID,
                         _ ("a second <times for=\"%s\">: there can be one per kind"), kinds[kind]);
        return TRUE;
      }
  for (int i = 0; i < 3; i++)
    moa_xml_get_value (ctx, child, levels[i], MOA_DIM_TIME, TRUE, &times[i]);
  return TRUE;
}

static MoaStandardActivity *
read_activity (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  static const char *const attrs[] = { "id", "source", NULL };
  MoaStandardActivity *a = g_new0 (MoaStandardActivity, 1);
  guint n_times = 0;

  a->line = node->line;
  moa_xml_check_attrs (ctx, node, attrs);
  a->id = g_strdup (moa_xml_get_id (ctx, node, "id"));
  a->source = read_source (ctx, node);
  read_children (ctx, node, &a->title, activity_child, a, _ ("<title>, <times>"));
  for (guint i = 0; i < node->children->len; i++)
    if (strcmp (((MoaXmlNode *)g_ptr_array_index (node->children, i))->name, "times") == 0)
      n_times++;
  if (n_times == 0)
    moa_xml_problem (ctx, node, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("a standard activity needs at least one <times for=\"business\"> or "
                        "<times for=\"citizen\">"));
  return a;
}

static MoaTariffProfile *
read_tariff (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  static const char *const attrs[] = { "id", "rate", "external", "source", NULL };
  MoaTariffProfile *t = g_new0 (MoaTariffProfile, 1);

  t->line = node->line;
  moa_xml_check_attrs (ctx, node, attrs);
  t->id = g_strdup (moa_xml_get_id (ctx, node, "id"));
  moa_xml_get_value (ctx, node, "rate", MOA_DIM_RATE, TRUE, &t->rate);
  moa_xml_get_bool (ctx, node, "external", FALSE, &t->external);
  t->source = read_source (ctx, node);
  read_children (ctx, node, &t->title, NULL, NULL, _ ("<title>"));
  return t;
}

static MoaTravelEntry *
read_destination (MoaXmlCtx *ctx, const MoaXmlNode *node)
{
  static const char *const attrs[] = { "id", "time", "cost", "source", NULL };
  MoaTravelEntry *t = g_new0 (MoaTravelEntry, 1);

  t->line = node->line;
  moa_xml_check_attrs (ctx, node, attrs);
  t->id = g_strdup (moa_xml_get_id (ctx, node, "id"));
  moa_xml_get_value (ctx, node, "time", MOA_DIM_TIME, TRUE, &t->time);
  moa_xml_get_value (ctx, node, "cost", MOA_DIM_MONEY, TRUE, &t->cost);
  t->source = read_source (ctx, node);
  read_children (ctx, node, &t->title, NULL, NULL, _ ("<title>"));
  return t;
}

/* A list element (<tariffs>, ...): every child must be @item; ids unique within the list. */
typedef gpointer (*ItemFunc) (MoaXmlCtx *ctx, const MoaXmlNode *node);

static void
read_list (MoaXmlCtx *ctx, const MoaXmlNode *list, const char *item, ItemFunc read_item,
           GPtrArray *items, GHashTable *index)
{
  static const char *const none[] = { NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *expected = g_strdup_printf ("<%s>", item);
  guint n = 0;

  moa_xml_check_attrs (ctx, list, none);
  for (guint i = 0; i < list->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (list->children, i);
      gpointer obj;
      const char *id;

      if (strcmp (child->name, item) != 0)
        {
          moa_xml_unknown_element (ctx, child, expected);
          continue;
        }
      n++;
      obj = read_item (ctx, child);
      g_ptr_array_add (items, obj);
      /* Every item struct starts with its id. */
      id = *(const char **)obj;
      if (id != NULL && moa_xml_register_id (ctx, seen, child, id) && index != NULL)
        g_hash_table_insert (index, (gpointer)id, obj);
    }
  if (n == 0)
    moa_xml_problem (ctx, list, MOA_PARSE_ERROR_MISSING_ELEMENT, _ ("<%s> needs at least one <%s>"),
                     list->name, item);
}

static void
read_overhead (MoaXmlCtx *ctx, const MoaXmlNode *node, MoaCostModel *m)
{
  static const char *const attrs[] = { "rate", "source", NULL };
  g_autoptr (MoaValue) rate = NULL;

  moa_xml_check_attrs (ctx, node, attrs);
  moa_xml_check_no_children (ctx, node);
  m->overhead_source = read_source (ctx, node);
  if (!moa_xml_get_value (ctx, node, "rate", MOA_DIM_FRACTION, TRUE, &rate))
    return;
  /* The overhead is a convention of the method, not an uncertain quantity: the model keeps
   * a plain number (MoaCostModel.overhead_rate). */
  if (moa_value_is_uncertain (rate))
    {
      moa_xml_problem (ctx, node, MOA_PARSE_ERROR_BAD_DISTRIBUTION,
                       _ ("rate: \"%s\": the overhead rate is a fixed number, not a "
                          "distribution"),
                       moa_xml_node_get_attr (node, "rate"));
      return;
    }
  m->overhead_rate = rate->mean;
}

static void
read_citizen_time (MoaXmlCtx *ctx, const MoaXmlNode *node, MoaCostModel *m)
{
  static const char *const attrs[] = { "monetised", "rate", "source", NULL };
  const char *monetised;

  moa_xml_check_attrs (ctx, node, attrs);
  moa_xml_check_no_children (ctx, node);
  m->citizen_source = read_source (ctx, node);
  monetised = moa_xml_require_attr (ctx, node, "monetised");
  if (monetised == NULL
      || !moa_xml_get_bool (ctx, node, "monetised", FALSE, &m->citizen_time_monetised))
    return;
  if (m->citizen_time_monetised)
    {
      if (moa_xml_node_get_attr (node, "rate") == NULL)
        moa_xml_problem (ctx, node, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                         _ ("monetised=\"true\" needs a rate, e.g. rate=\"15 EUR/h\""));
      else
        moa_xml_get_value (ctx, node, "rate", MOA_DIM_RATE, TRUE, &m->citizen_rate);
    }
  else if (moa_xml_node_get_attr (node, "rate") != NULL)
    moa_xml_problem (ctx, node, MOA_PARSE_ERROR_CONFLICT,
                     _ ("monetised=\"false\" takes no rate: remove rate=\"%s\" or write "
                        "monetised=\"true\""),
                     moa_xml_node_get_attr (node, "rate"));
}

static void
read_defaults (MoaXmlCtx *ctx, const MoaXmlNode *node, MoaCostModel *m)
{
  static const char *const attrs[]
      = { "business-tariff", "administration-tariff", "external-tariff", NULL };

  moa_xml_check_attrs (ctx, node, attrs);
  moa_xml_check_no_children (ctx, node);
  m->default_business_tariff = g_strdup (moa_xml_get_ref (ctx, node, attrs[0], NULL));
  m->default_administration_tariff = g_strdup (moa_xml_get_ref (ctx, node, attrs[1], NULL));
  m->default_external_tariff = g_strdup (moa_xml_get_ref (ctx, node, attrs[2], NULL));
}

/* Every default tariff names a tariff of the model (docs/cost-model-format.md). */
static void
check_defaults (MoaXmlCtx *ctx, const MoaXmlNode *node, MoaCostModel *m)
{
  const char *const names[] = { "business-tariff", "administration-tariff", "external-tariff" };
  const char *const ids[] = { m->default_business_tariff, m->default_administration_tariff,
                              m->default_external_tariff };

  for (int i = 0; i < 3; i++)
    if (ids[i] != NULL && g_hash_table_lookup (m->tariff_index, ids[i]) == NULL)
      moa_xml_problem_full (ctx, node, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_TARIFF,
                            _ ("%s=\"%s\" is not a <tariff> of this cost model"), names[i], ids[i]);
}

static void
read_root (MoaXmlCtx *ctx, const MoaXmlNode *root, MoaCostModel *m)
{
  static const char *const attrs[] = { "format", "id", "version", "currency", "price-year", NULL };
  static const char *const formats[] = { "1", NULL };
  static const char *const singles[] = { "source",           "overhead",
                                         "citizen-time",     "defaults",
                                         "obligation-types", "standard-activities",
                                         "tariffs",          "travel" };
  static const gboolean required[] = { FALSE, TRUE, TRUE, FALSE, TRUE, TRUE, TRUE, FALSE };
  const MoaXmlNode *found[G_N_ELEMENTS (singles)] = { NULL };
  const char *version, *currency;
  gint64 year = 0;
  int format = -1;
  guint n_titles = 0;

  m->line = root->line;
  moa_xml_check_attrs (ctx, root, attrs);
  moa_xml_get_enum (ctx, root, "format", formats, TRUE, &format);
  m->id = g_strdup (moa_xml_get_id (ctx, root, "id"));

  version = moa_xml_require_attr (ctx, root, "version");
  if (version != NULL && (*version == '\0' || strpbrk (version, " \t\r\n") != NULL))
    moa_xml_problem (ctx, root, MOA_PARSE_ERROR_BAD_ENUM,
                     _ ("version=\"%s\" is not a version: expected one word, e.g. \"2024.1\""),
                     version);
  else
    m->version = g_strdup (version);

  currency = moa_xml_node_get_attr (root, "currency");
  if (currency == NULL)
    currency = "EUR";
  if (strlen (currency) != 3 || !g_ascii_isupper (currency[0]) || !g_ascii_isupper (currency[1])
      || !g_ascii_isupper (currency[2]))
    moa_xml_problem (ctx, root, MOA_PARSE_ERROR_BAD_ENUM,
                     _ ("currency=\"%s\" is not a currency code: expected three capital letters, "
                        "e.g. \"EUR\""),
                     currency);
  else
    m->currency = g_strdup (currency);

  if (moa_xml_get_int (ctx, root, "price-year", TRUE, 1900, 2999, &year))
    m->price_year = (int)year;

  for (guint i = 0; i < root->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (root->children, i);
      gsize k;

      if (strcmp (child->name, "title") == 0)
        {
          n_titles++;
          moa_xml_read_title (ctx, child, &m->title);
          continue;
        }
      for (k = 0; k < G_N_ELEMENTS (singles); k++)
        if (strcmp (child->name, singles[k]) == 0)
          break;
      if (k == G_N_ELEMENTS (singles))
        {
          moa_xml_unknown_element (ctx, child,
                                   _ ("<title>, <source>, <overhead>, <citizen-time>, "
                                      "<defaults>, <obligation-types>, <standard-activities>, "
                                      "<tariffs>, <travel>"));
          continue;
        }
      if (found[k] != NULL)
        {
          moa_xml_problem (ctx, child, MOA_PARSE_ERROR_UNKNOWN_ELEMENT,
                           _ ("a second <%s> (the first is at line %d): there can be only one"),
                           child->name, found[k]->line);
          continue;
        }
      found[k] = child;
      switch (k)
        {
          case 0:
            m->source = moa_xml_read_text (ctx, child);
            break;
          case 1:
            read_overhead (ctx, child, m);
            break;
          case 2:
            read_citizen_time (ctx, child, m);
            break;
          case 3:
            read_defaults (ctx, child, m);
            break;
          case 4:
            read_list (ctx, child, "type", (ItemFunc)read_type, m->obligation_types, m->type_index);
            break;
          case 5:
            read_list (ctx, child, "activity", (ItemFunc)read_activity, m->standard_activities,
                       m->activity_index);
            break;
          case 6:
            read_list (ctx, child, "tariff", (ItemFunc)read_tariff, m->tariffs, m->tariff_index);
            break;
          case 7:
            read_list (ctx, child, "destination", (ItemFunc)read_destination, m->travel, NULL);
            break;
          default:
            g_assert_not_reached ();
        }
    }

  if (n_titles == 0)
    moa_xml_problem (ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("<cost-model> needs a <title lang=\"it\"> or a <title lang=\"en\">"));
  for (gsize k = 0; k < G_N_ELEMENTS (singles); k++)
    if (required[k] && found[k] == NULL)
      moa_xml_problem (ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                       _ ("<cost-model> has no <%s>: it is required"), singles[k]);
  if (found[3] != NULL)
    check_defaults (ctx, found[3], m);
}

/* Loads the cost model file @path (docs/cost-model-format.md). Every problem found is appended
 * to @problems (when not NULL) with file, line and element. Returns a new model (reference 1),
 * or NULL when any problem was found, with @error set from the first of them. The file is read
 * by moa_xml_parse_file(): no network, no entities, bounded. */
MoaCostModel *
moa_cost_model_load_file (const char *path, GPtrArray *problems, GError **error)
{
  g_autoptr (GPtrArray) own = NULL;
  g_autoptr (MoaXmlNode) root = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (MoaCostModel) model = NULL;
  MoaXmlCtx ctx;
  guint first;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems == NULL)
    problems = own = moa_problems_new ();
  first = problems->len;
  ctx.file = path;
  ctx.problems = problems;

  root = moa_xml_parse_file (path, &local);
  if (root == NULL)
    moa_xml_problem_from_error (&ctx, local);
  else if (strcmp (root->name, "cost-model") != 0)
    moa_xml_problem (&ctx, root, MOA_PARSE_ERROR_WRONG_ROOT,
                     _ ("the root element is <%s>: a cost model file starts with <cost-model>"),
                     root->name);
  else
    {
      model = cost_model_new ();
      model->file = g_strdup (path);
      read_root (&ctx, root, model);
    }

  if (problems->len > first)
    {
      const MoaProblem *p = g_ptr_array_index (problems, first);
      g_set_error_literal (error, p->domain, p->code, p->message);
      return NULL;
    }
  return g_steal_pointer (&model);
}

/* ---------------------------------------------------------------------------------------- */
/* Sets of models */

struct _MoaModelSet
{
  GHashTable *by_id; /* id -> MoaCostModel* (a reference, released by the table) */
  GPtrArray *sorted; /* MoaCostModel*, borrowed from by_id, sorted by id */
};

/* Returns a new, empty set (free with moa_model_set_free()). */
MoaModelSet *
moa_model_set_new (void)
{
  MoaModelSet *set = g_new0 (MoaModelSet, 1);

  set->by_id
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)moa_cost_model_unref);
  set->sorted = g_ptr_array_new ();
  return set;
}

/* Frees @set and drops its references on the models. NULL-safe. */
void
moa_model_set_free (MoaModelSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->sorted);
  g_hash_table_unref (set->by_id);
  g_free (set);
}

static gint
compare_models (gconstpointer a, gconstpointer b)
{
  const MoaCostModel *ma = *(const MoaCostModel *const *)a;
  const MoaCostModel *mb = *(const MoaCostModel *const *)b;
  return strcmp (ma->id, mb->id);
}

/* Adds @model to @set, taking a new reference; a model with the same id is replaced. */
void
moa_model_set_add (MoaModelSet *set, MoaCostModel *model)
{
  MoaCostModel *old;

  g_return_if_fail (set != NULL);
  g_return_if_fail (model != NULL && model->id != NULL);

  old = g_hash_table_lookup (set->by_id, model->id);
  if (old == model)
    return;
  if (old != NULL)
    g_ptr_array_remove (set->sorted, old);
  /* The key is the model's own id, so it must be replaced with the value (insert would keep
   * the old model's id, freed with it). */
  g_hash_table_replace (set->by_id, model->id, moa_cost_model_ref (model));
  g_ptr_array_add (set->sorted, model);
  g_ptr_array_sort (set->sorted, compare_models);
}

/* The model @id of @set (borrowed), or NULL. */
MoaCostModel *
moa_model_set_lookup (const MoaModelSet *set, const char *id)
{
  g_return_val_if_fail (set != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return g_hash_table_lookup (set->by_id, id);
}

/* The models of @set sorted by id (borrowed; valid until the set changes). */
GPtrArray *
moa_model_set_get_models (const MoaModelSet *set)
{
  g_return_val_if_fail (set != NULL, NULL);
  return set->sorted;
}

/* The models' ids joined by ", ", or "none" (a new string). */
char *
moa_model_set_get_ids (const MoaModelSet *set)
{
  g_return_val_if_fail (set != NULL, g_strdup (_ ("none")));

  GPtrArray *models = set->sorted;
  if (models == NULL || models->len == 0)
    return g_strdup (_ ("none"));
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < models->len; i++)
    {
      const MoaCostModel *m = g_ptr_array_index (models, i);
      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, m->id);
    }
  return g_string_free (s, FALSE);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Loads every *.xml file of @dir, in the order of their names, into @set. Problems of every
 * file are appended to @problems (when not NULL); a model id defined by two files is a
 * DUPLICATE_ID problem. Returns TRUE when there was none; else FALSE with @error set from the
 * first problem of this call. Models without problems are added even then. */
gboolean
moa_model_set_load_dir (MoaModelSet *set, const char *dir, GPtrArray *problems, GError **error)
{
  g_autoptr (GPtrArray) own = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (GDir) d = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) loaded_from
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *name;
  guint first;

  g_return_val_if_fail (set != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (problems == NULL)
    problems = own = moa_problems_new ();
  first = problems->len;

  d = g_dir_open (dir, 0, &local);
  if (d == NULL)
    {
      MoaProblem *p
          = moa_problems_add (problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_IO, NULL, 0, NULL,
                              _ ("%s: cannot read the cost model folder: %s"), dir, local->message);
      p->file = g_strdup (dir);
    }
  else
    {
      while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_suffix (name, ".xml"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
    }

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr (MoaCostModel) model = moa_cost_model_load_file (path, problems, NULL);
      const char *other;

      if (model == NULL)
        continue;
      other = g_hash_table_lookup (loaded_from, model->id);
      if (other != NULL)
        {
          moa_problems_add (problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_DUPLICATE_ID, path,
                            model->line, model->id,
                            _ ("the cost model id \"%s\" is already used by %s"), model->id, other);
          continue;
        }
      g_hash_table_insert (loaded_from, g_strdup (model->id), g_strdup (path));
      moa_model_set_add (set, model);
    }

  if (problems->len > first)
    {
      const MoaProblem *p = g_ptr_array_index (problems, first);
      g_set_error_literal (error, p->domain, p->code, p->message);
      return FALSE;
    }
  return TRUE;
}

/* The folder of the shipped cost models (newly allocated): $MOA_MODELS_DIR when set and not
 * empty; else MOA_SOURCE_DIR/models when that folder exists (a build tree, where the models
 * are not installed yet); else MOA_DATADIR/models. */
char *
moa_default_models_dir (void)
{
  const char *env = g_getenv ("MOA_MODELS_DIR");
  g_autofree char *source = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  source = g_build_filename (MOA_SOURCE_DIR, "models", NULL);
  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&source);
  return g_build_filename (MOA_DATADIR, "models", NULL);
}
