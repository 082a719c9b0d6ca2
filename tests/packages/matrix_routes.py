"""Permission-matrix rows for the support-package pages (run by tests/web)."""

from django.utils import timezone

from clusterwork.packages import services
from tests.web.matrix import (
    ALPHA_READ,
    ANY_USER,
    SCIENCE_READ,
    SCIENCE_WRITE,
    Route,
)

from .helpers import development_manager, example_two


def _package(w):
    if not hasattr(w, "package"):
        w.manager = development_manager(w.science)
        w.package, w.items = example_two(w.alpha, manager=w.manager)
    return w.package


def _delivery(w):
    package = _package(w)
    if not hasattr(w, "delivery"):
        w.delivery = services.delivery_log(
            actor=None,
            package=package,
            item=w.items["strategic_support"],
            on=timezone.localdate(),
            amount=1,
            delivered_by=w.manager,
        )
    return w.delivery


def _alpha(w):
    return {"pk": w.alpha.pk}


def _pkg(w):
    return {"pk": _package(w).pk}


def _science(w):
    return {"pk": w.science.pk}


ROUTES = [
    Route("packages:cluster_packages", kwargs=_alpha, expect=ALPHA_READ, setup=_package),
    Route("packages:package_new", kwargs=_alpha, expect=SCIENCE_WRITE),
    Route("packages:package_detail", kwargs=_pkg, expect=ALPHA_READ, setup=_delivery),
    Route("packages:package_renegotiate", kwargs=_pkg, expect=SCIENCE_WRITE, setup=_package),
    Route("packages:delivery_new", kwargs=_pkg, expect=SCIENCE_WRITE, setup=_package),
    Route("packages:membership_new", kwargs=_pkg, expect=SCIENCE_WRITE, setup=_package),
    Route(
        "packages:delivery_withdraw",
        kwargs=lambda w: {"pk": _delivery(w).pk},
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"reason": "logged twice"},
        setup=_delivery,
    ),
    Route("packages:programme_packages", kwargs=_science, expect=SCIENCE_READ, setup=_package),
    Route("packages:catalogue", kwargs=_science, expect=SCIENCE_READ, setup=_package),
    Route("packages:caseload", expect=ANY_USER, setup=_package),
]
