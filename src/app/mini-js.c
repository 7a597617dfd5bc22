/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-js"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mini-js.h"
#include "mini-runtime.h"
#include "mini-util.h"

const char * const mini_js_listeners[] = { "onOpen", "onMessage", "onError", "onClose", NULL };

/* ---- writing ------------------------------------------------------------------------------ */

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (*name) || *name == '_' || *name == '$'))
    return FALSE;

  for (const char *p = name + 1; *p != '\0'; p++)
    {
      if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '$'))
        return FALSE;
    }

  return TRUE;
}

static void
append_string (GString    *out,
               const char *str)
{
  g_string_append_c (out, '\'');
  for (const char *p = str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\'':
          g_string_append (out, "\\'");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\x%02x", (guchar) *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '\'');
}

static void
append_key (GString    *out,
            const char *key)
{
  if (is_identifier (key))
    g_string_append (out, key);
  else
    append_string (out, key);
}

static void
append_indent (GString *out,
               guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* Starts the next member of an object literal written one member a line. */
static void
begin_member (GString  *out,
              gboolean *first)
{
  g_string_append (out, *first ? "\n" : ",\n");
  *first = FALSE;
  append_indent (out, 1);
}

static void append_value (GString  *out,
                          JsonNode *node,
                          guint     depth);

static void
append_object (GString    *out,
               JsonObject *object,
               guint       depth)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  gboolean first = TRUE;

  if (json_object_get_size (object) == 0)
    {
      g_string_append (out, "{}");
      return;
    }

  g_string_append (out, "{\n");
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    {
      if (!first)
        g_string_append (out, ",\n");
      first = FALSE;
      append_indent (out, depth + 1);
      append_key (out, member);
      g_string_append (out, ": ");
      append_value (out, node, depth + 1);
    }
  g_string_append_c (out, '\n');
  append_indent (out, depth);
  g_string_append_c (out, '}');
}

static void
append_value (GString  *out,
              JsonNode *node,
              guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), depth);
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            append_value (out, json_array_get_element (array, i), depth);
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        append_string (out, json_node_get_string (node));
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }
    }
}

/* The arguments of a call whose second one may be left out: @first, or @missing without it, then
 * ", @second" when there is one. */
static void
append_two_args (GString    *out,
                 JsonNode   *first,
                 const char *missing,
                 JsonNode   *second)
{
  if (first != NULL)
    append_value (out, first, 0);
  else
    g_string_append (out, missing);
  if (second != NULL)
    {
      g_string_append (out, ", ");
      append_value (out, second, 0);
    }
}

static gboolean
is_callback (const char *member)
{
  return g_str_equal (member, "success") || g_str_equal (member, "fail")
         || g_str_equal (member, "complete");
}

static gboolean
passed (JsonObject *args,
        const char *member)
{
  return json_object_get_boolean_member_with_default (args, member, FALSE);
}

/* The name the call's result gets, by what the platform returns; NULL when it returns nothing. */
static const char *
result_name (MiniDialect *dialect,
             JsonObject  *args)
{
  const char *returns = mini_dialect_get_string (dialect, "returns");

  if (g_str_equal (returns, "PromiseUnlessCallback"))
    returns = passed (args, "success") || passed (args, "fail") || passed (args, "complete")
              ? "SocketTask" : "Promise";
  else if (g_str_equal (returns, "TaskIfMultiple"))
    returns = passed (args, "multiple") ? "SocketTask" : "undefined";

  if (g_str_equal (returns, "Promise"))
    return "promise";
  if (g_str_equal (returns, "undefined"))
    return NULL;

  return "task";
}

/**
 * mini_js_returns_task:
 *
 * Returns: whether the call hands back a task to register listeners on; otherwise they are
 *   the global onSocket* ones
 */
gboolean
mini_js_returns_task (MiniDialect *dialect,
                      JsonObject  *args)
{
  g_return_val_if_fail (MINI_IS_DIALECT (dialect), FALSE);
  g_return_val_if_fail (args != NULL, FALSE);

  return g_strcmp0 (result_name (dialect, args), "task") == 0;
}

static void
append_listeners (GString            *out,
                  MiniDialect        *dialect,
                  JsonObject         *args,
                  const char * const *listeners)
{
  const char *prefix = mini_dialect_get_prefix (dialect);

  for (guint i = 0; listeners != NULL && listeners[i] != NULL; i++)
    {
      const char *name = listeners[i];

      if (*prefix == '\0')
        {
          g_autofree char *lower = g_ascii_strdown (name, -1);
          g_string_append_printf (out, "socket.%s = (event) => {}\n", lower);
        }
      else if (mini_js_returns_task (dialect, args))
        g_string_append_printf (out, "task.%s((res) => {})\n", name);
      else
        g_string_append_printf (out, "%s.onSocket%s((res) => {})\n", prefix, name + 2);
    }
}

/**
 * mini_js_format_connect:
 * @listeners: (nullable): names from mini_js_listeners, registered after the call
 *
 * Returns: (transfer full): the call as a mini-program would write it, e.g.
 *   `const task = wx.connectSocket({ url: '…', success (res) {} })`; a platform without a
 *   prefix is the browser's `new WebSocket(url, protocols)`
 */
