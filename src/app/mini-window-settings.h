/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mini-window.h"

G_BEGIN_DECLS

#define MINI_RECENT_URLS_MAX 8

GSettings *mini_settings_new                  (void);
void       mini_window_settings_restore       (MiniWindow *window,
                                               GSettings  *settings);
void       mini_window_settings_save          (MiniWindow *window);
void       mini_window_settings_add_recent_url (MiniWindow *window,
                                                const char *url);

G_END_DECLS
