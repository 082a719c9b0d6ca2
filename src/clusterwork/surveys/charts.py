"""A small, dependency-free SVG bar chart of area means per round (with a table beside it
in the page as the accessible text alternative)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ["#1d5fa8", "#d9822b", "#2e7d32", "#8e24aa", "#c62828", "#00838f"]


def comparison_svg(comparison, *, scale_max: int = 5) -> str:
    rows = [(r, n, means) for r, n, means in comparison.rows if any(m is not None for m in means)]
    if not rows or not comparison.areas:
        return ""
    bar, gap, group_gap, height, left, top = 18, 3, 26, 180, 34, 14
    group_width = max(len(rows) * (bar + gap) + group_gap, 130)
    width = left + group_width * len(comparison.areas) + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 50 + 16 * len(rows)}" width="{width}" '
        f'style="max-width:100%;height:auto" role="img" '
        f'aria-label="Mean rating per area for each round (see the table for the numbers)">'
    ]
    for tick in range(0, scale_max + 1):
        y = top + height - height * tick / scale_max
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick}</text>'
        )
    for a, area in enumerate(comparison.areas):
        x0 = left + a * group_width + group_gap / 2
        for i, (_, _, means) in enumerate(rows):
            value = means[a]
            if value is None:
                continue
            h = height * value / scale_max
            x = x0 + i * (bar + gap)
            colour = PALETTE[i % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(area)}: {value}</title></rect>'
            )
        parts.append(
            f'<text x="{x0 + len(rows) * (bar + gap) / 2:.1f}" y="{top + height + 16}" '
            f'font-size="11" text-anchor="middle">{escape(area)}</text>'
        )
    for i, (round_, _, _) in enumerate(rows):
        y = top + height + 36 + 0 * i
        x = left + i * 180
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{x + 14}" y="{y}" font-size="11">{escape(round_.title[:28])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
