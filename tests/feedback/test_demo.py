import pytest
from django.db.models import Count
from django.utils import timezone

from feedback import demo
from feedback.models import Feedback
from tests.factories import PrincipalFactory, StaffFactory


@pytest.mark.django_db
def test_demo_seeds_a_year_in_every_state_and_is_idempotent():
    staff = StaffFactory(username="staff")
    principal = PrincipalFactory(unit=staff.unit, username="principal")
    today = timezone.localdate()
    demo.seed(unit=staff.unit, users={"staff": staff, "principal": principal}, today=today)
    states = dict(Feedback.objects.values_list("status").annotate(n=Count("id")))
    assert set(states) == set(Feedback.Status.values)
    assert sum(states.values()) >= 60
    oldest = Feedback.objects.order_by("received_at").first().received_at
    assert (today - timezone.localdate(oldest)).days > 330
    demo.seed(unit=staff.unit, users={"staff": staff, "principal": principal}, today=today)
    assert Feedback.objects.count() == sum(states.values())
