/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-dialect"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "mini-dialect.h"
#include "mini-util.h"

#define RESOURCE_DIR "/io/github/minisock/Minisock/dialects/"

/* A rule's value or an errMsg, with the marks the reference gives it. */
typedef struct {
  JsonNode *value;
  char     *source;
  char     *note;
  GStrv     strv;
  gint64    code;        /* an errMsg's error number (Alipay's error, uni's errCode) */
  guint     has_code : 1;
  guint     unverified : 1;
  guint     overridden : 1;
} Entry;

struct _MiniDialect
{
  GObject     parent_instance;

  char       *id;
  char       *prefix;
  JsonNode   *name;
  GHashTable *rules;     /* id -> Entry */
  GHashTable *err_msgs;  /* id -> Entry */
};

G_DEFINE_FINAL_TYPE (MiniDialect, mini_dialect, G_TYPE_OBJECT)

static JsonObject *schema;
static GHashTable *schema_rules;  /* id -> JsonObject */

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_pointer (&entry->value, json_node_unref);
  g_free (entry->source);
  g_free (entry->note);
  g_strfreev (entry->strv);
  g_free (entry);
}

static Entry *
entry_copy (const Entry *entry)
{
  Entry *copy = g_new0 (Entry, 1);

  copy->value = json_node_copy (entry->value);
  copy->source = g_strdup (entry->source);
  copy->note = g_strdup (entry->note);
  copy->strv = g_strdupv (entry->strv);
  copy->code = entry->code;
  copy->has_code = entry->has_code;
  copy->unverified = entry->unverified;
  copy->overridden = entry->overridden;

  return copy;
}

static GHashTable *
entries_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}

static GHashTable *
entries_copy (GHashTable *table)
{
  GHashTable *copy = entries_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), entry_copy (value));

  return copy;
}

static void
ensure_schema (void)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *rules;

  if (g_once_init_enter (&schema))
    {
      JsonObject *object;

      bytes = mini_resource_lookup (RESOURCE_DIR "schema.json");
      g_assert_no_error (error);
      parser = json_parser_new ();
      json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), -1, &error);
      g_assert_no_error (error);
      object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));

      schema_rules = g_hash_table_new (g_str_hash, g_str_equal);
      rules = json_object_get_array_member (object, "rules");
      for (guint i = 0; i < json_array_get_length (rules); i++)
        {
          JsonObject *rule = json_array_get_object_element (rules, i);
          g_hash_table_insert (schema_rules,
                               (gpointer) json_object_get_string_member (rule, "id"), rule);
        }

      g_once_init_leave (&schema, object);
    }
}

JsonArray *
mini_dialect_schema_get_rules (void)
{
  ensure_schema ();
  return json_object_get_array_member (schema, "rules");
}

JsonObject *
mini_dialect_schema_get_rule (const char *rule)
{
  ensure_schema ();
  return g_hash_table_lookup (schema_rules, rule);
}

JsonObject *
mini_dialect_schema_get_sources (void)
{
  ensure_schema ();
  return json_object_get_object_member (schema, "sources");
}

char *
mini_dialect_schema_dup_explanation (const char *rule)
{
  JsonObject *info = mini_dialect_schema_get_rule (rule);

  if (info == NULL)
    return NULL;

  return mini_localize (json_object_get_member (info, "explanation"));
}

