"""Permission-matrix rows for the formation pages (run by tests/web).

Runs belong to the science programme, so they follow its rules: everyone who sees the
programme may look at a run and its exports; only those who may change the programme (its
admin, a superuser) may start, accept, discard, re-run or save a what-if change.
"""

from clusterwork.formation import services
from clusterwork.formation.sites import sites_from_schools
from tests.web.matrix import SCIENCE_READ, SCIENCE_WRITE, Route

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
    Route("formation:run_list", kwargs=_science, expect=SCIENCE_READ),
    Route("formation:run_new", kwargs=_science, expect=SCIENCE_WRITE),
    Route(
        "formation:run_new",
        kwargs=_science,
        expect=SCIENCE_WRITE,
        method="post",
        ok=302,
        data=lambda w: FORM,
    ),
    Route("formation:run_detail", kwargs=_run, expect=SCIENCE_READ, setup=_finished_run),
    Route(
        "formation:run_export",
        kwargs=lambda w: {"pk": w.run.pk, "fmt": "csv"},
        expect=SCIENCE_READ,
        setup=_finished_run,
        label="run_export-csv",
    ),
    Route(
        "formation:run_export",
        kwargs=lambda w: {"pk": w.run.pk, "fmt": "geojson"},
        expect=SCIENCE_READ,
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
    Route("formation:whatif", kwargs=_science, expect=SCIENCE_READ),
    # Trying a change is a preview anyone who sees the programme may make; saving is a write.
    Route(
        "formation:whatif",
        kwargs=_science,
        expect=SCIENCE_READ,
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
