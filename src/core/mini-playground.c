/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-playground"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <gio/gnetworking.h>
#include <string.h>

#include "mini-playground.h"
#include "mini-util.h"

/* Big enough for any message a mini-program can send, small enough to refuse nonsense. */
#define MAX_INCOMING_PAYLOAD (16 * 1024 * 1024)
#define MAX_FLOOD_SIZE       (16 * 1024 * 1024)
#define FLOOD_BATCH          64
/* A close frame carries at most 125 bytes, two of which are the code. */
#define MAX_REASON_LENGTH    123
/* How long stop waits for libsoup to finish closing what it had started. */
#define SHUTDOWN_GRACE_MS    1000

#define INDEX_TEXT \
  "minisock playground\n" \
  "\n" \
  "WebSocket routes:\n" \
  "  /echo                        echo every text and binary message\n" \
  "  /headers                     first message: the handshake headers as JSON; then echo\n" \
  "\n" \
  "Query parameters (they combine):\n" \
  "  delay_open_ms=N              answer the handshake after N ms\n" \
  "  status=N                     refuse the handshake with HTTP status N\n" \
  "  protocol=NAME|none           subprotocol to answer (default: the first offered)\n" \
  "  close_after=N&code=C&reason=R  close after N messages (code 1000, empty reason)\n" \
  "  drop_after=N                 drop TCP after N messages, no close frame\n" \
  "  push_every_ms=N              send \"tick 1\", \"tick 2\", ... every N ms\n" \
  "  flood=N&size=S               send N text messages of S bytes (default 64) after open\n" \
  "  silent=1                     accept TCP, never answer the handshake\n" \
  "\n" \
  "Example: ws://HOST:PORT/echo?delay_open_ms=300&protocol=none\n"

typedef struct
{
  guint     delay_open_ms;
  guint     status;          /* 0: accept the handshake */
  char     *protocol;        /* NULL: the first one offered */
  gint64    close_after;     /* -1: never */
  guint     close_code;
  char     *close_reason;
  gint64    drop_after;      /* -1: never */
  guint     push_every_ms;   /* 0: no ticks */
  guint64   flood;
  guint     flood_size;
  gboolean  silent;
} Options;

typedef enum {
  PEER_HANDSHAKE,
  PEER_SILENT,
  PEER_OPEN,
} PeerState;

typedef struct
{
  MiniPlayground          *playground;
  PeerState                state;
  Options                  options;
  gboolean                 send_headers;

  SoupServerMessage       *msg;          /* until the upgrade */
  GList                   *extensions;   /* accepted, until the connection owns them */
  GSource                 *delay_source;

  GIOStream               *stream;       /* stolen from the server */
  GSource                 *silent_source;
  SoupWebsocketConnection *conn;

  guint64                  received;
  gboolean                 dropping;
  GSource                 *drop_source;
  guint64                  ticks;
  GSource                 *tick_source;
  guint64                  flooded;
  char                    *flood_buffer;
  GSource                 *flood_source;
} Peer;

struct _MiniPlayground
{
  GObject          parent_instance;

  /* Set by start on the caller's thread; read-only while the server thread runs. */
  GPtrArray       *supported_extensions;
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GSocketAddress  *address;
  char            *url;
  guint            port;
  gboolean         yields_to_ui;

  /* The start handshake between the caller and the server thread. */
  GMutex           mutex;
  GCond            cond;
  gboolean         ready;
  GError          *start_error;

  /* Owned by the server thread. */
  SoupServer      *server;
  GSocket         *listener;
  GSource         *accept_source;
  GQueue           peers;
  guint            live_connections;
};

G_DEFINE_FINAL_TYPE (MiniPlayground, mini_playground, G_TYPE_OBJECT)

static void peer_destroy (Peer *peer);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Every source goes on the server thread's context: g_timeout_add would use the caller's. */
static GSource *
attach_source (MiniPlayground *self,
               GSource        *source,
               int             priority,
               GSourceFunc     func,
               gpointer        data)
{
  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->protocol, g_free);
  g_clear_pointer (&options->close_reason, g_free);
}

