/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every error path of loading and checking a procedure: a table of invalid files, each with
 * the error it must give, where, and about which element, through the core API and through
 * `moa validate`. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "moa.h"
#include "moa-cli.h"
#include "moa-test-support.h"

typedef enum
{
  PARSE,
  VALIDATION,
} Domain;

typedef struct _InvalidCase InvalidCase;

/* Writes a generated file for @c into @dir and returns its path. */
typedef char *(*Generator) (const InvalidCase *c, const char *dir);

struct _InvalidCase
{
  const char *file; /* in tests/test-invalid/, or the name of a generated file */
  Domain domain;
  int code;
  int line;            /* expected line; 0: a problem of the whole file, with no line */
  const char *element; /* the element id (or name) the message must name, NULL: none */
  const char *detail;  /* another text the message must contain (the offending value) */
  Generator generate;  /* NULL for the files of the folder */
  gboolean secret;     /* the file tries to read the secret file: check it never leaks */
};

static char *
gen_too_large (const InvalidCase *c, const char *dir);
static char *
gen_too_many_elements (const InvalidCase *c, const char *dir);
static char *
gen_xxe (const InvalidCase *c, const char *dir);
static char *
gen_missing (const InvalidCase *c, const char *dir);

/* Each file of the folder is valid.xml with one fault; the line is the line of that fault. */
static const InvalidCase cases[] = {
  /* XML and bounds */
  { "malformed.xml", PARSE, MOA_PARSE_ERROR_MALFORMED, 10, NULL, "title" },
  { "entity-internal.xml", PARSE, MOA_PARSE_ERROR_ENTITY, 2, NULL, NULL },
  { "billion-laughs.xml", PARSE, MOA_PARSE_ERROR_ENTITY, 2, NULL, NULL },
  { "xxe-file.xml", PARSE, MOA_PARSE_ERROR_ENTITY, 2, NULL, NULL, gen_xxe, TRUE },
  { "xxe-parameter.xml", PARSE, MOA_PARSE_ERROR_ENTITY, 2, NULL, NULL, gen_xxe, TRUE },
  { "xxe-dtd.xml", PARSE, MOA_PARSE_ERROR_ENTITY, 2, NULL, NULL, gen_xxe, TRUE },
  { "xinclude.xml", PARSE, MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 5, "include", NULL, gen_xxe, TRUE },
  { "too-large.xml", PARSE, MOA_PARSE_ERROR_TOO_LARGE, 0, NULL, NULL, gen_too_large },
  /* 200,000 elements at most: the root on line 1 and one child a line, the 200,001st element
   * is on line 200,001. */
  { "too-many-elements.xml", PARSE, MOA_PARSE_ERROR_TOO_LARGE, 200001, NULL, NULL,
    gen_too_many_elements },
  /* 32 levels at most: <procedure> is level 1 on line 2, level 33 is on line 34. */
  { "too-deep.xml", PARSE, MOA_PARSE_ERROR_TOO_LARGE, 34, NULL, NULL },
  { "missing.xml", PARSE, MOA_PARSE_ERROR_IO, 0, NULL, NULL, gen_missing },
  /* structure */
  { "wrong-root.xml", PARSE, MOA_PARSE_ERROR_WRONG_ROOT, 2, "process", NULL },
  { "unknown-element.xml", PARSE, MOA_PARSE_ERROR_UNKNOWN_ELEMENT, 5, "colour", NULL },
  { "unknown-attribute.xml", PARSE, MOA_PARSE_ERROR_UNKNOWN_ATTRIBUTE, 13, "fill", "colour" },
  { "missing-attribute.xml", PARSE, MOA_PARSE_ERROR_MISSING_ATTRIBUTE, 6, "firms", "kind" },
  { "missing-element.xml", PARSE, MOA_PARSE_ERROR_MISSING_ELEMENT, 9, "apply", "workflow" },
  { "duplicate-id.xml", PARSE, MOA_PARSE_ERROR_DUPLICATE_ID, 20, "done", NULL },
  /* target groups, segments and obligations share one namespace */
  { "duplicate-id-namespace.xml", PARSE, MOA_PARSE_ERROR_DUPLICATE_ID, 9, "firms", NULL },
  { "bad-id.xml", PARSE, MOA_PARSE_ERROR_BAD_ID, 9, "apply/now", NULL },
  { "bad-enum.xml", PARSE, MOA_PARSE_ERROR_BAD_ENUM, 6, "firms", "robot" },
  { "bad-enum-complexity.xml", PARSE, MOA_PARSE_ERROR_BAD_ENUM, 13, "fill", "extreme" },
  { "conflict.xml", PARSE, MOA_PARSE_ERROR_CONFLICT, 9, "apply", "cases" },
  /* values */
  { "negative-time.xml", PARSE, MOA_PARSE_ERROR_NEGATIVE, 14, "check", "-5 min" },
  { "negative-population.xml", PARSE, MOA_PARSE_ERROR_NEGATIVE, 6, "firms", "-100" },
  { "missing-unit.xml", PARSE, MOA_PARSE_ERROR_BAD_UNIT, 14, "check", NULL },
  { "unknown-unit.xml", PARSE, MOA_PARSE_ERROR_BAD_UNIT, 14, "check", "fortnights" },
  { "wrong-dimension.xml", PARSE, MOA_PARSE_ERROR_BAD_UNIT, 14, "check", "EUR" },
  { "bad-number.xml", PARSE, MOA_PARSE_ERROR_BAD_NUMBER, 6, "firms", "twelve" },
  { "bad-number-infinite.xml", PARSE, MOA_PARSE_ERROR_BAD_NUMBER, 9, "apply", "inf" },
  { "out-of-range-probability.xml", PARSE, MOA_PARSE_ERROR_OUT_OF_RANGE, 16, "complete", "1.3" },
  { "out-of-range-compliance.xml", PARSE, MOA_PARSE_ERROR_OUT_OF_RANGE, 9, "apply", "150 %" },
  { "triangular-min-max.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check", "triangular" },
  { "triangular-mode.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check", "triangular" },
  /* distributions (issue 3): each inconsistency of docs/procedure-format.md, "Values and units" */
  { "pert-mode.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check", "pert(20, 90, 60)" },
  { "uniform-min-max.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check",
    "uniform(60, 20)" },
  { "normal-negative-sd.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check",
    "normal(30, -5)" },
  { "lognormal-negative-sd.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check",
    "lognormal(30, -5)" },
  /* a lognormal is unbounded above: never a fraction */
  { "lognormal-fraction.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 13, "fill",
    "lognormal(0.2, 0.1)" },
  { "discrete-negative-weight.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 6, "firms", "-0.5" },
  { "discrete-zero-weights.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check",
    "discrete(0: 0, 5: 0)" },
  /* every possible value must be in the valid range, not only the mean */
  { "uniform-negative-support.xml", PARSE, MOA_PARSE_ERROR_NEGATIVE, 14, "check", "-1" },
  { "fraction-above-one.xml", PARSE, MOA_PARSE_ERROR_OUT_OF_RANGE, 13, "fill", "1.2" },
  { "unknown-distribution.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check", "gamma" },
  { "distribution-arity.xml", PARSE, MOA_PARSE_ERROR_BAD_DISTRIBUTION, 14, "check",
    "triangular(20, 30)" },
  /* references to the cost model and within the procedure */
  { "unknown-cost-model.xml", VALIDATION, MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL, 2,
    "unknown-cost-model", "nope" },
  { "unknown-standard.xml", VALIDATION, MOA_VALIDATION_ERROR_UNKNOWN_STANDARD_ACTIVITY, 13, "fill",
    "juggling" },
  { "unknown-tariff.xml", VALIDATION, MOA_VALIDATION_ERROR_UNKNOWN_TARIFF, 14, "check",
    "astronaut" },
  { "missing-tariff.xml", VALIDATION, MOA_VALIDATION_ERROR_MISSING_TARIFF, 13, "fill", NULL },
  { "unknown-obligation-type.xml", VALIDATION, MOA_VALIDATION_ERROR_UNKNOWN_OBLIGATION_TYPE, 9,
    "apply", "telepathy" },
  { "unknown-target-group.xml", VALIDATION, MOA_VALIDATION_ERROR_UNKNOWN_TARGET_GROUP, 9, "apply",
    "ghosts" },
  { "unknown-segment.xml", VALIDATION, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT, 15, "check",
    "giants" },
  /* "office" exists but is not a segment of the obligation's addressees */
  { "unknown-segment-not-addressee.xml", VALIDATION, MOA_VALIDATION_ERROR_UNKNOWN_SEGMENT, 15,
    "check", "office" },
  { "bad-performer.xml", VALIDATION, MOA_VALIDATION_ERROR_BAD_PERFORMER, 14, "check", "ghosts" },
  { "missing-time.xml", VALIDATION, MOA_VALIDATION_ERROR_MISSING_TIME, 14, "check", NULL },
  { "swiss-francs.xml", VALIDATION, MOA_VALIDATION_ERROR_PRICE_YEAR, 2, "swiss-francs", "CHF" },
  /* workflow soundness */
  { "dangling-flow.xml", VALIDATION, MOA_VALIDATION_ERROR_DANGLING_FLOW, 14, "check", "nowhere" },
  { "unreachable.xml", VALIDATION, MOA_VALIDATION_ERROR_UNREACHABLE, 15, "orphan", NULL },
  { "dead-end.xml", VALIDATION, MOA_VALIDATION_ERROR_DEAD_END, 21, "limbo", NULL },
  { "probability-sum.xml", VALIDATION, MOA_VALIDATION_ERROR_PROBABILITY_SUM, 15, "complete", NULL },
  /* uncertain branch probabilities: sampled, so a default branch must absorb the rest, and
   * even the smallest possible sum of the others must leave it something */
  { "xor-uncertain-no-default.xml", VALIDATION, MOA_VALIDATION_ERROR_PROBABILITY_SUM, 15,
    "complete", "default" },
  /* 0.6 + 0.45 = 1.05: the smallest sum, not the sum of the means (1.175) */
  { "xor-uncertain-min-sum.xml", VALIDATION, MOA_VALIDATION_ERROR_PROBABILITY_SUM, 15, "complete",
    "1.05" },
  { "certain-loop.xml", VALIDATION, MOA_VALIDATION_ERROR_CERTAIN_LOOP, 15, "complete", NULL },
  { "bad-gateway.xml", VALIDATION, MOA_VALIDATION_ERROR_BAD_GATEWAY, 15, "complete", NULL },
  /* a draw of uniform(0.5, 1) at 1 keeps every case in the loop */
  { "loop-sampled-trap.xml", VALIDATION, MOA_VALIDATION_ERROR_CERTAIN_LOOP, 15, "complete",
    "can be repeated with probability 1" },
  /* alternatives of an exclusive gateway joined by an and-join: it would wait for ever */
  { "and-join-alternatives.xml", VALIDATION, MOA_VALIDATION_ERROR_BAD_GATEWAY, 21, "join",
    "no and-split" },
};

static char *tmp_dir;
static char *secret_text;
static char *secret_path;
static MoaModelSet *models;

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("G_TEST_SRCDIR");
  return dir != NULL ? dir : MOA_TESTS_SRCDIR;
}

