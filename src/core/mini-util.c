/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-util"

#define _GNU_SOURCE  /* gettid () */

#include "config.h"

#include <math.h>

#include <string.h>
#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

#include <glib/gi18n.h>

#include "mini-data-resources.h"
#include "mini-types.h"
#include "mini-util.h"

/* Five steps below the main thread: the window's thread takes the cores first when they are all
 * busy, and a background thread still gets about a quarter of a core against a busy one. */
#define BACKGROUND_NICE 5

/* Picks the user's language from a bilingual {"en": …, "zh_CN": …} object; a plain string is
 * returned as it is. The bundled texts are in the message catalogue too (po/data-strings.c), so
 * gettext translates them first; a scenario file of the user's own still gets its own zh_CN. */
char *
mini_localize (JsonNode *node)
{
  const char * const *langs;
  JsonObject *object;
  const char *english = NULL;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (json_object_has_member (object, "en"))
    english = json_object_get_string_member (object, "en");
  if (english != NULL && *english != '\0')
    {
      const char *translated = g_dgettext (GETTEXT_PACKAGE, english);

      if (translated != english)
        return g_strdup (translated);
    }

  langs = g_get_language_names ();
  for (guint i = 0; langs[i] != NULL; i++)
    {
      if (json_object_has_member (object, langs[i]))
        return g_strdup (json_object_get_string_member (object, langs[i]));
    }

  return g_strdup (english);
}

/* Names a JSON value's type the way a JavaScript programmer would, for error messages. */
const char *
mini_json_type_name (JsonNode *node)
{
  if (node == NULL)
    return "Undefined";

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "Object";
    case JSON_NODE_ARRAY:
      return "Array";
    case JSON_NODE_NULL:
      return "Null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "String";
    case G_TYPE_BOOLEAN:
      return "Boolean";
    default:
      return "Number";
    }
}

/* json-glib's parse error, fit to show: without its "<data>" name for the input, and valid
 * UTF-8, since json-glib cuts the bad token it quotes at a byte count, mid-character. */
char *
mini_json_error_message (const GError *error)
{
  const char *message = error->message;

  if (g_str_has_prefix (message, "<data>"))
    message += strlen ("<data>");
  if (*message == ':')
    message++;
  while (*message == ' ')
    message++;

  return g_utf8_make_valid (message, -1);
}

/* A member's string, or NULL when it is absent or anything but a string. json-glib's own
 * getters warn on an object or an array, and user input may hold either. */
