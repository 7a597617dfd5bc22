/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-socket"

#include "config.h"

#include <string.h>

#include "mini-socket-task.h"

struct _MiniSocketTask
{
  GObject                  parent_instance;

  guint                    id;
  char                    *url;
  MiniSocketState          state;
  SoupMessage             *message;
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;
  guint                    timeout_id;
  MiniSocketFailure        cancel_reason;
  guint                    dropped : 1;
};

G_DEFINE_FINAL_TYPE (MiniSocketTask, mini_socket_task, G_TYPE_OBJECT)

enum {
  HANDSHAKE_REQUEST,
  HANDSHAKE_RESPONSE,
  OPENED,
  MESSAGE,
  CLOSED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
disconnect_connection (MiniSocketTask *self)
{
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  if (self->message != NULL)
    g_signal_handlers_disconnect_by_data (self->message, self);
}

static void
finish (MiniSocketTask *self)
{
  self->state = MINI_SOCKET_CLOSED;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  disconnect_connection (self);
}

static gboolean
unref_idle (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* A task that has ended keeps its id, URL and state for the runtime; the connection and the
 * handshake message go, so a long session does not hold every connection it ever made. The
 * connection may be in the middle of emitting the signal that ended the task, so it goes once
 * the main loop is back; libsoup closes its stream when the last reference goes. */
static void
release (MiniSocketTask *self)
{
  if (self->connection != NULL)
    g_idle_add (unref_idle, g_steal_pointer (&self->connection));
  g_clear_object (&self->message);
}

static void
fail (MiniSocketTask    *self,
      MiniSocketFailure  failure,
      const char        *message)
{
  g_autoptr(MiniSocketTask) hold = NULL;

  if (self->state == MINI_SOCKET_CLOSED)
    return;

  hold = g_object_ref (self);
  finish (self);
  g_signal_emit (self, signals[FAILED], 0, failure, message);
  release (self);
}

static void
on_wrote_headers (SoupMessage    *message,
                  MiniSocketTask *self)
{
  g_signal_emit (self, signals[HANDSHAKE_REQUEST], 0, message);
}

static void
on_message (SoupWebsocketConnection *connection,
            gint                     type,
            GBytes                  *data,
            MiniSocketTask          *self)
{
  g_signal_emit (self, signals[MESSAGE], 0, type, data);
}

/* A broken frame, a bad length, invalid UTF-8 or a failed read fails the connection at once, as
 * a browser does. libsoup then sends its close frame and waits up to 5 s for a peer that may
 * never answer; the caller hears of it now, not then. */
static void
on_error (SoupWebsocketConnection *connection,
          GError                  *error,
          MiniSocketTask          *self)
{
  fail (self, MINI_SOCKET_FAILURE_DROPPED, error->message);
}

static void
on_closed (SoupWebsocketConnection *connection,
           MiniSocketTask          *self)
{
  gushort code = soup_websocket_connection_get_close_code (connection);
  const char *reason = soup_websocket_connection_get_close_data (connection);

  /* No close frame from the peer means the TCP connection simply ended. */
  if (code == 0 || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL)
    {
      fail (self, MINI_SOCKET_FAILURE_DROPPED, NULL);
      return;
    }

  g_object_ref (self);
  finish (self);
  g_signal_emit (self, signals[CLOSED], 0, (guint) code, reason != NULL ? reason : "");
  release (self);
  g_object_unref (self);
}

/* The Sec-WebSocket-Accept a server must answer to this request (RFC 6455 §4.2.2). */
static char *
expected_accept (SoupMessage *message)
{
  const char *key = soup_message_headers_get_one (soup_message_get_request_headers (message),
                                                  "Sec-WebSocket-Key");
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  if (key == NULL)
    return NULL;
  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (sha1, digest, &len);

  return g_base64_encode (digest, len);
}

static gboolean
accept_is_wrong (SoupMessage *message)
{
  g_autofree char *expected = expected_accept (message);
  const char *answer = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                     "Sec-WebSocket-Accept");

  return expected != NULL && g_strcmp0 (answer, expected) != 0;
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MiniSocketTask) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;
  guint status;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (self->dropped || self->state == MINI_SOCKET_CLOSED)
    {
      g_clear_object (&connection);
      return;
    }

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  status = soup_message_get_status (self->message);

  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, self->cancel_reason, error->message);
      else if (status >= 100)
        {
          g_signal_emit (self, signals[HANDSHAKE_RESPONSE], 0, self->message);
          fail (self, status == SOUP_STATUS_SWITCHING_PROTOCOLS && accept_is_wrong (self->message)
                      ? MINI_SOCKET_FAILURE_ACCEPT : MINI_SOCKET_FAILURE_HANDSHAKE,
                error->message);
        }
      else
        fail (self, MINI_SOCKET_FAILURE_UNREACHABLE, error->message);
      return;
    }

  self->connection = connection;
  self->state = MINI_SOCKET_OPEN;
  soup_websocket_connection_set_max_incoming_payload_size (connection, 64 * 1024 * 1024);
  soup_websocket_connection_set_keepalive_interval (connection, 0);
  g_signal_connect (connection, "message", G_CALLBACK (on_message), self);
  g_signal_connect (connection, "error", G_CALLBACK (on_error), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), self);

  g_signal_emit (self, signals[HANDSHAKE_RESPONSE], 0, self->message);
  g_signal_emit (self, signals[OPENED], 0);
}

