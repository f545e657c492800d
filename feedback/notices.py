"""The answer sent to the feedback's sender (docs/notices.md): by e-mail and SMS through
the one adapter (core.notify), with the private link to read it and the token link to
rate it once. Rows are written in the transaction of the answer and sent after commit."""
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core import notify
from feedback.models import Feedback, SenderNotice

ANSWER_EXCERPT = 600  # characters of the answer in an e-mail; the link has it all


def rating_token(feedback: Feedback) -> str:
    """The token of the rating link: only who received the answer has it."""
    return salted_hmac("feedback.rating", f"{feedback.pk}:{feedback.tracking_secret}").hexdigest()[:32]


def rating_token_ok(feedback: Feedback, token: str) -> bool:
    return constant_time_compare(token, rating_token(feedback))


def rating_url(feedback: Feedback) -> str:
    return f"{settings.SITE_URL}{reverse('feedback:rate', args=[feedback.code, rating_token(feedback)])}"


def private_url(feedback: Feedback) -> str:
    query = urlencode({"s": feedback.tracking_secret})
    return f"{settings.SITE_URL}{reverse('feedback:track', args=[feedback.code])}?{query}"


def compose_answer(feedback: Feedback, channel: str) -> tuple[str, str]:
    """``(subject, text)`` of the answer notice, in Vietnamese; an SMS carries the links
    only, an e-mail the answer too."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {"unit": feedback.unit.name, "code": feedback.code, "name": feedback.name,
                  "read": private_url(feedback), "rate": rating_url(feedback)}
        greeting = _("Dear Mr/Ms %(name)s,") % values if feedback.name else _("Dear parent,")
        subject = _("Answer to your feedback %(code)s") % values
        lead = _("%(unit)s answered your feedback %(code)s.") % values
        read = _("Read the answer: %(read)s") % values
        rate = _("Please rate the answer (1 to 5): %(rate)s") % values
    if channel == "sms":
        return subject, f"{greeting} {lead} {read} {rate}"
    answer = feedback.answer if len(feedback.answer) <= ANSWER_EXCERPT else feedback.answer[:ANSWER_EXCERPT] + "…"
    return f"[{feedback.unit.name}] {subject}", f"{greeting}\n\n{lead}\n\n{answer}\n\n{read}\n\n{rate}\n"


def queue_answer_notices(feedback: Feedback) -> None:
    """One row per channel the sender gave (Zalo aside: its template is the dossiers')."""
    targets = [(c, to) for c, to in notify.recipients(email=feedback.email, phone=feedback.phone) if c != "zalo"]
    rows = []
    for channel, to in targets:
        subject, body = compose_answer(feedback, channel)
        rows.append(SenderNotice(feedback=feedback, unit_id=feedback.unit_id, action="answer", channel=channel, to=to,
                                 subject=subject, body=body))
    notify.queue_outbox(rows, feedback_id=feedback.pk, action="answer")
