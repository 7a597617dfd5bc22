/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-test"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mini-dialect.h"
#include "mini-playground.h"
#include "mini-runtime.h"
#include "mini-timeline.h"

/* What a wait that timed out shows: the timeline of the case. */
#define WAIT_FOR_ON_TIMEOUT() mini_test_dump_timeline (timeline)

#include "mini-test-cli.h"
#include "mini-test-util.h"

/* Bad input, one row a case, each with the exact words the user is shown: the errMsg on the
 * timeline for a platform, or the loader's message naming the file, the place and what was
 * expected. Cases already in test-runtime, test-scenario, test-dialect and test-har are not
 * repeated here. */

/* ---- API calls: the errMsg on the timeline ------------------------------------------------ */

typedef struct {
  const char    *name;
  const char    *dialect;
  const char    *app;      /* app settings, or NULL */
  gboolean       open;     /* connect to {playground}/echo and wait for the open first */
  const char    *api;
  const char    *args;
  MiniEventKind  kind;     /* FAIL, ERROR, RETURN (a throw) or QUIRK */
  const char    *text;     /* the errMsg, or the quirk's text */
  const char    *rule;     /* for QUIRK: the rule whose quirk says it */
} CallCase;

#define R10 "rrrrrrrrrr"
#define R120 R10 R10 R10 R10 R10 R10 R10 R10 R10 R10 R10 R10
#define R124 R120 "rrrr"
/* 121 ASCII bytes and one 3-byte character: 124 bytes, the character cut by the 123-byte limit. */
#define R121 R120 "r"

