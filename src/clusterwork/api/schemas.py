"""Schemas shared by more than one app's API: short references, errors, size checks."""

import datetime as dt
from typing import Literal

from ninja import Schema
from ninja.pagination import PageNumberPagination

# Every list endpoint pages the same way: ?page=1&page_size=50 (at most 200), and answers
# {"items": [...], "count": total}.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def choice_of(text_choices):
    """The stored values of a TextChoices as a Literal type: the schema lists them inline,
    instead of as components that collide by name (Programme.Kind vs Cluster.Kind)."""
    return Literal[tuple(text_choices.values)]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class Ref(Schema):
    """A named object, by id."""

    id: int
    name: str


class SchoolRef(Schema):
    urn: int
    name: str


class PersonRef(Schema):
    id: int
    full_name: str


class SizeCheckOut(Schema):
    """The cluster's size against its programme's bounds: advice to show, never a block."""

    size: int
    minimum: int
    maximum: int
    ok: bool
    message: str


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    scope_kind: str
    scope_id: int
    scope_name: str
    start: dt.date
    end: dt.date | None
    is_current: bool

    @staticmethod
    def resolve_role_label(obj) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_scope_id(obj) -> int:
        return getattr(obj, f"{obj.scope_kind}_id")

    @staticmethod
    def resolve_scope_name(obj) -> str:
        scope = obj.scope
        return scope.name if scope is not None else ""

    @staticmethod
    def resolve_is_current(obj) -> bool:
        return obj.is_current()


# The answers each kind of endpoint documents, so the schema tells clients what to expect.
def listing(item_schema) -> dict:
    return {200: list[item_schema], 401: ErrorOut}


def reading(schema) -> dict:
    return {200: schema, 401: ErrorOut, 404: ErrorOut}


def writing(schema, status: int = 200) -> dict:
    return {status: schema, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