char *
mini_js_format_connect (MiniDialect        *dialect,
                        JsonObject         *args,
                        const char * const *listeners)
{
  const char *prefix = mini_dialect_get_prefix (dialect);
  GString *out = g_string_new (NULL);
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  const char *name;
  gboolean first = TRUE;

  if (*prefix == '\0')
    {
      JsonNode *url = json_object_get_member (args, "url");
      JsonNode *protocols = json_object_get_member (args, "protocols");

      g_string_append (out, "const socket = new WebSocket(");
      append_two_args (out, url, "''", protocols);
      g_string_append (out, ")\n");
      append_listeners (out, dialect, args, listeners);
      return g_string_free (out, FALSE);
    }

  if ((name = result_name (dialect, args)) != NULL)
    g_string_append_printf (out, "const %s = ", name);
  g_string_append_printf (out, "%s.connectSocket({", prefix);

  json_object_iter_init_ordered (&iter, args);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    {
      if (is_callback (member))
        continue;
      begin_member (out, &first);
      append_key (out, member);
      g_string_append (out, ": ");
      append_value (out, node, 1);
    }

  /* Callbacks last, as methods: the usual way to write them, and what the parser reads back. */
  for (guint i = 0; i < 3; i++)
    {
      static const char * const callbacks[] = { "success", "fail", "complete" };
      static const char * const params[] = { "res", "err", "" };

      if (!passed (args, callbacks[i]))
        continue;
      begin_member (out, &first);
      g_string_append_printf (out, "%s (%s) {}", callbacks[i], params[i]);
    }

  g_string_append (out, first ? "})\n" : "\n})\n");
  append_listeners (out, dialect, args, listeners);

  return g_string_free (out, FALSE);
}

/* ---- a whole session ----------------------------------------------------------------------- */

/* One API call of the session, with its time from the first call. */
typedef struct {
  gint64      at;
  const char *api;
  guint       task;
  JsonObject *args;       /* borrowed from the timeline; NULL for none */
} SessionCall;

typedef struct {
  MiniDialect *dialect;
  const char  *prefix;
  const char  *playground_url;
  gboolean     web;
  GHashTable  *handles;   /* task id → "task1", "socket1", or "" when the code has none */
} SessionWriter;

/* The composer's `{playground}` is written as the address it stands for, so the code runs. */
static void
append_url (GString       *out,
            const char    *playground_url,
            JsonNode      *node)
{
  const char *url = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                    ? json_node_get_string (node) : NULL;

  if (url != NULL && playground_url != NULL && g_str_has_prefix (url, "{playground}"))
    {
      g_autofree char *expanded = g_strconcat (playground_url, url + strlen ("{playground}"),
                                               NULL);
      append_string (out, expanded);
    }
  else
    append_value (out, node, 1);
}

static void
append_lines (GString    *out,
              const char *text,
              guint       depth)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      if (lines[i][0] != '\0')
        append_indent (out, depth);
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
}

/* Bytes as the platform's send takes them: an ArrayBuffer, or base64 marked isBuffer (Alipay). */
static void
append_binary (GString     *out,
               MiniDialect *dialect,
               GBytes      *bytes,
               gboolean    *is_buffer)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (mini_dialect_is (dialect, "binary", "base64"))
    {
      g_autofree char *encoded = g_base64_encode (data, len);

      append_string (out, encoded);
      *is_buffer = TRUE;
      return;
    }

  g_string_append (out, "new Uint8Array([");
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, i > 0 ? ", %u" : "%u", data[i]);
  g_string_append (out, "]).buffer");
}

/* A send's data: text stays a string, {"base64"} and {"hex"} become the platform's binary. */
static void
append_data (GString     *out,
             MiniDialect *dialect,
             JsonNode    *node,
             gboolean    *is_buffer)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(GBytes) bytes = NULL;

  *is_buffer = FALSE;
  if (object != NULL && json_object_get_size (object) == 1)
    {
      JsonNode *base64 = json_object_get_member (object, "base64");
      JsonNode *hex = json_object_get_member (object, "hex");
      JsonNode *text = base64 != NULL ? base64 : hex;

      if (text != NULL && JSON_NODE_HOLDS_VALUE (text)
          && json_node_get_value_type (text) == G_TYPE_STRING)
        bytes = base64 != NULL ? mini_decode_base64 (json_node_get_string (text), NULL)
                               : mini_decode_hex (json_node_get_string (text), NULL);
    }

  if (bytes != NULL)
    append_binary (out, dialect, bytes, is_buffer);
  else
    append_value (out, node, 1);
}

/* The options object of a call, callbacks written as methods that log what they receive. */
static void
append_options (GString       *out,
                SessionWriter *writer,
                const char    *api,
                JsonObject    *args)
{
  MiniDialect *dialect = writer->dialect;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  gboolean first = TRUE;
  gboolean is_buffer = FALSE;

  g_string_append_c (out, '{');
  json_object_iter_init_ordered (&iter, args);
  while (json_object_iter_next_ordered (&iter, &member, &node))
    {
      if (is_callback (member))
        continue;
      /* Written again below from the data, which decides it. */
      if (g_str_equal (member, "isBuffer") && mini_dialect_is (dialect, "binary", "base64"))
        continue;
      begin_member (out, &first);
      append_key (out, member);
      g_string_append (out, ": ");
      if (g_str_equal (member, "data"))
        {
          append_data (out, dialect, node, &is_buffer);
          is_buffer = is_buffer || passed (args, "isBuffer");
        }
      else if (g_str_equal (member, "url"))
        append_url (out, writer->playground_url, node);
      else
        append_value (out, node, 1);
    }
  if (is_buffer)
    {
      begin_member (out, &first);
      g_string_append (out, "isBuffer: true");
    }

  for (guint i = 0; i < 3; i++)
    {
      static const char * const callbacks[] = { "success", "fail", "complete" };
      static const char * const params[] = { "res", "err", "res" };

      if (!passed (args, callbacks[i]))
        continue;
      begin_member (out, &first);
      g_string_append_printf (out, "%s (%s) { console.log('%s %s', %s) }",
                              callbacks[i], params[i], api, callbacks[i], params[i]);
    }

  g_string_append (out, first ? "}" : "\n}");
}

static const char *
handle_of (SessionWriter *writer,
           guint          task)
{
  return g_hash_table_lookup (writer->handles, GUINT_TO_POINTER (task));
}

