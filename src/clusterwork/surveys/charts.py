"""The self-assessment's charts, drawn by ``core.charts`` (each with its table of figures)."""

from clusterwork.core import charts

from .selectors import Comparison


def comparison_chart(comparison: Comparison, title: str) -> charts.Chart | None:
    """Mean rating per area for each round, before and after; a round that too few schools
    returned shows no numbers (``compare_rounds`` leaves them empty)."""
    if not comparison.areas or not comparison.rows:
        return None
    series = {}
    for round_, respondents, means in comparison.rows:
        name = f"{round_.title} ({respondents} returned)"
        series[name if name not in series else f"{name} #{round_.pk}"] = means
    return charts.bar(title, comparison.areas, series, y_title="Mean rating (1–5)", range=(0, 5))