static const CallCase call_cases[] = {
  /* connectSocket options */
  { "options/url-missing", "wx", NULL, FALSE, "connectSocket", "{'fail': true}",
    MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.url should be String "
    "instead of Undefined;" },
  { "options/url-missing", "web", NULL, FALSE, "connectSocket", "{}", MINI_EVENT_RETURN,
    "TypeError: Failed to construct 'WebSocket': 1 argument required, but "
    "only 0 present." },
  { "options/url-missing", "tt", NULL, FALSE, "connectSocket", "{'fail': true}",
    MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.url should be String "
    "instead of Undefined" },
  { "options/url-array", "wx", NULL, FALSE, "connectSocket", "{'url': ['wss://a'], 'fail': true}",
    MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.url should be String "
    "instead of Array;" },
  { "options/url-number", "web", NULL, FALSE, "connectSocket", "{'url': 123}", MINI_EVENT_RETURN,
    "SyntaxError: Failed to construct 'WebSocket': The URL '123' is invalid." },
  { "options/url-object", "uni-h5", NULL, FALSE, "connectSocket", "{'url': {}, 'fail': true}",
    MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.url should be String "
    "instead of Object." },
  { "options/header-string", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'header': 'X-A: 1', 'fail': true}", MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.header should be Object "
    "instead of String;" },
  { "options/header-value-number", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'header': {'X-A': 1}, 'fail': true}", MINI_EVENT_QUIRK,
    "The header X-A is not a string (Number); it is sent as 1.",
    "options" },
  { "options/header-value-object", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'header': {'X-A': {'b': 1}}, 'fail': true}", MINI_EVENT_QUIRK,
    "The header X-A is not a string (Object); it is sent as {\"b\":1}.", "options" },
  { "options/protocols-numbers", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'protocols': [1, 'chat'], 'fail': true}", MINI_EVENT_QUIRK,
    "protocols[0] is not a string (Number); it is not offered.",
    "options" },
  { "options/protocols-string", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'protocols': 'chat', 'fail': true}", MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.protocols should be Array "
    "instead of String;" },
  { "options/protocols-empty-name", "web", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'protocols': ['']}", MINI_EVENT_RETURN,
    "SyntaxError: Failed to construct 'WebSocket': The subprotocol '' is "
    "invalid." },
  { "options/protocols-object", "web", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'protocols': [{}]}", MINI_EVENT_RETURN,
    "SyntaxError: Failed to construct 'WebSocket': The subprotocol '[object "
    "Object]' is invalid." },
  { "options/timeout-string", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'timeout': '500', 'fail': true}", MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.timeout should be Number "
    "instead of String;" },
  { "options/timeout-negative", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/silent?silent=1', 'timeout': -5}", MINI_EVENT_QUIRK,
    "timeout -5 is not a positive number of ms; the default, 60000 ms, "
    "applies.",
    "timeoutDefault" },
  { "options/timeout-huge", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'timeout': 1e300}", MINI_EVENT_QUIRK,
    "The timeout is above the platform's cap of 60000 ms; the cap applies.",
    "timeoutMax" },
  { "options/timeout-absent", "web", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'timeout': 'soon'}", MINI_EVENT_QUIRK,
    "Browser WebSocket (baseline) has no option timeout; it has no effect.",
    "options" },
  { "options/unknown-key", "wx", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'retries': 3}", MINI_EVENT_QUIRK,
    "WeChat (base library 2.10+) has no option retries; it has no effect.",
    "options" },
  { "options/unknown-key", "web", NULL, FALSE, "connectSocket",
    "{'url': '{playground}/echo', 'retries': 3}", MINI_EVENT_QUIRK,
    "Browser WebSocket (baseline) has no option retries; it has no effect.",
    "options" },
  { "options/url-null", "wx", NULL, FALSE, "connectSocket", "{'url': null, 'fail': true}",
    MINI_EVENT_FAIL,
    "connectSocket:fail parameter error: parameter.url should be String "
    "instead of Null;" },

  /* URLs */
  { "url/no-scheme", "wx", NULL, FALSE, "connectSocket", "{'url': 'example.com/socket'}",
    MINI_EVENT_ERROR,
    "createSocketTask:fail invalid url" },
  { "url/no-scheme", "web", NULL, FALSE, "connectSocket", "{'url': 'example.com/socket'}",
    MINI_EVENT_RETURN,
    "SyntaxError: Failed to construct 'WebSocket': The URL "
    "'example.com/socket' is invalid." },
  { "url/http", "wx", NULL, FALSE, "connectSocket", "{'url': 'http://127.0.0.1:9/'}",
    MINI_EVENT_ERROR,
    "createSocketTask:fail url not in domain list" },
  { "url/file", "wx", NULL, FALSE, "connectSocket", "{'url': 'file:///etc/passwd'}",
    MINI_EVENT_ERROR,
    "createSocketTask:fail url not in domain list" },
  { "url/file", "web", NULL, FALSE, "connectSocket", "{'url': 'file:///etc/passwd'}",
    MINI_EVENT_RETURN,
    "SyntaxError: Failed to construct 'WebSocket': The URL's scheme must be "
    "either 'http', 'https', 'ws', or 'wss'. 'file' is not allowed." },
  { "url/file", "tt", NULL, FALSE, "connectSocket", "{'url': 'file:///etc/passwd', 'fail': true}",
    MINI_EVENT_FAIL,
    "connectSocket:fail url scheme is invalid" },
  { "url/empty-host", "wx", NULL, FALSE, "connectSocket", "{'url': 'wss://:443/socket'}",
    MINI_EVENT_ERROR,
    "createSocketTask:fail invalid url" },
  { "url/empty-host", "web", NULL, FALSE, "connectSocket", "{'url': 'ws://:80/socket'}",
    MINI_EVENT_RETURN,
    "SyntaxError: Failed to construct 'WebSocket': The URL 'ws://:80/socket' "
    "is invalid." },
  { "url/spaces", "wx", NULL, FALSE, "connectSocket", "{'url': 'wss://exa mple.com/socket'}",
    MINI_EVENT_ERROR,
    "createSocketTask:fail invalid url" },
  { "url/spaces", "web", NULL, FALSE, "connectSocket", "{'url': 'ws://exa mple.com/socket'}",
    MINI_EVENT_RETURN,
    "SyntaxError: Failed to construct 'WebSocket': The URL 'ws://exa "
    "mple.com/socket' is invalid." },
  { "url/empty", "wx", NULL, FALSE, "connectSocket", "{'url': ''}", MINI_EVENT_ERROR,
    "createSocketTask:fail url is null" },
  { "url/not-in-domain-list", "wx",
    "{'build': 'release', 'domains': ['wss://example.com']}", FALSE, "connectSocket",
    "{'url': 'wss://example.org/socket'}", MINI_EVENT_ERROR,
    "createSocketTask:fail url not in domain list" },
  { "url/not-in-domain-list", "tt",
    "{'build': 'release', 'domains': ['wss://example.com']}", FALSE, "connectSocket",
    "{'url': 'wss://example.org/socket', 'fail': true}", MINI_EVENT_FAIL,
    "connectSocket:fail url not in domain list" },

  /* close codes and reasons */
  { "close/code-999", "wx", NULL, TRUE, "SocketTask.close", "{'code': 999, 'fail': true}",
    MINI_EVENT_FAIL,
    "closeSocket:fail The code must be either 1000, or between 3000 and 4999" },
  { "close/code-999", "web", NULL, TRUE, "SocketTask.close", "{'code': 999}", MINI_EVENT_RETURN,
    "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The code "
    "must be either 1000, or between 3000 and 4999. 999 is neither." },
  { "close/code-1005", "wx", NULL, TRUE, "SocketTask.close", "{'code': 1005, 'fail': true}",
    MINI_EVENT_FAIL,
    "closeSocket:fail The code must be either 1000, or between 3000 and 4999" },
  { "close/code-1005", "web", NULL, TRUE, "SocketTask.close", "{'code': 1005}",
    MINI_EVENT_RETURN,
    "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The code "
    "must be either 1000, or between 3000 and 4999. 1005 is neither." },
  { "close/code-2999", "wx", NULL, TRUE, "SocketTask.close", "{'code': 2999, 'fail': true}",
    MINI_EVENT_FAIL,
    "closeSocket:fail The code must be either 1000, or between 3000 and 4999" },
  { "close/code-2999", "tt", NULL, TRUE, "SocketTask.close", "{'code': 2999, 'fail': true}",
    MINI_EVENT_FAIL,
    "closeSocket:fail code must be 1000 or 1001" },
  { "close/code-5000", "wx", NULL, TRUE, "closeSocket", "{'code': 5000, 'fail': true}",
    MINI_EVENT_FAIL,
    "closeSocket:fail The code must be either 1000, or between 3000 and 4999" },
  { "close/code-5000", "web", NULL, TRUE, "SocketTask.close", "{'code': 5000}",
    MINI_EVENT_RETURN,
    "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The code "
    "must be either 1000, or between 3000 and 4999. 5000 is neither." },
  { "close/code-5000", "uni-h5", NULL, TRUE, "SocketTask.close", "{'code': 5000, 'fail': true}",
    MINI_EVENT_FAIL,
    "closeSocket:fail InvalidAccessError: Failed to execute 'close' on "
    "'WebSocket': The code must be either 1000, or between 3000 and 4999. "
    "5000 is neither." },
  { "close/code-string", "wx", NULL, TRUE, "SocketTask.close", "{'code': '1000', 'fail': true}",
    MINI_EVENT_FAIL,
    "closeSocket:fail The code must be either 1000, or between 3000 and 4999" },
  { "close/code-string", "web", NULL, TRUE, "SocketTask.close", "{'code': 'bye'}",
    MINI_EVENT_RETURN,
    "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The code "
    "must be either 1000, or between 3000 and 4999. 0 is neither." },
  { "close/reason-124-bytes", "tt", NULL, TRUE, "SocketTask.close",
    "{'code': 1000, 'reason': '" R124 "', 'fail': true}", MINI_EVENT_FAIL,
    "closeSocket:fail reason must not be greater than 123 bytes" },
  { "close/reason-124-bytes", "uni-h5", NULL, TRUE, "SocketTask.close",
    "{'code': 1000, 'reason': '" R124 "', 'fail': true}", MINI_EVENT_FAIL,
    "closeSocket:fail SyntaxError: Failed to execute 'close' on 'WebSocket': "
    "The message must not be greater than 123 bytes." },
  { "close/reason-cuts-character", "wx", NULL, TRUE, "SocketTask.close",
    "{'code': 1000, 'reason': '" R121 "关', 'fail': true}", MINI_EVENT_FAIL,
    "closeSocket:fail The message must not be greater than 123 bytes." },
  { "close/reason-cuts-character", "web", NULL, TRUE, "SocketTask.close",
    "{'code': 1000, 'reason': '" R121 "关'}", MINI_EVENT_RETURN,
    "SyntaxError: Failed to execute 'close' on 'WebSocket': The message must "
    "not be greater than 123 bytes." },
  { "close/code-fraction", "web", NULL, TRUE, "SocketTask.close", "{'code': 2999.4}",
    MINI_EVENT_RETURN,
    "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The code "
    "must be either 1000, or between 3000 and 4999. 2999 is neither." },

  /* payloads */
  { "send/number", "wx", NULL, TRUE, "SocketTask.send", "{'data': 42, 'fail': true}",
    MINI_EVENT_FAIL,
    "sendSocketMessage:fail unknown data" },
  { "send/object", "wx", NULL, TRUE, "SocketTask.send", "{'data': {'a': 1}, 'fail': true}",
    MINI_EVENT_FAIL,
    "sendSocketMessage:fail unknown data" },
  { "send/null", "wx", NULL, TRUE, "sendSocketMessage", "{'data': null, 'fail': true}",
    MINI_EVENT_FAIL,
    "sendSocketMessage:fail unknown data" },
  { "send/missing", "tt", NULL, TRUE, "SocketTask.send", "{'fail': true}", MINI_EVENT_FAIL,
    "sendSocketMessage:fail parameter error: parameter.data should be String "
    "or ArrayBuffer" },
  { "send/hex-odd", "wx", NULL, TRUE, "SocketTask.send", "{'data': {'hex': 'abc'}, 'fail': true}",
    MINI_EVENT_FAIL,
    "sendSocketMessage:fail unknown data" },
  { "send/hex-odd", "uni-h5", NULL, TRUE, "SocketTask.send",
    "{'data': {'hex': 'abc'}, 'fail': true}", MINI_EVENT_FAIL,
    "sendSocketMessage:fail Error: Failed to execute 'send' on 'WebSocket'" },
  { "send/base64-invalid", "tt", NULL, TRUE, "SocketTask.send",
    "{'data': {'base64': 'not base64!'}, 'fail': true}", MINI_EVENT_FAIL,
    "sendSocketMessage:fail parameter error: parameter.data should be String "
    "or ArrayBuffer" },
  { "send/object", "web", NULL, TRUE, "SocketTask.send", "{'data': {'a': 1}}", MINI_EVENT_MESSAGE,
    "[object Object]" },
  { "send/number", "web", NULL, TRUE, "SocketTask.send", "{'data': 42}", MINI_EVENT_MESSAGE,
    "42" },
};

