/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "mini-dialect.h"
#include "mini-util.h"

static MiniDialect *
load (const char *id)
{
  g_autoptr(GError) error = NULL;
  MiniDialect *dialect = mini_dialect_load (id, &error);

  g_assert_no_error (error);
  g_assert_true (MINI_IS_DIALECT (dialect));
  return dialect;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static const char *
rule_id (JsonArray *rules,
         guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (rules, i), "id");
}

static void
test_load_bundled (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(MiniDialect) web = load ("web");
  g_autofree char *wx_name = mini_dialect_dup_name (wx);
  g_autofree char *web_name = mini_dialect_dup_name (web);

  g_assert_cmpstr (mini_dialect_get_id (wx), ==, "wx");
  g_assert_cmpstr (mini_dialect_get_prefix (wx), ==, "wx");
  g_assert_cmpstr (wx_name, ==, "WeChat (base library 2.10+)");
  g_assert_cmpstr (mini_dialect_get_id (web), ==, "web");
  g_assert_cmpstr (mini_dialect_get_prefix (web), ==, "");
  g_assert_cmpstr (web_name, ==, "Browser WebSocket (baseline)");
}

static void
test_load_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniDialect) dialect = mini_dialect_load ("wechat", &error);

  g_assert_null (dialect);
  g_assert_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "unknown dialect \"wechat\"; known dialects: my, qq, swan, taro-h5, tcmpp, tt, uni, uni-app, uni-h5, web, wx, wx-legacy");

  /* The schema lives beside the dialects but is not one. */
  g_clear_error (&error);
  g_assert_null (mini_dialect_load ("schema", &error));
  g_assert_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND);
}

static void
test_list_ids (void)
{
  g_auto(GStrv) ids = mini_dialect_list_ids ();

  g_assert_nonnull (ids);
  g_assert_true (g_strv_contains ((const char * const *) ids, "wx"));
  g_assert_true (g_strv_contains ((const char * const *) ids, "web"));
  g_assert_false (g_strv_contains ((const char * const *) ids, "schema"));
  for (guint i = 1; ids[i] != NULL; i++)
    g_assert_cmpstr (ids[i - 1], <, ids[i]);
}

/* The runtime never guesses: every rule of the schema has a value, with a known source. */
static void
test_schema_complete (void)
{
  JsonArray *rules = mini_dialect_schema_get_rules ();
  JsonObject *sources = mini_dialect_schema_get_sources ();
  g_auto(GStrv) ids = mini_dialect_list_ids ();

  g_assert_cmpuint (json_array_get_length (rules), >, 30);
  for (guint d = 0; ids[d] != NULL; d++)
    {
      g_autoptr(MiniDialect) dialect = load (ids[d]);

      for (guint i = 0; i < json_array_get_length (rules); i++)
        {
          const char *rule = rule_id (rules, i);
          g_autofree char *explanation = mini_dialect_schema_dup_explanation (rule);
          const char *source = mini_dialect_get_source (dialect, rule);

          g_test_message ("%s: %s", ids[d], rule);
          g_assert_nonnull (mini_dialect_get_value (dialect, rule));
          g_assert_nonnull (source);
          g_assert_true (json_object_has_member (sources, source));
          g_assert_nonnull (explanation);
          g_assert_cmpstr (explanation, !=, "");
          g_assert_false (mini_dialect_is_overridden (dialect, rule));
        }
    }
  g_assert_null (mini_dialect_schema_get_rule ("noSuchRule"));
  g_assert_null (mini_dialect_schema_dup_explanation ("noSuchRule"));
}

