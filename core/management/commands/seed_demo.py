"""`manage.py seed_demo`: the demo office, unit, people and a year of activity.

Idempotent: running it again changes nothing that is already there."""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core import registry
from core.models import Office, Supervision, Unit, User
from core.services import supervision_change

DEMO_USERS = [
    # username, first name, last name, role, e-mail
    ("staff", "Lan", "Nguyễn Thị", User.Role.STAFF, "staff@tuoihong.example.edu.vn"),
    ("principal", "Hạnh", "Trần Thị Mỹ", User.Role.PRINCIPAL, "principal@tuoihong.example.edu.vn"),
    ("district", "Minh", "Lê Văn", User.Role.OFFICE, "district@noivu-q1.example.gov.vn"),
    ("admin", "Quản trị", "", User.Role.ADMIN, "admin@cchc.example.vn"),
]


# --- The supervising offices and their schools (docs/domain/supervision.md) ----------------
# Districts ended on 1/7/2025 (two-level local government): the schools of former District 1
# passed from Phòng Nội vụ Quận 1 to the People's Committee of Sài Gòn ward (Bến Nghé and part
# of Nguyễn Thái Bình and Đa Kao; the city's 2025 arrangement of wards). The history is kept as
# dated rows.
FORMER_OFFICE = ("phong-noi-vu-q1", "Phòng Nội vụ Quận 1")
CURRENT_OFFICE = ("ubnd-phuong-sai-gon", "Ủy ban nhân dân phường Sài Gòn")
OFFICE_CHANGE = datetime.date(2025, 7, 1)
PLACE_NAME = "Thành phố Hồ Chí Minh"
# slug, code, name, abbreviation, head, address, staff (first, last), principal (first, last)
SCHOOLS = [
    ("mn-tuoi-hong", "000.00.01.H29.MNTH", "Trường mầm non Tuổi Hồng", "MNTH", "Trần Thị Mỹ Hạnh",
     "Quận 1, Thành phố Hồ Chí Minh", ("Lan", "Nguyễn Thị"), ("Hạnh", "Trần Thị Mỹ")),
    ("mn-hoa-lan", "000.00.02.H29.MNHL", "Trường mầm non Hoa Lan", "MNHL", "Phạm Thị Thu Hà",
     "12 Lê Thánh Tôn, phường Sài Gòn, Thành phố Hồ Chí Minh", ("Mai", "Võ Thị"), ("Hà", "Phạm Thị Thu")),
    ("th-ben-nghe", "000.00.03.H29.THBN", "Trường tiểu học Bến Nghé", "THBN", "Nguyễn Văn Phúc",
     "5 Nguyễn Du, phường Sài Gòn, Thành phố Hồ Chí Minh", ("Hương", "Lê Thị"), ("Phúc", "Nguyễn Văn")),
    ("th-nguyen-thai-binh", "000.00.04.H29.THNTB", "Trường tiểu học Nguyễn Thái Bình", "THNTB", "Đỗ Thị Ngọc Lan",
     "40 Nguyễn Thái Bình, phường Sài Gòn, Thành phố Hồ Chí Minh", ("Tâm", "Huỳnh Minh"), ("Lan", "Đỗ Thị Ngọc")),
    ("thcs-van-lang", "000.00.05.H29.THCSVL", "Trường trung học cơ sở Văn Lang", "THCSVL", "Trương Quốc Bảo",
     "18 Đinh Tiên Hoàng, phường Sài Gòn, Thành phố Hồ Chí Minh", ("Ngân", "Phan Thị Kim"), ("Bảo", "Trương Quốc")),
]


def _demo_user(username, *, first, last, role, email, unit=None, office=None):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, first_name=first, last_name=last, role=role, email=email,
            unit=unit if role in (User.Role.STAFF, User.Role.PRINCIPAL) else None,
            office=office if role == User.Role.OFFICE else None,
            is_staff=role == User.Role.ADMIN, is_superuser=role == User.Role.ADMIN,
            job_title="Hiệu trưởng" if role == User.Role.PRINCIPAL else "",
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    return user


