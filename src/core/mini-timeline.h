/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "mini-types.h"

G_BEGIN_DECLS

/* What a producer hands to mini_timeline_append(). Every pointer is borrowed: the timeline copies
 * strings and payload bytes into its own compact storage and takes a reference on @extra. */
typedef struct {
  MiniEventKind       kind;
  guint               task;        /* socketTaskId, 0 for none (JSON null) */
  const char         *api;         /* NULL for none */
  const char         *err_msg;     /* NULL for none */
  gint                code;        /* close code, HTTP status, …; MINI_NO_CODE for none */
  const guint8       *data;        /* payload, NULL for none */
  gsize               data_len;
  gboolean            binary;      /* payload is binary: {"base64": …} in JSON */
  gboolean            data_is_size_only; /* only data_len is kept ("bytes"), not the bytes */
  const char * const *listeners;   /* NULL-terminated; NULL when the field is absent */
  JsonObject         *extra;       /* further fields (args, value, header, reason, id, text…) */
  gint64              time_us;     /* g_get_monotonic_time() of the event; 0 means now; never
                                    * earlier than the last event's */
  guint               step;        /* the scenario step that caused it, from 1; 0 for none */
} MiniEventSpec;

/* A read-only view of one stored event; pointers stay valid while the timeline lives and is not
 * cleared. */
typedef struct {
  guint          seq;            /* 1, 2, 3, … */
  gint64         t_us;           /* since the origin */
  MiniEventKind  kind;
  guint          task;
  const char    *api;            /* NULL for none */
  const char    *err_msg;        /* NULL for none */
  gint           code;           /* MINI_NO_CODE for none */
  const guint8  *data;           /* NULL when no payload is stored */
  gsize          data_len;       /* payload length (also when only the size is kept) */
  gboolean       has_data;       /* a payload or a size was given */
  gboolean       binary;
  const char    *listeners;      /* joined with '\n'; NULL when absent, "" for an empty list */
  JsonObject    *extra;          /* NULL when none */
  guint          step;           /* the scenario step that caused it, from 1; 0 for none */
} MiniEventView;

/* For mini_timeline_select(): events of every task. */
#define MINI_TIMELINE_ALL_TASKS G_MAXUINT

#define MINI_TYPE_TIMELINE (mini_timeline_get_type ())
G_DECLARE_FINAL_TYPE (MiniTimeline, mini_timeline, MINI, TIMELINE, GObject)

MiniTimeline *mini_timeline_new              (void);
gint64        mini_timeline_get_origin       (MiniTimeline        *self);
void          mini_timeline_set_origin       (MiniTimeline        *self,
                                              gint64               monotonic_us);
gint64        mini_timeline_get_origin_real_time (MiniTimeline    *self);
guint         mini_timeline_append           (MiniTimeline        *self,
                                              const MiniEventSpec *spec);
guint         mini_timeline_get_n_events     (MiniTimeline        *self);
gboolean      mini_timeline_get_event        (MiniTimeline        *self,
                                              guint                position,
                                              MiniEventView       *view);
void          mini_timeline_select           (MiniTimeline        *self,
                                              guint                from,
                                              guint                to,
                                              guint                kinds,
                                              guint                task,
                                              GArray              *positions);
void          mini_timeline_flush            (MiniTimeline        *self);
void          mini_timeline_clear            (MiniTimeline        *self);
gsize         mini_timeline_get_memory_size  (MiniTimeline        *self);
gsize         mini_timeline_get_payload_size (MiniTimeline        *self);

JsonNode     *mini_timeline_event_to_json    (MiniTimeline        *self,
                                              guint                position);
char         *mini_timeline_event_to_jsonl   (MiniTimeline        *self,
                                              guint                position);
char         *mini_timeline_event_summary    (MiniTimeline        *self,
                                              guint                position);
gboolean      mini_timeline_write_jsonl      (MiniTimeline        *self,
                                              GOutputStream       *stream,
                                              GCancellable        *cancellable,
                                              GError             **error);

G_END_DECLS