static gboolean
lookup_uint (GHashTable *query,
             const char *name,
             guint64     min,
             guint64     max,
             guint64    *value,
             gboolean   *present)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  *present = text != NULL;
  if (text == NULL)
    return TRUE;

  return g_ascii_string_to_unsigned (text, 10, min, max, value, NULL);
}

/* The codes libsoup agrees to put in a server's close frame; any other would become 1002. */
static gboolean
close_code_is_sendable (guint64 code)
{
  switch (code)
    {
    case SOUP_WEBSOCKET_CLOSE_NORMAL:
    case SOUP_WEBSOCKET_CLOSE_GOING_AWAY:
    case SOUP_WEBSOCKET_CLOSE_PROTOCOL_ERROR:
    case SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA:
    case SOUP_WEBSOCKET_CLOSE_BAD_DATA:
    case SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION:
    case SOUP_WEBSOCKET_CLOSE_TOO_BIG:
    case SOUP_WEBSOCKET_CLOSE_SERVER_ERROR:
      return TRUE;
    default:
      return code >= 3000 && code <= 4999;
    }
}

static gboolean
is_token (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isgraph (*p) || strchr ("()<>@,;:\\\"/[]?={}", *p) != NULL)
        return FALSE;
    }

  return TRUE;
}

/* Returns the name of the first invalid parameter, or NULL when they are all fine. */
static const char *
options_parse (Options    *options,
               GHashTable *query)
{
  const char *text;
  guint64 value;
  gboolean present;

  options->close_after = -1;
  options->close_code = SOUP_WEBSOCKET_CLOSE_NORMAL;
  options->drop_after = -1;
  options->flood_size = 64;

  if (!lookup_uint (query, "delay_open_ms", 0, 10 * 60 * 1000, &value, &present))
    return "delay_open_ms";
  if (present)
    options->delay_open_ms = value;

  /* 1xx would leave the handshake half answered. */
  if (!lookup_uint (query, "status", 200, 599, &value, &present))
    return "status";
  if (present)
    options->status = value;

  text = query != NULL ? g_hash_table_lookup (query, "protocol") : NULL;
  if (text != NULL)
    {
      if (!is_token (text))
        return "protocol";
      options->protocol = g_strdup (text);
    }

  if (!lookup_uint (query, "close_after", 0, G_MAXUINT32, &value, &present))
    return "close_after";
  if (present)
    options->close_after = value;

  if (!lookup_uint (query, "code", 1000, 4999, &value, &present) ||
      (present && !close_code_is_sendable (value)))
    return "code";
  if (present)
    options->close_code = value;

  text = query != NULL ? g_hash_table_lookup (query, "reason") : NULL;
  if (text != NULL)
    {
      if (strlen (text) > MAX_REASON_LENGTH || !g_utf8_validate (text, -1, NULL))
        return "reason";
      options->close_reason = g_strdup (text);
    }

  if (!lookup_uint (query, "drop_after", 0, G_MAXUINT32, &value, &present))
    return "drop_after";
  if (present)
    options->drop_after = value;

  if (!lookup_uint (query, "push_every_ms", 1, 60 * 60 * 1000, &value, &present))
    return "push_every_ms";
  if (present)
    options->push_every_ms = value;

  if (!lookup_uint (query, "flood", 0, G_MAXUINT32, &value, &present))
    return "flood";
  if (present)
    options->flood = value;

  if (!lookup_uint (query, "size", 0, MAX_FLOOD_SIZE, &value, &present))
    return "size";
  if (present)
    options->flood_size = value;

  if (!lookup_uint (query, "silent", 0, 1, &value, &present))
    return "silent";
  if (present)
    options->silent = value == 1;

  return NULL;
}

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

