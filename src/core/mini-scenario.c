/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-scenario"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mini-scenario.h"
#include "mini-util.h"

#define RESOURCE_DIR "/io/github/minisock/Minisock/scenarios/"

/* How early an `at` step's source wakes up, then sleeps the rest (see on_at_due()). */
#define AT_EARLY_US 1000

typedef struct {
  guint          index;       /* in the file, for messages and same-time ordering */
  char          *call;
  JsonObject    *args;
  guint          task;        /* 0: the newest */
  gboolean       is_on;
  gint64         at_ms;
  MiniEventKind  on;
  guint          count;       /* 0: every matching event */
  gint64         delay_ms;
} Step;

struct _MiniScenario
{
  GObject     parent_instance;

  char       *origin;
  char       *dialect_id;
  JsonNode   *title;
  JsonNode   *description;
  JsonObject *app;
  JsonObject *quirks;
  GPtrArray  *steps;
  GList      *stepwise_runs;   /* Run, waiting for mini_scenario_advance() */
  gint64      idle_ms;
  gint64      max_ms;
  gboolean    uses_playground;
};

G_DEFINE_FINAL_TYPE (MiniScenario, mini_scenario, G_TYPE_OBJECT)

/* One run of a scenario on a runtime. */
typedef struct {
  MiniScenario *scenario;
  MiniRuntime  *runtime;
  GTask        *task;
  GSource      *at_source;
  GSource      *end_source;
  GSList       *delayed;       /* GSource of delayed on-steps */
  guint        *matches;       /* per step: matching events seen */
  guint         next_at;       /* index into at_order */
  GPtrArray    *at_order;
  gint64        start_us;
  gulong        event_handler;
  GCancellable *cancellable;
  gulong        cancelled_handler;
  GSource      *cancel_source;
  gboolean      stepwise;      /* timed steps wait for mini_scenario_advance() */
  gboolean      idle_pending;  /* idle reached; confirming once the ready I/O has run */
  gboolean      done;
} Run;

static void
step_free (Step *step)
{
  g_free (step->call);
  g_clear_pointer (&step->args, json_object_unref);
  g_free (step);
}

static void
mini_scenario_finalize (GObject *object)
{
  MiniScenario *self = (MiniScenario *)object;

  g_free (self->origin);
  g_free (self->dialect_id);
  g_clear_pointer (&self->title, json_node_unref);
  g_clear_pointer (&self->description, json_node_unref);
  g_clear_pointer (&self->app, json_object_unref);
  g_clear_pointer (&self->quirks, json_object_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);

  G_OBJECT_CLASS (mini_scenario_parent_class)->finalize (object);
}

static void
mini_scenario_class_init (MiniScenarioClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mini_scenario_finalize;
}

static void
mini_scenario_init (MiniScenario *self)
{
  self->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  self->idle_ms = 500;
  self->max_ms = 10000;
}

/* ---- loading ------------------------------------------------------------------------------- */

static gboolean
holds_number (JsonNode *node)
{
  return node != NULL && g_str_equal (mini_json_type_name (node), "Number");
}

/* Times and counts are whole milliseconds in a gint64; a JSON number past this (1e999 reads as
 * infinity) has no such value. 1e12 ms is some thirty years. */
#define MAX_NUMBER 1e12

static gboolean
is_number (JsonNode *node)
{
  return holds_number (node) && isfinite (json_node_get_double (node))
         && fabs (json_node_get_double (node)) <= MAX_NUMBER;
}

/* A number that is out of range is quoted back; anything else is named by its type. */
static char *
describe_got (JsonNode *node)
{
  if (holds_number (node))
    return g_strdup_printf ("%g%s", json_node_get_double (node),
                            is_number (node) ? "" : " (too large)");
  return g_strdup (mini_json_type_name (node));
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
check_text (const char  *origin,
            JsonObject  *root,
            const char  *member,
            GError     **error)
{
  JsonNode *node = json_object_get_member (root, member);
  g_autofree char *path = g_strdup_printf ("$.%s", member);

  if (node == NULL || is_string (node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *lang;
      JsonNode *text;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &lang, &text))
        {
          if (!is_string (text))
            return mini_set_invalid (error, origin, path, _("expected a string for language \"%s\", got %s"),
                            lang, mini_json_type_name (text));
        }
      return TRUE;
    }

  return mini_set_invalid (error, origin, path,
                  _("expected a string or {\"en\": …, \"zh_CN\": …}, got %s"),
                  mini_json_type_name (node));
}

