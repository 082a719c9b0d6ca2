from django import forms

from clusterwork.core.widgets import DateInput

from .models import Achievement, Goal, Project


class VisionForm(forms.Form):
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Shared vision")
    agreed_on = forms.DateField(required=False, widget=DateInput, label="Agreed on")


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    horizon = forms.ChoiceField(choices=Goal.Horizon.choices)
    ambition = forms.ChoiceField(choices=Goal.Ambition.choices)
    owner = forms.ModelChoiceField(queryset=None, required=False)
    target_date = forms.DateField(required=False, widget=DateInput)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ProgressForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What has happened")
    status = forms.ChoiceField(choices=Goal.Status.choices)
    on = forms.DateField(required=False, widget=DateInput, help_text="Defaults to today.")


class ProjectForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Project.Kind.choices)
    partner_kind = forms.ChoiceField(
        choices=Project.Partner.choices, required=False, label="Partner (outreach)"
    )
    partner_name = forms.CharField(max_length=200, required=False, label="Partner's name")
    resource = forms.CharField(max_length=200, required=False, label="Programme resource used")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    schools = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Participating schools",
    )
    lead = forms.ModelChoiceField(queryset=None, required=False)
    goal = forms.ModelChoiceField(queryset=None, required=False, label="Serves goal")
    starts_on = forms.DateField(required=False, widget=DateInput)
    ends_on = forms.DateField(required=False, widget=DateInput)

    def __init__(self, *args, schools, people, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.fields["lead"].queryset = people
        self.fields["goal"].queryset = goals


class ProjectStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Project.Status.choices)
    outcomes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AchievementForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. PSQM Gilt, Royal Society grant")
    kind = forms.ChoiceField(choices=Achievement.Kind.choices)
    on = forms.DateField(widget=DateInput, label="Date")
    school = forms.ModelChoiceField(queryset=None, required=False)
    person = forms.ModelChoiceField(queryset=None, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    amount = forms.DecimalField(
        required=False, min_value=0, decimal_places=2, max_digits=10, label="Amount (£, grants)"
    )

    def __init__(self, *args, schools, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        # Money is kept in whole pence; the form takes pounds and pence.
        amount = data.pop("amount", None)
        data["amount_pence"] = int(amount * 100) if amount is not None else None
        return data