/* A refused handshake must not leave the client waiting on a keep-alive connection. */
static void
refuse (SoupServerMessage *msg,
        guint              status,
        const char        *text)
{
  respond_text (msg, status, text);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

static char *
headers_to_json (SoupMessageHeaders *headers)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      const char *previous = json_object_get_string_member_with_default (object, name, NULL);

      /* Repeated headers are one list, the way HTTP defines them. */
      if (previous != NULL)
        {
          g_autofree char *joined = g_strconcat (previous, ", ", value, NULL);
          json_object_set_string_member (object, name, joined);
        }
      else
        {
          json_object_set_string_member (object, name, value);
        }
    }

  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
peer_is_open (Peer *peer)
{
  return peer->state == PEER_OPEN && !peer->dropping &&
         soup_websocket_connection_get_state (peer->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

static gboolean
on_drop (gpointer data)
{
  Peer *peer = data;

  g_debug ("dropping TCP after %" G_GUINT64_FORMAT " messages", peer->received);
  g_clear_pointer (&peer->drop_source, g_source_unref);
  peer_destroy (peer);
  return G_SOURCE_REMOVE;
}

static void
peer_check_limits (Peer *peer)
{
  if (!peer_is_open (peer))
    return;

  if (peer->options.close_after >= 0 && peer->received >= (guint64) peer->options.close_after)
    {
      soup_websocket_connection_close (peer->conn, peer->options.close_code,
                                       peer->options.close_reason);
      return;
    }

  if (peer->options.drop_after >= 0 && peer->received >= (guint64) peer->options.drop_after)
    {
      /* Not from inside libsoup's read loop, which still uses the connection after this. */
      peer->dropping = TRUE;
      peer->drop_source = attach_source (peer->playground, g_idle_source_new (),
                                         G_PRIORITY_DEFAULT, on_drop, peer);
    }
}

static gboolean
on_tick (gpointer data)
{
  Peer *peer = data;
  g_autofree char *text = NULL;

  if (!peer_is_open (peer))
    {
      g_clear_pointer (&peer->tick_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  text = g_strdup_printf ("tick %" G_GUINT64_FORMAT, ++peer->ticks);
  soup_websocket_connection_send_text (peer->conn, text);
  return G_SOURCE_CONTINUE;
}

static gboolean on_flood (gpointer data);

static gboolean
on_flood_writable (GObject  *stream,
                   gpointer  data)
{
  return on_flood (data);
}

static void
flood_schedule (Peer     *peer,
                gboolean  wait_writable)
{
  GSource *source;

  if (wait_writable)
    {
      GOutputStream *output = g_io_stream_get_output_stream (peer->stream);

      source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (output), NULL);
      g_source_set_callback (source, G_SOURCE_FUNC (on_flood_writable), peer, NULL);
    }
  else
    {
      source = g_idle_source_new ();
      g_source_set_callback (source, on_flood, peer, NULL);
    }

  /* Low priority, so echoes, the client's close and libsoup's own writes go first. */
  g_source_set_priority (source, G_PRIORITY_LOW);
  g_source_attach (source, peer->playground->context);
  peer->flood_source = source;
}

static gboolean
on_flood (gpointer data)
{
  Peer *peer = data;
  GPollableOutputStream *output;
  gsize size = peer->options.flood_size;

  g_clear_pointer (&peer->flood_source, g_source_unref);

  if (!peer_is_open (peer))
    return G_SOURCE_REMOVE;

  output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (peer->stream));

  for (guint i = 0; i < FLOOD_BATCH && peer->flooded < peer->options.flood; i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      char prefix[32];
      gsize length;

      /* libsoup queues whatever it cannot write; waiting here keeps that queue short. */
      if (!g_pollable_output_stream_is_writable (output))
        {
          flood_schedule (peer, TRUE);
          return G_SOURCE_REMOVE;
        }

      /* Numbers only grow longer, so each prefix covers the previous one. */
      length = g_snprintf (prefix, sizeof prefix, "%" G_GUINT64_FORMAT " ", ++peer->flooded);
      if (length <= size)
        memcpy (peer->flood_buffer, prefix, length);

      bytes = g_bytes_new_static (peer->flood_buffer, size);
      soup_websocket_connection_send_message (peer->conn, SOUP_WEBSOCKET_DATA_TEXT, bytes);

      if (!peer_is_open (peer))
        return G_SOURCE_REMOVE;
    }

  if (peer->flooded < peer->options.flood)
    flood_schedule (peer, FALSE);
  else
    g_debug ("flood of %" G_GUINT64_FORMAT " messages sent", peer->flooded);

  return G_SOURCE_REMOVE;
}

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            Peer                    *peer)
{
  /* libsoup still delivers what arrives after our close frame; sending now would be an error. */
  if (!peer_is_open (peer))
    return;

  peer->received++;
  soup_websocket_connection_send_message (conn, type, message);
  peer_check_limits (peer);
}

static void
on_error (SoupWebsocketConnection *conn,
          GError                  *error,
          Peer                    *peer)
{
  g_debug ("connection error: %s", error->message);
}

static void
on_closed (SoupWebsocketConnection *conn,
           Peer                    *peer)
{
  g_debug ("connection closed");
  peer_destroy (peer);
}

static void
on_connection_finalized (gpointer  data,
                         GObject  *where_the_object_was)
{
  MiniPlayground *self = data;

  self->live_connections--;
}

static void
peer_open (Peer *peer)
{
  if (peer->send_headers)
    {
      g_autofree char *json = NULL;

      json = headers_to_json (soup_server_message_get_request_headers (peer->msg));
      soup_websocket_connection_send_text (peer->conn, json);
    }

  if (peer->options.push_every_ms > 0)
    peer->tick_source = attach_source (peer->playground,
                                       g_timeout_source_new (peer->options.push_every_ms),
                                       G_PRIORITY_DEFAULT, on_tick, peer);

  if (peer->options.flood > 0)
    {
      gsize size = peer->options.flood_size;

      peer->flood_buffer = g_malloc (size + 1);
      for (gsize i = 0; i < size; i++)
        peer->flood_buffer[i] = 'a' + i % 26;
      flood_schedule (peer, FALSE);
    }

  peer_check_limits (peer);
}

static void
on_handshake_finished (SoupServerMessage *msg,
                       Peer              *peer)
{
  /* The 101 never made it out: the client went away during the handshake. */
  g_debug ("handshake finished without an upgrade");
  peer_destroy (peer);
}

static void
on_wrote_informational (SoupServerMessage *msg,
                        Peer              *peer)
{
  MiniPlayground *self = peer->playground;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *origin;
  const char *protocol;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;

  g_signal_handlers_disconnect_by_data (msg, peer);

  origin = soup_message_headers_get_one (request, "Origin");
  protocol = soup_message_headers_get_one (response, "Sec-WebSocket-Protocol");
  peer->stream = soup_server_message_steal_connection (msg);
  peer->conn = soup_websocket_connection_new (peer->stream, soup_server_message_get_uri (msg),
                                              SOUP_WEBSOCKET_CONNECTION_SERVER, origin, protocol,
                                              g_steal_pointer (&peer->extensions));
  peer->state = PEER_OPEN;
  self->live_connections++;
  g_object_weak_ref (G_OBJECT (peer->conn), on_connection_finalized, self);

  soup_websocket_connection_set_max_incoming_payload_size (peer->conn, MAX_INCOMING_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (peer->conn, 0);
  g_signal_connect (peer->conn, "message", G_CALLBACK (on_message), peer);
  g_signal_connect (peer->conn, "error", G_CALLBACK (on_error), peer);
  g_signal_connect (peer->conn, "closed", G_CALLBACK (on_closed), peer);

  g_debug ("open: %s", g_uri_get_path (soup_server_message_get_uri (msg)));
  peer_open (peer);

  /* The message is done once /headers has read it. */
  g_clear_object (&peer->msg);
}

static char *
choose_protocol (Peer *peer)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (peer->msg);
  const char *offered;
  g_auto(GStrv) tokens = NULL;

  if (g_strcmp0 (peer->options.protocol, "none") == 0)
    return NULL;
  if (peer->options.protocol != NULL)
    return g_strdup (peer->options.protocol);

  offered = soup_message_headers_get_list (request, "Sec-WebSocket-Protocol");
  if (offered == NULL)
    return NULL;

  tokens = g_strsplit (offered, ",", 2);
  if (tokens[0] == NULL)
    return NULL;
  g_strstrip (tokens[0]);
  return *tokens[0] != '\0' ? g_strdup (tokens[0]) : NULL;
}

/* Ends the handshake: refused when status= asks for it, accepted otherwise. */
static void
peer_answer (Peer *peer)
{
  MiniPlayground *self = peer->playground;
  SoupServerMessage *msg = peer->msg;
  g_autofree char *protocol = NULL;
  SoupMessageHeaders *response;

  if (peer->options.status != 0)
    {
      g_autofree char *text = g_strdup_printf ("refused by the playground (status=%u)\n",
                                               peer->options.status);

      refuse (msg, peer->options.status, text);
      peer_destroy (peer);
      return;
    }

  /* No protocol list, so libsoup leaves the choice to us. */
  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, self->supported_extensions,
                                                &peer->extensions))
    {
      peer_destroy (peer);
      return;
    }

  response = soup_server_message_get_response_headers (msg);
  soup_message_headers_remove (response, "Sec-WebSocket-Protocol");
  protocol = choose_protocol (peer);
  if (protocol != NULL)
    soup_message_headers_replace (response, "Sec-WebSocket-Protocol", protocol);

  g_signal_connect (msg, "wrote-informational", G_CALLBACK (on_wrote_informational), peer);
  g_signal_connect (msg, "finished", G_CALLBACK (on_handshake_finished), peer);
}