static void
append_connect (GString       *out,
                SessionWriter *writer,
                SessionCall   *call,
                gboolean       declared,
                const char    *then_body)
{
  JsonObject *args = call->args;
  const char *handle = handle_of (writer, call->task);
  gboolean named = handle != NULL && *handle != '\0';

  if (writer->web)
    {
      JsonNode *url = args != NULL ? json_object_get_member (args, "url") : NULL;
      JsonNode *protocols = args != NULL ? json_object_get_member (args, "protocols") : NULL;

      if (named)
        g_string_append_printf (out, declared ? "%s = " : "const %s = ", handle);
      g_string_append (out, "new WebSocket(");
      if (url != NULL)
        append_url (out, writer->playground_url, url);
      else
        g_string_append (out, "''");
      if (protocols != NULL)
        {
          g_string_append (out, ", ");
          append_value (out, protocols, 0);
        }
      g_string_append (out, ")\n");
      return;
    }

  if (args == NULL)
    {
      g_string_append_printf (out, "%s.connectSocket()\n", writer->prefix);
      return;
    }

  /* A Promise that resolves with the task: the handle is only known once it settles. */
  if (g_strcmp0 (result_name (writer->dialect, args), "promise") == 0)
    {
      g_string_append_printf (out, "%s.connectSocket(", writer->prefix);
      append_options (out, writer, "connectSocket", args);
      if (named)
        {
          g_string_append_printf (out, ").then((task) => {\n  %s = task\n", handle);
          append_lines (out, then_body != NULL ? then_body : "", 1);
          g_string_append (out, "})\n");
        }
      else
        g_string_append (out, ").then((res) => console.log('connectSocket resolve', res),\n"
                              "  (err) => console.log('connectSocket reject', err))\n");
      return;
    }

  if (named)
    g_string_append_printf (out, declared ? "%s = " : "const %s = ", handle);
  g_string_append_printf (out, "%s.connectSocket(", writer->prefix);
  append_options (out, writer, "connectSocket", args);
  g_string_append (out, ")\n");
}

/* SocketTask.onOpen and the others; a browser's WebSocket has onopen and its kin. */
static void
append_task_listener (GString       *out,
                      SessionWriter *writer,
                      const char    *handle,
                      const char    *listener)
{
  if (writer->web)
    {
      g_autofree char *lower = g_ascii_strdown (listener + 2, -1);

      g_string_append_printf (out, "%s.on%s = (event) => console.log('%s %s', event)\n",
                              handle, lower, handle, lower);
    }
  else
    g_string_append_printf (out, "%s.%s((res) => console.log('%s %s', res))\n",
                            handle, listener, handle, listener);
}

static void
append_task_method (GString       *out,
                    SessionWriter *writer,
                    const char    *handle,
                    const char    *method,
                    JsonObject    *args)
{
  if (writer->web)
    {
      JsonNode *data = args != NULL ? json_object_get_member (args, "data") : NULL;
      JsonNode *code = args != NULL ? json_object_get_member (args, "code") : NULL;
      JsonNode *reason = args != NULL ? json_object_get_member (args, "reason") : NULL;
      gboolean is_buffer;

      g_string_append_printf (out, "%s.%s(", handle, method);
      if (g_str_equal (method, "send") && data != NULL)
        append_data (out, writer->dialect, data, &is_buffer);
      else if (g_str_equal (method, "close") && (code != NULL || reason != NULL))
        append_two_args (out, code, "undefined", reason);
      g_string_append (out, ")\n");
      return;
    }

  g_string_append_printf (out, "%s.%s(", handle, method);
  if (args != NULL)
    {
      g_autofree char *api = g_strconcat ("SocketTask.", method, NULL);
      append_options (out, writer, api, args);
    }
  g_string_append (out, ")\n");
}

static void
append_call (GString       *out,
             SessionWriter *writer,
             SessionCall   *call,
             gboolean       declared)
{
  const char *api = call->api;

  if (g_str_equal (api, "connectSocket"))
    {
      append_connect (out, writer, call, declared, NULL);
      return;
    }

  if (g_str_has_prefix (api, "SocketTask."))
    {
      const char *method = api + strlen ("SocketTask.");
      const char *handle = handle_of (writer, call->task);

      if (handle == NULL || *handle == '\0')
        {
          /* Translators: a comment in generated JavaScript; %s is an API such as
           * SocketTask.send, %u a task number */
          g_autofree char *text = g_strdup_printf (_("%s on task %u: this call returned no "
                                                     "SocketTask to call it on"), api, call->task);
          g_string_append_printf (out, "// %s\n", text);
        }
      else if (g_str_has_prefix (method, "on"))
        append_task_listener (out, writer, handle, method);
      else
        append_task_method (out, writer, handle, method, call->args);
      return;
    }

  if (g_str_has_prefix (api, "app.") || g_str_has_prefix (api, "network."))
    {
      static const char * const envs[][2] = {
        { "app.hide", N_("The app goes to the background here.") },
        { "app.show", N_("The app comes back to the foreground here.") },
        { "network.off", N_("The network goes off here.") },
        { "network.on", N_("The network comes back here.") },
      };

      for (guint i = 0; i < G_N_ELEMENTS (envs); i++)
        {
          if (g_str_equal (api, envs[i][0]))
            g_string_append_printf (out, "// %s: %s\n", api, _(envs[i][1]));
        }
      return;
    }

  /* The legacy globals: onSocketOpen…, sendSocketMessage, closeSocket. */
  if (writer->web)
    {
      /* Translators: a comment in generated JavaScript; %s is an API such as closeSocket */
      g_autofree char *text = g_strdup_printf (_("%s: the browser has no such global; the "
                                                 "simulated call threw a TypeError"), api);
      g_string_append_printf (out, "// %s\n", text);
    }
  else if (g_str_has_prefix (api, "onSocket"))
    g_string_append_printf (out, "%s.%s((res) => console.log('%s', res))\n",
                            writer->prefix, api, api);
  else
    {
      g_string_append_printf (out, "%s.%s(", writer->prefix, api);
      if (call->args != NULL)
        append_options (out, writer, api, call->args);
      g_string_append (out, ")\n");
    }
}

