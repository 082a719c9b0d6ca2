"""Measures: named numbers about a school or a cluster on a day, contributed by the apps.

Intervention triggers (``governance``) compare them with thresholds and dashboards
(``reports``) chart them, without importing the apps that know how to count. Each app
registers what it can measure in its ``AppConfig.ready()``::

    measures.register(Measure(
        key="meetings.attendance_rate", label="Meeting attendance", applies_to="school",
        unit="%", compute=attendance_rate_on,  # compute(school, day) -> Decimal | None
    ))

``compute`` returns ``None`` when there is nothing to count (no meetings yet), which is not
the same as zero: a trigger never fires on a missing number, and a dashboard says "no data".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

SUBJECTS = ("school", "cluster")


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    applies_to: str
    compute: Callable[[object, date], Decimal | int | None]
    unit: str = ""
    # False for measures where a rise is bad news (staff turnover, unspent money).
    higher_is_better: bool = True
    help_text: str = ""

    def __post_init__(self):
        if self.applies_to not in SUBJECTS:
            raise ValueError(f"measure {self.key}: applies_to must be one of {SUBJECTS}")


_MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> None:
    known = _MEASURES.get(measure.key)
    if known is not None and known != measure:
        raise ValueError(f"measure {measure.key} is registered twice with different meanings")
    _MEASURES[measure.key] = measure


def get(key: str) -> Measure:
    try:
        return _MEASURES[key]
    except KeyError:
        raise KeyError(f"no measure {key!r}; known: {', '.join(sorted(_MEASURES))}") from None


def measures_for(applies_to: str) -> list[Measure]:
    return sorted(
        (m for m in _MEASURES.values() if m.applies_to == applies_to), key=lambda m: m.label
    )


def choices(applies_to: str | None = None) -> list[tuple[str, str]]:
    found = _MEASURES.values() if applies_to is None else measures_for(applies_to)
    return sorted(((m.key, m.label) for m in found), key=lambda c: c[1])


def value(key: str, subject, on: date):
    return get(key).compute(subject, on)
