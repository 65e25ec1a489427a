/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simplification scenarios (docs/scenario-format.md): strict loading of scenario files and
 * their baseline chains, and the application of their measures to a copy of the procedure. */

#include "moa-config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "moa-error.h"
#include "moa-procedure-reader-private.h"
#include "moa-scenario.h"
#include "moa-xml-util.h"
#include "moa-xml.h"

/* docs/scenario-format.md, the measure types, in the order of MoaMeasureType. */
static const char *const measure_type_names[]
    = { "digitalise-submission", "once-only",         "remove",
        "change-frequency",      "change-population", "set-parameter",
        "add-activity",          "add-obligation",    NULL };

static const char *const scenario_attrs[] = { "format", "id", "baseline", "one-off-years", NULL };
static const char *const digitalise_attrs[] = { "id", "type", "obligations", NULL };
static const char *const once_only_attrs[] = { "id", "type", "obligations", "activities", NULL };
static const char *const remove_attrs[] = { "id", "type", "elements", NULL };
static const char *const frequency_attrs[]
    = { "id", "type", "obligation", "frequency", "cases", NULL };
static const char *const population_attrs[] = { "id", "type", "segment", "population", NULL };
static const char *const plain_attrs[] = { "id", "type", NULL };
static const char *const add_activity_attrs[] = { "id", "type", "after", NULL };
/* Attributes of <measure> by type, in the order of MoaMeasureType. */
static const char *const *const type_attrs[]
    = { digitalise_attrs, once_only_attrs, remove_attrs,       frequency_attrs,
        population_attrs, plain_attrs,     add_activity_attrs, plain_attrs };
static const char *const set_attrs[] = { "element", "attribute", "value", "segment", NULL };

/* The parameters a <set> may change, and their dimensions. */
typedef enum
{
  P_TIME,
  P_TARIFF,
  P_FEE,
  P_ACQUISITIONS,
  P_OUT_OF_POCKET,
  P_BAU,
  P_PROBABILITY,
  P_FREQUENCY,
  P_CASES,
  P_COMPLIANCE,
  P_POPULATION,
} ParamName;

static const char *const param_names[]
    = { "time",        "tariff",    "fee",   "acquisitions", "out-of-pocket", "bau",
        "probability", "frequency", "cases", "compliance",   "population",    NULL };
static const MoaDimension param_dims[]
    = { MOA_DIM_TIME,  MOA_DIM_RATE,     MOA_DIM_MONEY,    MOA_DIM_MONEY,
        MOA_DIM_MONEY, MOA_DIM_FRACTION, MOA_DIM_FRACTION, MOA_DIM_COUNT,
        MOA_DIM_COUNT, MOA_DIM_FRACTION, MOA_DIM_COUNT };

/* An element address: OBL (or a segment), OBL/NODE, OBL/GATEWAY>TARGET. */
typedef enum
{
  ADDR_ID = 1 << 0,
  ADDR_NODE = 1 << 1,
  ADDR_BRANCH = 1 << 2,
} AddrKind;

typedef struct
{
  AddrKind kind;
  char *id;     /* the obligation, or the bare id */
  char *node;   /* ADDR_NODE, ADDR_BRANCH: the node, or the gateway */
  char *target; /* ADDR_BRANCH: the branch's target */
} Address;

/* One <set>. */
typedef struct
{
  int line;
  char *element; /* the address, as written */
  ParamName attribute;
  char *segment;   /* NULL: the element's own value, for every segment */
  MoaValue *value; /* NULL when @profile is set */
  char *profile;   /* tariff only: a tariff profile id */
} SetChange;

/* A measure as read; the public part first, so that a Measure* is a MoaMeasure*. */
typedef struct
{
  MoaMeasure pub;
  char **obligations;        /* scope of digitalise-submission and once-only; NULL: all */
  char **addresses;          /* once-only activities, remove elements; NULL: the default */
  char *target;              /* change-frequency obligation, change-population segment,
                              * add-activity after */
  ParamName count;           /* change-frequency: P_FREQUENCY or P_CASES */
  MoaValue *value;           /* change-frequency, change-population */
  const MoaXmlNode *content; /* add-activity <activity>, add-obligation <obligation>
                              * (borrowed from the scenario's tree) */
  GPtrArray *sets;           /* SetChange* */
} Measure;

struct _MoaScenario
{
  char *file; /* as given, or as resolved from the child scenario */
  int line;
  char *id;
  MoaTitle title;
  char *note;
  char *source;
  double one_off_years;
  MoaScenario *parent;    /* owned */
  MoaProcedure *baseline; /* the chain's procedure */
  GPtrArray *measures;    /* Measure* */
  MoaXmlNode *tree;       /* kept: added activities and obligations are read when applied */
};

/* ---------------------------------------------------------------------------------------- */
/* Freeing */

static void
address_clear (Address *address)
{
  g_clear_pointer (&address->id, g_free);
  g_clear_pointer (&address->node, g_free);
  g_clear_pointer (&address->target, g_free);
}

static void
set_change_free (SetChange *set)
{
  if (set == NULL)
    return;
  g_free (set->element);
  g_free (set->segment);
  g_clear_pointer (&set->value, moa_value_unref);
  g_free (set->profile);
  g_free (set);
}

static void
measure_free (Measure *m)
{
  if (m == NULL)
    return;
  g_free (m->pub.id);
  moa_title_clear (&m->pub.title);
  g_free (m->pub.justification);
  g_free (m->pub.source);
  g_strfreev (m->obligations);
  g_strfreev (m->addresses);
  g_free (m->target);
  g_clear_pointer (&m->value, moa_value_unref);
  g_clear_pointer (&m->sets, g_ptr_array_unref);
  g_free (m);
}

/* Frees @scenario, the scenarios it is based on and its reference to the procedure.
 * NULL-safe. */
void
moa_scenario_free (MoaScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->file);
  g_free (scenario->id);
  moa_title_clear (&scenario->title);
  g_free (scenario->note);
  g_free (scenario->source);
  g_clear_pointer (&scenario->parent, moa_scenario_free);
  g_clear_pointer (&scenario->baseline, moa_procedure_unref);
  g_clear_pointer (&scenario->measures, g_ptr_array_unref);
  g_clear_pointer (&scenario->tree, moa_xml_node_free);
  g_free (scenario);
}

/* ---------------------------------------------------------------------------------------- */
/* Small helpers */

/* Returns the name of @type in the format ("digitalise-submission", ...; static), or NULL for a
 * value outside the enumeration. */
const char *
moa_measure_type_to_string (MoaMeasureType type)
{
  if ((guint)type >= G_N_ELEMENTS (measure_type_names) - 1)
    return NULL;
  return measure_type_names[type];
}

/* Parses @text as an address of one of the kinds in @allowed (a mask of AddrKind). */
static gboolean
address_parse (const char *text, guint allowed, Address *out)
{
  const char *slash = strchr (text, '/');
  const char *arrow;

  memset (out, 0, sizeof *out);
  if (slash == NULL)
    {
      if ((allowed & ADDR_ID) == 0 || !moa_xml_id_is_valid (text))
        return FALSE;
      out->kind = ADDR_ID;
      out->id = g_strdup (text);
      return TRUE;
    }
  out->id = g_strndup (text, slash - text);
  arrow = strchr (slash + 1, '>');
  if (arrow == NULL)
    {
      out->kind = ADDR_NODE;
      out->node = g_strdup (slash + 1);
    }
  else
    {
      out->kind = ADDR_BRANCH;
      out->node = g_strndup (slash + 1, arrow - slash - 1);
      out->target = g_strdup (arrow + 1);
    }
  if ((allowed & out->kind) == 0 || !moa_xml_id_is_valid (out->id)
      || !moa_xml_id_is_valid (out->node)
      || (out->kind == ADDR_BRANCH && !moa_xml_id_is_valid (out->target)))
    {
      address_clear (out);
      return FALSE;
    }
  return TRUE;
}

/* How an address of the kinds in @allowed is written, for messages. */
static const char *
address_forms (guint allowed)
{
  switch (allowed)
    {
      case ADDR_ID:
        return _ ("an id");
      case ADDR_NODE:
        return _ ("OBLIGATION/NODE");
      case ADDR_ID | ADDR_NODE:
        return _ ("OBLIGATION or OBLIGATION/NODE");
      default:
        return _ ("OBLIGATION, SEGMENT, OBLIGATION/NODE or OBLIGATION/GATEWAY>TARGET");
    }
}

