"""Reads for programme stages: the board, a cluster's stage and checklist."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from clusterwork.clusters.models import Cluster, Programme
from clusterwork.clusters.selectors import clusters_visible_to
from clusterwork.people.scopes import scope_for

from .models import Application, ChecklistItem, ChecklistTick, ClusterStage, StageDefinition


def applications_visible_to(user) -> QuerySet[Application]:
    """Applications carry applicants' contact details: only the programme's admins (and whoever
    submitted one) see them."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return Application.objects.none()
    return Application.objects.filter(
        scope.changeable_programme_filter("programme__") | Q(submitted_by_id=scope.user_id)
    )


def stages_of(programme: Programme) -> list[StageDefinition]:
    items = ChecklistItem.objects.filter(archived_at__isnull=True).order_by("when", "order", "id")
    return list(
        programme.stages.prefetch_related(Prefetch("items", queryset=items)).order_by("order")
    )


@dataclass
class ClusterCard:
    cluster: Cluster
    row: ClusterStage | None
    blockers: list[str] = field(default_factory=list)
    next_stage: StageDefinition | None = None


@dataclass
class BoardColumn:
    stage: StageDefinition
    clusters: list[ClusterCard] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.clusters) + len(self.applications)


@dataclass
class Board:
    columns: list[BoardColumn]
    unplaced: list[Cluster]


def _open_items(stage, following, ticks: set[int]) -> list[str]:
    items = [i for i in stage.items.all() if i.when == ChecklistItem.When.EXIT]
    if following is not None:
        items += [i for i in following.items.all() if i.when == ChecklistItem.When.ENTRY]
    return [i.text for i in items if i.id not in ticks]


def programme_board(user, programme: Programme) -> Board:
    """Every visible cluster of the programme by stage, with what blocks it from moving on.
    A constant number of queries whatever the number of clusters."""
    stages = stages_of(programme)
    following = {
        s.id: (stages[i + 1] if i + 1 < len(stages) else None) for i, s in enumerate(stages)
    }
    columns = {s.id: BoardColumn(stage=s) for s in stages}
    clusters = list(clusters_visible_to(user).filter(programme=programme).order_by("name"))
    rows = {
        r.cluster_id: r
        for r in ClusterStage.objects.filter(cluster__in=clusters, left_on__isnull=True)
    }
    ticks: dict[int, set[int]] = {}
    for cluster_id, item_id in ChecklistTick.objects.filter(
        cluster__in=clusters, done=True
    ).values_list("cluster_id", "item_id"):
        ticks.setdefault(cluster_id, set()).add(item_id)
    unplaced = []
    for cluster in clusters:
        row = rows.get(cluster.id)
        if row is None or row.stage_id not in columns:
            unplaced.append(cluster)
            continue
        stage = columns[row.stage_id].stage
        nxt = following[stage.id]
        columns[stage.id].clusters.append(
            ClusterCard(cluster, row, _open_items(stage, nxt, ticks.get(cluster.id, set())), nxt)
        )
    pre = [s for s in stages if s.is_pre_cluster]
    if pre:
        waiting = list(
            applications_visible_to(user)
            .filter(programme=programme, status=Application.Status.SUBMITTED)
            .prefetch_related("schools")
        )
        # Submitted applications wait for the panel: shown in the panel column.
        columns[pre[-1].id].applications = waiting
    return Board(columns=[columns[s.id] for s in stages], unplaced=unplaced)


@dataclass
class ChecklistLine:
    item: ChecklistItem
    tick: ChecklistTick | None

    @property
    def done(self) -> bool:
        return bool(self.tick and self.tick.done)


@dataclass
class StageStatus:
    row: ClusterStage | None
    next_stage: StageDefinition | None
    exit_items: list[ChecklistLine]
    entry_items: list[ChecklistLine]
    past: list[ClusterStage]
    stages: list[StageDefinition]

    @property
    def blockers(self) -> list[str]:
        return [line.item.text for line in self.exit_items + self.entry_items if not line.done]


def cluster_stage_status(cluster: Cluster) -> StageStatus:
    stages = stages_of(cluster.programme)
    history = list(cluster.stages.select_related("stage").order_by("-entered_on", "-id"))
    row = next((r for r in history if r.left_on is None), None)
    if row is None:
        return StageStatus(None, None, [], [], history, stages)
    index = next(i for i, s in enumerate(stages) if s.id == row.stage_id)
    here = stages[index]
    nxt = stages[index + 1] if index + 1 < len(stages) else None
    ticks = {
        t.item_id: t
        for t in ChecklistTick.objects.filter(cluster=cluster).select_related("done_by")
    }
    exit_items = [
        ChecklistLine(i, ticks.get(i.id))
        for i in here.items.all()
        if i.when == ChecklistItem.When.EXIT
    ]
    entry_items = (
        [
            ChecklistLine(i, ticks.get(i.id))
            for i in nxt.items.all()
            if i.when == ChecklistItem.When.ENTRY
        ]
        if nxt
        else []
    )
    return StageStatus(row, nxt, exit_items, entry_items, history, stages)


def checklist_items(programme) -> QuerySet[ChecklistItem]:
    """The checklist items of ``programme``'s stages that are in use."""
    return ChecklistItem.objects.filter(stage__programme=programme, archived_at__isnull=True)