static MiniPlayground *playground;

/* Where an event of @kind says it: a quirk's text, a message's data, anything else's errMsg. */
static const char *
said_member (MiniEventKind kind)
{
  return kind == MINI_EVENT_QUIRK ? "text" : kind == MINI_EVENT_MESSAGE ? "data" : "errMsg";
}

/* The first event of @kind at or after @from that tells the user something, or -1. */
static gint
find_told (MiniTimeline  *timeline,
           guint          from,
           MiniEventKind  kind,
           const char    *rule)
{
  guint n = mini_timeline_get_n_events (timeline);

  for (guint i = from; i < n; i++)
    {
      g_autoptr(JsonObject) event = mini_test_event_at (timeline, (gint) i);
      const char *kind_name = mini_test_str_member (event, "kind");
      const char *said = mini_test_str_member (event, said_member (kind));

      if (g_strcmp0 (kind_name, mini_event_kind_to_string (kind)) != 0 || said == NULL
          || *said == '\0')
        continue;
      if (kind == MINI_EVENT_QUIRK && g_strcmp0 (mini_test_str_member (event, "id"), rule) != 0)
        continue;
      if (kind == MINI_EVENT_RETURN
          && g_strcmp0 (mini_test_str_member (event, "value"), "throw") != 0)
        continue;
      return (gint) i;
    }
  return -1;
}

