/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-timeline.h"

G_BEGIN_DECLS

/* Where the templates are in the app's GResource. */
#define MINI_UI_PREFIX "/io/github/minisock/Minisock/ui/"

void      mini_app_ensure_resources   (void);
void      mini_widget_unparent_children (GtkWidget *widget);
char     *mini_format_hex_dump        (const guint8 *data,
                                       gsize         len,
                                       gsize         max_len);
char     *mini_format_ms              (double        ms);
char     *mini_format_double          (double        value);
char     *mini_json_pretty            (const char   *json);
GArray   *mini_timeline_find_quirks   (MiniTimeline *timeline,
                                       guint         position);
gboolean  mini_timeline_find_wire     (MiniTimeline *timeline,
                                       guint         task,
                                       const char   *wire,
                                       guint         near,
                                       guint        *position);
char     *mini_gl_dup_renderer_name   (GdkDisplay   *display,
                                       GError      **error);
gboolean  mini_gl_renderer_is_software (const char  *name);
const char *mini_app_choose_renderer  (GdkDisplay   *display);

G_END_DECLS
