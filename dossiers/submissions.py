"""Online submissions (nộp hồ sơ trực tuyến): received from the public form, then
accepted by staff — the dossier is made by the one intake service, ``channel = online``,
the uploaded files as its digitised components — or refused with a reason the applicant
reads. Keyword-only, typed, atomic, as every service (docs/domain/online-services.md)."""
import datetime
import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workdays
from core.sequences import next_daily_number
from core.uploads import CheckedUpload
from dossiers.models import Dossier, Procedure, Submission, SubmissionFile, SubmissionSequence
from dossiers.services import TransitionError, dossier_receive

OPEN_ONLINE = (Procedure.OnlineLevel.PARTIAL, Procedure.OnlineLevel.FULL)


def submission_reference(*, unit, day: datetime.date, number: int) -> str:
    """``<unit code>-TT-<yyMMdd>-<3-digit sequence>``: TT for trực tuyến (online)."""
    return f"{unit.code}-TT-{day:%y%m%d}-{number:03d}"


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def submission_receive(
    *,
    unit,
    procedure: Procedure,
    applicant_name: str,
    applicant_phone: str,
    files: dict[int, CheckedUpload],
    submitted_at: datetime.datetime | None = None,
    **details: str,
) -> Submission:
    """Register a submission sent online. ``files`` maps the 1-based position of each
    required document to its checked upload; ``details`` are applicant_email,
    applicant_address and request_summary. Nothing is kept when anything fails."""
    if procedure.unit_id != unit.pk or procedure.online not in OPEN_ONLINE or not procedure.is_active:
        raise ValueError("procedure not open to online submission")
    unknown = set(details) - {"applicant_email", "applicant_address", "request_summary"}
    if unknown:
        raise TypeError(f"unexpected details: {sorted(unknown)}")
    stored: list[SubmissionFile] = []
    try:
        return _receive(unit, procedure, applicant_name, applicant_phone, details, files, submitted_at, stored)
    except BaseException:
        for item in stored:  # the rows roll back; the bytes on disk must go too
            item.file.delete(save=False)
        raise


@transaction.atomic
def _receive(unit, procedure, applicant_name, applicant_phone, details, files, submitted_at, stored) -> Submission:
    submitted_at = submitted_at or timezone.now()
    day = timezone.localdate(submitted_at)
    number = next_daily_number(SubmissionSequence, unit=unit, day=day)
    submission = Submission.objects.create(
        unit=unit, procedure=procedure, reference=submission_reference(unit=unit, day=day, number=number),
        applicant_name=applicant_name.strip(), applicant_phone=applicant_phone.strip(),
        **{name: (value or "").strip() for name, value in details.items()}, submitted_at=submitted_at,
        # waiting longer than one working day: flagged by the deadline engine
        due_at=workdays.due_at(workdays.add_working_days(day, 1), unit.closing_time),
    )
    names = procedure.required_documents
    for position, upload in sorted(files.items()):
        item = SubmissionFile(
            submission=submission, position=position, name=names[position - 1][:500],
            original_name=upload.original_name[:255], content_type=upload.content_type, size=upload.size,
            sha256=_sha256(upload.file),
        )
        # A random stored name: the applicant's file name never reaches the file system.
        item.file.save(f"{uuid.uuid4().hex}.{upload.extension}", upload.file, save=False)
        stored.append(item)
        item.save()
    return submission


def _locked_new(submission: Submission) -> Submission:
    """The submission, row-locked (two desks decide one after the other), if still new."""
    submission = Submission.objects.select_for_update().select_related("unit", "procedure").get(pk=submission.pk)
    if submission.status != Submission.Status.NEW:
        raise TransitionError(_("This submission was already handled (%(status)s).")
                              % {"status": submission.get_status_display()})
    return submission


def _decided(submission: Submission, *, status: str, actor, fields: list[str]) -> Submission:
    submission.status = status
    submission.decided_at = timezone.now()
    submission.decided_by = actor
    submission.save(update_fields=["status", "decided_at", "decided_by", *fields])
    return submission


@transaction.atomic
def submission_accept(*, submission: Submission, actor=None) -> Submission:
    """Accept: the dossier is registered now by the intake service (form 01, its code and
    promised date), ``channel = online``, each uploaded file a digitised component."""
    submission = _locked_new(submission)
    procedure = submission.procedure
    files = list(submission.files.all())
    documents = [
        {"name": f.name, "kind": "copy", "count": 1, "digitised": True, "reused": False, "submission_file": f.pk}
        for f in files
    ]
    unit = submission.unit
    dossier = dossier_receive(
        unit=unit, procedure=procedure, applicant_name=submission.applicant_name,
        applicant_phone=submission.applicant_phone, actor=actor, channel=Dossier.Channel.ONLINE,
        applicant_email=submission.applicant_email, applicant_address=submission.applicant_address,
        request_summary=submission.request_summary, documents=documents,
        # End to end: the result goes back online too; partly online: collected at the desk.
        result_delivery=Dossier.Delivery.ONLINE if procedure.online == Procedure.OnlineLevel.FULL else Dossier.Delivery.DESK,
        assigned_to=actor if actor is not None and actor.unit_id == unit.pk else None,
        # One private link from submission to result.
        tracking_secret=submission.secret,
    )
    submission.dossier = dossier
    return _decided(submission, status=Submission.Status.ACCEPTED, actor=actor, fields=["dossier"])


@transaction.atomic
def submission_refuse(*, submission: Submission, reason: str, actor=None) -> Submission:
    """Refuse with a reason that the applicant reads on the private link."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for refusing: the applicant will read it.")]})
    submission = _locked_new(submission)
    submission.refuse_reason = reason
    return _decided(submission, status=Submission.Status.REFUSED, actor=actor, fields=["refuse_reason"])
