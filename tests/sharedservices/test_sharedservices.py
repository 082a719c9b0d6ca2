"""Shared services in the database: agreement through the gate, splits by pupils,
percentages and hours, mid-year joiners, terms kept as history, statements as HTML, PDF and
CSV, and what a move does to a school's shared costs."""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse

from clusterwork.clusters import services as cluster_services
from clusterwork.core import gates, measures
from clusterwork.core.errors import ServiceError
from clusterwork.sharedservices import services
from clusterwork.sharedservices.costs import split_service
from clusterwork.sharedservices.models import ServiceTerms, SharedService
from clusterwork.sharedservices.moves import move_impact
from tests.factories import SchoolFactory

from .helpers import YEAR, alpha_service


def _pupils(w, *numbers):
    for school, n in zip(w.schools, numbers, strict=False):
        school.number_of_pupils = n
        school.save()


@pytest.fixture
def gate():
    """A scheme-of-delegation stand-in: above £10,000 a board decision is needed."""
    seen = []

    def needs_board(*, service, cluster, annual_cost_pence, on, actor):
        seen.append((service.pk, cluster, annual_cost_pence, on))
        if annual_cost_pence > 1_000_000:
            raise ServiceError("Above £10,000 the cluster board must decide first.")

    gates.register(services.AGREE_GATE, needs_board)
    yield seen
    gates._GATES[services.AGREE_GATE].remove(needs_board)


def test_agreeing_asks_the_gate_inside_the_transaction_and_a_refusal_leaves_it_proposed(
    world, gate
):
    small = alpha_service(world, cost=900_000)
    services.service_agree(actor=None, service=small, on=dt.date(YEAR, 9, 2))
    assert gate == [(small.pk, world.alpha, 900_000, dt.date(YEAR, 9, 2))]
    small.refresh_from_db()
    assert small.status == "agreed" and small.agreed_on == dt.date(YEAR, 9, 2)
    big = alpha_service(world, cost=2_500_000, name="Big one")
    with pytest.raises(ServiceError, match="board must decide"):
        services.service_agree(actor=None, service=big)
    big.refresh_from_db()
    assert big.status == "proposed" and big.agreed_on is None


def test_equal_split_is_exact_and_a_mid_year_joiner_pays_its_days(world):
    service = alpha_service(world, cost=1_000_000, agree=True)  # £10,000, 3 academies
    joiner = SchoolFactory(name="Late Joiner Academy")
    cluster_services.membership_add(
        actor=None, cluster=world.alpha, school=joiner, start=dt.date(2025, 3, 1)
    )
    split = split_service(service, YEAR)
    shares = dict(split.result.shares)
    assert sum(shares.values()) == 1_000_000
    assert split.result.unallocated_pence == 0
    # 181 days before the joiner (three ways), 184 after (four ways)
    assert [p.days for p in split.periods] == [181, 184]
    late = shares[joiner.pk]
    assert abs(late - 1_000_000 * 184 / 365 / 4) < 1
    assert all(shares[s.pk] > late for s in world.schools[:3])


def test_split_by_pupils_uses_the_census_numbers_and_refuses_unknowns(world):
    _pupils(world, 100, 300, 600)
    service = alpha_service(
        world, method="pupils", cost=1_000_000, census_date=dt.date(2024, 10, 3), agree=True
    )
    split = split_service(service, YEAR)
    assert [split.share_of(s.pk) for s in world.schools[:3]] == [100_000, 300_000, 600_000]
    basis = split.period_rows()[0]["lines"]
    assert any("300 pupils" in line["basis"] for line in basis)
    # a school with no pupil number in GIAS: agreement is refused, nothing invented
    world.schools[2].number_of_pupils = None
    world.schools[2].save()
    other = alpha_service(
        world, method="pupils", cost=10_000, census_date=dt.date.today(), name="Clerk"
    )
    with pytest.raises(ServiceError, match="no pupil number"):
        services.service_agree(actor=None, service=other)


def test_percentages_must_cover_every_academy_and_add_up_to_100(world):
    a, b, c = world.schools[:3]
    with pytest.raises(ServiceError, match="not 100%"):
        alpha_service(world, method="percentages", percentages={a: 50, b: 30, c: 10})
    with pytest.raises(ServiceError, match="missing"):
        alpha_service(world, method="percentages", percentages={a: 50, b: 50})
    service = alpha_service(
        world,
        method="percentages",
        cost=99_999,
        percentages={a: "33.333", b: "33.333", c: "33.334"},
    )
    services.service_agree(actor=None, service=service, on=dt.date(YEAR, 9, 1))
    split = split_service(service, YEAR)
    assert sum(split.result.shares.values()) == 99_999


def test_hours_used_split_and_the_unrecorded_year_is_left_unallocated(world):
    service = alpha_service(world, method="hours", cost=600_000, agree=True)
    assert split_service(service, YEAR).result.unallocated_pence == 600_000
    for school, hours in zip(world.schools[:3], (10, 20, 30), strict=True):
        services.hours_record(actor=None, service=service, school=school, year=YEAR, hours=hours)
    split = split_service(service, YEAR)
    assert [split.share_of(s.pk) for s in world.schools[:3]] == [100_000, 200_000, 300_000]
    outside = world.schools[6]
    with pytest.raises(ServiceError, match="was not in"):
        services.hours_record(actor=None, service=service, school=outside, year=YEAR, hours=1)


