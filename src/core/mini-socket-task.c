/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-socket"

#include "config.h"

#include <string.h>

#include "mini-marshal.h"
#include "mini-io-thread.h"
#include "mini-socket-task.h"

/* With an I/O thread, the connection lives there: a Remote holds libsoup's side of it. */
typedef struct {
  MiniIoThread            *io;
  MiniSocketTask          *task;         /* the owner's thread only; NULL once the task let go */
  SoupMessage             *message;      /* the I/O thread's from connect on */
  SoupWebsocketConnection *connection;   /* the I/O thread's */
  GCancellable            *cancellable;
  char                   **protocols;
  gboolean                 gone;         /* the I/O thread's: the task let go */
  gint                     peer_closing; /* atomic: libsoup left the open state */
} Remote;

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

  /* With an I/O thread: the handshake message comes back as a copy of the request, then as the
   * finished message; the protocol is kept at open. */
  Remote                  *remote;
  char                    *protocol;
  guint                    peer_closing : 1;
  guint                    cancelling : 1;   /* the handshake was told to stop */
  gint64                   event_time_us;    /* while an event from the I/O thread is reported */
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

/* ---- the connection on an I/O thread --------------------------------------------------------
 *
 * libsoup runs on the I/O thread; what it reports comes back to this task on its own thread as
 * events, in order, and each is handled there as the same report on this thread would be. The
 * commands go the other way. Only the I/O thread touches the Remote's libsoup objects; only the
 * task's thread touches its task. */

typedef enum {
  EVENT_REQUEST,        /* message: a copy of the request as it was written */
  EVENT_NOT_CONNECTED,  /* number: the failure, or -1 if cancelled; message if answered */
  EVENT_OPENED,         /* message, text: the protocol */
  EVENT_MESSAGE,        /* number: the data type; bytes */
  EVENT_CLOSING,        /* a close frame was received or sent */
  EVENT_FAILED,         /* number: the failure; text */
  EVENT_CLOSED,         /* number: the code; text: the reason */
} EventKind;

typedef struct {
  Remote      *remote;
  gint64       time_us;   /* when the I/O thread saw it */
  EventKind    kind;
  gint         number;
  SoupMessage *message;
  GBytes      *bytes;
  char        *text;
} Event;

/* A command for the I/O thread. */
typedef struct {
  Remote                *remote;
  SoupWebsocketDataType  type;
  GBytes                *bytes;
  gushort                code;
  char                  *reason;
} Command;

static void
remote_clear (Remote *remote)
{
  g_clear_object (&remote->message);
  g_clear_object (&remote->connection);
  g_clear_object (&remote->cancellable);
  g_clear_pointer (&remote->protocols, g_strfreev);
}

static Remote *
remote_ref (Remote *remote)
{
  return g_atomic_rc_box_acquire (remote);
}

static void
remote_unref (Remote *remote)
{
  g_atomic_rc_box_release_full (remote, (GDestroyNotify) remote_clear);
}

static void
event_free (Event *event)
{
  remote_unref (event->remote);
  g_clear_object (&event->message);
  g_clear_pointer (&event->bytes, g_bytes_unref);
  g_free (event->text);
  g_free (event);
}

static void
command_free (Command *command)
{
  remote_unref (command->remote);
  g_clear_pointer (&command->bytes, g_bytes_unref);
  g_free (command->reason);
  g_free (command);
}

static void handle_event (Event *event);

static gboolean
handle_event_cb (gpointer data)
{
  handle_event (data);
  return G_SOURCE_REMOVE;
}

/* On the I/O thread: hands @kind to the task's thread. */
static void
post (Remote      *remote,
      EventKind    kind,
      gint         number,
      SoupMessage *message,
      GBytes      *bytes,
      const char  *text)
{
  Event *event = g_new0 (Event, 1);

  event->remote = remote_ref (remote);
  event->time_us = g_get_monotonic_time ();
  event->kind = kind;
  event->number = number;
  event->message = message != NULL ? g_object_ref (message) : NULL;
  event->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  event->text = g_strdup (text);
  mini_io_thread_post (remote->io, handle_event_cb, event, (GDestroyNotify) event_free);
}

static void
command (MiniSocketTask *self,
         GSourceFunc     func,
         Command        *cmd)
{
  cmd->remote = remote_ref (self->remote);
  mini_io_thread_invoke (self->remote->io, func, cmd, (GDestroyNotify) command_free);
}

