from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Units, accounts and calendar")

    def ready(self):
        from core import checks, public_page  # noqa: F401 - registers the system checks

        public_page.connect_signals()
        _register_lookups()


def _register_lookups():
    from django.db.models import ForeignKey, IntegerField

    from core.lookups import AnyOf

    for field in (IntegerField, ForeignKey):  # ids, auto fields and the foreign keys to them
        field.register_lookup(AnyOf)