static gboolean
on_delay_elapsed (gpointer data)
{
  Peer *peer = data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (peer->msg);

  g_clear_pointer (&peer->delay_source, g_source_unref);
  peer_answer (peer);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* A silent peer only reads, to notice when the client gives up. */
static gboolean
on_silent_readable (GObject  *stream,
                    gpointer  data)
{
  Peer *peer = data;
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize count;

  count = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                    buffer, sizeof buffer, NULL, &error);
  if (count > 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;

  g_debug ("silent client went away");
  g_clear_pointer (&peer->silent_source, g_source_unref);
  peer_destroy (peer);
  return G_SOURCE_REMOVE;
}

static void
peer_go_silent (Peer *peer)
{
  GInputStream *input;

  /* Taking the connection away from the server is what keeps it from ever answering. */
  peer->state = PEER_SILENT;
  peer->stream = soup_server_message_steal_connection (peer->msg);
  g_clear_object (&peer->msg);

  input = g_io_stream_get_input_stream (peer->stream);
  peer->silent_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (input),
                                                               NULL);
  g_source_set_callback (peer->silent_source, G_SOURCE_FUNC (on_silent_readable), peer, NULL);
  g_source_attach (peer->silent_source, peer->playground->context);
}

static Peer *
peer_new (MiniPlayground    *self,
          SoupServerMessage *msg,
          Options           *options)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->playground = self;
  peer->state = PEER_HANDSHAKE;
  peer->options = *options;
  memset (options, 0, sizeof *options);
  peer->msg = g_object_ref (msg);
  g_queue_push_tail (&self->peers, peer);
  return peer;
}

