"""A school-sport membership organisation like seed 000: one cluster of each kind the seed
lists (school sport partnership, trust cluster, teaching school alliance, a secondary with its
feeder primaries, a local authority) plus an online cluster of schools far apart."""

from __future__ import annotations

import datetime as dt

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.core.demo import demo_step
from clusterwork.schools.models import Phase

PROGRAMME_NAME = "School Sport Network (demo)"
ROLES_FROM = dt.date(2024, 9, 1)
MAINSTREAM = {Phase.PRIMARY, Phase.SECONDARY}
# One small primary from each of these far-apart authorities makes the online cluster.
ONLINE_LAS = (
    "Northumberland",
    "Herefordshire, County of",
    "Lincolnshire",
    "Cornwall",
    "Kent",
    "Suffolk",
)


def _add(ctx, cluster, points, start) -> None:
    for point in points:
        cluster_services.membership_add(
            actor=ctx.actor, cluster=cluster, school=ctx.school(point), start=start
        )


def _cluster(ctx, programme, *, name, kind, lead, region, start, description):
    return cluster_services.cluster_create(
        actor=ctx.actor,
        programme=programme,
        name=name,
        kind=kind,
        region=region,
        lead_school=ctx.school(lead),
        started_on=start,
        description=description,
    )


@demo_step(order=40, name="sport")
def build(ctx) -> str:
    actor, people, index = ctx.actor, ctx.people, ctx.schools
    programme = cluster_services.programme_create(
        actor=actor,
        name=PROGRAMME_NAME,
        kind=Programme.Kind.MEMBERSHIP_ORGANISATION,
        min_cluster_size=2,
        max_cluster_size=25,
        description="Schools' membership for PE, school sport and physical activity; each "
        "cluster's package of CPD and support is agreed with its coordinator.",
    )
    people.with_role(
        "programme_admin",
        job_title="Development manager, clusters",
        start=dt.date(2021, 9, 1),
        programme=programme,
    )
    # Keep the other programmes' schools out, so each demo login sees one organisation.
    used = set(ClusterMembership.objects.values_list("school_id", flat=True))
    made: list[tuple[Cluster, str | None]] = []

    def take(points):
        used.update(point.pk for point in points)
        return points

    anchor = index.first(la="Lancashire", phase=Phase.SECONDARY, town="Preston", exclude=used)
    members = take([anchor, *index.nearest(anchor, 7, phases=MAINSTREAM, exclude=used)])
    ssp = _cluster(
        ctx,
        programme,
        name="Preston School Sport Partnership",
        kind=Cluster.Kind.SCHOOL_SPORT_PARTNERSHIP,
        lead=anchor,
        region="Lancashire",
        start=dt.date(2021, 9, 1),
        description="A partnership carried on from the local school sport network.",
    )
    _add(ctx, ssp, members, dt.date(2021, 9, 1))
    made.append((ssp, "sport_coordinator"))

    trust_cluster = ctx.objects["board.clusters"]["Crawley"]
    mat = cluster_services.cluster_create(
        actor=actor,
        programme=programme,
        name=f"{ctx.objects['board.trust'].name} – Crawley",
        kind=Cluster.Kind.MAT_CLUSTER,
        lead_school=trust_cluster.lead_school,
        region="West Sussex",
        started_on=dt.date(2023, 9, 1),
        description="The trust's Crawley academies take membership together.",
    )
    for membership in trust_cluster.memberships.filter(end__isnull=True).order_by("school__urn"):
        cluster_services.membership_add(
            actor=actor, cluster=mat, school=membership.school, start=dt.date(2023, 9, 1)
        )
    made.append((mat, None))

    anchor = index.first(la="Sheffield", phase=Phase.SECONDARY, exclude=used)
    members = take([anchor, *index.nearest(anchor, 5, phases=MAINSTREAM, exclude=used)])
    tsa = _cluster(
        ctx,
        programme,
        name="Sheffield Teaching School Alliance",
        kind=Cluster.Kind.TEACHING_SCHOOL_ALLIANCE,
        lead=anchor,
        region="South Yorkshire",
        start=dt.date(2022, 9, 1),
        description="Alliance schools sharing PE CPD for early-career teachers.",
    )
    _add(ctx, tsa, members, dt.date(2022, 9, 1))
    made.append((tsa, None))

    anchor = index.first(la="Plymouth", phase=Phase.SECONDARY, exclude=used)
    members = take([anchor, *index.nearest(anchor, 5, phases={Phase.PRIMARY}, exclude=used)])
    local = _cluster(
        ctx,
        programme,
        name=f"{anchor.name} and feeder primaries",
        kind=Cluster.Kind.LOCAL_PARTNERSHIP,
        lead=anchor,
        region="Plymouth",
        start=dt.date(2023, 1, 9),
        description="A secondary school with its nearest primary feeder schools.",
    )
    _add(ctx, local, members, dt.date(2023, 1, 9))
    made.append((local, None))

    anchor = index.first(la="Rutland", phase=Phase.SECONDARY, exclude=used)
    members = take(
        [anchor, *index.nearest(anchor, 9, phases=MAINSTREAM, la="Rutland", exclude=used)]
    )
    county = _cluster(
        ctx,
        programme,
        name="Rutland schools",
        kind=Cluster.Kind.LOCAL_AUTHORITY,
        lead=anchor,
        region="Rutland",
        start=dt.date(2022, 4, 1),
        description="The county council still coordinates school sport.",
    )
    _add(ctx, county, members, dt.date(2022, 4, 1))
    made.append((county, None))

    members = take([index.first(la=la, phase=Phase.PRIMARY, exclude=used) for la in ONLINE_LAS])
    online = _cluster(
        ctx,
        programme,
        name="Rural small schools online PE network",
        kind=Cluster.Kind.ONLINE,
        lead=members[0],
        region="England (online)",
        start=dt.date(2024, 1, 8),
        description="Small rural primaries far apart, meeting online each half term.",
    )
    _add(ctx, online, members, dt.date(2024, 1, 8))
    made.append((online, "outsider"))

    for cluster, login in made:
        people.with_role(
            "cluster_coordinator",
            job_title="PE and school sport coordinator",
            works_at=cluster.lead_school,
            start=ROLES_FROM,
            cluster=cluster,
            login=login,
        )
    ctx.objects["sport.programme"] = programme
    ctx.objects["sport.clusters"] = {cluster.kind: cluster for cluster, _ in made}
    return f"{PROGRAMME_NAME}: {len(made)} clusters, one of each kind."
