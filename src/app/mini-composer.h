/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mini-dialect.h"

G_BEGIN_DECLS

/* The connectSocket options as a form generated for the dialect, beside the same call as code. */
#define MINI_TYPE_COMPOSER (mini_composer_get_type ())
G_DECLARE_FINAL_TYPE (MiniComposer, mini_composer, MINI, COMPOSER, GtkWidget)

GtkWidget   *mini_composer_new                (void);
MiniDialect *mini_composer_get_dialect        (MiniComposer *self);
void         mini_composer_set_dialect        (MiniComposer *self,
                                               MiniDialect  *dialect);
const char  *mini_composer_get_playground_url (MiniComposer *self);
void         mini_composer_set_playground_url (MiniComposer *self,
                                               const char   *url);
const char  *mini_composer_get_url            (MiniComposer *self);
void         mini_composer_set_url            (MiniComposer *self,
                                               const char   *url);
JsonObject  *mini_composer_dup_args           (MiniComposer *self,
                                               GError      **error);
void         mini_composer_set_args           (MiniComposer *self,
                                               JsonObject   *args);
GStrv        mini_composer_dup_listeners      (MiniComposer *self);
void         mini_composer_set_listeners      (MiniComposer *self,
                                               const char * const *listeners);
char        *mini_composer_dup_code           (MiniComposer *self);
void         mini_composer_set_code           (MiniComposer *self,
                                               const char   *code);
const char  *mini_composer_get_error          (MiniComposer *self);
void         mini_composer_show_error         (MiniComposer *self,
                                               const char   *error);
void         mini_composer_set_recent_urls    (MiniComposer       *self,
                                               const char * const *urls);

G_END_DECLS
