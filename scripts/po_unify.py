#!/usr/bin/env python
"""Make every catalogue agree with the translation Django actually shows.

Django looks a string up in LOCALE_PATHS first, then in the apps in INSTALLED_APPS
order, so when two catalogues translate the same msgid differently only the first is
ever seen. This rewrites the others to match (use a context, pgettext, when one
English word really needs two Vietnamese ones)."""
import polib

ORDER = ["locale", "dossiers/locale", "surveys/locale", "feedback/locale", "kpi/locale"]


def main():
    cats = [(p, polib.pofile(f"{p}/vi/LC_MESSAGES/django.po")) for p in ORDER]
    effective = {}
    for _, po in cats:
        for e in po.translated_entries():
            effective.setdefault((e.msgctxt, e.msgid), e.msgstr)
    for path, po in cats:
        changed = 0
        for e in po.translated_entries():
            if not e.msgid_plural and e.msgstr != effective[(e.msgctxt, e.msgid)]:
                e.msgstr = effective[(e.msgctxt, e.msgid)]
                changed += 1
        if changed:
            po.save()
            print(f"{path}: {changed} aligned")


if __name__ == "__main__":
    main()
