"""Permission-matrix rows for the shared services and teacher deployment pages."""

from tests.web.matrix import (
    ALPHA_READ,
    ALPHA_WRITE,
    BETA_READ,
    SCIENCE_READ,
    SCIENCE_WRITE,
    Route,
)

from .helpers import YEAR, alpha_deployment, alpha_service, alpha_service_pk, teacher


def _alpha(w):
    return {"pk": w.alpha.pk}


def _service(w):
    return {"pk": alpha_service_pk(w)}


def _proposed(w):
    return {"pk": alpha_service(w, name="Shared clerk").pk}


def _statement(fmt):
    return lambda w: {"urn": w.schools[0].urn, "year": YEAR, "fmt": fmt}


ROUTES = [
    Route("sharedservices:cluster_services", kwargs=_alpha, expect=ALPHA_READ),
    Route("sharedservices:service_new", kwargs=_alpha, expect=ALPHA_WRITE),
    Route(
        "sharedservices:service_new",
        kwargs=_alpha,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {
            "name": "Cluster clerk",
            "kind": "clerk",
            "provider": "trust_central",
            "annual_cost_pence": "12000.00",
            "method": "equal",
            "start": "2024-09-01",
        },
    ),
    Route(
        "sharedservices:programme_services",
        kwargs=lambda w: {"pk": w.science.pk},
        expect=SCIENCE_READ,
    ),
    Route(
        "sharedservices:programme_service_new",
        kwargs=lambda w: {"pk": w.science.pk},
        expect=SCIENCE_WRITE,
    ),
    Route("sharedservices:service_detail", kwargs=_service, expect=ALPHA_READ),
    Route("sharedservices:service_history", kwargs=_service, expect=ALPHA_READ),
    Route("sharedservices:service_agree", kwargs=_proposed, expect=ALPHA_WRITE),
    Route(
        "sharedservices:service_agree",
        kwargs=_proposed,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
    ),
    Route("sharedservices:service_terms", kwargs=_service, expect=ALPHA_WRITE),
    Route(
        "sharedservices:service_terms",
        kwargs=_service,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {
            "start": "2025-01-01",
            "annual_cost_pence": "12000.00",
            "method": "equal",
            "reason": "More hours",
        },
    ),
    Route("sharedservices:service_percentages", kwargs=_proposed, expect=ALPHA_WRITE),
    Route("sharedservices:service_hours", kwargs=_service, expect=ALPHA_WRITE),
    Route("sharedservices:service_end", kwargs=_service, expect=ALPHA_WRITE),
    Route("sharedservices:statement", kwargs=_statement("html"), expect=ALPHA_READ),
    Route(
        "sharedservices:statement",
        kwargs=lambda w: {"urn": w.schools[3].urn, "year": YEAR, "fmt": "html"},
        expect=BETA_READ,
        label="statement-beta",
    ),
    Route("sharedservices:cluster_deployments", kwargs=_alpha, expect=ALPHA_READ),
    Route(
        "sharedservices:cluster_deployments",
        kwargs=_alpha,
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {
            "person": teacher(w).pk,
            "home_school": w.schools[0].pk,
            "host_school": w.schools[2].pk,
            "purpose": "cover",
            "start": "2025-02-03",
            "end": "2025-02-08",
            "session": "full",
            "weekday": "",
            "day_rate_pence": "250.00",
            "on_cost_percent": "20",
        },
    ),
    Route(
        "sharedservices:deployment_detail",
        kwargs=lambda w: {"pk": alpha_deployment(w).pk},
        expect=ALPHA_READ,
    ),
    Route(
        "sharedservices:deployment_statement",
        kwargs=lambda w: {"urn": w.schools[1].urn, "year": YEAR, "fmt": "html"},
        expect=ALPHA_READ,
    ),
]
