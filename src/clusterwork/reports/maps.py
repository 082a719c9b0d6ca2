"""Maps drawn as inline SVG on a plain background: they read the same with no tile server
(the demo machine has no internet; many school networks block tiles) and print in a PDF.

Schools are placed by their British National Grid easting/northing from GIAS (metres, so
distances are true), or by latitude/longitude when only those are known. A cluster is drawn
as the hull of its member schools with its centroid coloured by a measure; beyond
``HULLS_UP_TO`` clusters only the centroids are drawn, sized by their member count. Every map
comes with its legend and a table of what it shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 640, 640, 24
HULLS_UP_TO = 300
# Sequential classes, light to dark (ColorBrewer Blues, readable in greyscale too).
CLASSES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#bdbdbd"


@dataclass
class DrawnMap:
    svg: SafeString
    title: str
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)
    headings: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    more: int = 0  # clusters left out of the table (the export lists them all)


def _xy(school):
    return _point(school.easting, school.northing, school.latitude, school.longitude)


def _point(easting, northing, latitude, longitude):
    if easting is not None and northing is not None:
        return float(easting), float(northing)
    if latitude is not None and longitude is not None:
        # Metres near enough for a sketch: degrees scaled at the school's latitude.
        return (
            longitude * 111_320 * math.cos(math.radians(latitude)),
            latitude * 110_540,
        )
    return None


def _projector(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1000.0)
    scale = (WIDTH - 2 * PAD) / span
    x0, y1 = min(xs), max(ys)
    xoff = (WIDTH - 2 * PAD - (max(xs) - x0) * scale) / 2
    yoff = (HEIGHT - 2 * PAD - (y1 - min(ys)) * scale) / 2

    def project(point):
        return (PAD + xoff + (point[0] - x0) * scale, PAD + yoff + (y1 - point[1]) * scale)

    return project


def hull(points):
    """Convex hull (Andrew's monotone chain), counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _breaks(values):
    """Class limits: equal-count (quantile) classes of the known values."""
    known = sorted(float(v) for v in values if v is not None)
    if not known:
        return []
    classes = min(len(CLASSES), len(set(known)))
    return [known[min(len(known) - 1, (len(known) * i) // classes)] for i in range(1, classes)]


def _colour(value, breaks, higher_is_better=True):
    if value is None:
        return NO_DATA
    palette = CLASSES[: len(breaks) + 1] if breaks else CLASSES[2:3]
    index = sum(1 for b in breaks if float(value) >= b)
    if not higher_is_better:
        index = len(palette) - 1 - index
    return palette[min(index, len(palette) - 1)]


def _fmt(value) -> str:
    if value is None:
        return "no data"
    if isinstance(value, Decimal | float):
        return f"{value:.1f}"
    return str(value)


def _legend(breaks, values, higher_is_better, unit):
    known = [float(v) for v in values if v is not None]
    if not known:
        return [(NO_DATA, "no data")]
    edges = [min(known), *breaks, max(known)]
    palette = CLASSES[: len(breaks) + 1] if breaks else CLASSES[2:3]
    legend = []
    for i, colour in enumerate(palette):
        low, high = edges[i], edges[i + 1]
        label = f"{low:.1f}–{high:.1f}{unit}" if low != high else f"{low:.1f}{unit}"
        legend.append((colour if higher_is_better else palette[len(palette) - 1 - i], label))
    if any(v is None for v in values):
        legend.append((NO_DATA, "no data"))
    return legend


def _svg(body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="plain-map" role="img" aria-labelledby="map-title">'
        f'<title id="map-title">{escape(title)}</title>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f1ea"/>' + "".join(body) + "</svg>"
    )


TABLE_ROWS = 300


def clusters_map(figures, member_points: dict, values: dict, measure) -> DrawnMap | None:
    """``member_points``: {cluster id: [(easting, northing, latitude, longitude), …]} (one
    averaged point per cluster when there are more than ``HULLS_UP_TO``)."""
    by_cluster: dict[int, list] = {}
    for cluster_id, raw in member_points.items():
        points = [p for p in (_point(*r) for r in raw) if p]
        if points:
            by_cluster[cluster_id] = points
    if not by_cluster:
        return None
    project = _projector([p for pts in by_cluster.values() for p in pts])
    breaks = _breaks(values.get(f.cluster.pk) for f in figures if f.cluster.pk in by_cluster)
    unit = measure.unit
    body, rows = [], []
    draw_hulls = len(by_cluster) <= HULLS_UP_TO
    for f in figures:
        points = by_cluster.get(f.cluster.pk)
        value = values.get(f.cluster.pk)
        if len(rows) < TABLE_ROWS:
            rows.append([f.cluster.name, f.members, _fmt(value)])
        if not points:
            continue
        colour = _colour(value, breaks, measure.higher_is_better)
        drawn = [project(p) for p in points]
        cx = sum(x for x, _ in drawn) / len(drawn)
        cy = sum(y for _, y in drawn) / len(drawn)
        name = escape(f.cluster.name)
        label = f"{name}: {escape(_fmt(value))}{escape(unit)}"
        if draw_hulls:
            outline = hull(drawn)
            if len(outline) >= 3:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in outline)
                body.append(
                    f'<polygon points="{path}" fill="{colour}" fill-opacity="0.45" '
                    f'stroke="#4b5563" stroke-width="1"><title>{label}</title></polygon>'
                )
            for x, y in drawn:
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#374151"/>')
            body.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="7" fill="{colour}" stroke="#111827">'
                f"<title>{label}</title></circle>"
            )
            if len(by_cluster) <= 40:
                body.append(
                    f'<text x="{cx + 9:.1f}" y="{cy + 4:.1f}" font-size="12" '
                    f'font-family="DejaVu Sans, Arial, sans-serif" fill="#111827">{name}</text>'
                )
        else:
            radius = 1 + math.sqrt(max(f.members, 1)) / 2
            body.append(
                f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="{radius:.1f}" fill="{colour}">'
                f"<title>{label}</title></circle>"
            )
    title = f"Clusters coloured by {measure.label}"
    return DrawnMap(
        svg=_svg(body, title),
        title=title,
        legend=_legend(
            breaks, [values.get(f.cluster.pk) for f in figures], measure.higher_is_better, unit
        ),
        headings=["Cluster", "Member schools", measure.label],
        rows=rows,
        more=max(0, len(figures) - TABLE_ROWS),
    )


def schools_map(memberships) -> DrawnMap | None:
    located = [(m.school, _xy(m.school)) for m in memberships]
    located = [(s, p) for s, p in located if p]
    if not located:
        return None
    project = _projector([p for _, p in located])
    drawn = [(s, project(p)) for s, p in located]
    body = []
    outline = hull([xy for _, xy in drawn])
    if len(outline) >= 3:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in outline)
        body.append(
            f'<polygon points="{path}" fill="#9ecae1" fill-opacity="0.4" stroke="#3182bd"/>'
        )
    rows = []
    for number, (school, (x, y)) in enumerate(drawn, start=1):
        name = escape(school.name)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#08519c"><title>{name}</title></circle>'
            f'<text x="{x + 8:.1f}" y="{y + 4:.1f}" font-size="13" '
            f'font-family="DejaVu Sans, Arial, sans-serif" fill="#111827">{number}</text>'
        )
        rows.append([number, school.name, school.town, school.postcode])
    title = "Member schools"
    return DrawnMap(
        svg=_svg(body, title),
        title=title,
        legend=[("#08519c", "member school (numbered as in the table)")],
        headings=["No.", "School", "Town", "Postcode"],
        rows=rows,
    )