/* The task a connectSocket call made: the one its return names (0 when it was refused). */
static guint
connect_task (MiniTimeline *timeline,
              guint         position)
{
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = position + 1; i < n; i++)
    {
      MiniEventView view;

      if (!mini_timeline_get_event (timeline, i, &view))
        continue;
      if (view.kind == MINI_EVENT_RETURN && g_strcmp0 (view.api, "connectSocket") == 0)
        return view.task;
      if (view.kind == MINI_EVENT_CALL && mini_runtime_is_api (view.api))
        break;
    }

  return 0;
}

/**
 * mini_js_format_session:
 * @dialect: the platform the session ran on
 * @timeline: the session's timeline
 * @playground_url: (nullable): the address `{playground}` stands for
 *
 * Writes what the user did in the session as the platform's JavaScript, so that it runs in a
 * mini-program page (or a browser for `web`): every API call of @timeline in order, the calls
 * of one turn together and the later ones in setTimeout() at their time from the first call.
 * Callbacks and listeners log what they receive.
 *
 * Returns: (transfer full) (nullable): the code; %NULL when the timeline has no API call
 */
char *
mini_js_format_session (MiniDialect  *dialect,
                        MiniTimeline *timeline,
                        const char   *playground_url)
{
  g_autoptr(GArray) calls = g_array_new (FALSE, TRUE, sizeof (SessionCall));
  g_autoptr(GHashTable) handles = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GPtrArray) late = g_ptr_array_new ();
  g_autofree char *name = NULL;
  SessionWriter writer = { dialect, mini_dialect_get_prefix (dialect), playground_url, FALSE,
                           handles };
  GString *out;
  gboolean same_turn = FALSE;
  gint64 last_at = 0;
  gint64 first_at = 0;

  g_return_val_if_fail (MINI_IS_DIALECT (dialect), NULL);
  g_return_val_if_fail (MINI_IS_TIMELINE (timeline), NULL);

  writer.web = *writer.prefix == '\0';

  /* The times as a recording keeps them (mini_scenario_build_from_timeline): the calls of one
   * turn of the page's code share the time of the first. */
  for (guint i = 0; i < mini_timeline_get_n_events (timeline); i++)
    {
      MiniEventView view;
      SessionCall call = { 0, };
      JsonNode *args;

      if (!mini_timeline_get_event (timeline, i, &view))
        continue;
      if (view.kind != MINI_EVENT_CALL)
        {
          if (view.kind != MINI_EVENT_RETURN && view.kind != MINI_EVENT_QUIRK)
            same_turn = FALSE;
          continue;
        }
      if (!mini_runtime_is_api (view.api))
        continue;

      call.at = calls->len > 0 && same_turn ? last_at : MAX ((view.t_us + 999) / 1000, last_at);
      if (calls->len == 0)
        first_at = call.at;
      last_at = call.at;
      same_turn = TRUE;
      call.api = view.api;
      call.task = view.task;
      args = view.extra != NULL ? json_object_get_member (view.extra, "args") : NULL;
      if (args != NULL && JSON_NODE_HOLDS_OBJECT (args))
        call.args = json_node_get_object (args);

      if (g_str_equal (view.api, "connectSocket"))
        {
          const char *kind = writer.web ? "socket" : NULL;

          call.task = connect_task (timeline, i);
          if (kind == NULL && call.args != NULL)
            {
              const char *result = result_name (dialect, call.args);

              if (g_strcmp0 (result, "task") == 0
                  || (g_strcmp0 (result, "promise") == 0
                      && mini_dialect_is (dialect, "promiseResolves", "SocketTask")))
                kind = "task";
            }
          if (call.task != 0)
            g_hash_table_insert (handles, GUINT_TO_POINTER (call.task),
                                 kind != NULL ? g_strdup_printf ("%s%u", kind, call.task)
                                              : g_strdup (""));
          /* A handle made later, or only when a Promise settles, is declared up front. */
          if (kind != NULL && call.task != 0
              && (call.at != first_at || (call.args != NULL
                                          && g_strcmp0 (result_name (dialect, call.args),
                                                        "promise") == 0)))
            g_ptr_array_add (late, GUINT_TO_POINTER (call.task));
        }
      g_array_append_val (calls, call);
    }

  if (calls->len == 0)
    return NULL;

  out = g_string_new (NULL);
  name = mini_dialect_dup_name (dialect);
  g_string_append_printf (out, "// %s\n", name);
  g_string_append_printf (out, "// %s\n",
                          /* Translators: a comment in generated JavaScript */
                          _("The session recorded in Minisock: each call at its time, in ms "
                            "from the first."));
  for (guint i = 0; i < late->len; i++)
    g_string_append_printf (out, i == 0 ? "let %s" : ", %s",
                            (const char *) handle_of (&writer,
                                                      GPOINTER_TO_UINT (late->pdata[i])));
  if (late->len > 0)
    g_string_append_c (out, '\n');

  for (guint i = 0; i < calls->len;)
    {
      SessionCall *first = &g_array_index (calls, SessionCall, i);
      g_autoptr(GString) body = g_string_new (NULL);
      guint j;

      for (j = i; j < calls->len && g_array_index (calls, SessionCall, j).at == first->at; j++)
        {
          SessionCall *call = &g_array_index (calls, SessionCall, j);
          gboolean declared = FALSE;

          if (call->api == NULL)
            continue;
          for (guint k = 0; k < late->len; k++)
            declared = declared || GPOINTER_TO_UINT (late->pdata[k]) == call->task;

          /* The task a Promise resolves with is only there in its then(): the calls on it made
           * in the same turn go there. */
          if (g_str_equal (call->api, "connectSocket") && call->task != 0 && call->args != NULL
              && g_strcmp0 (result_name (dialect, call->args), "promise") == 0
              && mini_dialect_is (dialect, "promiseResolves", "SocketTask"))
            {
              g_autoptr(GString) then_body = g_string_new (NULL);

              for (guint k = j + 1; k < calls->len
                   && g_array_index (calls, SessionCall, k).at == first->at; k++)
                {
                  SessionCall *later = &g_array_index (calls, SessionCall, k);

                  if (later->api != NULL && later->task == call->task
                      && g_str_has_prefix (later->api, "SocketTask."))
                    {
                      append_call (then_body, &writer, later, TRUE);
                      later->api = NULL;
                    }
                }
              append_connect (body, &writer, call, declared, then_body->str);
              continue;
            }
          append_call (body, &writer, call, declared);
        }

      g_string_append_c (out, '\n');
      if (first->at == first_at)
        g_string_append (out, body->str);
      else
        {
          g_string_append (out, "setTimeout(() => {\n");
          append_lines (out, body->str, 1);
          g_string_append_printf (out, "}, %" G_GINT64_FORMAT ")\n", first->at - first_at);
        }
      i = j;
    }

  return g_string_free (out, FALSE);
}

