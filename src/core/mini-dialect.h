/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "mini-types.h"

G_BEGIN_DECLS

#define MINI_TYPE_DIALECT (mini_dialect_get_type ())
G_DECLARE_FINAL_TYPE (MiniDialect, mini_dialect, MINI, DIALECT, GObject)

/* The schema: every rule a dialect must define, with its type and explanation. */
JsonArray          *mini_dialect_schema_get_rules      (void);
JsonObject         *mini_dialect_schema_get_rule       (const char   *rule);
JsonObject         *mini_dialect_schema_get_sources    (void);
char               *mini_dialect_schema_dup_explanation (const char  *rule);

char              **mini_dialect_list_ids              (void);
MiniDialect        *mini_dialect_load                  (const char   *id,
                                                        GError      **error);
MiniDialect        *mini_dialect_new_from_data         (const char   *origin,
                                                        const char   *data,
                                                        gssize        length,
                                                        GError      **error);
MiniDialect        *mini_dialect_new_with_overrides    (MiniDialect  *self,
                                                        JsonObject   *quirks,
                                                        GError      **error);

const char         *mini_dialect_get_id                (MiniDialect  *self);
const char         *mini_dialect_get_prefix            (MiniDialect  *self);
char               *mini_dialect_dup_name              (MiniDialect  *self);

gboolean            mini_dialect_get_bool              (MiniDialect  *self,
                                                        const char   *rule);
gint64              mini_dialect_get_int               (MiniDialect  *self,
                                                        const char   *rule);
const char         *mini_dialect_get_string            (MiniDialect  *self,
                                                        const char   *rule);
gboolean            mini_dialect_is                    (MiniDialect  *self,
                                                        const char   *rule,
                                                        const char   *value);
const char * const *mini_dialect_get_strv              (MiniDialect  *self,
                                                        const char   *rule);
gboolean            mini_dialect_strv_contains         (MiniDialect  *self,
                                                        const char   *rule,
                                                        const char   *value);
JsonObject         *mini_dialect_get_object            (MiniDialect  *self,
                                                        const char   *rule);
const char         *mini_dialect_get_option_state      (MiniDialect  *self,
                                                        const char   *option);
JsonNode           *mini_dialect_get_value             (MiniDialect  *self,
                                                        const char   *rule);

const char         *mini_dialect_get_source            (MiniDialect  *self,
                                                        const char   *rule);
const char         *mini_dialect_get_note              (MiniDialect  *self,
                                                        const char   *rule);
gboolean            mini_dialect_is_unverified         (MiniDialect  *self,
                                                        const char   *rule);
gboolean            mini_dialect_is_overridden         (MiniDialect  *self,
                                                        const char   *rule);

gboolean            mini_dialect_has_err_msg           (MiniDialect  *self,
                                                        const char   *key);
gboolean            mini_dialect_get_err_code          (MiniDialect  *self,
                                                        const char   *key,
                                                        gint64       *code);
char               *mini_dialect_format_err_msg        (MiniDialect  *self,
                                                        const char   *key,
                                                        const char   *first_name,
                                                        ...);

JsonNode           *mini_dialect_to_json               (MiniDialect  *self);

G_END_DECLS
