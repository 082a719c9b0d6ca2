"""People pages: the people the user may see, a person's dated roles, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from clusterwork.core.access import require_perm
from clusterwork.core.errors import ServiceError
from clusterwork.core.views import (
    EmptyForm,
    ObjectDetailView,
    ScopedListView,
    ServiceFormView,
    history_page,
    related_entries,
)

from . import role_scopes, selectors, services
from .access import access_person
from .forms import PersonFilterForm, RoleAssignForm, RoleEndForm, TokenForm
from .models import ApiToken, RoleAssignment

PEOPLE_PER_PAGE = 50


class PersonList(ScopedListView):
    template_name = "people/person_list.html"
    filter_form_class = PersonFilterForm
    paginate_by = PEOPLE_PER_PAGE
    sortable = {"name": ("full_name", "id"), "school": ("school__name", "full_name")}
    export_filename = "people"
    export_columns = (
        ("Name", "full_name"),
        ("Email", "email"),
        ("Job title", "job_title"),
        ("School", "school.name"),
        ("School URN", "school.urn"),
        ("Current roles", lambda p: "; ".join(str(r) for r in p.current_roles)),
    )

    def get_queryset(self, filters):
        return selectors.person_list(
            self.request.user, search=filters.get("q") or "", role=filters.get("role") or ""
        )

    def get_export_rows(self, queryset):
        return queryset  # prefetched roles need the whole queryset, not an iterator


def _person_page(view, end_errors=None) -> dict:
    """What the person page shows: their roles that the user may see, with the forms to give
    and end roles for those who may."""
    user, person = view.request.user, view.object
    can_change = user.has_perm("people.change_person", person)
    roles = selectors.person_roles(user, person)
    for role in roles:
        role.may_end = (
            can_change and role.end is None and user.has_perm("people.assign_role", role.scope)
        )
        role.end_errors = (end_errors or {}).get(role.pk, [])
    assign_form = RoleAssignForm(scopes=role_scopes.grouped_choices(user, person))
    return {
        "person": person,
        "roles": roles,
        "can_change": can_change,
        "assign_form": assign_form if can_change else None,
    }


class PersonDetail(ObjectDetailView):
    access = access_person
    template_name = "people/person_detail.html"

    def page_context(self):
        return _person_page(self)


def person_history(request, pk):
    person = access_person(request.user, pk)
    records = (
        RoleAssignment.history.filter(person_id=person.pk)
        .filter(pk__in=selectors.roles_visible_to(request.user).values("pk"))
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


class _PersonPageForm(ServiceFormView):
    """A form posted from the person page; refused, the page comes back with it."""

    http_method_names = ["post"]
    access = access_person
    permission = "people.change_person"
    template_name = "people/person_detail.html"

    def page_context(self, **forms):
        return _person_page(self)


class RoleAssign(_PersonPageForm):
    form_class = RoleAssignForm
    form_name = "assign_form"

    def get_form_kwargs(self):
        return {"scopes": role_scopes.grouped_choices(self.request.user, self.object)}

    def perform(self, form):
        data, user = form.cleaned_data, self.request.user
        try:
            scope = role_scopes.find(user, data["scope_kind"], data["scope_id"])
        except Http404:
            raise ServiceError(
                f"There is no {data['scope_kind']} “{data['scope_id']}” that you can see.",
                field="school_urn",
            ) from None
        require_perm(user, "people.assign_role", scope, "You may not appoint people for that.")
        return services.role_assign(
            actor=user,
            person=self.object,
            **{data["scope_kind"]: scope},
            **{k: data[k] for k in ("role", "start", "end", "note")},
        )

    def get_success_message(self, role):
        return f"{self.object.full_name} is now {role.get_role_display().lower()} for {role.scope}."


class RoleEnd(_PersonPageForm):
    form_class = RoleEndForm
    success_message = "The role is ended."

    def get_object(self, *, perm, lock):
        person = super().get_object(perm=perm, lock=lock)
        self.assignment = get_object_or_404(
            RoleAssignment.objects.select_related(*selectors.ROLE_SCOPE_RELATIONS),
            pk=self.kwargs["rpk"],
            person=person,
        )
        require_perm(
            self.request.user,
            "people.assign_role",
            self.assignment.scope,
            "You may not end roles for that.",
        )
        return person

    def perform(self, form):
        return services.role_end(
            actor=self.request.user, assignment=self.assignment, **form.cleaned_data
        )

    def page_context(self, form):
        errors = [message for messages in form.errors.values() for message in messages]
        return _person_page(self, end_errors={self.assignment.pk: errors})


class TokenList(ServiceFormView):
    """The user's own API tokens; a new key is shown once, on the page that made it."""

    form_class = TokenForm
    template_name = "people/token_list.html"
    submit_label = "Create token"

    def get_object(self, *, perm, lock):
        return self.request.user

    def perform(self, form):
        return services.token_create(user=self.request.user, name=form.cleaned_data["name"])

    def succeeded(self, result):
        _, key = result
        return self.render(self.get_form(), new_key=key)

    def page_context(self, **forms):
        return {"tokens": ApiToken.objects.filter(user=self.request.user).order_by("-created_at")}

    def render(self, form, **extra):
        response = super().render(form, **extra)
        # The key is shown once; no cache may keep the page.
        response["Cache-Control"] = "no-store"
        return response


class TokenRevoke(ServiceFormView):
    http_method_names = ["post"]
    form_class = EmptyForm

    def get_object(self, *, perm, lock):
        return get_object_or_404(ApiToken, pk=self.kwargs["pk"], user=self.request.user)

    def perform(self, form):
        if self.object.revoked_at is None:
            services.token_revoke(user=self.request.user, token=self.object)
            return True
        return False

    def succeeded(self, revoked):
        if revoked:
            messages.success(
                self.request, f"Token “{self.object.name}” revoked; it no longer works."
            )
        return redirect("token_list")