static char *
data_path (const char *name)
{
  return g_build_filename (srcdir (), "test-invalid", name, NULL);
}

static void
assert_contains (const char *haystack, const char *needle, const char *what)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    fail_msg ("%s does not contain \"%s\":\n%s", what, needle, haystack ? haystack : "(null)");
}

static void
assert_no_secret (const char *text, const char *where)
{
  if (text != NULL && strstr (text, secret_text) != NULL)
    fail_msg ("the secret file's text leaked into %s:\n%s", where, text);
}

/* --- generated files --- */

static char *
valid_text (const char *id)
{
  g_autofree char *path = data_path ("valid.xml");
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, NULL, &error))
    fail_msg ("%s", error->message);
  g_autofree char *quoted = g_strdup_printf ("id=\"%s\"", id);
  g_auto (GStrv) parts = g_strsplit (text, "id=\"valid\"", 2);
  return g_strjoinv (quoted, parts);
}

static char *
write_file (const char *dir, const char *name, const char *text, gssize len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (path, text, len, &error))
    fail_msg ("%s", error->message);
  return path;
}

/* valid.xml padded with a comment to one byte over MOA_MAX_FILE_SIZE. */
static char *
gen_too_large (const InvalidCase *c, const char *dir)
{
  g_autofree char *text = valid_text ("too-large");
  GString *s = g_string_new (text);
  g_string_append (s, "<!-- ");
  while (s->len < MOA_MAX_FILE_SIZE - 3)
    g_string_append_c (s, 'x');
  g_string_append (s, "-->");
  g_string_append_c (s, '\n');
  g_assert (s->len == MOA_MAX_FILE_SIZE + 1);
  char *path = write_file (dir, c->file, s->str, (gssize)s->len);
  g_string_free (s, TRUE);
  return path;
}

