"""Keeps the daily rollup exact (docs/kpi/rollup.md): a record the indicators count is taken
away from the rollup before it changes and added again after (``kpi.rollup.apply``), in the
same transaction; a new record is only added, a deleted one only taken away. Saves that
name only columns no count reads (``update_fields``) skip both. Deleting a dossier or a
feedback item takes it away whole: the apologies, results and ratings deleted with it are
then left alone."""
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from dossiers.models import Apology, Document, Dossier, Procedure
from feedback.models import AnswerRating, Feedback
from kpi import rollup
from surveys.models import Response

# The columns a count reads (kpi.rollup sources); a save of others changes nothing.
COUNTED = {
    Dossier: {"unit", "unit_id", "field", "field_id", "status", "due_date", "completed_at", "received_at",
              "timeliness", "channel", "documents", "procedure", "procedure_id"},
    Response: {"unit", "unit_id", "area", "area_id", "submitted_at", "source", "overall", *rollup.FACTORS},
    Feedback: {"unit", "unit_id", "received_at", "answered_at", "due_at", "publishable", "published_at"},
}
SOURCES = {Dossier: rollup.DOSSIER_SOURCES, Response: ("responses",), Feedback: ("feedback",)}
# Records whose change changes the counts of another: (its model, the key to it).
PARTS = {Apology: (Dossier, "dossier_id"), Document: (Dossier, "dossier_id"), AnswerRating: (Feedback, "feedback_id")}


def _counted(sender, update_fields) -> bool:
    return update_fields is None or bool(set(update_fields) & COUNTED[sender])


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._rollup_taken = False
    if raw or instance.pk is None or not _counted(sender, update_fields):
        return
    # Lock the row first (in a transaction, as the services save), so that what is taken
    # away is what this save overwrites.
    rows = sender.objects.filter(pk=instance.pk)
    if (rows.select_for_update() if connection.in_atomic_block else rows).exists():
        rollup.apply(sources=SOURCES[sender], ids=[instance.pk], sign=-1)
        instance._rollup_taken = True


def after_save(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or not (created or getattr(instance, "_rollup_taken", False)):
        return
    rollup.apply(sources=SOURCES[sender], ids=[instance.pk], sign=1)


def before_delete(sender, instance, **kwargs):
    rollup.apply(sources=SOURCES[sender], ids=[instance.pk], sign=-1)


def _part_counts(sender, instance) -> bool:
    return sender is not Document or instance.kind == Document.Kind.RESULT


def part_before(sender, instance, raw=False, **kwargs):
    instance._rollup_taken = False
    if raw or not _part_counts(sender, instance):
        return
    whole, key = PARTS[sender]
    rollup.apply(sources=SOURCES[whole], ids=[getattr(instance, key)], sign=-1)
    instance._rollup_taken = True


def part_after(sender, instance, raw=False, **kwargs):
    if raw or not getattr(instance, "_rollup_taken", False):
        return
    whole, key = PARTS[sender]
    rollup.apply(sources=SOURCES[whole], ids=[getattr(instance, key)], sign=1)


def _deleted_alone(sender, origin) -> bool:
    """True when the part itself is deleted, not with its dossier or feedback (or unit)."""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model is sender


def part_before_delete(sender, instance, origin=None, **kwargs):
    instance._rollup_taken = False
    if _deleted_alone(sender, origin):
        part_before(sender, instance)


def part_after_delete(sender, instance, origin=None, **kwargs):
    if _deleted_alone(sender, origin):
        part_after(sender, instance)


def procedure_before(sender, instance, raw=False, **kwargs):
    """End to end counts a dossier by its procedure's online level: a change of level takes
    the procedure's dossiers away and adds them again."""
    instance._rollup_taken = False
    if raw or instance.pk is None:
        return
    old = Procedure.objects.filter(pk=instance.pk).values_list("online", flat=True).first()
    if old is not None and old != instance.online:
        rollup.apply(sources=("received",), key="procedure_id", ids=[instance.pk], sign=-1)
        instance._rollup_taken = True


def procedure_after(sender, instance, raw=False, **kwargs):
    if not raw and getattr(instance, "_rollup_taken", False):
        rollup.apply(sources=("received",), key="procedure_id", ids=[instance.pk], sign=1)


def connect() -> None:
    uid = "kpi.rollup."
    for model in (Dossier, Response, Feedback):
        name = model.__name__
        pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}{name}.before_save")
        post_save.connect(after_save, sender=model, dispatch_uid=f"{uid}{name}.after_save")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"{uid}{name}.before_delete")
    for model in PARTS:
        name = model.__name__
        pre_save.connect(part_before, sender=model, dispatch_uid=f"{uid}{name}.before_save")
        post_save.connect(part_after, sender=model, dispatch_uid=f"{uid}{name}.after_save")
        pre_delete.connect(part_before_delete, sender=model, dispatch_uid=f"{uid}{name}.before_delete")
        post_delete.connect(part_after_delete, sender=model, dispatch_uid=f"{uid}{name}.after_delete")
    pre_save.connect(procedure_before, sender=Procedure, dispatch_uid=f"{uid}procedure.before_save")
    post_save.connect(procedure_after, sender=Procedure, dispatch_uid=f"{uid}procedure.after_save")
