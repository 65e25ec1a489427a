/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The policymakers' report: a report built by hand (tests/test-report/README.md works its
 * numbers out) written as PDF, HTML and CSV in Italian and English, checked with pdfinfo,
 * pdftotext and xmllint run as processes, and by parsing the CSV; the unfinished run's warning;
 * a failed write leaves no file; numbers per language (moa-lang.h). */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>

#include "moa-config.h"
#include "moa-lang.h"
#include "moa-report.h"
#include "moa-test-support.h"

/* ---- The report of the README ------------------------------------------------------------- */

static void
set_figure (MoaReportFigure *f, double before, double after)
{
  f->before = before;
  f->after = after;
  f->saving = before - after;
  f->saving_percent = before != 0 ? 100 * (before - after) / before : 0;
}

static void
set_interval (MoaReportInterval *iv, double p5, double p95)
{
  iv->n = 1000;
  iv->p5 = p5;
  iv->p95 = p95;
  iv->p50 = iv->mean = (p5 + p95) / 2;
  iv->sd = (p95 - p5) / 3.29;
}

static void
set_title (MoaTitle *t, const char *it, const char *en)
{
  t->it = g_strdup (it);
  t->en = g_strdup (en);
}

static MoaReportItem *
item (const char *procedure, const char *obligation, const char *activity, const char *segment,
      const char *it, const char *en, double before, double after, double hours_before,
      double hours_after)
{
  MoaReportItem *x = moa_report_item_new ();
  x->procedure_id = g_strdup (procedure);
  x->obligation_id = g_strdup (obligation);
  x->activity_id = g_strdup (activity);
  x->segment_id = g_strdup (segment);
  set_title (&x->title, it, en);
  x->before = before;
  x->after = after;
  x->hours_before = hours_before;
  x->hours_after = hours_after;
  return x;
}

static MoaReportMeasure *
measure (const char *procedure, const char *scenario, const char *id, const char *it,
         const char *en, double saving, double alone, double hours, double businesses,
         double one_off)
{
  MoaReportMeasure *m = moa_report_measure_new ();
  m->procedure_id = g_strdup (procedure);
  m->scenario_id = g_strdup (scenario);
  m->measure_id = g_strdup (id);
  set_title (&m->title, it, en);
  m->type = g_strdup ("digitalise-submission");
  m->saving = saving;
  m->saving_alone = alone;
  m->citizens_hours = hours;
  m->businesses = businesses;
  m->one_off = one_off;
  return m;
}

static MoaReportRow *
report_row (const char *key, const char *kind, const char *it, const char *en, double before,
            double after)
{
  MoaReportRow *r = moa_report_row_new ();
  r->key = g_strdup (key);
  r->kind = g_strdup (kind);
  if (it || en)
    set_title (&r->title, it, en);
  set_figure (&r->totals.burden, before, after);
  return r;
}

/* Certificato (citizens): 1,000,000 -> 200,000 EUR/year, 25,000 -> 8,000 hours/year.
 * AUA (businesses): 234,567 -> 134,567 EUR/year, one-off 50,000 EUR (5,000 a year).
 * The programme: 1,234,567 -> 334,567, saving 900,000 = 72.9 %. */
