"""A cluster's changes in circumstances, staff turnover and role history."""

from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import cluster_people, cluster_roles, member_schools
from clusterwork.core.views import ServiceFormView
from clusterwork.schools.selectors import trust_choices

from . import forms, selectors, services


class ClusterChanges(ServiceFormView):
    access = access_cluster
    open_to_viewers = True
    permission = "circumstances.record_change"
    form_class = forms.CircumstanceForm
    service = services.circumstance_record
    template_name = "circumstances/changes.html"
    success_message = "Change recorded."

    def get_initial(self):
        return {"occurred_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {"schools": member_schools(self.object), "trusts": trust_choices()}

    def page_context(self, **bound):
        cluster, user = self.object, self.request.user
        return {
            "can_record_staff": user.has_perm("circumstances.record_staff_change", cluster),
            "roles": selectors.role_history(cluster),
            "today": timezone.localdate(),
            **selectors.cluster_changes(cluster),
        }


class StaffChange(ServiceFormView):
    access = access_cluster
    permission = "circumstances.record_staff_change"
    form_class = forms.StaffChangeForm
    service = services.staff_change_record
    success_url = back_url = "cluster_changes"
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
        return {"assignments": cluster_roles(self.object), "people": cluster_people(self.object)}

    def get_success_message(self, change):
        moved = change.actions_moved
        return "Staff change recorded." + (
            f" {moved} open actions moved to {change.replacement}." if moved else ""
        )
