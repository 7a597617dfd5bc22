/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>
#include <glib/gi18n.h>

#include "mini-app-resources.h"
#include "mini-app-util.h"

/* How far the inspector looks around an event for the rule that decided it, so that a selection
 * stays instant in a timeline of a million events. */
#define QUIRK_WINDOW 256
#define WIRE_WINDOW  100000

/* The templates live in a static library: naming their resource here keeps the linker from
 * dropping it, and with it the constructor that registers it. */
void
mini_app_ensure_resources (void)
{
  (void) mini_app_get_resource ();
}

/* gtk_widget_dispose_template() unparents the bound children only; a template's unnamed root
 * box is left to the widget. */
void
mini_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/**
 * mini_format_hex_dump:
 * @max_len: how many bytes to show at most; the rest is counted
 *
 * Returns: (transfer full): offset, 16 bytes in hex and the same bytes as ASCII, per line
 */
char *
mini_format_hex_dump (const guint8 *data,
                      gsize         len,
                      gsize         max_len)
{
  GString *out = g_string_new (NULL);
  gsize shown = MIN (len, max_len);

  for (gsize line = 0; line < shown; line += 16)
    {
      g_string_append_printf (out, "%08" G_GSIZE_MODIFIER "x  ", line);
      for (gsize i = line; i < line + 16; i++)
        {
          if (i < shown)
            g_string_append_printf (out, "%02x ", data[i]);
          else
            g_string_append (out, "   ");
          if (i == line + 7)
            g_string_append_c (out, ' ');
        }
      g_string_append (out, " |");
      for (gsize i = line; i < line + 16 && i < shown; i++)
        g_string_append_c (out, g_ascii_isprint (data[i]) ? (char) data[i] : '.');
      g_string_append (out, "|\n");
    }

  if (shown < len)
    {
      g_autofree char *more = g_strdup_printf ("%" G_GSIZE_FORMAT, len - shown);

      /* Translators: after a truncated hex dump; %s is a number of bytes */
      g_string_append_printf (out, _("… %s more bytes"), more);
    }

  return g_string_free (out, FALSE);
}

char *
mini_format_ms (double ms)
{
  return g_strdup_printf ("%.3f", ms);
}

/* The shortest text that reads back as @value: 2781.091, not 2781.0909999999999. */
char *
mini_format_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  return g_strdup (buffer);
}

