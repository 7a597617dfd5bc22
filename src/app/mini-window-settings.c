/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-app"

#include "config.h"

#include "mini-util.h"
#include "mini-window-settings.h"

/* What a window remembers between runs. It is written when the window closes, so a test that
 * destroys its windows leaves the settings as they were. */
typedef struct
{
  GSettings  *settings;
  JsonObject *overrides;    /* dialect id → the rules the user changed on it */
  GPtrArray  *recent_urls;  /* newest first */
  char       *dialect_id;   /* whose overrides the session holds */
} WindowSettings;

static void
window_settings_free (WindowSettings *ws)
{
  g_clear_object (&ws->settings);
  g_clear_pointer (&ws->overrides, json_object_unref);
  g_clear_pointer (&ws->recent_urls, g_ptr_array_unref);
  g_free (ws->dialect_id);
  g_free (ws);
}

static WindowSettings *
get_window_settings (MiniWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "mini-window-settings");
}

/**
 * mini_settings_new:
 *
 * The app's settings, from the installed schema or, in an uninstalled run, the one compiled
 * into the build directory.
 *
 * Returns: (transfer full) (nullable): %NULL when no schema is found; the app then starts
 *   with its defaults and remembers nothing
 */
GSettings *
mini_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL && mini_is_uninstalled ())
    {
      build_source = g_settings_schema_source_new_from_directory (MINISOCK_BUILD_ROOT
                                                                  G_DIR_SEPARATOR_S "data",
                                                                  source, FALSE, &error);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, APPLICATION_ID, FALSE);
    }

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; nothing will be remembered",
                 APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || *text == '\0' || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static char *
print_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* The session drops its overrides on a platform switch; each platform gets back its own. */
static void
restore_overrides (MiniWindow     *window,
                   WindowSettings *ws)
{
  MiniSession *session = mini_window_get_session (window);
  const char *id = mini_session_get_dialect_id (session);
  JsonObject *stored;
  JsonObjectIter iter;
  const char *rule;
  JsonNode *value;

  if (id == NULL || g_strcmp0 (id, ws->dialect_id) == 0)
    return;

  g_free (ws->dialect_id);
  ws->dialect_id = g_strdup (id);
  if (!json_object_has_member (ws->overrides, id)
      || (stored = json_object_get_object_member (ws->overrides, id)) == NULL)
    return;

  /* A rule the schema no longer accepts is dropped, not fatal: the others still apply. */
  json_object_ref (stored);
  json_object_iter_init (&iter, stored);
  while (json_object_iter_next (&iter, &rule, &value))
    {
      g_autoptr(GError) error = NULL;

      if (!mini_session_set_quirk (session, rule, value, &error))
        g_debug ("Stored override %s of %s dropped: %s", rule, id, error->message);
    }
  json_object_unref (stored);
}

static void
on_runtime_changed (MiniWindow *window)
{
  restore_overrides (window, get_window_settings (window));
}

static void
on_rules_changed (MiniWindow *window)
{
  WindowSettings *ws = get_window_settings (window);
  MiniSession *session = mini_window_get_session (window);
  const char *id = mini_session_get_dialect_id (session);
  JsonObject *overrides = mini_session_get_overrides (session);

  /* Mid-switch, the session holds the new platform without its overrides yet. */
  if (id == NULL || g_strcmp0 (id, ws->dialect_id) != 0)
    return;

  if (overrides == NULL || json_object_get_size (overrides) == 0)
    json_object_remove_member (ws->overrides, id);
  else
    json_object_set_object_member (ws->overrides, id, json_object_ref (overrides));
}

static void
load_overrides (WindowSettings *ws)
{
  g_autoptr(GVariant) map = g_settings_get_value (ws->settings, "quirk-overrides");
  GVariantIter iter;
  const char *id;
  const char *text;

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &id, &text))
    {
      JsonObject *rules = parse_object (text);

      if (rules != NULL)
        json_object_set_object_member (ws->overrides, id, rules);
      else
        g_message ("Settings: the quirk overrides of %s are not a JSON object; ignored", id);
    }
}

static void
update_recent_menu (MiniWindow     *window,
                    WindowSettings *ws)
{
  g_ptr_array_add (ws->recent_urls, NULL);
  mini_composer_set_recent_urls (mini_window_get_composer (window),
                                 (const char * const *) ws->recent_urls->pdata);
  g_ptr_array_remove_index (ws->recent_urls, ws->recent_urls->len - 1);
}

/**
 * mini_window_settings_restore:
 *
 * Puts the window back as it was closed last: size, platform with its changed rules, the
 * composed call and the recent URLs. From then on the window keeps track of them and writes
 * them when it closes.
 */
