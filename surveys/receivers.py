"""What surveys does when another app's signal fires, so that the sender never imports
surveys (docs/architecture.md, "Walls")."""
from django.db import transaction

from core import tasks as core_tasks
from dossiers.signals import dossier_event
from surveys.tasks import send_dossier_invitation


def invite_on_return(sender, *, dossier, action, **kwargs):
    """The result handed back: e-mail the applicant the survey link once the return commits."""
    if action != "return":
        return
    dossier_id = dossier.pk
    transaction.on_commit(lambda: core_tasks.enqueue(send_dossier_invitation, dossier_id))


def connect() -> None:
    dossier_event.connect(invite_on_return, dispatch_uid="surveys-invite-on-return")
