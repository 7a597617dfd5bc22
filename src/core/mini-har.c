/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-har"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mini-har.h"
#include "mini-util.h"

/* Times further than this from the entry's startedDateTime are not wall-clock times: tools that
 * build HARs from DevTools protocol events (chrome-har-capturer) write the monotonic timestamps
 * of the protocol as they are. */
#define WALL_CLOCK_SLACK_S (24 * 3600.0)
/* A message time above this is in milliseconds since the epoch, not seconds (Playwright). */
#define EPOCH_MS_THRESHOLD 1e11
/* A replay is a scenario, whose times stop at 1e12 ms; a start, a message or a close later than
 * this (some three years) is no recording a replay can keep, and their sum stays below that. */
#define REPLAY_MAX_MS 1e11

typedef struct {
  guint       entry;         /* its index in log.entries, for messages */
  char       *url;
  GStrv       protocols;
  gint64      started_us;    /* wall clock */
  double      start_ms;      /* after the first socket's start */
  double      end_ms;        /* after the open; < 0 when unknown */
  int         status;        /* 0 when the file has none */
  GArray     *messages;      /* MiniHarMessage, owning data */
  gboolean    messages_saved; /* the entry has _webSocketMessages (Firefox writes none) */
  JsonObject *connect;       /* Minisock's own record of the connectSocket options, or NULL */
  gboolean    close_known;   /* Minisock recorded who closed */
  gboolean    client_closed;
  gint        close_code;
  char       *close_reason;
} Socket;

struct _MiniHar
{
  GObject     parent_instance;

  char       *origin;
  char       *creator;
  char       *dialect_id;
  GPtrArray  *sockets;
};

G_DEFINE_FINAL_TYPE (MiniHar, mini_har, G_TYPE_OBJECT)

static void
message_clear (gpointer data)
{
  MiniHarMessage *message = data;

  g_clear_pointer (&message->data, g_bytes_unref);
}

static void
socket_free (Socket *socket)
{
  g_free (socket->url);
  g_strfreev (socket->protocols);
  g_clear_pointer (&socket->messages, g_array_unref);
  g_clear_pointer (&socket->connect, json_object_unref);
  g_free (socket->close_reason);
  g_free (socket);
}

static void
mini_har_finalize (GObject *object)
{
  MiniHar *self = (MiniHar *)object;

  g_free (self->origin);
  g_free (self->creator);
  g_free (self->dialect_id);
  g_clear_pointer (&self->sockets, g_ptr_array_unref);

  G_OBJECT_CLASS (mini_har_parent_class)->finalize (object);
}

static void
mini_har_class_init (MiniHarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mini_har_finalize;
}

static void
mini_har_init (MiniHar *self)
{
  self->sockets = g_ptr_array_new_with_free_func ((GDestroyNotify) socket_free);
}

/* ---- export -------------------------------------------------------------------------------- */

typedef struct {
  guint       task;
  JsonObject *connect;       /* the args of the connectSocket call that made the task */
  gint        request;       /* positions in the timeline; -1 for none */
  gint        response;
  gint        close_out;
  gint        last;
  const char *failure;       /* why the connection failed, as the wire event says */
  GArray     *frames;        /* guint positions */
} ExportEntry;

static void
export_entry_free (ExportEntry *entry)
{
  g_clear_pointer (&entry->frames, g_array_unref);
  g_free (entry);
}