static gboolean
check_data (const char  *origin,
            const char  *path,
            JsonObject  *args,
            GError     **error)
{
  JsonNode *node = json_object_get_member (args, "data");
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *data_path = g_strdup_printf ("%s.data", path);
  g_autofree char *text_path = NULL;
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;

  object = json_node_get_object (node);
  if (json_object_get_size (object) != 1
      || (!json_object_has_member (object, "base64") && !json_object_has_member (object, "hex")))
    return mini_set_invalid (error, origin, data_path,
                    _("expected binary data as {\"base64\": \"…\"} or {\"hex\": \"…\"}"));

  if (json_object_has_member (object, "base64"))
    {
      JsonNode *text = json_object_get_member (object, "base64");

      text_path = g_strdup_printf ("%s.base64", data_path);
      if (!is_string (text))
        return mini_set_invalid (error, origin, text_path, _("expected a string, got %s"),
                        mini_json_type_name (text));
      bytes = mini_decode_base64 (json_node_get_string (text), &local_error);
    }
  else
    {
      JsonNode *text = json_object_get_member (object, "hex");

      text_path = g_strdup_printf ("%s.hex", data_path);
      if (!is_string (text))
        return mini_set_invalid (error, origin, text_path, _("expected a string, got %s"),
                        mini_json_type_name (text));
      bytes = mini_decode_hex (json_node_get_string (text), &local_error);
    }

  if (bytes == NULL)
    return mini_set_invalid (error, origin, text_path, "%s", local_error->message);

  return TRUE;
}

static Step *
parse_step (const char  *origin,
            guint        index,
            JsonNode    *node,
            GError     **error)
{
  static const char * const members[] = { "at", "on", "task", "count", "delay", "call", "args", NULL };
  g_autofree char *path = g_strdup_printf ("$.steps[%u]", index);
  g_autofree char *sub = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  JsonObject *object;
  Step *step;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      mini_set_invalid (error, origin, path, _("expected a step object, got %s"), mini_json_type_name (node));
      return NULL;
    }
  object = json_node_get_object (node);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &value))
    {
      if (!g_strv_contains (members, member))
        {
          sub = g_strdup_printf ("%s.%s", path, member);
          mini_set_invalid (error, origin, sub,
                   _("unknown member; a step has at or on, call, and optionally task, count, "
                   "delay and args"));
          return NULL;
        }
    }

  if (json_object_has_member (object, "at") == json_object_has_member (object, "on"))
    {
      mini_set_invalid (error, origin, path, _("expected exactly one of \"at\" (ms) or \"on\" (an event kind)"));
      return NULL;
    }

  value = json_object_get_member (object, "call");
  if (!is_string (value))
    {
      sub = g_strdup_printf ("%s.call", path);
      mini_set_invalid (error, origin, sub, _("expected the API name as a string, got %s"),
               mini_json_type_name (value));
      return NULL;
    }
  if (!mini_runtime_is_api (json_node_get_string (value)))
    {
      sub = g_strdup_printf ("%s.call", path);
      mini_set_invalid (error, origin, sub,
               _("unknown API \"%s\"; expected connectSocket, sendSocketMessage, closeSocket, "
               "onSocketOpen/Message/Error/Close, SocketTask.send/close/onOpen/onMessage/"
               "onError/onClose, app.hide, app.show, network.off or network.on"),
               json_node_get_string (value));
      return NULL;
    }

  step = g_new0 (Step, 1);
  step->index = index;
  step->call = g_strdup (json_node_get_string (value));

  if ((value = json_object_get_member (object, "at")) != NULL)
    {
      if (!is_number (value) || json_node_get_double (value) < 0)
        {
          g_autofree char *got = describe_got (value);

          sub = g_strdup_printf ("%s.at", path);
          mini_set_invalid (error, origin, sub, _("expected a time in ms ≥ 0, got %s"), got);
          step_free (step);
          return NULL;
        }
      step->at_ms = (gint64) json_node_get_double (value);
    }
  else
    {
      value = json_object_get_member (object, "on");
      step->is_on = TRUE;
      if (!is_string (value) || !mini_event_kind_from_string (json_node_get_string (value), &step->on)
          || (step->on != MINI_EVENT_OPEN && step->on != MINI_EVENT_MESSAGE
              && step->on != MINI_EVENT_ERROR && step->on != MINI_EVENT_CLOSE))
        {
          sub = g_strdup_printf ("%s.on", path);
          mini_set_invalid (error, origin, sub, _("expected \"open\", \"message\", \"error\" or \"close\""));
          step_free (step);
          return NULL;
        }
    }

  {
    static const struct { const char *name; gint64 min; gboolean on_only; } numbers[] = {
      { "task", 1, FALSE }, { "count", 1, TRUE }, { "delay", 0, TRUE },
    };

    for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
      {
        if ((value = json_object_get_member (object, numbers[i].name)) == NULL)
          continue;

        sub = (g_free (sub), g_strdup_printf ("%s.%s", path, numbers[i].name));
        if (numbers[i].on_only && !step->is_on)
          {
            mini_set_invalid (error, origin, sub, _("only an \"on\" step has %s"), numbers[i].name);
            step_free (step);
            return NULL;
          }
        if (!is_number (value) || json_node_get_double (value) < numbers[i].min
            || (i < 2 && json_node_get_double (value) != (double) json_node_get_int (value)))
          {
            g_autofree char *got = describe_got (value);

            if (i < 2)
              mini_set_invalid (error, origin, sub, _("expected an integer ≥ %d, got %s"),
                                (int) numbers[i].min, got);
            else
              mini_set_invalid (error, origin, sub, _("expected a number of ms ≥ %d, got %s"),
                                (int) numbers[i].min, got);
            step_free (step);
            return NULL;
          }
        if (i == 0)
          step->task = (guint) json_node_get_int (value);
        else if (i == 1)
          step->count = (guint) json_node_get_int (value);
        else
          step->delay_ms = (gint64) json_node_get_double (value);
      }
  }

  if ((value = json_object_get_member (object, "args")) != NULL)
    {
      sub = (g_free (sub), g_strdup_printf ("%s.args", path));
      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          mini_set_invalid (error, origin, sub, _("expected the options object, got %s"),
                   mini_json_type_name (value));
          step_free (step);
          return NULL;
        }
      if (!check_data (origin, sub, json_node_get_object (value), error))
        {
          step_free (step);
          return NULL;
        }
      {
        g_autofree char *bad = mini_json_find_non_finite (value, sub);

        /* Each call gets a copy through JSON text, and the timeline writes the args as JSON. */
        if (bad != NULL)
          {
            mini_set_invalid (error, origin, bad, _("expected a number JSON can write, got one too "
                              "large for a double"));
            step_free (step);
            return NULL;
          }
      }
      step->args = json_object_ref (json_node_get_object (value));
    }

  return step;
}

