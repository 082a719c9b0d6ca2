from django import template

register = template.Library()


@register.filter
def role_label(assignment) -> str:
    """“Cluster coordinator of Alpha”."""
    scope = assignment.scope
    return f"{assignment.get_role_display()} of {scope}" if scope else assignment.get_role_display()
