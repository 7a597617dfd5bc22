/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "mini-playground.h"

/* Every wait on the main loop gives up after this long. */
#define DEADLINE_MS 5000

#include "mini-test-util.h"

typedef struct
{
  MiniPlayground *playground;
  SoupSession    *session;
} Fixture;

typedef struct
{
  SoupMessage             *msg;
  GCancellable            *cancellable;
  SoupWebsocketConnection *conn;
  GError                  *connect_error;
  gboolean                 done;
  gint64                   started_at;
  gint64                   opened_at;

  GPtrArray               *messages;
  GArray                  *types;
  guint                    errors;
  GError                  *first_error;
  gboolean                 closed;
  gushort                  close_code;
  char                    *close_data;
} Client;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->playground = mini_playground_new ();
  g_assert_true (mini_playground_start (fx->playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fx->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_assert_finalize_object (fx->playground);
  g_assert_finalize_object (fx->session);
}

static void
client_on_message (SoupWebsocketConnection *conn,
                   int                      type,
                   GBytes                  *message,
                   Client                  *client)
{
  g_ptr_array_add (client->messages, g_bytes_ref (message));
  g_array_append_val (client->types, type);
}

static void
client_on_error (SoupWebsocketConnection *conn,
                 GError                  *error,
                 Client                  *client)
{
  client->errors++;
  if (client->first_error == NULL)
    client->first_error = g_error_copy (error);
}

static void
client_on_closed (SoupWebsocketConnection *conn,
                  Client                  *client)
{
  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (conn);
  client->close_data = g_strdup (soup_websocket_connection_get_close_data (conn));
}

static void
client_on_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  Client *client = data;

  client->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                        &client->connect_error);
  client->done = TRUE;
  client->opened_at = g_get_monotonic_time ();

  if (client->conn != NULL)
    {
      g_signal_connect (client->conn, "message", G_CALLBACK (client_on_message), client);
      g_signal_connect (client->conn, "error", G_CALLBACK (client_on_error), client);
      g_signal_connect (client->conn, "closed", G_CALLBACK (client_on_closed), client);
    }
}

static Client *
client_start (MiniPlayground *playground,
              const char     *path)
{
  Client *client = g_new0 (Client, 1);
  g_autofree char *uri = g_strconcat (mini_playground_get_url (playground), path, NULL);

  client->msg = soup_message_new (SOUP_METHOD_GET, uri);
  g_assert_nonnull (client->msg);
  client->cancellable = g_cancellable_new ();
  client->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  client->types = g_array_new (FALSE, FALSE, sizeof (int));
  client->started_at = g_get_monotonic_time ();
  return client;
}

static void
client_connect (Fixture            *fx,
                Client             *client,
                const char * const *protocols)
{
  soup_session_websocket_connect_async (fx->session, client->msg, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, client->cancellable,
                                        client_on_connected, client);
}

/* Connects and waits for the outcome, open or failed. */
static Client *
client_new_on (Fixture            *fx,
               MiniPlayground     *playground,
               const char         *path,
               const char * const *protocols)
{
  Client *client = client_start (playground, path);

  client_connect (fx, client, protocols);
  WAIT_FOR (client->done);
  return client;
}

static Client *
client_new (Fixture            *fx,
            const char         *path,
            const char * const *protocols)
{
  return client_new_on (fx, fx->playground, path, protocols);
}

static Client *
client_open (Fixture    *fx,
             const char *path)
{
  Client *client = client_new (fx, path, NULL);

  g_assert_no_error (client->connect_error);
  g_assert_nonnull (client->conn);
  return client;
}

