"""API permission-matrix rows for /api/v1/funding/ (collected by tests/api/test_permissions.py).

The funded world of ``helpers.funded``: the head persona's school leads alpha, so the head
approves and pays; the programme admin manages money and reimburses but approves nothing.
"""

from django.utils import timezone

from clusterwork.funding.models import Claim
from tests.api.test_permissions import Row, _statuses

from .helpers import category, claim_in, funded

SIGNED_IN = _statuses(200, coordinator=200, head=200, viewer=200, outsider=200)
SEE_ALPHA = _statuses(200, coordinator=200, head=200, viewer=200, outsider=404)
CLAIM = _statuses(201, coordinator=201, head=201, viewer=403, outsider=404)
# A superuser may act on any claim (funding/rules.py); a programme admin may not.
SUBMIT = {**_statuses(403, coordinator=200, head=403, viewer=403, outsider=404), "superuser": 200}
LEAD = {**_statuses(403, coordinator=403, head=200, viewer=403, outsider=404), "superuser": 200}
MANAGE = _statuses(200, coordinator=403, head=403, viewer=403, outsider=404)


def _claim(status):
    def args(w):
        funded(w)
        return {"claim_id": claim_in(w, status).pk}

    return args


def _new_claim(w):
    funded(w)
    return {
        "cluster": w.alpha.pk,
        "category": category(w.science, "part_b").pk,
        "school_urn": w.schools[0].urn,
        "activity_on": timezone.localdate().isoformat(),
        "description": "Thermometers",
        "amount_pence": 2499,
    }


def _budgets(w):
    funded(w)
    return {}


ROWS = [
    Row("GET", "/funding/budgets/", SIGNED_IN, _budgets),
    Row("GET", "/funding/claims/", SIGNED_IN, _claim(Claim.Status.SUBMITTED)),
    Row("POST", "/funding/claims/", CLAIM, _budgets, body=_new_claim),
    Row("GET", "/funding/claims/{claim_id}", SEE_ALPHA, _claim(Claim.Status.SUBMITTED)),
    # JSON instead of a multipart file: refused with the reason (400) after the access check.
    Row(
        "POST",
        "/funding/claims/{claim_id}/evidence",
        {**_statuses(403, coordinator=400, head=403, viewer=403, outsider=404), "superuser": 400},
        _claim(Claim.Status.DRAFT),
    ),
    Row("POST", "/funding/claims/{claim_id}/submit", SUBMIT, _claim(Claim.Status.DRAFT)),
    Row("POST", "/funding/claims/{claim_id}/approve", LEAD, _claim(Claim.Status.SUBMITTED)),
    Row(
        "POST",
        "/funding/claims/{claim_id}/reject",
        LEAD,
        _claim(Claim.Status.SUBMITTED),
        body=lambda w: {"reason": "Not in the cluster's plan"},
    ),
    Row(
        "POST",
        "/funding/claims/{claim_id}/pay",
        LEAD,
        _claim(Claim.Status.APPROVED),
        body=lambda w: {"reference": "BACS 77"},
    ),
    Row(
        "POST",
        "/funding/claims/{claim_id}/reimburse",
        MANAGE,
        _claim(Claim.Status.PAID),
        body=lambda w: {"reference": "R-1"},
    ),
]
