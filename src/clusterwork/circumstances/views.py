"""A cluster's changes in circumstances, staff turnover and role history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone

from clusterwork.clusters.access import access_cluster
from clusterwork.clusters.selectors import current_member_schools
from clusterwork.core.htmx import add_service_error
from clusterwork.people import services as people_services
from clusterwork.people.models import Person, RoleAssignment
from clusterwork.schools.models import Trust

from . import services
from .forms import CircumstanceForm, StaffChangeForm
from .selectors import cluster_changes, role_history


def _require_change(user, cluster):
    if not user.has_perm("clusters.change_cluster", cluster):
        raise PermissionDenied("You may see this but not change it.")


def changes(request, pk):
    cluster = access_cluster(request.user, pk)
    can_change = request.user.has_perm("clusters.change_cluster", cluster)
    form = CircumstanceForm(
        request.POST or None,
        schools=current_member_schools(cluster),
        trusts=Trust.objects.filter(archived_at__isnull=True).order_by("name"),
        initial={"occurred_on": timezone.localdate()},
    )
    if request.method == "POST":
        _require_change(request.user, cluster)
        if form.is_valid():
            try:
                services.circumstance_record(
                    actor=request.user, cluster=cluster, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, "Change recorded.")
                return redirect("cluster_changes", pk=cluster.pk)
    return render(
        request,
        "circumstances/changes.html",
        {
            "cluster": cluster,
            "can_change": can_change,
            "form": form,
            "roles": role_history(cluster),
            "today": timezone.localdate(),
            **cluster_changes(cluster),
        },
    )


def staff_change(request, pk):
    cluster = access_cluster(request.user, pk)
    _require_change(request.user, cluster)
    schools = current_member_schools(cluster)
    assignments = (
        RoleAssignment.objects.current()
        .filter(Q(cluster=cluster) | Q(school__in=schools))
        .select_related("person", "school")
        .order_by("school__name", "role")
    )
    people = (
        Person.objects.filter(
            Q(school__in=schools) | Q(roles__cluster=cluster), archived_at__isnull=True
        )
        .distinct()
        .order_by("full_name")
    )
    form = StaffChangeForm(
        request.POST or None,
        assignments=assignments,
        people=people,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                replacement = data["replacement"]
                if data["new_name"]:
                    replacement = people_services.person_create(
                        actor=request.user,
                        full_name=data["new_name"],
                        email=data["new_email"] or "",
                        school=data["assignment"].school,
                    )
                change = services.staff_change_record(
                    actor=request.user,
                    cluster=cluster,
                    assignment=data["assignment"],
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    review_on=data["review_on"],
                    replacement=replacement,
                    handover_notes=data["handover_notes"],
                )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            moved = (
                f" {change.actions_moved} open actions moved to {change.replacement}."
                if change.actions_moved
                else ""
            )
            messages.success(request, f"Staff change recorded.{moved}")
            return redirect("cluster_changes", pk=cluster.pk)
    return render(request, "circumstances/staff_change.html", {"cluster": cluster, "form": form})