static void
client_free (Client *client)
{
  if (client->conn != NULL && !client->closed)
    {
      if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      WAIT_FOR (client->closed);
    }

  if (client->conn != NULL)
    g_signal_handlers_disconnect_by_data (client->conn, client);
  g_clear_object (&client->conn);
  g_clear_object (&client->msg);
  g_clear_object (&client->cancellable);
  g_clear_error (&client->connect_error);
  g_clear_error (&client->first_error);
  g_ptr_array_unref (client->messages);
  g_array_unref (client->types);
  g_free (client->close_data);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static char *
message_text (Client *client,
              guint   index)
{
  GBytes *bytes = g_ptr_array_index (client->messages, index);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

static void
assert_text (Client     *client,
             guint       index,
             const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_cmpuint (client->messages->len, >, index);
  g_assert_cmpint (g_array_index (client->types, int, index), ==, SOUP_WEBSOCKET_DATA_TEXT);
  text = message_text (client, index);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_echo_text (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo");

  soup_websocket_connection_send_text (client->conn, "hello");
  soup_websocket_connection_send_text (client->conn, "你好");
  WAIT_FOR (client->messages->len == 2);
  assert_text (client, 0, "hello");
  assert_text (client, 1, "你好");
  g_assert_cmpuint (client->errors, ==, 0);
}

static void
test_echo_binary (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo");
  static const guint8 payload[] = { 0x00, 0xff, 0x10, 0x00, 0x80 };
  g_autoptr(GBytes) expected = g_bytes_new_static (payload, sizeof payload);
  g_autoptr(GBytes) large = NULL;
  g_autofree guint8 *buffer = g_malloc (300 * 1024);

  /* Bigger than libsoup's default 128 KiB limit, which the playground raises. */
  for (gsize i = 0; i < 300 * 1024; i++)
    buffer[i] = i * 7;
  large = g_bytes_new (buffer, 300 * 1024);
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, 1024 * 1024);

  soup_websocket_connection_send_binary (client->conn, payload, sizeof payload);
  soup_websocket_connection_send_message (client->conn, SOUP_WEBSOCKET_DATA_BINARY, large);
  WAIT_FOR (client->messages->len == 2);
  g_assert_cmpint (g_array_index (client->types, int, 0), ==, SOUP_WEBSOCKET_DATA_BINARY);
  g_assert_true (g_bytes_equal (g_ptr_array_index (client->messages, 0), expected));
  g_assert_cmpint (g_array_index (client->types, int, 1), ==, SOUP_WEBSOCKET_DATA_BINARY);
  g_assert_true (g_bytes_equal (g_ptr_array_index (client->messages, 1), large));
}

static void
test_deflate (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(Client) plain = client_open (fx, "/echo");
  g_autoptr(Client) client = NULL;
  g_autofree char *text = NULL;
  GList *extensions;

  /* A bare session offers no extension at all. */
  g_assert_null (soup_websocket_connection_get_extensions (plain->conn));

  soup_session_add_feature_by_type (fx->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  client = client_open (fx, "/echo");
  extensions = soup_websocket_connection_get_extensions (client->conn);
  g_assert_cmpuint (g_list_length (extensions), ==, 1);
  g_assert_true (SOUP_IS_WEBSOCKET_EXTENSION_DEFLATE (extensions->data));

  text = g_strnfill (10000, 'z');
  soup_websocket_connection_send_text (client->conn, text);
  WAIT_FOR (client->messages->len == 1);
  assert_text (client, 0, text);
}

static void
test_headers (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(Client) client = client_start (fx->playground, "/headers");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *object;

  soup_message_headers_append (soup_message_get_request_headers (client->msg),
                               "X-Minisock-Test", "42");
  client_connect (fx, client, NULL);
  WAIT_FOR (client->done);
  g_assert_no_error (client->connect_error);

  WAIT_FOR (client->messages->len == 1);
  g_assert_cmpint (g_array_index (client->types, int, 0), ==, SOUP_WEBSOCKET_DATA_TEXT);
  json = message_text (client, 0);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "X-Minisock-Test", NULL),
                   ==, "42");
  g_assert_cmpuint (strlen (json_object_get_string_member_with_default (object,
                                                                       "Sec-WebSocket-Key",
                                                                       "")), ==, 24);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "Upgrade", NULL),
                   ==, "websocket");

  /* After the headers, /headers echoes like /echo. */
  soup_websocket_connection_send_text (client->conn, "after");
  WAIT_FOR (client->messages->len == 2);
  assert_text (client, 1, "after");
}

