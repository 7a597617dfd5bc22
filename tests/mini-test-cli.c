/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mini-test-cli.h"
#include "mini-test-util.h"

void
mini_cli_result_clear (MiniCliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* The binary under test; meson passes its path in MINISOCK_CLI. */
const char *
mini_test_cli_path (void)
{
  const char *path = g_getenv ("MINISOCK_CLI");

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

static void
on_communicated (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  MiniCliResult *result = user_data;
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (subprocess, res, &result->out, &result->err, &error);
  g_assert_no_error (error);
  result->status = g_subprocess_get_if_exited (subprocess)
                   ? g_subprocess_get_exit_status (subprocess) : -1;
  result->done = TRUE;
}

/**
 * mini_test_run_cliv:
 * @env: (nullable): "NAME=VALUE" strings set for this run only
 * @args: the arguments after the program's name
 *
 * Runs minisock-cli and collects what it printed, failing the test when it has not ended after
 * @deadline_ms.
 */
void
mini_test_run_cliv (MiniCliResult      *result,
                    const char * const *env,
                    const char * const *args,
                    guint               deadline_ms)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  gboolean expired = FALSE;
  guint deadline;

  g_ptr_array_add (argv, (char *) mini_test_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  joined = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("running %s", joined);

  memset (result, 0, sizeof *result);
  subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (subprocess, NULL, NULL, on_communicated, result);

  deadline = g_timeout_add (deadline_ms, mini_test_on_deadline, &expired);
  while (!result->done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline);
  if (!result->done)
    {
      g_subprocess_force_exit (subprocess);
      g_test_message ("%s did not finish within %u ms", joined, deadline_ms);
    }
  g_assert_true (result->done);
  g_test_message ("exit status %d; stderr: %s", result->status, result->err);
}
