"""`manage.py messages`: makemessages for Vietnamese, one catalogue per app.

Django's makemessages puts strings of templates/<app>/ into the project catalogue;
here they go to <app>/locale/ beside the app's Python strings, so that each app owns
its translations (templates/jinja2/<app>/ too: Jinja2's ``_("...")`` is read as a
Django template's is). Everything else (base.html, core) goes to the project's locale/.
Then compile with `manage.py compilemessages`.
"""
import os

from django.apps import apps
from django.conf import settings
from django.core.management.commands import makemessages


def apps_with_catalogues() -> set[str]:
    """The project's apps that keep their own catalogue (a locale/ folder of their own)."""
    base = os.path.abspath(settings.BASE_DIR)
    return {
        config.label for config in apps.get_app_configs()
        if os.path.dirname(os.path.abspath(config.path)) == base and os.path.isdir(os.path.join(config.path, "locale"))
    }


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["locale"] = options.get("locale") or ["vi"]
        options["ignore_patterns"] = list(options.get("ignore_patterns") or []) + [
            ".venv/*", "var/*", "bench/*", "tests/*", "static/*", "node_modules/*",
        ]
        options["no_obsolete"] = True
        options["add_location"] = "file"
        return super().handle(*args, **options)

    def find_files(self, root):
        files = super().find_files(root)
        base = os.path.abspath(settings.BASE_DIR)
        own_catalogues = apps_with_catalogues()
        for f in files:
            parts = os.path.relpath(os.path.abspath(f.dirpath), base).split(os.sep)
            if parts[:2] == ["templates", "jinja2"]:
                parts = parts[1:]
            if len(parts) >= 2 and parts[0] in ("templates", "jinja2") and parts[1] in own_catalogues:
                f.locale_dir = os.path.join(base, parts[1], "locale")
        return files

    def write_po_file(self, potfile, locale):
        super().write_po_file(potfile, locale)
        # A creation date in the header would make every run a change (and a merge conflict).
        basedir = os.path.join(os.path.dirname(potfile), locale, "LC_MESSAGES")
        pofile = os.path.join(basedir, "%s.po" % self.domain)
        with open(pofile, encoding="utf-8") as fp:
            lines = [line for line in fp if not line.startswith('"POT-Creation-Date:')]
        with open(pofile, "w", encoding="utf-8") as fp:
            fp.writelines(lines)
