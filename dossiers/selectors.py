"""Reads that feed the dossier pages, the register, the API and public tracking."""
import datetime
import functools
import hmac
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from core import access, workdays
from core import db as core_db
from core.models import Unit
from core.text import initials
from dossiers.models import Apology, Document, Dossier, DossierEvent, Procedure

OPEN = tuple(Dossier.OPEN_STATUSES)
# Open with the clock running: a dossier awaiting a supplement is never overdue.
RUNNING = tuple(Dossier.CLOCK_RUNNING_STATUSES)
DONE = (Dossier.Status.COMPLETED, Dossier.Status.RETURNED)
ON_TIME = (Dossier.Timeliness.EARLY, Dossier.Timeliness.ON_TIME)
# Dossiers whose result was issued electronically (a ``Document`` of kind result).
WITH_E_RESULT = Document.objects.filter(kind=Document.Kind.RESULT).values("dossier_id")
HAS_E_RESULT = Q(Exists(Document.objects.filter(dossier=OuterRef("pk"), kind=Document.Kind.RESULT)))


# --- which dossiers a period holds (docs/domain/indicators.md) ------------------------------
# The one definition, read by the KPI selectors and by the register's filters, so that a
# number of the dashboard and the list it links to can never disagree. Withdrawn and
# rejected dossiers fall in neither set.

def completed_between(*, start: datetime.date | None = None, end: datetime.date | None = None) -> Q:
    """Completed (or returned) dossiers whose completion time falls on local dates
    ``start`` to ``end``, both included; either bound may be open."""
    q = Q(status__in=DONE)
    if start is not None:
        q &= Q(completed_at__gte=workdays.local_midnight(start))
    if end is not None:
        q &= Q(completed_at__lt=workdays.local_midnight(end + datetime.timedelta(days=1)))
    return q


def open_due_between(*, start: datetime.date | None = None, end: datetime.date | None = None) -> Q:
    """Open dossiers whose due date is ``start`` to ``end``, both included."""
    q = Q(status__in=OPEN)
    if start is not None:
        q &= Q(due_date__gte=start)
    if end is not None:
        q &= Q(due_date__lte=end)
    return q


def in_period(*, start: datetime.date | None = None, end: datetime.date | None = None) -> Q:
    """A completed dossier counts by its completion time, an open one by its due date."""
    return completed_between(start=start, end=end) | open_due_between(start=start, end=end)


def overdue_as_of(*, now: datetime.datetime) -> Q:
    """Open with its clock running and past its promised return time (the API's
    ``is_overdue``); a dossier awaiting a supplement is never overdue."""
    return Q(status__in=RUNNING, due_at__lt=now)


def late_or_overdue(*, now: datetime.datetime) -> Q:
    """Completed late, or still open past its promised return time."""
    return Q(status__in=DONE, timeliness=Dossier.Timeliness.LATE) | overdue_as_of(now=now)


APOLOGY = {
    "none": Q(apology__isnull=True),
    "any": Q(apology__isnull=False),
    "timely": Q(apology__timely=True),
    "late": Q(apology__timely=False),
}


