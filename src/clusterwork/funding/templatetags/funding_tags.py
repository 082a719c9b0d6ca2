"""Funding's own filters (``pounds`` comes from core's ``money`` library)."""

from django import template

register = template.Library()


@register.filter
def outlook_badge(status: str) -> str:
    return {"on_track": "badge-ok", "underspend": "badge-warn", "over": "badge-warn"}.get(
        status, "badge-muted"
    )