static const char *
extra_string (const MiniEventView *view,
              const char          *member)
{
  JsonNode *node;

  if (view->extra == NULL || (node = json_object_get_member (view->extra, member)) == NULL
      || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* ISO 8601 with milliseconds in UTC, as Chrome writes startedDateTime. */
static char *
format_date (gint64 real_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (real_us / G_USEC_PER_SEC);
  g_autofree char *text = NULL;

  if (seconds == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  text = g_date_time_format (seconds, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", text, (int) ((real_us % G_USEC_PER_SEC) / 1000));
}

static void
add_name_value (JsonBuilder *builder,
                const char  *name,
                const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

static void
add_headers (JsonBuilder         *builder,
             const MiniEventView *view)
{
  JsonNode *node = view != NULL && view->extra != NULL
                   ? json_object_get_member (view->extra, "header") : NULL;

  json_builder_set_member_name (builder, "headers");
  json_builder_begin_array (builder);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
          add_name_value (builder, name, json_node_get_string (value));
    }
  json_builder_end_array (builder);
}

static void
add_query_string (JsonBuilder *builder,
                  const char  *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;

  json_builder_set_member_name (builder, "queryString");
  json_builder_begin_array (builder);
  if (query != NULL && *query != '\0')
    {
      g_auto(GStrv) pairs = g_strsplit (query, "&", -1);

      /* In the order of the URL, which a hash table of the parameters would lose. */
      for (guint i = 0; pairs[i] != NULL; i++)
        {
          char *equal = strchr (pairs[i], '=');
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;

          if (*pairs[i] == '\0')
            continue;
          if (equal != NULL)
            *equal = '\0';
          name = g_uri_unescape_string (pairs[i], NULL);
          value = g_uri_unescape_string (equal != NULL ? equal + 1 : "", NULL);
          add_name_value (builder, name != NULL ? name : pairs[i],
                          value != NULL ? value : (equal != NULL ? equal + 1 : ""));
        }
    }
  json_builder_end_array (builder);
}

/* The URL the task asked for; the handshake's Host and path when the call is not on the
 * timeline, or named the playground as `{playground}` (the window's composer does), which
 * no other tool reads. */
static char *
entry_url (ExportEntry         *entry,
           const MiniEventView *request)
{
  JsonNode *node = entry->connect != NULL ? json_object_get_member (entry->connect, "url") : NULL;
  const char *line = extra_string (request, "text");
  JsonNode *header = json_object_get_member (request->extra, "header");
  const char *host = NULL;
  g_auto(GStrv) parts = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING
      && !g_str_has_prefix (json_node_get_string (node), "{playground}"))
    return g_strdup (json_node_get_string (node));

  if (header != NULL && JSON_NODE_HOLDS_OBJECT (header))
    host = json_object_get_string_member_with_default (json_node_get_object (header), "Host",
                                                       NULL);
  parts = g_strsplit (line != NULL ? line : "", " ", 3);
  return g_strdup_printf ("ws://%s%s", host != NULL ? host : "localhost",
                          parts[0] != NULL && parts[1] != NULL ? parts[1] : "/");
}

static void
add_messages (JsonBuilder  *builder,
              MiniTimeline *timeline,
              ExportEntry  *entry,
              gint64        origin_real)
{
  json_builder_set_member_name (builder, "_webSocketMessages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entry->frames->len; i++)
    {
      MiniEventView view;
      const char *wire;

      mini_timeline_get_event (timeline, g_array_index (entry->frames, guint, i), &view);
      wire = extra_string (&view, "wire");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, g_str_has_prefix (wire, "frame-out")
                                              ? "send" : "receive");
      json_builder_set_member_name (builder, "time");
      json_builder_add_double_value (builder, (origin_real + view.t_us) / (double) G_USEC_PER_SEC);
      json_builder_set_member_name (builder, "opcode");
      json_builder_add_int_value (builder, view.binary ? 2 : 1);
      json_builder_set_member_name (builder, "data");
      if (view.binary)
        {
          g_autofree char *encoded = g_base64_encode (view.data, view.data_len);
          json_builder_add_string_value (builder, encoded);
        }
      else
        {
          g_autofree char *text = g_utf8_make_valid (view.data != NULL ? (const char *) view.data
                                                                       : "",
                                                     view.data_len);
          json_builder_add_string_value (builder, text);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_entry (JsonBuilder  *builder,
           MiniTimeline *timeline,
           ExportEntry  *entry,
           const char   *dialect_id,
           gint64        origin_real)
{
  MiniEventView request;
  MiniEventView response = { 0 };
  MiniEventView last;
  MiniEventView close_out;
  g_autofree char *url = NULL;
  g_autofree char *started = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *status_line = NULL;
  const char *status_text = "";
  gint64 start_us;
  double wait_ms;
  double receive_ms = 0;

  mini_timeline_get_event (timeline, entry->request, &request);
  /* startedDateTime has whole milliseconds, and readers (Chromium's DevTools) end the entry at
   * startedDateTime + time: count the timings from the written start, so the entry does not
   * end before its last message. */
  start_us = request.t_us - (origin_real + request.t_us) % 1000;
  mini_timeline_get_event (timeline, entry->last, &last);
  if (entry->response >= 0)
    {
      mini_timeline_get_event (timeline, entry->response, &response);
      status_line = extra_string (&response, "text");
      /* "HTTP/1.1 101 Switching Protocols": the phrase is everything after the code. */
      if (status_line != NULL && (status_text = strchr (status_line, ' ')) != NULL
          && (status_text = strchr (status_text + 1, ' ')) != NULL)
        status_text++;
      else
        status_text = "";
      wait_ms = (response.t_us - start_us) / 1000.0;
      receive_ms = (last.t_us - response.t_us) / 1000.0;
    }
  else
    wait_ms = (last.t_us - start_us) / 1000.0;

  url = entry_url (entry, &request);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  started = format_date (origin_real + start_us);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pageref");
  json_builder_add_string_value (builder, "page_1");
  json_builder_set_member_name (builder, "startedDateTime");
  json_builder_add_string_value (builder, started);
  json_builder_set_member_name (builder, "time");
  json_builder_add_double_value (builder, wait_ms + receive_ms);

  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "GET");
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "httpVersion");
  json_builder_add_string_value (builder, "HTTP/1.1");
  json_builder_set_member_name (builder, "cookies");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  add_headers (builder, &request);
  add_query_string (builder, url);
  json_builder_set_member_name (builder, "headersSize");
  json_builder_add_int_value (builder, -1);
  json_builder_set_member_name (builder, "bodySize");
  json_builder_add_int_value (builder, -1);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, entry->response >= 0 && response.code != MINI_NO_CODE
                                       ? response.code : 0);
  json_builder_set_member_name (builder, "statusText");
  json_builder_add_string_value (builder, status_text);
  json_builder_set_member_name (builder, "httpVersion");
  json_builder_add_string_value (builder, entry->response >= 0 ? "HTTP/1.1" : "");
  json_builder_set_member_name (builder, "cookies");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  add_headers (builder, entry->response >= 0 ? &response : NULL);
  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "mimeType");
  json_builder_add_string_value (builder, "x-unknown");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "redirectURL");
  json_builder_add_string_value (builder, "");
  json_builder_set_member_name (builder, "headersSize");
  json_builder_add_int_value (builder, -1);
  json_builder_set_member_name (builder, "bodySize");
  json_builder_add_int_value (builder, -1);
  if (entry->failure != NULL)
    {
      json_builder_set_member_name (builder, "_error");
      json_builder_add_string_value (builder, entry->failure);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "cache");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);

  /* Only the handshake is timed apart; what follows it is the connection's life, as Chrome
   * counts it in the entry's time. */
  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "blocked");
  json_builder_add_int_value (builder, -1);
  json_builder_set_member_name (builder, "dns");
  json_builder_add_int_value (builder, -1);
  json_builder_set_member_name (builder, "connect");
  json_builder_add_int_value (builder, -1);
  json_builder_set_member_name (builder, "send");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "wait");
  json_builder_add_double_value (builder, wait_ms);
  json_builder_set_member_name (builder, "receive");
  json_builder_add_double_value (builder, receive_ms);
  json_builder_set_member_name (builder, "ssl");
  json_builder_add_int_value (builder, -1);
  json_builder_end_object (builder);

  if (uri != NULL && g_uri_get_host (uri) != NULL && g_hostname_is_ip_address (g_uri_get_host (uri)))
    {
      gint port = g_uri_get_port (uri);
      g_autofree char *port_text = NULL;

      if (port < 0)
        port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "wss") == 0 ? 443 : 80;
      port_text = g_strdup_printf ("%d", port);
      json_builder_set_member_name (builder, "serverIPAddress");
      json_builder_add_string_value (builder, g_uri_get_host (uri));
      /* HAR allows the server's port here, and Chrome writes it: DevTools reads it back into
       * the remote address, which would otherwise say port 80. */
      json_builder_set_member_name (builder, "connection");
      json_builder_add_string_value (builder, port_text);
    }

  json_builder_set_member_name (builder, "_resourceType");
  json_builder_add_string_value (builder, "websocket");
  add_messages (builder, timeline, entry, origin_real);

  /* What a HAR has no field for, but a replay of this very session needs. */
  json_builder_set_member_name (builder, "_minisock");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "task");
  json_builder_add_int_value (builder, entry->task);
  if (dialect_id != NULL)
    {
      json_builder_set_member_name (builder, "dialect");
      json_builder_add_string_value (builder, dialect_id);
    }
  if (entry->connect != NULL)
    {
      json_builder_set_member_name (builder, "connect");
      json_builder_add_value (builder,
                              json_node_init_object (json_node_alloc (), entry->connect));
    }
  if (entry->close_out >= 0)
    {
      const char *reason;

      mini_timeline_get_event (timeline, entry->close_out, &close_out);
      reason = extra_string (&close_out, "reason");
      json_builder_set_member_name (builder, "close");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "by");
      json_builder_add_string_value (builder, "client");
      if (close_out.code != MINI_NO_CODE)
        {
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, close_out.code);
        }
      if (reason != NULL)
        {
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, reason);
        }
      json_builder_set_member_name (builder, "afterOpen");
      json_builder_add_double_value (builder, entry->response >= 0
                                              ? MAX (0, close_out.t_us - response.t_us) / 1000.0
                                              : 0);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