/* The root on line 1 and MOA_MAX_ELEMENTS children, one a line: one element too many. */
static char *
gen_too_many_elements (const InvalidCase *c, const char *dir)
{
  GString *s = g_string_new ("<procedure format=\"1\" id=\"too-many-elements\" "
                             "cost-model=\"invalid-test\" price-year=\"2024\">\n");
  for (int i = 0; i < MOA_MAX_ELEMENTS; i++)
    g_string_append (s, "<note/>\n");
  g_string_append (s, "</procedure>\n");
  char *path = write_file (dir, c->file, s->str, (gssize)s->len);
  g_string_free (s, TRUE);
  return path;
}

/* Files that try to read the secret file written by the group setup: a general external
 * entity, a parameter entity, an external DTD, and an XInclude. The secret would show in the
 * title or, for the DTD, in a parser message quoting the file. */
static char *
gen_xxe (const InvalidCase *c, const char *dir)
{
  g_autofree char *uri = g_filename_to_uri (secret_path, NULL, NULL);
  g_autofree char *text = valid_text (c->file);
  g_autofree char *doctype = NULL;
  const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

  assert_true (g_str_has_prefix (text, decl));
  if (g_str_equal (c->file, "xxe-file.xml"))
    doctype = g_strdup_printf ("<!DOCTYPE procedure [<!ENTITY secret SYSTEM \"%s\">]>\n", uri);
  else if (g_str_equal (c->file, "xxe-parameter.xml"))
    doctype
        = g_strdup_printf ("<!DOCTYPE procedure [<!ENTITY %% ext SYSTEM \"%s\"> %%ext;]>\n", uri);
  else if (g_str_equal (c->file, "xxe-dtd.xml"))
    doctype = g_strdup_printf ("<!DOCTYPE procedure SYSTEM \"%s\">\n", uri);

  g_autofree char *body = NULL;
  if (doctype != NULL)
    {
      /* line 1: declaration, line 2: DOCTYPE; the entity is used in the title (line 4) */
      g_auto (GStrv) parts = g_strsplit (text + strlen (decl), "Positive control", 2);
      body = g_strconcat (decl, doctype, parts[0], "&secret; ", parts[1], NULL);
    }
  else
    {
      /* XInclude of the secret as text, as a child of <procedure> on line 5, after <area> */
      g_autofree char *include = g_strdup_printf (
          "</area>\n  <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"%s\" "
          "parse=\"text\"/>\n",
          uri);
      g_auto (GStrv) parts = g_strsplit (text, "</area>\n", 2);
      body = g_strconcat (parts[0], include, parts[1], NULL);
    }
  return write_file (dir, c->file, body, -1);
}

