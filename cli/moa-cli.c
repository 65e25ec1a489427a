/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The moa commands (validate, evaluate, simulate, sensitivity, compare, apply, models) as
 * functions that write to given streams. */
#define G_LOG_DOMAIN "moa-cli"

#include "moa-config.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "moa.h"
#include "moa-cases.h"
#include "moa-cli.h"
#include "moa-cli-private.h"
#include "moa-catalog.h"
#include "moa-compare.h"
#include "moa-random.h"
#include "moa-scenario.h"
#include "moa-sensitivity.h"
#include "moa-simulation.h"
#include "moa-xml.h"

/* ------------------------------------------------------------------------------------------ */
/* Output helpers                                                                     */

/* Writes @format and its arguments, then a newline, to @f. */
void
print_line (FILE *f, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *text = g_strdup_vprintf (format, args);
  va_end (args);
  fputs (text, f);
  fputc ('\n', f);
}

/* ------------------------------------------------------------------------------------------ */
/* Option parsing                                                                             */

/* Word-wraps the lines of @text longer than @width characters at spaces; indented lines
 * (examples, lists) are kept as written. Returns a new string. */
static char *
wrap_text (const char *text, int width)
{
  GString *out = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line; line++)
    {
      if (line != lines)
        g_string_append_c (out, '\n');
      if (**line == ' ' || g_utf8_strlen (*line, -1) <= width)
        {
          g_string_append (out, *line);
          continue;
        }
      g_auto (GStrv) words = g_strsplit (*line, " ", -1);
      glong column = 0;
      for (char **w = words; *w; w++)
        {
          glong len = g_utf8_strlen (*w, -1);
          if (column > 0 && column + 1 + len > width)
            {
              g_string_append_c (out, '\n');
              column = 0;
            }
          else if (column > 0)
            {
              g_string_append_c (out, ' ');
              column++;
            }
          g_string_append (out, *w);
          column += len;
        }
    }
  return g_string_free (out, FALSE);
}

/* fputs() of @text wrapped to HELP_WIDTH columns. */
void
put_wrapped (const char *text, FILE *out)
{
  g_autofree char *wrapped = wrap_text (text, HELP_WIDTH);
  fputs (wrapped, out);
}

void
parser_init (Parser *p, const char *command, const char *usage, const char *summary,
             const char *description, const GOptionEntry *entries)
{
  const GOptionEntry help_entry[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &p->help, N_ ("Show this help and exit"), NULL },
    { NULL },
  };
  p->command = command;
  p->usage = usage;
  p->summary = summary;
  p->help = FALSE;
  p->context = g_option_context_new (NULL);
  g_option_context_set_help_enabled (p->context, FALSE);
  g_option_context_set_translation_domain (p->context, GETTEXT_PACKAGE);
  if (entries)
    g_option_context_add_main_entries (p->context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (p->context, help_entry, GETTEXT_PACKAGE);
  g_autofree char *wrapped = wrap_text (description, HELP_WIDTH);
  g_option_context_set_description (p->context, wrapped);
}

void
parser_clear (Parser *p)
{
  g_clear_pointer (&p->context, g_option_context_free);
}

/* Writes "Usage: moa COMMAND USAGE", the summary, the options and the description. GLib's own
 * usage line names the process (a test program when the command runs in-process), so it is
 * replaced by ours. */
void
parser_print_help (Parser *p, FILE *out)
{
  g_autofree char *help = g_option_context_get_help (p->context, TRUE, NULL);
  const char *options = strstr (help, "\n\n");
  fprintf (out, "%s\n  moa %s %s\n\n", _ ("Usage:"), p->command, p->usage);
  put_wrapped (p->summary, out);
  fputs (options ? options : help, out);
}

/* Parses @argv (not modified). Returns -1 to go on with the remaining arguments in
 * @remaining (argv[0] included), or the exit status: 0 after --help, 2 after a usage error. */
int
parser_parse (Parser *p, int argc, char **argv, FILE *out, FILE *err, char ***remaining)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (p->context, &args, &error))
    {
      fprintf (err, "moa %s: %s\n", p->command, error->message);
      print_line (err, _ ("Run \"moa %s --help\" to see the options and examples."), p->command);
      return EXIT_USAGE;
    }
  if (p->help)
    {
      parser_print_help (p, out);
      return EXIT_OK;
    }
  /* GOption leaves the "--" that ends the options (moa validate -- -odd-name.xml) */
  for (char **a = args + (args[0] ? 1 : 0); *a; a++)
    if (strcmp (*a, "--") == 0)
      {
        g_free (*a);
        memmove (a, a + 1, sizeof (char *) * g_strv_length (a + 1) + sizeof (char *));
        break;
      }
  *remaining = g_steal_pointer (&args);
  return -1;
}

int
usage_error (FILE *err, const char *command, const char *message)
{
  fprintf (err, "moa %s: %s\n", command, message);
  print_line (err, _ ("Run \"moa %s --help\" to see the options and examples."), command);
  return EXIT_USAGE;
}

/* ------------------------------------------------------------------------------------------ */
/* Shared by the commands                                                                     */

/* Checks the --format and --lang options of @command. Returns -1 when both are acceptable
 * (setting @format when --format was given), else the usage error's exit status. */
int
check_format_and_lang (FILE *err, const char *command, const char *format_name, const char *lang,
                       MoaFormat *format)
{
  if (format_name && !moa_format_from_string (format_name, format))
    {
      g_autofree char *message
          = g_strdup_printf (_ ("unknown format \"%s\"; expected table, csv or json"), format_name);
      return usage_error (err, command, message);
    }
  if (lang && strcmp (lang, "it") != 0 && strcmp (lang, "en") != 0)
    {
      g_autofree char *message
          = g_strdup_printf (_ ("unknown language \"%s\"; expected it or en"), lang);
      return usage_error (err, command, message);
    }
  return -1;
}

/* Prints each problem's message as it is, one per line; when a failure left no problem, the
 * error's message instead. */
void
print_problems (FILE *err, GPtrArray *problems, const GError *error)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const MoaProblem *problem = g_ptr_array_index (problems, i);
      fprintf (err, "%s\n", problem->message);
    }
  if (problems->len == 0 && error != NULL)
    fprintf (err, "%s\n", error->message);
}

/* Loads the cost models of @dir (NULL: moa_default_models_dir()). Problems in the models are
 * printed and clear *@ok; the models that did load are kept. @dir_used receives the
 * directory. Returns the set (never NULL). */
MoaModelSet *
load_models (const char *dir, FILE *err, gboolean *ok, char **dir_used)
{
  g_autofree char *path = dir ? g_strdup (dir) : moa_default_models_dir ();
  g_autoptr (MoaModelSet) set = moa_model_set_new ();
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;

  if (!moa_model_set_load_dir (set, path, problems, &error))
    {
      print_problems (err, problems, error);
      *ok = FALSE;
    }
  if (dir_used)
    *dir_used = g_steal_pointer (&path);
  return g_steal_pointer (&set);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Expands the arguments: a directory stands for its *.xml files in name order. A directory
 * that cannot be read or holds no *.xml is reported on @err and clears *@ok. Returns a new
 * array of paths. */
static GPtrArray *
expand_inputs (char **args, FILE *err, gboolean *ok)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  for (char **a = args; *a; a++)
    {
      if (!g_file_test (*a, G_FILE_TEST_IS_DIR))
        {
          g_ptr_array_add (paths, g_strdup (*a));
          continue;
        }

      g_autoptr (GError) error = NULL;
      g_autoptr (GDir) dir = g_dir_open (*a, 0, &error);
      if (dir == NULL)
        {
          fprintf (err, "%s\n", error->message);
          *ok = FALSE;
          continue;
        }
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".xml"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_strings);
      if (names->len == 0)
        {
          print_line (err, _ ("%s: directory holds no .xml procedure file"), *a);
          *ok = FALSE;
        }
      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (paths, g_build_filename (*a, g_ptr_array_index (names, i), NULL));
    }
  return paths;
}

/* Finds the cost model of @procedure (@model_id, when not NULL, overrides the procedure's) in
 * @set and plans it: every check of moa_plan_new(). Problems are appended to @problems (the
 * file named in them is @path). Returns the plan, or NULL. */
static MoaPlan *
plan_procedure (MoaProcedure *procedure, const char *path, const MoaModelSet *set,
                const char *models_dir, const char *model_id, GPtrArray *problems, GError **error)
{
  const char *id = model_id ? model_id : procedure->cost_model;
  MoaCostModel *model = id ? moa_model_set_lookup (set, id) : NULL;
  if (model == NULL)
    {
      g_autofree char *label = g_strdup_printf (_ ("procedure \"%s\""), procedure->id);
      g_autofree char *available = moa_model_set_get_ids (set);
      MoaProblem *problem
          = moa_problems_add (problems, MOA_VALIDATION_ERROR,
                              MOA_VALIDATION_ERROR_UNKNOWN_COST_MODEL, path, procedure->line, label,
                              _ ("cost model \"%s\" is not among the models in %s; available: %s"),
                              id ? id : "", models_dir, available);
      g_free (problem->element);
      problem->element = g_strdup (procedure->id);
      return NULL;
    }
  return moa_plan_new (procedure, model, problems, error);
}

/* Loads @path, finds its cost model (@model_id, when not NULL, overrides the procedure's) in
 * @set and plans it: every check of the format and of moa_plan_new(). Prints every problem on
 * @err. Returns the plan, or NULL when there was any problem. */
