import pytest
from django.urls import reverse

from feedback.services import ConversionError, feedback_to_dossier
from tests.factories import ProcedureFactory, StaffFactory, field, send_feedback


@pytest.mark.django_db
def test_a_complaint_becomes_a_linked_dossier_in_the_complaints_field():
    staff = StaffFactory()
    procedure = ProcedureFactory(unit=staff.unit, field=field("khieu-nai-to-cao"), code="KNTC-01")
    feedback = send_feedback(unit=staff.unit, subject="Khiếu nại về khoản thu", name="Lê Thị Hoa", phone="0987654321")
    dossier = feedback_to_dossier(feedback=feedback, actor=staff)
    feedback.refresh_from_db()
    assert feedback.dossier == dossier
    assert list(dossier.feedback.all()) == [feedback]
    assert (dossier.procedure, dossier.field.key) == (procedure, "khieu-nai-to-cao")
    assert (dossier.applicant_name, dossier.applicant_phone, dossier.received_by) == ("Lê Thị Hoa", "0987654321", staff)
    assert feedback.code in dossier.request_summary
    assert feedback.events.get(action="to_dossier").note == dossier.code
    with pytest.raises(ConversionError):
        feedback_to_dossier(feedback=feedback, actor=staff)


@pytest.mark.django_db
def test_a_unit_without_a_complaint_procedure_gets_a_clear_error(client):
    staff = StaffFactory()
    ProcedureFactory(unit=staff.unit, field=field("khieu-nai-to-cao"), is_active=False)
    ProcedureFactory(unit=staff.unit)  # another field
    feedback = send_feedback(unit=staff.unit)
    with pytest.raises(ConversionError, match="chưa có thủ tục"):
        feedback_to_dossier(feedback=feedback, actor=staff)
    client.force_login(staff)
    page = client.post(reverse("feedback:to-dossier", args=[feedback.code]), follow=True).content.decode()
    assert "chưa có thủ tục nào đang áp dụng thuộc lĩnh vực khiếu nại, tố cáo" in page
    feedback.refresh_from_db()
    assert feedback.dossier is None


@pytest.mark.django_db
def test_staff_convert_from_the_page(client):
    staff = StaffFactory()
    procedure = ProcedureFactory(unit=staff.unit, field=field("khieu-nai-to-cao"))
    feedback = send_feedback(unit=staff.unit)
    client.force_login(staff)
    page = client.post(reverse("feedback:to-dossier", args=[feedback.code]), {"procedure": procedure.pk}, follow=True)
    feedback.refresh_from_db()
    assert feedback.dossier is not None
    assert 'data-testid="dossier-link"' in page.content.decode() and feedback.dossier.code in page.content.decode()