static void
test_getters (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(MiniDialect) web = load ("web");
  const char * const *schemes;
  JsonObject *reasons;

  g_assert_cmpint (mini_dialect_get_int (wx, "maxConnections"), ==, 5);
  g_assert_cmpint (mini_dialect_get_int (wx, "defaultCloseCode"), ==, 1000);
  g_assert_cmpstr (mini_dialect_get_string (wx, "referer"), ==,
                   "https://servicewechat.com/{appid}/{version}/page-frame.html");
  g_assert_true (mini_dialect_get_bool (wx, "callbacks"));
  g_assert_true (mini_dialect_is (wx, "returns", "SocketTask"));
  g_assert_false (mini_dialect_is (wx, "returns", "Promise"));

  reasons = mini_dialect_get_object (wx, "closeReasons");
  g_assert_cmpstr (json_object_get_string_member (reasons, "1006"), ==, "abnormal closure");
  g_assert_cmpstr (json_object_get_string_member (reasons, "1000"), ==, "normal closure");

  schemes = mini_dialect_get_strv (wx, "schemesRelease");
  g_assert_cmpuint (g_strv_length ((char **) schemes), ==, 1);
  g_assert_cmpstr (schemes[0], ==, "wss");
  g_assert_true (mini_dialect_strv_contains (wx, "schemesDevelop", "ws"));
  g_assert_false (mini_dialect_strv_contains (wx, "schemesRelease", "ws"));
  g_assert_false (mini_dialect_strv_contains (wx, "schemesRelease", NULL));

  g_assert_cmpstr (mini_dialect_get_option_state (wx, "url"), ==, "supported");
  g_assert_cmpstr (mini_dialect_get_option_state (wx, "multiple"), ==, "absent");
  g_assert_cmpstr (mini_dialect_get_option_state (wx, "noSuchOption"), ==, "absent");

  g_assert_cmpstr (mini_dialect_get_string (web, "invalidCall"), ==, "throw");
  g_assert_true (mini_dialect_is (web, "invalidCall", "throw"));
  g_assert_cmpint (mini_dialect_get_int (web, "maxConnections"), ==, 0);
  g_assert_false (mini_dialect_get_bool (web, "callbacks"));
  g_assert_cmpstr (mini_dialect_get_string (web, "referer"), ==, "");
  g_assert_cmpuint (json_object_get_size (mini_dialect_get_object (web, "closeReasons")), ==, 0);
  /* An empty list is still a list, not "no value". */
  g_assert_nonnull (mini_dialect_get_strv (web, "forbiddenHeaders"));
  g_assert_null (mini_dialect_get_strv (web, "forbiddenHeaders")[0]);
  g_assert_cmpstr (mini_dialect_get_option_state (web, "header"), ==, "absent");
}

static void
test_unverified (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(MiniDialect) web = load ("web");

  g_assert_true (mini_dialect_is_unverified (wx, "globals"));
  g_assert_true (mini_dialect_is_unverified (wx, "listeners"));
  g_assert_false (mini_dialect_is_unverified (wx, "maxConnections"));
  g_assert_false (mini_dialect_is_unverified (web, "globals"));

  g_assert_cmpstr (mini_dialect_get_source (wx, "maxConnections"), ==, "WX-D");
  g_assert_cmpstr (mini_dialect_get_source (wx, "globals"), ==, "WX-D");
  g_assert_cmpstr (mini_dialect_get_note (wx, "globals"), ==,
                   "The docs only warn that several sockets used through wx.* globals behave "
                   "unexpectedly.");
  g_assert_null (mini_dialect_get_note (wx, "maxConnections"));
}

static void
test_err_msg (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(MiniDialect) web = load ("web");
  g_autofree char *limit = mini_dialect_format_err_msg (wx, "connect.limit", "task", "9", NULL);
  g_autofree char *limit2 = mini_dialect_format_err_msg (wx, "connect.limit",
                                                         "max", "5", "task", "12", NULL);
  g_autofree char *ok = mini_dialect_format_err_msg (wx, "connect.ok", NULL);
  g_autofree char *partial = mini_dialect_format_err_msg (wx, "connect.param",
                                                          "param", "url", NULL);
  g_autofree char *handshake = mini_dialect_format_err_msg (wx, "connect.handshake",
                                                            "status", "404",
                                                            "phrase", "Not Found", NULL);
  g_autofree char *scheme = mini_dialect_format_err_msg (web, "connect.scheme",
                                                         "scheme", "ftp",
                                                         "url", "ftp://example.com", NULL);
  g_autofree char *missing = mini_dialect_format_err_msg (wx, "connect.nothing", NULL);
  g_autofree char *web_ok = mini_dialect_format_err_msg (web, "connect.ok", NULL);

  g_assert_cmpstr (limit, ==, "createSocketTask:fail wcwss taskID=9 exceed max concurrent count");
  g_assert_cmpstr (limit2, ==, "createSocketTask:fail wcwss taskID=12 exceed max concurrent count");
  g_assert_cmpstr (ok, ==, "connectSocket:ok");
  /* A placeholder nobody filled stays visible rather than vanishing. */
  g_assert_cmpstr (partial, ==,
                   "connectSocket:fail parameter error: parameter.url should be {expected} "
                   "instead of {actual};");
  g_assert_cmpstr (handshake, ==, "Expected HTTP 101 response but was '404 Not Found'");
  g_assert_cmpstr (scheme, ==,
                   "SyntaxError: Failed to construct 'WebSocket': The URL's scheme must be either "
                   "'http', 'https', 'ws', or 'wss'. 'ftp' is not allowed.");
  g_assert_cmpstr (missing, ==, "");
  g_assert_cmpstr (web_ok, ==, "");

  g_assert_true (mini_dialect_has_err_msg (wx, "connect.ok"));
  g_assert_false (mini_dialect_has_err_msg (web, "connect.ok"));
  g_assert_false (mini_dialect_has_err_msg (wx, "connect.nothing"));
}

