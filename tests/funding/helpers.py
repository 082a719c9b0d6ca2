"""A funded world: the science programme of ``tests/conftest.py`` with its funding model,
alpha's and beta's budgets for the year in force today, and claims in every state.

alpha's lead school is the head persona's school (``schools[0]``), so the head is the lead
school's headteacher: they approve and pay alpha's claims.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.funding import services
from clusterwork.funding.models import Budget, Category, Claim, Stream

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def receipt(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def year_span(today=None):
    """The funding year in force: 1 September to the next 1 September."""
    today = today or timezone.localdate()
    start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    return start, dt.date(start.year + 1, 9, 1)


def category(programme, kind, counting=None) -> Category:
    categories = Category.objects.filter(stream__programme=programme, stream__kind=kind)
    if counting:
        categories = categories.filter(counting=counting)
    return categories.order_by("order").first()


def lines_for(programme, part_a=100_000, part_b=50_000, allowance=30_000):
    """One general line per stream."""
    streams = {s.kind: s for s in Stream.objects.filter(programme=programme)}
    return [
        (streams[Stream.Kind.PART_A], None, part_a),
        (streams[Stream.Kind.PART_B], None, part_b),
        (streams[Stream.Kind.ALLOWANCE], None, allowance),
    ]


def funded(w, *, part_a=100_000):
    """Idempotent: the model, alpha (lead: schools[0]) and beta budgets for this year."""
    existing = Budget.objects.filter(cluster=w.alpha).first()
    if existing:
        w.alpha.refresh_from_db()
        return existing
    services.model_install_defaults(actor=None, programme=w.science)
    w.alpha = cluster_services.cluster_update(actor=None, cluster=w.alpha, lead_school=w.schools[0])
    w.beta = cluster_services.cluster_update(actor=None, cluster=w.beta, lead_school=w.schools[3])
    start, end = year_span()
    budget = services.budget_create(
        actor=None,
        cluster=w.alpha,
        year=1,
        start=start,
        end=end,
        lines=lines_for(w.science, part_a=part_a),
    )
    services.budget_create(
        actor=None, cluster=w.beta, year=1, start=start, end=end, lines=lines_for(w.science)
    )
    return budget


def claim(
    w,
    *,
    cluster=None,
    school=None,
    amount=10_000,
    kind=Stream.Kind.PART_B,
    submit=True,
    on=None,
    description="Science kit",
):
    """A claim for an amount, with a receipt; submitted unless told otherwise."""
    cluster = cluster or w.alpha
    return services.claim_create(
        actor=None,
        cluster=cluster,
        category=category(w.science, kind, Category.Counting.AMOUNT),
        school=school or (w.schools[1] if cluster == w.alpha else w.schools[4]),
        activity_on=on or timezone.localdate(),
        description=description,
        amount_pence=amount,
        evidence=receipt(),
        submit=submit,
    )


def claim_in(w, status: str, **kwargs) -> Claim:
    """An alpha claim taken to ``status`` through the services."""
    funded(w)
    made = claim(w, submit=status != Claim.Status.DRAFT, **kwargs)
    if status in (Claim.Status.DRAFT, Claim.Status.SUBMITTED):
        return made
    if status == Claim.Status.REJECTED:
        return services.claim_reject(actor=None, claim=made, reason="Not eligible")
    made = services.claim_approve(actor=None, claim=made)
    if status == Claim.Status.APPROVED:
        return made
    made = services.claim_pay(actor=None, claim=made, reference="BACS 1")
    if status == Claim.Status.PAID:
        return made
    return services.claim_reimburse(actor=None, claim=made, reference="R1")
