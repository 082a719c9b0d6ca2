"""The permission matrix's data: one ``Route`` per page (and method) with what each persona of
the ``world`` fixture must get. ``tests/web/test_permission_matrix.py`` runs it.

Add a URL: add a ``Route`` here, or — for another app's pages — a ``ROUTES`` list in
``tests/<app>/matrix_routes.py`` built from ``Route`` and the profiles below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from clusterwork.clusters import services as cluster_services
from clusterwork.people import services as people_services
from tests.factories import TrustFactory

PERSONAS = ["programme_admin", "coordinator", "head", "viewer", "outsider", "superuser"]
OK = "ok"


def profile(**overrides):
    base = dict.fromkeys(PERSONAS, OK)
    base.update(overrides)
    return base


ANY_USER = profile()
ALPHA_READ = profile(outsider=404)
ALPHA_WRITE = profile(head=403, viewer=403, outsider=404)
BETA_READ = profile(coordinator=404, head=404, viewer=404, outsider=404)
GAMMA_READ = profile(programme_admin=404, coordinator=404, head=404, viewer=404)
SCIENCE_READ = profile(outsider=404)
SCIENCE_WRITE = profile(coordinator=403, head=403, viewer=403, outsider=404)


def today():
    return timezone.localdate().isoformat()


def coordinator_person(w):
    return w.users.coordinator.person


def alpha_membership(w, index=1):
    return w.alpha.memberships.get(school=w.schools[index])


@dataclass
class Route:
    name: str
    kwargs: Callable = lambda w: {}
    expect: dict = field(default_factory=lambda: ANY_USER)
    method: str = "get"
    data: Callable = lambda w: {}
    ok: int = 200  # what "allowed" looks like: 200 for pages, 302 after a successful POST
    setup: Callable | None = None  # runs once before the personas (outside their savepoints)
    label: str = ""

    @property
    def id(self):
        return self.label or f"{self.name}-{self.method}"


def _archive_alpha(w):
    cluster_services.cluster_archive(actor=None, cluster=w.alpha)


def _token_of_coordinator(w):
    token, _ = people_services.token_create(user=w.users.coordinator, name="matrix")
    w.token = token


ROUTES = [
    # core
    Route("home"),
    Route("login", expect=dict.fromkeys(PERSONAS, 302)),  # signed-in users go home
    Route("logout", method="post", ok=302),
    # schools (public GIAS directory: any signed-in user)
    Route("school_list", data=lambda w: {"q": "Test", "phase": "Primary"}),
    Route("school_detail", kwargs=lambda w: {"urn": w.schools[0].urn}),
    Route("school_history", kwargs=lambda w: {"urn": w.schools[0].urn}),
    Route("trust_detail", kwargs=lambda w: {"pk": TrustFactory().pk}),
    # programmes
    Route("programme_list"),
    Route("programme_detail", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_READ),
    Route("programme_history", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_READ),
    Route("cluster_create", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_WRITE),
    Route(
        "cluster_create",
        kwargs=lambda w: {"pk": w.science.pk},
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"name": "Delta", "kind": "subject_network", "status": "active"},
    ),
    # clusters
    Route("cluster_list"),
    Route("cluster_detail", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_READ),
    Route(
        "cluster_detail",
        kwargs=lambda w: {"pk": w.alpha.pk},
        expect=ALPHA_READ,
        data=lambda w: {"on": "2024-09-01"},
        label="cluster_detail-as-of",
    ),
    Route(
        "cluster_detail",
        kwargs=lambda w: {"pk": w.beta.pk},
        expect=BETA_READ,
        label="cluster_detail-beta",
    ),
    Route(
        "cluster_detail",
        kwargs=lambda w: {"pk": w.gamma.pk},
        expect=GAMMA_READ,
        label="cluster_detail-gamma",
    ),
    Route("cluster_history", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_READ),
    Route(
        "cluster_history",
        kwargs=lambda w: {"pk": w.beta.pk},
        expect=BETA_READ,
        label="cluster_history-beta",
    ),
    Route("cluster_edit", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_WRITE),
    Route(
        "cluster_edit",
        kwargs=lambda w: {"pk": w.alpha.pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"name": "Alpha One", "kind": "subject_network", "status": "active"},
    ),
    Route(
        "cluster_edit",
        kwargs=lambda w: {"pk": w.beta.pk},
        expect=BETA_READ,
        label="cluster_edit-beta",
    ),
    Route(
        "cluster_archive",
        kwargs=lambda w: {"pk": w.alpha.pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"on": today()},
    ),
    # Once alpha is archived its memberships have ended, so the head (whose school was a
    # member) no longer sees it at all; the viewer (role on the cluster itself) still does.
    Route(
        "cluster_restore",
        kwargs=lambda w: {"pk": w.alpha.pk},
        method="post",
        ok=302,
        setup=_archive_alpha,
        expect=profile(head=404, viewer=403, outsider=404),
    ),
    Route(
        "member_add",
        kwargs=lambda w: {"pk": w.alpha.pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"school": w.schools[6].urn, "start": today()},
    ),
    Route(
        "member_search",
        kwargs=lambda w: {"pk": w.alpha.pk},
        expect=ALPHA_WRITE,
        data=lambda w: {"q": "Test"},
    ),
    Route(
        "member_search",
        kwargs=lambda w: {"pk": w.beta.pk},
        expect=BETA_READ,
        data=lambda w: {"q": "Test"},
        label="member_search-beta",
    ),
    Route(
        "member_end",
        kwargs=lambda w: {"pk": w.alpha.pk, "mpk": alpha_membership(w).pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"end": today()},
    ),
    Route(
        "member_end",
        kwargs=lambda w: {"pk": w.beta.pk, "mpk": alpha_membership(w).pk},
        expect=BETA_READ,
        method="post",
        ok=404,
        data=lambda w: {"end": today()},
        label="member_end-wrong-cluster",
    ),
    # The coordinator may change alpha but not beta, so beta is not a valid target for them.
    Route(
        "member_move",
        kwargs=lambda w: {"pk": w.alpha.pk, "mpk": alpha_membership(w).pk},
        # refused: the row comes back with the reason (200, never 400)
        expect=profile(coordinator=200, head=403, viewer=403, outsider=404),
        method="post",
        ok=302,
        data=lambda w: {"to_cluster": w.beta.pk, "on": today()},
    ),
    # people
    Route("person_list"),
    Route("person_detail", kwargs=lambda w: {"pk": coordinator_person(w).pk}, expect=ALPHA_READ),
    Route("person_history", kwargs=lambda w: {"pk": coordinator_person(w).pk}, expect=ALPHA_READ),
    Route(
        "role_assign",
        kwargs=lambda w: {"pk": coordinator_person(w).pk},
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {
            "role": "subject_leader",
            "scope": f"cluster:{w.alpha.pk}",
            "start": today(),
        },
    ),
    Route(
        "role_end",
        kwargs=lambda w: {
            "pk": coordinator_person(w).pk,
            "rpk": coordinator_person(w).roles.get().pk,
        },
        expect=ALPHA_WRITE,
        method="post",
        ok=302,
        data=lambda w: {"end": today()},
    ),
    Route("token_list"),
    Route("token_list", method="post", data=lambda w: {"name": "laptop"}),
    # Tokens are private: nobody else, not even a superuser, may revoke yours.
    Route(
        "token_revoke",
        kwargs=lambda w: {"pk": w.token.pk},
        method="post",
        ok=302,
        setup=_token_of_coordinator,
        expect=profile(programme_admin=404, head=404, viewer=404, outsider=404, superuser=404),
    ),
]


def contributed_routes() -> list[Route]:
    """Rows other apps keep next to their own tests, in tests/<app>/matrix_routes.py."""
    routes = []
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/matrix_routes.py")):
        routes += importlib.import_module(f"tests.{path.parent.name}.matrix_routes").ROUTES
    return routes


ALL_ROUTES = ROUTES + contributed_routes()
