from decimal import Decimal

from django import template

from clusterwork.core.money import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence) -> str:
    return _pounds(pence)


@register.filter
def qty(value) -> str:
    """A quantity without a needless “.0”: 2, 2.5."""
    if value is None:
        return "—"
    value = Decimal(value)
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
