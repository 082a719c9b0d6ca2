from clusterwork.clusters.selectors import clusters_visible_to
from clusterwork.core.access import access_object

from .models import Goal, Project


def access_goal(user, pk, *, perm: str | None = None, lock: bool = False):
    visible = Goal.objects.filter(cluster__in=clusters_visible_to(user)).select_related(
        "cluster__programme", "owner"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)


def access_project(user, pk, *, perm: str | None = None, lock: bool = False):
    visible = Project.objects.filter(cluster__in=clusters_visible_to(user)).select_related(
        "cluster__programme", "lead", "goal"
    )
    return access_object(user, visible, pk, perm=perm, lock=lock)
