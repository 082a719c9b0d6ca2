from django import forms

from clusterwork.core.widgets import FastSelect

from .models import Phase


class SchoolFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Name, URN, town or postcode",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    phase = forms.ChoiceField(
        label="Phase",
        required=False,
        choices=[("", "Any phase"), *Phase.choices],
        widget=FastSelect,
    )
    la = forms.ModelChoiceField(
        label="Local authority",
        required=False,
        queryset=None,
        empty_label="Any",
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label="Open or closed",
        required=False,
        widget=FastSelect,
        choices=[("", "Open and closed"), ("open", "Open"), ("closed", "Closed")],
    )
    trust = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, la_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].queryset = la_queryset
