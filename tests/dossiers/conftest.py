import pytest

from tests.factories import StaffFactory


@pytest.fixture
def reference_fields(transactional_db):
    """The fields of the reference list: transactional tests flush the rows the data
    migration loaded, so put them back."""
    from core.fields_data import FIELDS
    from core.models import Field

    for position, (key, name, name_en, target, has_procedures, survey) in enumerate(FIELDS):
        Field.objects.get_or_create(key=key, defaults={
            "name": name, "name_en": name_en, "default_target": target, "has_procedures": has_procedures,
            "is_survey_area": survey, "position": position,
        })


@pytest.fixture
def staff(client):
    """A member of a unit's staff, signed in (modules that need the person only define their own)."""
    user = StaffFactory()
    client.force_login(user)
    return user