static char *
gen_missing (const InvalidCase *c, const char *dir)
{
  return g_build_filename (dir, c->file, NULL);
}

/* --- the table --- */

static char *
case_path (const InvalidCase *c)
{
  if (c->generate != NULL)
    return c->generate (c, tmp_dir);
  return data_path (c->file);
}

static void
check_no_leak_in_cli (const char *path)
{
  const char *const formats[] = { "table", "csv", "json" };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = moa_test_run_command (moa_cli_validate, &out, &err, "validate", path, NULL);
  assert_int_equal (status, 1);
  assert_no_secret (out, "moa validate's output");
  assert_no_secret (err, "moa validate's messages");
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *o = NULL;
      g_autofree char *e = NULL;
      status = moa_test_run_command (moa_cli_evaluate, &o, &e, "evaluate", "--format", formats[i],
                                     path, NULL);
      assert_int_equal (status, 1);
      assert_no_secret (o, "moa evaluate's output");
      assert_no_secret (e, "moa evaluate's messages");
    }
}

static void
test_invalid_file (void **state)
{
  const InvalidCase *c = *state;
  g_autofree char *path = case_path (c);
  g_autofree char *basename = g_path_get_basename (path);
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  GQuark domain = c->domain == PARSE ? MOA_PARSE_ERROR : MOA_VALIDATION_ERROR;
  gboolean cli_only = FALSE;

  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, problems, &error);
  if (procedure != NULL)
    {
      assert_null (error);
      assert_int_equal (problems->len, 0);
      MoaCostModel *model = moa_model_set_lookup (models, procedure->cost_model);
      if (c->domain == VALIDATION && c->code == MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL)
        {
          /* Finding the model by id is the caller's part (moa_plan_new takes a model): the
           * core can only say there is none; the message is checked on `moa validate`. */
          assert_null (model);
          cli_only = TRUE;
        }
      else
        {
          if (model == NULL)
            fail_msg ("%s: cost model %s not in the test models", c->file, procedure->cost_model);
          g_autoptr (MoaPlan) plan = moa_plan_new (procedure, model, problems, &error);
          if (plan != NULL)
            fail_msg ("%s: loaded and planned without error, expected %s code %d", c->file,
                      g_quark_to_string (domain), c->code);
        }
    }

  g_autofree char *expected_message = NULL;
  if (!cli_only)
    {
      assert_non_null (error);
      if (error->domain != domain || error->code != c->code)
        fail_msg ("%s: got %s code %d (%s), expected %s code %d", c->file,
                  g_quark_to_string (error->domain), error->code, error->message,
                  g_quark_to_string (domain), c->code);
      assert_contains (error->message, basename, "the message");
      if (c->line > 0)
        {
          g_autofree char *line = g_strdup_printf (":%d:", c->line);
          assert_contains (error->message, line, "the message");
        }
      if (c->element != NULL)
        assert_contains (error->message, c->element, "the message");
      if (c->detail != NULL)
        assert_contains (error->message, c->detail, "the message");

      /* The error is the first of the problems, which carry the same facts. */
      assert_true (problems->len >= 1);
      const MoaProblem *first = g_ptr_array_index (problems, 0);
      assert_int_equal (first->domain, domain);
      assert_int_equal (first->code, c->code);
      assert_int_equal (first->line, c->line);
      assert_string_equal (first->message, error->message);
      expected_message = g_strdup (error->message);

      if (c->secret)
        for (guint i = 0; i < problems->len; i++)
          assert_no_secret (((MoaProblem *)g_ptr_array_index (problems, i))->message,
                            "a problem's message");
    }

  /* moa validate: exit status 1 and the same message on stderr. */
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = moa_test_run_command (moa_cli_validate, &out, &err, "validate", path, NULL);
  if (status != 1)
    fail_msg ("%s: moa validate exited with %d, expected 1\n%s%s", c->file, status, out, err);
  if (expected_message != NULL)
    assert_contains (err, expected_message, "moa validate's messages");
  else
    {
      g_autofree char *where = g_strdup_printf ("%s:%d:", basename, c->line);
      assert_contains (err, where, "moa validate's messages");
      assert_contains (err, c->element, "moa validate's messages");
      assert_contains (err, c->detail, "moa validate's messages");
    }

  if (c->secret)
    check_no_leak_in_cli (path);

  if (c->generate != NULL)
    g_unlink (path);
}

