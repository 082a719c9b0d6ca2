from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cluster, ClusterMembership, Programme


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "trust", "min_cluster_size", "max_cluster_size")
    raw_id_fields = ("trust",)


class MembershipInline(admin.TabularInline):
    model = ClusterMembership
    extra = 0
    raw_id_fields = ("school",)
    fields = ("school", "start", "end", "note", "end_reason")


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ("name", "programme", "kind", "status", "lead_school")
    list_filter = ("kind", "status", "programme")
    search_fields = ("name", "region")
    raw_id_fields = ("lead_school",)
    inlines = [MembershipInline]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(SimpleHistoryAdmin):
    list_display = ("school", "cluster", "start", "end")
    raw_id_fields = ("school", "cluster")
