"""Intervention: the measures governance contributes, the trust's trigger rules over any
registered measure, their evaluation (on change and on a schedule), and cases that go to the
cluster board first, with the cluster's supporting schools proposed before partners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from clusterwork.core import measures
from clusterwork.core.audit import audited_save, user_or_none
from clusterwork.core.dates import day_text
from clusterwork.core.errors import ServiceError
from clusterwork.core.measures import Measure

from . import quorum
from .models import (
    RATING_SCORES,
    AgendaItem,
    Board,
    BoardMeeting,
    CaseNote,
    InterventionCase,
    Mou,
    MoveProposal,
    Partner,
    Rating,
    SchoolCategory,
    TriggerRule,
)

# ----- measures ---------------------------------------------------------------------------


def inspection_score(school, day: dt.date):
    """1 outstanding … 4 serious weaknesses or special measures; None when not known (or a
    report card without an overall grade)."""
    outcome = quorum.latest_outcome(school, day)
    if outcome is None or outcome.rating not in RATING_SCORES:
        return None
    return Decimal(RATING_SCORES[outcome.rating])


def special_measures(school, day: dt.date):
    outcome = quorum.latest_outcome(school, day)
    if outcome is None:
        return None
    return Decimal(1 if outcome.rating == Rating.SPECIAL_MEASURES else 0)


def pupils_on(school, day: dt.date):
    """The school's pupil number as the directory held it at the end of ``day`` (its
    history), so a trigger can see numbers falling between imports."""
    end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    try:
        record = school.history.as_of(end_of_day)
    except school.DoesNotExist:
        return None
    return None if record.number_of_pupils is None else Decimal(record.number_of_pupils)


def staff_leavers(school, day: dt.date):
    """Staff who left roles at the school in the year to ``day`` (recorded staff changes)."""
    from clusterwork.circumstances.models import StaffChange

    year_before = day - dt.timedelta(days=365)
    return Decimal(
        StaffChange.objects.filter(
            school=school,
            kind=StaffChange.Kind.LEFT,
            starts_on__gt=year_before,
            starts_on__lte=day,
        ).count()
    )


def engagement_flagged(school, day: dt.date):
    """1 when the meetings app flags the school as disengaged in any of its clusters today
    (engagement is computed for now, so other days have no value)."""
    if day != timezone.localdate():
        return None
    from clusterwork.meetings.engagement import engagement_for_school

    found = None
    for membership in school.cluster_memberships.on(day).select_related("cluster__programme"):
        row = engagement_for_school(membership.cluster, school)
        if row is not None:
            found = max(found or 0, 1 if row.flagged else 0)
    return None if found is None else Decimal(found)


GOVERNANCE_MEASURES = [
    Measure(
        "governance.inspection_score",
        "Inspection outcome (1 outstanding – 4)",
        "school",
        inspection_score,
        higher_is_better=False,
        help_text="From the latest inspection outcome; none for a report card without a grade",
    ),
    Measure(
        "governance.special_measures",
        "In special measures (1 yes, 0 no)",
        "school",
        special_measures,
        higher_is_better=False,
    ),
    Measure("governance.pupils", "Pupils on roll", "school", pupils_on, unit="pupils"),
    Measure(
        "governance.staff_leavers",
        "Staff who left in the last year",
        "school",
        staff_leavers,
        higher_is_better=False,
    ),
    Measure(
        "governance.engagement_flagged",
        "Flagged for missing cluster meetings",
        "school",
        engagement_flagged,
        higher_is_better=False,
    ),
]


def register_measures() -> None:
    for measure in GOVERNANCE_MEASURES:
        measures.register(measure)


# ----- rules ------------------------------------------------------------------------------


def fires(comparison: str, threshold: Decimal, now, before=None) -> bool:
    """The rule's test on the values; a missing value never fires."""
    if now is None:
        return False
    if comparison == TriggerRule.Comparison.AT_LEAST:
        return now >= threshold
    if comparison == TriggerRule.Comparison.AT_MOST:
        return now <= threshold
    if before is None or before == 0:
        return False
    change = (Decimal(now) - Decimal(before)) * 100 / Decimal(before)
    if comparison == TriggerRule.Comparison.FALLS_BY:
        return -change >= threshold
    return change >= threshold


@transaction.atomic
def rule_create(
    *,
    actor,
    trust,
    name: str,
    measure_key: str,
    comparison: str,
    threshold: Decimal,
    window_days: int = 365,
) -> TriggerRule:
    if not name.strip():
        raise ServiceError("Name the trigger.", field="name")
    try:
        measure = measures.get(measure_key)
    except KeyError:
        raise ServiceError("Choose a measure.", field="measure_key") from None
    if measure.applies_to != "school":
        raise ServiceError(
            "Triggers are about schools: choose a school measure.", field="measure_key"
        )
    if comparison not in TriggerRule.Comparison.values:
        raise ServiceError("Choose how to compare.", field="comparison")
    rule = TriggerRule(
        trust=trust,
        name=name.strip(),
        measure_key=measure_key,
        comparison=comparison,
        threshold=threshold,
        window_days=window_days,
        created_by=user_or_none(actor),
    )
    audited_save(rule, actor)
    return rule


