/* A small program whose messages the POT tests extract with xgettext.
   Written for kgmem's tests (CC0). */
#include <libintl.h>
#include <stdio.h>

#define _(s) gettext(s)
#define N_(s) s

static const char *menu[] = { N_("_File"), N_("_Edit"), N_("Delete Note") };

int main(int argc, char **argv) {
  printf(_("Could not sync the notebook \"%s\".\n"), argv[0]);
  printf(ngettext("%d note was exported.", "%d notes were exported.", argc), argc);
  printf(ngettext("One notebook", "%d notebooks", argc), argc);
  /* TRANSLATORS: %1$s is a notebook, %2$d a count of notes. */
  printf(_("Notebook %1$s holds %2$d notes."), argv[0], argc);
  puts(pgettext("verb", "Tag"));
  puts(_("Sync your notes to Northwind Cloud?"));
  return 0;
}