/* ---- reading ------------------------------------------------------------------------------ */

typedef enum {
  TOKEN_END,
  TOKEN_IDENT,
  TOKEN_STRING,
  TOKEN_NUMBER,
  TOKEN_PUNCT,   /* one of { } [ ] ( ) , : ; . = and => as '>' */
} TokenType;

typedef struct {
  const char *code;
  const char *p;
  guint       line;
  guint       column;

  /* The current token. */
  TokenType   type;
  char       *text;     /* identifier or decoded string */
  double      number;
  char        punct;
  guint       token_line;
  guint       token_column;
} Lexer;

static void
lexer_error (Lexer       *lexer,
             GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
lexer_error (Lexer       *lexer,
             GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL || *error != NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
               /* Translators: a syntax error in the code view: line, column, what was wrong */
               _("Line %u, column %u: %s"), lexer->token_line, lexer->token_column, message);
}

static void
advance_char (Lexer *lexer)
{
  if (*lexer->p == '\n')
    {
      lexer->line++;
      lexer->column = 1;
    }
  else if (((guchar) *lexer->p & 0xc0) != 0x80)
    lexer->column++;
  lexer->p++;
}

static gboolean
skip_space (Lexer   *lexer,
            GError **error)
{
  for (;;)
    {
      if (g_ascii_isspace (*lexer->p))
        advance_char (lexer);
      else if (lexer->p[0] == '/' && lexer->p[1] == '/')
        {
          while (*lexer->p != '\0' && *lexer->p != '\n')
            advance_char (lexer);
        }
      else if (lexer->p[0] == '/' && lexer->p[1] == '*')
        {
          lexer->token_line = lexer->line;
          lexer->token_column = lexer->column;
          advance_char (lexer);
          advance_char (lexer);
          while (*lexer->p != '\0' && !(lexer->p[0] == '*' && lexer->p[1] == '/'))
            advance_char (lexer);
          if (*lexer->p == '\0')
            {
              lexer_error (lexer, error, _("the comment is never closed"));
              return FALSE;
            }
          advance_char (lexer);
          advance_char (lexer);
        }
      else
        return TRUE;
    }
}

static gboolean
read_string (Lexer   *lexer,
             GError **error)
{
  char quote = *lexer->p;
  GString *text = g_string_new (NULL);

  advance_char (lexer);
  while (*lexer->p != quote)
    {
      if (*lexer->p == '\0' || (*lexer->p == '\n' && quote != '`'))
        {
          lexer_error (lexer, error, _("the string is never closed"));
          g_string_free (text, TRUE);
          return FALSE;
        }
      if (*lexer->p == '\\')
        {
          advance_char (lexer);
          switch (*lexer->p)
            {
            case 'n': g_string_append_c (text, '\n'); break;
            case 't': g_string_append_c (text, '\t'); break;
            case 'r': g_string_append_c (text, '\r'); break;
            case 'b': g_string_append_c (text, '\b'); break;
            case 'f': g_string_append_c (text, '\f'); break;
            case '0': g_string_append_c (text, '\0'); break;
            case 'x':
            case 'u':
              {
                guint digits = *lexer->p == 'x' ? 2 : 4;
                gunichar c = 0;

                for (guint i = 0; i < digits; i++)
                  {
                    advance_char (lexer);
                    if (!g_ascii_isxdigit (*lexer->p))
                      {
                        lexer_error (lexer, error, _("a bad escape sequence in a string"));
                        g_string_free (text, TRUE);
                        return FALSE;
                      }
                    c = c * 16 + g_ascii_xdigit_value (*lexer->p);
                  }
                g_string_append_unichar (text, c);
              }
              break;
            case '\0':
              continue;
            default:
              g_string_append_c (text, *lexer->p);
            }
          advance_char (lexer);
          continue;
        }
      g_string_append_c (text, *lexer->p);
      advance_char (lexer);
    }
  advance_char (lexer);

  lexer->type = TOKEN_STRING;
  lexer->text = g_string_free (text, FALSE);
  return TRUE;
}

static gboolean
lexer_next (Lexer   *lexer,
            GError **error)
{
  g_clear_pointer (&lexer->text, g_free);

  if (!skip_space (lexer, error))
    return FALSE;

  lexer->token_line = lexer->line;
  lexer->token_column = lexer->column;

  if (*lexer->p == '\0')
    {
      lexer->type = TOKEN_END;
      return TRUE;
    }

  if (*lexer->p == '\'' || *lexer->p == '"' || *lexer->p == '`')
    return read_string (lexer, error);

  if (g_ascii_isdigit (*lexer->p) || (*lexer->p == '.' && g_ascii_isdigit (lexer->p[1])))
    {
      char *end = NULL;

      lexer->number = g_ascii_strtod (lexer->p, &end);
      while (lexer->p < end)
        advance_char (lexer);
      lexer->type = TOKEN_NUMBER;
      return TRUE;
    }

  if (g_ascii_isalpha (*lexer->p) || *lexer->p == '_' || *lexer->p == '$')
    {
      const char *start = lexer->p;

      while (g_ascii_isalnum (*lexer->p) || *lexer->p == '_' || *lexer->p == '$')
        advance_char (lexer);
      lexer->type = TOKEN_IDENT;
      lexer->text = g_strndup (start, lexer->p - start);
      return TRUE;
    }

  if (lexer->p[0] == '=' && lexer->p[1] == '>')
    {
      advance_char (lexer);
      advance_char (lexer);
      lexer->type = TOKEN_PUNCT;
      lexer->punct = '>';
      return TRUE;
    }

  if (strchr ("{}[](),:;.=-", *lexer->p) != NULL)
    {
      lexer->type = TOKEN_PUNCT;
      lexer->punct = *lexer->p;
      advance_char (lexer);
      return TRUE;
    }

  /* Anything else can only appear inside a function body, which is skipped token by token. */
  lexer->type = TOKEN_PUNCT;
  lexer->punct = '?';
  advance_char (lexer);
  return TRUE;
}