/* Reads attribute @name of @xml as a space-separated list of addresses of the kinds in
 * @allowed. Returns NULL when absent (a problem when @required) or when a problem was found. */
static char **
read_address_list (MoaXmlCtx *ctx, const MoaXmlNode *xml, const char *name, guint allowed,
                   gboolean required)
{
  const char *text = moa_xml_node_get_attr (xml, name);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) words = NULL;
  gboolean ok = TRUE;

  if (text == NULL)
    {
      if (required)
        moa_xml_require_attr (ctx, xml, name);
      return NULL;
    }
  words = g_strsplit_set (text, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      Address address;
      gboolean twice = FALSE;

      if (words[i][0] == '\0')
        continue;
      if (!address_parse (words[i], allowed, &address))
        {
          moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_BAD_ID,
                           _ ("%s: \"%s\" is not a valid address (expected %s, each id made of "
                              "letters, digits, '.', '_' or '-', starting with a letter or "
                              "digit)"),
                           name, words[i], address_forms (allowed));
          ok = FALSE;
          continue;
        }
      address_clear (&address);
      for (guint j = 0; j < list->len; j++)
        twice = twice || strcmp (g_ptr_array_index (list, j), words[i]) == 0;
      if (twice)
        {
          moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_DUPLICATE_ID, _ ("%s: \"%s\" is listed twice"),
                           name, words[i]);
          ok = FALSE;
          continue;
        }
      g_ptr_array_add (list, g_strdup (words[i]));
    }
  if (ok && list->len == 0)
    {
      moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                       _ ("%s is empty (expected one or more of %s, separated by spaces)"), name,
                       address_forms (allowed));
      return NULL;
    }
  if (!ok)
    return NULL;
  g_ptr_array_add (list, NULL);
  return (char **)g_ptr_array_free (g_steal_pointer (&list), FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading a scenario file */

static SetChange *
read_set (MoaXmlCtx *ctx, const MoaXmlNode *xml)
{
  g_autoptr (MoaValue) value = NULL;
  g_autofree char *profile = NULL;
  guint first = ctx->problems->len;
  const char *element, *segment, *text;
  int attribute = -1;
  Address address;
  SetChange *set;

  moa_xml_check_attrs (ctx, xml, set_attrs);
  moa_xml_check_no_children (ctx, xml);
  moa_xml_check_no_text (ctx, xml);

  element = moa_xml_require_attr (ctx, xml, "element");
  if (element != NULL)
    {
      if (address_parse (element, ADDR_ID | ADDR_NODE | ADDR_BRANCH, &address))
        address_clear (&address);
      else
        moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_BAD_ID,
                         _ ("element: \"%s\" is not a valid address (expected %s)"), element,
                         address_forms (ADDR_ID | ADDR_NODE | ADDR_BRANCH));
    }
  moa_xml_get_enum (ctx, xml, "attribute", param_names, TRUE, &attribute);
  segment = moa_xml_get_ref (ctx, xml, "segment", NULL);

  text = moa_xml_node_get_attr (xml, "value");
  if (text == NULL)
    moa_xml_require_attr (ctx, xml, "value");
  else if (attribute == P_TARIFF)
    {
      /* an explicit rate, else the id of a tariff profile, as on an activity */
      value = moa_value_parse (text, MOA_DIM_RATE, NULL);
      if (value == NULL && !moa_xml_looks_like_value (text) && moa_xml_id_is_valid (text))
        profile = g_strdup (text);
      else if (value == NULL)
        moa_xml_get_value (ctx, xml, "value", MOA_DIM_RATE, TRUE, &value);
    }
  else if (attribute >= 0)
    moa_xml_get_value (ctx, xml, "value", param_dims[attribute], TRUE, &value);

  if (ctx->problems->len > first)
    return NULL;
  set = g_new0 (SetChange, 1);
  set->line = xml->line;
  set->element = g_strdup (element);
  set->attribute = (ParamName)attribute;
  set->segment = g_strdup (segment);
  set->value = g_steal_pointer (&value);
  set->profile = g_steal_pointer (&profile);
  return set;
}

/* Reads the type's own attributes of measure @xml into @m. */
static void
read_measure_attrs (MoaXmlCtx *ctx, const MoaXmlNode *xml, Measure *m)
{
  switch (m->pub.type)
    {
      case MOA_MEASURE_DIGITALISE_SUBMISSION:
        m->obligations = read_address_list (ctx, xml, "obligations", ADDR_ID, FALSE);
        break;
      case MOA_MEASURE_ONCE_ONLY:
        m->obligations = read_address_list (ctx, xml, "obligations", ADDR_ID, FALSE);
        m->addresses = read_address_list (ctx, xml, "activities", ADDR_NODE, FALSE);
        break;
      case MOA_MEASURE_REMOVE:
        m->addresses = read_address_list (ctx, xml, "elements", ADDR_ID | ADDR_NODE, TRUE);
        break;
      case MOA_MEASURE_CHANGE_FREQUENCY:
        {
          gboolean has_frequency = moa_xml_node_get_attr (xml, "frequency") != NULL;
          gboolean has_cases = moa_xml_node_get_attr (xml, "cases") != NULL;

          m->target = g_strdup (moa_xml_get_id (ctx, xml, "obligation"));
          if (has_frequency && has_cases)
            moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_CONFLICT,
                             _ ("frequency and cases exclude each other (expected exactly one: "
                                "frequency per entity, or cases per year in total)"));
          else if (!has_frequency && !has_cases)
            moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                             _ ("neither frequency nor cases (expected exactly one: frequency "
                                "per entity, or cases per year in total)"));
          else
            {
              m->count = has_frequency ? P_FREQUENCY : P_CASES;
              moa_xml_get_value (ctx, xml, param_names[m->count], MOA_DIM_COUNT, TRUE, &m->value);
            }
        }
        break;
      case MOA_MEASURE_CHANGE_POPULATION:
        m->target = g_strdup (moa_xml_get_id (ctx, xml, "segment"));
        moa_xml_get_value (ctx, xml, "population", MOA_DIM_COUNT, TRUE, &m->value);
        break;
      case MOA_MEASURE_ADD_ACTIVITY:
        {
          const char *after = moa_xml_require_attr (ctx, xml, "after");
          Address address;

          if (after != NULL && address_parse (after, ADDR_NODE, &address))
            {
              address_clear (&address);
              m->target = g_strdup (after);
            }
          else if (after != NULL)
            moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_BAD_ID,
                             _ ("after: \"%s\" is not a valid address (expected %s)"), after,
                             address_forms (ADDR_NODE));
        }
        break;
      case MOA_MEASURE_SET_PARAMETER:
      case MOA_MEASURE_ADD_OBLIGATION:
        break;
    }
}

static Measure *
read_measure (MoaXmlCtx *ctx, GHashTable *seen, const MoaXmlNode *xml)
{
  const MoaXmlNode *justification = NULL, *source = NULL, *content = NULL;
  const char *content_name = NULL;
  gboolean has_title = FALSE;
  Measure *m = g_new0 (Measure, 1);
  const char *id;
  int type = -1;

  m->pub.line = xml->line;
  m->sets = g_ptr_array_new_with_free_func ((GDestroyNotify)set_change_free);
  id = moa_xml_get_id (ctx, xml, "id");
  if (id != NULL)
    moa_xml_register_id (ctx, seen, xml, id);
  m->pub.id = g_strdup (id);
  moa_xml_check_no_text (ctx, xml);

  if (moa_xml_get_enum (ctx, xml, "type", measure_type_names, TRUE, &type) && type >= 0)
    {
      m->pub.type = (MoaMeasureType)type;
      moa_xml_check_attrs (ctx, xml, type_attrs[type]);
      read_measure_attrs (ctx, xml, m);
      if (type == MOA_MEASURE_ADD_ACTIVITY)
        content_name = "activity";
      else if (type == MOA_MEASURE_ADD_OBLIGATION)
        content_name = "obligation";
    }

  for (guint i = 0; xml->children != NULL && i < xml->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (xml->children, i);

      if (strcmp (child->name, "title") == 0)
        {
          has_title = TRUE;
          moa_xml_read_title (ctx, child, &m->pub.title);
        }
      else if (strcmp (child->name, "justification") == 0)
        moa_xml_read_text_once (ctx, &justification, child, &m->pub.justification);
      else if (strcmp (child->name, "source") == 0)
        moa_xml_read_text_once (ctx, &source, child, &m->pub.source);
      else if (strcmp (child->name, "set") == 0)
        {
          SetChange *set = read_set (ctx, child);

          if (set != NULL)
            g_ptr_array_add (m->sets, set);
        }
      else if (content_name != NULL && strcmp (child->name, content_name) == 0)
        {
          if (moa_xml_first_of_its_kind (ctx, &content, child))
            m->content = child;
        }
      else if (content_name != NULL)
        {
          g_autofree char *expected
              = g_strdup_printf ("<title>, <justification>, <source>, <%s>, <set>", content_name);

          moa_xml_unknown_element (ctx, child, expected);
        }
      else
        moa_xml_unknown_element (ctx, child, "<title>, <justification>, <source>, <set>");
    }

  if (!has_title)
    moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <title> (expected <title lang=\"it\"> and/or <title lang=\"en\">)"));
  if (justification == NULL || m->pub.justification == NULL)
    moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <justification> (expected one: why this measure changes these "
                        "figures)"));
  if (source == NULL || m->pub.source == NULL)
    moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <source> (expected one: where the numbers come from, or "
                        "\"illustrative\")"));
  if (content_name != NULL && content == NULL)
    moa_xml_problem (ctx, xml, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <%s> (a measure of type %s adds exactly one, written as in a "
                        "procedure file)"),
                     content_name, measure_type_names[type]);
  return m;
}

