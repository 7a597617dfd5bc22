/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "minisock"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mini-application.h"
#include "mini-util.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MiniApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, mini_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = mini_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
