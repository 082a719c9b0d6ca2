"""What the funding pages and endpoints show and refuse, per persona: figures, warnings,
uploads checked by content, evidence only for those who see the claim, 409/422/4xx answers."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterwork.funding import services
from clusterwork.funding.models import Budget, BudgetLine, Claim
from tests.api.conftest import call

from .helpers import PDF, PNG, category, claim, claim_in, funded, receipt

pytestmark = pytest.mark.django_db
API = "/api/v1/funding"


def test_the_budget_page_shows_each_lines_figures(world, as_persona):
    budget = funded(world)
    services.claim_approve(actor=None, claim=claim(world, amount=12_345))
    page = as_persona("viewer").get(reverse("funding:budget_detail", args=[budget.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for figure in ("£500.00", "£123.45", "£376.55", "£1,800.00"):
        assert figure in text
    assert "Year 1" in text and world.schools[0].name in text


def test_a_member_schools_head_sees_only_their_schools_claims(world, as_persona):
    from clusterwork.people import services as people_services

    funded(world)
    mine = claim(world, school=world.schools[2], description="Our own kit")
    other = claim(world, school=world.schools[1], description="Their kit")
    head2 = people_services.person_create(
        actor=None, full_name="Second Head", email="h2@example.org", password="x"
    )
    people_services.role_assign(
        actor=None, person=head2, role="headteacher", school=world.schools[2]
    )
    client = as_persona("viewer")
    client.force_login(head2.user)
    listing = client.get(reverse("funding:claim_list")).content.decode()
    assert "Our own kit" in listing and "Their kit" not in listing
    assert client.get(reverse("funding:claim_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("funding:claim_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("funding:claim_evidence", args=[other.pk])).status_code == 404
    # The lead school's head (the head persona) sees both, and may approve.
    lead = as_persona("head").get(reverse("funding:lead_school", args=[world.schools[0].pk]))
    text = lead.content.decode()
    assert "Our own kit" in text and "Their kit" in text and "2</span> claims waiting" in text


def test_evidence_is_served_as_a_download_to_those_who_see_the_claim(world, as_persona):
    made = claim_in(world, Claim.Status.SUBMITTED)
    answer = as_persona("coordinator").get(reverse("funding:claim_evidence", args=[made.pk]))
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert (
        as_persona("outsider").get(reverse("funding:claim_evidence", args=[made.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"#!/bin/sh\necho owned\n", "its content is not"),
        ("invoice.pdf", b"<script>alert(1)</script>", "its content is not"),
        ("invoice.exe", PDF, "name it .pdf"),
        ("scan.pdf", PDF + b"0" * 10_000_001, "files may be up to 10 MB"),
        ("photo.pdf", PNG, "name it .png"),
    ],
)
def test_bad_uploads_are_refused_on_the_claim_form(world, as_persona, name, content, message):
    funded(world)
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = as_persona("head").post(
        reverse("funding:claim_new", args=[world.alpha.pk]),
        {
            "category": category(world.science, "part_b").pk,
            "school": world.schools[0].pk,
            "activity_on": timezone.localdate().isoformat(),
            "description": "Kit",
            "amount_pence": "10.00",
            "unit": "amount",
            "evidence": SimpleUploadedFile(name, content),
            "submit": "on",
        },
    )
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.345", "at most 2 decimals"),
        ("-5", "cannot be negative"),
        ("abc", "is not an amount of money"),
        ("99999999999", "is more than the £10,000,000.00 allowed"),
        ("0", "more than zero"),
    ],
)
def test_bad_amounts_on_the_form_are_refused_with_the_reason(world, as_persona, typed, message):
    funded(world)
    answer = as_persona("head").post(
        reverse("funding:claim_new", args=[world.alpha.pk]),
        {
            "category": category(world.science, "part_b").pk,
            "school": world.schools[0].pk,
            "activity_on": timezone.localdate().isoformat(),
            "description": "Kit",
            "amount_pence": typed,
            "unit": "amount",
            "evidence": receipt(),
        },
    )
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not Claim.objects.exists()


def test_a_head_may_claim_for_their_own_school_only(world, as_persona):
    funded(world)
    answer = as_persona("head").post(
        reverse("funding:claim_new", args=[world.alpha.pk]),
        {
            "category": category(world.science, "part_b").pk,
            "school": world.schools[1].pk,
            "activity_on": timezone.localdate().isoformat(),
            "description": "Kit",
            "amount_pence": "10.00",
            "unit": "amount",
        },
    )
    assert answer.status_code == 200  # the school is not one of the form's choices
    assert "Select a valid choice" in answer.content.decode()


def test_the_api_approval_over_budget_is_409_with_the_lines_figures(world, as_persona):
    funded(world)
    services.claim_approve(actor=None, claim=claim(world, amount=45_000))
    over = claim(world, amount=6_000)
    answer = call(as_persona("head"), "POST", f"{API}/claims/{over.pk}/approve", {})
    assert answer.status_code == 409
    body = answer.json()
    assert "below zero" in body["detail"]
    assert body["line"] == {
        "line": "Part B",
        "line_id": over.line_id,
        "allocated_pence": 50_000,
        "committed_pence": 45_000,
        "paid_pence": 0,
        "available_pence": 5_000,
        "asked_pence": 6_000,
    }


@pytest.mark.parametrize("amount", [-100, 12.5, "ten pounds", 10**13, 0, True])
def test_the_api_refuses_bad_amounts_with_422(world, as_persona, amount):
    funded(world)
    answer = call(
        as_persona("head"),
        "POST",
        f"{API}/claims/",
        {
            "cluster": world.alpha.pk,
            "category": category(world.science, "part_b").pk,
            "school_urn": world.schools[0].urn,
            "activity_on": timezone.localdate().isoformat(),
            "description": "Kit",
            "amount_pence": amount,
        },
    )
    assert answer.status_code == 422, answer.content
    assert "amount_pence" in json.dumps(answer.json()["detail"])
    assert not Claim.objects.exists()


def test_the_api_refuses_a_claim_on_a_closed_year_with_the_reason(world, as_persona):
    budget = funded(world)
    services.budget_close(actor=None, budget=budget)
    answer = call(
        as_persona("head"),
        "POST",
        f"{API}/claims/",
        {
            "cluster": world.alpha.pk,
            "category": category(world.science, "part_b").pk,
            "school_urn": world.schools[0].urn,
            "activity_on": timezone.localdate().isoformat(),
            "description": "Kit",
            "amount_pence": 1000,
        },
    )
    assert answer.status_code == 400
    assert "closed on" in answer.json()["detail"]


def test_the_api_walks_a_claim_from_draft_to_paid_in_pence(world, as_persona):
    funded(world)
    head = as_persona("head")
    made = call(
        head,
        "POST",
        f"{API}/claims/",
        {
            "cluster": world.alpha.pk,
            "category": category(world.science, "part_a", "supply").pk,
            "school_urn": world.schools[0].urn,
            "activity_on": timezone.localdate().isoformat(),
            "description": "Supply cover",
            "unit": "half_day",
            "quantity": 2,
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["amount_pence"], body["rate_pence"], body["status"]) == (22_000, 11_000, "draft")
    claim_id = body["id"]
    assert call(head, "POST", f"{API}/claims/{claim_id}/submit").json()["status"] == "submitted"
    # The head drafted and submitted it: someone else approves (the superuser here).
    refused = call(head, "POST", f"{API}/claims/{claim_id}/approve", {})
    assert refused.status_code == 400 and "separation of duties" in refused.json()["detail"]
    root = as_persona("superuser")
    assert call(root, "POST", f"{API}/claims/{claim_id}/approve", {}).json()["status"] == "approved"
    paid = call(head, "POST", f"{API}/claims/{claim_id}/pay", {"reference": "BACS 9"}).json()
    assert paid["status"] == "paid" and paid["paid_reference"] == "BACS 9"
    budgets = call(head, "GET", f"{API}/budgets/").json()["items"]
    alpha = next(b for b in budgets if b["cluster"]["id"] == world.alpha.pk)
    assert alpha["paid_pence"] == 22_000 and alpha["available_pence"] == 158_000
    assert all(
        isinstance(v, int)
        for line in alpha["lines"]
        for k, v in line.items()
        if k.endswith("_pence")
    )


def test_the_api_attaches_evidence_checked_by_content(world, as_persona):
    made = claim_in(world, Claim.Status.DRAFT)
    from django.core.files.uploadedfile import SimpleUploadedFile

    coordinator = as_persona("coordinator")
    url = f"{API}/claims/{made.pk}/evidence"
    bad = coordinator.post(url, {"evidence": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")})
    assert bad.status_code == 400 and "x.pdf" in bad.json()["detail"]
    good = coordinator.post(url, {"evidence": SimpleUploadedFile("receipt.pdf", PDF)})
    assert good.status_code == 200 and good.json()["has_evidence"] is True


def test_claims_register_exports_pence_as_whole_numbers(world, as_persona):
    claim_in(world, Claim.Status.PAID, amount=12_345)
    answer = as_persona("programme_admin").get(reverse("funding:claim_list"), {"export": "csv"})
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "Amount (pence)" in header and ",12345," in row and ",123.45," in row
    xlsx = as_persona("programme_admin").get(reverse("funding:claim_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_the_statement_comes_as_html_and_pdf(world, as_persona):
    claim_in(world, Claim.Status.APPROVED, amount=4_200)
    client = as_persona("head")
    url = lambda fmt: reverse(  # noqa: E731
        "funding:statement", args=[world.alpha.pk, world.schools[1].pk, fmt]
    )
    html = client.get(url("html")).content.decode()
    assert "Approved, owed to" in html and "£42.00" in html
    pdf = client.get(url("pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert as_persona("outsider").get(url("html")).status_code == 404


def test_the_unspent_page_names_the_clusters_and_lines_with_money_left(world, as_persona):
    funded(world)
    services.claim_approve(actor=None, claim=claim(world, amount=50_000))
    text = (
        as_persona("programme_admin")
        .get(reverse("funding:programme_unspent", args=[world.science.pk]))
        .content.decode()
    )
    assert text.index("Beta") < text.index("Alpha")
    assert "£3,100.00</strong> unspent of £3,600.00" in text
    assert "Part A: £1,000.00" in text


def test_the_budget_lines_never_go_negative_through_the_pages(world, as_persona):
    budget = funded(world)
    made = claim(world, amount=60_000)
    answer = as_persona("head").post(reverse("funding:claim_approve", args=[made.pk]))
    assert answer.status_code == 200
    assert "below zero" in answer.content.decode()
    assert BudgetLine.objects.get(pk=made.line_id).committed_pence == 0
    assert Budget.objects.get(pk=budget.pk).lines.count() == 3
