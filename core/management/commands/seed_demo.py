"""`manage.py seed_demo`: the demo office, unit, people and a year of activity.

Idempotent: running it again changes nothing that is already there."""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core import registry
from core.models import Office, Unit, User

DEMO_USERS = [
    # username, first name, last name, role, e-mail
    ("staff", "Lan", "Nguyễn Thị", User.Role.STAFF, "staff@tuoihong.example.edu.vn"),
    ("principal", "Hạnh", "Trần Thị Mỹ", User.Role.PRINCIPAL, "principal@tuoihong.example.edu.vn"),
    ("district", "Minh", "Lê Văn", User.Role.OFFICE, "district@noivu-q1.example.gov.vn"),
    ("admin", "Quản trị", "", User.Role.ADMIN, "admin@cchc.example.vn"),
]


def seed_organisation():
    office, _ = Office.objects.get_or_create(code="phong-noi-vu-q1", defaults={"name": "Phòng Nội vụ Quận 1"})
    unit, _ = Unit.objects.get_or_create(
        slug="mn-tuoi-hong",
        defaults={
            "office": office,
            "code": "000.00.01.H29.MNTH",
            "name": "Trường mầm non Tuổi Hồng",
            "address": "Quận 1, Thành phố Hồ Chí Minh",
            "phone": "028 3829 0000",
            "email": "mntuoihong@example.edu.vn",
            "closing_time": datetime.time(17, 0),
            "head_name": "Trần Thị Mỹ Hạnh",
            # Printed on the forms (docs/legal/documents.md): since 1/7/2025 a ward runs the school.
            "parent_body": "Ủy ban nhân dân\nphường Sài Gòn",
            "place_name": "Thành phố Hồ Chí Minh",
            "abbreviation": "MNTH",
        },
    )
    users = {}
    for username, first, last, role, email in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username, first_name=first, last_name=last, role=role, email=email,
                unit=unit if role in (User.Role.STAFF, User.Role.PRINCIPAL) else None,
                office=office if role == User.Role.OFFICE else None,
                is_staff=role == User.Role.ADMIN, is_superuser=role == User.Role.ADMIN,
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        users[username] = user
    return office, unit, users


class Command(BaseCommand):
    help = "Create (idempotently) the demo office, unit, users and a year of activity."

    def handle(self, *args, **options):
        today = timezone.localdate()
        with transaction.atomic():
            office, unit, users = seed_organisation()
        self.stdout.write(f"{office.name} / {unit.name}: users {', '.join(users)}")
        for seed in registry.demo_steps():  # each app's own data (its AppConfig.ready())
            with transaction.atomic():
                summary = seed(unit=unit, users=users, today=today)
            if summary:
                self.stdout.write(summary)
        self.stdout.write(self.style.SUCCESS("Demo ready. Password of every demo user: $DEMO_PASSWORD"))
