"""People pages: the people the user may see, a person's dated roles, API tokens."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse

from clusterwork.core.views import (
    EmptyForm,
    ObjectDetailView,
    ObjectHistoryView,
    ScopedListView,
    ServiceFormView,
    related_entries,
)

from . import forms, selectors, services
from .access import access_person, access_role_to_end
from .models import ApiToken

PEOPLE_PER_PAGE = 50


class PersonList(ScopedListView):
    template_name = "people/person_list.html"
    title = "People"
    filter_form_class = forms.PersonFilterForm
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


def _person_page(view, *, refused=None, refused_role=None) -> dict:
    """What the person page shows: their roles that the user may see, with the forms to give
    and end roles for those who may; a refused end form comes back in its role's row."""
    user, person = view.request.user, view.object
    can_change = user.has_perm("people.change_person", person)
    roles = selectors.person_roles(user, person)
    for role in roles:
        role.may_end = (
            can_change and role.end is None and user.has_perm("people.assign_role", role.scope)
        )
        role.end_form = (
            refused if role.pk == refused_role else forms.RoleEndForm(auto_id=f"id_%s_{role.pk}")
        )
    assign_form = forms.RoleAssignForm(user=user, person=person) if can_change else None
    return {"roles": roles, "can_change": can_change, "assign_form": assign_form}


class PersonDetail(ObjectDetailView):
    access = access_person
    template_name = "people/person_detail.html"

    def page_context(self):
        return _person_page(self)


class PersonHistory(ObjectHistoryView):
    """The person's changes and those of the roles the reader may see."""

    access = access_person

    def related(self):
        records = selectors.role_history(self.request.user, self.object)
        return related_entries(records, lambda r: f"role {r.get_role_display().lower()}")


class _PersonPageForm(ServiceFormView):
    """A form posted from the person page; refused, the page comes back with it."""

    http_method_names = ["post"]
    access = access_person
    permission = "people.change_person"
    template_name = "people/person_detail.html"

    def page_context(self, **bound):
        return _person_page(self)


class RoleAssign(_PersonPageForm):
    form_class = forms.RoleAssignForm
    form_name = "assign_form"
    service = services.role_assign

    def get_form_kwargs(self):
        return {"user": self.request.user, "person": self.object}

    def get_success_message(self, role):
        return f"{self.object.full_name} is now {role.get_role_display().lower()} for {role.scope}."


class RoleEnd(_PersonPageForm):
    form_class = forms.RoleEndForm
    success_message = "The role is ended."

    def get_object(self, *, perm, lock):
        person = super().get_object(perm=perm, lock=lock)
        self.assignment = access_role_to_end(self.request.user, person, self.kwargs["rpk"])
        return person

    def perform(self, form):
        return services.role_end(
            actor=self.request.user, assignment=self.assignment, **form.cleaned_data
        )

    def page_context(self, form):
        return _person_page(self, refused=form, refused_role=self.assignment.pk)


class _TokenPage(ServiceFormView):
    """The user's own API tokens (nobody else's, not even a superuser's)."""

    form_class = forms.TokenForm
    template_name = "people/token_list.html"
    title = "Your API tokens"
    lede = (
        "A token lets a script or spreadsheet use the API as you, seeing exactly what you can see."
    )
    submit_label = "Create token"

    def get_object(self, *, perm, lock):
        return self.request.user

    def page_context(self, **bound):
        return {"tokens": ApiToken.objects.filter(user=self.request.user).order_by("-created_at")}

    def render(self, form, **extra):
        response = super().render(form, **extra)
        response["Cache-Control"] = "no-store"  # a new key is on it, shown once
        return response


class TokenList(_TokenPage):
    def perform(self, form):
        return services.token_create(user=self.request.user, name=form.cleaned_data["name"])

    def succeeded(self, result):
        return self.render(self.get_form(), new_key=result[1])


class TokenRevoke(_TokenPage):
    http_method_names = ["post"]
    form_class = EmptyForm
    success_message = "Token “{result.name}” revoked; it no longer works."

    def perform(self, form):
        token = get_object_or_404(ApiToken, pk=self.kwargs["pk"], user=self.request.user)
        return services.token_revoke(user=self.request.user, token=token)

    def get_success_url(self, token):
        return reverse("token_list")
