"""Demo: Downland's shared services (a trust finance officer, a shared SENCo split by pupils,
a shared clerk) and a teacher deployment, built through the services."""

import datetime as dt

from django.utils import timezone

from clusterwork.core.demo import demo_step
from clusterwork.core.errors import ServiceError

from . import services
from .years import year_of, year_span


def _agree(service, actor, on):
    """Agree, unless the scheme of delegation wants the board's decision first: then the
    service waits, proposed, which the demo shows too."""
    try:
        services.service_agree(actor=actor, service=service, on=on)
        return True
    except ServiceError:
        return False


@demo_step(order=66, name="sharedservices")
def build(ctx) -> str:
    actor = ctx.actor
    programme = ctx.objects["board.programme"]
    clusters = ctx.objects["board.clusters"]
    year = year_of(timezone.localdate())
    start, _ = year_span(year)
    census = dt.date(year, 10, 1)
    # Pupil numbers for the census: the GIAS-derived school facts of the trust's schools.
    urns = list(programme.clusters.values_list("memberships__school__urn", flat=True).distinct())
    counts = services.pupil_counts_import(
        actor=actor,
        counted_on=census,
        urns=urns,
        source="school_facts.csv (GIAS-derived pupils; see gias/SOURCE.md)",
    )
    agreed = []
    finance = services.service_create(
        actor=actor,
        programme=programme,
        name="Trust finance team",
        kind="finance_officer",
        provider="trust_central",
        annual_cost_pence=4_800_000,
        method="pupils",
        census_date=census,
        start=start,
        description="Core service: budgets, payroll checks and the accounts, organised "
        "centrally and delivered locally.",
    )
    agreed.append(_agree(finance, actor, start))
    horsham = clusters["Horsham"]
    lead = horsham.lead_school
    senco = services.service_create(
        actor=actor,
        programme=programme,
        cluster=horsham,
        name="Shared SENCo",
        kind="senco",
        provider="school",
        provider_school=lead,
        annual_cost_pence=3_850_000,
        method="pupils",
        census_date=census,
        start=start,
        description="A SENCo employed by the lead school, three days a week across the "
        "cluster's primaries and the secondary.",
    )
    agreed.append(_agree(senco, actor, start))
    crawley = clusters["Crawley"]
    clerk = services.service_create(
        actor=actor,
        programme=programme,
        cluster=crawley,
        name="Shared clerk to the governing bodies",
        kind="clerk",
        provider="trust_central",
        annual_cost_pence=1_250_000,
        method="equal",
        start=start,
    )
    agreed.append(_agree(clerk, actor, start))
    # A teacher of the lead school coaches at a primary of the cluster on Tuesdays.
    primary = (
        horsham.memberships.current()
        .exclude(school=lead)
        .select_related("school")
        .order_by("school__name")
        .first()
        .school
    )
    teacher = ctx.people.person(job_title="Lead practitioner, mathematics", school=lead)
    monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    services.deployment_create(
        actor=actor,
        cluster=horsham,
        person=teacher,
        home_school=lead,
        host_school=primary,
        purpose="coaching",
        start=monday,
        end=monday + dt.timedelta(weeks=12),
        weekday=1,
        session="full",
        day_rate_pence=28_500,
        on_cost_percent=24,
        notes="Coaching the Year 6 team on reasoning.",
    )
    waiting = len(agreed) - sum(agreed)
    return (
        f"Shared services: 3 for Downland ({sum(agreed)} agreed"
        + (f", {waiting} awaiting the board's decision" if waiting else "")
        + f"), a shared SENCo split by pupils ({counts['created']} pupil counts, "
        f"{counts['unknown']} unknown), 1 teacher deployment."
    )
