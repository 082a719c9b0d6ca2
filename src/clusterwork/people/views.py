"""People pages: the people the user may see, a person's dated roles, API tokens."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View

from clusterwork.core.access import require_perm
from clusterwork.core.views import (
    EmptyForm,
    ObjectDetailView,
    ObjectHistoryView,
    ScopedListView,
    ServiceFormView,
    related_entries,
)

from . import forms, selectors, services
from .access import access_person
from .models import ApiToken, RoleAssignment

PEOPLE_PER_PAGE = 50


class PersonList(ScopedListView):
    template_name = "people/person_list.html"
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
        records = (
            RoleAssignment.history.filter(person_id=self.object.pk)
            .filter(id__in=selectors.roles_visible_to(self.request.user).values("pk"))
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:500]
        )
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
        return _person_page(self, refused=form, refused_role=self.assignment.pk)


class _TokenPage(ServiceFormView):
    """The user's own API tokens (nobody else's, not even a superuser's)."""

    form_class = forms.TokenForm
    template_name = "people/token_list.html"
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


# ----- personal data rights ------------------------------------------------------------------


def _personal_data_page(view) -> dict:
    from clusterwork.core import personal_data

    from .models import PersonalDataRequest

    user, person = view.request.user, view.object
    return {
        "entries": personal_data.entries(),
        "requests": PersonalDataRequest.objects.filter(person=person).select_related(
            "requested_by"
        )[:50],
        "may_erase": user.has_perm("people.erase_personal_data", person),
        "erase_form": forms.PersonalDataEraseForm(person=person),
        "export_form": forms.PersonalDataExportForm(),
    }


def personal_data_csv(data: dict[str, list[dict]]) -> str:
    """One line per value: part, record, row, field, value (every app's rows have their own
    columns, so a long table is the one shape that holds them all)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["part", "record", "row", "field", "value"])
    for part, rows in data.items():
        for number, row in enumerate(rows, start=1):
            record = row.get("record", "")
            for name, value in row.items():
                if name != "record":
                    text = "" if value is None else str(value)
                    if text.startswith(("=", "+", "-", "@")):
                        text = "'" + text  # never a formula in a spreadsheet
                    writer.writerow([part, record, number, name, text])
    return "\ufeff" + out.getvalue()


class PersonalDataExport(ServiceFormView):
    """The person's personal data page; its form downloads everything held about them (a
    subject access request) as JSON or CSV, and logs the request."""

    access = access_person
    permission = "people.export_personal_data"
    form_class = forms.PersonalDataExportForm
    form_name = "export_form"
    template_name = "people/personal_data.html"

    def page_context(self, **bound):
        return _personal_data_page(self)

    def perform(self, form):
        return services.personal_data_export(
            actor=self.request.user, person=self.object, reason=form.cleaned_data["reason"]
        )

    def succeeded(self, data):
        import json

        from django.http import HttpResponse
        from django.utils import timezone

        fmt = "csv" if self.request.POST.get("format") == "csv" else "json"
        stem = f"personal-data-person-{self.object.pk}-{timezone.localdate():%Y-%m-%d}"
        if fmt == "csv":
            response = HttpResponse(personal_data_csv(data), content_type="text/csv")
        else:
            body = json.dumps(
                {"person": self.object.pk, "exported_at": timezone.now().isoformat(), "data": data},
                indent=2,
                ensure_ascii=False,
            )
            response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response


class PersonalDataErase(ServiceFormView):
    http_method_names = ["post"]
    access = access_person
    permission = "people.erase_personal_data"
    form_class = forms.PersonalDataEraseForm
    form_name = "erase_form"
    template_name = "people/personal_data.html"

    def get_form_kwargs(self):
        return {"person": self.object}

    def page_context(self, **bound):
        return _personal_data_page(self)

    def perform(self, form):
        return services.personal_data_erase(
            actor=self.request.user, person=self.object, reason=form.cleaned_data["reason"]
        )

    def succeeded(self, log):
        from django.contrib import messages
        from django.shortcuts import redirect

        if log.outcome == log.Outcome.REFUSED:
            messages.error(self.request, f"Erasure refused: {log.detail}")
        else:
            messages.success(self.request, f"Personal data erased: {log.detail}")
        return redirect("person_personal_data", pk=self.object.pk)


class PersonalDataRequestList(ScopedListView):
    """The request log: all of it for a superuser (the data protection officer); for anyone
    else the requests they made or that were about them."""

    template_name = "people/personal_data_requests.html"
    filter_form_class = forms.PersonalDataRequestFilterForm
    export_filename = "personal-data-requests"
    export_columns = (
        ("When", "requested_at"),
        ("Kind", "get_kind_display"),
        ("Outcome", "get_outcome_display"),
        ("Person (id)", "person_id"),
        ("Person", "person.full_name"),
        ("Requested by", "requested_by.email"),
        ("Reason", "reason"),
        ("Detail", "detail"),
    )

    def get_queryset(self, filters):
        return selectors.personal_data_requests(self.request.user, kind=filters.get("kind") or "")


class PersonalDataDpia(View):
    """What Clusterwork stores about people, where and why: the helper for a trust's data
    protection impact assessment, built from what every app registers."""

    def get(self, request):
        from django.conf import settings
        from django.shortcuts import render

        from clusterwork.core import personal_data

        return render(
            request,
            "people/dpia.html",
            {
                "entries": personal_data.entries(),
                "role_retention_days": settings.PERSONAL_DATA_ROLE_RETENTION_DAYS,
                "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            },
        )


# ----- the audit trail -------------------------------------------------------------------------


class AuditLog(ScopedListView):
    """Who changed what, when and why, with sign-ins: everything a superuser may see, or what
    a trust or programme admin runs. Anyone else is refused (403)."""

    template_name = "people/audit.html"
    filter_form_class = forms.AuditFilterForm
    export_filename = "audit"
    export_columns = (
        ("When", "when"),
        ("Who", "who"),
        ("Part", "app"),
        ("Kind of record", "what"),
        ("Record id", "object_id"),
        ("Record", "object_label"),
        ("Action", "action"),
        ("Changes", "changes_text"),
        ("Reason", "reason"),
    )

    def get(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        from .audit import audit_scope

        if not audit_scope(request.user).any:
            raise PermissionDenied("The audit trail is for trust and programme admins.")
        return super().get(request, *args, **kwargs)

    def get_queryset(self, filters):
        from .audit import AuditTrail

        self.trail = AuditTrail(
            self.request.user,
            who=filters.get("who") or "",
            app=filters.get("app") or "",
            model=filters.get("model") or "",
            object_id=filters.get("object_id"),
            since=filters.get("since"),
            until=filters.get("until"),
        )
        return self.trail

    def get_export_rows(self, queryset):
        return iter(queryset)

    def get_context_data(self, **context):
        from .audit import MAX_ROWS

        return {**context, "truncated": self.trail.truncated, "max_rows": MAX_ROWS}
