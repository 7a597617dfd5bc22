/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mini-scenario.h"

G_BEGIN_DECLS

/* What every fuzz target shares, whether libFuzzer drives it or tests/fuzz/replay.c does. */
int         LLVMFuzzerTestOneInput   (const guint8 *data,
                                      size_t        size);

void        mini_fuzz_init           (void);
void        mini_fuzz_check_error    (const GError *error);
JsonObject *mini_fuzz_parse_object   (const char   *json);
void        mini_fuzz_drain          (void);
void        mini_fuzz_create_runtime (MiniScenario *scenario);

G_END_DECLS