def seed_schools():
    """The two offices and the five schools, each supervised by the district office until
    30/6/2025 and by the ward since 1/7/2025, with a staff and a principal account each
    (``staff-<slug>``, ``principal-<slug>``; the first school keeps ``staff`` and
    ``principal``). Returns ``(current office, [(unit, users)])``. Idempotent."""
    former, _ = Office.objects.get_or_create(code=FORMER_OFFICE[0], defaults={"name": FORMER_OFFICE[1]})
    current, _ = Office.objects.get_or_create(code=CURRENT_OFFICE[0], defaults={"name": CURRENT_OFFICE[1]})
    schools = []
    for index, (slug, code, name, abbreviation, head, address, staff_name, principal_name) in enumerate(SCHOOLS):
        unit, _ = Unit.objects.get_or_create(
            slug=slug,
            defaults={
                "office": former, "code": code, "name": name, "address": address,
                "phone": f"028 3829 {index:04d}", "email": f"{slug.replace('-', '')}@example.edu.vn",
                "closing_time": datetime.time(17, 0), "head_name": head,
            },
        )
        # Printed on the forms (docs/legal/documents.md): since 1/7/2025 a ward runs the school.
        presentation = {"parent_body": "Ủy ban nhân dân\nphường Sài Gòn", "place_name": PLACE_NAME,
                        "abbreviation": abbreviation}
        blank = {k: v for k, v in presentation.items() if not getattr(unit, k)}  # an administrator's edit stays
        if blank:
            Unit.objects.filter(pk=unit.pk).update(**blank)
            for k, v in blank.items():
                setattr(unit, k, v)
        if not Supervision.objects.filter(unit=unit, office=current).exists():
            supervision_change(unit=unit, office=current, valid_from=OFFICE_CHANGE)
            unit.refresh_from_db()
        mail = f"{slug}@example.edu.vn"
        users = {
            "staff": _demo_user("staff" if index == 0 else f"staff-{slug}", first=staff_name[0], last=staff_name[1],
                                role=User.Role.STAFF, email=f"staff.{mail}", unit=unit),
            "principal": _demo_user("principal" if index == 0 else f"principal-{slug}", first=principal_name[0],
                                    last=principal_name[1], role=User.Role.PRINCIPAL, email=f"principal.{mail}", unit=unit),
        }
        if index == 0:
            # The first school's own accounts also answer to staff-<slug> / principal-<slug>.
            users[f"staff-{slug}"] = _demo_user(f"staff-{slug}", first="Thảo", last="Ngô Thị", role=User.Role.STAFF,
                                                email=f"staff2.{mail}", unit=unit)
            users[f"principal-{slug}"] = _demo_user(f"principal-{slug}", first="Dung", last="Lý Thị",
                                                    role=User.Role.PRINCIPAL, email=f"deputy.{mail}", unit=unit)
        schools.append((unit, users))
    return current, schools


def seed_organisation():
    """The first school, its office and the four demo accounts (``staff``, ``principal``,
    ``district`` of the office supervising the schools today, ``admin``)."""
    office, schools = seed_schools()
    unit = schools[0][0]
    users = {}
    for username, first, last, role, email in DEMO_USERS:
        users[username] = _demo_user(username, first=first, last=last, role=role, email=email, unit=unit, office=office)
    if users["district"].office_id != office.pk:
        User.objects.filter(pk=users["district"].pk).update(office=office)  # moved with the schools
        users["district"].office = office
    return office, unit, users


class Command(BaseCommand):
    help = "Create (idempotently) the demo office, unit, users and a year of activity."

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            office, unit, users = seed_organisation()
            _office, schools = seed_schools()
        self.stdout.write(f"{office.name} / {unit.name}: users {', '.join(users)}")
        for school, school_users in schools:
            seeded_users = users if school.pk == unit.pk else school_users
            self.stdout.write(f"{school.name}:")
            for seed in registry.demo_steps():  # each app's own data (its AppConfig.ready())
                with transaction.atomic():
                    summary = seed(unit=school, users=seeded_users, today=today)
                if summary:
                    self.stdout.write(f"  {summary}")
        self.stdout.write(self.style.SUCCESS("Demo ready. Password of every demo user: $DEMO_PASSWORD"))