static JsonArray *
get_array_member (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *value)
{
  if (array == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
describe_values (JsonArray *array)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_string_append_printf (out, "%s\"%s\"", i > 0 ? ", " : "",
                            json_array_get_string_element (array, i));

  return g_string_free (out, FALSE);
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A value of the right type that is not allowed is quoted back to the user; any other is named
 * by its type. */
static char *
describe_got (JsonNode *node)
{
  if (node_is_string (node))
    return g_strdup_printf ("\"%s\"", json_node_get_string (node));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return g_strdup_printf ("%g", json_node_get_double (node));

  return g_strdup (mini_json_type_name (node));
}

/* Checks one value against its schema entry; on failure says what was expected. */
static gboolean
check_rule_value (JsonObject  *info,
                  JsonNode    *value,
                  const char  *where,
                  GError     **error)
{
  const char *type = json_object_get_string_member (info, "type");
  JsonArray *values = get_array_member (info, "values");
  g_autofree char *allowed = describe_values (values);
  const char *got = mini_json_type_name (value);
  g_autofree char *got_value = NULL;

  if (g_str_equal (type, "bool"))
    {
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        return TRUE;
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   _("%s: expected true or false, got %s"), where, got);
      return FALSE;
    }

  if (g_str_equal (type, "int"))
    {
      gint64 min = json_object_get_int_member_with_default (info, "min", G_MININT64);
      g_autofree char *min_text = NULL;

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64
          && json_node_get_int (value) >= min)
        return TRUE;
      if (!node_is_string (value))
        got_value = describe_got (value);
      min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   _("%s: expected an integer ≥ %s, got %s"), where, min_text,
                   got_value != NULL ? got_value : got);
      return FALSE;
    }

  if (g_str_equal (type, "enum") || g_str_equal (type, "string"))
    {
      if (node_is_string (value)
          && (g_str_equal (type, "string") || array_has_string (values, json_node_get_string (value))))
        return TRUE;
      if (g_str_equal (type, "string"))
        g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                     _("%s: expected a string, got %s"), where, got);
      else
        {
          got_value = node_is_string (value) ? describe_got (value) : NULL;
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: expected one of %s, got %s"), where, allowed,
                       got_value != NULL ? got_value : got);
        }
      return FALSE;
    }

  if (g_str_equal (type, "strv"))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: expected an array of strings, got %s"), where, got);
          return FALSE;
        }
      array = json_node_get_array (value);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!node_is_string (element)
              || (values != NULL && !array_has_string (values, json_node_get_string (element))))
            {
              g_autofree char *got_element = node_is_string (element) ? describe_got (element)
                                                                      : NULL;
              const char *got_text = got_element != NULL ? got_element
                                                         : mini_json_type_name (element);

              if (values != NULL)
                g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                             _("%s[%u]: expected one of %s, got %s"), where, i, allowed, got_text);
              else
                g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                             _("%s[%u]: expected a string, got %s"), where, i, got_text);
              return FALSE;
            }
        }
      return TRUE;
    }

  if (g_str_equal (type, "options") || g_str_equal (type, "reasons"))
    {
      JsonArray *states = get_array_member (info, "states");
      JsonObjectIter iter;
      const char *member;
      JsonNode *element;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: expected an object, got %s"), where, got);
          return FALSE;
        }
      json_object_iter_init (&iter, json_node_get_object (value));
      while (json_object_iter_next (&iter, &member, &element))
        {
          gboolean key_ok;
          gboolean value_ok;

          if (g_str_equal (type, "options"))
            {
              key_ok = array_has_string (values, member);
              value_ok = node_is_string (element)
                         && array_has_string (states, json_node_get_string (element));
            }
          else
            {
              char *end = NULL;
              gint64 code = g_ascii_strtoll (member, &end, 10);

              key_ok = end != member && *end == '\0' && code >= 0 && code < 5000;
              value_ok = node_is_string (element);
            }

          if (!key_ok)
            {
              g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                           _("%s: unexpected key \"%s\"; expected %s"), where, member,
                           g_str_equal (type, "options") ? allowed : _("a close code"));
              return FALSE;
            }
          if (!value_ok)
            {
              g_autofree char *allowed_states = describe_values (states);
              g_autofree char *got_state = node_is_string (element) ? describe_got (element)
                                                                    : NULL;
              const char *got_text = got_state != NULL ? got_state
                                                       : mini_json_type_name (element);

              if (states != NULL)
                g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                             _("%s.%s: expected one of %s, got %s"), where, member,
                             allowed_states, got_text);
              else
                g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                             _("%s.%s: expected a string, got %s"), where, member, got_text);
              return FALSE;
            }
        }
      return TRUE;
    }

  g_assert_not_reached ();
}