static void
newline (GString *out,
         guint    depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/**
 * mini_json_pretty:
 * @json: compact JSON, such as a JSON Lines record
 *
 * Indents JSON without reading its numbers back: the timeline's "t": 2781.091 stays as written.
 *
 * Returns: (transfer full): the same JSON, one member per line
 */
char *
mini_json_pretty (const char *json)
{
  GString *out = g_string_new (NULL);
  gboolean in_string = FALSE;
  guint depth = 0;

  for (const char *p = json; *p != '\0'; p++)
    {
      if (in_string)
        {
          g_string_append_c (out, *p);
          if (*p == '\\' && p[1] != '\0')
            g_string_append_c (out, *++p);
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }

      switch (*p)
        {
        case '"':
          in_string = TRUE;
          g_string_append_c (out, *p);
          break;

        case '{':
        case '[':
          {
            const char *next = p + 1;

            while (g_ascii_isspace (*next))
              next++;
            g_string_append_c (out, *p);
            if (*next == (*p == '{' ? '}' : ']'))
              {
                g_string_append_c (out, *next);
                p = next;
              }
            else
              newline (out, ++depth);
          }
          break;

        case '}':
        case ']':
          newline (out, depth > 0 ? --depth : 0);
          g_string_append_c (out, *p);
          break;

        case ',':
          g_string_append_c (out, ',');
          newline (out, depth);
          break;

        case ':':
          g_string_append (out, ": ");
          break;

        default:
          if (!g_ascii_isspace (*p))
            g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_callback_kind (MiniEventKind kind)
{
  return kind == MINI_EVENT_RETURN || kind == MINI_EVENT_SUCCESS || kind == MINI_EVENT_FAIL
         || kind == MINI_EVENT_COMPLETE || kind == MINI_EVENT_RESOLVE
         || kind == MINI_EVENT_REJECT;
}

static void
collect_call_group (MiniTimeline *timeline,
                    guint         call,
                    GArray       *quirks)
{
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = call + 1; i < n && i <= call + QUIRK_WINDOW; i++)
    {
      MiniEventView view;

      mini_timeline_get_event (timeline, i, &view);
      if (view.kind == MINI_EVENT_CALL)
        break;
      if (view.kind == MINI_EVENT_QUIRK)
        g_array_append_val (quirks, i);
    }
}

/**
 * mini_timeline_find_quirks:
 *
 * The runtime records a `quirk` event beside the events a platform rule decided. This finds the
 * ones beside @position: for a call, its return and callbacks, those recorded while the call
 * ran; for a platform event or a wire event, the run of quirks of the same task just before it
 * (across the error, close and wire events it came with) and just after it.
 *
 * Returns: (transfer full) (element-type guint): positions of quirk events, in order
 */
GArray *
mini_timeline_find_quirks (MiniTimeline *timeline,
                           guint         position)
{
  GArray *quirks = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = mini_timeline_get_n_events (timeline);
  MiniEventView event;

  if (!mini_timeline_get_event (timeline, position, &event))
    return quirks;

  if (event.kind == MINI_EVENT_QUIRK)
    {
      g_array_append_val (quirks, position);
      return quirks;
    }

  if (event.kind == MINI_EVENT_CALL)
    {
      collect_call_group (timeline, position, quirks);
      return quirks;
    }

  if (is_callback_kind (event.kind) && event.api != NULL)
    {
      /* Back to the call these answer; its quirks are theirs. */
      for (guint i = position; i-- > 0 && position - i <= QUIRK_WINDOW;)
        {
          MiniEventView view;

          mini_timeline_get_event (timeline, i, &view);
          if (view.kind == MINI_EVENT_CALL && g_strcmp0 (view.api, event.api) == 0)
            {
              collect_call_group (timeline, i, quirks);
              break;
            }
        }
      return quirks;
    }

  for (guint i = position; i-- > 0 && position - i <= QUIRK_WINDOW;)
    {
      MiniEventView view;

      mini_timeline_get_event (timeline, i, &view);
      if (view.task != event.task)
        continue;
      if (view.kind == MINI_EVENT_QUIRK)
        g_array_prepend_val (quirks, i);
      else if (view.kind != MINI_EVENT_WIRE && view.kind != MINI_EVENT_ERROR
               && view.kind != MINI_EVENT_CLOSE)
        break;
    }

  for (guint i = position + 1; i < n && i <= position + QUIRK_WINDOW; i++)
    {
      MiniEventView view;

      mini_timeline_get_event (timeline, i, &view);
      if (view.kind != MINI_EVENT_QUIRK || view.task != event.task)
        break;
      g_array_append_val (quirks, i);
    }

  return quirks;
}

static gboolean
is_wire (MiniTimeline *timeline,
         guint         position,
         guint         task,
         const char   *wire)
{
  MiniEventView view;

  mini_timeline_get_event (timeline, position, &view);

  return view.kind == MINI_EVENT_WIRE && view.task == task && view.extra != NULL
         && g_strcmp0 (json_object_get_string_member_with_default (view.extra, "wire", NULL),
                       wire) == 0;
}

/**
 * mini_timeline_find_wire:
 * @wire: the wire event's "wire" member, e.g. "handshake-request"
 * @near: where to start looking: backwards first, then forwards
 *
 * Returns: whether @task has such an event near @near
 */
gboolean
mini_timeline_find_wire (MiniTimeline *timeline,
                         guint         task,
                         const char   *wire,
                         guint         near,
                         guint        *position)
{
  guint n = mini_timeline_get_n_events (timeline);

  if (task == 0 || n == 0)
    return FALSE;

  near = MIN (near, n - 1);
  for (guint i = near + 1; i-- > 0 && near - i <= WIRE_WINDOW;)
    {
      if (is_wire (timeline, i, task, wire))
        {
          *position = i;
          return TRUE;
        }
    }
  for (guint i = near + 1; i < n && i - near <= WIRE_WINDOW; i++)
    {
      if (is_wire (timeline, i, task, wire))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * mini_gl_dup_renderer_name:
 *
 * Makes a GL context on @display, as GTK's GL renderer would, and asks it what draws.
 *
 * Returns: (transfer full): GL_RENDERER, such as "llvmpipe (LLVM 15.0.6, 256 bits)", or %NULL
 *   with @error set when the display has no GL
 */
char *
mini_gl_dup_renderer_name (GdkDisplay  *display,
                           GError     **error)
{
  g_autoptr(GdkGLContext) context = gdk_display_create_gl_context (display, error);
  const char *name;
  char *result;

  if (context == NULL || !gdk_gl_context_realize (context, error))
    return NULL;

  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  result = g_strdup (name != NULL ? name : "");
  gdk_gl_context_clear_current ();

  return result;
}

/* Mesa's rasterizers that run on the CPU, as they name themselves in GL_RENDERER. */
gboolean
mini_gl_renderer_is_software (const char *name)
{
  static const char * const software[] = {
    "llvmpipe", "softpipe", "Software Rasterizer", "swrast",
  };

  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (name, software[i]) != NULL)
      return TRUE;

  return FALSE;
}

/**
 * mini_app_choose_renderer:
 *
 * Where GL is drawn in software (Xvfb, most virtual machines and remote desktops), GTK 4.8's GL
 * renderer spends about 45 ms of CPU on a frame of the event table, cairo about 3: under a busy
 * socket the window painted about 20 frames a second instead of 50 to 60. There, windows are
 * drawn by cairo.
 *
 * GTK reads GSK_RENDERER once, when it makes the first window's renderer, so this runs before any
 * window is realized. setenv is not thread-safe: this runs at startup, before the playground's
 * and I/O threads exist (GDBus's worker thread may). A GSK_RENDERER set by the user is theirs,
 * and left alone.
 *
 * Returns: "cairo" when it chose cairo, else %NULL: GTK chooses
 */
const char *
mini_app_choose_renderer (GdkDisplay *display)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return NULL;

  name = mini_gl_dup_renderer_name (display, &error);
  if (name == NULL)
    {
      g_debug ("No GL (%s): GTK chooses the renderer", error->message);
      return NULL;
    }
  if (!mini_gl_renderer_is_software (name))
    {
      g_debug ("GL runs on %s: GTK chooses the renderer", name);
      return NULL;
    }

  g_debug ("GL runs in software (%s): windows are drawn by cairo", name);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);

  return "cairo";
}
