import pytest
from django.conf import settings
from django.utils import timezone

from surveys.tasks import send_dossier_invitation
from tests.factories import receive_dossier


@pytest.mark.django_db
def test_the_applicant_gets_a_vietnamese_email_with_the_survey_link(mailoutbox):
    dossier = receive_dossier(applicant_name="Lê Thị Hoa", applicant_email="hoa@example.vn")
    assert send_dossier_invitation(dossier.pk) is True
    [mail] = mailoutbox
    assert mail.to == ["hoa@example.vn"]
    assert "Mời đánh giá sự hài lòng" in mail.subject and dossier.code in mail.subject
    assert f"{settings.SITE_URL}/survey/{dossier.survey_token}/" in mail.body
    assert "Kính gửi ông/bà Lê Thị Hoa" in mail.body


@pytest.mark.django_db
def test_no_email_without_an_address_after_an_answer_or_twice(mailoutbox):
    assert send_dossier_invitation(receive_dossier().pk) is False
    answered = receive_dossier(applicant_email="a@example.vn", survey_answered_at=timezone.now())
    assert send_dossier_invitation(answered.pk) is False
    dossier = receive_dossier(applicant_email="b@example.vn")
    send_dossier_invitation(dossier.pk)
    send_dossier_invitation(dossier.pk)  # a re-delivered task
    assert send_dossier_invitation(999999) is False
    assert [m.to for m in mailoutbox] == [["b@example.vn"]]