def trust_schools(trust, day: dt.date):
    """(school, cluster) for every school in one of the trust's clusters on ``day``."""
    from clusterwork.clusters.models import ClusterMembership

    rows = (
        ClusterMembership.objects.on(day)
        .filter(programme__trust=trust, cluster__archived_at__isnull=True)
        .select_related("school", "cluster")
    )
    return [(m.school, m.cluster) for m in rows]


def describe(rule: TriggerRule, now, before) -> str:
    measure = measures.get(rule.measure_key)
    text = f"{measure.label} is {now}"
    if before is not None and rule.comparison in (
        TriggerRule.Comparison.FALLS_BY,
        TriggerRule.Comparison.RISES_BY,
    ):
        text += f" (was {before} {rule.window_days} days earlier)"
    return (
        f"Trigger “{rule.name}”: {text}; the rule fires when it "
        f"{rule.get_comparison_display()} {rule.threshold.normalize()}."
    )


@transaction.atomic
def evaluate(*, actor=None, trust=None, schools=None, on: dt.date | None = None) -> list:
    """Evaluate the trusts' active rules (one trust, or all) for their schools (or only
    ``schools``, after a change); open a case for each rule that fires where no case for that
    rule and school is open. Returns the cases opened."""
    day = on or timezone.localdate()
    rules_ = TriggerRule.objects.active()
    if trust is not None:
        rules_ = rules_.filter(trust=trust)
    wanted = {s.pk for s in schools} if schools is not None else None
    opened = []
    by_trust: dict[int, list] = {}
    for rule in rules_.select_related("trust"):
        if rule.trust_id not in by_trust:
            by_trust[rule.trust_id] = trust_schools(rule.trust, day)
        try:
            measure = measures.get(rule.measure_key)
        except KeyError:
            continue
        for school, cluster in by_trust[rule.trust_id]:
            if wanted is not None and school.pk not in wanted:
                continue
            now = measure.compute(school, day)
            before = None
            if rule.comparison in (
                TriggerRule.Comparison.FALLS_BY,
                TriggerRule.Comparison.RISES_BY,
            ):
                before = measure.compute(school, day - dt.timedelta(days=rule.window_days))
            if not fires(rule.comparison, rule.threshold, now, before):
                continue
            if (
                InterventionCase.objects.filter(rule=rule, school=school)
                .exclude(status=InterventionCase.Status.CLOSED)
                .exists()
            ):
                continue
            opened.append(
                case_open(
                    actor=actor,
                    school=school,
                    cluster=cluster,
                    rule=rule,
                    title=f"{school.name}: {rule.name}",
                    reason=describe(rule, now, before),
                    opened_on=day,
                )
            )
    return opened


# ----- cases ------------------------------------------------------------------------------