MiniScenario *
mini_scenario_new_from_data (const char  *origin,
                             const char  *data,
                             gssize       length,
                             GError     **error)
{
  static const char * const members[] = {
    "title", "description", "dialect", "app", "quirks", "steps", "until", NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MiniScenario) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *root;
  JsonNode *node;
  JsonObject *object;

  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  /* Checked before parsing, so no message quotes a broken character back. */
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, _("%s: not UTF-8 text"), origin);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_autofree char *message = mini_json_error_message (local_error);

      /* The line and column json-glib gives belong to the origin, the user's file. */
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s%s%s%s", origin,
                   g_ascii_isdigit (*message) ? ":" : ": ", message, ": invalid JSON");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      mini_set_invalid (error, origin, "$", _("expected a scenario object, got %s"), mini_json_type_name (root));
      return NULL;
    }
  if (!mini_json_check_utf8 (root, origin, "$", error))
    return NULL;
  object = json_node_get_object (root);

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (!g_strv_contains (members, member))
        {
          g_autofree char *path = g_strdup_printf ("$.%s", member);
          mini_set_invalid (error, origin, path, _("unknown member; expected title, description, dialect, "
                   "app, quirks, steps or until"));
          return NULL;
        }
    }

  self = g_object_new (MINI_TYPE_SCENARIO, NULL);
  self->origin = g_strdup (origin);
  self->uses_playground = g_strstr_len (data, length, "{playground}") != NULL;

  if (!check_text (origin, object, "title", error) || !check_text (origin, object, "description", error))
    return NULL;
  if ((node = json_object_get_member (object, "title")) != NULL)
    self->title = json_node_copy (node);
  if ((node = json_object_get_member (object, "description")) != NULL)
    self->description = json_node_copy (node);

  if ((node = json_object_get_member (object, "dialect")) != NULL)
    {
      if (!is_string (node))
        {
          mini_set_invalid (error, origin, "$.dialect", _("expected a dialect id such as \"wx\", got %s"),
                   mini_json_type_name (node));
          return NULL;
        }
      self->dialect_id = g_strdup (json_node_get_string (node));
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "app" : "quirks";

      if ((node = json_object_get_member (object, name)) == NULL)
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *path = g_strdup_printf ("$.%s", name);
          mini_set_invalid (error, origin, path, _("expected an object, got %s"), mini_json_type_name (node));
          return NULL;
        }
      if (i == 0)
        self->app = json_object_ref (json_node_get_object (node));
      else
        self->quirks = json_object_ref (json_node_get_object (node));
    }

  node = json_object_get_member (object, "steps");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      mini_set_invalid (error, origin, "$.steps", _("expected an array of steps, got %s"),
               mini_json_type_name (node));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      Step *step = parse_step (origin, i, json_array_get_element (json_node_get_array (node), i),
                               error);
      if (step == NULL)
        return NULL;
      g_ptr_array_add (self->steps, step);
    }

  if ((node = json_object_get_member (object, "until")) != NULL)
    {
      JsonObject *until;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          mini_set_invalid (error, origin, "$.until", _("expected {\"idle\": ms, \"max\": ms}, got %s"),
                   mini_json_type_name (node));
          return NULL;
        }
      until = json_node_get_object (node);
      json_object_iter_init (&iter, until);
      while (json_object_iter_next (&iter, &member, &node))
        {
          g_autofree char *path = g_strdup_printf ("$.until.%s", member);

          if (!g_str_equal (member, "idle") && !g_str_equal (member, "max"))
            {
              mini_set_invalid (error, origin, path, _("unknown member; expected idle or max"));
              return NULL;
            }
          if (!is_number (node) || json_node_get_double (node) < (g_str_equal (member, "max") ? 1 : 0))
            {
              g_autofree char *got = describe_got (node);

              mini_set_invalid (error, origin, path, _("expected a number of ms %s, got %s"),
                       g_str_equal (member, "max") ? "> 0" : "≥ 0", got);
              return NULL;
            }
          if (g_str_equal (member, "idle"))
            self->idle_ms = (gint64) json_node_get_double (node);
          else
            self->max_ms = (gint64) json_node_get_double (node);
        }
    }

  return g_steal_pointer (&self);
}

