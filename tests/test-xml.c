/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the libxml2 seam: tree shape, entity refusal, bounds, errors, silence, threads. */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib/gstdio.h>

#include "moa-error.h"
#include "moa-procedure.h"
#include "moa-xml.h"

static MoaXmlNode *
parse_string (const char *text, const char *name, GError **error)
{
  return moa_xml_parse (text, strlen (text), name, error);
}

static void
assert_parse_error (const char *text, int code, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaXmlNode) root = parse_string (text, "t.xml", &error);

  assert_null (root);
  assert_non_null (error);
  if (error->domain != MOA_PARSE_ERROR || error->code != code)
    fail_msg ("code %d (%s), expected %d", error->code, error->message, code);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    fail_msg ("message \"%s\" lacks \"%s\"", error->message, needle);
}

static void
test_tree (void **state)
{
  static const char doc[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"         /* 1 */
                            "<!-- a comment -->\n"                                 /* 2 */
                            "<root a=\"1\" b=\"x &amp; y &lt; z &#38; &#x41;\">\n" /* 3 */
                            "  <child id=\"c1\">  hello &amp; <![CDATA[<raw>]]> w\u00f6rld  "
                            "</child>\n"           /* 4 */
                            "  <child\n"           /* 5 */
                            "      id=\"c2\"\n"    /* 6 */
                            "      v=\"2\"/>\n"    /* 7 */
                            "  text <?pi data?>\n" /* 8 */
                            "</root>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaXmlNode) root = parse_string (doc, "tree.xml", &error);
  MoaXmlNode *c1, *c2;

  if (root == NULL)
    fail_msg ("%s", error->message);
  assert_string_equal (root->name, "root");
  assert_int_equal (root->line, 3);
  assert_null (root->parent);
  assert_string_equal (root->attr_names[0], "a");
  assert_string_equal (root->attr_names[1], "b");
  assert_null (root->attr_names[2]);
  assert_string_equal (root->attr_values[0], "1");
  assert_string_equal (root->attr_values[1], "x & y < z & A");
  assert_string_equal (moa_xml_node_get_attr (root, "b"), "x & y < z & A");
  assert_null (moa_xml_node_get_attr (root, "c"));
  /* Direct text only, trimmed: the children's text is not the root's. */
  assert_string_equal (root->text, "text");
  assert_int_equal (root->children->len, 2);

  c1 = g_ptr_array_index (root->children, 0);
  assert_string_equal (c1->name, "child");
  assert_int_equal (c1->line, 4);
  assert_ptr_equal (c1->parent, root);
  assert_string_equal (c1->text, "hello & <raw> w\u00f6rld");
  assert_int_equal (c1->children->len, 0);

  c2 = g_ptr_array_index (root->children, 1);
  /* The line of the '<', not of the '/>' three lines below. */
  assert_int_equal (c2->line, 5);
  assert_string_equal (moa_xml_node_get_attr (c2, "id"), "c2");
  assert_string_equal (moa_xml_node_get_attr (c2, "v"), "2");
  assert_null (c2->text);
}

static void
test_billion_laughs (void **state)
{
  GString *doc = g_string_new ("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
                               " <!ENTITY lol \"lol\">\n");
  g_autoptr (GError) error = NULL;
  MoaXmlNode *root;
  gint64 t0, elapsed;

  for (int i = 1; i <= 10; i++)
    {
      g_string_append_printf (doc, " <!ENTITY lol%d \"", i);
      for (int j = 0; j < 10; j++)
        {
          if (i == 1)
            g_string_append (doc, "&lol;");
          else
            g_string_append_printf (doc, "&lol%d;", i - 1);
        }
      g_string_append (doc, "\">\n");
    }
  g_string_append (doc, "]>\n<lolz a=\"&lol10;\">&lol10;</lolz>\n");

  t0 = g_get_monotonic_time ();
  root = moa_xml_parse (doc->str, doc->len, "lol.xml", &error);
  elapsed = g_get_monotonic_time () - t0;
  g_string_free (doc, TRUE);

  assert_null (root);
  assert_non_null (error);
  assert_int_equal (error->code, MOA_PARSE_ERROR_ENTITY);
  assert_string_equal (error->message,
                       "lol.xml:2: a DOCTYPE is not allowed (entities are never expanded)");
  /* The line of "<!DOCTYPE", also when its parts run over several lines. */
  assert_parse_error ("<?xml version=\"1.0\"?>\n\n<!DOCTYPE r\n  SYSTEM \"file:///etc/passwd\"\n"
                      "  [\n<!ENTITY x \"y\">\n]>\n<r>&x;</r>\n",
                      MOA_PARSE_ERROR_ENTITY, "t.xml:3: a DOCTYPE is not allowed");
  /* Expanding 10^10 "lol"s would take minutes and gigabytes; refusing takes microseconds.
   * 0.5 s leaves room for valgrind and loaded machines. */
  if (elapsed > 500000)
    fail_msg ("refusing took %" G_GINT64_FORMAT " µs", elapsed);
}

static void
test_external_entity (void **state)
{
  static const char secret[] = "SECRET-7f3a-root:x:0:0";
  g_autofree char *dir = g_dir_make_tmp ("moa-test-xml-XXXXXX", NULL);
  g_autofree char *secret_path = g_build_filename (dir, "secret.txt", NULL);
  g_autofree char *doc_path = g_build_filename (dir, "doc.xml", NULL);
  const char *forms[] = {
    /* general external entity */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE r [\n<!ENTITY x SYSTEM \"file://%s\">\n]>\n"
    "<r a=\"b\">&x;</r>\n",
    /* parameter entity */
    "<!DOCTYPE r [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]><r/>",
    /* external DTD */
    "<!DOCTYPE r SYSTEM \"file://%s\"><r>&x;</r>",
    /* a path without scheme */
    "<!DOCTYPE r [<!ENTITY x SYSTEM \"%s\">]><r>&x;</r>",
  };

  assert_non_null (dir);
  assert_true (g_file_set_contents (secret_path, secret, -1, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *doc = g_strdup_printf (forms[i], secret_path);
      g_autoptr (GError) e1 = NULL;
      g_autoptr (GError) e2 = NULL;
      g_autoptr (MoaXmlNode) r1 = parse_string (doc, "doc.xml", &e1);
      g_autoptr (MoaXmlNode) r2 = NULL;

      assert_true (g_file_set_contents (doc_path, doc, -1, NULL));
      r2 = moa_xml_parse_file (doc_path, &e2);
      assert_null (r1);
      assert_null (r2);
      assert_int_equal (e1->code, MOA_PARSE_ERROR_ENTITY);
      assert_int_equal (e2->code, MOA_PARSE_ERROR_ENTITY);
      assert_null (strstr (e1->message, "SECRET"));
      assert_null (strstr (e2->message, "SECRET"));
      assert_true (g_str_has_prefix (e2->message, doc_path));
    }

  g_unlink (secret_path);
  g_unlink (doc_path);
  g_rmdir (dir);
}

static void
test_malformed (void **state)
{
  /* The end tag </a> on line 3 does not match <b> opened on line 2. */
  assert_parse_error ("<a>\n<b>\n</a>\n", MOA_PARSE_ERROR_MALFORMED, "t.xml:3: ");
  assert_parse_error ("<a>\n<b>\n</a>\n", MOA_PARSE_ERROR_MALFORMED, "mismatch");
  /* An undeclared entity is an error, never text. */
  assert_parse_error ("<a>&nope;</a>", MOA_PARSE_ERROR_MALFORMED, "t.xml:1: ");
  assert_parse_error ("<a x=\"1\" x=\"2\"/>", MOA_PARSE_ERROR_MALFORMED, "t.xml:1: ");
  assert_parse_error ("<a>\n\n<b></a>", MOA_PARSE_ERROR_MALFORMED, "t.xml:3: ");
  assert_parse_error ("<a/><b/>", MOA_PARSE_ERROR_MALFORMED, "t.xml:1: ");
  assert_parse_error ("just text", MOA_PARSE_ERROR_MALFORMED, "t.xml");
  assert_parse_error ("<a>\n<b>", MOA_PARSE_ERROR_MALFORMED, "t.xml");
  assert_parse_error ("", MOA_PARSE_ERROR_MALFORMED, "t.xml");
  /* Invalid UTF-8 in a document that declares none. */
  assert_parse_error ("<a>\xff\xfe</a>", MOA_PARSE_ERROR_MALFORMED, "t.xml:1: ");
}

/* @depth elements, each inside the previous one. */
static char *
nested (int depth)
{
  GString *s = g_string_new (NULL);
  for (int i = 0; i < depth; i++)
    g_string_append (s, "<e>");
  for (int i = 0; i < depth; i++)
    g_string_append (s, "</e>");
  return g_string_free (s, FALSE);
}

static void
test_depth_bound (void **state)
{
  g_autofree char *ok_doc = nested (MOA_MAX_DEPTH);
  g_autofree char *deep_doc = nested (MOA_MAX_DEPTH + 1);
  g_autofree char *very_deep = nested (100000);
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaXmlNode) root = parse_string (ok_doc, "ok.xml", &error);
  const MoaXmlNode *n;
  int depth = 0;

  assert_non_null (root);
  for (n = root; n != NULL; n = n->children->len > 0 ? g_ptr_array_index (n->children, 0) : NULL)
    depth++;
  assert_int_equal (depth, MOA_MAX_DEPTH);

  assert_parse_error (deep_doc, MOA_PARSE_ERROR_TOO_LARGE, "more than 32 levels");
  assert_parse_error (very_deep, MOA_PARSE_ERROR_TOO_LARGE, "more than 32 levels");
}

static void
test_element_bound (void **state)
{
  GString *s = g_string_new ("<r>");
  g_autoptr (GError) error = NULL;
  MoaXmlNode *root;

  /* The root and MOA_MAX_ELEMENTS - 1 leaves: exactly the limit. */
  for (int i = 0; i < MOA_MAX_ELEMENTS - 1; i++)
    g_string_append (s, "<x/>");
  g_string_append (s, "</r>");
  root = moa_xml_parse (s->str, s->len, "many.xml", &error);
  assert_non_null (root);
  assert_int_equal (root->children->len, MOA_MAX_ELEMENTS - 1);
  moa_xml_node_free (root);

  g_string_truncate (s, s->len - 4);
  g_string_append (s, "<x/></r>");
  root = moa_xml_parse (s->str, s->len, "many.xml", &error);
  assert_null (root);
  assert_int_equal (error->code, MOA_PARSE_ERROR_TOO_LARGE);
  assert_non_null (strstr (error->message, "more than 200000 elements"));
  g_string_free (s, TRUE);
}

static void
test_size_bound (void **state)
{
  g_autofree char *dir = g_dir_make_tmp ("moa-test-xml-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  char *big;
  MoaXmlNode *root;
  int fd;

  /* A sparse file one byte over the limit: refused from its size, without reading it. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true (fd >= 0);
  assert_int_equal (ftruncate (fd, MOA_MAX_FILE_SIZE + 1), 0);
  close (fd);
  root = moa_xml_parse_file (path, &error);
  assert_null (root);
  assert_int_equal (error->code, MOA_PARSE_ERROR_TOO_LARGE);
  assert_true (g_str_has_prefix (error->message, path));

  big = g_malloc (MOA_MAX_FILE_SIZE + 1);
  memset (big, ' ', MOA_MAX_FILE_SIZE + 1);
  memcpy (big, "<a/>", 4);
  root = moa_xml_parse (big, MOA_MAX_FILE_SIZE + 1, "big.xml", &error2);
  g_free (big);
  assert_null (root);
  assert_int_equal (error2->code, MOA_PARSE_ERROR_TOO_LARGE);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_io_errors (void **state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) error2 = NULL;
  g_autofree char *dir = g_dir_make_tmp ("moa-test-xml-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.xml", NULL);
  MoaXmlNode *root;

  root = moa_xml_parse_file (missing, &error);
  assert_null (root);
  assert_int_equal (error->code, MOA_PARSE_ERROR_IO);
  assert_true (g_str_has_prefix (error->message, missing));
  assert_non_null (strstr (error->message, g_strerror (ENOENT)));

  root = moa_xml_parse_file (dir, &error2);
  assert_null (root);
  assert_int_equal (error2->code, MOA_PARSE_ERROR_IO);
  g_rmdir (dir);
}

/* libxml2's default handlers print to stderr; the seam must not. */
static void
test_silent (void **state)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("moa-test-xml-stderr-XXXXXX", &path, NULL);
  int saved = dup (STDERR_FILENO);
  g_autofree char *captured = NULL;
  gsize len = 99;

  assert_true (fd >= 0 && saved >= 0);
  fflush (stderr);
  dup2 (fd, STDERR_FILENO);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (GError) e = NULL;
      static const char *docs[]
          = { "<a>\n<b>\n</a>\n", "<!DOCTYPE a [<!ENTITY x 'y'>]><a/>", "<a>&undefined;</a>" };
      MoaXmlNode *root = parse_string (docs[i], "quiet.xml", &e);
      g_assert (root == NULL && e != NULL);
    }
  fflush (stderr);
  dup2 (saved, STDERR_FILENO);
  close (saved);
  close (fd);
  assert_true (g_file_get_contents (path, &captured, &len, NULL));
  if (len != 0)
    fail_msg ("libxml2 printed: %s", captured);
  g_unlink (path);
}

static gpointer
parse_many (gpointer data)
{
  gboolean good = GPOINTER_TO_INT (data);
  for (int i = 0; i < 300; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MoaXmlNode) root = NULL;

      if (good)
        {
          root = parse_string ("<r>\n<s id=\"1\">t</s>\n</r>", "good.xml", &error);
          if (root == NULL || root->children->len != 1)
            return GINT_TO_POINTER (FALSE);
        }
      else
        {
          root = parse_string ("<r>\n\n\n<s></r>", "bad.xml", &error);
          if (root != NULL || !g_str_has_prefix (error->message, "bad.xml:4: "))
            return GINT_TO_POINTER (FALSE);
        }
    }
  return GINT_TO_POINTER (TRUE);
}

static void
test_threads (void **state)
{
  GThread *threads[4];

  for (int i = 0; i < 4; i++)
    threads[i] = g_thread_new ("parse", parse_many, GINT_TO_POINTER (i % 2));
  for (int i = 0; i < 4; i++)
    assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_tree),
    cmocka_unit_test (test_billion_laughs),
    cmocka_unit_test (test_external_entity),
    cmocka_unit_test (test_malformed),
    cmocka_unit_test (test_depth_bound),
    cmocka_unit_test (test_element_bound),
    cmocka_unit_test (test_size_bound),
    cmocka_unit_test (test_io_errors),
    cmocka_unit_test (test_silent),
    cmocka_unit_test (test_threads),
  };

  cmocka_set_message_output (CM_OUTPUT_TAP);
  return cmocka_run_group_tests_name ("xml", tests, NULL, NULL);
}