static void
peer_destroy (Peer *peer)
{
  MiniPlayground *self = peer->playground;

  g_queue_remove (&self->peers, peer);

  clear_source (&peer->delay_source);
  clear_source (&peer->silent_source);
  clear_source (&peer->drop_source);
  clear_source (&peer->tick_source);
  clear_source (&peer->flood_source);

  if (peer->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer->msg, peer);
      g_clear_object (&peer->msg);
    }

  if (peer->conn != NULL)
    g_signal_handlers_disconnect_by_data (peer->conn, peer);

  /* Closing the stream ourselves is what drops TCP without a close frame. */
  if (peer->stream != NULL && !g_io_stream_is_closed (peer->stream))
    g_io_stream_close (peer->stream, NULL, NULL);

  g_clear_object (&peer->conn);
  g_clear_object (&peer->stream);
  g_list_free_full (peer->extensions, g_object_unref);
  g_free (peer->flood_buffer);
  options_clear (&peer->options);
  g_free (peer);
}

/* libsoup 3.2 looks up the peer's address when a connection is stolen, and warns if the peer
 * has gone by then. Looking it up now, quietly first, lets libsoup cache it while the client is
 * there. */
static gboolean
peer_is_still_there (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GSocketAddress) address = NULL;

  if (socket == NULL)
    return TRUE;

  address = g_socket_get_remote_address (socket, NULL);
  if (address == NULL)
    return FALSE;

  soup_server_message_get_remote_address (msg);
  return TRUE;
}