/**
 * mini_har_export_timeline:
 * @dialect_id: (nullable): the dialect the session ran on, recorded for a replay
 * @title: (nullable): the page title, such as the scenario's
 *
 * One HAR 1.2 entry per socket task whose handshake went out, with Chrome's
 * `_resourceType` and `_webSocketMessages`.
 *
 * Returns: (transfer full): the HAR's root object
 */
JsonNode *
mini_har_export_timeline (MiniTimeline *timeline,
                          const char   *dialect_id,
                          const char   *title)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) export_entry_free);
  g_autoptr(GHashTable) by_task = g_hash_table_new (NULL, NULL);
  g_autofree char *page_started = NULL;
  gint64 origin_real;
  JsonObject *pending_connect = NULL;
  guint n;

  g_return_val_if_fail (MINI_IS_TIMELINE (timeline), NULL);

  origin_real = mini_timeline_get_origin_real_time (timeline);
  n = mini_timeline_get_n_events (timeline);

  for (guint i = 0; i < n; i++)
    {
      MiniEventView view;
      ExportEntry *entry;
      const char *wire;

      mini_timeline_get_event (timeline, i, &view);

      /* The call comes before the task exists; the task's first event follows it. */
      if (view.kind == MINI_EVENT_CALL && view.task == 0
          && g_strcmp0 (view.api, "connectSocket") == 0)
        {
          JsonNode *args = view.extra != NULL ? json_object_get_member (view.extra, "args") : NULL;

          pending_connect = args != NULL && JSON_NODE_HOLDS_OBJECT (args)
                            ? json_node_get_object (args) : NULL;
          continue;
        }
      if (view.task == 0)
        continue;

      entry = g_hash_table_lookup (by_task, GUINT_TO_POINTER (view.task));
      if (entry == NULL)
        {
          entry = g_new0 (ExportEntry, 1);
          entry->task = view.task;
          entry->connect = g_steal_pointer (&pending_connect);
          entry->request = entry->response = entry->close_out = -1;
          entry->frames = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_task, GUINT_TO_POINTER (view.task), entry);
          g_ptr_array_add (entries, entry);
        }
      entry->last = i;

      if (view.kind != MINI_EVENT_WIRE || (wire = extra_string (&view, "wire")) == NULL)
        continue;
      if (g_str_equal (wire, "handshake-request") && entry->request < 0)
        entry->request = i;
      else if (g_str_equal (wire, "handshake-response") && entry->response < 0)
        entry->response = i;
      else if (g_str_has_prefix (wire, "frame-out") || g_str_has_prefix (wire, "frame-in"))
        g_array_append_val (entry->frames, i);
      else if (g_str_equal (wire, "close-out") && entry->close_out < 0)
        entry->close_out = i;
      else if (g_str_equal (wire, "connect-failed"))
        entry->failure = extra_string (&view, "text");
    }

  for (guint i = 0; i < entries->len && page_started == NULL; i++)
    {
      ExportEntry *entry = g_ptr_array_index (entries, i);
      MiniEventView view;

      if (entry->request >= 0 && mini_timeline_get_event (timeline, entry->request, &view))
        page_started = format_date (origin_real + view.t_us);
    }
  if (page_started == NULL)
    page_started = format_date (origin_real);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "log");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, "1.2");
  json_builder_set_member_name (builder, "creator");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "Minisock");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "pages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "startedDateTime");
  json_builder_add_string_value (builder, page_started);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "page_1");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title != NULL ? title : "Minisock");
  json_builder_set_member_name (builder, "pageTimings");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      ExportEntry *entry = g_ptr_array_index (entries, i);

      /* A task refused before its handshake never reached the network: a browser lists
       * nothing for it either. */
      if (entry->request >= 0)
        add_entry (builder, timeline, entry, dialect_id, origin_real);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * mini_har_write_timeline:
 *
 * Writes the HAR of @timeline to @path, replacing it atomically: a failed write leaves the
 * previous file as it was.
 */
gboolean
mini_har_write_timeline (MiniTimeline  *timeline,
                         const char    *dialect_id,
                         const char    *title,
                         const char    *path,
                         GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;

  g_return_val_if_fail (MINI_IS_TIMELINE (timeline), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  root = mini_har_export_timeline (timeline, dialect_id, title);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, &length);

  return g_file_set_contents (path, text, (gssize) length, error);
}

/* ---- import -------------------------------------------------------------------------------- */

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  return node != NULL && g_str_equal (mini_json_type_name (node), "Number");
}