/* On the I/O thread: the connection has ended; it goes once libsoup is done emitting. */
static void
io_release (Remote *remote)
{
  if (remote->connection != NULL)
    {
      GSource *idle = g_idle_source_new ();

      g_signal_handlers_disconnect_by_data (remote->connection, remote);
      g_source_set_callback (idle, unref_idle, g_steal_pointer (&remote->connection), NULL);
      g_source_attach (idle, g_main_context_get_thread_default ());
      g_source_unref (idle);
    }
  if (remote->message != NULL)
    {
      g_signal_handlers_disconnect_by_data (remote->message, remote);
      g_clear_object (&remote->message);
    }
}

static void
io_on_wrote_headers (SoupMessage *message,
                     Remote      *remote)
{
  g_autoptr(SoupMessage) copy = soup_message_new_from_uri (soup_message_get_method (message),
                                                           soup_message_get_uri (message));
  SoupMessageHeaders *headers = soup_message_get_request_headers (copy);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (message));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (headers, name, value);
  post (remote, EVENT_REQUEST, 0, copy, NULL, NULL);
}

static void
io_on_message (SoupWebsocketConnection *connection,
               gint                     type,
               GBytes                  *data,
               Remote                  *remote)
{
  post (remote, EVENT_MESSAGE, type, NULL, data, NULL);
}

static void
io_on_closing (SoupWebsocketConnection *connection,
               Remote                  *remote)
{
  post (remote, EVENT_CLOSING, 0, NULL, NULL, NULL);
}

static void
io_on_error (SoupWebsocketConnection *connection,
             GError                  *error,
             Remote                  *remote)
{
  post (remote, EVENT_FAILED, MINI_SOCKET_FAILURE_DROPPED, NULL, NULL, error->message);
  io_release (remote);
}

static void
io_on_closed (SoupWebsocketConnection *connection,
              Remote                  *remote)
{
  gushort code = soup_websocket_connection_get_close_code (connection);
  const char *reason = soup_websocket_connection_get_close_data (connection);

  if (code == 0 || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL)
    post (remote, EVENT_FAILED, MINI_SOCKET_FAILURE_DROPPED, NULL, NULL, NULL);
  else
    post (remote, EVENT_CLOSED, code, NULL, NULL, reason != NULL ? reason : "");
  io_release (remote);
}

static void
io_on_connected (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Remote *remote = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;
  guint status;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (remote->gone || remote->message == NULL)
    {
      g_clear_object (&connection);
      remote_unref (remote);
      return;
    }

  status = soup_message_get_status (remote->message);
  g_signal_handlers_disconnect_by_data (remote->message, remote);
  if (connection == NULL)
    {
      gint failure;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        failure = -1;
      else if (status >= 100)
        failure = status == SOUP_STATUS_SWITCHING_PROTOCOLS && accept_is_wrong (remote->message)
                  ? MINI_SOCKET_FAILURE_ACCEPT : MINI_SOCKET_FAILURE_HANDSHAKE;
      else
        failure = MINI_SOCKET_FAILURE_UNREACHABLE;
      post (remote, EVENT_NOT_CONNECTED, failure,
            failure != -1 && status >= 100 ? remote->message : NULL, NULL, error->message);
    }
  else
    {
      remote->connection = connection;
      soup_websocket_connection_set_max_incoming_payload_size (connection, 64 * 1024 * 1024);
      soup_websocket_connection_set_keepalive_interval (connection, 0);
      g_signal_connect (connection, "message", G_CALLBACK (io_on_message), remote);
      g_signal_connect (connection, "closing", G_CALLBACK (io_on_closing), remote);
      g_signal_connect (connection, "error", G_CALLBACK (io_on_error), remote);
      g_signal_connect (connection, "closed", G_CALLBACK (io_on_closed), remote);
      post (remote, EVENT_OPENED, 0, remote->message, NULL,
            soup_websocket_connection_get_protocol (connection));
    }
  /* The task's thread has the message from here on. */
  g_clear_object (&remote->message);
  remote_unref (remote);
}

static gboolean
io_connect (gpointer data)
{
  Command *cmd = data;
  Remote *remote = cmd->remote;

  if (remote->gone)
    return G_SOURCE_REMOVE;

  g_signal_connect (remote->message, "wrote-headers", G_CALLBACK (io_on_wrote_headers), remote);
  soup_session_websocket_connect_async (mini_io_thread_get_session (remote->io), remote->message,
                                        NULL, remote->protocols, G_PRIORITY_DEFAULT,
                                        remote->cancellable, io_on_connected,
                                        remote_ref (remote));
  return G_SOURCE_REMOVE;
}

