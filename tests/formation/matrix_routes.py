"""Permission-matrix rows for the formation pages (run by tests/web).

Runs belong to the science programme. A run, its proposal, its exports and the what-if page
list every school of the programme and where it would go, so they are only for those who may
change the programme's clusters (its admin, a superuser): others who see the programme get
403, outsiders 404.
"""

from clusterwork.formation import services
from clusterwork.formation.sites import sites_from_schools
from tests.web.matrix import SCIENCE_WRITE, Route

FORM = {
    "include_members": "on",
    "min_size": "3",
    "max_size": "12",
    "n_clusters": "2",
    "time_limit": "2",
    "seed": "0",
}


def _finished_run(w):
    """A run with a proposal, computed in place so the task backend does not matter."""
    run = services.formation_run_start(
        actor=None,
        programme=w.science,
        sites=sites_from_schools(w.schools[:6], programme=w.science),
        params={"min_size": 3, "max_size": 12, "n_clusters": 2, "time_limit": 2},
        selection="matrix",
    )
    w.run = services.formation_run_execute(run_id=run.pk)


def _run(w):
    return {"pk": w.run.pk}


def _science(w):
    return {"pk": w.science.pk}


def _move_to_alpha(w):
    return {"action": "save", "change": f"{w.schools[3].urn}:{w.alpha.pk}"}


ROUTES = [
    Route("formation:run_list", kwargs=_science, expect=SCIENCE_WRITE),
    Route("formation:run_new", kwargs=_science, expect=SCIENCE_WRITE),
    Route(
        "formation:run_new",
        kwargs=_science,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=lambda w: FORM,
    ),
    Route("formation:run_detail", kwargs=_run, expect=SCIENCE_WRITE, setup=_finished_run),
    Route(
        "formation:run_export",
        kwargs=lambda w: {"pk": w.run.pk, "fmt": "csv"},
        expect=SCIENCE_WRITE,
        setup=_finished_run,
        label="run_export-csv",
    ),
    Route(
        "formation:run_export",
        kwargs=lambda w: {"pk": w.run.pk, "fmt": "geojson"},
        expect=SCIENCE_WRITE,
        setup=_finished_run,
        label="run_export-geojson",
    ),
    Route(
        "formation:run_accept",
        kwargs=_run,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        setup=_finished_run,
    ),
    Route(
        "formation:run_discard",
        kwargs=_run,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        setup=_finished_run,
    ),
    Route(
        "formation:run_rerun",
        kwargs=_run,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        setup=_finished_run,
    ),
    Route("formation:whatif", kwargs=_science, expect=SCIENCE_WRITE),
    # Even a preview lists the programme's clusters with their schools: the same right.
    Route(
        "formation:whatif",
        kwargs=_science,
        expect=SCIENCE_WRITE,
        method="post",
        data=lambda w: {"action": "add", "urn": w.schools[3].urn, "cluster": w.alpha.pk},
        label="whatif-preview",
    ),
    Route(
        "formation:whatif",
        kwargs=_science,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=_move_to_alpha,
        label="whatif-save",
    ),
]
