"""School terms and years: the buckets every trend on a dashboard is drawn in.

Autumn runs September to December, spring January to March, summer April to August; a school
year starts on 1 September (``year_of(date(2026, 3, 1))`` is 2025, the year 2025/26).
"""

from __future__ import annotations

import datetime as dt

TERM_STARTS = ((9, "Autumn"), (4, "Summer"), (1, "Spring"))


def term_start(day: dt.date) -> dt.date:
    for month, _ in TERM_STARTS:
        if day.month >= month:
            return dt.date(day.year, month, 1)
    raise AssertionError("unreachable")  # pragma: no cover - month 1 always matches


def term_label(start: dt.date, *, short: bool = False) -> str:
    name = dict((m, n) for m, n in TERM_STARTS)[start.month]
    return f"{name[:3]} {start:%y}" if short else f"{name} {start.year}"


def next_term(start: dt.date) -> dt.date:
    if start.month == 9:
        return dt.date(start.year + 1, 1, 1)
    if start.month == 1:
        return dt.date(start.year, 4, 1)
    return dt.date(start.year, 9, 1)


def last_terms(today: dt.date, count: int) -> list[dt.date]:
    """The ``count`` terms up to and including today's, oldest first."""
    terms = [term_start(today)]
    while len(terms) < count:
        previous = terms[-1] - dt.timedelta(days=1)
        terms.append(term_start(previous))
    return list(reversed(terms))


def year_of(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def year_start(year: int) -> dt.date:
    return dt.date(year, 9, 1)


def year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"
