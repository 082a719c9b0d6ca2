"""JSON API for budgets and claims, under /api/v1/funding/ (paths kept exactly as issue 11
names them). Money is whole pence everywhere (``*_pence`` integers, never floats); a bad
amount (negative, a fraction of a penny, not a number, absurdly large) answers 422, an
approval that would overspend a line 409 with the line's figures, any other refusal 400 with
the reason."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db import transaction
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from clusterwork.clusters.access import access_cluster
from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import ErrorOut, Pagination, Ref, SchoolRef, choice_of, listing

from . import selectors, services
from .access import access_claim
from .models import Claim
from .money import MAX_PENCE

router = Router(tags=["funding"])

ClaimStatus = choice_of(Claim.Status)
ClaimUnit = choice_of(Claim.Unit)
Pence = Annotated[int, Field(strict=True, gt=0, le=MAX_PENCE)]
Quantity = Annotated[Decimal, Field(gt=0, le=365, max_digits=6, decimal_places=2)]


class FundingValidationOut(Schema):
    detail: list[dict]


class OverBudgetLineOut(Schema):
    line: str
    line_id: int
    allocated_pence: int
    committed_pence: int
    paid_pence: int
    available_pence: int
    asked_pence: int


class OverBudgetOut(Schema):
    detail: str
    field: str | None = None
    line: OverBudgetLineOut


def _answers(schema, status: int = 200, *, over_budget: bool = False) -> dict:
    answers = {
        status: schema,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: FundingValidationOut,
    }
    if over_budget:
        answers[409] = OverBudgetOut
    return answers


# ----- budgets ------------------------------------------------------------------------------


class BudgetLineOut(Schema):
    id: int
    stream: str
    category: str | None
    original_pence: int
    allocated_pence: int
    committed_pence: int
    paid_pence: int
    available_pence: int

    @staticmethod
    def resolve_stream(obj):
        return obj.stream.name

    @staticmethod
    def resolve_category(obj):
        return obj.category.name if obj.category_id else None


class BudgetOut(Schema):
    id: int
    cluster: Ref
    year: int
    start: dt.date
    end: dt.date
    lead_school: SchoolRef
    closed: bool
    allocated_pence: int
    committed_pence: int
    paid_pence: int
    available_pence: int
    lines: list[BudgetLineOut]

    @staticmethod
    def resolve_closed(obj):
        return obj.is_closed

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def _totals(obj):
        return selectors.totals_of(obj.lines.all())

    @staticmethod
    def resolve_allocated_pence(obj):
        return selectors.totals_of(obj.lines.all()).allocated

    @staticmethod
    def resolve_committed_pence(obj):
        return selectors.totals_of(obj.lines.all()).committed

    @staticmethod
    def resolve_paid_pence(obj):
        return selectors.totals_of(obj.lines.all()).paid

    @staticmethod
    def resolve_available_pence(obj):
        return selectors.totals_of(obj.lines.all()).available


class BudgetFilter(Schema):
    cluster: int | None = None
    on: dt.date | None = None


@router.get("budgets/", response=listing(BudgetOut), summary="List budgets")
@paginate(Pagination)
def list_budgets(request, filters: Query[BudgetFilter]):
    """Budgets (a cluster's programme year) of clusters you may see, with each line's
    original and varied allocation, committed and paid money, and what is available."""
    budgets = selectors.budgets_visible_to(request.auth).prefetch_related(selectors._lines())
    if filters.cluster:
        budgets = budgets.filter(cluster_id=filters.cluster)
    if filters.on:
        budgets = budgets.on(filters.on)
    return budgets.order_by("cluster__name", "-start", "id")


# ----- claims -------------------------------------------------------------------------------


class ClaimOut(Schema):
    id: int
    reference: str
    cluster: Ref
    budget: int
    year: int
    lead_school: SchoolRef
    school: SchoolRef
    stream: str
    category: Ref
    activity_on: dt.date
    description: str
    unit: ClaimUnit
    quantity: Decimal | None
    rate_pence: int | None
    amount_pence: int
    status: ClaimStatus
    event: int | None
    project: int | None
    has_evidence: bool
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    rejection_reason: str
    paid_on: dt.date | None
    paid_reference: str
    reimbursed_on: dt.date | None
    withdrawn: bool

    @staticmethod
    def resolve_cluster(obj):
        return obj.budget.cluster

    @staticmethod
    def resolve_budget(obj):
        return obj.budget_id

    @staticmethod
    def resolve_year(obj):
        return obj.budget.year

    @staticmethod
    def resolve_lead_school(obj):
        return obj.budget.lead_school

    @staticmethod
    def resolve_stream(obj):
        return obj.category.stream.name

    @staticmethod
    def resolve_event(obj):
        return obj.event_id

    @staticmethod
    def resolve_project(obj):
        return obj.project_id

    @staticmethod
    def resolve_has_evidence(obj):
        return bool(obj.evidence)

    @staticmethod
    def resolve_withdrawn(obj):
        return obj.is_archived


class ClaimDetailOut(ClaimOut):
    warning: str

    @staticmethod
    def resolve_warning(obj):
        return selectors.claim_fit(obj)


class ClaimFilter(Schema):
    cluster: int | None = None
    status: ClaimStatus | None = None
    school_urn: int | None = None
    lead_school_urn: int | None = None


@router.get("claims/", response=listing(ClaimOut), summary="List claims")
@paginate(Pagination)
def list_claims(request, filters: Query[ClaimFilter]):
    """The claims you may see (the programme's and the cluster's roles: all of a cluster's;
    a school's staff: their school's; a lead school's head or business manager: those sent
    to their school), newest activity first. Withdrawn claims are left out."""
    claims = selectors.claim_list(
        request.auth, {"cluster": filters.cluster, "status": filters.status}
    )
    if filters.school_urn:
        claims = claims.filter(school__urn=filters.school_urn)
    if filters.lead_school_urn:
        claims = claims.filter(budget__lead_school__urn=filters.lead_school_urn)
    return claims


class ClaimIn(Schema):
    cluster: int
    category: int
    activity_on: dt.date
    description: str
    school_urn: int | None = None
    amount_pence: Pence | None = None
    unit: ClaimUnit = Claim.Unit.AMOUNT.value
    quantity: Quantity | None = None
    event: int | None = None
    project: int | None = None


def _detail(claim: Claim) -> Claim:
    return Claim.objects.select_related(
        "budget__cluster", "budget__lead_school", "school", "category__stream"
    ).get(pk=claim.pk)


@router.post("claims/", response=_answers(ClaimDetailOut, 201), summary="Create a claim (a draft)")
def create_claim(request, payload: ClaimIn):
    """A draft claim to the cluster's lead school, on the budget of the year its activity
    falls in: an ``amount_pence``, or a ``quantity`` of days, half days (supply cover, the
    allowance) or hours (the allowance) at the programme's rates. Attach the evidence with
    ``claims/{id}/evidence``, then ``submit``."""
    from clusterwork.goals.models import Project
    from clusterwork.meetings.models import Event
    from clusterwork.schools.models import School

    from .models import Category

    user = request.auth
    with transaction.atomic():
        cluster = access_cluster(user, payload.cluster, perm="funding.add_claim")
        category = selectors.categories_of(cluster.programme).filter(pk=payload.category).first()
        if category is None:
            raise ServiceError(
                f"{cluster.programme} has no category {payload.category}.", field="category"
            )
        school, claimant = None, None
        if category.counting == Category.Counting.ALLOWANCE:
            claimant = selectors.coordinator_person(cluster, user)
        if payload.school_urn is not None:
            school = School.objects.filter(urn=payload.school_urn).first()
            if school is None:
                raise ServiceError(f"No school has URN {payload.school_urn}.", field="school_urn")
            allowed = selectors.claimable_schools(user, cluster, on=payload.activity_on)
            if claimant is None and not allowed.filter(pk=school.pk).exists():
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied(f"You may not claim for {school.name}.")
        event = project = None
        if payload.event is not None:
            event = Event.objects.filter(pk=payload.event, cluster=cluster).first()
            if event is None:
                raise ServiceError(f"{cluster} has no meeting {payload.event}.", field="event")
        if payload.project is not None:
            project = Project.objects.filter(pk=payload.project, cluster=cluster).first()
            if project is None:
                raise ServiceError(f"{cluster} has no project {payload.project}.", field="project")
        claim = services.claim_create(
            actor=user,
            cluster=cluster,
            category=category,
            school=school,
            claimant=claimant,
            activity_on=payload.activity_on,
            description=payload.description,
            amount_pence=payload.amount_pence,
            unit=payload.unit,
            quantity=payload.quantity,
            event=event,
            project=project,
        )
    return Status(201, _detail(claim))


@router.get("claims/{int:claim_id}", response=_answers(ClaimDetailOut), summary="Get a claim")
def get_claim(request, claim_id: int):
    return access_claim(request.auth, claim_id)


def _step(request, claim_id: int, perm: str, service, **arguments):
    with transaction.atomic():
        claim = access_claim(request.auth, claim_id, perm=perm, lock=True)
        claim = service(actor=request.auth, claim=claim, **arguments)
    return _detail(claim)


@router.post(
    "claims/{int:claim_id}/evidence",
    response=_answers(ClaimDetailOut),
    summary="Attach a claim's invoice or receipt",
)
def attach_evidence(request, claim_id: int, evidence: File[UploadedFile] = None):
    """Multipart upload (field ``evidence``): a PDF, PNG or JPEG up to 10 MB, checked by its
    content, kept outside the web root."""
    from django.core.exceptions import ValidationError

    from clusterwork.core.uploads import EVIDENCE

    with transaction.atomic():
        claim = access_claim(request.auth, claim_id, perm="funding.submit_claim", lock=True)
        if evidence is None:
            raise ServiceError(
                "Send the file as multipart form data, field “evidence”.", field="evidence"
            )
        try:
            EVIDENCE(evidence)
        except ValidationError as error:
            raise ServiceError("; ".join(error.messages), field="evidence") from None
        claim = services.claim_attach_evidence(actor=request.auth, claim=claim, evidence=evidence)
    return _detail(claim)


@router.post(
    "claims/{int:claim_id}/submit", response=_answers(ClaimDetailOut), summary="Submit a claim"
)
def submit_claim(request, claim_id: int):
    """Send a draft to the lead school. A claim that would not fit what its line has left is
    still sent, with a ``warning``: it is refused only at approval."""
    return _step(request, claim_id, "funding.submit_claim", services.claim_submit)


class ClaimApproveIn(Schema):
    on: dt.date | None = None


@router.post(
    "claims/{int:claim_id}/approve",
    response=_answers(ClaimDetailOut, over_budget=True),
    summary="Approve a claim",
)
def approve_claim(request, claim_id: int, payload: ClaimApproveIn | None = None):
    """The lead school's headteacher or business manager approve (the coordinator too, for
    Part A and B, where the programme allows it). 409 with the line's figures when the
    approval would take the line below zero; two approvals at once never overspend."""
    on = payload.on if payload else None
    try:
        return _step(request, claim_id, "funding.approve_claim", services.claim_approve, on=on)
    except services.OverBudget as refused:
        return Status(409, {"detail": refused.text, "field": None, "line": refused.figures})


class ClaimRejectIn(Schema):
    reason: str


@router.post(
    "claims/{int:claim_id}/reject", response=_answers(ClaimDetailOut), summary="Reject a claim"
)
def reject_claim(request, claim_id: int, payload: ClaimRejectIn):
    return _step(
        request, claim_id, "funding.approve_claim", services.claim_reject, reason=payload.reason
    )


class ClaimPayIn(Schema):
    reference: str
    paid_on: dt.date | None = None


@router.post(
    "claims/{int:claim_id}/pay",
    response=_answers(ClaimDetailOut),
    summary="Record a claim's payment",
)
def pay_claim(request, claim_id: int, payload: ClaimPayIn):
    """The lead school has paid the member school (date and reference)."""
    return _step(
        request,
        claim_id,
        "funding.pay_claim",
        services.claim_pay,
        paid_on=payload.paid_on,
        reference=payload.reference,
    )


class ClaimReimburseIn(Schema):
    reference: str = ""
    reimbursed_on: dt.date | None = None


@router.post(
    "claims/{int:claim_id}/reimburse",
    response=_answers(ClaimDetailOut),
    summary="Record the programme's reimbursement",
)
def reimburse_claim(request, claim_id: int, payload: ClaimReimburseIn):
    return _step(
        request,
        claim_id,
        "funding.reimburse_claim",
        services.claim_reimburse,
        reimbursed_on=payload.reimbursed_on,
        reference=payload.reference,
    )


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/funding/", router)]
