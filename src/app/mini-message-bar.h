/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-session.h"

G_BEGIN_DECLS

/* Sends text, JSON or binary through SocketTask.send or sendSocketMessage, and closes with a
 * code and a reason, on the chosen task. */
#define MINI_TYPE_MESSAGE_BAR (mini_message_bar_get_type ())
G_DECLARE_FINAL_TYPE (MiniMessageBar, mini_message_bar, MINI, MESSAGE_BAR, GtkWidget)

typedef enum {
  MINI_MESSAGE_TEXT,
  MINI_MESSAGE_JSON,
  MINI_MESSAGE_HEX,
  MINI_MESSAGE_BASE64,
} MiniMessageFormat;

GtkWidget   *mini_message_bar_new         (void);
MiniSession *mini_message_bar_get_session (MiniMessageBar    *self);
void         mini_message_bar_set_session (MiniMessageBar    *self,
                                           MiniSession       *session);
guint        mini_message_bar_get_task    (MiniMessageBar    *self);
void         mini_message_bar_set_task    (MiniMessageBar    *self,
                                           guint              task);
void         mini_message_bar_set_message (MiniMessageBar    *self,
                                           MiniMessageFormat  format,
                                           const char        *text);
void         mini_message_bar_set_global  (MiniMessageBar    *self,
                                           gboolean           global);
void         mini_message_bar_set_close   (MiniMessageBar    *self,
                                           gint               code,
                                           const char        *reason);
gboolean     mini_message_bar_send        (MiniMessageBar    *self);
gboolean     mini_message_bar_close       (MiniMessageBar    *self);
const char  *mini_message_bar_get_error   (MiniMessageBar    *self);
void         mini_message_bar_focus       (MiniMessageBar    *self);

G_END_DECLS
