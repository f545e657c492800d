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
    }
    for hours, action in enumerate(paths[status], start=1):
        dossier = dossier_transition(
            dossier=dossier, action=action, actor=actor, at=received_at + datetime.timedelta(hours=hours),
            reason="Thiếu giấy tờ" if action in ("reject", "request_supplement") else "",
        )
    return dossier
