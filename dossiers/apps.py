from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from core import registry
        from dossiers import deadlines, demo, public
        from dossiers import notices  # noqa: F401 - connects the applicant's notices to dossier_event
        from dossiers.models import ApplicantNotice, Procedure

        registry.public_section(public.section, order=20, watch={Procedure: lambda row: row.unit_id})
        registry.deadline_sweep(deadlines.sweep, order=10)
        registry.demo_step(demo.seed, order=10)
        registry.outbox(ApplicantNotice)
