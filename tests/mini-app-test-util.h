/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-event-row.h"

G_BEGIN_DECLS

MiniEventRow *mini_test_find_event_row (GtkWidget  *root,
                                        const char *kind);

G_END_DECLS