/* Reads the root element @root into @s (everything but the baseline). */
static void
read_scenario (MoaXmlCtx *ctx, const MoaXmlNode *root, MoaScenario *s)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const MoaXmlNode *note = NULL, *source = NULL;
  gboolean has_title = FALSE;
  const char *years;

  moa_xml_check_attrs (ctx, root, scenario_attrs);
  moa_xml_check_no_text (ctx, root);
  s->id = g_strdup (moa_xml_get_id (ctx, root, "id"));

  s->one_off_years = 10.0;
  years = moa_xml_node_get_attr (root, "one-off-years");
  if (years != NULL)
    {
      char *end = NULL;
      double x = g_ascii_strtod (years, &end);

      if (end == years || *end != '\0' || !isfinite (x))
        moa_xml_problem (ctx, root, MOA_PARSE_ERROR_BAD_NUMBER,
                         _ ("one-off-years \"%s\" is not a number (expected a number of years, "
                            "e.g. \"10\")"),
                         years);
      else if (x <= 0.0)
        moa_xml_problem (ctx, root, MOA_PARSE_ERROR_OUT_OF_RANGE,
                         _ ("one-off-years \"%s\" is not positive (expected a number of years "
                            "above 0, e.g. \"10\")"),
                         years);
      else
        s->one_off_years = x;
    }

  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (root->children, i);

      if (strcmp (child->name, "title") == 0)
        {
          has_title = TRUE;
          moa_xml_read_title (ctx, child, &s->title);
        }
      else if (strcmp (child->name, "note") == 0)
        moa_xml_read_text_once (ctx, &note, child, &s->note);
      else if (strcmp (child->name, "source") == 0)
        moa_xml_read_text_once (ctx, &source, child, &s->source);
      else if (strcmp (child->name, "measure") == 0)
        g_ptr_array_add (s->measures, read_measure (ctx, seen, child));
      else
        moa_xml_unknown_element (ctx, child, "<title>, <note>, <source>, <measure>");
    }

  if (!has_title)
    moa_xml_problem (ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <title> (expected <title lang=\"it\"> and/or <title lang=\"en\">)"));
  if (s->measures->len == 0)
    moa_xml_problem (ctx, root, MOA_PARSE_ERROR_MISSING_ELEMENT,
                     _ ("no <measure> (expected at least one)"));
}

/* The absolute path of @path with symbolic links resolved when it exists (newly allocated). */
static char *
canonical_path (const char *path)
{
#ifdef G_OS_UNIX
  char *real = realpath (path, NULL);

  if (real != NULL)
    {
      char *copy = g_strdup (real);

      free (real);
      return copy;
    }
#endif
  return g_canonicalize_filename (path, NULL);
}

/* The file named @baseline in scenario file @path: relative to its folder. */
static char *
resolve_baseline (const char *path, const char *baseline)
{
  g_autofree char *dir = NULL;

  if (g_path_is_absolute (baseline))
    return g_strdup (baseline);
  dir = g_path_get_dirname (path);
  if (strcmp (dir, ".") == 0)
    return g_strdup (baseline);
  return g_build_filename (dir, baseline, NULL);
}

/* The files of the chain, for the message about a cycle. */
typedef struct
{
  GPtrArray *canonical; /* char*, the scenario files being loaded, outermost first */
  GPtrArray *shown;     /* char*, the same as named in messages */
} Chain;

/* Loads the scenario whose root element is @root_owned (taken; NULL when @parse_error says
 * why) from @path, and its baseline chain. Problems go to @problems. Returns the scenario, or
 * NULL when it could not be read at all. */
static MoaScenario *
load_tree (const char *path, MoaXmlNode *root_owned, const GError *parse_error, Chain *chain,
           GPtrArray *problems)
{
  g_autoptr (MoaXmlNode) root = root_owned;
  g_autoptr (MoaScenario) s = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *resolved_canonical = NULL;
  MoaXmlCtx ctx = { path, problems };
  const char *baseline;
  gboolean circular = FALSE;

  if (!moa_xml_check_root (&ctx, root, parse_error, "scenario",
                           _ ("the root element is <%s> (expected <scenario>)")))
    return NULL;

  s = g_new0 (MoaScenario, 1);
  s->file = g_strdup (path);
  s->line = root->line;
  s->measures = g_ptr_array_new_with_free_func ((GDestroyNotify)measure_free);
  read_scenario (&ctx, root, s);

  baseline = moa_xml_require_attr (&ctx, root, "baseline");
  if (baseline == NULL || *baseline == '\0')
    {
      if (baseline != NULL)
        moa_xml_problem (&ctx, root, MOA_PARSE_ERROR_MISSING_ATTRIBUTE,
                         _ ("baseline is empty (expected the path of a procedure or scenario "
                            "file, relative to this file)"));
      s->tree = g_steal_pointer (&root);
      return g_steal_pointer (&s);
    }
  resolved = resolve_baseline (path, baseline);
  resolved_canonical = canonical_path (resolved);

  for (guint i = 0; i < chain->canonical->len; i++)
    circular
        = circular || strcmp (g_ptr_array_index (chain->canonical, i), resolved_canonical) == 0;
  if (circular)
    {
      GString *files = g_string_new (NULL);

      for (guint i = 0; i < chain->shown->len; i++)
        g_string_append_printf (files, "%s → ", (char *)g_ptr_array_index (chain->shown, i));
      g_string_append (files, resolved);
      moa_xml_problem_full (&ctx, root, MOA_VALIDATION_ERROR,
                            MOA_VALIDATION_ERROR_CIRCULAR_BASELINE,
                            _ ("circular baseline: %s (expected a chain of scenarios that ends "
                               "with a procedure file)"),
                            files->str);
      g_string_free (files, TRUE);
    }
  else if (!g_file_test (resolved, G_FILE_TEST_EXISTS))
    moa_xml_problem (&ctx, root, MOA_PARSE_ERROR_IO,
                     _ ("baseline \"%s\" does not exist (looked for %s: the path is relative to "
                        "this file)"),
                     baseline, resolved);
  else
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaXmlNode) base_root = moa_xml_parse_file (resolved, &error);

      if (base_root != NULL && strcmp (base_root->name, "scenario") == 0)
        {
          g_ptr_array_add (chain->canonical, g_strdup (resolved_canonical));
          g_ptr_array_add (chain->shown, g_strdup (resolved));
          s->parent = load_tree (resolved, g_steal_pointer (&base_root), NULL, chain, problems);
          g_ptr_array_remove_index (chain->canonical, chain->canonical->len - 1);
          g_ptr_array_remove_index (chain->shown, chain->shown->len - 1);
          if (s->parent != NULL && s->parent->baseline != NULL)
            s->baseline = moa_procedure_ref (s->parent->baseline);
        }
      else if (base_root == NULL || strcmp (base_root->name, "procedure") == 0)
        /* the procedure reader reports a parse failure itself, with the baseline's name */
        s->baseline = moa_procedure_load_file (resolved, problems, NULL);
      else
        moa_problems_add (problems, MOA_PARSE_ERROR, MOA_PARSE_ERROR_WRONG_ROOT, resolved,
                          base_root->line, NULL,
                          _ ("the root element is <%s> (expected <procedure> or <scenario>: "
                             "the baseline of scenario \"%s\")"),
                          base_root->name, s->id != NULL ? s->id : "");
    }

  s->tree = g_steal_pointer (&root);
  return g_steal_pointer (&s);
}