MiniScenario *
mini_scenario_new_from_file (const char  *path,
                             GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if ((contents = mini_read_file (path, &length, error)) == NULL)
    return NULL;
  return mini_scenario_new_from_data (path, contents, length, error);
}

MiniScenario *
mini_scenario_new_from_resource (const char  *name,
                                 GError     **error)
{
  g_autofree char *path = g_strdup_printf (RESOURCE_DIR "%s.json", name);
  g_autofree char *origin = g_strdup_printf ("scenarios/%s.json", name);
  g_autoptr(GBytes) bytes = mini_resource_lookup (path);

  if (bytes == NULL)
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND, _("no bundled scenario \"%s\""), name);
      return NULL;
    }

  return mini_scenario_new_from_data (origin, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), error);
}

char **
mini_scenario_list_bundled (void)
{
  g_auto(GStrv) children = mini_resource_list (RESOURCE_DIR);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      if (g_str_has_suffix (children[i], ".json"))
        {
          g_autofree char *name = g_strndup (children[i], strlen (children[i]) - 5);
          g_strv_builder_add (builder, name);
        }
    }

  return g_strv_builder_end (builder);
}

const char *
mini_scenario_get_origin (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);
  return self->origin;
}

const char *
mini_scenario_get_dialect_id (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);
  return self->dialect_id;
}

char *
mini_scenario_dup_title (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);
  return mini_localize (self->title);
}

char *
mini_scenario_dup_description (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);
  return mini_localize (self->description);
}

JsonObject *
mini_scenario_get_app (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);
  return self->app;
}

JsonObject *
mini_scenario_get_quirks (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);
  return self->quirks;
}

gboolean
mini_scenario_uses_playground (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), FALSE);
  return self->uses_playground;
}

guint
mini_scenario_get_n_steps (MiniScenario *self)
{
  g_return_val_if_fail (MINI_IS_SCENARIO (self), 0);
  return self->steps->len;
}

/* Builds the runtime the scenario asks for: its dialect (or @dialect_id), its quirks and its app
 * settings; errors name the file and the JSON path. */
MiniRuntime *
mini_scenario_create_runtime (MiniScenario  *self,
                              const char    *dialect_id,
                              MiniTimeline  *timeline,
                              const char    *playground_url,
                              GError       **error)
{
  g_autoptr(MiniDialect) base = NULL;
  g_autoptr(MiniDialect) dialect = NULL;
  g_autoptr(MiniRuntime) runtime = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean from_file = FALSE;

  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);

  if (dialect_id == NULL)
    {
      from_file = self->dialect_id != NULL;
      dialect_id = from_file ? self->dialect_id : "wx";
    }

  if ((base = mini_dialect_load (dialect_id, &local_error)) == NULL)
    {
      /* The file's own dialect is named by its place in the file. */
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: %s%s", self->origin,
                   from_file ? "$.dialect: " : "", local_error->message);
      return NULL;
    }
  if ((dialect = mini_dialect_new_with_overrides (base, self->quirks, &local_error)) == NULL)
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: $.%s", self->origin,
                   local_error->message);
      return NULL;
    }

  runtime = mini_runtime_new (dialect, timeline);
  if (self->app != NULL && !mini_runtime_set_app (runtime, self->app, &local_error))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: $.%s", self->origin,
                   local_error->message);
      return NULL;
    }
  if (playground_url != NULL)
    mini_runtime_set_playground_url (runtime, playground_url);

  return g_steal_pointer (&runtime);
}

/* ---- running ------------------------------------------------------------------------------- */

static void run_check_end (Run *run);

static gboolean
dispatch_ready (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs ready_funcs = { NULL, NULL, dispatch_ready, NULL, NULL, NULL };

/* A source that fires at a monotonic time in µs: finer than g_timeout_add()'s milliseconds. */
static GSource *
ready_source_new (gint64      ready_time,
                  GSourceFunc func,
                  gpointer    data)
{
  GSource *source = g_source_new (&ready_funcs, sizeof (GSource));

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, func, data, NULL);
  g_source_set_ready_time (source, ready_time);
  g_source_attach (source, NULL);

  return source;
}

static void
expand_node (MiniRuntime *runtime,
             JsonNode    *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &child))
        expand_node (runtime, child);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        expand_node (runtime, json_array_get_element (array, i));
    }
  else if (is_string (node) && strstr (json_node_get_string (node), "{playground}") != NULL)
    {
      g_autofree char *expanded = mini_runtime_expand_url (runtime, json_node_get_string (node));
      json_node_set_string (node, expanded);
    }
}

