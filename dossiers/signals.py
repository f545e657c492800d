"""Signals other apps listen to, so that dossiers never imports them (docs/architecture.md).

``dossier_event`` is sent inside the transaction that wrote the event, once for every
event of the lifecycle (intake included): a receiver that writes rows writes them in the
same transaction, and one that talks to the outside world defers it with
``transaction.on_commit``. Arguments: ``dossier`` (the saved Dossier), ``event`` (the
DossierEvent just written), ``action`` (its action key: "receive", "start", ...)."""
from django.dispatch import Signal

dossier_event = Signal()