static gboolean
is_websocket_request (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);

  return soup_message_headers_header_contains (request, "Upgrade", "websocket");
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  MiniPlayground *self = user_data;
  g_autoptr(GError) error = NULL;
  Options options = { 0 };
  const char *bad;
  Peer *peer;

  g_debug ("%s %s", soup_server_message_get_method (msg), path);

  if (g_str_equal (path, "/") && !is_websocket_request (msg))
    {
      const char *method = soup_server_message_get_method (msg);

      if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
        {
          respond_text (msg, SOUP_STATUS_OK, INDEX_TEXT);
        }
      else
        {
          respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "only GET\n");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Allow", "GET, HEAD");
        }
      return;
    }

  if (!g_str_equal (path, "/echo") && !g_str_equal (path, "/headers"))
    {
      g_autofree char *text = g_strdup_printf ("no playground route %s; GET / lists them\n", path);

      refuse (msg, SOUP_STATUS_NOT_FOUND, text);
      return;
    }

  bad = options_parse (&options, query);
  if (bad != NULL)
    {
      g_autofree char *text = g_strdup_printf ("invalid value for %s: %s\n", bad,
                                               (char *) g_hash_table_lookup (query, bad));

      options_clear (&options);
      refuse (msg, SOUP_STATUS_BAD_REQUEST, text);
      return;
    }

  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, self->supported_extensions, &error))
    {
      g_autofree char *text = g_strdup_printf ("not a WebSocket handshake: %s\n", error->message);

      options_clear (&options);
      refuse (msg, SOUP_STATUS_BAD_REQUEST, text);
      return;
    }

  if (!peer_is_still_there (msg))
    {
      options_clear (&options);
      refuse (msg, SOUP_STATUS_BAD_REQUEST, "gone\n");
      return;
    }

  peer = peer_new (self, msg, &options);
  peer->send_headers = g_str_equal (path, "/headers");

  if (peer->options.silent)
    {
      peer_go_silent (peer);
      return;
    }

  if (peer->options.delay_open_ms > 0)
    {
      soup_server_message_pause (msg);
      peer->delay_source = attach_source (self, g_timeout_source_new (peer->options.delay_open_ms),
                                          G_PRIORITY_DEFAULT, on_delay_elapsed, peer);
      return;
    }

  peer_answer (peer);
}