static MoaReport *
hand_report (gboolean complete)
{
  MoaReport *r = moa_report_new ();
  r->run_id = 3;
  r->catalog_id = g_strdup ("lombardia-test");
  set_title (&r->catalog_title, "Catalogo di prova", "Test catalog");
  r->moa_version = g_strdup ("0.test");
  r->started_at = g_strdup ("2024-05-01T10:00:00Z");
  r->finished_at = complete ? g_strdup ("2024-05-01T10:05:00Z") : NULL;
  r->seed = 18446744073709551557u; /* above 2^53: must be shown exactly */
  r->iterations = 1000;
  r->cost_model = g_strdup ("it-moa");
  r->cost_model_version = g_strdup ("2024.1");
  r->price_year = 2024;
  r->currency = g_strdup ("EUR");

  set_figure (&r->totals.burden, 1234567, 334567);
  set_figure (&r->totals.citizens_hours, 25000, 8000);
  set_figure (&r->totals.citizens_cost, 1000000, 200000);
  set_figure (&r->totals.businesses, 234567, 134567);
  set_interval (&r->totals.burden.before_interval, 1200000, 1270000);
  set_interval (&r->totals.burden.after_interval, 300000, 370000);
  set_interval (&r->totals.burden.saving_interval, 850000, 950000);
  set_interval (&r->totals.citizens_hours.saving_interval, 15000, 19000);
  r->totals.one_off = 50000;
  r->totals.one_off_per_year = 5000;

  g_ptr_array_add (r->by_area,
                   report_row ("servizi-demografici", NULL, NULL, NULL, 1000000, 200000));
  g_ptr_array_add (r->by_area, report_row ("ambiente", NULL, NULL, NULL, 234567, 134567));
  g_ptr_array_add (r->by_group, report_row ("citizen", "citizen", NULL, NULL, 1000000, 200000));
  g_ptr_array_add (r->by_group, report_row ("business", "business", NULL, NULL, 234567, 134567));
  /* Milano: 0.325 of the region; a share with a long decimal expansion for the CSV */
  g_ptr_array_add (r->by_territory, report_row ("03", "province", "Milano", "Milan",
                                                1234567 * 0.325, 334567 * 0.325));
  g_ptr_array_add (r->by_territory, report_row ("17", "province", "Brescia", "Brescia",
                                                1234567 / 9.0, 334567 / 9.0));

  g_ptr_array_add (r->top_obligations,
                   item ("certificato", "richiesta", NULL, NULL, "Richiesta del certificato",
                         "Certificate request", 1000000, 200000, 25000, 8000));
  g_ptr_array_add (r->top_obligations,
                   item ("aua", "domanda-rinnovo", NULL, NULL, "Domanda di rinnovo",
                         "Renewal application", 234567, 134567, 0, 0));

  g_ptr_array_add (r->measures,
                   measure ("certificato", "anpr", "anpr-self-service",
                            "Certificato in self-service ANPR", "ANPR self-service certificate",
                            700000, 700000, 15000, 0, 0));
  g_ptr_array_add (r->measures,
                   measure ("aua", "aua-rinnovo", "rinnovo-semplificato", "Rinnovo semplificato",
                            "Simplified renewal", 100000, 100000, 0, 100000, 50000));
  g_ptr_array_add (r->measures, measure ("certificato", "anpr", "pagopa", "Pagamento pagoPA",
                                         "pagoPA payment", 100000, NAN, 2000, 0, 0));

  MoaReportProcedure *a = moa_report_procedure_new ();
  a->id = g_strdup ("certificato");
  a->file = g_strdup ("procedures/certificato.xml");
  set_title (&a->title, "Certificato anagrafico", "Registry certificate");
  a->area = g_strdup ("servizi-demografici");
  a->authority = g_strdup ("Comune");
  a->legal_basis = g_strdup ("D.P.R. 223/1989");
  a->scenario_id = g_strdup ("anpr");
  set_title (&a->scenario_title, "ANPR in self-service", "ANPR self-service");
  a->cases = 10000;
  set_figure (&a->totals.burden, 1000000, 200000);
  set_figure (&a->totals.citizens_hours, 25000, 8000);
  set_figure (&a->totals.citizens_cost, 1000000, 200000);
  set_interval (&a->totals.burden.saving_interval, 750000, 850000);
  g_ptr_array_add (a->obligations,
                   item ("certificato", "richiesta", NULL, NULL, "Richiesta del certificato",
                         "Certificate request", 1000000, 200000, 25000, 8000));
  g_ptr_array_add (a->activities, item ("certificato", "richiesta", "compilazione", "residenti",
                                        "Compilazione della domanda", "Filling in the form", 600000,
                                        200000, 15000, 8000));
  g_ptr_array_add (a->activities,
                   item ("certificato", "richiesta", "sportello", "residenti",
                         "Accesso allo sportello", "Going to the office", 400000, 0, 10000, 0));
  g_ptr_array_add (a->measures,
                   measure ("certificato", "anpr", "anpr-self-service",
                            "Certificato in self-service ANPR", "ANPR self-service certificate",
                            700000, 700000, 15000, 0, 0));
  g_ptr_array_add (a->measures, measure ("certificato", "anpr", "pagopa", "Pagamento pagoPA",
                                         "pagoPA payment", 100000, NAN, 2000, 0, 0));
  g_ptr_array_add (r->procedures, a);

  MoaReportProcedure *b = moa_report_procedure_new ();
  b->id = g_strdup ("aua");
  b->file = g_strdup ("procedures/aua.xml");
  set_title (&b->title, "Autorizzazione unica ambientale", "Single environmental permit");
  b->area = g_strdup ("ambiente");
  b->scenario_id = g_strdup ("aua-rinnovo");
  b->cases = 1500;
  b->payback_years = 10.0 / 3; /* not a short decimal: the CSV must keep it exactly */
  set_figure (&b->totals.burden, 234567, 134567);
  set_figure (&b->totals.businesses, 234567, 134567);
  b->totals.one_off = 50000;
  b->totals.one_off_per_year = 5000;
  g_ptr_array_add (b->obligations, item ("aua", "domanda-rinnovo", NULL, NULL, "Domanda di rinnovo",
                                         "Renewal application", 234567, 134567, 0, 0));
  g_ptr_array_add (b->activities, item ("aua", "domanda-rinnovo", "redazione", "imprese",
                                        "Redazione, \"relazione\" tecnica",
                                        "Technical report, \"drafting\"", 234567, 134567, 0, 0));
  g_ptr_array_add (b->measures,
                   measure ("aua", "aua-rinnovo", "rinnovo-semplificato", "Rinnovo semplificato",
                            "Simplified renewal", 100000, 100000, 0, 100000, 50000));
  g_ptr_array_add (r->procedures, b);

  MoaReportAssumption *x = moa_report_assumption_new ();
  x->procedure_id = g_strdup ("certificato");
  x->element = g_strdup ("richiesta/compilazione");
  x->parameter = g_strdup ("time");
  x->value = g_strdup ("triangular(3, 5, 15) min");
  x->source = g_strdup ("Indagine <Regione> & ISTAT 2023");
  g_ptr_array_add (r->assumptions, x);
  x = moa_report_assumption_new ();
  x->element = g_strdup ("tariff citizen");
  x->parameter = g_strdup ("rate");
  x->value = g_strdup ("25 EUR/h");
  g_ptr_array_add (r->assumptions, x);

  const char *roles[] = { "catalog", "procedure", "procedure" };
  const char *paths[] = { "catalogs/test.xml", "procedures/certificato.xml", "procedures/aua.xml" };
  for (int i = 0; i < 3; i++)
    {
      MoaReportInput *in = moa_report_input_new ();
      in->role = g_strdup (roles[i]);
      in->path = g_strdup (paths[i]);
      in->sha256 = g_strnfill (64, "abc"[i]);
      g_ptr_array_add (r->inputs, in);
    }
  return r;
}