static gboolean
is_punct (Lexer *lexer,
          char   punct)
{
  return lexer->type == TOKEN_PUNCT && lexer->punct == punct;
}

static gboolean
is_ident (Lexer      *lexer,
          const char *name)
{
  return lexer->type == TOKEN_IDENT && g_str_equal (lexer->text, name);
}

static char *
describe_token (Lexer *lexer)
{
  switch (lexer->type)
    {
    case TOKEN_END:
      return g_strdup (_("the end of the code"));
    case TOKEN_IDENT:
      return g_strdup_printf ("“%s”", lexer->text);
    case TOKEN_STRING:
      return g_strdup (_("a string"));
    case TOKEN_NUMBER:
      return g_strdup (_("a number"));
    case TOKEN_PUNCT:
    default:
      return g_strdup_printf ("“%s”", lexer->punct == '>' ? "=>" : (char[]) { lexer->punct, 0 });
    }
}

static gboolean
expect_punct (Lexer   *lexer,
              char     punct,
              GError **error)
{
  g_autofree char *got = NULL;

  if (is_punct (lexer, punct))
    return lexer_next (lexer, error);

  got = describe_token (lexer);
  /* Translators: e.g. expected “:” but found a string */
  lexer_error (lexer, error, _("expected “%c” but found %s"), punct, got);
  return FALSE;
}

/* Skips a balanced (…), {…} or […] group whose opening token is current. */
static gboolean
skip_group (Lexer   *lexer,
            GError **error)
{
  guint depth = 0;

  do
    {
      if (lexer->type == TOKEN_END)
        {
          lexer_error (lexer, error, _("a bracket is never closed"));
          return FALSE;
        }
      if (is_punct (lexer, '(') || is_punct (lexer, '{') || is_punct (lexer, '['))
        depth++;
      else if (is_punct (lexer, ')') || is_punct (lexer, '}') || is_punct (lexer, ']'))
        depth--;
      if (!lexer_next (lexer, error))
        return FALSE;
    }
  while (depth > 0);

  return TRUE;
}

/* An arrow function's expression body: everything up to the , or closing bracket that ends the
 * member or the argument list. */
static gboolean
skip_expression (Lexer   *lexer,
                 GError **error)
{
  while (lexer->type != TOKEN_END && !is_punct (lexer, ',') && !is_punct (lexer, '}')
         && !is_punct (lexer, ')') && !is_punct (lexer, ']'))
    {
      if (is_punct (lexer, '(') || is_punct (lexer, '{') || is_punct (lexer, '['))
        {
          if (!skip_group (lexer, error))
            return FALSE;
        }
      else if (!lexer_next (lexer, error))
        return FALSE;
    }

  return TRUE;
}

/* A function value: function (…) {…}, (…) => …, x => …, async variants. */
static gboolean
skip_function (Lexer   *lexer,
               GError **error)
{
  if (is_ident (lexer, "async") && !lexer_next (lexer, error))
    return FALSE;

  if (is_ident (lexer, "function"))
    {
      if (!lexer_next (lexer, error))
        return FALSE;
      if (lexer->type == TOKEN_IDENT && !lexer_next (lexer, error))
        return FALSE;
      if (!is_punct (lexer, '('))
        return expect_punct (lexer, '(', error);
      if (!skip_group (lexer, error))
        return FALSE;
      if (!is_punct (lexer, '{'))
        return expect_punct (lexer, '{', error);
      return skip_group (lexer, error);
    }

  if (is_punct (lexer, '('))
    {
      if (!skip_group (lexer, error))
        return FALSE;
    }
  else if (!lexer_next (lexer, error))
    return FALSE;

  if (!expect_punct (lexer, '>', error))
    return FALSE;

  return is_punct (lexer, '{') ? skip_group (lexer, error) : skip_expression (lexer, error);
}

static gboolean
starts_function (Lexer *lexer)
{
  const char *p;

  if (is_ident (lexer, "function") || is_ident (lexer, "async"))
    return TRUE;

  /* (…) => or x =>: look past the parameters for the arrow. */
  if (!is_punct (lexer, '(') && lexer->type != TOKEN_IDENT)
    return FALSE;

  p = lexer->p;
  if (is_punct (lexer, '('))
    {
      guint depth = 1;

      while (*p != '\0' && depth > 0)
        {
          if (*p == '(')
            depth++;
          else if (*p == ')')
            depth--;
          p++;
        }
    }
  while (g_ascii_isspace (*p))
    p++;

  return p[0] == '=' && p[1] == '>';
}

static JsonNode *parse_value (Lexer   *lexer,
                              GError **error);