static void
test_overrides (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(JsonObject) quirks = parse_object ("{\"maxConnections\": 1, \"globals\": \"first\","
                                               " \"listeners\": \"single\","
                                               " \"schemesRelease\": [\"ws\", \"wss\"],"
                                               " \"referer\": {\"value\": \"\","
                                               "             \"source\": \"X\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniDialect) copy = mini_dialect_new_with_overrides (wx, quirks, &error);
  g_autoptr(MiniDialect) plain = NULL;

  g_assert_no_error (error);
  g_assert_true (copy != wx);
  g_assert_cmpstr (mini_dialect_get_id (copy), ==, "wx");
  g_assert_cmpstr (mini_dialect_get_prefix (copy), ==, "wx");

  g_assert_cmpint (mini_dialect_get_int (copy, "maxConnections"), ==, 1);
  g_assert_true (mini_dialect_is_overridden (copy, "maxConnections"));
  g_assert_cmpstr (mini_dialect_get_source (copy, "maxConnections"), ==, "WX-D");

  /* An overridden unverified rule is the user's choice, no longer an unverified claim. */
  g_assert_true (mini_dialect_is (copy, "globals", "first"));
  g_assert_true (mini_dialect_is_overridden (copy, "globals"));
  g_assert_false (mini_dialect_is_unverified (copy, "globals"));
  g_assert_cmpstr (mini_dialect_get_note (copy, "globals"), ==,
                   mini_dialect_get_note (wx, "globals"));

  /* Setting the value it already has overrides nothing. */
  g_assert_true (mini_dialect_is (copy, "listeners", "single"));
  g_assert_false (mini_dialect_is_overridden (copy, "listeners"));
  g_assert_true (mini_dialect_is_unverified (copy, "listeners"));

  g_assert_true (mini_dialect_strv_contains (copy, "schemesRelease", "ws"));
  g_assert_cmpuint (g_strv_length ((char **) mini_dialect_get_strv (copy, "schemesRelease")),
                    ==, 2);

  /* The {"value": …} form is accepted; where the rule came from stays visible. */
  g_assert_cmpstr (mini_dialect_get_string (copy, "referer"), ==, "");
  g_assert_true (mini_dialect_is_overridden (copy, "referer"));
  g_assert_cmpstr (mini_dialect_get_source (copy, "referer"), ==, "WX-N");

  g_assert_false (mini_dialect_is_overridden (copy, "overLimit"));

  /* The original is untouched. */
  g_assert_cmpint (mini_dialect_get_int (wx, "maxConnections"), ==, 5);
  g_assert_false (mini_dialect_is_overridden (wx, "maxConnections"));
  g_assert_true (mini_dialect_is (wx, "globals", "latest"));
  g_assert_true (mini_dialect_is_unverified (wx, "globals"));
  g_assert_false (mini_dialect_strv_contains (wx, "schemesRelease", "ws"));
  g_assert_cmpstr (mini_dialect_get_string (wx, "referer"), ==,
                   "https://servicewechat.com/{appid}/{version}/page-frame.html");

  plain = mini_dialect_new_with_overrides (wx, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (plain != wx);
  g_assert_cmpint (mini_dialect_get_int (plain, "maxConnections"), ==, 5);
  g_assert_false (mini_dialect_is_overridden (plain, "maxConnections"));

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&plain));
  g_assert_finalize_object (g_steal_pointer (&wx));
}

