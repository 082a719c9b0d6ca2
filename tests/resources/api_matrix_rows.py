"""API permission-matrix rows for /api/v1/resources/ (collected by tests/api)."""

from tests.api.test_permissions import SEE_ALPHA, SIGNED_IN, Row, _statuses

from .helpers import days, themed_box

# Booking: the coordinator lends it, the head's school (alpha's first) books for itself; the
# viewer reads only.
BOOK_ALPHA = _statuses(201, coordinator=201, head=201, viewer=403, outsider=404)


def _box(w):
    # Built inside each persona's savepoint (rolled back after it).
    return themed_box(w)


ROWS = [
    Row("GET", "/resources/items/", SIGNED_IN),
    Row("GET", "/resources/items/{item_id}", SEE_ALPHA, lambda w: {"item_id": _box(w).pk}),
    Row("GET", "/resources/bookings/", SIGNED_IN),
    Row(
        "POST",
        "/resources/bookings/",
        BOOK_ALPHA,
        body=lambda w: {
            "item": _box(w).pk,
            "school_urn": w.schools[0].urn,
            "start": days(1).isoformat(),
            "end": days(4).isoformat(),
        },
    ),
]
