from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, EngagementEmail, EngagementPolicy, Event, Invitation


class InvitationInline(admin.TabularInline):
    model = Invitation
    fk_name = "event"
    extra = 0
    raw_id_fields = ("person", "school", "substitute", "invited_by", "attendance_recorded_by")
    fields = (
        "person",
        "school",
        "invited_as",
        "rsvp",
        "attendance",
        "substitute",
        "substitute_name",
    )


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "cluster", "programme", "starts_at", "archived_at")
    list_filter = ("kind", "mode", "programme")
    search_fields = ("title", "cluster__name")
    date_hierarchy = "starts_at"
    raw_id_fields = ("cluster", "programme", "host_school", "created_by", "archived_by")
    inlines = [InvitationInline]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("description", "owner", "due", "status")
    list_filter = ("status",)
    raw_id_fields = ("event", "owner")


@admin.register(EngagementPolicy)
class EngagementPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("programme", "window", "min_attended")


@admin.register(EngagementEmail)
class EngagementEmailAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "school", "to_email", "sent_by", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("cluster", "school", "to_person", "sent_by")
