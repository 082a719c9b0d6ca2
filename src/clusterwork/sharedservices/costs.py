"""A service's year, split: which academies shared it on which days, on what basis, and
what each pays (exact to the penny, see ``split``). Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from clusterwork.clusters.models import ClusterMembership
from clusterwork.schools.models import School

from .models import AgreedShare, HoursUsed, Method, ServiceTerms, SharedService
from .split import Period, YearSplit, apportion_year
from .years import year_days, year_span


@dataclass
class ServiceSplit:
    service: SharedService
    year: int
    result: YearSplit
    schools: dict[int, School]
    # (period index, school id) → the basis in words ("412 pupils on 2 Oct 2025")
    basis: dict[tuple[int, int], str] = field(default_factory=dict)
    statement_school_id: int | None = None

    @property
    def periods(self):
        return self.result.periods

    def share_of(self, school_id: int) -> int:
        return self.result.shares.get(school_id, 0)

    def rows(self) -> list[tuple[School, int]]:
        """(school, pence) for every academy that shared the service in the year."""
        return sorted(
            ((self.schools[sid], pence) for sid, pence in self.result.shares.items()),
            key=lambda row: row[0].name,
        )

    def period_rows(self):
        """For the page: each period with its members' basis and share."""
        out = []
        for i, period in enumerate(self.periods):
            members = sorted(period.weights, key=lambda sid: self.schools[sid].name)
            out.append(
                {
                    "period": period,
                    "last_day": period.end - dt.timedelta(days=1),
                    "lines": [
                        {
                            "school": self.schools[sid],
                            "basis": self.basis.get((i, sid), ""),
                            "pence": period.shares.get(sid, 0),
                        }
                        for sid in members
                    ],
                }
            )
        return out


def _clip(start, end, lo, hi):
    s, e = max(start, lo), min(end or hi, hi)
    return (s, e) if s < e else None


def member_spans(service: SharedService, lo: dt.date, hi: dt.date) -> dict[int, list[tuple]]:
    """The days in [lo, hi) on which each academy belonged to the service's cluster (or, for
    a trust-level service, to any cluster of its programme), as merged spans."""
    rows = ClusterMembership.objects.overlapping(lo, hi)
    if service.cluster_id:
        rows = rows.filter(cluster_id=service.cluster_id)
    else:
        rows = rows.filter(programme_id=service.programme_id)
    spans: dict[int, list[tuple]] = {}
    for school_id, start, end in rows.values_list("school_id", "start", "end").order_by(
        "school_id", "start"
    ):
        clipped = _clip(start, end, lo, hi)
        if clipped is None:
            continue
        mine = spans.setdefault(school_id, [])
        if mine and clipped[0] <= mine[-1][1]:
            mine[-1] = (mine[-1][0], max(mine[-1][1], clipped[1]))
        else:
            mine.append(clipped)
    return spans


def pupils_on(schools: dict[int, School], day: dt.date) -> dict[int, tuple[int | None, str]]:
    """Each school's pupil number as recorded on ``day`` (the school's history), else its
    current GIAS figure, said so; None when GIAS gives none (never guessed)."""
    history = School.history.model
    out = {}
    for sid, school in schools.items():
        recorded = (
            history.objects.filter(id=sid, history_date__date__lte=day)
            .order_by("-history_date")
            .values_list("number_of_pupils", flat=True)
            .first()
        )
        if recorded is not None:
            out[sid] = (recorded, f"on {day:%-d %b %Y}")
        else:
            out[sid] = (school.number_of_pupils, "current GIAS figure")
    return out


def terms_in(service: SharedService, lo: dt.date, hi: dt.date) -> list[ServiceTerms]:
    return list(service.terms.overlapping(lo, hi).order_by("start"))


def split_service(service: SharedService, year: int, *, adjust=None) -> ServiceSplit:
    """The service's cost in academic ``year``, split over the academies. ``adjust(service,
    spans, lo, hi)`` may change who belongs when (a move proposal's what-if)."""
    lo, hi = year_span(year)
    spans = member_spans(service, lo, hi)
    if adjust is not None:
        spans = adjust(service, spans, lo, hi)
    schools = School.objects.in_bulk(list(spans))
    periods: list[Period] = []
    basis: dict[tuple[int, int], str] = {}
    hours = {h.school_id: h.hours for h in HoursUsed.objects.filter(service=service, year=year)}
    for terms in terms_in(service, lo, hi):
        t_lo, t_hi = _clip(terms.start, terms.end, lo, hi)
        cuts = {t_lo, t_hi}
        for mine in spans.values():
            for s, e in mine:
                cuts.update(d for d in (s, e) if t_lo < d < t_hi)
        cuts = sorted(cuts)
        pupils = pupils_on(schools, terms.census_date) if terms.method == Method.PUPILS else {}
        percents = (
            {s.school_id: s.percent for s in AgreedShare.objects.filter(terms=terms)}
            if terms.method == Method.PERCENTAGES
            else {}
        )
        for a, b in zip(cuts, cuts[1:], strict=False):
            present = [
                sid for sid, mine in spans.items() if any(s <= a and b <= e for s, e in mine)
            ]
            period = Period(start=a, end=b, annual_cost_pence=terms.annual_cost_pence)
            period.note = terms.get_method_display()
            index = len(periods)
            missing = []
            for sid in present:
                if terms.method == Method.EQUAL:
                    weight, words = 1, "an equal share"
                elif terms.method == Method.PUPILS:
                    number, source = pupils.get(sid, (None, ""))
                    if number is None:
                        missing.append(schools[sid].name)
                        weight, words = 0, "no pupil number in GIAS"
                    else:
                        weight, words = number, f"{number:,} pupils ({source})"
                elif terms.method == Method.PERCENTAGES:
                    weight = percents.get(sid, Decimal(0))
                    words = f"{weight.normalize():f}% agreed" if sid in percents else "no agreed %"
                else:
                    weight = hours.get(sid, Decimal(0))
                    words = f"{weight.normalize():f} hours used in the year"
                period.weights[sid] = weight
                basis[(index, sid)] = words
            if missing:
                period.problem = "no pupil number for " + ", ".join(sorted(missing))
            elif present and not any(period.weights.values()):
                period.problem = {
                    Method.PERCENTAGES: "no agreed percentages for these academies",
                    Method.HOURS: "no hours recorded for the year",
                }.get(terms.method, "")
            periods.append(period)
    result = apportion_year(periods, year_days(year))
    return ServiceSplit(service=service, year=year, result=result, schools=schools, basis=basis)
