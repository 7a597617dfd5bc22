/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mini-types.h"

G_BEGIN_DECLS

/* The embedded WebSocket server whose behaviour is chosen by the URL (see design.md). It runs on
 * a thread of its own, so its timing does not depend on how busy the caller's main loop is. */
#define MINI_TYPE_PLAYGROUND (mini_playground_get_type ())
G_DECLARE_FINAL_TYPE (MiniPlayground, mini_playground, MINI, PLAYGROUND, GObject)

MiniPlayground *mini_playground_new      (void);
gboolean        mini_playground_start    (MiniPlayground  *self,
                                          const char      *host,
                                          guint            port,
                                          GError         **error);
void            mini_playground_stop     (MiniPlayground  *self);
void            mini_playground_set_yields_to_ui (MiniPlayground *self,
                                                  gboolean        yields);
gboolean        mini_playground_is_running (MiniPlayground *self);
guint           mini_playground_get_port (MiniPlayground  *self);
const char     *mini_playground_get_url  (MiniPlayground  *self);

G_END_DECLS