static void
run_step (Run  *run,
          Step *step)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) args = NULL;

  if (run->done)
    return;

  if (step->args != NULL)
    {
      /* json_node_copy() shares objects; each call gets its own, expanded, args. */
      g_autoptr(JsonNode) original = json_node_init_object (json_node_alloc (), step->args);
      g_autofree char *text = json_to_string (original, FALSE);

      args = json_from_string (text, NULL);
      expand_node (run->runtime, args);
    }

  mini_runtime_set_step (run->runtime, step->index + 1);
  if (!mini_runtime_call (run->runtime, step->call, args != NULL ? json_node_get_object (args) : NULL,
                          step->task, &error))
    {
      /* A step that names a missing task is the scenario's mistake, shown where it happened. */
      MiniEventSpec spec = { .kind = MINI_EVENT_ENV, .code = MINI_NO_CODE,
                             .step = step->index + 1 };
      g_autoptr(JsonObject) extra = json_object_new ();
      g_autofree char *text = g_strdup_printf ("step %u not run: %s", step->index, error->message);

      json_object_set_string_member (extra, "value", "step-error");
      json_object_set_string_member (extra, "text", text);
      spec.extra = extra;
      mini_timeline_append (mini_runtime_get_timeline (run->runtime), &spec);
    }
  mini_runtime_set_step (run->runtime, 0);
}

static gboolean
on_at_due (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 turn_at = -1;

  run->at_source = NULL;
  if (run->done)
    return G_SOURCE_REMOVE;

  if (run->stepwise)
    {
      run_check_end (run);
      return G_SOURCE_REMOVE;
    }

  /* The steps of one `at` run in one go, in file order, as one turn of JavaScript code would.
   * A later `at` is another turn: when a loaded machine made both due at once, it runs after the
   * callbacks the earlier turn queued (their source was attached first), as it would on time. */
  while (run->next_at < run->at_order->len)
    {
      Step *step = g_ptr_array_index (run->at_order, run->next_at);
      gint64 due = run->start_us + step->at_ms * 1000;

      if (turn_at >= 0 && step->at_ms != turn_at)
        break;

      /* The source wakes up to AT_EARLY_US early, since the main loop polls in whole
       * milliseconds; the rest is slept here, so a step runs on time rather than up to 1 ms late. */
      if (due > now && due - now <= AT_EARLY_US)
        {
          gint64 current = g_get_monotonic_time ();

          if (due > current)
            g_usleep (due - current);
          now = due;
        }
      if (due > now)
        break;
      run->next_at++;
      turn_at = step->at_ms;
      run_step (run, step);
      if (run->done)
        return G_SOURCE_REMOVE;
    }

  if (run->next_at < run->at_order->len)
    {
      Step *step = g_ptr_array_index (run->at_order, run->next_at);
      GSource *source = ready_source_new (run->start_us + step->at_ms * 1000 - AT_EARLY_US,
                                          on_at_due, run);

      run->at_source = source;
      g_source_unref (source);
    }
  else
    run_check_end (run);

  return G_SOURCE_REMOVE;
}

typedef struct {
  Run    *run;
  Step   *step;
  GSource *source;
} Delayed;

static gboolean
on_delay_due (gpointer user_data)
{
  Delayed *delayed = user_data;
  Run *run = delayed->run;

  run->delayed = g_slist_remove (run->delayed, delayed);
  g_source_destroy (delayed->source);
  g_source_unref (delayed->source);
  run_step (run, delayed->step);
  g_free (delayed);
  run_check_end (run);

  return G_SOURCE_REMOVE;
}

static void
on_platform_event (MiniRuntime *runtime,
                   gint         kind,
                   guint        task,
                   guint        seq,
                   Run         *run)
{
  MiniScenario *self = run->scenario;

  for (guint i = 0; i < self->steps->len && !run->done; i++)
    {
      Step *step = g_ptr_array_index (self->steps, i);

      if (!step->is_on || (gint) step->on != kind || (step->task != 0 && step->task != task))
        continue;
      run->matches[i]++;
      if (step->count != 0 && run->matches[i] != step->count)
        continue;

      if (step->delay_ms == 0)
        run_step (run, step);
      else
        {
          Delayed *delayed = g_new0 (Delayed, 1);

          delayed->run = run;
          delayed->step = step;
          delayed->source = ready_source_new (g_get_monotonic_time () + step->delay_ms * 1000,
                                              on_delay_due, delayed);
          run->delayed = g_slist_prepend (run->delayed, delayed);
        }
    }
}

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_source_destroy (delayed->source);
  g_source_unref (delayed->source);
  g_free (delayed);
}

