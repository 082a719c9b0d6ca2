"""Writes for programme stages, checklists and applications."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.clusters.models import Cluster, ClusterMembership, Programme
from clusterwork.core.audit import audited_archive, audited_save, user_or_none
from clusterwork.core.errors import ServiceError
from clusterwork.people import services as people_services
from clusterwork.people.models import Person, Role

from .models import Application, ChecklistItem, ChecklistTick, ClusterStage, StageDefinition

# The stages of a five-year cluster programme (seed 001), with checklists drawn from its advice.
DEFAULT_STAGES: list[dict] = [
    {
        "key": "application",
        "name": "Application",
        "pre": True,
        "description": "The schools apply with their coordinator and aims.",
        "exit": ["Every school's headteacher has signed the application"],
    },
    {
        "key": "panel",
        "name": "Panel decision",
        "pre": True,
        "description": "The programme's panel accepts or declines the application.",
        "exit": [],
    },
    {
        "key": "setup",
        "name": "Acceptance and set-up",
        "description": "Preparation and support to set up the cluster.",
        "entry": ["Panel accepted the application"],
        "exit": [
            "Cluster agreement signed by every headteacher",
            "Lead school confirmed to receive claims",
            "First meeting date set",
        ],
    },
    {
        "key": "year1",
        "name": "Year 1 — initiating and establishing",
        "description": "Building relationships, sharing ideas, simpler projects.",
        "exit": [
            "Shared vision agreed",
            "Short-, medium- and long-term goals set",
            "Self-assessment returned by every subject leader",
        ],
    },
    {
        "key": "developing",
        "name": "Years 2–4 — developing and maturing",
        "description": "More ambitious goals and projects; outreach beyond the cluster.",
        "exit": ["Succession plan agreed"],
    },
    {
        "key": "transition",
        "name": "Years 4–5 — transition to independence",
        "description": "Planning life beyond the programme's support.",
        "exit": [
            "Succession plan agreed with headteachers and the lead school",
            "Funding for years 5–6 in place",
        ],
    },
    {
        "key": "independent",
        "name": "Post-programme — sustainable and self-running",
        "description": "The cluster runs itself.",
    },
]


@transaction.atomic
def stages_install_defaults(*, actor, programme: Programme) -> list[StageDefinition]:
    """Give ``programme`` the standard stages and checklists, unless it already has stages."""
    existing = list(programme.stages.order_by("order"))
    if existing:
        return existing
    stages = []
    for order, spec in enumerate(DEFAULT_STAGES, start=1):
        stage = StageDefinition(
            programme=programme,
            order=order,
            key=spec["key"],
            name=spec["name"],
            description=spec.get("description", ""),
            is_pre_cluster=spec.get("pre", False),
        )
        audited_save(stage, actor)
        for when in (ChecklistItem.When.ENTRY, ChecklistItem.When.EXIT):
            for position, text in enumerate(spec.get(when.value, [])):
                audited_save(
                    ChecklistItem(stage=stage, when=when, text=text, order=position), actor
                )
        stages.append(stage)
    return stages


@transaction.atomic
def checklist_item_add(*, actor, stage: StageDefinition, text: str, when: str) -> ChecklistItem:
    if not text.strip():
        raise ServiceError("Write what has to be done.", field="text")
    if when not in ChecklistItem.When.values:
        raise ServiceError(
            "Choose whether the item is needed to enter or to leave the stage.", field="when"
        )
    order = stage.items.filter(when=when).count()
    item = ChecklistItem(stage=stage, when=when, text=text.strip(), order=order)
    audited_save(item, actor)
    return item


@transaction.atomic
def checklist_item_archive(*, actor, item: ChecklistItem) -> ChecklistItem:
    audited_archive(item, actor)
    return item


def current_stage(cluster: Cluster) -> ClusterStage | None:
    return cluster.stages.filter(left_on__isnull=True).select_related("stage").first()


@transaction.atomic
def stage_start(
    *, actor, cluster: Cluster, stage: StageDefinition, on: dt.date | None = None, note: str = ""
) -> ClusterStage:
    """Place a cluster that has no stage yet (e.g. one that existed before the programme used
    stages) at ``stage``. Moving on afterwards goes through ``stage_advance``."""
    if stage.programme_id != cluster.programme_id:
        raise ServiceError(f"“{stage}” is a stage of another programme.")
    if stage.is_pre_cluster:
        raise ServiceError(f"“{stage}” is for applications; a cluster starts at set-up or later.")
    if current_stage(cluster) is not None:
        raise ServiceError(f"{cluster} already has a stage; move it on instead.")
    row = ClusterStage(
        cluster=cluster, stage=stage, entered_on=on or timezone.localdate(), note=note
    )
    audited_save(row, actor)
    return row


@transaction.atomic
def checklist_set(
    *,
    actor,
    cluster: Cluster,
    item: ChecklistItem,
    done: bool,
    on: dt.date | None = None,
    note: str = "",
) -> ChecklistTick:
    if item.stage.programme_id != cluster.programme_id:
        raise ServiceError("That checklist item belongs to another programme.")
    if item.is_archived:
        raise ServiceError("That checklist item is no longer used.")
    tick = ChecklistTick.objects.select_for_update().filter(cluster=cluster, item=item).first()
    if tick is None:
        tick = ChecklistTick(cluster=cluster, item=item)
    tick.done = done
    tick.done_on = (on or timezone.localdate()) if done else None
    tick.done_by = user_or_none(actor) if done else None
    tick.note = note
    audited_save(tick, actor, "done" if done else "not done")
    return tick


def blockers(
    cluster: Cluster, here: StageDefinition, following: StageDefinition | None
) -> list[str]:
    """Checklist items still open before ``cluster`` may move from ``here`` to ``following``."""
    items = [i for i in here.items.all() if i.when == ChecklistItem.When.EXIT and not i.is_archived]
    if following is not None:
        items += [
            i
            for i in following.items.all()
            if i.when == ChecklistItem.When.ENTRY and not i.is_archived
        ]
    done = set(
        ChecklistTick.objects.filter(cluster=cluster, item__in=items, done=True).values_list(
            "item_id", flat=True
        )
    )
    return [item.text for item in items if item.id not in done]


@transaction.atomic
def stage_advance(
    *, actor, cluster: Cluster, on: dt.date | None = None, note: str = ""
) -> ClusterStage:
    """Move ``cluster`` to the programme's next stage; refused while its checklist is open."""
    row = (
        ClusterStage.objects.select_for_update()
        .filter(cluster=cluster, left_on__isnull=True)
        .first()
    )
    if row is None:
        raise ServiceError(f"{cluster} has no stage yet; place it at a stage first.")
    following = (
        StageDefinition.objects.filter(programme=cluster.programme_id, order__gt=row.stage.order)
        .order_by("order")
        .first()
    )
    if following is None:
        raise ServiceError(f"{cluster} is at the programme's last stage, “{row.stage}”.")
    missing = blockers(cluster, row.stage, following)
    if missing:
        raise ServiceError(
            f"{cluster} cannot move on to “{following}” yet: the checklist is incomplete — "
            + "; ".join(missing)
            + "."
        )
    day = on or timezone.localdate()
    if day < row.entered_on:
        raise ServiceError(
            f"{cluster} entered “{row.stage}” on {row.entered_on}; date the move after that."
        )
    row.left_on = day
    audited_save(row, actor)
    new_row = ClusterStage(cluster=cluster, stage=following, entered_on=day, note=note)
    audited_save(new_row, actor, f"moved on from {row.stage}")
    if following.key == "independent":
        cluster_services.cluster_update(
            actor=actor,
            cluster=cluster,
            status=Cluster.Status.INDEPENDENT,
            reason="completed the programme",
        )
    return new_row


