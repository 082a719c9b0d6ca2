"""API permission-matrix rows for /api/v1/sharing/ (collected by tests/api/test_permissions.py)."""

from tests.api.test_permissions import SEE_ALPHA, SIGNED_IN, Row, _statuses, change_alpha

from .data import build

CONTRIBUTE_ALPHA = _statuses(201, coordinator=201, head=201, viewer=403, outsider=404)
PROGRAMME_THREADS_START = _statuses(201, coordinator=201, head=404, viewer=404, outsider=404)


def _item(w):
    return {"item_id": build(w).writeup.pk}


def _thread(w):
    return {"thread_id": build(w).thread.pk}


ROWS = [
    Row("GET", "/sharing/items/", SIGNED_IN),
    Row(
        "POST",
        "/sharing/items/",
        CONTRIBUTE_ALPHA,
        body=lambda w: {
            "cluster": w.alpha.pk,
            "title": "Bug hotel instructions",
            "kind": "link",
            "subject": "science",
            "key_stage": "ks1",
            "url": "https://example.org/bug-hotel",
            "tags": ["Habitats"],
        },
    ),
    Row("GET", "/sharing/items/{item_id}", SEE_ALPHA, _item),
    Row("GET", "/sharing/threads/", SIGNED_IN),
    Row(
        "POST",
        "/sharing/threads/",
        CONTRIBUTE_ALPHA,
        body=lambda w: {"cluster": w.alpha.pk, "title": "Kit swap", "body": "Anyone have a kit?"},
    ),
    Row("GET", "/sharing/threads/{thread_id}/posts", SEE_ALPHA, _thread),
    Row(
        "POST",
        "/sharing/threads/{thread_id}/posts",
        CONTRIBUTE_ALPHA,
        _thread,
        body=lambda w: {"body": "Yes, we have one."},
    ),
    Row("GET", "/sharing/coaching/", SIGNED_IN),
    Row("GET", "/sharing/partners/", SIGNED_IN),
]

# change_alpha is the shape of the other writes; kept imported for rows added later.
__all__ = ["ROWS", "change_alpha"]