/* The positive control: the file every invalid one is derived from loads, plans, evaluates and
 * validates, so that the table cannot pass because nothing loads at all. */
static void
test_valid_control (void **state)
{
  g_autofree char *path = data_path ("valid.xml");
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;

  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, problems, &error);
  if (procedure == NULL)
    fail_msg ("%s", error->message);
  MoaCostModel *model = moa_model_set_lookup (models, procedure->cost_model);
  assert_non_null (model);
  g_autoptr (MoaPlan) plan = moa_plan_new (procedure, model, problems, &error);
  if (plan == NULL)
    fail_msg ("%s", error->message);
  g_autoptr (MoaResult) result = moa_plan_evaluate (plan, NULL, &error);
  if (result == NULL)
    fail_msg ("%s", error->message);
  assert_int_equal (problems->len, 0);
  assert_true (result->total.recurring.burden > 0);

  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = moa_test_run_command (moa_cli_validate, &out, &err, "validate", path, NULL);
  if (status != 0)
    fail_msg ("moa validate valid.xml exited with %d:\n%s%s", status, out, err);
  g_autofree char *out2 = NULL;
  g_autofree char *err2 = NULL;
  status = moa_test_run_command (moa_cli_evaluate, &out2, &err2, "evaluate", path, NULL);
  if (status != 0)
    fail_msg ("moa evaluate valid.xml exited with %d:\n%s", status, err2);
}