const char *
mini_json_get_string (JsonObject *object,
                      const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Whether a member is the boolean true, whatever else it holds. */
gboolean
mini_json_get_true (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

char *
mini_expand_template_va (const char *template,
                         const char *first_name,
                         va_list     args)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out;
  const char *p;

  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (values, (gpointer) name, va_arg (args, char *));

  out = g_string_sized_new (strlen (template) + 16);
  for (p = template; *p != '\0'; p++)
    {
      const char *end;

      if (*p == '{' && (end = strchr (p + 1, '}')) != NULL)
        {
          g_autofree char *key = g_strndup (p + 1, end - p - 1);
          const char *value;

          if (g_hash_table_lookup_extended (values, key, NULL, (gpointer *) &value))
            {
              g_string_append (out, value != NULL ? value : "");
              p = end;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Replaces {name} placeholders; unknown placeholders are kept as they are. */
char *
mini_expand_template (const char *template,
                      const char *first_name,
                      ...)
{
  va_list args;
  char *ret;

  va_start (args, first_name);
  ret = mini_expand_template_va (template, first_name, args);
  va_end (args);

  return ret;
}

GBytes *
mini_decode_hex (const char  *text,
                 GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  int hi = -1;

  for (const char *p = text; *p != '\0'; p++)
    {
      int v = g_ascii_xdigit_value (*p);

      if (g_ascii_isspace (*p))
        continue;
      if (v < 0)
        {
          /* Quote the whole character, not its first byte: 'é', not half of it. */
          const char *next = g_utf8_validate (p, -1, NULL) ? g_utf8_next_char (p) : p + 1;
          g_autofree char *shown = g_utf8_make_valid (p, next - p);

          g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("invalid hex: unexpected character '%s' at offset %d"),
                       shown, (int) (p - text));
          return NULL;
        }
      if (hi < 0)
        hi = v;
      else
        {
          guint8 b = (guint8) (hi << 4 | v);
          g_byte_array_append (bytes, &b, 1);
          hi = -1;
        }
    }

  if (hi >= 0)
    {
      g_set_error_literal (error, MINI_ERROR, MINI_ERROR_INVALID,
                           _("invalid hex: odd number of digits"));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

GBytes *
mini_decode_base64 (const char  *text,
                    GError     **error)
{
  gsize len = strlen (text);
  gsize n = 0;
  guchar *out;
  gsize out_len;

  /* g_base64_decode() accepts anything; the user deserves to hear about a typo. */
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        {
          if (i > 0 && text[i - 1] == '=')
            goto invalid;
          n++;
        }
      else if (c == '=')
        {
          if (n % 4 < 2)
            goto invalid;
        }
      else if (!g_ascii_isspace (c))
        goto invalid;
    }
  if (n % 4 == 1)
    goto invalid;

  out = g_base64_decode (text, &out_len);
  return g_bytes_new_take (out, out_len);

invalid:
  g_set_error_literal (error, MINI_ERROR, MINI_ERROR_INVALID,
                       _("invalid base64: expected characters A–Z a–z 0–9 + / and '=' padding"));
  return NULL;
}

/* The data resources live in a static library: naming them here keeps the linker from dropping
 * their object file, whose constructor registers them. */
GBytes *
mini_resource_lookup (const char *path)
{
  (void) mini_data_get_resource ();
  return g_resources_lookup_data (path, 0, NULL);
}

char **
mini_resource_list (const char *dir)
{
  (void) mini_data_get_resource ();
  return g_resources_enumerate_children (dir, 0, NULL);
}

/* Whether this program runs from the build directory rather than from where it is installed. */
gboolean
mini_is_uninstalled (void)
{
  static gsize result = 0;

  if (g_once_init_enter (&result))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      gboolean uninstalled = exe != NULL
                             && g_str_has_prefix (exe, MINISOCK_BUILD_ROOT G_DIR_SEPARATOR_S);

      g_once_init_leave (&result, uninstalled ? 2 : 1);
    }

  return result == 2;
}

/**
 * mini_get_locale_dir:
 *
 * Where the message catalogues are: $MINISOCK_LOCALEDIR when set, the build's po/ when run
 * uninstalled, the installed locale directory otherwise.
 */
const char *
mini_get_locale_dir (void)
{
  const char *dir = g_getenv ("MINISOCK_LOCALEDIR");

  if (dir != NULL && *dir != '\0')
    return dir;
  if (mini_is_uninstalled ())
    return MINISOCK_BUILD_ROOT G_DIR_SEPARATOR_S "po";

  return LOCALEDIR;
}

/**
 * mini_read_file:
 * @path: the file a user named
 * @length: (out): its length in bytes
 *
 * Reads a whole file for a loader. The error is %MINI_ERROR_INVALID with GIO's message, which
 * names the file and what went wrong.
 *
 * Returns: (transfer full) (nullable): the contents, or %NULL with @error set
 */
char *
mini_read_file (const char  *path,
                gsize       *length,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &local_error))
    {
      g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s", local_error->message);
      return NULL;
    }
  return contents;
}

/**
 * mini_set_invalid:
 * @origin: the file (or what stands for it)
 * @path: the JSON path, such as `$.steps[2].at`
 *
 * Sets @error to MINI_ERROR_INVALID as the loaders word it: "origin: path: what was expected".
 *
 * Returns: %FALSE, so that a loader can `return mini_set_invalid (...)`
 */
gboolean
mini_set_invalid (GError     **error,
                  const char  *origin,
                  const char  *path,
                  const char  *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, MINI_ERROR, MINI_ERROR_INVALID, "%s: %s: %s", origin, path, message);
  return FALSE;
}

typedef gboolean (*JsonTest) (JsonNode *node);

/* The path under @path of the first node that @test picks, or NULL. A member whose name is not
 * UTF-8 is picked by a test of strings too, by its name. */
static char *
json_find (JsonNode   *node,
           const char *path,
           JsonTest    test,
           gboolean    names)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_autofree char *shown = g_utf8_make_valid (name, -1);
          g_autofree char *sub = g_strdup_printf ("%s.%s", path, shown);
          char *found;

          if (names && !g_utf8_validate (name, -1, NULL))
            return g_steal_pointer (&sub);
          if ((found = json_find (member, sub, test, names)) != NULL)
            return found;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
          char *found = json_find (json_array_get_element (array, i), sub, test, names);

          if (found != NULL)
            return found;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && test (node))
    return g_strdup (path);

  return NULL;
}

static gboolean
is_non_finite (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_DOUBLE && !isfinite (json_node_get_double (node));
}

static gboolean
is_non_utf8 (JsonNode *node)
{
  return json_node_get_value_type (node) == G_TYPE_STRING
         && !g_utf8_validate (json_node_get_string (node), -1, NULL);
}

/* The path under @path of the first number JSON cannot write back (1e999 reads as infinity),
 * or NULL. */
char *
mini_json_find_non_finite (JsonNode   *node,
                           const char *path)
{
  return json_find (node, path, is_non_finite, FALSE);
}

/* The path under @path of the first string or member name that is not UTF-8, or NULL. Text that
 * was UTF-8 can still parse into one: json-glib reads escapes JSON does not have (\333, an octal
 * byte) and lone surrogates (\uD800) as bytes that are no character. */
char *
mini_json_find_non_utf8 (JsonNode   *node,
                         const char *path)
{
  return json_find (node, path, is_non_utf8, TRUE);
}

/* Refuses @node, read from @origin and found at @path, if a string in it is not UTF-8; see
 * mini_json_find_non_utf8(). */
gboolean
mini_json_check_utf8 (JsonNode    *node,
                      const char  *origin,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *bad = mini_json_find_non_utf8 (node, path);

  if (bad == NULL)
    return TRUE;

  return mini_set_invalid (error, origin, bad, _("expected UTF-8 text, got bytes that are no "
                           "character (an escape JSON does not have, such as \\333, or half "
                           "of a \\u surrogate pair)"));
}

/**
 * mini_thread_yield_to_ui:
 *
 * Lowers the calling thread's scheduling priority, for a thread that works in the background of
 * a window: when the cores are all busy, as under a flood, the main thread then draws its frames
 * first. Linux gives each thread its own nice value; elsewhere this does nothing.
 */
void
mini_thread_yield_to_ui (void)
{
#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t) gettid (), BACKGROUND_NICE) != 0)
    g_debug ("setpriority: %s", g_strerror (errno));
#endif
}
