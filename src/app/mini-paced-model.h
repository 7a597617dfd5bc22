/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Another GListModel's items, passed through, except that a burst of items added at the end of a
 * short list comes in a few at a time, one share per frame of a widget (twice the share once the
 * burst has stopped coming).
 *
 * GTK 4.8's list views keep about 200 rows bound and make a widget for each new one: a flood
 * reaching an empty table made all of them in one dispatch, a stall of about 100 ms. Past that
 * many rows, widgets move from rows scrolled out onto rows scrolled in, so everything passes at
 * once again. Changes among the items already shown always pass at once. */
#define MINI_TYPE_PACED_MODEL (mini_paced_model_get_type ())
G_DECLARE_FINAL_TYPE (MiniPacedModel, mini_paced_model, MINI, PACED_MODEL, GObject)

MiniPacedModel *mini_paced_model_new        (GListModel     *model,
                                             guint           per_frame,
                                             guint           paced_below);
void            mini_paced_model_set_widget (MiniPacedModel *self,
                                             GtkWidget      *widget);
guint           mini_paced_model_get_held   (MiniPacedModel *self);
void            mini_paced_model_next_frame (MiniPacedModel *self);
void            mini_paced_model_flush      (MiniPacedModel *self);

G_END_DECLS
