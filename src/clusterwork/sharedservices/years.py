"""Academic years (an academy's financial year too): 1 September to 31 August."""

from __future__ import annotations

import datetime as dt


def year_of(day: dt.date) -> int:
    """The academic year ``day`` falls in, named by its first calendar year."""
    return day.year if day.month >= 9 else day.year - 1


def year_span(year: int) -> tuple[dt.date, dt.date]:
    """[1 September, next 1 September)."""
    return dt.date(year, 9, 1), dt.date(year + 1, 9, 1)


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def year_days(year: int) -> int:
    start, end = year_span(year)
    return (end - start).days
