/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mini-event.h"

G_BEGIN_DECLS

MiniEvent *mini_event_new (MiniTimeline *timeline,
                           guint         position);

G_END_DECLS
