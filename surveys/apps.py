from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from core import registry
        from surveys import demo, public, receivers
        from surveys.selectors import open_survey_cache_key

        registry.public_section(
            public.section, order=30, watch=public.WATCHED, cache_keys=lambda slug: [open_survey_cache_key(slug=slug)],
        )
        registry.demo_step(demo.seed, order=20)
        receivers.connect()