def test_a_cost_change_keeps_the_old_terms_and_passes_the_gate_again(world, gate):
    service = alpha_service(world, cost=730_000, agree=True)
    with pytest.raises(ServiceError, match="board must decide"):
        services.service_change_terms(
            actor=None,
            service=service,
            start=dt.date(2025, 3, 1),
            annual_cost_pence=1_460_000,
            method="equal",
            reason="Two days a week",
        )
    services.service_change_terms(
        actor=None,
        service=service,
        start=dt.date(2025, 3, 1),
        annual_cost_pence=1_000_000,
        method="equal",
        reason="Two days a week",
    )
    terms = list(ServiceTerms.objects.filter(service=service).order_by("start"))
    assert [(t.annual_cost_pence, t.end) for t in terms] == [
        (730_000, dt.date(2025, 3, 1)),
        (1_000_000, None),
    ]
    split = split_service(service, YEAR)
    # 181 days at £7,300 a year + 184 days at £10,000 a year, to the penny
    assert split.result.total_pence == round(730_000 * 181 / 365 + 1_000_000 * 184 / 365)
    assert sum(split.result.shares.values()) == split.result.total_pence
    with pytest.raises(ServiceError, match="after the terms in force"):
        services.service_change_terms(
            actor=None,
            service=service,
            start=dt.date(2025, 2, 1),
            annual_cost_pence=1,
            method="equal",
            reason="x",
        )


def test_statement_shows_trust_services_beside_cluster_services_in_html_pdf_and_csv(world, login):
    alpha_service(world, cost=1_000_000, agree=True)
    trust = services.service_create(
        actor=None,
        programme=world.science,
        name="Trust finance officer",
        kind="finance_officer",
        provider="trust_central",
        annual_cost_pence=1_200_000,
        method="equal",
        start=dt.date(YEAR, 9, 1),
    )
    services.service_agree(actor=None, service=trust, on=dt.date(YEAR, 9, 1))
    client = login(world.users.head)
    school = world.schools[0]
    html = client.get(reverse("sharedservices:statement", args=[school.urn, YEAR, "html"]))
    text = html.content.decode()
    assert "Trust core services" in text and "Trust finance officer" in text
    assert "Shared SENCo" in text
    # £10,000 three ways and £12,000 six ways (alpha and beta are the programme's)
    assert "£3,333.34" in text or "£3,333.33" in text
    assert "£2,000.00" in text
    pdf = client.get(reverse("sharedservices:statement", args=[school.urn, YEAR, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    response = client.get(reverse("sharedservices:statement", args=[school.urn, YEAR, "csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()[1:])))
    assert {r["Service"] for r in rows} >= {"Shared SENCo", "Trust finance officer"}
    total = rows[-1]
    assert total["Level"] == "Total"
    share_sum = sum(float(r["Share (£)"]) for r in rows[:-1])
    assert f"{share_sum:.2f}" == total["Share (£)"]
    # the outsider cannot read it
    outsider = login(world.users.outsider)
    for fmt in ("html", "pdf", "csv"):
        url = reverse("sharedservices:statement", args=[school.urn, YEAR, fmt])
        assert outsider.get(url).status_code == 404


def test_the_cluster_page_and_the_service_page_show_how_it_was_computed(world, login):
    _pupils(world, 120, 240, 360)
    service = alpha_service(
        world, method="pupils", cost=720_000, census_date=dt.date(2024, 10, 3), agree=True
    )
    client = login(world.users.viewer)
    page = client.get(reverse("sharedservices:cluster_services", args=[world.alpha.pk]))
    assert "Shared SENCo" in page.content.decode()
    detail = client.get(service.get_absolute_url() + f"?year={YEAR}").content.decode()
    assert "240 pupils" in detail and "£2,400.00" in detail and "largest remainder" in detail
    assert "Agree the service" not in detail  # a viewer reads, does not act


def test_measures_give_shared_cost_per_pupil(world):
    _pupils(world, 100, 100, 200)
    alpha_service(world, cost=400_000, agree=True)
    day = dt.date(2025, 1, 15)
    per_school = measures.value("sharedservices.cost_per_pupil", world.schools[2], day)
    assert str(per_school) in ("6.67", "6.66")  # £1,333.33 or £1,333.34 over 200 pupils
    per_cluster = measures.value("sharedservices.cluster_cost_per_pupil", world.alpha, day)
    assert str(per_cluster) == "10.00"  # £4,000 / 400 pupils


def test_a_move_shows_the_shares_before_and_after(world, rf):
    alpha_service(world, cost=1_200_000, agree=True)
    proposal = SimpleNamespace(
        school=world.schools[2],
        from_cluster=world.alpha,
        to_cluster=world.beta,
        effective_on=dt.date(2025, 3, 1),
    )
    impact = move_impact(world.users.programme_admin, proposal)
    row = impact["rows"][0]
    assert row["before"] == 400_000
    assert abs(row["after"] - 1_200_000 * 181 / 365 / 3) < 1
    assert row["others_after"] + row["after"] == 1_200_000
    assert impact["change"] < 0
    # nothing was saved
    assert world.alpha.memberships.filter(school=world.schools[2], end__isnull=True).exists()


def test_ending_a_service_keeps_it(world):
    service = alpha_service(world, agree=True)
    services.service_end(actor=None, service=service, end=dt.date(2025, 1, 1), reason="merged")
    service.refresh_from_db()
    assert service.status == SharedService.Status.ENDED
    assert ServiceTerms.objects.get(service=service).end == dt.date(2025, 1, 1)
    assert split_service(service, YEAR).result.total_pence == round(1_000_000 * 122 / 365)