/* The member @name of @object, which must be an object (or absent when @optional). */
static JsonObject *
get_object (const char  *origin,
            JsonObject  *object,
            const char  *path,
            const char  *name,
            gboolean     optional,
            gboolean    *ok,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *ok = TRUE;
  if (node == NULL && optional)
    return NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *sub = g_strdup_printf ("%s.%s", path, name);

      *ok = mini_set_invalid (error, origin, sub, _("expected an object, got %s"), mini_json_type_name (node));
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
get_number (const char  *origin,
            JsonObject  *object,
            const char  *path,
            const char  *name,
            double      *value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return TRUE;
  if (!is_number (node))
    {
      g_autofree char *sub = g_strdup_printf ("%s.%s", path, name);
      return mini_set_invalid (error, origin, sub, _("expected a number, got %s"), mini_json_type_name (node));
    }
  *value = json_node_get_double (node);
  return TRUE;
}

static gboolean
is_websocket_entry (JsonObject *entry,
                    const char *url)
{
  JsonNode *type = json_object_get_member (entry, "_resourceType");

  if (is_string (type) && g_ascii_strcasecmp (json_node_get_string (type), "websocket") == 0)
    return TRUE;
  if (json_object_has_member (entry, "_webSocketMessages"))
    return TRUE;
  return g_ascii_strncasecmp (url, "ws://", 5) == 0 || g_ascii_strncasecmp (url, "wss://", 6) == 0;
}

/* Some tools log the upgrade request under its http(s) URL; a replay needs the ws(s) one. */
static char *
websocket_url (const char *url)
{
  if (g_ascii_strncasecmp (url, "http://", 7) == 0)
    return g_strconcat ("ws://", url + 7, NULL);
  if (g_ascii_strncasecmp (url, "https://", 8) == 0)
    return g_strconcat ("wss://", url + 8, NULL);
  return g_strdup (url);
}

static GStrv
request_protocols (JsonObject *request)
{
  JsonNode *node = json_object_get_member (request, "headers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return g_strv_builder_end (builder);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *header = json_array_get_element (json_node_get_array (node), i);
      JsonObject *object;
      g_auto(GStrv) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (header))
        continue;
      object = json_node_get_object (header);
      if (!is_string (json_object_get_member (object, "name"))
          || !is_string (json_object_get_member (object, "value"))
          || g_ascii_strcasecmp (json_object_get_string_member (object, "name"),
                                 "Sec-WebSocket-Protocol") != 0)
        continue;

      names = g_strsplit (json_object_get_string_member (object, "value"), ",", -1);
      for (guint n = 0; names[n] != NULL; n++)
        if (*g_strstrip (names[n]) != '\0')
          g_strv_builder_add (builder, names[n]);
    }

  return g_strv_builder_end (builder);
}

static gboolean
check_headers (const char  *origin,
               JsonObject  *object,
               const char  *path,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, "headers");
  g_autofree char *sub = g_strdup_printf ("%s.headers", path);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return mini_set_invalid (error, origin, sub, _("expected an array of {\"name\", \"value\"}, got %s"),
                    mini_json_type_name (node));

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *header = json_array_get_element (json_node_get_array (node), i);
      g_autofree char *item = g_strdup_printf ("%s[%u]", sub, i);

      if (!JSON_NODE_HOLDS_OBJECT (header)
          || !is_string (json_object_get_member (json_node_get_object (header), "name"))
          || !is_string (json_object_get_member (json_node_get_object (header), "value")))
        return mini_set_invalid (error, origin, item, _("expected {\"name\": string, \"value\": string}"));
    }

  return TRUE;
}

/* Reads _webSocketMessages; times stay raw (seconds as the file gives them) in offset_ms until
 * the entry's clock is known. */
static gboolean
parse_messages (const char  *origin,
                JsonObject  *entry,
                const char  *path,
                GArray      *messages,
                GError     **error)
{
  JsonNode *node = json_object_get_member (entry, "_webSocketMessages");
  g_autofree char *sub = g_strdup_printf ("%s._webSocketMessages", path);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return mini_set_invalid (error, origin, sub, _("expected an array of messages, got %s"),
                    mini_json_type_name (node));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *item = g_strdup_printf ("%s[%u]", sub, i);
      JsonObject *object;
      const char *type;
      const char *data;
      double time;
      double opcode;
      MiniHarMessage message = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return mini_set_invalid (error, origin, item, _("expected a message {\"type\", \"time\", "
                        "\"opcode\", \"data\"}, got %s"), mini_json_type_name (element));
      object = json_node_get_object (element);

      if (!is_string (json_object_get_member (object, "type")))
        {
          g_autofree char *field = g_strdup_printf ("%s.type", item);
          return mini_set_invalid (error, origin, field, _("expected \"send\" or \"receive\", got %s"),
                          mini_json_type_name (json_object_get_member (object, "type")));
        }
      if (!is_number (json_object_get_member (object, "time")))
        {
          g_autofree char *field = g_strdup_printf ("%s.time", item);
          return mini_set_invalid (error, origin, field, _("expected a time in seconds since the epoch, "
                          "got %s"), mini_json_type_name (json_object_get_member (object, "time")));
        }
      if (!is_number (json_object_get_member (object, "opcode")))
        {
          g_autofree char *field = g_strdup_printf ("%s.opcode", item);
          return mini_set_invalid (error, origin, field, _("expected 1 (text) or 2 (binary), got %s"),
                          mini_json_type_name (json_object_get_member (object, "opcode")));
        }
      if (!is_string (json_object_get_member (object, "data")))
        {
          g_autofree char *field = g_strdup_printf ("%s.data", item);
          return mini_set_invalid (error, origin, field, _("expected the payload as a string, got %s"),
                          mini_json_type_name (json_object_get_member (object, "data")));
        }

      type = json_object_get_string_member (object, "type");
      time = json_object_get_double_member (object, "time");
      opcode = json_object_get_double_member (object, "opcode");
      data = json_object_get_string_member (object, "data");

      /* Chrome also logs errors; control frames carry nothing to replay. */
      if ((!g_str_equal (type, "send") && !g_str_equal (type, "receive"))
          || (opcode != 1 && opcode != 2))
        continue;

      message.sent = g_str_equal (type, "send");
      message.offset_ms = time;
      message.binary = opcode == 2;
      if (message.binary)
        {
          g_autoptr(GError) local_error = NULL;

          if ((message.data = mini_decode_base64 (data, &local_error)) == NULL)
            {
              g_autofree char *field = g_strdup_printf ("%s.data", item);
              return mini_set_invalid (error, origin, field, _("expected base64 for a binary (opcode 2) "
                              "message: %s"), local_error->message);
            }
        }
      else
        message.data = g_bytes_new (data, strlen (data));
      g_array_append_val (messages, message);
    }

  return TRUE;
}

