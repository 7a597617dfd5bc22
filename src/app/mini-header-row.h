/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One `header` entry of the composer: a name, a value, and a warning when the platform drops it. */
#define MINI_TYPE_HEADER_ROW (mini_header_row_get_type ())
G_DECLARE_FINAL_TYPE (MiniHeaderRow, mini_header_row, MINI, HEADER_ROW, GtkWidget)

GtkWidget  *mini_header_row_new           (void);
const char *mini_header_row_get_name      (MiniHeaderRow *self);
void        mini_header_row_set_name      (MiniHeaderRow *self,
                                           const char    *name);
const char *mini_header_row_get_value     (MiniHeaderRow *self);
void        mini_header_row_set_value     (MiniHeaderRow *self,
                                           const char    *value);
const char *mini_header_row_get_warning   (MiniHeaderRow *self);
void        mini_header_row_set_warning   (MiniHeaderRow *self,
                                           const char    *warning);

G_END_DECLS