/* ---- Helpers ------------------------------------------------------------------------------ */

static void
assert_contains (const char *what, const char *text, const char *needle)
{
  if (strstr (text, needle) == NULL)
    fail_msg ("%s does not contain \"%s\"", what, needle);
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;
  for (const char *p = strstr (text, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The expected texts of each language (worked by hand in the README). */
typedef struct
{
  const char *lang;
  const char *before, *after, *saving, *percent, *interval, *hours, *one_off;
} Expected;

static const Expected expected[] = {
  { "it", "1.234.567", "334.567", "900.000", "72,9 %", "850.000 – 950.000", "17.000", "50.000" },
  { "en", "1,234,567", "334,567", "900,000", "72.9 %", "850,000 – 950,000", "17,000", "50,000" },
};

static void
assert_figures (const char *what, const char *text, const Expected *e)
{
  assert_contains (what, text, e->before);
  assert_contains (what, text, e->after);
  assert_contains (what, text, e->saving);
  assert_contains (what, text, e->percent);
  assert_contains (what, text, e->interval);
  assert_contains (what, text, e->hours);
  assert_contains (what, text, e->one_off);
  assert_contains (what, text, "2024");
}

typedef struct
{
  char *dir;
} Fixture;

static int
setup (void **state)
{
  Fixture *f = g_new0 (Fixture, 1);
  f->dir = moa_test_make_tmp_dir ("moa-test-report-XXXXXX");
  *state = f;
  return 0;
}

static int
teardown (void **state)
{
  Fixture *f = *state;
  moa_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f);
  return 0;
}

static char *
write_report (const Fixture *f, const MoaReport *r, MoaReportFormat format, const char *lang,
              const char *name)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr (GError) error = NULL;
  if (!moa_report_write (r, format, lang, path, &error))
    fail_msg ("moa_report_write %s: %s", name, error->message);
  return path;
}

/* Runs xmllint --noout on @path: TRUE when it accepts it; FALSE (with a message) when xmllint is
 * missing. */
static gboolean
xmllint_accepts (const char *path)
{
  int status = 0;
  const char *argv[] = { "xmllint", "--noout", path, NULL };
  g_autofree char *err = NULL;
  g_autofree char *out = moa_test_run_tool (argv, &err, &status);
  if (out == NULL)
    {
      print_message ("# xmllint not found (libxml2-utils): the HTML's well-formedness is not "
                     "checked\n");
      return FALSE;
    }
  if (status != 0)
    fail_msg ("xmllint rejects %s: %s", path, err);
  return TRUE;
}

/* The text of the PDF at @path (pdftotext -raw, pages ended by form feeds); fails the test when
 * pdftotext fails. NULL, with a TAP message that the PDF's @what is not checked, when pdftotext
 * is missing. */
static char *
pdf_text (const char *path, const char *what)
{
  int status = 0;
  const char *argv[] = { "pdftotext", "-raw", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *err = NULL;
  char *out = moa_test_run_tool (argv, &err, &status);
  if (out == NULL)
    print_message ("# pdftotext not found (poppler-utils): the PDF's %s not checked\n", what);
  else if (status != 0)
    fail_msg ("pdftotext %s: %s", path, err);
  return out;
}

/* Writes @r as @name (see write_report()) and returns the text of the file; an HTML report must
 * also be well-formed to xmllint (when it is installed). */
static char *
read_report (const Fixture *f, const MoaReport *r, MoaReportFormat format, const char *lang,
             const char *name)
{
  g_autofree char *path = write_report (f, r, format, lang, name);
  char *text = NULL;
  assert_true (g_file_get_contents (path, &text, NULL, NULL));
  if (format == MOA_REPORT_HTML)
    xmllint_accepts (path);
  return text;
}

/* ---- Tests -------------------------------------------------------------------------------- */

static void
test_numbers (void **state)
{
  g_autofree char *it = moa_lang_format_number (1234567.891, 2, "it");
  g_autofree char *en = moa_lang_format_number (1234567.891, 2, "en");
  g_autofree char *neg = moa_lang_format_number (-148.125, 2, "it");
  assert_string_equal (it, "1.234.567,89");
  assert_string_equal (en, "1,234,567.89");
  assert_string_equal (neg, "-148,13");
  assert_string_equal (moa_lang_resolve ("it"), "it");
  assert_string_equal (moa_lang_resolve ("en"), "en");

  MoaReportFormat format = MOA_REPORT_CSV;
  assert_true (moa_report_format_from_string ("PDF", &format));
  assert_int_equal (format, MOA_REPORT_PDF);
  assert_true (moa_report_format_from_string ("html", &format));
  assert_int_equal (format, MOA_REPORT_HTML);
  assert_false (moa_report_format_from_string ("docx", &format));
  assert_int_equal (format, MOA_REPORT_HTML);
}

static void
test_pdf (void **state)
{
  Fixture *f = *state;
  g_autoptr (MoaReport) r = hand_report (TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const Expected *e = &expected[i];
      g_autofree char *name = g_strdup_printf ("report-%s.pdf", e->lang);
      g_autofree char *path = write_report (f, r, MOA_REPORT_PDF, e->lang, name);
      g_autofree char *contents = NULL;
      gsize length = 0;
      assert_true (g_file_get_contents (path, &contents, &length, NULL));
      assert_true (length > 1000);
      assert_memory_equal (contents, "%PDF", 4);

      int status = 0;
      const char *info[] = { "pdfinfo", path, NULL };
      g_autofree char *info_err = NULL;
      g_autofree char *info_out = moa_test_run_tool (info, &info_err, &status);
      if (info_out == NULL)
        {
          print_message ("# pdfinfo not found (poppler-utils): the PDF's pages not checked\n");
          continue;
        }
      assert_int_equal (status, 0);
      const char *pages = strstr (info_out, "Pages:");
      assert_non_null (pages);
      int n_pages = atoi (pages + strlen ("Pages:"));
      if (n_pages < 2)
        fail_msg ("the %s PDF has %d pages, expected at least 2", e->lang, n_pages);
      assert_contains ("pdfinfo", info_out, "Title:");

      g_autofree char *text_out = pdf_text (path, "text");
      if (text_out == NULL)
        continue;
      g_autofree char *flat = moa_test_squeeze_spaces (text_out);
      assert_figures (name, flat, e);
      /* numbered "n / N" on every page */
      g_autofree char *last = g_strdup_printf ("%d / %d", n_pages, n_pages);
      assert_contains (name, flat, "1 / ");
      assert_contains (name, flat, last);
      assert_contains (name, flat, "Milan");
      assert_contains (name, flat,
                       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
      assert_contains (name, flat, "18446744073709551557");
      assert_null (strstr (flat, "Unfinished"));
      if (strcmp (e->lang, "en") == 0)
        {
          assert_contains (name, flat, "EUR/year, 2024 prices");
          assert_contains (name, flat, "Methodology and caveats");
          assert_contains (name, flat, "substantive compliance costs");
          assert_contains (name, flat, "Registry certificate");
        }
      else
        assert_contains (name, flat, "Certificato anagrafico");
    }
}

static void
test_html (void **state)
{
  Fixture *f = *state;
  g_autoptr (MoaReport) r = hand_report (TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const Expected *e = &expected[i];
      g_autofree char *name = g_strdup_printf ("report-%s.html", e->lang);
      g_autofree char *html = read_report (f, r, MOA_REPORT_HTML, e->lang, name);
      assert_figures (name, html, e);
      assert_contains (name, html, "<svg");
      g_autofree char *lang = g_strdup_printf ("xml:lang=\"%s\"", e->lang);
      assert_contains (name, html, lang);
      /* escaped, and self-contained: nothing fetched from elsewhere, no script */
      assert_contains (name, html, "Indagine &lt;Regione&gt; &amp; ISTAT 2023");
      assert_null (strstr (html, "<script"));
      assert_null (strstr (html, "src="));
      assert_null (strstr (html, "http://www.example"));
      assert_null (strstr (html, "Unfinished"));
      assert_contains (name, html, "id=\"provenance\"");
      assert_contains (name, html, "18446744073709551557");
      if (strcmp (e->lang, "en") == 0)
        {
          assert_contains (name, html, "EUR/year, 2024 prices");
          assert_contains (name, html, "Single environmental permit");
        }
      else
        assert_contains (name, html, "Autorizzazione unica ambientale");
    }
}

/* Splits RFC 4180 @text into records of fields (a new array of GStrv). */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  const char *p = text;
  while (*p)
    {
      if (*p == '"')
        {
          for (p++; *p; p++)
            {
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
        }
      else if (*p == ',')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          p++;
        }
      else if (*p == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
          fields = g_ptr_array_new ();
          p += 2;
        }
      else if (*p == '\n')
        fail_msg ("a bare line feed ends a CSV record: RFC 4180 wants CR LF");
      else
        g_string_append_c (field, *p++);
    }
  assert_int_equal (fields->len, 0); /* the last record ended with CR LF */
  g_ptr_array_free (fields, TRUE);
  g_string_free (field, TRUE);
  return records;
}

static const char *const csv_columns[]
    = { "section", "procedure", "scenario",       "key", "label", "quantity", "unit", "before",
        "after",   "saving",    "saving_percent", "p5",  "p95",   "value",    "text" };

static int
column (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    if (strcmp (csv_columns[i], name) == 0)
      return (int)i;
  fail_msg ("no CSV column %s", name);
  return -1;
}

/* The record whose section, key and quantity are these, or NULL. */
static char **
find_record (GPtrArray *records, const char *section, const char *key, const char *quantity)
{
  for (guint i = 1; i < records->len; i++)
    {
      char **r = g_ptr_array_index (records, i);
      if (strcmp (r[column ("section")], section) == 0 && strcmp (r[column ("key")], key) == 0
          && strcmp (r[column ("quantity")], quantity) == 0)
        return r;
    }
  return NULL;
}

/* The number in column @name of @record, which must be exactly @expected (full precision). */
static void
assert_exact (char **record, const char *name, double expected)
{
  const char *text = record[column (name)];
  char *end = NULL;
  double x = g_ascii_strtod (text, &end);
  if (*text == '\0' || *end != '\0' || x != expected)
    fail_msg ("CSV %s/%s: %s is \"%s\", expected %.17g", record[0], record[column ("key")], name,
              text, expected);
}

static void
test_csv (void **state)
{
  Fixture *f = *state;
  g_autoptr (MoaReport) r = hand_report (TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const char *lang = expected[i].lang;
      g_autofree char *name = g_strdup_printf ("report-%s.csv", lang);
      g_autofree char *text = read_report (f, r, MOA_REPORT_CSV, lang, name);
      g_autoptr (GPtrArray) records = parse_csv (text);
      assert_true (records->len > 20);
      char **header = g_ptr_array_index (records, 0);
      assert_int_equal (g_strv_length (header), G_N_ELEMENTS (csv_columns));
      for (gsize k = 0; k < G_N_ELEMENTS (csv_columns); k++)
        assert_string_equal (header[k], csv_columns[k]);
      for (guint k = 1; k < records->len; k++)
        assert_int_equal (g_strv_length (g_ptr_array_index (records, k)),
                          G_N_ELEMENTS (csv_columns));

      /* the summary equals the model's numbers exactly */
      char **burden = find_record (records, "summary", "programme", "burden");
      assert_non_null (burden);
      assert_exact (burden, "before", 1234567);
      assert_exact (burden, "after", 334567);
      assert_exact (burden, "saving", 900000);
      assert_exact (burden, "saving_percent", r->totals.burden.saving_percent);
      assert_exact (burden, "p5", 850000);
      assert_exact (burden, "p95", 950000);
      assert_string_equal (burden[column ("unit")], "EUR/year, 2024 prices");
      char **hours = find_record (records, "summary", "programme", "citizens_hours");
      assert_non_null (hours);
      assert_exact (hours, "saving", 17000);
      assert_exact (hours, "p5", 15000);
      assert_string_equal (hours[column ("unit")], "hours/year");
      char **firms = find_record (records, "summary", "programme", "businesses");
      assert_exact (firms, "saving", 100000);
      assert_string_equal (firms[column ("p5")], ""); /* no interval for it in the model */
      char **one_off = find_record (records, "summary", "programme", "one_off");
      assert_exact (one_off, "value", 50000);
      assert_string_equal (one_off[column ("unit")], "EUR one-off, 2024 prices");

      /* full precision where the numbers have no short decimal form */
      char **milano = find_record (records, "territory", "03", "burden");
      assert_exact (milano, "before", 1234567 * 0.325);
      char **brescia = find_record (records, "territory", "17", "burden");
      assert_exact (brescia, "after", 334567 / 9.0);
      char **payback = find_record (records, "procedure", "aua", "payback");
      assert_exact (payback, "value", 10.0 / 3);
      char **before_iv = find_record (records, "interval", "programme", "burden");
      assert_non_null (before_iv);
      assert_exact (before_iv, "p5", 1200000);
      assert_exact (before_iv, "p95", 1270000);

      /* a measure that cannot apply alone: an empty field, not "nan" */
      char **alone = find_record (records, "measure", "pagopa", "burden_alone");
      assert_string_equal (alone[column ("saving")], "");
      /* quoted fields come back whole */
      char **activity
          = find_record (records, "activity", "domanda-rinnovo/redazione/imprese", "burden");
      assert_non_null (activity);
      assert_string_equal (activity[column ("label")], strcmp (lang, "it") == 0
                                                           ? "Redazione, \"relazione\" tecnica"
                                                           : "Technical report, \"drafting\"");
      char **seed = find_record (records, "run", "seed", "");
      assert_string_equal (seed[column ("text")], "18446744073709551557");
      char **input = find_record (records, "input", "procedures/aua.xml", "procedure");
      assert_non_null (input);
      assert_int_equal (strlen (input[column ("text")]), 64);
      char **source = find_record (records, "assumption", "richiesta/compilazione", "time");
      assert_string_equal (source[column ("label")], "triangular(3, 5, 15) min");
    }
}

static void
test_unfinished (void **state)
{
  Fixture *f = *state;
  g_autoptr (MoaReport) r = hand_report (FALSE);
  g_autofree char *html = read_report (f, r, MOA_REPORT_HTML, "en", "unfinished.html");
  assert_contains ("unfinished.html", html, "Unfinished run: run 3");
  assert_contains ("unfinished.html", html, "class=\"warning\"");

  g_autofree char *csv = read_report (f, r, MOA_REPORT_CSV, "en", "unfinished.csv");
  assert_contains ("unfinished.csv", csv, "run,,,status,,,,,,,,,,,unfinished\r\n");

  g_autofree char *pdf_path = write_report (f, r, MOA_REPORT_PDF, "en", "unfinished.pdf");
  g_autofree char *out = pdf_text (pdf_path, "warning");
  if (out == NULL)
    return;
  g_autofree char *flat = moa_test_squeeze_spaces (out);
  /* on every page: count the pages by their form feeds */
  guint pages = count (out, "\f");
  assert_true (pages >= 2);
  if (count (flat, "Unfinished run: run 3") < pages)
    fail_msg ("the warning is on %u of %u pages", count (flat, "Unfinished run: run 3"), pages);
}

static void
test_write_fails (void **state)
{
  Fixture *f = *state;
  g_autoptr (MoaReport) r = hand_report (TRUE);
  const MoaReportFormat formats[] = { MOA_REPORT_PDF, MOA_REPORT_HTML, MOA_REPORT_CSV };
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      /* a folder that does not exist */
      g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "report.out", NULL);
      g_autoptr (GError) error = NULL;
      assert_false (moa_report_write (r, formats[i], "en", missing, &error));
      assert_non_null (error);
      assert_non_null (strstr (error->message, "report.out"));
      assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

      /* a path that is a folder: the temporary file is written, the rename fails, and the
       * temporary file must not stay behind */
      g_autofree char *folder = g_build_filename (f->dir, "a-folder", NULL);
      assert_int_equal (g_mkdir (folder, 0755), 0);
      g_autoptr (GError) error2 = NULL;
      assert_false (moa_report_write (r, formats[i], "en", folder, &error2));
      assert_non_null (error2);
      GDir *dir = g_dir_open (f->dir, 0, NULL);
      const char *name;
      guint n = 0;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          if (strcmp (name, "a-folder") != 0)
            fail_msg ("a failed write left %s behind", name);
          n++;
        }
      g_dir_close (dir);
      assert_int_equal (n, 1);
      assert_int_equal (g_rmdir (folder), 0);
    }
}

