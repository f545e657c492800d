"""Register (form 06) filters, shared by the page, the Excel export and the API."""
import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Field
from dossiers.models import Dossier


class RegisterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Code or applicant"))
    field = django_filters.ModelChoiceFilter(
        queryset=Field.objects.filter(has_procedures=True), to_field_name="key", label=_("Field"), empty_label=_("All fields"))
    status = django_filters.ChoiceFilter(choices=Dossier.Status.choices, label=_("Status"), empty_label=_("All statuses"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"),
                                           widget=django_filters.widgets.BooleanWidget())
    timeliness = django_filters.ChoiceFilter(choices=Dossier.Timeliness.choices, label=_("Timeliness"),
                                             empty_label=_("Any timeliness"))
    received_from = django_filters.DateFilter(field_name="received_at", lookup_expr="date__gte", label=_("Received from"))
    received_to = django_filters.DateFilter(field_name="received_at", lookup_expr="date__lte", label=_("Received to"))

    class Meta:
        model = Dossier
        fields = ["q", "field", "status", "overdue", "timeliness", "received_from", "received_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(applicant_name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        # Overdue = open and past its promised return time (the API's is_overdue).
        late = Q(status__in=Dossier.OPEN_STATUSES, due_at__lt=timezone.now())
        return queryset.filter(late) if value else queryset.exclude(late)

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = "form-select" if hasattr(field, "choices") or isinstance(field.widget, django_filters.widgets.BooleanWidget) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if field.__class__.__name__ == "DateField":
                field.widget.input_type = "date"
        return form