static MoaPlan *
check_file (const char *path, const MoaModelSet *set, const char *models_dir, const char *model_id,
            FILE *err)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaPlan) plan = NULL;

  g_autoptr (MoaProcedure) procedure = moa_procedure_load_file (path, problems, &error);
  if (procedure != NULL)
    plan = plan_procedure (procedure, path, set, models_dir, model_id, problems, &error);

  if (problems->len > 0 || plan == NULL)
    {
      print_problems (err, problems, error);
      return NULL;
    }
  return g_steal_pointer (&plan);
}

/* Writes @text to @path atomically (a temporary file renamed over it), or to @out when @path
 * is NULL or "-". Returns FALSE after printing why on @err. */
gboolean
write_output (const GString *text, const char *path, FILE *out, FILE *err)
{
  if (path == NULL || strcmp (path, "-") == 0)
    {
      fwrite (text->str, 1, text->len, out);
      fflush (out);
      return TRUE;
    }
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (path, text->str, (gssize)text->len, &error))
    {
      fprintf (err, "%s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Loads the cost models (@models_dir, NULL: the shipped ones), checks that @model_id (when
 * given) is among them, then loads and plans every file of @files (directories expanded).
 * Every problem is printed on @err. Returns -1 with the plans in *@plans when all succeeded,
 * else the exit status: 1 for a problem in a file, 2 for an unknown --model. */
static int
load_plans (const char *command, char **files, const char *models_dir, const char *model_id,
            FILE *err, GPtrArray **plans)
{
  gboolean ok = TRUE;
  g_autofree char *dir_used = NULL;
  g_autoptr (MoaModelSet) set = load_models (models_dir, err, &ok, &dir_used);
  if (model_id && moa_model_set_lookup (set, model_id) == NULL)
    {
      g_autofree char *available = moa_model_set_get_ids (set);
      g_autofree char *message
          = g_strdup_printf (_ ("--model: cost model \"%s\" is not among the models in %s; "
                                "available: %s"),
                             model_id, dir_used, available);
      return usage_error (err, command, message);
    }
  g_autoptr (GPtrArray) paths = expand_inputs (files, err, &ok);
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_plan_free);
  for (guint i = 0; i < paths->len; i++)
    {
      MoaPlan *plan = check_file (g_ptr_array_index (paths, i), set, dir_used, model_id, err);
      if (plan == NULL)
        ok = FALSE;
      else
        g_ptr_array_add (result, plan);
    }
  if (!ok)
    return EXIT_INVALID;
  *plans = g_steal_pointer (&result);
  return -1;
}

/* Prints an engine error about the procedure of @plan, prefixed with its file unless the
 * message already names it. */
static void
print_engine_error (FILE *err, const MoaPlan *plan, const GError *error)
{
  const char *path = moa_plan_get_procedure ((MoaPlan *)plan)->file;
  if (path == NULL || g_str_has_prefix (error->message, path))
    fprintf (err, "%s\n", error->message);
  else
    fprintf (err, "%s: %s\n", path, error->message);
}

typedef enum
{
  INPUT_SCENARIO,
  INPUT_PROCEDURE,
} InputKind;

/* Reads the root element of @path: <scenario> or <procedure>. Prints the problem on @err and
 * returns FALSE when the file cannot be read or is neither. */
static gboolean
input_kind (const char *path, FILE *err, InputKind *kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaXmlNode) root = moa_xml_parse_file (path, &error);
  if (root == NULL)
    {
      fprintf (err, "%s\n", error->message);
      return FALSE;
    }
  if (strcmp (root->name, "scenario") == 0)
    *kind = INPUT_SCENARIO;
  else if (strcmp (root->name, "procedure") == 0)
    *kind = INPUT_PROCEDURE;
  else
    {
      /* TRANSLATORS: file, line, then the name of the root element found */
      print_line (err,
                  _ ("%s:%d: root element <%s>: expected <procedure> (a procedure, "
                     "docs/procedure-format.md) or <scenario> (a scenario, "
                     "docs/scenario-format.md)"),
                  path, root->line, root->name);
      return FALSE;
    }
  return TRUE;
}

/* The name of the root element of @path (newly allocated), or NULL when it does not read as XML:
 * such a file is left to the procedure loader, whose messages say what is wrong. */
static char *
root_name (const char *path)
{
  g_autoptr (MoaXmlNode) root = moa_xml_parse_file (path, NULL);
  return root != NULL ? g_strdup (root->name) : NULL;
}

/* Checks the catalog file @path as moa batch reads it: its format, its territories' CSV files,
 * and that every procedure and scenario file it names exists (moa batch checks each procedure
 * itself when it computes it). Prints every problem on @err. Returns TRUE when it is valid. */
static gboolean
check_catalog (const char *path, FILE *err)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaCatalog) catalog = moa_catalog_load_file (path, problems, &error);
  if (catalog != NULL && problems->len == 0)
    return TRUE;
  print_problems (err, problems, error);
  return FALSE;
}

/* Checks the scenario file @path as moa compare would use it: the scenario and its baseline
 * chain load, every measure applies, and the resulting procedure passes every check of its
 * cost model. Prints every problem on @err. Returns TRUE when it is valid. */
static gboolean
check_scenario (const char *path, const MoaModelSet *set, const char *models_dir, FILE *err)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (path, problems, &error);
  g_autoptr (MoaProcedure) after = NULL;
  g_autoptr (MoaPlan) plan = NULL;

  if (scenario != NULL && problems->len == 0)
    after = moa_scenario_apply (scenario, G_MAXUINT, -1, &error);
  if (after != NULL)
    plan = plan_procedure (after, after->file, set, models_dir, NULL, problems, &error);
  if (plan == NULL || problems->len > 0)
    {
      print_problems (err, problems, error);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* moa validate                                                                               */

/* moa_cli_validate:
 * "moa validate [--models-dir DIR] FILE…": checks each procedure file fully (format, units,
 * references to its cost model, workflow soundness) and prints one line per problem on @err
 * and "FILE: valid" on @out for each valid file. Returns 0 when all are valid, 1 otherwise,
 * 2 on a usage error. */
int
moa_cli_validate (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *models_dir = NULL;
  const GOptionEntry entries[] = {
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("Look for cost models in DIR instead of the shipped ones"), N_ ("DIR") },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s",
      _ ("Each FILE is a procedure (docs/procedure-format.md) or a scenario "
         "(docs/scenario-format.md); a directory stands for every *.xml "
         "file in it, in name order. moa reads each file and checks its format, units and ranges, "
         "then checks it against the cost model it names: standard activities, tariffs and "
         "obligation types must exist, performers must be target groups, and every workflow must "
         "be sound (each node reachable from the start and able to reach an end, the "
         "probabilities of each exclusive gateway summing to 1, no loop that never exits)."),
      _ ("A FILE may also be a catalog (docs/catalog-format.md): its format and its "
         "territories' CSV files are checked, and every procedure and scenario file it names "
         "must exist; moa batch checks each procedure when it computes it."),
      _ ("Every problem is printed on standard error, one per line, as\n"
         "  FILE:LINE: ELEMENT: what is wrong and what is expected\n"
         "and each valid file as \"FILE: valid\" on standard output."),
      _ ("Examples:\n"
         "  moa validate procedures/cila-edilizia.xml\n"
         "  moa validate procedures/ procedures/scenarios/\n"
         "  moa validate catalogs/lombardia/catalogo.xml\n"
         "  moa validate --models-dir ./my-models draft.xml"),
      _ ("Exit status:\n"
         "  0  every file is valid\n"
         "  1  at least one file has a problem\n"
         "  2  usage error (no file, unknown option)"),
      _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "validate", _ ("[OPTION…] FILE…"),
               _ ("Check procedure files against their cost model, without computing anything."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;
  if (g_strv_length (args) < 2)
    return usage_error (err, "validate", _ ("no procedure file given"));

  gboolean ok = TRUE;
  g_autofree char *dir_used = NULL;
  g_autoptr (MoaModelSet) set = load_models (models_dir, err, &ok, &dir_used);
  g_autoptr (GPtrArray) paths = expand_inputs (args + 1, err, &ok);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *root = root_name (path);
      if (g_strcmp0 (root, "catalog") == 0)
        {
          if (!check_catalog (path, err))
            {
              ok = FALSE;
              continue;
            }
        }
      else if (g_strcmp0 (root, "scenario") == 0)
        {
          if (!check_scenario (path, set, dir_used, err))
            {
              ok = FALSE;
              continue;
            }
        }
      else
        {
          g_autoptr (MoaPlan) plan = check_file (path, set, dir_used, NULL, err);
          if (plan == NULL)
            {
              ok = FALSE;
              continue;
            }
        }
      /* TRANSLATORS: %s is a file name; the file has no problem */
      print_line (out, _ ("%s: valid"), path);
    }
  fflush (out);
  return ok ? EXIT_OK : EXIT_INVALID;
}

/* ------------------------------------------------------------------------------------------ */
/* moa evaluate                                                                               */

/* moa_cli_evaluate:
 * "moa evaluate [OPTION…] FILE…": checks and evaluates each procedure at the expected values
 * and writes all results as one table, CSV or JSON document to @out or to the --output file
 * (written atomically, and only when every file was evaluated). Problems go to @err as in
 * moa_cli_validate(). Returns 0, 1 when a file has a problem or the output cannot be written,
 * 2 on a usage error. */
int
moa_cli_evaluate (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *format_name = NULL, *model_id = NULL, *models_dir = NULL, *lang = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_ ("Output format: table (default), csv or json"), N_ ("FORMAT") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_id,
      N_ ("Evaluate with cost model ID instead of the one each procedure names"), N_ ("ID") },
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("Look for cost models in DIR instead of the shipped ones"), N_ ("DIR") },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang,
      N_ ("Language of titles and table labels: it or en (default: that of the messages)"),
      N_ ("LANG") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the results to FILE (replaced only when everything succeeded)"), N_ ("FILE") },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s",
      _ ("Each FILE is a procedure (docs/procedure-format.md); a directory stands for every *.xml "
         "file in it, in name order. Each procedure is first checked as by \"moa validate\", then "
         "evaluated at the expected value of every parameter: cases per year, executions of each "
         "activity per case, hours, cost and burden (cost less business as usual) per case and "
         "per year, for citizens, businesses and the administration apart, and one-off costs "
         "apart from yearly ones."),
      _ ("Formats:\n"
         "  table  for people: totals, obligations, target groups and activities, with the\n"
         "         number format of the locale (LC_NUMERIC) and money rounded to the cent\n"
         "  csv    for spreadsheets: one header and one row per figure, full precision, '.'\n"
         "  json   for programs: one document for all the procedures, full precision\n"
         "The CSV and JSON layouts are described field by field in docs/json-output.md."),
      _ ("Examples:\n"
         "  moa evaluate procedures/cila-edilizia.xml\n"
         "  moa evaluate --format csv -o burden.csv procedures/\n"
         "  moa evaluate --format json --lang en procedures/cila-edilizia.xml\n"
         "  moa evaluate --model de-erfuellungsaufwand procedures/certificato-anagrafico.xml"),
      _ ("Exit status:\n"
         "  0  every procedure was evaluated and the results written\n"
         "  1  a file has a problem (nothing is written), or the output cannot be written\n"
         "  2  usage error (no file, unknown option or value, unknown --model)"),
      _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "evaluate", _ ("[OPTION…] FILE…"),
               _ ("Compute the administrative burden of procedures with the Standard Cost "
                  "Model."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  MoaFormat format = MOA_FORMAT_TABLE;
  status = check_format_and_lang (err, "evaluate", format_name, lang, &format);
  if (status >= 0)
    return status;
  if (g_strv_length (args) < 2)
    return usage_error (err, "evaluate", _ ("no procedure file given"));

  gboolean ok = TRUE;
  g_autofree char *dir_used = NULL;
  g_autoptr (MoaModelSet) set = load_models (models_dir, err, &ok, &dir_used);
  if (model_id && moa_model_set_lookup (set, model_id) == NULL)
    {
      g_autofree char *available = moa_model_set_get_ids (set);
      g_autofree char *message
          = g_strdup_printf (_ ("--model: cost model \"%s\" is not among the models in %s; "
                                "available: %s"),
                             model_id, dir_used, available);
      return usage_error (err, "evaluate", message);
    }
  g_autoptr (GPtrArray) paths = expand_inputs (args + 1, err, &ok);

  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_result_unref);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr (MoaPlan) plan = check_file (path, set, dir_used, model_id, err);
      if (plan == NULL)
        {
          ok = FALSE;
          continue;
        }
      g_autoptr (GError) error = NULL;
      MoaResult *result = moa_plan_evaluate (plan, NULL, &error);
      if (result == NULL)
        {
          /* engine errors do not know the file */
          if (g_str_has_prefix (error->message, path))
            fprintf (err, "%s\n", error->message);
          else
            fprintf (err, "%s: %s\n", path, error->message);
          ok = FALSE;
          continue;
        }
      g_ptr_array_add (results, result);
    }
  if (!ok)
    return EXIT_INVALID;

  MoaFormatOptions options = { .lang = lang, .localized_numbers = TRUE };
  g_autoptr (GString) text = g_string_new (NULL);
  moa_format_results (text, (MoaResult *const *)results->pdata, results->len, format, &options);
  return write_output (text, output, out, err) ? EXIT_OK : EXIT_INVALID;
}

