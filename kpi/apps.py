from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("Targets and reports")

    def ready(self):
        from core import registry
        from kpi import demo, public, receivers

        receivers.connect()

        registry.public_section(public.section, order=10, watch=public.WATCHED)
        registry.demo_step(demo.recount_rollup, order=35)
        registry.demo_step(demo.seed, order=40)
