"""A national primary-science cluster programme like seeds 001/002: clusters of nearby real
primaries in different regions, each with a coordinator and a science subject leader per
school, in cohorts 2022–2025 at different stages (forming, active, self-running).

History is lived-in: one school moved to a newer neighbouring cluster in 2024 and one school
left the programme in 2025.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, Programme
from clusterwork.core.demo import demo_step
from clusterwork.schools.models import Phase

PROGRAMME_NAME = "Primary Science Cluster Programme (demo)"


@dataclass(frozen=True)
class Plan:
    name: str
    la: str
    town: str
    region: str
    size: int  # schools at the start, lead included
    started: dt.date
    status: str


PLANS = (
    Plan(
        "Carlisle",
        "Cumberland",
        "Carlisle",
        "North West",
        6,
        dt.date(2022, 9, 1),
        Cluster.Status.INDEPENDENT,
    ),
    Plan(
        "Bristol",
        "Bristol, City of",
        "Bristol",
        "South West",
        7,
        dt.date(2022, 9, 1),
        Cluster.Status.ACTIVE,
    ),
    Plan(
        "Leeds",
        "Leeds",
        "Leeds",
        "Yorkshire and the Humber",
        6,
        dt.date(2023, 9, 1),
        Cluster.Status.ACTIVE,
    ),
    Plan(
        "South Gloucestershire",
        "South Gloucestershire",
        "",
        "South West",
        5,
        dt.date(2024, 9, 1),
        Cluster.Status.ACTIVE,
    ),
    Plan(
        "Norwich",
        "Norfolk",
        "Norwich",
        "East of England",
        8,
        dt.date(2025, 9, 1),
        Cluster.Status.ACTIVE,
    ),
    Plan(
        "Truro", "Cornwall", "Truro", "South West", 4, dt.date(2025, 9, 1), Cluster.Status.FORMING
    ),
)
MOVE = (
    "Bristol",
    "South Gloucestershire",
    dt.date(2024, 9, 1),
    "Joined the new South Gloucestershire cluster, nearer to the school",
)
LEAVE = (
    "Leeds",
    dt.date(2025, 7, 31),
    "Withdrew after joining a multi-academy trust with its own science network",
)


@demo_step(order=30, name="science")
def build(ctx) -> str:
    actor, people, index = ctx.actor, ctx.people, ctx.schools
    programme = cluster_services.programme_create(
        actor=actor,
        name=PROGRAMME_NAME,
        kind=Programme.Kind.NATIONAL_PROGRAMME,
        min_cluster_size=3,
        max_cluster_size=12,
        description="Funded five-year programme: clusters of 3–12 primary schools whose science "
        "subject leaders meet, share practice and work towards self-running independence.",
    )
    people.with_role(
        "programme_admin",
        job_title="Cluster programme director",
        start=dt.date(2022, 4, 1),
        programme=programme,
        login="science_admin",
    )
    used: set[int] = set()
    clusters, members_of = {}, {}
    for plan in PLANS:
        anchor = index.first(la=plan.la, phase=Phase.PRIMARY, town=plan.town, exclude=used)
        members = [
            anchor,
            *index.nearest(anchor, plan.size - 1, phases={Phase.PRIMARY}, exclude=used),
        ]
        used.update(point.pk for point in members)
        lead = ctx.school(anchor)
        cluster = cluster_services.cluster_create(
            actor=actor,
            programme=programme,
            name=f"{plan.name} Science Cluster",
            kind=Cluster.Kind.SUBJECT_NETWORK,
            lead_school=lead,
            region=plan.region,
            status=plan.status,
            started_on=plan.started,
            description=f"Cohort {plan.started.year}: primary science subject leaders around "
            f"{anchor.name}.",
        )
        is_demo = plan.name == "Bristol"
        for position, point in enumerate(members):
            school = ctx.school(point)
            cluster_services.membership_add(
                actor=actor, cluster=cluster, school=school, start=plan.started
            )
            people.headteacher(school, start=plan.started)
            if position == 0:
                # The coordinator is the lead school's science subject leader.
                coordinator = people.with_role(
                    "cluster_coordinator",
                    job_title="Science subject leader and cluster coordinator",
                    works_at=school,
                    start=plan.started,
                    cluster=cluster,
                    login="science_coordinator" if is_demo else None,
                )
                people.role(coordinator, "subject_leader", school=school, start=plan.started)
            else:
                login = "science_leader" if is_demo and position == 1 else None
                people.with_role(
                    "subject_leader",
                    job_title="Science subject leader",
                    works_at=school,
                    school=school,
                    start=plan.started,
                    login=login,
                )
        clusters[plan.name], members_of[plan.name] = cluster, members

    source, target, moved_on, reason = MOVE
    target_anchor = members_of[target][0]
    # Not the lead school nor the demo subject leader's school (index 0 and 1): their logins'
    # descriptions promise the source cluster.
    mover = min(
        members_of[source][2:], key=lambda point: (target_anchor.distance_to(point), point.urn)
    )
    cluster_services.membership_move(
        actor=actor,
        school=ctx.school(mover),
        to_cluster=clusters[target],
        on=moved_on,
        reason=reason,
    )
    left_cluster, left_on, left_reason = LEAVE
    leaver = members_of[left_cluster][-1]
    membership = clusters[left_cluster].memberships.get(school_id=leaver.pk, end__isnull=True)
    cluster_services.membership_end(
        actor=actor, membership=membership, end=left_on, reason=left_reason
    )

    ctx.objects["science.programme"] = programme
    ctx.objects["science.clusters"] = clusters
    ctx.objects["science.moved_school"] = ctx.school(mover)
    ctx.objects["science.left_school"] = ctx.school(leaver)
    return (
        f"{PROGRAMME_NAME}: {len(clusters)} clusters, {len(used)} primaries; "
        f"{mover.name} moved {source} → {target}, {leaver.name} left {left_cluster}."
    )
