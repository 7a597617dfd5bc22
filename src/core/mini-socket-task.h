/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "mini-io-thread.h"
#include "mini-types.h"

G_BEGIN_DECLS

typedef enum {
  MINI_SOCKET_CONNECTING,
  MINI_SOCKET_OPEN,
  MINI_SOCKET_CLOSING,
  MINI_SOCKET_CLOSED,
} MiniSocketState;

/* Why a connection ended before or without a close handshake. */
typedef enum {
  MINI_SOCKET_FAILURE_HANDSHAKE,    /* the server answered with an HTTP status other than 101 */
  MINI_SOCKET_FAILURE_UNREACHABLE,  /* resolving or connecting failed */
  MINI_SOCKET_FAILURE_TIMEOUT,      /* no handshake answer before the deadline */
  MINI_SOCKET_FAILURE_ABORTED,      /* closed by the caller while connecting */
  MINI_SOCKET_FAILURE_DROPPED,      /* the TCP connection ended without a close frame, or the
                                     * peer broke the protocol */
  MINI_SOCKET_FAILURE_ACCEPT,       /* a 101 answer whose Sec-WebSocket-Accept is wrong */
} MiniSocketFailure;

/* One WebSocket connection over libsoup; the runtime gives it a platform's meaning. */
#define MINI_TYPE_SOCKET_TASK (mini_socket_task_get_type ())
G_DECLARE_FINAL_TYPE (MiniSocketTask, mini_socket_task, MINI, SOCKET_TASK, GObject)

MiniSocketTask  *mini_socket_task_new          (guint               id,
                                                const char         *url);
guint            mini_socket_task_get_id       (MiniSocketTask     *self);
const char      *mini_socket_task_get_url      (MiniSocketTask     *self);
MiniSocketState  mini_socket_task_get_state    (MiniSocketTask     *self);
const char      *mini_socket_task_get_protocol (MiniSocketTask     *self);
char            *mini_socket_task_get_expected_accept (MiniSocketTask *self);
void             mini_socket_task_connect      (MiniSocketTask     *self,
                                                SoupSession        *session,
                                                MiniIoThread       *io,
                                                SoupMessage        *message,
                                                const char * const *protocols,
                                                guint               timeout_ms);
void             mini_socket_task_send         (MiniSocketTask     *self,
                                                SoupWebsocketDataType type,
                                                GBytes             *data);
void             mini_socket_task_close        (MiniSocketTask     *self,
                                                gushort             code,
                                                const char         *reason);
void             mini_socket_task_fail         (MiniSocketTask     *self,
                                                MiniSocketFailure   failure);
void             mini_socket_task_drop         (MiniSocketTask     *self);
gint64           mini_socket_task_get_event_time (MiniSocketTask   *self);

G_END_DECLS
