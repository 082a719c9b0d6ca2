"""API permission-matrix rows for /api/v1/packages/ (collected by tests/api)."""

from django.utils import timezone

from tests.api.test_permissions import SEE_ALPHA, SIGNED_IN, Row, change_science

from .helpers import development_manager, example_two


def _fresh(w):
    # Built inside each persona's savepoint (rolled back after it).
    w.manager = development_manager(w.science)
    w.package, w.items = example_two(w.alpha, manager=w.manager)
    return w.package


def _delivery_body(w):
    package = _fresh(w)
    return {
        "package": package.pk,
        "item": w.items["strategic_support"].pk,
        "on": timezone.localdate().isoformat(),
        "amount": "0.5",
        "delivered_by": w.manager.pk,
        "notes": "Strategy meeting with the heads",
    }


ROWS = [
    Row("GET", "/packages/packages/", SIGNED_IN),
    Row(
        "GET",
        "/packages/packages/{package_id}",
        SEE_ALPHA,
        lambda w: {"package_id": _fresh(w).pk},
    ),
    Row("GET", "/packages/deliveries/", SIGNED_IN),
    Row("POST", "/packages/deliveries/", change_science(201), body=_delivery_body),
]
