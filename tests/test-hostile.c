/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/socket.h>

#include "mini-dialect.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* Under libsoup's 5 s wait for a peer to close after a protocol error: the events must come
 * from the runtime failing the connection, not from that timer. */
#define DEADLINE_MS 4000
#define WAIT_FOR_ON_TIMEOUT() mini_test_dump_timeline (fx->timeline)

#include "mini-test-util.h"

/* A server that breaks the rules, on raw sockets in a thread of its own with blocking I/O, so
 * nothing of libsoup sits between it and the runtime. Each case is one function that answers
 * (or does not answer) the runtime's handshake and then misbehaves. */

typedef struct _Peer Peer;
typedef void (*PeerScript) (Peer *peer);

struct _Peer
{
  GSocket    *listener;
  GSocket    *socket;
  guint       port;
  PeerScript  script;
  GThread    *thread;
  char       *key;        /* the client's Sec-WebSocket-Key */
  gint        pongs;      /* pongs the client answered, read after the thread ends */
  gint        done;       /* set by the thread when its script has ended */
  gint        stop;       /* set by the test when the peer may let go of the connection */
};

/* What the runtime should report for the hostile task. */
typedef enum {
  EXPECT_BROKEN,     /* opened, then the connection failed: error and close 1006 */
  EXPECT_ACCEPT,     /* the handshake answer had the wrong Sec-WebSocket-Accept */
  EXPECT_TIMEOUT,    /* the handshake never completed; the dialect's timeout ran out */
  EXPECT_SURVIVES,   /* a flood of pings: the connection stays open and usable */
} Expect;

typedef struct
{
  const char *dialect;
  PeerScript  script;
  Expect      expect;
} Case;

typedef struct
{
  MiniPlayground *playground;
  MiniTimeline   *timeline;
  MiniRuntime    *runtime;
  Peer            peer;
  guint           bystander;
  guint           hostile;
} Fixture;

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

/* ---- the peer's side, run in its thread --------------------------------------------------- */

