"""Programme and cluster pages, on the generic views of ``core.views``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.utils import timezone

from clusterwork.core.views import (
    EmptyForm,
    ObjectDetailView,
    ObjectHistoryView,
    ScopedListView,
    ServiceFormView,
    related_entries,
    render_page,
)
from clusterwork.schools.models import School
from clusterwork.schools.selectors import map_points

from . import forms, selectors, services
from .access import access_cluster, access_membership, access_programme
from .models import ClusterMembership

# ----- programmes ----------------------------------------------------------------------------


class ProgrammeList(ScopedListView):
    template_name = "clusters/programme_list.html"
    partial = None
    paginate_by = 100
    export_filename = "programmes"
    export_columns = (
        ("Programme", "name"),
        ("Kind", "get_kind_display"),
        ("Governance", "get_governance_display"),
        ("Trust", "trust.name"),
        ("Clusters", "cluster_count"),
        ("Smallest cluster", "min_cluster_size"),
        ("Largest cluster", "max_cluster_size"),
    )

    def get_queryset(self, filters):
        return selectors.programme_list(self.request.user)


class ProgrammeDetail(ObjectDetailView):
    access = access_programme
    template_name = "clusters/programme_detail.html"

    def page_context(self):
        programme, user = self.object, self.request.user
        can_change = user.has_perm("clusters.change_programme", programme)
        summary = selectors.programme_summary(programme, user)
        return {"programme": programme, "can_change": can_change, **summary}


class ProgrammeHistory(ObjectHistoryView):
    access = access_programme


class ClusterCreate(ServiceFormView):
    access = access_programme
    permission = "clusters.add_cluster"
    form_class = forms.ClusterForm
    service = services.cluster_create
    title = "New cluster in {object}"
    submit_label = "Create cluster"
    success_message = "Cluster “{result}” created."


# ----- clusters ------------------------------------------------------------------------------


class ClusterList(ScopedListView):
    template_name = "clusters/cluster_list.html"
    title = "Clusters"
    filter_form_class = forms.ClusterFilterForm
    paginate_by = 100
    sortable = {
        "name": ("name", "id"),
        "programme": ("programme__name", "name"),
        "members": ("member_count", "name"),
    }
    export_filename = "clusters"
    export_columns = (
        ("Cluster", "name"),
        ("Programme", "programme.name"),
        ("Kind", "get_kind_display"),
        ("Status", "get_status_display"),
        ("Region", "region"),
        ("Lead school", "lead_school.name"),
        ("Lead school URN", "lead_school.urn"),
        ("Member schools", "member_count"),
    )

    def get_filter_form_kwargs(self):
        return {"programmes": selectors.programmes_visible_to(self.request.user).order_by("name")}

    def get_queryset(self, filters):
        return selectors.cluster_list(
            self.request.user,
            programme=filters.get("programme"),
            kind=filters.get("kind") or "",
            search=filters.get("q") or "",
        )


def _as_of(request) -> dt.date | None:
    form = forms.AsOfForm(request.GET or None)
    return form.cleaned_data.get("on") if form.is_valid() else None


def cluster_page(request, cluster, *, on=None, refused=None, refused_in=None) -> dict:
    """What the cluster page shows on ``on`` (default today); a member row's ``refused``
    form comes back, as submitted, in the row of membership ``refused_in``."""
    today = timezone.localdate()
    members = selectors.cluster_members(cluster, on=on or today)
    user = request.user
    can_manage = user.has_perm("clusters.change_cluster", cluster)
    can_change = can_manage and not cluster.is_archived
    targets = list(selectors.move_targets(user, cluster)) if can_change else []
    for m in members:
        row_id = f"id_%s_{m.pk}"  # each row's forms need their own field ids
        m.end_form = forms.EndMembershipForm(auto_id=row_id)
        m.move_form = forms.MoveForm(targets=targets, auto_id=row_id)
        if m.pk == refused_in:
            setattr(
                m,
                "end_form" if isinstance(refused, forms.EndMembershipForm) else "move_form",
                refused,
            )
    return {
        "programme": cluster.programme,
        "members": members,
        "on": on,
        "today": today,
        "size": selectors.size_check(cluster, size=len(members)),
        "points": map_points(m.school for m in members),
        "can_change": can_change and (on or today) == today,
        "can_manage": can_manage,
        "add_form": forms.AddMemberForm(),
        "archive_form": forms.ArchiveForm(),
        "restore_form": EmptyForm(),
        "move_targets": targets,
        "coordinators": selectors.cluster_coordinators(cluster),
        "people": list(selectors.cluster_roles(cluster)),
        "past_members": [m for m in selectors.cluster_membership_history(cluster) if m.end],
        "as_of_form": forms.AsOfForm(request.GET or None),
    }


class ClusterDetail(ObjectDetailView):
    access = access_cluster
    template_name = "clusters/cluster_detail.html"
    partial = "members"

    def page_context(self):
        return cluster_page(self.request, self.object, on=_as_of(self.request))


class ClusterHistory(ObjectHistoryView):
    """The cluster's changes and its memberships' (who joined, left or moved, when, why)."""

    access = access_cluster

    def related(self):
        records = list(
            ClusterMembership.history.filter(cluster_id=self.object.pk)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:500]
        )
        schools = School.objects.in_bulk({r.school_id for r in records})
        return related_entries(
            records,
            lambda r: f"membership of {getattr(schools.get(r.school_id), 'name', 'a school')}",
        )


class ClusterEdit(ServiceFormView):
    access = access_cluster
    permission = "clusters.change_cluster"
    form_class = forms.ClusterForm
    title = "Edit {object}"
    submit_label = "Save changes"

    def get_initial(self):
        return forms.ClusterForm.initial_for(self.object)

    def perform(self, form):
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        if changes:
            services.cluster_update(actor=self.request.user, cluster=self.object, **changes)
        return changes

    def get_success_message(self, changes):
        return "Cluster saved." if changes else "Nothing to change."


class _ClusterPageForm(ServiceFormView):
    """A form posted from the cluster page (members, archive); refused, the page (or, for
    htmx, its members region) comes back with the form as submitted."""

    http_method_names = ["post"]
    access = access_cluster
    permission = "clusters.change_cluster"
    template_name = "clusters/cluster_detail.html"
    partial = "members"

    def page_context(self, **bound):
        return cluster_page(self.request, self.object)

    def size_warning(self, check) -> None:
        if not check.ok:
            messages.warning(self.request, check.message)


class ClusterArchive(_ClusterPageForm):
    form_class = forms.ArchiveForm
    form_name = "archive_form"
    partial = None
    service = services.cluster_archive
    success_message = "{object.name} is archived; its memberships have ended."


class ClusterRestore(_ClusterPageForm):
    form_name = "restore_form"
    partial = None
    service = services.cluster_restore
    success_message = "{object.name} is restored. Add its member schools again."


class MemberAdd(_ClusterPageForm):
    form_class = forms.AddMemberForm
    form_name = "add_form"
    success_message = "{result.school.name} added to {object.name}."

    def perform(self, form):
        membership, check = services.membership_add(
            actor=self.request.user, cluster=self.object, **form.cleaned_data
        )
        self.size_warning(check)
        return membership


class _MemberRowForm(_ClusterPageForm):
    """A form in one member's row: refused, its errors show in that row."""

    def get_object(self, *, perm, lock):
        cluster = super().get_object(perm=perm, lock=lock)
        self.membership = access_membership(
            self.request.user,
            self.kwargs["mpk"],
            perm="clusters.change_clustermembership" if perm else None,
            lock=lock,
        )
        if self.membership.cluster_id != cluster.pk:
            raise Http404("No such membership in this cluster.")
        return cluster

    def page_context(self, form):
        return cluster_page(self.request, self.object, refused=form, refused_in=self.membership.pk)


