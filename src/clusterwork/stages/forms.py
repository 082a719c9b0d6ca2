import re

from django import forms

from clusterwork.core.widgets import DateInput
from clusterwork.schools.forms import SchoolByUrnField
from clusterwork.schools.models import School

from .models import ChecklistItem


class ApplicationForm(forms.Form):
    cluster_name = forms.CharField(max_length=150, label="Proposed cluster name")
    region = forms.CharField(max_length=120, required=False)
    aims = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Aims of the cluster")
    school_urns = forms.CharField(
        label="Schools (URNs)",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The URN of each applying school, separated by spaces, commas or new lines.",
    )
    lead_school_urn = SchoolByUrnField(
        label="Lead school URN",
        required=False,
        help_text="The school that will receive claims; one of the applying schools.",
    )
    coordinator_name = forms.CharField(max_length=150, label="Coordinator's name")
    coordinator_email = forms.EmailField(label="Coordinator's email")

    def clean_school_urns(self):
        raw = self.cleaned_data["school_urns"]
        tokens = [t for t in re.split(r"[\s,;]+", raw) if t]
        bad = [t for t in tokens if not t.isdigit()]
        if bad:
            raise forms.ValidationError(f"Not URNs (numbers): {', '.join(bad[:5])}.")
        urns = sorted({int(t) for t in tokens})
        schools = list(School.objects.filter(urn__in=urns))
        missing = sorted(set(urns) - {s.urn for s in schools})
        if missing:
            raise forms.ValidationError(
                f"No school with URN {', '.join(map(str, missing[:10]))} in the directory."
            )
        return schools

    def clean(self):
        # The inputs are URNs; the service takes the schools they name.
        data = super().clean()
        data["schools"] = data.pop("school_urns", [])
        data["lead_school"] = data.pop("lead_school_urn", None)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept — create the cluster"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Panel notes")

    def clean(self):
        data = super().clean()
        data["accept"] = data.pop("decision", None) == "accept"
        return data


class ChecklistItemForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=None)
    when = forms.ChoiceField(choices=ChecklistItem.When.choices)
    text = forms.CharField(max_length=200, label="What has to be done")

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages


class AdvanceForm(forms.Form):
    on = forms.DateField(
        required=False,
        label="Date",
        widget=DateInput(),
        help_text="Defaults to today.",
    )
    note = forms.CharField(max_length=300, required=False)


class StagePlaceForm(forms.Form):
    stage = forms.ModelChoiceField(
        queryset=None,
        label="Stage",
        error_messages={"invalid_choice": "Choose one of the programme's stages."},
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages


class ChecklistTickForm(forms.Form):
    done = forms.TypedChoiceField(choices=[("1", "done"), ("0", "not done")], coerce="1".__eq__)
    note = forms.CharField(max_length=300, required=False)