/* ---- The PDF's short tables and the register's sources ----------------------------------- */

/* The hand report plus a procedure of 40 activities of which 5 make at least 1 % of its burden,
 * and a register whose sources repeat.
 *
 * Procedure "molti": 5 large activities, before 100,000 / 80,000 / 60,000 / 40,000 / 20,000
 * (after half of each), listed out of order among 35 small ones of 100 before and 50 after
 * each, with 4 citizens' hours before and 3 after each.
 *   burden before = 300,000 + 35 x 100 = 303,500; 1 % of it = 3,035;
 *   burden after = 150,000 + 35 x 50 = 151,750; 1 % of it = 1,517.5:
 *   the 5 large ones (>= 20,000 before) pass, no small one (100 before, 50 after) does.
 *   The 35 others sum to 3,500 before, 1,750 after, 1,750 saved, 140 hours before and 105
 *   after: the PDF's row "35 other activities 3,500 1,750 1,750 140 105".
 * Register: "Shared survey 2023" is the source of 3 parameters of "molti" (one of them
 * inherited from the obligation): [1] once under the table; "Other study" is [2]; a parameter
 * without source is "none (illustrative)". */
static MoaReport *
activities_report (void)
{
  MoaReport *r = hand_report (TRUE);
  MoaReportProcedure *p = moa_report_procedure_new ();
  p->id = g_strdup ("molti");
  set_title (&p->title, "Molte attività", "Many activities");
  p->cases = 1000;
  set_figure (&p->totals.burden, 303500, 151750);
  set_figure (&p->totals.citizens_cost, 303500, 151750);
  set_figure (&p->totals.citizens_hours, 140, 105);
  g_ptr_array_add (p->obligations, item ("molti", "domanda", NULL, NULL, "Domanda", "Application",
                                         303500, 151750, 140, 105));
  /* the large ones at positions 3, 10, 17, 25 and 39, not in order of size */
  const double large[] = { 40000, 100000, 20000, 80000, 60000 };
  const char *large_name[] = { "Large D", "Large A", "Large E", "Large B", "Large C" };
  const guint large_at[] = { 3, 10, 17, 25, 39 };
  guint next_large = 0, next_small = 1;
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%02u", i);
      if (next_large < 5 && large_at[next_large] == i)
        {
          const char *name = large_name[next_large];
          double before = large[next_large++];
          g_ptr_array_add (p->activities, item ("molti", "domanda", id, NULL, name, name, before,
                                                before / 2, 0, 0));
        }
      else
        {
          g_autofree char *name = g_strdup_printf ("Small step %02u", next_small++);
          g_ptr_array_add (p->activities,
                           item ("molti", "domanda", id, NULL, name, name, 100, 50, 4, 3));
        }
    }
  g_ptr_array_add (r->procedures, p);

  struct
  {
    const char *element, *value, *source;
    MoaReportSourceFrom from;
  } rows[] = {
    { "domanda/a03", "12 min", "Shared survey 2023", MOA_REPORT_SOURCE_ELEMENT },
    { "domanda/a10", "15 min", "Other study", MOA_REPORT_SOURCE_ELEMENT },
    /* white space as the XML gives it: the same source once made single spaces */
    { "domanda/a17", "20 min", "Shared\n      survey 2023", MOA_REPORT_SOURCE_OBLIGATION },
    { "domanda/a25", "25 min", "Shared survey 2023", MOA_REPORT_SOURCE_ELEMENT },
    { "domanda/a39", "30 min", NULL, MOA_REPORT_SOURCE_NONE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      MoaReportAssumption *x = moa_report_assumption_new ();
      x->procedure_id = g_strdup ("molti");
      x->element = g_strdup (rows[i].element);
      x->parameter = g_strdup ("time");
      x->value = g_strdup (rows[i].value);
      x->source = g_strdup (rows[i].source);
      x->source_from = rows[i].from;
      g_ptr_array_add (r->assumptions, x);
    }
  return r;
}

