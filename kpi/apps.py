from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def fill_empty_rollup(sender, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    """After ``migrate``: a database with records but no rollup (an upgrade to the release
    that brought it, or a restore without it) gets it counted once (docs/kpi/rollup.md)."""
    from dossiers.models import Dossier
    from feedback.models import Feedback
    from kpi import rollup
    from kpi.models import DayCount
    from surveys.models import Response

    if using != DEFAULT_DB_ALIAS or DayCount.objects.exists():
        return
    if Dossier.objects.exists() or Response.objects.exists() or Feedback.objects.exists():
        result = rollup.rebuild()
        if verbosity:
            print(f"KPI rollup counted: {result['days']} daily rows, {result['months']} monthly rows")


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("Targets and reports")

    def ready(self):
        from core import registry
        from kpi import dashboard_cache, demo, public, receivers, services

        receivers.connect()
        dashboard_cache.connect()
        post_migrate.connect(fill_empty_rollup, sender=self, dispatch_uid="kpi.fill_empty_rollup")

        registry.public_section(public.section, order=10, watch=public.WATCHED)
        registry.demo_step(demo.recount_rollup, order=35)
        registry.demo_step(demo.seed, order=40)
        registry.large_export("register", services.register_export_start)
