"""Demo: the science programme's clusters at different stages, and one application waiting
for the panel."""

import datetime as dt

from clusterwork.core.demo import demo_step
from clusterwork.schools.models import Phase

from . import services
from .models import ChecklistItem

# Where each science cluster has reached (cluster name prefix → stage key), by cohort.
REACHED = {
    "Carlisle": "independent",
    "Bristol": "transition",
    "Leeds": "developing",
    "South Gloucestershire": "year1",
    "Norwich": "year1",
    "Truro": "setup",
}


def _tick_all(ctx, cluster, stage, following, on):
    items = [i for i in stage.items.all() if i.when == ChecklistItem.When.EXIT]
    if following is not None:
        items += [i for i in following.items.all() if i.when == ChecklistItem.When.ENTRY]
    for item in items:
        services.checklist_set(actor=ctx.actor, cluster=cluster, item=item, done=True, on=on)


@demo_step(order=60, name="stages")
def build(ctx) -> str:
    programme = ctx.objects["science.programme"]
    stages = services.stages_install_defaults(actor=ctx.actor, programme=programme)
    cluster_stages = [s for s in stages if not s.is_pre_cluster]
    placed = 0
    for name, cluster in ctx.objects["science.clusters"].items():
        target = REACHED[name]
        started = cluster.started_on
        setup_on = started - dt.timedelta(days=90)
        services.stage_start(
            actor=ctx.actor,
            cluster=cluster,
            stage=cluster_stages[0],
            on=setup_on,
            note="accepted by the panel",
        )
        on = started
        for index, stage in enumerate(cluster_stages[:-1]):
            if stage.key == target:
                break
            following = cluster_stages[index + 1]
            _tick_all(ctx, cluster, stage, following, on - dt.timedelta(days=14))
            services.stage_advance(actor=ctx.actor, cluster=cluster, on=on)
            on = on + dt.timedelta(days=365 if following.key == "year1" else 730)
        # Part of the current stage's checklist is done, so the board shows what blocks it.
        current = services.current_stage(cluster).stage
        open_items = [i for i in current.items.all() if i.when == ChecklistItem.When.EXIT]
        for item in open_items[:1]:
            services.checklist_set(actor=ctx.actor, cluster=cluster, item=item, done=True)
        placed += 1
    anchor = ctx.schools.first(la="Sheffield", phase=Phase.PRIMARY)
    points = [anchor, *ctx.schools.nearest(anchor, 3, phases={Phase.PRIMARY})]
    services.application_submit(
        actor=ctx.actor,
        programme=programme,
        cluster_name="Sheffield Science Cluster",
        aims="Build confidence in practical science and share resources between four "
        "neighbouring primaries; start with a joint science week.",
        schools=[ctx.school(p) for p in points],
        coordinator_name="Priya Holloway",
        coordinator_email="priya.holloway@demo.clusterwork.test",
        lead_school=ctx.school(anchor),
        region="Yorkshire and the Humber",
    )
    return (
        f"Stages: {placed} science clusters placed on the programme board; "
        "1 application awaits the panel."
    )
