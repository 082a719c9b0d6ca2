from decimal import Decimal

from django import forms

from clusterwork.core.widgets import DateInput

from .models import Deployment, Method, SharedService


class PoundsField(forms.DecimalField):
    """Pounds and pence typed in; the form's cleaned value is whole pence (an int)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)

    def clean(self, value):
        pounds = super().clean(value)
        return None if pounds is None else int(pounds * 100)


class ServiceForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=SharedService.Kind.choices)
    provider = forms.ChoiceField(choices=SharedService.Provider.choices)
    provider_school = forms.ModelChoiceField(
        queryset=None, required=False, help_text="When a school provides it."
    )
    provider_name = forms.CharField(
        max_length=150, required=False, help_text="When an external provider does."
    )
    annual_cost_pence = PoundsField(label="Annual cost (£)")
    method = forms.ChoiceField(choices=Method.choices, label="Shared")
    census_date = forms.DateField(
        widget=DateInput, required=False, help_text="For a split by pupils: the census date."
    )
    start = forms.DateField(widget=DateInput, label="From")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_school"].queryset = schools


class TermsForm(forms.Form):
    start = forms.DateField(widget=DateInput, label="From")
    annual_cost_pence = PoundsField(label="Annual cost (£)")
    method = forms.ChoiceField(choices=Method.choices, label="Shared")
    census_date = forms.DateField(widget=DateInput, required=False)
    reason = forms.CharField(max_length=300)


class PercentagesForm(forms.Form):
    """One percentage per academy in the service today."""

    def __init__(self, *args, schools, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for school in schools:
            self.fields[f"school_{school.pk}"] = forms.DecimalField(
                label=f"{school.name} (%)",
                max_digits=6,
                decimal_places=3,
                min_value=0,
                max_value=100,
                initial=current.get(school.pk),
            )

    def clean(self):
        data = super().clean()
        shares = {
            int(name.removeprefix("school_")): value
            for name, value in data.items()
            if name.startswith("school_") and value is not None
        }
        return {"percentages": shares}


class HoursForm(forms.Form):
    school = forms.ModelChoiceField(queryset=None)
    year = forms.TypedChoiceField(coerce=int, choices=())
    hours = forms.DecimalField(max_digits=8, decimal_places=2, min_value=0)

    def __init__(self, *args, schools, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["year"].choices = years


class EndForm(forms.Form):
    end = forms.DateField(widget=DateInput, label="First day without the service")
    reason = forms.CharField(max_length=300)


class DeploymentForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label="Teacher")
    home_school = forms.ModelChoiceField(queryset=None)
    host_school = forms.ModelChoiceField(queryset=None)
    purpose = forms.ChoiceField(choices=Deployment.Purpose.choices)
    start = forms.DateField(widget=DateInput, label="From")
    end = forms.DateField(widget=DateInput, label="Until (first day back)")
    session = forms.ChoiceField(choices=Deployment.Session.choices)
    weekday = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "Every weekday"), *Deployment.WEEKDAYS],
    )
    day_rate_pence = PoundsField(label="Day rate (£)")
    on_cost_percent = forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=Decimal("0"),
        label="On-cost (%)",
        help_text="Employer's pension and National Insurance, as agreed.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, people, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["home_school"].queryset = schools
        self.fields["host_school"].queryset = schools


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300)
