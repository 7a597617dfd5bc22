/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-playground.h"

G_BEGIN_DECLS

#define MINI_TYPE_APPLICATION (mini_application_get_type ())
G_DECLARE_FINAL_TYPE (MiniApplication, mini_application, MINI, APPLICATION, GtkApplication)

MiniApplication *mini_application_new                  (void);
MiniPlayground  *mini_application_get_playground       (MiniApplication *self);
const GError    *mini_application_get_playground_error (MiniApplication *self);
GSettings       *mini_application_get_settings         (MiniApplication *self);

G_END_DECLS