static gboolean
parse_minisock (const char  *origin,
                JsonObject  *entry,
                const char  *path,
                MiniHar     *self,
                Socket      *socket,
                GError     **error)
{
  JsonNode *node = json_object_get_member (entry, "_minisock");
  g_autofree char *sub = g_strdup_printf ("%s._minisock", path);
  JsonObject *object;
  JsonNode *member;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return mini_set_invalid (error, origin, sub, _("expected an object, got %s"), mini_json_type_name (node));
  object = json_node_get_object (node);

  if ((member = json_object_get_member (object, "dialect")) != NULL)
    {
      if (!is_string (member))
        {
          g_autofree char *field = g_strdup_printf ("%s.dialect", sub);
          return mini_set_invalid (error, origin, field, _("expected a dialect id such as \"wx\", got %s"),
                          mini_json_type_name (member));
        }
      if (self->dialect_id == NULL)
        self->dialect_id = g_strdup (json_node_get_string (member));
    }

  if ((member = json_object_get_member (object, "connect")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          g_autofree char *field = g_strdup_printf ("%s.connect", sub);
          return mini_set_invalid (error, origin, field, _("expected the connectSocket options object, "
                          "got %s"), mini_json_type_name (member));
        }
      {
        g_autofree char *field = g_strdup_printf ("%s.connect", sub);
        g_autofree char *bad = mini_json_find_non_finite (member, field);

        /* The options go back into the replay's scenario, as JSON. */
        if (bad != NULL)
          return mini_set_invalid (error, origin, bad, _("expected a number JSON can write, got "
                                   "one too large for a double"));
      }
      socket->connect = json_object_ref (json_node_get_object (member));
    }

  if ((member = json_object_get_member (object, "close")) != NULL)
    {
      JsonObject *close;
      double code = 1000;
      double after = -1;
      JsonNode *reason;
      g_autofree char *field = g_strdup_printf ("%s.close", sub);

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return mini_set_invalid (error, origin, field, _("expected {\"by\", \"code\", \"reason\", "
                        "\"afterOpen\"}, got %s"), mini_json_type_name (member));
      close = json_node_get_object (member);
      if (!get_number (origin, close, field, "code", &code, error)
          || !get_number (origin, close, field, "afterOpen", &after, error))
        return FALSE;
      if (!(code >= 0 && code <= 65535) || code != (gint) code)
        {
          g_autofree char *code_path = g_strdup_printf ("%s.code", field);
          return mini_set_invalid (error, origin, code_path, _("expected a close code from 0 to "
                                   "65535, got %g"), code);
        }
      reason = json_object_get_member (close, "reason");
      if (reason != NULL && !is_string (reason))
        {
          g_autofree char *reason_path = g_strdup_printf ("%s.reason", field);
          return mini_set_invalid (error, origin, reason_path, _("expected a string, got %s"),
                          mini_json_type_name (reason));
        }
      socket->close_known = TRUE;
      socket->client_closed = TRUE;
      socket->close_code = (gint) code;
      socket->close_reason = reason != NULL ? g_strdup (json_node_get_string (reason)) : NULL;
      if (after >= 0)
        socket->end_ms = after;
    }
  else
    socket->close_known = TRUE;

  return TRUE;
}

/* Turns the raw message times into ms after the open. The open is the entry's start plus the
 * handshake's timings when the messages share its wall clock; otherwise, only the distances
 * between messages are known, and the first one is put at the open. */
static void
settle_times (Socket *socket,
              double  open_after_start_ms,
              double  entry_time_ms)
{
  double started_s = socket->started_us / (double) G_USEC_PER_SEC;
  double open_s = started_s + open_after_start_ms / 1000.0;
  double anchor_s = open_s;
  double last_ms = 0;

  for (guint i = 0; i < socket->messages->len; i++)
    {
      MiniHarMessage *message = &g_array_index (socket->messages, MiniHarMessage, i);

      if (message->offset_ms > EPOCH_MS_THRESHOLD)
        message->offset_ms /= 1000.0;
    }

  if (socket->messages->len > 0)
    {
      double first = g_array_index (socket->messages, MiniHarMessage, 0).offset_ms;

      for (guint i = 1; i < socket->messages->len; i++)
        first = MIN (first, g_array_index (socket->messages, MiniHarMessage, i).offset_ms);
      if (ABS (first - started_s) > WALL_CLOCK_SLACK_S)
        anchor_s = first;
    }

  for (guint i = 0; i < socket->messages->len; i++)
    {
      MiniHarMessage *message = &g_array_index (socket->messages, MiniHarMessage, i);

      message->offset_ms = MAX (0, (message->offset_ms - anchor_s) * 1000.0);
      last_ms = MAX (last_ms, message->offset_ms);
    }

  if (socket->end_ms < 0 && entry_time_ms >= 0)
    socket->end_ms = entry_time_ms - open_after_start_ms;
  socket->end_ms = MAX (socket->end_ms, last_ms);
}

/* The replay must be able to keep every time the entry gave. */
static gboolean
check_replay_times (const char  *origin,
                    const char  *path,
                    Socket      *socket,
                    GError     **error)
{
  double last_ms = MAX (socket->end_ms, 0);

  for (guint i = 0; i < socket->messages->len; i++)
    last_ms = MAX (last_ms, g_array_index (socket->messages, MiniHarMessage, i).offset_ms);

  if (last_ms <= REPLAY_MAX_MS)
    return TRUE;
  return mini_set_invalid (error, origin, path, _("expected the messages and the close within %g ms "
                           "of the open, got %g ms"), REPLAY_MAX_MS, last_ms);
}

