/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char       *mini_localize            (JsonNode    *node);
const char *mini_json_type_name      (JsonNode    *node);
char       *mini_json_find_non_finite (JsonNode   *node,
                                       const char *path);
char       *mini_json_find_non_utf8  (JsonNode   *node,
                                      const char *path);
gboolean    mini_json_check_utf8     (JsonNode    *node,
                                      const char  *origin,
                                      const char  *path,
                                      GError     **error);
gboolean    mini_set_invalid         (GError     **error,
                                      const char  *origin,
                                      const char  *path,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (4, 5);
char       *mini_read_file           (const char  *path,
                                      gsize       *length,
                                      GError     **error);
gboolean    mini_is_uninstalled      (void);
void        mini_thread_yield_to_ui  (void);
const char *mini_get_locale_dir      (void);
char       *mini_json_error_message  (const GError *error);
const char *mini_json_get_string     (JsonObject  *object,
                                      const char  *member);
gboolean    mini_json_get_true       (JsonObject  *object,
                                      const char  *member);
char       *mini_expand_template     (const char  *template,
                                      const char  *first_name,
                                      ...) G_GNUC_NULL_TERMINATED;
char       *mini_expand_template_va  (const char  *template,
                                      const char  *first_name,
                                      va_list      args);
GBytes     *mini_decode_hex          (const char  *text,
                                      GError     **error);
GBytes     *mini_decode_base64       (const char  *text,
                                      GError     **error);

GBytes     *mini_resource_lookup     (const char  *path);
char      **mini_resource_list       (const char  *dir);

G_END_DECLS
