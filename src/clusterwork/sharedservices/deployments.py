"""Teacher deployment arithmetic: the days a deployment covers and what the host pays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Deployment
from .years import year_span

HALF = Decimal("0.5")


def weekdays_between(start: dt.date, end: dt.date, weekday: int | None) -> int:
    """Monday–Friday days in [start, end), or only those of ``weekday`` (0 = Monday)."""
    if end <= start:
        return 0
    total = 0
    full_weeks, extra = divmod((end - start).days, 7)
    wanted = range(5) if weekday is None else (weekday,)
    total = full_weeks * len(wanted)
    for offset in range(extra):
        if (start + dt.timedelta(days=full_weeks * 7 + offset)).weekday() in wanted:
            total += 1
    return total


def days_charged(deployment: Deployment, lo: dt.date | None = None, hi: dt.date | None = None):
    """Days of teaching (a session is half a day) within [lo, hi)."""
    start = max(deployment.start, lo) if lo else deployment.start
    end = min(deployment.end, hi) if hi else deployment.end
    days = Decimal(weekdays_between(start, end, deployment.weekday))
    return days if deployment.session == Deployment.Session.FULL_DAY else days * HALF


def recharge_pence(deployment: Deployment, days: Decimal) -> int:
    """Day rate × days × (1 + on-cost), to the nearest penny (halves up)."""
    amount = Decimal(deployment.day_rate_pence) * days * (1 + deployment.on_cost_percent / 100)
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sessions_meet(a: str, b: str) -> bool:
    return a == Deployment.Session.FULL_DAY or b == Deployment.Session.FULL_DAY or a == b


def weekdays_meet(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


@dataclass
class RechargeLine:
    deployment: Deployment
    days: Decimal
    pence: int
    direction: str  # "pays" (the school hosts) or "receives" (the teacher's home school)


def school_recharges(school, year: int, deployments) -> list[RechargeLine]:
    lo, hi = year_span(year)
    lines = []
    for deployment in deployments:
        if deployment.is_cancelled or not deployment.overlaps(lo, hi):
            continue
        days = days_charged(deployment, lo, hi)
        pence = recharge_pence(deployment, days)
        if deployment.host_school_id == school.pk:
            lines.append(RechargeLine(deployment, days, pence, "pays"))
        elif deployment.home_school_id == school.pk:
            lines.append(RechargeLine(deployment, days, pence, "receives"))
    return lines


def recharge_summary(cluster, year: int) -> dict:
    lo, hi = year_span(year)
    rows = Deployment.objects.filter(cluster=cluster, cancelled_at__isnull=True).overlapping(lo, hi)
    total = days = 0
    count = 0
    for deployment in rows:
        d = days_charged(deployment, lo, hi)
        days += d
        total += recharge_pence(deployment, d)
        count += 1
    return {"count": count, "days": days, "pence": total}