/* ------------------------------------------------------------------------------------------ */
/* moa models                                                                                 */

/* moa_cli_models:
 * "moa models [--format table|csv|json] [--models-dir DIR] [--lang it|en]": lists the cost
 * models on @out. Returns 0, 1 when a model file has a problem (the others are listed), 2 on a
 * usage error. */
int
moa_cli_models (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *format_name = NULL, *models_dir = NULL, *lang = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_ ("Output format: table (default), csv or json"), N_ ("FORMAT") },
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("List the cost models of DIR instead of the shipped ones"), N_ ("DIR") },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang,
      N_ ("Language of titles and table labels: it or en (default: that of the messages)"),
      N_ ("LANG") },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s",
      _ ("A cost model is a named, versioned set of parameters with their sources: standard "
         "activities with times by complexity, tariffs, the overhead rate and the rule for "
         "citizens' time (docs/cost-model-format.md). A procedure names the model it is "
         "measured with; \"moa evaluate --model ID\" evaluates it with another one. The list "
         "shows, for each model: id, version, price year, currency, overhead, citizens' time "
         "(hourly rate, or not monetised), number of standard activities and of tariffs, title."),
      _ ("Examples:\n"
         "  moa models\n"
         "  moa models --format json\n"
         "  moa models --models-dir ./my-models"),
      _ ("Exit status:\n"
         "  0  the models were listed\n"
         "  1  a model file has a problem (printed on standard error; the others are listed)\n"
         "  2  usage error"),
      _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "models", _ ("[OPTION…]"), _ ("List the available cost models."), description,
               entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  MoaFormat format = MOA_FORMAT_TABLE;
  status = check_format_and_lang (err, "models", format_name, lang, &format);
  if (status >= 0)
    return status;
  if (g_strv_length (args) > 1)
    {
      g_autofree char *message = g_strdup_printf (_ ("unexpected argument \"%s\""), args[1]);
      return usage_error (err, "models", message);
    }

  gboolean ok = TRUE;
  g_autoptr (MoaModelSet) set = load_models (models_dir, err, &ok, NULL);
  GPtrArray *models = moa_model_set_get_models (set);
  g_autoptr (GPtrArray) empty = g_ptr_array_new ();

  MoaFormatOptions options = { .lang = lang, .localized_numbers = TRUE };
  g_autoptr (GString) text = g_string_new (NULL);
  moa_format_models (text, models ? models : empty, format, &options);
  write_output (text, NULL, out, err);
  return ok ? EXIT_OK : EXIT_INVALID;
}

/* ------------------------------------------------------------------------------------------ */
/* Long runs: Ctrl-C and the progress bar                                                     */

/* Set by the SIGINT handler; read by the progress thread, which cancels the run. */
volatile sig_atomic_t interrupted = 0;

static void
on_sigint (int signum)
{
  interrupted = 1;
}

void
sigint_install (SigintGuard *guard)
{
  struct sigaction action;
  memset (&action, 0, sizeof action);
  action.sa_handler = on_sigint;
  sigemptyset (&action.sa_mask);
  interrupted = 0;
  guard->installed = sigaction (SIGINT, &action, &guard->previous) == 0;
}

void
sigint_restore (SigintGuard *guard)
{
  if (guard->installed)
    sigaction (SIGINT, &guard->previous, NULL);
  guard->installed = FALSE;
}

#define PROGRESS_BAR_WIDTH 24
#define PROGRESS_LABEL_WIDTH 32
#define PROGRESS_DELAY_US 300000 /* no bar for runs shorter than this */

/* "45 s", "3 min 05 s", "1 h 02 min". Returns a new string. */
char *
duration_text (double seconds)
{
  long s = lround (seconds);
  if (s < 60)
    return g_strdup_printf ("%ld s", s);
  if (s < 3600)
    return g_strdup_printf ("%ld min %02ld s", s / 60, s % 60);
  return g_strdup_printf ("%ld h %02ld min", s / 3600, (s % 3600) / 60);
}

