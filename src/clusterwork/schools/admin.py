from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GiasImport, LocalAuthority, School, Trust


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("urn", "name", "phase", "local_authority", "trust", "status")
    list_filter = ("phase", "status")
    search_fields = ("name", "urn", "postcode", "town")
    raw_id_fields = ("local_authority", "trust", "last_import")


@admin.register(Trust)
class TrustAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "gias_code", "archived_at")
    search_fields = ("name", "gias_code")


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(GiasImport)
class GiasImportAdmin(admin.ModelAdmin):
    list_display = ("source_name", "created_at", "created", "updated", "unchanged", "rejected")
    readonly_fields = [f.name for f in GiasImport._meta.fields]