static const struct {
  const char *quirks;
  const char *message;
} bad_overrides[] = {
  { "{\"maxConection\": 1}",
    "quirks.maxConection: unknown rule; the schema has no rule \"maxConection\"" },
  { "{\"maxConnections\": \"1\"}",
    "quirks.maxConnections: expected an integer ≥ 0, got String" },
  { "{\"callbacks\": \"yes\"}",
    "quirks.callbacks: expected true or false, got String" },
  { "{\"referer\": 5}",
    "quirks.referer: expected a string, got Number" },
  { "{\"overLimit\": \"queue\"}",
    "quirks.overLimit: expected one of \"fail\", \"error-after-ok\", \"close-oldest\", "
    "got \"queue\"" },
  { "{\"overLimit\": 3}",
    "quirks.overLimit: expected one of \"fail\", \"error-after-ok\", \"close-oldest\", "
    "got Number" },
  { "{\"maxConnections\": -1}",
    "quirks.maxConnections: expected an integer ≥ 0, got -1" },
  { "{\"maxConnections\": {\"value\": -2}}",
    "quirks.maxConnections.value: expected an integer ≥ 0, got -2" },
  { "{\"schemesRelease\": \"wss\"}",
    "quirks.schemesRelease: expected an array of strings, got String" },
  { "{\"schemesRelease\": [\"wss\", \"http\"]}",
    "quirks.schemesRelease[1]: expected one of \"ws\", \"wss\", got \"http\"" },
  { "{\"forbiddenHeaders\": [\"origin\", 2]}",
    "quirks.forbiddenHeaders[1]: expected a string, got Number" },
  { "{\"options\": {\"url\": \"supported\", \"socket\": \"supported\"}}",
    "quirks.options: unexpected key \"socket\"; expected \"url\", \"header\", \"protocols\", "
    "\"timeout\", \"tcpNoDelay\", \"perMessageDeflate\", \"forceCellularNetwork\", \"multiple\", "
    "\"method\", \"data\"" },
  { "{\"options\": {\"url\": \"maybe\"}}",
    "quirks.options.url: expected one of \"supported\", \"ignored\", \"absent\", got \"maybe\"" },
  { "{\"options\": [\"url\"]}",
    "quirks.options: expected an object, got Array" },
  { "{\"closeReasons\": {\"normal\": \"bye\"}}",
    "quirks.closeReasons: unexpected key \"normal\"; expected a close code" },
  { "{\"closeReasons\": {\"1000\": 1}}",
    "quirks.closeReasons.1000: expected a string, got Number" },
};

static void
test_overrides_bad (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");

  for (guint i = 0; i < G_N_ELEMENTS (bad_overrides); i++)
    {
      g_autoptr(JsonObject) quirks = parse_object (bad_overrides[i].quirks);
      g_autoptr(GError) error = NULL;
      g_autoptr(MiniDialect) copy = NULL;

      g_test_message ("quirks %s", bad_overrides[i].quirks);
      copy = mini_dialect_new_with_overrides (wx, quirks, &error);
      g_assert_null (copy);
      g_assert_error (error, MINI_ERROR, MINI_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, bad_overrides[i].message);
    }

  g_assert_cmpint (mini_dialect_get_int (wx, "maxConnections"), ==, 5);
  g_assert_true (mini_dialect_is (wx, "overLimit", "error-after-ok"));
}

static MiniDialect *
load_file (const char  *name,
           char       **origin,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  *origin = g_test_build_filename (G_TEST_DIST, "dialects", name, NULL);
  g_file_get_contents (*origin, &contents, &length, &local_error);
  g_assert_no_error (local_error);

  return mini_dialect_new_from_data (*origin, contents, length, error);
}

static const struct {
  const char *file;
  const char *message;   /* after "ORIGIN" */
} bad_files[] = {
  { "bad-json.json", ":3:31: Parse error: unexpected number `5', expected character `,'" },
  { "bad-no-id.json", ": $.id: expected the dialect's id as a non-empty string" },
  { "bad-unknown-rule.json",
    ": $.rules.maxConnection: unknown rule; the schema has no rule \"maxConnection\"" },
  { "bad-missing-rule.json",
    ": $.rules: missing rule \"successTiming\"; every rule of the schema needs a value" },
  { "bad-wrong-type.json",
    ": $.rules.maxConnections.value: expected an integer ≥ 0, got String" },
  { "bad-extends-unknown.json",
    ": $.extends: unknown dialect \"wechat\"; known dialects: my, qq, swan, taro-h5, tcmpp, tt, uni, uni-app, uni-h5, web, wx, wx-legacy" },
  { "bad-extends-self.json", ": $.extends: a dialect cannot extend itself" },
  { "bad-unknown-errmsg.json",
    ": $.errMsgs.connect.okay: unknown errMsg key; the schema has no errMsg \"connect.okay\"" },
  { "bad-errmsg-type.json", ": $.errMsgs.connect.ok: expected a string, got Boolean" },
  { "bad-errmsg-code.json", ": $.errMsgs.connect.limit.code: expected an integer, got String" },
  { "bad-root.json", ": $: expected a dialect object, got Array" },
  { "bad-rules-type.json", ": $.rules: expected an object, got Array" },
};

