"""The scheme of delegation: versions of a trust's default, its tighter intervention
version, cluster and academy variations; and the lookup "who decides X for school Y on day
d?", which answers with the level, the version and why. The gates of other apps' approvals
ask the same lookup."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError
from clusterwork.core.money import pounds

from .models import (
    BOARD_LEVELS,
    Code,
    DecisionArea,
    Level,
    SchemeCell,
    SchemeThreshold,
    SchemeVersion,
    SchoolCategory,
)

# The decision areas, seeded by migration 0002; ``ensure_areas`` puts them back where a
# database was emptied after migrating (a test flush).
AREAS = [
    ("vision", "Vision, ethos and strategy"),
    ("governance-structure", "Governance structure and the scheme of delegation"),
    ("appoint-members", "Appointing board and LGB members and chairs"),
    ("clerk", "Appointing the clerk"),
    ("budget-approval", "Budget approval"),
    ("budget-monitoring", "Budget monitoring and virement"),
    ("spending", "Spending and claims above thresholds"),
    ("contracts", "Contracts and shared services above thresholds"),
    ("head-appointment", "Headteacher appointment"),
    ("lead-head", "Lead headteacher appointment"),
    ("pay", "Pay policy and appraisal"),
    ("staffing", "Staffing structure and deployment"),
    ("curriculum", "Curriculum policies"),
    ("behaviour", "Behaviour and exclusions"),
    ("safeguarding", "Safeguarding"),
    ("improvement-plan", "School improvement plan"),
    ("admissions", "Admissions"),
    ("risk-estates", "Risk register and estates"),
    ("complaints", "Complaints"),
    ("intervention", "Intervention and support"),
]


def ensure_areas() -> None:
    if DecisionArea.objects.exists():
        return
    for order, (key, name) in enumerate(AREAS, start=1):
        DecisionArea.objects.get_or_create(key=key, defaults={"name": name, "order": order * 10})


# What a guarded step of another app is about.
STEP_AREAS = {
    "funding.approve_claim": "spending",
    "sharedservices.agree_service": "contracts",
}


def areas() -> list[DecisionArea]:
    ensure_areas()
    return list(DecisionArea.objects.order_by("order", "name"))


# ----- versions ------------------------------------------------------------------------------


def _layer_filter(trust, layer, cluster=None, school=None) -> Q:
    return Q(trust=trust, layer=layer, cluster=cluster, school=school)


@transaction.atomic
def version_create(
    *,
    actor,
    trust,
    layer: str = SchemeVersion.Layer.DEFAULT,
    cluster=None,
    school=None,
    note: str = "",
    copy_from: SchemeVersion | None = None,
    cells: dict | None = None,
    thresholds: list | None = None,
) -> SchemeVersion:
    """A draft version of one layer. ``cells`` maps (area key, level) to a code;
    ``thresholds`` is a list of (area key, above pence, level)."""
    if layer not in SchemeVersion.Layer.values:
        raise ServiceError("Choose the layer of the scheme.", field="layer")
    if layer == SchemeVersion.Layer.CLUSTER and (cluster is None or school is not None):
        raise ServiceError("A cluster variation names its cluster.", field="cluster")
    if layer == SchemeVersion.Layer.ACADEMY and (school is None or cluster is not None):
        raise ServiceError("An academy variation names its academy.", field="school")
    if layer in (SchemeVersion.Layer.DEFAULT, SchemeVersion.Layer.INTERVENTION) and (
        cluster is not None or school is not None
    ):
        raise ServiceError("The trust's default and intervention versions are trust-wide.")
    if cluster is not None and cluster.programme.trust_id != trust.pk:
        raise ServiceError(f"{cluster} is not one of {trust}'s clusters.", field="cluster")
    drafts = SchemeVersion.objects.filter(
        _layer_filter(trust, layer, cluster, school), approved_on__isnull=True
    )
    if drafts.exists():
        raise ServiceError("This layer already has a draft; approve or change it first.")
    last = (
        SchemeVersion.objects.filter(_layer_filter(trust, layer, cluster, school))
        .order_by("-number")
        .first()
    )
    version = SchemeVersion(
        trust=trust,
        layer=layer,
        cluster=cluster,
        school=school,
        number=(last.number + 1) if last else 1,
        note=note,
        created_by=user_or_none(actor),
    )
    audited_save(version, actor)
    source = copy_from or last
    if source is not None and cells is None:
        SchemeCell.objects.bulk_create(
            SchemeCell(version=version, area_id=c.area_id, level=c.level, code=c.code)
            for c in source.cells.all()
        )
        SchemeThreshold.objects.bulk_create(
            SchemeThreshold(
                version=version, area_id=t.area_id, above_pence=t.above_pence, level=t.level
            )
            for t in source.thresholds.all()
        )
    by_key = {a.key: a for a in areas()}
    for (key, level), code in (cells or {}).items():
        cell_set(actor=actor, version=version, area=by_key[key], level=level, code=code)
    for key, above, level in thresholds or []:
        threshold_set(
            actor=actor, version=version, area=by_key[key], above_pence=above, level=level
        )
    return version


def _draft(version: SchemeVersion) -> None:
    if version.approved_on is not None:
        raise ServiceError(
            f"{version} was approved on {day_text(version.approved_on)}; start a new version "
            "to change it."
        )


@transaction.atomic
def cell_set(
    *, actor, version: SchemeVersion, area: DecisionArea, level: str, code: str
) -> SchemeCell | None:
    """Set one cell of a draft; an empty code clears it."""
    _draft(version)
    if level not in Level.values:
        raise ServiceError("Choose a level.", field="level")
    if code and code not in Code.values:
        raise ServiceError("Use D, R, A, M or I.", field="code")
    cell = SchemeCell.objects.filter(version=version, area=area, level=level).first()
    if not code:
        # A draft is not yet a record of anything: clearing one of its cells removes it.
        if cell is not None:
            cell.delete()
        return None
    if cell is None:
        cell = SchemeCell(version=version, area=area, level=level)
    cell.code = code
    cell.full_clean()
    cell.save()
    return cell


@transaction.atomic
def threshold_set(
    *, actor, version: SchemeVersion, area: DecisionArea, above_pence: int, level: str
) -> SchemeThreshold:
    _draft(version)
    if level not in Level.values:
        raise ServiceError("Choose a level.", field="level")
    if above_pence is None or above_pence < 0:
        raise ServiceError("A threshold is an amount of money.", field="above_pence")
    threshold = SchemeThreshold(version=version, area=area, above_pence=above_pence, level=level)
    threshold.full_clean()
    threshold.save()
    return threshold


def check_matrix(version: SchemeVersion) -> list[str]:
    """What is wrong with a version: an area with no level or several levels deciding; a
    default that leaves an area out."""
    problems = []
    deciders: dict[int, list[str]] = {}
    for cell in version.cells.all():
        if cell.code == Code.DECIDES:
            deciders.setdefault(cell.area_id, []).append(cell.level)
    covered = set(version.cells.values_list("area_id", flat=True))
    for area in DecisionArea.objects.filter(pk__in=covered):
        found = deciders.get(area.pk, [])
        if len(found) != 1:
            problems.append(f"{area.name}: {len(found)} levels decide (one must)")
    if version.layer == SchemeVersion.Layer.DEFAULT:
        for area in DecisionArea.objects.exclude(pk__in=covered):
            problems.append(f"{area.name}: the trust default must say who decides")
    return problems


@transaction.atomic
def version_approve(*, actor, version: SchemeVersion, approved_on: dt.date) -> SchemeVersion:
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    _draft(version)
    problems = check_matrix(version)
    if problems:
        raise ServiceError("The scheme cannot be approved: " + "; ".join(problems) + ".")
    if not version.cells.exists():
        raise ServiceError("A version with no cells changes nothing.")
    version.approved_on = approved_on
    version.approved_by = user_or_none(actor)
    audited_save(version, actor, f"approved on {approved_on}")
    return version


# ----- lookup -------------------------------------------------------------------------------


@dataclass
class Answer:
    area: DecisionArea
    level: str
    version: SchemeVersion
    reasons: list[str] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def needs_board_decision(self) -> bool:
        return self.level in BOARD_LEVELS

    @property
    def why(self) -> str:
        return " ".join(self.reasons)


def trust_and_cluster(school=None, cluster=None, on: dt.date | None = None):
    """The trust whose scheme applies, and the school's cluster in that trust on ``on``."""
    if cluster is None and school is not None:
        membership = (
            school.cluster_memberships.on(on)
            .filter(programme__trust__isnull=False)
            .select_related("cluster__programme__trust")
            .first()
        )
        cluster = membership.cluster if membership else None
    trust = cluster.programme.trust if cluster is not None else None
    if trust is None and school is not None:
        trust = school.trust
    return trust, cluster