static void
test_delay_open (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo?delay_open_ms=300");
  gint64 elapsed_ms = (client->opened_at - client->started_at) / 1000;

  g_test_message ("opened after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, 300);
  g_assert_cmpint (elapsed_ms, <, 3000);

  soup_websocket_connection_send_text (client->conn, "late");
  WAIT_FOR (client->messages->len == 1);
  assert_text (client, 0, "late");
}

static void
test_no_delay (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo");
  gint64 elapsed_ms = (client->opened_at - client->started_at) / 1000;

  /* The counterpart of the delay test: without delay_open_ms the handshake is quick. */
  g_assert_cmpint (elapsed_ms, <, 250);
}

static void
test_status (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(Client) not_found = client_new (fx, "/echo?status=404", NULL);
  g_autoptr(Client) unavailable = client_new (fx, "/echo?status=503&delay_open_ms=50", NULL);

  g_assert_null (not_found->conn);
  g_assert_error (not_found->connect_error, SOUP_WEBSOCKET_ERROR,
                  SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET);
  g_assert_cmpuint (soup_message_get_status (not_found->msg), ==, 404);

  g_assert_null (unavailable->conn);
  g_assert_nonnull (unavailable->connect_error);
  g_assert_cmpuint (soup_message_get_status (unavailable->msg), ==, 503);
}

static void
test_not_found (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(Client) client = client_new (fx, "/nope", NULL);
  g_autoptr(Client) root = client_new (fx, "/", NULL);

  g_assert_null (client->conn);
  g_assert_nonnull (client->connect_error);
  g_assert_cmpuint (soup_message_get_status (client->msg), ==, 404);

  /* / is the index for browsers and curl, not a WebSocket route. */
  g_assert_null (root->conn);
  g_assert_cmpuint (soup_message_get_status (root->msg), ==, 404);
}

static GBytes *
http_get (Fixture     *fx,
          const char  *path,
          guint       *status)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u%s",
                                          mini_playground_get_port (fx->playground), path);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, uri);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  /* Synchronous is fine: the playground answers from its own thread. */
  body = soup_session_send_and_read (fx->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return body;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strstr_len (data, size, needle) != NULL;
}

