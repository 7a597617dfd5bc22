/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mini-scenario.h"
#include "mini-timeline.h"

G_BEGIN_DECLS

/* One WebSocket message of an imported HAR entry. */
typedef struct {
  gboolean  sent;        /* "send"; otherwise "receive" */
  double    offset_ms;   /* after the socket opened, as far as the file tells */
  gboolean  binary;      /* opcode 2 */
  GBytes   *data;        /* borrowed from the MiniHar */
} MiniHarMessage;

/* A HAR 1.2 file's WebSocket entries (Chrome's _webSocketMessages), read for a replay; and the
 * export of a timeline in the same format. */
#define MINI_TYPE_HAR (mini_har_get_type ())
G_DECLARE_FINAL_TYPE (MiniHar, mini_har, MINI, HAR, GObject)

JsonNode     *mini_har_export_timeline  (MiniTimeline    *timeline,
                                         const char      *dialect_id,
                                         const char      *title);
gboolean      mini_har_write_timeline   (MiniTimeline    *timeline,
                                         const char      *dialect_id,
                                         const char      *title,
                                         const char      *path,
                                         GError         **error);

MiniHar      *mini_har_new_from_file    (const char      *path,
                                         GError         **error);
MiniHar      *mini_har_new_from_data    (const char      *origin,
                                         const char      *data,
                                         gssize           length,
                                         GError         **error);

const char   *mini_har_get_origin       (MiniHar         *self);
const char   *mini_har_get_creator      (MiniHar         *self);
const char   *mini_har_get_dialect_id   (MiniHar         *self);
guint         mini_har_get_n_sockets    (MiniHar         *self);
const char   *mini_har_get_url          (MiniHar         *self,
                                         guint            socket);
const char * const *mini_har_get_protocols (MiniHar      *self,
                                         guint            socket);
double        mini_har_get_start_ms     (MiniHar         *self,
                                         guint            socket);
int           mini_har_get_status       (MiniHar         *self,
                                         guint            socket);
guint         mini_har_get_n_messages   (MiniHar         *self,
                                         guint            socket);
gboolean      mini_har_get_messages_saved (MiniHar       *self,
                                         guint            socket);
char         *mini_har_dup_unsaved_note (MiniHar         *self);
gboolean      mini_har_get_message      (MiniHar         *self,
                                         guint            socket,
                                         guint            position,
                                         MiniHarMessage  *message);

char         *mini_har_to_scenario_data (MiniHar         *self,
                                         const char      *url,
                                         const char      *dialect_id,
                                         gsize           *length);
MiniScenario *mini_har_create_scenario  (MiniHar         *self,
                                         const char      *url,
                                         const char      *dialect_id,
                                         GError         **error);

G_END_DECLS
