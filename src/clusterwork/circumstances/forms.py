from django import forms

from clusterwork.core.widgets import DateInput

from .models import Circumstance, StaffChange


class CircumstanceForm(forms.Form):
    kind = forms.ChoiceField(choices=Circumstance.Kind.choices)
    title = forms.CharField(max_length=200)
    school = forms.ModelChoiceField(queryset=None, required=False)
    trust = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Only when a school joined a trust."
    )
    occurred_on = forms.DateField(widget=DateInput, label="When")
    impact = forms.ChoiceField(choices=Circumstance.Impact.choices, initial="medium")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="How the cluster will respond",
    )
    review_on = forms.DateField(widget=DateInput, required=False, label="Review on")

    def __init__(self, *args, schools, trusts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["trust"].queryset = trusts


class StaffChangeForm(forms.Form):
    assignment = forms.ModelChoiceField(queryset=None, label="Who and which role")
    kind = forms.ChoiceField(choices=StaffChange.Kind.choices)
    starts_on = forms.DateField(widget=DateInput, label="From")
    ends_on = forms.DateField(
        widget=DateInput, required=False, label="Until", help_text="For cover and sabbaticals."
    )
    review_on = forms.DateField(widget=DateInput, required=False, label="Review on")
    replacement = forms.ModelChoiceField(
        queryset=None, required=False, label="Replacement (someone already known)"
    )
    new_name = forms.CharField(max_length=150, required=False, label="…or a new person: name")
    new_email = forms.EmailField(required=False, label="New person's email")
    handover_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, assignments, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments
        self.fields["assignment"].label_from_instance = lambda a: (
            f"{a.person} — {a.get_role_display()}{' at ' + a.school.name if a.school else ''}"
        )
        self.fields["replacement"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("replacement") and data.get("new_name"):
            raise forms.ValidationError("Choose a known person or name a new one, not both.")
        data["new_email"] = data.get("new_email") or ""
        return data
