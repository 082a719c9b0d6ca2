"""``{{ pence|pounds }}`` → “£1,234.50”: money is kept in whole pence and shown in pounds."""

from django import template

from clusterwork.funding.money import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence) -> str:
    return _pounds(pence)


@register.filter
def outlook_badge(status: str) -> str:
    return {"on_track": "badge-ok", "underspend": "badge-warn", "over": "badge-warn"}.get(
        status, "badge-muted"
    )
