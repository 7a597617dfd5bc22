/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mini-timeline.h"

G_BEGIN_DECLS

/* The item type of MiniTimeline's GListModel: a light handle made on demand for one position. */
#define MINI_TYPE_EVENT (mini_event_get_type ())
G_DECLARE_FINAL_TYPE (MiniEvent, mini_event, MINI, EVENT, GObject)

MiniTimeline  *mini_event_get_timeline (MiniEvent *self);
guint          mini_event_get_position (MiniEvent *self);
guint          mini_event_get_seq      (MiniEvent *self);
double         mini_event_get_time_ms  (MiniEvent *self);
double         mini_event_get_delta_ms (MiniEvent *self);
MiniEventKind  mini_event_get_kind     (MiniEvent *self);
guint          mini_event_get_task     (MiniEvent *self);
const char    *mini_event_get_api      (MiniEvent *self);
const char    *mini_event_get_err_msg  (MiniEvent *self);
guint          mini_event_get_step     (MiniEvent *self);
char          *mini_event_dup_summary  (MiniEvent *self);
JsonNode      *mini_event_to_json      (MiniEvent *self);

G_END_DECLS