/* ---------------------------------------------------------------------------------------- */
/* Copying a procedure */

static void
title_copy (MoaTitle *to, const MoaTitle *from)
{
  to->it = g_strdup (from->it);
  to->en = g_strdup (from->en);
}

static MoaValue *
value_ref0 (MoaValue *value)
{
  return value != NULL ? moa_value_ref (value) : NULL;
}

/* Values are immutable: the copy shares them. */
static void
param_copy (MoaParam *to, const MoaParam *from)
{
  to->value = value_ref0 (from->value);
  to->per_segment = NULL;
  if (from->per_segment == NULL)
    return;
  to->per_segment = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_segment_value_free);
  for (guint i = 0; i < from->per_segment->len; i++)
    {
      const MoaSegmentValue *sv = g_ptr_array_index (from->per_segment, i);
      MoaSegmentValue *copy = g_new0 (MoaSegmentValue, 1);

      copy->segment = g_strdup (sv->segment);
      copy->value = value_ref0 (sv->value);
      copy->profile = g_strdup (sv->profile);
      copy->line = sv->line;
      g_ptr_array_add (to->per_segment, copy);
    }
}

static MoaSegment *
segment_copy (const MoaSegment *from)
{
  MoaSegment *to = g_new0 (MoaSegment, 1);

  to->id = g_strdup (from->id);
  to->line = from->line;
  title_copy (&to->title, &from->title);
  to->population = value_ref0 (from->population);
  to->implicit = from->implicit;
  return to;
}

static MoaTargetGroup *
target_group_copy (const MoaTargetGroup *from)
{
  MoaTargetGroup *to = g_new0 (MoaTargetGroup, 1);

  to->id = g_strdup (from->id);
  to->line = from->line;
  to->kind = from->kind;
  title_copy (&to->title, &from->title);
  to->segments = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_segment_free);
  for (guint i = 0; from->segments != NULL && i < from->segments->len; i++)
    g_ptr_array_add (to->segments, segment_copy (g_ptr_array_index (from->segments, i)));
  return to;
}

static MoaBranch *
branch_copy (const MoaBranch *from)
{
  MoaBranch *to = g_new0 (MoaBranch, 1);

  to->to = g_strdup (from->to);
  to->line = from->line;
  param_copy (&to->probability, &from->probability);
  to->is_default = from->is_default;
  return to;
}

static MoaNode *
node_copy (const MoaNode *from)
{
  MoaNode *to = g_new0 (MoaNode, 1);

  to->kind = from->kind;
  to->id = g_strdup (from->id);
  to->line = from->line;
  to->next = g_strdup (from->next);
  if (from->branches != NULL)
    {
      to->branches = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_branch_free);
      for (guint i = 0; i < from->branches->len; i++)
        g_ptr_array_add (to->branches, branch_copy (g_ptr_array_index (from->branches, i)));
    }
  title_copy (&to->title, &from->title);
  to->performer = g_strdup (from->performer);
  to->standard = g_strdup (from->standard);
  to->complexity = from->complexity;
  param_copy (&to->time, &from->time);
  to->tariff_profile = g_strdup (from->tariff_profile);
  param_copy (&to->tariff, &from->tariff);
  param_copy (&to->fee, &from->fee);
  param_copy (&to->acquisitions, &from->acquisitions);
  param_copy (&to->out_of_pocket, &from->out_of_pocket);
  param_copy (&to->bau, &from->bau);
  to->tags = g_strdupv (from->tags);
  to->note = g_strdup (from->note);
  to->source = g_strdup (from->source);
  return to;
}

static MoaObligation *
obligation_copy (const MoaObligation *from)
{
  MoaObligation *to = g_new0 (MoaObligation, 1);

  to->id = g_strdup (from->id);
  to->line = from->line;
  title_copy (&to->title, &from->title);
  to->type = g_strdup (from->type);
  to->legal_reference = g_strdup (from->legal_reference);
  to->origin = g_strdup (from->origin);
  to->target_groups = g_strdupv (from->target_groups);
  to->one_off = from->one_off;
  param_copy (&to->frequency, &from->frequency);
  param_copy (&to->cases, &from->cases);
  param_copy (&to->compliance, &from->compliance);
  to->note = g_strdup (from->note);
  to->source = g_strdup (from->source);
  to->start = g_strdup (from->start);
  to->workflow_line = from->workflow_line;
  to->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_node_free);
  for (guint i = 0; from->nodes != NULL && i < from->nodes->len; i++)
    g_ptr_array_add (to->nodes, node_copy (g_ptr_array_index (from->nodes, i)));
  return to;
}

/* Returns a deep copy of @procedure (a new reference, indexes rebuilt): every string, array
 * and override is copied, values (immutable) are shared, and the file name and line numbers
 * are kept, so that problems found in the copy still point into the file it was loaded from. */
MoaProcedure *
moa_procedure_copy (const MoaProcedure *procedure)
{
  MoaProcedure *copy;

  g_return_val_if_fail (procedure != NULL, NULL);

  copy = moa_procedure_new ();
  copy->file = g_strdup (procedure->file);
  copy->line = procedure->line;
  copy->id = g_strdup (procedure->id);
  copy->format = procedure->format;
  title_copy (&copy->title, &procedure->title);
  copy->area = g_strdup (procedure->area);
  copy->authority = g_strdup (procedure->authority);
  copy->legal_basis = g_strdup (procedure->legal_basis);
  copy->cost_model = g_strdup (procedure->cost_model);
  copy->price_year = procedure->price_year;
  g_free (copy->currency);
  copy->currency = g_strdup (procedure->currency);
  copy->note = g_strdup (procedure->note);
  copy->source = g_strdup (procedure->source);
  for (guint i = 0; procedure->target_groups != NULL && i < procedure->target_groups->len; i++)
    g_ptr_array_add (copy->target_groups,
                     target_group_copy (g_ptr_array_index (procedure->target_groups, i)));
  for (guint i = 0; procedure->obligations != NULL && i < procedure->obligations->len; i++)
    g_ptr_array_add (copy->obligations,
                     obligation_copy (g_ptr_array_index (procedure->obligations, i)));
  moa_procedure_reindex (copy);
  return copy;
}

/* ---------------------------------------------------------------------------------------- */
/* Applying measures */

/* Who removed an element. */
typedef struct
{
  const MoaScenario *scenario;
  const Measure *measure;
} Remover;

typedef struct
{
  MoaProcedure *procedure;
  GPtrArray *problems;
  GHashTable *removed;         /* address -> Remover* (both owned) */
  const MoaScenario *top;      /* the scenario being applied */
  const MoaScenario *scenario; /* the one whose measure is being applied (or a parent) */
  const Measure *measure;
} Apply;

static void
apply_problem (Apply *a, int line, GQuark domain, int code, const char *format, ...)
    G_GNUC_PRINTF (5, 6);

/* Appends a problem "FILE:LINE: measure "ID": TEXT" about the current measure. */
static void
apply_problem (Apply *a, int line, GQuark domain, int code, const char *format, ...)
{
  g_autofree char *label = g_strdup_printf ("measure \"%s\"", a->measure->pub.id);
  g_autofree char *text = NULL;
  MoaProblem *problem;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  problem
      = moa_problems_add (a->problems, domain, code, a->scenario->file, line, label, "%s", text);
  /* The message names the measure by its label; the field holds the bare id. */
  g_free (problem->element);
  problem->element = g_strdup (a->measure->pub.id);
}

static void
record_removed (Apply *a, char *address_owned)
{
  Remover *remover = g_new0 (Remover, 1);

  remover->scenario = a->scenario;
  remover->measure = a->measure;
  g_hash_table_replace (a->removed, address_owned, remover);
}