static JsonNode *
parse_object (Lexer   *lexer,
              GError **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  if (!expect_punct (lexer, '{', error))
    return NULL;

  while (!is_punct (lexer, '}'))
    {
      g_autofree char *key = NULL;
      g_autofree char *got = NULL;
      JsonNode *value;

      if (lexer->type == TOKEN_IDENT || lexer->type == TOKEN_STRING)
        key = g_strdup (lexer->text);
      else if (lexer->type == TOKEN_NUMBER)
        key = g_strdup_printf ("%g", lexer->number);
      else
        {
          got = describe_token (lexer);
          lexer_error (lexer, error, _("expected a property name but found %s"), got);
          return NULL;
        }

      if (g_str_equal (key, "async") && lexer->type == TOKEN_IDENT)
        {
          if (!lexer_next (lexer, error))
            return NULL;
          if (lexer->type == TOKEN_IDENT)
            {
              g_free (key);
              key = g_strdup (lexer->text);
            }
        }
      if (!lexer_next (lexer, error))
        return NULL;

      if (is_punct (lexer, '('))
        {
          /* A method: success (res) { … } */
          if (!skip_group (lexer, error))
            return NULL;
          if (!is_punct (lexer, '{'))
            {
              expect_punct (lexer, '{', error);
              return NULL;
            }
          if (!skip_group (lexer, error))
            return NULL;
          value = json_node_init_boolean (json_node_alloc (), TRUE);
        }
      else
        {
          if (!expect_punct (lexer, ':', error))
            return NULL;
          if ((value = parse_value (lexer, error)) == NULL)
            return NULL;
        }
      json_object_set_member (object, key, value);

      if (is_punct (lexer, ','))
        {
          if (!lexer_next (lexer, error))
            return NULL;
        }
      else if (!is_punct (lexer, '}'))
        {
          got = describe_token (lexer);
          lexer_error (lexer, error, _("expected “,” or “}” but found %s"), got);
          return NULL;
        }
    }
  if (!lexer_next (lexer, error))
    return NULL;

  node = json_node_alloc ();
  return json_node_init_object (node, object);
}

static JsonNode *
parse_array (Lexer   *lexer,
             GError **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  JsonNode *node;

  if (!expect_punct (lexer, '[', error))
    return NULL;

  while (!is_punct (lexer, ']'))
    {
      g_autofree char *got = NULL;
      JsonNode *element;

      if ((element = parse_value (lexer, error)) == NULL)
        return NULL;
      json_array_add_element (array, element);

      if (is_punct (lexer, ','))
        {
          if (!lexer_next (lexer, error))
            return NULL;
        }
      else if (!is_punct (lexer, ']'))
        {
          got = describe_token (lexer);
          lexer_error (lexer, error, _("expected “,” or “]” but found %s"), got);
          return NULL;
        }
    }
  if (!lexer_next (lexer, error))
    return NULL;

  node = json_node_alloc ();
  return json_node_init_array (node, array);
}

static JsonNode *
number_node (double value)
{
  if (value == (double) (gint64) value && value > -1e15 && value < 1e15)
    return json_node_init_int (json_node_alloc (), (gint64) value);

  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
parse_value (Lexer   *lexer,
             GError **error)
{
  g_autofree char *got = NULL;
  JsonNode *node;

  if (starts_function (lexer))
    {
      /* JSON has no functions: a callback written in code means "it was passed". */
      if (!skip_function (lexer, error))
        return NULL;
      return json_node_init_boolean (json_node_alloc (), TRUE);
    }

  switch (lexer->type)
    {
    case TOKEN_STRING:
      node = json_node_init_string (json_node_alloc (), lexer->text);
      break;

    case TOKEN_NUMBER:
      node = number_node (lexer->number);
      break;

    case TOKEN_IDENT:
      if (is_ident (lexer, "true") || is_ident (lexer, "false"))
        node = json_node_init_boolean (json_node_alloc (), is_ident (lexer, "true"));
      else if (is_ident (lexer, "null"))
        node = json_node_init_null (json_node_alloc ());
      else
        {
          /* Translators: the code view only takes literal values, not variables */
          lexer_error (lexer, error, _("“%s” is not a value the simulator knows; write a "
                                       "literal such as 'text', 42, true or [ … ]"),
                       lexer->text);
          return NULL;
        }
      break;

    case TOKEN_PUNCT:
      if (is_punct (lexer, '{'))
        return parse_object (lexer, error);
      if (is_punct (lexer, '['))
        return parse_array (lexer, error);
      if (is_punct (lexer, '-'))
        {
          if (!lexer_next (lexer, error))
            return NULL;
          if (lexer->type != TOKEN_NUMBER)
            {
              got = describe_token (lexer);
              lexer_error (lexer, error, _("expected a number but found %s"), got);
              return NULL;
            }
          node = number_node (-lexer->number);
          break;
        }
      G_GNUC_FALLTHROUGH;

    case TOKEN_END:
    default:
      got = describe_token (lexer);
      lexer_error (lexer, error, _("expected a value but found %s"), got);
      return NULL;
    }

  if (!lexer_next (lexer, error))
    {
      json_node_unref (node);
      return NULL;
    }

  return node;
}

/* new WebSocket(url[, protocols]) */
static JsonObject *
parse_constructor (Lexer   *lexer,
                   GError **error)
{
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonNode) url = NULL;

  if (!is_ident (lexer, "WebSocket"))
    {
      g_autofree char *got = describe_token (lexer);
      lexer_error (lexer, error, _("expected “WebSocket” but found %s"), got);
      return NULL;
    }
  if (!lexer_next (lexer, error) || !expect_punct (lexer, '(', error))
    return NULL;
  if ((url = parse_value (lexer, error)) == NULL)
    return NULL;
  json_object_set_member (args, "url", g_steal_pointer (&url));

  if (is_punct (lexer, ','))
    {
      JsonNode *protocols;

      if (!lexer_next (lexer, error) || (protocols = parse_value (lexer, error)) == NULL)
        return NULL;
      /* The browser takes one protocol as a plain string too. */
      if (JSON_NODE_HOLDS_VALUE (protocols))
        {
          JsonArray *array = json_array_new ();

          json_array_add_element (array, protocols);
          protocols = json_node_init_array (json_node_alloc (), array);
          json_array_unref (array);
        }
      json_object_set_member (args, "protocols", protocols);
    }

  if (!expect_punct (lexer, ')', error))
    return NULL;

  return g_steal_pointer (&args);
}

/* The listener a registration names, as SocketTask spells it: task.onOpen(…), socket.onopen = …
 * and wx.onSocketOpen(…) are all "onOpen". */
