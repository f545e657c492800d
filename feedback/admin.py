from django.contrib import admin

from feedback.models import Feedback, FeedbackEvent, FeedbackNote


class EventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "at", "recorded_at", "actor", "note"]


class NoteInline(admin.TabularInline):
    model = FeedbackNote
    extra = 0
    readonly_fields = ["author", "created_at"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """For the administrator's look; every state change goes through the services."""

    list_display = ["code", "unit", "kind", "status", "received_at", "due_date", "published_at"]
    list_filter = ["status", "kind", "unit"]
    search_fields = ["code", "subject"]
    date_hierarchy = "received_at"
    list_select_related = ["unit"]
    readonly_fields = [f.name for f in Feedback._meta.fields]
    inlines = [NoteInline, EventInline]

    def has_add_permission(self, request):
        return False
