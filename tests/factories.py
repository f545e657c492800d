"""factory_boy factories shared by every app's tests."""
import datetime

import factory

from core.models import Field, Office, Unit, User


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Phòng Nội vụ {n}")
    code = factory.Sequence(lambda n: f"office-{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    office = factory.SubFactory(OfficeFactory)
    slug = factory.Sequence(lambda n: f"truong-{n}")
    code = factory.Sequence(lambda n: f"000.00.{n:02d}.H29")
    name = factory.Sequence(lambda n: f"Trường mầm non số {n}")
    closing_time = datetime.time(17, 0)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Lan"
    last_name = "Nguyễn Thị"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    role = User.Role.STAFF
    unit = factory.SubFactory(UnitFactory)
    office = None
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = User.Role.STAFF


class PrincipalFactory(UserFactory):
    role = User.Role.PRINCIPAL


class OfficeUserFactory(UserFactory):
    role = User.Role.OFFICE
    unit = None
    office = factory.SubFactory(OfficeFactory)


class AdminFactory(UserFactory):
    role = User.Role.ADMIN
    unit = None
    is_staff = True
    is_superuser = True


def field(key: str) -> Field:
    """A field of the reference list (loaded by core's data migration)."""
    return Field.objects.get(key=key)


PASSWORD = "pass-12345"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dossiers.Procedure"

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"TTHC-{n:03d}")
    name = factory.Sequence(lambda n: f"Thủ tục số {n}")
    field = factory.LazyFunction(lambda: Field.objects.get(key="xac-nhan"))
    processing_days = 5
    required_documents = factory.LazyFunction(lambda: ["Đơn đề nghị", "Bản sao giấy khai sinh"])


def receive_dossier(*, procedure=None, unit=None, received_at=None, actor=None, **details):
    """A dossier registered through the real intake service."""
    from dossiers.services import dossier_receive

    procedure = procedure or ProcedureFactory(**({"unit": unit} if unit else {}))
    details.setdefault("applicant_name", "Nguyễn Văn An")
    details.setdefault("applicant_phone", "0901234567")
    return dossier_receive(unit=procedure.unit, procedure=procedure, received_at=received_at, actor=actor, **details)


# --- feedback ---
def send_feedback(*, unit=None, received_at=None, **fields):
    """Feedback received through the real service (as the public form does)."""
    from feedback.services import feedback_receive

    unit = unit or UnitFactory()
    fields.setdefault("kind", "phan-anh")
    fields.setdefault("subject", "Giờ đón trẻ buổi chiều")
    fields.setdefault("content", "Cổng trường ùn tắc lúc 16 giờ 30.")
    fields.setdefault("name", "Trần Văn Bình")
    fields.setdefault("phone", "0912345678")
    fields.setdefault("email", "binh@example.vn")
    return feedback_receive(unit=unit, received_at=received_at, **fields)


def answered_feedback(*, actor=None, answer="Nhà trường đã mở thêm cổng phụ.", **kwargs):
    from feedback.services import feedback_transition

    feedback = send_feedback(**kwargs)
    feedback = feedback_transition(feedback=feedback, action="start", actor=actor)
    return feedback_transition(feedback=feedback, action="answer", actor=actor, answer=answer)


def published_feedback(*, actor=None, **kwargs):
    from feedback.services import feedback_transition

    return feedback_transition(feedback=answered_feedback(actor=actor, **kwargs), action="publish", actor=actor)

# --- surveys ---
def default_questionnaire():
    """The national SIPAS questionnaire created by the surveys data migration."""
    from surveys.models import Questionnaire

    return Questionnaire.objects.get(unit__isnull=True, version=1)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Response"

    unit = factory.SubFactory(UnitFactory)
    questionnaire = factory.LazyFunction(default_questionnaire)
    source = "open"
    area = factory.LazyFunction(lambda: Field.objects.get(key="cham-soc-giao-duc"))
    access = 5
    procedure = 5
    staff = 5
    result = 5
    feedback_handling = 5
    overall = 5
    comment = ""
    submitted_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.timezone.utc))


def survey_answers(**overrides):
    """POST data of a complete, valid survey (docs/interfaces.md field names), with a start
    stamp old enough for the stuffing guard."""
    from surveys.guard import STARTED_SALT
    import time

    from django.core import signing

    data = {"access": "5", "procedure": "4", "staff": "5", "result": "4", "feedback_handling": "5",
            "overall": "5", "comment": "", "website": "",
            "started": signing.dumps(int(time.time()) - 30, salt=STARTED_SALT)}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def reload_reference_data():
    """The rows the data migrations create (fields, calendar, the SIPAS questionnaire),
    back after an earlier transactional test flushed the database. Idempotent."""
    from importlib import import_module

    from django.apps import apps

    import_module("core.migrations.0002_reference_data").load(apps, None)
    import_module("core.migrations.0006_calendar_sources").load(apps, None)
    import_module("surveys.migrations.0002_default_questionnaire").create_default(apps, None)

