from django import template

register = template.Library()


@register.inclusion_tag("clusters/_size_badge.html")
def size_badge(size, programme):
    """A size warning badge; sizes outside the programme's bounds warn, never block."""
    if size < programme.min_cluster_size:
        state, text = "warn", f"below minimum {programme.min_cluster_size}"
    elif size > programme.max_cluster_size:
        state, text = "warn", f"above maximum {programme.max_cluster_size}"
    else:
        state, text = "ok", "size OK"
    return {"size": size, "state": state, "text": text}
