from django import forms

from clusterwork.core.widgets import FastSelect, SearchField

from .models import Phase, School


class SchoolByUrnField(forms.IntegerField):
    """A school chosen by URN (the typeahead fills it in; typing a URN works without JS)."""

    def clean(self, value):
        urn = super().clean(value)
        if urn is None:
            return None
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise forms.ValidationError(f"There is no school with URN {urn}.")
        return school


class SchoolFilterForm(forms.Form):
    q = SearchField(help_text="Name, URN, town or postcode")
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