static gboolean
on_shutdown_deadline (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static void
server_shutdown (MiniPlayground *self)
{
  g_autoptr(GSource) deadline = NULL;
  gboolean expired = FALSE;
  Peer *peer;

  /* No new connections from here on. */
  clear_source (&self->accept_source);
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);

  /* A paused handshake must be let go, or libsoup keeps its message for ever. */
  for (GList *l = self->peers.head; l != NULL; l = l->next)
    {
      peer = l->data;
      if (peer->state == PEER_HANDSHAKE && peer->delay_source != NULL)
        {
          clear_source (&peer->delay_source);
          refuse (peer->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "playground stopped\n");
          soup_server_message_unpause (peer->msg);
        }
    }

  /* Give those 503s their chance to be written before the sockets go. */
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  while ((peer = g_queue_peek_head (&self->peers)) != NULL)
    peer_destroy (peer);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  /* libsoup closes connections asynchronously; let that finish on this context. */
  deadline = attach_source (self, g_timeout_source_new (SHUTDOWN_GRACE_MS),
                            G_PRIORITY_DEFAULT, on_shutdown_deadline, &expired);
  while (self->live_connections > 0 && !expired)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (deadline);

  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  if (self->live_connections > 0)
    g_debug ("%u connections still closing at shutdown", self->live_connections);
}

/* A connection waits on the listening socket: hand it to the SoupServer as a stream.
 *
 * The playground accepts its own connections rather than through soup_server_listen(), whose
 * listener in libsoup 3.2 keeps every accepted GSocket once the connection was stolen for a
 * WebSocket: about 400 bytes per connection, for ever, in a long session. */
static gboolean
on_incoming (GSocket      *listener,
             GIOCondition  condition,
             gpointer      data)
{
  MiniPlayground *self = data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_accept (listener, NULL, &error);
  if (socket == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_debug ("accept: %s", error->message);
      return G_SOURCE_CONTINUE;
    }

  /* A peer that has gone already has no address: nothing to serve. */
  local = g_socket_get_local_address (socket, NULL);
  remote = g_socket_get_remote_address (socket, NULL);
  if (local == NULL || remote == NULL)
    return G_SOURCE_CONTINUE;

  connection = g_socket_connection_factory_create_connection (socket);
  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("accept: %s", error->message);

  return G_SOURCE_CONTINUE;
}

/* A listening socket on @address, as soup_server_listen() would make it. */
static GSocket *
listen_on (GSocketAddress  *address,
           GError         **error)
{
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_blocking (socket, FALSE);

  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;

  return g_steal_pointer (&socket);
}

static gpointer
server_thread (gpointer data)
{
  MiniPlayground *self = data;
  g_autoptr(GError) error = NULL;
  guint port = 0;

  g_main_context_push_thread_default (self->context);
  if (self->yields_to_ui)
    mini_thread_yield_to_ui ();

  self->server = soup_server_new ("server-header", "minisock-playground/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);

  self->listener = listen_on (self->address, &error);
  if (self->listener != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (self->listener, &error);

      if (local != NULL)
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
      g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_incoming), self, NULL);
      g_source_attach (self->accept_source, self->context);
    }

  g_mutex_lock (&self->mutex);
  self->ready = TRUE;
  self->port = port;
  self->start_error = g_steal_pointer (&error);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (port != 0)
    g_main_loop_run (self->loop);

  server_shutdown (self);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
mini_playground_dispose (GObject *object)
{
  MiniPlayground *self = MINI_PLAYGROUND (object);

  mini_playground_stop (self);

  G_OBJECT_CLASS (mini_playground_parent_class)->dispose (object);
}

static void
mini_playground_finalize (GObject *object)
{
  MiniPlayground *self = MINI_PLAYGROUND (object);

  g_ptr_array_unref (self->supported_extensions);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (mini_playground_parent_class)->finalize (object);
}

static void
mini_playground_class_init (MiniPlaygroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_playground_dispose;
  object_class->finalize = mini_playground_finalize;
}

static void
mini_playground_init (MiniPlayground *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->peers);

  self->supported_extensions = g_ptr_array_new_with_free_func (g_type_class_unref);
  g_ptr_array_add (self->supported_extensions,
                   g_type_class_ref (SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE));
}

