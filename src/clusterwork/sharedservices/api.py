"""JSON API for shared services, their apportionments and teacher deployments
(``/api/v1/services/…``)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.clusters.access import access_cluster, access_programme
from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import (
    Pagination,
    PersonRef,
    Ref,
    SchoolRef,
    choice_of,
    listing,
    reading,
    writing,
)
from clusterwork.people.selectors import people_visible_to
from clusterwork.schools.models import School

from . import selectors, services
from .access import access_deployment, access_service
from .costs import split_service
from .deployments import days_charged, recharge_pence
from .models import Deployment, Method, SharedService
from .years import year_label, year_of

router = Router(tags=["shared services"])


class ServiceTermsOut(Schema):
    start: dt.date
    end: dt.date | None
    annual_cost_pence: int
    method: str
    census_date: dt.date | None
    reason: str


class SharedServiceOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    programme: Ref
    cluster: Ref | None
    provider: str
    provider_school: SchoolRef | None
    provider_name: str
    status: str
    agreed_on: dt.date | None
    terms: list[ServiceTermsOut]

    @staticmethod
    def resolve_terms(obj):
        return list(obj.terms.order_by("start"))


class SharedServiceFilter(Schema):
    cluster: int | None = None
    programme: int | None = None
    status: str | None = None


@router.get("shared-services/", response=listing(SharedServiceOut), summary="List shared services")
@paginate(Pagination)
def list_services(request, filters: Query[SharedServiceFilter]):
    queryset = selectors.services_visible_to(request.auth).prefetch_related("terms")
    if filters.cluster:
        queryset = queryset.filter(cluster_id=filters.cluster)
    if filters.programme:
        queryset = queryset.filter(programme_id=filters.programme)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset.order_by("id")


@router.get(
    "shared-services/{int:service_id}",
    response=reading(SharedServiceOut),
    summary="A shared service",
)
def get_service(request, service_id: int):
    return access_service(request.auth, service_id)


class SharedServiceIn(Schema):
    cluster: int | None = None
    programme: int | None = None
    name: str
    kind: choice_of(SharedService.Kind)
    provider: choice_of(SharedService.Provider)
    provider_school_urn: int | None = None
    provider_name: str = ""
    annual_cost_pence: int
    method: choice_of(Method)
    census_date: dt.date | None = None
    start: dt.date
    description: str = ""
    percentages: dict[int, Decimal] | None = None  # school URN → percent


def _schools_by_urn(percentages):
    if not percentages:
        return None
    found = {s.urn: s for s in School.objects.filter(urn__in=list(percentages))}
    missing = sorted(set(percentages) - set(found))
    if missing:
        raise ServiceError(f"No school has URN {missing[0]}.", field="percentages")
    return {found[urn]: value for urn, value in percentages.items()}


@router.post(
    "shared-services/", response=writing(SharedServiceOut, 201), summary="Propose a shared service"
)
def create_service(request, payload: SharedServiceIn):
    user = request.auth
    data = payload.dict(exclude={"cluster", "programme", "provider_school_urn", "percentages"})
    if payload.cluster:
        cluster = access_cluster(user, payload.cluster, perm="sharedservices.manage_service")
        programme = cluster.programme
    elif payload.programme:
        cluster = None
        programme = access_programme(user, payload.programme, perm="sharedservices.manage_service")
    else:
        raise ServiceError("Say which cluster (or, for a trust service, programme).")
    school = None
    if payload.provider_school_urn:
        school = School.objects.filter(urn=payload.provider_school_urn).first()
        if school is None:
            raise ServiceError(
                f"No school has URN {payload.provider_school_urn}.", field="provider_school_urn"
            )
    service = services.service_create(
        actor=user,
        programme=programme,
        cluster=cluster,
        provider_school=school,
        percentages=_schools_by_urn(payload.percentages),
        **data,
    )
    return Status(201, service)


class ServiceAgreeIn(Schema):
    on: dt.date | None = None


@router.post(
    "shared-services/{int:service_id}/agree",
    response=writing(SharedServiceOut),
    summary="Agree a shared service (the scheme of delegation may refuse)",
)
def agree_service(request, service_id: int, payload: ServiceAgreeIn):
    service = access_service(request.auth, service_id, perm="sharedservices.manage_service")
    return services.service_agree(actor=request.auth, service=service, on=payload.on)


class ServiceTermsIn(Schema):
    start: dt.date
    annual_cost_pence: int
    method: choice_of(Method)
    census_date: dt.date | None = None
    reason: str
    percentages: dict[int, Decimal] | None = None


@router.post(
    "shared-services/{int:service_id}/terms",
    response=writing(SharedServiceOut, 201),
    summary="New cost or method from a date",
)
def change_terms(request, service_id: int, payload: ServiceTermsIn):
    service = access_service(request.auth, service_id, perm="sharedservices.manage_service")
    data = payload.dict(exclude={"percentages"})
    services.service_change_terms(
        actor=request.auth,
        service=service,
        percentages=_schools_by_urn(payload.percentages),
        **data,
    )
    service.refresh_from_db()
    return Status(201, service)


class ApportionmentShareOut(Schema):
    school: SchoolRef
    basis: str
    pence: int


class ApportionmentPeriodOut(Schema):
    start: dt.date
    end: dt.date
    days: int
    annual_cost_pence: int
    method: str
    cost_pence: int
    unallocated_reason: str
    shares: list[ApportionmentShareOut]


class ApportionmentYearShareOut(Schema):
    school: SchoolRef
    pence: int


class ApportionmentOut(Schema):
    service: Ref
    year: int
    year_label: str
    year_days: int
    total_pence: int
    unallocated_pence: int
    charged: bool
    shares: list[ApportionmentYearShareOut]
    periods: list[ApportionmentPeriodOut]


class ApportionmentQuery(Schema):
    service: int
    year: int | None = None


@router.get(
    "apportionments/",
    response=reading(ApportionmentOut),
    summary="How a service's cost is split in an academic year",
)
def get_apportionment(request, query: Query[ApportionmentQuery]):
    service = access_service(request.auth, query.service)
    year = query.year or year_of(timezone.localdate())
    split = split_service(service, year)
    periods = []
    for row in split.period_rows():
        period = row["period"]
        periods.append(
            {
                "start": period.start,
                "end": period.end,
                "days": period.days,
                "annual_cost_pence": period.annual_cost_pence,
                "method": period.note,
                "cost_pence": period.cost_pence,
                "unallocated_reason": period.problem,
                "shares": row["lines"],
            }
        )
    return {
        "service": {"id": service.pk, "name": service.name},
        "year": year,
        "year_label": year_label(year),
        "year_days": split.result.year_days,
        "total_pence": split.result.total_pence,
        "unallocated_pence": split.result.unallocated_pence,
        "charged": service.agreed_on is not None,
        "shares": [{"school": s, "pence": p} for s, p in split.rows()],
        "periods": periods,
    }


class DeploymentOut(Schema):
    id: int
    cluster: Ref
    person: PersonRef
    home_school: SchoolRef
    host_school: SchoolRef
    purpose: str
    start: dt.date
    end: dt.date
    session: str
    weekday: int | None
    day_rate_pence: int
    on_cost_percent: Decimal
    days: Decimal
    recharge_pence: int
    cancelled: bool

    @staticmethod
    def resolve_days(obj):
        return days_charged(obj)

    @staticmethod
    def resolve_recharge_pence(obj):
        return 0 if obj.cancelled_at else recharge_pence(obj, days_charged(obj))

    @staticmethod
    def resolve_cancelled(obj):
        return obj.cancelled_at is not None


class DeploymentFilter(Schema):
    cluster: int | None = None
    person: int | None = None


@router.get("deployments/", response=listing(DeploymentOut), summary="List teacher deployments")
@paginate(Pagination)
def list_deployments(request, filters: Query[DeploymentFilter]):
    queryset = selectors.deployments_visible_to(request.auth)
    if filters.cluster:
        queryset = queryset.filter(cluster_id=filters.cluster)
    if filters.person:
        queryset = queryset.filter(person_id=filters.person)
    return queryset.order_by("-start", "id")


@router.get(
    "deployments/{int:deployment_id}",
    response=reading(DeploymentOut),
    summary="A teacher deployment",
)
def get_deployment(request, deployment_id: int):
    return access_deployment(request.auth, deployment_id)


class DeploymentIn(Schema):
    cluster: int
    person: int
    home_school_urn: int
    host_school_urn: int
    purpose: choice_of(Deployment.Purpose)
    start: dt.date
    end: dt.date
    session: choice_of(Deployment.Session) = "full"
    weekday: int | None = None
    day_rate_pence: int
    on_cost_percent: Decimal = Decimal(0)
    notes: str = ""


def _school(urn, field):
    school = School.objects.filter(urn=urn).first()
    if school is None:
        raise ServiceError(f"No school has URN {urn}.", field=field)
    return school


@router.post(
    "deployments/",
    response=writing(DeploymentOut, 201),
    summary="Deploy a teacher (a double booking is refused)",
)
def create_deployment(request, payload: DeploymentIn):
    user = request.auth
    cluster = access_cluster(user, payload.cluster, perm="sharedservices.manage_deployment")
    person = people_visible_to(user).filter(pk=payload.person).first()
    if person is None:
        raise ServiceError("No such person.", field="person")
    data = payload.dict(exclude={"cluster", "person", "home_school_urn", "host_school_urn"})
    deployment = services.deployment_create(
        actor=user,
        cluster=cluster,
        person=person,
        home_school=_school(payload.home_school_urn, "home_school_urn"),
        host_school=_school(payload.host_school_urn, "host_school_urn"),
        **data,
    )
    return Status(201, deployment)


class DeploymentCancelIn(Schema):
    reason: str


@router.post(
    "deployments/{int:deployment_id}/cancel",
    response=writing(DeploymentOut),
    summary="Cancel a deployment",
)
def cancel_deployment(request, deployment_id: int, payload: DeploymentCancelIn):
    deployment = access_deployment(
        request.auth, deployment_id, perm="sharedservices.manage_deployment"
    )
    return services.deployment_cancel(actor=request.auth, deployment=deployment, **payload.dict())


# Mounted under /api/v1/ by clusterwork.api.main.
ROUTES = [("/services/", router)]
