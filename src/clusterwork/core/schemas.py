"""API schemas every app shares: paging, short references, errors, and the answers each kind of
endpoint documents. Domain schemas live in their app's ``api.py``."""

from typing import Literal

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Every list endpoint pages the same way: ?page=1&page_size=50 (at most 200), and answers
# {"items": [...], "count": total}.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# A page number past this is refused (422) rather than multiplied into an offset the
# database cannot hold (SQLite answered 500 for page numbers beyond 64 bits).
MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        # A larger page_size is capped at MAX_PAGE_SIZE (max_page_size below), not refused.
        page_size: int | None = Field(None, ge=1)

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def is_archived(obj) -> bool:
    """An archivable row's ``archived`` field: ``resolve_archived = staticmethod(is_archived)``."""
    return obj.is_archived


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


# The answers each kind of endpoint documents, so the schema tells clients what to expect.
def listing(item_schema) -> dict:
    return {200: list[item_schema], 401: ErrorOut}


def reading(schema) -> dict:
    return {200: schema, 401: ErrorOut, 404: ErrorOut}


def writing(schema, status: int = 200) -> dict:
    return {status: schema, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
