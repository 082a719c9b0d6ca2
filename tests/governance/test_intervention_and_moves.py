"""Inspection outcomes from the real GIAS-derived file, triggers opening cases for the
cluster board's next agenda, supporting schools before partners, and moving an academy."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from clusterwork.core.errors import ServiceError
from clusterwork.governance import intervention, moves, services
from clusterwork.governance.importer import import_inspections
from clusterwork.governance.models import InspectionOutcome, InterventionCase, MoveProposal
from tests.factories import SchoolFactory

from .conftest import START, meeting_for

FACTS = Path(settings.DATA_DIR) / "gias" / "derived" / "school_facts.csv"


def _facts(tmp_path, text):
    path = tmp_path / "school_facts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_file_imports_ratings_and_leaves_the_unknown_unknown(db):
    # URNs from the shared file: 100000 Outstanding, 100006 no rating.
    rated, unrated = SchoolFactory(urn=100000), SchoolFactory(urn=100006)
    result = import_inspections(FACTS, urns={100000, 100006})
    assert result.recorded == 1 and result.unknown == 1
    outcome = InspectionOutcome.objects.get(school=rated)
    assert outcome.rating == "Outstanding" and outcome.source.startswith("school_facts.csv line")
    assert not InspectionOutcome.objects.filter(school=unrated).exists()
    again = import_inspections(FACTS, urns={100000, 100006})
    assert again.recorded == 0 and again.unchanged == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("urn,ofsted_rating\nabc,Good\n", "school_facts.csv, line 2, field urn"),
        ("urn,ofsted_rating\n100000,Brilliant\n", "line 2, field ofsted_rating: “Brilliant”"),
        ("urn,ofsted_rating,ofsted_date\n100000,Good,31-02-2024\n", "field ofsted_date"),
        ("school,grade\n1,Good\n", "line 1: no inspection columns"),
    ],
)
def test_bad_input_names_file_line_and_field_and_writes_nothing(db, tmp_path, body, message):
    SchoolFactory(urn=100000)
    with pytest.raises(ServiceError, match=message):
        import_inspections(_facts(tmp_path, body))
    assert InspectionOutcome.objects.count() == 0


def test_a_full_gias_file_is_read_by_its_own_column_names(db, tmp_path):
    school = SchoolFactory(urn=123456)
    path = _facts(
        tmp_path,
        "URN,EstablishmentName,OfstedRating (name),OfstedLastInsp\n"
        "123456,Any School,Requires improvement,12-03-2024\n",
    )
    import_inspections(path)
    outcome = InspectionOutcome.objects.get(school=school)
    assert outcome.rating == "Requires improvement"
    assert outcome.inspected_on == dt.date(2024, 3, 12)


def test_an_inspection_below_good_opens_a_case_on_the_cluster_boards_next_agenda(
    trust_world, tmp_path
):
    w = trust_world
    intervention.rule_create(
        actor=None,
        trust=w.trust,
        name="Below good",
        measure_key="governance.inspection_score",
        comparison="gte",
        threshold=Decimal(3),
    )
    meeting = meeting_for(w.board)
    # School 0 was Good; a new report says Requires improvement: evaluated on import.
    path = _facts(tmp_path, f"urn,ofsted_rating\n{w.schools[0].urn},Requires improvement\n")
    result = import_inspections(path)
    assert result.cases_opened == 1  # only the school whose outcome changed is evaluated
    case = InterventionCase.objects.get(school=w.schools[0])
    assert "Inspection outcome" in case.reason and case.cluster == w.north
    assert meeting.items.filter(case=case).exists()
    # The schedule evaluates every school: school 1 (already RI) opens; then nothing more
    # while those cases are open.
    assert [c.school for c in intervention.evaluate(trust=w.trust)] == [w.schools[1]]
    assert intervention.evaluate(trust=w.trust) == []
    support = intervention.proposed_support(case)
    assert [s.name for s, _ in support["schools"]] == [w.schools[2].name]  # Outstanding, no case


def test_a_case_waits_for_the_next_meeting_and_closes_with_a_reason(trust_world):
    w = trust_world
    case = intervention.case_open(
        actor=None,
        school=w.schools[2],
        cluster=w.north,
        title="Attendance",
        reason="Persistent absence",
    )
    meeting = meeting_for(w.board)
    assert meeting.items.filter(case=case).exists()
    with pytest.raises(ServiceError, match="why"):
        intervention.case_update(actor=None, case=case, status="closed")
    intervention.case_update(actor=None, case=case, status="closed", closure_reason="Improved")
    case.refresh_from_db()
    assert case.closed_on == timezone.localdate() and not case.is_open


def test_falling_rolls_compare_the_directorys_history(trust_world):
    w = trust_world
    school = w.schools[0]
    history = school.history.model
    school.number_of_pupils = 400
    school.save()
    history.objects.filter(id=school.pk).update(
        history_date=timezone.now() - dt.timedelta(days=400)
    )
    school.number_of_pupils = 340
    school.save()
    assert intervention.pupils_on(school, timezone.localdate()) == Decimal(340)
    assert intervention.pupils_on(school, timezone.localdate() - dt.timedelta(days=370)) == (
        Decimal(400)
    )
    assert intervention.fires("falls_pct", Decimal(10), Decimal(340), Decimal(400))
    assert not intervention.fires("falls_pct", Decimal(20), Decimal(340), Decimal(400))


def test_a_move_needs_both_boards_and_keeps_the_membership_history(trust_world):
    w = trust_world
    south_board = services.board_create(actor=None, cluster=w.south)
    school = w.schools[2]
    day = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ServiceError, match="different cluster"):
        moves.move_propose(
            actor=None, school=school, from_cluster=w.north, to_cluster=w.north, effective_on=day
        )
    proposal = moves.move_propose(
        actor=None, school=school, from_cluster=w.north, to_cluster=w.south, effective_on=day
    )
    impact = moves.impact(proposal)
    sizes = {c.cluster.name: (c.before_size, c.size) for c in impact["clusters"]}
    assert sizes == {"North": (3, 2), "South": (2, 3)}
    services.decision_record(
        actor=None, board=w.board, text="Agree", decided_on=START, subject_key=proposal.subject_key
    )
    proposal.refresh_from_db()
    assert proposal.status == MoveProposal.Status.PROPOSED  # the south board has not decided
    services.decision_record(
        actor=None,
        board=south_board,
        text="Agree",
        decided_on=START,
        subject_key=proposal.subject_key,
    )
    proposal.refresh_from_db()
    assert proposal.status == MoveProposal.Status.DONE
    old = w.north.memberships.get(school=school)
    new = w.south.memberships.get(school=school)
    assert old.end == day and new.start == day and new.end is None
