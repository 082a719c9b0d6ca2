"""People pages: the directory of people the user may see, a person's dated roles, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from clusterwork.core.errors import ServiceError
from clusterwork.core.htmx import add_service_error, render_page
from clusterwork.core.views import history_page, related_entries

from . import selectors, services
from .access import access_person
from .forms import PersonFilterForm, RoleAssignForm, RoleEndForm, TokenForm
from .models import ApiToken, Role, RoleAssignment
from .scopes import scope_for

PEOPLE_PER_PAGE = 50


def person_list(request):
    form = PersonFilterForm(request.GET or None)
    # An invalid filter (e.g. a cluster the user cannot see) is dropped; the rest apply.
    form.is_valid()
    filters = getattr(form, "cleaned_data", {})
    people = selectors.person_list(
        request.user, search=filters.get("q") or "", role=filters.get("role") or ""
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request, "people/person_list.html", {"form": form, "page_obj": page}, partial="results"
    )


def _may_change_scope(user, scope_obj) -> bool:
    """May ``user`` appoint people to (or remove them from) a role for ``scope_obj``?"""
    from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
    from clusterwork.schools.models import School, Trust

    if isinstance(scope_obj, Cluster):
        return user.has_perm("clusters.change_cluster", scope_obj)
    if isinstance(scope_obj, Programme):
        return user.has_perm("clusters.change_programme", scope_obj)
    if isinstance(scope_obj, Trust):
        return user.has_perm("schools.change_trust", scope_obj)
    if isinstance(scope_obj, School):
        scope = scope_for(user)
        if scope.is_superuser:
            return True
        clusters = (
            ClusterMembership.objects.current()
            .filter(school=scope_obj)
            .select_related("cluster__programme")
        )
        return any(scope.can_change_cluster(m.cluster) for m in clusters)
    return False


def person_detail(request, pk, *, assign_form=None, end_errors=None, status=200):
    person = access_person(request.user, pk)
    roles = selectors.person_roles(person)
    can_change = request.user.has_perm("people.change_person", person)
    for role in roles:
        role.may_end = (
            can_change and role.end is None and _may_change_scope(request.user, role.scope)
        )
        role.end_errors = (end_errors or {}).get(role.pk, [])
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "roles": roles,
            "can_change": can_change,
            "assign_form": assign_form
            or (
                RoleAssignForm(scopes=selectors.appointable_scopes(request.user, person))
                if can_change
                else None
            ),
            "end_form": RoleEndForm(),
        },
        status=status,
    )


def person_history(request, pk):
    person = access_person(request.user, pk)
    records = (
        RoleAssignment.history.filter(person_id=person.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:500]
    )
    return history_page(
        request,
        obj=person,
        title=person.full_name,
        back_url=reverse("person_detail", args=[person.pk]),
        extra=related_entries(records, lambda r: f"role {r.get_role_display().lower()}"),
    )


def _resolve_scope(user, kind: str, ident: str):
    from clusterwork.clusters.access import access_cluster, access_programme
    from clusterwork.schools.access import access_school_by_urn, access_trust

    lookup = {
        "cluster": access_cluster,
        "programme": access_programme,
        "trust": access_trust,
        "school": access_school_by_urn,
    }[kind]
    return lookup(user, ident)


@require_POST
def role_assign(request, pk):
    person = access_person(request.user, pk, for_write=True)
    form = RoleAssignForm(request.POST, scopes=selectors.appointable_scopes(request.user, person))
    if form.is_valid():
        data = form.cleaned_data
        try:
            scope_obj = _resolve_scope(request.user, data["scope_kind"], data["scope_id"])
        except Http404:
            form.add_error(
                "school_urn",
                f"There is no {data['scope_kind']} “{data['scope_id']}” that you can see.",
            )
        else:
            if not _may_change_scope(request.user, scope_obj):
                raise PermissionDenied("You may not appoint people for that.")
            try:
                services.role_assign(
                    actor=request.user,
                    person=person,
                    role=data["role"],
                    start=data["start"],
                    end=data["end"],
                    note=data["note"],
                    **{data["scope_kind"]: scope_obj},
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                role_name = Role(data["role"]).label.lower()
                messages.success(request, f"{person.full_name} is now {role_name} for {scope_obj}.")
                return redirect("person_detail", pk=person.pk)
    return person_detail(request, person.pk, assign_form=form, status=400)


@require_POST
def role_end(request, pk, rpk):
    person = access_person(request.user, pk, for_write=True)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("programme", "trust", "cluster", "school"),
        pk=rpk,
        person=person,
    )
    if not _may_change_scope(request.user, assignment.scope):
        raise PermissionDenied("You may not end roles for that.")
    form = RoleEndForm(request.POST)
    if form.is_valid():
        try:
            services.role_end(
                actor=request.user,
                assignment=assignment,
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The role is ended.")
            return redirect("person_detail", pk=person.pk)
    errors = [m for messages_ in form.errors.values() for m in messages_]
    return person_detail(request, person.pk, end_errors={assignment.pk: errors}, status=400)


def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, new_key = services.token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                form = TokenForm()
        if new_key is None:
            status = 400
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render(
        request,
        "people/token_list.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
        status=status,
    )
    # The key is shown once; no cache may keep the page.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        services.token_revoke(user=request.user, token=token)
        messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("token_list")