@transaction.atomic
def application_submit(
    *,
    actor,
    programme: Programme,
    cluster_name: str,
    aims: str,
    schools: list,
    coordinator_name: str,
    coordinator_email: str,
    lead_school=None,
    region: str = "",
) -> Application:
    if not schools:
        raise ServiceError("List the schools that are applying together.", field="schools")
    if lead_school is not None and lead_school not in schools:
        raise ServiceError(
            "The lead school must be one of the applying schools.", field="lead_school"
        )
    taken = (
        ClusterMembership.objects.current()
        .filter(programme=programme, school__in=schools)
        .select_related("school", "cluster")
    )
    if taken:
        names = ", ".join(f"{m.school.name} ({m.cluster})" for m in taken)
        raise ServiceError(f"Already in a cluster of {programme}: {names}.", field="schools")
    application = Application(
        programme=programme,
        cluster_name=cluster_name.strip(),
        aims=aims,
        region=region,
        coordinator_name=coordinator_name.strip(),
        coordinator_email=coordinator_email.strip().lower(),
        lead_school=lead_school,
        submitted_by=user_or_none(actor),
    )
    audited_save(application, actor)
    application.schools.set(schools)
    return application


@transaction.atomic
def application_decide(
    *, actor, application: Application, accept: bool, notes: str, on: dt.date | None = None
) -> Application:
    """Record the panel's decision. Accepting creates the cluster, its memberships, the
    coordinator's role and places it at the set-up stage, in one transaction."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ServiceError(
            f"This application was already {application.get_status_display().lower()}."
        )
    if not notes.strip():
        raise ServiceError("Record the panel's reasons in the notes.", field="notes")
    day = on or timezone.localdate()
    programme = application.programme
    application.panel_notes = notes.strip()
    application.decided_on = day
    application.decided_by = user_or_none(actor)
    if not accept:
        application.status = Application.Status.DECLINED
        audited_save(application, actor, "declined by panel")
        return application
    stages = stages_install_defaults(actor=actor, programme=programme)
    cluster = cluster_services.cluster_create(
        actor=actor,
        programme=programme,
        name=application.cluster_name,
        kind=Cluster.Kind.SUBJECT_NETWORK,
        lead_school=application.lead_school,
        region=application.region,
        status=Cluster.Status.FORMING,
        started_on=day,
        description=application.aims,
    )
    for school in application.schools.order_by("name"):
        cluster_services.membership_add(actor=actor, cluster=cluster, school=school, start=day)
    coordinator = Person.objects.filter(email__iexact=application.coordinator_email).first()
    if coordinator is None:
        coordinator = people_services.person_create(
            actor=actor,
            full_name=application.coordinator_name,
            email=application.coordinator_email,
            school=application.lead_school,
        )
    people_services.role_assign(
        actor=actor, person=coordinator, role=Role.CLUSTER_COORDINATOR, cluster=cluster, start=day
    )
    setup = next((s for s in stages if not s.is_pre_cluster), None)
    if setup is not None:
        stage_start(actor=actor, cluster=cluster, stage=setup, on=day, note="accepted by panel")
        for item in setup.items.filter(when=ChecklistItem.When.ENTRY, archived_at__isnull=True):
            checklist_set(
                actor=actor, cluster=cluster, item=item, done=True, on=day, note=notes[:300]
            )
    application.status = Application.Status.ACCEPTED
    application.cluster = cluster
    audited_save(application, actor, "accepted by panel")
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ServiceError("Only an application awaiting the panel can be withdrawn.")
    application.status = Application.Status.WITHDRAWN
    application.panel_notes = reason
    audited_save(application, actor, "withdrawn")
    return application
