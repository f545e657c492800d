import datetime

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core import services, workdays
from core.models import CalendarDay, EngineRun, Field, Notification, Office, Supervision, Unit, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class SupervisionInline(admin.TabularInline):
    """The unit's supervising offices by date (read only here: a change goes through
    ``core.services.supervision_change``, which closes the current row)."""

    model = Supervision
    extra = 0
    fields = ["office", "valid_from", "valid_to"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "code", "office", "closing_time", "feedback_days"]
    list_filter = ["office"]
    search_fields = ["name", "slug", "code"]
    inlines = [SupervisionInline]
    readonly_fields = ["office"]

    def get_readonly_fields(self, request, obj=None):
        # The current office follows the dated supervisions once the unit exists.
        return ["office"] if obj else []


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    """Adding a row moves the unit to another office from a date, through
    ``core.services.supervision_change`` (the current row ends the day before); rows are
    history and are not edited here."""

    list_display = ["unit", "office", "valid_from", "valid_to"]
    list_filter = ["office"]
    search_fields = ["unit__name", "office__name"]
    date_hierarchy = "valid_from"
    fields = ["unit", "office", "valid_from"]

    def get_readonly_fields(self, request, obj=None):
        return ["unit", "office", "valid_from", "valid_to"] if obj else []

    def get_fields(self, request, obj=None):
        return ["unit", "office", "valid_from", "valid_to"] if obj else self.fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = services.supervision_change(unit=obj.unit, office=obj.office, valid_from=obj.valid_from)
        obj.pk = saved.pk


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "unit", "office", "is_active"]
    list_filter = ["role", "unit", "office", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and scope"), {"fields": ["role", "unit", "office", "job_title", "is_deputy_head"]}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Role and scope"), {"fields": ["role", "unit", "office"]}),)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "default_target", "has_procedures", "is_survey_area", "position"]
    list_editable = ["default_target", "position"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and make-up working days; a row here wins over the holidays package."""

    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name", "source"]
    change_list_template = "admin/core/calendarday/change_list.html"

    def get_urls(self):
        return [
            path("package/", self.admin_site.admin_view(self.package_view), name="core_calendarday_package"),
            *super().get_urls(),
        ]

    def package_view(self, request):
        """The holidays package's days of a year beside the local rows; a POST cancels one
        (a working-day row with the reason) through ``core.services``."""
        try:
            year = int(request.GET.get("year") or datetime.date.today().year)
        except ValueError:
            year = datetime.date.today().year
        error = ""
        if request.method == "POST":
            if not self.has_add_permission(request):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied
            try:
                day = datetime.date.fromisoformat(request.POST.get("date", ""))
                services.cancel_package_holiday(date=day, reason=request.POST.get("reason", ""))
            except ValueError:
                error = _("Enter a valid date.")
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                self.message_user(request, _("%(date)s is now a working day.") % {"date": f"{day:%d/%m/%Y}"}, messages.SUCCESS)
                return redirect(reverse("admin:core_calendarday_package") + f"?year={year}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Public holidays of the holidays package, %(year)s") % {"year": year},
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
            "days": workdays.package_holidays(year),
            # The local rows the package does not know (make-up Saturdays, swapped days off).
            "local_days": CalendarDay.objects.filter(date__year=year).exclude(
                date__in=[d["date"] for d in workdays.package_holidays(year)]),
            "error": error,
            "can_cancel": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/core/calendarday/package.html", context, status=200)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "unit", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "unit"]
    raw_id_fields = ["user"]


@admin.register(EngineRun)
class EngineRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "now", "summary"]