static const char *
listener_for (const char *method)
{
  for (guint i = 0; mini_js_listeners[i] != NULL; i++)
    {
      const char *name = mini_js_listeners[i];

      if (g_str_equal (method, name) || g_ascii_strcasecmp (method, name) == 0
          || (g_str_has_prefix (method, "onSocket") && g_str_equal (method + 8, name + 2)))
        return name;
    }

  return NULL;
}

/* receiver.onX(function) or receiver.onx = function, with an optional semicolon. */
static gboolean
parse_listener (Lexer         *lexer,
                GStrvBuilder  *listeners,
                GError       **error)
{
  g_autofree char *got = NULL;
  const char *listener;

  if (lexer->type != TOKEN_IDENT)
    goto unexpected;
  if (!lexer_next (lexer, error) || !expect_punct (lexer, '.', error))
    return FALSE;
  if (lexer->type != TOKEN_IDENT || (listener = listener_for (lexer->text)) == NULL)
    goto unexpected;
  if (!lexer_next (lexer, error))
    return FALSE;

  if (is_punct (lexer, '='))
    {
      if (!lexer_next (lexer, error))
        return FALSE;
      if (!starts_function (lexer))
        goto unexpected;
      if (!skip_function (lexer, error))
        return FALSE;
    }
  else
    {
      if (!expect_punct (lexer, '(', error))
        return FALSE;
      if (!starts_function (lexer))
        goto unexpected;
      if (!skip_function (lexer, error) || !expect_punct (lexer, ')', error))
        return FALSE;
    }

  if (is_punct (lexer, ';') && !lexer_next (lexer, error))
    return FALSE;

  g_strv_builder_add (listeners, listener);
  return TRUE;

unexpected:
  got = describe_token (lexer);
  /* Translators: what may follow the call in the code view */
  lexer_error (lexer, error, _("expected a listener such as task.onOpen((res) => {}) but found %s"),
               got);
  return FALSE;
}

/**
 * mini_js_parse_connect:
 * @listeners: (out) (optional): the listeners registered after the call
 * @line: (out) (optional): where an error is, 1-based
 * @column: (out) (optional): where an error is, 1-based, in characters
 *
 * Reads back what mini_js_format_connect() writes, and the usual ways people write the same
 * call and its listeners by hand: a `const`/`let`/`var` binding or none, `await`, callbacks as
 * methods, arrow or function expressions, comments, single, double or back quotes, trailing
 * commas.
 *
 * Returns: (transfer full) (nullable): the options, or %NULL with @error saying where and why
 */
JsonObject *
mini_js_parse_connect (MiniDialect  *dialect,
                       const char   *code,
                       GStrv        *listeners,
                       guint        *line,
                       guint        *column,
                       GError      **error)
{
  g_autoptr(GStrvBuilder) registered = g_strv_builder_new ();
  const char *prefix;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(JsonNode) node = NULL;
  Lexer lexer = { 0 };
  g_autofree char *got = NULL;

  g_return_val_if_fail (MINI_IS_DIALECT (dialect), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  prefix = mini_dialect_get_prefix (dialect);
  lexer.code = lexer.p = code;
  lexer.line = lexer.column = 1;

  if (line != NULL)
    *line = 0;
  if (column != NULL)
    *column = 0;

  if (!g_utf8_validate (code, -1, NULL))
    {
      g_set_error_literal (error, MINI_ERROR, MINI_ERROR_INVALID, _("The code is not valid UTF-8"));
      goto failed;
    }

  if (!lexer_next (&lexer, error))
    goto failed;

  if (is_ident (&lexer, "const") || is_ident (&lexer, "let") || is_ident (&lexer, "var"))
    {
      if (!lexer_next (&lexer, error))
        goto failed;
      if (lexer.type != TOKEN_IDENT)
        {
          got = describe_token (&lexer);
          lexer_error (&lexer, error, _("expected a variable name but found %s"), got);
          goto failed;
        }
      if (!lexer_next (&lexer, error) || !expect_punct (&lexer, '=', error))
        goto failed;
    }
  if (is_ident (&lexer, "await") && !lexer_next (&lexer, error))
    goto failed;

  if (*prefix == '\0')
    {
      if (!is_ident (&lexer, "new"))
        {
          got = describe_token (&lexer);
          lexer_error (&lexer, error, _("expected “new WebSocket(url, protocols)” but found %s"),
                       got);
          goto failed;
        }
      if (!lexer_next (&lexer, error) || (args = parse_constructor (&lexer, error)) == NULL)
        goto failed;
    }
  else
    {
      if (!is_ident (&lexer, prefix))
        {
          got = describe_token (&lexer);
          lexer_error (&lexer, error, _("expected “%s.connectSocket({ … })” but found %s"),
                       prefix, got);
          goto failed;
        }
      if (!lexer_next (&lexer, error) || !expect_punct (&lexer, '.', error))
        goto failed;
      if (!is_ident (&lexer, "connectSocket"))
        {
          got = describe_token (&lexer);
          lexer_error (&lexer, error, _("expected “connectSocket” but found %s"), got);
          goto failed;
        }
      if (!lexer_next (&lexer, error) || !expect_punct (&lexer, '(', error))
        goto failed;
      if (!is_punct (&lexer, '{'))
        {
          got = describe_token (&lexer);
          lexer_error (&lexer, error, _("expected the options object “{ … }” but found %s"), got);
          goto failed;
        }
      if ((node = parse_object (&lexer, error)) == NULL)
        goto failed;
      if (!expect_punct (&lexer, ')', error))
        goto failed;
      args = json_object_ref (json_node_get_object (node));
    }

  if (is_punct (&lexer, ';') && !lexer_next (&lexer, error))
    goto failed;
  while (lexer.type != TOKEN_END)
    {
      if (!parse_listener (&lexer, registered, error))
        goto failed;
    }

  if (listeners != NULL)
    *listeners = g_strv_builder_end (registered);
  g_free (lexer.text);
  return g_steal_pointer (&args);

failed:
  if (line != NULL)
    *line = lexer.token_line;
  if (column != NULL)
    *column = lexer.token_column;
  g_free (lexer.text);
  return NULL;
}