static gboolean
parse_entry (MiniHar     *self,
             const char  *origin,
             guint        index,
             JsonNode    *node,
             GError     **error)
{
  g_autofree char *path = g_strdup_printf ("$.log.entries[%u]", index);
  g_autofree char *request_path = g_strdup_printf ("%s.request", path);
  g_autofree char *response_path = g_strdup_printf ("%s.response", path);
  g_autofree char *timings_path = g_strdup_printf ("%s.timings", path);
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  JsonObject *entry;
  JsonObject *request;
  JsonObject *response;
  JsonObject *timings;
  JsonNode *member;
  const char *url;
  Socket *socket;
  double status = 0;
  double entry_time = -1;
  double open_ms = 0;
  gboolean ok;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return mini_set_invalid (error, origin, path, _("expected an entry object, got %s"),
                    mini_json_type_name (node));
  entry = json_node_get_object (node);

  if ((request = get_object (origin, entry, path, "request", FALSE, &ok, error)) == NULL)
    return FALSE;
  member = json_object_get_member (request, "url");
  if (!is_string (member))
    {
      g_autofree char *sub = g_strdup_printf ("%s.url", request_path);
      return mini_set_invalid (error, origin, sub, _("expected the URL as a string, got %s"),
                      mini_json_type_name (member));
    }
  url = json_node_get_string (member);

  if (!is_websocket_entry (entry, url))
    return TRUE;

  member = json_object_get_member (entry, "startedDateTime");
  if (!is_string (member)
      || (started = g_date_time_new_from_iso8601 (json_node_get_string (member), utc)) == NULL)
    {
      g_autofree char *sub = g_strdup_printf ("%s.startedDateTime", path);
      g_autofree char *got = is_string (member)
                             ? g_strdup_printf ("\"%s\"", json_node_get_string (member))
                             : g_strdup (mini_json_type_name (member));

      return mini_set_invalid (error, origin, sub, _("expected an ISO 8601 date such as "
                      "\"2026-12-05T03:21:04.123Z\", got %s"), got);
    }
  if (!check_headers (origin, request, request_path, error)
      || !get_number (origin, entry, path, "time", &entry_time, error))
    return FALSE;

  response = get_object (origin, entry, path, "response", TRUE, &ok, error);
  if (!ok)
    return FALSE;
  if (response != NULL && (!get_number (origin, response, response_path, "status", &status, error)
                           || !check_headers (origin, response, response_path, error)))
    return FALSE;
  if (!(status >= 0 && status <= 999))
    {
      g_autofree char *sub = g_strdup_printf ("%s.status", response_path);
      return mini_set_invalid (error, origin, sub, _("expected an HTTP status from 0 to 999, got %g"),
                               status);
    }

  timings = get_object (origin, entry, path, "timings", TRUE, &ok, error);
  if (!ok)
    return FALSE;
  if (timings != NULL)
    {
      static const char * const phases[] = { "blocked", "dns", "connect", "send", "wait", NULL };

      /* ssl is part of connect in HAR 1.2; receive comes after the open. */
      for (guint i = 0; phases[i] != NULL; i++)
        {
          double value = -1;

          if (!get_number (origin, timings, timings_path, phases[i], &value, error))
            return FALSE;
          if (value > 0)
            open_ms += value;
        }
    }

  socket = g_new0 (Socket, 1);
  g_ptr_array_add (self->sockets, socket);
  socket->entry = index;
  socket->url = websocket_url (url);
  socket->protocols = request_protocols (request);
  socket->started_us = g_date_time_to_unix (started) * G_USEC_PER_SEC
                       + g_date_time_get_microsecond (started);
  socket->status = (int) status;
  socket->end_ms = -1;
  socket->messages = g_array_new (FALSE, TRUE, sizeof (MiniHarMessage));
  socket->messages_saved = json_object_has_member (entry, "_webSocketMessages");
  g_array_set_clear_func (socket->messages, message_clear);

  if (!parse_messages (origin, entry, path, socket->messages, error)
      || !parse_minisock (origin, entry, path, self, socket, error))
    return FALSE;

  settle_times (socket, open_ms, entry_time);
  return check_replay_times (origin, path, socket, error);
}

/**
 * mini_har_new_from_data:
 * @origin: the file's name, for messages
 *
 * Reads the WebSocket entries of a HAR saved by Chrome, Chromium, Firefox or Minisock. A
 * malformed file is refused with the file, the JSON path and what was expected.
 */