/* Stops everything that could still call back into the run. */
static void
run_stop (Run *run)
{
  if (run->event_handler != 0)
    g_clear_signal_handler (&run->event_handler, run->runtime);
  if (run->cancelled_handler != 0)
    g_cancellable_disconnect (run->cancellable, run->cancelled_handler);
  run->cancelled_handler = 0;
  g_clear_pointer (&run->cancel_source, g_source_destroy);
  run->scenario->stepwise_runs = g_list_remove (run->scenario->stepwise_runs, run);
  g_clear_pointer (&run->at_source, g_source_destroy);
  g_clear_pointer (&run->end_source, g_source_destroy);
  g_slist_free_full (g_steal_pointer (&run->delayed), delayed_free);
}

static void
run_free (Run *run)
{
  run_stop (run);
  g_clear_pointer (&run->at_order, g_ptr_array_unref);
  g_free (run->matches);
  g_clear_object (&run->runtime);
  g_clear_object (&run->scenario);
  g_clear_object (&run->cancellable);
  g_free (run);
}

static void
run_finish (Run        *run,
            const char *why)
{
  MiniTimeline *timeline = mini_runtime_get_timeline (run->runtime);
  MiniEventSpec spec = { .kind = MINI_EVENT_ENV, .code = MINI_NO_CODE };
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(GTask) task = g_steal_pointer (&run->task);

  run->done = TRUE;
  run_stop (run);
  mini_runtime_shutdown (run->runtime);

  json_object_set_string_member (extra, "value", "end");
  json_object_set_string_member (extra, "text", why);
  spec.extra = extra;
  mini_timeline_append (timeline, &spec);
  mini_timeline_flush (timeline);

  g_task_return_boolean (task, TRUE);
}

static gboolean
on_end_check (gpointer user_data)
{
  Run *run = user_data;

  run->end_source = NULL;
  run_check_end (run);

  return G_SOURCE_REMOVE;
}

static void
run_check_end (Run *run)
{
  MiniScenario *self = run->scenario;
  gint64 now = g_get_monotonic_time ();
  gint64 max_at = run->start_us + self->max_ms * 1000;
  /* A runtime made before the run may have been quiet for long; idle counts from the start. */
  gint64 idle_at = MAX (mini_runtime_get_last_activity (run->runtime), run->start_us)
                   + self->idle_ms * 1000;
  gint64 next;

  if (run->done)
    return;

  /* A teacher takes their time: nothing ends a step-by-step run before its last timed step. */
  if (run->stepwise && run->next_at < run->at_order->len)
    {
      g_clear_pointer (&run->end_source, g_source_destroy);
      return;
    }

  if (now >= max_at)
    {
      g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT, self->max_ms);
      g_autofree char *why = g_strdup_printf (_("until.max reached (%s ms)"), ms);
      run_finish (run, why);
      return;
    }

  /* Idle only counts once no timed step is left to run. It is confirmed at low priority: when
   * the machine was too busy to run this process for a while, the socket I/O that became ready
   * meanwhile (a handshake answer, a frame) runs first and counts as activity, so a starved
   * process does not end a run that was not idle. */
  if (run->next_at >= run->at_order->len && run->delayed == NULL && now >= idle_at)
    {
      g_autofree char *ms = NULL;
      g_autofree char *why = NULL;

      if (!run->idle_pending)
        {
          run->idle_pending = TRUE;
          g_clear_pointer (&run->end_source, g_source_destroy);
          run->end_source = g_idle_source_new ();
          g_source_set_priority (run->end_source, G_PRIORITY_LOW);
          g_source_set_callback (run->end_source, on_end_check, run, NULL);
          g_source_attach (run->end_source, NULL);
          g_source_unref (run->end_source);
          return;
        }
      ms = g_strdup_printf ("%" G_GINT64_FORMAT, self->idle_ms);
      why = g_strdup_printf (_("idle for %s ms"), ms);
      run_finish (run, why);
      return;
    }
  run->idle_pending = FALSE;

  if (run->next_at >= run->at_order->len && run->delayed == NULL)
    next = MIN (max_at, MAX (idle_at, now + 1000));
  else
    next = MIN (max_at, now + MAX (self->idle_ms, 1) * 1000);
  g_clear_pointer (&run->end_source, g_source_destroy);
  run->end_source = ready_source_new (next, on_end_check, run);
  g_source_unref (run->end_source);
}

static int
compare_at (gconstpointer a,
            gconstpointer b)
{
  const Step *sa = *(const Step * const *) a;
  const Step *sb = *(const Step * const *) b;

  if (sa->at_ms != sb->at_ms)
    return sa->at_ms < sb->at_ms ? -1 : 1;
  return (int) sa->index - (int) sb->index;
}

static gboolean
on_cancel_due (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&run->task);

  run->cancel_source = NULL;
  run->done = TRUE;
  run_stop (run);
  g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              Run          *run)
{
  /* Stops at once, so no step runs after the cancel; returns from the main loop, as disconnecting
   * inside this handler would deadlock. */
  run->done = TRUE;
  if (run->cancel_source == NULL)
    {
      run->cancel_source = g_idle_source_new ();
      g_source_set_priority (run->cancel_source, G_PRIORITY_HIGH);
      g_source_set_callback (run->cancel_source, on_cancel_due, run, NULL);
      g_source_attach (run->cancel_source, NULL);
      g_source_unref (run->cancel_source);
    }
}

