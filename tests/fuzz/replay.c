/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock-fuzz"

#include "config.h"

#include <glib.h>

#include "mini-fuzz.h"

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Feeds every file of the given corpus directories to the fuzz target it is linked with, the
 * same entry point libFuzzer calls, so the suite replays the corpus without libFuzzer. */
int
main (int   argc,
      char *argv[])
{
  guint n_inputs = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s CORPUS-DIR…\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      dir = g_dir_open (argv[i], 0, &error);
      if (dir == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);

      for (guint j = 0; j < names->len; j++)
        {
          g_autofree char *path = g_build_filename (argv[i], names->pdata[j], NULL);
          g_autofree char *contents = NULL;
          gsize length;

          if (!g_file_get_contents (path, &contents, &length, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
          n_inputs++;
        }
    }

  if (n_inputs == 0)
    {
      g_printerr ("no inputs in the corpus\n");
      return 1;
    }
  g_print ("replayed %u inputs\n", n_inputs);
  return 0;
}