/* Where @needle first occurs in @text, or -1. */
static gssize
position (const char *text, const char *needle)
{
  const char *p = strstr (text, needle);
  return p ? p - text : -1;
}

static void
test_pdf_short_tables (void **state)
{
  Fixture *f = *state;
  g_autoptr (MoaReport) r = activities_report ();
  g_autofree char *path = write_report (f, r, MOA_REPORT_PDF, "en", "short.pdf");
  g_autofree char *raw = pdf_text (path, "tables");
  if (raw == NULL)
    return;
  g_autofree char *text = moa_test_squeeze_spaces (raw);

  /* the procedure's activities table: from its heading to the note under it */
  gssize page = position (text, "Identifier: molti");
  assert_true (page >= 0);
  const char *table = strstr (text + page, "Activities Activity Obligation");
  assert_non_null (table);
  const char *end = strstr (table, "The table lists the 5 activities that make at least 1 %");
  assert_non_null (end);
  g_autofree char *rows = g_strndup (table, end - table);
  /* the 5 large ones, largest first, then the sum of the others */
  const char *expected_rows[] = {
    "Large A domanda 100,000 50,000 50,000 0 0", "Large B domanda 80,000 40,000 40,000 0 0",
    "Large C domanda 60,000 30,000 30,000 0 0",  "Large D domanda 40,000 20,000 20,000 0 0",
    "Large E domanda 20,000 10,000 10,000 0 0",  "35 other activities 3,500 1,750 1,750 140 105",
  };
  gssize last = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (expected_rows); i++)
    {
      gssize at = position (rows, expected_rows[i]);
      if (at < 0)
        fail_msg ("the PDF's activities table lacks \"%s\": %s", expected_rows[i], rows);
      assert_true (at > last);
      last = at;
    }
  assert_null (strstr (rows, "Small step"));
  assert_contains ("short.pdf", end,
                   "and the sum of the 35 others. The full table is in the "
                   "HTML and CSV reports.");
  /* the chart shows the same 5 */
  assert_contains ("short.pdf", text, "The chart shows the 5 largest of the 40 activities.");

  /* the HTML keeps every row, and no sum */
  g_autofree char *html = read_report (f, r, MOA_REPORT_HTML, "en", "short.html");
  for (guint i = 1; i <= 35; i++)
    {
      g_autofree char *cell = g_strdup_printf ("<td>Small step %02u</td>", i);
      assert_contains ("short.html", html, cell);
    }
  assert_null (strstr (html, "other activities"));
  assert_null (strstr (html, "The full table is in the HTML"));

  /* the register: the shared source once, numbered; where it was inherited */
  gssize reg = position (text, "Register of assumptions");
  assert_true (reg >= 0);
  const char *register_text = text + reg;
  assert_int_equal (count (register_text, "Shared survey 2023"), 1);
  assert_int_equal (count (text, "Shared survey 2023"), 1);
  assert_contains ("short.pdf", register_text, "[1] Shared survey 2023");
  assert_contains ("short.pdf", register_text, "[2] Other study");
  /* (pdftotext writes the no-break space of "[1] (obligation)" as a space) */
  assert_contains ("short.pdf", register_text, "domanda/a17 time 20 min [1] (obligation)");
  assert_contains ("short.pdf", register_text, "domanda/a25 time 25 min [1]");
  assert_contains ("short.pdf", register_text, "domanda/a39 time 30 min none (illustrative)");
  /* grouped by procedure, the cost model last */
  gssize group = position (register_text, "Many activities (molti)");
  gssize model = position (register_text, "Cost model it-moa 2024.1");
  assert_true (group >= 0);
  assert_true (model > group);
  assert_int_equal (count (html, "Shared survey 2023"), 1);

  /* the CSV keeps one full row per parameter */
  g_autofree char *csv = read_report (f, r, MOA_REPORT_CSV, "en", "short.csv");
  assert_int_equal (count (csv, "Shared survey 2023"), 2);
  assert_int_equal (count (csv, "\"Shared\n      survey 2023\""), 1);
}