static void
run_start (MiniScenario        *self,
           MiniRuntime         *runtime,
           gboolean             stepwise,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  Run *run;

  run = g_new0 (Run, 1);
  run->stepwise = stepwise;
  run->scenario = g_object_ref (self);
  run->runtime = g_object_ref (runtime);
  run->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (run->task, mini_scenario_run_async);
  run->matches = g_new0 (guint, MAX (self->steps->len, 1));
  run->at_order = g_ptr_array_new ();
  for (guint i = 0; i < self->steps->len; i++)
    {
      Step *step = g_ptr_array_index (self->steps, i);
      if (!step->is_on)
        g_ptr_array_add (run->at_order, step);
    }
  g_ptr_array_sort (run->at_order, compare_at);

  run->event_handler = g_signal_connect (runtime, "platform-event",
                                         G_CALLBACK (on_platform_event), run);

  run->start_us = g_get_monotonic_time ();
  mini_timeline_set_origin (mini_runtime_get_timeline (runtime), run->start_us);

  /* The GTask keeps the run alive until it returns; the run is freed with the task's data. */
  g_object_set_data_full (G_OBJECT (run->task), "run", run, (GDestroyNotify) run_free);
  if (stepwise)
    self->stepwise_runs = g_list_prepend (self->stepwise_runs, run);
  if (cancellable != NULL)
    run->cancellable = g_object_ref (cancellable);
  if (cancellable != NULL)
    run->cancelled_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), run,
                                                    NULL);
  if (!run->done)
    on_at_due (run);
}

void
mini_scenario_run_async (MiniScenario        *self,
                         MiniRuntime         *runtime,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (MINI_IS_SCENARIO (self));
  g_return_if_fail (MINI_IS_RUNTIME (runtime));

  run_start (self, runtime, FALSE, cancellable, callback, user_data);
}

/**
 * mini_scenario_run_stepwise_async:
 *
 * Runs the scenario one timed step at a time, for teaching: each mini_scenario_advance() runs the
 * next `at` step at once, whatever its time; `on` steps still answer their events. The run ends as
 * usual once the last timed step ran.
 */
void
mini_scenario_run_stepwise_async (MiniScenario        *self,
                                  MiniRuntime         *runtime,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (MINI_IS_SCENARIO (self));
  g_return_if_fail (MINI_IS_RUNTIME (runtime));

  run_start (self, runtime, TRUE, cancellable, callback, user_data);
}

static Run *
find_stepwise_run (MiniScenario *self,
                   MiniRuntime  *runtime)
{
  for (GList *l = self->stepwise_runs; l != NULL; l = l->next)
    {
      Run *run = l->data;

      if (run->runtime == runtime && !run->done)
        return run;
    }
  return NULL;
}

/**
 * mini_scenario_get_next_step:
 *
 * Returns: the timed step a step-by-step run on @runtime runs next, counted from 1 as events
 *   mark it; 0 when none is left or no such run is going on
 */
guint
mini_scenario_get_next_step (MiniScenario *self,
                             MiniRuntime  *runtime)
{
  Run *run;

  g_return_val_if_fail (MINI_IS_SCENARIO (self), 0);

  run = find_stepwise_run (self, runtime);
  if (run == NULL || run->next_at >= run->at_order->len)
    return 0;

  return ((Step *) g_ptr_array_index (run->at_order, run->next_at))->index + 1;
}

/**
 * mini_scenario_advance:
 *
 * Runs the next timed step of the step-by-step run on @runtime.
 *
 * Returns: %FALSE when there was none left to run
 */
gboolean
mini_scenario_advance (MiniScenario *self,
                       MiniRuntime  *runtime)
{
  Run *run;

  g_return_val_if_fail (MINI_IS_SCENARIO (self), FALSE);

  run = find_stepwise_run (self, runtime);
  if (run == NULL || run->next_at >= run->at_order->len)
    return FALSE;

  run_step (run, g_ptr_array_index (run->at_order, run->next_at++));
  run_check_end (run);

  return TRUE;
}

gboolean
mini_scenario_run_finish (MiniScenario  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- reading and writing steps ------------------------------------------------------------- */

static void
append_args (GString    *out,
             JsonObject *args)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (args == NULL || json_object_get_size (args) == 0)
    return;

  node = json_node_init_object (json_node_alloc (), args);
  text = json_to_string (node, FALSE);
  g_string_append_c (out, ' ');
  g_string_append (out, text);
}

/**
 * mini_scenario_dup_step_text:
 * @index: from 0
 *
 * Returns: (transfer full) (nullable): the step as one line: when it runs, the call and its args
 */