void
mini_window_settings_restore (MiniWindow *window,
                              GSettings  *settings)
{
  MiniSession *session = mini_window_get_session (window);
  MiniComposer *composer = mini_window_get_composer (window);
  WindowSettings *ws = g_new0 (WindowSettings, 1);
  g_autofree char *dialect = NULL;
  g_autofree char *call = NULL;
  g_auto(GStrv) urls = NULL;
  g_auto(GStrv) listeners = NULL;
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MINI_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));

  ws->settings = g_object_ref (settings);
  ws->overrides = json_object_new ();
  ws->recent_urls = g_ptr_array_new_with_free_func (g_free);
  ws->dialect_id = g_strdup (mini_session_get_dialect_id (session));
  g_object_set_data_full (G_OBJECT (window), "mini-window-settings", ws,
                          (GDestroyNotify) window_settings_free);

  gtk_window_set_default_size (GTK_WINDOW (window),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (window));

  load_overrides (ws);
  g_signal_connect_object (session, "notify::runtime", G_CALLBACK (on_runtime_changed), window,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::dialect", G_CALLBACK (on_rules_changed), window,
                           G_CONNECT_SWAPPED);

  dialect = g_settings_get_string (settings, "dialect");
  if (g_strcmp0 (dialect, mini_session_get_dialect_id (session)) != 0
      && !mini_session_set_dialect_id (session, dialect, &error))
    g_message ("Settings: the last platform “%s” is not available: %s", dialect, error->message);
  g_clear_error (&error);

  /* The default platform was set before these handlers: its overrides come back here. */
  g_clear_pointer (&ws->dialect_id, g_free);
  restore_overrides (window, ws);

  call = g_settings_get_string (settings, "composer-call");
  if ((args = parse_object (call)) != NULL)
    mini_composer_set_args (composer, args);
  listeners = g_settings_get_strv (settings, "composer-listeners");
  mini_composer_set_listeners (composer, (const char * const *) listeners);

  urls = g_settings_get_strv (settings, "recent-urls");
  for (guint i = 0; urls[i] != NULL && i < MINI_RECENT_URLS_MAX; i++)
    g_ptr_array_add (ws->recent_urls, g_strdup (urls[i]));
  update_recent_menu (window, ws);
}

/**
 * mini_window_settings_add_recent_url:
 *
 * Puts @url first among the recent URLs, once.
 */
void
mini_window_settings_add_recent_url (MiniWindow *window,
                                     const char *url)
{
  WindowSettings *ws = get_window_settings (window);

  if (ws == NULL || url == NULL || *url == '\0')
    return;

  for (guint i = 0; i < ws->recent_urls->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (ws->recent_urls, i), url))
        {
          g_ptr_array_remove_index (ws->recent_urls, i);
          break;
        }
    }
  g_ptr_array_insert (ws->recent_urls, 0, g_strdup (url));
  if (ws->recent_urls->len > MINI_RECENT_URLS_MAX)
    g_ptr_array_set_size (ws->recent_urls, MINI_RECENT_URLS_MAX);
  update_recent_menu (window, ws);
}

/**
 * mini_window_settings_save:
 *
 * Writes what mini_window_settings_restore() restores. Does nothing for a window without
 * settings.
 */
void
mini_window_settings_save (MiniWindow *window)
{
  WindowSettings *ws = get_window_settings (window);
  MiniSession *session = mini_window_get_session (window);
  MiniComposer *composer = mini_window_get_composer (window);
  g_autoptr(JsonObject) args = NULL;
  g_auto(GStrv) listeners = NULL;
  g_auto(GVariantBuilder) map = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  JsonObjectIter iter;
  const char *id;
  JsonNode *rules;
  int width;
  int height;

  if (ws == NULL)
    return;

  /* The size to come back to from maximized is the unmaximized one. */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (ws->settings, "window-width", width);
      g_settings_set_int (ws->settings, "window-height", height);
    }
  g_settings_set_boolean (ws->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (window)));

  if (mini_session_get_dialect_id (session) != NULL)
    g_settings_set_string (ws->settings, "dialect", mini_session_get_dialect_id (session));

  /* A call with an error in it is kept as it was last valid. */
  if ((args = mini_composer_dup_args (composer, NULL)) != NULL)
    {
      g_autofree char *text = print_object (args);

      g_settings_set_string (ws->settings, "composer-call", text);
    }
  listeners = mini_composer_dup_listeners (composer);
  g_settings_set_strv (ws->settings, "composer-listeners", (const char * const *) listeners);

  g_ptr_array_add (ws->recent_urls, NULL);
  g_settings_set_strv (ws->settings, "recent-urls", (const char * const *) ws->recent_urls->pdata);
  g_ptr_array_remove_index (ws->recent_urls, ws->recent_urls->len - 1);

  json_object_iter_init (&iter, ws->overrides);
  while (json_object_iter_next (&iter, &id, &rules))
    {
      g_autofree char *text = print_object (json_node_get_object (rules));

      g_variant_builder_add (&map, "{ss}", id, text);
    }
  g_settings_set_value (ws->settings, "quirk-overrides", g_variant_builder_end (&map));
}
