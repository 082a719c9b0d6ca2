"""Charts drawn on the server as SVG (pygal), each with the data table behind it.

No JavaScript and no CDN: the SVG is inline in the page, so it prints in a PDF as it shows on
screen, and the table (``{% include "partials/chart.html" with chart=… %}``) gives the same
figures to a screen reader or to someone who wants to copy them::

    chart = charts.line("Attendance by term", ["Aut 25", "Spr 26"], {"Rate %": [82, 77]})
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

Number = int | Decimal | float | None

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COLOURS = ("#1d5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0f766e", "#a16207")


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString
    # The table behind the chart: one row per x label, one column per series.
    headings: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)


def _style():
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#1b1f24",
        foreground_strong="#1b1f24",
        foreground_subtle="#6b7280",
        font_family='"DejaVu Sans", Arial, sans-serif',
        colors=_COLOURS,
        title_font_size=18,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        value_font_size=12,
    )


def _drawn(value: Number):
    # pygal draws with floats; the figures people read (the table) keep their exact values.
    return None if value is None else float(value)


def _chart(
    kind: str,
    title: str,
    x_labels: Sequence[str],
    series: dict[str, Sequence[Number]],
    *,
    y_title: str = "",
    height: int = 320,
    **options,
) -> Chart:
    import pygal

    for name, values in series.items():
        if len(values) != len(x_labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(x_labels)} labels")
    chart = getattr(pygal, kind)(
        js=[],  # pygal's tooltips load a script from its CDN: the chart stays static instead
        disable_xml_declaration=True,
        style=_style(),
        width=800,
        height=height,
        title=title,
        y_title=y_title or None,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        print_values=False,
        allow_interruptions=True,
        **options,
    )
    chart.x_labels = [str(label) for label in x_labels]
    for name, values in series.items():
        chart.add(name, [_drawn(value) for value in values])
    # pygal still writes an inline script with its tooltip settings: dropped, as a page's
    # content-security policy would refuse it and a static chart has no use for it.
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    rows = [[label, *(values[i] for values in series.values())] for i, label in enumerate(x_labels)]
    return Chart(title=title, svg=mark_safe(svg), headings=["", *series], rows=rows)


def line(title, x_labels, series, **options) -> Chart:
    return _chart("Line", title, x_labels, series, **options)


def bar(title, x_labels, series, **options) -> Chart:
    return _chart("Bar", title, x_labels, series, **options)


def stacked_bar(title, x_labels, series, **options) -> Chart:
    return _chart("StackedBar", title, x_labels, series, **options)


def horizontal_bar(title, x_labels, series, **options) -> Chart:
    return _chart("HorizontalBar", title, x_labels, series, **options)
