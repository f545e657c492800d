"""The survey form, built from the questions of one questionnaire version, and the
principal's form to add a question."""
from django import forms
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from surveys.guard import HONEYPOT_FIELD
from surveys.models import COMMENT_MAX_LENGTH, CORE_KEYS, Question, Response

RATING_CHOICES = [
    (1, _("Very dissatisfied")),
    (2, _("Dissatisfied")),
    (3, _("Neutral")),
    (4, _("Satisfied")),
    (5, _("Very satisfied")),
]
TEXT_MAX_LENGTH = COMMENT_MAX_LENGTH


class _Choices(BaseChoiceIterator):
    """Choices already in Django's normal form, which the field and its widget take as
    they are: a list would be normalised again by both for every form (half the time it
    took to build the survey form; docs/decisions/prepared-statements.md)."""

    def __init__(self, choices):
        self.choices = normalize_choices(choices)

    def __iter__(self):
        return iter(self.choices)


RATINGS = _Choices(RATING_CHOICES)


def question_text(question) -> str:
    if get_language() == "en" and question.text_en:
        return question.text_en
    return question.text_vi


class SurveyForm(forms.Form):
    """One field per question of the questionnaire (rating 1–5 or text), plus the
    honeypot and the signed start time of the stuffing guard."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            label = question_text(q)
            if q.kind == Question.Kind.RATING:
                self.fields[q.key] = forms.TypedChoiceField(
                    label=label, choices=RATINGS, coerce=int, empty_value=None,
                    required=q.required, widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Please choose how satisfied you are overall.") if q.key == "overall"
                        else _("Please choose a rating."),
                        "invalid_choice": _("Choose a rating from 1 to 5."),
                    },
                )
            else:
                self.fields[q.key] = forms.CharField(
                    label=label, required=q.required, max_length=TEXT_MAX_LENGTH, strip=True,
                    widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX_LENGTH}),
                    error_messages={
                        "required": _("Please write an answer."),
                        "max_length": _(
                            "Please keep it to %(limit_value)d characters at most (it has %(show_value)d)."
                        ),
                    },
                )
            self.fields[q.key].question = q
        self.fields[HONEYPOT_FIELD] = forms.CharField(required=False, label=_("Leave this field empty"))
        self.fields["started"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def question_fields(self):
        return [self[q.key] for q in self.questions]

    def answers(self) -> dict:
        """Cleaned answers split into Response columns and the unit's own questions."""
        columns, extra = {}, {}
        for q in self.questions:
            value = self.cleaned_data.get(q.key)
            if q.key in CORE_KEYS:
                columns[q.key] = value if value is not None else ("" if q.key == "comment" else None)
            elif value not in (None, ""):
                extra[q.key] = value
        return {**columns, "answers": extra}


class QuestionAddForm(forms.Form):
    text_vi = forms.CharField(label=_("Question (Vietnamese)"), max_length=500)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices, initial=Question.Kind.RATING)
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def key(self, taken) -> str:
        """A key made from the Vietnamese text, unique in the questionnaire and never a core key."""
        base = (slugify(self.cleaned_data["text_vi"], allow_unicode=False) or "cau-hoi")[:48].strip("-")
        key, n = f"u-{base}", 2
        while key in taken or key in CORE_KEYS:
            key, n = f"u-{base}-{n}", n + 1
        return key


class ResultsSliceForm(forms.Form):
    """The slice of responses the results page shows, as the KPI dashboard links to it:
    ``from`` / ``to`` (YYYY-MM-DD, both included), ``area`` (field key), ``source``
    (dossier | open) and ``satisfied=1``. Every field may be left out."""

    area = forms.SlugField(required=False)
    source = forms.ChoiceField(required=False, choices=[("", "")] + list(Response.Source.choices))
    satisfied = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: declared here rather than as a class attribute.
        self.fields["from"] = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
        self.fields["to"] = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The end of the period must not be before its start."))
        return data

    @property
    def is_sliced(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(k) for k in ("from", "to", "area", "source", "satisfied"))

    def narrow(self) -> dict:
        """Keyword arguments for ``surveys.selectors``."""
        data = self.cleaned_data
        return {"area": data.get("area") or None, "source": data.get("source") or None, "satisfied": bool(data.get("satisfied"))}