/* The measure that removed @address, or the obligation or node it belongs to (NULL: none). */
static const Remover *
removed_by (Apply *a, const char *address)
{
  const Remover *remover = g_hash_table_lookup (a->removed, address);
  Address parsed;

  if (remover != NULL || !address_parse (address, ADDR_ID | ADDR_NODE | ADDR_BRANCH, &parsed))
    return remover;
  if (parsed.kind != ADDR_ID)
    remover = g_hash_table_lookup (a->removed, parsed.id);
  if (remover == NULL && parsed.kind == ADDR_BRANCH)
    {
      g_autofree char *gateway = g_strdup_printf ("%s/%s", parsed.id, parsed.node);
      g_autofree char *target = g_strdup_printf ("%s/%s", parsed.id, parsed.target);

      remover = g_hash_table_lookup (a->removed, gateway);
      if (remover == NULL)
        remover = g_hash_table_lookup (a->removed, target);
    }
  address_clear (&parsed);
  return remover;
}

/* Reports that @address is not in the procedure: removed by an earlier measure, or never
 * there. */
static void
report_missing (Apply *a, int line, const char *address)
{
  const Remover *remover = removed_by (a, address);

  if (remover == NULL)
    apply_problem (a, line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_ELEMENT_ID,
                   _ ("element \"%s\" is not in procedure \"%s\""), address, a->procedure->id);
  else if (remover->scenario == a->scenario)
    apply_problem (a, line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_REMOVED_ELEMENT,
                   _ ("element \"%s\" was removed by measure \"%s\""), address,
                   remover->measure->pub.id);
  else
    apply_problem (a, line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_REMOVED_ELEMENT,
                   _ ("element \"%s\" was removed by measure \"%s\" of scenario \"%s\" (%s)"),
                   address, remover->measure->pub.id, remover->scenario->id,
                   remover->scenario->file);
}

/* What a bare id names in the procedure, for messages (NULL: nothing). */
static const char *
id_kind (const MoaProcedure *procedure, const char *id)
{
  if (moa_procedure_get_obligation (procedure, id) != NULL)
    return _ ("an obligation");
  if (moa_procedure_get_segment (procedure, id) != NULL)
    return _ ("a segment");
  if (moa_procedure_get_target_group (procedure, id) != NULL)
    return _ ("a target group");
  return NULL;
}

/* Finds obligation @id; reports and returns NULL when there is none. */
static MoaObligation *
find_obligation (Apply *a, int line, const char *id)
{
  MoaObligation *obligation = moa_procedure_get_obligation (a->procedure, id);
  const char *kind;

  if (obligation != NULL)
    return obligation;
  kind = id_kind (a->procedure, id);
  if (kind != NULL)
    apply_problem (a, line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                   _ ("element \"%s\" is %s, not an obligation"), id, kind);
  else
    report_missing (a, line, id);
  return NULL;
}

/* Finds the node of address OBLIGATION/NODE; reports and returns NULL when there is none. */
static MoaNode *
find_node (Apply *a, int line, const char *address, MoaObligation **obligation_out)
{
  Address parsed;
  MoaObligation *obligation;
  MoaNode *node = NULL;

  if (!address_parse (address, ADDR_NODE, &parsed))
    g_return_val_if_reached (NULL); /* checked when read */
  obligation = moa_procedure_get_obligation (a->procedure, parsed.id);
  if (obligation != NULL)
    node = moa_obligation_get_node (obligation, parsed.node);
  if (node == NULL)
    report_missing (a, line, address);
  else if (obligation_out != NULL)
    *obligation_out = obligation;
  address_clear (&parsed);
  return node;
}

/* Removes activity @node of @obligation: every flow that led to it now leads to its next. */
static gboolean
remove_activity (Apply *a, int line, MoaObligation *obligation, MoaNode *node)
{
  g_autofree char *address = g_strdup_printf ("%s/%s", obligation->id, node->id);
  g_autofree char *next = NULL;

  if (node->kind != MOA_NODE_ACTIVITY)
    {
      apply_problem (a, line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                     _ ("element \"%s\" is <%s>, not an activity (only activities and "
                        "obligations can be removed)"),
                     address, moa_node_kind_to_string (node->kind));
      return FALSE;
    }
  if (node->next == NULL || strcmp (node->next, node->id) == 0)
    {
      apply_problem (a, line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                     _ ("activity \"%s\" leads to itself: there is no next node to join its "
                        "predecessors to"),
                     address);
      return FALSE;
    }

  next = g_strdup (node->next);
  for (guint i = 0; i < obligation->nodes->len; i++)
    {
      MoaNode *other = g_ptr_array_index (obligation->nodes, i);

      if (other == node)
        continue;
      if (g_strcmp0 (other->next, node->id) == 0)
        {
          g_free (other->next);
          other->next = g_strdup (next);
        }
      /* A gateway that now branches twice to the same node keeps both branches: the
       * evaluation adds their flows (docs/scenario-format.md). */
      for (guint k = 0; other->branches != NULL && k < other->branches->len; k++)
        {
          MoaBranch *branch = g_ptr_array_index (other->branches, k);

          if (g_strcmp0 (branch->to, node->id) == 0)
            {
              g_free (branch->to);
              branch->to = g_strdup (next);
            }
        }
    }
  g_ptr_array_remove (obligation->nodes, node);
  moa_procedure_reindex (a->procedure);
  record_removed (a, g_steal_pointer (&address));
  return TRUE;
}

static void
remove_obligation (Apply *a, MoaObligation *obligation)
{
  char *id = g_strdup (obligation->id);

  g_ptr_array_remove (a->procedure->obligations, obligation);
  moa_procedure_reindex (a->procedure);
  record_removed (a, id);
}

static gboolean
has_tag (const MoaNode *node, const char *tag)
{
  return node->tags != NULL && g_strv_contains ((const char *const *)node->tags, tag);
}

/* The obligations of the measure's scope (ids, newly allocated), or NULL after reporting a
 * missing one. */
static GPtrArray *
scope_obligations (Apply *a)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  if (a->measure->obligations == NULL)
    for (guint i = 0; i < a->procedure->obligations->len; i++)
      {
        MoaObligation *obligation = g_ptr_array_index (a->procedure->obligations, i);

        g_ptr_array_add (ids, g_strdup (obligation->id));
      }
  else
    for (guint i = 0; a->measure->obligations[i] != NULL; i++)
      {
        if (find_obligation (a, a->measure->pub.line, a->measure->obligations[i]) != NULL)
          g_ptr_array_add (ids, g_strdup (a->measure->obligations[i]));
        else
          ok = FALSE;
      }
  return ok ? g_steal_pointer (&ids) : NULL;
}

/* Removes the activities of the obligations in scope that carry one of @tags. */
static void
remove_tagged (Apply *a, const char *const *tags)
{
  g_autoptr (GPtrArray) scope = scope_obligations (a);

  for (guint i = 0; scope != NULL && i < scope->len; i++)
    {
      MoaObligation *obligation
          = moa_procedure_get_obligation (a->procedure, g_ptr_array_index (scope, i));
      g_autoptr (GPtrArray) victims = g_ptr_array_new_with_free_func (g_free);

      for (guint j = 0; j < obligation->nodes->len; j++)
        {
          MoaNode *node = g_ptr_array_index (obligation->nodes, j);

          for (guint t = 0; tags[t] != NULL; t++)
            if (node->kind == MOA_NODE_ACTIVITY && has_tag (node, tags[t]))
              {
                g_ptr_array_add (victims, g_strdup (node->id));
                break;
              }
        }
      for (guint j = 0; j < victims->len; j++)
        {
          /* looked up again: each removal rebuilds the indexes */
          obligation = moa_procedure_get_obligation (a->procedure, g_ptr_array_index (scope, i));
          remove_activity (a, a->measure->pub.line, obligation,
                           moa_obligation_get_node (obligation, g_ptr_array_index (victims, j)));
        }
    }
}

static void
apply_once_only (Apply *a)
{
  static const char *const tags[] = { "obtain-document", NULL };
  const Measure *m = a->measure;

  if (m->addresses == NULL)
    {
      remove_tagged (a, tags);
      return;
    }
  for (guint i = 0; m->addresses[i] != NULL; i++)
    {
      MoaObligation *obligation = NULL;
      MoaNode *node = find_node (a, m->pub.line, m->addresses[i], &obligation);

      if (node == NULL)
        continue;
      if (m->obligations != NULL
          && !g_strv_contains ((const char *const *)m->obligations, obligation->id))
        {
          g_autofree char *scope = g_strjoinv (" ", m->obligations);

          apply_problem (a, m->pub.line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                         _ ("activity \"%s\" is not in the measure's obligations (%s)"),
                         m->addresses[i], scope);
          continue;
        }
      remove_activity (a, m->pub.line, obligation, node);
    }
}