# --- dossiers ---
def dossier_in(status: str, *, procedure=None, unit=None, received_at=None, actor=None, **details):
    """A dossier brought to ``status`` through the real lifecycle service, its events
    spaced one hour apart starting at ``received_at`` (default: ten days ago)."""
    from django.utils import timezone

    from dossiers.services import dossier_transition

    received_at = received_at or timezone.now() - datetime.timedelta(days=10)
    dossier = receive_dossier(procedure=procedure, unit=unit, received_at=received_at, actor=actor, **details)
    paths = {
        "received": [],
        "processing": ["start"],
        "awaiting_supplement": ["start", "request_supplement"],
        "completed": ["start", "complete"],
        "returned": ["start", "complete", "return"],
        "rejected": ["reject"],
        "withdrawn": ["withdraw"],
        "stopped": ["stop"],
    }
    for hours, action in enumerate(paths[status], start=1):
        dossier = dossier_transition(
            dossier=dossier, action=action, actor=actor, at=received_at + datetime.timedelta(hours=hours),
            reason="Thiếu giấy tờ" if action in ("reject", "request_supplement", "stop") else "",
        )
    return dossier

# --- kpi ---
# TEST helpers: they put records in later states by writing columns directly, so that the
# KPI tests do not depend on the other apps' services. App code never does this.

def finish_dossier_for_test(dossier, *, completed_at, timeliness, status="completed"):
    """TEST ONLY: mark ``dossier`` completed at ``completed_at`` with ``timeliness``."""
    # save(update_fields=...), not update(): the KPI rollup recounts on save (kpi.receivers).
    dossier.refresh_from_db()
    dossier.status, dossier.completed_at, dossier.timeliness = status, completed_at, timeliness
    dossier.save(update_fields=["status", "completed_at", "timeliness"])
    return dossier


def set_dossier_status_for_test(dossier, status):
    """TEST ONLY: put ``dossier`` in ``status`` (e.g. withdrawn, processing)."""
    dossier.refresh_from_db()
    dossier.status = status
    dossier.save(update_fields=["status"])
    return dossier


def apologise_for_test(dossier, *, issued_at=None, timely=True):
    """TEST ONLY: an apology letter (form 04) for ``dossier``."""
    import datetime as _dt

    from dossiers.models import Apology

    issued_at = issued_at or dossier.received_at + _dt.timedelta(hours=1)
    new_due_date = dossier.due_date + _dt.timedelta(days=7)
    return Apology.objects.create(
        dossier=dossier, unit=dossier.unit, issued_at=issued_at, reason="Cần thêm thời gian xác minh",
        new_due_date=new_due_date, new_due_at=dossier.due_at + _dt.timedelta(days=7), timely=timely,
    )


def survey_response_for_test(*, unit, area_key="cham-soc-giao-duc", overall=5, submitted_at, source="open"):
    """TEST ONLY: an anonymous survey response."""
    from surveys.models import Questionnaire, Response

    questionnaire, _ = Questionnaire.objects.get_or_create(unit=None, version=1, defaults={"title": "SIPAS"})
    return Response.objects.create(
        unit=unit, questionnaire=questionnaire, source=source, area=field(area_key), overall=overall,
        submitted_at=submitted_at,
    )


_feedback_seq = iter(range(1, 10**9))


def feedback_for_test(*, unit, received_at, due_at=None, answered_at=None, published_at=None, publishable=True):
    """TEST ONLY: a feedback item in the state its dates describe."""
    import datetime as _dt

    from feedback.models import Feedback

    due_at = due_at or received_at + _dt.timedelta(days=7)
    status = "published" if published_at else "answered" if answered_at else "new"
    return Feedback.objects.create(
        unit=unit, code=f"PAKN-TEST-{next(_feedback_seq):06d}", kind="kien-nghi", subject="Góp ý giờ đón trẻ",
        content="Nội dung", received_at=received_at, due_date=due_at.date(), due_at=due_at, status=status,
        answered_at=answered_at, answer="Trả lời" if answered_at else "", published_at=published_at,
        publishable=publishable,
    )
