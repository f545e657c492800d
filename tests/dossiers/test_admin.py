"""The admin never bypasses the lifecycle: status is read-only, actions call the service."""
import pytest
from django.urls import reverse

from dossiers.models import Dossier
from tests.factories import AdminFactory, dossier_in

pytestmark = pytest.mark.django_db


def _post(client, dossier, **extra):
    body = {"applicant_name": dossier.applicant_name, "applicant_phone": dossier.applicant_phone, "applicant_email": "",
            "applicant_address": "", "assigned_to": "", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
            "status": "returned", **extra}
    return client.post(reverse("admin:dossiers_dossier_change", args=[dossier.pk]), body)


def test_admin_actions_go_through_the_service(client):
    client.force_login(AdminFactory())
    dossier = dossier_in("received")
    assert client.get(reverse("admin:dossiers_dossier_changelist")).status_code == 200
    assert client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).status_code == 200
    response = _post(client, dossier, action="start")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "processing"  # the posted "status" was ignored: read-only
    assert dossier.events.filter(action="start").count() == 1


def test_admin_refused_transition_changes_nothing(client):
    client.force_login(AdminFactory())
    dossier = dossier_in("received")
    _post(client, dossier, action="return")
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