def next_meeting(board: Board | None) -> BoardMeeting | None:
    if board is None:
        return None
    return (
        board.meetings.filter(status=BoardMeeting.Status.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def case_open(
    *,
    actor,
    school,
    cluster,
    title: str,
    reason: str,
    rule=None,
    owner=None,
    opened_on: dt.date | None = None,
) -> InterventionCase:
    if not title.strip():
        raise ServiceError("Give the case a title.", field="title")
    if not cluster.memberships.on(opened_on or timezone.localdate()).filter(school=school).exists():
        raise ServiceError(f"{school.name} is not in {cluster}.", field="school")
    if owner is None:
        lead = cluster.lead_heads.current().select_related("person").first()
        owner = lead.person if lead else None
    case = InterventionCase(
        school=school,
        cluster=cluster,
        rule=rule,
        title=title.strip(),
        reason=reason,
        opened_on=opened_on or timezone.localdate(),
        owner=owner,
        opened_by=user_or_none(actor),
    )
    audited_save(case, actor)
    meeting = next_meeting(Board.objects.filter(cluster=cluster).first())
    if meeting is not None:
        _agenda_for_case(actor, meeting, case)
    return case


def _agenda_for_case(actor, meeting, case) -> AgendaItem:
    from .services import item_add

    return item_add(
        actor=actor,
        meeting=meeting,
        title=f"Intervention: {case.title}",
        paper=case.reason,
        case=case,
    )


def carry_to_agenda(*, actor, meeting: BoardMeeting) -> int:
    """Put the board's open cases and pending moves that are on no planned agenda on this
    meeting's agenda."""
    from .services import item_add

    board = meeting.board
    if board.cluster_id is None:
        return 0
    waiting = (
        InterventionCase.objects.filter(cluster_id=board.cluster_id)
        .exclude(status=InterventionCase.Status.CLOSED)
        .exclude(agenda_items__meeting__status=BoardMeeting.Status.PLANNED)
        .exclude(agenda_items__meeting=meeting)
    )
    added = 0
    for case in waiting.distinct():
        _agenda_for_case(actor, meeting, case)
        added += 1
    moves = (
        MoveProposal.objects.filter(
            Q(from_cluster_id=board.cluster_id) | Q(to_cluster_id=board.cluster_id),
            status=MoveProposal.Status.PROPOSED,
        )
        .exclude(
            agenda_items__meeting__board=board,
            agenda_items__meeting__status__in=[BoardMeeting.Status.PLANNED],
        )
        .exclude(agenda_items__meeting=meeting)
    )
    for move in moves.distinct():
        item_add(actor=actor, meeting=meeting, title=str(move), move=move, paper=move.reason)
        added += 1
    return added


@transaction.atomic
def case_update(
    *,
    actor,
    case: InterventionCase,
    status: str,
    owner=None,
    note: str = "",
    closure_reason: str = "",
    on: dt.date | None = None,
) -> InterventionCase:
    case = InterventionCase.objects.select_for_update().get(pk=case.pk)
    if case.status == InterventionCase.Status.CLOSED:
        raise ServiceError("This case is closed.")
    if status not in InterventionCase.Status.values:
        raise ServiceError("Choose a status.", field="status")
    if status == InterventionCase.Status.CLOSED:
        if not closure_reason.strip():
            raise ServiceError("Say why the case is closed.", field="closure_reason")
        case.closed_on = on or timezone.localdate()
        case.closure_reason = closure_reason.strip()
    case.status = status
    if owner is not None:
        case.owner = owner
    audited_save(case, actor, note[:100])
    if note.strip():
        note_add(actor=actor, case=case, text=note)
    return case


@transaction.atomic
def note_add(
    *,
    actor,
    case: InterventionCase,
    text: str,
    action_owner=None,
    action_due: dt.date | None = None,
) -> CaseNote:
    if not text.strip():
        raise ServiceError("Write the note.", field="text")
    if action_due is not None and action_owner is None:
        raise ServiceError("An action has an owner.", field="action_owner")
    note = CaseNote(
        case=case,
        text=text.strip(),
        action_owner=action_owner,
        action_due=action_due,
        written_by=user_or_none(actor),
    )
    audited_save(note, actor)
    return note


def proposed_support(case: InterventionCase, day: dt.date | None = None) -> dict:
    """The cluster's supporting schools first (good or better, no open case of their own),
    then the trust's partners with an MoU in force."""
    day = day or timezone.localdate()
    supporters = []
    schools = case.cluster.memberships.on(day).exclude(school=case.school).select_related("school")
    troubled = set(
        InterventionCase.objects.exclude(status=InterventionCase.Status.CLOSED).values_list(
            "school_id", flat=True
        )
    )
    for membership in schools:
        outcome = quorum.latest_outcome(membership.school, day)
        if (
            outcome
            and quorum.lead_head_eligible(outcome.rating, None)
            and (membership.school_id not in troubled)
        ):
            supporters.append((membership.school, outcome.rating))
    trust = case.cluster.programme.trust
    partners = []
    if trust is not None:
        for mou in (
            Mou.objects.on(day)
            .filter(partner__trust=trust, partner__archived_at__isnull=True)
            .select_related("partner")
        ):
            partners.append(mou)
    return {"schools": supporters, "partners": partners}


# ----- categories and partners -------------------------------------------------------------


@transaction.atomic
def category_mark(
    *,
    actor,
    school,
    category: str,
    start: dt.date,
    cluster=None,
    note: str = "",
    end: dt.date | None = None,
) -> SchoolCategory:
    if category not in SchoolCategory.Category.values:
        raise ServiceError("Choose the category.", field="category")
    if category == SchoolCategory.Category.SPONSORED and cluster is None:
        raise ServiceError("A sponsored-category school is assigned to a cluster.", field="cluster")
    if (
        SchoolCategory.objects.filter(school=school, category=category)
        .overlapping(start, end)
        .exists()
    ):
        raise ServiceError(f"{school.name} is already marked so in those dates.")
    row = SchoolCategory(
        school=school,
        category=category,
        start=start,
        end=end,
        cluster=cluster,
        note=note,
        recorded_by=user_or_none(actor),
    )
    audited_save(row, actor)
    return row


@transaction.atomic
def partner_add(
    *,
    actor,
    trust,
    name: str,
    kind: str,
    mou_scope: str = "",
    mou_start: dt.date | None = None,
    mou_end: dt.date | None = None,
) -> Partner:
    if not name.strip():
        raise ServiceError("Name the partner.", field="name")
    if kind not in Partner.Kind.values:
        raise ServiceError("Choose the kind of partner.", field="kind")
    partner = Partner(trust=trust, name=name.strip(), kind=kind)
    audited_save(partner, actor)
    if mou_start is not None:
        if mou_end is not None and mou_end <= mou_start:
            raise ServiceError(f"The MoU must end after {day_text(mou_start)}.", field="mou_end")
        audited_save(
            Mou(
                partner=partner,
                scope=mou_scope or "Support for the trust's academies",
                start=mou_start,
                end=mou_end,
                recorded_by=user_or_none(actor),
            ),
            actor,
        )
    return partner
