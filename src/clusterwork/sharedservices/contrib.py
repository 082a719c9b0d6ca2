"""What shared services add to other apps' pages and registries without being imported:
measures (shared cost per pupil), digest items, personal data (a person's deployments),
and sections on the cluster impact dashboard and on a move proposal."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from clusterwork.core import digest, measures, personal_data
from clusterwork.core.digest import DigestItem
from clusterwork.core.measures import Measure

from .years import year_label, year_of

CENT = Decimal("0.01")


def _school_year_total(school, year: int) -> int:
    from .costs import split_service
    from .models import SharedService
    from .years import year_span

    lo, hi = year_span(year)
    memberships = school.cluster_memberships.overlapping(lo, hi)
    clusters = set(memberships.values_list("cluster_id", flat=True))
    programmes = set(memberships.values_list("programme_id", flat=True))
    services = SharedService.objects.filter(agreed_on__isnull=False).filter(
        Q(cluster_id__in=clusters) | Q(cluster__isnull=True, programme_id__in=programmes)
    )
    return sum(split_service(s, year).share_of(school.pk) for s in services)


def cost_per_pupil_school(school, day: dt.date):
    """£ of shared services per pupil in the academic year of ``day`` (None: no pupil number
    or no agreed shared service)."""
    if not school.number_of_pupils:
        return None
    total = _school_year_total(school, year_of(day))
    if not total:
        return None
    return (Decimal(total) / 100 / school.number_of_pupils).quantize(CENT, ROUND_HALF_UP)


def cluster_costs(cluster, year: int) -> dict:
    """The cluster's academies' shared costs in ``year``: cluster services and their share
    of the trust's core services, and pupils."""
    from .costs import split_service
    from .models import SharedService
    from .years import year_span

    lo, hi = year_span(year)
    members = {m.school_id: m.school for m in cluster.memberships.overlapping(lo, hi)}
    cluster_pence = trust_pence = 0
    services = SharedService.objects.filter(agreed_on__isnull=False).filter(
        Q(cluster=cluster) | Q(cluster__isnull=True, programme_id=cluster.programme_id)
    )
    for service in services:
        split = split_service(service, year)
        part = sum(split.share_of(sid) for sid in members)
        if service.cluster_id:
            cluster_pence += part
        else:
            trust_pence += part
    pupils = sum(s.number_of_pupils or 0 for s in members.values())
    return {
        "cluster_pence": cluster_pence,
        "trust_pence": trust_pence,
        "total_pence": cluster_pence + trust_pence,
        "pupils": pupils,
        "schools": len(members),
    }


def cost_per_pupil_cluster(cluster, day: dt.date):
    costs = cluster_costs(cluster, year_of(day))
    if not costs["pupils"] or not costs["total_pence"]:
        return None
    return (Decimal(costs["total_pence"]) / 100 / costs["pupils"]).quantize(CENT, ROUND_HALF_UP)


def digest_items(user, since, until) -> list[DigestItem]:
    from .models import ServiceTerms
    from .selectors import deployments_visible_to, services_visible_to

    items = []
    visible = services_visible_to(user)
    for service in visible.filter(agreed_on__gte=since, agreed_on__lte=until):
        items.append(
            DigestItem(
                app="sharedservices",
                title=f"Shared service agreed: {service} ({service.level_display})",
                url=service.get_absolute_url(),
                when=service.agreed_on,
            )
        )
    for service in visible.filter(status="proposed"):
        if user.has_perm("sharedservices.manage_service", service):
            items.append(
                DigestItem(
                    app="sharedservices",
                    title=f"Shared service awaiting agreement: {service}",
                    url=service.get_absolute_url(),
                    when=service.created_at.date(),
                    kind="due",
                )
            )
    changes = ServiceTerms.objects.filter(
        service__in=visible, start__gte=since, start__lte=until
    ).exclude(reason="first terms")
    for terms in changes.select_related("service"):
        items.append(
            DigestItem(
                app="sharedservices",
                title=f"{terms.service}: new cost or method from {terms.start:%-d %b %Y}",
                url=terms.service.get_absolute_url(),
                when=terms.start,
            )
        )
    starting = deployments_visible_to(user).filter(
        cancelled_at__isnull=True, start__gte=since, start__lte=until
    )
    for deployment in starting:
        items.append(
            DigestItem(
                app="sharedservices",
                title=f"Teacher deployment starts: {deployment.person} to "
                f"{deployment.host_school.name} ({deployment.get_purpose_display()})",
                url=deployment.get_absolute_url(),
                when=deployment.start,
            )
        )
    return items


def deployments_of(person) -> list[dict]:
    from .models import Deployment

    return [
        {
            "cluster": d.cluster.name,
            "home_school": d.home_school.name,
            "host_school": d.host_school.name,
            "purpose": d.get_purpose_display(),
            "start": d.start.isoformat(),
            "end": d.end.isoformat() if d.end else None,
            "session": d.get_session_display(),
            "notes": d.notes,
            "cancelled": d.cancelled_at is not None,
        }
        for d in Deployment.objects.filter(person=person).select_related(
            "cluster", "home_school", "host_school"
        )
    ]


def erase_deployments(person, actor) -> int:
    """Deployments stay (schools were recharged for them); the notes, which may say more
    about the person, are cleared. The person's name goes with the person record."""
    from clusterwork.core.audit import audited_save

    from .models import Deployment

    changed = 0
    for deployment in Deployment.objects.filter(person=person).exclude(notes=""):
        deployment.notes = ""
        audited_save(deployment, actor, "personal data erased")
        changed += 1
    return changed


def impact_cluster_section(request, cluster):
    from .selectors import deployments_visible_to, services_visible_to

    if (
        not services_visible_to(request.user)
        .filter(Q(cluster=cluster) | Q(cluster__isnull=True, programme_id=cluster.programme_id))
        .exists()
        and not deployments_visible_to(request.user).filter(cluster=cluster).exists()
    ):
        return None
    year = year_of(timezone.localdate())
    costs = cluster_costs(cluster, year)
    from .deployments import recharge_summary

    return {
        "cluster": cluster,
        "year_label": year_label(year),
        "costs": costs,
        "per_pupil": cost_per_pupil_cluster(cluster, timezone.localdate()),
        "deployments": recharge_summary(cluster, year),
    }


def move_proposal_section(request, proposal):
    from .moves import move_impact

    return move_impact(request.user, proposal)


def register() -> None:
    measures.register(
        Measure(
            key="sharedservices.cost_per_pupil",
            label="Shared services cost per pupil",
            applies_to="school",
            unit="£",
            compute=cost_per_pupil_school,
            higher_is_better=False,
            help_text="The school's share of agreed trust and cluster services in the "
            "academic year, divided by its pupils (GIAS).",
        )
    )
    measures.register(
        Measure(
            key="sharedservices.cluster_cost_per_pupil",
            label="Cluster shared services cost per pupil",
            applies_to="cluster",
            unit="£",
            compute=cost_per_pupil_cluster,
            higher_is_better=False,
            help_text="The cluster's academies' shares of agreed services in the academic "
            "year, divided by their pupils.",
        )
    )
    digest.register("sharedservices", digest_items)
    personal_data.register(
        personal_data.PersonalData(
            app="sharedservices",
            label="Teacher deployments",
            export=deployments_of,
            erase=erase_deployments,
            models=("sharedservices.Deployment",),
        )
    )
