"""JSON API for support packages: /api/v1/packages/packages/ and /api/v1/packages/deliveries/."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import ErrorOut, Pagination, PersonRef, Ref, listing, reading, writing
from clusterwork.meetings.models import Event
from clusterwork.people.selectors import people_visible_to

from . import selectors, services
from .access import access_package
from .models import PackageItem

router = Router(tags=["packages"])


class LineOut(Schema):
    item: str
    unit: str
    agreed: Decimal
    delivered: Decimal
    remaining: Decimal
    price_pence: int

    @staticmethod
    def resolve_item(obj):
        return obj.item.name

    @staticmethod
    def resolve_unit(obj):
        return obj.item.unit


class PackageOut(Schema):
    id: int
    cluster: Ref
    title: str
    term: str
    start: dt.date
    end: dt.date
    version: int
    development_manager: PersonRef | None
    days_agreed: Decimal
    days_delivered: Decimal
    days_remaining: Decimal
    price_pence: int
    status: str
    beyond_agreement: bool
    lines: list[LineOut]


def _out(summary) -> dict:
    p = summary.package
    return {
        "id": p.pk,
        "cluster": p.cluster,
        "title": p.title,
        "term": p.term,
        "start": p.start,
        "end": p.end,
        "version": summary.version.number if summary.version else 0,
        "development_manager": p.development_manager,
        "days_agreed": summary.days_agreed,
        "days_delivered": summary.days_delivered,
        "days_remaining": summary.days_remaining,
        "price_pence": summary.price_pence,
        "status": summary.status,
        "beyond_agreement": summary.over,
        "lines": summary.lines,
    }


class _Summaries:
    """The visible packages, summarised one page at a time (four queries a page)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def all(self):
        return self.queryset

    def __len__(self):
        return self.queryset.count()

    def __getitem__(self, window: slice):
        return [_out(s) for s in selectors.summaries(self.queryset[window])]


class PackageFilter(Schema):
    cluster: int | None = None
    programme: int | None = None
    current: bool = Field(False, description="Only packages in force today")


@router.get("packages/", response=listing(PackageOut), summary="List support packages")
@paginate(Pagination)
def list_packages(request, filters: Query[PackageFilter]):
    """The packages of the clusters you may see: agreed vs delivered vs remaining."""
    queryset = selectors.packages_visible_to(request.auth)
    if filters.cluster:
        queryset = queryset.filter(cluster_id=filters.cluster)
    if filters.programme:
        queryset = queryset.filter(programme_id=filters.programme)
    if filters.current:
        queryset = queryset.current()
    return _Summaries(queryset.order_by("cluster__name", "-start", "id"))


@router.get("packages/{int:package_id}", response=reading(PackageOut), summary="Get a package")
def get_package(request, package_id: int):
    return _out(selectors.package_summary(access_package(request.auth, package_id)))


class DeliveryOut(Schema):
    id: int
    package: int
    item: str
    on: dt.date
    amount: Decimal
    delivered_by: PersonRef
    attendee_count: int | None
    notes: str
    event: int | None
    beyond_agreement: bool
    beyond_reason: str
    withdrawn: bool

    @staticmethod
    def resolve_package(obj):
        return obj.package_id

    @staticmethod
    def resolve_item(obj):
        return obj.item.name

    @staticmethod
    def resolve_event(obj):
        return obj.event_id

    @staticmethod
    def resolve_withdrawn(obj):
        return obj.withdrawn_at is not None


class DeliveryFilter(Schema):
    package: int | None = None
    cluster: int | None = None
    since: dt.date | None = None


@router.get("deliveries/", response=listing(DeliveryOut), summary="List deliveries")
@paginate(Pagination)
def list_deliveries(request, filters: Query[DeliveryFilter]):
    """The delivery log of the packages you may see, newest first."""
    queryset = selectors.deliveries_visible_to(request.auth)
    if filters.package:
        queryset = queryset.filter(package_id=filters.package)
    if filters.cluster:
        queryset = queryset.filter(package__cluster_id=filters.cluster)
    if filters.since:
        queryset = queryset.filter(on__gte=filters.since)
    return queryset.order_by("-on", "-id")


class DeliveryIn(Schema):
    package: int
    item: int
    on: dt.date
    amount: Decimal = Field(..., description="Days (0.5 for a half day) or units", gt=0, le=999)
    delivered_by: int = Field(..., description="The person (a development manager)")
    attendees: list[int] = []
    attendee_count: int | None = Field(None, ge=0, le=100_000)
    notes: str = Field("", max_length=5000)
    event: int | None = None
    beyond_agreement: bool = False
    beyond_reason: str = Field("", max_length=300)


@router.post(
    "deliveries/",
    response={**writing(DeliveryOut, 201), 409: ErrorOut, 422: ErrorOut},
    summary="Log a delivery",
)
def create_delivery(request, payload: DeliveryIn):
    """Log a day, half day or unit delivered. Beyond what the package agreed: 409 with the
    figures, unless ``beyond_agreement`` is set with a reason (then flagged)."""
    user = request.auth
    package = access_package(user, payload.package, perm="packages.log_delivery")
    item = PackageItem.objects.filter(pk=payload.item, programme=package.programme).first()
    if item is None:
        raise ServiceError(f"No item {payload.item} in the programme's catalogue.", field="item")
    people = people_visible_to(user)
    delivered_by = people.filter(pk=payload.delivered_by).first()
    if delivered_by is None:
        raise ServiceError(
            f"No person {payload.delivered_by} that you can see.", field="delivered_by"
        )
    attendees = list(people.filter(pk__in=payload.attendees))
    if len(attendees) != len(set(payload.attendees)):
        raise ServiceError("Some attendees are not people you can see.", field="attendees")
    event = None
    if payload.event is not None:
        event = Event.objects.filter(pk=payload.event, cluster=package.cluster).first()
        if event is None:
            raise Http404("No such meeting in this cluster.")
    data = payload.dict(exclude={"package", "item", "delivered_by", "attendees", "event"})
    try:
        delivery = services.delivery_log(
            actor=user,
            package=package,
            item=item,
            delivered_by=delivered_by,
            attendees=attendees,
            event=event,
            **data,
        )
    except services.BeyondAgreement as error:
        return Status(409, {"detail": error.text, "field": error.field})
    except ServiceError as error:
        if error.field == "amount":
            return Status(422, {"detail": error.text, "field": error.field})
        raise
    return Status(201, delivery)


ROUTES = [("/packages/", router)]
