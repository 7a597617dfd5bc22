/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "mini-comparison.h"
#include "mini-dialect.h"
#include "mini-util.h"
#include "mini-har.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-scenario.h"
#include "mini-timeline.h"

/* Exit codes of design.md: 0 the command ran, 2 bad input, 1 anything else. */
enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

typedef struct {
  MiniTimeline *timeline;
  gboolean      jsonl;
  guint         printed;
  GMainLoop    *loop;
} Printer;

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("minisock-cli: %s\n", message);
  return EXIT_USAGE;
}

/* Columns a terminal gives @c: CJK ideographs and fullwidth forms take two, combining marks
 * none. */
static int
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

static int
text_width (const char *text)
{
  int width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += char_width (g_utf8_get_char (p));
  return width;
}

static void
append_padded (GString    *out,
               const char *text,
               int         width)
{
  g_string_append (out, text);
  for (int w = text_width (text); w < width; w++)
    g_string_append_c (out, ' ');
}

static void
append_right_aligned (GString    *out,
                      const char *text,
                      int         width)
{
  for (int w = text_width (text); w < width; w++)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
}

static void
print_text_header (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* The rows are printed as "%10.3f %9.3f %4s  %-8s %-22s %s"; the headers line up with them by
   * display width, which a translation in Chinese doubles. */
  append_right_aligned (out, _("t (ms)"), 10);
  g_string_append_c (out, ' ');
  append_right_aligned (out, _("Δ (ms)"), 9);
  g_string_append_c (out, ' ');
  append_right_aligned (out, _("task"), 4);
  g_string_append (out, "  ");
  append_padded (out, _("kind"), 8);
  g_string_append_c (out, ' ');
  append_padded (out, _("api"), 22);
  g_string_append_c (out, ' ');
  g_string_append (out, _("summary"));
  g_print ("%s\n", out->str);
}

/* One aligned row a person reads in a terminal: t, Δ, task, kind, api, summary. */
static void
print_event (Printer *printer,
             guint    position)
{
  MiniEventView view;
  MiniEventView previous;
  g_autofree char *summary = NULL;
  char task[16];
  double delta = 0;

  if (printer->jsonl)
    {
      g_autofree char *line = mini_timeline_event_to_jsonl (printer->timeline, position);
      g_print ("%s\n", line);
      return;
    }

  mini_timeline_get_event (printer->timeline, position, &view);
  if (position > 0 && mini_timeline_get_event (printer->timeline, position - 1, &previous))
    delta = (view.t_us - previous.t_us) / 1000.0;
  summary = mini_timeline_event_summary (printer->timeline, position);
  if (view.task != 0)
    g_snprintf (task, sizeof task, "%u", view.task);
  else
    g_strlcpy (task, "-", sizeof task);

  g_print ("%10.3f %9.3f %4s  %-8s %-22s %s\n", view.t_us / 1000.0, delta, task,
           mini_event_kind_to_string (view.kind), view.api != NULL ? view.api : "", summary);
}

static void
print_new_events (Printer *printer)
{
  guint n = mini_timeline_get_n_events (printer->timeline);

  for (; printer->printed < n; printer->printed++)
    print_event (printer, printer->printed);
  fflush (stdout);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Printer    *printer)
{
  print_new_events (printer);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Printer *printer = user_data;

  mini_scenario_run_finish (MINI_SCENARIO (object), result, NULL);
  g_main_loop_quit (printer->loop);
}

static gboolean
format_is (const char *format,
           const char *name)
{
  return g_strcmp0 (format != NULL ? format : "text", name) == 0;
}

/* Runs @scenario and prints its timeline as it grows (text, jsonl), or writes its HAR once it
 * has ended, to @output or stdout. */
