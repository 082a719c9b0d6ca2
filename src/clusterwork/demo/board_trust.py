"""A trust run on seed 004's cluster-board model: an invented trust ("(demo)" in its name)
over real open West Sussex schools, grouped by town around a secondary.

Each board is the heads and chairs of its schools plus a trust director ex officio; the lead
headteacher (appointed by the directors) holds the cluster coordinator role. Boards and voting
are a later feature: this step makes only the people and the clusters.
"""

from __future__ import annotations

import datetime as dt

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, Programme
from clusterwork.core.demo import demo_step
from clusterwork.schools import services as school_services
from clusterwork.schools.models import Phase

TRUST_NAME = "Downland Academies Trust (demo)"
PROGRAMME_NAME = "Downland Academies Trust cluster boards (demo)"
LA = "West Sussex"
# One cluster per town: the town's lowest-URN secondary and its four nearest primaries.
TOWNS = ("Horsham", "Crawley", "Chichester")
PRIMARIES_PER_CLUSTER = 4
STARTED = dt.date(2023, 9, 1)
LEAD_NOTE = "Lead headteacher, appointed by the trust directors; leads the cluster board"


@demo_step(order=20, name="board_trust")
def build(ctx) -> str:
    actor, people, index = ctx.actor, ctx.people, ctx.schools
    trust = school_services.trust_create(actor=actor, name=TRUST_NAME)
    programme = cluster_services.programme_create(
        actor=actor,
        name=PROGRAMME_NAME,
        kind=Programme.Kind.TRUST,
        trust=trust,
        governance=Programme.Governance.CLUSTER_BOARDS,
        min_cluster_size=3,
        max_cluster_size=8,
        target_cluster_size=5,
        description="Devolved cluster boards: the heads and chairs of each cluster's academies, "
        "a trust director ex officio and a lead headteacher appointed by the directors.",
    )
    people.with_role(
        "trust_admin",
        job_title="Trust operations manager",
        start=STARTED,
        trust=trust,
        login="downland_admin",
    )
    # Ex officio on every board; read-only across the trust.
    people.with_role(
        "viewer",
        job_title="Trust director (ex officio on the cluster boards)",
        start=STARTED,
        trust=trust,
        note="Trust director, ex officio",
    )
    used: set[int] = set()
    clusters = {}
    for town in TOWNS:
        anchor = index.first(la=LA, phase=Phase.SECONDARY, town=town, exclude=used)
        feeders = index.nearest(
            anchor, PRIMARIES_PER_CLUSTER, phases={Phase.PRIMARY}, la=LA, exclude=used
        )
        members = [anchor, *feeders]
        used.update(point.pk for point in members)
        lead = ctx.school(anchor)
        cluster = cluster_services.cluster_create(
            actor=actor,
            programme=programme,
            name=town,
            kind=Cluster.Kind.MAT_CLUSTER,
            lead_school=lead,
            region=f"{town}, {LA}",
            started_on=STARTED,
            description=f"Cluster board for the trust's academies in and around {town}.",
        )
        for point in members:
            school = ctx.school(point)
            school_services.school_set_trust(actor=actor, school=school, trust=trust)
            cluster_services.membership_add(
                actor=actor, cluster=cluster, school=school, start=STARTED
            )
            head = people.headteacher(school, start=STARTED)
            people.with_role(
                "chair_of_governors",
                job_title="Chair of the local governing body",
                works_at=school,
                school=school,
                start=STARTED,
            )
            if point.pk == anchor.pk:
                people.role(
                    head, "cluster_coordinator", cluster=cluster, start=STARTED, note=LEAD_NOTE
                )
        clusters[town] = cluster
    ctx.objects["board.trust"] = trust
    ctx.objects["board.programme"] = programme
    ctx.objects["board.clusters"] = clusters
    return f"{TRUST_NAME}: cluster boards in {', '.join(TOWNS)}, {len(used)} West Sussex schools."
