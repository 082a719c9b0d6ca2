"""Small presentation helpers shared by every app's templates."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def role_label(assignment) -> str:
    """“Cluster coordinator of Alpha”."""
    scope = assignment.scope
    return f"{assignment.get_role_display()} of {scope}" if scope else assignment.get_role_display()


@register.filter
def dated(assignment_or_membership) -> str:
    """“from 1 Sep 2024” / “1 Sep 2024 – 31 Aug 2025” for dated rows (end is exclusive)."""
    start = assignment_or_membership.start
    end = assignment_or_membership.end
    if end is None:
        return f"from {start:%-d %b %Y}"
    return f"{start:%-d %b %Y} – {end:%-d %b %Y}"


@register.simple_tag
def today():
    return timezone.localdate()


@register.inclusion_tag("partials/size_badge.html")
def size_badge(size, programme):
    """A size warning badge; sizes outside the programme's bounds warn, never block."""
    if size < programme.min_cluster_size:
        state, text = "warn", f"below minimum {programme.min_cluster_size}"
    elif size > programme.max_cluster_size:
        state, text = "warn", f"above maximum {programme.max_cluster_size}"
    else:
        state, text = "ok", "size OK"
    return {"size": size, "state": state, "text": text}
