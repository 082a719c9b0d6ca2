"""Input for the funding pages: money typed in pounds and pence becomes whole pence here."""

from django import forms
from django.utils import timezone

from clusterwork.core.uploads import EVIDENCE
from clusterwork.core.widgets import DateInput

from .models import Claim, FundingRules, Variation
from .money import parse_pounds


class PoundsField(forms.Field):
    """“125.50” or “£1,250” → 12550 / 125000 pence; fractions of a penny, negatives, words and
    absurd sums are refused with the reason."""

    widget = forms.TextInput

    def __init__(self, *args, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("help_text", "In pounds and pence, e.g. 125.50")
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str) and len(value) > 20:
            raise forms.ValidationError("That is not an amount of money, e.g. 125.50.")
        return parse_pounds(value, allow_zero=self.allow_zero)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value // 100}.{value % 100:02d}"
        return value


class ClaimForm(forms.Form):
    category = forms.ModelChoiceField(queryset=None, label="What it paid for")
    school = forms.ModelChoiceField(queryset=None, label="Claiming school", required=False)
    activity_on = forms.DateField(widget=DateInput, label="Date of the activity")
    description = forms.CharField(max_length=300)
    amount_pence = PoundsField(
        required=False, label="Amount (£)", help_text="For an invoice or receipt, e.g. 125.50"
    )
    unit = forms.ChoiceField(
        choices=Claim.Unit.choices,
        initial=Claim.Unit.AMOUNT,
        label="Counted as",
        help_text="Supply cover: whole or half days; the allowance: days, half days or hours.",
    )
    quantity = forms.DecimalField(
        required=False, min_value=0, max_digits=6, decimal_places=2, label="How many"
    )
    event = forms.ModelChoiceField(queryset=None, required=False, label="Meeting it paid for")
    project = forms.ModelChoiceField(queryset=None, required=False, label="Project it paid for")
    evidence = forms.FileField(
        required=False,
        validators=[EVIDENCE],
        label="Invoice or receipt",
        help_text="PDF, PNG or JPEG, up to 10 MB; needed to submit a claim for an amount.",
    )
    submit = forms.BooleanField(required=False, initial=True, label="Submit to the lead school now")

    def __init__(self, *args, categories, schools, events, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["school"].queryset = schools
        self.fields["event"].queryset = events
        self.fields["project"].queryset = projects
        self.fields["activity_on"].initial = timezone.localdate()


class EvidenceForm(forms.Form):
    evidence = forms.FileField(validators=[EVIDENCE], label="Invoice or receipt")


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PayForm(forms.Form):
    paid_on = forms.DateField(widget=DateInput, label="Paid on")
    reference = forms.CharField(max_length=100, label="Payment reference")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ReimburseForm(forms.Form):
    reimbursed_on = forms.DateField(widget=DateInput, label="Reimbursed on")
    reference = forms.CharField(max_length=100, required=False, label="Reference")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reimbursed_on"].initial = timezone.localdate()


class BudgetForm(forms.Form):
    """A year's budget: its dates, lead school, and an allocation per category (blank: no
    line)."""

    year = forms.IntegerField(min_value=1, max_value=10, label="Programme year")
    start = forms.DateField(widget=DateInput)
    end = forms.DateField(widget=DateInput, help_text="The first day after the year.")
    lead_school = forms.ModelChoiceField(queryset=None, required=False)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, schools, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_school"].queryset = schools
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"line_{category.pk}"] = PoundsField(
                required=False, allow_zero=True, label=str(category), help_text=""
            )

    def clean(self):
        data = super().clean()
        lines = []
        for category in self.categories:
            pence = data.pop(f"line_{category.pk}", None)
            if pence is not None:
                lines.append((category.stream, category, pence))
        data["lines"] = lines
        return data


class VariationForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[c for c in Variation.Kind.choices if c[0] != Variation.Kind.CARRY_OVER]
    )
    from_line = forms.ModelChoiceField(queryset=None, required=False, label="From line")
    to_line = forms.ModelChoiceField(queryset=None, required=False, label="To line")
    amount_pence = PoundsField(label="Amount (£)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    approved_on = forms.DateField(widget=DateInput, required=False, help_text="Defaults to today.")

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_line"].queryset = lines
        self.fields["to_line"].queryset = lines
        label = lambda line: f"Year {line.budget.year} · {line.name}"  # noqa: E731
        self.fields["from_line"].label_from_instance = label
        self.fields["to_line"].label_from_instance = label


class CarryOverForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, help_text="Optional note.")


class RulesForm(forms.Form):
    years = forms.IntegerField(min_value=1, max_value=10)
    supply_day_pence = PoundsField(label="Supply cover: a day (£)")
    supply_half_day_pence = PoundsField(label="Supply cover: a half day (£)")
    allowance_day_pence = PoundsField(label="Coordinator's allowance: a day (£)")
    allowance_half_day_pence = PoundsField(label="Coordinator's allowance: a half day (£)")
    allowance_hours_per_day = forms.DecimalField(
        min_value=1,
        max_value=12,
        decimal_places=2,
        label="Hours in an allowance day",
        help_text="Shorter times accumulate: an hour is the day's allowance over these hours.",
    )
    carry_over = forms.ChoiceField(choices=FundingRules.CarryOver.choices)
    carry_over_cap_percent = forms.IntegerField(min_value=0, max_value=100, label="Cap (%)")
    coordinator_approves = forms.BooleanField(
        required=False, label="Coordinators may approve Part A and Part B claims"
    )
    prompt_days = forms.IntegerField(
        min_value=1,
        max_value=365,
        label="Invoice within (days)",
        help_text="Claims for older activity are flagged as late.",
    )


class RegisterClaimForm(forms.Form):
    category = forms.ModelChoiceField(queryset=None, label="Supply-cover category")
    unit = forms.ChoiceField(
        choices=[(Claim.Unit.DAY, "A whole day"), (Claim.Unit.HALF_DAY, "A half day")],
        widget=forms.RadioSelect,
        initial=Claim.Unit.DAY,
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class ClaimFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    cluster = forms.ModelChoiceField(queryset=None, required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Claim.Status.choices], required=False)

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
