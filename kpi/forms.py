"""Forms of the KPI app: the period picker, a plan's targets, a monthly figure."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_INPUT_FORMATS
from kpi.indicators import BY_KEY, MONTHLY_KEYS, Period
from kpi.periods import KIND_NAMES, QUARTER, QUARTER_NUMERALS, periods_of_year, report_period

ISO = ["%Y-%m-%d"]
MAX_SPAN_DAYS = 366 * 5


class PeriodForm(forms.Form):
    """``unit`` (slug), ``from`` and ``to`` (YYYY-MM-DD, both included). Empty dates
    give the current calendar year."""

    unit = forms.SlugField(required=False)

    def __init__(self, *args, typed=False, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: declared here rather than as class attributes. The
        # API and the Excel link take YYYY-MM-DD only; the pages (``typed``) also take
        # dd/mm/yyyy as typed in the period picker.
        formats = DATE_INPUT_FORMATS if typed else ISO
        self.fields["from"] = forms.DateField(label=_("From"), required=False, input_formats=formats)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, input_formats=formats)

    def clean(self):
        data = super().clean()
        default = Period.year_to_date()
        start, end = data.get("from") or default.start, data.get("to") or default.end
        if "from" in self.errors or "to" in self.errors:
            return data
        if start > end:
            raise ValidationError({"to": _("The end of the period must not be before its start.")})
        if (end - start).days > MAX_SPAN_DAYS:
            raise ValidationError({"to": _("A period may cover at most five years.")})
        data["period"] = Period(start, end)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]

    def api_errors(self) -> dict:
        return {name: [str(m) for m in messages] for name, messages in self.errors.items()}


def period_presets(today: datetime.date | None = None) -> list[tuple[str, datetime.date, datetime.date]]:
    """The period picker's shortcuts: this year, each quarter so far, last month, this month."""
    today = today or timezone.localdate()
    year = today.year
    presets = [(str(_("This year")), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
    for q in range(1, (today.month - 1) // 3 + 2):
        start = datetime.date(year, 3 * q - 2, 1)
        end = (datetime.date(year, 3 * q, 1) + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
        presets.append((str(_("Quarter %(q)s") % {"q": q}), start, end))
    month_start = today.replace(day=1)
    previous_end = month_start - datetime.timedelta(days=1)
    presets.append((str(_("Last month")), previous_end.replace(day=1), previous_end))
    presets.append((str(_("This month")), month_start, today))
    presets.append((str(_("Last year")), datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31)))
    return presets


def report_period_presets(today: datetime.date | None = None) -> list[tuple[str, datetime.date, datetime.date]]:
    """The reporting periods of Nghị định 09/2019 this year whose last quarter has begun (the
    six months once the second quarter has, …), from ``kpi.periods``."""
    from django.utils.text import capfirst

    today = today or timezone.localdate()
    presets = []
    for kind, quarter, period in periods_of_year(today.year):
        if report_period(QUARTER, today.year, period.end.month // 3).start <= today:
            label = _("Quarter %(q)s") % {"q": QUARTER_NUMERALS[quarter - 1]} if quarter else capfirst(KIND_NAMES[kind])
            presets.append((str(label), period.start, period.end))
    return presets


class PlanForm(forms.Form):
    """The plan's number and title, and one decimal field per target row."""

    number = forms.CharField(label=_("Plan number"), max_length=64, required=False)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)

    def __init__(self, *args, rows, **kwargs):
        """``rows``: ``[(key, field_key, label, current value or None)]``."""
        super().__init__(*args, **kwargs)
        self.rows = []
        for key, field_key, label, value in rows:
            name = f"t__{key}__{field_key}"
            self.fields[name] = forms.DecimalField(
                label=label, required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2, initial=value,
                error_messages={
                    "max_value": _("A target is a percentage between 0 and 100."),
                    "min_value": _("A target is a percentage between 0 and 100."),
                    "invalid": _("Enter a number such as 98 or 99.5."),
                },
            )
            self.rows.append((key, field_key, name))

    def targets(self) -> dict:
        return {(key, field_key): self.cleaned_data.get(name) for key, field_key, name in self.rows}

    def bound_rows(self):
        return [(key, field_key, self[name]) for key, field_key, name in self.rows]


class MonthlyFigureForm(forms.Form):
    key = forms.ChoiceField(label=_("Indicator"), choices=())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12,
                               error_messages={"min_value": _("A month is 1 to 12."), "max_value": _("A month is 1 to 12.")})
    numerator = forms.IntegerField(label=_("Done (numerator)"), min_value=0)
    denominator = forms.IntegerField(label=_("Total (denominator)"), min_value=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence document"), required=False,
                               help_text=_("PDF, image, Word or Excel file, at most 10 MB."))

    ALLOWED_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods")
    MAX_SIZE = 10 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(key, BY_KEY[key].name) for key in MONTHLY_KEYS]

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            if not upload.name.lower().endswith(self.ALLOWED_EXTENSIONS):
                raise ValidationError(_("Attach a PDF, image, Word or Excel file."))
            if upload.size > self.MAX_SIZE:
                raise ValidationError(_("The file is larger than 10 MB."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("numerator") is not None and data.get("denominator") is not None:
            if data["numerator"] > data["denominator"]:
                raise ValidationError({"numerator": _("The number done cannot be larger than the total.")})
        return data


class PlanTaskForm(forms.Form):
    """A task of the plan: group, what, who, by when (the principal)."""

    group = forms.ChoiceField(label=_("Group of tasks"), choices=())
    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    in_charge = forms.CharField(label=_("Person in charge"), max_length=255, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                               widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
                               help_text=_("dd/mm/yyyy"))

    def __init__(self, *args, **kwargs):
        from kpi.models import PlanTask

        super().__init__(*args, **kwargs)
        self.fields["group"].choices = PlanTask.Group.choices


class PlanTaskProgressForm(forms.Form):
    """How far a task has come, with an evidence document (staff and principal)."""

    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100,
                                  error_messages={"min_value": _("Progress is a percentage between 0 and 100."),
                                                  "max_value": _("Progress is a percentage between 0 and 100.")})
    progress_note = forms.CharField(label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence document"), required=False,
                               help_text=_("PDF, image, Word or Excel file, at most 10 MB."))

    clean_evidence = MonthlyFigureForm.clean_evidence
    ALLOWED_EXTENSIONS = MonthlyFigureForm.ALLOWED_EXTENSIONS
    MAX_SIZE = MonthlyFigureForm.MAX_SIZE
