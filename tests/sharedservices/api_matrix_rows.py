"""API permission-matrix rows for /api/v1/services/… (collected by tests/api)."""

from tests.api.test_permissions import SEE_ALPHA, SIGNED_IN, Row, change_alpha

from .helpers import YEAR, alpha_deployment, alpha_service, alpha_service_pk, teacher

ROWS = [
    Row("GET", "/services/shared-services/", SIGNED_IN),
    Row(
        "POST",
        "/services/shared-services/",
        change_alpha(201),
        body=lambda w: {
            "cluster": w.alpha.pk,
            "name": "Shared clerk",
            "kind": "clerk",
            "provider": "trust_central",
            "annual_cost_pence": 900_000,
            "method": "equal",
            "start": "2024-09-01",
        },
    ),
    Row(
        "GET",
        "/services/shared-services/{service_id}",
        SEE_ALPHA,
        lambda w: {"service_id": alpha_service_pk(w)},
    ),
    Row(
        "POST",
        "/services/shared-services/{service_id}/agree",
        change_alpha(200),
        lambda w: {"service_id": alpha_service(w, name="Admin support").pk},
        body=lambda w: {"on": "2024-09-01"},
    ),
    Row(
        "POST",
        "/services/shared-services/{service_id}/terms",
        change_alpha(201),
        lambda w: {"service_id": alpha_service_pk(w)},
        body=lambda w: {
            "start": "2025-01-01",
            "annual_cost_pence": 1_200_000,
            "method": "equal",
            "reason": "more hours",
        },
    ),
    Row(
        "GET",
        "/services/apportionments/",
        SEE_ALPHA,
        # a GET's body is its query string
        body=lambda w: {"service": alpha_service_pk(w), "year": YEAR},
    ),
    Row("GET", "/services/deployments/", SIGNED_IN),
    Row(
        "POST",
        "/services/deployments/",
        change_alpha(201),
        body=lambda w: {
            "cluster": w.alpha.pk,
            "person": teacher(w).pk,
            "home_school_urn": w.schools[0].urn,
            "host_school_urn": w.schools[2].urn,
            "purpose": "specialist",
            "start": "2025-03-03",
            "end": "2025-03-08",
            "day_rate_pence": 28_000,
            "on_cost_percent": "22.5",
        },
    ),
    Row(
        "GET",
        "/services/deployments/{deployment_id}",
        SEE_ALPHA,
        lambda w: {"deployment_id": alpha_deployment(w).pk},
    ),
    Row(
        "POST",
        "/services/deployments/{deployment_id}/cancel",
        change_alpha(200),
        lambda w: {"deployment_id": alpha_deployment(w).pk},
        body=lambda w: {"reason": "no longer needed"},
    ),
]
