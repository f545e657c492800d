import pytest
from rest_framework.test import APIClient

from core import access
from tests.factories import AdminFactory, OfficeUserFactory, PrincipalFactory, StaffFactory, UnitFactory


@pytest.mark.django_db
def test_staff_read_and_write_only_their_unit():
    staff = StaffFactory()
    other = UnitFactory()
    assert list(access.readable_units(staff)) == [staff.unit]
    assert access.can_write(staff, staff.unit)
    assert not access.can_write(staff, other)
    assert not access.can_manage(staff, staff.unit)


@pytest.mark.django_db
def test_principal_manages_own_unit_only():
    principal = PrincipalFactory()
    assert access.can_manage(principal, principal.unit)
    assert not access.can_manage(principal, UnitFactory())


@pytest.mark.django_db
def test_office_reads_its_units_and_writes_none():
    office_user = OfficeUserFactory()
    mine = UnitFactory(office=office_user.office)
    UnitFactory()  # another office's unit
    assert list(access.readable_units(office_user)) == [mine]
    assert not access.can_write(office_user, mine)


@pytest.mark.django_db
def test_administrator_sees_every_unit():
    UnitFactory.create_batch(3)
    assert access.readable_units(AdminFactory()).count() == 3


@pytest.mark.django_db
def test_api_units_are_scoped():
    staff = StaffFactory()
    UnitFactory()
    api = APIClient()
    api.force_authenticate(staff)
    body = api.get("/api/v1/units/").json()
    assert [u["slug"] for u in body["results"]] == [staff.unit.slug]


@pytest.mark.django_db
def test_api_fields_list_the_contract_keys_with_targets():
    api = APIClient()
    api.force_authenticate(StaffFactory())
    body = api.get("/api/v1/fields/?page_size=100").json()
    targets = {f["key"]: f["target"] for f in body["results"]}
    for key in ("tuyen-sinh", "chuyen-truong", "xac-nhan", "hoc-phi", "giao-duc-hoa-nhap"):
        assert targets[key] == 100
    assert targets["xu-ly-don"] == 98
    assert targets["khieu-nai-to-cao"] == 95


@pytest.mark.django_db
def test_token_auth_works():
    from rest_framework.authtoken.models import Token

    staff = StaffFactory()
    token = Token.objects.create(user=staff)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/units/").status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get("/api/v1/units/").status_code == 401


@pytest.mark.django_db
def test_full_names_are_in_vietnamese_order():
    assert StaffFactory(last_name="Trần Thị Mỹ", first_name="Hạnh").get_full_name() == "Trần Thị Mỹ Hạnh"


@pytest.mark.django_db
def test_the_unit_of_a_request_has_the_same_404_and_403_rules_everywhere(rf):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404


    staff = StaffFactory()
    other = UnitFactory()
    office = OfficeUserFactory(office=staff.unit.office)

    def request(user, **query):
        req = rf.get("/", query)
        req.user = user
        return req

    assert access.unit_of_request(request(staff)) == staff.unit  # the default unit
    assert access.unit_of_request(request(staff, unit=staff.unit.slug), write=True) == staff.unit
    with pytest.raises(Http404):  # another unit's existence does not leak
        access.unit_of_request(request(staff, unit=other.slug))
    with pytest.raises(PermissionDenied):  # staff do not manage
        access.unit_of_request(request(staff), manage=True)
    assert access.unit_of_request(request(office, unit=staff.unit.slug)) == staff.unit  # offices read
    with pytest.raises(PermissionDenied):  # and never write
        access.unit_of_request(request(office, unit=staff.unit.slug), write=True)