static void
test_call (gconstpointer data)
{
  const CallCase *c = data;
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(MiniTimeline) timeline = mini_timeline_new ();
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(JsonObject) args = c->args != NULL ? mini_test_parse_args (c->args) : NULL;
  g_autoptr(JsonObject) told = NULL;
  g_autoptr(GError) error = NULL;
  guint from;
  gint position;

  dialect = mini_dialect_load (c->dialect, &error);
  g_assert_no_error (error);
  runtime = mini_runtime_new (dialect, timeline);
  mini_runtime_set_playground_url (runtime, mini_playground_get_url (playground));
  if (c->app != NULL)
    {
      g_autoptr(JsonObject) app = mini_test_parse_args (c->app);

      g_assert_true (mini_runtime_set_app (runtime, app, &error));
      g_assert_no_error (error);
    }

  if (c->open)
    {
      g_autoptr(JsonObject) echo = NULL;

      /* success passed: uni returns a SocketTask only then. */
      echo = mini_test_parse_args ("{'url': '{playground}/echo', 'success': true}");

      g_assert_true (mini_runtime_call (runtime, "connectSocket", echo, 0, &error));
      g_assert_no_error (error);
      WAIT_FOR (mini_test_count_events (timeline, MINI_EVENT_OPEN, MINI_TEST_ANY_TASK) == 1);
    }

  from = mini_timeline_get_n_events (timeline);
  g_assert_true (mini_runtime_call (runtime, c->api, args, 0, &error));
  g_assert_no_error (error);
  WAIT_FOR (find_told (timeline, from, c->kind, c->rule) >= 0);

  position = find_told (timeline, from, c->kind, c->rule);
  told = mini_test_event_at (timeline, position);
  g_assert_cmpstr (mini_test_str_member (told, said_member (c->kind)),
                   ==, c->text);

  mini_runtime_shutdown (runtime);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* ---- files: minisock-cli's message, naming the file, the place and what was expected ------- */

typedef struct {
  const char *name;
  const char *command;   /* run or replay */
  const char *contents;
  const char *message;   /* what follows the file's path on stderr */
} FileCase;

#define ECHO_STEP \
  "{\"at\": 0, \"call\": \"connectSocket\", \"args\": {\"url\": \"{playground}/echo\"}}"

static const FileCase file_cases[] = {
  /* scenario files */
  { "scenario/syntax-error", "run", "{\"steps\": [}\n",
    ":1:12: Parse error: unexpected character `}', expected character `]': invalid JSON" },
  { "scenario/wrong-type", "run", "{\"steps\": [" ECHO_STEP "], \"until\": {\"idle\": \"soon\"}}",
    ": $.until.idle: expected a number of ms ≥ 0, got String" },
  { "scenario/unknown-step", "run",
    "{\"steps\": [{\"at\": 0, \"call\": \"SocketTask.reconnect\"}]}",
    ": $.steps[0].call: unknown API \"SocketTask.reconnect\"; expected connectSocket, "
    "sendSocketMessage, closeSocket, onSocketOpen/Message/Error/Close, SocketTask.send/close/"
    "onOpen/onMessage/onError/onClose, app.hide, app.show, network.off or network.on" },
  { "scenario/unknown-dialect", "run", "{\"dialect\": \"wechat\", \"steps\": [" ECHO_STEP "]}",
    ": $.dialect: unknown dialect \"wechat\"; known dialects: my, qq, swan, taro-h5, tcmpp, tt, "
    "uni, uni-app, uni-h5, web, wx, wx-legacy" },
  { "scenario/args-infinite", "run",
    "{\"steps\": [{\"at\": 0, \"call\": \"connectSocket\", \"args\": {\"url\": \"ws://a/\", "
    "\"timeout\": 1e999}}]}",
    ": $.steps[0].args.timeout: expected a number JSON can write, got one too large for a "
    "double" },
  /* Found by fuzz-scenario: json-glib reads \333 as the byte 0xDB, and the error quoted it. */
  { "scenario/octal-escape", "run",
    "{\"steps\": [{\"at\": 0, \"call\": \"connectSocket\", \"args\": {\"url\": "
    "\"ws://a/\\333\"}}]}",
    ": $.steps[0].args.url: expected UTF-8 text, got bytes that are no character (an escape JSON "
    "does not have, such as \\333, or half of a \\u surrogate pair)" },
  { "scenario/at-negative", "run", "{\"steps\": [{\"at\": -1, \"call\": \"connectSocket\"}]}",
    ": $.steps[0].at: expected a time in ms ≥ 0, got -1" },

  /* dialect overrides, as a scenario's quirks */
  { "quirks/unknown-rule", "run", "{\"quirks\": {\"maxConn\": 5}, \"steps\": [" ECHO_STEP "]}",
    ": $.quirks.maxConn: unknown rule; the schema has no rule \"maxConn\"" },
  { "quirks/wrong-type", "run",
    "{\"quirks\": {\"maxConnections\": \"5\"}, \"steps\": [" ECHO_STEP "]}",
    ": $.quirks.maxConnections: expected an integer ≥ 0, got String" },
  { "quirks/value-not-allowed", "run",
    "{\"quirks\": {\"overLimit\": \"explode\"}, \"steps\": [" ECHO_STEP "]}",
    ": $.quirks.overLimit: expected one of \"fail\", \"error-after-ok\", \"close-oldest\", got "
    "\"explode\"" },

  /* HAR files */
  { "har/not-json", "replay", "not json\n",
    ":1:3: Parse error: unexpected identifier `not', expected value: invalid JSON" },
  { "har/no-entries", "replay", "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"x\"}}}",
    ": $.log.entries: expected an array of entries, got Undefined" },
  { "har/no-websocket-messages", "replay",
    "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"startedDateTime\": "
    "\"2026-12-05T03:00:00Z\", "
    "\"request\": {\"url\": \"https://example.com/app\"}, \"response\": {\"status\": 200}}]}}",
    ": $.log.entries: no WebSocket entry: expected a request to a ws:// or wss:// URL, or an entry "
    "with _resourceType \"websocket\"" },
  /* Found by fuzz-har: such a file was read, then its replay refused for steps the user never
   * wrote. */
  { "har/times-too-far", "replay",
    "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"startedDateTime\": "
    "\"2026-12-05T03:00:00Z\", "
    "\"request\": {\"url\": \"ws://127.0.0.1:9/\"}, \"_webSocketMessages\": [{\"type\": \"send\", "
    "\"time\": 1796095200, \"opcode\": 1, \"data\": \"a\"}, {\"type\": \"send\", \"time\": 1e300, "
    "\"opcode\": 1, \"data\": \"b\"}]}]}}",
    ": $.log.entries[0]: expected the messages and the close within 1e+11 ms of the open, got "
    "1e+300 ms" },
  /* Found by fuzz-har: the options went into the replay's JSON as "inf". */
  { "har/connect-option-infinite", "replay",
    "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"startedDateTime\": "
    "\"2026-12-05T03:00:00Z\", \"request\": {\"url\": \"ws://127.0.0.1:9/\"}, \"_minisock\": "
    "{\"connect\": {\"url\": \"ws://127.0.0.1:9/\", \"protocols\": [1e999]}}}]}}",
    ": $.log.entries[0]._minisock.connect.protocols[0]: expected a number JSON can write, got "
    "one too large for a double" },
  { "har/octal-escape-in-name", "replay",
    "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"startedDateTime\": "
    "\"2026-12-05T03:00:00Z\", \"request\": {\"url\": \"ws://127.0.0.1:9/\", "
    "\"headers\": [{\"name\": \"X\\301\", \"value\": \"1\"}]}}]}}",
    ": $.log.entries[0].request.headers[0].name: expected UTF-8 text, got bytes that are no "
    "character (an escape JSON does not have, such as \\333, or half of a \\u surrogate pair)" },
  { "har/close-code", "replay",
    "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"startedDateTime\": "
    "\"2026-12-05T03:00:00Z\", "
    "\"request\": {\"url\": \"ws://127.0.0.1:9/\"}, \"_minisock\": {\"close\": {\"code\": 1e999}}}]}}",
    ": $.log.entries[0]._minisock.close.code: expected a close code from 0 to 65535, got inf" },
};

static void
test_file (gconstpointer data)
{
  const FileCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("minisock-bad-input-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_auto(MiniCliResult) result = { 0 };
  const char *args[] = { c->command, NULL, NULL };

  g_assert_no_error (error);
  path = g_build_filename (dir, g_str_equal (c->command, "replay") ? "input.har" : "input.json",
                           NULL);
  g_assert_true (g_file_set_contents (path, c->contents, -1, &error));
  g_assert_no_error (error);

  args[1] = path;
  mini_test_run_cliv (&result, NULL, args, 30000);
  expected = g_strdup_printf ("minisock-cli: %s%s\n", path, c->message);
  g_assert_cmpstr (result.err, ==, expected);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpint (result.status, ==, 2);

  /* The file is the user's: read, never changed. */
  {
    g_autofree char *after = NULL;

    g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, c->contents);
  }
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  playground = mini_playground_new ();
  g_assert_true (mini_playground_start (playground, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (call_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/%s/%s", call_cases[i].name,
                                               call_cases[i].dialect);
      g_test_add_data_func (path, &call_cases[i], test_call);
    }

  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bad-input/%s", file_cases[i].name);
      g_test_add_data_func (path, &file_cases[i], test_file);
    }

  status = g_test_run ();
  g_clear_object (&playground);
  return status;
}