static gboolean
on_timeout (gpointer user_data)
{
  MiniSocketTask *self = user_data;

  self->timeout_id = 0;
  self->cancel_reason = MINI_SOCKET_FAILURE_TIMEOUT;
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

static void
mini_socket_task_dispose (GObject *object)
{
  MiniSocketTask *self = (MiniSocketTask *)object;

  mini_socket_task_drop (self);

  g_clear_object (&self->connection);
  g_clear_object (&self->message);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mini_socket_task_parent_class)->dispose (object);
}

static void
mini_socket_task_finalize (GObject *object)
{
  MiniSocketTask *self = (MiniSocketTask *)object;

  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (mini_socket_task_parent_class)->finalize (object);
}

static void
mini_socket_task_class_init (MiniSocketTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mini_socket_task_dispose;
  object_class->finalize = mini_socket_task_finalize;

  signals[HANDSHAKE_REQUEST] =
    g_signal_new ("handshake-request", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SOUP_TYPE_MESSAGE);
  signals[HANDSHAKE_RESPONSE] =
    g_signal_new ("handshake-response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SOUP_TYPE_MESSAGE);
  signals[OPENED] =
    g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_BYTES);
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
mini_socket_task_init (MiniSocketTask *self)
{
  self->cancellable = g_cancellable_new ();
  self->cancel_reason = MINI_SOCKET_FAILURE_ABORTED;
}

MiniSocketTask *
mini_socket_task_new (guint       id,
                      const char *url)
{
  MiniSocketTask *self = g_object_new (MINI_TYPE_SOCKET_TASK, NULL);

  self->id = id;
  self->url = g_strdup (url);

  return self;
}

guint
mini_socket_task_get_id (MiniSocketTask *self)
{
  g_return_val_if_fail (MINI_IS_SOCKET_TASK (self), 0);
  return self->id;
}

const char *
mini_socket_task_get_url (MiniSocketTask *self)
{
  g_return_val_if_fail (MINI_IS_SOCKET_TASK (self), NULL);
  return self->url;
}

MiniSocketState
mini_socket_task_get_state (MiniSocketTask *self)
{
  g_return_val_if_fail (MINI_IS_SOCKET_TASK (self), MINI_SOCKET_CLOSED);

  /* libsoup answers the peer's close frame at once, before "closed": closing from then on. */
  if (self->state == MINI_SOCKET_OPEN && self->connection != NULL
      && soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return MINI_SOCKET_CLOSING;

  return self->state;
}

/* What the server should have answered as Sec-WebSocket-Accept; NULL before the handshake. */
char *
mini_socket_task_get_expected_accept (MiniSocketTask *self)
{
  g_return_val_if_fail (MINI_IS_SOCKET_TASK (self), NULL);

  if (self->message == NULL)
    return NULL;

  return expected_accept (self->message);
}

const char *
mini_socket_task_get_protocol (MiniSocketTask *self)
{
  g_return_val_if_fail (MINI_IS_SOCKET_TASK (self), NULL);

  if (self->connection == NULL)
    return NULL;

  return soup_websocket_connection_get_protocol (self->connection);
}

void
mini_socket_task_connect (MiniSocketTask     *self,
                          SoupSession        *session,
                          SoupMessage        *message,
                          const char * const *protocols,
                          guint               timeout_ms)
{
  g_return_if_fail (MINI_IS_SOCKET_TASK (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (self->message == NULL);

  self->message = g_object_ref (message);
  self->state = MINI_SOCKET_CONNECTING;
  g_signal_connect (message, "wrote-headers", G_CALLBACK (on_wrote_headers), self);

  if (timeout_ms > 0)
    self->timeout_id = g_timeout_add (timeout_ms, on_timeout, self);

  soup_session_websocket_connect_async (session, message, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, self->cancellable,
                                        on_connected, g_object_ref (self));
}

void
mini_socket_task_send (MiniSocketTask        *self,
                       SoupWebsocketDataType  type,
                       GBytes                *data)
{
  g_return_if_fail (MINI_IS_SOCKET_TASK (self));

  if (mini_socket_task_get_state (self) != MINI_SOCKET_OPEN || self->connection == NULL)
    return;

  soup_websocket_connection_send_message (self->connection, type, data);
}

void
mini_socket_task_close (MiniSocketTask *self,
                        gushort         code,
                        const char     *reason)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (MINI_IS_SOCKET_TASK (self));

  if (mini_socket_task_get_state (self) != MINI_SOCKET_OPEN || self->connection == NULL)
    return;

  /* Platforms without a close-code rule may pass codes no peer may put on the wire, or that
   * libsoup refuses from a client (1011). */
  if (code == SOUP_WEBSOCKET_CLOSE_ABNORMAL || code == SOUP_WEBSOCKET_CLOSE_TLS_HANDSHAKE
      || code == SOUP_WEBSOCKET_CLOSE_SERVER_ERROR || code < 1000 || code >= 5000)
    code = SOUP_WEBSOCKET_CLOSE_NO_STATUS;
  if (reason != NULL && strlen (reason) > 123)
    {
      const char *end = reason + 123;

      while (end > reason && (*end & 0xC0) == 0x80)
        end--;
      reason = trimmed = g_strndup (reason, end - reason);
    }

  self->state = MINI_SOCKET_CLOSING;
  soup_websocket_connection_close (self->connection, code,
                                   code == SOUP_WEBSOCKET_CLOSE_NO_STATUS ? NULL : reason);
}

/* Ends the connection abnormally: while connecting, the handshake is cancelled. */
void
mini_socket_task_fail (MiniSocketTask    *self,
                       MiniSocketFailure  failure)
{
  g_return_if_fail (MINI_IS_SOCKET_TASK (self));

  if (self->state == MINI_SOCKET_CONNECTING)
    {
      self->cancel_reason = failure;
      g_cancellable_cancel (self->cancellable);
      return;
    }

  if (self->state == MINI_SOCKET_CLOSED)
    return;

  if (self->connection != NULL)
    {
      GIOStream *stream = soup_websocket_connection_get_io_stream (self->connection);

      disconnect_connection (self);
      g_io_stream_close (stream, NULL, NULL);
    }
  fail (self, failure, NULL);
}

/* Forgets the connection without reporting anything: the end of a scenario. */
void
mini_socket_task_drop (MiniSocketTask *self)
{
  g_return_if_fail (MINI_IS_SOCKET_TASK (self));

  if (self->dropped)
    return;

  self->dropped = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  disconnect_connection (self);
  g_cancellable_cancel (self->cancellable);
  if (self->connection != NULL
      && soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  self->state = MINI_SOCKET_CLOSED;
}
