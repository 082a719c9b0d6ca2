"""One view, two renderings: the whole page, or just the fragment htmx asked for.

A template defines its swappable regions with ``{% partialdef name inline %}``; an htmx
request renders ``template#name`` so no separate ``/partials/`` endpoints are needed and the
page keeps working without JavaScript.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render


def is_htmx(request) -> bool:
    # Boosted requests want the whole page; only targeted swaps get a fragment.
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted


def render_page(request, template: str, context: dict, *, partial: str | None = None, status=200):
    """Render ``template`` in full, or only its ``partial`` for an htmx request."""
    name = f"{template}#{partial}" if partial and is_htmx(request) else template
    return render(request, name, context, status=status)


def add_service_error(form, error: ValidationError) -> None:
    """Show a ServiceError next to the field it names, or at the top of the form."""
    field = getattr(error, "field", None)
    if field not in form.fields:
        field = None
    form.add_error(field, list(error.messages))