static void
apply_remove (Apply *a)
{
  const Measure *m = a->measure;

  for (guint i = 0; m->addresses[i] != NULL; i++)
    {
      if (strchr (m->addresses[i], '/') == NULL)
        {
          MoaObligation *obligation = find_obligation (a, m->pub.line, m->addresses[i]);

          if (obligation != NULL)
            remove_obligation (a, obligation);
        }
      else
        {
          MoaObligation *obligation = NULL;
          MoaNode *node = find_node (a, m->pub.line, m->addresses[i], &obligation);

          if (node != NULL)
            remove_activity (a, m->pub.line, obligation, node);
        }
    }
}

/* Sets @param to @value for every segment (@segment NULL: the default, dropping the
 * per-segment overrides) or for @segment only (its override). @line is the override's line. */
static void
param_set (MoaParam *param, const char *segment, MoaValue *value, const char *profile, int line)
{
  MoaSegmentValue *sv = NULL;

  if (segment == NULL)
    {
      g_clear_pointer (&param->value, moa_value_unref);
      param->value = value_ref0 (value);
      g_clear_pointer (&param->per_segment, g_ptr_array_unref);
      return;
    }
  for (guint i = 0; param->per_segment != NULL && i < param->per_segment->len; i++)
    {
      MoaSegmentValue *candidate = g_ptr_array_index (param->per_segment, i);

      if (g_strcmp0 (candidate->segment, segment) == 0)
        sv = candidate;
    }
  if (sv == NULL)
    {
      if (param->per_segment == NULL)
        param->per_segment
            = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_segment_value_free);
      sv = g_new0 (MoaSegmentValue, 1);
      sv->segment = g_strdup (segment);
      g_ptr_array_add (param->per_segment, sv);
    }
  g_clear_pointer (&sv->value, moa_value_unref);
  g_clear_pointer (&sv->profile, g_free);
  sv->value = value_ref0 (value);
  sv->profile = g_strdup (profile);
  sv->line = line;
}

/* Sets the obligation's count (frequency or cases) @which to @value, for every segment or for
 * @segment. Setting one on an obligation that counts the other switches it (the other count
 * and its overrides are dropped); a segment may only override the count the obligation uses. */
static gboolean
set_count (Apply *a, int line, MoaObligation *obligation, ParamName which, const char *segment,
           MoaValue *value)
{
  MoaParam *param = which == P_FREQUENCY ? &obligation->frequency : &obligation->cases;
  MoaParam *other = which == P_FREQUENCY ? &obligation->cases : &obligation->frequency;

  if (segment != NULL && param->value == NULL && other->value != NULL)
    {
      apply_problem (a, line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                     which == P_FREQUENCY
                         ? _ ("obligation \"%s\" counts cases per year: a segment may override "
                              "cases, not frequency")
                         : _ ("obligation \"%s\" counts a frequency per entity: a segment may "
                              "override frequency, not cases"),
                     obligation->id);
      return FALSE;
    }
  if (segment == NULL)
    moa_param_clear (other);
  param_set (param, segment, value, NULL, line);
  return TRUE;
}

/* TRUE when @segment is a segment of one of @obligation's target groups; else reports. */
static gboolean
check_set_segment (Apply *a, const SetChange *set, const MoaObligation *obligation)
{
  MoaTargetGroup *group = moa_procedure_get_segment_group (a->procedure, set->segment);

  for (guint i = 0;
       group != NULL && obligation->target_groups != NULL && obligation->target_groups[i] != NULL;
       i++)
    if (strcmp (obligation->target_groups[i], group->id) == 0)
      return TRUE;
  if (group == NULL)
    apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT,
                   _ ("<set> segment \"%s\" is not in procedure \"%s\""), set->segment,
                   a->procedure->id);
  else
    apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT,
                   _ ("<set> segment \"%s\" is not a segment of the target groups of obligation "
                      "\"%s\""),
                   set->segment, obligation->id);
  return FALSE;
}

/* Reports that @element has no parameter @set->attribute. */
static void
report_no_param (Apply *a, const SetChange *set, const char *what, const char *expected)
{
  apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                 _ ("<set> attribute \"%s\": %s \"%s\" has no such parameter (expected one of: "
                    "%s)"),
                 param_names[set->attribute], what, set->element, expected);
}

static void
set_activity (Apply *a, const SetChange *set, MoaObligation *obligation, MoaNode *node)
{
  MoaParam *param = NULL;

  if (node->kind != MOA_NODE_ACTIVITY)
    {
      apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                     _ ("<set> attribute \"%s\": element \"%s\" is <%s>, which has no "
                        "parameters (a branch is OBLIGATION/GATEWAY>TARGET)"),
                     param_names[set->attribute], set->element,
                     moa_node_kind_to_string (node->kind));
      return;
    }
  switch (set->attribute)
    {
      case P_TIME:
        param = &node->time;
        break;
      case P_TARIFF:
        param = &node->tariff;
        break;
      case P_FEE:
        param = &node->fee;
        break;
      case P_ACQUISITIONS:
        param = &node->acquisitions;
        break;
      case P_OUT_OF_POCKET:
        param = &node->out_of_pocket;
        break;
      case P_BAU:
        param = &node->bau;
        break;
      default:
        report_no_param (a, set, _ ("activity"),
                         "time, tariff, fee, acquisitions, out-of-pocket, bau");
        return;
    }
  if (set->segment != NULL && !check_set_segment (a, set, obligation))
    return;
  if (set->attribute == P_TARIFF && set->segment == NULL)
    {
      g_clear_pointer (&node->tariff_profile, g_free);
      node->tariff_profile = g_strdup (set->profile);
    }
  param_set (param, set->segment, set->value, set->attribute == P_TARIFF ? set->profile : NULL,
             set->line);
}

static void
set_branch (Apply *a, const SetChange *set, const Address *address)
{
  MoaObligation *obligation = moa_procedure_get_obligation (a->procedure, address->id);
  MoaNode *gateway
      = obligation != NULL ? moa_obligation_get_node (obligation, address->node) : NULL;
  MoaBranch *branch = NULL;
  guint n = 0;

  for (guint k = 0; gateway != NULL && gateway->branches != NULL && k < gateway->branches->len; k++)
    {
      MoaBranch *candidate = g_ptr_array_index (gateway->branches, k);

      if (g_strcmp0 (candidate->to, address->target) == 0)
        {
          branch = branch != NULL ? branch : candidate;
          n++;
        }
    }
  if (branch == NULL)
    {
      report_missing (a, set->line, set->element);
      return;
    }
  if (n > 1)
    {
      apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                     _ ("element \"%s\" is ambiguous: gateway \"%s\" has %u branches to \"%s\" "
                        "(a removal joined them)"),
                     set->element, address->node, n, address->target);
      return;
    }
  if (gateway->kind != MOA_NODE_XOR || set->attribute != P_PROBABILITY)
    {
      report_no_param (a, set, gateway->kind == MOA_NODE_XOR ? _ ("branch") : _ ("parallel branch"),
                       gateway->kind == MOA_NODE_XOR ? "probability" : _ ("none"));
      return;
    }
  if (branch->is_default)
    {
      apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                     _ ("element \"%s\" is the default branch, which takes 1 − the sum of the "
                        "others: set the other branches instead"),
                     set->element);
      return;
    }
  if (set->segment != NULL && !check_set_segment (a, set, obligation))
    return;
  param_set (&branch->probability, set->segment, set->value, NULL, set->line);
}