/* The bounds are inclusive: a file of exactly MOA_MAX_FILE_SIZE bytes, 32 levels or
 * MOA_MAX_ELEMENTS elements is not refused as too large (the rows above are one over). */
static void
test_limits_inclusive (void **state)
{
  g_autoptr (GError) error = NULL;

  /* valid.xml padded with a comment to exactly MOA_MAX_FILE_SIZE bytes: it loads. */
  g_autofree char *text = valid_text ("at-size-limit");
  GString *s = g_string_new (text);
  g_string_append (s, "<!-- ");
  while (s->len < MOA_MAX_FILE_SIZE - 4)
    g_string_append_c (s, 'x');
  g_string_append (s, "-->\n");
  assert_int_equal (s->len, MOA_MAX_FILE_SIZE);
  g_autofree char *path = write_file (tmp_dir, "at-size-limit.xml", s->str, (gssize)s->len);
  g_string_free (s, TRUE);
  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, NULL, &error);
  g_unlink (path);
  if (procedure == NULL)
    fail_msg ("a file of exactly MOA_MAX_FILE_SIZE bytes: %s", error->message);

  /* 32 levels: refused for what the elements are, not for the depth. */
  s = g_string_new ("<procedure format=\"1\" id=\"deep\" cost-model=\"invalid-test\">\n");
  for (int d = 2; d <= MOA_MAX_DEPTH; d++)
    g_string_append (s, "<note>\n");
  for (int d = 2; d <= MOA_MAX_DEPTH; d++)
    g_string_append (s, "</note>\n");
  g_string_append (s, "</procedure>\n");
  g_autoptr (MoaProcedure) deep
      = moa_procedure_load_data (s->str, s->len, "deep.xml", NULL, &error);
  g_string_free (s, TRUE);
  assert_null (deep);
  if (g_error_matches (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_TOO_LARGE))
    fail_msg ("32 levels refused as too deep: %s", error->message);
  g_clear_error (&error);

  /* MOA_MAX_ELEMENTS elements: the root and MOA_MAX_ELEMENTS - 1 children. */
  s = g_string_new ("<procedure format=\"1\" id=\"many\" cost-model=\"invalid-test\">\n");
  for (int i = 1; i < MOA_MAX_ELEMENTS; i++)
    g_string_append (s, "<note/>\n");
  g_string_append (s, "</procedure>\n");
  g_autoptr (MoaProcedure) many
      = moa_procedure_load_data (s->str, s->len, "many.xml", NULL, &error);
  g_string_free (s, TRUE);
  assert_null (many);
  if (g_error_matches (error, MOA_PARSE_ERROR, MOA_PARSE_ERROR_TOO_LARGE))
    fail_msg ("%d elements refused as too many: %s", MOA_MAX_ELEMENTS, error->message);
}

