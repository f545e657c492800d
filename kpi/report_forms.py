"""Forms of the written reports: the principal's text, a new report, the office's deadline."""
from django import forms
from django.utils.translation import gettext_lazy as _

from kpi.models import PlanTask, Report


class ReportTextForm(forms.Form):
    """A narrative per group of tasks, then difficulties, proposals and recipients."""

    difficulties = forms.CharField(label=_("Difficulties and obstacles"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    proposals = forms.CharField(label=_("Proposals and recommendations"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    recipients = forms.CharField(label=_("Recipients (one per line)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, name in PlanTask.Group.choices:
            self.fields[f"narrative_{key}"] = forms.CharField(
                label=name, required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)

    @classmethod
    def for_report(cls, report: Report, data=None):
        initial = {f"narrative_{k}": v for k, v in report.narrative.items()}
        initial.update(difficulties=report.difficulties, proposals=report.proposals, recipients=report.recipients)
        return cls(data, initial=initial)

    def narrative_fields(self):
        return [self[f"narrative_{key}"] for key, _name in PlanTask.Group.choices]

    def narrative(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"narrative_{key}", "") for key, _name in PlanTask.Group.choices}


class PeriodChoiceForm(forms.Form):
    """A reporting period: kind, year and (for a quarter) the quarter."""

    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "quarter" and not data.get("quarter"):
            raise forms.ValidationError({"quarter": _("Choose the quarter (1–4).")})
        if data.get("kind") != "quarter":
            data["quarter"] = None
        return data


class DeadlineForm(PeriodChoiceForm):
    due_date = forms.DateField(label=_("Deadline"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy"))
