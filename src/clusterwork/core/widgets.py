"""Form widgets shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A native date picker. ``<input type="date">`` only accepts ISO dates, whatever the
    site's locale (en-GB would render 22/11/2026 and the browser would show it empty)."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")
