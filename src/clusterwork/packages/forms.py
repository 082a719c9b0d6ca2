from decimal import Decimal

from django import forms

from clusterwork.core.widgets import DateInput

from .models import ItemKind, Unit
from .services import LineIn


def pence(amount: Decimal | None) -> int:
    """Pounds and pence as typed (a Decimal with at most 2 places) → whole pence."""
    return int((amount or Decimal(0)) * 100)


class ItemForm(forms.Form):
    name = forms.CharField(max_length=150)
    kind = forms.ChoiceField(choices=ItemKind.choices)
    unit = forms.ChoiceField(choices=Unit.choices, label="Counted in")
    unit_price = forms.DecimalField(
        min_value=0, max_digits=10, decimal_places=2, required=False, label="Price per unit (£)"
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        data["unit_price_pence"] = pence(data.pop("unit_price", None))
        return data


class _LinesForm(forms.Form):
    """One quantity and price per catalogue item: the package's lines."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            step = "0.5" if item.unit == Unit.DAYS else "1"
            self.fields[f"qty_{item.pk}"] = forms.DecimalField(
                required=False,
                min_value=0,
                max_digits=7,
                decimal_places=1,
                label=f"{item.name} ({item.get_unit_display().lower()})",
                widget=forms.NumberInput(attrs={"step": step}),
            )
            self.fields[f"price_{item.pk}"] = forms.DecimalField(
                required=False,
                min_value=0,
                max_digits=12,
                decimal_places=2,
                label=f"Price for {item.name} (£)",
                help_text="Leave empty for the list price × quantity.",
            )

    def item_rows(self):
        return [(self[f"qty_{i.pk}"], self[f"price_{i.pk}"]) for i in self.items]

    def clean(self):
        data = super().clean()
        lines = []
        for item in self.items:
            quantity = data.pop(f"qty_{item.pk}", None)
            price = data.pop(f"price_{item.pk}", None)
            if quantity:
                price_pence = (
                    pence(price) if price is not None else int(quantity * item.unit_price_pence)
                )
                lines.append(LineIn(item, quantity, price_pence))
        data["lines"] = lines
        return data


class PackageForm(_LinesForm):
    title = forms.CharField(max_length=200)
    term = forms.CharField(max_length=40, help_text="e.g. 2025/26")
    start = forms.DateField(widget=DateInput)
    end = forms.DateField(widget=DateInput, help_text="The first day it no longer runs.")
    development_manager = forms.ModelChoiceField(queryset=None, required=False)
    agreed_on = forms.DateField(widget=DateInput, required=False)
    field_order = ["title", "term", "start", "end", "development_manager", "agreed_on"]

    def __init__(self, *args, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["development_manager"].queryset = managers


class RenegotiateForm(_LinesForm):
    reason = forms.CharField(max_length=300, help_text="What changed, and who agreed it.")
    end = forms.DateField(widget=DateInput, required=False, help_text="A new end, if it moves.")
    development_manager = forms.ModelChoiceField(queryset=None, required=False)
    agreed_on = forms.DateField(widget=DateInput, required=False)
    field_order = ["reason", "end", "development_manager", "agreed_on"]

    def __init__(self, *args, managers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["development_manager"].queryset = managers


class DeliveryForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None)
    on = forms.DateField(widget=DateInput, label="Delivered on")
    amount = forms.DecimalField(
        min_value=Decimal("0.5"),
        max_digits=5,
        decimal_places=1,
        help_text="Days (0.5 for a half day) or units.",
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    delivered_by = forms.ModelChoiceField(queryset=None)
    event = forms.ModelChoiceField(queryset=None, required=False, label="Meeting or CPD event")
    attendees = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    attendee_count = forms.IntegerField(min_value=0, required=False, label="Number attending")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    beyond_agreement = forms.BooleanField(
        required=False, label="Record it even if it goes beyond what the package agreed"
    )
    beyond_reason = forms.CharField(max_length=300, required=False, label="Why beyond")

    def __init__(self, *args, items, managers, events, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["delivered_by"].queryset = managers
        self.fields["event"].queryset = events
        self.fields["attendees"].queryset = people


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=300)


class MembershipForm(forms.Form):
    schools = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(widget=DateInput)
    end = forms.DateField(widget=DateInput, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
