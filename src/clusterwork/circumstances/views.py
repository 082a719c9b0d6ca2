"""A cluster's changes in circumstances, staff turnover and role history."""

from django.urls import reverse
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import cluster_people, cluster_roles, member_schools
from clusterwork.core.views import ServiceFormView
from clusterwork.schools.selectors import trust_choices

from . import services
from .forms import CircumstanceForm, StaffChangeForm
from .selectors import cluster_changes, role_history


class ClusterChanges(ServiceFormView):
    access = access_cluster
    open_to_viewers = True
    permission = "circumstances.record_change"
    form_class = CircumstanceForm
    service = services.circumstance_record
    object_argument = "cluster"
    template_name = "circumstances/changes.html"
    success_url = "cluster_changes"
    success_message = "Change recorded."

    def get_initial(self):
        return {"occurred_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {"schools": member_schools(self.object), "trusts": trust_choices()}

    def get_context_data(self, **context):
        cluster, user = self.object, self.request.user
        return super().get_context_data(
            cluster=cluster,
            can_change=user.has_perm(self.permission, cluster),
            can_record_staff=user.has_perm("circumstances.record_staff_change", cluster),
            roles=role_history(cluster),
            today=timezone.localdate(),
            **cluster_changes(cluster),
            **context,
        )


class StaffChange(ServiceFormView):
    access = access_cluster
    permission = "circumstances.record_staff_change"
    form_class = StaffChangeForm
    service = services.staff_change_record
    object_argument = "cluster"
    success_url = "cluster_changes"
    title = "Record a staff change"
    lede = (
        "A subject leader leaves, is covered temporarily, or takes a sabbatical. The cluster "
        "keeps running: the replacement takes over the role and the open actions from the "
        "cluster's meetings."
    )
    submit_label = "Record"

    def get_initial(self):
        return {"starts_on": timezone.localdate()}

    def get_form_kwargs(self):
        cluster = self.object
        return {"assignments": cluster_roles(cluster), "people": cluster_people(cluster)}

    def get_success_message(self, change):
        moved = (
            f" {change.actions_moved} open actions moved to {change.replacement}."
            if change.actions_moved
            else ""
        )
        return f"Staff change recorded.{moved}"

    def get_context_data(self, **context):
        cluster = self.object
        return super().get_context_data(
            cluster=cluster,
            breadcrumbs=[
                (cluster.name, reverse("cluster_detail", args=[cluster.pk])),
                ("Changes", reverse("cluster_changes", args=[cluster.pk])),
            ],
            cancel_url=reverse("cluster_changes", args=[cluster.pk]),
            **context,
        )