MiniHar *
mini_har_new_from_data (const char  *origin,
                        const char  *data,
                        gssize       length,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MiniHar) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonObject *log;
  JsonObject *creator;
  JsonNode *node;
  JsonArray *entries;
  gint64 first_us = G_MAXINT64;
  gboolean ok;

  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      const char *raw = local_error->message;
      g_autofree char *message = NULL;

      if (g_str_has_prefix (raw, "<data>"))
        raw += strlen ("<data>");
      /* json-glib quotes the bad token cut at a byte count, maybe mid-character (fuzz-har). */
      message = g_utf8_make_valid (raw, -1);
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, _("%s%s%s: invalid JSON"), origin,
                   *message == ':' ? "" : ": ", message);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      mini_set_invalid (error, origin, "$", _("expected a HAR object {\"log\": …}, got %s"),
               mini_json_type_name (node));
      return NULL;
    }
  if (!mini_json_check_utf8 (node, origin, "$", error))
    return NULL;
  root = json_node_get_object (node);
  if ((log = get_object (origin, root, "$", "log", FALSE, &ok, error)) == NULL)
    return NULL;

  node = json_object_get_member (log, "version");
  if (!is_string (node))
    {
      mini_set_invalid (error, origin, "$.log.version", _("expected the HAR version as a string such as "
               "\"1.2\", got %s"), mini_json_type_name (node));
      return NULL;
    }

  self = g_object_new (MINI_TYPE_HAR, NULL);
  self->origin = g_strdup (origin);

  creator = get_object (origin, log, "$.log", "creator", TRUE, &ok, error);
  if (!ok)
    return NULL;
  if (creator != NULL && is_string (json_object_get_member (creator, "name")))
    self->creator = g_strdup (json_object_get_string_member (creator, "name"));

  node = json_object_get_member (log, "entries");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      mini_set_invalid (error, origin, "$.log.entries", _("expected an array of entries, got %s"),
               mini_json_type_name (node));
      return NULL;
    }
  entries = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    if (!parse_entry (self, origin, i, json_array_get_element (entries, i), error))
      return NULL;

  if (self->sockets->len == 0)
    {
      mini_set_invalid (error, origin, "$.log.entries", _("no WebSocket entry: expected a request to a ws:// "
               "or wss:// URL, or an entry with _resourceType \"websocket\""));
      return NULL;
    }

  for (guint i = 0; i < self->sockets->len; i++)
    first_us = MIN (first_us, ((Socket *) g_ptr_array_index (self->sockets, i))->started_us);
  for (guint i = 0; i < self->sockets->len; i++)
    {
      Socket *socket = g_ptr_array_index (self->sockets, i);

      socket->start_ms = (socket->started_us - first_us) / 1000.0;
      if (socket->start_ms > REPLAY_MAX_MS)
        {
          g_autofree char *sub = g_strdup_printf ("$.log.entries[%u].startedDateTime",
                                                  socket->entry);
          mini_set_invalid (error, origin, sub, _("expected a start within %g ms of the first "
                            "WebSocket entry, got %g ms after it"), REPLAY_MAX_MS, socket->start_ms);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

MiniHar *
mini_har_new_from_file (const char  *path,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if ((contents = mini_read_file (path, &length, error)) == NULL)
    return NULL;
  if (!g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, _("%s: not UTF-8 text"), path);
      return NULL;
    }

  return mini_har_new_from_data (path, contents, (gssize) length, error);
}

const char *
mini_har_get_origin (MiniHar *self)
{
  g_return_val_if_fail (MINI_IS_HAR (self), NULL);

  return self->origin;
}

/* The tool that wrote the file ("WebInspector" for Chrome's DevTools, "Firefox", "Minisock"). */
const char *
mini_har_get_creator (MiniHar *self)
{
  g_return_val_if_fail (MINI_IS_HAR (self), NULL);

  return self->creator;
}

/* The dialect a Minisock export recorded; %NULL for a browser's HAR. */
const char *
mini_har_get_dialect_id (MiniHar *self)
{
  g_return_val_if_fail (MINI_IS_HAR (self), NULL);

  return self->dialect_id;
}

guint
mini_har_get_n_sockets (MiniHar *self)
{
  g_return_val_if_fail (MINI_IS_HAR (self), 0);

  return self->sockets->len;
}

static Socket *
get_socket (MiniHar *self,
            guint    socket)
{
  g_return_val_if_fail (MINI_IS_HAR (self), NULL);
  g_return_val_if_fail (socket < self->sockets->len, NULL);

  return g_ptr_array_index (self->sockets, socket);
}

const char *
mini_har_get_url (MiniHar *self,
                  guint    socket)
{
  Socket *s = get_socket (self, socket);

  return s != NULL ? s->url : NULL;
}

/* The subprotocols the handshake offered (Sec-WebSocket-Protocol), possibly none. */
const char * const *
mini_har_get_protocols (MiniHar *self,
                        guint    socket)
{
  Socket *s = get_socket (self, socket);

  return s != NULL ? (const char * const *) s->protocols : NULL;
}

/* When the socket's handshake started, in ms after the first one's. */
double
mini_har_get_start_ms (MiniHar *self,
                       guint    socket)
{
  Socket *s = get_socket (self, socket);

  return s != NULL ? s->start_ms : 0;
}

/* The handshake's HTTP status: 101 when the socket opened, 0 when the file has no answer. */
int
mini_har_get_status (MiniHar *self,
                     guint    socket)
{
  Socket *s = get_socket (self, socket);

  return s != NULL ? s->status : 0;
}

guint
mini_har_get_n_messages (MiniHar *self,
                         guint    socket)
{
  Socket *s = get_socket (self, socket);

  return s != NULL ? s->messages->len : 0;
}

/* Whether the file saved the socket's messages at all: Firefox's HAR has the handshake of a
 * WebSocket but never its messages, which is not the same as a socket that sent none. */
gboolean
mini_har_get_messages_saved (MiniHar *self,
                             guint    socket)
{
  Socket *s = get_socket (self, socket);

  return s != NULL && s->messages_saved;
}

/**
 * mini_har_dup_unsaved_note:
 *
 * Says, in the user's language, that the file has no messages to replay for some or all of
 * its sockets (a HAR saved by Firefox), and what the replay does instead.
 *
 * Returns: (transfer full) (nullable): the note, or %NULL when every socket has its messages
 */
char *
mini_har_dup_unsaved_note (MiniHar *self)
{
  g_autofree char *base = NULL;
  const char *creator;
  guint n_unsaved = 0;

  g_return_val_if_fail (MINI_IS_HAR (self), NULL);

  for (guint i = 0; i < self->sockets->len; i++)
    if (!((Socket *) g_ptr_array_index (self->sockets, i))->messages_saved)
      n_unsaved++;
  if (n_unsaved == 0)
    return NULL;

  base = g_path_get_basename (self->origin);
  /* Translators: stands for the name of the tool that saved a HAR file, when it has none */
  creator = self->creator != NULL ? self->creator : _("the tool that saved it");
  if (n_unsaved == self->sockets->len)
    /* Translators: %s is a HAR file's name, then the tool that saved it, e.g. "Firefox" */
    return g_strdup_printf (_("%s has no WebSocket messages: %s did not save them. The replay "
                              "only opens each connection and closes it."), base, creator);
  /* Translators: %s is a HAR file's name, %u counts connections, the last %s is the tool
   * that saved the file, e.g. "Firefox" */
  return g_strdup_printf (_("%s has no WebSocket messages for %u of its %u connections: %s did "
                            "not save them. The replay only opens those and closes them."),
                          base, n_unsaved, self->sockets->len, creator);
}

gboolean
mini_har_get_message (MiniHar        *self,
                      guint           socket,
                      guint           position,
                      MiniHarMessage *message)
{
  Socket *s = get_socket (self, socket);

  g_return_val_if_fail (message != NULL, FALSE);

  if (s == NULL || position >= s->messages->len)
    return FALSE;
  *message = g_array_index (s->messages, MiniHarMessage, position);
  return TRUE;
}

/* ---- replay -------------------------------------------------------------------------------- */

/* Scenario times are whole ms; offsets are never negative. */
static gint64
round_ms (double ms)
{
  return (gint64) (MAX (ms, 0) + 0.5);
}

static void
add_data (JsonBuilder          *builder,
          const MiniHarMessage *message)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (message->data, &length);

  if (message->binary)
    {
      g_autofree char *encoded = g_base64_encode (bytes, length);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "base64");
      json_builder_add_string_value (builder, encoded);
      json_builder_end_object (builder);
    }
  else
    {
      g_autofree char *text = g_strndup ((const char *) bytes, length);
      json_builder_add_string_value (builder, text);
    }
}

static void
add_step_head (JsonBuilder *builder,
               guint        task,
               double       delay_ms,
               const char  *call)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "on");
  json_builder_add_string_value (builder, "open");
  json_builder_set_member_name (builder, "task");
  json_builder_add_int_value (builder, task);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "delay");
  json_builder_add_int_value (builder, (gint64) round_ms (delay_ms));
  json_builder_set_member_name (builder, "call");
  json_builder_add_string_value (builder, call);
}