static gboolean
peer_write (Peer         *peer,
            const guint8 *data,
            gsize         len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (peer->socket, (const char *) data, len, NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
peer_read_exactly (Peer   *peer,
                   guint8 *data,
                   gsize   len)
{
  while (len > 0)
    {
      gssize n = g_socket_receive (peer->socket, (char *) data, len, NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

/* Reads the HTTP upgrade request up to its blank line and keeps its key. */
static gboolean
peer_read_request (Peer *peer)
{
  g_autoptr(GString) request = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  while (!g_str_has_suffix (request->str, "\r\n\r\n"))
    {
      char c;

      if (g_socket_receive (peer->socket, &c, 1, NULL, NULL) != 1)
        return FALSE;
      g_string_append_c (request, c);
    }

  lines = g_strsplit (request->str, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Sec-WebSocket-Key:", 18) == 0)
      g_atomic_pointer_set (&peer->key, g_strstrip (g_strdup (lines[i] + 18)));

  return peer->key != NULL;
}

static char *
accept_for (const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) WS_GUID, -1);
  g_checksum_get_digest (sha1, digest, &len);

  return g_base64_encode (digest, len);
}

static gboolean
peer_answer (Peer       *peer,
             const char *accept)
{
  g_autofree char *right = accept_for (peer->key);
  g_autofree char *answer = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                                             "Upgrade: websocket\r\n"
                                             "Connection: Upgrade\r\n"
                                             "Sec-WebSocket-Accept: %s\r\n\r\n",
                                             accept != NULL ? accept : right);

  return peer_write (peer, (const guint8 *) answer, strlen (answer));
}

static gboolean
peer_handshake (Peer *peer)
{
  return peer_read_request (peer) && peer_answer (peer, NULL);
}

/* Reads the client's frames until it closes; counts its pongs, and answers a close frame with
 * the same close frame, as a server should. */
static void
peer_read_frames (Peer *peer)
{
  for (;;)
    {
      guint8 head[2];
      guint8 mask[4];
      guint64 len;
      g_autofree guint8 *payload = NULL;

      if (!peer_read_exactly (peer, head, 2))
        return;
      len = head[1] & 0x7F;
      if (len == 126 || len == 127)
        {
          guint8 ext[8];
          guint n = len == 126 ? 2 : 8;

          if (!peer_read_exactly (peer, ext, n))
            return;
          len = 0;
          for (guint i = 0; i < n; i++)
            len = (len << 8) | ext[i];
        }
      if (len > 1024 * 1024 || !peer_read_exactly (peer, mask, 4))
        return;
      payload = g_malloc (len + 1);
      if (!peer_read_exactly (peer, payload, len))
        return;
      for (guint64 i = 0; i < len; i++)
        payload[i] ^= mask[i % 4];

      if ((head[0] & 0x0F) == 0x0A)
        peer->pongs++;
      else if ((head[0] & 0x0F) == 0x08)
        {
          guint8 reply[2 + 125];

          reply[0] = 0x88;
          reply[1] = (guint8) MIN (len, 125);
          memcpy (reply + 2, payload, reply[1]);
          peer_write (peer, reply, 2 + reply[1]);
          return;
        }
    }
}

/* Reads and drops everything until the client closes its side (or 10 s pass), and holds the
 * connection open until the test ends, as a peer that never answers a close would. */
static void
peer_drain (Peer *peer)
{
  char buffer[4096];

  while (g_socket_receive (peer->socket, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
  while (!g_atomic_int_get (&peer->stop))
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
}

static void
peer_send_and_drain (Peer         *peer,
                     const guint8 *frame,
                     gsize         len)
{
  if (peer_handshake (peer) && peer_write (peer, frame, len))
    peer_drain (peer);
}

/* Servers must not mask their frames (RFC 6455 §5.1). */
static void
script_masked_frame (Peer *peer)
{
  static const guint8 frame[] = { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
                                  0x7f, 0x9f, 0x4d, 0x51, 0x58 };

  peer_send_and_drain (peer, frame, sizeof frame);
}

/* Opcode 0x3 is reserved for further non-control frames. */
static void
script_reserved_opcode (Peer *peer)
{
  static const guint8 frame[] = { 0x83, 0x02, 'h', 'i' };

  peer_send_and_drain (peer, frame, sizeof frame);
}

/* RSV1 without an extension that gives it a meaning. */
static void
script_rsv_bits (Peer *peer)
{
  static const guint8 frame[] = { 0xC1, 0x02, 'h', 'i' };

  peer_send_and_drain (peer, frame, sizeof frame);
}

/* A ping with 126 bytes: control frames carry at most 125. */
static void
script_long_control_frame (Peer *peer)
{
  guint8 frame[4 + 126];

  frame[0] = 0x89;
  frame[1] = 126;
  frame[2] = 0;
  frame[3] = 126;
  memset (frame + 4, 'p', 126);
  peer_send_and_drain (peer, frame, sizeof frame);
}

/* A 64-bit length whose most significant bit is set, which RFC 6455 §5.2 forbids. */
static void
script_length_top_bit (Peer *peer)
{
  static const guint8 frame[] = { 0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 5,
                                  'h', 'e', 'l', 'l', 'o' };

  peer_send_and_drain (peer, frame, sizeof frame);
}

/* A text frame that is not UTF-8: 0xC3 starts a two-byte sequence that '(' does not finish. */
static void
script_invalid_utf8 (Peer *peer)
{
  static const guint8 frame[] = { 0x81, 0x04, 'o', 'k', 0xC3, '(' };

  peer_send_and_drain (peer, frame, sizeof frame);
}

/* A frame of 2^40 bytes announced, a few sent, then nothing. */
static void
script_huge_frame (Peer *peer)
{
  static const guint8 frame[] = { 0x82, 0x7F, 0, 0, 0x01, 0, 0, 0, 0, 0,
                                  'b', 'e', 'g', 'i', 'n' };

  peer_send_and_drain (peer, frame, sizeof frame);
}

/* The TCP connection is accepted and the request read, and nothing is ever answered. */
static void
script_silent_handshake (Peer *peer)
{
  if (peer_read_request (peer))
    peer_drain (peer);
}

static void
script_wrong_accept (Peer *peer)
{
  if (peer_read_request (peer) && peer_answer (peer, "d3JvbmcgYWNjZXB0IGtleQ=="))
    peer_drain (peer);
}

/* The server ends its side of the TCP connection after the open, without a close frame. */
static void
script_half_closed (Peer *peer)
{
  if (!peer_handshake (peer))
    return;
  g_socket_shutdown (peer->socket, FALSE, TRUE, NULL);
  peer_drain (peer);
}

/* 10,000 pings in a row, then a message; then the server answers the client's close. */
static void
script_ping_flood (Peer *peer)
{
  static const guint8 ping[] = { 0x89, 0x04, 'p', 'i', 'n', 'g' };
  static const guint8 message[] = { 0x81, 0x0F, 'a', 'f', 't', 'e', 'r', ' ', 't', 'h', 'e',
                                    ' ', 'p', 'i', 'n', 'g', 's' };
  g_autoptr(GByteArray) flood = g_byte_array_new ();

  if (!peer_handshake (peer))
    return;
  for (guint i = 0; i < 10000; i++)
    g_byte_array_append (flood, ping, sizeof ping);
  g_byte_array_append (flood, message, sizeof message);
  if (peer_write (peer, flood->data, flood->len))
    peer_read_frames (peer);
}

/* Half a frame, then a TCP reset (SO_LINGER 0). */
static void
script_reset_mid_frame (Peer *peer)
{
  static const guint8 frame[] = { 0x81, 0x7E, 0x10, 0x00, 'p', 'a', 'r', 't' };
  struct linger abort_on_close = { .l_onoff = 1, .l_linger = 0 };

  if (!peer_handshake (peer) || !peer_write (peer, frame, sizeof frame))
    return;
  /* Let the partial frame arrive first, so the reset cuts a frame and not the handshake. */
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  setsockopt (g_socket_get_fd (peer->socket), SOL_SOCKET, SO_LINGER, &abort_on_close,
              sizeof abort_on_close);
  g_socket_close (peer->socket, NULL);
}

static gpointer
peer_thread (gpointer data)
{
  Peer *peer = data;
  g_autoptr(GError) error = NULL;

  peer->socket = g_socket_accept (peer->listener, NULL, &error);
  if (peer->socket != NULL)
    {
      g_socket_set_blocking (peer->socket, TRUE);
      g_socket_set_timeout (peer->socket, 10);
      peer->script (peer);
      g_socket_close (peer->socket, NULL);
    }
  g_atomic_int_set (&peer->done, TRUE);

  return NULL;
}

static void
peer_start (Peer       *peer,
            PeerScript  script)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  peer->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (peer->listener, address, TRUE, &error));
  g_assert_true (g_socket_listen (peer->listener, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (peer->listener, TRUE);
  g_socket_set_timeout (peer->listener, 10);
  bound = g_socket_get_local_address (peer->listener, &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  peer->script = script;
  peer->thread = g_thread_new ("hostile-peer", peer_thread, peer);
}

static void
peer_stop (Peer *peer)
{
  g_atomic_int_set (&peer->stop, TRUE);
  if (peer->thread != NULL)
    g_thread_join (g_steal_pointer (&peer->thread));
  g_clear_object (&peer->socket);
  g_clear_object (&peer->listener);
  g_clear_pointer (&peer->key, g_free);
}

/* ---- the runtime's side ------------------------------------------------------------------- */

static guint
connect_socket (Fixture    *fx,
                const char *args_json)
{
  guint before = mini_runtime_get_newest_task (fx->runtime);

  mini_test_call (fx->runtime, "connectSocket", 0, args_json);
  g_assert_cmpuint (mini_runtime_get_newest_task (fx->runtime), >, before);
  return mini_runtime_get_newest_task (fx->runtime);
}

static void
listen_all (Fixture *fx,
            guint    task)
{
  mini_test_call (fx->runtime, "SocketTask.onOpen", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onMessage", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onError", task, NULL);
  mini_test_call (fx->runtime, "SocketTask.onClose", task, NULL);
}

/* Sends @text on @task and waits for the echo of it. */
static void
assert_echoes (Fixture    *fx,
               guint       task,
               const char *text)
{
  g_autofree char *args = g_strdup_printf ("{'data': '%s'}", text);
  guint before = mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task);
  g_autoptr(JsonObject) message = NULL;

  mini_test_call (fx->runtime, "SocketTask.send", task, args);
  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, task) > before);
  message = mini_test_nth_event (fx->timeline, MINI_EVENT_MESSAGE, task, NULL, before);
  g_assert_cmpstr (mini_test_str_member (message, "data"), ==, text);
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  const Case *c = data;
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(GError) error = NULL;

  fx->playground = mini_playground_new ();
  g_assert_true (mini_playground_start (fx->playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  dialect = mini_dialect_load (c->dialect, &error);
  g_assert_no_error (error);
  /* The browser has no timeout option; its rule stands in, short, so the case stays fast. */
  if (c->expect == EXPECT_TIMEOUT && mini_dialect_get_int (dialect, "timeoutDefault") == 0)
    {
      g_autoptr(JsonObject) quirks = mini_test_parse_args ("{'timeoutDefault': 300}");
      g_autoptr(MiniDialect) shorter = mini_dialect_new_with_overrides (dialect, quirks, &error);

      g_assert_no_error (error);
      g_set_object (&dialect, shorter);
    }
  fx->timeline = mini_timeline_new ();
  fx->runtime = mini_test_runtime_new (dialect, fx->timeline);
  mini_runtime_set_playground_url (fx->runtime, mini_playground_get_url (fx->playground));

  /* A task on the good server, open before the hostile one and in use after it. */
  fx->bystander = connect_socket (fx, "{'url': '{playground}/echo'}");
  listen_all (fx, fx->bystander);
  WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_OPEN, fx->bystander) == 1);
  assert_echoes (fx, fx->bystander, "before");

  peer_start (&fx->peer, c->script);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  mini_runtime_shutdown (fx->runtime);
  g_assert_finalize_object (fx->runtime);
  peer_stop (&fx->peer);

  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_finalize_object (fx->timeline);
  g_assert_finalize_object (fx->playground);
}

/* The error event as the dialect shapes it: WeChat's {errMsg}, the browser's bare Event (its
 * text goes to the console). */
static void
assert_error (Fixture    *fx,
              const char *text)
{
  g_autoptr(JsonObject) error = mini_test_find_event (fx->timeline, MINI_EVENT_ERROR,
                                                      fx->hostile, NULL);
  const char *shape = mini_dialect_get_string (mini_runtime_get_dialect (fx->runtime),
                                               "errorPayload");

  g_assert_nonnull (error);
  mini_test_assert_listeners (error, "SocketTask.onError");
  if (g_str_equal (shape, "errMsg"))
    {
      g_assert_cmpstr (mini_test_str_member (error, "errMsg"), ==, text);
    }
  else
    {
      g_assert_cmpstr (shape, ==, "event");
      g_assert_false (json_object_has_member (error, "errMsg"));
      if (*text == '\0')
        g_assert_false (json_object_has_member (error, "console"));
      else
        g_assert_cmpstr (mini_test_str_member (error, "console"), ==, text);
    }
}

static void
assert_close (Fixture    *fx,
              gint        code,
              const char *reason,
              gboolean    clean)
{
  g_autoptr(JsonObject) close = mini_test_find_event (fx->timeline, MINI_EVENT_CLOSE,
                                                      fx->hostile, NULL);

  g_assert_nonnull (close);
  mini_test_assert_listeners (close, "SocketTask.onClose");
  g_assert_cmpint (mini_test_int_member (close, "code"), ==, code);
  g_assert_cmpstr (mini_test_str_member (close, "reason"), ==, reason);
  if (json_object_has_member (close, "wasClean"))
    g_assert_true (json_object_get_boolean_member (close, "wasClean") == clean);
}

static gboolean
is_wx (Fixture *fx)
{
  return g_str_equal (mini_dialect_get_id (mini_runtime_get_dialect (fx->runtime)), "wx");
}

static void
test_hostile (Fixture       *fx,
              gconstpointer  data)
{
  const Case *c = data;
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/hostile", fx->peer.port);
  /* A short timeout where the platform has the option; the browser's rule is set in setup. */
  gboolean timeout_option = c->expect == EXPECT_TIMEOUT
    && g_str_equal (mini_dialect_get_option_state (mini_runtime_get_dialect (fx->runtime),
                                                   "timeout"), "supported");
  g_autofree char *args = g_strdup_printf ("{'url': '%s'%s}", url,
                                           timeout_option ? ", 'timeout': 300" : "");
  const char *listened = "return call return call return call return call return";
  g_autofree char *expected = NULL;

  fx->hostile = connect_socket (fx, args);
  listen_all (fx, fx->hostile);

  switch (c->expect)
    {
    case EXPECT_BROKEN:
      WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, fx->hostile) == 1);
      expected = g_strconcat (listened, " open error close", NULL);
      mini_test_assert_kinds (fx->timeline, fx->hostile, expected);
      assert_error (fx, is_wx (fx) ? "未完成的操作" : "");
      assert_close (fx, 1006, is_wx (fx) ? "abnormal closure" : "", FALSE);
      break;

    case EXPECT_ACCEPT:
      {
        g_autofree char *right = NULL;
        g_autofree char *text = NULL;

        WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, fx->hostile) == 1);
        expected = g_strconcat (listened, " error close", NULL);
        mini_test_assert_kinds (fx->timeline, fx->hostile, expected);
        WAIT_FOR (g_atomic_pointer_get (&fx->peer.key) != NULL);
        right = accept_for (fx->peer.key);
        if (is_wx (fx))
          text = g_strdup_printf ("Expected 'Sec-WebSocket-Accept' header value '%s' but was "
                                  "'d3JvbmcgYWNjZXB0IGtleQ=='", right);
        else
          text = g_strdup_printf ("WebSocket connection to '%s' failed: Error during WebSocket "
                                  "handshake: Incorrect 'Sec-WebSocket-Accept' header value", url);
        assert_error (fx, text);
        assert_close (fx, 1006, is_wx (fx) ? "abnormal closure" : "", FALSE);
      }
      break;

    case EXPECT_TIMEOUT:
      if (is_wx (fx))
        {
          /* DevTools reports the error and suppresses the close. */
          WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, fx->hostile) == 1);
          assert_error (fx, "Timed out connecting to server.");
          mini_test_run_for (200);
          g_assert_true (mini_test_has_quirk (fx->timeline, fx->hostile, "timeoutEvents"));
          expected = g_strconcat (listened, " error", NULL);
        }
      else
        {
          g_autofree char *text = g_strdup_printf ("WebSocket connection to '%s' failed: ", url);

          WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, fx->hostile) == 1);
          assert_error (fx, text);
          assert_close (fx, 1006, "", FALSE);
          expected = g_strconcat (listened, " error close", NULL);
        }
      mini_test_assert_kinds (fx->timeline, fx->hostile, expected);
      break;

    case EXPECT_SURVIVES:
      {
        g_autoptr(JsonObject) message = NULL;

        WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_MESSAGE, fx->hostile) == 1);
        message = mini_test_find_event (fx->timeline, MINI_EVENT_MESSAGE, fx->hostile, NULL);
        g_assert_cmpstr (mini_test_str_member (message, "data"), ==, "after the pings");
        mini_test_call (fx->runtime, "SocketTask.close", fx->hostile,
                        "{'code': 1000, 'reason': 'bye'}");
        WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, fx->hostile) == 1);
        expected = g_strconcat (listened, " open message call return close", NULL);
        mini_test_assert_kinds (fx->timeline, fx->hostile, expected);
        assert_close (fx, 1000, "bye", TRUE);
        WAIT_FOR (g_atomic_int_get (&fx->peer.done));
        g_assert_cmpint (fx->peer.pongs, >, 0);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* The task on the good server did not notice. */
  assert_echoes (fx, fx->bystander, "after");
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, fx->bystander), ==, 0);
  g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_CLOSE, fx->bystander), ==, 0);

  /* And the runtime still connects and echoes. */
  {
    guint task = connect_socket (fx, "{'url': '{playground}/echo'}");

    WAIT_FOR (mini_test_count_events (fx->timeline, MINI_EVENT_OPEN, task) == 1);
    assert_echoes (fx, task, "still here");
    g_assert_cmpuint (mini_test_count_events (fx->timeline, MINI_EVENT_ERROR, task), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    PeerScript  script;
    Expect      expect;
  } scripts[] = {
    { "masked-frame", script_masked_frame, EXPECT_BROKEN },
    { "reserved-opcode", script_reserved_opcode, EXPECT_BROKEN },
    { "rsv-bits", script_rsv_bits, EXPECT_BROKEN },
    { "long-control-frame", script_long_control_frame, EXPECT_BROKEN },
    { "length-top-bit", script_length_top_bit, EXPECT_BROKEN },
    { "invalid-utf8", script_invalid_utf8, EXPECT_BROKEN },
    { "huge-frame", script_huge_frame, EXPECT_BROKEN },
    { "half-closed", script_half_closed, EXPECT_BROKEN },
    { "reset-mid-frame", script_reset_mid_frame, EXPECT_BROKEN },
    { "silent-handshake", script_silent_handshake, EXPECT_TIMEOUT },
    { "wrong-accept", script_wrong_accept, EXPECT_ACCEPT },
    { "ping-flood", script_ping_flood, EXPECT_SURVIVES },
  };
  static const char * const dialects[] = { "wx", "web" };
  static Case cases[G_N_ELEMENTS (dialects) * G_N_ELEMENTS (scripts)];

  g_test_init (&argc, &argv, NULL);

  for (guint d = 0; d < G_N_ELEMENTS (dialects); d++)
    for (guint s = 0; s < G_N_ELEMENTS (scripts); s++)
      {
        Case *c = &cases[d * G_N_ELEMENTS (scripts) + s];
        g_autofree char *path = g_strdup_printf ("/hostile/%s/%s", dialects[d], scripts[s].name);

        c->dialect = dialects[d];
        c->script = scripts[s].script;
        c->expect = scripts[s].expect;
        g_test_add (path, Fixture, c, fixture_setup, test_hostile, fixture_teardown);
      }

  return g_test_run ();
}
