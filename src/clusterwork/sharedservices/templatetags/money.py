"""``{{ pence|pounds }}`` → “£1,234.56” (integer pence in, exact text out)."""

from django import template

register = template.Library()


@register.filter
def pounds(pence) -> str:
    if pence is None or pence == "":
        return "—"
    pence = int(pence)
    sign = "−" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"
