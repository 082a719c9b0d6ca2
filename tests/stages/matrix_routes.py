"""Permission-matrix rows for the programme-stage pages (run by tests/web)."""

from clusterwork.stages import services
from tests.factories import SchoolFactory
from tests.web.matrix import ALPHA_READ, ALPHA_WRITE, SCIENCE_READ, SCIENCE_WRITE, Route, profile

ONLY_PROGRAMME_ADMINS = profile(coordinator=404, head=404, viewer=404, outsider=404)


def _stage_alpha(w):
    stages = services.stages_install_defaults(actor=None, programme=w.science)
    services.stage_start(actor=None, cluster=w.alpha, stage=stages[3])


def _first_item(w):
    return w.science.stages.get(key="year1").items.first().pk


def _application(w):
    return services.application_submit(
        actor=None,
        programme=w.science,
        cluster_name="Applicants",
        aims="x",
        schools=[SchoolFactory()],
        coordinator_name="A",
        coordinator_email="a@example.org",
    ).pk


ROUTES = [
    Route("programme_board", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_READ),
    Route("programme_stages", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_READ),
    Route("application_new", kwargs=lambda w: {"pk": w.science.pk}, expect=SCIENCE_WRITE),
    Route(
        "application_detail",
        kwargs=lambda w: {"pk": _application(w)},
        expect=ONLY_PROGRAMME_ADMINS,
    ),
    Route("cluster_stage", kwargs=lambda w: {"pk": w.alpha.pk}, expect=ALPHA_READ),
    Route(
        "stage_place",
        kwargs=lambda w: {"pk": w.beta.pk},
        method="post",
        ok=302,
        data=lambda w: {"stage": w.science.stages.get(key="setup").pk},
        expect=profile(coordinator=404, head=404, viewer=404, outsider=404),
        setup=_stage_alpha,
    ),
    Route(
        "checklist_tick",
        kwargs=lambda w: {"pk": w.alpha.pk, "item_pk": _first_item(w)},
        method="post",
        ok=302,
        data=lambda w: {"done": "1"},
        expect=ALPHA_WRITE,
        setup=_stage_alpha,
    ),
]
