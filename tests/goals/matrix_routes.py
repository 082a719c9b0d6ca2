"""Permission-matrix rows for the vision/goals/projects pages (run by tests/web)."""

from clusterwork.goals import services
from tests.web.matrix import ALPHA_READ, ALPHA_WRITE, Route


def _goal(w):
    return services.goal_create(actor=None, cluster=w.alpha, title="Fair tests", horizon="short").pk


def _project(w):
    return services.project_create(
        actor=None, cluster=w.alpha, title="10 Key Words", kind="cluster"
    ).pk


def _alpha(w):
    return {"pk": w.alpha.pk}


ROUTES = [
    Route("cluster_plan", kwargs=_alpha, expect=ALPHA_READ),
    Route("goal_new", kwargs=_alpha, expect=ALPHA_WRITE),
    Route("project_new", kwargs=_alpha, expect=ALPHA_WRITE),
    Route("achievement_new", kwargs=_alpha, expect=ALPHA_WRITE),
    Route("cluster_successes", kwargs=_alpha, expect=ALPHA_READ),
    Route(
        "cluster_newsletter", kwargs=lambda w: {"pk": w.alpha.pk, "fmt": "html"}, expect=ALPHA_READ
    ),
    Route("goal_detail", kwargs=lambda w: {"pk": _goal(w)}, expect=ALPHA_READ),
    Route("project_detail", kwargs=lambda w: {"pk": _project(w)}, expect=ALPHA_READ),
]