/* The PDF's layout: no page holds only a section's heading and its intro (the "Procedures"
 * intro shares its page with the first procedure); the caveat on the programme's intervals. */
static void
test_pdf_layout (void **state)
{
  Fixture *f = *state;
  g_autoptr (MoaReport) r = hand_report (TRUE);
  g_autofree char *path = write_report (f, r, MOA_REPORT_PDF, "en", "layout.pdf");
  g_autofree char *raw = pdf_text (path, "layout");
  if (raw == NULL)
    return;
  g_auto (GStrv) pages = g_strsplit (raw, "\f", -1);
  gboolean found = FALSE;
  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_autofree char *page = moa_test_squeeze_spaces (pages[i]);
      if (strstr (page, "One page per procedure of the catalog") == NULL)
        continue;
      found = TRUE;
      assert_contains ("the Procedures page", page, "Registry certificate");
      assert_contains ("the Procedures page", page, "Burden on citizens and businesses");
    }
  assert_true (found);
  g_autofree char *text = moa_test_squeeze_spaces (raw);
  assert_contains ("layout.pdf", text,
                   "The programme's intervals treat the procedures as "
                   "independent");
  /* the units under the totals table, not in a column of their own */
  assert_contains ("layout.pdf", text,
                   "Money in EUR/year, 2024 prices; citizens' time in "
                   "hours/year.");
  assert_contains ("layout.pdf", text, "Citizens' time (hours/year)");
}

