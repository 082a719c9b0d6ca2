"""JSON API for shared resources: /api/v1/resources/items/ and /api/v1/resources/bookings/."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from clusterwork.core.errors import ServiceError
from clusterwork.core.schemas import ErrorOut, Pagination, Ref, SchoolRef, listing, reading, writing
from clusterwork.people.selectors import people_visible_to

from . import selectors, services
from .access import access_resource
from .models import Loan

router = Router(tags=["resources"])


class BusyOut(Schema):
    start: dt.date
    end: dt.date
    status: str
    school: SchoolRef | None = Field(None, description="None: a school of a cluster you do not see")


class ItemOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    owner_school: SchoolRef
    location: str
    condition: str
    has_photo: bool
    clusters: list[Ref]

    @staticmethod
    def resolve_has_photo(obj):
        return bool(obj.photo)

    @staticmethod
    def resolve_clusters(obj):
        return list(obj.clusters.all())


class ItemDetailOut(ItemOut):
    busy: list[BusyOut] = Field(
        ..., description="Bookings and loans holding dates from today (end exclusive)"
    )


class ItemFilter(Schema):
    cluster: int | None = None
    kind: str | None = None


@router.get("items/", response=listing(ItemOut), summary="List shared resources")
@paginate(Pagination)
def list_resource_items(request, filters: Query[ItemFilter]):
    """Items shared with the clusters you may see."""
    queryset = selectors.resources_visible_to(request.auth).filter(archived_at__isnull=True)
    if filters.cluster:
        queryset = queryset.filter(clusters__id=filters.cluster)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset.prefetch_related("clusters").order_by("name", "id")


@router.get("items/{int:item_id}", response=reading(ItemDetailOut), summary="Get a shared resource")
def get_resource_item(request, item_id: int):
    """The item with the dates it is booked or out from today."""
    resource = access_resource(request.auth, item_id)
    seen = selectors.visible_cluster_ids(request.auth, resource)
    loans = (
        resource.loans.filter(status__in=Loan.HOLDING, end__gt=timezone.localdate())
        .select_related("school")
        .order_by("start")
    )
    resource.busy = [
        {
            "start": loan.start,
            "end": loan.end,
            "status": loan.status,
            "school": loan.school if loan.cluster_id in seen else None,
        }
        for loan in loans
    ]
    return resource


class BookingOut(Schema):
    id: int
    item: Ref
    cluster: Ref
    school: SchoolRef
    start: dt.date
    end: dt.date = Field(..., description="The day it comes back (exclusive)")
    status: str
    purpose: str

    @staticmethod
    def resolve_item(obj):
        return {"id": obj.resource_id, "name": obj.resource.name}


class BookingFilter(Schema):
    item: int | None = None
    cluster: int | None = None
    status: str | None = None


@router.get("bookings/", response=listing(BookingOut), summary="List bookings and loans")
@paginate(Pagination)
def list_resource_bookings(request, filters: Query[BookingFilter]):
    queryset = selectors.loans_visible_to(request.auth)
    if filters.item:
        queryset = queryset.filter(resource_id=filters.item)
    if filters.cluster:
        queryset = queryset.filter(cluster_id=filters.cluster)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset.order_by("-start", "-id")


class BookingIn(Schema):
    item: int
    school_urn: int
    start: dt.date
    end: dt.date = Field(..., description="The day it comes back (exclusive)")
    borrower: int | None = None
    purpose: str = Field("", max_length=300)


@router.post(
    "bookings/",
    response={**writing(BookingOut, 201), 409: ErrorOut},
    summary="Book a shared resource",
)
def create_resource_booking(request, payload: BookingIn):
    """Book an item for a school of a cluster that shares it. Dates that overlap a booking
    or loan of the item answer **409**, naming the clash."""
    user = request.auth
    resource = access_resource(user, payload.item, perm="resources.book_resource")
    school = selectors.bookable_schools(user, resource).filter(urn=payload.school_urn).first()
    if school is None:
        raise ServiceError(
            f"You cannot book {resource} for school {payload.school_urn}.", field="school_urn"
        )
    borrower = None
    if payload.borrower is not None:
        borrower = people_visible_to(user).filter(pk=payload.borrower).first()
        if borrower is None:
            raise ServiceError(f"No person {payload.borrower} that you can see.", field="borrower")
    try:
        loan = services.loan_book(
            actor=user,
            resource=resource,
            school=school,
            start=payload.start,
            end=payload.end,
            borrower=borrower,
            purpose=payload.purpose,
        )
    except services.Clash as error:
        return Status(409, {"detail": error.text, "field": error.field})
    return Status(201, loan)


ROUTES = [("/resources/", router)]