static Entry *
entry_new_from_node (JsonNode    *node,
                     gboolean     is_rule,
                     JsonObject  *info,
                     const char  *where,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *value = node;
  Entry *entry;

  /* A rule is written either as its bare value or as {"value", "source", "note", "unverified"}. */
  if (JSON_NODE_HOLDS_OBJECT (node)
      && json_object_has_member (json_node_get_object (node), "value"))
    value = json_object_get_member (json_node_get_object (node), "value");

  if (is_rule)
    {
      g_autofree char *value_where = g_strdup_printf ("%s%s", where,
                                                      value != node ? ".value" : "");
      if (!check_rule_value (info, value, value_where, error))
        return NULL;
    }
  else if (!node_is_string (value))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   _("%s: expected a string, got %s"), where, mini_json_type_name (value));
      return NULL;
    }

  /* Some platforms hand the caller a number beside the text; the errMsg entry carries it. */
  if (!is_rule && value != node
      && json_object_has_member (json_node_get_object (node), "code"))
    {
      JsonNode *code = json_object_get_member (json_node_get_object (node), "code");

      if (!JSON_NODE_HOLDS_VALUE (code) || json_node_get_value_type (code) != G_TYPE_INT64)
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s.code: expected an integer, got %s"), where, mini_json_type_name (code));
          return NULL;
        }
    }

  entry = g_new0 (Entry, 1);
  entry->value = json_node_copy (value);
  if (value != node)
    {
      JsonObject *object = json_node_get_object (node);

      if (!is_rule && json_object_has_member (object, "code"))
        {
          entry->code = json_object_get_int_member (object, "code");
          entry->has_code = TRUE;
        }

      entry->source = g_strdup (mini_json_get_string (object, "source"));
      entry->note = g_strdup (mini_json_get_string (object, "note"));
      entry->unverified = mini_json_get_true (object, "unverified");
    }
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      guint n = json_array_get_length (array);

      entry->strv = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        entry->strv[i] = g_strdup (json_array_get_string_element (array, i));
    }

  return entry;
}

static void
mini_dialect_finalize (GObject *object)
{
  MiniDialect *self = (MiniDialect *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->name, json_node_unref);
  g_clear_pointer (&self->rules, g_hash_table_unref);
  g_clear_pointer (&self->err_msgs, g_hash_table_unref);

  G_OBJECT_CLASS (mini_dialect_parent_class)->finalize (object);
}

static void
mini_dialect_class_init (MiniDialectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mini_dialect_finalize;
}

static void
mini_dialect_init (MiniDialect *self)
{
}

static gboolean
load_entries (GHashTable  *table,
              JsonObject  *object,
              const char  *member_name,
              gboolean     is_rule,
              const char  *origin,
              GError     **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  JsonNode *container = json_object_get_member (object, member_name);

  if (container == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (container))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   _("%s: $.%s: expected an object, got %s"), origin, member_name,
                   mini_json_type_name (container));
      return FALSE;
    }

  json_object_iter_init (&iter, json_node_get_object (container));
  while (json_object_iter_next (&iter, &member, &node))
    {
      g_autofree char *where = g_strdup_printf ("%s: $.%s.%s", origin, member_name, member);
      JsonObject *info = NULL;
      Entry *entry;

      if (is_rule && (info = mini_dialect_schema_get_rule (member)) == NULL)
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: unknown rule; the schema has no rule \"%s\""), where, member);
          return FALSE;
        }
      if (!is_rule)
        {
          JsonArray *known = json_object_get_array_member (schema, "errMsgs");
          gboolean found = FALSE;

          for (guint i = 0; i < json_array_get_length (known) && !found; i++)
            found = g_str_equal (json_object_get_string_member (json_array_get_object_element (known, i), "id"), member);
          if (!found)
            {
              g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                           _("%s: unknown errMsg key; the schema has no errMsg \"%s\""), where, member);
              return FALSE;
            }
        }

      if ((entry = entry_new_from_node (node, is_rule, info, where, error)) == NULL)
        return FALSE;
      g_hash_table_replace (table, g_strdup (member), entry);
    }

  return TRUE;
}

