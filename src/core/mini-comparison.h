/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mini-timeline.h"

G_BEGIN_DECLS

/* Why a row of a comparison differs; a row that is the same in every column has none. */
typedef enum {
  MINI_DIFF_NONE      = 0,
  MINI_DIFF_MISSING   = 1 << 0,  /* some column has no such event */
  MINI_DIFF_ORDER     = 1 << 1,  /* every column has it as often, but not all at this place */
  MINI_DIFF_TASK      = 1 << 2,
  MINI_DIFF_ERR_MSG   = 1 << 3,
  MINI_DIFF_CODE      = 1 << 4,
  MINI_DIFF_REASON    = 1 << 5,
  MINI_DIFF_VALUE     = 1 << 6,  /* a return value, an environment change */
  MINI_DIFF_LISTENERS = 1 << 7,
  MINI_DIFF_DATA      = 1 << 8,  /* a message payload */
} MiniDiff;

#define MINI_N_DIFFS 9

typedef enum {
  MINI_COMPARISON_DEFAULT = 0,
  MINI_COMPARISON_WIRE    = 1 << 0,  /* align wire events too, not only what the platform shows */
} MiniComparisonFlags;

/* The position of a cell that has no event: the gap. */
#define MINI_COMPARISON_GAP G_MAXUINT

/* Several finished timelines aligned side by side: rows of cells, each cell an event of its
 * column's timeline or a gap, each row marked with what differs. */
#define MINI_TYPE_COMPARISON (mini_comparison_get_type ())
G_DECLARE_FINAL_TYPE (MiniComparison, mini_comparison, MINI, COMPARISON, GObject)

MiniComparison *mini_comparison_new              (MiniTimeline * const *timelines,
                                                  const char * const   *names,
                                                  guint                 n_columns,
                                                  MiniComparisonFlags   flags);

guint           mini_comparison_get_n_columns    (MiniComparison      *self);
MiniTimeline   *mini_comparison_get_timeline     (MiniComparison      *self,
                                                  guint                column);
const char     *mini_comparison_get_name         (MiniComparison      *self,
                                                  guint                column);
guint           mini_comparison_get_n_rows       (MiniComparison      *self);
guint           mini_comparison_get_n_differing  (MiniComparison      *self);
guint           mini_comparison_get_position     (MiniComparison      *self,
                                                  guint                row,
                                                  guint                column);
MiniDiff        mini_comparison_get_diff         (MiniComparison      *self,
                                                  guint                row);
char           *mini_comparison_dup_cell_text    (MiniComparison      *self,
                                                  guint                row,
                                                  guint                column);
char           *mini_comparison_dup_diff_label   (MiniComparison      *self,
                                                  guint                row);
JsonNode       *mini_comparison_row_to_json      (MiniComparison      *self,
                                                  guint                row);
char           *mini_comparison_row_to_jsonl     (MiniComparison      *self,
                                                  guint                row);

const char     *mini_diff_to_string              (MiniDiff             diff);
const char     *mini_diff_get_label              (MiniDiff             diff);

gboolean        mini_comparison_aligns_kind      (MiniEventKind        kind,
                                                  MiniComparisonFlags  flags);

G_END_DECLS
