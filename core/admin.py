from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import CalendarDay, EngineRun, Field, Notification, Office, Unit, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "code", "office", "closing_time", "feedback_days"]
    list_filter = ["office"]
    search_fields = ["name", "slug", "code"]


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

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "unit", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "unit"]
    raw_id_fields = ["user"]


@admin.register(EngineRun)
class EngineRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "now", "summary"]
