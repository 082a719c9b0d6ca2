"""Programme and cluster pages. Thin adapters: access helper → form → service/selector."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clusterwork.core.errors import ServiceError
from clusterwork.core.htmx import add_service_error, is_htmx, render_page
from clusterwork.core.views import history_page, related_entries
from clusterwork.people.scopes import scope_for
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
from .models import Cluster, ClusterMembership

# ----- programmes ----------------------------------------------------------------------------


def programme_list(request):
    programmes = (
        selectors.programmes_visible_to(request.user)
        .filter(archived_at__isnull=True)
        .select_related("trust")
        .annotate(cluster_count=Count("clusters", filter=Q(clusters__archived_at__isnull=True)))
        .order_by("name")
    )
    return render(request, "clusters/programme_list.html", {"programmes": programmes})


def programme_detail(request, pk):
    programme = access_programme(request.user, pk)
    clusters = selectors.programme_overview(programme, request.user)
    warnings = [
        c
        for c in clusters
        if not programme.min_cluster_size <= c.member_count <= programme.max_cluster_size
    ]
    return render(
        request,
        "clusters/programme_detail.html",
        {
            "programme": programme,
            "clusters": clusters,
            "total_members": sum(c.member_count for c in clusters),
            "warning_count": len(warnings),
            "can_change": request.user.has_perm("clusters.change_programme", programme),
            "can_see_engagement": request.user.has_perm(
                "meetings.view_programme_engagement", programme
            ),
        },
    )


def programme_history(request, pk):
    programme = access_programme(request.user, pk)
    return history_page(
        request,
        obj=programme,
        title=programme.name,
        back_url=reverse("programme_detail", args=[programme.pk]),
    )


def cluster_create(request, pk):
    programme = access_programme(request.user, pk, for_write=True)
    form = ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.cluster_create(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Cluster “{cluster.name}” created.")
            return redirect("cluster_detail", pk=cluster.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "clusters/cluster_form.html",
        {"form": form, "programme": programme, "cluster": None},
        status=status,
    )


# ----- clusters ------------------------------------------------------------------------------

CLUSTERS_PER_PAGE = 100


def cluster_list(request):
    programmes = selectors.programmes_visible_to(request.user).order_by("name")
    form = ClusterFilterForm(request.GET or None, programmes=programmes)
    # An invalid filter (e.g. a cluster the user cannot see) is dropped; the rest apply.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    clusters = selectors.cluster_list(
        request.user,
        programme=filters.get("programme"),
        kind=filters.get("kind") or "",
        search=filters.get("q") or "",
    )
    page = Paginator(clusters, CLUSTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request, "clusters/cluster_list.html", {"form": form, "page_obj": page}, partial="results"
    )


def _as_of(request) -> dt.date | None:
    form = AsOfForm(request.GET or None)
    return form.cleaned_data.get("on") if form.is_valid() else None


def _move_targets(user, cluster: Cluster):
    """Other active clusters of the same programme that the user may change."""
    scope = scope_for(user)
    targets = (
        Cluster.objects.active().filter(programme_id=cluster.programme_id).exclude(pk=cluster.pk)
    )
    if not scope.can_change_programme(cluster.programme):
        targets = targets.filter(pk__in=scope.clusters_write)
    return targets.order_by("name")


def _cluster_context(request, cluster: Cluster, *, on=None, **overrides) -> dict:
    today = timezone.localdate()
    day = on or today
    members = selectors.cluster_members(cluster, on=day)
    can_change = (
        request.user.has_perm("clusters.change_cluster", cluster) and not cluster.is_archived
    )
    failed_pk = overrides.pop("failed_pk", None)
    for member in members:
        member.row_errors = overrides.get("row_errors", []) if member.pk == failed_pk else []
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
    context = {
        "cluster": cluster,
        "programme": cluster.programme,
        "members": members,
        "on": on,
        "today": today,
        "size": selectors.size_check(cluster, size=len(members)),
        "points": points,
        "can_change": can_change and day == today,
        "can_manage": request.user.has_perm("clusters.change_cluster", cluster),
        "can_see_engagement": request.user.has_perm("meetings.view_engagement", cluster),
        "add_form": AddMemberForm(),
        "archive_form": ArchiveForm(),
        "row_form": EndMembershipForm(),
        "move_targets": list(_move_targets(request.user, cluster)) if can_change else [],
    }
    context.update(overrides)
    return context


def cluster_detail(request, pk):
    cluster = access_cluster(request.user, pk)
    on = _as_of(request)
    context = _cluster_context(request, cluster, on=on)
    context.update(
        {
            "coordinators": selectors.cluster_coordinators(cluster),
            "people": selectors.cluster_people(cluster),
            "past_members": [
                m for m in selectors.cluster_membership_history(cluster) if m.end is not None
            ],
            "as_of_form": AsOfForm(request.GET or None),
        }
    )
    return render_page(request, "clusters/cluster_detail.html", context, partial="members")


def _members_response(request, cluster, *, status=200, **overrides):
    """After a membership change: the members region for htmx, else the whole page."""
    if is_htmx(request):
        context = _cluster_context(request, cluster, **overrides)
        return render(request, "clusters/cluster_detail.html#members", context, status=200)
    if status < 300:
        return redirect("cluster_detail", pk=cluster.pk)
    context = _cluster_context(request, cluster, **overrides)
    context.update(
        {
            "coordinators": selectors.cluster_coordinators(cluster),
            "people": selectors.cluster_people(cluster),
            "past_members": [m for m in selectors.cluster_membership_history(cluster) if m.end],
            "as_of_form": AsOfForm(),
        }
    )
    return render(request, "clusters/cluster_detail.html", context, status=status)


def _report_size(request, check) -> None:
    if not check.ok:
        messages.warning(request, check.message)


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


def cluster_edit(request, pk):
    cluster = access_cluster(request.user, pk, for_write=True)
    form = ClusterForm(request.POST or None, initial=ClusterForm.initial_for(cluster))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            if changes:
                services.cluster_update(actor=request.user, cluster=cluster, **changes)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Cluster saved." if changes else "Nothing to change.")
            return redirect("cluster_detail", pk=cluster.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "clusters/cluster_form.html",
        {"form": form, "programme": cluster.programme, "cluster": cluster},
        status=status,
    )


@require_POST
def cluster_archive(request, pk):
    cluster = access_cluster(request.user, pk, for_write=True)
    form = ArchiveForm(request.POST)
    if form.is_valid():
        try:
            services.cluster_archive(
                actor=request.user,
                cluster=cluster,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{cluster.name} is archived; its memberships have ended.")
            return redirect("cluster_detail", pk=cluster.pk)
    return _members_response(request, cluster, status=400, archive_form=form)


@require_POST
def cluster_restore(request, pk):
    cluster = access_cluster(request.user, pk, for_write=True)
    try:
        services.cluster_restore(actor=request.user, cluster=cluster)
    except ServiceError as error:
        return _members_response(request, cluster, status=400, restore_errors=error.messages)
    messages.success(request, f"{cluster.name} is restored. Add its member schools again.")
    return redirect("cluster_detail", pk=cluster.pk)


@require_POST
def member_add(request, pk):
    cluster = access_cluster(request.user, pk, for_write=True)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        school = form.cleaned_data["school"]
        try:
            _, check = services.membership_add(
                actor=request.user,
                cluster=cluster,
                school=school,
                start=form.cleaned_data["start"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{school.name} added to {cluster.name}.")
            _report_size(request, check)
            return _members_response(request, cluster)
    return _members_response(request, cluster, status=400, add_form=form)


def _membership_of(request, cluster, mpk):
    membership = access_membership(request.user, mpk, for_write=True)
    if membership.cluster_id != cluster.pk:
        from django.http import Http404

        raise Http404("No such membership in this cluster.")
    return membership


@require_POST
def member_end(request, pk, mpk):
    cluster = access_cluster(request.user, pk, for_write=True)
    membership = _membership_of(request, cluster, mpk)
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            _, check = services.membership_end(
                actor=request.user,
                membership=membership,
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{membership.school.name} leaves {cluster.name} on "
                f"{form.cleaned_data['end']:%-d %b %Y}.",
            )
            _report_size(request, check)
            return _members_response(request, cluster)
    return _members_response(
        request, cluster, status=400, failed_pk=membership.pk, row_errors=_errors_of(form)
    )


@require_POST
def member_move(request, pk, mpk):
    cluster = access_cluster(request.user, pk, for_write=True)
    membership = _membership_of(request, cluster, mpk)
    form = MoveForm(request.POST, targets=_move_targets(request.user, cluster))
    if form.is_valid():
        target = access_cluster(request.user, form.cleaned_data["to_cluster"].pk, for_write=True)
        try:
            services.membership_move(
                actor=request.user,
                school=membership.school,
                to_cluster=target,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"{membership.school.name} moves to {target.name} on "
                f"{form.cleaned_data['on']:%-d %b %Y}.",
            )
            _report_size(request, selectors.size_check(cluster))
            return _members_response(request, cluster)
    return _members_response(
        request, cluster, status=400, failed_pk=membership.pk, row_errors=_errors_of(form)
    )


def _errors_of(form) -> list[str]:
    errors = []
    for field, messages_ in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        errors += [f"{label}: {m}" if label else m for m in messages_]
    return errors


def member_search(request, pk):
    """Typeahead for the add-member form: schools by name or URN, not already members."""
    cluster = access_cluster(request.user, pk, for_write=True)
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