/* Draws the line (with p->lock held). */
static void
progress_draw (Progress *p)
{
  guint done = (guint)g_atomic_int_get (&p->done);
  guint total = (guint)g_atomic_int_get (&p->total);
  double elapsed = (double)(g_get_monotonic_time () - p->start) / G_USEC_PER_SEC;
  if (p->label == NULL || total == 0 || elapsed * G_USEC_PER_SEC < PROGRESS_DELAY_US)
    return;

  double fraction = MIN (1.0, (double)done / total);
  char bar[PROGRESS_BAR_WIDTH + 1];
  int filled = (int)(fraction * PROGRESS_BAR_WIDTH);
  for (int i = 0; i < PROGRESS_BAR_WIDTH; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[PROGRESS_BAR_WIDTH] = '\0';
  g_autofree char *left
      = done > 0 ? duration_text (done >= total ? 0 : elapsed * (double)(total - done) / done)
                 : g_strdup ("?");
  /* TRANSLATORS: in the progress line: the estimated time left, e.g. "ETA 1 min 05 s" */
  g_autofree char *eta = g_strdup_printf (_ ("ETA %s"), left);
  fprintf (p->err, "\r%s [%s] %3d %%  %s  (%s)\033[K", p->label, bar, (int)(100 * fraction), eta,
           p->threads_text);
  fflush (p->err);
  p->shown = TRUE;
}

/* Erases the line (with p->lock held). */
static void
progress_erase (Progress *p)
{
  if (!p->shown)
    return;
  fputs ("\r\033[K", p->err);
  fflush (p->err);
  p->shown = FALSE;
}

static gpointer
progress_thread (gpointer data)
{
  Progress *p = data;
  g_mutex_lock (&p->lock);
  while (!p->stop)
    {
      gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 10;
      while (!p->stop && g_cond_wait_until (&p->cond, &p->lock, until))
        ;
      if (interrupted)
        g_cancellable_cancel (p->cancellable);
      if (!p->stop && p->draw)
        progress_draw (p);
    }
  progress_erase (p);
  g_mutex_unlock (&p->lock);
  return NULL;
}

/* MoaProgressFunc: only stores the counts; the thread draws them. */
void
on_progress (guint done, guint total, gpointer data)
{
  Progress *p = data;
  g_atomic_int_set (&p->done, (gint)MIN (done, (guint)G_MAXINT));
  g_atomic_int_set (&p->total, (gint)MIN (total, (guint)G_MAXINT));
}

void
progress_start (Progress *p, FILE *err, gboolean quiet, guint threads, GCancellable *cancellable)
{
  memset (p, 0, sizeof *p);
  p->err = err;
  p->draw = !quiet && isatty (fileno (err));
  guint n = threads > 0 ? threads : g_get_num_processors ();
  p->threads_text
      = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thread", "%u threads", n), n);
  p->cancellable = cancellable;
  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  p->thread = g_thread_new ("moa-progress", progress_thread, p);
}

/* Starts the bar of a new procedure, labelled @label. */
void
progress_begin (Progress *p, const char *label)
{
  g_mutex_lock (&p->lock);
  progress_erase (p);
  g_free (p->label);
  if (g_utf8_strlen (label, -1) > PROGRESS_LABEL_WIDTH)
    {
      g_autofree char *cut = g_utf8_substring (label, 0, PROGRESS_LABEL_WIDTH - 1);
      p->label = g_strconcat (cut, "…", NULL);
    }
  else
    p->label = g_strdup (label);
  p->start = g_get_monotonic_time ();
  g_atomic_int_set (&p->done, 0);
  g_atomic_int_set (&p->total, 0);
  g_mutex_unlock (&p->lock);
}

/* Erases the bar, e.g. before a message is printed. */
void
progress_pause (Progress *p)
{
  g_mutex_lock (&p->lock);
  progress_erase (p);
  g_clear_pointer (&p->label, g_free);
  g_mutex_unlock (&p->lock);
}

void
progress_finish (Progress *p)
{
  g_mutex_lock (&p->lock);
  p->stop = TRUE;
  g_cond_signal (&p->cond);
  g_mutex_unlock (&p->lock);
  g_thread_join (p->thread);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
  g_free (p->label);
  g_free (p->threads_text);
}

/* The label of the bar: the procedure id, with its rank when there are several. */
static char *
progress_label (const MoaPlan *plan, guint index, guint n)
{
  const char *id = moa_plan_get_procedure ((MoaPlan *)plan)->id;
  return n > 1 ? g_strdup_printf ("[%u/%u] %s", index + 1, n, id) : g_strdup (id);
}

int
report_interrupted (FILE *err, const char *command)
{
  fprintf (err, "moa %s: %s\n", command, _ ("interrupted; nothing was written"));
  return EXIT_INTERRUPTED;
}

/* ------------------------------------------------------------------------------------------ */
/* Option values                                                                              */

/* Parses a whole number from @min to @max into *@value; else prints a usage error naming
 * @option and @expected and returns FALSE. */
gboolean
parse_whole (FILE *err, const char *command, const char *option, const char *text, guint64 min,
             guint64 max, const char *expected, guint64 *value)
{
  if (g_ascii_string_to_unsigned (text, 10, min, max, value, NULL))
    return TRUE;
  /* TRANSLATORS: an option, its value, then what is expected, e.g. "--threads: "x" is not
   * valid: expected a whole number from 0 to 1024" */
  g_autofree char *message
      = g_strdup_printf (_ ("%s: \"%s\" is not valid: expected %s"), option, text, expected);
  usage_error (err, command, message);
  return FALSE;
}

/* Parses a fixed value of @dim (moa_value_parse()) into *@value, in the base unit. */
gboolean
parse_fixed_value (FILE *err, const char *command, const char *option, const char *text,
                   MoaDimension dim, const char *expected, double *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaValue) v = moa_value_parse (text, dim, &error);
  g_autofree char *message = NULL;
  if (v == NULL)
    message = g_strdup_printf (_ ("%s: %s; expected %s"), option, error->message, expected);
  else if (moa_value_is_uncertain (v))
    message
        = g_strdup_printf (_ ("%s: \"%s\" is a distribution; expected %s"), option, text, expected);
  else
    {
      *value = v->mean;
      return TRUE;
    }
  usage_error (err, command, message);
  return FALSE;
}

#define MAX_ITERATIONS 100000000 /* the samples are kept in memory */
#define MAX_THREADS 1024

/* ------------------------------------------------------------------------------------------ */
/* moa simulate                                                                               */

/* moa_cli_simulate:
 * "moa simulate [OPTION…] FILE…": checks and plans each procedure as moa_cli_evaluate() does,
 * then runs a two-level Monte Carlo simulation of each (moa_simulate()) or, with --per-case,
 * simulates individual cases (moa_simulate_cases()), and writes all results as one table, CSV
 * or JSON document to @out or the --output file. Shows a progress bar on @err when it is a
 * terminal; SIGINT stops the run. Returns 0, 1 when a file has a problem, a simulation fails or
 * the output cannot be written, 2 on a usage error, 130 when interrupted (nothing written). */