MiniPlayground *
mini_playground_new (void)
{
  return g_object_new (MINI_TYPE_PLAYGROUND, NULL);
}

static GInetAddress *
resolve_host (const char  *host,
              GError     **error)
{
  g_autoptr(GResolver) resolver = NULL;
  GInetAddress *address;
  GList *addresses;

  address = g_inet_address_new_from_string (host);
  if (address != NULL)
    return address;

  resolver = g_resolver_get_default ();
  addresses = g_resolver_lookup_by_name (resolver, host, NULL, error);
  if (addresses == NULL)
    return NULL;

  /* "localhost" often resolves to ::1 first, but clients usually try 127.0.0.1. */
  address = addresses->data;
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
        {
          address = l->data;
          break;
        }
    }

  g_object_ref (address);
  g_resolver_free_addresses (addresses);
  return address;
}

/* "host:port", with an IPv6 host in brackets as URLs and error messages want it. */
static char *
format_host_port (const char *host,
                  guint       port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);

  return g_strdup_printf ("%s:%u", host, port);
}

static void
clear_started (MiniPlayground *self)
{
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->address);
  g_clear_pointer (&self->url, g_free);
  self->port = 0;
  self->ready = FALSE;
}

gboolean
mini_playground_start (MiniPlayground  *self,
                       const char      *host,
                       guint            port,
                       GError         **error)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (MINI_IS_PLAYGROUND (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (host == NULL)
    host = "127.0.0.1";

  where = format_host_port (host, port);

  inet_address = resolve_host (host, &local_error);
  if (inet_address == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not listen on %s: "), where);
      return FALSE;
    }

  self->address = g_inet_socket_address_new (inet_address, port);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->ready = FALSE;

  self->thread = g_thread_try_new ("minisock-play", server_thread, self, &local_error);
  if (self->thread == NULL)
    {
      clear_started (self);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not listen on %s: "), where);
      return FALSE;
    }

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  local_error = g_steal_pointer (&self->start_error);
  g_mutex_unlock (&self->mutex);

  if (local_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      clear_started (self);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not listen on %s: "), where);
      return FALSE;
    }

  g_free (where);
  where = format_host_port (host, self->port);
  self->url = g_strconcat ("ws://", where, NULL);
  g_debug ("listening on %s", self->url);
  return TRUE;
}

/**
 * mini_playground_set_yields_to_ui:
 *
 * Before start: whether the server thread runs below the priority of a window's thread, as the
 * app's embedded playground does. A flood it sends then takes the cores a frame does not need.
 */
void
mini_playground_set_yields_to_ui (MiniPlayground *self,
                                  gboolean        yields)
{
  g_return_if_fail (MINI_IS_PLAYGROUND (self));
  g_return_if_fail (self->thread == NULL);

  self->yields_to_ui = yields;
}

void
mini_playground_stop (MiniPlayground *self)
{
  g_return_if_fail (MINI_IS_PLAYGROUND (self));

  if (self->thread == NULL)
    return;

  g_return_if_fail (self->thread != g_thread_self ());

  /* The thread owns its context, so g_main_context_invoke would queue this idle anyway. */
  g_source_unref (attach_source (self, g_idle_source_new (), G_PRIORITY_DEFAULT,
                                 quit_loop, self->loop));
  g_thread_join (g_steal_pointer (&self->thread));
  clear_started (self);
}

gboolean
mini_playground_is_running (MiniPlayground *self)
{
  g_return_val_if_fail (MINI_IS_PLAYGROUND (self), FALSE);

  return self->thread != NULL;
}

guint
mini_playground_get_port (MiniPlayground *self)
{
  g_return_val_if_fail (MINI_IS_PLAYGROUND (self), 0);

  return self->port;
}

const char *
mini_playground_get_url (MiniPlayground *self)
{
  g_return_val_if_fail (MINI_IS_PLAYGROUND (self), NULL);

  return self->url;
}