MiniDialect *
mini_dialect_new_from_data (const char  *origin,
                            const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MiniDialect) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *root;
  const char *extends;
  const char *id;
  JsonArray *rules;

  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  ensure_schema ();

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
                   g_ascii_isdigit (*message) ? ":" : ": ", message, "");
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   _("%s: $: expected a dialect object, got %s"), origin, mini_json_type_name (root));
      return NULL;
    }
  if (!mini_json_check_utf8 (root, origin, "$", error))
    return NULL;
  object = json_node_get_object (root);

  id = mini_json_get_string (object, "id");
  if (id == NULL || *id == '\0')
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   _("%s: $.id: expected the dialect's id as a non-empty string"), origin);
      return NULL;
    }

  self = g_object_new (MINI_TYPE_DIALECT, NULL);
  self->id = g_strdup (id);

  /* A dialect that extends another starts from a copy of its rules and errMsgs. */
  extends = mini_json_get_string (object, "extends");
  if (extends == NULL && json_object_has_member (object, "extends"))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                   _("%s: $.extends: expected the id of a dialect as a string, got %s"), origin,
                   mini_json_type_name (json_object_get_member (object, "extends")));
      return NULL;
    }
  if (extends != NULL)
    {
      g_autoptr(MiniDialect) parent = NULL;

      if (g_str_equal (extends, id))
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: $.extends: a dialect cannot extend itself"), origin);
          return NULL;
        }
      if ((parent = mini_dialect_load (extends, &local_error)) == NULL)
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: $.extends: %s"), origin, local_error->message);
          return NULL;
        }
      self->rules = entries_copy (parent->rules);
      self->err_msgs = entries_copy (parent->err_msgs);
      self->prefix = g_strdup (parent->prefix);
      self->name = json_node_copy (parent->name);
    }
  else
    {
      self->rules = entries_new ();
      self->err_msgs = entries_new ();
    }

  if (json_object_has_member (object, "prefix"))
    {
      g_free (self->prefix);
      self->prefix = g_strdup (json_object_get_string_member (object, "prefix"));
    }
  if (self->prefix == NULL)
    self->prefix = g_strdup ("");
  if (json_object_has_member (object, "name"))
    {
      g_clear_pointer (&self->name, json_node_unref);
      self->name = json_node_copy (json_object_get_member (object, "name"));
    }

  if (!load_entries (self->rules, object, "rules", TRUE, origin, error)
      || !load_entries (self->err_msgs, object, "errMsgs", FALSE, origin, error))
    return NULL;

  /* Every rule of the schema must have a value, so the runtime never guesses. */
  rules = mini_dialect_schema_get_rules ();
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      const char *rule = json_object_get_string_member (json_array_get_object_element (rules, i), "id");

      if (!g_hash_table_contains (self->rules, rule))
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: $.rules: missing rule \"%s\"; every rule of the schema needs a value"),
                       origin, rule);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

MiniDialect *
mini_dialect_load (const char  *id,
                   GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_equal (id, "schema") || strchr (id, '/') != NULL)
    bytes = NULL;
  else
    {
      path = g_strdup_printf (RESOURCE_DIR "%s.json", id);
      bytes = mini_resource_lookup (path);
    }

  if (bytes == NULL)
    {
      g_auto(GStrv) ids = mini_dialect_list_ids ();
      g_autofree char *known = g_strjoinv (", ", ids);

      g_set_error (error, MINI_ERROR, MINI_ERROR_NOT_FOUND,
                   _("unknown dialect \"%s\"; known dialects: %s"), id, known);
      return NULL;
    }

  origin = g_strdup_printf ("dialects/%s.json", id);
  return mini_dialect_new_from_data (origin, g_bytes_get_data (bytes, NULL),
                                     g_bytes_get_size (bytes), error);
}

