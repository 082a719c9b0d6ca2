"""Downland Academies Trust, fully governed (issue 12): a board per cluster and the trust
board with their members (one vacancy), lead headteachers appointed by the trust board, a
held meeting with a declared interest, a vote and minutes, a scheme of delegation with one
academy's variation and thresholds, inspection outcomes from the real GIAS-derived file, an
open intervention case, partners, and a move proposal awaiting the boards' decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from clusterwork.core.demo import demo_step
from clusterwork.people.models import Role, RoleAssignment

from . import intervention, moves, scheme, services
from .importer import import_inspections
from .models import InspectionOutcome, Rating

STARTED = dt.date(2023, 9, 1)
APPROVED = dt.date(2024, 7, 1)

# The trust default (D decides; R recommends; A advises; M monitors; I informed).
DEFAULT = {
    "vision": {
        "members": "A",
        "trust_board": "D",
        "cluster_board": "R",
        "lgb": "A",
        "ceo": "R",
        "headteacher": "I",
    },
    "governance-structure": {"members": "D", "trust_board": "R", "cluster_board": "A", "lgb": "I"},
    "appoint-members": {"members": "A", "trust_board": "D", "cluster_board": "R", "lgb": "R"},
    "clerk": {"trust_board": "M", "cluster_board": "D", "lgb": "A", "ceo": "R"},
    "budget-approval": {
        "trust_board": "D",
        "committee": "R",
        "cluster_board": "R",
        "lgb": "A",
        "headteacher": "R",
    },
    "budget-monitoring": {
        "trust_board": "M",
        "committee": "M",
        "cluster_board": "M",
        "lgb": "M",
        "headteacher": "D",
    },
    "spending": {"trust_board": "M", "cluster_board": "A", "ceo": "M", "headteacher": "D"},
    "contracts": {"trust_board": "M", "cluster_board": "R", "ceo": "D", "headteacher": "A"},
    "head-appointment": {"trust_board": "D", "cluster_board": "R", "lgb": "R", "ceo": "R"},
    "lead-head": {"trust_board": "D", "cluster_board": "R", "ceo": "A"},
    "pay": {"trust_board": "D", "committee": "R", "lgb": "M", "headteacher": "R"},
    "staffing": {"trust_board": "M", "cluster_board": "A", "lgb": "M", "headteacher": "D"},
    "curriculum": {"trust_board": "M", "cluster_board": "A", "lgb": "D", "headteacher": "R"},
    "behaviour": {"trust_board": "I", "lgb": "M", "headteacher": "D"},
    "safeguarding": {"trust_board": "D", "cluster_board": "M", "lgb": "M", "headteacher": "R"},
    "improvement-plan": {"trust_board": "M", "cluster_board": "M", "lgb": "D", "headteacher": "R"},
    "admissions": {"trust_board": "D", "lgb": "R", "headteacher": "A"},
    "risk-estates": {"trust_board": "D", "committee": "R", "lgb": "M", "ceo": "R"},
    "complaints": {"trust_board": "M", "lgb": "D", "headteacher": "R"},
    "intervention": {"trust_board": "M", "cluster_board": "D", "ceo": "R", "lgb": "I"},
}
# Spending and shared services above these amounts go to the boards.
THRESHOLDS = [
    ("spending", 1_000_000, "cluster_board"),  # above £10,000
    ("spending", 5_000_000, "trust_board"),  # above £50,000
    ("contracts", 500_000, "cluster_board"),  # above £5,000 a year
    ("contracts", 2_500_000, "trust_board"),  # above £25,000 a year
]
# The intervention version: the cluster board decides the improvement plan and the curriculum.
TIGHTER = {
    "improvement-plan": {"trust_board": "M", "cluster_board": "D", "lgb": "A", "headteacher": "R"},
    "curriculum": {"trust_board": "M", "cluster_board": "D", "lgb": "A", "headteacher": "R"},
    "spending": {"trust_board": "M", "cluster_board": "D", "ceo": "M", "headteacher": "R"},
}


def _cells(spec):
    return {(area, level): code for area, levels in spec.items() for level, code in levels.items()}


def _head(school, day):
    role = RoleAssignment.objects.on(day).filter(role=Role.HEADTEACHER, school=school).first()
    return role.person if role else None


def _chair(school, day):
    role = (
        RoleAssignment.objects.on(day).filter(role=Role.CHAIR_OF_GOVERNORS, school=school).first()
    )
    return role.person if role else None


@demo_step(order=60, name="governance")
def build(ctx) -> str:
    actor, people = ctx.actor, ctx.people
    trust = ctx.objects["board.trust"]
    clusters = ctx.objects["board.clusters"]
    schools = [m.school for c in clusters.values() for m in c.memberships.current()]
    urns = {s.urn for s in schools}
    # Real inspection outcomes for the trust's schools (school_facts.csv, GIAS ratings).
    imported = import_inspections(actor=actor, urns=urns, evaluate=False)

    director = people.with_role(
        Role.TRUST_DIRECTOR, job_title="Trust director", start=STARTED, trust=trust
    )
    people.with_role(
        Role.TRUST_DIRECTOR,
        job_title="Trust director (chair of the trust board)",
        start=STARTED,
        trust=trust,
    )
    trust_board = services.board_create(
        actor=actor, trust=trust, quorum_rule="fixed", quorum_fixed=2
    )
    clerk = people.person(job_title="Clerk to the governing bodies (shared)")
    services.member_appoint(
        actor=actor, board=trust_board, person=clerk, capacity="clerk", start=STARTED
    )
    boards = {}
    for index, (town, cluster) in enumerate(clusters.items()):
        board = services.board_create(actor=actor, cluster=cluster)
        boards[town] = board
        services.member_appoint(
            actor=actor, board=board, person=director, capacity="trust_director", start=STARTED
        )
        services.member_appoint(
            actor=actor, board=board, person=clerk, capacity="clerk", start=STARTED
        )
        if index != 1:  # Crawley's nominated trust staff seat is vacant
            staff = people.person(job_title="School improvement partner (trust staff)")
            services.member_appoint(
                actor=actor, board=board, person=staff, capacity="trust_staff", start=STARTED
            )
    # Lead headteachers: appointed by the trust board, from a good-or-better school.
    # Appointed now, on the outcomes just imported (school_facts.csv has no inspection dates).
    today = timezone.localdate()
    appointment = services.decision_record(
        actor=actor,
        board=trust_board,
        decided_on=today,
        area=None,
        text="The directors appoint a lead headteacher for each cluster from a school rated "
        "good or outstanding.",
    )
    leads = 0
    for cluster in clusters.values():
        for membership in sorted(
            cluster.memberships.current(), key=lambda m: m.school_id != cluster.lead_school_id
        ):
            outcome = InspectionOutcome.objects.filter(school=membership.school).first()
            if outcome and outcome.rating in (Rating.GOOD, Rating.OUTSTANDING):
                services.lead_head_appoint(
                    actor=actor,
                    cluster=cluster,
                    person=_head(membership.school, today),
                    decision=appointment,
                    start=today,
                )
                leads += 1
                break

    # The scheme: trust default, the tighter intervention version, one academy's variation.
    default = scheme.version_create(
        actor=actor,
        trust=trust,
        cells=_cells(DEFAULT),
        thresholds=THRESHOLDS,
        note="Agreed with the academies",
    )
    scheme.version_approve(actor=actor, version=default, approved_on=APPROVED)
    tighter = scheme.version_create(
        actor=actor,
        trust=trust,
        layer="intervention",
        cells=_cells(TIGHTER),
        note="For academies in an intervention category",
    )
    scheme.version_approve(actor=actor, version=tighter, approved_on=APPROVED)
    horsham = clusters["Horsham"]
    varied = next(
        m.school for m in horsham.memberships.current() if m.school_id != horsham.lead_school_id
    )
    variation = scheme.version_create(
        actor=actor,
        trust=trust,
        layer="academy",
        school=varied,
        cells=_cells({"admissions": {"trust_board": "M", "lgb": "D", "headteacher": "R"}}),
        note="Its own admissions (a former voluntary-aided school's arrangements)",
    )
    scheme.version_approve(actor=actor, version=variation, approved_on=APPROVED)

    # A held meeting of the Horsham board: attendance, a declared interest, a vote, minutes.
    board = boards["Horsham"]
    held_at = timezone.make_aware(dt.datetime(2025, 11, 12, 16, 0))
    meeting = services.meeting_create(
        actor=actor,
        board=board,
        title="Autumn board meeting",
        starts_at=held_at,
        location="Horsham lead school library",
    )
    members = [m.school for m in horsham.memberships.current()]
    present = [
        p for s in members for p in (_head(s, held_at.date()), _chair(s, held_at.date())) if p
    ] + [director]
    for person in present[:-2]:
        services.attendance_record(actor=actor, meeting=meeting, person=person, status="present")
    services.attendance_record(actor=actor, meeting=meeting, person=present[-2], status="apologies")
    services.attendance_record(actor=actor, meeting=meeting, person=director, status="remote")
    services.attendance_record(actor=actor, meeting=meeting, person=clerk, status="present")
    services.item_add(actor=actor, meeting=meeting, title="Minutes of the last meeting")
    item = services.item_add(
        actor=actor,
        meeting=meeting,
        title="Shared SENCo for the cluster",
        paper="Proposal: a shared SENCo, its cost split by pupil numbers at the October census.",
    )
    conflicted = _head(members[1], held_at.date())
    services.interest_declare(
        actor=actor,
        item=item,
        person=conflicted,
        interest="Their school would host the shared SENCo",
    )
    motion = services.motion_propose(
        actor=actor,
        item=item,
        area=scheme_area("contracts"),
        text="The board agrees a shared SENCo for the cluster from January, its cost shared "
        "by pupil numbers.",
    )
    voters = [p for p in present[:-2] if p != conflicted] + [director]
    for number, person in enumerate(voters):
        services.vote_cast(
            actor=actor, motion=motion, person=person, choice="abstain" if number == 0 else "for"
        )
    services.motion_close(actor=actor, motion=motion)
    services.item_action_add(
        actor=actor,
        item=item,
        owner=_head(members[0], held_at.date()),
        description="Draft the SENCo job description with the trust",
        due=dt.date(2025, 12, 5),
    )
    # The next meetings: the intervention case and the move go on their agendas.
    for town, board_ in boards.items():
        services.meeting_create(
            actor=actor,
            board=board_,
            title="Next board meeting",
            starts_at=timezone.now().replace(hour=16, minute=0, second=0, microsecond=0)
            + dt.timedelta(days=21),
            location=f"{town} lead school",
        )

    # Intervention: triggers, partners, an open case.
    intervention.rule_create(
        actor=actor,
        trust=trust,
        name="Below good at inspection",
        measure_key="governance.inspection_score",
        comparison="gte",
        threshold=Decimal(3),
    )
    intervention.rule_create(
        actor=actor,
        trust=trust,
        name="Falling rolls",
        measure_key="governance.pupils",
        comparison="falls_pct",
        threshold=Decimal(10),
        window_days=365,
    )
    intervention.partner_add(
        actor=actor,
        trust=trust,
        name="South Downs Teaching School Hub (demo)",
        kind="teaching_school",
        mou_scope="Leadership coaching and ECT support",
        mou_start=STARTED,
    )
    opened = intervention.evaluate(actor=actor)
    if not opened:
        # None of the trust's schools is below good: a recorded concern opens the case.
        school = members[-1]
        opened = [
            intervention.case_open(
                actor=actor,
                school=school,
                cluster=horsham,
                title=f"{school.name}: attendance concerns",
                reason="The trust's attendance review found persistent absence above the trigger.",
            )
        ]
    intervention.note_add(
        actor=actor, case=opened[0], text="First discussion with the cluster's supporting schools."
    )

    # A move proposal awaiting the two boards' decisions.
    crawley, chichester = clusters["Crawley"], clusters["Chichester"]
    mover = next(
        m.school for m in crawley.memberships.current() if m.school_id != crawley.lead_school_id
    )
    moves.move_propose(
        actor=actor,
        school=mover,
        from_cluster=crawley,
        to_cluster=chichester,
        effective_on=dt.date(timezone.localdate().year + 1, 1, 1),
        reason="The trust grows in Crawley; this academy works mostly with Chichester's schools.",
    )
    return (
        f"Governance: {len(boards)} cluster boards and the trust board, {leads} lead heads, "
        f"a held meeting with a vote, the scheme of delegation (3 versions), "
        f"{imported.recorded} inspection outcomes, {len(opened)} open case(s), a move proposal."
    )


def scheme_area(key):
    from .models import DecisionArea

    return DecisionArea.objects.get(key=key)