int
moa_cli_simulate (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *iterations_text = NULL, *precision_text = NULL, *seed_text = NULL;
  g_autofree char *threads_text = NULL, *cases_text = NULL, *threshold_text = NULL;
  g_autofree char *format_name = NULL, *model_id = NULL, *models_dir = NULL, *lang = NULL;
  g_autofree char *output = NULL;
  gboolean per_case = FALSE, quiet = FALSE;
  const GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_STRING, &iterations_text,
      N_ ("Iterations (default 10000); with --precision, the maximum"), N_ ("N") },
    { "precision", 'p', 0, G_OPTION_ARG_STRING, &precision_text,
      N_ ("Stop when the interval of the mean total burden is within ±P of it, e.g. 0.01"),
      N_ ("P") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
      N_ ("Seed of the random numbers (default 1): the same seed, the same output"), N_ ("S") },
    { "threads", 't', 0, G_OPTION_ARG_STRING, &threads_text,
      N_ ("Threads to run on (default 0: all cores); does not change the results"), N_ ("T") },
    { "per-case", 0, 0, G_OPTION_ARG_NONE, &per_case,
      N_ ("Simulate individual cases: the distribution of one applicant's burden"), NULL },
    { "cases", 0, 0, G_OPTION_ARG_STRING, &cases_text,
      N_ ("With --per-case: cases per obligation and segment (default 10000)"), N_ ("N") },
    { "threshold", 0, 0, G_OPTION_ARG_STRING, &threshold_text,
      N_ ("With --per-case: report the share of cases above this time (default \"6 h\")"),
      N_ ("TIME") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_ ("Output format: table (default), csv or json"), N_ ("FORMAT") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_id,
      N_ ("Evaluate with cost model ID instead of the one each procedure names"), N_ ("ID") },
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("Look for cost models in DIR instead of the shipped ones"), N_ ("DIR") },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang,
      N_ ("Language of titles and table labels: it or en (default: that of the messages)"),
      N_ ("LANG") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the results to FILE (replaced only when everything succeeded)"), N_ ("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_ ("Do not show the progress bar"), NULL },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n%s",
      _ ("Each FILE is a procedure (docs/procedure-format.md); a directory stands for every *.xml "
         "file in it, in name order. Each procedure is checked as by \"moa validate\", then "
         "simulated. Its figures come from interviews and estimates, written as distributions "
         "such as \"triangular(20, 30, 60) min\". Each iteration draws every uncertain parameter "
         "from its distribution and computes the exact expected burden with those values "
         "(two-level Monte Carlo). For the procedure, citizens, businesses, the administration, "
         "each obligation, target group, segment and activity, and for the burden, cost and "
         "hours per year (and the one-off burden, if any), moa reports the point estimate (every "
         "parameter at its expected value, as \"moa evaluate\" gives it), the mean, the standard "
         "deviation, the percentiles P5, P50 and P95, and the confidence interval of the mean."),
      _ ("How to read it: P5-P95 is where the burden lies given what is known of its inputs, "
         "and is what to publish beside the point estimate. The confidence interval of the mean "
         "measures only the Monte Carlo error and narrows with more iterations. --precision "
         "0.01 runs until that interval is within 1 percent of the mean total burden (checked "
         "every 100 iterations), with --iterations as the maximum; the output says how many "
         "iterations it took and whether the target was met."),
      _ ("--per-case simulates individual applicants instead: each case follows one path "
         "through the workflow (branches drawn with their probabilities, loops repeated) with "
         "times and amounts drawn at each execution. It gives, per obligation and segment, the "
         "distribution of one applicant's hours, cost and burden, and the share of cases above "
         "--threshold."),
      _ ("The same seed gives the same output byte for byte, whatever --threads: every draw is "
         "keyed by seed, iteration and parameter. The seed, the generator and the number of "
         "iterations are part of every output. On a terminal a progress bar with the time left "
         "is shown on standard error; Ctrl-C stops the run and writes nothing."),
      _ ("Formats: table (for people, rounded, with the number format of the locale), csv (one "
         "row per procedure, entity and quantity) and json; full precision in csv and json, "
         "described in docs/json-output.md."),
      _ ("Examples:\n"
         "  moa simulate procedures/cila-edilizia.xml\n"
         "  moa simulate --precision 0.01 --iterations 100000 procedures/cila-edilizia.xml\n"
         "  moa simulate --seed 42 --format csv -o simulation.csv procedures/\n"
         "  moa simulate --per-case --threshold \"6 h\" procedures/permesso-di-costruire.xml"),
      _ ("Exit status:\n"
         "  0    every procedure was simulated and the results written\n"
         "  1    a file has a problem or a simulation failed (nothing is written), or the\n"
         "       output cannot be written\n"
         "  2    usage error (no file, unknown option, value out of range, unknown --model)\n"
         "  130  interrupted with Ctrl-C (nothing is written)"),
      _ ("How to read and reproduce a simulation: docs/simulation.md."), _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "simulate", _ ("[OPTION…] FILE…"),
               _ ("Simulate the uncertainty of the burden of procedures (Monte Carlo)."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  MoaFormat format = MOA_FORMAT_TABLE;
  status = check_format_and_lang (err, "simulate", format_name, lang, &format);
  if (status >= 0)
    return status;

  MoaSimulationOptions options;
  moa_simulation_options_init (&options);
  guint64 value;
  if (iterations_text)
    {
      g_autofree char *expected
          = g_strdup_printf (_ ("a whole number from 2 to %d"), MAX_ITERATIONS);
      if (!parse_whole (err, "simulate", "--iterations", iterations_text, 2, MAX_ITERATIONS,
                        expected, &value))
        return EXIT_USAGE;
      options.iterations = (guint)value;
    }
  if (precision_text)
    {
      const char *expected = _ ("a share between 0 and 1, e.g. 0.01 or \"1 %\"");
      double precision = 0;
      if (!parse_fixed_value (err, "simulate", "--precision", precision_text, MOA_DIM_FRACTION,
                              expected, &precision))
        return EXIT_USAGE;
      if (!(precision > 0 && precision < 1))
        {
          g_autofree char *message = g_strdup_printf (_ ("%s: \"%s\" is not valid: expected %s"),
                                                      "--precision", precision_text, expected);
          return usage_error (err, "simulate", message);
        }
      options.precision = precision;
    }
  if (seed_text
      && !parse_whole (err, "simulate", "--seed", seed_text, 0, G_MAXUINT64,
                       _ ("a whole number from 0 to 18446744073709551615"), &options.seed))
    return EXIT_USAGE;
  if (threads_text)
    {
      g_autofree char *expected
          = g_strdup_printf (_ ("a whole number from 0 (all cores) to %d"), MAX_THREADS);
      if (!parse_whole (err, "simulate", "--threads", threads_text, 0, MAX_THREADS, expected,
                        &value))
        return EXIT_USAGE;
      options.threads = (guint)value;
    }
  guint n_cases = 10000;
  double threshold = 6.0;
  if (!per_case && (cases_text || threshold_text))
    return usage_error (err, "simulate",
                        cases_text ? _ ("--cases needs --per-case")
                                   : _ ("--threshold needs --per-case"));
  if (per_case && (iterations_text || precision_text))
    return usage_error (err, "simulate",
                        _ ("--iterations and --precision apply to the two-level simulation; "
                           "with --per-case, give the number of cases with --cases"));
  if (cases_text)
    {
      g_autofree char *expected
          = g_strdup_printf (_ ("a whole number from 2 to %d"), MAX_ITERATIONS);
      if (!parse_whole (err, "simulate", "--cases", cases_text, 2, MAX_ITERATIONS, expected,
                        &value))
        return EXIT_USAGE;
      n_cases = (guint)value;
    }
  if (threshold_text
      && !parse_fixed_value (err, "simulate", "--threshold", threshold_text, MOA_DIM_TIME,
                             _ ("a time such as \"6 h\" or \"90 min\""), &threshold))
    return EXIT_USAGE;
  if (g_strv_length (args) < 2)
    return usage_error (err, "simulate", _ ("no procedure file given"));

  g_autoptr (GPtrArray) plans = NULL;
  status = load_plans ("simulate", args + 1, models_dir, model_id, err, &plans);
  if (status >= 0)
    return status;

  g_autoptr (GPtrArray) simulations = g_ptr_array_new_with_free_func (
      per_case ? (GDestroyNotify)moa_case_simulation_free : (GDestroyNotify)moa_simulation_free);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  SigintGuard guard;
  sigint_install (&guard);
  Progress progress;
  progress_start (&progress, err, quiet, options.threads, cancellable);

  gboolean ok = TRUE;
  for (guint i = 0; i < plans->len && !interrupted; i++)
    {
      const MoaPlan *plan = g_ptr_array_index (plans, i);
      g_autofree char *label = progress_label (plan, i, plans->len);
      g_autoptr (GError) error = NULL;
      gpointer result;
      progress_begin (&progress, label);
      if (per_case)
        result = moa_simulate_cases (plan, options.seed, n_cases, threshold, options.threads,
                                     cancellable, on_progress, &progress, &error);
      else
        result = moa_simulate (plan, &options, cancellable, on_progress, &progress, &error);
      progress_pause (&progress);
      if (result == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          print_engine_error (err, plan, error);
          ok = FALSE;
          continue;
        }
      g_ptr_array_add (simulations, result);

      if (!per_case && options.precision > 0)
        {
          const MoaStat *total = moa_simulation_get_stat (result, 0, MOA_QUANTITY_BURDEN);
          double half = (total->ci_high - total->ci_low) / 2;
          if (half > options.precision * fabs (total->mean))
            {
              const char *path = moa_plan_get_procedure ((MoaPlan *)plan)->file;
              print_line (err,
                          _ ("%s: precision target not met within %u iterations; raise "
                             "--iterations"),
                          path ? path : moa_plan_get_procedure ((MoaPlan *)plan)->id,
                          options.iterations);
            }
        }
    }

  progress_finish (&progress);
  gboolean stopped = interrupted || g_cancellable_is_cancelled (cancellable);
  sigint_restore (&guard);
  if (stopped)
    return report_interrupted (err, "simulate");
  if (!ok)
    return EXIT_INVALID;

  MoaFormatOptions format_options = { .lang = lang, .localized_numbers = TRUE };
  g_autoptr (GString) text = g_string_new (NULL);
  if (per_case)
    moa_format_case_simulations (text, (const MoaPlan *const *)plans->pdata,
                                 (MoaCaseSimulation *const *)simulations->pdata, simulations->len,
                                 format, &format_options);
  else
    moa_format_simulations (text, (MoaSimulation *const *)simulations->pdata, simulations->len,
                            format, &format_options);
  return write_output (text, output, out, err) ? EXIT_OK : EXIT_INVALID;
}

/* ------------------------------------------------------------------------------------------ */
/* moa sensitivity                                                                            */

/* moa_cli_sensitivity:
 * "moa sensitivity [OPTION…] FILE…": checks and plans each procedure, ranks its parameters by
 * their effect on the total burden per year (moa_sensitivity_compute()) and writes the rankings
 * as one table, CSV or JSON document. Returns 0, 1 when a file has a problem or the output
 * cannot be written, 2 on a usage error. */
int
moa_cli_sensitivity (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *top_text = NULL, *format_name = NULL, *model_id = NULL, *models_dir = NULL;
  g_autofree char *lang = NULL, *output = NULL;
  const GOptionEntry entries[] = {
    { "top", 'n', 0, G_OPTION_ARG_STRING, &top_text,
      N_ ("Show only the first N parameters of each procedure (default: all)"), N_ ("N") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_ ("Output format: table (default), csv or json"), N_ ("FORMAT") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_id,
      N_ ("Evaluate with cost model ID instead of the one each procedure names"), N_ ("ID") },
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("Look for cost models in DIR instead of the shipped ones"), N_ ("DIR") },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang,
      N_ ("Language of titles and table labels: it or en (default: that of the messages)"),
      N_ ("LANG") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the results to FILE (replaced only when everything succeeded)"), N_ ("FILE") },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n%s",
      _ ("Each FILE is a procedure (docs/procedure-format.md); a directory stands for every *.xml "
         "file in it, in name order. Each procedure is checked as by \"moa validate\". Then, for "
         "every parameter its burden depends on (activity times, tariffs, fees, business-as-usual "
         "shares, branch probabilities, populations, frequencies, compliance), moa computes from "
         "the exact solution, without simulation: the derivative of the total burden per year "
         "(citizens + businesses) with respect to the parameter; its elasticity, the change of "
         "the burden in per cent for a 1 per cent change of the parameter; and the burden with "
         "the parameter at its low and at its high value (P5 and P95 of its distribution, or its "
         "minimum and maximum when bounded) and every other parameter at its expected value."),
      _ ("The difference between those two burdens, the swing, is the bar of a tornado chart. "
         "Parameters are ranked by swing (uncertain parameters first), then by elasticity: the "
         "first rows are the estimates worth measuring better. A branch probability moves "
         "probability from or to its gateway's default branch."),
      _ ("Parameters are named by their key: OBLIGATION/NODE:ATTRIBUTE[@SEGMENT] for an "
         "activity, OBLIGATION:ATTRIBUTE for an obligation, SEGMENT:population, "
         "OBLIGATION/GATEWAY>TARGET:probability for a branch, model:MODEL/ENTRY:ATTRIBUTE for a "
         "value of the cost model. Values are in base units: hours, the currency, the currency "
         "per hour, shares between 0 and 1, counts."),
      _ ("Examples:\n"
         "  moa sensitivity procedures/cila-edilizia.xml\n"
         "  moa sensitivity --top 10 procedures/\n"
         "  moa sensitivity --format json procedures/cila-edilizia.xml"),
      _ ("Exit status:\n"
         "  0  every procedure was analysed and the results written\n"
         "  1  a file has a problem (nothing is written), or the output cannot be written\n"
         "  2  usage error (no file, unknown option or value, unknown --model)"),
      _ ("How to read a sensitivity ranking: docs/simulation.md."), _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "sensitivity", _ ("[OPTION…] FILE…"),
               _ ("Rank the parameters that drive the burden of procedures (tornado chart)."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  MoaFormat format = MOA_FORMAT_TABLE;
  status = check_format_and_lang (err, "sensitivity", format_name, lang, &format);
  if (status >= 0)
    return status;
  guint64 top = 0;
  if (top_text
      && !parse_whole (err, "sensitivity", "--top", top_text, 1, G_MAXUINT,
                       _ ("a whole number of 1 or more"), &top))
    return EXIT_USAGE;
  if (g_strv_length (args) < 2)
    return usage_error (err, "sensitivity", _ ("no procedure file given"));

  g_autoptr (GPtrArray) plans = NULL;
  status = load_plans ("sensitivity", args + 1, models_dir, model_id, err, &plans);
  if (status >= 0)
    return status;

  gboolean ok = TRUE;
  g_autoptr (GPtrArray) rankings = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);
  for (guint i = 0; i < plans->len; i++)
    {
      const MoaPlan *plan = g_ptr_array_index (plans, i);
      g_autoptr (GError) error = NULL;
      GArray *rows = moa_sensitivity_compute (plan, &error);
      if (rows == NULL)
        {
          print_engine_error (err, plan, error);
          ok = FALSE;
          continue;
        }
      g_ptr_array_add (rankings, rows);
    }
  if (!ok)
    return EXIT_INVALID;

  MoaFormatOptions format_options = { .lang = lang, .localized_numbers = TRUE };
  g_autoptr (GString) text = g_string_new (NULL);
  moa_format_sensitivities (text, (const MoaPlan *const *)plans->pdata,
                            (GArray *const *)rankings->pdata, rankings->len, (guint)top, format,
                            &format_options);
  return write_output (text, output, out, err) ? EXIT_OK : EXIT_INVALID;
}