static void
add_connect_steps (JsonBuilder *builder,
                   Socket      *socket,
                   guint        task,
                   const char  *url)
{
  static const char * const listeners[] = {
    "SocketTask.onOpen", "SocketTask.onMessage", "SocketTask.onError", "SocketTask.onClose", NULL
  };
  gint64 at = (gint64) round_ms (socket->start_ms);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "at");
  json_builder_add_int_value (builder, at);
  json_builder_set_member_name (builder, "call");
  json_builder_add_string_value (builder, "connectSocket");
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url != NULL ? url : socket->url);
  if (socket->connect != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      /* The session's own options, as it passed them; only the URL may be another. */
      json_object_iter_init (&iter, socket->connect);
      while (json_object_iter_next (&iter, &name, &value))
        if (!g_str_equal (name, "url"))
          {
            json_builder_set_member_name (builder, name);
            json_builder_add_value (builder, json_node_copy (value));
          }
    }
  else
    {
      if (socket->protocols[0] != NULL)
        {
          json_builder_set_member_name (builder, "protocols");
          json_builder_begin_array (builder);
          for (guint i = 0; socket->protocols[i] != NULL; i++)
            json_builder_add_string_value (builder, socket->protocols[i]);
          json_builder_end_array (builder);
        }
      /* Callbacks passed: without them some platforms (uni) return a Promise, no SocketTask. */
      json_builder_set_member_name (builder, "success");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "fail");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  for (guint i = 0; listeners[i] != NULL; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "at");
      json_builder_add_int_value (builder, at);
      json_builder_set_member_name (builder, "task");
      json_builder_add_int_value (builder, task);
      json_builder_set_member_name (builder, "call");
      json_builder_add_string_value (builder, listeners[i]);
      json_builder_end_object (builder);
    }
}

/**
 * mini_har_to_scenario_data:
 * @url: (nullable): connect here instead of the file's URLs, e.g. "{playground}/echo"
 * @dialect_id: (nullable): the dialect to replay on; default the recorded one, else "web"
 *
 * A scenario that replays the file: each WebSocket entry connects at its original offset,
 * registers the four listeners, sends its sent messages at their offsets after the open, and
 * closes when the original did: a Minisock HAR records when; a browser's ends the entry after
 * its last received message, so the replay closes once as many have arrived.
 *
 * Returns: (transfer full): the scenario as JSON text
 */
char *
mini_har_to_scenario_data (MiniHar    *self,
                           const char *url,
                           const char *dialect_id,
                           gsize      *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;
  g_autofree char *note = NULL;
  double last_ms = 0;

  g_return_val_if_fail (MINI_IS_HAR (self), NULL);

  note = mini_har_dup_unsaved_note (self);

  basename = g_path_get_basename (self->origin);
  /* Translators: the title of a replayed HAR file; %s is the file's name */
  title = g_strdup_printf (_("Replay of %s"), basename);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  if (note != NULL)
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, note);
    }
  json_builder_set_member_name (builder, "dialect");
  json_builder_add_string_value (builder, dialect_id != NULL ? dialect_id
                                          : self->dialect_id != NULL ? self->dialect_id : "web");
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);

  for (guint i = 0; i < self->sockets->len; i++)
    {
      Socket *socket = g_ptr_array_index (self->sockets, i);
      guint task = i + 1;
      double close_ms = socket->end_ms;
      double last_received_ms = 0;
      guint n_received = 0;

      add_connect_steps (builder, socket, task, url);

      for (guint m = 0; m < socket->messages->len; m++)
        {
          MiniHarMessage *message = &g_array_index (socket->messages, MiniHarMessage, m);

          if (!message->sent)
            {
              n_received++;
              last_received_ms = MAX (last_received_ms, message->offset_ms);
              continue;
            }
          add_step_head (builder, task, message->offset_ms, "SocketTask.send");
          json_builder_set_member_name (builder, "args");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "data");
          add_data (builder, message);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
          close_ms = MAX (close_ms, message->offset_ms);
        }

      /* A browser's HAR does not say who closed: the replay closes where the entry ends. A
       * Minisock HAR says, and a socket the server closed is left to the server. */
      if (!socket->close_known && n_received > 0)
        {
          /* The close came after the last message the file saw arrive: waiting for as many
           * messages keeps it there, however fast the replay's answers come. */
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "on");
          json_builder_add_string_value (builder, "message");
          json_builder_set_member_name (builder, "task");
          json_builder_add_int_value (builder, task);
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, n_received);
          json_builder_set_member_name (builder, "delay");
          json_builder_add_int_value (builder, round_ms (close_ms - last_received_ms));
          json_builder_set_member_name (builder, "call");
          json_builder_add_string_value (builder, "SocketTask.close");
          json_builder_set_member_name (builder, "args");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, 1000);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      else if (!socket->close_known || socket->client_closed)
        {
          add_step_head (builder, task, MAX (close_ms, 0), "SocketTask.close");
          json_builder_set_member_name (builder, "args");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, socket->close_known ? socket->close_code : 1000);
          if (socket->close_reason != NULL)
            {
              json_builder_set_member_name (builder, "reason");
              json_builder_add_string_value (builder, socket->close_reason);
            }
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }

      last_ms = MAX (last_ms, socket->start_ms + MAX (close_ms, 0));
    }

  json_builder_end_array (builder);

  /* Room for the handshakes and the echoes after the last step; the idle end comes first. */
  json_builder_set_member_name (builder, "until");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "idle");
  json_builder_add_int_value (builder, 500);
  json_builder_set_member_name (builder, "max");
  json_builder_add_int_value (builder, (gint64) round_ms (last_ms) + 15000);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, length);
}

/**
 * mini_har_create_scenario:
 *
 * The replay of mini_har_to_scenario_data() as a scenario, ready to run; its origin is the
 * HAR's file name.
 */
MiniScenario *
mini_har_create_scenario (MiniHar     *self,
                          const char  *url,
                          const char  *dialect_id,
                          GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (MINI_IS_HAR (self), NULL);

  data = mini_har_to_scenario_data (self, url, dialect_id, &length);
  return mini_scenario_new_from_data (self->origin, data, (gssize) length, error);
}
