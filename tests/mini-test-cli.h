/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What one run of minisock-cli printed and how it ended. */
typedef struct {
  gboolean  done;
  int       status;    /* exit status, or -1 when the program did not exit normally */
  char     *out;
  char     *err;
} MiniCliResult;

void        mini_cli_result_clear (MiniCliResult      *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MiniCliResult, mini_cli_result_clear)

const char *mini_test_cli_path    (void);
void        mini_test_run_cliv    (MiniCliResult      *result,
                                   const char * const *env,
                                   const char * const *args,
                                   guint               deadline_ms);

G_END_DECLS