def with_flags(*, queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Annotate ``is_late_now`` (open and past due_at) and ``due_soon`` (open, due by the
    next working day) in the database, so lists never compute them row by row."""
    now = now or timezone.now()
    soon = workdays.add_working_days(timezone.localdate(now), 1)
    return queryset.annotate(
        overdue_now=Case(
            When(overdue_as_of(now=now), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        due_soon=Case(
            When(status__in=OPEN, due_at__gte=now, due_date__lte=soon, then=Value(True)),
            default=Value(False), output_field=BooleanField(),
        ),
        has_apology=Exists(Apology.objects.filter(dossier=OuterRef("pk"))),
    )


def dossier_list(*, user) -> QuerySet:
    """Every dossier ``user`` may read, with what lists show, in one query."""
    qs = access.scoped(Dossier.objects.all(), user)
    return with_flags(queryset=qs.select_related("procedure", "field", "unit", "assigned_to"))


def worklist(*, user, unit=None) -> QuerySet:
    """Open dossiers, soonest due first: the user's own, or the whole unit's."""
    qs = dossier_list(user=user).filter(status__in=OPEN)
    if unit is not None:
        qs = qs.filter(unit=unit)
    else:
        qs = qs.filter(assigned_to=user)
    return qs.order_by("due_at", "code")


def worklist_counts(*, user, unit) -> dict:
    from django.db.models import Count

    now = timezone.now()
    soon = workdays.add_working_days(timezone.localdate(now), 1)
    return access.scoped(Dossier.objects.filter(unit=unit, status__in=OPEN), user).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=overdue_as_of(now=now)),
        due_soon=Count("id", filter=Q(due_at__gte=now, due_date__lte=soon)),
        unassigned=Count("id", filter=Q(assigned_to__isnull=True)),
    )


def dossier_detail(*, user, code: str, write=False) -> Dossier:
    return access.get_object_for_user(
        Dossier.objects.select_related("unit", "procedure", "field", "assigned_to", "received_by"),
        user, write=write, code=code,
    )


def events_of(*, dossier: Dossier) -> QuerySet:
    return DossierEvent.objects.filter(dossier=dossier).select_related("actor").order_by("at", "id")


def apology_of(*, dossier: Dossier) -> Apology | None:
    return Apology.objects.filter(dossier=dossier).select_related("signed_by").first()


def procedures_for(*, unit, active_only=True) -> QuerySet:
    qs = Procedure.objects.filter(unit=unit).select_related("field")
    return qs.filter(is_active=True) if active_only else qs


def published_procedures(*, unit) -> QuerySet:
    return Procedure.objects.filter(unit=unit, is_published=True, is_active=True).select_related("field")


def online_procedures(*, unit) -> QuerySet:
    """Procedures of ``unit`` open to online submission (partly or end to end)."""
    return published_procedures(unit=unit).filter(
        online__in=(Procedure.OnlineLevel.PARTIAL, Procedure.OnlineLevel.FULL)
    ).order_by("field__position", "code")


def submission_queue(*, unit, status: str | None = None) -> QuerySet:
    from dossiers.models import Submission

    qs = Submission.objects.filter(unit=unit).select_related("procedure", "dossier")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("submitted_at", "id") if status == Submission.Status.NEW else qs.order_by("-submitted_at", "-id")


def submission_counts(*, unit) -> list[tuple[str, str, int]]:
    """(status, label, how many) for the queue's tabs, in one query."""
    from django.db.models import Count

    from dossiers.models import Submission

    counts = Submission.objects.filter(unit=unit).aggregate(
        **{value: Count("id", filter=Q(status=value)) for value in Submission.Status.values})
    return [(value, label, counts[value]) for value, label in Submission.Status.choices]


def results_prefetch():
    """A Prefetch for dossier lists: their results in one query (``dossier_results``)."""
    from django.db.models import Prefetch

    return Prefetch("issued_documents", to_attr="result_rows",
                    queryset=Document.objects.filter(kind=Document.Kind.RESULT).order_by("issued_at", "version", "pk"))


def dossier_results(*, dossier: Dossier) -> list[Document]:
    """The dossier's electronic results, the newest version of each code, KQ1 first."""
    rows = getattr(dossier, "result_rows", None)  # prefetched by lists (results_prefetch)
    if rows is None:
        rows = dossier.issued_documents.filter(kind=Document.Kind.RESULT).order_by("issued_at", "version", "pk")
    latest: dict[str, Document] = {}
    for document in rows:
        latest[document.code] = document
    return sorted(latest.values(), key=lambda d: (len(d.code), d.code))


# What the public tracking page reads, in one query (the apology joined, if any).
TRACKING_FIELDS = (
    "code", "status", "applicant_name", "applicant_phone", "tracking_secret", "received_at", "due_date",
    "completed_at", "returned_at", "unit__name", "unit__phone", "procedure__name", "apology__new_due_date",
    "survey_token", "survey_answered_at",
)


HIDDEN_STEPS = ("apology_warning",)  # internal warnings the applicant never sees


def _may_see(*, tracking_secret: str, applicant_phone: str, secret: str, phone_last4: str) -> bool:
    """The QR secret, or the last four digits of the applicant's phone typed by hand."""
    if secret and hmac.compare_digest(secret, tracking_secret):
        return True
    digits = "".join(ch for ch in applicant_phone if ch.isdigit())
    typed = "".join(ch for ch in (phone_last4 or "") if ch.isdigit())
    return len(typed) == 4 and len(digits) >= 4 and hmac.compare_digest(typed, digits[-4:])


def tracked_dossier(*, code: str, secret: str = "", phone_last4: str = "") -> Dossier | None:
    """The dossier a member of the public may see: the QR secret, or the code typed by
    hand with the last four digits of the applicant's phone. None otherwise."""
    dossier = (
        Dossier.objects.select_related("unit", "procedure", "apology")
        .only(*TRACKING_FIELDS)
        .filter(code=code.strip())
        .first()
    )
    if dossier is None or not _may_see(tracking_secret=dossier.tracking_secret, applicant_phone=dossier.applicant_phone,
                                       secret=secret, phone_last4=phone_last4):
        return None
    return dossier


# --- the public tracking page, in one round trip ---------------------------------------------
# Parents open it from the QR code by the hundred after a school meeting (issue 15: it must
# serve ≥ 0.3× the trivial view's throughput). Built by the ORM it took three queries whose
# compilation alone cost ~2.5 ms of CPU a request; this one statement, written once, reads the
# dossier, its unit, procedure and apology, the codes of its electronic results and its public
# steps. The same rows and rules as tracked_dossier and dossier_results (a test compares them).

@dataclass(frozen=True)
class PublicStep:
    at: datetime.datetime
    action: str

    @property
    def label(self) -> str:
        from dossiers.services import action_label

        return action_label(action=self.action)


@dataclass(frozen=True)
class TrackedView:
    """What the tracking page shows: initials, never the name, phone or secret."""
    code: str
    status: str
    applicant_initials: str
    received_at: datetime.datetime
    due_date: datetime.date
    completed_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    survey_token: str
    survey_answered_at: datetime.datetime | None
    unit_name: str
    unit_phone: str
    procedure_name: str
    new_due_date: datetime.date | None  # the apology's, if any
    result_codes: tuple[str, ...]  # KQ1 first, each code once (dossier_results)
    steps: tuple[PublicStep, ...]


@functools.cache
def _tracking_sql() -> str:
    # Scalar subqueries rather than joins: PostgreSQL plans this in a third of the time of the
    # same read written with JOINs and a LATERAL aggregate, and planning is most of its cost.
    table = {model: model._meta.db_table for model in (Dossier, Unit, Procedure, Apology, Document, DossierEvent)}
    steps = (f"FROM {table[DossierEvent]} e WHERE e.dossier_id = d.id AND e.action <> ALL(%(hidden)s) "
             "ORDER BY e.at, e.id")
    return f"""
SELECT d.code, d.status, d.applicant_name, d.applicant_phone, d.tracking_secret, d.received_at, d.due_date,
       d.completed_at, d.returned_at, d.survey_token, d.survey_answered_at,
       (SELECT u.name FROM {table[Unit]} u WHERE u.id = d.unit_id),
       (SELECT u.phone FROM {table[Unit]} u WHERE u.id = d.unit_id),
       (SELECT p.name FROM {table[Procedure]} p WHERE p.id = d.procedure_id),
       (SELECT a.new_due_date FROM {table[Apology]} a WHERE a.dossier_id = d.id),
       ARRAY(SELECT DISTINCT r.code FROM {table[Document]} r WHERE r.dossier_id = d.id AND r.kind = %(result)s),
       ARRAY(SELECT e.at {steps}),
       ARRAY(SELECT e.action {steps})
FROM {table[Dossier]} d
WHERE d.code = %(code)s"""  # noqa: S608 - the models' table names; every value is a parameter


def tracking_view(*, code: str, secret: str = "", phone_last4: str = "") -> TrackedView | None:
    """The tracking page of the dossier ``code`` for a member of the public who holds its QR
    secret or the last four digits of its phone (tracked_dossier's rule); None otherwise."""
    with connection.cursor() as cursor:  # prepared once per connection (core/db.py): planning took longer than running
        core_db.execute(cursor, _tracking_sql(), {"code": code.strip(), "result": Document.Kind.RESULT,
                                                  "hidden": list(HIDDEN_STEPS)})
        row = cursor.fetchone()
    if row is None:
        return None
    (code, status, name, phone, tracking_secret, received_at, due_date, completed_at, returned_at, survey_token,
     survey_answered_at, unit_name, unit_phone, procedure_name, new_due_date, result_codes, ats, actions) = row
    if not _may_see(tracking_secret=tracking_secret, applicant_phone=phone, secret=secret, phone_last4=phone_last4):
        return None
    return TrackedView(
        code=code, status=status, applicant_initials=initials(name), received_at=received_at, due_date=due_date,
        completed_at=completed_at, returned_at=returned_at, survey_token=survey_token,
        survey_answered_at=survey_answered_at, unit_name=unit_name, unit_phone=unit_phone,
        procedure_name=procedure_name, new_due_date=new_due_date,
        result_codes=tuple(sorted(result_codes, key=lambda c: (len(c), c))),
        steps=tuple(PublicStep(at=at, action=action) for at, action in zip(ats, actions, strict=True)),
    )


def notices_to_applicant(*, dossier):
    """The notices sent (or failing) to the dossier's applicant, oldest first."""
    from dossiers.models import ApplicantNotice

    return ApplicantNotice.objects.filter(dossier=dossier).order_by("created_at", "id")


# --- the online-service scorecard (Quyết định 766/QĐ-TTg; docs/kpi/online-services.md) -------

def received_between(*, start: datetime.date | None = None, end: datetime.date | None = None) -> Q:
    """Dossiers received on local dates ``start`` to ``end``, both included (the register's
    ``received_from`` / ``received_to``)."""
    return workdays.on_local_dates("received_at", start=start, end=end)


SUBMITTED_ONLINE = Q(channel=Dossier.Channel.ONLINE)
# "Toàn trình": submitted online for a procedure offered online end to end.
END_TO_END = SUBMITTED_ONLINE & Q(procedure__online=Procedure.OnlineLevel.FULL)


def with_digitised_components() -> Q:
    """Dossiers with at least one component flagged digitised at intake: ``documents``
    holds ``[{name, kind, count, digitised: true}, ...]`` (online submissions and the
    desk's scans). PostgreSQL tests containment in the jsonb; other databases the text."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return Q(documents__contains=[{"digitised": True}])
    return Q(documents__icontains='"digitised": true')


def with_electronic_result() -> Q:
    """Dossiers with an electronic result issued (a Document of kind "result")."""
    return Q(Exists(Document.objects.filter(dossier=OuterRef("pk"), kind=Document.Kind.RESULT)))
