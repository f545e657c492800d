"""Register (form 07) filters, shared by the page, the Excel export and the API.

The KPI dashboard links every number to this register (``kpi/links.py``). The filters
that select the dossiers a KPI counts read the sets of ``dossiers.selectors``
(completed in a period, open and due in it, overdue, late, apology), the same Q
objects ``kpi.selectors`` counts with, so a number and its list cannot disagree.
Each bound is its own filter: the sets they combine have disjoint statuses (done or
open), so ANDing "from" with "to" gives the set between the two."""
import django_filters
from drf_spectacular.utils import extend_schema_field
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_INPUT_FORMATS, VietnameseDateInput
from core.models import Field
from core.search import folded_contains
from dossiers import selectors
from dossiers.models import Dossier

# The form shows these at once; the others sit under "More filters".
MAIN_FILTERS = ("q", "field", "status", "overdue", "received_from", "received_to")


APOLOGY_CHOICES = {"none": _("No apology letter"), "any": _("With an apology letter"),
                   "timely": _("Apology sent in time"), "late": _("Apology sent late")}


class YesNoAll(django_filters.widgets.BooleanWidget):
    """django-filter's yes/no select, its empty choice named for a filter ("All"), not
    "Unknown" ("Chưa xác định" read as if the overdue state were not known)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), *self.choices[1:]]


class RegisterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Code or applicant"), widget=forms.TextInput(
        attrs={"placeholder": _("With or without marks"), "type": "search"}))
    field = django_filters.ModelChoiceFilter(
        queryset=Field.objects.filter(has_procedures=True), to_field_name="key", label=_("Field"), empty_label=_("All fields"))
    status = django_filters.ChoiceFilter(choices=Dossier.Status.choices, label=_("Status"), empty_label=_("All statuses"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"),
                                           widget=YesNoAll())
    received_from = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte", label=_("Received from"))
    received_to = django_filters.DateFilter(field_name="received_at", lookup_expr="date__lte", label=_("Received to"))
    timeliness = django_filters.MultipleChoiceFilter(
        choices=Dossier.Timeliness.choices, label=_("Timeliness"), widget=forms.CheckboxSelectMultiple)
    completed_from = django_filters.DateFilter(method="filter_completed_from", label=_("Completed from"))
    completed_to = django_filters.DateFilter(method="filter_completed_to", label=_("Completed to"))
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Promised return from"))
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Promised return to"))
    apology = django_filters.ChoiceFilter(
        method="filter_apology", label=_("Apology letter"), empty_label=_("With or without"),
        choices=list(APOLOGY_CHOICES.items()))
    # docs/domain/indicators.md: a completed dossier counts by its completion time, an
    # open one by its due date; withdrawn and rejected dossiers count in no period.
    period_from = django_filters.DateFilter(method="filter_period_from", label=_("Counted in the period from"))
    period_to = django_filters.DateFilter(method="filter_period_to", label=_("Counted in the period to"))
    late = django_filters.BooleanFilter(method="filter_late", label=_("Late or overdue"),
                                        widget=YesNoAll())
    channel = django_filters.ChoiceFilter(choices=Dossier.Channel.choices, label=_("Channel"), empty_label=_("Every channel"))
    # Quyết định 766 counts dossiers still open past their deadline beside the completed ones.
    settled = django_filters.BooleanFilter(method="filter_settled", label=_("Completed or overdue"),
                                           widget=YesNoAll())
    e_result = django_filters.BooleanFilter(method="filter_e_result", label=_("With an electronic result"),
                                            widget=YesNoAll())

    class Meta:
        model = Dossier
        fields = ["q", "field", "status", "overdue", "received_from", "received_to", "timeliness", "completed_from",
                  "completed_to", "due_from", "due_to", "apology", "period_from", "period_to", "late", "channel", "settled", "e_result"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Without marks and in any case: "cuong" and "CƯỜNG" find "Lê Văn Cường", a part of
        # the code finds the dossier (docs/decisions/register-search.md).
        return queryset.filter(folded_contains("search_text", value))

    def filter_settled(self, queryset, name, value):
        if value is None:
            return queryset
        settled = Q(status__in=selectors.DONE) | selectors.overdue_as_of(now=timezone.now())
        return queryset.filter(settled) if value else queryset.exclude(settled)

    def filter_e_result(self, queryset, name, value):
        if value is None:
            return queryset
        has = Q(pk__in=selectors.WITH_E_RESULT)
        return queryset.filter(has if value else ~has)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.overdue_as_of(now=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.late_or_overdue(now=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_completed_from(self, queryset, name, value):
        return queryset.filter(selectors.completed_between(start=value))

    def filter_completed_to(self, queryset, name, value):
        return queryset.filter(selectors.completed_between(end=value))

    def filter_period_from(self, queryset, name, value):
        return queryset.filter(selectors.in_period(start=value))

    def filter_period_to(self, queryset, name, value):
        return queryset.filter(selectors.in_period(end=value))

    @extend_schema_field({"type": "string", "enum": list(APOLOGY_CHOICES)})
    def filter_apology(self, queryset, name, value):
        return queryset.filter(selectors.APOLOGY[value]) if value in selectors.APOLOGY else queryset

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif hasattr(field, "choices") or isinstance(field.widget, django_filters.widgets.BooleanWidget):
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs.setdefault("class", css)
            if field.__class__.__name__ == "DateField":
                # dd/mm/yyyy whatever the browser's locale; ISO still accepted (the KPI links).
                field.input_formats = DATE_INPUT_FORMATS
                field.widget = VietnameseDateInput(attrs=field.widget.attrs)
        return form

    @property
    def main_fields(self):
        return [self.form[name] for name in MAIN_FILTERS]

    @property
    def more_fields(self):
        return [bound for bound in self.form if bound.name not in MAIN_FILTERS]

    @property
    def more_active(self) -> bool:
        """Whether a filter under "More filters" is set (the section then opens)."""
        return any(self.data.get(bound.name) for bound in self.more_fields) if self.data else False


def register_filterset(*, user, query) -> RegisterFilter:
    """The register of ``user`` with the filters of ``query`` (a QueryDict: the page's address,
    or the one a background export kept), narrowed to ``?unit=`` when given (404 for a unit
    the user may not read), newest first as the page lists it. The page, its Excel download
    and the export job all start here."""
    from core import access

    queryset = access.narrowed_to_slug(selectors.dossier_list(user=user), user, query.get("unit"))
    return RegisterFilter(query or None, queryset=queryset.order_by("-received_at", "-id"))


def several_units(*, user, query) -> bool:
    """The register lists the dossiers of several units (an office or an administrator, not
    narrowed to one): the page then says each dossier's unit (its download always does, in
    the form's "handling body" column)."""
    return not (query.get("unit") or user.unit_id)