static void
test_index (Fixture       *fx,
            gconstpointer  data)
{
  guint status = 0;
  g_autoptr(GBytes) index = http_get (fx, "/", &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_true (bytes_contain (index, "/echo"));
  g_assert_true (bytes_contain (index, "/headers"));
  g_assert_true (bytes_contain (index, "flood="));
}

static void
test_invalid_query (Fixture       *fx,
                    gconstpointer  data)
{
  static const char * const cases[][2] = {
    { "/echo?delay_open_ms=abc", "delay_open_ms" },
    { "/echo?status=42", "status" },
    { "/echo?close_after=-1", "close_after" },
    { "/echo?close_after=1&code=1006", "code" },
    { "/headers?push_every_ms=0", "push_every_ms" },
    { "/echo?flood=10&size=big", "size" },
    { "/echo?protocol=a,b", "protocol" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint status = 0;
      g_autoptr(GBytes) body = http_get (fx, cases[i][0], &status);

      g_test_message ("%s", cases[i][0]);
      g_assert_cmpuint (status, ==, 400);
      g_assert_true (bytes_contain (body, cases[i][1]));
    }

  /* And the handshake itself is refused with the same status. */
  {
    g_autoptr(Client) client = client_new (fx, "/echo?drop_after=x", NULL);

    g_assert_null (client->conn);
    g_assert_cmpuint (soup_message_get_status (client->msg), ==, 400);
  }
}

static void
test_protocol (Fixture       *fx,
               gconstpointer  data)
{
  static const char * const offered[] = { "chat", "superchat", NULL };
  g_autoptr(Client) first = client_new (fx, "/echo", offered);
  g_autoptr(Client) named = client_new (fx, "/echo?protocol=superchat", offered);
  g_autoptr(Client) none = client_new (fx, "/echo?protocol=none", offered);
  g_autoptr(Client) nothing_offered = client_new (fx, "/echo", NULL);
  g_autoptr(Client) unoffered = client_new (fx, "/echo?protocol=other", offered);
  SoupMessageHeaders *headers;

  g_assert_no_error (first->connect_error);
  g_assert_cmpstr (soup_websocket_connection_get_protocol (first->conn), ==, "chat");

  g_assert_no_error (named->connect_error);
  g_assert_cmpstr (soup_websocket_connection_get_protocol (named->conn), ==, "superchat");

  g_assert_no_error (none->connect_error);
  g_assert_null (soup_websocket_connection_get_protocol (none->conn));
  headers = soup_message_get_response_headers (none->msg);
  g_assert_null (soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol"));

  g_assert_no_error (nothing_offered->connect_error);
  g_assert_null (soup_websocket_connection_get_protocol (nothing_offered->conn));

  /* The playground answers what it was told; libsoup refuses a protocol it did not offer. */
  g_assert_error (unoffered->connect_error, SOUP_WEBSOCKET_ERROR,
                  SOUP_WEBSOCKET_ERROR_BAD_HANDSHAKE);
  headers = soup_message_get_response_headers (unoffered->msg);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol"), ==, "other");
}

static void
test_close_after (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo?close_after=2&code=4001&reason=bye");
  g_autoptr(Client) at_open = client_open (fx, "/echo?close_after=0");

  soup_websocket_connection_send_text (client->conn, "one");
  WAIT_FOR (client->messages->len == 1);
  g_assert_false (client->closed);
  soup_websocket_connection_send_text (client->conn, "two");
  WAIT_FOR (client->closed);

  g_assert_cmpuint (client->messages->len, ==, 2);
  assert_text (client, 0, "one");
  assert_text (client, 1, "two");
  g_assert_cmpuint (client->close_code, ==, 4001);
  g_assert_cmpstr (client->close_data, ==, "bye");
  g_assert_cmpuint (client->errors, ==, 0);

  WAIT_FOR (at_open->closed);
  g_assert_cmpuint (at_open->messages->len, ==, 0);
  g_assert_cmpuint (at_open->close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  g_assert_null (at_open->close_data);
  g_assert_cmpuint (at_open->errors, ==, 0);
}

static void
test_drop_after (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo?drop_after=1");
  g_autoptr(Client) at_open = client_open (fx, "/echo?drop_after=0");

  soup_websocket_connection_send_text (client->conn, "last words");
  WAIT_FOR (client->closed);

  g_test_message ("drop: close code %u, %u errors (%s)", client->close_code, client->errors,
                  client->first_error != NULL ? client->first_error->message : "none");
  g_assert_cmpuint (client->messages->len, ==, 1);
  assert_text (client, 0, "last words");
  /* No close frame, so libsoup has no code to report (it never says 1006 itself). */
  g_assert_cmpuint (client->close_code, ==, 0);
  g_assert_null (client->close_data);
  g_assert_cmpuint (client->errors, ==, 0);

  WAIT_FOR (at_open->closed);
  g_assert_cmpuint (at_open->messages->len, ==, 0);
  g_assert_cmpuint (at_open->close_code, ==, 0);
  g_assert_cmpuint (at_open->errors, ==, 0);
}

static void
test_push (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo?push_every_ms=50");
  gint64 elapsed_ms;

  WAIT_FOR (client->messages->len >= 3);
  elapsed_ms = (g_get_monotonic_time () - client->started_at) / 1000;
  g_test_message ("three ticks after %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, 140);

  assert_text (client, 0, "tick 1");
  assert_text (client, 1, "tick 2");
  assert_text (client, 2, "tick 3");
}

static void
test_flood (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo?flood=1000&size=64");
  g_autoptr(Client) tiny = client_open (fx, "/echo?flood=3&size=1");

  WAIT_FOR (client->messages->len == 1000);
  for (guint i = 0; i < client->messages->len; i++)
    {
      g_autofree char *text = message_text (client, i);
      g_autofree char *prefix = g_strdup_printf ("%u ", i + 1);

      g_assert_cmpint (g_array_index (client->types, int, i), ==, SOUP_WEBSOCKET_DATA_TEXT);
      g_assert_cmpuint (strlen (text), ==, 64);
      g_assert_true (g_str_has_prefix (text, prefix));
    }

  /* Too short for its number, a message is still exactly size bytes. */
  WAIT_FOR (tiny->messages->len == 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (tiny->messages, i)), ==, 1);

  /* Nothing more than asked for. */
  mini_test_run_for (100);
  g_assert_cmpuint (client->messages->len, ==, 1000);
  g_assert_cmpuint (tiny->messages->len, ==, 3);
}

static gsize
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static void
count_message (SoupWebsocketConnection *conn,
               int                      type,
               GBytes                  *message,
               guint64                 *count)
{
  (*count)++;
}

static void
test_flood_bounded (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(Client) client = client_start (fx->playground, "/echo?flood=1000000&size=64");
  guint64 count = 0;
  gsize rss;

  if (!g_test_slow ())
    {
      g_test_skip ("a million messages; run with -m slow");
      client_free (g_steal_pointer (&client));
      return;
    }

  client_connect (fx, client, NULL);
  WAIT_FOR (client->done);
  g_assert_no_error (client->connect_error);

  /* Count instead of keeping a million GBytes on the client side. */
  g_signal_handlers_disconnect_by_func (client->conn, client_on_message, client);
  g_signal_connect (client->conn, "message", G_CALLBACK (count_message), &count);
  while (count < 1000000)
    {
      guint64 before = count;

      mini_test_run_for (1000);
      g_assert_cmpuint (count, >, before);
    }

  rss = peak_rss_kib ();
  g_test_message ("peak RSS %" G_GSIZE_FORMAT " KiB", rss);
  g_assert_cmpuint (rss, <, 200 * 1024);
}

static void
test_silent (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(Client) client = client_start (fx->playground, "/echo?silent=1");

  client_connect (fx, client, NULL);
  mini_test_run_for (500);
  g_assert_false (client->done);

  g_cancellable_cancel (client->cancellable);
  WAIT_FOR (client->done);
  g_assert_error (client->connect_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (client->conn);
}

static void
test_client_gone (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(Client) pushed = client_open (fx, "/echo?push_every_ms=5&flood=100000");
  g_autoptr(Client) delayed = client_start (fx->playground, "/echo?delay_open_ms=200");
  g_autoptr(Client) silent = client_start (fx->playground, "/headers?silent=1");
  g_autoptr(Client) after = NULL;

  client_connect (fx, delayed, NULL);
  client_connect (fx, silent, NULL);
  WAIT_FOR (pushed->messages->len >= 10);
  mini_test_run_for (50);

  /* Dropping the last reference closes the TCP connection without a close frame. */
  g_signal_handlers_disconnect_by_data (pushed->conn, pushed);
  g_clear_object (&pushed->conn);
  g_cancellable_cancel (delayed->cancellable);
  g_cancellable_cancel (silent->cancellable);
  WAIT_FOR (delayed->done && silent->done);

  /* The playground writes into the dead connections, then still serves newcomers. */
  mini_test_run_for (400);
  after = client_open (fx, "/echo");
  soup_websocket_connection_send_text (after->conn, "still here");
  WAIT_FOR (after->messages->len == 1);
  assert_text (after, 0, "still here");
}

static void
test_stop_while_connected (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(Client) client = client_open (fx, "/echo?push_every_ms=10");
  g_autoptr(Client) silent = client_start (fx->playground, "/echo?silent=1");
  g_autoptr(Client) delayed = client_start (fx->playground, "/echo?delay_open_ms=3000");

  client_connect (fx, silent, NULL);
  client_connect (fx, delayed, NULL);
  WAIT_FOR (client->messages->len >= 2);
  mini_test_run_for (50);

  mini_playground_stop (fx->playground);
  g_assert_false (mini_playground_is_running (fx->playground));
  g_assert_null (mini_playground_get_url (fx->playground));

  WAIT_FOR (client->closed);
  WAIT_FOR (silent->done);
  WAIT_FOR (delayed->done);
  g_test_message ("stop: close code %u, %u errors", client->close_code, client->errors);
  g_assert_cmpuint (client->close_code, ==, 0);
  g_assert_nonnull (silent->connect_error);
  g_assert_nonnull (delayed->connect_error);
  g_assert_cmpuint (soup_message_get_status (delayed->msg), ==, 503);

  /* Stopping twice is harmless. */
  mini_playground_stop (fx->playground);
}

static void
test_two_at_once (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(MiniPlayground) second = mini_playground_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Client) a = NULL;
  g_autoptr(Client) b = NULL;

  g_assert_true (mini_playground_start (second, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (mini_playground_get_port (second), !=,
                    mini_playground_get_port (fx->playground));

  a = client_open (fx, "/echo");
  b = client_new_on (fx, second, "/echo", NULL);
  g_assert_no_error (b->connect_error);
  soup_websocket_connection_send_text (a->conn, "to a");
  soup_websocket_connection_send_text (b->conn, "to b");
  WAIT_FOR (a->messages->len == 1 && b->messages->len == 1);
  assert_text (a, 0, "to a");
  assert_text (b, 0, "to b");

  g_clear_pointer (&b, client_free);
  g_assert_finalize_object (g_steal_pointer (&second));
}

static void
test_lifecycle (Fixture       *fx,
                gconstpointer  data)
{
  MiniPlayground *playground = mini_playground_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_false (mini_playground_is_running (playground));
  g_assert_null (mini_playground_get_url (playground));
  g_assert_cmpuint (mini_playground_get_port (playground), ==, 0);

  g_assert_true (mini_playground_start (playground, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (mini_playground_is_running (playground));
  g_assert_cmpuint (mini_playground_get_port (playground), >, 0);
  expected = g_strdup_printf ("ws://127.0.0.1:%u", mini_playground_get_port (playground));
  g_assert_cmpstr (mini_playground_get_url (playground), ==, expected);

  mini_playground_stop (playground);
  g_assert_false (mini_playground_is_running (playground));
  g_assert_cmpuint (mini_playground_get_port (playground), ==, 0);

  /* A stopped playground starts again, and finalizing a running one stops it. */
  g_assert_true (mini_playground_start (playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (playground);
}

static void
test_address_in_use (Fixture       *fx,
                     gconstpointer  data)
{
  MiniPlayground *playground = mini_playground_new ();
  guint port = mini_playground_get_port (fx->playground);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = g_strdup_printf ("127.0.0.1:%u", port);

  g_assert_false (mini_playground_start (playground, "127.0.0.1", port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, where));
  g_assert_false (mini_playground_is_running (playground));
  g_assert_null (mini_playground_get_url (playground));
  g_assert_finalize_object (playground);
}

static void
test_ipv6 (Fixture       *fx,
           gconstpointer  data)
{
  g_autoptr(MiniPlayground) playground = mini_playground_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(Client) client = NULL;

  if (!mini_playground_start (playground, "::1", 0, &error))
    {
      g_autofree char *reason = g_strdup_printf ("no IPv6 loopback: %s", error->message);

      g_test_skip (reason);
      return;
    }

  expected = g_strdup_printf ("ws://[::1]:%u", mini_playground_get_port (playground));
  g_assert_cmpstr (mini_playground_get_url (playground), ==, expected);

  client = client_new_on (fx, playground, "/echo", NULL);
  g_assert_no_error (client->connect_error);
  soup_websocket_connection_send_text (client->conn, "six");
  WAIT_FOR (client->messages->len == 1);
  assert_text (client, 0, "six");

  g_clear_pointer (&client, client_free);
  g_assert_finalize_object (g_steal_pointer (&playground));
}

/* The app's playground yields to the window, as its I/O thread does; the CLI's does not. */
static void
test_yields_to_ui (Fixture       *fx,
                   gconstpointer  data)
{
#ifdef __linux__
  g_autoptr(MiniPlayground) background = mini_playground_new ();
  g_autoptr(GError) error = NULL;
  int main_nice = mini_test_thread_nice (NULL);

  /* The fixture's playground keeps the caller's priority. */
  g_assert_cmpint (main_nice, !=, G_MININT);
  g_assert_cmpint (mini_test_thread_nice ("minisock-play"), ==, main_nice);
  mini_playground_stop (fx->playground);

  mini_playground_set_yields_to_ui (background, TRUE);
  g_assert_true (mini_playground_start (background, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mini_test_thread_nice ("minisock-play"), >, main_nice);
  mini_playground_stop (background);
#else
  g_test_skip ("thread priorities are read from Linux's /proc");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/playground/echo/text", test_echo_text);
  ADD ("/playground/echo/binary", test_echo_binary);
  ADD ("/playground/echo/deflate", test_deflate);
  ADD ("/playground/headers", test_headers);
  ADD ("/playground/delay-open", test_delay_open);
  ADD ("/playground/no-delay", test_no_delay);
  ADD ("/playground/status", test_status);
  ADD ("/playground/not-found", test_not_found);
  ADD ("/playground/index", test_index);
  ADD ("/playground/invalid-query", test_invalid_query);
  ADD ("/playground/protocol", test_protocol);
  ADD ("/playground/close-after", test_close_after);
  ADD ("/playground/drop-after", test_drop_after);
  ADD ("/playground/push", test_push);
  ADD ("/playground/flood", test_flood);
  ADD ("/playground/flood-bounded", test_flood_bounded);
  ADD ("/playground/silent", test_silent);
  ADD ("/playground/client-gone", test_client_gone);
  ADD ("/playground/stop-while-connected", test_stop_while_connected);
  ADD ("/playground/two-at-once", test_two_at_once);
  ADD ("/playground/lifecycle", test_lifecycle);
  ADD ("/playground/address-in-use", test_address_in_use);
  ADD ("/playground/ipv6", test_ipv6);
  ADD ("/playground/yields-to-ui", test_yields_to_ui);

#undef ADD

  return g_test_run ();
}