char *
mini_scenario_dup_step_text (MiniScenario *self,
                             guint         index)
{
  GString *out;
  Step *step;

  g_return_val_if_fail (MINI_IS_SCENARIO (self), NULL);

  if (index >= self->steps->len)
    return NULL;

  step = g_ptr_array_index (self->steps, index);
  out = g_string_new (NULL);
  if (!step->is_on)
    {
      g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT, step->at_ms);

      /* TRANSLATORS: when a scenario step runs; %s is a time in milliseconds */
      g_string_append_printf (out, _("at %s ms"), ms);
    }
  else
    {
      /* TRANSLATORS: when a scenario step runs; %s is an event kind such as open */
      g_string_append_printf (out, _("on %s"), mini_event_kind_to_string (step->on));
      if (step->count != 0)
        g_string_append_printf (out, " #%u", step->count);
      if (step->delay_ms != 0)
        g_string_append_printf (out, " +%" G_GINT64_FORMAT " ms", step->delay_ms);
    }
  if (step->task != 0)
    /* TRANSLATORS: the SocketTask a scenario step acts on */
    g_string_append_printf (out, _(" · task %u"), step->task);
  g_string_append_printf (out, " · %s", step->call);
  append_args (out, step->args);

  return g_string_free (out, FALSE);
}

/* The playground's port changes from run to run; a scenario names it {playground}. */
static void
unexpand_node (JsonNode   *node,
               const char *playground_url)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &child))
        unexpand_node (child, playground_url);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        unexpand_node (json_array_get_element (array, i), playground_url);
    }
  else if (is_string (node) && strstr (json_node_get_string (node), playground_url) != NULL)
    {
      g_autoptr(GString) text = g_string_new (json_node_get_string (node));

      g_string_replace (text, playground_url, "{playground}", 0);
      json_node_set_string (node, text->str);
    }
}

/**
 * mini_scenario_build_from_timeline:
 * @timeline: a session's timeline
 * @dialect_id: the platform it ran on
 * @quirks: (nullable): the rules changed from the platform's
 * @playground_url: (nullable): the playground's address, written back as `{playground}`
 * @title: (nullable): the scenario's title
 *
 * Writes what the user did as a scenario file: every API call of @timeline, with its args and its
 * time as `at`, task methods with their task. Replaying it calls the same APIs at the same times.
 *
 * Returns: (transfer full): the scenario's root object
 */
JsonNode *
mini_scenario_build_from_timeline (MiniTimeline *timeline,
                                   const char   *dialect_id,
                                   JsonObject   *quirks,
                                   const char   *playground_url,
                                   const char   *title)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 last_at = 0;

  g_return_val_if_fail (MINI_IS_TIMELINE (timeline), NULL);
  g_return_val_if_fail (dialect_id != NULL, NULL);

  json_builder_begin_object (builder);
  if (title != NULL)
    {
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, title);
    }
  json_builder_set_member_name (builder, "dialect");
  json_builder_add_string_value (builder, dialect_id);
  if (quirks != NULL && json_object_get_size (quirks) > 0)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), quirks);

      json_builder_set_member_name (builder, "quirks");
      json_builder_add_value (builder, json_node_copy (node));
    }

  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  gboolean same_turn = FALSE;
  gboolean any = FALSE;

  for (guint i = 0; i < mini_timeline_get_n_events (timeline); i++)
    {
      MiniEventView view;
      JsonNode *args;
      gint64 at;

      if (!mini_timeline_get_event (timeline, i, &view))
        continue;
      /* Only a call's own return and quirks between two calls: they ran in one turn of the
       * page's code (a connect and its listeners), so the replay runs them in one turn too. */
      if (view.kind != MINI_EVENT_CALL)
        {
          if (view.kind != MINI_EVENT_RETURN && view.kind != MINI_EVENT_QUIRK)
            same_turn = FALSE;
          continue;
        }
      if (!mini_runtime_is_api (view.api))
        continue;

      if (any && same_turn)
        at = last_at;
      else
        /* Rounded up, so a call never runs before one recorded in the same millisecond. */
        at = MAX ((view.t_us + 999) / 1000, last_at);
      last_at = at;
      any = TRUE;
      same_turn = TRUE;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "at");
      json_builder_add_int_value (builder, at);
      json_builder_set_member_name (builder, "call");
      json_builder_add_string_value (builder, view.api);
      if (mini_runtime_api_takes_task (view.api) && view.task != 0)
        {
          json_builder_set_member_name (builder, "task");
          json_builder_add_int_value (builder, view.task);
        }
      args = view.extra != NULL ? json_object_get_member (view.extra, "args") : NULL;
      if (args != NULL && JSON_NODE_HOLDS_OBJECT (args))
        {
          g_autofree char *text = json_to_string (args, FALSE);
          JsonNode *copy = json_from_string (text, NULL);

          if (playground_url != NULL && *playground_url != '\0')
            unexpand_node (copy, playground_url);
          json_builder_set_member_name (builder, "args");
          json_builder_add_value (builder, copy);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "until");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "idle");
  json_builder_add_int_value (builder, 500);
  json_builder_set_member_name (builder, "max");
  json_builder_add_int_value (builder, last_at + 10000);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
