"""The arithmetic of a shared cost, with no Django in it: split an amount of pence by
weights so that the parts add up to the amount exactly (largest remainder), and split a
year's cost over periods in which the members and the terms do not change.

Largest remainder (Hamilton's method): each part's exact quota is ``total × weight / Σ
weights``; every part gets the whole pence of its quota, and the pence left over go one each
to the parts with the largest fractions (ties: the larger weight, then the key's order). So
the parts add up to the total to the penny, and no part is more than a penny from its quota.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

Weight = int | Decimal | Fraction


def _fraction(value: Weight) -> Fraction:
    if isinstance(value, float):
        raise TypeError("weights are exact numbers (int, Decimal, Fraction), never float")
    return Fraction(value)


def round_half_up(value: Fraction) -> int:
    """The nearest whole number, halves rounded up (pence as people round them)."""
    return math.floor(value + Fraction(1, 2))


def allocate_quotas(quotas: Mapping[Hashable, Fraction], total: int) -> dict[Hashable, int]:
    """Whole parts for exact ``quotas`` that add up to ``total`` (largest remainder).

    ``total`` must be within the number of quotas of their sum (it is the sum, or the sum
    rounded): every part is then the floor or the ceiling of its quota.
    """
    floors = {key: math.floor(q) for key, q in quotas.items()}
    left = total - sum(floors.values())
    if not 0 <= left <= len(quotas):
        raise ValueError(f"cannot allocate {total} over quotas adding up to {sum(quotas.values())}")
    order = sorted(
        quotas,
        key=lambda key: (-(quotas[key] - floors[key]), -quotas[key], str(key)),
    )
    parts = dict(floors)
    for key in order[:left]:
        parts[key] += 1
    return parts


def largest_remainder(total: int, weights: Mapping[Hashable, Weight]) -> dict[Hashable, int]:
    """``total`` pence split in proportion to ``weights``; the parts add up to ``total``."""
    if total < 0:
        raise ValueError("the amount to split is not negative")
    exact = {key: _fraction(w) for key, w in weights.items()}
    if any(w < 0 for w in exact.values()):
        raise ValueError("weights are not negative")
    whole = sum(exact.values())
    if whole == 0:
        raise ValueError("nothing to split by: every weight is zero")
    return allocate_quotas({key: total * w / whole for key, w in exact.items()}, total)


@dataclass
class Period:
    """Days [start, end) on which the annual cost, the method and the members are constant.

    ``weights`` are the members' bases (1 each, pupils, percentages, hours); ``problem`` says
    why the period cannot be split (a member without a pupil number), and then its cost is
    left unallocated rather than guessed.
    """

    start: dt.date
    end: dt.date
    annual_cost_pence: int
    weights: dict[Hashable, Weight] = field(default_factory=dict)
    problem: str = ""
    note: str = ""
    # filled by apportion_year
    cost_pence: int = 0
    exact_cost: Fraction = Fraction(0)
    shares: dict[Hashable, int] = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass
class YearSplit:
    year_days: int
    periods: list[Period]
    shares: dict[Hashable, int]
    unallocated_pence: int

    @property
    def total_pence(self) -> int:
        return sum(p.cost_pence for p in self.periods)


def apportion_year(periods: Sequence[Period], year_days: int) -> YearSplit:
    """Each period costs ``annual × days / year_days``; the periods' costs are whole pence
    adding up to the rounded sum of those amounts (the annual cost exactly when it held all
    year), and each period's cost is split over its members by their weights."""
    if year_days <= 0:
        raise ValueError("a year has days")
    exact = {i: Fraction(p.annual_cost_pence * p.days, year_days) for i, p in enumerate(periods)}
    costs = allocate_quotas(exact, round_half_up(sum(exact.values(), Fraction(0))))
    shares: dict[Hashable, int] = {}
    unallocated = 0
    for i, period in enumerate(periods):
        period.exact_cost = exact[i]
        period.cost_pence = costs[i]
        weights = {k: w for k, w in period.weights.items() if _fraction(w) > 0}
        if period.problem or not weights:
            period.shares = {}
            if not period.problem and period.cost_pence:
                period.problem = "no member to share it"
            unallocated += period.cost_pence
            continue
        period.shares = largest_remainder(period.cost_pence, weights)
        for key in period.weights:
            shares[key] = shares.get(key, 0) + period.shares.get(key, 0)
    return YearSplit(
        year_days=year_days, periods=list(periods), shares=shares, unallocated_pence=unallocated
    )
