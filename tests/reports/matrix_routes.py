"""Permission-matrix rows for the dashboards, reports and digest settings (run by tests/web).

The world's science programme is run by a trust for the trust's pages; no persona but the
superuser holds a role for that trust, so everyone else gets 404 there."""

from django.utils import timezone

from clusterwork.clusters.models import Programme
from tests.factories import TrustFactory
from tests.web.matrix import (
    ALPHA_READ,
    ANY_USER,
    BETA_READ,
    GAMMA_READ,
    PERSONAS,
    SCIENCE_READ,
    Route,
    profile,
)

TRUST_ONLY = profile(**dict.fromkeys([p for p in PERSONAS if p != "superuser"], 404))


def _trust(w):
    w.trust = TrustFactory(name="Weald Learning Trust")
    # No service changes a programme's trust yet: set it as the fixture's data.
    Programme.objects.filter(pk=w.science.pk).update(trust=w.trust)
    w.science.trust = w.trust


def _cohort(w):
    return {"pk": w.science.pk, "year": timezone.localdate().year}


ROUTES = [
    Route("reports:index"),
    Route(
        "reports:trust_dashboard",
        kwargs=lambda w: {"pk": w.trust.pk},
        setup=_trust,
        expect=TRUST_ONLY,
    ),
    Route(
        "reports:board_pack",
        kwargs=lambda w: {"pk": w.trust.pk, "fmt": "html"},
        setup=_trust,
        expect=TRUST_ONLY,
    ),
    Route(
        "reports:programme_dashboard", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_READ
    ),
    Route(
        "reports:programme_dashboard",
        kwargs=lambda w: {"pk": w.science.pk},
        data=lambda w: {"export": "csv"},
        expect=SCIENCE_READ,
        label="programme-export-csv",
    ),
    Route(
        "reports:programme_dashboard",
        kwargs=lambda w: {"pk": w.sport.pk},
        expect=GAMMA_READ,
        label="programme_dashboard-sport",
    ),
    Route("reports:cohort_dashboard", kwargs=_cohort, expect=SCIENCE_READ),
    Route(
        "reports:programme_report",
        kwargs=lambda w: {"pk": w.science.pk, "fmt": "html"},
        expect=SCIENCE_READ,
    ),
    Route("reports:cluster_dashboard", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_READ),
    Route(
        "reports:cluster_dashboard",
        kwargs=lambda w: {"pk": w.beta.pk},
        expect=BETA_READ,
        label="cluster_dashboard-beta",
    ),
    Route(
        "reports:cluster_report",
        kwargs=lambda w: {"pk": w.alpha.pk, "fmt": "html"},
        expect=ALPHA_READ,
    ),
    Route(
        "reports:school_dashboard", kwargs=lambda w: {"urn": w.schools[0].urn}, expect=ALPHA_READ
    ),
    Route(
        "reports:school_dashboard",
        kwargs=lambda w: {"urn": w.schools[3].urn},
        expect=BETA_READ,
        label="school_dashboard-beta",
    ),
    Route("reports:digest_settings", expect=ANY_USER),
    Route(
        "reports:digest_settings",
        method="post",
        ok=302,
        expect=ANY_USER,
        data=lambda w: {"weekly": "on"},
    ),
]
