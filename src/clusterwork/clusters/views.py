"""Programme and cluster pages, on the generic views of ``core.views``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from clusterwork.core.views import (
    ObjectDetailView,
    ScopedListView,
    ServiceFormView,
    history_page,
    related_entries,
    render_page,
)
from clusterwork.schools.models import School

from . import selectors, services
from .access import access_cluster, access_membership, access_programme
from .forms import (
    AddMemberForm,
    ArchiveForm,
    AsOfForm,
    ClusterFilterForm,
    ClusterForm,
    EndMembershipForm,
    MoveForm,
)
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

    def get_context_data(self, **context):
        programme = self.object
        clusters = selectors.programme_overview(programme, self.request.user)
        outside = [
            c
            for c in clusters
            if not programme.min_cluster_size <= c.member_count <= programme.max_cluster_size
        ]
        return super().get_context_data(
            programme=programme,
            clusters=clusters,
            total_members=sum(c.member_count for c in clusters),
            warning_count=len(outside),
            can_change=self.request.user.has_perm("clusters.change_programme", programme),
            **context,
        )


def programme_history(request, pk):
    programme = access_programme(request.user, pk)
    return history_page(
        request,
        obj=programme,
        title=programme.name,
        back_url=reverse("programme_detail", args=[programme.pk]),
    )


class ClusterCreate(ServiceFormView):
    access = access_programme
    permission = "clusters.add_cluster"
    form_class = ClusterForm
    service = services.cluster_create
    object_argument = "programme"
    success_message = "Cluster “{result}” created."
    submit_label = "Create cluster"

    def get_success_url(self, result):
        return reverse("cluster_detail", args=[result.pk])

    def get_context_data(self, **context):
        programme = self.object
        return super().get_context_data(
            title=f"New cluster in {programme.name}",
            breadcrumbs=[(programme.name, reverse("programme_detail", args=[programme.pk]))],
            cancel_url=reverse("programme_detail", args=[programme.pk]),
            **context,
        )


# ----- clusters ------------------------------------------------------------------------------


class ClusterList(ScopedListView):
    template_name = "clusters/cluster_list.html"
    filter_form_class = ClusterFilterForm
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
    form = AsOfForm(request.GET or None)
    return form.cleaned_data.get("on") if form.is_valid() else None


def cluster_page(request, cluster, *, on=None, **forms) -> dict:
    """What the cluster page shows on ``on`` (default today), with any refused form as it was
    submitted (``add_form``, ``archive_form``, or a member row's ``row_errors``)."""
    today = timezone.localdate()
    day = on or today
    members = selectors.cluster_members(cluster, on=day)
    user = request.user
    can_manage = user.has_perm("clusters.change_cluster", cluster)
    can_change = can_manage and not cluster.is_archived
    failed_pk, row_errors = forms.pop("failed_pk", None), forms.pop("row_errors", [])
    for member in members:
        member.row_errors = row_errors if member.pk == failed_pk else []
    points = [
        {
            "name": m.school.name,
            "lat": m.school.latitude,
            "lng": m.school.longitude,
            "url": reverse("school_detail", args=[m.school.urn]),
        }
        for m in members
        if m.school.has_location
    ]
    return {
        "cluster": cluster,
        "programme": cluster.programme,
        "members": members,
        "on": on,
        "today": today,
        "size": selectors.size_check(cluster, size=len(members)),
        "points": points,
        "can_change": can_change and day == today,
        "can_manage": can_manage,
        "add_form": AddMemberForm(),
        "archive_form": ArchiveForm(),
        "move_targets": list(selectors.move_targets(user, cluster)) if can_change else [],
        "coordinators": selectors.cluster_coordinators(cluster),
        "people": list(selectors.cluster_roles(cluster)),
        "past_members": [
            m for m in selectors.cluster_membership_history(cluster) if m.end is not None
        ],
        "as_of_form": AsOfForm(request.GET or None),
        **forms,
    }


class ClusterDetail(ObjectDetailView):
    access = access_cluster
    template_name = "clusters/cluster_detail.html"
    partial = "members"

    def get_context_data(self, **context):
        page = cluster_page(self.request, self.object, on=_as_of(self.request))
        return super().get_context_data(**page, **context)


def cluster_history(request, pk):
    cluster = access_cluster(request.user, pk)
    records = list(
        ClusterMembership.history.filter(cluster_id=cluster.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:500]
    )
    schools = School.objects.in_bulk({r.school_id for r in records})

    def describe(record):
        school = schools.get(record.school_id)
        return f"membership of {school.name if school else 'a school'}"

    return history_page(
        request,
        obj=cluster,
        title=cluster.name,
        back_url=reverse("cluster_detail", args=[cluster.pk]),
        extra=related_entries(records, describe),
    )


class ClusterEdit(ServiceFormView):
    access = access_cluster
    permission = "clusters.change_cluster"
    form_class = ClusterForm
    success_url = "cluster_detail"
    submit_label = "Save changes"

    def get_initial(self):
        return ClusterForm.initial_for(self.object)

    def perform(self, form):
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        if changes:
            services.cluster_update(actor=self.request.user, cluster=self.object, **changes)
        return changes

    def get_success_message(self, changes):
        return "Cluster saved." if changes else "Nothing to change."

    def get_context_data(self, **context):
        cluster = self.object
        return super().get_context_data(
            title=f"Edit {cluster.name}",
            breadcrumbs=[
                (cluster.programme.name, reverse("programme_detail", args=[cluster.programme_id])),
                (cluster.name, reverse("cluster_detail", args=[cluster.pk])),
            ],
            cancel_url=reverse("cluster_detail", args=[cluster.pk]),
            **context,
        )


class _ClusterPageForm(ServiceFormView):
    """A form posted from the cluster page (members, archive); refused, the page (or, for
    htmx, its members region) comes back with the form as submitted."""

    http_method_names = ["post"]
    access = access_cluster
    permission = "clusters.change_cluster"
    template_name = "clusters/cluster_detail.html"
    partial = "members"
    success_url = "cluster_detail"

    def get_context_data(self, **context):
        return super().get_context_data(**cluster_page(self.request, self.object, **context))

    def report_size(self, check) -> None:
        if not check.ok:
            messages.warning(self.request, check.message)


class ClusterArchive(_ClusterPageForm):
    form_class = ArchiveForm
    form_context_name = "archive_form"
    partial = None
    success_message = "{object.name} is archived; its memberships have ended."

    def perform(self, form):
        return services.cluster_archive(
            actor=self.request.user, cluster=self.object, **form.cleaned_data
        )


class ClusterRestore(_ClusterPageForm):
    form_context_name = "restore_form"
    partial = None
    service = services.cluster_restore
    object_argument = "cluster"
    success_message = "{object.name} is restored. Add its member schools again."

    def get_context_data(self, **context):
        restore_form = context.get("restore_form")
        errors = restore_form.non_field_errors() if restore_form is not None else []
        return super().get_context_data(restore_errors=errors, **context)


class MemberAdd(_ClusterPageForm):
    form_class = AddMemberForm
    form_context_name = "add_form"

    def perform(self, form):
        data = form.cleaned_data
        membership, check = services.membership_add(
            actor=self.request.user, cluster=self.object, **data
        )
        self.report_size(check)
        return membership

    def get_success_message(self, membership):
        return f"{membership.school.name} added to {self.object.name}."


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

    def get_context_data(self, **context):
        form = context.pop("form")
        return super().get_context_data(
            failed_pk=self.membership.pk if form.errors else None,
            row_errors=_errors_of(form),
            **context,
        )


class MemberEnd(_MemberRowForm):
    form_class = EndMembershipForm

    def perform(self, form):
        membership, check = services.membership_end(
            actor=self.request.user, membership=self.membership, **form.cleaned_data
        )
        self.report_size(check)
        return membership

    def get_success_message(self, membership):
        return f"{membership.school.name} leaves {self.object.name} on {membership.end:%-d %b %Y}."


class MemberMove(_MemberRowForm):
    form_class = MoveForm

    def get_form_kwargs(self):
        return {"targets": selectors.move_targets(self.request.user, self.object)}

    def perform(self, form):
        data = form.cleaned_data
        target = access_cluster(
            self.request.user, data["to_cluster"].pk, perm="clusters.change_cluster", lock=True
        )
        moved = services.membership_move(
            actor=self.request.user,
            school=self.membership.school,
            to_cluster=target,
            on=data["on"],
            reason=data["reason"],
        )
        self.report_size(selectors.size_check(self.object))
        return moved

    def get_success_message(self, moved):
        return f"{moved.school.name} moves to {moved.cluster.name} on {moved.start:%-d %b %Y}."


def _errors_of(form) -> list[str]:
    errors = []
    for field, messages_ in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        errors += [f"{label}: {m}" if label else m for m in messages_]
    return errors


def member_search(request, pk):
    """Typeahead for the add-member form: schools by name or URN, not already members."""
    cluster = access_cluster(request.user, pk, perm="clusters.change_cluster")
    query = (request.GET.get("q") or "").strip()
    results = []
    if len(query) >= 2:
        current = cluster.memberships.current().values("school_id")
        match = Q(name__icontains=query)
        if query.isdigit():
            match |= Q(urn=int(query))
        results = list(
            School.objects.filter(match)
            .exclude(pk__in=current)
            .select_related("local_authority")
            .order_by("name")[:10]
        )
    return render_page(
        request,
        "clusters/member_search.html",
        {"cluster": cluster, "query": query, "results": results},
        partial="options",
    )