static void
apply_set (Apply *a, const SetChange *set)
{
  Address address;

  if (!address_parse (set->element, ADDR_ID | ADDR_NODE | ADDR_BRANCH, &address))
    g_return_if_reached (); /* checked when read */

  if (address.kind == ADDR_NODE)
    {
      MoaObligation *obligation = NULL;
      MoaNode *node = find_node (a, set->line, set->element, &obligation);

      if (node != NULL)
        set_activity (a, set, obligation, node);
    }
  else if (address.kind == ADDR_BRANCH)
    set_branch (a, set, &address);
  else if (moa_procedure_get_obligation (a->procedure, address.id) != NULL)
    {
      MoaObligation *obligation = moa_procedure_get_obligation (a->procedure, address.id);

      if (set->attribute == P_FREQUENCY || set->attribute == P_CASES)
        {
          if (set->segment == NULL || check_set_segment (a, set, obligation))
            set_count (a, set->line, obligation, set->attribute, set->segment, set->value);
        }
      else if (set->attribute == P_COMPLIANCE)
        {
          if (set->segment == NULL || check_set_segment (a, set, obligation))
            param_set (&obligation->compliance, set->segment, set->value, NULL, set->line);
        }
      else
        report_no_param (a, set, _ ("obligation"), "frequency, cases, compliance");
    }
  else if (moa_procedure_get_segment (a->procedure, address.id) != NULL)
    {
      MoaSegment *segment = moa_procedure_get_segment (a->procedure, address.id);

      if (set->attribute != P_POPULATION)
        report_no_param (a, set, _ ("segment"), "population");
      else if (set->segment != NULL)
        apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                       _ ("<set> segment=\"%s\": a segment's population has no per-segment "
                          "value (set element=\"%s\" alone)"),
                       set->segment, address.id);
      else
        {
          g_clear_pointer (&segment->population, moa_value_unref);
          segment->population = value_ref0 (set->value);
        }
    }
  else if (moa_procedure_get_target_group (a->procedure, address.id) != NULL)
    apply_problem (a, set->line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                   _ ("element \"%s\" is a target group with segments: set the population of "
                      "one of its segments"),
                   address.id);
  else
    report_missing (a, set->line, set->element);
  address_clear (&address);
}

static void
apply_change_population (Apply *a)
{
  const Measure *m = a->measure;
  MoaSegment *segment = moa_procedure_get_segment (a->procedure, m->target);

  if (segment != NULL)
    {
      g_clear_pointer (&segment->population, moa_value_unref);
      segment->population = value_ref0 (m->value);
    }
  else if (moa_procedure_get_target_group (a->procedure, m->target) != NULL)
    apply_problem (a, m->pub.line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                   _ ("segment \"%s\" is a target group with segments: name one of its "
                      "segments"),
                   m->target);
  else if (moa_procedure_get_obligation (a->procedure, m->target) != NULL)
    apply_problem (a, m->pub.line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                   _ ("segment \"%s\" is an obligation, not a segment"), m->target);
  else
    report_missing (a, m->pub.line, m->target);
}

static void
apply_add_activity (Apply *a)
{
  const Measure *m = a->measure;
  MoaXmlCtx ctx = { a->scenario->file, a->problems };
  MoaObligation *obligation = NULL;
  MoaNode *after = find_node (a, m->pub.line, m->target, &obligation);
  MoaNode *node;
  guint index = 0;

  if (after == NULL)
    return;
  if (after->kind != MOA_NODE_START && after->kind != MOA_NODE_ACTIVITY
      && after->kind != MOA_NODE_AND_JOIN)
    {
      apply_problem (a, m->pub.line, MOA_VALIDATION_ERROR, MOA_VALIDATION_ERROR_BAD_MEASURE,
                     _ ("after=\"%s\" is <%s>, which has no next to take over (expected a "
                        "start, an activity or an and-join)"),
                     m->target, moa_node_kind_to_string (after->kind));
      return;
    }
  node = moa_procedure_read_activity (&ctx, a->procedure, obligation, m->content, after->next);
  if (node == NULL)
    return;
  if (moa_obligation_get_node (obligation, node->id) != NULL)
    {
      apply_problem (a, node->line, MOA_PARSE_ERROR, MOA_PARSE_ERROR_DUPLICATE_ID,
                     _ ("activity \"%s\": obligation \"%s\" already has a node \"%s\" (line %d "
                        "of %s)"),
                     node->id, obligation->id, node->id,
                     moa_obligation_get_node (obligation, node->id)->line,
                     a->procedure->file != NULL ? a->procedure->file : a->procedure->id);
      moa_node_free (node);
      return;
    }
  g_ptr_array_find (obligation->nodes, after, &index);
  g_free (after->next);
  after->next = g_strdup (node->id);
  g_ptr_array_insert (obligation->nodes, (int)index + 1, node);
  moa_procedure_reindex (a->procedure);
}

static void
apply_add_obligation (Apply *a)
{
  const Measure *m = a->measure;
  MoaXmlCtx ctx = { a->scenario->file, a->problems };
  MoaObligation *obligation = moa_procedure_read_obligation (&ctx, a->procedure, m->content);
  const char *kind;

  if (obligation == NULL)
    return;
  kind = id_kind (a->procedure, obligation->id);
  if (kind != NULL)
    {
      apply_problem (a, obligation->line, MOA_PARSE_ERROR, MOA_PARSE_ERROR_DUPLICATE_ID,
                     _ ("obligation \"%s\": the id is already %s of procedure \"%s\" (target "
                        "groups, segments and obligations share one namespace)"),
                     obligation->id, kind, a->procedure->id);
      moa_obligation_free (obligation);
      return;
    }
  g_ptr_array_add (a->procedure->obligations, obligation);
  moa_procedure_reindex (a->procedure);
}

static void
apply_measure (Apply *a, const MoaScenario *scenario, const Measure *m)
{
  static const char *const digitalised[] = { "travel", "queueing", NULL };

  a->scenario = scenario;
  a->measure = m;
  switch (m->pub.type)
    {
      case MOA_MEASURE_DIGITALISE_SUBMISSION:
        remove_tagged (a, digitalised);
        break;
      case MOA_MEASURE_ONCE_ONLY:
        apply_once_only (a);
        break;
      case MOA_MEASURE_REMOVE:
        apply_remove (a);
        break;
      case MOA_MEASURE_CHANGE_FREQUENCY:
        {
          MoaObligation *obligation = find_obligation (a, m->pub.line, m->target);

          if (obligation != NULL)
            set_count (a, m->pub.line, obligation, m->count, NULL, m->value);
        }
        break;
      case MOA_MEASURE_CHANGE_POPULATION:
        apply_change_population (a);
        break;
      case MOA_MEASURE_SET_PARAMETER:
        break;
      case MOA_MEASURE_ADD_ACTIVITY:
        apply_add_activity (a);
        break;
      case MOA_MEASURE_ADD_OBLIGATION:
        apply_add_obligation (a);
        break;
    }
  for (guint i = 0; i < m->sets->len; i++)
    apply_set (a, g_ptr_array_index (m->sets, i));
}

/* Applies every measure of @s's chain, outermost last. */
static void
apply_chain (Apply *a, const MoaScenario *s)
{
  if (s->parent != NULL)
    apply_chain (a, s->parent);
  for (guint i = 0; i < s->measures->len; i++)
    apply_measure (a, s, g_ptr_array_index (s->measures, i));
}

/* The procedure of @s's chain with the parents' measures, then this scenario's measures
 * [0, @n_measures) or, with @only >= 0, only measure @only. Problems go to @problems; NULL
 * when there was one. */
static MoaProcedure *
apply_into (const MoaScenario *s, guint n_measures, int only, GPtrArray *problems)
{
  g_autoptr (MoaProcedure) procedure = moa_procedure_copy (s->baseline);
  g_autoptr (GHashTable) removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint first = problems->len;
  Apply a = { procedure, problems, removed, s, s, NULL };

  if (s->parent != NULL)
    apply_chain (&a, s->parent);
  if (only >= 0)
    apply_measure (&a, s, g_ptr_array_index (s->measures, only));
  else
    for (guint i = 0; i < s->measures->len && i < n_measures; i++)
      apply_measure (&a, s, g_ptr_array_index (s->measures, i));
  moa_procedure_reindex (procedure);
  if (problems->len > first)
    return NULL;
  return g_steal_pointer (&procedure);
}

/* ---------------------------------------------------------------------------------------- */
/* Public API */

/* Loads the scenario whose parsed root is @root (taken; NULL when @parse_error says why) as
 * the file @path, with its baseline chain, then applies every measure once to a copy of the
 * procedure (discarded) so that measures naming unknown or removed elements are reported now,
 * with the scenario file and the measure's line. */