static void
test_file_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MiniDialect) dialect = NULL;
      g_autofree char *origin = NULL;
      g_autofree char *expected = NULL;

      g_test_message ("file %s", bad_files[i].file);
      dialect = load_file (bad_files[i].file, &origin, &error);
      expected = g_strconcat (origin, bad_files[i].message, NULL);
      g_assert_null (dialect);
      g_assert_error (error, MINI_ERROR, MINI_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_file_extends (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(MiniDialect) one = load_file ("extends-wx.json", &origin, &error);
  g_autofree char *name = NULL;
  g_autofree char *limit = NULL;
  JsonArray *rules = mini_dialect_schema_get_rules ();

  g_assert_no_error (error);
  name = mini_dialect_dup_name (one);
  g_assert_cmpstr (mini_dialect_get_id (one), ==, "wx-one");
  g_assert_cmpstr (mini_dialect_get_prefix (one), ==, "wx");
  g_assert_cmpstr (name, ==, "WeChat, one socket");

  g_assert_cmpint (mini_dialect_get_int (one, "maxConnections"), ==, 1);
  g_assert_cmpstr (mini_dialect_get_source (one, "maxConnections"), ==, "MINISOCK");
  g_assert_cmpstr (mini_dialect_get_note (one, "maxConnections"), ==, "A test dialect.");
  /* A rule of the file itself is the dialect's value, not a user override. */
  g_assert_false (mini_dialect_is_overridden (one, "maxConnections"));

  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      const char *rule = rule_id (rules, i);

      if (g_str_equal (rule, "maxConnections"))
        continue;
      g_test_message ("inherited rule %s", rule);
      g_assert_true (json_node_equal (mini_dialect_get_value (one, rule),
                                      mini_dialect_get_value (wx, rule)));
      g_assert_cmpstr (mini_dialect_get_source (one, rule), ==, mini_dialect_get_source (wx, rule));
      g_assert_cmpint (mini_dialect_is_unverified (one, rule), ==,
                       mini_dialect_is_unverified (wx, rule));
    }
  g_assert_true (mini_dialect_strv_contains (one, "schemesRelease", "wss"));

  limit = mini_dialect_format_err_msg (one, "connect.limit", "task", "2", NULL);
  g_assert_cmpstr (limit, ==, "createSocketTask:fail wcwss taskID=2 exceed max concurrent count");

  /* Loading a child must not disturb the bundled parent. */
  g_clear_object (&wx);
  wx = load ("wx");
  g_assert_cmpint (mini_dialect_get_int (wx, "maxConnections"), ==, 5);
}

/* The schema as shipped, for the errMsg keys the API does not list. */
static JsonNode *
load_schema (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  bytes = mini_resource_lookup ("/io/github/minisock/Minisock/dialects/schema.json");
  g_assert_nonnull (bytes);
  node = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  return node;
}

static void
check_entries (JsonObject *object,
               const char *member,
               JsonArray  *order,
               const char *overridden)
{
  JsonObject *entries = json_object_get_object_member (object, member);

  g_assert_nonnull (entries);
  g_assert_cmpuint (json_object_get_size (entries), ==, json_array_get_length (order));
  for (guint i = 0; i < json_array_get_length (order); i++)
    {
      const char *id = rule_id (order, i);
      JsonObject *entry = json_object_get_object_member (entries, id);
      JsonNode *unverified;

      g_test_message ("%s.%s", member, id);
      g_assert_nonnull (entry);
      g_assert_true (json_object_has_member (entry, "value"));
      g_assert_nonnull (json_object_get_string_member_with_default (entry, "source", NULL));
      unverified = json_object_get_member (entry, "unverified");
      g_assert_nonnull (unverified);
      g_assert_true (JSON_NODE_HOLDS_VALUE (unverified)
                     && json_node_get_value_type (unverified) == G_TYPE_BOOLEAN);
      g_assert_cmpint (json_object_has_member (entry, "overridden"), ==,
                       g_strcmp0 (id, overridden) == 0);
    }
}

