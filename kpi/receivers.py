"""Keeps the daily rollup exact (docs/kpi/rollup.md): every save or delete of a record the
indicators count recounts the rollup cells it occupied before and occupies after, in the
same transaction (``kpi.rollup.recount``). Saves that name only columns no count reads
(``update_fields``) skip it."""
from django.db.models.signals import post_delete, post_save, pre_save

from dossiers.models import Apology, Document, Dossier, Procedure
from feedback.models import AnswerRating, Feedback
from kpi import rollup
from surveys.models import Response

# The dossier columns a count reads (kpi.rollup.SOURCES); a save of others changes nothing.
DOSSIER_COUNTED = {"unit", "unit_id", "field", "field_id", "status", "due_date", "completed_at", "received_at",
                   "timeliness", "channel", "documents", "procedure", "procedure_id"}
RESPONSE_COUNTED = {"unit", "unit_id", "area", "area_id", "submitted_at", "source", "overall", *rollup.FACTORS}
FEEDBACK_COUNTED = {"unit", "unit_id", "received_at", "answered_at", "due_at", "publishable", "published_at"}


def _skips(update_fields, counted) -> bool:
    return update_fields is not None and not (set(update_fields) & counted)


def _dossier_state(instance) -> dict:
    return {name: getattr(instance, name) for name in rollup.DOSSIER_STATE}


def dossier_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._rollup_before = set()
    if raw or _skips(update_fields, DOSSIER_COUNTED) or instance.pk is None:
        return
    old = Dossier.objects.filter(pk=instance.pk).values(*rollup.DOSSIER_STATE).first()
    if old:
        instance._rollup_before = rollup.dossier_cells(**old)


def dossier_after(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _skips(update_fields, DOSSIER_COUNTED):
        return
    rollup.recount(getattr(instance, "_rollup_before", set()) | rollup.dossier_cells(**_dossier_state(instance)))


def dossier_deleted(sender, instance, **kwargs):
    rollup.recount(rollup.dossier_cells(**_dossier_state(instance)))


def dossier_part_changed(sender, instance, raw=False, **kwargs):
    """An apology or an electronic result changes the counts of its dossier's cells."""
    if raw or (sender is Document and instance.kind != Document.Kind.RESULT):
        return
    rollup.recount(rollup.cells_of_dossiers(dossier_ids=[instance.dossier_id]))


def procedure_before(sender, instance, raw=False, **kwargs):
    instance._rollup_online = None
    if not raw and instance.pk is not None:
        instance._rollup_online = Procedure.objects.filter(pk=instance.pk).values_list("online", flat=True).first()


def procedure_after(sender, instance, raw=False, created=False, **kwargs):
    """End to end counts a dossier by its procedure's online level: a change of level
    recounts the receipt days of the procedure's dossiers."""
    if raw or created or getattr(instance, "_rollup_online", None) in (None, instance.online):
        return
    cells = rollup.cells_of_dossiers(dossier_ids=Dossier.objects.filter(procedure=instance).values("pk"))
    rollup.recount({c for c in cells if c[0] == "received"})


def _response_cells(unit_id, area_id, submitted_at) -> set:
    return {("responses", unit_id, area_id, rollup.local_day(submitted_at))}


def response_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._rollup_before = set()
    if raw or _skips(update_fields, RESPONSE_COUNTED) or instance.pk is None:
        return
    old = Response.objects.filter(pk=instance.pk).values_list("unit_id", "area_id", "submitted_at").first()
    if old:
        instance._rollup_before = _response_cells(*old)


def response_after(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _skips(update_fields, RESPONSE_COUNTED):
        return
    cells = _response_cells(instance.unit_id, instance.area_id, instance.submitted_at)
    rollup.recount(getattr(instance, "_rollup_before", set()) | cells)


def response_deleted(sender, instance, **kwargs):
    rollup.recount(_response_cells(instance.unit_id, instance.area_id, instance.submitted_at))


def _feedback_cells(unit_id, received_at) -> set:
    return {("feedback", unit_id, None, rollup.local_day(received_at))}


def feedback_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._rollup_before = set()
    if raw or _skips(update_fields, FEEDBACK_COUNTED) or instance.pk is None:
        return
    old = Feedback.objects.filter(pk=instance.pk).values_list("unit_id", "received_at").first()
    if old:
        instance._rollup_before = _feedback_cells(*old)


def feedback_after(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _skips(update_fields, FEEDBACK_COUNTED):
        return
    rollup.recount(getattr(instance, "_rollup_before", set()) | _feedback_cells(instance.unit_id, instance.received_at))


def feedback_deleted(sender, instance, **kwargs):
    rollup.recount(_feedback_cells(instance.unit_id, instance.received_at))


def rating_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    row = Feedback.objects.filter(pk=instance.feedback_id).values_list("unit_id", "received_at").first()
    if row:
        rollup.recount(_feedback_cells(*row))


def connect() -> None:
    uid = "kpi.rollup."
    pre_save.connect(dossier_before, sender=Dossier, dispatch_uid=uid + "dossier_before")
    post_save.connect(dossier_after, sender=Dossier, dispatch_uid=uid + "dossier_after")
    post_delete.connect(dossier_deleted, sender=Dossier, dispatch_uid=uid + "dossier_deleted")
    for model in (Apology, Document):
        post_save.connect(dossier_part_changed, sender=model, dispatch_uid=uid + f"{model.__name__}_saved")
        post_delete.connect(dossier_part_changed, sender=model, dispatch_uid=uid + f"{model.__name__}_deleted")
    pre_save.connect(procedure_before, sender=Procedure, dispatch_uid=uid + "procedure_before")
    post_save.connect(procedure_after, sender=Procedure, dispatch_uid=uid + "procedure_after")
    pre_save.connect(response_before, sender=Response, dispatch_uid=uid + "response_before")
    post_save.connect(response_after, sender=Response, dispatch_uid=uid + "response_after")
    post_delete.connect(response_deleted, sender=Response, dispatch_uid=uid + "response_deleted")
    pre_save.connect(feedback_before, sender=Feedback, dispatch_uid=uid + "feedback_before")
    post_save.connect(feedback_after, sender=Feedback, dispatch_uid=uid + "feedback_after")
    post_delete.connect(feedback_deleted, sender=Feedback, dispatch_uid=uid + "feedback_deleted")
    post_save.connect(rating_changed, sender=AnswerRating, dispatch_uid=uid + "rating_saved")
    post_delete.connect(rating_changed, sender=AnswerRating, dispatch_uid=uid + "rating_deleted")