static MoaScenario *
load_root (const char *path, MoaXmlNode *root, const GError *parse_error, GPtrArray *problems,
           GError **error)
{
  g_autoptr (GPtrArray) own_problems = NULL;
  g_autoptr (GPtrArray) canonical = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (MoaScenario) scenario = NULL;
  Chain chain = { canonical, shown };
  guint first;

  if (problems == NULL)
    problems = own_problems = moa_problems_new ();
  first = problems->len;

  g_ptr_array_add (canonical, canonical_path (path));
  g_ptr_array_add (shown, g_strdup (path));
  scenario = load_tree (path, root, parse_error, &chain, problems);

  if (problems->len == first && scenario != NULL)
    {
      g_autoptr (MoaProcedure) applied = apply_into (scenario, G_MAXUINT, -1, problems);
    }
  if (problems->len > first || scenario == NULL)
    {
      const MoaProblem *problem = g_ptr_array_index (problems, first);

      g_set_error_literal (error, problem->domain, problem->code, problem->message);
      return NULL;
    }
  return g_steal_pointer (&scenario);
}

/* Loads the scenario file @path and its baseline chain (see moa-scenario.h). */
MoaScenario *
moa_scenario_load_file (const char *path, GPtrArray *problems, GError **error)
{
  g_autoptr (GError) parse_error = NULL;
  MoaXmlNode *root;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = moa_xml_parse_file (path, &parse_error);
  return load_root (path, root, parse_error, problems, error);
}

/* ADDED (gtk-ui): loads @length bytes of @data as the scenario file @path (see
 * moa-scenario.h). */
MoaScenario *
moa_scenario_load_data (const char *data, gsize length, const char *path, GPtrArray *problems,
                        GError **error)
{
  g_autoptr (GError) parse_error = NULL;
  MoaXmlNode *root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = moa_xml_parse (data, length, path, &parse_error);
  return load_root (path, root, parse_error, problems, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Writing (ADDED for gtk-ui) */

/* Appends @node as XML at @depth (two spaces a level); the attribute @replace_attr of the root
 * (depth 0) is written with @replace_value instead when not NULL. The formats have no mixed
 * content: an element holds either text or child elements. */
static void
write_node (GString *out, const MoaXmlNode *node, int depth, const char *replace_attr,
            const char *replace_value)
{
  gboolean has_children = node->children != NULL && node->children->len > 0;

  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
  g_string_append_printf (out, "<%s", node->name);
  for (guint i = 0; node->attr_names != NULL && node->attr_names[i] != NULL; i++)
    {
      const char *value = node->attr_values[i];
      g_autofree char *escaped = NULL;

      if (depth == 0 && replace_attr != NULL && replace_value != NULL
          && strcmp (node->attr_names[i], replace_attr) == 0)
        value = replace_value;
      escaped = g_markup_escape_text (value, -1);
      g_string_append_printf (out, " %s=\"%s\"", node->attr_names[i], escaped);
    }
  if (!has_children && moa_xml_text_is_blank (node->text))
    {
      g_string_append (out, "/>\n");
      return;
    }
  g_string_append_c (out, '>');
  if (!moa_xml_text_is_blank (node->text))
    {
      g_autofree char *escaped = g_markup_escape_text (node->text, -1);

      g_string_append (out, escaped);
    }
  if (has_children)
    {
      g_string_append_c (out, '\n');
      for (guint i = 0; i < node->children->len; i++)
        write_node (out, g_ptr_array_index (node->children, i), depth + 1, NULL, NULL);
      for (int i = 0; i < depth; i++)
        g_string_append (out, "  ");
    }
  g_string_append_printf (out, "</%s>\n", node->name);
}

static char *
scenario_to_xml (const MoaScenario *scenario, const char *baseline)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  write_node (out, scenario->tree, 0, "baseline", baseline);
  return g_string_free (out, FALSE);
}

/* The scenario file's text (see moa-scenario.h). */
char *
moa_scenario_to_xml (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (scenario->tree != NULL, NULL);

  return scenario_to_xml (scenario, NULL);
}

/* The <measure> element of measure @index (see moa-scenario.h). */
char *
moa_scenario_measure_to_xml (const MoaScenario *scenario, guint index)
{
  GString *out;
  guint n = 0;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (index < scenario->measures->len, NULL);

  out = g_string_new (NULL);
  /* The measures were read from the <measure> children in order. */
  for (guint i = 0; scenario->tree->children != NULL && i < scenario->tree->children->len; i++)
    {
      const MoaXmlNode *child = g_ptr_array_index (scenario->tree->children, i);

      if (strcmp (child->name, "measure") != 0)
        continue;
      if (n++ == index)
        {
          write_node (out, child, 0, NULL, NULL);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* @path relative to the folder @dir (both absolute), with ".." as needed. */
static char *
relative_path (const char *dir, const char *path)
{
  g_auto (GStrv) from = g_strsplit (dir, G_DIR_SEPARATOR_S, -1);
  g_auto (GStrv) to = g_strsplit (path, G_DIR_SEPARATOR_S, -1);
  GString *out = g_string_new (NULL);
  guint common = 0, n_from = g_strv_length (from);

  while (from[common] != NULL && to[common] != NULL && strcmp (from[common], to[common]) == 0)
    common++;
  for (guint i = common; i < n_from; i++)
    if (*from[i] != '\0')
      g_string_append (out, ".." G_DIR_SEPARATOR_S);
  for (guint i = common; to[i] != NULL; i++)
    {
      g_string_append (out, to[i]);
      if (to[i + 1] != NULL)
        g_string_append (out, G_DIR_SEPARATOR_S);
    }
  return g_string_free (out, FALSE);
}

/* Writes the scenario to @path (see moa-scenario.h). */
gboolean
moa_scenario_save (const MoaScenario *scenario, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *baseline = NULL;
  const char *written;

  g_return_val_if_fail (scenario != NULL, FALSE);
  g_return_val_if_fail (scenario->tree != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  written = moa_xml_node_get_attr (scenario->tree, "baseline");
  if (written != NULL && !g_path_is_absolute (written))
    {
      g_autofree char *old_dir = g_path_get_dirname (scenario->file);
      g_autofree char *new_dir = g_path_get_dirname (path);
      g_autofree char *old_canonical = canonical_path (old_dir);
      g_autofree char *new_canonical = canonical_path (new_dir);

      if (strcmp (old_canonical, new_canonical) != 0)
        {
          g_autofree char *target = g_build_filename (old_canonical, written, NULL);
          g_autofree char *target_canonical = canonical_path (target);

          baseline = relative_path (new_canonical, target_canonical);
        }
    }
  text = scenario_to_xml (scenario, baseline);
  return g_file_set_contents (path, text, -1, error);
}

/* The scenario's id (borrowed). */
const char *
moa_scenario_get_id (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return scenario->id;
}

/* The file the scenario was loaded from, as given (or as resolved from the scenario that names
 * it as baseline). */
const char *
moa_scenario_get_file (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return scenario->file;
}

/* The scenario's titles (borrowed). */
const MoaTitle *
moa_scenario_get_title (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return &scenario->title;
}

/* Years over which one-off costs are annualised (one-off-years, default 10). */
double
moa_scenario_get_one_off_years (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, 10.0);
  return scenario->one_off_years;
}

/* The procedure at the bottom of the baseline chain, as loaded (borrowed). */
MoaProcedure *
moa_scenario_get_baseline (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return scenario->baseline;
}

/* This scenario's measures, in order (borrowed GPtrArray of MoaMeasure*). */
GPtrArray *
moa_scenario_get_measures (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return scenario->measures;
}

/* The scenario this one is based on, or NULL (borrowed). */
MoaScenario *
moa_scenario_get_parent (const MoaScenario *scenario)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  return scenario->parent;
}

/* Applies the parents' measures and this scenario's measures [0, @n_measures), or only
 * measure @only when @only >= 0, to a copy of the baseline (see moa-scenario.h). Returns the
 * new procedure, or NULL with @error set from the first measure that cannot be applied. The
 * scenario is only read: several threads may apply it at once. */
MoaProcedure *
moa_scenario_apply (const MoaScenario *scenario, guint n_measures, int only, GError **error)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  MoaProcedure *procedure;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (only < 0 || (guint)only < scenario->measures->len, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  procedure = apply_into (scenario, n_measures, only, problems);
  if (procedure == NULL)
    moa_problems_propagate (problems, error);
  return procedure;
}

/* The chain's procedure with the parent scenarios' measures applied (a new reference), or
 * NULL with @error set. */
MoaProcedure *
moa_scenario_apply_parents (const MoaScenario *scenario, GError **error)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return moa_scenario_apply (scenario, 0, -1, error);
}