static gboolean
io_send (gpointer data)
{
  Command *cmd = data;
  SoupWebsocketConnection *connection = cmd->remote->connection;

  if (!cmd->remote->gone && connection != NULL
      && soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_message (connection, cmd->type, cmd->bytes);
  return G_SOURCE_REMOVE;
}

static gboolean
io_close (gpointer data)
{
  Command *cmd = data;
  SoupWebsocketConnection *connection = cmd->remote->connection;

  if (!cmd->remote->gone && connection != NULL
      && soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection, cmd->code, cmd->reason);
  return G_SOURCE_REMOVE;
}

static gboolean
io_cancel (gpointer data)
{
  Command *cmd = data;

  g_cancellable_cancel (cmd->remote->cancellable);
  return G_SOURCE_REMOVE;
}

/* The task lets go of the connection: nothing more comes back. Aborted, the stream just closes
 * (the task has reported the end itself); dropped, an open connection says it is going away. */
static void
io_let_go (Remote   *remote,
           gboolean  abort)
{
  SoupWebsocketConnection *connection = remote->connection;

  remote->gone = TRUE;
  g_cancellable_cancel (remote->cancellable);
  if (connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (connection, remote);
      if (abort)
        g_io_stream_close (soup_websocket_connection_get_io_stream (connection), NULL, NULL);
      else if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  io_release (remote);
}

static gboolean
io_abort (gpointer data)
{
  io_let_go (((Command *) data)->remote, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
io_drop (gpointer data)
{
  io_let_go (((Command *) data)->remote, FALSE);
  return G_SOURCE_REMOVE;
}

/* On the task's thread. */
static void
handle_event (Event *event)
{
  MiniSocketTask *self = event->remote->task;
  g_autoptr(MiniSocketTask) hold = NULL;

  if (self == NULL || self->dropped || self->state == MINI_SOCKET_CLOSED)
    return;

  hold = g_object_ref (self);
  self->event_time_us = event->time_us;
  switch (event->kind)
    {
    case EVENT_REQUEST:
      g_set_object (&self->message, event->message);
      g_signal_emit (self, signals[HANDSHAKE_REQUEST], 0, event->message);
      break;

    case EVENT_NOT_CONNECTED:
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      if (event->message != NULL)
        {
          g_set_object (&self->message, event->message);
          g_signal_emit (self, signals[HANDSHAKE_RESPONSE], 0, event->message);
        }
      fail (self, event->number < 0 ? self->cancel_reason : (MiniSocketFailure) event->number,
            event->text);
      break;

    case EVENT_OPENED:
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      /* The handshake finished on the I/O thread before the cancel reached it: the caller
       * hears what it would have heard had the cancel come first, as it does without a thread. */
      if (self->cancelling)
        {
          command (self, io_abort, g_new0 (Command, 1));
          fail (self, self->cancel_reason, g_dgettext ("glib20", "Operation was cancelled"));
          break;
        }
      g_set_object (&self->message, event->message);
      self->protocol = g_strdup (event->text);
      self->state = MINI_SOCKET_OPEN;
      g_signal_emit (self, signals[HANDSHAKE_RESPONSE], 0, event->message);
      g_signal_emit (self, signals[OPENED], 0);
      break;

    case EVENT_MESSAGE:
      g_signal_emit (self, signals[MESSAGE], 0, event->number, event->bytes);
      break;

    case EVENT_CLOSING:
      self->peer_closing = TRUE;
      break;

    case EVENT_FAILED:
      fail (self, event->number, event->text);
      break;

    case EVENT_CLOSED:
      finish (self);
      g_signal_emit (self, signals[CLOSED], 0, (guint) event->number, event->text);
      release (self);
      break;

    default:
      g_assert_not_reached ();
    }
  self->event_time_us = 0;
}

/* The task lets go of its Remote: what is still on its way back is dropped. */
static void
remote_let_go (MiniSocketTask *self)
{
  if (self->remote == NULL)
    return;

  self->remote->task = NULL;
  g_clear_pointer (&self->remote, remote_unref);
}

static void
connect_on_io_thread (MiniSocketTask     *self,
                      MiniIoThread       *io,
                      SoupMessage        *message,
                      const char * const *protocols)
{
  Remote *remote = g_atomic_rc_box_new0 (Remote);

  remote->io = io;
  remote->task = self;
  remote->message = g_object_ref (message);
  remote->cancellable = g_cancellable_new ();
  remote->protocols = g_strdupv ((char **) protocols);
  self->remote = remote;

  command (self, io_connect, g_new0 (Command, 1));
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
  self->cancelling = TRUE;
  if (self->remote != NULL)
    command (self, io_cancel, g_new0 (Command, 1));
  else
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
  remote_let_go (self);

  G_OBJECT_CLASS (mini_socket_task_parent_class)->dispose (object);
}

static void
mini_socket_task_finalize (GObject *object)
{
  MiniSocketTask *self = (MiniSocketTask *)object;

  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->protocol, g_free);

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
  /* Emitted for every message: a marshaller of its own, and the bytes passed as they are (a
   * handler that keeps them takes a reference). */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, mini_marshal_VOID__INT_BOXED, G_TYPE_NONE, 2,
                  G_TYPE_INT, G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);
  g_signal_set_va_marshaller (signals[MESSAGE], G_TYPE_FROM_CLASS (klass),
                              mini_marshal_VOID__INT_BOXEDv);
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
  if (self->state == MINI_SOCKET_OPEN && self->peer_closing)
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

  if (self->remote != NULL)
    return self->protocol;
  if (self->connection == NULL)
    return NULL;

  return soup_websocket_connection_get_protocol (self->connection);
}

/**
 * mini_socket_task_connect:
 * @session: the session to connect with on this thread, or %NULL with @io
 * @io: (nullable): the I/O thread to connect on, instead of @session
 * @message: (transfer none): the handshake request; with @io, the I/O thread's from now on
 */
void
mini_socket_task_connect (MiniSocketTask     *self,
                          SoupSession        *session,
                          MiniIoThread       *io,
                          SoupMessage        *message,
                          const char * const *protocols,
                          guint               timeout_ms)
{
  g_return_if_fail (MINI_IS_SOCKET_TASK (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (self->message == NULL && self->remote == NULL);
  g_return_if_fail (session != NULL || io != NULL);

  self->state = MINI_SOCKET_CONNECTING;
  if (timeout_ms > 0)
    self->timeout_id = g_timeout_add (timeout_ms, on_timeout, self);

  if (io != NULL)
    {
      connect_on_io_thread (self, io, message, protocols);
      return;
    }

  self->message = g_object_ref (message);
  g_signal_connect (message, "wrote-headers", G_CALLBACK (on_wrote_headers), self);

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

  if (mini_socket_task_get_state (self) != MINI_SOCKET_OPEN)
    return;

  if (self->remote != NULL)
    {
      Command *cmd = g_new0 (Command, 1);

      cmd->type = type;
      cmd->bytes = g_bytes_ref (data);
      command (self, io_send, cmd);
    }
  else if (self->connection != NULL)
    soup_websocket_connection_send_message (self->connection, type, data);
}

void
mini_socket_task_close (MiniSocketTask *self,
                        gushort         code,
                        const char     *reason)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (MINI_IS_SOCKET_TASK (self));

  if (mini_socket_task_get_state (self) != MINI_SOCKET_OPEN
      || (self->connection == NULL && self->remote == NULL))
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
  if (self->remote != NULL)
    {
      Command *cmd = g_new0 (Command, 1);

      cmd->code = code;
      cmd->reason = code == SOUP_WEBSOCKET_CLOSE_NO_STATUS ? NULL : g_strdup (reason);
      command (self, io_close, cmd);
      return;
    }
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
      self->cancelling = TRUE;
      if (self->remote != NULL)
        command (self, io_cancel, g_new0 (Command, 1));
      else
        g_cancellable_cancel (self->cancellable);
      return;
    }

  if (self->state == MINI_SOCKET_CLOSED)
    return;

  if (self->remote != NULL)
    command (self, io_abort, g_new0 (Command, 1));

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
  if (self->remote != NULL)
    command (self, io_drop, g_new0 (Command, 1));
  g_cancellable_cancel (self->cancellable);
  if (self->connection != NULL
      && soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  self->state = MINI_SOCKET_CLOSED;
}

/**
 * mini_socket_task_get_event_time:
 *
 * Returns: while this task reports what its I/O thread saw, the g_get_monotonic_time() at which
 * the thread saw it; otherwise 0 (the report is made as it happens).
 */
gint64
mini_socket_task_get_event_time (MiniSocketTask *self)
{
  g_return_val_if_fail (MINI_IS_SOCKET_TASK (self), 0);

  return self->event_time_us;
}
