from django import forms
from django.utils import timezone

from clusterwork.core.widgets import DateInput, FastSelect

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
    """The scope is picked from what the user may appoint for (``scopes``, grouped choices
    from ``selectors.appointable_scopes``), or, for a school not listed, given by URN.
    ``cleaned_data`` then holds ``scope_kind`` and ``scope_id`` for the view to resolve."""

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

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "Choose…"), *scopes]
        # one of the two is needed: the list, unless a URN is given instead
        self.fields["scope"].required = not (self.data.get("school_urn") or "").strip()

    def clean(self):
        data = super().clean()
        picked, urn = data.get("scope"), (data.get("school_urn") or "").strip()
        if picked and urn:
            raise forms.ValidationError("Choose from the list or give a URN, not both.")
        if urn:
            data["scope_kind"], data["scope_id"] = "school", urn
        elif picked:
            data["scope_kind"], data["scope_id"] = picked.split(":", 1)
        return data


class RoleEndForm(forms.Form):
    end = forms.DateField(label="End date", widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(max_length=300, required=False)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. “Reporting spreadsheet”")