/* ------------------------------------------------------------------------------------------ */
/* Scenarios: what moa compare and moa apply share                                            */

#define SCENARIO_DOCS_HINT                                                                         \
  N_ ("Scenario files: docs/scenario-format.md; bundled ones in procedures/scenarios/.")

/* TRUE when @a and @b name the same file (after resolving links and "..", or, when a file
 * cannot be resolved, as canonical paths). */
static gboolean
same_file (const char *a, const char *b)
{
  g_autofree char *ra = realpath (a, NULL);
  g_autofree char *rb = realpath (b, NULL);
  if (ra && rb)
    return strcmp (ra, rb) == 0;
  g_autofree char *ca = g_canonicalize_filename (a, NULL);
  g_autofree char *cb = g_canonicalize_filename (b, NULL);
  return strcmp (ca, cb) == 0;
}

/* @path as a person would write it: without "dir/../", and relative to the current directory
 * when it is inside it. Returns a new string. */
char *
display_path (const char *path)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *absolute = g_canonicalize_filename (path, cwd);
  gsize n = strlen (cwd);
  if (strncmp (absolute, cwd, n) == 0 && absolute[n] == G_DIR_SEPARATOR)
    return g_strdup (absolute + n + 1);
  return g_steal_pointer (&absolute);
}

/* Loads the scenario file @path and checks that its baseline chain ends at the procedure file
 * @baseline_path. Prints every problem on @err. Returns the scenario or NULL. */
static MoaScenario *
load_scenario (const char *path, const char *baseline_path, FILE *err)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaScenario) scenario = moa_scenario_load_file (path, problems, &error);
  if (scenario == NULL || problems->len > 0)
    {
      print_problems (err, problems, error);
      return NULL;
    }
  const MoaProcedure *bottom = moa_scenario_get_baseline (scenario);
  const char *bottom_path = bottom && bottom->file ? bottom->file : "";
  if (!same_file (bottom_path, baseline_path))
    {
      g_autofree char *bottom_file = display_path (bottom_path);
      /* TRANSLATORS: the scenario file, the procedure its baseline chain ends at, then the
       * BASELINE given on the command line */
      print_line (err,
                  _ ("%s: this scenario applies to the procedure %s, not to the BASELINE %s; "
                     "give %s as BASELINE"),
                  path, bottom_file, baseline_path, bottom_file);
      return NULL;
    }
  return g_steal_pointer (&scenario);
}

/* Plans @after, the procedure that @source (a scenario file) produced, to check it. Prints
 * its problems on @err after a line saying where they come from. Returns TRUE when it is
 * valid. */
static gboolean
check_result (MoaProcedure *after, const char *source, const MoaModelSet *set,
              const char *models_dir, const char *model_id, FILE *err)
{
  g_autoptr (GPtrArray) problems = moa_problems_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MoaPlan) plan
      = plan_procedure (after, after->file, set, models_dir, model_id, problems, &error);
  if (plan != NULL && problems->len == 0)
    return TRUE;
  /* TRANSLATORS: %s is a scenario file; its problems follow on the next lines */
  print_line (err,
              _ ("%s: the procedure that results from the measures is not valid (line numbers "
                 "refer to the baseline or to the scenario):"),
              source);
  print_problems (err, problems, error);
  return FALSE;
}

/* One comparison to run: its two procedures and, for a scenario, the scenario. */
typedef struct
{
  MoaScenario *scenario; /* NULL for an "after" procedure file */
  MoaProcedure *before;
  MoaProcedure *after;
  char *label; /* of the progress bar */
} CompareJob;

static void
compare_job_free (CompareJob *job)
{
  g_clear_pointer (&job->scenario, moa_scenario_free);
  g_clear_pointer (&job->before, moa_procedure_unref);
  g_clear_pointer (&job->after, moa_procedure_unref);
  g_free (job->label);
  g_free (job);
}

/* Prepares the comparison of @baseline (from @baseline_path) with the file @path: a scenario
 * (its chain must end at the baseline; the result is checked) or a complete procedure. Prints
 * every problem on @err. Returns a new job or NULL. */
static CompareJob *
prepare_comparison (MoaProcedure *baseline, const char *baseline_path, const char *path,
                    const MoaModelSet *set, const char *models_dir, const char *model_id, FILE *err)
{
  InputKind kind;
  if (!input_kind (path, err, &kind))
    return NULL;

  CompareJob *job = g_new0 (CompareJob, 1);
  if (kind == INPUT_PROCEDURE)
    {
      g_autoptr (MoaPlan) plan = check_file (path, set, models_dir, model_id, err);
      if (plan == NULL)
        {
          compare_job_free (job);
          return NULL;
        }
      job->after = moa_procedure_ref (moa_plan_get_procedure (plan));
      job->before = moa_procedure_ref (baseline);
      if (g_strcmp0 (job->after->id, baseline->id) != 0)
        /* TRANSLATORS: a warning: the file, its procedure id, the baseline's id */
        print_line (err,
                    _ ("%s: warning: procedure \"%s\" is compared with the baseline \"%s\"; "
                       "elements are matched by their ids"),
                    path, job->after->id, baseline->id);
      job->label = g_strdup_printf ("%s → %s", baseline->id, job->after->id);
      return job;
    }

  job->scenario = load_scenario (path, baseline_path, err);
  if (job->scenario == NULL)
    {
      compare_job_free (job);
      return NULL;
    }
  g_autoptr (GError) error = NULL;
  job->before = moa_scenario_apply_parents (job->scenario, &error);
  if (job->before != NULL)
    job->after = moa_scenario_apply (job->scenario, G_MAXUINT, -1, &error);
  if (job->after == NULL)
    {
      fprintf (err, "%s\n", error->message);
      compare_job_free (job);
      return NULL;
    }
  if (!check_result (job->after, path, set, models_dir, model_id, err))
    {
      compare_job_free (job);
      return NULL;
    }
  job->label = g_strdup_printf ("%s → %s", baseline->id, moa_scenario_get_id (job->scenario));
  return job;
}

/* ------------------------------------------------------------------------------------------ */
/* moa compare                                                                                */

/* moa_cli_compare:
 * "moa compare [OPTION…] BASELINE SCENARIO…": checks the baseline procedure, then, for each
 * SCENARIO (a scenario file whose baseline chain ends at BASELINE, or a complete "after"
 * procedure file), computes the saving (moa_compare()): before and after per entity, the
 * saving per measure, the one-off cost of the change and, with --iterations, the paired
 * interval of the saving. Writes all comparisons as one table, CSV or JSON document to @out or
 * the --output file. Progress bar and SIGINT as moa_cli_simulate(). Returns 0, 1 when a file
 * has a problem, a scenario does not apply to BASELINE, a comparison fails or the output
 * cannot be written, 2 on a usage error, 130 when interrupted (nothing written). */