char **
mini_dialect_list_ids (void)
{
  g_auto(GStrv) children = mini_resource_list (RESOURCE_DIR);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    {
      if (g_str_has_suffix (children[i], ".json") && !g_str_equal (children[i], "schema.json"))
        g_ptr_array_add (ids, g_strndup (children[i], strlen (children[i]) - 5));
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

MiniDialect *
mini_dialect_new_with_overrides (MiniDialect  *self,
                                 JsonObject   *quirks,
                                 GError      **error)
{
  g_autoptr(MiniDialect) copy = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);

  copy = g_object_new (MINI_TYPE_DIALECT, NULL);
  copy->id = g_strdup (self->id);
  copy->prefix = g_strdup (self->prefix);
  copy->name = json_node_copy (self->name);
  copy->rules = entries_copy (self->rules);
  copy->err_msgs = entries_copy (self->err_msgs);

  if (quirks == NULL)
    return g_steal_pointer (&copy);

  json_object_iter_init (&iter, quirks);
  while (json_object_iter_next (&iter, &member, &node))
    {
      g_autofree char *where = g_strdup_printf ("quirks.%s", member);
      JsonObject *info = mini_dialect_schema_get_rule (member);
      Entry *old;
      Entry *entry;

      if (info == NULL)
        {
          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("%s: unknown rule; the schema has no rule \"%s\""), where, member);
          return NULL;
        }
      if ((entry = entry_new_from_node (node, TRUE, info, where, error)) == NULL)
        return NULL;

      /* The toggle changes the value; where it came from stays visible. */
      old = g_hash_table_lookup (copy->rules, member);
      g_free (entry->source);
      entry->source = g_strdup (old->source);
      g_free (entry->note);
      entry->note = g_strdup (old->note);
      entry->overridden = !json_node_equal (old->value, entry->value);
      entry->unverified = old->unverified && !entry->overridden;
      g_hash_table_replace (copy->rules, g_strdup (member), entry);
    }

  return g_steal_pointer (&copy);
}

const char *
mini_dialect_get_id (MiniDialect *self)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return self->id;
}

const char *
mini_dialect_get_prefix (MiniDialect *self)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return self->prefix;
}

char *
mini_dialect_dup_name (MiniDialect *self)
{
  char *name;

  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);

  name = mini_localize (self->name);
  return name != NULL ? name : g_strdup (self->id);
}

static Entry *
get_entry (MiniDialect *self,
           const char  *rule)
{
  Entry *entry = g_hash_table_lookup (self->rules, rule);

  /* The loader guarantees every schema rule; a miss is a typo in the code. */
  if G_UNLIKELY (entry == NULL)
    g_error ("dialect %s has no rule %s", self->id, rule);

  return entry;
}

JsonNode *
mini_dialect_get_value (MiniDialect *self,
                        const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return get_entry (self, rule)->value;
}

gboolean
mini_dialect_get_bool (MiniDialect *self,
                       const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), FALSE);
  return json_node_get_boolean (get_entry (self, rule)->value);
}

gint64
mini_dialect_get_int (MiniDialect *self,
                      const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), 0);
  return json_node_get_int (get_entry (self, rule)->value);
}

const char *
mini_dialect_get_string (MiniDialect *self,
                         const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return json_node_get_string (get_entry (self, rule)->value);
}

gboolean
mini_dialect_is (MiniDialect *self,
                 const char  *rule,
                 const char  *value)
{
  return g_strcmp0 (mini_dialect_get_string (self, rule), value) == 0;
}

const char * const *
mini_dialect_get_strv (MiniDialect *self,
                       const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return (const char * const *) get_entry (self, rule)->strv;
}

gboolean
mini_dialect_strv_contains (MiniDialect *self,
                            const char  *rule,
                            const char  *value)
{
  const char * const *strv = mini_dialect_get_strv (self, rule);

  return strv != NULL && value != NULL && g_strv_contains (strv, value);
}