/* Every file of the folder is in the table (or is the control), so that no fault file is
 * forgotten. */
static void
test_table_complete (void **state)
{
  g_autofree char *dir_path = g_build_filename (srcdir (), "test-invalid", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  assert_non_null (dir);
  guint n = 0;
  for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
    {
      if (!g_str_has_suffix (name, ".xml") || g_str_equal (name, "valid.xml"))
        continue;
      gboolean found = FALSE;
      for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        found = found || (cases[i].generate == NULL && g_str_equal (cases[i].file, name));
      if (!found)
        fail_msg ("test-invalid/%s is not in the table", name);
      n++;
    }
  assert_true (n > 30);
}

static int
group_setup (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *models_dir = g_build_filename (srcdir (), "test-invalid", "models", NULL);

  /* `moa validate` finds the cost models through $MOA_MODELS_DIR. */
  g_setenv ("MOA_MODELS_DIR", models_dir, TRUE);
  models = moa_model_set_new ();
  if (!moa_model_set_load_dir (models, models_dir, NULL, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return -1;
    }

  tmp_dir = g_dir_make_tmp ("moa-test-invalid-XXXXXX", &error);
  if (tmp_dir == NULL)
    return -1;
  g_autoptr (GRand) rand = g_rand_new ();
  secret_text = g_strdup_printf ("MOA-SECRET-%08x%08x", g_rand_int (rand), g_rand_int (rand));
  secret_path = g_build_filename (tmp_dir, "secret.txt", NULL);
  /* Also a valid entity declaration, for the parameter-entity and DTD variants. */
  g_autofree char *content
      = g_strdup_printf ("%s\n<!ENTITY secret \"%s\">\n", secret_text, secret_text);
  if (!g_file_set_contents (secret_path, content, -1, &error))
    return -1;
  return 0;
}

static int
group_teardown (void **state)
{
  /* A failed case leaves its generated file behind (cmocka jumps out of the test). */
  g_autoptr (GDir) dir = tmp_dir ? g_dir_open (tmp_dir, 0, NULL) : NULL;
  for (const char *name = dir ? g_dir_read_name (dir) : NULL; name != NULL;
       name = g_dir_read_name (dir))
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&secret_path, g_free);
  g_clear_pointer (&secret_text, g_free);
  g_clear_pointer (&tmp_dir, g_free);
  g_clear_pointer (&models, moa_model_set_free);
  return 0;
}

int
main (void)
{
  gsize n = G_N_ELEMENTS (cases) + 3;
  g_autofree struct CMUnitTest *tests = g_new0 (struct CMUnitTest, n);
  gsize k = 0;

  tests[k++] = (struct CMUnitTest)cmocka_unit_test (test_valid_control);
  tests[k++] = (struct CMUnitTest)cmocka_unit_test (test_table_complete);
  tests[k++] = (struct CMUnitTest)cmocka_unit_test (test_limits_inclusive);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      tests[k].name = cases[i].file;
      tests[k].test_func = test_invalid_file;
      tests[k].initial_state = (void *)&cases[i];
      k++;
    }
  return _cmocka_run_group_tests ("test-invalid", tests, n, group_setup, group_teardown);
}
