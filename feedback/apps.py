from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback (PAKN)")

    def ready(self):
        from core import registry
        from feedback import deadlines, demo, public
        from feedback.models import Feedback, SenderNotice

        registry.public_section(public.section, order=40, watch={Feedback: lambda row: row.unit_id})
        registry.deadline_sweep(deadlines.sweep, order=20)
        registry.demo_step(demo.seed, order=30)
        registry.outbox(SenderNotice)
