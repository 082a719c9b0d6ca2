from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(pence) -> str:
    """Whole pence as £1,234.50."""
    if pence is None or pence == "":
        return "—"
    value = Decimal(int(pence)) / 100
    return f"£{value:,.2f}"


@register.filter
def qty(value) -> str:
    """A quantity without a needless “.0”: 2, 2.5."""
    if value is None:
        return "—"
    value = Decimal(value)
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
