"""Form widgets (and the fields built on them) shared by every app."""

from django import forms


class DateInput(forms.DateInput):
    """A native date picker. ``<input type="date">`` only accepts ISO dates, whatever the
    site's locale (en-GB would render 22/11/2026 and the browser would show it empty)."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class FastSelect(forms.Select):
    """A ``<select>`` whose options are built in Python.

    Django renders every ``<option>`` through a template; on the schools list the 150-option
    local-authority filter alone cost more than all the page's queries together. Grouped
    choices (``(group label, [(value, label), ...])``) become ``<optgroup>``s.
    """

    def render(self, name, value, attrs=None, renderer=None):
        from django.forms.utils import flatatt
        from django.utils.html import format_html
        from django.utils.safestring import mark_safe

        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}

        def option(option_value, option_label):
            return format_html(
                '<option value="{}"{}>{}</option>',
                "" if option_value is None else option_value,
                mark_safe(" selected") if str(option_value) in selected else "",
                option_label,
            )

        parts = []
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                inner = mark_safe("".join(option(v, lab) for v, lab in option_label))
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', option_value, inner))
            else:
                parts.append(option(option_value, option_label))
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(parts)))


class SearchField(forms.CharField):
    """A list's free-text search box, ``q`` in its filter form."""

    def __init__(self, **kwargs):
        kwargs = {"label": "Search", "required": False, "max_length": 100, **kwargs}
        super().__init__(widget=forms.TextInput(attrs={"type": "search"}), **kwargs)