static void
test_to_json (void)
{
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(JsonObject) quirks = parse_object ("{\"maxConnections\": 2}");
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniDialect) two = mini_dialect_new_with_overrides (wx, quirks, &error);
  g_autoptr(JsonNode) node = mini_dialect_to_json (wx);
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) schema = load_schema ();
  JsonArray *err_msgs = json_object_get_array_member (json_node_get_object (schema), "errMsgs");
  JsonObject *object;
  JsonObject *rules;
  JsonObject *entry;

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "wx");
  g_assert_cmpstr (json_object_get_string_member (object, "prefix"), ==, "wx");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==,
                   "WeChat (base library 2.10+)");
  check_entries (object, "rules", mini_dialect_schema_get_rules (), NULL);
  check_entries (object, "errMsgs", err_msgs, NULL);

  rules = json_object_get_object_member (object, "rules");
  entry = json_object_get_object_member (rules, "maxConnections");
  g_assert_cmpint (json_object_get_int_member (entry, "value"), ==, 5);
  entry = json_object_get_object_member (rules, "globals");
  g_assert_true (json_object_get_boolean_member (entry, "unverified"));
  g_assert_cmpstr (json_object_get_string_member (entry, "note"), ==,
                   mini_dialect_get_note (wx, "globals"));

  node2 = mini_dialect_to_json (two);
  object = json_node_get_object (node2);
  check_entries (object, "rules", mini_dialect_schema_get_rules (), "maxConnections");
  rules = json_object_get_object_member (object, "rules");
  entry = json_object_get_object_member (rules, "maxConnections");
  g_assert_cmpint (json_object_get_int_member (entry, "value"), ==, 2);
  g_assert_true (json_object_get_boolean_member (entry, "overridden"));
}

/* An errMsg may carry the number the platform hands over with it; it survives extends and
 * overrides, and shows in the JSON. */
static void
test_err_code (void)
{
  static const char data[] =
    "{\"id\": \"wx-coded\", \"extends\": \"wx\", \"errMsgs\": "
    "{\"connect.limit\": {\"value\": \"too many\", \"code\": 600007, \"source\": \"WX-C\"}}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MiniDialect) coded = mini_dialect_new_from_data ("coded.json", data, -1, &error);
  g_autoptr(JsonObject) quirks = parse_object ("{\"maxConnections\": 2}");
  g_autoptr(MiniDialect) toggled = NULL;
  g_autoptr(MiniDialect) wx = load ("wx");
  g_autoptr(JsonNode) node = NULL;
  JsonObject *entry;
  gint64 code = 0;

  g_assert_no_error (error);
  g_assert_true (mini_dialect_get_err_code (coded, "connect.limit", &code));
  g_assert_cmpint (code, ==, 600007);
  g_assert_false (mini_dialect_get_err_code (coded, "connect.ok", NULL));
  g_assert_false (mini_dialect_get_err_code (wx, "connect.limit", NULL));

  toggled = mini_dialect_new_with_overrides (coded, quirks, &error);
  g_assert_no_error (error);
  code = 0;
  g_assert_true (mini_dialect_get_err_code (toggled, "connect.limit", &code));
  g_assert_cmpint (code, ==, 600007);

  node = mini_dialect_to_json (coded);
  entry = json_object_get_object_member (json_object_get_object_member (json_node_get_object (node),
                                                                        "errMsgs"),
                                         "connect.limit");
  g_assert_cmpint (json_object_get_int_member (entry, "code"), ==, 600007);
  g_assert_cmpstr (json_object_get_string_member (entry, "value"), ==, "too many");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dialect/load/bundled", test_load_bundled);
  g_test_add_func ("/dialect/load/unknown", test_load_unknown);
  g_test_add_func ("/dialect/err-code", test_err_code);
  g_test_add_func ("/dialect/list-ids", test_list_ids);
  g_test_add_func ("/dialect/schema/complete", test_schema_complete);
  g_test_add_func ("/dialect/getters", test_getters);
  g_test_add_func ("/dialect/unverified", test_unverified);
  g_test_add_func ("/dialect/err-msg", test_err_msg);
  g_test_add_func ("/dialect/overrides/new", test_overrides);
  g_test_add_func ("/dialect/overrides/bad", test_overrides_bad);
  g_test_add_func ("/dialect/file/bad", test_file_bad);
  g_test_add_func ("/dialect/file/extends", test_file_extends);
  g_test_add_func ("/dialect/to-json", test_to_json);

  return g_test_run ();
}