JsonObject *
mini_dialect_get_object (MiniDialect *self,
                         const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return json_node_get_object (get_entry (self, rule)->value);
}

const char *
mini_dialect_get_option_state (MiniDialect *self,
                               const char  *option)
{
  JsonObject *options = mini_dialect_get_object (self, "options");
  const char *state = mini_json_get_string (options, option);

  return state != NULL ? state : "absent";
}

const char *
mini_dialect_get_source (MiniDialect *self,
                         const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return get_entry (self, rule)->source;
}

const char *
mini_dialect_get_note (MiniDialect *self,
                       const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);
  return get_entry (self, rule)->note;
}

gboolean
mini_dialect_is_unverified (MiniDialect *self,
                            const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), FALSE);
  return get_entry (self, rule)->unverified;
}

gboolean
mini_dialect_is_overridden (MiniDialect *self,
                            const char  *rule)
{
  g_return_val_if_fail (MINI_IS_DIALECT (self), FALSE);
  return get_entry (self, rule)->overridden;
}

gboolean
mini_dialect_has_err_msg (MiniDialect *self,
                          const char  *key)
{
  Entry *entry;

  g_return_val_if_fail (MINI_IS_DIALECT (self), FALSE);

  entry = g_hash_table_lookup (self->err_msgs, key);
  return entry != NULL && *json_node_get_string (entry->value) != '\0';
}

/* The error number the platform hands over beside the errMsg for @key, if it has one. */
gboolean
mini_dialect_get_err_code (MiniDialect *self,
                           const char  *key,
                           gint64      *code)
{
  Entry *entry;

  g_return_val_if_fail (MINI_IS_DIALECT (self), FALSE);

  entry = g_hash_table_lookup (self->err_msgs, key);
  if (entry == NULL || !entry->has_code)
    return FALSE;
  if (code != NULL)
    *code = entry->code;
  return TRUE;
}

/* The errMsg for @key with its {placeholders} filled from name/value pairs; "" when the platform
 * has no text for the situation (a browser error event carries none). */
char *
mini_dialect_format_err_msg (MiniDialect *self,
                             const char  *key,
                             const char  *first_name,
                             ...)
{
  Entry *entry;
  va_list args;
  char *ret;

  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);

  if ((entry = g_hash_table_lookup (self->err_msgs, key)) == NULL)
    return g_strdup ("");

  va_start (args, first_name);
  ret = mini_expand_template_va (json_node_get_string (entry->value), first_name, args);
  va_end (args);

  return ret;
}

static JsonNode *
entries_to_json (GHashTable *table,
                 JsonArray  *order)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (guint i = 0; i < json_array_get_length (order); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (order, i), "id");
      Entry *entry = g_hash_table_lookup (table, id);

      if (entry == NULL)
        continue;

      json_builder_set_member_name (builder, id);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_value (builder, json_node_copy (entry->value));
      if (entry->source != NULL)
        {
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, entry->source);
        }
      if (entry->note != NULL)
        {
          json_builder_set_member_name (builder, "note");
          json_builder_add_string_value (builder, entry->note);
        }
      if (entry->has_code)
        {
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, entry->code);
        }
      json_builder_set_member_name (builder, "unverified");
      json_builder_add_boolean_value (builder, entry->unverified);
      if (entry->overridden)
        {
          json_builder_set_member_name (builder, "overridden");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
mini_dialect_to_json (MiniDialect *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = NULL;

  g_return_val_if_fail (MINI_IS_DIALECT (self), NULL);

  name = mini_dialect_dup_name (self);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "prefix");
  json_builder_add_string_value (builder, self->prefix);
  json_builder_set_member_name (builder, "rules");
  json_builder_add_value (builder, entries_to_json (self->rules, mini_dialect_schema_get_rules ()));
  json_builder_set_member_name (builder, "errMsgs");
  json_builder_add_value (builder, entries_to_json (self->err_msgs,
                                                    json_object_get_array_member (schema, "errMsgs")));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