/* With MOA_TEST_REPORT_SAMPLE=PREFIX, writes the hand-built report to PREFIX.{pdf,html,csv}
 * (English) and PREFIX-it.* (Italian) to look at; otherwise does nothing. */
static void
test_sample (void **state)
{
  const char *prefix = g_getenv ("MOA_TEST_REPORT_SAMPLE");
  if (prefix == NULL || *prefix == '\0')
    return;
  g_autoptr (MoaReport) r = hand_report (TRUE);
  const char *ext[] = { "pdf", "html", "csv" };
  for (gsize i = 0; i < G_N_ELEMENTS (ext); i++)
    for (int it = 0; it < 2; it++)
      {
        MoaReportFormat format;
        assert_true (moa_report_format_from_string (ext[i], &format));
        g_autofree char *path = g_strdup_printf ("%s%s.%s", prefix, it ? "-it" : "", ext[i]);
        g_autoptr (GError) error = NULL;
        if (!moa_report_write (r, format, it ? "it" : "en", path, &error))
          fail_msg ("%s", error->message);
      }
}

int
main (void)
{
  /* the process's messages in English: --lang it switches this thread to Italian by itself */
  setlocale (LC_ALL, "C.UTF-8");
  g_autofree char *po = g_build_filename (MOA_BUILD_DIR, "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  const struct CMUnitTest tests[] = {
    cmocka_unit_test (test_numbers),
    cmocka_unit_test_setup_teardown (test_pdf, setup, teardown),
    cmocka_unit_test_setup_teardown (test_html, setup, teardown),
    cmocka_unit_test_setup_teardown (test_csv, setup, teardown),
    cmocka_unit_test_setup_teardown (test_unfinished, setup, teardown),
    cmocka_unit_test_setup_teardown (test_write_fails, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pdf_short_tables, setup, teardown),
    cmocka_unit_test_setup_teardown (test_pdf_layout, setup, teardown),
    cmocka_unit_test (test_sample),
  };
  return cmocka_run_group_tests (tests, NULL, NULL);
}
