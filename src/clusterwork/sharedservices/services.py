"""Every write of shared services and teacher deployments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from clusterwork.core import gates
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.errors import ServiceError

from .models import AgreedShare, HoursUsed, Method, ServiceTerms, SharedService
from .years import year_span

AGREE_GATE = "sharedservices.agree_service"
HUNDRED = Decimal(100)


def _members_on(service: SharedService, day: dt.date):
    from clusterwork.clusters.models import ClusterMembership

    rows = ClusterMembership.objects.on(day)
    if service.cluster_id:
        rows = rows.filter(cluster_id=service.cluster_id)
    else:
        rows = rows.filter(programme_id=service.programme_id)
    return {m.school_id: m.school for m in rows.select_related("school")}


def _check_terms(*, annual_cost_pence, method, census_date):
    if annual_cost_pence is None or annual_cost_pence < 0:
        raise ServiceError("Give the annual cost in pounds and pence.", field="annual_cost_pence")
    if method not in Method.values:
        raise ServiceError("Choose how the cost is shared.", field="method")
    if method == Method.PUPILS and census_date is None:
        raise ServiceError(
            "A split by pupil numbers needs the census date whose numbers count.",
            field="census_date",
        )


def _percentages(service, terms, percentages, on: dt.date) -> None:
    """Store the agreed percentages of ``terms``: every academy in the service on ``on``, and
    together exactly 100."""
    members = _members_on(service, on)
    clean: dict[int, Decimal] = {}
    for school, value in (percentages or {}).items():
        sid = getattr(school, "pk", school)
        try:
            number = Decimal(value)
        except (InvalidOperation, TypeError):
            raise ServiceError(f"“{value}” is not a percentage.", field="percentages") from None
        if sid not in members:
            raise ServiceError(
                "Agreed percentages are for academies in the service on "
                f"{on:%-d %b %Y}; school {sid} is not one.",
                field="percentages",
            )
        if not 0 <= number <= HUNDRED:
            raise ServiceError("Each percentage is between 0 and 100.", field="percentages")
        clean[sid] = number
    missing = sorted(m.name for sid, m in members.items() if sid not in clean)
    if missing:
        raise ServiceError(
            "Give every academy its percentage; missing: " + ", ".join(missing),
            field="percentages",
        )
    total = sum(clean.values(), Decimal(0))
    if total != HUNDRED:
        raise ServiceError(
            f"The agreed percentages add up to {total.normalize():f}%, not 100%.",
            field="percentages",
        )
    for sid, number in clean.items():
        AgreedShare.objects.update_or_create(
            terms=terms, school_id=sid, defaults={"percent": number}
        )


def _check_can_split(service: SharedService, terms: ServiceTerms, on: dt.date) -> None:
    """Refuse terms that could not be split among the academies in the service on ``on``."""
    members = _members_on(service, on)
    if not members:
        raise ServiceError(f"No academy is in the service on {on:%-d %b %Y} to share its cost.")
    if terms.method == Method.PUPILS:
        from .costs import pupils_on

        unknown = sorted(
            members[sid].name
            for sid, (n, _) in pupils_on(members, terms.census_date).items()
            if n is None
        )
        if unknown:
            raise ServiceError(
                "GIAS gives no pupil number for " + ", ".join(unknown) + ": choose another "
                "method or agree percentages.",
                field="method",
            )


@transaction.atomic
def service_create(
    *,
    actor,
    programme,
    name: str,
    kind: str,
    provider: str,
    annual_cost_pence: int,
    method: str,
    start: dt.date,
    cluster=None,
    provider_school=None,
    provider_name: str = "",
    description: str = "",
    census_date: dt.date | None = None,
    percentages: dict | None = None,
) -> SharedService:
    """Propose a service at cluster level (``cluster``) or trust level (the programme's)."""
    if cluster is not None and cluster.programme_id != programme.pk:
        raise ServiceError(f"{cluster} is not a cluster of {programme}.", field="cluster")
    if not name.strip():
        raise ServiceError("Name the service.", field="name")
    if provider == SharedService.Provider.SCHOOL and provider_school is None:
        raise ServiceError("Say which school provides it.", field="provider_school")
    if provider != SharedService.Provider.SCHOOL:
        provider_school = None
    _check_terms(annual_cost_pence=annual_cost_pence, method=method, census_date=census_date)
    service = SharedService(
        programme=programme,
        cluster=cluster,
        name=name.strip(),
        kind=kind,
        description=description,
        provider=provider,
        provider_school=provider_school,
        provider_name=provider_name if provider == SharedService.Provider.EXTERNAL else "",
        created_by=user_or_none(actor),
    )
    audited_save(service, actor, "proposed")
    terms = ServiceTerms(
        service=service,
        annual_cost_pence=annual_cost_pence,
        method=method,
        census_date=census_date if method == Method.PUPILS else None,
        start=start,
        reason="first terms",
        changed_by=user_or_none(actor),
    )
    audited_save(terms, actor)
    if method == Method.PERCENTAGES and percentages:
        _percentages(service, terms, percentages, start)
    return service


def current_terms(service: SharedService) -> ServiceTerms | None:
    return service.terms.filter(end__isnull=True).order_by("-start").first()


@transaction.atomic
def service_agree(*, actor, service: SharedService, on: dt.date | None = None) -> SharedService:
    """Agree a proposed service: from then its cost is charged to the academies. The scheme
    of delegation (governance's gate) may first need a board's recorded decision."""
    day = on or timezone.localdate()
    service = SharedService.objects.select_for_update().get(pk=service.pk)
    if service.status != SharedService.Status.PROPOSED:
        raise ServiceError(f"{service} is already {service.get_status_display().lower()}.")
    terms = current_terms(service)
    if terms is None:
        raise ServiceError(f"{service} has no terms to agree.")
    check_day = max(day, terms.start)
    _check_can_split(service, terms, check_day)
    if terms.method == Method.PERCENTAGES:
        _percentages(service, terms, _shares_of(terms), check_day)
    gates.check(
        AGREE_GATE,
        service=service,
        cluster=service.cluster,
        annual_cost_pence=terms.annual_cost_pence,
        on=day,
        actor=actor,
    )
    service.status = SharedService.Status.AGREED
    service.agreed_on = day
    service.agreed_by = user_or_none(actor)
    audited_save(service, actor, f"agreed at £{terms.annual_cost_pence / 100:,.2f} a year")
    return service


def _shares_of(terms: ServiceTerms) -> dict[int, Decimal]:
    return {s.school_id: s.percent for s in terms.shares.all()}


@transaction.atomic
def service_change_terms(
    *,
    actor,
    service: SharedService,
    start: dt.date,
    annual_cost_pence: int,
    method: str,
    reason: str,
    census_date: dt.date | None = None,
    percentages: dict | None = None,
) -> ServiceTerms:
    """A new cost or method from ``start``: the terms in force end that day (kept), the new
    ones start. An agreed service's new terms pass the agreement's gate again."""
    service = SharedService.objects.select_for_update().get(pk=service.pk)
    if service.status == SharedService.Status.ENDED:
        raise ServiceError(f"{service} has ended.")
    if not reason.strip():
        raise ServiceError("Say why the cost or method changes.", field="reason")
    _check_terms(annual_cost_pence=annual_cost_pence, method=method, census_date=census_date)
    old = current_terms(service)
    if old is not None and start <= old.start:
        raise ServiceError(
            f"The change starts after the terms in force (from {old.start:%-d %b %Y}).",
            field="start",
        )
    if old is not None:
        old.end = start
        audited_save(old, actor, reason)
    terms = ServiceTerms(
        service=service,
        annual_cost_pence=annual_cost_pence,
        method=method,
        census_date=census_date if method == Method.PUPILS else None,
        start=start,
        reason=reason.strip(),
        changed_by=user_or_none(actor),
    )
    audited_save(terms, actor, reason)
    if method == Method.PERCENTAGES:
        given = percentages
        if not given and old is not None and old.method == Method.PERCENTAGES:
            given = _shares_of(old)
        _percentages(service, terms, given, start)
    if service.status == SharedService.Status.AGREED:
        _check_can_split(service, terms, start)
        gates.check(
            AGREE_GATE,
            service=service,
            cluster=service.cluster,
            annual_cost_pence=annual_cost_pence,
            on=start,
            actor=actor,
        )
    audited_save(service, actor, f"terms from {start}: {reason.strip()}")
    return terms


@transaction.atomic
def service_set_percentages(*, actor, service: SharedService, percentages: dict) -> ServiceTerms:
    """The agreed percentages of a proposed service's terms (an agreed service changes them
    with new terms, so the old ones stay on record)."""
    service = SharedService.objects.select_for_update().get(pk=service.pk)
    terms = current_terms(service)
    if terms is None or terms.method != Method.PERCENTAGES:
        raise ServiceError(f"{service} is not shared by agreed percentages.")
    if service.status != SharedService.Status.PROPOSED:
        raise ServiceError(
            "The service is agreed: change its percentages as new terms from a date.",
            field="percentages",
        )
    _percentages(service, terms, percentages, max(terms.start, timezone.localdate()))
    audited_save(service, actor, "agreed percentages set")
    return terms


@transaction.atomic
def hours_record(*, actor, service: SharedService, school, year: int, hours) -> HoursUsed:
    """The hours ``school`` used ``service`` in academic ``year`` (replacing what was
    recorded; the history keeps the old figure)."""
    try:
        hours = Decimal(hours)
    except (InvalidOperation, TypeError):
        raise ServiceError("Give the hours as a number.", field="hours") from None
    if hours < 0:
        raise ServiceError("Hours used are not negative.", field="hours")
    lo, hi = year_span(year)
    from .costs import member_spans

    if school.pk not in member_spans(service, lo, hi):
        raise ServiceError(f"{school.name} was not in {service} in that year.", field="school")
    row = HoursUsed.objects.filter(service=service, school=school, year=year).first()
    row = row or HoursUsed(service=service, school=school, year=year)
    row.hours = hours
    row.recorded_by = user_or_none(actor)
    audited_save(row, actor)
    return row


@transaction.atomic
def service_end(*, actor, service: SharedService, end: dt.date, reason: str) -> SharedService:
    """Stop the service on ``end`` (the first day without it); nothing is deleted."""
    service = SharedService.objects.select_for_update().get(pk=service.pk)
    if service.status == SharedService.Status.ENDED:
        raise ServiceError(f"{service} has already ended.")
    terms = current_terms(service)
    if terms is not None:
        if end <= terms.start:
            raise ServiceError(
                f"The end comes after the terms in force (from {terms.start:%-d %b %Y}).",
                field="end",
            )
        terms.end = end
        audited_save(terms, actor, reason or "service ended")
    service.status = SharedService.Status.ENDED
    audited_save(service, actor, reason or "ended")
    return service


# ----- teacher deployment -----------------------------------------------------------------


def _member_throughout(cluster, school, start: dt.date, end: dt.date) -> bool:
    from django.db.models import Q

    return (
        cluster.memberships.filter(school=school, start__lte=start)
        .filter(Q(end__isnull=True) | Q(end__gte=end))
        .exists()
    )


def _clash(person, start, end, weekday, session, *, exclude_pk=None):
    from .deployments import sessions_meet, weekdays_meet
    from .models import Deployment

    rows = (
        Deployment.objects.filter(person=person, cancelled_at__isnull=True)
        .overlapping(start, end)
        .select_related("host_school")
    )
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    for other in rows:
        if weekdays_meet(weekday, other.weekday) and sessions_meet(session, other.session):
            return other
    return None


@transaction.atomic
def deployment_create(
    *,
    actor,
    cluster,
    person,
    home_school,
    host_school,
    purpose: str,
    start: dt.date,
    end: dt.date,
    day_rate_pence: int,
    session: str = "full",
    weekday: int | None = None,
    on_cost_percent=Decimal(0),
    notes: str = "",
):
    """Deploy ``person`` from ``home_school`` to ``host_school`` (both academies of
    ``cluster`` throughout) from ``start`` until ``end``. A teacher already deployed on
    the same days and session is refused (a double booking)."""
    from clusterwork.people.models import Person

    from .models import Deployment

    if end is None or end <= start:
        raise ServiceError("The deployment ends after it starts.", field="end")
    if home_school == host_school:
        raise ServiceError(
            "The host is another school than the teacher's own.", field="host_school"
        )
    for school, name in ((home_school, "home_school"), (host_school, "host_school")):
        if not _member_throughout(cluster, school, start, end):
            raise ServiceError(
                f"{school.name} is not an academy of {cluster} for the whole deployment.",
                field=name,
            )
    if person.school_id and person.school_id != home_school.pk:
        raise ServiceError(
            f"{person} works at {person.school.name}: that is the home school.",
            field="home_school",
        )
    if day_rate_pence is None or day_rate_pence <= 0:
        raise ServiceError("Give the day rate.", field="day_rate_pence")
    on_cost = Decimal(on_cost_percent or 0)
    if not 0 <= on_cost <= 100:
        raise ServiceError(
            "The on-cost is a percentage between 0 and 100.", field="on_cost_percent"
        )
    if session not in Deployment.Session.values:
        raise ServiceError("Choose a whole day or a session.", field="session")
    # One booking at a time per teacher: take the person's row lock, then look.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    other = _clash(person, start, end, weekday, session)
    if other is not None:
        raise ServiceError(
            f"{person} is already deployed to {other.host_school.name} "
            f"{other.span_text} ({other.pattern_text}): a teacher cannot be double-booked.",
            field="start",
            code="clash",
        )
    deployment = Deployment(
        cluster=cluster,
        person=person,
        home_school=home_school,
        host_school=host_school,
        purpose=purpose,
        start=start,
        end=end,
        session=session,
        weekday=weekday,
        day_rate_pence=day_rate_pence,
        on_cost_percent=on_cost,
        notes=notes,
        created_by=user_or_none(actor),
    )
    try:
        with transaction.atomic():
            audited_save(deployment, actor)
    except IntegrityError as error:
        if "deployment_no_double_booking" in str(error):
            raise ServiceError(
                f"{person} is already deployed on those days: a teacher cannot be double-booked.",
                field="start",
                code="clash",
            ) from None
        raise
    return deployment


@transaction.atomic
def deployment_cancel(*, actor, deployment, reason: str):
    """Cancel a deployment (kept, marked cancelled, no longer recharged)."""
    if deployment.cancelled_at is not None:
        raise ServiceError("This deployment is already cancelled.")
    if not reason.strip():
        raise ServiceError("Say why it is cancelled.", field="reason")
    deployment.cancelled_at = timezone.now()
    deployment.cancelled_by = user_or_none(actor)
    deployment.cancel_reason = reason.strip()
    audited_save(deployment, actor, reason)
    return deployment
