from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from clusterwork.core.widgets import DateInput, FastSelect

from . import role_scopes
from .models import Role


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *Role.choices])


class RoleAssignForm(forms.Form):
    """The role's scope is picked from what ``user`` may appoint for (``role_scopes``), or,
    for a school not listed, given by URN. ``cleaned_data`` holds the role's fields and the
    scope under its kind (``cluster=…``), as ``services.role_assign`` takes them."""

    role = forms.ChoiceField(choices=Role.choices)
    scope = forms.ChoiceField(
        label="For",
        widget=FastSelect,
        error_messages={"required": "Choose what the role is for, or give a school's URN."},
    )
    school_urn = forms.CharField(
        label="Or a school by URN",
        max_length=20,
        required=False,
        help_text="For a school that is not in the list above.",
    )
    start = forms.DateField(widget=DateInput, initial=timezone.localdate)
    end = forms.DateField(widget=DateInput, required=False)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["scope"].choices = [("", "Choose…"), *role_scopes.grouped_choices(user, person)]
        # one of the two is needed: the list, unless a URN is given instead
        self.fields["scope"].required = not (self.data.get("school_urn") or "").strip()

    def clean(self):
        data = super().clean()
        picked, urn = data.pop("scope", ""), (data.pop("school_urn", "") or "").strip()
        if picked and urn:
            raise forms.ValidationError("Choose from the list or give a URN, not both.")
        if not (picked or urn):
            return data
        kind, ident = ("school", urn) if urn else picked.split(":", 1)
        try:
            scope = role_scopes.find(self.user, kind, ident)
        except Http404:
            raise forms.ValidationError(
                {"school_urn": f"There is no {kind} “{ident}” that you can see."}
            ) from None
        if not self.user.has_perm("people.assign_role", scope):
            raise PermissionDenied("You may not appoint people for that.")
        data[kind] = scope
        return data


class RoleEndForm(forms.Form):
    end = forms.DateField(label="End date", widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(max_length=300, required=False)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. “Reporting spreadsheet”")


class PersonalDataExportForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason or request reference",
        initial="Subject access request",
        help_text="Recorded in the request log, e.g. 'SAR 2026-014 by email on 3 March'.",
    )


class PersonalDataEraseForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason or request reference",
        help_text="Recorded in the request log, e.g. 'Erasure request 2026-015'.",
    )
    confirm = forms.CharField(
        max_length=150,
        label="Type the person's full name to confirm",
        help_text="Their name, email and job title are replaced everywhere, for good.",
    )

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm(self):
        typed = self.cleaned_data["confirm"].strip()
        if self.person is not None and typed.casefold() != self.person.full_name.casefold():
            raise forms.ValidationError(f"Type “{self.person.full_name}” exactly to confirm.")
        return typed


class PersonalDataRequestFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", "Any request")], label="Kind of request")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import PersonalDataRequest

        self.fields["kind"].choices = [("", "Any request"), *PersonalDataRequest.Kind.choices]


class AuditFilterForm(forms.Form):
    who = forms.CharField(
        label="Who (name or email)",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    app = forms.ChoiceField(label="Part of Clusterwork", required=False)
    model = forms.ChoiceField(label="Kind of record", required=False)
    object_id = forms.IntegerField(label="Record id", required=False, min_value=1, max_value=2**62)
    since = forms.DateField(label="From", required=False, widget=DateInput)
    until = forms.DateField(label="Until", required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .audit import audit_app_choices, audit_model_choices

        self.fields["app"].choices = [("", "Everything"), *audit_app_choices()]
        self.fields["model"].choices = [("", "Any kind"), *audit_model_choices()]
