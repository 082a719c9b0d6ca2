from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FormationRun


@admin.register(FormationRun)
class FormationRunAdmin(SimpleHistoryAdmin):
    list_display = ("pk", "programme", "trust", "status", "started_by", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("programme", "trust", "started_by", "decided_by", "rerun_of")
    readonly_fields = ("inputs", "result", "parameters")