int
moa_cli_compare (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *iterations_text = NULL, *seed_text = NULL, *threads_text = NULL;
  g_autofree char *format_name = NULL, *model_id = NULL, *models_dir = NULL, *lang = NULL;
  g_autofree char *output = NULL;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_STRING, &iterations_text,
      N_ ("Also simulate N paired iterations for the interval of the saving (default: none)"),
      N_ ("N") },
    { "seed", 's', 0, G_OPTION_ARG_STRING, &seed_text,
      N_ ("With --iterations: seed of the random numbers (default 1)"), N_ ("S") },
    { "threads", 't', 0, G_OPTION_ARG_STRING, &threads_text,
      N_ ("With --iterations: threads to run on (default 0: all cores); does not change the "
          "results"),
      N_ ("T") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_ ("Output format: table (default), csv or json"), N_ ("FORMAT") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model_id,
      N_ ("Evaluate with cost model ID instead of the one each procedure names"), N_ ("ID") },
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("Look for cost models in DIR instead of the shipped ones"), N_ ("DIR") },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang,
      N_ ("Language of titles and table labels: it or en (default: that of the messages)"),
      N_ ("LANG") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the results to FILE (replaced only when everything succeeded)"), N_ ("FILE") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_ ("Do not show the progress bar"), NULL },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n\n%s\n%s\n%s",
      _ ("BASELINE is a procedure file (docs/procedure-format.md). Each SCENARIO is either a "
         "scenario file, a list of named simplification measures whose baseline is BASELINE "
         "(directly, or through the scenarios it is based on), or a complete procedure file "
         "describing the procedure after the change, compared element by element. For a "
         "scenario based on another scenario, \"before\" is BASELINE with the other "
         "scenario's measures already applied. Every file is checked as by \"moa validate\", "
         "and so is the procedure the measures produce."),
      _ ("For each SCENARIO moa evaluates the procedure before and after the change at the "
         "expected values and reports, per year: the burden on citizens and businesses before, "
         "after, the saving and the saving in per cent; citizens' hours and euros and "
         "businesses' euros apart; the one-off cost of the change (e.g. registering on a "
         "platform), its share per year over the scenario's one-off-years (10 by default, not "
         "discounted), the net yearly saving and the pay-back period; and the obligations, "
         "target groups and activities the change affects. Rows the change leaves as they were "
         "are left out of the table."),
      _ ("For a scenario, the saving is also attributed to its measures: cumulatively, each "
         "measure applied after the previous ones in the order written (these add up to the "
         "total), and alone, each measure by itself on the baseline. When the savings alone do "
         "not add up to the total the measures interact (e.g. one removes an activity another "
         "shortens): the table says so, with the difference."),
      _ ("--iterations N adds the uncertainty: before and after are simulated with the same "
         "seed, so every parameter they share takes the same value in each iteration (common "
         "random numbers), and the interval of the saving (mean, s.d., P5, P50, P95, "
         "confidence interval of the mean) is taken of the per-iteration differences: much "
         "narrower than the difference of two separate intervals. The same seed gives the "
         "same output byte for byte, whatever --threads. On a terminal a progress bar is shown "
         "on standard error; Ctrl-C stops the run and writes nothing."),
      _ ("Formats: table (for people, with the number format of the locale; money to the "
         "cent), csv (one row per entity and per measure) and json; full precision in csv and "
         "json, described in docs/json-output.md."),
      _ ("Examples:\n"
         "  moa compare procedures/scia-esercizio-vicinato.xml \\\n"
         "      procedures/scenarios/scia-fascicolo-impresa.xml\n"
         "  moa compare --iterations 10000 --seed 42 procedures/cila-edilizia.xml \\\n"
         "      procedures/scenarios/cila-archivio-digitale.xml\n"
         "  moa compare procedures/aua.xml procedures/scenarios/aua-rinnovo-semplificato.xml \\\n"
         "      procedures/scenarios/aua-autorizzazioni-generali.xml\n"
         "  moa compare --format csv -o savings.csv procedures/certificato-anagrafico.xml \\\n"
         "      procedures/scenarios/certificato-anpr-self-service.xml\n"
         "  moa compare procedures/cila-edilizia.xml cila-after.xml"),
      _ ("Exit status:\n"
         "  0    every comparison was computed and the results written\n"
         "  1    a file has a problem, a scenario does not apply to BASELINE, the measures\n"
         "       give an invalid procedure or a computation failed (nothing is written), or\n"
         "       the output cannot be written\n"
         "  2    usage error (too few files, unknown option, value out of range, unknown\n"
         "       --model, --seed or --threads without --iterations)\n"
         "  130  interrupted with Ctrl-C (nothing is written)"),
      _ ("How to write a scenario: docs/scenario-format.md; \"moa apply\" writes the procedure "
         "a scenario produces, to inspect it."),
      _ (SCENARIO_DOCS_HINT), _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "compare", _ ("[OPTION…] BASELINE SCENARIO…"),
               _ ("Compute what simplification scenarios save: the burden before and after, per "
                  "measure and per element."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  MoaFormat format = MOA_FORMAT_TABLE;
  status = check_format_and_lang (err, "compare", format_name, lang, &format);
  if (status >= 0)
    return status;

  MoaCompareOptions options;
  moa_compare_options_init (&options);
  options.iterations = 0; /* no Monte Carlo unless asked for */
  options.seed = 1;
  guint64 value;
  if (iterations_text)
    {
      g_autofree char *expected
          = g_strdup_printf (_ ("a whole number from 2 to %d"), MAX_ITERATIONS);
      if (!parse_whole (err, "compare", "--iterations", iterations_text, 2, MAX_ITERATIONS,
                        expected, &value))
        return EXIT_USAGE;
      options.iterations = (guint)value;
    }
  if (!iterations_text && (seed_text || threads_text))
    return usage_error (err, "compare",
                        seed_text ? _ ("--seed needs --iterations: without it nothing is drawn")
                                  : _ ("--threads needs --iterations: without it nothing is "
                                       "simulated"));
  if (seed_text
      && !parse_whole (err, "compare", "--seed", seed_text, 0, G_MAXUINT64,
                       _ ("a whole number from 0 to 18446744073709551615"), &options.seed))
    return EXIT_USAGE;
  if (threads_text)
    {
      g_autofree char *expected
          = g_strdup_printf (_ ("a whole number from 0 (all cores) to %d"), MAX_THREADS);
      if (!parse_whole (err, "compare", "--threads", threads_text, 0, MAX_THREADS, expected,
                        &value))
        return EXIT_USAGE;
      options.threads = (guint)value;
    }
  guint n_args = g_strv_length (args);
  if (n_args < 2)
    return usage_error (err, "compare", _ ("no baseline procedure file given"));
  if (n_args < 3)
    return usage_error (err, "compare",
                        _ ("no scenario given: give the baseline procedure, then one or more "
                           "scenario files or \"after\" procedure files"));

  gboolean ok = TRUE;
  g_autofree char *dir_used = NULL;
  g_autoptr (MoaModelSet) set = load_models (models_dir, err, &ok, &dir_used);
  MoaCostModel *model = NULL;
  if (model_id && (model = moa_model_set_lookup (set, model_id)) == NULL)
    {
      g_autofree char *available = moa_model_set_get_ids (set);
      g_autofree char *message
          = g_strdup_printf (_ ("--model: cost model \"%s\" is not among the models in %s; "
                                "available: %s"),
                             model_id, dir_used, available);
      return usage_error (err, "compare", message);
    }

  const char *baseline_path = args[1];
  g_autoptr (MoaPlan) baseline_plan = check_file (baseline_path, set, dir_used, model_id, err);
  if (baseline_plan == NULL)
    return EXIT_INVALID;
  MoaProcedure *baseline = moa_plan_get_procedure (baseline_plan);

  /* every file is read and checked before the first computation */
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)compare_job_free);
  for (guint i = 2; i < n_args; i++)
    {
      CompareJob *job
          = prepare_comparison (baseline, baseline_path, args[i], set, dir_used, model_id, err);
      if (job == NULL)
        ok = FALSE;
      else
        g_ptr_array_add (jobs, job);
    }
  if (!ok)
    return EXIT_INVALID;

  g_autoptr (GPtrArray) comparisons
      = g_ptr_array_new_with_free_func ((GDestroyNotify)moa_comparison_free);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  SigintGuard guard;
  sigint_install (&guard);
  Progress progress;
  progress_start (&progress, err, quiet, options.threads, cancellable);
  for (guint i = 0; i < jobs->len && !interrupted; i++)
    {
      CompareJob *job = g_ptr_array_index (jobs, i);
      g_autoptr (GError) error = NULL;
      g_autofree char *label = jobs->len > 1
                                   ? g_strdup_printf ("[%u/%u] %s", i + 1, jobs->len, job->label)
                                   : g_strdup (job->label);
      progress_begin (&progress, label);
      MoaComparison *comparison
          = moa_compare (job->before, job->after, job->scenario, set, model, &options, cancellable,
                         on_progress, &progress, &error);
      progress_pause (&progress);
      if (comparison == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          const char *path
              = job->scenario ? moa_scenario_get_file (job->scenario) : job->after->file;
          if (path == NULL || g_str_has_prefix (error->message, path))
            fprintf (err, "%s\n", error->message);
          else
            fprintf (err, "%s: %s\n", path, error->message);
          ok = FALSE;
          continue;
        }
      g_ptr_array_add (comparisons, comparison);
    }
  progress_finish (&progress);
  gboolean stopped = interrupted || g_cancellable_is_cancelled (cancellable);
  sigint_restore (&guard);
  if (stopped)
    return report_interrupted (err, "compare");
  if (!ok)
    return EXIT_INVALID;

  MoaFormatOptions format_options = { .lang = lang, .localized_numbers = TRUE };
  g_autoptr (GString) text = g_string_new (NULL);
  moa_format_comparisons (text, (MoaComparison *const *)comparisons->pdata, comparisons->len,
                          format, &format_options);
  return write_output (text, output, out, err) ? EXIT_OK : EXIT_INVALID;
}

/* ------------------------------------------------------------------------------------------ */
/* moa apply                                                                                  */

