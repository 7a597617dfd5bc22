/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mini-dialect.h"

G_BEGIN_DECLS

/* One rule of the schema with its value in the platform's dialect and in the one in force. */
#define MINI_TYPE_QUIRK (mini_quirk_get_type ())
G_DECLARE_FINAL_TYPE (MiniQuirk, mini_quirk, MINI, QUIRK, GObject)

MiniQuirk  *mini_quirk_new             (JsonObject  *schema_rule);
const char *mini_quirk_get_id          (MiniQuirk   *self);
const char *mini_quirk_get_group       (MiniQuirk   *self);
const char *mini_quirk_get_rule_type   (MiniQuirk   *self);
JsonObject *mini_quirk_get_schema      (MiniQuirk   *self);
char       *mini_quirk_dup_explanation (MiniQuirk   *self);
JsonNode   *mini_quirk_get_value       (MiniQuirk   *self);
JsonNode   *mini_quirk_get_default     (MiniQuirk   *self);
const char *mini_quirk_get_source      (MiniQuirk   *self);
const char *mini_quirk_get_note        (MiniQuirk   *self);
gboolean    mini_quirk_get_overridden  (MiniQuirk   *self);
gboolean    mini_quirk_get_unverified  (MiniQuirk   *self);
void        mini_quirk_update          (MiniQuirk   *self,
                                        MiniDialect *base,
                                        MiniDialect *current);

G_END_DECLS
