"""seed_demo (CONTRACT: idempotent): five schools with their own accounts and a year of
activity, supervised by Phòng Nội vụ Quận 1 until 30/6/2025 and by the ward since
1/7/2025, the history kept; ``district`` belongs to today's office."""
import datetime

import pytest
from django.core.management import call_command

from core import access
from core.models import Supervision, Unit, User
from dossiers.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tests.factories import reload_reference_data

        reload_reference_data()
        call_command("seed_demo", verbosity=0)
        counts = (Unit.objects.count(), User.objects.count(), Dossier.objects.count(), Supervision.objects.count())
        call_command("seed_demo", verbosity=0)  # again: nothing changes
        yield counts
        from django.core.management import call_command as cc

        cc("flush", interactive=False, verbosity=0)


def test_seeding_twice_changes_nothing(seeded):
    assert (Unit.objects.count(), User.objects.count(), Dossier.objects.count(), Supervision.objects.count()) == seeded


def test_five_schools_each_with_its_accounts_and_a_year_of_activity(seeded):
    units = Unit.objects.all()
    assert units.count() >= 5
    assert units.filter(slug="mn-tuoi-hong").exists()
    for unit in units:
        assert User.objects.filter(username=f"staff-{unit.slug}", role="staff", unit=unit).exists()
        assert User.objects.filter(username=f"principal-{unit.slug}", role="principal", unit=unit).exists()
        assert unit.parent_body and unit.place_name and unit.abbreviation
        assert Dossier.objects.filter(unit=unit).count() > 100
    # Each school its own year, not a copy of the kindergarten's.
    assert len({Dossier.objects.filter(unit=u).count() for u in units}) > 1
    for username in ("staff", "principal", "admin", "district"):
        assert User.objects.filter(username=username, is_active=True).exists()


def test_the_schools_moved_to_the_ward_on_1_july_2025_with_the_history_kept(seeded):
    district = User.objects.get(username="district")
    assert district.office.name == "Ủy ban nhân dân phường Sài Gòn"
    for unit in Unit.objects.all():
        rows = list(Supervision.objects.filter(unit=unit).order_by("valid_from")
                    .values_list("office__name", "valid_to"))
        assert rows == [("Phòng Nội vụ Quận 1", datetime.date(2025, 6, 30)), ("Ủy ban nhân dân phường Sài Gòn", None)]
        assert unit.office == district.office
    assert set(access.readable_units(district)) == set(Unit.objects.all())