class MemberEnd(_MemberRowForm):
    form_class = forms.EndMembershipForm

    def perform(self, form):
        membership, check = services.membership_end(
            actor=self.request.user, membership=self.membership, **form.cleaned_data
        )
        self.size_warning(check)
        return membership

    def get_success_message(self, ended):
        return f"{ended.school.name} leaves {self.object.name} on {ended.end:%-d %b %Y}."


class MemberMove(_MemberRowForm):
    form_class = forms.MoveForm

    def get_form_kwargs(self):
        return {"targets": selectors.move_targets(self.request.user, self.object)}

    def perform(self, form):
        data, user = form.cleaned_data, self.request.user
        target = access_cluster(
            user, data["to_cluster"].pk, perm="clusters.change_cluster", lock=True
        )
        moved = services.membership_move(
            actor=user,
            school=self.membership.school,
            to_cluster=target,
            on=data["on"],
            reason=data["reason"],
        )
        self.size_warning(selectors.size_check(self.object))
        return moved

    def get_success_message(self, moved):
        return f"{moved.school.name} moves to {moved.cluster.name} on {moved.start:%-d %b %Y}."


def member_search(request, pk):
    """Typeahead for the add-member form: schools by name or URN, not already members."""
    cluster = access_cluster(request.user, pk, perm="clusters.change_cluster")
    query = (request.GET.get("q") or "").strip()
    context = {
        "cluster": cluster,
        "query": query,
        "results": selectors.schools_to_add(cluster, query),
    }
    return render_page(request, "clusters/member_search.html", context, partial="options")
