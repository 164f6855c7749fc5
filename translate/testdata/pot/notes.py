# Messages of a small Python program the POT tests extract with xgettext.
# Written for kgmem's tests (CC0).
from gettext import gettext as _, ngettext


def report(name, count):
    print(_("Notebook %(name)s was synced.") % {"name": name})
    print(ngettext("{0} note changed", "{0} notes changed", count).format(count))
    print(_("Open the notebook"))
