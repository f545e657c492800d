"""The sender gets the answer (e-mail, SMS) with a token link and rates it once;
accounts of the portal cannot rate."""
import re

import pytest

from feedback.models import AnswerRating, Feedback, SenderNotice
from feedback.notices import rating_url
from feedback.services import RatingError, feedback_rate
from tests.factories import StaffFactory, answered_feedback, send_feedback
from tests.gateway import deliver_outbox

LABEL = "feedback.SenderNotice"


def deliver_all():
    deliver_outbox(LABEL)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.django_db
def test_the_answer_goes_to_the_sender_by_email_and_sms_with_the_rating_link(
    sms_gateway, mailoutbox, outbox_tasks, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        feedback = answered_feedback(answer="Nhà trường đã mở thêm cổng phụ từ thứ Hai.")
    assert sorted(SenderNotice.objects.values_list("channel", flat=True)) == ["email", "sms"]
    assert len(outbox_tasks) == 2
    deliver_all()
    (mail,) = mailoutbox
    assert mail.to == ["binh@example.vn"] and feedback.code in mail.subject
    assert mail.body.startswith("Kính gửi ông/bà Trần Văn Bình,")
    assert "Nhà trường đã mở thêm cổng phụ từ thứ Hai." in mail.body and rating_url(feedback) in mail.body
    (sms,) = sms_gateway.texts_to("0912345678")
    assert rating_url(feedback) in sms and "đánh giá" in sms
    assert set(SenderNotice.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_sender_without_email_or_phone_gets_nothing_and_nothing_fails(outbox_tasks):
    answered_feedback(email="", phone="")
    assert not SenderNotice.objects.exists()


@pytest.mark.django_db
def test_the_sender_rates_the_answer_once(client, outbox_tasks):
    feedback = answered_feedback()
    url = path_of(rating_url(feedback))
    page = client.get(url)
    assert page.status_code == 200 and "Đánh giá câu trả lời" in page.content.decode()
    assert page.content.decode().count('name="score"') == 5

    thanks = client.post(url, {"score": "4", "comment": "Cảm ơn nhà trường"})
    assert thanks.status_code == 200 and b'data-testid="rating-thanks"' in thanks.content
    rating = AnswerRating.objects.get()
    assert (rating.feedback_id, rating.score, rating.comment, rating.unit_id) == (feedback.pk, 4, "Cảm ơn nhà trường", feedback.unit_id)

    again = client.post(url, {"score": "1"})
    assert again.status_code == 409 and "đã được đánh giá" in again.content.decode()
    assert AnswerRating.objects.get().score == 4
    assert b'data-testid="rating-again"' in client.get(url).content


@pytest.mark.django_db
def test_staff_accounts_cannot_rate(client, outbox_tasks):
    feedback = answered_feedback()
    client.force_login(StaffFactory(unit=feedback.unit))
    url = path_of(rating_url(feedback))
    assert client.get(url).status_code == 403
    refused = client.post(url, {"score": "5"})
    assert refused.status_code == 403 and b'data-testid="rating-refused"' in refused.content
    assert feedback.tracking_secret not in refused.content.decode()  # the sender's private link stays theirs
    assert not AnswerRating.objects.exists()


@pytest.mark.django_db
def test_a_wrong_token_finds_nothing_and_an_unanswered_feedback_cannot_be_rated(client, outbox_tasks):
    feedback = answered_feedback()
    assert client.get(f"/feedback/{feedback.code}/rate/{'0' * 32}/").status_code == 404
    waiting = send_feedback()
    assert client.post(path_of(rating_url(waiting)), {"score": "5"}).status_code == 409
    with pytest.raises(RatingError):
        feedback_rate(feedback=waiting, score=5)
    assert not AnswerRating.objects.exists()


@pytest.mark.django_db
def test_a_rating_outside_1_to_5_is_refused_with_a_message(client, outbox_tasks):
    feedback = answered_feedback()
    response = client.post(path_of(rating_url(feedback)), {"score": "9"})
    assert response.status_code == 400 and "chọn mức đánh giá từ 1 đến 5" in response.content.decode().lower()
    assert not AnswerRating.objects.exists()


@pytest.mark.django_db
def test_staff_see_the_rating_on_the_feedback_page(client, outbox_tasks):
    feedback = answered_feedback()
    feedback_rate(feedback=feedback, score=2, comment="Chưa rõ thời gian")
    client.force_login(StaffFactory(unit=feedback.unit))
    html = client.get(f"/feedback/inbox/{feedback.code}/").content.decode()
    assert 'data-testid="answer-rating"' in html and "2/5" in html and "Chưa rõ thời gian" in html


@pytest.mark.django_db
def test_the_demo_history_sends_no_answer_to_its_made_up_senders(outbox_tasks):
    from django.utils import timezone

    from feedback.demo import seed

    staff = StaffFactory(username="staff")
    seed(unit=staff.unit, users={"staff": staff, "principal": staff}, today=timezone.localdate())
    assert Feedback.objects.filter(answered_at__isnull=False).exists()
    assert AnswerRating.objects.filter(score__gte=4).exists()  # the dashboard has ratings to show
    assert not SenderNotice.objects.exists() and not outbox_tasks


@pytest.mark.django_db
def test_the_senders_private_page_offers_the_rating_until_it_is_given(client, outbox_tasks):
    feedback = answered_feedback()
    private = f"/feedback/{feedback.code}/?s={feedback.tracking_secret}"
    assert path_of(rating_url(feedback)) in client.get(private).content.decode()
    assert b'data-testid="rate-link"' not in client.get(f"/feedback/{feedback.code}/").content  # no secret, no link
    feedback_rate(feedback=feedback, score=5)
    assert b'data-testid="rate-link"' not in client.get(private).content
