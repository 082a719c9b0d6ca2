from django import forms
from django.utils import timezone

from .models import Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # <input type="date"> only accepts ISO dates, whatever the site's locale.
        super().__init__(attrs, format="%Y-%m-%d")


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *Role.choices])


SCOPE_CHOICES = [
    ("cluster", "Cluster"),
    ("programme", "Programme"),
    ("trust", "Trust"),
    ("school", "School"),
]


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    scope_kind = forms.ChoiceField(label="For a", choices=SCOPE_CHOICES)
    scope_id = forms.CharField(
        label="Which one",
        max_length=20,
        help_text="A cluster or programme number, a trust number, or a school URN.",
    )
    start = forms.DateField(widget=DateInput, initial=timezone.localdate)
    end = forms.DateField(widget=DateInput, required=False)
    note = forms.CharField(max_length=300, required=False)


class RoleEndForm(forms.Form):
    end = forms.DateField(label="End date", widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(max_length=300, required=False)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="e.g. “Reporting spreadsheet”")
