/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mini-dialect.h"
#include "mini-timeline.h"

G_BEGIN_DECLS

/* The composer's code view: a connectSocket call written as the platform's JavaScript, with the
 * listeners registered right after it, and read back. JSON has no functions, so a callback
 * written in code is `"success": true` in the options, as in scenario files. */
/* The four listeners, by the name SocketTask gives them: onOpen, onMessage, onError, onClose. */
extern const char * const mini_js_listeners[];

gboolean    mini_js_returns_task   (MiniDialect         *dialect,
                                    JsonObject          *args);
char       *mini_js_format_connect (MiniDialect         *dialect,
                                    JsonObject          *args,
                                    const char * const  *listeners);
char       *mini_js_format_session (MiniDialect         *dialect,
                                    MiniTimeline        *timeline,
                                    const char          *playground_url);
JsonObject *mini_js_parse_connect  (MiniDialect         *dialect,
                                    const char          *code,
                                    GStrv               *listeners,
                                    guint               *line,
                                    guint               *column,
                                    GError             **error);

G_END_DECLS
