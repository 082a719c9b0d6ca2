"""Bourne Education Trust (seed 003): a trust's own cluster model with three clusters of its
real schools. The people are invented; the seed's named leaders are not used."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.conf import settings

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, Programme
from clusterwork.core.demo import demo_step
from clusterwork.schools import services as school_services
from clusterwork.schools.models import Phase, School, Trust

from .loader import MARKER_PROGRAMME

TRUST_NAME = "Bourne Education Trust"
MATCHED_CSV = Path("gias") / "derived" / "bourne_seed_schools_matched.csv"
STARTED = dt.date(2019, 9, 1)
ROLES_FROM = dt.date(2024, 9, 1)

# Seed 003's cluster table, by the names the seed uses; the URNs come from the matched CSV.
CLUSTERS = (
    (
        "Epsom",
        "Epsom and Ewell",
        (
            "Auriol Junior School",
            "Epsom and Ewell High School",
            "Meadow Primary School",
            "Teddington School",
            "West Ewell Primary School",
            "Woodmansterne Primary",
        ),
    ),
    (
        "CAS",
        "Chertsey / Addlestone / Staines",
        (
            "Chertsey High School",
            "Jubilee High School",
            "Pyrcroft Grange Primary School",
            "Sayes Court Primary School",
            "The Matthew Arnold School",
        ),
    ),
    (
        "Woking",
        "Woking",
        (
            "Broadmere Primary",
            "Brookwood Primary School",
            "Everest Community Academy",
            "New Monument Primary",
            "Sythwood Primary School",
        ),
    ),
)


def matched_csv_path() -> Path:
    return Path(settings.DATA_DIR) / MATCHED_CSV


def seed_urns() -> dict[str, int]:
    """Seed school name → URN, from the shared matched file (read in place)."""
    with matched_csv_path().open(newline="", encoding="utf-8") as handle:
        return {row["seed_name"]: int(row["urn"]) for row in csv.DictReader(handle)}


def _schools(names, urns) -> list[School]:
    wanted = [urns[name] for name in names]
    found = {school.urn: school for school in School.objects.filter(urn__in=wanted)}
    missing = [urn for urn in wanted if urn not in found]
    if missing:
        raise LookupError(
            f"Bourne schools missing from the directory (URNs {missing}); import GIAS first."
        )
    return [found[urn] for urn in wanted]


@demo_step(order=10, name="bourne")
def build(ctx) -> str:
    actor, people = ctx.actor, ctx.people
    trust = Trust.objects.filter(name=TRUST_NAME).first() or school_services.trust_create(
        actor=actor, name=TRUST_NAME, kind=Trust.Kind.MULTI_ACADEMY_TRUST
    )
    programme = cluster_services.programme_create(
        actor=actor,
        name=MARKER_PROGRAMME,
        kind=Programme.Kind.TRUST,
        trust=trust,
        min_cluster_size=3,
        max_cluster_size=8,
        target_cluster_size=5,
        description="Clusters of around five academies, arranged by strategic and "
        "geographical area, for school-led improvement and quality assurance across the trust.",
    )
    people.with_role(
        "trust_admin",
        job_title="Director of school improvement (central team)",
        start=ROLES_FROM,
        trust=trust,
        login="bourne_admin",
    )
    urns = seed_urns()
    clusters, school_count = {}, 0
    for name, region, school_names in CLUSTERS:
        schools = _schools(school_names, urns)
        lead = next(school for school in schools if school.phase == Phase.SECONDARY)
        cluster = cluster_services.cluster_create(
            actor=actor,
            programme=programme,
            name=name,
            kind=Cluster.Kind.MAT_CLUSTER,
            lead_school=lead,
            region=region,
            started_on=STARTED,
        )
        for school in schools:
            school_services.school_set_trust(actor=actor, school=school, trust=trust)
            # Academies that opened after the clusters began joined when they opened.
            start = max(STARTED, school.open_date or STARTED)
            cluster_services.membership_add(
                actor=actor, cluster=cluster, school=school, start=start
            )
            login = "epsom_head" if school.name == "Auriol Junior School" else None
            people.headteacher(school, start=ROLES_FROM, login=login)
        people.with_role(
            "cluster_coordinator",
            job_title="Deputy headteacher and cluster lead",
            works_at=lead,
            start=ROLES_FROM,
            cluster=cluster,
            login="epsom_coordinator" if name == "Epsom" else None,
        )
        clusters[name] = cluster
        school_count += len(schools)
    ctx.objects["bourne.trust"] = trust
    ctx.objects["bourne.programme"] = programme
    ctx.objects["bourne.clusters"] = clusters
    return (
        f"Bourne Education Trust: {len(clusters)} clusters (Epsom, CAS, Woking), "
        f"{school_count} schools."
    )
