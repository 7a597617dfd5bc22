/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-comparison.h"
#include "mini-scenario.h"

G_BEGIN_DECLS

/* One scenario run on two to four platforms, the timelines side by side as columns, the rows
 * that differ marked and said how (MiniComparison, as `minisock-cli compare` prints it). */
#define MINI_TYPE_COMPARE_WINDOW (mini_compare_window_get_type ())
G_DECLARE_FINAL_TYPE (MiniCompareWindow, mini_compare_window, MINI, COMPARE_WINDOW, GtkWindow)

MiniCompareWindow *mini_compare_window_new            (GtkWindow          *parent,
                                                       MiniScenario       *scenario,
                                                       const char         *playground_url);
void               mini_compare_window_set_dialects   (MiniCompareWindow  *self,
                                                       const char * const *ids);
void               mini_compare_window_run            (MiniCompareWindow  *self);
MiniComparison    *mini_compare_window_get_comparison (MiniCompareWindow  *self);
const char        *mini_compare_window_get_summary    (MiniCompareWindow  *self);

G_END_DECLS
