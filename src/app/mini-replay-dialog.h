/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-har.h"

G_BEGIN_DECLS

/* Asks where a HAR replays before it runs: the URLs it recorded (an old playground port may be
 * gone), the embedded playground's echo, or a URL the user types. Emits ::replay with the URL
 * for mini_har_create_scenario(), NULL for the recorded ones. */
#define MINI_TYPE_REPLAY_DIALOG (mini_replay_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MiniReplayDialog, mini_replay_dialog, MINI, REPLAY_DIALOG, GtkWindow)

MiniReplayDialog *mini_replay_dialog_new        (GtkWindow        *parent,
                                                 MiniHar          *har,
                                                 const char       *playground_url);
MiniHar          *mini_replay_dialog_get_har    (MiniReplayDialog *self);
const char       *mini_replay_dialog_get_choice (MiniReplayDialog *self);
GtkEditable      *mini_replay_dialog_get_url_entry (MiniReplayDialog *self);
const char       *mini_replay_dialog_get_error  (MiniReplayDialog *self);

G_END_DECLS
