"""Demo: changes in circumstances and staff turnover in the science clusters."""

import datetime as dt

from clusterwork.core.demo import demo_step
from clusterwork.people.models import Role, RoleAssignment
from clusterwork.schools import services as school_services

from . import services


def _leader_at(cluster, school_name_index=1):
    schools = [
        m.school
        for m in cluster.memberships.current().select_related("school").order_by("school__name")
    ]
    school = schools[school_name_index]
    return RoleAssignment.objects.current().filter(role=Role.SUBJECT_LEADER, school=school).first()


@demo_step(order=63, name="circumstances")
def build(ctx) -> str:
    clusters = ctx.objects["science.clusters"]
    today = dt.date.today()
    leeds, bristol = clusters["Leeds"], clusters["Bristol"]
    leaver = ctx.objects["science.left_school"]
    trust = school_services.trust_create(actor=ctx.actor, name="Aire Valley Learning Trust (demo)")
    services.circumstance_record(
        actor=ctx.actor,
        cluster=leeds,
        kind="joined_trust",
        school=leaver,
        trust=trust,
        occurred_on=dt.date(2025, 4, 1),
        title=f"{leaver.name} joined a multi-academy trust",
        impact="high",
        description="The trust runs its own science network.",
        response="Headteachers met; the school stayed until the summer and then withdrew.",
    )
    first_bristol = (
        bristol.memberships.current()
        .select_related("school")
        .order_by("school__name")
        .first()
        .school
    )
    services.circumstance_record(
        actor=ctx.actor,
        cluster=bristol,
        kind="inspection",
        school=first_bristol,
        occurred_on=today - dt.timedelta(days=40),
        title="Ofsted inspection: science a focus",
        impact="medium",
        response="Cluster medium-term goal on assessment brought forward.",
        review_on=today + dt.timedelta(days=20),
    )
    people = ctx.people
    changes = 0
    norwich = clusters["Norwich"]
    leaving = _leader_at(norwich)
    if leaving is not None:
        successor = people.person(job_title="Science subject leader", school=leaving.school)
        services.staff_change_record(
            actor=ctx.actor,
            cluster=norwich,
            assignment=leaving,
            kind="left",
            starts_on=today - dt.timedelta(days=10),
            replacement=successor,
            handover_notes="Planning audit and resource list are in the cluster's shared folder.",
        )
        changes += 1
    away = _leader_at(clusters["South Gloucestershire"], 2)
    if away is not None:
        cover = people.person(job_title="Teacher (covering science)", school=away.school)
        services.staff_change_record(
            actor=ctx.actor,
            cluster=clusters["South Gloucestershire"],
            assignment=away,
            kind="sabbatical",
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=120),
            review_on=today + dt.timedelta(days=25),
            replacement=cover,
            handover_notes="Cover joins meetings; review at half term.",
        )
        changes += 1
    return f"Changes: 2 circumstances and {changes} staff changes in the science clusters."
