"""``{{ pence|pounds }}`` → “£1,234.50”: money is kept in whole pence and shown in pounds."""

from django import template

from clusterwork.core.money import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence) -> str:
    return _pounds(pence)