/* moa_cli_apply:
 * "moa apply [OPTION…] BASELINE SCENARIO": applies the measures of the scenario file SCENARIO
 * (whose baseline chain must end at the procedure file BASELINE) — all of them, or the first N
 * with --measures — and writes the resulting procedure in the procedure format to the --output
 * file (atomically) or to @out. The result is checked against its cost model first and not
 * written when it has a problem. Returns 0, 1 when a file has a problem, the scenario does not
 * apply to BASELINE, the result is invalid or cannot be written, 2 on a usage error. */
int
moa_cli_apply (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  g_autofree char *measures_text = NULL, *models_dir = NULL, *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_ ("Write the resulting procedure to FILE (default: standard output)"), N_ ("FILE") },
    { "measures", 'n', 0, G_OPTION_ARG_STRING, &measures_text,
      N_ ("Apply only the first N measures of the scenario (default: all)"), N_ ("N") },
    { "models-dir", 'm', 0, G_OPTION_ARG_FILENAME, &models_dir,
      N_ ("Look for cost models in DIR instead of the shipped ones"), N_ ("DIR") },
    { NULL },
  };
  g_autofree char *description = g_strdup_printf (
      "%s\n\n%s\n\n%s\n\n%s\n\n%s\n%s",
      _ ("BASELINE is a procedure file and SCENARIO a scenario file (docs/scenario-format.md) "
         "whose baseline is BASELINE, directly or through the scenarios it is based on. moa "
         "applies the measures in the order written — those of the scenarios it is based on "
         "first, then the first N of its own with --measures N — and writes the procedure that "
         "results, in the procedure format, so that it can be read, validated, evaluated or "
         "edited like any other. It is checked as by \"moa validate\" first; a result with a "
         "problem is not written."),
      _ ("With -o the file is replaced atomically (a temporary file renamed over it), so it is "
         "never left half-written; without -o, or with -o -, the procedure goes to standard "
         "output."),
      _ ("Examples:\n"
         "  moa apply -o scia-after.xml procedures/scia-esercizio-vicinato.xml \\\n"
         "      procedures/scenarios/scia-fascicolo-impresa.xml\n"
         "  moa apply --measures 1 procedures/scia-esercizio-vicinato.xml \\\n"
         "      procedures/scenarios/scia-fascicolo-impresa.xml\n"
         "  moa validate scia-after.xml && moa evaluate scia-after.xml"),
      _ ("Exit status:\n"
         "  0  the procedure was written\n"
         "  1  a file has a problem, the scenario does not apply to BASELINE, the resulting\n"
         "     procedure is not valid (its problems are printed; nothing is written), or the\n"
         "     output cannot be written\n"
         "  2  usage error (not two files, unknown option, --measures out of range)"),
      _ (SCENARIO_DOCS_HINT), _ (DOCS_HINT));

  Parser p;
  parser_init (&p, "apply", _ ("[OPTION…] BASELINE SCENARIO"),
               _ ("Write the procedure that a scenario's measures make of its baseline."),
               description, entries);
  g_auto (GStrv) args = NULL;
  int status = parser_parse (&p, argc, argv, out, err, &args);
  parser_clear (&p);
  if (status >= 0)
    return status;

  guint64 n_measures = G_MAXUINT;
  if (measures_text
      && !parse_whole (err, "apply", "--measures", measures_text, 0, G_MAXUINT - 1,
                       _ ("a whole number of 0 or more"), &n_measures))
    return EXIT_USAGE;
  guint n_args = g_strv_length (args);
  if (n_args < 3)
    return usage_error (err, "apply",
                        n_args < 2 ? _ ("no baseline procedure file given")
                                   : _ ("no scenario file given"));
  if (n_args > 3)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("unexpected argument \"%s\": apply takes one baseline and one scenario"), args[3]);
      return usage_error (err, "apply", message);
    }
  const char *baseline_path = args[1], *scenario_path = args[2];

  gboolean ok = TRUE;
  g_autofree char *dir_used = NULL;
  g_autoptr (MoaModelSet) set = load_models (models_dir, err, &ok, &dir_used);
  g_autoptr (MoaPlan) baseline_plan = check_file (baseline_path, set, dir_used, NULL, err);
  if (baseline_plan == NULL || !ok) /* a problem in a file, cost models included */
    return EXIT_INVALID;

  InputKind kind;
  if (!input_kind (scenario_path, err, &kind))
    return EXIT_INVALID;
  if (kind != INPUT_SCENARIO)
    {
      print_line (err,
                  _ ("%s: this is a procedure, not a scenario: moa apply needs a scenario file "
                     "(docs/scenario-format.md); \"moa compare\" compares two procedures"),
                  scenario_path);
      return EXIT_INVALID;
    }
  g_autoptr (MoaScenario) scenario = load_scenario (scenario_path, baseline_path, err);
  if (scenario == NULL)
    return EXIT_INVALID;

  guint own = moa_scenario_get_measures (scenario)->len;
  if (measures_text && n_measures > own)
    {
      g_autofree char *message = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "--measures: %s has %u measure; expected 0 to %u",
                       "--measures: %s has %u measures; expected 0 to %u", own),
          scenario_path, own, own);
      return usage_error (err, "apply", message);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (MoaProcedure) after = moa_scenario_apply (scenario, (guint)n_measures, -1, &error);
  if (after == NULL)
    {
      fprintf (err, "%s\n", error->message);
      return EXIT_INVALID;
    }
  if (!check_result (after, scenario_path, set, dir_used, NULL, err))
    {
      print_line (err, "moa apply: %s", _ ("nothing was written"));
      return EXIT_INVALID;
    }

  if (output == NULL || strcmp (output, "-") == 0)
    {
      g_autofree char *xml = moa_procedure_to_xml (after);
      fputs (xml, out);
      fflush (out);
      return EXIT_OK;
    }
  if (!moa_procedure_save (after, output, &error))
    {
      fprintf (err, "%s\n", error->message);
      return EXIT_INVALID;
    }
  return EXIT_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* moa                                                                                        */

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv, FILE *out, FILE *err);
  const char *summary;
} Command;

static const Command commands[] = {
  { "validate", moa_cli_validate, N_ ("Check procedure files against their cost model") },
  { "evaluate", moa_cli_evaluate, N_ ("Compute the burden of procedures: table, CSV or JSON") },
  { "simulate", moa_cli_simulate, N_ ("Simulate the uncertainty of the burden (Monte Carlo)") },
  { "sensitivity", moa_cli_sensitivity,
    N_ ("Rank the parameters that drive the burden (tornado chart)") },
  { "compare", moa_cli_compare, N_ ("Compute what simplification scenarios save, per measure") },
  { "apply", moa_cli_apply, N_ ("Write the procedure a scenario makes of its baseline") },
  { "batch", moa_cli_batch, N_ ("Evaluate a regional catalog into a result store (resumable)") },
  { "runs", moa_cli_runs, N_ ("List the runs of a result store") },
  { "report", moa_cli_report, N_ ("Write the savings report of a stored run: PDF, HTML or CSV") },
  { "models", moa_cli_models, N_ ("List the available cost models") },
};

static void
print_main_help (FILE *out)
{
  fprintf (out, "%s\n  moa %s\n  moa --help | --version\n\n", _ ("Usage:"),
           _ ("COMMAND [OPTION…] [FILE…]"));
  put_wrapped (_ ("Measure the administrative burden of public procedures with the Standard "
                  "Cost Model (MOA)."),
               out);
  fprintf (out, "\n\n%s\n", _ ("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (out, "\n%s\n  -h, --help     %s\n  --version      %s\n\n", _ ("Options:"),
           _ ("Show this help and exit"), _ ("Show the version and exit"));
  put_wrapped (_ ("Run \"moa COMMAND --help\" for the options, examples and exit statuses of "
                  "a command, e.g. \"moa evaluate --help\"."),
               out);
  fputs ("\n\n", out);
  put_wrapped (_ (DOCS_HINT), out);
  fputc ('\n', out);
}

/* moa_cli_main:
 * Runs "moa COMMAND ARGS…" (@argv[0] is the program name): dispatches to the command with
 * @argv shifted by one, or handles --help, -h, "help [COMMAND]" and --version. Returns the
 * exit status: 2 when no command or an unknown one is given. */
int
moa_cli_main (int argc, char **argv, FILE *out, FILE *err)
{
  g_return_val_if_fail (argc >= 1 && argv != NULL, EXIT_USAGE);
  g_return_val_if_fail (out != NULL && err != NULL, EXIT_USAGE);

  if (argc < 2)
    {
      print_main_help (err);
      return EXIT_USAGE;
    }

  const char *name = argv[1];
  if (strcmp (name, "--version") == 0)
    {
      fprintf (out, "moa %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }
  if (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0
      || (strcmp (name, "help") == 0 && argc == 2))
    {
      print_main_help (out);
      return EXIT_OK;
    }
  if (strcmp (name, "help") == 0)
    {
      /* "moa help evaluate" is "moa evaluate --help" */
      for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
        if (strcmp (argv[2], commands[i].name) == 0)
          {
            char *help_argv[] = { argv[2], (char *)"--help", NULL };
            return commands[i].run (2, help_argv, out, err);
          }
      name = argv[2];
    }
  else
    {
      for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
        if (strcmp (name, commands[i].name) == 0)
          return commands[i].run (argc - 1, argv + 1, out, err);
    }

  if (name[0] == '-')
    print_line (err, _ ("moa: unknown option \"%s\""), name);
  else
    print_line (err, _ ("moa: unknown command \"%s\""), name);
  fprintf (err, "%s\n", _ ("Run \"moa --help\" to see the commands."));
  return EXIT_USAGE;
}