def _latest(trust, layer, on, cluster=None, school=None) -> SchemeVersion | None:
    return (
        SchemeVersion.objects.filter(
            _layer_filter(trust, layer, cluster, school), approved_on__lte=on
        )
        .order_by("-approved_on", "-number")
        .first()
    )


def in_intervention(school, on: dt.date) -> bool:
    return (
        school is not None
        and SchoolCategory.objects.on(on)
        .filter(school=school, category=SchoolCategory.Category.INTERVENTION)
        .exists()
    )


def versions_in_force(trust, on: dt.date, *, school=None, cluster=None) -> list[SchemeVersion]:
    """Most specific first: academy variation, cluster variation, intervention, default."""
    found = []
    if school is not None:
        found.append(_latest(trust, SchemeVersion.Layer.ACADEMY, on, school=school))
    if cluster is not None:
        found.append(_latest(trust, SchemeVersion.Layer.CLUSTER, on, cluster=cluster))
    if in_intervention(school, on):
        found.append(_latest(trust, SchemeVersion.Layer.INTERVENTION, on))
    found.append(_latest(trust, SchemeVersion.Layer.DEFAULT, on))
    return [v for v in found if v is not None]


def who_decides(
    area: DecisionArea | str,
    *,
    on: dt.date,
    school=None,
    cluster=None,
    amount_pence: int | None = None,
) -> Answer | None:
    """Who decides ``area`` for ``school`` (or for ``cluster``) on ``on``; with an amount,
    the thresholds of the version that applies route it. None when the trust has no
    approved scheme on that day."""
    if isinstance(area, str):
        ensure_areas()
        area = DecisionArea.objects.get(key=area)
    trust, cluster = trust_and_cluster(school, cluster, on)
    if trust is None:
        return None
    where = school.name if school is not None else str(cluster)
    for version in versions_in_force(trust, on, school=school, cluster=cluster):
        cells = {c.level: c.code for c in version.cells.filter(area=area)}
        if not cells:
            continue
        decider = next((lvl for lvl, code in cells.items() if code == Code.DECIDES), None)
        if decider is None:
            continue
        reasons = [
            f"{version} of {trust}'s scheme of delegation (approved "
            f"{day_text(version.approved_on)}) applies to {where} on {day_text(on)}"
            + _why_layer(version, school, on)
            + ".",
            f"For {area.name.lower()} it gives D (decides) to {Level(decider).label.lower()}.",
        ]
        level = decider
        if amount_pence is not None:
            above = (
                version.thresholds.filter(area=area, above_pence__lt=amount_pence)
                .order_by("-above_pence")
                .first()
            )
            if above is not None:
                level = above.level
                reasons.append(
                    f"The amount, {pounds(amount_pence)}, is above its threshold of "
                    f"{pounds(above.above_pence)}, so {Level(level).label.lower()} decides."
                )
        return Answer(area=area, level=level, version=version, reasons=reasons, codes=cells)
    return None


def _why_layer(version: SchemeVersion, school, on) -> str:
    if version.layer == SchemeVersion.Layer.ACADEMY:
        return ", the academy's own variation"
    if version.layer == SchemeVersion.Layer.CLUSTER:
        return f", the variation of {version.cluster} (the school's cluster)"
    if version.layer == SchemeVersion.Layer.INTERVENTION:
        return ", because the school is in an intervention category"
    return ", the trust default (no variation covers this area)"
