"""The scheme of delegation: layers, versions, the lookup with its reasons, thresholds, and
the gates it puts on claims and shared services."""

import datetime as dt
from types import SimpleNamespace

import pytest

from clusterwork.core import gates
from clusterwork.core.errors import ServiceError
from clusterwork.governance import intervention, scheme, services
from clusterwork.governance.models import SchemeVersion

DAY = dt.date(2025, 3, 1)
APPROVED = dt.date(2024, 9, 1)


def _default(w, **extra):
    cells = {(a.key, "trust_board"): "D" for a in scheme.areas()}
    cells.update(
        {
            ("admissions", "trust_board"): "D",
            ("admissions", "lgb"): "R",
            ("spending", "trust_board"): "M",
            ("spending", "headteacher"): "D",
            ("contracts", "trust_board"): "M",
            ("contracts", "ceo"): "D",
        }
    )
    version = scheme.version_create(
        actor=None,
        trust=w.trust,
        cells=cells,
        thresholds=[
            ("spending", 1_000_000, "cluster_board"),
            ("spending", 5_000_000, "trust_board"),
            ("contracts", 500_000, "cluster_board"),
        ],
        **extra,
    )
    return scheme.version_approve(actor=None, version=version, approved_on=APPROVED)


def test_the_default_answers_with_its_version_and_why(trust_world):
    version = _default(trust_world)
    answer = scheme.who_decides("admissions", on=DAY, school=trust_world.schools[0])
    assert answer.level == "trust_board" and answer.version == version
    assert "trust default" in answer.why and "version 1" in answer.why
    # Before the scheme was approved there is no answer.
    assert (
        scheme.who_decides("admissions", on=dt.date(2024, 1, 1), school=trust_world.schools[0])
        is None
    )


def test_an_academy_variation_and_the_intervention_version_take_precedence(trust_world):
    w = trust_world
    _default(w)
    variation = scheme.version_create(
        actor=None,
        trust=w.trust,
        layer="academy",
        school=w.schools[1],
        cells={("admissions", "lgb"): "D", ("admissions", "trust_board"): "M"},
    )
    scheme.version_approve(actor=None, version=variation, approved_on=APPROVED)
    tighter = scheme.version_create(
        actor=None,
        trust=w.trust,
        layer="intervention",
        cells={("curriculum", "cluster_board"): "D", ("curriculum", "lgb"): "A"},
    )
    scheme.version_approve(actor=None, version=tighter, approved_on=APPROVED)
    assert scheme.who_decides("admissions", on=DAY, school=w.schools[1]).level == "lgb"
    assert (
        "academy's own variation"
        in scheme.who_decides("admissions", on=DAY, school=w.schools[1]).why
    )
    assert scheme.who_decides("admissions", on=DAY, school=w.schools[0]).level == "trust_board"
    # Curriculum: the default until the school is in an intervention category.
    assert scheme.who_decides("curriculum", on=DAY, school=w.schools[0]).level == "trust_board"
    intervention.category_mark(
        actor=None, school=w.schools[0], category="intervention", start=dt.date(2025, 1, 1)
    )
    answer = scheme.who_decides("curriculum", on=DAY, school=w.schools[0])
    assert answer.level == "cluster_board" and "intervention category" in answer.why
    assert (
        scheme.who_decides("curriculum", on=dt.date(2024, 12, 1), school=w.schools[0]).level
        == "trust_board"
    )


def test_thresholds_route_by_amount(trust_world):
    _default(trust_world)
    school = trust_world.schools[0]
    assert scheme.who_decides("spending", on=DAY, school=school, amount_pence=50_000).level == (
        "headteacher"
    )
    above = scheme.who_decides("spending", on=DAY, school=school, amount_pence=1_200_000)
    assert above.level == "cluster_board" and "£10,000.00" in above.why
    assert (
        scheme.who_decides("spending", on=DAY, school=school, amount_pence=6_000_000).level
        == "trust_board"
    )


def test_a_version_needs_one_deciding_level_per_area_and_is_frozen_once_approved(trust_world):
    w = trust_world
    version = _default(w)
    draft = scheme.version_create(actor=None, trust=w.trust, note="Review 2025")
    assert draft.number == 2 and draft.cells.count() == version.cells.count()
    scheme.cell_set(actor=None, version=draft, area=scheme.areas()[0], level="members", code="D")
    with pytest.raises(ServiceError, match="2 levels decide"):
        scheme.version_approve(actor=None, version=draft, approved_on=DAY)
    with pytest.raises(ServiceError, match="start a new version"):
        scheme.cell_set(actor=None, version=version, area=scheme.areas()[0], level="lgb", code="I")
    assert SchemeVersion.objects.filter(trust=w.trust).count() == 2


def _claim_facts(w, amount, pk=41):
    return dict(
        claim=SimpleNamespace(pk=pk),
        amount_pence=amount,
        school=w.schools[0],
        cluster=w.north,
        on=DAY,
        actor=None,
    )


def test_the_claim_gate_refuses_above_the_threshold_until_the_board_has_decided(trust_world):
    w = trust_world
    _default(w)
    gates.check("funding.approve_claim", **_claim_facts(w, 90_000))  # the head decides
    with pytest.raises(ServiceError, match="North cluster board must decide") as refused:
        gates.check("funding.approve_claim", **_claim_facts(w, 1_500_000))
    assert "£10,000.00" in refused.value.text
    # A decision about another claim does not count; one about this claim does.
    services.decision_record(
        actor=None,
        board=w.board,
        text="Approve claim 40",
        decided_on=DAY,
        subject_key="funding.claim:40",
    )
    with pytest.raises(ServiceError):
        gates.check("funding.approve_claim", **_claim_facts(w, 1_500_000))
    services.decision_record(
        actor=None,
        board=w.board,
        text="Approve claim 41",
        decided_on=DAY,
        subject_key="funding.claim:41",
    )
    gates.check("funding.approve_claim", **_claim_facts(w, 1_500_000))
    # Above the trust threshold the cluster board's decision is not enough.
    with pytest.raises(ServiceError, match="trust board must decide"):
        gates.check("funding.approve_claim", **_claim_facts(w, 6_000_000))


def test_the_service_gate_follows_the_contracts_threshold(trust_world):
    w = trust_world
    _default(w)
    service = SimpleNamespace(pk=7)
    facts = dict(service=service, cluster=w.north, on=DAY, actor=None)
    gates.check("sharedservices.agree_service", annual_cost_pence=400_000, **facts)
    with pytest.raises(ServiceError, match="cluster board must decide this shared service"):
        gates.check("sharedservices.agree_service", annual_cost_pence=900_000, **facts)
    services.decision_record(
        actor=None,
        board=w.board,
        text="Agree the SENCo",
        decided_on=DAY,
        subject_key="sharedservices.service:7",
    )
    gates.check("sharedservices.agree_service", annual_cost_pence=900_000, **facts)


def test_no_scheme_means_no_gate(trust_world):
    gates.check("funding.approve_claim", **_claim_facts(trust_world, 9_000_000))