static int
run_scenario (MiniScenario *scenario,
              const char   *label,
              const char   *dialect_id,
              const char   *format,
              const char   *output,
              gboolean      insecure_tls)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniTimeline) timeline = NULL;
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(MiniPlayground) playground = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *title = mini_scenario_dup_title (scenario);
  gboolean har = format_is (format, "har");
  Printer printer = { 0 };

  if (mini_scenario_uses_playground (scenario))
    {
      playground = mini_playground_new ();
      if (!mini_playground_start (playground, NULL, 0, &error))
        {
          g_printerr (_("minisock-cli: cannot start the playground: %s\n"), error->message);
          return EXIT_FAILED;
        }
    }

  timeline = mini_timeline_new ();
  runtime = mini_scenario_create_runtime (scenario, dialect_id, timeline,
                                          playground != NULL ? mini_playground_get_url (playground)
                                                             : NULL,
                                          &error);
  if (runtime == NULL)
    return usage_error ("%s", error->message);
  loop = g_main_loop_new (NULL, FALSE);
  printer.timeline = timeline;
  printer.jsonl = format_is (format, "jsonl");
  printer.loop = loop;

  if (format_is (format, "text"))
    {
      g_autofree char *name = mini_dialect_dup_name (mini_runtime_get_dialect (runtime));

      g_print ("%s — %s (%s)\n", title != NULL ? title : label, name,
               mini_dialect_get_id (mini_runtime_get_dialect (runtime)));
      if (playground != NULL)
        g_print (_("playground: %s\n"), mini_playground_get_url (playground));
      print_text_header ();
    }

  if (!har)
    g_signal_connect (timeline, "items-changed", G_CALLBACK (on_items_changed), &printer);
  if (insecure_tls)
    {
      g_printerr (_("minisock-cli: warning: TLS certificate checks are off; a wss:// server is "
                    "trusted whatever its certificate\n"));
      /* The switch opens the session's timeline, at its start. */
      mini_timeline_set_origin (timeline, g_get_monotonic_time ());
      mini_runtime_set_tls_check (runtime, FALSE);
    }
  mini_scenario_run_async (scenario, runtime, NULL, on_run_done, &printer);
  g_main_loop_run (loop);
  if (!har)
    {
      print_new_events (&printer);
      g_signal_handlers_disconnect_by_data (timeline, &printer);
    }

  if (playground != NULL)
    mini_playground_stop (playground);

  if (har)
    {
      const char *dialect = mini_dialect_get_id (mini_runtime_get_dialect (runtime));

      if (output != NULL)
        {
          if (!mini_har_write_timeline (timeline, dialect, title, output, &error))
            {
              g_printerr (_("minisock-cli: cannot write the HAR: %s\n"), error->message);
              return EXIT_FAILED;
            }
        }
      else
        {
          g_autoptr(JsonNode) root = mini_har_export_timeline (timeline, dialect, title);
          g_autofree char *text = json_to_string (root, TRUE);

          g_print ("%s\n", text);
        }
    }

  return EXIT_OK;
}

