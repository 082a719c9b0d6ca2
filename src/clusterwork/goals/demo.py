"""Demo: visions, goals with progress, projects and achievements for the science clusters."""

import datetime as dt

from clusterwork.core.demo import demo_step
from clusterwork.people.models import Role, RoleAssignment

from . import services
from .models import Goal, Project

VISION = (
    "Every child in our schools enjoys hands-on, investigative science, taught by confident "
    "teachers who share ideas and resources."
)

GOALS = [
    (
        "Share one practical lesson idea at every meeting",
        Goal.Horizon.SHORT,
        Goal.Ambition.SIMPLE,
        "achieved",
    ),
    (
        "Agree a common progression map for working scientifically",
        Goal.Horizon.MEDIUM,
        Goal.Ambition.AMBITIOUS,
        "on_track",
    ),
    (
        "Every school gains the Primary Science Quality Mark",
        Goal.Horizon.LONG,
        Goal.Ambition.AMBITIOUS,
        "at_risk",
    ),
]

PROJECTS = [
    ("10 Key Words", Project.Kind.CLUSTER_GENERATED, {}),
    ("Chain Reaction challenge", Project.Kind.PROGRAMME_RESOURCE, {"resource": "Chain Reaction"}),
    (
        "Science fair with the local university",
        Project.Kind.OUTREACH,
        {"partner_kind": "university", "partner_name": "the local university's outreach team"},
    ),
]


@demo_step(order=61, name="goals")
def build(ctx) -> str:
    today = dt.date.today()
    counts = [0, 0, 0]
    for cluster in ctx.objects["science.clusters"].values():
        if cluster.status == "forming":
            continue
        started = cluster.started_on
        members = [m.school for m in cluster.memberships.current().select_related("school")]
        coordinator = (
            RoleAssignment.objects.current()
            .filter(cluster=cluster, role=Role.CLUSTER_COORDINATOR)
            .first()
            .person
        )
        services.vision_set(
            actor=ctx.actor,
            cluster=cluster,
            statement=VISION,
            agreed_on=started + dt.timedelta(days=60),
        )
        for title, horizon, ambition, status in GOALS:
            goal = services.goal_create(
                actor=ctx.actor,
                cluster=cluster,
                title=title,
                horizon=horizon,
                ambition=ambition,
                owner=coordinator,
                target_date=started
                + dt.timedelta(days={"short": 180, "medium": 540, "long": 1400}[horizon]),
            )
            services.goal_progress(
                actor=ctx.actor,
                goal=goal,
                text="Discussed at the cluster meeting; first steps agreed.",
                status="on_track",
                on=min(today, started + dt.timedelta(days=90)),
            )
            if status != "on_track":
                services.goal_progress(
                    actor=ctx.actor,
                    goal=goal,
                    text="Done in every school."
                    if status == "achieved"
                    else "Two schools have had staff changes; timetable slipping.",
                    status=status,
                    on=min(today, started + dt.timedelta(days=200)),
                )
            counts[0] += 1
        for index, (title, kind, extra) in enumerate(PROJECTS):
            project = services.project_create(
                actor=ctx.actor,
                cluster=cluster,
                title=title,
                kind=kind,
                schools=members[: 3 + index],
                starts_on=(starts := started + dt.timedelta(days=120 * (index + 1))),
                ends_on=starts + dt.timedelta(days=180) if index == 0 else None,
                status="running" if starts <= today else "planned",
                **extra,
            )
            if index == 0:
                services.project_set_status(
                    actor=ctx.actor,
                    project=project,
                    status="completed",
                    outcomes=(
                        "Each class displays ten key science words; pupils use them in "
                        "explanations."
                    ),
                )
            counts[1] += 1
        services.achievement_record(
            actor=ctx.actor,
            cluster=cluster,
            title="Primary Science Quality Mark",
            kind="quality_mark",
            school=members[0],
            on=min(today, started + dt.timedelta(days=400)),
        )
        services.achievement_record(
            actor=ctx.actor,
            cluster=cluster,
            title="Royal Society Partnership Grant",
            kind="grant",
            school=members[1],
            on=min(today, started + dt.timedelta(days=300)),
            amount_pence=300_000,
            description="For a pupil-led investigation into local air quality.",
        )
        counts[2] += 2
    return (
        f"Goals: {counts[0]} goals, {counts[1]} projects, {counts[2]} achievements "
        "in the science clusters."
    )
