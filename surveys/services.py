"""Every write of the surveys app (HackSoft style: keyword-only, typed, atomic)."""
import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import Unit
from core.text import nfc
from dossiers.models import Dossier
from surveys import selectors
from surveys.models import CORE_KEYS, Question, Questionnaire, Response


class AlreadyAnswered(Exception):
    """The dossier's one response has already been counted."""


def _submitted_at(now: datetime.datetime) -> datetime.datetime:
    """Responses keep the hour only: the dossier records the exact moment its survey
    was answered, and an exact match would tie an anonymous answer to its dossier."""
    return now.replace(minute=0, second=0, microsecond=0)


def _response(*, unit, area, questionnaire, source, answers: dict, now) -> Response:
    values = {k: v for k, v in answers.items() if k != "answers"}
    values["comment"] = nfc(values.get("comment") or "")
    return Response(
        unit=unit, area=area, questionnaire=questionnaire, source=source,
        answers=nfc(answers.get("answers") or {}), submitted_at=_submitted_at(now), **values,
    )


def _validate(response: Response):
    """Ratings 1–5 and the comment's length (the form checked them already; a service
    caller that skips the form gets the same rules). The database's own CHECK covers
    ``overall``, so no extra query for the constraint."""
    response.full_clean(exclude=["unit", "area", "questionnaire"], validate_constraints=False)


@transaction.atomic
def response_submit_for_dossier(*, dossier: Dossier, questionnaire: Questionnaire, answers: dict,
                                now: datetime.datetime | None = None) -> Response:
    """Count the one response of ``dossier`` (found by its survey token).

    The claim is a conditional UPDATE in the same transaction as the insert: of two
    submissions at the same moment, PostgreSQL lets exactly one change the row; the
    other sees ``survey_answered_at`` set and gets AlreadyAnswered. This is the only
    write the surveys app makes to the dossiers table."""
    now = now or timezone.now()
    claimed = Dossier.objects.filter(
        survey_token=dossier.survey_token, survey_answered_at__isnull=True
    ).update(survey_answered_at=now)
    if not claimed:
        raise AlreadyAnswered
    response = _response(
        unit=dossier.unit, area=dossier.field, questionnaire=questionnaire,
        source=Response.Source.DOSSIER, answers=answers, now=now,
    )
    _validate(response)
    response.save()
    return response


@transaction.atomic
def response_submit_open(*, unit, area, questionnaire: Questionnaire, answers: dict,
                         now: datetime.datetime | None = None) -> Response:
    """Store one answer to the open survey of ``area`` (the guard ran in the view)."""
    response = _response(
        unit=unit, area=area, questionnaire=questionnaire, source=Response.Source.OPEN,
        answers=answers, now=now or timezone.now(),
    )
    _validate(response)
    response.save()
    return response


@transaction.atomic
def comment_mark_handled(*, response: Response, user, handled: bool = True) -> Response:
    """Mark a comment as read and handled (or reopen it), recording who and when."""
    if handled:
        Response.objects.filter(pk=response.pk, comment_handled_at__isnull=True).update(
            comment_handled_at=timezone.now(), comment_handled_by=user
        )
    else:
        Response.objects.filter(pk=response.pk).update(comment_handled_at=None, comment_handled_by=None)
    response.refresh_from_db(fields=["comment_handled_at", "comment_handled_by"])
    return response


def _new_version(*, unit, source: Questionnaire, title: str) -> Questionnaire:
    """Copy ``source`` into the unit's next version and retire the unit's older ones:
    answered versions are never edited, so responses keep the questions they answered."""
    Questionnaire.objects.filter(unit=unit, is_active=True).update(is_active=False)
    new = Questionnaire.objects.create(unit=unit, version=selectors.next_version(unit=unit), title=title, is_active=True)
    Question.objects.bulk_create(
        Question(questionnaire=new, key=q.key, text_vi=q.text_vi, text_en=q.text_en, kind=q.kind,
                 required=q.required, position=q.position)
        for q in source.questions.all()
    )
    return new


@transaction.atomic
def questionnaire_add_question(*, unit, key: str, text_vi: str, text_en: str = "", kind: str = Question.Kind.RATING,
                               required: bool = False) -> Questionnaire:
    """A new version of the unit's questionnaire with one more question (before the comment)."""
    Unit.objects.select_for_update().get(pk=unit.pk)  # one principal's change at a time
    current = selectors.active_questionnaire(unit=unit)
    new = _new_version(unit=unit, source=current, title=f"{unit.name}: {current.title.split(': ')[-1]}")
    comment = new.questions.filter(key="comment").first()
    position = comment.position if comment else (new.questions.count() + 1)
    new.questions.filter(position__gte=position).update(position=F("position") + 1)
    Question.objects.create(
        questionnaire=new, key=key, text_vi=nfc(text_vi.strip()), text_en=nfc(text_en.strip()),
        kind=kind, required=required, position=position,
    )
    return new


@transaction.atomic
def questionnaire_remove_question(*, unit, key: str) -> Questionnaire:
    """A new version without one of the unit's own questions (the SIPAS ones stay)."""
    if key in CORE_KEYS:
        raise ValueError("the SIPAS questions cannot be removed")
    Unit.objects.select_for_update().get(pk=unit.pk)
    current = selectors.active_questionnaire(unit=unit)
    new = _new_version(unit=unit, source=current, title=current.title)
    new.questions.filter(key=key).delete()
    return new