static int
cmd_run (int    argc,
         char **argv)
{
  g_autofree char *dialect_id = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  gboolean insecure_tls = FALSE;
  GOptionEntry entries[] = {
    { "dialect", 'd', 0, G_OPTION_ARG_STRING, &dialect_id, N_("Run on this dialect instead of the scenario's"), "ID" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text (default), jsonl or har"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("With --format har, write the HAR to FILE instead of stdout"), "FILE" },
    { "insecure-tls", 0, 0, G_OPTION_ARG_NONE, &insecure_tls, N_("Accept any wss:// server certificate (for self-signed test servers)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SCENARIO.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniScenario) scenario = NULL;

  g_option_context_set_summary (context, _("Run a scenario and print its timeline."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("run: %s", error->message);
  if (argc != 2)
    return usage_error (_("run: expected one scenario file, got %d; usage: minisock-cli run "
                          "SCENARIO.json [--dialect ID] [--format text|jsonl|har] [--output FILE]"),
                        argc - 1);
  if (!format_is (format, "text") && !format_is (format, "jsonl") && !format_is (format, "har"))
    return usage_error (_("run: --format: expected text, jsonl or har, got \"%s\""), format);
  if (output != NULL && !format_is (format, "har"))
    return usage_error (_("run: --output: only with --format har"));

  if ((scenario = mini_scenario_new_from_file (argv[1], &error)) == NULL)
    return usage_error ("%s", error->message);

  return run_scenario (scenario, argv[1], dialect_id, format, output, insecure_tls);
}

/* ---- replay -------------------------------------------------------------------------------- */

static int
cmd_replay (int    argc,
            char **argv)
{
  g_autofree char *dialect_id = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *url = NULL;
  gboolean insecure_tls = FALSE;
  GOptionEntry entries[] = {
    { "url", 'u', 0, G_OPTION_ARG_STRING, &url,
      N_("Connect to URL instead of the HAR's own, e.g. {playground}/echo"), "URL" },
    { "dialect", 'd', 0, G_OPTION_ARG_STRING, &dialect_id,
      N_("Replay on this dialect (default: the one recorded, else web)"), "ID" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: text (default), jsonl or har"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("With --format har, write the HAR to FILE instead of stdout"), "FILE" },
    { "insecure-tls", 0, 0, G_OPTION_ARG_NONE, &insecure_tls,
      N_("Accept any wss:// server certificate (for self-signed test servers)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE.har");
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniHar) har = NULL;
  g_autoptr(MiniScenario) scenario = NULL;
  g_autofree char *note = NULL;

  g_option_context_set_summary (context, _("Replay the messages a HAR file sent, with their "
                                           "timing, and print the new timeline."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("replay: %s", error->message);
  if (argc != 2)
    return usage_error (_("replay: expected one HAR file, got %d; usage: minisock-cli replay "
                          "FILE.har [--url URL] [--dialect ID] [--format text|jsonl|har]"),
                        argc - 1);
  if (!format_is (format, "text") && !format_is (format, "jsonl") && !format_is (format, "har"))
    return usage_error (_("replay: --format: expected text, jsonl or har, got \"%s\""), format);
  if (output != NULL && !format_is (format, "har"))
    return usage_error (_("replay: --output: only with --format har"));
  if (url != NULL && !g_str_has_prefix (url, "{playground}")
      && (!(g_str_has_prefix (url, "ws://") || g_str_has_prefix (url, "wss://"))
          || !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL)))
    return usage_error (_("replay: --url: expected a ws:// or wss:// URL, or {playground}/PATH, "
                          "got \"%s\""), url);

  if ((har = mini_har_new_from_file (argv[1], &error)) == NULL)
    return usage_error ("%s", error->message);
  if ((scenario = mini_har_create_scenario (har, url, dialect_id, &error)) == NULL)
    return usage_error ("%s", error->message);
  /* Firefox's HAR has the handshakes but no messages: say so, beside the timeline. */
  if ((note = mini_har_dup_unsaved_note (har)) != NULL)
    g_printerr ("minisock-cli: %s\n", note);

  return run_scenario (scenario, argv[1], dialect_id, format, output, insecure_tls);
}

/* ---- compare ------------------------------------------------------------------------------- */

#define COMPARE_DEFAULT_WIDTH 100
#define COMPARE_MIN_CELL      12
/* A cell wraps onto this many lines at most; the last one then ends in an ellipsis. */
#define COMPARE_MAX_LINES     4

static void
on_compare_run_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gboolean *done = user_data;

  mini_scenario_run_finish (MINI_SCENARIO (object), result, NULL);
  *done = TRUE;
}

/* Breaks @text into lines of at most @width columns, after a space where there is one and
 * anywhere between wide characters, which is how Chinese text breaks. */
static GPtrArray *
wrap_text (const char *text,
           int         width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;

  while (*start != '\0' && lines->len < COMPARE_MAX_LINES)
    {
      const char *p = start;
      const char *brk = NULL;       /* where the line may end */
      const char *resume = NULL;    /* where the next line then starts */
      int used = 0;

      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          int w = char_width (c);

          if (used + w > width)
            break;
          if (c == ' ')
            {
              brk = p;
              resume = g_utf8_next_char (p);
            }
          else if (w == 2 && p > start)
            {
              brk = p;
              resume = p;
            }
          used += w;
          p = g_utf8_next_char (p);
        }

      if (*p == '\0')
        {
          g_ptr_array_add (lines, g_strdup (start));
          start = p;
          break;
        }
      if (brk == NULL || brk == start)
        {
          /* One word longer than the cell: cut it where the cell ends. */
          brk = p;
          resume = p;
        }
      g_ptr_array_add (lines, g_strndup (start, brk - start));
      start = resume;
      while (*start == ' ')
        start++;
    }

  if (*start != '\0')
    {
      /* Out of lines: the last one shows where the text goes on. */
      char *last = g_ptr_array_index (lines, lines->len - 1);
      GString *cut = g_string_new (NULL);
      int used = 0;

      for (const char *p = last; *p != '\0'; p = g_utf8_next_char (p))
        {
          int w = char_width (g_utf8_get_char (p));

          if (used + w > width - 1)
            break;
          used += w;
          g_string_append_unichar (cut, g_utf8_get_char (p));
        }
      g_string_append (cut, "…");
      g_ptr_array_index (lines, lines->len - 1) = g_string_free (cut, FALSE);
      g_free (last);
    }

  if (lines->len == 0)
    g_ptr_array_add (lines, g_strdup (""));

  return lines;
}

static int
terminal_width (void)
{
  const char *columns = g_getenv ("COLUMNS");
  struct winsize size;
  guint64 value;

  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 20, 10000, &value, NULL))
    return (int) value;
  if (isatty (STDOUT_FILENO) && ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20)
    return size.ws_col;
  return COMPARE_DEFAULT_WIDTH;
}

static void
append_rule (GString *out,
             int      n_columns,
             int      cell_width,
             int      diff_width)
{
  g_string_append (out, "  ");
  for (int c = 0; c < n_columns; c++)
    {
      if (c > 0)
        g_string_append (out, "─┼─");
      for (int w = 0; w < cell_width; w++)
        g_string_append (out, "─");
    }
  if (diff_width > 0)
    {
      g_string_append (out, "──");
      for (int w = 0; w < diff_width; w++)
        g_string_append (out, "─");
    }
  g_string_append_c (out, '\n');
}

/* The rows side by side: a gutter marks the rows that differ, a last column says why. */
static void
print_comparison_text (MiniComparison *comparison,
                       const char     *title,
                       MiniDialect   **dialects)
{
  guint n_columns = mini_comparison_get_n_columns (comparison);
  guint n_rows = mini_comparison_get_n_rows (comparison);
  guint n_differing = mini_comparison_get_n_differing (comparison);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  int name_width = 0;
  int diff_width = 0;
  int cell_width;
  int width = terminal_width ();

  g_string_append_printf (out, "%s\n", title);
  for (guint c = 0; c < n_columns; c++)
    name_width = MAX (name_width, text_width (mini_comparison_get_name (comparison, c)));
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *name = mini_dialect_dup_name (dialects[c]);

      g_string_append (out, "  ");
      append_padded (out, mini_comparison_get_name (comparison, c), name_width);
      g_string_append_printf (out, "  %s\n", name);
    }
  g_string_append_c (out, '\n');

  for (guint r = 0; r < n_rows; r++)
    {
      char *label = mini_comparison_dup_diff_label (comparison, r);

      diff_width = MAX (diff_width, text_width (label));
      g_ptr_array_add (labels, label);
    }
  /* The reasons wrap at their commas rather than take room from the events. */
  diff_width = MIN (diff_width,
                    MAX (width / 6, text_width (mini_diff_get_label (MINI_DIFF_MISSING))));

  cell_width = width - 2 - 3 * ((int) n_columns - 1) - (diff_width > 0 ? 2 + diff_width : 0);
  cell_width = MAX (cell_width / (int) n_columns, COMPARE_MIN_CELL);

  g_string_append (out, "  ");
  for (guint c = 0; c < n_columns; c++)
    {
      g_autoptr(GPtrArray) name = wrap_text (mini_comparison_get_name (comparison, c), cell_width);

      if (c > 0)
        g_string_append (out, " │ ");
      append_padded (out, g_ptr_array_index (name, 0), c + 1 < n_columns ? cell_width : 0);
    }
  g_string_append_c (out, '\n');
  append_rule (out, n_columns, cell_width, diff_width);

  for (guint r = 0; r < n_rows; r++)
    {
      g_autoptr(GPtrArray) cells = NULL;
      g_autoptr(GPtrArray) diff = wrap_text (g_ptr_array_index (labels, r), diff_width);
      gboolean differs = mini_comparison_get_diff (comparison, r) != MINI_DIFF_NONE;
      guint height = differs ? diff->len : 1;

      cells = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      for (guint c = 0; c < n_columns; c++)
        {
          g_autofree char *text = mini_comparison_dup_cell_text (comparison, r, c);
          GPtrArray *lines = wrap_text (text != NULL ? text : "—", cell_width);

          height = MAX (height, lines->len);
          g_ptr_array_add (cells, lines);
        }

      for (guint l = 0; l < height; l++)
        {
          gsize line_start = out->len;

          g_string_append (out, l == 0 && differs ? "! " : "  ");
          for (guint c = 0; c < n_columns; c++)
            {
              GPtrArray *lines = g_ptr_array_index (cells, c);

              if (c > 0)
                g_string_append (out, " │ ");
              append_padded (out, l < lines->len ? g_ptr_array_index (lines, l) : "",
                             cell_width);
            }
          if (differs && l < diff->len)
            g_string_append_printf (out, "  %s", (char *) g_ptr_array_index (diff, l));

          /* No trailing blanks: they only get in the way of whoever reads the output back. */
          while (out->len > line_start && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
          g_string_append_c (out, '\n');
        }
    }

  append_rule (out, n_columns, cell_width, diff_width);
  g_string_append_printf (out,
                          /* Translators: the summary of a comparison; "!" marks a row */
                          ngettext ("%u of %u rows differs (marked !)",
                                    "%u of %u rows differ (marked !)", n_differing),
                          n_differing, n_rows);
  g_string_append_c (out, '\n');

  fwrite (out->str, 1, out->len, stdout);
}

static int
cmd_compare (int    argc,
             char **argv)
{
  g_autofree char *dialects_arg = NULL;
  g_autofree char *format = NULL;
  gboolean wire = FALSE;
  GOptionEntry entries[] = {
    { "dialects", 'd', 0, G_OPTION_ARG_STRING, &dialects_arg,
      N_("The dialects to compare, separated by commas, e.g. wx,web"), "ID,ID,…" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: text (default) or jsonl"), "FORMAT" },
    { "wire", 0, 0, G_OPTION_ARG_NONE, &wire,
      N_("Also align the wire events (handshake, frames)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SCENARIO.json");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) dialects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) timelines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MiniScenario) scenario = NULL;
  g_autoptr(MiniPlayground) playground = NULL;
  g_autoptr(MiniComparison) comparison = NULL;
  gboolean jsonl;

  g_option_context_set_summary (context, _("Run a scenario on several dialects and print the "
                                           "timelines side by side, differences marked."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("compare: %s", error->message);
  if (argc != 2)
    return usage_error (_("compare: expected one scenario file, got %d; usage: minisock-cli "
                          "compare SCENARIO.json --dialects ID,ID,… [--format text|jsonl] "
                          "[--wire]"), argc - 1);
  if (format != NULL && !g_str_equal (format, "text") && !g_str_equal (format, "jsonl"))
    return usage_error (_("compare: --format: expected text or jsonl, got \"%s\""), format);
  jsonl = g_strcmp0 (format, "jsonl") == 0;
  if (dialects_arg == NULL)
    return usage_error (_("compare: --dialects is required: the dialects to compare, separated "
                          "by commas, e.g. --dialects wx,web"));

  ids = g_strsplit (dialects_arg, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(MiniDialect) dialect = NULL;

      g_strstrip (ids[i]);
      if (*ids[i] == '\0')
        return usage_error (_("compare: --dialects: empty dialect id in \"%s\""), dialects_arg);
      for (guint j = 0; j < i; j++)
        if (g_str_equal (ids[i], ids[j]))
          return usage_error (_("compare: --dialects: \"%s\" is listed twice"), ids[i]);
      if ((dialect = mini_dialect_load (ids[i], &error)) == NULL)
        return usage_error ("compare: --dialects: %s", error->message);
      g_ptr_array_add (dialects, g_steal_pointer (&dialect));
    }
  if (dialects->len == 0)
    return usage_error (_("compare: --dialects: expected at least two dialects to compare, got "
                          "none"));
  if (dialects->len == 1)
    return usage_error (_("compare: --dialects: expected at least two dialects to compare, got "
                          "only \"%s\""), ids[0]);

  if ((scenario = mini_scenario_new_from_file (argv[1], &error)) == NULL)
    return usage_error ("%s", error->message);

  if (mini_scenario_uses_playground (scenario))
    {
      playground = mini_playground_new ();
      if (!mini_playground_start (playground, NULL, 0, &error))
        {
          g_printerr (_("minisock-cli: cannot start the playground: %s\n"), error->message);
          return EXIT_FAILED;
        }
    }

  /* One run after the other: each has the main loop, and so its timing, to itself. */
  for (guint i = 0; i < dialects->len; i++)
    {
      g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
      g_autoptr(MiniRuntime) runtime = NULL;
      gboolean done = FALSE;

      runtime = mini_scenario_create_runtime (scenario, ids[i], timeline,
                                              playground != NULL
                                              ? mini_playground_get_url (playground) : NULL,
                                              &error);
      if (runtime == NULL)
        return usage_error ("%s (%s)", error->message, ids[i]);

      mini_scenario_run_async (scenario, runtime, NULL, on_compare_run_done, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_ptr_array_add (timelines, g_steal_pointer (&timeline));
    }

  if (playground != NULL)
    mini_playground_stop (playground);

  comparison = mini_comparison_new ((MiniTimeline * const *) timelines->pdata,
                                    (const char * const *) ids, timelines->len,
                                    wire ? MINI_COMPARISON_WIRE : MINI_COMPARISON_DEFAULT);

  if (jsonl)
    {
      for (guint r = 0; r < mini_comparison_get_n_rows (comparison); r++)
        {
          g_autofree char *line = mini_comparison_row_to_jsonl (comparison, r);

          g_print ("%s\n", line);
        }
    }
  else
    {
      g_autofree char *title = mini_scenario_dup_title (scenario);

      print_comparison_text (comparison, title != NULL ? title : argv[1],
                             (MiniDialect **) dialects->pdata);
    }

  return EXIT_OK;
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autofree char *host = NULL;
  int port = 0;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port to listen on (default: any free port)"), "N" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("Address to listen on (default: 127.0.0.1)"), "ADDR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniPlayground) playground = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  g_option_context_set_summary (context, _("Run the playground WebSocket server alone."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("serve: %s", error->message);
  if (argc != 1)
    return usage_error (_("serve: unexpected argument \"%s\""), argv[1]);
  if (port < 0 || port > 65535)
    return usage_error (_("serve: --port: expected 0–65535, got %d"), port);

  if (host != NULL)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      if (address == NULL)
        return usage_error (_("serve: --host: expected an IP address such as 127.0.0.1, "
                               "got \"%s\""), host);
      if (!g_inet_address_get_is_loopback (address))
        g_printerr (_("minisock-cli: warning: the playground will accept connections from other "
                      "machines on %s; it has no authentication\n"), host);
    }

  /* Whoever reads the URL may stop us right away: the handlers must be in place before it is
   * printed, or SIGTERM would kill the process instead of ending it cleanly. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);

  playground = mini_playground_new ();
  if (!mini_playground_start (playground, host, (guint) port, &error))
    {
      g_printerr ("minisock-cli: serve: %s\n", error->message);
      return EXIT_FAILED;
    }

  g_print (_("Playground listening on %s\n"), mini_playground_get_url (playground));
  g_print (_("Routes: /echo, /headers; queries: delay_open_ms, status, protocol, close_after "
             "(code, reason), drop_after, push_every_ms, flood (size), silent\n"));
  g_print (_("Press Ctrl+C to stop.\n"));
  fflush (stdout);

  g_main_loop_run (loop);
  mini_playground_stop (playground);

  return EXIT_OK;
}

static void
print_value (JsonNode *value,
             GString  *out)
{
  g_autofree char *text = json_to_string (value, FALSE);
  g_string_append (out, text);
}

static int
cmd_dialects (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every dialect with every rule as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_auto(GStrv) ids = mini_dialect_list_ids ();

  g_option_context_set_summary (context, _("List the dialects and every rule's value."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("dialects: %s", error->message);
  if (argc != 1)
    return usage_error (_("dialects: unexpected argument \"%s\""), argv[1]);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(MiniDialect) dialect = mini_dialect_load (ids[i], &error);

      if (dialect == NULL)
        {
          g_printerr ("minisock-cli: %s\n", error->message);
          return EXIT_FAILED;
        }

      if (json)
        json_array_add_element (array, mini_dialect_to_json (dialect));
      else
        {
          JsonArray *rules = mini_dialect_schema_get_rules ();
          g_autofree char *name = mini_dialect_dup_name (dialect);

          g_print ("%s%s — %s\n", i > 0 ? "\n" : "", ids[i], name);
          for (guint r = 0; r < json_array_get_length (rules); r++)
            {
              const char *rule = json_object_get_string_member (json_array_get_object_element (rules, r), "id");
              g_autoptr(GString) value = g_string_new (NULL);

              print_value (mini_dialect_get_value (dialect, rule), value);
              g_print ("  %-28s %s%s\n", rule, value->str,
                       mini_dialect_is_unverified (dialect, rule) ? _("  (unverified)") : "");
            }
        }
    }

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_init_array (json_node_alloc (), array);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }

  return EXIT_OK;
}

static void
print_usage (FILE *stream)
{
  fputs (_("Usage: minisock-cli COMMAND [OPTIONS]\n"
           "\n"
           "Commands:\n"
           "  run SCENARIO.json [--dialect ID] [--format text|jsonl|har] [--output FILE]\n"
           "      run a scenario, print its timeline or write its HAR\n"
           "  replay FILE.har [--url URL] [--dialect ID] [--format text|jsonl|har]\n"
           "      replay the messages a HAR sent, with their timing, print the new timeline\n"
           "  compare SCENARIO.json --dialects ID,ID,… [--format text|jsonl] [--wire]\n"
           "      run a scenario on several dialects, print the timelines side by side\n"
           "  serve [--port N] [--host ADDR]\n"
           "      run the playground server alone\n"
           "  dialects [--json]\n"
           "      list dialects and their rules\n"
           "\n"
           "Run 'minisock-cli COMMAND --help' for a command's options.\n"), stream);
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, mini_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") || g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }
  if (g_str_equal (command, "--version"))
    {
      g_print ("minisock-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (g_str_equal (command, "run"))
    return cmd_run (argc - 1, argv + 1);
  if (g_str_equal (command, "replay"))
    return cmd_replay (argc - 1, argv + 1);
  if (g_str_equal (command, "compare"))
    return cmd_compare (argc - 1, argv + 1);
  if (g_str_equal (command, "serve"))
    return cmd_serve (argc - 1, argv + 1);
  if (g_str_equal (command, "dialects"))
    return cmd_dialects (argc - 1, argv + 1);

  g_printerr (_("minisock-cli: unknown command \"%s\"\n\n"), command);
  print_usage (stderr);
  return EXIT_USAGE;
}
